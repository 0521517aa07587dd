//! `kenshu report` on a folder of generated 学習の記録 files: exact counts,
//! what is left out, a malformed file, a hostile name.

use std::process::Command;

mod common {
    pub mod report_records;
}

use common::report_records::{write_records, SITE};

#[test]
fn report_counts_a_folder_of_records() {
    let dir = tempfile::tempdir().unwrap();
    let site_dir = dir.path().join("site");
    for (path, text) in SITE {
        let p = site_dir.join(path);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, text).unwrap();
    }
    let site = kenshu::load::load(&site_dir).unwrap();
    let data = kenshu::report::SiteData::of(&site);
    let records = dir.path().join("records");
    std::fs::create_dir_all(&records).unwrap();
    write_records(&site_dir, &records);

    let out = dir.path().join("report.html");
    let run = Command::new(env!("CARGO_BIN_EXE_kenshu"))
        .args([
            "report".as_ref(),
            records.as_os_str(),
            "--site".as_ref(),
            site_dir.as_os_str(),
            "-o".as_ref(),
            out.as_os_str(),
        ])
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&run.stderr);
    assert_eq!(run.status.code(), Some(1), "{stderr}");
    let r09 = records.join("r09.json").display().to_string();
    assert!(stderr.contains(&format!("{r09}:2:")), "{stderr}");
    assert!(stderr.contains("not valid JSON"), "{stderr}");
    let html = std::fs::read_to_string(&out).unwrap();
    let has = |s: &str| assert!(html.contains(s), "missing {s} in\n{html}");
    has("集計した記録 <strong data-count=\"included\">7</strong> 件、除外 <strong data-count=\"left-out\">3</strong> 件、読めなかったファイル <strong data-count=\"rejected\">1</strong> 件");
    has("<tr data-item=\"i1\"><td>会議で話す</td><td class=\"n\">6</td><td class=\"n\">33%</td><td class=\"n\">3</td><td>間接的支援（3）、単独の支援（1）</td></tr>");
    has("<tr data-item=\"i2\"><td>同行訪問</td><td class=\"n\">6</td><td class=\"n\">83%</td><td class=\"n\">0</td><td>直接的支援（1）</td></tr>");
    has("<tr data-item=\"q1\"><td>欠けていたもの</td><td class=\"n\">4</td><td class=\"n\">50%</td><td class=\"n\">1</td><td>エックス（1）、エックス／ゼット（1）</td></tr>");
    // 修了 (no [package] rule: every exercise on a page done): 山田, 佐藤,
    // 鈴木, 高橋.
    has("修了 <strong data-count=\"complete\">4</strong> 人");
    has("r06.json：c1: 別の版の演習");
    has("r08.json：山田 の古い記録");
    has("r10.json：別のサイトの記録");
    has("<td>&lt;img src=x onerror=alert(1)&gt;</td>");
    assert!(!html.contains("<img"));
    // Pre scores per trainee: 山田 1/1, 佐藤 0/1.
    has("<tr><td>山田</td><td>2026-12-07</td><td class=\"n\">2</td><td class=\"n\">1 / 1</td><td class=\"n\">—</td><td>修了</td></tr>");
    has("<tr><td>佐藤</td><td>2026-12-07</td><td class=\"n\">2</td><td class=\"n\">0 / 1</td><td class=\"n\">—</td><td>修了</td></tr>");
    // The first to debrief: i1 (33 %).
    has("<ol class=\"kr-debrief\">\n<li><strong>会議で話す</strong>（c1）正答率 33%、自信ありの誤答 3 件");

    // The 集計 page's script gives the same figures on the same records
    // (run in Node with a stub DOM, where Node is installed).
    same_figures_in_the_browser_script(&data, &records);
}

const NODE_SHIM: &str = r#"
const fs = require("fs");
const [data, script, ...files] = process.argv.slice(2);
const stub = () => ({ getAttribute: () => null, setAttribute() {}, appendChild() {}, addEventListener() {}, classList: { add() {}, remove() {} } });
const host = Object.assign(stub(), { querySelector: () => ({ textContent: fs.readFileSync(data, "utf8") }) });
globalThis.window = globalThis;
globalThis.document = { querySelector: () => host, createElement: stub, createTextNode: () => ({}) };
eval(fs.readFileSync(script, "utf8"));
const recs = [];
for (const f of files) {
  try { recs.push(window.kenshuReport.parseRecord(f, fs.readFileSync(f, "utf8"))); } catch (e) {}
}
process.stdout.write(JSON.stringify(window.kenshuReport.aggregate(recs)));
"#;

fn same_figures_in_the_browser_script(data: &kenshu::report::SiteData, records: &std::path::Path) {
    let dir = tempfile::tempdir().unwrap();
    let data_file = dir.path().join("data.json");
    std::fs::write(&data_file, serde_json::to_string(data).unwrap()).unwrap();
    let shim = dir.path().join("shim.js");
    std::fs::write(&shim, NODE_SHIM).unwrap();
    let script = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../theme/static/report.js");
    let mut files: Vec<std::path::PathBuf> = std::fs::read_dir(records)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    files.sort();
    let run = Command::new("node")
        .arg(&shim)
        .arg(&data_file)
        .arg(&script)
        .args(&files)
        .output();
    let Ok(run) = run else {
        eprintln!("node not found: the script's figures were not compared");
        return;
    };
    assert!(
        run.status.success(),
        "{}",
        String::from_utf8_lossy(&run.stderr)
    );
    let js: serde_json::Value = serde_json::from_slice(&run.stdout).unwrap();
    let (recs, _) = kenshu::report::read_records(&[records.to_path_buf()]);
    let mut rust = serde_json::to_value(kenshu::report::aggregate(data, &recs)).unwrap();
    rust.as_object_mut().unwrap().remove("site");
    assert_eq!(js, rust);
}

