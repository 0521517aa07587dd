//! Stage 2 — render: model → output files, pure (no file system access).
//!
//! Each page is rendered on its own ([`render_page`]), so a live preview
//! can re-render just what changed.

mod contents;
pub mod deck;
pub mod exercise;
pub mod nav;
pub mod offline;
pub mod search;

use percent_encoding::{utf8_percent_encode, AsciiSet, CONTROLS};
use serde::Serialize;

use crate::diagnostic::Diagnostic;
use crate::markdown::{self, Directive, HtmlContext, NotesMode};
use crate::model::{LinkTarget, Page, PageKind, Site};

/// One file of the output.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutputFile {
    /// Path relative to the output root, `/`-separated.
    pub path: String,
    pub contents: Contents,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Contents {
    Bytes(Vec<u8>),
    /// Copied from this source file by the write stage.
    Copy(std::path::PathBuf),
}

/// What [`url`] percent-encodes: characters that mean something in a URL
/// (`%`, `#`, `?`, `\\`, spaces, quotes…) and controls.
const HREF: &AsciiSet = &CONTROLS
    .add(b' ')
    .add(b'"')
    .add(b'#')
    .add(b'%')
    .add(b'\'')
    .add(b'<')
    .add(b'>')
    .add(b'?')
    .add(b'[')
    .add(b'\\')
    .add(b']')
    .add(b'^')
    .add(b'`')
    .add(b'{')
    .add(b'|')
    .add(b'}');

/// [`HREF`] and `:`, for the path's first segment.
const HREF_FIRST: &AsciiSet = &HREF.add(b':');

/// An output path (`a/b.html`) as it is written in an `href`: characters
/// that mean something in a URL (`%`, `#`, `?`, `\\`, spaces, quotes…)
/// are percent-encoded; letters of any script are kept as they are. A `:`
/// before the first `/` is encoded too, so that no page (a file named
/// `javascript:alert(1).md`, `note:intro.md`) is read as a URL scheme,
/// whatever is put before the path (`../` or nothing).
pub fn url(output: &str) -> String {
    // Most paths are letters, digits and `/ . - _` (and any non-ASCII
    // letter): nothing in them is encoded.
    let plain = |b: u8| {
        !b.is_ascii() || b.is_ascii_alphanumeric() || matches!(b, b'/' | b'.' | b'-' | b'_')
    };
    if output.bytes().all(plain) {
        return output.to_string();
    }
    let (head, tail) = output.split_at(output.find('/').unwrap_or(output.len()));
    let mut out = String::with_capacity(output.len() + 8);
    // percent-encoding encodes every non-ASCII byte: only ASCII runs go
    // through it, so `講義/用語.html` stays readable.
    for (part, set) in [(head, HREF_FIRST), (tail, HREF)] {
        for piece in part.split_inclusive(|c: char| !c.is_ascii()) {
            let ascii = piece.trim_end_matches(|c: char| !c.is_ascii());
            out.extend(utf8_percent_encode(ascii, set));
            out.push_str(&piece[ascii.len()..]);
        }
    }
    out
}

/// The relative prefix from a page at `output` to the site root.
pub fn root_of(output: &str) -> String {
    "../".repeat(output.matches('/').count())
}

/// Renders the whole site. Files are sorted by path.
pub fn render(site: &Site) -> Result<Vec<OutputFile>, Vec<Diagnostic>> {
    render_with_texts(site).map(|(files, _)| files)
}

/// [`render`], with what the search index knows of each page (in page
/// order), for `serve` to keep.
pub fn render_with_texts(
    site: &Site,
) -> Result<(Vec<OutputFile>, Vec<search::PageText>), Vec<Diagnostic>> {
    render_parsed_with_texts(site, Vec::new()).map(|(files, texts, _)| (files, texts))
}

/// The whole site's files (sorted by path), the pages' search texts and
/// the warnings ([`Rendered::warnings`]).
pub type Everything = (Vec<OutputFile>, Vec<search::PageText>, Vec<Diagnostic>);

