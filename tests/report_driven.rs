//! The 集計 page and `kenshu report` on records made the way trainees make
//! them: twenty trainees answer a classify, a table and a pre-check choice
//! exercise in Chromium (radio clicks, checkboxes, selects, 自信あり /
//! 自信なし, 答え合わせ), type their name on 学習の記録 and download the
//! record with its own button; one of them works on an older version of
//! the site (an item's text edited, so that exercise's version differs),
//! one trainee records twice, one has `<img onerror>` as name, and a
//! truncated copy of a record stands for a malformed file. The figures the
//! test expects are worked out here from the answers it chose, and the
//! page (from file://, records picked; over http, records dropped) and
//! `kenshu report` on the same files must show exactly them.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use kenshu_e2e::{
    build_site, download_progress, ensure, file_url, Browser, Error, Result, StaticServer, TempDir,
};
use serde_json::{json, Value};

#[path = "../generator/tests/common/scorm_wire.rs"]
mod scorm_wire;
use scorm_wire::wire;

const WAIT: Duration = Duration::from_secs(20);

const SITE_TOML: &str = "title = \"連携研修ドリル\"\n";
const INDEX: &str = "# 演習\n\n{{#exercise c1}}\n\n{{#exercise t1}}\n\n{{#exercise pre}}\n";
const PROGRESS: &str = "# 学習の記録\n\n{{#exercise-progress}}\n";
const SHUKEI: &str =
    "+++\ntitle = \"集計\"\nhidden = true\n+++\n\n# 集計\n\n{{#exercise-report}}\n";
/// The classify exercise; `{i1}` is the text of its first item (edited in
/// the older copy of the site).
const C1: &str = "id = \"c1\"\nkind = \"classify\"\ntitle = \"場面の分類\"\n\
categories = [{ id = \"a\", name = \"直接的支援\" }, { id = \"b\", name = \"間接的支援\" }, { id = \"c\", name = \"単独の支援\" }]\n\
[[items]]\nid = \"i1\"\ntext = \"{i1}\"\nanswer = \"b\"\nexplanation = \"会議体の機能です\"\n\
[[items]]\nid = \"i2\"\ntext = \"訪問看護師と同行訪問する\"\nanswer = \"a\"\nexplanation = \"一緒に支援しています\"\n\
[[items]]\nid = \"i3\"\ntext = \"一人で申請書を書く\"\nanswer = \"c\"\nexplanation = \"誰ともつながっていません\"\n";
const T1: &str = "id = \"t1\"\nkind = \"table\"\ntitle = \"ポイント整理\"\n\
[[statements]]\nid = \"s1\"\ntext = \"役割を決める\"\nfeedback = \"f\"\n\
[[statements]]\nid = \"s2\"\ntext = \"起点を記録する\"\nfeedback = \"f\"\n\
[[statements]]\nid = \"s3\"\ntext = \"連絡先をまとめる\"\nfeedback = \"f\"\n\
[[statements]]\nid = \"s4\"\ntext = \"仲良く協力する\"\nfeedback = \"f\"\n\
[[rows]]\nid = \"r1\"\nname = \"会議体の機能\"\n\
[[rows.cells]]\nid = \"k1\"\npoint = \"①調整\"\nmode = \"chosen\"\nanswer = \"s1\"\nexplanation = \"e\"\n\
[[rows.cells]]\nid = \"k2\"\npoint = \"②観察\"\nmode = \"chosen\"\nanswer = \"s2\"\nexplanation = \"e\"\n\
[[rows]]\nid = \"r2\"\nname = \"3つの共有\"\n\
[[rows.cells]]\nid = \"k3\"\npoint = \"①情報\"\nmode = \"chosen\"\nanswer = \"s3\"\nexplanation = \"e\"\n";
const PRE: &str = "id = \"pre\"\nkind = \"choice\"\ntitle = \"事前確認\"\ncheck = \"pre\"\n\
[[questions]]\nid = \"q1\"\nmultiple = true\ntext = \"欠けていたもの\"\nexplanation = \"xとy\"\n\
[[questions.options]]\nid = \"x\"\ntext = \"エックス\"\ncorrect = true\nfeedback = \"f\"\n\
[[questions.options]]\nid = \"y\"\ntext = \"ワイ\"\ncorrect = true\nfeedback = \"f\"\n\
[[questions.options]]\nid = \"z\"\ntext = \"ゼット\"\nfeedback = \"f\"\n\
[[questions]]\nid = \"q2\"\ntext = \"次にすること\"\nexplanation = \"p\"\n\
[[questions.options]]\nid = \"p\"\ntext = \"ピー\"\ncorrect = true\nfeedback = \"f\"\n\
[[questions.options]]\nid = \"q\"\ntext = \"キュー\"\nfeedback = \"f\"\n";

