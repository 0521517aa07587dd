//! Site search on the real course, as a trainee uses it: over http under a
//! sub-path and from file:// (the index is a classic script, no fetch),
//! with the mouse and keyboard only, full-width input and a 320 px phone.

use std::path::PathBuf;
use std::time::Duration;

use kenshu_e2e::{
    axe_source, build_site, ensure, file_url, Browser, BuiltSite, Key, Result, StaticServer,
};
use serde_json::{json, Value};

fn course_root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("..")
}

const WAIT: Duration = Duration::from_secs(10);

/// Types `query` into the search box (clicking it first) and waits for the
/// result summary; returns the summary text.
fn search(b: &Browser, query: &str) -> Result<String> {
    let input = b.find("input[type=search]")?;
    input.click()?;
    b.execute(
        "const i = document.querySelector('input[type=search]'); i.value = ''; i.dispatchEvent(new Event('input'));",
        vec![],
    )?;
    b.wait_until("the old results to close", WAIT, |b| {
        Ok(!b.find("#search-results")?.is_displayed()?)
    })?;
    b.keys(query)?;
    b.wait_until("search results", WAIT, |b| {
        let panel = b.find("#search-results")?;
        Ok(panel.is_displayed()? && !b.find(".search-summary")?.text()?.is_empty())
    })?;
    b.find(".search-summary")?.text()
}

/// The `href` property (absolute) of every result link.
fn result_links(b: &Browser) -> Result<Vec<String>> {
    let v = b.execute(
        "return Array.from(document.querySelectorAll('.search-list a')).map(a => a.href)",
        vec![],
    )?;
    Ok(v.as_array()
        .cloned()
        .unwrap_or_default()
        .iter()
        .filter_map(|x| x.as_str().map(str::to_string))
        .collect())
}

/// Text of the section the URL's fragment points at: from the :target
/// heading up to the next heading of the same or a higher level.
const TARGET_SECTION_JS: &str = r#"
const t = document.querySelector(':target');
if (!t) return null;
const level = /^H[1-6]$/.test(t.tagName) ? +t.tagName[1] : 7;
let text = t.textContent;
for (let e = t.nextElementSibling; e; e = e.nextElementSibling) {
  if (/^H[1-6]$/.test(e.tagName) && +e.tagName[1] <= level) break;
  text += '\n' + e.textContent;
}
return text;
"#;

/// Searching for リエゾン finds the lecture's section on the term, and the
/// first result opens a page whose targeted section contains it.
fn finds_and_opens(b: &Browser, home: &str, base: &str) -> Result<()> {
    b.goto(home)?;
    let form = b.find("form[role=search]")?;
    ensure!(form.is_displayed()?, "the search form is not shown");
    let input = b.find("input[type=search]")?;
    ensure!(
        b.accessible_name(&input)? == "サイト内検索",
        "search box name: {}",
        b.accessible_name(&input)?
    );
    let summary = search(b, "リエゾン")?;
    ensure!(summary.ends_with("件見つかりました"), "summary: {summary}");
    let status = b.find("[role=status]")?.text()?;
    ensure!(
        b.execute(
            "return document.querySelector('[role=status]').textContent",
            vec![]
        )? == json!(summary),
        "the live region says {status:?}, not {summary:?}"
    );
    let links = result_links(b)?;
    ensure!(!links.is_empty(), "no result links");
    ensure!(
        links.iter().all(|l| l.starts_with(base)),
        "a result leaves the site: {links:?}"
    );
    ensure!(
        links
            .iter()
            .any(|l| l.ends_with("lectures/jissen.html#liaison")),
        "the lecture's section on リエゾン is not among the results: {links:?}"
    );
    let marks = b.find_all(".search-list mark")?;
    ensure!(!marks.is_empty(), "no highlighted match");
    ensure!(
        marks[0].text()? == "リエゾン",
        "highlighted: {}",
        marks[0].text()?
    );
    let first = links[0].clone();
    b.find(".search-list a")?.click()?;
    b.wait_until("the result's page", WAIT, |b| Ok(b.current_url()? == first))?;
    ensure!(
        first.contains('#'),
        "the first result has no section: {first}"
    );
    let section = b.execute(TARGET_SECTION_JS, vec![])?;
    let section = section.as_str().unwrap_or("");
    ensure!(
        section.contains("リエゾン"),
        "the targeted section of {first} does not contain リエゾン: {section:?}"
    );
    b.assert_no_errors()?;
    Ok(())
}

