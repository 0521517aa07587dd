//! Exercises in pages: the host element of `{{#exercise ID}}` (the
//! exercise's JSON for the WASM island plus a readable static fallback), the
//! 学習の記録 host of `{{#exercise-progress}}`, the static list of
//! `{{#exercise-list}}`, the scripts a page with exercises loads, and the
//! WASM bundle files. Pages without exercises load nothing.

use crate::html::escape as esc;
use std::collections::BTreeMap;

use kenshu_exercises::{cell_label, CellMode, Choice, Classify, Exercise, Item, Table, Worksheet};

use crate::bundle;
use crate::load::exercises::{ExerciseEntry, EXERCISE, KEY, LIST, PROGRESS};
use crate::markdown::{self, Directive};
use crate::model::{Page, Site};

use super::{root_of, Contents, OutputFile};

/// The exercise stylesheet (also styles the static fallback).
pub const CSS: &str = "kenshu-exercises.css";
const CSS_TEXT: &str = include_str!("../../../exercises/ui/style.css");

/// JSON that is safe inside `<script type="application/json">`.
fn script_json(json: &str) -> String {
    json.replace("</", "<\\/").replace("<!--", "<\\u0021--")
}

/// Does the page contain a directive that needs the WASM bundle?
fn needs_bundle(page: &Page) -> bool {
    page.body.contains("{{#")
        && markdown::scan(&page.body)
            .directives
            .iter()
            .any(|d| d.name == EXERCISE || d.name == PROGRESS)
}

/// Does the page contain a directive whose HTML uses the exercise styles?
fn needs_css(page: &Page) -> bool {
    page.body.contains("{{#")
        && markdown::scan(&page.body)
            .directives
            .iter()
            .any(|d| [EXERCISE, PROGRESS, LIST, KEY].contains(&d.name.as_str()))
}

/// The first page that embeds each exercise, by exercise id.
pub fn placements(site: &Site) -> BTreeMap<String, usize> {
    reading_order(site)
        .into_iter()
        .map(|(id, (ix, _))| (id, ix))
        .collect()
}

/// Where each exercise is first placed: (page index, its place among the
/// exercises of the site in reading order).
fn reading_order(site: &Site) -> BTreeMap<String, (usize, usize)> {
    let mut out = BTreeMap::new();
    let mut n = 0;
    for (ix, page) in site.pages.iter().enumerate() {
        if !page.body.contains("{{#exercise") {
            continue;
        }
        for d in markdown::scan(&page.body).directives {
            if d.name == EXERCISE {
                out.entry(d.arg).or_insert((ix, n));
                n += 1;
            }
        }
    }
    out
}

/// HTML for a directive (validated in load, so it is known to be valid).
pub fn directive_html(site: &Site, page: &Page, d: &Directive) -> String {
    match d.name.as_str() {
        EXERCISE => match site.exercises.get(&d.arg) {
            Some(e) => exercise_host(e),
            None => String::new(),
        },
        PROGRESS => progress_host(site, page),
        LIST => exercise_list(site, page),
        KEY => answer_key(site, page),
        _ => String::new(),
    }
}

fn exercise_host(e: &ExerciseEntry) -> String {
    let id = esc(e.exercise.id());
    let payload = format!("{{\"hash\":\"{}\",\"exercise\":{}}}", e.hash, e.json);
    let fallback = match &e.exercise {
        Exercise::Classify(c) => classify_fallback(c),
        Exercise::Table(t) => table_fallback(t),
        Exercise::Worksheet(w) => worksheet_fallback(w),
        Exercise::Choice(c) => choice_fallback(c),
    };
    format!(
        "<div class=\"exercise\" id=\"exercise-{id}\" data-exercise=\"{id}\" data-hash=\"{hash}\">\n\
         <script type=\"application/json\">{json}</script>\n\
         <div class=\"ex ex-static\">\n{fallback}</div>\n</div>\n",
        hash = e.hash,
        json = script_json(&payload),
    )
}

fn head(title: &str, instructions: &str) -> String {
    let mut s = format!("<p class=\"ex-title\">{}</p>\n", esc(title));
    if !instructions.is_empty() {
        s.push_str(&format!(
            "<p class=\"ex-instructions\">{}</p>\n",
            esc(instructions)
        ));
    }
    s
}

