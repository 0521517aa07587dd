//! Site search on the real course, as a trainee uses it: over http under a
//! sub-path and from file:// (the index is a classic script, no fetch),
//! with the mouse and keyboard only, full-width input and a 320 px phone.

use std::path::PathBuf;
use std::time::Duration;

use kenshu::render::search::tokenize;
use kenshu_e2e::{
    axe_source, build_site, ensure, file_url, Browser, BuiltSite, Key, Result, StaticServer,
    TempDir,
};
use serde_json::{json, Value};

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
        let done = b.execute(
            "return document.querySelector('#search-results').getAttribute('data-query') === document.querySelector('input[type=search]').value",
            vec![],
        )?;
        Ok(done == json!(true)
            && panel.is_displayed()?
            && !b.find(".search-summary")?.text()?.is_empty())
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

/// The links of the results for `query`, relative to `base`.
fn links_for(b: &Browser, base: &str, query: &str) -> Result<Vec<String>> {
    ranked(b, base, query)
}

/// What people type finds what the course says: long-vowel marks, small
/// kana, ヴ, half width; a glossary term by its reading or its romaji; a
/// misspelt word offers もしかして; 連携 shows different pages on top.
#[test]
fn search_forgives_spelling() -> Result<()> {
    let site = site()?;
    let server = StaticServer::serve(&site.out, "/kenshu/")?;
    let b = Browser::start()?;
    let base = server.url();
    b.goto(&server.url_of("index.html"))?;
    let written = links_for(&b, &base, "ケアマネジャー")?;
    ensure!(!written.is_empty(), "ケアマネジャー finds nothing");
    for typed in ["ケアマネージャー", "ｹｱﾏﾈｰｼﾞｬｰ", "けあまねじゃー"]
    {
        let got = links_for(&b, &base, typed)?;
        ensure!(
            got == written,
            "{typed}: {got:?}\nケアマネジャー: {written:?}"
        );
    }
    // A reading, in kana or romaji (with or without the long vowel), finds its term.
    for (typed, want) in [
        ("renkei", "glossary.html#renkei"),
        ("れんけい", "glossary.html#renkei"),
        ("RENKEI", "glossary.html#renkei"),
        ("kyodo", "glossary.html#kyodo"),
        ("kyoudou", "glossary.html#kyodo"),
        ("chokusetsuteki", "glossary.html#chokusetsuteki-shien"),
    ] {
        let got = links_for(&b, &base, typed)?;
        ensure!(
            got.first().map(String::as_str) == Some(want),
            "{typed}: {got:?}"
        );
    }
    // The top three of 連携 are three different pages.
    let got = links_for(&b, &base, "連携")?;
    let pages: Vec<&str> = got
        .iter()
        .take(3)
        .map(|l| l.split('#').next().unwrap_or(""))
        .collect();
    ensure!(
        pages.len() == 3 && pages[0] != pages[1] && pages[1] != pages[2] && pages[0] != pages[2],
        "連携's top three: {got:?}"
    );
    // A misspelling finds nothing but offers the word; a tap searches for it.
    for (typed, offered) in [
        ("renkie", "renkei"),
        ("リエゾソ", "リエゾ"),
        ("連携 ぱぴぷぺぽ", "連携"),
    ] {
        let summary = search(&b, typed)?;
        ensure!(summary == "見つかりませんでした", "{typed}: {summary}");
        b.wait_until("もしかして", WAIT, |b| {
            b.find(".search-suggest")?.is_displayed()
        })?;
        let text = b.execute(
            "return document.querySelector('.search-suggest').textContent",
            vec![],
        )?;
        ensure!(
            text == json!(format!("もしかして：{offered}")),
            "{typed}: {text}"
        );
        let status = b.find("[role=status]")?.property("textContent")?;
        ensure!(
            status
                .as_str()
                .is_some_and(|s| s.ends_with(&format!("もしかして：{offered}"))),
            "the live region says {status}"
        );
    }
    if let Some(dir) = std::env::var_os("KENSHU_SEARCH_SHOTS").map(PathBuf::from) {
        for (w, h) in [(390, 844), (1280, 900)] {
            b.set_window_size(w, h)?;
            for dark in [false, true] {
                b.emulate_media(dark, false)?;
                let mode = if dark { "dark" } else { "light" };
                for (name, q) in [("suggest", "renkie"), ("spread", "連携")] {
                    b.goto(&server.url_of("lectures/jissen.html"))?;
                    search(&b, q)?;
                    if name == "suggest" {
                        b.wait_until("もしかして", WAIT, |b| {
                            b.find(".search-suggest")?.is_displayed()
                        })?;
                    }
                    b.screenshot_png(dir.join(format!("search-{name}-{w}-{mode}.png")))?;
                }
            }
        }
        b.emulate_media(false, false)?;
        search(&b, "連携 ぱぴぷぺぽ")?;
        b.wait_until("もしかして", WAIT, |b| {
            b.find(".search-suggest")?.is_displayed()
        })?;
    }
    b.find(".search-suggest-link")?.click()?;
    b.wait_until("the offered word's results", WAIT, |b| {
        Ok(
            b.find("input[type=search]")?.property("value")? == json!("連携")
                && !b.find_all(".search-list a")?.is_empty(),
        )
    })?;
    b.assert_no_errors()?;
    Ok(())
}

