//! `kenshu build` on repositories written for other tools, as they are:
//! small fixture repositories made in each test (mdBook, VuePress 1.x,
//! VitePress, Docusaurus), and the files such repositories hold.

use std::path::Path;
use std::process::{Command, Output};

fn kenshu(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_kenshu"))
        .args(args)
        .output()
        .expect("run kenshu")
}

fn repo(files: &[(&str, &str)]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    for (path, contents) in files {
        let p = dir.path().join(path);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, contents).unwrap();
    }
    dir
}

fn build(dir: &Path) -> Output {
    kenshu(&["build", dir.to_str().unwrap()])
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).to_string()
}

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
    assert!(html.contains("<span class=\"hl-line\">"), "{html}");
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
    let css = read(r.path(), "public/assets/site.css");
    assert!(
        css.ends_with("/* ja.css (book.toml additional-css) */\nem { font-weight: bold; }\n"),
        "{css}"
    );
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
    assert!(git.contains("<span class=\"hl-line\">"), "{git}");
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
    assert!(!part.contains("href=\"async.html\">並行"), "{part}");
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
