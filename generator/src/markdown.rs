//! Markdown processing shared by `load` (to find headings, links and
//! directives) and `render` (to write HTML). Pure functions only.
//!
//! On top of CommonMark (pulldown-cmark) it adds what Japanese text and
//! this tool need:
//! - no space where a soft line break falls between two Japanese characters;
//! - `**…**` next to 「」 and other CJK punctuation renders as strong;
//! - stable, readable heading anchors that keep Japanese as it is;
//! - admonitions (`> [!NOTE]`, `> [!解説]`) and speaker notes (`> [!講師メモ]`);
//! - directives: a paragraph that is only `{{#name arg}}`;
//! - other tools' extensions: `:::` boxes ([`boxes`]), `[[toc]]`,
//!   `:emoji:`, `{{ $frontmatter.x }}`, `<!-- more -->` and custom
//!   elements ([`extensions`]).
//!
//! By job: [`cjk`] (CJK emphasis and line breaks), [`scan`] (what `load`
//! reads: headings, links, directives), [`kept`] (the events kept from
//! load to render), [`slides`] (where slides start), [`writer`] (events to
//! HTML, raw HTML's links rewritten); this file holds what they share.

use std::ops::Range;

use pulldown_cmark::{Event, Options};

use cjk::{cjk_emphasis_events, cjk_strong, join_cjk_soft_breaks, merge_text, parse_as_written};
use extensions::Found;
use scan::assign_heading_ids;

/// The Markdown extensions kenshu enables.
pub fn options() -> Options {
    Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_TASKLISTS
        | Options::ENABLE_HEADING_ATTRIBUTES
}

/// Admonition kinds: the marker written after `[!`, its CSS class and its
/// visible label.
pub const ADMONITIONS: &[(&str, &str, &str)] = &[
    ("NOTE", "note", "メモ"),
    ("TIP", "tip", "ヒント"),
    ("IMPORTANT", "important", "重要"),
    ("WARNING", "warning", "警告"),
    ("CAUTION", "caution", "注意"),
    ("解説", "commentary", "解説（講座作成者）"),
];

/// The marker of speaker notes.
pub const NOTES_MARKER: &str = "講師メモ";

/// Events with their byte ranges.
type Spanned<'a> = Vec<(Event<'a>, Range<usize>)>;

/// How speaker notes are rendered.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NotesMode {
    /// A collapsed `<details>` block (reading pages).
    Collapsed,
    /// Left out entirely.
    Hidden,
    /// `<aside class="notes">` for the slide deck's speaker view.
    Aside,
}

/// Callbacks the HTML writer uses for what depends on the rest of the site.
pub struct HtmlContext<'a> {
    /// Maps a destination as written to the `href`/`src` to write.
    pub link: &'a dyn Fn(&str) -> String,
    /// Renders a directive to HTML.
    pub directive: &'a dyn Fn(&Directive) -> String,
    pub notes: NotesMode,
}

/// A body that contains this is counted in [`COUNTED_PARSES`] each time
/// it is parsed (tests that check a page is parsed once).
#[cfg(test)]
pub(crate) const COUNTED: &str = "<!-- count my parses -->";

/// How many times a body containing [`COUNTED`] was parsed.
#[cfg(test)]
pub(crate) static COUNTED_PARSES: std::sync::atomic::AtomicUsize =
    std::sync::atomic::AtomicUsize::new(0);

/// Events with their byte ranges, after kenshu's transformations (with
/// `vars` for `{{ $frontmatter.x }}`; what is worth a warning in `found`).
fn events<'a>(body: &'a str, vars: &PageVars, found: &mut Found) -> Spanned<'a> {
    #[cfg(test)]
    if body.contains(COUNTED) {
        COUNTED_PARSES.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
    }
    let markers = boxes::find_markers(body);
    let raw: Vec<(Event<'_>, Range<usize>)> = if !markers.is_empty() {
        boxes::parse_with_markers(body, &markers)
    } else {
        match cjk_emphasis_events(body) {
            Some(events) => events,
            None => parse_as_written(body),
        }
    };
    let merged = merge_text(raw);
    let joined = join_cjk_soft_breaks(merged);
    let strong = cjk_strong(joined);
    let boxed = if markers.is_empty() {
        strong
    } else {
        boxes::convert(strong, &markers, body, found)
    };
    let extended = extensions::apply(boxed, body, vars, found);
    extensions::insert_toc(assign_heading_ids(extended, vars.slug_rule()))
}

pub use cjk::{is_wide, joins_without_space};
pub use extensions::{Notice, PageVars};
pub use kept::{parse, parse_with, Kept, Parsed};
pub use scan::{
    html_attr_values, html_urls, include_candidates, oversized_code, scan, scan_with, slugify,
    Directive, ForeignSyntax, Heading, Include, LinkRef, Scan,
};
pub use slides::{SlideHtml, SLIDE_MARKER};
pub use text::SectionText;
pub use writer::{render, slides, to_html, to_slides, Rendered};

/// Escapes a string for use inside a double-quoted HTML attribute (see
/// [`crate::html::escape`]).
pub use crate::html::escape as escape_attr;

