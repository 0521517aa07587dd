//! Slide decks in a real browser: a page with `slides = true` gets `*.slides.html`, one slide
//! visible at a time, keyboard/click navigation, the URL hash, the speaker view in step with
//! the deck (both ways, over http and from file://), notes hidden from the audience, print
//! with exactly one page per slide, and every slide's content fitting its 16:9 canvas.
//!
//! The fixture (tests/fixtures/slides) has a deck of 7 slides: a title slide, a section with
//! an explicit `<!-- slide -->` break (and a figure placeholder and an editor's note kept off
//! the slide), a raw-HTML 4 × 3 table, a slide too long for the canvas even at the readable
//! floor (overfull), a slide with a text box and an exercise, and a last slide; then a
//! references section for the reading page only.

use std::path::{Path, PathBuf};
use std::time::Duration;

use kenshu_e2e::{
    absolute_urls, build_site, ensure, file_url, pdf_pages, Browser, BuiltSite, Key, Result,
    StaticServer,
};
use serde_json::{json, Value};

const WAIT: Duration = Duration::from_secs(15);
const TOTAL: usize = 7;
const DECK: &str = "deck.slides.html";

fn fixture() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/slides")
}

fn build() -> Result<BuiltSite> {
    build_site(fixture())
}

/// The accessible names of the slides that are displayed.
fn visible_slides(b: &Browser) -> Result<Vec<String>> {
    let mut names = Vec::new();
    for s in b.find_all("[aria-roledescription=slide]")? {
        if s.is_displayed()? {
            names.push(s.accessible_name()?);
        }
    }
    Ok(names)
}

/// Waits until exactly slide `n` is displayed, and the URL hash says so.
fn wait_slide(b: &Browser, n: usize) -> Result<()> {
    let want = format!("{n} / {TOTAL}");
    let mut last = Vec::new();
    let res = b.wait_until(&format!("slide {want} alone on screen"), WAIT, |b| {
        last = visible_slides(b)?;
        let hash = b.execute("return location.hash;", vec![])?;
        Ok(last == [want.clone()] && hash == json!(format!("#{n}")))
    });
    res.map_err(|e| e.context(format!("visible slides: {last:?}")))
}

fn press(b: &Browser, key: Key, n: usize) -> Result<()> {
    b.press(key)?;
    wait_slide(b, n).map_err(|e| e.context(format!("after {key:?}")))
}

/// The current slide's content scale (`--fit`).
const FIT_JS: &str = "return document.querySelector('.slide-frame.current .slide-content').style.getPropertyValue('--fit');";

/// `minGlyph(root, skip)`: the smallest Japanese character under `root` (not inside an
/// element matching a selector of `skip`, nor in an SVG) as canvas px: a Japanese glyph is
/// 1 em wide, measured on screen and divided by the canvas's scale.
const GLYPH_JS: &str = "
  function minGlyph(root, skip) {
    const slide = root.closest('.slide');
    const k = slide.getBoundingClientRect().width / 1280;
    let min = Infinity;
    const walk = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
    for (let n = walk.nextNode(); n; n = walk.nextNode()) {
      const el = n.parentElement;
      if (!el || el.closest('svg') || skip.some((s) => el.closest(s))) continue;
      const i = n.data.search(/[\\u3041-\\u30ff\\u4e00-\\u9fff]/);
      if (i < 0) continue;
      const r = document.createRange();
      r.setStart(n, i);
      r.setEnd(n, i + 1);
      const w = r.getBoundingClientRect().width;
      if (w > 0) min = Math.min(min, w / k);
    }
    return min === Infinity ? null : min;
  }";

/// `textRuns(slide, skip)`: every run of text on a slide (not inside an element matching a
/// selector of `skip`) with its size as shown, in canvas px (1280 × 720): HTML text by its
/// computed font size times the zoom it is shown at, SVG text by its font size times the
/// scale it is drawn at (its screen matrix), both divided by the canvas's scale.
const TEXT_JS: &str = "
  function textRuns(slide, skip) {
    const k = slide.getBoundingClientRect().width / 1280;
    const out = [];
    const walk = document.createTreeWalker(slide, NodeFilter.SHOW_TEXT);
    for (let n = walk.nextNode(); n; n = walk.nextNode()) {
      if (!n.data.trim()) continue;
      const el = n.parentElement;
      if (!el || skip.some((s) => el.closest(s)) || el.closest('title, desc, style, script')) continue;
      const cs = getComputedStyle(el);
      if (cs.display === 'none') continue;
      const r = document.createRange();
      r.selectNodeContents(n);
      if (![...r.getClientRects()].some((x) => x.width > 0)) continue;
      let px;
      if (el.closest('svg')) {
        const t = el.closest('text') || el;
        const m = t.getScreenCTM();
        px = parseFloat(getComputedStyle(t).fontSize) * Math.hypot(m.a, m.b) / k;
      } else {
        px = parseFloat(cs.fontSize) * (el.currentCSSZoom || 1);
      }
      out.push({ px: Math.round(px * 100) / 100, text: n.data.trim().slice(0, 30), svg: !!el.closest('svg') });
    }
    return out;
  }";

#[test]
fn deck_is_built_beside_its_page_and_linked() -> Result<()> {
    let site = build()?;
    let deck = site.read(DECK)?;
    let page = site.read("deck.html")?;
    let plain = site.read("plain.html")?;

    // The reading page links to its deck; a page without slides has no deck and no link.
    ensure!(
        page.contains(&format!("href=\"{DECK}\"")) && page.contains("スライドで表示"),
        "deck.html does not link to {DECK}"
    );
    ensure!(
        !plain.contains("スライドで表示") && !site.path("plain.slides.html").exists(),
        "a page without slides = true got a deck"
    );
    // The deck's controller costs reading pages nothing.
    ensure!(
        !page.contains("deck.js") && !page.contains("deck.css"),
        "the reading page loads the deck's script or style"
    );
    ensure!(
        deck.contains("assets/deck.js") && deck.contains("assets/deck.css"),
        "the deck does not load its controller"
    );
    // A classic script (file:// blocks module scripts) and only relative URLs.
    ensure!(
        !deck.contains("type=\"module\""),
        "the deck uses a module script"
    );
    let absolute = absolute_urls(&site.out)?;
    ensure!(absolute.is_empty(), "absolute URLs: {absolute:?}");
    // Seven slides, each with the accessible name "N / 7"; a link back to the reading page.
    for n in 1..=TOTAL {
        ensure!(
            deck.contains(&format!(
                "aria-roledescription=\"slide\" aria-label=\"{n} / {TOTAL}\""
            )),
            "slide {n} / {TOTAL} missing"
        );
    }
    ensure!(
        !deck.contains(&format!("aria-label=\"{} / {TOTAL}\"", TOTAL + 1)),
        "more slides than sections"
    );
    ensure!(
        deck.contains("href=\"deck.html\"") && deck.contains("読むページへ戻る"),
        "no link back to the reading page"
    );
    // The explicit break marker is not output; notes are in the deck (for the speaker view).
    ensure!(
        !deck.contains("<!-- slide -->"),
        "slide marker left in the deck"
    );
    ensure!(
        deck.contains("ひみつの講師メモ2") && deck.contains("ひみつの解説"),
        "notes or commentary missing from the deck"
    );
    // A section marked for the reading page only is not a slide; the reading page has it.
    ensure!(
        !deck.contains("ひみつの出典")
            && !deck.contains("出典の続き")
            && page.contains("ひみつの出典"),
        "the reading-only section is in the deck (or missing from the page)"
    );
    // A figure placeholder and an editor's note go to the speaker's notes, not the slide.
    let notes_at = deck.find("ひみつの講師メモ2").unwrap_or(0);
    let notes_end = notes_at + deck[notes_at..].find("</aside>\n</div>").unwrap_or(0);
    for off in ["ひみつの置き場所", "編集者のひみつの注記"] {
        let at = deck.find(off);
        ensure!(
            deck.matches(off).count() == 1 && at.is_some_and(|i| i > notes_at && i < notes_end),
            "{off:?} should be in slide 2's notes only"
        );
        ensure!(page.contains(off), "{off:?} missing from the reading page");
    }
    // Without a `#` heading, the title slide is made from the title and description.
    let bare = site.read("notitle.slides.html")?;
    ensure!(
        bare.contains("<h1>見出しのないデッキ</h1>")
            && bare.contains("表紙は題と説明から作られます")
            && bare.contains("aria-label=\"2 / 2\"")
            && !bare.contains("aria-label=\"3 / 2\""),
        "title slide of a deck without a # heading"
    );
    Ok(())
}