fn classify_fallback(c: &Classify) -> String {
    let mut s = head(&c.title, &c.instructions);
    s.push_str("<dl class=\"ex-legend\">\n");
    for k in &c.categories {
        s.push_str(&format!("<dt>{}</dt>", esc(&k.name)));
        if !k.description.is_empty() {
            s.push_str(&format!("<dd>{}</dd>", esc(&k.description)));
        }
        s.push('\n');
    }
    s.push_str("</dl>\n<ol class=\"ex-items\">\n");
    for item in &c.items {
        s.push_str(&format!(
            "<li class=\"ex-item\"><p class=\"ex-text\">{}</p></li>\n",
            esc(&item.text)
        ));
    }
    s.push_str("</ol>\n<details class=\"ex-answers\">\n<summary>解答と解説</summary>\n");
    s.push_str(&classify_answers(c));
    s.push_str("</details>\n");
    s
}

/// The right category and the explanation of every item, as a list.
fn classify_answers(c: &Classify) -> String {
    let mut s = String::from("<ol class=\"ex-key\">\n");
    for item in &c.items {
        s.push_str(&format!("<li>{}</li>\n", item_answer(c, item)));
    }
    s.push_str("</ol>\n");
    s
}

/// The right category and the explanation. Reads the item's own answer:
/// building the whole solution per item made large exercises quadratic.
fn item_answer(c: &Classify, item: &Item) -> String {
    let cat = c.category(&item.answer).map_or("", |k| k.name.as_str());
    let mut s = format!(
        "<p><strong>正解：{}</strong></p><p class=\"ex-explanation\"><span class=\"ex-source\">{}</span> {}</p>",
        esc(cat),
        c.source_of(item).label(),
        esc(&item.explanation)
    );
    if !item.note.is_empty() {
        s.push_str(&format!(
            "<p class=\"ex-note\"><strong>注意</strong> {}</p>",
            esc(&item.note)
        ));
    }
    let wrong: Vec<String> = c
        .categories
        .iter()
        .filter_map(|k| {
            // The category is at hand: no lookup by id (that made items ×
            // categories² on large exercises).
            let why = kenshu_exercises::mistake_in(item, k)?;
            Some(format!(
                "<li>「{}」を選んだ場合：{}</li>",
                esc(&k.name),
                esc(why)
            ))
        })
        .collect();
    if !wrong.is_empty() {
        s.push_str(&format!(
            "<ul class=\"ex-mistakes\">{}</ul>",
            wrong.concat()
        ));
    }
    s
}

fn letter(i: usize) -> String {
    if i < 26 {
        char::from(b'A' + i as u8).to_string()
    } else {
        format!("{}{}", letter(i / 26 - 1), letter(i % 26))
    }
}

fn table_fallback(t: &Table) -> String {
    let mut s = head(&t.title, &t.instructions);
    if !t.statements.is_empty() {
        s.push_str("<div class=\"ex-statements\">\n<p>選択肢</p>\n<ul>\n");
        for (i, st) in t.statements.iter().enumerate() {
            s.push_str(&format!(
                "<li><span class=\"ex-letter\">{}</span> {}</li>\n",
                letter(i),
                esc(&st.text)
            ));
        }
        s.push_str("</ul>\n</div>\n");
    }
    s.push_str(&table_grid(t, false));
    s.push_str("<details class=\"ex-answers\">\n<summary>解答例と解説</summary>\n");
    s.push_str(&table_grid(t, true));
    s.push_str("</details>\n");
    s
}

/// The table with empty cells (`answers` false) or with the model answers.
fn table_grid(t: &Table, answers: bool) -> String {
    let grid = |answers: bool| {
        let mut g = String::from(
            "<div class=\"ex-table-wrap\"><table class=\"ex-grid\">\n<thead><tr><th scope=\"col\">項目</th><th scope=\"col\">ポイント</th>",
        );
        g.push_str(if answers {
            "<th scope=\"col\">解答例</th></tr></thead>\n<tbody>\n"
        } else {
            "<th scope=\"col\">解答</th></tr></thead>\n<tbody>\n"
        });
        for row in &t.rows {
            for (k, cell) in row.cells.iter().enumerate() {
                g.push_str("<tr>");
                if k == 0 {
                    let hint = if answers || row.hint.is_empty() {
                        String::new()
                    } else {
                        hint_html(&row.hint)
                    };
                    g.push_str(&format!(
                        "<th scope=\"rowgroup\" rowspan=\"{}\">{}{hint}</th>",
                        row.cells.len(),
                        esc(&row.name)
                    ));
                }
                g.push_str(&format!("<th scope=\"row\">{}</th><td>", esc(&cell.point)));
                if answers {
                    let letter = match cell.mode {
                        CellMode::Chosen => cell
                            .answer
                            .as_deref()
                            .and_then(|a| t.statements.iter().position(|s| s.id == a))
                            .map(|i| format!("{}．", letter(i)))
                            .unwrap_or_default(),
                        CellMode::Free => String::new(),
                    };
                    g.push_str(&format!("{letter}{}", esc(t.model_answer(cell))));
                    if !cell.checklist.is_empty() {
                        g.push_str(&checklist(&cell.checklist));
                    }
                    if !cell.explanation.is_empty() {
                        g.push_str(&format!(
                            "<p class=\"ex-explanation\"><span class=\"ex-source\">{}</span> {}</p>",
                            t.explanation_source.label(),
                            esc(&cell.explanation)
                        ));
                    }
                } else {
                    let what = match cell.mode {
                        CellMode::Chosen => "選択肢から選ぶ",
                        CellMode::Free => "自由記述",
                    };
                    g.push_str(&format!(
                        "<span class=\"ex-blank\" title=\"{}\">（{what}）</span>",
                        esc(&cell_label(row, cell))
                    ));
                    if !cell.hint.is_empty() {
                        g.push_str(&hint_html(&cell.hint));
                    }
                }
                g.push_str("</td></tr>\n");
            }
        }
        g.push_str("</tbody>\n</table></div>\n");
        g
    };
    grid(answers)
}

