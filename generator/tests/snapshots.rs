//! Snapshot tests of the output (issue #15): the HTML of every page kind,
//! the slide deck, the 404 page, the sitemap and the search data of the
//! small site in `tests/fixtures/snapshot`. A change to what kenshu writes
//! shows here as a diff to review: `cargo insta review`, or read the
//! `.snap.new` file beside the snapshot, and accept it only when the new
//! output is what readers should get.
//!
//! What is not the page's own output is replaced by a placeholder: the
//! exercise bundle's version hash (`?v=…`, it changes with the Rust
//! toolchain) and the theme's CSS inlined into 404.html.

use std::path::Path;

fn site() -> &'static Path {
    static OUT: std::sync::OnceLock<tempfile::TempDir> = std::sync::OnceLock::new();
    OUT.get_or_init(|| {
        let out = tempfile::tempdir().expect("temporary folder");
        let site = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/snapshot");
        kenshu::build(&site, &out.path().join("public")).expect("the fixture site builds");
        out
    })
    .path()
}

/// The output file `rel`, with the placeholders described above.
fn output(rel: &str) -> String {
    let text = std::fs::read_to_string(site().join("public").join(rel))
        .unwrap_or_else(|e| panic!("{rel}: {e}"));
    let mut out = String::with_capacity(text.len());
    let mut rest = text.as_str();
    // `?v=` followed by hex digits.
    while let Some(at) = rest.find("?v=") {
        out.push_str(&rest[..at + 3]);
        rest = &rest[at + 3..];
        let hex = rest.bytes().take_while(u8::is_ascii_hexdigit).count();
        if hex > 0 {
            out.push_str("[hash]");
            rest = &rest[hex..];
        }
    }
    out.push_str(rest);
    if let (Some(a), Some(b)) = (out.find("<style>"), out.find("</style>")) {
        if a < b {
            out.replace_range(a + "<style>".len()..b, "[theme site.css]");
        }
    }
    out
}

macro_rules! snapshot {
    ($name:ident, $rel:expr) => {
        #[test]
        fn $name() {
            insta::assert_snapshot!(stringify!($name), output($rel), $rel);
        }
    };
}

// Page kinds.
snapshot!(home, "index.html");
snapshot!(section_index, "01-kiso/index.html");
snapshot!(generated_section_index, "02-furikaeri/index.html");
snapshot!(
    page_with_japanese_text_notes_and_footnote,
    "01-kiso/gainen.html"
);
snapshot!(page_with_repeated_headings, "01-kiso/jissen.html");
snapshot!(exercise_page, "renshu.html");
snapshot!(progress_page, "kiroku.html");
snapshot!(slide_deck, "01-kiso/gainen.slides.html");
snapshot!(not_found_page, "404.html");
// Data files.
snapshot!(sitemap, "sitemap.xml");
snapshot!(search_meta, "assets/search/meta.js");
snapshot!(search_shard, "assets/search/shard/0.js");
snapshot!(search_text, "assets/search/text/0.js");

/// Every page kind of the model has a snapshot above.
#[test]
fn every_page_kind_is_covered() {
    let site =
        kenshu::load::load(&Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/snapshot"))
            .expect("the fixture site loads");
    use kenshu::model::PageKind;
    let kinds = |k: PageKind| site.pages.iter().filter(|p| p.kind == k).count();
    assert_eq!(kinds(PageKind::Home), 1);
    assert!(kinds(PageKind::SectionIndex) >= 2);
    assert!(site
        .pages
        .iter()
        .any(|p| p.generated && p.kind == PageKind::SectionIndex));
    assert!(site.pages.iter().any(|p| p.slides));
    assert!(site.pages.iter().any(|p| !p.directives.is_empty()));
}
