//! `kenshu import pptx` on real decks: the ones tests/fixtures/pptx/make_decks.py
//! builds with python-pptx (pinned in .ci/run), and hostile files made here.
//!
//! Without python-pptx the deck tests are skipped with a message, except on
//! CI (`CI` set), where a missing python-pptx is a failure. The Python is
//! `$KENSHU_PYTHON` (.ci/run points it at its venv) or `python3`.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::sync::OnceLock;

mod common {
    pub mod run;
}
use common::run::{kenshu, snapshot};
/// The browser tests' HTML-as-text reader.
#[path = "../../tests/support/html.rs"]
mod html;

fn text(b: &[u8]) -> String {
    String::from_utf8_lossy(b).into_owned()
}

/// The fixture decks, made once per test run; None (with a message) when
/// python-pptx is missing outside CI.
fn decks() -> Option<&'static Path> {
    static DECKS: OnceLock<Option<PathBuf>> = OnceLock::new();
    DECKS
        .get_or_init(|| {
            let out = Path::new(env!("CARGO_TARGET_TMPDIR"))
                .join(format!("import-pptx-decks-{}", std::process::id()));
            let script =
                Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/fixtures/pptx/make_decks.py");
            let python = std::env::var("KENSHU_PYTHON").unwrap_or_else(|_| "python3".into());
            let run = Command::new(&python).arg(&script).arg(&out).output();
            let on_ci = std::env::var_os("CI").is_some_and(|v| !v.is_empty());
            match run {
                Ok(o) if o.status.success() => Some(out),
                Ok(o) => {
                    let msg = format!(
                        "{} failed: {}{}",
                        script.display(),
                        text(&o.stdout),
                        text(&o.stderr)
                    );
                    if on_ci || o.status.code() != Some(3) {
                        panic!("{msg}");
                    }
                    eprintln!("SKIPPED (python-pptx missing): {msg}");
                    None
                }
                Err(e) => {
                    assert!(!on_ci, "cannot run {python}: {e}");
                    eprintln!(
                        "SKIPPED: cannot run {python} ({e}); install python3 and python-pptx==1.0.2"
                    );
                    None
                }
            }
        })
        .as_deref()
}

fn new_site() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("site.toml"), "title = \"研修\"\n").unwrap();
    std::fs::create_dir_all(dir.path().join("content")).unwrap();
    std::fs::write(dir.path().join("content/index.md"), "# ホーム\n").unwrap();
    dir
}

fn import(deck: &Path, site: &Path, extra: &[&str]) -> Output {
    let mut args = vec![
        "import",
        "pptx",
        deck.to_str().unwrap(),
        "--into",
        site.to_str().unwrap(),
    ];
    args.extend_from_slice(extra);
    kenshu(&args)
}

fn read(p: impl AsRef<Path>) -> String {
    std::fs::read_to_string(p.as_ref()).unwrap_or_else(|e| panic!("{}: {e}", p.as_ref().display()))
}

