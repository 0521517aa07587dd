//! Syntax highlighting of code blocks at build time: `<span>`s with class
//! names (`hl-keyword`, `hl-string`, …) styled by the theme's `site.css`
//! in light and dark, so pages need no script for it.
//!
//! The grammars are bat's set (syntect's default set plus TOML, TypeScript,
//! TSX, Dockerfile, nginx, INI and more, from the `two-face` crate), loaded
//! once on first use; a language it does not know is written as plain text
//! and `load` warns about it once per language ([`is_known`]).

use std::borrow::Cow;
use std::sync::OnceLock;

use syntect::html::{ClassStyle, ClassedHTMLGenerator};
use syntect::parsing::SyntaxSet;
use syntect::util::LinesWithEndings;

/// The prefix of every class name the highlighter writes.
const CLASS_STYLE: ClassStyle = ClassStyle::SpacedPrefixed { prefix: "hl-" };

fn syntaxes() -> &'static SyntaxSet {
    static SET: OnceLock<SyntaxSet> = OnceLock::new();
    SET.get_or_init(two_face::syntax::extra_newlines)
}

/// The name a fence uses for a language → the token the grammar set knows
/// it by, for names the set does not know itself.
fn alias(lang: &str) -> &str {
    match lang {
        "shell" | "shellscript" | "sh" | "zsh" | "ksh" => "bash",
        "ts" | "mts" | "cts" => "typescript",
        "tsx" => "tsx",
        "docker" | "containerfile" => "dockerfile",
        "yml" => "yaml",
        "golang" => "go",
        "patch" => "diff",
        "conf" | "cfg" | "properties" | "dosini" => "ini",
        "vue" | "svelte" => "html",
        "jsonc" | "json5" => "json",
        "py" | "python3" => "python",
        "rb" => "ruby",
        "ps1" | "pwsh" => "powershell",
        "mysql" | "postgresql" | "postgres" | "psql" | "plsql" => "sql",
        other => other,
    }
}

/// Languages shown plain on purpose (no warning).
fn is_plain(lang: &str) -> bool {
    matches!(
        lang,
        "" | "text" | "plain" | "plaintext" | "txt" | "output" | "log" | "none" | "nohighlight"
    )
}

/// A terminal session (`$ command` lines and their output).
fn is_session(lang: &str) -> bool {
    matches!(
        lang,
        "console" | "shell-session" | "shellsession" | "sh-session" | "terminal"
    )
}

/// The language a fenced code block names, from its source as written
/// (its opening fence line, after any `>` or list indent): None for an
/// indented block or a fence without a language.
pub fn fence_lang(block: &str) -> Option<String> {
    let first = block.lines().next()?;
    let line = first.trim_start_matches(|c: char| c == '>' || c.is_whitespace());
    let fence = line.chars().next().filter(|c| *c == '`' || *c == '~')?;
    let info = line.trim_start_matches(fence);
    (line.len() - info.len() >= 3)
        .then(|| Info::parse(info).lang)
        .filter(|l| !l.is_empty())
}

/// Whether code in `lang` (as a fence names it) is highlighted or shown
/// plain on purpose; false for a language kenshu has no grammar for.
pub fn is_known(lang: &str) -> bool {
    is_plain(lang) || is_session(lang) || syntaxes().find_syntax_by_token(alias(lang)).is_some()
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
        // VuePress's and Docusaurus's line marks: `python{2-10}`,
        // `js {1,3-4}`: read as the `{…}` attribute, never the language.
        let (info, marks) = match info.find('{') {
            Some(i) if i > 0 && info[i..].contains('}') => {
                let end = i + info[i..].find('}').unwrap_or(0);
                let marks = info[i + 1..end].to_string();
                (format!("{} {}", &info[..i], &info[end + 1..]), Some(marks))
            }
            _ => (info.to_string(), None),
        };
        let mut info = Info::parse_words(&info);
        if let Some(m) = marks.filter(|m| !m.trim().is_empty()) {
            info.attrs.push(format!("{{{m}}}"));
        }
        info
    }

    fn parse_words(info: &str) -> Info {
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

    /// The lines marked for emphasis (`{2-10}`, `{1,3-4}`), 1-based.
    fn marked_lines(&self) -> Vec<(usize, usize)> {
        let Some(marks) = self
            .attrs
            .iter()
            .find_map(|a| a.strip_prefix('{').and_then(|a| a.strip_suffix('}')))
        else {
            return Vec::new();
        };
        marks
            .split(',')
            .filter_map(|part| {
                let part = part.trim();
                let (a, b) = part.split_once('-').unwrap_or((part, part));
                let (a, b) = (a.trim().parse().ok()?, b.trim().parse().ok()?);
                (a >= 1 && a <= b).then_some((a, b))
            })
            .collect()
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
    } else if is_session(&info.lang) {
        Some(session(&code))
    } else {
        highlight(&code, alias(&info.lang))
    };
    let inner = highlighted.unwrap_or_else(|| crate::html::escape(&code));
    let marks = info.marked_lines();
    let inner = if marks.is_empty() || plain {
        inner
    } else {
        mark_lines(&inner, &marks)
    };
    // One string of the exact size (format! grows it from a guess, which
    // copies a large block several times).
    let (open, close) = ("<pre><code", "</code></pre>\n");
    let mut html = String::with_capacity(open.len() + class.len() + 1 + inner.len() + close.len());
    for piece in [open, &class, ">", &inner, close] {
        html.push_str(piece);
    }
    html
}

