//! Checks a flat TOML table against the keys it may have, reporting every
//! unknown key and every value of the wrong type in one run, each at its
//! position — serde alone stops at the first.

use std::collections::BTreeMap;
use std::ops::Range;
use std::path::Path;

use crate::diagnostic::{Diagnostic, LineIndex};

/// The type a key's value must have.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Str,
    Int,
    Bool,
    /// A table (`[links]`), checked by its reader.
    Table,
}

impl Kind {
    fn name(self) -> &'static str {
        match self {
            Kind::Str => "a string in quotes, such as \"…\"",
            Kind::Int => "a whole number, such as 2",
            Kind::Bool => "true or false",
            Kind::Table => "a table such as `[links]`",
        }
    }

    fn accepts(self, v: &toml::Value) -> bool {
        matches!(
            (self, v),
            (Kind::Str, toml::Value::String(_))
                | (Kind::Int, toml::Value::Integer(_))
                | (Kind::Bool, toml::Value::Boolean(_))
                | (Kind::Table, toml::Value::Table(_))
        )
    }
}

fn type_name(v: &toml::Value) -> &'static str {
    match v {
        toml::Value::String(_) => "a string",
        toml::Value::Integer(_) => "a number",
        toml::Value::Float(_) => "a decimal number",
        toml::Value::Boolean(_) => "true/false",
        toml::Value::Datetime(_) => "a date",
        toml::Value::Array(_) => "a list",
        toml::Value::Table(_) => "a table",
    }
}

/// The keys that passed, with their values and the byte range of each
/// value in the whole file.
pub type Checked = BTreeMap<String, (toml::Value, Range<usize>)>;

/// Parses `toml_src` (found at byte `base` of `source`, the whole file
/// `file`) as a table with the keys `fields`. Every problem goes to
/// `errors`; the keys without problems are returned.
pub fn check(
    file: &Path,
    source: &str,
    base: usize,
    toml_src: &str,
    fields: &[(&str, Kind)],
    what: &str,
    errors: &mut Vec<Diagnostic>,
) -> Checked {
    type Table = BTreeMap<toml::Spanned<String>, toml::Spanned<toml::Value>>;
    let table: Table = match toml::from_str(toml_src) {
        Ok(t) => t,
        Err(e) => {
            let offset = base + e.span().map_or(0, |s| s.start);
            errors.push(
                Diagnostic::at(
                    file,
                    source,
                    offset,
                    format!("invalid {what}: {}", e.message().trim()),
                )
                .with_hint("this is TOML: one `key = value` per line, text in \"quotes\""),
            );
            return Checked::new();
        }
    };
    let allowed = fields
        .iter()
        .map(|(k, _)| *k)
        .collect::<Vec<_>>()
        .join(", ");
    let mut ok = Checked::new();
    let lines = LineIndex::new(source);
    let mut entries: Vec<_> = table.into_iter().collect();
    entries.sort_by_key(|(k, _)| k.span().start);
    for (key, value) in entries {
        let key_span = key.span();
        let value_span = value.span();
        let (key, value) = (key.into_inner(), value.into_inner());
        match fields.iter().find(|(k, _)| *k == key) {
            None => errors.push(
                lines
                    .at(
                        file,
                        base + key_span.start,
                        format!("unknown key `{key}` in {what}"),
                    )
                    .with_hint(format!("allowed keys: {allowed}")),
            ),
            Some((_, kind)) if !kind.accepts(&value) => errors.push(
                lines
                    .at(
                        file,
                        base + value_span.start,
                        format!("`{key}` must be {}, not {}", kind.name(), type_name(&value)),
                    )
                    .with_hint(format!("write e.g. `{key} = {}`", example(*kind))),
            ),
            Some(_) => {
                ok.insert(key, (value, base + value_span.start..base + value_span.end));
            }
        }
    }
    ok
}

fn example(kind: Kind) -> &'static str {
    match kind {
        Kind::Str => "\"…\"",
        Kind::Int => "2",
        Kind::Bool => "true",
        Kind::Table => "{ … }",
    }
}

/// The string value of `key`, if it passed.
pub fn string(checked: &Checked, key: &str) -> Option<String> {
    match checked.get(key) {
        Some((toml::Value::String(s), _)) => Some(s.clone()),
        _ => None,
    }
}

pub fn int(checked: &Checked, key: &str) -> Option<i64> {
    match checked.get(key) {
        Some((toml::Value::Integer(i), _)) => Some(*i),
        _ => None,
    }
}

pub fn boolean(checked: &Checked, key: &str) -> Option<bool> {
    match checked.get(key) {
        Some((toml::Value::Boolean(b), _)) => Some(*b),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_problem_in_one_run() {
        let src = "title = 5\nweight = \"heavy\"\nslides = \"yes\"\ntitel = \"x\"\ndescription = \"ok\"\n";
        let mut errors = Vec::new();
        let ok = check(
            Path::new("a.md"),
            src,
            0,
            src,
            &[
                ("title", Kind::Str),
                ("weight", Kind::Int),
                ("description", Kind::Str),
                ("slides", Kind::Bool),
            ],
            "front matter",
            &mut errors,
        );
        let at: Vec<_> = errors.iter().map(|e| (e.line, e.column)).collect();
        assert_eq!(at, [(1, 9), (2, 10), (3, 10), (4, 1)], "{errors:?}");
        assert_eq!(string(&ok, "description").as_deref(), Some("ok"));
        assert_eq!(ok.len(), 1);
    }
}
