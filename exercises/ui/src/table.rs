//! The table island as a list of cards: one card per row (項目) with its
//! points; each chosen point a <select> of the statements (the chosen
//! statement's full text is shown beneath it), each free point a
//! <textarea>; both named 「<item> <point>」. On a wide screen the cards line
//! up as a table (style.css, container query).

use crate::controls::{
    badge, check_button, confidence, explanation, hint, summary, verdict_key, Target,
};
use crate::state::{on_text, Action, ExState};
use kenshu_exercises::{cell_label, order, CellMode, Table, Verdict};
use kenshu_exercises_views::{checklist, head, letter, row_item, statements};
use yew::prelude::*;

/// The island's view (see `state::Island`); `top` is the summary's node.
pub fn view(st: &UseReducerHandle<ExState>, t: &Table, top: NodeRef) -> Html {
    let rec = &st.rec;
    let grade = st.shown().then(|| t.grade(&rec.answers));
    // The statements in this attempt's order; letters follow it.
    let stmts: Vec<&kenshu_exercises::Statement> =
        order(t.statements.len(), if t.shuffle { rec.seed } else { 0 })
            .into_iter()
            .map(|i| &t.statements[i])
            .collect();
    let stmt_label = |id: &str| {
        stmts
            .iter()
            .position(|s| s.id == id)
            .map(|i| format!("{}．{}", letter(i), stmts[i].text))
            .unwrap_or_default()
    };
    let source = t.explanation_source.label();
    let targets: Vec<Target> = t
        .cells()
        .map(|(row, cell)| Target {
            id: cell.id.clone(),
            anchor: format!("{}-{}", st.prefix, cell.id),
            label: cell_label(row, cell),
            why: cell.explanation.clone(),
        })
        .collect();
    let card = |row: &kenshu_exercises::Row, cell: &kenshu_exercises::Cell| {
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
                    <>
                    <select aria-label={label} onchange={on}>
                        <option value="" selected={value.is_empty()}>{"（選択してください）"}</option>
                        { for stmts.iter().enumerate().map(|(i, s)| html! {
                            <option key={s.id.as_str()} value={s.id.clone()} selected={value == s.id}>
                                {letter(i)}{"．"}{&s.text}
                            </option>
                        }) }
                    </select>
                    if !value.is_empty() {
                        <p class="ex-chosen" aria-hidden="true">{stmt_label(&value)}</p>
                    }
                    </>
                }
            }
            CellMode::Free => {
                let on = on_text(st, &cell.id);
                html! { <textarea aria-label={label} rows="3" value={value.clone()} oninput={on} /> }
            }
        };
        let answered = matches!(
            verdict,
            Some(Verdict::Correct | Verdict::Incorrect | Verdict::SelfCheck)
        );
        let show_why = answered || rec.revealed;
        let feedback = match cell.mode {
            CellMode::Chosen => {
                let show_right = verdict == Some(Verdict::Incorrect) || rec.revealed;
                let right = cell.answer.as_deref().map(stmt_label).unwrap_or_default();
                let mistake = (verdict == Some(Verdict::Incorrect))
                    .then(|| t.mistake(cell, &value))
                    .flatten()
                    .map(|m| {
                        let i = stmts.iter().position(|s| s.id == value).unwrap_or(0);
                        html! {
                            <p class="ex-mistake"><strong>{format!("選んだ{}について", letter(i))}</strong>{" "}{m}</p>
                        }
                    });
                html! {
                    <>
                    if show_right { <p class="ex-solution">{"正解："}{right}</p> }
                    {for mistake}
                    if show_why { {explanation(source, &cell.explanation)} }
                    </>
                }
            }
            CellMode::Free if show_why => html! {
                <>
                <p class="ex-model"><strong>{"模範解答："}</strong>{t.model_answer(cell)}</p>
                {checklist(&cell.checklist)}
                {explanation(source, &cell.explanation)}
                </>
            },
            CellMode::Free => Html::default(),
        };
        html! {
            <div class="ex-cell" data-v={verdict_key(verdict)} id={format!("{}-{}", st.prefix, cell.id)} tabindex="-1">
                <p class="ex-point">{&cell.point}</p>
                <div class="ex-answer">
                    {control}
                    if cell.mode == CellMode::Chosen { {confidence(st, &cell.id)} }
                    {hint(&cell.hint)}
                    if verdict.is_some() || rec.revealed {
                        <div class="ex-feedback">
                            if let Some(v) = verdict { {badge(st, &cell.id, v)} }
                            {feedback}
                        </div>
                    }
                </div>
            </div>
        }
    };
    let rows = t.rows.iter().map(|row| {
        let cells = html! { { for row.cells.iter().map(|cell| card(row, cell)) } };
        row_item(&row.name, &row.hint, cells)
    });
    html! {
        <div class="ex ex-table">
            {head(&t.title, &t.instructions)}
            { summary(st, grade.as_ref(), &targets, top) }
            {statements(stmts.iter().copied())}
            <ol class="ex-rows">{ for rows }</ol>
            { check_button(st) }
        </div>
    }
}
