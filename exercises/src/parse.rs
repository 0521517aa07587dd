//! Parsing exercise files (TOML) with byte spans for every error (feature
//! `toml`, used by the generator only, so the WASM bundle carries no TOML
//! parser).

pub use crate::schema::SpanError;
use crate::schema::{Key, Ty};
use crate::{Choice, Classify, Exercise, Seg, Table, Worksheet};
use std::ops::Range;
use toml_edit::{ImDocument, Item};

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
/// and missing keys are all listed (see `schema`), and the semantic
/// problems with them (see [`repair`]), each once, in file order.
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
    let Some(keys) = crate::schema::of_kind(&kind) else {
        let span = doc.get("kind").and_then(|i| i.span()).unwrap_or(0..0);
        return Err(vec![err(
            span,
            format!("unknown exercise kind `{kind}`"),
            KINDS_HINT,
        )]);
    };
    // Every unknown key, wrong type and missing key of the file at once.
    let mut problems = crate::schema::check(&doc, keys);
    let (ex, repaired) = if problems.is_empty() {
        // From the text, so that an error has its span.
        let ex = match kind.as_str() {
            "classify" => toml::from_str(src).map(Exercise::Classify),
            "table" => toml::from_str(src).map(Exercise::Table),
            "worksheet" => toml::from_str(src).map(Exercise::Worksheet),
            _ => toml::from_str(src).map(Exercise::Choice),
        };
        (ex.map_err(|e| vec![from_toml(e)])?, Vec::new())
    } else {
        // The semantic problems too: of the file with what the schema
        // refused replaced (see `repair`).
        let Ok(mut table) = toml::from_str::<toml::Table>(src) else {
            return Err(problems);
        };
        let mut repaired = Vec::new();
        repair(&mut table, keys, &[], &mut repaired);
        match typed(&kind, table) {
            Ok(ex) => (ex, repaired),
            Err(_) => return Err(problems),
        }
    };
    problems.extend(
        ex.validate()
            .into_iter()
            .filter(|p| !follows_from(&kind, &p.path, &repaired))
            .map(|p| err(span_of_path(&doc, &p.path), p.message, p.hint)),
    );
    if problems.is_empty() {
        return Ok(ex);
    }
    problems.sort_by_key(|e| e.span.start);
    problems.dedup();
    Err(problems)
}

/// The exercise of `kind` from its (repaired) TOML table.
fn typed(kind: &str, table: toml::Table) -> Result<Exercise, toml::de::Error> {
    let value = toml::Value::Table(table);
    Ok(match kind {
        "classify" => Exercise::Classify(value.try_into::<Classify>()?),
        "table" => Exercise::Table(value.try_into::<Table>()?),
        "worksheet" => Exercise::Worksheet(value.try_into::<Worksheet>()?),
        _ => Exercise::Choice(value.try_into::<Choice>()?),
    })
}

/// Does `value` fit `ty`? (What `schema` accepts, on the parsed value.)
fn fits(ty: Ty, value: &toml::Value) -> bool {
    use toml::Value as V;
    match (ty, value) {
        (Ty::Str, V::String(_)) | (Ty::Bool, V::Boolean(_)) => true,
        (Ty::OneOf(v), V::String(s)) => v.contains(&s.as_str()),
        (Ty::StrList, V::Array(a)) => a.iter().all(V::is_str),
        (Ty::StrMap, V::Table(t)) => t.values().all(V::is_str),
        (Ty::Tables(_), V::Array(a)) => a.iter().all(V::is_table),
        _ => false,
    }
}

/// A value of `ty` that stands in for a missing or refused required one.
fn stand_in(ty: Ty) -> toml::Value {
    use toml::Value as V;
    match ty {
        Ty::Str => V::String(String::new()),
        Ty::Bool => V::Boolean(false),
        Ty::OneOf(v) => V::String(v.first().copied().unwrap_or_default().to_string()),
        Ty::StrList | Ty::Tables(_) => V::Array(Vec::new()),
        Ty::StrMap => V::Table(toml::Table::new()),
    }
}

/// Makes a file that failed the schema check fit it, so that its semantic
/// problems can be found as well: unknown keys are dropped, a refused
/// optional value is dropped, a refused or missing required one gets a
/// stand-in (`""`, `false`, the first allowed value, an empty list). The
/// path of every value dropped or stood in for goes to `repaired`.
fn repair(table: &mut toml::Table, keys: &[Key], path: &[Seg], repaired: &mut Vec<Vec<Seg>>) {
    table.retain(|k, _| keys.iter().any(|key| key.0 == k));
    for &(name, ty, required) in keys {
        let mut here = path.to_vec();
        here.push(Seg::Key(name));
        match table.get_mut(name) {
            Some(value) if fits(ty, value) => {
                if let (Ty::Tables(inner), toml::Value::Array(items)) = (ty, value) {
                    for (i, item) in items.iter_mut().enumerate() {
                        if let toml::Value::Table(t) = item {
                            let mut at = here.clone();
                            at.push(Seg::Index(i));
                            repair(t, inner, &at, repaired);
                        }
                    }
                }
                continue;
            }
            Some(_) if !required => {
                table.remove(name);
            }
            None if !required => continue,
            _ => {
                table.insert(name.to_string(), stand_in(ty));
            }
        }
        repaired.push(here);
    }
}

