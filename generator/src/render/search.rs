//! The site search index, written by the build under `assets/search/`.
//! Every file is a classic script that hands its data to
//! `KENSHU_SEARCH_ADD(kind, id, data)` (defined by the theme's `search.js`,
//! which inserts the scripts with relative paths), so search works from
//! file:// (where `fetch` is blocked), under a sub-path and on any static
//! host, and loads only what a query needs:
//!
//! - `meta.js`: the number of shards, sections per text chunk, a version,
//!   and how many sections each page has (section ids are global, in page
//!   order).
//! - `shard/N.js`: the postings of the terms whose [`tokenize::shard_of`] is
//!   N: for each term the pages with it in their title and the sections with
//!   it in their heading and/or text.
//! - `text/N.js`: sections `N*CHUNK .. (N+1)*CHUNK`: heading, anchor and
//!   plain text, with the title and path of their pages — fetched only for
//!   the results shown.
//!
//! Each page is split into sections at its headings; each section holds the
//! plain text a reader sees there. Speaker notes are left out unless the
//! site shows them to readers; exercises (directives) are not indexed.

pub mod tokenize;

use std::collections::HashMap;
use std::hash::{BuildHasher, Hash, Hasher};

use foldhash::fast::FixedState;

use tokenize::Term;

/// Folder of the index, relative to the site root.
pub const INDEX_DIR: &str = "assets/search/";

/// Sections per text chunk (`text/N.js`) at the least: a result list of 20
/// loads at most 20 small files.
pub const CHUNK: usize = 4;
/// The text a chunk aims at: sites of many short sections get more sections
/// per chunk, so the index is not tens of thousands of tiny files.
pub const CHUNK_BYTES: usize = 8192;

/// Sections per text chunk for sections of `text_bytes` in all, `count` of them.
pub fn chunk_size(text_bytes: usize, count: usize) -> usize {
    let average = text_bytes / count.max(1);
    (CHUNK_BYTES / average.max(1)).clamp(CHUNK, 1024)
}

/// Aim for shard files of about this many bytes (before compression).
const SHARD_BYTES: usize = 16 * 1024;

/// What the index knows of one page: its title, output path and sections
/// (taken from the pass that writes the page, see [`super::render_page`]).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PageText {
    pub title: String,
    pub url: String,
    pub sections: Vec<SectionEntry>,
}

/// One section of a page: heading, anchor and plain text.
pub use crate::markdown::SectionText as SectionEntry;

/// Postings of one term: pages with it in the title; sections with it in
/// the heading (bit 1) and/or the text (bit 2), each `section << 2 | bits`
/// in one `u32` (half the memory of a pair: postings are most of a large
/// index's memory; the encoding below assumes ids under 2^30 anyway).
#[derive(Default)]
struct Postings {
    titles: Vec<u32>,
    sections: Vec<u32>,
}

/// Term ids: CJK characters of the Basic Multilingual Plane by a table
/// indexed by code point (most terms of Japanese text are single
/// characters, looked up once per character of the site), other
/// characters and pairs by code points, words by text. One table serves
/// one worker run after run ([`Terms::take_postings`] empties it).
///
/// A run's postings are gathered in two logs, `(term id, entry)` in the
/// order they are found, and sorted by term (a counting sort) when the run
/// ends: a list per term (what this was) made each new term of each run
/// an allocation, and each entry a write to memory a cache miss away.
struct Terms {
    /// Id + 1 of each BMP character seen (0: not seen).
    bmp: Vec<u32>,
    /// The characters set in `bmp`, to clear them for the next run.
    bmp_set: Vec<u16>,
    cjk: HashMap<u64, u32, FixedState>,
    /// The last id found of each of [`PAIR_SLOTS`] pairs (by a hash of
    /// its code points), before `cjk` is asked: a pair is looked up once
    /// per character of Japanese text, and most are looked up again and
    /// again in a run (`u64::MAX`: none).
    pair_cache: Vec<(u64, u32)>,
    words: HashMap<String, u32, FixedState>,
    /// The run's terms, by id.
    keys: Vec<Key>,
    /// By term id, the section entry being gathered (`section << 2 |
    /// bits`, [`NONE`] before the first): logged when another section has
    /// the term, or the run ends. Repeats of a term in one section only
    /// read and write here (this array is small and dense).
    pending: Vec<u32>,
    /// By term id, the last page logged with it in its title ([`NONE`]).
    last_title: Vec<u32>,
    /// `(term id, page)`: a term in a page's title, in page order.
    title_log: Vec<(u32, u32)>,
    /// `(term id, section entry)`, in section order: the first
    /// `log_len` (the rest is room, written before it is counted).
    section_log: Vec<(u32, u32)>,
    log_len: usize,
}

/// Slots of [`Terms::pair_cache`] (a power of two): 64 KiB.
const PAIR_SLOTS: usize = 4096;

/// No entry (see [`Terms::pending`]).
const NONE: u32 = u32::MAX;

/// A term while postings are gathered and merged: a CJK character or
/// pair, or a word (owned: a [`Term`] borrows the text of one section);
/// its text is made once, when the index is written.
#[derive(PartialEq, Eq, Hash)]
enum Key {
    Cjk(char, Option<char>),
    Word(String),
}

impl Key {
    fn of(t: Term<'_>) -> Key {
        match t {
            Term::One(a) => Key::Cjk(a, None),
            Term::Two(a, b) => Key::Cjk(a, Some(b)),
            Term::Word(w) => Key::Word(w.to_string()),
        }
    }

    fn text(self) -> String {
        match self {
            Key::Cjk(a, None) => Term::One(a).text(),
            Key::Cjk(a, Some(b)) => Term::Two(a, b).text(),
            Key::Word(w) => w,
        }
    }

    /// The merge bucket of this term (see [`build_index_to`]).
    fn bucket(&self) -> usize {
        FixedState::default().hash_one(self) as usize % MERGE_BUCKETS
    }
}

