//! What reading pages show around the text: the in-page contents, the
//! 五十音 index of a glossary-like page, and the cards of an index page
//! (with the exercises behind each card, for the learner's progress).

use std::collections::BTreeMap;

use serde::Serialize;

use crate::model::{Child, Heading, Page, Section, Site, TocEntry};

use super::root_of;

/// The in-page contents: level-2 and level-3 headings, then `extra`
/// entries (e.g. the exercises of an answer key, which are not headings
/// of the Markdown).
pub fn toc(headings: &[Heading], extra: Vec<TocEntry>) -> Vec<TocEntry> {
    headings
        .iter()
        .filter(|h| h.level == 2 || h.level == 3)
        .map(|h| TocEntry {
            level: h.level,
            text: h.text.clone(),
            id: h.id.clone(),
        })
        .chain(extra)
        .collect()
}

/// The in-page contents' HTML for `toc` (a site's own `partials/toc.html`
/// replaces it; the default theme has none: a page of 100,000 headings
/// spent a sixth of its build in Tera's loop).
pub fn builtin_toc_html(toc: &[TocEntry]) -> String {
    use crate::html::escape;
    let mut out = String::with_capacity(256 + toc.len() * 64);
    out.push_str("<nav class=\"toc\" aria-label=\"このページの内容\">\n  <details class=\"toc-box\">\n    <summary>このページの内容</summary>\n    <ul class=\"toc-list\">\n      ");
    for h in toc {
        out.push_str("<li class=\"toc-level-");
        out.push_str(&h.level.to_string());
        out.push_str("\"><a href=\"#");
        out.push_str(&escape(&h.id));
        out.push_str("\">");
        out.push_str(&escape(&h.text));
        out.push_str("</a></li>");
    }
    out.push_str("\n    </ul>\n  </details>\n</nav>\n");
    out
}

/// One row (あ行, か行, …) of a 五十音 index.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct KanaRow {
    /// `あ行`, …, or `その他`.
    pub label: String,
    pub terms: Vec<KanaTerm>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct KanaTerm {
    /// The term without its reading.
    pub text: String,
    pub id: String,
    #[serde(skip)]
    reading: String,
}

const ROWS: [(&str, char); 10] = [
    ("あ行", 'お'),
    ("か行", 'ご'),
    ("さ行", 'ぞ'),
    ("た行", 'ど'),
    ("な行", 'の'),
    ("は行", 'ぽ'),
    ("ま行", 'も'),
    ("や行", 'よ'),
    ("ら行", 'ろ'),
    ("わ行", 'ん'),
];

fn is_kana(c: char) -> bool {
    matches!(c, '\u{3041}'..='\u{3096}' | '\u{30A1}'..='\u{30FA}' | 'ー' | '・' | '「' | '」' | '　' | ' ')
}

fn to_hiragana(c: char) -> char {
    match c {
        '\u{30A1}'..='\u{30F6}' => char::from_u32(c as u32 - 0x60).unwrap_or(c),
        _ => c,
    }
}

/// The term and its reading, from a heading like `連携（れんけい）` or a
/// heading written in kana (`アセスメント`, `ケアマネジャー（介護支援専門員）`).
fn term_reading(text: &str) -> Option<(String, String)> {
    let text = text.trim();
    if let Some(inner) = text.strip_suffix('）') {
        if let Some(open) = inner.rfind('（') {
            let reading = &inner[open + '（'.len_utf8()..];
            let term = inner[..open].trim();
            if !reading.is_empty() && !term.is_empty() && reading.chars().all(is_kana) {
                return Some((term.to_string(), reading.to_string()));
            }
        }
    }
    let first = text.chars().next()?;
    (is_kana(first) && !matches!(first, 'ー' | '・' | '「' | '」' | '　' | ' '))
        .then(|| (text.to_string(), text.to_string()))
}

fn row_of(reading: &str) -> usize {
    let first = reading
        .chars()
        .map(to_hiragana)
        .find(|c| ('\u{3041}'..='\u{3096}').contains(c));
    match first {
        Some(c) => ROWS
            .iter()
            .position(|(_, last)| c <= *last)
            .unwrap_or(ROWS.len()),
        None => ROWS.len(),
    }
}

