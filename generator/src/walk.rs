//! Lists the files of a site folder (`content/`, `theme/`) under one rule
//! for symbolic links, shared by `build`, `check` and `serve`:
//!
//! - a link is followed only when its target lies inside the site folder;
//!   a link to anything outside is an error naming the link and its target
//!   (so `ln -s /etc/passwd content/x.txt` never publishes /etc/passwd);
//! - the same holds for the roots themselves: `content/` or `theme/` may be
//!   a link only to a folder inside the site, unless site.toml opts in with
//!   `allow_content_outside_site = true` (or `allow_theme_outside_site`);
//! - a link to a hidden file or folder (`.env`, `.git/`), or into a folder
//!   kenshu wrote (one holding [`MARKER`], such as `public/`), is an error:
//!   hidden files and outputs are never published, not even through a link;
//! - a link to a folder that is already part of the walked tree (a folder
//!   inside it, or one already reached through another link) is an error:
//!   every folder is walked at most once, so loops of any shape end at once;
//! - a link whose target does not exist is an error;
//! - only regular files and folders are read: a named pipe, a socket or a
//!   device (or a link to one) is an error at its path, never a hang
//!   ([`read_file`] checks again when it opens the file).
//!
//! Hidden files and folders (`.name`) are skipped.

use std::collections::HashSet;
use std::fs::{File, Metadata};
use std::io::Read;
use std::path::{Path, PathBuf};

use crate::diagnostic::{display_path, Diagnostic};

/// Name of the marker file kenshu puts in every output folder it writes
/// (see `write`); a folder holding it is never read as a source.
pub const MARKER: &str = ".kenshu-output";

/// The site's folders that are walked.
pub const ROOTS: [&str; 2] = ["content", "theme"];

/// The site.toml key that lets the root `name` (`content` or `theme`) be a
/// link to a folder outside the site folder.
pub fn opt_in_key(name: &str) -> String {
    format!("allow_{name}_outside_site")
}

/// True when site.toml sets the opt-in key of the root `name` to true. A
/// site.toml that cannot be read or parsed opts in to nothing (`load`
/// reports its problems).
fn opted_in(site: &Path, name: &str) -> bool {
    let Ok(bytes) = read_file(&site.join("site.toml")) else {
        return false;
    };
    let text = String::from_utf8_lossy(&bytes);
    toml::from_str::<toml::Table>(&text)
        .ok()
        .and_then(|t| t.get(&opt_in_key(name)).and_then(toml::Value::as_bool))
        .unwrap_or(false)
}

/// What a file system entry is, for messages ("a named pipe (FIFO)").
fn kind_name(m: &std::fs::FileType) -> &'static str {
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        if m.is_fifo() {
            return "a named pipe (FIFO)";
        }
        if m.is_socket() {
            return "a socket";
        }
        if m.is_block_device() || m.is_char_device() {
            return "a device";
        }
    }
    if m.is_dir() {
        return "a folder";
    }
    "not a regular file"
}

fn not_regular(m: &Metadata) -> std::io::Error {
    std::io::Error::new(
        std::io::ErrorKind::InvalidInput,
        format!(
            "this is {}, not a regular file; kenshu reads only regular files",
            kind_name(&m.file_type())
        ),
    )
}

/// The hint for an error of [`read_file`].
pub fn read_hint(e: &std::io::Error) -> &'static str {
    if e.kind() == std::io::ErrorKind::InvalidInput {
        "replace it with a regular file, or remove it"
    } else {
        "check that the file exists and is readable"
    }
}

/// Opens `path` (following links) for reading only when it is a regular
/// file: checked before opening, opened without waiting (a named pipe put
/// in its place meanwhile does not block), and checked again on the
/// opened file. Anything else is an `InvalidInput` error saying what it is.
pub fn open_file(path: &Path) -> std::io::Result<(File, Metadata)> {
    let before = std::fs::metadata(path)?;
    if !before.is_file() {
        return Err(not_regular(&before));
    }
    let mut options = std::fs::OpenOptions::new();
    options.read(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        // Opening a named pipe that appeared since its metadata was read
        // returns at once instead of waiting for a writer.
        options.custom_flags(libc::O_NONBLOCK);
    }
    let file = options.open(path)?;
    let meta = file.metadata()?;
    if !meta.is_file() {
        return Err(not_regular(&meta));
    }
    Ok((file, meta))
}

