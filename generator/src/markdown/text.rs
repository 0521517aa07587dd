//! The plain text a reader sees on a page, split into sections at its
//! headings — what the search index holds. It is taken from the output
//! events of the same pass that writes the page's HTML (see
//! [`super::Rendered`]), so search never parses the Markdown or the HTML
//! again. Raw HTML written in the Markdown (figures, tables) is the only
//! HTML read here, fragment by fragment.

use pulldown_cmark::{Event, Tag, TagEnd};

pub use crate::html::decode_entities;

/// One section of a page: the text under one heading.
#[derive(Debug, Clone, serde::Serialize, PartialEq, Eq)]
pub struct SectionText {
    /// Heading text ("" for the text before the first heading).
    pub h: String,
    /// Anchor id ("" for the top of the page).
    pub a: String,
    /// Plain text of the section.
    pub x: String,
}

/// Collects [`SectionText`]s from output events.
pub(super) struct TextWriter<'t> {
    /// The page title: a leading `<h1>` equal to it is not repeated.
    title: &'t str,
    out: Vec<SectionText>,
    text: String,
    /// Inside a heading: its level, id and text so far.
    heading: Option<(u8, String, String)>,
    /// Inside raw HTML's `<script>`, `<style>`, … up to this closing tag.
    skip_until: Option<&'static str>,
    /// Inside an image: its alt text is not page text.
    image_depth: usize,
    /// Inside an HTML comment that a fragment opened and did not close
    /// (a comment over several lines comes one line per fragment).
    in_comment: bool,
}

impl<'t> TextWriter<'t> {
    pub(super) fn new(title: &'t str) -> Self {
        TextWriter {
            title,
            out: vec![SectionText {
                h: String::new(),
                a: String::new(),
                x: String::new(),
            }],
            text: String::new(),
            heading: None,
            skip_until: None,
            image_depth: 0,
            in_comment: false,
        }
    }

    /// Takes one output event of the page body.
    pub(super) fn event(&mut self, ev: &Event<'_>) {
        match ev {
            Event::Start(Tag::Image { .. }) => self.image_depth += 1,
            Event::End(TagEnd::Image) => self.image_depth = self.image_depth.saturating_sub(1),
            _ if self.image_depth > 0 => {}
            Event::Start(Tag::Heading { level, id, .. }) => {
                self.open_heading(*level as u8, id.as_deref().unwrap_or_default().to_string())
            }
            Event::End(TagEnd::Heading(_)) => self.close_heading(),
            Event::Text(t) | Event::Code(t) | Event::InlineMath(t) | Event::DisplayMath(t) => {
                self.push(t)
            }
            Event::SoftBreak | Event::HardBreak | Event::Rule => self.space(),
            Event::Start(
                Tag::Paragraph
                | Tag::Item
                | Tag::TableCell
                | Tag::TableRow
                | Tag::TableHead
                | Tag::BlockQuote(_)
                | Tag::List(_)
                | Tag::Table(_)
                | Tag::CodeBlock(_)
                | Tag::DefinitionListTitle
                | Tag::DefinitionListDefinition,
            )
            | Event::End(
                TagEnd::Paragraph
                | TagEnd::Item
                | TagEnd::TableCell
                | TagEnd::TableRow
                | TagEnd::TableHead
                | TagEnd::BlockQuote(_)
                | TagEnd::List(_)
                | TagEnd::Table
                | TagEnd::CodeBlock
                | TagEnd::DefinitionListTitle
                | TagEnd::DefinitionListDefinition,
            ) => self.space(),
            Event::Html(h) | Event::InlineHtml(h) => self.html(h),
            _ => {}
        }
    }

    /// The sections, in order; the text before the first heading is
    /// dropped when empty (a page that starts with a heading).
    pub(super) fn finish(mut self) -> Vec<SectionText> {
        self.finish_section();
        if self.out.len() > 1 && self.out[0].x.is_empty() {
            self.out.remove(0);
        }
        self.out
    }

    fn push(&mut self, s: &str) {
        if self.skip_until.is_some() || s.is_empty() {
            return;
        }
        match &mut self.heading {
            Some((_, _, h)) => h.push_str(s),
            None => self.text.push_str(s),
        }
    }

    fn space(&mut self) {
        self.push(" ");
    }

    fn open_heading(&mut self, level: u8, id: String) {
        self.heading = Some((level, id, String::new()));
    }

