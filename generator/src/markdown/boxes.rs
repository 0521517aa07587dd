//! VuePress/VitePress custom containers: `::: tip タイトル` … `:::` (and
//! `::::` around `:::` to nest) as the theme's admonition boxes,
//! `::: details` as `<details>`.
//!
//! pulldown-cmark has no custom block syntax, and a `:::` line on its own
//! would be read as paragraph text (or as a lazy continuation of a list
//! item). So every line that looks like a marker is swapped, in a copy of
//! the body of the same length, for an ATX heading (`::: tip` →
//! `#   tip`): a heading ends a paragraph, a list item and a block quote as
//! markdown-it's container rule does, and sits on its own line. The copy is
//! parsed once, the events are moved back onto the body (same bytes at the
//! same offsets except the swapped colons, so a marker that turns out to
//! be inside code or HTML reads as written again), and the headings that
//! start at a swapped line become the boxes.

use std::collections::BTreeSet;
use std::ops::Range;

use pulldown_cmark::{CowStr, Event, Tag, TagEnd};

use super::cjk::{cjk_emphasis_events, move_event, moved_to, parse_as_written};
use super::extensions::{Found, Notice};
use super::{escape_attr, Spanned};

/// A line that looks like a container marker.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Marker {
    /// Byte offset of its first colon.
    at: usize,
    /// The number of colons (3 or more).
    colons: usize,
    /// The end of the line (before its line break).
    end: usize,
    /// The container's name, lower-cased; None for a closing line.
    name: Option<String>,
}

/// A box kind: the name after `:::`, its CSS class and its default title
/// (VuePress's Japanese ones).
const KINDS: &[(&str, &str, &str)] = &[
    ("tip", "tip", "ヒント"),
    ("info", "info", "情報"),
    ("note", "note", "メモ"),
    ("important", "important", "重要"),
    ("warning", "warning", "注意"),
    ("caution", "caution", "注意"),
    ("danger", "danger", "警告"),
    ("details", "details", "詳細"),
];

/// The kind names, for messages.
fn kind_names() -> String {
    let names: Vec<&str> = KINDS.iter().map(|(n, _, _)| *n).collect();
    names.join(", ")
}

/// The marker lines of `body`: 3 or more colons (after any indentation),
/// then nothing (a closing line) or a name (`tip`, `details`, any word:
/// a container kenshu does not know still pairs with its closing line).
pub(super) fn find_markers(body: &str) -> Vec<Marker> {
    let mut markers = Vec::new();
    if !body.contains(":::") {
        return markers;
    }
    let mut start = 0;
    for line in body.split_inclusive('\n') {
        let line_start = start;
        start += line.len();
        let text = line.trim_end_matches(['\n', '\r']);
        let indent = text.len() - text.trim_start_matches([' ', '\t']).len();
        let rest = &text[indent..];
        let colons = rest.len() - rest.trim_start_matches(':').len();
        if colons < 3 {
            continue;
        }
        let after = &rest[colons..];
        let words = after.trim();
        let name = if words.is_empty() {
            None
        } else {
            let name: String = words
                .chars()
                .take_while(|c| c.is_ascii_alphanumeric() || *c == '-' || *c == '_')
                .collect();
            let follows = words[name.len()..].chars().next();
            let starts_with_letter = name.starts_with(|c: char| c.is_ascii_alphabetic());
            if !starts_with_letter || follows.is_some_and(|c| !c.is_whitespace() && c != '{') {
                continue;
            }
            Some(name.to_ascii_lowercase())
        };
        markers.push(Marker {
            at: line_start + indent,
            colons,
            end: line_start + text.len(),
            name,
        });
    }
    markers
}

/// Parses `body` with its marker lines read as headings (see the module
/// documentation); the events borrow `body`.
pub(super) fn parse_with_markers<'a>(body: &'a str, markers: &[Marker]) -> Spanned<'a> {
    let mut copy = body.as_bytes().to_vec();
    for m in markers {
        // `:::` → `#  `: ASCII for ASCII, so offsets and character
        // boundaries stay those of the body.
        copy[m.at] = b'#';
        for b in &mut copy[m.at + 1..m.at + m.colons] {
            *b = b' ';
        }
    }
    let Ok(copy) = String::from_utf8(copy) else {
        return parse_as_written(body);
    };
    let raw = cjk_emphasis_events(&copy).unwrap_or_else(|| parse_as_written(&copy));
    let mv = |s: CowStr<'_>| moved_to(s, &copy, body);
    raw.into_iter()
        .map(|(ev, range)| (move_event(ev, &mv), range))
        .collect()
}

