//! axe-core for accessibility audits: `KENSHU_AXE` (a path to `axe.min.js`),
//! or the pinned version installed from the npm registry into
//! `target/axe/<version>/` on first use.

use std::path::PathBuf;

use crate::npm::{npm_install, read};
use crate::Result;

/// The axe-core version the audits run.
pub const AXE_VERSION: &str = "4.14.1";

/// The source of `axe.min.js`, installing it with npm when missing.
pub fn axe_source() -> Result<String> {
    let path = match std::env::var_os("KENSHU_AXE") {
        Some(p) => PathBuf::from(p),
        None => {
            let file = "node_modules/axe-core/axe.min.js";
            npm_install(
                &format!("axe/{AXE_VERSION}"),
                &[&format!("axe-core@{AXE_VERSION}")],
                file,
                " or set KENSHU_AXE",
            )?
            .join(file)
        }
    };
    read(&path)
}
