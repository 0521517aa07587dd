//! `kenshu report`: what a group answered, from the trainees' 学習の記録
//! files (JSON or CSV as the progress page exports them, or the
//! `cmi.suspend_data` a SCORM package's runtime stored in an LMS, saved as
//! a text file), as one static HTML page. The 集計 page of the lecturers' area does the same in the
//! browser (theme/static/report.js) over the same [`SiteData`], which
//! `kenshu build` writes into the page; the two must agree figure for
//! figure, so every rule here is simple integer arithmetic that the JS
//! mirrors line by line.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use kenshu_exercises::{chosen_options, Answers};
use serde::Serialize;
use serde_json::Value;

use crate::html::escape;
pub use crate::render::exercise::{ExData, ItemData, SiteData};

/// Records larger than this are rejected unread.
pub const MAX_BYTES: u64 = 5 * 1024 * 1024;

/// One trainee's record as read from a file.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Record {
    pub file: String,
    pub name: String,
    pub date: String,
    pub site_id: String,
    /// Exercise id → (version, values, confidence).
    pub exercises: BTreeMap<String, (String, Answers, Answers)>,
    /// Exercise id → best score (what 修了 counts, as 学習の記録 does).
    pub best: BTreeMap<String, u32>,
    /// From an LMS's suspend_data: exercise id → the graded answers in the
    /// order of the exercise's items (its slots), given their ids when
    /// aggregating, where the site is known.
    pub slotted: BTreeMap<String, Vec<String>>,
}

/// A string field of a JSON object ("" when missing or not a string).
fn text(v: &Value, key: &str) -> String {
    v.get(key).and_then(Value::as_str).unwrap_or("").to_string()
}

/// A JSON object of strings as a map; None when it is something else.
fn map_of(v: Option<&Value>) -> Option<Answers> {
    match v {
        None | Some(Value::Null) => Some(Answers::new()),
        Some(Value::Object(m)) => m
            .iter()
            .map(|(k, v)| v.as_str().map(|s| (k.clone(), s.to_string())))
            .collect(),
        Some(_) => None,
    }
}

/// The 1-based line of byte offset `at` in `text`.
fn line_at(text: &str, at: usize) -> usize {
    text.get(..at).map_or(1, |t| t.matches('\n').count() + 1)
}

const NOT_A_RECORD: &str =
    "not a 学習の記録: expected the JSON or CSV that 学習の記録's download buttons save";

/// Reads one record (`file` is the name shown in messages). An error is
/// `file:line: what is wrong`.
pub fn parse_record(file: &str, text: &str) -> Result<Record, String> {
    let body = text.trim_start_matches('\u{feff}');
    let offset = text.len() - body.len();
    let first = body.trim_start();
    if first.starts_with("{~") {
        parse_wire(file, first.trim_end())
    } else if first.starts_with('{') {
        parse_json(file, body)
    } else if first.starts_with("演習ID,") {
        parse_csv(file, body, offset)
    } else {
        Err(format!("{file}:1: {NOT_A_RECORD}"))
    }
}

fn parse_json(file: &str, body: &str) -> Result<Record, String> {
    let v: Value = serde_json::from_str(body)
        .map_err(|e| format!("{file}:{}:{}: not valid JSON: {e}", e.line(), e.column()))?;
    if is_state(&v) {
        return parse_state(file, &v);
    }
    let Some(list) = v.get("exercises").and_then(Value::as_array) else {
        return Err(format!("{file}:1: {NOT_A_RECORD} (no \"exercises\" list)"));
    };
    let mut rec = Record {
        file: file.to_string(),
        name: text(&v, "name"),
        date: text(&v, "date"),
        site_id: text(&v, "site_id"),
        ..Record::default()
    };
    for (i, e) in list.iter().enumerate() {
        // The export writes one exercise per line after the first.
        let line = i + 2;
        let id = text(e, "id");
        if id.is_empty() {
            return Err(format!("{file}:{line}: exercise {} has no \"id\"", i + 1));
        }
        let (Some(values), Some(confidence)) =
            (map_of(e.get("values")), map_of(e.get("confidence")))
        else {
            return Err(format!(
                "{file}:{line}: exercise {id}: \"values\" and \"confidence\" must be objects of strings"
            ));
        };
        // A whole number, as the script reads it (JSON has one number type).
        if let Some(b) = e
            .get("best")
            .and_then(Value::as_f64)
            .filter(|b| b.fract() == 0.0 && (0.0..=f64::from(u32::MAX)).contains(b))
        {
            let b = b as u32;
            rec.best.insert(id.clone(), b);
        }
        rec.exercises
            .insert(id, (text(e, "version"), values, confidence));
    }
    Ok(rec)
}