/// An open container.
struct Open {
    /// Block depth of the events around its marker.
    depth: usize,
    colons: usize,
    /// What closes it (None: a container kenshu does not know, whose
    /// marker lines are left out and its content kept).
    close: Option<&'static str>,
    name: String,
    at: usize,
}

/// Turns the marker headings of `events` (from [`parse_with_markers`])
/// into boxes. A closing line closes the innermost open container of the
/// same block when it has at least as many colons; a container still open
/// when its block ends is closed there (with a warning at the end of the
/// page, as markdown-it closes it silently). A closing line that closes
/// nothing stays as text.
pub(super) fn convert<'a>(
    events: Spanned<'a>,
    markers: &[Marker],
    body: &str,
    found: &mut Found,
) -> Spanned<'a> {
    let mut out: Spanned<'a> = Vec::with_capacity(events.len() + 8);
    let mut stack: Vec<Open> = Vec::new();
    let mut depth = 0usize;
    let mut unknown: BTreeSet<String> = BTreeSet::new();
    let mut events = events.into_iter().peekable();
    while let Some((ev, range)) = events.next() {
        let marker = match &ev {
            Event::Start(Tag::Heading { .. }) => markers
                .binary_search_by_key(&range.start, |m| m.at)
                .ok()
                .map(|k| &markers[k]),
            _ => None,
        };
        let Some(marker) = marker else {
            match &ev {
                Event::Start(_) => depth += 1,
                Event::End(_) => {
                    while stack.last().is_some_and(|o| o.depth >= depth) {
                        if let Some(open) = stack.pop() {
                            close(&open, &mut out, range.start..range.start);
                        }
                    }
                    depth = depth.saturating_sub(1);
                }
                _ => {}
            }
            out.push((ev, range));
            continue;
        };
        let Event::Start(Tag::Heading { id, attrs, .. }) = ev else {
            continue;
        };
        // The heading's inline events: the title.
        let mut title: Spanned<'a> = Vec::new();
        for (ev, r) in events.by_ref() {
            if matches!(ev, Event::End(TagEnd::Heading(_))) {
                break;
            }
            title.push((ev, r));
        }
        let Some(name) = &marker.name else {
            match stack.last() {
                Some(open) if open.depth == depth && open.colons <= marker.colons => {
                    if let Some(open) = stack.pop() {
                        close(&open, &mut out, range);
                    }
                }
                _ => {
                    let line = body.get(marker.at..marker.end).unwrap_or(":::").trim();
                    out.push((Event::Start(Tag::Paragraph), range.clone()));
                    out.push((Event::Text(CowStr::from(line.to_string())), range.clone()));
                    out.push((Event::End(TagEnd::Paragraph), range.clone()));
                    found.notices.push(Notice {
                        offset: marker.at,
                        message: "this `:::` line closes no box and shows as text".into(),
                        hint: format!(
                            "remove it, or open a box above it with `::: NAME` ({})",
                            kind_names()
                        ),
                    });
                }
            }
            continue;
        };
        let kind = KINDS.iter().find(|(n, _, _)| n == name);
        let Some(&(_, class, label)) = kind else {
            if unknown.insert(name.clone()) {
                found.notices.push(Notice {
                    offset: marker.at,
                    message: format!(
                        "`::: {name}` is not a box kenshu knows: its `:::` lines are left out and what is between them is shown as ordinary text"
                    ),
                    hint: format!("use one of {}", kind_names()),
                });
            }
            stack.push(Open {
                depth,
                colons: marker.colons,
                close: None,
                name: name.clone(),
                at: marker.at,
            });
            continue;
        };
        let title = strip_name(title, name);
        let plain = plain_text(&title);
        let id_attr = id
            .map(|id| format!(" id=\"{}\"", escape_attr(&id)))
            .unwrap_or_default();
        let (open, title_close, close_tag) = if class == "details" {
            let open_attr = if attrs.iter().any(|(k, _)| k.as_ref() == "open") {
                " open"
            } else {
                ""
            };
            (
                format!(
                    "<details class=\"admonition details\"{id_attr}{open_attr}><summary class=\"admonition-title\">"
                ),
                "</summary>\n",
                "</details>\n",
            )
        } else {
            let aria = if plain.is_empty() { label } else { &plain };
            (
                format!(
                    "<aside class=\"admonition {class}\"{id_attr} aria-label=\"{}\"><p class=\"admonition-title\">",
                    escape_attr(aria)
                ),
                "</p>\n",
                "</aside>\n",
            )
        };
        out.push((Event::Html(CowStr::from(open)), range.clone()));
        if plain.is_empty() {
            out.push((Event::Text(CowStr::Borrowed(label)), range.clone()));
        } else {
            out.extend(title);
        }
        out.push((Event::Html(CowStr::Borrowed(title_close)), range.clone()));
        stack.push(Open {
            depth,
            colons: marker.colons,
            close: Some(close_tag),
            name: name.clone(),
            at: marker.at,
        });
    }
    let end = body.len();
    while let Some(open) = stack.pop() {
        found.notices.push(Notice {
            offset: open.at,
            message: format!(
                "`::: {}` is not closed: the box ends with the page",
                open.name
            ),
            hint: format!(
                "end it with a line `{}` where it should end",
                ":".repeat(open.colons)
            ),
        });
        close(&open, &mut out, end..end);
    }
    out
}

