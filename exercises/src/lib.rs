//! The exercise model of kenshu: the schema of exercise files, their semantic
//! validation, and grading.
//!
//! This crate is shared by the generator (which parses and validates exercise
//! files at build time, with the `toml` feature) and by the WASM UI (which
//! receives the same types as JSON embedded in the page). Everything here is
//! pure: no I/O, no browser, no clock.
//!
//! Four kinds of exercise exist:
//! - [`Classify`]: sort items (support actions) into categories
//!   (e.g. 直接的支援 / 間接的支援 / 単独の支援).
//! - [`Table`]: the coordination-points table; every cell is either *chosen*
//!   (pick the right statement, graded) or *free* (write, self-check against
//!   the model answer, not graded).
//! - [`Worksheet`]: the learner's own case in a blank table of the author's
//!   rows and points; free text, not graded, printable.
//! - [`Choice`]: questions with options, one or several right, with
//!   feedback per option.

use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

mod grade;
#[cfg(feature = "toml")]
pub mod parse;
mod progress;
#[cfg(feature = "toml")]
mod schema;
mod validate;

pub use grade::{order, Grade, Mark, Verdict};
pub use progress::{
    csv_field, due_round, progress_csv, progress_json, review_after_check, review_after_grade,
    review_key, review_questions, reviewable, version, Field, Learner, ProgressRow, Record,
    ReviewItem, CSV_HEADER, INTERVALS, ROUND, SURE, UNSURE,
};
pub use validate::{Problem, Seg};

/// The learner's answers: item id → category id (classify), cell id →
/// statement id (chosen cell) or the learner's own text (free cell,
/// worksheet cell), question id → the chosen option ids joined by `,`
/// (choice; see [`choice_value`]).
pub type Answers = BTreeMap<String, String>;

/// The value of the `kind` key of an exercise file.
#[derive(Serialize, Deserialize, Clone, Copy, Debug, PartialEq, Eq)]
#[serde(rename_all = "lowercase")]
pub enum Kind {
    Classify,
    Table,
    Worksheet,
    Choice,
}

/// Who wrote an explanation. Explanations that interpret the lecture are the
/// course authors' 解説, never presented as the lecturer's words.
#[derive(Serialize, Deserialize, Clone, Copy, Debug, PartialEq, Eq, Default)]
#[serde(rename_all = "lowercase")]
pub enum Source {
    /// 講座作成者による解説 (an interpretation by the course authors).
    #[default]
    Authors,
    /// The lecture itself says this (講義より).
    Lecture,
}

impl Source {
    /// The Japanese label shown before an explanation.
    pub fn label(self) -> &'static str {
        match self {
            Source::Authors => "解説（講座作成者）",
            Source::Lecture => "講義より",
        }
    }
}