impl Default for Terms {
    fn default() -> Self {
        Terms {
            bmp: vec![0; 0x1_0000],
            bmp_set: Vec::new(),
            cjk: HashMap::default(),
            pair_cache: vec![(u64::MAX, 0); PAIR_SLOTS],
            words: HashMap::default(),
            keys: Vec::new(),
            pending: Vec::new(),
            last_title: Vec::new(),
            title_log: Vec::new(),
            section_log: Vec::new(),
            log_len: 0,
        }
    }
}

/// A bucket's terms, each with its numbers of title and section entries.
type BucketTerms = Vec<(Key, u32, u32)>;

/// One run's postings, in [`MERGE_BUCKETS`] buckets: each bucket's terms
/// (ascending id) with how many title and section entries each has, and
/// where in `data` those entries are, term after term (titles, then
/// sections).
struct RunPostings {
    buckets: Vec<(BucketTerms, std::ops::Range<usize>)>,
    data: Vec<u32>,
}

impl Terms {
    #[inline(always)]
    fn id(&mut self, t: Term<'_>) -> u32 {
        let next = self.keys.len() as u32;
        let id = match t {
            Term::One(a) if (a as u32) < 0x1_0000 => {
                let slot = &mut self.bmp[a as usize];
                if *slot == 0 {
                    *slot = next + 1;
                    self.bmp_set.push(a as u16);
                }
                *slot - 1
            }
            Term::One(a) => *self.cjk.entry(u64::from(a as u32)).or_insert(next),
            Term::Two(a, b) => {
                let key = (u64::from(a as u32) << 32) | u64::from(b as u32);
                let slot = (key.wrapping_mul(0x9E37_79B9_7F4A_7C15) >> 52) as usize % PAIR_SLOTS;
                match self.pair_cache[slot] {
                    (k, id) if k == key => id,
                    _ => {
                        let id = *self.cjk.entry(key).or_insert(next);
                        self.pair_cache[slot] = (key, id);
                        id
                    }
                }
            }
            Term::Word(w) => match self.words.get(w) {
                Some(&id) => id,
                None => {
                    self.words.insert(w.to_string(), next);
                    next
                }
            },
        };
        if id == next {
            self.keys.push(Key::of(t));
            self.pending.push(NONE);
            self.last_title.push(NONE);
        }
        id
    }

    /// Notes term `id` in the title of page `page`; pages come in
    /// ascending order.
    fn in_title(&mut self, id: u32, page: u32) {
        let last = &mut self.last_title[id as usize];
        if *last != page {
            *last = page;
            self.title_log.push((id, page));
        }
    }

    /// Notes term `id` in section `section_id`'s heading (bit 1) or text
    /// (bit 2); sections come in ascending order.
    /// Without a branch on what the text holds: whether a term is new to
    /// a section cannot be predicted (a third of the index's time was
    /// spent on that branch).
    #[inline(always)]
    fn in_section(&mut self, id: u32, section_id: u32, bit: u32) {
        let pending = &mut self.pending[id as usize];
        let p = *pending;
        let same = (p >> 2 == section_id) & (p != NONE);
        *pending = if same { p | bit } else { section_id << 2 | bit };
        if self.log_len == self.section_log.len() {
            let more = self.section_log.len().max(4096);
            self.section_log.resize(self.log_len + more, (0, 0));
        }
        self.section_log[self.log_len] = (id, p);
        self.log_len += usize::from(!same & (p != NONE));
    }

    /// The run's postings, sorted by term into buckets; the table is left
    /// empty for the next run (its allocations kept).
    fn take_postings(&mut self) -> RunPostings {
        for &c in &self.bmp_set {
            self.bmp[usize::from(c)] = 0;
        }
        self.bmp_set.clear();
        self.cjk.clear();
        self.words.clear();
        self.pair_cache.fill((u64::MAX, 0));
        self.last_title.clear();
        self.section_log.truncate(self.log_len);
        self.log_len = 0;
        for (id, pending) in self.pending.drain(..).enumerate() {
            if pending != NONE {
                self.section_log.push((id as u32, pending));
            }
        }
        // How many entries each term has, then where each term's go:
        // bucket by bucket, ids ascending within each.
        let n = self.keys.len();
        let mut titles = vec![0u32; n];
        let mut sections = vec![0u32; n];
        for &(id, _) in &self.title_log {
            titles[id as usize] += 1;
        }
        for &(id, _) in &self.section_log {
            sections[id as usize] += 1;
        }
        let entries = |id: usize| (titles[id] + sections[id]) as usize;
        let bucket: Vec<u8> = self.keys.iter().map(|k| k.bucket() as u8).collect();
        let mut size = [0usize; MERGE_BUCKETS];
        for (id, &b) in bucket.iter().enumerate() {
            size[usize::from(b)] += entries(id);
        }
        let mut buckets = Vec::with_capacity(MERGE_BUCKETS);
        let mut at = 0;
        for s in size {
            buckets.push((BucketTerms::new(), at..at + s));
            at += s;
        }
        // `next[id]`: where the term's next title entry goes; its
        // sections follow its titles.
        let mut fill: Vec<usize> = buckets.iter().map(|(_, r)| r.start).collect();
        let mut next = vec![0u32; n];
        for (id, key) in self.keys.drain(..).enumerate() {
            let b = usize::from(bucket[id]);
            next[id] = fill[b] as u32;
            fill[b] += entries(id);
            buckets[b].0.push((key, titles[id], sections[id]));
        }
        let mut data = vec![0u32; at];
        for &(id, page) in &self.title_log {
            let slot = &mut next[id as usize];
            data[*slot as usize] = page;
            *slot += 1;
        }
        for &(id, entry) in &self.section_log {
            let slot = &mut next[id as usize];
            data[*slot as usize] = entry;
            *slot += 1;
        }
        self.title_log.clear();
        self.section_log.clear();
        RunPostings { buckets, data }
    }
}

