//! mdBook's `{{#include}}` and `{{#rustdoc_include}}` in code blocks:
//! a file of the site folder, whole, by lines (`file.rs:3`, `:3:10`,
//! `:3:`, `::10`) or between `ANCHOR: name` and `ANCHOR_END: name`
//! comments (`file.rs:name`). Lines that carry anchor markers are never
//! shown. `rustdoc_include` keeps the rest of the file as hidden lines
//! (`# `), which the page does not show.

use std::ops::Range;
use std::path::{Path, PathBuf};

use crate::markdown::Include;

/// Which part of the file.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Part {
    Lines(Option<usize>, Option<usize>),
    Anchor(String),
}

fn parse_arg(arg: &str) -> (&str, Part) {
    let Some((path, sel)) = arg.split_once(':') else {
        return (arg, Part::Lines(None, None));
    };
    let num = |s: &str| s.trim().parse::<usize>().ok();
    let part = match sel.split_once(':') {
        Some((a, b)) => Part::Lines(num(a), num(b)),
        None => match num(sel) {
            Some(n) => Part::Lines(Some(n), Some(n)),
            None if sel.trim().is_empty() => Part::Lines(None, None),
            None => Part::Anchor(sel.trim().to_string()),
        },
    };
    (path, part)
}

fn is_anchor_line(line: &str) -> bool {
    line.contains("ANCHOR:") || line.contains("ANCHOR_END:")
}

/// The lines of `text`: (selected, 1-based line in the file, line) for
/// every line, anchor lines left out. Err when an anchor is missing.
fn select<'a>(text: &'a str, part: &Part) -> Result<Vec<(bool, usize, &'a str)>, String> {
    let lines: Vec<&str> = text.lines().collect();
    match part {
        Part::Lines(from, to) => {
            let from = from.unwrap_or(1).max(1);
            let to = to.unwrap_or(lines.len());
            Ok(lines
                .iter()
                .enumerate()
                .filter(|(_, l)| !is_anchor_line(l))
                .map(|(i, l)| (i + 1 >= from && i < to, i + 1, *l))
                .collect())
        }
        Part::Anchor(name) => {
            let start = format!("ANCHOR: {name}");
            let end = format!("ANCHOR_END: {name}");
            // The name ends where a word does (`record` is not `record_2`).
            let marker = |l: &str, m: &str| {
                l.find(m).is_some_and(|i| {
                    l[i + m.len()..]
                        .chars()
                        .next()
                        .is_none_or(|c| !(c.is_alphanumeric() || c == '_' || c == '-'))
                })
            };
            let mut inside = false;
            let mut seen = false;
            let mut out = Vec::new();
            for (i, l) in lines.iter().enumerate() {
                if marker(l, &start) {
                    inside = true;
                    seen = true;
                } else if marker(l, &end) {
                    inside = false;
                } else if !is_anchor_line(l) {
                    out.push((inside, i + 1, *l));
                }
            }
            if seen {
                Ok(out)
            } else {
                Err(format!("no `ANCHOR: {name}` line in the file"))
            }
        }
    }
}

/// The text that replaces an `{{#include}}`, with where each of its lines
/// comes from (for diagnostics inside it).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Included {
    pub text: String,
    /// The included file as diagnostics name it (relative to the site
    /// folder when inside it).
    pub file: PathBuf,
    /// For each line of `text`: its 1-based line in `file`, and the bytes
    /// written before it that the file does not have (`# ` of a hidden
    /// line).
    pub lines: Vec<(usize, usize)>,
}

impl Included {
    /// 1-based (line, column) in [`Included::file`] of byte `offset` of
    /// [`Included::text`]; the column counts characters.
    pub fn line_col(&self, offset: usize) -> (usize, usize) {
        let offset = offset.min(self.text.len());
        let before = &self.text[..offset];
        let k = before.matches('\n').count();
        let start = before.rfind('\n').map_or(0, |i| i + 1);
        let (line, added) = self.lines.get(k).copied().unwrap_or((1, 0));
        let from = (start + added).min(offset);
        let column = self.text.get(from..offset).map_or(0, |t| t.chars().count()) + 1;
        (line, column)
    }
}

/// Where the bytes of a body with its `{{#include}}`s expanded come from:
/// the page's body, or a line of an included file.
#[derive(Debug, Default)]
pub struct SourceMap {
    /// Each expanded include: its place in the expanded text, where its
    /// directive is written in the body, what replaces it. In order.
    pieces: Vec<(Range<usize>, Range<usize>, Included)>,
}