/// `decodeURIComponent`: `%XX` sequences as UTF-8 bytes; None when one is
/// malformed or the bytes are not UTF-8 (where the script throws).
fn percent_decode_strict(text: &str) -> Option<String> {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hex = text.get(i + 1..i + 3)?;
            if !hex.bytes().all(|b| b.is_ascii_hexdigit()) {
                return None;
            }
            out.push(u8::from_str_radix(hex, 16).ok()?);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).ok()
}

/// Is `v` the state a SCORM package's runtime keeps in suspend_data
/// (`{"v":2,"e":{…}}`, generator/src/package/scorm.js)?
fn is_state(v: &Value) -> bool {
    v.get("v").and_then(Value::as_f64) == Some(2.0) && v.get("e").is_some_and(Value::is_object)
}

/// suspend_data as the runtime stores it in an LMS: its JSON with every
/// `"` written as `~` and a few characters percent-encoded.
fn parse_wire(file: &str, text: &str) -> Result<Record, String> {
    let json = percent_decode_strict(&text.replace('~', "\"")).ok_or_else(|| {
        format!("{file}:1: not a 学習の記録 or SCORM suspend_data: a % is not followed by two hex digits of UTF-8")
    })?;
    let v: Value = serde_json::from_str(&json).map_err(|e| {
        format!("{file}:1: SCORM suspend_data that is not valid JSON once decoded: {e}")
    })?;
    if !is_state(&v) {
        return Err(format!(
            "{file}:1: {NOT_A_RECORD} (nor the suspend_data of a kenshu SCORM package)"
        ));
    }
    parse_state(file, &v)
}

/// A record from the runtime's state: `e` maps each exercise id to
/// `[hash, attempts, best, last, total, flags, graded, free, more]`
/// (graded: the answers of the exercise's items in order, joined by `|`;
/// free: other answers by id; more: other fields, confidence among them).
/// suspend_data names no trainee, date or site: the name is the file's
/// (`山田.txt` → 山田), the site is taken to be this one (the exercises'
/// versions still tell another version apart).
fn parse_state(file: &str, v: &Value) -> Result<Record, String> {
    let name = Path::new(file)
        .file_stem()
        .map(|s| s.to_string_lossy().to_string())
        .unwrap_or_default();
    let mut rec = Record {
        file: file.to_string(),
        name,
        site_id: SAME_SITE.to_string(),
        ..Record::default()
    };
    let Some(entries) = v.get("e").and_then(Value::as_object) else {
        return Err(format!("{file}:1: {NOT_A_RECORD}"));
    };
    for (id, c) in entries {
        let Some(hash) = c.get(0).and_then(Value::as_str) else {
            return Err(format!(
                "{file}:1: suspend_data: exercise {id} is not [hash, attempts, best, …]"
            ));
        };
        let mut values = Answers::new();
        if let Some(free) = c.get(7).and_then(Value::as_object) {
            for (k, x) in free {
                if let Some(x) = x.as_str() {
                    values.insert(k.clone(), x.to_string());
                }
            }
        }
        // A list or a string in place of the fields gives no "confidence".
        let confidence = map_of(c.get(8).and_then(|m| m.get("confidence"))).unwrap_or_default();
        if let Some(b) = c
            .get(2)
            .and_then(Value::as_f64)
            .filter(|b| b.fract() == 0.0 && (0.0..=f64::from(u32::MAX)).contains(b))
        {
            rec.best.insert(id.clone(), b as u32);
        }
        let graded = c.get(6).and_then(Value::as_str).unwrap_or("");
        if !graded.is_empty() {
            rec.slotted
                .insert(id.clone(), graded.split('|').map(str::to_string).collect());
        }
        rec.exercises
            .insert(id.clone(), (hash.to_string(), values, confidence));
    }
    Ok(rec)
}