/// A run of [`postings_of`] ends after this many pages or sections: the
/// postings are gathered run by run on every core, then joined in page
/// order (a long page is split, so it too is spread over the cores).
const RUN_PAGES: usize = 64;
const RUN_SECTIONS: usize = 1024;

/// Part of the index's work: page `page`'s sections `sections` (ids from
/// `first_section` on), and its title when `title` (in its first part).
struct Part {
    page: usize,
    title: bool,
    sections: std::ops::Range<usize>,
    first_section: u32,
}

/// The pages' work in runs (see [`RUN_PAGES`]), in page order.
fn runs(pages: &[PageText]) -> Vec<Vec<Part>> {
    let mut runs = Vec::new();
    let (mut run, mut run_sections): (Vec<Part>, usize) = (Vec::new(), 0);
    let mut next_section: u32 = 0;
    for (page, p) in pages.iter().enumerate() {
        let mut start = 0;
        loop {
            let end = p.sections.len().min(start + RUN_SECTIONS - run_sections);
            run.push(Part {
                page,
                title: start == 0,
                sections: start..end,
                first_section: next_section,
            });
            next_section += (end - start) as u32;
            run_sections += end - start;
            if run.len() >= RUN_PAGES || run_sections >= RUN_SECTIONS {
                runs.push(std::mem::take(&mut run));
                run_sections = 0;
            }
            start = end;
            if start >= p.sections.len() {
                break;
            }
        }
    }
    if !run.is_empty() {
        runs.push(run);
    }
    runs
}

/// The postings of one run, by term, in buckets (see [`RunPostings`]).
fn postings_of(pages: &[PageText], run: &[Part], terms: &mut Terms) -> RunPostings {
    for part in run {
        let p = &pages[part.page];
        let pix = part.page as u32;
        if part.title {
            tokenize::each_term_of(
                &p.title,
                #[inline(always)]
                |t| {
                    let id = terms.id(t);
                    terms.in_title(id, pix);
                },
            );
        }
        let sections = &p.sections[part.sections.clone()];
        for (section_id, s) in (part.first_section..).zip(sections) {
            let mut add = |text: &str, bit: u32| {
                tokenize::each_term_of(
                    text,
                    #[inline(always)]
                    |t| {
                        let id = terms.id(t);
                        terms.in_section(id, section_id, bit);
                    },
                );
            };
            // The heading's keywords apart from it, so no pair spans both.
            add(&s.h, 1);
            add(&keywords(&s.h), 1);
            add(&s.x, 2);
        }
    }
    terms.take_postings()
}

/// Buckets the terms are merged in, on every core (see [`build_index`]).
const MERGE_BUCKETS: usize = 64;

/// Runs made before their postings are merged (see [`build_index_to`]).
const RUN_BATCH: usize = 16;

/// A term's postings as written in a shard: `titles|sections`, base-36
/// deltas separated by commas; a section is (delta << 2 | bits).
fn encode(p: &Postings) -> String {
    let mut s = String::new();
    let mut prev = 0;
    for (i, &page) in p.titles.iter().enumerate() {
        if i > 0 {
            s.push(',');
        }
        push36(&mut s, page - prev);
        prev = page;
    }
    s.push('|');
    let mut prev = 0;
    for (i, &packed) in p.sections.iter().enumerate() {
        if i > 0 {
            s.push(',');
        }
        let sec = packed >> 2;
        push36(&mut s, ((sec - prev) << 2) | (packed & 3));
        prev = sec;
    }
    s
}

/// How many shards an index of `bytes` (terms and postings) with `terms`
/// gets: one per [`SHARD_BYTES`], rounded up to a power of two, then
/// halved while fewer than half of them would hold a term. Terms are not
/// spread evenly ([`tokenize::shard_of`] keeps the words of one two-letter
/// prefix together, and a few terms can hold most of the postings), so
/// counting by bytes alone left 1,655 of 2,048 shards empty on the shared
/// 10,000-page corpus: files written, precached and never of use.
fn shard_count<'t>(bytes: usize, terms: impl Iterator<Item = &'t str>) -> u32 {
    let mut shards = bytes
        .div_ceil(SHARD_BYTES)
        .next_power_of_two()
        .clamp(1, 4096) as u32;
    let mut used: Vec<bool> = vec![false; shards as usize];
    for t in terms {
        used[tokenize::shard_of(t, shards) as usize] = true;
    }
    // `hash % (s / 2)` is `(hash % s) % (s / 2)`: halving folds shard
    // n + s/2 onto n, so the used set halves without hashing again.
    while shards > 1 && used.iter().filter(|u| **u).count() * 2 < shards as usize {
        shards /= 2;
        let (low, high) = used.split_at(shards as usize);
        used = low.iter().zip(high).map(|(a, b)| *a || *b).collect();
    }
    shards
}

/// Builds the index files of `pages` (see the module comment), in one
/// list: `meta.js`, then the shards, then the text chunks.
pub fn build_index(pages: &[PageText]) -> Vec<(String, String)> {
    let files = std::sync::Mutex::new(Vec::new());
    let done: Result<usize, std::convert::Infallible> =
        build_index_to(pages, &|order, path, js| {
            if let Ok(mut files) = files.lock() {
                files.push((order, path, js));
            }
            Ok(())
        });
    let _ = done;
    let mut files = files.into_inner().unwrap_or_default();
    files.sort_unstable_by_key(|f| f.0);
    files.into_iter().map(|(_, path, js)| (path, js)).collect()
}

/// Index files made at once, then handed on and dropped: the files of a
/// large site's index are never all in memory.
const BATCH: usize = 256;