/// The bytes of the regular file `path` (see [`open_file`]): the one way
/// kenshu reads a file of a site.
pub fn read_file(path: &Path) -> std::io::Result<Vec<u8>> {
    let (file, meta) = open_file(path)?;
    // One byte more than its size, so that the read that finds the end
    // needs no new allocation; through `take`, since `File::read_to_end`
    // asks the system for the size again (fstat and lseek, per file).
    let size = usize::try_from(meta.len()).unwrap_or(0);
    let mut bytes = Vec::with_capacity(size.saturating_add(1));
    file.take(u64::MAX).read_to_end(&mut bytes)?;
    Ok(bytes)
}

/// Why a file or folder, reached through a link, may not be published.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Refusal {
    /// Outside the site folder (and every root site.toml lets lie outside).
    Outside,
    /// Hidden (`.name`), or inside a hidden folder.
    Hidden,
    /// Inside a folder kenshu wrote (it holds [`MARKER`]): this folder.
    Output(PathBuf),
}

impl Refusal {
    /// What the link leads to, after "symbolic link to `…`, ".
    pub fn describe(&self, site_real: &Path) -> String {
        match self {
            Refusal::Outside => "outside the site folder".into(),
            Refusal::Hidden => {
                "a hidden file or folder (its name or a folder's starts with `.`)".into()
            }
            Refusal::Output(dir) => format!(
                "inside `{}`, an output folder kenshu wrote (it holds `{MARKER}`)",
                display_path(site_real, dir).display()
            ),
        }
    }

    /// How to fix a link refused for this reason.
    pub fn hint(&self) -> &'static str {
        match self {
            Refusal::Outside => "kenshu follows links only to files and folders inside the site folder; copy the file into the site instead",
            Refusal::Hidden => "kenshu never publishes hidden files and folders, not even through a link; remove the link, or copy what should be published to a file whose name does not start with `.`",
            Refusal::Output(_) => "an output folder is never published again (each build would hold the last one); remove the link and link to the sources instead",
        }
    }
}

/// Why the canonical path `real` may not be read as part of the site, if
/// it may not; `bases` are the canonical folders whose files may be
/// published (see [`bases`]).
pub fn refusal(real: &Path, bases: &[PathBuf]) -> Option<Refusal> {
    // The innermost base holding it: a root outside the site is its own base.
    let Some(base) = bases
        .iter()
        .filter(|b| real.starts_with(b))
        .max_by_key(|b| b.components().count())
    else {
        return Some(Refusal::Outside);
    };
    let rel = real.strip_prefix(base).unwrap_or(real);
    if rel
        .components()
        .any(|c| c.as_os_str().to_string_lossy().starts_with('.'))
    {
        return Some(Refusal::Hidden);
    }
    real.ancestors()
        .take_while(|a| a.starts_with(base) && *a != base.as_path())
        .find(|a| std::fs::symlink_metadata(a.join(MARKER)).is_ok())
        .map(|a| Refusal::Output(a.to_path_buf()))
}

/// The canonical folders whose files may be published: the site folder,
/// and each root that is a link to a folder outside it when site.toml
/// opts in.
pub fn bases(site: &Path) -> Vec<PathBuf> {
    let site_real = site.canonicalize().unwrap_or_else(|_| site.to_path_buf());
    let mut bases = vec![site_real.clone()];
    for name in ROOTS {
        let root = site.join(name);
        if let Ok(Some(real)) = check_root(&root, site, &site_real) {
            if !real.starts_with(&site_real) {
                bases.push(real);
            }
        }
    }
    bases
}

