//! Slide decks: a page with `slides = true` is also written as a deck
//! (`lectures/jissen.html` → `lectures/jissen.slides.html`).
//!
//! The deck is one self-contained HTML page: every slide is in the page, the
//! controller (`assets/deck.js`, a classic script so it runs from file://)
//! shows one at a time, opens the speaker view (the same page with
//! `?view=speaker`) and keeps the two windows in step. Reading pages load
//! none of it.

use serde::Serialize;

use crate::diagnostic::Diagnostic;
use crate::markdown::{self, Directive, HtmlContext, NotesMode, SlideHtml};
use crate::model::{Page, Site};

use super::{exercise, href, page_cx, root_of};

pub mod fit;

/// The deck's output path for a page's output path.
pub fn deck_output(page_output: &str) -> String {
    match page_output.strip_suffix(".html") {
        Some(stem) => format!("{stem}.slides.html"),
        None => format!("{page_output}.slides.html"),
    }
}

/// The last path segment: a link from a file to a sibling file.
fn file_name(output: &str) -> &str {
    output.rsplit('/').next().unwrap_or(output)
}

/// The deck's URL relative to its reading page (they share a folder).
pub fn deck_url(page: &Page) -> String {
    super::url(file_name(&deck_output(&page.output)))
}

#[derive(Serialize)]
struct SlideCx {
    /// 1-based.
    n: usize,
    /// The slide's `##` heading, shown at one size above the content.
    title_html: String,
    /// For a slide started by `<!-- slide -->`: the section's title.
    continues: String,
    /// What the audience sees below the title (fitted by deck.js).
    html: String,
    notes: String,
    /// Blocks kept off the audience's slide (placeholders, editor notes).
    off_slide: String,
    commentary: String,
    /// Short title (overview, live region).
    title: String,
    /// Heading id on the reading page, for the link back.
    anchor: String,
    is_title: bool,
    /// The section's planned minutes (`目安：N分` in its notes).
    minutes: u32,
    /// When the notes are the section's, shown again on a slide that continues
    /// it: the number of the section's first slide (0 when they are its own).
    notes_from: usize,
    /// The section's slides, `first–last`, when it has more than one.
    #[serde(rename = "section")]
    section_span: String,
    /// The scale the content needs by the build's estimate (see `fit`).
    #[serde(skip)]
    needed_scale: f64,
    /// The smallest scale its text allows (see `fit::floor_scale`).
    #[serde(skip)]
    floor: fit::Floor,
    /// Whether the slide starts a section (a `##` heading, or the title slide).
    #[serde(skip)]
    section_start: bool,
    /// Byte offset in the page body where the slide starts.
    #[serde(skip)]
    start: usize,
    #[serde(skip)]
    has_embed: bool,
}

/// The first `<figure class="authors-figure">` of some HTML.
fn authors_figure(html: &str) -> Option<&str> {
    let at = html.find("<figure class=\"authors-figure\"")?;
    let end = at + html[at..].find("</figure>")? + "</figure>".len();
    Some(&html[at..end])
}

