//! The sidebar: the course tree around the current page, that page
//! marked — as a tree ([`tree`]) and flattened in reading order
//! ([`items`]) — and its HTML ([`builtin_html`]). The default theme has no
//! template for it (Tera's loop cost a 2,000-page site 58 % more CPU); a
//! site's own `partials/nav.html` gets the flattened entries as
//! `nav_items` and replaces the HTML.

use serde::Serialize;

use crate::model::{Child, Section, Site};

use super::root_of;

/// One entry of the sidebar, as a tree.
#[derive(Debug, Clone, Serialize)]
pub struct Entry {
    pub title: String,
    pub url: String,
    /// The page being shown.
    pub current: bool,
    /// A link to a section's index page standing for the entries a long
    /// section leaves out (`title` says how many).
    pub more: bool,
    pub children: Vec<Entry>,
}

/// One entry of the sidebar in reading order, as a site's own
/// `partials/nav.html` gets it (`nav_items`): an entry with children is followed by them, `opens`
/// says that a nested list starts after its link, `closes` how many nested
/// lists end after it.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct Item {
    pub title: String,
    pub url: String,
    /// The page being shown.
    pub current: bool,
    /// A link to a section's index page standing for the entries a long
    /// section leaves out.
    pub more: bool,
    /// Nesting: 0 for the top level.
    pub depth: usize,
    pub opens: bool,
    pub closes: usize,
}

/// The sidebar of page `current`, flattened (see [`Item`]).
pub fn items(site: &Site, current: usize) -> Vec<Item> {
    fn walk(list: Vec<Entry>, depth: usize, out: &mut Vec<Item>) {
        let last = list.len().saturating_sub(1);
        for (i, e) in list.into_iter().enumerate() {
            let opens = !e.children.is_empty();
            out.push(Item {
                title: e.title,
                url: e.url,
                current: e.current,
                more: e.more,
                depth,
                opens,
                closes: 0,
            });
            if opens {
                walk(e.children, depth + 1, out);
            }
            if i == last && depth > 0 {
                if let Some(end) = out.last_mut() {
                    end.closes += 1;
                }
            }
        }
    }
    let mut out = Vec::new();
    walk(tree(site, current), 0, &mut out);
    out
}

/// The sidebar's HTML for `items`: nested `<ul>`s of links, the current
/// page marked `aria-current="page"`, a `more` link in `<li class="nav-more">`
/// after "…".
pub fn builtin_html(items: &[Item]) -> String {
    use crate::html::escape;
    let mut out = String::with_capacity(64 + items.len() * 96);
    out.push_str("<ul class=\"nav-tree\">");
    for e in items {
        if e.url.is_empty() {
            // A title without a page of its own (see [`title_only`]).
            out.push_str("<li><span class=\"nav-title\">");
            out.push_str(&escape(&e.title));
            out.push_str("</span>");
        } else {
            out.push_str(if e.more {
                "<li class=\"nav-more\"><a href=\""
            } else {
                "<li><a href=\""
            });
            out.push_str(&escape(&e.url));
            out.push('"');
            if e.current {
                out.push_str(" aria-current=\"page\"");
            }
            out.push('>');
            if e.more {
                out.push('…');
            }
            out.push_str(&escape(&e.title));
            out.push_str("</a>");
        }
        out.push_str(if e.opens { "<ul>" } else { "</li>" });
        for _ in 0..e.closes {
            out.push_str("</ul></li>");
        }
    }
    out.push_str("</ul>");
    out
}

/// The sidebar of page `current`: the home page, every top-level entry,
/// the entries of the sections the page is in (see [`NAV_LIMIT`]).
pub fn tree(site: &Site, current: usize) -> Vec<Entry> {
    let root = root_of(&site.pages[current].output);
    let mut open = vec![false; site.sections.len()];
    let mut sec = Some(site.pages[current].section);
    while let Some(s) = sec {
        open[s] = true;
        sec = site.sections[s].parent;
    }
    let cx = Cx {
        site,
        current,
        root: &root,
        open: &open,
        show_hidden: site.pages[current].hidden,
    };
    let mut out = vec![cx.entry(site.sections[0].index_page)];
    out.extend(cx.children(0));
    out
}

/// What every entry of one sidebar is made with.
struct Cx<'a> {
    site: &'a Site,
    current: usize,
    root: &'a str,
    open: &'a [bool],
    show_hidden: bool,
}

