//! Exercise files (`*.toml` in `content/`) and the exercise directives.
//! Parsing and validation use the shared `kenshu-exercises` model, so the
//! generator rejects exactly what the browser could not run.
//!
//! Directives:
//! - `{{#exercise ID}}`: embeds the exercise with that id;
//! - `{{#exercise-progress}}`: the 学習の記録 (every exercise with the
//!   learner's state, best score, CSV/JSON download, clear);
//! - `{{#exercise-list}}`: a static list of every exercise with a link to
//!   its page;
//! - `{{#exercise-key}}`: the answer key of every exercise (a printable
//!   sheet for lecturers), from the model's solutions;
//! - `{{#exercise-review}}`: the 復習 page (a round of the items the
//!   learner got wrong or was unsure of, across the course);
//! - `{{#exercise-review-due}}`: how many of them are due, linking to it.

use std::collections::BTreeMap;
use std::path::PathBuf;

use kenshu_exercises::parse::{self as xparse, SpanError};
use kenshu_exercises::Seg;

use crate::diagnostic::{Diagnostic, LineIndex};
use crate::markdown::Directive;
pub use crate::model::{ExerciseEntry, ExerciseSet};
use crate::model::{EXERCISE, KEY, LIST, PROGRESS, REPORT, REVIEW, REVIEW_DUE};

/// A source file handed to the exercise loader.
#[derive(Debug, Clone)]
pub struct SourceFile {
    /// Path shown in messages (relative to the site).
    pub display: std::path::PathBuf,
    /// Path relative to `content/`, `/`-separated.
    pub rel: String,
    pub text: String,
}

/// Whether a `.toml` file of content/ (`rel`, `/`-separated) is an
/// exercise: it lies in a folder named `exercises` or has a top-level
/// `kind` key. Any other TOML (a `pyproject.toml`, a `book.toml` copy, a
/// tool's settings) is an ordinary file, published as it is.
pub fn is_exercise_file(rel: &str, text: &str) -> bool {
    if rel.split('/').rev().skip(1).any(|dir| dir == "exercises") {
        return true;
    }
    match toml::from_str::<toml::Table>(text) {
        Ok(table) => table.contains_key("kind"),
        // A file with a syntax error is an exercise when it says so, so
        // that its error is reported rather than the file published.
        Err(_) => text.lines().any(|l| {
            l.trim_start()
                .strip_prefix("kind")
                .is_some_and(|r| r.trim_start().starts_with('='))
        }),
    }
}

/// `e` as a diagnostic; `lines` indexes `file.text` (one index for all of
/// a file's errors: a scan of the file per error was quadratic).
fn diag(file: &SourceFile, lines: &LineIndex<'_>, e: SpanError) -> Diagnostic {
    let d = lines.at(&file.display, e.span.start, e.message);
    if e.hint.is_empty() {
        d
    } else {
        d.with_hint(e.hint)
    }
}

impl ExerciseSet {
    /// Loads and validates every exercise file.
    pub fn load(files: &[SourceFile]) -> (ExerciseSet, Vec<Diagnostic>) {
        let mut set = ExerciseSet::default();
        let mut errors = Vec::new();
        // Ids seen so far, also of files with other problems, so that one
        // problem does not hide a duplicate id.
        let mut seen: BTreeMap<String, PathBuf> = BTreeMap::new();
        for file in files {
            let parsed = xparse::parse(&file.text);
            let id = match &parsed {
                Ok(ex) => Some(ex.id().to_string()),
                Err(_) => toml::from_str::<toml::Table>(&file.text)
                    .ok()
                    .and_then(|t| t.get("id")?.as_str().map(str::to_string)),
            };
            let duplicate = match &id {
                Some(id) => match seen.get(id) {
                    Some(first) => {
                        let span = xparse::span_of(&file.text, &[Seg::Key("id")]);
                        errors.push(diag(
                            file,
                            &LineIndex::new(&file.text),
                            SpanError {
                                span,
                                message: format!(
                                    "duplicate exercise id `{id}` (also defined in {})",
                                    first.display()
                                ),
                                hint: "every exercise needs its own id".into(),
                            },
                        ));
                        true
                    }
                    None => {
                        seen.insert(id.clone(), file.display.clone());
                        false
                    }
                },
                None => false,
            };
            let exercise = match parsed {
                Ok(ex) => ex,
                Err(es) => {
                    let lines = LineIndex::new(&file.text);
                    errors.extend(es.into_iter().map(|e| diag(file, &lines, e)));
                    continue;
                }
            };
            if duplicate {
                continue;
            }
            let id = exercise.id().to_string();
            let json = match serde_json::to_string(&exercise) {
                Ok(j) => j,
                Err(e) => {
                    errors.push(Diagnostic::file(&file.display, e.to_string()));
                    continue;
                }
            };
            let hash = kenshu_exercises::content_hash(json.as_bytes());
            set.by_id.insert(
                id,
                ExerciseEntry {
                    exercise,
                    json,
                    hash,
                    source: file.display.clone(),
                },
            );
        }
        (set, errors)
    }

    pub fn get(&self, id: &str) -> Option<&ExerciseEntry> {
        self.by_id.get(id)
    }

