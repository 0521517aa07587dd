//! The theme: Tera templates and static files (CSS, scripts, icons).
//!
//! The default theme is embedded in the binary; a site's own `theme/`
//! folder overrides any file of the same path.

use std::path::{Path, PathBuf};

use include_dir::{include_dir, Dir};
use tera::Tera;

use crate::diagnostic::Diagnostic;

static DEFAULT_THEME: Dir<'_> = include_dir!("$CARGO_MANIFEST_DIR/../theme");

/// Templates (compiled) and static files of the theme in use.
#[derive(Debug, Clone)]
pub struct Theme {
    pub tera: Tera,
    /// Static files by path below `static/`, written to `assets/`; sorted.
    pub statics: Vec<(String, Vec<u8>)>,
    /// Whether the theme has no `partials/nav.html`: the sidebar is then
    /// written by `render::nav::builtin_html` (Rust). The default theme has
    /// no such template — Tera's loop cost a 2,000-page site 58 % more CPU
    /// than the Rust — so a site's own `partials/nav.html` is the only
    /// template of the sidebar.
    pub builtin_nav: bool,
    /// Whether the theme has no `partials/toc.html`: the in-page contents
    /// are then written by `render::contents::builtin_toc_html` (as for
    /// the sidebar, the default theme has no such template).
    pub builtin_toc: bool,
    /// Whether a template of the site's own mentions `toc` (the default
    /// templates read `has_toc` and `toc_html`): only then is the list of
    /// headings handed to Tera as `toc`, which on a page of 100,000
    /// headings is a tenth of its build.
    pub needs_toc: bool,
}

/// A site's own sidebar template (the default theme has none).
pub const NAV_TEMPLATE: &str = "partials/nav.html";
/// A site's own in-page contents template (the default theme has none).
pub const TOC_TEMPLATE: &str = "partials/toc.html";

/// One theme file and where it came from (for error messages).
struct ThemeFile {
    path: String,
    bytes: Vec<u8>,
    origin: PathBuf,
}

fn default_files() -> Vec<ThemeFile> {
    let mut out = Vec::new();
    collect_embedded(&DEFAULT_THEME, &mut out);
    out
}

fn collect_embedded(dir: &Dir<'_>, out: &mut Vec<ThemeFile>) {
    for file in dir.files() {
        let path = file.path().to_string_lossy().replace('\\', "/");
        out.push(ThemeFile {
            origin: PathBuf::from(format!("<default theme>/{path}")),
            path,
            bytes: file.contents().to_vec(),
        });
    }
    for sub in dir.dirs() {
        collect_embedded(sub, out);
    }
}

fn collect_overrides(
    root: &Path,
    site: &Path,
    out: &mut Vec<ThemeFile>,
    errors: &mut Vec<Diagnostic>,
) {
    for path in crate::walk::walk(root, site, errors) {
        let rel = match path.strip_prefix(root) {
            Ok(rel) => rel.to_string_lossy().replace('\\', "/"),
            Err(_) => continue,
        };
        match crate::walk::read_file(&path) {
            Ok(bytes) => out.push(ThemeFile {
                path: rel,
                bytes,
                origin: crate::diagnostic::display_path(site, &path),
            }),
            Err(e) => errors.push(
                Diagnostic::file(
                    crate::diagnostic::display_path(site, &path),
                    format!("cannot read theme file: {e}"),
                )
                .with_hint("check the file's permissions"),
            ),
        }
    }
}

impl Theme {
    /// Renders template `name` for output file `output`; a failure names the
    /// template, the file and Tera's reasons.
    pub fn render(
        &self,
        name: &str,
        cx: &tera::Context,
        output: &str,
    ) -> Result<String, Diagnostic> {
        self.tera
            .render(name, cx)
            .map_err(|e| render_error(name, output, &e))
    }

