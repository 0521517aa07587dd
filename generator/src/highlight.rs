//! Syntax highlighting of code blocks at build time: `<span>`s with class
//! names (`hl-keyword`, `hl-string`, …) styled by the theme's `site.css`
//! in light and dark, so pages need no script for it.
//!
//! The grammars are syntect's default set (Sublime Text's), loaded once on
//! first use; a language it does not know is written as plain text.

use std::borrow::Cow;
use std::sync::OnceLock;

use syntect::html::{ClassStyle, ClassedHTMLGenerator};
use syntect::parsing::SyntaxSet;
use syntect::util::LinesWithEndings;

/// The prefix of every class name the highlighter writes.
const CLASS_STYLE: ClassStyle = ClassStyle::SpacedPrefixed { prefix: "hl-" };

fn syntaxes() -> &'static SyntaxSet {
    static SET: OnceLock<SyntaxSet> = OnceLock::new();
    SET.get_or_init(SyntaxSet::load_defaults_newlines)
}

/// A code block's info string, read as mdBook and GitHub read it: the
/// language is the first word (`rust,ignore` and `rust ignore` → `rust`,
/// `{.python}` → `python`); the rest are attributes (`ignore`,
/// `hidelines=%`).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Info {
    pub lang: String,
    pub attrs: Vec<String>,
}

impl Info {
    pub fn parse(info: &str) -> Info {
        let mut words = info
            .split(|c: char| c == ',' || c.is_whitespace())
            .map(|w| w.trim_matches(|c| c == '{' || c == '}'))
            .filter(|w| !w.is_empty());
        let lang = words
            .next()
            .map(|w| w.trim_start_matches('.').to_ascii_lowercase())
            .unwrap_or_default();
        Info {
            lang,
            attrs: words.map(str::to_string).collect(),
        }
    }

    /// The prefix of lines mdBook hides: `# ` in Rust, or `hidelines=X`.
    fn hidden_prefix(&self) -> Option<String> {
        if let Some(p) = self.attrs.iter().find_map(|a| a.strip_prefix("hidelines=")) {
            return Some(p.to_string());
        }
        (self.lang == "rust").then(|| "#".to_string())
    }
}

/// Drops the lines mdBook hides (in Rust `# use x;` and a lone `#`; `##`
/// at the start of a line stands for a visible `#`). Code without such
/// lines is returned as it is, not copied.
pub fn strip_hidden<'c>(code: &'c str, info: &Info) -> Cow<'c, str> {
    let Some(prefix) = info.hidden_prefix() else {
        return Cow::Borrowed(code);
    };
    // The lines so far are unchanged while `out` is None: from the first
    // line that changes, `out` holds the code up to it and the rest.
    let mut out: Option<String> = None;
    let mut at = 0;
    for line in LinesWithEndings::from(code) {
        let start = at;
        at += line.len();
        let trimmed = line.trim_start();
        let indent = &line[..line.len() - trimmed.len()];
        let content = trimmed.trim_end_matches(['\n', '\r']);
        let kept: Option<&str> = if prefix == "#" {
            if let Some(rest) = trimmed.strip_prefix("##") {
                let out = out.get_or_insert_with(|| begun(code, start));
                out.push_str(indent);
                out.push('#');
                out.push_str(rest);
                continue;
            }
            (!(content == "#" || trimmed.starts_with("# "))).then_some(line)
        } else {
            (!trimmed.starts_with(prefix.as_str())).then_some(line)
        };
        match (kept, &mut out) {
            (Some(line), Some(out)) => out.push_str(line),
            (Some(_), None) => {}
            (None, out) => {
                out.get_or_insert_with(|| begun(code, start));
            }
        }
    }
    out.map_or(Cow::Borrowed(code), Cow::Owned)
}

/// A copy of `code` up to `end`, with room for the rest.
fn begun(code: &str, end: usize) -> String {
    let mut s = String::with_capacity(code.len());
    s.push_str(&code[..end]);
    s
}

/// The largest code block highlighted, in bytes of code as written
/// (hidden lines and included files counted). Highlighting takes about
/// 2.7 s and 90 MiB per MiB of code (syntect's grammars are regular
/// expressions run on every line), so a 4 MiB block took 15 s and a
/// 20 MiB include over a minute and gigabytes. 256 KiB is some 6,000
/// lines, far more than a reader follows in one block, and takes about
/// 0.7 s; a larger block is shown plain (escaped, the same markup without
/// the colours) and `load` warns about it.
pub const HIGHLIGHT_LIMIT: usize = 256 * 1024;

