//! What `load` reads of a body: headings and their anchor ids, links,
//! directives, `{{#include}}`s, ids in raw HTML, other tools' syntax.

use std::borrow::Cow;
use std::ops::Range;

use pulldown_cmark::{CowStr, Event, HeadingLevel, Tag, TagEnd};

use super::extensions::{is_placeholder, Found, Notice, PageVars};
use super::text::heading_text;
use super::{events, ADMONITIONS, NOTES_MARKER};
/// A `{{#name arg}}` paragraph.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Directive {
    pub name: String,
    pub arg: String,
    /// Byte offset in the body.
    pub offset: usize,
}

/// A link or image destination as written, with its byte offset in the body.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LinkRef {
    pub dest: String,
    pub offset: usize,
}

/// An mdBook `{{#include path}}` or `{{#rustdoc_include path}}` inside a
/// code block, which `load` replaces with (part of) that file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Include {
    /// `rustdoc_include`: the lines outside the selection are hidden lines.
    pub rustdoc: bool,
    /// What follows the name: `path`, `path:3:10`, `path:anchor`.
    pub arg: String,
    /// Where the directive is written, in the body.
    pub range: Range<usize>,
}

/// Finds `{{#include …}}` and `{{#rustdoc_include …}}` in `text`, which is
/// at `base` in the body.
pub(super) fn find_includes(text: &str, base: usize, out: &mut Vec<Include>) {
    let mut from = 0;
    while let Some(pos) = text[from..].find("{{#") {
        let start = from + pos;
        from = start + 3;
        let rest = &text[start + 3..];
        let (rustdoc, name_len) = if rest.starts_with("include") {
            (false, "include".len())
        } else if rest.starts_with("rustdoc_include") {
            (true, "rustdoc_include".len())
        } else {
            continue;
        };
        let after = &rest[name_len..];
        if !after.starts_with(char::is_whitespace) {
            continue;
        }
        let Some(end) = after.find("}}") else {
            continue;
        };
        let arg = after[..end].trim();
        if arg.is_empty() || arg.contains('\n') {
            continue;
        }
        let len = 3 + name_len + end + 2;
        out.push(Include {
            rustdoc,
            arg: arg.to_string(),
            range: base + start..base + start + len,
        });
        from = start + len;
    }
}

/// Template syntax of another tool, written outside code: it would show
/// on the page as it is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ForeignSyntax {
    /// The tool it comes from, for the warning.
    pub system: &'static str,
    /// What is written (the opening, up to 40 characters).
    pub text: String,
    pub offset: usize,
}

/// Finds other tools' template syntax in `body` outside `code` ranges.
pub(super) fn find_foreign_syntax(body: &str, code: &[Range<usize>]) -> Vec<ForeignSyntax> {
    let mut found = Vec::new();
    let mut from = 0;
    while let Some(pos) = body[from..].find(['{']) {
        let at = from + pos;
        from = at + 1;
        let rest = &body[at..];
        let system = if rest.starts_with("{{<") || rest.starts_with("{{%") {
            "a Hugo shortcode"
        } else if rest.starts_with("{%") {
            "a Liquid/Nunjucks tag (Jekyll, GitBook/HonKit)"
        } else if let Some(inner) = rest.strip_prefix("{{") {
            let inner = inner.trim_start();
            if let Some(helper) = inner.strip_prefix('#') {
                // kenshu's own directives are checked elsewhere; an mdBook
                // helper outside a code block is reported here.
                let name: String = helper
                    .chars()
                    .take_while(|c| c.is_ascii_alphanumeric() || *c == '_' || *c == '-')
                    .collect();
                if matches!(
                    name.as_str(),
                    "include" | "rustdoc_include" | "playground" | "playpen" | "title"
                ) {
                    "an mdBook helper (kenshu expands {{#include}} only inside code blocks)"
                } else {
                    continue;
                }
            } else if is_placeholder(rest) {
                // `{{ $frontmatter.x }}`: filled in (see `extensions`).
                continue;
            } else if inner.starts_with("book.")
                || inner.starts_with("page.")
                || inner.starts_with("config.")
            {
                "a GitBook/HonKit variable"
            } else if inner.starts_with("site.")
                || inner.starts_with(".Site")
                || inner.starts_with(".Params")
            {
                "a Jekyll/Hugo variable"
            } else if inner.starts_with(|c: char| c.is_ascii_alphabetic() || c == '.' || c == '$')
                && inner.contains("}}")
            {
                "a template variable (Hugo, Jekyll, GitBook)"
            } else {
                continue;
            }
        } else {
            continue;
        };
        let i = code.partition_point(|r| r.end <= at);
        if code.get(i).is_some_and(|r| r.start <= at) {
            continue;
        }
        let text: String = rest.lines().next().unwrap_or("").chars().take(40).collect();
        from = at + 2;
        found.push(ForeignSyntax {
            system,
            text,
            offset: at,
        });
    }
    found
}

