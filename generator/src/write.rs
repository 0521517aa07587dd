//! Stage 3 — write: output files → a folder, atomically.
//!
//! The site is written into a hidden folder beside the output and swapped
//! in only when every file is written, so a failed build never touches the
//! previous output, and files left from earlier builds disappear.

use std::path::{Path, PathBuf};

use crate::diagnostic::Diagnostic;
use crate::render::{Contents, OutputFile};

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

/// Writes `files` to `out`, replacing its previous contents atomically.
pub fn write(files: &[OutputFile], out: &Path) -> Result<(), Diagnostic> {
    if let Some(parent) = out.parent() {
        if !parent.as_os_str().is_empty() && !parent.exists() {
            std::fs::create_dir_all(parent).map_err(|e| io_error(parent, "create folder", e))?;
        }
    }
    let tmp = sibling(out, "kenshu-tmp");
    let old = sibling(out, "kenshu-old");
    if tmp.exists() {
        std::fs::remove_dir_all(&tmp).map_err(|e| io_error(&tmp, "remove leftover folder", e))?;
    }
    let result = write_all(files, &tmp);
    if let Err(e) = result {
        let _ = std::fs::remove_dir_all(&tmp);
        return Err(e);
    }
    if old.exists() {
        std::fs::remove_dir_all(&old).map_err(|e| io_error(&old, "remove leftover folder", e))?;
    }
    if out.exists() {
        std::fs::rename(out, &old)
            .map_err(|e| io_error(out, "move the previous output aside", e))?;
    }
    if let Err(e) = std::fs::rename(&tmp, out) {
        // Put the previous output back.
        let _ = std::fs::rename(&old, out);
        let _ = std::fs::remove_dir_all(&tmp);
        return Err(io_error(out, "move the new output in place", e));
    }
    if old.exists() {
        let _ = std::fs::remove_dir_all(&old);
    }
    Ok(())
}

fn write_all(files: &[OutputFile], dir: &Path) -> Result<(), Diagnostic> {
    std::fs::create_dir_all(dir).map_err(|e| io_error(dir, "create folder", e))?;
    for f in files {
        let path = dir.join(&f.path);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).map_err(|e| io_error(parent, "create folder", e))?;
        }
        match &f.contents {
            Contents::Bytes(b) => {
                std::fs::write(&path, b).map_err(|e| io_error(&path, "write", e))?
            }
            Contents::Copy(src) => {
                std::fs::copy(src, &path).map_err(|e| {
                    Diagnostic::file(src, format!("cannot copy file: {e}"))
                        .with_hint("check that the file still exists and is readable")
                })?;
            }
        }
    }
    Ok(())
}