/// One gradable item: (exercise, item, label, how it is answered, right
/// option ids, option (id, text) in the file's order).
struct Item {
    ex: &'static str,
    id: &'static str,
    label: &'static str,
    control: &'static str,
    right: &'static [&'static str],
    options: &'static [(&'static str, &'static str)],
}

const CATS: &[(&str, &str)] = &[
    ("a", "直接的支援"),
    ("b", "間接的支援"),
    ("c", "単独の支援"),
];
const STMTS: &[(&str, &str)] = &[
    ("s1", "役割を決める"),
    ("s2", "起点を記録する"),
    ("s3", "連絡先をまとめる"),
    ("s4", "仲良く協力する"),
];
/// In reading order (the page's order): c1, t1, pre.
const ITEMS: &[Item] = &[
    Item {
        ex: "c1",
        id: "i1",
        label: "ケース会議で役割を決める",
        control: "radio",
        right: &["b"],
        options: CATS,
    },
    Item {
        ex: "c1",
        id: "i2",
        label: "訪問看護師と同行訪問する",
        control: "radio",
        right: &["a"],
        options: CATS,
    },
    Item {
        ex: "c1",
        id: "i3",
        label: "一人で申請書を書く",
        control: "radio",
        right: &["c"],
        options: CATS,
    },
    Item {
        ex: "t1",
        id: "k1",
        label: "会議体の機能 ①調整",
        control: "select",
        right: &["s1"],
        options: STMTS,
    },
    Item {
        ex: "t1",
        id: "k2",
        label: "会議体の機能 ②観察",
        control: "select",
        right: &["s2"],
        options: STMTS,
    },
    Item {
        ex: "t1",
        id: "k3",
        label: "3つの共有 ①情報",
        control: "select",
        right: &["s3"],
        options: STMTS,
    },
    Item {
        ex: "pre",
        id: "q1",
        label: "欠けていたもの",
        control: "checkbox",
        right: &["x", "y"],
        options: &[("x", "エックス"), ("y", "ワイ"), ("z", "ゼット")],
    },
    Item {
        ex: "pre",
        id: "q2",
        label: "次にすること",
        control: "radio",
        right: &["p"],
        options: &[("p", "ピー"), ("q", "キュー")],
    },
];
const EXERCISES: &[&str] = &["c1", "t1", "pre"];

/// The twenty trainees: (name, download as CSV, on the older site,
/// answers). Answers: `item=opt[+opt]` with `!` for 自信あり and `?` for
/// 自信なし, separated by spaces; options are clicked in the order given.
const TRAINEES: &[(&str, bool, bool, &str)] = &[
    (
        "青木",
        false,
        false,
        "i1=b i2=a i3=c k1=s1 k2=s2 k3=s3 q1=x+y q2=p",
    ),
    (
        "石井",
        true,
        false,
        "i1=a! i2=a i3=c k1=s1 k2=s4! k3=s3 q1=x q2=p",
    ),
    (
        "上野",
        false,
        false,
        "i1=a! i2=b i3=c? k1=s2 k2=s2 q1=x+z! q2=q",
    ),
    ("遠藤", false, false, "i1=b i2=a q1=x+y q2=p"),
    ("山田", false, false, "i1=c i2=b k1=s1 q1=z"),
    (
        "小川",
        true,
        false,
        "i1=a? i2=a i3=a! k1=s1 k2=s2 k3=s4 q1=y+x q2=p",
    ),
    ("", false, false, "i1=b i2=c! i3=c k3=s3 q2=q!"),
    ("", true, false, "i1=a i2=a i3=c k1=s3 k2=s2 k3=s3 q1=x+y+z"),
    ("加藤", false, false, "i1=a! i2=a! i3=c!"),
    (
        "<img src=x onerror=alert(1)>",
        false,
        false,
        "i1=b! i2=a k1=s1 q1=x+y q2=p",
    ),
    (
        "木村",
        true,
        false,
        "i1=a i2=b i3=b k1=s4 k2=s4 k3=s4 q1=x q2=q",
    ),
    (
        "工藤",
        false,
        false,
        "i1=b? i2=a i3=c k1=s1 k2=s2 k3=s3 q1=x+y q2=p",
    ),
    (
        "斉藤",
        false,
        true,
        "i1=a! i2=a i3=c k1=s1 k2=s2 q1=x+y q2=p",
    ),
    (
        "佐々木",
        true,
        false,
        "i1=c! i2=a i3=c k1=s1 k2=s2 k3=s3 q1=y",
    ),
    (
        "山田",
        false,
        false,
        "i1=b i2=a i3=c k1=s1 k2=s2 k3=s3 q1=x+y q2=p",
    ),
    (
        "清水",
        false,
        false,
        "i1=a i2=c i3=c k1=s2 k2=s1 k3=s3! q1=x+y q2=p",
    ),
    ("鈴木", true, false, "i1=b i2=a i3=c k2=s2 q1=x+y+z!"),
    ("高田", false, false, "i1=a! i2=a i3=c k1=s1 k2=s2 k3=s3"),
    (
        "田中",
        false,
        false,
        "i1=b i2=b i3=c k1=s1 k2=s3 k3=s3 q1=x+y q2=p",
    ),
    ("中村", true, false, "i1=a i2=a i3=c q1=x+y q2=q"),
];

