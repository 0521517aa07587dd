//! The site as learners get it in a package: without the lecturer's
//! material. A pure step between load and render (model → model).
//!
//! Left out unless `--include-lecturer`:
//! - the lecturer's pages: every hidden page (`hidden = true` in its front
//!   matter or in the `index.md` of a section above it, e.g.
//!   `content/lecturer/`);
//! - pages and files matching `[package] exclude` in site.toml (a path below
//!   `content/`; one ending in `/` is a folder and everything in it);
//! - every page that shows the answer key (`{{#exercise-key}}`);
//! - a section whose index page is left out, with everything in it;
//! - speaker notes (講師メモ) and slide decks (their speaker view shows the
//!   notes).
//!
//! A page that stays but links to one that goes is an error: the package
//! would have a dead link.

use crate::diagnostic::Diagnostic;
use crate::model::{Child, LinkTarget, Site};

/// What was left out, as paths below `content/` (for the report).
pub type LeftOut = Vec<String>;

/// A problem with a `[package]` value, at its place in site.toml.
pub fn setting_error(pkg: &crate::config::PackageConfig, key: &str, message: String) -> Diagnostic {
    let mut d = Diagnostic::file("site.toml", message);
    if let Some(&(line, column)) = pkg.at.get(key) {
        (d.line, d.column) = (line, column);
    }
    d
}

fn content_rel(source: &std::path::Path) -> String {
    let s = source.to_string_lossy().replace('\\', "/");
    s.strip_prefix("content/").unwrap_or(&s).to_string()
}

fn matches(rule: &str, rel: &str) -> bool {
    let rule = rule.trim_start_matches("./").trim_start_matches('/');
    if rule.ends_with('/') {
        rel.starts_with(rule)
    } else {
        rel == rule
    }
}

fn shows_answer_key(page: &crate::model::Page) -> bool {
    page.directives.iter().any(|d| d.name == crate::model::KEY)
}

/// `site` without the lecturer's material (see the module doc).
pub fn for_learners(mut site: Site) -> Result<(Site, LeftOut), Vec<Diagnostic>> {
    let rules = site.config.package.exclude.clone();
    let mut errors = Vec::new();
    let n = site.pages.len();

    // Pages to drop: by rule, by the answer key, then whole sections.
    let mut drop = vec![false; n];
    for (ix, page) in site.pages.iter().enumerate() {
        let rel = content_rel(&page.source);
        drop[ix] = page.hidden || rules.iter().any(|r| matches(r, &rel)) || shows_answer_key(page);
    }
    let mut drop_section = vec![false; site.sections.len()];
    // Sections are listed parents first.
    for s in 0..site.sections.len() {
        let sec = &site.sections[s];
        drop_section[s] = drop[sec.index_page] || sec.parent.is_some_and(|p| drop_section[p]);
    }
    for (ix, page) in site.pages.iter().enumerate() {
        if drop_section[page.section] {
            drop[ix] = true;
        }
    }
    if drop[0] {
        return Err(vec![Diagnostic::file(
            &site.pages[0].source,
            "the package would leave out the home page (it is hidden, shows the answer key or matches [package] exclude)",
        )
        .with_hint(
            "keep the home page for learners; put the lecturer's material in its own folder, such as content/lecturer/ with `hidden = true`",
        )]);
    }
    let asset_dropped = |output: &str| rules.iter().any(|r| matches(r, output));

    // Every rule must match something: a typo would leak what it meant to hide.
    for rule in &rules {
        let used = site
            .pages
            .iter()
            .any(|p| matches(rule, &content_rel(&p.source)))
            || site.assets.iter().any(|a| matches(rule, &a.output));
        if !used {
            errors.push(
                setting_error(
                    &site.config.package,
                    &format!("exclude:{rule}"),
                    format!("[package] exclude: `{rule}` matches no page or file in content/"),
                )
                .with_hint("give a path below content/, such as \"handouts/\" (a folder) or \"cases/answers.md\""),
            );
        }
    }

    // Kept pages must not link to what is left out.
    for (ix, page) in site.pages.iter().enumerate() {
        if drop[ix] {
            continue;
        }
        for (dest, target) in &page.links {
            let gone = match target {
                LinkTarget::Page { page: p, .. } => drop[*p],
                LinkTarget::Asset { output, .. } => asset_dropped(output),
                LinkTarget::External(_) => false,
            };
            if gone {
                let offset = page.body.find(dest.as_str()).unwrap_or(0);
                let mut d = Diagnostic::file(
                    &page.source,
                    format!(
                        "links to `{dest}`, which the package leaves out (lecturer's material)"
                    ),
                );
                let (line, column) = crate::diagnostic::line_col(&page.body, offset);
                (d.line, d.column) = (line + page.body_line, column);
                errors.push(d.with_hint(
                        "link to it only from lecturer's pages, or build the package with --include-lecturer",
                    ),
                );
            }
        }
    }
    if !errors.is_empty() {
        return Err(errors);
    }

    let mut left_out: LeftOut = site
        .pages
        .iter()
        .enumerate()
        .filter(|(ix, p)| drop[*ix] && !p.generated)
        .map(|(_, p)| content_rel(&p.source))
        .collect();
    left_out.extend(
        site.assets
            .iter()
            .filter(|a| asset_dropped(&a.output))
            .map(|a| a.output.clone()),
    );

    // New indices.
    let page_map: Vec<Option<usize>> = remap(&drop);
    let section_map: Vec<Option<usize>> = remap(&drop_section);
    site.pages = kept(std::mem::take(&mut site.pages), &drop, |mut p| {
        p.section = section_map[p.section].unwrap_or(0);
        for target in p.links.values_mut() {
            if let LinkTarget::Page { page, .. } = target {
                *page = page_map[*page].unwrap_or(0);
            }
        }
        p.slides = false;
        p
    });
    site.sections = kept(
        std::mem::take(&mut site.sections),
        &drop_section,
        |mut sec| {
            sec.index_page = page_map[sec.index_page].unwrap_or(0);
            sec.parent = sec.parent.and_then(|p| section_map[p]);
            sec.children = sec
                .children
                .iter()
                .filter_map(|c| match c {
                    Child::Page(p) => page_map[*p].map(Child::Page),
                    Child::Section(s) => section_map[*s].map(Child::Section),
                })
                .collect();
            sec
        },
    );
    crate::model::Section::fill_listed(&site.pages, &mut site.sections);
    site.assets.retain(|a| !asset_dropped(&a.output));
    site.config.show_notes_to_readers = false;
    Ok((site, left_out))
}

/// The items of `items` that `drop` does not drop, each through `update`.
fn kept<T>(items: Vec<T>, drop: &[bool], update: impl FnMut(T) -> T) -> Vec<T> {
    items
        .into_iter()
        .zip(drop)
        .filter(|(_, &d)| !d)
        .map(|(item, _)| item)
        .map(update)
        .collect()
}

/// For each old index, its new one (None when dropped).
fn remap(drop: &[bool]) -> Vec<Option<usize>> {
    let mut next = 0;
    drop.iter()
        .map(|&d| {
            if d {
                None
            } else {
                next += 1;
                Some(next - 1)
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::matches;

    #[test]
    fn rules_match_folders_and_files() {
        assert!(matches("lecturer/", "lecturer/plan.md"));
        assert!(matches("./lecturer/", "lecturer/sub/x.png"));
        assert!(!matches("lecturer/", "lecturers.md"));
        assert!(matches("exercises/key.md", "exercises/key.md"));
        assert!(!matches("exercises/key.md", "exercises/key.md.bak"));
    }
}
