//! Watching the site and rebuilding on change.
//!
//! Watched: the site folder itself (not recursively: `site.toml`, and
//! `content/` or `theme/` appearing), `content/` and `theme/` recursively.
//! notify-debouncer-full batches the events (an editor's save is several)
//! and passes them on once they are [`QUIET`] old; everything it passed on
//! by the time a rebuild starts goes into that one rebuild.

use std::path::{Component, Path, PathBuf};
use std::sync::mpsc::{self, Receiver, RecvTimeoutError};
use std::sync::Arc;
use std::time::{Duration, Instant};

use notify::event::{AccessKind, AccessMode, ModifyKind};
use notify::{EventKind, RecommendedWatcher, RecursiveMode};
use notify_debouncer_full::{new_debouncer, DebounceEventResult, Debouncer, RecommendedCache};

use super::build::{Builder, Change};
use super::{live, print_errors, Shared, Snapshot};
use crate::diagnostic::Diagnostic;

/// An event is passed on this long after it happened (the events of one
/// save arrive within a millisecond).
const QUIET: Duration = Duration::from_millis(5);
/// How often the debouncer looks for events that are old enough.
const TICK: Duration = Duration::from_micros(2500);

pub struct Watch {
    debouncer: Debouncer<RecommendedWatcher, RecommendedCache>,
    rx: Receiver<DebounceEventResult>,
    site: PathBuf,
    /// Folders watched recursively (`content/`, `theme/`).
    watched: Vec<PathBuf>,
}

pub fn start(site: &Path) -> Result<Watch, Diagnostic> {
    let (tx, rx) = mpsc::channel();
    let mut debouncer = new_debouncer(QUIET, Some(TICK), tx).map_err(|e| {
        Diagnostic::file(site, format!("cannot watch the site: {e}"))
            .with_hint("on Linux, raise fs.inotify.max_user_instances")
    })?;
    debouncer
        .watch(site, RecursiveMode::NonRecursive)
        .map_err(|e| watch_error(site, &e))?;
    let mut w = Watch {
        debouncer,
        rx,
        site: site.to_path_buf(),
        watched: Vec::new(),
    };
    w.rewatch()?;
    Ok(w)
}

fn watch_error(path: &Path, e: &notify::Error) -> Diagnostic {
    Diagnostic::file(path, format!("cannot watch: {e}"))
        .with_hint("on Linux, raise fs.inotify.max_user_watches (sysctl)")
}

impl Watch {
    /// Watches `content/` and `theme/` when they exist and are not watched
    /// yet; returns true when a folder was added.
    fn rewatch(&mut self) -> Result<bool, Diagnostic> {
        let mut added = false;
        self.watched.retain(|d| d.is_dir());
        for name in ["content", "theme"] {
            let dir = self.site.join(name);
            if dir.is_dir() && !self.watched.contains(&dir) {
                self.debouncer
                    .watch(&dir, RecursiveMode::Recursive)
                    .map_err(|e| watch_error(&dir, &e))?;
                self.watched.push(dir);
                added = true;
            }
        }
        Ok(added)
    }
}

/// The events of one rebuild.
#[derive(Default)]
struct Batch {
    /// Changed paths that matter to the build.
    paths: Vec<PathBuf>,
    /// Render everything (theme changed, events were lost).
    full: bool,
    /// When the first event that matters happened.
    since: Option<Instant>,
}

impl Batch {
    /// Adds what the debouncer passed on; returns true when some of it
    /// matters to the build.
    fn add(&mut self, result: DebounceEventResult, site: &Path) -> bool {
        let events = match result {
            Ok(events) => events,
            Err(_) => {
                self.full = true;
                self.since.get_or_insert_with(Instant::now);
                return true;
            }
        };
        let mut relevant = false;
        for event in events {
            if self.add_event(&event, site) {
                relevant = true;
                self.since = Some(self.since.map_or(event.time, |t| t.min(event.time)));
            }
        }
        relevant
    }