/// The site id of a record from suspend_data (which names none): the
/// aggregation reads it as the site's own.
const SAME_SITE: &str = "\u{0}same-site";

/// RFC 4180 records of `body`, each with the 1-based line it starts on.
pub fn csv_records(body: &str) -> Result<Vec<(usize, Vec<String>)>, usize> {
    let mut out = Vec::new();
    let (mut line, mut start) = (1, 1);
    let mut fields: Vec<String> = Vec::new();
    let mut field = String::new();
    let mut quoted = false;
    let mut chars = body.chars().peekable();
    while let Some(c) = chars.next() {
        if quoted {
            match c {
                '"' if chars.peek() == Some(&'"') => {
                    chars.next();
                    field.push('"');
                }
                '"' => quoted = false,
                c => {
                    if c == '\n' {
                        line += 1;
                    }
                    field.push(c);
                }
            }
            continue;
        }
        match c {
            '"' if field.is_empty() => quoted = true,
            ',' => fields.push(std::mem::take(&mut field)),
            '\r' => {}
            '\n' => {
                fields.push(std::mem::take(&mut field));
                out.push((start, std::mem::take(&mut fields)));
                line += 1;
                start = line;
            }
            c => field.push(c),
        }
    }
    if quoted {
        return Err(start);
    }
    if !field.is_empty() || !fields.is_empty() {
        fields.push(field);
        out.push((start, fields));
    }
    Ok(out)
}

fn parse_csv(file: &str, body: &str, _offset: usize) -> Result<Record, String> {
    let rows = csv_records(body)
        .map_err(|line| format!("{file}:{line}: a quoted field is not closed (truncated file?)"))?;
    let Some((_, header)) = rows.first() else {
        return Err(format!("{file}:1: {NOT_A_RECORD}"));
    };
    let col = |name: &str| header.iter().position(|h| h == name);
    let best = col("最高得点");
    let (Some(id), Some(name), Some(date), Some(site), Some(version), Some(data)) = (
        col("演習ID"),
        col("名前"),
        col("記録日"),
        col("サイトID"),
        col("版"),
        col("解答データ"),
    ) else {
        return Err(format!(
            "{file}:1: the header lacks 名前, 記録日, サイトID, 版 or 解答データ: a record from an older kenshu, or not a 学習の記録; download it again from 学習の記録"
        ));
    };
    let mut rec = Record {
        file: file.to_string(),
        ..Record::default()
    };
    for (line, row) in rows.iter().skip(1) {
        if row.len() == 1 && row[0].is_empty() {
            continue;
        }
        let get = |i: usize| row.get(i).map(String::as_str);
        let (Some(ex), Some(n), Some(d), Some(s), Some(v), Some(raw)) = (
            get(id),
            get(name),
            get(date),
            get(site),
            get(version),
            get(data),
        ) else {
            return Err(format!(
                "{file}:{line}: {} fields where the header has {}",
                row.len(),
                header.len()
            ));
        };
        let parsed: Value = serde_json::from_str(raw)
            .map_err(|e| format!("{file}:{line}: 解答データ of {ex} is not valid JSON: {e}"))?;
        let (Some(values), Some(confidence)) = (
            map_of(parsed.get("values")),
            map_of(parsed.get("confidence")),
        ) else {
            return Err(format!(
                "{file}:{line}: 解答データ of {ex}: \"values\" and \"confidence\" must be objects of strings"
            ));
        };
        if let Some(b) = best
            .and_then(|i| row.get(i))
            .and_then(|b| b.parse::<u32>().ok())
        {
            rec.best.insert(ex.to_string(), b);
        }
        rec.name = n.to_string();
        rec.date = d.to_string();
        rec.site_id = s.to_string();
        rec.exercises
            .insert(ex.to_string(), (v.to_string(), values, confidence));
    }
    Ok(rec)
}

