//! Incremental rebuilds for the live preview.
//!
//! Every rebuild loads the whole site again (so every cross-page check —
//! links, anchors, output clashes — stays exactly as strict as in
//! `kenshu build`), then compares the new model with the previous one and
//! re-renders only what can have changed:
//!
//! - a page whose own model changed (body, title, links, …) is re-rendered;
//! - when its description changed, the index page listing it is too;
//! - when anything shared by every page changed (a title or the order,
//!   i.e. the navigation, the section tree, the list of files, site.toml,
//!   the theme or the exercises), the whole site is rendered again.
//!
//! The output is kept in memory; copied files (images, …) are read from
//! their source when requested.

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};
use std::hash::{DefaultHasher, Hash, Hasher};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, Instant};

use crate::diagnostic::Diagnostic;
use crate::model::{LinkTarget, Page, PageKind, Site};
use crate::pipeline::Pipeline;
use crate::render::{self, Contents, OutputFile};

/// One file of the in-memory output.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Served {
    Bytes(Arc<[u8]>),
    /// Read from this source file when requested.
    File(PathBuf),
}

/// The output of a successful build, by output path.
pub type Files = HashMap<String, Served>;

/// What changed between two builds.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Change {
    /// Output paths whose contents changed (sorted).
    pub changed: Vec<String>,
    /// True when the whole site was rendered again.
    pub full: bool,
    /// True when the quick path ([`Builder::quick_update`]) made it: a full
    /// load should follow to confirm it.
    pub quick: bool,
    /// Pages rendered by this rebuild.
    pub rendered: usize,
    /// The build's warnings (the loader's, then the decks'), as `kenshu
    /// build` prints them — only when they differ from the last good
    /// build's (all of them after the first build), so an edit that
    /// changes none prints none. A quick update has none: the full load
    /// that confirms it reports them.
    pub warnings: Vec<Diagnostic>,
    pub load_time: Duration,
    pub render_time: Duration,
}

/// Hashes a value's `Debug` form without building the string: every field,
/// including ones added to the model later, takes part in the comparison.
fn debug_hash(value: &impl std::fmt::Debug) -> u64 {
    struct W(DefaultHasher);
    impl std::fmt::Write for W {
        fn write_str(&mut self, s: &str) -> std::fmt::Result {
            self.0.write(s.as_bytes());
            Ok(())
        }
    }
    let mut w = W(DefaultHasher::new());
    let _ = std::fmt::write(&mut w, format_args!("{value:?}"));
    w.0.finish()
}

/// What every page's HTML depends on besides its own model.
fn global_key(site: &Site) -> u64 {
    let mut h = DefaultHasher::new();
    debug_hash(&site.config).hash(&mut h);
    debug_hash(&site.sections).hash(&mut h);
    debug_hash(&site.exercises).hash(&mut h);
    site.theme.statics.hash(&mut h);
    // Which page embeds each exercise: progress and list pages show it.
    debug_hash(&render::exercise::placements(site)).hash(&mut h);
    for p in &site.pages {
        (
            &p.output,
            &p.title,
            p.kind == PageKind::Regular,
            p.section,
            p.slides,
            p.hidden,
        )
            .hash(&mut h);
    }
    h.finish()
}

struct Last {
    global: u64,
    /// The model of the last good build.
    site: Site,
    files: Files,
    /// What the search index knows of every page ([`render::search::page_text`]).
    search: Vec<render::search::PageText>,
    /// True when `search` changed since the index in `files` was made: a
    /// quick update leaves the index for [`Builder::refresh_search`], so
    /// the browsers reload without waiting for it.
    search_stale: bool,
    /// The decks' warnings, in page order (the loader's are in `site`).
    deck_warnings: Vec<Diagnostic>,
    /// The offline list's hashes of the files served (see [`put_offline`]).
    hashes: Hashes,
}

impl Last {
    /// The build's warnings, as [`render::Rendered::warnings`] orders them.
    fn warnings(&self) -> Vec<Diagnostic> {
        let mut all = self.site.warnings.clone();
        all.extend(self.deck_warnings.iter().cloned());
        all
    }
}

/// The decks' warnings after pages `dirty` were rendered again (`new`:
/// their warnings): the others' are kept, all in page order.
fn merge_deck_warnings(
    site: &Site,
    old: &[Diagnostic],
    dirty: &BTreeSet<usize>,
    new: Vec<(usize, Vec<Diagnostic>)>,
) -> Vec<Diagnostic> {
    let by_source: HashMap<&Path, usize> = site
        .pages
        .iter()
        .enumerate()
        .map(|(ix, p)| (p.source.as_path(), ix))
        .collect();
    let mut all: Vec<(usize, Diagnostic)> = old
        .iter()
        .filter_map(|w| {
            let ix = *by_source.get(w.file.as_path())?;
            (!dirty.contains(&ix)).then(|| (ix, w.clone()))
        })
        .collect();
    all.extend(
        new.into_iter()
            .flat_map(|(ix, ws)| ws.into_iter().map(move |w| (ix, w))),
    );
    // Stable: a page's warnings stay in slide order.
    all.sort_by_key(|(ix, _)| *ix);
    all.into_iter().map(|(_, w)| w).collect()
}

/// Puts the search index made of `pages` into `files`, in place of the last
/// one. It is never reported as changed: pages load it when a search
/// starts, so a new one is no reason to reload them.
fn put_search_index(files: &mut Files, pages: &[render::search::PageText]) {
    files.retain(|path, _| !path.starts_with(render::search::INDEX_DIR));
    for (path, js) in render::search::build_index(pages) {
        files.insert(path, Served::Bytes(js.into_bytes().into()));
    }
}

/// A served file's hash and size as the offline list gives them, with
/// what they were made from: kept between rebuilds, so that an edit hashes
/// the files it changed, not the whole site.
#[derive(Debug, Clone)]
struct Hashed {
    from: Served,
    /// A copied file's time of change.
    modified: Option<std::time::SystemTime>,
    hash: u64,
    size: u64,
}