/// Writes what closes `open`, if anything.
fn close<'a>(open: &Open, out: &mut Spanned<'a>, range: Range<usize>) {
    if let Some(tag) = open.close {
        out.push((Event::Html(CowStr::Borrowed(tag)), range));
    }
}

/// The title events without the container's name at their start.
fn strip_name<'a>(mut title: Spanned<'a>, name: &str) -> Spanned<'a> {
    if let Some((Event::Text(t), r)) = title.first() {
        let rest = t
            .get(..name.len())
            .filter(|head| head.eq_ignore_ascii_case(name))
            .map(|_| t[name.len()..].trim_start().to_string());
        if let Some(rest) = rest {
            let r = r.clone();
            if rest.is_empty() {
                title.remove(0);
            } else {
                title[0] = (Event::Text(CowStr::from(rest)), r);
            }
        }
    }
    if let Some((Event::Text(t), r)) = title.last() {
        if t.ends_with(char::is_whitespace) {
            let r = r.clone();
            let trimmed = t.trim_end().to_string();
            let last = title.len() - 1;
            if trimmed.is_empty() {
                title.pop();
            } else {
                title[last] = (Event::Text(CowStr::from(trimmed)), r);
            }
        }
    }
    title
}

/// The plain text of inline events (for an `aria-label`).
fn plain_text(events: &Spanned<'_>) -> String {
    let mut s = String::new();
    for (ev, _) in events {
        match ev {
            Event::Text(t) | Event::Code(t) => s.push_str(t),
            Event::SoftBreak | Event::HardBreak => s.push(' '),
            _ => {}
        }
    }
    s.trim().to_string()
}

#[cfg(test)]
mod tests {
    use super::super::scan;
    use super::super::tests::html;

    const TIP: &str = "<aside class=\"admonition tip\" aria-label=\"ヒント\"><p class=\"admonition-title\">ヒント</p>\n";

    /// Every opening tag of a box has its closing tag, in order.
    fn balanced(h: &str) -> bool {
        let mut stack = Vec::new();
        let mut at = 0;
        while let Some(p) = h[at..].find('<') {
            let rest = &h[at + p..];
            at += p + 1;
            for (open, close) in [("<aside", "</aside>"), ("<details", "</details>")] {
                if rest.starts_with(open) {
                    stack.push(close);
                } else if rest.starts_with(close) && stack.pop() != Some(close) {
                    return false;
                }
            }
        }
        stack.is_empty()
    }