/// One answer of a trainee: (item, options clicked in order, confidence).
type Answer = (&'static Item, Vec<&'static str>, &'static str);
/// One answer as counted: (options, confidence).
type Given<'a> = (&'a [&'static str], &'static str);
/// A record file: (file name, trainee's name, on the older site, answers).
type RecordFile = (String, &'static str, bool, Vec<Answer>);

fn answers(spec: &'static str) -> Result<Vec<Answer>> {
    spec.split_whitespace()
        .map(|a| {
            let (id, rest) = a
                .split_once('=')
                .ok_or_else(|| Error::new(format!("bad answer {a}")))?;
            let item = ITEMS
                .iter()
                .find(|i| i.id == id)
                .ok_or_else(|| Error::new(format!("no item {id}")))?;
            let (opts, conf) = match rest.strip_suffix('!') {
                Some(o) => (o, "sure"),
                None => match rest.strip_suffix('?') {
                    Some(o) => (o, "unsure"),
                    None => (rest, ""),
                },
            };
            Ok((item, opts.split('+').collect(), conf))
        })
        .collect()
}

fn write_site(dir: &Path, first_item: &str) -> Result<()> {
    let files = [
        ("site.toml", SITE_TOML.to_string()),
        ("content/index.md", INDEX.to_string()),
        ("content/progress.md", PROGRESS.to_string()),
        ("content/lecturer/shukei.md", SHUKEI.to_string()),
        ("content/exercises/c1.toml", C1.replace("{i1}", first_item)),
        ("content/exercises/t1.toml", T1.to_string()),
        ("content/exercises/pre.toml", PRE.to_string()),
    ];
    for (path, text) in files {
        let p = dir.join(path);
        if let Some(parent) = p.parent() {
            std::fs::create_dir_all(parent)?;
        }
        std::fs::write(p, text)?;
    }
    Ok(())
}

/// Answers, confidence marks and 答え合わせ by clicks, one event at a time
/// (each waits for the island to render: a checkbox's handler reads the
/// value of the last render). `tick` is an ordering, not a timed wait: Yew
/// renders in a microtask, which runs before any task (setTimeout 0)
/// queued after the click, and gives the event loop back only when no
/// render is pending — on a slow machine as on a fast one.
const DRIVE: &str = r#"
const [plan, checks] = arguments;
const done = arguments[arguments.length - 1];
const tick = () => new Promise((r) => setTimeout(r, 0));
(async () => {
  for (const [ex, item, control, values, conf] of plan) {
    const host = document.querySelector(`#exercise-${ex} [id$="-${item}"]`);
    if (!host) throw new Error(`no item ${ex}/${item}`);
    if (control === "select") {
      const s = host.querySelector("select");
      s.value = values[0];
      s.dispatchEvent(new Event("change", { bubbles: true }));
      await tick();
    } else {
      for (const v of values) {
        host.querySelector(`input[value="${v}"]`).click();
        await tick();
      }
    }
    if (conf) {
      const text = conf === "sure" ? "自信あり" : "自信なし";
      [...host.querySelectorAll(".ex-sure")].find((b) => b.textContent === text).click();
      await tick();
    }
  }
  for (const ex of checks) {
    const b = [...document.querySelectorAll(`#exercise-${ex} button`)].find((b) => b.textContent.trim() === "答え合わせ");
    if (!b) throw new Error(`no 答え合わせ in ${ex}`);
    b.click();
    await tick();
  }
  done(null);
})().catch((e) => done(String(e)));
"#;

/// One trainee's session: a fresh browser profile's storage, the exercises
/// answered by clicks, the name typed on 学習の記録, the record downloaded.
fn drive(
    b: &Browser,
    site: &Path,
    name: &str,
    csv: bool,
    given: &[Answer],
) -> Result<(String, String)> {
    b.execute("localStorage.clear();", vec![])?;
    b.goto(&file_url(site.join("index.html"))?)?;
    b.wait_islands(WAIT)?;
    let plan: Vec<Value> = given
        .iter()
        .map(|(item, opts, conf)| json!([item.ex, item.id, item.control, opts, conf]))
        .collect();
    let checks: Vec<&str> = EXERCISES
        .iter()
        .copied()
        .filter(|ex| given.iter().any(|(i, _, _)| i.ex == *ex))
        .collect();
    let err = b.execute_async(DRIVE, vec![json!(plan), json!(checks)])?;
    ensure!(err.is_null(), "driving the exercises for {name}: {err}");
    b.goto(&file_url(site.join("progress.html"))?)?;
    b.wait_islands(WAIT)?;
    if !name.is_empty() {
        b.find("#kx-learner")?.send_keys(name)?;
    }
    download_progress(
        b,
        if csv {
            "CSV をダウンロード"
        } else {
            "JSON をダウンロード"
        },
    )
}

/// The figures of one item as the page and the report show them:
/// [label, answered, % right, sure but wrong, most chosen wrong answers].
fn expected_row(item: &Item, got: &[Given]) -> Vec<String> {
    let is_right = |opts: &[&str]| {
        let set: BTreeSet<&str> = opts.iter().copied().collect();
        set == item.right.iter().copied().collect()
    };
    let answered = got.len() as u32;
    let right = got.iter().filter(|(o, _)| is_right(o)).count() as u32;
    let sure_wrong = got
        .iter()
        .filter(|(o, c)| !is_right(o) && *c == "sure")
        .count();
    let mut wrong: BTreeMap<String, u32> = BTreeMap::new();
    for (opts, _) in got.iter().filter(|(o, _)| !is_right(o)) {
        // The record keeps a multiple choice in the options' order,
        // whatever the order of the clicks.
        let text: Vec<&str> = item
            .options
            .iter()
            .filter(|(id, _)| opts.contains(id))
            .map(|(_, t)| *t)
            .collect();
        *wrong.entry(text.join("／")).or_default() += 1;
    }
    let mut wrong: Vec<(String, u32)> = wrong.into_iter().collect();
    wrong.sort_by_key(|(_, n)| std::cmp::Reverse(*n));
    let pct = if answered == 0 {
        "—".to_string()
    } else {
        // Rounded half up.
        format!("{}%", (right * 200 + answered) / (2 * answered))
    };
    vec![
        item.label.to_string(),
        answered.to_string(),
        pct,
        sure_wrong.to_string(),
        wrong
            .iter()
            .take(3)
            .map(|(t, n)| format!("{t}（{n}）"))
            .collect::<Vec<_>>()
            .join("、"),
    ]
}

/// What the page and the report must show, worked out from the answers.
struct Expected {
    included: usize,
    left_out: BTreeSet<String>,
    complete: usize,
    rows: BTreeMap<String, Vec<String>>,
    trainees: BTreeSet<Vec<String>>,
    debrief: Vec<String>,
}

fn expected(files: &[RecordFile], date: &str) -> Expected {
    // Duplicates of a named trainee: the later file (same date) counts.
    let mut kept: Vec<usize> = Vec::new();
    let mut left_out = BTreeSet::new();
    for (n, (_, name, _, _)) in files.iter().enumerate() {
        match kept
            .iter()
            .position(|&k| !name.is_empty() && files[k].1 == *name)
        {
            Some(at) => {
                left_out.insert(format!("{}：{name} の古い記録", files[kept[at]].0));
                kept[at] = n;
            }
            None => kept.push(n),
        }
    }
    let mut per_item: BTreeMap<(&str, &str), Vec<Given>> = BTreeMap::new();
    let mut trainees = BTreeSet::new();
    let mut complete = 0;
    for &k in &kept {
        let (file, name, old, given) = &files[k];
        let mut done = 0;
        let mut pre: Option<(usize, usize)> = None;
        for ex in EXERCISES {
            let mine: Vec<&Answer> = given.iter().filter(|(i, _, _)| i.ex == *ex).collect();
            if mine.is_empty() {
                continue;
            }
            // The older copy of the site differs in c1 only.
            if *old && *ex == "c1" {
                left_out.insert(format!("{file}：c1: 別の版の演習"));
                continue;
            }
            done += 1;
            for (item, opts, conf) in &mine {
                per_item
                    .entry((item.ex, item.id))
                    .or_default()
                    .push((opts.as_slice(), conf));
            }
            if *ex == "pre" {
                let right = mine
                    .iter()
                    .filter(|(i, o, _)| {
                        o.iter().copied().collect::<BTreeSet<_>>()
                            == i.right.iter().copied().collect()
                    })
                    .count();
                pre = Some((right, ITEMS.iter().filter(|i| i.ex == "pre").count()));
            }
        }
        let is_complete = done == EXERCISES.len();
        complete += usize::from(is_complete);
        trainees.insert(vec![
            if name.is_empty() {
                "（名前なし）".to_string()
            } else {
                name.to_string()
            },
            date.to_string(),
            done.to_string(),
            pre.map_or("—".to_string(), |(r, t)| format!("{r} / {t}")),
            "—".to_string(),
            if is_complete { "修了" } else { "—" }.to_string(),
        ]);
    }
    let mut rows = BTreeMap::new();
    let mut order: Vec<(u32, u32, u32, &str)> = Vec::new();
    for item in ITEMS {
        let got = per_item
            .get(&(item.ex, item.id))
            .cloned()
            .unwrap_or_default();
        let row = expected_row(item, &got);
        let answered = got.len() as u32;
        let right = got
            .iter()
            .filter(|(o, _)| {
                o.iter().copied().collect::<BTreeSet<_>>() == item.right.iter().copied().collect()
            })
            .count() as u32;
        if answered > 0 && right < answered {
            order.push((right, answered, row[3].parse().unwrap_or(0), item.label));
        }
        rows.insert(format!("{}/{}", item.ex, item.id), row);
    }
    // To debrief first: the lowest share right, then the most 自信あり
    // errors (a stable sort over the items in reading order).
    order.sort_by(|a, b| {
        (u64::from(a.0) * u64::from(b.1))
            .cmp(&(u64::from(b.0) * u64::from(a.1)))
            .then(b.2.cmp(&a.2))
    });
    Expected {
        included: kept.len(),
        left_out,
        complete,
        rows,
        trainees,
        debrief: order.iter().take(5).map(|o| o.3.to_string()).collect(),
    }
}

/// Reads the summary's figures out of the page or the report's HTML.
const READ: &str = r#"
const q = (s) => document.querySelector(s);
const texts = (s, root) => [...(root || document).querySelectorAll(s)].map((e) => e.textContent);
const count = (w) => (q(`[data-count=${w}]`) || {}).textContent;
const rows = {};
for (const t of document.querySelectorAll("table.kr-items")) {
  for (const tr of t.querySelectorAll("tr[data-item]")) rows[`${t.dataset.exercise}/${tr.dataset.item}`] = texts("td", tr);
}
return {
  counts: [count("included"), count("left-out"), count("rejected"), count("complete")],
  rows,
  trainees: [...document.querySelectorAll(".kr-trainees tbody tr")].map((tr) => texts("td", tr)),
  left_out: texts(".kr-left-out li"),
  debrief: texts(".kr-debrief li > strong"),
  images: document.querySelectorAll("img").length,
};
"#;

/// Checks the figures read by [`READ`] against `want`; `prefix` is what
/// precedes a file's name in the listing (the report names paths).
fn check(what: &str, got: &Value, want: &Expected, prefix: &str, bad: &str) -> Result<()> {
    let counts = json!([
        want.included.to_string(),
        want.left_out.len().to_string(),
        "1",
        want.complete.to_string()
    ]);
    ensure!(
        got["counts"] == counts,
        "{what}: counted / left out / not read / 修了 {} where {counts} is expected",
        got["counts"]
    );
    for (key, row) in &want.rows {
        ensure!(
            got["rows"][key] == json!(row),
            "{what}: item {key} shows {} where {row:?} is expected",
            got["rows"][key]
        );
    }
    let trainees: BTreeSet<Vec<String>> =
        serde_json::from_value(got["trainees"].clone()).map_err(|e| Error::new(e.to_string()))?;
    ensure!(
        trainees == want.trainees,
        "{what}: trainees\n{trainees:?}\nexpected\n{:?}",
        want.trainees
    );
    let listed: Vec<String> =
        serde_json::from_value(got["left_out"].clone()).map_err(|e| Error::new(e.to_string()))?;
    let (rejected, left): (Vec<String>, Vec<String>) = listed
        .into_iter()
        .map(|l| l.strip_prefix(prefix).map(str::to_string).unwrap_or(l))
        .partition(|l| l.starts_with(bad));
    let left: BTreeSet<String> = left.into_iter().collect();
    ensure!(
        left == want.left_out,
        "{what}: left out {left:?}, expected {:?}",
        want.left_out
    );
    ensure!(
        rejected.len() == 1 && rejected[0].contains("not valid JSON"),
        "{what}: the malformed file is listed as {rejected:?}"
    );
    ensure!(
        got["debrief"] == json!(want.debrief),
        "{what}: to debrief first {} where {:?} is expected",
        got["debrief"],
        want.debrief
    );
    ensure!(got["images"] == 0, "{what}: an <img> was made");
    Ok(())
}

#[test]
fn records_made_in_the_exercises_add_up_on_the_shukei_page_and_in_kenshu_report() -> Result<()> {
    let started = Instant::now();
    let src = TempDir::new("driven-site")?;
    write_site(&src.join(""), "ケース会議で役割を決める")?;
    let site = build_site(src.join(""))?;
    // The older copy: the first item read differently before an edit.
    let old_src = TempDir::new("driven-old")?;
    write_site(&old_src.join(""), "会議で役割を話し合う")?;
    let old_site = build_site(old_src.join(""))?;

    let b = Browser::start()?;
    b.goto(&file_url(site.path("index.html"))?)?;
    let date = b
        .execute(
            "const d = new Date(); const p = n => String(n).padStart(2, '0'); \
             return d.getFullYear() + '-' + p(d.getMonth() + 1) + '-' + p(d.getDate());",
            vec![],
        )?
        .as_str()
        .unwrap_or_default()
        .to_string();
    let recs = TempDir::new("driven-records")?;
    let mut files: Vec<RecordFile> = Vec::new();
    let mut paths: Vec<PathBuf> = Vec::new();
    for (n, (name, csv, old, spec)) in TRAINEES.iter().enumerate() {
        let given = answers(spec)?;
        let out = if *old { &old_site.out } else { &site.out };
        let (suggested, text) = drive(&b, out, name, *csv, &given)?;
        let ext = if *csv { "csv" } else { "json" };
        ensure!(
            suggested.starts_with("kenshu-record-")
                && suggested.ends_with(&format!("{date}.{ext}")),
            "the record of {name} would be saved as {suggested}"
        );
        // The record holds what was clicked, and nothing else.
        let rec = kenshu::report::parse_record("record", &text).map_err(Error::new)?;
        for ex in EXERCISES {
            let mut values = BTreeMap::new();
            let mut sure = BTreeMap::new();
            for (item, opts, conf) in given.iter().filter(|(i, _, _)| i.ex == *ex) {
                let value: Vec<&str> = item
                    .options
                    .iter()
                    .filter(|(id, _)| opts.contains(id))
                    .map(|(id, _)| *id)
                    .collect();
                values.insert(item.id.to_string(), value.join(","));
                if !conf.is_empty() {
                    sure.insert(item.id.to_string(), conf.to_string());
                }
            }
            let (_, got, got_sure) = rec.exercises.get(*ex).cloned().unwrap_or_default();
            let got: BTreeMap<String, String> = got.into_iter().collect();
            let got_sure: BTreeMap<String, String> = got_sure.into_iter().collect();
            ensure!(
                got == values && got_sure == sure,
                "{name}'s record of {ex} holds {got:?} {got_sure:?} where {values:?} {sure:?} was clicked"
            );
        }
        let file = format!("r{:02}.{ext}", n + 1);
        paths.push(recs.write(&file, &text)?);
        files.push((file, name, *old, given));
    }
    let drove = started.elapsed();
    // A record cut short in transit.
    let whole = std::fs::read_to_string(&paths[0])?;
    let mut at = whole.len() / 2;
    while !whole.is_char_boundary(at) {
        at -= 1;
    }
    let cut = &whole[..at];
    paths.push(recs.write("r21.json", cut)?);
    let want = expected(&files, &date);
    ensure!(
        want.included == 19 && want.left_out.len() == 2,
        "the plan changed: {} counted, {:?} left out",
        want.included,
        want.left_out
    );

    // The 集計 page from file://, the files picked.
    b.goto(&file_url(site.path("lecturer/shukei.html"))?)?;
    let input = b.wait_for("#kr-files", WAIT)?;
    let list: Vec<String> = paths.iter().map(|p| p.display().to_string()).collect();
    input.send_keys(&list.join("\n"))?;
    b.wait_for("[data-kenshu-report][data-loaded]", WAIT)?;
    let got = b.execute(READ, vec![])?;
    check("集計 (file://, picked)", &got, &want, "", "r21.json")?;
    let names = b.find(".kr-trainees")?.text()?;
    ensure!(names.contains("<img src=x onerror=alert(1)>"), "{names}");

    // Over http, the same files dropped on the page.
    let server = StaticServer::serve(&site.out, "/")?;
    b.goto(&server.url_of("lecturer/shukei.html"))?;
    b.wait_for("#kr-files", WAIT)?;
    let dropped: Vec<Value> = paths
        .iter()
        .map(|p| {
            let name = p
                .file_name()
                .map(|n| n.to_string_lossy().to_string())
                .unwrap_or_default();
            Ok(json!([name, std::fs::read_to_string(p)?]))
        })
        .collect::<Result<_>>()?;
    b.execute(
        "const dt = new DataTransfer();\
         for (const [name, text] of arguments[0]) dt.items.add(new File([text], name));\
         document.querySelector('.kr-drop').dispatchEvent(new DragEvent('drop', { dataTransfer: dt, bubbles: true, cancelable: true }));",
        vec![json!(dropped)],
    )?;
    b.wait_for("[data-kenshu-report][data-loaded]", WAIT)?;
    let got = b.execute(READ, vec![])?;
    check("集計 (http, dropped)", &got, &want, "", "r21.json")?;
    ensure!(
        server.failed_requests().is_empty(),
        "{:?}",
        server.failed_requests()
    );

    // `kenshu report` on the folder: the same figures.
    let loaded = kenshu::load::load(&src.join("")).map_err(|e| Error::new(format!("{e:?}")))?;
    let data = kenshu::report::SiteData::of(&loaded);
    let (records, rejected) = kenshu::report::read_records(&[recs.join("")]);
    let html = kenshu::report::html(&kenshu::report::aggregate(&data, &records), &rejected);
    let out = TempDir::new("driven-report")?;
    let report = out.write("report.html", html)?;
    b.goto(&file_url(&report)?)?;
    let got = b.execute(READ, vec![])?;
    let prefix = format!(
        "{}/",
        recs.join("").display().to_string().trim_end_matches('/')
    );
    check("kenshu report", &got, &want, &prefix, "r21.json")?;
    b.assert_no_errors()?;
    eprintln!(
        "20 records driven in {:.1} s; whole test {:.1} s",
        drove.as_secs_f64(),
        started.elapsed().as_secs_f64()
    );
    Ok(())
}

/// suspend_data as a SCORM package's runtime stores it in an LMS
/// (generator/src/package/scorm.js: `compact`, then `wire`): per exercise
/// `[hash, attempts, best, last, total, flags, graded, free, more]`, the
/// graded answers in the items' order joined by `|`, confidence among the
/// other fields; then `%`, `~`, `\`, `'`, `<`, `>`, `&` percent-encoded and
/// every `"` written as `~`. `old` gives c1 another version's hash.
fn suspend_data(
    given: &[Answer],
    site: &kenshu::report::SiteData,
    old: bool,
    wired: bool,
) -> String {
    let mut e = serde_json::Map::new();
    for ex in EXERCISES {
        let mine: Vec<&Answer> = given.iter().filter(|(i, _, _)| i.ex == *ex).collect();
        if mine.is_empty() {
            continue;
        }
        let value = |item: &Item| -> String {
            mine.iter()
                .find(|(i, _, _)| i.id == item.id)
                .map(|(i, opts, _)| {
                    i.options
                        .iter()
                        .filter(|(id, _)| opts.contains(id))
                        .map(|(id, _)| *id)
                        .collect::<Vec<_>>()
                        .join(",")
                })
                .unwrap_or_default()
        };
        let graded: Vec<String> = ITEMS.iter().filter(|i| i.ex == *ex).map(value).collect();
        let confidence: serde_json::Map<String, Value> = mine
            .iter()
            .filter(|(_, _, c)| !c.is_empty())
            .map(|(i, _, c)| (i.id.to_string(), json!(c)))
            .collect();
        let version = site
            .exercises
            .iter()
            .find(|x| x.id == *ex)
            .map(|x| x.version.clone())
            .unwrap_or_default();
        let hash = if old && *ex == "c1" {
            "0000beef".to_string()
        } else {
            version
        };
        e.insert(
            ex.to_string(),
            json!([hash, 1, null, null, graded.len(), 1, graded.join("|"), { "memo": "100% <b>~</b> & 'x'" }, { "confidence": confidence, "seed": 7 }]),
        );
    }
    let text = json!({ "v": 2, "e": e, "j": {} }).to_string();
    if wired {
        wire(&text)
    } else {
        text
    }
}

/// Records from an LMS: the suspend_data of each learner, copied from the
/// LMS's report into a text file named after them (one left as plain JSON,
/// one for an older version of c1, one cut short), on the 集計 page from
/// file:// and in `kenshu report`: the figures worked out from the answers.
#[test]
fn suspend_data_saved_from_an_lms_counts_like_a_record() -> Result<()> {
    let src = TempDir::new("lms-site")?;
    write_site(&src.join(""), "ケース会議で役割を決める")?;
    let site = build_site(src.join(""))?;
    let loaded = kenshu::load::load(&src.join("")).map_err(|e| Error::new(format!("{e:?}")))?;
    let data = kenshu::report::SiteData::of(&loaded);
    let learners: &[(&str, bool, bool, &str)] = &[
        (
            "山田",
            false,
            true,
            "i1=b i2=c! i3=c k1=s1 k2=s4 k3=s3 q1=x+y q2=q",
        ),
        ("佐藤", false, true, "i1=a! i2=a k1=s2 q1=x+z!"),
        (
            "鈴木",
            true,
            true,
            "i1=b i2=a i3=c k1=s1 k2=s2 k3=s3 q1=x+y q2=p",
        ),
        ("田中", false, false, "i1=c i2=a i3=c? q2=p"),
    ];
    let recs = TempDir::new("lms-records")?;
    let mut files: Vec<RecordFile> = Vec::new();
    let mut paths = Vec::new();
    for (name, old, wired, spec) in learners {
        let given = answers(spec)?;
        let text = suspend_data(&given, &data, *old, *wired);
        if *wired {
            ensure!(!text.contains(['"', '\\', '\n']), "{text}");
        }
        let file = format!("{name}.{}", if *wired { "txt" } else { "json" });
        paths.push(recs.write(&file, format!("{text}\n"))?);
        files.push((file, name, *old, given));
    }
    let whole = suspend_data(&answers("i1=b i2=a")?, &data, false, true);
    // Cut short after a quote (~), so what is left decodes but does not parse.
    let cut = whole[..whole.len() / 2].rfind('~').unwrap_or(0) + 1;
    paths.push(recs.write("壊れた.txt", &whole[..cut])?);
    let want = expected(&files, "");

    let b = Browser::start()?;
    b.goto(&file_url(site.path("lecturer/shukei.html"))?)?;
    let input = b.wait_for("#kr-files", WAIT)?;
    let list: Vec<String> = paths.iter().map(|p| p.display().to_string()).collect();
    input.send_keys(&list.join("\n"))?;
    b.wait_for("[data-kenshu-report][data-loaded]", WAIT)?;
    let got = b.execute(READ, vec![])?;
    check("集計 (suspend_data)", &got, &want, "", "壊れた.txt")?;

    let (records, rejected) = kenshu::report::read_records(&[recs.join("")]);
    let html = kenshu::report::html(&kenshu::report::aggregate(&data, &records), &rejected);
    let out = TempDir::new("lms-report")?;
    b.goto(&file_url(out.write("report.html", html)?)?)?;
    let got = b.execute(READ, vec![])?;
    let prefix = format!(
        "{}/",
        recs.join("").display().to_string().trim_end_matches('/')
    );
    check(
        "kenshu report (suspend_data)",
        &got,
        &want,
        &prefix,
        "壊れた.txt",
    )?;
    b.assert_no_errors()
}