#[test]
fn one_slide_at_a_time_with_keyboard_click_jump_and_hash() -> Result<()> {
    let site = build()?;
    let server = StaticServer::serve(&site.out, "/")?;
    let b = Browser::start()?;
    b.goto(&server.url_of(DECK))?;
    wait_slide(&b, 1)?;

    press(&b, Key::ArrowRight, 2)?;
    press(&b, Key::PageDown, 3)?; // a presenter's clicker
    press(&b, Key::Space, 4)?;
    press(&b, Key::PageUp, 3)?;
    press(&b, Key::ArrowLeft, 2)?;
    press(&b, Key::End, TOTAL)?;
    press(&b, Key::ArrowRight, TOTAL)?; // stays on the last slide
    press(&b, Key::Home, 1)?;
    press(&b, Key::ArrowLeft, 1)?;

    // A number and Enter jumps.
    b.keys(&format!("5{}", Key::Enter))?;
    wait_slide(&b, 5)?;
    b.keys(&format!("12{}", Key::Enter))?; // past the end: the last slide
    wait_slide(&b, TOTAL)?;
    b.keys(&format!("2{}", Key::Enter))?;
    wait_slide(&b, 2)?;

    // The live region announces the change.
    let status = b.find(".deck-status")?;
    ensure!(
        status.attr("role")?.as_deref() == Some("status"),
        "the status region has no role=status"
    );
    let text: String = b
        .execute(
            "return document.querySelector('.deck-status').textContent;",
            vec![],
        )?
        .as_str()
        .unwrap_or("")
        .to_string();
    ensure!(
        text.contains(&format!("2 / {TOTAL}")) && text.contains("二枚目"),
        "live region says {text:?}"
    );

    // A click on the slide goes to the next one.
    let current = b.find(".slide-frame.current .slide")?;
    current.click()?;
    wait_slide(&b, 3)?;

    // Overview: all slides visible; Escape closes it, on the same slide.
    b.press(Key::Escape)?;
    b.wait_until("the overview", WAIT, |b| {
        Ok(visible_slides(b)?.len() == TOTAL)
    })?;
    b.press(Key::Escape)?;
    wait_slide(&b, 3)?;
    // O opens it too; choosing a slide in it goes there.
    b.keys("o")?;
    b.wait_until("the overview", WAIT, |b| {
        Ok(visible_slides(b)?.len() == TOTAL)
    })?;
    b.find(".slide-frame[data-n='6']")?.click()?;
    wait_slide(&b, 6)?;

    // Swipes on a tablet: left = next, right = previous; a short drag does nothing.
    let swipe = |dx: i32| -> Result<()> {
        b.execute(
            "const el = document.querySelector('.slide-frame.current .slide');
             const t = (x) => new Touch({ identifier: 1, target: el, clientX: x, clientY: 300 });
             el.dispatchEvent(new TouchEvent('touchstart', { bubbles: true, touches: [t(600)], changedTouches: [t(600)] }));
             el.dispatchEvent(new TouchEvent('touchend', { bubbles: true, touches: [], changedTouches: [t(600 + arguments[0])] }));",
            vec![json!(dx)],
        )?;
        Ok(())
    };
    swipe(-200)?;
    wait_slide(&b, 7)?;
    swipe(200)?;
    wait_slide(&b, 6)?;
    swipe(20)?;
    wait_slide(&b, 6)?;

    // F toggles full screen.
    b.keys("f")?;
    b.wait_until("full screen", WAIT, |b| {
        Ok(b.execute("return !!document.fullscreenElement;", vec![])? == json!(true))
    })?;
    b.keys("f")?;
    b.wait_until("full screen left", WAIT, |b| {
        Ok(b.execute("return !document.fullscreenElement;", vec![])? == json!(true))
    })?;
    wait_slide(&b, 6)?;

    // Blank screen: B covers everything, B again uncovers it.
    b.keys("b")?;
    ensure!(
        b.find(".deck-blank")?.is_displayed()?,
        "B did not blank the screen"
    );
    b.keys("b")?;
    ensure!(
        !b.find(".deck-blank")?.is_displayed()?,
        "B did not unblank the screen"
    );
    wait_slide(&b, 6)?;

    // K puts the slide's 解説 over the slide at a readable size, without refitting the slide;
    // K takes it away.
    let fit_before = b.execute(FIT_JS, vec![])?;
    b.keys("k")?;
    let commentary = b.find(".slide-frame.current .slide-commentary")?;
    ensure!(
        commentary.is_displayed()? && commentary.text()?.contains("ひみつの解説"),
        "K did not show the commentary"
    );
    let m = b.execute(
        &format!(
            "{GLYPH_JS}
             const s = document.querySelector('.slide-frame.current .slide').getBoundingClientRect();
             const c = document.querySelector('.slide-frame.current .slide-commentary').getBoundingClientRect();
             return {{ inside: c.top >= s.top - 1 && c.left >= s.left - 1 && c.bottom <= s.bottom + 1 && c.right <= s.right + 1,
                      glyph: minGlyph(document.querySelector('.slide-frame.current .slide-commentary'), []) }};"
        ),
        vec![],
    )?;
    ensure!(
        m["inside"] == json!(true),
        "the commentary overflows the slide: {m}"
    );
    let glyph = m["glyph"].as_f64().unwrap_or(0.0);
    ensure!(
        glyph >= 23.5,
        "the commentary's text is {glyph} px on the canvas (floor 24)"
    );
    ensure!(
        b.execute(FIT_JS, vec![])? == fit_before,
        "K refitted the slide"
    );
    b.keys("k")?;
    ensure!(!commentary.is_displayed()?, "K did not hide the commentary");
    // Keys typed into a form control are never navigation.
    let input = b.find(".slide-frame.current input.answer-box")?;
    input.click()?;
    input.send_keys(&format!(
        "b5o{}{} f{}{}{}",
        Key::ArrowRight,
        Key::PageDown,
        Key::Enter,
        Key::End,
        Key::Home
    ))?;
    wait_slide(&b, 6)?;
    let value = input.property("value")?;
    ensure!(value == json!("b5o f"), "text box holds {value}");
    ensure!(
        !b.find(".deck-blank")?.is_displayed()?,
        "typing b in the text box blanked the screen"
    );

    // Notes and commentary are never shown to the audience.
    for n in b.find_all(".notes, .slide-commentary")? {
        ensure!(!n.is_displayed()?, "speaker notes are visible in the deck");
    }
    let body = b.find("body")?.text()?;
    ensure!(
        !body.contains("ひみつの講師メモ") && !body.contains("ひみつの解説"),
        "the audience sees notes: {body}"
    );

    wait_slide(&b, 6)?;
    b.assert_no_errors()?;
    Ok(())
}