/// Is `value` the right answer of `item`? The same set of option ids.
pub fn is_right(item: &ItemData, value: &str) -> bool {
    let got = chosen_options(value);
    !got.is_empty()
        && got.iter().all(|g| item.answer.iter().any(|a| a == g))
        && item.answer.iter().all(|a| got.contains(&a.as_str()))
}

/// The text of an answer: its options' texts joined by 「／」 (an unknown
/// id as it is).
pub fn answer_text(item: &ItemData, value: &str) -> String {
    chosen_options(value)
        .iter()
        .map(|id| {
            item.options
                .iter()
                .find(|(k, _)| k == id)
                .map_or(*id, |(_, t)| t.as_str())
        })
        .collect::<Vec<_>>()
        .join("／")
}

/// The figures of one item.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct ItemStat {
    pub exercise: String,
    pub id: String,
    pub label: String,
    pub explanation: String,
    pub answered: u32,
    pub right: u32,
    /// Wrong answers marked 自信あり.
    pub sure_wrong: u32,
    /// (answer text, count), most chosen first (then by text).
    pub wrong: Vec<(String, u32)>,
}

impl ItemStat {
    /// % right, rounded half up (integer arithmetic, as the JS does).
    pub fn percent(&self) -> Option<u32> {
        (self.answered > 0).then(|| (self.right * 200 + self.answered) / (2 * self.answered))
    }
}

/// One trainee's line.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Trainee {
    pub file: String,
    pub name: String,
    pub date: String,
    /// Exercises with at least one answer.
    pub done: u32,
    /// (right, total) over the exercises with check = pre / post that the
    /// trainee answered; None when none.
    pub pre: Option<(u32, u32)>,
    pub post: Option<(u32, u32)>,
    /// 修了 (see [`SiteData::required`]).
    pub complete: bool,
}

/// The summary.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Report {
    pub site: String,
    /// Per exercise (in reading order): id, title, its items' figures.
    pub exercises: Vec<(String, String, Vec<ItemStat>)>,
    pub trainees: Vec<Trainee>,
    /// (file, why) of records or parts of records not counted.
    pub left_out: Vec<(String, String)>,
}

