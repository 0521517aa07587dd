//! Other tools' Markdown extensions, applied to a page's events in the one
//! parse of its body (see `boxes.rs` for `:::` boxes):
//! - `{{ $page.frontmatter.x }}`, `{{ $frontmatter.x }}` and
//!   `{{ $page.title }}` (VuePress/VitePress) → the front-matter value, as
//!   text;
//! - `:shortcode:` emoji (GitHub's set) → the character;
//! - `<!-- more -->` (VuePress's, Hexo's and Hugo's excerpt mark) dropped;
//! - tags of custom elements the site does not define (`<header-table/>`,
//!   a Vue component) left out, each name reported;
//! - `[[toc]]` on its own line → the page's contents.
//!
//! None of them touches code (spans and blocks), link destinations or raw
//! HTML's attributes.

use std::collections::{BTreeMap, BTreeSet};

use pulldown_cmark::{CowStr, Event, LinkType, Tag, TagEnd};

use super::slug::SlugRule;
use super::text::heading_text;
use super::{escape_attr, Spanned};

/// How a page's Markdown is read: the values it may refer to (its front
/// matter's, as text, by key; a nested key as `a.b`) and the site's rule
/// for heading ids.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PageVars {
    values: BTreeMap<String, String>,
    slug_rule: SlugRule,
}

impl PageVars {
    /// These values, with headings given ids by `rule` (the site's).
    pub fn with_slug_rule(mut self, rule: SlugRule) -> PageVars {
        self.slug_rule = rule;
        self
    }

    /// The rule headings take their ids by.
    pub fn slug_rule(&self) -> SlugRule {
        self.slug_rule
    }

    /// Reads the front matter written at the top of a page (`front`: the
    /// file up to its body, `---` YAML or `+++` TOML with its delimiter
    /// lines). A front matter that cannot be read gives no values (its
    /// errors are reported where it is parsed for kenshu's own keys).
    pub fn from_front_matter(front: &str) -> PageVars {
        let mut lines = front.lines();
        let yaml = match lines.next().map(str::trim_end) {
            Some("---") => true,
            Some("+++") => false,
            _ => return PageVars::default(),
        };
        let inner: Vec<&str> = lines.collect();
        // Everything before the closing delimiter line.
        let close = inner
            .iter()
            .rposition(|l| matches!(l.trim_end(), "---" | "..." | "+++"));
        let inner = inner[..close.unwrap_or(inner.len())].join("\n");
        let value: Option<serde_json::Value> = if yaml {
            serde_saphyr::from_str(&inner).ok()
        } else {
            toml::from_str::<toml::Table>(&inner)
                .ok()
                .and_then(|t| serde_json::to_value(t).ok())
        };
        let mut values = BTreeMap::new();
        if let Some(serde_json::Value::Object(map)) = value {
            for (k, v) in map {
                flatten(&k, &v, &mut values);
            }
        }
        PageVars {
            values,
            slug_rule: SlugRule::Kenshu,
        }
    }

    /// Vars from (key, text) pairs.
    pub fn from_pairs<'k>(pairs: impl IntoIterator<Item = (&'k str, &'k str)>) -> PageVars {
        PageVars {
            values: pairs
                .into_iter()
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect(),
            slug_rule: SlugRule::Kenshu,
        }
    }
}

/// Adds `value` under `key` (and a map's members under `key.member`).
fn flatten(key: &str, value: &serde_json::Value, out: &mut BTreeMap<String, String>) {
    if let serde_json::Value::Object(map) = value {
        for (k, v) in map {
            flatten(&format!("{key}.{k}"), v, out);
        }
    }
    out.insert(key.to_string(), display(value));
}

