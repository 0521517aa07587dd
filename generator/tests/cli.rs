//! The `kenshu` binary on real files: builds, every error kind, atomic
//! output, determinism.

use std::process::{Command, Output};

mod common {
    pub mod run;
}
use common::run::{build, kenshu, snapshot, stderr};

/// [`common::run::site`] with byte contents (some not UTF-8).
fn site(files: &[(&str, &[u8])]) -> tempfile::TempDir {
    common::run::site(files)
}

fn good_site() -> tempfile::TempDir {
    site(&[
        ("site.toml", b"title = \"\xe7\xa0\x94\xe4\xbf\xae\"\n"),
        ("content/index.md", "# ホーム\n\n[講義](lectures/01-a.md)\n".as_bytes()),
        (
            "content/lectures/01-a.md",
            "+++\ntitle = \"講義A\"\n+++\n\n## 「連携」と「協働」\n\n[次](02-b.md#まとめ)\n\n![図](../img/x.svg)\n".as_bytes(),
        ),
        ("content/lectures/02-b.md", "# 講義B\n\n## まとめ\n\n[前](01-a.md#連携と協働)\n".as_bytes()),
        ("content/img/x.svg", b"<svg xmlns='http://www.w3.org/2000/svg'/>"),
    ])
}

/// Builds a good site, breaks it with `file` = `contents`, builds again and
/// returns stderr; asserts exit code 1 and the old output left untouched.
fn break_with(files: &[(&str, &[u8])]) -> String {
    let s = good_site();
    assert!(build(s.path()).status.success());
    let before = snapshot(&s.path().join("public"));
    for (path, contents) in files {
        let p = s.path().join(path);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, contents).unwrap();
    }
    let out = build(s.path());
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert_eq!(
        snapshot(&s.path().join("public")),
        before,
        "previous output changed"
    );
    stderr(&out)
}

#[test]
fn builds_a_site_with_relative_urls() {
    let s = good_site();
    let out = build(s.path());
    assert!(out.status.success(), "{}", stderr(&out));
    let summary = String::from_utf8_lossy(&out.stdout);
    assert!(summary.contains("built 4 pages"), "{summary}");
    let public = s.path().join("public");
    let a = std::fs::read_to_string(public.join("lectures/a.html")).unwrap();
    assert!(a.contains("<html lang=\"ja\">"));
    assert!(a.contains("<meta charset=\"utf-8\">"));
    assert!(
        a.contains("href=\"../lectures/b.html#%E3%81%BE%E3%81%A8%E3%82%81\""),
        "{a}"
    );
    assert!(a.contains("src=\"../img/x.svg\""));
    assert!(a.contains("href=\"../assets/site.css\""));
    assert!(a.contains("<h2 id=\"連携と協働\">"));
    for f in [
        "index.html",
        "lectures/index.html",
        "lectures/b.html",
        "404.html",
        "sitemap.xml",
        "img/x.svg",
    ] {
        assert!(public.join(f).exists(), "{f} missing");
    }
    for (path, bytes) in snapshot(&public) {
        if path.extension().is_some_and(|e| e == "html") {
            let text = String::from_utf8(bytes).unwrap();
            for bad in ["href=\"/", "src=\"/", "href=\"http", "src=\"http"] {
                assert!(!text.contains(bad), "{} has {bad}", path.display());
            }
        }
    }
}

#[test]
fn two_builds_are_byte_identical() {
    let s = good_site();
    assert!(build(s.path()).status.success());
    let first = snapshot(&s.path().join("public"));
    assert!(build(s.path()).status.success());
    assert_eq!(first, snapshot(&s.path().join("public")));
}

#[test]
fn stale_files_are_removed() {
    let s = good_site();
    assert!(build(s.path()).status.success());
    std::fs::remove_file(s.path().join("content/lectures/02-b.md")).unwrap();
    std::fs::write(s.path().join("content/lectures/01-a.md"), "# A\n").unwrap();
    assert!(build(s.path()).status.success());
    assert!(!s.path().join("public/lectures/b.html").exists());
    assert!(s.path().join("public/lectures/a.html").exists());
}

#[test]
fn broken_link_names_file_and_line() {
    let err = break_with(&[(
        "content/lectures/02-b.md",
        "# B\n\nline\n\n[x](nope.md)\n".as_bytes(),
    )]);
    assert!(
        err.contains(
            "content/lectures/02-b.md:5:5: error: link to a page that does not exist: `nope.md`"
        ),
        "{err}"
    );
    assert!(err.contains("hint:"));
}

