//! Conformance with external Markdown suites (issue 30), through kenshu's
//! own renderer: every example is a page of one site, loaded and rendered
//! as `kenshu build` does (the CJK layer, link resolution, the page
//! template), and the page's body is compared with the suite's expected
//! HTML.
//!
//! The suites are vendored under `tests/conformance/`, each with its
//! licence beside it (see `tests/conformance/README.md`):
//! - the CommonMark spec 0.31.2 (652 examples, `commonmark/spec.json`);
//! - the GFM extension examples for tables, strikethrough and task lists
//!   (`gfm/`, as pulldown-cmark vendors them: 14 examples);
//! - the markdown-cjk-friendly proposal's test cases (`cjk-friendly/`):
//!   its emphasis cases and its strikethrough cases, one case a paragraph,
//!   expected HTML from the reference implementation's (micromark's)
//!   snapshots;
//! - markdown-it-cjk-breaks' fixtures (`cjk-breaks/`).
//!
//! Before comparing, kenshu's documented additions are taken out of its
//! output — the `id` of headings, the `<div class="table-wrap">` around
//! tables, the highlighting `<span>`s in code blocks — and both sides are
//! normalised as the spec's `test/normalize.py` does (whitespace around
//! block tags, attribute order, character references; see [`normalise`]).
//!
//! The pages are loaded with link checking relaxed (`[links] external`
//! lists every character a link may start with: every link kept as
//! written), since the examples link to files
//! that do not exist; a second run with the default link checking checks
//! that it stops only at links to files that do not exist (never at an
//! e-mail autolink or at a link in an HTML comment).
//!
//! Run `cargo test -p kenshu --test conformance -- --nocapture` to see the
//! figures and every failing case.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// Deliberate differences: (suite, case, why). Each is a documented
/// choice of kenshu (README.md, "Markdown conformance"); a case listed
/// here that passes is printed, to take it off the list.
const DELIBERATE: &[(&str, &str, &str)] = &[(
    "CommonMark",
    "example 617 (Raw HTML)",
    "a custom element the site does not define (`<responsive-image … />`, like a \
     Vue component's `<header-table/>`) is left out and named in a warning",
)];

/// The least number of CJK cases (emphasis, strikethrough, line breaks)
/// that must pass.
const CJK_AT_LEAST: usize = 128;

struct Case {
    suite: &'static str,
    /// `example 12` or `strong.md ¶3`.
    name: String,
    markdown: String,
    expected: String,
}

fn dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/conformance")
}