/// A front-matter value as the page shows it: a list of plain values
/// joined with 「、」, nothing for null, anything else as JSON.
fn display(value: &serde_json::Value) -> String {
    use serde_json::Value;
    match value {
        Value::Null => String::new(),
        Value::String(s) => s.clone(),
        Value::Bool(_) | Value::Number(_) => value.to_string(),
        Value::Array(items) if items.iter().all(|v| !v.is_array() && !v.is_object()) => {
            let parts: Vec<String> = items.iter().map(display).collect();
            parts.join("、")
        }
        _ => value.to_string(),
    }
}

/// Something in a body worth a warning, at a byte offset of the body.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Notice {
    pub offset: usize,
    pub message: String,
    pub hint: String,
}

/// What the extensions found in a body that `load` reports.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Found {
    pub notices: Vec<Notice>,
    /// Custom elements the site does not define: each name (lower case,
    /// without `<>`) once, with the byte offset of its first tag.
    pub elements: Vec<(String, usize)>,
}

/// Element names with a hyphen that are not custom elements (SVG's and
/// MathML's, which HTML reserves).
const RESERVED_ELEMENTS: &[&str] = &[
    "annotation-xml",
    "color-profile",
    "font-face",
    "font-face-src",
    "font-face-uri",
    "font-face-format",
    "font-face-name",
    "missing-glyph",
];

/// Applies the text and HTML extensions to `events` (before heading ids
/// are given, so a heading's id is made from what it shows).
pub(super) fn apply<'a>(
    events: Spanned<'a>,
    body: &str,
    vars: &PageVars,
    found: &mut Found,
) -> Spanned<'a> {
    if !body.contains("{{") && !body.contains(':') && !body.contains('<') {
        return events;
    }
    let wants_title = body.contains("$page.title");
    let title = vars
        .values
        .get("title")
        .cloned()
        .filter(|_| wants_title)
        .or_else(|| {
            if !wants_title {
                return None;
            }
            // VuePress's `$page.title` without a front-matter title: the first
            // heading, unless it is itself a placeholder.
            let i = events
                .iter()
                .position(|(e, _)| matches!(e, Event::Start(Tag::Heading { .. })))?;
            let text = heading_text(&events[i + 1..]);
            (!text.contains("{{")).then_some(text)
        });
    let mut out: Spanned<'a> = Vec::with_capacity(events.len());
    let mut in_code = false;
    // Per open link: whether it is an autolink (its text is a URL).
    let mut links: Vec<bool> = Vec::new();
    let mut html = HtmlState::default();
    let mut seen: BTreeSet<String> = BTreeSet::new();
    for (ev, range) in events {
        let ev = match ev {
            Event::Start(Tag::CodeBlock(_)) => {
                in_code = true;
                ev
            }
            Event::End(TagEnd::CodeBlock) => {
                in_code = false;
                ev
            }
            Event::Start(Tag::Link { link_type, .. }) => {
                links.push(matches!(link_type, LinkType::Autolink | LinkType::Email));
                ev
            }
            Event::End(TagEnd::Link) => {
                links.pop();
                ev
            }
            Event::Text(t) if !in_code => {
                let mut text = t;
                if text.contains("{{") {
                    let mut at = Source::new(body, &range);
                    if let Some(s) = fill(&text, &mut at, vars, title.as_deref(), false, found) {
                        text = CowStr::from(s);
                    }
                }
                if !links.last().copied().unwrap_or(false) && text.contains(':') {
                    if let Some(s) = emoji(&text) {
                        text = CowStr::from(s);
                    }
                }
                Event::Text(text)
            }
            Event::Html(h) => {
                let h = fill_html(h, body, &range, vars, title.as_deref(), found);
                match html.rewrite(&h, range.start, body, &mut seen, found) {
                    Some(s) if s.trim().is_empty() => continue,
                    Some(s) => Event::Html(CowStr::from(s)),
                    None => Event::Html(h),
                }
            }
            Event::InlineHtml(h) => {
                let h = fill_html(h, body, &range, vars, title.as_deref(), found);
                match html.rewrite(&h, range.start, body, &mut seen, found) {
                    Some(s) if s.is_empty() => continue,
                    Some(s) => Event::InlineHtml(CowStr::from(s)),
                    None => Event::InlineHtml(h),
                }
            }
            other => other,
        };
        out.push((ev, range));
    }
    out
}