impl Cx<'_> {
    fn entry(&self, page: usize) -> Entry {
        let p = &self.site.pages[page];
        Entry {
            title: p.title.clone(),
            // A part title or draft chapter of SUMMARY.md is a title, not
            // a link, as mdBook shows it.
            url: match title_only(p) {
                true => String::new(),
                false => [self.root, &super::url(&p.output)].concat(),
            },
            current: page == self.current,
            more: false,
            children: Vec::new(),
        }
    }

    fn children(&self, section: usize) -> Vec<Entry> {
        let site = self.site;
        let sec = &site.sections[section];
        // A hidden page's sidebar lists the hidden pages too.
        let shown = if self.show_hidden {
            &sec.children
        } else {
            &sec.listed
        };
        let range = self.window(shown);
        let mut out = Vec::new();
        if range.start > 0 {
            out.push(self.more(sec.index_page, &format!("前の{}ページ", range.start)));
        }
        for &child in &shown[range.clone()] {
            let mut e = self.entry(Section::target(&site.sections, child));
            if let Child::Section(s) = child {
                // An unlinked title always shows what it holds.
                if self.open[s] || e.url.is_empty() {
                    e.children = self.children(s);
                }
            }
            out.push(e);
        }
        if range.end < shown.len() {
            let rest = shown.len() - range.end;
            out.push(self.more(sec.index_page, &format!("後の{rest}ページ")));
        }
        out
    }

    /// The entries of a section to list: all of them, or for a section of
    /// more than [`NAV_LIMIT`] those around the entry on the way to the
    /// current page (the page itself, or the open section holding it; the
    /// first ones on the section's own index page).
    fn window(&self, shown: &[Child]) -> std::ops::Range<usize> {
        if shown.len() <= NAV_LIMIT {
            return 0..shown.len();
        }
        let sections = &self.site.sections;
        let on_the_way = |c: Child| {
            Section::target(sections, c) == self.current
                || matches!(c, Child::Section(s) if self.open[s])
        };
        // Pages are in reading order, so the entries' pages ascend and the
        // one on the way is the last at or before the current page (at most
        // one entry is on the way); checked, and searched for otherwise.
        let before = shown.partition_point(|&c| Section::target(sections, c) <= self.current);
        let at = match before.checked_sub(1) {
            Some(i) if on_the_way(shown[i]) => i,
            _ => shown.iter().position(|&c| on_the_way(c)).unwrap_or(0),
        };
        let first = at
            .saturating_sub(NAV_LIMIT / 2)
            .min(shown.len() - NAV_LIMIT);
        first..first + NAV_LIMIT
    }

    /// A link to a section's index page standing for `what` the sidebar
    /// leaves out.
    fn more(&self, index: usize, what: &str) -> Entry {
        let title = &self.site.pages[index].title;
        Entry {
            title: format!("{what}（{title}の一覧へ）"),
            current: false,
            more: true,
            ..self.entry(index)
        }
    }
}

/// Whether `page` is a part title or a draft chapter of an mdBook's
/// SUMMARY.md (`# 第1部`, `- [開発]()`): a generated page listing what the
/// title holds, shown in the sidebar as a title without a link (load names
/// such a page `SUMMARY.md#title`).
pub fn title_only(page: &crate::model::Page) -> bool {
    page.generated && page.rel.starts_with("SUMMARY.md#")
}