fn no_match_and_full_width(b: &Browser, home: &str) -> Result<()> {
    b.goto(home)?;
    let summary = search(b, "存在しない語ぱぴぷぺぽ")?;
    ensure!(summary == "見つかりませんでした", "summary: {summary}");
    ensure!(
        b.find_all(".search-list li")?.is_empty(),
        "results for nothing"
    );
    // Full-width Latin letters find half-width text (NFKC).
    let summary = search(b, "ＳＳＷ")?;
    ensure!(
        summary.ends_with("件見つかりました"),
        "ＳＳＷ: {summary} (typed: {})",
        b.find("input[type=search]")?.property("value")?
    );
    let marks: Vec<String> = b
        .find_all(".search-list mark")?
        .iter()
        .map(|m| m.text())
        .collect::<Result<_>>()?;
    ensure!(marks.iter().any(|m| m == "SSW"), "marks: {marks:?}");
    // Half-width katakana with a separate voicing mark finds リエゾン.
    let summary = search(b, "ﾘｴｿﾞﾝ")?;
    ensure!(summary.ends_with("件見つかりました"), "ﾘｴｿﾞﾝ: {summary}");
    // Several terms must all match: one that matches nothing empties the list.
    let summary = search(b, "リエゾン ぱぴぷぺぽ")?;
    ensure!(summary == "見つかりませんでした", "two terms: {summary}");
    b.assert_no_errors()?;
    Ok(())
}

fn site() -> Result<BuiltSite> {
    build_site(course_root())
}

#[test]
fn search_over_http_under_a_sub_path() -> Result<()> {
    let site = site()?;
    let server = StaticServer::serve(&site.out, "/intranet/kenshu/")?;
    let b = Browser::start()?;
    // From a page one folder down, so `root` is `../`.
    finds_and_opens(&b, &server.url_of("cases/dokkyo.html"), &server.url())?;
    no_match_and_full_width(&b, &server.url_of("index.html"))?;
    ensure!(
        server.failed_requests().is_empty(),
        "failed requests: {:?}",
        server.failed_requests()
    );
    Ok(())
}

#[test]
fn search_from_disk() -> Result<()> {
    let site = site()?;
    let b = Browser::start()?;
    let base = file_url(&site.out)?;
    finds_and_opens(&b, &file_url(site.path("cases/dokkyo.html"))?, &base)?;
    no_match_and_full_width(&b, &file_url(site.path("index.html"))?)?;
    Ok(())
}

#[test]
fn keyboard_only() -> Result<()> {
    let site = site()?;
    let server = StaticServer::serve(&site.out, "/")?;
    let b = Browser::start()?;
    b.goto(&server.url_of("glossary.html"))?;
    let mut reached = false;
    for _ in 0..6 {
        b.press(Key::Tab)?;
        if b.active_element()?.attr("type")?.as_deref() == Some("search") {
            reached = true;
            break;
        }
    }
    ensure!(reached, "Tab does not reach the search box");
    let input = b.active_element()?;
    ensure!(
        input.css("outline-style")? != "none",
        "no visible focus on the search box"
    );
    b.keys("リエゾン")?;
    b.wait_until("results", WAIT, |b| {
        Ok(!b.find_all(".search-list a")?.is_empty())
    })?;
    let links = result_links(&b)?;
    b.press(Key::ArrowDown)?;
    let focused = b.active_element()?;
    ensure!(
        focused.property("href")?.as_str() == links.first().map(String::as_str),
        "↓ does not move to the first result"
    );
    ensure!(
        focused.css("outline-style")? != "none",
        "no visible focus on a result"
    );
    // ↓ ↑ move through the results and back to the box.
    if links.len() > 1 {
        b.press(Key::ArrowDown)?;
        ensure!(
            b.active_element()?.property("href")?.as_str() == Some(links[1].as_str()),
            "second ↓"
        );
        b.press(Key::ArrowUp)?;
    }
    b.press(Key::ArrowUp)?;
    ensure!(
        b.active_element()?.attr("type")?.as_deref() == Some("search"),
        "↑ from the first result does not return to the box"
    );
    // Esc closes the results and keeps the focus in the box.
    b.press(Key::Escape)?;
    ensure!(
        !b.find("#search-results")?.is_displayed()?,
        "Esc leaves the results open"
    );
    b.press(Key::ArrowDown)?;
    b.wait_until("results again", WAIT, |b| {
        b.find("#search-results")?.is_displayed()
    })?;
    ensure!(
        b.active_element()?.property("href")?.as_str() == links.first().map(String::as_str),
        "↓ after Esc"
    );
    b.press(Key::Enter)?;
    let want = links[0].clone();
    b.wait_until("the result's page", WAIT, |b| Ok(b.current_url()? == want))?;
    let section = b.execute(TARGET_SECTION_JS, vec![])?;
    ensure!(
        section.as_str().is_some_and(|s| s.contains("リエゾン")),
        "Enter did not open the section: {section}"
    );
    // Enter in the box opens the first result.
    b.goto(&server.url_of("index.html"))?;
    search(&b, "リエゾン")?;
    let first = result_links(&b)?.first().cloned().unwrap_or_default();
    b.press(Key::Enter)?;
    b.wait_until("the first result", WAIT, |b| Ok(b.current_url()? == first))?;
    b.assert_no_errors()?;
    Ok(())
}