#[test]
fn a_deck_becomes_a_page_with_its_slides_pictures_and_notes() {
    let Some(decks) = decks() else { return };
    let site = new_site();
    let o = import(&decks.join("basic.pptx"), site.path(), &[]);
    let (out, err) = (text(&o.stdout), text(&o.stderr));
    assert!(o.status.success(), "{out}{err}");
    // The summary.
    assert!(
        out.contains("wrote content/basic.md: 8 slides, 4 pictures")
            || out.contains("wrote content/basic.md: 8 slides, 5 pictures"),
        "{out}"
    );
    assert!(out.contains("3 slides with speaker notes"), "{out}");
    assert!(
        out.contains("left out: slide 8 「隠したスライド」 (hidden in the deck)"),
        "{out}"
    );
    assert!(
        out.contains("dropped: 3 placeholders (slide numbers, footers, dates)"),
        "{out}"
    );
    // What it could not carry, naming the slide.
    assert!(
        err.contains("basic.pptx: warning: slide 4: the picture 「図 JPEG」 has no alt text"),
        "{err}"
    );
    assert!(
        err.contains("slide 7: the SmartArt 「図表 1」 is carried as a nested list"),
        "{err}"
    );

    let page = read(site.path().join("content/basic.md"));
    assert!(
        page.starts_with("+++\ntitle = \"インポートの見本\"\nslides = true\n+++\n"),
        "{page}"
    );
    // Titles → headings, in slide order; the hidden slide left out.
    let headings: Vec<&str> = page.lines().filter(|l| l.starts_with('#')).collect();
    assert_eq!(
        headings,
        [
            "# インポートの見本",
            "## 箇条書きと書式",
            "## テキストボックスとグループ",
            "## 図",
            "## 表 {#slide-5}",
            "## グラフ",
            "## SmartArt",
            "## フッターと空のプレースホルダー",
        ]
    );
    assert!(!page.contains("この本文は出ない"), "{page}");
    // Runs joined without spaces; formatting; nesting; numbering; links.
    assert!(
        page.contains(
            "- 連携は**太字**と*斜体*と<u>下線</u>で書く\n  - 第二階層の項目\n    - 第三階層の項目\n\
             - 詳しくは[用語集](https://example.org/glossary)を見る\n"
        ),
        "{page}"
    );
    assert!(page.contains("1. 番号つき一\n2. 番号つき二\n"), "{page}");
    // A link to another slide leads to its heading; one to a hidden slide
    // keeps its text.
    assert!(
        page.contains("\n[表へ移動](#slide-5)と隠したスライドへ\n"),
        "{page}"
    );
    assert!(page.contains("\n## 表 {#slide-5}\n"), "{page}");
    assert!(
        err.contains("slide 8: links jump to it, but it is not on the page"),
        "{err}"
    );
    assert!(
        page.contains("\n箇条ではない段落H<sub>2</sub>O と x<sup>2</sup>と~~取り消し~~\n"),
        "{page}"
    );
    // Text boxes and a group in visual order, not the order they were added.
    let order = [
        "左上の箱",
        "右上の箱",
        "グループの一番目",
        "グループの二番目",
        "下の箱",
    ];
    let pos: Vec<usize> = order.iter().map(|t| page.find(t).unwrap()).collect();
    assert!(
        pos.windows(2).all(|w| w[0] < w[1]),
        "{order:?} at {pos:?}\n{page}"
    );
    // Pictures with their alt text; the SVG rather than its PNG fallback.
    assert!(
        page.contains("![青い四角（PNG）](basic/image1.png)"),
        "{page}"
    );
    assert!(page.contains("![](basic/image2.jpg)"), "{page}");
    assert!(
        page.contains("![緑の四角（GIF）](basic/image3.gif)"),
        "{page}"
    );
    assert!(
        page.contains("![紺の四角（SVG）](basic/drawing1.svg)"),
        "{page}"
    );
    for f in ["image1.png", "image2.jpg", "image3.gif", "drawing1.svg"] {
        assert!(site.path().join("content/basic").join(f).is_file(), "{f}");
    }
    // EMF: converted when a converter is installed, else kept and reported.
    let on_path = |exe: &str| {
        std::env::var_os("PATH")
            .is_some_and(|p| std::env::split_paths(&p).any(|d| d.join(exe).is_file()))
    };
    if ["inkscape", "soffice", "libreoffice"]
        .iter()
        .any(|e| on_path(e))
    {
        assert!(
            page.contains("![メタファイルの図（EMF）](basic/image90.png)"),
            "{page}"
        );
        let png = std::fs::read(site.path().join("content/basic/image90.png")).unwrap();
        assert!(png.starts_with(b"\x89PNG"), "not a PNG");
    } else {
        assert!(page.contains("図は省略（メタファイルの図（EMF）：EMF 形式のため表示できません。元の図は basic/image90.emf）"), "{page}");
        assert!(site.path().join("content/basic/image90.emf").is_file());
        assert!(
            err.contains("slide 4: the picture 「Picture 6」 is a Windows metafile (EMF)"),
            "{err}"
        );
    }
    // Tables: Markdown when plain (a `|` in a cell escaped), HTML when cells merge.
    assert!(
        page.contains("| 項目 | 内容 |\n| --- | --- |\n| 情報 | 経過と診断 |\n| 判断 | 緊急の基準 \\| 誰が決めるか |\n"),
        "{page}"
    );
    assert!(
        page.contains("<tr><td>支援</td><td colspan=\"2\">同行訪問と引き継ぎ</td></tr>"),
        "{page}"
    );
    // A table without a header row is an HTML table without <thead>.
    assert!(
        page.contains(
            "<table>\n<tbody>\n<tr><td>見出しなし</td><td>一行だけ</td></tr>\n</tbody>\n</table>"
        ),
        "{page}"
    );
    // A chart as its data; SmartArt as a nested list without its transitions.
    assert!(page.contains("**連携の回数**\n\n| | 会議 | 訪問 |\n| --- | ---: | ---: |\n| 2024年 | 12 | 30 |\n| 2025年 | 18 | 41 |\n"), "{page}");
    assert!(
        page.contains("元のスライドの棒グラフを、ファイルに保存されていたデータの表にしました"),
        "{page}"
    );
    assert!(
        page.contains("- 発掘\n- 開拓\n- 連携\n  - 地域の支え手と\n"),
        "{page}"
    );
    assert!(!page.contains("無視"), "{page}");
    // Notes; footers, slide numbers and dates dropped; the empty placeholder too.
    assert!(
        page.contains("> [!講師メモ]\n> 箇条書きのメモ。\n>\n> 二行目のメモ。\n"),
        "{page}"
    );
    assert!(
        page.contains(
            "## フッターと空のプレースホルダー\n\n- 左の本文だけ\n\n> [!講師メモ]\n> 最後のメモ\n"
        ),
        "{page}"
    );
    for gone in ["社外秘フッター", "2026/12/07"] {
        assert!(!page.contains(gone), "{gone} in\n{page}");
    }

    // It builds; the reading page and the deck show what the slides held.
    let b = kenshu(&["build", site.path().to_str().unwrap()]);
    assert!(b.status.success(), "{}{}", text(&b.stdout), text(&b.stderr));
    let html = read(site.path().join("public/basic.html"));
    for want in [
        "<h2 id=\"箇条書きと書式\">",
        "<strong>太字</strong>",
        "<em>斜体</em>",
        "<u>下線</u>",
        "H<sub>2</sub>O と x<sup>2</sup>と<del>取り消し</del>",
        "<img src=\"basic/image1.png\" alt=\"青い四角（PNG）\"",
        "<img src=\"basic/drawing1.svg\" alt=\"紺の四角（SVG）\"",
        "<td colspan=\"2\">同行訪問と引き継ぎ</td>",
        "最後のメモ",
    ] {
        assert!(html.contains(want), "{want} not in basic.html");
    }
    let deck = read(site.path().join("public/basic.slides.html"));
    for title in ["箇条書きと書式", "表", "グラフ", "SmartArt"] {
        assert!(
            deck.contains(&format!("data-title=\"{title}\"")),
            "{title} not a slide"
        );
    }
    assert!(deck.contains("最後のメモ"), "notes not in the deck");
    assert!(
        !deck.contains("この本文は出ない") && !deck.contains("data-title=\"隠したスライド\""),
        "the hidden slide is in the deck"
    );
}

