//! Stage 3 — write: output files → a folder, atomically and safely.
//!
//! - **Only kenshu's folders are replaced.** Every output folder holds a
//!   marker file, [`MARKER`]. An existing `--out` folder is replaced only
//!   when it is empty or has the marker; any other folder is an error, so a
//!   mistyped `--out` never deletes a user's files.
//! - **One build at a time.** [`OutputLock`] holds a lock file beside the
//!   output (`.NAME.kenshu-lock`) for the whole build; a second build into
//!   the same folder stops with a clear error instead of racing the first.
//! - **Atomic.** The site is written into a hidden folder beside the output
//!   (`.NAME.kenshu-tmp`) and swapped in only when every file is written, so
//!   a failed build never touches the previous output, and files left from
//!   earlier builds disappear. Leftovers of an interrupted build are removed;
//!   what cannot be removed is named in a warning.
//! - **Only its own leftovers are deleted.** `.NAME.kenshu-tmp` and
//!   `.NAME.kenshu-old` are deleted only when they hold the marker (or are
//!   empty), the marker last; a folder of that name kenshu did not make is
//!   an error naming it. A previous output that cannot be deleted is moved
//!   aside (`.NAME.kenshu-old-2`, …) with a warning, so it never makes the
//!   next builds fail.
//! - **Compared after resolving.** [`check_out`] compares the output with
//!   the site's folders after following links and `..`, so no spelling of a
//!   path writes into `content/`, `theme/` or the site folder.

use std::fs::File;
use std::path::{Path, PathBuf};

use crate::diagnostic::Diagnostic;
use crate::render::{Contents, OutputFile};

/// Name of the marker file kenshu puts in every output folder it writes.
pub const MARKER: &str = crate::walk::MARKER;
const MARKER_TEXT: &str = "This folder was written by kenshu and is replaced on every build.\n";

fn sibling(out: &Path, suffix: &str) -> PathBuf {
    let name = out
        .file_name()
        .map(|n| n.to_string_lossy().to_string())
        .unwrap_or_else(|| "public".to_string());
    out.with_file_name(format!(".{name}.{suffix}"))
}

/// `path` made absolute with every link and `..` resolved, as far as it
/// exists; the rest (folders a build would create) is applied as written.
pub fn resolve(path: &Path) -> PathBuf {
    use std::path::Component;
    let abs = std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf());
    let parts: Vec<Component> = abs.components().collect();
    for known in (1..=parts.len()).rev() {
        let head: PathBuf = parts[..known].iter().collect();
        let Ok(mut real) = head.canonicalize() else {
            continue;
        };
        for part in &parts[known..] {
            match part {
                Component::ParentDir => {
                    real.pop();
                }
                Component::Normal(name) => real.push(name),
                _ => {}
            }
        }
        return real;
    }
    abs
}

/// Checks that `out` may be the output of the site `site`, comparing both
/// after resolving links and `..` ([`resolve`]): not the site folder or one
/// of its parents, not inside `content/` or `theme/` (wherever they lead).
pub fn check_out(site: &Path, out: &Path) -> Result<(), Diagnostic> {
    let out_real = resolve(out);
    let site_real = resolve(site);
    let refuse = |what: String| {
        let shown = if out_real == std::path::absolute(out).unwrap_or_default() {
            String::new()
        } else {
            format!(" (`{}` after following links and `..`)", out_real.display())
        };
        Err(Diagnostic::file(
            out,
            format!("refusing to write the site here: the output folder is replaced on every build, and this is {what}{shown}"),
        )
        .with_hint("choose an output folder outside content/ and theme/, such as `public`"))
    };
    if site_real.starts_with(&out_real) {
        return refuse("the site folder or a folder holding it".into());
    }
    for name in crate::walk::ROOTS {
        let root = site.join(name);
        let root_real = resolve(&root);
        if out_real.starts_with(&root_real) {
            let link = std::fs::symlink_metadata(&root).is_ok_and(|m| m.file_type().is_symlink());
            return refuse(if link {
                format!(
                    "inside the site's {name}/, which is a link to `{}`",
                    root_real.display()
                )
            } else {
                format!("inside the site's {name}/")
            });
        }
    }
    Ok(())
}

