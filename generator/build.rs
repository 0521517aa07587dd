//! Builds the exercise UI (package `kenshu-exercises-ui`) to WebAssembly and
//! runs wasm-bindgen on it, so the `kenshu` binary carries the compiled
//! bundle (see `src/bundle.rs`). No tool beyond cargo and the wasm32 target
//! (from rust-toolchain.toml) is needed.
//!
//! Outputs in OUT_DIR (and copied to `<workspace>/target/wasm/bundle/` for
//! `bench/wasm-size.sh`):
//! - `kenshu-exercises.js` + `kenshu-exercises_bg.wasm`: ES module variant
//!   (`--target web`), used over http(s);
//! - `kenshu-exercises-inline.js`: classic script (`--target no-modules`)
//!   with the .wasm inlined as base64, used from file:// where browsers
//!   block ES modules and fetch;
//! - the same three files of `kenshu-review`, the 復習 page's bundle (the
//!   crate built again with its feature `review`; its classic glue is the
//!   global `kenshu_review`).
//!
//! `KENSHU_WASM_TARGET_DIR` overrides the nested build's target directory.
//!
//! A toolchain without the wasm32 target gets it added (build/wasm_target.rs);
//! where that cannot be done, the build stops with a short message that says
//! what to run — shown by cargo as `error: …`, never a panic.

#[path = "build/wasm_target.rs"]
mod wasm_target;

use std::env;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

const NAME: &str = "kenshu-exercises";
/// The 復習 page's bundle (see exercises/ui/Cargo.toml, feature `review`).
const REVIEW: &str = "kenshu-review";

/// Stops the build with `message` as cargo's error (one `error:` line per
/// line of the message), without a panic or a backtrace.
fn fail(message: &str) -> ! {
    for line in message.lines() {
        println!("cargo::error={line}");
    }
    std::process::exit(1)
}