    /// Adds one event; returns true when it matters to the build.
    fn add_event(&mut self, event: &notify::Event, site: &Path) -> bool {
        if event.need_rescan() {
            self.full = true;
            return true;
        }
        match event.kind {
            // Opening and reading (the build itself does that) and
            // metadata (access times) do not change the site.
            EventKind::Access(AccessKind::Close(AccessMode::Write)) => {}
            EventKind::Access(_) | EventKind::Modify(ModifyKind::Metadata(_)) => return false,
            _ => {}
        }
        let mut relevant = false;
        for path in &event.paths {
            let Ok(rel) = path.strip_prefix(site) else {
                continue;
            };
            let mut parts = rel.components();
            let first = match parts.next() {
                Some(Component::Normal(f)) => f.to_string_lossy().to_string(),
                _ => continue,
            };
            let hidden = rel
                .components()
                .any(|c| c.as_os_str().to_string_lossy().starts_with('.'));
            let matters = !hidden && matches!(first.as_str(), "site.toml" | "content" | "theme");
            if !matters {
                continue;
            }
            if first == "theme" {
                self.full = true;
            }
            relevant = true;
            if !self.paths.contains(path) {
                self.paths.push(path.clone());
            }
        }
        relevant
    }
}

/// After a quick update, the full load that confirms it waits this long
/// for the file system to stay quiet (so typing bursts stay quick).
const VERIFY_AFTER: Duration = Duration::from_millis(50);

/// Waits for changes and rebuilds, forever.
pub fn rebuild_loop(mut w: Watch, mut builder: Builder, shared: &Arc<Shared>) {
    let mut verify = false;
    loop {
        let event = if verify {
            match w.rx.recv_timeout(VERIFY_AFTER) {
                Ok(ev) => ev,
                Err(RecvTimeoutError::Timeout) => {
                    verify = false;
                    // The search index the quick updates left for later
                    // (the pages are served already): served as soon as it
                    // is made, with no reload and no line printed.
                    match guarded(|| builder.refresh_search()) {
                        Some(true) => publish_files(&builder, shared),
                        Some(false) => {}
                        None => builder = Builder::new(&w.site),
                    }
                    // Confirm the quick update with the full load: every
                    // check `kenshu build` makes, the whole model compared.
                    let noticed = Instant::now();
                    let result = match guarded(|| builder.rebuild(false, &[])) {
                        Some(result) => result,
                        None => {
                            builder = Builder::new(&w.site);
                            Err(vec![internal_error()])
                        }
                    };
                    publish(
                        result,
                        "checking the whole site",
                        noticed,
                        Duration::ZERO,
                        &builder,
                        shared,
                        true,
                    );
                    continue;
                }
                Err(RecvTimeoutError::Disconnected) => return,
            }
        } else {
            match w.rx.recv() {
                Ok(ev) => ev,
                Err(_) => return,
            }
        };
        let mut batch = Batch::default();
        let mut relevant = batch.add(event, &w.site);
        // What the debouncer passed on meanwhile goes into the same rebuild.
        while let Ok(more) = w.rx.try_recv() {
            relevant |= batch.add(more, &w.site);
        }
        if !relevant {
            continue;
        }
        match w.rewatch() {
            Ok(true) => batch.full = true,
            Ok(false) => {}
            Err(e) => eprintln!("{e}"),
        }
        // From the first event on: the debouncer's wait is part of it.
        let noticed = batch.since.unwrap_or_else(Instant::now);
        let waited = noticed.elapsed();
        let what = describe(&batch.paths, &w.site);
        let broken = !shared.snapshot().errors.is_empty();
        let attempt = guarded(|| {
            let quick = if batch.full || broken {
                None
            } else {
                builder.quick_update(&batch.paths)
            };
            match quick {
                Some(change) => (true, Ok(change)),
                None => (false, builder.rebuild(batch.full, &batch.paths)),
            }
        });
        let result = match attempt {
            Some((quick, result)) => {
                verify = quick;
                result
            }
            None => {
                // A bug (a panic) in the build: keep serving, start over.
                builder = Builder::new(&w.site);
                verify = false;
                Err(vec![internal_error()])
            }
        };
        publish(result, &what, noticed, waited, &builder, shared, false);
        // A new title: the edited page is served already; now the others.
        if builder.has_rest() {
            match guarded(|| builder.render_rest()) {
                Some(Some(change)) => {
                    publish(Ok(change), &what, noticed, waited, &builder, shared, false)
                }
                Some(None) => {}
                None => {
                    builder = Builder::new(&w.site);
                    verify = false;
                    publish(
                        Err(vec![internal_error()]),
                        &what,
                        noticed,
                        waited,
                        &builder,
                        shared,
                        false,
                    );
                }
            }
        }
    }
}

