//! mdBook's (and GitBook's/HonKit's) `SUMMARY.md`: when the content root
//! has one, it sets the order, nesting and titles of the sidebar instead
//! of the folders; it is not published as a page.
//!
//! ```markdown
//! # Summary
//!
//! [はじめに](README.md)
//!
//! - [第1章](ch01.md)
//!   - [1.1 節](ch01-01.md)
//! - [下書き]()
//! ```
//!
//! Links outside the list (before or after it) are chapters at the top
//! level; a link with an empty target is a draft: a section of its own
//! whose page lists its sub-entries, if any, and which the sidebar shows as
//! a title without a link, as mdBook does (a draft with nothing under it
//! is left out of previous/next). A part title (`# 第1部`, any heading
//! after the first) is such a section too, holding the listed chapters up
//! to the next part title; `---` separators are not shown. Their pages are
//! named `SUMMARY.md#title` (`rel`), which is how render knows them.

use std::collections::BTreeMap;
use std::path::Path;

use pulldown_cmark::{Event, Parser, Tag, TagEnd};

use super::{generated_index, Parsed};
use crate::config::SiteConfig;
use crate::diagnostic::Diagnostic;
use crate::model::{Child, Page, PageKind, Section};

/// The file name, at the content root.
pub const FILE: &str = "SUMMARY.md";

/// One entry of the summary.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Item {
    pub title: String,
    /// The link as written; empty for a draft.
    pub dest: String,
    /// Byte offset of the link in SUMMARY.md.
    pub offset: usize,
    pub children: Vec<Item>,
}

/// Reads the entries of a summary, nested as written.
pub fn parse(text: &str) -> Vec<Item> {
    let mut roots: Vec<Item> = Vec::new();
    // Open list items; the entry of each, once its link is read.
    let mut open: Vec<Option<Item>> = Vec::new();
    let mut link: Option<(String, usize, String)> = None;
    // The heading being read (its offset and text), whether one was read
    // (the first, `# Summary`, is the book's title), and the part open.
    let mut heading: Option<(usize, String)> = None;
    let mut seen_heading = false;
    let mut part: Option<usize> = None;
    for (ev, range) in Parser::new(text).into_offset_iter() {
        match ev {
            Event::Start(Tag::Heading { .. }) if open.is_empty() => {
                heading = Some((range.start, String::new()));
            }
            Event::End(TagEnd::Heading(_)) => {
                let Some((offset, title)) = heading.take() else {
                    continue;
                };
                if !std::mem::replace(&mut seen_heading, true) && roots.is_empty() {
                    continue;
                }
                let title = title.trim().to_string();
                if title.is_empty() {
                    continue;
                }
                roots.push(Item {
                    title,
                    dest: String::new(),
                    offset,
                    children: Vec::new(),
                });
                part = Some(roots.len() - 1);
            }
            Event::Start(Tag::Item) => open.push(None),
            Event::End(TagEnd::Item) => {
                let Some(item) = open.pop() else { continue };
                let Some(item) = item else { continue };
                match open.iter_mut().rev().find_map(Option::as_mut) {
                    Some(parent) => parent.children.push(item),
                    None => match part.and_then(|p| roots.get_mut(p)) {
                        Some(part) => part.children.push(item),
                        None => roots.push(item),
                    },
                }
            }
            Event::Start(Tag::Link { dest_url, .. }) if link.is_none() => {
                link = Some((dest_url.to_string(), range.start, String::new()));
            }
            Event::Text(t) | Event::Code(t) => {
                if let Some((_, _, title)) = &mut link {
                    title.push_str(&t);
                } else if let Some((_, title)) = &mut heading {
                    title.push_str(&t);
                }
            }
            Event::End(TagEnd::Link) => {
                let Some((dest, offset, title)) = link.take() else {
                    continue;
                };
                let item = Item {
                    title: title.trim().to_string(),
                    dest,
                    offset,
                    children: Vec::new(),
                };
                match open.last_mut() {
                    Some(slot @ None) => *slot = Some(item),
                    // A second link in the same item is text, not an entry.
                    Some(Some(_)) => {}
                    None => roots.push(item),
                }
            }
            _ => {}
        }
    }
    roots
}

