//! Parsing exercise files (TOML) with byte spans for every error (feature
//! `toml`, used by the generator only, so the WASM bundle carries no TOML
//! parser).

use crate::{Choice, Classify, Exercise, Problem, Seg, Table, Worksheet};
use std::ops::Range;
use toml_edit::{ImDocument, Item};

/// An error in an exercise file: a byte range of the source, a message and
/// a hint for the author.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SpanError {
    pub span: Range<usize>,
    pub message: String,
    pub hint: String,
}

/// 1-based line and column (in characters) of a byte offset.
pub fn line_col(src: &str, offset: usize) -> (usize, usize) {
    let offset = offset.min(src.len());
    let before = src.get(..offset).unwrap_or(src);
    let line = before.matches('\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    let col = before.get(line_start..).map_or(0, |s| s.chars().count()) + 1;
    (line, col)
}

const KINDS_HINT: &str =
    "kind = \"classify\", \"table\", \"worksheet\" or \"choice\" (see README, Exercises)";

fn err(span: Range<usize>, message: impl Into<String>, hint: impl Into<String>) -> SpanError {
    SpanError {
        span,
        message: message.into(),
        hint: hint.into(),
    }
}

fn from_toml(e: toml::de::Error) -> SpanError {
    let message = e.message().trim().to_string();
    let hint = if message.starts_with("unknown field") {
        "remove the key or fix its spelling (see the comment header of content/exercises/case01-*.toml)"
    } else if message.starts_with("missing field") {
        "add the key to this table"
    } else {
        ""
    };
    err(e.span().unwrap_or(0..0), message, hint)
}

/// The span of the deepest existing node along `path`.
pub fn span_of_path(doc: &ImDocument<&str>, path: &[Seg]) -> Range<usize> {
    let mut item: &Item = doc.as_item();
    let mut best = 0..0;
    for seg in path {
        let next = match seg {
            Seg::Key(k) => item.get(*k),
            Seg::Index(i) => item.get(*i),
        };
        let Some(next) = next else { break };
        item = next;
        if let Some(s) = next.span() {
            best = s;
        }
    }
    best
}

/// The span of `path` in `src` (the start of the file if it does not parse).
pub fn span_of(src: &str, path: &[Seg]) -> Range<usize> {
    ImDocument::parse(src)
        .map(|d| span_of_path(&d, path))
        .unwrap_or(0..0)
}

/// Parse and validate one exercise file. On error, every problem found:
/// a TOML syntax error stops at the first one; unknown keys, wrong types
/// and missing keys are all listed (see `schema`), then semantic problems.
pub fn parse(src: &str) -> Result<Exercise, Vec<SpanError>> {
    let doc = ImDocument::parse(src).map_err(|e| {
        vec![err(
            e.span().unwrap_or(0..0),
            e.message().trim().to_string(),
            "",
        )]
    })?;
    let kind = match doc.get("kind") {
        None => return Err(vec![err(0..0, "missing key `kind`", KINDS_HINT)]),
        Some(item) => match item.as_str() {
            Some(k) => k.to_string(),
            None => {
                return Err(vec![err(
                    item.span().unwrap_or(0..0),
                    "`kind` must be a string",
                    KINDS_HINT,
                )])
            }
        },
    };
    // Every unknown key, wrong type and missing key of the file at once.
    if let Some(keys) = crate::schema::of_kind(&kind) {
        let problems = crate::schema::check(&doc, keys);
        if !problems.is_empty() {
            return Err(problems);
        }
    }
    let ex = match kind.as_str() {
        "classify" => {
            Exercise::Classify(toml::from_str::<Classify>(src).map_err(|e| vec![from_toml(e)])?)
        }
        "table" => Exercise::Table(toml::from_str::<Table>(src).map_err(|e| vec![from_toml(e)])?),
        "worksheet" => {
            Exercise::Worksheet(toml::from_str::<Worksheet>(src).map_err(|e| vec![from_toml(e)])?)
        }
        "choice" => {
            Exercise::Choice(toml::from_str::<Choice>(src).map_err(|e| vec![from_toml(e)])?)
        }
        other => {
            let span = doc.get("kind").and_then(|i| i.span()).unwrap_or(0..0);
            return Err(vec![err(
                span,
                format!("unknown exercise kind `{other}`"),
                KINDS_HINT,
            )]);
        }
    };
    let problems: Vec<Problem> = ex.validate();
    if problems.is_empty() {
        Ok(ex)
    } else {
        Err(problems
            .into_iter()
            .map(|p| err(span_of_path(&doc, &p.path), p.message, p.hint))
            .collect())
    }
}
