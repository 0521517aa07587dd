//! The one way every command turns a site folder into output: `build`,
//! `check`, `serve` (its full and its incremental rebuilds) and `package`
//! all run a [`Pipeline`]:
//!
//! 1. [`Pipeline::load`] reads the site once, every error collected, and
//!    parses each page once (its `{{#include}}`s expanded first);
//! 2. each page is rendered from that parse ([`render::render_one`]), on
//!    every core, and its files go to a sink as soon as they are made (a
//!    build writes them to disk at once), so the rendered pages are never
//!    all in memory;
//! 3. the search index follows, file by file, then the site's other files;
//! 4. the warnings come back in one list, the loader's then the decks'
//!    ([`render::Rendered::warnings`]), which every command prints as
//!    `file:line:col: warning: …`.

use std::collections::{BTreeSet, HashMap};
use std::path::PathBuf;

use crate::diagnostic::Diagnostic;
use crate::markdown::Kept;
use crate::model::Site;
use crate::render::{self, Everything, Rendered, RenderedPage, Sink};

/// A loaded site, each page parsed once, ready to render.
pub struct Pipeline {
    site: Site,
    /// Each page's body as `load` parsed it, by page index (None for a
    /// generated page, or one already rendered).
    parsed: Vec<Option<Kept>>,
}

impl Pipeline {
    /// Loads the site in `site_dir` (see [`crate::load`]).
    pub fn load(site_dir: &std::path::Path) -> Result<Pipeline, Vec<Diagnostic>> {
        let (site, parsed) = crate::load::load_parsed(site_dir)?;
        Ok(Pipeline { site, parsed })
    }

    /// The site's model.
    pub fn site(&self) -> &Site {
        &self.site
    }

    /// The model, once the pages are rendered.
    pub fn into_site(self) -> Site {
        self.site
    }

    /// The pipeline of the site `f` makes of this one (`package` leaves
    /// the lecturers' pages out); each page it keeps keeps its parse.
    pub fn with_site<T>(
        self,
        f: impl FnOnce(Site) -> Result<(Site, T), Vec<Diagnostic>>,
    ) -> Result<(Pipeline, T), Vec<Diagnostic>> {
        let mut kept: HashMap<PathBuf, Kept> = self
            .site
            .pages
            .iter()
            .zip(self.parsed)
            .filter_map(|(p, k)| Some((p.source.clone(), k?)))
            .collect();
        let (site, t) = f(self.site)?;
        let parsed = site.pages.iter().map(|p| kept.remove(&p.source)).collect();
        Ok((Pipeline { site, parsed }, t))
    }

    /// Renders the whole site: every page, deck and search index file
    /// goes to `sink` as soon as it is made; the other files come back.
    /// The model's handle of each body that is held parsed is dropped
    /// first (the parse holds the text; a deck's is kept, for its
    /// warnings' lines), so that a body is freed as soon as its page is
    /// rendered.
    pub fn render_to(mut self, sink: &Sink<'_>) -> Result<(Site, Rendered), Vec<Diagnostic>> {
        for (page, kept) in self.site.pages.iter_mut().zip(&self.parsed) {
            if kept
                .as_ref()
                .is_some_and(|k| !page.slides && page.is_markdown(k.body()))
            {
                page.body = "".into();
            }
        }
        let rendered = render::render_parsed_to(&self.site, self.parsed, sink)?;
        Ok((self.site, rendered))
    }

    /// Renders the whole site into memory (`serve`, `package`): every
    /// file sorted by path, the pages' search texts and the warnings.
    pub fn render_all(self) -> Result<(Site, Everything), Vec<Diagnostic>> {
        let everything = render::render_parsed_with_texts(&self.site, self.parsed)?;
        Ok((self.site, everything))
    }

    /// Renders pages `dirty` only (`serve`'s incremental rebuild), each
    /// from its parse.
    pub fn render_pages(&mut self, dirty: &BTreeSet<usize>) -> Vec<(usize, RenderedPage)> {
        render_pages(&self.site, dirty, std::mem::take(&mut self.parsed))
    }
}

/// Renders pages `dirty` of `site` on every core. `parsed`: their bodies
/// as `load` parsed them, by page index (may be empty: the others are
/// parsed here).
pub fn render_pages(
    site: &Site,
    dirty: &BTreeSet<usize>,
    mut parsed: Vec<Option<Kept>>,
) -> Vec<(usize, RenderedPage)> {
    use rayon::prelude::*;
    let jobs: Vec<(usize, Option<Kept>)> = dirty
        .iter()
        .map(|&ix| (ix, parsed.get_mut(ix).and_then(Option::take)))
        .collect();
    drop(parsed);
    jobs.into_par_iter()
        .map(|(ix, kept)| (ix, render::render_one(site, ix, kept)))
        .collect()
}

