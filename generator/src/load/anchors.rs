//! Links to a heading by another tool's id: `#関数・テストの修正方法`
//! written for VuePress, read in a site whose ids follow kenshu's rule (or
//! the other way round). Such a link is accepted with a warning that names
//! the heading and the id to write, and it leads to the heading.

use std::collections::HashMap;
use std::path::PathBuf;

use crate::diagnostic::{Diagnostic, LineIndex};
use crate::markdown::slug::{self, SlugRule};
use crate::markdown::LinkRef;
use crate::model::{LinkTarget, Page};

/// How [`super::links::resolve`] starts the hint listing a page's ids.
const HEADINGS_THERE: &str = "headings there: ";

/// Other tools' ids of each page's headings: `(alias, heading id, rule)`.
pub struct Aliases(Vec<Vec<(String, String, SlugRule)>>);

impl Aliases {
    /// Finds the aliases of every page and adds them to the page's link
    /// targets (`anchors`), so that [`super::links::resolve`] accepts them;
    /// [`Aliases::finish`] takes them out again.
    pub fn add(pages: &mut [Page], rule: SlugRule) -> Aliases {
        let all = pages
            .iter_mut()
            .map(|p| {
                let headings: Vec<(&str, &str)> = p
                    .headings
                    .iter()
                    .map(|h| (h.text.as_str(), h.id.as_str()))
                    .collect();
                let mut found = slug::aliases(rule, &headings);
                found.retain(|(alias, _, _)| !p.anchors.contains(alias));
                p.anchors.extend(found.iter().map(|(a, _, _)| a.clone()));
                found
            })
            .collect();
        Aliases(all)
    }

    /// Takes the aliases out of the pages' link targets (and out of the
    /// "headings there" hints of `errors`), points every link that used
    /// one at the heading's own id, and warns about each at the place it
    /// is written.
    pub fn finish(
        self,
        pages: &mut [Page],
        refs: &HashMap<PathBuf, Vec<LinkRef>>,
        errors: &mut [Diagnostic],
        warnings: &mut Vec<Diagnostic>,
        own: SlugRule,
    ) {
        for (page, found) in pages.iter_mut().zip(&self.0) {
            let keep = page.anchors.len() - found.len();
            page.anchors.truncate(keep);
        }
        let all: std::collections::HashSet<&str> = self
            .0
            .iter()
            .flatten()
            .map(|(a, _, _)| a.as_str())
            .collect();
        for e in errors.iter_mut() {
            if let Some(listed) = e.hint.as_ref().and_then(|h| h.strip_prefix(HEADINGS_THERE)) {
                let kept: Vec<&str> = listed.split(", ").filter(|id| !all.contains(id)).collect();
                e.hint = Some(format!("{HEADINGS_THERE}{}", kept.join(", ")));
            }
        }
        for ix in 0..pages.len() {
            let Some(written) = refs.get(&pages[ix].source).filter(|_| !pages[ix].generated) else {
                continue;
            };
            let mut lines = None;
            let mut fixed = Vec::new();
            for l in written {
                let Some(LinkTarget::Page {
                    page: target,
                    fragment: Some(f),
                }) = pages[ix].links.get(&l.dest)
                else {
                    continue;
                };
                let target = *target;
                let Some((alias, id, rule)) =
                    self.0[target].iter().find(|(a, _, _)| a == f).cloned()
                else {
                    continue;
                };
                let heading = pages[target]
                    .headings
                    .iter()
                    .find(|h| h.id == id)
                    .map_or_else(String::new, |h| h.text.clone());
                let page = &pages[ix];
                let lines = lines.get_or_insert_with(|| LineIndex::new(&page.body));
                let (line, column) = lines.line_col(l.offset);
                let there = if target == ix {
                    String::new()
                } else {
                    format!(" of {}", pages[target].rel)
                };
                warnings.push(
                    Diagnostic {
                        file: page.source.clone(),
                        line: line + page.body_line,
                        column,
                        message: format!(
                            "`#{alias}` is the {} id of heading 「{heading}」{there}; its id here is `#{id}` ({} rule)",
                            rule.name(),
                            own.name(),
                        ),
                        hint: None,
                    }
                    .with_hint(format!(
                        "the link leads to the heading; write `#{id}` to silence this warning"
                    )),
                );
                fixed.push((l.dest.clone(), id));
            }
            for (dest, id) in fixed {
                if let Some(LinkTarget::Page { fragment, .. }) = pages[ix].links.get_mut(&dest) {
                    *fragment = Some(id);
                }
            }
        }
    }
}