/// [`render_with_texts`] from the bodies `load` parsed (see
/// [`render_parsed_to`]), with the warnings.
pub fn render_parsed_with_texts(
    site: &Site,
    parsed: Vec<Option<markdown::Kept>>,
) -> Result<Everything, Vec<Diagnostic>> {
    let pages = std::sync::Mutex::new(Vec::new());
    let done = render_parsed_to(site, parsed, &|f| {
        if let Ok(mut pages) = pages.lock() {
            pages.push(f);
        }
        Ok(())
    })?;
    let mut files = pages.into_inner().unwrap_or_default();
    files.extend(done.site_files);
    files.sort_by(|a, b| a.path.cmp(&b.path));
    Ok((files, done.texts, done.warnings))
}

/// Where [`render_to`] hands each page, slide deck and search index file
/// as soon as it is made (a build writes it to disk at once, so the
/// rendered pages and the index files are never all in memory).
pub type Sink<'a> = dyn Fn(OutputFile) -> Result<(), Diagnostic> + Sync + 'a;

/// What [`render_to`] made besides the pages it handed to the sink.
pub struct Rendered {
    /// How many files went to the sink (pages, decks, the search index).
    pub page_files: usize,
    /// The other files of the whole site: 404 page, sitemap, theme and
    /// exercise assets, copied files, the offline worker.
    pub site_files: Vec<OutputFile>,
    /// What the search index knows of each page, in page order.
    pub texts: Vec<search::PageText>,
    /// The load's warnings, then the decks' (overfull slides), found while
    /// they rendered, in page order.
    pub warnings: Vec<Diagnostic>,
}

/// One page rendered: its files (its HTML, then its slide deck, or why
/// one failed), its search text and its deck's warnings.
pub struct RenderedPage {
    pub files: Vec<Result<OutputFile, Diagnostic>>,
    pub text: search::PageText,
    pub warnings: Vec<Diagnostic>,
}

/// Renders page `ix` of `site` from its body as `load` parsed it (see
/// [`render_page_from`]): what every command does with each page.
pub fn render_one(site: &Site, ix: usize, kept: Option<markdown::Kept>) -> RenderedPage {
    let mut out = render_page_from(site, ix, kept);
    let warnings = std::mem::take(&mut out.warnings);
    let (files, text) = out.into_files(&site.pages[ix]);
    RenderedPage {
        files,
        text,
        warnings,
    }
}

impl PageOutput {
    /// The page's files (its HTML, then its slide deck), each with its
    /// output path, and its search text (its warnings stay in
    /// [`PageOutput::warnings`]).
    pub fn into_files(
        self,
        page: &Page,
    ) -> (Vec<Result<OutputFile, Diagnostic>>, search::PageText) {
        let deck = self
            .deck
            .map(|d| (deck::deck_output(&page.output), d.map(String::into_bytes)));
        let files = std::iter::once((page.output.clone(), self.html))
            .chain(deck)
            .map(|(path, html)| {
                html.map(|html| OutputFile {
                    path,
                    contents: Contents::Bytes(html),
                })
            })
            .collect();
        (files, self.text)
    }
}

/// Renders the whole site: every page and slide deck goes to `sink` as
/// soon as it is made (on every core, in no particular order; the bytes are
/// the same on every run), the site's other files are returned. On error,
/// some pages may have gone to the sink already: a build then throws them
/// away.
pub fn render_to(site: &Site, sink: &Sink<'_>) -> Result<Rendered, Vec<Diagnostic>> {
    render_parsed_to(site, Vec::new(), sink)
}

