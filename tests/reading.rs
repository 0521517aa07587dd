//! Reading pages as a trainee meets them on a 390×844 phone and at
//! 1280×900, light and dark: the home page starts the course, the in-page
//! contents stay out of the way, the header comes back on scrolling up,
//! figures open full-screen, tables stay readable, progress shows on cards.

use std::time::Duration;

use kenshu_e2e::{axe_source, build_site, ensure, Browser, Key, Result, StaticServer};
use serde_json::{json, Value};

const PHONE: (u32, u32) = (390, 844);
const WIDE: (u32, u32) = (1280, 900);
const WAIT: Duration = Duration::from_secs(10);

fn screen(b: &Browser) -> Result<(f64, f64)> {
    let v = b.execute("return [innerWidth, innerHeight]", vec![])?;
    Ok((v[0].as_f64().unwrap_or(0.0), v[1].as_f64().unwrap_or(0.0)))
}

/// Bottom of an element, in document coordinates.
fn bottom(b: &Browser, css: &str) -> Result<f64> {
    let (_, y, _, h) = b.find(css)?.rect()?;
    Ok(y + h)
}

#[test]
fn home_page_starts_the_course_with_cards_in_view() -> Result<()> {
    let site = build_site(kenshu_e2e::workspace_root())?;
    let server = StaticServer::serve(&site.out, "/")?;
    let b = Browser::start()?;
    for (size, screens) in [(WIDE, 1.0), (PHONE, 2.0)] {
        b.set_window_size(size.0, size.1)?;
        for dark in [false, true] {
            b.emulate_media(dark, false)?;
            b.goto(&server.url_of("index.html"))?;
            let what = format!("{}px {}", size.0, if dark { "dark" } else { "light" });
            let (_, height) = screen(&b)?;
            let start = b.find(".home-start a")?;
            ensure!(
                start.text()?.contains("はじめる"),
                "{what}: start link reads {:?}",
                start.text()?
            );
            ensure!(
                start
                    .property("href")?
                    .as_str()
                    .is_some_and(|h| h.ends_with("lectures/rinen.html")),
                "{what}: はじめる does not lead to the first lecture"
            );
            let cards: Vec<String> = b
                .find_all(".home-sections .card-link")?
                .iter()
                .map(|c| c.text())
                .collect::<Result<_>>()?;
            for want in ["講義", "用語集", "事例で学ぶ", "学習の記録"] {
                ensure!(
                    cards.iter().any(|c| c == want),
                    "{what}: no card {want} in {cards:?}"
                );
            }
            let last = bottom(&b, ".home-sections .card:last-child")?;
            ensure!(
                bottom(&b, ".home-start a")? <= height && last <= height * screens,
                "{what}: the start link and the cards end at {last} px, beyond {screens} screen(s) of {height} px"
            );
            // The contents are not what a phone shows first.
            ensure!(
                b.try_find("main .toc")?.is_none(),
                "{what}: a contents box on the home page"
            );
        }
    }
    // The cases index lists each case once, as a card.
    b.goto(&server.url_of("cases/index.html"))?;
    let n = b.execute(
        "return document.querySelectorAll('article a[href$=\"dokkyo.html\"]').length",
        vec![],
    )?;
    ensure!(n == json!(1), "the cases index links case 1 {n} times");
    ensure!(
        b.find(".card[data-exercises] .card-link")?.text()? == "事例1：独居高齢者・初期認知症",
        "the first case card"
    );
    Ok(())
}

