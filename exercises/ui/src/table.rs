//! The table island: a real <table>; each chosen cell is a <select> of the
//! case's statements, each free cell a <textarea>; both named
//! 「<item> <point>」.

use crate::controls::{controls, verdict_class};
use crate::state::{use_exercise, Action, ExProps};
use kenshu_exercises::{cell_label, CellMode, Exercise, Verdict};
use yew::prelude::*;

/// A, B, C … for the statements (AA, AB … past Z).
pub fn letter(i: usize) -> String {
    let a = b'A';
    if i < 26 {
        char::from(a + i as u8).to_string()
    } else {
        format!("{}{}", letter(i / 26 - 1), letter(i % 26))
    }
}

#[function_component]
pub fn TableIsland(props: &ExProps) -> Html {
    let st = use_exercise(props);
    let Exercise::Table(t) = &*st.ex else {
        return Html::default();
    };
    let rec = &st.rec;
    let grade = rec.checked.then(|| t.grade(&rec.answers));
    let stmt_label = |id: &str| {
        t.statements
            .iter()
            .position(|s| s.id == id)
            .map(|i| format!("{}．{}", letter(i), t.statements[i].text))
            .unwrap_or_default()
    };
    let rows = t.rows.iter().flat_map(|row| {
        let n = row.cells.len();
        row.cells
            .iter()
            .enumerate()
            .map(move |(k, cell)| (row, n, k, cell))
    });
    let rows = rows.map(|(row, n, k, cell)| {
        let label = cell_label(row, cell);
        let verdict = grade.as_ref().and_then(|g| g.verdict(&cell.id));
        let value = rec.answers.get(&cell.id).cloned().unwrap_or_default();
        let control = match cell.mode {
            CellMode::Chosen => {
                let on = {
                    let (st, id) = (st.clone(), cell.id.clone());
                    Callback::from(move |e: Event| {
                        let s: web_sys::HtmlSelectElement = e.target_unchecked_into();
                        st.dispatch(Action::Answer(id.clone(), s.value()))
                    })
                };
                html! {
                    <select aria-label={label} onchange={on}>
                        <option value="" selected={value.is_empty()}>{"（選択してください）"}</option>
                        { for t.statements.iter().enumerate().map(|(i, s)| html! {
                            <option value={s.id.clone()} selected={value == s.id}>
                                {letter(i)}{"．"}{&s.text}
                            </option>
                        }) }
                    </select>
                }
            }
            CellMode::Free => {
                let on = {
                    let (st, id) = (st.clone(), cell.id.clone());
                    Callback::from(move |e: InputEvent| {
                        let s: web_sys::HtmlTextAreaElement = e.target_unchecked_into();
                        st.dispatch(Action::Answer(id.clone(), s.value()))
                    })
                };
                html! { <textarea aria-label={label} rows="3" value={value.clone()} oninput={on} /> }
            }
        };
        let feedback = verdict.map(|v| {
            let model = match (v, cell.mode) {
                (Verdict::SelfCheck, _) => Some(("模範解答：", t.model_answer(cell).to_string())),
                _ => None,
            };
            html! {
                <div class="ex-feedback">
                    <p><strong class="ex-verdict">{v.label()}</strong></p>
                    if let Some((head, text)) = model {
                        <p class="ex-model"><strong>{head}</strong>{text}</p>
                    }
                    if !cell.explanation.is_empty() {
                        <p class="ex-explanation"><span class="ex-source">{t.explanation_source.label()}</span>{" "}{&cell.explanation}</p>
                    }
                </div>
            }
        });
        let solution = (rec.revealed && cell.mode == CellMode::Chosen).then(|| {
            let text = cell.answer.as_deref().map(stmt_label).unwrap_or_default();
            html! { <p class="ex-solution">{"正解："}{text}</p> }
        });
        html! {
            <tr class={classes!(verdict_class(verdict))}>
                if k == 0 {
                    <th scope="rowgroup" rowspan={n.to_string()}>{&row.name}</th>
                }
                <th scope="row">{&cell.point}</th>
                <td>{control}{for feedback}{for solution}</td>
            </tr>
        }
    });
    html! {
        <div class="ex ex-table">
            <p class="ex-title">{&t.title}</p>
            if !t.instructions.is_empty() { <p class="ex-instructions">{&t.instructions}</p> }
            if !t.statements.is_empty() {
                <div class="ex-statements">
                    <p>{"選択肢"}</p>
                    <ul>
                        { for t.statements.iter().enumerate().map(|(i, s)| html! {
                            <li><span class="ex-letter">{letter(i)}</span>{" "}{&s.text}</li>
                        }) }
                    </ul>
                </div>
            }
            <div class="ex-table-wrap">
                <table class="ex-grid">
                    <thead><tr>
                        <th scope="col">{"項目"}</th>
                        <th scope="col">{"ポイント"}</th>
                        <th scope="col">{"解答"}</th>
                    </tr></thead>
                    <tbody>{ for rows }</tbody>
                </table>
            </div>
            { controls(&st, grade.as_ref(), false) }
        </div>
    }
}
