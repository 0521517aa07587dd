//! Markdown people already have (issue #16): small sites laid out like an
//! mdBook, a GitBook/HonKit book and a Hugo site build as they are, and a
//! reader gets what those tools would show — order, titles, included code,
//! folder indexes, links — plus highlighted code that is readable in light
//! and dark in a real browser.

use std::path::{Path, PathBuf};

use kenshu_e2e::{
    build_site, ensure, html_text, Browser, BuiltSite, Error, Result, StaticServer, TempDir,
};
use serde_json::json;

fn fixture(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("fixtures/conventions")
        .join(name)
}

/// The `<main>` of a page.
fn main_of(site: &BuiltSite, page: &str) -> Result<String> {
    let html = site.read(page)?;
    let start = html
        .find("<main")
        .ok_or_else(|| Error::new(format!("{page}: no <main>")))?;
    let end = html[start..]
        .find("</main>")
        .map_or(html.len(), |e| start + e);
    Ok(html[start..end].to_string())
}

/// The sidebar entries of a page, in order, indented by depth.
fn nav_of(site: &BuiltSite, page: &str) -> Result<Vec<String>> {
    let html = site.read(page)?;
    let start = html
        .find("<ul class=\"nav-tree\">")
        .ok_or_else(|| Error::new(format!("{page}: no sidebar")))?;
    let mut depth = 0usize;
    let mut out = Vec::new();
    let mut rest = &html[start..];
    while let Some(i) = rest.find('<') {
        rest = &rest[i..];
        if rest.starts_with("<ul") {
            depth += 1;
        } else if rest.starts_with("</ul") {
            depth -= 1;
            if depth == 0 {
                break;
            }
        } else if rest.starts_with("<a ") || rest.starts_with("<span class=\"nav-title\"") {
            // A link, or a title without a page (an mdBook part title or
            // draft chapter).
            let close = rest.find("</").unwrap_or(rest.len());
            out.push(format!(
                "{}{}",
                "  ".repeat(depth.saturating_sub(1)),
                html_text(&rest[..close])
            ));
        }
        rest = &rest[1..];
    }
    Ok(out)
}

fn title_of(site: &BuiltSite, page: &str) -> Result<String> {
    let html = site.read(page)?;
    let s = html.find("<title>").map_or(0, |i| i + 7);
    let e = html[s..].find("</title>").map_or(s, |i| s + i);
    Ok(html_text(&html[s..e]))
}

#[test]
fn mdbook_summary_includes_and_hidden_lines() -> Result<()> {
    let site = build_site(fixture("mdbook"))?;
    // SUMMARY.md gives the order (appendix last though its file name sorts
    // first), the nesting and the titles; it is not a page itself.
    ensure!(
        !site.path("SUMMARY.html").exists(),
        "SUMMARY.md was published"
    );
    // The part title `# 第1部 基本` is a section holding its chapters, and
    // the draft chapter `[まだ書いていない節]()` a title without a link, as
    // mdBook shows them; the appendix after `---` stays at the top level.
    let nav = nav_of(&site, "ch01-00-basics.html")?;
    ensure!(
        nav == [
            "はじめに",
            "第1部 基本",
            "  連携の基本",
            "    情報共有の細部",
            "    まだ書いていない節",
            "  事例",
            "付録A：用語"
        ],
        "sidebar: {nav:#?}"
    );
    // A chapter whose first heading is `##` or `###` has it as its title.
    ensure!(
        title_of(&site, "ch01-01-detail.html")?.starts_with("情報共有の細部"),
        "title: {}",
        title_of(&site, "ch01-01-detail.html")?
    );

    let main = main_of(&site, "ch01-00-basics.html")?;
    let blocks: Vec<String> = main
        .split("<pre>")
        .skip(1)
        .map(|b| html_text(b.split("</pre>").next().unwrap_or("")))
        .collect();
    ensure!(blocks.len() == 2, "code blocks: {blocks:#?}");
    // rustdoc_include with an anchor: the anchored lines; the rest of the
    // file is hidden, anchor comments never show.
    ensure!(
        blocks[0]
            == "struct Record {\n    name: String,\n    notes: BTreeMap<String, String>,\n}\n",
        "anchored include: {:?}",
        blocks[0]
    );
    ensure!(
        blocks[1].starts_with("use std::collections::BTreeMap;\n\nstruct Record {")
            && blocks[1].contains("fn main()")
            && !blocks[1].contains("ANCHOR"),
        "whole include: {:?}",
        blocks[1]
    );
    ensure!(!main.contains("{{#"), "a directive left in the page");
    // `rust,ignore` is Rust; highlighted at build time.
    ensure!(
        main.contains("<code class=\"language-rust\">") && main.contains("class=\"hl-"),
        "no highlighted Rust"
    );
    // Soft breaks after 。 join; the allowed link to a neighbouring book
    // is kept as written.
    let text = html_text(&main);
    ensure!(
        text.contains("欠かせません。記録の形式はAPIで統一できます。次の例は"),
        "line breaks: {text}"
    );
    ensure!(
        main.contains("href=\"../std/index.html\""),
        "external link rewritten"
    );

    let detail = main_of(&site, "ch01-01-detail.html")?;
    let code = html_text(&detail);
    ensure!(
        code.contains("let shared") && !code.contains("fn main"),
        "hidden lines shown: {code}"
    );
    ensure!(
        detail.contains("<strong>「本人の同意」</strong>が前提です"),
        "emphasis next to 「」: {detail}"
    );
    // The footnote is at the end, linked both ways.
    ensure!(
        detail.contains("href=\"#fn-consent\" id=\"fnref-consent\"")
            && detail.contains("<li id=\"fn-consent\">")
            && detail.contains("href=\"#fnref-consent\""),
        "footnote: {detail}"
    );
    Ok(())
}