/// A 五十音 index of the page's level-3 headings, for a glossary-like page:
/// at least 12 of them and nine in ten giving a reading. Empty otherwise.
pub fn kana_index(headings: &[Heading]) -> Vec<KanaRow> {
    let h3: Vec<&Heading> = headings.iter().filter(|h| h.level == 3).collect();
    let terms: Vec<KanaTerm> = h3
        .iter()
        .filter_map(|h| {
            term_reading(&h.text).map(|(text, reading)| KanaTerm {
                text,
                id: h.id.clone(),
                reading: reading.chars().map(to_hiragana).collect(),
            })
        })
        .collect();
    if h3.len() < 12 || terms.len() * 10 < h3.len() * 9 {
        return Vec::new();
    }
    let mut rows: BTreeMap<usize, Vec<KanaTerm>> = BTreeMap::new();
    for t in terms {
        rows.entry(row_of(&t.reading)).or_default().push(t);
    }
    rows.into_iter()
        .map(|(row, mut terms)| {
            terms.sort_by(|a, b| a.reading.cmp(&b.reading));
            KanaRow {
                label: ROWS.get(row).map_or("その他", |r| r.0).to_string(),
                terms,
            }
        })
        .collect()
}

/// One card of an index page.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Card {
    pub title: String,
    pub url: String,
    pub description: String,
    pub is_section: bool,
    /// The exercises behind the card, `id:hash` separated by spaces, for the
    /// learner's progress (read from the browser's storage by site.js).
    pub exercises: String,
    pub exercise_count: usize,
}

/// Is page `p` in section `s` or below it?
fn within(site: &Site, p: usize, s: usize) -> bool {
    let mut sec = Some(site.pages[p].section);
    while let Some(x) = sec {
        if x == s {
            return true;
        }
        sec = site.sections[x].parent;
    }
    false
}

/// The cards of an index page: its section's children, except those the
/// page's own text already links to (each child is listed once). The home
/// page always shows every child.
pub fn cards(site: &Site, page: &Page, always: bool) -> Vec<Card> {
    let root = root_of(&page.output);
    let places = super::exercise::placements(site);
    site.sections[page.section]
        .children
        .iter()
        .filter_map(|c| {
            let target = Section::target(&site.sections, *c);
            let is_section = matches!(c, Child::Section(_));
            if !always && links_to(page, target) {
                return None;
            }
            // A hidden page (e.g. the lecturers' area) is listed only
            // among hidden pages.
            if site.pages[target].hidden && !page.hidden {
                return None;
            }
            let mut ids: Vec<String> = places
                .iter()
                .filter(|(_, ix)| match *c {
                    Child::Page(p) => **ix == p,
                    Child::Section(s) => within(site, **ix, s),
                })
                .filter_map(|(id, _)| site.exercises.get(id).map(|e| format!("{id}:{}", e.hash)))
                .collect();
            ids.sort();
            Some(Card {
                title: site.pages[target].title.clone(),
                url: format!("{root}{}", super::url(&site.pages[target].output)),
                description: site.pages[target].description.clone(),
                is_section,
                exercise_count: ids.len(),
                exercises: ids.join(" "),
            })
        })
        .collect()
}

fn links_to(page: &Page, target: usize) -> bool {
    page.links.values().any(
        |l| matches!(l, crate::model::LinkTarget::Page { page: p, fragment: None } if *p == target),
    )
}

/// The page to start the course with: the first page in reading order
/// that is not an index.
pub fn start_page(site: &Site) -> Option<usize> {
    site.pages
        .iter()
        .position(|p| p.kind == crate::model::PageKind::Regular && !p.hidden)
}