#[test]
fn section_header_slides_become_sections() {
    let Some(decks) = decks() else { return };
    let site = new_site();
    let o = import(
        &decks.join("sections.pptx"),
        site.path(),
        &["--name", "lectures/章"],
    );
    assert!(o.status.success(), "{}", text(&o.stderr));
    let page = read(site.path().join("content/lectures/章.md"));
    assert!(
        page.contains("## 第1章 会議体\n\n<!-- slide -->\n\n### 会議の機能\n\n- プランの適切性協議\n\n## 第2章 具体的支援\n"),
        "{page}"
    );
    let b = kenshu(&["build", site.path().to_str().unwrap()]);
    assert!(b.status.success(), "{}", text(&b.stderr));
    let deck = read(site.path().join("public/lectures/章.slides.html"));
    assert_eq!(
        deck.matches("aria-roledescription=\"slide\"").count(),
        5,
        "one deck slide per slide"
    );
}

/// Headings (`#`/`##`, without `{#id}`) of a page.
fn headings(md: &str) -> Vec<String> {
    md.lines()
        .filter(|l| l.starts_with("# ") || l.starts_with("## "))
        .map(|l| {
            let l = l.split(" {#").next().unwrap_or(l);
            l.replace('\\', "")
        })
        .collect()
}

/// The body rows of the first HTML table: per cell, its text pieces (list
/// items and paragraphs), leaving out the drawn brace `}`.
fn table_rows(md: &str) -> Vec<Vec<Vec<String>>> {
    let body = md
        .split("<tbody>")
        .nth(1)
        .and_then(|b| b.split("</tbody>").next())
        .expect("a table body");
    let mut rows = Vec::new();
    for tr in body.split("<tr").skip(1) {
        let mut cells = Vec::new();
        let mut rest = tr;
        while let Some(i) = rest.find("<td").into_iter().chain(rest.find("<th")).min() {
            let after = &rest[i..];
            let open_end = after.find('>').unwrap() + 1;
            let close = after
                .find("</td>")
                .into_iter()
                .chain(after.find("</th>"))
                .min()
                .unwrap();
            cells.push(pieces(&after[open_end..close]));
            rest = &after[close + 5..];
        }
        rows.push(cells);
    }
    rows
}

