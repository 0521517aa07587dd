//! generator/build.rs on a toolchain without the wasm32 target, as on a
//! machine whose Rust was installed before the repository was cloned.
//!
//! The toolchain is real but private to the test: the real `rustc` run with
//! `--sysroot` pointing at a copy of the sysroot (links) that lacks
//! `lib/rustlib/wasm32-unknown-unknown`, and a stand-in `rustup` that either
//! "installs" the target (links the real one in) or fails as it does
//! offline. Nobody else's toolchain is touched.

#[path = "../build/wasm_target.rs"]
#[allow(dead_code)]
mod wasm_target;

use std::ffi::OsString;
use std::os::unix::fs::{symlink, PermissionsExt};
use std::path::{Path, PathBuf};
use std::process::Command;

use wasm_target::{ensure, Outcome, Toolchain, TARGET};

const NAME: &str = "1.95.0-test-x86_64-unknown-linux-gnu";

fn real_sysroot() -> PathBuf {
    let o = Command::new("rustc")
        .args(["--print", "sysroot"])
        .output()
        .expect("run rustc");
    PathBuf::from(String::from_utf8(o.stdout).unwrap().trim())
}

/// A private toolchain: `bin/rustc` (a wrapper), its sysroot without the
/// wasm32 target, and `bin/rustup` acting as `rustup_mode` says
/// ("add" or "offline").
struct FakeToolchain {
    _tmp: tempfile::TempDir,
    sysroot: PathBuf,
    bin: PathBuf,
    rustup_log: PathBuf,
}

fn fake_toolchain(rustup_mode: &str) -> FakeToolchain {
    let real = real_sysroot();
    assert!(
        real.join("lib/rustlib").join(TARGET).is_dir(),
        "these tests need the real toolchain to have {TARGET} (to link it in when 'installing')"
    );
    let tmp = tempfile::tempdir().unwrap();
    // …/toolchains/NAME, as rustup lays toolchains out.
    let sysroot = tmp.path().join("toolchains").join(NAME);
    let rustlib = sysroot.join("lib/rustlib");
    std::fs::create_dir_all(&rustlib).unwrap();
    for e in std::fs::read_dir(real.join("lib/rustlib")).unwrap() {
        let e = e.unwrap();
        if e.file_name() != TARGET {
            symlink(e.path(), rustlib.join(e.file_name())).unwrap();
        }
    }
    let bin = tmp.path().join("bin");
    std::fs::create_dir_all(&bin).unwrap();
    let script = |name: &str, body: String| {
        let p = bin.join(name);
        std::fs::write(&p, body).unwrap();
        std::fs::set_permissions(&p, std::fs::Permissions::from_mode(0o755)).unwrap();
    };
    script(
        "rustc",
        format!(
            "#!/bin/sh\nexec '{}' --sysroot '{}' \"$@\"\n",
            real.join("bin/rustc").display(),
            sysroot.display()
        ),
    );
    let rustup_log = tmp.path().join("rustup.log");
    let action = match rustup_mode {
        "add" => format!(
            "ln -s '{}' '{}'",
            real.join("lib/rustlib").join(TARGET).display(),
            rustlib.join(TARGET).display()
        ),
        _ => "echo \"info: downloading component 'rust-std' for '$5'\" >&2\n\
              echo \"error: could not download file from 'https://static.rust-lang.org/dist/…': \
              failed to resolve address\" >&2\nexit 1"
            .to_string(),
    };
    script(
        "rustup",
        format!(
            "#!/bin/sh\necho \"$@\" >> '{}'\n{action}\n",
            rustup_log.display()
        ),
    );
    FakeToolchain {
        _tmp: tmp,
        sysroot,
        bin,
        rustup_log,
    }
}

impl FakeToolchain {
    fn toolchain(&self, rustup_toolchain: Option<&str>) -> Toolchain {
        Toolchain {
            rustc: self.bin.join("rustc").into(),
            rustup_toolchain: rustup_toolchain.map(str::to_string),
            rustup: Some(self.bin.join("rustup")),
            offline: false,
        }
    }
    fn rustup_calls(&self) -> String {
        std::fs::read_to_string(&self.rustup_log).unwrap_or_default()
    }
}

#[test]
fn a_missing_target_is_added_with_rustup_and_said_in_one_line() {
    let fake = fake_toolchain("add");
    let tc = fake.toolchain(Some(NAME));
    let Ok(Outcome::Added(line)) = ensure(&tc) else {
        panic!("expected the target to be added: {:?}", ensure(&tc));
    };
    assert_eq!(
        fake.rustup_calls(),
        format!("target add --toolchain {NAME} {TARGET}\n")
    );
    assert!(!line.contains('\n'), "{line}");
    assert!(
        line.contains(&format!("rustup target add --toolchain {NAME} {TARGET}")),
        "{line}"
    );
    // The toolchain can now compile for the target, and a second build
    // leaves rustup alone.
    assert!(fake.sysroot.join("lib/rustlib").join(TARGET).exists());
    assert_eq!(ensure(&tc), Ok(Outcome::Present));
    assert_eq!(fake.rustup_calls().lines().count(), 1);
}

