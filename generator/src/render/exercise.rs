//! Exercises in pages: the host element of `{{#exercise ID}}` (the
//! exercise's JSON for the WASM island plus a readable static fallback), the
//! 学習の記録 host of `{{#exercise-progress}}`, the static list of
//! `{{#exercise-list}}`, the scripts a page with exercises loads, and the
//! WASM bundle files. Pages without exercises load nothing.

use std::collections::BTreeMap;

use kenshu_exercises::{
    cell_label, Cell, CellMode, Check, Classify, Exercise, Item, Kind, Row, Table,
};
use serde::Serialize;

use crate::bundle;
use crate::diagnostic::Diagnostic;
use crate::html::script_json;
use crate::markdown::Directive;
use crate::model::{
    ExerciseEntry, Page, Site, TocEntry, EXERCISE, KEY, LIST, PROGRESS, REPORT, REVIEW, REVIEW_DUE,
};

use kenshu_exercises_views::letter;

use super::{root_of, Contents, OutputFile};

/// The exercise stylesheet (also styles the static fallback).
pub const CSS: &str = "kenshu-exercises.css";
const CSS_TEXT: &str = include_str!("../../../exercises/ui/style.css");

/// Does the page contain a directive that needs the WASM bundle?
fn needs_bundle(page: &Page) -> bool {
    page.directives
        .iter()
        .any(|d| d.name == EXERCISE || d.name == PROGRESS)
}

/// Does the page hold the 復習 round (which the second bundle runs)?
fn needs_review_bundle(page: &Page) -> bool {
    page.directives.iter().any(|d| d.name == REVIEW)
}

/// Does the page contain a directive whose HTML uses the exercise styles?
fn needs_css(page: &Page) -> bool {
    page.directives
        .iter()
        .any(|d| [EXERCISE, PROGRESS, LIST, KEY, REVIEW].contains(&d.name.as_str()))
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
        for d in &page.directives {
            if d.name == EXERCISE {
                out.entry(d.arg.clone()).or_insert((ix, n));
                n += 1;
            }
        }
    }
    out
}

/// HTML for a directive (validated in load, so it is known to be valid),
/// from the theme's `partials/exercise*.html` templates.
pub fn directive_html(site: &Site, page: &Page, d: &Directive) -> Result<String, Diagnostic> {
    match d.name.as_str() {
        EXERCISE => match site.exercises.get(&d.arg) {
            Some(e) => exercise_host(site, page, e),
            None => Ok(String::new()),
        },
        PROGRESS => progress_host(site, page),
        LIST => over_all(site, page, "partials/exercise-list.html", Part::Title),
        KEY => over_all(site, page, "partials/exercise-key.html", Part::Key),
        REPORT => Ok(report_host(site, page)),
        REVIEW => review_host(site, page),
        REVIEW_DUE => Ok(review_due_host(site, page)),
        _ => Ok(String::new()),
    }
}

/// An exercise as the theme's `partials/exercise*.html` templates get it
/// (described in `partials/exercise.html`): its static HTML, written from
/// the island's views, and for a theme that writes its own, plain text
/// with what a template cannot work out (the right category's name,
/// statement letters, explanation sources) worked out here.
#[derive(Serialize, Default)]
struct ExView<'a> {
    id: &'a str,
    kind: Option<Kind>,
    kind_label: &'static str,
    title: &'a str,
    instructions: &'a str,
    /// The page that embeds it, relative to the page shown ("" when none).
    href: String,
    hash: &'a str,
    /// The island's data, safe inside `<script>` (only in a page's host).
    json: String,
    /// A check before the training (`check = "pre"`) in a page's host:
    /// the static fallback leaves its answers out.
    pre: bool,
    source: &'static str,
    categories: Vec<CategoryView<'a>>,
    items: Vec<ItemView<'a>>,
    statements: Vec<StatementView<'a>>,
    statement_feedback: bool,
    rows: Vec<RowView<'a>>,
    /// The exercise's static HTML as kenshu writes it from the island's
    /// views (`kenshu_exercises_views`): in a page's host, everything the
    /// fallback shows (`static_html`); in the answer key, its entry
    /// (`key_html`) and its line in the short key (`key_short_html`); in
    /// the list and 学習の記録, its title linked to its page (`title_html`).
    static_html: String,
    key_html: String,
    key_short_html: String,
    title_html: String,
    questions: Vec<QuestionView<'a>>,
}