#[test]
fn hash_opens_that_slide_and_reload_keeps_it() -> Result<()> {
    let site = build()?;
    let server = StaticServer::serve(&site.out, "/sub/path/")?;
    let b = Browser::start()?;
    b.goto(&format!("{}#4", server.url_of(DECK)))?;
    wait_slide(&b, 4)?;
    let name = b.find(".slide-frame.current h2")?.text()?;
    ensure!(name == "表のスライド", "slide 4 shows {name:?}");
    press(&b, Key::ArrowRight, 5)?;
    b.refresh()?;
    wait_slide(&b, 5)?;
    // A heading id opens the slide that holds it (links from the reading page).
    b.goto(&format!("{}#last", server.url_of(DECK)))?;
    wait_slide(&b, TOTAL)?;
    // The link back goes to the reading page, at the slide's section.
    let back = b.find(".deck-back")?;
    let href = back.attr("href")?.unwrap_or_default();
    ensure!(href == "deck.html#last", "back link is {href:?}");
    // The toolbar shows itself when something in it gets focus (keyboard users).
    back.send_keys(&Key::Enter.to_string())?;
    b.wait_until("the reading page", WAIT, |b| {
        Ok(b.current_url()?.contains("/sub/path/deck.html#last"))
    })?;
    let link = b.find(".slides-link a")?;
    ensure!(
        link.text()? == "スライドで表示",
        "reading page link text: {:?}",
        link.text()?
    );
    link.click()?;
    wait_slide(&b, 1)?;
    // A malformed escape in the address is no slide: the deck stays where
    // it is, without an error.
    b.goto(&format!("{}#%E0%A4", server.url_of(DECK)))?;
    b.wait_until("the deck after a malformed address", WAIT, |b| {
        Ok(visible_slides(b)? == [format!("1 / {TOTAL}")])
    })?;
    b.assert_no_errors()?;
    Ok(())
}

/// Stops BroadcastChannel delivery in the current window, leaving only the
/// opener/postMessage path (the fallback for browsers where a channel does not reach
/// between file:// windows).
fn without_broadcast(b: &Browser) -> Result<()> {
    b.execute(
        "BroadcastChannel.prototype.postMessage = function () {};",
        vec![],
    )?;
    Ok(())
}

/// Opens the speaker view with S and checks that the two windows follow each other.
/// With `fallback`, BroadcastChannel is switched off in both windows once they are open.
fn speaker_view_in_step(b: &Browser, deck_url: &str, fallback: bool) -> Result<()> {
    b.goto(&format!("{deck_url}#2"))?;
    wait_slide(b, 2)?;
    let audience = b.window_handle()?;
    b.keys("s")?;
    let mut speaker = String::new();
    b.wait_until("the speaker window", WAIT, |b| {
        let handles = b.window_handles()?;
        if let Some(h) = handles.into_iter().find(|h| *h != audience) {
            speaker = h;
            return Ok(true);
        }
        Ok(false)
    })?;
    b.switch_to_window(&speaker)?;
    b.wait_until("the speaker view", WAIT, |b| {
        Ok(b.execute(
            "return document.documentElement.classList.contains('speaker') && !!document.querySelector('.speaker-notes');",
            vec![],
        )? == json!(true))
    })?;
    wait_slide(b, 2)?;
    if fallback {
        without_broadcast(b)?;
        b.switch_to_window(&audience)?;
        without_broadcast(b)?;
        b.switch_to_window(&speaker)?;
    }
    // The speaker sees the notes, the next slide, the elapsed time and the clock.
    let notes = b.find(".speaker-notes")?;
    ensure!(notes.is_displayed()?, "notes not shown in the speaker view");
    ensure!(
        notes.text()?.contains("ひみつの講師メモ2"),
        "speaker notes: {:?}",
        notes.text()?
    );
    let next = b.find(".speaker-next-frame")?.text()?;
    ensure!(
        next.contains("二枚目の続き"),
        "next-slide preview: {next:?}"
    );
    let pace = b.find(".speaker-pace")?.text()?;
    ensure!(
        pace.contains("この節の目安 3分")
            && pace.contains("予定どおり")
            && pace.contains("全体の予定 3分"),
        "pacing for a section of 3 minutes: {pace:?}"
    );
    let elapsed = b.find(".speaker-elapsed")?.text()?;
    let clock = b.find(".speaker-clock")?.text()?;
    ensure!(
        elapsed.starts_with("00:00:") && clock.len() == 5 && clock.as_bytes()[2] == b':',
        "timer {elapsed:?}, clock {clock:?}"
    );

    // The speaker drives: the audience follows.
    press(b, Key::ArrowRight, 3)?;
    ensure!(
        b.find(".speaker-notes")?
            .text()?
            .contains("ひみつの講師メモ3"),
        "notes did not follow the slide"
    );
    b.switch_to_window(&audience)?;
    wait_slide(b, 3)?;
    // The audience window drives: the speaker view follows.
    press(b, Key::ArrowRight, 4)?;
    b.keys(&format!("6{}", Key::Enter))?;
    wait_slide(b, 6)?;
    b.switch_to_window(&speaker)?;
    wait_slide(b, 6)?;
    // The next-slide preview shows an exercise as a placeholder, not a second live copy.
    press(b, Key::ArrowLeft, 5)?;
    let preview = b.find(".speaker-next-frame")?;
    ensure!(
        preview.find_all(".speaker-embed")?.len() == 1
            && preview.find_all(".exercise, input[type=radio]")?.is_empty()
            && preview.text()?.contains("演習：試験の分類"),
        "the preview of the exercise slide: {:?}",
        preview.text()?
    );
    press(b, Key::ArrowRight, 6)?;
    ensure!(
        b.find(".speaker-notes")?.text()?.contains("ひみつの解説"),
        "the speaker view does not show the slide's commentary"
    );
    // Blanking from the speaker view blanks the audience.
    b.keys("b")?;
    b.switch_to_window(&audience)?;
    b.wait_until("the audience screen blanked", WAIT, |b| {
        b.find(".deck-blank")?.is_displayed()
    })?;
    b.keys("b")?;
    b.switch_to_window(&speaker)?;
    b.wait_until("the speaker's blank badge off", WAIT, |b| {
        Ok(!b.find(".speaker-blanked")?.is_displayed()?)
    })?;
    // A reloaded speaker view keeps its timer and its place, and stays in step.
    let seconds = |b: &Browser| -> Result<u64> {
        let t = b.find(".speaker-elapsed")?.text()?;
        Ok(t.split(':')
            .fold(0, |acc, p| acc * 60 + p.parse::<u64>().unwrap_or(0)))
    };
    b.wait_until("the speaker timer to run", WAIT, |b| Ok(seconds(b)? >= 1))?;
    let before = seconds(b)?;
    b.refresh()?;
    wait_slide(b, 6)?;
    let after = seconds(b)?;
    ensure!(
        after >= before,
        "the timer restarted on reload: {before} s, then {after} s"
    );
    if fallback {
        without_broadcast(b)?;
    }
    press(b, Key::Home, 1)?;
    b.switch_to_window(&audience)?;
    wait_slide(b, 1)?;
    // A reloaded audience window finds the speaker view again (the speaker view greets
    // its opener every 2 s), and they keep following each other.
    b.refresh()?;
    wait_slide(b, 1)?;
    if fallback {
        without_broadcast(b)?;
    }
    // Its next greeting (every 2 s) has reached this window (the deck's own
    // listener, added first, has handled it).
    b.execute(
        "window.kenshuTestHello = false;
         addEventListener('message', e => { if (e.data && e.data.type === 'hello') window.kenshuTestHello = true; });
         return 1",
        vec![],
    )?;
    b.wait_until("the speaker view to greet the reloaded window", WAIT, |b| {
        Ok(b.execute("return window.kenshuTestHello", vec![])? == json!(true))
    })?;
    press(b, Key::ArrowRight, 2)?;
    b.switch_to_window(&speaker)?;
    wait_slide(b, 2)?;
    press(b, Key::ArrowRight, 3)?;
    b.switch_to_window(&audience)?;
    wait_slide(b, 3)?;
    // Notes stay hidden in the audience window throughout.
    for n in b.find_all(".notes")? {
        ensure!(!n.is_displayed()?, "notes visible in the audience window");
    }
    Ok(())
}

