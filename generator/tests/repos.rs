//! `kenshu build` on repositories written for other tools, as they are:
//! small fixture repositories made in each test (mdBook, VuePress 1.x,
//! VitePress, Docusaurus), and the files such repositories hold.

use std::path::Path;
use std::process::Output;

mod common {
    pub mod run;
}
use common::run::{build, kenshu, site as repo, stderr};

fn read(dir: &Path, path: &str) -> String {
    std::fs::read_to_string(dir.join(path)).unwrap_or_else(|e| panic!("{path}: {e}"))
}

#[test]
fn a_toml_file_that_is_not_an_exercise_is_published_as_a_file() {
    let r = repo(&[
        (
            "content/index.md",
            "# ホーム\n\n[設定](tool/pyproject.toml)\n",
        ),
        (
            "content/tool/pyproject.toml",
            "[project]\nname = \"demo\"\nversion = \"0.1.0\"\n",
        ),
        // An exercise outside exercises/ is still one: it has `kind`.
        ("content/q.toml", "kind = \"nosuchkind\"\nid = \"q\"\n"),
    ]);
    let out = build(r.path());
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(err.contains("content/q.toml"), "{err}");
    assert!(!err.contains("pyproject.toml"), "{err}");
    std::fs::remove_file(r.path().join("content/q.toml")).unwrap();
    let out = build(r.path());
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(read(r.path(), "public/tool/pyproject.toml").contains("name = \"demo\""));
}

#[test]
fn code_languages_are_highlighted_and_unknown_ones_warned_about_once() {
    let r = repo(&[
        (
            "content/index.md",
            "# ホーム\n\n```toml\n[a]\nb = 1\n```\n\n```python{2}\nx = 1\ny = 2\n```\n\n```foolang\nz\n```\n",
        ),
        ("content/b.md", "# B\n\n```foolang\nw\n```\n\n```console\n$ ls\n```\n"),
    ]);
    let out = build(r.path());
    let err = stderr(&out);
    assert!(out.status.success(), "{err}");
    assert_eq!(err.matches("foolang").count(), 1, "{err}");
    assert!(
        err.contains("content/b.md:3:1: warning: no highlighting for language `foolang`")
            || err
                .contains("content/index.md:12:1: warning: no highlighting for language `foolang`"),
        "{err}"
    );
    assert!(err.contains("(this block and 1 more)"), "{err}");
    let html = read(r.path(), "public/index.html");
    assert!(
        html.contains("<code class=\"language-toml\"><span class=\"hl-"),
        "{html}"
    );
    assert!(html.contains("<code class=\"language-python\">"), "{html}");
    assert!(!html.contains("language-python{"), "{html}");
    assert!(html.contains("<span class=\"code-mark\">"), "{html}");
}

#[test]
fn an_unused_front_matter_key_is_reported_once_with_a_count() {
    let page = |t: &str| format!("---\ntitle: {t}\nfooter: true\n---\n\n本文\n");
    let (a, b, c) = (page("A"), page("B"), page("C"));
    let r = repo(&[
        ("content/index.md", "# ホーム\n"),
        ("content/a.md", &a),
        ("content/b.md", &b),
        ("content/c.md", &c),
    ]);
    let out = build(r.path());
    let err = stderr(&out);
    assert!(out.status.success(), "{err}");
    assert_eq!(err.matches("footer").count(), 1, "{err}");
    assert!(
        err.contains("content/a.md:3:1: warning: 3 pages use front matter key `footer`"),
        "{err}"
    );
}

#[test]
fn quiet_prints_errors_only() {
    let r = repo(&[(
        "content/index.md",
        "---\ntitle: ホーム\nfooter: true\n---\n\n```foolang\nx\n```\n",
    )]);
    let site = r.path().to_str().unwrap();
    for cmd in ["build", "check"] {
        let out = kenshu(&[cmd, site]);
        assert!(out.status.success(), "{}", stderr(&out));
        assert!(stderr(&out).contains("warning: "), "{}", stderr(&out));
        let out = kenshu(&[cmd, site, "-q"]);
        assert!(out.status.success(), "{}", stderr(&out));
        assert_eq!(stderr(&out), "", "{cmd} -q");
        assert!(out.stdout.is_empty(), "{cmd} -q");
    }
    // With --deny-warnings they are errors, shown whatever -q says.
    let out = kenshu(&["check", site, "-q", "--deny-warnings"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains("footer"), "{}", stderr(&out));
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).to_string()
}

