//! Tests of the harness itself against a small static HTML fixture, in a real browser.

use std::time::Duration;

use serde_json::json;

use crate::{file_url, Browser, Key, Result, StaticServer, TempDir};

const T: Duration = Duration::from_secs(10);

/// Two pages in folders, a stylesheet, an image, one page with a broken image.
fn fixture() -> Result<TempDir> {
    let dir = TempDir::new("selftest-site")?;
    dir.write(
        "index.html",
        r##"<!doctype html><html lang="ja"><head><meta charset="utf-8"><title>ホーム</title>
<link rel="stylesheet" href="css/site.css"></head><body>
<nav><a id="to-a" href="docs/a.html#part-2">ページA</a></nav>
<main><h1>ようこそ</h1><img id="logo" src="img/logo.svg" alt="ロゴ">
<label>名前 <input id="name" type="text"></label>
<button id="btn" aria-label="送信する">→</button>
<p id="out"></p></main>
<script>
document.getElementById('btn').addEventListener('click', () => {
  document.getElementById('out').textContent = 'こんにちは ' + document.getElementById('name').value;
});
document.addEventListener('keydown', (e) => { if (e.key === 'PageDown') document.body.dataset.pd = '1'; });
</script></body></html>"##,
    )?;
    dir.write(
        "css/site.css",
        "body { background-color: rgb(1, 2, 3); color: white } h1 { margin-top: 17px }",
    )?;
    dir.write(
        "img/logo.svg",
        r#"<svg xmlns="http://www.w3.org/2000/svg" width="40" height="30"><rect width="40" height="30" fill="red"/></svg>"#,
    )?;
    dir.write(
        "docs/a.html",
        r#"<!doctype html><html><head><meta charset="utf-8"><title>ページA</title>
<link rel="stylesheet" href="../css/site.css"></head><body>
<a id="home" href="../index.html">ホーム</a><h2 id="part-2">第2部</h2></body></html>"#,
    )?;
    dir.write(
        "docs/broken.html",
        r#"<!doctype html><html><head><meta charset="utf-8"><title>壊れた</title></head><body>
<img src="../img/missing.png" alt=""><script>console.error('boom from page');</script></body></html>"#,
    )?;
    Ok(dir)
}

fn exercise_site(b: &Browser, home: &str, docs_a: &str) -> Result<()> {
    b.goto(home)?;
    assert_eq!(b.title()?, "ホーム");
    assert!(b.page_source()?.contains("<h1>ようこそ</h1>"));
    assert_eq!(b.find("body")?.css("background-color")?, "rgba(1, 2, 3, 1)");
    assert_eq!(b.find("h1")?.css("margin-top")?, "17px");
    let w = b.execute(
        "return arguments[0].naturalWidth;",
        vec![b.find("#logo")?.json()],
    )?;
    assert_eq!(w, json!(40));
    assert_eq!(b.find("#logo")?.property("naturalHeight")?, json!(30));
    assert_eq!(
        b.find("#to-a")?.attr("href")?.as_deref(),
        Some("docs/a.html#part-2")
    );
    assert_eq!(b.find("#to-a")?.attr("data-nothing")?, None);
    assert_eq!(b.find_all("a")?.len(), 1);
    assert!(b.try_find("#does-not-exist")?.is_none());

    b.find("#to-a")?.click()?;
    b.wait_until("page A", T, |b| Ok(b.title()? == "ページA"))?;
    assert_eq!(b.current_url()?, format!("{docs_a}#part-2"));
    b.find("#home")?.click()?;
    b.wait_until("home again", T, |b| Ok(b.title()? == "ホーム"))?;
    b.back()?;
    b.wait_until("back to A", T, |b| Ok(b.title()? == "ページA"))?;
    b.forward()?;
    b.wait_until("forward to home", T, |b| Ok(b.title()? == "ホーム"))?;

    b.assert_no_errors()?;
    Ok(())
}

#[test]
fn browser_over_http_under_sub_path() -> Result<()> {
    let site = fixture()?;
    let server = StaticServer::serve(site.path(), "/intranet/kenshu/")?;
    let b = Browser::start()?;
    exercise_site(&b, &server.url(), &server.url_of("docs/a.html"))?;
    let statuses: Vec<u16> = b.responses()?.iter().map(|r| r.1).collect();
    assert!(statuses.contains(&200), "{statuses:?}");
    assert!(
        server.failed_requests().is_empty(),
        "{:?}",
        server.failed_requests()
    );
    Ok(())
}

#[test]
fn browser_from_file_url() -> Result<()> {
    let site = fixture()?;
    let b = Browser::start()?;
    exercise_site(
        &b,
        &file_url(site.join("index.html"))?,
        &file_url(site.join("docs/a.html"))?,
    )
}

#[test]
fn failed_requests_and_console_errors_are_reported() -> Result<()> {
    let site = fixture()?;
    let server = StaticServer::serve(site.path(), "/")?;
    let b = Browser::start()?;

    b.goto(&server.url_of("docs/broken.html"))?;
    let failed = b.failed_requests()?;
    assert!(
        failed
            .iter()
            .any(|f| f.contains("HTTP 404") && f.ends_with("img/missing.png")),
        "{failed:?}"
    );
    let errors = b.console_errors()?;
    assert!(
        errors.iter().any(|e| e.contains("boom from page")),
        "{errors:?}"
    );
    assert!(b.assert_no_errors().is_err());
    assert_eq!(server.failed_requests().len(), 1);

    // The same over file://: the missing file is a network error.
    b.goto(&file_url(site.join("docs/broken.html"))?)?;
    let failed = b.failed_requests()?;
    assert!(
        failed
            .iter()
            .any(|f| f.contains("ERR_FILE_NOT_FOUND") && f.ends_with("img/missing.png")),
        "{failed:?}"
    );
    Ok(())
}