/// Aggregates `records` (in the order given) for `site`.
pub fn aggregate(site: &SiteData, records: &[Record]) -> Report {
    let mut left_out = Vec::new();
    // Another site: out. Duplicates of one named trainee: the latest date
    // (a later file on the same date) counts.
    let mut kept: Vec<&Record> = Vec::new();
    let mut by_name: std::collections::HashMap<&str, usize> = std::collections::HashMap::new();
    for r in records {
        if r.site_id != site.id && r.site_id != SAME_SITE {
            left_out.push((r.file.clone(), "別のサイトの記録".to_string()));
            continue;
        }
        let name = r.name.trim();
        let dup = by_name.get(name).copied();
        match dup {
            Some(at) if kept[at].date.as_str() > r.date.as_str() => {
                left_out.push((r.file.clone(), format!("{name} の古い記録")));
            }
            Some(at) => {
                left_out.push((kept[at].file.clone(), format!("{name} の古い記録")));
                kept[at] = r;
            }
            None => {
                if !name.is_empty() {
                    by_name.insert(name, kept.len());
                }
                kept.push(r);
            }
        }
    }
    let mut trainees: Vec<Trainee> = kept
        .iter()
        .map(|r| Trainee {
            file: r.file.clone(),
            name: r.name.trim().to_string(),
            date: r.date.clone(),
            ..Trainee::default()
        })
        .collect();
    let mut exercises = Vec::new();
    // Per trainee: the exercises done, and items right over placed ones.
    let mut done_ids: Vec<Vec<&str>> = vec![Vec::new(); kept.len()];
    let mut rights = vec![0u32; kept.len()];
    let mut total = 0u32;
    for ex in &site.exercises {
        if !ex.page.is_empty() {
            total += u32::try_from(ex.items.len()).unwrap_or(u32::MAX);
        }
        let mut stats: Vec<ItemStat> = ex
            .items
            .iter()
            .map(|i| ItemStat {
                exercise: ex.id.clone(),
                id: i.id.clone(),
                label: i.label.clone(),
                explanation: i.explanation.clone(),
                ..ItemStat::default()
            })
            .collect();
        let mut wrong: Vec<BTreeMap<String, u32>> = vec![BTreeMap::new(); ex.items.len()];
        for (ti, (t, r)) in trainees.iter_mut().zip(&kept).enumerate() {
            let Some((version, values, confidence)) = r.exercises.get(&ex.id) else {
                continue;
            };
            // suspend_data's graded answers go to the items in order (an
            // answer of the same id among the others wins, as the runtime
            // reads them back).
            let merged;
            let values = match r.slotted.get(&ex.id) {
                Some(slots) => {
                    let mut all = values.clone();
                    for (item, v) in ex.items.iter().zip(slots) {
                        if !v.is_empty() && !all.contains_key(&item.id) {
                            all.insert(item.id.clone(), v.clone());
                        }
                    }
                    merged = all;
                    &merged
                }
                None => values,
            };
            let given = |id: &str| {
                values
                    .get(id)
                    .map(String::as_str)
                    .filter(|v| !chosen_options(v.trim()).is_empty())
            };
            if values.values().all(|v| v.trim().is_empty()) {
                continue;
            }
            if *version != ex.version {
                left_out.push((r.file.clone(), format!("{}: 別の版の演習", ex.id)));
                continue;
            }
            t.done += 1;
            done_ids[ti].push(&ex.id);
            let mut right = 0;
            for ((item, stat), wrong) in ex.items.iter().zip(&mut stats).zip(&mut wrong) {
                let Some(v) = given(&item.id) else { continue };
                stat.answered += 1;
                if is_right(item, v) {
                    stat.right += 1;
                    right += 1;
                } else {
                    *wrong.entry(answer_text(item, v)).or_insert(0) += 1;
                    if confidence.get(&item.id).map(String::as_str) == Some(kenshu_exercises::SURE)
                    {
                        stat.sure_wrong += 1;
                    }
                }
            }
            if !ex.page.is_empty() {
                let items = u32::try_from(ex.items.len()).unwrap_or(u32::MAX);
                rights[ti] += r.best.get(&ex.id).copied().unwrap_or(0).min(items);
            }
            let total = u32::try_from(ex.items.len()).unwrap_or(u32::MAX);
            let slot = match ex.check.as_deref() {
                Some("pre") => Some(&mut t.pre),
                Some("post") => Some(&mut t.post),
                _ => None,
            };
            if let Some(slot) = slot {
                let (r0, t0) = slot.unwrap_or((0, 0));
                *slot = Some((r0 + right, t0 + total));
            }
        }
        for (stat, wrong) in stats.iter_mut().zip(wrong) {
            let mut list: Vec<(String, u32)> = wrong.into_iter().collect();
            // Most chosen first; ties by text (BTreeMap order, kept by the
            // stable sort).
            list.sort_by_key(|(_, n)| std::cmp::Reverse(*n));
            stat.wrong = list;
        }
        exercises.push((ex.id.clone(), ex.title.clone(), stats));
    }
    for (ti, t) in trainees.iter_mut().enumerate() {
        let all_done = site
            .required
            .iter()
            .all(|id| done_ids[ti].contains(&id.as_str()));
        t.complete = all_done
            && site
                .passing
                .is_none_or(|p| f64::from(rights[ti]) * 100.0 >= p * f64::from(total));
    }
    Report {
        site: site.title.clone(),
        exercises,
        trainees,
        left_out,
    }
}