mod boxes;
mod cjk;
mod extensions;
mod kept;
#[cfg(test)]
mod large;
mod scan;
mod slides;
pub mod slug;
#[cfg(test)]
mod snapshots;
mod text;
mod writer;

#[cfg(test)]
mod tests {
    use super::kept::Stored;
    use super::*;

    /// A body's HTML with links as written and directives as placeholders.
    pub(super) fn html(md: &str) -> String {
        let link = |d: &str| d.to_string();
        let directive =
            |d: &Directive| format!("<div data-directive=\"{}\">{}</div>", d.name, d.arg);
        to_html(
            md,
            &HtmlContext {
                link: &link,
                directive: &directive,
                notes: NotesMode::Collapsed,
            },
        )
    }

    /// Every Markdown construct kenshu renders (and the CJK emphasis cases).
    const EVERY_KIND: &str = "# 見出し {#top}\n\n## 二つ目 {.c data-x=1}\n\n\
本文の**「重要」**です。*強調*と~~取消~~、`コード`、<kbd>Ctrl</kbd>、H~2~O、x^2^。\n\
次の行\\\n改行  \nあと。[リンク](a.md#x \"題\")と![画像](i.png)と<https://e.jp>と[参照][r]。\n\n\
[r]: b.md\n\n> [!NOTE]\n> 注意\n\n> [!講師メモ]\n> メモ\n\n- 一\n- [x] 二\n\n3. 三\n4. 四\n\n\
| a | b |\n|:-|-:|\n| 1 | 2 |\n\n```rust\nfn main() {}\n```\n\n    indented\n\n\
<div id=\"raw\">\nHTML\n</div>\n\n---\n\n脚注[^1]。\n\n[^1]: 注の本文。\n\n\
用語\n: 定義\n\n{{#exercise e1}}\n\n&amp; &copy; \\* $x$\n";

    #[test]
    fn kept_events_are_the_parsed_events() {
        for body in [
            EVERY_KIND,
            "**「A」**と**「B」**",
            "`**「x」**`は**「y」**",
            "",
        ] {
            let (scan_kept, kept) = Kept::parse(body.to_string());
            let kept = kept.expect("a small body is kept");
            assert_eq!(kept.body(), body);
            assert_eq!(format!("{:?}", scan_kept), format!("{:?}", scan(body)));
            let from_kept = kept.render_with(|p| format!("{:?}", p.events));
            assert_eq!(from_kept, format!("{:?}", parse(body).events), "{body}");
        }
    }

