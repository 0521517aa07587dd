//! The sidebar: the whole course tree, the current page marked.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use crate::markdown::escape_attr;
use crate::model::{Child, Site};

use super::root_of;

/// Nested lists of links for the sidebar of page `current`. Top-level
/// entries are always listed; a section's pages only when the current page
/// is inside it, so the sidebar stays short and each page stays small.
pub fn nav_html(site: &Site, current: usize) -> String {
    mark(&Tree::new(site, current), current)
}

/// The sidebars of a site, each made once and shared by the pages that
/// show it: the pages of one section at one folder depth for one audience
/// show the same tree but for which link is current.
#[derive(Default)]
pub struct Cache {
    trees: Mutex<HashMap<(usize, usize, bool), Arc<Tree>>>,
}

impl Cache {
    /// [`nav_html`] of page `current`.
    pub fn nav_html(&self, site: &Site, current: usize) -> String {
        let page = &site.pages[current];
        let key = (page.section, page.output.matches('/').count(), page.hidden);
        let known = self.trees.lock().ok().and_then(|t| t.get(&key).cloned());
        let tree = known.unwrap_or_else(|| {
            let tree = Arc::new(Tree::new(site, current));
            if let Ok(mut trees) = self.trees.lock() {
                trees.insert(key, tree.clone());
            }
            tree
        });
        mark(&tree, current)
    }
}

/// A sidebar with no link marked current, and where each page's mark goes.
pub struct Tree {
    html: String,
    /// (page, byte offset in `html` after its link's `href`), by page.
    marks: Vec<(usize, usize)>,
}

impl Tree {
    /// The sidebar pages in the section of `current` (and of its audience)
    /// show.
    fn new(site: &Site, current: usize) -> Tree {
        let root = root_of(&site.pages[current].output);
        let mut open = vec![false; site.sections.len()];
        let mut sec = Some(site.pages[current].section);
        while let Some(s) = sec {
            open[s] = true;
            sec = site.sections[s].parent;
        }
        let mut tree = Tree {
            html: String::new(),
            marks: Vec::new(),
        };
        let home = site.sections[0].index_page;
        tree.html.push_str("<ul class=\"nav-tree\">");
        tree.item(site, &root, home);
        tree.html.push_str("</li>");
        tree.children(site, 0, site.pages[current].hidden, &root, &open);
        tree.html.push_str("</ul>");
        tree.marks.sort_unstable();
        tree
    }

    fn item(&mut self, site: &Site, root: &str, page: usize) {
        let p = &site.pages[page];
        self.html.push_str("<li><a href=\"");
        self.html.push_str(&escape_attr(root));
        self.html.push_str(&escape_attr(&super::url(&p.output)));
        self.html.push('"');
        self.marks.push((page, self.html.len()));
        self.html.push('>');
        self.html.push_str(&escape_attr(&p.title));
        self.html.push_str("</a>");
    }

    fn children(
        &mut self,
        site: &Site,
        section: usize,
        show_hidden: bool,
        root: &str,
        open: &[bool],
    ) {
        for child in &site.sections[section].children {
            let target = match *child {
                Child::Page(p) => p,
                Child::Section(s) => site.sections[s].index_page,
            };
            if site.pages[target].hidden && !show_hidden {
                continue;
            }
            self.item(site, root, target);
            if let Child::Section(s) = *child {
                if open[s] && !site.sections[s].children.is_empty() {
                    self.html.push_str("<ul>");
                    self.children(site, s, show_hidden, root, open);
                    self.html.push_str("</ul>");
                }
            }
            self.html.push_str("</li>");
        }
    }
}

/// The sidebar `tree` with the link to `current` marked as the current page.
fn mark(tree: &Tree, current: usize) -> String {
    const CURRENT: &str = " aria-current=\"page\"";
    let at = tree.marks.binary_search_by_key(&current, |m| m.0);
    let Ok(i) = at else {
        return tree.html.clone();
    };
    let offset = tree.marks[i].1;
    let mut out = String::with_capacity(tree.html.len() + CURRENT.len());
    out.push_str(&tree.html[..offset]);
    out.push_str(CURRENT);
    out.push_str(&tree.html[offset..]);
    out
}
