use super::*;

fn classify() -> Classify {
    Classify {
        id: "c".into(),
        kind: Kind::Classify,
        title: "t".into(),
        instructions: String::new(),
        explanation_source: Source::Authors,
        categories: vec![
            Category {
                id: "direct".into(),
                name: "直接的支援".into(),
                description: String::new(),
            },
            Category {
                id: "indirect".into(),
                name: "間接的支援".into(),
                description: String::new(),
            },
        ],
        items: ["direct", "indirect", "direct"]
            .iter()
            .enumerate()
            .map(|(i, a)| Item {
                id: format!("i{i}"),
                text: format!("item {i}"),
                answer: (*a).into(),
                explanation: "e".into(),
                note: String::new(),
                source: None,
            })
            .collect(),
    }
}

fn answers(pairs: &[(&str, &str)]) -> Answers {
    pairs
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect()
}

#[test]
fn classify_grading_counts_correct_wrong_and_unanswered() {
    let c = classify();
    let g = c.grade(&answers(&[("i0", "direct"), ("i1", "direct")]));
    assert_eq!(g.correct, 1);
    assert_eq!(g.total, 3);
    assert_eq!(g.score_text(), "1 / 3");
    assert_eq!(g.verdict("i0"), Some(Verdict::Correct));
    assert_eq!(g.verdict("i1"), Some(Verdict::Incorrect));
    assert_eq!(g.verdict("i2"), Some(Verdict::Unanswered));
    assert!(!g.all_correct());
    let full = c.grade(&c.solution());
    assert!(full.all_correct());
    assert_eq!(full.score_text(), "3 / 3");
}

#[test]
fn accepts_only_known_items_and_options() {
    let ex = Exercise::Classify(classify());
    assert!(ex.accepts("i0", "indirect"));
    assert!(ex.accepts("i0", ""));
    assert!(!ex.accepts("i0", "elsewhere"));
    assert!(!ex.accepts("nope", "direct"));
}

#[test]
fn keep_correct_drops_only_wrong_answers() {
    let c = classify();
    let a = answers(&[("i0", "direct"), ("i1", "direct"), ("i2", "direct")]);
    let kept = c.grade(&a).keep_correct(&a);
    assert_eq!(kept, answers(&[("i0", "direct"), ("i2", "direct")]));
}

#[cfg(feature = "toml")]
mod with_toml {
    use super::*;
    use crate::parse::{line_col, parse, SpanError};

