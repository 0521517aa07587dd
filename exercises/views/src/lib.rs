//! Exercise markup defined once: the Yew views that both the interactive
//! island (exercises/ui, compiled to WASM) and the generator's static HTML
//! (what a reader sees without JavaScript, in print and in the answer key)
//! are written from. The island passes what the learner works with (text
//! boxes and their handlers); the static HTML passes room to write on
//! paper. With the `ssr` feature, [`worksheet_static_html`] renders the
//! static form to a string (natively, for the generator).

use kenshu_exercises::{Category, Statement, Worksheet, WorksheetCell, WorksheetRow};
use yew::prelude::*;

/// A hint, shown only when the learner opens it.
#[inline]
pub fn hint(text: &str) -> Html {
    if text.is_empty() {
        return Html::default();
    }
    html! {
        <details class="ex-hint"><summary>{"ヒント"}</summary><p>{text}</p></details>
    }
}

/// An exercise's title and, when it has them, its instructions.
pub fn head(title: &str, instructions: &str) -> Html {
    html! {
        <>
        <p class="ex-title">{title}</p>
        if !instructions.is_empty() { <p class="ex-instructions">{instructions}</p> }
        </>
    }
}

/// An explanation labelled with its author (nothing when there is none).
pub fn explanation(source: &str, text: &str) -> Html {
    if text.is_empty() {
        return Html::default();
    }
    html! {
        <p class="ex-explanation"><span class="ex-source">{source}</span>{" "}{text}</p>
    }
}

/// A classify exercise's categories with their glosses. The island,
/// whose buttons name every category, lists only the described ones
/// (`every` false); the static HTML lists every category.
pub fn legend(categories: &[Category], every: bool) -> Html {
    html! {
        <dl class="ex-legend">
            { for categories.iter().filter(|k| every || !k.description.is_empty()).map(|k| html! {
                <div>
                    <dt>{&k.name}</dt>
                    if !k.description.is_empty() { <dd>{&k.description}</dd> }
                </div>
            }) }
        </dl>
    }
}

/// A classify item's known trap (nothing when there is none).
pub fn note(text: &str) -> Html {
    if text.is_empty() {
        return Html::default();
    }
    html! { <p class="ex-note"><strong>{"注意"}</strong>{" "}{text}</p> }
}

/// A free table cell's points to check a written answer against.
pub fn checklist(points: &[String]) -> Html {
    if points.is_empty() {
        return Html::default();
    }
    html! {
        <div class="ex-checklist">
            <p>{"確認のポイント"}</p>
            <ul>{ for points.iter().map(|p| html! { <li>{p}</li> }) }</ul>
        </div>
    }
}

/// A, B, C … for a table's statements (AA, AB … past Z).
pub fn letter(i: usize) -> String {
    if i < 26 {
        char::from(b'A' + i as u8).to_string()
    } else {
        format!("{}{}", letter(i / 26 - 1), letter(i % 26))
    }
}

/// A table's statements, lettered in the order given (nothing when it has
/// none).
pub fn statements<'a>(stmts: impl IntoIterator<Item = &'a Statement>) -> Html {
    let items: Vec<Html> = stmts
        .into_iter()
        .enumerate()
        .map(|(i, s)| html! { <li><span class="ex-letter">{letter(i)}</span>{" "}{&s.text}</li> })
        .collect();
    if items.is_empty() {
        return Html::default();
    }
    html! {
        <div class="ex-statements">
            <p>{"選択肢"}</p>
            <ul>{items}</ul>
        </div>
    }
}

