//! The 学習の記録 island: every exercise of the site with its state and best
//! score, CSV/JSON download, and clearing the record.

use crate::storage;
use kenshu_exercises::{
    progress_csv, progress_json, Check, Field, Kind, Learner, ProgressRow, Record,
};
use wasm_bindgen::JsCast;
use yew::prelude::*;

/// One exercise as listed by the generator.
#[derive(Clone, PartialEq, Debug)]
pub struct Entry {
    pub id: String,
    pub title: String,
    /// Page path from the site root (for the export).
    pub page: String,
    /// The title of that page (the group heading).
    pub page_title: String,
    /// Link to the page, relative to the progress page.
    pub href: String,
    pub hash: String,
    /// Number of graded items.
    pub graded: u32,
    pub kind: Kind,
    /// A check before or after the training (`check = "pre"` / `"post"`).
    pub check: Option<Check>,
    /// What can be answered (for the export of the learner's answers).
    pub fields: Vec<Field>,
}

#[derive(Clone, PartialEq, Debug)]
pub struct ProgressData {
    pub exercises: Vec<Entry>,
    /// The site's title and id, written into the export.
    pub site: String,
    pub site_id: String,
    /// 修了: the exercises to do and the % of their items to get right.
    pub required: Vec<String>,
    pub passing: Option<u32>,
}

impl ProgressData {
    /// `{"exercises": [{"id", "title", "page", "href", "hash", "graded"}]}`
    pub fn decode(v: &wasm_bindgen::JsValue) -> Self {
        use crate::json::{list, number, string};
        ProgressData {
            site: string(v, "site"),
            site_id: string(v, "site_id"),
            required: list(v, "required")
                .iter()
                .filter_map(|s| s.as_string())
                .collect(),
            passing: number(v, "passing"),
            exercises: list(v, "exercises")
                .iter()
                .map(|e| Entry {
                    id: string(e, "id"),
                    title: string(e, "title"),
                    page: string(e, "page"),
                    page_title: string(e, "page_title"),
                    href: string(e, "href"),
                    hash: string(e, "hash"),
                    graded: number(e, "graded").unwrap_or(0),
                    kind: crate::json::kind(e, "kind"),
                    check: crate::json::check(e),
                    fields: list(e, "fields")
                        .iter()
                        .map(|f| Field {
                            id: string(f, "id"),
                            label: string(f, "label"),
                            options: crate::json::pairs(f, "options"),
                        })
                        .collect(),
                })
                .collect(),
        }
    }
}

/// One exercise's line: what the generator listed, the stored record, the
/// exported row.
type Line = (Entry, Record, ProgressRow);
/// The lines of one page, with the first line's entry (for the heading).
type Group<'a> = (&'a Entry, Vec<&'a Line>);

#[derive(Properties)]
pub struct ProgressProps {
    pub data: std::rc::Rc<ProgressData>,
}

