//! The `kenshu` binary on hostile or careless site folders (issue #10):
//! symlinks, loops, existing output folders, pathological sizes, every
//! error in one run, no silent wrong output.

use std::path::Path;
use std::process::{Command, Output};
use std::time::Duration;

mod common {
    pub mod run;
}
use common::run::{kenshu_within, s, site_with_home as site, stderr};

fn kenshu(args: &[&str]) -> Output {
    kenshu_within(Duration::from_secs(60), args)
}

/// `file:line:column: error:` lines of the output.
fn error_lines(o: &Output) -> Vec<String> {
    stderr(o)
        .lines()
        .filter(|l| l.contains(": error: "))
        .map(str::to_string)
        .collect()
}

/// Builds `dir` into `dir/public`; asserts failure and returns stderr.
fn build_fails(dir: &Path) -> String {
    let out = kenshu(&["build", s(dir)]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    stderr(&out)
}

// 1. Symlinks never publish files from outside the site.
#[cfg(unix)]
#[test]
fn symlinks_to_outside_the_site_are_errors_in_build_check_and_serve_alike() {
    use std::os::unix::fs::symlink;
    let outside = tempfile::tempdir().unwrap();
    std::fs::write(outside.path().join("passwd"), "root:x:0:0:SECRET").unwrap();
    std::fs::write(outside.path().join("hostname"), "SECRET-HOST").unwrap();
    let d = site(&[]);
    let content = d.path().join("content");
    symlink(outside.path().join("passwd"), content.join("passwd.txt")).unwrap();
    std::fs::create_dir(content.join("lessons")).unwrap();
    symlink(
        outside.path().join("hostname"),
        content.join("lessons/04-host.md"),
    )
    .unwrap();
    symlink(outside.path(), content.join("etcdir")).unwrap();
    let err = build_fails(d.path());
    for link in [
        "content/passwd.txt",
        "content/lessons/04-host.md",
        "content/etcdir",
    ] {
        assert!(
            err.lines()
                .any(|l| l.starts_with(link) && l.contains("outside the site folder")),
            "{link}: {err}"
        );
    }
    assert!(err.contains("hint: kenshu follows links only"), "{err}");
    assert!(!d.path().join("public").exists());
    let check = kenshu(&["check", s(d.path())]);
    assert_eq!(check.status.code(), Some(1));
    assert_eq!(error_lines(&check).len(), 3, "{}", stderr(&check));

    // A link that stays inside the site is followed.
    std::fs::remove_file(content.join("passwd.txt")).unwrap();
    std::fs::remove_file(content.join("lessons/04-host.md")).unwrap();
    std::fs::remove_file(content.join("etcdir")).unwrap();
    std::fs::create_dir(d.path().join("shared")).unwrap();
    std::fs::write(d.path().join("shared/handout.txt"), "配布資料").unwrap();
    symlink("../shared", content.join("shared")).unwrap();
    let out = kenshu(&["build", s(d.path())]);
    assert!(out.status.success(), "{}", stderr(&out));
    let copied = std::fs::read_to_string(d.path().join("public/shared/handout.txt")).unwrap();
    assert_eq!(copied, "配布資料");
}

// 2. Folder loops end at once, with an error per link.
#[cfg(unix)]
#[test]
fn symlink_loops_end_with_errors() {
    use std::os::unix::fs::symlink;
    let d = site(&[("content/images/a.svg", "<svg/>")]);
    symlink(".", d.path().join("content/images/l1")).unwrap();
    symlink(".", d.path().join("content/images/l2")).unwrap();
    symlink("../..", d.path().join("content/images/up")).unwrap();
    for cmd in ["build", "check"] {
        let out = kenshu_within(Duration::from_secs(20), &[cmd, s(d.path())]);
        assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
        let errors = error_lines(&out);
        assert_eq!(errors.len(), 3, "{errors:?}");
        assert!(
            errors[0].starts_with("content/images/l1: error:"),
            "{errors:?}"
        );
        assert!(errors[0].contains("a loop"), "{errors:?}");
    }
}

// 3. `--out` never deletes a folder kenshu did not make.
#[test]
fn out_onto_a_users_folder_is_refused() {
    let d = site(&[]);
    let docs = d.path().join("docs");
    std::fs::create_dir(&docs).unwrap();
    std::fs::write(docs.join("thesis.txt"), "important").unwrap();
    let out = kenshu(&["build", s(d.path()), "--out", s(&docs)]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("exists and was not made by kenshu"),
        "{}",
        stderr(&out)
    );
    assert_eq!(
        std::fs::read_to_string(docs.join("thesis.txt")).unwrap(),
        "important"
    );

    // A file is not an output folder; nothing is left beside it.
    let file = d.path().join("f.txt");
    std::fs::write(&file, "keep").unwrap();
    let out = kenshu(&["build", s(d.path()), "--out", s(&file)]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert_eq!(std::fs::read_to_string(&file).unwrap(), "keep");

    // An empty folder, then kenshu's own folder, are replaced; no leftovers.
    let site_out = d.path().join("site-out");
    std::fs::create_dir(&site_out).unwrap();
    for _ in 0..2 {
        let out = kenshu(&["build", s(d.path()), "--out", s(&site_out)]);
        assert!(out.status.success(), "{}", stderr(&out));
    }
    assert!(site_out.join("index.html").is_file());
    let mut names: Vec<String> = std::fs::read_dir(d.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().to_string())
        .collect();
    names.sort();
    assert_eq!(names, ["content", "docs", "f.txt", "site-out"]);
}

// 5. Large inputs take linear time (bench/adversarial.sh has the figures;
// these sizes took 10 s to minutes before).
#[test]
fn pathological_sizes_build_in_bounded_time() {
    let mut classify =
        String::from("id = \"big\"\nkind = \"classify\"\ntitle = \"大きな演習\"\ncategories = [\n");
    for c in 0..200 {
        classify.push_str(&format!("  {{ id = \"c{c}\", name = \"分類{c}\" }},\n"));
    }
    classify.push_str("]\n");
    for i in 0..4000 {
        classify.push_str(&format!(
            "[[items]]\nid = \"i{i}\"\ntext = \"項目{i}\"\nanswer = \"c{}\"\nexplanation = \"解説\"\n",
            i % 200
        ));
    }
    let same = "## Same\n\ntext\n\n".repeat(8000);
    let mut links = String::new();
    for i in 0..20_000 {
        links.push_str(&format!("## h{i}\n\n[→](#h{})\n\n", 19_999 - i));
    }
    let d = site(&[
        ("content/ex.toml", &classify),
        (
            "content/ex.md",
            "# 演習\n\n{{#exercise big}}\n\n{{#exercise-key}}\n",
        ),
        ("content/same.md", &same),
        ("content/links.md", &links),
    ]);
    let out = kenshu_within(Duration::from_secs(40), &["build", s(d.path())]);
    assert!(out.status.success(), "{}", stderr(&out));
    let same = std::fs::read_to_string(d.path().join("public/same.html")).unwrap();
    assert!(same.contains("id=\"same-7999\""));
    let ex = std::fs::read_to_string(d.path().join("public/ex.html")).unwrap();
    assert!(ex.contains("項目3999"));
}

// 6. Every problem of a TOML file in one run, each with line:column.
#[test]
fn every_toml_problem_in_one_run_with_positions() {
    let err = build_fails(
        site(&[
            (
                "site.toml",
                "title = \"\"\nlanguage = \"ja\\\" onload=x\"\naccent = \"notacolour\"\nbase_url = \"javascript:alert(1)//\"\nlogo = \"nope.svg\"\ncolour = \"red\"\nshow_notes_to_readers = \"yes\"\n",
            ),
            (
                "content/a.md",
                "+++\ntitle = 5\nweight = \"heavy\"\nslides = \"yes\"\n+++\n# A\n",
            ),
        ])
        .path(),
    );
    for want in [
        "site.toml:1:9: error: the title is empty",
        "site.toml:2:12: error: language",
        "site.toml:3:10: error: accent `notacolour` is not a colour",
        "site.toml:4:12: error: base_url `javascript:alert(1)//` is not an absolute http(s) URL",
        "site.toml:5:8: error: logo `nope.svg` not found",
        "site.toml:6:1: error: unknown key `colour`",
        "site.toml:7:25: error: `show_notes_to_readers` must be true or false",
        "content/a.md:2:9: error: `title` must be a string",
        "content/a.md:3:10: error: `weight` must be a whole number",
        "content/a.md:4:10: error: `slides` must be true or false",
    ] {
        assert!(err.contains(want), "missing {want:?} in:\n{err}");
    }
    // Valid CSS hex with alpha is accepted.
    let d = site(&[(
        "site.toml",
        "accent = \"#12345678\"\nlanguage = \"en-GB\"\n",
    )]);
    let out = kenshu(&["build", s(d.path())]);
    assert!(out.status.success(), "{}", stderr(&out));
}

#[test]
fn a_too_long_page_name_names_the_source() {
    let name = format!("content/{}.md", "a".repeat(252));
    let err = build_fails(site(&[(&name, "# 長い\n")]).path());
    assert!(err.contains(&format!("{name}: error:")), "{err}");
    assert!(err.contains("shorten the file name"), "{err}");
    assert!(!err.contains("kenshu-tmp"), "{err}");
}

// 7. No silent wrong output.
#[test]
fn output_collisions_are_errors_naming_both() {
    let err = build_fails(
        site(&[
            ("content/lessons/first.md", "# 一\n"),
            ("content/lessons/first.html", "<p>x</p>"),
            ("content/assets/site.css", "body{}"),
        ])
        .path(),
    );
    for want in [
        "content/lessons/first.md and content/lessons/first.html would both be written to lessons/first.html",
        "the theme's static/site.css and content/assets/site.css would both be written to assets/site.css",
    ] {
        assert!(err.contains(want), "missing {want:?} in:\n{err}");
    }
}

#[test]
fn a_nul_byte_is_an_error_with_its_position() {
    let err = build_fails(site(&[("content/a.md", "# A\n\nab\0c\n")]).path());
    assert!(
        err.contains("content/a.md:3:3: error: the file contains a NUL character"),
        "{err}"
    );
}

#[test]
fn hrefs_to_odd_file_names_are_percent_encoded() {
    let d = site(&[
        (
            "content/index.md",
            "# ホーム\n\n[シャープ](a%23b.md) [百](100%25.md) [半角](x%20y.md)\n",
        ),
        ("content/a#b.md", "# シャープ\n"),
        ("content/100%.md", "# 百\n"),
        ("content/x y.md", "# 半角\n"),
    ]);
    let out = kenshu(&["build", s(d.path())]);
    assert!(out.status.success(), "{}", stderr(&out));
    let home = std::fs::read_to_string(d.path().join("public/index.html")).unwrap();
    for href in [
        "href=\"a%23b.html\"",
        "href=\"100%25.html\"",
        "href=\"x%20y.html\"",
    ] {
        assert!(home.contains(href), "{href} missing in {home}");
    }
    for file in ["a#b.html", "100%.html", "x y.html"] {
        assert!(d.path().join("public").join(file).is_file(), "{file}");
    }
}

// 8. Issue #23: a root that is a link, special files, hidden and output
// targets, and `--out` after resolving.

/// A site folder with `content/index.md` only where `content` is not a link.
#[cfg(unix)]
fn bare_site() -> tempfile::TempDir {
    let d = tempfile::tempdir().unwrap();
    std::fs::write(d.path().join("site.toml"), "title = \"研修\"\n").unwrap();
    d
}

#[cfg(unix)]
#[test]
fn a_linked_content_or_theme_folder_outside_the_site_needs_an_opt_in() {
    use std::os::unix::fs::symlink;
    let private = tempfile::tempdir().unwrap();
    std::fs::write(private.path().join("index.md"), "# 私的\n").unwrap();
    std::fs::write(private.path().join("diary.md"), "# 日記\n\nSECRET\n").unwrap();
    let d = bare_site();
    symlink(private.path(), d.path().join("content")).unwrap();
    for cmd in ["build", "check"] {
        let out = kenshu(&[cmd, s(d.path())]);
        assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
        let errors = error_lines(&out);
        assert_eq!(errors.len(), 1, "{errors:?}");
        assert!(
            errors[0].starts_with("content: error: this folder is a symbolic link to")
                && errors[0].contains("outside the site folder"),
            "{errors:?}"
        );
        assert!(
            stderr(&out).contains("add `allow_content_outside_site = true` to site.toml"),
            "{}",
            stderr(&out)
        );
    }
    assert!(!d.path().join("public").exists());

    // The theme too: its static files would be published.
    let theme = tempfile::tempdir().unwrap();
    std::fs::create_dir(theme.path().join("static")).unwrap();
    std::fs::write(theme.path().join("static/key.css"), "/* SECRET */").unwrap();
    let d = site(&[]);
    symlink(theme.path(), d.path().join("theme")).unwrap();
    let err = build_fails(d.path());
    assert!(
        err.contains("theme: error: this folder is a symbolic link to")
            && err.contains("allow_theme_outside_site = true"),
        "{err}"
    );
    assert!(!d.path().join("public").exists());

    // Opted in, the folder is published, links inside it work.
    let d = bare_site();
    std::fs::write(
        d.path().join("site.toml"),
        "title = \"研修\"\nallow_content_outside_site = true\n",
    )
    .unwrap();
    symlink("diary.md", private.path().join("again.md")).unwrap();
    symlink(private.path(), d.path().join("content")).unwrap();
    let out = kenshu(&["build", s(d.path())]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(d.path().join("public/diary.html").is_file());
    assert!(d.path().join("public/again.html").is_file());

    // A link to a folder inside the site needs nothing; to a hidden one or
    // the output is refused.
    let d = bare_site();
    std::fs::create_dir_all(d.path().join("src/pages")).unwrap();
    std::fs::write(d.path().join("src/pages/index.md"), "# 中\n").unwrap();
    symlink("src/pages", d.path().join("content")).unwrap();
    let out = kenshu(&["build", s(d.path())]);
    assert!(out.status.success(), "{}", stderr(&out));
    std::fs::remove_file(d.path().join("content")).unwrap();
    std::fs::rename(d.path().join("src"), d.path().join(".src")).unwrap();
    symlink(".src/pages", d.path().join("content")).unwrap();
    let err = build_fails(d.path());
    assert!(
        err.contains("content: error: this folder is a symbolic link to `.src/pages`, a hidden"),
        "{err}"
    );
    std::fs::remove_file(d.path().join("content")).unwrap();
    symlink("public", d.path().join("content")).unwrap();
    let out = kenshu(&["check", s(d.path())]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("content: error: this folder is a symbolic link to `public`, inside `public`, an output folder"),
        "{}",
        stderr(&out)
    );
    // build refuses to write its output into what content/ leads to.
    let err = build_fails(d.path());
    assert!(
        err.contains("public: error: refusing to write the site here")
            && err.contains("inside the site's content/, which is a link to"),
        "{err}"
    );
}

/// Makes a named pipe at `path`.
#[cfg(unix)]
fn mkfifo(path: &Path) {
    let ok = Command::new("mkfifo")
        .arg(path)
        .status()
        .expect("run mkfifo");
    assert!(ok.success());
}

#[cfg(unix)]
#[test]
fn named_pipes_and_sockets_are_errors_never_a_hang() {
    use std::os::unix::fs::symlink;
    let d = site(&[
        (
            "content/code.md",
            "# コード\n\n```rust\n{{#include ../pipe.rs}}\n```\n",
        ),
        ("theme/static/ok.css", "p{}"),
    ]);
    let p = d.path();
    mkfifo(&p.join("content/page.md"));
    mkfifo(&p.join("pipe.rs"));
    mkfifo(&p.join("theme/static/extra.css"));
    symlink("../pipe.rs", p.join("content/linked.rs")).unwrap();
    let _socket = std::os::unix::net::UnixListener::bind(p.join("content/s.sock")).unwrap();
    for cmd in ["build", "check"] {
        let out = kenshu_within(Duration::from_secs(30), &[cmd, s(p)]);
        assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
        let err = stderr(&out);
        for want in [
            "content/code.md:4:1: error: cannot read included file `../pipe.rs`: this is a named pipe (FIFO), not a regular file",
            "content/linked.rs: error: symbolic link to `../pipe.rs`, which is a named pipe (FIFO), not a regular file",
            "content/page.md: error: this is a named pipe (FIFO), not a regular file",
            "content/s.sock: error: this is a socket, not a regular file",
            "theme/static/extra.css: error: this is a named pipe (FIFO), not a regular file",
        ] {
            assert!(err.contains(want), "missing {want:?} in:\n{err}");
        }
        assert_eq!(error_lines(&out).len(), 5, "{err}");
    }

    // site.toml as a pipe: an error too.
    let d = site(&[]);
    mkfifo(&d.path().join("site.toml"));
    let out = kenshu_within(Duration::from_secs(30), &["check", s(d.path())]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("site.toml: error: cannot read file: this is a named pipe (FIFO)"),
        "{}",
        stderr(&out)
    );
}

#[cfg(unix)]
#[test]
fn links_to_hidden_files_or_into_the_output_are_refused() {
    use std::os::unix::fs::symlink;
    let d = site(&[
        (".env", "API_KEY=SECRET"),
        (".git/config", "[remote] url = SECRET"),
        ("shared/handout.txt", "配布資料"),
    ]);
    let p = d.path();
    symlink("../.env", p.join("content/env.txt")).unwrap();
    symlink("../.git", p.join("content/git")).unwrap();
    let err = build_fails(p);
    for want in [
        "content/env.txt: error: symbolic link to `../.env`, a hidden file or folder",
        "content/git: error: symbolic link to `../.git`, a hidden file or folder",
        "hint: kenshu never publishes hidden files and folders, not even through a link",
    ] {
        assert!(err.contains(want), "missing {want:?} in:\n{err}");
    }
    assert!(!p.join("public").exists());
    std::fs::remove_file(p.join("content/env.txt")).unwrap();
    std::fs::remove_file(p.join("content/git")).unwrap();

    // The output, linked back into content/, is not published again.
    let out = kenshu(&["build", s(p)]);
    assert!(out.status.success(), "{}", stderr(&out));
    let before = std::fs::read_dir(p.join("public")).unwrap().count();
    symlink("../public", p.join("content/old")).unwrap();
    symlink("../public/index.html", p.join("content/home.html")).unwrap();
    let err = build_fails(p);
    for want in [
        "content/old: error: symbolic link to `../public`, inside `public`, an output folder kenshu wrote",
        "content/home.html: error: symbolic link to `../public/index.html`, inside `public`",
    ] {
        assert!(err.contains(want), "missing {want:?} in:\n{err}");
    }
    assert_eq!(std::fs::read_dir(p.join("public")).unwrap().count(), before);
    assert!(!p.join("public/old").exists());
    std::fs::remove_file(p.join("content/old")).unwrap();
    std::fs::remove_file(p.join("content/home.html")).unwrap();

    // An output written into a folder content/ links to is found by its marker.
    symlink("../shared", p.join("content/shared")).unwrap();
    let gen = p.join("shared/gen");
    let out = kenshu(&["build", s(p), "--out", s(&gen)]);
    assert!(out.status.success(), "{}", stderr(&out));
    let err = build_fails(p);
    assert!(
        err.contains("content/shared/gen: error: this folder holds `.kenshu-output`"),
        "{err}"
    );
}

#[cfg(unix)]
#[test]
fn out_is_compared_after_resolving_links_and_dot_dot() {
    use std::os::unix::fs::symlink;
    let d = site(&[]);
    let p = d.path();
    let sneaky = p.join("public/../content/gen");
    symlink("content", p.join("pages")).unwrap();
    let linked = p.join("pages/gen");
    for out in [&sneaky, &linked] {
        let o = kenshu(&["build", s(p), "--out", s(out)]);
        assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
        let err = stderr(&o);
        assert!(
            err.contains("refusing to write the site here")
                && err.contains("inside the site's content/")
                && err.contains("after following links and `..`"),
            "{err}"
        );
        assert!(!p.join("content/gen").exists());
    }
    let mut names: Vec<String> = std::fs::read_dir(p.join("content"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().to_string())
        .collect();
    names.sort();
    assert_eq!(names, ["index.md"]);
}

#[test]
fn folders_named_like_kenshus_leftovers_are_deleted_only_when_kenshu_made_them() {
    let d = site(&[]);
    let p = d.path();
    for name in [".public.kenshu-tmp", ".public.kenshu-old"] {
        let dir = p.join(name);
        std::fs::create_dir(&dir).unwrap();
        std::fs::write(dir.join("notes.txt"), "大事").unwrap();
        let err = build_fails(p);
        assert!(
            err.contains(&format!("{name}: error: kenshu uses this name for"))
                && err.contains("was not made by kenshu"),
            "{err}"
        );
        assert_eq!(
            std::fs::read_to_string(dir.join("notes.txt")).unwrap(),
            "大事"
        );
        std::fs::remove_dir_all(&dir).unwrap();
    }
    // Its own leftovers (holding the marker) go without a word.
    for name in [".public.kenshu-tmp", ".public.kenshu-old"] {
        let dir = p.join(name);
        std::fs::create_dir_all(dir.join("lessons")).unwrap();
        std::fs::write(dir.join(".kenshu-output"), "").unwrap();
        std::fs::write(dir.join("lessons/a.html"), "x").unwrap();
    }
    let out = kenshu(&["build", s(p)]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(stderr(&out), "");
    let mut names: Vec<String> = std::fs::read_dir(p)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().to_string())
        .collect();
    names.sort();
    assert_eq!(names, ["content", "public"]);
}
