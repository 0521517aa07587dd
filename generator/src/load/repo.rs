//! A repository written for another tool, read as it is: where its pages
//! are and which of its settings kenshu can use. `kenshu build REPO` from
//! the root of an mdBook, VuePress, VitePress or Docusaurus project finds
//! the content folder, title, language, base path and static folder from
//! the tool's own files; a kenshu or Hugo site (`content/`) and a folder
//! of plain Markdown are read as before.
//!
//! JavaScript configuration files are never run: [`js_string`] scans them
//! for the object-literal keys kenshu uses (`title: '…'`), and a key whose
//! value is not a plain string (a variable, a function call) is a warning
//! naming the key.

use std::path::{Path, PathBuf};

use crate::diagnostic::Diagnostic;
use crate::markdown::slug::SlugRule;

/// The tool a repository was written for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Tool {
    /// kenshu itself, Hugo, or a plain folder: pages in `content/`.
    Kenshu,
    MdBook,
    VuePress,
    VitePress,
    Docusaurus,
}

impl Tool {
    /// The rule the tool gives heading ids by.
    pub fn slug_rule(self) -> SlugRule {
        match self {
            Tool::Kenshu => SlugRule::Kenshu,
            Tool::MdBook => SlugRule::MdBook,
            Tool::VuePress => SlugRule::VuePress,
            Tool::VitePress => SlugRule::VitePress,
            Tool::Docusaurus => SlugRule::Docusaurus,
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            Tool::Kenshu => "kenshu",
            Tool::MdBook => "mdBook",
            Tool::VuePress => "VuePress",
            Tool::VitePress => "VitePress",
            Tool::Docusaurus => "Docusaurus",
        }
    }
}

/// What was found in a repository's root.
#[derive(Debug, Clone)]
pub struct Layout {
    pub tool: Tool,
    /// The folder of the pages, relative to the repository (`content`,
    /// `src`, `docs`).
    pub content: PathBuf,
    /// The configuration file read, relative to the repository.
    pub config: Option<PathBuf>,
    pub title: Option<String>,
    pub language: Option<String>,
    /// The path the site was published under (`/course/`): root-relative
    /// links that start with it are read from the content folder.
    pub base: Option<String>,
    /// A folder whose files are published at the site's root (VuePress's
    /// `.vuepress/public`, VitePress's `public`, Docusaurus's `static`),
    /// relative to the repository.
    pub public: Option<PathBuf>,
    /// Style sheets of the project linked after the theme's (an mdBook's
    /// `output.html.additional-css`), relative to the repository.
    pub extra_css: Vec<PathBuf>,
    /// Scripts of the project loaded on every page after the theme's (an
    /// mdBook's `output.html.additional-js`), relative to the repository.
    pub extra_js: Vec<PathBuf>,
    /// Doc ids in the order a Docusaurus `sidebars.*` lists them (paths in
    /// the content folder without `.md`): the order of pages without a
    /// weight of their own.
    pub order: Vec<String>,
    /// Titles and positions of folders (a Docusaurus `_category_.json`'s
    /// `label` and `position`), by path in the content folder: the title
    /// and weight of a folder without an index page.
    pub folders: std::collections::BTreeMap<String, (String, Option<i64>)>,
    /// Settings that are there but not used, and values that cannot be
    /// read.
    pub warnings: Vec<Diagnostic>,
}

/// The file a Docusaurus folder's label and position are read from; it is
/// not published.
pub const CATEGORY_FILE: &str = "_category_.json";

impl Layout {
    fn new(tool: Tool, content: impl Into<PathBuf>) -> Layout {
        Layout {
            tool,
            content: content.into(),
            config: None,
            title: None,
            language: None,
            base: None,
            public: None,
            extra_css: Vec::new(),
            extra_js: Vec::new(),
            order: Vec::new(),
            folders: Default::default(),
            warnings: Vec::new(),
        }
    }