/// Where an event's text is written in the body, and how far its
/// placeholders have been found (each unknown one is reported where it is).
struct Source<'b> {
    src: &'b str,
    start: usize,
    cursor: usize,
}

impl<'b> Source<'b> {
    fn new(body: &'b str, range: &std::ops::Range<usize>) -> Self {
        Source {
            src: body.get(range.clone()).unwrap_or(""),
            start: range.start,
            cursor: 0,
        }
    }

    /// The body offset of `written`, the next placeholder.
    fn offset_of(&mut self, written: &str) -> usize {
        match self.src.get(self.cursor..).and_then(|r| r.find(written)) {
            Some(o) => {
                let at = self.cursor + o;
                self.cursor = at + written.len();
                self.start + at
            }
            None => self.start,
        }
    }
}

/// [`substitute`] with each unknown key reported in `found`; values
/// HTML-escaped when `escape` (raw HTML's text).
fn fill(
    text: &str,
    at: &mut Source<'_>,
    vars: &PageVars,
    title: Option<&str>,
    escape: bool,
    found: &mut Found,
) -> Option<String> {
    substitute(text, vars, title, escape, |written, key| {
        found.notices.push(Notice {
            offset: at.offset_of(written),
            message: format!(
                "front matter has no key `{key}`: `{written}` is left out of the page"
            ),
            hint: format!("add `{key}` to the page's front matter, or remove `{written}`"),
        });
    })
}

/// Raw HTML with the placeholders in its text (not in its tags: Vue does
/// not fill attributes either) filled in.
fn fill_html<'a>(
    h: CowStr<'a>,
    body: &str,
    range: &std::ops::Range<usize>,
    vars: &PageVars,
    title: Option<&str>,
    found: &mut Found,
) -> CowStr<'a> {
    if !h.contains("{{") {
        return h;
    }
    let mut at = Source::new(body, range);
    let mut out = String::with_capacity(h.len());
    let mut changed = false;
    let mut last = 0;
    let bytes = h.as_bytes();
    let mut i = 0;
    while i <= bytes.len() {
        let tag = i < bytes.len()
            && bytes[i] == b'<'
            && bytes
                .get(i + 1)
                .is_some_and(|c| c.is_ascii_alphabetic() || matches!(c, b'/' | b'!'));
        if !tag && i < bytes.len() {
            i += 1;
            continue;
        }
        // The text from `last` to `i`, then the tag as written.
        let text = &h[last..i];
        match fill(text, &mut at, vars, title, true, found) {
            Some(s) => {
                out.push_str(&s);
                changed = true;
            }
            None => out.push_str(text),
        }
        if i == bytes.len() {
            break;
        }
        let end = tag_end(&h, i).unwrap_or(h.len());
        out.push_str(&h[i..end]);
        last = end;
        i = end;
    }
    if changed {
        CowStr::from(out)
    } else {
        h
    }
}

/// Replaces the `{{ $page.frontmatter.x }}`, `{{ $frontmatter.x }}` and
/// `{{ $page.title }}` in `text` with their values (an unknown key with
/// nothing, after `unknown(written, key)`); None when there are none.
fn substitute(
    text: &str,
    vars: &PageVars,
    title: Option<&str>,
    escape: bool,
    mut unknown: impl FnMut(&str, &str),
) -> Option<String> {
    let mut out = String::new();
    let mut at = 0;
    let mut from = 0;
    while let Some(pos) = text[from..].find("{{") {
        let start = from + pos;
        from = start + 2;
        let Some((key, len)) = placeholder(&text[start..]) else {
            continue;
        };
        let written = &text[start..start + len];
        let value = match key {
            Key::Title => title.map(str::to_string),
            Key::Front(k) => vars.values.get(k).cloned(),
        };
        let value = value.unwrap_or_else(|| {
            let name = match key {
                Key::Title => "title",
                Key::Front(k) => k,
            };
            unknown(written, name);
            String::new()
        });
        out.push_str(&text[at..start]);
        if escape {
            out.push_str(&crate::html::escape(&value));
        } else {
            out.push_str(&value);
        }
        at = start + len;
        from = at;
    }
    if at == 0 {
        return None;
    }
    out.push_str(&text[at..]);
    Some(out)
}