#[derive(Serialize)]
struct CategoryView<'a> {
    name: &'a str,
    description: &'a str,
}

#[derive(Serialize)]
struct ItemView<'a> {
    /// The item's `id` (the short answer key and the debrief guide name items by it).
    id: &'a str,
    text: &'a str,
    /// The right category's name.
    answer: &'a str,
    source: &'static str,
    explanation: &'a str,
    note: &'a str,
    /// (category name, why an item is not of it), where the author said.
    mistakes: Vec<(&'a str, &'a str)>,
}

#[derive(Serialize)]
struct StatementView<'a> {
    letter: String,
    text: &'a str,
    feedback: &'a str,
}

#[derive(Serialize)]
struct RowView<'a> {
    name: &'a str,
    hint: &'a str,
    cells: Vec<CellView<'a>>,
}

impl<'a> RowView<'a> {
    fn new(name: &'a str, hint: &'a str, cells: Vec<CellView<'a>>) -> Self {
        RowView { name, hint, cells }
    }
}

#[derive(Serialize, Default)]
struct CellView<'a> {
    point: &'a str,
    /// Table: the cell's accessible name (row and point); worksheet: unused.
    label: String,
    chosen: bool,
    hint: &'a str,
    /// The model answer, after its statement's letter for a chosen cell.
    answer: String,
    checklist: &'a [String],
    explanation: &'a str,
    /// Worksheet: the question shown in the blank cell.
    prompt: &'a str,
}

#[derive(Serialize)]
struct QuestionView<'a> {
    text: &'a str,
    multiple: bool,
    options: &'a [kenshu_exercises::ChoiceOption],
    source: &'static str,
    explanation: &'a str,
}

fn view<'a>(e: &'a ExerciseEntry, href: String) -> ExView<'a> {
    let ex = &e.exercise;
    let mut v = ExView {
        id: ex.id(),
        kind: Some(ex.kind()),
        kind_label: ex.kind().label(),
        title: ex.title(),
        href,
        hash: &e.hash,
        ..ExView::default()
    };
    match ex {
        Exercise::Classify(c) => {
            v.instructions = &c.instructions;
            v.categories = c
                .categories
                .iter()
                .map(|k| CategoryView {
                    name: &k.name,
                    description: &k.description,
                })
                .collect();
            v.items = c.items.iter().map(|item| item_view(c, item)).collect();
        }
        Exercise::Table(t) => {
            v.instructions = &t.instructions;
            v.source = t.explanation_source.label();
            v.statements = t
                .statements
                .iter()
                .enumerate()
                .map(|(i, st)| StatementView {
                    letter: letter(i),
                    text: &st.text,
                    feedback: &st.feedback,
                })
                .collect();
            v.statement_feedback = t.statements.iter().any(|st| !st.feedback.is_empty());
            let cells = |row: &'a Row| {
                row.cells
                    .iter()
                    .map(|cell| cell_view(t, row, cell))
                    .collect()
            };
            v.rows = t
                .rows
                .iter()
                .map(|row| RowView::new(&row.name, &row.hint, cells(row)))
                .collect();
        }
        Exercise::Worksheet(w) => {
            v.instructions = &w.instructions;
            let cells = |row: &'a kenshu_exercises::WorksheetRow| {
                let prompt = |cell: &'a kenshu_exercises::WorksheetCell| CellView {
                    point: &cell.point,
                    prompt: &cell.prompt,
                    ..CellView::default()
                };
                row.cells.iter().map(prompt).collect()
            };
            v.rows = w
                .rows
                .iter()
                .map(|row| RowView::new(&row.name, &row.hint, cells(row)))
                .collect();
        }
        Exercise::Choice(c) => {
            v.instructions = &c.instructions;
            v.questions = c
                .questions
                .iter()
                .map(|q| QuestionView {
                    text: &q.text,
                    multiple: q.multiple(),
                    options: &q.options,
                    source: c.source_of(q).label(),
                    explanation: &q.explanation,
                })
                .collect();
        }
    }
    v
}

