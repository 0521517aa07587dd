//! The site search index: `assets/search-index.js`, a classic script that
//! sets `window.KENSHU_SEARCH` (so it loads from file:// too, where
//! `fetch` is blocked). The theme's `site.js` injects it on first use.
//!
//! Each page is split into sections at its headings; each section holds the
//! plain text a reader sees there. Speaker notes are left out unless the
//! site shows them to readers; exercises (directives) are not indexed.

use serde::Serialize;

use crate::markdown::{self, Directive, HtmlContext};
use crate::model::Site;

/// Output path of the index, relative to the site root.
pub const INDEX_PATH: &str = "assets/search-index.js";

#[derive(Debug, Serialize)]
struct PageEntry {
    /// Title.
    t: String,
    /// Output path relative to the site root.
    u: String,
    s: Vec<SectionEntry>,
}

#[derive(Debug, Serialize, PartialEq, Eq)]
struct SectionEntry {
    /// Heading text ("" for the text before the first heading).
    h: String,
    /// Anchor id ("" for the top of the page).
    a: String,
    /// Plain text of the section.
    x: String,
}

/// The contents of `assets/search-index.js` for `site`. Deterministic: the
/// same site gives the same bytes.
pub fn index_js(site: &Site) -> String {
    assemble(&entries(site))
}

/// The index entry of every page, in page order (see [`page_entry`]).
pub fn entries(site: &Site) -> Vec<String> {
    (0..site.pages.len())
        .map(|ix| page_entry(site, ix))
        .collect()
}

/// The index script made of page entries; `assemble(&entries(site))` is
/// `index_js(site)`, so `serve` can renew only the entries of edited pages.
pub fn assemble(entries: &[String]) -> String {
    format!(
        "window.KENSHU_SEARCH={{\"pages\":[{}]}};\n",
        entries.join(",")
    )
}

/// The index entry (a script-safe JSON object) of page `ix`. It depends on
/// that page only (and on `show_notes_to_readers`).
pub fn page_entry(site: &Site, ix: usize) -> String {
    let Some(page) = site.pages.get(ix).filter(|p| !p.hidden) else {
        return r#"{"t":"","u":"","s":[]}"#.into();
    };
    let notes = super::reader_notes(site);
    let link = |_: &str| String::new();
    let directive = |_: &Directive| String::new();
    let html = markdown::to_html(
        &page.markdown(),
        &HtmlContext {
            link: &link,
            directive: &directive,
            notes,
        },
    );
    let entry = PageEntry {
        t: page.title.clone(),
        u: super::url(&page.output),
        s: sections(&html, &page.title),
    };
    // Serialising plain strings cannot fail; an empty entry if it did.
    let json = serde_json::to_string(&entry).unwrap_or_else(|_| "{}".into());
    script_safe(&json)
}

/// Makes JSON safe inside a classic script (and an inline `<script>`):
/// no `</` that could close the element, no `<!--`, and the line
/// separators older engines reject in string literals escaped.
fn script_safe(json: &str) -> String {
    json.replace("</", "<\\/")
        .replace("<!--", "<\\u0021--")
        .replace('\u{2028}', "\\u2028")
        .replace('\u{2029}', "\\u2029")
}