/// What a placeholder names.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Key<'t> {
    Title,
    Front(&'t str),
}

/// Reads a placeholder at the start of `s` (`{{ $frontmatter.x }}`):
/// what it names and its length.
fn placeholder(s: &str) -> Option<(Key<'_>, usize)> {
    let inner = s.strip_prefix("{{")?;
    let trimmed = inner.trim_start_matches([' ', '\t']);
    let (key, rest) = if let Some(r) = trimmed
        .strip_prefix("$page.frontmatter.")
        .or_else(|| trimmed.strip_prefix("$frontmatter."))
    {
        let n = r
            .find(|c: char| !(c.is_alphanumeric() || matches!(c, '_' | '-' | '.')))
            .unwrap_or(r.len());
        let key = r[..n].trim_end_matches('.');
        if key.is_empty() {
            return None;
        }
        (Key::Front(key), &r[key.len()..])
    } else if let Some(r) = trimmed.strip_prefix("$page.title") {
        (Key::Title, r)
    } else {
        return None;
    };
    let rest = rest.trim_start_matches([' ', '\t']);
    let after = rest.strip_prefix("}}")?;
    Some((key, s.len() - after.len()))
}

/// Whether `{{ … }}` at the start of `s` is a placeholder kenshu fills in
/// (so it is not reported as another tool's template syntax).
pub(super) fn is_placeholder(s: &str) -> bool {
    placeholder(s).is_some()
}

/// Replaces GitHub's `:shortcode:` emoji in `text` with the character;
/// None when there are none. A shortcode right after a letter or digit
/// (`10:30:00`, `a:b:c`) or in a word with `://` (a URL written as text)
/// is not one; unknown names stay as written.
fn emoji(text: &str) -> Option<String> {
    let mut out = String::new();
    let mut at = 0;
    let mut from = 0;
    let bytes = text.as_bytes();
    while let Some(pos) = text[from..].find(':') {
        let start = from + pos;
        from = start + 1;
        let name_len = text[start + 1..]
            .find(|c: char| !(c.is_ascii_alphanumeric() || matches!(c, '_' | '+' | '-')))
            .unwrap_or(text.len() - start - 1);
        let end = start + 1 + name_len;
        if name_len == 0 || bytes.get(end) != Some(&b':') {
            continue;
        }
        let after_letter = text[..start]
            .chars()
            .next_back()
            .is_some_and(|c| c.is_ascii_alphanumeric());
        if after_letter {
            continue;
        }
        let Some(e) = emojis::get_by_shortcode(&text[start + 1..end]) else {
            continue;
        };
        // The word around it (looked at up to 256 bytes each way).
        let back = text[..start]
            .char_indices()
            .rev()
            .take(256)
            .find(|(_, c)| c.is_whitespace())
            .map_or(start.saturating_sub(256), |(w, _)| w);
        let ahead = text[end..]
            .char_indices()
            .take(256)
            .find(|(_, c)| c.is_whitespace())
            .map_or((end + 256).min(text.len()), |(w, _)| end + w);
        let word = text.get(back..ahead).unwrap_or("");
        if word.contains("://") {
            continue;
        }
        out.push_str(&text[at..start]);
        out.push_str(e.as_str());
        at = end + 1;
        from = at;
    }
    if at == 0 {
        return None;
    }
    out.push_str(&text[at..]);
    Some(out)
}

