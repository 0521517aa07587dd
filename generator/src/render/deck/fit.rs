//! Build-time slide geometry: what stays off the audience's slide, and an
//! estimate of how tall a slide's content is, to warn about slides that
//! cannot be shown at the readable floor.
//!
//! The estimate mirrors deck.css: a 1280 × 720 canvas, a 1136 px wide
//! content box, body text 30 px (line height 1.55), tables and boxes 28 px,
//! captions 26 px, the slide title 44 px above the content. deck.js shrinks
//! a slide's content to fit, but never so far that any text — a table cell,
//! a caption, a figure's label — is under [`MIN_PX`] (24 px at 1280 × 720):
//! the smallest scale a slide may take is its [`floor_scale`]. Content that
//! would need more is split into several slides ([`split`]: by blocks, a
//! table by rows, a list by items, a figure apart from its caption); what
//! still cannot fit is overfull: it scrolls on screen, and the build warns.
//! The estimate counts a Japanese character as 1 em and other characters
//! as about half of one, so it is approximate; it errs on the side of
//! "fits" by a few percent, and the browser tests check the real layout.

use crate::html::decode_entities as decode;
use crate::markdown::is_wide;

/// The smallest scale deck.js gives a slide's content: 30 px body text
/// becomes 24 px. Slides with smaller type (tables, captions, figures) have a
/// higher floor ([`floor_scale`]).
pub const FLOOR: f64 = 0.8;
/// The smallest text on an audience slide, in canvas px (1280 × 720).
pub const MIN_PX: f64 = 24.0;
/// A figure on a slide is as wide as the content box, but at most this tall
/// (deck.css: `.slide figure svg`).
pub const FIGURE_MAX_H: f64 = 470.0;
/// Canvas geometry (deck.css).
pub const CANVAS_W: f64 = 1280.0;
pub const CANVAS_H: f64 = 720.0;
pub const BOX_W: f64 = 1136.0;
/// Space above the title (or the content when there is none).
pub const TOP: f64 = 36.0;
/// Space below the content (the slide number sits there).
pub const BOTTOM: f64 = 48.0;
/// Between the title's rule and the content.
pub const TITLE_GAP: f64 = 20.0;
const TITLE_PX: f64 = 44.0;
const TITLE_LH: f64 = 1.3;
/// The title's padding and rule below the text.
const TITLE_RULE: f64 = 16.0;

/// Classes of blocks that are never on an audience slide: they go to the
/// speaker view instead.
pub const OFF_SLIDE_CLASSES: [&str; 2] = ["reading-only", "figure-omitted"];

/// Whether the start tag `tag` (`<p class="a b">`) has one of `classes`.
fn has_class(tag: &str, classes: &[&str]) -> bool {
    let Some(at) = find_attr(tag, "class") else {
        return false;
    };
    at.split_ascii_whitespace().any(|c| classes.contains(&c))
}

/// The value of attribute `name` in a start tag (quoted with " or ').
pub fn find_attr<'a>(tag: &'a str, name: &str) -> Option<&'a str> {
    let lower = tag.to_ascii_lowercase();
    let mut from = 0;
    while let Some(i) = lower[from..].find(name) {
        let at = from + i;
        from = at + name.len();
        let before = lower[..at].chars().last();
        if !matches!(before, Some(c) if c.is_ascii_whitespace()) {
            continue;
        }
        let rest = tag[from..].trim_start();
        let Some(rest) = rest.strip_prefix('=') else {
            continue;
        };
        let rest = rest.trim_start();
        let quote = rest.chars().next()?;
        if quote == '"' || quote == '\'' {
            let end = rest[1..].find(quote)?;
            return Some(&rest[1..1 + end]);
        }
        let end = rest
            .find(|c: char| c.is_ascii_whitespace() || c == '>')
            .unwrap_or(rest.len());
        return Some(&rest[..end]);
    }
    None
}

/// One tag of an HTML string.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Tag<'a> {
    /// Lower-case name.
    name: String,
    end: bool,
    self_closing: bool,
    /// The whole tag, `<` to `>`.
    text: &'a str,
    start: usize,
    stop: usize,
}

/// The next tag at or after `from`, skipping comments.
fn next_tag(html: &str, from: usize) -> Option<Tag<'_>> {
    let mut at = from;
    loop {
        let i = at + html.get(at..)?.find('<')?;
        if html[i..].starts_with("<!--") {
            at = i + html[i..].find("-->").map_or(html.len() - i, |e| e + 3);
            continue;
        }
        let close = i + html[i..].find('>')?;
        let text = &html[i..=close];
        let inner = &text[1..text.len() - 1];
        let end = inner.starts_with('/');
        let name: String = inner
            .trim_start_matches('/')
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric() || *c == '-')
            .collect::<String>()
            .to_ascii_lowercase();
        if name.is_empty() {
            at = i + 1;
            continue;
        }
        return Some(Tag {
            self_closing: inner.ends_with('/') || is_void(&name),
            name,
            end,
            text,
            start: i,
            stop: close + 1,
        });
    }
}

