use super::*;
use kenshu_exercises::{progress_csv, progress_json, Kind, Learner, ProgressRow};

#[path = "../../tests/common/scorm_wire.rs"]
mod scorm_wire;
use scorm_wire::wire;

fn site() -> SiteData {
    let opts = |ids: &[(&str, &str)]| {
        ids.iter()
            .map(|(a, b)| (a.to_string(), b.to_string()))
            .collect::<Vec<_>>()
    };
    let cats = opts(&[("a", "直接的支援"), ("b", "間接的支援")]);
    SiteData {
        title: "研修".into(),
        id: "site0001".into(),
        exercises: vec![
            ExData {
                id: "cls".into(),
                title: "分類".into(),
                page: "p.html".into(),
                check: None,
                version: "v1".into(),
                items: vec![
                    ItemData {
                        id: "i1".into(),
                        label: "項目1".into(),
                        answer: vec!["a".into()],
                        options: cats.clone(),
                        explanation: "なぜなら".into(),
                    },
                    ItemData {
                        id: "i2".into(),
                        label: "項目2".into(),
                        answer: vec!["b".into()],
                        options: cats,
                        explanation: String::new(),
                    },
                ],
            },
            ExData {
                id: "pre".into(),
                title: "事前".into(),
                page: String::new(),
                check: Some("pre".into()),
                version: "v2".into(),
                items: vec![ItemData {
                    id: "q1".into(),
                    label: "問1".into(),
                    answer: vec!["x".into(), "y".into()],
                    options: opts(&[("x", "エックス"), ("y", "ワイ"), ("z", "ゼット")]),
                    explanation: String::new(),
                }],
            },
        ],
        required: vec!["cls".into(), "pre".into()],
        passing: Some(50.0),
    }
}