/// The state of raw HTML read fragment by fragment (a block of HTML comes
/// one line per event).
#[derive(Default)]
struct HtmlState {
    /// Inside a comment a fragment opened and did not close.
    in_comment: bool,
    /// Inside a dropped tag a fragment opened and did not close.
    in_tag: bool,
}

impl HtmlState {
    /// `html` without `<!-- more -->` and without the tags of custom
    /// elements (recorded in `found`, once per name); None when unchanged.
    fn rewrite(
        &mut self,
        html: &str,
        offset: usize,
        body: &str,
        seen: &mut BTreeSet<String>,
        found: &mut Found,
    ) -> Option<String> {
        let mut out = String::new();
        let mut at = 0;
        let mut i = 0;
        let mut changed = false;
        if self.in_tag {
            changed = true;
            match tag_end(html, 0) {
                Some(end) => {
                    self.in_tag = false;
                    at = end;
                    i = end;
                }
                None => return Some(String::new()),
            }
        }
        while i < html.len() {
            if self.in_comment {
                match html[i..].find("-->") {
                    Some(p) => {
                        self.in_comment = false;
                        i += p + 3;
                        continue;
                    }
                    None => break,
                }
            }
            let Some(p) = html[i..].find('<') else {
                break;
            };
            let lt = i + p;
            let rest = &html[lt..];
            if let Some(comment) = rest.strip_prefix("<!--") {
                match comment.find("-->") {
                    Some(end) => {
                        let whole = 4 + end + 3;
                        if comment[..end].trim().eq_ignore_ascii_case("more") {
                            out.push_str(&html[at..lt]);
                            at = lt + whole;
                            changed = true;
                        }
                        i = lt + whole;
                    }
                    None => {
                        self.in_comment = true;
                        i = lt + 4;
                    }
                }
                continue;
            }
            let name_part = rest[1..].strip_prefix('/').unwrap_or(&rest[1..]);
            let name_len = name_part
                .find(|c: char| !(c.is_ascii_alphanumeric() || c == '-'))
                .unwrap_or(name_part.len());
            let name = &name_part[..name_len];
            let follows = name_part[name_len..].chars().next();
            let custom = name.contains('-')
                && name.starts_with(|c: char| c.is_ascii_alphabetic())
                && follows.is_none_or(|c| c.is_whitespace() || c == '/' || c == '>')
                && !RESERVED_ELEMENTS.contains(&name.to_ascii_lowercase().as_str());
            if !custom {
                i = lt + 1;
                continue;
            }
            let lower = name.to_ascii_lowercase();
            if seen.insert(lower.clone()) {
                // The event is a slice of the body, or (in a container)
                // its text is found after where the event starts.
                let at_body = if body.get(offset..offset + html.len()) == Some(html) {
                    offset + lt
                } else {
                    body.get(offset..)
                        .and_then(|b| b.find(rest.lines().next().unwrap_or(rest)))
                        .map_or(offset, |o| offset + o)
                };
                found.elements.push((lower, at_body));
            }
            out.push_str(&html[at..lt]);
            changed = true;
            match tag_end(html, lt) {
                Some(end) => {
                    at = end;
                    i = end;
                }
                None => {
                    self.in_tag = true;
                    at = html.len();
                    i = html.len();
                }
            }
        }
        if !changed {
            return None;
        }
        out.push_str(&html[at.min(html.len())..]);
        Some(out)
    }
}

/// The offset just after the `>` that ends the tag started before `from`
/// (quoted attribute values skipped), if it is in `html`.
fn tag_end(html: &str, from: usize) -> Option<usize> {
    let mut quote: Option<char> = None;
    for (k, c) in html[from..].char_indices() {
        match (quote, c) {
            (Some(q), c) if c == q => quote = None,
            (Some(_), _) => {}
            (None, '"' | '\'') => quote = Some(c),
            (None, '>') => return Some(from + k + 1),
            _ => {}
        }
    }
    None
}

