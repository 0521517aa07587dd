//! The classify island: one radio group per item, named by the item's text;
//! one radio per category. A board of columns (tap an item, then a column;
//! or drag) works on the same state.

use crate::controls::{controls, verdict_class};
use crate::state::{use_exercise, Action, ExProps};
use kenshu_exercises::Exercise;
use yew::prelude::*;

#[function_component]
pub fn ClassifyIsland(props: &ExProps) -> Html {
    let st = use_exercise(props);
    let picked = use_state(|| None::<String>);
    let Exercise::Classify(c) = &*st.ex else {
        return Html::default();
    };
    let rec = &st.rec;
    let grade = rec.checked.then(|| c.grade(&rec.answers));
    let items = c.items.iter().map(|item| {
        let name = format!("{}-{}", st.prefix, item.id);
        let text_id = format!("{name}-text");
        let verdict = grade.as_ref().and_then(|g| g.verdict(&item.id));
        let chosen = rec.answers.get(&item.id);
        let radios = c.categories.iter().map(|cat| {
            let on = {
                let st = st.clone();
                let (i, v) = (item.id.clone(), cat.id.clone());
                Callback::from(move |_: Event| st.dispatch(Action::Answer(i.clone(), v.clone())))
            };
            html! {
                <label class="ex-choice">
                    <input type="radio" name={name.clone()} value={cat.id.clone()}
                        checked={chosen == Some(&cat.id)} onchange={on} />
                    {&cat.name}
                </label>
            }
        });
        let feedback = verdict.map(|v| {
            let source = c.source_of(item).label();
            html! {
                <div class="ex-feedback">
                    <p><strong class="ex-verdict">{v.label()}</strong></p>
                    <p class="ex-explanation"><span class="ex-source">{source}</span>{" "}{&item.explanation}</p>
                    if !item.note.is_empty() {
                        <p class="ex-note"><strong>{"注意"}</strong>{" "}{&item.note}</p>
                    }
                </div>
            }
        });
        let solution = rec.revealed.then(|| {
            let name = c.category(&item.answer).map(|k| k.name.as_str()).unwrap_or("");
            html! { <p class="ex-solution">{"正解："}{name}</p> }
        });
        html! {
            <li class={classes!("ex-item", verdict_class(verdict))}>
                <div role="radiogroup" aria-labelledby={text_id.clone()} class="ex-group">
                    <p id={text_id} class="ex-text">{&item.text}</p>
                    <div class="ex-choices">{for radios}</div>
                </div>
                {for feedback}
                {for solution}
            </li>
        }
    });

    // The board: tap an item, then a column (or drag an item onto a column).
    let columns = c.categories.iter().map(|cat| {
        let placed = c
            .items
            .iter()
            .enumerate()
            .filter(|(_, i)| rec.answers.get(&i.id) == Some(&cat.id));
        let on_place = {
            let (st, picked, cat) = (st.clone(), picked.clone(), cat.id.clone());
            Callback::from(move |_: MouseEvent| {
                if let Some(i) = (*picked).clone() {
                    st.dispatch(Action::Answer(i, cat.clone()));
                    picked.set(None);
                }
            })
        };
        let on_drop = {
            let (st, picked, cat) = (st.clone(), picked.clone(), cat.id.clone());
            Callback::from(move |e: DragEvent| {
                e.prevent_default();
                let id = e
                    .data_transfer()
                    .and_then(|d| d.get_data("text/plain").ok())
                    .filter(|s| !s.is_empty())
                    .or_else(|| (*picked).clone());
                if let Some(i) = id {
                    st.dispatch(Action::Answer(i, cat.clone()));
                    picked.set(None);
                }
            })
        };
        html! {
            <div class="ex-column" onclick={on_place} ondrop={on_drop}
                ondragover={Callback::from(|e: DragEvent| e.prevent_default())}>
                <p class="ex-column-title" aria-hidden="true">{&cat.name}</p>
                <ul aria-hidden="true">
                    { for placed.map(|(n, i)| chip(&picked, n, &i.id)) }
                </ul>
            </div>
        }
    });
    let unplaced = c
        .items
        .iter()
        .enumerate()
        .filter(|(_, i)| !rec.answers.contains_key(&i.id));
    html! {
        <div class="ex ex-classify">
            <p class="ex-title">{&c.title}</p>
            if !c.instructions.is_empty() { <p class="ex-instructions">{&c.instructions}</p> }
            <dl class="ex-legend">
                { for c.categories.iter().filter(|k| !k.description.is_empty()).map(|k| html! {
                    <><dt>{&k.name}</dt><dd>{&k.description}</dd></>
                }) }
            </dl>
            <div class="ex-board" aria-hidden="true">
                <p class="ex-board-hint">{"番号を選んでから列を選ぶと、その分類に入ります（ドラッグでも動かせます）。下の選択肢でも答えられます。"}</p>
                <ul class="ex-pool">{ for unplaced.map(|(n, i)| chip(&picked, n, &i.id)) }</ul>
                <div class="ex-columns">{ for columns }</div>
            </div>
            <ol class="ex-items">{ for items }</ol>
            { controls(&st, grade.as_ref(), true) }
        </div>
    }
}

/// A numbered chip of the board (tap to pick, or drag). The board is a
/// pointer convenience hidden from assistive technology; the radio groups
/// are the accessible interface.
fn chip(picked: &UseStateHandle<Option<String>>, n: usize, id: &str) -> Html {
    let is_picked = picked.as_deref() == Some(id);
    let on_pick = {
        let (picked, id) = (picked.clone(), id.to_string());
        Callback::from(move |e: MouseEvent| {
            e.stop_propagation();
            picked.set(if picked.as_deref() == Some(id.as_str()) {
                None
            } else {
                Some(id.clone())
            });
        })
    };
    let on_drag = {
        let id = id.to_string();
        Callback::from(move |e: DragEvent| {
            if let Some(d) = e.data_transfer() {
                let _ = d.set_data("text/plain", &id);
            }
        })
    };
    html! {
        <li class={classes!("ex-chip", is_picked.then_some("is-picked"))} draggable="true"
            onclick={on_pick} ondragstart={on_drag}>{n + 1}</li>
    }
}
