//! Semantic validation of a parsed exercise. Problems carry a path into the
//! file (e.g. `items[3].answer`), which the `parse` module turns into a byte
//! span of the source.

use crate::{CellMode, Choice, Classify, Table, Worksheet};
use std::collections::HashMap;
use std::fmt;

/// One step of a path into an exercise file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Seg {
    Key(&'static str),
    Index(usize),
}

/// A semantic problem in an exercise file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Problem {
    /// Where: keys and array indices from the top of the file.
    pub path: Vec<Seg>,
    pub message: String,
    pub hint: String,
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, s) in self.path.iter().enumerate() {
            match s {
                Seg::Key(k) if i == 0 => write!(f, "{k}")?,
                Seg::Key(k) => write!(f, ".{k}")?,
                Seg::Index(n) => write!(f, "[{n}]")?,
            }
        }
        write!(f, ": {}", self.message)
    }
}

fn problem(path: Vec<Seg>, message: String, hint: &str) -> Problem {
    Problem {
        path,
        message,
        hint: hint.to_string(),
    }
}

/// Ids are ASCII letters, digits, `-` and `_` (they become HTML ids and
/// storage keys).
pub fn valid_id(id: &str) -> bool {
    !id.is_empty()
        && id
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
}

fn check_id(out: &mut Vec<Problem>, path: Vec<Seg>, id: &str) {
    if !valid_id(id) {
        out.push(problem(
            path,
            format!("invalid id `{id}`"),
            "use ASCII letters, digits, `-` and `_` only, e.g. `case01-classify` or `a01`",
        ));
    }
}

/// The keys every exercise starts with: a valid id, the kind `kind` (which
/// `kind_ok` says it is) and a title.
fn check_head(out: &mut Vec<Problem>, id: &str, kind_ok: bool, kind: &str, title: &str) {
    use Seg::Key;
    check_id(out, vec![Key("id")], id);
    if !kind_ok {
        out.push(problem(
            vec![Key("kind")],
            format!("expected kind = \"{kind}\""),
            "",
        ));
    }
    check_text(out, vec![Key("title")], "title", title);
}

fn check_text(out: &mut Vec<Problem>, path: Vec<Seg>, what: &str, text: &str) {
    if text.trim().is_empty() {
        out.push(problem(
            path,
            format!("{what} is empty"),
            "write the text the learner sees",
        ));
    }
}

/// Reports every id seen twice; `what` names the kind of id.
struct Unique<'a> {
    seen: HashMap<&'a str, Vec<Seg>>,
    what: &'static str,
}

impl<'a> Unique<'a> {
    fn new(what: &'static str) -> Self {
        Unique {
            seen: HashMap::new(),
            what,
        }
    }

    fn add(&mut self, out: &mut Vec<Problem>, id: &'a str, path: Vec<Seg>) {
        if let Some(first) = self.seen.get(id) {
            let first = Problem {
                path: first.clone(),
                message: String::new(),
                hint: String::new(),
            };
            let first = first.to_string();
            let first = first.trim_end_matches(": ");
            out.push(problem(
                path,
                format!("duplicate {} id `{id}` (first used at {first})", self.what),
                "every id must be unique within the file",
            ));
        } else {
            self.seen.insert(id, path);
        }
    }
}

pub(crate) fn classify(c: &Classify) -> Vec<Problem> {
    use Seg::{Index, Key};
    let mut out = Vec::new();
    check_head(
        &mut out,
        &c.id,
        c.kind == crate::Kind::Classify,
        "classify",
        &c.title,
    );
    if c.categories.len() < 2 {
        out.push(problem(
            vec![Key("categories")],
            format!(
                "a classify exercise needs at least 2 categories, found {}",
                c.categories.len()
            ),
            "add the categories, e.g. { id = \"direct\", name = \"直接的支援\" }",
        ));
    }
    let mut cats = Unique::new("category");
    for (i, cat) in c.categories.iter().enumerate() {
        let p = |k| vec![Key("categories"), Index(i), Key(k)];
        check_id(&mut out, p("id"), &cat.id);
        cats.add(&mut out, &cat.id, p("id"));
        check_text(&mut out, p("name"), "category name", &cat.name);
    }
    let known: Vec<&str> = c.categories.iter().map(|c| c.id.as_str()).collect();
    if c.items.is_empty() {
        out.push(problem(
            vec![Key("items")],
            "the exercise has no items".into(),
            "add [[items]] tables",
        ));
    }
    let mut items = Unique::new("item");
    for (i, item) in c.items.iter().enumerate() {
        let p = |k| vec![Key("items"), Index(i), Key(k)];
        check_id(&mut out, p("id"), &item.id);
        items.add(&mut out, &item.id, p("id"));
        check_text(&mut out, p("text"), "item text", &item.text);
        check_text(&mut out, p("explanation"), "explanation", &item.explanation);
        for (cat, text) in &item.why_not {
            if c.category(cat).is_none() {
                out.push(problem(
                    p("why_not"),
                    format!("why_not names `{cat}`, which is no category"),
                    &format!("use the category ids: {}", known.join(", ")),
                ));
            } else if *cat == item.answer {
                out.push(problem(
                    p("why_not"),
                    format!("why_not names `{cat}`, the item's own answer"),
                    "why_not is feedback for a wrong category; explain the right one in `explanation`",
                ));
            }
            check_text(&mut out, p("why_not"), "why_not text", text);
        }
        if c.category(&item.answer).is_none() {
            out.push(problem(
                p("answer"),
                format!("answer `{}` names no category", item.answer),
                &format!("use one of the category ids: {}", known.join(", ")),
            ));
        }
    }
    out
}

