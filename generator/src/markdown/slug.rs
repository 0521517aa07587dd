//! Heading ids by the rule of the tool a repository was written for, so
//! links into it from outside keep working: kenshu's own, VuePress 1.x's
//! (`@vuepress/shared-utils` slugify: keeps `・`, `「」` and other CJK
//! punctuation), VitePress's (`@mdit-vue/shared` slugify), mdBook's
//! (`normalize_id`) and Docusaurus's (github-slugger).
//!
//! The rule belongs to the site: `load` picks it from the repository's
//! layout (`Site::slug_rule` in the model) and every page carries it in
//! its [`super::PageVars`], so each parse of a page (load, render, serve's
//! quick path) gives a heading the same id, and two sites read in one
//! process keep their own rules.
//!
//! Deliberate differences from the tools:
//! - VitePress normalises to NFKD and leaves the result decomposed, so its
//!   id for `データ` holds a combining mark and a link written `#データ`
//!   fails in VitePress itself; kenshu composes the id again (NFC), so the
//!   link works.
//! - An id that would be empty is `section`, as kenshu's own rule gives.

use std::collections::{HashMap, HashSet};

use unicode_normalization::UnicodeNormalization;

/// A tool's rule for heading ids.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum SlugRule {
    #[default]
    Kenshu,
    VuePress,
    VitePress,
    MdBook,
    Docusaurus,
}

impl SlugRule {
    pub const ALL: [SlugRule; 5] = [
        SlugRule::Kenshu,
        SlugRule::VuePress,
        SlugRule::VitePress,
        SlugRule::MdBook,
        SlugRule::Docusaurus,
    ];

    /// The tool's name, for messages.
    pub fn name(self) -> &'static str {
        match self {
            SlugRule::Kenshu => "kenshu",
            SlugRule::VuePress => "VuePress",
            SlugRule::VitePress => "VitePress",
            SlugRule::MdBook => "mdBook",
            SlugRule::Docusaurus => "Docusaurus",
        }
    }

    /// The id of a heading with plain text `text`, before it is made
    /// unique on its page.
    pub fn slug(self, text: &str) -> String {
        let id = match self {
            SlugRule::Kenshu => return slugify(text),
            SlugRule::VuePress => {
                // removeDiacritics: accents off Latin letters; kana keep
                // their voicing marks (U+3099 is not an accent there).
                let plain: String = without_emoji(text)
                    .nfd()
                    .filter(|c| !('\u{300}'..='\u{36f}').contains(c))
                    .nfc()
                    .collect();
                vue_special(&plain)
            }
            SlugRule::VitePress => {
                let plain: String = without_emoji(text)
                    .nfkd()
                    .filter(|c| !('\u{300}'..='\u{36f}').contains(c))
                    .collect();
                vue_special(&plain).nfc().collect()
            }
            SlugRule::MdBook => mdbook_id(text),
            SlugRule::Docusaurus => github_slug(text),
        };
        if id.is_empty() {
            "section".to_string()
        } else {
            id
        }
    }

    /// The first number a repeated id takes (`a`, `a-1` or `a`, `a-2`).
    fn first_suffix(self) -> usize {
        match self {
            // markdown-it-anchor 5, which VuePress 1.x uses, starts at 2.
            SlugRule::VuePress => 2,
            _ => 1,
        }
    }
}

/// The text without emoji: VuePress and VitePress take a heading's id from
/// its text tokens only, and `:emoji:` shortcodes become emoji tokens
/// before ids are made (so `## 準備 :computer:` is `準備`). kenshu has
/// replaced the shortcodes by then, so every emoji character is left out.
fn without_emoji(text: &str) -> String {
    text.chars()
        .filter(|c| {
            !matches!(
                c,
                '\u{1f000}'..='\u{1faff}' | '\u{2600}'..='\u{27bf}' | '\u{fe0f}' | '\u{200d}'
            )
        })
        .collect()
}

/// VuePress's and VitePress's common steps: control characters out, runs of
/// spaces and ASCII punctuation (and curly quotes) to one `-`, no `-` at
/// either end, `_` before a leading digit, lower case.
fn vue_special(text: &str) -> String {
    const SPECIAL: &str = "~`!@#$%^&*()-_+=[]{}|\\;:\"'\u{201c}\u{201d}\u{2018}\u{2019}<>,.?/";
    let mut out = String::new();
    let mut dash = false;
    for c in text.chars() {
        if ('\u{0}'..='\u{1f}').contains(&c) {
            continue;
        }
        if c.is_whitespace() || c == '\u{feff}' || SPECIAL.contains(c) {
            dash = true;
            continue;
        }
        if dash && !out.is_empty() {
            out.push('-');
        }
        dash = false;
        out.push(c);
    }
    if out.starts_with(|c: char| c.is_ascii_digit()) {
        out.insert(0, '_');
    }
    out.to_lowercase()
}

