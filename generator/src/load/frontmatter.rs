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
    /// Extra classes on the page's `<body>` (VuePress calls it `pageClass`):
    /// the theme styles some, e.g. `print-compact`.
    pub class: Option<String>,
    /// Training metadata of a YAML front matter (`time`, `prior_knowledge`,
    /// `objectives`), as (label, values) rows for the page's header.
    #[serde(skip)]
    pub training: Vec<(String, Vec<String>)>,
    /// YAML keys kenshu does not use, with their byte offsets in the file:
    /// keys of other tools that mean nothing here are left out; the rest
    /// are reported as warnings.
    #[serde(skip)]
    pub unknown: Vec<(String, usize)>,
    /// What is worth a warning and does not stop the build: a `+++` line
    /// at the top that opens no front matter (never closed).
    #[serde(skip)]
    pub warnings: Vec<Diagnostic>,
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
    // Old Mac line endings (CR alone): read as LF, which has the same
    // length, so every offset stays valid for `source` and every line and
    // column is counted right.
    let lone_cr = |s: &str| {
        ["---\r", "+++\r"]
            .iter()
            .any(|f| s.starts_with(f) && !s[f.len()..].starts_with('\n'))
    };
    if lone_cr(source) {
        let bytes = source.as_bytes();
        let lf: String = source
            .char_indices()
            .map(|(i, c)| match c {
                '\r' if bytes.get(i + 1) != Some(&b'\n') => '\n',
                c => c,
            })
            .collect();
        let (front, _, offset, problems) = split(file, &lf);
        return (front, &source[offset..], offset, problems);
    }
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
        return split_yaml(file, source, rest);
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
        // As with `---`: front matter that starts with a key and is never
        // closed is an error (the keys would be page text); a `+++` line
        // with no key after it (a page that is only `+++`) is page text,
        // with a warning.
        if starts_like_toml(rest) {
            return Err((
                Diagnostic::at(file, source, 0, "front matter is not closed")
                    .with_hint("end the front matter with a line containing only `+++`"),
                source.len(),
            ));
        }
        let warning = Diagnostic::at(
            file,
            source,
            0,
            "`+++` opens front matter that is never closed: the page is read as Markdown",
        )
        .with_hint("end the front matter with a line containing only `+++`, or remove the line");
        let front = FrontMatter {
            warnings: vec![warning],
            ..FrontMatter::default()
        };
        return Ok((front, source, 0, Vec::new()));
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
            ("class", Kind::Str),
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
        class: toml_keys::string(&keys, "class"),
        training: Vec::new(),
        unknown: Vec::new(),
        warnings: Vec::new(),
    };
    if let (Some(t), Some((_, span))) = (&front.title, keys.get("title")) {
        if t.trim().is_empty() {
            problems.push(
                Diagnostic::at(file, source, span.start, "the title is empty")
                    .with_hint("write a title, or remove the line to use the page's first heading"),
            );
        }
    }
    if let (Some(c), Some((_, span))) = (&front.class, keys.get("class")) {
        problems.extend(class_problem(file, source, span.start, c));
    }
    Ok((front, &source[body_offset..], body_offset, problems))
}

/// `class` holds CSS class names separated by spaces: letters, digits, `-`
/// and `_`, not starting with a digit (so the value can never break out of
/// the `class` attribute or name something the theme cannot style).
fn class_problem(
    file: &std::path::Path,
    source: &str,
    at: usize,
    class: &str,
) -> Option<Diagnostic> {
    let bad = class.split_whitespace().find(|name| {
        name.starts_with(|c: char| c.is_ascii_digit())
            || !name
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
    })?;
    Some(
        Diagnostic::at(
            file,
            source,
            at,
            format!("`{bad}` is not a CSS class name"),
        )
        .with_hint(
            "write class names of ASCII letters, digits, `-` and `_`, separated by spaces (for example `print-compact`)",
        ),
    )
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

/// Does the first line of `rest` (after an opening `+++`) read as TOML:
/// `key = value` with a bare or quoted key, or a `[table]` header?
fn starts_like_toml(rest: &str) -> bool {
    let line = rest.lines().next().unwrap_or("").trim();
    if line.starts_with('[') && line.ends_with(']') {
        return true;
    }
    let Some((key, _)) = line.split_once('=') else {
        return false;
    };
    let key = key.trim();
    let quoted = key.len() >= 2
        && ((key.starts_with('"') && key.ends_with('"'))
            || (key.starts_with('\'') && key.ends_with('\'')));
    quoted
        || (!key.is_empty()
            && key
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '.' | ' ')))
}

