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
        let windows = Windows::of(site, current);
        // A page that sees a window of a long section has a sidebar of its own.
        if !windows.0.is_empty() {
            return mark(&Tree::new(site, current), current);
        }
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
        let windows = Windows::of(site, current);
        tree.children(site, 0, site.pages[current].hidden, &root, &open, &windows);
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
        windows: &Windows,
    ) {
        let shown = visible(site, section, show_hidden);
        let range = windows.range(section, shown.len());
        let index = site.sections[section].index_page;
        if range.start > 0 {
            self.more(site, root, index, &format!("前の{}ページ", range.start));
        }
        for &(child, target) in &shown[range.clone()] {
            self.item(site, root, target);
            if let Child::Section(s) = child {
                if open[s] && !site.sections[s].children.is_empty() {
                    self.html.push_str("<ul>");
                    self.children(site, s, show_hidden, root, open, windows);
                    self.html.push_str("</ul>");
                }
            }
            self.html.push_str("</li>");
        }
        if range.end < shown.len() {
            let rest = shown.len() - range.end;
            self.more(site, root, index, &format!("後の{rest}ページ"));
        }
    }

    /// A link to a section's index page standing for `what` the sidebar
    /// leaves out.
    fn more(&mut self, site: &Site, root: &str, index: usize, what: &str) {
        let p = &site.pages[index];
        self.html.push_str("<li class=\"nav-more\"><a href=\"");
        self.html.push_str(&escape_attr(root));
        self.html.push_str(&escape_attr(&super::url(&p.output)));
        self.html.push_str("\">…");
        self.html.push_str(&escape_attr(what));
        self.html.push('（');
        self.html.push_str(&escape_attr(&p.title));
        self.html.push_str("の一覧へ）</a></li>");
    }
}

/// A section shows at most this many of its entries in the sidebar; a
/// longer one shows those around the current page and links to its index
/// page for the rest (a sidebar of a thousand links helps no one, and it
/// would be copied into every page).
pub const NAV_LIMIT: usize = 25;

/// The entries of `section` the sidebar may show: (child, the page its
/// link goes to).
fn visible(site: &Site, section: usize, show_hidden: bool) -> Vec<(Child, usize)> {
    site.sections[section]
        .children
        .iter()
        .map(|&child| {
            let target = match child {
                Child::Page(p) => p,
                Child::Section(s) => site.sections[s].index_page,
            };
            (child, target)
        })
        .filter(|&(_, target)| show_hidden || !site.pages[target].hidden)
        .collect()
}

/// For the sections on the way to the current page that have more than
/// [`NAV_LIMIT`] entries: (section, first entry shown).
struct Windows(Vec<(usize, usize)>);

impl Windows {
    fn of(site: &Site, current: usize) -> Windows {
        let page = &site.pages[current];
        let mut out = Vec::new();
        // The current page, then each section on the way up, as the entry
        // of the section above it.
        let mut entry = match page.kind {
            crate::model::PageKind::Regular => Some(Child::Page(current)),
            _ => None,
        };
        let mut sec = Some(page.section);
        if entry.is_none() {
            // A section's index page stands in its parent as the section.
            entry = Some(Child::Section(page.section));
            sec = site.sections[page.section].parent;
            // …and its own entries start at the top.
            let own = visible(site, page.section, page.hidden).len();
            if own > NAV_LIMIT {
                out.push((page.section, 0));
            }
        }
        while let Some(s) = sec {
            let shown = visible(site, s, page.hidden);
            if shown.len() > NAV_LIMIT {
                let at = shown
                    .iter()
                    .position(|&(c, _)| Some(c) == entry)
                    .unwrap_or(0);
                let first = at
                    .saturating_sub(NAV_LIMIT / 2)
                    .min(shown.len() - NAV_LIMIT);
                out.push((s, first));
            }
            entry = Some(Child::Section(s));
            sec = site.sections[s].parent;
        }
        Windows(out)
    }

    /// The entries of `section` (of `len`) to show.
    fn range(&self, section: usize, len: usize) -> std::ops::Range<usize> {
        match self.0.iter().find(|(s, _)| *s == section) {
            Some(&(_, first)) => first..(first + NAV_LIMIT).min(len),
            None => 0..len,
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

#[cfg(test)]
mod tests {
    use super::*;

    /// A site with one section of `n` pages (and the home page).
    fn long_section(n: usize) -> (tempfile::TempDir, Site) {
        let dir = tempfile::tempdir().unwrap();
        let content = dir.path().join("content/long");
        std::fs::create_dir_all(&content).unwrap();
        std::fs::write(dir.path().join("site.toml"), "title = \"長い章\"\n").unwrap();
        std::fs::write(dir.path().join("content/index.md"), "# ホーム\n").unwrap();
        std::fs::write(content.join("index.md"), "# 長い章\n").unwrap();
        for i in 1..=n {
            std::fs::write(
                content.join(format!("{i:03}-p{i}.md")),
                format!("# 節{i}\n"),
            )
            .unwrap();
        }
        let site = crate::load::load(dir.path()).unwrap();
        (dir, site)
    }

    fn links(html: &str) -> Vec<String> {
        html.split("<a href=\"")
            .skip(1)
            .map(|a| a.split('<').next().unwrap_or_default().to_string())
            .map(|a| a.split_once('>').map_or(a.clone(), |(_, t)| t.to_string()))
            .collect()
    }

    #[test]
    fn a_long_section_shows_the_pages_around_the_current_one() {
        let (_dir, site) = long_section(100);
        let page = |title: &str| site.pages.iter().position(|p| p.title == title).unwrap();
        let cache = Cache::default();
        let mid = cache.nav_html(&site, page("節50"));
        let shown = links(&mid);
        // Home, the section, "…前の", 25 pages around 節50, "…後の".
        assert_eq!(shown.len(), 2 + 1 + NAV_LIMIT + 1, "{shown:?}");
        assert_eq!(shown[2], "…前の37ページ（長い章の一覧へ）");
        assert_eq!(shown[3], "節38");
        assert_eq!(shown[NAV_LIMIT + 2], "節62");
        assert_eq!(shown[NAV_LIMIT + 3], "…後の38ページ（長い章の一覧へ）");
        assert!(mid.contains("aria-current=\"page\">節50<"));
        // At the ends, and on the section's index page: the first 25.
        let first = links(&cache.nav_html(&site, page("節1")));
        assert_eq!(
            (first[2].as_str(), first[NAV_LIMIT + 1].as_str()),
            ("節1", "節25")
        );
        let last = links(&cache.nav_html(&site, page("節100")));
        assert_eq!(last[NAV_LIMIT + 2], "節100");
        let index = links(&cache.nav_html(&site, page("長い章")));
        assert_eq!(index[2], "節1");
        // Every page's sidebar is the one made for it alone.
        assert_eq!(mid, nav_html(&site, page("節50")));
    }

    #[test]
    fn a_short_section_shows_every_page() {
        let (_dir, site) = long_section(NAV_LIMIT);
        let shown = links(&nav_html(&site, 2));
        assert_eq!(shown.len(), 2 + NAV_LIMIT);
        assert!(shown.iter().all(|l| !l.starts_with('…')));
    }
}
