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

use std::fs::File;
use std::path::{Path, PathBuf};

use crate::diagnostic::Diagnostic;
use crate::render::{Contents, OutputFile};

/// Name of the marker file kenshu puts in every output folder it writes.
pub const MARKER: &str = ".kenshu-output";
const MARKER_TEXT: &str = "This folder was written by kenshu and is replaced on every build.\n";

fn sibling(out: &Path, suffix: &str) -> PathBuf {
    let name = out
        .file_name()
        .map(|n| n.to_string_lossy().to_string())
        .unwrap_or_else(|| "public".to_string());
    out.with_file_name(format!(".{name}.{suffix}"))
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
        // Under the lock, this can only be left from an interrupted build.
        if tmp.exists() {
            remove_all(&tmp).map_err(|e| io_error(&tmp, "remove the leftover folder", e))?;
        }
        std::fs::create_dir_all(&tmp).map_err(|e| io_error(&tmp, "create folder", e))?;
        let staging = Staging {
            lock,
            tmp,
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
        let out = self.lock.out.as_path();
        let tmp = self.tmp.as_path();
        let old = sibling(out, "kenshu-old");
        let mut warnings = Vec::new();
        if old.exists() {
            if let Err(e) = remove_all(&old) {
                let _ = remove_all(tmp);
                return Err(io_error(&old, "remove the leftover folder", e));
            }
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
            if let Err(e) = remove_all(&old) {
                warnings.push(
                    Diagnostic::file(
                        &old,
                        format!("the previous output was replaced but could not be deleted: {e}"),
                    )
                    .with_hint("delete this folder yourself; the next build tries again"),
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
            std::fs::copy(src, &path).map_err(|e| {
                Diagnostic::file(src, format!("cannot copy file to {}: {e}", shown.display()))
                    .with_hint("check that the file still exists and is readable")
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
