//! Stage 1 — load: files → typed model, every error collected.
//!
//! Reads `site.toml`, walks `content/`, parses front matter and Markdown,
//! orders pages into sections, resolves and checks every link, and loads
//! the theme and the exercises. Returns a [`Site`] or all diagnostics.

pub mod exercises;
pub mod frontmatter;
mod include;
pub(crate) mod links;
pub mod repo;
pub mod summary;
mod toml_keys;
pub use crate::walk;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use crate::config::SiteConfig;
use crate::diagnostic::{display_path, Diagnostic, LineIndex};
use crate::markdown;
use crate::model::{Asset, Child, Page, PageKind, Section, Site};

use exercises::{ExerciseSet, SourceFile};

/// Loads the site in `site_dir`.
pub fn load(site_dir: &Path) -> Result<Site, Vec<Diagnostic>> {
    load_with(site_dir, false).map(|(site, _)| site)
}

/// [`load`], also giving each page's parsed body (by page index; None for
/// a generated page), for `render` to write without parsing it again.
pub fn load_parsed(
    site_dir: &Path,
) -> Result<(Site, Vec<Option<markdown::Kept>>), Vec<Diagnostic>> {
    load_with(site_dir, true)
}

fn load_with(
    site_dir: &Path,
    keep: bool,
) -> Result<(Site, Vec<Option<markdown::Kept>>), Vec<Diagnostic>> {
    let mut errors = Vec::new();
    let mut warnings = Vec::new();
    if !site_dir.is_dir() {
        return Err(vec![Diagnostic::file(
            site_dir,
            "site folder not found",
        )
        .with_hint("give the folder that contains site.toml and content/, or create one with `kenshu new DIR`")]);
    }
    let (mut config, config_keys) = load_config(site_dir, &mut errors);
    let layout = repo::detect(site_dir);
    // Heading ids follow the rule of the tool the repository was written
    // for: this site's, whatever other site this process reads.
    let slug_rule = layout.tool.slug_rule();
    let content_dir = site_dir.join(&layout.content);
    if !content_dir.is_dir() {
        errors.push(
            Diagnostic::file(
                display_path(site_dir, &content_dir),
                "content folder not found",
            )
            .with_hint("put your Markdown pages in a folder named `content` next to site.toml (kenshu also reads an mdBook's book.toml, a VuePress or VitePress project's .vuepress/ or .vitepress/, and a Docusaurus project's docs/ from the repository's root)"),
        );
        return Err(errors);
    }
    apply_layout(&layout, &mut config, &config_keys);
    warnings.extend(layout.warnings.iter().cloned());

    let mut files = walk::walk(&content_dir, site_dir, &mut errors);
    // Another tool's static folder: its files are published at the root.
    let public = layout.public.as_ref().map(|p| site_dir.join(p));
    // (It may lie in content/, hidden as VuePress's .vuepress/public, or not.)
    if let Some(public) = &public {
        files.extend(walk::walk(public, site_dir, &mut errors));
        files.sort();
        files.dedup();
    }

    let mut sources = Vec::new(); // Markdown pages
    let mut exercise_files = Vec::new();
    let mut assets = Vec::new();
    // mdBook's and GitBook's table of contents: read, never published.
    let mut summary = None;
    for path in files {
        let rel = match public.as_ref().filter(|p| path.starts_with(p)) {
            Some(public) => rel_path(public, &path),
            None => rel_path(&content_dir, &path),
        };
        let display = display_path(site_dir, &path);
        match path.extension().and_then(|e| e.to_str()) {
            Some("md") if rel == summary::FILE => {
                if let Some(text) = read_text(&path, &display, &mut errors) {
                    summary = Some((display, text));
                }
            }
            Some("md") => sources.push(rel),
            // A Docusaurus folder's label, read by `repo`.
            Some("json")
                if layout.tool == repo::Tool::Docusaurus
                    && path.file_name().is_some_and(|n| n == repo::CATEGORY_FILE) => {}
            Some("toml") => match read_text(&path, &display, &mut errors) {
                Some(text) if exercises::is_exercise_file(&rel, &text) => {
                    exercise_files.push(SourceFile { display, rel, text });
                }
                Some(_) => assets.push(Asset {
                    source: path.clone(),
                    output: rel,
                }),
                None => {}
            },
            _ => assets.push(Asset {
                source: path.clone(),
                output: rel,
            }),
        }
    }

    add_book_files(site_dir, &layout, &mut config, &mut assets, &mut warnings);

    let (exercises, ex_errors) = ExerciseSet::load(&exercise_files);
    errors.extend(ex_errors);

    let indexes = folder_indexes(sources.iter().map(String::as_str));
    // Links found while parsing, by source path: checked once every page
    // is known, without parsing the Markdown again. Pages are read on
    // every core, and collected in file order.
    let mut refs = std::collections::HashMap::new();
    // The theme is read meanwhile.
    let (read, theme): (Vec<PageFile>, _) = rayon::join(
        || {
            use rayon::prelude::*;
            sources
                .par_iter()
                .map(|rel| {
                    let reading = Reading {
                        is_index: indexes.contains(rel),
                        keep,
                        slug_rule,
                    };
                    read_parsed(site_dir, &content_dir, rel, reading)
                })
                .collect()
        },
        || crate::theme::load(site_dir),
    );
    // Parsed bodies by source path, placed by page index once the pages
    // are in order.
    let mut kept = std::collections::HashMap::new();
    let mut pages = Vec::with_capacity(read.len());
    for r in read {
        errors.extend(r.errors);
        warnings.extend(r.warnings);
        if let Some((mut page, r)) = r.page {
            // Another tool's sidebar order: a page its sidebar lists goes
            // where it is listed (Docusaurus ignores `sidebar_position`
            // for the items sidebars.js names).
            let id = page.page.rel.trim_end_matches(".md");
            if let Some(at) = layout.order.iter().position(|o| o == id) {
                page.page.weight = i64::try_from(at).ok();
            }
            if let Some(k) = page.kept.take() {
                kept.insert(page.page.source.clone(), k);
            }
            refs.insert(page.page.source.clone(), r);
            pages.push(page);
        }
    }
    let (pages, sections) = match &summary {
        Some((display, text)) => {
            let items = summary::parse(text);
            summary::arrange(
                pages,
                &items,
                (display, text),
                &config,
                &mut errors,
                &mut warnings,
            )
        }
        None => arrange(pages, &config, &layout.folders, &mut errors),
    };
    let mut sections = sections;
    Section::fill_listed(&pages, &mut sections);

    let theme = match theme {
        Ok(t) => Some(t),
        Err(e) => {
            errors.extend(e);
            None
        }
    };

    let mut site_pages = pages;
    // Links to another tool's heading ids are accepted with a warning.
    warnings.extend(links::resolve(
        &mut site_pages,
        &refs,
        &assets,
        &exercises,
        &config.links,
        slug_rule,
        &mut errors,
    ));

    if let Some(logo) = &config.logo {
        if !assets.iter().any(|a| &a.output == logo) {
            let mut d =
                Diagnostic::file("site.toml", format!("logo `{logo}` not found in content/"))
                    .with_hint("give the logo's path relative to content/, e.g. `images/logo.svg`");
            if let Some(&(line, column)) = config_keys.get("logo") {
                (d.line, d.column) = (line, column);
            }
            errors.push(d);
        }
    }

    // Keys site.toml accepts are not warned about.
    warnings.retain(|w| {
        !(w.message.starts_with(UNUSED_KEY)
            && w.message
                .split('`')
                .nth(1)
                .is_some_and(|k| config.accept_front_matter.iter().any(|a| a == k)))
    });
    once_per_name(&mut warnings);
    match theme {
        Some(theme) if errors.is_empty() => {
            warnings.sort_by_key(Diagnostic::sort_key);
            warnings.dedup();
            let kept = site_pages
                .iter()
                .map(|p| (!p.generated).then(|| kept.remove(&p.source)).flatten())
                .collect();
            let site = Site {
                config,
                pages: site_pages,
                sections,
                assets,
                theme,
                exercises,
                warnings,
                slug_rule,
            };
            Ok((site, kept))
        }
        _ => {
            errors.sort_by_key(Diagnostic::sort_key);
            errors.dedup();
            Err(errors)
        }
    }
}

