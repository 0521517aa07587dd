use super::*;

fn classify() -> Classify {
    Classify {
        id: "c".into(),
        kind: Kind::Classify,
        title: "t".into(),
        instructions: String::new(),
        explanation_source: Source::Authors,
        shuffle: true,
        check: None,
        categories: vec![
            Category {
                id: "direct".into(),
                name: "直接的支援".into(),
                description: String::new(),
                mistake: String::new(),
            },
            Category {
                id: "indirect".into(),
                name: "間接的支援".into(),
                description: "会議体".into(),
                mistake: "会議ではありません".into(),
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
                why_not: BTreeMap::new(),
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

    // The error tests edit a fixed copy of the course's case 1 files (as
    // they were when these tests were written), so rewriting the course's
    // items never silently turns an edit into a no-op.
    fn table_src() -> &'static str {
        include_str!("testdata/table.toml")
    }
    fn classify_src() -> &'static str {
        include_str!("testdata/classify.toml")
    }
    fn course_table_src() -> &'static str {
        include_str!("../../content/exercises/case01-table.toml")
    }
    fn course_classify_src() -> &'static str {
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
        let Ok(Exercise::Classify(c)) = parse(course_classify_src()) else {
            panic!(
                "case01-classify does not parse: {:?}",
                parse(course_classify_src())
            )
        };
        assert_eq!(c.id, "case01-classify");
        assert!(c.grade(&c.solution()).all_correct());
        let Ok(ex @ Exercise::Table(_)) = parse(course_table_src()) else {
            panic!(
                "case01-table does not parse: {:?}",
                parse(course_table_src())
            )
        };
        let g = ex.grade(&ex.solution());
        assert!(g.all_correct() && g.total == ex.graded_count());
        let Exercise::Table(t) = &ex else { return };
        let labels: Vec<String> = t.cells().map(|(r, c)| cell_label(r, c)).collect();
        assert!(labels.contains(&"ベクトル合わせ ①顔合わせ".to_string()));
    }

    #[test]
    fn review_takes_chosen_table_cells_not_free_ones() {
        let Ok(ex @ Exercise::Table(_)) = parse(table_src()) else {
            panic!()
        };
        let items = reviewable(&ex);
        assert_eq!(
            items.len(),
            ex.graded_count(),
            "every chosen cell, no free one"
        );
        assert!(items.iter().all(|i| i.cell && i.options.len() > 2));
        let keys: std::collections::BTreeSet<&str> = items.iter().map(|i| i.key.as_str()).collect();
        assert_eq!(keys.len(), items.len(), "one key per cell");
        // kaigi-2 wrong, kaigi-1 right: only the wrong one is queued.
        let mut rec = Record::default();
        rec.answer("kaigi-1", "s03");
        rec.answer("kaigi-2", "s01");
        let mut q = Vec::new();
        review_after_check(&mut q, &ex, &rec, 10);
        let ids: Vec<&str> = q.iter().map(|r| r.item.as_str()).collect();
        assert_eq!(ids, ["kaigi-2"]);
        let cell = items.iter().find(|i| i.item == "kaigi-2");
        assert_eq!(
            cell.map(|i| i.text.as_str()),
            Some("会議体の機能 ②プランの終結時評価")
        );
        // As the 復習 page asks it: the statements as options, the right
        // one marked, a distractor's feedback kept.
        let asked = review_questions(&ex);
        let (key, question, cell) = &asked[1];
        assert!(*cell && *key == items[1].key && question.id == items[1].item);
        let right: Vec<&str> = question.right().map(|o| o.id.as_str()).collect();
        assert_eq!(right, [items[1].answer.as_str()]);
        assert!(question
            .options
            .iter()
            .any(|o| !o.correct && !o.feedback.is_empty()));
        // What the browser does with the keys as built: the same queue; a
        // key of an edited cell leaves it.
        let keys: Vec<(String, String)> = items
            .iter()
            .map(|i| (i.item.clone(), i.key.clone()))
            .collect();
        let mut q2 = vec![ReviewItem {
            key: "0000beef".into(),
            ..ReviewItem::default()
        }];
        review_after_grade(&mut q2, ex.id(), &keys, &ex.grade(&rec.answers), &rec, 10);
        assert_eq!(q2, q);
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
        // A free cell is 自己確認 when written, 未回答 when empty; neither
        // counts in the score.
        assert_eq!(g.verdict("vector-1"), Some(Verdict::SelfCheck));
        let Exercise::Table(t) = &ex else { panic!() };
        let empty_free: Vec<&str> = t
            .cells()
            .filter(|(_, c)| c.mode == CellMode::Free && c.id != "vector-1")
            .map(|(_, c)| c.id.as_str())
            .collect();
        assert!(!empty_free.is_empty());
        for id in empty_free {
            assert_eq!(g.verdict(id), Some(Verdict::Unanswered), "{id}");
        }
        let kept = g.keep_correct(&a);
        assert_eq!(
            kept,
            answers(&[("kaigi-1", "s03"), ("vector-1", "自分の言葉")])
        );
    }

    #[test]
    fn shuffle_and_check_keys() {
        let Ok(Exercise::Classify(c)) = parse(classify_src()) else {
            panic!()
        };
        assert!(c.shuffle && c.check.is_none());
        let src = classify_src().replacen(
            "kind = \"classify\"",
            "kind = \"classify\"\nshuffle = false\ncheck = \"pre\"",
            1,
        );
        let Ok(Exercise::Classify(c)) = parse(&src) else {
            panic!("{:?}", parse(&src))
        };
        assert!(!c.shuffle && c.check == Some(Check::Pre));
        let bad = classify_src().replacen(
            "kind = \"classify\"",
            "kind = \"classify\"\ncheck = \"mid\"",
            1,
        );
        let (line, msg) = one_error(&bad);
        assert_eq!(line, line_of(&bad, "check = \"mid\""));
        assert!(msg.contains("pre") && msg.contains("post"), "{msg}");
    }

    #[test]
    fn unknown_top_level_key() {
        let src = classify_src().replace(
            "kind = \"classify\"",
            "kind = \"classify\"\ncolour = \"red\"",
        );
        let (line, msg) = one_error(&src);
        assert_eq!(line, line_of(&src, "colour"));
        assert!(msg.contains("unknown key `colour`"), "{msg}");
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
        let src = table_src().replace("id = \"kansatsu-2\"", "id = \"kansatsu-2\"\nhunt = \"x\"");
        let (line, msg) = one_error(&src);
        assert_eq!(line, line_of(&src, "hunt = "));
        assert!(msg.contains("unknown key `hunt`"), "{msg}");
    }

    #[test]
    fn missing_answer_in_classify_item() {
        let src = classify_src().replace(
            "answer = \"indirect\"\nexplanation = \"会議体でのプラン",
            "explanation = \"会議体でのプラン",
        );
        let (line, msg) = one_error(&src);
        assert!(msg.contains("missing key `answer`"), "{msg}");
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
        let src = fixture("table").replacen("model = \"Bさん本人", "explanation = \"Bさん本人", 1);
        let (line, msg) = one_error(&src);
        assert!(
            msg.contains("free cell `vector-1` has no model answer"),
            "{msg}"
        );
        let cell = src.find("id = \"vector-1\"").unwrap_or(0);
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
        assert!(
            msg.contains("`mode` in [[cells]] 1 must be one of \"chosen\", \"free\", not \"open\""),
            "{msg}"
        );
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
        let src = fixture("classify").replace("id = \"b03\"", "id = \"b 03\"");
        let (line, msg) = one_error(&src);
        assert_eq!(line, line_of(&src, "\"b 03\""));
        assert!(msg.contains("invalid id"));
        let src = fixture("classify").replace(
            "explanation = \"会議体として支援の方針と分担を決めています。\"",
            "explanation = \"  \"",
        );
        let (line, msg) = one_error(&src);
        assert_eq!(line, line_of(&src, "explanation = \"  \""));
        assert!(msg.contains("explanation is empty"));
    }

    const KINDS: &str = "../../tests/fixtures/kinds/content/exercises";
    fn fixture(name: &str) -> &'static str {
        match name {
            "classify" => {
                include_str!("../../tests/fixtures/kinds/content/exercises/classify.toml")
            }
            "table" => include_str!("../../tests/fixtures/kinds/content/exercises/table.toml"),
            "worksheet" => {
                include_str!("../../tests/fixtures/kinds/content/exercises/worksheet.toml")
            }
            _ => include_str!("../../tests/fixtures/kinds/content/exercises/choice.toml"),
        }
    }

    #[test]
    fn three_categories_mistakes_and_why_not() {
        let Ok(Exercise::Classify(c)) = parse(fixture("classify")) else {
            panic!("{KINDS}/classify.toml: {:?}", parse(fixture("classify")))
        };
        assert_eq!(c.categories.len(), 3);
        let b02 = &c.items[1];
        // why_not overrides the category's mistake for that choice only.
        assert!(c
            .mistake(b02, "direct")
            .is_some_and(|m| m.starts_with("見守りそのもの")));
        assert!(c
            .mistake(b02, "solo")
            .is_some_and(|m| m.starts_with("この場面には")));
        assert_eq!(c.mistake(b02, "indirect"), None);
        let g = c.grade(&answers(&[("b01", "direct"), ("b03", "direct")]));
        assert_eq!(g.score_text(), "1 / 3");
    }

    #[test]
    fn why_not_must_name_another_category() {
        let src = fixture("classify").replace(
            "why_not = { direct = ",
            "why_not = { indirect = \"x\", drect = ",
        );
        let es = errors(&src);
        assert_eq!(es.len(), 2, "{es:?}");
        let line = line_of(&src, "why_not = {");
        assert!(es.iter().all(|(l, _)| *l == line), "{es:?}");
        assert!(es
            .iter()
            .any(|(_, m)| m.contains("`drect`, which is no category")));
        assert!(es.iter().any(|(_, m)| m.contains("the item's own answer")));
    }

    #[test]
    fn table_distractors_feedback_hints_checklist() {
        let Ok(ex @ Exercise::Table(_)) = parse(fixture("table")) else {
            panic!("{:?}", parse(fixture("table")))
        };
        let Exercise::Table(t) = &ex else { return };
        // s04 is used by no cell: a valid distractor.
        assert!(!t.cells().any(|(_, c)| c.answer.as_deref() == Some("s04")));
        let (_, cell) = t.cells().next().unwrap_or_else(|| panic!("no cells"));
        assert_eq!(
            t.mistake(cell, "s04"),
            Some("どの場面にも当てはまる一般論で、何をどう共有するのかが分かりません。")
        );
        assert_eq!(t.mistake(cell, "s03"), None);
        assert!(t.rows[0].hint.starts_with("講義の備考"));
        assert!(!cell.hint.is_empty());
        let free = t.cells().find(|(_, c)| c.mode == CellMode::Free);
        assert_eq!(free.map(|(_, c)| c.checklist.len()), Some(2));
        assert_eq!(ex.grade(&ex.solution()).score_text(), "3 / 3");
    }

    #[test]
    fn checklist_only_on_free_cells() {
        let src =
            fixture("table").replace("answer = \"s01\"", "answer = \"s01\"\nchecklist = [\"x\"]");
        let (line, msg) = one_error(&src);
        assert_eq!(line, line_of(&src, "checklist = [\"x\"]"));
        assert!(
            msg.contains("chosen cell `kansatsu-1` has a checklist"),
            "{msg}"
        );
    }

    #[test]
    fn worksheet_parses_and_is_not_graded() {
        let Ok(ex @ Exercise::Worksheet(_)) = parse(fixture("worksheet")) else {
            panic!("{:?}", parse(fixture("worksheet")))
        };
        assert_eq!(ex.item_count(), 4);
        assert_eq!(ex.graded_count(), 0);
        assert!(ex.accepts("ws-kaigi-1", "自由な文章"));
        assert!(!ex.accepts("nope", "x"));
        let a = answers(&[("ws-kaigi-1", "毎月の担当者会議で")]);
        let g = ex.grade(&a);
        assert_eq!((g.correct, g.total), (0, 0));
        let mut r = Record::default();
        assert_eq!(r.state(Kind::Worksheet, 4), "未着手");
        r.answer("ws-kaigi-1", "毎月の担当者会議で");
        assert_eq!(r.state(Kind::Worksheet, 4), "記入中");
        for id in ["ws-kaigi-2", "ws-vector-1", "ws-vector-2"] {
            r.answer(id, "書いた");
        }
        assert_eq!(r.state(Kind::Worksheet, 4), "記入済み");
        // The export carries the learner's text with its row and point.
        let lines = Field::answered(&ex.fields(), &r.answers, &Answers::new());
        assert_eq!(
            lines[0],
            (
                "会議体の機能 ①プランの適切性協議".to_string(),
                "毎月の担当者会議で".to_string()
            )
        );
    }

    #[test]
    fn worksheet_errors() {
        let src = fixture("worksheet")
            .replacen("prompt = \"誰が", "prompt = \"\"\nmodel = \"誰が", 1)
            .replace("id = \"ws-vector-2\"", "id = \"ws-kaigi\"");
        // The schema error and the semantic ones of the file, in order.
        let es = errors(&src);
        assert_eq!(es.len(), 3, "{es:?}");
        assert!(es[0].1.contains("prompt is empty"), "{es:?}");
        assert_eq!(es[1].0, line_of(&src, "model = "));
        assert!(es[1].1.contains("unknown key `model`"), "{es:?}");
        assert!(
            es[2].1.contains("duplicate row or cell id `ws-kaigi`"),
            "{es:?}"
        );
        let src = fixture("worksheet")
            .replacen(
                "prompt = \"誰が、何を、いつまでに行いますか。\"",
                "prompt = \" \"",
                1,
            )
            .replace("id = \"ws-vector-2\"", "id = \"ws-kaigi\"");
        let es = errors(&src);
        assert_eq!(es.len(), 2, "{es:?}");
        assert_eq!(
            es[0],
            (line_of(&src, "prompt = \" \""), "prompt is empty".into())
        );
        assert_eq!(es[1].0, line_of(&src, "id = \"ws-kaigi\"\npoint"));
        assert!(
            es[1].1.contains("duplicate row or cell id `ws-kaigi`"),
            "{}",
            es[1].1
        );
    }

    #[test]
    fn choice_all_that_apply_with_one_right_option() {
        // `multiple = true`: checkboxes even with one right option, so the
        // form does not tell how many answers a story has.
        let text = r#"
id = "c"
kind = "choice"
title = "t"
[[questions]]
id = "q1"
text = "story"
explanation = "e"
multiple = true
[[questions.options]]
id = "a"
text = "A"
correct = true
feedback = "f"
[[questions.options]]
id = "b"
text = "B"
feedback = "f"
"#;
        let Ok(ex @ Exercise::Choice(_)) = parse(text) else {
            panic!("{:?}", parse(text))
        };
        let Exercise::Choice(c) = &ex else { return };
        assert!(c.questions[0].multiple());
        assert!(ex.accepts("q1", "a,b"));
        assert_eq!(ex.grade(&answers(&[("q1", "a")])).score_text(), "1 / 1");
        let g = ex.grade(&answers(&[("q1", "a,b")]));
        assert_eq!(g.verdict("q1"), Some(Verdict::Incorrect));
        // Without the key, one right option means radios: one pick only.
        let single = text.replace("multiple = true\n", "");
        let Ok(one) = parse(&single) else {
            panic!("{:?}", parse(&single))
        };
        assert!(!one.accepts("q1", "a,b"));
    }

    #[test]
    fn choice_single_and_multiple() {
        let Ok(ex @ Exercise::Choice(_)) = parse(fixture("choice")) else {
            panic!("{:?}", parse(fixture("choice")))
        };
        let Exercise::Choice(c) = &ex else { return };
        assert!(!c.questions[0].multiple());
        assert!(c.questions[1].multiple());
        assert_eq!(ex.graded_count(), 2);
        // Order does not matter; a subset or an extra option is wrong.
        let g = ex.grade(&answers(&[("q1", "vector"), ("q2", "role,share")]));
        assert_eq!(g.score_text(), "2 / 2");
        let g = ex.grade(&answers(&[("q1", "kaigi"), ("q2", "share")]));
        assert_eq!(g.verdict("q1"), Some(Verdict::Incorrect));
        assert_eq!(g.verdict("q2"), Some(Verdict::Incorrect));
        let g = ex.grade(&answers(&[("q2", "share,role,value")]));
        assert_eq!(g.verdict("q1"), Some(Verdict::Unanswered));
        assert_eq!(g.verdict("q2"), Some(Verdict::Incorrect));
        assert_eq!(ex.grade(&ex.solution()).score_text(), "2 / 2");
        // Radios take one option; unknown options are refused.
        assert!(ex.accepts("q1", "kaigi"));
        assert!(!ex.accepts("q1", "kaigi,vector"));
        assert!(ex.accepts("q2", "share,value"));
        assert!(!ex.accepts("q2", "share,nope"));
        assert!(ex.accepts("q2", ""));
        let lines = Field::answered(
            &ex.fields(),
            &answers(&[("q2", "share,role")]),
            &answers(&[("q2", "unsure")]),
        );
        assert_eq!(
            lines[0].1,
            "3つの共有（情報の共有）／会議体の機能（役割分担）（自信なし）"
        );
    }

    #[test]
    fn choice_errors() {
        // No right option in q1; a duplicate option id in q2.
        let src = fixture("choice")
            .replacen("correct = true\n", "", 1)
            .replace("id = \"role\"", "id = \"share\"");
        let es = errors(&src);
        assert_eq!(es.len(), 2, "{es:?}");
        assert!(
            es[0].1.contains("question `q1` has no right option"),
            "{es:?}"
        );
        assert_eq!(es[1].0, line_of(&src, "id = \"share\"\ntext = \"会議体"));
        assert!(es[1].1.contains("duplicate option id `share`"));
        let src = fixture("choice").replace(
            "feedback = \"役割分担はできていました。欠けていたのは本人の参加です。\"\n",
            "",
        );
        let (_, msg) = one_error(&src);
        assert!(msg.contains("missing key `feedback`"), "{msg}");
    }

    #[test]
    fn every_key_and_type_problem_in_one_run() {
        // Four problems in different tables: all reported, in file order,
        // each at its own line (serde alone stops at the first).
        let src = classify_src()
            .replacen("title = ", "colour = \"red\"\ntitle = ", 1)
            .replacen("id = \"a02\"", "id = \"a02\"\nexplenation = \"x\"", 1)
            .replacen("id = \"a03\"", "id = 3", 1)
            .replacen("answer = \"indirect\"\n", "", 1);
        let es = errors(&src);
        assert_eq!(es.len(), 4, "{es:?}");
        assert_eq!(es[0].0, line_of(&src, "colour"));
        assert!(es[0].1.contains("unknown key `colour`"), "{es:?}");
        assert!(es[1].1.contains("missing key `answer`"), "{es:?}");
        assert_eq!(es[2].0, line_of(&src, "explenation"));
        assert!(es[2].1.contains("unknown key `explenation` in [[items]] 2"));
        assert_eq!(es[3].0, line_of(&src, "id = 3"));
        assert!(
            es[3].1.contains("`id` in [[items]] 3 must be a string"),
            "{es:?}"
        );
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
    assert_eq!(r.state(Kind::Classify, 0), "未着手");
    assert!(!r.can_reveal());
    r.answer("i0", "direct");
    r.answer("i1", "direct");
    assert_eq!(r.state(Kind::Classify, 0), "解答中");
    let g = r.check(&ex);
    assert_eq!(g.score_text(), "1 / 3");
    assert_eq!(
        (r.attempts, r.last, r.best, r.total),
        (1, Some(1), Some(1), 3)
    );
    assert!(r.checked && r.can_reveal());
    assert_eq!(r.state(Kind::Classify, 0), "挑戦済み");
    r.retry(&ex, true);
    assert!(!r.checked);
    assert_eq!(r.answers, answers(&[("i0", "direct")]));
    r.answer("i1", "indirect");
    r.answer("i2", "direct");
    r.check(&ex);
    assert_eq!((r.attempts, r.best), (2, Some(3)));
    assert_eq!(r.first, Some(1), "the first attempt's score stays");
    assert_eq!(r.state(Kind::Classify, 0), "全問正解");
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
            kind: Kind::Classify,
            state: "挑戦済み".into(),
            best: Some(8),
            total: 10,
            attempts: 2,
            answers: vec![("項目".into(), "直接的支援".into())],
            version: "0123456789abcdef".into(),
            values: [("i1".to_string(), "direct".to_string())].into(),
            confidence: [("i1".to_string(), "sure".to_string())].into(),
        },
        ProgressRow {
            id: "case01-table".into(),
            title: "表".into(),
            page: "cases/dokkyo.html".into(),
            kind: Kind::Table,
            state: "未着手".into(),
            best: None,
            total: 9,
            attempts: 0,
            answers: vec![],
            version: String::new(),
            values: Answers::new(),
            confidence: Answers::new(),
        },
        ProgressRow {
            id: "own".into(),
            title: "ワークシート".into(),
            page: "own.html".into(),
            kind: Kind::Worksheet,
            state: "記入中".into(),
            best: None,
            total: 0,
            attempts: 0,
            answers: vec![
                ("会議 ①協議".into(), "毎月の会議で\n「話す」".into()),
                ("会議 ②分担".into(), "私".into()),
            ],
            version: String::new(),
            values: Answers::new(),
            confidence: Answers::new(),
        },
    ];
    let who = Learner {
        name: " 山田 花子 ".into(),
        date: "2026-12-07".into(),
        site: "連携, 研修".into(),
        site_id: "abcd1234".into(),
    };
    let csv = progress_csv(&rows, &who);
    let body = csv.trim_start_matches('\u{feff}');
    let lines: Vec<&str> = body.split("\r\n").collect();
    assert_eq!(
        lines[0],
        "演習ID,演習名,ページ,種類,状態,最高得点,満点,答え合わせの回数,解答・記入内容,名前,記録日,サイト,サイトID,版,解答データ"
    );
    assert_eq!(
        lines[1],
        "case01-classify,\"事例1, \"\"分類\"\"\",cases/dokkyo.html,分類,挑戦済み,8,10,2,項目：直接的支援,山田 花子,2026-12-07,\"連携, 研修\",abcd1234,01234567,\"{\"\"values\"\":{\"\"i1\"\":\"\"direct\"\"},\"\"confidence\"\":{\"\"i1\"\":\"\"sure\"\"}}\""
    );
    assert_eq!(
        lines[2],
        "case01-table,表,cases/dokkyo.html,ポイント整理表,未着手,,9,0,,山田 花子,2026-12-07,\"連携, 研修\",abcd1234,,\"{\"\"values\"\":{},\"\"confidence\"\":{}}\""
    );
    assert_eq!(
        lines[3],
        "own,ワークシート,own.html,ワークシート,記入中,,,,\"会議 ①協議：毎月の会議で\n「話す」\n会議 ②分担：私\",山田 花子,2026-12-07,\"連携, 研修\",abcd1234,,\"{\"\"values\"\":{},\"\"confidence\"\":{}}\""
    );
    let json = progress_json(&rows, &who);
    assert!(json.starts_with(
        "{\"site\":\"連携, 研修\",\"site_id\":\"abcd1234\",\"name\":\"山田 花子\",\"date\":\"2026-12-07\",\"exercises\":[\n{\"id\":\"case01-classify\",\"version\":\"01234567\",\"title\":\"事例1, \\\"分類\\\"\""
    ));
    assert!(json.contains("\"best\":null"));
    assert!(json.contains("\"values\":{\"i1\":\"direct\"},\"confidence\":{\"i1\":\"sure\"}}"));
    assert!(json.contains(
        "\"kind\":\"worksheet\",\"state\":\"記入中\",\"best\":null,\"total\":0,\"attempts\":0,\"answers\":[{\"label\":\"会議 ①協議\",\"text\":\"毎月の会議で\\n「話す」\"}"
    ));
}

