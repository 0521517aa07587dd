//! The course in this repository ("連携のあり方") builds without errors, and
//! lecture ② keeps every slide of the seed lecture and the complete
//! coordination-points table (連携する際のポイント整理).
//!
//! No browser is needed: the built HTML is scanned as text.

use std::fs;
use std::path::{Path, PathBuf};

use kenshu_e2e::html_text;
use kenshu_exercises::{CellMode, Exercise};

/// The seed lecture (slide text of 「連携のあり方-②: 実践編」), relative to the
/// workspace root.
const SEED: &str = "../shared/seed/000_82c68ec7467deae7.txt";

/// The seed's headings, in order, used when the seed file is not available
/// (for example on a machine that only has this repository).
const SEED_HEADINGS: &[&str] = &[
    "連携のあり方-②: 実践編",
    "【目的】",
    "【講義内容】",
    "「連携」と「協働」の概念整理",
    "個別支援：間接的支援と直接的支援",
    "重層的支援会議の目的・役割 + 社会資源の開拓・連携",
    "インフォーマル資源の連携：発掘・開拓・連携",
    "フォーマル資源の連携:「リエゾン・コンサルテーション」という考え方",
    "「社会資源化」の視点: あらゆるモノ(有形・無形)が社会資源",
    "「社会資源化」の視点：地域の資源を「面」で捉える",
    "連携する際のポイント整理",
    "連携のあり方-②:実践編 まとめ",
];

/// The four items of the table and their three points each, in order.
const TABLE: &[(&str, [&str; 3])] = &[
    (
        "会議体の機能",
        [
            "①プランの適切性協議",
            "②プランの終結時評価",
            "③資源把握と開発に向けた検討",
        ],
    ),
    (
        "ベクトル合わせ",
        ["①顔合わせ", "②波長合わせ", "③呼吸合わせ"],
    ),
    (
        "観察ポイント",
        [
            "①観察ポイントの同定(どこを・何を)",
            "②観察起点の特定(いつから)",
            "③支援の中の「小さな変化」",
        ],
    ),
    ("3つの共有", ["①情報の共有", "②価値の共有", "③判断の共有"]),
];

/// Every remark (備考) of the table, including the lecturer's truncation
/// (「…」) exactly as in the seed.
const REMARKS: &[&str] = &[
    "(共有を前提とする項目)",
    "①アセスメントの妥当性評価",
    "①-1.プランの微修正・変更・保留・中止",
    "①顔の見える・価値観を…関係の形成",
    "②具体事例の「価値」の共有",
    "③支援の提供タイミング (スタートorバトンを渡すタイミング)",
    "①支援成果の評価",
    "②終結時の評価",
    "③資源開発の検討",
    "} 根拠",
    "事前に共有できるものもあれば、支援途上で見えてくるものも多い。",
    "タイムリーで、こまめな情報交換が必要",
];

/// Builds the repository's course into a fresh temporary folder.
fn build_course() -> (tempfile::TempDir, PathBuf) {
    let tmp = tempfile::tempdir().expect("create a temporary folder");
    let out = tmp.path().join("public");
    match kenshu::build(&kenshu_e2e::workspace_root(), &out) {
        Ok(_) => {}
        Err(diagnostics) => {
            let text: Vec<String> = diagnostics.iter().map(|d| d.to_string()).collect();
            panic!(
                "the course does not build ({} errors):\n{}",
                text.len(),
                text.join("\n")
            );
        }
    }
    (tmp, out)
}

fn read(path: &Path) -> String {
    fs::read_to_string(path).unwrap_or_else(|e| panic!("read {}: {e}", path.display()))
}

/// The headings of the seed file: lines starting with `#`, without the marks.
fn seed_headings() -> Vec<String> {
    let path = kenshu_e2e::workspace_root().join(SEED);
    match fs::read_to_string(&path) {
        Ok(text) => {
            let headings: Vec<String> = text
                .lines()
                .map(str::trim)
                .filter(|l| l.starts_with('#'))
                .map(|l| normalise(l.trim_start_matches('#')))
                .filter(|h| !h.is_empty())
                .collect();
            assert!(
                !headings.is_empty(),
                "the seed {} has no headings",
                path.display()
            );
            headings
        }
        Err(_) => SEED_HEADINGS.iter().map(|h| normalise(h)).collect(),
    }
}

