//! The built site works wherever it is put: at a domain root, under a sub-path, and opened
//! from disk (file://, also from a folder whose path has spaces and Japanese). Real
//! Chromium, real clicks.
//!
//! The fixture (tests/fixtures/portable) has pages in nested folders, a logo and an image,
//! links between pages and to headings (Japanese and custom ids), an exercise two folders
//! deep and a slide deck. In each placement: the theme's CSS is applied, clicking links
//! changes the page, images load, the exercise is mounted by the WebAssembly bundle, the
//! deck advances with PageDown, every page reachable by links is checked (links stay inside
//! the folder, `#fragments` exist), and no request fails and nothing is logged as an error.
//! The built HTML and CSS contain no root-relative or absolute URL. The real course
//! (repository root) gets the same crawl under a sub-path and from file://.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::time::Duration;

use kenshu_e2e::{
    absolute_urls, build_site, ensure, file_url, files_with_extension, Browser, BuiltSite, Error,
    Key, Result, StaticServer,
};
use serde_json::Value;

const WAIT: Duration = Duration::from_secs(15);
const SITE_TITLE: &str = "ポータブル検証";
/// `accent = "#123456"` in the fixture's site.toml, as Chromium reports it.
const ACCENT: &str = "rgba(18, 52, 86, 1)";
/// The default theme's accent colour, used when site.toml sets none.
const DEFAULT_ACCENT: &str = "#1d5fa8";

fn fixture() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/portable")
}

/// The site's accent colour (`accent = "#rrggbb"` in site.toml) as Chromium reports it.
fn accent_of(site_dir: &Path) -> Result<String> {
    let toml = std::fs::read_to_string(site_dir.join("site.toml")).unwrap_or_default();
    let hex = toml
        .lines()
        .filter_map(|l| l.trim().strip_prefix("accent"))
        .filter_map(|rest| rest.trim_start().strip_prefix('='))
        .map(|v| v.trim().trim_matches('"').to_string())
        .next()
        .unwrap_or_else(|| DEFAULT_ACCENT.to_string());
    let channel = |i: usize| {
        hex.get(i..i + 2)
            .and_then(|h| u8::from_str_radix(h, 16).ok())
            .ok_or_else(|| Error::new(format!("accent {hex:?} is not #rrggbb")))
    };
    ensure!(
        hex.len() == 7 && hex.starts_with('#'),
        "accent {hex:?} is not #rrggbb"
    );
    Ok(format!(
        "rgba({}, {}, {}, 1)",
        channel(1)?,
        channel(3)?,
        channel(5)?
    ))
}

fn build() -> Result<BuiltSite> {
    build_site(fixture())
}

