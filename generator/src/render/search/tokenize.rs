//! How text becomes search terms — the one definition the index (here) and
//! the query (`theme/static/search.js`, function `terms`) share; the test
//! `tests/search.rs::tokenizer_matches_the_browser` runs both on the same
//! strings.
//!
//! 1. Normalise: NFKC, then lower case (ＩＨ → ih, ﾘｴｿﾞﾝ → リエゾン), then
//!    fold the spellings people mix up ([`fold`]): katakana as hiragana,
//!    no long-vowel mark (ケアマネージャー = ケアマネジャー), small kana as
//!    large (ウィ = ウイ), ヴァ ヴィ ヴ ヴェ ヴォ as バ ビ ブ ベ ボ, ヂ ヅ as
//!    ジ ズ, and iteration marks written out (人々 = 人人, いすゞ = いすず).
//! 2. Split into runs of *word* characters (letters and digits that are not
//!    CJK), *CJK* characters (Han, kana, Hangul, 々〆ー) and the rest
//!    (spaces, punctuation), which separates terms.
//! 3. A word run is one term (`coordination`, `2026`). A CJK run gives every
//!    character and every pair of neighbours: 連携会議 → 連 携 会 議 連携 携会
//!    会議 (Japanese has no spaces, so any part of a run can be searched).

use unicode_normalization::UnicodeNormalization;

/// NFKC, lower case and [`fold`]: what `norm` does in search.js.
pub fn normalize(s: &str) -> String {
    fold(&nfkc_lower(s))
}

/// Large hiragana for a small kana (hiragana or katakana, as hiragana);
/// `c` itself otherwise.
fn large(c: char) -> char {
    match c {
        'ぁ' => 'あ',
        'ぃ' => 'い',
        'ぅ' => 'う',
        'ぇ' => 'え',
        'ぉ' => 'お',
        'っ' => 'つ',
        'ゃ' => 'や',
        'ゅ' => 'ゆ',
        'ょ' => 'よ',
        'ゎ' => 'わ',
        'ゕ' => 'か',
        'ゖ' => 'け',
        'ぢ' => 'じ',
        'づ' => 'ず',
        _ => c,
    }
}

/// Katakana as hiragana (small katakana extensions as large hiragana,
/// ヷ ヸ ヹ ヺ as ば び べ ぼ, ヽ ヾ as ゝ ゞ); other characters as they are.
fn hiragana(c: char) -> char {
    let u = c as u32;
    match u {
        0x30a1..=0x30f6 | 0x30fd..=0x30fe => char::from_u32(u - 0x60).unwrap_or(c),
        0x30f7 => 'ば',
        0x30f8 => 'び',
        0x30f9 => 'べ',
        0x30fa => 'ぼ',
        0x31f0..=0x31ff => "くしすとぬはひふへほむらりるれろ"
            .chars()
            .nth((u - 0x31f0) as usize)
            .unwrap_or(c),
        _ => c,
    }
}

/// The voiced kana of `c` (か → が, う → ゔ); `c` when it has none.
fn voiced(c: char) -> char {
    let u = c as u32;
    let plus_one = matches!(u, 0x304b..=0x3062 if u % 2 == 1)
        || matches!(u, 0x3064..=0x3068 if u.is_multiple_of(2))
        || matches!(u, 0x306f..=0x307b if (u - 0x306f).is_multiple_of(3));
    if plus_one {
        char::from_u32(u + 1).unwrap_or(c)
    } else if c == 'う' {
        'ゔ'
    } else {
        c
    }
}