/// Splits rendered HTML into sections at `<h2>`…`<h6>` headings (a leading
/// `<h1>` equal to the page title is dropped: the title is indexed already).
fn sections(html: &str, title: &str) -> Vec<SectionEntry> {
    let mut out = vec![SectionEntry {
        h: String::new(),
        a: String::new(),
        x: String::new(),
    }];
    let mut text = String::new();
    // Inside a heading: its level, id and text so far.
    let mut heading: Option<(u8, String, String)> = None;
    let mut skip_until: Option<&'static str> = None;
    let mut rest = html;
    while !rest.is_empty() {
        let Some(lt) = rest.find('<') else {
            push_text(&mut heading, &mut text, rest, skip_until.is_some());
            break;
        };
        push_text(&mut heading, &mut text, &rest[..lt], skip_until.is_some());
        let tag_end = tag_end(&rest[lt..]).map_or(rest.len(), |e| lt + e);
        let tag = &rest[lt..tag_end];
        rest = &rest[tag_end..];
        let name = tag_name(tag);
        let closing = tag.starts_with("</");
        if let Some(until) = skip_until {
            if closing && name == until {
                skip_until = None;
            }
            continue;
        }
        match name.as_str() {
            "script" | "style" | "template" | "textarea" if !closing => {
                skip_until = Some(match name.as_str() {
                    "script" => "script",
                    "style" => "style",
                    "template" => "template",
                    _ => "textarea",
                });
            }
            "h1" | "h2" | "h3" | "h4" | "h5" | "h6" => {
                let level = name.as_bytes()[1] - b'0';
                if !closing {
                    heading = Some((level, attr(tag, "id").unwrap_or_default(), String::new()));
                } else if let Some((level, id, h)) = heading.take() {
                    let h = collapse(&h);
                    if level == 1 {
                        if h != title {
                            text.push_str(&h);
                            text.push(' ');
                        }
                    } else {
                        finish(&mut out, &mut text);
                        out.push(SectionEntry {
                            h,
                            a: id,
                            x: String::new(),
                        });
                    }
                }
            }
            "p" | "li" | "td" | "th" | "tr" | "div" | "br" | "blockquote" | "pre" | "summary"
            | "details" | "aside" | "dt" | "dd" | "figcaption" | "hr" | "ul" | "ol" | "table" => {
                text.push(' ');
            }
            _ => {}
        }
    }
    finish(&mut out, &mut text);
    // The intro section is dropped when empty (a page that starts with a heading).
    if out.len() > 1 && out[0].x.is_empty() {
        out.remove(0);
    }
    out
}

fn push_text(
    heading: &mut Option<(u8, String, String)>,
    text: &mut String,
    raw: &str,
    skipping: bool,
) {
    if skipping || raw.is_empty() {
        return;
    }
    let decoded = decode_entities(raw);
    match heading {
        Some((_, _, h)) => h.push_str(&decoded),
        None => text.push_str(&decoded),
    }
}

fn finish(out: &mut [SectionEntry], text: &mut String) {
    if let Some(last) = out.last_mut() {
        last.x = collapse(text);
    }
    text.clear();
}