/// Hashes and sizes by output path (see [`Hashed`]).
type Hashes = HashMap<String, Hashed>;

/// The offline worker and its list of files, made again from the files
/// served now (a partial render changes pages without the full render that
/// writes them): the same bytes `render::render` writes for these files.
/// Pages for lecturers (`hidden = true`) and their decks stay out, as there.
/// `hashes`: what the last call hashed, brought up to date.
fn put_offline(files: &mut Files, site: &Site, hashes: &mut Hashes) {
    let left_out: HashSet<String> = site
        .pages
        .iter()
        .filter(|p| p.hidden)
        .flat_map(|p| [p.output.clone(), render::deck::deck_output(&p.output)])
        .collect();
    hashes.retain(|path, _| files.contains_key(path));
    let list = files
        .iter()
        .filter(|(path, _)| !left_out.contains(path.as_str()))
        .map(|(path, served)| {
            let modified = match served {
                Served::File(src) => std::fs::metadata(src).and_then(|m| m.modified()).ok(),
                Served::Bytes(_) => None,
            };
            let same = |h: &&Hashed| {
                h.modified == modified
                    && match (&h.from, served) {
                        (Served::Bytes(a), Served::Bytes(b)) => Arc::ptr_eq(a, b),
                        (a, b) => a == b,
                    }
            };
            let (hash, size) = match hashes.get(path).filter(same) {
                Some(h) => (h.hash, h.size),
                None => {
                    let (hash, size) = match served {
                        Served::Bytes(b) => (render::offline::bytes_hash(b), b.len() as u64),
                        Served::File(src) => (
                            render::offline::source_hash(src),
                            render::offline::source_size(src),
                        ),
                    };
                    let from = served.clone();
                    let h = Hashed {
                        from,
                        modified,
                        hash,
                        size,
                    };
                    hashes.insert(path.clone(), h);
                    (hash, size)
                }
            };
            (path.clone(), hash, size)
        })
        .collect();
    for f in render::offline::files(list) {
        files.insert(f.path.clone(), served(f));
    }
}

/// The bytes `serve` answers with for a rendered file.
fn served(f: OutputFile) -> Served {
    match f.contents {
        Contents::Bytes(b) => Served::Bytes(b.into()),
        Contents::Copy(p) => Served::File(p),
    }
}

/// Renders pages `dirty` of `last.site` (and their slide decks) into
/// `last.files`; returns the paths whose contents changed and the pages'
/// search texts. Changes nothing and returns None when any of them fails
/// to render.
fn render_into(
    last: &mut Last,
    dirty: &BTreeSet<usize>,
) -> Option<(Vec<String>, BTreeMap<usize, render::search::PageText>)> {
    let mut outputs = Vec::new();
    let mut texts = BTreeMap::new();
    let mut warned = Vec::new();
    for (ix, page) in crate::pipeline::render_pages(&last.site, dirty, Vec::new()) {
        for f in page.files {
            outputs.push(f.ok()?);
        }
        texts.insert(ix, page.text);
        warned.push((ix, page.warnings));
    }
    last.deck_warnings = merge_deck_warnings(&last.site, &last.deck_warnings, dirty, warned);
    let mut changed = BTreeSet::new();
    for f in outputs {
        let path = f.path.clone();
        let served = served(f);
        if last.files.get(&path) != Some(&served) {
            changed.insert(path.clone());
            last.files.insert(path, served);
        }
    }
    Some((changed.into_iter().collect(), texts))
}

/// The index page that lists page `ix` among its children (with its
/// title and description).
fn lister(site: &Site, ix: usize) -> Option<usize> {
    let section = &site.sections[site.pages[ix].section];
    if section.index_page == ix {
        section.parent.map(|s| site.sections[s].index_page)
    } else {
        Some(section.index_page)
    }
}

/// The quick path's model of one edited page: the file read as the full
/// load reads it ([`crate::load::read_page`]), with its links as written
/// (resolved by [`Builder::quick_update`] as the full load resolves them),
/// or None when the edit may change more than what other pages show of it
/// (another front matter key, a heading another page links to, a
/// directive, an error or a warning).
fn quick_page(
    site_dir: &Path,
    site: &Site,
    ix: usize,
) -> Option<(Page, Vec<crate::markdown::LinkRef>)> {
    let old = &site.pages[ix];
    // Included files are read by the full load.
    if old.generated || !old.includes.is_empty() {
        return None;
    }
    let rel = crate::load::links::content_rel(old);
    let is_index = old.kind != PageKind::Regular;
    let (mut page, written) =
        crate::load::read_page(site_dir, &rel, is_index, site.slug_rule).ok()??;
    if !page.includes.is_empty() || page.output != old.output {
        return None;
    }
    // New headings or ids: every link of the other pages to this page's
    // anchors must still find its target.
    if page.headings != old.headings || page.anchors != old.anchors {
        let ids: HashSet<&str> = page.anchor_ids().collect();
        let broken = site
            .pages
            .iter()
            .enumerate()
            .filter(|(j, _)| *j != ix)
            .flat_map(|(_, p)| p.links.values())
            .any(|t| {
                matches!(t, LinkTarget::Page { page, fragment: Some(f) }
                    if *page == ix && !f.is_empty() && !ids.contains(f.as_str()))
            });
        if broken {
            return None;
        }
    }
    let names = |p: &Page| -> Vec<(String, String)> {
        p.directives
            .iter()
            .map(|d| (d.name.clone(), d.arg.clone()))
            .collect()
    };
    if names(&page) != names(old)
        || page.weight != old.weight
        || page.slides != old.slides
        || page.hidden != old.hidden
    {
        return None;
    }
    page.section = old.section;
    Some((page, written))
}