/// The warnings of a rendered site, taken out of it; with `deny`
/// (`--deny-warnings`), an error instead.
pub fn warnings(rendered: &mut Rendered, deny: bool) -> Result<Vec<Diagnostic>, Vec<Diagnostic>> {
    let warnings = std::mem::take(&mut rendered.warnings);
    if deny && !warnings.is_empty() {
        return Err(warnings);
    }
    Ok(warnings)
}

#[cfg(test)]
mod tests {
    use super::*;

    use crate::testing::site;

    /// A page with `{{#include}}`s is parsed once in a build, its includes
    /// expanded first: the loader's parse is the one rendered (it was
    /// dropped and the page parsed again).
    #[test]
    fn a_page_with_includes_is_parsed_once() {
        let page = format!(
            "# 一\n\n{}\n\n```rust\n{{{{#include ../src/a.rs:main}}}}\n```\n\n```rust\n{{{{#rustdoc_include ../src/a.rs:2}}}}\n```\n",
            crate::markdown::COUNTED
        );
        let dir = site(&[
            ("content/index.md", &page),
            (
                "src/a.rs",
                "use x;\n// ANCHOR: main\nfn main() {}\n// ANCHOR_END: main\n",
            ),
        ]);
        let pipeline = Pipeline::load(dir.path()).unwrap_or_else(|e| {
            panic!("{:?}", e.iter().map(|e| e.to_string()).collect::<Vec<_>>())
        });
        let (_, (files, _, _)) = pipeline.render_all().unwrap_or_else(|e| panic!("{e:?}"));
        let html = files
            .iter()
            .find(|f| f.path == "index.html")
            .and_then(|f| match &f.contents {
                render::Contents::Bytes(b) => Some(String::from_utf8_lossy(b).to_string()),
                render::Contents::Copy(_) => None,
            })
            .unwrap_or_default();
        assert!(html.contains("main"), "{html}");
        assert!(!html.contains("{{#"), "{html}");
        assert_eq!(
            crate::markdown::COUNTED_PARSES.load(std::sync::atomic::Ordering::SeqCst),
            1,
            "the page was parsed more than once"
        );
    }

    /// Each site's headings take the ids of its own tool's rule, however
    /// many other sites the process reads meanwhile (the rule was one
    /// setting of the process: a VuePress repository read after a kenshu
    /// site gave the kenshu site's pages VuePress's ids when they were
    /// parsed again, and two loads at once mixed the rules).
    #[test]
    fn two_sites_in_one_process_keep_their_heading_id_rules() {
        let page = "# 関数・テストの修正方法\n\n本文\n\n## 「連携」とは？\n";
        let kenshu = site(&[("content/index.md", page)]);
        let vuepress = site(&[(".vuepress/.keep", ""), ("index.md", page)]);
        let want_kenshu = ["関数テストの修正方法", "連携とは"];
        let want_vuepress = ["関数・テストの修正方法", "「連携」とは？"];
        let load = |dir: &std::path::Path| {
            crate::load::load(dir).unwrap_or_else(|e| {
                panic!("{:?}", e.iter().map(|e| e.to_string()).collect::<Vec<_>>())
            })
        };
        let ids = |site: &Site| -> Vec<String> {
            site.pages[0]
                .headings
                .iter()
                .map(|h| h.id.clone())
                .collect()
        };
        // The page parsed again (as serve and render do) after the other
        // site was read.
        let html = |site: &Site| {
            String::from_utf8(render::render_page(site, 0).html.unwrap_or_default())
                .unwrap_or_default()
        };
        let a = load(kenshu.path());
        let b = load(vuepress.path());
        assert_eq!(ids(&a), want_kenshu);
        assert_eq!(ids(&b), want_vuepress);
        for (site, want) in [(&a, want_kenshu), (&b, want_vuepress)] {
            let html = html(site);
            for id in want {
                assert!(html.contains(&format!("id=\"{id}\"")), "{id}: {html}");
            }
        }
        // Both read at once, over and over, on two threads.
        let barrier = std::sync::Barrier::new(2);
        let check = |dir: &std::path::Path, want: [&str; 2]| {
            for _ in 0..20 {
                barrier.wait();
                let site = load(dir);
                assert_eq!(ids(&site), want, "{}", dir.display());
                let html = html(&site);
                for id in want {
                    assert!(html.contains(&format!("id=\"{id}\"")), "{id}: {html}");
                }
            }
        };
        std::thread::scope(|s| {
            s.spawn(|| check(kenshu.path(), want_kenshu));
            s.spawn(|| check(vuepress.path(), want_vuepress));
        });
    }
}
