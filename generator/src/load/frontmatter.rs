//! Front matter at the top of a page: TOML between `+++` lines (kenshu's
//! own, as in Zola), or YAML between `---` lines (Jekyll, Hugo,
//! Docusaurus, GitBook, Obsidian), so Markdown from those tools builds as
//! it is.

use std::collections::BTreeMap;

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
    /// A draft is not published (links to it are errors).
    pub draft: Option<bool>,
    /// YAML keys kenshu does not use, with their byte offsets in the file:
    /// keys of other tools that mean nothing here are left out; the rest
    /// are reported as warnings.
    #[serde(skip)]
    pub unknown: Vec<(String, usize)>,
}

/// YAML front matter: kenshu's keys, the usual names other tools give
/// them, and everything else collected to be ignored or warned about.
#[derive(Debug, Deserialize)]
struct YamlFront {
    title: Option<String>,
    /// Hugo `weight`, Docusaurus `sidebar_position`, Just the Docs
    /// `nav_order`.
    #[serde(alias = "sidebar_position", alias = "nav_order")]
    weight: Option<i64>,
    #[serde(alias = "summary")]
    description: Option<String>,
    slides: Option<bool>,
    /// Out of the trainee's path (lecturers' pages).
    hidden: Option<bool>,
    draft: Option<bool>,
    #[serde(flatten)]
    other: BTreeMap<String, serde::de::IgnoredAny>,
}

/// Keys other tools write that mean nothing to kenshu: accepted without a
/// word (dates, taxonomies, layout and sidebar settings, …).
pub const OTHER_TOOLS_KEYS: &[&str] = &[
    "aliases",
    "author",
    "authors",
    "categories",
    "comments",
    "cover",
    "cssclass",
    "cssclasses",
    "date",
    "excerpt",
    "expiryDate",
    "has_children",
    "hide_table_of_contents",
    "hide_title",
    "id",
    "image",
    "images",
    "keywords",
    "lang",
    "lastmod",
    "layout",
    "linkTitle",
    "math",
    "menu",
    "nav_exclude",
    "pagination_label",
    "params",
    "parent",
    "permalink",
    "publishDate",
    "published",
    "series",
    "sidebar_class_name",
    "sidebar_label",
    "slug",
    "status",
    "tags",
    "toc",
    "type",
    "updated",
];

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
    if let Some(rest) = source
        .strip_prefix("---\n")
        .or_else(|| source.strip_prefix("---\r\n"))
    {
        return split_yaml(file, source, rest).map(|(f, b, o)| (f, b, o, Vec::new()));
    }
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
            ("draft", Kind::Bool),
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
        draft: toml_keys::boolean(&keys, "draft"),
        unknown: Vec::new(),
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

/// Finds the line that closes front matter opened by `fence`: (end of the
/// front matter, start of the body), both offsets in `rest`.
fn closing_line(rest: &str, fences: &[&str]) -> Option<(usize, usize)> {
    let mut at = 0;
    loop {
        let line_end = rest[at..].find('\n').map_or(rest.len(), |i| at + i + 1);
        let line = rest[at..line_end].trim_end_matches(['\n', '\r']);
        if fences.contains(&line.trim_end()) {
            return Some((at, line_end));
        }
        if line_end >= rest.len() {
            return None;
        }
        at = line_end;
    }
}

