//! Chinese, Japanese and Korean text in CommonMark: emphasis and
//! strikethrough next to 「」 and other CJK characters as the
//! markdown-cjk-friendly proposal reads them (a second parse with
//! stand-ins), soft line breaks between two wide characters joined without
//! a space (Korean keeps its spaces).

use std::ops::Range;

use pulldown_cmark::{CowStr, Event, Parser, Tag, TagEnd};

use super::options;
/// Stands in, during a second parse, for a CJK character next to a `*`/`_`
/// run: a punctuation character (U+2E3A TWO-EM DASH) of the same UTF-8
/// length, so byte offsets stay valid.
pub(super) const CJK_STAND_IN: char = '\u{2E3A}';

/// The stand-ins by (UTF-8 length, read as punctuation): [`CJK_STAND_IN`],
/// U+10100 AEGEAN WORD SEPARATOR LINE for four-byte characters (`𩸽`,
/// `🈂`, an ideographic variation selector), and two rare letters, U+A4D0
/// LISU LETTER BA and U+1E800 MENDE KIKAKUI SYLLABLE M001 KI, for CJK
/// punctuation that is to be read as a letter.
const STAND_INS: [((usize, bool), char); 4] = [
    ((3, true), CJK_STAND_IN),
    ((4, true), '\u{10100}'),
    ((3, false), '\u{A4D0}'),
    ((4, false), '\u{1E800}'),
];

fn is_stand_in(c: char) -> bool {
    STAND_INS.iter().any(|(_, s)| *s == c)
}

/// Whether `body` holds a stand-in: only the characters whose first byte
/// is a stand-in's (E2, EA or F0, never a continuation byte) are read.
fn has_stand_in(body: &str) -> bool {
    memchr::memchr3_iter(0xE2, 0xEA, 0xF0, body.as_bytes()).any(|i| {
        body.get(i..)
            .and_then(|r| r.chars().next())
            .is_some_and(is_stand_in)
    })
}

fn stand_in(len: usize, punct: bool) -> Option<char> {
    STAND_INS
        .iter()
        .find(|(k, _)| *k == (len, punct))
        .map(|(_, c)| *c)
}

/// Punctuation as CommonMark's flanking rules see it (ASCII punctuation,
/// and the Unicode punctuation blocks Japanese text uses).
pub(super) fn is_punct(c: char) -> bool {
    c.is_ascii_punctuation()
        || matches!(c as u32,
            0x2010..=0x205E
            | 0x3001..=0x3003
            | 0x3008..=0x3011
            | 0x3014..=0x301F
            | 0x30FB
            | 0xFF01..=0xFF0F
            | 0xFF1A..=0xFF20
            | 0xFF3B..=0xFF40
            | 0xFF5B..=0xFF65)
}

/// CJK-friendly emphasis (the rule of pulldown-cmark's unreleased
/// `ENABLE_CJK_FRIENDLY_EMPHASIS`, commonmark-spec#650): CommonMark does
/// not let `**` open or close between punctuation and a letter, so
/// `**「重要」**です`, `` **`code`**です`` and `**[a](b)**です` stay literal
/// and `**「A」**と**「B」**` pairs the wrong stars. For each `*`, `_` or
/// `~` run with a CJK character (or a variation selector) beside it,
/// [`cjk_swaps`] works out whether the proposal lets it open and close,
/// and which CJK neighbour pulldown-cmark must read as punctuation or as a
/// letter to agree; a copy is parsed with those characters replaced by
/// stand-ins of the same UTF-8 length ([`CJK_STAND_IN`] and its kin), and
/// the text is then restored. Only plain text may change, never code, HTML or link
/// destinations: the swapped copy's parse shows where each character is
/// (a stand-in changes emphasis only, not what is code or a link), and
/// when one is not in text the body is parsed as written to find the
/// characters that are. Returns None when nothing needs it (a body
/// without such runs: one parse, as written).
pub(super) fn cjk_emphasis_events(body: &str) -> Option<Vec<(Event<'_>, Range<usize>)>> {
    if has_stand_in(body) {
        return None;
    }
    let candidates = cjk_swaps(body, |_| true);
    if candidates.is_empty() {
        return None;
    }
    let events = parse_swapped(body, &candidates);
    let all_in_text = {
        let in_text = text_ranges(&events);
        candidates.iter().all(|&(at, _, _)| in_text(at))
    };
    if all_in_text {
        return Some(events);
    }
    let raw = parse_as_written(body);
    let swaps = cjk_swaps(body, text_ranges(&raw));
    if swaps.is_empty() {
        return Some(raw);
    }
    Some(parse_swapped(body, &swaps))
}