/// A section shows at most this many of its entries in the sidebar; a
/// longer one shows those around the current page and links to its index
/// page for the rest (a sidebar of a thousand links helps no one, and it
/// would be copied into every page).
pub const NAV_LIMIT: usize = 25;

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

    /// The sidebar's link texts in order, "…" before the `more` links,
    /// "*" before the current page.
    fn links(site: &Site, current: usize) -> Vec<String> {
        fn walk(list: &[Entry], out: &mut Vec<String>) {
            for e in list {
                let mark = if e.more {
                    "…"
                } else if e.current {
                    "*"
                } else {
                    ""
                };
                out.push(format!("{mark}{}", e.title));
                walk(&e.children, out);
            }
        }
        let mut out = Vec::new();
        walk(&tree(site, current), &mut out);
        out
    }

    #[test]
    fn a_long_section_shows_the_pages_around_the_current_one() {
        let (_dir, site) = long_section(100);
        let page = |title: &str| site.pages.iter().position(|p| p.title == title).unwrap();
        let shown = links(&site, page("節50"));
        // Home, the section, "…前の", 25 pages around 節50, "…後の".
        assert_eq!(shown.len(), 2 + 1 + NAV_LIMIT + 1, "{shown:?}");
        assert_eq!(shown[2], "…前の37ページ（長い章の一覧へ）");
        assert_eq!(shown[3], "節38");
        assert_eq!(shown[15], "*節50");
        assert_eq!(shown[NAV_LIMIT + 2], "節62");
        assert_eq!(shown[NAV_LIMIT + 3], "…後の38ページ（長い章の一覧へ）");
        // At the ends, and on the section's index page: the first 25.
        let first = links(&site, page("節1"));
        assert_eq!(
            (first[2].as_str(), first[NAV_LIMIT + 1].as_str()),
            ("*節1", "節25")
        );
        let last = links(&site, page("節100"));
        assert_eq!(last[NAV_LIMIT + 2], "*節100");
        let index = links(&site, page("長い章"));
        assert_eq!((index[1].as_str(), index[2].as_str()), ("*長い章", "節1"));
    }

    #[test]
    fn a_short_section_shows_every_page() {
        let (_dir, site) = long_section(NAV_LIMIT);
        let shown = links(&site, 2);
        assert_eq!(shown.len(), 2 + NAV_LIMIT);
        assert!(shown.iter().all(|l| !l.starts_with('…')));
    }

    #[test]
    fn builtin_html_nests_marks_and_escapes() {
        let item = |title: &str, depth, current, more, opens, closes| Item {
            title: title.into(),
            url: format!("{title}.html"),
            current,
            more,
            depth,
            opens,
            closes,
        };
        let items = [
            item("ホーム", 0, false, false, false, 0),
            item("章A & <B>", 0, false, false, true, 0),
            item("z", 1, false, false, false, 0),
            item("節\"B\" 'b'", 1, false, false, true, 0),
            item("x", 2, true, false, false, 0),
            item("後の3ページ", 2, false, true, false, 2),
            item("章B", 0, false, false, false, 0),
        ];
        assert_eq!(
            builtin_html(&items),
            concat!(
                "<ul class=\"nav-tree\">",
                "<li><a href=\"ホーム.html\">ホーム</a></li>",
                "<li><a href=\"章A &amp; &lt;B&gt;.html\">章A &amp; &lt;B&gt;</a><ul>",
                "<li><a href=\"z.html\">z</a></li>",
                "<li><a href=\"節&quot;B&quot; &#39;b&#39;.html\">節&quot;B&quot; &#39;b&#39;</a><ul>",
                "<li><a href=\"x.html\" aria-current=\"page\">x</a></li>",
                "<li class=\"nav-more\"><a href=\"後の3ページ.html\">…後の3ページ</a></li>",
                "</ul></li></ul></li>",
                "<li><a href=\"章B.html\">章B</a></li>",
                "</ul>"
            )
        );
    }

    #[test]
    fn every_sidebar_closes_what_it_opens() {
        let (dir, _) = long_section(30);
        let content = dir.path().join("content");
        let write = |rel: &str, text: &str| {
            let path = content.join(rel);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(path, text).unwrap();
        };
        // Nested sections, a leaf at the end of a nested list.
        write("a/index.md", "# 章A\n");
        write("a/01-z.md", "# z\n");
        write("a/02-b/index.md", "# 節B\n");
        write("a/02-b/01-x.md", "# x\n");
        write("a/02-b/02-y.md", "# y\n");
        write("b/index.md", "# 章B\n");
        let site = crate::load::load(dir.path()).unwrap();
        assert!(site.theme.builtin_nav);
        let mut nested = false;
        for ix in 0..site.pages.len() {
            let items = items(&site, ix);
            nested |= items.iter().any(|i| i.depth == 2 && i.closes == 2);
            let html = builtin_html(&items);
            for tag in ["ul", "li"] {
                let opened = html.matches(&format!("<{tag}")).count();
                let closed = html.matches(&format!("</{tag}>")).count();
                assert_eq!(opened, closed, "page {ix}: {html}");
            }
        }
        assert!(nested, "no page shows two nested lists ending at once");
        // A template of the site's own is what a site gets.
        write("../theme/templates/partials/nav.html", "<ul></ul>");
        assert!(!crate::load::load(dir.path()).unwrap().theme.builtin_nav);
    }

    #[test]
    fn an_organisation_can_write_its_own_sidebar() {
        let (dir, _) = long_section(3);
        let partials = dir.path().join("theme/templates/partials");
        std::fs::create_dir_all(&partials).unwrap();
        std::fs::write(
            partials.join("nav.html"),
            "<ol class=\"mine\">{% for e in nav_items %}{% if e.depth == 0 %}<li>{{ e.title }}</li>{% endif %}{% endfor %}</ol>",
        )
        .unwrap();
        let site = crate::load::load(dir.path()).unwrap();
        let html = crate::render::page_html_text(&site, 2);
        assert!(
            html.contains("<ol class=\"mine\"><li>ホーム</li><li>長い章</li></ol>"),
            "{html}"
        );
    }
}