/// mdBook's `normalize_id`: letters, digits, `_` and `-` kept (ASCII
/// lower-cased), each space a `-`, anything else dropped.
fn mdbook_id(text: &str) -> String {
    text.trim()
        .trim_start_matches('#')
        .trim()
        .chars()
        .filter_map(|c| {
            if c.is_alphanumeric() || c == '_' || c == '-' {
                Some(c.to_ascii_lowercase())
            } else if c.is_whitespace() {
                Some('-')
            } else {
                None
            }
        })
        .collect()
}

/// github-slugger (Docusaurus): lower case, each space a `-`; letters,
/// marks, decimal and letter numbers, connector punctuation and `-` kept;
/// other punctuation, symbols, other numbers (①) and other spaces dropped.
fn github_slug(text: &str) -> String {
    text.to_lowercase()
        .chars()
        .filter_map(|c| match c {
            ' ' => Some('-'),
            '-' | '_' => Some(c),
            c if is_connector(c) || is_mark(c) => Some(c),
            c if c.is_alphabetic() => Some(c),
            c if c.is_numeric() && !is_other_number(c) => Some(c),
            _ => None,
        })
        .collect()
}

fn is_connector(c: char) -> bool {
    matches!(
        c,
        '\u{203f}' | '\u{2040}' | '\u{2054}' | '\u{fe33}' | '\u{fe34}' | '\u{fe4d}'
            ..='\u{fe4f}' | '\u{ff3f}'
    )
}

/// Combining marks of the common blocks (accents, kana voicing marks,
/// variation selectors).
fn is_mark(c: char) -> bool {
    matches!(
        c,
        '\u{300}'..='\u{36f}'
            | '\u{1ab0}'..='\u{1aff}'
            | '\u{1dc0}'..='\u{1dff}'
            | '\u{20d0}'..='\u{20ff}'
            | '\u{3099}'..='\u{309a}'
            | '\u{fe00}'..='\u{fe0f}'
            | '\u{fe20}'..='\u{fe2f}'
            | '\u{e0100}'..='\u{e01ef}'
    )
}

/// Numbers of category No (superscripts, fractions, circled and
/// parenthesised numbers), which github-slugger drops.
fn is_other_number(c: char) -> bool {
    matches!(
        c,
        '\u{b2}' | '\u{b3}' | '\u{b9}' | '\u{bc}'..='\u{be}'
            | '\u{2070}'..='\u{209f}'
            | '\u{2150}'..='\u{215f}'
            | '\u{2189}'
            | '\u{2460}'..='\u{24ff}'
            | '\u{2776}'..='\u{2793}'
            | '\u{3192}'..='\u{3195}'
            | '\u{3220}'..='\u{3229}'
            | '\u{3248}'..='\u{324f}'
            | '\u{3251}'..='\u{325f}'
            | '\u{3280}'..='\u{3289}'
            | '\u{32b1}'..='\u{32bf}'
    )
}

/// Gives the headings of one page unique ids by one rule: ids written as
/// `{#id}` are reserved first; a repeat takes the rule's next suffix.
pub struct Unique {
    rule: SlugRule,
    used: HashSet<String, foldhash::fast::FixedState>,
    /// Where each base's numbering resumes, so n repeats cost O(n).
    next: HashMap<String, usize, foldhash::fast::FixedState>,
}

impl Unique {
    pub fn new(rule: SlugRule, written: impl IntoIterator<Item = String>) -> Unique {
        Unique {
            rule,
            used: written.into_iter().collect(),
            next: HashMap::default(),
        }
    }

    /// The id of the next heading with text `text`.
    pub fn id(&mut self, text: &str) -> String {
        let base = self.rule.slug(text);
        let id = if self.used.contains(&base) {
            let first = self.rule.first_suffix();
            let n = self.next.entry(base.clone()).or_insert(first);
            let mut id = format!("{base}-{n}");
            *n += 1;
            while self.used.contains(&id) {
                id = format!("{base}-{n}");
                *n += 1;
            }
            id
        } else {
            base
        };
        self.used.insert(id.clone());
        id
    }
}

/// Whether `id` is what `rule` could have generated for `text` (the slug,
/// or the slug with a number), rather than an id written as `{#id}`.
fn generated(rule: SlugRule, text: &str, id: &str) -> bool {
    let base = rule.slug(text);
    id == base
        || id.strip_prefix(base.as_str()).is_some_and(|rest| {
            rest.strip_prefix('-')
                .is_some_and(|n| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()))
        })
}

/// The ids other tools' rules give a page's headings (`(text, id)` in
/// order, as the page's rule `rule` gave them), where they differ from
/// every id the page has: `(other id, the heading's id, the rule)`. A link
/// to one of them is accepted with a warning.
pub fn aliases(rule: SlugRule, headings: &[(&str, &str)]) -> Vec<(String, String, SlugRule)> {
    let explicit: Vec<bool> = headings
        .iter()
        .map(|(text, id)| !generated(rule, text, id))
        .collect();
    let real: HashSet<&str> = headings.iter().map(|(_, id)| *id).collect();
    let mut seen: HashSet<String> = HashSet::new();
    let mut out = Vec::new();
    for other in SlugRule::ALL.into_iter().filter(|r| *r != rule) {
        let written = headings
            .iter()
            .zip(&explicit)
            .filter(|(_, e)| **e)
            .map(|((_, id), _)| id.to_string());
        let mut unique = Unique::new(other, written);
        for ((text, id), e) in headings.iter().zip(&explicit) {
            if *e {
                continue;
            }
            let alias = unique.id(text);
            if !real.contains(alias.as_str()) && seen.insert(alias.clone()) {
                out.push((alias, id.to_string(), other));
            }
        }
    }
    out
}