fn pieces(html: &str) -> Vec<String> {
    let mut s = String::new();
    let mut rest = html;
    while let Some(i) = rest.find('<') {
        s.push_str(&rest[..i]);
        let end = rest[i..].find('>').map(|e| i + e + 1).unwrap_or(rest.len());
        let tag = rest[i + 1..end - 1].trim_start_matches('/');
        let name: String = tag
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric())
            .collect();
        if ["li", "p", "br", "span", "div", "ul", "ol"].contains(&name.as_str()) {
            s.push('\n');
        }
        rest = &rest[end..];
    }
    s.push_str(rest);
    s.split('\n')
        .map(|p| p.trim().to_string())
        .filter(|p| !p.is_empty() && p != "}")
        .collect()
}

#[test]
fn lecture_two_as_a_deck_imports_to_the_course_page_headings_and_table() {
    let Some(decks) = decks() else { return };
    let site = new_site();
    let o = import(
        &decks.join("jissen.pptx"),
        site.path(),
        &["--name", "lectures/02-jissen"],
    );
    assert!(o.status.success(), "{}", text(&o.stderr));
    assert!(
        text(&o.stdout).contains("wrote content/lectures/02-jissen.md: 11 slides, 0 pictures, 3 slides with speaker notes, 1 table"),
        "{}",
        text(&o.stdout)
    );
    let imported = read(site.path().join("content/lectures/02-jissen.md"));
    let course =
        read(Path::new(env!("CARGO_MANIFEST_DIR")).join("../content/lectures/02-jissen.md"));
    assert_eq!(headings(&imported), headings(&course));
    let (got, want) = (table_rows(&imported), table_rows(&course));
    assert_eq!(got.len(), 4);
    assert_eq!(got, want);
    // 備考, the last column, row by row.
    let remarks: Vec<&Vec<String>> = got.iter().map(|r| &r[3]).collect();
    assert_eq!(remarks[0][0], "(共有を前提とする項目)");
    assert_eq!(remarks[2].last().map(String::as_str), Some("根拠"));
    // The points slide's notes are the course's first 講師メモ line there.
    let note = "この表が講義のまとめの道具であることを伝え、4つの項目を上から順に読み上げる。";
    assert!(
        imported.contains(&format!("> [!講師メモ]\n> {note}\n")),
        "{imported}"
    );
    assert!(course.contains(note));

    let b = kenshu(&["build", site.path().to_str().unwrap()]);
    assert!(b.status.success(), "{}", text(&b.stderr));
    let html = read(site.path().join("public/lectures/jissen.html"));
    assert!(
        html.contains("<h2 id=\"連携する際のポイント整理\">"),
        "no points heading"
    );
    assert!(
        html.contains("<li>③資源把握と開発に向けた検討</li>"),
        "no list in a cell"
    );
    let deck = read(site.path().join("public/lectures/jissen.slides.html"));
    assert!(deck.contains("data-title=\"連携する際のポイント整理\""));
    assert!(deck.contains(note), "notes not in the deck");
}

#[test]
fn an_edited_page_is_not_replaced_without_force() {
    let Some(decks) = decks() else { return };
    let site = new_site();
    let deck = decks.join("basic.pptx");
    assert!(import(&deck, site.path(), &[]).status.success());
    // Unchanged: a second import replaces it and says so.
    let o = import(&deck, site.path(), &[]);
    assert!(o.status.success(), "{}", text(&o.stderr));
    assert!(
        text(&o.stdout).contains("replaced content/basic.md"),
        "{}",
        text(&o.stdout)
    );
    // Edited page and picture: refused, naming both; nothing changes.
    let page = site.path().join("content/basic.md");
    std::fs::write(&page, read(&page) + "\n講師が書き足した段落\n").unwrap();
    std::fs::write(site.path().join("content/basic/image1.png"), b"edited").unwrap();
    let before = snapshot(site.path());
    let o = import(&deck, site.path(), &[]);
    let err = text(&o.stderr);
    assert_eq!(o.status.code(), Some(1), "{err}");
    assert!(
        err.contains(
            "content/basic.md: error: was edited since the last import; it is not replaced"
        ),
        "{err}"
    );
    assert!(
        err.contains("content/basic/image1.png: error: was edited since the last import"),
        "{err}"
    );
    assert!(err.contains("--force"), "{err}");
    assert!(
        err.contains("error: 2 problems found; nothing was written"),
        "{err}"
    );
    assert_eq!(snapshot(site.path()), before);
    // --force replaces them.
    let o = import(&deck, site.path(), &["--force"]);
    assert!(o.status.success(), "{}", text(&o.stderr));
    assert!(!read(&page).contains("講師が書き足した段落"));
    // A page kenshu import did not write is never replaced without --force.
    let o = import(&deck, site.path(), &["--name", "index"]);
    assert_eq!(o.status.code(), Some(1));
    assert!(
        text(&o.stderr)
            .contains("content/index.md: error: exists and was not written by `kenshu import`"),
        "{}",
        text(&o.stderr)
    );
    assert_eq!(read(site.path().join("content/index.md")), "# ホーム\n");
}

