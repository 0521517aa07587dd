//! Where a slide deck's slides start, and what one slide holds.

use std::ops::Range;

use pulldown_cmark::{Event, HeadingLevel, Tag, TagEnd};

/// One slide of a deck, as HTML (see [`super::to_slides`]).
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

/// What starts a new slide at a source event.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Break {
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
pub(super) fn slide_breaks(events: &[(Event<'_>, Range<usize>)]) -> Vec<Option<Break>> {
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