fn is_void(name: &str) -> bool {
    matches!(
        name,
        "br" | "img" | "hr" | "input" | "meta" | "link" | "col" | "source" | "wbr" | "area"
    )
}

/// The end of the element that starts with `open` (just past its end tag),
/// or the end of the string when it is not closed.
fn element_end(html: &str, open: &Tag<'_>) -> usize {
    if open.self_closing {
        return open.stop;
    }
    let mut depth = 1;
    let mut at = open.stop;
    while let Some(t) = next_tag(html, at) {
        at = t.stop;
        if t.name == open.name && !t.self_closing {
            if t.end {
                depth -= 1;
                if depth == 0 {
                    return t.stop;
                }
            } else {
                depth += 1;
            }
        }
    }
    html.len()
}

/// Splits a slide's HTML into what the audience sees and the blocks with
/// an off-slide class ([`OFF_SLIDE_CLASSES`]), in order.
pub fn take_off_slide(html: &str) -> (String, Vec<String>) {
    let mut kept = String::with_capacity(html.len());
    let mut removed = Vec::new();
    let mut at = 0;
    let mut copied = 0;
    while let Some(t) = next_tag(html, at) {
        if !t.end && has_class(t.text, &OFF_SLIDE_CLASSES) {
            let end = element_end(html, &t);
            kept.push_str(&html[copied..t.start]);
            removed.push(html[t.start..end].to_string());
            copied = end;
            at = end;
        } else {
            at = t.stop;
        }
    }
    kept.push_str(&html[copied..]);
    (kept, removed)
}

/// Whether the slide's first heading has an off-slide class: a section
/// written for the reading page only (`## 出典 {.reading-only}`).
pub fn heading_is_off_slide(html: &str) -> bool {
    let mut at = 0;
    while let Some(t) = next_tag(html, at) {
        if !t.end && matches!(t.name.as_str(), "h1" | "h2") {
            return has_class(t.text, &OFF_SLIDE_CLASSES);
        }
        at = t.stop;
    }
    false
}

/// Splits a leading `<h2>…</h2>` off a slide's HTML: the slide's title,
/// shown at one size above the content that is fitted.
pub fn split_title(html: &str) -> (Option<&str>, &str) {
    let trimmed = html.trim_start();
    let lead = html.len() - trimmed.len();
    if let Some(t) = next_tag(html, lead) {
        if t.start == lead && !t.end && t.name == "h2" {
            let end = element_end(html, &t);
            return (Some(&html[lead..end]), &html[end..]);
        }
    }
    (None, html)
}

/// The minutes of a `目安：N分` line in speaker notes (the time the section
/// is planned to take), if there is one.
pub fn planned_minutes(notes: &str) -> Option<u32> {
    let at = notes.find("目安")?;
    let rest = notes[at + "目安".len()..].trim_start_matches([':', '：', ' ', '　', '約']);
    let digits: String = rest
        .chars()
        .take_while(|c| c.is_ascii_digit() || ('０'..='９').contains(c))
        .map(|c| {
            if c.is_ascii_digit() {
                c
            } else {
                char::from_digit(c as u32 - '０' as u32, 10).unwrap_or('0')
            }
        })
        .collect();
    let after = &rest[rest
        .char_indices()
        .nth(digits.chars().count())
        .map_or(rest.len(), |(i, _)| i)..];
    if digits.is_empty() || !after.trim_start().starts_with('分') {
        return None;
    }
    digits.parse().ok().filter(|m| *m > 0)
}

// ---- the height estimate -------------------------------------------------------------

/// Text style: font size and line height in canvas px.
#[derive(Debug, Clone, Copy)]
struct Style {
    px: f64,
    lh: f64,
    /// Inside a table cell: paragraphs and lists without their margins.
    tight: bool,
}

impl Style {
    const fn new(px: f64, lh: f64, tight: bool) -> Style {
        Style { px, lh, tight }
    }
}

const BODY: Style = Style::new(30.0, 1.55, false);
const TABLE: Style = Style::new(28.0, 1.35, true);
const BOXED: Style = Style::new(28.0, 1.5, false);
const SMALL: Style = Style::new(26.0, 1.4, false);

/// Width of `text` in em: wide (Japanese) characters 1 em, others about 0.55.
fn text_em(text: &str) -> f64 {
    text.chars()
        .map(|c| {
            if is_wide(c) {
                1.0
            } else if c.is_whitespace() {
                0.3
            } else {
                0.56
            }
        })
        .sum()
}

/// Lines that `em` ems of text take in `width` px at `style`.
fn lines(em: f64, width: f64, style: Style) -> f64 {
    if em <= 0.0 {
        return 0.0;
    }
    let per_line = (width / style.px).floor().max(1.0);
    if em <= per_line + 1e-9 {
        return 1.0;
    }
    // Japanese line breaking rules push a character to the next line now and then.
    (em * 1.02 / per_line).ceil()
}

/// Estimated height in canvas px of a slide title (`<h2>…</h2>`), rule included.
pub fn title_height(title_html: &str) -> f64 {
    let em = text_em(&decode(&strip_tags(title_html)));
    lines(
        em,
        BOX_W,
        Style {
            px: TITLE_PX,
            lh: TITLE_LH,
            tight: false,
        },
    )
    .max(1.0)
        * TITLE_PX
        * TITLE_LH
        + TITLE_RULE
}

