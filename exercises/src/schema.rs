//! The keys and value types of exercise files, checked before serde so that
//! one run reports *every* unknown key, wrong type and missing key of a file,
//! each at its position (serde stops at the first).
//!
//! The tables here mirror the serde types in `lib.rs`; the test
//! `schema_matches_the_types` serialises a complete example of every kind
//! and checks that the schema accepts exactly its keys, so the two cannot
//! drift apart unnoticed.

use std::ops::Range;
use toml_edit::{ImDocument, Item, TableLike, Value};

/// An error in an exercise file: a byte range of the source, a message and
/// a hint for the author.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SpanError {
    pub span: Range<usize>,
    pub message: String,
    pub hint: String,
}

/// What a key's value must be.
#[derive(Clone, Copy)]
pub enum Ty {
    Str,
    Bool,
    /// One of these strings.
    OneOf(&'static [&'static str]),
    /// A list of strings.
    StrList,
    /// A table of strings (`why_not`).
    StrMap,
    /// An array of tables (`[[items]]`), each with these keys.
    Tables(&'static [Key]),
}

/// One key: name, type, required.
pub type Key = (&'static str, Ty, bool);

const SOURCE: Ty = Ty::OneOf(&["authors", "lecture"]);
const CHECK: Ty = Ty::OneOf(&["pre", "post"]);
const KIND: Ty = Ty::OneOf(&["classify", "table", "worksheet", "choice"]);

const CATEGORY: &[Key] = &[
    ("id", Ty::Str, true),
    ("name", Ty::Str, true),
    ("description", Ty::Str, false),
    ("mistake", Ty::Str, false),
];
const ITEM: &[Key] = &[
    ("id", Ty::Str, true),
    ("text", Ty::Str, true),
    ("answer", Ty::Str, true),
    ("explanation", Ty::Str, true),
    ("note", Ty::Str, false),
    ("source", SOURCE, false),
    ("why_not", Ty::StrMap, false),
];
/// The keys every kind of exercise starts with, then `$key`s.
macro_rules! exercise_keys {
    ($($key:expr),* $(,)?) => {
        &[
            ("id", Ty::Str, true),
            ("kind", KIND, true),
            ("title", Ty::Str, true),
            ("instructions", Ty::Str, false),
            $($key),*
        ]
    };
}
/// The keys of a kind that is scored (answers checked, optionally shuffled,
/// a pre/post check), then `$key`s.
macro_rules! scored_keys {
    ($($key:expr),* $(,)?) => {
        exercise_keys![
            ("explanation_source", SOURCE, false),
            ("shuffle", Ty::Bool, false),
            ("check", CHECK, false),
            $($key),*
        ]
    };
}
/// The keys of a `[[rows]]` table whose cells have the keys `$cell`.
macro_rules! row_keys {
    ($cell:expr) => {
        &[
            ("id", Ty::Str, true),
            ("name", Ty::Str, true),
            ("hint", Ty::Str, false),
            ("cells", Ty::Tables($cell), true),
        ]
    };
}

const CLASSIFY: &[Key] = scored_keys![
    ("categories", Ty::Tables(CATEGORY), true),
    ("items", Ty::Tables(ITEM), true),
];
const STATEMENT: &[Key] = &[
    ("id", Ty::Str, true),
    ("text", Ty::Str, true),
    ("feedback", Ty::Str, false),
];
const CELL: &[Key] = &[
    ("id", Ty::Str, true),
    ("point", Ty::Str, true),
    ("mode", Ty::OneOf(&["chosen", "free"]), true),
    ("answer", Ty::Str, false),
    ("model", Ty::Str, false),
    ("explanation", Ty::Str, false),
    ("hint", Ty::Str, false),
    ("checklist", Ty::StrList, false),
];
const TABLE: &[Key] = scored_keys![
    ("statements", Ty::Tables(STATEMENT), false),
    ("rows", Ty::Tables(row_keys!(CELL)), true),
];
const WORKSHEET_CELL: &[Key] = &[
    ("id", Ty::Str, true),
    ("point", Ty::Str, true),
    ("prompt", Ty::Str, true),
];
const WORKSHEET: &[Key] = exercise_keys![("rows", Ty::Tables(row_keys!(WORKSHEET_CELL)), true)];
const OPTION: &[Key] = &[
    ("id", Ty::Str, true),
    ("text", Ty::Str, true),
    ("correct", Ty::Bool, false),
    ("feedback", Ty::Str, true),
];
const QUESTION: &[Key] = &[
    ("id", Ty::Str, true),
    ("text", Ty::Str, true),
    ("explanation", Ty::Str, true),
    ("source", SOURCE, false),
    ("multiple", Ty::Bool, false),
    ("options", Ty::Tables(OPTION), true),
];
const CHOICE: &[Key] = scored_keys![("questions", Ty::Tables(QUESTION), true)];

/// The keys of a file of `kind`, if it is a known kind.
pub fn of_kind(kind: &str) -> Option<&'static [Key]> {
    match kind {
        "classify" => Some(CLASSIFY),
        "table" => Some(TABLE),
        "worksheet" => Some(WORKSHEET),
        "choice" => Some(CHOICE),
        _ => None,
    }
}

