//! What every graded kind shares: the summary at the top of the exercise
//! (score, links to the items to look at again, やり直す and 解答を表示),
//! which takes the focus after 答え合わせ; the 答え合わせ button; the
//! verdict badge; hints on request.

use crate::state::{Action, ExState};
use kenshu_exercises::{Grade, Verdict};
use yew::prelude::*;

/// One item in the summary's links: its element id and the text of the
/// link (a number, or 「<row> <point>」 for a table cell).
pub struct Target {
    pub id: String,
    pub anchor: String,
    pub label: String,
}

/// Moves the focus (and so the view) to `node` each time 答え合わせ is
/// pressed, not when a checked record is restored on load.
#[hook]
pub fn use_focus_on_check(st: &UseReducerHandle<ExState>, node: NodeRef) {
    let seen = use_mut_ref(|| st.rec.attempts);
    let (attempts, checked) = (st.rec.attempts, st.rec.checked);
    use_effect_with((attempts, checked), move |_| {
        if checked && attempts > *seen.borrow() {
            if let Some(e) = node.cast::<web_sys::HtmlElement>() {
                let _ = e.focus();
                // Always scroll it to the top of the view: focusing does
                // not scroll when the summary is in view, and a scroll
                // still under way (to the 答え合わせ button just tabbed to)
                // would then carry it out of view; this one replaces it.
                e.scroll_into_view_with_bool(true);
            }
        }
        *seen.borrow_mut() = attempts;
    });
}

fn links(g: &Grade, targets: &[Target], want: Verdict) -> Vec<Html> {
    targets
        .iter()
        .filter(|t| g.verdict(&t.id) == Some(want))
        .map(|t| html! { <li><a href={format!("#{}", t.anchor)}>{&t.label}</a></li> })
        .collect()
}

/// The summary shown above the items once the learner has checked.
pub fn summary(
    st: &UseReducerHandle<ExState>,
    grade: Option<&Grade>,
    targets: &[Target],
    node: NodeRef,
) -> Html {
    let rec = &st.rec;
    if rec.attempts == 0 {
        return html! { <div class="ex-summary" ref={node} tabindex="-1" hidden=true /> };
    }
    let dispatch = |a: fn() -> Action| {
        let st = st.clone();
        Callback::from(move |_: MouseEvent| st.dispatch(a()))
    };
    let body = match grade {
        Some(g) => {
            let wrong = links(g, targets, Verdict::Incorrect);
            let blank = links(g, targets, Verdict::Unanswered);
            html! {
                <>
                <p class="ex-score">
                    {format!("得点 {}", g.score_text())}
                    if g.all_correct() { {"　全問正解です。"} }
                </p>
                if !wrong.is_empty() {
                    <div class="ex-revisit"><span>{"不正解："}</span><ul>{wrong}</ul></div>
                }
                if !blank.is_empty() {
                    <div class="ex-revisit"><span>{"未回答："}</span><ul>{blank}</ul></div>
                }
                </>
            }
        }
        None => html! {
            <p class="ex-changed">{"解答が変わりました。「答え合わせ」を押すと、もう一度採点します。"}</p>
        },
    };
    let some_wrong = grade.is_some_and(|g| !g.all_correct());
    html! {
        <div class="ex-summary" ref={node} tabindex="-1" aria-label="答え合わせの結果">
            {body}
            <div class="ex-actions">
                if some_wrong {
                    <button type="button" class="ex-btn" onclick={dispatch(|| Action::Retry(true))}>
                        {"不正解の項目だけやり直す"}
                    </button>
                }
                <button type="button" class="ex-btn" onclick={dispatch(|| Action::Retry(false))}>
                    {"最初からやり直す"}
                </button>
                if !rec.revealed {
                    <button type="button" class="ex-btn ex-reveal" onclick={dispatch(|| Action::Reveal)}>
                        {"解答を表示"}
                    </button>
                }
            </div>
        </div>
    }
}

/// The 答え合わせ button under the items.
pub fn check_button(st: &UseReducerHandle<ExState>) -> Html {
    let on_check = {
        let st = st.clone();
        Callback::from(move |_: MouseEvent| st.dispatch(Action::Check))
    };
    html! {
        <div class="ex-controls">
            <button type="button" class="ex-btn ex-check" onclick={on_check}>{"答え合わせ"}</button>
        </div>
    }
}

/// The `data-v` of an item or cell after checking (styled in style.css;
/// an attribute rather than a class keeps Yew's `Classes` set, an
/// `IndexSet`, out of the bundle).
pub fn verdict_key(v: Option<Verdict>) -> Option<&'static str> {
    Some(match v? {
        Verdict::Correct => "correct",
        Verdict::Incorrect => "incorrect",
        Verdict::Unanswered => "unanswered",
        Verdict::SelfCheck => "selfcheck",
    })
}

/// The verdict badge.
pub fn badge(v: Verdict) -> Html {
    html! { <p class="ex-verdict-line"><strong class="ex-verdict">{v.label()}</strong></p> }
}

/// An explanation labelled with its author.
pub fn explanation(source: &'static str, text: &str) -> Html {
    if text.is_empty() {
        return Html::default();
    }
    html! {
        <p class="ex-explanation"><span class="ex-source">{source}</span>{" "}{text}</p>
    }
}

/// A hint, shown only when the learner opens it.
pub fn hint(text: &str) -> Html {
    if text.is_empty() {
        return Html::default();
    }
    html! {
        <details class="ex-hint"><summary>{"ヒント"}</summary><p>{text}</p></details>
    }
}