/// (exercise, version, [(item, value, confidence)]).
type Given<'a> = (&'a str, &'a str, &'a [(&'a str, &'a str, &'a str)]);

fn rec(file: &str, name: &str, date: &str, ex: &[Given]) -> Record {
    Record {
        file: file.into(),
        name: name.into(),
        date: date.into(),
        site_id: "site0001".into(),
        best: BTreeMap::new(),
        slotted: BTreeMap::new(),
        exercises: ex
            .iter()
            .map(|(id, version, answers)| {
                let values = answers
                    .iter()
                    .map(|(i, v, _)| (i.to_string(), v.to_string()))
                    .collect();
                let conf = answers
                    .iter()
                    .filter(|(_, _, c)| !c.is_empty())
                    .map(|(i, _, c)| (i.to_string(), c.to_string()))
                    .collect();
                (id.to_string(), (version.to_string(), values, conf))
            })
            .collect(),
    }
}

#[test]
fn counts_right_wrong_sure_and_leaves_out_other_versions_sites_and_old_duplicates() {
    let mut other_site = rec(
        "o.json",
        "他",
        "2026-12-07",
        &[("cls", "v1", &[("i1", "a", "")])],
    );
    other_site.site_id = "zzz".into();
    let mut records = vec![
        rec(
            "1.json",
            "山田",
            "2026-12-01",
            &[("cls", "v1", &[("i1", "b", "sure")])],
        ),
        rec(
            "2.json",
            "佐藤",
            "2026-12-07",
            &[
                ("cls", "v1", &[("i1", "b", "sure"), ("i2", "b", "")]),
                ("pre", "v2", &[("q1", "y,x", "")]),
            ],
        ),
        rec(
            "3.json",
            "",
            "2026-12-07",
            &[
                ("cls", "v1", &[("i1", "a", "sure"), ("i2", "a", "unsure")]),
                ("pre", "v2", &[("q1", "x,z", "sure")]),
            ],
        ),
        // The latest of 山田 replaces 1.json.
        rec(
            "4.json",
            "山田",
            "2026-12-07",
            &[("cls", "v1", &[("i1", "b", "")])],
        ),
        rec(
            "5.json",
            "古い版",
            "2026-12-07",
            &[("cls", "v0", &[("i1", "a", "")])],
        ),
        other_site,
    ];
    // Best scores (what 修了 counts): 1 of cls's 2 items.
    records[1].best.insert("cls".into(), 1);
    records[2].best.insert("cls".into(), 1);
    let r = aggregate(&site(), &records);
    let cls = &r.exercises[0].2;
    assert_eq!(
        (cls[0].answered, cls[0].right, cls[0].sure_wrong),
        (3, 1, 1)
    );
    assert_eq!(cls[0].wrong, vec![("間接的支援".to_string(), 2)]);
    assert_eq!(cls[0].percent(), Some(33));
    assert_eq!(
        (cls[1].answered, cls[1].right, cls[1].sure_wrong),
        (2, 1, 0)
    );
    let pre = &r.exercises[1].2[0];
    assert_eq!((pre.answered, pre.right, pre.sure_wrong), (2, 1, 1));
    assert_eq!(pre.wrong, vec![("エックス／ゼット".to_string(), 1)]);
    assert_eq!(
        r.left_out,
        vec![
            ("1.json".to_string(), "山田 の古い記録".to_string()),
            ("o.json".to_string(), "別のサイトの記録".to_string()),
            ("5.json".to_string(), "cls: 別の版の演習".to_string()),
        ]
    );
    let names: Vec<&str> = r.trainees.iter().map(|t| t.name.as_str()).collect();
    assert_eq!(names, ["山田", "佐藤", "", "古い版"]);
    assert_eq!(r.trainees[1].pre, Some((1, 1)));
    assert_eq!(r.trainees[2].pre, Some((0, 1)));
    assert_eq!(r.trainees[0].pre, None);
    assert_eq!(r.trainees[3].done, 0);
    // 修了: both exercises done and at least 50 % of cls (the one on a
    // page) right: 佐藤 and the unnamed one (1 of 2 each); 山田 lacks pre.
    let complete: Vec<bool> = r.trainees.iter().map(|t| t.complete).collect();
    assert_eq!(complete, [false, true, true, false]);
    let mut strict = site();
    strict.passing = Some(60.0);
    assert!(aggregate(&strict, &records)
        .trainees
        .iter()
        .all(|t| !t.complete));
    // Debrief: 項目1 (33 %) before 問1 and 項目2 (50 %); of those, 問1 has
    // a sure error.
    let d: Vec<&str> = r.debrief(5).iter().map(|s| s.id.as_str()).collect();
    assert_eq!(d, ["i1", "q1", "i2"]);
}

#[test]
fn reads_the_export_as_json_and_csv() {
    let row = ProgressRow {
        id: "cls".into(),
        title: "分類".into(),
        page: "p.html".into(),
        kind: Kind::Classify,
        state: "挑戦済み".into(),
        best: Some(1),
        total: 2,
        attempts: 1,
        answers: vec![("項目1".into(), "直接的支援, \"x\"\n".into())],
        version: "0123456789".into(),
        values: [("i1".to_string(), "a".to_string())].into(),
        confidence: [("i1".to_string(), "sure".to_string())].into(),
    };
    let who = Learner {
        name: "<img src=x onerror=alert(1)>".into(),
        date: "2026-12-07".into(),
        site: "研修".into(),
        site_id: "site0001".into(),
    };
    for text in [
        progress_json(std::slice::from_ref(&row), &who),
        progress_csv(std::slice::from_ref(&row), &who),
    ] {
        let r = parse_record("r", &text).unwrap();
        assert_eq!(r.name, who.name);
        assert_eq!(r.date, "2026-12-07");
        assert_eq!(r.site_id, "site0001");
        let (v, values, conf) = &r.exercises["cls"];
        assert_eq!(v, "01234567");
        assert_eq!(values, &row.values);
        assert_eq!(conf, &row.confidence);
    }
}

#[test]
fn a_file_that_is_not_a_record_is_an_error_with_its_line() {
    let err = |t: &str| parse_record("f.json", t).unwrap_err();
    assert_eq!(err("hello"), format!("f.json:1: {NOT_A_RECORD}"));
    assert!(
        err("{\"exercises\": [\n{\"id\": 1,").starts_with("f.json:2:"),
        "{}",
        err("{\"exercises\": [\n{\"id\": 1,")
    );
    assert!(err("{\"name\":\"a\"}").contains("no \"exercises\""));
    assert!(err("{\"exercises\":[\n{\"id\":\"a\",\"values\":[1]}]}")
        .starts_with("f.json:2: exercise a:"));
    let csv = "演習ID,名前\r\na,b\r\n";
    assert!(parse_record("f.csv", csv)
        .unwrap_err()
        .starts_with("f.csv:1: the header lacks"));
    let head = kenshu_exercises::CSV_HEADER;
    let bad = format!("{head}\r\na,b,c,d,e,f,g,h,i,j,k,l,m,n,{{oops\r\n");
    assert!(
        parse_record("f.csv", &bad)
            .unwrap_err()
            .starts_with("f.csv:2: 解答データ of a is not valid JSON"),
        "{}",
        parse_record("f.csv", &bad).unwrap_err()
    );
    let open = format!("{head}\r\na,\"b\r\n");
    assert!(parse_record("f.csv", &open)
        .unwrap_err()
        .starts_with("f.csv:2: a quoted field"));
}

#[test]
fn the_page_escapes_names_and_answers() {
    let mut s = site();
    s.exercises[0].items[0].options[1].1 = "<script>x</script>".into();
    let records = vec![rec(
        "<b>.json",
        "<img src=x onerror=alert(1)>",
        "2026-12-07",
        &[("cls", "v1", &[("i1", "b", "")])],
    )];
    let page = html(&aggregate(&s, &records), &["<i>.csv:1: bad".to_string()]);
    assert!(!page.contains("<img"));
    assert!(!page.contains("<script>"));
    assert!(!page.contains("<i>"));
    assert!(page.contains("&lt;img src=x onerror=alert(1)&gt;"));
    assert!(page.contains("&lt;script&gt;x&lt;/script&gt;（1）"));
}

#[test]
fn reads_scorm_suspend_data_as_a_record() {
    // cls: i1 right (a), i2 wrong (a) and 自信あり; pre: q1 x,z (wrong).
    let state = r#"{"v":2,"e":{"cls":["v1",2,1,1,2,1,"a|a",{},{"confidence":{"i2":"sure"},"seed":7}],"pre":["v2",1,0,0,1,1,"x,z",{"note":"メモ 100% <b>~</b>"}]},"j":{"cls":1}}"#;
    let text = wire(state);
    assert!(!text.contains(['"', '\\', '\n']), "{text}");
    let r = parse_record("records/山田.txt", &format!("  {text}\n")).unwrap();
    assert_eq!(r.name, "山田");
    assert_eq!(r.best.get("cls"), Some(&1));
    assert_eq!(
        r.slotted.get("cls"),
        Some(&vec!["a".to_string(), "a".to_string()])
    );
    assert_eq!(
        r.exercises["pre"].1.get("note").map(String::as_str),
        Some("メモ 100% <b>~</b>")
    );
    // Plain JSON (a runtime before the wire form, or decoded by hand)
    // reads the same.
    let plain = parse_record("records/山田.txt", state).unwrap();
    assert_eq!(plain, r);

    let report = aggregate(&site(), &[r]);
    let cls = &report.exercises[0].2;
    assert_eq!((cls[0].answered, cls[0].right), (1, 1));
    assert_eq!(
        (cls[1].answered, cls[1].right, cls[1].sure_wrong),
        (1, 0, 1)
    );
    assert_eq!(cls[1].wrong, vec![("直接的支援".to_string(), 1)]);
    let q1 = &report.exercises[1].2[0];
    assert_eq!(q1.wrong, vec![("エックス／ゼット".to_string(), 1)]);
    assert_eq!(report.trainees[0].name, "山田");
    assert_eq!(report.trainees[0].pre, Some((0, 1)));
    assert!(report.left_out.is_empty(), "{:?}", report.left_out);

    // Another version of an exercise is left out, as for any record.
    let old = wire(&state.replace("[\"v1\"", "[\"v0\""));
    let r = parse_record("佐藤.txt", &old).unwrap();
    let report = aggregate(&site(), &[r]);
    assert_eq!(
        report.left_out,
        vec![("佐藤.txt".to_string(), "cls: 別の版の演習".to_string())]
    );
}

#[test]
fn broken_suspend_data_is_an_error_with_its_file() {
    for (text, why) in [
        (
            "{~v~:2,~e~:{~cls~:[~v1~,1,1,1,2,1,~a%ZZ~]}}",
            "% is not followed",
        ),
        ("{~v~:2,~e~:{~cls~:[~v1~,1", "not valid JSON once decoded"),
        ("{~v~:3,~e~:{}}", "nor the suspend_data"),
        ("{~v~:2,~e~:{~cls~:{~a~:1}}}", "exercise cls is not [hash"),
        ("{\"v\":2,\"e\":{\"cls\":[1]}}", "exercise cls is not [hash"),
    ] {
        let e = parse_record("x.txt", text).unwrap_err();
        assert!(e.starts_with("x.txt:1: ") && e.contains(why), "{text}: {e}");
    }
}