#[test]
fn speaker_view_in_step_over_http() -> Result<()> {
    let site = build()?;
    let server = StaticServer::serve(&site.out, "/")?;
    let b = Browser::start()?;
    speaker_view_in_step(&b, &server.url_of(DECK), false)?;
    b.assert_no_errors()?;
    Ok(())
}

#[test]
fn deck_and_speaker_view_work_from_file() -> Result<()> {
    let site = build()?;
    let b = Browser::start()?;
    let url = file_url(site.path(DECK))?;
    b.goto(&url)?;
    wait_slide(&b, 1)?;
    press(&b, Key::ArrowRight, 2)?;
    speaker_view_in_step(&b, &url, true)?;
    b.assert_no_errors()?;
    Ok(())
}

#[test]
fn print_gives_one_page_per_slide() -> Result<()> {
    let site = build()?;
    let server = StaticServer::serve(&site.out, "/")?;
    let b = Browser::start()?;
    b.goto(&format!("{}#3", server.url_of(DECK)))?;
    wait_slide(&b, 3)?;
    let pdf = b.print_pdf(true)?;
    ensure!(pdf.starts_with(b"%PDF"), "print did not return a PDF");
    let pages = pdf_pages(&pdf);
    ensure!(
        pages == TOTAL,
        "the printed deck has {pages} pages for {TOTAL} slides"
    );
    // With "print the notes" ticked in the help dialog: still one page per slide (the
    // fixture's notes are short), the notes shown under each slide.
    b.keys("?")?;
    let tick = b.wait_for(".deck-help[open] .deck-print-notes", WAIT)?;
    tick.click()?;
    b.press(Key::Escape)?;
    let shown = b.execute(
        "return [...document.querySelectorAll('.slide-frame > .notes')].length;",
        vec![],
    )?;
    ensure!(
        shown == json!(3),
        "the fixture should have 3 slides with notes: {shown}"
    );
    let with_notes = pdf_pages(&b.print_pdf(false)?);
    ensure!(
        with_notes == TOTAL,
        "printed with notes: {with_notes} pages for {TOTAL} slides"
    );
    ensure!(
        b.execute(
            "return document.documentElement.classList.contains('print-notes');",
            vec![]
        )? == json!(true),
        "the option did not switch print-notes on"
    );
    // The reading page still prints as a handout (more than zero pages, not the deck).
    b.goto(&server.url_of("deck.html"))?;
    let handout = pdf_pages(&b.print_pdf(false)?);
    ensure!(handout >= 1, "the reading page printed {handout} pages");
    Ok(())
}

/// Every slide's content, once fitted, lies inside its canvas; the canvas is as large as
/// the window allows at 16:9. Also writes screenshots when KENSHU_SLIDES_SHOTS is a folder.
#[test]
fn slides_fit_their_canvas_at_common_sizes() -> Result<()> {
    let site = build()?;
    let server = StaticServer::serve(&site.out, "/")?;
    let b = Browser::start()?;
    let shots = std::env::var_os("KENSHU_SLIDES_SHOTS").map(PathBuf::from);
    for (w, h) in [(1280u32, 720u32), (1920, 1080), (800, 1000)] {
        b.set_window_size(w, h)?;
        b.goto(&format!("{}#1", server.url_of(DECK)))?;
        wait_slide(&b, 1)?;
        for n in 1..=TOTAL {
            if n > 1 {
                press(&b, Key::ArrowRight, n)?;
            }
            let m = b.execute(
                "const f = document.querySelector('.slide-frame.current');
                 const s = f.querySelector('.slide').getBoundingClientRect();
                 const c = f.querySelector('.slide-content');
                 const r = c.getBoundingClientRect();
                 let right = r.right, bottom = r.bottom;
                 // A slide with an exercise may scroll inside its box instead of shrinking.
                 if (!c.classList.contains('scrolls')) for (const e of c.querySelectorAll('*')) {
                   const q = e.getBoundingClientRect();
                   if (q.width && q.height) { right = Math.max(right, q.right); bottom = Math.max(bottom, q.bottom); }
                 }
                 return { vw: innerWidth, vh: innerHeight, sl: s.left, st: s.top, sw: s.width, sh: s.height,
                          right: right, bottom: bottom,
                          fit: parseFloat(getComputedStyle(c).getPropertyValue('--fit') || '1') };",
                vec![],
            )?;
            let f = |k: &str| m[k].as_f64().unwrap_or(f64::NAN);
            let (vw, vh, sw, sh) = (f("vw"), f("vh"), f("sw"), f("sh"));
            let k = (vw / 1280.0).min(vh / 720.0);
            ensure!(
                (sw - 1280.0 * k).abs() < 2.0 && (sh - 720.0 * k).abs() < 2.0,
                "{w}×{h} slide {n}: canvas {sw}×{sh}, expected {}×{}",
                1280.0 * k,
                720.0 * k
            );
            ensure!(
                f("right") <= f("sl") + sw + 1.0 && f("bottom") <= f("st") + sh + 1.0,
                "{w}×{h} slide {n}: content overflows its slide: {m}"
            );
            if n == 5 {
                ensure!(f("fit") < 1.0, "the long slide was not scaled down: {m}");
            }
            if let Some(dir) = &shots {
                b.screenshot_png(dir.join(format!("deck-{w}x{h}-{n}.png")))?;
            }
        }
    }
    b.assert_no_errors()?;
    Ok(())
}

/// An exercise embedded in a lecture is on its slide and its controls work there: a click
/// inside it does not turn the slide.
#[test]
fn exercise_works_on_its_slide() -> Result<()> {
    let site = build()?;
    let server = StaticServer::serve(&site.out, "/")?;
    let b = Browser::start()?;
    b.goto(&format!("{}#6", server.url_of(DECK)))?;
    wait_slide(&b, 6)?;
    let embed = b.find(".slide-frame.current .deck-embed")?;
    // Not shrunk to unreadable: the slide's content scrolls instead.
    let fit = b.execute(
        "return parseFloat(document.querySelector('.slide-frame.current .slide-content').style.getPropertyValue('--fit'));",
        vec![],
    )?;
    ensure!(
        fit.as_f64().unwrap_or(0.0) >= 0.69,
        "the exercise slide is scaled to {fit}"
    );
    ensure!(
        embed.text()?.contains("試験の分類"),
        "the exercise is not on its slide: {:?}",
        embed.text()?
    );
    let radio = b.wait_for(".slide-frame.current .deck-embed input[type=radio]", WAIT)?;
    b.wait_until("the exercise's radio enabled", WAIT, |_| radio.is_enabled())?;
    radio.click()?;
    wait_slide(&b, 6)?;
    ensure!(
        radio.property("checked")? == Value::Bool(true),
        "the radio button did not check"
    );
    // Arrow keys inside the radio group move the choice, not the slide.
    b.press(Key::ArrowDown)?;
    wait_slide(&b, 6)?;
    b.assert_no_errors()?;
    Ok(())
}