/// The room a body's events take, at most: a few per line. (Reserved, not
/// touched: a large page's events then fill one allocation instead of
/// being copied each time the vector doubles.)
pub(super) fn events_capacity(body: &str) -> usize {
    16 + 4 * body.bytes().filter(|&b| b == b'\n').count()
}

/// The events of `body` parsed as written.
pub(super) fn parse_as_written(body: &str) -> Vec<(Event<'_>, Range<usize>)> {
    let mut events = Vec::with_capacity(events_capacity(body));
    events.extend(Parser::new_ext(body, options()).into_offset_iter());
    events
}

/// Whether a byte offset lies in a text event of `events` (ranges in
/// source order: a binary search).
pub(super) fn text_ranges<'e>(
    events: &'e [(Event<'_>, Range<usize>)],
) -> impl Fn(usize) -> bool + 'e {
    let texts: Vec<&Range<usize>> = events
        .iter()
        .filter(|(e, _)| matches!(e, Event::Text(_)))
        .map(|(_, r)| r)
        .collect();
    move |at| {
        let i = texts.partition_point(|r| r.end <= at);
        texts.get(i).is_some_and(|r| r.start <= at)
    }
}

/// How pulldown-cmark reads a character next to a delimiter run.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Class {
    Space,
    Punct,
    Letter,
}

/// What the markdown-cjk-friendly proposal (commonmark-spec#650) reads a
/// character next to a delimiter run as.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Space,
    /// Punctuation that is not CJK (a punctuation sequence: with a
    /// variation selector after it, too).
    Punct,
    CjkPunct,
    /// A CJK character that is not punctuation (a CJK sequence, an
    /// ideographic variation selector).
    Cjk,
    Letter,
}

/// One side of a delimiter run.
#[derive(Debug, Clone, Copy)]
struct Side {
    kind: Kind,
    /// How pulldown-cmark reads it as written.
    class: Class,
    /// The character that may be swapped for a stand-in: (offset, char).
    swap: Option<(usize, char)>,
    /// A variation selector decides (the run is the proposal's business
    /// even when no side is CJK).
    selector: bool,
}

/// CJK characters as the proposal defines them (East Asian Width W, F or
/// H and not an emoji, or Hangul), by ranges.
pub(super) fn is_cjk(c: char) -> bool {
    let cp = c as u32;
    (is_wide(c) && !(0x2460..=0x24FF).contains(&cp))
        || matches!(cp,
            0x1100..=0x11FF
            | 0x3130..=0x318F
            | 0xA960..=0xA97F
            | 0xAC00..=0xD7FF
            | 0xFF61..=0xFFDC
            | 0xFFE8..=0xFFEE
            | 0x1B000..=0x1B2FF)
        || (matches!(cp, 0x1F200..=0x1F2FF)
            && !matches!(cp,
                0x1F201 | 0x1F21A | 0x1F22F | 0x1F232..=0x1F236 | 0x1F238..=0x1F23A | 0x1F250..=0x1F251))
}

