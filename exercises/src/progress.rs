//! The learner's record of one exercise (what the browser stores) and the
//! export of the whole site's record (学習の記録) as CSV and JSON.

use crate::{chosen_options, Answers, CellMode, Exercise, Grade, Kind, Source};
use serde::{Deserialize, Serialize};

/// What is stored per exercise (keyed by exercise id and content hash).
/// Every field has a default, so older or partial records still load.
#[derive(Serialize, Deserialize, Clone, Debug, Default, PartialEq, Eq)]
#[serde(default)]
pub struct Record {
    pub answers: Answers,
    /// Results are shown (答え合わせ was pressed and nothing changed since).
    pub checked: bool,
    /// Number of times 答え合わせ was pressed.
    pub attempts: u32,
    /// Score of the latest check.
    pub last: Option<u32>,
    /// Best score so far.
    pub best: Option<u32>,
    /// Score of the first check (what a check before or after the
    /// training compares).
    pub first: Option<u32>,
    /// Number of graded items.
    pub total: u32,
    /// The solution is shown (解答を表示).
    pub revealed: bool,
    /// The order of this attempt (see [`crate::order`]); a new one on
    /// every やり直す. 0: not drawn yet.
    pub seed: u32,
    /// How sure the learner was of an answer (item id → [`SURE`] or
    /// [`UNSURE`]); optional, one tap per item before 答え合わせ.
    pub confidence: Answers,
}

/// The stored confidence values.
pub const SURE: &str = "sure";
pub const UNSURE: &str = "unsure";

impl Record {
    /// 答え合わせ: grade the current answers and update the counters.
    pub fn check(&mut self, ex: &Exercise) -> Grade {
        let grade = ex.grade(&self.answers);
        let score = u32::try_from(grade.correct).unwrap_or(u32::MAX);
        self.checked = true;
        self.attempts = self.attempts.saturating_add(1);
        self.last = Some(score);
        self.best = Some(self.best.map_or(score, |b| b.max(score)));
        self.first.get_or_insert(score);
        self.total = u32::try_from(grade.total).unwrap_or(u32::MAX);
        grade
    }

    /// やり直す: hide the results; keep only the correct answers, or clear
    /// all answers. Attempts and best score are kept.
    pub fn retry(&mut self, ex: &Exercise, keep_correct: bool) {
        self.answers = if keep_correct {
            ex.grade(&self.answers).keep_correct(&self.answers)
        } else {
            Answers::new()
        };
        self.checked = false;
        self.revealed = false;
        self.confidence.clear();
    }

    /// Marks item `id` 自信あり ([`SURE`]) or 自信なし ([`UNSURE`]); the
    /// same value again clears it.
    pub fn set_confidence(&mut self, id: &str, value: &str) {
        if self.confidence.get(id).map(String::as_str) == Some(value) {
            self.confidence.remove(id);
        } else {
            self.confidence.insert(id.to_string(), value.to_string());
        }
    }

    /// Was the learner sure of item `id`? None when not said.
    pub fn sure(&self, id: &str) -> Option<bool> {
        self.confidence.get(id).map(|v| v == SURE)
    }

    /// Change one answer; results are hidden until the next check.
    pub fn answer(&mut self, id: &str, value: &str) {
        if value.is_empty() {
            self.answers.remove(id);
        } else {
            self.answers.insert(id.to_string(), value.to_string());
        }
        self.checked = false;
    }

    /// 解答を表示 is only offered after a first attempt.
    pub fn can_reveal(&self) -> bool {
        self.attempts > 0
    }

    /// The state shown on 学習の記録. `fields`: the number of cells of a
    /// worksheet (which is written, not checked).
    pub fn state(&self, kind: Kind, fields: usize) -> &'static str {
        if kind == Kind::Worksheet {
            let written = self
                .answers
                .values()
                .filter(|v| !v.trim().is_empty())
                .count();
            return if written == 0 {
                "未着手"
            } else if written >= fields {
                "記入済み"
            } else {
                "記入中"
            };
        }
        if self.attempts == 0 {
            if self.answers.is_empty() {
                "未着手"
            } else {
                "解答中"
            }
        } else if self.best.is_some() && self.best == Some(self.total) {
            "全問正解"
        } else {
            "挑戦済み"
        }
    }
}

/// One answerable thing of an exercise, for the export: its id, a label
/// (the item's text, 「<row> <point>」 of a cell, a question's text) and,
/// when the answer is an id, the texts of the possible values.
#[derive(Clone, Debug, PartialEq, Eq, Default)]
pub struct Field {
    pub id: String,
    pub label: String,
    /// (value id, text); empty for free text.
    pub options: Vec<(String, String)>,
}

