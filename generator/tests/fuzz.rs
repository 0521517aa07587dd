//! Property tests over generated sites (proptest, stable Rust, runs in CI):
//! Markdown, TOML and YAML front matter, site.toml and exercise TOML of
//! every kind made of pieces that mean something to each parser, large
//! pages, and HTTP request targets for `serve`. Whatever the input,
//! `kenshu::check` returns (no panic, no hang) and every error about a
//! TOML value has a line and column; the exercise parser, the front matter
//! splitter and the URL path cleaner keep their own promises below.
//! The case counts keep the whole file under ~60 s on 2 cores (debug);
//! longer runs: `PROPTEST_CASES=5000 cargo test -p kenshu --test fuzz`, or
//! the cargo-fuzz targets in `fuzz/` (see README).

use std::time::{Duration, Instant};

use proptest::prelude::*;

/// `default` cases, or PROPTEST_CASES for a longer run (an explicit count
/// in a config would otherwise win over the variable).
fn cases(default: u32) -> u32 {
    std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

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
    "kind = \"choice\"\n",
    "kind = \"worksheet\"\n",
    "[[questions]]\n",
    "[[questions.options]]\n",
    "correct = true\n",
    "correct = \"yes\"\n",
    "multiple = true\n",
    "feedback = \"f\"\n",
    "prompt = \"問い\"\n",
    "hint = \"h\"\n",
    "mode = \"sideways\"\n",
    "source = \"authors\"\n",
    "source = \"nobody\"\n",
    "why_not = { z = \"w\" }\n",
    "checklist = [\"c\"]\n",
    "checklist = [1]\n",
    "[[categories]]\n",
    "id = \"a\"\n",
    "id = \"b b\"\n",
    "text = \"\"\n",
    "instructions = \"説明\"\n",
    "questions = 3\n",
    "rows = []\n",
    "\n",
];

/// A complete exercise of each kind (mutated by the properties below).
const WHOLE_EXERCISES: &[&str] = &[
    "id = \"c\"\nkind = \"classify\"\ntitle = \"t\"\n[[categories]]\nid = \"a\"\nname = \"A\"\n[[categories]]\nid = \"b\"\nname = \"B\"\n[[items]]\nid = \"i\"\ntext = \"x\"\nanswer = \"a\"\nexplanation = \"e\"\nwhy_not = { b = \"w\" }\n",
    "id = \"t\"\nkind = \"table\"\ntitle = \"t\"\n[[statements]]\nid = \"s\"\ntext = \"x\"\n[[rows]]\nid = \"r\"\nname = \"R\"\n[[rows.cells]]\nid = \"c1\"\npoint = \"p\"\nmode = \"chosen\"\nanswer = \"s\"\n[[rows.cells]]\nid = \"c2\"\npoint = \"p\"\nmode = \"free\"\nmodel = \"m\"\nchecklist = [\"k\"]\n",
    "id = \"w\"\nkind = \"worksheet\"\ntitle = \"t\"\n[[rows]]\nid = \"r\"\nname = \"R\"\n[[rows.cells]]\nid = \"c\"\npoint = \"p\"\nprompt = \"q\"\n",
    "id = \"q\"\nkind = \"choice\"\ntitle = \"t\"\n[[questions]]\nid = \"q1\"\ntext = \"x\"\nexplanation = \"e\"\nmultiple = true\n[[questions.options]]\nid = \"o1\"\ntext = \"y\"\ncorrect = true\nfeedback = \"f\"\n[[questions.options]]\nid = \"o2\"\ntext = \"n\"\nfeedback = \"f\"\n",
];

const YAML: &[&str] = &[
    "title",
    "weight",
    "sidebar_position",
    "nav_order",
    "summary",
    "description",
    "slides",
    "hidden",
    "draft",
    "tags",
    "foo",
    ": ",
    ":",
    "\n",
    "\r\n",
    "\r",
    "  ",
    "- ",
    "題",
    "\"題\"",
    "'題'",
    "3",
    "-1",
    "99999999999999999999",
    "true",
    "yes",
    "null",
    "~",
    "[a, b]",
    "{a: 1}",
    "[",
    "{",
    "|",
    ">",
    "&a ",
    "*a",
    "!!int ",
    "#",
    "---",
    "...",
    "\t",
    "%YAML 1.2",
    "<<: *a",
];

const HTTP: &[&str] = &[
    "GET",
    "HEAD",
    "POST",
    "get",
    " ",
    "/",
    "/a.html",
    "/%E7%94%A8",
    "/%2e%2e/",
    "/..",
    "/a%00",
    "%zz",
    "?q=1",
    "#f",
    "\\",
    "HTTP/1.1",
    "HTTP/1.0",
    "HTTP/2",
    "\r\n",
    "\n",
    "\r\n\r\n",
    "\n\n",
    "Host: ",
    "host:",
    "127.0.0.1:4400",
    "[::1]:80",
    "example.org",
    "X-A: b",
    ":",
    "\0",
    "\t",
    "é",
    "\u{7f}",
];

/// A byte position of each error of `parse(src)` lies in `src`, on a
/// character boundary (the generator turns it into a line and column).
fn spans_in(src: &str, errors: &[kenshu_exercises::parse::SpanError]) -> Result<(), String> {
    for e in errors {
        let ok = e.span.start <= e.span.end
            && e.span.end <= src.len()
            && src.is_char_boundary(e.span.start);
        if !ok {
            return Err(format!("span {:?} outside the text: {}", e.span, e.message));
        }
    }
    Ok(())
}

fn write(dir: &std::path::Path, rel: &str, text: &str) {
    let p = dir.join(rel);
    std::fs::create_dir_all(p.parent().unwrap()).unwrap();
    std::fs::write(p, text).unwrap();
}