/// Where the root folder `root` (`content/` or `theme/` of `site`) really
/// is, when it is a link that may be followed; `Ok(None)` when it is no
/// link. A link must lead to a folder inside the site folder that is not
/// hidden, not an output, and not the site folder itself, or outside the
/// site when site.toml opts in.
fn check_root(root: &Path, site: &Path, site_real: &Path) -> Result<Option<PathBuf>, Diagnostic> {
    let is_link = std::fs::symlink_metadata(root).is_ok_and(|m| m.file_type().is_symlink());
    if !is_link {
        return Ok(None);
    }
    let name = root
        .file_name()
        .map(|n| n.to_string_lossy().to_string())
        .unwrap_or_default();
    let shown = display_path(site, root);
    let written = std::fs::read_link(root)
        .map(|t| t.display().to_string())
        .unwrap_or_else(|_| "?".into());
    let error =
        |message: String, hint: String| Err(Diagnostic::file(&shown, message).with_hint(hint));
    let real = match root.canonicalize() {
        Ok(r) => r,
        Err(e) => {
            return error(
                format!(
                    "this folder is a symbolic link to `{written}`, which cannot be followed: {e}"
                ),
                "fix or remove the link (its target does not exist, or it loops)".into(),
            )
        }
    };
    if site_real.starts_with(&real) {
        return error(
            format!(
                "this folder is a symbolic link to `{written}`, which holds the whole site folder"
            ),
            format!("make {name}/ a folder of its own inside the site folder"),
        );
    }
    if !real.starts_with(site_real) {
        if opted_in(site, &name) {
            return Ok(Some(real));
        }
        return error(
            format!(
                "this folder is a symbolic link to `{}`, outside the site folder; kenshu would publish what is there",
                real.display()
            ),
            format!(
                "move the folder into the site folder (or make {name}/ a real folder), or, to publish that folder on purpose, add `{} = true` to site.toml",
                opt_in_key(&name)
            ),
        );
    }
    if let Some(r) = refusal(&real, &[site_real.to_path_buf()]) {
        return error(
            format!(
                "this folder is a symbolic link to `{written}`, {}",
                r.describe(site_real)
            ),
            r.hint().into(),
        );
    }
    Ok(Some(real))
}

/// Identity of a folder: device and inode where the platform has them
/// (bind mounts and hard-linked folders included), else its canonical path.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
enum DirId {
    #[cfg(unix)]
    Inode(u64, u64),
    #[cfg_attr(unix, allow(dead_code))]
    Path(PathBuf),
}

fn dir_id(path: &Path) -> Option<DirId> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        let m = std::fs::metadata(path).ok()?;
        Some(DirId::Inode(m.dev(), m.ino()))
    }
    #[cfg(not(unix))]
    {
        path.canonicalize().ok().map(DirId::Path)
    }
}

struct Walker<'a> {
    /// The site folder as given (for displayed paths).
    site: &'a Path,
    /// The site folder, canonical (for messages).
    site_real: PathBuf,
    /// The canonical folders links may lead into (see [`bases`]).
    bases: Vec<PathBuf>,
    /// The walked root, canonical.
    root_real: PathBuf,
    visited: HashSet<DirId>,
    files: Vec<PathBuf>,
    /// The canonical targets of the links followed.
    linked: Vec<PathBuf>,
    errors: &'a mut Vec<Diagnostic>,
}

/// Every file under `root` (a folder of the site `site`), sorted, reached
/// under the rules above; problems go to `errors`.
pub fn walk(root: &Path, site: &Path, errors: &mut Vec<Diagnostic>) -> Vec<PathBuf> {
    walk_all(root, site, errors).0
}