#[test]
fn gitbook_readme_indexes_and_folder_links() -> Result<()> {
    let site = build_site(fixture("gitbook"))?;
    // The home page's <title> is the site's; its heading is README's.
    let home = site.read("index.html")?;
    let h1 = home.find("<h1").map_or(0, |i| i);
    let h1_end = home[h1..].find("</h1>").map_or(h1, |i| h1 + i);
    ensure!(html_text(&home[h1..h1_end]).contains("はじめに"), "home");
    // chapter1/README.md is the chapter's page, titled by SUMMARY.md.
    ensure!(
        title_of(&site, "chapter1/index.html")?.starts_with("第1章 連携とは"),
        "{}",
        title_of(&site, "chapter1/index.html")?
    );
    ensure!(
        !site.path("chapter1/README.html").exists(),
        "README.md also written as a page"
    );
    let nav = nav_of(&site, "chapter1/tashokushu.html")?;
    ensure!(
        nav == [
            "はじめに",
            "第1章 連携とは",
            "  1.1 多職種で動く",
            "第2章 会議"
        ],
        "sidebar: {nav:#?}"
    );
    // YAML front matter is front matter, not a heading.
    let chapter = site.read("chapter1/index.html")?;
    ensure!(
        chapter.contains("content=\"連携の定義を確認します\"") && !chapter.contains("description:"),
        "front matter shown: {chapter}"
    );
    // A folder link without a slash, a README.md link and `../folder/`.
    let home = main_of(&site, "index.html")?;
    ensure!(
        home.contains("href=\"chapter1/index.html\"")
            && home.contains("href=\"chapter2/index.html\""),
        "folder links: {home}"
    );
    ensure!(
        main_of(&site, "chapter2/index.html")?.contains("href=\"../chapter1/index.html\""),
        "../chapter1/"
    );
    Ok(())
}

#[test]
fn hugo_index_yaml_root_links_and_drafts() -> Result<()> {
    let site = build_site(fixture("hugo"))?;
    ensure!(
        title_of(&site, "index.html")?.starts_with("連携ノート"),
        "home"
    );
    ensure!(
        title_of(&site, "posts/index.html")?.starts_with("記事"),
        "posts/_index.md"
    );
    ensure!(
        !site.path("posts/_index.html").exists(),
        "_index.md as a page"
    );
    ensure!(
        !site.path("posts/mikan.html").exists(),
        "a draft was published"
    );
    // weight from YAML: 協働 (1) before 連携 (2).
    let nav = nav_of(&site, "posts/kyodo.html")?;
    ensure!(
        nav == ["連携ノート", "記事", "  協働との違い", "  連携の三つの段階"],
        "sidebar: {nav:#?}"
    );
    let post = main_of(&site, "posts/renkei.html")?;
    // Root-relative links, read from content/, written relative; the
    // query is kept; `/posts/kyodo/` is the page kyodo.md.
    ensure!(
        post.contains("src=\"../images/steps.svg\""),
        "image: {post}"
    );
    ensure!(
        post.contains("href=\"../posts/kyodo.html?from=renkei\""),
        "pretty URL with query: {post}"
    );
    ensure!(
        main_of(&site, "index.html")?.contains("href=\"posts/renkei.html\""),
        "root link from the home page"
    );
    let text = html_text(&post);
    ensure!(!text.contains("date:") && !text.contains("tags:"), "{text}");
    Ok(())
}

