//! Lists the files of a site folder (`content/`, `theme/`) under one rule
//! for symbolic links, shared by `build`, `check` and `serve`:
//!
//! - a link is followed only when its target lies inside the site folder;
//!   a link to anything outside is an error naming the link and its target
//!   (so `ln -s /etc/passwd content/x.txt` never publishes /etc/passwd);
//! - a link to a folder that is already part of the walked tree (a folder
//!   inside it, or one already reached through another link) is an error:
//!   every folder is walked at most once, so loops of any shape end at once;
//! - a link whose target does not exist is an error.
//!
//! Hidden files and folders (`.name`) are skipped.

use std::collections::HashSet;
use std::path::{Path, PathBuf};

use crate::diagnostic::{display_path, Diagnostic};

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
    /// The site folder, canonical (for the "inside the site" rule).
    site_real: PathBuf,
    /// The walked root, canonical.
    root_real: PathBuf,
    visited: HashSet<DirId>,
    files: Vec<PathBuf>,
    errors: &'a mut Vec<Diagnostic>,
}

/// Every file under `root` (a folder of the site `site`), sorted, reached
/// under the rules above; problems go to `errors`.
pub fn walk(root: &Path, site: &Path, errors: &mut Vec<Diagnostic>) -> Vec<PathBuf> {
    let site_real = site.canonicalize().unwrap_or_else(|_| site.to_path_buf());
    let root_real = root.canonicalize().unwrap_or_else(|_| root.to_path_buf());
    let mut w = Walker {
        site,
        site_real,
        root_real,
        visited: HashSet::new(),
        files: Vec::new(),
        errors,
    };
    if let Some(id) = dir_id(root) {
        w.visited.insert(id);
    }
    w.dir(root);
    let mut files = w.files;
    files.sort();
    files
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
            } else {
                self.files.push(path);
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
        if !real.starts_with(&self.site_real) {
            self.error(
                path,
                format!(
                    "symbolic link to `{}`, outside the site folder",
                    real.display()
                ),
                "kenshu follows links only to files and folders inside the site folder; copy the file into the site instead",
            );
            return;
        }
        if !real.is_dir() {
            self.files.push(path.to_path_buf());
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