pub(crate) fn table(t: &Table) -> Vec<Problem> {
    use Seg::{Index, Key};
    let mut out = Vec::new();
    check_head(
        &mut out,
        &t.id,
        t.kind == crate::Kind::Table,
        "table",
        &t.title,
    );
    let mut stmts = Unique::new("statement");
    for (i, s) in t.statements.iter().enumerate() {
        let p = |k| vec![Key("statements"), Index(i), Key(k)];
        check_id(&mut out, p("id"), &s.id);
        stmts.add(&mut out, &s.id, p("id"));
        check_text(&mut out, p("text"), "statement text", &s.text);
    }
    if t.rows.is_empty() {
        out.push(problem(
            vec![Key("rows")],
            "the table has no rows".into(),
            "add [[rows]] tables, each with [[rows.cells]]",
        ));
    }
    let mut rows = Unique::new("row");
    let mut cells = Unique::new("cell");
    for (r, row) in t.rows.iter().enumerate() {
        let rp = |k| vec![Key("rows"), Index(r), Key(k)];
        check_id(&mut out, rp("id"), &row.id);
        rows.add(&mut out, &row.id, rp("id"));
        check_text(&mut out, rp("name"), "row name", &row.name);
        if row.cells.is_empty() {
            out.push(problem(
                vec![Key("rows"), Index(r)],
                format!("row `{}` has no cells", row.id),
                "add [[rows.cells]] tables after the row",
            ));
        }
        for (c, cell) in row.cells.iter().enumerate() {
            let cp = |k: Option<&'static str>| {
                let mut v = vec![Key("rows"), Index(r), Key("cells"), Index(c)];
                v.extend(k.map(Key));
                v
            };
            check_id(&mut out, cp(Some("id")), &cell.id);
            cells.add(&mut out, &cell.id, cp(Some("id")));
            check_text(&mut out, cp(Some("point")), "point", &cell.point);
            match cell.mode {
                CellMode::Chosen => {
                    match &cell.answer {
                        None => out.push(problem(
                            cp(None),
                            format!("chosen cell `{}` has no answer", cell.id),
                            "add answer = \"<statement id>\"",
                        )),
                        Some(a) if t.statement(a).is_none() => {
                            let known: Vec<&str> =
                                t.statements.iter().map(|s| s.id.as_str()).collect();
                            out.push(problem(
                                cp(Some("answer")),
                                format!("answer `{a}` names no statement"),
                                &if known.is_empty() {
                                    "define [[statements]] first".to_string()
                                } else {
                                    format!("use one of the statement ids: {}", known.join(", "))
                                },
                            ))
                        }
                        Some(_) => {}
                    }
                    if !cell.checklist.is_empty() {
                        out.push(problem(
                            cp(Some("checklist")),
                            format!("chosen cell `{}` has a checklist", cell.id),
                            "a checklist is for free cells (shown with the model answer); remove it or use mode = \"free\"",
                        ));
                    }
                    if cell.model.is_some() {
                        out.push(problem(
                            cp(Some("model")),
                            format!("chosen cell `{}` has a model answer", cell.id),
                            "a chosen cell's model answer is its statement; remove `model` or use mode = \"free\"",
                        ));
                    }
                }
                CellMode::Free => {
                    match &cell.model {
                        None => out.push(problem(
                            cp(None),
                            format!("free cell `{}` has no model answer", cell.id),
                            "add model = \"…\" (shown beside the learner's text)",
                        )),
                        Some(m) => check_text(&mut out, cp(Some("model")), "model answer", m),
                    }
                    for point in &cell.checklist {
                        check_text(&mut out, cp(Some("checklist")), "checklist entry", point);
                    }
                    if cell.answer.is_some() {
                        out.push(problem(
                            cp(Some("answer")),
                            format!("free cell `{}` has an answer", cell.id),
                            "free cells are not graded; remove `answer` or use mode = \"chosen\"",
                        ));
                    }
                }
            }
        }
    }
    if !t.cells().any(|(_, c)| c.mode == CellMode::Chosen) && !t.statements.is_empty() {
        out.push(problem(
            vec![Key("statements")],
            "statements are defined but no cell is chosen".into(),
            "remove [[statements]] or set mode = \"chosen\" on some cells",
        ));
    }
    out
}