/// [`walk`], also giving the canonical targets of the links followed.
fn walk_all(
    root: &Path,
    site: &Path,
    errors: &mut Vec<Diagnostic>,
) -> (Vec<PathBuf>, Vec<PathBuf>) {
    let site_real = site.canonicalize().unwrap_or_else(|_| site.to_path_buf());
    let root_real = match check_root(root, site, &site_real) {
        Ok(Some(real)) => real,
        Ok(None) => root.canonicalize().unwrap_or_else(|_| root.to_path_buf()),
        Err(e) => {
            errors.push(e);
            return (Vec::new(), Vec::new());
        }
    };
    let mut bases = vec![site_real.clone()];
    if !root_real.starts_with(&site_real) {
        bases.push(root_real.clone());
    }
    let mut w = Walker {
        site,
        site_real,
        bases,
        root_real,
        visited: HashSet::new(),
        files: Vec::new(),
        linked: Vec::new(),
        errors,
    };
    if let Some(id) = dir_id(root) {
        w.visited.insert(id);
    }
    w.dir(root);
    let mut files = w.files;
    files.sort();
    (files, w.linked)
}

/// The canonical folders and files a build of `site` reads: `content/`,
/// `theme/` and whatever their links lead to (problems are left to `load`).
pub fn sources(site: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let site_real = site.canonicalize().unwrap_or_else(|_| site.to_path_buf());
    for name in ROOTS {
        let root = site.join(name);
        let Ok(real) = root.canonicalize() else {
            continue;
        };
        if check_root(&root, site, &site_real).is_err() {
            continue;
        }
        out.push(real);
        out.extend(walk_all(&root, site, &mut Vec::new()).1);
    }
    out
}

impl Walker<'_> {
    fn error(&mut self, path: &Path, message: String, hint: &str) {
        self.errors
            .push(Diagnostic::file(display_path(self.site, path), message).with_hint(hint));
    }

    fn dir(&mut self, dir: &Path) {
        let entries = match std::fs::read_dir(dir) {
            Ok(e) => e,
            Err(e) => {
                self.error(
                    dir,
                    format!("cannot read folder: {e}"),
                    "check the folder's permissions",
                );
                return;
            }
        };
        let mut entries: Vec<_> = entries.flatten().collect();
        entries.sort_by_key(|e| e.file_name());
        if entries.iter().any(|e| e.file_name() == MARKER) {
            self.error(
                dir,
                format!("this folder holds `{MARKER}`: it is an output folder kenshu wrote, and outputs are never published again"),
                "move it out of the site's sources (or, if it is meant as an ordinary folder, delete its .kenshu-output file)",
            );
            return;
        }
        for entry in entries {
            if entry.file_name().to_string_lossy().starts_with('.') {
                continue;
            }
            let path = entry.path();
            let Ok(kind) = entry.file_type() else {
                continue;
            };
            if kind.is_symlink() {
                self.link(&path);
            } else if kind.is_dir() {
                self.enter(&path);
            } else if kind.is_file() {
                self.files.push(path);
            } else {
                self.error(
                    &path,
                    format!("this is {}, not a regular file", kind_name(&kind)),
                    "kenshu reads only regular files and folders: replace it with a file, or remove it",
                );
            }
        }
    }

    /// Walks a real sub-folder, unless it was seen already (a bind mount
    /// of an ancestor is a loop too).
    fn enter(&mut self, path: &Path) {
        let fresh = dir_id(path).is_none_or(|id| self.visited.insert(id));
        if fresh {
            self.dir(path);
        } else {
            self.error(
                path,
                "this folder is already part of the site (a mounted loop?)".into(),
                "remove the mount or move the folder",
            );
        }
    }

    fn link(&mut self, path: &Path) {
        let written = std::fs::read_link(path)
            .map(|t| t.display().to_string())
            .unwrap_or_else(|_| "?".into());
        let real = match path.canonicalize() {
            Ok(r) => r,
            Err(e) => {
                self.error(
                    path,
                    format!("symbolic link to `{written}`, which cannot be followed: {e}"),
                    "fix or remove the link (its target does not exist, or it loops)",
                );
                return;
            }
        };
        if let Some(r) = refusal(&real, &self.bases) {
            let target = match r {
                Refusal::Outside => real.display().to_string(),
                _ => written,
            };
            let message = format!(
                "symbolic link to `{target}`, {}",
                r.describe(&self.site_real)
            );
            self.error(path, message, r.hint());
            return;
        }
        let kind = match std::fs::metadata(&real) {
            Ok(m) => m.file_type(),
            Err(e) => {
                self.error(
                    path,
                    format!("symbolic link to `{written}`, which cannot be read: {e}"),
                    "check the target's permissions",
                );
                return;
            }
        };
        if kind.is_file() {
            self.linked.push(real);
            self.files.push(path.to_path_buf());
            return;
        }
        if !kind.is_dir() {
            self.error(
                path,
                format!(
                    "symbolic link to `{written}`, which is {}, not a regular file",
                    kind_name(&kind)
                ),
                "kenshu reads only regular files and folders: remove the link",
            );
            return;
        }
        let inside_root = real.starts_with(&self.root_real);
        let seen = dir_id(&real).is_some_and(|id| !self.visited.insert(id));
        if inside_root || seen {
            self.error(
                path,
                format!(
                    "symbolic link to the folder `{written}`, which is already part of the site{}",
                    if path
                        .parent()
                        .and_then(|p| p.canonicalize().ok())
                        .is_some_and(|p| p.starts_with(&real))
                    {
                        " (a loop)"
                    } else {
                        ""
                    }
                ),
                "remove the link: every folder is published once; link to its pages instead",
            );
            return;
        }
        self.linked.push(real);
        self.dir(path);
    }
}