/// The text of an HTML fragment, tags removed (svg contents dropped).
fn strip_tags(html: &str) -> String {
    let mut out = String::new();
    let mut at = 0;
    while let Some(t) = next_tag(html, at) {
        out.push_str(&html[at..t.start]);
        at = if !t.end && t.name == "svg" {
            element_end(html, &t)
        } else {
            t.stop
        };
    }
    out.push_str(&html[at..]);
    out
}

/// Estimated height in canvas px of a slide's content at scale 1, laid out
/// `width` px wide.
pub fn content_height(html: &str, width: f64) -> f64 {
    Layout.blocks(html, width, BODY)
}

#[derive(Default)]
struct Layout;

impl Layout {
    /// Height of a run of HTML laid out as blocks, `width` wide, in `style`.
    fn blocks(&self, html: &str, width: f64, style: Style) -> f64 {
        let mut height = 0.0;
        // Inline text waiting to be laid out as a paragraph.
        let mut run = String::new();
        let flush = |run: &mut String, height: &mut f64| {
            let text = decode(run.trim());
            if !text.is_empty() {
                *height += lines(text_em(&text), width, style) * style.px * style.lh;
            }
            run.clear();
        };
        let mut at = 0;
        while let Some(t) = next_tag(html, at) {
            run.push_str(&html[at..t.start]);
            at = t.stop;
            if t.end {
                if is_block(&t.name) {
                    flush(&mut run, &mut height);
                }
                continue;
            }
            let end = element_end(html, &t);
            let inner = if t.self_closing {
                ""
            } else {
                let close = html[..end].rfind("</").unwrap_or(end).max(t.stop);
                &html[t.stop..close]
            };
            let margin = if style.tight { 0.2 } else { 0.6 };
            match t.name.as_str() {
                "br" => {
                    if run.trim().is_empty() {
                        height += style.px * style.lh;
                    }
                    flush(&mut run, &mut height);
                }
                "svg" => {
                    flush(&mut run, &mut height);
                    height += svg_height(t.text, width);
                    at = end;
                }
                "img" => {
                    flush(&mut run, &mut height);
                    height += img_height(t.text, width);
                }
                "h1" | "h2" | "h3" | "h4" | "h5" | "h6" => {
                    flush(&mut run, &mut height);
                    let px = match t.name.as_str() {
                        "h1" => 60.0,
                        "h2" => TITLE_PX,
                        "h3" => 34.0,
                        _ => 30.0,
                    };
                    let s = Style {
                        px,
                        lh: 1.35,
                        tight: false,
                    };
                    let text = decode(&strip_tags(inner));
                    height += lines(text_em(&text), width, s) * px * s.lh + px * 0.9;
                    at = end;
                }
                "p" | "figcaption" | "caption" | "pre" | "dt" | "dd" | "summary" => {
                    flush(&mut run, &mut height);
                    let s = if matches!(t.name.as_str(), "figcaption" | "caption") {
                        SMALL
                    } else {
                        style
                    };
                    height += self.blocks(inner, width, s) + s.px * margin;
                    at = end;
                }
                "ul" | "ol" => {
                    flush(&mut run, &mut height);
                    let unstyled = find_attr(t.text, "style")
                        .is_some_and(|s| s.replace(' ', "").contains("padding-left:0"));
                    let indent = if unstyled { 0.0 } else { 1.3 * style.px };
                    let mut items = 0;
                    let mut li_at = 0;
                    while let Some(li) = next_tag(inner, li_at) {
                        if !li.end && li.name == "li" {
                            let li_end = element_end(inner, &li);
                            let close = inner[..li_end].rfind("</").unwrap_or(li_end).max(li.stop);
                            height += self.blocks(&inner[li.stop..close], width - indent, style);
                            items += 1;
                            li_at = li_end;
                        } else {
                            li_at = li.stop;
                        }
                    }
                    if items > 1 && !style.tight {
                        height += (items - 1) as f64 * 0.25 * style.px;
                    }
                    if !style.tight {
                        height += style.px * margin;
                    }
                    at = end;
                }
                "table" => {
                    flush(&mut run, &mut height);
                    height += table_height(self, inner, width) + TABLE.px * margin;
                    at = end;
                }
                "aside" | "blockquote" | "details" => {
                    flush(&mut run, &mut height);
                    let s = if t.name == "blockquote" { style } else { BOXED };
                    let pad = 0.9 * s.px * 2.0 + 8.0;
                    height += self.blocks(inner, width - pad, s) + s.px + BOXED.px * margin;
                    at = end;
                }
                "figure" | "div" | "section" | "li" => {
                    flush(&mut run, &mut height);
                    height += self.blocks(inner, width, style);
                    if t.name == "figure" {
                        height += style.px * margin;
                    }
                    at = end;
                }
                "script" | "style" | "template" => at = end,
                _ => {}
            }
        }
        run.push_str(&html[at..]);
        flush(&mut run, &mut height);
        height
    }
}