    /// Checks a directive; returns (message, hint) when it is wrong.
    pub fn check_directive(&self, d: &Directive) -> Option<(String, String)> {
        match d.name.as_str() {
            EXERCISE if d.arg.is_empty() => Some((
                "`{{#exercise}}` needs an exercise id".into(),
                "write `{{#exercise ID}}` with the `id` of an exercise file".into(),
            )),
            EXERCISE if self.get(&d.arg).is_none() => {
                let known: Vec<&str> = self.by_id.keys().map(String::as_str).collect();
                Some((
                    format!("exercise `{}` is not defined", d.arg),
                    if known.is_empty() {
                        "define it in a .toml file under content/ (see README, Exercises)".into()
                    } else {
                        format!(
                            "define it in a .toml file under content/; known ids: {}",
                            known.join(", ")
                        )
                    },
                ))
            }
            EXERCISE => None,
            PROGRESS | LIST | KEY | REPORT | REVIEW | REVIEW_DUE if !d.arg.is_empty() => Some((
                format!("`{{{{#{}}}}}` takes no argument", d.name),
                format!("write `{{{{#{}}}}}` alone", d.name),
            )),
            PROGRESS | LIST | KEY | REPORT | REVIEW | REVIEW_DUE => None,
            _ => Some((
                format!("unknown directive `{{{{#{} {}}}}}`", d.name, d.arg),
                "write `{{#exercise ID}}`, `{{#exercise-progress}}`, `{{#exercise-list}}`, `{{#exercise-key}}`, `{{#exercise-review}}` or `{{#exercise-review-due}}`"
                    .to_string(),
            )),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn file(name: &str, text: &str) -> SourceFile {
        SourceFile {
            display: PathBuf::from(format!("content/exercises/{name}")),
            rel: format!("exercises/{name}"),
            text: text.to_string(),
        }
    }

    const CLASSIFY: &str = include_str!("../../../content/exercises/case01-classify.toml");

    #[test]
    fn loads_and_hashes() {
        let (set, errors) = ExerciseSet::load(&[file("a.toml", CLASSIFY)]);
        assert!(errors.is_empty(), "{errors:?}");
        let e = set.get("case01-classify").map(|e| e.hash.len());
        assert_eq!(e, Some(16));
    }

    #[test]
    fn errors_carry_file_line_and_column() {
        let bad = CLASSIFY.replacen("answer = \"direct\"", "answer = \"dir\"", 1);
        let (_, errors) = ExerciseSet::load(&[file("bad.toml", &bad)]);
        assert_eq!(errors.len(), 1, "{errors:?}");
        let line = bad[..bad.find("\"dir\"").unwrap_or(0)]
            .matches('\n')
            .count()
            + 1;
        let e = &errors[0];
        assert_eq!(e.file, PathBuf::from("content/exercises/bad.toml"));
        assert_eq!((e.line, e.column), (line, 10));
        assert!(e.message.contains("names no category"));
    }

    /// A schema error (`mode = "sideways"`) and the semantic errors of the
    /// same file, all in one run, each at its line (1 of 3 before).
    #[test]
    fn schema_and_semantic_errors_of_one_file_in_one_run() {
        let src = "id = \"t\"\nkind = \"table\"\ntitle = \"表\"\n\
                   [[statements]]\nid = \"s1\"\ntext = \"\"\n\
                   [[rows]]\nid = \"r\"\nname = \"行\"\n\
                   [[rows.cells]]\nid = \"c1\"\npoint = \"点\"\nmode = \"sideways\"\n\
                   [[rows.cells]]\nid = \"c1\"\npoint = \"点\"\nmode = \"chosen\"\nanswer = \"s1\"\n";
        let (_, errors) = ExerciseSet::load(&[file("t.toml", src)]);
        let at: Vec<(usize, usize)> = errors.iter().map(|e| (e.line, e.column)).collect();
        assert_eq!(at, [(6, 8), (13, 8), (15, 6)], "{errors:?}");
        assert!(errors[0].message.contains("statement text is empty"));
        assert!(errors[1]
            .message
            .contains("`mode` in [[cells]] 1 must be one of"));
        assert!(errors[2].message.contains("duplicate cell id `c1`"));
    }

    #[test]
    fn duplicate_ids_across_files() {
        let (set, errors) =
            ExerciseSet::load(&[file("a.toml", CLASSIFY), file("b.toml", CLASSIFY)]);
        assert_eq!(set.by_id.len(), 1);
        assert_eq!(errors.len(), 1);
        let line = CLASSIFY[..CLASSIFY.find("\nid = ").unwrap_or(0) + 1]
            .matches('\n')
            .count()
            + 1;
        assert_eq!(errors[0].file, PathBuf::from("content/exercises/b.toml"));
        assert_eq!(errors[0].line, line);
        assert!(errors[0].message.contains("duplicate exercise id"));
    }

    #[test]
    fn a_bad_file_does_not_hide_a_duplicate_id() {
        let weird = CLASSIFY.replacen("kind = \"classify\"", "kind = \"weird\"", 1);
        let (_, errors) = ExerciseSet::load(&[file("a.toml", CLASSIFY), file("b.toml", &weird)]);
        assert_eq!(errors.len(), 2, "{errors:?}");
        assert!(errors
            .iter()
            .any(|e| e.message.contains("duplicate exercise id")));
        assert!(errors
            .iter()
            .any(|e| e.message.contains("unknown exercise kind")));
    }

    #[test]
    fn directives() {
        let (set, _) = ExerciseSet::load(&[file("a.toml", CLASSIFY)]);
        let d = |name: &str, arg: &str| Directive {
            name: name.into(),
            arg: arg.into(),
            offset: 0,
        };
        assert_eq!(set.check_directive(&d("exercise", "case01-classify")), None);
        let undefined = set.check_directive(&d("exercise", "case09-classify"));
        assert!(undefined.is_some_and(|(m, _)| m.contains("not defined")));
        assert_eq!(set.check_directive(&d("exercise-progress", "")), None);
        assert_eq!(set.check_directive(&d("exercise-list", "")), None);
        assert_eq!(set.check_directive(&d("exercise-key", "")), None);
        assert!(set.check_directive(&d("exercise-list", "x")).is_some());
        assert!(set.check_directive(&d("quiz", "x")).is_some());
    }
}