/// True when `dir` is a folder kenshu made: a real folder (not a link)
/// holding the marker, or an empty one.
fn owned(dir: &Path) -> bool {
    let is_dir = std::fs::symlink_metadata(dir).is_ok_and(|m| m.is_dir());
    is_dir
        && (std::fs::symlink_metadata(dir.join(MARKER)).is_ok_and(|m| m.is_file())
            || std::fs::read_dir(dir).is_ok_and(|mut d| d.next().is_none()))
}

/// The error for a folder named like kenshu's own that kenshu did not make.
fn not_owned(dir: &Path, what: &str) -> Diagnostic {
    Diagnostic::file(
        dir,
        format!("kenshu uses this name for {what}, but this was not made by kenshu (it is no folder holding `{MARKER}`); it was left as it is"),
    )
    .with_hint("rename or delete it yourself, or choose another --out")
}

/// Deletes a folder kenshu made, the marker last: a deletion that stops
/// half-way leaves a folder still recognised as kenshu's.
fn remove_owned(dir: &Path) -> std::io::Result<()> {
    for entry in std::fs::read_dir(dir)? {
        let entry = entry?;
        if entry.file_name() == MARKER {
            continue;
        }
        let path = entry.path();
        if entry.file_type()?.is_dir() {
            std::fs::remove_dir_all(&path)?;
        } else {
            std::fs::remove_file(&path)?;
        }
    }
    match std::fs::remove_file(dir.join(MARKER)) {
        Err(e) if e.kind() != std::io::ErrorKind::NotFound => return Err(e),
        _ => {}
    }
    std::fs::remove_dir(dir)
}

/// Deletes the leftover folder `dir` of kind `suffix` (`kenshu-tmp`,
/// `kenshu-old`) beside `out`, if there is one: only when kenshu made it;
/// when it cannot be deleted, it is moved aside under a new name and a
/// warning says so.
fn clear_leftover(
    out: &Path,
    suffix: &str,
    what: &str,
    remove: &dyn Fn(&Path) -> std::io::Result<()>,
    warnings: &mut Vec<Diagnostic>,
) -> Result<(), Diagnostic> {
    let dir = sibling(out, suffix);
    if std::fs::symlink_metadata(&dir).is_err() {
        return Ok(());
    }
    if !owned(&dir) {
        return Err(not_owned(&dir, what));
    }
    let Err(e) = remove(&dir) else {
        return Ok(());
    };
    for n in 2..1000 {
        let aside = sibling(out, &format!("{suffix}-{n}"));
        if std::fs::symlink_metadata(&aside).is_ok() {
            continue;
        }
        return match std::fs::rename(&dir, &aside) {
            Ok(()) => {
                warnings.push(
                    Diagnostic::file(
                        &aside,
                        format!(
                            "{what} could not be deleted ({e}); it was moved aside to this folder"
                        ),
                    )
                    .with_hint("delete this folder yourself (kenshu leaves it alone)"),
                );
                Ok(())
            }
            Err(e2) => Err(
                io_error(&dir, "remove or move aside the leftover folder", e2)
                    .with_hint(format!("deleting it failed too ({e}); delete it yourself")),
            ),
        };
    }
    Err(io_error(&dir, "remove the leftover folder", e)
        .with_hint("delete it, and the .kenshu-old-N folders beside it, yourself"))
}

fn io_error(path: &Path, what: &str, e: std::io::Error) -> Diagnostic {
    Diagnostic::file(path, format!("cannot {what}: {e}"))
        .with_hint("check that the output folder's parent exists and is writable")
}

