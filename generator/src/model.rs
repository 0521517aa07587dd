//! The typed model of a site: what `load` produces and `render` consumes.
//!
//! Everything here is plain data, already validated: rendering it cannot
//! fail on user input.

use std::collections::BTreeMap;
use std::path::PathBuf;

use crate::config::SiteConfig;
use crate::theme::Theme;

/// A whole site, ready to render.
#[derive(Debug, Clone)]
pub struct Site {
    pub config: SiteConfig,
    /// All pages; `pages[0]` is the home page. Sorted in reading order
    /// (depth first: a section's index page, then its children).
    pub pages: Vec<Page>,
    /// All sections (folders of pages); `sections[0]` is the root.
    pub sections: Vec<Section>,
    /// Files copied as they are (images, downloads), by output path.
    pub assets: Vec<Asset>,
    pub theme: Theme,
    pub exercises: ExerciseSet,
    /// Problems found while loading that do not stop the build (front
    /// matter keys kenshu does not use, other tools' template syntax,
    /// pages a SUMMARY.md leaves out), sorted by file and position.
    pub warnings: Vec<crate::diagnostic::Diagnostic>,
    /// The rule its headings take their ids by: that of the tool the
    /// repository was written for (kenshu's for a kenshu site). Each page
    /// carries it in [`Page::vars`], for every parse of it.
    pub slug_rule: crate::markdown::slug::SlugRule,
}

/// A folder of `content/` that holds pages.
#[derive(Debug, Clone)]
pub struct Section {
    /// Folder path relative to `content/`, with `/` separators; "" for root.
    pub dir: String,
    /// Index into `Site::pages` of the section's index page.
    pub index_page: usize,
    /// Parent section (None for the root).
    pub parent: Option<usize>,
    /// Children in order.
    pub children: Vec<Child>,
    /// The children readers of the site's other pages see listed (those
    /// whose page is not hidden), in order: the sidebar of a page that is
    /// not hidden lists these.
    pub listed: Vec<Child>,
}

impl Section {
    /// The page child `c` of a section stands for: itself, or a
    /// subsection's index page.
    pub fn target(sections: &[Section], c: Child) -> usize {
        match c {
            Child::Page(p) => p,
            Child::Section(s) => sections[s].index_page,
        }
    }

    /// Sets every section's [`Section::listed`] from its children and the
    /// pages' `hidden`: whoever changes either calls this again.
    pub fn fill_listed(pages: &[Page], sections: &mut [Section]) {
        for s in 0..sections.len() {
            let listed = sections[s]
                .children
                .iter()
                .copied()
                .filter(|&c| !pages[Section::target(sections, c)].hidden)
                .collect();
            sections[s].listed = listed;
        }
    }
}

/// An entry of a section, in navigation order.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Child {
    Page(usize),
    Section(usize),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PageKind {
    Home,
    /// The index page of a section (from `index.md`, or generated).
    SectionIndex,
    Regular,
}

/// One output page. Two pages that compare equal render the same in the
/// same site (`serve` relies on it to re-render only what changed).
#[derive(Debug, Clone, PartialEq)]
pub struct Page {
    pub kind: PageKind,
    /// Source file relative to the site folder (`content/a/01-b.md`); for a
    /// generated section index, the folder's would-be `index.md`.
    pub source: PathBuf,
    /// The same file relative to the content folder, `/`-separated
    /// (`a/01-b.md`): the content folder is `content/`, or another tool's
    /// (`src/` of an mdBook, see `load::repo`).
    pub rel: String,
    /// Training metadata from the front matter (学習目標, 想定時間,
    /// 前提知識), as (label, values) rows shown under the page's title.
    pub training: Vec<(String, Vec<String>)>,
    /// True when there is no Markdown file behind this page.
    pub generated: bool,
    /// Output path relative to the output root, `/`-separated (`a/b.html`).
    pub output: String,
    pub title: String,
    pub description: String,
    pub weight: Option<i64>,
    /// Build a slide deck from this page.
    pub slides: bool,
    /// Out of the navigation (sidebar, previous/next, section listings,
    /// search): `hidden = true` in its front matter or in the `index.md` of
    /// a section above it. Hidden pages link among themselves.
    pub hidden: bool,
    /// Extra classes for the page's `<body>` (front matter `class`).
    pub class: String,
    /// Markdown body (front matter removed). Shared with the page's parse
    /// ([`crate::markdown::Kept`]) when it has no `{{#include}}`: the text
    /// is held once.
    pub body: std::sync::Arc<str>,
    /// Byte offset of `body` within the source file.
    pub body_offset: usize,
    /// Number of lines before `body` in the source file (front matter).
    pub body_line: usize,
    /// The front matter's values, for `{{ $frontmatter.x }}` in the body
    /// (empty when the body has no `{{`).
    pub vars: crate::markdown::PageVars,
    /// Headings in document order, with their anchor ids.
    pub headings: Vec<Heading>,
    /// Other link targets in the page: `id`s written in raw HTML.
    pub anchors: Vec<String>,
    /// The directives (`{{#exercise id}}`, …) of the body, in order.
    pub directives: Vec<crate::markdown::Directive>,
    /// How each link/image destination written in the body resolves.
    pub links: BTreeMap<String, LinkTarget>,
    /// Section this page belongs to (for a section index: that section).
    pub section: usize,
    /// mdBook `{{#include}}`s in code blocks: where each is written in
    /// `body`, and the text that replaces it (see [`Page::markdown`]).
    pub includes: Vec<(std::ops::Range<usize>, String)>,
}