    #[test]
    fn a_kept_event_is_small() {
        assert!(std::mem::size_of::<(Stored<'_>, [u32; 2])>() <= 32);
        // Most events are stored without an allocation of their own.
        let (_, kept) = Kept::parse(EVERY_KIND.to_string());
        let boxed = kept.unwrap().with_dependent(|_, tape| {
            tape.iter()
                .filter(|(s, _)| matches!(s, Stored::Other(_)))
                .count() as f64
                / tape.len() as f64
        });
        assert!(boxed < 0.25, "{boxed}");
    }

    #[test]
    fn soft_break_between_japanese_is_removed() {
        assert_eq!(html("連携の\n理念"), "<p>連携の理念</p>\n");
        assert_eq!(html("English\nwords"), "<p>English\nwords</p>\n");
        assert_eq!(html("連携の\n3つ"), "<p>連携の3つ</p>\n");
        assert_eq!(html("ポイント\n①顔合わせ"), "<p>ポイント①顔合わせ</p>\n");
        assert_eq!(html("日本語\nword"), "<p>日本語\nword</p>\n");
        assert_eq!(html("2021\n年"), "<p>2021年</p>\n");
        assert_eq!(
            html("**強調**\nのあと"),
            "<p><strong>強調</strong>のあと</p>\n"
        );
    }

    #[test]
    fn strong_next_to_kagikakko() {
        assert_eq!(
            html("**「重要」**です"),
            "<p><strong>「重要」</strong>です</p>\n"
        );
        assert_eq!(
            html("これは**「重要なこと」**です。"),
            "<p>これは<strong>「重要なこと」</strong>です。</p>\n"
        );
        // Ordinary CommonMark emphasis is untouched, literal stars stay.
        assert_eq!(html("a **b** c"), "<p>a <strong>b</strong> c</p>\n");
        assert_eq!(html("2 ** 3"), "<p>2 ** 3</p>\n");
    }

    #[test]
    fn stars_in_code_and_links_stay_as_written() {
        // Star runs next to CJK in code, a link destination and HTML are
        // not text: they stay as written, while the text beside them gets
        // its emphasis.
        assert_eq!(
            html("`「A」**です` と**「重要」**です"),
            "<p><code>「A」**です</code> と<strong>「重要」</strong>です</p>\n"
        );
        assert_eq!(
            html("[「a」](x「**y」**z)と**「重要」**です"),
            "<p><a href=\"x%E3%80%8C**y%E3%80%8D**z\">「a」</a>と<strong>「重要」</strong>です</p>\n"
        );
        assert_eq!(
            html("```\n「A」**です\n```\n"),
            "<pre><code>「A」**です\n</code></pre>\n"
        );
    }

    #[test]
    fn japanese_heading_anchors() {
        let s = scan("## 「連携」と「協働」の概念整理\n\n## 重層的支援会議の目的・役割 + 社会資源の開拓・連携\n\n## まとめ\n\n## まとめ\n\n## Custom {#my-id}\n");
        let ids: Vec<&str> = s.headings.iter().map(|h| h.id.as_str()).collect();
        assert_eq!(
            ids,
            [
                "連携と協働の概念整理",
                "重層的支援会議の目的役割-社会資源の開拓連携",
                "まとめ",
                "まとめ-1",
                "my-id"
            ]
        );
        assert!(html("## まとめ").contains("<h2 id=\"まとめ\">まとめ</h2>"));
    }

    #[test]
    fn admonitions_and_notes() {
        let h = html("> [!NOTE]\n> 本文です");
        assert!(h.contains("<aside class=\"admonition note\""), "{h}");
        assert!(h.contains("<p>本文です</p>"), "{h}");
        assert!(!h.contains("[!NOTE]"));
        let h = html("> [!講師メモ]\n> ここで質問する");
        assert!(
            h.contains("<details class=\"speaker-notes\"><summary>講師メモ</summary>"),
            "{h}"
        );
        assert!(h.contains("ここで質問する"));
        let s = scan("> [!FOO]\n> x");
        assert_eq!(s.unknown_admonitions.len(), 1);
    }

    #[test]
    fn hidden_notes_leave_nothing() {
        let link = |d: &str| d.to_string();
        let directive = |_: &Directive| String::new();
        let h = to_html(
            "前\n\n> [!講師メモ]\n> 秘密\n\n後",
            &HtmlContext {
                link: &link,
                directive: &directive,
                notes: NotesMode::Hidden,
            },
        );
        assert_eq!(h, "<p>前</p>\n<p>後</p>\n");
    }

    #[test]
    fn directives_links_and_raw_html() {
        assert_eq!(
            html("{{#exercise case01-classify}}"),
            "<div data-directive=\"exercise\">case01-classify</div>"
        );
        let s = scan("[a](b.md#x) ![i](img/a.png)\n\n<a href=\"c.md\">c</a>\n");
        let dests: Vec<&str> = s.links.iter().map(|l| l.dest.as_str()).collect();
        assert_eq!(dests, ["b.md#x", "img/a.png", "c.md"]);
        let body = "x\n\n<p><a href=\"c.md\">c</a></p>\n";
        let s = scan(body);
        assert_eq!(&body[s.links[0].offset..s.links[0].offset + 4], "c.md");
    }

    fn slides(md: &str) -> Vec<SlideHtml> {
        let link = |d: &str| d.to_string();
        let directive = |d: &Directive| format!("<div data-directive=\"{}\"></div>", d.arg);
        to_slides(
            md,
            &HtmlContext {
                link: &link,
                directive: &directive,
                notes: NotesMode::Hidden,
            },
        )
    }

    #[test]
    fn slides_split_at_h2_and_marker() {
        let md = "# 題\n\n前書き\n\n## 一\n\n本文1\n\n> [!講師メモ]\n> 話すこと\n\n<!-- slide -->\n\n続き\n\n### 小見出し\n\n- リスト\n\n  ## 中の見出し\n\n## 二 {#two}\n\n> [!解説]\n> 補足\n\n{{#exercise ex1}}\n";
        let s = slides(md);
        assert_eq!(s.len(), 4, "{s:#?}");
        assert!(s[0].html.contains("<h1 id=\"題\">題</h1>") && s[0].html.contains("前書き"));
        assert_eq!(s[1].heading, Some(("一".into(), "一".into())));
        assert!(s[1].html.contains("本文1") && !s[1].html.contains("話すこと"));
        assert_eq!(s[1].notes, "<p>話すこと</p>\n");
        assert!(s[2].html.contains("続き") && !s[2].html.contains("slide"));
        // A heading inside a list item does not start a slide.
        assert!(s[2].html.contains("中の見出し"));
        assert_eq!(s[3].heading, Some(("二".into(), "two".into())));
        assert!(!s[3].html.contains("補足"));
        assert!(
            s[3].commentary.contains("admonition commentary") && s[3].commentary.contains("補足")
        );
        assert!(s[3].html.contains("data-directive=\"ex1\""));
    }

    #[test]
    fn slides_title_slide_may_be_empty_and_empty_slides_are_dropped() {
        let s = slides("## A\n\nx\n\n<!-- slide -->\n\n## B\n");
        assert_eq!(s.len(), 3, "{s:#?}");
        assert!(s[0].html.trim().is_empty());
        assert!(s[2].html.contains(">B</h2>"));
        // On reading pages the marker is an invisible comment.
        assert!(html("a\n\n<!-- slide -->\n\nb").contains("<!-- slide -->"));
    }

    #[test]
    fn slugs() {
        assert_eq!(slugify("Hello World!"), "hello-world");
        assert_eq!(slugify("「」"), "section");
        assert_eq!(slugify("①プランの適切性協議"), "①プランの適切性協議");
    }
}