/// Wraps the marked lines of highlighted (or escaped) HTML in
/// `<span class="code-mark">`. A grammar's spans may run over several lines
/// (a comment, a string): around a marked line the spans open at its start
/// are closed and opened again inside the wrapper, so the markup stays
/// nested.
fn mark_lines(html: &str, marks: &[(usize, usize)]) -> String {
    let mut out = String::with_capacity(html.len() + 32 * marks.len());
    // The opening tags of the spans open at this point.
    let mut open: Vec<&str> = Vec::new();
    let close_all = |out: &mut String, n: usize| {
        for _ in 0..n {
            out.push_str("</span>");
        }
    };
    for (i, line) in html.split_inclusive('\n').enumerate() {
        let marked = marks.iter().any(|&(a, b)| (a..=b).contains(&(i + 1)));
        let (body, nl) = match line.strip_suffix('\n') {
            Some(b) => (b, "\n"),
            None => (line, ""),
        };
        if marked {
            close_all(&mut out, open.len());
            out.push_str("<span class=\"code-mark\">");
            out.extend(open.iter().copied());
        }
        out.push_str(body);
        // Follow the spans of this line.
        let mut rest = body;
        while let Some(at) = rest.find('<') {
            rest = &rest[at..];
            let end = rest.find('>').map_or(rest.len(), |e| e + 1);
            let tag = &rest[..end];
            if tag.starts_with("</") {
                open.pop();
            } else if tag.starts_with("<span") {
                open.push(tag);
            }
            rest = &rest[end..];
        }
        if marked {
            close_all(&mut out, open.len());
            out.push_str("</span>");
            out.extend(open.iter().copied());
        }
        out.push_str(nl);
    }
    out
}

/// A terminal session: the commands after `$ ` or `% ` are highlighted as
/// shell, the prompt and the output are plain.
fn session(code: &str) -> String {
    let mut out = String::with_capacity(code.len() * 2);
    for line in LinesWithEndings::from(code) {
        let prompt = ["$ ", "% ", "> "].iter().find(|p| line.starts_with(**p));
        match prompt.and_then(|p| Some((p, highlight(&line[p.len()..], "bash")?))) {
            Some((p, cmd)) => {
                out.push_str(&crate::html::escape(p));
                out.push_str(&cmd);
            }
            None => out.push_str(&crate::html::escape(line)),
        }
    }
    out
}

/// Highlighted HTML of `code`, or None for a language without a grammar
/// (or a grammar that fails on this input).
fn highlight(code: &str, lang: &str) -> Option<String> {
    if is_plain(lang) {
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
    fn languages_training_repositories_use_are_highlighted() {
        for lang in [
            "shell",
            "sh",
            "bash",
            "toml",
            "ts",
            "tsx",
            "typescript",
            "nginx",
            "ini",
            "dockerfile",
            "yaml",
            "yml",
            "sql",
            "go",
            "diff",
            "python",
            "json",
        ] {
            assert!(is_known(lang), "{lang}");
            let h = code_block("a = \"b\" # c\n", &Info::parse(lang));
            assert!(h.contains("<span class=\"hl-"), "{lang}: {h}");
        }
        assert!(is_known("console") && is_known("text") && !is_known("nosuchlang"));
        let h = code_block("$ ls -la\nfile.txt\n", &Info::parse("console"));
        assert!(h.contains(">$ <span class=\"hl-"), "{h}");
        assert!(h.contains("file.txt\n</code>"), "{h}");
    }

    #[test]
    fn line_marks_are_not_part_of_the_language() {
        let info = Info::parse("python{2-3}");
        assert_eq!(info.lang, "python");
        assert_eq!(info.marked_lines(), [(2, 3)]);
        assert_eq!(Info::parse("js {1,4-5}").marked_lines(), [(1, 1), (4, 5)]);
        let code = "a = 1\nb = \"\"\"x\ny\"\"\"\nc = 3\n";
        let h = code_block(code, &Info::parse("python{2-3}"));
        assert!(
            h.starts_with("<pre><code class=\"language-python\">"),
            "{h}"
        );
        assert_eq!(h.matches("<span class=\"code-mark\">").count(), 2, "{h}");
        // Every span is closed where it was opened.
        assert_eq!(
            h.matches("<span").count(),
            h.matches("</span>").count(),
            "{h}"
        );
        // Plain text takes marks too.
        let h = code_block("a\nb\n", &Info::parse("text{2}"));
        assert!(h.contains("a\n<span class=\"code-mark\">b</span>\n"), "{h}");
    }

    #[test]
    fn a_line_comment_does_not_look_marked() {
        // The class a marked line is wrapped in…
        let marked = code_block("a\n", &Info::parse("text{1}"));
        let mark = marked
            .split("<span class=\"")
            .nth(1)
            .and_then(|c| c.split('"').next())
            .unwrap_or_default()
            .to_string();
        assert!(!mark.is_empty(), "{marked}");
        // …is no class a grammar gives: comments are `comment.line.*`
        // (`hl-comment hl-line …`), and with the same class every comment
        // was shown as a marked line.
        for (code, lang) in [("# c\nx = 1\n", "python"), ("// c\nlet x = 1;\n", "rust")] {
            let h = code_block(code, &Info::parse(lang));
            assert!(h.contains(" hl-line "), "{h}");
            let classes = h
                .split("class=\"")
                .skip(1)
                .filter_map(|c| c.split('"').next());
            for c in classes {
                assert!(c.split(' ').all(|w| w != mark), "{mark} in {h}");
            }
        }
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