    #[test]
    fn a_tip_box_with_its_default_title() {
        assert_eq!(
            html("::: tip\n本文です\n:::\n"),
            format!("{TIP}<p>本文です</p>\n</aside>\n")
        );
        // The same without a blank line around it, after a paragraph.
        let h = html("前の段落\n::: tip\n本文\n:::\n後");
        assert_eq!(
            h,
            format!("<p>前の段落</p>\n{TIP}<p>本文</p>\n</aside>\n<p>後</p>\n")
        );
        // `:::tip` and upper case are the same box.
        assert_eq!(html(":::TIP\n本文\n:::"), html("::: tip\n本文\n:::"));
    }

    #[test]
    fn every_kind_has_its_japanese_title_and_class() {
        for (kind, class, label) in [
            ("tip", "tip", "ヒント"),
            ("info", "info", "情報"),
            ("note", "note", "メモ"),
            ("warning", "warning", "注意"),
            ("danger", "danger", "警告"),
            ("important", "important", "重要"),
            ("caution", "caution", "注意"),
        ] {
            let h = html(&format!("::: {kind}\nx\n:::"));
            assert!(
                h.starts_with(&format!(
                    "<aside class=\"admonition {class}\" aria-label=\"{label}\"><p class=\"admonition-title\">{label}</p>"
                )),
                "{kind}: {h}"
            );
        }
        assert_eq!(
            html("::: details\n中身\n:::"),
            "<details class=\"admonition details\"><summary class=\"admonition-title\">詳細</summary>\n<p>中身</p>\n</details>\n"
        );
    }

    #[test]
    fn a_title_is_inline_markdown_and_the_content_is_markdown() {
        let h = html("::: warning **必ず**読む <x>\n- 一\n- 二\n\n```\nrm -rf /\n```\n:::\n");
        assert!(
            h.starts_with("<aside class=\"admonition warning\" aria-label=\"必ず読む\"><p class=\"admonition-title\"><strong>必ず</strong>読む <x></p>"),
            "{h}"
        );
        assert!(h.contains("<li>一</li>") && h.contains("rm -rf /"), "{h}");
        assert!(h.ends_with("</aside>\n"), "{h}");
        let h = html("::: details クリックして開く {open}\n答え\n:::");
        assert!(
            h.starts_with("<details class=\"admonition details\" open><summary class=\"admonition-title\">クリックして開く</summary>"),
            "{h}"
        );
    }

    #[test]
    fn github_alerts_are_the_same_boxes_in_any_case() {
        let h = html("> [!tip]\n> 小文字でも");
        assert_eq!(h, html("> [!TIP]\n> 小文字でも"));
        assert!(h.starts_with(TIP.trim_end()) && !h.contains("[!"), "{h}");
        assert!(scan("> [!Warning]\n> x").unknown_admonitions.is_empty());
        assert_eq!(scan("> [!foo]\n> x").unknown_admonitions.len(), 1);
    }

    #[test]
    fn a_list_or_quote_ends_before_the_closing_line() {
        let h = html("::: warning\n- a\n- b\n:::\n後");
        assert!(h.contains("<li>b</li>\n</ul>\n</aside>\n<p>後</p>"), "{h}");
        let h = html("::: tip\n> 引用\n:::\n");
        assert!(h.contains("</blockquote>\n</aside>"), "{h}");
    }

    #[test]
    fn boxes_nest_with_more_colons() {
        let h = html(":::: details 外\n::: tip\n中\n:::\n外の続き\n::::\n");
        assert!(balanced(&h), "{h}");
        let tip = h.find("<aside").unwrap();
        let tip_end = h.find("</aside>").unwrap();
        let cont = h.find("外の続き").unwrap();
        assert!(tip < tip_end && tip_end < cont && cont < h.find("</details>").unwrap());
        // Five deep.
        let md = ":::::::: tip 1\n::::::: note 2\n:::::: warning 3\n::::: danger 4\n:::: details 5\n奥\n::::\n:::::\n::::::\n:::::::\n::::::::\n";
        let h = html(md);
        assert!(balanced(&h), "{h}");
        assert_eq!(h.matches("<aside").count(), 4, "{h}");
        assert_eq!(h.matches("<details").count(), 1, "{h}");
        assert!(!h.contains(":::"), "{h}");
    }