/// What `load` needs to know about a body.
#[derive(Debug, Clone, Default)]
pub struct Scan {
    /// Other tools' template syntax outside code.
    pub foreign: Vec<ForeignSyntax>,
    /// `{{#include}}`s in code blocks.
    pub includes: Vec<Include>,
    pub headings: Vec<Heading>,
    pub links: Vec<LinkRef>,
    pub directives: Vec<Directive>,
    /// Unknown `[!KIND]` markers with their offsets.
    pub unknown_admonitions: Vec<(String, usize)>,
    /// `id` attributes written in raw HTML (link targets too).
    pub html_ids: Vec<String>,
    /// Each code block: where it is written and the length of its code
    /// (before `{{#include}}`s are replaced; see [`oversized_code`]).
    pub code_blocks: Vec<(Range<usize>, usize)>,
    /// Other tools' extensions that are worth a warning (an unclosed
    /// `:::` box, a front-matter key that is not there, …).
    pub notices: Vec<Notice>,
    /// Custom elements the site does not define (`<header-table/>`): each
    /// name once, with the offset of its first tag.
    pub elements: Vec<(String, usize)>,
}

/// The code blocks too large to highlight (see
/// [`crate::highlight::HIGHLIGHT_LIMIT`]) once the `{{#include}}`s of a page
/// (where each is written, the text replacing it) are replaced: the byte
/// offset of each in the body, with its size.
pub fn oversized_code(
    blocks: &[(Range<usize>, usize)],
    includes: &[(Range<usize>, String)],
) -> Vec<(usize, usize)> {
    blocks
        .iter()
        .filter_map(|(range, len)| {
            let first = includes.partition_point(|(r, _)| r.start < range.start);
            let size = includes[first..]
                .iter()
                .take_while(|(r, _)| r.end <= range.end)
                .fold(*len, |size, (r, text)| {
                    (size + text.len()).saturating_sub(r.len())
                });
            crate::highlight::too_large(size).then_some((range.start, size))
        })
        .collect()
}

