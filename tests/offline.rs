//! Offline use of the hosted site: one visit over http stores the whole
//! site (the build's service worker, `kenshu-sw.js`), so a trainee who
//! loses the network still opens pages never visited, runs their exercises
//! and searches. Never from file://, never inside a frame (an LMS).

use std::time::Duration;

use kenshu_e2e::{build_site, ensure, file_url, Browser, Result, StaticServer};
use serde_json::{json, Value};

const WAIT: Duration = Duration::from_secs(60);

/// Resolves with `[cache names of this site, entries in the newest one,
/// whether a worker controls the page]`.
const CACHE_STATE_JS: &str = r#"
const done = arguments[arguments.length - 1];
(async () => {
  const keys = (await caches.keys()).filter(k => k.startsWith('kenshu '));
  let n = 0;
  for (const k of keys) n = Math.max(n, (await (await caches.open(k)).keys()).length);
  done([keys, n, !!navigator.serviceWorker.controller]);
})().catch(e => done(['error', String(e)]));
"#;

fn cache_state(b: &Browser) -> Result<Value> {
    b.execute_async(CACHE_STATE_JS, vec![])
}

/// The number of files the build lists for the worker.
fn listed(site: &kenshu_e2e::BuiltSite) -> Result<usize> {
    let list: Value = serde_json::from_str(&site.read("assets/offline.json")?)
        .map_err(|e| kenshu_e2e::Error::new(format!("offline.json: {e}")))?;
    Ok(list.as_array().map_or(0, Vec::len))
}

/// Opts this test browser in (site.js leaves automated browsers alone
/// unless asked) and waits until the whole site is stored.
fn visit_and_store(b: &Browser, url: &str, files: usize) -> Result<()> {
    b.goto(url)?;
    b.execute("sessionStorage.setItem('kenshu-offline', '1')", vec![])?;
    b.refresh()?;
    b.wait_until("the site stored for offline use", WAIT, |b| {
        let s = cache_state(b)?;
        Ok(s[1].as_u64().is_some_and(|n| n as usize >= files) && s[2] == json!(true))
    })
}

#[test]
fn a_page_never_visited_opens_offline_after_one_visit() -> Result<()> {
    let site = build_site(kenshu_e2e::workspace_root())?;
    let files = listed(&site)?;
    ensure!(files > 50, "the worker lists only {files} files");
    // The lecturers' area (hidden pages: the answer key) is never stored
    // on a trainee's device, nor named in the list.
    let list = site.read("assets/offline.json")?;
    ensure!(
        !list.contains("lecturer/") && list.contains("\"cases/8050.html\""),
        "offline.json: {list}"
    );
    let worker = site.read("kenshu-sw.js")?;
    ensure!(
        worker.contains("var VERSION = \"")
            && !worker.contains("http://")
            && !worker.contains("https://"),
        "the worker: {}",
        &worker[..worker.len().min(300)]
    );
    let b = Browser::start()?;
    let server = StaticServer::serve(&site.out, "/intranet/kenshu/")?;
    let home = server.url_of("index.html");
    let never = server.url_of("cases/8050.html");
    let seen_before = server.requests().len();
    visit_and_store(&b, &home, files)?;
    // The worker's scope is the site's folder, not the whole host.
    let scope = b.execute_async(
        "const done = arguments[arguments.length - 1]; navigator.serviceWorker.ready.then(r => done(r.scope));",
        vec![],
    )?;
    ensure!(
        scope == json!(server.url()),
        "scope {scope}, site {}",
        server.url()
    );
    ensure!(
        server.requests()[seen_before..]
            .iter()
            .all(|r| r.target.starts_with("/intranet/kenshu/")),
        "the worker asked for something outside the site"
    );
    // Installable: the manifest names the site and its icon.
    let manifest = b.execute_async(
        "const done = arguments[arguments.length - 1];
         const l = document.querySelector('link[rel=manifest]');
         fetch(l.href).then(r => r.json()).then(m => done([m.name, new URL(m.start_url, l.href).href, new URL(m.icons[0].src, l.href).href]), e => done(String(e)));",
        vec![],
    )?;
    ensure!(
        manifest
            == json!([
                "連携のあり方",
                server.url_of("index.html"),
                server.url_of("assets/favicon.svg")
            ]),
        "manifest: {manifest}"
    );
    // The network goes away.
    drop(server);
    b.goto(&never)?;
    b.wait_for(
        "#exercise-case02-classify[data-mounted] .ex:not(.ex-static)",
        WAIT,
    )?;
    let h1 = b.find("h1")?.text()?;
    ensure!(!h1.is_empty(), "no heading on the page opened offline");
    // An answer can be chosen (the exercise's WebAssembly came from the store).
    let radio = b.find("#exercise-case02-classify input[type=radio]")?;
    radio.click()?;
    ensure!(
        radio.property("checked")? == json!(true),
        "the exercise does not take an answer offline"
    );
    // Search works offline too.
    let found = b.execute_async(
        "const done = arguments[arguments.length - 1]; window.KENSHU_SEARCH_RUN('renkei').then(r => done(r.map(x => x.url)), e => done(['error', String(e)]));",
        vec![],
    )?;
    ensure!(
        found
            .as_array()
            .and_then(|a| a.first())
            .and_then(Value::as_str)
            .is_some_and(|u| u.ends_with("glossary.html#renkei")),
        "search offline: {found}"
    );
    Ok(())
}