/// Places the pages as the summary says: reading order, sections for the
/// entries that have sub-entries, the summary's titles. Pages the summary
/// does not list come after it, at the top level.
pub(super) fn arrange(
    parsed: Vec<Parsed>,
    items: &[Item],
    summary: (&Path, &str),
    config: &SiteConfig,
    errors: &mut Vec<Diagnostic>,
    warnings: &mut Vec<Diagnostic>,
) -> (Vec<Page>, Vec<Section>) {
    let mut pool: BTreeMap<String, Parsed> = BTreeMap::new();
    let mut home = None;
    let taken: std::collections::BTreeSet<String> =
        parsed.iter().map(|p| p.page.output.clone()).collect();
    for p in parsed {
        let rel = super::links::content_rel(&p.page);
        if p.dir.is_empty() && p.name == "index" {
            home = Some((rel, p));
        } else {
            pool.insert(rel, p);
        }
    }
    let (home_rel, home) = match home {
        Some((rel, p)) => (Some(rel), p),
        None => (None, generated_index("", config)),
    };
    let mut pages = Vec::new();
    let sections = vec![Section {
        dir: String::new(),
        index_page: 0,
        parent: None,
        children: Vec::new(),
        listed: Vec::new(),
    }];
    let mut home_page = home.page;
    home_page.section = 0;
    pages.push(home_page);

    struct Cx<'a> {
        pool: BTreeMap<String, Parsed>,
        placed: BTreeMap<String, ()>,
        home_rel: Option<String>,
        summary: (&'a Path, &'a str),
        pages: Vec<Page>,
        sections: Vec<Section>,
        errors: &'a mut Vec<Diagnostic>,
        config: &'a SiteConfig,
        /// Output paths in use, for the pages of draft chapters.
        taken: std::collections::BTreeSet<String>,
    }
    /// A page for a draft chapter with sub-entries: a generated listing
    /// named after its title, at the top of the output.
    fn draft_page(cx: &mut Cx<'_>, item: &Item) -> Page {
        let mut page = generated_index("", cx.config).page;
        page.kind = PageKind::SectionIndex;
        page.title = item.title.clone();
        page.source = cx.summary.0.to_path_buf();
        page.rel = format!("{FILE}#{}", item.title);
        let stem: String = item
            .title
            .chars()
            .map(|c| {
                if c.is_alphanumeric() || c == '-' || c == '_' {
                    c
                } else {
                    '-'
                }
            })
            .collect();
        let stem = match stem.trim_matches('-') {
            "" => "chapter".to_string(),
            s => s.chars().take(60).collect(),
        };
        let mut output = format!("{stem}.html");
        let mut n = 2;
        while cx.taken.contains(&output) || output == "index.html" {
            output = format!("{stem}-{n}.html");
            n += 1;
        }
        cx.taken.insert(output.clone());
        page.output = output;
        page
    }
    /// A new section under `parent` whose index is `page`; its number.
    fn open_section(cx: &mut Cx<'_>, dir: String, mut page: Page, parent: usize) -> usize {
        let s = cx.sections.len();
        cx.sections.push(Section {
            dir,
            index_page: cx.pages.len(),
            parent: Some(parent),
            children: Vec::new(),
            listed: Vec::new(),
        });
        cx.sections[parent].children.push(Child::Section(s));
        page.section = s;
        cx.pages.push(page);
        s
    }
    fn visit(cx: &mut Cx<'_>, items: &[Item], parent: usize) {
        for item in items {
            let dest = item.dest.split(['#', '?']).next().unwrap_or_default();
            if dest.is_empty() {
                if item.title.is_empty() {
                    visit(cx, &item.children, parent);
                    continue;
                }
                // A draft chapter (with or without sub-entries) or a part
                // title: a section of its own, a title in the sidebar.
                let page = draft_page(cx, item);
                let s = open_section(cx, String::new(), page, parent);
                visit(cx, &item.children, s);
                continue;
            }
            let rel = super::links::normalise(dest);
            if cx.home_rel.as_deref() == Some(rel.as_str()) {
                visit(cx, &item.children, parent);
                continue;
            }
            let Some(p) = cx.pool.remove(&rel) else {
                let (message, hint) = if cx.placed.contains_key(&rel) {
                    (
                        format!("`{dest}` is listed twice in {FILE}"),
                        "list each page once".to_string(),
                    )
                } else {
                    (
                        format!("{FILE} lists a page that does not exist: `{dest}`"),
                        format!("no file content/{rel}; paths in {FILE} are relative to content/"),
                    )
                };
                cx.errors.push(
                    Diagnostic::at(cx.summary.0, cx.summary.1, item.offset, message)
                        .with_hint(hint),
                );
                visit(cx, &item.children, parent);
                continue;
            };
            cx.placed.insert(rel, ());
            let mut page = p.page;
            if !item.title.is_empty() {
                page.title = item.title.clone();
            }
            let ix = cx.pages.len();
            if item.children.is_empty() {
                page.kind = PageKind::Regular;
                page.section = parent;
                cx.pages.push(page);
                cx.sections[parent].children.push(Child::Page(ix));
            } else {
                let s = open_section(cx, p.dir.clone(), page, parent);
                visit(cx, &item.children, s);
            }
        }
    }
    let mut cx = Cx {
        pool,
        placed: BTreeMap::new(),
        home_rel,
        summary,
        pages,
        sections,
        errors,
        config,
        taken,
    };
    visit(&mut cx, items, 0);
    // Pages the summary leaves out: still built (links to them work),
    // after the listed ones.
    let rest = std::mem::take(&mut cx.pool);
    for (rel, p) in rest {
        warnings.push(
            Diagnostic::file(&p.page.source, format!("not listed in {FILE}"))
                .with_hint(format!("the page is built after the listed ones; add `- [title]({rel})` to {FILE} to place it")),
        );
        let mut page = p.page;
        page.kind = PageKind::Regular;
        page.section = 0;
        let ix = cx.pages.len();
        cx.pages.push(page);
        cx.sections[0].children.push(Child::Page(ix));
    }
    (cx.pages, cx.sections)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nesting_titles_and_drafts() {
        let text = "# Summary\n\n[はじめに](README.md)\n\n# 第1部\n\n- [第1章 `A`](ch01.md)\n    - [1.1](ch01/a.md)\n    - [下書き]()\n        - [深い](deep.md)\n- [第2章](ch02.md)\n\n---\n\n[付録](appendix.md)\n";
        let items = parse(text);
        let titles: Vec<&str> = items.iter().map(|i| i.title.as_str()).collect();
        assert_eq!(titles, ["はじめに", "第1部", "付録"]);
        let part = &items[1];
        assert_eq!(part.dest, "");
        assert!(text[part.offset..].starts_with("# 第1部"));
        let chapters: Vec<&str> = part.children.iter().map(|i| i.title.as_str()).collect();
        assert_eq!(chapters, ["第1章 A", "第2章"]);
        let ch1 = &part.children[0];
        assert_eq!(ch1.children.len(), 2);
        assert_eq!(ch1.children[0].dest, "ch01/a.md");
        assert_eq!(ch1.children[1].dest, "");
        assert_eq!(ch1.children[1].children[0].title, "深い");
        assert!(text[part.children[1].offset..].starts_with("[第2章]"));
        // The first heading before any entry is the book's title, whatever
        // it says (mdBook's rule), not a part.
        let items = parse("# 入門\n\n- [A](a.md)\n");
        assert_eq!(items.len(), 1);
        assert_eq!(items[0].dest, "a.md");
    }
}