/// A worksheet's rows and points, with their prompts and `answer` under
/// each prompt: the island's text box, or lines to write on
/// ([`blank_lines`]). `prefix` (the island's, unique on the page) gives the
/// prompts ids, which `answer` gets for the text box's description; the
/// static HTML has none.
pub fn worksheet_rows(
    w: &Worksheet,
    prefix: Option<&str>,
    answer: impl Fn(&WorksheetRow, &WorksheetCell, Option<(&str, &str)>) -> Html,
) -> Html {
    let rows = w.rows.iter().map(|row| {
        let cells = row.cells.iter().map(|cell| {
            let id = prefix.map(|p| format!("{p}-{}", cell.id));
            let prompt_id = id.as_ref().map(|id| format!("{id}-prompt"));
            html! {
                <div class="ex-cell">
                    <p class="ex-point">{&cell.point}</p>
                    <div class="ex-answer">
                        <p class="ex-prompt" id={prompt_id.clone()}>{&cell.prompt}</p>
                        {answer(row, cell, id.as_deref().zip(prompt_id.as_deref()))}
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
    html! { <ol class="ex-rows">{ for rows }</ol> }
}

/// Room to write on paper, under a worksheet cell's prompt.
pub fn blank_lines(_: &WorksheetRow, _: &WorksheetCell, _: Option<(&str, &str)>) -> Html {
    html! { <div class="ex-blank-lines"></div> }
}

#[cfg(feature = "ssr")]
mod ssr {
    use super::*;
    use std::rc::Rc;

    #[derive(Properties, PartialEq)]
    struct Props {
        w: Rc<Worksheet>,
    }

    #[function_component]
    fn StaticWorksheet(p: &Props) -> Html {
        worksheet_rows(&p.w, None, blank_lines)
    }

    /// The worksheet's rows as the static HTML shows them (no JavaScript,
    /// print, the answer key): the island's markup with lines to write on
    /// instead of text boxes.
    pub fn worksheet_static_html(w: &Worksheet) -> String {
        let props = Props {
            w: Rc::new(w.clone()),
        };
        futures_executor::block_on(
            yew::LocalServerRenderer::<StaticWorksheet>::with_props(props)
                .hydratable(false)
                .render(),
        )
    }
}

#[cfg(feature = "ssr")]
pub use ssr::worksheet_static_html;

#[cfg(all(test, feature = "ssr"))]
mod tests {
    use super::*;

    fn sheet() -> Worksheet {
        let cell = |id: &str, point: &str, prompt: &str| WorksheetCell {
            id: id.into(),
            point: point.into(),
            prompt: prompt.into(),
        };
        Worksheet {
            id: "sheet".into(),
            kind: kenshu_exercises::Kind::Worksheet,
            title: "ワークシート".into(),
            instructions: String::new(),
            rows: vec![
                WorksheetRow {
                    id: "r1".into(),
                    name: "事例 <A> & B".into(),
                    hint: "実名は書きません".into(),
                    cells: vec![cell("c1", "本人", "誰の事例ですか。")],
                },
                WorksheetRow {
                    id: "r2".into(),
                    name: "振り返り".into(),
                    hint: String::new(),
                    cells: vec![cell("c2", "明日", "何をしますか。")],
                },
            ],
        }
    }

    /// Without JavaScript, in print and in the answer key a worksheet shows
    /// the island's rows (name and hint in the row's head), each point with
    /// its prompt and room to write; no ids, text escaped.
    #[test]
    fn the_static_worksheet_is_the_islands_markup_with_room_to_write() {
        assert_eq!(
            worksheet_static_html(&sheet()),
            concat!(
                "<ol class=\"ex-rows\">",
                "<li class=\"ex-row\"><div class=\"ex-row-head\"><p class=\"ex-row-name\">事例 &lt;A&gt; &amp; B</p>",
                "<details class=\"ex-hint\"><summary>ヒント</summary><p>実名は書きません</p></details></div>",
                "<div class=\"ex-cells\"><div class=\"ex-cell\"><p class=\"ex-point\">本人</p>",
                "<div class=\"ex-answer\"><p class=\"ex-prompt\">誰の事例ですか。</p><div class=\"ex-blank-lines\"></div></div></div></div></li>",
                "<li class=\"ex-row\"><div class=\"ex-row-head\"><p class=\"ex-row-name\">振り返り</p></div>",
                "<div class=\"ex-cells\"><div class=\"ex-cell\"><p class=\"ex-point\">明日</p>",
                "<div class=\"ex-answer\"><p class=\"ex-prompt\">何をしますか。</p><div class=\"ex-blank-lines\"></div></div></div></div></li>",
                "</ol>"
            )
        );
    }
}