/// The slides of a page, with the title slide completed from the page's
/// title and description when the body does not start with a `#` heading.
fn slides(
    site: &Site,
    page: &Page,
    parsed: &markdown::Parsed<'_>,
) -> Result<Vec<SlideCx>, Diagnostic> {
    let link = |dest: &str| href(site, page, dest);
    let failed = std::cell::RefCell::new(None);
    let directive = |d: &Directive| {
        // Clicks and swipes inside an embed are the embed's own.
        format!(
            "<div class=\"deck-embed\">{}</div>",
            exercise::directive_or_error(site, page, d, &failed)
        )
    };
    let raw: Vec<SlideHtml> = markdown::slides(
        parsed,
        &HtmlContext {
            link: &link,
            directive: &directive,
            notes: NotesMode::Aside,
        },
    );
    let mut out: Vec<SlideCx> = Vec::with_capacity(raw.len());
    // A section written for the reading page only, with the slides that continue it.
    let mut skipping = false;
    for (i, s) in raw.into_iter().enumerate() {
        let is_title = i == 0;
        if !is_title {
            if s.heading.is_some() {
                skipping = fit::heading_is_off_slide(&s.html);
            }
            if skipping {
                continue;
            }
        }
        let (mut html, removed) = fit::take_off_slide(&s.html);
        if is_title && !html.contains("<h1") {
            let mut head = format!("<h1>{}</h1>\n", crate::html::escape(&page.title));
            if !page.description.is_empty() {
                head.push_str(&format!(
                    "<p class=\"deck-subtitle\">{}</p>\n",
                    crate::html::escape(&page.description)
                ));
            }
            html = head + &html;
        }
        // A figure the source lost: the course authors' figure, captioned as theirs, takes
        // its place on the slide when the slide's 解説 has one.
        let lost_figure = removed.iter().any(|r| r.contains("figure-omitted"));
        if lost_figure {
            if let Some(fig) = authors_figure(&s.commentary) {
                html.push_str(fig);
                html.push('\n');
            }
        }
        let (title_html, content) = if is_title {
            (None, html.as_str())
        } else {
            fit::split_title(&html)
        };
        let has_heading = s.heading.is_some();
        let (title, anchor) = match s.heading {
            Some((text, id)) if !is_title => (text, id),
            Some((_, id)) => (page.title.clone(), id),
            None if is_title => (page.title.clone(), String::new()),
            None => {
                // A slide started by `<!-- slide -->`: it continues the
                // previous one.
                let prev = out.last();
                (
                    prev.map(|p| format!("{}（続き）", p.title.trim_end_matches("（続き）")))
                        .unwrap_or_default(),
                    prev.map(|p| p.anchor.clone()).unwrap_or_default(),
                )
            }
        };
        let continues = if title_html.is_none() && !is_title {
            out.last()
                .map(|p| p.title.trim_end_matches("（続き）").to_string())
                .unwrap_or_default()
        } else {
            String::new()
        };
        let title_for_fit = match (&title_html, continues.is_empty()) {
            (Some(t), _) => Some(t.to_string()),
            // The title of a continuing slide ends with （続き） (smaller, but it takes room).
            (None, false) => Some(format!(
                "<h2>{}（続き）</h2>",
                crate::html::escape(&continues)
            )),
            (None, true) => None,
        };
        // Content that does not fit at the readable floor is split into slides that do.
        let section_title = title.trim_end_matches("（続き）").to_string();
        let cont_title = format!("<h2>{}（続き）</h2>", crate::html::escape(&section_title));
        let parts = if is_title
            || content.contains("class=\"deck-embed\"")
            || fit::fits(title_for_fit.as_deref(), content)
        {
            vec![content.to_string()]
        } else {
            fit::split(title_for_fit.as_deref(), &cont_title, content)
        };
        let minutes = fit::planned_minutes(&s.notes).unwrap_or(0);
        for (j, part) in parts.into_iter().enumerate() {
            let first = j == 0;
            let fit_title = if first {
                title_for_fit.clone()
            } else {
                Some(cont_title.clone())
            };
            out.push(SlideCx {
                n: out.len() + 1,
                title_html: if first {
                    title_html.unwrap_or_default().to_string()
                } else {
                    String::new()
                },
                continues: if first {
                    continues.clone()
                } else {
                    section_title.clone()
                },
                has_embed: part.contains("class=\"deck-embed\""),
                needed_scale: fit::needed_scale(fit_title.as_deref(), &part),
                floor: fit::floor_scale(&part),
                html: part,
                notes: if first {
                    s.notes.clone()
                } else {
                    String::new()
                },
                notes_from: 0,
                off_slide: if first {
                    removed.join("\n")
                } else {
                    String::new()
                },
                commentary: if first {
                    s.commentary.clone()
                } else {
                    String::new()
                },
                title: if first {
                    title.clone()
                } else {
                    format!("{section_title}（続き）")
                },
                anchor: anchor.clone(),
                is_title,
                minutes,
                start: s.start,
                section_start: first && (is_title || has_heading),
                section_span: String::new(),
            });
        }
    }
    share_section_notes(&mut out);
    match failed.into_inner() {
        Some(e) => Err(e),
        None => Ok(out),
    }
}

/// Every slide of a section carries the section's notes: those written after
/// a `<!-- slide -->` break (or on a part the build split off) belong to the
/// whole section, and the lecturer needs them from its first slide on.
fn share_section_notes(slides: &mut [SlideCx]) {
    let mut i = 0;
    while i < slides.len() {
        let mut j = i + 1;
        while j < slides.len() && !slides[j].section_start {
            j += 1;
        }
        if j - i > 1 {
            let notes: Vec<&str> = slides[i..j]
                .iter()
                .map(|s| s.notes.trim())
                .filter(|n| !n.is_empty())
                .collect();
            let notes = notes.join("\n");
            let minutes = fit::planned_minutes(&notes).unwrap_or(0);
            let span = format!("{}〜{}", slides[i].n, slides[j - 1].n);
            let first = slides[i].n;
            for (k, s) in slides[i..j].iter_mut().enumerate() {
                s.notes = notes.clone();
                s.notes_from = if k == 0 || notes.is_empty() { 0 } else { first };
                s.section_span = span.clone();
                s.minutes = minutes;
            }
        }
        i = j;
    }
}

