//! The default theme as a person meets it, on the real course: contrast in
//! light and dark, 320 px screens, keyboard focus, the skip link, reduced
//! motion and the Japanese basics. (Links to Japanese heading anchors are
//! clicked in `portable.rs`.)

use std::path::PathBuf;
use std::time::Duration;

use kenshu_e2e::{build_site, ensure, Browser, Key, Result, StaticServer};
use serde_json::json;

fn course_root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("..")
}

/// Pages of every kind: home, section index, lecture, case with exercises,
/// glossary, progress, 404.
const PAGES: &[&str] = &[
    "index.html",
    "lectures/index.html",
    "lectures/jissen.html",
    "cases/dokkyo.html",
    "glossary.html",
    "progress.html",
    "404.html",
];

/// For every visible text element matching the selectors: its WCAG contrast
/// ratio against the background actually behind it. Returns the failures.
const CONTRAST_JS: &str = r#"
const selectors = arguments[0];
function rgba(s) {
  let m = s.match(/rgba?\(([^)]+)\)/);
  if (m) {
    const p = m[1].split(/[ ,\/]+/).filter(Boolean).map(Number);
    return [p[0], p[1], p[2], p.length > 3 ? p[3] : 1];
  }
  m = s.match(/color\(srgb ([^)]+)\)/);
  if (m) {
    const p = m[1].split(/[ \/]+/).filter(Boolean).map(Number);
    return [p[0] * 255, p[1] * 255, p[2] * 255, p.length > 3 ? p[3] : 1];
  }
  throw new Error('unknown colour format: ' + s);
}
function lum(c) {
  const f = v => { v /= 255; return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4); };
  return 0.2126 * f(c[0]) + 0.7152 * f(c[1]) + 0.0722 * f(c[2]);
}
function blend(top, bottom) {
  const a = top[3];
  return [0, 1, 2].map(i => top[i] * a + bottom[i] * (1 - a)).concat([1]);
}
function background(el) {
  const layers = [];
  for (let e = el; e; e = e.parentElement) {
    const c = rgba(getComputedStyle(e).backgroundColor);
    if (c && c[3] > 0) layers.push(c);
    if (c && c[3] >= 1) break;
  }
  let bg = [255, 255, 255, 1];
  if (layers.length && layers[layers.length - 1][3] >= 1) bg = layers.pop();
  else bg = matchMedia('(prefers-color-scheme: dark)').matches ? [0, 0, 0, 1] : bg;
  while (layers.length) bg = blend(layers.pop(), bg);
  return bg;
}
const failures = [];
let checked = 0;
for (const sel of selectors) {
  for (const el of document.querySelectorAll(sel)) {
    const r = el.getBoundingClientRect();
    if (r.width === 0 || r.height === 0 || !el.textContent.trim()) continue;
    const st = getComputedStyle(el);
    if (st.visibility === 'hidden') continue;
    const fg = rgba(st.color);
    const bg = background(el);
    const c = blend(fg, bg);
    const l1 = lum(c), l2 = lum(bg);
    const ratio = (Math.max(l1, l2) + 0.05) / (Math.min(l1, l2) + 0.05);
    checked++;
    if (ratio < 4.5) failures.push(sel + ' «' + el.textContent.trim().slice(0, 20) + '» ' + ratio.toFixed(2) + ' (' + st.color + ' on ' + bg + ')');
  }
}
return { checked, failures: failures.slice(0, 10) };
"#;

const TEXT_SELECTORS: &[&str] = &[
    "p",
    "li",
    "a",
    "th",
    "td",
    "h1",
    "h2",
    "h3",
    "summary",
    ".admonition-title",
    ".breadcrumbs li",
    ".pager-label",
    ".site-footer p",
    ".card-description",
    ".card-progress-text",
    ".toc-list a",
    ".kana-row dt",
    ".home-start-to",
    "button",
];

#[test]
fn contrast_in_light_and_dark() -> Result<()> {
    let site = build_site(course_root())?;
    let server = StaticServer::serve(&site.out, "/")?;
    let b = Browser::start()?;
    for dark in [false, true] {
        b.emulate_media(dark, false)?;
        for page in PAGES {
            b.goto(&server.url_of(page))?;
            b.wait_islands(Duration::from_secs(15))?;
            let r = b.execute(CONTRAST_JS, vec![json!(TEXT_SELECTORS)])?;
            let checked = r["checked"].as_u64().unwrap_or(0);
            ensure!(checked >= 4, "{page}: only {checked} text elements checked");
            let failures = r["failures"].as_array().cloned().unwrap_or_default();
            ensure!(
                failures.is_empty(),
                "{page} ({}): contrast below 4.5:1: {failures:#?}",
                if dark { "dark" } else { "light" }
            );
        }
    }
    Ok(())
}

