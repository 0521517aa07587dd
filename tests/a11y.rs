//! Automated accessibility audit (axe-core, WCAG 2.0–2.2 A/AA rules) of every
//! page kind of the real course, in light and dark, including an exercise
//! after 答え合わせ and a slide deck.
//!
//! axe-core comes from the npm registry (pinned in `tests/support/axe.rs`) and is installed into
//! `target/axe/` on first use, so the README's test command needs nothing
//! else; set `KENSHU_AXE` to use another copy of `axe.min.js`.

use std::time::Duration;

use kenshu_e2e::{axe_source, build_site, ensure, Browser, Result, StaticServer};
use serde_json::{json, Value};

const RUN_AXE: &str = r#"
const done = arguments[arguments.length - 1];
if (!window.axe) { eval(arguments[0]); }
axe.run(document, {
  runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'] },
  resultTypes: ['violations'],
}).then(r => done(r.violations.map(v => ({
  id: v.id,
  impact: v.impact,
  help: v.help,
  nodes: v.nodes.slice(0, 3).map(n => n.target.join(' ') + ' — ' + (n.failureSummary || '').split('\n').slice(0, 2).join(' ')),
})))).catch(e => done([{ id: 'axe-error', help: String(e), nodes: [] }]));
"#;

fn audit(b: &Browser, axe: &str, what: &str, failures: &mut Vec<String>) -> Result<()> {
    let v: Value = b.execute_async(RUN_AXE, vec![json!(axe)])?;
    for violation in v.as_array().cloned().unwrap_or_default() {
        failures.push(format!(
            "{what}: {} ({}): {} {:?}",
            violation["id"].as_str().unwrap_or("?"),
            violation["impact"].as_str().unwrap_or("?"),
            violation["help"].as_str().unwrap_or(""),
            violation["nodes"]
        ));
    }
    Ok(())
}

#[test]
fn every_page_kind_passes_axe_in_light_and_dark() -> Result<()> {
    let axe = axe_source()?;
    let site = build_site(kenshu_e2e::workspace_root())?;
    let server = StaticServer::serve(&site.out, "/")?;
    let b = Browser::start()?;
    let pages = [
        "index.html",
        "lectures/index.html",
        "lectures/jissen.html",
        "lectures/rinen.html",
        "cases/dokkyo.html",
        "glossary.html",
        "exercises/index.html",
        "lecturer/key.html",
        "progress.html",
        "review.html",
        "lectures/check-pre.html",
        "404.html",
        "lectures/jissen.slides.html",
    ];
    let mut failures = Vec::new();
    for dark in [false, true] {
        b.emulate_media(dark, true)?;
        let mode = if dark { "dark" } else { "light" };
        for page in pages {
            b.goto(&server.url_of(page))?;
            b.wait_islands(Duration::from_secs(15))?;
            if page == "review.html" {
                // The 復習 page's own island (its second bundle); with nothing
                // due (a fresh browser) it says so.
                b.wait_for(
                    "[data-exercise-review][data-mounted], [data-exercise-review][data-review=none]",
                    Duration::from_secs(15),
                )?;
                b.settle()?;
            }
            audit(&b, &axe, &format!("{page} ({mode})"), &mut failures)?;
        }
        // An exercise after answering and 答え合わせ (feedback, badges, notes).
        b.goto(&server.url_of("cases/dokkyo.html"))?;
        b.wait_for(
            "[data-exercise='case01-classify'] input[type=radio]",
            Duration::from_secs(10),
        )?;
        b.execute(
            "const host = document.querySelector('[data-exercise=\"case01-classify\"]');
             host.querySelectorAll('input[type=radio]').forEach((r, i) => { if (i % 2 === 0) r.click(); });
             [...host.querySelectorAll('button')].find(x => x.textContent.includes('答え合わせ')).click();
             const table = document.querySelector('[data-exercise=\"case01-table\"]');
             [...table.querySelectorAll('button')].find(x => x.textContent.includes('答え合わせ')).click();
             return 1",
            vec![],
        )?;
        for host in ["case01-classify", "case01-table"] {
            b.wait_for(
                &format!("[data-exercise='{host}'] .ex-summary"),
                Duration::from_secs(10),
            )?;
        }
        b.settle()?;
        audit(
            &b,
            &axe,
            &format!("cases/dokkyo.html after 答え合わせ ({mode})"),
            &mut failures,
        )?;
    }
    ensure!(
        failures.is_empty(),
        "{} accessibility violations:\n{}",
        failures.len(),
        failures.join("\n")
    );
    Ok(())
}

/// Every kind of exercise (tests/fixtures/kinds) with all its feedback
/// shown (after 答え合わせ and 解答を表示), at phone and desktop width, in
/// light and dark.
#[test]
fn every_exercise_kind_passes_axe() -> Result<()> {
    let axe = axe_source()?;
    let site = build_site(kenshu_e2e::workspace_root().join("tests/fixtures/kinds"))?;
    let server = StaticServer::serve(&site.out, "/")?;
    let b = Browser::start()?;
    let mut failures = Vec::new();
    for page in ["practice.html", "own-case.html"] {
        b.goto(&server.url_of(page))?;
        b.wait_for(
            ".exercise[data-mounted] .ex-controls",
            Duration::from_secs(10),
        )?;
        // Answer the first option of every group, check, reveal; type in
        // every text box.
        b.execute(
            "for (const host of document.querySelectorAll('.exercise')) {
               host.querySelectorAll('.ex-group').forEach(g => g.querySelector('input').click());
               host.querySelectorAll('select').forEach(s => { s.selectedIndex = 1; s.dispatchEvent(new Event('change', { bubbles: true })); });
               host.querySelectorAll('textarea').forEach(t => { t.value = '記入'; t.dispatchEvent(new InputEvent('input', { bubbles: true })); });
               const check = [...host.querySelectorAll('button')].find(x => x.textContent === '答え合わせ');
               if (check) check.click();
             }
             return 1",
            vec![],
        )?;
        b.wait_for(".ex-reveal", Duration::from_secs(10))?;
        b.execute(
            "document.querySelectorAll('.ex-reveal').forEach(x => x.click());
             document.querySelectorAll('details.ex-hint').forEach(d => d.open = true); return 1",
            vec![],
        )?;
        for (w, h) in [(390, 844), (1280, 900)] {
            b.set_window_size(w, h)?;
            for dark in [false, true] {
                b.emulate_media(dark, true)?;
                let mode = if dark { "dark" } else { "light" };
                audit(&b, &axe, &format!("{page} {w} px ({mode})"), &mut failures)?;
            }
        }
    }
    b.goto(&server.url_of("progress.html"))?;
    b.wait_for(
        ".exercise-progress[data-mounted] .ex-progress",
        Duration::from_secs(10),
    )?;
    for dark in [false, true] {
        b.emulate_media(dark, true)?;
        audit(
            &b,
            &axe,
            &format!("progress.html (dark {dark})"),
            &mut failures,
        )?;
    }
    ensure!(
        failures.is_empty(),
        "{} accessibility violations:\n{}",
        failures.len(),
        failures.join("\n")
    );
    Ok(())
}
