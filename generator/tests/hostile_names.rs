//! Names and titles an author (or a downloaded course) may bring that must
//! not turn into script or broken files (issue #23, items 5 and 6): page
//! files named like URL schemes, exercise titles with markup in the SCORM
//! launch page, control characters in the title that goes into
//! `imsmanifest.xml`.

use std::io::Read;
use std::path::Path;
use std::process::{Command, Output, Stdio};

fn kenshu(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_kenshu"))
        .args(args)
        .stdin(Stdio::null())
        .output()
        .expect("run kenshu")
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).to_string()
}

fn write(root: &Path, files: &[(&str, &str)]) {
    for (path, contents) in files {
        let p = root.join(path);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, contents).unwrap();
    }
}

const CHOICE: &str = r#"id = "q1"
kind = "choice"
title = "<!--<script>"
[[questions]]
id = "a"
text = "問"
explanation = "説明"
[[questions.options]]
id = "x"
text = "はい"
correct = true
feedback = "正解"
[[questions.options]]
id = "y"
text = "いいえ"
feedback = "不正解"
"#;

/// A site with pages named like URL schemes, one of them with slides and
/// an exercise whose title is markup.
fn schemey_site() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        &[
            (
                "site.toml",
                "title = \"研修\"\nbase_url = \"https://example.org/k/\"\n",
            ),
            (
                "content/index.md",
                "# ホーム\n\n[注](./note:intro.md) [注2](note:intro.md#n) [外](mailto:a@example.org)\n",
            ),
            (
                "content/javascript:alert(1).md",
                "+++\nslides = true\n+++\n# J\n\n## 一\n\n{{#exercise q1}}\n",
            ),
            ("content/note:intro.md", "# N\n"),
            ("content/sub/x.md", "# S\n\n[n](../note:intro.md)\n"),
            ("content/q1.toml", CHOICE),
        ],
    );
    dir
}

/// Every output file's text.
fn texts(root: &Path) -> Vec<(String, String)> {
    let mut out = Vec::new();
    let mut stack = vec![root.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                stack.push(p);
            } else if let Ok(t) = std::fs::read_to_string(&p) {
                out.push((p.display().to_string(), t));
            }
        }
    }
    out
}

/// Places where `text` is used as a URL that starts with `scheme`: an
/// attribute, a sitemap `<loc>`, a JSON string (search index, exercise
/// data), a SCORM `<file href>`.
fn scheme_uses(text: &str, scheme: &str) -> Vec<String> {
    let mut found = Vec::new();
    for (at, _) in text.match_indices(scheme) {
        let before = &text[..at];
        let ctx = &text[before.len().saturating_sub(24)..(at + 30).min(text.len())];
        // The deck's own id (a storage key, never followed) is not a URL.
        if before.ends_with("data-deck=\"") {
            continue;
        }
        if before.ends_with('"') || before.ends_with('\'') || before.ends_with('>') {
            found.push(ctx.to_string());
        }
    }
    found
}

#[test]
fn page_files_named_like_url_schemes_never_become_schemes() {
    let d = schemey_site();
    let out = kenshu(&["build", d.path().to_str().unwrap()]);
    assert!(out.status.success(), "{}", stderr(&out));
    let public = d.path().join("public");
    let home = std::fs::read_to_string(public.join("index.html")).unwrap();
    // Sidebar and the link in the text: a relative path, `:` encoded.
    assert!(
        home.contains("href=\"javascript%3Aalert(1).html\""),
        "{home}"
    );
    assert!(home.contains("href=\"note%3Aintro.html\""), "{home}");
    // A link written `note:intro.md` names the page beside it, as a file
    // (a `note:` URL before); a real scheme stays a URL.
    assert!(home.contains("href=\"note%3Aintro.html#n\""), "{home}");
    assert!(home.contains("href=\"mailto:a@example.org\""), "{home}");
    let sub = std::fs::read_to_string(public.join("sub/x.html")).unwrap();
    assert!(sub.contains("href=\"../note%3Aintro.html\""), "{sub}");
    let page = std::fs::read_to_string(public.join("javascript:alert(1).html")).unwrap();
    assert!(
        page.contains("href=\"javascript%3Aalert(1).slides.html\""),
        "{page}"
    );
    let sitemap = std::fs::read_to_string(public.join("sitemap.xml")).unwrap();
    assert!(
        sitemap.contains("<loc>https://example.org/k/javascript%3Aalert(1).html</loc>"),
        "{sitemap}"
    );
    let mut bad = Vec::new();
    for (file, text) in texts(&public) {
        for scheme in ["javascript:", "note:"] {
            bad.extend(
                scheme_uses(&text, scheme)
                    .into_iter()
                    .map(|c| format!("{file}: …{c}…")),
            );
        }
    }
    assert!(bad.is_empty(), "URLs read as a scheme:\n{}", bad.join("\n"));
    // The files are where the encoded links lead.
    assert!(public.join("javascript:alert(1).html").is_file());
    assert!(public.join("note:intro.html").is_file());
}