#[test]
fn missing_and_linked_pictures_are_reported_by_slide() {
    let Some(decks) = decks() else { return };
    let site = new_site();
    let o = import(&decks.join("damaged.pptx"), site.path(), &[]);
    let err = text(&o.stderr);
    assert!(o.status.success(), "{err}");
    assert!(err.contains("damaged.pptx: warning: slide 2: the picture 「Picture 2」's file ppt/media/image1.png is missing from the deck"), "{err}");
    assert!(err.contains("damaged.pptx: warning: slide 3: the picture 「Picture 2」 is linked to an outside file (http://example.org/figure.png), not embedded; kenshu does not fetch it"), "{err}");
    let page = read(site.path().join("content/damaged.md"));
    assert!(
        page.contains(
            "<p class=\"figure-omitted\">図は省略（消えた図：元の図がファイルにありません）</p>"
        ),
        "{page}"
    );
    assert!(
        page.contains("図は省略（外部ファイル http://example.org/figure.png へのリンク）"),
        "{page}"
    );
    let b = kenshu(&["build", site.path().to_str().unwrap()]);
    assert!(b.status.success(), "{}", text(&b.stderr));
}

/// A bad file: exit 1, the message, and the site exactly as it was.
fn refused(bytes: &[u8], want: &str) {
    let site = new_site();
    let deck = site.path().join("deck.pptx");
    std::fs::write(&deck, bytes).unwrap();
    let before = snapshot(site.path());
    let o = import(&deck, site.path(), &[]);
    let err = text(&o.stderr);
    assert_eq!(o.status.code(), Some(1), "{err}");
    assert!(err.contains(want), "wanted {want:?} in\n{err}");
    assert!(err.contains("nothing was written"), "{err}");
    assert!(!err.contains("panicked"), "{err}");
    assert_eq!(snapshot(site.path()), before, "the site changed");
}

fn utf16(s: &str) -> Vec<u8> {
    s.encode_utf16().flat_map(|u| u.to_le_bytes()).collect()
}

const OLE: [u8; 8] = [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];

#[test]
fn a_legacy_ppt_is_named_with_how_to_convert_it() {
    let mut b = OLE.to_vec();
    b.extend(vec![0; 500]);
    b.extend(utf16("PowerPoint Document"));
    refused(
        &b,
        "this is a PowerPoint 97–2003 file (.ppt, an OLE compound file), not a .pptx",
    );
    refused(&b, "soffice --headless --convert-to pptx DECK.ppt");
}

#[test]
fn a_password_protected_deck_is_named() {
    let mut b = OLE.to_vec();
    b.extend(vec![0; 500]);
    b.extend(utf16("EncryptionInfo"));
    b.extend(utf16("EncryptedPackage"));
    refused(
        &b,
        "this deck is password-protected (encrypted); kenshu cannot read it",
    );
}

#[test]
fn corrupt_and_foreign_files_are_refused() {
    refused(b"not a deck at all", "this is not a .pptx file");
    refused(b"", "this is not a .pptx file");
    // A zip cut short: its directory is gone.
    let mut z = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    z.start_file(
        "ppt/presentation.xml",
        zip::write::SimpleFileOptions::default(),
    )
    .unwrap();
    z.write_all(&[b'x'; 5000]).unwrap();
    let whole = z.finish().unwrap().into_inner();
    refused(
        &whole[..whole.len() / 2],
        "the file is damaged: its zip structure cannot be read",
    );
    // A zip that is not a presentation (a Word document, say).
    let mut z = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    z.start_file(
        "word/document.xml",
        zip::write::SimpleFileOptions::default(),
    )
    .unwrap();
    z.write_all(b"<w:document/>").unwrap();
    refused(
        &z.finish().unwrap().into_inner(),
        "this zip is not a PowerPoint deck",
    );
    // Broken XML in the presentation part.
    let mut z = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    z.start_file(
        "ppt/presentation.xml",
        zip::write::SimpleFileOptions::default(),
    )
    .unwrap();
    z.write_all(b"<p:presentation><unclosed>").unwrap();
    refused(
        &z.finish().unwrap().into_inner(),
        "the part ppt/presentation.xml is not well-formed XML",
    );
    // An XML bomb (entities) is refused before any expansion.
    let mut z = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    z.start_file(
        "ppt/presentation.xml",
        zip::write::SimpleFileOptions::default(),
    )
    .unwrap();
    z.write_all(b"<?xml version=\"1.0\"?><!DOCTYPE l [<!ENTITY a \"aaaaaaaaaa\"><!ENTITY b \"&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;\">]><p>&b;</p>").unwrap();
    refused(
        &z.finish().unwrap().into_inner(),
        "the part ppt/presentation.xml is not well-formed XML",
    );
}