/// A hint, shown on request (a closed disclosure).
fn hint_html(hint: &str) -> String {
    format!(
        "<details class=\"ex-hint\"><summary>ヒント</summary><p>{}</p></details>",
        esc(hint)
    )
}

/// The self-check points of a free cell.
fn checklist(points: &[String]) -> String {
    let mut s = String::from("<div class=\"ex-checklist\"><p>確認のポイント</p><ul>");
    for p in points {
        s.push_str(&format!("<li>{}</li>", esc(p)));
    }
    s.push_str("</ul></div>");
    s
}

/// Statements with their feedback (why each is wrong where it was chosen).
fn statement_feedback(t: &Table) -> String {
    let with: Vec<String> = t
        .statements
        .iter()
        .enumerate()
        .filter(|(_, st)| !st.feedback.is_empty())
        .map(|(i, st)| {
            format!(
                "<li><span class=\"ex-letter\">{}</span> {}<br>{}</li>\n",
                letter(i),
                esc(&st.text),
                esc(&st.feedback)
            )
        })
        .collect();
    if with.is_empty() {
        return String::new();
    }
    format!(
        "<div class=\"ex-statements\">\n<p>選択肢ごとの解説</p>\n<ul>\n{}</ul>\n</div>\n",
        with.concat()
    )
}

/// A worksheet: its rows and points with the prompts and room to write
/// (printable as a blank handout).
fn worksheet_fallback(w: &Worksheet) -> String {
    let mut s = head(&w.title, &w.instructions);
    s.push_str(&worksheet_rows(w));
    s
}

fn worksheet_rows(w: &Worksheet) -> String {
    let mut s = String::from("<ol class=\"ex-rows\">\n");
    for row in &w.rows {
        s.push_str(&format!(
            "<li class=\"ex-row\"><p class=\"ex-row-name\">{}</p>",
            esc(&row.name)
        ));
        if !row.hint.is_empty() {
            s.push_str(&hint_html(&row.hint));
        }
        s.push_str("<div class=\"ex-cells\">");
        for cell in &row.cells {
            s.push_str(&format!(
                "<div class=\"ex-cell\"><p class=\"ex-point\">{}</p><div class=\"ex-answer\"><p class=\"ex-prompt\">{}</p><div class=\"ex-blank-lines\"></div></div></div>",
                esc(&cell.point),
                esc(&cell.prompt)
            ));
        }
        s.push_str("</div></li>\n");
    }
    s.push_str("</ol>\n");
    s
}

fn choice_fallback(c: &Choice) -> String {
    let mut s = head(&c.title, &c.instructions);
    s.push_str("<ol class=\"ex-items\">\n");
    for q in &c.questions {
        s.push_str(&format!(
            "<li class=\"ex-item\"><p class=\"ex-text\">{}</p>{}<ul class=\"ex-options\">",
            esc(&q.text),
            if q.multiple() {
                "<p class=\"ex-multi\">当てはまるものをすべて選びます。</p>"
            } else {
                ""
            }
        ));
        for o in &q.options {
            s.push_str(&format!("<li>{}</li>", esc(&o.text)));
        }
        s.push_str("</ul></li>\n");
    }
    s.push_str("</ol>\n<details class=\"ex-answers\">\n<summary>解答と解説</summary>\n");
    s.push_str(&choice_answers(c));
    s.push_str("</details>\n");
    s
}