    fn table_src() -> &'static str {
        include_str!("../../content/exercises/case01-table.toml")
    }
    fn classify_src() -> &'static str {
        include_str!("../../content/exercises/case01-classify.toml")
    }

    fn errors(src: &str) -> Vec<(usize, String)> {
        match parse(src) {
            Ok(_) => panic!("expected errors"),
            Err(es) => es
                .into_iter()
                .map(|SpanError { span, message, .. }| (line_col(src, span.start).0, message))
                .collect(),
        }
    }

    fn one_error(src: &str) -> (usize, String) {
        let es = errors(src);
        assert_eq!(es.len(), 1, "{es:?}");
        es.into_iter().next().unwrap_or_default()
    }

    fn line_of(src: &str, needle: &str) -> usize {
        let at = src
            .find(needle)
            .unwrap_or_else(|| panic!("{needle} not in source"));
        line_col(src, at).0
    }

    #[test]
    fn case01_files_parse_and_grade() {
        let Ok(Exercise::Classify(c)) = parse(classify_src()) else {
            panic!(
                "case01-classify does not parse: {:?}",
                parse(classify_src())
            )
        };
        assert_eq!(c.id, "case01-classify");
        assert_eq!(c.items.len(), 10);
        let direct = c.items.iter().filter(|i| i.answer == "direct").count();
        assert_eq!(direct, 6); // domain brief §5.9: 1, 3, 4, 5, 6, 8
        let Ok(ex @ Exercise::Table(_)) = parse(table_src()) else {
            panic!("case01-table does not parse: {:?}", parse(table_src()))
        };
        assert_eq!(ex.item_count(), 12);
        assert_eq!(ex.graded_count(), 9);
        let g = ex.grade(&ex.solution());
        assert_eq!(g.score_text(), "9 / 9");
        assert_eq!(g.verdict("vector-1"), Some(Verdict::SelfCheck));
        let Exercise::Table(t) = &ex else { return };
        let labels: Vec<String> = t.cells().map(|(r, c)| cell_label(r, c)).collect();
        assert!(labels.contains(&"ベクトル合わせ ①顔合わせ".to_string()));
    }

    #[test]
    fn table_grading_ignores_free_cells() {
        let Ok(ex) = parse(table_src()) else { panic!() };
        let a = answers(&[
            ("kaigi-1", "s03"),
            ("kaigi-2", "s01"),
            ("vector-1", "自分の言葉"),
        ]);
        let g = ex.grade(&a);
        assert_eq!((g.correct, g.total), (1, 9));
        assert_eq!(g.verdict("kaigi-2"), Some(Verdict::Incorrect));
        assert_eq!(g.verdict("kaigi-3"), Some(Verdict::Unanswered));
        let kept = g.keep_correct(&a);
        assert_eq!(
            kept,
            answers(&[("kaigi-1", "s03"), ("vector-1", "自分の言葉")])
        );
    }

    #[test]
    fn unknown_top_level_key() {
        let src = classify_src().replace(
            "kind = \"classify\"",
            "kind = \"classify\"\ncolour = \"red\"",
        );
        let (line, msg) = one_error(&src);
        assert_eq!(line, line_of(&src, "colour"));
        assert!(msg.contains("unknown field `colour`"), "{msg}");
    }

    #[test]
    fn unknown_key_in_item() {
        let src = classify_src().replace("id = \"a04\"", "id = \"a04\"\nexplenation = \"x\"");
        let (line, msg) = one_error(&src);
        assert_eq!(line, line_of(&src, "explenation"));
        assert!(msg.contains("explenation"), "{msg}");
    }

    #[test]
    fn unknown_key_in_table_cell() {
        let src = table_src().replace("id = \"kansatsu-2\"", "id = \"kansatsu-2\"\nhint = \"x\"");
        let (line, msg) = one_error(&src);
        assert_eq!(line, line_of(&src, "hint = "));
        assert!(msg.contains("unknown field `hint`"), "{msg}");
    }

    #[test]
    fn missing_answer_in_classify_item() {
        let src = classify_src().replace(
            "answer = \"indirect\"\nexplanation = \"会議体でのプラン",
            "explanation = \"会議体でのプラン",
        );
        let (line, msg) = one_error(&src);
        assert!(msg.contains("missing field `answer`"), "{msg}");
        // Reported at the header of the item's table.
        let item = src.find("id = \"a02\"").unwrap_or(0);
        let header = src
            .get(..item)
            .and_then(|s| s.rfind("[[items]]"))
            .unwrap_or(0);
        assert_eq!(line, line_col(&src, header).0);
    }

    #[test]
    fn missing_answer_in_chosen_cell() {
        let src = table_src().replace("answer = \"s04\"\n", "");
        let (line, msg) = one_error(&src);
        assert!(
            msg.contains("chosen cell `kansatsu-1` has no answer"),
            "{msg}"
        );
        let cell = src.find("id = \"kansatsu-1\"").unwrap_or(0);
        let header = src
            .get(..cell)
            .and_then(|s| s.rfind("[[rows.cells]]"))
            .unwrap_or(0);
        assert_eq!(line, line_col(&src, header).0);
    }

    #[test]
    fn answer_naming_no_category() {
        let src = classify_src().replacen("answer = \"direct\"", "answer = \"drect\"", 1);
        let (line, msg) = one_error(&src);
        assert_eq!(line, line_of(&src, "\"drect\""));
        assert!(msg.contains("answer `drect` names no category"), "{msg}");
    }

    #[test]
    fn answer_naming_no_statement() {
        let src = table_src().replace("answer = \"s07\"", "answer = \"s99\"");
        let (line, msg) = one_error(&src);
        assert_eq!(line, line_of(&src, "\"s99\""));
        assert!(msg.contains("names no statement"), "{msg}");
    }

    #[test]
    fn duplicate_item_id() {
        let src = classify_src().replace("id = \"a07\"", "id = \"a03\"");
        let (line, msg) = one_error(&src);
        assert_eq!(line, line_of(&src, "id = \"a03\"\ntext = \"東京"));
        assert!(msg.contains("duplicate item id `a03`"), "{msg}");
    }

    #[test]
    fn duplicate_cell_id() {
        let src = table_src().replace("id = \"kyoyu-3\"", "id = \"kyoyu-1\"");
        let es = errors(&src);
        assert_eq!(es.len(), 1, "{es:?}");
        let pos = src.rfind("id = \"kyoyu-1\"").unwrap_or(0);
        assert_eq!(es[0].0, line_col(&src, pos).0);
        assert!(es[0].1.contains("duplicate cell id `kyoyu-1`"));
    }

    #[test]
    fn duplicate_category_id() {
        let src = classify_src().replace("{ id = \"indirect\"", "{ id = \"direct\"");
        let es = errors(&src);
        let dup = es.iter().find(|(_, m)| m.contains("duplicate category id"));
        assert_eq!(
            dup.map(|d| d.0),
            Some(line_of(&src, "name = \"間接的支援\""))
        );
        // Every item answering "indirect" now names no category, too.
        assert!(es.iter().any(|(_, m)| m.contains("names no category")));
    }

    #[test]
    fn free_cell_without_model() {
        let src = table_src().replacen("model = \"共有する価値", "explanation = \"共有する価値", 1);
        let (line, msg) = one_error(&src);
        assert!(
            msg.contains("free cell `vector-2` has no model answer"),
            "{msg}"
        );
        let cell = src.find("id = \"vector-2\"").unwrap_or(0);
        let header = src
            .get(..cell)
            .and_then(|s| s.rfind("[[rows.cells]]"))
            .unwrap_or(0);
        assert_eq!(line, line_col(&src, header).0);
    }

    #[test]
    fn wrong_mode_value() {
        let src = table_src().replacen("mode = \"free\"", "mode = \"open\"", 1);
        let (line, msg) = one_error(&src);
        assert_eq!(line, line_of(&src, "\"open\""));
        assert!(msg.contains("unknown variant `open`"), "{msg}");
    }

    #[test]
    fn missing_and_unknown_kind() {
        let src = classify_src().replace("kind = \"classify\"\n", "");
        let (_, msg) = one_error(&src);
        assert!(msg.contains("missing key `kind`"));
        let src = classify_src().replace("kind = \"classify\"", "kind = \"sort\"");
        let (line, msg) = one_error(&src);
        assert_eq!(line, line_of(&src, "kind = \"sort\""));
        assert!(msg.contains("unknown exercise kind `sort`"));
    }

    #[test]
    fn toml_syntax_error() {
        let src = classify_src().replace("title = \"事例1", "title = 事例1");
        let (line, _) = one_error(&src);
        assert_eq!(line, line_of(&src, "title = 事例1"));
    }

    #[test]
    fn invalid_id_and_empty_text() {
        let src = classify_src().replace("id = \"a05\"", "id = \"a 05\"");
        let (line, msg) = one_error(&src);
        assert_eq!(line, line_of(&src, "\"a 05\""));
        assert!(msg.contains("invalid id"));
        let src = classify_src().replace(
            "explanation = \"同行は具体的支援です。\"",
            "explanation = \"  \"",
        );
        let (line, msg) = one_error(&src);
        assert_eq!(line, line_of(&src, "explanation = \"  \""));
        assert!(msg.contains("explanation is empty"));
    }

    #[test]
    fn line_col_counts_characters() {
        assert_eq!(line_col("ab\nあいx", 0), (1, 1));
        assert_eq!(line_col("ab\nあいx", 3), (2, 1));
        assert_eq!(line_col("ab\nあいx", 9), (2, 3));
        assert_eq!(line_col("ab", 99), (1, 3));
    }
}

