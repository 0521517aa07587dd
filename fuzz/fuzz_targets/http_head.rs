//! Any bytes as an HTTP request head for `kenshu serve`, whole and in two
//! pieces: no panic, the same answer however the bytes arrive, and a clean
//! path never leaves the output folder.
#![no_main]

use kenshu::serve::http::{clean_path, HeadBuf};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let whole = HeadBuf::default().push(data);
    let cut = data.first().map_or(0, |b| *b as usize).min(data.len());
    let mut buf = HeadBuf::default();
    let pieces = buf.push(&data[..cut]).or_else(|| buf.push(&data[cut..]));
    assert_eq!(whole, pieces);
    if let Some(Ok(req)) = whole {
        if let Ok(path) = clean_path(&req.target) {
            assert!(!path.split('/').any(|s| s == ".."), "{path}");
            assert!(!path.contains(['\\', '\0', ':']) && !path.starts_with('/'), "{path}");
        }
    }
});
