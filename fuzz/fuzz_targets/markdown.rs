//! Any bytes as a page: front matter, scan and render (page and slides)
//! must return without a panic.
#![no_main]

use kenshu::markdown::{self, HtmlContext, NotesMode};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let (_, body, _, _) = kenshu::load::frontmatter::split(std::path::Path::new("a.md"), text);
    let _ = markdown::scan(body);
    let link = |dest: &str| dest.to_string();
    let directive = |_: &markdown::Directive| String::new();
    for notes in [NotesMode::Collapsed, NotesMode::Hidden, NotesMode::Aside] {
        let cx = HtmlContext {
            link: &link,
            directive: &directive,
            notes,
        };
        let _ = markdown::to_html(body, &cx);
        let _ = markdown::to_slides(body, &cx);
    }
});