/// Where a byte of an expanded body comes from.
pub enum Origin<'a> {
    /// The page's body, at this offset.
    Body(usize),
    /// An included file: the piece replacing the directive written at
    /// `directive` in the body, and the offset in its text.
    Included {
        directive: usize,
        included: &'a Included,
        offset: usize,
    },
}

impl SourceMap {
    /// `body` with each `(range, included)` of `includes` (in order, not
    /// overlapping) replaced, and the map of that text.
    pub fn expand(body: &str, includes: Vec<(Range<usize>, Included)>) -> (String, SourceMap) {
        let extra: usize = includes.iter().map(|(_, i)| i.text.len()).sum();
        let mut out = String::with_capacity(body.len() + extra);
        let mut pieces = Vec::with_capacity(includes.len());
        let mut at = 0;
        for (range, included) in includes {
            if range.start < at || range.end > body.len() {
                continue;
            }
            out.push_str(&body[at..range.start]);
            let start = out.len();
            out.push_str(&included.text);
            pieces.push((start..out.len(), range.clone(), included));
            at = range.end;
        }
        out.push_str(&body[at..]);
        (out, SourceMap { pieces })
    }

    /// Where each include is in the expanded text.
    pub fn spans(&self) -> Vec<Range<usize>> {
        self.pieces
            .iter()
            .map(|(span, _, _)| span.clone())
            .collect()
    }

    /// The includes as [`crate::model::Page::includes`] holds them.
    pub fn into_includes(self) -> Vec<(Range<usize>, String)> {
        self.pieces
            .into_iter()
            .map(|(_, range, included)| (range, included.text))
            .collect()
    }

    /// Where byte `offset` of the expanded text comes from.
    pub fn origin(&self, offset: usize) -> Origin<'_> {
        let i = self
            .pieces
            .partition_point(|(span, _, _)| span.end <= offset);
        // Bytes before piece i: the body, shifted by the pieces before it.
        let shift = |i: usize| -> isize {
            self.pieces[..i]
                .iter()
                .map(|(span, range, _)| range.len() as isize - span.len() as isize)
                .sum()
        };
        match self.pieces.get(i) {
            Some((span, range, included)) if span.start <= offset && !span.is_empty() => {
                Origin::Included {
                    directive: range.start,
                    included,
                    offset: offset - span.start,
                }
            }
            _ => Origin::Body(offset.saturating_add_signed(shift(i))),
        }
    }

    /// The body offset of byte `offset` of the expanded text (for a byte of
    /// an included file: where its directive is written).
    pub fn body_offset(&self, offset: usize) -> usize {
        match self.origin(offset) {
            Origin::Body(b) => b,
            Origin::Included { directive, .. } => directive,
        }
    }

    /// Where the body offset `offset` (outside every include) is in the
    /// expanded text.
    pub fn expanded_offset(&self, offset: usize) -> usize {
        let before = self
            .pieces
            .partition_point(|(_, range, _)| range.end <= offset);
        self.pieces[..before]
            .iter()
            .fold(offset, |o, (span, range, _)| {
                (o + span.len()).saturating_sub(range.len())
            })
    }
}