/// Declares an exercise kind: the fields every exercise file starts with (`id`, `kind`,
/// `title`, `instructions`; for a graded kind also `explanation_source`, the default
/// author of its explanations), then the kind's own fields. (serde's `flatten` would share
/// them as a struct, but it does not work with `deny_unknown_fields`.)
macro_rules! exercise_kind {
    ($(#[$meta:meta])* $name:ident { graded, $($field:tt)* }) => {
        exercise_kind! {
            $(#[$meta])*
            $name {
                /// Default author of the explanations of this file.
                #[serde(default)]
                pub explanation_source: Source,
                /// Items (classify, choice) or statements (table) come in a
                /// new order on every attempt; `shuffle = false` keeps the
                /// file's order.
                #[serde(default = "yes", skip_serializing_if = "is_true")]
                pub shuffle: bool,
                /// A check before or after the training (`check = "pre"` /
                /// `"post"`): 学習の記録 shows the two scores side by side.
                #[serde(default, skip_serializing_if = "Option::is_none")]
                pub check: Option<Check>,
                $($field)*
            }
        }
    };
    ($(#[$meta:meta])* $name:ident { $($field:tt)* }) => {
        $(#[$meta])*
        #[derive(Serialize, Deserialize, Clone, Debug, PartialEq)]
        #[serde(deny_unknown_fields)]
        pub struct $name {
            pub id: String,
            pub kind: Kind,
            pub title: String,
            #[serde(default, skip_serializing_if = "String::is_empty")]
            pub instructions: String,
            $($field)*
        }
    };
}

exercise_kind! {
    /// A classify exercise: every item belongs to exactly one category.
    Classify {
        graded,
        pub categories: Vec<Category>,
        pub items: Vec<Item>,
    }
}

#[derive(Serialize, Deserialize, Clone, Debug, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Category {
    pub id: String,
    pub name: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub description: String,
    /// Shown when a learner puts an item of another category into this one:
    /// why it is not this category.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub mistake: String,
}

#[derive(Serialize, Deserialize, Clone, Debug, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Item {
    pub id: String,
    pub text: String,
    /// The id of the right category.
    pub answer: String,
    /// Shown after checking, whether the learner was right or wrong.
    pub explanation: String,
    /// A known trap (shown after checking, highlighted).
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub note: String,
    /// Overrides the file's `explanation_source` for this item.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source: Option<Source>,
    /// Feedback for one particular wrong category (category id → text);
    /// overrides that category's `mistake` for this item.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub why_not: BTreeMap<String, String>,
}

exercise_kind! {
    /// A table exercise: rows of points; each cell chosen or free.
    Table {
        graded,
        /// The statements chosen cells pick from (the same list for every cell).
        #[serde(default)]
        pub statements: Vec<Statement>,
        pub rows: Vec<Row>,
    }
}

#[derive(Serialize, Deserialize, Clone, Debug, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Statement {
    pub id: String,
    pub text: String,
    /// Why this statement is not right where it was wrongly chosen (e.g.
    /// 「これは④価値の共有の内容です」).
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub feedback: String,
}

#[derive(Serialize, Deserialize, Clone, Debug, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Row {
    pub id: String,
    pub name: String,
    /// Shown on request (a ヒント disclosure), never automatically.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub hint: String,
    pub cells: Vec<Cell>,
}

#[derive(Serialize, Deserialize, Clone, Copy, Debug, PartialEq, Eq)]
#[serde(rename_all = "lowercase")]
pub enum CellMode {
    /// The learner picks a statement; graded.
    Chosen,
    /// The learner writes; shown beside `model` for self-check; not graded.
    Free,
}

#[derive(Serialize, Deserialize, Clone, Debug, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Cell {
    pub id: String,
    /// The point's label, e.g. 「①顔合わせ」.
    pub point: String,
    pub mode: CellMode,
    /// Chosen cells: the id of the right statement.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub answer: Option<String>,
    /// Free cells: the model answer.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub model: Option<String>,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub explanation: String,
    /// Shown on request (a ヒント disclosure), never automatically.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub hint: String,
    /// Free cells: self-check points shown with the model answer.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub checklist: Vec<String>,
}

exercise_kind! {
    /// A worksheet: the learner's own case, written into a blank table of the
    /// author's rows and points. Not graded; saved locally, exported, printable.
    Worksheet {
        pub rows: Vec<WorksheetRow>,
    }
}

#[derive(Serialize, Deserialize, Clone, Debug, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct WorksheetRow {
    pub id: String,
    pub name: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub hint: String,
    pub cells: Vec<WorksheetCell>,
}

#[derive(Serialize, Deserialize, Clone, Debug, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct WorksheetCell {
    pub id: String,
    pub point: String,
    /// The question shown in the blank cell.
    pub prompt: String,
}

exercise_kind! {
    /// A choice exercise: questions with options; one or several are right.
    Choice {
        graded,
        pub questions: Vec<Question>,
    }
}

#[derive(Serialize, Deserialize, Clone, Debug, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Question {
    pub id: String,
    /// The story or question.
    pub text: String,
    /// Shown after checking or revealing.
    pub explanation: String,
    /// Overrides the file's `explanation_source` for this question.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source: Option<Source>,
    /// "Choose all that apply" (checkboxes) even when one option is right,
    /// so the form does not tell how many answers there are.
    #[serde(default, skip_serializing_if = "is_false")]
    pub multiple: bool,
    pub options: Vec<ChoiceOption>,
}