/// A slide too long to show at the readable floor is a warning of `build` and `check`, with
/// the file and line of its section and a hint; `deny_warnings` makes it an error and the
/// build writes nothing. The course's own decks have no such slide.
#[test]
fn overfull_slide_is_a_warning_with_file_and_line() -> Result<()> {
    let report = kenshu::check(&fixture()).map_err(|e| format!("check failed: {e:?}"))?;
    let warnings: Vec<String> = report
        .warnings
        .iter()
        .map(|w| w.as_warning().to_string())
        .collect();
    ensure!(
        warnings.len() == 1,
        "one overfull slide in the fixture, warnings: {warnings:#?}"
    );
    let w = &warnings[0];
    ensure!(
        w.starts_with("content/deck.md:55:1: warning: slide 5 of content/deck.md is overfull")
            && w.contains("hint: split it with a `<!-- slide -->` line"),
        "the warning reads {w:?}"
    );
    let site = build()?;
    ensure!(
        site.report.warnings.len() == 1,
        "build reports {} warnings",
        site.report.warnings.len()
    );
    let dir = kenshu_e2e::TempDir::new("deny")?;
    let out = dir.join("public");
    let denied = kenshu::build_with(
        &fixture(),
        &out,
        &kenshu::Options {
            deny_warnings: true,
            ..Default::default()
        },
    );
    match denied {
        Ok(_) => ensure!(false, "deny_warnings built a site with an overfull slide"),
        Err(e) => ensure!(
            e.len() == 1 && e[0].to_string().contains("is overfull") && !out.exists(),
            "deny_warnings: {e:?}, output written: {}",
            out.exists()
        ),
    }
    let course = kenshu::check(&kenshu_e2e::workspace_root()).map_err(|e| format!("{e:?}"))?;
    let course_warnings: Vec<String> = course
        .warnings
        .iter()
        .map(|w| w.as_warning().to_string())
        .collect();
    ensure!(
        course_warnings.is_empty(),
        "the course's decks have overfull slides: {course_warnings:#?}"
    );
    Ok(())
}

/// The toolbar is one row of named controls at 1280 × 720; on a phone held upright it wraps
/// to at most two rows with every control in view (it used to scroll sideways).
#[test]
fn toolbar_is_one_row_of_named_buttons() -> Result<()> {
    let site = build()?;
    let server = StaticServer::serve(&site.out, "/")?;
    let b = Browser::start()?;
    for (w, h) in [(1280u32, 720u32), (390, 844)] {
        b.set_window_size(w, h)?;
        b.goto(&server.url_of(DECK))?;
        wait_slide(&b, 1)?;
        b.execute(
            "document.querySelector('.deck-bar button').focus();",
            vec![],
        )?;
        let m = b.execute(
            "const bar = document.querySelector('.deck-bar');
             const r = bar.getBoundingClientRect();
             const tops = [...bar.children].filter((c) => c.getBoundingClientRect().width > 0)
               .map((c) => Math.round(c.getBoundingClientRect().top + c.getBoundingClientRect().height / 2));
             return { height: r.height, left: r.left, right: r.right, vw: innerWidth,
                      rows: new Set(tops).size, spread: Math.max(...tops) - Math.min(...tops),
                      scroll: bar.scrollWidth - bar.clientWidth,
                      opacity: getComputedStyle(bar).opacity };",
            vec![],
        )?;
        // One row at 1280 × 720; on a phone held upright at most two rows, nothing to scroll.
        ensure!(
            if w >= 1280 {
                m["spread"].as_f64().unwrap_or(99.0) <= 2.0
                    && m["height"].as_f64().unwrap_or(99.0) <= 60.0
            } else {
                m["rows"].as_u64().unwrap_or(99) <= 2 && m["scroll"].as_f64().unwrap_or(99.0) <= 1.0
            },
            "{w}×{h}: the toolbar's rows: {m}"
        );
        let outside = b.execute(
            "return [...document.querySelectorAll('.deck-bar > *')].filter((e) => {
               const r = e.getBoundingClientRect(); return r.width && (r.left < 0 || r.right > innerWidth); }).length;",
            vec![],
        )?;
        ensure!(
            outside == json!(0),
            "{w}×{h}: {outside} toolbar controls past the window's edge"
        );
        ensure!(
            m["left"].as_f64().unwrap_or(-1.0) >= 0.0
                && m["right"].as_f64().unwrap_or(1e9) <= m["vw"].as_f64().unwrap_or(0.0),
            "{w}×{h}: the toolbar is wider than the window: {m}"
        );
        ensure!(
            m["opacity"] == json!("1"),
            "{w}×{h}: the focused toolbar is hidden: {m}"
        );
        // On a phone held upright the way back is its arrow alone, so 解説
        // and 発表者ビュー are in view without scrolling the row.
        for action in ["commentary", "speaker"] {
            let right = b.execute(
                "return document.querySelector(`.deck-bar [data-action=${arguments[0]}]`).getBoundingClientRect().right;",
                vec![json!(action)],
            )?;
            ensure!(
                right.as_f64().unwrap_or(1e9) <= f64::from(w),
                "{w}×{h}: the {action} button is out of view at {right}"
            );
        }
    }
    let mut names = Vec::new();
    for c in b.find_all(".deck-bar button, .deck-bar a")? {
        let name = c.accessible_name()?;
        ensure!(!name.trim().is_empty(), "a toolbar control has no name");
        names.push(name);
    }
    for want in [
        "読むページへ戻る",
        "前のスライド",
        "次のスライド",
        "一覧",
        "解説",
        "発表者ビュー",
        "暗転",
        "全画面",
        "配布資料を印刷",
        "操作方法",
    ] {
        ensure!(
            names.iter().any(|n| n.as_str() == want),
            "no toolbar control named {want:?}: {names:?}"
        );
    }
    b.assert_no_errors()?;
    Ok(())
}

/// Text of a PDF page, as `pdftotext` (poppler-utils) extracts it, in the order it was
/// drawn (`-raw`: the cells of a table row are not interleaved line by line).
fn pdf_page_text(pdf: &Path, page: usize) -> Result<String> {
    let out = std::process::Command::new("pdftotext")
        .args([
            "-f",
            &page.to_string(),
            "-l",
            &page.to_string(),
            "-raw",
            "-enc",
            "UTF-8",
        ])
        .arg(pdf)
        .arg("-")
        .output()
        .map_err(|e| format!("pdftotext: {e} (install poppler-utils)"))?;
    ensure!(out.status.success(), "pdftotext failed on page {page}");
    Ok(String::from_utf8_lossy(&out.stdout).into_owned())
}

/// Text without white space, for comparing what the browser shows with what a PDF holds.
fn squash(s: &str) -> String {
    s.chars()
        .filter(|c| !c.is_whitespace())
        .collect::<String>()
        .replace('ﬁ', "fi")
        .replace('ﬂ', "fl")
}

/// Words that mark text written for editors or readers, never for an audience slide.
const OFF_SLIDE_WORDS: [&str; 5] = [
    "図は省略",
    "元資料で",
    "元資料のまま",
    "欠けています",
    "収録されていません",
];

