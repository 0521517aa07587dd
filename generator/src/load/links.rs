//! Resolves and checks every link, image and directive of every page.

use std::collections::BTreeMap;

use rayon::prelude::*;

use crate::config::LinksConfig;
use crate::diagnostic::{Diagnostic, LineIndex};
use crate::markdown;
use crate::markdown::slug::{self, SlugRule};
use crate::model::{Asset, LinkTarget, Page};

use super::exercises::ExerciseSet;

/// A diagnostic at a byte offset of a page's body; `lines` indexes the body.
pub fn at_body(
    page: &Page,
    lines: &LineIndex<'_>,
    offset: usize,
    message: impl Into<String>,
) -> Diagnostic {
    let (line, column) = lines.line_col(offset);
    Diagnostic {
        file: page.source.clone(),
        line: line + page.body_line,
        column,
        message: message.into(),
        hint: None,
    }
}

/// Content-relative path of a page's source (`a/01-b.md`).
pub fn content_rel(page: &Page) -> String {
    page.rel.clone()
}

/// Fills `Page::links` for every page and reports what does not resolve.
/// `refs` holds each page's links by source path; directives are checked
/// against the exercises here too.
///
/// A link to a heading by another tool's id (`#関数・テストの修正方法`
/// written for VuePress, in a site whose headings take ids by `rule`,
/// kenshu's) leads to the heading, with a warning naming the id to write:
/// the warnings are returned.
pub fn resolve(
    pages: &mut [Page],
    refs: &std::collections::HashMap<std::path::PathBuf, Vec<markdown::LinkRef>>,
    assets: &[Asset],
    exercises: &ExerciseSet,
    config: &LinksConfig,
    rule: SlugRule,
    errors: &mut Vec<Diagnostic>,
) -> Vec<Diagnostic> {
    let by_source: BTreeMap<String, usize> = pages
        .iter()
        .enumerate()
        .filter(|(_, p)| !p.generated)
        .map(|(i, p)| (content_rel(p), i))
        .collect();
    let by_output: BTreeMap<String, usize> = pages
        .iter()
        .enumerate()
        .map(|(i, p)| (p.output.clone(), i))
        .collect();
    let asset_outputs: BTreeMap<&str, ()> =
        assets.iter().map(|a| (a.output.as_str(), ())).collect();
    let headings: Vec<Anchors> = pages
        .par_iter()
        .map(|p| {
            let ids: Vec<&str> = p.anchor_ids().collect();
            Anchors {
                set: ids.iter().copied().collect(),
                ids,
                page: p,
                rule,
                aliases: std::sync::OnceLock::new(),
            }
        })
        .collect();

    // Each page's links on every core, errors in page order.
    type Resolved = (
        usize,
        BTreeMap<String, LinkTarget>,
        Vec<Diagnostic>,
        Vec<Diagnostic>,
    );
    let resolved: Vec<Resolved> = pages
        .par_iter()
        .enumerate()
        .filter_map(|(ix, page)| {
            let written = refs.get(&page.source).filter(|_| !page.generated)?;
            let mut errors = Vec::new();
            let mut warnings = Vec::new();
            let lines = LineIndex::new(&page.body);
            let rel = content_rel(page);
            let dir = rel.rsplit_once('/').map_or("", |(d, _)| d).to_string();
            for d in &page.directives {
                if let Some((message, hint)) = exercises.check_directive(d) {
                    errors.push(at_body(page, &lines, d.offset, message).with_hint(hint));
                }
            }
            errors.extend(duplicate_heading_ids(page, &|offset, message| {
                at_body(page, &lines, offset, message)
            }));
            let mut links = BTreeMap::new();
            for l in written {
                if config
                    .external
                    .iter()
                    .any(|p| l.dest.starts_with(p.as_str()))
                {
                    links.insert(l.dest.clone(), LinkTarget::External(l.dest.clone()));
                    continue;
                }
                // An e-mail autolink (`<foo@bar.example.com>`) is written
                // `mailto:`, never a file of the site.
                if is_email_autolink(&page.body, l) {
                    links.insert(l.dest.clone(), LinkTarget::External(l.dest.clone()));
                    continue;
                }
                // A mapped root-relative link is read from its content folder.
                let mapped = root_mapped(&l.dest, config);
                let (dest, from) = match &mapped {
                    Some(m) => (m.as_str(), ""),
                    None => (l.dest.as_str(), dir.as_str()),
                };
                match resolve_one(
                    dest,
                    from,
                    ix,
                    &by_source,
                    &by_output,
                    &asset_outputs,
                    &headings,
                ) {
                    Ok((target, alias)) => {
                        if let Some(a) = alias {
                            let message = a.message(ix, &headings[a.page], rule);
                            warnings.push(at_body(page, &lines, l.offset, message).with_hint(
                                format!(
                                    "the link leads to the heading; write `#{}` to silence this warning",
                                    a.id
                                ),
                            ));
                        }
                        links.insert(l.dest.clone(), target);
                    }
                    Err((message, hint)) => {
                        errors.push(at_body(page, &lines, l.offset, message).with_hint(hint));
                    }
                }
            }
            Some((ix, links, errors, warnings))
        })
        .collect();
    drop(headings);
    let mut warnings = Vec::new();
    for (ix, links, errs, warns) in resolved {
        pages[ix].links = links;
        errors.extend(errs);
        warnings.extend(warns);
    }
    warnings
}

