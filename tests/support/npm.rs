//! Pinned npm packages for the tests, each set installed once into
//! `target/<dir>/` and used from there afterwards (also offline).

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::Mutex;

use crate::{ensure, workspace_root, Error, Result};

/// Installs `packages` (`name@exact-version` each) with npm into
/// `target/<dir>/` unless `target/<dir>/<expect>` is there already, and
/// returns `target/<dir>/`: its `node_modules/` holds the packages.
///
/// One install at a time (the tests of a binary run in threads), into a
/// folder of this process renamed into place when complete, so another test
/// binary never sees half an install. Fails, saying what to install, when
/// npm cannot be run; `hint` is added to that message (another way to get
/// the packages, or "").
pub fn npm_install(dir: &str, packages: &[&str], expect: &str, hint: &str) -> Result<PathBuf> {
    static INSTALL: Mutex<()> = Mutex::new(());
    let prefix = workspace_root().join("target").join(dir);
    let path = prefix.join(expect);
    let _one = INSTALL.lock().unwrap_or_else(|e| e.into_inner());
    if path.exists() {
        return Ok(prefix);
    }
    let what = packages.join(" ");
    let mut tmp = prefix.clone().into_os_string();
    tmp.push(format!(".tmp-{}", std::process::id()));
    let tmp = PathBuf::from(tmp);
    let _ = std::fs::remove_dir_all(&tmp);
    std::fs::create_dir_all(&tmp)
        .map_err(|e| Error::new(format!("cannot create {}: {e}", tmp.display())))?;
    let out = Command::new("npm")
        .args([
            "install",
            "--no-save",
            "--no-audit",
            "--no-fund",
            "--prefix",
        ])
        .arg(&tmp)
        .args(packages)
        .output()
        .map_err(|e| {
            let _ = std::fs::remove_dir_all(&tmp);
            Error::new(format!(
                "cannot run npm to install {what} ({e}); install Node.js and npm \
                 (Debian: apt-get install nodejs npm){hint}"
            ))
        })?;
    if !(out.status.success() && tmp.join(expect).exists()) {
        let _ = std::fs::remove_dir_all(&tmp);
        return Err(Error::new(format!(
            "npm install {what} failed ({}):\n{}",
            out.status,
            String::from_utf8_lossy(&out.stderr)
        )));
    }
    // Another process may have finished first: theirs is as good. A folder
    // left incomplete by an earlier way of installing is replaced.
    if std::fs::rename(&tmp, &prefix).is_err() {
        if !path.exists() {
            let _ = std::fs::remove_dir_all(&prefix);
            let _ = std::fs::rename(&tmp, &prefix);
        }
        let _ = std::fs::remove_dir_all(&tmp);
    }
    ensure!(path.exists(), "{what}: {} is missing", path.display());
    Ok(prefix)
}

/// `path` read as text, the path named in the error.
pub(crate) fn read(path: &Path) -> Result<String> {
    std::fs::read_to_string(path).map_err(|e| Error::new(format!("{}: {e}", path.display())))
}