#[test]
fn fits_a_320_px_screen() -> Result<()> {
    let site = build_site(course_root())?;
    let server = StaticServer::serve(&site.out, "/")?;
    let b = Browser::start()?;
    b.set_window_size(320, 800)?;
    for page in PAGES {
        b.goto(&server.url_of(page))?;
        b.wait_islands(Duration::from_secs(15))?;
        let r = b.execute(
            "return [document.documentElement.scrollWidth, document.documentElement.clientWidth]",
            vec![],
        )?;
        let (scroll, client) = (r[0].as_u64().unwrap_or(0), r[1].as_u64().unwrap_or(0));
        ensure!(
            client > 0 && scroll <= client,
            "{page}: the page scrolls sideways at 320 px ({scroll} > {client})"
        );
        // The menu button opens the course navigation.
        if *page != "404.html" {
            let toggle = b.find(".nav-toggle")?;
            ensure!(toggle.is_displayed()?, "{page}: no menu button on a phone");
            ensure!(
                !b.find("#site-nav")?.is_displayed()?,
                "{page}: nav open by default"
            );
            toggle.click()?;
            ensure!(
                b.find("#site-nav")?.is_displayed()?,
                "{page}: menu does not open"
            );
            ensure!(
                toggle.attr("aria-expanded")?.as_deref() == Some("true"),
                "aria-expanded"
            );
        }
    }
    Ok(())
}

#[test]
fn keyboard_skip_link_and_visible_focus() -> Result<()> {
    let site = build_site(course_root())?;
    let server = StaticServer::serve(&site.out, "/")?;
    let b = Browser::start()?;
    b.goto(&server.url_of("lectures/jissen.html"))?;
    b.press(Key::Tab)?;
    let skip = b.active_element()?;
    ensure!(
        skip.accessible_name()? == "本文へ移動",
        "first Tab does not reach the skip link"
    );
    ensure!(
        skip.is_displayed()?,
        "the skip link stays hidden when focused"
    );
    let outline = skip.css("outline-style")?;
    ensure!(outline != "none", "no visible focus on the skip link");
    b.press(Key::Enter)?;
    b.wait_until("focus in main", Duration::from_secs(5), |b| {
        Ok(b.active_element()?.attr("id")?.as_deref() == Some("main"))
    })?;
    // The next Tab lands inside the main content, not back in the header.
    b.press(Key::Tab)?;
    let inside = b.execute(
        "return document.getElementById('main').contains(document.activeElement)",
        vec![],
    )?;
    ensure!(inside == json!(true), "Tab after the skip link leaves main");
    let focused = b.active_element()?;
    ensure!(
        focused.css("outline-style")? != "none" && focused.css("outline-width")? != "0px",
        "focused link has no visible outline"
    );
    Ok(())
}

#[test]
fn reduced_motion_and_japanese_basics() -> Result<()> {
    let site = build_site(course_root())?;
    let server = StaticServer::serve(&site.out, "/")?;
    let b = Browser::start()?;
    b.emulate_media(false, true)?;
    b.goto(&server.url_of("lectures/jissen.html"))?;
    let scroll = b.execute(
        "return getComputedStyle(document.documentElement).scrollBehavior",
        vec![],
    )?;
    ensure!(
        scroll == json!("auto"),
        "smooth scrolling despite reduced motion"
    );
    let r = b.execute(
        "return [document.documentElement.lang, document.characterSet, getComputedStyle(document.body).fontFamily, parseFloat(getComputedStyle(document.body).lineHeight) / parseFloat(getComputedStyle(document.body).fontSize)]",
        vec![],
    )?;
    ensure!(r[0] == json!("ja"), "lang is {}", r[0]);
    ensure!(r[1] == json!("UTF-8"), "charset is {}", r[1]);
    let fonts = r[2].as_str().unwrap_or("");
    ensure!(
        fonts.contains("Hiragino") && fonts.contains("Noto Sans"),
        "no Japanese font stack: {fonts}"
    );
    let line_height = r[3].as_f64().unwrap_or(0.0);
    ensure!(
        line_height >= 1.6,
        "line height {line_height} is tight for Japanese"
    );
    Ok(())
}