/// A link that names a heading by another tool's id.
struct AliasUse {
    /// The id as written.
    alias: String,
    /// The heading's id on its page.
    id: String,
    /// The tool whose id it is.
    rule: SlugRule,
    /// The page the heading is on.
    page: usize,
}

impl AliasUse {
    /// The warning for this link, written on page `from` of a site whose
    /// rule is `own`; `there`: the target page's anchors.
    fn message(&self, from: usize, there: &Anchors<'_>, own: SlugRule) -> String {
        let heading = there
            .page
            .headings
            .iter()
            .find(|h| h.id == self.id)
            .map_or("", |h| h.text.as_str());
        let of = if self.page == from {
            String::new()
        } else {
            format!(" of {}", there.page.rel)
        };
        format!(
            "`#{}` is the {} id of heading 「{heading}」{of}; its id here is `#{}` ({} rule)",
            self.alias,
            self.rule.name(),
            self.id,
            own.name(),
        )
    }
}

/// An explicit heading id (`{#id}`) written twice on a page: an error at
/// the second, naming where the first is (a link to `#id` can only lead to
/// the first). `at` makes a diagnostic at a byte offset of the body.
fn duplicate_heading_ids(page: &Page, at: &dyn Fn(usize, String) -> Diagnostic) -> Vec<Diagnostic> {
    use pulldown_cmark::{Event, Parser, Tag};
    // Generated ids are unique and never take an explicit one, so a page
    // whose ids are all different has nothing to report (nearly every
    // page: the body is parsed again only when there is a repeat).
    let mut ids = std::collections::HashSet::new();
    if page.headings.iter().all(|h| ids.insert(h.id.as_str())) {
        return Vec::new();
    }
    let mut first: std::collections::HashMap<String, usize> = Default::default();
    let mut errors = Vec::new();
    for (event, range) in Parser::new_ext(&page.body, markdown::options()).into_offset_iter() {
        let Event::Start(Tag::Heading { id: Some(id), .. }) = event else {
            continue;
        };
        match first.get(id.as_ref()) {
            None => {
                first.insert(id.to_string(), range.start);
            }
            Some(&offset) => {
                let there = at(offset, String::new());
                errors.push(
                    at(
                        range.start,
                        format!(
                            "duplicate heading id `{id}` (also at line {}, column {})",
                            there.line, there.column
                        ),
                    )
                    .with_hint(format!(
                        "give each heading its own `{{#id}}`; links to `#{id}` lead to the first"
                    )),
                );
            }
        }
    }
    errors
}

type Failure = (String, String);

/// The link targets of one page: looked up in a set (a page with many
/// headings and many links to them stays linear), listed in order for hints.
struct Anchors<'a> {
    ids: Vec<&'a str>,
    set: std::collections::HashSet<&'a str>,
    page: &'a Page,
    /// The site's rule for heading ids.
    rule: SlugRule,
    /// Other tools' ids of the page's headings, made when a link first
    /// names an id the page does not have: alias → (heading id, rule).
    aliases: std::sync::OnceLock<std::collections::HashMap<String, (String, SlugRule)>>,
}

