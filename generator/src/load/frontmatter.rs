//! TOML front matter between `+++` lines at the top of a page.

use serde::Deserialize;

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
}

/// Splits `source` into front matter and body. Returns the parsed front
/// matter, the body and the body's byte offset in `source`, and the problem
/// with the front matter if any (then the front matter is the default, so
/// the page still exists for links to it).
pub fn split<'a>(
    file: &std::path::Path,
    source: &'a str,
) -> (FrontMatter, &'a str, usize, Option<Diagnostic>) {
    match split_strict(file, source) {
        Ok((f, b, o)) => (f, b, o, None),
        Err((d, body_offset)) => (
            FrontMatter::default(),
            &source[body_offset..],
            body_offset,
            Some(d),
        ),
    }
}

fn split_strict<'a>(
    file: &std::path::Path,
    source: &'a str,
) -> Result<(FrontMatter, &'a str, usize), (Diagnostic, usize)> {
    let Some(rest) = source
        .strip_prefix("+++\n")
        .or_else(|| source.strip_prefix("+++\r\n"))
    else {
        return Ok((FrontMatter::default(), source, 0));
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
    let front: FrontMatter = match toml::from_str(toml_src) {
        Ok(f) => f,
        Err(e) => {
            let offset = open_len + e.span().map_or(0, |s| s.start);
            let hint = if e.message().contains("unknown field") {
                "allowed keys: title, weight, description, slides"
            } else {
                "front matter is TOML: key = \"value\", one per line"
            };
            return Err((
                Diagnostic::at(
                    file,
                    source,
                    offset,
                    format!("invalid front matter: {}", e.message().trim()),
                )
                .with_hint(hint),
                body_offset,
            ));
        }
    };
    Ok((front, &source[body_offset..], body_offset))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::Path;

    #[test]
    fn parses_front_matter() {
        let src = "+++\ntitle = \"題\"\nweight = 2\n+++\n# 本文\n";
        let (fm, body, off, e) = split(Path::new("a.md"), src);
        assert!(e.is_none());
        assert_eq!(fm.title.as_deref(), Some("題"));
        assert_eq!(fm.weight, Some(2));
        assert_eq!(body, "# 本文\n");
        assert_eq!(&src[off..], body);
    }

    #[test]
    fn unknown_key_points_at_the_key() {
        let src = "+++\ntitle = \"x\"\ntitel = \"y\"\n+++\n";
        let e = split(Path::new("a.md"), src).3.unwrap();
        assert_eq!((e.line, e.column), (3, 1));
        assert!(e.message.contains("titel"), "{}", e.message);
    }

    #[test]
    fn unclosed() {
        let e = split(Path::new("a.md"), "+++\ntitle = \"x\"\n").3.unwrap();
        assert!(e.message.contains("not closed"));
    }
}