    #[test]
    fn markers_in_code_and_html_stay_as_written() {
        let md = "::: tip\n```md\n::: warning\n中\n:::\n```\n:::\n";
        let h = html(md);
        assert!(h.contains("::: warning\n中\n:::"), "{h}");
        assert_eq!(h.matches("<aside").count(), 1, "{h}");
        assert!(h.trim_end().ends_with("</aside>"), "{h}");
        let h = html("<div>\n::: tip\n</div>\n");
        assert_eq!(h, "<div>\n::: tip\n</div>\n");
        let h = html("    ::: tip\n    x\n    :::\n");
        assert_eq!(h, "<pre><code>::: tip\nx\n:::\n</code></pre>\n");
        assert_eq!(html("`::: tip`"), "<p><code>::: tip</code></p>\n");
    }

    #[test]
    fn a_box_in_a_list_item() {
        let h = html("- 手順\n\n  ::: tip\n  補足\n  :::\n\n- 次\n");
        assert!(balanced(&h), "{h}");
        assert!(h.contains("<aside class=\"admonition tip\""), "{h}");
        assert!(h.contains("</aside>\n</li>"), "{h}");
    }

    #[test]
    fn unclosed_stray_and_unknown_are_reported() {
        let s = scan("前\n\n::: tip\n本文\n");
        assert_eq!(s.notices.len(), 1, "{:?}", s.notices);
        assert!(s.notices[0].message.contains("`::: tip` is not closed"));
        assert_eq!(s.notices[0].offset, "前\n\n".len());
        assert!(html("::: tip\n本文\n").ends_with("</aside>\n"));
        let s = scan("本文\n:::\n");
        assert_eq!(s.notices.len(), 1);
        assert!(s.notices[0].message.contains("closes no box"));
        assert_eq!(html("本文\n\n:::\n"), "<p>本文</p>\n<p>:::</p>\n");
        let s = scan("::: code-group\n```\nnpm i\n```\n:::\n::: code-group\n:::\n");
        assert_eq!(s.notices.len(), 1, "{:?}", s.notices);
        assert!(s.notices[0]
            .message
            .contains("`::: code-group` is not a box"));
        let h = html("::: code-group\n```\nnpm i\n```\n:::\n");
        assert!(!h.contains(":::") && h.contains("npm i"), "{h}");
        // Not markers: pandoc's attributes, a table row, a time.
        for md in ["::: {.note}\nx\n:::", "10:30:00", ":::|:::\n---|---\na|b"] {
            let s = scan(md);
            assert!(
                s.notices.iter().all(|n| !n.message.contains("not a box")),
                "{md}"
            );
        }
        assert!(html("::: {.note}\nx").contains("::: {.note}"));
    }

    #[test]
    fn headings_inside_boxes_keep_their_ids_and_markers_take_none() {
        let s = scan("::: tip 見出しではない\n## 中の見出し\n:::\n\n## 外\n");
        let ids: Vec<&str> = s.headings.iter().map(|h| h.id.as_str()).collect();
        assert_eq!(ids, ["中の見出し", "外"]);
    }

    /// Pages made of marker lines, text, code fences, lists and quotes in
    /// every order: no panic, boxes balanced, no text lost.
    #[test]
    fn any_mix_of_markers_renders_balanced() {
        let pieces = [
            "::: tip",
            ":::",
            "::::",
            ":::: details 外",
            "::: warning タイトル",
            "```",
            "~~~",
            "- 項目",
            "  ::: note",
            "  :::",
            "> 引用",
            "",
            "本文",
            "::: ",
            ":::::::::",
            "<div>",
            "    ::: tip",
            "::: details {open}",
            "[^1]: 注",
        ];
        let mut seed: u64 = 0x9e3779b97f4a7c15;
        for _ in 0..3000 {
            let mut md = String::new();
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            let n = (seed % 12) as usize;
            let mut s = seed;
            for _ in 0..n {
                s = s
                    .wrapping_mul(6364136223846793005)
                    .wrapping_add(1442695040888963407);
                md.push_str(pieces[(s >> 33) as usize % pieces.len()]);
                md.push('\n');
            }
            let h = html(&md);
            assert!(balanced(&h), "{md:?}\n{h}");
            let _ = scan(&md);
        }
    }
}