    /// [`Theme::render`] as bytes, into a buffer of `capacity`: what a
    /// page is written as. Tera writes strings only, so the bytes are
    /// UTF-8; `render` checks them again to make its `String` (2.5 % of a
    /// 10,000-page build's CPU, on 125 MB of HTML), a page file needs not.
    pub fn render_bytes(
        &self,
        name: &str,
        cx: &tera::Context,
        output: &str,
        capacity: usize,
    ) -> Result<Vec<u8>, Diagnostic> {
        let mut out = Vec::with_capacity(capacity);
        self.tera
            .render_to(name, cx, &mut out)
            .map_err(|e| render_error(name, output, &e))?;
        Ok(out)
    }
}

/// Why template `name` could not render output file `output`.
fn render_error(name: &str, output: &str, e: &tera::Error) -> Diagnostic {
    Diagnostic::file(
        format!("theme/templates/{name}"),
        format!("cannot render {output}: {}", tera_error_text(e)),
    )
    .with_hint("check the template override in theme/templates/")
}

/// Loads the default theme with the site's overrides applied.
pub fn load(site: &Path) -> Result<Theme, Vec<Diagnostic>> {
    let mut errors = Vec::new();
    let mut files = default_files();
    let override_dir = site.join("theme");
    // The repository root is itself a site whose `theme/` *is* the default
    // theme; reading it again as overrides is harmless.
    if override_dir.is_dir() {
        let mut overrides = Vec::new();
        collect_overrides(&override_dir, site, &mut overrides, &mut errors);
        for o in overrides {
            files.retain(|f| f.path != o.path);
            files.push(o);
        }
    }
    files.sort_by(|a, b| a.path.cmp(&b.path));

    let mut tera = Tera::default();
    tera.autoescape_on(vec![".html", ".xml"]);
    // Tera's default also escapes `/`, which makes every URL unreadable.
    tera.set_escape_fn(crate::html::escape);
    let is_default = |name: &str| {
        let path = format!("templates/{name}");
        let default = DEFAULT_THEME.get_file(&path).map(|f| f.contents());
        let used = files
            .iter()
            .find(|f| f.path == path)
            .map(|f| f.bytes.as_slice());
        default.is_some() && default == used
    };
    let has = |name: &str| files.iter().any(|f| f.path == format!("templates/{name}"));
    let builtin_nav = !has(NAV_TEMPLATE);
    let builtin_toc = !has(TOC_TEMPLATE);
    let needs_toc = files.iter().any(|f| {
        f.path
            .strip_prefix("templates/")
            .is_some_and(|name| !is_default(name))
            && String::from_utf8_lossy(&f.bytes).contains("toc")
    });
    let mut templates = Vec::new();
    let mut statics = Vec::new();
    for f in files {
        if let Some(name) = f.path.strip_prefix("templates/") {
            match String::from_utf8(f.bytes) {
                Ok(src) => templates.push((name.to_string(), src, f.origin)),
                Err(_) => errors.push(
                    Diagnostic::file(&f.origin, "template is not valid UTF-8")
                        .with_hint("save the file as UTF-8"),
                ),
            }
        } else if let Some(name) = f.path.strip_prefix("static/") {
            statics.push((name.to_string(), f.bytes));
        }
    }
    let raw: Vec<(&str, &str)> = templates
        .iter()
        .map(|(n, s, _)| (n.as_str(), s.as_str()))
        .collect();
    if let Err(e) = tera.add_raw_templates(raw) {
        let origin = templates
            .iter()
            .find(|(n, _, _)| e.to_string().contains(n.as_str()))
            .map(|(_, _, o)| o.clone())
            .unwrap_or_else(|| PathBuf::from("theme/templates"));
        errors.push(
            Diagnostic::file(origin, format!("template error: {}", tera_error_text(&e)))
                .with_hint("fix the Tera syntax (see https://keats.github.io/tera/docs/)"),
        );
    }
    if errors.is_empty() {
        Ok(Theme {
            tera,
            statics,
            builtin_nav,
            builtin_toc,
            needs_toc,
        })
    } else {
        Err(errors)
    }
}

/// Tera errors nest their cause; show the whole chain on one line.
pub fn tera_error_text(e: &tera::Error) -> String {
    let mut text = e.to_string();
    let mut source = std::error::Error::source(e);
    while let Some(s) = source {
        text.push_str(": ");
        text.push_str(&s.to_string());
        source = s.source();
    }
    text
}
