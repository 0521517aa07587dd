//! Markdown processing shared by `load` (to find headings, links and
//! directives) and `render` (to write HTML). Pure functions only.
//!
//! On top of CommonMark (pulldown-cmark) it adds what Japanese text and
//! this tool need:
//! - no space where a soft line break falls between two Japanese characters;
//! - `**…**` next to 「」 and other CJK punctuation renders as strong;
//! - stable, readable heading anchors that keep Japanese as it is;
//! - admonitions (`> [!NOTE]`, `> [!解説]`) and speaker notes (`> [!講師メモ]`);
//! - directives: a paragraph that is only `{{#name arg}}`.

use std::collections::HashMap;
use std::ops::Range;

use pulldown_cmark::{CodeBlockKind, CowStr, Event, HeadingLevel, Options, Parser, Tag, TagEnd};

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
fn find_includes(text: &str, base: usize, out: &mut Vec<Include>) {
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
fn find_foreign_syntax(body: &str, code: &[Range<usize>]) -> Vec<ForeignSyntax> {
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

/// Events with their byte ranges, after kenshu's transformations.
fn events(body: &str) -> Vec<(Event<'_>, Range<usize>)> {
    let raw: Vec<(Event<'_>, Range<usize>)> = match cjk_emphasis_events(body) {
        Some(events) => events,
        None => parse_as_written(body),
    };
    let merged = merge_text(raw);
    let joined = join_cjk_soft_breaks(merged);
    let strong = cjk_strong(joined);
    assign_heading_ids(strong)
}

/// Stands in, during a second parse, for a CJK character next to a `*`/`_`
/// run: a punctuation character (U+2E3A TWO-EM DASH) of the same UTF-8
/// length, so byte offsets stay valid.
const CJK_STAND_IN: char = '\u{2E3A}';

/// Punctuation as CommonMark's flanking rules see it (ASCII punctuation,
/// and the Unicode punctuation blocks Japanese text uses).
fn is_punct(c: char) -> bool {
    c.is_ascii_punctuation()
        || matches!(c as u32,
            0x2010..=0x205E
            | 0x3001..=0x3003
            | 0x3008..=0x3011
            | 0x3014..=0x301F
            | 0x30FB
            | 0xFF01..=0xFF0F
            | 0xFF1A..=0xFF20
            | 0xFF3B..=0xFF40
            | 0xFF5B..=0xFF65)
}

/// CJK-friendly emphasis (the rule of pulldown-cmark's unreleased
/// `ENABLE_CJK_FRIENDLY_EMPHASIS`, commonmark-spec#650): CommonMark does
/// not let `**` open or close between punctuation and a letter, so
/// `**「重要」**です`, `` **`code`**です`` and `**[a](b)**です` stay literal
/// and `**「A」**と**「B」**` pairs the wrong stars. Where a `*`/`_` run has
/// punctuation on one side and a CJK character on the other, the CJK
/// character is read as punctuation (as a space would be in English) by
/// parsing a copy in which it is replaced by [`CJK_STAND_IN`]; the text is
/// then restored. Only plain text may change, never code, HTML or link
/// destinations: the swapped copy's parse shows where each character is
/// (a stand-in changes emphasis only, not what is code or a link), and
/// when one is not in text the body is parsed as written to find the
/// characters that are. Returns None when nothing needs it (a body
/// without such runs: one parse, as written).
fn cjk_emphasis_events(body: &str) -> Option<Vec<(Event<'_>, Range<usize>)>> {
    if body.contains(CJK_STAND_IN) {
        return None;
    }
    let candidates = cjk_swaps(body, |_| true);
    if candidates.is_empty() {
        return None;
    }
    let events = parse_swapped(body, &candidates);
    let all_in_text = {
        let in_text = text_ranges(&events);
        candidates.iter().all(|&(at, _)| in_text(at))
    };
    if all_in_text {
        return Some(events);
    }
    let raw = parse_as_written(body);
    let swaps = cjk_swaps(body, text_ranges(&raw));
    if swaps.is_empty() {
        return Some(raw);
    }
    Some(parse_swapped(body, &swaps))
}

/// The room a body's events take, at most: a few per line. (Reserved, not
/// touched: a large page's events then fill one allocation instead of
/// being copied each time the vector doubles.)
fn events_capacity(body: &str) -> usize {
    16 + 4 * body.bytes().filter(|&b| b == b'\n').count()
}

/// The events of `body` parsed as written.
fn parse_as_written(body: &str) -> Vec<(Event<'_>, Range<usize>)> {
    let mut events = Vec::with_capacity(events_capacity(body));
    events.extend(Parser::new_ext(body, options()).into_offset_iter());
    events
}

/// Whether a byte offset lies in a text event of `events` (ranges in
/// source order: a binary search).
fn text_ranges<'e>(events: &'e [(Event<'_>, Range<usize>)]) -> impl Fn(usize) -> bool + 'e {
    let texts: Vec<&Range<usize>> = events
        .iter()
        .filter(|(e, _)| matches!(e, Event::Text(_)))
        .map(|(_, r)| r)
        .collect();
    move |at| {
        let i = texts.partition_point(|r| r.end <= at);
        texts.get(i).is_some_and(|r| r.start <= at)
    }
}

/// The CJK characters (offset, character) next to a `*`/`_` run whose
/// other side is punctuation, where `keep` says yes; sorted, no repeats.
fn cjk_swaps(body: &str, keep: impl Fn(usize) -> bool) -> Vec<(usize, char)> {
    let mappable = |c: char| is_wide(c) && !is_punct(c) && c.len_utf8() == 3;
    let mut swaps: Vec<(usize, char)> = Vec::new();
    let bytes = body.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        if b != b'*' && b != b'_' {
            i += 1;
            continue;
        }
        let start = i;
        while i < bytes.len() && bytes[i] == b {
            i += 1;
        }
        let before = body[..start].chars().next_back();
        let after = body[i..].chars().next();
        if let (Some(p), Some(n)) = (before, after) {
            if mappable(p) && is_punct(n) && keep(start - 3) {
                swaps.push((start - 3, p));
            }
            if mappable(n) && is_punct(p) && keep(i) {
                swaps.push((i, n));
            }
        }
    }
    swaps.sort_unstable();
    swaps.dedup();
    swaps
}

/// Parses `body` with the characters of `swaps` replaced by
/// [`CJK_STAND_IN`], and restores them in the text. The events borrow
/// `body`, as a parse of it would: the copy has the same bytes at the same
/// offsets except for the stand-ins, so a string of the copy without one is
/// the same slice of `body` (only text with a stand-in is copied).
fn parse_swapped<'a>(body: &'a str, swaps: &[(usize, char)]) -> Vec<(Event<'a>, Range<usize>)> {
    let mut copy = String::with_capacity(body.len());
    let mut at = 0;
    for &(offset, c) in swaps {
        copy.push_str(&body[at..offset]);
        copy.push(CJK_STAND_IN);
        at = offset + c.len_utf8();
    }
    copy.push_str(&body[at..]);
    let original = |offset: usize| {
        swaps
            .binary_search_by_key(&offset, |(o, _)| *o)
            .ok()
            .map(|k| swaps[k].1)
    };
    let copy = copy.as_str();
    let rebase = |s: CowStr<'_>| moved_to(s, copy, body);
    let mut events = Vec::with_capacity(events_capacity(body));
    events.extend(
        Parser::new_ext(copy, options())
            .into_offset_iter()
            .map(|(ev, range)| {
                let ev = match ev {
                    Event::Text(t) if t.contains(CJK_STAND_IN) => {
                        let sliced = copy.get(range.clone()) == Some(t.as_ref());
                        let mut in_range = swaps
                            .iter()
                            .filter(|(o, _)| range.contains(o))
                            .map(|(_, c)| *c);
                        let restored: String = t
                            .char_indices()
                            .map(|(k, c)| match c {
                                CJK_STAND_IN if sliced => original(range.start + k).unwrap_or(c),
                                CJK_STAND_IN => in_range.next().unwrap_or(c),
                                c => c,
                            })
                            .collect();
                        Event::Text(CowStr::from(restored))
                    }
                    Event::Text(t) => Event::Text(rebase(t)),
                    Event::Code(t) => Event::Code(rebase(t)),
                    Event::Html(t) => Event::Html(rebase(t)),
                    Event::InlineHtml(t) => Event::InlineHtml(rebase(t)),
                    Event::Start(Tag::Link {
                        link_type,
                        dest_url,
                        title,
                        id,
                    }) => Event::Start(Tag::Link {
                        link_type,
                        dest_url: rebase(dest_url),
                        title: rebase(title),
                        id: rebase(id),
                    }),
                    other => other.into_static(),
                };
                (ev, range)
            }),
    );
    events
}

/// `s`, a string of the parse of `copy`, as a string of `body`: the same
/// slice of `body` when `s` is a slice of `copy` holding no
/// [`CJK_STAND_IN`] (the two have the same bytes there), else its own copy.
fn moved_to<'a>(s: CowStr<'_>, copy: &str, body: &'a str) -> CowStr<'a> {
    if let CowStr::Borrowed(b) = &s {
        let at = (b.as_ptr() as usize).wrapping_sub(copy.as_ptr() as usize);
        let same = at
            .checked_add(b.len())
            .filter(|&end| end <= copy.len())
            .and_then(|end| body.get(at..end));
        if let Some(same) = same {
            if !b.contains(CJK_STAND_IN) {
                return CowStr::Borrowed(same);
            }
        }
    }
    s.into_static()
}

/// Merges adjacent text events (pulldown-cmark splits text at delimiters).
fn merge_text(events: Vec<(Event<'_>, Range<usize>)>) -> Vec<(Event<'_>, Range<usize>)> {
    let adjacent = events
        .windows(2)
        .any(|w| matches!((&w[0].0, &w[1].0), (Event::Text(_), Event::Text(_))));
    if !adjacent {
        return events;
    }
    let mut out: Vec<(Event<'_>, Range<usize>)> = Vec::with_capacity(events.len());
    // Each run of text events is joined once into a string of its exact
    // size (copying the text joined so far for each next event made a long
    // run quadratic: `&amp; ` × 100,000; a growing string copies a 20 MB
    // code block several times).
    let mut events = events.into_iter().peekable();
    let is_text = |(ev, _): &(Event<'_>, Range<usize>)| matches!(ev, Event::Text(_));
    let mut run: Vec<CowStr<'_>> = Vec::new();
    while let Some((ev, range)) = events.next() {
        let Event::Text(first) = ev else {
            out.push((ev, range));
            continue;
        };
        let mut end = range.end;
        run.push(first);
        while let Some((Event::Text(t), r)) = events.next_if(is_text) {
            run.push(t);
            end = r.end;
        }
        let only = if run.len() == 1 { run.pop() } else { None };
        let text = if let Some(only) = only {
            only
        } else {
            let mut joined = String::with_capacity(run.iter().map(|t| t.len()).sum());
            for t in run.drain(..) {
                joined.push_str(&t);
            }
            CowStr::from(joined)
        };
        out.push((Event::Text(text), range.start..end));
    }
    out
}

/// True for characters after which a line break is not a space: CJK
/// ideographs, kana, full-width forms and CJK punctuation.
pub fn is_wide(c: char) -> bool {
    matches!(c as u32,
        0x1100..=0x115F
        | 0x2460..=0x24FF
        | 0x2E80..=0x303E
        | 0x3041..=0x33FF
        | 0x3400..=0x4DBF
        | 0x4E00..=0x9FFF
        | 0xA000..=0xA4CF
        | 0xF900..=0xFAFF
        | 0xFE30..=0xFE4F
        | 0xFF00..=0xFF60
        | 0xFFE0..=0xFFE6
        | 0x20000..=0x3FFFD)
}

/// Whether a line break between `b` and `a` is dropped rather than shown as
/// a space (after CSS Text Level 3, segment break transformation): when
/// one side is full-width punctuation (`。`, `、`, `」`: they carry their own
/// spacing), or one side is Japanese (wide) and the other is not a Latin
/// letter — `連携の\n3つ`, `①\n顔合わせ` and `できます。\nAPI` join;
/// `日本語\nword` keeps its space, and so does English text.
pub fn joins_without_space(b: char, a: char) -> bool {
    if b.is_whitespace() || a.is_whitespace() {
        return false;
    }
    let latin = |c: char| c.is_ascii_alphabetic() || ('\u{00C0}'..='\u{024F}').contains(&c);
    let wide_punct = |c: char| is_wide(c) && is_punct(c);
    wide_punct(b) || wide_punct(a) || (is_wide(b) && !latin(a)) || (is_wide(a) && !latin(b))
}

fn last_char(ev: &Event<'_>) -> Option<char> {
    match ev {
        Event::Text(t) | Event::Code(t) => t.chars().last(),
        _ => None,
    }
}

fn first_char(ev: &Event<'_>) -> Option<char> {
    match ev {
        Event::Text(t) | Event::Code(t) => t.chars().next(),
        _ => None,
    }
}

/// Drops a soft break where [`joins_without_space`] says so. Looks through
/// inline start/end tags and inline HTML (`**強調**\n次の行`,
/// `説明。\n<kbd>Ctrl</kbd>`) to the nearest text on each side.
fn join_cjk_soft_breaks(events: Vec<(Event<'_>, Range<usize>)>) -> Vec<(Event<'_>, Range<usize>)> {
    let is_inline_tag = |ev: &Event<'_>| {
        matches!(
            ev,
            Event::Start(Tag::Emphasis | Tag::Strong | Tag::Strikethrough | Tag::Link { .. })
                | Event::End(
                    TagEnd::Emphasis | TagEnd::Strong | TagEnd::Strikethrough | TagEnd::Link
                )
                | Event::InlineHtml(_)
        )
    };
    let mut drop = vec![false; events.len()];
    for i in 0..events.len() {
        if !matches!(events[i].0, Event::SoftBreak) {
            continue;
        }
        let before = events[..i]
            .iter()
            .rev()
            .find(|(e, _)| !is_inline_tag(e))
            .and_then(|(e, _)| last_char(e));
        let after = events[i + 1..]
            .iter()
            .find(|(e, _)| !is_inline_tag(e))
            .and_then(|(e, _)| first_char(e));
        if let (Some(b), Some(a)) = (before, after) {
            if joins_without_space(b, a) {
                drop[i] = true;
            }
        }
    }
    let mut events = events;
    let mut at = 0;
    events.retain(|_| {
        at += 1;
        !drop[at - 1]
    });
    events
}

/// CommonMark does not close `**` between CJK punctuation and a CJK letter
/// (`**「重要」**です`); pulldown-cmark then leaves the stars as text. This
/// pairs such leftover `**` inside one text run and turns them into strong
/// emphasis, when at least one star run touches a wide character.
fn cjk_strong(events: Vec<(Event<'_>, Range<usize>)>) -> Vec<(Event<'_>, Range<usize>)> {
    // Most pages have no leftover stars at all: nothing to copy.
    let leftover = |ev: &Event<'_>| matches!(ev, Event::Text(t) if t.contains("**"));
    if !events.iter().any(|(ev, _)| leftover(ev)) {
        return events;
    }
    let mut out = Vec::with_capacity(events.len());
    for (ev, range) in events {
        let Event::Text(text) = &ev else {
            out.push((ev, range));
            continue;
        };
        if !text.contains("**") {
            out.push((ev, range));
            continue;
        }
        let pieces = split_cjk_strong(text);
        if pieces.len() == 1 {
            out.push((ev, range));
            continue;
        }
        for piece in pieces {
            let ev = match piece {
                StrongPiece::Text(s) => Event::Text(CowStr::from(s)),
                StrongPiece::Open => Event::Start(Tag::Strong),
                StrongPiece::Close => Event::End(TagEnd::Strong),
            };
            out.push((ev, range.clone()));
        }
    }
    out
}

#[derive(Debug, PartialEq)]
enum StrongPiece {
    Text(String),
    Open,
    Close,
}

fn split_cjk_strong(text: &str) -> Vec<StrongPiece> {
    let positions: Vec<usize> = text.match_indices("**").map(|(i, _)| i).collect();
    let mut pairs = Vec::new();
    let mut i = 0;
    while i + 1 < positions.len() {
        let (open, close) = (positions[i], positions[i + 1]);
        if close < open + 3 {
            i += 1;
            continue;
        }
        let inner = &text[open + 2..close];
        let first = inner.chars().next();
        let last = inner.chars().last();
        let before = text[..open].chars().last();
        let after = text[close + 2..].chars().next();
        let spaced = first.is_none_or(char::is_whitespace) || last.is_none_or(char::is_whitespace);
        let touches_wide = [first, last, before, after]
            .iter()
            .flatten()
            .any(|c| is_wide(*c));
        if !spaced && touches_wide && !inner.contains("**") {
            pairs.push((open, close));
            i += 2;
        } else {
            i += 1;
        }
    }
    if pairs.is_empty() {
        return vec![StrongPiece::Text(text.to_string())];
    }
    let mut pieces = Vec::new();
    let mut at = 0;
    for (open, close) in pairs {
        if open > at {
            pieces.push(StrongPiece::Text(text[at..open].to_string()));
        }
        pieces.push(StrongPiece::Open);
        pieces.push(StrongPiece::Text(text[open + 2..close].to_string()));
        pieces.push(StrongPiece::Close);
        at = close + 2;
    }
    if at < text.len() {
        pieces.push(StrongPiece::Text(text[at..].to_string()));
    }
    pieces
}

/// A readable anchor id for a heading: Japanese and other letters kept,
/// ASCII lower-cased, spaces to `-`, punctuation dropped.
pub fn slugify(text: &str) -> String {
    let mut out = String::new();
    let mut pending_dash = false;
    for c in text.trim().chars() {
        if c.is_whitespace() || c == '-' || c == '\u{3000}' {
            pending_dash = !out.is_empty();
        } else if c.is_alphanumeric() || c == '_' {
            if pending_dash {
                out.push('-');
                pending_dash = false;
            }
            if c.is_ascii() {
                out.push(c.to_ascii_lowercase());
            } else {
                out.extend(c.to_lowercase());
            }
        }
    }
    if out.is_empty() {
        "section".to_string()
    } else {
        out
    }
}

fn heading_level(level: HeadingLevel) -> u8 {
    match level {
        HeadingLevel::H1 => 1,
        HeadingLevel::H2 => 2,
        HeadingLevel::H3 => 3,
        HeadingLevel::H4 => 4,
        HeadingLevel::H5 => 5,
        HeadingLevel::H6 => 6,
    }
}

/// Gives every heading an id: its `{#id}` if written, else a slug of its
/// text made unique within the page (`-1`, `-2`, … for repeats).
fn assign_heading_ids(
    mut events: Vec<(Event<'_>, Range<usize>)>,
) -> Vec<(Event<'_>, Range<usize>)> {
    let mut used: std::collections::HashSet<String, foldhash::fast::FixedState> =
        Default::default();
    let mut next_suffix: std::collections::HashMap<String, usize, foldhash::fast::FixedState> =
        Default::default();
    // Explicit ids first, so generated ones never collide with them.
    for (ev, _) in &events {
        if let Event::Start(Tag::Heading { id: Some(id), .. }) = ev {
            used.insert(id.to_string());
        }
    }
    let mut i = 0;
    while i < events.len() {
        if let Event::Start(Tag::Heading { id: None, .. }) = &events[i].0 {
            let text = heading_text(&events[i + 1..]);
            let base = slugify(&text);
            let id = if used.contains(&base) {
                // Resume each base's numbering where it stopped, so n
                // repeats of one heading cost O(n), not O(n²).
                let n = next_suffix.entry(base.clone()).or_insert(1);
                let mut id = format!("{base}-{n}");
                *n += 1;
                while used.contains(&id) {
                    id = format!("{base}-{n}");
                    *n += 1;
                }
                id
            } else {
                base
            };
            used.insert(id.clone());
            if let Event::Start(Tag::Heading { id: slot, .. }) = &mut events[i].0 {
                *slot = Some(CowStr::from(id));
            }
        }
        i += 1;
    }
    events
}

/// Plain text of the inline events up to the end of the current heading.
fn heading_text(events: &[(Event<'_>, Range<usize>)]) -> String {
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

/// Reads `[!KIND]` at the start of a block quote's first paragraph.
fn admonition_marker(events: &[(Event<'_>, Range<usize>)], i: usize) -> Option<String> {
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
    Some(kind.to_string())
}

/// Parses a `{{#name arg}}` paragraph text.
fn parse_directive(text: &str) -> Option<(String, String)> {
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
fn directive_at(events: &[(Event<'_>, Range<usize>)], i: usize) -> Option<Directive> {
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
    scan_events(body, &events(body))
}

/// [`scan`] of a body parsed already.
fn scan_events(body: &str, events: &[(Event<'_>, Range<usize>)]) -> Scan {
    let mut scan = Scan::default();
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
                let offset = body[range.clone()]
                    .find(dest_url.as_ref())
                    .map_or(range.start, |o| range.start + o);
                scan.links.push(LinkRef {
                    dest: dest_url.to_string(),
                    offset,
                });
            }
            Event::Html(html) | Event::InlineHtml(html) => {
                scan.html_ids
                    .extend(html_attr_values(html, "id").into_iter().map(|(v, _)| v));
                for (dest, off) in html_urls(html) {
                    let offset = body[range.clone()]
                        .find(html.as_ref())
                        .map_or(range.start, |o| range.start + o + off);
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

/// Open block quote: what to close it with.
enum Quote {
    Plain,
    Admonition,
    Notes,
    /// A block whose events go to another part of the slide ([`to_slides`]).
    Routed,
}

/// One slide of a deck, as HTML (see [`to_slides`]).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SlideHtml {
    /// What the audience sees.
    pub html: String,
    /// The inside of the slide's `> [!講師メモ]` blocks (speaker view only).
    pub notes: String,
    /// The slide's `> [!解説]` blocks: written for readers, so in a deck they
    /// go to the speaker view, not on the slide.
    pub commentary: String,
    /// Plain text and id of the slide's first heading.
    pub heading: Option<(String, String)>,
    /// Byte offset in the body where the slide starts (its heading or
    /// `<!-- slide -->` line; 0 for the title slide).
    pub start: usize,
}

/// Where an output event goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Sink {
    Body,
    Notes,
    Commentary,
}

/// Output events, split into slides and sinks.
#[derive(Default)]
struct Part<'a> {
    body: Vec<Event<'a>>,
    /// Indices into `body` of events that are not page text (directives).
    quiet: Vec<usize>,
    notes: Vec<Event<'a>>,
    commentary: Vec<Event<'a>>,
    heading: Option<(String, String)>,
    /// Byte offset of the event that started the part.
    start: usize,
}

impl Part<'_> {
    fn is_empty(&self) -> bool {
        let blank = |evs: &[Event<'_>]| {
            evs.iter().all(|e| match e {
                Event::Html(h) | Event::Text(h) => h.trim().is_empty(),
                Event::SoftBreak => true,
                _ => false,
            })
        };
        blank(&self.body) && blank(&self.notes) && blank(&self.commentary)
    }
}

struct Out<'a> {
    parts: Vec<Part<'a>>,
    sinks: Vec<Sink>,
}

impl<'a> Out<'a> {
    fn push(&mut self, ev: Event<'a>) {
        let sink = self.sinks.last().copied().unwrap_or(Sink::Body);
        if let Some(part) = self.parts.last_mut() {
            match sink {
                Sink::Body => part.body.push(ev),
                Sink::Notes => part.notes.push(ev),
                Sink::Commentary => part.commentary.push(ev),
            }
        }
    }
}

/// What starts a new slide at a source event.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Break {
    /// A top-level `#` (true) or `##` (false) heading.
    Heading(bool),
    /// A top-level `<!-- slide -->` HTML block, up to this event index
    /// (exclusive): the marker itself is not output.
    Marker(usize),
}

/// The explicit slide break marker.
pub const SLIDE_MARKER: &str = "<!-- slide -->";

/// Finds where slides start: top-level level-1/2 headings and
/// `<!-- slide -->` on a line of its own.
fn slide_breaks(events: &[(Event<'_>, Range<usize>)]) -> Vec<Option<Break>> {
    let mut breaks = vec![None; events.len()];
    let mut depth = 0usize;
    for (i, (ev, _)) in events.iter().enumerate() {
        match ev {
            Event::Start(tag) => {
                if depth == 0 {
                    match tag {
                        Tag::Heading {
                            level: level @ (HeadingLevel::H1 | HeadingLevel::H2),
                            ..
                        } => breaks[i] = Some(Break::Heading(*level == HeadingLevel::H1)),
                        Tag::HtmlBlock => {
                            let mut text = String::new();
                            let mut end = i + 1;
                            while let Some((Event::Html(h), _)) = events.get(end) {
                                text.push_str(h);
                                end += 1;
                            }
                            if text.trim() == SLIDE_MARKER
                                && matches!(
                                    events.get(end),
                                    Some((Event::End(TagEnd::HtmlBlock), _))
                                )
                            {
                                breaks[i] = Some(Break::Marker(end + 1));
                            }
                        }
                        _ => {}
                    }
                }
                depth += 1;
            }
            Event::End(_) => depth = depth.saturating_sub(1),
            _ => {}
        }
    }
    breaks
}

/// Footnotes as readers of the web expect them: every definition gathered
/// at the end of the page in one numbered list (numbered by first
/// reference), each reference a superscript link to it with a stable id
/// from its label (`fn-label`, `fnref-label`, `fnref-label-2` for a second
/// reference) and each note with links back to where it is referenced.
/// Definitions no one references are listed too, after the others, so no
/// text is lost; a reference without a definition stays as written.
/// Events with their byte ranges.
type Spanned<'a> = Vec<(Event<'a>, Range<usize>)>;

fn gather_footnotes(events: Spanned<'_>) -> Spanned<'_> {
    if !events
        .iter()
        .any(|(e, _)| matches!(e, Event::Start(Tag::FootnoteDefinition(_))))
    {
        return events;
    }
    // Take the definitions out of the flow; the first of a label counts.
    // Labels are looked up in maps, not lists: a page of 40,000 notes took
    // 10 s with a list search per reference and per note.
    let mut defs: Vec<(String, Spanned<'_>)> = Vec::new();
    let mut def_of: HashMap<String, usize> = HashMap::new();
    let mut flow = Vec::with_capacity(events.len());
    let mut current: Option<(String, Spanned<'_>, usize)> = None;
    for (ev, range) in events {
        if let Some((_, body, depth)) = &mut current {
            match &ev {
                Event::Start(Tag::FootnoteDefinition(_)) => *depth += 1,
                Event::End(TagEnd::FootnoteDefinition) => {
                    *depth -= 1;
                    if *depth == 0 {
                        if let Some((label, body, _)) = current.take() {
                            if !def_of.contains_key(&label) {
                                def_of.insert(label.clone(), defs.len());
                                defs.push((label, body));
                            }
                        }
                        continue;
                    }
                }
                _ => {}
            }
            body.push((ev, range));
            continue;
        }
        if let Event::Start(Tag::FootnoteDefinition(label)) = &ev {
            current = Some((label.to_string(), Vec::new(), 1));
            continue;
        }
        flow.push((ev, range));
    }
    let id_of = |label: &str| format!("fn-{}", slugify(label));
    let ref_of = |label: &str, k: usize| match k {
        1 => format!("fnref-{}", slugify(label)),
        k => format!("fnref-{}-{k}", slugify(label)),
    };
    // Number the notes by first reference (`order`: definitions by number;
    // `number`: 1-based, 0 while unreferenced); count references per note.
    let mut order: Vec<usize> = Vec::new();
    let mut number: Vec<usize> = vec![0; defs.len()];
    let mut refs: Vec<usize> = vec![0; defs.len()];
    let mut out = Vec::with_capacity(flow.len() + 16);
    for (ev, range) in flow {
        let Event::FootnoteReference(label) = &ev else {
            out.push((ev, range));
            continue;
        };
        let Some(&d) = def_of.get(label.as_ref()) else {
            out.push((Event::Text(CowStr::from(format!("[^{label}]"))), range));
            continue;
        };
        if number[d] == 0 {
            order.push(d);
            number[d] = order.len();
        }
        let n = number[d];
        refs[d] += 1;
        let label = &defs[d].0;
        let id = id_of(label);
        let ref_id = ref_of(label, refs[d]);
        out.push((
            Event::Html(CowStr::from(format!(
                "<sup class=\"footnote-ref\"><a href=\"#{id}\" id=\"{ref_id}\" aria-label=\"脚注{n}\">{n}</a></sup>",
                id = escape_attr(&id),
                ref_id = escape_attr(&ref_id),
            ))),
            range,
        ));
    }
    order.extend((0..defs.len()).filter(|&d| number[d] == 0));
    out.push((
        Event::Html(CowStr::from(
            "<section class=\"footnotes\" aria-label=\"脚注\">\n<ol>\n",
        )),
        0..0,
    ));
    for d in order {
        let (label, mut body) = std::mem::take(&mut defs[d]);
        let label = label.as_str();
        let id = id_of(label);
        let count = refs[d];
        let back: String = (1..=count)
            .map(|k| {
                format!(
                    " <a href=\"#{}\" class=\"footnote-backref\" aria-label=\"本文の参照{}に戻る\">↩</a>",
                    escape_attr(&ref_of(label, k)),
                    if count > 1 { format!("{k}") } else { String::new() },
                )
            })
            .collect();
        out.push((
            Event::Html(CowStr::from(format!("<li id=\"{}\">", escape_attr(&id)))),
            0..0,
        ));
        // The back-links go inside the last paragraph, as on GitHub.
        let last_para = matches!(body.last(), Some((Event::End(TagEnd::Paragraph), _)));
        if last_para {
            let end = body.pop();
            body.push((Event::InlineHtml(CowStr::from(back)), 0..0));
            body.extend(end);
        } else {
            body.push((Event::Html(CowStr::from(back)), 0..0));
        }
        out.extend(body);
        out.push((Event::Html(CowStr::from("</li>\n")), 0..0));
    }
    out.push((Event::Html(CowStr::from("</ol>\n</section>\n")), 0..0));
    out
}

/// A Markdown body parsed once, with kenshu's transformations applied:
/// what the page, its slide deck and its search text are all written from.
pub struct Parsed<'a> {
    events: Spanned<'a>,
}

/// Parses a Markdown body (see [`Parsed`]).
pub fn parse(body: &str) -> Parsed<'_> {
    Parsed {
        events: events(body),
    }
}

/// An event as [`Kept`] stores it: 24 bytes where an `Event` takes 88 (a
/// large site's kept events would otherwise outweigh its text). Strings are
/// slices of the body; tags without data are stored as their end.
enum Stored<'a> {
    Text(&'a str),
    Code(&'a str),
    Html(&'a str),
    InlineHtml(&'a str),
    SoftBreak,
    HardBreak,
    /// The start of a tag that carries nothing but its kind.
    Start(TagEnd),
    End(TagEnd),
    Other(Box<Event<'a>>),
}

/// Events as [`Kept`] stores them, with their byte ranges.
type Tape<'a> = Vec<(Stored<'a>, [u32; 2])>;

/// The tag `end` closes, for the tags that carry nothing else.
fn plain_start(end: TagEnd) -> Option<Tag<'static>> {
    Some(match end {
        TagEnd::Paragraph => Tag::Paragraph,
        TagEnd::BlockQuote(kind) => Tag::BlockQuote(kind),
        TagEnd::HtmlBlock => Tag::HtmlBlock,
        TagEnd::Item => Tag::Item,
        TagEnd::DefinitionList => Tag::DefinitionList,
        TagEnd::DefinitionListTitle => Tag::DefinitionListTitle,
        TagEnd::DefinitionListDefinition => Tag::DefinitionListDefinition,
        TagEnd::TableHead => Tag::TableHead,
        TagEnd::TableRow => Tag::TableRow,
        TagEnd::TableCell => Tag::TableCell,
        TagEnd::Emphasis => Tag::Emphasis,
        TagEnd::Strong => Tag::Strong,
        TagEnd::Strikethrough => Tag::Strikethrough,
        TagEnd::Superscript => Tag::Superscript,
        TagEnd::Subscript => Tag::Subscript,
        _ => return None,
    })
}

fn store<'a>((ev, range): (Event<'a>, Range<usize>)) -> (Stored<'a>, [u32; 2]) {
    let stored = match ev {
        Event::Text(CowStr::Borrowed(s)) => Stored::Text(s),
        Event::Code(CowStr::Borrowed(s)) => Stored::Code(s),
        Event::Html(CowStr::Borrowed(s)) => Stored::Html(s),
        Event::InlineHtml(CowStr::Borrowed(s)) => Stored::InlineHtml(s),
        Event::SoftBreak => Stored::SoftBreak,
        Event::HardBreak => Stored::HardBreak,
        Event::End(end) => Stored::End(end),
        Event::Start(tag) if plain_start(tag.to_end()).as_ref() == Some(&tag) => {
            Stored::Start(tag.to_end())
        }
        other => Stored::Other(Box::new(other)),
    };
    // Bodies over 4 GiB are not kept (see `Kept::parse`).
    (stored, [range.start as u32, range.end as u32])
}

fn unstore<'a>((stored, [start, end]): (Stored<'a>, [u32; 2])) -> (Event<'a>, Range<usize>) {
    let ev = match stored {
        Stored::Text(s) => Event::Text(CowStr::Borrowed(s)),
        Stored::Code(s) => Event::Code(CowStr::Borrowed(s)),
        Stored::Html(s) => Event::Html(CowStr::Borrowed(s)),
        Stored::InlineHtml(s) => Event::InlineHtml(CowStr::Borrowed(s)),
        Stored::SoftBreak => Event::SoftBreak,
        Stored::HardBreak => Event::HardBreak,
        Stored::Start(end) => match plain_start(end) {
            Some(tag) => Event::Start(tag),
            None => Event::End(end),
        },
        Stored::End(end) => Event::End(end),
        Stored::Other(ev) => *ev,
    };
    (ev, start as usize..end as usize)
}

self_cell::self_cell!(
    /// A body with its events, parsed when the page is loaded and kept for
    /// rendering it, so that a page's Markdown is parsed once in a build:
    /// [`Kept::parse`] gives `load` what it needs, [`Kept::render_with`]
    /// hands the events to `render`.
    pub struct Kept {
        owner: String,
        #[covariant]
        dependent: Tape,
    }
);

impl Kept {
    /// Parses `body`: what `load` needs to know of it (see [`scan`]), and
    /// the body with its events when it can be kept (under 4 GiB).
    pub fn parse(body: String) -> (Scan, Option<Kept>) {
        if u32::try_from(body.len()).is_err() {
            return (scan(&body), None);
        }
        let mut found = Scan::default();
        let kept = Kept::new(body, |b| {
            let events = events(b);
            found = scan_events(b, &events);
            // A new allocation of the exact size (`collect` would reuse
            // the events' larger one).
            let mut tape = Vec::with_capacity(events.len());
            tape.extend(events.into_iter().map(store));
            tape
        });
        (found, Some(kept))
    }

    /// The body as parsed.
    pub fn body(&self) -> &str {
        self.borrow_owner()
    }

    /// Runs `f` on the parsed body, as [`parse`] would give it.
    pub fn render_with<R>(mut self, f: impl for<'a> FnOnce(Parsed<'a>) -> R) -> R {
        self.with_dependent_mut(|_, tape| {
            f(Parsed {
                events: std::mem::take(tape).into_iter().map(unstore).collect(),
            })
        })
    }
}

/// A page body written out: its HTML and, when asked for, its plain text
/// by section (for search) from the same pass.
pub struct Rendered {
    pub html: String,
    pub text: Vec<SectionText>,
}

/// Renders a Markdown body to HTML.
pub fn to_html(body: &str, cx: &HtmlContext<'_>) -> String {
    render(parse(body), cx, None).html
}

/// Renders a parsed body to HTML; with `text_title` (the page title), also
/// collects the page's plain text by section, leaving out what the reader
/// does not read as text: directives (exercises), image alt text, and
/// speaker notes when `cx.notes` hides them.
pub fn render(parsed: Parsed<'_>, cx: &HtmlContext<'_>, text_title: Option<&str>) -> Rendered {
    let events = gather_footnotes(parsed.events);
    let parts = render_parts(&events, cx, false);
    // Room for the markup and the text (a long code block is written into
    // the page once, not copied each time the page's string doubles).
    let text_len: usize = parts
        .iter()
        .flat_map(|p| &p.body)
        .map(|ev| match ev {
            Event::Html(t) | Event::Text(t) => t.len(),
            _ => 0,
        })
        .sum();
    let mut html = String::with_capacity(events.len() * 16 + text_len);
    let mut writer = text_title.map(text::TextWriter::new);
    for part in parts {
        if let Some(w) = &mut writer {
            let mut quiet = part.quiet.iter().peekable();
            for (i, ev) in part.body.iter().enumerate() {
                if quiet.peek() == Some(&&i) {
                    quiet.next();
                    continue;
                }
                w.event(ev);
            }
        }
        pulldown_cmark::html::push_html(&mut html, part.body.into_iter());
    }
    Rendered {
        html,
        text: writer.map(text::TextWriter::finish).unwrap_or_default(),
    }
}

/// Renders a Markdown body as slides (see [`slides`]).
pub fn to_slides(body: &str, cx: &HtmlContext<'_>) -> Vec<SlideHtml> {
    slides(&parse(body), cx)
}

/// Renders a parsed body as slides: everything before the first `##`
/// heading (the title slide, possibly empty), then one slide per top-level
/// `#`/`##` heading, plus one at every `<!-- slide -->` line. Speaker notes
/// and `解説` blocks are taken out of the slide into their own fields;
/// `cx.notes` is not used. Slides that would be empty are dropped (never
/// the first).
pub fn slides(parsed: &Parsed<'_>, cx: &HtmlContext<'_>) -> Vec<SlideHtml> {
    let parts = render_parts(&parsed.events, cx, true);
    let html = |evs: Vec<Event<'_>>| {
        let mut s = String::new();
        pulldown_cmark::html::push_html(&mut s, evs.into_iter());
        s
    };
    parts
        .into_iter()
        .enumerate()
        .filter(|(i, p)| *i == 0 || !p.is_empty())
        .map(|(_, p)| SlideHtml {
            html: html(p.body),
            notes: html(p.notes),
            commentary: html(p.commentary),
            heading: p.heading,
            start: p.start,
        })
        .collect()
}

/// The shared HTML writer: kenshu's events to output events, split into
/// slides and sinks when `slides` is set (else one part, all in `body`).
fn render_parts<'a>(
    events: &[(Event<'a>, Range<usize>)],
    cx: &HtmlContext<'_>,
    slides: bool,
) -> Vec<Part<'a>> {
    let breaks = if slides {
        slide_breaks(events)
    } else {
        vec![None; events.len()]
    };
    // A page is one part: room for all its events at once (a page of
    // 100,000 headings would otherwise copy them each time they double).
    let first = Part {
        body: Vec::with_capacity(if slides { 0 } else { events.len() }),
        ..Part::default()
    };
    let mut out = Out {
        parts: vec![first],
        sinks: Vec::new(),
    };
    let mut quotes: Vec<Quote> = Vec::new();
    // Depth of speaker-notes blocks being skipped (NotesMode::Hidden).
    let mut hidden_depth = 0usize;
    let mut i = 0;
    while i < events.len() {
        let ev = events[i].0.clone();
        if hidden_depth > 0 {
            match ev {
                Event::Start(Tag::BlockQuote(_)) => hidden_depth += 1,
                Event::End(TagEnd::BlockQuote(_)) => hidden_depth -= 1,
                _ => {}
            }
            i += 1;
            continue;
        }
        if let Some(brk) = breaks[i] {
            // A heading right after a break (or `#` at the very top) does
            // not leave an empty slide behind; `##` at the very top does:
            // the title slide comes first.
            let n = out.parts.len();
            let reuse = matches!(brk, Break::Heading(h1) if h1 || n > 1)
                && out.parts.last().is_some_and(|p| p.is_empty());
            if !reuse {
                out.parts.push(Part::default());
            }
            if let Some(part) = out.parts.last_mut() {
                part.start = events[i].1.start;
            }
            if let Break::Marker(end) = brk {
                i = end;
                continue;
            }
        }
        match ev {
            Event::Start(Tag::BlockQuote(kind)) => {
                if let Some(marker) = admonition_marker(events, i) {
                    let notes = marker == NOTES_MARKER;
                    let adm = ADMONITIONS.iter().find(|(k, _, _)| *k == marker);
                    if notes && cx.notes == NotesMode::Hidden && !slides {
                        hidden_depth = 1;
                        i += 1;
                        continue;
                    }
                    if notes || adm.is_some() {
                        let routed = slides && (notes || marker == "解説");
                        if slides && notes {
                            out.sinks.push(Sink::Notes);
                        } else {
                            if routed {
                                out.sinks.push(Sink::Commentary);
                            }
                            let open = if notes {
                                if cx.notes == NotesMode::Aside {
                                    "<aside class=\"notes\" aria-label=\"講師メモ\">".to_string()
                                } else {
                                    "<details class=\"speaker-notes\"><summary>講師メモ</summary>"
                                        .to_string()
                                }
                            } else {
                                let (_, class, label) =
                                    adm.copied().unwrap_or(("NOTE", "note", "メモ"));
                                format!(
                                    "<aside class=\"admonition {class}\" aria-label=\"{label}\"><p class=\"admonition-title\">{label}</p>"
                                )
                            };
                            out.push(Event::Html(CowStr::from(open)));
                        }
                        quotes.push(if routed {
                            Quote::Routed
                        } else if notes {
                            Quote::Notes
                        } else {
                            Quote::Admonition
                        });
                        // Skip the paragraph start, strip the marker text.
                        out.push(Event::Start(Tag::Paragraph));
                        if let Event::Text(t) = &events[i + 2].0 {
                            let rest = t
                                .strip_prefix(&format!("[!{marker}]"))
                                .unwrap_or(t)
                                .trim_start()
                                .to_string();
                            if !rest.is_empty() {
                                out.push(Event::Text(CowStr::from(rest)));
                            }
                        }
                        i += 3;
                        // A line break right after the marker is not content.
                        if matches!(
                            events.get(i),
                            Some((Event::SoftBreak | Event::HardBreak, _))
                        ) {
                            i += 1;
                        }
                        continue;
                    }
                }
                quotes.push(Quote::Plain);
                out.push(Event::Start(Tag::BlockQuote(kind)));
            }
            Event::End(TagEnd::BlockQuote(kind)) => match quotes.pop() {
                Some(Quote::Admonition) => out.push(Event::Html("</aside>".into())),
                Some(Quote::Notes) => out.push(Event::Html(
                    if cx.notes == NotesMode::Aside {
                        "</aside>"
                    } else {
                        "</details>"
                    }
                    .into(),
                )),
                Some(Quote::Routed) => {
                    if out.sinks.last() == Some(&Sink::Commentary) {
                        out.push(Event::Html("</aside>".into()));
                    }
                    out.sinks.pop();
                }
                _ => out.push(Event::End(TagEnd::BlockQuote(kind))),
            },
            Event::Start(Tag::Paragraph) => {
                if let Some(d) = directive_at(events, i) {
                    if let Some(part) = out.parts.last_mut() {
                        part.quiet.push(part.body.len());
                    }
                    out.push(Event::Html(CowStr::from((cx.directive)(&d))));
                    i += 3;
                    continue;
                }
                out.push(ev);
            }
            Event::Start(Tag::Heading { ref id, .. }) => {
                if slides && out.sinks.is_empty() {
                    if let Some(part) = out.parts.last_mut() {
                        if part.heading.is_none() {
                            part.heading = Some((
                                heading_text(&events[i + 1..]),
                                id.as_deref().unwrap_or_default().to_string(),
                            ));
                        }
                    }
                }
                out.push(ev);
            }
            Event::Start(Tag::Link {
                link_type,
                dest_url,
                title,
                id,
            }) => {
                out.push(Event::Start(Tag::Link {
                    link_type,
                    dest_url: CowStr::from((cx.link)(&dest_url)),
                    title,
                    id,
                }));
            }
            Event::Start(Tag::Image {
                link_type,
                dest_url,
                title,
                id,
            }) => {
                out.push(Event::Start(Tag::Image {
                    link_type,
                    dest_url: CowStr::from((cx.link)(&dest_url)),
                    title,
                    id,
                }));
            }
            Event::Html(html) => out.push(Event::Html(CowStr::from(rewrite_html(&html, cx)))),
            Event::InlineHtml(html) => {
                out.push(Event::InlineHtml(CowStr::from(rewrite_html(&html, cx))))
            }
            Event::Start(Tag::CodeBlock(kind)) => {
                let info = match &kind {
                    CodeBlockKind::Fenced(info) => crate::highlight::Info::parse(info),
                    CodeBlockKind::Indented => crate::highlight::Info::default(),
                };
                // The code: its one text event (merged), borrowed.
                let mut code = std::borrow::Cow::Borrowed("");
                i += 1;
                while let Some((ev, _)) = events.get(i) {
                    match ev {
                        Event::Text(t) if code.is_empty() => code = std::borrow::Cow::Borrowed(t),
                        Event::Text(t) => code.to_mut().push_str(t),
                        Event::End(TagEnd::CodeBlock) => break,
                        _ => {}
                    }
                    i += 1;
                }
                // A block too large to highlight is not page text for
                // search either: its text would be as large in the index
                // every reader's search downloads.
                if crate::highlight::too_large(code.len())
                    && matches!(out.sinks.last(), None | Some(Sink::Body))
                {
                    if let Some(part) = out.parts.last_mut() {
                        part.quiet.push(part.body.len());
                    }
                }
                out.push(Event::Html(CowStr::from(crate::highlight::code_block(
                    &code, &info,
                ))));
            }
            Event::Start(Tag::Table(align)) => {
                out.push(Event::Html("<div class=\"table-wrap\">".into()));
                out.push(Event::Start(Tag::Table(align)));
            }
            Event::End(TagEnd::Table) => {
                out.push(Event::End(TagEnd::Table));
                out.push(Event::Html("</div>".into()));
            }
            other => out.push(other),
        }
        i += 1;
    }
    out.parts
}

/// Rewrites `href`/`src` values in raw HTML through the link callback.
fn rewrite_html(html: &str, cx: &HtmlContext<'_>) -> String {
    let urls = html_urls(html);
    if urls.is_empty() {
        return html.to_string();
    }
    let mut out = String::with_capacity(html.len());
    let mut at = 0;
    for (value, offset) in urls {
        if offset < at {
            continue;
        }
        out.push_str(&html[at..offset]);
        let new = (cx.link)(&decode_entities(&value));
        out.push_str(&escape_attr(&new));
        at = offset + value.len();
    }
    out.push_str(&html[at..]);
    out
}

use text::decode_entities;
pub use text::SectionText;

/// Escapes a string for use inside a double-quoted HTML attribute (see
/// [`crate::html::escape`]).
pub use crate::html::escape as escape_attr;

#[cfg(test)]
mod large;
#[cfg(test)]
mod snapshots;
mod text;

#[cfg(test)]
mod tests {
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

/// A heading of a page: level, plain text and id.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Heading {
    pub level: u8,
    /// Plain text of the heading.
    pub text: String,
    pub id: String,
}
