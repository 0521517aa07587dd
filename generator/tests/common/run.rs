//! Running the `kenshu` binary on sites written into temporary folders:
//! the helpers the integration tests share, included by each with
//! `mod common { pub mod run; }`.
#![allow(dead_code)]

use std::collections::BTreeMap;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

/// Runs kenshu with `args` to the end.
pub fn kenshu(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_kenshu"))
        .args(args)
        .output()
        .expect("run kenshu")
}

/// Runs kenshu; kills it and fails after `limit` (a hang is a failure, not
/// a stuck test run). Its output is read while it runs: 20,000
/// diagnostics fill a pipe.
pub fn kenshu_within(limit: Duration, args: &[&str]) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_kenshu"))
        .args(args)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("run kenshu");
    fn reader(mut pipe: impl Read + Send + 'static) -> std::thread::JoinHandle<Vec<u8>> {
        std::thread::spawn(move || {
            let mut bytes = Vec::new();
            let _ = pipe.read_to_end(&mut bytes);
            bytes
        })
    }
    let stdout = reader(child.stdout.take().expect("stdout"));
    let stderr = reader(child.stderr.take().expect("stderr"));
    let start = Instant::now();
    let status = loop {
        if let Some(status) = child.try_wait().expect("wait") {
            break status;
        }
        if start.elapsed() > limit {
            let _ = child.kill();
            let _ = child.wait();
            let stderr = stderr.join().unwrap_or_default();
            panic!(
                "kenshu {args:?} still running after {limit:?}; stderr: {}",
                String::from_utf8_lossy(&stderr)
            );
        }
        std::thread::sleep(Duration::from_millis(20));
    };
    Output {
        status,
        stdout: stdout.join().expect("stdout reader"),
        stderr: stderr.join().expect("stderr reader"),
    }
}

/// A temporary folder holding `files` (path under it, contents).
pub fn site<C: AsRef<[u8]>>(files: &[(&str, C)]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    for (path, contents) in files {
        let p = dir.path().join(path);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, contents).unwrap();
    }
    dir
}

/// [`site`] with a home page (`content/index.md`) before `files`.
pub fn site_with_home(files: &[(&str, &str)]) -> tempfile::TempDir {
    let mut all = vec![("content/index.md", "# ホーム\n")];
    all.extend_from_slice(files);
    site(&all)
}

/// `kenshu build DIR`.
pub fn build(dir: &Path) -> Output {
    kenshu(&["build", s(dir)])
}

pub fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).to_string()
}

pub fn s(p: &Path) -> &str {
    p.to_str().unwrap()
}

/// Every file of a folder (hidden ones too) with its bytes.
pub fn snapshot(dir: &Path) -> BTreeMap<PathBuf, Vec<u8>> {
    fn walk(base: &Path, dir: &Path, out: &mut BTreeMap<PathBuf, Vec<u8>>) {
        for e in std::fs::read_dir(dir).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                walk(base, &p, out);
            } else {
                out.insert(
                    p.strip_prefix(base).unwrap().to_path_buf(),
                    std::fs::read(&p).unwrap(),
                );
            }
        }
    }
    let mut out = BTreeMap::new();
    walk(dir, dir, &mut out);
    out
}
