//! Any text as an exercise file: no panic; every error span lies in the
//! text on a character boundary; what parses validates clean.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(src) = std::str::from_utf8(data) else {
        return;
    };
    match kenshu_exercises::parse::parse(src) {
        Ok(ex) => assert!(ex.validate().is_empty()),
        Err(errors) => {
            assert!(!errors.is_empty());
            for e in errors {
                assert!(e.span.start <= e.span.end && e.span.end <= src.len());
                assert!(src.is_char_boundary(e.span.start));
            }
        }
    }
});