/// Serves the result of a rebuild, tells the browsers, prints what
/// happened. `check` marks the confirming full load after a quick update:
/// it prints only when it finds something.
fn publish(
    result: Result<Change, Vec<Diagnostic>>,
    what: &str,
    noticed: Instant,
    waited: Duration,
    builder: &Builder,
    shared: &Shared,
    check: bool,
) {
    let before = shared.snapshot();
    match result {
        Ok(mut change) => {
            if before.files.is_empty() {
                change.changed = vec!["*".into()];
            }
            let fixed = !before.errors.is_empty();
            let version = if change.changed.is_empty() {
                before.version
            } else {
                before.version + 1
            };
            if version != before.version || fixed {
                let files = builder.files().cloned().unwrap_or_default();
                // History first: a page connecting in between must not
                // learn of the version without learning what it changed.
                if version != before.version {
                    shared.history.record(version, &change.changed);
                }
                shared.set(Snapshot {
                    files: Arc::new(files),
                    version,
                    errors: Arc::new(Vec::new()),
                });
                shared
                    .hub
                    .broadcast(&live::event(version, &change.changed, &[]));
            }
            // Warnings as `kenshu build` prints them, when they changed.
            for w in &change.warnings {
                eprintln!("{}", w.as_warning());
            }
            if check && change.changed.is_empty() && !fixed {
                return;
            }
            let total = noticed.elapsed();
            println!(
                "{}rebuilt after {what} in {:.1} ms: {} {} rendered{}, {} file{} changed (load {:.1} ms, render {:.1} ms, batching {:.1} ms)",
                if fixed { "fixed: " } else { "" },
                ms(total),
                change.rendered,
                if change.rendered == 1 { "page" } else { "pages" },
                if change.full {
                    " (full)"
                } else if change.quick {
                    " (quick)"
                } else {
                    ""
                },
                change.changed.len(),
                if change.changed.len() == 1 { "" } else { "s" },
                ms(change.load_time),
                ms(change.render_time),
                ms(waited),
            );
        }
        Err(errors) => {
            shared.set(Snapshot {
                files: Arc::clone(&before.files),
                version: before.version,
                errors: Arc::new(errors.clone()),
            });
            shared
                .hub
                .broadcast(&live::event(before.version, &[], &errors));
            eprintln!("after {what}:");
            print_errors(&errors, !before.files.is_empty());
        }
    }
    super::flush_stdout();
}

/// Serves the builder's files in place of the last ones, silently: for
/// files no open page needs to reload for (the search index).
fn publish_files(builder: &Builder, shared: &Shared) {
    let before = shared.snapshot();
    let Some(files) = builder.files() else {
        return;
    };
    shared.set(Snapshot {
        files: Arc::new(files.clone()),
        version: before.version,
        errors: Arc::clone(&before.errors),
    });
}

/// Runs `f`, turning a panic (a bug) into None so the server survives it.
fn guarded<T>(f: impl FnOnce() -> T) -> Option<T> {
    std::panic::catch_unwind(std::panic::AssertUnwindSafe(f)).ok()
}

fn internal_error() -> Diagnostic {
    Diagnostic::file(
        "kenshu",
        "internal error while rebuilding (a bug in kenshu; the message above says where)",
    )
    .with_hint("save again to retry; please report the message above")
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

/// "a change to content/a.md" / "changes to 3 files".
fn describe(paths: &[PathBuf], site: &Path) -> String {
    match paths {
        [] => "a change".to_string(),
        [one] => format!(
            "a change to {}",
            one.strip_prefix(site).unwrap_or(one).display()
        ),
        many => format!("changes to {} files", many.len()),
    }
}