/// [`render_to`] with the pages' bodies as `load` parsed them (by page
/// index, as `load::load_parsed` returns them): each is written from its
/// events, then dropped, instead of being parsed again.
pub fn render_parsed_to(
    site: &Site,
    mut parsed: Vec<Option<markdown::Kept>>,
    sink: &Sink<'_>,
) -> Result<Rendered, Vec<Diagnostic>> {
    use rayon::prelude::*;
    parsed.resize_with(site.pages.len(), || None);
    /// Each file's path, and its hash and size unless it is left out of
    /// the offline copy (pages for lecturers, `hidden = true`).
    type Written = Vec<(String, Option<(u64, u64)>)>;
    type Done = (search::PageText, Written, Vec<Diagnostic>, Vec<Diagnostic>);
    let pages: Vec<Done> = parsed
        .into_par_iter()
        .enumerate()
        .map(|(ix, kept)| {
            let page = render_one(site, ix, kept);
            let (mut paths, mut errors) = (Vec::new(), Vec::new());
            for f in page.files {
                match f.and_then(|f| {
                    let stored = (!site.pages[ix].hidden)
                        .then(|| (offline::file_hash(&f), offline::file_size(&f)));
                    paths.push((f.path.clone(), stored));
                    sink(f)
                }) {
                    Ok(()) => {}
                    Err(e) => errors.push(e),
                }
            }
            (page.text, paths, errors, page.warnings)
        })
        .collect();
    let mut errors = Vec::new();
    let mut texts = Vec::with_capacity(pages.len());
    // Every path written, and whether it is a copied file (for collisions).
    let mut paths = Vec::new();
    // Every file's path, hash and size, for the offline worker.
    let mut offline_files = Vec::new();
    let mut warnings = site.warnings.clone();
    for (text, written, errs, warned) in pages {
        warnings.extend(warned);
        texts.push(text);
        paths.extend(written.iter().map(|p| (p.0.clone(), false)));
        offline_files.extend(
            written
                .into_iter()
                .filter_map(|(p, stored)| stored.map(|(h, n)| (p, h, n))),
        );
        errors.extend(errs);
    }
    // The site's other files are made while the search index is (on the
    // other core: they were a serial step of their own).
    let other_files = || {
        let (mut rest, mut errors) = (Vec::new(), Vec::new());
        // A content/404.html is the site's own 404 page: it replaces the theme's.
        if !site.assets.iter().any(|a| a.output == "404.html") {
            match render_404(site) {
                Ok(html) => rest.push(OutputFile {
                    path: "404.html".into(),
                    contents: Contents::Bytes(html.into_bytes()),
                }),
                Err(e) => errors.push(e),
            }
        }
        rest.push(OutputFile {
            path: "sitemap.xml".into(),
            contents: Contents::Bytes(sitemap(site).into_bytes()),
        });
        for (name, bytes) in &site.theme.statics {
            rest.push(OutputFile {
                path: format!("assets/{name}"),
                contents: Contents::Bytes(bytes.clone()),
            });
        }
        rest.extend(exercise::extra_files(site));
        (rest, errors)
    };
    // The search index goes to the sink file by file, as it is made.
    let index = std::sync::Mutex::new(Vec::new());
    let make_index = || {
        search::build_index_to(&texts, &|_, path, js| {
            let f = OutputFile {
                path,
                contents: Contents::Bytes(js.into_bytes()),
            };
            let entry = (
                f.path.clone(),
                offline::file_hash(&f),
                offline::file_size(&f),
            );
            sink(f)?;
            if let Ok(mut index) = index.lock() {
                index.push(entry);
            }
            Ok(())
        })
    };
    let ((mut rest, other_errors), indexed) = rayon::join(other_files, make_index);
    errors.extend(other_errors);
    if let Err(e) = indexed {
        errors.push(e);
    }
    let index = index.into_inner().unwrap_or_default();
    paths.extend(index.iter().map(|(p, _, _)| (p.clone(), false)));
    offline_files.extend(index);
    for a in &site.assets {
        rest.push(OutputFile {
            path: a.output.clone(),
            contents: Contents::Copy(a.source.clone()),
        });
    }
    rest.push(offline::manifest(&site.config));
    offline_files.extend(
        rest.iter()
            .map(|f| (f.path.clone(), offline::file_hash(f), offline::file_size(f))),
    );
    rest.extend(offline::files(offline_files));
    let page_files = paths.len();
    paths.extend(
        rest.iter()
            .map(|f| (f.path.clone(), matches!(f.contents, Contents::Copy(_)))),
    );
    // Two files on one path: one would be lost. (Paths compare without
    // case: on macOS and Windows `A.html` and `a.html` are one file.)
    paths.sort();
    let mut by_path: std::collections::BTreeMap<String, &(String, bool)> = Default::default();
    for f in &paths {
        if let Some(first) = by_path.insert(f.0.to_lowercase(), f) {
            let (a, b) = (origin(site, first), origin(site, f));
            errors.push(
                Diagnostic::file(
                    b.clone(),
                    format!("{} and {} would both be written to {}", a.display(), b.display(), f.0),
                )
                .with_hint("rename or move one of them (theme files belong in theme/static/, not content/)"),
            );
        }
    }
    if !errors.is_empty() {
        errors.sort_by_key(Diagnostic::sort_key);
        return Err(errors);
    }
    Ok(Rendered {
        page_files,
        site_files: rest,
        texts,
        warnings,
    })
}

