//! Large inputs (issue #23): what used to take time or memory growing
//! faster than the input. Each test uses a size at which the old,
//! superlinear code takes minutes or more while the linear code takes well
//! under a second, so the generous bounds cannot flake.

use std::time::{Duration, Instant};

use pulldown_cmark::{CowStr, Event};

use super::merge_text;
use super::tests::html;

/// Far above what a linear pass needs even in a debug build on a busy
/// machine, far below what the old quadratic code took.
const BOUND: Duration = Duration::from_secs(10);

#[test]
fn a_long_run_of_text_events_is_merged_in_one_pass() {
    // pulldown-cmark splits text at every entity: `&amp; ` × n is n + 1
    // adjacent text events. Copying the text joined so far for each next
    // event copied about 4 × 10^12 bytes for two million events (minutes;
    // one million took 42 s in a debug build, the linear pass 0.2 s).
    let n = 2_000_000;
    let events: Vec<_> = (0..n)
        .map(|i| (Event::Text(CowStr::Borrowed("& ")), 2 * i..2 * i + 2))
        .collect();
    let started = Instant::now();
    let merged = merge_text(events);
    let took = started.elapsed();
    assert!(took < BOUND, "merging {n} text events took {took:?}");
    assert_eq!(merged.len(), 1);
    assert_eq!(merged[0].1, 0..2 * n);
    let Event::Text(t) = &merged[0].0 else {
        panic!("{:?}", merged[0].0)
    };
    assert_eq!(t.as_ref(), "& ".repeat(n));
}

#[test]
fn entities_in_a_paragraph_are_written_once_each() {
    let md = "&amp; ".repeat(100_000);
    let started = Instant::now();
    let page = html(&md);
    let took = started.elapsed();
    assert!(took < BOUND, "100,000 entities took {took:?}");
    assert_eq!(
        page,
        format!("<p>{}</p>\n", "&amp; ".repeat(100_000).trim_end())
    );
}

#[test]
fn many_footnotes_are_numbered_in_one_pass() {
    // Each reference and each note looked its label up in a list: 40,000
    // notes took 10 s in a release build (minutes in a debug one).
    let n = 40_000;
    let mut md = String::from("# 脚注\n");
    for i in 0..n {
        md.push_str(&format!("\n本文[^n{i}]\n"));
    }
    for i in (0..n).rev() {
        md.push_str(&format!("\n[^n{i}]: 注{i}\n"));
    }
    let started = Instant::now();
    let page = html(&md);
    let took = started.elapsed();
    assert!(took < BOUND, "{n} footnotes took {took:?}");
    // Numbered by first reference, listed in that order.
    let last = n - 1;
    assert!(page.contains(&format!(
        "<p>本文<sup class=\"footnote-ref\"><a href=\"#fn-n{last}\" id=\"fnref-n{last}\" aria-label=\"脚注{n}\">{n}</a></sup></p>"
    )));
    let first = page.find("<li id=\"fn-n0\">").expect("the first note");
    let second = page.find("<li id=\"fn-n1\">").expect("the second note");
    assert!(first < second);
}