/// The text that replaces `inc` on a page whose file is `page_file` (a
/// path under `site_dir`). Err: (message, hint).
pub fn expand(
    site_dir: &Path,
    page_file: &Path,
    inc: &Include,
) -> Result<Included, (String, String)> {
    let (path, part) = parse_arg(&inc.arg);
    let dir = page_file.parent().unwrap_or(Path::new(""));
    let file = site_dir.join(dir).join(path);
    let bases = crate::walk::bases(site_dir);
    let real = file.canonicalize().map_err(|_| {
        (
            format!("included file not found: `{path}`"),
            format!(
                "the path is relative to this page's folder ({}); check the spelling",
                dir.display()
            ),
        )
    })?;
    match crate::walk::refusal(&real, &bases) {
        None => {}
        Some(crate::walk::Refusal::Outside) => {
            return Err((
                format!("`{path}` is outside the site folder"),
                "include only files inside the site folder (copy the file in, e.g. to listings/)"
                    .into(),
            ))
        }
        Some(r) => {
            return Err((
                format!("`{path}` is {}", r.describe(&bases[0])),
                "include only visible files of the site's sources (copy the part to show into a file such as listings/example.rs)".into(),
            ))
        }
    }
    let bytes = crate::walk::read_file(&real).map_err(|e| {
        (
            format!("cannot read included file `{path}`: {e}"),
            crate::walk::read_hint(&e).into(),
        )
    })?;
    let text = String::from_utf8(bytes).map_err(|_| {
        (
            format!("included file `{path}` is not valid UTF-8"),
            "include a UTF-8 text file".into(),
        )
    })?;
    let lines = select(&text, &part).map_err(|m| {
        (
            format!("`{{{{#include {}}}}}`: {m}", inc.arg),
            "mark the part with `// ANCHOR: name` and `// ANCHOR_END: name` lines".into(),
        )
    })?;
    let mut out = String::new();
    let mut origins = Vec::new();
    for (selected, at, line) in lines {
        if selected {
            origins.push((at, 0));
            out.push_str(line);
            out.push('\n');
        } else if inc.rustdoc {
            if line.trim().is_empty() {
                origins.push((at, 1));
                out.push_str("#\n");
            } else {
                origins.push((at, 2));
                out.push_str("# ");
                out.push_str(line);
                out.push('\n');
            }
        }
    }
    // The directive usually sits on a line of its own; its line break
    // follows it in the page.
    if out.ends_with('\n') {
        out.pop();
    }
    let file = bases
        .first()
        .and_then(|b| real.strip_prefix(b).ok())
        .map_or_else(
            || crate::diagnostic::display_path(site_dir, &file),
            Path::to_path_buf,
        );
    Ok(Included {
        text: out,
        file,
        lines: origins,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn arguments() {
        assert_eq!(parse_arg("a.rs"), ("a.rs", Part::Lines(None, None)));
        assert_eq!(parse_arg("a.rs:2"), ("a.rs", Part::Lines(Some(2), Some(2))));
        assert_eq!(parse_arg("a.rs::10"), ("a.rs", Part::Lines(None, Some(10))));
        assert_eq!(parse_arg("a.rs:2:"), ("a.rs", Part::Lines(Some(2), None)));
        assert_eq!(
            parse_arg("a.rs:main"),
            ("a.rs", Part::Anchor("main".into()))
        );
    }

    /// Offsets of an expanded body map back to the body, or to the line
    /// and column of the included file (a hidden line's `# ` is not the
    /// file's).
    #[test]
    fn source_map() {
        let included = Included {
            text: "# use x;\nfn main() {}".into(),
            file: "src/a.rs".into(),
            lines: vec![(1, 2), (3, 0)],
        };
        let body = "```\n{{#include a}}\n```\nx";
        let range = 4..18;
        assert_eq!(&body[range.clone()], "{{#include a}}");
        let (text, map) = SourceMap::expand(body, vec![(range, included)]);
        assert_eq!(text, "```\n# use x;\nfn main() {}\n```\nx");
        assert!(matches!(map.origin(2), Origin::Body(2)));
        let at = |o: usize| match map.origin(o) {
            Origin::Included {
                included,
                offset,
                directive,
            } => Some((directive, included.line_col(offset))),
            Origin::Body(_) => None,
        };
        assert_eq!(at(text.find("use").unwrap()), Some((4, (1, 1))));
        assert_eq!(at(text.find("main").unwrap()), Some((4, (3, 4))));
        let x = text.rfind('x').unwrap();
        assert!(matches!(map.origin(x), Origin::Body(b) if &body[b..] == "x"));
        assert_eq!(map.expanded_offset(body.len() - 1), x);
        assert_eq!(map.body_offset(text.find("main").unwrap()), 4);
    }

    #[test]
    fn selections() {
        let text = "use x;\n// ANCHOR: main\nfn main() {}\n// ANCHOR_END: main\nfn other() {}\n";
        let shown = |part: Part| -> Vec<&str> {
            select(text, &part)
                .unwrap()
                .into_iter()
                .filter(|(s, _, _)| *s)
                .map(|(_, _, l)| l)
                .collect()
        };
        assert_eq!(shown(Part::Anchor("main".into())), ["fn main() {}"]);
        assert_eq!(shown(Part::Lines(Some(1), Some(1))), ["use x;"]);
        assert_eq!(
            shown(Part::Lines(None, None)),
            ["use x;", "fn main() {}", "fn other() {}"]
        );
        assert!(select(text, &Part::Anchor("nope".into())).is_err());
    }
}