impl Report {
    /// The items to debrief first: answered ones with the lowest share
    /// right, then the most 自信あり errors; at most `n`.
    pub fn debrief(&self, n: usize) -> Vec<&ItemStat> {
        let mut all: Vec<&ItemStat> = self
            .exercises
            .iter()
            .flat_map(|(_, _, s)| s)
            .filter(|s| s.answered > 0 && s.right < s.answered)
            .collect();
        all.sort_by(|a, b| {
            (u64::from(a.right) * u64::from(b.answered))
                .cmp(&(u64::from(b.right) * u64::from(a.answered)))
                .then(b.sure_wrong.cmp(&a.sure_wrong))
        });
        all.truncate(n);
        all
    }
}

/// Reads the RECORD arguments: files, and every `.json`/`.csv`/`.txt` of a folder
/// (sorted by name). Returns the records and the errors (file:line: why).
pub fn read_records(paths: &[PathBuf]) -> (Vec<Record>, Vec<String>) {
    let mut files: Vec<PathBuf> = Vec::new();
    let mut errors = Vec::new();
    for p in paths {
        if p.is_dir() {
            match std::fs::read_dir(p) {
                Ok(dir) => {
                    let mut found: Vec<PathBuf> = dir
                        .filter_map(|e| e.ok().map(|e| e.path()))
                        .filter(|f| {
                            f.is_file()
                                && f.extension().is_some_and(|x| {
                                    x.eq_ignore_ascii_case("json")
                                        || x.eq_ignore_ascii_case("csv")
                                        || x.eq_ignore_ascii_case("txt")
                                })
                        })
                        .collect();
                    found.sort();
                    files.extend(found);
                }
                Err(e) => errors.push(format!("{}: cannot read the folder: {e}", p.display())),
            }
        } else {
            files.push(p.clone());
        }
    }
    let mut records = Vec::new();
    for f in files {
        let shown = f.display().to_string();
        match read_one(&f, &shown) {
            Ok(r) => records.push(r),
            Err(e) => errors.push(e),
        }
    }
    (records, errors)
}

fn read_one(path: &Path, shown: &str) -> Result<Record, String> {
    let meta = std::fs::metadata(path).map_err(|e| format!("{shown}: cannot read: {e}"))?;
    if meta.len() > MAX_BYTES {
        return Err(format!(
            "{shown}:1: larger than 5 MB ({} bytes): not a 学習の記録",
            meta.len()
        ));
    }
    let bytes = std::fs::read(path).map_err(|e| format!("{shown}: cannot read: {e}"))?;
    let text = String::from_utf8(bytes).map_err(|e| {
        let at = e.utf8_error().valid_up_to();
        let line = line_at(&String::from_utf8_lossy(&e.into_bytes()[..at]), at);
        format!("{shown}:{line}: not UTF-8 text: {NOT_A_RECORD}")
    })?;
    parse_record(shown, &text)
}

fn pair(p: Option<(u32, u32)>) -> String {
    p.map_or_else(|| "—".to_string(), |(r, t)| format!("{r} / {t}"))
}

