//! The HTML writer: kenshu's events to HTML (footnotes gathered,
//! admonitions, notes, directives, links in raw HTML rewritten), for a
//! page ([`render`]) or split into slides ([`super::slides`]).

use std::collections::HashMap;
use std::ops::Range;

use pulldown_cmark::{CodeBlockKind, CowStr, Event, Tag, TagEnd};

use super::kept::{parse, Parsed};
use super::scan::{admonition_marker, directive_at, html_urls, slugify};
use super::slides::{slide_breaks, Break, SlideHtml};
use super::text::heading_text;
use super::text::{self, decode_entities, SectionText};
use super::{escape_attr, HtmlContext, NotesMode, Spanned, ADMONITIONS, NOTES_MARKER};
/// Open block quote: what to close it with.
pub(super) enum Quote {
    Plain,
    Admonition,
    Notes,
    /// A block whose events go to another part of the slide ([`to_slides`]).
    Routed,
}

/// Where an output event goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Sink {
    Body,
    Notes,
    Commentary,
}

/// Output events, split into slides and sinks.
#[derive(Default)]
pub(super) struct Part<'a> {
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

pub(super) struct Out<'a> {
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

/// Footnotes as readers of the web expect them: every definition gathered
/// at the end of the page in one numbered list (numbered by first
/// reference), each reference a superscript link to it with a stable id
/// from its label (`fn-label`, `fnref-label`, `fnref-label-2` for a second
/// reference) and each note with links back to where it is referenced.
/// Definitions no one references are listed too, after the others, so no
/// text is lost; a reference without a definition stays as written.
pub(super) fn gather_footnotes(events: Spanned<'_>) -> Spanned<'_> {
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
pub(super) fn render_parts<'a>(
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
                            // The marker as written (`[!note]` too).
                            let written = marker.len() + 3;
                            let rest = t
                                .get(..written)
                                .filter(|w| w.eq_ignore_ascii_case(&format!("[!{marker}]")))
                                .and_then(|_| t.get(written..))
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
pub(super) fn rewrite_html(html: &str, cx: &HtmlContext<'_>) -> String {
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
        let decoded = decode_entities(&value);
        let new = (cx.link)(&decoded);
        if new == decoded {
            // Not rewritten: the value as written, whose references the
            // browser decodes (`&ouml;`, which kenshu does not decode, was
            // escaped again: `&amp;ouml;`).
            out.push_str(&value);
        } else {
            out.push_str(&escape_attr(&new));
        }
        at = offset + value.len();
    }
    out.push_str(&html[at..]);
    out
}