/// May the semantic problem at `problem` be a consequence of a repair
/// rather than of what the author wrote? Then it is not reported (the
/// schema error that caused the repair is): a problem in the table that
/// holds a repaired value, in a repaired value or about a table around
/// it ("no right option" when an option's `correct` was refused), and a
/// reference into a list that was repaired (an item's answer when a
/// category lost its id).
fn follows_from(kind: &str, problem: &[Seg], repaired: &[Vec<Seg>]) -> bool {
    let refers_to = refers_to(kind, problem);
    repaired.iter().any(|r| {
        let scope = if r.len() > 1 {
            &r[..r.len() - 1]
        } else {
            &r[..]
        };
        problem.starts_with(scope)
            || scope.starts_with(problem)
            || refers_to.is_some_and(|list| r.first() == Some(&Seg::Key(list)))
    })
}

/// The list a semantic check at `path` looks things up in, if any.
fn refers_to(kind: &str, path: &[Seg]) -> Option<&'static str> {
    use Seg::Key;
    match (kind, path) {
        // An item's answer and why_not name categories.
        ("classify", [Key("items"), _, Key("answer" | "why_not"), ..]) => Some("categories"),
        // A cell's answer (or its lack) names a statement.
        (
            "table",
            [Key("rows"), _, Key("cells"), _] | [Key("rows"), _, Key("cells"), _, Key("answer")],
        ) => Some("statements"),
        // "statements but no chosen cell" looks at every cell's mode.
        ("table", [Key("statements")]) => Some("rows"),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::parse;

    /// (line, message) of every error of `src`.
    fn errors(src: &str) -> Vec<(usize, String)> {
        match parse(src) {
            Ok(_) => Vec::new(),
            Err(es) => es
                .into_iter()
                .map(|e| (super::line_col(src, e.span.start).0, e.message))
                .collect(),
        }
    }

    const CLASSIFY: &str = r#"id = "c"
kind = "classify"
title = "分類"
colour = "red"
[[categories]]
id = "a"
name = "直接"
[[categories]]
id = "b"
name = ""
[[items]]
id = "x"
text = "場面"
answer = "zz"
explanation = "説明"
"#;

    /// A schema error (an unknown key) no longer hides the semantic errors
    /// of the same file: 3 of 3 reported (1 before).
    #[test]
    fn a_schema_error_does_not_hide_semantic_errors() {
        let e = errors(CLASSIFY);
        let lines: Vec<usize> = e.iter().map(|e| e.0).collect();
        assert_eq!(lines, [4, 10, 14], "{e:?}");
        assert!(e[0].1.contains("unknown key `colour`"), "{e:?}");
        assert!(e[1].1.contains("category name is empty"), "{e:?}");
        assert!(e[2].1.contains("answer `zz` names no category"), "{e:?}");
    }

    /// `mode = "sideways"` and four semantic problems elsewhere: all 5
    /// (1 before); the chosen/free rules of the cell whose mode is unknown
    /// are not guessed at.
    #[test]
    fn a_table_with_an_unknown_mode_reports_everything_else() {
        let src = r#"id = "t t"
kind = "table"
title = ""
[[statements]]
id = "s1"
text = "文"
[[rows]]
id = "r"
name = "行"
[[rows.cells]]
id = "c1"
point = "点"
mode = "sideways"
model = "模範"
[[rows.cells]]
id = "c2"
point = ""
mode = "chosen"
answer = "s9"
"#;
        let e = errors(src);
        let lines: Vec<usize> = e.iter().map(|e| e.0).collect();
        assert_eq!(lines, [1, 3, 13, 17, 19], "{e:?}");
        assert!(e[0].1.contains("invalid id `t t`"), "{e:?}");
        assert!(e[1].1.contains("title is empty"), "{e:?}");
        assert!(e[2].1.contains("\"sideways\""), "{e:?}");
        assert!(e[3].1.contains("point is empty"), "{e:?}");
        assert!(e[4].1.contains("answer `s9` names no statement"), "{e:?}");
    }

    /// What a repair stands in for is not reported again: a missing title
    /// is "missing", not also "empty"; a category without an id does not
    /// make every answer naming it "no category"; an option whose
    /// `correct` is not a boolean does not make its question "without a
    /// right option".
    #[test]
    fn repairs_add_no_errors_of_their_own() {
        let src = CLASSIFY
            .replace("title = \"分類\"\n", "")
            .replace("colour = \"red\"\n", "")
            .replace("name = \"\"", "name = \"間接\"")
            .replace("id = \"a\"\n", "")
            .replace("answer = \"zz\"", "answer = \"a\"");
        let e = errors(&src);
        assert_eq!(e.len(), 2, "{e:?}");
        assert!(e.iter().all(|e| e.1.starts_with("missing key")), "{e:?}");
        let choice = r#"id = "q"
kind = "choice"
title = "選択"
[[questions]]
id = "a"
text = "問"
explanation = "説明"
[[questions.options]]
id = "x"
text = "はい"
correct = "yes"
feedback = "正"
[[questions.options]]
id = "x"
text = "いいえ"
feedback = "誤"
"#;
        let e = errors(choice);
        let lines: Vec<usize> = e.iter().map(|e| e.0).collect();
        assert_eq!(lines, [11, 14], "{e:?}");
        assert!(e[1].1.contains("duplicate option id `x`"), "{e:?}");
    }
}