/// The course's own lecture decks, as a lecturer presents and prints them: every slide fits
/// its canvas with body text at or above the floor (24 px at 1280 × 720) and nothing
/// scrolls; no placeholder or editor's note is on an audience slide; printing gives one page
/// per slide, every text element lies inside its page in print emulation, and every slide's
/// text is on its page of the PDF. KENSHU_SLIDES_SHOTS=DIR keeps a screenshot of each slide.
#[test]
fn course_lecture_decks_fit_and_print() -> Result<()> {
    let site = build_site(kenshu_e2e::workspace_root())?;
    let server = StaticServer::serve(&site.out, "/")?;
    let b = Browser::start()?;
    let shots = std::env::var_os("KENSHU_SLIDES_SHOTS").map(PathBuf::from);
    let tmp = kenshu_e2e::TempDir::new("pdf")?;
    b.set_window_size(1280, 720)?;
    for deck in ["lectures/rinen.slides.html", "lectures/jissen.slides.html"] {
        b.goto(&server.url_of(deck))?;
        wait_current(&b)?;
        // Screen: fitted at or above the floor, nothing scrolls, nothing for editors.
        let report = b.execute(
            &format!(
                "{GLYPH_JS}
                 {TEXT_JS}
                 const out = [];
                 for (const f of document.querySelectorAll('.slide-frame')) {{
                   f.style.visibility = 'visible';
                   const s = f.querySelector('.slide');
                   const box = f.querySelector('.slide-content');
                   const r = box.getBoundingClientRect(), sr = s.getBoundingClientRect();
                   const k = sr.width / 1280;
                   const clone = s.cloneNode(true);
                   clone.querySelectorAll('.slide-commentary, .slide-number').forEach((n) => n.remove());
                   out.push({{ name: s.getAttribute('aria-label'),
                     fit: parseFloat(box.style.getPropertyValue('--fit') || '1'),
                     scrolls: box.classList.contains('scrolls'),
                     bottom: (r.bottom - sr.top) / k, right: (r.right - sr.left) / k,
                     body: minGlyph(box, ['table', 'figure', 'caption', '.admonition', '.deck-embed']),
                     runs: textRuns(s, ['.slide-commentary', '.deck-embed']),
                     text: clone.textContent }});
                   f.style.visibility = '';
                 }}
                 return out;"
            ),
            vec![],
        )?;
        let slides = report.as_array().cloned().unwrap_or_default();
        ensure!(slides.len() >= 10, "{deck}: only {} slides", slides.len());
        for s in &slides {
            let f = |k: &str| s[k].as_f64().unwrap_or(f64::NAN);
            ensure!(
                s["scrolls"] == json!(false)
                    && f("fit") >= 0.8
                    && f("bottom") <= 720.5 - 40.0
                    && f("right") <= 1280.5 - 60.0,
                "{deck}: slide {} is overfull on screen: {}",
                s["name"],
                json!({ "fit": s["fit"], "bottom": s["bottom"], "right": s["right"] })
            );
            ensure!(
                s["body"].is_null() || f("body") >= 23.5,
                "{deck}: slide {}: body text is {} px (floor 24)",
                s["name"],
                s["body"]
            );
            // The readable floor: every run of text on the slide — body, tables, captions,
            // figure labels as drawn, the slide's number — is 24 px or more at 1280 × 720.
            let runs = s["runs"].as_array().cloned().unwrap_or_default();
            ensure!(
                !runs.is_empty(),
                "{deck}: slide {}: no text measured",
                s["name"]
            );
            let small: Vec<&Value> = runs
                .iter()
                .filter(|r| r["px"].as_f64().unwrap_or(0.0) < 23.95)
                .collect();
            ensure!(
                small.is_empty(),
                "{deck}: slide {}: text under 24 px: {small:?}",
                s["name"]
            );
            let text = s["text"].as_str().unwrap_or("");
            for w in OFF_SLIDE_WORDS {
                ensure!(
                    !text.contains(w),
                    "{deck}: slide {} shows the audience {w:?}: {text}",
                    s["name"]
                );
            }
        }
        if deck.contains("jissen") {
            // The points table, split by rows where it does not fit at 24 px: each part keeps
            // the head, and each of the four rows is on exactly one slide.
            let tables = b.execute(
                "return [...document.querySelectorAll('.slide-content table.points-table')].map((t) =>
                   [t.querySelectorAll('thead th').length, [...t.querySelectorAll('tbody th[scope=row]')].map((h) => h.textContent.trim())]);",
                vec![],
            )?;
            let parts = tables.as_array().cloned().unwrap_or_default();
            ensure!(!parts.is_empty(), "the points table is on no slide");
            let mut rows: Vec<String> = Vec::new();
            for t in &parts {
                ensure!(
                    t[0] == json!(4),
                    "a part of the points table lacks its head: {t}"
                );
                rows.extend(
                    t[1].as_array()
                        .into_iter()
                        .flatten()
                        .filter_map(|r| r.as_str().map(str::to_string)),
                );
            }
            ensure!(
                rows == [
                    "会議体の機能",
                    "ベクトル合わせ",
                    "観察ポイント",
                    "3つの共有"
                ],
                "the points table's rows over its slides: {rows:?}"
            );
            // Every section's figure the source lost has the authors' figure on a slide
            // (slides 6 and 8 were bare titles).
            let bare = b.execute(
                "return [...document.querySelectorAll('.slide')].filter((s) =>
                   !s.classList.contains('title-slide') && !s.querySelector('.slide-content').textContent.trim()
                   && !s.querySelector('.slide-content svg')).map((s) => s.getAttribute('data-title'));",
                vec![],
            )?;
            ensure!(
                bare == json!([]),
                "{deck}: slides with a title only: {bare}"
            );
        }
        if let Some(dir) = &shots {
            let stem = deck
                .trim_start_matches("lectures/")
                .trim_end_matches(".slides.html");
            for n in 1..=slides.len() {
                b.goto(&format!("{}#{n}", server.url_of(deck)))?;
                wait_current(&b)?;
                b.screenshot_png(dir.join(format!("{stem}-{n:02}.png")))?;
            }
        }

        // Print emulation: each slide is a 1280 × 720 page and its text lies inside it.
        b.cdp("Emulation.setEmulatedMedia", json!({ "media": "print" }))?;
        let printed = b.execute(
            "const out = [];
             for (const f of document.querySelectorAll('.slide-frame')) {
               const fr = f.getBoundingClientRect();
               const outside = [];
               const blocks = [];
               for (const e of f.querySelectorAll('.slide h1, .slide h2, .slide h3, .slide p, .slide li, .slide th, .slide td, .slide figcaption, .slide caption, .slide .slide-heading')) {
                 if (e.closest('.slide-commentary, .slide-number, svg')) continue;
                 const r = e.getBoundingClientRect();
                 if (!r.width || !r.height) continue;
                 if (r.left < fr.left - 1 || r.top < fr.top - 1 || r.right > fr.right + 1 || r.bottom > fr.bottom + 1)
                   outside.push(e.textContent.slice(0, 40));
                 if (!e.querySelector('p, li, th, td, ul, ol, table')) blocks.push(e.textContent);
               }
               out.push({ w: fr.width, h: fr.height, outside: outside, blocks: blocks });
             }
             return out;",
            vec![],
        )?;
        b.cdp("Emulation.setEmulatedMedia", json!({ "media": "" }))?;
        let printed = printed.as_array().cloned().unwrap_or_default();
        ensure!(
            printed.len() == slides.len(),
            "{deck}: print layout has {} slides",
            printed.len()
        );
        for (i, p) in printed.iter().enumerate() {
            ensure!(
                (p["w"].as_f64().unwrap_or(0.0) - 1280.0).abs() < 1.0
                    && (p["h"].as_f64().unwrap_or(0.0) - 720.0).abs() < 1.0
                    && p["outside"].as_array().is_some_and(Vec::is_empty),
                "{deck}: printed slide {} is not whole on its page: {p}",
                i + 1
            );
        }

        // The PDF: a page per slide, each slide's text on its page.
        let pdf = b.print_pdf(true)?;
        let pages = pdf_pages(&pdf);
        ensure!(
            pages == slides.len(),
            "{deck}: {pages} printed pages for {} slides",
            slides.len()
        );
        let file = tmp.write("deck.pdf", &pdf)?;
        for (i, p) in printed.iter().enumerate() {
            let page = squash(&pdf_page_text(&file, i + 1)?);
            for block in p["blocks"].as_array().into_iter().flatten() {
                let want = squash(block.as_str().unwrap_or(""));
                ensure!(
                    page.contains(&want),
                    "{deck}: page {} of the PDF lacks {want:?}; it has {page:?}",
                    i + 1
                );
            }
        }
    }
    b.assert_no_errors()?;
    Ok(())
}