#[test]
fn json_escapes_control_characters() {
    let row = ProgressRow {
        id: "x".into(),
        title: "a\u{1}b\u{1f}".into(),
        page: String::new(),
        kind: Kind::Classify,
        state: String::new(),
        best: None,
        total: 0,
        attempts: 0,
        answers: vec![],
        version: String::new(),
        values: Answers::new(),
        confidence: Answers::new(),
    };
    let json = progress_json(&[row], &Learner::default());
    assert!(json.contains("\"title\":\"a\\u0001b\\u001f\""), "{json}");
}

#[test]
fn record_file_names_carry_name_and_date_safely() {
    let file = |name: &str| {
        Learner {
            name: name.into(),
            date: "2026-12-07".into(),
            ..Learner::default()
        }
        .file_name("json")
    };
    assert_eq!(file("山田"), "kenshu-record-山田-2026-12-07.json");
    assert_eq!(file("  "), "kenshu-record-2026-12-07.json");
    assert_eq!(file("山田 花子"), "kenshu-record-山田_花子-2026-12-07.json");
    // Nothing a file system refuses or reads as a path.
    assert_eq!(
        file("../a/b\\c:d*e?f\"g<h>i|j\u{7}"),
        "kenshu-record-abcdefghij-2026-12-07.json"
    );
    assert_eq!(file("..."), "kenshu-record-2026-12-07.json");
    let long = file(&"あ".repeat(100));
    assert_eq!(
        long.chars().count(),
        "kenshu-record--2026-12-07.json".len() + 32
    );
}