/// The right options, the feedback of every option and the explanation of
/// every question.
fn choice_answers(c: &Choice) -> String {
    let mut s = String::from("<ol class=\"ex-key\">\n");
    for q in &c.questions {
        s.push_str(&format!("<li>{}</li>\n", question_answer(c, q)));
    }
    s.push_str("</ol>\n");
    s
}

fn question_answer(c: &Choice, q: &kenshu_exercises::Question) -> String {
    let right: Vec<String> = q.right().map(|o| format!("「{}」", esc(&o.text))).collect();
    let mut s = format!(
        "<p><strong>正解：{}</strong></p><ul class=\"ex-option-feedback\">",
        right.concat()
    );
    for o in &q.options {
        s.push_str(&format!(
            "<li><strong>{}</strong> {}：{}</li>",
            if o.correct { "○" } else { "×" },
            esc(&o.text),
            esc(&o.feedback)
        ));
    }
    s.push_str(&format!(
        "</ul><p class=\"ex-explanation\"><span class=\"ex-source\">{}</span> {}</p>",
        c.source_of(q).label(),
        esc(&q.explanation)
    ));
    s
}

/// The answer key of every exercise: a printable sheet for lecturers.
fn answer_key(site: &Site, page: &Page) -> String {
    let root = root_of(&page.output);
    let mut s = String::new();
    for l in listed(site) {
        let ex = &l.entry.exercise;
        s.push_str(&format!(
            "<section class=\"ex ex-static exercise-key\" id=\"key-{}\">\n<p class=\"ex-title\">{}</p>\n",
            esc(ex.id()),
            title_link(&l, &root)
        ));
        match ex {
            Exercise::Classify(c) => {
                s.push_str("<ol class=\"ex-items\">\n");
                for item in &c.items {
                    s.push_str(&format!(
                        "<li class=\"ex-item\"><p class=\"ex-text\">{}</p>{}</li>\n",
                        esc(&item.text),
                        item_answer(c, item)
                    ));
                }
                s.push_str("</ol>\n");
            }
            Exercise::Table(t) => {
                s.push_str(&table_grid(t, true));
                s.push_str(&statement_feedback(t));
            }
            Exercise::Worksheet(w) => {
                s.push_str(
                    "<p>（ワークシート：受講者が自分の事例で記入します。正解はありません。）</p>\n",
                );
                s.push_str(&worksheet_rows(w));
            }
            Exercise::Choice(c) => {
                s.push_str("<ol class=\"ex-items\">\n");
                for q in &c.questions {
                    s.push_str(&format!(
                        "<li class=\"ex-item\"><p class=\"ex-text\">{}</p>{}</li>\n",
                        esc(&q.text),
                        question_answer(c, q)
                    ));
                }
                s.push_str("</ol>\n");
            }
        }
        s.push_str("</section>\n");
    }
    s
}

/// In-page contents entries for a page with the answer key: one per
/// exercise (`#key-ID`), so a lecturer can jump within the long sheet.
pub fn key_toc(site: &Site, page: &Page) -> Vec<super::contents::TocEntry> {
    let has_key = page.body.contains("{{#")
        && markdown::scan(&page.body)
            .directives
            .iter()
            .any(|d| d.name == KEY);
    if !has_key {
        return Vec::new();
    }
    listed(site)
        .iter()
        .map(|l| super::contents::TocEntry {
            level: 2,
            text: l.entry.exercise.title().to_string(),
            id: format!("key-{}", l.entry.exercise.id()),
        })
        .collect()
}

/// One exercise for the 学習の記録 and the list.
struct Listed<'a> {
    entry: &'a ExerciseEntry,
    /// The page that embeds it (output path), if any.
    page: Option<&'a Page>,
}

fn listed<'a>(site: &'a Site) -> Vec<Listed<'a>> {
    let places = reading_order(site);
    let mut list: Vec<Listed> = site
        .exercises
        .by_id
        .iter()
        .map(|(id, entry)| Listed {
            entry,
            page: places.get(id).map(|(ix, _)| &site.pages[*ix]),
        })
        .collect();
    // In reading order (pages, then where each sits in its page); unplaced
    // ones last, by id.
    list.sort_by_key(|l| {
        (
            places
                .get(l.entry.exercise.id())
                .map_or(usize::MAX, |(_, n)| *n),
            l.entry.exercise.id().to_string(),
        )
    });
    list
}