/// Waits until the deck shows a slide.
fn wait_current(b: &Browser) -> Result<()> {
    b.wait_for(".slide-frame.current", WAIT).map(|_| ())
}

/// The overview (O) of a long deck: every tile whole, none over another, and
/// the list scrolls to the last one.
#[test]
fn overview_tiles_of_a_long_deck_do_not_overlap() -> Result<()> {
    let site = build_site(kenshu_e2e::workspace_root())?;
    let server = StaticServer::serve(&site.out, "/")?;
    let b = Browser::start()?;
    b.set_window_size(1280, 720)?;
    b.goto(&server.url_of("lectures/rinen.slides.html"))?;
    wait_current(&b)?;
    b.keys("o")?;
    b.wait_until("the overview", WAIT, |b| {
        Ok(b.execute(
            "return document.documentElement.classList.contains('overview')",
            vec![],
        )? == json!(true))
    })?;
    let tiles = b.execute(
        "return [...document.querySelectorAll('.slide-frame')].map((f) => {
           const r = f.getBoundingClientRect(); return [r.left, r.top, r.right, r.bottom]; });",
        vec![],
    )?;
    let tiles: Vec<[f64; 4]> = tiles
        .as_array()
        .map(|a| {
            a.iter()
                .map(|t| std::array::from_fn(|i| t[i].as_f64().unwrap_or(0.0)))
                .collect()
        })
        .unwrap_or_default();
    ensure!(tiles.len() >= 12, "{} tiles", tiles.len());
    for (i, a) in tiles.iter().enumerate() {
        ensure!(
            a[3] - a[1] > 100.0,
            "tile {} is {} px tall",
            i + 1,
            a[3] - a[1]
        );
        for (j, c) in tiles.iter().enumerate().skip(i + 1) {
            let overlap =
                a[0] < c[2] - 1.0 && c[0] < a[2] - 1.0 && a[1] < c[3] - 1.0 && c[1] < a[3] - 1.0;
            ensure!(
                !overlap,
                "tiles {} and {} overlap: {a:?} {c:?}",
                i + 1,
                j + 1
            );
        }
    }
    // The last tile can be scrolled into view.
    let last_visible = b.execute(
        "const fs = document.querySelectorAll('.slide-frame'); const f = fs[fs.length - 1];
         f.scrollIntoView({ block: 'end', behavior: 'instant' }); const r = f.getBoundingClientRect();
         return r.bottom <= innerHeight + 1 && r.top >= 0;",
        vec![],
    )?;
    ensure!(
        last_visible == json!(true),
        "the last tile cannot be reached"
    );
    Ok(())
}

/// The number of pages of a PDF, as `pdfinfo` (poppler-utils) reads it.
fn pdfinfo_pages(pdf: &Path) -> Result<usize> {
    let out = std::process::Command::new("pdfinfo")
        .arg(pdf)
        .output()
        .map_err(|e| format!("pdfinfo: {e} (install poppler-utils)"))?;
    ensure!(out.status.success(), "pdfinfo failed on {}", pdf.display());
    let text = String::from_utf8_lossy(&out.stdout);
    text.lines()
        .find_map(|l| l.strip_prefix("Pages:"))
        .and_then(|n| n.trim().parse().ok())
        .ok_or_else(|| format!("pdfinfo gave no page count: {text}").into())
}

/// The course's decks in the speaker view at 1280 × 720: every slide has its notes (a
/// section's notes on each of its slides, not only on its last 続き slide), and the notes
/// area shows at least ten lines without scrolling; ＋ makes the notes larger.
#[test]
fn speaker_view_shows_notes_on_every_slide_at_720p() -> Result<()> {
    let site = build_site(kenshu_e2e::workspace_root())?;
    let b = Browser::start()?;
    b.set_window_size(1280, 720)?;
    for deck in ["lectures/rinen.slides.html", "lectures/jissen.slides.html"] {
        b.goto(&format!("{}?view=speaker#1", file_url(site.path(deck))?))?;
        b.wait_for(".speaker-notes", WAIT)?;
        let total = b
            .execute(
                "return document.querySelectorAll('.slide-frame').length;",
                vec![],
            )?
            .as_u64()
            .unwrap_or(0) as usize;
        ensure!(total >= 10, "{deck}: {total} slides");
        let mut without = Vec::new();
        for n in 1..=total {
            if n > 1 {
                b.press(Key::ArrowRight)?;
            }
            let want = format!("{n} / {total}");
            b.wait_until(&format!("{deck}: the speaker view at {want}"), WAIT, |b| {
                Ok(b.find(".speaker-count")?.text()? == want)
            })?;
            let m = b.execute(
                "const n = document.querySelector('.speaker-notes');
                 const lh = parseFloat(getComputedStyle(n).lineHeight);
                 return { empty: !!n.querySelector('.speaker-notes-empty'), lines: n.clientHeight / lh,
                          px: parseFloat(getComputedStyle(n).fontSize), text: n.textContent.trim().length };",
                vec![],
            )?;
            if n > 1 && (m["empty"] == json!(true) || m["text"].as_u64().unwrap_or(0) < 20) {
                without.push(n);
            }
            ensure!(
                m["lines"].as_f64().unwrap_or(0.0) >= 10.0
                    && m["px"].as_f64().unwrap_or(0.0) >= 20.0,
                "{deck}: slide {n}: the notes show {m}"
            );
        }
        ensure!(
            without.is_empty(),
            "{deck}: slides without notes in the speaker view: {without:?}"
        );
    }
    // ＋ (or the + key) makes the notes larger, and the size is kept.
    let before = b.execute(
        "return parseFloat(getComputedStyle(document.querySelector('.speaker-notes')).fontSize);",
        vec![],
    )?;
    b.find(".speaker-larger")?.click()?;
    b.wait_until("larger notes", WAIT, |b| {
        let now = b.execute(
            "return parseFloat(getComputedStyle(document.querySelector('.speaker-notes')).fontSize);",
            vec![],
        )?;
        Ok(now.as_f64().unwrap_or(0.0) > before.as_f64().unwrap_or(99.0))
    })?;
    b.refresh()?;
    b.wait_until("the size kept after a reload", WAIT, |b| {
        let now = b.execute(
            "const n = document.querySelector('.speaker-notes'); return n && parseFloat(getComputedStyle(n).fontSize);",
            vec![],
        )?;
        Ok(now.as_f64().unwrap_or(0.0) > before.as_f64().unwrap_or(99.0))
    })?;
    b.execute("localStorage.removeItem('kenshu-deck-notes-size');", vec![])?;
    b.assert_no_errors()?;
    Ok(())
}

