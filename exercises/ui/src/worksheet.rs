//! The worksheet island: the learner's own case, written into the author's
//! rows and points (cards like the table exercise). Not graded; every
//! keystroke is saved; 印刷 prints only this worksheet on one A4 page,
//! filled in or blank (style.css, `@media print`).

use crate::state::{on_text, ExState};
use kenshu_exercises::{Worksheet, WorksheetCell, WorksheetRow};
use kenshu_exercises_views::{head, worksheet_rows};
use yew::prelude::*;

/// Prints only the worksheet `root`: marks it and the document, prints,
/// and unmarks on `afterprint`.
fn print(root: &NodeRef, blank: bool) {
    let Some(win) = web_sys::window() else { return };
    let Some(html) = win.document().and_then(|d| d.document_element()) else {
        return;
    };
    let Some(el) = root.cast::<web_sys::Element>() else {
        return;
    };
    let _ = html.set_attribute("data-kx-print", if blank { "blank" } else { "filled" });
    let _ = el.set_attribute("data-printing", "");
    let reset = js_sys::Function::new_no_args(
        "document.documentElement.removeAttribute('data-kx-print');\
         document.querySelectorAll('[data-printing]').forEach(function(e){e.removeAttribute('data-printing')});",
    );
    win.set_onafterprint(Some(&reset));
    let _ = win.print();
}

/// The island's view (see `state::Island`); `root` marks the worksheet
/// for printing. The rows are the static HTML's
/// (`kenshu_exercises_views::worksheet_rows`) with text boxes to write in.
pub fn view(st: &UseReducerHandle<ExState>, w: &Worksheet, root: NodeRef) -> Html {
    let rec = &st.rec;
    let text_box = |row: &WorksheetRow, cell: &WorksheetCell, ids: Option<(&str, &str)>| {
        let value = rec.answers.get(&cell.id).cloned().unwrap_or_default();
        let (id, prompt_id) = ids.unwrap_or_default();
        html! {
            <>
            <textarea id={id.to_string()} aria-label={format!("{} {}", row.name, cell.point)}
                aria-describedby={prompt_id.to_string()} rows="3" value={value.clone()}
                oninput={on_text(st, &cell.id)} />
            <div class="ex-print-text" aria-hidden="true">{value}</div>
            </>
        }
    };
    let rows = worksheet_rows(w, Some(&st.prefix), text_box);
    // One handler type for both buttons (one copy in the bundle).
    let printer = |blank: bool| {
        let root = root.clone();
        Callback::from(move |_: MouseEvent| print(&root, blank))
    };
    let (on_print, on_blank) = (printer(false), printer(true));
    html! {
        <div class="ex ex-worksheet" ref={root}>
            {head(&w.title, &w.instructions)}
            <p class="ex-saved">{"書いた内容は、このブラウザに自動で保存されます（学習の記録から CSV・JSON で保存できます）。"}</p>
            {rows}
            <div class="ex-controls">
                <button type="button" class="ex-btn ex-print" onclick={on_print}>{"記入した内容を印刷"}</button>
                <button type="button" class="ex-btn ex-print-blank" onclick={on_blank}>{"白紙で印刷"}</button>
                <p class="ex-print-note">{"A4 縦1枚に印刷します。1マス120字ほどまでは1枚に収まり、それより長く書いたときは2枚になることがあります。"}</p>
            </div>
        </div>
    }
}