impl Anchors<'_> {
    /// The heading whose id by another tool's rule is `alias` (and that no
    /// id of the page is): its id and that rule.
    fn alias(&self, alias: &str) -> Option<&(String, SlugRule)> {
        self.aliases
            .get_or_init(|| {
                let headings: Vec<(&str, &str)> = self
                    .page
                    .headings
                    .iter()
                    .map(|h| (h.text.as_str(), h.id.as_str()))
                    .collect();
                slug::aliases(self.rule, &headings)
                    .into_iter()
                    .filter(|(a, _, _)| !self.set.contains(a.as_str()))
                    .map(|(a, id, rule)| (a, (id, rule)))
                    .collect()
            })
            .get(alias)
    }
}

/// Largest number of ids listed in a "headings there" hint.
const HINT_IDS: usize = 20;

/// `/x/y` under a `[links] root` prefix, as a path relative to content/.
fn root_mapped(dest: &str, config: &LinksConfig) -> Option<String> {
    if !dest.starts_with('/') || dest.starts_with("//") {
        return None;
    }
    let (prefix, folder) = config
        .root
        .iter()
        .filter(|(p, _)| dest.starts_with(p.as_str()))
        .max_by_key(|(p, _)| p.len())?;
    let rest = &dest[prefix.len()..];
    let folder = folder.trim_matches('/');
    let joined = if folder.is_empty() {
        rest.trim_start_matches('/').to_string()
    } else {
        format!("{folder}/{}", rest.trim_start_matches('/'))
    };
    // `/` alone is the site's home.
    Some(if joined.is_empty() || joined.starts_with('#') {
        format!("./{joined}")
    } else {
        joined
    })
}

/// Whether `l` is an e-mail autolink: `<local@domain>` in the body, with
/// no scheme (CommonMark writes its `href` as `mailto:`).
fn is_email_autolink(body: &str, l: &markdown::LinkRef) -> bool {
    let end = l.offset + l.dest.len();
    let local_ok = |c: char| c.is_ascii_alphanumeric() || ".!#$%&'*+/=?^_`{|}~-".contains(c);
    let domain_ok = |c: char| c.is_ascii_alphanumeric() || c == '-' || c == '.';
    let Some((local, domain)) = l.dest.split_once('@') else {
        return false;
    };
    body.get(..l.offset).is_some_and(|b| b.ends_with('<'))
        && body.get(end..).is_some_and(|a| a.starts_with('>'))
        && !local.is_empty()
        && local.chars().all(local_ok)
        && !domain.is_empty()
        && domain.chars().all(domain_ok)
}

fn has_scheme(dest: &str) -> bool {
    match dest.find(':') {
        Some(i) => {
            let scheme = &dest[..i];
            !scheme.is_empty()
                && scheme
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'))
                && !dest[..i].contains('/')
        }
        None => false,
    }
}

/// Decodes `%XX` escapes (links to Japanese file names may be encoded); a
/// malformed escape stays as it is, bytes that are not UTF-8 become U+FFFD.
fn percent_decode(s: &str) -> String {
    percent_encoding::percent_decode_str(s)
        .decode_utf8_lossy()
        .into_owned()
}

/// A content-relative path as written in a link (`./a/b%20c.md`) in the
/// form of `content_rel` (`a/b c.md`).
pub fn normalise(path: &str) -> String {
    let decoded = percent_decode(path);
    join("", decoded.trim_start_matches('/')).unwrap_or(decoded)
}

/// Joins `dir` and a relative `path`, resolving `.` and `..`.
fn join(dir: &str, path: &str) -> Option<String> {
    let mut parts: Vec<&str> = dir.split('/').filter(|s| !s.is_empty()).collect();
    for seg in path.split('/') {
        match seg {
            "" | "." => {}
            ".." => {
                parts.pop()?;
            }
            s => parts.push(s),
        }
    }
    Some(parts.join("/"))
}