#[test]
fn an_mdbook_builds_from_its_root() {
    let r = repo(&[
        (
            "book.toml",
            "[book]\ntitle = \"例で学ぶ\"\nlanguage = \"ja\"\nsrc = \"src\"\n\n[output.html]\nadditional-css = [\"ja.css\"]\n",
        ),
        ("ja.css", "em { font-weight: bold; }\n"),
        (
            "src/SUMMARY.md",
            "# Summary\n\n[はじめに](README.md)\n\n- [こんにちは](hello.md)\n    - [書式](hello/fmt.md)\n",
        ),
        ("src/README.md", "# はじめに\n\n[次へ](hello.md)\n"),
        ("src/hello.md", "# こんにちは\n\n```rust\nfn main() {}\n```\n"),
        ("src/hello/fmt.md", "# 書式\n\n```toml\n[a]\n```\n"),
    ]);
    let out = build(r.path());
    let err = stderr(&out);
    assert!(out.status.success(), "{err}");
    let said = stdout(&out);
    assert!(
        said.contains(
            "read an mdBook project: pages from src/; book.toml: title 「例で学ぶ」, language ja, style sheet ja.css"
        ),
        "{said}"
    );
    assert!(!err.contains("additional-css"), "{err}");
    assert_eq!(
        read(r.path(), "public/ja.css"),
        "em { font-weight: bold; }\n"
    );
    assert!(read(r.path(), "public/hello/fmt.html")
        .contains("<link rel=\"stylesheet\" href=\"../ja.css\">"));
    let home = read(r.path(), "public/index.html");
    assert!(
        home.contains("<title>はじめに | 例で学ぶ</title>") || home.contains("例で学ぶ"),
        "{home}"
    );
    let fmt = read(r.path(), "public/hello/fmt.html");
    assert!(fmt.contains("<code class=\"language-toml\"><span"), "{fmt}");
}

#[test]
fn a_vuepress_1_project_builds_from_its_root() {
    let r = repo(&[
        ("package.json", "{\"scripts\": {\"dev\": \"vuepress dev src\"}}\n"),
        (
            "src/.vuepress/config.js",
            "const desc = 'x'\nmodule.exports = {\n  title: '新人研修',\n  base: '/training/',\n  lang: locale,\n}\n",
        ),
        ("src/.vuepress/public/images/logo.svg", "<svg xmlns='http://www.w3.org/2000/svg'/>"),
        (
            "src/README.md",
            "# 新人研修\n\n![ロゴ](/images/logo.svg)\n\n[Git](/training/git/)\n",
        ),
        (
            "src/git/README.md",
            "---\ntitle: Git\nfooter: true\n---\n\n# Git\n\n```shell{2}\ngit init\ngit add .\n```\n",
        ),
    ]);
    let out = build(r.path());
    let err = stderr(&out);
    assert!(out.status.success(), "{err}");
    let said = stdout(&out);
    assert!(
        said.contains("read a VuePress project: pages from src/; src/.vuepress/config.js: title 「新人研修」, base /training/; files of src/.vuepress/public/ at the site's root"),
        "{said}"
    );
    assert!(
        err.contains("src/.vuepress/config.js:5:9: warning: `lang` is not a plain string here"),
        "{err}"
    );
    assert!(read(r.path(), "public/images/logo.svg").contains("<svg"));
    let home = read(r.path(), "public/index.html");
    assert!(home.contains("新人研修"), "{home}");
    assert!(home.contains("src=\"images/logo.svg\""), "{home}");
    let git = read(r.path(), "public/git/index.html");
    assert!(git.contains("language-shell"), "{git}");
    assert!(git.contains("<span class=\"code-mark\">"), "{git}");
}