impl Field {
    /// The text of a stored answer: the option texts of chosen ids (joined
    /// by 「／」), or the learner's own text.
    pub fn text(&self, value: &str) -> String {
        if self.options.is_empty() {
            return value.to_string();
        }
        chosen_options(value)
            .iter()
            .map(|id| {
                self.options
                    .iter()
                    .find(|(k, _)| k == id)
                    .map_or(*id, |(_, t)| t.as_str())
            })
            .collect::<Vec<_>>()
            .join("／")
    }

    /// (label, text) of every answered field, in the exercise's order; the
    /// text ends in 「（自信あり）」 or 「（自信なし）」 where the learner
    /// said (`confidence`, see [`Record::confidence`]).
    pub fn answered(
        fields: &[Field],
        answers: &Answers,
        confidence: &Answers,
    ) -> Vec<(String, String)> {
        fields
            .iter()
            .filter_map(|f| {
                let v = answers.get(&f.id).filter(|v| !v.trim().is_empty())?;
                let mut text = f.text(v);
                match confidence.get(&f.id).map(String::as_str) {
                    Some(SURE) => text.push_str("（自信あり）"),
                    Some(UNSURE) => text.push_str("（自信なし）"),
                    _ => {}
                }
                Some((f.label.clone(), text))
            })
            .collect()
    }
}

/// One line of 学習の記録.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ProgressRow {
    pub id: String,
    pub title: String,
    pub page: String,
    pub kind: Kind,
    pub state: String,
    pub best: Option<u32>,
    pub total: u32,
    pub attempts: u32,
    /// (label, text) of what the learner chose or wrote.
    pub answers: Vec<(String, String)>,
    /// The exercise's content hash as built (see [`version`]).
    pub version: String,
    /// The stored answers (item id → value) and confidence, for
    /// aggregation (`kenshu report`, the 集計 page).
    pub values: Answers,
    pub confidence: Answers,
}

/// The version of an exercise in a record: the first 8 hex digits of its
/// content hash, so a record of an edited exercise is told apart.
pub fn version(hash: &str) -> &str {
    hash.get(..8).unwrap_or(hash)
}

impl Kind {
    /// The kind's Japanese name (学習の記録, the exercise list).
    pub fn label(self) -> &'static str {
        match self {
            Kind::Classify => "分類",
            Kind::Table => "ポイント整理表",
            Kind::Worksheet => "ワークシート",
            Kind::Choice => "選択式",
        }
    }
}

/// A CSV field (RFC 4180): quoted when it contains a comma, quote or line
/// break; quotes doubled.
pub fn csv_field(s: &str) -> String {
    if s.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s.to_string()
    }
}

/// The header line of the CSV export (documented in README).
pub const CSV_HEADER: &str = "演習ID,演習名,ページ,種類,状態,最高得点,満点,答え合わせの回数,解答・記入内容,名前,記録日,サイト,サイトID,版,解答データ";

/// Who saved a record and when (`YYYY-MM-DD`): written into every line of
/// the CSV, at the top of the JSON, and into the file name.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Learner {
    /// What the learner typed (optional; may be empty).
    pub name: String,
    pub date: String,
    /// The site's title and id (so records of another site are told apart).
    pub site: String,
    pub site_id: String,
}

impl Learner {
    /// The learner's name as it may appear in a file name on every system:
    /// no path separators, no characters Windows forbids (`\ / : * ? " < > |`),
    /// no control characters; spaces become `_`; no leading or trailing dots;
    /// at most 32 characters.
    pub fn safe_name(&self) -> String {
        let cleaned: String = self
            .name
            .trim()
            .chars()
            .filter(|c| !c.is_control() && !"\\/:*?\"<>|".contains(*c))
            .map(|c| if c.is_whitespace() { '_' } else { c })
            .take(32)
            .collect();
        cleaned.trim_matches(['.', '_']).to_string()
    }

    /// `kenshu-record-山田-2026-12-07.csv` (no name: `kenshu-record-2026-12-07.csv`).
    pub fn file_name(&self, ext: &str) -> String {
        let mut out = String::from("kenshu-record-");
        let name = self.safe_name();
        if !name.is_empty() {
            out.push_str(&name);
            out.push('-');
        }
        out.push_str(&self.date);
        out.push('.');
        out.push_str(ext);
        out
    }
}

