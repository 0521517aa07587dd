//! The 学習の記録 island: every exercise of the site with its state and best
//! score, CSV/JSON download, and clearing the record.

use crate::storage;
use kenshu_exercises::{progress_csv, progress_json, ProgressRow, Record};
use wasm_bindgen::JsCast;
use yew::prelude::*;

/// One exercise as listed by the generator.
#[derive(Clone, PartialEq, Debug)]
pub struct Entry {
    pub id: String,
    pub title: String,
    /// Page path from the site root (for the export).
    pub page: String,
    /// Link to the page, relative to the progress page.
    pub href: String,
    pub hash: String,
    /// Number of graded items.
    pub graded: u32,
}

#[derive(Clone, PartialEq, Debug)]
pub struct ProgressData {
    pub exercises: Vec<Entry>,
}

impl ProgressData {
    /// `{"exercises": [{"id", "title", "page", "href", "hash", "graded"}]}`
    pub fn decode(v: &wasm_bindgen::JsValue) -> Self {
        use crate::json::{list, number, string};
        ProgressData {
            exercises: list(v, "exercises")
                .iter()
                .map(|e| Entry {
                    id: string(e, "id"),
                    title: string(e, "title"),
                    page: string(e, "page"),
                    href: string(e, "href"),
                    hash: string(e, "hash"),
                    graded: number(e, "graded").unwrap_or(0),
                })
                .collect(),
        }
    }
}

#[derive(Properties, PartialEq)]
pub struct ProgressProps {
    pub data: ProgressData,
}

fn rows(entries: &[Entry]) -> Vec<(Entry, Record, ProgressRow)> {
    entries
        .iter()
        .map(|e| {
            let rec = storage::load(&storage::key(&e.id, &e.hash));
            let row = ProgressRow {
                id: e.id.clone(),
                title: e.title.clone(),
                page: e.page.clone(),
                state: rec.state().to_string(),
                best: rec.best,
                total: if rec.total > 0 { rec.total } else { e.graded },
                attempts: rec.attempts,
            };
            (e.clone(), rec, row)
        })
        .collect()
}

fn download(name: &str, mime: &str, text: &str) {
    let parts = js_sys::Array::of1(&wasm_bindgen::JsValue::from_str(text));
    let opts = web_sys::BlobPropertyBag::new();
    opts.set_type(mime);
    let Ok(blob) = web_sys::Blob::new_with_str_sequence_and_options(&parts, &opts) else {
        return;
    };
    let Ok(url) = web_sys::Url::create_object_url_with_blob(&blob) else {
        return;
    };
    let doc = web_sys::window().and_then(|w| w.document());
    let a = doc
        .as_ref()
        .and_then(|d| d.create_element("a").ok())
        .and_then(|e| e.dyn_into::<web_sys::HtmlAnchorElement>().ok());
    if let (Some(doc), Some(a)) = (doc, a) {
        a.set_href(&url);
        a.set_download(name);
        if let Some(body) = doc.body() {
            let _ = body.append_child(&a);
            a.click();
            let _ = body.remove_child(&a);
        }
    }
    // The download has started; revoking now would cancel it in some
    // browsers, so the URL is left for the page's lifetime (tiny).
}

#[function_component]
pub fn ProgressIsland(props: &ProgressProps) -> Html {
    let version = use_state(|| 0u32);
    let confirming = use_state(|| false);
    let status = use_state(String::new);
    let list = rows(&props.data.exercises);
    let export: Vec<ProgressRow> = list.iter().map(|(_, _, r)| r.clone()).collect();
    let on_csv = {
        let (export, status) = (export.clone(), status.clone());
        Callback::from(move |_: MouseEvent| {
            download(
                "kenshu-record.csv",
                "text/csv;charset=utf-8",
                &progress_csv(&export),
            );
            status.set("CSV をダウンロードしました。".into());
        })
    };
    let on_json = {
        let (export, status) = (export.clone(), status.clone());
        Callback::from(move |_: MouseEvent| {
            download(
                "kenshu-record.json",
                "application/json",
                &progress_json(&export),
            );
            status.set("JSON をダウンロードしました。".into());
        })
    };
    let on_clear = {
        let confirming = confirming.clone();
        Callback::from(move |_: MouseEvent| confirming.set(true))
    };
    let on_cancel = {
        let confirming = confirming.clone();
        Callback::from(move |_: MouseEvent| confirming.set(false))
    };
    let on_confirm = {
        let (confirming, version, status) = (confirming.clone(), version.clone(), status.clone());
        let ids: Vec<String> = props.data.exercises.iter().map(|e| e.id.clone()).collect();
        Callback::from(move |_: MouseEvent| {
            storage::clear(&ids);
            confirming.set(false);
            version.set(*version + 1);
            status.set("記録を消去しました。".into());
        })
    };
    let done = list.iter().filter(|(_, r, _)| r.attempts > 0).count();
    html! {
        <div class="ex ex-progress">
            <p class="ex-summary">{format!("{} 問中 {} 問に取り組みました。", list.len(), done)}</p>
            <div class="ex-table-wrap">
                <table class="ex-grid">
                    <thead><tr>
                        <th scope="col">{"演習"}</th>
                        <th scope="col">{"状態"}</th>
                        <th scope="col">{"最高得点"}</th>
                        <th scope="col">{"挑戦回数"}</th>
                    </tr></thead>
                    <tbody>
                    { for list.iter().map(|(e, _, r)| html! {
                        <tr data-exercise-id={e.id.clone()}>
                            <th scope="row"><a href={format!("{}#exercise-{}", e.href, e.id)}>{&e.title}</a></th>
                            <td>{&r.state}</td>
                            <td>{r.best.map(|b| format!("{} / {}", b, r.total)).unwrap_or_else(|| "—".into())}</td>
                            <td>{r.attempts}</td>
                        </tr>
                    }) }
                    </tbody>
                </table>
            </div>
            <div class="ex-controls">
                <button type="button" class="ex-btn" onclick={on_csv}>{"CSV をダウンロード"}</button>
                <button type="button" class="ex-btn" onclick={on_json}>{"JSON をダウンロード"}</button>
                if *confirming {
                    <span class="ex-confirm">
                        {"この端末に保存された解答と結果をすべて消去します。"}
                        <button type="button" class="ex-btn ex-danger" onclick={on_confirm}>{"消去する"}</button>
                        <button type="button" class="ex-btn" onclick={on_cancel}>{"キャンセル"}</button>
                    </span>
                } else {
                    <button type="button" class="ex-btn" onclick={on_clear}>{"記録を消去"}</button>
                }
                <p class="ex-score" role="status" aria-live="polite">{(*status).clone()}</p>
            </div>
        </div>
    }
}