/// Does the first line of `rest` (after an opening `---`) read as a YAML
/// key, `name:` or `name: value`, with an ASCII name as every tool's keys
/// are? Then the `---` opens front matter even if it is never closed;
/// otherwise (a blank line, prose such as `注意: …`) it may be a thematic
/// break.
fn starts_like_yaml(rest: &str) -> bool {
    let line = rest.lines().next().unwrap_or("");
    let Some((key, _)) = line.split_once(':') else {
        return false;
    };
    let value_follows = line[key.len() + 1..]
        .chars()
        .next()
        .is_none_or(|c| c == ' ' || c == '\t');
    !key.is_empty()
        && key
            .chars()
            .next()
            .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && key
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
        && value_follows
}

/// Reads one of kenshu's keys from YAML front matter on its own, so that a
/// wrong value of one key does not hide the others (serde stops at the
/// first error). `$name` and `$alias`es are the names it may have.
/// A training-metadata value: text, a number (`time: 30`) or a list.
#[derive(Deserialize)]
#[serde(untagged)]
enum Texts {
    One(String),
    Int(i64),
    Num(f64),
    Many(Vec<String>),
}

impl Texts {
    fn into_vec(self) -> Vec<String> {
        let v = match self {
            Texts::One(s) => vec![s],
            Texts::Int(i) => vec![i.to_string()],
            Texts::Num(f) => vec![f.to_string()],
            Texts::Many(v) => v,
        };
        v.into_iter()
            .map(|s| s.trim().to_string())
            .filter(|s| !s.is_empty())
            .collect()
    }
}

macro_rules! yaml_key {
    ($yaml:expr, $ty:ty, $name:literal $(, $alias:literal)*) => {{
        #[derive(Deserialize)]
        struct One {
            #[serde(rename = $name $(, alias = $alias)*)]
            value: Option<$ty>,
            #[serde(flatten)]
            _other: BTreeMap<String, serde::de::IgnoredAny>,
        }
        (
            serde_saphyr::from_str::<One>($yaml).map(|o| o.value),
            &[$name $(, $alias)*][..],
        )
    }};
}

const YAML_HINT: &str = "front matter between `---` lines is YAML: `key: value`, one per line; quote values that contain `: `";