/// The start of the warning about a code language without a grammar.
const UNKNOWN_LANGUAGE: &str = "no highlighting for language";
/// The start of the warning about a front-matter key kenshu does not use.
const UNUSED_KEY: &str = "front matter key";
/// The warning about a custom element, after its name.
const CUSTOM_ELEMENT: &str = "is not an element kenshu knows: its tags are left out of the page (what is between them is kept)";

/// Keeps one warning per unknown code language and per unused front-matter
/// key, the first in file order, and counts the others in it: a site
/// imported from another tool has the same key on dozens of pages, and
/// one line each would bury the warnings that matter.
fn once_per_name(warnings: &mut Vec<Diagnostic>) {
    let summarised = |w: &Diagnostic| {
        w.message.starts_with(UNKNOWN_LANGUAGE)
            || w.message.starts_with(UNUSED_KEY)
            || w.message.ends_with(CUSTOM_ELEMENT)
    };
    let mut count: BTreeMap<String, usize> = BTreeMap::new();
    for w in warnings.iter().filter(|w| summarised(w)) {
        *count.entry(w.message.clone()).or_default() += 1;
    }
    let mut seen = std::collections::BTreeSet::new();
    warnings.retain_mut(|w| {
        if !summarised(w) {
            return true;
        }
        let n = count.get(&w.message).copied().unwrap_or(1);
        if !seen.insert(w.message.clone()) {
            return false;
        }
        if n > 1 && w.message.starts_with(UNUSED_KEY) {
            let key = w.message.split('`').nth(1).unwrap_or_default();
            w.message = format!(
                "{n} pages use front matter key `{key}`, which kenshu does not use (ignored)"
            );
        } else if n > 1 && w.message.ends_with(CUSTOM_ELEMENT) {
            let name = w.message.split('`').nth(1).unwrap_or_default();
            w.message = format!(
                "`{name}` is used on {n} pages and {}",
                CUSTOM_ELEMENT.replace("the page", "the pages")
            );
        } else if n > 1 {
            w.message
                .push_str(&format!(" (this block and {} more)", n - 1));
        }
        true
    });
}

/// Copies another tool's own style sheets and scripts (an mdBook's
/// `additional-css` / `additional-js`) to the same paths in the output, and
/// lists them in `config` so every page links them after the theme's. A
/// file that cannot be read, or that lies outside the repository, is a
/// warning naming it.
fn add_book_files(
    site_dir: &Path,
    layout: &repo::Layout,
    config: &mut SiteConfig,
    assets: &mut Vec<Asset>,
    warnings: &mut Vec<Diagnostic>,
) {
    let shown = layout.config.clone().unwrap_or_default();
    let root = site_dir.canonicalize().ok();
    let files = layout
        .extra_css
        .iter()
        .map(|p| ("additional-css", p))
        .chain(layout.extra_js.iter().map(|p| ("additional-js", p)));
    for (key, rel) in files {
        let problem = |why: String| {
            Diagnostic::file(
                &shown,
                format!("{key} `{}` is not applied: {why}", rel.display()),
            )
            .with_hint("give a path inside the book's folder, relative to where book.toml is")
        };
        let plain = rel.components().all(|c| match c {
            std::path::Component::Normal(n) => !n.to_string_lossy().starts_with('.'),
            _ => false,
        });
        if !plain {
            warnings.push(problem(
                "it is not a plain path inside the book (no `..`, `/` or hidden folders)".into(),
            ));
            continue;
        }
        let path = site_dir.join(rel);
        let inside = match (path.canonicalize(), &root) {
            (Ok(p), Some(r)) => p.starts_with(r),
            _ => false,
        };
        if !inside {
            warnings.push(problem(if path.exists() {
                "it links to a file outside the book's folder".into()
            } else {
                "the file does not exist".into()
            }));
            continue;
        }
        if let Err(e) = walk::read_file(&path) {
            warnings.push(problem(e.to_string()));
            continue;
        }
        let output = rel.to_string_lossy().replace('\\', "/");
        // A file of the content at the same path is the same file.
        if !assets.iter().any(|a| a.output == output) {
            assets.push(Asset {
                source: path,
                output: output.clone(),
            });
        }
        match key {
            "additional-css" => config.extra_css.push(output),
            _ => config.extra_js.push(output),
        }
    }
}

/// Takes the settings another tool's files give (see [`repo`]) where
/// site.toml does not set them: title, language, and the base path the
/// site was published under for root-relative links.
fn apply_layout(
    layout: &repo::Layout,
    config: &mut SiteConfig,
    keys: &BTreeMap<String, (usize, usize)>,
) {
    if layout.tool == repo::Tool::Kenshu {
        return;
    }
    if let Some(t) = layout.title.as_ref().filter(|t| !t.trim().is_empty()) {
        if !keys.contains_key("title") {
            config.title = t.clone();
        }
    }
    if let Some(l) = &layout.language {
        if !keys.contains_key("language") && crate::config::is_language_tag(l) {
            config.language = l.clone();
        }
    }
    if !keys.contains_key("links") {
        if let Some(base) = &layout.base {
            config.links.root.insert(base.clone(), String::new());
        }
        config.links.root.insert("/".into(), String::new());
    }
}

