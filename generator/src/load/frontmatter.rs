//! TOML front matter between `+++` lines at the top of a page.

use serde::Deserialize;

use super::toml_keys::{self, Kind};
use crate::diagnostic::Diagnostic;

/// Keys a page may set in its front matter.
#[derive(Debug, Clone, Default, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct FrontMatter {
    pub title: Option<String>,
    pub weight: Option<i64>,
    pub description: Option<String>,
    /// Also build a slide deck from this page.
    pub slides: Option<bool>,
    /// Keep the page (and, on a section's `index.md`, the whole section) out
    /// of the navigation: sidebar, previous/next, section listings and the
    /// search index. It is still built and can be linked to.
    pub hidden: Option<bool>,
}

/// Splits `source` into front matter and body. Returns the parsed front
/// matter, the body and the body's byte offset in `source`, and every
/// problem with the front matter (the keys without problems are kept, so
/// the page still exists for links to it).
pub fn split<'a>(
    file: &std::path::Path,
    source: &'a str,
) -> (FrontMatter, &'a str, usize, Vec<Diagnostic>) {
    match split_strict(file, source) {
        Ok((f, b, o, problems)) => (f, b, o, problems),
        Err((d, body_offset)) => (
            FrontMatter::default(),
            &source[body_offset..],
            body_offset,
            vec![d],
        ),
    }
}

type Split<'a> = (FrontMatter, &'a str, usize, Vec<Diagnostic>);

fn split_strict<'a>(
    file: &std::path::Path,
    source: &'a str,
) -> Result<Split<'a>, (Diagnostic, usize)> {
    let Some(rest) = source
        .strip_prefix("+++\n")
        .or_else(|| source.strip_prefix("+++\r\n"))
    else {
        return Ok((FrontMatter::default(), source, 0, Vec::new()));
    };
    let open_len = source.len() - rest.len();
    // Find the closing `+++` on a line of its own.
    let mut at = 0;
    let close = loop {
        let line_end = rest[at..].find('\n').map_or(rest.len(), |i| at + i + 1);
        let line = rest[at..line_end].trim_end_matches(['\n', '\r']);
        if line == "+++" {
            break Some((at, line_end));
        }
        if line_end >= rest.len() {
            break None;
        }
        at = line_end;
    };
    let Some((toml_end, body_start)) = close else {
        return Err((
            Diagnostic::at(file, source, 0, "front matter is not closed")
                .with_hint("end the front matter with a line containing only `+++`"),
            source.len(),
        ));
    };
    let toml_src = &rest[..toml_end];
    let body_offset = open_len + body_start;
    let mut problems = Vec::new();
    let keys = toml_keys::check(
        file,
        source,
        open_len,
        toml_src,
        &[
            ("title", Kind::Str),
            ("weight", Kind::Int),
            ("description", Kind::Str),
            ("slides", Kind::Bool),
            ("hidden", Kind::Bool),
        ],
        "front matter",
        &mut problems,
    );
    let front = FrontMatter {
        title: toml_keys::string(&keys, "title"),
        weight: toml_keys::int(&keys, "weight"),
        description: toml_keys::string(&keys, "description"),
        slides: toml_keys::boolean(&keys, "slides"),
        hidden: toml_keys::boolean(&keys, "hidden"),
    };
    if let (Some(t), Some((_, span))) = (&front.title, keys.get("title")) {
        if t.trim().is_empty() {
            problems.push(
                Diagnostic::at(file, source, span.start, "the title is empty")
                    .with_hint("write a title, or remove the line to use the page's first heading"),
            );
        }
    }
    Ok((front, &source[body_offset..], body_offset, problems))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::Path;

    #[test]
    fn parses_front_matter() {
        let src = "+++\ntitle = \"題\"\nweight = 2\n+++\n# 本文\n";
        let (fm, body, off, e) = split(Path::new("a.md"), src);
        assert!(e.is_empty());
        assert_eq!(fm.title.as_deref(), Some("題"));
        assert_eq!(fm.weight, Some(2));
        assert_eq!(body, "# 本文\n");
        assert_eq!(&src[off..], body);
    }

    #[test]
    fn unknown_key_points_at_the_key() {
        let src = "+++\ntitle = \"x\"\ntitel = \"y\"\n+++\n";
        let e = split(Path::new("a.md"), src).3.remove(0);
        assert_eq!((e.line, e.column), (3, 1));
        assert!(e.message.contains("titel"), "{}", e.message);
    }

    #[test]
    fn every_bad_key_is_reported() {
        let src = "+++\ntitle = 5\nweight = \"heavy\"\nslides = \"yes\"\ndescription = \"説明\"\n+++\n本文\n";
        let (fm, body, _, e) = split(Path::new("a.md"), src);
        let at: Vec<_> = e.iter().map(|e| (e.line, e.column)).collect();
        assert_eq!(at, [(2, 9), (3, 10), (4, 10)], "{e:?}");
        assert_eq!(fm.description.as_deref(), Some("説明"));
        assert_eq!(body, "本文\n");
        let e = split(Path::new("a.md"), "+++\ntitle = \" \"\n+++\n").3;
        assert!(e[0].message.contains("empty"), "{e:?}");
    }

    #[test]
    fn unclosed() {
        let e = split(Path::new("a.md"), "+++\ntitle = \"x\"\n").3.remove(0);
        assert!(e.message.contains("not closed"));
    }
}