/// Collapses runs of whitespace (including U+3000) into one ASCII space.
fn normalise(s: &str) -> String {
    s.split(|c: char| c.is_whitespace())
        .filter(|w| !w.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}

/// Text content of an HTML fragment: tags removed, common entities
/// decoded, whitespace collapsed.
fn text_of(html: &str) -> String {
    normalise(&html_text(html))
}

/// All elements `<tag …>…</tag>` in `html` (not nested in themselves),
/// returned as (opening tag, inner HTML), in document order.
fn elements<'a>(html: &'a str, tag: &str) -> Vec<(&'a str, &'a str)> {
    let open = format!("<{tag}");
    let close = format!("</{tag}>");
    let mut found = Vec::new();
    let mut rest = html;
    while let Some(start) = rest.find(&open) {
        let after = &rest[start + open.len()..];
        // `<th` must not match `<thead`.
        if !after.starts_with(|c: char| c == '>' || c.is_whitespace()) {
            rest = after;
            continue;
        }
        let Some(gt) = after.find('>') else { break };
        let opening = &rest[start..start + open.len() + gt + 1];
        let body = &after[gt + 1..];
        let Some(end) = body.find(&close) else { break };
        found.push((opening, &body[..end]));
        rest = &body[end + close.len()..];
    }
    found
}

/// Text of every h1–h6 heading of a page, with its byte offset, in document
/// order.
fn headings(html: &str) -> Vec<(usize, String)> {
    let mut all = Vec::new();
    for level in 1..=6 {
        for (opening, inner) in elements(html, &format!("h{level}")) {
            // `opening` is a slice of `html`: its offset is its position.
            let pos = opening.as_ptr() as usize - html.as_ptr() as usize;
            all.push((pos, text_of(inner)));
        }
    }
    all.sort_by_key(|(pos, _)| *pos);
    all
}

#[test]
fn course_builds_and_lecture_two_keeps_every_seed_heading_in_order() {
    let (_tmp, out) = build_course();
    let page = out.join("lectures").join("jissen.html");
    let html = read(&page);
    let found = headings(&html);
    assert!(!found.is_empty(), "{} has no headings", page.display());

    let mut last = 0;
    for heading in seed_headings() {
        let Some((pos, _)) = found.iter().find(|(_, text)| text.contains(&heading)) else {
            let list: Vec<&str> = found.iter().map(|(_, t)| t.as_str()).collect();
            panic!(
                "seed heading 「{heading}」 is not a heading of {}; headings are:\n{}",
                page.display(),
                list.join("\n")
            );
        };
        assert!(
            *pos >= last,
            "seed heading 「{heading}」 is out of the seed's order in {}",
            page.display()
        );
        last = *pos;
    }
}

#[test]
fn the_points_table_has_four_items_twelve_points_and_every_remark() {
    let (_tmp, out) = build_course();
    let page = out.join("lectures").join("jissen.html");
    let html = read(&page);

    let tables: Vec<&str> = elements(&html, "table")
        .into_iter()
        .filter(|(_, inner)| text_of(inner).contains("連携する際のポイント整理"))
        .map(|(_, inner)| inner)
        .collect();
    assert_eq!(
        tables.len(),
        1,
        "expected exactly one table captioned 連携する際のポイント整理 in {}",
        page.display()
    );
    let table = tables[0];

    let caption = elements(table, "caption");
    assert_eq!(caption.len(), 1, "the table has no <caption>");
    assert!(
        text_of(caption[0].1).contains("連携する際のポイント整理"),
        "the caption does not name the table"
    );

    let header_cells: Vec<String> = elements(table, "th")
        .into_iter()
        .filter(|(open, _)| open.contains("scope=\"col\""))
        .map(|(_, inner)| text_of(inner))
        .collect();
    assert_eq!(
        header_cells,
        ["No", "項目", "ポイント", "備考"],
        "column headers (th scope=col)"
    );

    let tbody = elements(table, "tbody");
    assert_eq!(tbody.len(), 1, "the table has no <tbody>");
    let rows = elements(tbody[0].1, "tr");
    assert_eq!(rows.len(), TABLE.len(), "the table must have 4 item rows");

    let mut points_total = 0;
    for (i, ((_, row), (item, points))) in rows.iter().zip(TABLE).enumerate() {
        let row_headers: Vec<String> = elements(row, "th")
            .into_iter()
            .filter(|(open, _)| open.contains("scope=\"row\""))
            .map(|(_, inner)| text_of(inner))
            .collect();
        assert_eq!(row_headers, [*item], "row {} header (th scope=row)", i + 1);

        let cells = elements(row, "td");
        assert_eq!(
            cells.len(),
            3,
            "row {} must have No, ポイント and 備考",
            i + 1
        );
        assert_eq!(text_of(cells[0].1), (i + 1).to_string(), "row {} No", i + 1);

        let items: Vec<String> = elements(cells[1].1, "li")
            .into_iter()
            .map(|(_, inner)| text_of(inner))
            .collect();
        assert_eq!(
            items,
            points.iter().map(|p| p.to_string()).collect::<Vec<_>>(),
            "row {} ({item}) points must be a list of its three points",
            i + 1
        );
        points_total += items.len();
    }
    assert_eq!(points_total, 12, "4 items × 3 points");

    let remarks: String = rows
        .iter()
        .filter_map(|(_, row)| elements(row, "td").get(2).map(|(_, inner)| text_of(inner)))
        .collect::<Vec<_>>()
        .join("\n");
    for remark in REMARKS {
        assert!(
            remarks.contains(&normalise(remark)),
            "the 備考 column lacks 「{remark}」; it reads:\n{remarks}"
        );
    }
}