/// YAML front matter (`---` … `---`, or `...` as the closing line). Every
/// key with a wrong value is reported (a syntax error stops at itself);
/// the keys without problems are kept.
fn split_yaml<'a>(
    file: &std::path::Path,
    source: &'a str,
    rest: &'a str,
) -> Result<Split<'a>, (Diagnostic, usize)> {
    let open_len = source.len() - rest.len();
    let Some((yaml_end, body_start)) = closing_line(rest, &["---", "..."]) else {
        if starts_like_yaml(rest) {
            return Err((
                Diagnostic::at(file, source, 0, "front matter is not closed")
                    .with_hint("end the front matter with a line containing only `---`; a `---` meant as a horizontal rule needs a blank line after it"),
                source.len(),
            ));
        }
        // A thematic break at the top of a page that never closes is not
        // front matter: leave the page as Markdown.
        return Ok((FrontMatter::default(), source, 0, Vec::new()));
    };
    let yaml = &rest[..yaml_end];
    let body_offset = open_len + body_start;
    // Two thematic breaks around a paragraph are not front matter either:
    // front matter is a mapping, `key: value`.
    if !yaml.trim().is_empty() && !yaml.lines().any(|l| l.contains(':')) {
        return Ok((FrontMatter::default(), source, 0, Vec::new()));
    }
    // `---` twice and nothing else: two thematic breaks, not an empty
    // front matter that leaves nothing of the page.
    if yaml.trim().is_empty() && rest[body_start..].trim().is_empty() {
        return Ok((FrontMatter::default(), source, 0, Vec::new()));
    }
    if yaml.trim().is_empty() {
        return Ok((
            FrontMatter::default(),
            &source[body_offset..],
            body_offset,
            Vec::new(),
        ));
    }
    let error = |e: &serde_saphyr::Error, fallback: usize| {
        let (line, column) = yaml_error_position(e);
        let mut message = e.to_string();
        // The crate's message may carry a drawn snippet: keep line one.
        if let Some(first) = message.lines().next() {
            message = first.trim().to_string();
        }
        // … and without its own `error: line L column C:`, which counts
        // the lines of the YAML, not of the file (the diagnostic has those).
        if let Some(rest) = message.strip_prefix("error: line ") {
            if let Some((_, m)) = rest.split_once(": ") {
                message = m.to_string();
            }
        }
        let mut d = Diagnostic::at(
            file,
            source,
            fallback,
            format!("invalid front matter: {message}"),
        )
        .with_hint(YAML_HINT);
        if line > 0 && fallback == 0 {
            d.line = line + 1;
            d.column = column;
        }
        d
    };
    // The structure first: a syntax error is the one error.
    let keys: BTreeMap<String, serde::de::IgnoredAny> = match serde_saphyr::from_str(yaml) {
        Ok(k) => k,
        Err(e) => return Err((error(&e, 0), body_offset)),
    };
    // Where a key's value is written (the start of its line if the value
    // is on the next ones), for its error.
    let value_offset = |names: &[&str]| {
        let mut at = 0;
        for line in yaml.split_inclusive('\n') {
            for key in names {
                if let Some(r) = line.strip_prefix(key) {
                    if let Some(v) = r.trim_start().strip_prefix(':') {
                        let value = v.trim_start();
                        let offset = if value.trim_end().is_empty() {
                            0
                        } else {
                            line.len() - value.len()
                        };
                        return Some(open_len + at + offset);
                    }
                }
            }
            at += line.len();
        }
        None
    };
    let report = |e: &serde_saphyr::Error, names: &[&str]| match value_offset(names) {
        Some(at) => error(e, at),
        None => error(e, 0),
    };
    let mut problems = Vec::new();
    fn kept<T>(
        (value, names): (Result<Option<T>, serde_saphyr::Error>, &[&str]),
        report: &dyn Fn(&serde_saphyr::Error, &[&str]) -> Diagnostic,
        problems: &mut Vec<Diagnostic>,
    ) -> Option<T> {
        value.unwrap_or_else(|e| {
            problems.push(report(&e, names));
            None
        })
    }
    // kenshu's keys, under the names other tools give them too: Hugo's
    // `weight`, Docusaurus' `sidebar_position`, Just the Docs' `nav_order`;
    // Hugo's `summary`.
    let title = kept(yaml_key!(yaml, String, "title"), &report, &mut problems);
    let weight = kept(
        yaml_key!(yaml, i64, "weight", "sidebar_position", "nav_order"),
        &report,
        &mut problems,
    );
    let description = kept(
        yaml_key!(yaml, String, "description", "summary"),
        &report,
        &mut problems,
    );
    let slides = kept(yaml_key!(yaml, bool, "slides"), &report, &mut problems);
    // Training courses written for VuePress and others: shown as the
    // page's 想定時間・前提知識 header.
    let mut training = Vec::new();
    let rows = [
        ("学習目標", yaml_key!(yaml, Texts, "objectives")),
        ("想定時間", yaml_key!(yaml, Texts, "time")),
        ("前提知識", yaml_key!(yaml, Texts, "prior_knowledge")),
    ];
    for (label, value) in rows {
        if let Some(v) = kept(value, &report, &mut problems) {
            let v = v.into_vec();
            if !v.is_empty() {
                training.push((label.to_string(), v));
            }
        }
    }
    let hidden = kept(yaml_key!(yaml, bool, "hidden"), &report, &mut problems);
    let draft = kept(yaml_key!(yaml, bool, "draft"), &report, &mut problems);
    let class = kept(
        yaml_key!(yaml, String, "class", "pageClass"),
        &report,
        &mut problems,
    );
    const OWN: &[&str] = &[
        "title",
        "weight",
        "sidebar_position",
        "nav_order",
        "description",
        "summary",
        "slides",
        "hidden",
        "draft",
        "class",
        "pageClass",
        "objectives",
        "time",
        "prior_knowledge",
    ];
    let offsets = key_offsets(yaml, open_len);
    if let Some(c) = &class {
        let at = ["class", "pageClass"]
            .iter()
            .find_map(|k| offsets.get(*k).copied())
            .unwrap_or(open_len);
        problems.extend(class_problem(file, source, at, c));
    }
    let unknown = keys
        .keys()
        .filter(|k| !OTHER_TOOLS_KEYS.contains(&k.as_str()) && !OWN.contains(&k.as_str()))
        .map(|k| {
            (
                k.clone(),
                offsets.get(k.as_str()).copied().unwrap_or(open_len),
            )
        })
        .collect();
    Ok((
        FrontMatter {
            title,
            weight,
            description,
            slides,
            hidden,
            draft,
            class,
            training,
            unknown,
            warnings: Vec::new(),
        },
        &source[body_offset..],
        body_offset,
        problems,
    ))
}

