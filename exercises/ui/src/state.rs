//! The state of one exercise island: the exercise, its storage key and the
//! learner's record. Every action goes through the model's pure functions
//! and is saved at once.

use crate::storage;
use kenshu_exercises::{Exercise, Record, ReviewItem};
use std::rc::Rc;
use yew::prelude::*;

#[derive(Clone, PartialEq)]
pub struct ExState {
    pub ex: Rc<Exercise>,
    /// Prefix for names and ids inside this island.
    pub prefix: String,
    pub key: String,
    pub rec: Record,
    /// A round of 復習 (see `review`): the items asked, in order; empty for
    /// an exercise.
    pub round: Rc<Vec<Round>>,
    /// (item id, review key) of the exercise's reviewable items as built.
    pub keys: Rc<Vec<(String, String)>>,
    /// A check before the training whose checks after it are not answered
    /// yet: 答え合わせ records the score but shows no marks or answers.
    pub held: bool,
}

impl ExState {
    /// Has the learner checked, with the feedback to be shown?
    pub fn shown(&self) -> bool {
        self.rec.checked && !self.held
    }
}

/// Is this the 復習 bundle (feature `review`), whose only island is a
/// round of 復習? A constant, so each bundle carries only its own paths:
/// the exercise bundle no round code, the 復習 bundle no exercise saving.
pub const ROUND: bool = cfg!(feature = "review");

/// One item of a round of 復習 and where it comes from: its exercise's
/// title and link, and for a table cell the case it belongs to.
#[derive(Clone, PartialEq)]
pub struct Round {
    pub item: ReviewItem,
    pub title: String,
    pub href: String,
    pub scene: String,
}

pub enum Action {
    Answer(String, String),
    Check,
    /// やり直す: keep the correct answers (true) or start over.
    Retry(bool),
    Reveal,
    /// 自信あり / 自信なし on an item (the same again clears it).
    Confidence(String, &'static str),
}

/// The handler of a text box: what the learner types becomes the answer `id`
/// (a free table cell, a worksheet cell).
pub fn on_text(st: &UseReducerHandle<ExState>, id: &str) -> Callback<InputEvent> {
    let (st, id) = (st.clone(), id.to_string());
    Callback::from(move |e: InputEvent| {
        let s: web_sys::HtmlTextAreaElement = e.target_unchecked_into();
        st.dispatch(Action::Answer(id.clone(), s.value()))
    })
}

impl Reducible for ExState {
    type Action = Action;

    fn reduce(self: Rc<Self>, action: Action) -> Rc<Self> {
        let mut s = (*self).clone();
        if ROUND && s.rec.attempts > 0 {
            // A round is checked once; the next round is a new page load.
            return self;
        }
        match action {
            Action::Answer(id, v) => {
                if !s.ex.accepts(&id, &v) {
                    return self;
                }
                s.rec.answer(&id, &v)
            }
            Action::Check => {
                let grade = s.rec.check(&s.ex);
                if ROUND {
                    crate::review::after_round(&s.round, &grade, &s.rec);
                } else if !s.held {
                    crate::review::after_check(&s.ex, &s.keys, &grade, &s.rec);
                }
            }
            Action::Retry(keep) => {
                s.rec.retry(&s.ex, keep);
                s.rec.seed = new_seed();
            }
            Action::Confidence(id, v) => s.rec.set_confidence(&id, v),
            Action::Reveal => {
                if s.rec.can_reveal() {
                    s.rec.revealed = true;
                }
            }
        }
        if !ROUND {
            storage::save(&s.key, &s.rec);
        }
        Rc::new(s)
    }
}

#[derive(Properties)]
pub struct ExProps {
    pub ex: Rc<Exercise>,
    pub hash: String,
    /// Unique per island on the page: prefixes radio names and element ids,
    /// so the same exercise embedded twice does not share radio groups.
    pub uid: u32,
    /// (item id, review key) of the reviewable items, for 復習.
    #[prop_or_default]
    pub keys: Rc<Vec<(String, String)>>,
    /// A round of 復習 (the exercise is made of it and not stored).
    #[prop_or_default]
    pub round: Rc<Vec<Round>>,
    #[prop_or_default]
    pub held: bool,
}

/// An island's props never change after mounting: comparing the shared
/// data by address keeps the deep comparison of an exercise (and of a
/// round) out of the bundle.
impl PartialEq for ExProps {
    fn eq(&self, o: &Self) -> bool {
        Rc::ptr_eq(&self.ex, &o.ex)
            && Rc::ptr_eq(&self.keys, &o.keys)
            && Rc::ptr_eq(&self.round, &o.round)
            && self.hash == o.hash
            && self.uid == o.uid
            && self.held == o.held
    }
}

/// One component for every kind of exercise: the shared preamble (the
/// record, the summary's node and moving the focus there after
/// 答え合わせ), then the kind's view. One component type instead of four
/// keeps Yew's generic lifecycle code in the bundle once.
#[function_component]
pub fn Island(props: &ExProps) -> Html {
    let st = use_exercise(props);
    let top = use_node_ref();
    crate::controls::use_focus_on_check(&st, top.clone());
    match &*st.ex {
        Exercise::Classify(c) => crate::classify::view(&st, c, top),
        Exercise::Table(t) => crate::table::view(&st, t, top),
        Exercise::Worksheet(w) => crate::worksheet::view(&st, w, top),
        Exercise::Choice(c) => crate::choice::view(&st, c, top),
    }
}

/// A seed for a new attempt's order (never 0).
fn new_seed() -> u32 {
    (js_sys::Math::random() * f64::from(u32::MAX)) as u32 | 1
}

#[hook]
pub fn use_exercise(props: &ExProps) -> UseReducerHandle<ExState> {
    let ex = props.ex.clone();
    let key = storage::key(ex.id(), &props.hash);
    let prefix = format!("kx{}", props.uid);
    let round = props.round.clone();
    let keys = props.keys.clone();
    let held = props.held;
    use_reducer(move || {
        let mut rec = Record::default();
        if !ROUND {
            rec = storage::load(&key);
        }
        if rec.seed == 0 && !ROUND {
            // The first visit draws the order and keeps it, so a reload
            // shows the same attempt.
            rec.seed = new_seed();
            storage::save(&key, &rec);
        }
        ExState {
            prefix,
            rec,
            ex,
            key,
            round,
            keys,
            held,
        }
    })
}