fn read(rel: &str) -> String {
    std::fs::read_to_string(dir().join(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"))
}

fn commonmark() -> Vec<Case> {
    let json: serde_json::Value =
        serde_json::from_str(&read("commonmark/spec.json")).expect("spec.json is JSON");
    json.as_array()
        .expect("spec.json is a list")
        .iter()
        .map(|e| Case {
            suite: "CommonMark",
            name: format!(
                "example {} ({})",
                e["example"],
                e["section"].as_str().unwrap_or("")
            ),
            markdown: e["markdown"].as_str().expect("markdown").to_string(),
            expected: e["html"].as_str().expect("html").to_string(),
        })
        .collect()
}

/// The examples of a file in the spec's format (a fence of 32 backticks
/// and `example`, the Markdown, `.`, the HTML, the closing fence; `→` a
/// tab).
fn spec_examples(suite: &'static str, rel: &str) -> Vec<Case> {
    let text = read(rel);
    let fence = "`".repeat(32);
    let mut cases = Vec::new();
    let mut lines = text.lines();
    let mut n = 0;
    while let Some(line) = lines.next() {
        if !(line.starts_with(&fence) && line[fence.len()..].trim_start().starts_with("example")) {
            continue;
        }
        n += 1;
        let (mut md, mut html, mut in_html) = (String::new(), String::new(), false);
        for l in lines.by_ref() {
            if l == fence {
                break;
            }
            if l == "." && !in_html {
                in_html = true;
                continue;
            }
            let target = if in_html { &mut html } else { &mut md };
            target.push_str(&l.replace('→', "\t"));
            target.push('\n');
        }
        cases.push(Case {
            suite,
            name: format!("{} example {n}", rel.rsplit('/').next().unwrap_or(rel)),
            markdown: md,
            expected: html,
        });
    }
    cases
}

/// A vitest snapshot file's entries: name → text (unescaped).
fn snapshots(rel: &str) -> BTreeMap<String, String> {
    let text = read(rel);
    let mut out = BTreeMap::new();
    for entry in text.split("exports[`").skip(1) {
        let Some((name, rest)) = entry.split_once("`] = `\n\"") else {
            continue;
        };
        let Some(end) = rest.find("\"\n`;") else {
            continue;
        };
        let body = rest[..end]
            .replace("\\`", "`")
            .replace("\\${", "${")
            .replace("\\\\", "\\");
        out.insert(name.to_string(), body);
    }
    out
}

/// The proposal's test files, one case a paragraph, each paired with the
/// paragraph of the reference implementation's snapshot.
fn cjk_friendly(suite: &'static str, snapshot_file: &str, files: &[(&str, &str)]) -> Vec<Case> {
    let snaps = snapshots(snapshot_file);
    let mut cases = Vec::new();
    for (file, key) in files {
        let md = read(&format!("cjk-friendly/{file}"));
        let html = snaps
            .get(*key)
            .unwrap_or_else(|| panic!("{snapshot_file}: no snapshot {key:?}"));
        let mut paragraphs: Vec<String> = Vec::new();
        let mut current = String::new();
        for line in md.lines() {
            if line.trim().is_empty() {
                if !current.is_empty() {
                    paragraphs.push(std::mem::take(&mut current));
                }
            } else {
                current.push_str(line);
                current.push('\n');
            }
        }
        if !current.is_empty() {
            paragraphs.push(current);
        }
        let expected: Vec<String> = html
            .split_inclusive("</p>")
            .map(|p| p.trim().to_string())
            .filter(|p| !p.is_empty())
            .collect();
        assert_eq!(
            paragraphs.len(),
            expected.len(),
            "{file}: paragraphs and snapshot paragraphs"
        );
        for (k, (md, html)) in paragraphs.into_iter().zip(expected).enumerate() {
            cases.push(Case {
                suite,
                name: format!("{file} ¶{}", k + 1),
                markdown: md,
                expected: format!("{html}\n"),
            });
        }
    }
    cases
}

/// markdown-it's fixture format: a title, `.`, the Markdown, `.`, the
/// HTML, `.`.
fn cjk_breaks() -> Vec<Case> {
    let text = read("cjk-breaks/cjk_breaks.txt");
    let mut cases = Vec::new();
    let mut lines = text.lines().peekable();
    while let Some(title) = lines.next() {
        if title.trim().is_empty() || title == "." {
            continue;
        }
        let mut parts = [String::new(), String::new()];
        if lines.next() != Some(".") {
            panic!("cjk_breaks.txt: `.` expected after {title:?}");
        }
        for part in &mut parts {
            for l in lines.by_ref() {
                if l == "." {
                    break;
                }
                part.push_str(l);
                part.push('\n');
            }
        }
        let [md, html] = parts;
        cases.push(Case {
            suite: "cjk-breaks",
            name: title.to_string(),
            markdown: md,
            expected: html,
        });
    }
    cases
}

fn all_cases() -> Vec<Case> {
    let mut cases = commonmark();
    for f in ["gfm_table", "gfm_strikethrough", "gfm_tasklist"] {
        cases.extend(spec_examples("GFM", &format!("gfm/{f}.txt")));
    }
    let emphasis = [
        (
            "strong.md",
            "micromark-extensions-cjk-friendly > ** around Kana/Han is converted to <strong> 1",
        ),
        (
            "korean.md",
            "micromark-extensions-cjk-friendly > ** around Korean is converted to <strong> 1",
        ),
        (
            "pseudo-emoji.md",
            "micromark-extensions-cjk-friendly > ** around pseudo-emoji (CJK symbols that are also unqualified-emoji) is converted to <strong> 1",
        ),
        (
            "non-bmp.md",
            "micromark-extensions-cjk-friendly > recognizes non-BMP punctuation and symbols 1",
        ),
        (
            "underscore-cjk-punct.md",
            "micromark-extensions-cjk-friendly > process underscores around CJK punctuation 1",
        ),
        (
            "readme-example.md",
            "micromark-extensions-cjk-friendly > Example Markdown in README 1",
        ),
    ];
    cases.extend(cjk_friendly(
        "CJK emphasis",
        "cjk-friendly/micromark.spec.ts.snap",
        &emphasis,
    ));
    cases.extend(cjk_friendly(
        "CJK strikethrough",
        "cjk-friendly/micromarkStrikethrough.spec.ts.snap",
        &[(
            "gfm-strikethrough.md",
            "micromark-extension-gfm-strikethrough > Compatible with CJK 1",
        )],
    ));
    cases.extend(cjk_breaks());
    cases
}

// ---------------------------------------------------------------------
// The site: one page a case.

/// The page of case `i`.
fn page_rel(i: usize) -> String {
    format!("content/case-{i:04}.md")
}

/// Writes a site with every case as a page. Each page starts with an
/// empty front matter, so that its body is the example exactly (an
/// example that starts with `---` or `+++` is not read as front matter).
fn write_site(root: &Path, cases: &[Case], relaxed_links: bool) {
    // Every link kept as written: a prefix for each character a link may
    // start with (kenshu refuses an empty prefix).
    let links = if relaxed_links {
        // (Raw HTML's values are looked up with their references decoded.)
        let mut chars: Vec<char> = cases
            .iter()
            .flat_map(|c| {
                let decoded = kenshu::html::decode_entities(&c.markdown);
                c.markdown
                    .chars()
                    .chain(decoded.chars())
                    .collect::<Vec<_>>()
            })
            .collect();
        chars.sort_unstable();
        chars.dedup();
        let prefixes: Vec<String> = chars
            .iter()
            .filter(|c| !c.is_control())
            .map(|c| serde_json::to_string(&c.to_string()).expect("a JSON string"))
            .collect();
        format!("\n[links]\nexternal = [{}]\n", prefixes.join(", "))
    } else {
        String::new()
    };
    std::fs::create_dir_all(root.join("content")).expect("content/");
    std::fs::write(
        root.join("site.toml"),
        format!("title = \"conformance\"\n{links}"),
    )
    .expect("site.toml");
    std::fs::write(root.join("content/index.md"), "# conformance\n").expect("index.md");
    for (i, case) in cases.iter().enumerate() {
        std::fs::write(
            root.join(page_rel(i)),
            format!("+++\n+++\n{}", case.markdown),
        )
        .expect("page");
    }
}

/// Loads the site; the pages whose errors stop the build are taken out
/// (and their errors returned by case) until the rest loads.
fn load(root: &Path, cases: usize) -> (kenshu::model::Site, BTreeMap<usize, Vec<String>>) {
    let by_file: BTreeMap<PathBuf, usize> = (0..cases)
        .map(|i| (PathBuf::from(page_rel(i)), i))
        .collect();
    let mut stopped: BTreeMap<usize, Vec<String>> = BTreeMap::new();
    for _ in 0..3 {
        match kenshu::load::load(root) {
            Ok(site) => return (site, stopped),
            Err(errors) => {
                for e in errors {
                    let Some(&i) = by_file.get(&e.file) else {
                        panic!("an error outside the cases: {e}");
                    };
                    stopped.entry(i).or_default().push(e.to_string());
                }
                for i in stopped.keys() {
                    let _ = std::fs::remove_file(root.join(page_rel(*i)));
                }
            }
        }
    }
    panic!("the site does not load without the pages that stop it");
}

/// The body of a rendered page: the leading `# heading`, which the page
/// template moves above the contents, and the `<article>`'s contents.
fn body_of(page: &str) -> String {
    let article = "<article class=\"content\">\n      \n      ";
    let start = page.find(article).expect("the page has its article") + article.len();
    let end = page
        .rfind("\n      \n    </article>")
        .expect("the article ends");
    let head = page
        .find("<div class=\"page-head\">")
        .expect("the page head");
    let mut body = String::new();
    // A body's own h1 has an id; the title the template writes has none.
    if let Some(h1) = page[head..start].find("<h1 id=") {
        let h1 = &page[head + h1..start];
        let close = h1.find("</h1>").expect("h1 closes") + "</h1>".len();
        body.push_str(&h1[..close]);
        body.push('\n');
    }
    body.push_str(&page[start..end]);
    body
}

// ---------------------------------------------------------------------
// Normalisation.

/// kenshu's documented additions taken out of its HTML: heading ids,
/// the table wrapper, highlighting spans inside `<pre>`.
fn without_additions(html: &str) -> String {
    let mut out = String::with_capacity(html.len());
    let mut rest = html;
    let mut in_pre = false;
    while let Some(lt) = rest.find('<') {
        out.push_str(&rest[..lt]);
        rest = &rest[lt..];
        let end = rest.find('>').map_or(rest.len(), |e| e + 1);
        let tag = &rest[..end];
        rest = &rest[end..];
        if tag.starts_with("<pre") {
            in_pre = true;
        } else if tag == "</pre>" {
            in_pre = false;
        }
        if in_pre && (tag.starts_with("<span") || tag == "</span>") {
            continue;
        }
        if tag == "<div class=\"table-wrap\">" {
            continue;
        }
        if tag == "</div>" && out.ends_with("</table>\n") {
            continue;
        }
        let heading = tag.len() > 3
            && tag.as_bytes()[1] == b'h'
            && (b'1'..=b'6').contains(&tag.as_bytes()[2])
            && tag.as_bytes()[3] == b' ';
        if heading {
            if let Some(id) = tag.find(" id=\"") {
                let close = tag[id + 5..]
                    .find('"')
                    .map_or(tag.len(), |c| id + 5 + c + 1);
                out.push_str(&tag[..id]);
                out.push_str(&tag[close..]);
                continue;
            }
        }
        out.push_str(tag);
    }
    out.push_str(rest);
    out
}

const BLOCK_TAGS: &[&str] = &[
    "article",
    "header",
    "aside",
    "hgroup",
    "blockquote",
    "hr",
    "iframe",
    "body",
    "li",
    "map",
    "button",
    "object",
    "canvas",
    "ol",
    "caption",
    "output",
    "col",
    "p",
    "colgroup",
    "pre",
    "dd",
    "progress",
    "div",
    "section",
    "dl",
    "table",
    "td",
    "dt",
    "tbody",
    "embed",
    "textarea",
    "fieldset",
    "tfoot",
    "figcaption",
    "th",
    "figure",
    "thead",
    "footer",
    "tr",
    "form",
    "ul",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "video",
    "script",
    "style",
];

/// The character a reference stands for (`amp`, `#x41`), if known.
fn reference(name: &str) -> Option<char> {
    if let Some(num) = name.strip_prefix('#') {
        let code = match num.strip_prefix(['x', 'X']) {
            Some(hex) => u32::from_str_radix(hex, 16).ok()?,
            None => num.parse().ok()?,
        };
        return char::from_u32(code).map(|c| if c == '\0' { '\u{FFFD}' } else { c });
    }
    Some(match name {
        "amp" => '&',
        "lt" => '<',
        "gt" => '>',
        "quot" => '"',
        "apos" => '\'',
        "nbsp" => '\u{A0}',
        "copy" => '©',
        "ouml" => 'ö',
        "auml" => 'ä',
        "uuml" => 'ü',
        "AElig" => 'Æ',
        "Dcaron" => 'Ď',
        "frac34" => '¾',
        "HilbertSpace" => 'ℋ',
        "DifferentialD" => 'ⅆ',
        "ClockwiseContourIntegral" => '∲',
        "ngE" => '≧',
        _ => return None,
    })
}

/// Text with its references decoded and `<`, `>`, `&`, `"` escaped.
fn canonical_text(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(c) = rest.chars().next() {
        if c == '&' {
            let semi = rest[1..].find(';').filter(|&i| i > 0 && i < 40);
            if let Some(ch) = semi.and_then(|i| reference(&rest[1..=i])) {
                push_escaped(&mut out, ch);
                rest = &rest[semi.unwrap_or(0) + 2..];
                continue;
            }
        }
        push_escaped(&mut out, c);
        rest = &rest[c.len_utf8()..];
    }
    out
}

fn push_escaped(out: &mut String, c: char) {
    match c {
        '<' => out.push_str("&lt;"),
        '>' => out.push_str("&gt;"),
        '&' => out.push_str("&amp;"),
        '"' => out.push_str("&quot;"),
        c => out.push(c),
    }
}

/// A start or end tag: (closing, name, attributes, self-closing); None
/// when `tag` is not one (then it is compared as text).
#[allow(clippy::type_complexity)]
fn parse_tag(tag: &str) -> Option<(bool, String, Vec<(String, Option<String>)>, bool)> {
    let inner = tag.strip_prefix('<')?.strip_suffix('>')?;
    let (closing, inner) = match inner.strip_prefix('/') {
        Some(rest) => (true, rest),
        None => (false, inner),
    };
    let name_len = inner
        .find(|c: char| !(c.is_ascii_alphanumeric() || c == '-'))
        .unwrap_or(inner.len());
    let name = &inner[..name_len];
    if name.is_empty() || !name.as_bytes()[0].is_ascii_alphabetic() {
        return None;
    }
    let mut rest = &inner[name_len..];
    if closing {
        return rest
            .trim()
            .is_empty()
            .then(|| (true, name.to_ascii_lowercase(), Vec::new(), false));
    }
    let mut attrs = Vec::new();
    let mut self_closing = false;
    loop {
        let trimmed = rest.trim_start();
        if trimmed.is_empty() {
            break;
        }
        if trimmed == "/" {
            self_closing = true;
            break;
        }
        if trimmed.len() == rest.len() && !attrs.is_empty() {
            return None;
        }
        rest = trimmed;
        let n = rest
            .find(|c: char| c.is_whitespace() || matches!(c, '"' | '\'' | '>' | '/' | '='))
            .unwrap_or(rest.len());
        if n == 0 {
            return None;
        }
        let key = rest[..n].to_ascii_lowercase();
        rest = &rest[n..];
        let after = rest.trim_start();
        if let Some(v) = after.strip_prefix('=') {
            let v = v.trim_start();
            let (value, tail) = match v.chars().next() {
                Some(q @ ('"' | '\'')) => {
                    let close = v[1..].find(q)? + 1;
                    (&v[1..close], &v[close + 1..])
                }
                _ => {
                    let e = v.find(char::is_whitespace).unwrap_or(v.len());
                    (&v[..e], &v[e..])
                }
            };
            attrs.push((key, Some(value.to_string())));
            rest = tail;
        } else {
            attrs.push((key, None));
        }
    }
    Some((false, name.to_ascii_lowercase(), attrs, self_closing))
}

/// The spec's normalisation (`test/normalize.py` of commonmark-spec):
/// whitespace collapsed outside `<pre>` and dropped around block tags,
/// attributes sorted, `<br />` as `<br>`, references decoded with `<`,
/// `>`, `&` and `"` written as entities (in text too: cmark writes
/// `&quot;`, pulldown-cmark `"`).
fn normalise(html: &str) -> String {
    #[derive(PartialEq)]
    enum Last {
        Start,
        End,
        Data,
        Other,
    }
    let mut out = String::new();
    let mut last = Last::Start;
    let mut last_tag = String::new();
    let mut in_pre = false;
    let is_block = |t: &str| BLOCK_TAGS.contains(&t);
    let mut rest = html;
    while !rest.is_empty() {
        // The next chunk: a comment, CDATA, a tag-like `<…>`, or text.
        let (chunk, is_markup) = if let Some(comment) = rest.strip_prefix("<!--") {
            let end = comment.find("-->").map_or(rest.len(), |e| e + 7);
            (&rest[..end], true)
        } else if rest.starts_with("<![CDATA[") {
            let end = rest.find("]]>").map_or(rest.len(), |e| e + 3);
            (&rest[..end], true)
        } else if rest.starts_with('<') && rest.contains('>') {
            let end = rest.find('>').map_or(rest.len(), |e| e + 1);
            (&rest[..end], true)
        } else {
            let first = rest.chars().next().map_or(1, char::len_utf8);
            let end = rest[first..].find('<').map_or(rest.len(), |e| e + first);
            (&rest[..end], false)
        };
        rest = &rest[chunk.len()..];
        let tag = if is_markup { parse_tag(chunk) } else { None };
        match tag {
            Some((true, name, _, _)) => {
                if name == "pre" {
                    in_pre = false;
                } else if is_block(&name) {
                    out.truncate(out.trim_end().len());
                }
                out.push_str(&format!("</{name}>"));
                last_tag = name;
                last = Last::End;
            }
            Some((false, name, mut attrs, self_closing)) => {
                if name == "pre" {
                    in_pre = true;
                }
                if is_block(&name) {
                    out.truncate(out.trim_end().len());
                }
                out.push('<');
                out.push_str(&name);
                attrs.sort();
                for (k, v) in attrs {
                    out.push(' ');
                    out.push_str(&k);
                    if let Some(v) = v {
                        out.push_str("=\"");
                        out.push_str(&canonical_text(&v).replace('\'', "&#x27;"));
                        out.push('"');
                    }
                }
                out.push('>');
                last_tag = name;
                last = if self_closing { Last::End } else { Last::Start };
            }
            None if is_markup && (chunk.starts_with("<!") || chunk.starts_with("<?")) => {
                out.push_str(chunk);
                last = Last::Other;
            }
            None => {
                let after_tag = matches!(last, Last::Start | Last::End);
                let after_block = after_tag && is_block(&last_tag);
                let mut data = canonical_text(chunk);
                if after_tag && last_tag == "br" {
                    data = data.trim_start_matches('\n').to_string();
                }
                if !in_pre {
                    let mut collapsed = String::with_capacity(data.len());
                    let mut space = false;
                    for c in data.chars() {
                        if c.is_ascii_whitespace() {
                            space = true;
                            continue;
                        }
                        if space {
                            collapsed.push(' ');
                            space = false;
                        }
                        collapsed.push(c);
                    }
                    if space {
                        collapsed.push(' ');
                    }
                    data = collapsed;
                    if after_block {
                        data = match last {
                            Last::Start => data.trim_start().to_string(),
                            _ => data.trim().to_string(),
                        };
                    }
                }
                out.push_str(&data);
                last = Last::Data;
            }
        }
    }
    out
}

// ---------------------------------------------------------------------
// The test.

struct Outcome {
    suite: &'static str,
    name: String,
    passed: bool,
    detail: String,
}

fn run(cases: &[Case], relaxed_links: bool) -> (Vec<Outcome>, BTreeMap<usize, Vec<String>>) {
    let tmp = tempfile::tempdir().expect("temporary folder");
    let root = tmp.path();
    write_site(root, cases, relaxed_links);
    let (site, stopped) = load(root, cases.len());
    let ix_of: BTreeMap<String, usize> = site
        .pages
        .iter()
        .enumerate()
        .map(|(ix, p)| (p.rel.clone(), ix))
        .collect();
    let outcomes = cases
        .iter()
        .enumerate()
        .map(|(i, case)| {
            let fail = |detail: String| Outcome {
                suite: case.suite,
                name: case.name.clone(),
                passed: false,
                detail,
            };
            if let Some(errors) = stopped.get(&i) {
                return fail(format!("the build stops: {}", errors.join("; ")));
            }
            let rel = page_rel(i);
            let Some(&ix) = ix_of.get(rel.trim_start_matches("content/")) else {
                return fail("the page is missing from the site".into());
            };
            let page = match kenshu::render::render_page(&site, ix).html.map(utf8) {
                Ok(html) => html,
                Err(e) => return fail(format!("render error: {e}")),
            };
            let got = normalise(&without_additions(&body_of(&page)));
            let want = normalise(&case.expected);
            Outcome {
                suite: case.suite,
                name: case.name.clone(),
                passed: got == want,
                detail: format!(
                    "markdown: {:?}\n    expected: {want:?}\n    kenshu:   {got:?}",
                    case.markdown
                ),
            }
        })
        .collect();
    (outcomes, stopped)
}

#[test]
fn external_suites_render_as_specified() {
    let cases = all_cases();
    let (outcomes, _) = run(&cases, true);
    let mut figures: BTreeMap<&str, (usize, usize)> = BTreeMap::new();
    let mut unexpected = Vec::new();
    let mut stale = Vec::new();
    for o in &outcomes {
        let f = figures.entry(o.suite).or_default();
        f.1 += 1;
        if o.passed {
            f.0 += 1;
        }
        let listed = DELIBERATE
            .iter()
            .any(|(s, n, _)| *s == o.suite && *n == o.name);
        match (o.passed, listed) {
            (false, false) => unexpected.push(format!("{} {}\n    {}", o.suite, o.name, o.detail)),
            (true, true) => stale.push(format!("{} {}", o.suite, o.name)),
            (false, true) => println!("deliberate: {} {}\n    {}", o.suite, o.name, o.detail),
            _ => {}
        }
    }
    for u in &unexpected {
        println!("FAIL {u}");
    }
    for (suite, (passed, total)) in &figures {
        println!("{suite}: {passed}/{total}");
    }
    let cjk: (usize, usize) = figures
        .iter()
        .filter(|(s, _)| s.starts_with("CJK") || **s == "cjk-breaks")
        .fold((0, 0), |a, (_, f)| (a.0 + f.0, a.1 + f.1));
    println!("CJK cases in all: {}/{}", cjk.0, cjk.1);
    let commonmark_or_gfm_unexpected = unexpected
        .iter()
        .filter(|u| u.starts_with("CommonMark") || u.starts_with("GFM"))
        .count();
    for s in &stale {
        println!("listed as a deliberate difference but passes: {s}");
    }

    assert_eq!(
        commonmark_or_gfm_unexpected, 0,
        "CommonMark/GFM examples fail outside the documented list (see the output above)"
    );
    assert!(
        cjk.0 >= CJK_AT_LEAST,
        "only {}/{} CJK cases pass (at least {CJK_AT_LEAST} must)",
        cjk.0,
        cjk.1
    );
}

/// The `href` and `src` values of `html`'s tags, references and `%XX`
/// escapes decoded.
fn link_values(html: &str) -> Vec<String> {
    let mut values = Vec::new();
    let mut rest = html;
    while let Some(lt) = rest.find('<') {
        rest = &rest[lt..];
        let end = rest.find('>').map_or(rest.len(), |e| e + 1);
        if let Some((false, _, attrs, _)) = parse_tag(&rest[..end]) {
            for (k, v) in attrs {
                if let (true, Some(v)) = (k == "href" || k == "src", v) {
                    values.push(decoded_link(&v));
                }
            }
        }
        rest = &rest[end.max(1)..];
    }
    values
}

fn decoded_link(s: &str) -> String {
    let text = canonical_text(s)
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&amp;", "&");
    kenshu::html::percent_decode(&text).unwrap_or(text)
}

/// With the default link checking, an example stops the build only at a
/// link its HTML has (to a page, file or heading that does not exist):
/// never at an e-mail autolink (`<foo@bar.example.com>` is `mailto:`), a
/// link inside an HTML comment or an image's description, or text that is
/// not a link.
#[test]
fn default_link_checking_stops_only_at_links_to_missing_files() {
    let cases = commonmark();
    let (_, stopped) = run(&cases, false);
    let mut wrong = Vec::new();
    for (i, errors) in &stopped {
        let links = link_values(&cases[*i].expected);
        for e in errors {
            let line = e.split("\n  hint:").next().unwrap_or("");
            let dest = match (line.find('`'), line.rfind('`')) {
                (Some(a), Some(b)) if a < b => &line[a + 1..b],
                _ => "",
            };
            if !links.contains(&decoded_link(dest)) {
                wrong.push(format!(
                    "{}: {e}\n    links of the expected HTML: {links:?}",
                    cases[*i].name
                ));
            }
        }
    }
    println!(
        "default link checking: {} of {} CommonMark examples stop the build at a link to a file that does not exist",
        stopped.len(),
        cases.len()
    );
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}

/// CommonMark examples 44 (`+++` alone) and 98 (`---` twice) written as
/// pages as they are, with no front matter before them: the first builds
/// with a warning at its line (it stopped the build), the second shows
/// its two rules (it was read as an empty front matter: an empty page).
#[test]
fn examples_that_look_like_front_matter_build_as_markdown() {
    let tmp = tempfile::tempdir().expect("temporary folder");
    let root = tmp.path();
    std::fs::create_dir_all(root.join("content")).expect("content/");
    std::fs::write(root.join("site.toml"), "title = \"t\"\n").expect("site.toml");
    std::fs::write(root.join("content/index.md"), "# t\n").expect("index.md");
    std::fs::write(root.join("content/e44.md"), "+++\n").expect("e44");
    std::fs::write(root.join("content/e98.md"), "---\n---\n").expect("e98");
    let report = kenshu::check(root)
        .unwrap_or_else(|e| panic!("{:?}", e.iter().map(|e| e.to_string()).collect::<Vec<_>>()));
    let warnings: Vec<String> = report.warnings.iter().map(|w| w.as_warning()).collect();
    assert!(
        warnings.iter().any(|w| w.starts_with(
            "content/e44.md:1:1: warning: `+++` opens front matter that is never closed"
        )),
        "{warnings:?}"
    );
    let site = kenshu::load::load(root).expect("loads");
    let body = |rel: &str| {
        let ix = site.pages.iter().position(|p| p.rel == rel).expect("page");
        body_of(&utf8(
            kenshu::render::render_page(&site, ix)
                .html
                .expect("renders"),
        ))
    };
    assert_eq!(normalise(&body("e44.md")), "<p>+++</p>");
    assert_eq!(normalise(&body("e98.md")), "<hr><hr>");
}

// ---------------------------------------------------------------------
// Links the suites showed wrong, end to end (load, then the page).

/// `<foo@bar.example.com>` is a `mailto:` link: it does not stop the
/// build as a missing file (it did).
#[test]
fn email_autolinks_are_not_files() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(dir.path().join("content")).unwrap();
    std::fs::write(
        dir.path().join("content/index.md"),
        "# ホーム\n\n問い合わせ: <foo+x@bar.example.com>、[メール](<a@b.jp>)\n",
    )
    .unwrap();
    let site = match kenshu::load::load(dir.path()) {
        Ok(site) => site,
        Err(e) => panic!("{:?}", e.iter().map(|e| e.to_string()).collect::<Vec<_>>()),
    };
    let html = utf8(kenshu::render::render_page(&site, 0).html.unwrap());
    assert!(
        html.contains("<a href=\"mailto:foo+x@bar.example.com\">foo+x@bar.example.com</a>"),
        "{html}"
    );
    // A missing file written like an address is still checked.
    std::fs::write(dir.path().join("content/index.md"), "[x](foo@bar.md)\n").unwrap();
    assert!(kenshu::load::load(dir.path()).is_err());
}

/// A raw-HTML link with a reference in it (`&amp;` in a query) is
/// checked and rewritten like any other, its references decoded once.
#[test]
fn raw_html_links_with_references() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(dir.path().join("content")).unwrap();
    std::fs::write(
        dir.path().join("content/index.md"),
        "# ホーム\n\n<a href=\"b.md?x=1&amp;y=2#h\">B</a> <a href=\"https://e.jp/?a=1&amp;b=&ouml;\">e</a>\n",
    )
    .unwrap();
    std::fs::write(dir.path().join("content/b.md"), "# B\n\n## H {#h}\n").unwrap();
    let site = match kenshu::load::load(dir.path()) {
        Ok(site) => site,
        Err(e) => panic!("{:?}", e.iter().map(|e| e.to_string()).collect::<Vec<_>>()),
    };
    let html = utf8(kenshu::render::render_page(&site, 0).html.unwrap());
    assert!(
        html.contains("<a href=\"b.html?x=1&amp;y=2#h\">B</a>"),
        "{html}"
    );
    assert!(
        html.contains("<a href=\"https://e.jp/?a=1&amp;b=&ouml;\">e</a>"),
        "{html}"
    );
}

/// A page's HTML as text (`render_page` gives the bytes written).
fn utf8(html: Vec<u8>) -> String {
    String::from_utf8(html).expect("pages are UTF-8")
}
