//! Property tests over generated sites (proptest, stable Rust, runs in CI):
//! Markdown, front matter, site.toml and exercise TOML made of pieces that
//! mean something to each parser. Whatever the input, `kenshu::check`
//! returns (no panic, no hang) and every error about a TOML value has a
//! line and column. Longer runs: `PROPTEST_CASES=5000 cargo test -p kenshu
//! --test fuzz`, or the cargo-fuzz target in `fuzz/` (see README).

use std::time::{Duration, Instant};

use proptest::prelude::*;

/// Text made of `pieces`, up to `max` of them.
fn text(pieces: &'static [&'static str], max: usize) -> impl Strategy<Value = String> {
    prop::collection::vec(prop::sample::select(pieces), 0..max).prop_map(|v| v.concat())
}

const MARKDOWN: &[&str] = &[
    "# ",
    "## ",
    "### ",
    "見出し",
    "Same",
    " ",
    "\n",
    "\n\n",
    "[",
    "]",
    "(",
    ")",
    "!",
    "*",
    "**",
    "「",
    "」",
    "> ",
    "[!NOTE]",
    "[!解説]",
    "[!講師メモ]",
    "[!WHAT]",
    "{{#exercise ex}}",
    "{{#exercise nope}}",
    "{{#exercise-list}}",
    "{{#exercise-key}}",
    "{{#exercise-progress}}",
    "<a href=\"",
    "<div id=\"",
    "\">",
    "</a>",
    "`",
    "```\n",
    "|",
    "|---|",
    "-",
    "1. ",
    "連携",
    "(#見出し)",
    "(b.md)",
    "(b.md#x)",
    "(../x.md)",
    "(/abs.md)",
    "(img.png)",
    "%",
    "%E9",
    "\\",
    "\r\n",
    "~~",
    "[^1]",
    "[^1]: ",
    "<!-- slide -->",
    "{#id}",
    "\t",
    "&amp;",
    "&#0;",
    "\u{3000}",
];

const FRONT: &[&str] = &[
    "title",
    "weight",
    "slides",
    "description",
    "titel",
    " = ",
    "=",
    "\"",
    "\"題\"",
    "5",
    "-1",
    "true",
    "\"yes\"",
    "[1]",
    "{ a = 1 }",
    "\n",
    "#",
    "'",
    "[table]",
    "1e999",
    "99999999999999999999",
];

const SITE: &[&str] = &[
    "title",
    "language",
    "accent",
    "base_url",
    "logo",
    "footer",
    "colour",
    "show_notes_to_readers",
    " = ",
    "\"",
    "\"#1d5fa8\"",
    "\"notacolour\"",
    "\"ja\"",
    "\"ja\\\" x\"",
    "\"https://example.org/\"",
    "\"javascript:x\"",
    "\"\"",
    "true",
    "5",
    "\n",
    "[x]",
    "\"index.md\"",
];

const EXERCISE: &[&str] = &[
    "id = \"ex\"\n",
    "kind = \"classify\"\n",
    "kind = \"table\"\n",
    "kind = \"weird\"\n",
    "title = \"演習\"\n",
    "categories = [{ id = \"a\", name = \"A\" }]\n",
    "[[items]]\n",
    "id = \"i1\"\n",
    "answer = \"a\"\n",
    "answer = \"z\"\n",
    "text = \"本文\"\n",
    "explanation = \"解説\"\n",
    "[[statements]]\n",
    "[[rows]]\n",
    "[[rows.cells]]\n",
    "mode = \"chosen\"\n",
    "mode = \"free\"\n",
    "model = \"m\"\n",
    "name = \"n\"\n",
    "point = \"p\"\n",
    "unknown = 1\n",
    "id = 5\n",
    "\"",
];

fn write(dir: &std::path::Path, rel: &str, text: &str) {
    let p = dir.join(rel);
    std::fs::create_dir_all(p.parent().unwrap()).unwrap();
    std::fs::write(p, text).unwrap();
}

proptest! {
    #![proptest_config(ProptestConfig {
        cases: 48,
        failure_persistence: None,
        ..ProptestConfig::default()
    })]

    #[test]
    fn any_site_is_checked_without_panic_or_hang(
        body in text(MARKDOWN, 80),
        other in text(MARKDOWN, 40),
        front in text(FRONT, 12),
        site_toml in text(SITE, 16),
        exercise in text(EXERCISE, 14),
    ) {
        let d = tempfile::tempdir().unwrap();
        write(d.path(), "site.toml", &site_toml);
        write(d.path(), "content/index.md", &format!("+++\n{front}\n+++\n{body}"));
        write(d.path(), "content/b.md", &other);
        write(d.path(), "content/ex.toml", &exercise);
        let start = Instant::now();
        let result = kenshu::check(d.path());
        prop_assert!(start.elapsed() < Duration::from_secs(10), "took {:?}", start.elapsed());
        if let Err(errors) = result {
            prop_assert!(!errors.is_empty());
            for e in &errors {
                let file = e.file.to_string_lossy();
                let toml_value = file == "site.toml"
                    || e.message.contains("front matter")
                    || e.message.contains("must be");
                if toml_value {
                    prop_assert!(e.line > 0 && e.column > 0, "no position: {e}");
                }
            }
        }
    }
}
