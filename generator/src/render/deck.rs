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
    html: String,
    notes: String,
    commentary: String,
    /// Short title (overview, live region).
    title: String,
    /// Heading id on the reading page, for the link back.
    anchor: String,
    is_title: bool,
}

fn escape_html(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// The slides of a page, with the title slide completed from the page's
/// title and description when the body does not start with a `#` heading.
fn slides(site: &Site, page: &Page) -> Vec<SlideCx> {
    let link = |dest: &str| href(site, page, dest);
    let directive = |d: &Directive| {
        // Clicks and swipes inside an embed are the embed's own.
        format!(
            "<div class=\"deck-embed\">{}</div>",
            exercise::directive_html(site, page, d)
        )
    };
    let raw: Vec<SlideHtml> = markdown::to_slides(
        &page.markdown(),
        &HtmlContext {
            link: &link,
            directive: &directive,
            notes: NotesMode::Aside,
        },
    );
    let mut out: Vec<SlideCx> = Vec::with_capacity(raw.len());
    for (i, s) in raw.into_iter().enumerate() {
        let is_title = i == 0;
        let mut html = s.html;
        if is_title && !html.contains("<h1") {
            let mut head = format!("<h1>{}</h1>\n", escape_html(&page.title));
            if !page.description.is_empty() {
                head.push_str(&format!(
                    "<p class=\"deck-subtitle\">{}</p>\n",
                    escape_html(&page.description)
                ));
            }
            html = head + &html;
        }
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
        out.push(SlideCx {
            n: i + 1,
            html,
            notes: s.notes,
            commentary: s.commentary,
            title,
            anchor,
            is_title,
        });
    }
    out
}

/// Renders the deck of page `ix` (which has `slides = true`).
pub fn render_deck(site: &Site, ix: usize) -> Result<String, Diagnostic> {
    let page = &site.pages[ix];
    let output = deck_output(&page.output);
    let root = root_of(&output);
    let slides = slides(site, page);

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
    site.theme.tera.render("deck.html", &cx).map_err(|e| {
        Diagnostic::file(
            "theme/templates/deck.html",
            format!(
                "cannot render {output}: {}",
                crate::theme::tera_error_text(&e)
            ),
        )
        .with_hint("check the template override in theme/templates/")
    })
}

#[cfg(test)]
mod tests {
    use super::*;

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