#[test]
fn a_zip_bomb_is_refused_before_it_is_unpacked() {
    // 64 MB of zeros compress to about 64 KB: 1000:1.
    let mut z = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    z.start_file(
        "ppt/presentation.xml",
        zip::write::SimpleFileOptions::default(),
    )
    .unwrap();
    let zeros = vec![0u8; 1 << 20];
    for _ in 0..64 {
        z.write_all(&zeros).unwrap();
    }
    let bomb = z.finish().unwrap().into_inner();
    assert!(bomb.len() < 1 << 20);
    refused(&bomb, "the part ppt/presentation.xml is compressed");
    refused(&bomb, "it is refused as a possible zip bomb");
    // Too many entries.
    let mut z = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    for i in 0..10_001 {
        z.start_file(
            format!("ppt/x{i}.xml"),
            zip::write::SimpleFileOptions::default(),
        )
        .unwrap();
    }
    refused(
        &z.finish().unwrap().into_inner(),
        "the file holds 10001 entries, more than the 10000 a deck may hold",
    );
}

#[test]
fn limits_on_unpacked_size_and_entries_are_kept() {
    let Some(decks) = decks() else { return };
    let site = new_site();
    let opts = |limits| kenshu::import::Options {
        deck: decks.join("basic.pptx"),
        site: site.path().to_path_buf(),
        name: None,
        force: false,
        limits,
        convert_metafiles: false,
    };
    // Just over the file's own size: the parts unpack to more.
    let size = std::fs::metadata(decks.join("basic.pptx")).unwrap().len();
    let small = kenshu::import::Limits {
        total_bytes: size + 1,
        ..Default::default()
    };
    let e = kenshu::import::pptx(&opts(small)).unwrap_err();
    assert!(
        e[0].message
            .contains("a deck may have; it is refused as a possible zip bomb"),
        "{}",
        e[0]
    );
    let few = kenshu::import::Limits {
        entries: 5,
        ..Default::default()
    };
    let e = kenshu::import::pptx(&opts(few)).unwrap_err();
    assert!(
        e[0].message.contains("more than the 5 a deck may hold"),
        "{}",
        e[0]
    );
    assert!(!site.path().join("content/basic.md").exists());
}

/// A deck with one byte changed at each of many places, and cut at many
/// lengths: every import ends in a page or an error, never a panic.
#[test]
fn damaged_bytes_never_panic() {
    let Some(decks) = decks() else { return };
    let good = std::fs::read(decks.join("basic.pptx")).unwrap();
    let site = new_site();
    let deck = site.path().join("mutated.pptx");
    let mut outcomes = (0, 0);
    let mut x: u64 = 0x9E37_79B9_7F4A_7C15;
    for i in 0..120 {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        let mut b = good.clone();
        if i % 4 == 0 {
            b.truncate((x as usize) % good.len());
        } else {
            let at = (x as usize) % b.len();
            b[at] ^= (x >> 32) as u8 | 1;
        }
        std::fs::write(&deck, &b).unwrap();
        let r = kenshu::import::pptx(&kenshu::import::Options {
            deck: deck.clone(),
            site: site.path().to_path_buf(),
            name: Some("mutated".into()),
            force: true,
            limits: kenshu::import::Limits::default(),
            convert_metafiles: false,
        });
        match r {
            Ok(_) => outcomes.0 += 1,
            Err(e) => {
                assert!(!e.is_empty());
                outcomes.1 += 1;
            }
        }
    }
    assert!(outcomes.1 > 0, "no mutation was refused: {outcomes:?}");
}