fn resolve_one(
    dest: &str,
    dir: &str,
    this: usize,
    by_source: &BTreeMap<String, usize>,
    by_output: &BTreeMap<String, usize>,
    assets: &BTreeMap<&str, ()>,
    headings: &[Anchors<'_>],
) -> Result<(LinkTarget, Option<AliasUse>), Failure> {
    // A file of the site whose name reads like a scheme (`note:intro.md`
    // beside this page) is that file, not a `note:` URL; its link is
    // written `note%3Aintro.html`.
    let names_a_file = |d: &str| {
        let path = d.split(['#', '?']).next().unwrap_or(d);
        join(dir, &percent_decode(path))
            .is_some_and(|p| by_source.contains_key(&p) || assets.contains_key(p.as_str()))
    };
    // `//host/path` (protocol-relative) leaves the site like `https:`.
    if dest.is_empty() || (has_scheme(dest) && !names_a_file(dest)) || dest.starts_with("//") {
        return Ok((LinkTarget::External(dest.to_string()), None));
    }
    if dest.starts_with('/') {
        return Err((
            format!("absolute link `{dest}`"),
            "absolute paths break when the site is hosted under a sub-path or opened from disk; write a path relative to this page, or map root-relative links to a content folder in site.toml: `[links]` `root = { \"/\" = \"\" }`".into(),
        ));
    }
    let (path, fragment) = match dest.split_once('#') {
        Some((p, f)) => (p, Some(percent_decode(f))),
        None => (dest, None),
    };
    let path = path.split('?').next().unwrap_or(path);
    let check_fragment = |page: usize,
                          fragment: Option<String>|
     -> Result<(LinkTarget, Option<AliasUse>), Failure> {
        if let Some(f) = &fragment {
            if !f.is_empty() && !headings[page].set.contains(f.as_str()) {
                // Another tool's id of a heading there: that heading.
                if let Some((id, rule)) = headings[page].alias(f) {
                    let target = LinkTarget::Page {
                        page,
                        fragment: Some(id.clone()),
                    };
                    let alias = AliasUse {
                        alias: f.clone(),
                        id: id.clone(),
                        rule: *rule,
                        page,
                    };
                    return Ok((target, Some(alias)));
                }
                let ids = &headings[page].ids;
                let mut known = ids[..ids.len().min(HINT_IDS)].join(", ");
                if ids.len() > HINT_IDS {
                    known.push_str(&format!(", … ({} in all)", ids.len()));
                }
                return Err((
                    format!("link to a heading that does not exist: `#{f}`"),
                    if known.is_empty() {
                        "the target page has no headings".to_string()
                    } else {
                        format!("headings there: {known}")
                    },
                ));
            }
        }
        Ok((LinkTarget::Page { page, fragment }, None))
    };
    if path.is_empty() {
        return check_fragment(this, fragment);
    }
    let decoded = percent_decode(path);
    let Some(target) = join(dir, &decoded) else {
        return Err((
            format!("link `{dest}` points outside content/"),
            "link only to pages and files inside content/; a link that leaves the site on purpose needs its prefix in site.toml: `[links]` `external = [\"../other/\"]`".into(),
        ));
    };
    if decoded.ends_with(".md") {
        return match by_source.get(&target) {
            Some(&page) => check_fragment(page, fragment),
            None => Err((
                format!("link to a page that does not exist: `{dest}`"),
                format!(
                    "no file content/{target}; check the spelling and the relative path from this page"
                ),
            )),
        };
    }
    // A folder, with or without the trailing slash: its index page (its
    // index.md, README.md or _index.md, else the generated one).
    let folder_index = if target.is_empty() {
        "index.html".to_string()
    } else {
        format!("{target}/index.html")
    };
    if let Some(&page) = by_output.get(&folder_index) {
        if decoded.ends_with('/') || target.is_empty() || !assets.contains_key(target.as_str()) {
            return check_fragment(page, fragment);
        }
    }
    // `page/` for `page.md` (Hugo's pretty URLs).
    if decoded.ends_with('/') {
        if let Some(&page) = by_source.get(&format!("{target}.md")) {
            return check_fragment(page, fragment);
        }
    }
    if assets.contains_key(target.as_str()) {
        return Ok((
            LinkTarget::Asset {
                output: target,
                fragment,
            },
            None,
        ));
    }
    if let Some(&page) = by_output.get(&target) {
        return check_fragment(page, fragment);
    }
    // VitePress and VuePress link pages without their extension
    // (`guide/setup#step`, with `cleanUrls`): the page `guide/setup.md`.
    let last = target.rsplit('/').next().unwrap_or(&target);
    if !last.is_empty() && !last.contains('.') {
        if let Some(&page) = by_source.get(&format!("{target}.md")) {
            return check_fragment(page, fragment);
        }
    }
    Err((
        format!("link to a file that does not exist: `{dest}`"),
        format!(
            "no file content/{target}; link to pages by their .md source path, and to images and other files by their path in content/"
        ),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn joins_paths() {
        assert_eq!(join("a/b", "../c.md").as_deref(), Some("a/c.md"));
        assert_eq!(join("", "./x/y.png").as_deref(), Some("x/y.png"));
        assert_eq!(join("", "../x"), None);
    }

    #[test]
    fn schemes() {
        assert!(has_scheme("https://example.org"));
        assert!(has_scheme("mailto:a@b"));
        assert!(!has_scheme("a/b:c.md"));
        assert!(!has_scheme("x.md"));
    }

    /// `{#same}` on two headings of a page: an error at the second naming
    /// the first's place (passed silently before).
    #[test]
    fn duplicate_explicit_heading_ids_are_errors() {
        let dir = tempfile::tempdir().unwrap();
        let write = |path: &str, text: &str| {
            let p = dir.path().join(path);
            std::fs::create_dir_all(p.parent().unwrap()).unwrap();
            std::fs::write(p, text).unwrap();
        };
        write(
            "content/index.md",
            "+++\ntitle = \"ホーム\"\n+++\n# ホーム\n\n## 一 {#same}\n\n## 二\n\n### 三 {#same}\n\n## 二\n",
        );
        write("content/b.md", "# B {#same}\n\n## C {#other}\n");
        let errors = match crate::load::load(dir.path()) {
            Ok(_) => Vec::new(),
            Err(e) => e,
        };
        let shown: Vec<String> = errors.iter().map(|e| e.to_string()).collect();
        assert_eq!(errors.len(), 1, "{shown:?}");
        assert_eq!(
            (errors[0].file.to_str(), errors[0].line, errors[0].column),
            (Some("content/index.md"), 10, 1),
            "{shown:?}"
        );
        assert!(
            errors[0].message == "duplicate heading id `same` (also at line 6, column 1)",
            "{shown:?}"
        );
    }

    /// What is not written is not checked: an `href`/`src` inside an HTML
    /// comment (one line or several) and a link inside an image's
    /// description (alt text keeps only its words). Live ones still are.
    #[test]
    fn links_in_comments_and_image_descriptions_are_not_checked() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(dir.path().join("content")).unwrap();
        let page = "# ホーム\n\n<!-- <img src=\"old.png\"> -->\n\n<!--\n<a href=\"gone.md\">旧</a>\n-->\n\n\
            本文 <!-- [x](a.md) <a href=\"b.md\"> --> です。\n\n![図 [説明](missing.md)](img.png)\n";
        std::fs::write(dir.path().join("content/index.md"), page).unwrap();
        std::fs::write(dir.path().join("content/img.png"), b"png").unwrap();
        if let Err(e) = crate::load::load(dir.path()) {
            panic!("{:?}", e.iter().map(|e| e.to_string()).collect::<Vec<_>>());
        }
        let live = format!("{page}\n<p><a href=\"gone.md\">x</a></p>\n");
        std::fs::write(dir.path().join("content/index.md"), live).unwrap();
        let errors = crate::load::load(dir.path()).err().unwrap_or_default();
        assert_eq!(errors.len(), 1, "{errors:?}");
        assert!(errors[0].message.contains("gone.md"), "{errors:?}");
    }

    /// VitePress links pages without `.md` (`guide/setup#step`): that is
    /// the page, its heading checked; a missing one is still an error.
    #[test]
    fn links_without_extension_name_the_page() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(dir.path().join("content/guide")).unwrap();
        std::fs::write(
            dir.path().join("content/index.md"),
            "# ホーム\n\n[準備](guide/setup#手順) [ない](guide/gone)\n",
        )
        .unwrap();
        std::fs::write(
            dir.path().join("content/guide/setup.md"),
            "# 準備\n\n## 手順\n",
        )
        .unwrap();
        let errors = crate::load::load(dir.path()).err().unwrap_or_default();
        let shown: Vec<String> = errors.iter().map(|e| e.to_string()).collect();
        assert_eq!(errors.len(), 1, "{shown:?}");
        assert!(errors[0].message.contains("guide/gone"), "{shown:?}");
    }

    #[test]
    fn decodes() {
        assert_eq!(percent_decode("%E9%80%A3"), "連");
        assert_eq!(percent_decode("100%"), "100%");
        assert_eq!(percent_decode("%連"), "%連");
    }
}
