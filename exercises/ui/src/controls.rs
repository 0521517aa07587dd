//! What every graded kind shares: the summary at the top of the exercise
//! (score, links to the items to look at again, やり直す and 解答を表示),
//! which takes the focus after 答え合わせ; the 答え合わせ button; the
//! verdict badge; hints on request.

use crate::state::{Action, ExState};
use kenshu_exercises::{Grade, Verdict, SURE, UNSURE};
use yew::prelude::*;

/// One item in the summary's links: its element id and the text of the
/// link (a number, or 「<row> <point>」 for a table cell).
pub struct Target {
    pub id: String,
    pub anchor: String,
    pub label: String,
    /// The explanation, repeated in the summary for an item the learner
    /// was sure of and got wrong.
    pub why: String,
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

fn link(t: &Target) -> Html {
    html! { <li><a href={format!("#{}", t.anchor)}>{&t.label}</a></li> }
}

fn links<'t>(g: &Grade, targets: &'t [Target], want: Verdict) -> Vec<&'t Target> {
    targets
        .iter()
        .filter(|t| g.verdict(&t.id) == Some(want))
        .collect()
}

/// 自信あり / 自信なし for item `id`: two toggle buttons, optional, one tap
/// (the same again clears it); only before 答え合わせ.
pub fn confidence(st: &UseReducerHandle<ExState>, id: &str) -> Html {
    if st.rec.checked {
        return Html::default();
    }
    let now = st.rec.sure(id);
    let button = |value: &'static str, text: &'static str, on: bool| {
        let (st, id) = (st.clone(), id.to_string());
        let tap =
            Callback::from(move |_: MouseEvent| st.dispatch(Action::Confidence(id.clone(), value)));
        html! {
            <button type="button" class="ex-sure" aria-pressed={if on { "true" } else { "false" }}
                onclick={tap}>{text}</button>
        }
    };
    html! {
        <div class="ex-confidence" role="group" aria-label="この答えの自信（任意）">
            {button(SURE, "自信あり", now == Some(true))}
            {button(UNSURE, "自信なし", now == Some(false))}
        </div>
    }
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
        // A check before the training: its feedback would give the
        // answers of the check after it away.
        _ if st.held => html! {
            <p class="ex-changed">{"答えを記録しました。正誤と解説は、事後チェックの答え合わせをした後に、ここで確かめられます。"}</p>
        },
        Some(g) => {
            // Sure but wrong first, with the explanations: the answers
            // most worth a second look.
            let (sure_wrong, wrong): (Vec<&Target>, Vec<&Target>) =
                links(g, targets, Verdict::Incorrect)
                    .into_iter()
                    .partition(|t| rec.sure(&t.id) == Some(true));
            let blank = links(g, targets, Verdict::Unanswered);
            html! {
                <>
                <p class="ex-score">
                    {format!("得点 {}", g.score_text())}
                    if g.all_correct() { {"　全問正解です。"} }
                </p>
                if !sure_wrong.is_empty() {
                    <div class="ex-revisit ex-sure-wrong">
                        <span>{"自信ありで不正解："}</span>
                        <ul>{for sure_wrong.iter().map(|t| link(t))}</ul>
                    </div>
                    <dl class="ex-sure-why">
                        {for sure_wrong.iter().filter(|t| !t.why.is_empty()).map(|t| html! {
                            <><dt>{&t.label}</dt><dd>{&t.why}</dd></>
                        })}
                    </dl>
                }
                if !wrong.is_empty() {
                    <div class="ex-revisit"><span>{"不正解："}</span><ul>{for wrong.iter().map(|t| link(t))}</ul></div>
                }
                if !blank.is_empty() {
                    <div class="ex-revisit"><span>{"未回答："}</span><ul>{for blank.iter().map(|t| link(t))}</ul></div>
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
                if st.held {
                } else if crate::state::ROUND {
                    // The next round: the page again (works from file:// too).
                    <a class="ex-btn" href="">{"続けて復習する"}</a>
                } else {
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
                }
            </div>
        </div>
    }
}

/// The 答え合わせ button under the items.
pub fn check_button(st: &UseReducerHandle<ExState>) -> Html {
    if crate::state::ROUND && st.rec.attempts > 0 {
        return Html::default();
    }
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

/// The verdict badge, with the learner's confidence when they said.
pub fn badge(st: &UseReducerHandle<ExState>, id: &str, v: Verdict) -> Html {
    let sure = match st.rec.sure(id) {
        Some(true) => "自信あり",
        Some(false) => "自信なし",
        None => "",
    };
    html! {
        <p class="ex-verdict-line">
            <strong class="ex-verdict">{v.label()}</strong>
            if !sure.is_empty() { <span class="ex-sure-said">{sure}</span> }
        </p>
    }
}

/// A hint, shown only when the learner opens it, and an explanation
/// labelled with its author: the static HTML's too.
pub use kenshu_exercises_views::{explanation, hint};