#[test]
fn a_vitepress_project_reads_its_src_dir() {
    let r = repo(&[
        (
            "docs/.vitepress/config.mts",
            "import { defineConfig } from 'vitepress'\n\nexport default defineConfig({\n  srcDir: './src',\n  title: \"研修\",\n  lang: 'ja-JP',\n})\n",
        ),
        ("docs/src/index.md", "# ようこそ\n\n[手順](guide.md)\n"),
        ("docs/src/guide.md", "# 手順\n\n```ts\nconst a: number = 1\n```\n"),
        ("docs/src/public/favicon.svg", "<svg xmlns='http://www.w3.org/2000/svg'/>"),
    ]);
    let out = build(r.path());
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(
        stdout(&out).contains("read a VitePress project: pages from docs/src/; docs/.vitepress/config.mts: title 「研修」, language ja-JP; files of docs/src/public/ at the site's root"),
        "{}",
        stdout(&out)
    );
    let home = read(r.path(), "public/index.html");
    assert!(home.contains("<html lang=\"ja-JP\""), "{home}");
    assert!(read(r.path(), "public/guide.html").contains("language-ts\"><span"));
    assert!(r.path().join("public/favicon.svg").is_file());
}

#[test]
fn a_docusaurus_project_reads_docs_and_static() {
    let r = repo(&[
        (
            "docusaurus.config.js",
            "module.exports = {\n  title: 'ハンズオン',\n  baseUrl: '/handson/',\n};\n",
        ),
        (
            "sidebars.js",
            "module.exports = { docs: ['intro', {type: 'doc', id: 'b-second'}, 'a-third'] };\n",
        ),
        ("docs/intro.md", "# 導入\n\n![図](/img/a.svg)\n"),
        ("docs/a-third.md", "# 三番目\n"),
        ("docs/b-second.md", "# 二番目\n"),
        (
            "static/img/a.svg",
            "<svg xmlns='http://www.w3.org/2000/svg'/>",
        ),
        ("src/pages/index.js", "export default function Home() {}\n"),
    ]);
    let out = build(r.path());
    let err = stderr(&out);
    assert!(out.status.success(), "{err}");
    assert!(
        stdout(&out).contains("read a Docusaurus project: pages from docs/; docusaurus.config.js: title 「ハンズオン」, base /handson/; files of static/ at the site's root"),
        "{}",
        stdout(&out)
    );
    assert!(!err.contains("sidebars"), "{err}");
    // The sidebar's order, not the file names'.
    let intro = read(r.path(), "public/intro.html");
    assert!(
        intro.contains("href=\"b-second.html\" rel=\"next\""),
        "{intro}"
    );
    let second = read(r.path(), "public/b-second.html");
    assert!(
        second.contains("href=\"a-third.html\" rel=\"next\""),
        "{second}"
    );
    assert!(read(r.path(), "public/intro.html").contains("src=\"img/a.svg\""));
    assert!(r.path().join("public/img/a.svg").is_file());
}

#[test]
fn a_plain_folder_of_markdown_still_needs_content_and_says_what_else_is_read() {
    let r = repo(&[("notes.md", "# メモ\n")]);
    let out = build(r.path());
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(err.contains("content folder not found"), "{err}");
    assert!(err.contains("book.toml"), "{err}");
}

#[test]
fn training_front_matter_is_shown_as_a_header() {
    let r = repo(&[
        ("content/index.md", "# ホーム\n"),
        (
            "content/git.md",
            "---\ntitle: Git 入門\ntime: 30分\nprior_knowledge:\n  - ターミナルの基本\n  - エディタ\nobjectives: コミットできるようになる\n---\n\n本文\n",
        ),
        ("content/plain.md", "---\ntitle: 普通\n---\n\n本文\n"),
    ]);
    let out = build(r.path());
    let err = stderr(&out);
    assert!(out.status.success(), "{err}");
    assert!(
        !err.contains("time") && !err.contains("prior_knowledge"),
        "{err}"
    );
    let html = read(r.path(), "public/git.html");
    assert!(
        html.contains("<dl class=\"training-header\"><div><dt>学習目標</dt><dd>コミットできるようになる</dd></div><div><dt>想定時間</dt><dd>30分</dd></div><div><dt>前提知識</dt><dd><ul><li>ターミナルの基本</li><li>エディタ</li></ul></dd></div></dl>"),
        "{html}"
    );
    assert!(!read(r.path(), "public/plain.html").contains("training-header"));
}

