//! The buttons shared by both kinds (答え合わせ, やり直す, 解答を表示) and the
//! live region that announces the result.

use crate::state::{Action, ExState};
use kenshu_exercises::Grade;
use yew::prelude::*;

/// `numbered`: the items are numbered on screen, so the status names them.
pub fn controls(st: &UseReducerHandle<ExState>, grade: Option<&Grade>, numbered: bool) -> Html {
    let on_check = {
        let st = st.clone();
        Callback::from(move |_: MouseEvent| st.dispatch(Action::Check))
    };
    let on_retry = {
        let st = st.clone();
        Callback::from(move |_: MouseEvent| st.dispatch(Action::Retry))
    };
    let on_reveal = {
        let st = st.clone();
        Callback::from(move |_: MouseEvent| st.dispatch(Action::Reveal))
    };
    let on_keep = {
        let st = st.clone();
        Callback::from(move |e: Event| {
            let input: web_sys::HtmlInputElement = e.target_unchecked_into();
            st.dispatch(Action::Keep(input.checked()))
        })
    };
    // Announced by screen readers (role=status): the score and which items
    // to look at again.
    let status = match grade {
        Some(g) if g.all_correct() => format!("得点 {}　全問正解です。", g.score_text()),
        Some(g) => {
            let wrong: Vec<String> = g
                .marks
                .iter()
                .enumerate()
                .filter(|(_, m)| {
                    matches!(
                        m.verdict,
                        kenshu_exercises::Verdict::Incorrect
                            | kenshu_exercises::Verdict::Unanswered
                    )
                })
                .map(|(i, _)| (i + 1).to_string())
                .collect();
            format!(
                "得点 {}　見直す{}：{}",
                g.score_text(),
                if numbered { "番号" } else { "数" },
                if numbered {
                    wrong.join("、")
                } else {
                    wrong.len().to_string()
                }
            )
        }
        None => String::new(),
    };
    let rec = &st.rec;
    let keep_id = format!("{}-keep", st.prefix);
    html! {
        <div class="ex-controls">
            <button type="button" class="ex-btn ex-check" onclick={on_check}>{"答え合わせ"}</button>
            if rec.attempts > 0 {
                <button type="button" class="ex-btn ex-retry" onclick={on_retry}>{"やり直す"}</button>
                <span class="ex-keep">
                    <input type="checkbox" id={keep_id.clone()} checked={st.keep} onchange={on_keep} />
                    <label for={keep_id}>{"正解した解答は残す"}</label>
                </span>
                <button type="button" class="ex-btn ex-reveal" onclick={on_reveal}>{"解答を表示"}</button>
            }
            <p class="ex-score" role="status" aria-live="polite">{status}</p>
        </div>
    }
}

/// The verdict badge and the feedback text of one item or cell.
pub fn verdict_class(v: Option<kenshu_exercises::Verdict>) -> &'static str {
    use kenshu_exercises::Verdict::*;
    match v {
        Some(Correct) => "is-correct",
        Some(Incorrect) => "is-incorrect",
        Some(Unanswered) => "is-unanswered",
        Some(SelfCheck) => "is-selfcheck",
        None => "",
    }
}