/// Where each key is written in `yaml` (the start of the first line that
/// begins with `key:`), as offsets in the file: one pass, however many keys.
fn key_offsets(yaml: &str, open_len: usize) -> std::collections::HashMap<&str, usize> {
    let mut at = 0;
    let mut offsets = std::collections::HashMap::new();
    for line in yaml.split_inclusive('\n') {
        if let Some((key, _)) = line.split_once(':') {
            offsets.entry(key.trim_end()).or_insert(open_len + at);
        }
        at += line.len();
    }
    offsets
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
    fn class_names_the_body_classes_and_refuses_anything_else() {
        let (fm, _, _, e) = split(
            Path::new("a.md"),
            "+++\nclass = \"print-compact wide_2\"\n+++\n",
        );
        assert!(e.is_empty(), "{e:?}");
        assert_eq!(fm.class.as_deref(), Some("print-compact wide_2"));
        // VuePress writes it as `pageClass`.
        let (fm, _, _, e) = split(
            Path::new("a.md"),
            "---\ntitle: t\npageClass: custom\n---\nx\n",
        );
        assert!(e.is_empty(), "{e:?}");
        assert_eq!(fm.class.as_deref(), Some("custom"));
        // A value that could leave the attribute is an error at the key.
        let src = "+++\ntitle = \"t\"\nclass = 'a\" onload=\"x'\n+++\n";
        let e = split(Path::new("a.md"), src).3;
        assert_eq!(e.len(), 1, "{e:?}");
        assert_eq!((e[0].line, e[0].column), (3, 9), "{e:?}");
        assert!(e[0].message.contains("not a CSS class name"), "{e:?}");
        let e = split(Path::new("a.md"), "---\nclass: 2col\n---\nx\n").3;
        assert_eq!(e.len(), 1, "{e:?}");
        assert_eq!(e[0].line, 2, "{e:?}");
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

    /// Every key with a wrong value, each at its line (the first only
    /// before); the good keys are kept.
    #[test]
    fn every_yaml_error_is_reported() {
        let src = "---\ntitle: [a, b]\nweight: zwei\ndescription: 説明\nslides: vielleicht\nnav_order: x\n---\n本文\n";
        let (fm, body, _, e) = split(Path::new("a.md"), src);
        let at: Vec<(usize, usize)> = e.iter().map(|e| (e.line, e.column)).collect();
        // `weight` and its alias `nav_order` together are one error (both
        // set), at the first of them.
        assert_eq!(at, [(2, 8), (3, 9), (5, 9)], "{e:?}");
        assert!(e
            .iter()
            .all(|e| e.message.starts_with("invalid front matter")));
        assert_eq!(e[1].message, "invalid front matter: invalid i64");
        assert_eq!(fm.description.as_deref(), Some("説明"));
        assert_eq!(body, "本文\n");
        // A syntax error is one error, at its place.
        let e = split(Path::new("a.md"), "---\ntitle: a\n  b: [\n---\nx\n").3;
        assert_eq!(e.len(), 1, "{e:?}");
    }

    /// `---` then a `key:` line, never closed: an error at the opening line
    /// (the front matter used to become page text); a `---` followed by
    /// anything else stays a thematic break.
    #[test]
    fn unclosed_yaml() {
        let (_, body, _, e) = split(Path::new("a.md"), "---\ntitle: 題\n\n# 本文\n");
        assert_eq!(e.len(), 1, "{e:?}");
        assert_eq!((e[0].line, e[0].column), (1, 1));
        assert!(e[0].message.contains("front matter is not closed"), "{e:?}");
        assert!(e[0].hint.as_deref().unwrap_or("").contains("`---`"));
        assert_eq!(body, "");
        for markdown in ["---\n\ntitle: x\n", "---\n本文: です\n", "---\nhttp://x\n"] {
            let (_, body, _, e) = split(Path::new("a.md"), markdown);
            assert!(e.is_empty() && body == markdown, "{markdown:?}: {e:?}");
        }
    }

    /// CR-only line endings (classic Mac OS) in YAML and TOML front matter.
    #[test]
    fn cr_only_line_endings() {
        let src = "---\rtitle: 題\rweight: 2\r---\r# 本文\r";
        let (fm, body, off, e) = split(Path::new("a.md"), src);
        assert!(e.is_empty(), "{e:?}");
        assert_eq!((fm.title.as_deref(), fm.weight), (Some("題"), Some(2)));
        assert_eq!(body, "# 本文\r");
        assert_eq!(&src[off..], body);
        let src = "+++\rtitle = \"題\"\rweight = \"x\"\r+++\r本文\r";
        let (fm, body, _, e) = split(Path::new("a.md"), src);
        assert_eq!(fm.title.as_deref(), Some("題"));
        assert_eq!(body, "本文\r");
        // Errors are counted in the file's own lines.
        let at: Vec<(usize, usize)> = e.iter().map(|e| (e.line, e.column)).collect();
        assert_eq!(at, [(3, 10)], "{e:?}");
    }

    #[test]
    fn unclosed() {
        let e = split(Path::new("a.md"), "+++\ntitle = \"x\"\n").3.remove(0);
        assert!(e.message.contains("not closed"));
    }

    /// Unclosed `+++` is read as `---` is: with a key after it, an error at
    /// its line; without one (a page that is only `+++`), page text and a
    /// warning at its line, not an error that stops the build.
    #[test]
    fn unclosed_toml_without_keys_is_text_with_a_warning() {
        for src in ["+++\n", "+++\n本文です\n", "+++\n\ntitle = \"x\"\n"] {
            let (front, body, offset, errors) = split(Path::new("a.md"), src);
            assert!(errors.is_empty(), "{src:?}: {errors:?}");
            assert_eq!((body, offset), (src, 0), "{src:?}");
            let w = &front.warnings;
            assert_eq!(w.len(), 1, "{src:?}: {w:?}");
            assert_eq!((w[0].line, w[0].column), (1, 1));
            assert!(w[0].message.contains("never closed"), "{w:?}");
        }
        for src in ["+++\ntitle = \"x\"\n", "+++\n[extra]\n"] {
            let errors = split(Path::new("a.md"), src).3;
            assert_eq!(errors.len(), 1, "{src:?}: {errors:?}");
            assert_eq!((errors[0].line, errors[0].column), (1, 1));
        }
    }

    /// `---` twice and nothing else is two thematic breaks (CommonMark
    /// example 98), not an empty front matter that leaves an empty page;
    /// with a page after it, it is empty front matter (Jekyll's).
    #[test]
    fn two_rules_alone_are_markdown() {
        let (_, body, _, e) = split(Path::new("a.md"), "---\n---\n");
        assert!(e.is_empty(), "{e:?}");
        assert_eq!(body, "---\n---\n");
        let (_, body, _, e) = split(Path::new("a.md"), "---\n---\n# 題\n");
        assert!(e.is_empty(), "{e:?}");
        assert_eq!(body, "# 題\n");
    }
}
