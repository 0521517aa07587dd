//! JSON through the browser's own `JSON.parse` / `JSON.stringify`, decoded
//! by hand into the model's types. The generator validated the data with
//! the same model (serde) at build time; decoding here without serde keeps
//! serde's visitors and float formatting out of the bundle (~10 KiB gzip).
//! Missing or mistyped fields decode to defaults, never panic.

// The 復習 bundle decodes only a question and a few fields.
#![cfg_attr(feature = "review", allow(dead_code))]

use js_sys::{Array, Object, Reflect, JSON};
use kenshu_exercises::{
    Answers, Category, Cell, CellMode, Check, Choice, ChoiceOption, Classify, Exercise, Item, Kind,
    Question, Record, Row, Source, Statement, Table, Worksheet, WorksheetCell, WorksheetRow,
};
use std::collections::BTreeMap;
use wasm_bindgen::{JsCast, JsValue};

pub fn parse(text: &str) -> Option<JsValue> {
    JSON::parse(text).ok().filter(|v| v.is_object())
}

pub fn stringify(v: &JsValue) -> Option<String> {
    JSON::stringify(v).ok()?.as_string()
}

pub fn get(o: &JsValue, k: &str) -> JsValue {
    Reflect::get(o, &JsValue::from_str(k)).unwrap_or(JsValue::UNDEFINED)
}

pub fn string(o: &JsValue, k: &str) -> String {
    get(o, k).as_string().unwrap_or_default()
}

fn opt_string(o: &JsValue, k: &str) -> Option<String> {
    get(o, k).as_string()
}

pub fn number(o: &JsValue, k: &str) -> Option<u32> {
    get(o, k)
        .as_f64()
        .filter(|f| f.is_finite() && *f >= 0.0)
        .map(|f| f as u32)
}

pub fn strings(o: &JsValue, k: &str) -> Vec<String> {
    get(o, k)
        .dyn_into::<Array>()
        .map(|a| a.iter().filter_map(|v| v.as_string()).collect())
        .unwrap_or_default()
}

/// An object of strings (e.g. `why_not`).
fn string_map(o: &JsValue, k: &str) -> BTreeMap<String, String> {
    let v = get(o, k);
    let mut out = BTreeMap::new();
    if v.is_object() {
        for pair in Object::entries(v.unchecked_ref::<Object>()).to_vec() {
            let pair: Array = pair.unchecked_into();
            if let (Some(k), Some(val)) = (pair.get(0).as_string(), pair.get(1).as_string()) {
                out.insert(k, val);
            }
        }
    }
    out
}

/// `[[a, b], …]` as pairs of strings.
pub fn pairs(o: &JsValue, k: &str) -> Vec<(String, String)> {
    list(o, k)
        .iter()
        .filter_map(|p| {
            let p: &Array = p.dyn_ref()?;
            Some((p.get(0).as_string()?, p.get(1).as_string()?))
        })
        .collect()
}

fn boolean(o: &JsValue, k: &str) -> bool {
    get(o, k).as_bool().unwrap_or(false)
}

pub fn list(o: &JsValue, k: &str) -> Vec<JsValue> {
    get(o, k)
        .dyn_into::<Array>()
        .map(|a| a.to_vec())
        .unwrap_or_default()
}

fn source(o: &JsValue, k: &str) -> Option<Source> {
    match get(o, k).as_string()?.as_str() {
        "lecture" => Some(Source::Lecture),
        "authors" => Some(Source::Authors),
        _ => None,
    }
}

pub fn check(o: &JsValue) -> Option<Check> {
    match get(o, "check").as_string()?.as_str() {
        "pre" => Some(Check::Pre),
        "post" => Some(Check::Post),
        _ => None,
    }
}

fn classify(o: &JsValue) -> Classify {
    Classify {
        id: string(o, "id"),
        kind: Kind::Classify,
        title: string(o, "title"),
        instructions: string(o, "instructions"),
        explanation_source: source(o, "explanation_source").unwrap_or_default(),
        shuffle: get(o, "shuffle").as_bool().unwrap_or(true),
        check: check(o),
        categories: list(o, "categories")
            .iter()
            .map(|c| Category {
                id: string(c, "id"),
                name: string(c, "name"),
                description: string(c, "description"),
                mistake: string(c, "mistake"),
            })
            .collect(),
        items: list(o, "items")
            .iter()
            .map(|i| Item {
                id: string(i, "id"),
                text: string(i, "text"),
                answer: string(i, "answer"),
                explanation: string(i, "explanation"),
                note: string(i, "note"),
                source: source(i, "source"),
                why_not: string_map(i, "why_not"),
            })
            .collect(),
    }
}

