//! `kenshu build` on repositories written for other tools, as they are:
//! small fixture repositories made in each test (mdBook, VuePress 1.x,
//! VitePress, Docusaurus), and the files such repositories hold.

use std::path::Path;
use std::process::{Command, Output};

fn kenshu(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_kenshu"))
        .args(args)
        .output()
        .expect("run kenshu")
}

fn repo(files: &[(&str, &str)]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    for (path, contents) in files {
        let p = dir.path().join(path);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, contents).unwrap();
    }
    dir
}

fn build(dir: &Path) -> Output {
    kenshu(&["build", dir.to_str().unwrap()])
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).to_string()
}

fn read(dir: &Path, path: &str) -> String {
    std::fs::read_to_string(dir.join(path)).unwrap_or_else(|e| panic!("{path}: {e}"))
}

#[test]
fn a_toml_file_that_is_not_an_exercise_is_published_as_a_file() {
    let r = repo(&[
        (
            "content/index.md",
            "# ホーム\n\n[設定](tool/pyproject.toml)\n",
        ),
        (
            "content/tool/pyproject.toml",
            "[project]\nname = \"demo\"\nversion = \"0.1.0\"\n",
        ),
        // An exercise outside exercises/ is still one: it has `kind`.
        ("content/q.toml", "kind = \"nosuchkind\"\nid = \"q\"\n"),
    ]);
    let out = build(r.path());
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(err.contains("content/q.toml"), "{err}");
    assert!(!err.contains("pyproject.toml"), "{err}");
    std::fs::remove_file(r.path().join("content/q.toml")).unwrap();
    let out = build(r.path());
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(read(r.path(), "public/tool/pyproject.toml").contains("name = \"demo\""));
}

#[test]
fn code_languages_are_highlighted_and_unknown_ones_warned_about_once() {
    let r = repo(&[
        (
            "content/index.md",
            "# ホーム\n\n```toml\n[a]\nb = 1\n```\n\n```python{2}\nx = 1\ny = 2\n```\n\n```foolang\nz\n```\n",
        ),
        ("content/b.md", "# B\n\n```foolang\nw\n```\n\n```console\n$ ls\n```\n"),
    ]);
    let out = build(r.path());
    let err = stderr(&out);
    assert!(out.status.success(), "{err}");
    assert_eq!(err.matches("foolang").count(), 1, "{err}");
    assert!(
        err.contains("content/b.md:3:1: warning: no highlighting for language `foolang`")
            || err
                .contains("content/index.md:12:1: warning: no highlighting for language `foolang`"),
        "{err}"
    );
    assert!(err.contains("(this block and 1 more)"), "{err}");
    let html = read(r.path(), "public/index.html");
    assert!(
        html.contains("<code class=\"language-toml\"><span class=\"hl-"),
        "{html}"
    );
    assert!(html.contains("<code class=\"language-python\">"), "{html}");
    assert!(!html.contains("language-python{"), "{html}");
    assert!(html.contains("<span class=\"hl-line\">"), "{html}");
}

#[test]
fn an_unused_front_matter_key_is_reported_once_with_a_count() {
    let page = |t: &str| format!("---\ntitle: {t}\nfooter: true\n---\n\n本文\n");
    let (a, b, c) = (page("A"), page("B"), page("C"));
    let r = repo(&[
        ("content/index.md", "# ホーム\n"),
        ("content/a.md", &a),
        ("content/b.md", &b),
        ("content/c.md", &c),
    ]);
    let out = build(r.path());
    let err = stderr(&out);
    assert!(out.status.success(), "{err}");
    assert_eq!(err.matches("footer").count(), 1, "{err}");
    assert!(
        err.contains("content/a.md:3:1: warning: 3 pages use front matter key `footer`"),
        "{err}"
    );
}

#[test]
fn quiet_prints_errors_only() {
    let r = repo(&[(
        "content/index.md",
        "---\ntitle: ホーム\nfooter: true\n---\n\n```foolang\nx\n```\n",
    )]);
    let site = r.path().to_str().unwrap();
    for cmd in ["build", "check"] {
        let out = kenshu(&[cmd, site]);
        assert!(out.status.success(), "{}", stderr(&out));
        assert!(stderr(&out).contains("warning: "), "{}", stderr(&out));
        let out = kenshu(&[cmd, site, "-q"]);
        assert!(out.status.success(), "{}", stderr(&out));
        assert_eq!(stderr(&out), "", "{cmd} -q");
        assert!(out.stdout.is_empty(), "{cmd} -q");
    }
    // With --deny-warnings they are errors, shown whatever -q says.
    let out = kenshu(&["check", site, "-q", "--deny-warnings"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains("footer"), "{}", stderr(&out));
}
