//! kenshu — a static training-site generator with interactive exercises.
//!
//! Every command runs one [`pipeline`]: [`load`] (files → typed
//! [`model`], every error collected, each page parsed once) → [`render`]
//! (model → output files, pure) → [`write`] (atomic swap into the output
//! folder).

pub mod bundle;
pub mod config;
pub mod diagnostic;
pub mod highlight;
pub mod html;
pub mod import;
pub mod load;
pub mod markdown;
pub mod model;
pub mod package;
pub mod pipeline;
pub mod render;
pub mod report;
pub mod scaffold;
pub mod serve;
#[cfg(test)]
mod testing;
pub mod theme;
pub mod walk;
pub mod write;

use std::path::Path;
use std::time::{Duration, Instant};

pub use diagnostic::Diagnostic;

/// What a successful build did.
#[derive(Debug, Clone)]
pub struct BuildReport {
    pub pages: usize,
    pub files: usize,
    pub elapsed: Duration,
    /// Problems that did not stop the build (an overfull slide, a leftover
    /// folder that could not be deleted), to print as warnings.
    pub warnings: Vec<Diagnostic>,
    /// Time taken by each stage, in order (`load`, `render`, `write`).
    pub stages: Vec<(&'static str, Duration)>,
}

impl BuildReport {
    /// Prints the warnings to stderr, one `file:line:col: warning: …` each.
    pub fn print_warnings(&self) {
        for w in &self.warnings {
            eprintln!("{}", w.as_warning());
        }
    }
}

/// How `build` and `check` treat what they find.
#[derive(Debug, Clone, Copy, Default)]
pub struct Options {
    /// Treat warnings as errors: report them and write nothing (for CI).
    pub deny_warnings: bool,
    /// The process ends after this build (the `kenshu` command): the
    /// site's model and search texts are left to the system, which takes
    /// the memory back at once, instead of being freed piece by piece
    /// (hundreds of thousands of allocations on a large site: 25 ms after
    /// the last file of a 10,000-page build, on one core).
    pub exit_after: bool,
}

impl std::fmt::Display for BuildReport {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "built {} pages, {} files in {:.2} s",
            self.pages,
            self.files,
            self.elapsed.as_secs_f64()
        )
    }
}

/// Checks that `out` is safe to replace: not the site itself, not one of
/// its parents, not inside content/ or theme/ (after resolving links).
fn check_out_dir(site: &Path, out: &Path) -> Result<(), Vec<Diagnostic>> {
    write::check_out(site, out).map_err(|e| vec![e])
}

/// Builds the site in `site` into `out`. On error nothing is written.
pub fn build(site: &Path, out: &Path) -> Result<BuildReport, Vec<Diagnostic>> {
    build_with(site, out, &Options::default())
}

/// [`build`] with options.
pub fn build_with(site: &Path, out: &Path, opts: &Options) -> Result<BuildReport, Vec<Diagnostic>> {
    let start = Instant::now();
    check_out_dir(site, out)?;
    // Refuse a user's folder before the work; checked again under the lock.
    if let Some(e) = write::refuse(out) {
        return Err(vec![e]);
    }
    let pipeline = pipeline::Pipeline::load(site)?;
    let loaded = Instant::now();
    // A second build into `out` meanwhile stops here, with a clear error.
    let lock = write::OutputLock::acquire(out).map_err(|e| vec![e])?;
    // Each file is written as soon as it is rendered (into a hidden folder
    // swapped in at the end), so the site is never all in memory.
    let staging = write::Staging::begin(&lock).map_err(|e| vec![e])?;
    let rendered = pipeline
        .render_to(&|f| staging.put(&f))
        .and_then(|(model, r)| {
            staging.put_all(&r.site_files).map_err(|e| vec![e])?;
            Ok((model, r))
        });
    // With `deny_warnings`, a warning stops the build: nothing is written.
    let ((model, rendered), mut warnings) = match rendered.and_then(|(model, mut r)| {
        let w = pipeline::warnings(&mut r, opts.deny_warnings)?;
        Ok(((model, r), w))
    }) {
        Ok(r) => r,
        Err(e) => {
            staging.abort();
            return Err(e);
        }
    };
    let written_at = Instant::now();
    warnings.extend(staging.commit().map_err(|e| vec![e])?);
    let swapped = Instant::now();
    // For bench/search.sh: the search index (part of render: made from
    // the pages' texts) made once more on its own, to time it.
    // KENSHU_TIMINGS=N makes it N times and prints the quickest (the
    // figure least moved by other work on the machine).
    if let Some(v) = std::env::var_os("KENSHU_TIMINGS") {
        let times = v.to_str().and_then(|v| v.parse().ok()).unwrap_or(1usize);
        let (mut index, mut quickest) = (0, Duration::MAX);
        for _ in 0..times.max(1) {
            let t = Instant::now();
            index = render::search::build_index(&rendered.texts).len();
            quickest = quickest.min(t.elapsed());
        }
        let ms = |d: Duration| d.as_secs_f64() * 1000.0;
        eprintln!(
            "timings: total {:.0} ms = load {:.0} + render and write {:.0} (search index alone {:.0}, {index} files) + swap {:.0}",
            ms(swapped - start),
            ms(loaded - start),
            ms(written_at - loaded),
            ms(quickest),
            ms(swapped - written_at),
        );
    }
    let report = BuildReport {
        pages: model.pages.len(),
        files: rendered.page_files + rendered.site_files.len(),
        elapsed: start.elapsed(),
        warnings,
        stages: vec![
            ("load", loaded - start),
            ("render and write", written_at - loaded),
            ("swap", swapped - written_at),
        ],
    };
    if opts.exit_after {
        std::mem::forget((model, rendered));
    }
    Ok(report)
}

/// Validates everything `build` validates, without writing.
pub fn check(site: &Path) -> Result<BuildReport, Vec<Diagnostic>> {
    check_with(site, &Options::default())
}

/// [`check`] with options.
pub fn check_with(site: &Path, opts: &Options) -> Result<BuildReport, Vec<Diagnostic>> {
    let start = Instant::now();
    let pipeline = pipeline::Pipeline::load(site)?;
    let loaded = Instant::now();
    // Everything rendered and checked, nothing kept.
    let (model, mut rendered) = pipeline.render_to(&|_| Ok(()))?;
    let files = rendered.page_files + rendered.site_files.len();
    let warnings = pipeline::warnings(&mut rendered, opts.deny_warnings)?;
    let rendered = Instant::now();
    Ok(BuildReport {
        pages: model.pages.len(),
        files,
        elapsed: start.elapsed(),
        warnings,
        stages: vec![("load", loaded - start), ("render", rendered - loaded)],
    })
}
