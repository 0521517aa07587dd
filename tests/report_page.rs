//! The lecturers' 集計 page in a real browser, from file://: ten generated
//! 学習の記録 files (some wrong, some 自信あり, one for an older version of
//! an exercise, an older duplicate, one of another site, one malformed, one
//! with `<img onerror>` as its name) picked in the file input give the
//! exact figures that `kenshu report` gives (generator/tests/report.rs).

use std::path::{Path, PathBuf};
use std::time::Duration;

use kenshu_e2e::{build_site, ensure, file_url, Browser, Result, TempDir};
use kenshu_exercises::{progress_csv, progress_json, Kind, Learner, ProgressRow};

const SITE: &[(&str, &str)] = &[
    ("site.toml", "title = \"連携研修\"\n"),
    ("content/index.md", "# ホーム\n\n{{#exercise c1}}\n\n{{#exercise pre}}\n"),
    (
        "content/lecturer/shukei.md",
        "+++\ntitle = \"集計\"\nhidden = true\n+++\n\n# 集計\n\n{{#exercise-report}}\n",
    ),
    (
        "content/exercises/c1.toml",
        "id = \"c1\"\nkind = \"classify\"\ntitle = \"分類\"\n\
         categories = [{ id = \"a\", name = \"直接的支援\" }, { id = \"b\", name = \"間接的支援\" }, { id = \"c\", name = \"単独の支援\" }]\n\
         [[items]]\nid = \"i1\"\ntext = \"会議で話す\"\nanswer = \"a\"\nexplanation = \"会議体です\"\n\
         [[items]]\nid = \"i2\"\ntext = \"同行訪問\"\nanswer = \"b\"\nexplanation = \"具体的支援です\"\n",
    ),
    (
        "content/exercises/pre.toml",
        "id = \"pre\"\nkind = \"choice\"\ntitle = \"事前確認\"\ncheck = \"pre\"\n\
         [[questions]]\nid = \"q1\"\nmultiple = true\ntext = \"欠けていたもの\"\nexplanation = \"xとy\"\n\
         [[questions.options]]\nid = \"x\"\ntext = \"エックス\"\ncorrect = true\nfeedback = \"f\"\n\
         [[questions.options]]\nid = \"y\"\ntext = \"ワイ\"\ncorrect = true\nfeedback = \"f\"\n\
         [[questions.options]]\nid = \"z\"\ntext = \"ゼット\"\nfeedback = \"f\"\n",
    ),
];

