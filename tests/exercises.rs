//! Interactive exercises in a real browser (Chromium): the course's case 1
//! classify and table exercises, answered by pointer and by keyboard only,
//! over http and from file://; results restored after reload; the 学習の記録
//! page lists them and downloads CSV/JSON. Expected answers come from the
//! exercise files themselves, through the same model the generator uses.

use std::path::{Path, PathBuf};
use std::time::Duration;

use kenshu_e2e::{
    build_site, ensure, file_url, Browser, BuiltSite, Error, Key, Result, StaticServer,
};
use kenshu_exercises::{CellMode, Classify, Exercise, Table};
use serde_json::{json, Value};

const WAIT: Duration = Duration::from_secs(20);
const CLASSIFY: &str = "case01-classify";
const TABLE: &str = "case01-table";
const PAGE: &str = "cases/dokkyo.html";

fn workspace() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

fn exercise(id: &str) -> Result<Exercise> {
    let path = workspace().join(format!("content/exercises/{id}.toml"));
    let text = std::fs::read_to_string(&path)
        .map_err(|e| Error::new(format!("{}: {e}", path.display())))?;
    kenshu_exercises::parse::parse(&text)
        .map_err(|e| Error::new(format!("{}: {e:?}", path.display())))
}

fn classify() -> Result<Classify> {
    match exercise(CLASSIFY)? {
        Exercise::Classify(c) => Ok(c),
        Exercise::Table(_) => Err(Error::new("case01-classify is not a classify exercise")),
    }
}

fn table() -> Result<Table> {
    match exercise(TABLE)? {
        Exercise::Table(t) => Ok(t),
        Exercise::Classify(_) => Err(Error::new("case01-table is not a table exercise")),
    }
}

fn build() -> Result<BuiltSite> {
    build_site(workspace())
}

/// Waits until the island of `id` has replaced the static fallback.
fn wait_mounted(b: &Browser, id: &str) -> Result<()> {
    b.wait_for(
        &format!("#exercise-{id}[data-mounted] .ex:not(.ex-static)"),
        WAIT,
    )?;
    ensure!(
        b.try_find(&format!("#exercise-{id} .ex-static"))?.is_none(),
        "the static fallback of {id} is still there after mounting"
    );
    Ok(())
}

/// The button of exercise `id` whose accessible name is `name`.
fn button<'b>(b: &'b Browser, id: &str, name: &str) -> Result<kenshu_e2e::Element<'b>> {
    for e in b.find_all(&format!("#exercise-{id} button"))? {
        if e.accessible_name()? == name {
            return Ok(e);
        }
    }
    Err(Error::new(format!("no button named {name} in {id}")))
}

fn has_button(b: &Browser, id: &str, name: &str) -> Result<bool> {
    for e in b.find_all(&format!("#exercise-{id} button"))? {
        if e.accessible_name()? == name {
            return Ok(true);
        }
    }
    Ok(false)
}

fn score(b: &Browser, id: &str) -> Result<String> {
    b.find(&format!("#exercise-{id} .ex-score"))?.text()
}

fn wait_score(b: &Browser, id: &str, want: &str) -> Result<()> {
    b.wait_until(&format!("score {want} in {id}"), WAIT, |b| {
        Ok(score(b, id)?.contains(want))
    })
}

/// Verdict texts (正解 / 不正解 / …) of the items or cells, in order;
/// empty strings where none is shown.
fn verdicts(b: &Browser, id: &str, unit: &str) -> Result<Vec<String>> {
    let mut out = Vec::new();
    for e in b.find_all(&format!("#exercise-{id} {unit}"))? {
        let v = e.find_all(".ex-verdict")?;
        out.push(match v.first() {
            Some(v) => v.text()?,
            None => String::new(),
        });
    }
    Ok(out)
}

/// Picks `category` (its name) in the radio group of item `index`.
fn pick(b: &Browser, index: usize, category: &str) -> Result<()> {
    let groups = b.find_all(&format!("#exercise-{CLASSIFY} [role=radiogroup]"))?;
    let group = groups
        .get(index)
        .ok_or_else(|| Error::new(format!("no radio group {index}")))?;
    for r in group.find_all("input[type=radio]")? {
        if r.accessible_name()? == category {
            return r.click();
        }
    }
    Err(Error::new(format!("no radio {category} in group {index}")))
}

/// Checked category names per item ("" when none).
fn checked(b: &Browser, c: &Classify) -> Result<Vec<String>> {
    let v = b.execute(
        "return [...arguments[0].querySelectorAll('[role=radiogroup]')].map(g => { \
           const r = g.querySelector('input:checked'); return r ? r.value : ''; });",
        vec![b.find(&format!("#exercise-{CLASSIFY}"))?.json()],
    )?;
    let ids: Vec<String> = serde_json::from_value(v).map_err(|e| Error::new(e.to_string()))?;
    Ok(ids
        .iter()
        .map(|id| c.category(id).map(|k| k.name.clone()).unwrap_or_default())
        .collect())
}