/// Splits page HTML before its first `<h2`: the lead (what the page is) and
/// the rest.
pub fn split_lead(html: &str) -> (&str, &str) {
    match html.find("<h2") {
        Some(at) => (&html[..at], &html[at..]),
        None => (html, ""),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn builtin_toc_html_lists_and_escapes() {
        let entry = |level, text: &str, id: &str| TocEntry {
            level,
            text: text.into(),
            id: id.into(),
        };
        let toc = [
            entry(2, "連携の基本", "連携の基本"),
            entry(3, "A & <B> \"q\" 'x'", "a-\"b'"),
        ];
        assert_eq!(
            builtin_toc_html(&toc),
            concat!(
                "<nav class=\"toc\" aria-label=\"このページの内容\">\n",
                "  <details class=\"toc-box\">\n",
                "    <summary>このページの内容</summary>\n",
                "    <ul class=\"toc-list\">\n",
                "      <li class=\"toc-level-2\"><a href=\"#連携の基本\">連携の基本</a></li>",
                "<li class=\"toc-level-3\"><a href=\"#a-&quot;b&#39;\">A &amp; &lt;B&gt; &quot;q&quot; &#39;x&#39;</a></li>\n",
                "    </ul>\n",
                "  </details>\n",
                "</nav>\n"
            )
        );
    }

    #[test]
    fn a_sites_own_templates_get_the_headings_as_toc() {
        let dir = tempfile::tempdir().unwrap();
        let write = |rel: &str, text: &str| {
            let path = dir.path().join(rel);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(path, text).unwrap();
        };
        write("site.toml", "title = \"目次\"\n");
        write("content/index.md", "# ホーム\n");
        write("content/a.md", "# 章\n\n## 一\n\n## 二\n\n## 三\n");
        let site = crate::load::load(dir.path()).unwrap();
        // The default templates do without it.
        assert!(!site.theme.needs_toc);
        let html = crate::render::page_html_text(&site, 1);
        assert!(html.contains("class=\"has-toc\""), "{html}");
        assert!(html.contains("href=\"#二\""), "{html}");
        // A page.html of the site's own that lists `toc` gets it.
        write(
            "theme/templates/page.html",
            "<ol>{% for h in toc %}<li>{{ h.id }}</li>{% endfor %}</ol>{% if has_toc %}has{% endif %}",
        );
        let site = crate::load::load(dir.path()).unwrap();
        assert!(site.theme.needs_toc);
        let html = crate::render::page_html_text(&site, 1);
        assert_eq!(html, "<ol><li>一</li><li>二</li><li>三</li></ol>has");
        // A toc.html of the site's own replaces kenshu's in-page contents
        // in the default page.html.
        std::fs::remove_file(dir.path().join("theme/templates/page.html")).unwrap();
        write(
            "theme/templates/partials/toc.html",
            "<ol class=\"mine\">{% for h in toc %}<li>{{ h.text }}</li>{% endfor %}</ol>",
        );
        let site = crate::load::load(dir.path()).unwrap();
        assert!(!site.theme.builtin_toc);
        let html = crate::render::page_html_text(&site, 1);
        assert!(
            html.contains("<ol class=\"mine\"><li>一</li><li>二</li><li>三</li></ol>"),
            "{html}"
        );
        assert!(!html.contains("toc-list"), "{html}");
    }

    fn h(level: u8, text: &str, id: &str) -> Heading {
        Heading {
            level,
            text: text.into(),
            id: id.into(),
        }
    }

    #[test]
    fn readings_from_parentheses_or_kana() {
        assert_eq!(
            term_reading("連携（れんけい）"),
            Some(("連携".into(), "れんけい".into()))
        );
        assert_eq!(
            term_reading("ケアマネジャー（介護支援専門員）"),
            Some((
                "ケアマネジャー（介護支援専門員）".into(),
                "ケアマネジャー（介護支援専門員）".into()
            ))
        );
        assert_eq!(
            term_reading("8050問題（はちまるごーまるもんだい）"),
            Some(("8050問題".into(), "はちまるごーまるもんだい".into()))
        );
        assert_eq!(term_reading("出典"), None);
        assert_eq!(term_reading("演習（2）"), None);
    }

    #[test]
    fn rows_follow_the_first_kana_voiced_or_not() {
        assert_eq!(row_of("れんけい"), 8);
        assert_eq!(row_of("ごみ"), 1);
        assert_eq!(row_of("アセスメント"), 0);
        assert_eq!(row_of("ぱん"), 5);
        assert_eq!(row_of("ん"), 9);
        assert_eq!(row_of("abc"), 10);
    }

    #[test]
    fn kana_index_only_for_glossary_like_pages() {
        let terms = [
            "連携（れんけい）",
            "協働（きょうどう）",
            "アセスメント",
            "見守り（みまもり）",
            "居場所（いばしょ）",
            "会議体（かいぎたい）",
            "民生委員（みんせいいいん）",
            "ひきこもり",
            "社会資源（しゃかいしげん）",
            "多義的（たぎてき）",
            "波長合わせ（はちょうあわせ）",
            "呼吸合わせ（こきゅうあわせ）",
        ];
        let mut hs: Vec<Heading> = terms
            .iter()
            .enumerate()
            .map(|(i, t)| h(3, t, &format!("t{i}")))
            .collect();
        let idx = kana_index(&hs);
        let labels: Vec<&str> = idx.iter().map(|r| r.label.as_str()).collect();
        assert_eq!(
            labels,
            ["あ行", "か行", "さ行", "た行", "は行", "ま行", "ら行"]
        );
        let ka: Vec<&str> = idx[1].terms.iter().map(|t| t.text.as_str()).collect();
        assert_eq!(ka, ["会議体", "協働", "呼吸合わせ"]);
        // A lecture's headings give no readings: no index.
        hs.extend((0..4).map(|i| h(3, "連携の定義", &format!("x{i}"))));
        assert!(kana_index(&hs).is_empty());
        // Too few terms: no index.
        assert!(kana_index(&hs[..5]).is_empty());
    }

    #[test]
    fn lead_is_what_comes_before_the_first_section() {
        assert_eq!(
            split_lead("<p>a</p>\n<h2 id=\"x\">b</h2><p>c</p>"),
            ("<p>a</p>\n", "<h2 id=\"x\">b</h2><p>c</p>")
        );
        assert_eq!(split_lead("<p>a</p>"), ("<p>a</p>", ""));
    }
}