/// Where output file `path` comes from (`copied`: a file of content/),
/// for error messages.
fn origin(site: &Site, (path, copied): &(String, bool)) -> std::path::PathBuf {
    if *copied {
        return format!("content/{path}").into();
    }
    for p in &site.pages {
        if p.output == *path {
            return p.source.clone();
        }
        if p.slides && deck::deck_output(&p.output) == *path {
            return format!("{} (its slide deck)", p.source.display()).into();
        }
    }
    match path.strip_prefix("assets/") {
        Some(name) if site.theme.statics.iter().any(|(n, _)| n == name) => {
            format!("the theme's static/{name}").into()
        }
        _ => format!("kenshu's {}", path).into(),
    }
}

/// The `href` to write for a link `dest` on `page`.
pub fn href(site: &Site, page: &Page, dest: &str) -> String {
    let root = root_of(&page.output);
    // A `?query` written on a link to a page or file is kept.
    let query = dest
        .split('#')
        .next()
        .and_then(|p| p.split_once('?'))
        .map_or(String::new(), |(_, q)| format!("?{q}"));
    match page.links.get(dest) {
        Some(LinkTarget::External(url)) => url.clone(),
        Some(LinkTarget::Page {
            page: target,
            fragment,
        }) => {
            let same = std::ptr::eq(&site.pages[*target], page);
            let base = if same && fragment.is_some() && query.is_empty() {
                String::new()
            } else {
                format!("{root}{}{query}", url(&site.pages[*target].output))
            };
            match fragment {
                Some(f) => format!("{base}#{f}"),
                None => base,
            }
        }
        Some(LinkTarget::Asset { output, fragment }) => match fragment {
            Some(f) => format!("{root}{}{query}#{f}", url(output)),
            None => format!("{root}{}{query}", url(output)),
        },
        None => dest.to_string(),
    }
}

/// How reading pages (and their search entries) show speaker notes:
/// collapsed, or not at all when `show_notes_to_readers` is off.
pub fn reader_notes(site: &Site) -> NotesMode {
    if site.config.show_notes_to_readers {
        NotesMode::Collapsed
    } else {
        NotesMode::Hidden
    }
}

/// What one page gives the output: its HTML, its slide deck when it has
/// one, what the search index knows of it and its deck's warnings — all
/// from one parse of its Markdown.
pub struct PageOutput {
    /// The page's HTML (UTF-8: as the template engine wrote it, not
    /// checked again; see [`crate::theme::Theme::render_bytes`]).
    pub html: Result<Vec<u8>, Diagnostic>,
    pub deck: Option<Result<String, Diagnostic>>,
    pub text: search::PageText,
    /// Overfull slides and small figures of its deck (see
    /// [`deck::render_deck_warned`]).
    pub warnings: Vec<Diagnostic>,
}