fn name_of(c: &Classify, id: &str) -> String {
    c.category(id).map(|k| k.name.clone()).unwrap_or_default()
}

/// The other category (for a wrong answer).
fn wrong_of(c: &Classify, id: &str) -> String {
    c.categories
        .iter()
        .find(|k| k.id != id)
        .map(|k| k.name.clone())
        .unwrap_or_default()
}

#[test]
fn static_fallback_and_pages_without_exercises() -> Result<()> {
    let site = build()?;
    let html = site.read(PAGE)?;
    let c = classify()?;
    ensure!(
        html.contains("data-exercise=\"case01-classify\""),
        "no host"
    );
    ensure!(
        html.contains("kenshu-exercises-loader.js"),
        "a page with exercises loads the loader"
    );
    for item in &c.items {
        ensure!(html.contains(&item.text), "fallback lacks item {}", item.id);
    }
    ensure!(
        html.contains("<details class=\"ex-answers\">"),
        "answers are not in a closed <details>"
    );
    ensure!(
        !html.contains("<details class=\"ex-answers\" open"),
        "answers open"
    );
    // Every cell of the table is in the fallback, with its model answer.
    let t = table()?;
    for (row, cell) in t.cells() {
        ensure!(
            html.contains(&row.name) && html.contains(&cell.point),
            "cell {}",
            cell.id
        );
        ensure!(
            html.contains(t.model_answer(cell)),
            "model answer of {}",
            cell.id
        );
    }
    // The lecturer's answer key, from the model's solutions; no WASM.
    let key = site.read("lecturer/key.html")?;
    ensure!(
        !key.contains("kenshu-exercises-loader"),
        "the key page loads the bundle"
    );
    for item in &c.items {
        let right = format!("正解：{}", name_of(&c, &item.answer));
        let at = key
            .find(&item.text)
            .ok_or_else(|| Error::new(format!("key lacks {}", item.id)))?;
        ensure!(key[at..].contains(&right), "key of {}", item.id);
    }
    for page in ["glossary.html", "index.html"] {
        let h = site.read(page)?;
        ensure!(
            !h.contains("kenshu-exercises"),
            "{page} has no exercises but loads the bundle"
        );
    }
    for f in [
        "assets/kenshu-exercises-loader.js",
        "assets/kenshu-exercises.js",
        "assets/kenshu-exercises_bg.wasm",
        "assets/kenshu-exercises-inline.js",
        "assets/kenshu-exercises.css",
    ] {
        ensure!(site.path(f).is_file(), "{f} not written");
    }
    Ok(())
}

/// The .wasm the site ships is within the budget: 100 KiB gzip (measured
/// with `gzip -9`, as bench/wasm-size.sh does).
#[test]
fn bundle_within_budget() -> Result<()> {
    let site = build()?;
    let wasm = site.path("assets/kenshu-exercises_bg.wasm");
    let out = std::process::Command::new("gzip")
        .args(["-9", "-c"])
        .arg(&wasm)
        .output()
        .map_err(|e| Error::new(format!("cannot run gzip: {e}")))?;
    ensure!(out.status.success(), "gzip failed");
    let raw = std::fs::metadata(&wasm)?.len();
    let gz = out.stdout.len();
    eprintln!("kenshu-exercises_bg.wasm: {raw} bytes raw, {gz} bytes gzip");
    ensure!(
        gz <= 100 * 1024,
        "{gz} bytes gzip is over the 100 KiB budget"
    );
    Ok(())
}

/// Every sample case has both exercises; every classify exercise asks for
/// the lecture's two kinds of 連携 (plus the course's third category, scenes
/// that are not 連携), and every answer names one of them; every table is the
/// course's 4 items × 3 points. (The answers themselves are the course's:
/// tests/course.rs checks that their wording does not give them away.)
#[test]
fn every_case_has_both_exercises() -> Result<()> {
    let site = build()?;
    for case in 1..=8 {
        let Exercise::Classify(c) = exercise(&format!("case{case:02}-classify"))? else {
            return Err(Error::new(format!(
                "case{case:02}-classify is not classify"
            )));
        };
        ensure!(
            (8..=12).contains(&c.items.len()),
            "case {case}: {} items",
            c.items.len()
        );
        let names: Vec<&str> = c.categories.iter().map(|k| k.name.as_str()).collect();
        ensure!(
            names.starts_with(&["直接的支援", "間接的支援"]),
            "case {case}: {names:?}"
        );
        for item in &c.items {
            ensure!(
                c.category(&item.answer).is_some(),
                "case {case}: {} answers {}",
                item.id,
                item.answer
            );
        }
        let Exercise::Table(t) = exercise(&format!("case{case:02}-table"))? else {
            return Err(Error::new(format!("case{case:02}-table is not a table")));
        };
        let rows: Vec<&str> = t.rows.iter().map(|r| r.name.as_str()).collect();
        ensure!(
            rows == [
                "会議体の機能",
                "ベクトル合わせ",
                "観察ポイント",
                "3つの共有"
            ],
            "case {case}: rows {rows:?}"
        );
        ensure!(
            t.rows.iter().all(|r| r.cells.len() == 3),
            "case {case}: 3 points per item"
        );
        // Both are embedded in the case's page.
        let page = std::fs::read_dir(site.path("cases"))?
            .filter_map(|e| e.ok())
            .map(|e| e.path())
            .find(|p| {
                std::fs::read_to_string(p)
                    .is_ok_and(|h| h.contains(&format!("data-exercise=\"case{case:02}-classify\"")))
            })
            .ok_or_else(|| Error::new(format!("no page embeds case{case:02}-classify")))?;
        let html = std::fs::read_to_string(&page)?;
        ensure!(
            html.contains(&format!("data-exercise=\"case{case:02}-table\"")),
            "{} lacks case{case:02}-table",
            page.display()
        );
    }
    Ok(())
}