#[test]
fn lecture_two_links_terms_to_the_glossary() {
    let (_tmp, out) = build_course();
    let html = read(&out.join("lectures").join("jissen.html"));
    let glossary = read(&out.join("glossary.html"));
    let mut linked = 0;
    for (open, _) in elements(&html, "a") {
        let Some(start) = open.find("href=\"") else {
            continue;
        };
        let href = &open[start + 6..];
        let href = &href[..href.find('"').unwrap_or(href.len())];
        if let Some(id) = href.strip_prefix("../glossary.html#") {
            linked += 1;
            assert!(
                glossary.contains(&format!("id=\"{id}\"")),
                "lecture ② links to glossary entry #{id}, which does not exist"
            );
        }
    }
    for id in [
        "renkei",
        "kansetsuteki-shien",
        "chokusetsuteki-shien",
        "vector",
        "mittsu-no-kyoyu",
    ] {
        assert!(
            html.contains(&format!("../glossary.html#{id}\"")),
            "lecture ② does not link the term #{id} to the glossary"
        );
    }
    assert!(
        linked >= 20,
        "lecture ② links only {linked} terms to the glossary"
    );
}

/// Splits a page at its `<h2` headings: the part before the first one (the
/// title section) and one part per `##` section.
fn h2_sections(html: &str) -> Vec<&str> {
    let mut cuts: Vec<usize> = html.match_indices("<h2").map(|(i, _)| i).collect();
    let start = html.find("<h1").unwrap_or(0);
    cuts.insert(0, start);
    cuts.push(html.find("</main>").unwrap_or(html.len()));
    cuts.windows(2)
        .filter(|w| w[0] < w[1])
        .map(|w| &html[w[0]..w[1]])
        .collect()
}

#[test]
fn every_lecture_section_has_speaker_notes_with_a_time_guide() {
    let (_tmp, out) = build_course();
    for page in ["jissen", "rinen"] {
        let path = out.join("lectures").join(format!("{page}.html"));
        let html = read(&path);
        let sections = h2_sections(&html);
        assert!(
            sections.len() >= 9,
            "{} has only {} sections",
            path.display(),
            sections.len()
        );
        for section in sections {
            let title = elements(section, "h2")
                .into_iter()
                .chain(elements(section, "h1"))
                .next()
                .map(|(_, inner)| text_of(inner))
                .unwrap_or_default();
            let notes = elements(section, "details")
                .into_iter()
                .filter(|(open, _)| open.contains("speaker-notes"))
                .map(|(_, inner)| text_of(inner))
                .collect::<Vec<_>>();
            assert_eq!(
                notes.len(),
                1,
                "section 「{title}」 of {} must have one 講師メモ",
                path.display()
            );
            assert!(
                notes[0].contains("目安："),
                "the 講師メモ of 「{title}」 in {} has no time guide (目安：…)",
                path.display()
            );
        }
        let deck = read(&out.join("lectures").join(format!("{page}.slides.html")));
        if page == "jissen" {
            let deck_text = text_of(&deck);
            for heading in seed_headings() {
                assert!(
                    deck_text.contains(&heading),
                    "the slide deck of lecture ② lacks the seed heading 「{heading}」"
                );
            }
        }
    }
}

/// Every exercise file under `content/`, parsed, with its path relative to
/// the workspace root, sorted by path.
fn course_exercises() -> Vec<(PathBuf, Exercise)> {
    fn walk(dir: &Path, out: &mut Vec<PathBuf>) {
        let entries = fs::read_dir(dir).unwrap_or_else(|e| panic!("read {}: {e}", dir.display()));
        for entry in entries {
            let path = entry.expect("a folder entry").path();
            if path.is_dir() {
                walk(&path, out);
            } else if path.extension().is_some_and(|x| x == "toml") {
                out.push(path);
            }
        }
    }
    let root = kenshu_e2e::workspace_root();
    let mut files = Vec::new();
    walk(&root.join("content"), &mut files);
    files.sort();
    files
        .into_iter()
        .map(|path| {
            let text = read(&path);
            let exercise = kenshu_exercises::parse::parse(&text)
                .unwrap_or_else(|e| panic!("{}: {e:?}", path.display()));
            let rel = path.strip_prefix(&root).unwrap_or(&path).to_path_buf();
            (rel, exercise)
        })
        .collect()
}

/// The words of the shortcut a learner can use without understanding the
/// lecture: "the sentence names a meeting → 間接的支援, else 直接的支援".
const MEETING_WORDS: &[&str] = &["会議", "カンファレンス", "協議", "検討会"];