proptest! {
    #![proptest_config(ProptestConfig {
        cases: cases(192),
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
        yaml in text(YAML, 16),
        whole in prop::sample::select(WHOLE_EXERCISES),
        more in text(EXERCISE, 4),
    ) {
        let d = tempfile::tempdir().unwrap();
        write(d.path(), "site.toml", &site_toml);
        write(d.path(), "content/index.md", &format!("+++\n{front}\n+++\n{body}"));
        write(d.path(), "content/b.md", &format!("---\n{yaml}\n---\n{other}"));
        write(d.path(), "content/ex.toml", &exercise);
        write(d.path(), "content/whole.toml", &format!("{whole}{more}"));
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

proptest! {
    #![proptest_config(ProptestConfig {
        cases: cases(16),
        failure_persistence: None,
        ..ProptestConfig::default()
    })]

    /// Large pages (up to ~1 MB of Markdown, a long YAML front matter, many
    /// exercise items) are checked in bounded time.
    #[test]
    fn large_inputs_are_checked_in_bounded_time(
        body in text(MARKDOWN, 120),
        times in 1usize..4000,
        yaml in text(YAML, 30),
        keys in 0usize..3000,
        items in 0usize..400,
        odd_yaml in any::<bool>(),
    ) {
        let d = tempfile::tempdir().unwrap();
        let mut front = String::from("---\n");
        for i in 0..keys {
            front.push_str(&format!("k{i}: v\n"));
        }
        if odd_yaml {
            front.push_str(&yaml);
        }
        front.push_str("\n---\n");
        write(d.path(), "content/index.md", &format!("{front}{}", body.repeat(times)));
        let mut ex = String::from(WHOLE_EXERCISES[0]);
        for i in 0..items {
            ex.push_str(&format!("[[items]]\nid = \"i{i}\"\ntext = \"x\"\nanswer = \"{}\"\nexplanation = \"e\"\n", if i % 7 == 0 { "z" } else { "a" }));
        }
        write(d.path(), "content/ex.toml", &ex);
        let start = Instant::now();
        let _ = kenshu::check(d.path());
        prop_assert!(start.elapsed() < Duration::from_secs(20), "took {:?}", start.elapsed());
    }
}

proptest! {
    #![proptest_config(ProptestConfig {
        cases: cases(1000),
        failure_persistence: None,
        ..ProptestConfig::default()
    })]

    /// Exercise TOML of every kind, from pieces or a whole exercise with a
    /// cut, a splice or a repeated piece: no panic; errors point into the
    /// file; what parses is valid (validate finds nothing) and survives
    /// JSON, as the browser gets it.
    #[test]
    fn exercise_toml_parses_or_points_into_the_file(
        pieces in text(EXERCISE, 30),
        whole in prop::sample::select(WHOLE_EXERCISES),
        cut in 0usize..400,
        splice in prop::sample::select(EXERCISE),
        mode in 0u8..3,
    ) {
        let src = match mode {
            0 => pieces,
            1 => {
                let mut at = cut.min(whole.len());
                while !whole.is_char_boundary(at) {
                    at -= 1;
                }
                format!("{}{splice}{}", &whole[..at], &whole[at..])
            }
            _ => format!("{whole}{pieces}"),
        };
        match kenshu_exercises::parse::parse(&src) {
            Ok(ex) => {
                prop_assert!(ex.validate().is_empty(), "{src}");
                let json = serde_json::to_string(&ex).unwrap();
                let back: kenshu_exercises::Exercise = serde_json::from_str(&json).unwrap();
                prop_assert_eq!(back, ex);
            }
            Err(errors) => {
                prop_assert!(!errors.is_empty());
                if let Err(e) = spans_in(&src, &errors) {
                    prop_assert!(false, "{e}\n{src}");
                }
            }
        }
    }

    /// YAML (and TOML) front matter with any line endings: no panic, the
    /// body is the rest of the file, every error has a line and column.
    #[test]
    fn front_matter_splits_without_panic(
        yaml in text(YAML, 40),
        body in text(MARKDOWN, 10),
        newline in prop::sample::select(&["\n", "\r\n", "\r"][..]),
        closed in any::<bool>(),
        toml in any::<bool>(),
        front in text(FRONT, 12),
    ) {
        let (fence, inner) = if toml { ("+++", front) } else { ("---", yaml) };
        let close = if closed { format!("{fence}{newline}") } else { String::new() };
        let src = format!("{fence}{newline}{inner}{newline}{close}{body}");
        let (_, rest, offset, errors) =
            kenshu::load::frontmatter::split(std::path::Path::new("a.md"), &src);
        prop_assert_eq!(src.get(offset..), Some(rest));
        for e in &errors {
            prop_assert!(e.line > 0 && e.column > 0, "no position: {}", e);
        }
    }

    /// Request targets for `serve` (hyper reads the request; kenshu
    /// decides which file a path names): no panic, and a clean path never
    /// leaves the output.
    #[test]
    fn request_paths_never_leave_the_output(target in text(HTTP, 40)) {
        use kenshu::serve::http::clean_path;
        if let Ok(path) = clean_path(&target) {
            // No parent, no drive (`C:`; a colon elsewhere names a page).
            let drive = |s: &str| s.as_bytes().get(1) == Some(&b':') && s.as_bytes()[0].is_ascii_alphabetic();
            prop_assert!(
                !path.split('/').any(|s| s == ".." || drive(s))
                    && !path.contains(['\\', '\0'])
                    && !path.starts_with('/'),
                "{path}"
            );
        }
    }
}