/// Whether page `j` of `site` shows the title of page `ix` (whose output
/// is `ix_url` as written in an href from the root): the page itself, its
/// sidebar, its previous and next links, its breadcrumbs; index pages
/// (their cards, the home page's start link) and pages with directives
/// (exercise lists, progress) are rendered again whatever they show.
fn shows_title(site: &Site, j: usize, ix: usize, ix_url: &str) -> bool {
    let page = &site.pages[j];
    if j == ix || page.kind != PageKind::Regular || !page.directives.is_empty() {
        return true;
    }
    let same = |p: &usize| site.pages[*p].hidden == page.hidden;
    if (0..j).rev().find(same) == Some(ix) || (j + 1..site.pages.len()).find(same) == Some(ix) {
        return true;
    }
    let mut sec = Some(page.section);
    while let Some(s) = sec {
        if site.sections[s].index_page == ix {
            return true;
        }
        sec = site.sections[s].parent;
    }
    let href = format!("{}{ix_url}", render::root_of(&page.output));
    render::nav::items(site, j)
        .iter()
        .any(|item| item.url == href)
}

/// Keeps the last good build and produces the next one incrementally.
pub struct Builder {
    site_dir: PathBuf,
    last: Option<Last>,
    /// After a quick update of a title: the pages already rendered, and
    /// the pages whose title changed.
    rest: Option<(BTreeSet<usize>, Vec<usize>)>,
}

impl Builder {
    pub fn new(site_dir: &Path) -> Self {
        Builder {
            site_dir: site_dir.to_path_buf(),
            last: None,
            rest: None,
        }
    }

    /// The files of the last good build, if any.
    pub fn files(&self) -> Option<&Files> {
        self.last.as_ref().map(|l| &l.files)
    }

    /// The quick path for the most common edit — the text of existing
    /// pages, nothing else: re-reads and re-parses only those pages and
    /// renders only them, reusing the last build's model for the rest.
    ///
    /// Returns None when it does not apply (see [`quick_page`]; also for
    /// any other file that exists, or was part of the site); then
    /// [`Builder::rebuild`] must run. When it applies, a full
    /// `rebuild(false, &[])` should follow soon to confirm every check of
    /// the full load; it normally finds nothing to do.
    pub fn quick_update(&mut self, touched: &[PathBuf]) -> Option<Change> {
        let start = Instant::now();
        let last = self.last.as_mut()?;
        let mut updates: Vec<(usize, Page, Vec<crate::markdown::LinkRef>)> = Vec::new();
        for path in touched {
            let rel = path.strip_prefix(&self.site_dir).ok()?;
            let found = last
                .site
                .pages
                .iter()
                .position(|p| !p.generated && p.source == rel);
            match found {
                Some(ix) => {
                    if !updates.iter().any(|(i, _, _)| *i == ix) {
                        let (page, written) = quick_page(&self.site_dir, &last.site, ix)?;
                        updates.push((ix, page, written));
                    }
                }
                // A temporary file that came and went (an editor's save,
                // `sed -i`) is no part of the site; anything else may be.
                None => {
                    if path.symlink_metadata().is_ok()
                        || last.site.assets.iter().any(|a| &a.source == path)
                    {
                        return None;
                    }
                }
            }
        }
        let load_time = start.elapsed();
        let t1 = Instant::now();
        // Swap the new pages in and resolve their links as the full load
        // does (the other pages, the files and the exercises are the last
        // build's, which is what the full load would find); render them,
        // and put the old ones back if anything fails (the full rebuild
        // will then report why).
        let mut olds = Vec::new();
        let mut refs = HashMap::new();
        for (ix, page, written) in updates {
            refs.insert(page.source.clone(), written);
            olds.push((ix, std::mem::replace(&mut last.site.pages[ix], page)));
        }
        let mut errors = Vec::new();
        // A link by another tool's heading id resolves here as in the full
        // load; its warning is the full load's to report (it follows).
        let site = &mut last.site;
        let _warnings = crate::load::links::resolve(
            &mut site.pages,
            &refs,
            &site.assets,
            &site.exercises,
            &site.config.links,
            site.slug_rule,
            &mut errors,
        );
        if !errors.is_empty() {
            for (ix, old) in olds {
                last.site.pages[ix] = old;
            }
            return None;
        }
        olds.retain(|(ix, old)| *old != last.site.pages[*ix]);
        // A new description shows on the index page listing the page.
        let mut dirty: BTreeSet<usize> = olds.iter().map(|(ix, _)| *ix).collect();
        for (ix, old) in &olds {
            if old.description != last.site.pages[*ix].description {
                dirty.extend(lister(&last.site, *ix));
            }
        }
        // A new title shows in the navigation, the neighbours' links, the
        // breadcrumbs: every page is rendered again, the edited ones first
        // ([`Builder::render_rest`] does the others).
        let retitled: Vec<usize> = olds
            .iter()
            .filter(|(ix, old)| old.title != last.site.pages[*ix].title)
            .map(|(ix, _)| *ix)
            .collect();
        let titled = !retitled.is_empty();
        if titled {
            for (ix, _) in &olds {
                dirty.extend(lister(&last.site, *ix));
            }
        }
        let Some((changed, mut texts)) = render_into(last, &dirty) else {
            for (ix, old) in olds {
                last.site.pages[ix] = old;
            }
            return None;
        };
        // The edited pages' search text (other pages' text is unchanged).
        // The index made of it waits for [`Builder::refresh_search`]:
        // making it takes longer than the rest of the quick path.
        for (ix, _) in &olds {
            if let (Some(entry), Some(text)) = (last.search.get_mut(*ix), texts.remove(ix)) {
                last.search_stale |= *entry != text;
                *entry = text;
            }
        }
        put_offline(&mut last.files, &last.site, &mut last.hashes);
        if titled {
            last.global = global_key(&last.site);
            self.rest = Some((dirty.clone(), retitled));
        }
        Some(Change {
            changed,
            full: false,
            quick: true,
            rendered: dirty.len(),
            warnings: Vec::new(),
            load_time,
            render_time: t1.elapsed(),
        })
    }

