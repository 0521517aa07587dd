//! The learner's record of one exercise (what the browser stores) and the
//! export of the whole site's record (学習の記録) as CSV and JSON.

use crate::{Answers, Exercise, Grade};
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
    /// Number of graded items.
    pub total: u32,
    /// The solution is shown (解答を表示).
    pub revealed: bool,
}

impl Record {
    /// 答え合わせ: grade the current answers and update the counters.
    pub fn check(&mut self, ex: &Exercise) -> Grade {
        let grade = ex.grade(&self.answers);
        let score = u32::try_from(grade.correct).unwrap_or(u32::MAX);
        self.checked = true;
        self.attempts = self.attempts.saturating_add(1);
        self.last = Some(score);
        self.best = Some(self.best.map_or(score, |b| b.max(score)));
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

    /// The state shown on the progress page.
    pub fn state(&self) -> &'static str {
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

/// One line of 学習の記録.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ProgressRow {
    pub id: String,
    pub title: String,
    pub page: String,
    pub state: String,
    pub best: Option<u32>,
    pub total: u32,
    pub attempts: u32,
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

/// The record as CSV, with a UTF-8 byte-order mark so spreadsheet programs
/// read the Japanese text correctly. Lines end with CRLF.
pub fn progress_csv(rows: &[ProgressRow]) -> String {
    let mut out = String::from("\u{feff}id,title,page,state,best,total,attempts\r\n");
    for r in rows {
        let fields = [
            csv_field(&r.id),
            csv_field(&r.title),
            csv_field(&r.page),
            csv_field(&r.state),
            r.best.map(|b| b.to_string()).unwrap_or_default(),
            r.total.to_string(),
            r.attempts.to_string(),
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

/// The record as a JSON array of objects (same fields as the CSV).
pub fn progress_json(rows: &[ProgressRow]) -> String {
    let items: Vec<String> = rows
        .iter()
        .map(|r| {
            format!(
                "{{\"id\":{},\"title\":{},\"page\":{},\"state\":{},\"best\":{},\"total\":{},\"attempts\":{}}}",
                json_str(&r.id),
                json_str(&r.title),
                json_str(&r.page),
                json_str(&r.state),
                r.best.map_or_else(|| "null".to_string(), |b| b.to_string()),
                r.total,
                r.attempts
            )
        })
        .collect();
    format!("[{}]\n", items.join(",\n"))
}