/// Every key of `site.toml` with its type.
const SITE_KEYS: &[(&str, toml_keys::Kind)] = {
    use toml_keys::Kind::{Bool, Str, Table};
    &[
        ("title", Str),
        ("description", Str),
        ("language", Str),
        ("organisation", Str),
        ("logo", Str),
        ("accent", Str),
        ("footer", Str),
        ("base_url", Str),
        ("show_notes_to_readers", Bool),
        // Read by `walk`: content/ or theme/ may be a link to outside the site.
        ("allow_content_outside_site", Bool),
        ("allow_theme_outside_site", Bool),
        ("links", Table),
        ("package", Table),
        ("front_matter", Table),
    ]
};

/// Reads `[links]` of site.toml; every problem goes to `problem`.
fn links_config(
    table: &toml::Table,
    mut problem: impl FnMut(String, &str),
) -> crate::config::LinksConfig {
    let mut links = crate::config::LinksConfig::default();
    for (key, value) in table {
        match (key.as_str(), value) {
            ("external", toml::Value::Array(items)) => {
                for item in items {
                    match item.as_str() {
                        Some(p) if !p.is_empty() => links.external.push(p.to_string()),
                        _ => problem(
                            format!("`links.external` holds `{item}`, not a link prefix"),
                            "write the prefixes as strings: external = [\"../std/\"]",
                        ),
                    }
                }
            }
            ("root", toml::Value::Table(map)) => {
                for (prefix, folder) in map {
                    match folder.as_str() {
                        Some(f) if prefix.starts_with('/') => {
                            links.root.insert(prefix.clone(), f.to_string());
                        }
                        _ => problem(
                            format!("`links.root` maps `{prefix}` to `{folder}`"),
                            "map a prefix starting with `/` to a folder of content/: root = { \"/\" = \"\" }",
                        ),
                    }
                }
            }
            ("external" | "root", _) => problem(
                format!("`links.{key}` has the wrong type"),
                "write external = [\"../std/\"] and root = { \"/\" = \"\" }",
            ),
            _ => problem(
                format!("unknown key `{key}` in [links]"),
                "allowed keys: external, root",
            ),
        }
    }
    links
}

/// Where `needle` is first written in `text` at or after `from` (a key or
/// a quoted value of a table), for positioned errors; `from` if nowhere.
fn offset_of(text: &str, from: usize, needle: &str) -> usize {
    text.get(from..)
        .and_then(|rest| rest.find(needle))
        .map_or(from, |i| from + i)
}

/// Reads `[package]` of site.toml (`kenshu package scorm`); every problem
/// goes to `problem` with its byte offset in `text`. Records where each
/// value is written (`PackageConfig::at`) for the errors `package` finds.
fn package_config(
    table: &toml::Table,
    text: &str,
    start: usize,
    mut problem: impl FnMut(usize, String, &str),
) -> crate::config::PackageConfig {
    let mut pkg = crate::config::PackageConfig::default();
    let at = |needle: &str| offset_of(text, start, needle);
    let lines = LineIndex::new(text);
    let pos = |offset: usize| lines.line_col(offset);
    for (key, value) in table {
        match (key.as_str(), value) {
            ("exclude" | "required", toml::Value::Array(items)) => {
                for item in items {
                    match item.as_str() {
                        Some(v) if !v.trim().is_empty() => {
                            let offset = at(&format!("\"{v}\""));
                            pkg.at.insert(format!("{key}:{v}"), pos(offset));
                            if key == "exclude" {
                                pkg.exclude.push(v.to_string());
                            } else {
                                pkg.required.push(v.to_string());
                            }
                        }
                        _ => problem(
                            at(key),
                            format!("`package.{key}` holds `{item}`, not a non-empty string"),
                            if key == "exclude" {
                                "write paths below content/ as strings: exclude = [\"lecturer/\"]"
                            } else {
                                "write exercise ids as strings: required = [\"case01-classify\"]"
                            },
                        ),
                    }
                }
            }
            ("passing_score", toml::Value::Integer(_) | toml::Value::Float(_)) => {
                let p = value
                    .as_float()
                    .or_else(|| value.as_integer().map(|i| i as f64))
                    .unwrap_or(f64::NAN);
                if (0.0..=100.0).contains(&p) {
                    pkg.passing_score = Some(p);
                } else {
                    problem(
                        at(key),
                        format!("`package.passing_score = {value}` is not a percentage"),
                        "give a number from 0 to 100, such as 80",
                    );
                }
            }
            ("exclude" | "required" | "passing_score", _) => problem(
                at(key),
                format!("`package.{key}` has the wrong type"),
                "write exclude = [\"lecturer/\"], required = [\"case01-classify\"], passing_score = 80",
            ),
            _ => problem(
                at(key),
                format!("unknown key `{key}` in [package]"),
                "allowed keys: exclude, required, passing_score",
            ),
        }
    }
    pkg
}