#[test]
fn broken_anchor() {
    let err = break_with(&[(
        "content/lectures/02-b.md",
        "# B\n\n[x](01-a.md#ない)\n".as_bytes(),
    )]);
    assert!(
        err.contains(
            "content/lectures/02-b.md:3:5: error: link to a heading that does not exist: `#ない`"
        ),
        "{err}"
    );
    assert!(err.contains("headings there: 連携と協働"), "{err}");
}

#[test]
fn missing_image() {
    let err = break_with(&[(
        "content/index.md",
        "# H\n\n![図](img/missing.png)\n".as_bytes(),
    )]);
    assert!(
        err.contains(
            "content/index.md:3:6: error: link to a file that does not exist: `img/missing.png`"
        ),
        "{err}"
    );
}

#[test]
fn absolute_link_is_an_error() {
    let err = break_with(&[(
        "content/index.md",
        "# H\n\n[x](/lectures/a.html)\n".as_bytes(),
    )]);
    assert!(
        err.contains("content/index.md:3:5: error: absolute link"),
        "{err}"
    );
}

#[test]
fn bad_front_matter() {
    let err = break_with(&[(
        "content/index.md",
        "+++\ntitle = \"x\nweight = 1\n+++\n# H\n".as_bytes(),
    )]);
    assert!(err.contains("content/index.md:2:"), "{err}");
    assert!(err.contains("invalid front matter"), "{err}");
}

#[test]
fn unknown_front_matter_key() {
    let err = break_with(&[(
        "content/index.md",
        "+++\ntitle = \"x\"\nwieght = 1\n+++\n# H\n".as_bytes(),
    )]);
    assert!(
        err.contains("content/index.md:3:1: error: unknown key `wieght` in front matter"),
        "{err}"
    );
    assert!(err.contains("allowed keys"), "{err}");
}

#[test]
fn unclosed_front_matter() {
    let err = break_with(&[("content/index.md", "+++\ntitle = \"x\"\n# H\n".as_bytes())]);
    assert!(
        err.contains("content/index.md:1:1: error: front matter is not closed"),
        "{err}"
    );
}

#[test]
fn unknown_site_toml_key() {
    let err = break_with(&[("site.toml", "title = \"x\"\ncolour = \"red\"\n".as_bytes())]);
    assert!(
        err.contains("site.toml:2:1: error: unknown key `colour` in site.toml"),
        "{err}"
    );
}

#[test]
fn invalid_utf8() {
    let err = break_with(&[("content/index.md", b"# H\n\nab\x82\xa0cd\n")]);
    assert!(
        err.contains("content/index.md:3:3: error: file is not valid UTF-8"),
        "{err}"
    );
    assert!(err.contains("Shift_JIS"), "{err}");
}

#[test]
fn unknown_admonition() {
    let err = break_with(&[("content/index.md", "# H\n\n> [!NOTEE]\n> x\n".as_bytes())]);
    assert!(
        err.contains("content/index.md:3:1: error: unknown admonition `[!NOTEE]`"),
        "{err}"
    );
}

#[cfg(unix)]
#[test]
fn unreadable_file() {
    let s = good_site();
    assert!(build(s.path()).status.success());
    std::os::unix::fs::symlink(
        s.path().join("nowhere.md"),
        s.path().join("content/dangling.md"),
    )
    .unwrap();
    let out = build(s.path());
    assert_eq!(out.status.code(), Some(1));
    let err = stderr(&out);
    assert!(
        err.contains("content/dangling.md: error: symbolic link to")
            && err.contains("which cannot be followed"),
        "{err}"
    );
}

#[test]
fn every_error_in_one_run() {
    let err = break_with(&[
        (
            "content/index.md",
            "# H\n\n[a](x.md) [b](y.md)\n".as_bytes(),
        ),
        (
            "content/lectures/02-b.md",
            "+++\nfoo = 1\n+++\n## まとめ\n".as_bytes(),
        ),
    ]);
    assert!(
        err.contains("`x.md`") && err.contains("`y.md`") && err.contains("unknown key `foo`"),
        "{err}"
    );
    assert!(err.contains("3 problems found"), "{err}");
    // A page with bad front matter still exists for links to it.
    assert!(!err.contains("02-b.md#"), "{err}");
}

