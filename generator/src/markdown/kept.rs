//! A body parsed once ([`Parsed`]) and kept between `load` and `render`
//! in a compact tape ([`Kept`]).

use std::ops::Range;

use pulldown_cmark::{CowStr, Event, Tag, TagEnd};

use super::extensions::{Found, PageVars};
use super::scan::{in_one_code_block, scan_events, scan_with, Scan};
use super::{events, Spanned};
/// A Markdown body parsed once, with kenshu's transformations applied:
/// what the page, its slide deck and its search text are all written from.
pub struct Parsed<'a> {
    pub(super) events: Spanned<'a>,
}

/// Parses a Markdown body (see [`Parsed`]).
pub fn parse(body: &str) -> Parsed<'_> {
    parse_with(body, &PageVars::default())
}

/// Parses the body of a page whose front matter is `vars`.
pub fn parse_with<'a>(body: &'a str, vars: &PageVars) -> Parsed<'a> {
    Parsed {
        events: events(body, vars, &mut Found::default()),
    }
}

/// An event as [`Kept`] stores it: 24 bytes where an `Event` takes 88 (a
/// large site's kept events would otherwise outweigh its text). Strings are
/// slices of the body; tags without data are stored as their end.
pub(super) enum Stored<'a> {
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
pub(super) type Tape<'a> = Vec<(Stored<'a>, [u32; 2])>;

/// The tag `end` closes, for the tags that carry nothing else.
pub(super) fn plain_start(end: TagEnd) -> Option<Tag<'static>> {
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

pub(super) fn store<'a>((ev, range): (Event<'a>, Range<usize>)) -> (Stored<'a>, [u32; 2]) {
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

pub(super) fn unstore<'a>(
    (stored, [start, end]): (Stored<'a>, [u32; 2]),
) -> (Event<'a>, Range<usize>) {
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
        owner: std::sync::Arc<str>,
        #[covariant]
        dependent: Tape,
    }
);

impl Kept {
    /// Parses `body`: what `load` needs to know of it (see [`scan`]), and
    /// the body with its events when it can be kept (under 4 GiB).
    pub fn parse(body: impl Into<std::sync::Arc<str>>) -> (Scan, Option<Kept>) {
        Kept::parse_with(body, &PageVars::default())
    }

    /// [`Kept::parse`] of the body of a page whose front matter is `vars`.
    pub fn parse_with(
        body: impl Into<std::sync::Arc<str>>,
        vars: &PageVars,
    ) -> (Scan, Option<Kept>) {
        let body = body.into();
        if u32::try_from(body.len()).is_err() {
            return (scan_with(&body, vars), None);
        }
        let mut found = Scan::default();
        let kept = Kept::new(body, |b| {
            let mut extras = Found::default();
            let events = events(b, vars, &mut extras);
            found = scan_events(b, &events, extras);
            // A new allocation of the exact size (`collect` would reuse
            // the events' larger one).
            let mut tape = Vec::with_capacity(events.len());
            tape.extend(events.into_iter().map(store));
            tape
        });
        (found, Some(kept))
    }

    /// [`Kept::parse_with`] of a body into which `{{#include}}`s are
    /// expanded at `spans`: also whether each span lies in the code of one
    /// code block, as an expanded `{{#include}}` must (see
    /// [`super::scan::in_one_code_block`]). The body is kept when `keep`.
    pub fn parse_spans(
        body: impl Into<std::sync::Arc<str>>,
        vars: &PageVars,
        keep: bool,
        spans: &[Range<usize>],
    ) -> (Scan, Option<Kept>, Vec<bool>) {
        let body = body.into();
        fn parse<'a>(
            b: &'a str,
            vars: &PageVars,
            spans: &[Range<usize>],
            out: &mut (Scan, Vec<bool>),
        ) -> super::Spanned<'a> {
            let mut extras = Found::default();
            let events = events(b, vars, &mut extras);
            out.1 = in_one_code_block(&events, spans);
            out.0 = scan_events(b, &events, extras);
            events
        }
        let mut out = (Scan::default(), Vec::new());
        if !keep || u32::try_from(body.len()).is_err() {
            parse(&body, vars, spans, &mut out);
            return (out.0, None, out.1);
        }
        let kept = Kept::new(body, |b| {
            let events = parse(b, vars, spans, &mut out);
            let mut tape = Vec::with_capacity(events.len());
            tape.extend(events.into_iter().map(store));
            tape
        });
        (out.0, Some(kept), out.1)
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