fn describe(ty: Ty) -> String {
    match ty {
        Ty::Str => "a string in quotes, such as \"…\"".into(),
        Ty::Bool => "true or false".into(),
        Ty::OneOf(v) => format!(
            "one of {}",
            v.iter()
                .map(|s| format!("\"{s}\""))
                .collect::<Vec<_>>()
                .join(", ")
        ),
        Ty::StrList => "a list of strings, such as [\"…\", \"…\"]".into(),
        Ty::StrMap => "a table of strings, such as { key = \"…\" }".into(),
        Ty::Tables(_) => "a list of tables written as [[…]] sections".into(),
    }
}

fn value_name(item: &Item) -> &'static str {
    match item {
        Item::None => "nothing",
        Item::Table(_) => "a table",
        Item::ArrayOfTables(_) => "a list of tables",
        Item::Value(v) => match v {
            Value::String(_) => "a string",
            Value::Integer(_) => "a number",
            Value::Float(_) => "a decimal number",
            Value::Boolean(_) => "true/false",
            Value::Datetime(_) => "a date",
            Value::Array(_) => "a list",
            Value::InlineTable(_) => "a table",
        },
    }
}

fn accepts(ty: Ty, item: &Item) -> bool {
    match (ty, item) {
        (Ty::Str, Item::Value(Value::String(_))) => true,
        (Ty::Bool, Item::Value(Value::Boolean(_))) => true,
        (Ty::OneOf(v), Item::Value(Value::String(s))) => v.contains(&s.value().as_str()),
        (Ty::StrList, Item::Value(Value::Array(a))) => a.iter().all(Value::is_str),
        (Ty::StrMap, Item::Table(t)) => t.iter().all(|(_, v)| v.as_str().is_some()),
        (Ty::StrMap, Item::Value(Value::InlineTable(t))) => t.iter().all(|(_, v)| v.is_str()),
        (Ty::Tables(_), Item::ArrayOfTables(_)) => true,
        (Ty::Tables(_), Item::Value(Value::Array(a))) => a.iter().all(Value::is_inline_table),
        _ => false,
    }
}

/// `where_` names the table for messages: "" (the file), "[[items]] 3", …
fn check_table(
    table: &dyn TableLike,
    keys: &[Key],
    where_: &str,
    span: Range<usize>,
    out: &mut Vec<SpanError>,
) {
    let place = if where_.is_empty() {
        String::new()
    } else {
        format!(" in {where_}")
    };
    let names: Vec<&str> = keys.iter().map(|k| k.0).collect();
    for (key, item) in table.iter() {
        let at = table
            .get_key_value(key)
            .and_then(|(k, _)| k.span())
            .or_else(|| item.span())
            .unwrap_or_else(|| span.clone());
        let Some(&(_, ty, _)) = keys.iter().find(|k| k.0 == key) else {
            out.push(SpanError {
                span: at,
                message: format!("unknown key `{key}`{place}"),
                hint: format!("the keys here are {}", names.join(", ")),
            });
            continue;
        };
        if !accepts(ty, item) {
            out.push(SpanError {
                span: item.span().unwrap_or(at),
                message: format!(
                    "`{key}`{place} must be {}, not {}",
                    describe(ty),
                    match item {
                        Item::Value(Value::String(s)) if matches!(ty, Ty::OneOf(_)) =>
                            format!("\"{}\"", s.value()),
                        _ => value_name(item).to_string(),
                    }
                ),
                hint: String::new(),
            });
            continue;
        }
        if let Ty::Tables(inner) = ty {
            let name = |i: usize| format!("[[{key}]] {}", i + 1);
            if let Item::ArrayOfTables(a) = item {
                for (i, t) in a.iter().enumerate() {
                    let inner_span = t.span().unwrap_or_else(|| at.clone());
                    check_table(t, inner, &name(i), inner_span, out);
                }
            } else if let Item::Value(Value::Array(a)) = item {
                for (i, t) in a.iter().filter_map(Value::as_inline_table).enumerate() {
                    let inner_span = t.span().unwrap_or_else(|| at.clone());
                    check_table(t, inner, &name(i), inner_span, out);
                }
            }
        }
    }
    for &(key, ty, required) in keys {
        if required && !table.contains_key(key) {
            out.push(SpanError {
                span: span.start..span.start,
                message: format!("missing key `{key}`{place}"),
                hint: format!("add `{key} = …` ({})", describe(ty)),
            });
        }
    }
}

/// Every schema problem of a parsed file whose kind is `keys`.
pub fn check(doc: &ImDocument<&str>, keys: &[Key]) -> Vec<SpanError> {
    let mut out = Vec::new();
    check_table(doc.as_table(), keys, "", 0..0, &mut out);
    out.sort_by_key(|e| e.span.start);
    out
}

