//! The sidebar: the whole course tree, the current page marked.

use crate::markdown::escape_attr;
use crate::model::{Child, Site};

use super::root_of;

/// Nested lists of links for the sidebar of page `current`. Top-level
/// entries are always listed; a section's pages only when the current page
/// is inside it, so the sidebar stays short and each page stays small.
pub fn nav_html(site: &Site, current: usize) -> String {
    let root = root_of(&site.pages[current].output);
    let mut open = vec![false; site.sections.len()];
    let mut sec = Some(site.pages[current].section);
    while let Some(s) = sec {
        open[s] = true;
        sec = site.sections[s].parent;
    }
    let mut out = String::new();
    let home = &site.pages[site.sections[0].index_page];
    out.push_str("<ul class=\"nav-tree\">");
    item(
        &mut out,
        &root,
        &home.output,
        &home.title,
        current == site.sections[0].index_page,
    );
    out.push_str("</li>");
    children(site, 0, current, &root, &open, &mut out);
    out.push_str("</ul>");
    out
}

fn item(out: &mut String, root: &str, output: &str, title: &str, is_current: bool) {
    let aria = if is_current {
        " aria-current=\"page\""
    } else {
        ""
    };
    out.push_str(&format!(
        "<li><a href=\"{}{}\"{aria}>{}</a>",
        escape_attr(root),
        escape_attr(&super::url(output)),
        escape_attr(title)
    ));
}

fn children(
    site: &Site,
    section: usize,
    current: usize,
    root: &str,
    open: &[bool],
    out: &mut String,
) {
    let show_hidden = site.pages[current].hidden;
    for child in &site.sections[section].children {
        let target = match *child {
            Child::Page(p) => p,
            Child::Section(s) => site.sections[s].index_page,
        };
        if site.pages[target].hidden && !show_hidden {
            continue;
        }
        match *child {
            Child::Page(p) => {
                item(
                    out,
                    root,
                    &site.pages[p].output,
                    &site.pages[p].title,
                    p == current,
                );
                out.push_str("</li>");
            }
            Child::Section(s) => {
                let ix = site.sections[s].index_page;
                item(
                    out,
                    root,
                    &site.pages[ix].output,
                    &site.pages[ix].title,
                    ix == current,
                );
                if open[s] && !site.sections[s].children.is_empty() {
                    out.push_str("<ul>");
                    children(site, s, current, root, open, out);
                    out.push_str("</ul>");
                }
                out.push_str("</li>");
            }
        }
    }
}
