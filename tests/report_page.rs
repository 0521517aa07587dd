//! The lecturers' 集計 page in a real browser, from file://: ten generated
//! 学習の記録 files (some wrong, some 自信あり, one for an older version of
//! an exercise, an older duplicate, one of another site, one malformed, one
//! with `<img onerror>` as its name) picked in the file input give the
//! exact figures that `kenshu report` gives (generator/tests/report.rs).

use std::time::Duration;

use kenshu_e2e::{build_site, ensure, file_url, pdf_pages, Browser, Result, TempDir};

#[path = "../generator/tests/common/report_records.rs"]
mod report_records;

use report_records::{write_records as records, SITE};

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
