//! Grading and feedback: pure functions of an exercise and the answers.

use crate::{chosen_options, Answers, CellMode, Choice, Classify, Table, Worksheet};

/// The verdict on one item or cell after checking.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Verdict {
    Correct,
    Incorrect,
    Unanswered,
    /// A free cell with text: not graded; the learner compares with the
    /// model answer. (A free cell left empty is [`Verdict::Unanswered`],
    /// still outside the score, and shows no model answer.)
    SelfCheck,
}

impl Verdict {
    /// The Japanese word shown to the learner.
    pub fn label(self) -> &'static str {
        match self {
            Verdict::Correct => "正解",
            Verdict::Incorrect => "不正解",
            Verdict::Unanswered => "未回答",
            Verdict::SelfCheck => "自己確認",
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Mark {
    pub id: String,
    pub verdict: Verdict,
}

/// The result of checking: one mark per item/cell, in document order, and
/// the score over the graded ones (unanswered counts as wrong).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Grade {
    pub marks: Vec<Mark>,
    pub correct: usize,
    pub total: usize,
}

impl Grade {
    fn from_marks(marks: Vec<Mark>) -> Self {
        let correct = marks
            .iter()
            .filter(|m| m.verdict == Verdict::Correct)
            .count();
        let total = marks
            .iter()
            .filter(|m| m.verdict != Verdict::SelfCheck)
            .count();
        Grade {
            marks,
            correct,
            total,
        }
    }

    pub fn verdict(&self, id: &str) -> Option<Verdict> {
        self.marks.iter().find(|m| m.id == id).map(|m| m.verdict)
    }

    /// 「8 / 10」.
    pub fn score_text(&self) -> String {
        format!("{} / {}", self.correct, self.total)
    }

    pub fn all_correct(&self) -> bool {
        self.correct == self.total
    }

    /// The answers to keep for a retry that keeps the correct answers:
    /// correct ones and free-cell texts stay, wrong ones are cleared.
    pub fn keep_correct(&self, answers: &Answers) -> Answers {
        // retain, not collect: collecting into a BTreeMap sorts, which
        // would link a sort into the WASM bundle for this alone.
        let mut kept = answers.clone();
        kept.retain(|id, _| {
            matches!(
                self.verdict(id),
                Some(Verdict::Correct) | Some(Verdict::SelfCheck)
            )
        });
        kept
    }
}

/// The order in which `n` items are shown in the attempt of `seed`: a
/// shuffle (Fisher–Yates over xorshift32), the same for the same seed, so a
/// reload shows the attempt as it was; seed 0 is the file's order.
pub fn order(n: usize, seed: u32) -> Vec<usize> {
    let mut v: Vec<usize> = (0..n).collect();
    let mut x = seed;
    if x == 0 {
        return v;
    }
    for i in (1..n).rev() {
        x ^= x << 13;
        x ^= x >> 17;
        x ^= x << 5;
        v.swap(i, x as usize % (i + 1));
    }
    v
}

fn given<'a>(answers: &'a Answers, id: &str) -> Option<&'a str> {
    answers
        .get(id)
        .map(|s| s.as_str())
        .filter(|s| !s.trim().is_empty())
}

impl Classify {
    pub fn grade(&self, answers: &Answers) -> Grade {
        Grade::from_marks(
            self.items
                .iter()
                .map(|item| Mark {
                    id: item.id.clone(),
                    verdict: match given(answers, &item.id) {
                        None => Verdict::Unanswered,
                        Some(a) if a == item.answer => Verdict::Correct,
                        Some(_) => Verdict::Incorrect,
                    },
                })
                .collect(),
        )
    }
}

impl Table {
    /// Chosen cells are scored; a free cell is 自己確認 when written and
    /// 未回答 when empty, never part of the score.
    pub fn grade(&self, answers: &Answers) -> Grade {
        let mut grade = Grade::from_marks(
            self.cells()
                .map(|(_, cell)| Mark {
                    id: cell.id.clone(),
                    verdict: match cell.mode {
                        CellMode::Free if given(answers, &cell.id).is_some() => Verdict::SelfCheck,
                        CellMode::Free => Verdict::Unanswered,
                        CellMode::Chosen => match given(answers, &cell.id) {
                            None => Verdict::Unanswered,
                            Some(a) if Some(a) == cell.answer.as_deref() => Verdict::Correct,
                            Some(_) => Verdict::Incorrect,
                        },
                    },
                })
                .collect(),
        );
        grade.total = self
            .cells()
            .filter(|(_, c)| c.mode == CellMode::Chosen)
            .count();
        grade
    }
}

impl Worksheet {
    /// A worksheet is not graded: every cell is the learner's own.
    pub fn grade(&self, _answers: &Answers) -> Grade {
        Grade::from_marks(
            self.cells()
                .map(|(_, c)| Mark {
                    id: c.id.clone(),
                    verdict: Verdict::SelfCheck,
                })
                .collect(),
        )
    }
}

impl Choice {
    /// A question is right when exactly its right options are chosen (the
    /// order does not matter); unknown option ids make it wrong.
    pub fn grade(&self, answers: &Answers) -> Grade {
        Grade::from_marks(
            self.questions
                .iter()
                .map(|q| {
                    let verdict = match given(answers, &q.id) {
                        None => Verdict::Unanswered,
                        Some(a) => {
                            // The same set of options (a few: compared
                            // both ways rather than sorted).
                            let got = chosen_options(a);
                            let right = |id: &&str| q.right().any(|o| o.id == *id);
                            if got.is_empty() {
                                Verdict::Unanswered
                            } else if got.iter().all(right)
                                && q.right().all(|o| got.contains(&o.id.as_str()))
                            {
                                Verdict::Correct
                            } else {
                                Verdict::Incorrect
                            }
                        }
                    };
                    Mark {
                        id: q.id.clone(),
                        verdict,
                    }
                })
                .collect(),
        )
    }
}