/// Bad exercise files and references fail the build with file:line:column.
#[test]
fn build_errors_name_file_line_and_column() -> Result<()> {
    let dir = kenshu_e2e::TempDir::new("bad-exercises")?;
    let good = std::fs::read_to_string(workspace().join("content/exercises/case01-classify.toml"))?;
    dir.write("site.toml", "title = \"t\"\n")?;
    dir.write(
        "content/index.md",
        "# ホーム\n\n{{#exercise case01-classify}}\n\n{{#exercise case99-classify}}\n",
    )?;
    dir.write("content/exercises/good.toml", &good)?;
    // Unknown key (line 2 of the item after the header).
    let unknown = good
        .replace("id = \"case01-classify\"", "id = \"other\"")
        .replace("id = \"a02\"", "id = \"a02\"\ncolour = \"red\"");
    dir.write("content/exercises/unknown.toml", &unknown)?;
    // Duplicate exercise id (same id as good.toml).
    dir.write("content/exercises/dup.toml", &good)?;
    // An answer that names no category.
    let noans = good
        .replace("id = \"case01-classify\"", "id = \"third\"")
        .replacen("answer = \"indirect\"", "answer = \"elsewhere\"", 1);
    dir.write("content/exercises/noans.toml", &noans)?;
    let out = dir.join("public");
    let errors = match kenshu::build(dir.path(), &out) {
        Ok(_) => return Err(Error::new("the build should fail")),
        Err(e) => e,
    };
    let text: Vec<String> = errors.iter().map(|d| d.to_string()).collect();
    let line_of =
        |src: &str, needle: &str| src[..src.find(needle).unwrap_or(0)].matches('\n').count() + 1;
    let expect = [
        format!(
            "content/exercises/unknown.toml:{}:1: error: unknown field `colour`",
            line_of(&unknown, "colour")
        ),
        format!(
            "content/exercises/noans.toml:{}:10: error: answer `elsewhere` names no category",
            line_of(&noans, "\"elsewhere\"")
        ),
        format!(
            // Files load in name order: dup.toml first, so good.toml is the duplicate.
            "content/exercises/good.toml:{}:6: error: duplicate exercise id `case01-classify` (also defined in content/exercises/dup.toml)",
            line_of(&good, "\nid = ") + 1
        ),
        "content/index.md:5:1: error: exercise `case99-classify` is not defined".to_string(),
    ];
    for want in &expect {
        ensure!(
            text.iter().any(|t| t.starts_with(want.as_str())),
            "missing {want:?} in:\n{}",
            text.join("\n")
        );
    }
    ensure!(!out.exists(), "a failed build wrote output");
    Ok(())
}

