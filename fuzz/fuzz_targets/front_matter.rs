//! Any text as a page's front matter (YAML or TOML, any line endings): no
//! panic; the body is the rest of the file; every error has a position.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    // Most inputs should open front matter: the first byte picks a fence.
    let (fence, rest) = match text.split_at_checked(1) {
        Some(("+", rest)) => ("+++\n", rest),
        Some(("\r", rest)) => ("---\r", rest),
        Some((_, rest)) => ("---\n", rest),
        None => ("", text),
    };
    let src = format!("{fence}{rest}");
    let (_, body, offset, errors) =
        kenshu::load::frontmatter::split(std::path::Path::new("a.md"), &src);
    assert_eq!(src.get(offset..), Some(body));
    for e in errors {
        assert!(e.line > 0 && e.column > 0, "{e}");
    }
});
