//! Large inputs that used to take time growing faster than the input
//! (issue #23): many diagnostics in one file, long code blocks. Each case
//! is sized so that the old code takes minutes in this (debug) build while
//! the linear code takes a few seconds; `bench/adversarial.sh` has the
//! release figures.

use std::time::Duration;

mod common {
    pub mod run;
}
use common::run::{kenshu_within, s, site_with_home as site};

/// Far above what the linear code needs in a debug build on a busy
/// machine; the old code took minutes.
const LIMIT: Duration = Duration::from_secs(60);

/// Runs `kenshu check` on a site with `content/page.md`; its stderr lines
/// about page.md, and whether it succeeded.
fn check_page(page: &str) -> (Vec<String>, bool) {
    let d = site(&[("content/page.md", page)]);
    let out = kenshu_within(LIMIT, &["check", s(d.path())]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    let lines = stderr
        .lines()
        .filter(|l| l.starts_with("content/page.md:"))
        .map(str::to_string)
        .collect();
    (lines, out.status.success())
}

const N: usize = 60_000;

#[test]
fn many_broken_links_are_each_reported_at_their_line() {
    let mut page = String::from("# 壊れたリンク\n");
    for i in 0..N {
        page.push_str(&format!("\n[リンク{i}](missing-{i}.md)\n"));
    }
    let (lines, ok) = check_page(&page);
    assert!(!ok);
    assert_eq!(lines.len(), N, "{:?}", lines.first());
    // Line 3 + 2i; the destination starts after `[リンク{i}](`.
    let last = N - 1;
    let column = format!("[リンク{last}](").chars().count() + 1;
    assert!(
        lines[last].starts_with(&format!(
            "content/page.md:{}:{column}: error: ",
            3 + 2 * last
        )),
        "{}",
        lines[last]
    );
}

#[test]
fn many_unknown_front_matter_keys_are_each_reported() {
    let mut toml = String::from("+++\ntitle = \"鍵\"\n");
    let mut yaml = String::from("---\ntitle: 鍵\n");
    for i in 0..N {
        toml.push_str(&format!("k{i} = {i}\n"));
        yaml.push_str(&format!("k{i}: {i}\n"));
    }
    toml.push_str("+++\n# 鍵\n");
    yaml.push_str("---\n# 鍵\n");
    let last = N - 1;
    // TOML: errors; YAML: warnings (kenshu's own keys are checked by type).
    let (lines, ok) = check_page(&toml);
    assert!(!ok);
    assert_eq!(lines.len(), N, "{:?}", lines.first());
    assert!(
        lines[last].starts_with(&format!(
            "content/page.md:{}:1: error: unknown key `k{last}` in front matter",
            3 + last
        )),
        "{}",
        lines[last]
    );
    let (lines, ok) = check_page(&yaml);
    assert!(ok);
    assert_eq!(lines.len(), N, "{:?}", lines.first());
    assert!(
        lines[last].starts_with(&format!(
            "content/page.md:{}:1: warning: front matter key `k{last}` is not used",
            3 + last
        )),
        "{}",
        lines[last]
    );
}

#[test]
fn many_shortcodes_are_each_reported_at_their_line() {
    let mut page = String::from("# ショートコード\n");
    for i in 0..N {
        page.push_str(&format!("\n本文 {{{{< note {i} >}}}}\n"));
    }
    let (lines, ok) = check_page(&page);
    assert!(ok);
    assert_eq!(lines.len(), N, "{:?}", lines.first());
    let last = N - 1;
    assert!(
        lines[last].starts_with(&format!("content/page.md:{}:4: warning: ", 3 + 2 * last)),
        "{}",
        lines[last]
    );
}

/// About `mib` MiB of Rust, 64 bytes a line.
fn rust(mib: usize) -> String {
    (0..mib * 1024 * 1024 / 64)
        .map(|i| format!("    let value_{i:08} = compute(\"text\", {i:08}) + 1; // cccc\n"))
        .collect()
}

#[test]
fn a_huge_code_block_is_shown_plain_with_a_warning() {
    // Highlighting took about 3 s per MiB in a release build, minutes in
    // a debug one; blocks over 256 KiB are now shown without colours.
    let code = rust(4);
    let page = format!("# コード\n\n```rust\n{code}```\n\n```rust\n{{{{#include big.rs}}}}\n```\n");
    let d = site(&[("content/page.md", &page), ("content/big.rs", &code)]);
    let out = kenshu_within(LIMIT, &["build", s(d.path())]);
    assert!(out.status.success());
    let stderr = String::from_utf8_lossy(&out.stderr);
    let warnings: Vec<&str> = stderr.lines().filter(|l| l.contains("warning:")).collect();
    let lines = 3 + code.lines().count();
    assert_eq!(
        warnings,
        [
            "content/page.md:3:1: warning: this code block is 4096 KiB, over the 256 KiB that is highlighted: it is shown without colours and left out of search".to_string(),
            format!("content/page.md:{}:1: warning: this code block is 4096 KiB, over the 256 KiB that is highlighted: it is shown without colours and left out of search", lines + 3),
        ],
        "{stderr}"
    );
    let html = std::fs::read_to_string(d.path().join("public/page.html")).unwrap();
    let plain = format!(
        "<pre><code class=\"language-rust\">{}</code></pre>",
        code.replace('"', "&quot;")
    );
    assert_eq!(html.matches(&plain).count(), 2);
    assert!(!html.contains("hl-"));
    // Not in the search text, which the text around it is.
    let text: String = std::fs::read_dir(d.path().join("public/assets/search/text"))
        .unwrap()
        .map(|e| std::fs::read_to_string(e.unwrap().path()).unwrap())
        .collect();
    assert!(text.contains("コード"));
    assert!(!text.contains("value_00000000"));
}