#[test]
fn works_on_a_320_px_phone_in_light_and_dark() -> Result<()> {
    let site = site()?;
    let server = StaticServer::serve(&site.out, "/")?;
    let b = Browser::start()?;
    b.set_window_size(320, 800)?;
    let shots = std::env::var_os("KENSHU_SEARCH_SHOTS").map(PathBuf::from);
    for dark in [false, true] {
        b.emulate_media(dark, false)?;
        for page in ["index.html", "lectures/jissen.html"] {
            b.goto(&server.url_of(page))?;
            search(&b, "連携")?;
            let r: Value = b.execute(
                "return [document.documentElement.scrollWidth, document.documentElement.clientWidth,
                         document.querySelector('#search-results').getBoundingClientRect().right]",
                vec![],
            )?;
            let (scroll, client) = (r[0].as_f64().unwrap_or(0.0), r[1].as_f64().unwrap_or(0.0));
            let right = r[2].as_f64().unwrap_or(f64::MAX);
            ensure!(
                client > 0.0 && scroll <= client && right <= client,
                "{page}: search results overflow 320 px ({scroll}, {right} > {client})"
            );
            // Result text is readable (contrast is checked on every page in
            // theme.rs; here on the open results): title, heading, snippet, mark.
            let low = b.execute(
                r#"
function rgb(s) {
  const m = s.match(/color\(srgb ([^)]+)\)/);
  if (m) { const p = m[1].split(/[ \/]+/).filter(Boolean).map(Number); return [p[0] * 255, p[1] * 255, p[2] * 255, p.length > 3 ? p[3] : 1]; }
  return s.match(/[\d.]+/g).map(Number);
}
function lum(c) { const f = v => { v /= 255; return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4); };
  return 0.2126 * f(c[0]) + 0.7152 * f(c[1]) + 0.0722 * f(c[2]); }
function bg(e) { for (; e; e = e.parentElement) { const c = rgb(getComputedStyle(e).backgroundColor); if (c.length < 4 || c[3] > 0) return c; } return [255,255,255]; }
const bad = [];
for (const el of document.querySelectorAll('.search-summary, .search-result-title, .search-result-heading, .search-result-snippet, .search-list mark')) {
  const a = lum(rgb(getComputedStyle(el).color)), b = lum(bg(el));
  const r = (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05);
  if (r < 4.5) bad.push(el.className + ' ' + el.textContent.slice(0, 10) + ' ' + r.toFixed(2));
}
return bad;"#,
                vec![],
            )?;
            ensure!(
                low.as_array().is_some_and(|a| a.is_empty()),
                "{page} (dark: {dark}): low contrast: {low}"
            );
            if let Some(dir) = &shots {
                b.screenshot_png(dir.join(format!(
                    "search-320-{}-{}.png",
                    if dark { "dark" } else { "light" },
                    page.replace('/', "-")
                )))?;
            }
        }
    }
    if let Some(dir) = &shots {
        for (w, dark) in [(1280, false), (1280, true), (390, false), (390, true)] {
            b.set_window_size(w, 900)?;
            b.emulate_media(dark, false)?;
            b.goto(&server.url_of("lectures/jissen.html"))?;
            search(&b, "リエゾン")?;
            b.screenshot_png(dir.join(format!(
                "search-{w}-{}.png",
                if dark { "dark" } else { "light" }
            )))?;
        }
    }
    Ok(())
}