/// Groups nested far deeper than PowerPoint ever writes them.
#[test]
fn deeply_nested_groups_do_not_exhaust_the_stack() {
    let mut slide = String::from(
        "<p:sld xmlns:p=\"http://schemas.openxmlformats.org/presentationml/2006/main\" \
         xmlns:a=\"http://schemas.openxmlformats.org/drawingml/2006/main\"><p:cSld><p:spTree>",
    );
    for _ in 0..20_000 {
        slide.push_str("<p:grpSp>");
    }
    for _ in 0..20_000 {
        slide.push_str("</p:grpSp>");
    }
    slide.push_str("</p:spTree></p:cSld></p:sld>");
    let opts = zip::write::SimpleFileOptions::default();
    let mut z = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    z.start_file("_rels/.rels", opts).unwrap();
    z.write_all(b"<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\"><Relationship Id=\"rId1\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument\" Target=\"ppt/presentation.xml\"/></Relationships>").unwrap();
    z.start_file("ppt/presentation.xml", opts).unwrap();
    z.write_all(b"<p:presentation xmlns:p=\"http://schemas.openxmlformats.org/presentationml/2006/main\" xmlns:r=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships\"><p:sldIdLst><p:sldId id=\"256\" r:id=\"rId2\"/></p:sldIdLst></p:presentation>").unwrap();
    z.start_file("ppt/_rels/presentation.xml.rels", opts)
        .unwrap();
    z.write_all(b"<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\"><Relationship Id=\"rId2\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/slide\" Target=\"slides/slide1.xml\"/></Relationships>").unwrap();
    z.start_file("ppt/slides/slide1.xml", opts).unwrap();
    z.write_all(slide.as_bytes()).unwrap();
    let site = new_site();
    let deck = site.path().join("deep.pptx");
    std::fs::write(&deck, z.finish().unwrap().into_inner()).unwrap();
    let o = import(&deck, site.path(), &[]);
    let err = text(&o.stderr);
    assert!(
        !err.contains("overflow") && !err.contains("panicked"),
        "{err}"
    );
    assert!(
        o.status.success() || err.contains("nothing was written"),
        "{err}"
    );
}

/// `--force` replaces what an import wrote, never other files: a page
/// named like a folder of the site's pages cannot delete that folder.
#[test]
fn force_never_deletes_files_the_import_did_not_write() {
    let Some(decks) = decks() else { return };
    let site = new_site();
    let lessons = site.path().join("content/lessons");
    std::fs::create_dir_all(&lessons).unwrap();
    std::fs::write(lessons.join("01-first.md"), "# 第1回\n").unwrap();
    let before = snapshot(site.path());
    let o = import(
        &decks.join("basic.pptx"),
        site.path(),
        &["--name", "lessons", "--force"],
    );
    let err = text(&o.stderr);
    assert_eq!(o.status.code(), Some(1), "{err}");
    assert!(
        err.contains("content/lessons/01-first.md: error: is in the pictures' folder of the page but was not written by `kenshu import`; it is not deleted, even with --force"),
        "{err}"
    );
    assert_eq!(snapshot(site.path()), before);
    // A picture added beside imported ones is kept the same way.
    assert!(import(&decks.join("basic.pptx"), site.path(), &[])
        .status
        .success());
    std::fs::write(site.path().join("content/basic/mine.png"), b"mine").unwrap();
    let o = import(&decks.join("basic.pptx"), site.path(), &["--force"]);
    assert_eq!(o.status.code(), Some(1));
    assert!(
        text(&o.stderr).contains("content/basic/mine.png: error: is in the pictures' folder"),
        "{}",
        text(&o.stderr)
    );
    assert_eq!(read(site.path().join("content/basic/mine.png")), "mine");
}

fn on_path(exe: &str) -> Option<PathBuf> {
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path)
        .map(|d| d.join(exe))
        .find(|p| p.is_file())
}

/// The text of an HTML fragment: tags dropped, entities decoded, all
/// whitespace removed (PDF text is broken into lines anywhere).
fn squeezed_text(html: &str) -> String {
    html::html_text(html)
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect()
}