/// Why `out` may not be replaced, if it may not.
pub fn refuse(out: &Path) -> Option<Diagnostic> {
    let meta = std::fs::symlink_metadata(out).ok()?;
    if !meta.is_dir() {
        return Some(
            Diagnostic::file(
                out,
                "the output must be a folder, but this is a file (or a link)",
            )
            .with_hint("choose another --out, such as `public`"),
        );
    }
    if out.join(MARKER).is_file() {
        return None;
    }
    let empty = std::fs::read_dir(out).map(|mut d| d.next().is_none());
    match empty {
        Ok(true) => None,
        Ok(false) => Some(
            Diagnostic::file(
                out,
                "this folder exists and was not made by kenshu; a build replaces its whole contents",
            )
            .with_hint(format!(
                "remove it or choose another --out (kenshu replaces only empty folders and folders holding its `{MARKER}` file)"
            )),
        ),
        Err(e) => Some(io_error(out, "read the output folder", e)),
    }
}

/// The exclusive right to write one output folder, for as long as it lives.
#[derive(Debug)]
pub struct OutputLock {
    out: PathBuf,
    path: PathBuf,
    file: File,
}

impl OutputLock {
    /// Takes the lock of `out` (creating its parent folder if needed) and
    /// checks that `out` may be replaced.
    pub fn acquire(out: &Path) -> Result<OutputLock, Diagnostic> {
        if let Some(parent) = out.parent() {
            if !parent.as_os_str().is_empty() && !parent.exists() {
                std::fs::create_dir_all(parent)
                    .map_err(|e| io_error(parent, "create folder", e))?;
            }
        }
        let path = sibling(out, "kenshu-lock");
        // The lock file is created and deleted: never through a link, and
        // never a file with contents (kenshu's is always empty).
        if std::fs::symlink_metadata(&path).is_ok_and(|m| !m.is_file() || m.len() > 0) {
            return Err(Diagnostic::file(
                &path,
                "kenshu uses this name for its (empty) lock file, but this is a link, a folder or a file with contents; it was left as it is",
            )
            .with_hint("it was not made by kenshu: rename or remove it yourself, or choose another --out"));
        }
        // A lock file may be removed by the build holding it just as we
        // open it; then the lock we got is on a deleted file: try again.
        for _ in 0..100 {
            let file = std::fs::OpenOptions::new()
                .create(true)
                .truncate(false)
                .write(true)
                .open(&path)
                .map_err(|e| io_error(&path, "create the lock file", e))?;
            match file.try_lock() {
                Ok(()) => {}
                Err(std::fs::TryLockError::WouldBlock) => {
                    return Err(Diagnostic::file(
                        out,
                        "another kenshu build is writing to this folder right now",
                    )
                    .with_hint("wait for it to finish, or build into another --out"));
                }
                Err(std::fs::TryLockError::Error(e)) => {
                    return Err(io_error(&path, "lock the output folder", e))
                }
            }
            if same_file(&file, &path) {
                let lock = OutputLock {
                    out: out.to_path_buf(),
                    path,
                    file,
                };
                if let Some(d) = refuse(out) {
                    return Err(d);
                }
                return Ok(lock);
            }
        }
        Err(Diagnostic::file(out, "cannot lock the output folder")
            .with_hint("another program keeps replacing its lock file; try again"))
    }
}

#[cfg(unix)]
fn same_file(file: &File, path: &Path) -> bool {
    use std::os::unix::fs::MetadataExt;
    match (file.metadata(), std::fs::metadata(path)) {
        (Ok(a), Ok(b)) => a.dev() == b.dev() && a.ino() == b.ino(),
        _ => false,
    }
}

#[cfg(not(unix))]
fn same_file(_: &File, path: &Path) -> bool {
    path.exists()
}

impl Drop for OutputLock {
    fn drop(&mut self) {
        // Removed while still locked, so no other build can hold a lock on
        // this file; one that opened it meanwhile notices and retries.
        let _ = std::fs::remove_file(&self.path);
        let _ = self.file.unlock();
    }
}