#[test]
fn classify_check_retry_reveal_reload_progress() -> Result<()> {
    let site = build()?;
    let server = StaticServer::serve(&site.out, "/")?;
    let b = Browser::start()?;
    let c = classify()?;
    b.goto(&server.url_of(PAGE))?;
    wait_mounted(&b, CLASSIFY)?;

    // Accessible contract: one radio group per item, named by its text; one
    // radio per category, named by the category.
    let groups = b.find_all(&format!("#exercise-{CLASSIFY} [role=radiogroup]"))?;
    ensure!(
        groups.len() == c.items.len(),
        "{} radio groups",
        groups.len()
    );
    for (g, item) in groups.iter().zip(&c.items) {
        ensure!(g.role()? == "radiogroup", "role {}", g.role()?);
        ensure!(
            g.accessible_name()? == item.text,
            "group name {}",
            g.accessible_name()?
        );
        let radios = g.find_all("input[type=radio]")?;
        let names: Vec<String> = radios
            .iter()
            .map(|r| r.accessible_name())
            .collect::<Result<_>>()?;
        let want: Vec<String> = c.categories.iter().map(|k| k.name.clone()).collect();
        ensure!(names == want, "radio names {names:?}");
    }
    ensure!(
        !has_button(&b, CLASSIFY, "解答を表示")?,
        "解答を表示 is offered before a first attempt"
    );

    // Answer all: items 0 and 1 wrong, the rest right → 8 / 10.
    for (i, item) in c.items.iter().enumerate() {
        let name = if i < 2 {
            wrong_of(&c, &item.answer)
        } else {
            name_of(&c, &item.answer)
        };
        pick(&b, i, &name)?;
    }
    button(&b, CLASSIFY, "答え合わせ")?.click()?;
    wait_score(&b, CLASSIFY, "8 / 10")?;
    ensure!(
        score(&b, CLASSIFY)?.contains("見直す番号：1、2"),
        "status names the wrong items: {}",
        score(&b, CLASSIFY)?
    );
    let status = b.find(&format!("#exercise-{CLASSIFY} .ex-score"))?;
    ensure!(
        status.attr("role")?.as_deref() == Some("status"),
        "score not announced"
    );
    let v = verdicts(&b, CLASSIFY, ".ex-item")?;
    ensure!(v[0] == "不正解" && v[1] == "不正解", "{v:?}");
    ensure!(v[2..].iter().all(|s| s == "正解"), "{v:?}");
    // The explanations (and trap notes) are shown, labelled as the authors'.
    let text = b.find(&format!("#exercise-{CLASSIFY}"))?.text()?;
    for item in &c.items {
        ensure!(
            text.contains(&item.explanation),
            "explanation of {}",
            item.id
        );
        if !item.note.is_empty() {
            ensure!(text.contains(&item.note), "note of {}", item.id);
        }
    }
    ensure!(
        text.contains("解説（講座作成者）"),
        "explanations not labelled"
    );

    // 解答を表示: the right category per item.
    button(&b, CLASSIFY, "解答を表示")?.click()?;
    b.wait_until("solutions", WAIT, |b| {
        Ok(b.find_all(&format!("#exercise-{CLASSIFY} .ex-solution"))?
            .len()
            == c.items.len())
    })?;
    let sols = b.find_all(&format!("#exercise-{CLASSIFY} .ex-solution"))?;
    for (s, item) in sols.iter().zip(&c.items) {
        ensure!(
            s.text()? == format!("正解：{}", name_of(&c, &item.answer)),
            "{}",
            s.text()?
        );
    }

    // Reload: answers and results are restored.
    b.refresh()?;
    wait_mounted(&b, CLASSIFY)?;
    wait_score(&b, CLASSIFY, "8 / 10")?;
    let want: Vec<String> = c
        .items
        .iter()
        .enumerate()
        .map(|(i, it)| {
            if i < 2 {
                wrong_of(&c, &it.answer)
            } else {
                name_of(&c, &it.answer)
            }
        })
        .collect();
    ensure!(
        checked(&b, &c)? == want,
        "restored answers {:?}",
        checked(&b, &c)?
    );

    // やり直す (keep the correct answers): the wrong ones are cleared.
    button(&b, CLASSIFY, "やり直す")?.click()?;
    b.wait_until("results hidden", WAIT, |b| {
        Ok(score(b, CLASSIFY)?.is_empty())
    })?;
    let now = checked(&b, &c)?;
    ensure!(
        now[0].is_empty() && now[1].is_empty(),
        "wrong answers kept: {now:?}"
    );
    ensure!(now[2..] == want[2..], "correct answers lost: {now:?}");
    ensure!(
        verdicts(&b, CLASSIFY, ".ex-item")?
            .iter()
            .all(String::is_empty),
        "verdicts stay"
    );
    pick(&b, 0, &name_of(&c, &c.items[0].answer))?;
    pick(&b, 1, &name_of(&c, &c.items[1].answer))?;
    button(&b, CLASSIFY, "答え合わせ")?.click()?;
    wait_score(&b, CLASSIFY, "10 / 10")?;

    // The 学習の記録 page lists the result.
    b.goto(&server.url_of("progress.html"))?;
    b.wait_for(".exercise-progress[data-mounted] .ex-progress", WAIT)?;
    let row = b.find(&format!("tr[data-exercise-id='{CLASSIFY}']"))?;
    let cells: Vec<String> = row
        .find_all("td")?
        .iter()
        .map(|e| e.text())
        .collect::<Result<_>>()?;
    ensure!(
        cells == ["全問正解", "10 / 10", "2"],
        "progress row {cells:?}"
    );
    let table_row = b.find(&format!("tr[data-exercise-id='{TABLE}']"))?;
    ensure!(
        table_row.text()?.contains("未着手"),
        "{}",
        table_row.text()?
    );
    let rows = b.find_all(".ex-progress tbody tr")?.len();
    ensure!(rows >= 16, "every exercise of the site is listed ({rows})");

    // CSV and JSON downloads carry the rows.
    let csv = download(&b, "CSV をダウンロード")?;
    ensure!(csv.0 == "kenshu-record.csv", "file name {}", csv.0);
    let lines: Vec<&str> = csv.1.trim_start_matches('\u{feff}').lines().collect();
    ensure!(
        lines[0] == "id,title,page,state,best,total,attempts",
        "{}",
        lines[0]
    );
    ensure!(
        lines.len() == rows + 1,
        "{} CSV lines for {rows} rows",
        lines.len()
    );
    let line = lines
        .iter()
        .find(|l| l.starts_with("case01-classify,"))
        .ok_or_else(|| Error::new("no case01-classify line"))?;
    ensure!(
        line.ends_with(",cases/dokkyo.html,全問正解,10,10,2"),
        "CSV line {line}"
    );
    let json = download(&b, "JSON をダウンロード")?;
    ensure!(json.0 == "kenshu-record.json", "file name {}", json.0);
    let v: Value = serde_json::from_str(&json.1).map_err(|e| Error::new(e.to_string()))?;
    let entry = v
        .as_array()
        .and_then(|a| a.iter().find(|e| e["id"] == CLASSIFY))
        .cloned()
        .unwrap_or(Value::Null);
    ensure!(entry["best"] == 10 && entry["attempts"] == 2, "{entry}");

    // Clearing the record (with a confirmation step) removes this site's
    // records only.
    b.execute(
        "localStorage.setItem('kenshu:another-course-ex:0123', '{}'); localStorage.setItem('other-app', 'x');",
        vec![],
    )?;
    for e in b.find_all(".ex-progress button")? {
        if e.text()? == "記録を消去" {
            e.click()?;
            break;
        }
    }
    for e in b.find_all(".ex-progress button")? {
        if e.text()? == "消去する" {
            e.click()?;
            break;
        }
    }
    b.wait_until("record cleared", WAIT, |b| {
        Ok(b.find(&format!("tr[data-exercise-id='{CLASSIFY}']"))?
            .text()?
            .contains("未着手"))
    })?;
    let others = b.execute(
        "return [localStorage.getItem('kenshu:another-course-ex:0123'), localStorage.getItem('other-app'), \
         Object.keys(localStorage).filter(k => k.startsWith('kenshu:case')).length];",
        vec![],
    )?;
    ensure!(others == json!(["{}", "x", 0]), "clearing: {others}");
    b.goto(&server.url_of(PAGE))?;
    wait_mounted(&b, CLASSIFY)?;
    ensure!(
        checked(&b, &c)?.iter().all(String::is_empty),
        "answers survived clearing"
    );
    b.assert_no_errors()
}