/// The answers of a row as one text: 「label：text」 per line.
fn answers_text(r: &ProgressRow) -> String {
    r.answers
        .iter()
        .map(|(l, t)| format!("{l}：{t}"))
        .collect::<Vec<_>>()
        .join("\n")
}

/// The record as CSV, with a UTF-8 byte-order mark so spreadsheet programs
/// read the Japanese text correctly. Lines end with CRLF (line breaks
/// inside a quoted field stay LF).
pub fn progress_csv(rows: &[ProgressRow], who: &Learner) -> String {
    let mut out = format!("\u{feff}{CSV_HEADER}\r\n");
    for r in rows {
        let graded = r.kind != Kind::Worksheet;
        let fields = [
            csv_field(&r.id),
            csv_field(&r.title),
            csv_field(&r.page),
            csv_field(r.kind.label()),
            csv_field(&r.state),
            r.best.map(|b| b.to_string()).unwrap_or_default(),
            if graded {
                r.total.to_string()
            } else {
                String::new()
            },
            if graded {
                r.attempts.to_string()
            } else {
                String::new()
            },
            csv_field(&answers_text(r)),
            csv_field(who.name.trim()),
            csv_field(&who.date),
            csv_field(&who.site),
            csv_field(&who.site_id),
            csv_field(version(&r.version)),
            csv_field(&answer_data(r)),
        ];
        out.push_str(&fields.join(","));
        out.push_str("\r\n");
    }
    out
}