/// A classify item with its right category's name. Reads the item's own
/// answer: building the whole solution per item made large exercises
/// quadratic.
fn item_view<'a>(c: &'a Classify, item: &'a Item) -> ItemView<'a> {
    ItemView {
        id: &item.id,
        text: &item.text,
        answer: c.category(&item.answer).map_or("", |k| k.name.as_str()),
        source: c.source_of(item).label(),
        explanation: &item.explanation,
        note: &item.note,
        // The category is at hand: no lookup by id (that made items ×
        // categories² on large exercises).
        mistakes: c
            .categories
            .iter()
            .filter_map(|k| Some((k.name.as_str(), kenshu_exercises::mistake_in(item, k)?)))
            .collect(),
    }
}

fn cell_view<'a>(t: &'a Table, row: &'a Row, cell: &'a Cell) -> CellView<'a> {
    CellView {
        point: &cell.point,
        label: cell_label(row, cell),
        chosen: cell.mode == CellMode::Chosen,
        hint: &cell.hint,
        answer: kenshu_exercises_views::model_answer(t, cell),
        checklist: &cell.checklist,
        explanation: &cell.explanation,
        prompt: "",
    }
}

/// The exercise's host element: its data for the island and the static HTML
/// (theme template `partials/exercise.html`).
/// [`directive_html`] for the Markdown renderer, which takes a string: the
/// first template error is kept in `failed` for the page to report.
pub fn directive_or_error(
    site: &Site,
    page: &Page,
    d: &Directive,
    failed: &std::cell::RefCell<Option<Diagnostic>>,
) -> String {
    directive_html(site, page, d).unwrap_or_else(|e| {
        failed.borrow_mut().get_or_insert(e);
        String::new()
    })
}

fn exercise_host(site: &Site, page: &Page, e: &ExerciseEntry) -> Result<String, Diagnostic> {
    let mut v = view(e, String::new());
    // The review keys of its items as built, so the browser files a wrong
    // answer for 復習 without hashing item texts itself.
    let keys: Vec<(String, String)> = kenshu_exercises::reviewable(&e.exercise)
        .into_iter()
        .map(|i| (i.item, i.key))
        .collect();
    // A check before the training keeps its marks and explanations until
    // the course's checks after it (`check = "post"`) have been answered,
    // so its feedback does not give the post-check's answers away: the
    // storage keys of those records, which the browser looks up.
    let after: Vec<String> = if e.exercise.check() == Some(Check::Pre) {
        site.exercises
            .by_id
            .values()
            .filter(|p| p.exercise.check() == Some(Check::Post))
            .map(|p| format!("kenshu:{}:{}", p.exercise.id(), p.hash))
            .collect()
    } else {
        Vec::new()
    };
    v.pre = e.exercise.check() == Some(Check::Pre);
    v.static_html = kenshu_exercises_views::static_html(&e.exercise, v.pre);
    let after = if after.is_empty() {
        String::new()
    } else {
        format!(
            ",\"after\":{}",
            serde_json::to_string(&after).unwrap_or_else(|_| "[]".into())
        )
    };
    let payload = format!(
        "{{\"hash\":\"{}\",\"exercise\":{},\"review\":{}{after}}}",
        e.hash,
        e.json,
        serde_json::to_string(&keys).unwrap_or_else(|_| "[]".into())
    );
    v.json = script_json(&payload);
    let mut cx = tera::Context::new();
    cx.insert("e", &v);
    site.theme
        .render("partials/exercise.html", &cx, &page.output)
}

/// Which of an exercise's static HTML a template over every exercise shows.
#[derive(Clone, Copy, PartialEq)]
enum Part {
    /// The title linked to its page (the list, 学習の記録).
    Title,
    /// The answer key's entry and the short key's line.
    Key,
}

/// Every exercise of the site in reading order, as the templates get them,
/// linked from `page`, with `part` of their static HTML.
fn listed_views<'a>(site: &'a Site, page: &Page, part: Part) -> Vec<ExView<'a>> {
    let root = root_of(&page.output);
    listed(site)
        .into_iter()
        .map(|l| {
            let href = l
                .page
                .map(|p| {
                    format!(
                        "{root}{}#exercise-{}",
                        super::url(&p.output),
                        l.entry.exercise.id()
                    )
                })
                .unwrap_or_default();
            let ex = &l.entry.exercise;
            let mut v = view(l.entry, href);
            match part {
                Part::Title => v.title_html = kenshu_exercises_views::title_html(v.title, &v.href),
                Part::Key => {
                    v.key_html = kenshu_exercises_views::key_html(ex, &v.href);
                    v.key_short_html = kenshu_exercises_views::key_short_html(ex);
                }
            }
            v
        })
        .collect()
}