/// Unicode punctuation and symbols (CommonMark's "Unicode punctuation
/// character", which pulldown-cmark follows), for the characters that
/// matter here: ASCII, [`is_punct`]'s blocks, CJK symbols, and outside
/// them anything that is neither a letter, a digit nor a mark.
fn is_cm_punct(c: char) -> bool {
    let cp = c as u32;
    if c.is_ascii() {
        return c.is_ascii_punctuation();
    }
    if is_punct(c)
        || matches!(cp,
            0x2E80..=0x2FFF
            | 0x3004
            | 0x3012..=0x3013
            | 0x3020
            | 0x3030
            | 0x3036..=0x3037
            | 0x303D..=0x303F
            | 0x30A0
            | 0x3190..=0x3191
            | 0x3196..=0x319F
            | 0x31C0..=0x31EF
            | 0x3200..=0x321E
            | 0x322A..=0x3247
            | 0x3250
            | 0x3260..=0x327F
            | 0x328A..=0x32B0
            | 0x32C0..=0x33FF
            | 0xFE10..=0xFE19
            | 0xFE30..=0xFE6B
            | 0xFFE0..=0xFFEE
            | 0x1F200..=0x1F2FF)
    {
        return true;
    }
    if is_cjk(c) || is_selector(c) || c.is_alphanumeric() || c.is_whitespace() {
        return false;
    }
    // Combining marks are neither.
    !matches!(cp, 0x0300..=0x036F | 0x1AB0..=0x1AFF | 0x1DC0..=0x1DFF | 0x20D0..=0x20FF | 0xFE20..=0xFE2F)
}

/// A variation selector: U+FE00–U+FE0E (not the emoji one, U+FE0F) or an
/// ideographic one (U+E0100–U+E01EF).
fn is_selector(c: char) -> bool {
    matches!(c as u32, 0xFE00..=0xFE0E | 0xE0100..=0xE01EF)
}

fn class_of(c: char) -> Class {
    if c.is_whitespace() {
        Class::Space
    } else if is_cm_punct(c) {
        Class::Punct
    } else {
        Class::Letter
    }
}

/// A side's character: (kind, class); a stand-in can take the place of
/// CJK characters only.
fn side(c: Option<char>, at: usize) -> Side {
    let Some(c) = c else {
        return Side {
            kind: Kind::Space,
            class: Class::Space,
            swap: None,
            selector: false,
        };
    };
    let class = class_of(c);
    let kind = match class {
        Class::Space => Kind::Space,
        Class::Punct if is_cjk(c) => Kind::CjkPunct,
        Class::Punct => Kind::Punct,
        Class::Letter if is_cjk(c) => Kind::Cjk,
        Class::Letter => Kind::Letter,
    };
    let cjk = matches!(kind, Kind::Cjk | Kind::CjkPunct);
    Side {
        kind,
        class,
        swap: (cjk && c.len_utf8() >= 3).then_some((at, c)),
        selector: false,
    }
}

/// The side before a run that starts at `start`: a variation selector is
/// read as the character it follows (the proposal's "sequences"), an
/// ideographic one as CJK.
fn side_before(body: &str, start: usize) -> Side {
    let mut chars = body[..start].chars();
    let c = chars.next_back();
    match c {
        Some(vs) if is_selector(vs) => {
            let at = start - vs.len_utf8();
            let base = chars.next_back();
            // Quotation marks in their full-width form (`“︁`, U+FE01) are
            // CJK punctuation.
            let full_width_quote = vs == '\u{FE01}'
                && matches!(
                    base,
                    Some('\u{2018}' | '\u{2019}' | '\u{201C}' | '\u{201D}')
                );
            let kind = if (vs as u32) >= 0xE0100 {
                Kind::Cjk
            } else if full_width_quote {
                Kind::CjkPunct
            } else {
                match side(base, 0).kind {
                    Kind::Space => Kind::Letter,
                    k => k,
                }
            };
            Side {
                kind,
                class: Class::Letter,
                swap: Some((at, vs)),
                selector: true,
            }
        }
        c => side(c, start - c.map_or(0, char::len_utf8)),
    }
}

/// Whether a run of `n` × `d` can (open, close), as pulldown-cmark reads
/// it with `b` before and `a` after.
fn pulldown_reads(d: u8, n: usize, b: Class, a: Class) -> (bool, bool) {
    use Class::*;
    let open = a != Space
        && match d {
            b'*' => a == Letter || b != Letter,
            b'~' if n > 1 => true,
            _ => b != Letter,
        };
    let close = b != Space
        && match d {
            b'*' => b == Letter || a != Letter,
            b'~' if n > 1 => b == Letter || a != Letter,
            _ => a != Letter,
        };
    (open, close)
}