pub(crate) fn worksheet(w: &Worksheet) -> Vec<Problem> {
    use Seg::{Index, Key};
    let mut out = Vec::new();
    check_head(
        &mut out,
        &w.id,
        w.kind == crate::Kind::Worksheet,
        "worksheet",
        &w.title,
    );
    if w.rows.is_empty() {
        out.push(problem(
            vec![Key("rows")],
            "the worksheet has no rows".into(),
            "add [[rows]] tables, each with [[rows.cells]]",
        ));
    }
    let mut ids = Unique::new("row or cell");
    for (r, row) in w.rows.iter().enumerate() {
        let rp = |k| vec![Key("rows"), Index(r), Key(k)];
        check_id(&mut out, rp("id"), &row.id);
        ids.add(&mut out, &row.id, rp("id"));
        check_text(&mut out, rp("name"), "row name", &row.name);
        if row.cells.is_empty() {
            out.push(problem(
                vec![Key("rows"), Index(r)],
                format!("row `{}` has no cells", row.id),
                "add [[rows.cells]] tables after the row, each with id, point and prompt",
            ));
        }
        for (c, cell) in row.cells.iter().enumerate() {
            let cp = |k| vec![Key("rows"), Index(r), Key("cells"), Index(c), Key(k)];
            check_id(&mut out, cp("id"), &cell.id);
            ids.add(&mut out, &cell.id, cp("id"));
            check_text(&mut out, cp("point"), "point", &cell.point);
            check_text(&mut out, cp("prompt"), "prompt", &cell.prompt);
        }
    }
    out
}

pub(crate) fn choice(c: &Choice) -> Vec<Problem> {
    use Seg::{Index, Key};
    let mut out = Vec::new();
    check_head(
        &mut out,
        &c.id,
        c.kind == crate::Kind::Choice,
        "choice",
        &c.title,
    );
    if c.questions.is_empty() {
        out.push(problem(
            vec![Key("questions")],
            "the exercise has no questions".into(),
            "add [[questions]] tables, each with [[questions.options]]",
        ));
    }
    let mut questions = Unique::new("question");
    for (i, q) in c.questions.iter().enumerate() {
        let qp = |k| vec![Key("questions"), Index(i), Key(k)];
        check_id(&mut out, qp("id"), &q.id);
        questions.add(&mut out, &q.id, qp("id"));
        check_text(&mut out, qp("text"), "question text", &q.text);
        check_text(&mut out, qp("explanation"), "explanation", &q.explanation);
        if q.options.len() < 2 {
            out.push(problem(
                vec![Key("questions"), Index(i)],
                format!(
                    "question `{}` needs at least 2 options, found {}",
                    q.id,
                    q.options.len()
                ),
                "add [[questions.options]] tables after the question",
            ));
        } else if q.right().next().is_none() {
            out.push(problem(
                vec![Key("questions"), Index(i)],
                format!("question `{}` has no right option", q.id),
                "set correct = true on the right option(s)",
            ));
        }
        let mut options = Unique::new("option");
        for (k, o) in q.options.iter().enumerate() {
            let op = |key| {
                vec![
                    Key("questions"),
                    Index(i),
                    Key("options"),
                    Index(k),
                    Key(key),
                ]
            };
            check_id(&mut out, op("id"), &o.id);
            options.add(&mut out, &o.id, op("id"));
            check_text(&mut out, op("text"), "option text", &o.text);
            check_text(&mut out, op("feedback"), "option feedback", &o.feedback);
        }
    }
    out
}