/// For each of `spans` (byte ranges of the body `events` were parsed
/// from): whether it lies within the code of a single code block. An
/// `{{#include}}` expanded before parsing must: then the page's blocks are
/// the ones it has with the directive written (the included lines are
/// code of the block the directive is in, nothing more), and the directive
/// was where `scan` finds includes. An empty span counts when it touches
/// a code block's text.
pub(super) fn in_one_code_block(
    events: &[(Event<'_>, Range<usize>)],
    spans: &[Range<usize>],
) -> Vec<bool> {
    if spans.is_empty() {
        return Vec::new();
    }
    // The text of each code block: (block number, range), in order.
    let mut texts: Vec<(usize, Range<usize>)> = Vec::new();
    let mut block = None;
    let mut count = 0;
    for (ev, range) in events {
        match ev {
            Event::Start(Tag::CodeBlock(_)) => {
                block = Some(count);
                count += 1;
            }
            Event::End(TagEnd::CodeBlock) => block = None,
            Event::Text(_) => {
                if let Some(b) = block {
                    texts.push((b, range.clone()));
                }
            }
            _ => {}
        }
    }
    spans
        .iter()
        .map(|span| {
            if span.is_empty() {
                return texts
                    .iter()
                    .any(|(_, r)| r.start <= span.start && span.start <= r.end);
            }
            let first = texts.partition_point(|(_, r)| r.end <= span.start);
            let mut at = span.start;
            let mut which = None;
            for (b, r) in &texts[first..] {
                if r.start > at || which.is_some_and(|w| w != *b) {
                    return false;
                }
                which = Some(*b);
                at = at.max(r.end);
                if at >= span.end {
                    return true;
                }
            }
            false
        })
        .collect()
}

/// `{{#include …}}` and `{{#rustdoc_include …}}` written anywhere in
/// `body`, in order: where `load` may expand one before the body is
/// parsed (it is expanded only when it turns out to be in a code block).
pub fn include_candidates(body: &str) -> Vec<Include> {
    let mut found = Vec::new();
    if body.contains("{{#") {
        find_includes(body, 0, &mut found);
    }
    found
}

pub use super::slug::slugify;

pub(super) fn heading_level(level: HeadingLevel) -> u8 {
    match level {
        HeadingLevel::H1 => 1,
        HeadingLevel::H2 => 2,
        HeadingLevel::H3 => 3,
        HeadingLevel::H4 => 4,
        HeadingLevel::H5 => 5,
        HeadingLevel::H6 => 6,
    }
}

/// Gives every heading an id: its `{#id}` if written, else its text's id
/// by `rule` (the site's: kenshu's, or the rule of the tool the repository
/// was written for) made unique within the page.
pub(super) fn assign_heading_ids(
    mut events: Vec<(Event<'_>, Range<usize>)>,
    rule: super::slug::SlugRule,
) -> Vec<(Event<'_>, Range<usize>)> {
    // Explicit ids first, so generated ones never collide with them.
    let written = events.iter().filter_map(|(ev, _)| match ev {
        Event::Start(Tag::Heading { id: Some(id), .. }) => Some(id.to_string()),
        _ => None,
    });
    let mut unique = super::slug::Unique::new(rule, written);
    let mut i = 0;
    while i < events.len() {
        if let Event::Start(Tag::Heading { id: None, .. }) = &events[i].0 {
            let text = heading_text(&events[i + 1..]);
            let id = unique.id(&text);
            if let Event::Start(Tag::Heading { id: slot, .. }) = &mut events[i].0 {
                *slot = Some(CowStr::from(id));
            }
        }
        i += 1;
    }
    events
}

/// Reads `[!KIND]` at the start of a block quote's first paragraph.
pub(super) fn admonition_marker(events: &[(Event<'_>, Range<usize>)], i: usize) -> Option<String> {
    if !matches!(events.get(i + 1), Some((Event::Start(Tag::Paragraph), _))) {
        return None;
    }
    let Some((Event::Text(t), _)) = events.get(i + 2) else {
        return None;
    };
    let rest = t.strip_prefix("[!")?;
    let end = rest.find(']')?;
    let kind = &rest[..end];
    if kind.is_empty() || kind.contains(char::is_whitespace) {
        return None;
    }
    // GitHub reads `[!note]` as `[!NOTE]`.
    let known = ADMONITIONS
        .iter()
        .map(|(k, _, _)| *k)
        .chain([NOTES_MARKER])
        .find(|k| k.eq_ignore_ascii_case(kind));
    Some(known.unwrap_or(kind).to_string())
}

/// Parses a `{{#name arg}}` paragraph text.
pub(super) fn parse_directive(text: &str) -> Option<(String, String)> {
    let inner = text.trim().strip_prefix("{{#")?.strip_suffix("}}")?.trim();
    let (name, arg) = match inner.split_once(char::is_whitespace) {
        Some((n, a)) => (n, a.trim()),
        None => (inner, ""),
    };
    if name.is_empty()
        || !name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
    {
        return None;
    }
    Some((name.to_string(), arg.to_string()))
}

/// If events[i] starts a paragraph that is only a directive, returns it.
pub(super) fn directive_at(events: &[(Event<'_>, Range<usize>)], i: usize) -> Option<Directive> {
    if !matches!(events.get(i), Some((Event::Start(Tag::Paragraph), _))) {
        return None;
    }
    let (Event::Text(t), range) = events.get(i + 1)? else {
        return None;
    };
    if !matches!(events.get(i + 2), Some((Event::End(TagEnd::Paragraph), _))) {
        return None;
    }
    let (name, arg) = parse_directive(t)?;
    Some(Directive {
        name,
        arg,
        offset: range.start,
    })
}

/// Finds `href="…"` and `src="…"` values in raw HTML: (value, offset in html).
pub fn html_urls(html: &str) -> Vec<(String, usize)> {
    let mut found = html_attr_values(html, "href");
    found.extend(html_attr_values(html, "src"));
    found.sort_by_key(|(_, o)| *o);
    found
}

/// `html` with what lies inside HTML comments blanked out (spaces of the
/// same length, so offsets stay valid); `in_comment` says whether `html`
/// starts inside a comment (one of an HTML block's lines) and is left as
/// `html` ends.
pub(super) fn outside_comments<'h>(html: &'h str, in_comment: &mut bool) -> Cow<'h, str> {
    if !*in_comment && !html.contains("<!--") {
        return Cow::Borrowed(html);
    }
    let mut out = String::with_capacity(html.len());
    let mut rest = html;
    loop {
        if *in_comment {
            match rest.find("-->") {
                Some(end) => {
                    out.extend(std::iter::repeat_n(' ', end + 3));
                    rest = &rest[end + 3..];
                    *in_comment = false;
                }
                None => {
                    out.extend(std::iter::repeat_n(' ', rest.len()));
                    return Cow::Owned(out);
                }
            }
        }
        match rest.find("<!--") {
            Some(start) => {
                out.push_str(&rest[..start]);
                out.push_str("    ");
                rest = &rest[start + 4..];
                *in_comment = true;
            }
            None => {
                out.push_str(rest);
                return Cow::Owned(out);
            }
        }
    }
}

/// Values of attribute `attr` in raw HTML: (value, offset in html).
pub fn html_attr_values(html: &str, attr: &str) -> Vec<(String, usize)> {
    let mut found = Vec::new();
    let lower = html.to_ascii_lowercase();
    {
        let mut from = 0;
        while let Some(pos) = lower[from..].find(attr) {
            let start = from + pos;
            from = start + attr.len();
            let preceded_ok = start == 0 || lower.as_bytes()[start - 1].is_ascii_whitespace();
            if !preceded_ok {
                continue;
            }
            let rest = &html[from..];
            let trimmed = rest.trim_start();
            let Some(after_eq) = trimmed.strip_prefix('=') else {
                continue;
            };
            let after_eq = after_eq.trim_start();
            let value_start = html.len() - after_eq.len();
            let (value, len) = match after_eq.chars().next() {
                Some(q @ ('"' | '\'')) => match after_eq[1..].find(q) {
                    Some(end) => (&after_eq[1..1 + end], end + 2),
                    None => continue,
                },
                _ => {
                    let end = after_eq
                        .find(|c: char| c.is_whitespace() || c == '>')
                        .unwrap_or(after_eq.len());
                    (&after_eq[..end], end)
                }
            };
            let offset = value_start + usize::from(after_eq.starts_with(['"', '\'']));
            found.push((value.to_string(), offset));
            from = value_start + len;
        }
    }
    found.sort_by_key(|(_, o)| *o);
    found
}

/// Headings, links and directives of a Markdown body.
pub fn scan(body: &str) -> Scan {
    scan_with(body, &PageVars::default())
}

/// [`scan`] of the body of a page whose front matter is `vars`.
pub fn scan_with(body: &str, vars: &PageVars) -> Scan {
    let mut found = Found::default();
    let events = events(body, vars, &mut found);
    scan_events(body, &events, found)
}

/// [`scan`] of a body parsed already (`found`: what its parse found).
pub(super) fn scan_events(body: &str, events: &[(Event<'_>, Range<usize>)], found: Found) -> Scan {
    let mut scan = Scan {
        notices: found.notices,
        elements: found.elements,
        ..Scan::default()
    };
    if body.contains("{{") || body.contains("{%") {
        let mut code: Vec<Range<usize>> = Vec::new();
        let mut block_start = None;
        for (ev, range) in events {
            match ev {
                Event::Start(Tag::CodeBlock(_)) => block_start = Some(range.start),
                Event::End(TagEnd::CodeBlock) => {
                    code.push(block_start.take().unwrap_or(range.start)..range.end)
                }
                Event::Code(_) => code.push(range.clone()),
                _ => {}
            }
        }
        code.sort_by_key(|r| r.start);
        scan.foreign = find_foreign_syntax(body, &code);
    }
    let mut in_code = false;
    // Inside an image's description (its alt text keeps only the words:
    // a link there is not written) and inside `<!-- -->`.
    let mut in_image = 0usize;
    let mut in_comment = false;
    let mut i = 0;
    while i < events.len() {
        let (ev, range) = &events[i];
        if in_code {
            if let (Event::Text(t), Some((_, len))) = (ev, scan.code_blocks.last_mut()) {
                *len += t.len();
            }
        }
        match ev {
            Event::Start(Tag::CodeBlock(_)) => {
                in_code = true;
                scan.code_blocks.push((range.clone(), 0));
            }
            Event::End(TagEnd::CodeBlock) => in_code = false,
            Event::Text(t) if in_code && t.contains("{{#") => {
                // The text of a code block is the source, less any
                // container prefix (`> `, list indent): find each
                // directive in the source range.
                let mut found = Vec::new();
                find_includes(t, 0, &mut found);
                let src = &body[range.clone()];
                let mut at = 0;
                for inc in found {
                    let written = &t[inc.range.clone()];
                    if let Some(pos) = src[at..].find(written) {
                        let start = range.start + at + pos;
                        at += pos + written.len();
                        scan.includes.push(Include {
                            range: start..start + written.len(),
                            ..inc
                        });
                    }
                }
            }
            Event::Start(Tag::Heading { level, id, .. }) => {
                scan.headings.push(Heading {
                    level: heading_level(*level),
                    text: heading_text(&events[i + 1..]),
                    id: id.as_deref().unwrap_or_default().to_string(),
                });
            }
            Event::Start(Tag::Link { dest_url, .. })
            | Event::Start(Tag::Image { dest_url, .. }) => {
                if in_image == 0 {
                    let offset = body[range.clone()]
                        .find(dest_url.as_ref())
                        .map_or(range.start, |o| range.start + o);
                    scan.links.push(LinkRef {
                        dest: dest_url.to_string(),
                        offset,
                    });
                }
                if matches!(ev, Event::Start(Tag::Image { .. })) {
                    in_image += 1;
                }
            }
            Event::End(TagEnd::Image) => in_image = in_image.saturating_sub(1),
            Event::End(TagEnd::HtmlBlock | TagEnd::Paragraph) => in_comment = false,
            Event::Html(html) | Event::InlineHtml(html) => {
                // An `href` or `id` inside `<!-- -->` is not a link or a target.
                let live = outside_comments(html, &mut in_comment);
                scan.html_ids
                    .extend(html_attr_values(&live, "id").into_iter().map(|(v, _)| v));
                // Found once per fragment, not once per URL: a long
                // fragment (the contents `[[toc]]` writes) as the needle
                // of every search made a page of them quadratic.
                let at = body[range.clone()].find(html.as_ref());
                for (dest, off) in html_urls(&live) {
                    let offset = at.map_or(range.start, |o| range.start + o + off);
                    // Decoded, as the writer looks it up (`&amp;` in a
                    // query is `&`).
                    let dest = crate::html::decode_entities(&dest);
                    scan.links.push(LinkRef { dest, offset });
                }
            }
            Event::Start(Tag::BlockQuote(_)) => {
                if let Some(kind) = admonition_marker(events, i) {
                    let known =
                        kind == NOTES_MARKER || ADMONITIONS.iter().any(|(k, _, _)| *k == kind);
                    if !known {
                        scan.unknown_admonitions.push((kind, range.start));
                    }
                }
            }
            Event::Start(Tag::Paragraph) => {
                if let Some(d) = directive_at(events, i) {
                    scan.directives.push(d);
                }
            }
            _ => {}
        }
        i += 1;
    }
    scan
}

/// A heading of a page: level, plain text and id.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Heading {
    pub level: u8,
    /// Plain text of the heading.
    pub text: String,
    pub id: String,
}