/// Reads `site.toml`: every unknown key, wrong type and invalid value is
/// reported at its position; the keys without problems are used. Returns
/// the settings and the line and column of each key's value (for errors
/// found later, such as a logo that is not there).
fn load_config(
    site_dir: &Path,
    errors: &mut Vec<Diagnostic>,
) -> (SiteConfig, BTreeMap<String, (usize, usize)>) {
    let path = site_dir.join("site.toml");
    let file = Path::new("site.toml");
    let mut config = SiteConfig::default();
    let mut positions = BTreeMap::new();
    if path.exists() {
        if let Some(text) = read_text(&path, file, errors) {
            let keys = toml_keys::check(file, &text, 0, &text, SITE_KEYS, "site.toml", errors);
            let mut invalid = |key: &str, message: String, hint: &str| {
                if let Some((_, span)) = keys.get(key) {
                    errors.push(Diagnostic::at(file, &text, span.start, message).with_hint(hint));
                }
            };
            let get = |k: &str| toml_keys::string(&keys, k);
            if let Some(v) = get("title") {
                if v.trim().is_empty() {
                    invalid(
                        "title",
                        "the title is empty".into(),
                        "write the site's title, or remove the line to use the folder name",
                    );
                }
                config.title = v;
            }
            if let Some(v) = get("language") {
                if !crate::config::is_language_tag(&v) {
                    invalid(
                        "language",
                        format!("language `{v}` is not a language tag"),
                        "write a BCP 47 tag such as \"ja\" or \"en-GB\"",
                    );
                } else {
                    config.language = v;
                }
            }
            if let Some(v) = get("accent") {
                if !crate::config::is_colour(&v) {
                    invalid("accent", format!("accent `{v}` is not a colour"), "write a hex colour such as \"#1d5fa8\" (3, 4, 6 or 8 digits) or a CSS colour name such as \"navy\"");
                } else {
                    config.accent = Some(v);
                }
            }
            if let Some(v) = get("base_url") {
                if !crate::config::is_http_url(&v) {
                    invalid("base_url", format!("base_url `{v}` is not an absolute http(s) URL"), "write the address the site is published at, such as \"https://example.org/kenshu/\"");
                } else {
                    config.base_url = Some(v);
                }
            }
            if let Some(v) = get("description") {
                config.description = v;
            }
            if let Some(v) = get("organisation") {
                config.organisation = v;
            }
            if let Some(v) = get("footer") {
                config.footer = v;
            }
            config.logo = get("logo");
            if let Some(v) = toml_keys::boolean(&keys, "show_notes_to_readers") {
                config.show_notes_to_readers = v;
            }
            if let Some((toml::Value::Table(t), span)) = keys.get("links") {
                config.links = links_config(t, |message: String, hint: &str| {
                    errors.push(Diagnostic::at(file, &text, span.start, message).with_hint(hint))
                });
            }
            if let Some((toml::Value::Table(t), span)) = keys.get("front_matter") {
                for (key, value) in t {
                    let names = value.as_array().map(|a| {
                        a.iter()
                            .map(|v| v.as_str().map(str::to_string))
                            .collect::<Option<Vec<_>>>()
                    });
                    match (key.as_str(), names) {
                        ("accept", Some(Some(names))) => config.accept_front_matter = names,
                        ("accept", _) => errors.push(
                            Diagnostic::at(
                                file,
                                &text,
                                span.start,
                                "`front_matter.accept` is not a list of key names",
                            )
                            .with_hint("write accept = [\"footer\", \"sidebarDepth\"]"),
                        ),
                        _ => errors.push(
                            Diagnostic::at(
                                file,
                                &text,
                                span.start,
                                format!("unknown key `{key}` in [front_matter]"),
                            )
                            .with_hint("allowed keys: accept"),
                        ),
                    }
                }
            }
            if let Some((toml::Value::Table(t), span)) = keys.get("package") {
                config.package = package_config(t, &text, span.start, |offset, message, hint| {
                    errors.push(Diagnostic::at(file, &text, offset, message).with_hint(hint))
                });
            }
            let lines = LineIndex::new(&text);
            positions = keys
                .iter()
                .map(|(k, (_, span))| (k.clone(), lines.line_col(span.start)))
                .collect();
        }
    }
    if config.title.trim().is_empty() {
        config.title = site_dir
            .canonicalize()
            .ok()
            .and_then(|p| p.file_name().map(|n| n.to_string_lossy().to_string()))
            .unwrap_or_else(|| "kenshu".to_string());
    }
    (config, positions)
}

fn rel_path(base: &Path, path: &Path) -> String {
    path.strip_prefix(base)
        .unwrap_or(path)
        .components()
        .map(|c| c.as_os_str().to_string_lossy().to_string())
        .collect::<Vec<_>>()
        .join("/")
}

/// Reads a UTF-8 text file; reports unreadable files and invalid UTF-8
/// with the position of the first bad byte.
fn read_text(path: &Path, display: &Path, errors: &mut Vec<Diagnostic>) -> Option<String> {
    let bytes = match walk::read_file(path) {
        Ok(b) => b,
        Err(e) => {
            errors.push(
                Diagnostic::file(display, format!("cannot read file: {e}"))
                    .with_hint(walk::read_hint(&e)),
            );
            return None;
        }
    };
    match utf8(bytes) {
        Ok(mut s) => {
            if s.starts_with('\u{feff}') {
                s.remove(0);
            }
            if let Some(nul) = s.find('\0') {
                errors.push(
                    Diagnostic::at(display, &s, nul, "the file contains a NUL character (byte 0)")
                        .with_hint("a text file never holds one: the file may be damaged or binary; delete the character"),
                );
                return None;
            }
            Some(s)
        }
        Err(e) => {
            let valid = e.utf8_error().valid_up_to();
            let good = String::from_utf8_lossy(&e.as_bytes()[..valid]).to_string();
            let (line, column) = crate::diagnostic::line_col(&good, valid);
            errors.push(Diagnostic {
                file: display.to_path_buf(),
                line,
                column,
                message: "file is not valid UTF-8".to_string(),
                hint: Some("save the file as UTF-8 (not Shift_JIS)".to_string()),
            });
            None
        }
    }
}

/// `bytes` as a String when they are UTF-8: checked with SIMD
/// (simdutf8), a tenth of the time std's check takes on Japanese text (a
/// 10,000-page site's 48 MB: ~40 ms of CPU); std's error when they are not.
fn utf8(bytes: Vec<u8>) -> Result<String, std::string::FromUtf8Error> {
    if simdutf8::basic::from_utf8(&bytes).is_ok() {
        // SAFETY: simdutf8 has just checked that `bytes` are UTF-8.
        Ok(unsafe { String::from_utf8_unchecked(bytes) })
    } else {
        String::from_utf8(bytes)
    }
}

/// Splits a file name `01-intro.md` into (Some(1), "intro").
pub fn split_prefix(stem: &str) -> (Option<i64>, &str) {
    let digits = stem.chars().take_while(char::is_ascii_digit).count();
    if digits > 0 && digits < stem.len() {
        let rest = &stem[digits..];
        if let Some(name) = rest.strip_prefix(['-', '_']) {
            if !name.is_empty() {
                return (stem[..digits].parse().ok(), name);
            }
        }
    }
    (None, stem)
}

/// Longest file name (in bytes) most file systems accept.
const MAX_NAME: usize = 255;

/// The file names that make a folder's index page, in order of precedence:
/// kenshu's and Zola's/Jekyll's `index.md`, GitHub's and GitBook's
/// `README.md`, Hugo's `_index.md`. When a folder has more than one, the
/// first is the index and the others are ordinary pages.
pub const INDEX_NAMES: &[&str] = &["index.md", "README.md", "readme.md", "_index.md"];