#[test]
fn confidence_is_one_tap_and_cleared_by_a_new_attempt() {
    let ex = Exercise::Classify(classify());
    let mut r = Record::default();
    r.set_confidence("a1", SURE);
    assert_eq!(r.sure("a1"), Some(true));
    r.set_confidence("a1", UNSURE);
    assert_eq!(r.sure("a1"), Some(false));
    r.set_confidence("a1", UNSURE);
    assert_eq!(r.sure("a1"), None, "the same tap again clears it");
    r.set_confidence("a2", SURE);
    r.check(&ex);
    r.retry(&ex, true);
    assert!(r.confidence.is_empty());
}

#[test]
fn review_spacing_1_3_7_wrong_next_day() {
    let ex = Exercise::Classify(classify());
    let c = classify();
    let mut rec = Record::default();
    // i0 wrong, i1 right but unsure, i2 right.
    rec.answer("i0", "indirect");
    rec.answer("i1", &c.items[1].answer);
    rec.answer("i2", &c.items[2].answer);
    rec.set_confidence("i1", UNSURE);
    let right0 = c.items[0].answer.clone();
    let mut q = Vec::new();
    review_after_check(&mut q, &ex, &rec, 100);
    let ids: Vec<&str> = q.iter().map(|r| r.item.as_str()).collect();
    assert_eq!(ids, ["i0", "i1"]);
    assert!(q.iter().all(|r| r.due == 101 && r.step == 0));
    assert!(due_round(&q, 100).is_empty());
    assert_eq!(due_round(&q, 101).len(), 2);
    // Right in review: 1, 3, 7 days, then out; wrong: the next day again.
    let item = q[0].clone();
    let a = item.answered(true, 101).unwrap_or_default();
    assert_eq!((a.due, a.step), (102, 1));
    let b = a.answered(true, 102).unwrap_or_default();
    assert_eq!((b.due, b.step), (105, 2));
    let w = b.clone().answered(false, 105).unwrap_or_default();
    assert_eq!((w.due, w.step), (106, 0));
    let c7 = b.answered(true, 105).unwrap_or_default();
    assert_eq!((c7.due, c7.step), (112, 3));
    assert_eq!(c7.answered(true, 112), None, "learned: leaves the queue");
    // Answered right (and not unsure) in the exercise: it moves on.
    let mut rec2 = Record::default();
    rec2.answer("i0", &right0);
    review_after_check(&mut q, &ex, &rec2, 101);
    assert_eq!(
        q.iter().find(|r| r.item == "i0").map(|r| (r.due, r.step)),
        Some((102, 1))
    );
    // An edited item is another item: its history is retired.
    let mut edited = classify();
    edited.items[1].text.push_str("（改）");
    review_after_check(&mut q, &Exercise::Classify(edited), &Record::default(), 101);
    assert!(q.iter().all(|r| r.item != "i1"), "{q:?}");
}