#[test]
fn the_meeting_word_rule_scores_at_most_60_percent_over_all_classify_items() {
    let mut right = 0;
    let mut total = 0;
    let mut per_file = Vec::new();
    for (path, exercise) in course_exercises() {
        let Exercise::Classify(c) = exercise else {
            continue;
        };
        // The rule answers with these two categories: only the exercises
        // on the lecture's distinction take part.
        if c.category("direct").is_none() || c.category("indirect").is_none() {
            continue;
        }
        let mut file_right = 0;
        for item in &c.items {
            let names_a_meeting = MEETING_WORDS.iter().any(|w| item.text.contains(w));
            let guess = if names_a_meeting {
                "indirect"
            } else {
                "direct"
            };
            if guess == item.answer {
                file_right += 1;
            }
        }
        right += file_right;
        total += c.items.len();
        per_file.push(format!(
            "{}: {file_right}/{}",
            path.display(),
            c.items.len()
        ));
    }
    assert!(
        per_file.len() >= 8,
        "expected the classify exercises of every case, found {}",
        per_file.len()
    );
    assert!(
        right * 100 <= total * 60,
        "answering 間接的支援 whenever an item names a meeting scores {right}/{total} \
         ({:.0} %), above 60 %: the wording gives the answers away.\n{}",
        right as f64 * 100.0 / total as f64,
        per_file.join("\n")
    );
}

#[test]
fn every_table_offers_at_least_one_and_a_half_statements_per_chosen_cell() {
    let mut free_rows = std::collections::BTreeSet::new();
    let mut tables = 0;
    for (path, exercise) in course_exercises() {
        let Exercise::Table(t) = exercise else {
            continue;
        };
        tables += 1;
        let chosen = t
            .cells()
            .filter(|(_, cell)| cell.mode == CellMode::Chosen)
            .count();
        for (row, cell) in t.cells() {
            if cell.mode == CellMode::Free {
                free_rows.insert(row.name.clone());
            }
        }
        if chosen == 0 {
            continue;
        }
        // ≥ 1.5 statements per chosen cell, so the last picks do not solve
        // themselves by elimination.
        assert!(
            t.statements.len() * 2 >= chosen * 3,
            "{}: {} statements for {chosen} chosen cells (need at least {})",
            path.display(),
            t.statements.len(),
            (chosen * 3).div_ceil(2)
        );
    }
    assert!(
        tables >= 8,
        "expected a table for every case, found {tables}"
    );
    assert!(
        free_rows.len() >= 3,
        "the row learners write in themselves should change between cases; \
         free rows: {free_rows:?}"
    );
}

/// Output path (relative to the output root) of a page source under
/// `content/`: the numeric prefix is dropped.
fn output_of(source: &Path) -> String {
    let rel = source.strip_prefix("content").unwrap_or(source);
    let mut parts: Vec<String> = rel
        .iter()
        .map(|p| p.to_string_lossy().to_string())
        .collect();
    if let Some(last) = parts.last_mut() {
        let stem = last.trim_end_matches(".md");
        let stem = match stem.split_once(['-', '_']) {
            Some((n, rest)) if n.chars().all(|c| c.is_ascii_digit()) => rest,
            _ => stem,
        };
        *last = format!("{stem}.html");
    }
    parts.join("/")
}

#[test]
fn every_case_page_embeds_its_classify_and_table_exercises() {
    let (_tmp, out) = build_course();
    let ids: Vec<String> = course_exercises()
        .into_iter()
        .map(|(_, e)| e.id().to_string())
        .collect();
    let cases = kenshu_e2e::workspace_root().join("content").join("cases");
    let mut pages = 0;
    for entry in fs::read_dir(&cases).expect("content/cases") {
        let path = entry.expect("an entry").path();
        let name = path
            .file_name()
            .unwrap_or_default()
            .to_string_lossy()
            .to_string();
        let Some((number, _)) = name.split_once('-') else {
            continue;
        };
        let Ok(number) = number.parse::<u32>() else {
            continue;
        };
        pages += 1;
        let source = Path::new("content").join("cases").join(&name);
        let html = read(&out.join(output_of(&source)));
        for kind in ["classify", "table"] {
            let id = format!("case{number:02}-{kind}");
            assert!(
                ids.contains(&id),
                "{name} has no exercise file with id {id}"
            );
            assert!(
                html.contains(&format!("data-exercise=\"{id}\"")),
                "the page of {name} does not embed {id}"
            );
        }
    }
    assert!(pages >= 8, "expected at least 8 case pages, found {pages}");
}

/// Every `href` value in an HTML page.
fn hrefs(html: &str) -> Vec<&str> {
    html.match_indices("href=\"")
        .map(|(i, m)| {
            let rest = &html[i + m.len()..];
            &rest[..rest.find('"').unwrap_or(rest.len())]
        })
        .collect()
}