/// The content-relative paths of the Markdown files that are their
/// folder's index page (see [`INDEX_NAMES`]).
fn folder_indexes<'a>(rels: impl Iterator<Item = &'a str>) -> std::collections::BTreeSet<String> {
    let mut best: BTreeMap<&str, (usize, &str)> = BTreeMap::new();
    for rel in rels {
        let (dir, file) = rel.rsplit_once('/').unwrap_or(("", rel));
        if let Some(rank) = INDEX_NAMES.iter().position(|n| *n == file) {
            let slot = best.entry(dir).or_insert((rank, rel));
            if rank < slot.0 {
                *slot = (rank, rel);
            }
        }
    }
    best.into_values().map(|(_, rel)| rel.to_string()).collect()
}

/// What reading one Markdown file gives.
struct PageFile {
    /// None for a draft, or a file that cannot be read.
    page: Option<(Parsed, Vec<markdown::LinkRef>)>,
    errors: Vec<Diagnostic>,
    warnings: Vec<Diagnostic>,
}

/// Reads the Markdown file `content/{rel}` of the site in `site_dir` into
/// a page: the one way `build`, `check` and `serve` turn a file into a
/// [`Page`]. Its links are resolved once every page is known
/// ([`links::resolve`]); `page.links` is empty. Returns the page (None for
/// a draft or an unreadable file) and its links as written, or every
/// problem found in the file. `slug_rule`: the site's rule for heading ids
/// ([`Site::slug_rule`]).
pub fn read_page(
    site_dir: &Path,
    rel: &str,
    is_index: bool,
    slug_rule: markdown::slug::SlugRule,
) -> Result<Option<(Page, Vec<markdown::LinkRef>)>, Vec<Diagnostic>> {
    let content_dir = repo::content_dir(site_dir);
    let reading = Reading {
        is_index,
        keep: false,
        slug_rule,
    };
    let r = read_parsed(site_dir, &content_dir, rel, reading);
    if !r.errors.is_empty() || !r.warnings.is_empty() {
        return Err(r.errors.into_iter().chain(r.warnings).collect());
    }
    Ok(r.page.map(|(p, links)| (p.page, links)))
}

fn read_parsed(site_dir: &Path, content_dir: &Path, rel: &str, reading: Reading) -> PageFile {
    let path = content_dir.join(rel);
    let display = display_path(site_dir, &path);
    let mut errors = Vec::new();
    let mut warnings = Vec::new();
    let page = read_text(&path, &display, &mut errors).and_then(|text| {
        parse_page(
            site_dir,
            rel,
            display,
            &text,
            reading,
            &mut errors,
            &mut warnings,
        )
    });
    PageFile {
        page,
        errors,
        warnings,
    }
}

/// A parsed page before it is placed in the tree.
struct Parsed {
    page: Page,
    /// Parent folder relative to content/ ("" for root).
    dir: String,
    /// Sort key from the file-name prefix.
    prefix: Option<i64>,
    /// Name without prefix and extension ("index" for index pages).
    name: String,
    /// The body as parsed, its `{{#include}}`s expanded (when asked for).
    kept: Option<markdown::Kept>,
}

/// How a Markdown file is read: as its folder's index page or not,
/// whether its parsed body is kept for rendering, and the site's rule for
/// heading ids.
#[derive(Clone, Copy)]
struct Reading {
    is_index: bool,
    keep: bool,
    slug_rule: markdown::slug::SlugRule,
}

/// The keys `body` shows with `frontmatter.KEY` (`{{ $frontmatter.KEY }}`,
/// `{{ $page.frontmatter.KEY }}`).
fn shown_front_matter_keys(body: &str) -> std::collections::HashSet<&str> {
    const AT: &str = "frontmatter.";
    body.match_indices(AT)
        .map(|(i, _)| {
            let rest = &body[i + AT.len()..];
            let end = rest
                .find(|c: char| !(c.is_alphanumeric() || c == '_' || c == '-'))
                .unwrap_or(rest.len());
            &rest[..end]
        })
        .collect()
}