/// Renders page `ix`: its HTML, deck and search text (see [`PageOutput`]).
pub fn render_page(site: &Site, ix: usize) -> PageOutput {
    render_page_from(site, ix, None)
}

/// [`render_page`] from the body as `load` parsed it, when `kept` holds
/// the page's Markdown as it is rendered (else the body is parsed here).
pub fn render_page_from(site: &Site, ix: usize, kept: Option<markdown::Kept>) -> PageOutput {
    let page = &site.pages[ix];
    match kept {
        // (A build drops the model's copy of a body it holds parsed: see
        // `Pipeline::render_to`.)
        Some(k) if page.body.is_empty() || page.is_markdown(k.body()) => {
            k.render_with(|parsed| render_parsed(site, ix, parsed))
        }
        _ => {
            let body = page.markdown();
            render_parsed(site, ix, markdown::parse_with(&body, &page.vars))
        }
    }
}

fn render_parsed(site: &Site, ix: usize, parsed: markdown::Parsed<'_>) -> PageOutput {
    let page = &site.pages[ix];
    let (deck, warnings) = match page.slides {
        true => {
            let (deck, warnings) = deck::render_deck_warned(site, ix, &parsed);
            (Some(deck), warnings)
        }
        false => (None, Vec::new()),
    };
    let link = |dest: &str| href(site, page, dest);
    let failed = std::cell::RefCell::new(None);
    let directive = |d: &Directive| exercise::directive_or_error(site, page, d, &failed);
    // Hidden pages (e.g. a lecturers' section) are not searchable.
    let searchable = !page.hidden;
    let rendered = markdown::render(
        parsed,
        &HtmlContext {
            link: &link,
            directive: &directive,
            notes: reader_notes(site),
        },
        searchable.then_some(page.title.as_str()),
    );
    let text = if searchable {
        search::PageText {
            title: page.title.clone(),
            url: url(&page.output),
            sections: rendered.text,
        }
    } else {
        search::PageText::default()
    };
    PageOutput {
        html: match failed.into_inner() {
            Some(e) => Err(e),
            None => page_html(site, ix, &rendered.html),
        },
        deck,
        text,
        warnings,
    }
}

#[derive(Serialize)]
struct LinkCx {
    title: String,
    url: String,
}

#[derive(Serialize)]
struct SiteCx<'a> {
    title: &'a str,
    description: &'a str,
    language: &'a str,
    organisation: &'a str,
    footer: &'a str,
    logo: Option<String>,
    accent: Option<&'a str>,
}

/// The template context every page starts with: `root` (the way back to
/// the output root), `site`, `lang` and `title`.
fn page_cx(site: &Site, root: &str, title: &str) -> tera::Context {
    let mut cx = tera::Context::new();
    cx.insert("root", root);
    cx.insert("site", &site_cx(site, root));
    cx.insert("lang", &site.config.language);
    cx.insert("title", title);
    cx
}

fn site_cx<'a>(site: &'a Site, root: &str) -> SiteCx<'a> {
    SiteCx {
        title: &site.config.title,
        description: &site.config.description,
        language: &site.config.language,
        organisation: &site.config.organisation,
        footer: &site.config.footer,
        logo: site
            .config
            .logo
            .as_ref()
            .map(|l| format!("{root}{}", url(l))),
        accent: site.config.accent.as_deref(),
    }
}

fn link_cx(site: &Site, from: &Page, to: usize) -> LinkCx {
    LinkCx {
        title: site.pages[to].title.clone(),
        url: format!("{}{}", root_of(&from.output), url(&site.pages[to].output)),
    }
}

/// The HTML of page `ix` of `site` as text, for tests (a page renders to
/// the bytes its file is written as).
#[cfg(test)]
pub(crate) fn page_html_text(site: &Site, ix: usize) -> String {
    String::from_utf8(render_page(site, ix).html.unwrap()).unwrap()
}