    fn close_heading(&mut self) {
        let Some((level, id, h)) = self.heading.take() else {
            return;
        };
        let h = collapse(&h);
        if level == 1 {
            if h != self.title {
                self.text.push_str(&h);
                self.text.push(' ');
            }
        } else {
            self.finish_section();
            self.out.push(SectionText {
                h,
                a: id,
                x: String::new(),
            });
        }
    }

    fn finish_section(&mut self) {
        if let Some(last) = self.out.last_mut() {
            last.x = collapse(&self.text);
        }
        self.text.clear();
    }

    /// A fragment of raw HTML (or HTML kenshu wrote, such as a highlighted
    /// code block): its text, with block elements as spaces.
    fn html(&mut self, mut rest: &str) {
        while !rest.is_empty() {
            if self.in_comment {
                let Some(end) = rest.find("-->") else { return };
                rest = &rest[end + 3..];
                self.in_comment = false;
                continue;
            }
            let Some(lt) = rest.find('<') else {
                self.push(&decode_entities(rest));
                break;
            };
            self.push(&decode_entities(&rest[..lt]));
            let tag_end = match tag_end(&rest[lt..]) {
                Some(e) => lt + e,
                // A comment that goes on in the next fragments (one line
                // each) is skipped up to its end.
                None if rest[lt..].starts_with("<!--") => {
                    self.in_comment = true;
                    return;
                }
                None => rest.len(),
            };
            let tag = &rest[lt..tag_end];
            rest = &rest[tag_end..];
            let name = tag_name(tag);
            let closing = tag.starts_with("</");
            if let Some(until) = self.skip_until {
                if closing && name == until {
                    self.skip_until = None;
                }
                continue;
            }
            match name.as_str() {
                "script" | "style" | "template" | "textarea" if !closing => {
                    self.skip_until = Some(match name.as_str() {
                        "script" => "script",
                        "style" => "style",
                        "template" => "template",
                        _ => "textarea",
                    });
                }
                "h1" | "h2" | "h3" | "h4" | "h5" | "h6" => {
                    if closing {
                        self.close_heading();
                    } else {
                        let level = name.as_bytes()[1] - b'0';
                        let id = super::html_attr_values(tag, "id").into_iter().next();
                        self.open_heading(
                            level,
                            id.map(|(v, _)| decode_entities(&v)).unwrap_or_default(),
                        );
                    }
                }
                "p" | "li" | "td" | "th" | "tr" | "div" | "br" | "blockquote" | "pre"
                | "summary" | "details" | "aside" | "dt" | "dd" | "figcaption" | "hr" | "ul"
                | "ol" | "table" => self.space(),
                _ => {}
            }
        }
    }
}

/// Collapses runs of white space to one space and trims.
fn collapse(s: &str) -> String {
    // `split_whitespace`, read byte by byte: only a character whose first
    // byte is ASCII, C2, E1, E2 or E3 can be white space (U+0085, U+00A0,
    // U+1680, U+2000-U+205F, U+3000), the others are skipped whole.
    let b = s.as_bytes();
    let mut out = String::with_capacity(s.len());
    let mut word: Option<usize> = None;
    let mut i = 0;
    while i < b.len() {
        let lead = b[i];
        let len = match lead {
            0..=0x7F => 1,
            0x80..=0xDF => 2,
            0xE0..=0xEF => 3,
            _ => 4,
        };
        let space = match lead {
            0..=0x7F => matches!(lead, b' ' | b'\t' | b'\n' | 0x0B | 0x0C | b'\r'),
            0xC2 | 0xE1 | 0xE2 | 0xE3 => s
                .get(i..)
                .and_then(|r| r.chars().next())
                .is_some_and(char::is_whitespace),
            _ => false,
        };
        if !space {
            word.get_or_insert(i);
        } else if let Some(start) = word.take() {
            if !out.is_empty() {
                out.push(' ');
            }
            out.push_str(&s[start..i]);
        }
        i += len;
    }
    if let Some(start) = word {
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(&s[start..]);
    }
    out
}

/// The byte length of the tag starting at `s` (which starts with `<`),
/// quotes respected; None when it is not closed.
fn tag_end(s: &str) -> Option<usize> {
    if s.starts_with("<!--") {
        return s.find("-->").map(|e| e + 3);
    }
    let mut quote = None;
    for (i, c) in s.char_indices() {
        match (quote, c) {
            (None, '"' | '\'') => quote = Some(c),
            (Some(q), c) if c == q => quote = None,
            (None, '>') => return Some(i + 1),
            _ => {}
        }
    }
    None
}

