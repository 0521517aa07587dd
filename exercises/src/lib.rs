//! The exercise model of kenshu: the schema of exercise files, their semantic
//! validation, and grading.
//!
//! This crate is shared by the generator (which parses and validates exercise
//! files at build time, with the `toml` feature) and by the WASM UI (which
//! receives the same types as JSON embedded in the page). Everything here is
//! pure: no I/O, no browser, no clock.
//!
//! Two kinds of exercise exist:
//! - [`Classify`]: sort items (support actions) into categories
//!   (e.g. 直接的支援 / 間接的支援).
//! - [`Table`]: the coordination-points table; every cell is either *chosen*
//!   (pick the right statement, graded) or *free* (write, self-check against
//!   the model answer, not graded).

use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

mod grade;
#[cfg(feature = "toml")]
pub mod parse;
mod progress;
mod validate;

pub use grade::{Grade, Mark, Verdict};
pub use progress::{csv_field, progress_csv, progress_json, ProgressRow, Record};
pub use validate::{Problem, Seg};

/// The learner's answers: item id → category id (classify), cell id →
/// statement id (chosen cell) or the learner's own text (free cell).
pub type Answers = BTreeMap<String, String>;

/// The value of the `kind` key of an exercise file.
#[derive(Serialize, Deserialize, Clone, Copy, Debug, PartialEq, Eq)]
#[serde(rename_all = "lowercase")]
pub enum Kind {
    Classify,
    Table,
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

/// A classify exercise: every item belongs to exactly one category.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Classify {
    pub id: String,
    pub kind: Kind,
    pub title: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub instructions: String,
    /// Default author of the explanations of this file.
    #[serde(default)]
    pub explanation_source: Source,
    pub categories: Vec<Category>,
    pub items: Vec<Item>,
}

#[derive(Serialize, Deserialize, Clone, Debug, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Category {
    pub id: String,
    pub name: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub description: String,
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
}

/// A table exercise: rows of points; each cell chosen or free.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Table {
    pub id: String,
    pub kind: Kind,
    pub title: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub instructions: String,
    #[serde(default)]
    pub explanation_source: Source,
    /// The statements chosen cells pick from (the same list for every cell).
    #[serde(default)]
    pub statements: Vec<Statement>,
    pub rows: Vec<Row>,
}

#[derive(Serialize, Deserialize, Clone, Debug, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Statement {
    pub id: String,
    pub text: String,
}

#[derive(Serialize, Deserialize, Clone, Debug, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Row {
    pub id: String,
    pub name: String,
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
}

/// Either kind of exercise. Serialized externally tagged
/// (`{"classify": {...}}`), which deserializes without buffering.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq)]
#[serde(rename_all = "lowercase")]
pub enum Exercise {
    Classify(Classify),
    Table(Table),
}

impl Exercise {
    pub fn id(&self) -> &str {
        match self {
            Exercise::Classify(c) => &c.id,
            Exercise::Table(t) => &t.id,
        }
    }

    pub fn title(&self) -> &str {
        match self {
            Exercise::Classify(c) => &c.title,
            Exercise::Table(t) => &t.title,
        }
    }

    pub fn kind(&self) -> Kind {
        match self {
            Exercise::Classify(_) => Kind::Classify,
            Exercise::Table(_) => Kind::Table,
        }
    }

    /// Items (classify) or cells (table).
    pub fn item_count(&self) -> usize {
        match self {
            Exercise::Classify(c) => c.items.len(),
            Exercise::Table(t) => t.cells().count(),
        }
    }

    /// Number of graded items (the denominator of the score).
    pub fn graded_count(&self) -> usize {
        match self {
            Exercise::Classify(c) => c.items.len(),
            Exercise::Table(t) => t
                .cells()
                .filter(|(_, c)| c.mode == CellMode::Chosen)
                .count(),
        }
    }

    pub fn grade(&self, answers: &Answers) -> Grade {
        match self {
            Exercise::Classify(c) => c.grade(answers),
            Exercise::Table(t) => t.grade(answers),
        }
    }

    /// The complete set of right answers (the lecturer's key). Free cells
    /// map to their model answer.
    pub fn solution(&self) -> Answers {
        match self {
            Exercise::Classify(c) => c.solution(),
            Exercise::Table(t) => t.solution(),
        }
    }

    /// Is `value` a possible answer for item/cell `id`? (A category of a
    /// classify item, a statement of a chosen cell, any text for a free
    /// cell.) The UI ignores anything else, e.g. text dropped on the board.
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
        }
    }

    /// Semantic validation (after the file parsed). Empty means valid.
    pub fn validate(&self) -> Vec<Problem> {
        match self {
            Exercise::Classify(c) => validate::classify(c),
            Exercise::Table(t) => validate::table(t),
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
