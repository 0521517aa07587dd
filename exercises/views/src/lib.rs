//! Exercise markup defined once: the Yew views that both the interactive
//! island (exercises/ui, compiled to WASM) and the generator's static HTML
//! (what a reader sees without JavaScript, in print and in the answer key)
//! are written from. The island passes what the learner works with (text
//! boxes and their handlers); the static HTML passes room to write on
//! paper. With the `ssr` feature (native only; the WASM bundle builds this
//! crate without it), [`static_html`] and the answer key's pieces render the
//! static forms of every kind to strings, for the generator.

use kenshu_exercises::{Category, Statement, Worksheet, WorksheetCell, WorksheetRow};
use yew::prelude::*;

#[cfg(feature = "ssr")]
mod paper;
#[cfg(feature = "ssr")]
pub use paper::{key_html, key_short_html, model_answer, static_html, title_html};

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
        row_item(&row.name, &row.hint, html! { {for cells} })
    });
    html! { <ol class="ex-rows">{ for rows }</ol> }
}

/// One row of a table or worksheet: its name and hint, then `cells`.
pub fn row_item(name: &str, hint_text: &str, cells: Html) -> Html {
    html! {
        <li class="ex-row">
            <div class="ex-row-head">
                <p class="ex-row-name">{name}</p>
                {hint(hint_text)}
            </div>
            <div class="ex-cells">{cells}</div>
        </li>
    }
}

/// Room to write on paper, under a worksheet cell's prompt.
pub fn blank_lines(_: &WorksheetRow, _: &WorksheetCell, _: Option<(&str, &str)>) -> Html {
    html! { <div class="ex-blank-lines"></div> }
}

#[cfg(all(test, feature = "ssr"))]
mod tests {
    use super::*;
    use kenshu_exercises::Exercise;

    fn parse(toml: &str) -> Exercise {
        kenshu_exercises::parse::parse(toml).expect("a valid exercise")
    }

    #[test]
    fn letters() {
        assert_eq!(letter(0), "A");
        assert_eq!(letter(25), "Z");
        assert_eq!(letter(26), "AA");
    }

    /// Without JavaScript, in print and in the answer key a worksheet shows
    /// the island's rows (name and hint in the row's head), each point with
    /// its prompt and room to write; no ids, text escaped.
    #[test]
    fn the_static_worksheet_is_the_islands_markup_with_room_to_write() {
        let w = parse(concat!(
            "id = \"sheet\"\nkind = \"worksheet\"\ntitle = \"ワークシート\"\n",
            "[[rows]]\nid = \"r1\"\nname = \"事例 <A> & B\"\nhint = \"実名は書きません\"\n",
            "[[rows.cells]]\nid = \"c1\"\npoint = \"本人\"\nprompt = \"誰の事例ですか。\"\n",
            "[[rows]]\nid = \"r2\"\nname = \"振り返り\"\n",
            "[[rows.cells]]\nid = \"c2\"\npoint = \"明日\"\nprompt = \"何をしますか。\"\n",
        ));
        let rows = concat!(
            "<ol class=\"ex-rows\">",
            "<li class=\"ex-row\"><div class=\"ex-row-head\"><p class=\"ex-row-name\">事例 &lt;A&gt; &amp; B</p>",
            "<details class=\"ex-hint\"><summary>ヒント</summary><p>実名は書きません</p></details></div>",
            "<div class=\"ex-cells\"><div class=\"ex-cell\"><p class=\"ex-point\">本人</p>",
            "<div class=\"ex-answer\"><p class=\"ex-prompt\">誰の事例ですか。</p><div class=\"ex-blank-lines\"></div></div></div></div></li>",
            "<li class=\"ex-row\"><div class=\"ex-row-head\"><p class=\"ex-row-name\">振り返り</p></div>",
            "<div class=\"ex-cells\"><div class=\"ex-cell\"><p class=\"ex-point\">明日</p>",
            "<div class=\"ex-answer\"><p class=\"ex-prompt\">何をしますか。</p><div class=\"ex-blank-lines\"></div></div></div></div></li>",
            "</ol>"
        );
        assert_eq!(
            static_html(&w, false),
            format!("<p class=\"ex-title\">ワークシート</p>{rows}")
        );
        assert_eq!(
            key_html(&w, ""),
            format!("<p class=\"ex-title\">ワークシート</p><p>（ワークシート：受講者が自分の事例で記入します。正解はありません。）</p>{rows}")
        );
    }