#[test]
fn progress_shows_on_the_cards() -> Result<()> {
    let site = build_site(kenshu_e2e::workspace_root())?;
    let server = StaticServer::serve(&site.out, "/")?;
    let b = Browser::start()?;
    b.goto(&server.url_of("index.html"))?;
    let card = ".home-sections .card[data-exercises*='case01-classify'] .card-progress";
    b.wait_until("progress on the cases card", WAIT, |b| {
        b.find(card)?.is_displayed()
    })?;
    let before = b.find(card)?.text()?;
    ensure!(
        before.contains("まだ取り組んでいません"),
        "fresh browser: {before:?}"
    );
    // Answer one item of case 1 and check it, as a trainee does.
    b.goto(&server.url_of("cases/dokkyo.html"))?;
    b.wait_for("[data-exercise='case01-classify'] input[type=radio]", WAIT)?;
    b.execute(
        "const host = document.querySelector('[data-exercise=\"case01-classify\"]');
         host.querySelector('input[type=radio]').click();
         [...host.querySelectorAll('button')].find(x => x.textContent.includes('答え合わせ')).click();
         return 1",
        vec![],
    )?;
    b.goto(&server.url_of("index.html"))?;
    b.wait_until("the card to count the exercise", WAIT, |b| {
        Ok(b.find(card)?.text()?.contains("取り組んだ演習 1 / "))
    })?;
    // The cases index shows it on case 1's card only.
    b.goto(&server.url_of("cases/index.html"))?;
    let texts: Vec<String> = b
        .find_all(".card-progress")?
        .iter()
        .map(|c| c.text())
        .collect::<Result<_>>()?;
    ensure!(
        texts
            .first()
            .is_some_and(|t| t.contains("取り組んだ演習 1 / 2"))
            && texts[1..].iter().all(|t| t.contains("まだ")),
        "case cards: {texts:?}"
    );
    Ok(())
}

/// Pages with in-page contents.
const TOC_PAGES: &[&str] = &[
    "lectures/jissen.html",
    "glossary.html",
    "lecturer/key.html",
    "cases/dokkyo.html",
];

#[test]
fn contents_stay_out_of_the_way() -> Result<()> {
    let site = build_site(kenshu_e2e::workspace_root())?;
    let server = StaticServer::serve(&site.out, "/")?;
    let b = Browser::start()?;
    b.set_window_size(PHONE.0, PHONE.1)?;
    for dark in [false, true] {
        b.emulate_media(dark, true)?;
        for page in TOC_PAGES {
            b.goto(&server.url_of(page))?;
            let details = b.find("main .toc details")?;
            ensure!(
                details.property("open")? == json!(false),
                "{page}: the contents are open on a phone"
            );
            let (_, _, _, h) = b.find("main .toc")?.rect()?;
            ensure!(h <= 80.0, "{page}: closed contents are {h} px tall");
        }
    }
    // Opening them and choosing an entry goes there and closes them.
    b.goto(&server.url_of("lecturer/key.html"))?;
    b.find("main .toc summary")?.click()?;
    let entry = b.find("main .toc a[href='#key-case02-table']")?;
    ensure!(
        entry.is_displayed()?,
        "the answer key's contents lack an exercise"
    );
    entry.click()?;
    b.wait_until("the exercise at the top", WAIT, |b| {
        let top = b.execute(
            "return document.getElementById('key-case02-table').getBoundingClientRect().top",
            vec![],
        )?;
        Ok(top.as_f64().is_some_and(|t| (-2.0..200.0).contains(&t)))
    })?;
    ensure!(
        b.find("main .toc details")?.property("open")? == json!(false),
        "the contents stay open over the text"
    );

    // Glossary: the 五十音 index leads to a term.
    b.goto(&server.url_of("glossary.html"))?;
    b.find(".kana-index summary")?.click()?;
    let rows: Vec<String> = b
        .find_all(".kana-row dt")?
        .iter()
        .map(|r| r.text())
        .collect::<Result<_>>()?;
    ensure!(
        rows.first().map(String::as_str) == Some("あ行") && rows.iter().any(|r| r == "ら行"),
        "kana rows: {rows:?}"
    );
    let link = b.find(".kana-row a[href='#renkei']")?;
    ensure!(link.text()? == "連携", "the term reads {:?}", link.text()?);

    // Wide screen: a rail beside the text marking the section being read.
    b.set_window_size(WIDE.0, WIDE.1)?;
    b.goto(&server.url_of("lectures/jissen.html"))?;
    b.wait_until("the contents rail open", WAIT, |b| {
        Ok(b.find("main .toc details")?.property("open")? == json!(true))
    })?;
    let (rail_x, _, _, _) = b.find("main .toc")?.rect()?;
    let (text_x, _, text_w, _) = b.find("article.content")?.rect()?;
    ensure!(
        rail_x >= text_x + text_w,
        "the contents are not beside the text ({rail_x} < {})",
        text_x + text_w
    );
    b.execute(
        "document.getElementById('points').scrollIntoView(); return 1",
        vec![],
    )?;
    b.wait_until(
        "the rail to mark 連携する際のポイント整理",
        WAIT,
        |b| {
            let cur = b.try_find("main .toc a[aria-current='true']")?;
            Ok(match cur {
                Some(c) => c.attr("href")?.as_deref() == Some("#points"),
                None => false,
            })
        },
    )?;
    let (_, rail_top, _, _) = b.find("main .toc")?.rect()?;
    let scrolled = b.execute("return scrollY", vec![])?.as_f64().unwrap_or(0.0);
    ensure!(rail_top >= scrolled - 1.0, "the rail scrolled out of view");
    Ok(())
}