/// Folds the spellings of one word that readers mix up (see the module
/// comment), on NFKC and lower-cased text; `search.js` (`fold`) does the
/// same, character by character.
pub fn fold(n: &str) -> String {
    // Text without kana or iteration marks folds to itself.
    if !n
        .chars()
        .any(|c| matches!(c as u32, 0x3005 | 0x3041..=0x30ff | 0x31f0..=0x31ff))
    {
        return n.to_string();
    }
    let mut out = String::with_capacity(n.len());
    let mut prev: Option<char> = None;
    let mut chars = n.chars().map(hiragana).peekable();
    while let Some(c) = chars.next() {
        let c = match c {
            'ー' => continue,
            'ゔ' => vu(&mut chars),
            '々' | 'ゝ' | 'ゞ' => match prev {
                Some(p) if c == '々' && class(p) == Class::Cjk => p,
                Some(p) if c == 'ゝ' && is_kana(p) => p,
                Some(p) if c == 'ゞ' && is_kana(p) => large(voiced(p)),
                _ => c,
            },
            _ => large(c),
        };
        out.push(c);
        prev = Some(c);
    }
    out
}

/// ゔ (ヴ) and the small vowel after it, if any, as one sound: ヴァ = バ,
/// ヴ = ヴゥ = ブ. `chars`: what follows the ゔ, as hiragana.
fn vu(chars: &mut std::iter::Peekable<impl Iterator<Item = char>>) -> char {
    let v = match chars.peek() {
        Some('ぁ') => 'ば',
        Some('ぃ') => 'び',
        Some('ぅ') => 'ぶ',
        Some('ぇ') => 'べ',
        Some('ぉ') => 'ぼ',
        _ => 'ぶ',
    };
    if v != 'ぶ' || chars.peek() == Some(&'ぅ') {
        chars.next();
    }
    v
}

fn is_kana(c: char) -> bool {
    matches!(c as u32, 0x3041..=0x3096)
}

/// Whether NFKC leaves `c` as it is and lower case changes it to ASCII
/// lower case at most: most Japanese text is kana, kanji, 、。ー and ASCII
/// (nothing composes with them, and only ASCII capitals have a case). No
/// iteration mark is plain. (What [`all_plain`] reads from the bytes.)
#[cfg(test)]
fn plain(c: char) -> bool {
    c.is_ascii()
        || matches!(c as u32,
            0x3001..=0x3002 | 0x3041..=0x3096 | 0x30A1..=0x30FA | 0x30FC | 0x4E00..=0x9FFF)
}

/// `s.chars().all(plain)`, read from the lead byte of each character (`s`
/// is UTF-8: a lead byte says how long its character is): every plain
/// character but ASCII is three bytes long, U+3001 to U+9FFF (lead bytes E3
/// to E9); those of E5 to E9 (U+5000 to U+9FFF) are all kanji.
fn all_plain(s: &str) -> bool {
    let b = s.as_bytes();
    let mut i = 0;
    while let Some(&lead) = b.get(i) {
        match lead {
            0x00..=0x7F => i += 1,
            0xE5..=0xE9 => i += 3,
            0xE3 | 0xE4 => {
                let (Some(&b1), Some(&b2)) = (b.get(i + 1), b.get(i + 2)) else {
                    return false;
                };
                let u = (u32::from(lead & 0x0F) << 12)
                    | (u32::from(b1 & 0x3F) << 6)
                    | u32::from(b2 & 0x3F);
                if !plain_3000_4fff(u) {
                    return false;
                }
                i += 3;
            }
            _ => return false,
        }
    }
    true
}

/// Whether U+3000..U+4FFF `u` is plain: 、。, kana but for iteration
/// marks, ー, and the kanji from U+4E00.
#[inline]
fn plain_3000_4fff(u: u32) -> bool {
    matches!(u, 0x3001..=0x3002 | 0x3041..=0x3096 | 0x30A1..=0x30FA | 0x30FC | 0x4E00..=0x4FFF)
}

/// NFKC, then lower case.
fn nfkc_lower(s: &str) -> String {
    if all_plain(s) {
        return s.to_ascii_lowercase();
    }
    if unicode_normalization::is_nfkc_quick(s.chars()) == unicode_normalization::IsNormalized::Yes {
        return s.to_lowercase();
    }
    let n: String = s.nfkc().collect();
    if n.is_ascii() {
        n.to_ascii_lowercase()
    } else {
        n.to_lowercase()
    }
}