fn progress_host(site: &Site, page: &Page) -> String {
    let root = root_of(&page.output);
    let list = listed(site);
    let entries: Vec<serde_json::Value> = list
        .iter()
        .map(|l| {
            let ex = &l.entry.exercise;
            serde_json::json!({
                "id": ex.id(),
                "title": ex.title(),
                "page": l.page.map(|p| p.output.as_str()).unwrap_or(""),
                "page_title": l.page.map(|p| p.title.as_str()).unwrap_or(""),
                "href": l.page.map(|p| format!("{root}{}", super::url(&p.output))).unwrap_or_default(),
                "hash": l.entry.hash,
                "graded": ex.graded_count(),
                "kind": ex.kind(),
                "fields": ex.fields().iter().map(|f| serde_json::json!({
                    "id": f.id,
                    "label": f.label,
                    "options": f.options.iter().map(|(k, v)| serde_json::json!([k, v])).collect::<Vec<_>>(),
                })).collect::<Vec<_>>(),
            })
        })
        .collect();
    let json = serde_json::json!({ "exercises": entries }).to_string();
    let mut rows = String::new();
    for l in &list {
        rows.push_str(&format!(
            "<tr><th scope=\"row\">{}</th><td>—</td><td>—</td><td>—</td></tr>\n",
            title_link(l, &root)
        ));
    }
    format!(
        "<div class=\"exercise-progress\" data-exercise-progress>\n\
         <script type=\"application/json\">{json}</script>\n\
         <div class=\"ex ex-static\">\n\
         <p class=\"ex-summary\">記録はこのブラウザに保存されます。表示するには JavaScript を有効にしてください。</p>\n\
         <div class=\"ex-table-wrap\"><table class=\"ex-grid\">\n\
         <thead><tr><th scope=\"col\">演習</th><th scope=\"col\">状態</th><th scope=\"col\">最高得点</th><th scope=\"col\">挑戦回数</th></tr></thead>\n\
         <tbody>\n{rows}</tbody>\n</table></div>\n</div>\n</div>\n",
        json = script_json(&json)
    )
}

fn title_link(l: &Listed, root: &str) -> String {
    let ex = &l.entry.exercise;
    match l.page {
        Some(p) => format!(
            "<a href=\"{root}{}#exercise-{}\">{}</a>",
            esc(&super::url(&p.output)),
            esc(ex.id()),
            esc(ex.title())
        ),
        None => esc(ex.title()),
    }
}

fn exercise_list(site: &Site, page: &Page) -> String {
    let root = root_of(&page.output);
    let mut s = String::from("<ul class=\"exercise-list\">\n");
    for l in listed(site) {
        let ex = &l.entry.exercise;
        s.push_str(&format!(
            "<li>{} <span class=\"ex-kind\">（{}）</span></li>\n",
            title_link(&l, &root),
            ex.kind().label()
        ));
    }
    s.push_str("</ul>\n");
    s
}

/// Extra `<head>` content for a page: the exercise stylesheet, on pages
/// with exercises.
pub fn head_html(site: &Site, page: &Page) -> String {
    let _ = site;
    if !needs_css(page) {
        return String::new();
    }
    format!(
        "<link rel=\"stylesheet\" href=\"{}assets/{CSS}?v={}\">\n",
        root_of(&page.output),
        bundle::version()
    )
}

/// Extra content before `</body>` (scripts) for a page: the loader, only on
/// pages with exercises.
pub fn body_end_html(site: &Site, page: &Page) -> String {
    let _ = site;
    if !needs_bundle(page) {
        return String::new();
    }
    format!(
        "<script defer src=\"{}assets/{}?v={}\"></script>\n",
        root_of(&page.output),
        bundle::LOADER,
        bundle::version()
    )
}

/// Files the exercises need in the output (the WASM bundle), when some page
/// has exercises.
pub fn extra_files(site: &Site) -> Vec<OutputFile> {
    let mut files: Vec<OutputFile> = Vec::new();
    if site.pages.iter().any(needs_bundle) {
        files.extend(bundle::FILES.iter().map(|f| OutputFile {
            path: format!("assets/{}", f.name),
            contents: Contents::Bytes(f.bytes.to_vec()),
        }));
    }
    if site.pages.iter().any(needs_css) {
        files.push(OutputFile {
            path: format!("assets/{CSS}"),
            contents: Contents::Bytes(CSS_TEXT.as_bytes().to_vec()),
        });
    }
    files
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn script_json_cannot_close_the_script() {
        let s = script_json(r#"{"t":"</script><!--"}"#);
        assert!(!s.contains("</"));
        assert!(!s.contains("<!--"));
    }

    #[test]
    fn letters() {
        assert_eq!(letter(0), "A");
        assert_eq!(letter(25), "Z");
        assert_eq!(letter(26), "AA");
    }
}
