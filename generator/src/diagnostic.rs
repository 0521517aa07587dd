//! Errors users can act on: `file:line:column: error: what` plus a hint.
//!
//! Every stage collects `Diagnostic`s instead of stopping at the first
//! problem, so one run reports everything.

use std::fmt;
use std::path::{Path, PathBuf};

/// One problem in the user's input, with its location and a hint to fix it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    /// The file, as given to the user (relative to the site when possible).
    pub file: PathBuf,
    /// 1-based line; 0 when the problem concerns the whole file.
    pub line: usize,
    /// 1-based column in characters; 0 when unknown.
    pub column: usize,
    pub message: String,
    pub hint: Option<String>,
}

impl Diagnostic {
    /// A problem about a whole file (no position).
    pub fn file(file: impl Into<PathBuf>, message: impl Into<String>) -> Self {
        Diagnostic {
            file: file.into(),
            line: 0,
            column: 0,
            message: message.into(),
            hint: None,
        }
    }

    /// A problem at a byte offset of `source`.
    pub fn at(
        file: impl Into<PathBuf>,
        source: &str,
        offset: usize,
        message: impl Into<String>,
    ) -> Self {
        let (line, column) = line_col(source, offset);
        Diagnostic {
            file: file.into(),
            line,
            column,
            message: message.into(),
            hint: None,
        }
    }

    pub fn with_hint(mut self, hint: impl Into<String>) -> Self {
        self.hint = Some(hint.into());
        self
    }

    /// Sort key that orders diagnostics by file, then position.
    pub fn sort_key(&self) -> (PathBuf, usize, usize, String) {
        (
            self.file.clone(),
            self.line,
            self.column,
            self.message.clone(),
        )
    }
}

impl Diagnostic {
    /// The same text as `Display`, labelled a warning instead of an error.
    pub fn as_warning(&self) -> String {
        let mut s = String::new();
        let _ = self.write_as(&mut s, "warning");
        s
    }

    fn write_as(&self, f: &mut impl fmt::Write, level: &str) -> fmt::Result {
        write!(f, "{}", self.file.display())?;
        if self.line > 0 {
            write!(f, ":{}", self.line)?;
            if self.column > 0 {
                write!(f, ":{}", self.column)?;
            }
        }
        write!(f, ": {level}: {}", self.message)?;
        if let Some(hint) = &self.hint {
            write!(f, "\n  hint: {hint}")?;
        }
        Ok(())
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.write_as(f, "error")
    }
}

/// 1-based (line, column) of a byte offset; the column counts characters.
/// Offsets past the end or inside a character are clamped.
pub fn line_col(source: &str, offset: usize) -> (usize, usize) {
    let mut offset = offset.min(source.len());
    while !source.is_char_boundary(offset) {
        offset -= 1;
    }
    let before = &source[..offset];
    let line = before.matches('\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    let column = source[line_start..offset].chars().count() + 1;
    (line, column)
}

/// The path to show for `path`: relative to `base` when inside it.
pub fn display_path(base: &Path, path: &Path) -> PathBuf {
    path.strip_prefix(base)
        .map(Path::to_path_buf)
        .unwrap_or_else(|_| path.to_path_buf())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_and_column_count_characters() {
        let src = "一行目\n二行目のリンク";
        let off = src.find("リンク").unwrap();
        assert_eq!(line_col(src, off), (2, 5));
        assert_eq!(line_col(src, 0), (1, 1));
        assert_eq!(line_col(src, 10_000), (2, 8));
    }

    #[test]
    fn display_has_position_and_hint() {
        let d = Diagnostic::at("content/a.md", "x\nyz", 3, "broken link").with_hint("fix it");
        assert_eq!(
            d.to_string(),
            "content/a.md:2:2: error: broken link\n  hint: fix it"
        );
    }
}