    /// One line saying what was read, for a repository of another tool
    /// (None for a kenshu site).
    pub fn summary(&self) -> Option<String> {
        if self.tool == Tool::Kenshu {
            return None;
        }
        let mut parts = vec![format!("pages from {}/", slash(&self.content))];
        if let Some(c) = &self.config {
            let mut read = Vec::new();
            if let Some(t) = &self.title {
                read.push(format!("title 「{t}」"));
            }
            if let Some(l) = &self.language {
                read.push(format!("language {l}"));
            }
            if let Some(b) = &self.base {
                read.push(format!("base {b}"));
            }
            for css in &self.extra_css {
                read.push(format!("style sheet {}", slash(css)));
            }
            for js in &self.extra_js {
                read.push(format!("script {}", slash(js)));
            }
            if read.is_empty() {
                parts.push(format!("{} (nothing kenshu uses)", slash(c)));
            } else {
                parts.push(format!("{}: {}", slash(c), read.join(", ")));
            }
        }
        if let Some(p) = &self.public {
            parts.push(format!("files of {}/ at the site's root", slash(p)));
        }
        let article = if self.tool == Tool::MdBook { "an" } else { "a" };
        Some(format!(
            "read {article} {} project: {}",
            self.tool.name(),
            parts.join("; ")
        ))
    }
}

fn slash(p: &Path) -> String {
    p.to_string_lossy().replace('\\', "/")
}

/// The content folder of the site or repository in `site_dir`.
pub fn content_dir(site_dir: &Path) -> PathBuf {
    site_dir.join(detect(site_dir).content)
}

/// Finds what `site_dir` holds. A `content/` folder always wins (kenshu,
/// Hugo); then `book.toml`, `.vuepress/`, `.vitepress/` and
/// `docusaurus.config.*`, at the root or in `docs/` or `src/`.
/// Its pages take their heading ids by the tool's rule
/// ([`Tool::slug_rule`], kept as [`crate::model::Site::slug_rule`]).
pub fn detect(site_dir: &Path) -> Layout {
    if site_dir.join("content").is_dir() {
        return Layout::new(Tool::Kenshu, "content");
    }
    if site_dir.join("book.toml").is_file() {
        return mdbook(site_dir);
    }
    for dir in ["", "docs", "src"] {
        let base = PathBuf::from(dir);
        if site_dir.join(&base).join(".vuepress").is_dir() {
            return vuepress(site_dir, &base);
        }
        if site_dir.join(&base).join(".vitepress").is_dir() {
            return vitepress(site_dir, &base);
        }
    }
    if let Some(config) = first_file(site_dir, "docusaurus.config", &["js", "ts", "mjs", "cjs"]) {
        return docusaurus(site_dir, config);
    }
    Layout::new(Tool::Kenshu, "content")
}

/// `dir/stem.ext` for the first `ext` that exists, relative to `root`.
fn first_file(root: &Path, stem: &str, exts: &[&str]) -> Option<PathBuf> {
    exts.iter()
        .map(|e| PathBuf::from(format!("{stem}.{e}")))
        .find(|p| root.join(p).is_file())
}

fn read(root: &Path, rel: &Path) -> Option<String> {
    std::fs::read_to_string(root.join(rel)).ok()
}

/// mdBook: `book.toml` (`[book] src`, `title`, `language`).
fn mdbook(root: &Path) -> Layout {
    let file = PathBuf::from("book.toml");
    let mut layout = Layout::new(Tool::MdBook, "src");
    layout.config = Some(file.clone());
    let Some(text) = read(root, &file) else {
        return layout;
    };
    let table = match text.parse::<toml::Table>() {
        Ok(t) => t,
        Err(e) => {
            let at = e.span().map_or(0, |s| s.start);
            layout.warnings.push(
                Diagnostic::at(
                    &file,
                    &text,
                    at,
                    format!("book.toml cannot be read: {}", e.message()),
                )
                .with_hint(
                    "fix the TOML; until then kenshu reads the pages of src/ with its defaults",
                ),
            );
            return layout;
        }
    };
    let book = table.get("book").and_then(|b| b.as_table());
    let get = |key: &str| book.and_then(|b| b.get(key)).and_then(|v| v.as_str());
    if let Some(src) = get("src").filter(|s| !s.trim().is_empty()) {
        layout.content = PathBuf::from(src.trim_end_matches('/'));
    }
    layout.title = get("title").map(str::to_string);
    layout.language = get("language").map(str::to_string);
    let html = table
        .get("output")
        .and_then(|o| o.get("html"))
        .and_then(|h| h.as_table());
    for (key, list) in [
        ("additional-css", &mut layout.extra_css),
        ("additional-js", &mut layout.extra_js),
    ] {
        let values = html.and_then(|h| h.get(key)).and_then(|v| v.as_array());
        for v in values.into_iter().flatten() {
            match v.as_str() {
                Some(p) => list.push(PathBuf::from(p)),
                None => layout.warnings.push(
                    Diagnostic::at(
                        &file,
                        &text,
                        text.find(key).unwrap_or(0),
                        format!("`output.html.{key}` holds `{v}`, not a path"),
                    )
                    .with_hint(format!(
                        "list the files as strings: {key} = [\"theme/ja.css\"]"
                    )),
                ),
            }
        }
    }
    layout
}

