//! The course on a phone (390×844) and a wide screen, as a trainee taps it:
//! メニュー opens in view wherever the page is scrolled, every header,
//! breadcrumb and navigation control is a target of 24 px at least (WCAG 2.2,
//! 2.5.8), and the points table keeps its 項目 column in view, opaque.
//!
//! `KENSHU_SHOTS=dir` saves screenshots (390×844 and 1280×900, light and
//! dark) of what these tests look at.

use std::path::PathBuf;
use std::time::Duration;

use kenshu_e2e::{build_site, ensure, Browser, Key, Result, StaticServer};
use serde_json::{json, Value};

const WAIT: Duration = Duration::from_secs(10);

/// A phone's screen: 390×844 CSS pixels, mobile viewport.
fn phone(b: &Browser) -> Result<()> {
    b.cdp(
        "Emulation.setDeviceMetricsOverride",
        json!({ "width": 390, "height": 844, "deviceScaleFactor": 1, "mobile": true }),
    )?;
    Ok(())
}

fn wide(b: &Browser) -> Result<()> {
    b.cdp(
        "Emulation.setDeviceMetricsOverride",
        json!({ "width": 1280, "height": 900, "deviceScaleFactor": 1, "mobile": false }),
    )?;
    Ok(())
}

fn shot(b: &Browser, name: &str) -> Result<()> {
    if let Some(dir) = std::env::var_os("KENSHU_SHOTS").map(PathBuf::from) {
        std::fs::create_dir_all(&dir)?;
        b.settle()?;
        b.screenshot_png(dir.join(format!("{name}.png")))?;
    }
    Ok(())
}

fn f(v: &Value, i: usize) -> f64 {
    v[i].as_f64().unwrap_or(f64::NAN)
}

/// Taps the middle of the element `css` where it is on the screen (no
/// scrolling first, as a finger does).
fn tap(b: &Browser, css: &str) -> Result<()> {
    let r = b.execute(
        "const r = document.querySelector(arguments[0]).getBoundingClientRect(); return [r.left + r.width / 2, r.top + r.height / 2];",
        vec![json!(css)],
    )?;
    let (x, y) = (f(&r, 0), f(&r, 1));
    for kind in ["mouseMoved", "mousePressed", "mouseReleased"] {
        b.cdp(
            "Input.dispatchMouseEvent",
            json!({ "type": kind, "x": x, "y": y, "button": "left", "clickCount": 1 }),
        )?;
    }
    Ok(())
}

/// Scrolls the page to `y` at once and waits until it is there.
fn scroll_to(b: &Browser, y: u32) -> Result<()> {
    b.execute(
        "window.scrollTo({ top: arguments[0], behavior: 'instant' })",
        vec![json!(y)],
    )?;
    b.wait_until("the scroll position", WAIT, |b| {
        let at = b.execute("return Math.round(window.scrollY)", vec![])?;
        Ok(at.as_i64().is_some_and(|at| (at - i64::from(y)).abs() <= 2))
    })
}