/// Clicks the download button named `name` with downloads captured; returns
/// (file name, text).
fn download(b: &Browser, name: &str) -> Result<(String, String)> {
    b.execute(
        "window.__kenshuDl = [];\
         if (!window.__kenshuHooked) { window.__kenshuHooked = true;\
           const make = URL.createObjectURL;\
           URL.createObjectURL = function (blob) { const u = make.call(URL, blob); window.__kenshuBlobs = window.__kenshuBlobs || {}; window.__kenshuBlobs[u] = blob; return u; };\
           HTMLAnchorElement.prototype.click = function () { window.__kenshuDl.push({ name: this.download, href: this.href }); }; }",
        vec![],
    )?;
    let mut found = false;
    for e in b.find_all(".ex-progress button")? {
        if e.text()? == name {
            e.click()?;
            found = true;
            break;
        }
    }
    ensure!(found, "no button {name}");
    let v = b.execute_async(
        "const done = arguments[arguments.length - 1];\
         const d = window.__kenshuDl[0];\
         if (!d) { done(null); return; }\
         window.__kenshuBlobs[d.href].text().then(t => done({ name: d.name, text: t }));",
        vec![],
    )?;
    let name = v["name"].as_str().unwrap_or("").to_string();
    let text = v["text"].as_str().unwrap_or("").to_string();
    ensure!(!text.is_empty(), "nothing was downloaded by {name}");
    Ok((name, text))
}

/// Selects statement `sid` in the select named `label`.
fn choose(b: &Browser, label: &str, sid: &str) -> Result<()> {
    for s in b.find_all(&format!("#exercise-{TABLE} select"))? {
        if s.accessible_name()? == label {
            return s.find(&format!("option[value='{sid}']"))?.click();
        }
    }
    Err(Error::new(format!("no select named {label}")))
}