fn unzip(zip: &Path) -> Vec<(String, String)> {
    let mut archive = zip::ZipArchive::new(std::fs::File::open(zip).unwrap()).unwrap();
    let mut files = Vec::new();
    for i in 0..archive.len() {
        let mut f = archive.by_index(i).unwrap();
        let mut text = String::new();
        if f.read_to_string(&mut text).is_ok() {
            files.push((f.name().unwrap().to_string(), text));
        }
    }
    files
}

/// `xmllint --noout`: the document is well-formed XML.
fn well_formed(xml: &str) -> Result<(), String> {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("imsmanifest.xml");
    std::fs::write(&file, xml).unwrap();
    let out = Command::new("xmllint")
        .arg("--noout")
        .arg("--nonet")
        .arg(&file)
        .output()
        .expect("cannot run xmllint; install Debian's libxml2-utils (bash .ci/run does)");
    if out.status.success() {
        Ok(())
    } else {
        Err(String::from_utf8_lossy(&out.stderr).to_string())
    }
}

#[test]
fn the_scorm_package_of_such_a_site_is_safe_and_well_formed() {
    let d = schemey_site();
    let zip = d.path().join("out.zip");
    let out = kenshu(&[
        "package",
        "scorm",
        d.path().to_str().unwrap(),
        "-o",
        zip.to_str().unwrap(),
    ]);
    assert!(out.status.success(), "{}", stderr(&out));
    let files = unzip(&zip);
    let get = |name: &str| {
        files
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, t)| t.clone())
            .unwrap_or_else(|| panic!("{name} not in the package"))
    };
    let manifest = get("imsmanifest.xml");
    well_formed(&manifest).unwrap();
    assert!(
        manifest.contains("<file href=\"javascript%3Aalert(1).html\"/>"),
        "{manifest}"
    );
    assert!(
        scheme_uses(&manifest, "javascript:").is_empty(),
        "{manifest}"
    );
    // The launch page: the exercise title `<!--<script>` stays inside its
    // JSON string; the frame and the runtime after it are still elements.
    let launch = get("scorm.html");
    let start = launch.find("id=\"kenshu-scorm\">").unwrap() + "id=\"kenshu-scorm\">".len();
    let end = start + launch[start..].find("</script>").unwrap();
    let json = &launch[start..end];
    assert!(
        !json.contains('<'),
        "markup in the launch page's JSON: {json}"
    );
    let data: serde_json::Value = serde_json::from_str(json).unwrap();
    assert_eq!(data["exercises"][0]["title"], "<!--<script>");
    let after = &launch[end..];
    assert!(
        after.contains("<iframe id=\"kenshu-site\"")
            && after.contains("<script src=\"assets/scorm.js\"></script>"),
        "{launch}"
    );
}

#[test]
fn a_control_character_in_the_title_is_an_error_at_its_place() {
    let d = schemey_site();
    write(
        d.path(),
        &[(
            "site.toml",
            "language = \"ja\"\ntitle = \"研修\\u0007講座\"\n",
        )],
    );
    let zip = d.path().join("out.zip");
    let out = kenshu(&[
        "package",
        "scorm",
        d.path().to_str().unwrap(),
        "-o",
        zip.to_str().unwrap(),
    ]);
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(
        err.contains("site.toml:2:9: error: the title contains a control character (U+0007)"),
        "{err}"
    );
    assert!(!zip.exists());
}

#[cfg(unix)]
#[test]
fn a_control_character_in_the_folder_name_is_an_error_naming_site_toml() {
    let outer = tempfile::tempdir().unwrap();
    let site = outer.path().join("研修\u{7}");
    write(&site, &[("content/index.md", "# ホーム\n")]);
    let zip = outer.path().join("out.zip");
    let out = kenshu(&[
        "package",
        "scorm",
        site.to_str().unwrap(),
        "-o",
        zip.to_str().unwrap(),
    ]);
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(err.contains("taken from the folder name"), "{err}");
    assert!(err.contains("set `title = \"…\"` in site.toml"), "{err}");
}

/// The manifest itself drops what XML cannot hold, whoever calls it.
#[test]
fn the_manifest_is_well_formed_whatever_the_title() {
    let d = schemey_site();
    let mut site = kenshu::load::load(d.path()).expect("load");
    site.config.title = (0u8..0x20)
        .map(char::from)
        .chain(['\u{7f}', '\u{85}', '\u{fffe}', '\u{ffff}', '研'])
        .collect();
    for version in [
        kenshu::package::Version::V2004,
        kenshu::package::Version::V1_2,
    ] {
        let xml = kenshu::package::scorm::manifest(&site, version, "kenshu", &["a b.html".into()]);
        well_formed(&xml).unwrap_or_else(|e| panic!("{e}\n{xml}"));
        assert!(xml.contains("研</title>"), "{xml}");
    }
}