/// The values of `attr="…"` in `html`, in order.
fn attr_values<'a>(html: &'a str, attr: &str) -> Vec<&'a str> {
    let needle = format!(" {attr}=\"");
    let mut out = Vec::new();
    let mut rest = html;
    while let Some(at) = rest.find(&needle) {
        let value = &rest[at + needle.len()..];
        let end = value.find('"').unwrap_or(value.len());
        out.push(&value[..end]);
        rest = &value[end..];
    }
    out
}

/// A link to a part of the same page that no slide shows (a `.reading-only`
/// section such as 出典) leads to that part of the reading page instead of
/// nowhere.
fn retarget_fragments(slides: &mut [SlideCx], reading_page: &str) {
    let mut ids: std::collections::HashSet<String> = std::collections::HashSet::new();
    for s in slides.iter() {
        ids.insert(s.anchor.clone());
        for html in [&s.title_html, &s.html, &s.notes, &s.commentary] {
            ids.extend(attr_values(html, "id").into_iter().map(str::to_string));
        }
    }
    let on_slides = |fragment: &str| {
        ids.contains(fragment)
            || crate::html::percent_decode(fragment).is_some_and(|d| ids.contains(&d))
    };
    let page = super::url(reading_page);
    for s in slides.iter_mut() {
        for html in [
            &mut s.title_html,
            &mut s.html,
            &mut s.notes,
            &mut s.commentary,
        ] {
            let missing: Vec<String> = attr_values(html, "href")
                .into_iter()
                .filter_map(|h| h.strip_prefix('#'))
                .filter(|f| !f.is_empty() && !on_slides(f))
                .map(str::to_string)
                .collect();
            for f in missing {
                *html = html.replace(&format!(" href=\"#{f}\""), &format!(" href=\"{page}#{f}\""));
            }
        }
    }
}

/// Warnings for a deck: slides whose content cannot be shown with body
/// text at the readable floor (see [`fit::FLOOR`]). Collected while the
/// deck renders ([`render_deck_warned`]), so no page is parsed for them.
fn slide_warnings(page: &Page, slides: &[SlideCx]) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    {
        let lines = crate::diagnostic::LineIndex::new(&page.body);
        for s in slides {
            let (line, column) = lines.line_col(s.start);
            let at = |message: String, hint: String| Diagnostic {
                file: page.source.clone(),
                line: line + page.body_line,
                column,
                message,
                hint: Some(hint),
            };
            if let Some((px, want)) = s.floor.small_figure {
                out.push(at(
                    format!(
                        "slide {} of {}: a figure's smallest label would be {px:.0} px at \
                         1280 × 720, under the readable floor of {:.0} px",
                        s.n,
                        page.source.display(),
                        fit::MIN_PX
                    ),
                    format!(
                        "draw its text with font-size {want:.0} or more for its viewBox \
                         (or make the viewBox narrower); slide text never shrinks below {:.0} px",
                        fit::MIN_PX
                    ),
                ));
            }
            if s.has_embed || s.needed_scale >= s.floor.scale - 0.05 - 1e-9 {
                continue;
            }
            out.push(at(
                format!(
                    "slide {} of {} is overfull: its text would have to shrink to {:.0} % \
                     (body {:.0} px) to fit 1280 × 720; it scrolls instead",
                    s.n,
                    page.source.display(),
                    s.needed_scale * 100.0,
                    s.needed_scale * 30.0
                ),
                format!(
                    "split it with a `{}` line, or move detail to the reading page \
                     (class=\"reading-only\"); slide text never shrinks below 24 px",
                    markdown::SLIDE_MARKER
                ),
            ));
        }
    }
    out
}

/// Renders the deck of page `ix` (which has `slides = true`).
pub fn render_deck(
    site: &Site,
    ix: usize,
    parsed: &markdown::Parsed<'_>,
) -> Result<String, Diagnostic> {
    render_deck_warned(site, ix, parsed).0
}