/// At 390×844, メニュー tapped at scroll position 6,000 of lecture ② shows
/// the menu on the screen with the focus in it; Esc closes it, gives the
/// focus back to the button and leaves the page where it was; the back
/// gesture closes it too.
#[test]
fn the_menu_opens_in_view_mid_page() -> Result<()> {
    let site = build_site(kenshu_e2e::workspace_root())?;
    let server = StaticServer::serve(&site.out, "/kenshu/")?;
    let b = Browser::start()?;
    phone(&b)?;
    for dark in [false, true] {
        b.emulate_media(dark, false)?;
        b.goto(&server.url_of("lectures/jissen.html"))?;
        scroll_to(&b, 6000)?;
        // Reading down hides the header; scrolling up a little brings it
        // back, as on a phone.
        b.wait_until("the header hidden", WAIT, |b| {
            Ok(b.execute(
                "return document.documentElement.classList.contains('header-hidden')",
                vec![],
            )? == json!(true))
        })?;
        scroll_to(&b, 5980)?;
        b.wait_until("the header in view", WAIT, |b| {
            let r = b.execute(
                "const r = document.querySelector('.nav-toggle').getBoundingClientRect();
                 return [r.top, r.bottom, document.documentElement.classList.contains('header-hidden')];",
                vec![],
            )?;
            Ok(f(&r, 0) >= 0.0 && f(&r, 1) > 0.0 && r[2] == json!(false))
        })?;
        tap(&b, ".nav-toggle")?;
        if let Err(e) = b.wait_until("the menu", WAIT, |b| b.find("#site-nav")?.is_displayed()) {
            let st = b.execute("const r = document.querySelector('.nav-toggle').getBoundingClientRect(); const e = document.elementFromPoint(r.left + r.width/2, r.top + r.height/2); return [r.top, r.bottom, document.documentElement.className, document.querySelector('.nav-toggle').getAttribute('aria-expanded'), scrollY, e ? e.outerHTML.slice(0, 80) : null]", vec![])?;
            eprintln!("the menu did not open (dark {dark}): toggle top, bottom, classes, expanded, scrollY, hit: {st}");
            return Err(e);
        }
        let r = b.execute(
            "const r = document.getElementById('site-nav').getBoundingClientRect();
             const a = document.activeElement;
             return [r.top, r.bottom, r.height, window.innerHeight, window.scrollY,
                     document.getElementById('site-nav').contains(a), a.textContent,
                     document.elementFromPoint(195, Math.min(r.bottom - 5, r.top + 80)) !== null &&
                       document.getElementById('site-nav').contains(document.elementFromPoint(195, Math.min(r.bottom - 5, r.top + 80)))];",
            vec![],
        )?;
        let (top, bottom, height, screen) = (f(&r, 0), f(&r, 1), f(&r, 2), f(&r, 3));
        ensure!(
            top >= 0.0 && top < screen / 3.0 && bottom > screen / 2.0 && height > 200.0,
            "dark {dark}: the open menu is not on the screen: top {top}, bottom {bottom} of {screen} (scrollY {})",
            r[4]
        );
        ensure!(
            r[5] == json!(true),
            "dark {dark}: the focus is not in the menu but on {}",
            r[6]
        );
        ensure!(
            r[7] == json!(true),
            "dark {dark}: something lies over the open menu"
        );
        shot(
            &b,
            &format!("menu-390-{}", if dark { "dark" } else { "light" }),
        )?;
        // Tab stays in the menu and its button.
        for _ in 0..40 {
            b.press(Key::Tab)?;
            let inside = b.execute(
                "const a = document.activeElement; return document.getElementById('site-nav').contains(a) || a.classList.contains('nav-toggle')",
                vec![],
            )?;
            ensure!(inside == json!(true), "Tab leaves the open menu");
        }
        b.press(Key::Escape)?;
        b.wait_until("the menu closed", WAIT, |b| {
            Ok(!b.find("#site-nav")?.is_displayed()?)
        })?;
        ensure!(
            b.active_element()?.same_as(&b.find(".nav-toggle")?)?,
            "Esc does not give the focus back to メニュー"
        );
        let y = b.execute("return Math.round(window.scrollY)", vec![])?;
        ensure!(
            y.as_i64().is_some_and(|y| (y - 5980).abs() <= 2),
            "closing the menu moved the page to {y}"
        );
        // Back closes the menu and stays on the page.
        b.wait_until("the menu's history entry gone", WAIT, |b| {
            Ok(b.execute(
                "return !(history.state && history.state.kenshuMenu)",
                vec![],
            )? == json!(true))
        })?;
        let url = b.current_url()?;
        tap(&b, ".nav-toggle")?;
        b.wait_until("the menu again", WAIT, |b| {
            b.find("#site-nav")?.is_displayed()
        })?;
        b.back()?;
        b.wait_until("the menu closed by back", WAIT, |b| {
            Ok(!b.find("#site-nav")?.is_displayed()?)
        })?;
        ensure!(
            b.current_url()? == url,
            "back left the page: {}",
            b.current_url()?
        );
    }
    b.assert_no_errors()?;
    Ok(())
}

/// Every target in the header, the breadcrumbs and the navigation measures
/// 24×24 px at least, on a phone and a wide screen.
#[test]
fn header_breadcrumb_and_navigation_targets_are_24_px() -> Result<()> {
    let site = build_site(kenshu_e2e::workspace_root())?;
    let server = StaticServer::serve(&site.out, "/")?;
    let b = Browser::start()?;
    let measure = r#"
const small = [];
for (const sel of arguments[0]) {
  for (const el of document.querySelectorAll(sel)) {
    const r = el.getBoundingClientRect();
    if (r.width === 0 && r.height === 0) continue;
    if (r.width < 24 || r.height < 24) small.push(sel + ' «' + el.textContent.trim().slice(0, 12) + '» ' + r.width.toFixed(1) + '×' + r.height.toFixed(1));
  }
}
const n = arguments[0].map(s => document.querySelectorAll(s).length).reduce((a, b) => a + b, 0);
return [n, small];"#;
    let selectors = json!([
        ".site-title",
        ".nav-toggle",
        ".search-input",
        ".breadcrumbs a",
        ".site-nav a",
        ".toc-box > summary",
        ".toc-list a",
        ".pager a",
        ".slides-link a"
    ]);
    let mut small = Vec::new();
    for (name, size) in [("390", 0), ("1280", 1)] {
        if size == 0 {
            phone(&b)?;
        } else {
            wide(&b)?;
        }
        for page in [
            "index.html",
            "lectures/jissen.html",
            "cases/dokkyo.html",
            "glossary.html",
        ] {
            b.goto(&server.url_of(page))?;
            if size == 0 && page != "index.html" {
                // The open menu's links count too.
                b.find(".nav-toggle")?.click()?;
                b.wait_until("the menu", WAIT, |b| b.find("#site-nav")?.is_displayed())?;
            }
            let r = b.execute(measure, vec![selectors.clone()])?;
            ensure!(
                r[0].as_u64().unwrap_or(0) >= 4,
                "{page}: too few targets measured"
            );
            for s in r[1].as_array().cloned().unwrap_or_default() {
                small.push(format!("{name} px, {page}: {}", s.as_str().unwrap_or("")));
            }
            if page == "cases/dokkyo.html" {
                b.press(Key::Escape)?;
                for dark in [false, true] {
                    b.emulate_media(dark, false)?;
                    shot(
                        &b,
                        &format!("head-{name}-{}", if dark { "dark" } else { "light" }),
                    )?;
                }
                b.emulate_media(false, false)?;
            }
        }
    }
    ensure!(
        small.is_empty(),
        "targets under 24 px:\n{}",
        small.join("\n")
    );
    Ok(())
}

