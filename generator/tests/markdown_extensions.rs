//! Other tools' Markdown extensions, as a writer moving a VuePress or
//! VitePress course to kenshu has them: `:::` boxes, GitHub alerts,
//! `[[toc]]`, `:emoji:`, `{{ $frontmatter.x }}`, `<!-- more -->` and the
//! site's own Vue components. Each test builds a small site with the
//! `kenshu` binary and reads the HTML a reader gets and what is printed.

use std::path::Path;

mod common {
    pub mod run;
}
use common::run::{build, site, stderr};

fn read(dir: &Path, path: &str) -> String {
    std::fs::read_to_string(dir.join(path)).unwrap_or_else(|e| panic!("{path}: {e}"))
}

/// The text of every file of the search index.
fn search_data(dir: &Path) -> String {
    let mut all = String::new();
    let mut stack = vec![dir.join("public/assets/search")];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).unwrap().flatten() {
            let p = e.path();
            if p.is_dir() {
                stack.push(p);
            } else {
                all.push_str(&std::fs::read_to_string(&p).unwrap_or_default());
            }
        }
    }
    all
}

const LESSON: &str = "---
title: Git入門
time: 90分
prior_knowledge:
  - ターミナルの基本
  - エディタ
---

# {{$page.frontmatter.title}}

<header-table/>

想定時間は{{ $frontmatter.time }}、前提は{{$frontmatter.prior_knowledge}}です。:computer:

<!-- more -->

[[toc]]

## 準備

::: tip
コミットは小さく。
:::

::: warning 消す前に
`git status` を確認する。
:::

:::: details 答え
::: danger
`git push --force` は使わない。
:::
答えは 10:30:00 に配ります。
::::

> [!NOTE]
> GitHubのアラートも同じ箱です。

## 練習 :rocket:

```md
::: tip
コードの中はそのまま :smile: {{ $frontmatter.time }}
:::
```

{{ $frontmatter.nokey }}

<credit-footer/>
";

#[test]
fn a_vuepress_page_reads_as_it_did_there() {
    let s = site(&[
        ("content/index.md", "# ホーム\n\n<credit-footer/>\n"),
        ("content/lesson.md", LESSON),
    ]);
    let out = build(s.path());
    let err = stderr(&out);
    assert!(out.status.success(), "{err}");
    let html = read(s.path(), "public/lesson.html");

    // The heading and the text show the front matter's values.
    assert!(html.contains(">Git入門</h1>"), "{html}");
    assert!(!html.contains("$page"), "{html}");
    assert!(
        html.contains("想定時間は90分、前提はターミナルの基本、エディタです。💻"),
        "{html}"
    );
    // Boxes: the theme's admonitions, with Japanese titles; details.
    assert!(
        html.contains("<aside class=\"admonition tip\" aria-label=\"ヒント\"><p class=\"admonition-title\">ヒント</p>\n<p>コミットは小さく。</p>\n</aside>"),
        "{html}"
    );
    assert!(
        html.contains("<aside class=\"admonition warning\" aria-label=\"消す前に\"><p class=\"admonition-title\">消す前に</p>"),
        "{html}"
    );
    let details = html
        .find("<details class=\"admonition details\"><summary class=\"admonition-title\">答え</summary>")
        .expect("details box");
    let danger = html
        .find("<aside class=\"admonition danger\" aria-label=\"警告\">")
        .expect("danger box");
    let time = html
        .find("答えは 10:30:00 に配ります。")
        .expect("time kept");
    let details_end = html.find("</details>").expect("details closed");
    assert!(details < danger && danger < time && time < details_end);
    assert!(html.contains("<aside class=\"admonition note\""), "{html}");
    // The contents where `[[toc]]` was.
    assert!(
        html.contains("<nav class=\"page-contents\" aria-label=\"目次\">\n<ul class=\"toc-list\">\n<li class=\"toc-level-2\"><a href=\"#準備\">準備</a></li>\n<li class=\"toc-level-2\"><a href=\"#練習\">練習 🚀</a></li>"),
        "{html}"
    );
    assert!(html.contains("<h2 id=\"練習\">練習 🚀</h2>"), "{html}");
    // Code is shown as written.
    assert!(
        html.contains("コードの中はそのまま :smile: {{ $frontmatter.time }}"),
        "{html}"
    );
    // Nothing of the markers, the comment or the components is left.
    for gone in [
        "[[toc]]",
        "<!-- more -->",
        "header-table",
        "credit-footer",
        "[!NOTE]",
    ] {
        assert!(!html.contains(gone), "{gone}: {html}");
    }
    // (The code block's `::: tip` stays.)
    for marker in ["::: warning", ":::: details", "::: danger", "<p>:::"] {
        assert!(!html.contains(marker), "{marker}: {html}");
    }
    assert!(!search_data(s.path()).contains("more"));

    // Warnings: the unknown key where it is written; each component once,
    // with the number of pages.
    assert!(
        err.contains("content/lesson.md:47:1: warning: front matter has no key `nokey`"),
        "{err}"
    );
    assert!(
        err.contains(
            "warning: `<credit-footer>` is used on 2 pages and is not an element kenshu knows"
        ),
        "{err}"
    );
    assert_eq!(err.matches("credit-footer").count(), 1, "{err}");
    assert!(
        err.contains(
            "content/lesson.md:11:1: warning: `<header-table>` is not an element kenshu knows"
        ),
        "{err}"
    );
    // The placeholders are not reported as another tool's syntax, nor the
    // keys they show as unused.
    assert!(!err.contains("template variable"), "{err}");
    assert!(!err.contains("`time`"), "{err}");
}

#[test]
fn an_unclosed_box_is_closed_at_the_end_with_a_warning() {
    let s = site(&[(
        "content/index.md",
        "# ホーム\n\n::: details 開いたまま\n本文\n\n::: foo\n中身\n:::\n",
    )]);
    let out = build(s.path());
    let err = stderr(&out);
    assert!(out.status.success(), "{err}");
    assert!(
        err.contains("content/index.md:3:1: warning: `::: details` is not closed"),
        "{err}"
    );
    assert!(
        err.contains("content/index.md:6:1: warning: `::: foo` is not a box kenshu knows"),
        "{err}"
    );
    let html = read(s.path(), "public/index.html");
    assert!(
        html.contains("<summary class=\"admonition-title\">開いたまま</summary>\n<p>本文</p>\n<p>中身</p>\n</details>"),
        "{html}"
    );
}