#[derive(Serialize, Deserialize, Clone, Debug, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct ChoiceOption {
    pub id: String,
    pub text: String,
    #[serde(default, skip_serializing_if = "is_false")]
    pub correct: bool,
    /// Why this option is (or is not) right.
    pub feedback: String,
}

fn is_false(b: &bool) -> bool {
    !*b
}

fn is_true(b: &bool) -> bool {
    *b
}

fn yes() -> bool {
    true
}

/// The value of an exercise's `check` key.
#[derive(Serialize, Deserialize, Clone, Copy, Debug, PartialEq, Eq)]
#[serde(rename_all = "lowercase")]
pub enum Check {
    /// Before the training (事前).
    Pre,
    /// After the training (事後).
    Post,
}

/// Any kind of exercise. Serialized externally tagged
/// (`{"classify": {...}}`), which deserializes without buffering.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq)]
#[serde(rename_all = "lowercase")]
pub enum Exercise {
    Classify(Classify),
    Table(Table),
    Worksheet(Worksheet),
    Choice(Choice),
}

impl Exercise {
    pub fn id(&self) -> &str {
        match self {
            Exercise::Classify(c) => &c.id,
            Exercise::Table(t) => &t.id,
            Exercise::Worksheet(w) => &w.id,
            Exercise::Choice(c) => &c.id,
        }
    }

    pub fn title(&self) -> &str {
        match self {
            Exercise::Classify(c) => &c.title,
            Exercise::Table(t) => &t.title,
            Exercise::Worksheet(w) => &w.title,
            Exercise::Choice(c) => &c.title,
        }
    }

    pub fn kind(&self) -> Kind {
        match self {
            Exercise::Classify(_) => Kind::Classify,
            Exercise::Table(_) => Kind::Table,
            Exercise::Worksheet(_) => Kind::Worksheet,
            Exercise::Choice(_) => Kind::Choice,
        }
    }

    /// `check = "pre"` / `"post"` (graded kinds only).
    pub fn check(&self) -> Option<Check> {
        match self {
            Exercise::Classify(c) => c.check,
            Exercise::Table(t) => t.check,
            Exercise::Worksheet(_) => None,
            Exercise::Choice(c) => c.check,
        }
    }

    /// Items (classify), cells (table, worksheet) or questions (choice).
    pub fn item_count(&self) -> usize {
        match self {
            Exercise::Classify(c) => c.items.len(),
            Exercise::Table(t) => t.cells().count(),
            Exercise::Worksheet(w) => w.cells().count(),
            Exercise::Choice(c) => c.questions.len(),
        }
    }

    /// Number of graded items (the denominator of the score); 0 for a
    /// worksheet, which is not graded.
    pub fn graded_count(&self) -> usize {
        match self {
            Exercise::Classify(c) => c.items.len(),
            Exercise::Table(t) => t
                .cells()
                .filter(|(_, c)| c.mode == CellMode::Chosen)
                .count(),
            Exercise::Worksheet(_) => 0,
            Exercise::Choice(c) => c.questions.len(),
        }
    }

    pub fn grade(&self, answers: &Answers) -> Grade {
        match self {
            Exercise::Classify(c) => c.grade(answers),
            Exercise::Table(t) => t.grade(answers),
            Exercise::Worksheet(w) => w.grade(answers),
            Exercise::Choice(c) => c.grade(answers),
        }
    }

    /// The complete set of right answers (the lecturer's key). Free cells
    /// map to their model answer; a worksheet has none.
    pub fn solution(&self) -> Answers {
        match self {
            Exercise::Classify(c) => c.solution(),
            Exercise::Table(t) => t.solution(),
            Exercise::Worksheet(_) => Answers::new(),
            Exercise::Choice(c) => c.solution(),
        }
    }

