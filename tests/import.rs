//! `kenshu import pptx` seen in a real browser: decks made by
//! tests/fixtures/pptx/make_decks.py (python-pptx, pinned in .ci/run) are
//! imported and built; the reading page and the deck show the source's
//! titles, lists, table, pictures and notes.
//!
//! Without python-pptx the test is skipped with a message, except on CI.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Duration;

use kenshu_e2e::{build_site, ensure, file_url, Browser, Error, Result, TempDir};
use serde_json::json;

const WAIT: Duration = Duration::from_secs(15);

/// The fixture decks in `dir`; false (with a message) when python-pptx is
/// missing outside CI.
fn make_decks(dir: &Path) -> Result<bool> {
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/pptx/make_decks.py");
    let python = std::env::var("KENSHU_PYTHON").unwrap_or_else(|_| "python3".into());
    let on_ci = std::env::var_os("CI").is_some_and(|v| !v.is_empty());
    match Command::new(&python).arg(&script).arg(dir).output() {
        Ok(o) if o.status.success() => Ok(true),
        Ok(o) if o.status.code() == Some(3) && !on_ci => {
            eprintln!(
                "SKIPPED (python-pptx missing): {}",
                String::from_utf8_lossy(&o.stdout)
            );
            Ok(false)
        }
        Ok(o) => Err(Error::new(format!(
            "{} failed: {}{}",
            script.display(),
            String::from_utf8_lossy(&o.stdout),
            String::from_utf8_lossy(&o.stderr)
        ))),
        Err(e) if !on_ci => {
            eprintln!("SKIPPED: cannot run {python} ({e})");
            Ok(false)
        }
        Err(e) => Err(Error::new(format!("cannot run {python}: {e}"))),
    }
}

fn import(deck: PathBuf, site: &Path, name: &str) -> Result<()> {
    kenshu::import::pptx(&kenshu::import::Options {
        deck,
        site: site.to_path_buf(),
        name: Some(name.into()),
        force: false,
        limits: kenshu::import::Limits::default(),
        convert_metafiles: false,
    })
    .map(|_| ())
    .map_err(|e| Error::new(format!("import failed: {e:?}")))
}

/// Texts of the displayed elements matching `css`.
fn shown(b: &Browser, css: &str) -> Result<Vec<String>> {
    let mut out = Vec::new();
    for e in b.find_all(css)? {
        if e.is_displayed()? {
            out.push(e.text()?);
        }
    }
    Ok(out)
}

#[test]
fn an_imported_deck_reads_and_presents_in_the_browser() -> Result<()> {
    let decks = TempDir::new("decks")?;
    if !make_decks(decks.path())? {
        return Ok(());
    }
    let site = TempDir::new("import-site")?;
    site.write("site.toml", "title = \"研修\"\n")?;
    site.write("content/index.md", "# ホーム\n")?;
    import(decks.join("jissen.pptx"), site.path(), "lectures/02-jissen")?;
    import(decks.join("basic.pptx"), site.path(), "basic")?;
    let built = build_site(site.path())?;
    let b = Browser::start()?;

    // The reading page of lecture 2: the slides' titles as headings, the
    // points table with the lists in its cells, the notes collapsed.
    b.goto(&file_url(built.path("lectures/jissen.html"))?)?;
    b.wait_for("h1", WAIT)?;
    let h2 = shown(&b, "main h2")?;
    ensure!(
        h2.first().map(String::as_str) == Some("【目的】")
            && h2.iter().any(|h| h == "連携する際のポイント整理")
            && h2.len() == 10,
        "headings on the reading page: {h2:?}"
    );
    let rows = shown(&b, "main table tbody tr")?;
    ensure!(rows.len() == 4, "table rows: {rows:?}");
    ensure!(
        rows[0].contains("③資源把握と開発に向けた検討")
            && rows[0].contains("(共有を前提とする項目)")
            && rows[2].contains("根拠"),
        "table rows: {rows:?}"
    );
    let items = b.execute(
        "return [...document.querySelectorAll('main table tbody tr:first-child td:nth-child(3) li')]
           .filter(li => getComputedStyle(li).display === 'list-item').length;",
        vec![],
    )?;
    ensure!(items == json!(3), "list items in a cell: {items}");
    let notes = b.execute(
        "return [...document.querySelectorAll('details')].filter(d => !d.open && d.textContent.includes('講師メモ')).length;",
        vec![],
    )?;
    ensure!(
        notes == json!(3),
        "collapsed 講師メモ on the reading page: {notes}"
    );

    // The basic deck's reading page: every picture loads (PNG, JPEG, GIF, SVG).
    b.goto(&file_url(built.path("basic.html"))?)?;
    b.wait_for("h1", WAIT)?;
    let pictures = b.execute(
        "return [...document.querySelectorAll('main img')].map(i => [i.getAttribute('src'), i.complete && i.naturalWidth > 0]);",
        vec![],
    )?;
    ensure!(
        pictures
            == json!([
                ["basic/image1.png", true],
                ["basic/image2.jpg", true],
                ["basic/image3.gif", true],
                ["basic/drawing1.svg", true]
            ]),
        "pictures: {pictures}"
    );

    // The deck: slide 2 shows the nested list and the formatting; the notes
    // are in the deck but not on the audience's slide.
    b.goto(&format!("{}#2", file_url(built.path("basic.slides.html"))?))?;
    b.wait_until("slide 2 shown", WAIT, |b| {
        Ok(shown(b, "[aria-roledescription=slide]")?
            .iter()
            .any(|t| t.contains("第三階層の項目")))
    })?;
    let slide = shown(&b, "[aria-roledescription=slide]")?.join("\n");
    ensure!(
        slide.starts_with("箇条書きと書式")
            && slide.contains("太字")
            && !slide.contains("箇条書きのメモ"),
        "slide 2: {slide:?}"
    );
    let in_deck = b.execute(
        "return [...document.querySelectorAll('aside.notes')].map(a => a.textContent).join(' ');",
        vec![],
    )?;
    ensure!(
        in_deck
            .as_str()
            .is_some_and(|t| t.contains("箇条書きのメモ") && t.contains("最後のメモ")),
        "notes in the deck: {in_deck}"
    );

    // Lecture 2's deck: the points table on its slide.
    b.goto(&format!(
        "{}#10",
        file_url(built.path("lectures/jissen.slides.html"))?
    ))?;
    b.wait_until("slide 10 shown", WAIT, |b| {
        Ok(shown(b, "[aria-roledescription=slide]")?
            .iter()
            .any(|t| t.starts_with("連携する際のポイント整理")))
    })?;
    let slide = shown(&b, "[aria-roledescription=slide]")?.join("\n");
    ensure!(
        slide.contains("備考") && slide.contains("①プランの適切性協議"),
        "slide 10: {slide:?}"
    );
    Ok(())
}