/// A template of the theme over every exercise of the site.
fn over_all(site: &Site, page: &Page, template: &str, part: Part) -> Result<String, Diagnostic> {
    let mut cx = tera::Context::new();
    cx.insert("exercises", &listed_views(site, page, part));
    site.theme.render(template, &cx, &page.output)
}

/// In-page contents entries for a page with the answer key: one per
/// exercise (`#key-ID`), so a lecturer can jump within the long sheet.
pub fn key_toc(site: &Site, page: &Page) -> Vec<TocEntry> {
    let has_key = page.directives.iter().any(|d| d.name == KEY);
    if !has_key {
        return Vec::new();
    }
    listed(site)
        .iter()
        .map(|l| TocEntry {
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

/// Every exercise of the site in reading order, with the page that embeds
/// it (for `kenshu report` and the 集計 page's data).
pub fn in_reading_order(site: &Site) -> Vec<(&ExerciseEntry, Option<&Page>)> {
    listed(site)
        .into_iter()
        .map(|l| (l.entry, l.page))
        .collect()
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

/// The 集計 page's host: the site's exercise data (the same
/// [`SiteData`] `kenshu report` aggregates over) and
/// `assets/report.js`, which reads dropped or picked records in the
/// browser (nothing is uploaded; works from file://).
fn report_host(site: &Site, page: &Page) -> String {
    let data = serde_json::to_string(&SiteData::of(site)).unwrap_or_default();
    let root = root_of(&page.output);
    // Links from an item to debrief: its exercise on its page, and the
    // answer key's entry (the first page with `{{#exercise-key}}`).
    let key = site
        .pages
        .iter()
        .find(|p| p.directives.iter().any(|d| d.name == KEY))
        .map(|p| format!("{root}{}", super::url(&p.output)))
        .unwrap_or_default();
    format!(
        "<div class=\"kr\" data-kenshu-report data-root=\"{}\" data-key=\"{}\"><script type=\"application/json\" class=\"kr-data\">{}</script>\
         <noscript><p>この集計には JavaScript が必要です。<code>kenshu report</code> でも同じ集計ができます。</p></noscript></div>\n\
         <script src=\"{}assets/report.js\" defer></script>\n",
        crate::html::escape(&root),
        crate::html::escape(&key),
        script_json(&data),
        root
    )
}

/// The id a site's records carry (8 hex digits): a hash of its title and
/// `base_url`, so records from another course are told apart and left out
/// of `kenshu report` and the 集計 page.
pub fn site_id(site: &Site) -> String {
    let key = format!(
        "{}\n{}",
        site.config.title,
        site.config.base_url.as_deref().unwrap_or("")
    );
    kenshu_exercises::version(&kenshu_exercises::content_hash(key.as_bytes())).to_string()
}

fn progress_host(site: &Site, page: &Page) -> Result<String, Diagnostic> {
    let root = root_of(&page.output);
    let entries: Vec<serde_json::Value> = listed(site)
        .iter()
        .map(|l| {
            let ex = &l.entry.exercise;
            let mut v = serde_json::json!({
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
            });
            // A check before or after the training (only when set, so
            // other sites' pages stay as they were).
            if let Some(check) = ex.check() {
                v["check"] = serde_json::json!(check);
            }
            v
        })
        .collect();
    // 修了: the rule kenshu report and the SCORM package use (see
    // SiteData::required); shown on 学習の記録 only when
    // site.toml states one (`[package] required` or `passing_score`).
    let pkg = &site.config.package;
    let stated = !pkg.required.is_empty() || pkg.passing_score.is_some();
    let mut data = SiteData::of(site);
    if !stated {
        data.required.clear();
    }
    let json = serde_json::json!({
        "site": site.config.title,
        "site_id": site_id(site),
        "exercises": entries,
        "required": data.required,
        "passing": data.passing.map(|p| p.ceil() as u32),
    })
    .to_string();
    let mut cx = tera::Context::new();
    cx.insert("json", &script_json(&json));
    cx.insert("exercises", &listed_views(site, page, Part::Title));
    site.theme
        .render("partials/exercise-progress.html", &cx, &page.output)
}

/// The first page with the 復習 round, linked from `page` ("" when none).
fn review_href(site: &Site, page: &Page) -> String {
    site.pages
        .iter()
        .find(|p| needs_review_bundle(p))
        .map(|p| format!("{}{}", root_of(&page.output), super::url(&p.output)))
        .unwrap_or_default()
}

/// The 復習 page's host: every reviewable item of the exercises placed on
/// a page, as the question the round asks (see
/// [`kenshu_exercises::review_questions`]) with its key; per exercise its
/// title and link, and for a table the case page's description and the
/// statements its cells share. The `review` bundle picks the due items
/// from what the browser stored.
fn review_host(site: &Site, page: &Page) -> Result<String, Diagnostic> {
    let root = root_of(&page.output);
    let mut exercises = Vec::new();
    let mut items = Vec::new();
    for l in listed(site) {
        let Some(p) = l.page else { continue };
        let ex = &l.entry.exercise;
        let asked = kenshu_exercises::review_questions(ex);
        if asked.is_empty() {
            continue;
        }
        // A table's cells share its statements: written once, with their
        // feedback; each cell names its right one.
        let mut shared = Vec::new();
        if let kenshu_exercises::Exercise::Table(t) = ex {
            shared = t
                .statements
                .iter()
                .map(|s| serde_json::json!({ "id": s.id, "text": s.text, "feedback": s.feedback }))
                .collect();
        }
        let scene = if shared.is_empty() {
            String::new()
        } else {
            format!(
                "{}（表のこのマスに当てはまる文を選んでください）",
                p.description
            )
        };
        for (key, mut question, cell) in asked {
            let mut item = serde_json::json!({ "x": exercises.len(), "key": key });
            if cell {
                let right: Vec<String> = question.right().map(|o| o.id.clone()).collect();
                item["answer"] = serde_json::json!(right.join(","));
                question.options.clear();
            }
            item["question"] = serde_json::json!(question);
            items.push(item);
        }
        exercises.push(serde_json::json!({
            "id": ex.id(),
            "title": ex.title(),
            "href": format!("{root}{}#exercise-{}", super::url(&p.output), ex.id()),
            "scene": scene,
            "options": shared,
        }));
    }
    let json = serde_json::json!({
        "title": "今回の復習",
        "exercises": exercises,
        "items": items,
    })
    .to_string();
    let mut cx = tera::Context::new();
    cx.insert("json", &script_json(&json));
    site.theme
        .render("partials/exercise-review.html", &cx, &page.output)
}

/// How many 復習 items are due (theme/static/review-due.js counts them in
/// what the browser stored), with a link to the 復習 page. The keys of the
/// items as built come along, so an entry of an item edited since is not
/// counted.
fn review_due_host(site: &Site, page: &Page) -> String {
    let mut keys = serde_json::Map::new();
    for l in listed(site).into_iter().filter(|l| l.page.is_some()) {
        let ex = &l.entry.exercise;
        let ks: Vec<String> = kenshu_exercises::reviewable(ex)
            .into_iter()
            .map(|i| i.key)
            .collect();
        if !ks.is_empty() {
            keys.insert(ex.id().to_string(), serde_json::json!(ks));
        }
    }
    let json = serde_json::json!({ "keys": keys }).to_string();
    let href = review_href(site, page);
    format!(
        "<p class=\"review-due admonition tip\" data-review-due data-href=\"{}\" hidden><script type=\"application/json\">{}</script></p>\n\
         <script src=\"{}assets/review-due.js\" defer></script>\n",
        crate::html::escape(&href),
        script_json(&json),
        root_of(&page.output)
    )
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
    let mut out = String::new();
    if needs_bundle(page) {
        out.push_str(&format!(
            "<script defer src=\"{}assets/{}?v={}\"></script>\n",
            root_of(&page.output),
            bundle::LOADER,
            bundle::version()
        ));
    }
    if needs_review_bundle(page) {
        out.push_str(&format!(
            "<script defer src=\"{}assets/{}?v={}\" data-bundle=\"{}\"></script>\n",
            root_of(&page.output),
            bundle::LOADER,
            bundle::version(),
            bundle::REVIEW
        ));
    }
    out
}

/// Files the exercises need in the output (the WASM bundle), when some page
/// has exercises.
pub fn extra_files(site: &Site) -> Vec<OutputFile> {
    let mut files: Vec<OutputFile> = Vec::new();
    let review = site.pages.iter().any(needs_review_bundle);
    if review || site.pages.iter().any(needs_bundle) {
        files.extend(bundle::FILES.iter().map(|f| OutputFile {
            path: format!("assets/{}", f.name),
            contents: Contents::Bytes(f.bytes.to_vec()),
        }));
    }
    if review {
        files.extend(bundle::REVIEW_FILES.iter().map(|f| OutputFile {
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

// ---- The exercise data `kenshu report` and the 集計 page aggregate over ----

/// What the aggregation needs of a site: its id and, per exercise in
/// reading order, the graded items with their right answers and texts.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct SiteData {
    pub title: String,
    pub id: String,
    pub exercises: Vec<ExData>,
    /// 修了, as `kenshu package scorm` reports it to an LMS: every exercise
    /// of `[package] required` (default: every exercise on a page) done,
    /// and, with `passing_score`, the best scores over the exercises on a
    /// page at least that share of their graded items.
    pub required: Vec<String>,
    pub passing: Option<f64>,
}

#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct ExData {
    pub id: String,
    pub title: String,
    /// The page's output path ("" when on no page).
    pub page: String,
    /// `pre` / `post` for a check before or after the training.
    pub check: Option<String>,
    /// [`kenshu_exercises::version`] of the exercise as built.
    pub version: String,
    pub items: Vec<ItemData>,
}

/// One graded item, table cell or question.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct ItemData {
    pub id: String,
    pub label: String,
    /// The right option ids (one for an item or a cell).
    pub answer: Vec<String>,
    /// (option id, text) of the possible answers.
    pub options: Vec<(String, String)>,
    pub explanation: String,
}

impl SiteData {
    pub fn of(site: &Site) -> SiteData {
        let exercises: Vec<ExData> = in_reading_order(site)
            .into_iter()
            .map(|(entry, page)| {
                let ex = &entry.exercise;
                let fields = ex.fields();
                let options = |id: &str| {
                    fields
                        .iter()
                        .find(|f| f.id == id)
                        .map(|f| f.options.clone())
                        .unwrap_or_default()
                };
                let item = |id: &str, label: &str, answer: Vec<String>, why: &str| ItemData {
                    id: id.to_string(),
                    label: label.to_string(),
                    answer,
                    options: options(id),
                    explanation: why.to_string(),
                };
                let items = match ex {
                    Exercise::Classify(c) => c
                        .items
                        .iter()
                        .map(|i| item(&i.id, &i.text, vec![i.answer.clone()], &i.explanation))
                        .collect(),
                    Exercise::Table(t) => t
                        .cells()
                        .filter(|(_, c)| c.mode == CellMode::Chosen)
                        .map(|(r, c)| {
                            item(
                                &c.id,
                                &kenshu_exercises::cell_label(r, c),
                                c.answer.iter().cloned().collect(),
                                &c.explanation,
                            )
                        })
                        .collect(),
                    Exercise::Choice(c) => c
                        .questions
                        .iter()
                        .map(|q| {
                            let mut right: Vec<String> = q.right().map(|o| o.id.clone()).collect();
                            right.sort();
                            item(&q.id, &q.text, right, &q.explanation)
                        })
                        .collect(),
                    Exercise::Worksheet(_) => Vec::new(),
                };
                ExData {
                    id: ex.id().to_string(),
                    title: ex.title().to_string(),
                    page: page.map(|p| p.output.clone()).unwrap_or_default(),
                    check: ex.check().map(|c| match c {
                        Check::Pre => "pre".to_string(),
                        Check::Post => "post".to_string(),
                    }),
                    version: kenshu_exercises::version(&entry.hash).to_string(),
                    items,
                }
            })
            .collect();
        let pkg = &site.config.package;
        let required = if pkg.required.is_empty() {
            exercises
                .iter()
                .filter(|e| !e.page.is_empty())
                .map(|e| e.id.clone())
                .collect()
        } else {
            pkg.required.clone()
        };
        SiteData {
            title: site.config.title.clone(),
            id: site_id(site),
            exercises,
            required,
            passing: pkg.passing_score,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn script_json_cannot_close_the_script() {
        let s = script_json(r#"{"t":"</script><!--<script>"}"#);
        assert!(!s.contains('<'), "{s}");
    }

    /// A site whose one page embeds a classify exercise with markup in its
    /// text, and the answer key; `extra` adds files (theme overrides).
    fn site(extra: &[(&str, &str)]) -> (tempfile::TempDir, Site) {
        let dir = tempfile::tempdir().unwrap();
        let files = [
            ("site.toml", "title = \"演習\"\n"),
            ("content/index.md", "# ホーム\n\n{{#exercise e1}}\n\n{{#exercise-key}}\n"),
            (
                "content/exercises/e1.toml",
                "id = \"e1\"\nkind = \"classify\"\ntitle = \"分類 <b>&</b>\"\n\
                 categories = [{ id = \"a\", name = \"直接的支援\" }, { id = \"b\", name = \"<i>間接</i>\" }]\n\
                 [[items]]\nid = \"i1\"\ntext = \"<script>alert(1)</script>会議\"\nanswer = \"b\"\n\
                 explanation = \"\\\"引用\\\" & 'x'\"\n",
            ),
        ];
        for (path, text) in files.iter().chain(extra) {
            let p = dir.path().join(path);
            std::fs::create_dir_all(p.parent().unwrap()).unwrap();
            std::fs::write(p, text).unwrap();
        }
        let site = crate::load::load(dir.path()).unwrap();
        (dir, site)
    }

    #[test]
    fn exercise_text_is_escaped_in_the_fallback_and_the_key() {
        let (_dir, site) = site(&[]);
        let html = crate::render::page_html_text(&site, 0);
        // (The island's JSON holds it as `<script>alert(1)<\/script>`: it cannot close its script.)
        assert!(!html.contains("<script>alert(1)</script>"), "{html}");
        assert!(!html.contains("<i>間接</i>"), "{html}");
        // Once in the exercise, once in the key.
        assert_eq!(
            html.matches("<p class=\"ex-text\">&lt;script&gt;alert(1)&lt;/script&gt;会議</p>")
                .count(),
            2,
            "{html}"
        );
        assert!(
            html.contains("<strong>正解：&lt;i&gt;間接&lt;/i&gt;</strong>"),
            "{html}"
        );
        // Quotes need no escaping in text (Yew leaves them; `&` it escapes),
        // once in the exercise's answers, once in the key.
        assert_eq!(
            html.matches("</span> \"引用\" &amp; 'x'</p>").count(),
            2,
            "{html}"
        );
        assert!(
            html.contains("<p class=\"ex-title\">分類 &lt;b&gt;&amp;&lt;/b&gt;</p>"),
            "{html}"
        );
    }

    #[test]
    fn an_organisation_can_write_its_own_exercise_fallback() {
        let mine = "<div class=\"mine\" id=\"exercise-{{ e.id }}\">{{ e.title }}：\
                    {% for i in e.items %}{{ i.text }}→{{ i.answer }}{% endfor %}</div>";
        let (_dir, site) = site(&[("theme/templates/partials/exercise.html", mine)]);
        let html = crate::render::page_html_text(&site, 0);
        assert!(
            html.contains("<div class=\"mine\" id=\"exercise-e1\">分類 &lt;b&gt;&amp;&lt;/b&gt;：&lt;script&gt;alert(1)&lt;/script&gt;会議→&lt;i&gt;間接&lt;/i&gt;</div>"),
            "{html}"
        );
        // The key is still the theme's.
        assert!(html.contains("id=\"key-e1\""), "{html}");
    }

    #[test]
    fn a_broken_exercise_template_fails_the_page_with_its_name() {
        let (_dir, site) = site(&[(
            "theme/templates/partials/exercise-key.html",
            "{{ exercises.0.no_such_field }}",
        )]);
        let err = crate::render::render_page(&site, 0)
            .html
            .unwrap_err()
            .to_string();
        assert!(err.contains("partials/exercise-key.html"), "{err}");
        assert!(err.contains("index.html"), "{err}");
    }
}