/// Whether a code block of `len` bytes is shown plain (see [`HIGHLIGHT_LIMIT`]).
pub fn too_large(len: usize) -> bool {
    len > HIGHLIGHT_LIMIT
}

/// A fenced or indented code block as HTML: `<pre><code
/// class="language-x">` with highlighted spans when the language is known
/// and the block is not [`too_large`].
pub fn code_block(code: &str, info: &Info) -> String {
    let plain = too_large(code.len());
    let code = strip_hidden(code, info);
    let class = if info.lang.is_empty() {
        String::new()
    } else {
        format!(" class=\"language-{}\"", crate::html::escape(&info.lang))
    };
    let highlighted = if plain {
        None
    } else {
        highlight(&code, &info.lang)
    };
    let inner = highlighted.unwrap_or_else(|| crate::html::escape(&code));
    // One string of the exact size (format! grows it from a guess, which
    // copies a large block several times).
    let (open, close) = ("<pre><code", "</code></pre>\n");
    let mut html = String::with_capacity(open.len() + class.len() + 1 + inner.len() + close.len());
    for piece in [open, &class, ">", &inner, close] {
        html.push_str(piece);
    }
    html
}

/// Highlighted HTML of `code`, or None for a language without a grammar
/// (or a grammar that fails on this input).
fn highlight(code: &str, lang: &str) -> Option<String> {
    if lang.is_empty() || matches!(lang, "text" | "plain" | "txt" | "console" | "output") {
        return None;
    }
    let set = syntaxes();
    let syntax = set.find_syntax_by_token(lang)?;
    let mut gen = ClassedHTMLGenerator::new_with_class_style(syntax, set, CLASS_STYLE);
    for line in LinesWithEndings::from(code) {
        gen.parse_html_for_line_which_includes_newline(line).ok()?;
    }
    Some(gen.finalize())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn info_strings() {
        assert_eq!(Info::parse("rust,ignore").lang, "rust");
        assert_eq!(Info::parse("rust ignore").attrs, ["ignore"]);
        assert_eq!(Info::parse("{.python}").lang, "python");
        assert_eq!(Info::parse("").lang, "");
        assert_eq!(Info::parse("Rust,should_panic").lang, "rust");
    }

    #[test]
    fn hidden_lines() {
        let info = Info::parse("rust");
        let code = "# use std::fs;\n#\nfn main() {\n    ## not hidden\n    #[derive(Debug)]\n}\n";
        assert_eq!(
            strip_hidden(code, &info),
            "fn main() {\n    # not hidden\n    #[derive(Debug)]\n}\n"
        );
        // Other languages keep their `#` lines (comments in shell, Python).
        assert_eq!(strip_hidden("# c\nx\n", &Info::parse("sh")), "# c\nx\n");
        assert_eq!(
            strip_hidden("%x\ny\n", &Info::parse("python hidelines=%")),
            "y\n"
        );
    }

    #[test]
    fn highlights_known_languages_only() {
        let h = code_block("fn main() {}\n", &Info::parse("rust,ignore"));
        assert!(h.starts_with("<pre><code class=\"language-rust\">"), "{h}");
        assert!(h.contains("<span class=\"hl-"), "{h}");
        let h = code_block("a < b\n", &Info::parse("nosuchlang"));
        assert_eq!(
            h,
            "<pre><code class=\"language-nosuchlang\">a &lt; b\n</code></pre>\n"
        );
        let h = code_block("<b>\n", &Info::default());
        assert_eq!(h, "<pre><code>&lt;b&gt;\n</code></pre>\n");
    }

    #[test]
    fn a_block_over_the_limit_is_shown_plain() {
        let line = "let x = \"<a>\"; // 0123456789abcdef0123456789abcdef0123456789\n";
        let code = line.repeat(HIGHLIGHT_LIMIT / line.len() + 1);
        assert!(too_large(code.len()));
        let started = std::time::Instant::now();
        let h = code_block(&code, &Info::parse("rust"));
        assert!(started.elapsed() < std::time::Duration::from_secs(10));
        assert_eq!(
            h,
            format!(
                "<pre><code class=\"language-rust\">{}</code></pre>\n",
                crate::html::escape(&code)
            )
        );
        // Hidden lines are still hidden.
        let h = code_block(&format!("# use x;\n{code}"), &Info::parse("rust"));
        assert!(!h.contains("use x;"));
        assert!(!too_large(HIGHLIGHT_LIMIT));
    }
}