/// YAML front matter (`---` … `---`, or `...` as the closing line).
fn split_yaml<'a>(
    file: &std::path::Path,
    source: &'a str,
    rest: &'a str,
) -> Result<(FrontMatter, &'a str, usize), (Diagnostic, usize)> {
    let open_len = source.len() - rest.len();
    let Some((yaml_end, body_start)) = closing_line(rest, &["---", "..."]) else {
        // A thematic break at the top of a page that never closes is not
        // front matter: leave the page as Markdown.
        return Ok((FrontMatter::default(), source, 0));
    };
    let yaml = &rest[..yaml_end];
    let body_offset = open_len + body_start;
    // Two thematic breaks around a paragraph are not front matter either:
    // front matter is a mapping, `key: value`.
    if !yaml.trim().is_empty() && !yaml.lines().any(|l| l.contains(':')) {
        return Ok((FrontMatter::default(), source, 0));
    }
    if yaml.trim().is_empty() {
        return Ok((FrontMatter::default(), &source[body_offset..], body_offset));
    }
    let front: YamlFront = match serde_saphyr::from_str(yaml) {
        Ok(f) => f,
        Err(e) => {
            let (line, column) = yaml_error_position(&e);
            let mut message = e.to_string();
            // The crate's message may carry a drawn snippet: keep line one.
            if let Some(first) = message.lines().next() {
                message = first.trim().to_string();
            }
            let mut d = Diagnostic::at(file, source, 0, format!("invalid front matter: {message}"))
                .with_hint("front matter between `---` lines is YAML: `key: value`, one per line; quote values that contain `: `");
            if line > 0 {
                d.line = line + 1;
                d.column = column;
            }
            return Err((d, body_offset));
        }
    };
    // Where each unused key is written, for the warning.
    let key_offset = |key: &str| {
        let mut at = 0;
        for line in yaml.split_inclusive('\n') {
            if line
                .strip_prefix(key)
                .is_some_and(|r| r.trim_start().starts_with(':'))
            {
                return open_len + at;
            }
            at += line.len();
        }
        open_len
    };
    let unknown = front
        .other
        .keys()
        .filter(|k| !OTHER_TOOLS_KEYS.contains(&k.as_str()))
        .map(|k| (k.clone(), key_offset(k)))
        .collect();
    Ok((
        FrontMatter {
            title: front.title,
            weight: front.weight,
            description: front.description,
            slides: front.slides,
            hidden: front.hidden,
            draft: front.draft,
            unknown,
        },
        &source[body_offset..],
        body_offset,
    ))
}

/// 1-based (line, column) in the YAML text of a parse error; (0, 0) when
/// the crate gives none.
fn yaml_error_position(e: &serde_saphyr::Error) -> (usize, usize) {
    match e.location() {
        Some(loc) => (loc.line() as usize, loc.column() as usize),
        None => (0, 0),
    }
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
    fn yaml_front_matter() {
        let src = "---\ntitle: \"連携：基礎\"\nweight: 3\ndescription: 説明\ndate: 2024-01-01\ntags: [a, b]\nsidebar_label: x\nfoo: 1\n---\n## 本文\n";
        let (fm, body, off, e) = split(Path::new("a.md"), src);
        assert!(e.is_empty(), "{e:?}");
        assert_eq!(fm.title.as_deref(), Some("連携：基礎"));
        assert_eq!(fm.weight, Some(3));
        assert_eq!(fm.description.as_deref(), Some("説明"));
        assert_eq!(body, "## 本文\n");
        assert_eq!(&src[off..], body);
        // Keys of other tools are accepted; `foo` is reported, at its line.
        assert_eq!(fm.unknown.len(), 1);
        let (key, at) = &fm.unknown[0];
        assert_eq!(key, "foo");
        assert_eq!(crate::diagnostic::line_col(src, *at), (8, 1));
        // Docusaurus' name for the weight.
        let (fm, ..) = split(Path::new("a.md"), "---\nsidebar_position: 2\n---\nx\n");
        assert_eq!(fm.weight, Some(2));
        // kenshu's own keys in YAML, as in TOML.
        let (fm, ..) = split(
            Path::new("a.md"),
            "---\nhidden: true\nslides: true\n---\nx\n",
        );
        assert_eq!((fm.hidden, fm.slides), (Some(true), Some(true)));
    }

    #[test]
    fn yaml_errors_point_into_the_file() {
        let src = "---\ntitle: a\nweight: zwei\n---\n# x\n";
        let e = split(Path::new("a.md"), src).3.remove(0);
        assert_eq!(e.line, 3, "{e}");
        assert!(e.message.starts_with("invalid front matter"), "{e}");
        // A page that starts with a thematic break and never closes it is
        // plain Markdown.
        let (fm, body, _, e) = split(Path::new("a.md"), "---\n\n本文\n");
        assert!(e.is_empty() && fm == FrontMatter::default());
        assert_eq!(body, "---\n\n本文\n");
    }

    #[test]
    fn unclosed() {
        let e = split(Path::new("a.md"), "+++\ntitle = \"x\"\n").3.remove(0);
        assert!(e.message.contains("not closed"));
    }
}