/// Top and bottom of the header on screen.
fn header_on_screen(b: &Browser) -> Result<(f64, f64)> {
    let v = b.execute(
        "const r = document.querySelector('.site-header').getBoundingClientRect(); return [r.top, r.bottom]",
        vec![],
    )?;
    Ok((v[0].as_f64().unwrap_or(-1.0), v[1].as_f64().unwrap_or(-1.0)))
}

#[test]
fn header_comes_back_on_scrolling_up_and_back_to_top() -> Result<()> {
    let site = build_site(kenshu_e2e::workspace_root())?;
    let server = StaticServer::serve(&site.out, "/")?;
    let b = Browser::start()?;
    for size in [PHONE, WIDE] {
        b.set_window_size(size.0, size.1)?;
        for dark in [false, true] {
            b.emulate_media(dark, dark)?;
            let what = format!("{}px {}", size.0, if dark { "dark" } else { "light" });
            b.goto(&server.url_of("lectures/jissen.html"))?;
            // Five steps down, each handled by the page before the next:
            // it has seen the step's scroll event (none at the bottom).
            for _ in 0..5 {
                b.execute_async(
                    "const done = arguments[arguments.length - 1];\
                     const before = scrollY;\
                     addEventListener('scroll', () => requestAnimationFrame(() => done(1)), { once: true });\
                     window.scrollBy({ top: 600, behavior: 'instant' });\
                     if (scrollY === before) done(0);",
                    vec![],
                )?;
            }
            b.wait_until("the header to slide away", WAIT, |b| {
                Ok(header_on_screen(b)?.1 <= 0.5)
            })
            .map_err(|e| e.context(what.clone()))?;
            b.execute(
                "window.scrollBy({ top: -200, behavior: \"instant\" }); return 1",
                vec![],
            )?;
            b.wait_until("the header to come back", WAIT, |b| {
                let (top, bottom) = header_on_screen(b)?;
                Ok(top.abs() < 0.5 && bottom > 40.0)
            })
            .map_err(|e| e.context(what.clone()))?;
            // Search is reachable from it at this position.
            let search = b.find(".search-input")?;
            ensure!(search.is_displayed()?, "{what}: no search in the header");
            let r = b.execute(
                "const s = arguments[0]; s.focus(); const r = s.getBoundingClientRect();
                 return [r.top, r.bottom, innerHeight, document.activeElement === s, scrollY]",
                vec![search.json()],
            )?;
            let f = |i: usize| r[i].as_f64().unwrap_or(-1.0);
            ensure!(
                f(0) >= 0.0 && f(1) <= f(2) && r[3] == json!(true),
                "{what}: the search box is not on screen and focusable: {r}"
            );
            ensure!(f(4) > 1000.0, "{what}: the page moved to {}", f(4));
            // Back to the top.
            b.execute("document.activeElement.blur(); return 1", vec![])?;
            let to_top = b.find(".to-top a")?;
            b.wait_until("the back-to-top control", WAIT, |_| to_top.is_displayed())?;
            to_top.click()?;
            b.wait_until("the top of the page", WAIT, |b| {
                Ok(b.execute("return scrollY", vec![])?.as_f64() == Some(0.0))
            })
            .map_err(|e| e.context(what.clone()))?;
        }
    }
    Ok(())
}

const FIGURE_TEXT_JS: &str = r#"
const out = [];
for (const svg of document.querySelectorAll('article figure svg')) {
  const vb = svg.viewBox.baseVal;
  const scale = svg.getBoundingClientRect().width / vb.width;
  for (const t of svg.querySelectorAll('text')) {
    out.push(parseFloat(t.getAttribute('font-size')) * scale);
  }
}
return out;
"#;