/// The HTML of page `ix` around its rendered body `content`.
fn page_html(site: &Site, ix: usize, content: &str) -> Result<Vec<u8>, Diagnostic> {
    let page = &site.pages[ix];
    let root = root_of(&page.output);

    // Breadcrumbs: the chain of sections above this page.
    let mut crumbs = Vec::new();
    let mut sec = Some(page.section);
    while let Some(s) = sec {
        let section = &site.sections[s];
        if section.index_page != ix {
            crumbs.push(link_cx(site, page, section.index_page));
        }
        sec = section.parent;
    }
    crumbs.reverse();

    // Previous/next skip pages of the other audience: hidden pages (e.g. a
    // lecturers' section) link among themselves, the others never to them.
    // A draft chapter with nothing under it is no page to read.
    let same = |p: &usize| {
        let p = &site.pages[*p];
        p.hidden == page.hidden
            && !(nav::title_only(p) && site.sections[p.section].children.is_empty())
    };
    let prev = (0..ix).rev().find(same).map(|p| link_cx(site, page, p));
    let next = (ix + 1..site.pages.len())
        .find(same)
        .map(|p| link_cx(site, page, p));

    let children = match page.kind {
        PageKind::Regular => Vec::new(),
        PageKind::Home => contents::cards(site, page, true),
        PageKind::SectionIndex => contents::cards(site, page, false),
    };
    let toc = contents::toc(&page.headings, exercise::key_toc(site, page));
    let kana = contents::kana_index(&page.headings);
    let start = match page.kind {
        PageKind::Home => contents::start_page(site).map(|p| link_cx(site, page, p)),
        _ => None,
    };

    let mut cx = page_cx(site, &root, &page.title);
    // Pages for lecturers (`hidden = true`) stay out of search engines too.
    cx.insert("hidden", &page.hidden);
    cx.insert("page_class", &page.class);
    cx.insert("training", &page.training);
    cx.insert(
        "description",
        if page.description.is_empty() {
            &site.config.description
        } else {
            &page.description
        },
    );
    cx.insert(
        "kind",
        match page.kind {
            PageKind::Home => "home",
            PageKind::SectionIndex => "section",
            PageKind::Regular => "page",
        },
    );
    // A leading `# title` goes above the table of contents.
    let (h1, content) = split_leading_h1(content);
    // The home page opens with its lead (what the course is), then the start
    // link and the cards; the rest of its text follows.
    let (lead, content) = if page.kind == PageKind::Home {
        contents::split_lead(content)
    } else {
        ("", content)
    };
    cx.insert("h1", h1);
    cx.insert("lead", lead);
    cx.insert("content", content);
    cx.insert("start", &start);
    cx.insert("kana_index", &kana);
    cx.insert("has_h1", &page.headings.iter().any(|h| h.level == 1));
    cx.insert("has_toc", &(toc.len() > 2));
    // The default templates do not read `toc` (see `Theme::needs_toc`).
    if site.theme.needs_toc {
        cx.insert("toc", &toc);
    }
    // The in-page contents, when page.html shows them and the site has
    // no toc.html of its own (see `Theme::builtin_toc`), else "". (page.html
    // tests its length: Tera's `{% if s %}` escapes the whole string.)
    let toc_html = if site.theme.builtin_toc && toc.len() > 2 {
        contents::builtin_toc_html(&toc)
    } else {
        String::new()
    };
    cx.insert("toc_html", &toc_html);
    cx.insert("breadcrumbs", &crumbs);
    cx.insert("prev", &prev);
    cx.insert("next", &next);
    cx.insert("children", &children);
    // The sidebar: kenshu's, or the site's own partials/nav.html.
    let nav_items = nav::items(site, ix);
    let nav_html = if site.theme.builtin_nav {
        nav::builtin_html(&nav_items)
    } else {
        let mut nav_cx = tera::Context::new();
        nav_cx.insert("nav_items", &nav_items);
        nav_cx.insert("root", &root);
        site.theme
            .render(crate::theme::NAV_TEMPLATE, &nav_cx, &page.output)?
    };
    cx.insert("nav", nav_html.trim());
    // The repository's own style sheets and scripts (an mdBook's
    // additional-css/js) come after the theme's.
    let (mut head_extra, mut body_extra) = (
        exercise::head_html(site, page),
        exercise::body_end_html(site, page),
    );
    for css in &site.config.extra_css {
        let href = crate::html::escape(&format!("{root}{}", url(css)));
        head_extra.push_str(&format!("<link rel=\"stylesheet\" href=\"{href}\">\n"));
    }
    for js in &site.config.extra_js {
        let src = crate::html::escape(&format!("{root}{}", url(js)));
        body_extra.push_str(&format!("<script src=\"{src}\"></script>\n"));
    }
    cx.insert("head_extra", &head_extra);
    cx.insert("body_extra", &body_extra);
    cx.insert("slides_url", &page.slides.then(|| deck::deck_url(page)));
    site.theme
        .render_bytes("page.html", &cx, &page.output, content.len() + 8192)
}