#[test]
fn table_check_selfcheck_retry_reveal_reload() -> Result<()> {
    let site = build()?;
    let server = StaticServer::serve(&site.out, "/")?;
    let b = Browser::start()?;
    let t = table()?;
    b.goto(&server.url_of(PAGE))?;
    wait_mounted(&b, TABLE)?;

    // Accessible contract: chosen cells are comboboxes, free cells textboxes,
    // named 「<item> <point>」.
    let selects = b.find_all(&format!("#exercise-{TABLE} select"))?;
    let areas = b.find_all(&format!("#exercise-{TABLE} textarea"))?;
    let chosen: Vec<_> = t
        .cells()
        .filter(|(_, c)| c.mode == CellMode::Chosen)
        .collect();
    let free: Vec<_> = t
        .cells()
        .filter(|(_, c)| c.mode == CellMode::Free)
        .collect();
    ensure!(
        selects.len() == chosen.len() && areas.len() == free.len(),
        "controls"
    );
    for (s, (row, cell)) in selects.iter().zip(&chosen) {
        ensure!(s.role()? == "combobox", "select role {}", s.role()?);
        ensure!(
            s.accessible_name()? == format!("{} {}", row.name, cell.point),
            "{}",
            s.accessible_name()?
        );
    }
    for (a, (row, cell)) in areas.iter().zip(&free) {
        ensure!(a.role()? == "textbox", "textarea role {}", a.role()?);
        ensure!(
            a.accessible_name()? == format!("{} {}", row.name, cell.point),
            "{}",
            a.accessible_name()?
        );
    }
    ensure!(
        areas.iter().any(|a| a
            .accessible_name()
            .is_ok_and(|n| n == "ベクトル合わせ ①顔合わせ")),
        "the 顔合わせ cell"
    );

    // Answer: every chosen cell right except the first (given another
    // statement); write in every free cell.
    for (k, (row, cell)) in chosen.iter().enumerate() {
        let right = cell.answer.clone().unwrap_or_default();
        let sid = if k == 0 {
            t.statements
                .iter()
                .find(|s| s.id != right)
                .map(|s| s.id.clone())
                .unwrap_or_default()
        } else {
            right
        };
        choose(&b, &format!("{} {}", row.name, cell.point), &sid)?;
    }
    for (k, a) in areas.iter().enumerate() {
        a.send_keys(&format!("自分の考え{k}"))?;
    }
    button(&b, TABLE, "答え合わせ")?.click()?;
    let graded = chosen.len();
    wait_score(&b, TABLE, &format!("{} / {graded}", graded - 1))?;
    let v = verdicts(&b, TABLE, "tbody tr")?;
    let want: Vec<&str> = t
        .cells()
        .map(|(_, c)| match c.mode {
            CellMode::Free => "自己確認",
            CellMode::Chosen if c.id == chosen[0].1.id => "不正解",
            CellMode::Chosen => "正解",
        })
        .collect();
    ensure!(v == want, "verdicts {v:?}");
    // Free cells: the model answer beside the learner's text.
    let models = b.find_all(&format!("#exercise-{TABLE} .ex-model"))?;
    ensure!(models.len() == free.len(), "{} model answers", models.len());
    for (m, (_, cell)) in models.iter().zip(&free) {
        ensure!(
            m.text()?.contains(t.model_answer(cell)),
            "model of {}",
            cell.id
        );
    }

    button(&b, TABLE, "解答を表示")?.click()?;
    b.wait_until("table solutions", WAIT, |b| {
        Ok(b.find_all(&format!("#exercise-{TABLE} .ex-solution"))?
            .len()
            == chosen.len())
    })?;
    let first = b.find(&format!("#exercise-{TABLE} .ex-solution"))?.text()?;
    ensure!(
        first.contains(t.model_answer(chosen[0].1)),
        "solution {first}"
    );

    // Reload: selections, texts and results restored.
    b.refresh()?;
    wait_mounted(&b, TABLE)?;
    wait_score(&b, TABLE, &format!("{} / {graded}", graded - 1))?;
    let areas = b.find_all(&format!("#exercise-{TABLE} textarea"))?;
    for (k, a) in areas.iter().enumerate() {
        ensure!(
            a.property("value")? == json!(format!("自分の考え{k}")),
            "text {k} lost"
        );
    }
    let selects = b.find_all(&format!("#exercise-{TABLE} select"))?;
    ensure!(
        selects[1].property("value")? == json!(chosen[1].1.answer.clone().unwrap_or_default()),
        "selection lost"
    );

    // やり直す, starting over: everything cleared.
    let keep = b.find(&format!("#exercise-{TABLE} .ex-keep input"))?;
    keep.click()?;
    button(&b, TABLE, "やり直す")?.click()?;
    b.wait_until("table cleared", WAIT, |b| {
        let s = b.find_all(&format!("#exercise-{TABLE} select"))?;
        let mut all_empty = score(b, TABLE)?.is_empty();
        for e in &s {
            all_empty &= e.property("value")? == json!("");
        }
        Ok(all_empty)
    })?;
    let areas = b.find_all(&format!("#exercise-{TABLE} textarea"))?;
    ensure!(
        areas[0].property("value")? == json!(""),
        "text kept after starting over"
    );

    // 学習の記録 keeps the best score of the table; the CSV has its row.
    b.goto(&server.url_of("progress.html"))?;
    b.wait_for(".exercise-progress[data-mounted] .ex-progress", WAIT)?;
    let row = b.find(&format!("tr[data-exercise-id='{TABLE}']"))?;
    let cells: Vec<String> = row
        .find_all("td")?
        .iter()
        .map(|e| e.text())
        .collect::<Result<_>>()?;
    let best = format!("{} / {graded}", graded - 1);
    ensure!(
        cells == ["挑戦済み", best.as_str(), "1"],
        "progress row {cells:?}"
    );
    let csv = download(&b, "CSV をダウンロード")?;
    let want = format!(",cases/dokkyo.html,挑戦済み,{},{graded},1", graded - 1);
    ensure!(
        csv.1
            .lines()
            .any(|l| l.starts_with("case01-table,") && l.ends_with(&want)),
        "CSV lacks the table row:\n{}",
        csv.1
    );
    b.assert_no_errors()
}

