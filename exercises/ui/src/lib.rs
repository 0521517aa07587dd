//! The browser side of kenshu's exercises: one WASM bundle for the whole
//! site, and a second one (feature `review`) for the 復習 page. On start it
//! finds every host the generator wrote (`[data-exercise]` and
//! `[data-exercise-progress]`; the 復習 page's `[data-exercise-review]`),
//! reads the JSON inside it, and mounts one Yew island per host. Yew clears the host on mount, so
//! the static fallback the generator wrote inside it disappears.

mod choice;
mod classify;
mod controls;
mod json;
#[cfg(not(feature = "review"))]
mod progress;
mod review;
mod state;
mod storage;
mod table;
mod worksheet;

use wasm_bindgen::prelude::*;
use web_sys::Element;

fn log_error(msg: &str) {
    web_sys::console::error_1(&JsValue::from_str(msg));
}

fn json_of(host: &Element) -> Option<String> {
    host.query_selector("script[type='application/json']")
        .ok()
        .flatten()
        .and_then(|s| s.text_content())
}

fn mount(host: Element, uid: u32) {
    let Some(json) = json_of(&host) else {
        log_error("kenshu: exercise host without data");
        return;
    };
    #[cfg(feature = "review")]
    if review::page::mount(host, &json, uid).is_none() {
        log_error("kenshu: bad review data");
    }
    #[cfg(not(feature = "review"))]
    mount_exercise(host, &json, uid);
}

/// Mounts an exercise or 学習の記録.
#[cfg(not(feature = "review"))]
fn mount_exercise(host: Element, json: &str, uid: u32) {
    use std::rc::Rc;
    if host.has_attribute("data-exercise-progress") {
        match json::parse(json).map(|v| progress::ProgressData::decode(&v)) {
            Some(data) => {
                let _ = host.set_attribute("data-mounted", "");
                yew::Renderer::<progress::ProgressIsland>::with_root_and_props(
                    host,
                    progress::ProgressProps {
                        data: Rc::new(data),
                    },
                )
                .render();
            }
            None => log_error("kenshu: bad progress data"),
        }
        return;
    }
    // {"hash": "...", "exercise": {"classify" | "table": {...}}}
    let payload = json::parse(json);
    let exercise = payload
        .as_ref()
        .and_then(|v| json::exercise(&json::get(v, "exercise")));
    match (payload, exercise) {
        (Some(v), Some(ex)) => {
            let _ = host.set_attribute("data-mounted", "");
            let props = state::ExProps {
                ex: Rc::new(ex),
                hash: json::string(&v, "hash"),
                uid,
                keys: Rc::new(json::pairs(&v, "review")),
                // A pre-check's feedback waits for the post-checks.
                held: json::strings(&v, "after")
                    .iter()
                    .any(|k| storage::load(k).attempts == 0),
                round: Default::default(),
            };
            yew::Renderer::<state::Island>::with_root_and_props(host, props).render();
        }
        _ => log_error("kenshu: bad exercise data"),
    }
}

/// The hosts this bundle mounts: the 復習 page's bundle (feature `review`,
/// the second bundle generator/build.rs makes) mounts only its round, the
/// exercise bundle everything else; so each stays within its budget.
#[cfg(feature = "review")]
const HOSTS: &str = "[data-exercise-review]";
#[cfg(not(feature = "review"))]
const HOSTS: &str = "[data-exercise],[data-exercise-progress]";

/// Mounts every host of the page (see [`HOSTS`]) that is not mounted yet.
#[wasm_bindgen(start)]
pub fn start() {
    let Some(doc) = web_sys::window().and_then(|w| w.document()) else {
        return;
    };
    let Ok(hosts) = doc.query_selector_all(HOSTS) else {
        return;
    };
    for i in 0..hosts.length() {
        let Some(host) = hosts.item(i).and_then(|n| n.dyn_into::<Element>().ok()) else {
            continue;
        };
        if !host.has_attribute("data-mounted") {
            mount(host, i);
        }
    }
}