/// Builds the index files of `pages` and hands each to `sink` as it is
/// made, with its place in [`build_index`]'s list (`meta.js`, the last
/// one handed on, is 0), on every core; returns how many there were. The
/// postings and the pages' texts are held, never all the files.
pub fn build_index_to<E: Send>(
    pages: &[PageText],
    sink: &(dyn Fn(usize, String, String) -> Result<(), E> + Sync),
) -> Result<usize, E> {
    use rayon::prelude::*;
    // Each run's terms in buckets by a hash of their text, so that the
    // buckets are merged on every core: a term's lists from one run after
    // another are still in order (runs are in page order, ids ascend
    // within each). Runs are made a batch at a time and merged before the
    // next, so a term's text is held once per bucket, not once per run.
    type Merged = HashMap<Key, Postings, FixedState>;
    let mut merged: Vec<Merged> = (0..MERGE_BUCKETS).map(|_| Merged::default()).collect();
    for batch in runs(pages).chunks(RUN_BATCH) {
        let mut made: Vec<RunPostings> = batch
            .par_iter()
            .map_init(Terms::default, |terms, run| postings_of(pages, run, terms))
            .collect();
        // Bucket by bucket, each run's terms in run order.
        let mut buckets: Vec<Vec<(BucketTerms, &[u32])>> = (0..MERGE_BUCKETS)
            .map(|_| Vec::with_capacity(made.len()))
            .collect();
        for run in &mut made {
            for (b, (terms, range)) in run.buckets.drain(..).enumerate() {
                buckets[b].push((terms, &run.data[range]));
            }
        }
        merged
            .par_iter_mut()
            .zip(buckets.into_par_iter())
            .for_each(|(into, lists)| {
                for (terms, mut data) in lists {
                    for (t, titles, sections) in terms {
                        let (t_data, rest) = data.split_at(titles as usize);
                        let (s_data, rest) = rest.split_at(sections as usize);
                        data = rest;
                        let into = into.entry(t).or_default();
                        into.titles.extend_from_slice(t_data);
                        into.sections.extend_from_slice(s_data);
                    }
                }
            });
    }
    let mut encoded: Vec<(String, String)> = merged
        .into_par_iter()
        .flat_map_iter(|merged| merged.into_iter().map(|(t, p)| (t.text(), encode(&p))))
        .collect();
    encoded.par_sort_unstable();
    let total: usize = encoded.iter().map(|(t, p)| t.len() + p.len() + 6).sum();
    let shards = shard_count(total, encoded.iter().map(|(t, _)| t.as_str()));
    let mut buckets: Vec<Vec<(String, String)>> = vec![Vec::new(); shards as usize];
    for (t, p) in encoded {
        let n = tokenize::shard_of(&t, shards) as usize;
        buckets[n].push((t, p));
    }
    // The version changes with any file's data (hashed in file order, on
    // one thread: foldhash, not SipHash, which took ~50 ms of it for the
    // 77 MB of a 10,000-page index).
    let mut version = FixedState::default().build_hasher();
    let mut count = 0;
    // Each batch made on every core, hashed in order, then handed on.
    let mut hand_on = |made: Vec<(usize, &str, String)>| -> Result<(), E> {
        for (_, _, json) in &made {
            json.hash(&mut version);
        }
        count += made.len();
        made.into_par_iter().try_for_each(|(n, kind, json)| {
            let order = 1 + n + if kind == "text" { shards as usize } else { 0 };
            sink(
                order,
                format!("{INDEX_DIR}{kind}/{n}.js"),
                script(kind, n, &json),
            )
        })
    };
    let mut buckets = buckets.into_iter().enumerate();
    loop {
        let batch: Vec<(usize, Vec<(String, String)>)> = buckets.by_ref().take(BATCH).collect();
        if batch.is_empty() {
            break;
        }
        let made = batch
            .into_par_iter()
            .map(|(n, bucket)| {
                let map: serde_json::Map<String, serde_json::Value> = bucket
                    .into_iter()
                    .map(|(t, p)| (t, serde_json::Value::String(p)))
                    .collect();
                (n, "shard", serde_json::Value::Object(map).to_string())
            })
            .collect();
        hand_on(made)?;
    }
    // Text chunks: `chunk` sections each, with their pages' titles and paths.
    let flat: Vec<(usize, &SectionEntry)> = pages
        .iter()
        .enumerate()
        .flat_map(|(pix, p)| p.sections.iter().map(move |s| (pix, s)))
        .collect();
    let text_bytes: usize = flat
        .iter()
        .map(|(_, s)| s.h.len() + s.a.len() + s.x.len() + 16)
        .sum();
    let chunk = chunk_size(text_bytes, flat.len());
    let text_file = |n: usize, chunk: &[(usize, &SectionEntry)]| {
        let mut ps: Vec<(usize, &str, &str)> = Vec::new();
        let mut ss = Vec::new();
        for &(pix, s) in chunk {
            if ps.last().map(|p| p.0) != Some(pix) {
                ps.push((pix, &pages[pix].title, &pages[pix].url));
            }
            ss.push(Row(pix, &s.h, &s.a, &s.x, keywords(&s.h)));
        }
        /// A section: page, heading, anchor, text and, when the heading
        /// gives a reading, its keywords (`[p,h,a,x]` or `[p,h,a,x,k]`).
        struct Row<'a>(usize, &'a str, &'a str, &'a str, String);
        impl serde::Serialize for Row<'_> {
            fn serialize<S: serde::Serializer>(&self, se: S) -> Result<S::Ok, S::Error> {
                use serde::ser::SerializeTuple;
                let keys = !self.4.is_empty();
                let mut t = se.serialize_tuple(if keys { 5 } else { 4 })?;
                t.serialize_element(&self.0)?;
                t.serialize_element(self.1)?;
                t.serialize_element(self.2)?;
                t.serialize_element(self.3)?;
                if keys {
                    t.serialize_element(&self.4)?;
                }
                t.end()
            }
        }
        /// `{"p":…,"s":…}`, written straight from the borrowed texts.
        #[derive(serde::Serialize)]
        struct Chunk<'a> {
            p: Vec<(usize, &'a str, &'a str)>,
            s: Vec<Row<'a>>,
        }
        let json = serde_json::to_string(&Chunk { p: ps, s: ss }).unwrap_or_default();
        (n, "text", json)
    };
    for (b, batch) in flat.chunks(chunk * BATCH).enumerate() {
        let made = batch
            .par_chunks(chunk)
            .enumerate()
            .map(|(k, c)| text_file(b * BATCH + k, c))
            .collect();
        hand_on(made)?;
    }
    let mut counts = String::new();
    for (i, p) in pages.iter().enumerate() {
        if i > 0 {
            counts.push(',');
        }
        push36(&mut counts, p.sections.len() as u32);
    }
    counts.hash(&mut version);
    let meta = serde_json::json!({
        "v": format!("{:016x}", version.finish()),
        "shards": shards,
        "chunk": chunk,
        "pages": counts,
    })
    .to_string();
    sink(0, format!("{INDEX_DIR}meta.js"), script("meta", 0, &meta))?;
    Ok(count + 1)
}