    /// Makes the search index again when a quick update changed a page's
    /// search text (it leaves the index for later, so the edited page is
    /// served first); returns true when the files changed. The index is
    /// never reported as changed: pages load it when a search starts.
    pub fn refresh_search(&mut self) -> bool {
        let Some(last) = self.last.as_mut().filter(|l| l.search_stale) else {
            return false;
        };
        put_search_index(&mut last.files, &last.search);
        put_offline(&mut last.files, &last.site, &mut last.hashes);
        last.search_stale = false;
        true
    }

    /// True when a quick update left pages to render ([`Builder::render_rest`]).
    pub fn has_rest(&self) -> bool {
        self.rest.is_some()
    }

    /// Renders the pages a quick update of a title left for later: the
    /// others that show the title ([`shows_title`]). None when there are
    /// none, or rendering failed (the full rebuild that follows a quick
    /// update reports why).
    pub fn render_rest(&mut self) -> Option<Change> {
        use rayon::prelude::*;
        let (done, retitled) = self.rest.take()?;
        let last = self.last.as_mut()?;
        let start = Instant::now();
        let site = &last.site;
        let urls: Vec<(usize, String)> = retitled
            .iter()
            .map(|&ix| (ix, render::url(&site.pages[ix].output)))
            .collect();
        let dirty: BTreeSet<usize> = (0..site.pages.len())
            .into_par_iter()
            .filter(|j| {
                !done.contains(j) && urls.iter().any(|(ix, url)| shows_title(site, *j, *ix, url))
            })
            .collect::<Vec<usize>>()
            .into_iter()
            .collect();
        let (changed, _) = render_into(last, &dirty)?;
        put_offline(&mut last.files, &last.site, &mut last.hashes);
        Some(Change {
            changed,
            full: false,
            quick: true,
            rendered: dirty.len(),
            warnings: Vec::new(),
            load_time: Duration::ZERO,
            render_time: start.elapsed(),
        })
    }

    /// Rebuilds after the given source files changed. `force_full` renders
    /// everything (theme edits, lost file-system events). `touched` are the
    /// changed source paths: copied files among them count as changed
    /// output even though nothing is re-rendered. On error the last good
    /// build is kept.
    pub fn rebuild(
        &mut self,
        force_full: bool,
        touched: &[PathBuf],
    ) -> Result<Change, Vec<Diagnostic>> {
        let t0 = Instant::now();
        let mut pipeline = Pipeline::load(&self.site_dir)?;
        let mut hashes = match self.last.as_mut() {
            Some(last) => std::mem::take(&mut last.hashes),
            None => Hashes::new(),
        };
        // Whatever a quick update left to render is rendered now if needed.
        self.rest = None;
        let load_time = t0.elapsed();
        let t1 = Instant::now();
        let global = global_key(pipeline.site());

        let incremental = match &self.last {
            Some(last) if !force_full && last.global == global => Some(last),
            _ => None,
        };
        let mut change = Change {
            load_time,
            ..Change::default()
        };
        let mut search: Vec<render::search::PageText>;
        let deck_warnings: Vec<Diagnostic>;
        let (site, files) = match incremental {
            None => {
                let (site, (rendered, texts, mut warnings)) = pipeline.render_all()?;
                search = texts;
                deck_warnings = warnings.split_off(site.warnings.len().min(warnings.len()));
                change.full = true;
                change.rendered = site.pages.len();
                (site, to_files(rendered))
            }
            Some(last) => {
                search = last.search.clone();
                // A quick update may have left the index for later.
                let mut renew = last.search_stale;
                // Same pages in the same order with the same titles: only
                // pages whose own model changed need rendering, plus the
                // index listing a page whose description changed.
                // The global key covers every page's output path and order,
                // so pages pair up by index.
                let mut dirty = BTreeSet::new();
                for (ix, p) in pipeline.site().pages.iter().enumerate() {
                    let Some(old) = last.site.pages.get(ix).filter(|o| o.output == p.output) else {
                        dirty.insert(ix);
                        continue;
                    };
                    if old != p {
                        dirty.insert(ix);
                        if old.description != p.description {
                            dirty.extend(lister(pipeline.site(), ix));
                        }
                    }
                }
                let rendered = pipeline.render_pages(&dirty);
                let site = pipeline.into_site();
                let mut files = last.files.clone();
                // Copied files are served from their source: a file added
                // or removed changes no page (a page linking to it changes
                // its own links, so it is re-rendered above). As in
                // `render::render`, a rendered file wins over a copied one.
                for a in &last.site.assets {
                    let kept = site.assets.iter().any(|n| n.output == a.output);
                    if !kept && files.get(&a.output) == Some(&Served::File(a.source.clone())) {
                        files.remove(&a.output);
                    }
                }
                for a in &site.assets {
                    files
                        .entry(a.output.clone())
                        .or_insert_with(|| Served::File(a.source.clone()));
                }
                // Only the changed pages' search text is new; the index is
                // made again when any text changed.
                let mut errors = Vec::new();
                let mut warned = Vec::new();
                for (ix, page) in rendered {
                    warned.push((ix, page.warnings));
                    for f in page.files {
                        match f {
                            Ok(f) => {
                                files.insert(f.path.clone(), served(f));
                            }
                            Err(e) => errors.push(e),
                        }
                    }
                    if let Some(entry) = search.get_mut(ix) {
                        renew |= *entry != page.text;
                        *entry = page.text;
                    }
                }
                if !errors.is_empty() {
                    return Err(errors);
                }
                if renew {
                    put_search_index(&mut files, &search);
                }
                put_offline(&mut files, &site, &mut hashes);
                deck_warnings = merge_deck_warnings(&site, &last.deck_warnings, &dirty, warned);
                change.rendered = dirty.len();
                (site, files)
            }
        };
        change.render_time = t1.elapsed();

        // What differs from the last build, for the browsers to reload.
        let mut changed: BTreeSet<String> = BTreeSet::new();
        match &self.last {
            // Nothing to compare with: everything may have changed.
            None => {
                changed.insert("*".to_string());
            }
            Some(last) => {
                // Rendered files that differ. Copied files that appear or
                // go away concern no open page (editors' temporary files
                // come and go all the time); edited ones are added below.
                for (path, served) in &files {
                    // Pages load the search index when a search starts:
                    // a new one is no reason to reload every tab.
                    if path.starts_with(render::search::INDEX_DIR) {
                        continue;
                    }
                    // Nor is the offline worker and its list, made again
                    // whenever any file changes.
                    if path == render::offline::WORKER || path == render::offline::LIST {
                        continue;
                    }
                    let old = last.files.get(path);
                    let copied_only = matches!(served, Served::File(_))
                        && old.is_none_or(|o| matches!(o, Served::File(_)));
                    if old != Some(served) && !copied_only {
                        changed.insert(path.clone());
                    }
                }
                for (path, old) in &last.files {
                    if !files.contains_key(path) && !matches!(old, Served::File(_)) {
                        changed.insert(path.clone());
                    }
                }
            }
        }
        let content = self.site_dir.join("content");
        for a in &site.assets {
            if touched
                .iter()
                .any(|t| t == &a.source || same_file_in(&content, t, &a.source))
            {
                changed.insert(a.output.clone());
            }
        }
        change.changed = changed.into_iter().collect();

        let last = Last {
            global,
            site,
            files,
            search,
            search_stale: false,
            deck_warnings,
            hashes,
        };
        let warnings = last.warnings();
        if self.last.as_ref().is_none_or(|l| l.warnings() != warnings) {
            change.warnings = warnings;
        }
        self.last = Some(last);
        Ok(change)
    }
}