#[test]
fn the_answer_key_covers_every_exercise_and_no_trainee_page_leads_to_it() {
    let (_tmp, out) = build_course();
    let key = read(&out.join("lecturer").join("key.html"));
    let key_text = text_of(&key);
    for (path, exercise) in course_exercises() {
        let id = exercise.id();
        assert!(
            key.contains(&format!("id=\"key-{id}\"")),
            "the answer key lacks {id} ({})",
            path.display()
        );
        if let Exercise::Classify(c) = &exercise {
            for item in &c.items {
                let at = key_text
                    .find(&normalise(&item.text))
                    .unwrap_or_else(|| panic!("the key lacks item {} of {id}", item.id));
                let answer = c
                    .category(&item.answer)
                    .map(|k| k.name.as_str())
                    .unwrap_or("");
                assert!(
                    key_text[at..].contains(&format!("正解：{answer}")),
                    "the key does not give the answer of {} in {id}",
                    item.id
                );
            }
        }
        if let Exercise::Table(t) = &exercise {
            for (_, cell) in t.cells() {
                assert!(
                    key_text.contains(&normalise(t.model_answer(cell))),
                    "the key lacks the answer of cell {} of {id}",
                    cell.id
                );
            }
        }
    }

    // No page outside lecturer/ links into it: not the sidebar, not
    // previous/next, not a listing, not the text.
    fn walk(dir: &Path, out: &mut Vec<PathBuf>) {
        for entry in fs::read_dir(dir).expect("read the output") {
            let path = entry.expect("an entry").path();
            if path.is_dir() {
                walk(&path, out);
            } else if path.extension().is_some_and(|x| x == "html") {
                out.push(path);
            }
        }
    }
    let mut pages = Vec::new();
    walk(&out, &mut pages);
    let mut trainee_pages = 0;
    for page in pages {
        let rel = page.strip_prefix(&out).unwrap_or(&page);
        if rel.starts_with("lecturer") {
            continue;
        }
        trainee_pages += 1;
        let html = read(&page);
        for href in hrefs(&html) {
            assert!(
                !href.contains("lecturer/"),
                "{} links to the lecturers' area: {href}",
                rel.display()
            );
        }
    }
    assert!(trainee_pages >= 15, "only {trainee_pages} trainee pages");
    // Every file of the sharded search index: titles, URLs, snippets, terms.
    let mut search = String::new();
    let mut dirs = vec![out.join("assets").join("search")];
    while let Some(d) = dirs.pop() {
        for e in fs::read_dir(&d)
            .expect("the search index is written")
            .flatten()
        {
            if e.path().is_dir() {
                dirs.push(e.path());
            } else {
                search += &read(&e.path());
            }
        }
    }
    assert!(
        search.contains("用語集"),
        "the search index holds the titles"
    );
    assert!(
        !search.contains("lecturer/") && !search.contains("解答一覧"),
        "the site search finds the lecturers' pages"
    );
}

/// The exercises beyond the ten cases: "which point broke?" stories that
/// name a point of the lecture's table in every right answer, and the
/// learner's own-case worksheet before and after the training, each
/// embedded in its page.
#[test]
fn broken_coordination_stories_and_the_own_case_worksheets_are_on_their_pages() {
    let (_tmp, out) = build_course();
    let exercises = course_exercises();
    let find = |id: &str| {
        exercises
            .iter()
            .find(|(_, e)| e.id() == id)
            .map(|(_, e)| e.clone())
            .unwrap_or_else(|| panic!("no exercise {id}"))
    };
    let Exercise::Choice(stories) = find("kowareta-choice") else {
        panic!("kowareta-choice is not a choice exercise");
    };
    assert!(
        stories.questions.len() >= 4,
        "only {} stories",
        stories.questions.len()
    );
    let points: Vec<&str> = TABLE.iter().flat_map(|(_, p)| p.iter().copied()).collect();
    for q in &stories.questions {
        let right: Vec<_> = q.options.iter().filter(|o| o.correct).collect();
        assert!(!right.is_empty(), "story {} has no right answer", q.id);
        for o in &q.options {
            let text = o.text.replace('（', "(").replace('）', ")");
            assert!(
                points.iter().any(|p| text.contains(p)),
                "story {}: option {:?} is not a point of the lecture's table",
                q.id,
                o.text
            );
        }
    }
    let page = read(&out.join("cases").join("kowareta.html"));
    assert!(page.contains("data-exercise=\"kowareta-choice\""));
    let sheet = read(&out.join("cases").join("worksheet.html"));
    for id in ["own-case-before", "own-case-after"] {
        assert!(
            matches!(find(id), Exercise::Worksheet(_)),
            "{id} is a worksheet"
        );
        assert!(
            sheet.contains(&format!("data-exercise=\"{id}\"")),
            "the worksheet page does not embed {id}"
        );
    }
}