/// Lower-case element name of a tag (`<h2 id=…>` → `h2`, `</p>` → `p`).
fn tag_name(tag: &str) -> String {
    tag.trim_start_matches('<')
        .trim_start_matches('/')
        .chars()
        .take_while(|c| c.is_ascii_alphanumeric())
        .collect::<String>()
        .to_ascii_lowercase()
}

/// Plain text of the inline events up to the end of the current heading.
pub(super) fn heading_text(events: &[(Event<'_>, std::ops::Range<usize>)]) -> String {
    let mut text = String::new();
    for (ev, _) in events {
        match ev {
            Event::End(TagEnd::Heading(_)) => break,
            Event::Text(t) | Event::Code(t) => text.push_str(t),
            Event::SoftBreak | Event::HardBreak => text.push(' '),
            _ => {}
        }
    }
    text
}

#[cfg(test)]
mod tests {
    use super::super::{parse, render, Directive, HtmlContext, NotesMode};
    use super::*;

    #[test]
    fn collapse_is_split_whitespace_joined_by_spaces() {
        let slow = |s: &str| s.split_whitespace().collect::<Vec<_>>().join(" ");
        // Every white space character, beside ASCII, kana and others whose
        // first bytes are those of white space (C2, E1, E2, E3).
        let pool: Vec<char> = (0..0x3100u32)
            .filter_map(char::from_u32)
            .filter(|c| c.is_whitespace())
            .chain("a連か\u{00A9}\u{1680}\u{1E00}\u{2010}\u{3001}\u{1F600}".chars())
            .collect();
        let mut seed: u64 = 0x2545_f491_4f6c_dd1d;
        for _ in 0..20_000 {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            let len = (seed % 9) as usize;
            let s: String = (0..len)
                .map(|k| pool[((seed >> (k * 6)) % pool.len() as u64) as usize])
                .collect();
            assert_eq!(collapse(&s), slow(&s), "{s:?}");
        }
    }

    fn sections(md: &str, notes: NotesMode) -> Vec<(String, String, String)> {
        let link = |d: &str| d.to_string();
        let directive = |d: &Directive| format!("<div class=\"exercise\">演習 {}</div>", d.arg);
        let cx = HtmlContext {
            link: &link,
            directive: &directive,
            notes,
        };
        let out = render(parse(md), &cx, Some("題"));
        // The same pass writes the same HTML as a page without text.
        assert_eq!(out.html, render(parse(md), &cx, None).html);
        out.text.into_iter().map(|s| (s.h, s.a, s.x)).collect()
    }

    fn s(h: &str, a: &str, x: &str) -> (String, String, String) {
        (h.into(), a.into(), x.into())
    }

    #[test]
    fn sections_at_headings_with_what_a_reader_reads() {
        let md = "# 題\n\n前書き**強調**と`code`\n\n![写真の説明](a.png)\n\n## 見出し {#h}\n\n本文\n\n{{#exercise ex1}}\n\n```rust\nlet a = 1 < 2;\n```\n\n> [!講師メモ]\n> 秘密\n\n### 小見出し\n\n- 一\n- 二\n";
        assert_eq!(
            sections(md, NotesMode::Hidden),
            [
                s("", "", "前書き強調とcode"),
                s("見出し", "h", "本文 let a = 1 < 2;"),
                s("小見出し", "小見出し", "一 二"),
            ]
        );
        let shown = sections(md, NotesMode::Collapsed);
        assert_eq!(shown[1].2, "本文 let a = 1 < 2; 講師メモ 秘密");
        // A first heading other than the title stays as text.
        assert_eq!(
            sections("# 別\n\n本文", NotesMode::Hidden),
            [s("", "", "別 本文")]
        );
    }

    #[test]
    fn raw_html_entities_and_scripts() {
        assert_eq!(
            decode_entities("a &amp; b &#x41;&#66; &bogus; &"),
            "a & b AB &bogus; &"
        );
        let md = "<p>前</p>\n\n<h2 id=\"a&amp;b\">見<em>出</em>し</h2>\n\n<p>本<strong>文</strong></p>\n<script>x()</script>\n\n<figure><figcaption>図1 &amp; 図2</figcaption></figure>\n";
        assert_eq!(
            sections(md, NotesMode::Hidden),
            [s("", "", "前"), s("見出し", "a&b", "本文 図1 & 図2")]
        );
    }
}