fn is_block(name: &str) -> bool {
    matches!(
        name,
        "p" | "div"
            | "li"
            | "ul"
            | "ol"
            | "table"
            | "tr"
            | "td"
            | "th"
            | "figure"
            | "figcaption"
            | "aside"
            | "blockquote"
            | "section"
            | "h1"
            | "h2"
            | "h3"
            | "h4"
            | "h5"
            | "h6"
            | "pre"
    )
}

/// The width and height of an SVG's viewBox.
fn view_box(tag: &str) -> Option<(f64, f64)> {
    let vb: Vec<f64> = find_attr(tag, "viewbox")
        .map(|v| {
            v.split([' ', ','])
                .filter_map(|n| n.trim().parse().ok())
                .collect()
        })
        .unwrap_or_default();
    match vb.as_slice() {
        [_, _, vw, vh] if *vw > 0.0 && *vh > 0.0 => Some((*vw, *vh)),
        _ => None,
    }
}

/// Height of an inline SVG `width` wide: on a slide a figure takes the whole
/// width, up to [`FIGURE_MAX_H`] tall (its viewBox's aspect ratio kept).
fn svg_height(tag: &str, width: f64) -> f64 {
    match view_box(tag) {
        Some((vw, vh)) => (width * vh / vw).min(FIGURE_MAX_H),
        None => 150.0,
    }
}

/// Height of an `<img>`: from its width/height attributes, else a guess.
fn img_height(tag: &str, width: f64) -> f64 {
    let num =
        |a: &str| find_attr(tag, a).and_then(|v| v.trim_end_matches("px").parse::<f64>().ok());
    match (num("width"), num("height")) {
        (Some(w), Some(h)) if w > 0.0 => w.min(width) * h / w,
        (None, Some(h)) => h,
        _ => 320.0,
    }
}

/// Height of a table's rows and caption, laid out `width` wide: each
/// column gets the width its longest cell asks for, up to a fair share.
fn table_height(layout: &Layout, inner: &str, width: f64) -> f64 {
    let mut rows: Vec<Vec<&str>> = Vec::new();
    let mut caption = 0.0;
    let mut at = 0;
    while let Some(t) = next_tag(inner, at) {
        at = t.stop;
        if t.end {
            continue;
        }
        match t.name.as_str() {
            "caption" => {
                let end = element_end(inner, &t);
                let close = inner[..end].rfind("</").unwrap_or(end).max(t.stop);
                caption = layout.blocks(&inner[t.stop..close], width, SMALL) + 8.0;
                at = end;
            }
            "tr" => {
                let end = element_end(inner, &t);
                let row = &inner[t.stop..end];
                let mut cells = Vec::new();
                let mut c_at = 0;
                while let Some(c) = next_tag(row, c_at) {
                    if !c.end && matches!(c.name.as_str(), "td" | "th") {
                        let c_end = element_end(row, &c);
                        let close = row[..c_end].rfind("</").unwrap_or(c_end).max(c.stop);
                        cells.push(&row[c.stop..close]);
                        c_at = c_end;
                    } else {
                        c_at = c.stop;
                    }
                }
                rows.push(cells);
                at = end;
            }
            _ => {}
        }
    }
    let cols = rows.iter().map(Vec::len).max().unwrap_or(0);
    if cols == 0 {
        return caption;
    }
    let pad = 0.45 * TABLE.px * 2.0;
    // What each column asks for: its longest line on one line, plus padding.
    let mut want = vec![0.0f64; cols];
    for row in &rows {
        for (i, cell) in row.iter().enumerate() {
            let longest = cell_lines(cell)
                .iter()
                .map(|l| text_em(l).ceil() * TABLE.px)
                .fold(0.0, f64::max);
            want[i] = want[i].max(longest + pad);
        }
    }
    // Widths the author set (`<col style="width: 3em">`, or a percentage) are kept; the
    // other columns share the rest.
    let set = col_widths(inner, width);
    let widths = if set.iter().any(Option::is_some) {
        let fixed: f64 = set.iter().flatten().sum();
        let open: Vec<usize> = (0..cols)
            .filter(|i| set.get(*i).copied().flatten().is_none())
            .collect();
        let shared = share(
            &open.iter().map(|i| want[*i]).collect::<Vec<_>>(),
            (width - fixed).max(TABLE.px * open.len() as f64),
        );
        (0..cols)
            .map(|i| match set.get(i).copied().flatten() {
                Some(w) => w,
                None => open
                    .iter()
                    .position(|o| *o == i)
                    .and_then(|p| shared.get(p).copied())
                    .unwrap_or(TABLE.px),
            })
            .collect()
    } else {
        share(&want, width)
    };
    let mut height = caption;
    for row in &rows {
        let mut tallest = 0.0f64;
        for (i, cell) in row.iter().enumerate() {
            let w = widths.get(i).copied().unwrap_or(width / cols as f64) - pad;
            tallest = tallest.max(layout.blocks(cell, w.max(TABLE.px), TABLE));
        }
        height += tallest + 0.5 * TABLE.px;
    }
    height
}

