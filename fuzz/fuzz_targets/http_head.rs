//! Any text as the path of a request to `kenshu serve` (hyper reads the
//! request; kenshu decides which file the path names): no panic, and a
//! clean path never leaves the output folder.
#![no_main]

use kenshu::serve::http::clean_path;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(target) = std::str::from_utf8(data) else {
        return;
    };
    if let Ok(path) = clean_path(target) {
        // No parent, no drive (`C:`; a colon elsewhere names a page).
        let drive =
            |s: &str| s.as_bytes().get(1) == Some(&b':') && s.as_bytes()[0].is_ascii_alphabetic();
        assert!(!path.split('/').any(|s| s == ".." || drive(s)), "{path}");
        assert!(
            !path.contains(['\\', '\0']) && !path.starts_with('/'),
            "{path}"
        );
    }
});
