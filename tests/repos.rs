//! A VuePress 1.x repository (`tests/fixtures/repos/vuepress`) built as
//! it is and read in Chromium, served under its `base` path: its `:::`
//! boxes, emoji, `[[toc]]` contents and `{2-4}` line marks render, a link
//! to a heading id with `・` scrolls to it, the training front matter shows
//! as a header, and search never finds what is inside an HTML comment.
//!
//! The fixture is built once per test binary: heading ids follow the rule
//! of the tool being read, which is set for the whole process.

use std::sync::OnceLock;
use std::time::Duration;

use kenshu_e2e::{build_site, ensure, workspace_root, Browser, BuiltSite, Result, StaticServer};
use serde_json::json;

const WAIT: Duration = Duration::from_secs(10);

fn vuepress() -> Result<&'static BuiltSite> {
    static SITE: OnceLock<std::result::Result<BuiltSite, String>> = OnceLock::new();
    SITE.get_or_init(|| {
        build_site(workspace_root().join("tests/fixtures/repos/vuepress"))
            .map_err(|e| e.to_string())
    })
    .as_ref()
    .map_err(|e| kenshu_e2e::Error::new(e.clone()))
}

/// Types `query` into the search box and waits for the summary; returns
/// the summary and the results' text.
fn search(b: &Browser, query: &str) -> Result<(String, String)> {
    b.find("input[type=search]")?.click()?;
    b.execute(
        "const i = document.querySelector('input[type=search]'); i.value = ''; i.dispatchEvent(new Event('input'));",
        vec![],
    )?;
    b.keys(query)?;
    b.wait_until("search results", WAIT, |b| {
        let done = b.execute(
            "return document.querySelector('#search-results').getAttribute('data-query') === document.querySelector('input[type=search]').value",
            vec![],
        )?;
        Ok(done == json!(true) && !b.find(".search-summary")?.text()?.is_empty())
    })?;
    let results = b.execute(
        "return document.querySelector('#search-results').textContent",
        vec![],
    )?;
    Ok((
        b.find(".search-summary")?.text()?,
        results.as_str().unwrap_or_default().to_string(),
    ))
}

#[test]
fn a_link_to_a_heading_with_a_middle_dot_scrolls_to_it() -> Result<()> {
    let site = vuepress()?;
    let server = StaticServer::serve(&site.out, "/training/")?;
    let b = Browser::start()?;
    b.set_window_size(1280, 900)?;
    b.goto(&server.url_of("git/index.html"))?;
    let link = b.find("article a[href*='python/index.html#']")?;
    ensure!(
        link.text()? == "関数・テストの修正方法",
        "link text: {}",
        link.text()?
    );
    link.click()?;
    b.wait_until("the python page", WAIT, |b| {
        Ok(b.current_url()?.contains("python/index.html#"))
    })?;
    b.wait_until("the heading at the top of the window", WAIT, |b| {
        let v = b.execute(
            "const t = document.querySelector(':target'); return t ? [t.id, t.getBoundingClientRect().top] : null",
            vec![],
        )?;
        Ok(v[0] == json!("関数・テストの修正方法")
            && v[1].as_f64().is_some_and(|top| (-5.0..200.0).contains(&top)))
    })?;
    b.assert_no_errors()?;
    ensure!(
        server.failed_requests().is_empty(),
        "404s: {:?}",
        server.failed_requests()
    );
    Ok(())
}

#[test]
fn training_front_matter_shows_as_a_header() -> Result<()> {
    let site = vuepress()?;
    let server = StaticServer::serve(&site.out, "/training/")?;
    let b = Browser::start()?;
    b.goto(&server.url_of("python/index.html"))?;
    let header = b.find("dl.training-header")?;
    ensure!(header.is_displayed()?, "the training header is not shown");
    let text = header.text()?;
    for want in [
        "想定時間",
        "90分",
        "前提知識",
        "ターミナルの基本操作",
        "エディタでファイルを保存できる",
        "学習目標",
        "関数を書き、テストで確かめられるようになる",
    ] {
        ensure!(text.contains(want), "no {want} in the header: {text}");
    }
    Ok(())
}