impl Page {
    /// The ids a link `page#id` may end in: its headings' anchors, then
    /// the ids written in its raw HTML.
    pub fn anchor_ids(&self) -> impl Iterator<Item = &str> {
        self.headings
            .iter()
            .map(|h| h.id.as_str())
            .chain(self.anchors.iter().map(String::as_str))
    }

    /// Whether `text` is [`Page::markdown`] (compared without making it).
    pub fn is_markdown(&self, text: &str) -> bool {
        // The page's parse shares its body (see `body`): the same bytes.
        if self.includes.is_empty() && std::ptr::eq(self.body.as_ref(), text) {
            return true;
        }
        let mut rest = text;
        let mut at = 0;
        for (range, included) in &self.includes {
            if range.start < at || range.end > self.body.len() {
                continue;
            }
            let Some(r) = rest
                .strip_prefix(&self.body[at..range.start])
                .and_then(|r| r.strip_prefix(included.as_str()))
            else {
                return false;
            };
            rest = r;
            at = range.end;
        }
        rest == &self.body[at..]
    }

    /// The Markdown to render: `body` with its `{{#include}}`s replaced.
    pub fn markdown(&self) -> std::borrow::Cow<'_, str> {
        if self.includes.is_empty() {
            return std::borrow::Cow::Borrowed(&self.body);
        }
        let mut out = String::with_capacity(self.body.len());
        let mut at = 0;
        for (range, text) in &self.includes {
            if range.start < at || range.end > self.body.len() {
                continue;
            }
            out.push_str(&self.body[at..range.start]);
            out.push_str(text);
            at = range.end;
        }
        out.push_str(&self.body[at..]);
        std::borrow::Cow::Owned(out)
    }
}

pub use crate::markdown::Heading;

/// One entry of a page's in-page contents: a heading, or an entry that is
/// no heading of the Markdown (an exercise of the answer key).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct TocEntry {
    pub level: u8,
    pub text: String,
    pub id: String,
}

/// Where a link written in Markdown points, once checked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LinkTarget {
    /// Left as written (external URL, mailto:, …).
    External(String),
    /// A page of the site, optionally a heading in it.
    Page {
        page: usize,
        fragment: Option<String>,
    },
    /// A copied file, by its output path.
    Asset {
        output: String,
        fragment: Option<String>,
    },
}

/// A file copied to the output unchanged.
#[derive(Debug, Clone)]
pub struct Asset {
    /// Absolute path of the source file.
    pub source: PathBuf,
    /// Output path relative to the output root, `/`-separated.
    pub output: String,
}

/// The directive that embeds one exercise (`{{#exercise ID}}`).
pub const EXERCISE: &str = "exercise";
/// The directive of the 学習の記録 island (`{{#exercise-progress}}`).
pub const PROGRESS: &str = "exercise-progress";
/// The directive of the 復習 page (`{{#exercise-review}}`): a round of the
/// items the learner got wrong or was unsure of, across the course.
pub const REVIEW: &str = "exercise-review";
/// How many 復習 items are due, with a link to the 復習 page
/// (`{{#exercise-review-due}}`; the home page, 学習の記録).
pub const REVIEW_DUE: &str = "exercise-review-due";
/// The directive of the lecturers' 集計 page (`{{#exercise-report}}`): the
/// site's exercise data for theme/static/report.js, which aggregates the
/// trainees' records in the browser.
pub const REPORT: &str = "exercise-report";
/// The directive of the static list of all exercises (`{{#exercise-list}}`).
pub const LIST: &str = "exercise-list";
/// The directive of the answer key (lecturer's sheet) of every exercise
/// (`{{#exercise-key}}`).
pub const KEY: &str = "exercise-key";

/// One validated exercise.
#[derive(Debug, Clone)]
pub struct ExerciseEntry {
    pub exercise: kenshu_exercises::Exercise,
    /// The exercise as JSON (what the page embeds).
    pub json: String,
    /// Content hash of `json`: stored answers are keyed by it.
    pub hash: String,
    /// The file it came from (as shown in messages).
    pub source: std::path::PathBuf,
}

/// All exercises of the site, by id.
#[derive(Debug, Clone, Default)]
pub struct ExerciseSet {
    pub by_id: std::collections::BTreeMap<String, ExerciseEntry>,
}