fn main() {
    // First, so that its message is all a user sees when it fails.
    match wasm_target::ensure(&wasm_target::Toolchain::from_env()) {
        Ok(wasm_target::Outcome::Present) => {}
        Ok(wasm_target::Outcome::Added(line)) => println!("cargo:warning={line}"),
        Err(message) => fail(&message),
    }
    let manifest_dir = PathBuf::from(env::var("CARGO_MANIFEST_DIR").expect("CARGO_MANIFEST_DIR"));
    let root = manifest_dir
        .parent()
        .expect("the generator lives in the workspace")
        .to_path_buf();
    let out_dir = PathBuf::from(env::var("OUT_DIR").expect("OUT_DIR"));
    for p in [
        "exercises/src",
        "exercises/Cargo.toml",
        "exercises/ui/src",
        "exercises/ui/Cargo.toml",
        "exercises/views/src",
        "exercises/views/Cargo.toml",
        "Cargo.toml",
        "Cargo.lock",
        // Embedded with include_dir!, which does not track new files itself.
        "theme",
        "generator/scaffold",
    ] {
        println!("cargo:rerun-if-changed={}", root.join(p).display());
    }
    println!("cargo:rerun-if-env-changed=KENSHU_WASM_TARGET_DIR");

    let target_dir = env::var_os("KENSHU_WASM_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| root.join("target").join("wasm"));
    let bundle = target_dir.join("bundle");
    fs::create_dir_all(&bundle).expect("create bundle dir");
    // The exercise bundle, then the 復習 page's (feature `review`): the
    // same crate built twice, each within the budget.
    for (name, features, global) in [
        (NAME, "", "wasm_bindgen"),
        (REVIEW, "review", "kenshu_review"),
    ] {
        let wasm = build_wasm(&root, &target_dir, features);
        emit(&out_dir, &bundle, &wasm, name, global);
    }
}

/// Writes the two variants of bundle `name` from `wasm`: the ES module
/// with its .wasm, and the classic script with the .wasm inlined (whose
/// glue is the global `global`, so two bundles on one page do not clash).
fn emit(out_dir: &Path, bundle: &Path, wasm: &Path, name: &str, global: &str) {
    // (a) ES module variant.
    let mut web = bindgen(wasm, Variant::Web, name);
    let web_js = web.js().to_string();
    let web_wasm = web.wasm_mut().emit_wasm();
    check_snippets(&web);
    write(out_dir, bundle, &format!("{name}.js"), web_js.as_bytes());
    write(out_dir, bundle, &format!("{name}_bg.wasm"), &web_wasm);

    // (b) classic script with the wasm inlined.
    let mut classic = bindgen(wasm, Variant::NoModules(global), name);
    let mut inline = classic.js().to_string();
    let bytes = classic.wasm_mut().emit_wasm();
    check_snippets(&classic);
    inline.push_str("\n;(function(){var s=atob(\"");
    inline.push_str(&base64(&bytes));
    inline.push_str(
        "\");var b=new Uint8Array(s.length);for(var i=0;i<s.length;i++)b[i]=s.charCodeAt(i);",
    );
    inline.push_str(global);
    inline.push_str(
        "({module_or_path:b}).catch(function(e){console.error(\"kenshu: exercises failed to start\",e);});})();\n",
    );
    write(
        out_dir,
        bundle,
        &format!("{name}-inline.js"),
        inline.as_bytes(),
    );
}

fn build_wasm(root: &Path, target_dir: &Path, features: &str) -> PathBuf {
    let cargo = env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    let mut cmd = Command::new(cargo);
    cmd.current_dir(root)
        .args([
            "build",
            "--profile",
            "wasm-release",
            "-p",
            "kenshu-exercises-ui",
            "--target",
            "wasm32-unknown-unknown",
            "--target-dir",
        ])
        .arg(target_dir);
    if !features.is_empty() {
        cmd.args(["--features", features]);
    }
    // Nothing of the outer build may leak into the nested one (flags for
    // the host target, the jobserver, the outer target dir, wrappers).
    for (k, _) in env::vars_os() {
        let Some(k) = k.to_str() else { continue };
        let leak = (k.starts_with("CARGO_") && k != "CARGO_HOME" && k != "CARGO_NET_OFFLINE")
            || matches!(
                k,
                "RUSTFLAGS"
                    | "RUSTDOCFLAGS"
                    | "RUSTC_WRAPPER"
                    | "RUSTC_WORKSPACE_WRAPPER"
                    | "MAKEFLAGS"
                    | "MFLAGS"
                    | "TARGET"
                    | "HOST"
                    | "OUT_DIR"
                    | "OPT_LEVEL"
                    | "PROFILE"
                    | "DEBUG"
                    | "NUM_JOBS"
                    | "RUSTC_LINKER"
            );
        if leak {
            cmd.env_remove(k);
        }
    }
    // Cargo reads a build script's stdout for `cargo:` directives: keep the
    // nested build's stdout out of it (its messages go to stderr anyway).
    cmd.stdout(std::process::Stdio::null());
    let status = cmd.status().unwrap_or_else(|e| {
        fail(&format!(
            "kenshu: cannot run cargo for the exercise bundle: {e}"
        ))
    });
    if !status.success() {
        fail(
            "kenshu: building the exercise bundle (package kenshu-exercises-ui for \
             wasm32-unknown-unknown) failed: the compiler's messages are above, under `--- stderr`",
        );
    }
    let wasm = target_dir
        .join("wasm32-unknown-unknown")
        .join("wasm-release")
        .join("kenshu_exercises_ui.wasm");
    if !wasm.exists() {
        fail(&format!("kenshu: {} was not built", wasm.display()));
    }
    wasm
}

enum Variant<'a> {
    Web,
    /// With the name of the global the glue defines.
    NoModules(&'a str),
}

fn bindgen(wasm: &Path, variant: Variant, name: &str) -> wasm_bindgen_cli_support::Output {
    let mut b = wasm_bindgen_cli_support::Bindgen::new();
    b.input_path(wasm)
        .out_name(name)
        .typescript(false)
        .debug(false)
        .keep_debug(false)
        .demangle(false)
        .remove_name_section(true)
        .remove_producers_section(true);
    match variant {
        Variant::Web => b.web(true),
        Variant::NoModules(global) => b.no_modules(true).and_then(|b| b.no_modules_global(global)),
    }
    .expect("wasm-bindgen target");
    b.generate_output()
        .unwrap_or_else(|e| fail(&format!("kenshu: wasm-bindgen failed: {e:?}")))
}

fn check_snippets(out: &wasm_bindgen_cli_support::Output) {
    assert!(
        out.snippets().values().all(|v| v.is_empty()) && out.local_modules().is_empty(),
        "kenshu: the exercise bundle uses JS snippets, which the single-file variants cannot carry"
    );
}

fn write(out_dir: &Path, bundle: &Path, name: &str, bytes: &[u8]) {
    fs::write(out_dir.join(name), bytes).expect("write bundle file to OUT_DIR");
    fs::write(bundle.join(name), bytes).expect("write bundle file to target/wasm/bundle");
}

fn base64(bytes: &[u8]) -> String {
    use base64::Engine;
    base64::engine::general_purpose::STANDARD.encode(bytes)
}