/// The pages a reader can reach: every built HTML file except the 404 page and the
/// pages kept out of the trainee's path (`hidden = true`, marked `noindex`), as paths
/// relative to the output folder ("guide/intro.html").
fn built_pages(site: &BuiltSite) -> Result<BTreeSet<String>> {
    Ok(files_with_extension(&site.out, "html")?
        .into_iter()
        .filter(|p| {
            !std::fs::read_to_string(p)
                .is_ok_and(|html| html.contains(r#"<meta name="robots" content="noindex">"#))
        })
        .filter_map(|p| {
            p.strip_prefix(&site.out)
                .ok()
                .map(|r| r.to_string_lossy().replace('\\', "/"))
        })
        .filter(|r| r != "404.html")
        .collect())
}

#[test]
fn built_html_has_only_relative_urls() -> Result<()> {
    let site = build()?;
    let pages = built_pages(&site)?;
    ensure!(
        pages.len() >= 5,
        "expected the fixture's pages to be built, found {pages:?}"
    );
    for must in ["index.html", "guide/intro.html", "guide/deep/deep.html"] {
        ensure!(
            pages.contains(must),
            "{must} missing from output: {pages:?}"
        );
    }
    ensure!(
        site.path("images/diagram.png").is_file() && site.path("images/logo.svg").is_file(),
        "content images not copied"
    );
    let problems = absolute_urls(&site.out)?;
    ensure!(
        problems.is_empty(),
        "the output must use relative URLs only; found:\n{}",
        problems.join("\n")
    );
    // The check itself must see the URLs that are there (guards against a scanner that
    // silently finds nothing).
    let deep = site.read("guide/deep/deep.html")?;
    ensure!(
        deep.contains("href=\"../../") || deep.contains("src=\"../../"),
        "expected ../../ URLs in guide/deep/deep.html"
    );
    Ok(())
}

#[test]
fn works_at_domain_root() -> Result<()> {
    let site = build()?;
    let server = StaticServer::serve(&site.out, "/")?;
    let b = Browser::start()?;
    check_site(&b, &site, &server.url())?;
    check_server_log(&server)
}

#[test]
fn works_under_sub_path() -> Result<()> {
    let site = build()?;
    let server = StaticServer::serve(&site.out, "/intranet/kenshu/")?;
    let b = Browser::start()?;
    check_site(&b, &site, &server.url())?;
    check_server_log(&server)?;
    let outside: Vec<_> = server
        .requests()
        .into_iter()
        .filter(|r| !r.target.starts_with("/intranet/kenshu/"))
        .collect();
    ensure!(
        outside.is_empty(),
        "requests outside the sub-path /intranet/kenshu/: {outside:?}"
    );
    Ok(())
}

#[test]
fn works_from_file_url() -> Result<()> {
    let site = build()?;
    let b = Browser::start()?;
    let base = format!("{}/", file_url(&site.out)?);
    check_site(&b, &site, &base)
}

/// The checks above must be able to fail: a root-relative stylesheet URL works at the domain
/// root but breaks under a sub-path, and that must be caught.
#[test]
fn sub_path_check_catches_a_root_relative_url() -> Result<()> {
    let site = build()?;
    let page = site.path("guide/intro.html");
    let html = site.read("guide/intro.html")?;
    ensure!(
        html.contains("href=\"../assets/site.css\""),
        "fixture output changed: no ../assets/site.css link in guide/intro.html"
    );
    std::fs::write(
        &page,
        html.replace("href=\"../assets/site.css\"", "href=\"/assets/site.css\""),
    )?;
    ensure!(
        !absolute_urls(&site.out)?.is_empty(),
        "absolute_urls missed the root-relative URL"
    );
    let server = StaticServer::serve(&site.out, "/intranet/kenshu/")?;
    let b = Browser::start()?;
    let result = check_site(&b, &site, &server.url());
    let err = match result {
        Ok(()) => return Err(Error::new("a broken stylesheet URL went unnoticed")),
        Err(e) => e,
    };
    ensure!(
        err.message().contains("guide/intro.html") && err.message().contains("theme CSS"),
        "unexpected failure: {err}"
    );
    ensure!(
        server
            .failed_requests()
            .iter()
            .any(|r| r.target == "/assets/site.css" && r.status == 404),
        "the server should have seen the broken request: {:?}",
        server.requests()
    );
    Ok(())
}

/// The real course (the repository's site.toml and content/) is portable too: under a
/// sub-path, every page reachable by links works and no request fails.
#[test]
fn the_course_works_under_a_sub_path() -> Result<()> {
    let site = build_site(kenshu_e2e::workspace_root())?;
    let problems = absolute_urls(&site.out)?;
    ensure!(
        problems.is_empty(),
        "the course output must use relative URLs only; found:\n{}",
        problems.join("\n")
    );
    let server = StaticServer::serve(&site.out, "/kenshu/renkei/")?;
    let b = Browser::start()?;
    let base = server.url();
    let accent = accent_of(&kenshu_e2e::workspace_root())?;
    crawl(&b, &site, &base, &accent)
        .and_then(|()| b.assert_no_errors())
        .map_err(|e| e.context(format!("the course at {base}")))
        .inspect_err(|_| b.mark_failed())?;
    let failed = server.failed_requests();
    ensure!(failed.is_empty(), "the server answered errors: {failed:?}");
    Ok(())
}

/// The real course opened from disk.
#[test]
fn the_course_works_from_file_url() -> Result<()> {
    let site = build_site(kenshu_e2e::workspace_root())?;
    let b = Browser::start()?;
    let base = format!("{}/", file_url(&site.out)?);
    let accent = accent_of(&kenshu_e2e::workspace_root())?;
    crawl(&b, &site, &base, &accent)
        .and_then(|()| b.assert_no_errors())
        .map_err(|e| e.context(format!("the course at {base}")))
        .inspect_err(|_| b.mark_failed())
}

/// A USB stick or a shared drive: the folder's path has spaces, Japanese and brackets,
/// which file:// URLs percent-encode.
#[test]
fn works_from_file_url_in_a_folder_with_spaces_and_japanese() -> Result<()> {
    let mut site = build()?;
    let moved = site.dir.join("USB メモリ/研修 資料 (第1版)");
    if let Some(parent) = moved.parent() {
        std::fs::create_dir_all(parent)?;
    }
    std::fs::rename(&site.out, &moved)?;
    site.out = moved;
    let b = Browser::start()?;
    let base = format!("{}/", file_url(&site.out)?);
    ensure!(base.contains("%20") && base.contains("%E7%A0%94"), "{base}");
    check_site(&b, &site, &base)
}

fn check_server_log(server: &StaticServer) -> Result<()> {
    let failed = server.failed_requests();
    ensure!(failed.is_empty(), "the server answered errors: {failed:?}");
    let requests = server.requests();
    for needed in [
        "assets/site.css",
        "images/logo.svg",
        "images/diagram.png",
        "assets/deck.js",
    ] {
        ensure!(
            requests
                .iter()
                .any(|r| r.target.ends_with(needed) && r.status == 200),
            "{needed} was never fetched: {requests:?}"
        );
    }
    // Over http the exercises load as an ES module + .wasm; the inline bundle is only the
    // fallback for file:// (or for a failed module load, which must not happen here).
    let wasm = requests
        .iter()
        .filter(|r| r.target.contains("kenshu-exercises_bg.wasm"))
        .collect::<Vec<_>>();
    ensure!(
        !wasm.is_empty() && wasm.iter().all(|r| r.status == 200),
        "the .wasm was not fetched: {requests:?}"
    );
    let inline: Vec<_> = requests
        .iter()
        .filter(|r| r.target.contains("kenshu-exercises-inline.js"))
        .collect();
    ensure!(
        inline.is_empty(),
        "the inline fallback bundle was loaded over http: {inline:?}"
    );
    Ok(())
}

/// Everything that must hold in one placement: `base` is the URL of the output folder
/// (ends with `/`).
fn check_site(b: &Browser, site: &BuiltSite, base: &str) -> Result<()> {
    let checks = || -> Result<()> {
        click_through(b, base).map_err(|e| e.context(format!("clicking through {base}")))?;
        crawl(b, site, base, ACCENT).map_err(|e| e.context(format!("crawling {base}")))?;
        b.assert_no_errors()
            .map_err(|e| e.context(format!("site at {base}")))
    };
    checks().inspect_err(|_| b.mark_failed())
}

/// Checks the page that is open: the theme's CSS is applied, every image has loaded, no
/// resource answered an HTTP error.
fn check_page(b: &Browser, accent: &str) -> Result<()> {
    let url = b.current_url()?;
    // The theme's stylesheet removes the browser's default 8px body margin and positions the
    // skip link off-screen (it would be static without the stylesheet).
    let margin = b.find("body")?.css("margin-top")?;
    ensure!(
        margin == "0px",
        "{url}: theme CSS not applied (body margin-top is {margin})"
    );
    if let Some(skip) = b.try_find(".skip-link")? {
        let position = skip.css("position")?;
        ensure!(
            position == "absolute",
            "{url}: theme CSS not applied (.skip-link position is {position})"
        );
    }
    // Content links take the site's accent colour (`a { color: var(--accent) }`).
    if let Some(link) = b.try_find("article a")? {
        let colour = link.css("color")?;
        ensure!(
            colour == accent,
            "{url}: link colour {colour}, expected the accent {accent}"
        );
    }
    b.wait_until("images to finish loading", WAIT, |b| {
        Ok(b.execute(
            "return [...document.images].every(i => i.complete);",
            vec![],
        )? == Value::Bool(true))
    })?;
    let broken = b.execute(
        "return [...document.images].filter(i => !(i.naturalWidth > 0)).map(i => i.src);",
        vec![],
    )?;
    ensure!(
        broken.as_array().is_some_and(Vec::is_empty),
        "{url}: images that did not load: {broken}"
    );
    let failed = b.execute(
        "return performance.getEntriesByType('resource')\
           .filter(e => e.responseStatus >= 400).map(e => e.name + ' ' + e.responseStatus);",
        vec![],
    )?;
    ensure!(
        failed.as_array().is_some_and(Vec::is_empty),
        "{url}: resources with HTTP errors: {failed}"
    );
    Ok(())
}

fn wait_title(b: &Browser, title: &str) -> Result<()> {
    b.wait_until(&format!("page title {title:?}"), WAIT, |b| {
        Ok(b.title()? == title)
    })
    .map_err(|e| {
        let now = b.title().unwrap_or_default();
        let url = b.current_url().unwrap_or_default();
        e.context(format!("now at {url} titled {now:?}"))
    })
}

fn page_title(title: &str) -> String {
    format!("{title} | {SITE_TITLE}")
}

/// A reader's path through the site, by clicking.
fn click_through(b: &Browser, base: &str) -> Result<()> {
    b.goto(&format!("{base}index.html"))?;
    wait_title(b, SITE_TITLE)?;
    check_page(b, ACCENT)?;
    ensure!(
        b.find_all("main img")?.len() == 1,
        "home: the diagram is missing"
    );
    ensure!(
        b.find_all("img.site-logo")?.len() == 1,
        "home: the logo (site.toml `logo`) is missing"
    );

    // Home → はじめに (a content link into a folder).
    b.find("main a[href$='guide/intro.html']")?.click()?;
    wait_title(b, &page_title("はじめに"))?;
    ensure!(
        b.current_url()? == format!("{base}guide/intro.html"),
        "intro URL is {}",
        b.current_url()?
    );
    check_page(b, ACCENT)?;

    // はじめに → 詳細#詳細な手順 (a link to a Japanese heading on another page).
    b.find("article a[href*='details.html#']")?.click()?;
    wait_title(b, &page_title("詳細"))?;
    let target = b.execute(
        "const t = document.querySelector(':target'); \
         return [decodeURIComponent(location.hash.slice(1)), t && t.id, t && t.tagName];",
        vec![],
    )?;
    ensure!(
        target == serde_json::json!(["詳細な手順", "詳細な手順", "H2"]),
        "heading link did not land on the heading: {target}"
    );
    check_page(b, ACCENT)?;

    // 詳細 → the deep folder's section page, through the side navigation.
    b.find(".site-nav a[href$='guide/deep/index.html']")?
        .click()?;
    b.wait_until("the deep section page", WAIT, |b| {
        Ok(b.current_url()? == format!("{base}guide/deep/index.html")
            && b.title()? != page_title("詳細"))
    })?;
    check_page(b, ACCENT)?;

    // Section page → 奥のページ, through the side navigation (now expanded).
    b.find(".site-nav a[href$='guide/deep/deep.html']")?
        .click()?;
    wait_title(b, &page_title("奥のページ"))?;
    check_page(b, ACCENT)?;
    ensure!(
        b.find_all("article img")?.len() == 1,
        "deep page: the diagram is missing"
    );
    check_exercise(b)?;

    // 奥のページ → 詳細#summary (custom heading id, two folders up).
    b.find("article a[href*='details.html#summary']")?.click()?;
    wait_title(b, &page_title("詳細"))?;
    let hash = b.execute("return location.hash;", vec![])?;
    ensure!(hash == "#summary", "expected #summary, got {hash}");

    // Back home through the site title in the header: landing on #summary
    // scrolled the page down and the header slid away; scrolling up brings
    // it back, as a reader would.
    b.execute(
        "window.scrollBy({ top: -300, behavior: 'instant' }); return 1",
        vec![],
    )?;
    b.wait_until("the header back on screen", WAIT, |b| {
        let top = b.execute(
            "return document.querySelector('.site-header').getBoundingClientRect().top",
            vec![],
        )?;
        Ok(top.as_f64().is_some_and(|t| t > -0.5))
    })?;
    b.find(".site-title")?.click()?;
    wait_title(b, SITE_TITLE)?;
    ensure!(
        b.current_url()? == format!("{base}index.html"),
        "home URL is {}",
        b.current_url()?
    );
    check_page(b, ACCENT)?;

    // The slide deck of 詳細 (slides = true): opened from the reading page's link, it runs
    // its script and goes to the next slide with PageDown (a presenter's clicker).
    b.goto(&format!("{base}guide/details.html"))?;
    wait_title(b, &page_title("詳細"))?;
    b.find(".slides-link a")?.click()?;
    b.wait_until("the deck", WAIT, |b| {
        Ok(b.current_url()?
            .starts_with(&format!("{base}guide/details.slides.html")))
    })?;
    b.wait_until("the deck script to start", WAIT, |b| {
        Ok(b.execute(
            "return document.documentElement.classList.contains('js')",
            vec![],
        )? == Value::Bool(true))
    })?;
    check_page(b, ACCENT)?;
    b.press(Key::PageDown)?;
    let slide = "return [location.hash, document.querySelector('.deck-current').textContent]";
    b.wait_until("slide 2 after PageDown", WAIT, |b| {
        Ok(b.execute(slide, vec![])? == serde_json::json!(["#2", "2"]))
    })
    .map_err(|e| {
        let now = b.execute(slide, vec![]).map(|v| v.to_string());
        e.context(format!("deck state {now:?}"))
    })
}

/// The exercise on the open page has been mounted by the WebAssembly bundle: a radio group
/// per item, one radio per category.
fn check_exercise(b: &Browser) -> Result<()> {
    let url = b.current_url()?;
    b.wait_until(
        "the exercise to be mounted by the WebAssembly bundle",
        WAIT,
        |b| {
            Ok(
                b.find_all("[data-exercise='fruit-classify'][data-mounted] input[type=radio]")?
                    .len()
                    == 4,
            )
        },
    )
    .map_err(|e| e.context(&url))
}

/// Visits every page reachable by links from the home page; checks every page, that every
/// link stays inside the site folder, that all pages are reachable, and that every
/// `#fragment` names an element of its target page.
fn crawl(b: &Browser, site: &BuiltSite, base: &str, accent: &str) -> Result<()> {
    let mut queue = vec![format!("{base}index.html")];
    let mut seen: BTreeSet<String> = queue.iter().cloned().collect();
    let mut ids: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    let mut fragments: Vec<(String, String, String)> = Vec::new(); // (from, page, id)
    while let Some(url) = queue.pop() {
        b.goto(&url)?;
        check_page(b, accent).map_err(|e| e.context(&url))?;
        let found = b.execute(
            "return { \
               ids: [...document.querySelectorAll('[id]')].map(e => e.id), \
               links: [...document.querySelectorAll('a[href]')].map(a => { \
                 const u = new URL(a.href); const f = decodeURIComponent(u.hash.slice(1)); \
                 u.hash = ''; return [u.href, f, a.getAttribute('href')]; }) };",
            vec![],
        )?;
        let page_ids = found["ids"]
            .as_array()
            .map(|a| {
                a.iter()
                    .filter_map(Value::as_str)
                    .map(str::to_string)
                    .collect()
            })
            .unwrap_or_default();
        ids.insert(url.clone(), page_ids);
        for link in found["links"].as_array().cloned().unwrap_or_default() {
            let target = link[0].as_str().unwrap_or("").to_string();
            let fragment = link[1].as_str().unwrap_or("").to_string();
            let raw = link[2].as_str().unwrap_or("");
            if target.starts_with("mailto:") {
                continue;
            }
            ensure!(
                target.starts_with(base),
                "{url}: link {raw:?} leaves the site folder ({target})"
            );
            if !fragment.is_empty() {
                fragments.push((url.clone(), target.clone(), fragment));
            }
            if target.ends_with(".html") && seen.insert(target.clone()) {
                queue.push(target);
            } else if !target.ends_with(".html") && !target.ends_with('/') {
                // A link to a file: it must exist in the output.
                let rel = percent_decode(&target[base.len()..]);
                ensure!(
                    site.path(&rel).is_file(),
                    "{url}: link {raw:?} points to a missing file {rel}"
                );
            }
        }
    }
    let reached: BTreeSet<String> = seen
        .iter()
        .map(|u| percent_decode(&u[base.len()..]))
        .collect();
    let pages = built_pages(site)?;
    let unreachable: Vec<_> = pages.difference(&reached).collect();
    ensure!(
        unreachable.is_empty(),
        "pages not reachable by links from the home page: {unreachable:?}"
    );
    let missing: Vec<_> = reached
        .iter()
        .filter(|rel| !site.path(rel).is_file())
        .collect();
    ensure!(
        missing.is_empty(),
        "links to pages that were not built: {missing:?}"
    );
    for (from, page, id) in fragments {
        let known = ids
            .get(&page)
            .ok_or_else(|| Error::new(format!("{from}: #{id} on a page never visited: {page}")))?;
        ensure!(
            known.contains(&id),
            "{from}: link to #{id} but {page} has no element with that id"
        );
    }
    Ok(())
}

fn percent_decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = (bytes[i] == b'%')
            .then(|| s.get(i + 1..i + 3))
            .flatten()
            .and_then(|h| u8::from_str_radix(h, 16).ok());
        match hex {
            Some(b) => {
                out.push(b);
                i += 3;
            }
            None => {
                out.push(bytes[i]);
                i += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}