#[cfg(all(test, unix))]
mod tests {
    use super::*;
    use std::os::unix::fs::symlink;

    fn site() -> tempfile::TempDir {
        let d = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(d.path().join("content/images")).unwrap();
        std::fs::write(d.path().join("content/index.md"), "# t\n").unwrap();
        d
    }

    fn run(d: &Path) -> (Vec<String>, Vec<Diagnostic>) {
        let mut errors = Vec::new();
        let files = walk(&d.join("content"), d, &mut errors);
        let files = files
            .iter()
            .map(|f| display_path(d, f).to_string_lossy().to_string())
            .collect();
        (files, errors)
    }

    #[test]
    fn links_outside_the_site_are_errors() {
        let d = site();
        let outside = tempfile::tempdir().unwrap();
        std::fs::write(outside.path().join("secret.txt"), "x").unwrap();
        symlink(
            outside.path().join("secret.txt"),
            d.path().join("content/s.txt"),
        )
        .unwrap();
        symlink(outside.path(), d.path().join("content/dir")).unwrap();
        let (files, errors) = run(d.path());
        assert_eq!(files, ["content/index.md"]);
        assert_eq!(errors.len(), 2, "{errors:?}");
        assert!(errors
            .iter()
            .all(|e| e.message.contains("outside the site")));
    }

    #[test]
    fn self_loops_end_with_an_error_each() {
        let d = site();
        symlink(".", d.path().join("content/images/l1")).unwrap();
        symlink(".", d.path().join("content/images/l2")).unwrap();
        symlink("..", d.path().join("content/images/up")).unwrap();
        let (files, errors) = run(d.path());
        assert_eq!(files, ["content/index.md"]);
        assert_eq!(errors.len(), 3, "{errors:?}");
        assert!(errors[0].message.contains("a loop"), "{}", errors[0]);
    }

    #[test]
    fn links_inside_the_site_are_followed_once() {
        let d = site();
        std::fs::create_dir_all(d.path().join("shared/x")).unwrap();
        std::fs::write(d.path().join("shared/x/a.md"), "# a\n").unwrap();
        std::fs::write(d.path().join("notes.txt"), "n").unwrap();
        symlink("../shared", d.path().join("content/s1")).unwrap();
        symlink("../shared", d.path().join("content/s2")).unwrap();
        symlink("../notes.txt", d.path().join("content/n.txt")).unwrap();
        symlink("missing", d.path().join("content/gone.md")).unwrap();
        let (files, errors) = run(d.path());
        assert_eq!(
            files,
            ["content/index.md", "content/n.txt", "content/s1/x/a.md"]
        );
        assert_eq!(errors.len(), 2, "{errors:?}");
        assert!(
            errors[0].message.contains("cannot be followed"),
            "{}",
            errors[0]
        );
        assert!(errors[1].message.contains("already part"), "{}", errors[1]);
    }
}