fn json_str(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if (c as u32) < 0x20 => out.push_str(&format!("\\u{:04x}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// A map as a JSON object.
fn json_map(m: &Answers) -> String {
    let pairs: Vec<String> = m
        .iter()
        .map(|(k, v)| format!("{}:{}", json_str(k), json_str(v)))
        .collect();
    format!("{{{}}}", pairs.join(","))
}

/// `"values":{…},"confidence":{…}` of a row.
fn data_fields(r: &ProgressRow) -> String {
    format!(
        "\"values\":{},\"confidence\":{}",
        json_map(&r.values),
        json_map(&r.confidence)
    )
}

/// The CSV's 解答データ: `{"values":{…},"confidence":{…}}`.
fn answer_data(r: &ProgressRow) -> String {
    format!("{{{}}}", data_fields(r))
}

/// The record as JSON: `{"site", "site_id", "name", "date", "exercises":
/// [...]}`, one object per exercise: id, version, title, page, kind
/// (classify/table/worksheet/choice), state, best, total, attempts, answers
/// ([{label, text}]), values ({item: value}), confidence ({item: sure|unsure}).
pub fn progress_json(rows: &[ProgressRow], who: &Learner) -> String {
    let items: Vec<String> = rows
        .iter()
        .map(|r| {
            let kind = match r.kind {
                Kind::Classify => "classify",
                Kind::Table => "table",
                Kind::Worksheet => "worksheet",
                Kind::Choice => "choice",
            };
            let answers: Vec<String> = r
                .answers
                .iter()
                .map(|(l, t)| format!("{{\"label\":{},\"text\":{}}}", json_str(l), json_str(t)))
                .collect();
            format!(
                "{{\"id\":{},\"version\":{},\"title\":{},\"page\":{},\"kind\":\"{kind}\",\"state\":{},\"best\":{},\"total\":{},\"attempts\":{},\"answers\":[{}],{}}}",
                json_str(&r.id),
                json_str(version(&r.version)),
                json_str(&r.title),
                json_str(&r.page),
                json_str(&r.state),
                r.best.map_or_else(|| "null".to_string(), |b| b.to_string()),
                r.total,
                r.attempts,
                answers.join(","),
                data_fields(r)
            )
        })
        .collect();
    format!(
        "{{\"site\":{},\"site_id\":{},\"name\":{},\"date\":{},\"exercises\":[\n{}\n]}}\n",
        json_str(&who.site),
        json_str(&who.site_id),
        json_str(who.name.trim()),
        json_str(&who.date),
        items.join(",\n")
    )
}

// 復習 (review across the course): the schedule and the queue, pure. The
// browser keeps each exercise's queue as (key, due, step) triples
// (`kenshu:<id>:review`); the 復習 page asks the due items again with
// their content taken from the exercise as built.

/// Days between reviews of an item answered right: after the first right
/// answer 1 day, then 3, then 7; right once more after that and it leaves
/// the queue.
pub const INTERVALS: [u32; 3] = [1, 3, 7];

/// At most this many items in one round of 復習.
pub const ROUND: usize = 10;

/// One item in the 復習 queue (kept in the browser, across the course). It
/// carries what the review needs to ask it again, so the review works
/// without the exercise's page.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ReviewItem {
    /// [`review_key`] of the item: its text, options and answer. An edited
    /// item gets a new key, so its old history is retired.
    pub key: String,
    pub exercise: String,
    pub item: String,
    /// The day it is due (days since 1970-01-01 in the learner's time).
    pub due: u32,
    /// Right answers in a row so far (0 after a wrong one).
    pub step: u32,
    pub text: String,
    /// (value id, text) of the possible answers.
    pub options: Vec<(String, String)>,
    /// The right answer (as stored: ids joined by `,`).
    pub answer: String,
    pub explanation: String,
    /// Several options may be chosen (checkboxes).
    pub multiple: bool,
    /// Who wrote the explanation.
    pub source: Source,
    /// A table cell: its text is the cell's label, and the case page's
    /// description is shown with it (the cell alone is not a scene).
    pub cell: bool,
}

impl ReviewItem {
    /// After an answer on `today`: right → the next interval (or out of
    /// the queue, `None`, after the last); wrong → tomorrow, from the start.
    pub fn answered(mut self, right: bool, today: u32) -> Option<Self> {
        if !right {
            self.step = 0;
            self.due = today + 1;
            return Some(self);
        }
        let next = INTERVALS.get(self.step as usize)?;
        self.step += 1;
        self.due = today + next;
        Some(self)
    }
}

/// The key of a reviewable item: a hash of its text, its options and its
/// answer (8 hex digits: it tells the items of one exercise apart).
pub fn review_key(text: &str, options: &[(String, String)], answer: &str) -> String {
    let mut s = String::from(text);
    for (id, t) in options {
        s.push('\u{1f}');
        s.push_str(id);
        s.push('\u{1e}');
        s.push_str(t);
    }
    s.push('\u{1d}');
    s.push_str(answer);
    let mut h = crate::content_hash(s.as_bytes());
    h.truncate(8);
    h
}

/// The reviewable items of an exercise (classify items, choice questions,
/// the chosen cells of a table), not yet scheduled (due 0, step 0).
pub fn reviewable(ex: &Exercise) -> Vec<ReviewItem> {
    let item = |id: &str,
                text: &str,
                options: Vec<(String, String)>,
                answer: String,
                why: &str,
                source: Source| {
        ReviewItem {
            key: review_key(text, &options, &answer),
            exercise: ex.id().to_string(),
            item: id.to_string(),
            text: text.to_string(),
            options,
            answer,
            explanation: why.to_string(),
            source,
            ..ReviewItem::default()
        }
    };
    match ex {
        Exercise::Classify(c) => {
            let options: Vec<(String, String)> = c
                .categories
                .iter()
                .map(|k| (k.id.clone(), k.name.clone()))
                .collect();
            c.items
                .iter()
                .map(|i| {
                    item(
                        &i.id,
                        &i.text,
                        options.clone(),
                        i.answer.clone(),
                        &i.explanation,
                        c.source_of(i),
                    )
                })
                .collect()
        }
        Exercise::Choice(c) => c
            .questions
            .iter()
            .map(|q| {
                let options = q
                    .options
                    .iter()
                    .map(|o| (o.id.clone(), o.text.clone()))
                    .collect();
                let right: Vec<&str> = q.right().map(|o| o.id.as_str()).collect();
                ReviewItem {
                    multiple: q.multiple(),
                    ..item(
                        &q.id,
                        &q.text,
                        options,
                        crate::choice_value(&right),
                        &q.explanation,
                        c.source_of(q),
                    )
                }
            })
            .collect(),
        Exercise::Table(t) => {
            let options: Vec<(String, String)> = t
                .statements
                .iter()
                .map(|s| (s.id.clone(), s.text.clone()))
                .collect();
            t.cells()
                .filter_map(|(row, c)| {
                    let answer = c.answer.clone().filter(|_| c.mode == CellMode::Chosen)?;
                    Some(ReviewItem {
                        cell: true,
                        ..item(
                            &c.id,
                            &crate::cell_label(row, c),
                            options.clone(),
                            answer,
                            &c.explanation,
                            t.explanation_source,
                        )
                    })
                })
                .collect()
        }
        Exercise::Worksheet(_) => Vec::new(),
    }
}

/// The queue after 答え合わせ of `ex` on `today`: an item answered wrong
/// or marked 自信なし joins it (due tomorrow); one already in it that is
/// now answered right (and not 自信なし) moves on as in review. Items of
/// `ex` whose text, options or answer changed since (another key) leave it.
pub fn review_after_check(queue: &mut Vec<ReviewItem>, ex: &Exercise, rec: &Record, today: u32) {
    let keys: Vec<(String, String)> = reviewable(ex)
        .into_iter()
        .map(|i| (i.item, i.key))
        .collect();
    queue.retain(|q| q.exercise != ex.id() || keys.iter().any(|(_, k)| *k == q.key));
    review_after_grade(queue, ex.id(), &keys, &ex.grade(&rec.answers), rec, today);
}

/// [`review_after_check`] of one exercise's queue, given its grade and the
/// (item id, [`review_key`]) pairs of its reviewable items as built (what
/// the browser gets: it never hashes item texts itself). The queue is that
/// exercise's only; entries of no key in `keys` leave it.
pub fn review_after_grade(
    queue: &mut Vec<ReviewItem>,
    exercise: &str,
    keys: &[(String, String)],
    grade: &Grade,
    rec: &Record,
    today: u32,
) {
    queue.retain(|q| keys.iter().any(|(_, k)| *k == q.key));
    for (item, key) in keys {
        let Some(verdict) = grade.verdict(item) else {
            continue;
        };
        let right = verdict == crate::Verdict::Correct && rec.sure(item) != Some(false);
        let answered = verdict != crate::Verdict::Unanswered;
        match queue.iter().position(|q| q.key == *key) {
            Some(at) if answered => {
                let q = queue.remove(at);
                queue.extend(q.answered(right, today));
            }
            None if answered && !right => queue.push(ReviewItem {
                key: key.clone(),
                exercise: exercise.to_string(),
                item: item.clone(),
                due: today + 1,
                ..ReviewItem::default()
            }),
            _ => {}
        }
    }
}

/// The reviewable items of `ex` as the 復習 page asks them: each as a
/// choice question (a classify item with its categories and their
/// 「ではない理由」, a table cell with the statements and their feedback, a
/// question as it is), with its [`review_key`] and whether it is a table
/// cell (which is asked with the case's description).
pub fn review_questions(ex: &Exercise) -> Vec<(String, crate::Question, bool)> {
    let option = |id: &str, text: &str, correct: bool, feedback: &str| crate::ChoiceOption {
        id: id.to_string(),
        text: text.to_string(),
        correct,
        feedback: if correct {
            String::new()
        } else {
            feedback.to_string()
        },
    };
    reviewable(ex)
        .into_iter()
        .map(|it| {
            let options = match ex {
                Exercise::Classify(c) => {
                    let item = c.items.iter().find(|i| i.id == it.item);
                    c.categories
                        .iter()
                        .map(|k| {
                            let right = k.id == it.answer;
                            let why = item.and_then(|i| crate::mistake_in(i, k)).unwrap_or("");
                            option(&k.id, &k.name, right, why)
                        })
                        .collect()
                }
                Exercise::Table(t) => t
                    .statements
                    .iter()
                    .map(|s| option(&s.id, &s.text, s.id == it.answer, &s.feedback))
                    .collect(),
                Exercise::Choice(c) => c
                    .questions
                    .iter()
                    .find(|q| q.id == it.item)
                    .map(|q| q.options.clone())
                    .unwrap_or_default(),
                Exercise::Worksheet(_) => Vec::new(),
            };
            let q = crate::Question {
                id: it.item,
                text: it.text,
                explanation: it.explanation,
                source: Some(it.source),
                multiple: it.multiple,
                options,
            };
            (it.key, q, it.cell)
        })
        .collect()
}

/// The items due on `today`, at most [`ROUND`]: the longest-waiting first,
/// then taking turns across exercises (so cases mix).
pub fn due_round(queue: &[ReviewItem], today: u32) -> Vec<&ReviewItem> {
    // Longest-waiting first: insertion by hand (a library sort would add
    // its code to the WASM bundle for these few items).
    let mut due: Vec<&ReviewItem> = Vec::new();
    for q in queue.iter().filter(|q| q.due <= today) {
        let at = due.iter().position(|d| d.due > q.due).unwrap_or(due.len());
        due.insert(at, q);
    }
    let mut out: Vec<&ReviewItem> = Vec::new();
    while out.len() < ROUND && !due.is_empty() {
        // One per exercise per turn, in order of waiting.
        let mut seen: Vec<&str> = Vec::new();
        let mut i = 0;
        while i < due.len() && out.len() < ROUND {
            if seen.contains(&due[i].exercise.as_str()) {
                i += 1;
            } else {
                seen.push(&due[i].exercise);
                out.push(due.remove(i));
            }
        }
    }
    out
}
