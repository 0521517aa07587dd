//! ESLint for the theme's browser scripts: the pinned versions installed with
//! npm into `target/eslint/<version>/` on first use, run with Node.js over
//! files of the workspace with the workspace's `eslint.config.mjs`.

use std::path::Path;
use std::process::Command;
use std::sync::atomic::{AtomicU64, Ordering};

use crate::npm::{npm_install, read};
use crate::{ensure, workspace_root, Error, Result};

/// The ESLint version the lint test runs.
pub const ESLINT_VERSION: &str = "9.39.5";
/// The version of `@eslint/js` (the `recommended` rules), ESLint's own.
const ESLINT_JS_VERSION: &str = "9.39.5";
/// The version of `globals` (the names a browser defines).
const GLOBALS_VERSION: &str = "17.14.0";

/// One thing ESLint reported.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LintFinding {
    /// The file, relative to the workspace root.
    pub file: String,
    pub line: u64,
    pub column: u64,
    /// The rule, or "" for what no rule reports (a syntax error, a file
    /// the configuration does not cover).
    pub rule: String,
    pub message: String,
}

impl std::fmt::Display for LintFinding {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let rule = if self.rule.is_empty() {
            "(no rule)"
        } else {
            &self.rule
        };
        write!(
            f,
            "{}:{}:{} {rule} {}",
            self.file, self.line, self.column, self.message
        )
    }
}

/// Runs ESLint with the workspace's `eslint.config.mjs` over `files`
/// (relative to the workspace root), or over `stdin` named as the one file
/// given; returns everything it reported (warnings too), sorted.
///
/// ESLint comes from `target/eslint/<version>/`, installed with npm when it
/// is not there yet. The configuration imports `@eslint/js` and `globals`,
/// which Node.js finds from where the configuration is: it is run from a copy
/// next to that `node_modules/` (file patterns in it stay relative to the
/// workspace root, where ESLint runs).
pub fn eslint(files: &[&str], stdin: Option<&str>) -> Result<Vec<LintFinding>> {
    ensure!(
        stdin.is_none() || files.len() == 1,
        "ESLint reads one text from stdin, not {files:?}"
    );
    let bin = "node_modules/eslint/bin/eslint.js";
    let prefix = npm_install(
        &format!("eslint/{ESLINT_VERSION}"),
        &[
            &format!("eslint@{ESLINT_VERSION}"),
            &format!("@eslint/js@{ESLINT_JS_VERSION}"),
            &format!("globals@{GLOBALS_VERSION}"),
        ],
        bin,
        "",
    )?;
    let root = workspace_root();
    let config = ConfigCopy::new(&root.join("eslint.config.mjs"), &prefix)?;
    let mut cmd = Command::new("node");
    // (ESLint 9 reads eslint.config.mjs unless told otherwise by this.)
    cmd.env_remove("ESLINT_USE_FLAT_CONFIG")
        .current_dir(&root)
        .arg(prefix.join(bin))
        .arg("--config")
        .arg(&config.0)
        .args(["--format", "json"]);
    if stdin.is_some() {
        cmd.arg("--stdin").arg("--stdin-filename");
    }
    cmd.args(files);
    let out = run(cmd, stdin)?;
    // 0: nothing found, 1: findings; anything else is ESLint failing.
    if !matches!(out.status.code(), Some(0 | 1)) {
        return Err(Error::new(format!(
            "ESLint failed ({}):\n{}{}",
            out.status,
            String::from_utf8_lossy(&out.stderr),
            String::from_utf8_lossy(&out.stdout)
        )));
    }
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).map_err(|e| {
        Error::new(format!(
            "ESLint's report is not JSON ({e}):\n{}\n{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        ))
    })?;
    let mut findings = Vec::new();
    let mut seen = Vec::new();
    for result in json.as_array().into_iter().flatten() {
        let path = result["filePath"].as_str().unwrap_or("");
        let file = Path::new(path)
            .strip_prefix(&root)
            .map(|p| p.to_string_lossy().into_owned())
            .unwrap_or_else(|_| path.to_string());
        for m in result["messages"].as_array().into_iter().flatten() {
            findings.push(LintFinding {
                file: file.clone(),
                line: m["line"].as_u64().unwrap_or(0),
                column: m["column"].as_u64().unwrap_or(0),
                rule: m["ruleId"].as_str().unwrap_or("").to_string(),
                message: m["message"].as_str().unwrap_or("").to_string(),
            });
        }
        seen.push(file);
    }
    // Every file was linted (a file ESLint skipped would pass unseen).
    for f in files {
        if !seen.iter().any(|s| s == f) {
            return Err(Error::new(format!(
                "ESLint did not report on {f} (it reported on {seen:?})"
            )));
        }
    }
    findings.sort_by(|a, b| {
        (&a.file, a.line, a.column, &a.rule).cmp(&(&b.file, b.line, b.column, &b.rule))
    });
    Ok(findings)
}

/// Runs `cmd`, writing `stdin` to it when given.
fn run(mut cmd: Command, stdin: Option<&str>) -> Result<std::process::Output> {
    use std::io::Write;
    use std::process::Stdio;
    let fail = |e: std::io::Error| {
        Error::new(format!(
            "cannot run node for ESLint ({e}); install Node.js (Debian: apt-get install nodejs npm)"
        ))
    };
    cmd.stdin(if stdin.is_some() {
        Stdio::piped()
    } else {
        Stdio::null()
    })
    .stdout(Stdio::piped())
    .stderr(Stdio::piped());
    let mut child = cmd.spawn().map_err(fail)?;
    if let (Some(text), Some(mut pipe)) = (stdin, child.stdin.take()) {
        // ESLint reads all of it before writing; a text of any size fits.
        pipe.write_all(text.as_bytes())
            .map_err(|e| Error::new(format!("cannot write to ESLint's input: {e}")))?;
    }
    child.wait_with_output().map_err(fail)
}

/// A copy of a file in `dir` under a name of its own, removed on drop.
struct ConfigCopy(std::path::PathBuf);

impl ConfigCopy {
    fn new(file: &Path, dir: &Path) -> Result<ConfigCopy> {
        static N: AtomicU64 = AtomicU64::new(0);
        let name = format!(
            "eslint.config.{}-{}.mjs",
            std::process::id(),
            N.fetch_add(1, Ordering::Relaxed)
        );
        let copy = ConfigCopy(dir.join(name));
        std::fs::write(&copy.0, read(file)?)
            .map_err(|e| Error::new(format!("cannot write {}: {e}", copy.0.display())))?;
        Ok(copy)
    }
}

impl Drop for ConfigCopy {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.0);
    }
}