/// The island's props never change after mounting: compared by address
/// (a deep comparison of every entry would only add to the bundle).
impl PartialEq for ProgressProps {
    fn eq(&self, o: &Self) -> bool {
        std::rc::Rc::ptr_eq(&self.data, &o.data)
    }
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
                kind: e.kind,
                state: rec.state(e.kind, e.fields.len()).to_string(),
                best: rec.best,
                total: if rec.total > 0 { rec.total } else { e.graded },
                attempts: rec.attempts,
                answers: Field::answered(&e.fields, &rec.answers, &rec.confidence),
                version: e.hash.clone(),
                values: rec.answers.clone(),
                confidence: rec.confidence.clone(),
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

/// Today in the learner's time zone, `YYYY-MM-DD`.
fn today() -> String {
    let d = js_sys::Date::new_0();
    let two = |n: u32| {
        let n = n % 100;
        [
            char::from(b'0' + (n / 10) as u8),
            char::from(b'0' + (n % 10) as u8),
        ]
    };
    let mut out = d.get_full_year().to_string();
    for n in [d.get_month() + 1, d.get_date()] {
        out.push('-');
        out.extend(two(n));
    }
    out
}

#[function_component]
pub fn ProgressIsland(props: &ProgressProps) -> Html {
    let version = use_state(|| 0u32);
    let confirming = use_state(|| false);
    let status = use_state(String::new);
    let name = use_state(|| storage::get(storage::NAME_KEY).unwrap_or_default());
    let list = rows(&props.data.exercises);
    let export: Vec<ProgressRow> = list.iter().map(|(_, _, r)| r.clone()).collect();
    let on_name = {
        let name = name.clone();
        Callback::from(move |e: InputEvent| {
            let i: web_sys::HtmlInputElement = e.target_unchecked_into();
            storage::set(storage::NAME_KEY, i.value());
            name.set(i.value());
        })
    };
    // CSV or JSON, named and dated.
    let save = |csv: bool| {
        let (export, status, name) = (export.clone(), status.clone(), name.clone());
        let (site, site_id) = (props.data.site.clone(), props.data.site_id.clone());
        Callback::from(move |_: MouseEvent| {
            let who = Learner {
                name: (*name).clone(),
                date: today(),
                site: site.clone(),
                site_id: site_id.clone(),
            };
            let (ext, mime, text) = if csv {
                ("csv", "text/csv;charset=utf-8", progress_csv(&export, &who))
            } else {
                ("json", "application/json", progress_json(&export, &who))
            };
            let file = who.file_name(ext);
            download(&file, mime, &text);
            status.set(format!("{file} をダウンロードしました。"));
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
    let done = list
        .iter()
        .filter(|(e, r, _)| {
            if e.kind == Kind::Worksheet {
                !r.answers.is_empty()
            } else {
                r.attempts > 0
            }
        })
        .count();
    // Grouped by page, in reading order.
    let mut groups: Vec<Group> = Vec::new();
    for row in &list {
        match groups.iter_mut().find(|(e, _)| e.page == row.0.page) {
            Some((_, rows)) => rows.push(row),
            None => groups.push((&row.0, vec![row])),
        }
    }
    let group = |(first, rows): &Group| {
        let heading = if first.page_title.is_empty() {
            "ページに置かれていない演習".to_string()
        } else {
            first.page_title.clone()
        };
        html! {
            <section class="ex-record-group">
                <h2 class="ex-group-title">{heading}</h2>
                <ul class="ex-records">
                { for rows.iter().map(|(e, _, r)| {
                    let state = match r.state.as_str() {
                        "全問正解" | "記入済み" => "done",
                        "未着手" => "new",
                        _ => "going",
                    };
                    html! {
                        <li class="ex-record" data-exercise-id={e.id.clone()}>
                            <a class="ex-record-title" href={format!("{}#exercise-{}", e.href, e.id)}>{&e.title}</a>
                            <span class="ex-record-facts">
                                <span class="ex-state" data-state={state}>{&r.state}</span>
                                if e.kind == Kind::Worksheet {
                                    <span class="ex-record-best">{format!("記入 {} / {} 欄", r.answers.len(), e.fields.len())}</span>
                                } else {
                                    <span class="ex-record-best">{"最高得点 "}{r.best.map(|b| format!("{} / {}", b, r.total)).unwrap_or_else(|| "—".into())}</span>
                                    <span class="ex-record-attempts">{format!("答え合わせ {} 回", r.attempts)}</span>
                                }
                            </span>
                        </li>
                    }
                }) }
                </ul>
            </section>
        }
    };
    let total = list.len();
    // 事前・事後: the first attempt's scores of the checks before and
    // after the training, side by side.
    let check_score = |want: Check| {
        let (mut got, mut of, mut done) = (0, 0, false);
        for (e, r, _) in list.iter().filter(|(e, _, _)| e.check == Some(want)) {
            of += if r.total > 0 { r.total } else { e.graded };
            if let Some(f) = r.first {
                got += f;
                done = true;
            }
        }
        if done {
            format!("{got} / {of}")
        } else {
            "未実施".to_string()
        }
    };
    let checks = list.iter().any(|(e, _, _)| e.check.is_some());
    // 修了: every required exercise done; with a pass mark, that share of
    // the placed exercises' graded items right (best scores).
    let req = &props.data.required;
    let attempted = |e: &Entry, r: &Record| {
        if e.kind == Kind::Worksheet {
            !r.answers.is_empty()
        } else {
            r.attempts > 0
        }
    };
    let req_done = list
        .iter()
        .filter(|(e, r, _)| req.contains(&e.id) && attempted(e, r))
        .count();
    let (mut got, mut of) = (0, 0);
    for (e, r, _) in list.iter().filter(|(e, _, _)| !e.page.is_empty()) {
        got += r.best.unwrap_or(0).min(e.graded);
        of += e.graded;
    }
    let complete = !req.is_empty()
        && req_done >= req.len()
        && props.data.passing.is_none_or(|p| got * 100 >= p * of);
    let print_cert = Callback::from(|_: MouseEvent| {
        if let Some(w) = web_sys::window() {
            let _ = w.print();
        }
    });
    html! {
        <div class="ex ex-progress">
            <p class="ex-summary-line" id="kx-progress-label">{format!("{total} 件の演習のうち {done} 件に取り組みました。")}</p>
            <progress class="ex-bar" max={total.to_string()} value={done.to_string()} aria-labelledby="kx-progress-label"></progress>
            if checks {
                <section class="ex-prepost" aria-labelledby="kx-prepost">
                    <h2 class="ex-group-title" id="kx-prepost">{"事前・事後の確認（1回目の得点）"}</h2>
                    <dl class="ex-prepost-scores">
                        <div><dt>{"事前"}</dt><dd>{check_score(Check::Pre)}</dd></div>
                        <div><dt>{"事後"}</dt><dd>{check_score(Check::Post)}</dd></div>
                    </dl>
                </section>
            }
            if !req.is_empty() {
                <section class="ex-completion" aria-labelledby="kx-completion">
                    <h2 class="ex-group-title" id="kx-completion">{"修了"}</h2>
                    <p>{format!("修了に必要な演習 {} 件のうち {req_done} 件に取り組みました。", req.len())}
                    if let Some(p) = props.data.passing {
                        {format!("得点 {got} / {of}（{p}% 以上で修了）")}
                    }
                    </p>
                    if complete {
                        <p class="ex-complete">{"修了しました。"}
                            <button type="button" class="ex-btn" onclick={print_cert}>{"修了証を印刷"}</button></p>
                        <section class="ex-certificate">
                            <h2>{"修了証"}</h2>
                            <p class="ex-cert-name">{if name.trim().is_empty() { "（名前）".to_string() } else { format!("{} 様", name.trim()) }}</p>
                            <p>{format!("あなたは「{}」を修了したことを証します。", props.data.site)}</p>
                            <p>{format!("得点 {got} / {of}")}</p>
                            <p>{today()}</p>
                        </section>
                    }
                </section>
            }
            { for groups.iter().map(group) }
            <div class="ex-learner">
                <label for="kx-learner">{"名前（任意）"}</label>
                <input id="kx-learner" type="text" autocomplete="name" value={(*name).clone()}
                    oninput={on_name} aria-describedby="kx-learner-note" />
                <p id="kx-learner-note">{"ダウンロードする記録とそのファイル名に、名前と日付が入ります。名前はこの端末に保存され、次からは入力しなくてかまいません。"}</p>
            </div>
            <div class="ex-controls">
                <button type="button" class="ex-btn" onclick={save(true)}>{"CSV をダウンロード"}</button>
                <button type="button" class="ex-btn" onclick={save(false)}>{"JSON をダウンロード"}</button>
                if *confirming {
                    <span class="ex-confirm">
                        {"この端末に保存された解答と結果をすべて消去します。"}
                        <button type="button" class="ex-btn ex-danger" onclick={on_confirm}>{"消去する"}</button>
                        <button type="button" class="ex-btn" onclick={on_cancel}>{"キャンセル"}</button>
                    </span>
                } else {
                    <button type="button" class="ex-btn" onclick={on_clear}>{"記録を消去"}</button>
                }
                <p class="ex-status" role="status" aria-live="polite">{(*status).clone()}</p>
            </div>
        </div>
    }
}