    const CLASSIFY: &str = concat!(
        "id = \"c\"\nkind = \"classify\"\ntitle = \"分類 <b>&</b>\"\ninstructions = \"選びます\"\n",
        "categories = [{ id = \"a\", name = \"直接的支援\", description = \"具体的\" },",
        " { id = \"b\", name = \"<i>間接</i>\" }]\n",
        "[[items]]\nid = \"i1\"\ntext = \"<script>alert(1)</script>会議 & 連絡\"\nanswer = \"b\"\n",
        "explanation = \"\\\"引用\\\" & 'x'\"\nnote = \"<罠>\"\nwhy_not = { a = \"会議体です\" }\n",
    );

    /// A reader without JavaScript sees the title, the categories (every
    /// one, as the island's legend), the items and, closed, the answers;
    /// every text is escaped.
    #[test]
    fn the_static_classify_exercise_escapes_every_text() {
        let html = static_html(&parse(CLASSIFY), false);
        assert_eq!(
            html,
            concat!(
                "<p class=\"ex-title\">分類 &lt;b&gt;&amp;&lt;/b&gt;</p><p class=\"ex-instructions\">選びます</p>",
                "<dl class=\"ex-legend\"><div><dt>直接的支援</dt><dd>具体的</dd></div><div><dt>&lt;i&gt;間接&lt;/i&gt;</dt></div></dl>",
                "<ol class=\"ex-items\"><li class=\"ex-item\"><p class=\"ex-text\">&lt;script&gt;alert(1)&lt;/script&gt;会議 &amp; 連絡</p></li></ol>",
                "<details class=\"ex-answers\"><summary>解答と解説</summary><ol class=\"ex-key\"><li>",
                "<p><strong>正解：&lt;i&gt;間接&lt;/i&gt;</strong></p>",
                "<p class=\"ex-explanation\"><span class=\"ex-source\">解説（講座作成者）</span> \"引用\" &amp; 'x'</p>",
                "<p class=\"ex-note\"><strong>注意</strong> &lt;罠&gt;</p>",
                "<ul class=\"ex-mistakes\"><li>「直接的支援」を選んだ場合：会議体です</li></ul>",
                "</li></ol></details>"
            )
        );
        // A check before the training keeps its answers out.
        let pre = static_html(&parse(CLASSIFY), true);
        assert!(
            !pre.contains("ex-answers") && !pre.contains("引用"),
            "{pre}"
        );
    }

    /// The answer key's entry links the title to the exercise's page (the
    /// address escaped as an attribute); the short key names each item's
    /// right category after its id.
    #[test]
    fn the_key_links_the_title_and_the_short_key_lists_the_answers() {
        let c = parse(CLASSIFY);
        let key = key_html(&c, "cases/a&b.html#exercise-c");
        assert!(
            key.starts_with("<p class=\"ex-title\"><a href=\"cases/a&amp;b.html#exercise-c\">分類 &lt;b&gt;&amp;&lt;/b&gt;</a></p><ol class=\"ex-items\"><li class=\"ex-item\"><p class=\"ex-text\">&lt;script&gt;"),
            "{key}"
        );
        assert_eq!(
            key_short_html(&c),
            concat!(
                "<div class=\"key-short-ex\"><p class=\"key-short-title\"><a href=\"#key-c\">分類 &lt;b&gt;&amp;&lt;/b&gt;</a></p>",
                "<ol class=\"key-short-list\"><li><span class=\"key-short-id\">i1</span> &lt;i&gt;間接&lt;/i&gt;</li></ol></div>"
            )
        );
        assert_eq!(title_html("<演習>", ""), "&lt;演習&gt;");
    }

    const TABLE: &str = concat!(
        "id = \"t\"\nkind = \"table\"\ntitle = \"表\"\n",
        "[[statements]]\nid = \"s1\"\ntext = \"会議 <1>\"\n",
        "[[statements]]\nid = \"s2\"\ntext = \"連絡\"\nfeedback = \"ここではない\"\n",
        "[[rows]]\nid = \"r\"\nname = \"情報\"\nhint = \"行のヒント\"\n",
        "[[rows.cells]]\nid = \"c1\"\npoint = \"共有\"\nmode = \"chosen\"\nanswer = \"s1\"\nexplanation = \"理由\"\n",
        "[[rows.cells]]\nid = \"c2\"\npoint = \"方法\"\nmode = \"free\"\nmodel = \"書く\"\nchecklist = [\"誰に\"]\n",
    );