/// Collapses runs of white space to one space and trims.
fn collapse(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
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

/// The value of attribute `name` in `tag`, entities decoded.
fn attr(tag: &str, name: &str) -> Option<String> {
    let needle = format!(" {name}=\"");
    let start = tag.find(&needle)? + needle.len();
    let end = tag[start..].find('"')? + start;
    Some(decode_entities(&tag[start..end]))
}

/// Decodes the entities pulldown-cmark writes, plus numeric ones and `&nbsp;`.
fn decode_entities(s: &str) -> String {
    if !s.contains('&') {
        return s.to_string();
    }
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(amp) = rest.find('&') {
        out.push_str(&rest[..amp]);
        rest = &rest[amp..];
        let semi = rest.find(';').filter(|&i| i <= 10);
        let decoded = semi.and_then(|i| {
            let name = &rest[1..i];
            let c = match name {
                "amp" => Some('&'),
                "lt" => Some('<'),
                "gt" => Some('>'),
                "quot" => Some('"'),
                "apos" => Some('\''),
                "nbsp" => Some(' '),
                _ => {
                    let num = name.strip_prefix('#')?;
                    let code = match num.strip_prefix(['x', 'X']) {
                        Some(hex) => u32::from_str_radix(hex, 16).ok()?,
                        None => num.parse().ok()?,
                    };
                    char::from_u32(code)
                }
            }?;
            Some((c, i + 1))
        });
        match decoded {
            Some((c, len)) => {
                out.push(c);
                rest = &rest[len..];
            }
            None => {
                out.push('&');
                rest = &rest[1..];
            }
        }
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn write(dir: &std::path::Path, rel: &str, text: &str) {
        let path = dir.join(rel);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    }

    fn site(show_notes: bool) -> tempfile::TempDir {
        let dir = tempfile::tempdir().unwrap();
        write(
            dir.path(),
            "site.toml",
            &format!("title = \"テスト\"\nshow_notes_to_readers = {show_notes}\n"),
        );
        write(dir.path(), "content/index.md", "# ホーム\n\nようこそ。\n");
        write(
            dir.path(),
            "content/a/01-x.md",
            "# 連携の基本\n\n前書きの**本文**です。\n\n## 「連携」と「協働」\n\nリエゾンとは\n橋渡しのこと。\n\n> [!講師メモ]\n> ここは秘密の話です\n\n### IH の例 {#ih}\n\nIH&amp;調理 `</script>` と 1 < 2 、改行\n\n{{#exercise-list}}\n",
        );
        dir
    }

    fn index(show_notes: bool) -> (String, serde_json::Value) {
        let dir = site(show_notes);
        let model = crate::load::load(dir.path()).unwrap();
        let js = index_js(&model);
        let json = js
            .strip_prefix("window.KENSHU_SEARCH=")
            .and_then(|s| s.strip_suffix(";\n"))
            .unwrap();
        (js.clone(), serde_json::from_str(json).unwrap())
    }

    #[test]
    fn index_has_pages_sections_and_plain_text() {
        let (_, v) = index(false);
        let pages = v["pages"].as_array().unwrap();
        assert_eq!(pages.len(), 3, "{v}");
        let page = pages.iter().find(|p| p["u"] == "a/x.html").unwrap();
        assert_eq!(page["t"], "連携の基本");
        let s = page["s"].as_array().unwrap();
        assert_eq!(s[0]["h"], "");
        assert_eq!(s[0]["a"], "");
        assert_eq!(s[0]["x"], "前書きの本文です。");
        assert_eq!(s[1]["h"], "「連携」と「協働」");
        assert_eq!(s[1]["a"], "連携と協働");
        // Japanese soft breaks join without a space; markup is gone.
        assert_eq!(s[1]["x"], "リエゾンとは橋渡しのこと。");
        assert_eq!(s[2]["h"], "IH の例");
        assert_eq!(s[2]["a"], "ih");
        let x = s[2]["x"].as_str().unwrap();
        assert!(x.starts_with("IH&調理 </script> と 1 < 2 、"), "{x}");
        // The exercise list directive is not indexed.
        assert!(!x.contains("exercise"), "{x}");
    }

    #[test]
    fn notes_follow_show_notes_to_readers() {
        let (hidden, _) = index(false);
        assert!(!hidden.contains("秘密の話"));
        let (shown, _) = index(true);
        assert!(shown.contains("秘密の話"));
    }

    #[test]
    fn output_is_deterministic_and_script_safe() {
        let (a, _) = index(false);
        let (b, _) = index(false);
        assert_eq!(a, b);
        assert!(!a.to_ascii_lowercase().contains("</script"), "{a}");
        assert!(a.contains("<\\/script>"));
        let safe = script_safe("\"a\u{2028}b\u{2029}c<!--d</SCRIPT\"");
        assert_eq!(safe, "\"a\\u2028b\\u2029c<\\u0021--d<\\/SCRIPT\"");
        assert!(a.starts_with("window.KENSHU_SEARCH={\"pages\":["));
    }

    #[test]
    fn entities_and_tags() {
        assert_eq!(
            decode_entities("a &amp; b &#x41;&#66; &bogus; &"),
            "a & b AB &bogus; &"
        );
        let s = sections(
            "<p>前</p><h2 id=\"a&amp;b\">見<em>出</em>し</h2><p>本<strong>文</strong></p><script>x()</script><p>後</p>",
            "題",
        );
        assert_eq!(
            s,
            vec![
                SectionEntry {
                    h: String::new(),
                    a: String::new(),
                    x: "前".into()
                },
                SectionEntry {
                    h: "見出し".into(),
                    a: "a&b".into(),
                    x: "本文 後".into()
                }
            ]
        );
    }
}