/// A readable anchor id for a heading: Japanese and other letters kept,
/// ASCII lower-cased, spaces to `-`, punctuation dropped.
pub fn slugify(text: &str) -> String {
    let mut out = String::new();
    let mut pending_dash = false;
    for c in text.trim().chars() {
        if c.is_whitespace() || c == '-' || c == '\u{3000}' {
            pending_dash = !out.is_empty();
        } else if c.is_alphanumeric() || c == '_' {
            if pending_dash {
                out.push('-');
                pending_dash = false;
            }
            if c.is_ascii() {
                out.push(c.to_ascii_lowercase());
            } else {
                out.extend(c.to_lowercase());
            }
        }
    }
    if out.is_empty() {
        "section".to_string()
    } else {
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn vuepress_keeps_cjk_punctuation() {
        let v = SlugRule::VuePress;
        assert_eq!(v.slug("関数・テストの修正方法"), "関数・テストの修正方法");
        assert_eq!(v.slug("「連携」とは？（概要）"), "「連携」とは？（概要）");
        assert_eq!(v.slug("Hello, World!"), "hello-world");
        assert_eq!(v.slug("snake_case と  空白"), "snake-case-と-空白");
        assert_eq!(v.slug("1. はじめに"), "_1-はじめに");
        assert_eq!(v.slug("Café データ"), "cafe-データ");
        assert_eq!(v.slug("第1章\u{3000}準備"), "第1章-準備");
        // `## 準備 :computer:`, the shortcode replaced.
        assert_eq!(v.slug("準備 💻"), "準備");
        // kenshu's own rule drops them.
        assert_eq!(SlugRule::Kenshu.slug("関数・テスト"), "関数テスト");
    }

    #[test]
    fn vitepress_folds_width_and_keeps_kana_whole() {
        let v = SlugRule::VitePress;
        assert_eq!(v.slug("関数・テスト（概要）"), "関数・テスト-概要");
        assert_eq!(v.slug("データ"), "データ");
        assert_eq!(v.slug("ＡＰＩ：設定"), "api-設定");
    }

    #[test]
    fn mdbook_follows_normalize_id() {
        let m = SlugRule::MdBook;
        assert_eq!(m.slug("Hello  World"), "hello--world");
        assert_eq!(m.slug("関数・テスト"), "関数テスト");
        assert_eq!(m.slug("Ünïcode_Ω"), "Ünïcode_Ω");
        assert_eq!(m.slug("`Option<T>` & more"), "optiont--more");
    }

    #[test]
    fn docusaurus_follows_github_slugger() {
        let d = SlugRule::Docusaurus;
        assert_eq!(d.slug("Hello  World!"), "hello--world");
        assert_eq!(d.slug("関数・テスト"), "関数テスト");
        assert_eq!(d.slug("①プラン"), "プラン");
        assert_eq!(d.slug("Ünïcode_Ω"), "ünïcode_ω");
    }

    #[test]
    fn repeats_take_each_tools_numbers() {
        let ids = |rule| {
            let mut u = Unique::new(rule, ["a-1".to_string()]);
            ["A", "A", "A"].map(|t| u.id(t))
        };
        assert_eq!(ids(SlugRule::Kenshu), ["a", "a-2", "a-3"]);
        assert_eq!(ids(SlugRule::VuePress), ["a", "a-2", "a-3"]);
        assert_eq!(ids(SlugRule::MdBook), ["a", "a-2", "a-3"]);
        let mut u = Unique::new(SlugRule::Docusaurus, []);
        assert_eq!(["A", "A"].map(|t| u.id(t)), ["a", "a-1"]);
        let mut u = Unique::new(SlugRule::VuePress, []);
        assert_eq!(["A", "A"].map(|t| u.id(t)), ["a", "a-2"]);
    }

    #[test]
    fn aliases_name_other_tools_ids() {
        let headings = [
            ("関数・テストの修正方法", "関数テストの修正方法"),
            ("手順", "custom"),
            ("Setup", "setup"),
        ];
        let found = aliases(SlugRule::Kenshu, &headings);
        assert!(found.contains(&(
            "関数・テストの修正方法".to_string(),
            "関数テストの修正方法".to_string(),
            SlugRule::VuePress
        )));
        // An id written as {#custom} has no other names; `setup` is the
        // same under every rule.
        assert!(found.iter().all(|(_, id, _)| id != "custom"), "{found:?}");
        assert!(found.iter().all(|(_, id, _)| id != "setup"), "{found:?}");
    }
}