#[cfg(test)]
mod tests {
    use super::{check, of_kind, Key, Ty};
    use crate::{
        Category, Cell, CellMode, Check, Choice, ChoiceOption, Classify, Exercise, Item, Kind,
        Question, Row, Source, Statement, Table, Worksheet, WorksheetCell, WorksheetRow,
    };
    use std::collections::BTreeMap;
    use toml_edit::ImDocument;

    fn keys_of(table: &toml::Table, schema: &[Key], path: &str, out: &mut Vec<String>) {
        for (k, v) in table {
            let Some(&(_, ty, _)) = schema.iter().find(|s| s.0 == k) else {
                out.push(format!("{path}{k} is not in the schema"));
                continue;
            };
            if let (Ty::Tables(inner), toml::Value::Array(a)) = (ty, v) {
                for t in a.iter().filter_map(toml::Value::as_table) {
                    keys_of(t, inner, &format!("{path}{k}."), out);
                }
            }
        }
        for s in schema {
            if !table.contains_key(s.0) {
                out.push(format!("{path}{} is in the schema, not in the type", s.0));
            }
        }
    }

    /// Every optional field filled in, so serialisation writes every key.
    fn full_examples() -> Vec<Exercise> {
        let why_not: BTreeMap<String, String> = [("b".to_string(), "w".to_string())].into();
        vec![
            Exercise::Classify(Classify {
                id: "c".into(),
                kind: Kind::Classify,
                title: "t".into(),
                instructions: "i".into(),
                explanation_source: Source::Lecture,
                shuffle: false,
                check: Some(Check::Pre),
                categories: vec![Category {
                    id: "a".into(),
                    name: "n".into(),
                    description: "d".into(),
                    mistake: "m".into(),
                }],
                items: vec![Item {
                    id: "x".into(),
                    text: "t".into(),
                    answer: "a".into(),
                    explanation: "e".into(),
                    note: "n".into(),
                    source: Some(Source::Authors),
                    why_not,
                }],
            }),
            Exercise::Table(Table {
                id: "t".into(),
                kind: Kind::Table,
                title: "t".into(),
                instructions: "i".into(),
                explanation_source: Source::Lecture,
                shuffle: false,
                check: Some(Check::Pre),
                statements: vec![Statement {
                    id: "s".into(),
                    text: "t".into(),
                    feedback: "f".into(),
                }],
                rows: vec![Row {
                    id: "r".into(),
                    name: "n".into(),
                    hint: "h".into(),
                    cells: vec![Cell {
                        id: "c".into(),
                        point: "p".into(),
                        mode: CellMode::Free,
                        answer: Some("s".into()),
                        model: Some("m".into()),
                        explanation: "e".into(),
                        hint: "h".into(),
                        checklist: vec!["x".into()],
                    }],
                }],
            }),
            Exercise::Worksheet(Worksheet {
                id: "w".into(),
                kind: Kind::Worksheet,
                title: "t".into(),
                instructions: "i".into(),
                rows: vec![WorksheetRow {
                    id: "r".into(),
                    name: "n".into(),
                    hint: "h".into(),
                    cells: vec![WorksheetCell {
                        id: "c".into(),
                        point: "p".into(),
                        prompt: "q".into(),
                    }],
                }],
            }),
            Exercise::Choice(Choice {
                id: "q".into(),
                kind: Kind::Choice,
                title: "t".into(),
                instructions: "i".into(),
                explanation_source: Source::Lecture,
                shuffle: false,
                check: Some(Check::Pre),
                questions: vec![Question {
                    id: "q".into(),
                    text: "t".into(),
                    explanation: "e".into(),
                    source: Some(Source::Authors),
                    multiple: true,
                    options: vec![ChoiceOption {
                        id: "o".into(),
                        text: "t".into(),
                        correct: true,
                        feedback: "f".into(),
                    }],
                }],
            }),
        ]
    }

    #[test]
    fn schema_matches_the_types() {
        for ex in full_examples() {
            let text = match &ex {
                Exercise::Classify(x) => toml::to_string(x),
                Exercise::Table(x) => toml::to_string(x),
                Exercise::Worksheet(x) => toml::to_string(x),
                Exercise::Choice(x) => toml::to_string(x),
            }
            .expect("serialise");
            let table: toml::Table = toml::from_str(&text).expect("reparse");
            let kind = match ex.kind() {
                Kind::Classify => "classify",
                Kind::Table => "table",
                Kind::Worksheet => "worksheet",
                Kind::Choice => "choice",
            };
            let schema = of_kind(kind).expect("a schema per kind");
            let mut diff = Vec::new();
            keys_of(&table, schema, "", &mut diff);
            assert!(diff.is_empty(), "{:?}: {diff:?}", ex.kind());
            let doc = ImDocument::parse(text.as_str()).expect("parse");
            assert!(check(&doc, schema).is_empty(), "{text}");
        }
    }
}