/// Presses Tab until the focus is inside `#exercise-{id}`.
fn tab_into(b: &Browser, id: &str) -> Result<()> {
    for _ in 0..400 {
        b.press(Key::Tab)?;
        let inside = b.execute(
            "return !!(document.activeElement && document.activeElement.closest(arguments[0]));",
            vec![json!(format!("#exercise-{id}"))],
        )?;
        if inside == json!(true) {
            return Ok(());
        }
    }
    Err(Error::new(format!("Tab never reached {id}")))
}

fn focused_name(b: &Browser) -> Result<String> {
    b.active_element()?.accessible_name()
}

#[test]
fn keyboard_only() -> Result<()> {
    let site = build()?;
    let server = StaticServer::serve(&site.out, "/")?;
    let b = Browser::start()?;
    let c = classify()?;
    let t = table()?;
    b.goto(&server.url_of(PAGE))?;
    wait_mounted(&b, CLASSIFY)?;
    wait_mounted(&b, TABLE)?;

    // Classify: Tab to each group; Space picks the first category, each
    // arrow key moves to (and picks) the next one.
    tab_into(&b, CLASSIFY)?;
    for (i, item) in c.items.iter().enumerate() {
        if i > 0 {
            b.press(Key::Tab)?;
        }
        let at = c
            .categories
            .iter()
            .position(|k| k.id == item.answer)
            .unwrap_or(0);
        if at == 0 {
            b.press(Key::Space)?;
        }
        for _ in 0..at {
            b.press(Key::ArrowRight)?;
        }
    }
    ensure!(
        checked(&b, &c)?
            == c.items
                .iter()
                .map(|i| name_of(&c, &i.answer))
                .collect::<Vec<_>>(),
        "keyboard answers {:?}",
        checked(&b, &c)?
    );
    b.press(Key::Tab)?;
    ensure!(
        focused_name(&b)? == "答え合わせ",
        "focus on {}",
        focused_name(&b)?
    );
    b.press(Key::Enter)?;
    wait_score(&b, CLASSIFY, &format!("{0} / {0}", c.items.len()))?;
    b.press(Key::Tab)?;
    ensure!(
        focused_name(&b)? == "やり直す",
        "focus on {}",
        focused_name(&b)?
    );
    b.press(Key::Enter)?;
    b.wait_until("retry by keyboard", WAIT, |b| {
        Ok(score(b, CLASSIFY)?.is_empty())
    })?;

    // Table: arrow keys on each select, typing in each textarea.
    tab_into(&b, TABLE)?;
    for (_, cell) in t.cells() {
        match cell.mode {
            CellMode::Chosen => {
                let target = cell.answer.as_deref().unwrap_or("");
                let idx = t
                    .statements
                    .iter()
                    .position(|s| s.id == target)
                    .unwrap_or(0);
                for _ in 0..=idx {
                    b.press(Key::ArrowDown)?;
                }
            }
            CellMode::Free => b.keys("テスト")?,
        }
        b.press(Key::Tab)?;
    }
    ensure!(
        focused_name(&b)? == "答え合わせ",
        "focus on {}",
        focused_name(&b)?
    );
    b.press(Key::Enter)?;
    let graded = t
        .cells()
        .filter(|(_, c)| c.mode == CellMode::Chosen)
        .count();
    wait_score(&b, TABLE, &format!("{graded} / {graded}"))?;
    b.assert_no_errors()
}