/// VuePress 1.x: `.vuepress/config.js` in the content folder (`title`,
/// `base`, `locales` left alone), `.vuepress/public/` at the site's root.
fn vuepress(root: &Path, content: &Path) -> Layout {
    let mut layout = Layout::new(Tool::VuePress, content);
    let dir = content.join(".vuepress");
    if root.join(dir.join("public")).is_dir() {
        layout.public = Some(dir.join("public"));
    }
    let Some(file) =
        first_file(&root.join(&dir), "config", &["js", "ts", "mjs", "cjs"]).map(|f| dir.join(f))
    else {
        return layout;
    };
    read_js(root, &file, &mut layout);
    if let Some(text) = read(root, &file) {
        let sidebar = sidebar_text(&text, |required| {
            let rel = dir.join(required.trim_start_matches("./"));
            read(root, &rel).or_else(|| read(root, &rel.with_extension("js")))
        });
        if let Some(sidebar) = sidebar {
            layout.order = sidebar_pages(&sidebar, layout.base.as_deref());
        }
    }
    layout
}

/// The text of VuePress's `themeConfig.sidebar`: the value after the first
/// `sidebar:` written at the start of a line, up to its closing bracket, or
/// the whole file it `require`s (`require('./sidebar')`, read by `load`).
fn sidebar_text(text: &str, load: impl Fn(&str) -> Option<String>) -> Option<String> {
    let start = text.lines().scan(0, |at, line| {
        let here = *at;
        *at += line.len() + 1;
        Some((here, line))
    });
    let (at, line) = start
        .filter(|(_, l)| l.trim_start().starts_with("sidebar"))
        .find(|(_, l)| {
            l.trim_start()["sidebar".len()..]
                .trim_start()
                .starts_with(':')
        })?;
    let value_at = at + line.find(':')? + 1;
    let value = text[value_at..].trim_start();
    if let Some(rest) = value.strip_prefix("require(") {
        let quote = rest
            .chars()
            .next()
            .filter(|c| matches!(c, '\'' | '"' | '`'))?;
        let name = rest[1..].split(quote).next()?;
        return load(name);
    }
    let open = value.chars().next().filter(|c| matches!(c, '[' | '{'))?;
    let close = if open == '[' { ']' } else { '}' };
    let mut depth = 0usize;
    for (i, c) in value.char_indices() {
        if c == open {
            depth += 1;
        } else if c == close {
            depth -= 1;
            if depth == 0 {
                return Some(value[..=i].to_string());
            }
        }
    }
    Some(value.to_string())
}

/// The pages a VuePress sidebar lists, in order, as paths in the content
/// folder without `.md` (`/python/` is `python/README`, `/` the home page):
/// the order of pages without a weight of their own. Titles and other
/// strings that name no page match none and do nothing.
fn sidebar_pages(sidebar: &str, base: Option<&str>) -> Vec<String> {
    page_ids(doc_ids(sidebar), base, "README")
}

/// Site paths (`/x/`, `/training/x/a.md`, `./a.html#h`) as paths in the
/// content folder without `.md`; a folder is its `index` page.
fn page_ids(paths: Vec<String>, base: Option<&str>, index: &str) -> Vec<String> {
    paths
        .into_iter()
        .filter(|s| !s.contains("://"))
        .map(|s| {
            let s = base
                .and_then(|b| s.strip_prefix(b.trim_end_matches('/')))
                .unwrap_or(&s)
                .to_string();
            let s = s.split(['#', '?']).next().unwrap_or_default();
            let s = s.trim_start_matches("./").trim_start_matches('/');
            let s = s
                .strip_suffix(".html")
                .or_else(|| s.strip_suffix(".md"))
                .unwrap_or(s);
            if s.is_empty() || s.ends_with('/') {
                format!("{s}{index}")
            } else {
                s.to_string()
            }
        })
        .collect()
}