/// A host shows 404.html for a missing address at any depth: its link to the
/// top page must still lead to the site's top page under a sub-path.
#[test]
fn not_found_page_leads_home_from_any_depth() -> Result<()> {
    let site = build_site(course_root())?;
    let server = StaticServer::serve_with_404_page(&site.out, "/intranet/kenshu/")?;
    let b = Browser::start()?;
    let home_title = {
        b.goto(&server.url_of("index.html"))?;
        b.title()?
    };
    for missing in ["gone.html", "cases/gone.html", "no/such/folder/page.html"] {
        b.goto(&server.url_of(missing))?;
        ensure!(
            b.find("h1")?.text()? == "ページが見つかりません",
            "{missing}: not the site's 404 page"
        );
        let want = server.url_of("index.html");
        b.wait_until(
            "the home link to point at the top page",
            Duration::from_secs(10),
            |b| Ok(b.find("#home-link")?.property("href")?.as_str() == Some(want.as_str())),
        )?;
        b.find("#home-link")?.click()?;
        b.wait_until("the top page", Duration::from_secs(10), |b| {
            Ok(b.title()? == home_title)
        })?;
    }
    Ok(())
}

/// The 404 page's script looks for the site's top folder on its own origin
/// only. At `//127.0.0.2:PORT/x/page.html` (a path that reads as a
/// protocol-relative URL) it sent a HEAD request to 127.0.0.2 and pointed
/// its home link there. Coming from a page of the site under a sub-path, it
/// finds the top folder without a failed request (it made three here).
#[test]
fn not_found_page_stays_on_its_own_origin() -> Result<()> {
    use std::io::{Read, Write};
    use std::sync::{Arc, Mutex};
    let site = build_site(PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("fixtures/portable"))?;
    // Another host on this machine that says yes to everything, and tells.
    let foreign = std::net::TcpListener::bind("127.0.0.2:0")?;
    let foreign_port = foreign.local_addr()?.port();
    let asked = Arc::new(Mutex::new(Vec::<String>::new()));
    {
        let asked = Arc::clone(&asked);
        std::thread::spawn(move || {
            for mut s in foreign.incoming().flatten() {
                let _ = s.set_read_timeout(Some(Duration::from_secs(2)));
                let mut buf = [0u8; 2048];
                let n = s.read(&mut buf).unwrap_or(0);
                let line = String::from_utf8_lossy(&buf[..n]);
                asked
                    .lock()
                    .unwrap()
                    .push(line.lines().next().unwrap_or("").to_string());
                let _ = s.write_all(b"HTTP/1.1 200 OK\r\nAccess-Control-Allow-Origin: *\r\nContent-Length: 0\r\nConnection: close\r\n\r\n");
            }
        });
    }
    let b = Browser::start()?;

    let server = StaticServer::serve_with_404_page(&site.out, "/")?;
    let home = server.url_of("index.html");
    b.goto(&format!(
        "http://{}//127.0.0.2:{foreign_port}/x/page.html",
        server.addr()
    ))?;
    ensure!(
        b.current_url()?
            .contains(&format!("//127.0.0.2:{foreign_port}/x/")),
        "not the address meant: {}",
        b.current_url()?
    );
    ensure!(
        b.find("h1")?.text()? == "ページが見つかりません",
        "not the 404 page"
    );
    b.wait_until(
        "the home link to point at the top page",
        Duration::from_secs(10),
        |b| Ok(b.find("#home-link")?.property("href")?.as_str() == Some(home.as_str())),
    )?;
    // The script probes one folder at a time and stops once the link is set,
    // and the stand-in records a request before it answers: every request it
    // could get has been recorded by now.
    let foreign_requests = asked.lock().unwrap().clone();
    ensure!(
        foreign_requests.is_empty(),
        "the 404 page asked another host: {foreign_requests:?}"
    );
    drop(server);

    let server = StaticServer::serve_with_404_page(&site.out, "/intranet/kenshu/")?;
    b.goto(&server.url_of("guide/index.html"))?;
    let before = server.failed_requests().len();
    b.execute(
        "location.href = arguments[0];",
        vec![json!(server.url_of("no/such/folder/page.html"))],
    )?;
    let home = server.url_of("index.html");
    b.wait_until(
        "the home link to point at the top page",
        Duration::from_secs(10),
        |b| {
            Ok(b.find("h1")?.text()? == "ページが見つかりません"
                && b.find("#home-link")?.property("href")?.as_str() == Some(home.as_str()))
        },
    )?;
    let failed: Vec<_> = server.failed_requests()[before..]
        .iter()
        .filter(|r| r.target.ends_with("site.css"))
        .cloned()
        .collect();
    ensure!(
        failed.is_empty(),
        "failed requests for the style sheet: {failed:?}"
    );
    Ok(())
}