#[test]
fn record_flow_check_retry_reveal() {
    let ex = Exercise::Classify(classify());
    let mut r = Record::default();
    assert_eq!(r.state(), "未着手");
    assert!(!r.can_reveal());
    r.answer("i0", "direct");
    r.answer("i1", "direct");
    assert_eq!(r.state(), "解答中");
    let g = r.check(&ex);
    assert_eq!(g.score_text(), "1 / 3");
    assert_eq!(
        (r.attempts, r.last, r.best, r.total),
        (1, Some(1), Some(1), 3)
    );
    assert!(r.checked && r.can_reveal());
    assert_eq!(r.state(), "挑戦済み");
    r.retry(&ex, true);
    assert!(!r.checked);
    assert_eq!(r.answers, answers(&[("i0", "direct")]));
    r.answer("i1", "indirect");
    r.answer("i2", "direct");
    r.check(&ex);
    assert_eq!((r.attempts, r.best), (2, Some(3)));
    assert_eq!(r.state(), "全問正解");
    r.retry(&ex, false);
    assert!(r.answers.is_empty());
    assert_eq!(r.best, Some(3)); // best score survives a restart
    r.answer("i0", "");
    assert!(r.answers.is_empty());
}

#[test]
fn csv_and_json_export() {
    let rows = vec![
        ProgressRow {
            id: "case01-classify".into(),
            title: "事例1, \"分類\"".into(),
            page: "cases/dokkyo.html".into(),
            state: "挑戦済み".into(),
            best: Some(8),
            total: 10,
            attempts: 2,
        },
        ProgressRow {
            id: "case01-table".into(),
            title: "表".into(),
            page: "cases/dokkyo.html".into(),
            state: "未着手".into(),
            best: None,
            total: 9,
            attempts: 0,
        },
    ];
    let csv = progress_csv(&rows);
    let lines: Vec<&str> = csv.trim_start_matches('\u{feff}').split("\r\n").collect();
    assert_eq!(lines[0], "id,title,page,state,best,total,attempts");
    assert_eq!(
        lines[1],
        "case01-classify,\"事例1, \"\"分類\"\"\",cases/dokkyo.html,挑戦済み,8,10,2"
    );
    assert_eq!(lines[2], "case01-table,表,cases/dokkyo.html,未着手,,9,0");
    let json = progress_json(&rows);
    assert!(json.starts_with("[{\"id\":\"case01-classify\",\"title\":\"事例1, \\\"分類\\\"\""));
    assert!(json.contains("\"best\":null"));
}

#[test]
fn content_hash_is_stable_and_sensitive() {
    assert_eq!(content_hash(b""), "cbf29ce484222325");
    assert_ne!(content_hash(b"a"), content_hash(b"b"));
    assert_eq!(content_hash(b"abc").len(), 16);
}