fn table(o: &JsValue) -> Table {
    Table {
        id: string(o, "id"),
        kind: Kind::Table,
        title: string(o, "title"),
        instructions: string(o, "instructions"),
        explanation_source: source(o, "explanation_source").unwrap_or_default(),
        shuffle: get(o, "shuffle").as_bool().unwrap_or(true),
        check: check(o),
        statements: list(o, "statements")
            .iter()
            .map(|s| Statement {
                id: string(s, "id"),
                text: string(s, "text"),
                feedback: string(s, "feedback"),
            })
            .collect(),
        rows: list(o, "rows")
            .iter()
            .map(|r| Row {
                id: string(r, "id"),
                name: string(r, "name"),
                hint: string(r, "hint"),
                cells: list(r, "cells")
                    .iter()
                    .map(|c| Cell {
                        id: string(c, "id"),
                        point: string(c, "point"),
                        mode: if string(c, "mode") == "free" {
                            CellMode::Free
                        } else {
                            CellMode::Chosen
                        },
                        answer: opt_string(c, "answer"),
                        model: opt_string(c, "model"),
                        explanation: string(c, "explanation"),
                        hint: string(c, "hint"),
                        checklist: strings(c, "checklist"),
                    })
                    .collect(),
            })
            .collect(),
    }
}

fn worksheet(o: &JsValue) -> Worksheet {
    Worksheet {
        id: string(o, "id"),
        kind: Kind::Worksheet,
        title: string(o, "title"),
        instructions: string(o, "instructions"),
        rows: list(o, "rows")
            .iter()
            .map(|r| WorksheetRow {
                id: string(r, "id"),
                name: string(r, "name"),
                hint: string(r, "hint"),
                cells: list(r, "cells")
                    .iter()
                    .map(|c| WorksheetCell {
                        id: string(c, "id"),
                        point: string(c, "point"),
                        prompt: string(c, "prompt"),
                    })
                    .collect(),
            })
            .collect(),
    }
}

fn choice(o: &JsValue) -> Choice {
    Choice {
        id: string(o, "id"),
        kind: Kind::Choice,
        title: string(o, "title"),
        instructions: string(o, "instructions"),
        explanation_source: source(o, "explanation_source").unwrap_or_default(),
        shuffle: get(o, "shuffle").as_bool().unwrap_or(true),
        check: check(o),
        questions: list(o, "questions").iter().map(question).collect(),
    }
}

pub fn question(q: &JsValue) -> Question {
    Question {
        id: string(q, "id"),
        text: string(q, "text"),
        explanation: string(q, "explanation"),
        source: source(q, "source"),
        multiple: boolean(q, "multiple"),
        options: list(q, "options")
            .iter()
            .map(|x| ChoiceOption {
                id: string(x, "id"),
                text: string(x, "text"),
                correct: boolean(x, "correct"),
                feedback: string(x, "feedback"),
            })
            .collect(),
    }
}

/// `{"classify": {...}}`, `{"table": {...}}`, `{"worksheet": {...}}` or
/// `{"choice": {...}}` (serde's external tagging).
pub fn exercise(v: &JsValue) -> Option<Exercise> {
    let c = get(v, "classify");
    if c.is_object() {
        return Some(Exercise::Classify(classify(&c)));
    }
    let t = get(v, "table");
    if t.is_object() {
        return Some(Exercise::Table(table(&t)));
    }
    let w = get(v, "worksheet");
    if w.is_object() {
        return Some(Exercise::Worksheet(worksheet(&w)));
    }
    let q = get(v, "choice");
    q.is_object().then(|| Exercise::Choice(choice(&q)))
}

pub fn kind(v: &JsValue, k: &str) -> Kind {
    match get(v, k).as_string().as_deref() {
        Some("table") => Kind::Table,
        Some("worksheet") => Kind::Worksheet,
        Some("choice") => Kind::Choice,
        _ => Kind::Classify,
    }
}

pub fn record(v: &JsValue) -> Record {
    let answers: Answers = string_map(v, "answers");
    Record {
        answers,
        checked: boolean(v, "checked"),
        attempts: number(v, "attempts").unwrap_or(0),
        last: number(v, "last"),
        best: number(v, "best"),
        first: number(v, "first"),
        total: number(v, "total").unwrap_or(0),
        revealed: boolean(v, "revealed"),
        seed: number(v, "seed").unwrap_or(0),
        confidence: string_map(v, "confidence"),
    }
}

fn set(o: &Object, k: &str, v: &JsValue) {
    let _ = Reflect::set(o, &JsValue::from_str(k), v);
}

fn num(n: Option<u32>) -> JsValue {
    n.map_or(JsValue::NULL, |n| JsValue::from_f64(f64::from(n)))
}

/// The record as JSON text (same shape serde would write).
pub fn record_json(r: &Record) -> Option<String> {
    let answers = Object::new();
    for (k, v) in &r.answers {
        set(&answers, k, &JsValue::from_str(v));
    }
    let confidence = Object::new();
    for (k, v) in &r.confidence {
        set(&confidence, k, &JsValue::from_str(v));
    }
    let o = Object::new();
    set(&o, "answers", &answers);
    set(&o, "confidence", &confidence);
    set(&o, "checked", &JsValue::from_bool(r.checked));
    set(&o, "attempts", &num(Some(r.attempts)));
    set(&o, "last", &num(r.last));
    set(&o, "best", &num(r.best));
    set(&o, "first", &num(r.first));
    set(&o, "total", &num(Some(r.total)));
    set(&o, "revealed", &JsValue::from_bool(r.revealed));
    set(&o, "seed", &num(Some(r.seed)));
    stringify(&o)
}