/// The search keywords a heading gives: for `用語（よみ）`, whose part in
/// full-width brackets is kana only (with ・ 「」 、 and spaces), the reading
/// and its romaji (Hepburn, with and without long vowels: `れんけい renkei`,
/// `きょうどう kyoudou kyodo`), so a reader who types the reading or the
/// romaji finds the term. "" for any other heading.
pub fn keywords(heading: &str) -> String {
    let Some(inner) = heading
        .trim_end()
        .strip_suffix('）')
        .and_then(|h| h.rsplit_once('（'))
        .map(|(_, inner)| inner)
    else {
        return String::new();
    };
    let kana = |c: char| matches!(c as u32, 0x3041..=0x3096 | 0x30a1..=0x30fa | 0x30fc);
    let ok = |c: char| kana(c) || matches!(c, '・' | '「' | '」' | '、' | ' ' | '　');
    if !inner.chars().any(kana) || !inner.chars().all(ok) {
        return String::new();
    }
    let mut out = inner.to_string();
    let mut seen: Vec<String> = Vec::new();
    for word in inner.split(|c: char| !kana(c)).filter(|w| !w.is_empty()) {
        let plain = romaji(word);
        let short = plain
            .replace("ou", "o")
            .replace("uu", "u")
            .replace("oo", "o");
        for r in [plain, short] {
            if !r.is_empty() && !seen.contains(&r) {
                out.push(' ');
                out.push_str(&r);
                seen.push(r);
            }
        }
    }
    out
}

/// Hepburn romaji of kana (`しゃかい` → `shakai`, `はっくつ` → `hakkutsu`,
/// `ちいきケア` → `chiikikea`); a long-vowel mark is left out.
pub fn romaji(kana: &str) -> String {
    const ROWS: [&str; 84] = [
        "a", "a", "i", "i", "u", "u", "e", "e", "o", "o", // ぁ..お
        "ka", "ga", "ki", "gi", "ku", "gu", "ke", "ge", "ko", "go", // か..ご
        "sa", "za", "shi", "ji", "su", "zu", "se", "ze", "so", "zo", // さ..ぞ
        "ta", "da", "chi", "ji", "-", "tsu", "zu", "te", "de", "to", "do", // た..ど
        "na", "ni", "nu", "ne", "no", // な..の
        "ha", "ba", "pa", "hi", "bi", "pi", "fu", "bu", "pu", "he", "be", "pe", "ho", "bo", "po",
        "ma", "mi", "mu", "me", "mo", // ま..も
        "ya", "ya", "yu", "yu", "yo", "yo", // ゃ..よ
        "ra", "ri", "ru", "re", "ro", // ら..ろ
        "wa", "wa", "i", "e", "o", "n", "vu", // ゎ..ゔ
    ];
    let syllables: Vec<(char, &str)> = kana
        .chars()
        .map(|c| {
            let h = match c as u32 {
                0x30a1..=0x30f4 => char::from_u32(c as u32 - 0x60).unwrap_or(c),
                _ => c,
            };
            let r = match h as u32 {
                u @ 0x3041..=0x3094 => ROWS.get((u - 0x3041) as usize).copied().unwrap_or(""),
                _ => "",
            };
            (h, r)
        })
        .collect();
    let mut out = String::new();
    let mut i = 0;
    while i < syllables.len() {
        let (c, r) = syllables[i];
        let next = syllables.get(i + 1).map(|s| s.0);
        if c == 'っ' {
            // A doubled consonant: っち → tchi, っか → kka.
            if let Some(&(_, n)) = syllables.get(i + 1) {
                if n.starts_with("ch") {
                    out.push('t');
                } else if let Some(first) = n.chars().next().filter(|f| !"aiueon".contains(*f)) {
                    out.push(first);
                }
            }
            i += 1;
            continue;
        }
        match next {
            // きゃ → kya, しゃ → sha, じゃ → ja.
            Some('ゃ' | 'ゅ' | 'ょ') if r.len() > 1 && r.ends_with('i') => {
                let stem = &r[..r.len() - 1];
                let vowel = &syllables[i + 1].1[1..];
                out.push_str(stem);
                if !(stem.ends_with("sh") || stem.ends_with("ch") || stem == "j") {
                    out.push('y');
                }
                out.push_str(vowel);
                i += 2;
            }
            // ファ → fa, ティ → ti, ウィ → wi, ヴァ → va.
            Some('ぁ' | 'ぃ' | 'ぅ' | 'ぇ' | 'ぉ') if !r.is_empty() && !"aiueo".contains(r) => {
                let stem = &r[..r.len() - 1];
                out.push_str(stem);
                out.push_str(syllables[i + 1].1);
                i += 2;
            }
            Some('ぁ' | 'ぃ' | 'ぅ' | 'ぇ' | 'ぉ') if r == "u" => {
                out.push('w');
                out.push_str(syllables[i + 1].1);
                i += 2;
            }
            _ => {
                if r != "-" {
                    out.push_str(r);
                }
                i += 1;
            }
        }
    }
    out
}