#[test]
fn review_rounds_mix_exercises_and_stop_at_ten() {
    let item = |ex: &str, n: u32| ReviewItem {
        key: format!("{ex}{n}"),
        exercise: ex.into(),
        item: n.to_string(),
        due: n,
        ..ReviewItem::default()
    };
    let mut q: Vec<ReviewItem> = (0..8).map(|n| item("case1", n)).collect();
    q.extend((0..8).map(|n| item("case5", 20 + n)));
    q.push(item("case5", 5));
    let round = due_round(&q, 100);
    assert_eq!(round.len(), ROUND);
    let exs: Vec<&str> = round.iter().map(|r| r.exercise.as_str()).collect();
    assert_eq!(&exs[..4], ["case1", "case5", "case1", "case5"], "{exs:?}");
    assert_eq!(round[0].due, 0);
}

#[test]
fn attempt_orders_are_shuffles_kept_per_seed() {
    assert_eq!(order(5, 0), [0, 1, 2, 3, 4]);
    let a = order(12, 7);
    assert_eq!(a, order(12, 7), "the same seed, the same order");
    let mut sorted = a.clone();
    sorted.sort_unstable();
    assert_eq!(sorted, (0..12).collect::<Vec<_>>(), "a permutation");
    assert_ne!(a, order(12, 8));
    assert_ne!(a, order(12, 0));
    assert!(order(0, 3).is_empty() && order(1, 3) == [0]);
}

#[test]
fn classify_mistake_feedback() {
    let mut c = classify();
    let item = c.items[0].clone(); // answer: direct
    assert_eq!(c.mistake(&item, "indirect"), Some("会議ではありません"));
    assert_eq!(c.mistake(&item, "direct"), None);
    c.items[0]
        .why_not
        .insert("indirect".into(), "この項目は…".into());
    let item = c.items[0].clone();
    assert_eq!(c.mistake(&item, "indirect"), Some("この項目は…"));
    // An item of the category without `mistake`: nothing to add.
    let item = c.items[1].clone(); // answer: indirect
    assert_eq!(c.mistake(&item, "direct"), None);
}

#[test]
fn content_hash_is_stable_and_sensitive() {
    assert_eq!(content_hash(b""), "cbf29ce484222325");
    assert_ne!(content_hash(b"a"), content_hash(b"b"));
    assert_eq!(content_hash(b"abc").len(), 16);
}