fn parse_page(
    site_dir: &Path,
    rel: &str,
    display: PathBuf,
    text: &str,
    reading: Reading,
    errors: &mut Vec<Diagnostic>,
    warnings: &mut Vec<Diagnostic>,
) -> Option<(Parsed, Vec<markdown::LinkRef>)> {
    let Reading {
        is_index,
        keep,
        slug_rule,
    } = reading;
    let (front, body, body_offset, problem) = frontmatter::split(&display, text);
    errors.extend(problem);
    warnings.extend(front.warnings.iter().cloned());
    let lines = LineIndex::new(text);
    // A key a `{{ $frontmatter.key }}` shows is used (the body is read
    // once, not once per key: 2,432 keys and a 2 MB body took 20 s).
    let shown = if front.unknown.is_empty() {
        std::collections::HashSet::new()
    } else {
        shown_front_matter_keys(body)
    };
    for (key, offset) in &front.unknown {
        if shown.contains(key.as_str()) {
            continue;
        }
        warnings.push(
            lines.at(&display, *offset, format!("{UNUSED_KEY} `{key}` is not used by kenshu (ignored)"))
                .with_hint("kenshu reads title, weight, description, slides, hidden, draft, time, prior_knowledge and objectives; remove the key, check its spelling, or accept it in site.toml: [front_matter] accept = [\"key\"]"),
        );
    }
    if front.draft == Some(true) {
        return None;
    }
    // `{{ $frontmatter.x }}` placeholders show the front matter's values.
    let vars = if body.contains("{{") {
        markdown::PageVars::from_front_matter(&text[..body_offset])
    } else {
        markdown::PageVars::default()
    }
    .with_slug_rule(slug_rule);
    // One copy of the body, shared by the page and its parse.
    let body: std::sync::Arc<str> = body.into();
    let Expansion {
        scan,
        kept,
        map,
        failed,
    } = expand_and_parse(site_dir, &display, &body, &vars, keep);
    // A diagnostic at byte `offset` of the expanded body: in the page, or
    // in the included file it comes from.
    let at = |offset: usize, message: String| match map.origin(offset) {
        include::Origin::Body(b) => lines.at(&display, body_offset + b, message),
        include::Origin::Included {
            included, offset, ..
        } => {
            let (line, column) = included.line_col(offset);
            Diagnostic {
                file: included.file.clone(),
                line,
                column,
                message,
                hint: None,
            }
        }
    };
    for n in &scan.notices {
        warnings.push(at(n.offset, n.message.clone()).with_hint(n.hint.as_str()));
    }
    for (name, off) in &scan.elements {
        warnings.push(
            at(*off, format!("`<{name}>` {CUSTOM_ELEMENT}"))
                .with_hint("kenshu does not run Vue or MDX components: write what the element showed in Markdown (the front matter's time, prior_knowledge and objectives are shown at the top of the page already), or remove it"),
        );
    }
    for (kind, off) in &scan.unknown_admonitions {
        errors.push(
            at(*off, format!("unknown admonition `[!{kind}]`"))
                .with_hint("use one of NOTE, TIP, IMPORTANT, WARNING, CAUTION, 解説, 講師メモ"),
        );
    }
    for f in &scan.foreign {
        warnings.push(
            at(
                f.offset,
                format!("`{}` is {} and shows on the page as it is", f.text, f.system),
            )
            .with_hint("kenshu does not run other tools' templates: replace it with Markdown (an admonition `> [!NOTE]`, an image, a link), or put it in a code span if it is an example"),
        );
    }
    for (range, (message, hint)) in failed {
        errors.push(
            lines
                .at(&display, body_offset + range.start, message)
                .with_hint(hint),
        );
    }
    for (range, _) in &scan.code_blocks {
        // The fence's line, where it is written.
        let written = match map.origin(range.start) {
            include::Origin::Body(b) => body.get(b..),
            include::Origin::Included {
                included, offset, ..
            } => included.text.get(offset..),
        };
        let lang = written.and_then(crate::highlight::fence_lang);
        if let Some(lang) = lang.filter(|l| !crate::highlight::is_known(l)) {
            warnings.push(
                at(range.start, format!("{UNKNOWN_LANGUAGE} `{lang}`: its code blocks are shown without colours"))
                    .with_hint("name a language kenshu highlights (bash, console, python, toml, ts, yaml…), or `text` for plain text"),
            );
        }
    }
    // The parse saw the included text: its code blocks' sizes are theirs.
    for (start, size) in markdown::oversized_code(&scan.code_blocks, &[]) {
        let limit = crate::highlight::HIGHLIGHT_LIMIT / 1024;
        warnings.push(
            at(
                start,
                format!(
                    "this code block is {} KiB, over the {limit} KiB that is highlighted: \
                     it is shown without colours and left out of search",
                    size.div_ceil(1024)
                ),
            )
            .with_hint("split it, or show the part that matters with `{{#include file:FROM:TO}}` or an anchor (`{{#include file:name}}`)"),
        );
    }
    let (dir, file) = match rel.rsplit_once('/') {
        Some((d, f)) => (d.to_string(), f.to_string()),
        None => (String::new(), rel.to_string()),
    };
    let stem = file.strip_suffix(".md").unwrap_or(&file);
    let (prefix, name) = split_prefix(stem);
    let title = page_title(front.title.as_deref(), &scan.headings, name);
    let out_name = if is_index { "index" } else { name };
    let output = if dir.is_empty() {
        format!("{out_name}.html")
    } else {
        format!("{dir}/{out_name}.html")
    };
    // The longest name written for this page: its slide deck's, if any.
    let longest = if front.slides == Some(true) {
        format!("{name}.slides.html")
    } else {
        format!("{name}.html")
    };
    if longest.len() > MAX_NAME {
        errors.push(
            Diagnostic::file(
                &display,
                format!(
                    "this page would be written as a file whose name is {} bytes long; file systems allow {MAX_NAME}",
                    longest.len()
                ),
            )
            .with_hint("shorten the file name"),
        );
    }
    let kind = match (is_index, dir.is_empty()) {
        (true, true) => PageKind::Home,
        (true, false) => PageKind::SectionIndex,
        _ => PageKind::Regular,
    };
    // Offsets in the body as written (a link or directive inside an
    // included file: where its `{{#include}}` is written).
    let refs = scan
        .links
        .into_iter()
        .map(|l| markdown::LinkRef {
            offset: map.body_offset(l.offset),
            ..l
        })
        .collect();
    let directives = scan
        .directives
        .into_iter()
        .map(|d| markdown::Directive {
            offset: map.body_offset(d.offset),
            ..d
        })
        .collect();
    let parsed = Parsed {
        page: Page {
            kind,
            source: display,
            rel: rel.to_string(),
            training: front.training,
            generated: false,
            output,
            title,
            description: front.description.unwrap_or_default(),
            weight: front.weight,
            slides: front.slides.unwrap_or(false),
            hidden: front.hidden.unwrap_or(false),
            class: front.class.unwrap_or_default(),
            body,
            body_offset,
            body_line: text[..body_offset].matches('\n').count(),
            vars,
            headings: scan.headings,
            anchors: scan.html_ids,
            directives,
            links: BTreeMap::new(),
            section: 0,
            includes: map.into_includes(),
        },
        dir,
        prefix,
        name: if is_index {
            "index".into()
        } else {
            name.to_string()
        },
        kept,
    };
    Some((parsed, refs))
}

/// A page's body parsed once, its `{{#include}}`s expanded first.
struct Expansion {
    scan: markdown::Scan,
    /// The expanded body with its events (when asked for).
    kept: Option<markdown::Kept>,
    /// Where the bytes of the expanded body come from.
    map: include::SourceMap,
    /// The includes in code blocks that could not be expanded: where each
    /// is written in the body, (message, hint).
    failed: Vec<(std::ops::Range<usize>, (String, String))>,
}

/// Expands the `{{#include}}`s of `body` and parses the result once.
///
/// mdBook's includes are expanded in code blocks only, so where an include
/// is can be known only from a parse. Each `{{#include}}` written anywhere
/// is expanded first and the text parsed; when every expanded one then
/// lies within the code of one code block, the blocks are those of the
/// body as written, and this parse is the page's. Otherwise (a directive
/// written in prose or a code span, or an included file whose lines leave
/// the block, e.g. a closing fence of its own) the body as written is
/// scanned for its includes, as before, and those are expanded: a second
/// parse, for those pages only.
fn expand_and_parse(
    site_dir: &Path,
    display: &Path,
    body: &std::sync::Arc<str>,
    vars: &markdown::PageVars,
    keep: bool,
) -> Expansion {
    let candidates = markdown::include_candidates(body);
    if candidates.is_empty() {
        let (scan, kept, _) = markdown::Kept::parse_spans(body.clone(), vars, keep, &[]);
        return Expansion {
            scan,
            kept,
            map: include::SourceMap::default(),
            failed: Vec::new(),
        };
    }
    let tried: Vec<_> = candidates
        .iter()
        .map(|inc| (inc.range.clone(), include::expand(site_dir, display, inc)))
        .collect();
    let expanded = tried
        .iter()
        .filter_map(|(range, r)| Some((range.clone(), r.as_ref().ok()?.clone())))
        .collect();
    let (text, map) = include::SourceMap::expand(body, expanded);
    let mut spans = map.spans();
    let failed: Vec<_> = tried
        .into_iter()
        .filter_map(|(range, r)| Some((range, r.err()?)))
        .collect();
    spans.extend(
        failed
            .iter()
            .map(|(r, _)| map.expanded_offset(r.start)..map.expanded_offset(r.start) + r.len()),
    );
    let (scan, kept, inside) = markdown::Kept::parse_spans(text, vars, keep, &spans);
    let expanded_count = spans.len() - failed.len();
    if inside[..expanded_count].iter().all(|&i| i) {
        let failed = failed
            .into_iter()
            .zip(&inside[expanded_count..])
            .filter_map(|(f, &i)| i.then_some(f))
            .collect();
        return Expansion {
            scan,
            kept,
            map,
            failed,
        };
    }
    drop((scan, kept));
    // The includes of the body as written.
    let mut failed = Vec::new();
    let mut expanded = Vec::new();
    for inc in markdown::scan_with(body, vars).includes {
        match include::expand(site_dir, display, &inc) {
            Ok(included) => expanded.push((inc.range, included)),
            Err(e) => failed.push((inc.range, e)),
        }
    }
    let (text, map) = include::SourceMap::expand(body, expanded);
    let (scan, kept, _) = markdown::Kept::parse_spans(text, vars, keep, &[]);
    Expansion {
        scan,
        kept,
        map,
        failed,
    }
}