/// 配布資料 from file://: `?handout=3` prints three slides to an A4 portrait page with lines
/// for notes (⌈slides / 3⌉ pages), `?handout=1` one slide and its notes to a page; each
/// page holds its slides' titles (and, for the script, the notes). The toolbar's print
/// button offers both.
#[test]
fn handouts_print_three_to_a_page_and_one_with_notes() -> Result<()> {
    let site = build_site(kenshu_e2e::workspace_root())?;
    let b = Browser::start()?;
    let tmp = kenshu_e2e::TempDir::new("handout")?;
    b.set_window_size(1280, 720)?;
    for deck in ["lectures/rinen.slides.html", "lectures/jissen.slides.html"] {
        let url = file_url(site.path(deck))?;
        // The toolbar's print button opens the choices; 配布資料を印刷 leads to ?handout=3.
        b.goto(&url)?;
        wait_current(&b)?;
        b.execute(
            "document.querySelector('.deck-bar [data-action=print]').focus();",
            vec![],
        )?;
        b.find(".deck-bar [data-action=print]")?.click()?;
        let link = b.wait_for(".deck-print[open] button.deck-print-handout", WAIT)?;
        ensure!(
            link.text()? == "配布資料を印刷",
            "the print choices offer {:?}",
            link.text()?
        );
        link.click()?;
        b.wait_for(".handout-page", WAIT)?;
        ensure!(
            b.current_url()?.contains("?handout=3"),
            "配布資料を印刷 opened {}",
            b.current_url()?
        );
        let slides = b.execute(
            "return [...document.querySelectorAll('.slide')].map((s) => ({
               title: s.getAttribute('data-title').replace('（続き）', ''),
               notes: ((s.parentNode.querySelector(':scope > .notes .notes-body') || {}).textContent || '').trim() }));",
            vec![],
        )?;
        let slides = slides.as_array().cloned().unwrap_or_default();
        let n = slides.len();
        for (per, name) in [(3usize, "handout3"), (1, "handout1")] {
            b.goto(&format!("{url}?handout={per}"))?;
            b.wait_for(".handout-page", WAIT)?;
            b.wait_until("fonts", WAIT, |b| {
                Ok(b.execute("return document.fonts.status;", vec![])? == json!("loaded"))
            })?;
            let pdf = tmp.write(format!("{name}.pdf"), b.print_pdf_a4()?)?;
            let pages = pdfinfo_pages(&pdf)?;
            ensure!(
                pages == n.div_ceil(per),
                "{deck}?handout={per}: {pages} A4 pages for {n} slides"
            );
            for (i, s) in slides.iter().enumerate() {
                let page = squash(&pdf_page_text(&pdf, i / per + 1)?);
                let title = squash(s["title"].as_str().unwrap_or(""));
                ensure!(
                    page.contains(&title),
                    "{deck}?handout={per}: page {} lacks slide {}'s title {title:?}",
                    i / per + 1,
                    i + 1
                );
                let notes: String = squash(s["notes"].as_str().unwrap_or(""))
                    .chars()
                    .take(12)
                    .collect();
                if per == 1 && !notes.is_empty() {
                    ensure!(
                        page.contains(&notes),
                        "{deck}?handout=1: page {} lacks the notes {notes:?}",
                        i + 1
                    );
                }
                if per == 3 && !notes.is_empty() {
                    ensure!(
                        !page.contains(&notes),
                        "{deck}?handout=3: the audience's handout shows the notes {notes:?}"
                    );
                }
            }
        }
    }
    b.assert_no_errors()?;
    Ok(())
}

/// The lecturer's short answer key: the answer key's address with #key-short prints the
/// answers alone on at most 4 A4 pages (the full key: dozens).
#[test]
fn short_answer_key_prints_on_four_pages_at_most() -> Result<()> {
    let site = build_site(kenshu_e2e::workspace_root())?;
    let b = Browser::start()?;
    let tmp = kenshu_e2e::TempDir::new("key")?;
    b.goto(&format!(
        "{}#key-short",
        file_url(site.path("lecturer/key.html"))?
    ))?;
    b.wait_for("#key-short .key-short-ex", WAIT)?;
    let shown = b.execute(
        "return [...document.querySelectorAll('.exercise-key')].filter((e) => e.getClientRects().length).length;",
        vec![],
    )?;
    ensure!(
        shown == json!(0),
        "{shown} full answers shown beside the short key"
    );
    let pdf = tmp.write("short.pdf", b.print_pdf_a4()?)?;
    let pages = pdfinfo_pages(&pdf)?;
    ensure!(
        (1..=4).contains(&pages),
        "the short key prints on {pages} pages"
    );
    let first = squash(&pdf_page_text(&pdf, 1)?);
    ensure!(
        first.contains("短い解答表") && first.contains("単独の支援") && first.contains("事例1"),
        "the short key's first page: {first:?}"
    );
    b.assert_no_errors()?;
    Ok(())
}

/// In dark mode the authors' figures use the theme's colours: no white box behind or inside
/// them, on the reading page and on the slides.
#[test]
fn figures_have_no_white_box_in_dark_mode() -> Result<()> {
    let site = build_site(kenshu_e2e::workspace_root())?;
    let b = Browser::start()?;
    b.emulate_media(true, false)?;
    for page in ["lectures/jissen.html", "lectures/jissen.slides.html"] {
        b.goto(&file_url(site.path(page))?)?;
        b.wait_for("svg[role=img]", WAIT)?;
        let white = b.execute(
            "const out = [];
             for (const svg of document.querySelectorAll('svg[role=img]')) {
               if (getComputedStyle(svg).backgroundColor === 'rgb(255, 255, 255)') out.push('background');
               for (const e of svg.querySelectorAll('rect, polygon, circle, path')) {
                 const f = getComputedStyle(e).fill;
                 if (f === 'rgb(255, 255, 255)') out.push(e.outerHTML.slice(0, 60));
               }
             }
             return [document.querySelectorAll('svg[role=img]').length, out];",
            vec![],
        )?;
        ensure!(
            white[0].as_u64().unwrap_or(0) >= 5 && white[1] == json!([]),
            "{page}: white in a figure in dark mode: {white}"
        );
    }
    Ok(())
}

/// A figure whose labels would be under 24 px on a slide even at the content's full width is
/// a warning with its file and line and the font-size its viewBox needs; content too long
/// for one slide is split into slides (titled （続き）) rather than shrunk, a table by rows.
#[test]
fn small_figure_labels_warn_and_long_content_is_split() -> Result<()> {
    let dir = kenshu_e2e::TempDir::new("figure-floor")?;
    dir.write("site.toml", "title = \"図の試験\"\n")?;
    let rows: String = (1..=12)
        .map(|i| format!("| 項目{i} | 連携の場面を説明する長めの文がここに入ります。{i} |\n"))
        .collect();
    dir.write(
        "content/deck.md",
        format!(
            "+++\ntitle = \"図\"\nslides = true\n+++\n\n# 図\n\n## 小さな図 {{#small}}\n\n<figure>\n<svg viewBox=\"0 0 640 200\" role=\"img\" aria-label=\"図\"><text x=\"10\" y=\"20\" font-size=\"11\">小さな文字</text></svg>\n<figcaption>説明</figcaption>\n</figure>\n\n## 長い表 {{#table}}\n\n| 項目 | 内容 |\n|---|---|\n{rows}"
        ),
    )?;
    let report = kenshu::check(dir.path()).map_err(|e| format!("check failed: {e:?}"))?;
    let warnings: Vec<String> = report
        .warnings
        .iter()
        .map(|w| w.as_warning().to_string())
        .collect();
    ensure!(
        warnings.len() == 1
            && warnings[0].starts_with("content/deck.md:8:1: warning: slide 2 of content/deck.md: a figure's smallest label would be 20 px")
            && warnings[0].contains("font-size 14 or more"),
        "warnings: {warnings:#?}"
    );
    let site = build_site(dir.path())?;
    let deck = site.read("deck.slides.html")?;
    let parts = deck.matches("data-title=\"長い表（続き）\"").count();
    ensure!(
        parts >= 1,
        "the long table was not split: {parts} continuing slides"
    );
    for i in 1..=12 {
        ensure!(
            deck.matches(&format!("<td>項目{i}</td>")).count() == 1,
            "row {i} is not on exactly one slide"
        );
    }
    ensure!(
        deck.matches("<th>項目</th>").count() == parts + 1,
        "the table's head is not on every part"
    );
    Ok(())
}
