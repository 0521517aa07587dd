//! Makes sure the toolchain can compile the exercise bundle to
//! `wasm32-unknown-unknown` before build.rs tries to (used by build.rs and
//! by generator/tests/build_script.rs, which runs it against a toolchain
//! that lacks the target).
//!
//! rustup adds the targets listed in rust-toolchain.toml only when it
//! installs the toolchain itself; a toolchain that was already installed is
//! left as it was. So when the target is missing and the toolchain is
//! rustup's, this adds it (`rustup target add`), and says so in one line.
//! Otherwise it returns a short message that says exactly what to run.

use std::ffi::OsString;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

pub const TARGET: &str = "wasm32-unknown-unknown";

/// What the build script knows about the toolchain building it.
#[derive(Debug, Clone)]
pub struct Toolchain {
    /// The compiler cargo uses (`RUSTC`).
    pub rustc: OsString,
    /// The rustup toolchain in use (`RUSTUP_TOOLCHAIN`), when cargo was run
    /// through rustup.
    pub rustup_toolchain: Option<String>,
    /// The `rustup` program, when there is one.
    pub rustup: Option<PathBuf>,
    /// `cargo --offline` / `CARGO_NET_OFFLINE`: do not download.
    pub offline: bool,
}

impl Toolchain {
    /// From the environment cargo gives a build script.
    pub fn from_env() -> Toolchain {
        let var = |k: &str| std::env::var_os(k).filter(|v| !v.is_empty());
        let path = var("PATH").unwrap_or_default();
        let mut dirs: Vec<PathBuf> = std::env::split_paths(&path).collect();
        if let Some(home) = var("CARGO_HOME") {
            dirs.push(PathBuf::from(home).join("bin"));
        }
        if let Some(home) = var("HOME") {
            dirs.push(PathBuf::from(home).join(".cargo").join("bin"));
        }
        let rustup = dirs
            .into_iter()
            .map(|d| {
                d.join(if cfg!(windows) {
                    "rustup.exe"
                } else {
                    "rustup"
                })
            })
            .find(|p| p.is_file());
        Toolchain {
            rustc: var("RUSTC").unwrap_or_else(|| "rustc".into()),
            rustup_toolchain: var("RUSTUP_TOOLCHAIN").and_then(|v| v.into_string().ok()),
            rustup,
            offline: var("CARGO_NET_OFFLINE").is_some_and(|v| v == "true" || v == "1"),
        }
    }
}

/// The target was there, or it was added (with the line to show).
#[derive(Debug, PartialEq, Eq)]
pub enum Outcome {
    Present,
    Added(String),
}

/// Checks for the wasm32 standard library and adds it with rustup when it
/// is missing. `Err` is the message to show, ending with what to run.
pub fn ensure(tc: &Toolchain) -> Result<Outcome, String> {
    let libdir = target_libdir(&tc.rustc)?;
    if has_core(&libdir) {
        return Ok(Outcome::Present);
    }
    // The rustup toolchain this rustc belongs to: the one cargo was run
    // with, or the folder its sysroot is in (…/toolchains/NAME).
    let name = tc.rustup_toolchain.clone().or_else(|| {
        let sysroot = print(&tc.rustc, &["--print", "sysroot"]).ok()?;
        let sysroot = Path::new(&sysroot);
        let parent = sysroot.parent()?;
        (parent.file_name()? == "toolchains")
            .then(|| sysroot.file_name()?.to_str().map(str::to_string))
            .flatten()
    });
    let missing = format!(
        "kenshu: this Rust toolchain cannot build the exercises: it has no standard library \
         for {TARGET} (looked in {})",
        libdir.display()
    );
    let (Some(rustup), Some(name)) = (&tc.rustup, &name) else {
        return Err(format!(
            "{missing}.\n\
             Add the target to the toolchain that builds kenshu: with rustup, \
             `rustup target add {TARGET}`; with Debian's rustc, `apt install libstd-rust-dev-wasm32`."
        ));
    };
    let command = format!("rustup target add --toolchain {name} {TARGET}");
    if tc.offline {
        return Err(format!(
            "{missing}.\nRun once, with a network connection: {command}"
        ));
    }
    let out = Command::new(rustup)
        .args(["target", "add", "--toolchain", name, TARGET])
        .stdin(Stdio::null())
        .output();
    let why = match out {
        Ok(o) if o.status.success() => {
            let libdir = target_libdir(&tc.rustc)?;
            if has_core(&libdir) {
                return Ok(Outcome::Added(format!(
                    "kenshu: added the {TARGET} target to toolchain {name}, which the exercises \
                     are compiled to (ran: {command})"
                )));
            }
            format!(
                "`{command}` succeeded but {} is still empty",
                libdir.display()
            )
        }
        Ok(o) => {
            let err = String::from_utf8_lossy(&o.stderr);
            let last = err.lines().rev().find(|l| !l.trim().is_empty());
            format!(
                "`{command}` failed ({}){}",
                o.status,
                last.map(|l| format!(": {}", l.trim())).unwrap_or_default()
            )
        }
        Err(e) => format!("cannot run {}: {e}", rustup.display()),
    };
    Err(format!(
        "{missing}.\nTried to add it: {why}.\nRun it yourself (it needs a network connection once): {command}"
    ))
}

/// Where `rustc` looks for the standard library of the wasm target.
fn target_libdir(rustc: &OsString) -> Result<PathBuf, String> {
    print(rustc, &["--print", "target-libdir", "--target", TARGET]).map(PathBuf::from)
}

fn has_core(libdir: &Path) -> bool {
    std::fs::read_dir(libdir).is_ok_and(|d| {
        d.flatten().any(|e| {
            let n = e.file_name();
            let n = n.to_string_lossy();
            n.starts_with("libcore-") && n.ends_with(".rlib")
        })
    })
}

/// One line of `rustc ARGS`' output.
fn print(rustc: &OsString, args: &[&str]) -> Result<String, String> {
    let o = Command::new(rustc)
        .args(args)
        .stdin(Stdio::null())
        .output()
        .map_err(|e| {
            format!(
                "kenshu: cannot run the Rust compiler ({}): {e}",
                Path::new(rustc).display()
            )
        })?;
    if !o.status.success() {
        return Err(format!(
            "kenshu: `{} {}` failed: {}",
            Path::new(rustc).display(),
            args.join(" "),
            String::from_utf8_lossy(&o.stderr).trim()
        ));
    }
    Ok(String::from_utf8_lossy(&o.stdout).trim().to_string())
}