/// A page's title: its front matter's, else its first heading of any level
/// (many books start chapters with `##`), else its file name.
pub fn page_title(front: Option<&str>, headings: &[crate::model::Heading], name: &str) -> String {
    front
        .map(str::to_string)
        .or_else(|| headings.first().map(|h| h.text.clone()))
        .filter(|t| !t.trim().is_empty())
        .unwrap_or_else(|| name.to_string())
}

/// The index page of a folder that has no index file: a list of its pages.
fn generated_index(dir: &str, config: &SiteConfig) -> Parsed {
    let folder = dir.rsplit('/').next().unwrap_or(dir);
    let (prefix, name) = split_prefix(folder);
    let title = if dir.is_empty() {
        config.title.clone()
    } else {
        name.to_string()
    };
    let source = if dir.is_empty() {
        PathBuf::from("content/index.md")
    } else {
        PathBuf::from(format!("content/{dir}/index.md"))
    };
    Parsed {
        page: Page {
            kind: if dir.is_empty() {
                PageKind::Home
            } else {
                PageKind::SectionIndex
            },
            source,
            rel: if dir.is_empty() {
                "index.md".into()
            } else {
                format!("{dir}/index.md")
            },
            training: Vec::new(),
            generated: true,
            output: if dir.is_empty() {
                "index.html".into()
            } else {
                format!("{dir}/index.html")
            },
            title,
            description: String::new(),
            weight: None,
            slides: false,
            hidden: false,
            class: String::new(),
            body: "".into(),
            body_offset: 0,
            body_line: 0,
            vars: markdown::PageVars::default(),
            headings: Vec::new(),
            anchors: Vec::new(),
            directives: Vec::new(),
            links: BTreeMap::new(),
            section: 0,
            includes: Vec::new(),
        },
        dir: dir.to_string(),
        prefix,
        name: "index".into(),
        kept: None,
    }
}

/// Orders pages into sections and returns them in reading order.
fn arrange(
    parsed: Vec<Parsed>,
    config: &SiteConfig,
    folders: &BTreeMap<String, (String, Option<i64>)>,
    errors: &mut Vec<Diagnostic>,
) -> (Vec<Page>, Vec<Section>) {
    // Every folder holding a page, and all of its ancestors, is a section.
    let mut dirs: BTreeMap<String, ()> = BTreeMap::new();
    dirs.insert(String::new(), ());
    for p in &parsed {
        let mut d = p.dir.clone();
        loop {
            dirs.insert(d.clone(), ());
            match d.rsplit_once('/') {
                Some((parent, _)) => d = parent.to_string(),
                None if !d.is_empty() => d = String::new(),
                None => break,
            }
        }
    }
    // Detect output collisions (`01-a.md` and `a.md`).
    let mut outputs: BTreeMap<String, PathBuf> = BTreeMap::new();
    for p in &parsed {
        if let Some(first) = outputs.insert(p.page.output.clone(), p.page.source.clone()) {
            errors.push(
                Diagnostic::file(
                    &p.page.source,
                    format!(
                        "this page and {} would both be written to {}",
                        first.display(),
                        p.page.output
                    ),
                )
                .with_hint("rename one of the two files"),
            );
        }
    }

    let mut index_pages: BTreeMap<String, Parsed> = BTreeMap::new();
    let mut regular: BTreeMap<String, Vec<Parsed>> = BTreeMap::new();
    for p in parsed {
        if p.name == "index" {
            index_pages.insert(p.dir.clone(), p);
        } else {
            regular.entry(p.dir.clone()).or_default().push(p);
        }
    }

    // Section titles and sort keys.
    struct Node {
        dir: String,
        index: Parsed,
    }
    let mut nodes: BTreeMap<String, Node> = BTreeMap::new();
    for dir in dirs.keys() {
        let index = index_pages.remove(dir).unwrap_or_else(|| {
            // Another tool's title and position of the folder (see
            // `repo::Layout::folders`).
            let mut index = generated_index(dir, config);
            if let Some((title, weight)) = folders.get(dir) {
                index.page.title.clone_from(title);
                index.page.weight = *weight;
            }
            index
        });
        nodes.insert(
            dir.clone(),
            Node {
                dir: dir.clone(),
                index,
            },
        );
    }

    // Sort key of a folder: its index page's weight, else the folder prefix.
    let folder_key = |dir: &str, node: &Node| -> (i64, String) {
        let folder = dir.rsplit('/').next().unwrap_or(dir);
        let (prefix, name) = split_prefix(folder);
        (
            node.index.page.weight.or(prefix).unwrap_or(i64::MAX),
            name.to_string(),
        )
    };

    let mut pages: Vec<Page> = Vec::new();
    let mut sections: Vec<Section> = Vec::new();

    fn visit(
        dir: &str,
        parent: Option<usize>,
        nodes: &mut BTreeMap<String, Node>,
        regular: &mut BTreeMap<String, Vec<Parsed>>,
        pages: &mut Vec<Page>,
        sections: &mut Vec<Section>,
        folder_key: &dyn Fn(&str, &Node) -> (i64, String),
    ) {
        let Some(node) = nodes.remove(dir) else {
            return;
        };
        let section_ix = sections.len();
        let mut index_page = node.index.page;
        index_page.section = section_ix;
        pages.push(index_page);
        sections.push(Section {
            dir: node.dir.clone(),
            index_page: pages.len() - 1,
            parent,
            children: Vec::new(),
            listed: Vec::new(),
        });
        // Children: pages of this folder and direct sub-folders.
        enum Item {
            Page(Box<Parsed>),
            Dir(String),
        }
        let mut items: Vec<((i64, String), Item)> = Vec::new();
        for p in regular.remove(dir).unwrap_or_default() {
            let key = (
                p.page.weight.or(p.prefix).unwrap_or(i64::MAX),
                p.name.clone(),
            );
            items.push((key, Item::Page(Box::new(p))));
        }
        let subdirs: Vec<String> = nodes
            .keys()
            .filter(|d| {
                let parent_dir = d.rsplit_once('/').map_or("", |(p, _)| p);
                !d.is_empty() && parent_dir == dir
            })
            .cloned()
            .collect();
        for d in subdirs {
            if let Some(n) = nodes.get(&d) {
                items.push((folder_key(&d, n), Item::Dir(d)));
            }
        }
        items.sort_by(|a, b| a.0.cmp(&b.0));
        for (_, item) in items {
            match item {
                Item::Page(p) => {
                    let mut page = p.page;
                    page.section = section_ix;
                    pages.push(page);
                    let ix = pages.len() - 1;
                    sections[section_ix].children.push(Child::Page(ix));
                }
                Item::Dir(d) => {
                    let child_ix = sections.len();
                    sections[section_ix].children.push(Child::Section(child_ix));
                    visit(
                        &d,
                        Some(section_ix),
                        nodes,
                        regular,
                        pages,
                        sections,
                        folder_key,
                    );
                }
            }
        }
    }
    visit(
        "",
        None,
        &mut nodes,
        &mut regular,
        &mut pages,
        &mut sections,
        &folder_key,
    );
    // A hidden section index hides everything inside the section.
    for ix in 0..pages.len() {
        let mut sec = Some(pages[ix].section);
        while let Some(s) = sec {
            if pages[sections[s].index_page].hidden {
                pages[ix].hidden = true;
                break;
            }
            sec = sections[s].parent;
        }
    }
    (pages, sections)
}