/// The widths a table's `<col>` elements set in their style (`width: 3em`,
/// `width: 38%`, `width: 120px`), in canvas px, in column order.
fn col_widths(inner: &str, width: f64) -> Vec<Option<f64>> {
    let mut out = Vec::new();
    let mut at = 0;
    while let Some(t) = next_tag(inner, at) {
        at = t.stop;
        if t.end || t.name != "col" {
            continue;
        }
        let w = find_attr(t.text, "style").and_then(|st| {
            let st = st.replace(' ', "");
            let v = &st[st.find("width:")? + "width:".len()..];
            let num: String = v
                .chars()
                .take_while(|c| c.is_ascii_digit() || *c == '.')
                .collect();
            let n: f64 = num.parse().ok()?;
            let unit = &v[num.len()..];
            if unit.starts_with("em") {
                Some(n * TABLE.px)
            } else if unit.starts_with('%') {
                Some(n * width / 100.0)
            } else if unit.starts_with("px") {
                Some(n)
            } else {
                None
            }
        });
        let span = find_attr(t.text, "span")
            .and_then(|v| v.parse::<usize>().ok())
            .unwrap_or(1)
            .clamp(1, 100);
        out.extend(std::iter::repeat_n(w, span));
    }
    out
}

/// The lines a cell's text is written in (each block or `<br>` starts one).
fn cell_lines(cell: &str) -> Vec<String> {
    let mut out = vec![String::new()];
    let mut at = 0;
    while let Some(t) = next_tag(cell, at) {
        if let Some(last) = out.last_mut() {
            last.push_str(&cell[at..t.start]);
        }
        at = t.stop;
        if t.name == "br" || is_block(&t.name) {
            out.push(String::new());
        }
    }
    if let Some(last) = out.last_mut() {
        last.push_str(&cell[at..]);
    }
    out.into_iter()
        .map(|l| decode(l.trim()))
        .filter(|l| !l.is_empty())
        .collect()
}

/// Column widths: a column that asks for less than its fair share gets what
/// it asks; the others share the rest in proportion to what they ask.
fn share(want: &[f64], width: f64) -> Vec<f64> {
    let total: f64 = want.iter().sum();
    if total <= width {
        let extra = (width - total) / want.len() as f64;
        return want.iter().map(|w| w + extra).collect();
    }
    let mut fixed = vec![false; want.len()];
    loop {
        let free: f64 = want
            .iter()
            .zip(&fixed)
            .filter(|(_, f)| **f)
            .map(|(w, _)| *w)
            .sum();
        let open: Vec<usize> = (0..want.len()).filter(|i| !fixed[*i]).collect();
        if open.is_empty() {
            break;
        }
        let fair = (width - free) / open.len() as f64;
        let mut changed = false;
        for &i in &open {
            if want[i] <= fair {
                fixed[i] = true;
                changed = true;
            }
        }
        if !changed {
            let open_total: f64 = open.iter().map(|i| want[*i]).sum();
            return (0..want.len())
                .map(|i| {
                    if fixed[i] {
                        want[i]
                    } else {
                        (width - free) * want[i] / open_total
                    }
                })
                .collect();
        }
    }
    want.to_vec()
}

// ---- the readable floor and splitting --------------------------------------------------

/// Room left between the estimate and the floor when the build decides that
/// content fits: the estimate errs towards "fits" by a few percent.
const MARGIN: f64 = 0.03;

/// The smallest scale a slide's content may be shown at so that all of its
/// text stays at or above [`MIN_PX`], and a figure whose labels are under it
/// even at full size: `(its smallest label in canvas px at best, the
/// font-size its viewBox would need)`.
#[derive(Debug, Clone, PartialEq)]
pub struct Floor {
    pub scale: f64,
    pub small_figure: Option<(f64, f64)>,
}

/// The smallest `font-size` in an SVG element's markup (attributes and
/// `style`), in user units; 16 when none is given.
fn svg_min_font(svg: &str) -> f64 {
    let mut min = f64::INFINITY;
    for needle in ["font-size=\"", "font-size:"] {
        let mut rest = svg;
        while let Some(at) = rest.find(needle) {
            let v = rest[at + needle.len()..].trim_start();
            let num: String = v
                .chars()
                .take_while(|c| c.is_ascii_digit() || *c == '.')
                .collect();
            if let Ok(n) = num.parse::<f64>() {
                if n > 0.0 {
                    min = min.min(n);
                }
            }
            rest = &rest[at + needle.len()..];
        }
    }
    if min.is_finite() {
        min
    } else {
        16.0
    }
}

