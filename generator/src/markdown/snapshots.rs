//! Snapshot tests of the Markdown cases people bring from other tools and
//! from Japanese writing (issue #16). The snapshots are the HTML a reader
//! gets; review a changed one with `cargo insta review` (or read the
//! `.snap.new` file) before accepting it.

use super::scan;
use super::tests::html;

/// Each case with its HTML, one block per case, so a snapshot reads as a
/// table of input and output.
fn cases(list: &[&str]) -> String {
    list.iter()
        .map(|md| format!("--- {md:?}\n{}", html(md)))
        .collect::<Vec<_>>()
        .join("\n")
}

#[test]
fn japanese_emphasis() {
    insta::assert_snapshot!(cases(&[
        "これは**「A」**と**「B」**です。",
        "**「重要」**です",
        "**`code`**です",
        "**[リンク](a.md)**です",
        "これは*「重要」*です",
        "これは__「重要」__です",
        "*「重要」*",
        "__「重要」__",
        "日本語の**強調**です",
        "英語 **bold** と *em*",
        "2 ** 3 と a*b*c",
        "資料_2024_最終.pdf",
        "`**「code」**です`",
        "**「一」**\n**「二」**です",
    ]));
}

#[test]
fn soft_breaks() {
    insta::assert_snapshot!(cases(&[
        "できます。\nAPIを使います",
        "使います、\n`code`を書く",
        "「引用」\nです",
        "日本語\nword",
        "English\nwords",
        "連携の\n理念",
        "説明。\n<kbd>Ctrl</kbd>を押す",
        "**強調**\nのあと",
        "word\n日本語",
    ]));
}

#[test]
fn footnotes() {
    insta::assert_snapshot!(html(
        "本文[^a]と別の注[^2]。\n\nもう一度[^a]、定義のない注[^x]。\n\n[^a]: 最初の注。[リンク](b.md)\n\n[^2]: 二つ目の注。\n\n[^unused]: 参照されない注。\n"
    ));
}

#[test]
fn code_blocks() {
    insta::assert_snapshot!(cases(&[
        "```rust,ignore\n# use std::fs;\nfn main() {\n    let x = \"文字列\"; // 注釈\n}\n```",
        "```toml\ntitle = \"x\"\n```",
        "```nosuchlang\na < b\n```",
        "    indented <code>\n",
        "```\nplain & simple\n```",
        "```sh\n# a comment stays\necho hi\n```",
    ]));
}

#[test]
fn foreign_template_syntax() {
    let body = "# 題\n\n{{< figure src=\"a.png\" >}}\n\n{{% notice %}}x{{% /notice %}}\n\n{% include \"x.md\" %}\n\n{{ book.title }} と {{ .Site.Title }}\n\n{{#include x.md}}\n\n{{#exercise ex1}}\n\n`{{< code >}}`\n\n```\n{% raw %}\n```\n";
    let found: Vec<String> = scan(body)
        .foreign
        .iter()
        .map(|f| {
            let (line, col) = crate::diagnostic::line_col(body, f.offset);
            format!("{line}:{col} {} — {}", f.text, f.system)
        })
        .collect();
    insta::assert_snapshot!(found.join("\n"));
}