#[cfg(test)]
mod tests {
    use super::split_prefix;

    /// The SIMD check accepts and refuses exactly what std's does, and
    /// its error says where (for the file:line:column of the message).
    #[test]
    fn utf8_is_std_utf8() {
        let mut cases: Vec<Vec<u8>> = vec![
            "連携のあり方 — 理念編".into(),
            b"\xe9\x80".to_vec(),
            b"ok \xc0\xaf overlong".to_vec(),
            b"\xed\xa0\x80 surrogate".to_vec(),
            b"\xf4\x90\x80\x80 past U+10FFFF".to_vec(),
            Vec::new(),
        ];
        // Cuts of a long Japanese text, some inside a character.
        let long = "支援の連携。".repeat(40);
        cases.extend(
            (0..long.len())
                .step_by(7)
                .map(|n| long.as_bytes()[..n].to_vec()),
        );
        for b in cases {
            let std = String::from_utf8(b.clone()).map_err(|e| e.utf8_error().valid_up_to());
            let ours = super::utf8(b.clone()).map_err(|e| e.utf8_error().valid_up_to());
            assert_eq!(ours, std, "{b:?}");
        }
    }

    use crate::testing::site;

    /// A key the page shows with `{{ $frontmatter.key }}` is used; one it
    /// does not show is warned about; thousands of keys over a large body
    /// are checked in one reading of it.
    #[test]
    fn front_matter_keys_shown_in_the_body_are_used() {
        let keys: String = (0..3000).map(|i| format!("k{i}: v\n")).collect();
        let body = format!(
            "# 題\n\n{{{{ $frontmatter.speaker }}}} {{{{ $page.frontmatter.k7 }}}}\n\n{}",
            "本文。\n\n".repeat(100_000)
        );
        let dir = site(&[(
            "content/index.md",
            &format!("---\nspeaker: 上原\nspeakers: x\n{keys}---\n{body}"),
        )]);
        let start = std::time::Instant::now();
        let site = crate::load::load(dir.path()).unwrap();
        assert!(
            start.elapsed() < std::time::Duration::from_secs(10),
            "{:?}",
            start.elapsed()
        );
        let unused: Vec<String> = site
            .warnings
            .iter()
            .filter(|w| w.message.contains("is not used by kenshu"))
            .map(|w| w.message.clone())
            .collect();
        assert!(
            !unused.iter().any(|m| m.contains("`speaker`")),
            "{unused:?}"
        );
        assert!(!unused.iter().any(|m| m.contains("`k7`")), "{unused:?}");
        assert!(
            unused.iter().any(|m| m.contains("`speakers`")),
            "{unused:?}"
        );
        assert!(unused.iter().any(|m| m.contains("`k8`")), "{unused:?}");
        assert_eq!(unused.len(), 3000 - 1 + 1);
    }

    /// A warning inside an included file names that file's line and
    /// column; one in the page after the include keeps the page's line.
    #[test]
    fn warnings_in_included_text_point_into_the_included_file() {
        let dir = site(&[
            (
                "content/index.md",
                "# 一\n\n```text\n{{#include ../notes/n.txt}}\n```\n\n{{< after >}}\n",
            ),
            // Its own fence closes the page's: the rest is Markdown.
            (
                "notes/n.txt",
                "code\n```\n\n本文 {{< figure >}}\n\n```text\nmore",
            ),
        ]);
        let warnings = super::load(dir.path())
            .unwrap_or_else(|e| panic!("{:?}", e.iter().map(|e| e.to_string()).collect::<Vec<_>>()))
            .warnings;
        let shown: Vec<String> = warnings.iter().map(|w| w.to_string()).collect();
        let at = |needle: &str| {
            warnings
                .iter()
                .find(|w| w.message.contains(needle))
                .map(|w| (w.file.to_string_lossy().to_string(), w.line, w.column))
        };
        assert_eq!(
            at("{{< figure"),
            Some(("notes/n.txt".to_string(), 4, 4)),
            "{shown:#?}"
        );
        assert_eq!(
            at("{{< after"),
            Some(("content/index.md".to_string(), 7, 1)),
            "{shown:#?}"
        );
    }

    #[test]
    fn prefixes() {
        assert_eq!(split_prefix("01-intro"), (Some(1), "intro"));
        assert_eq!(split_prefix("2_b"), (Some(2), "b"));
        assert_eq!(split_prefix("2024"), (None, "2024"));
        assert_eq!(split_prefix("intro"), (None, "intro"));
        assert_eq!(split_prefix("01-"), (None, "01-"));
    }
}