/// VitePress: `.vitepress/config.*` (`srcDir`, `title`, `lang`, `base`),
/// `public/` in the source folder at the site's root.
fn vitepress(root: &Path, project: &Path) -> Layout {
    let mut layout = Layout::new(Tool::VitePress, project);
    let dir = project.join(".vitepress");
    if let Some(file) = first_file(
        &root.join(&dir),
        "config",
        &["js", "ts", "mjs", "mts", "cjs", "cts"],
    )
    .map(|f| dir.join(f))
    {
        if let Some(src) = read_js(root, &file, &mut layout) {
            let src = src.trim_start_matches("./").trim_end_matches('/');
            if !src.is_empty() && src != "." {
                layout.content = project.join(src);
            }
        }
    }
    if root.join(layout.content.join("public")).is_dir() {
        layout.public = Some(layout.content.join("public"));
    }
    if let Some(text) = layout.config.as_ref().and_then(|c| read(root, c)) {
        if let Some(sidebar) = sidebar_text(&text, |_| None) {
            layout.order = page_ids(link_values(&sidebar), layout.base.as_deref(), "index");
        }
    }
    layout
}

/// The quoted values of the `link:` keys of a VitePress sidebar
/// (`{ text: '準備', link: '/guide/setup' }`), in order.
fn link_values(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut rest = text;
    while let Some(at) = rest.find("link") {
        let before = rest[..at].chars().next_back();
        let after = rest[at + 4..].trim_start();
        rest = &rest[at + 4..];
        if before.is_some_and(|c| c.is_alphanumeric() || c == '_' || c == '$') {
            continue;
        }
        let Some(value) = after.strip_prefix(':').map(str::trim_start) else {
            continue;
        };
        let Some(quote) = value
            .chars()
            .next()
            .filter(|c| matches!(c, '\'' | '"' | '`'))
        else {
            continue;
        };
        if let Some(v) = value[1..].split(quote).next() {
            out.push(v.to_string());
        }
    }
    out
}

/// Docusaurus: `docs/`, `static/` at the site's root, and
/// `docusaurus.config.*` (`title`, `baseUrl`).
fn docusaurus(root: &Path, file: PathBuf) -> Layout {
    let mut layout = Layout::new(Tool::Docusaurus, "docs");
    if root.join("static").is_dir() {
        layout.public = Some(PathBuf::from("static"));
    }
    read_js(root, &file, &mut layout);
    if let Some(sidebars) = first_file(root, "sidebars", &["js", "ts", "mjs", "cjs", "json"]) {
        if let Some(text) = read(root, &sidebars) {
            layout.order = doc_ids(&text);
        }
    }
    categories(root, Path::new("docs"), "", 0, &mut layout);
    layout
}

/// Reads the `_category_.json` of `docs/{dir}` and of the folders in it
/// (16 levels at most; links and hidden folders are not followed).
fn categories(root: &Path, docs: &Path, dir: &str, depth: usize, layout: &mut Layout) {
    let here = docs.join(dir);
    let file = here.join(CATEGORY_FILE);
    if !dir.is_empty() {
        if let Some(text) = read(root, &file) {
            match serde_json::from_str::<serde_json::Value>(&text) {
                Ok(v) => {
                    let label = v.get("label").and_then(|l| l.as_str());
                    let position = v.get("position").and_then(|p| p.as_f64());
                    let name = dir.rsplit('/').next().unwrap_or(dir);
                    layout.folders.insert(
                        dir.to_string(),
                        (
                            label.unwrap_or(name).to_string(),
                            position.map(|p| p.round() as i64),
                        ),
                    );
                }
                Err(e) => layout.warnings.push(
                    Diagnostic::file(&file, format!("{CATEGORY_FILE} cannot be read: {e}"))
                        .with_hint("fix the JSON; until then the folder is titled by its name"),
                ),
            }
        }
    }
    if depth >= 16 {
        return;
    }
    let Ok(entries) = std::fs::read_dir(root.join(&here)) else {
        return;
    };
    let mut subdirs: Vec<String> = entries
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_ok_and(|t| t.is_dir()))
        .filter_map(|e| e.file_name().to_str().map(str::to_string))
        .filter(|n| !n.starts_with('.'))
        .collect();
    subdirs.sort();
    for sub in subdirs {
        let path = if dir.is_empty() {
            sub
        } else {
            format!("{dir}/{sub}")
        };
        categories(root, docs, &path, depth + 1, layout);
    }
}