#[test]
fn the_toolchain_is_found_from_the_sysroot_without_rustup_toolchain() {
    // cargo run straight from …/toolchains/NAME/bin, not through rustup's proxy.
    let fake = fake_toolchain("add");
    assert!(matches!(
        ensure(&fake.toolchain(None)),
        Ok(Outcome::Added(_))
    ));
    assert_eq!(
        fake.rustup_calls(),
        format!("target add --toolchain {NAME} {TARGET}\n")
    );
}

#[test]
fn offline_it_says_exactly_what_to_run() {
    let fake = fake_toolchain("offline");
    let err = ensure(&fake.toolchain(Some(NAME))).unwrap_err();
    assert!(
        err.contains("no standard library for wasm32-unknown-unknown"),
        "{err}"
    );
    assert!(
        err.contains("failed to resolve address"),
        "rustup's reason: {err}"
    );
    let last = err.lines().last().unwrap();
    assert!(
        last.ends_with(&format!(": rustup target add --toolchain {NAME} {TARGET}")),
        "{err}"
    );
    // cargo --offline: not even tried.
    let fake = fake_toolchain("offline");
    let mut tc = fake.toolchain(Some(NAME));
    tc.offline = true;
    let err = ensure(&tc).unwrap_err();
    assert_eq!(fake.rustup_calls(), "");
    assert!(
        err.ends_with(&format!("rustup target add --toolchain {NAME} {TARGET}")),
        "{err}"
    );
}

#[test]
fn without_rustup_it_names_both_ways_to_add_the_target() {
    let fake = fake_toolchain("add");
    let mut tc = fake.toolchain(Some(NAME));
    tc.rustup = None;
    let err = ensure(&tc).unwrap_err();
    assert!(
        err.contains(&format!("rustup target add {TARGET}")),
        "{err}"
    );
    assert!(err.contains("apt install libstd-rust-dev-wasm32"), "{err}");
    assert!(err.lines().count() <= 3, "short: {err}");
}

/// The compiled build script itself (the one cargo built for this test
/// run), on the offline toolchain: cargo's `error:` lines with what to run,
/// exit status 1, no panic and no backtrace.
#[test]
fn the_build_script_stops_with_a_message_not_a_panic() {
    let script = newest_build_script().expect("kenshu's compiled build script");
    let fake = fake_toolchain("offline");
    let mut path = OsString::from(fake.bin.as_os_str());
    path.push(":");
    path.push(std::env::var_os("PATH").unwrap_or_default());
    let out_dir = tempfile::tempdir().unwrap();
    let out = Command::new(&script)
        .env("PATH", path)
        .env("RUSTC", fake.bin.join("rustc"))
        .env("RUSTUP_TOOLCHAIN", NAME)
        .env("RUST_BACKTRACE", "1")
        .env("CARGO_MANIFEST_DIR", env!("CARGO_MANIFEST_DIR"))
        .env("OUT_DIR", out_dir.path())
        .env_remove("CARGO_NET_OFFLINE")
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stdout}\n{stderr}");
    assert!(!stderr.contains("panicked"), "{stderr}");
    assert!(!stderr.contains("backtrace"), "{stderr}");
    let errors: Vec<&str> = stdout
        .lines()
        .filter_map(|l| l.strip_prefix("cargo::error="))
        .collect();
    assert!(
        errors[0].starts_with("kenshu: this Rust toolchain cannot build the exercises"),
        "the first thing said: {stdout}"
    );
    assert!(
        errors
            .last()
            .unwrap()
            .ends_with(&format!("rustup target add --toolchain {NAME} {TARGET}")),
        "{stdout}"
    );
    // Nothing else: the message is all cargo shows under `--- stdout`.
    assert_eq!(errors.len(), stdout.lines().count(), "{stdout}");
}

/// `target/<profile>/build/kenshu-*/build-script-build`, the newest.
fn newest_build_script() -> Option<PathBuf> {
    let exe = Path::new(env!("CARGO_BIN_EXE_kenshu"));
    let build = exe.parent()?.join("build");
    std::fs::read_dir(build)
        .ok()?
        .flatten()
        .filter(|e| e.file_name().to_string_lossy().starts_with("kenshu-"))
        .map(|e| e.path().join("build-script-build"))
        .filter(|p| p.is_file())
        .max_by_key(|p| p.metadata().and_then(|m| m.modified()).ok())
}