#[test]
fn keyboard_accessibility_scripts_and_screenshots() -> Result<()> {
    let site = fixture()?;
    let server = StaticServer::serve(site.path(), "/")?;
    let b = Browser::start()?;
    b.goto(&server.url())?;

    // Keyboard only: Tab to the link, then the input, type, Tab to the button, Enter.
    b.press(Key::Tab)?;
    let focused = b.active_element()?;
    assert!(focused.same_as(&b.find("#to-a")?)?);
    assert_eq!(b.role(&focused)?, "link");
    assert_eq!(b.accessible_name(&focused)?, "ページA");
    b.press(Key::Tab)?;
    b.keys("Yamada")?;
    b.press(Key::Tab)?;
    let button = b.active_element()?;
    assert_eq!(button.attr("id")?.as_deref(), Some("btn"));
    assert_eq!(button.role()?, "button");
    assert_eq!(button.accessible_name()?, "送信する");
    b.press(Key::Enter)?;
    b.wait_until("greeting", T, |b| {
        Ok(b.find("#out")?.text()? == "こんにちは Yamada")
    })?;
    b.press_with(&[Key::Shift], Key::Tab)?;
    assert_eq!(b.active_element()?.attr("id")?.as_deref(), Some("name"));
    b.press(Key::PageDown)?;
    assert_eq!(
        b.execute("return document.body.dataset.pd", vec![])?,
        json!("1")
    );
    assert_eq!(b.find("input")?.accessible_name()?, "名前");

    // Element send_keys / clear / click.
    let input = b.find("#name")?;
    input.clear()?;
    input.send_keys("佐藤")?;
    assert_eq!(input.property("value")?, json!("佐藤"));
    b.find("#btn")?.click()?;
    assert_eq!(b.wait_for("#out", T)?.text()?, "こんにちは 佐藤");

    // Scripts.
    assert_eq!(
        b.execute("return arguments[0] + 1", vec![json!(41)])?,
        json!(42)
    );
    let v = b.execute_async(
        "const done = arguments[arguments.length - 1]; setTimeout(() => done('later'), 10);",
        vec![],
    )?;
    assert_eq!(v, json!("later"));
    let h1 = b.execute("return document.querySelector('h1')", vec![])?;
    assert_eq!(
        b.element_from(&h1)
            .map(|e| e.text())
            .transpose()?
            .as_deref(),
        Some("ようこそ")
    );
    let err = b.execute("throw new Error('kaboom')", vec![]);
    assert!(err.is_err_and(|e| e.message().contains("javascript error")));

    // Window size and screenshot.
    b.set_window_size(500, 700)?;
    let width = b.execute("return window.innerWidth", vec![])?;
    assert!(
        width.as_u64().is_some_and(|w| (400..=500).contains(&w)),
        "{width}"
    );
    let shot = TempDir::new("shot")?;
    b.screenshot_png(shot.join("s.png"))?;
    let png = std::fs::read(shot.join("s.png"))?;
    assert!(png.starts_with(b"\x89PNG\r\n\x1a\n") && png.len() > 1000);

    // Waiting for something that never appears fails with a clear message.
    let missing = b.wait_for("#never", Duration::from_millis(200));
    assert!(missing.is_err_and(|e| e.message().contains("#never")));
    Ok(())
}

#[test]
fn browsers_in_parallel_threads() -> Result<()> {
    let site = fixture()?;
    let server = StaticServer::serve(site.path(), "/")?;
    let url = server.url();
    let handles: Vec<_> = (0..3)
        .map(|_| {
            let url = url.clone();
            std::thread::spawn(move || -> Result<String> {
                let b = Browser::start()?;
                b.goto(&url)?;
                b.title()
            })
        })
        .collect();
    for h in handles {
        let title = h
            .join()
            .map_err(|_| crate::Error::new("thread panicked"))??;
        assert_eq!(title, "ホーム");
    }
    Ok(())
}

#[test]
fn windows_and_print() -> Result<()> {
    let site = fixture()?;
    let server = StaticServer::serve(site.path(), "/")?;
    let b = Browser::start()?;
    b.goto(&server.url())?;
    let first = b.window_handle()?;
    assert_eq!(b.window_handles()?, vec![first.clone()]);
    b.execute("window.open('docs/a.html', '_blank');", vec![])?;
    b.wait_until("a second window", T, |b| Ok(b.window_handles()?.len() == 2))?;
    let second = b
        .window_handles()?
        .into_iter()
        .find(|h| *h != first)
        .ok_or_else(|| crate::Error::new("no second window"))?;
    b.switch_to_window(&second)?;
    b.wait_until("page A in the new window", T, |b| {
        Ok(b.title()? == "ページA")
    })?;
    b.switch_to_window(&first)?;
    assert_eq!(b.title()?, "ホーム");
    let pdf = b.print_pdf(false)?;
    assert!(
        pdf.starts_with(b"%PDF-") && pdf.len() > 500,
        "{} bytes",
        pdf.len()
    );
    assert!(b.print_pdf(true)?.starts_with(b"%PDF-"));
    Ok(())
}
