//! `kenshu new DIR`: a small site that builds as it is.

use std::path::{Path, PathBuf};

use include_dir::{include_dir, Dir};

use crate::diagnostic::Diagnostic;

static SCAFFOLD: Dir<'_> = include_dir!("$CARGO_MANIFEST_DIR/scaffold");

/// Creates a new site in `dir`, which must not exist or be an empty
/// folder. Returns the files written.
pub fn new_site(dir: &Path) -> Result<Vec<PathBuf>, Diagnostic> {
    match std::fs::metadata(dir) {
        Ok(m) if !m.is_dir() => {
            return Err(Diagnostic::file(
                dir,
                "a file with this name exists; a new site needs a folder",
            )
            .with_hint("give the name of a folder that does not exist yet"));
        }
        Ok(_) => {
            let empty = std::fs::read_dir(dir).map(|mut d| d.next().is_none());
            match empty {
                Ok(true) => {}
                Ok(false) => {
                    return Err(Diagnostic::file(dir, "folder exists and is not empty")
                        .with_hint("give a new folder name, or empty this folder first"))
                }
                Err(e) => return Err(Diagnostic::file(dir, format!("cannot read folder: {e}"))),
            }
        }
        Err(_) => {}
    }
    let mut written = Vec::new();
    write_dir(&SCAFFOLD, dir, &mut written)?;
    Ok(written)
}

fn write_dir(src: &Dir<'_>, dest: &Path, written: &mut Vec<PathBuf>) -> Result<(), Diagnostic> {
    for f in src.files() {
        let path = dest.join(f.path());
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent)
                .map_err(|e| Diagnostic::file(parent, format!("cannot create folder: {e}")))?;
        }
        std::fs::write(&path, f.contents())
            .map_err(|e| Diagnostic::file(&path, format!("cannot write file: {e}")))?;
        written.push(path);
    }
    for d in src.dirs() {
        write_dir(d, dest, written)?;
    }
    Ok(())
}
