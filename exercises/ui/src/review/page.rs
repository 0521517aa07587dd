//! The 復習 page's round (the `review` bundle only): the due items of every
//! exercise's queue, at most 10 mixed across exercises, asked as one choice
//! exercise by the same island as every exercise.

use super::{load, today};
use crate::json;
use crate::state::{ExProps, Island, Round};
use kenshu_exercises::{chosen_options, due_round, Choice, Exercise, Kind, ReviewItem};
use std::rc::Rc;
use wasm_bindgen::JsValue;
use web_sys::Element;

/// Mounts the 復習 page's round on `host`, or marks the host
/// `data-review="none"` when nothing is due (its fallback says so).
/// `{"title", "instructions", "exercises": [{"id", "title", "href",
/// "scene", "options"}], "items": [{"x" (its exercise), "key", "question",
/// "answer"}]}`: every reviewable item as built; a table cell's options are
/// its table's `options`, right where they are its `answer`.
pub fn mount(host: Element, json: &str, uid: u32) -> Option<()> {
    let data = json::parse(json)?;
    let exercises = json::list(&data, "exercises");
    let items = json::list(&data, "items");
    let x = |i: &JsValue| json::number(i, "x").unwrap_or(u32::MAX) as usize;
    // Each exercise's queue; entries of items edited since (another key)
    // are left out.
    let mut queue: Vec<ReviewItem> = Vec::new();
    for (n, e) in exercises.iter().enumerate() {
        let known = |q: &ReviewItem| {
            items
                .iter()
                .any(|i| x(i) == n && json::string(i, "key") == q.key)
        };
        queue.extend(load(&json::string(e, "id")).into_iter().filter(known));
    }
    let mut questions = Vec::new();
    let mut round = Vec::new();
    for item in due_round(&queue, today()) {
        let Some(n) = exercises
            .iter()
            .position(|e| json::string(e, "id") == item.exercise)
        else {
            continue;
        };
        let Some(i) = items
            .iter()
            .find(|i| x(i) == n && json::string(i, "key") == item.key)
        else {
            continue;
        };
        let e = &exercises[n];
        let mut q = json::question(&json::get(i, "question"));
        if q.options.is_empty() {
            let answer = json::string(i, "answer");
            let right = chosen_options(&answer);
            q.options = json::question(e).options;
            for o in &mut q.options {
                o.correct = right.contains(&o.id.as_str());
            }
        }
        q.id = round.len().to_string();
        questions.push(q);
        round.push(Round {
            title: json::string(e, "title"),
            href: json::string(e, "href"),
            scene: json::string(e, "scene"),
            item: item.clone(),
        });
    }
    if round.is_empty() {
        let _ = host.set_attribute("data-review", "none");
        return Some(());
    }
    let ex = Exercise::Choice(Choice {
        id: "review".into(),
        kind: Kind::Choice,
        title: json::string(&data, "title"),
        instructions: json::string(&data, "instructions"),
        explanation_source: Default::default(),
        shuffle: false,
        check: None,
        questions,
    });
    let _ = host.set_attribute("data-mounted", "");
    let props = ExProps {
        ex: Rc::new(ex),
        hash: String::new(),
        uid,
        keys: Default::default(),
        round: Rc::new(round),
        held: false,
    };
    yew::Renderer::<Island>::with_root_and_props(host, props).render();
    Some(())
}