    /// A table on paper: the lettered statements, a blank grid with the
    /// hints, and the model answers (letter first) in a closed disclosure;
    /// the key adds each statement's feedback.
    #[test]
    fn the_static_table_is_a_grid_to_fill_in() {
        let t = parse(TABLE);
        let head = "<thead><tr><th scope=\"col\">項目</th><th scope=\"col\">ポイント</th>";
        let html = static_html(&t, false);
        assert_eq!(
            html,
            [
                "<p class=\"ex-title\">表</p>",
                "<div class=\"ex-statements\"><p>選択肢</p><ul><li><span class=\"ex-letter\">A</span> 会議 &lt;1&gt;</li>",
                "<li><span class=\"ex-letter\">B</span> 連絡</li></ul></div>",
                "<div class=\"ex-table-wrap\"><table class=\"ex-grid\">",
                head,
                "<th scope=\"col\">解答</th></tr></thead><tbody>",
                "<tr><th scope=\"rowgroup\" rowspan=\"2\">情報<details class=\"ex-hint\"><summary>ヒント</summary><p>行のヒント</p></details></th>",
                "<th scope=\"row\">共有</th><td><span title=\"情報 共有\" class=\"ex-blank\">（選択肢から選ぶ）</span></td></tr>",
                "<tr><th scope=\"row\">方法</th><td><span title=\"情報 方法\" class=\"ex-blank\">（自由記述）</span></td></tr>",
                "</tbody></table></div>",
                "<details class=\"ex-answers\"><summary>解答例と解説</summary>",
                "<div class=\"ex-table-wrap\"><table class=\"ex-grid\">",
                head,
                "<th scope=\"col\">解答例</th></tr></thead><tbody>",
                "<tr><th scope=\"rowgroup\" rowspan=\"2\">情報</th><th scope=\"row\">共有</th>",
                "<td>A．会議 &lt;1&gt;<p class=\"ex-explanation\"><span class=\"ex-source\">解説（講座作成者）</span> 理由</p></td></tr>",
                "<tr><th scope=\"row\">方法</th><td>書く<div class=\"ex-checklist\"><p>確認のポイント</p><ul><li>誰に</li></ul></div></td></tr>",
                "</tbody></table></div></details>",
            ]
            .concat()
        );
        let key = key_html(&t, "");
        assert!(
            key.ends_with("<div class=\"ex-statements\"><p>選択肢ごとの解説</p><ul><li><span class=\"ex-letter\">B</span> 連絡<br>ここではない</li></ul></div>"),
            "{key}"
        );
        assert!(
            key_short_html(&t).contains("<ul class=\"key-short-list key-short-cells\"><li><strong class=\"key-short-letter\">A</strong> 共有</li><li><span class=\"key-short-letter\">自由</span> 方法</li></ul>"),
        );
    }

    const CHOICE: &str = concat!(
        "id = \"q\"\nkind = \"choice\"\ntitle = \"選択\"\n",
        "[[questions]]\nid = \"q1\"\ntext = \"どれ？ <&>\"\nexplanation = \"なぜなら\"\nmultiple = true\n",
        "[[questions.options]]\nid = \"o1\"\ntext = \"会議\"\nfeedback = \"違う\"\n",
        "[[questions.options]]\nid = \"o2\"\ntext = \"連絡 & 調整\"\ncorrect = true\nfeedback = \"そう\"\n",
        "[[questions.options]]\nid = \"o3\"\ntext = \"共有\"\ncorrect = true\nfeedback = \"そう\"\n",
    );

    /// A choice exercise on paper lists the options; its answers mark each
    /// option right or wrong with its feedback; the short key
    /// joins the right options (none before the first).
    #[test]
    fn the_static_choice_exercise_and_its_short_key() {
        let q = parse(CHOICE);
        let html = static_html(&q, false);
        assert!(
            html.contains(concat!(
                "<ol class=\"ex-items\"><li class=\"ex-item\"><p class=\"ex-text\">どれ？ &lt;&amp;&gt;</p>",
                "<p class=\"ex-multi\">当てはまるものをすべて選びます。</p>",
                "<ul class=\"ex-options\"><li>会議</li><li>連絡 &amp; 調整</li><li>共有</li></ul></li></ol>"
            )),
            "{html}"
        );
        assert!(
            html.contains(concat!(
                "<p><strong>正解：「連絡 &amp; 調整」「共有」</strong></p><ul class=\"ex-option-feedback\">",
                "<li><strong>×</strong> 会議：違う</li><li><strong>○</strong> 連絡 &amp; 調整：そう</li>"
            )),
            "{html}"
        );
        assert!(
            key_short_html(&q).contains("<li>連絡 &amp; 調整・共有</li>"),
            "{}",
            key_short_html(&q)
        );
    }
}