/// A learner who never reads the case: models that answer from the wording
/// of the other cases, the position of an item, or its length. The course's
/// case exercises must defeat all of them (issue #24).
mod test_wise {
    use std::collections::{BTreeMap, BTreeSet, HashMap};

    /// Character bigrams of a text, whitespace dropped.
    fn bigrams(text: &str) -> Vec<(char, char)> {
        let chars: Vec<char> = text.chars().filter(|c| !c.is_whitespace()).collect();
        chars.windows(2).map(|w| (w[0], w[1])).collect()
    }

    /// Multinomial naive Bayes over character bigrams with add-one smoothing.
    pub struct NaiveBayes {
        prior: BTreeMap<String, usize>,
        counts: HashMap<String, HashMap<(char, char), usize>>,
        totals: HashMap<String, usize>,
        vocabulary: usize,
    }

    impl NaiveBayes {
        pub fn train<'a>(docs: impl IntoIterator<Item = (&'a str, &'a str)>) -> Self {
            let mut prior = BTreeMap::new();
            let mut counts: HashMap<String, HashMap<(char, char), usize>> = HashMap::new();
            let mut totals = HashMap::new();
            let mut vocabulary = BTreeSet::new();
            for (text, label) in docs {
                *prior.entry(label.to_string()).or_insert(0) += 1;
                let per_label = counts.entry(label.to_string()).or_default();
                for g in bigrams(text) {
                    *per_label.entry(g).or_insert(0) += 1;
                    *totals.entry(label.to_string()).or_insert(0) += 1;
                    vocabulary.insert(g);
                }
            }
            NaiveBayes {
                prior,
                counts,
                totals,
                vocabulary: vocabulary.len(),
            }
        }

        pub fn predict(&self, text: &str) -> &str {
            let n: usize = self.prior.values().sum();
            let grams = bigrams(text);
            let mut best: Option<(f64, &str)> = None;
            for (label, &k) in &self.prior {
                let total = self.totals.get(label).copied().unwrap_or(0);
                let counts = self.counts.get(label);
                let mut score = (k as f64 / n as f64).ln();
                for g in &grams {
                    let c = counts.and_then(|m| m.get(g)).copied().unwrap_or(0);
                    score += ((c + 1) as f64 / (total + self.vocabulary + 1) as f64).ln();
                }
                if best.is_none_or(|(s, _)| score > s) {
                    best = Some((score, label));
                }
            }
            best.map_or("", |(_, l)| l)
        }
    }

    /// The best accuracy of any rule "shorter than t → label a, else label b".
    pub fn best_length_threshold(items: &[(usize, &str)]) -> f64 {
        let labels: BTreeSet<&str> = items.iter().map(|&(_, l)| l).collect();
        let mut cuts: Vec<usize> = items.iter().map(|&(n, _)| n).collect();
        cuts.push(usize::MAX);
        let mut best = 0;
        for &t in &cuts {
            for &a in &labels {
                for &b in &labels {
                    let right = items
                        .iter()
                        .filter(|&&(n, l)| (if n < t { a } else { b }) == l)
                        .count();
                    best = best.max(right);
                }
            }
        }
        best as f64 / items.len().max(1) as f64
    }

    pub fn median(mut v: Vec<usize>) -> f64 {
        v.sort_unstable();
        match v.len() {
            0 => 0.0,
            n if n % 2 == 1 => v[n / 2] as f64,
            n => (v[n / 2 - 1] + v[n / 2]) as f64 / 2.0,
        }
    }

    #[test]
    fn naive_bayes_learns_a_cue_and_the_length_rule_finds_a_split() {
        // The models must be able to win when the wording or length does
        // give the answer away, or the course test below proves nothing.
        let train = [
            ("会議で話し合う", "i"),
            ("会議で決める", "i"),
            ("一緒に訪問する", "d"),
            ("一緒に届ける", "d"),
        ];
        let nb = NaiveBayes::train(train);
        assert_eq!(nb.predict("会議で確かめる"), "i");
        assert_eq!(nb.predict("一緒に運ぶ"), "d");
        let items = [(10, "s"), (12, "s"), (40, "d"), (50, "d")];
        assert_eq!(best_length_threshold(&items), 1.0);
        assert_eq!(median(vec![3, 1, 2, 10]), 2.5);
    }
}

/// The case exercises (`caseNN-…`), in file order.
fn case_exercises() -> Vec<(String, Exercise)> {
    course_exercises()
        .into_iter()
        .filter_map(|(path, e)| {
            let name = path.file_stem()?.to_str()?.to_string();
            name.starts_with("case").then_some((name, e))
        })
        .collect()
}