fn site() -> Result<BuiltSite> {
    build_site(kenshu_e2e::workspace_root())
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
    let meta = site.read("assets/search/meta.js")?;
    ensure!(
        meta.starts_with("KENSHU_SEARCH_ADD(\"meta\",0,{"),
        "meta: {}",
        &meta[..meta.len().min(200)]
    );
    let text = site.read("assets/search/text/0.js")?;
    ensure!(
        text.starts_with("KENSHU_SEARCH_ADD(\"text\",0,{") && text.contains("\"index.html\""),
        "first text chunk: {}",
        &text[..text.len().min(200)]
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

/// The browser's tokenizer (search.js) gives the same terms, and puts them
/// in the same shards, as the index's (tokenize.rs) on the same strings.
#[test]
fn tokenizer_matches_the_browser() -> Result<()> {
    let strings = [
        "「連携」と「協働」の概念整理",
        "ソーシャルワーカーが地域包括支援センターへつなぐ",
        "ﾘｴｿﾞﾝ・ｿｰｼｬﾙﾜｰｶｰ ｶﾞｲﾄﾞ",
        "ＩＨ調理器とＳＳＷ、２０２６年４月",
        "Coordination, LIAISON & Case-Work (2nd ed.)",
        "Ⅻ ① ㈱ ㌔ ﬁnance Straße ΟΔΟΣ İstanbul",
        "café cafe\u{301} naïve e\u{301}",
        "𠮷野家の𩸽と々〆〇、ヶ月",
        "한국어 사회복지",
        "emoji 😀 と tab\there\u{3000}全角空白",
        "ケアマネージャー ｹｱﾏﾈｰｼﾞｬｰ ヴァイオリン ヴ ヴゥ ウィ ヂヅ ぢづ ヶ月 ㇰ ヷヸヹヺ",
        "人々 いすゞ こゝろ ほゞ まゞ 々 ゞ ヽヾ は々 ー ーー",
        "ｳﾞｧ ｳﾞ ﾁﾞ ｯ ｧ",
        "x",
        "",
    ];
    let site = build_site(kenshu_e2e::workspace_root())?;
    let b = Browser::start()?;
    b.goto(&file_url(site.path("index.html"))?)?;
    for s in strings {
        let js = b.execute(
            "return window.KENSHU_SEARCH_TERMS(arguments[0]).map(t => [t, window.KENSHU_SEARCH_SHARD(t, 1024)])",
            vec![json!(s)],
        )?;
        let want: Vec<Value> = tokenize::terms(s)
            .into_iter()
            .map(|t| json!([t, tokenize::shard_of(&t, 1024)]))
            .collect();
        ensure!(
            js == json!(want),
            "terms of {s:?}:\n  browser {js}\n  index   {}",
            json!(want)
        );
    }
    Ok(())
}

fn write_page(dir: &TempDir, rel: &str, text: &str) -> Result<()> {
    dir.write(format!("content/{rel}"), text).map(|_| ())
}

/// A small site whose pages are made to be told apart by rank: a query's
/// title match, heading match and text match, phrase order, variants.
fn ranking_site() -> Result<TempDir> {
    let dir = TempDir::new("search-rank")?;
    dir.write("site.toml", "title = \"検索の順位\"\n")?;
    write_page(
        &dir,
        "index.md",
        "# 検索の順位\n\nこのサイトは検索の試験用です。\n",
    )?;
    write_page(
        &dir,
        "01-text.md",
        "# 本文のページ\n\n## 概要\n\n支援者の間のリエゾンが大切です。会議で連携を確かめます。\n",
    )?;
    write_page(
        &dir,
        "02-heading.md",
        "# 見出しのページ\n\n## リエゾンの役割 {#role}\n\n橋渡しをする人のことです。\n",
    )?;
    write_page(
        &dir,
        "03-title.md",
        "# リエゾン入門\n\nはじめに読むページです。\n\n## 背景\n\n地域のソーシャルワーカーと学校をつなぎます。\n",
    )?;
    write_page(
        &dir,
        "04-order.md",
        "# 順序のページ\n\n## 事例\n\n連携会議を月に一度開きます。\n",
    )?;
    write_page(
        &dir,
        "06-comment.md",
        "# 注釈のページ\n\n見える本文です。<!-- hiddeninline -->\n\n<!--\nFormatted print\n-->\n",
    )?;
    write_page(
        &dir,
        "05-english.md",
        "# English notes\n\n## Terms {#terms}\n\nCoordination between agencies; see also IH cooking.\n",
    )?;
    Ok(dir)
}

/// What a user sees for each query: the result links, in order, relative
/// to the site (`page.html#anchor`).
fn ranked(b: &Browser, base: &str, query: &str) -> Result<Vec<String>> {
    search(b, query)?;
    let base = b.execute("return decodeURIComponent(arguments[0])", vec![json!(base)])?;
    let base = base.as_str().unwrap_or_default().to_string();
    let links = b.execute(
        "return Array.from(document.querySelectorAll('.search-list a')).map(a => decodeURIComponent(a.href))",
        vec![],
    )?;
    Ok(links
        .as_array()
        .cloned()
        .unwrap_or_default()
        .iter()
        .filter_map(Value::as_str)
        .map(|l| l.strip_prefix(base.as_str()).unwrap_or(l).to_string())
        .collect())
}

fn check_ranking(b: &Browser, home: &str, base: &str) -> Result<()> {
    b.goto(home)?;
    let cases: &[(&str, &[&str])] = &[
        // Title, then heading, then text.
        (
            "リエゾン",
            &["title.html", "heading.html#role", "text.html#概要"],
        ),
        // Half-width katakana with voicing marks is the same word.
        (
            "ﾘｴｿﾞﾝ",
            &["title.html", "heading.html#role", "text.html#概要"],
        ),
        // A katakana compound, by a part of it.
        ("ワーカー", &["title.html#背景"]),
        ("ｿｰｼｬﾙﾜｰｶｰ", &["title.html#背景"]),
        // One kanji.
        ("橋", &["heading.html#role"]),
        // Kana only.
        ("つなぎます", &["title.html#背景"]),
        // Two words: both must match; the page with them in the order
        // typed comes first.
        ("連携 会議", &["order.html#事例", "text.html#概要"]),
        ("会議 連携", &["text.html#概要", "order.html#事例"]),
        ("リエゾン 存在しない", &[]),
        // English: any case, full width, the start of a word.
        ("coordination", &["english.html#terms"]),
        ("ＣＯＯＲＤ", &["english.html#terms"]),
        ("ih", &["english.html#terms"]),
        ("English", &["english.html"]),
        // Text in HTML comments is neither indexed nor shown.
        ("Formatted", &[]),
        ("hiddeninline", &[]),
        ("見える本文", &["comment.html"]),
    ];
    let mut wrong = Vec::new();
    for (query, want) in cases {
        let got = ranked(b, base, query)?;
        if got != *want {
            wrong.push(format!("{query}: got {got:?}, want {want:?}"));
        }
    }
    ensure!(wrong.is_empty(), "{home}:\n{}", wrong.join("\n"));
    b.assert_no_errors()?;
    Ok(())
}

/// Japanese and English queries find the expected pages in the expected
/// order, at a domain root, under a sub-path and from disk.
#[test]
fn ranks_title_heading_text_everywhere() -> Result<()> {
    let dir = ranking_site()?;
    let site = build_site(dir.path())?;
    let b = Browser::start()?;
    let root = StaticServer::serve(&site.out, "/")?;
    check_ranking(&b, &root.url_of("index.html"), &root.url())?;
    let sub = StaticServer::serve(&site.out, "/intranet/kenshu/")?;
    check_ranking(&b, &sub.url_of("order.html"), &sub.url())?;
    let base = file_url(&site.out)?;
    let base = if base.ends_with('/') {
        base
    } else {
        format!("{base}/")
    };
    check_ranking(&b, &file_url(site.path("heading.html"))?, &base)?;
    for server in [&root, &sub] {
        ensure!(
            server.failed_requests().is_empty(),
            "failed requests: {:?}",
            server.failed_requests()
        );
    }
    Ok(())
}

/// A deterministic site of `pages` pages with varied Japanese and English
/// words, so that its index has many shards.
fn big_site(pages: usize) -> Result<TempDir> {
    const KANJI: &str = "連携協働支援会議地域包括相談援助計画評価家族学校病院福祉介護医療保健行政司法教育就労住宅生活経済心理社会制度権利擁護虐待防止居場所見守訪問調整役割共有";
    const KANA: &[&str] = &[
        "ケース",
        "チーム",
        "ネットワーク",
        "アセスメント",
        "カンファレンス",
        "モニタリング",
        "プラン",
        "サービス",
    ];
    const EN: &[&str] = &[
        "coordination",
        "liaison",
        "advocacy",
        "outreach",
        "referral",
        "mediation",
        "teamwork",
        "inclusion",
    ];
    let kanji: Vec<char> = KANJI.chars().collect();
    let dir = TempDir::new("search-big")?;
    dir.write("site.toml", "title = \"大きなサイト\"\n")?;
    write_page(&dir, "index.md", "# 大きなサイト\n\n索引の試験です。\n")?;
    let mut x: u64 = 42;
    let mut next = |m: usize| {
        x = x
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        ((x >> 33) as usize) % m
    };
    for p in 1..pages {
        let mut body = format!("# 第{p}節\n\n");
        for h in 0..3 {
            body.push_str(&format!("## 項目{h}\n\n"));
            for _ in 0..6 {
                let a = kanji[next(kanji.len())];
                let b = kanji[next(kanji.len())];
                body.push_str(&format!(
                    "{a}{b}の{}と{}。",
                    KANA[next(KANA.len())],
                    EN[next(EN.len())]
                ));
            }
            body.push_str(&format!("番号{}。\n\n", next(100_000)));
        }
        write_page(&dir, &format!("p/{p:04}.md"), &body)?;
    }
    write_page(
        &dir,
        "p/9999-needle.md",
        "# 針のページ\n\n## 探し物 {#needle}\n\nここにだけ「唯一無二」という言葉があります。\n",
    )?;
    Ok(dir)
}

/// On a 2,000-page site one query loads a few of the index's shards and
/// only the text of the results it shows — and finds the right page.
#[test]
fn a_query_loads_a_small_part_of_a_big_index() -> Result<()> {
    let dir = big_site(2000)?;
    let site = build_site(dir.path())?;
    let shards = std::fs::read_dir(site.path("assets/search/shard"))
        .map_err(|e| kenshu_e2e::Error::new(format!("shard folder: {e}")))?
        .count();
    let texts = std::fs::read_dir(site.path("assets/search/text"))
        .map_err(|e| kenshu_e2e::Error::new(format!("text folder: {e}")))?
        .count();
    ensure!(shards >= 16, "only {shards} shards for 2,000 pages");
    let server = StaticServer::serve(&site.out, "/")?;
    let b = Browser::start()?;
    b.goto(&server.url_of("index.html"))?;
    let got = ranked(&b, &server.url(), "唯一無二")?;
    ensure!(got == ["p/needle.html#needle"], "唯一無二: {got:?}");
    let loaded = |dir: &str| {
        server
            .requests()
            .iter()
            .filter(|r| r.target.starts_with(&format!("/assets/search/{dir}/")))
            .count()
    };
    ensure!(
        loaded("shard") <= 3 && loaded("text") == 1,
        "one rare word loaded {} of {shards} shards and {} of {texts} text chunks",
        loaded("shard"),
        loaded("text")
    );
    // A common word: still a few shards, and text for the 20 results shown.
    let got = ranked(&b, &server.url(), "チーム")?;
    ensure!(got.len() == 20, "チーム: {} results", got.len());
    let summary = b.find(".search-summary")?.text()?;
    ensure!(summary.contains("（上位20件を表示）"), "summary: {summary}");
    ensure!(
        loaded("shard") <= 6 && loaded("text") <= 1 + 20,
        "after チーム: {} of {shards} shards, {} of {texts} text chunks",
        loaded("shard"),
        loaded("text")
    );
    b.assert_no_errors()?;
    Ok(())
}

/// For bench/search.sh (not a test): runs 20 queries on the site in
/// KENSHU_BENCH_SITE and prints what each fetched (gzip-equivalent bytes)
/// and how long it took.
#[test]
#[ignore]
fn bench_queries() -> Result<()> {
    let Some(out) = std::env::var_os("KENSHU_BENCH_SITE").map(PathBuf::from) else {
        return Ok(());
    };
    let pagefind = std::env::var_os("KENSHU_BENCH_PAGEFIND").is_some();
    let queries = [
        "連携",
        "リエゾン",
        "ソーシャルワーカー",
        "地域包括支援センター",
        "見守り",
        "ヤングケアラー",
        "情報の共有",
        "連携 会議",
        "ｹｱﾏﾈｼﾞｬｰ",
        "つなぐ",
        "支援",
        "家族",
        "coordination",
        "liaison",
        "Advocacy",
        "第5部",
        "役割 明確化",
        "虐待",
        "８０５０",
        "重要な点",
    ];
    let server = StaticServer::serve(&out, "/")?;
    let b = Browser::start()?;
    b.goto(&server.url_of("index.html"))?;
    let mut gz_cache: std::collections::HashMap<String, u64> = Default::default();
    let mut gz = |target: &str| -> u64 {
        let rel = target
            .trim_start_matches('/')
            .split('?')
            .next()
            .unwrap_or("")
            .to_string();
        if let Some(n) = gz_cache.get(&rel) {
            return *n;
        }
        let path = out.join(&rel);
        let n = if pagefind && rel.starts_with("pagefind/") {
            // Pagefind's index files are compressed already.
            std::fs::metadata(&path).map_or(0, |m| m.len())
        } else {
            std::process::Command::new("gzip")
                .arg("-c6")
                .arg(&path)
                .output()
                .map_or(0, |o| o.stdout.len() as u64)
        };
        gz_cache.insert(rel, n);
        n
    };
    let seen_before = server.requests().len();
    let mut first = true;
    let mut further = Vec::new();
    let mut seen = seen_before;
    for q in queries {
        let js = if pagefind {
            r#"const done = arguments[arguments.length - 1];
const t0 = performance.now();
(window.__pf ? Promise.resolve(window.__pf) : import('./pagefind/pagefind.js').then(pf => { window.__pf = pf; return pf.init().then(() => pf); }))
  .then(pf => pf.search(arguments[0]))
  .then(r => Promise.all(r.results.slice(0, 20).map(x => x.data())).then(d => done([r.results.length, performance.now() - t0])))
  .catch(e => done(['error', String(e)]));"#
        } else {
            r#"const done = arguments[arguments.length - 1];
const t0 = performance.now();
const go = () => window.KENSHU_SEARCH_RUN(arguments[0]).then(r => done([r.length, performance.now() - t0]));
if (window.KENSHU_SEARCH_RUN) go().catch(e => done(['error', String(e)]));
else done(['error', 'no search.js']);"#
        };
        // The search code itself counts for the first query.
        let v = b.execute_async(js, vec![json!(q)])?;
        let reqs = server.requests();
        let mut bytes: u64 = reqs[seen..].iter().map(|r| gz(&r.target)).sum();
        let files = reqs.len() - seen;
        if first {
            bytes += if pagefind { 0 } else { gz("assets/search.js") };
        }
        seen = reqs.len();
        println!(
            "query {q}: {} results, {:.1} ms, {files} files, {:.1} KB",
            v[0],
            v[1].as_f64().unwrap_or(-1.0),
            bytes as f64 / 1024.0
        );
        if first {
            println!("first query: {:.1} KB", bytes as f64 / 1024.0);
            first = false;
        } else {
            further.push(bytes);
        }
    }
    further.sort_unstable();
    let max = further.last().copied().unwrap_or(0);
    let median = further.get(further.len() / 2).copied().unwrap_or(0);
    println!(
        "further queries: median {:.1} KB, max {:.1} KB{}",
        median as f64 / 1024.0,
        max as f64 / 1024.0,
        if pagefind { " (pagefind)" } else { "" }
    );
    Ok(())
}