    /// Is `value` a possible answer for item/cell/question `id`? (A category
    /// of a classify item, a statement of a chosen cell, any text for a free
    /// or worksheet cell, a set of options of a question; empty clears.)
    /// The UI ignores anything else.
    pub fn accepts(&self, id: &str, value: &str) -> bool {
        match self {
            Exercise::Classify(c) => {
                c.items.iter().any(|i| i.id == id)
                    && (value.is_empty() || c.category(value).is_some())
            }
            Exercise::Table(t) => t.cells().any(|(_, c)| {
                c.id == id
                    && match c.mode {
                        CellMode::Chosen => value.is_empty() || t.statement(value).is_some(),
                        CellMode::Free => true,
                    }
            }),
            Exercise::Worksheet(w) => w.cells().any(|(_, c)| c.id == id),
            Exercise::Choice(c) => c.question(id).is_some_and(|q| {
                let picked = chosen_options(value);
                (q.multiple() || picked.len() <= 1)
                    && picked.iter().all(|o| q.options.iter().any(|x| x.id == *o))
            }),
        }
    }

    /// Semantic validation (after the file parsed). Empty means valid.
    pub fn validate(&self) -> Vec<Problem> {
        match self {
            Exercise::Classify(c) => validate::classify(c),
            Exercise::Table(t) => validate::table(t),
            Exercise::Worksheet(w) => validate::worksheet(w),
            Exercise::Choice(c) => validate::choice(c),
        }
    }

    /// What the learner wrote or chose, as (label, text) lines, for the
    /// export of 学習の記録 (see [`Field`]).
    pub fn fields(&self) -> Vec<Field> {
        match self {
            Exercise::Classify(c) => c
                .items
                .iter()
                .map(|i| Field {
                    id: i.id.clone(),
                    label: i.text.clone(),
                    options: c
                        .categories
                        .iter()
                        .map(|k| (k.id.clone(), k.name.clone()))
                        .collect(),
                })
                .collect(),
            Exercise::Table(t) => t
                .cells()
                .map(|(r, c)| Field {
                    id: c.id.clone(),
                    label: cell_label(r, c),
                    options: match c.mode {
                        CellMode::Chosen => t
                            .statements
                            .iter()
                            .map(|s| (s.id.clone(), s.text.clone()))
                            .collect(),
                        CellMode::Free => Vec::new(),
                    },
                })
                .collect(),
            Exercise::Worksheet(w) => w
                .cells()
                .map(|(r, c)| Field {
                    id: c.id.clone(),
                    label: format!("{} {}", r.name, c.point),
                    options: Vec::new(),
                })
                .collect(),
            Exercise::Choice(c) => c
                .questions
                .iter()
                .map(|q| Field {
                    id: q.id.clone(),
                    label: q.text.clone(),
                    options: q
                        .options
                        .iter()
                        .map(|o| (o.id.clone(), o.text.clone()))
                        .collect(),
                })
                .collect(),
        }
    }
}

impl Classify {
    pub fn category(&self, id: &str) -> Option<&Category> {
        self.categories.iter().find(|c| c.id == id)
    }

    pub fn solution(&self) -> Answers {
        self.items
            .iter()
            .map(|i| (i.id.clone(), i.answer.clone()))
            .collect()
    }

    /// Who wrote the explanation of `item`.
    pub fn source_of(&self, item: &Item) -> Source {
        item.source.unwrap_or(self.explanation_source)
    }

    /// Why `chosen` is wrong for `item`: the item's `why_not` for that
    /// category, else the category's `mistake`; None when `chosen` is the
    /// right answer or nothing is written.
    pub fn mistake<'a>(&'a self, item: &'a Item, chosen: &str) -> Option<&'a str> {
        mistake_in(item, self.category(chosen)?)
    }
}

/// Why category `k` is wrong for `item` (see [`Classify::mistake`]), for
/// callers that already hold the category.
pub fn mistake_in<'a>(item: &'a Item, k: &'a Category) -> Option<&'a str> {
    if k.id == item.answer {
        return None;
    }
    Some(
        item.why_not
            .get(&k.id)
            .map_or(k.mistake.as_str(), String::as_str),
    )
    .filter(|s| !s.is_empty())
}