/// On a phone the points table of lecture ② scrolls sideways with its 項目
/// column kept at the left edge (not No), and nothing shows through it.
#[test]
fn the_points_table_keeps_its_item_column_opaque() -> Result<()> {
    let site = build_site(kenshu_e2e::workspace_root())?;
    let server = StaticServer::serve(&site.out, "/")?;
    let b = Browser::start()?;
    phone(&b)?;
    for dark in [false, true] {
        b.emulate_media(dark, false)?;
        b.goto(&server.url_of("lectures/jissen.html"))?;
        b.wait_until("the table marked scrollable", WAIT, |b| {
            Ok(b.execute(
                "const t = document.querySelector('table.points-table'); return !!t && t.closest('.table-wrap').classList.contains('is-scrollable')",
                vec![],
            )? == json!(true))
        })?;
        b.execute(
            "const w = document.querySelector('table.points-table').closest('.table-wrap');
             w.scrollIntoView({ block: 'start', behavior: 'instant' }); window.scrollBy({ top: -120, behavior: 'instant' });
             w.scrollLeft = 160;",
            vec![],
        )?;
        b.wait_until("the table scrolled", WAIT, |b| {
            Ok(b.execute(
                "return document.querySelector('table.points-table').closest('.table-wrap').scrollLeft >= 150",
                vec![],
            )? == json!(true))
        })?;
        let r = b.execute(
            r#"
const w = document.querySelector('table.points-table').closest('.table-wrap');
const wl = w.getBoundingClientRect().left + w.clientLeft;
const rows = Array.from(document.querySelectorAll('table.points-table tbody tr'));
const out = [];
for (const tr of rows) {
  const item = tr.querySelector('th[scope=row]'), no = tr.firstElementChild;
  const r = item.getBoundingClientRect();
  // What a finger or eye finds at points inside the item cell.
  let covered = 0, samples = 0;
  for (let x = r.left + 3; x < r.right - 2; x += 6) {
    for (let y = r.top + 3; y < r.bottom - 2; y += 6) {
      if (y < 0 || y > innerHeight) continue;
      samples++;
      const e = document.elementFromPoint(x, y);
      if (!e || !item.contains(e)) covered++;
    }
  }
  out.push([item.textContent.trim(), Math.round(r.left - wl), Math.round(no.getBoundingClientRect().left - wl), covered, samples,
            getComputedStyle(item).backgroundColor]);
}
return out;"#,
            vec![],
        )?;
        let rows = r.as_array().cloned().unwrap_or_default();
        ensure!(rows.len() == 4, "rows: {r}");
        for row in rows {
            let (item, left, no_left) = (row[0].clone(), f(&row, 1), f(&row, 2));
            ensure!(
                left.abs() <= 1.0,
                "dark {dark}: 項目 {item} is not kept at the left edge ({left} px)"
            );
            ensure!(
                no_left < -100.0,
                "dark {dark}: the No column did not scroll away ({no_left} px)"
            );
            ensure!(
                row[3] == json!(0) && f(&row, 4) > 10.0,
                "dark {dark}: {item}: {} of {} points show something else through the 項目 cell",
                row[3],
                row[4]
            );
            let bg = row[5].as_str().unwrap_or("");
            ensure!(
                !bg.starts_with("rgba") && bg != "transparent",
                "dark {dark}: {item}: see-through background {bg}"
            );
        }
        shot(
            &b,
            &format!("points-390-{}", if dark { "dark" } else { "light" }),
        )?;
    }
    Ok(())
}