/// The doc ids of a Docusaurus sidebar file, in order: the quoted strings
/// that are items of an array (`['intro', 'guide/setup']`) and the values
/// of `id:` keys (`{type: 'doc', id: 'intro'}`). Labels, types and
/// category keys are left out; the file is read as data, never run.
pub fn doc_ids(text: &str) -> Vec<String> {
    let mut ids = Vec::new();
    let bytes = text.as_bytes();
    let mut i = 0;
    // The last character before the string that is not a space.
    let mut before = b' ';
    while i < bytes.len() {
        let c = bytes[i];
        if c == b'/' && bytes.get(i + 1) == Some(&b'/') {
            i = text[i..].find('\n').map_or(bytes.len(), |n| i + n);
            continue;
        }
        if c == b'/' && bytes.get(i + 1) == Some(&b'*') {
            i = text[i + 2..]
                .find("*/")
                .map_or(bytes.len(), |n| i + 2 + n + 2);
            continue;
        }
        if matches!(c, b'\'' | b'"' | b'`') {
            let Some(len) = text[i + 1..].find(c as char) else {
                break;
            };
            let s = &text[i + 1..i + 1 + len];
            let after = text[i + 2 + len..].trim_start().as_bytes().first().copied();
            let id_value = text[..i].trim_end().ends_with("id:");
            if after != Some(b':') && (matches!(before, b'[' | b',') || id_value) {
                let before_key = text[..i].trim_end();
                let is_other_value = before == b':' && !id_value;
                if !is_other_value
                    && !before_key.ends_with("label:")
                    && !before_key.ends_with("type:")
                {
                    ids.push(s.to_string());
                }
            }
            before = c;
            i += len + 2;
            continue;
        }
        if !c.is_ascii_whitespace() {
            before = c;
        }
        i += 1;
    }
    ids
}

/// Reads `title`, `lang`/`language`, `base`/`baseUrl` of a JavaScript
/// configuration file into `layout`; returns `srcDir` if set.
fn read_js(root: &Path, file: &Path, layout: &mut Layout) -> Option<String> {
    layout.config = Some(file.to_path_buf());
    let text = read(root, file)?;
    let mut value = |keys: &[&str]| -> Option<String> {
        for key in keys {
            match js_string(&text, key) {
                Some(Ok(v)) => return Some(v),
                Some(Err(at)) => {
                    layout.warnings.push(
                        Diagnostic::at(file, &text, at, format!("`{key}` is not a plain string here, so kenshu cannot read it (the file is read as data, never run)"))
                            .with_hint(format!("write {key}: '…' in this file, or set it in site.toml")),
                    );
                    return None;
                }
                None => {}
            }
        }
        None
    };
    layout.title = value(&["title"]);
    layout.language = value(&["lang", "language"]);
    layout.base = value(&["base", "baseUrl"]).filter(|b| b.starts_with('/') && b != "/");
    value(&["srcDir"])
}