/// Where LibreOffice is installed: the source deck rendered to PDF by
/// LibreOffice, page by page, and the imported deck slide by slide — every
/// line of a page's text appears on the deck slide with that page's title
/// (or its continuations).
#[test]
fn libreoffice_pdf_text_appears_on_the_matching_deck_slide() {
    let Some(decks) = decks() else { return };
    let (Some(soffice), Some(pdftotext)) = (
        on_path("soffice").or_else(|| on_path("libreoffice")),
        on_path("pdftotext"),
    ) else {
        eprintln!("SKIPPED: needs LibreOffice (soffice) and pdftotext (poppler-utils)");
        return;
    };
    let work = tempfile::tempdir().unwrap();
    let mut checked = 0;
    for name in ["jissen", "sections"] {
        let deck = decks.join(format!("{name}.pptx"));
        let o = Command::new(&soffice)
            .arg(format!(
                "-env:UserInstallation=file://{}",
                work.path().join("profile").display()
            ))
            .args(["--headless", "--convert-to", "pdf", "--outdir"])
            .arg(work.path())
            .arg(&deck)
            .output()
            .unwrap();
        let pdf = work.path().join(format!("{name}.pdf"));
        assert!(pdf.is_file(), "soffice wrote no PDF: {}", text(&o.stderr));
        let o = Command::new(&pdftotext)
            .arg(&pdf)
            .arg("-")
            .output()
            .unwrap();
        let pages: Vec<String> = text(&o.stdout)
            .split('\u{c}')
            .map(str::to_string)
            .filter(|p| !p.trim().is_empty())
            .collect();

        let site = new_site();
        assert!(import(&deck, site.path(), &["--name", name])
            .status
            .success());
        let b = kenshu(&["build", site.path().to_str().unwrap()]);
        assert!(b.status.success(), "{}", text(&b.stderr));
        let html = read(site.path().join(format!("public/{name}.slides.html")));
        // Deck slides: (title, text).
        let slides: Vec<(String, String)> = html
            .split("class=\"slide-frame\"")
            .skip(1)
            .map(|s| {
                let title = s
                    .split("data-title=\"")
                    .nth(1)
                    .and_then(|t| t.split('"').next())
                    .unwrap_or("")
                    .replace("&amp;", "&");
                (squeezed_text(&title), squeezed_text(s))
            })
            .collect();
        let titles: Vec<&String> = slides.iter().map(|s| &s.0).collect();
        assert_eq!(
            pages.len(),
            slides.iter().filter(|s| !s.0.ends_with("（続き）")).count(),
            "{name}: PDF pages vs deck slides {titles:?}"
        );
        let mut next = 0;
        for (n, page) in pages.iter().enumerate() {
            // The page's deck slide: the next one whose title starts the page.
            let flat: String = page.chars().filter(|c| !c.is_whitespace()).collect();
            let (i, (title, _)) = slides
                .iter()
                .enumerate()
                .skip(next)
                .find(|(_, (t, _))| !t.ends_with("（続き）") && flat.starts_with(t.as_str()))
                .unwrap_or_else(|| {
                    panic!(
                        "{name}: page {} ({flat}) has no deck slide after {next}: {titles:?}",
                        n + 1
                    )
                });
            next = i + 1;
            let cont = format!("{title}（続き）");
            let on_deck: String = slides[i..]
                .iter()
                .take_while(|(t, _)| t == title || *t == cont)
                .map(|(_, s)| s.as_str())
                .collect();
            for line in page.lines() {
                let line: String = line
                    .trim_start_matches(['•', '◦', '▪', '–', '-'])
                    .chars()
                    .filter(|c| !c.is_whitespace())
                    .collect();
                // Numbers of numbered lists are drawn by CSS on the deck.
                let line = line.trim_start_matches(|c: char| c.is_ascii_digit());
                let line = line.strip_prefix('.').unwrap_or(line);
                if line.is_empty() {
                    continue;
                }
                checked += 1;
                assert!(
                    on_deck.contains(line),
                    "{name}: page {} line {line:?} is not on deck slide {title:?}",
                    n + 1
                );
            }
        }
    }
    // Every page of both decks, the points table's cells included.
    assert!(checked > 60, "only {checked} lines compared");
}

#[test]
fn help_explains_the_command() {
    for args in [
        vec!["import", "pptx", "--help"],
        vec!["help", "import", "pptx"],
    ] {
        let o = kenshu(&args);
        let out = text(&o.stdout);
        assert_eq!(o.status.code(), Some(0), "{args:?}");
        for want in [
            "Import a PowerPoint deck",
            "--into <SITE>",
            "--name <NAME>",
            "--force",
            "Examples:",
            "soffice --headless --convert-to pptx DECK.ppt",
        ] {
            assert!(out.contains(want), "{args:?}: no {want:?} in\n{out}");
        }
    }
    let top = text(&kenshu(&["--help"]).stdout);
    assert!(top.contains("import"), "{top}");
    // A missing deck argument is a usage error (status 2).
    let o = kenshu(&["import", "pptx"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        text(&o.stderr).contains("<DECK.pptx>"),
        "{}",
        text(&o.stderr)
    );
}