/// (exercise, version override, [(item, value, confidence)]).
type Given<'a> = (&'a str, Option<&'a str>, &'a [(&'a str, &'a str, &'a str)]);

fn row(id: &str, version: &str, answers: &[(&str, &str, &str)]) -> ProgressRow {
    ProgressRow {
        id: id.into(),
        title: String::new(),
        page: String::new(),
        kind: Kind::Classify,
        state: String::new(),
        best: None,
        total: 0,
        attempts: 1,
        answers: vec![],
        version: version.into(),
        values: answers
            .iter()
            .map(|(i, v, _)| (i.to_string(), v.to_string()))
            .collect(),
        confidence: answers
            .iter()
            .filter(|(_, _, c)| !c.is_empty())
            .map(|(i, _, c)| (i.to_string(), c.to_string()))
            .collect(),
    }
}

/// Writes the ten records into `dir`; returns their paths.
fn records(site_dir: &Path, dir: &Path) -> Vec<PathBuf> {
    let site = kenshu::load::load(site_dir).expect("site loads");
    let data = kenshu::report::SiteData::of(&site);
    let version = |id: &str| {
        data.exercises
            .iter()
            .find(|e| e.id == id)
            .map(|e| e.version.clone())
            .unwrap_or_default()
    };
    let mut paths = Vec::new();
    let mut write = |file: &str, name: &str, date: &str, site_id: &str, exs: &[Given]| {
        let rows: Vec<ProgressRow> = exs
            .iter()
            .map(|(id, v, a)| row(id, &v.map_or_else(|| version(id), str::to_string), a))
            .collect();
        let who = Learner {
            name: name.into(),
            date: date.into(),
            site: "連携研修".into(),
            site_id: site_id.into(),
        };
        let text = if file.ends_with(".csv") {
            progress_csv(&rows, &who)
        } else {
            progress_json(&rows, &who)
        };
        let p = dir.join(file);
        std::fs::write(&p, text).expect("write record");
        paths.push(p);
    };
    let id = data.id.clone();
    write(
        "r01.json",
        "山田",
        "2026-12-07",
        &id,
        &[
            ("c1", None, &[("i1", "a", "sure"), ("i2", "b", "")]),
            ("pre", None, &[("q1", "x,y", "")]),
        ],
    );
    write(
        "r02.json",
        "佐藤",
        "2026-12-07",
        &id,
        &[
            ("c1", None, &[("i1", "b", "sure"), ("i2", "b", "")]),
            ("pre", None, &[("q1", "x", "")]),
        ],
    );
    write(
        "r03.csv",
        "鈴木",
        "2026-12-07",
        &id,
        &[
            ("c1", None, &[("i1", "b", "sure"), ("i2", "a", "unsure")]),
            ("pre", None, &[("q1", "x,z", "sure")]),
        ],
    );
    write(
        "r04.json",
        "田中",
        "2026-12-07",
        &id,
        &[("c1", None, &[("i1", "c", ""), ("i2", "b", "")])],
    );
    write(
        "r05.csv",
        "高橋",
        "2026-12-07",
        &id,
        &[
            ("c1", None, &[("i1", "a", ""), ("i2", "b", "")]),
            ("pre", None, &[("q1", "y,x", "")]),
        ],
    );
    write(
        "r06.json",
        "伊藤",
        "2026-12-07",
        &id,
        &[("c1", Some("deadbeef00"), &[("i1", "b", "")])],
    );
    write(
        "r07.json",
        "<img src=x onerror=alert(1)>",
        "2026-12-07",
        &id,
        &[("c1", None, &[("i1", "b", "sure"), ("i2", "b", "")])],
    );
    write(
        "r08.json",
        "山田",
        "2026-12-01",
        &id,
        &[("c1", None, &[("i1", "c", "")])],
    );
    write(
        "r10.json",
        "他",
        "2026-12-07",
        "00000000",
        &[("c1", None, &[("i1", "a", "")])],
    );
    let bad = dir.join("r09.json");
    std::fs::write(&bad, "{\"name\":\"x\",\n\"exercises\":[{\"id\":").expect("write");
    paths.push(bad);
    paths
}

#[test]
fn the_shukei_page_counts_dropped_records_from_file_url() -> Result<()> {
    let src = TempDir::new("report-site")?;
    for (path, text) in SITE {
        let p = src.join(path);
        std::fs::create_dir_all(p.parent().expect("parent"))?;
        std::fs::write(p, text)?;
    }
    let site = build_site(src.join(""))?;
    let recs = TempDir::new("records")?;
    let files = records(&src.join(""), &recs.join(""));
    let b = Browser::start()?;
    b.goto(&file_url(site.path("lecturer/shukei.html"))?)?;
    let input = b.wait_for("#kr-files", Duration::from_secs(10))?;
    let list: Vec<String> = files.iter().map(|p| p.display().to_string()).collect();
    input.send_keys(&list.join("\n"))?;
    b.wait_for("[data-kenshu-report][data-loaded]", Duration::from_secs(10))?;
    let count = |what: &str| -> Result<String> { b.find(&format!("[data-count={what}]"))?.text() };
    ensure!(
        count("included")? == "7",
        "included: {}",
        count("included")?
    );
    ensure!(
        count("left-out")? == "3",
        "left out: {}",
        count("left-out")?
    );
    ensure!(
        count("rejected")? == "1",
        "rejected: {}",
        count("rejected")?
    );
    ensure!(
        count("complete")? == "4",
        "complete: {}",
        count("complete")?
    );
    let cells = |item: &str| -> Result<Vec<String>> {
        b.find(&format!(".kr-out tr[data-item={item}]"))?
            .find_all("td")?
            .iter()
            .map(|td| td.text())
            .collect()
    };
    ensure!(
        cells("i1")?
            == [
                "会議で話す",
                "6",
                "33%",
                "3",
                "間接的支援（3）、単独の支援（1）"
            ],
        "{:?}",
        cells("i1")?
    );
    ensure!(
        cells("i2")? == ["同行訪問", "6", "83%", "0", "直接的支援（1）"],
        "{:?}",
        cells("i2")?
    );
    ensure!(
        cells("q1")?
            == [
                "欠けていたもの",
                "4",
                "50%",
                "1",
                "エックス（1）、エックス／ゼット（1）"
            ],
        "{:?}",
        cells("q1")?
    );
    let left = b.find(".kr-left-out")?.text()?;
    for want in [
        "r06.json：c1: 別の版の演習",
        "r08.json：山田 の古い記録",
        "r10.json：別のサイトの記録",
        "r09.json:2: not valid JSON",
    ] {
        ensure!(left.contains(want), "{want} not in {left}");
    }
    // The hostile name is text, not an element.
    let names = b.find(".kr-trainees")?.text()?;
    ensure!(names.contains("<img src=x onerror=alert(1)>"), "{names}");
    ensure!(
        b.find_all(".kr-out img")?.is_empty(),
        "an <img> was created"
    );
    // The first item to debrief links to its exercise.
    let first = b.find(".kr-debrief li")?;
    ensure!(first.text()?.contains("会議で話す"), "{}", first.text()?);
    let href = first.find("a")?.attr("href")?.unwrap_or_default();
    ensure!(href == "../index.html#exercise-c1", "{href}");
    // The summary prints on A4, at most two pages (the picker is hidden).
    let pdf = b.print_pdf_a4()?;
    let pages = pdf_pages(&pdf);
    ensure!((1..=2).contains(&pages), "{pages} A4 pages");
    b.assert_no_errors()
}

/// Counts the page objects of a PDF (`/Type /Page`, not `/Type /Pages`).
fn pdf_pages(pdf: &[u8]) -> usize {
    let text = String::from_utf8_lossy(pdf);
    let mut n = 0;
    for pat in ["/Type /Page", "/Type/Page"] {
        let mut from = 0;
        while let Some(i) = text[from..].find(pat) {
            let at = from + i + pat.len();
            if !text[at..].starts_with('s') {
                n += 1;
            }
            from = at;
        }
    }
    n
}

/// 修了: with every required exercise done and the pass mark reached,
/// 学習の記録 says so and prints a one-page 修了証 with the name.
#[test]
fn completing_the_course_prints_a_one_page_certificate() -> Result<()> {
    let src = TempDir::new("cert-site")?;
    let mut files: Vec<(&str, &str)> = SITE.to_vec();
    files[0] = (
        "site.toml",
        "title = \"連携研修\"\n[package]\nrequired = [\"c1\"]\npassing_score = 50\n",
    );
    files.push((
        "content/progress.md",
        "# 学習の記録\n\n{{#exercise-progress}}\n",
    ));
    for (path, text) in &files {
        let p = src.join(path);
        std::fs::create_dir_all(p.parent().expect("parent"))?;
        std::fs::write(p, text)?;
    }
    let site = build_site(src.join(""))?;
    let site_load = kenshu::load::load(&src.join("")).expect("loads");
    let hash = &site_load.exercises.get("c1").expect("c1").hash;
    let b = Browser::start()?;
    b.goto(&file_url(site.path("progress.html"))?)?;
    b.wait_islands(Duration::from_secs(10))?;
    ensure!(
        b.try_find(".ex-certificate")?.is_none(),
        "a certificate before any work"
    );
    let text = b.find(".ex-completion")?.text()?;
    ensure!(text.contains("修了に必要な演習 1 件のうち 0 件"), "{text}");
    // c1 done with 1 of its 2 items right: 1 of 3 graded items (c1 and
    // pre are placed) is below 50 %; 2 of 3 is above.
    let set = |best: u32| -> Result<()> {
        let rec = format!(
            "{{\"answers\":{{\"i1\":\"a\"}},\"checked\":true,\"attempts\":1,\"best\":{best},\"last\":{best},\"first\":{best},\"total\":2}}"
        );
        b.execute(
            "localStorage.setItem(arguments[0], arguments[1]); localStorage.setItem('kenshu:learner-name', '<b>山田</b>'); location.reload();",
            vec![format!("kenshu:c1:{hash}").into(), rec.into()],
        )?;
        b.wait_islands(Duration::from_secs(10))
    };
    set(1)?;
    let text = b.find(".ex-completion")?.text()?;
    ensure!(
        text.contains("1 件のうち 1 件") && text.contains("得点 1 / 3"),
        "{text}"
    );
    ensure!(
        b.try_find(".ex-certificate")?.is_none(),
        "certificate below the pass mark"
    );
    set(2)?;
    let cert = b.wait_for(".ex-certificate", Duration::from_secs(10))?;
    let text = cert.text()?;
    ensure!(
        text.contains("<b>山田</b> 様") && text.contains("連携研修") && text.contains("得点 2 / 3"),
        "{text}"
    );
    let pdf = b.print_pdf_a4()?;
    ensure!(pdf_pages(&pdf) == 1, "{} pages", pdf_pages(&pdf));
    b.assert_no_errors()
}