/// The value of the first `key:` of an object literal in `text` that is
/// written at the start of a line (after spaces), outside comments: Some(Ok)
/// for a quoted string without `${}`, Some(Err(offset)) for any other
/// value, None when the key is not there.
pub fn js_string(text: &str, key: &str) -> Option<Result<String, usize>> {
    let mut offset = 0;
    let mut in_block_comment = false;
    for line in text.split_inclusive('\n') {
        let start = offset;
        offset += line.len();
        let trimmed = line.trim_start();
        if in_block_comment {
            if line.contains("*/") {
                in_block_comment = false;
            }
            continue;
        }
        if trimmed.starts_with("/*") {
            in_block_comment = !trimmed.contains("*/");
            continue;
        }
        if trimmed.starts_with("//") {
            continue;
        }
        let unquoted = trimmed
            .strip_prefix(key)
            .or_else(|| trimmed.strip_prefix(&format!("'{key}'")))
            .or_else(|| trimmed.strip_prefix(&format!("\"{key}\"")));
        let Some(rest) = unquoted.and_then(|r| r.trim_start().strip_prefix(':')) else {
            continue;
        };
        let value = rest.trim_start();
        let at = start + (line.len() - value.len());
        let Some(quote) = value
            .chars()
            .next()
            .filter(|c| matches!(c, '\'' | '"' | '`'))
        else {
            return Some(Err(at));
        };
        let body = &value[1..];
        let Some(end) = body.find(quote) else {
            return Some(Err(at));
        };
        let s = &body[..end];
        if s.contains('\\') || (quote == '`' && s.contains("${")) {
            return Some(Err(at));
        }
        return Some(Ok(s.to_string()));
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sidebar_doc_ids_in_order() {
        let js = "// ['not']\nmodule.exports = {\n  docs: [\n    'intro',\n    {type: 'category', label: 'Guide', items: ['guide/setup', \"guide/run\"]},\n    {type: 'doc', id: 'faq'},\n  ],\n};\n";
        assert_eq!(doc_ids(js), ["intro", "guide/setup", "guide/run", "faq"]);
    }

    #[test]
    fn vuepress_sidebar_pages_in_order() {
        let config = "module.exports = {\n  themeConfig: {\n    nav: [{ text: 'Git', link: '/git/' }],\n    sidebar: [\n      '/',\n      ['/python/', 'Python'],\n      { title: 'Git', children: ['/training/git/intro.md', '/git/more.html#x'] },\n    ],\n  },\n}\n";
        let sidebar = sidebar_text(config, |_| None).unwrap();
        assert!(
            sidebar.starts_with('[') && sidebar.ends_with(']'),
            "{sidebar}"
        );
        assert_eq!(
            sidebar_pages(&sidebar, Some("/training/")),
            ["README", "python/README", "Python", "git/intro", "git/more"]
        );
        let required = "const sidebar = require('./sidebar')\nmodule.exports = {\n  themeConfig: {\n    sidebar,\n  },\n}\n";
        // `sidebar,` (shorthand) names a variable: not read.
        assert_eq!(sidebar_text(required, |_| Some("x".into())), None);
        let required =
            "module.exports = {\n  themeConfig: {\n    sidebar: require('./sidebar'),\n  },\n}\n";
        assert_eq!(
            sidebar_text(required, |f| Some(format!("file {f}"))).as_deref(),
            Some("file ./sidebar")
        );
    }

    #[test]
    fn vitepress_sidebar_links_in_order() {
        let config = "export default defineConfig({\n  base: '/handbook/',\n  themeConfig: {\n    nav: [{ text: 'ガイド', link: '/nav-only' }],\n    sidebar: {\n      '/guide/': [\n        { text: '導入', items: [\n          { text: 'API', link: '/guide/api' },\n          { text: '準備', link: \"/handbook/guide/setup.md\" },\n          { text: 'ガイド', link: '/guide/' },\n        ] },\n      ],\n    },\n  },\n})\n";
        let sidebar = sidebar_text(config, |_| None).unwrap();
        assert_eq!(
            page_ids(link_values(&sidebar), Some("/handbook/"), "index"),
            ["guide/api", "guide/setup", "guide/index"]
        );
    }

    #[test]
    fn reads_plain_string_keys_and_refuses_the_rest() {
        let js = "module.exports = {\n  // title: 'old',\n  title: '新人研修',\n  base: \"/course/\",\n  description: desc,\n  themeConfig: { lang: `ja` },\n}\n";
        assert_eq!(js_string(js, "title"), Some(Ok("新人研修".into())));
        assert_eq!(js_string(js, "base"), Some(Ok("/course/".into())));
        let Some(Err(at)) = js_string(js, "description") else {
            panic!()
        };
        assert!(js[at..].starts_with("desc,"));
        assert_eq!(js_string(js, "srcDir"), None);
        assert_eq!(js_string("/*\n title: 'x'\n*/\n", "title"), None);
        assert!(matches!(
            js_string("title: `a${b}`\n", "title"),
            Some(Err(_))
        ));
    }
}