fn errors_of(dir: &Path) -> Vec<String> {
    match kenshu::check(dir) {
        Ok(_) => Vec::new(),
        Err(e) => e.iter().map(ToString::to_string).collect(),
    }
}

#[test]
fn mistakes_in_includes_and_summary_are_errors_with_positions() -> Result<()> {
    // A site folder `site/` with a file beside it, outside the site.
    let root = TempDir::new("conventions")?;
    root.write("secret.rs", "fn secret() {}\n")?;
    root.write(
        "site/content/SUMMARY.md",
        "# Summary\n\n- [一](a.md)\n- [ない](missing.md)\n",
    )?;
    root.write(
        "site/content/a.md",
        "# 一\n\n```rust\n{{#include ../../secret.rs}}\n```\n\n```rust\n{{#include ../src/x.rs:nope}}\n```\n",
    )?;
    root.write("site/src/x.rs", "fn x() {}\n")?;
    let errors = errors_of(&root.join("site"));
    let find = |needle: &str| errors.iter().find(|e| e.contains(needle)).cloned();
    ensure!(
        find("outside the site folder").is_some_and(|e| e.starts_with("content/a.md:4:1: error:")),
        "{errors:#?}"
    );
    ensure!(
        find("ANCHOR: nope").is_some_and(|e| e.starts_with("content/a.md:8:1: error:")),
        "{errors:#?}"
    );
    ensure!(
        find("missing.md").is_some_and(|e| e.starts_with("content/SUMMARY.md:4:3: error:")),
        "{errors:#?}"
    );
    Ok(())
}

/// Highlighted code is coloured in light and dark, each colour readable
/// (4.5:1) on the block's background, and the block fits a phone screen.
#[test]
fn highlighted_code_is_readable_in_light_and_dark() -> Result<()> {
    let site = build_site(fixture("mdbook"))?;
    let server = StaticServer::serve(&site.out, "/")?;
    let b = Browser::start()?;
    b.set_window_size(390, 844)?;
    const JS: &str = r#"
function rgb(s) { return s.match(/[\d.]+/g).slice(0, 3).map(Number); }
function lum(c) {
  const f = v => { v /= 255; return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4); };
  return 0.2126 * f(c[0]) + 0.7152 * f(c[1]) + 0.0722 * f(c[2]);
}
const pre = document.querySelector('pre');
const bg = rgb(getComputedStyle(pre).backgroundColor);
const colours = {};
const low = [];
for (const span of document.querySelectorAll('pre span')) {
  if (!span.textContent.trim()) continue;
  const c = getComputedStyle(span).color;
  colours[c] = (colours[c] || '') + ' ' + span.textContent.trim().slice(0, 12);
  const l1 = lum(rgb(c)), l2 = lum(bg);
  const ratio = (Math.max(l1, l2) + 0.05) / (Math.min(l1, l2) + 0.05);
  if (ratio < 4.5) low.push(span.textContent.trim() + ' ' + ratio.toFixed(2));
}
const keyword = document.querySelector('pre .hl-storage, pre .hl-keyword');
return {
  colours: Object.keys(colours).length,
  low,
  keyword: keyword ? getComputedStyle(keyword).color : null,
  text: getComputedStyle(pre).color,
  overflow: document.documentElement.scrollWidth - document.documentElement.clientWidth,
};
"#;
    let mut keyword_colours = Vec::new();
    for dark in [false, true] {
        b.emulate_media(dark, false)?;
        b.goto(&server.url_of("ch01-00-basics.html"))?;
        let r = b.execute(JS, vec![json!(null)])?;
        let mode = if dark { "dark" } else { "light" };
        ensure!(
            r["colours"].as_u64().unwrap_or(0) >= 3,
            "{mode}: code shows fewer than 3 colours: {r}"
        );
        ensure!(
            r["low"].as_array().is_some_and(Vec::is_empty),
            "{mode}: low contrast: {r}"
        );
        ensure!(
            r["keyword"].is_string() && r["keyword"] != r["text"],
            "{mode}: keywords look like plain text: {r}"
        );
        ensure!(
            r["overflow"].as_i64() == Some(0),
            "{mode}: page wider than 390 px: {r}"
        );
        keyword_colours.push(r["keyword"].clone());
    }
    ensure!(
        keyword_colours[0] != keyword_colours[1],
        "the same keyword colour in light and dark: {keyword_colours:?}"
    );
    Ok(())
}
