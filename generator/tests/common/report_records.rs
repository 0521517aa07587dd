//! The site and the ten generated 学習の記録 files that `kenshu report`
//! (generator/tests/report.rs) and the 集計 page (tests/report_page.rs)
//! must count alike: one definition, included by both with `#[path]`.
#![allow(dead_code)]

use std::path::{Path, PathBuf};

use kenshu_exercises::{progress_csv, progress_json, Kind, Learner, ProgressRow};

pub const SITE: &[(&str, &str)] = &[
    ("site.toml", "title = \"連携研修\"\n"),
    ("content/index.md", "# ホーム\n\n{{#exercise c1}}\n\n{{#exercise pre}}\n"),
    (
        "content/lecturer/shukei.md",
        "+++\ntitle = \"集計\"\nhidden = true\n+++\n\n# 集計\n\n{{#exercise-report}}\n",
    ),
    (
        "content/exercises/c1.toml",
        "id = \"c1\"\nkind = \"classify\"\ntitle = \"分類\"\n\
         categories = [{ id = \"a\", name = \"直接的支援\" }, { id = \"b\", name = \"間接的支援\" }, { id = \"c\", name = \"単独の支援\" }]\n\
         [[items]]\nid = \"i1\"\ntext = \"会議で話す\"\nanswer = \"a\"\nexplanation = \"会議体です\"\n\
         [[items]]\nid = \"i2\"\ntext = \"同行訪問\"\nanswer = \"b\"\nexplanation = \"具体的支援です\"\n",
    ),
    (
        "content/exercises/pre.toml",
        "id = \"pre\"\nkind = \"choice\"\ntitle = \"事前確認\"\ncheck = \"pre\"\n\
         [[questions]]\nid = \"q1\"\nmultiple = true\ntext = \"欠けていたもの\"\nexplanation = \"xとy\"\n\
         [[questions.options]]\nid = \"x\"\ntext = \"エックス\"\ncorrect = true\nfeedback = \"f\"\n\
         [[questions.options]]\nid = \"y\"\ntext = \"ワイ\"\ncorrect = true\nfeedback = \"f\"\n\
         [[questions.options]]\nid = \"z\"\ntext = \"ゼット\"\nfeedback = \"f\"\n",
    ),
];

/// (exercise, version override, [(item, value, confidence)]).
pub type Given<'a> = (&'a str, Option<&'a str>, &'a [(&'a str, &'a str, &'a str)]);

pub fn row(id: &str, version: &str, answers: &[(&str, &str, &str)]) -> ProgressRow {
    ProgressRow {
        id: id.into(),
        title: String::new(),
        page: String::new(),
        kind: Kind::Classify,
        state: String::new(),
        best: None,
        total: 0,
        attempts: 1,
        answers: vec![],
        version: version.into(),
        values: answers
            .iter()
            .map(|(i, v, _)| (i.to_string(), v.to_string()))
            .collect(),
        confidence: answers
            .iter()
            .filter(|(_, _, c)| !c.is_empty())
            .map(|(i, _, c)| (i.to_string(), c.to_string()))
            .collect(),
    }
}

/// Writes the ten records into `dir` (some wrong, some 自信あり, one for an
/// older version of an exercise, an older duplicate, one of another site,
/// one malformed, one with `<img onerror>` as its name); returns their paths.
pub fn write_records(site_dir: &Path, dir: &Path) -> Vec<PathBuf> {
    let site = kenshu::load::load(site_dir).expect("site loads");
    let data = kenshu::report::SiteData::of(&site);
    let version = |id: &str| {
        data.exercises
            .iter()
            .find(|e| e.id == id)
            .map(|e| e.version.clone())
            .unwrap_or_default()
    };
    let mut paths = Vec::new();
    let mut write = |file: &str, name: &str, date: &str, site_id: &str, exs: &[Given]| {
        let rows: Vec<ProgressRow> = exs
            .iter()
            .map(|(id, v, a)| row(id, &v.map_or_else(|| version(id), str::to_string), a))
            .collect();
        let who = Learner {
            name: name.into(),
            date: date.into(),
            site: "連携研修".into(),
            site_id: site_id.into(),
        };
        let text = if file.ends_with(".csv") {
            progress_csv(&rows, &who)
        } else {
            progress_json(&rows, &who)
        };
        let p = dir.join(file);
        std::fs::write(&p, text).expect("write record");
        paths.push(p);
    };
    let id = data.id.clone();
    write(
        "r01.json",
        "山田",
        "2026-12-07",
        &id,
        &[
            ("c1", None, &[("i1", "a", "sure"), ("i2", "b", "")]),
            ("pre", None, &[("q1", "x,y", "")]),
        ],
    );
    write(
        "r02.json",
        "佐藤",
        "2026-12-07",
        &id,
        &[
            ("c1", None, &[("i1", "b", "sure"), ("i2", "b", "")]),
            ("pre", None, &[("q1", "x", "")]),
        ],
    );
    write(
        "r03.csv",
        "鈴木",
        "2026-12-07",
        &id,
        &[
            ("c1", None, &[("i1", "b", "sure"), ("i2", "a", "unsure")]),
            ("pre", None, &[("q1", "x,z", "sure")]),
        ],
    );
    write(
        "r04.json",
        "田中",
        "2026-12-07",
        &id,
        &[("c1", None, &[("i1", "c", ""), ("i2", "b", "")])],
    );
    write(
        "r05.csv",
        "高橋",
        "2026-12-07",
        &id,
        &[
            ("c1", None, &[("i1", "a", ""), ("i2", "b", "")]),
            ("pre", None, &[("q1", "y,x", "")]),
        ],
    );
    write(
        "r06.json",
        "伊藤",
        "2026-12-07",
        &id,
        &[("c1", Some("deadbeef00"), &[("i1", "b", "")])],
    );
    write(
        "r07.json",
        "<img src=x onerror=alert(1)>",
        "2026-12-07",
        &id,
        &[("c1", None, &[("i1", "b", "sure"), ("i2", "b", "")])],
    );
    write(
        "r08.json",
        "山田",
        "2026-12-01",
        &id,
        &[("c1", None, &[("i1", "c", "")])],
    );
    write(
        "r10.json",
        "他",
        "2026-12-07",
        "00000000",
        &[("c1", None, &[("i1", "a", "")])],
    );
    let bad = dir.join("r09.json");
    std::fs::write(&bad, "{\"name\":\"x\",\n\"exercises\":[{\"id\":").expect("write");
    paths.push(bad);
    paths
}