/// Splits `<h1 …>…</h1>` off the start of `html`, if it starts with one.
fn split_leading_h1(html: &str) -> (&str, &str) {
    let trimmed = html.trim_start();
    if trimmed.starts_with("<h1") {
        if let Some(end) = trimmed.find("</h1>") {
            let cut = end + "</h1>".len();
            return (&trimmed[..cut], &trimmed[cut..]);
        }
    }
    ("", html)
}

fn render_404(site: &Site) -> Result<String, Diagnostic> {
    let mut cx = page_cx(site, "", "ページが見つかりません");
    let css = site
        .theme
        .statics
        .iter()
        .find(|(n, _)| n == "site.css")
        .map(|(_, b)| String::from_utf8_lossy(b).to_string())
        .unwrap_or_default();
    cx.insert("inline_css", &css);
    site.theme.render("404.html", &cx, "404.html")
}

/// `sitemap.xml`. Sitemaps want absolute URLs: with `base_url` set they are
/// absolute, otherwise relative to the sitemap's own location.
fn sitemap(site: &Site) -> String {
    let base = site
        .config
        .base_url
        .as_deref()
        .map(|b| format!("{}/", b.trim_end_matches('/')))
        .unwrap_or_default();
    let mut out = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n",
    );
    for p in site.pages.iter().filter(|p| !p.hidden) {
        out.push_str(&format!(
            "  <url><loc>{}</loc></url>\n",
            crate::html::escape(&format!("{base}{}", url(&p.output)))
        ));
    }
    out.push_str("</urlset>\n");
    out
}

#[cfg(test)]
mod tests {
    #[test]
    fn hrefs_encode_what_means_something_in_a_url() {
        assert_eq!(super::url("第1章/連携.html"), "第1章/連携.html");
        assert_eq!(
            super::url("a b/#1%?'\"<>[\\]^`{|}\u{7f}.html"),
            "a%20b/%231%25%3F%27%22%3C%3E%5B%5C%5D%5E%60%7B%7C%7D%7F.html"
        );
    }

    /// A page named `javascript:alert(1).md` must not become a
    /// `javascript:` link (nor `note:intro.md` a `note:` one): the `:` of
    /// the first segment is encoded; later ones cannot start a scheme.
    #[test]
    fn no_page_url_reads_as_a_scheme() {
        assert_eq!(
            super::url("javascript:alert(1).html"),
            "javascript%3Aalert(1).html"
        );
        assert_eq!(super::url("note:intro.html"), "note%3Aintro.html");
        assert_eq!(super::url("a:b/c:d.html"), "a%3Ab/c:d.html");
        assert_eq!(super::url("c/note:intro.html"), "c/note:intro.html");
    }
}