/// Whether a run of `n` × `d` can (open, close) by the proposal.
fn proposal_reads(d: u8, n: usize, b: Kind, a: Kind) -> (bool, bool) {
    use Kind::*;
    let left = a != Space && (a != Punct || b != Letter);
    let right = b != Space && (b != Punct || a != Letter);
    let punct = |k: Kind| matches!(k, Punct | CjkPunct);
    match d {
        b'*' => (left, right),
        // `~~` opens as pulldown-cmark lets it (inside words too).
        b'~' if n > 1 => (a != Space, right),
        // kenshu also lets `_` open or close between a CJK letter and
        // punctuation (`これは__「重要」__です`), as it did before it
        // followed the proposal, which reads such a `_` as inside a word.
        _ => {
            let b_punct = punct(b) || (b == Cjk && punct(a));
            let a_punct = punct(a) || (a == Cjk && punct(b));
            (left && (!right || b_punct), right && (!left || a_punct))
        }
    }
}

/// The characters next to `*`, `_` and `~` runs to read otherwise for the
/// runs to open and close as the CJK-friendly proposal says, each with the
/// stand-in to parse in its place: (offset, character, stand-in), where
/// `keep` says yes; sorted, one per offset. Runs with no CJK character
/// (nor a variation selector) beside them are left to CommonMark.
pub(super) fn cjk_swaps(body: &str, keep: impl Fn(usize) -> bool) -> Vec<(usize, char, char)> {
    let mut swaps: Vec<(usize, char, char)> = Vec::new();
    let bytes = body.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        // The next `*`, `_` or `~` (SIMD: most text has none).
        let Some(next) = memchr::memchr3(b'*', b'_', b'~', &bytes[i..]) else {
            break;
        };
        i += next;
        let d = bytes[i];
        let start = i;
        while i < bytes.len() && bytes[i] == d {
            i += 1;
        }
        let b = side_before(body, start);
        let a = side(body[i..].chars().next(), i);
        let cjk = |s: &Side| matches!(s.kind, Kind::Cjk | Kind::CjkPunct) || s.selector;
        if !cjk(&b) && !cjk(&a) {
            continue;
        }
        let n = i - start;
        let want = proposal_reads(d, n, b.kind, a.kind);
        let options = |s: &Side| match s.swap {
            Some(_) => [s.class, flip(s.class)],
            None => [s.class, s.class],
        };
        let found = options(&a)
            .into_iter()
            .flat_map(|ca| options(&b).into_iter().map(move |cb| (cb, ca)))
            .find(|&(cb, ca)| pulldown_reads(d, n, cb, ca) == want);
        let Some((cb, ca)) = found else {
            continue;
        };
        for (s, class) in [(b, cb), (a, ca)] {
            if let Some((at, c)) = s.swap.filter(|_| class != s.class) {
                let sub = stand_in(c.len_utf8(), class == Class::Punct);
                if let Some(sub) = sub.filter(|_| keep(at)) {
                    swaps.push((at, c, sub));
                }
            }
        }
    }
    swaps.sort_unstable_by_key(|&(at, _, _)| at);
    swaps.dedup_by_key(|&mut (at, _, _)| at);
    swaps
}

fn flip(c: Class) -> Class {
    match c {
        Class::Punct => Class::Letter,
        Class::Letter => Class::Punct,
        Class::Space => Class::Space,
    }
}