#[test]
fn pointer_board_tap_or_drag() -> Result<()> {
    let site = build()?;
    let server = StaticServer::serve(&site.out, "/")?;
    let b = Browser::start()?;
    let c = classify()?;
    b.goto(&server.url_of(PAGE))?;
    wait_mounted(&b, CLASSIFY)?;
    let columns = b.find_all(&format!("#exercise-{CLASSIFY} .ex-column"))?;
    ensure!(
        columns.len() == c.categories.len(),
        "{} columns",
        columns.len()
    );
    // Tap chip 3, then the second column: item 3 goes there (single pointer,
    // no dragging), and its radio group follows.
    let chips = b.find_all(&format!("#exercise-{CLASSIFY} .ex-pool .ex-chip"))?;
    ensure!(chips.len() == c.items.len(), "{} chips", chips.len());
    chips[2].click()?;
    b.wait_for(&format!("#exercise-{CLASSIFY} .ex-chip.is-picked"), WAIT)?;
    b.find_all(&format!("#exercise-{CLASSIFY} .ex-column"))?[1].click()?;
    let second = c.categories[1].name.clone();
    b.wait_until("item 3 placed", WAIT, |b| Ok(checked(b, &c)?[2] == second))?;
    let placed =
        b.find_all(&format!("#exercise-{CLASSIFY} .ex-column"))?[1].find_all(".ex-chip")?;
    ensure!(
        placed.len() == 1 && placed[0].text()? == "3",
        "column content"
    );
    ensure!(
        b.find_all(&format!("#exercise-{CLASSIFY} .ex-pool .ex-chip"))?
            .len()
            == c.items.len() - 1,
        "chip 3 still in the pool"
    );
    // Dragging chip 4 onto the first column (HTML drag and drop events).
    b.execute(
        "const host = document.querySelector(arguments[0]);\
         const chip = [...host.querySelectorAll('.ex-pool .ex-chip')].find(c => c.textContent === '4');\
         const col = host.querySelectorAll('.ex-column')[0];\
         const dt = new DataTransfer();\
         chip.dispatchEvent(new DragEvent('dragstart', { bubbles: true, dataTransfer: dt }));\
         col.dispatchEvent(new DragEvent('dragover', { bubbles: true, cancelable: true, dataTransfer: dt }));\
         col.dispatchEvent(new DragEvent('drop', { bubbles: true, cancelable: true, dataTransfer: dt }));",
        vec![json!(format!("#exercise-{CLASSIFY}"))],
    )?;
    let first = c.categories[0].name.clone();
    b.wait_until("item 4 dropped", WAIT, |b| Ok(checked(b, &c)?[3] == first))?;
    // A radio answer shows up on the board too.
    pick(&b, 0, &c.categories[0].name)?;
    b.wait_until("item 1 on the board", WAIT, |b| {
        let first =
            b.find_all(&format!("#exercise-{CLASSIFY} .ex-column"))?[0].find_all(".ex-chip")?;
        let texts: Vec<String> = first.iter().map(|e| e.text()).collect::<Result<_>>()?;
        Ok(texts == ["1", "4"])
    })?;
    b.assert_no_errors()
}

#[test]
fn works_from_file_url() -> Result<()> {
    let site = build()?;
    let b = Browser::start()?;
    let c = classify()?;
    b.goto(&file_url(site.path(PAGE))?)?;
    wait_mounted(&b, CLASSIFY)?;
    wait_mounted(&b, TABLE)?;
    pick(&b, 0, &name_of(&c, &c.items[0].answer))?;
    pick(&b, 1, &wrong_of(&c, &c.items[1].answer))?;
    button(&b, CLASSIFY, "答え合わせ")?.click()?;
    wait_score(&b, CLASSIFY, &format!("1 / {}", c.items.len()))?;
    b.refresh()?;
    wait_mounted(&b, CLASSIFY)?;
    wait_score(&b, CLASSIFY, &format!("1 / {}", c.items.len()))?;
    b.goto(&file_url(site.path("progress.html"))?)?;
    b.wait_for(".exercise-progress[data-mounted] .ex-progress", WAIT)?;
    let row = b
        .find(&format!("tr[data-exercise-id='{CLASSIFY}']"))?
        .text()?;
    ensure!(
        row.contains("挑戦済み") && row.contains("1 / 10"),
        "progress row {row}"
    );
    b.assert_no_errors()
}

#[test]
fn blocked_or_corrupt_storage() -> Result<()> {
    let site = build()?;
    let server = StaticServer::serve(&site.out, "/")?;
    let b = Browser::start()?;
    let c = classify()?;
    // Corrupt stored data is ignored.
    b.goto(&server.url_of(PAGE))?;
    wait_mounted(&b, CLASSIFY)?;
    let hash = b
        .find(&format!("#exercise-{CLASSIFY}"))?
        .attr("data-hash")?
        .unwrap_or_default();
    // A record of another version of the table (other hash) is not loaded.
    b.execute(
        "localStorage.setItem(arguments[0], '{\"answers\": [1, 2');\
         localStorage.setItem(arguments[1], JSON.stringify({answers: {'kaigi-1': 's03'}, checked: true, attempts: 1, last: 1, best: 1, total: 9}));",
        vec![json!(format!("kenshu:{CLASSIFY}:{hash}")), json!(format!("kenshu:{TABLE}:0000000000000000"))],
    )?;
    b.refresh()?;
    wait_mounted(&b, CLASSIFY)?;
    wait_mounted(&b, TABLE)?;
    ensure!(
        checked(&b, &c)?.iter().all(String::is_empty),
        "corrupt data loaded"
    );
    ensure!(score(&b, TABLE)?.is_empty(), "a stale record was loaded");
    let first = b.find(&format!("#exercise-{TABLE} select"))?;
    ensure!(first.property("value")? == json!(""), "stale answer loaded");
    // Storage that throws (as in a sandboxed iframe): the exercise still works.
    b.execute(
        "Object.defineProperty(window, 'localStorage', { get() { throw new DOMException('blocked', 'SecurityError'); } });",
        vec![],
    )?;
    for (i, item) in c.items.iter().enumerate() {
        pick(&b, i, &name_of(&c, &item.answer))?;
    }
    button(&b, CLASSIFY, "答え合わせ")?.click()?;
    wait_score(&b, CLASSIFY, &format!("{0} / {0}", c.items.len()))?;
    b.assert_no_errors()
}
