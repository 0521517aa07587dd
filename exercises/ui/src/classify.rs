//! The classify island: one radio group per item, right under the item's
//! text (its accessible name); one radio per category, styled as a wide
//! button. After 答え合わせ each answered item says 正解/不正解, names the
//! right category and says why; a blank item says only 未回答.

use crate::controls::{badge, check_button, confidence, explanation, summary, verdict_key, Target};
use crate::state::{Action, ExState};
use kenshu_exercises::{order, Classify, Verdict};
use kenshu_exercises_views::{head, legend, note};
use yew::prelude::*;

/// The island's view (see `state::Island`); `top` is the summary's node.
pub fn view(st: &UseReducerHandle<ExState>, c: &Classify, top: NodeRef) -> Html {
    let rec = &st.rec;
    let grade = st.shown().then(|| c.grade(&rec.answers));
    let shown: Vec<&kenshu_exercises::Item> =
        order(c.items.len(), if c.shuffle { rec.seed } else { 0 })
            .into_iter()
            .map(|i| &c.items[i])
            .collect();
    let targets: Vec<Target> = shown
        .iter()
        .enumerate()
        .map(|(n, item)| Target {
            id: item.id.clone(),
            anchor: format!("{}-{}", st.prefix, item.id),
            label: (n + 1).to_string(),
            why: item.explanation.clone(),
        })
        .collect();
    // Keyed by item: a new order moves the items' nodes instead of
    // rewriting them in place (rewriting radio names and checked states in
    // place lets the browser uncheck a radio of another group midway).
    let items = shown.iter().map(|item| {
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
            let is_chosen = chosen == Some(&cat.id);
            let mark = match verdict {
                Some(Verdict::Correct) if is_chosen => Some("right"),
                Some(Verdict::Incorrect) if is_chosen => Some("wrong"),
                _ => None,
            };
            html! {
                <label class="ex-choice" data-m={mark}>
                    <input type="radio" name={name.clone()} value={cat.id.clone()}
                        checked={is_chosen} onchange={on} />
                    <span>{&cat.name}</span>
                </label>
            }
        });
        let right = c.category(&item.answer).map_or("", |k| k.name.as_str());
        let show_why = matches!(verdict, Some(Verdict::Correct | Verdict::Incorrect)) || rec.revealed;
        let show_right = verdict == Some(Verdict::Incorrect) || rec.revealed;
        let mistake = match (verdict, chosen) {
            (Some(Verdict::Incorrect), Some(ch)) => c.mistake(item, ch).map(|m| {
                let name = c.category(ch).map_or("", |k| k.name.as_str());
                html! { <p class="ex-mistake"><strong>{format!("「{name}」ではない理由")}</strong>{" "}{m}</p> }
            }),
            _ => None,
        };
        html! {
            <li key={item.id.as_str()} class="ex-item" data-v={verdict_key(verdict)} id={name.clone()} tabindex="-1">
                <div role="radiogroup" aria-labelledby={text_id.clone()} class="ex-group">
                    <p id={text_id} class="ex-text">{&item.text}</p>
                    <div class="ex-choices">{for radios}</div>
                </div>
                {confidence(st, &item.id)}
                if verdict.is_some() || rec.revealed {
                    <div class="ex-feedback">
                        if let Some(v) = verdict { {badge(st, &item.id, v)} }
                        if show_right { <p class="ex-solution">{"正解："}{right}</p> }
                        {for mistake}
                        if show_why {
                            {explanation(c.source_of(item).label(), &item.explanation)}
                            {note(&item.note)}
                        }
                    </div>
                }
            </li>
        }
    });
    html! {
        <div class="ex ex-classify">
            {head(&c.title, &c.instructions)}
            {legend(&c.categories, false)}
            { summary(st, grade.as_ref(), &targets, top) }
            <ol class="ex-items">{ for items }</ol>
            { check_button(st) }
        </div>
    }
}
