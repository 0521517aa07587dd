//! The static forms of the exercises (native only, feature `ssr`): what a
//! reader sees before the island starts, without JavaScript and in print,
//! and the lecturers' answer key — written from the same views as the
//! island where the two show the same thing, and rendered to strings with
//! Yew's server renderer. Text is escaped by Yew.

use super::*;
use kenshu_exercises::{
    cell_label, mistake_in, CellMode, Choice, Classify, Exercise, Question, Table,
};

#[derive(Properties, PartialEq)]
struct Props {
    html: Html,
}

#[function_component]
fn Static(p: &Props) -> Html {
    p.html.clone()
}

/// `html` as a string (the markup never suspends, so this finishes on the
/// calling thread).
fn render(html: Html) -> String {
    futures_executor::block_on(
        yew::LocalServerRenderer::<Static>::with_props(Props { html })
            .hydratable(false)
            .render(),
    )
}

/// What a reader sees until the island starts, without JavaScript and in
/// print: the exercise's head and items, with room to answer on paper, and
/// (unless `pre`, a check before the training whose answers would give the
/// check after it away) the answers and explanations in a closed
/// disclosure.
pub fn static_html(ex: &Exercise, pre: bool) -> String {
    let answers = |summary: &'static str, body: Html| {
        (!pre).then(|| {
            html! { <details class="ex-answers"><summary>{summary}</summary>{body}</details> }
        })
    };
    let body = match ex {
        Exercise::Classify(c) => {
            let items = c.items.iter().map(|item| {
                html! { <li class="ex-item"><p class="ex-text">{&item.text}</p></li> }
            });
            let key = c
                .items
                .iter()
                .map(|item| html! { <li>{item_answer(c, item)}</li> });
            html! {
                <>
                {legend(&c.categories, true)}
                <ol class="ex-items">{for items}</ol>
                {for answers("解答と解説", html! { <ol class="ex-key">{for key}</ol> })}
                </>
            }
        }
        Exercise::Table(t) => html! {
            <>
            {statements(&t.statements)}
            {grid(t, false)}
            {for answers("解答例と解説", grid(t, true))}
            </>
        },
        Exercise::Worksheet(w) => worksheet_rows(w, None, blank_lines),
        Exercise::Choice(c) => {
            let questions = c.questions.iter().map(|q| {
                html! {
                    <li class="ex-item">
                        <p class="ex-text">{&q.text}</p>
                        if q.multiple() { <p class="ex-multi">{"当てはまるものをすべて選びます。"}</p> }
                        <ul class="ex-options">{for q.options.iter().map(|o| html! { <li>{&o.text}</li> })}</ul>
                    </li>
                }
            });
            let key = c
                .questions
                .iter()
                .map(|q| html! { <li>{question_answer(c, q)}</li> });
            html! {
                <>
                <ol class="ex-items">{for questions}</ol>
                {for answers("解答と解説", html! { <ol class="ex-key">{for key}</ol> })}
                </>
            }
        }
    };
    let (title, instructions) = match ex {
        Exercise::Classify(c) => (&c.title, &c.instructions),
        Exercise::Table(t) => (&t.title, &t.instructions),
        Exercise::Worksheet(w) => (&w.title, &w.instructions),
        Exercise::Choice(c) => (&c.title, &c.instructions),
    };
    render(html! { <>{head(title, instructions)}{body}</> })
}

/// An exercise's entry in the answer key: its title (linked to `href`,
/// the page that embeds it, unless "") and every answer with its
/// explanation.
pub fn key_html(ex: &Exercise, href: &str) -> String {
    let body = match ex {
        Exercise::Classify(c) => {
            let items = c.items.iter().map(|item| {
                html! {
                    <li class="ex-item"><p class="ex-text">{&item.text}</p>{item_answer(c, item)}</li>
                }
            });
            html! { <ol class="ex-items">{for items}</ol> }
        }
        Exercise::Table(t) => {
            let why = t
                .statements
                .iter()
                .enumerate()
                .filter(|(_, s)| !s.feedback.is_empty());
            let why: Vec<Html> = why
                .map(|(i, s)| {
                    html! {
                        <li><span class="ex-letter">{letter(i)}</span>{" "}{&s.text}<br />{&s.feedback}</li>
                    }
                })
                .collect();
            html! {
                <>
                {grid(t, true)}
                if !why.is_empty() {
                    <div class="ex-statements"><p>{"選択肢ごとの解説"}</p><ul>{why}</ul></div>
                }
                </>
            }
        }
        Exercise::Worksheet(w) => html! {
            <>
            <p>{"（ワークシート：受講者が自分の事例で記入します。正解はありません。）"}</p>
            {worksheet_rows(w, None, blank_lines)}
            </>
        },
        Exercise::Choice(c) => {
            let questions = c.questions.iter().map(|q| {
                html! {
                    <li class="ex-item"><p class="ex-text">{&q.text}</p>{question_answer(c, q)}</li>
                }
            });
            html! { <ol class="ex-items">{for questions}</ol> }
        }
    };
    render(html! {
        <><p class="ex-title">{title_link(ex.title(), href)}</p>{body}</>
    })
}