/// True when `touched` (as reported by the watcher, possibly absolute and
/// canonical) and `source` name the same file under `content`.
fn same_file_in(content: &Path, touched: &Path, source: &Path) -> bool {
    let rel = |p: &Path| -> Option<PathBuf> {
        p.strip_prefix(content)
            .ok()
            .map(Path::to_path_buf)
            .or_else(|| {
                let c = content.canonicalize().ok()?;
                p.strip_prefix(&c).ok().map(Path::to_path_buf)
            })
    };
    match (rel(touched), rel(source)) {
        (Some(a), Some(b)) => a == b,
        _ => false,
    }
}

fn to_files(rendered: Vec<OutputFile>) -> Files {
    rendered
        .into_iter()
        .map(|f| (f.path.clone(), served(f)))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn write(dir: &Path, rel: &str, text: &str) {
        let p = dir.join(rel);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, text).unwrap();
    }

    fn html(files: &Files, path: &str) -> String {
        match files.get(path) {
            Some(Served::Bytes(b)) => String::from_utf8_lossy(b).to_string(),
            other => panic!("{path}: {other:?}"),
        }
    }

    fn site() -> tempfile::TempDir {
        let dir = tempfile::tempdir().unwrap();
        write(dir.path(), "site.toml", "title = \"t\"\n");
        write(
            dir.path(),
            "content/index.md",
            "# ホーム\n\n[a](a/01-x.md)\n",
        );
        write(dir.path(), "content/a/index.md", "# 章\n");
        write(
            dir.path(),
            "content/a/01-x.md",
            "+++\ndescription = \"d1\"\n+++\n# エックス\n\n本文一\n",
        );
        write(dir.path(), "content/a/02-y.md", "# ワイ\n\n本文二\n");
        write(dir.path(), "content/img.svg", "<svg/>");
        dir
    }

    /// serve reports the warnings `kenshu build` prints: all after the
    /// first build, then only when an edit changes them.
    #[test]
    fn warnings_are_reported_when_they_change() {
        let dir = site();
        let mut b = Builder::new(dir.path());
        let first = b.rebuild(false, &[]).unwrap();
        assert!(first.warnings.is_empty(), "{:?}", first.warnings);
        let warned = "---\nfoo: 1\n---\n# ワイ\n\n本文二\n";
        write(dir.path(), "content/a/02-y.md", warned);
        let c = b.rebuild(false, &[]).unwrap();
        let shown: Vec<String> = c
            .warnings
            .iter()
            .map(|w| w.as_warning().to_string())
            .collect();
        assert_eq!(shown.len(), 1, "{shown:?}");
        assert!(
            shown[0].contains("02-y.md:2:1: warning: front matter key `foo`"),
            "{shown:?}"
        );
        // Another edit that leaves them as they are prints nothing.
        write(
            dir.path(),
            "content/a/01-x.md",
            "# エックス\n\n本文を直した\n",
        );
        let c = b.rebuild(false, &[]).unwrap();
        assert!(c.warnings.is_empty(), "{:?}", c.warnings);
        let mut fresh = Builder::new(dir.path());
        let all = fresh.rebuild(false, &[]).unwrap();
        assert_eq!(all.warnings.len(), 1);
    }

    #[test]
    fn body_edit_renders_one_page() {
        let dir = site();
        let mut b = Builder::new(dir.path());
        let first = b.rebuild(false, &[]).unwrap();
        assert!(first.full);
        write(dir.path(), "content/a/02-y.md", "# ワイ\n\n本文三\n");
        let c = b.rebuild(false, &[]).unwrap();
        assert!(!c.full);
        assert_eq!(c.rendered, 1);
        assert_eq!(c.changed, vec!["a/y.html".to_string()]);
        assert!(html(b.files().unwrap(), "a/y.html").contains("本文三"));
        // Nothing changed: nothing rendered.
        let c = b.rebuild(false, &[]).unwrap();
        assert_eq!((c.rendered, c.changed.len()), (0, 0));
    }

    #[test]
    fn title_change_renders_everything() {
        let dir = site();
        let mut b = Builder::new(dir.path());
        b.rebuild(false, &[]).unwrap();
        write(dir.path(), "content/a/02-y.md", "# ゼット\n\n本文二\n");
        let c = b.rebuild(false, &[]).unwrap();
        assert!(c.full);
        // The pages of its section show the new title in their navigation.
        for p in ["a/index.html", "a/x.html", "a/y.html"] {
            assert!(c.changed.contains(&p.to_string()), "{p}: {:?}", c.changed);
            assert!(html(b.files().unwrap(), p).contains("ゼット"), "{p}");
        }
    }

    #[test]
    fn description_change_renders_page_and_its_index() {
        let dir = site();
        let mut b = Builder::new(dir.path());
        b.rebuild(false, &[]).unwrap();
        write(
            dir.path(),
            "content/a/01-x.md",
            "+++\ndescription = \"新しい説明\"\n+++\n# エックス\n\n本文一\n",
        );
        let c = b.rebuild(false, &[]).unwrap();
        assert!(!c.full);
        assert_eq!(c.rendered, 2);
        assert!(c.changed.contains(&"a/x.html".to_string()));
        assert!(html(b.files().unwrap(), "a/index.html").contains("新しい説明"));
    }

    #[test]
    fn errors_keep_the_last_good_build() {
        let dir = site();
        let mut b = Builder::new(dir.path());
        b.rebuild(false, &[]).unwrap();
        write(
            dir.path(),
            "content/a/02-y.md",
            "# ワイ\n\n[壊れた](nope.md)\n",
        );
        let errs = b.rebuild(false, &[]).unwrap_err();
        assert!(errs.iter().any(|e| e.to_string().contains("02-y.md")));
        assert!(html(b.files().unwrap(), "a/y.html").contains("本文二"));
    }

    #[test]
    fn touched_asset_is_reported_changed() {
        let dir = site();
        let mut b = Builder::new(dir.path());
        b.rebuild(false, &[]).unwrap();
        write(dir.path(), "content/img.svg", "<svg></svg>");
        let c = b
            .rebuild(false, &[dir.path().join("content/img.svg")])
            .unwrap();
        assert_eq!(c.changed, vec!["img.svg".to_string()]);
        assert_eq!(c.rendered, 0);
    }

    #[test]
    fn quick_path_takes_text_edits_only() {
        let dir = site();
        let root = dir.path().canonicalize().unwrap();
        let mut b = Builder::new(&root);
        b.rebuild(false, &[]).unwrap();
        let y = root.join("content/a/02-y.md");
        let edit = |b: &mut Builder, text: &str, extra: &[PathBuf]| {
            std::fs::write(&y, text).unwrap();
            let mut touched = vec![y.clone()];
            touched.extend_from_slice(extra);
            b.quick_update(&touched)
        };
        // A link no page of the folder has: resolved as the full load
        // resolves it, on the quick path.
        let c = edit(&mut b, "# ワイ\n\n本文を**直した**\n\n[x](01-x.md)\n", &[]).unwrap();
        assert!(c.quick);
        assert_eq!(c.changed, vec!["a/y.html".to_string()]);
        assert!(html(b.files().unwrap(), "a/y.html").contains("href=\"../a/x.html\""));
        b.refresh_search();
        let mut fresh = Builder::new(&root);
        fresh.rebuild(false, &[]).unwrap();
        assert_eq!(b.files(), fresh.files());
        b.rebuild(false, &[]).unwrap();
        // A link a page of the folder has already, an anchor of the page.
        std::fs::write(
            root.join("content/a/01-x.md"),
            "+++\ndescription = \"d1\"\n+++\n# エックス\n\n[z](../img.svg)\n",
        )
        .unwrap();
        b.rebuild(false, &[]).unwrap();
        let c = edit(
            &mut b,
            "# ワイ\n\n## 節 {#s}\n\n[図](../img.svg) [節](#s) [x](01-x.md)\n",
            &[],
        )
        .unwrap();
        assert!(c.quick);
        b.refresh_search();
        let mut fresh = Builder::new(&root);
        fresh.rebuild(false, &[]).unwrap();
        assert_eq!(b.files(), fresh.files());
        assert!(html(b.files().unwrap(), "a/y.html").contains("href=\"#s\""));
        assert!(html(b.files().unwrap(), "a/y.html").contains("href=\"../img.svg\""));
        assert_eq!(edit(&mut b, "# ワイ\n\n[無い節](#nope)\n", &[]), None);
        assert_eq!(
            edit(&mut b, "# ワイ\n\n[節](#s)\n", &[]),
            None,
            "its heading went"
        );
        assert_eq!(edit(&mut b, "# ワイ\n\n[外](../nope.svg)\n", &[]), None);
        let c = edit(&mut b, "# ワイ\n\n本文を直した。[x](01-x.md)\n", &[]).unwrap();
        assert!(c.quick && !c.full);
        assert_eq!(
            (c.rendered, c.changed.clone()),
            (1, vec!["a/y.html".to_string()])
        );
        assert!(html(b.files().unwrap(), "a/y.html").contains("本文を直した。"));
        b.refresh_search();
        let mut fresh = Builder::new(&root);
        fresh.rebuild(false, &[]).unwrap();
        assert_eq!(b.files(), fresh.files());
        // The confirming full load finds nothing to do.
        let check = b.rebuild(false, &[]).unwrap();
        assert_eq!((check.rendered, check.changed.len()), (0, 0));
        // Removing a link is quick too; a vanished temp file is ignored.
        let gone = root.join("content/a/sed123abc");
        let c = edit(&mut b, "# ワイ\n\n本文だけ\n", &[gone]).unwrap();
        assert_eq!(c.changed, vec!["a/y.html".to_string()]);
        // A description: the page and the index listing it.
        let c = edit(
            &mut b,
            "+++\ndescription = \"説明QQ\"\n+++\n# ワイ\n\n本文だけ\n",
            &[],
        )
        .unwrap();
        assert_eq!(c.changed, vec!["a/index.html", "a/y.html"]);
        assert!(html(b.files().unwrap(), "a/index.html").contains("説明QQ"));
        b.refresh_search();
        let mut fresh = Builder::new(&root);
        fresh.rebuild(false, &[]).unwrap();
        assert_eq!(b.files(), fresh.files());
        b.rebuild(false, &[]).unwrap();
        // New headings are quick, unless another page links to one that
        // goes away.
        let body = "+++\ndescription = \"説明QQ\"\n+++\n# ワイ\n\n## 新しい節\n\n本文だけ\n";
        let c = edit(&mut b, body, &[]).unwrap();
        assert_eq!(c.changed, vec!["a/y.html".to_string()]);
        assert!(html(b.files().unwrap(), "a/y.html").contains("id=\"新しい節\""));
        std::fs::write(
            root.join("content/a/01-x.md"),
            "+++\ndescription = \"d1\"\n+++\n# エックス\n\n[節へ](02-y.md#新しい節)\n",
        )
        .unwrap();
        b.rebuild(false, &[]).unwrap();
        let plain = "+++\ndescription = \"説明QQ\"\n+++\n# ワイ\n\n本文だけ\n";
        assert_eq!(edit(&mut b, plain, &[]), None);
        edit(&mut b, body, &[]).unwrap();
        // Not quick: front matter, admonitions, other files.
        assert_eq!(
            edit(&mut b, "+++\nweight = 1\n+++\n# ワイ\n\n本文だけ\n", &[]),
            None
        );
        assert_eq!(edit(&mut b, "# ワイ\n\n> [!FOO]\n> x\n", &[]), None);
        assert_eq!(
            edit(&mut b, "# ワイ\n\n本文\n", &[root.join("content/img.svg")]),
            None
        );
        assert_eq!(edit(&mut b, "# ワイ\n\n{{#exercise e}}\n", &[]), None);
        // Nothing half-applied: a full build agrees with the last one.
        std::fs::write(&y, body).unwrap();
        let c = b.rebuild(false, &[]).unwrap();
        assert_eq!((c.rendered, c.changed.len()), (0, 0));
    }

    /// Links to the page's own anchors resolve on the quick path as the
    /// full load resolves them, percent-encoded ones and `#` too.
    #[test]
    fn quick_path_resolves_own_anchors_as_the_full_load() {
        let dir = site();
        let root = dir.path().canonicalize().unwrap();
        let mut b = Builder::new(&root);
        b.rebuild(false, &[]).unwrap();
        let y = root.join("content/a/02-y.md");
        let text = "# ワイ\n\n## 節\n\n[上](#) [節](#%E7%AF%80) [節](#節)\n";
        std::fs::write(&y, text).unwrap();
        let c = b.quick_update(std::slice::from_ref(&y)).unwrap();
        assert!(c.quick);
        // The search index follows the pages: made again only on request.
        let index = |b: &Builder| {
            b.files()
                .unwrap()
                .iter()
                .filter(|(path, _)| path.starts_with(render::search::INDEX_DIR))
                .map(|(path, served)| (path.clone(), served.clone()))
                .collect::<Vec<_>>()
        };
        let stale = index(&b);
        assert!(b.refresh_search());
        assert_ne!(index(&b), stale);
        assert!(!b.refresh_search(), "nothing left to make");
        let mut fresh = Builder::new(&root);
        fresh.rebuild(false, &[]).unwrap();
        assert_eq!(b.files(), fresh.files());
        // An id the page does not have needs the full load (an error).
        std::fs::write(&y, "# ワイ\n\n[無い](#%E7%84%A1)\n").unwrap();
        assert_eq!(b.quick_update(std::slice::from_ref(&y)), None);
    }

    /// A link by another tool's id of a heading (VuePress's, in a kenshu
    /// site) resolves on the quick path as in the full load: to the
    /// heading's own id (it needed the full load before).
    #[test]
    fn quick_path_resolves_other_tools_heading_ids() {
        let dir = site();
        let root = dir.path().canonicalize().unwrap();
        let mut b = Builder::new(&root);
        b.rebuild(false, &[]).unwrap();
        let y = root.join("content/a/02-y.md");
        let text = "# ワイ\n\n## 関数・テストの修正方法\n\n[節](#関数・テストの修正方法)\n";
        std::fs::write(&y, text).unwrap();
        let c = b.quick_update(std::slice::from_ref(&y));
        assert!(c.is_some_and(|c| c.quick));
        let page = html(b.files().unwrap(), "a/y.html");
        let kenshu_id = "#%E9%96%A2%E6%95%B0%E3%83%86%E3%82%B9%E3%83%88%E3%81%AE%E4%BF%AE%E6%AD%A3%E6%96%B9%E6%B3%95";
        assert!(page.contains(&format!("href=\"{kenshu_id}\"")), "{page}");
        // The full load that confirms it finds the same pages, and warns.
        let full = b.rebuild(false, &[]).unwrap();
        let shown: Vec<String> = full.warnings.iter().map(|w| w.to_string()).collect();
        assert!(
            shown
                .iter()
                .any(|w| w.contains("is the VuePress id of heading")),
            "{shown:?}"
        );
        let mut fresh = Builder::new(&root);
        fresh.rebuild(false, &[]).unwrap();
        assert_eq!(b.files(), fresh.files());
    }

    #[test]
    fn quick_title_change_renders_the_page_first_then_the_rest() {
        let dir = site();
        let root = dir.path().canonicalize().unwrap();
        let mut b = Builder::new(&root);
        b.rebuild(false, &[]).unwrap();
        let y = root.join("content/a/02-y.md");
        std::fs::write(&y, "+++\ntitle = \"新題\"\n+++\n# ワイ\n\n本文二\n").unwrap();
        let first = b.quick_update(std::slice::from_ref(&y)).unwrap();
        assert_eq!(first.changed, vec!["a/index.html", "a/y.html"]);
        assert!(b.has_rest());
        let rest = b.render_rest().unwrap();
        assert!(rest.changed.contains(&"a/x.html".to_string()), "{rest:?}");
        assert!(!b.has_rest());
        assert!(html(b.files().unwrap(), "a/x.html").contains("新題"));
        // The confirming full load makes the search index the quick
        // update left for later, and finds nothing else to do.
        let check = b.rebuild(false, &[]).unwrap();
        assert_eq!(
            (check.full, check.rendered, check.changed.len()),
            (false, 0, 0)
        );
        let mut fresh = Builder::new(&root);
        fresh.rebuild(false, &[]).unwrap();
        assert_eq!(b.files(), fresh.files());
    }

    /// A new title renders the pages that show it — in a section longer
    /// than the sidebar lists, not all of them — as the full build does.
    #[test]
    fn quick_title_change_renders_the_pages_that_show_it() {
        let dir = tempfile::tempdir().unwrap();
        write(dir.path(), "site.toml", "title = \"t\"\n");
        write(dir.path(), "content/index.md", "# ホーム\n");
        write(dir.path(), "content/a/index.md", "# 章A\n");
        for i in 1..=60 {
            let text = format!("# ページ{i}\n\n本文\n");
            write(dir.path(), &format!("content/a/{i:02}-p{i}.md"), &text);
        }
        write(dir.path(), "content/b/index.md", "# 章B\n");
        write(dir.path(), "content/b/01-q.md", "# キュー\n");
        let root = dir.path().canonicalize().unwrap();
        let mut b = Builder::new(&root);
        b.rebuild(false, &[]).unwrap();
        let pages = 64;
        for (file, title) in [
            ("a/30-p30.md", "新しい題"),
            ("a/01-p1.md", "最初"),
            ("a/60-p60.md", "最後"),
            ("a/index.md", "章エー"),
            ("b/01-q.md", "キュー二"),
        ] {
            let path = root.join("content").join(file);
            let text = std::fs::read_to_string(&path).unwrap();
            std::fs::write(&path, format!("+++\ntitle = \"{title}\"\n+++\n{text}")).unwrap();
            let first = b.quick_update(std::slice::from_ref(&path)).unwrap();
            let rest = b.render_rest().map_or(0, |c| c.rendered);
            b.refresh_search();
            let mut fresh = Builder::new(&root);
            fresh.rebuild(false, &[]).unwrap();
            assert_eq!(b.files(), fresh.files(), "{file}");
            if file.starts_with("a/") && !file.ends_with("index.md") {
                assert!(
                    first.rendered + rest < pages / 2,
                    "{file}: {} + {rest}",
                    first.rendered
                );
            }
            let check = b.rebuild(false, &[]).unwrap();
            assert_eq!((check.rendered, check.changed.len()), (0, 0), "{file}");
        }
    }

    #[test]
    fn copied_files_coming_and_going_render_nothing() {
        let dir = site();
        let mut b = Builder::new(dir.path());
        b.rebuild(false, &[]).unwrap();
        write(dir.path(), "content/a/sedTMP123", "temporary");
        let c = b.rebuild(false, &[]).unwrap();
        assert_eq!((c.full, c.rendered, c.changed.len()), (false, 0, 0));
        assert!(b.files().unwrap().contains_key("a/sedTMP123"));
        std::fs::remove_file(dir.path().join("content/a/sedTMP123")).unwrap();
        let c = b.rebuild(false, &[]).unwrap();
        assert_eq!((c.full, c.rendered, c.changed.len()), (false, 0, 0));
        assert!(!b.files().unwrap().contains_key("a/sedTMP123"));
        // A page that starts using a new file is re-rendered.
        write(dir.path(), "content/b.png", "png");
        write(
            dir.path(),
            "content/a/02-y.md",
            "# ワイ\n\n![図](../b.png)\n",
        );
        let c = b.rebuild(false, &[]).unwrap();
        assert_eq!(c.changed, vec!["a/y.html".to_string()]);
        let mut fresh = Builder::new(dir.path());
        fresh.rebuild(false, &[]).unwrap();
        assert_eq!(b.files(), fresh.files());
    }

    #[test]
    fn incremental_equals_full_render() {
        let dir = site();
        let mut b = Builder::new(dir.path());
        b.rebuild(false, &[]).unwrap();
        write(
            dir.path(),
            "content/a/01-x.md",
            "+++\ndescription = \"別\"\n+++\n# エックス\n\n## 節 {#s}\n\n[y](02-y.md)\n",
        );
        b.rebuild(false, &[]).unwrap();
        write(
            dir.path(),
            "content/a/02-y.md",
            "+++\nslides = true\n+++\n# ワイ\n\n## 一枚目\n\n本文\n",
        );
        b.rebuild(false, &[]).unwrap();
        write(
            dir.path(),
            "content/a/02-y.md",
            "+++\nslides = true\n+++\n# ワイ\n\n## 一枚目\n\n本文を直した\n",
        );
        let c = b.rebuild(false, &[]).unwrap();
        assert!(!c.full);
        assert_eq!(c.changed, vec!["a/y.html", "a/y.slides.html"]);
        let mut fresh = Builder::new(dir.path());
        fresh.rebuild(false, &[]).unwrap();
        assert_eq!(b.files(), fresh.files());
    }
}