#[test]
fn site_toml_accepts_front_matter_keys_silently() {
    let r = repo(&[
        (
            "site.toml",
            "title = \"研修\"\n\n[front_matter]\naccept = [\"footer\"]\n",
        ),
        (
            "content/index.md",
            "---\ntitle: ホーム\nfooter: true\nhero: x\n---\n\n本文\n",
        ),
    ]);
    let out = build(r.path());
    let err = stderr(&out);
    assert!(out.status.success(), "{err}");
    assert!(!err.contains("footer"), "{err}");
    assert!(err.contains("front matter key `hero`"), "{err}");
    std::fs::write(
        r.path().join("site.toml"),
        "[front_matter]\naccept = \"footer\"\n",
    )
    .unwrap();
    let out = build(r.path());
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).contains("site.toml:1:1: error: `front_matter.accept` is not a list"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn a_draft_chapter_with_sub_entries_is_a_section() {
    let r = repo(&[
        ("book.toml", "[book]\ntitle = \"本\"\n"),
        (
            "src/SUMMARY.md",
            "# Summary\n\n[はじめに](README.md)\n\n- [開発]()\n    - [設計](dev/design.md)\n    - [実装](dev/impl.md)\n- [下書き]()\n",
        ),
        ("src/README.md", "# はじめに\n"),
        ("src/dev/design.md", "# 設計\n"),
        ("src/dev/impl.md", "# 実装\n"),
    ]);
    let out = build(r.path());
    assert!(out.status.success(), "{}", stderr(&out));
    let section = read(r.path(), "public/開発.html");
    assert!(section.contains("<h1"), "{section}");
    assert!(section.contains(">開発</h1>"), "{section}");
    assert!(section.contains("href=\"dev/design.html\""), "{section}");
    assert!(section.contains("href=\"dev/impl.html\""), "{section}");
    let design = read(r.path(), "public/dev/design.html");
    assert!(
        design.contains("<a href=\"../開発.html\">開発</a>"),
        "{design}"
    );
}

#[test]
fn a_part_title_of_summary_is_a_section() {
    let r = repo(&[
        ("book.toml", "[book]\ntitle = \"本\"\n"),
        (
            "src/SUMMARY.md",
            "# Summary\n\n[はじめに](README.md)\n\n# 基礎編\n\n- [変数](vars.md)\n- [関数](fns.md)\n\n# 応用編\n\n- [並行](async.md)\n\n---\n\n[付録](appendix.md)\n",
        ),
        ("src/README.md", "# はじめに\n"),
        ("src/vars.md", "# 変数\n"),
        ("src/fns.md", "# 関数\n"),
        ("src/async.md", "# 並行\n"),
        ("src/appendix.md", "# 付録\n"),
    ]);
    let out = build(r.path());
    assert!(out.status.success(), "{}", stderr(&out));
    let part = read(r.path(), "public/基礎編.html");
    assert!(
        part.contains("href=\"vars.html\"") && part.contains("href=\"fns.html\""),
        "{part}"
    );
    let listing = part.split("<article").nth(1).unwrap_or_default();
    assert!(!listing.contains("href=\"async.html\""), "{part}");
    assert!(read(r.path(), "public/応用編.html").contains("href=\"async.html\""));
    let fns = read(r.path(), "public/fns.html");
    assert!(fns.contains("<a href=\"基礎編.html\">基礎編</a>"), "{fns}");
    // The suffix chapter stays at the top level, after the parts.
    let appendix = read(r.path(), "public/appendix.html");
    let crumbs = appendix
        .split("<nav class=\"breadcrumbs\"")
        .nth(1)
        .and_then(|c| c.split("</nav>").next())
        .unwrap_or_default();
    assert!(
        !crumbs.is_empty() && !crumbs.contains("応用編"),
        "{appendix}"
    );
}

/// The fixture repository `tests/fixtures/repos/NAME`, modelled on one
/// tool's project, built as it is into a temporary folder: the output
/// folder, stdout and stderr.
fn build_fixture(name: &str) -> (tempfile::TempDir, String, String) {
    let repo = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../tests/fixtures/repos")
        .join(name);
    let out = tempfile::tempdir().unwrap();
    let o = kenshu(&[
        "build",
        repo.to_str().unwrap(),
        "-o",
        out.path().join("public").to_str().unwrap(),
    ]);
    let (said, err) = (stdout(&o), stderr(&o));
    assert!(o.status.success(), "{name}: {err}");
    (out, said, err)
}

/// The one line saying what was read.
fn read_line(said: &str) -> &str {
    let lines: Vec<&str> = said.lines().filter(|l| l.starts_with("read ")).collect();
    assert_eq!(lines.len(), 1, "{said}");
    lines[0]
}

/// The `id`s of the headings of an output page, in order.
fn heading_ids(html: &str) -> Vec<String> {
    html.split("<h")
        .skip(1)
        .filter(|h| h.starts_with(|c: char| ('1'..='6').contains(&c)))
        .filter_map(|h| h.split("id=\"").nth(1))
        .filter_map(|h| h.split('"').next())
        .map(str::to_string)
        .collect()
}

/// The output path of the page the "next" link of the page at `path`
/// (an output path) leads to.
fn next_of(public: &Path, path: &str) -> Option<String> {
    let html = read(public, path);
    let at = html.find("rel=\"next\"")?;
    let start = html[..at].rfind("href=\"")? + 6;
    let href = html[start..].split('"').next()?;
    let mut parts: Vec<&str> = path.split('/').collect();
    parts.pop();
    for seg in href.split('/') {
        match seg {
            ".." => {
                parts.pop();
            }
            s => parts.push(s),
        }
    }
    Some(parts.join("/"))
}

/// The reading order from `first`, by the "next" links.
fn reading_order(public: &Path, first: &str) -> Vec<String> {
    let mut order = vec![first.to_string()];
    while let Some(next) = next_of(public, order.last().unwrap()) {
        order.push(next);
        assert!(order.len() < 30, "{order:?}");
    }
    order
}

#[test]
fn the_mdbook_fixture_builds_with_mdbook_ids_and_its_own_files() {
    let (out, said, err) = build_fixture("mdbook");
    let public = out.path().join("public");
    assert_eq!(
        read_line(&said),
        "read an mdBook project: pages from src/; book.toml: title 「Rust で学ぶ研修」, language ja, style sheet theme/ja.css, script theme/extra.js"
    );
    // mdBook's normalize_id: `・` dropped, each space a `-`.
    let fns = read(&public, "fns.html");
    assert_eq!(
        heading_ids(&fns),
        ["関数テスト", "関数テストの書き方", "hello--world"]
    );
    // A link by VuePress's id is accepted with a warning and leads to the
    // heading.
    assert!(
        err.contains("src/dev/design.md:3:7: warning: `#関数・テストの書き方` is the VuePress id of heading 「関数・テストの書き方」 of fns.md; its id here is `#関数テストの書き方` (mdBook rule)"),
        "{err}"
    );
    let design = read(&public, "dev/design.html");
    assert!(
        design.contains("href=\"../fns.html#%E9%96%A2%E6%95%B0%E3%83%86%E3%82%B9%E3%83%88%E3%81%AE%E6%9B%B8%E3%81%8D%E6%96%B9\""),
        "{design}"
    );
    assert!(!err.contains("error"), "{err}");
    // additional-css / additional-js: copied, linked after the theme's on
    // every page, by relative URLs.
    assert!(read(&public, "theme/ja.css").contains("font-weight: bold"));
    assert!(read(&public, "theme/extra.js").contains("bookScript"));
    assert!(!read(&public, "assets/site.css").contains("ja.css"));
    for (page, root) in [("index.html", ""), ("dev/design.html", "../")] {
        let html = read(&public, page);
        let theme = html.find("assets/site.css").unwrap();
        let book = html
            .find(&format!(
                "<link rel=\"stylesheet\" href=\"{root}theme/ja.css\">"
            ))
            .unwrap_or_else(|| panic!("{page}: {html}"));
        assert!(theme < book, "{page}");
        assert!(
            html.contains(&format!("<script src=\"{root}theme/extra.js\"></script>")),
            "{page}: {html}"
        );
    }
    // The home page has one h1, though its text opens with a comment.
    let home = read(&public, "index.html");
    assert_eq!(home.matches("<h1").count(), 1, "{home}");
    // The part title and the draft chapters are titles in the sidebar,
    // not links, with what they hold under them.
    let nav = home
        .split("<ul class=\"nav-tree\">")
        .nth(1)
        .and_then(|n| n.split("</nav>").next())
        .unwrap_or_default();
    for title in ["基礎編", "開発", "まだ書いていない章"] {
        assert!(
            nav.contains(&format!("<li><span class=\"nav-title\">{title}</span>")),
            "{title}: {nav}"
        );
    }
    assert!(
        nav.contains("<a href=\"dev/design.html\">設計</a>"),
        "{nav}"
    );
    assert!(nav.contains("<a href=\"vars.html\">変数と型</a>"), "{nav}");
    // SUMMARY.md's order: the part, its chapters, the draft section, the
    // suffix chapter; the draft with nothing under it is skipped.
    let order = reading_order(&public, "基礎編.html");
    assert_eq!(
        order,
        [
            "基礎編.html",
            "vars.html",
            "fns.html",
            "開発.html",
            "dev/design.html",
            "appendix.html"
        ]
    );
}

#[test]
fn the_vuepress_fixture_builds_with_vuepress_ids() {
    let (out, said, err) = build_fixture("vuepress");
    let public = out.path().join("public");
    assert_eq!(
        read_line(&said),
        "read a VuePress project: pages from docs/; docs/.vuepress/config.js: title 「新人研修ハンズオン」, base /training/; files of docs/.vuepress/public/ at the site's root"
    );
    // VuePress keeps `・`; an emoji shortcode is not part of the id.
    let python = read(&public, "python/index.html");
    assert_eq!(
        heading_ids(&python),
        [
            "python-でテストを書く",
            "準備",
            "関数・テストの修正方法",
            "まとめ"
        ]
    );
    // Both links to it, relative and under the base path, lead there with
    // no warning.
    let git = read(&public, "git/index.html");
    let to = "href=\"../python/index.html#%E9%96%A2%E6%95%B0%E3%83%BB%E3%83%86%E3%82%B9%E3%83%88%E3%81%AE%E4%BF%AE%E6%AD%A3%E6%96%B9%E6%B3%95\"";
    assert_eq!(git.matches(to).count(), 2, "{git}");
    assert!(!err.contains("関数"), "{err}");
    assert!(public.join("images/logo.svg").is_file());
    assert!(python.contains("class=\"training-header\""), "{python}");
    // The sidebar's order (in the file config.js requires), not the
    // folders' names.
    assert_eq!(
        reading_order(&public, "python/index.html"),
        ["python/index.html", "git/index.html"]
    );
}

#[test]
fn the_vitepress_fixture_reads_src_dir_and_base() {
    let (out, said, err) = build_fixture("vitepress");
    let public = out.path().join("public");
    assert_eq!(
        read_line(&said),
        "read a VitePress project: pages from src/; .vitepress/config.mts: title 「開発ハンドブック」, language ja-JP, base /handbook/; files of src/public/ at the site's root"
    );
    // VitePress's slugify: `・` kept, full-width letters and brackets
    // folded (NFKD), the brackets then replaced.
    let setup = read(&public, "guide/setup.html");
    assert_eq!(
        heading_ids(&setup),
        ["セットアップ", "準備・確認", "api-概要"]
    );
    // Its boxes, contents, emoji and line marks.
    for want in [
        "<aside class=\"admonition info\"",
        "<aside class=\"admonition warning\"",
        "<nav class=\"page-contents\"",
        "<span class=\"code-mark\">",
        "⚠",
    ] {
        assert!(setup.contains(want), "{want}: {setup}");
    }
    let home = read(&public, "index.html");
    assert!(
        home.contains("href=\"guide/setup.html#%E6%BA%96%E5%82%99%E3%83%BB%E7%A2%BA%E8%AA%8D\""),
        "{home}"
    );
    assert!(
        home.contains("href=\"guide/setup.html#api-%E6%A6%82%E8%A6%81\""),
        "{home}"
    );
    assert!(home.contains("src=\"logo.svg\""), "{home}");
    assert!(public.join("logo.svg").is_file());
    // The sidebar's order, not the file names'.
    assert_eq!(
        reading_order(&public, "guide/setup.html"),
        ["guide/setup.html", "guide/basics.html"]
    );
    assert!(!err.contains("warning: `#"), "{err}");
}

#[test]
fn the_docusaurus_fixture_follows_sidebars_and_github_slugger() {
    let (out, said, err) = build_fixture("docusaurus");
    let public = out.path().join("public");
    assert_eq!(
        read_line(&said),
        "read a Docusaurus project: pages from docs/; docusaurus.config.js: title 「オンボーディング」, base /onboarding/; files of static/ at the site's root"
    );
    // github-slugger: `・` dropped, each space a `-`.
    let setup = read(&public, "setup.html");
    assert_eq!(heading_ids(&setup), ["準備", "準備確認", "hello--world"]);
    assert!(!err.contains("warning: `#"), "{err}");
    // sidebars.js's order wins over `sidebar_position` and file names.
    let order = reading_order(&public, "welcome.html");
    assert_eq!(
        order,
        [
            "welcome.html",
            "setup.html",
            "advanced/index.html",
            "advanced/zeta.html",
            "advanced/alpha.html"
        ]
    );
    assert!(public.join("img/flow.svg").is_file());
    // The folder's _category_.json gives its title; it is not published.
    let zeta = read(&public, "advanced/zeta.html");
    assert!(zeta.contains("advanced/index.html\">応用</a>"), "{zeta}");
    assert!(!public.join("advanced/_category_.json").exists());
}

#[test]
fn a_link_by_another_tools_id_is_a_warning_not_an_error() {
    // A kenshu site: `・` is not in kenshu's ids, but VuePress's has it.
    let r = repo(&[
        (
            "content/index.md",
            "# ホーム\n\n[修正](a.md#関数・テストの修正方法)\n\n[無い](a.md#どこにもない)\n",
        ),
        ("content/a.md", "# A\n\n## 関数・テストの修正方法\n"),
    ]);
    let out = build(r.path());
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(
        err.contains("content/index.md:5:6: error: link to a heading that does not exist: `#どこにもない`\n  hint: headings there: a, 関数テストの修正方法\n"),
        "{err}"
    );
    std::fs::write(
        r.path().join("content/index.md"),
        "# ホーム\n\n[修正](a.md#関数・テストの修正方法)\n",
    )
    .unwrap();
    let out = build(r.path());
    let err = stderr(&out);
    assert!(out.status.success(), "{err}");
    assert!(
        err.contains("content/index.md:3:6: warning: `#関数・テストの修正方法` is the VuePress id of heading 「関数・テストの修正方法」 of a.md; its id here is `#関数テストの修正方法` (kenshu rule)"),
        "{err}"
    );
    let home = read(r.path(), "public/index.html");
    assert!(
        home.contains("href=\"a.html#%E9%96%A2%E6%95%B0%E3%83%86%E3%82%B9%E3%83%88%E3%81%AE%E4%BF%AE%E6%AD%A3%E6%96%B9%E6%B3%95\""),
        "{home}"
    );
}

#[test]
fn html_comments_never_reach_the_search_index() {
    // Comments in every place Markdown allows one: list items (one line
    // and several), table cells, quotes, paragraphs (across a line
    // break), HTML blocks, headings, <details>, emphasis, link text.
    let page = "# ホーム\n\n- 項目 <!-- leakone -->\n- 項目二 <!--\n  leaktwo\n  -->\n\n\
| a | b |\n|---|---|\n| セル <!-- leakthree --> | x |\n\n> 引用 <!-- leakfour -->\n\n\
文 <!-- leakfive\nleaksix --> 続き\n\n<div>\n<!-- leakseven\n-->\n</div>\n\n\
## 見出し <!-- leakeight -->\n\n<details><summary>要約</summary>\n<!-- leaknine -->\n本文\n</details>\n\n\
段落<!--leakten-->段落\n\n*強調 <!-- leakeleven -->*\n\n[リンク <!-- leaktwelve -->](index.md)\n\n\
<!--\nleakthirteen -- with dashes --- inside\n-->\n\n<!-- leakfourteen --><!-- leakfifteen -->\n\n\
<span><!-- leaksixteen --></span> 終わり\n";
    let r = repo(&[("content/index.md", page)]);
    let out = build(r.path());
    assert!(out.status.success(), "{}", stderr(&out));
    fn all_text(dir: &Path, out: &mut String) {
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                all_text(&path, out);
            } else {
                out.push_str(&std::fs::read_to_string(&path).unwrap());
            }
        }
    }
    let mut index = String::new();
    all_text(&r.path().join("public/assets/search"), &mut index);
    assert!(
        index.contains("続き") && index.contains("終わり"),
        "{index}"
    );
    assert!(!index.contains("leak"), "{index}");
}