#[test]
fn figures_are_readable_and_open_full_screen() -> Result<()> {
    let site = build_site(kenshu_e2e::workspace_root())?;
    let server = StaticServer::serve(&site.out, "/")?;
    let b = Browser::start()?;
    for size in [PHONE, WIDE] {
        b.set_window_size(size.0, size.1)?;
        for dark in [false, true] {
            b.emulate_media(dark, true)?;
            let what = format!("{}px {}", size.0, if dark { "dark" } else { "light" });
            b.goto(&server.url_of("lectures/jissen.html"))?;
            let sizes: Vec<f64> = b
                .execute(FIGURE_TEXT_JS, vec![])?
                .as_array()
                .cloned()
                .unwrap_or_default()
                .iter()
                .filter_map(Value::as_f64)
                .collect();
            ensure!(sizes.len() >= 10, "{what}: figure text not found");
            let smallest = sizes.iter().cloned().fold(f64::INFINITY, f64::min);
            ensure!(
                smallest >= 11.9,
                "{what}: figure text as small as {smallest:.1} px"
            );
            ensure!(
                b.execute(
                    "return document.documentElement.scrollWidth <= innerWidth",
                    vec![]
                )? == json!(true),
                "{what}: the page scrolls sideways"
            );
            // Open the first figure, by click, and close it with Esc.
            let open = b.find("article figure .figure-open")?;
            open.click()?;
            b.wait_for("dialog.lightbox[open]", WAIT)?;
            let r = b.execute(
                "const d = document.querySelector('dialog.lightbox').getBoundingClientRect();
                 const t = document.querySelector('dialog.lightbox svg text');
                 const svg = t.ownerSVGElement;
                 return [d.width, d.height, innerWidth, innerHeight,
                   parseFloat(t.getAttribute('font-size')) * svg.getBoundingClientRect().width / svg.viewBox.baseVal.width]",
                vec![],
            )?;
            let f = |i: usize| r[i].as_f64().unwrap_or(0.0);
            ensure!(
                f(0) >= f(2) - 1.0 && f(1) >= f(3) - 1.0,
                "{what}: the viewer is {}×{}, not full-screen",
                f(0),
                f(1)
            );
            ensure!(f(4) >= 11.9, "{what}: text in the viewer is {} px", f(4));
            b.press(Key::Escape)?;
            b.wait_until("the viewer to close", WAIT, |b| {
                Ok(b.try_find("dialog.lightbox[open]")?.is_none())
            })?;
            ensure!(
                b.active_element()?
                    .same_as(&b.find("article figure .figure-open")?)?,
                "{what}: focus does not return to the figure"
            );
        }
    }
    // Keyboard: Tab to the button, Enter opens, zoom with +, Esc closes.
    let open = b.find("article figure .figure-open")?;
    b.execute("arguments[0].focus(); return 1", vec![open.json()])?;
    b.press(Key::Enter)?;
    b.wait_for("dialog.lightbox[open]", WAIT)?;
    let width = |b: &Browser| -> Result<f64> {
        Ok(b.execute(
            "return document.querySelector('.lightbox-canvas').getBoundingClientRect().width",
            vec![],
        )?
        .as_f64()
        .unwrap_or(0.0))
    };
    let before = width(&b)?;
    b.keys("+")?;
    b.wait_until("+ to zoom in", WAIT, |b| Ok(width(b)? > before * 1.1))?;
    b.press(Key::Escape)?;
    b.wait_until("the viewer to close", WAIT, |b| {
        Ok(b.try_find("dialog.lightbox[open]")?.is_none())
    })?;
    Ok(())
}

/// Cells of 4 characters or fewer that the browser broke over lines.
const WRAPPED_SHORT_CELLS_JS: &str = r#"
const bad = [];
for (const c of document.querySelectorAll('main td, main th')) {
  const t = c.textContent.replace(/\s+/g, '');
  if (!t || t.length > 4 || c.getBoundingClientRect().width === 0) continue;
  const r = document.createRange();
  r.selectNodeContents(c);
  const tops = new Set([...r.getClientRects()].filter(x => x.width > 0).map(x => Math.round(x.bottom)));
  if (tops.size > 1) bad.push(t);
}
return bad;
"#;

