//! Syntax highlighting of code blocks at build time: `<span>`s with class
//! names (`hl-keyword`, `hl-string`, …) styled by the theme's `site.css`
//! in light and dark, so pages need no script for it.
//!
//! The grammars are syntect's default set (Sublime Text's), loaded once on
//! first use; a language it does not know is written as plain text.

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
/// at the start of a line stands for a visible `#`).
pub fn strip_hidden(code: &str, info: &Info) -> String {
    let Some(prefix) = info.hidden_prefix() else {
        return code.to_string();
    };
    let mut out = String::with_capacity(code.len());
    for line in LinesWithEndings::from(code) {
        let trimmed = line.trim_start();
        let indent = &line[..line.len() - trimmed.len()];
        let content = trimmed.trim_end_matches(['\n', '\r']);
        if prefix == "#" {
            if let Some(rest) = trimmed.strip_prefix("##") {
                out.push_str(indent);
                out.push('#');
                out.push_str(rest);
                continue;
            }
            if content == "#" || trimmed.starts_with("# ") {
                continue;
            }
        } else if trimmed.starts_with(prefix.as_str()) {
            continue;
        }
        out.push_str(line);
    }
    out
}

/// A fenced or indented code block as HTML: `<pre><code
/// class="language-x">` with highlighted spans when the language is known.
pub fn code_block(code: &str, info: &Info) -> String {
    let code = strip_hidden(code, info);
    let class = if info.lang.is_empty() {
        String::new()
    } else {
        format!(" class=\"language-{}\"", crate::html::escape(&info.lang))
    };
    let inner = highlight(&code, &info.lang).unwrap_or_else(|| crate::html::escape(&code));
    format!("<pre><code{class}>{inner}</code></pre>\n")
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
}
