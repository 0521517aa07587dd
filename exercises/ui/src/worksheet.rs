//! The worksheet island: the learner's own case, written into the author's
//! rows and points (cards like the table exercise). Not graded; every
//! keystroke is saved; 印刷 prints only this worksheet on one A4 page,
//! filled in or blank (style.css, `@media print`).

use crate::controls::hint;
use crate::state::{on_text, ExState};
use kenshu_exercises::Worksheet;
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
/// for printing.
pub fn view(st: &UseReducerHandle<ExState>, w: &Worksheet, root: NodeRef) -> Html {
    let rec = &st.rec;
    let rows = w.rows.iter().map(|row| {
        let cells = row.cells.iter().map(|cell| {
            let id = format!("{}-{}", st.prefix, cell.id);
            let prompt_id = format!("{id}-prompt");
            let value = rec.answers.get(&cell.id).cloned().unwrap_or_default();
            let on = on_text(st, &cell.id);
            html! {
                <div class="ex-cell">
                    <p class="ex-point">{&cell.point}</p>
                    <div class="ex-answer">
                        <p class="ex-prompt" id={prompt_id.clone()}>{&cell.prompt}</p>
                        <textarea id={id} aria-label={format!("{} {}", row.name, cell.point)}
                            aria-describedby={prompt_id} rows="3" value={value.clone()} oninput={on} />
                        <div class="ex-print-text" aria-hidden="true">{value}</div>
                    </div>
                </div>
            }
        });
        html! {
            <li class="ex-row">
                <div class="ex-row-head">
                    <p class="ex-row-name">{&row.name}</p>
                    {hint(&row.hint)}
                </div>
                <div class="ex-cells">{for cells}</div>
            </li>
        }
    });
    let on_print = {
        let root = root.clone();
        Callback::from(move |_: MouseEvent| print(&root, false))
    };
    let on_blank = {
        let root = root.clone();
        Callback::from(move |_: MouseEvent| print(&root, true))
    };
    html! {
        <div class="ex ex-worksheet" ref={root}>
            <p class="ex-title">{&w.title}</p>
            if !w.instructions.is_empty() { <p class="ex-instructions">{&w.instructions}</p> }
            <p class="ex-saved">{"書いた内容は、このブラウザに自動で保存されます（学習の記録から CSV・JSON で保存できます）。"}</p>
            <ol class="ex-rows">{ for rows }</ol>
            <div class="ex-controls">
                <button type="button" class="ex-btn ex-print" onclick={on_print}>{"記入した内容を印刷"}</button>
                <button type="button" class="ex-btn ex-print-blank" onclick={on_blank}>{"白紙で印刷"}</button>
                <p class="ex-print-note">{"A4 縦1枚に印刷します。1マス120字ほどまでは1枚に収まり、それより長く書いたときは2枚になることがあります。"}</p>
            </div>
        </div>
    }
}