/// Parses `body` with the characters of `swaps` replaced by their
/// stand-ins, and restores them in the text. The events borrow
/// `body`, as a parse of it would: the copy has the same bytes at the same
/// offsets except for the stand-ins, so a string of the copy without one is
/// the same slice of `body` (only text with a stand-in is copied).
pub(super) fn parse_swapped<'a>(
    body: &'a str,
    swaps: &[(usize, char, char)],
) -> Vec<(Event<'a>, Range<usize>)> {
    let mut copy = String::with_capacity(body.len());
    let mut at = 0;
    for &(offset, c, sub) in swaps {
        copy.push_str(&body[at..offset]);
        copy.push(sub);
        at = offset + c.len_utf8();
    }
    copy.push_str(&body[at..]);
    let original = |offset: usize| {
        swaps
            .binary_search_by_key(&offset, |(o, _, _)| *o)
            .ok()
            .map(|k| swaps[k].1)
    };
    let copy = copy.as_str();
    let rebase = |s: CowStr<'_>| moved_to(s, copy, body);
    let mut events = Vec::with_capacity(events_capacity(body));
    events.extend(
        Parser::new_ext(copy, options())
            .into_offset_iter()
            .map(|(ev, range)| {
                let ev = match ev {
                    Event::Text(t) if t.chars().any(is_stand_in) => {
                        let sliced = copy.get(range.clone()) == Some(t.as_ref());
                        let mut in_range = swaps
                            .iter()
                            .filter(|(o, _, _)| range.contains(o))
                            .map(|(_, c, _)| *c);
                        let restored: String = t
                            .char_indices()
                            .map(|(k, c)| match c {
                                c if is_stand_in(c) && sliced => {
                                    original(range.start + k).unwrap_or(c)
                                }
                                c if is_stand_in(c) => in_range.next().unwrap_or(c),
                                c => c,
                            })
                            .collect();
                        Event::Text(CowStr::from(restored))
                    }
                    other => move_event(other, &rebase),
                };
                (ev, range)
            }),
    );
    events
}

/// An event of a copy's parse with its strings moved onto the body by
/// `mv` (see [`moved_to`]).
pub(super) fn move_event<'a>(ev: Event<'_>, mv: &dyn Fn(CowStr<'_>) -> CowStr<'a>) -> Event<'a> {
    match ev {
        Event::Text(t) => Event::Text(mv(t)),
        Event::Code(t) => Event::Code(mv(t)),
        Event::Html(t) => Event::Html(mv(t)),
        Event::InlineHtml(t) => Event::InlineHtml(mv(t)),
        Event::InlineMath(t) => Event::InlineMath(mv(t)),
        Event::DisplayMath(t) => Event::DisplayMath(mv(t)),
        Event::FootnoteReference(t) => Event::FootnoteReference(mv(t)),
        Event::Start(Tag::Link {
            link_type,
            dest_url,
            title,
            id,
        }) => Event::Start(Tag::Link {
            link_type,
            dest_url: mv(dest_url),
            title: mv(title),
            id: mv(id),
        }),
        Event::Start(Tag::Image {
            link_type,
            dest_url,
            title,
            id,
        }) => Event::Start(Tag::Image {
            link_type,
            dest_url: mv(dest_url),
            title: mv(title),
            id: mv(id),
        }),
        Event::Start(Tag::CodeBlock(pulldown_cmark::CodeBlockKind::Fenced(info))) => Event::Start(
            Tag::CodeBlock(pulldown_cmark::CodeBlockKind::Fenced(mv(info))),
        ),
        other => other.into_static(),
    }
}

/// `s`, a string of the parse of `copy`, as a string of `body`: the same
/// slice of `body` when `s` is a slice of `copy` holding no
/// stand-in (the two have the same bytes there), else its own copy.
pub(super) fn moved_to<'a>(s: CowStr<'_>, copy: &str, body: &'a str) -> CowStr<'a> {
    if let CowStr::Borrowed(b) = &s {
        let at = (b.as_ptr() as usize).wrapping_sub(copy.as_ptr() as usize);
        let same = at
            .checked_add(b.len())
            .filter(|&end| end <= copy.len())
            .and_then(|end| body.get(at..end));
        if let Some(same) = same {
            if !b.chars().any(is_stand_in) {
                return CowStr::Borrowed(same);
            }
        }
    }
    s.into_static()
}