#[test]
fn check_validates_without_writing() {
    let s = good_site();
    let out = kenshu(&["check", s.path().to_str().unwrap()]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(!s.path().join("public").exists());
    std::fs::write(s.path().join("content/index.md"), "[x](gone.md)").unwrap();
    let out = kenshu(&["check", s.path().to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains("gone.md"));
}

#[test]
fn new_site_builds_as_it_is() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("mysite");
    let out = kenshu(&["new", dir.to_str().unwrap()]);
    assert!(out.status.success(), "{}", stderr(&out));
    let out = build(&dir);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(dir.join("public/index.html").exists());
    // One exercise of each kind and a slide deck.
    let practice = std::fs::read_to_string(dir.join("public/lessons/practice.html")).unwrap();
    assert!(
        practice.contains("data-exercise=\"sort-fruit\""),
        "{practice}"
    );
    assert!(
        practice.contains("data-exercise=\"plan-table\""),
        "{practice}"
    );
    assert!(dir.join("public/lessons/first.slides.html").exists());
    // Refuses a non-empty folder.
    let out = kenshu(&["new", dir.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1));
}

#[test]
fn refuses_dangerous_output_folders() {
    let s = good_site();
    let content = s.path().join("content/out");
    let out = kenshu(&[
        "build",
        s.path().to_str().unwrap(),
        "--out",
        content.to_str().unwrap(),
    ]);
    assert_eq!(out.status.code(), Some(1));
    let out = kenshu(&[
        "build",
        s.path().to_str().unwrap(),
        "--out",
        s.path().to_str().unwrap(),
    ]);
    assert_eq!(out.status.code(), Some(1));
    assert!(s.path().join("content/index.md").exists());
}

#[test]
fn missing_site_folder_and_usage_errors() {
    let out = kenshu(&["build", "/nonexistent/site"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains("site folder not found"));
    assert_eq!(kenshu(&["frobnicate"]).status.code(), Some(2));
}

/// Arbitrary bytes in pages and settings never make kenshu panic.
#[test]
fn never_panics_on_garbage() {
    let mut seed: u64 = 0x9e37_79b9_7f4a_7c15;
    let mut next = move || {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        seed
    };
    let alphabet: Vec<&str> = vec![
        "#",
        "##",
        " ",
        "\n",
        "[",
        "]",
        "(",
        ")",
        "!",
        "*",
        "**",
        "「",
        "」",
        "+++",
        "> ",
        "[!NOTE]",
        "{{#",
        "}}",
        "exercise",
        "<a href=\"",
        "\"",
        ">",
        "`",
        "|",
        "-",
        "1.",
        "連携",
        "#x",
        ".md",
        "../",
        "%",
        "\u{feff}",
        "<!-- slide -->",
        "\\",
        "\r\n",
        "~~",
        "[^1]",
        "[^1]: ",
    ];
    for round in 0..40 {
        let mut md = String::new();
        for _ in 0..(next() % 120) {
            md.push_str(alphabet[(next() % alphabet.len() as u64) as usize]);
        }
        let mut bytes = md.into_bytes();
        if round % 5 == 0 {
            bytes.push((next() % 256) as u8);
        }
        let s = site(&[("content/index.md", &bytes), ("content/a/b.md", &bytes)]);
        let out = build(s.path());
        let code = out.status.code();
        assert!(
            code == Some(0) || code == Some(1),
            "round {round}: {:?}\n{}",
            code,
            stderr(&out)
        );
        assert!(
            !stderr(&out).contains("panicked"),
            "round {round}: {}",
            stderr(&out)
        );
    }
}

#[test]
fn raw_html_ids_and_links_are_checked() {
    let s = site(&[
        (
            "content/index.md",
            "# H\n\n[表へ](a.md#points)\n".as_bytes(),
        ),
        (
            "content/a.md",
            "# A\n\n<table id=\"points\"><tr><td><a href=\"index.md\">戻る</a></td></tr></table>\n"
                .as_bytes(),
        ),
    ]);
    let out = build(s.path());
    assert!(out.status.success(), "{}", stderr(&out));
    let a = std::fs::read_to_string(s.path().join("public/a.html")).unwrap();
    assert!(a.contains("<a href=\"index.html\">戻る</a>"), "{a}");
    std::fs::write(
        s.path().join("content/a.md"),
        "# A\n\n<p><a href=\"gone.md\">x</a></p>\n",
    )
    .unwrap();
    let out = build(s.path());
    assert_eq!(out.status.code(), Some(1));
    let err = stderr(&out);
    assert!(
        err.contains("content/a.md:3:13: error: link to a page that does not exist: `gone.md`"),
        "{err}"
    );
    assert!(
        err.contains(
            "content/index.md:3:6: error: link to a heading that does not exist: `#points`"
        ),
        "{err}"
    );
}

fn kenshu_os(args: &[&std::ffi::OsStr]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_kenshu"))
        .args(args)
        .output()
        .expect("run kenshu")
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).to_string()
}

/// `kenshu COMMAND --help` and `kenshu help COMMAND`: exit 0, every option
/// named, an example to copy.
#[test]
fn every_subcommand_explains_itself() {
    let cases: &[(&str, &[&str])] = &[
        (
            "build",
            &["SITE", "--out <DIR>", "-o", "--quiet", "--verbose"],
        ),
        ("check", &["SITE", "--quiet"]),
        ("new", &["DIR"]),
        (
            "serve",
            &[
                "SITE",
                "--port <PORT>",
                "--host <ADDRESS>",
                "--open",
                "4400",
            ],
        ),
        ("completions", &["bash", "zsh", "fish"]),
    ];
    for (cmd, names) in cases {
        for args in [vec![*cmd, "--help"], vec![*cmd, "-h"], vec!["help", *cmd]] {
            let out = kenshu(&args);
            let text = stdout(&out);
            assert_eq!(out.status.code(), Some(0), "{args:?}: {}", stderr(&out));
            assert!(text.contains("Examples:"), "{args:?}: {text}");
            assert!(text.contains(&format!("kenshu {cmd}")), "{args:?}: {text}");
            for n in *names {
                assert!(text.contains(n), "{args:?} does not name {n}: {text}");
            }
        }
    }
    let top = kenshu(&["--help"]);
    assert_eq!(top.status.code(), Some(0));
    for cmd in ["build", "check", "new", "serve", "completions"] {
        assert!(stdout(&top).contains(cmd), "{}", stdout(&top));
    }
    // No command at all: the help, on stderr, and status 2.
    let none = kenshu(&[]);
    assert_eq!(none.status.code(), Some(2));
    assert!(stderr(&none).contains("Usage: kenshu"), "{}", stderr(&none));
    let v = kenshu(&["--version"]);
    assert_eq!(v.status.code(), Some(0));
    assert_eq!(
        stdout(&v).trim(),
        format!("kenshu {}", env!("CARGO_PKG_VERSION"))
    );
    let sub = stdout(&kenshu(&["build", "-V"]));
    assert!(sub.contains(env!("CARGO_PKG_VERSION")), "{sub}");
}

/// Mistakes on the command line: clap's message (what is wrong, the usage,
/// a suggestion) and status 2; nothing is built.
#[test]
fn parser_errors_exit_2_with_a_usable_message() {
    let s = good_site();
    let site = s.path().to_str().unwrap();
    for (args, says) in [
        (
            vec!["biuld", site],
            "tip: a similar subcommand exists: 'build'",
        ),
        (
            vec!["build", site, "--ouy", "x"],
            "tip: a similar argument exists: '--out'",
        ),
        (
            vec!["build", site, "--out"],
            "a value is required for '--out <DIR>'",
        ),
        (vec!["build", site, "other"], "unexpected argument 'other'"),
        (
            vec!["serve", site, "--port", "http"],
            "invalid value 'http' for '--port <PORT>'",
        ),
        (
            vec!["serve", site, "--port", "70000"],
            "70000 is not in 0..=65535",
        ),
        (
            vec!["serve", site, "--host", ""],
            "give an address, such as 127.0.0.1",
        ),
        (
            vec!["new"],
            "the following required arguments were not provided",
        ),
        (vec!["build", site, "-q", "-v"], "cannot be used with"),
        (
            vec!["completions", "tcsh"],
            "[possible values: bash, elvish, fish, powershell, zsh]",
        ),
    ] {
        let out = kenshu(&args);
        assert_eq!(out.status.code(), Some(2), "{args:?}: {}", stderr(&out));
        assert!(stderr(&out).contains(says), "{args:?}: {}", stderr(&out));
        assert!(
            stderr(&out).starts_with("error: "),
            "{args:?}: {}",
            stderr(&out)
        );
    }
    assert!(!s.path().join("public").exists());
}

#[test]
fn out_takes_both_spellings_and_options_go_anywhere() {
    let s = good_site();
    let tmp = tempfile::tempdir().unwrap();
    let (a, b, c) = (
        tmp.path().join("a"),
        tmp.path().join("b"),
        tmp.path().join("c"),
    );
    let site = s.path().to_str().unwrap();
    let out = kenshu(&["build", &format!("--out={}", a.display()), site]);
    assert!(out.status.success(), "{}", stderr(&out));
    let out = kenshu(&["build", site, "--out", b.to_str().unwrap()]);
    assert!(out.status.success(), "{}", stderr(&out));
    let out = kenshu(&["build", "-o", c.to_str().unwrap(), site]);
    assert!(out.status.success(), "{}", stderr(&out));
    for dir in [&a, &b, &c] {
        assert!(dir.join("lectures/a.html").exists(), "{}", dir.display());
    }
    assert_eq!(snapshot(&a), snapshot(&b));
    assert!(!s.path().join("public").exists());
    assert!(
        stdout(&out).contains(&format!("→ {}", c.display())),
        "{}",
        stdout(&out)
    );
}

/// `--` ends the options: a site folder whose name starts with '-'.
#[test]
fn double_dash_ends_options() {
    let s = good_site();
    let odd = s.path().join("-site");
    std::fs::create_dir(&odd).unwrap();
    for f in ["site.toml", "content"] {
        std::fs::rename(s.path().join(f), odd.join(f)).unwrap();
    }
    let out = Command::new(env!("CARGO_BIN_EXE_kenshu"))
        .current_dir(s.path())
        .args(["build", "--", "-site"])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(odd.join("public/index.html").exists());
    let out = Command::new(env!("CARGO_BIN_EXE_kenshu"))
        .current_dir(s.path())
        .args(["build", "-site"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
}

/// Folder names that are not UTF-8 (possible on Linux) are used as they are.
#[test]
fn paths_that_are_not_utf8() {
    use std::ffi::OsStr;
    use std::os::unix::ffi::OsStrExt;
    let s = good_site();
    let odd = s.path().join(OsStr::from_bytes(b"site-\xff\xfe"));
    std::fs::create_dir(&odd).unwrap();
    for f in ["site.toml", "content"] {
        std::fs::rename(s.path().join(f), odd.join(f)).unwrap();
    }
    let out_dir = s.path().join(OsStr::from_bytes(b"out-\xe9"));
    let out = kenshu_os(&[
        OsStr::new("build"),
        odd.as_os_str(),
        OsStr::new("--out"),
        out_dir.as_os_str(),
    ]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(out_dir.join("lectures/a.html").exists());
    let out = kenshu_os(&[OsStr::new("check"), odd.as_os_str()]);
    assert!(out.status.success(), "{}", stderr(&out));
    // An error about such a folder names it (lossily) instead of panicking.
    let missing = s.path().join(OsStr::from_bytes(b"gone-\xff"));
    let out = kenshu_os(&[OsStr::new("build"), missing.as_os_str()]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert!(stderr(&out).contains("gone-\u{fffd}"), "{}", stderr(&out));
    // A non-UTF-8 word where a command is expected is a usage error.
    let out = kenshu_os(&[OsStr::from_bytes(b"b\xffuild")]);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert!(!stderr(&out).contains("panicked"), "{}", stderr(&out));
}

#[test]
fn quiet_and_verbose() {
    let s = good_site();
    let site = s.path().to_str().unwrap();
    let out = kenshu(&["build", site, "-q"]);
    assert!(out.status.success());
    assert_eq!(stdout(&out), "");
    assert_eq!(stderr(&out), "");
    let out = kenshu(&["-q", "check", site]);
    assert!(out.status.success());
    assert_eq!(stdout(&out), "");
    let out = kenshu(&["--verbose", "build", site]);
    let text = stdout(&out);
    assert!(text.contains(&format!("site: {site}")), "{text}");
    assert!(
        text.contains(&format!("output: {}", s.path().join("public").display())),
        "{text}"
    );
    for stage in ["load: ", "render and write: ", "swap: "] {
        assert!(
            text.lines()
                .any(|l| l.starts_with(stage) && l.ends_with(" ms")),
            "{text}"
        );
    }
    assert!(text.contains("built 4 pages"), "{text}");
    // Errors are printed whatever -q says.
    std::fs::write(s.path().join("content/index.md"), "[x](gone.md)").unwrap();
    let out = kenshu(&["build", site, "-q"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains("gone.md"), "{}", stderr(&out));
}

#[test]
fn new_refuses_a_file_and_quotes_paths_in_its_hint() {
    let tmp = tempfile::tempdir().unwrap();
    let file = tmp.path().join("notes.txt");
    std::fs::write(&file, "mine").unwrap();
    let out = kenshu(&["new", file.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).contains("a file with this name exists; a new site needs a folder"),
        "{}",
        stderr(&out)
    );
    assert!(!stderr(&out).contains("not empty"), "{}", stderr(&out));
    assert_eq!(std::fs::read_to_string(&file).unwrap(), "mine");

    let out = Command::new(env!("CARGO_BIN_EXE_kenshu"))
        .current_dir(tmp.path())
        .args(["new", "研修 2026"])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    let text = stdout(&out);
    assert!(text.contains("kenshu serve '研修 2026' --open"), "{text}");
    assert!(text.contains("kenshu build '研修 2026'"), "{text}");
    // The printed command works as it is, pasted into a shell.
    let line = text
        .lines()
        .find_map(|l| l.trim().strip_prefix("build it:"))
        .unwrap()
        .trim()
        .replacen("kenshu", env!("CARGO_BIN_EXE_kenshu"), 1);
    let out = Command::new("sh")
        .current_dir(tmp.path())
        .args(["-c", &line])
        .output()
        .unwrap();
    assert!(out.status.success(), "{line}: {}", stderr(&out));
    assert!(tmp.path().join("研修 2026/public/index.html").exists());
}

#[test]
fn completions_print_scripts_that_complete() {
    for (shell, says, words) in [
        ("bash", "complete -F _kenshu", ["serve", "--out", "--open"]),
        ("zsh", "#compdef kenshu", ["serve", "--out", "--open"]),
        ("fish", "complete -c kenshu", ["serve", "-l out", "-l open"]),
    ] {
        let out = kenshu(&["completions", shell]);
        assert!(out.status.success(), "{shell}: {}", stderr(&out));
        let script = stdout(&out);
        assert!(script.contains(says), "{shell}: {script}");
        for word in words {
            assert!(script.contains(word), "{shell} lacks {word}");
        }
    }
    // bash: load the script and ask it, as Tab does.
    let script = stdout(&kenshu(&["completions", "bash"]));
    let tmp = tempfile::tempdir().unwrap();
    let file = tmp.path().join("kenshu.bash");
    std::fs::write(&file, script).unwrap();
    let ask = |words: &str| {
        let cmd = format!(
            "source '{}'; COMP_WORDS=({words}); COMP_CWORD=$((${{#COMP_WORDS[@]}}-1)); \
             COMP_LINE=\"${{COMP_WORDS[*]}}\"; COMP_POINT=${{#COMP_LINE}}; \
             _kenshu kenshu \"${{COMP_WORDS[-1]}}\" \"${{COMP_WORDS[-2]}}\"; echo \"${{COMPREPLY[*]}}\"",
            file.display()
        );
        let out = Command::new("bash").args(["-c", &cmd]).output().unwrap();
        String::from_utf8_lossy(&out.stdout).trim().to_string()
    };
    assert_eq!(ask("kenshu se"), "serve");
    assert!(
        ask("kenshu serve --o").split(' ').any(|w| w == "--open"),
        "{}",
        ask("kenshu serve --o")
    );
    assert_eq!(ask("kenshu completions fi"), "fish");
}

#[test]
fn hidden_pages_stay_out_of_the_navigation() {
    // A lecturers' section (`hidden = true` on its index) between two
    // visible pages: built and linkable, but no visible page leads to it.
    let dir = site(&[
        ("content/index.md", "# ホーム\n\n本文\n".as_bytes()),
        ("content/a.md", "# 前の頁\n".as_bytes()),
        (
            "content/lecturer/index.md",
            "+++\nhidden = true\n+++\n# 講師用\n\n[解答](key.md)\n".as_bytes(),
        ),
        (
            "content/lecturer/key.md",
            "# 解答の頁\n\n正解はこれ\n".as_bytes(),
        ),
        ("content/z.md", "# 後の頁\n".as_bytes()),
    ]);
    let out = build(dir.path());
    assert!(out.status.success(), "{}", stderr(&out));
    let public = dir.path().join("public");
    let read = |p: &str| std::fs::read_to_string(public.join(p)).unwrap();
    for visible in ["index.html", "a.html", "z.html", "sitemap.xml"] {
        let html = read(visible);
        assert!(
            !html.contains("lecturer/"),
            "{visible} links to the hidden section:\n{html}"
        );
    }
    // Previous/next of visible pages skip the hidden ones.
    assert!(read("a.html").contains("href=\"z.html\""), "a → z");
    assert!(read("z.html").contains("href=\"a.html\""), "z → a");
    // The search index (titles, snippets and terms, all shards) does not
    // hold the hidden pages' words.
    let mut index = String::new();
    let mut dirs = vec![public.join("assets/search")];
    while let Some(d) = dirs.pop() {
        for e in std::fs::read_dir(&d).unwrap().flatten() {
            if e.path().is_dir() {
                dirs.push(e.path());
            } else {
                index += &std::fs::read_to_string(e.path()).unwrap();
            }
        }
    }
    assert!(index.contains("前の頁"), "the index holds visible titles");
    assert!(!index.contains("正解はこれ") && !index.contains("解答の頁"));
    // Hidden pages are built, link among themselves and show their section.
    let key = read("lecturer/key.html");
    assert!(key.contains("正解はこれ"));
    // Navigation links are written from the site root (`../lecturer/…`).
    assert!(
        key.contains("href=\"../lecturer/index.html\""),
        "key → its section index"
    );
    assert!(read("lecturer/index.html").contains("key.html\""));
}

#[test]
fn loader_warnings_are_printed_with_positions_and_deny_warnings_fails() {
    // An unused YAML key and other tools' template syntax are warnings: the
    // build succeeds, says where, and `--deny-warnings` turns them into errors.
    let files: &[(&str, &[u8])] = &[
        ("content/index.md", "# ホーム\n".as_bytes()),
        (
            "content/a.md",
            "---\ntitle: 頁\nhidden: true\nfoo: 1\n---\n本文\n\n{{< note >}}\n".as_bytes(),
        ),
    ];
    let dir = site(files);
    let out = build(dir.path());
    assert!(out.status.success(), "{}", stderr(&out));
    let err = stderr(&out);
    assert!(
        err.contains("content/a.md:4:1: warning: front matter key `foo` is not used by kenshu"),
        "{err}"
    );
    assert!(
        err.contains("content/a.md:8:1: warning: `{{< note >}}`"),
        "{err}"
    );
    // `hidden: true` in YAML keeps the page out of the trainee's navigation.
    let home = std::fs::read_to_string(dir.path().join("public/index.html")).unwrap();
    assert!(!home.contains("a.html"), "{home}");
    let public2 = dir.path().join("public2");
    let denied = kenshu(&[
        "build",
        "--deny-warnings",
        dir.path().to_str().unwrap(),
        "--out",
        public2.to_str().unwrap(),
    ]);
    assert_eq!(denied.status.code(), Some(1), "{}", stderr(&denied));
    assert!(!public2.exists());
}

/// `package` reports warnings as `build` does (it used to print none).
#[test]
fn package_prints_the_warnings_build_prints() {
    let files: &[(&str, &[u8])] = &[
        ("content/index.md", "# ホーム\n".as_bytes()),
        (
            "content/a.md",
            "---\ntitle: 頁\nfoo: 1\n---\n本文\n".as_bytes(),
        ),
    ];
    let dir = site(files);
    let zip = dir.path().join("course-scorm.zip");
    let out = kenshu(&[
        "package",
        "scorm",
        dir.path().to_str().unwrap(),
        "--out",
        zip.to_str().unwrap(),
    ]);
    assert!(out.status.success(), "{}", stderr(&out));
    let err = stderr(&out);
    assert!(
        err.contains("content/a.md:3:1: warning: front matter key `foo` is not used by kenshu"),
        "{err}"
    );
}

#[test]
fn package_scorm_writes_a_zip_or_says_why_not() {
    let out = kenshu(&["package", "scorm", "--help"]);
    assert_eq!(out.status.code(), Some(0));
    for word in [
        "--scorm-version",
        "1.2",
        "2004",
        "--out",
        "--include-lecturer",
        "Examples:",
    ] {
        assert!(stdout(&out).contains(word), "{word}: {}", stdout(&out));
    }
    let s = good_site();
    let site = s.path().to_str().unwrap();
    let zip = s.path().join("out/c.zip");
    let out = kenshu(&["package", "scorm", site, "--out", zip.to_str().unwrap()]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(
        stdout(&out).contains("SCORM 2004 4th edition"),
        "{}",
        stdout(&out)
    );
    let bytes = std::fs::read(&zip).unwrap();
    assert_eq!(&bytes[..4], b"PK\x03\x04", "not a zip");
    // The manifest is the first entry, at the root.
    assert_eq!(&bytes[30..45], b"imsmanifest.xml");
    // Not a .zip name, a bad version, a bad setting: nothing written.
    let out = kenshu(&["package", "scorm", site, "--out", "x.tar"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).contains("a SCORM package is a .zip file"),
        "{}",
        stderr(&out)
    );
    let out = kenshu(&["package", "scorm", site, "--scorm-version", "3"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("[possible values: 1.2, 2004]"),
        "{}",
        stderr(&out)
    );
    // Bad settings: each at its place in site.toml, nothing written.
    let toml = s.path().join("site.toml");
    let text = std::fs::read_to_string(&toml).unwrap();
    let line = text.lines().count() + 3;
    std::fs::write(&toml, format!("{text}\n[package]\npassing_score = 180\n")).unwrap();
    std::fs::remove_file(&zip).unwrap();
    let out = kenshu(&["package", "scorm", site, "--out", zip.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1));
    let err = stderr(&out);
    assert!(
        err.contains(&format!(
            "site.toml:{line}:1: error: `package.passing_score = 180` is not a percentage"
        )),
        "{err}"
    );
    assert!(err.contains("hint: give a number from 0 to 100"), "{err}");
    std::fs::write(
        &toml,
        format!("{text}\n[package]\nrequired = [\"nope\"]\nexclude = [\"handouts/\"]\n"),
    )
    .unwrap();
    let out = kenshu(&["package", "scorm", site, "--out", zip.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1));
    let err = stderr(&out);
    assert!(
        err.contains(&format!(
            "site.toml:{line}:13: error: [package] required: no exercise has the id `nope`"
        )),
        "{err}"
    );
    assert!(
        err.contains(&format!(
            "site.toml:{}:12: error: [package] exclude: `handouts/` matches no page or file",
            line + 1
        )),
        "{err}"
    );
    assert!(!zip.exists());
}

#[test]
fn package_out_is_never_in_the_sites_sources_and_replaces_a_file_only_with_force() {
    let s = good_site();
    let site = s.path().to_str().unwrap();
    std::fs::create_dir(s.path().join("shared")).unwrap();
    #[cfg(unix)]
    std::os::unix::fs::symlink("../shared", s.path().join("content/shared")).unwrap();
    assert!(build(s.path()).status.success());
    let mut places = vec![
        ("content/c.zip", "inside the site's content"),
        ("theme/c.zip", "inside the site's theme"),
        ("public/c.zip", "inside the site's public, an output folder"),
        ("public/../content/img/c.zip", "inside the site's content"),
    ];
    if cfg!(unix) {
        places.push((
            "shared/c.zip",
            "inside the site's shared, which the site publishes",
        ));
    }
    std::fs::create_dir(s.path().join("theme")).unwrap();
    for (place, want) in places {
        let zip = s.path().join(place);
        let out = kenshu(&[
            "package",
            "scorm",
            site,
            "-o",
            zip.to_str().unwrap(),
            "--force",
        ]);
        assert_eq!(out.status.code(), Some(1), "{place}: {}", stderr(&out));
        let err = stderr(&out);
        assert!(
            err.contains("refusing to write the package here") && err.contains(want),
            "{place}: {err}"
        );
        assert!(!zip.exists(), "{place}");
    }

    // An existing file: kept, unless --force.
    let zip = s.path().join("course.zip");
    std::fs::write(&zip, "my own file").unwrap();
    let out = kenshu(&["package", "scorm", site, "-o", zip.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("course.zip: error: this file exists")
            && stderr(&out).contains("add --force to replace it"),
        "{}",
        stderr(&out)
    );
    assert_eq!(std::fs::read_to_string(&zip).unwrap(), "my own file");
    let out = kenshu(&[
        "package",
        "scorm",
        site,
        "-o",
        zip.to_str().unwrap(),
        "--force",
    ]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(&std::fs::read(&zip).unwrap()[..4], b"PK\x03\x04");
    // The default place, directly in the site folder, is fine.
    let out = kenshu(&["package", "scorm", site]);
    assert!(out.status.success(), "{}", stderr(&out));
}