/// The readable floor of a slide's content (see [`Floor`]).
pub fn floor_scale(content: &str) -> Floor {
    let mut smallest = BODY.px;
    let mut scale = FLOOR;
    let mut small_figure = None;
    let mut at = 0;
    while let Some(t) = next_tag(content, at) {
        at = t.stop;
        if t.end {
            continue;
        }
        match t.name.as_str() {
            "table" => smallest = smallest.min(TABLE.px),
            "aside" | "details" => smallest = smallest.min(BOXED.px),
            "figcaption" | "caption" => smallest = smallest.min(SMALL.px),
            "svg" => {
                let end = element_end(content, &t);
                if let Some((vw, vh)) = view_box(t.text) {
                    let fs = svg_min_font(&content[t.start..end]);
                    // At scale s the figure is min(BOX_W, FIGURE_MAX_H · vw / vh · s) wide.
                    let best = fs * (BOX_W / vw).min(FIGURE_MAX_H / vh);
                    if best < MIN_PX - 0.05 {
                        small_figure = Some((best, MIN_PX * fs / best));
                        scale = 1.0;
                    } else {
                        scale = scale.max(MIN_PX * vh / (fs * FIGURE_MAX_H));
                    }
                }
                at = end;
            }
            _ => {}
        }
    }
    Floor {
        scale: scale.max(MIN_PX / smallest).min(1.0),
        small_figure,
    }
}

/// Whether content fits below `title` at or above its readable floor, by the
/// estimate (with [`MARGIN`] to spare).
pub fn fits(title: Option<&str>, content: &str) -> bool {
    let floor = floor_scale(content).scale;
    needed_scale(title, content) >= (floor + MARGIN).min(1.0) - 1e-9
}

/// The top-level blocks of some HTML (elements, and loose text).
fn top_blocks(html: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut at = 0;
    while let Some(t) = next_tag(html, at) {
        let loose = html[at..t.start].trim();
        if !loose.is_empty() {
            out.push(loose);
        }
        let end = if t.end { t.stop } else { element_end(html, &t) };
        out.push(&html[t.start..end]);
        at = end;
    }
    let loose = html[at..].trim();
    if !loose.is_empty() {
        out.push(loose);
    }
    out
}

/// A block that can be shown in parts: `prefix + items[a..b] + suffix`.
struct Pieces {
    prefix: String,
    items: Vec<String>,
    suffix: String,
    /// An ordered list: parts after the first continue its numbering.
    ordered: bool,
}

impl Pieces {
    fn join(&self, from: usize, to: usize) -> String {
        let mut prefix = self.prefix.clone();
        if self.ordered && from > 0 {
            if let Some(gt) = prefix.find('>') {
                prefix.insert_str(gt, &format!(" start=\"{}\"", from + 1));
            }
        }
        format!("{prefix}{}{}", self.items[from..to].concat(), self.suffix)
    }
}

/// The elements named `name` directly inside `html[from..to]`.
fn children(html: &str, from: usize, to: usize, name: &str) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    let mut at = from;
    while let Some(t) = next_tag(html, at) {
        if t.start >= to {
            break;
        }
        if t.end {
            at = t.stop;
            continue;
        }
        let end = element_end(html, &t);
        if t.name == name {
            out.push((t.start, end));
        }
        at = end;
    }
    out
}

/// How a block too tall for a slide of its own can be split: a table by its
/// body rows (the head and caption repeated), a list by its items, a figure
/// apart from its caption.
fn pieces(block: &str) -> Option<Pieces> {
    let first = next_tag(block, 0)?;
    let mut at = 0;
    let mut table = None;
    while let Some(t) = next_tag(block, at) {
        if !t.end && t.name == "table" {
            table = Some(t);
            break;
        }
        at = t.stop;
    }
    if let Some(t) = table {
        let end = element_end(block, &t);
        // The rows to share out: those of the tbody, else all but the first.
        let bodies = children(block, t.stop, end, "tbody");
        let (inner_from, inner_to, skip_first) = match bodies.first() {
            Some(&(b, e)) => {
                let open = next_tag(block, b)?;
                let close = block[..e].rfind("</")?;
                (open.stop, close, false)
            }
            None => (t.stop, block[..end].rfind("</")?, true),
        };
        let mut rows = children(block, inner_from, inner_to, "tr");
        let split_at = if skip_first && !rows.is_empty() {
            rows.remove(0).1
        } else {
            inner_from
        };
        if rows.len() < 2 {
            return None;
        }
        let prefix_end = rows[0].0.max(split_at);
        let suffix_from = rows[rows.len() - 1].1;
        return Some(Pieces {
            prefix: block[..prefix_end].to_string(),
            items: rows.iter().map(|&(a, b)| block[a..b].to_string()).collect(),
            suffix: block[suffix_from..].to_string(),
            ordered: false,
        });
    }
    match first.name.as_str() {
        "ul" | "ol" => {
            let end = element_end(block, &first);
            let close = block[..end].rfind("</")?;
            let items = children(block, first.stop, close, "li");
            if items.len() < 2 {
                return None;
            }
            Some(Pieces {
                prefix: block[..items[0].0].to_string(),
                items: items
                    .iter()
                    .map(|&(a, b)| block[a..b].to_string())
                    .collect(),
                suffix: block[items[items.len() - 1].1..].to_string(),
                ordered: first.name == "ol",
            })
        }
        "figure" => {
            let end = element_end(block, &first);
            let caps = children(block, first.stop, end, "figcaption");
            let &(a, b) = caps.first()?;
            let cap = next_tag(block, a)?;
            let close = block[..b].rfind("</")?;
            let figure = format!("{}{}", &block[..a], &block[b..]);
            let legend = format!("<p class=\"figure-legend\">{}</p>", &block[cap.stop..close]);
            Some(Pieces {
                prefix: String::new(),
                items: vec![figure, legend],
                suffix: String::new(),
                ordered: false,
            })
        }
        _ => None,
    }
}