/// One index file: a call of the registration function.
fn script(kind: &str, n: usize, json: &str) -> String {
    let head = format!("KENSHU_SEARCH_ADD(\"{kind}\",{n},");
    let json = script_safe(json);
    let mut out = String::with_capacity(head.len() + json.len() + 3);
    out.push_str(&head);
    out.push_str(&json);
    out.push_str(");\n");
    out
}

/// Appends `n` in base 36 (lower case), as JavaScript's `parseInt(s, 36)` reads it.
fn push36(out: &mut String, mut n: u32) {
    let mut buf = [0u8; 8];
    let mut i = buf.len();
    loop {
        i -= 1;
        let d = (n % 36) as u8;
        buf[i] = if d < 10 { b'0' + d } else { b'a' + d - 10 };
        n /= 36;
        if n == 0 {
            break;
        }
    }
    for &b in &buf[i..] {
        out.push(b as char);
    }
}

/// Makes JSON safe inside a classic script (and an inline `<script>`):
/// no `</` that could close the element, no `<!--`, and the line
/// separators older engines reject in string literals escaped.
fn script_safe(json: &str) -> std::borrow::Cow<'_, str> {
    // Most files have none of these: a scan of the bytes for `<` and the
    // first byte of U+2028/U+2029 (E2, also that of … and ―), then of the
    // characters only where one is; no copy.
    if memchr::memchr2(b'<', 0xE2, json.as_bytes()).is_none()
        || !json.contains(['<', '\u{2028}', '\u{2029}'])
    {
        return std::borrow::Cow::Borrowed(json);
    }
    std::borrow::Cow::Owned(
        json.replace("</", "<\\/")
            .replace("<!--", "<\\u0021--")
            .replace('\u{2028}', "\\u2028")
            .replace('\u{2029}', "\\u2029"),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn write(dir: &std::path::Path, rel: &str, text: &str) {
        let path = dir.join(rel);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    }

    fn site(show_notes: bool) -> tempfile::TempDir {
        let dir = tempfile::tempdir().unwrap();
        write(
            dir.path(),
            "site.toml",
            &format!("title = \"テスト\"\nshow_notes_to_readers = {show_notes}\n"),
        );
        write(dir.path(), "content/index.md", "# ホーム\n\nようこそ。\n");
        write(
            dir.path(),
            "content/a/01-x.md",
            "# 連携の基本\n\n前書きの**本文**です。\n\n## 「連携」と「協働」\n\nリエゾンとは\n橋渡しのこと。\n\n> [!講師メモ]\n> ここは秘密の話です\n\n### IH の例 {#ih}\n\nIH&amp;調理 `</script>` と 1 < 2 、改行\n\n{{#exercise-list}}\n",
        );
        dir
    }

    fn index(show_notes: bool) -> (Vec<PageText>, Vec<(String, String)>) {
        let dir = site(show_notes);
        let model = crate::load::load(dir.path()).unwrap();
        let (_, texts) = crate::render::render_with_texts(&model).unwrap();
        let files = build_index(&texts);
        (texts, files)
    }

    /// The JSON data of an index file.
    fn data(files: &[(String, String)], path: &str) -> serde_json::Value {
        let js = &files.iter().find(|f| f.0 == path).unwrap().1;
        let json = &js[js.find(',').unwrap() + 1..];
        let json = &json[json.find(',').unwrap() + 1..];
        serde_json::from_str(json.strip_suffix(");\n").unwrap()).unwrap()
    }

    #[test]
    fn pages_have_sections_and_plain_text() {
        let (pages, _) = index(false);
        assert_eq!(pages.len(), 3);
        let page = pages.iter().find(|p| p.url == "a/x.html").unwrap();
        assert_eq!(page.title, "連携の基本");
        let s = &page.sections;
        assert_eq!((s[0].h.as_str(), s[0].a.as_str()), ("", ""));
        assert_eq!(s[0].x, "前書きの本文です。");
        assert_eq!(s[1].h, "「連携」と「協働」");
        assert_eq!(s[1].a, "連携と協働");
        // Japanese soft breaks join without a space; markup is gone.
        assert_eq!(s[1].x, "リエゾンとは橋渡しのこと。");
        assert_eq!((s[2].h.as_str(), s[2].a.as_str()), ("IH の例", "ih"));
        assert!(
            s[2].x.starts_with("IH&調理 </script> と 1 < 2 、"),
            "{}",
            s[2].x
        );
        // The exercise list directive is not indexed.
        assert!(!s[2].x.contains("exercise"), "{}", s[2].x);
    }

    #[test]
    fn postings_name_the_pages_and_sections_of_each_term() {
        let pages = vec![
            PageText {
                title: "連携の基本".into(),
                url: "a.html".into(),
                sections: vec![
                    SectionEntry {
                        h: String::new(),
                        a: String::new(),
                        x: "前書き".into(),
                    },
                    SectionEntry {
                        h: "連携とは".into(),
                        a: "x".into(),
                        x: "Liaison、連携。".into(),
                    },
                ],
            },
            PageText {
                title: "ＩＨ".into(),
                url: "b.html".into(),
                sections: vec![SectionEntry {
                    h: String::new(),
                    a: String::new(),
                    x: "liaison 連携".into(),
                }],
            },
        ];
        let files = build_index(&pages);
        let meta = data(&files, "assets/search/meta.js");
        assert_eq!(meta["pages"], "2,1");
        let shards = meta["shards"].as_u64().unwrap() as u32;
        let postings = |term: &str| {
            let n = tokenize::shard_of(term, shards);
            data(&files, &format!("assets/search/shard/{n}.js"))[term].clone()
        };
        // 連携: title of page 0; section 1 heading+text (delta 1, bits 3 →
        // 7), section 2 text (delta 1, bits 2 → 6).
        assert_eq!(postings("連携"), "0|7,6");
        assert_eq!(postings("liaison"), "|6,6");
        assert_eq!(postings("ih"), "1|");
        // Section 1 sits in chunk 0 with its page's title and path.
        let text = data(&files, "assets/search/text/0.js");
        assert_eq!(text["p"][0], serde_json::json!([0, "連携の基本", "a.html"]));
        assert_eq!(
            text["s"][1],
            serde_json::json!([0, "連携とは", "x", "Liaison、連携。"])
        );
    }

    /// Every term's postings, as the index writes them, are those of a
    /// plain reading of each page (`tokenize::terms` of each title,
    /// heading, keywords and text), for pages of any characters over many
    /// runs: what the gathering's logs, counting sort, pair memo and
    /// merge must give.
    #[test]
    fn postings_are_those_of_a_plain_reading() {
        use proptest::prelude::*;
        // Kana, kanji (more than fit the pair memo, to make its slots
        // collide), words, full-width and compatibility characters that
        // normalise, one outside the BMP, punctuation and spaces.
        let alphabet: Vec<char> = "あいうえおかきくけこっゃーアイウエオカキクケコ連携支援個別直接間接的計画会議家族本人利用者"
            .chars()
            .chain((0x4E00..0x4E00 + 120).filter_map(char::from_u32))
            .chain("abcXYZ019 　、。「」（）ＡＢ１㍿ｶﾞ𠮷".chars())
            .collect();
        let text = proptest::collection::vec(0..alphabet.len(), 0..60);
        let section = (text.clone(), text.clone());
        let page = (text.clone(), proptest::collection::vec(section, 0..4));
        let pages = proptest::collection::vec(page, 1..150);
        let cfg = ProptestConfig {
            cases: 24,
            ..ProptestConfig::default()
        };
        proptest!(cfg, |(raw in pages)| {
            let s = |ix: &Vec<usize>| ix.iter().map(|&i| alphabet[i]).collect::<String>();
            let pages: Vec<PageText> = raw
                .iter()
                .map(|(title, sections)| PageText {
                    title: s(title),
                    url: "p.html".into(),
                    sections: sections
                        .iter()
                        .map(|(h, x)| SectionEntry { h: s(h), a: String::new(), x: s(x) })
                        .collect(),
                })
                .collect();
            let mut want: std::collections::BTreeMap<String, Postings> = Default::default();
            let mut section_id = 0u32;
            for (pix, p) in pages.iter().enumerate() {
                let pix = pix as u32;
                for t in tokenize::terms(&p.title) {
                    let e = want.entry(t).or_default();
                    if e.titles.last() != Some(&pix) {
                        e.titles.push(pix);
                    }
                }
                for sec in &p.sections {
                    let mut bits: std::collections::BTreeMap<String, u32> = Default::default();
                    let heading = tokenize::terms(&sec.h).into_iter().chain(tokenize::terms(&keywords(&sec.h)));
                    for t in heading {
                        *bits.entry(t).or_default() |= 1;
                    }
                    for t in tokenize::terms(&sec.x) {
                        *bits.entry(t).or_default() |= 2;
                    }
                    for (t, b) in bits {
                        want.entry(t).or_default().sections.push(section_id << 2 | b);
                    }
                    section_id += 1;
                }
            }
            let files = build_index(&pages);
            let mut got: std::collections::BTreeMap<String, String> = Default::default();
            for (path, _) in files.iter().filter(|f| f.0.contains("/shard/")) {
                let map = data(&files, path);
                for (t, p) in map.as_object().unwrap() {
                    got.insert(t.clone(), p.as_str().unwrap().to_string());
                }
            }
            let want: std::collections::BTreeMap<String, String> =
                want.iter().map(|(t, p)| (t.clone(), encode(p))).collect();
            prop_assert_eq!(got, want);
        });
    }

    #[test]
    fn a_long_page_split_over_runs_gives_the_same_postings() {
        let section = |x: &str| SectionEntry {
            h: String::new(),
            a: String::new(),
            x: x.into(),
        };
        let page = |title: &str, sections: Vec<SectionEntry>| PageText {
            title: title.into(),
            url: "p.html".into(),
            sections,
        };
        // 2,500 sections: three runs of at most RUN_SECTIONS.
        let pages = vec![
            page("前", vec![section("x")]),
            page("長い", (0..2500).map(|_| section("共通")).collect()),
            page("共通", vec![section("y")]),
        ];
        assert!(runs(&pages).len() >= 3);
        let files = build_index(&pages);
        let meta = data(&files, "assets/search/meta.js");
        let shards = meta["shards"].as_u64().unwrap() as u32;
        let n = tokenize::shard_of("共通", shards);
        let postings = data(&files, &format!("assets/search/shard/{n}.js"))["共通"].clone();
        // Title of page 2; sections 1..=2500 (delta 1, text: 1 << 2 | 2 = 6).
        let expected = format!("2|{}", vec!["6"; 2500].join(","));
        assert_eq!(postings, serde_json::Value::String(expected));
        let n = tokenize::shard_of("長い", shards);
        assert_eq!(
            data(&files, &format!("assets/search/shard/{n}.js"))["長い"],
            "1|"
        );
    }

    #[test]
    fn chunks_hold_about_eight_kilobytes_of_text() {
        // Ordinary sections of 400 bytes: 20 a chunk; long ones: the least, 4.
        assert_eq!(chunk_size(400 * 1000, 1000), 20);
        assert_eq!(chunk_size(4000 * 10, 10), CHUNK);
        // 100,000 sections of 20 bytes: 409 a chunk (245 files, not 25,000).
        assert_eq!(chunk_size(20 * 100_000, 100_000), 409);
        assert_eq!(chunk_size(100_000, 100_000), 1024);
        assert_eq!(chunk_size(0, 0), 1024);
    }

    #[test]
    fn notes_follow_show_notes_to_readers() {
        let all = |files: Vec<(String, String)>| files.into_iter().map(|f| f.1).collect::<String>();
        assert!(!all(index(false).1).contains("秘密の話"));
        assert!(all(index(true).1).contains("秘密の話"));
    }

    #[test]
    fn output_is_deterministic_and_script_safe() {
        let (_, a) = index(false);
        let (_, b) = index(false);
        assert_eq!(a, b);
        for (path, js) in &a {
            assert!(
                path.starts_with(INDEX_DIR) && path.ends_with(".js"),
                "{path}"
            );
            assert!(js.starts_with("KENSHU_SEARCH_ADD(\""), "{js}");
            assert!(!js.to_ascii_lowercase().contains("</script"), "{js}");
        }
        assert!(a.iter().any(|f| f.1.contains("<\\/script>")));
        let safe = script_safe("\"a\u{2028}b\u{2029}c<!--d</SCRIPT\"");
        assert_eq!(safe, "\"a\\u2028b\\u2029c<\\u0021--d<\\/SCRIPT\"");
    }

    #[test]
    fn readings_in_headings_give_kana_and_romaji_keywords() {
        assert_eq!(keywords("連携（れんけい）"), "れんけい renkei");
        assert_eq!(keywords("協働（きょうどう）"), "きょうどう kyoudou kyodo");
        assert_eq!(
            keywords("発掘・開拓（はっくつ・かいたく）"),
            "はっくつ・かいたく hakkutsu kaitaku"
        );
        assert_eq!(
            keywords("地域ケア会議（ちいきケアかいぎ）"),
            "ちいきケアかいぎ chiikikeakaigi"
        );
        assert_eq!(
            keywords("3つの共有（みっつのきょうゆう）"),
            "みっつのきょうゆう mittsunokyouyuu mittsunokyoyu"
        );
        // An alias in brackets, or no brackets: no keywords.
        assert_eq!(keywords("ケアマネジャー（介護支援専門員）"), "");
        assert_eq!(keywords("アセスメント"), "");
        assert_eq!(keywords("（）"), "");
        for (kana, want) in [
            ("しゃかいしげん", "shakaishigen"),
            ("ちょくせつてき", "chokusetsuteki"),
            ("じゅうそうてき", "juusouteki"),
            ("はちまるごーまる", "hachimarugomaru"),
            ("まっち", "matchi"),
            ("ファイル", "fairu"),
            ("ティー", "ti"),
            ("ウィーク", "wiku"),
            ("ヴァイオリン", "vaiorin"),
            ("みんせいいいん", "minseiiin"),
            ("っ", ""),
            ("ゃ", "ya"),
        ] {
            assert_eq!(romaji(kana), want, "{kana}");
        }
    }

    #[test]
    fn a_heading_reading_is_indexed_and_sent_with_its_section() {
        let pages = vec![PageText {
            title: "用語集".into(),
            url: "g.html".into(),
            sections: vec![SectionEntry {
                h: "連携（れんけい）".into(),
                a: "renkei".into(),
                x: "互いに協力すること。".into(),
            }],
        }];
        let files = build_index(&pages);
        let meta = data(&files, "assets/search/meta.js");
        let shards = meta["shards"].as_u64().unwrap() as u32;
        let postings = |term: &str| {
            let n = tokenize::shard_of(term, shards);
            data(&files, &format!("assets/search/shard/{n}.js"))[term].clone()
        };
        // Heading bit (1) for the romaji and the reading's pairs.
        assert_eq!(postings("renkei"), "|1");
        assert_eq!(postings("けい"), "|1");
        let text = data(&files, "assets/search/text/0.js");
        assert_eq!(
            text["s"][0],
            serde_json::json!([
                0,
                "連携（れんけい）",
                "renkei",
                "互いに協力すること。",
                "れんけい renkei"
            ])
        );
    }

    #[test]
    fn html_comments_are_not_page_text() {
        let dir = tempfile::tempdir().unwrap();
        write(dir.path(), "site.toml", "title = \"t\"\n");
        write(
            dir.path(),
            "content/index.md",
            "# ホーム\n\n見える文。<!-- inline secret -->\n\n<!--\nFormatted print\nsecond line\n-->\n\n<!-- one line note -->\n\n<div>後の文</div>\n",
        );
        let model = crate::load::load(dir.path()).unwrap();
        let (_, texts) = crate::render::render_with_texts(&model).unwrap();
        let all: String = texts
            .iter()
            .flat_map(|p| p.sections.iter().map(|s| format!("{} {}", s.h, s.x)))
            .collect();
        for hidden in ["secret", "Formatted", "second line", "note"] {
            assert!(!all.contains(hidden), "{hidden} in {all:?}");
        }
        assert!(
            all.contains("見える文。") && all.contains("後の文"),
            "{all:?}"
        );
    }

    #[test]
    fn at_least_half_the_shards_hold_a_term() {
        // Terms spread by their text: the bytes decide.
        let spread: Vec<String> = (0..4000u32)
            .filter_map(|i| char::from_u32(0x4E00 + i).map(String::from))
            .collect();
        let s = shard_count(4000 * SHARD_BYTES / 16, spread.iter().map(String::as_str));
        assert!(s >= 128, "{s}");
        // Words placed by their first two letters, of three prefixes
        // (as `10`, `100`, `1000` … share one): as many bytes, a few
        // shards, and none of them mostly empty.
        let words: Vec<String> = (0..4000)
            .map(|i| format!("{}{i}", ["ab", "cd", "ef"][i % 3]))
            .collect();
        let s = shard_count(4000 * SHARD_BYTES / 16, words.iter().map(String::as_str));
        let used: std::collections::HashSet<u32> =
            words.iter().map(|t| tokenize::shard_of(t, s)).collect();
        assert!(used.len() * 2 >= s as usize, "{} of {s}", used.len());
        assert!(s <= 8, "{s}");
        assert_eq!(shard_count(0, std::iter::empty()), 1);
    }

    #[test]
    fn base36_as_javascript_reads_it() {
        let mut s = String::new();
        for n in [0, 9, 10, 35, 36, 1295, u32::MAX] {
            push36(&mut s, n);
            s.push(' ');
        }
        assert_eq!(s, "0 9 a z 10 zz 1z141z3 ");
    }
}