impl Table {
    /// Every cell with its row, in document order.
    pub fn cells(&self) -> impl Iterator<Item = (&Row, &Cell)> {
        self.rows
            .iter()
            .flat_map(|r| r.cells.iter().map(move |c| (r, c)))
    }

    pub fn statement(&self, id: &str) -> Option<&Statement> {
        self.statements.iter().find(|s| s.id == id)
    }

    /// Why statement `chosen` is wrong in `cell` (the statement's
    /// `feedback`); None when it is the right one or nothing is written.
    pub fn mistake<'a>(&'a self, cell: &Cell, chosen: &str) -> Option<&'a str> {
        if cell.answer.as_deref() == Some(chosen) {
            return None;
        }
        self.statement(chosen)
            .map(|s| s.feedback.as_str())
            .filter(|s| !s.is_empty())
    }

    /// The model answer of a cell: the right statement's text for chosen
    /// cells, `model` for free cells.
    pub fn model_answer<'a>(&'a self, cell: &'a Cell) -> &'a str {
        match cell.mode {
            CellMode::Chosen => cell
                .answer
                .as_deref()
                .and_then(|a| self.statement(a))
                .map(|s| s.text.as_str())
                .unwrap_or(""),
            CellMode::Free => cell.model.as_deref().unwrap_or(""),
        }
    }

    pub fn solution(&self) -> Answers {
        self.cells()
            .filter_map(|(_, c)| {
                let v = match c.mode {
                    CellMode::Chosen => c.answer.clone()?,
                    CellMode::Free => c.model.clone()?,
                };
                Some((c.id.clone(), v))
            })
            .collect()
    }
}

impl Worksheet {
    /// Every cell with its row, in document order.
    pub fn cells(&self) -> impl Iterator<Item = (&WorksheetRow, &WorksheetCell)> {
        self.rows
            .iter()
            .flat_map(|r| r.cells.iter().map(move |c| (r, c)))
    }
}

impl Choice {
    pub fn question(&self, id: &str) -> Option<&Question> {
        self.questions.iter().find(|q| q.id == id)
    }

    pub fn solution(&self) -> Answers {
        self.questions
            .iter()
            .map(|q| {
                let right: Vec<&str> = q.right().map(|o| o.id.as_str()).collect();
                (q.id.clone(), choice_value(&right))
            })
            .collect()
    }

    /// Who wrote the explanation of `question`.
    pub fn source_of(&self, question: &Question) -> Source {
        question.source.unwrap_or(self.explanation_source)
    }
}

impl Question {
    /// Answered with checkboxes: the file asks for "choose all that apply"
    /// (`multiple = true`), or more than one option is right.
    pub fn multiple(&self) -> bool {
        self.multiple || self.right().count() > 1
    }

    /// The right options, in order.
    pub fn right(&self) -> impl Iterator<Item = &ChoiceOption> {
        self.options.iter().filter(|o| o.correct)
    }
}

/// The stored answer of a choice question: the chosen option ids joined by
/// `,` (ids never contain a comma).
pub fn choice_value<S: AsRef<str>>(ids: &[S]) -> String {
    let v: Vec<&str> = ids.iter().map(|s| s.as_ref()).collect();
    v.join(",")
}

/// The option ids of a stored choice answer (empty parts dropped).
pub fn chosen_options(value: &str) -> Vec<&str> {
    value.split(',').filter(|s| !s.is_empty()).collect()
}

/// The accessible name of a table cell: row name and point, e.g.
/// 「ベクトル合わせ ①顔合わせ」.
pub fn cell_label(row: &Row, cell: &Cell) -> String {
    format!("{} {}", row.name, cell.point)
}

/// FNV-1a, 64 bit, as 16 lowercase hex digits. Used as the content hash of
/// an exercise (the generator hashes the JSON it embeds), so stored answers
/// of a changed exercise are never loaded.
pub fn content_hash(bytes: &[u8]) -> String {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in bytes {
        h ^= u64::from(*b);
        h = h.wrapping_mul(0x0000_0100_0000_01b3);
    }
    format!("{h:016x}")
}

#[cfg(test)]
mod tests;