/// Splits content that does not fit one slide at its readable floor into
/// parts that do, by the estimate: whole blocks where it can, then a table by
/// rows, a list by items, a figure apart from its caption (its legend on the
/// next slide). The first part is shown below `first_title`, the others below
/// `cont_title` (the section's title with （続き）). A block that cannot be
/// split and does not fit alone is a part of its own (overfull).
pub fn split(first_title: Option<&str>, cont_title: &str, content: &str) -> Vec<String> {
    let mut parts: Vec<String> = Vec::new();
    let mut cur = String::new();
    let title = |parts: &Vec<String>| {
        if parts.is_empty() {
            first_title
        } else {
            Some(cont_title)
        }
    };
    for block in top_blocks(content) {
        let cand = format!("{cur}{block}\n");
        if fits(title(&parts), &cand) {
            cur = cand;
            continue;
        }
        if !cur.trim().is_empty() && fits(Some(cont_title), block) {
            parts.push(std::mem::take(&mut cur));
            cur = format!("{block}\n");
            continue;
        }
        let Some(p) = pieces(block) else {
            if !cur.trim().is_empty() {
                parts.push(std::mem::take(&mut cur));
            }
            cur = format!("{block}\n");
            continue;
        };
        let n = p.items.len();
        let mut from = 0;
        while from < n {
            let mut to = from + 1;
            while to < n && fits(title(&parts), &format!("{cur}{}", p.join(from, to + 1))) {
                to += 1;
            }
            if !cur.trim().is_empty() && !fits(title(&parts), &format!("{cur}{}", p.join(from, to)))
            {
                parts.push(std::mem::take(&mut cur));
                continue;
            }
            cur.push_str(&p.join(from, to));
            cur.push('\n');
            from = to;
            if from < n {
                parts.push(std::mem::take(&mut cur));
            }
        }
    }
    if !cur.trim().is_empty() || parts.is_empty() {
        parts.push(cur);
    }
    parts
}

/// The height a slide's content may take on the canvas below its title.
pub fn available_height(title_html: Option<&str>) -> f64 {
    let top = match title_html {
        Some(t) => TOP + title_height(t) + TITLE_GAP,
        None => TOP,
    };
    CANVAS_H - top - BOTTOM
}