/// A rebuilt site (a new worker version) replaces the stored copy.
#[test]
fn a_rebuild_replaces_the_stored_site() -> Result<()> {
    let site = build_site(kenshu_e2e::workspace_root())?;
    let files = listed(&site)?;
    let b = Browser::start()?;
    let server = StaticServer::serve(&site.out, "/")?;
    visit_and_store(&b, &server.url_of("glossary.html"), files)?;
    let before = cache_state(&b)?;
    ensure!(
        before[0].as_array().map_or(0, Vec::len) == 1,
        "caches: {before}"
    );
    // What a rebuild that changed a page does to the worker: a new version.
    let worker = site.read("kenshu-sw.js")?;
    let changed = worker.replacen("var VERSION = \"", "var VERSION = \"1", 1);
    std::fs::write(site.path("kenshu-sw.js"), changed)?;
    // The open page looks for a new build (as when it is shown again).
    b.execute(
        "navigator.serviceWorker.getRegistration().then(r => r.update())",
        vec![],
    )?;
    b.wait_until("the new version stored, the old one gone", WAIT, |b| {
        let s = cache_state(b)?;
        Ok(s[0].as_array().map_or(0, Vec::len) == 1
            && s[0] != before[0]
            && s[1].as_u64().is_some_and(|n| n as usize >= files))
    })?;
    // The page offers the update; 再読み込み shows the new build.
    let bar = b.wait_for(".site-update[role=status]", WAIT)?;
    ensure!(
        bar.text()?.contains("更新があります"),
        "update bar: {}",
        bar.text()?
    );
    if let Some(dir) = std::env::var_os("KENSHU_SHOTS").map(std::path::PathBuf::from) {
        for (w, h) in [(390, 844), (1280, 900)] {
            b.set_window_size(w, h)?;
            for dark in [false, true] {
                b.emulate_media(dark, false)?;
                let mode = if dark { "dark" } else { "light" };
                b.screenshot_png(dir.join(format!("update-{w}-{mode}.png")))?;
            }
        }
    }
    let (_, _, w, h) = bar.find("button")?.rect()?;
    ensure!(w >= 24.0 && h >= 24.0, "再読み込み is {w}×{h} px");
    bar.find("button")?.click()?;
    b.wait_until("the page reloaded", WAIT, |b| {
        Ok(b.try_find(".site-update")?.is_none())
    })?;
    Ok(())
}

/// From file:// and inside a frame (an LMS), no worker is registered.
#[test]
fn no_worker_from_disk_or_in_a_frame() -> Result<()> {
    let site = build_site(kenshu_e2e::workspace_root())?;
    let b = Browser::start()?;
    b.goto(&file_url(site.path("index.html"))?)?;
    b.execute("sessionStorage.setItem('kenshu-offline', '1')", vec![])?;
    b.refresh()?;
    b.find("h1")?;
    b.assert_no_errors()?;
    std::fs::write(
        site.path("frame.html"),
        "<!DOCTYPE html><title>LMS</title><script>sessionStorage.setItem('kenshu-offline', '1')</script><iframe src=\"index.html\" width=\"800\" height=\"600\"></iframe>",
    )?;
    let server = StaticServer::serve(&site.out, "/lms/")?;
    b.goto(&server.url_of("frame.html"))?;
    let frame = b.find("iframe")?;
    b.switch_to_frame(Some(&frame))?;
    b.wait_for(".site-title", Duration::from_secs(10))?;
    b.switch_to_frame(None)?;
    // Give a registration every chance to start, then look (a condition,
    // not a pause: the page has loaded its scripts once `load` fired).
    b.wait_until("the frame loaded", Duration::from_secs(10), |b| {
        Ok(b.execute(
            "return document.querySelector('iframe').contentDocument.readyState === 'complete'",
            vec![],
        )? == json!(true))
    })?;
    let regs = b.execute_async(
        "const done = arguments[arguments.length - 1]; navigator.serviceWorker.getRegistrations().then(r => done(r.length));",
        vec![],
    )?;
    ensure!(regs == json!(0), "{regs} workers registered from a frame");
    ensure!(
        !server
            .requests()
            .iter()
            .any(|r| r.target.contains("kenshu-sw.js")
                || r.target.contains("offline.json")
                || r.target.contains("webmanifest")),
        "the framed site asked for the worker"
    );
    Ok(())
}