#[test]
fn search_finds_no_text_of_html_comments() -> Result<()> {
    let site = vuepress()?;
    let server = StaticServer::serve(&site.out, "/training/")?;
    let b = Browser::start()?;
    b.goto(&server.url_of("index.html"))?;
    // The page's own words are found…
    let (summary, results) = search(&b, "修正方法")?;
    ensure!(
        results.contains("関数・テストの修正方法"),
        "修正方法: {summary} / {results}"
    );
    // …the words inside <!-- --> are not, on one line or several.
    for hidden in ["hiddenword", "secretnote", "Instructor"] {
        let (summary, results) = search(&b, hidden)?;
        ensure!(
            !results.contains(hidden) && !results.contains("python/index.html"),
            "{hidden} is found: {summary} / {results}"
        );
    }
    let index: String = walkdir::WalkDir::new(site.path("assets/search"))
        .into_iter()
        .filter_map(|e| e.ok())
        .filter(|e| e.file_type().is_file())
        .filter_map(|e| std::fs::read_to_string(e.path()).ok())
        .collect();
    ensure!(!index.is_empty(), "no search index in assets/search/");
    for hidden in ["hiddenword", "secretnote", "instructor"] {
        ensure!(
            !index.to_lowercase().contains(hidden),
            "the search index holds {hidden}"
        );
    }
    Ok(())
}

#[test]
fn code_line_marks_are_highlighted() -> Result<()> {
    let site = vuepress()?;
    let server = StaticServer::serve(&site.out, "/training/")?;
    let b = Browser::start()?;
    b.goto(&server.url_of("python/index.html"))?;
    // ```python{2-4}: lines 2 to 4 marked, coloured, and seen as marked.
    let marked = b.find_all("pre code.language-python .code-mark")?;
    ensure!(marked.len() == 3, "{} marked lines", marked.len());
    let lines: Vec<String> = marked.iter().map(|m| m.text()).collect::<Result<_>>()?;
    ensure!(
        lines[0].contains("# ここを直す")
            && lines[1].contains("total = a + b")
            && lines[2].contains("return total"),
        "marked lines: {lines:?}"
    );
    let code = b.find("pre code.language-python")?;
    let (plain, mark) = (
        code.css("background-color")?,
        marked[0].css("background-color")?,
    );
    ensure!(
        plain != mark,
        "a marked line looks like the others ({plain} / {mark})"
    );
    ensure!(
        b.find_all("pre code.language-python span[class^='hl-']")?
            .len()
            > 3,
        "the Python code is not coloured"
    );
    Ok(())
}

#[test]
fn boxes_emoji_contents_and_page_titles_render() -> Result<()> {
    let site = vuepress()?;
    let server = StaticServer::serve(&site.out, "/training/")?;
    let b = Browser::start()?;
    b.set_window_size(1280, 900)?;
    b.goto(&server.url_of("python/index.html"))?;
    // `# {{$page.frontmatter.title}}`: the title from front matter.
    let h1 = b.find("h1")?.text()?;
    ensure!(h1 == "Python でテストを書く", "h1: {h1:?}");
    // ::: tip / ::: warning 注意 / ::: details 答え
    let tip = b.find("aside.admonition.tip")?;
    ensure!(tip.is_displayed()?, "the tip box is not shown");
    ensure!(
        tip.text()?.contains("Python 3.10 以上"),
        "tip: {}",
        tip.text()?
    );
    let warning = b.find("aside.admonition.warning")?;
    ensure!(
        b.find("aside.admonition.warning .admonition-title")?
            .text()?
            == "注意",
        "warning title: {}",
        warning.text()?
    );
    let details = b.find("details.admonition")?;
    ensure!(
        b.find("details.admonition summary")?.text()? == "答え",
        "details summary"
    );
    ensure!(
        details.attr("open")?.is_none(),
        "the details box starts open"
    );
    b.find("details.admonition summary")?.click()?;
    b.wait_until("the details box to open", WAIT, |b| {
        Ok(b.find("details.admonition")?.attr("open")?.is_some())
    })?;
    // Emoji shortcodes are characters.
    let text = b.find("article")?.text()?;
    for (code, emoji) in [(":computer:", "💻"), (":+1:", "👍")] {
        ensure!(!text.contains(code), "{code} left as text");
        ensure!(text.contains(emoji), "no {emoji}");
    }
    // [[toc]]: the page's contents, linking its headings.
    let toc: Vec<String> = b
        .find_all("article nav.page-contents a")?
        .iter()
        .map(|a| a.attr("href").map(Option::unwrap_or_default))
        .collect::<Result<_>>()?;
    ensure!(
        toc.iter().any(|h| h == "#関数・テストの修正方法"),
        "contents: {toc:?}"
    );
    ensure!(!text.contains("[[toc]]"), "[[toc]] left as text");
    let home = site.read("index.html")?;
    ensure!(home.contains('🎉'), "no 🎉 on the home page");
    Ok(())
}
