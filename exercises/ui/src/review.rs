//! 復習 (review across the course). Each exercise keeps its queue in the
//! browser as `kenshu:<id>:review`, a JSON list of `[key, due, step]`
//! (see `kenshu_exercises::review_after_check`): 答え合わせ of an
//! exercise updates it. The 復習 page (`[data-exercise-review]`) carries
//! every reviewable exercise as built; it takes a round of the items due
//! today (at most 10, mixed across exercises) and asks them as one choice
//! exercise, shown by the same island as every exercise. theme/static/
//! review-due.js counts the due items for the home page and 学習の記録.

use crate::json;
use crate::state::Round;
use crate::storage;
use js_sys::Array;
use kenshu_exercises::{review_after_grade, Exercise, Grade, Record, ReviewItem, Verdict};
use wasm_bindgen::{JsCast, JsValue};

#[cfg(feature = "review")]
pub mod page;

/// Today: days since 1970-01-01 in the learner's time zone (as
/// review-due.js counts them).
pub fn today() -> u32 {
    let d = js_sys::Date::new_0();
    ((d.get_time() - d.get_timezone_offset() * 60_000.0) / 86_400_000.0) as u32
}

fn key(id: &str) -> String {
    format!("{}{id}:review", storage::PREFIX)
}

/// The stored queue of exercise `id` (keys and schedule only).
pub fn load(id: &str) -> Vec<ReviewItem> {
    storage::get(&key(id))
        .and_then(|s| json::parse(&s))
        .and_then(|v| v.dyn_into::<Array>().ok())
        .map(|a| {
            a.iter()
                .filter_map(|e| {
                    let e: Array = e.dyn_into().ok()?;
                    let n = |i| e.get(i).as_f64().map_or(0, |f| f as u32);
                    Some(ReviewItem {
                        key: e.get(0).as_string()?,
                        exercise: id.to_string(),
                        due: n(1),
                        step: n(2),
                        ..ReviewItem::default()
                    })
                })
                .collect()
        })
        .unwrap_or_default()
}

fn save(id: &str, queue: &[ReviewItem]) {
    let list = Array::new();
    for q in queue {
        let n = |v: u32| JsValue::from_f64(f64::from(v));
        list.push(&Array::of3(
            &JsValue::from_str(&q.key),
            &n(q.due),
            &n(q.step),
        ));
    }
    if let Some(text) = json::stringify(&list) {
        storage::set(&key(id), text);
    }
}

/// After 答え合わせ of an exercise: wrong or 自信なし items join its queue,
/// queued items answered right move on. `keys`: (item, key) as built.
pub fn after_check(ex: &Exercise, keys: &[(String, String)], grade: &Grade, rec: &Record) {
    if keys.is_empty() {
        return;
    }
    let mut q = load(ex.id());
    review_after_grade(&mut q, ex.id(), keys, grade, rec, today());
    save(ex.id(), &q);
}

/// After 答え合わせ of a round: each answered item moves on (right and not
/// 自信なし) or comes back tomorrow.
pub fn after_round(round: &[Round], grade: &Grade, rec: &Record) {
    let day = today();
    for (n, r) in round.iter().enumerate() {
        let id = n.to_string();
        let right = match grade.verdict(&id) {
            Some(Verdict::Correct) => rec.sure(&id) != Some(false),
            Some(Verdict::Incorrect) => false,
            _ => continue,
        };
        let mut q = load(&r.item.exercise);
        if let Some(at) = q.iter().position(|x| x.key == r.item.key) {
            let x = q.remove(at);
            q.extend(x.answered(right, day));
            save(&r.item.exercise, &q);
        }
    }
}