#[test]
fn a_learner_who_skips_the_case_cannot_pass_the_case_exercises() {
    use kenshu_exercises::Classify;
    use std::collections::{BTreeMap, BTreeSet, HashMap};
    use test_wise::{best_length_threshold, median, NaiveBayes};

    let cases = case_exercises();
    let classify: Vec<(&str, &Classify)> = cases
        .iter()
        .filter_map(|(n, e)| match e {
            Exercise::Classify(c) => Some((n.as_str(), c)),
            _ => None,
        })
        .collect();
    assert!(
        classify.len() >= 10,
        "expected a classify exercise for each of the ten cases, found {}",
        classify.len()
    );

    let mut report = vec!["classify (never sees the held-out case):".to_string()];
    let (mut nb_right, mut pos_right, mut total) = (0, 0, 0);
    let mut lengths = Vec::new();
    for (i, (name, c)) in classify.iter().enumerate() {
        let others = || classify.iter().enumerate().filter(move |&(j, _)| j != i);
        let nb =
            NaiveBayes::train(others().flat_map(|(_, (_, o))| {
                o.items.iter().map(|t| (t.text.as_str(), t.answer.as_str()))
            }));
        let mut case_nb = 0;
        let mut case_pos = 0;
        for (k, item) in c.items.iter().enumerate() {
            if nb.predict(&item.text) == item.answer {
                case_nb += 1;
            }
            // The majority answer at this position in the other files
            // (ties: the first label in sorted order).
            let mut votes: BTreeMap<&str, usize> = BTreeMap::new();
            for (_, (_, o)) in others() {
                if let Some(it) = o.items.get(k) {
                    *votes.entry(it.answer.as_str()).or_insert(0) += 1;
                }
            }
            let top = votes.iter().max_by(|a, b| a.1.cmp(b.1).then(b.0.cmp(a.0)));
            if top.is_some_and(|(l, _)| *l == item.answer) {
                case_pos += 1;
            }
            lengths.push((item.text.chars().count(), item.answer.as_str()));
        }
        report.push(format!(
            "  {name}: {} items, naive Bayes {case_nb}/{n}, position {case_pos}/{n}",
            c.items.len(),
            n = c.items.len()
        ));
        nb_right += case_nb;
        pos_right += case_pos;
        total += c.items.len();
    }
    let pct = |a: usize, b: usize| a as f64 * 100.0 / b.max(1) as f64;
    let nb_pct = pct(nb_right, total);
    let pos_pct = pct(pos_right, total);
    let len_pct = best_length_threshold(&lengths) * 100.0;
    report.push(format!(
        "  naive Bayes (character bigrams, leave one case out): {nb_right}/{total} = {nb_pct:.1} % (limit 70 %)"
    ));
    report.push(format!(
        "  answer by position (majority of the other files): {pos_right}/{total} = {pos_pct:.1} % (limit 50 %)"
    ));
    report.push(format!(
        "  best single length threshold: {len_pct:.1} % (limit 50 %)"
    ));
    // A phrase that recurs across cases and always goes with one answer is a
    // cue a learner picks up without reading: substrings of 2–5 characters
    // in at least 6 items of at least 3 cases, ≥ 90 % one answer.
    let mut seen: HashMap<String, Vec<(usize, &str)>> = HashMap::new();
    for (i, (_, c)) in classify.iter().enumerate() {
        for item in &c.items {
            let chars: Vec<char> = item.text.chars().filter(|c| !c.is_whitespace()).collect();
            let mut subs = BTreeSet::new();
            for n in 2..=5 {
                for w in chars.windows(n) {
                    subs.insert(w.iter().collect::<String>());
                }
            }
            for sub in subs {
                seen.entry(sub).or_default().push((i, item.answer.as_str()));
            }
        }
    }
    let mut cues: Vec<String> = seen
        .iter()
        .filter_map(|(sub, hits)| {
            let cases: BTreeSet<usize> = hits.iter().map(|&(i, _)| i).collect();
            let mut by_label: BTreeMap<&str, usize> = BTreeMap::new();
            for &(_, l) in hits {
                *by_label.entry(l).or_insert(0) += 1;
            }
            let (label, top) = by_label.iter().max_by_key(|(_, n)| **n)?;
            (hits.len() >= 6 && cases.len() >= 3 && top * 10 >= hits.len() * 9)
                .then(|| format!("「{sub}」 → {label} {top}/{}", hits.len()))
        })
        .collect();
    cues.sort();
    report.push(format!(
        "  phrases in ≥ 6 items of ≥ 3 cases that are ≥ 90 % one answer: {} (limit 3){}",
        cues.len(),
        cues.iter()
            .map(|c| format!("\n    {c}"))
            .collect::<String>()
    ));

    report.push("tables:".to_string());
    let (mut top_answers, mut answers_total, mut tables) = (0, 0, 0);
    let mut bottom_answers = 0;
    let mut table_docs: Vec<Vec<(String, &str)>> = Vec::new();
    let (mut distractor_lengths, mut correct_lengths) = (Vec::new(), Vec::new());
    for (name, e) in &cases {
        let Exercise::Table(t) = e else { continue };
        let answers: BTreeSet<&str> = t
            .cells()
            .filter(|(_, c)| c.mode == CellMode::Chosen)
            .filter_map(|(_, c)| c.answer.as_deref())
            .collect();
        if answers.is_empty() {
            continue;
        }
        tables += 1;
        let mut by_length: Vec<(usize, &str)> = t
            .statements
            .iter()
            .map(|s| (s.text.chars().count(), s.id.as_str()))
            .collect();
        // Longest first; among equal lengths a distractor first, so a tie
        // never counts for the course.
        by_length.sort_by(|a, b| {
            b.0.cmp(&a.0)
                .then(answers.contains(a.1).cmp(&answers.contains(b.1)))
        });
        let n = answers.len();
        let top = by_length[..n.min(by_length.len())]
            .iter()
            .filter(|(_, id)| answers.contains(id))
            .count();
        // The reverse rule: the N shortest (ties: an answer first, so a tie
        // never counts for the course).
        let mut by_shortness = by_length.clone();
        by_shortness.sort_by(|a, b| {
            a.0.cmp(&b.0)
                .then(answers.contains(b.1).cmp(&answers.contains(a.1)))
        });
        bottom_answers += by_shortness[..n.min(by_shortness.len())]
            .iter()
            .filter(|(_, id)| answers.contains(id))
            .count();
        table_docs.push(
            t.statements
                .iter()
                .map(|s| {
                    let label = if answers.contains(s.id.as_str()) {
                        "answer"
                    } else {
                        "distractor"
                    };
                    (s.text.clone(), label)
                })
                .collect::<Vec<_>>(),
        );
        for s in &t.statements {
            let len = s.text.chars().count();
            if answers.contains(s.id.as_str()) {
                correct_lengths.push(len);
            } else {
                distractor_lengths.push(len);
            }
        }
        report.push(format!(
            "  {name}: the {n} longest of {} statements hold {top} of its {n} answers",
            t.statements.len()
        ));
        top_answers += top;
        answers_total += n;
    }
    assert!(
        tables >= 10,
        "expected a table for each of the ten cases, found {tables}"
    );
    let top_pct = pct(top_answers, answers_total);
    let ratio = median(distractor_lengths) / median(correct_lengths).max(1.0);
    report.push(format!(
        "  the N longest statements hold {top_answers}/{answers_total} = {top_pct:.1} % of the answers (limit 50 %)"
    ));
    report.push(format!(
        "  median distractor length / median correct length: {ratio:.2} (at least 0.80)"
    ));
    let bottom_pct = pct(bottom_answers, answers_total);
    report.push(format!(
        "  the N shortest statements hold {bottom_answers}/{answers_total} = {bottom_pct:.1} % of the answers (limit 60 %)"
    ));
    // Answer or distractor, from the wording of the other cases' tables.
    let (mut ad_right, mut ad_total) = (0, 0);
    for (i, docs) in table_docs.iter().enumerate() {
        let nb = NaiveBayes::train(
            table_docs
                .iter()
                .enumerate()
                .filter(|&(j, _)| j != i)
                .flat_map(|(_, d)| d.iter().map(|(t, l)| (t.as_str(), *l))),
        );
        for (text, label) in docs {
            ad_total += 1;
            if nb.predict(text) == *label {
                ad_right += 1;
            }
        }
    }
    let ad_pct = pct(ad_right, ad_total);
    report.push(format!(
        "  naive Bayes answer-or-distractor (leave one table out): {ad_right}/{ad_total} = {ad_pct:.1} % (limit 65 %)"
    ));
    let report = report.join("\n");
    println!("{report}");

    let mut failures = Vec::new();
    if nb_pct > 70.0 {
        failures.push("naive Bayes scores above 70 %: fixed phrasings give the answers away");
    }
    if pos_pct > 50.0 {
        failures.push("answering by position scores above 50 %: the items follow a template order");
    }
    if len_pct > 50.0 {
        failures.push("a length threshold scores above 50 %: one kind of item is shorter");
    }
    if top_pct > 50.0 {
        failures.push("the longest statements are the answers: write distractors as long as them");
    }
    if ratio < 0.8 {
        failures.push("distractors are shorter than the answers");
    }
    if cues.len() > 3 {
        failures.push("phrases recur across cases with one answer: vary the wording");
    }
    if bottom_pct > 60.0 {
        failures.push(
            "the shortest statements are the answers: write answers as long as the distractors",
        );
    }
    if ad_pct > 65.0 {
        failures
            .push("the wording tells answers from distractors: write distractors like the answers");
    }
    assert!(
        failures.is_empty(),
        "{}\n\n{report}\n\nRewrite the items so that only the case decides.",
        failures.join("\n")
    );
}