/// The summary as one HTML page (A4 print).
pub fn html(report: &Report, rejected: &[String]) -> String {
    let e = escape;
    let mut out = String::new();
    out.push_str("<!DOCTYPE html>\n<html lang=\"ja\">\n<head>\n<meta charset=\"utf-8\">\n");
    out.push_str(&format!("<title>集計 — {}</title>\n", e(&report.site)));
    out.push_str(
        "<style>\n@page { size: A4; margin: 12mm; }\nbody { font-family: sans-serif; font-size: 10.5pt; line-height: 1.5; max-width: 60rem; margin: 1rem auto; padding: 0 1rem; }\ntable { border-collapse: collapse; width: 100%; margin: .5rem 0 1rem; }\nth, td { border: 1px solid #999; padding: .2rem .4rem; text-align: left; vertical-align: top; }\ntd.n, th.n { text-align: right; white-space: nowrap; }\nh2 { font-size: 1.2em; margin-top: 1.5rem; break-after: avoid; }\ntr { break-inside: avoid; }\n@media print { body { margin: 0; max-width: none; } }\n</style>\n</head>\n<body>\n",
    );
    out.push_str(&format!("<h1>集計 — {}</h1>\n", e(&report.site)));
    out.push_str(&format!(
        "<p class=\"kr-counts\">集計した記録 <strong data-count=\"included\">{}</strong> 件、除外 <strong data-count=\"left-out\">{}</strong> 件、読めなかったファイル <strong data-count=\"rejected\">{}</strong> 件</p>\n",
        report.trainees.len(),
        report.left_out.len(),
        rejected.len()
    ));
    let debrief = report.debrief(5);
    if !debrief.is_empty() {
        out.push_str("<h2>先に振り返る項目</h2>\n<ol class=\"kr-debrief\">\n");
        for s in debrief {
            out.push_str(&format!(
                "<li><strong>{}</strong>（{}）正答率 {}%、自信ありの誤答 {} 件{}</li>\n",
                e(&s.label),
                e(&s.exercise),
                s.percent().unwrap_or(0),
                s.sure_wrong,
                if s.explanation.is_empty() {
                    String::new()
                } else {
                    format!("<br><small>解説：{}</small>", e(&s.explanation))
                }
            ));
        }
        out.push_str("</ol>\n");
    }
    for (id, title, stats) in &report.exercises {
        if stats.is_empty() {
            continue;
        }
        out.push_str(&format!(
            "<h2 id=\"ex-{}\">{}</h2>\n<table class=\"kr-items\" data-exercise=\"{}\">\n<thead><tr><th>項目</th><th class=\"n\">回答</th><th class=\"n\">正答率</th><th class=\"n\">自信ありの誤答</th><th>多かった誤答</th></tr></thead>\n<tbody>\n",
            e(id),
            e(title),
            e(id)
        ));
        for s in stats {
            let wrong: Vec<String> = s
                .wrong
                .iter()
                .take(3)
                .map(|(t, n)| format!("{}（{n}）", e(t)))
                .collect();
            out.push_str(&format!(
                "<tr data-item=\"{}\"><td>{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td><td>{}</td></tr>\n",
                e(&s.id),
                e(&s.label),
                s.answered,
                s.percent().map_or_else(|| "—".to_string(), |p| format!("{p}%")),
                s.sure_wrong,
                wrong.join("、")
            ));
        }
        out.push_str("</tbody>\n</table>\n");
    }
    out.push_str(&format!(
        "<p class=\"kr-complete\">修了 <strong data-count=\"complete\">{}</strong> 人</p>\n",
        report.trainees.iter().filter(|t| t.complete).count()
    ));
    out.push_str("<h2>受講者ごと</h2>\n<table class=\"kr-trainees\">\n<thead><tr><th>名前</th><th>記録日</th><th class=\"n\">取り組んだ演習</th><th class=\"n\">事前</th><th class=\"n\">事後</th><th>修了</th></tr></thead>\n<tbody>\n");
    for t in &report.trainees {
        out.push_str(&format!(
            "<tr><td>{}</td><td>{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td><td>{}</td></tr>\n",
            if t.name.is_empty() { "（名前なし）".to_string() } else { e(&t.name) },
            e(&t.date),
            t.done,
            pair(t.pre),
            pair(t.post),
            if t.complete { "修了" } else { "—" }
        ));
    }
    out.push_str("</tbody>\n</table>\n");
    if !report.left_out.is_empty() || !rejected.is_empty() {
        out.push_str("<h2>集計から除いたもの</h2>\n<ul class=\"kr-left-out\">\n");
        for (f, why) in &report.left_out {
            out.push_str(&format!("<li>{}：{}</li>\n", e(f), e(why)));
        }
        for r in rejected {
            out.push_str(&format!("<li>{}</li>\n", e(r)));
        }
        out.push_str("</ul>\n");
    }
    out.push_str("</body>\n</html>\n");
    out
}

#[cfg(test)]
mod tests;