/// Character classes of step 2.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Class {
    Cjk,
    Word,
    Other,
}

pub fn class(c: char) -> Class {
    let u = c as u32;
    // Quick answers for ASCII and for the CJK spaces, punctuation and
    // brackets (、。「」…; not 々〆〇 nor the numerals and marks from
    // U+3021), the characters between Japanese terms: the Unicode tables
    // of `is_alphanumeric` give the same, slower.
    if c.is_ascii() {
        return if c.is_ascii_alphanumeric() {
            Class::Word
        } else {
            Class::Other
        };
    }
    if matches!(u, 0x3000..=0x3004 | 0x3008..=0x3020) {
        return Class::Other;
    }
    let cjk = matches!(u,
        0x3005..=0x3007          // 々 〆 〇
        | 0x3041..=0x309f        // hiragana
        | 0x30a0..=0x30ff        // katakana, ー
        | 0x31f0..=0x31ff        // katakana extensions
        | 0x3400..=0x4dbf        // CJK extension A
        | 0x4e00..=0x9fff        // CJK unified ideographs
        | 0xf900..=0xfaff        // compatibility ideographs
        | 0x1100..=0x11ff        // Hangul jamo
        | 0x3130..=0x318f        // Hangul compatibility jamo
        | 0xac00..=0xd7af        // Hangul syllables
        | 0x20000..=0x3ffff); // CJK extensions B–H
    if cjk {
        Class::Cjk
    } else if c.is_alphanumeric() {
        Class::Word
    } else {
        Class::Other
    }
}

/// One term of normalised text: a CJK character or pair, or a word.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Term<'a> {
    /// One CJK character.
    One(char),
    /// Two neighbouring CJK characters.
    Two(char, char),
    /// A run of word characters.
    Word(&'a str),
}

impl Term<'_> {
    pub fn text(&self) -> String {
        match *self {
            Term::One(a) => a.to_string(),
            Term::Two(a, b) => [a, b].iter().collect(),
            Term::Word(w) => w.to_string(),
        }
    }
}

/// Calls `f` with every term of `normalized` (see the module comment), in
/// text order; a CJK character comes before the pair it starts.
pub fn each_term<'a>(normalized: &'a str, mut f: impl FnMut(Term<'a>)) {
    let mut word_start: Option<usize> = None;
    let mut run = CjkRun::default();
    for (i, c) in normalized.char_indices() {
        let k = class(c);
        if k != Class::Word {
            if let Some(s) = word_start.take() {
                f(Term::Word(&normalized[s..i]));
            }
        } else {
            word_start.get_or_insert(i);
        }
        run.next(c, k, &mut f);
    }
    if let Some(s) = word_start {
        f(Term::Word(&normalized[s..]));
    }
}

/// The CJK terms of step 3: each character of a run, and the pair it ends.
#[derive(Default)]
struct CjkRun(Option<char>);

impl CjkRun {
    /// The terms `c` (of class `k`) gives; a character of another class
    /// ends the run.
    #[inline(always)]
    fn next<'t>(&mut self, c: char, k: Class, f: &mut impl FnMut(Term<'t>)) {
        if k != Class::Cjk {
            self.0 = None;
            return;
        }
        if let Some(p) = self.0 {
            f(Term::Two(p, c));
        }
        f(Term::One(c));
        self.0 = Some(c);
    }
}