#[test]
fn report_explains_itself_and_refuses_missing_records() {
    let kenshu = |args: &[&str]| {
        Command::new(env!("CARGO_BIN_EXE_kenshu"))
            .args(args)
            .output()
            .unwrap()
    };
    let help = kenshu(&["report", "--help"]);
    let text = String::from_utf8_lossy(&help.stdout);
    assert_eq!(help.status.code(), Some(0));
    for want in [
        "Examples:",
        "kenshu report",
        "RECORD",
        "--site <SITE>",
        "--out <FILE>",
        "-o",
    ] {
        assert!(text.contains(want), "{want} not in {text}");
    }
    // No RECORD: a usage error.
    assert_eq!(kenshu(&["report"]).status.code(), Some(2));
    // A record that does not exist: exit 1, named, nothing written.
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("site.toml"), "title = \"t\"\n").unwrap();
    std::fs::create_dir_all(dir.path().join("content")).unwrap();
    std::fs::write(dir.path().join("content/index.md"), "# t\n").unwrap();
    let out = dir.path().join("r.html");
    let run = Command::new(env!("CARGO_BIN_EXE_kenshu"))
        .args(["report".as_ref(), dir.path().join("nope.json").as_os_str()])
        .arg("--site")
        .arg(dir.path())
        .arg("-o")
        .arg(&out)
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&run.stderr);
    assert_eq!(run.status.code(), Some(1), "{err}");
    assert!(err.contains("nope.json: cannot read"), "{err}");
    assert!(err.contains("nothing was written"), "{err}");
    assert!(!out.exists());
}

#[test]
fn bad_files_are_listed_with_file_line_and_why() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("site.toml"), "title = \"t\"\n").unwrap();
    std::fs::create_dir_all(dir.path().join("content")).unwrap();
    std::fs::write(dir.path().join("content/index.md"), "# t\n").unwrap();
    let recs = dir.path().join("recs");
    std::fs::create_dir_all(&recs).unwrap();
    let head = kenshu_exercises::CSV_HEADER;
    let files: &[(&str, Vec<u8>)] = &[
        ("a-empty.json", Vec::new()),
        ("b-binary.csv", vec![0xff, 0xfe, 0x00, 0x41]),
        ("c-huge.json", vec![b' '; 5 * 1024 * 1024 + 1]),
        (
            "d-truncated.csv",
            format!("{head}\r\nc1,\"分類").into_bytes(),
        ),
        ("e-list.json", b"{\"exercises\": 3}".to_vec()),
        (
            "f-ok.json",
            b"{\"site_id\":\"x\",\"exercises\":[]}".to_vec(),
        ),
    ];
    for (name, bytes) in files {
        std::fs::write(recs.join(name), bytes).unwrap();
    }
    let out = dir.path().join("r.html");
    let run = Command::new(env!("CARGO_BIN_EXE_kenshu"))
        .arg("report")
        .arg(&recs)
        .arg("--site")
        .arg(dir.path())
        .arg("-o")
        .arg(&out)
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&run.stderr);
    assert_eq!(run.status.code(), Some(1), "{err}");
    let at = |f: &str| recs.join(f).display().to_string();
    for want in [
        format!("{}:1: not a 学習の記録", at("a-empty.json")),
        format!("{}:1: not UTF-8 text", at("b-binary.csv")),
        format!("{}:1: larger than 5 MB", at("c-huge.json")),
        format!("{}:2: a quoted field is not closed", at("d-truncated.csv")),
        format!("{}:1: not a 学習の記録", at("e-list.json")),
    ] {
        assert!(err.contains(&want), "{want} not in {err}");
    }
    // The good one is still summarised (left out: another site).
    let html = std::fs::read_to_string(&out).unwrap();
    assert!(html.contains("f-ok.json：別のサイトの記録"), "{html}");
}

#[test]
fn hostile_keys_give_the_same_figures_in_the_script() {
    let dir = tempfile::tempdir().unwrap();
    let site_dir = dir.path().join("site");
    for (path, text) in SITE {
        let p = site_dir.join(path);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, text).unwrap();
    }
    let data = kenshu::report::SiteData::of(&kenshu::load::load(&site_dir).unwrap());
    let v = &data.exercises[0].version;
    let recs = dir.path().join("records");
    std::fs::create_dir_all(&recs).unwrap();
    for (i, (ex, item, value)) in [
        ("c1", "i1", "constructor"),
        ("c1", "i1", "__proto__"),
        ("__proto__", "i1", "a"),
        ("c1", "__proto__", "a"),
        ("c1", "i1", "toString,a"),
    ]
    .iter()
    .enumerate()
    {
        let text = format!(
            "{{\"site_id\":\"{}\",\"name\":\"__proto__{i}\",\"date\":\"2026-12-07\",\"exercises\":[\n{{\"id\":\"{ex}\",\"version\":\"{v}\",\"values\":{{\"{item}\":\"{value}\",\"i2\":\"b\"}},\"confidence\":{{\"__proto__\":\"sure\",\"{item}\":\"sure\"}}}}]}}",
            data.id
        );
        std::fs::write(recs.join(format!("h{i}.json")), text).unwrap();
    }
    same_figures_in_the_browser_script(&data, &recs);
}