/// `kenshu serve`'s live-reload client (theme/serve/live.js) in a real
/// browser: an edit reloads the open page, a broken edit shows the errors
/// over the last good page without a reload, and fixing it takes them away.
#[test]
fn serve_reloads_after_an_edit_and_shows_a_broken_build() -> Result<()> {
    let dir = tempfile::tempdir()?;
    let site = dir.path().to_path_buf();
    std::fs::create_dir_all(site.join("content"))?;
    std::fs::write(site.join("site.toml"), "title = \"ライブ\"\n")?;
    let page = site.join("content/index.md");
    std::fs::write(&page, "# ホーム\n\n最初の本文\n")?;
    // A free port: taken, read, let go, then given to the server.
    let port = std::net::TcpListener::bind("127.0.0.1:0")?
        .local_addr()?
        .port();
    let opts = kenshu::serve::Options {
        site: site.clone(),
        host: "127.0.0.1".into(),
        port,
        open: false,
    };
    // Runs until the test process ends.
    std::thread::spawn(move || kenshu::serve::run(&opts));
    let url = format!("http://127.0.0.1:{port}/index.html");
    let start = std::time::Instant::now();
    while ureq::get(&url).call().is_err() {
        ensure!(
            start.elapsed() < Duration::from_secs(30),
            "kenshu serve did not answer within 30 s"
        );
        std::thread::sleep(Duration::from_millis(100));
    }

    let b = Browser::start()?;
    b.goto(&url)?;
    b.wait_for("#kenshu-live", Duration::from_secs(10))?;
    ensure!(b.find("main")?.text()?.contains("最初の本文"), "first text");
    // Survives only as long as the page is not reloaded.
    b.execute("window.__notReloaded = true;", vec![])?;
    let text = |b: &Browser| -> Result<(String, bool)> {
        let v = b.execute(
            "return [document.querySelector('main').textContent, window.__notReloaded === true];",
            vec![],
        )?;
        Ok((
            v[0].as_str().unwrap_or_default().to_string(),
            v[1].as_bool().unwrap_or(false),
        ))
    };

    std::fs::write(&page, "# ホーム\n\n二番目の本文\n")?;
    b.wait_until("the edited page reloaded", Duration::from_secs(20), |b| {
        text(b).map(|(t, kept)| t.contains("二番目の本文") && !kept)
    })?;

    b.execute("window.__notReloaded = true;", vec![])?;
    std::fs::write(&page, "# ホーム\n\n二番目の本文\n\n[壊れた](nope.md)\n")?;
    let overlay = b.wait_for("#kenshu-error-overlay", Duration::from_secs(20))?;
    let shown = overlay.text()?;
    ensure!(
        shown.contains("index.md") && shown.contains("nope.md"),
        "the overlay names the file and the link: {shown:?}"
    );
    let (t, kept) = text(&b)?;
    ensure!(
        t.contains("二番目の本文") && kept,
        "the last good page stays, not reloaded"
    );
    // Many errors: the overlay lists the first 50 and counts the others
    // (the terminal prints every one).
    let many: String = (0..120)
        .map(|i| format!("[壊れた{i}](nope-{i}.md)\n"))
        .collect();
    std::fs::write(&page, format!("# ホーム\n\n二番目の本文\n\n{many}"))?;
    b.wait_until(
        "the overlay to count the errors not shown",
        Duration::from_secs(20),
        |b| {
            Ok(b.find("#kenshu-error-overlay")?
                .text()?
                .contains("and 70 more problems (every one is printed in the terminal"))
        },
    )?;
    let items = b.find_all("#kenshu-error-overlay li")?.len();
    ensure!(
        items == 51,
        "{items} items in the overlay, not 50 and a count"
    );
    ensure!(text(&b)?.1, "still not reloaded");

    std::fs::write(&page, "# ホーム\n\n三番目の本文\n")?;
    b.wait_until("the fixed page reloaded", Duration::from_secs(20), |b| {
        text(b).map(|(t, _)| t.contains("三番目の本文"))
    })?;
    ensure!(
        b.try_find("#kenshu-error-overlay")?.is_none(),
        "no overlay once the build is fixed"
    );
    // A reload cancels the open event stream: that is not an error.
    let failed: Vec<String> = b
        .failed_requests()?
        .into_iter()
        .filter(|f| !(f.contains("/__kenshu/events?") && f.contains("ERR_ABORTED")))
        .collect();
    let errors = b.console_errors()?;
    ensure!(
        failed.is_empty() && errors.is_empty(),
        "failed requests {failed:?}, console errors {errors:?}"
    );
    Ok(())
}