/// Problems that did not stop the build.
pub type Warnings = Vec<Diagnostic>;

/// Writes `files` to the locked output folder, replacing its previous
/// contents atomically. Returns warnings about leftovers it could not remove.
pub fn write(files: &[OutputFile], lock: &OutputLock) -> Result<Warnings, Diagnostic> {
    let staging = Staging::begin(lock)?;
    match staging.put_all(files) {
        Ok(()) => staging.commit(),
        Err(e) => {
            staging.abort();
            Err(e)
        }
    }
}

/// A new output being written into the hidden folder beside the output,
/// file by file as the files are made (so a build need not hold the whole
/// site in memory), then swapped in by [`Staging::commit`] or thrown away
/// by [`Staging::abort`].
pub struct Staging<'l> {
    lock: &'l OutputLock,
    tmp: PathBuf,
    /// Leftovers moved aside at the start, for [`Staging::commit`] to report.
    warnings: Vec<Diagnostic>,
    /// Folders already created below `tmp`.
    folders: std::sync::Mutex<std::collections::HashSet<PathBuf>>,
}

impl<'l> Staging<'l> {
    /// Starts a new output for the locked folder.
    pub fn begin(lock: &'l OutputLock) -> Result<Staging<'l>, Diagnostic> {
        let out = lock.out.as_path();
        if let Some(d) = refuse(out) {
            return Err(d);
        }
        let tmp = sibling(out, "kenshu-tmp");
        // Under the lock, kenshu's own can only be left from an interrupted build.
        let mut warnings = Vec::new();
        clear_leftover(
            out,
            "kenshu-tmp",
            "the output being written",
            &remove_owned,
            &mut warnings,
        )?;
        // A new folder (never an existing one, nor a link put there meanwhile).
        std::fs::create_dir(&tmp).map_err(|e| io_error(&tmp, "create folder", e))?;
        let staging = Staging {
            lock,
            tmp,
            warnings,
            folders: Default::default(),
        };
        if let Err(e) = std::fs::write(staging.tmp.join(MARKER), MARKER_TEXT) {
            staging.abort();
            return Err(io_error(&out.join(MARKER), "write", e));
        }
        Ok(staging)
    }

    /// Writes one file; errors name the file as it would be in the output,
    /// not in the hidden folder.
    pub fn put(&self, f: &OutputFile) -> Result<(), Diagnostic> {
        let out = self.lock.out.as_path();
        if let Some(folder) = Path::new(&f.path).parent() {
            let known = self
                .folders
                .lock()
                .map(|made| made.contains(folder))
                .unwrap_or(false);
            if !known && !folder.as_os_str().is_empty() {
                std::fs::create_dir_all(self.tmp.join(folder))
                    .map_err(|e| io_error(&out.join(folder), "create folder", e))?;
                if let Ok(mut made) = self.folders.lock() {
                    made.insert(folder.to_path_buf());
                }
            }
        }
        write_one(f, &self.tmp, out)
    }

    /// Writes many files: those of one folder one after another (creating
    /// files in one folder from several threads only makes them wait for
    /// its lock), the folders on every core.
    pub fn put_all(&self, files: &[OutputFile]) -> Result<(), Diagnostic> {
        let mut by_folder: std::collections::BTreeMap<&Path, Vec<&OutputFile>> = Default::default();
        for f in files {
            let folder = Path::new(&f.path).parent().unwrap_or(Path::new(""));
            by_folder.entry(folder).or_default().push(f);
        }
        use rayon::prelude::*;
        by_folder
            .into_par_iter()
            .try_for_each(|(_, files)| files.into_iter().try_for_each(|f| self.put(f)))
    }

    /// Throws the new output away; the previous one stays as it was.
    pub fn abort(self) {
        let _ = remove_all(&self.tmp);
    }

    /// Swaps the new output in; returns warnings about leftovers it could
    /// not remove.
    pub fn commit(self) -> Result<Warnings, Diagnostic> {
        self.commit_with(&remove_owned)
    }

    /// [`Staging::commit`], deleting folders with `remove`.
    fn commit_with(
        self,
        remove: &dyn Fn(&Path) -> std::io::Result<()>,
    ) -> Result<Warnings, Diagnostic> {
        let out = self.lock.out.as_path();
        let tmp = self.tmp.as_path();
        let old = sibling(out, "kenshu-old");
        let mut warnings = self.warnings.clone();
        if let Err(e) = clear_leftover(
            out,
            "kenshu-old",
            "the previous output",
            remove,
            &mut warnings,
        ) {
            let _ = remove_all(tmp);
            return Err(e);
        }
        let had_out = out.exists();
        if had_out {
            if let Err(e) = std::fs::rename(out, &old) {
                let _ = remove_all(tmp);
                return Err(io_error(out, "move the previous output aside", e));
            }
        }
        if let Err(e) = std::fs::rename(tmp, out) {
            // Put the previous output back.
            if had_out {
                let _ = std::fs::rename(&old, out);
            }
            let _ = remove_all(tmp);
            return Err(io_error(out, "move the new output in place", e));
        }
        if had_out {
            if let Err(e) = remove(&old) {
                warnings.push(
                    Diagnostic::file(
                        &old,
                        format!("the previous output was replaced but could not be deleted: {e}"),
                    )
                    .with_hint("delete this folder yourself; the next build tries again, and moves it aside if it still cannot"),
                );
            }
        }
        Ok(warnings)
    }
}

fn remove_all(path: &Path) -> std::io::Result<()> {
    match std::fs::symlink_metadata(path) {
        Ok(m) if m.is_dir() => std::fs::remove_dir_all(path),
        Ok(_) => std::fs::remove_file(path),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(()),
        Err(e) => Err(e),
    }
}

fn write_one(f: &OutputFile, dir: &Path, out: &Path) -> Result<(), Diagnostic> {
    let path = dir.join(&f.path);
    let shown = out.join(&f.path);
    match &f.contents {
        Contents::Bytes(b) => {
            std::fs::write(&path, b).map_err(|e| io_error(&shown, "write", e))?;
        }
        Contents::Copy(src) => {
            let copy = || -> std::io::Result<()> {
                // Only a regular file is copied (a named pipe would block).
                let (mut from, meta) = crate::walk::open_file(src)?;
                let mut to = File::create(&path)?;
                std::io::copy(&mut from, &mut to)?;
                to.set_permissions(meta.permissions())
            };
            copy().map_err(|e| {
                Diagnostic::file(src, format!("cannot copy file to {}: {e}", shown.display()))
                    .with_hint("check that the file still exists and is a readable regular file")
            })?;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn files() -> Vec<OutputFile> {
        vec![OutputFile {
            path: "index.html".into(),
            contents: Contents::Bytes(b"<p>x</p>".to_vec()),
        }]
    }

    #[test]
    fn replaces_only_its_own_folders() {
        let d = tempfile::tempdir().unwrap();
        let out = d.path().join("docs");
        std::fs::create_dir(&out).unwrap();
        std::fs::write(out.join("thesis.txt"), "important").unwrap();
        let e = OutputLock::acquire(&out).unwrap_err();
        assert!(e.message.contains("not made by kenshu"), "{e}");
        assert_eq!(
            std::fs::read_to_string(out.join("thesis.txt")).unwrap(),
            "important"
        );

        // Absent, then marked: replaced; the lock and temporary folders go.
        let out = d.path().join("public");
        for _ in 0..2 {
            let lock = OutputLock::acquire(&out).unwrap();
            assert!(write(&files(), &lock).unwrap().is_empty());
        }
        assert!(out.join(MARKER).is_file());
        let mut names: Vec<_> = std::fs::read_dir(d.path())
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().to_string())
            .collect();
        names.sort();
        assert_eq!(names, ["docs", "public"]);
    }

    #[test]
    fn a_file_is_not_an_output_folder() {
        let d = tempfile::tempdir().unwrap();
        let out = d.path().join("f.txt");
        std::fs::write(&out, "keep").unwrap();
        let e = OutputLock::acquire(&out).unwrap_err();
        assert!(e.message.contains("must be a folder"), "{e}");
        assert_eq!(std::fs::read_to_string(&out).unwrap(), "keep");
    }

    #[test]
    fn an_old_output_that_cannot_be_deleted_is_moved_aside_not_a_failure() {
        let d = tempfile::tempdir().unwrap();
        let out = d.path().join("public");
        let lock = OutputLock::acquire(&out).unwrap();
        write(&files(), &lock).unwrap();
        // Folders named `kenshu-old` cannot be deleted (a file in use, a
        // permission): as a build that could not delete its old output left it.
        let stuck = |p: &Path| -> std::io::Result<()> {
            if p.to_string_lossy().ends_with("kenshu-old") {
                Err(std::io::Error::other("busy"))
            } else {
                remove_owned(p)
            }
        };
        for round in 2..4 {
            let staging = Staging::begin(&lock).unwrap();
            staging.put_all(&files()).unwrap();
            let warnings = staging.commit_with(&stuck).unwrap();
            let shown: Vec<String> = warnings
                .iter()
                .map(|w| format!("{}: {}", w.file.display(), w.message))
                .collect();
            if round == 2 {
                // Only the output just replaced, left for the next build.
                assert_eq!(warnings.len(), 1, "{shown:?}");
                assert!(shown[0].contains(".public.kenshu-old: the previous output was replaced but could not be deleted"), "{shown:?}");
            } else {
                assert_eq!(warnings.len(), 2, "{shown:?}");
                assert!(shown[0].contains(".public.kenshu-old-2: the previous output could not be deleted (busy); it was moved aside"), "{shown:?}");
            }
            assert!(out.join("index.html").is_file());
        }
        assert!(d.path().join(".public.kenshu-old-2").join(MARKER).is_file());
        assert!(d.path().join(".public.kenshu-old").join(MARKER).is_file());
    }

    #[test]
    fn a_folder_named_like_a_leftover_is_deleted_only_when_kenshu_made_it() {
        let d = tempfile::tempdir().unwrap();
        let out = d.path().join("public");
        let tmp = d.path().join(".public.kenshu-tmp");
        std::fs::create_dir(&tmp).unwrap();
        std::fs::write(tmp.join("keep.txt"), "mine").unwrap();
        let lock = OutputLock::acquire(&out).unwrap();
        let e = write(&files(), &lock).unwrap_err();
        assert!(e.message.contains("was not made by kenshu"), "{e}");
        assert_eq!(
            std::fs::read_to_string(tmp.join("keep.txt")).unwrap(),
            "mine"
        );
        // Nor is a file named like the lock file.
        let lock_file = d.path().join(".docs.kenshu-lock");
        std::fs::write(&lock_file, "mine").unwrap();
        let e = OutputLock::acquire(&d.path().join("docs")).unwrap_err();
        assert!(e.message.contains("lock file"), "{e}");
        assert_eq!(std::fs::read_to_string(&lock_file).unwrap(), "mine");
        // A deletion that stopped half-way still leaves the marker.
        std::fs::write(tmp.join(MARKER), "").unwrap();
        assert!(write(&files(), &lock).unwrap().is_empty());
        assert!(!tmp.exists());
    }

    #[test]
    fn a_second_build_waits_its_turn() {
        let d = tempfile::tempdir().unwrap();
        let out = d.path().join("public");
        let first = OutputLock::acquire(&out).unwrap();
        let e = OutputLock::acquire(&out).unwrap_err();
        assert!(e.message.contains("another kenshu build"), "{e}");
        drop(first);
        assert!(OutputLock::acquire(&out).is_ok());
    }
}
