//! `kenshu new DIR`: a small site that builds as it is.

use std::path::Path;

use include_dir::{include_dir, Dir};

use crate::diagnostic::Diagnostic;

static SCAFFOLD: Dir<'_> = include_dir!("$CARGO_MANIFEST_DIR/scaffold");

/// Creates a new site in `dir`, which must not exist or be empty.
pub fn new_site(dir: &Path) -> Result<(), Diagnostic> {
    if dir.exists() {
        let empty = std::fs::read_dir(dir)
            .map(|mut d| d.next().is_none())
            .unwrap_or(false);
        if !empty {
            return Err(Diagnostic::file(dir, "folder exists and is not empty")
                .with_hint("give a new folder name, or empty this folder first"));
        }
    }
    write_dir(&SCAFFOLD, dir)
}

fn write_dir(src: &Dir<'_>, dest: &Path) -> Result<(), Diagnostic> {
    for f in src.files() {
        let path = dest.join(f.path());
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent)
                .map_err(|e| Diagnostic::file(parent, format!("cannot create folder: {e}")))?;
        }
        std::fs::write(&path, f.contents())
            .map_err(|e| Diagnostic::file(&path, format!("cannot write file: {e}")))?;
    }
    for d in src.dirs() {
        write_dir(d, dest)?;
    }
    Ok(())
}
