//! The choice island: per question a radio group (one right option) or a
//! group of checkboxes (several), named by the question's text. After
//! 答え合わせ each answered question says 正解/不正解, names the right
//! option(s) and gives the feedback of each chosen option; a blank question
//! says only 未回答.

use crate::controls::{badge, check_button, confidence, explanation, summary, verdict_key, Target};
use crate::state::{Action, ExState};
use kenshu_exercises::{choice_value, chosen_options, order, Choice, Question, Verdict};
use kenshu_exercises_views::head;
use yew::prelude::*;

/// The stored value after toggling option `id` of `q` (kept in the
/// options' order).
fn toggled(q: &Question, value: &str, id: &str, on: bool) -> String {
    let now = chosen_options(value);
    let ids: Vec<&str> = q
        .options
        .iter()
        .map(|o| o.id.as_str())
        .filter(|o| if *o == id { on } else { now.contains(o) })
        .collect();
    choice_value(&ids)
}

/// The island's view (see `state::Island`); `top` is the summary's node.
pub fn view(st: &UseReducerHandle<ExState>, c: &Choice, top: NodeRef) -> Html {
    let rec = &st.rec;
    let grade = st.shown().then(|| c.grade(&rec.answers));
    let shown: Vec<&Question> = order(c.questions.len(), if c.shuffle { rec.seed } else { 0 })
        .into_iter()
        .map(|i| &c.questions[i])
        .collect();
    let targets: Vec<Target> = shown
        .iter()
        .enumerate()
        .map(|(n, q)| Target {
            id: q.id.clone(),
            anchor: format!("{}-{}", st.prefix, q.id),
            label: (n + 1).to_string(),
            why: q.explanation.clone(),
        })
        .collect();
    let questions = shown.iter().enumerate().map(|(n, q)| {
        let name = format!("{}-{}", st.prefix, q.id);
        let text_id = format!("{name}-text");
        let verdict = grade.as_ref().and_then(|g| g.verdict(&q.id));
        let value = rec.answers.get(&q.id).cloned().unwrap_or_default();
        let chosen = chosen_options(&value);
        let multiple = q.multiple();
        let options = q.options.iter().map(|o| {
            let is_chosen = chosen.contains(&o.id.as_str());
            let on = {
                let (st, q, value, id) = (st.clone(), (*q).clone(), value.clone(), o.id.clone());
                Callback::from(move |e: Event| {
                    let input: web_sys::HtmlInputElement = e.target_unchecked_into();
                    let v = if multiple {
                        toggled(&q, &value, &id, input.checked())
                    } else {
                        id.clone()
                    };
                    st.dispatch(Action::Answer(q.id.clone(), v))
                })
            };
            let mark = match verdict {
                Some(Verdict::Correct | Verdict::Incorrect) if is_chosen && o.correct => Some("right"),
                Some(Verdict::Correct | Verdict::Incorrect) if is_chosen => Some("wrong"),
                _ => None,
            };
            html! {
                <label class="ex-choice ex-option" data-m={mark}>
                    <input type={if multiple { "checkbox" } else { "radio" }} name={name.clone()}
                        value={o.id.clone()} checked={is_chosen} onchange={on} />
                    <span>{&o.text}</span>
                </label>
            }
        });
        let answered = matches!(verdict, Some(Verdict::Correct | Verdict::Incorrect));
        let show_right = verdict == Some(Verdict::Incorrect) || rec.revealed;
        let right: Vec<String> = q.right().map(|o| format!("「{}」", o.text)).collect();
        // Feedback for the chosen options (after checking), or for every
        // option (解答を表示).
        let notes = q
            .options
            .iter()
            .filter(|o| {
                !o.feedback.is_empty()
                    && (rec.revealed || (answered && chosen.contains(&o.id.as_str())))
            })
            .map(|o| {
                html! {
                    <li data-m={if o.correct { "right" } else { "wrong" }}>
                        <strong>
                            <span aria-hidden="true">{if o.correct { "○ " } else { "× " }}</span>
                            <span class="ex-sr">{if o.correct { "正解の選択肢：" } else { "誤りの選択肢：" }}</span>
                            {&o.text}
                        </strong>
                        {"："}{&o.feedback}
                    </li>
                }
            })
            .collect::<Vec<Html>>();
        html! {
            <li key={q.id.as_str()} class="ex-item" data-v={verdict_key(verdict)} id={name.clone()} tabindex="-1">
                <div role={if multiple { "group" } else { "radiogroup" }} aria-labelledby={text_id.clone()} class="ex-group">
                    if let Some(r) = st.round.get(n).filter(|_| crate::state::ROUND) {
                        <p class="ex-case"><a href={r.href.clone()}>{&r.title}</a></p>
                        if !r.scene.is_empty() { <p class="ex-scene">{&r.scene}</p> }
                    }
                    <p id={text_id} class="ex-text">{&q.text}</p>
                    if multiple { <p class="ex-multi">{"当てはまるものをすべて選んでください。"}</p> }
                    <div class="ex-choices ex-options">{for options}</div>
                </div>
                {confidence(st, &q.id)}
                if verdict.is_some() || rec.revealed {
                    <div class="ex-feedback">
                        if let Some(v) = verdict { {badge(st, &q.id, v)} }
                        if show_right { <p class="ex-solution">{"正解："}{right.concat()}</p> }
                        if !notes.is_empty() { <ul class="ex-option-feedback">{notes}</ul> }
                        if answered || rec.revealed {
                            {explanation(c.source_of(q).label(), &q.explanation)}
                        }
                    </div>
                }
            </li>
        }
    });
    html! {
        <div class="ex ex-choice-ex">
            {head(&c.title, &c.instructions)}
            { summary(st, grade.as_ref(), &targets, top) }
            <ol class="ex-items">{ for questions }</ol>
            { check_button(st) }
        </div>
    }
}
