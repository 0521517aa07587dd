//! mdBook's `{{#include}}` and `{{#rustdoc_include}}` in code blocks:
//! a file of the site folder, whole, by lines (`file.rs:3`, `:3:10`,
//! `:3:`, `::10`) or between `ANCHOR: name` and `ANCHOR_END: name`
//! comments (`file.rs:name`). Lines that carry anchor markers are never
//! shown. `rustdoc_include` keeps the rest of the file as hidden lines
//! (`# `), which the page does not show.

use std::path::Path;

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

/// The lines selected from `text`: (selected, index in the file) pairs for
/// every line, anchor lines left out. Err when an anchor is missing.
fn select<'a>(text: &'a str, part: &Part) -> Result<Vec<(bool, &'a str)>, String> {
    let lines: Vec<&str> = text.lines().collect();
    match part {
        Part::Lines(from, to) => {
            let from = from.unwrap_or(1).max(1);
            let to = to.unwrap_or(lines.len());
            Ok(lines
                .iter()
                .enumerate()
                .filter(|(_, l)| !is_anchor_line(l))
                .map(|(i, l)| (i + 1 >= from && i < to, *l))
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
            for l in &lines {
                if marker(l, &start) {
                    inside = true;
                    seen = true;
                } else if marker(l, &end) {
                    inside = false;
                } else if !is_anchor_line(l) {
                    out.push((inside, *l));
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

/// The text that replaces `inc` on a page whose file is `page_file` (a
/// path under `site_dir`). Err: (message, hint).
pub fn expand(
    site_dir: &Path,
    page_file: &Path,
    inc: &Include,
) -> Result<String, (String, String)> {
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
    for (selected, line) in lines {
        if selected {
            out.push_str(line);
            out.push('\n');
        } else if inc.rustdoc {
            if line.trim().is_empty() {
                out.push_str("#\n");
            } else {
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
    Ok(out)
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

    #[test]
    fn selections() {
        let text = "use x;\n// ANCHOR: main\nfn main() {}\n// ANCHOR_END: main\nfn other() {}\n";
        let shown = |part: Part| -> Vec<&str> {
            select(text, &part)
                .unwrap()
                .into_iter()
                .filter(|(s, _)| *s)
                .map(|(_, l)| l)
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