/// The scale a slide's content needs to fit (1 when it fits as it is).
pub fn needed_scale(title_html: Option<&str>, content_html: &str) -> f64 {
    let avail = available_height(title_html);
    // Content laid out at scale s is BOX_W / s wide, then scaled by s.
    let mut s = 1.0;
    while s >= 0.3 {
        if content_height(content_html, BOX_W / s) * s <= avail {
            return s;
        }
        s -= 0.05;
    }
    0.3
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn off_slide_blocks_are_taken_out_with_their_contents() {
        let html = "<h2>題</h2>\n<p class=\"figure-omitted\" style=\"x\">図は省略</p>\n<p>本文</p>\n<div class=\"note reading-only\"><div><p>中</p></div><p>まだ中</p></div>\n<p>後</p>";
        let (kept, removed) = take_off_slide(html);
        assert_eq!(kept, "<h2>題</h2>\n\n<p>本文</p>\n\n<p>後</p>");
        assert_eq!(removed.len(), 2);
        assert!(removed[0].contains("図は省略"));
        assert!(removed[1].ends_with("まだ中</p></div>"));
        assert!(heading_is_off_slide(
            "<h2 id=\"a\" class=\"reading-only\">出典</h2>"
        ));
        assert!(!heading_is_off_slide(
            "<h2 id=\"a\">出典</h2><p class=\"reading-only\">x</p>"
        ));
    }

    #[test]
    fn the_title_is_split_off() {
        let (t, rest) = split_title("\n<h2 id=\"x\">題 <a href=\"#\">語</a></h2>\n<p>本文</p>");
        assert_eq!(t, Some("<h2 id=\"x\">題 <a href=\"#\">語</a></h2>"));
        assert_eq!(rest, "\n<p>本文</p>");
        assert_eq!(split_title("<p>x</p><h2>y</h2>").0, None);
    }

    #[test]
    fn minutes_from_notes() {
        assert_eq!(planned_minutes("<p>目安：10分</p>"), Some(10));
        assert_eq!(planned_minutes("<p>目安: ３分</p>"), Some(3));
        assert_eq!(planned_minutes("<p>目安：約5分</p>"), Some(5));
        assert_eq!(planned_minutes("<p>目安：たくさん</p>"), None);
        assert_eq!(planned_minutes("<p>10分</p>"), None);
    }

    #[test]
    fn short_slides_fit_and_long_ones_do_not() {
        let short = "<p>一行の本文です。</p><ul><li>項目</li><li>項目</li></ul>";
        assert_eq!(needed_scale(Some("<h2>題</h2>"), short), 1.0);
        let line = format!("<li>{}</li>", "連携".repeat(20));
        let long = format!("<ul>{}</ul>", line.repeat(14));
        assert!(needed_scale(Some("<h2>題</h2>"), &long) < FLOOR);
        // On a slide a figure of 640 × 250 takes the content's width: 1136 × 443.75.
        let svg = "<svg viewBox=\"0 0 640 250\" style=\"max-width:640px\"><text>x</text></svg>";
        assert!((content_height(svg, BOX_W) - 443.75).abs() < 0.1);
        // ... and at most FIGURE_MAX_H tall.
        let tall = "<svg viewBox=\"0 0 100 100\"></svg>";
        assert!((content_height(tall, BOX_W) - FIGURE_MAX_H).abs() < 0.1);
    }

    #[test]
    fn the_floor_keeps_every_text_at_24_px() {
        let f = |html: &str| floor_scale(html).scale;
        assert!((f("<p>本文</p>") - FLOOR).abs() < 1e-9);
        // Tables are 28 px: they stop at 24 / 28.
        assert!((f("<table><tr><td>a</td></tr></table>") - 24.0 / 28.0).abs() < 1e-9);
        assert!((f("<figure><figcaption>図</figcaption></figure>") - 24.0 / 26.0).abs() < 1e-9);
        // A figure of 640 units with 15-unit labels is 26.6 px at full width; at scale s it is
        // 470 · s tall at most: labels stay at 24 px down to 24 · 240 / (15 · 470).
        let fig = "<svg viewBox=\"0 0 640 240\"><text font-size=\"15\">a</text><text style=\"font-size: 22px\">b</text></svg>";
        let floor = floor_scale(fig);
        assert!(floor.small_figure.is_none());
        assert!((floor.scale - 24.0 * 240.0 / (15.0 * 470.0)).abs() < 1e-9);
        // 12-unit labels cannot reach 24 px: the build says which size they need.
        let small = "<svg viewBox=\"0 0 640 240\"><text font-size=\"12\">a</text></svg>";
        let floor = floor_scale(small);
        let (px, want) = floor.small_figure.expect("a figure under the floor");
        assert!((px - 12.0 * 1136.0 / 640.0).abs() < 0.01, "{px}");
        assert!((want - 13.52).abs() < 0.01, "{want}");
    }

    #[test]
    fn content_too_long_is_split_into_slides_that_fit() {
        let title = Some("<h2>題</h2>");
        let cont = "<h2>題（続き）</h2>";
        // Paragraphs: whole blocks per slide.
        let p = format!("<p>{}</p>\n", "連携".repeat(30));
        let parts = split(title, cont, &p.repeat(8));
        assert!(parts.len() >= 2, "{}", parts.len());
        assert_eq!(parts.concat().matches("<p>").count(), 8);
        for (i, part) in parts.iter().enumerate() {
            assert!(
                fits(if i == 0 { title } else { Some(cont) }, part),
                "part {i}"
            );
        }
        // A table: by body rows, the head (and caption) on every part.
        let row = format!(
            "<tr><td>{}</td><td>{}</td></tr>",
            "会議".repeat(30),
            "支援".repeat(30)
        );
        let table = format!(
            "<div class=\"table-wrap\"><table><caption>表</caption><thead><tr><th>項目</th><th>備考</th></tr></thead><tbody>{}</tbody></table></div>",
            row.repeat(6)
        );
        let parts = split(title, cont, &table);
        assert!(parts.len() >= 2, "{}", parts.len());
        for part in &parts {
            assert!(
                part.starts_with("<div class=\"table-wrap\"><table><caption>表</caption><thead>")
            );
            assert!(part.trim_end().ends_with("</tbody></table></div>"));
        }
        assert_eq!(parts.concat().matches("<td>").count(), 12);
        // An ordered list continues its numbering.
        let li = format!("<li>{}</li>", "連携".repeat(25));
        let parts = split(title, cont, &format!("<ol>{}</ol>", li.repeat(12)));
        assert!(parts.len() >= 2);
        assert!(parts[1].starts_with("<ol start=\""), "{}", &parts[1][..20]);
        // A figure too tall for its caption: the caption follows on the next slide.
        let fig = format!(
            "<figure class=\"authors-figure\"><svg viewBox=\"0 0 640 300\"><text font-size=\"16\">a</text></svg><figcaption>{}</figcaption></figure>",
            "図の説明".repeat(20)
        );
        let parts = split(title, cont, &fig);
        assert_eq!(parts.len(), 2, "{parts:?}");
        assert!(parts[0].contains("<svg") && !parts[0].contains("figcaption"));
        assert!(parts[1].contains("<p class=\"figure-legend\">図の説明"));
    }

    #[test]
    fn table_columns_share_the_width() {
        let w = share(&[100.0, 900.0, 900.0], 1000.0);
        assert!((w[0] - 100.0).abs() < 0.1 && (w[1] - 450.0).abs() < 0.1);
        let w = share(&[100.0, 200.0], 1000.0);
        assert!((w[0] - 450.0).abs() < 0.1);
    }
}
