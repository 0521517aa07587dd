//! axe-core for accessibility audits: `KENSHU_AXE` (a path to `axe.min.js`),
//! or the pinned version installed from the npm registry into
//! `target/axe/<version>/` on first use.

use std::path::PathBuf;
use std::process::Command;

use crate::{ensure, Error, Result};

/// The axe-core version the audits run.
pub const AXE_VERSION: &str = "4.14.1";

/// The source of `axe.min.js`, installing it with npm when missing.
pub fn axe_source() -> Result<String> {
    let path = match std::env::var_os("KENSHU_AXE") {
        Some(p) => PathBuf::from(p),
        None => {
            let prefix = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
                .join("..")
                .join("target")
                .join("axe")
                .join(AXE_VERSION);
            let path = prefix.join("node_modules/axe-core/axe.min.js");
            if !path.exists() {
                std::fs::create_dir_all(&prefix).map_err(|e| Error::new(e.to_string()))?;
                let out = Command::new("npm")
                    .args(["install", "--no-save", "--no-audit", "--no-fund", "--prefix"])
                    .arg(&prefix)
                    .arg(format!("axe-core@{AXE_VERSION}"))
                    .output()
                    .map_err(|e| {
                        Error::new(format!(
                            "cannot run npm to install axe-core ({e}); install Node.js/npm or set KENSHU_AXE"
                        ))
                    })?;
                ensure!(
                    out.status.success() && path.exists(),
                    "npm install axe-core@{AXE_VERSION} failed: {}",
                    String::from_utf8_lossy(&out.stderr)
                );
            }
            path
        }
    };
    std::fs::read_to_string(&path).map_err(|e| Error::new(format!("{}: {e}", path.display())))
}