#[test]
fn tables_keep_short_words_whole_and_say_when_they_scroll() -> Result<()> {
    let site = build_site(kenshu_e2e::workspace_root())?;
    let server = StaticServer::serve(&site.out, "/")?;
    let b = Browser::start()?;
    b.set_window_size(WIDE.0, WIDE.1)?;
    let pages = [
        "index.html",
        "lectures/index.html",
        "lectures/rinen.html",
        "lectures/jissen.html",
        "cases/dokkyo.html",
        "lecturer/key.html",
        "progress.html",
    ];
    for dark in [false, true] {
        b.emulate_media(dark, true)?;
        for page in pages {
            b.goto(&server.url_of(page))?;
            let bad = b.execute(WRAPPED_SHORT_CELLS_JS, vec![])?;
            ensure!(
                bad.as_array().is_some_and(Vec::is_empty),
                "{page}: short cells broken over lines at 1280 px: {bad}"
            );
        }
    }
    // Phone: the lecture's points table scrolls, says so, shows its
    // caption above it and keeps its row headers (項目) in view.
    b.set_window_size(PHONE.0, PHONE.1)?;
    b.goto(&server.url_of("lectures/jissen.html"))?;
    let wrap = b.find(".table-wrap.is-scrollable")?;
    let hint = b.find(".scroll-hint")?;
    let cue = hint.text()?;
    ensure!(
        hint.is_displayed()? && cue.contains("横にスクロール"),
        "no visible cue that the table scrolls: {cue:?}"
    );
    let caption = b.execute(
        "const c = arguments[0].querySelector('caption'); return c ? c.textContent.trim() : ''",
        vec![wrap.json()],
    )?;
    let caption = caption.as_str().unwrap_or("");
    ensure!(
        caption.is_empty() || cue.contains(caption),
        "the caption {caption:?} is not shown above the scrolling table: {cue:?}"
    );
    ensure!(
        wrap.attr("tabindex")?.as_deref() == Some("0"),
        "the scrolling table cannot be reached by keyboard"
    );
    let r = b.execute(
        "const w = arguments[0]; w.scrollLeft = w.scrollWidth;
         const cell = w.querySelector('tbody tr th[scope=row]') || w.querySelector('tbody tr td, tbody tr th');
         return [w.getBoundingClientRect().left, cell.getBoundingClientRect().left, w.scrollLeft]",
        vec![wrap.json()],
    )?;
    let f = |i: usize| r[i].as_f64().unwrap_or(-1.0);
    ensure!(f(2) > 0.0, "the table did not scroll");
    ensure!(
        (f(1) - f(0)).abs() <= 2.0,
        "the row headers scrolled away ({} vs {})",
        f(1),
        f(0)
    );
    Ok(())
}

/// axe over what this file adds: the phone layout, open contents and the
/// open figure viewer, light and dark.
#[test]
fn reading_features_pass_axe() -> Result<()> {
    let axe = axe_source()?;
    let site = build_site(kenshu_e2e::workspace_root())?;
    let server = StaticServer::serve(&site.out, "/")?;
    let b = Browser::start()?;
    b.set_window_size(PHONE.0, PHONE.1)?;
    const RUN: &str = r#"
const done = arguments[arguments.length - 1];
if (!window.axe) { eval(arguments[0]); }
axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'] }, resultTypes: ['violations'] })
  .then(r => done(r.violations.map(v => v.id + ': ' + v.help + ' ' + v.nodes.slice(0, 3).map(n => n.target.join(' ')).join(', '))))
  .catch(e => done(['axe-error ' + e]));
"#;
    let mut failures = Vec::new();
    for dark in [false, true] {
        b.emulate_media(dark, true)?;
        let mode = if dark { "dark" } else { "light" };
        for page in ["index.html", "cases/index.html", "glossary.html"] {
            b.goto(&server.url_of(page))?;
            if let Some(s) = b.try_find("main .toc summary")? {
                s.click()?;
            }
            if let Some(s) = b.try_find(".kana-index summary")? {
                s.click()?;
            }
            for v in b
                .execute_async(RUN, vec![json!(axe)])?
                .as_array()
                .cloned()
                .unwrap_or_default()
            {
                failures.push(format!("{page} 390px {mode}: {v}"));
            }
        }
        b.goto(&server.url_of("lectures/jissen.html"))?;
        b.find("article figure .figure-open")?.click()?;
        b.wait_for("dialog.lightbox[open]", WAIT)?;
        for v in b
            .execute_async(RUN, vec![json!(axe)])?
            .as_array()
            .cloned()
            .unwrap_or_default()
        {
            failures.push(format!("figure viewer {mode}: {v}"));
        }
    }
    ensure!(failures.is_empty(), "axe:\n{}", failures.join("\n"));
    Ok(())
}
