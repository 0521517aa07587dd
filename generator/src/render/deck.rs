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

use super::{exercise, href, root_of, site_cx};

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
    /// The scale the content needs by the build's estimate (see `fit`).
    #[serde(skip)]
    needed_scale: f64,
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
            (None, false) => Some(format!("<h2>{}</h2>", crate::html::escape(&continues))),
            (None, true) => None,
        };
        let needed_scale = fit::needed_scale(title_for_fit.as_deref(), content);
        let minutes = fit::planned_minutes(&s.notes).unwrap_or(0);
        out.push(SlideCx {
            n: out.len() + 1,
            title_html: title_html.unwrap_or_default().to_string(),
            continues,
            has_embed: content.contains("class=\"deck-embed\""),
            html: content.to_string(),
            notes: s.notes,
            off_slide: removed.join("\n"),
            commentary: s.commentary,
            title,
            anchor,
            is_title,
            minutes,
            needed_scale,
            start: s.start,
        });
    }
    match failed.into_inner() {
        Some(e) => Err(e),
        None => Ok(out),
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

/// Warnings for the decks of a site: slides whose content cannot be shown
/// with body text at the readable floor (see [`fit::FLOOR`]).
pub fn warnings(site: &Site) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    for page in site.pages.iter().filter(|p| p.slides) {
        let body = page.markdown();
        let lines = crate::diagnostic::LineIndex::new(&page.body);
        // A template error is the deck's own error, reported where it is rendered.
        for s in slides(site, page, &markdown::parse(&body)).unwrap_or_default() {
            if s.has_embed || s.needed_scale >= fit::WARN_BELOW - 1e-9 {
                continue;
            }
            let (line, column) = lines.line_col(s.start);
            out.push(Diagnostic {
                file: page.source.clone(),
                line: line + page.body_line,
                column,
                message: format!(
                    "slide {} of {} is overfull: its text would have to shrink to {:.0} % \
                     (body {:.0} px) to fit 1280 × 720; it scrolls instead",
                    s.n,
                    page.source.display(),
                    s.needed_scale * 100.0,
                    s.needed_scale * 30.0
                ),
                hint: Some(format!(
                    "split it with a `{}` line, or move detail to the reading page \
                     (class=\"reading-only\"); slide text never shrinks below 24 px",
                    markdown::SLIDE_MARKER
                )),
            });
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
    let page = &site.pages[ix];
    let output = deck_output(&page.output);
    let root = root_of(&output);
    let mut slides = slides(site, page, parsed)?;
    retarget_fragments(&mut slides, file_name(&page.output));

    let mut cx = tera::Context::new();
    cx.insert("root", &root);
    cx.insert("site", &site_cx(site, &root));
    cx.insert("lang", &site.config.language);
    cx.insert("title", &page.title);
    cx.insert("description", &page.description);
    cx.insert("page_url", &super::url(file_name(&page.output)));
    cx.insert("deck_id", &output);
    cx.insert("total", &slides.len());
    cx.insert("slides", &slides);
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
            needed_scale: 1.0,
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