/// [`render_deck`], with the deck's warnings (overfull slides, figures
/// under the floor). A template error is the deck's own error, and then
/// there are no warnings.
pub fn render_deck_warned(
    site: &Site,
    ix: usize,
    parsed: &markdown::Parsed<'_>,
) -> (Result<String, Diagnostic>, Vec<Diagnostic>) {
    let page = &site.pages[ix];
    let mut slides = match slides(site, page, parsed) {
        Ok(s) => s,
        Err(e) => return (Err(e), Vec::new()),
    };
    let warnings = slide_warnings(page, &slides);
    retarget_fragments(&mut slides, file_name(&page.output));
    (deck_html(site, page, &slides), warnings)
}

/// The deck page of `page` around its `slides`.
fn deck_html(site: &Site, page: &Page, slides: &[SlideCx]) -> Result<String, Diagnostic> {
    let output = deck_output(&page.output);
    let root = root_of(&output);

    let mut cx = page_cx(site, &root, &page.title);
    cx.insert("description", &page.description);
    cx.insert("page_url", &super::url(file_name(&page.output)));
    cx.insert("deck_id", &output);
    cx.insert("total", &slides.len());
    cx.insert("slides", slides);
    cx.insert("head_extra", &exercise::head_html(site, page));
    cx.insert("body_extra", &exercise::body_end_html(site, page));
    site.theme.render("deck.html", &cx, &output)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn links_to_sections_left_off_the_slides_lead_to_the_reading_page() {
        let slide = |anchor: &str, html: &str| SlideCx {
            n: 1,
            title_html: String::new(),
            continues: String::new(),
            has_embed: false,
            html: html.to_string(),
            notes: String::new(),
            off_slide: String::new(),
            commentary: String::new(),
            title: String::new(),
            anchor: anchor.to_string(),
            is_title: false,
            minutes: 0,
            notes_from: 0,
            section_span: String::new(),
            needed_scale: 1.0,
            floor: fit::floor_scale(""),
            section_start: true,
            start: 0,
        };
        let mut slides = vec![
            slide(
                "a",
                "<p><a href=\"#b\">b</a> <a href=\"#shutten\">出典</a></p>",
            ),
            slide("b", "<h3 id=\"c\">c</h3><a href=\"#c\">c</a>"),
        ];
        retarget_fragments(&mut slides, "rinen.html");
        assert_eq!(
            slides[0].html,
            "<p><a href=\"#b\">b</a> <a href=\"rinen.html#shutten\">出典</a></p>"
        );
        assert_eq!(slides[1].html, "<h3 id=\"c\">c</h3><a href=\"#c\">c</a>");
    }

    #[test]
    fn every_slide_of_a_section_carries_its_notes() {
        let slide = |n: usize, start: bool, notes: &str| SlideCx {
            n,
            title_html: String::new(),
            continues: String::new(),
            has_embed: false,
            html: String::new(),
            notes: notes.to_string(),
            off_slide: String::new(),
            commentary: String::new(),
            title: String::new(),
            anchor: String::new(),
            is_title: n == 1,
            minutes: 0,
            notes_from: 0,
            section_span: String::new(),
            needed_scale: 1.0,
            floor: fit::floor_scale(""),
            section_start: start,
            start: 0,
        };
        let mut slides = vec![
            slide(1, true, "<p>表紙</p>"),
            slide(2, true, ""),
            slide(3, false, ""),
            slide(4, false, "<p>目安：7分</p>"),
            slide(5, true, "<p>次</p>"),
        ];
        share_section_notes(&mut slides);
        assert_eq!(slides[0].notes, "<p>表紙</p>");
        for s in &slides[1..4] {
            assert_eq!(s.notes, "<p>目安：7分</p>");
            assert_eq!(s.section_span, "2〜4");
            assert_eq!(s.minutes, 7);
        }
        assert_eq!(
            slides[1..4]
                .iter()
                .map(|s| s.notes_from)
                .collect::<Vec<_>>(),
            [0, 2, 2]
        );
        assert_eq!(slides[4].notes, "<p>次</p>");
        assert!(slides[4].section_span.is_empty());
    }

    #[test]
    fn deck_paths() {
        assert_eq!(
            deck_output("lectures/jissen.html"),
            "lectures/jissen.slides.html"
        );
        assert_eq!(deck_output("index.html"), "index.slides.html");
        assert_eq!(root_of(&deck_output("a/b/c.html")), "../../");
        assert_eq!(file_name("a/b/c.slides.html"), "c.slides.html");
    }
}