/// Calls `f` with every term of `text` normalised: the terms of
/// `each_term(&normalize(text))`, in the same order. Text of plain
/// characters only ([`all_plain`]: most of a Japanese site's) is normalised character by
/// character as it is split, without a normalised copy of it (what the
/// index does with every section's text); other text is normalised first.
pub fn each_term_of(text: &str, mut f: impl FnMut(Term<'_>)) {
    if !all_plain(text) {
        let n = normalize(text);
        each_term(&n, f);
        return;
    }
    // What `fold` does to plain text (no iteration marks in it), after
    // ASCII lower case (all of NFKC and lower case for plain text): a
    // word is gathered in `word`, since a dropped ー joins its neighbours.
    let mut word = String::new();
    let mut run = CjkRun::default();
    let mut chars = text.chars().map(hiragana).peekable();
    while let Some(c) = chars.next() {
        let c = match c {
            'ー' => continue,
            'ゔ' => vu(&mut chars),
            c if c.is_ascii() => c.to_ascii_lowercase(),
            c => large(c),
        };
        // `class` of what plain text folds to: ASCII, 、。, kana, kanji.
        let k = if c.is_ascii_alphanumeric() {
            Class::Word
        } else if c.is_ascii() || matches!(c, '、' | '。') {
            Class::Other
        } else {
            Class::Cjk
        };
        if k == Class::Word {
            word.push(c);
        } else if !word.is_empty() {
            f(Term::Word(&word));
            word.clear();
        }
        run.next(c, k, &mut f);
    }
    if !word.is_empty() {
        f(Term::Word(&word));
    }
}

/// The terms of `text` (normalised first) as strings, in order: what the
/// browser's tokenizer must give for the same text.
pub fn terms(text: &str) -> Vec<String> {
    let n = normalize(text);
    let mut out = Vec::new();
    each_term(&n, |t| out.push(t.text()));
    out
}

/// FNV-1a (32 bit) over UTF-16 code units, as `hash` in search.js.
pub fn hash(s: &str) -> u32 {
    let mut h: u32 = 0x811c_9dc5;
    for u in s.encode_utf16() {
        h ^= u32::from(u);
        h = h.wrapping_mul(0x0100_0193);
    }
    h
}

/// The shard (of `shards`) holding `term`. Words are placed by their first
/// two characters, so the words a query word begins (`coord` →
/// `coordination`) are all in the shard of the query word.
pub fn shard_of(term: &str, shards: u32) -> u32 {
    let first = term.chars().next().map_or(Class::Other, class);
    let key = if first == Class::Word {
        // The first two characters (without a copy: every term of a large
        // index is placed, twice).
        let end = term.char_indices().nth(2).map_or(term.len(), |(i, _)| i);
        &term[..end]
    } else {
        term
    };
    hash(key) % shards.max(1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quick_classes_agree_with_the_unicode_tables() {
        for c in (0..0x80u32)
            .chain(0x3000..0x3040)
            .filter_map(char::from_u32)
        {
            let k = class(c);
            if k != Class::Cjk {
                let word = c.is_alphanumeric();
                assert_eq!(k == Class::Word, word, "{c:?} U+{:04X}", c as u32);
            }
        }
    }

    #[test]
    fn normalises_width_and_case() {
        assert_eq!(normalize("ＩＨ"), "ih");
        assert_eq!(normalize("ﾘｴｿﾞﾝ"), normalize("リエゾン"));
        assert_eq!(normalize("ﾘｴｿﾞﾝ"), "りえぞん");
        assert_eq!(normalize("Coordination"), "coordination");
    }

    #[test]
    fn the_quick_path_is_nfkc_and_lower_case() {
        let slow = |s: &str| s.nfkc().collect::<String>().to_lowercase();
        // Every character below U+A000 alone, after a kana and before a
        // combining sound mark (か + ゛ composes to が).
        for c in (0..0xA000u32).filter_map(char::from_u32) {
            for s in [format!("{c}"), format!("か{c}A"), format!("{c}\u{3099}")] {
                assert_eq!(nfkc_lower(&s), slow(&s), "{s:?}");
            }
        }
        assert_eq!(normalize("連携ＩＨとIH。"), "連携ihとih。");
    }

    #[test]
    fn folds_the_spellings_readers_mix_up() {
        let same = [
            ("ケアマネージャー", "ケアマネジャー"),
            ("ｹｱﾏﾈｰｼﾞｬｰ", "けあまねじゃ"),
            ("ヴァイオリン", "バイオリン"),
            ("ヴィジョン", "ビジョン"),
            ("ヴ", "ブ"),
            ("ヴゥ", "ブ"),
            ("ヴェール", "ベール"),
            ("ヴォランティア", "ボランテイア"),
            ("ウィ", "ウイ"),
            ("ちぢむ", "ちじむ"),
            ("つづく", "つずく"),
            ("人々", "人人"),
            ("いすゞ", "いすず"),
            ("こゝろ", "こころ"),
            ("ヶ月", "け月"),
            ("ㇰ", "ク"),
            ("ヷ", "バ"),
        ];
        for (a, b) in same {
            assert_eq!(normalize(a), normalize(b), "{a} / {b}");
        }
        assert_eq!(normalize("ケアマネージャー"), "けあまねじや");
        // Marks with nothing to repeat stay; kanji stay.
        assert_eq!(normalize("々"), "々");
        assert_eq!(normalize("ゞ"), "ゞ");
        assert_eq!(normalize("は々"), "はは");
        assert_eq!(fold("ほゞ"), "ほぼ");
        assert_eq!(fold("まゞ"), "まま");
        assert_eq!(normalize("Coordination 連携"), "coordination 連携");
    }

    #[test]
    fn cjk_runs_give_characters_and_pairs_words_stay_whole() {
        assert_eq!(
            terms("連携会議とIH調理、Coordination 2026年"),
            [
                "連",
                "連携",
                "携",
                "携会",
                "会",
                "会議",
                "議",
                "議と",
                "と",
                "ih",
                "調",
                "調理",
                "理",
                "coordination",
                "2026",
                "年"
            ]
        );
        assert_eq!(
            terms("ﾘｴｿﾞﾝ"),
            ["り", "りえ", "え", "えぞ", "ぞ", "ぞん", "ん"]
        );
        assert!(terms("、。 !? ").is_empty());
    }

    #[test]
    fn terms_of_plain_text_are_those_of_the_normalised_text() {
        // Every plain character and a few others, alone and in runs that
        // mix them (ー between letters, ヴ before small vowels, capitals).
        let pool: Vec<char> = "aZ09 、。ーヴゔぁァぅゥヵヶヷヺかカ連携々ゝ\u{3099}ＡｱIH"
            .chars()
            .chain(
                (0x3041..=0x3096)
                    .chain(0x30A1..=0x30FA)
                    .filter_map(char::from_u32),
            )
            .collect();
        let of = |s: &str| {
            let mut got = Vec::new();
            each_term_of(s, |t| got.push(t.text()));
            got
        };
        let mut seed: u64 = 0x9e37_79b9_7f4a_7c15;
        let mut next = || {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            seed
        };
        for c in &pool {
            assert_eq!(of(&c.to_string()), terms(&c.to_string()), "{c:?}");
        }
        for _ in 0..20_000 {
            let len = (next() % 12) as usize;
            let s: String = (0..len)
                .map(|_| pool[(next() % pool.len() as u64) as usize])
                .collect();
            assert_eq!(of(&s), terms(&s), "{s:?}");
        }
        assert_eq!(
            of("Aーb ヴァイオリン"),
            ["ab", "ば", "ばい", "い", "いお", "お", "おり", "り", "りん", "ん"]
        );
    }

    #[test]
    fn plain_text_is_read_byte_by_byte_as_character_by_character() {
        for u in 0..0x11_0000u32 {
            if let Some(c) = char::from_u32(u) {
                let s = format!("a{c}連");
                assert_eq!(all_plain(&s), s.chars().all(plain), "U+{u:04X}");
            }
        }
    }

    #[test]
    fn words_shard_by_their_first_two_characters() {
        assert_eq!(shard_of("coordination", 64), shard_of("co", 64));
        assert_eq!(hash(""), 0x811c_9dc5);
        // FNV-1a of "a" (one UTF-16 unit 0x61).
        assert_eq!(hash("a"), 0xe40c_292c);
    }
}