/// An exercise's entry in the short answer key (a sheet for the lectern):
/// its title, linked to its entry in the answer key (`#key-ID`), and its
/// answers only, one line each.
pub fn key_short_html(ex: &Exercise) -> String {
    let list = match ex {
        Exercise::Classify(c) => {
            let items = c.items.iter().map(|item| {
                let right = c.category(&item.answer).map_or("", |k| k.name.as_str());
                html! { <li><span class="key-short-id">{&item.id}</span>{" "}{right}</li> }
            });
            html! { <ol class="key-short-list">{for items}</ol> }
        }
        Exercise::Choice(c) => {
            let questions = c.questions.iter().map(|q| {
                let right: Vec<&str> = q.right().map(|o| o.text.as_str()).collect();
                html! { <li>{right.join("・")}</li> }
            });
            html! { <ol class="key-short-list">{for questions}</ol> }
        }
        Exercise::Table(t) => {
            let cells = t.cells().map(|(_, cell)| {
                let mark = match cell.mode {
                    CellMode::Chosen => {
                        let answer = model_answer(t, cell);
                        let letter = answer.split('．').next().unwrap_or_default().to_string();
                        html! { <strong class="key-short-letter">{letter}</strong> }
                    }
                    CellMode::Free => html! { <span class="key-short-letter">{"自由"}</span> },
                };
                html! { <li>{mark}{" "}{&cell.point}</li> }
            });
            html! { <ul class="key-short-list key-short-cells">{for cells}</ul> }
        }
        Exercise::Worksheet(_) => {
            html! { <p class="key-short-none">{"正解はありません（ワークシート）"}</p> }
        }
    };
    render(html! {
        <div class="key-short-ex">
            <p class="key-short-title"><a href={format!("#key-{}", ex.id())}>{ex.title()}</a></p>
            {list}
        </div>
    })
}

/// An exercise's title, linked to `href` (the page that embeds it; plain
/// text when "").
pub fn title_html(title: &str, href: &str) -> String {
    render(title_link(title, href))
}

fn title_link(title: &str, href: &str) -> Html {
    if href.is_empty() {
        html! { {title} }
    } else {
        html! { <a href={href.to_string()}>{title}</a> }
    }
}

/// A classify item's right category, explanation, trap and why-nots.
fn item_answer(c: &Classify, item: &kenshu_exercises::Item) -> Html {
    let right = c.category(&item.answer).map_or("", |k| k.name.as_str());
    let mistakes: Vec<Html> = c
        .categories
        .iter()
        .filter_map(|k| {
            let why = mistake_in(item, k)?;
            Some(html! { <li>{format!("「{}」を選んだ場合：", k.name)}{why}</li> })
        })
        .collect();
    html! {
        <>
        <p><strong>{"正解："}{right}</strong></p>
        {explanation(c.source_of(item).label(), &item.explanation)}
        {note(&item.note)}
        if !mistakes.is_empty() { <ul class="ex-mistakes">{mistakes}</ul> }
        </>
    }
}

/// A choice question's right options, every option's feedback and the
/// explanation.
fn question_answer(c: &Choice, q: &Question) -> Html {
    let right: String = q.right().map(|o| format!("「{}」", o.text)).collect();
    html! {
        <>
        <p><strong>{"正解："}{right}</strong></p>
        <ul class="ex-option-feedback">{for q.options.iter().map(|o| html! {
            <li><strong>{if o.correct { "○" } else { "×" }}</strong>{" "}{&o.text}{"："}{&o.feedback}</li>
        })}</ul>
        {explanation(c.source_of(q).label(), &q.explanation)}
        </>
    }
}

/// A table cell's model answer, after its statement's letter for a chosen
/// cell ("A．…"): what the answer key, the fallback and the generator's
/// template values show.
pub fn model_answer(t: &Table, cell: &kenshu_exercises::Cell) -> String {
    let letter = match cell.mode {
        CellMode::Chosen => cell
            .answer
            .as_deref()
            .and_then(|a| t.statements.iter().position(|s| s.id == a))
            .map(|i| format!("{}．", letter(i)))
            .unwrap_or_default(),
        CellMode::Free => String::new(),
    };
    format!("{letter}{}", t.model_answer(cell))
}

/// A table as a grid on paper: one row per point, grouped by item; blank
/// cells with hints to answer in (`answers` false), or the model answers
/// with their checklists and explanations.
fn grid(t: &Table, answers: bool) -> Html {
    let source = t.explanation_source.label();
    let rows = t.rows.iter().flat_map(|row| {
        row.cells.iter().enumerate().map(move |(n, cell)| {
            let group = (n == 0).then(|| {
                html! {
                    <th scope="rowgroup" rowspan={row.cells.len().to_string()}>
                        {&row.name}
                        if !answers { {hint(&row.hint)} }
                    </th>
                }
            });
            let body = if answers {
                html! {
                    <>
                    {model_answer(t, cell)}
                    {checklist(&cell.checklist)}
                    {explanation(source, &cell.explanation)}
                    </>
                }
            } else {
                let blank = match cell.mode {
                    CellMode::Chosen => "（選択肢から選ぶ）",
                    CellMode::Free => "（自由記述）",
                };
                html! {
                    <>
                    <span class="ex-blank" title={cell_label(row, cell)}>{blank}</span>
                    {hint(&cell.hint)}
                    </>
                }
            };
            html! { <tr>{for group}<th scope="row">{&cell.point}</th><td>{body}</td></tr> }
        })
    });
    html! {
        <div class="ex-table-wrap"><table class="ex-grid">
            <thead><tr>
                <th scope="col">{"項目"}</th>
                <th scope="col">{"ポイント"}</th>
                <th scope="col">{if answers { "解答例" } else { "解答" }}</th>
            </tr></thead>
            <tbody>{for rows}</tbody>
        </table></div>
    }
}