/// Merges adjacent text events (pulldown-cmark splits text at delimiters).
pub(super) fn merge_text(events: Vec<(Event<'_>, Range<usize>)>) -> Vec<(Event<'_>, Range<usize>)> {
    let adjacent = events
        .windows(2)
        .any(|w| matches!((&w[0].0, &w[1].0), (Event::Text(_), Event::Text(_))));
    if !adjacent {
        return events;
    }
    let mut out: Vec<(Event<'_>, Range<usize>)> = Vec::with_capacity(events.len());
    // Each run of text events is joined once into a string of its exact
    // size (copying the text joined so far for each next event made a long
    // run quadratic: `&amp; ` × 100,000; a growing string copies a 20 MB
    // code block several times).
    let mut events = events.into_iter().peekable();
    let is_text = |(ev, _): &(Event<'_>, Range<usize>)| matches!(ev, Event::Text(_));
    let mut run: Vec<CowStr<'_>> = Vec::new();
    while let Some((ev, range)) = events.next() {
        let Event::Text(first) = ev else {
            out.push((ev, range));
            continue;
        };
        let mut end = range.end;
        run.push(first);
        while let Some((Event::Text(t), r)) = events.next_if(is_text) {
            run.push(t);
            end = r.end;
        }
        let only = if run.len() == 1 { run.pop() } else { None };
        let text = if let Some(only) = only {
            only
        } else {
            let mut joined = String::with_capacity(run.iter().map(|t| t.len()).sum());
            for t in run.drain(..) {
                joined.push_str(&t);
            }
            CowStr::from(joined)
        };
        out.push((Event::Text(text), range.start..end));
    }
    out
}

/// True for characters after which a line break is not a space: CJK
/// ideographs, kana, full-width forms and CJK punctuation.
pub fn is_wide(c: char) -> bool {
    matches!(c as u32,
        0x1100..=0x115F
        | 0x2460..=0x24FF
        | 0x2E80..=0x303E
        | 0x3041..=0x33FF
        | 0x3400..=0x4DBF
        | 0x4E00..=0x9FFF
        | 0xA000..=0xA4CF
        | 0xF900..=0xFAFF
        | 0xFE30..=0xFE4F
        | 0xFF00..=0xFF60
        | 0xFFE0..=0xFFE6
        | 0x1F200..=0x1F2FF
        | 0x20000..=0x3FFFD)
}

/// Hangul: Korean is written with spaces between words, so a line break
/// next to it stays a space (as markdown-it-cjk-breaks does).
fn is_hangul(c: char) -> bool {
    matches!(c as u32,
        0x1100..=0x11FF | 0x3130..=0x318F | 0xA960..=0xA97F | 0xAC00..=0xD7FF | 0xFFA0..=0xFFDC)
}

/// Whether a line break between `b` and `a` is dropped rather than shown as
/// a space (after CSS Text Level 3, segment break transformation): when
/// one side is full-width punctuation (`。`, `、`, `」`: they carry their own
/// spacing), or one side is Japanese (wide) and the other is not a Latin
/// letter — `連携の\n3つ`, `①\n顔合わせ` and `できます。\nAPI` join;
/// `日本語\nword` keeps its space, and so does English text.
pub fn joins_without_space(b: char, a: char) -> bool {
    if b.is_whitespace() || a.is_whitespace() {
        return false;
    }
    // A zero-width space already marks the break.
    if b == '\u{200B}' || a == '\u{200B}' {
        return true;
    }
    let latin = |c: char| c.is_ascii_alphabetic() || ('\u{00C0}'..='\u{024F}').contains(&c);
    // Half-width katakana join as the full-width ones do; Hangul does not.
    let wide = |c: char| (is_wide(c) || ('\u{FF61}'..='\u{FF9F}').contains(&c)) && !is_hangul(c);
    let wide_punct = |c: char| wide(c) && is_punct(c);
    if wide_punct(b) || wide_punct(a) {
        return true;
    }
    if is_hangul(b) || is_hangul(a) {
        return false;
    }
    (wide(b) && !latin(a)) || (wide(a) && !latin(b))
}

pub(super) fn last_char(ev: &Event<'_>) -> Option<char> {
    match ev {
        Event::Text(t) | Event::Code(t) => t.chars().last(),
        _ => None,
    }
}

pub(super) fn first_char(ev: &Event<'_>) -> Option<char> {
    match ev {
        Event::Text(t) | Event::Code(t) => t.chars().next(),
        _ => None,
    }
}

/// Drops a soft break where [`joins_without_space`] says so. Looks through
/// inline start/end tags and inline HTML (`**強調**\n次の行`,
/// `説明。\n<kbd>Ctrl</kbd>`) to the nearest text on each side.
pub(super) fn join_cjk_soft_breaks(
    events: Vec<(Event<'_>, Range<usize>)>,
) -> Vec<(Event<'_>, Range<usize>)> {
    let is_inline_tag = |ev: &Event<'_>| {
        matches!(
            ev,
            Event::Start(Tag::Emphasis | Tag::Strong | Tag::Strikethrough | Tag::Link { .. })
                | Event::End(
                    TagEnd::Emphasis | TagEnd::Strong | TagEnd::Strikethrough | TagEnd::Link
                )
                | Event::InlineHtml(_)
        )
    };
    let mut drop = vec![false; events.len()];
    for i in 0..events.len() {
        if !matches!(events[i].0, Event::SoftBreak) {
            continue;
        }
        let before = events[..i]
            .iter()
            .rev()
            .find(|(e, _)| !is_inline_tag(e))
            .and_then(|(e, _)| last_char(e));
        let after = events[i + 1..]
            .iter()
            .find(|(e, _)| !is_inline_tag(e))
            .and_then(|(e, _)| first_char(e));
        if let (Some(b), Some(a)) = (before, after) {
            if joins_without_space(b, a) {
                drop[i] = true;
            }
        }
    }
    let mut events = events;
    let mut at = 0;
    events.retain(|_| {
        at += 1;
        !drop[at - 1]
    });
    events
}

/// CommonMark does not close `**` between CJK punctuation and a CJK letter
/// (`**「重要」**です`); pulldown-cmark then leaves the stars as text. This
/// pairs such leftover `**` inside one text run and turns them into strong
/// emphasis, when at least one star run touches a wide character — never in
/// a code block or an image's alt text.
pub(super) fn cjk_strong(events: Vec<(Event<'_>, Range<usize>)>) -> Vec<(Event<'_>, Range<usize>)> {
    // Most pages have no leftover stars at all: nothing to copy.
    let leftover = |ev: &Event<'_>| matches!(ev, Event::Text(t) if t.contains("**"));
    if !events.iter().any(|(ev, _)| leftover(ev)) {
        return events;
    }
    let mut out = Vec::with_capacity(events.len());
    // Code blocks and image alt text show the stars as written (an example
    // of Markdown in a course about Markdown).
    let mut literal = 0usize;
    for (ev, range) in events {
        match &ev {
            Event::Start(Tag::CodeBlock(_) | Tag::Image { .. }) => literal += 1,
            Event::End(TagEnd::CodeBlock | TagEnd::Image) => literal = literal.saturating_sub(1),
            _ => {}
        }
        let Event::Text(text) = &ev else {
            out.push((ev, range));
            continue;
        };
        if literal > 0 || !text.contains("**") {
            out.push((ev, range));
            continue;
        }
        let pieces = split_cjk_strong(text);
        if pieces.len() == 1 {
            out.push((ev, range));
            continue;
        }
        for piece in pieces {
            let ev = match piece {
                StrongPiece::Text(s) => Event::Text(CowStr::from(s)),
                StrongPiece::Open => Event::Start(Tag::Strong),
                StrongPiece::Close => Event::End(TagEnd::Strong),
            };
            out.push((ev, range.clone()));
        }
    }
    out
}

#[derive(Debug, PartialEq)]
pub(super) enum StrongPiece {
    Text(String),
    Open,
    Close,
}

pub(super) fn split_cjk_strong(text: &str) -> Vec<StrongPiece> {
    let positions: Vec<usize> = text.match_indices("**").map(|(i, _)| i).collect();
    let mut pairs = Vec::new();
    let mut i = 0;
    while i + 1 < positions.len() {
        let (open, close) = (positions[i], positions[i + 1]);
        if close < open + 3 {
            i += 1;
            continue;
        }
        let inner = &text[open + 2..close];
        let first = inner.chars().next();
        let last = inner.chars().last();
        let before = text[..open].chars().last();
        let after = text[close + 2..].chars().next();
        let spaced = first.is_none_or(char::is_whitespace) || last.is_none_or(char::is_whitespace);
        let touches_wide = [first, last, before, after]
            .iter()
            .flatten()
            .any(|c| is_wide(*c));
        if !spaced && touches_wide && !inner.contains("**") {
            pairs.push((open, close));
            i += 2;
        } else {
            i += 1;
        }
    }
    if pairs.is_empty() {
        return vec![StrongPiece::Text(text.to_string())];
    }
    let mut pieces = Vec::new();
    let mut at = 0;
    for (open, close) in pairs {
        if open > at {
            pieces.push(StrongPiece::Text(text[at..open].to_string()));
        }
        pieces.push(StrongPiece::Open);
        pieces.push(StrongPiece::Text(text[open + 2..close].to_string()));
        pieces.push(StrongPiece::Close);
        at = close + 2;
    }
    if at < text.len() {
        pieces.push(StrongPiece::Text(text[at..].to_string()));
    }
    pieces
}

#[cfg(test)]
mod tests {
    use super::super::tests::html;

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(400))]
        /// Whatever surrounds the delimiter runs, every CJK character and
        /// variation selector of the source is on the page, once, and no
        /// stand-in is left in its place.
        #[test]
        fn stand_ins_never_replace_text(pieces in proptest::collection::vec(
            proptest::sample::select(&[
                "**", "*", "_", "__", "~~", "~", "「", "」", "。", "、", "重", "要", "a", "1", " ",
                "\n", "\u{FE00}", "\u{FE01}", "\u{E0100}", "🈂", "𩸽", "한", "ｱ", "“", "”", "(",
                ")", "`", "[", "](x)", "<b>", "\\",
            ][..]),
            0..24,
        )) {
            let md: String = pieces.concat();
            let out = html(&md);
            // (A fence's info string is read as a language: not text.)
            proptest::prop_assume!(!out.contains("<pre"));
            let kept = |s: &str, c: char| s.chars().filter(|&x| x == c).count();
            for c in ['「', '」', '。', '、', '重', '要', '\u{FE00}', '\u{FE01}', '\u{E0100}', '🈂', '𩸽', '한', 'ｱ'] {
                proptest::prop_assert_eq!(kept(&md, c), kept(&out, c), "{:?} in {:?} → {:?}", c, md, out);
            }
            for (_, c) in super::STAND_INS {
                proptest::prop_assert!(!out.contains(c), "{:?} → {:?}", md, out);
            }
        }
    }

    /// A course that teaches Markdown shows its examples as written: the
    /// stars of `**「重要」**です` inside a code block are not turned into
    /// (or deleted as) strong emphasis.
    #[test]
    fn stars_in_code_blocks_stay_as_written() {
        assert_eq!(
            html("```text\n**「重要」**です\n```\n"),
            "<pre><code class=\"language-text\">**「重要」**です\n</code></pre>\n"
        );
        assert_eq!(
            html("例:\n\n    **「重要」**です\n"),
            "<p>例:</p>\n<pre><code>**「重要」**です\n</code></pre>\n"
        );
        // An image's alt text is its description as plain text: as in
        // English (`![**a** b](x)` → alt="a b", CommonMark), emphasis marks
        // are not part of it; kenshu's own pairing of leftover stars never
        // runs there.
        assert_eq!(
            html("![**important** note](a.png)"),
            "<p><img src=\"a.png\" alt=\"important note\" /></p>\n"
        );
        assert_eq!(
            html("![**「重要」**です](a.png)"),
            "<p><img src=\"a.png\" alt=\"「重要」です\" /></p>\n"
        );

        // Beside them, text still gets its emphasis.
        assert_eq!(
            html("**「重要」**です\n\n```\n**「重要」**です\n```\n"),
            "<p><strong>「重要」</strong>です</p>\n<pre><code>**「重要」**です\n</code></pre>\n"
        );
    }
}