/// Without JavaScript nothing of the search shows (it would not work).
#[test]
fn hidden_without_javascript() -> Result<()> {
    let site = site()?;
    let html = site.read("lectures/jissen.html")?;
    ensure!(
        html.contains("<div class=\"site-search\" data-root=\"../\" hidden>"),
        "the search is not hidden in the HTML, or the root is wrong"
    );
    let index = site.read("assets/search-index.js")?;
    ensure!(
        index.starts_with("window.KENSHU_SEARCH=")
            && index.contains("\"u\":\"lectures/jissen.html\""),
        "index: {}",
        &index[..index.len().min(200)]
    );
    Ok(())
}

/// The open results (with highlights, on a wide and a phone screen, light
/// and dark) pass axe's WCAG A/AA rules, contrast included.
#[test]
fn open_results_pass_axe() -> Result<()> {
    let axe = axe_source()?;
    let site = site()?;
    let server = StaticServer::serve(&site.out, "/")?;
    let b = Browser::start()?;
    let mut failures = Vec::new();
    for (width, dark) in [(1280, false), (1280, true), (390, false), (390, true)] {
        b.set_window_size(width, 900)?;
        b.emulate_media(dark, false)?;
        b.goto(&server.url_of("lectures/jissen.html"))?;
        search(&b, "リエゾン")?;
        let v: Value = b.execute_async(
            r#"
const done = arguments[arguments.length - 1];
if (!window.axe) { eval(arguments[0]); }
axe.run(document.querySelector('.site-header'), {
  runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'] },
  resultTypes: ['violations'],
}).then(r => done(r.violations.map(v => v.id + ': ' + v.nodes.slice(0, 3).map(n => n.target.join(' ')).join(', '))))
  .catch(e => done(['axe-error: ' + e]));
"#,
            vec![json!(axe)],
        )?;
        for violation in v.as_array().cloned().unwrap_or_default() {
            failures.push(format!("{width} px, dark {dark}: {violation}"));
        }
    }
    ensure!(failures.is_empty(), "axe: {failures:#?}");
    Ok(())
}

/// A result whose words are in the collapsed 講師メモ of its section opens
/// that block, so the words are on screen; a plain visit leaves it closed.
#[test]
fn opens_the_collapsed_notes_that_matched() -> Result<()> {
    let site = site()?;
    let server = StaticServer::serve(&site.out, "/kenshu/")?;
    let b = Browser::start()?;
    let page = server.url_of("lectures/jissen.html");
    let open_notes = "return Array.from(document.querySelectorAll('details.speaker-notes[open]')).map(d => d.textContent)";
    b.goto(&format!("{page}#kansetsu-chokusetsu"))?;
    ensure!(
        b.execute(open_notes, vec![])? == json!([]),
        "notes open on a plain visit"
    );
    b.goto(&server.url_of("index.html"))?;
    search(&b, "リエゾン")?;
    let want = format!("{page}#kansetsu-chokusetsu");
    let links = result_links(&b)?;
    let Some(at) = links.iter().position(|l| *l == want) else {
        return Err(kenshu_e2e::Error::new(format!(
            "no result for the section whose notes mention リエゾン: {links:?}"
        )));
    };
    b.find_all(".search-list a")?[at].click()?;
    b.wait_until("the section", WAIT, |b| Ok(b.current_url()? == want))?;
    let open = b.execute(open_notes, vec![])?;
    let open: Vec<&str> = open
        .as_array()
        .map(|a| a.iter().filter_map(Value::as_str).collect())
        .unwrap_or_default();
    ensure!(
        open.len() == 1 && open[0].contains("リエゾン"),
        "the matching notes are not open: {open:?}"
    );
    b.assert_no_errors()?;
    Ok(())
}