/// Replaces each paragraph that is only `[[toc]]` with the page's contents:
/// its level-2 and level-3 headings (as in the contents beside the page),
/// linked to their ids. Runs after the heading ids are given.
pub(super) fn insert_toc(events: Spanned<'_>) -> Spanned<'_> {
    let is_toc = |events: &Spanned<'_>, i: usize| {
        matches!(events.get(i), Some((Event::Start(Tag::Paragraph), _)))
            && matches!(events.get(i + 1), Some((Event::Text(t), _)) if t.trim().eq_ignore_ascii_case("[[toc]]"))
            && matches!(events.get(i + 2), Some((Event::End(TagEnd::Paragraph), _)))
    };
    let places: Vec<usize> = (0..events.len()).filter(|&i| is_toc(&events, i)).collect();
    if places.is_empty() {
        return events;
    }
    let mut items = String::new();
    for (i, (ev, _)) in events.iter().enumerate() {
        if let Event::Start(Tag::Heading { level, id, .. }) = ev {
            let level = *level as u8;
            if level == 2 || level == 3 {
                items.push_str(&format!(
                    "<li class=\"toc-level-{level}\"><a href=\"#{}\">{}</a></li>\n",
                    escape_attr(id.as_deref().unwrap_or_default()),
                    escape_attr(&heading_text(&events[i + 1..])),
                ));
            }
        }
    }
    let nav = if items.is_empty() {
        String::new()
    } else {
        format!(
            "<nav class=\"page-contents\" aria-label=\"目次\">\n<ul class=\"toc-list\">\n{items}</ul>\n</nav>\n"
        )
    };
    // Each place gets the contents, up to 8 MiB of them in all (a page of
    // thousands of `[[toc]]` and headings stays linear).
    let mut budget: usize = 8 << 20;
    let mut out = Vec::with_capacity(events.len());
    let mut places = places.into_iter().peekable();
    let mut events = events.into_iter().enumerate();
    while let Some((i, (ev, range))) = events.next() {
        if places.peek() == Some(&i) {
            places.next();
            events.nth(1);
            let html = if nav.len() <= budget {
                budget -= nav.len();
                nav.clone()
            } else {
                String::new()
            };
            out.push((Event::Html(CowStr::from(html)), range));
            continue;
        }
        out.push((ev, range));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::super::tests::html;
    use super::super::{parse_with, render, scan, scan_with, Directive, HtmlContext, NotesMode};
    use super::*;

    fn html_with(md: &str, vars: &PageVars) -> String {
        let link = |d: &str| d.to_string();
        let directive = |_: &Directive| String::new();
        let cx = HtmlContext {
            link: &link,
            directive: &directive,
            notes: NotesMode::Collapsed,
        };
        render(parse_with(md, vars), &cx, None).html
    }

    #[test]
    fn front_matter_values_fill_placeholders() {
        let vars = PageVars::from_front_matter(
            "---\ntitle: Git入門\ntime: 90\nprior_knowledge:\n  - ターミナル\n  - <b>HTML</b>\nauthor:\n  name: 山田\n---\n",
        );
        assert_eq!(
            html_with("# {{$page.frontmatter.title}}\n\n所要{{ $frontmatter.time }}分。前提: {{ $frontmatter.prior_knowledge }}、{{$page.frontmatter.author.name}}", &vars),
            "<h1 id=\"git入門\">Git入門</h1>\n<p>所要90分。前提: ターミナル、&lt;b&gt;HTML&lt;/b&gt;、山田</p>\n"
        );
        assert_eq!(html_with("{{ $page.title }}", &vars), "<p>Git入門</p>\n");
        // Without a title in the front matter: the first heading's.
        assert_eq!(
            html_with("# 見出し\n\n{{ $page.title }}", &PageVars::default()),
            "<h1 id=\"見出し\">見出し</h1>\n<p>見出し</p>\n"
        );
        // Code stays as written; so does another tool's syntax.
        assert_eq!(
            html_with("`{{ $frontmatter.time }}`\n\n```\n{{ $frontmatter.time }}\n```\n\n{{ site.title }}", &vars),
            "<p><code>{{ $frontmatter.time }}</code></p>\n<pre><code>{{ $frontmatter.time }}\n</code></pre>\n<p>{{ site.title }}</p>\n"
        );
        let toml = PageVars::from_front_matter("+++\ntitle = \"T\"\nweight = 2\n+++\n");
        assert_eq!(html_with("{{$frontmatter.weight}}", &toml), "<p>2</p>\n");
    }

    #[test]
    fn placeholders_in_raw_html_text_are_filled_not_in_attributes() {
        let vars = PageVars::from_pairs([("time", "<90分>")]);
        assert_eq!(
            html_with(
                "<div title=\"{{ $frontmatter.time }}\">{{ $frontmatter.time }}</div>",
                &vars
            ),
            "<div title=\"{{ $frontmatter.time }}\">&lt;90分&gt;</div>"
        );
        assert_eq!(
            html_with("所要 <b>{{$frontmatter.time}}</b>", &vars),
            "<p>所要 <b>&lt;90分&gt;</b></p>\n"
        );
        let body = "<p>\n{{ $frontmatter.nokey }}\n</p>\n";
        let s = scan_with(body, &vars);
        assert_eq!(s.notices.len(), 1, "{:?}", s.notices);
        assert_eq!(s.notices[0].offset, body.find("{{").unwrap());
    }

    #[test]
    fn an_unknown_key_is_reported_where_it_is_written() {
        let vars = PageVars::from_pairs([("title", "T")]);
        let body = "# T\n\n前 {{ $frontmatter.footer }} 後\n";
        let s = scan_with(body, &vars);
        assert_eq!(s.notices.len(), 1, "{:?}", s.notices);
        assert_eq!(s.notices[0].offset, body.find("{{").unwrap());
        assert!(s.notices[0].message.contains("`footer`"));
        assert_eq!(
            html_with(body, &vars),
            "<h1 id=\"t\">T</h1>\n<p>前  後</p>\n"
        );
        // Not reported as another tool's template syntax as well.
        assert!(s.foreign.is_empty(), "{:?}", s.foreign);
        assert_eq!(scan("{{ site.title }}").foreign.len(), 1);
    }

    #[test]
    fn shortcodes_become_emoji_outside_code_urls_and_html() {
        assert_eq!(html(":computer: 準備"), "<p>💻 準備</p>\n");
        assert_eq!(html("完了です:tada:"), "<p>完了です🎉</p>\n");
        assert_eq!(html(":+1: :thumbsup:"), "<p>👍 👍</p>\n");
        for kept in [
            "10:30:00 に開始",
            "a:smile:b",
            ":not_an_emoji_name:",
            "https://example.com/:smile:",
            "比率 1:100:2",
        ] {
            assert_eq!(html(kept), format!("<p>{kept}</p>\n"), "{kept}");
        }
        assert_eq!(html("`:smile:`"), "<p><code>:smile:</code></p>\n");
        assert_eq!(
            html("```\n:smile:\n```"),
            "<pre><code>:smile:\n</code></pre>\n"
        );
        assert_eq!(
            html("<https://e.jp/:smile:> [:smile:](https://e.jp/:smile:)"),
            "<p><a href=\"https://e.jp/:smile:\">https://e.jp/:smile:</a> <a href=\"https://e.jp/:smile:\">😄</a></p>\n"
        );
        assert_eq!(
            html("<span title=\":smile:\">x</span>"),
            "<p><span title=\":smile:\">x</span></p>\n"
        );
        // A heading's id is made from what it shows.
        assert_eq!(
            html("## :rocket: はじめに"),
            "<h2 id=\"はじめに\">🚀 はじめに</h2>\n"
        );
    }

    #[test]
    fn the_more_mark_is_dropped() {
        assert_eq!(html("前\n\n<!-- more -->\n\n後"), "<p>前</p>\n<p>後</p>\n");
        assert_eq!(html("前 <!--more--> 後"), "<p>前  後</p>\n");
        // Other comments stay.
        assert_eq!(html("<!-- メモ -->"), "<!-- メモ -->");
    }

    #[test]
    fn custom_elements_are_left_out_and_named() {
        let md = "# T\n\n<header-table/>\n\n本文 <Credit-Footer a=\"x>y\">中身</credit-footer>\n\n<header-table\n  x=\"1\"\n/>\n\n`<code-el/>`\n\n<!-- <in-comment/> -->\n\n<svg><font-face/></svg>\n";
        let s = scan(md);
        assert_eq!(
            s.elements,
            [
                (
                    "header-table".to_string(),
                    md.find("<header-table/>").unwrap()
                ),
                ("credit-footer".to_string(), md.find("<Credit").unwrap()),
            ]
        );
        let h = html(md);
        assert!(!h.contains("header-table") && !h.contains("redit-"), "{h}");
        assert!(h.contains("本文 中身"), "{h}");
        assert!(h.contains("<code>&lt;code-el/&gt;</code>"), "{h}");
        assert!(h.contains("<font-face/>"), "{h}");
    }

    /// Many of each form in one page: linear passes (the bound is far
    /// above what they take in a debug build, far below quadratic).
    #[test]
    fn many_of_each_form_take_linear_time() {
        use std::time::{Duration, Instant};
        let n = 40_000;
        let vars = PageVars::from_pairs([("a", "値")]);
        for (what, md) in [
            (
                "placeholders",
                "{{ $frontmatter.a }}{{ $frontmatter.nokey }}".repeat(n),
            ),
            ("shortcodes", " :smile::x::nope:".repeat(n)),
            (
                "elements",
                (0..n).map(|i| format!("<x-{i}/>")).collect::<String>(),
            ),
            ("boxes", "::: tip\n".repeat(n) + &":::\n".repeat(n)),
            ("stray closers", "段落\n:::\n".repeat(n)),
            ("toc", "[[toc]]\n\n## 見出し\n\n".repeat(n / 4)),
            ("comments", "<!-- more --> ".repeat(n)),
        ] {
            let started = Instant::now();
            let _ = scan_with(&md, &vars);
            let h = html_with(&md, &vars);
            let took = started.elapsed();
            assert!(took < Duration::from_secs(10), "{what}: {took:?}");
            assert!(!h.is_empty() || what == "comments", "{what}");
        }
    }

    #[test]
    fn toc_lists_the_pages_headings() {
        let h = html("# 題\n\n[[toc]]\n\n## 一\n\n### 一の一\n\n#### 深い\n\n## 二 {#two}\n");
        assert!(
            h.contains("<nav class=\"page-contents\" aria-label=\"目次\">\n<ul class=\"toc-list\">\n<li class=\"toc-level-2\"><a href=\"#一\">一</a></li>\n<li class=\"toc-level-3\"><a href=\"#一の一\">一の一</a></li>\n<li class=\"toc-level-2\"><a href=\"#two\">二</a></li>\n</ul>\n</nav>\n"),
            "{h}"
        );
        assert!(!h.contains("[[toc]]"));
        // Not on its own: text. In code: code.
        assert!(html("目次は [[toc]] です").contains("[[toc]]"));
        assert!(html("`[[toc]]`").contains("<code>[[toc]]</code>"));
        // No headings: nothing.
        assert_eq!(html("[[toc]]"), "");
    }
}
