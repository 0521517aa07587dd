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
        Self::at_line_column(file, (0, 0), message)
    }

    /// A problem at a 1-based (line, column), without a hint.
    fn at_line_column(
        file: impl Into<PathBuf>,
        (line, column): (usize, usize),
        message: impl Into<String>,
    ) -> Self {
        Diagnostic {
            file: file.into(),
            line,
            column,
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
        Self::at_line_column(file, line_col(source, offset), message)
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
/// Offsets past the end or inside a character are clamped. This scans the
/// source up to `offset`: for more than one position in a file use a
/// [`LineIndex`].
pub fn line_col(source: &str, offset: usize) -> (usize, usize) {
    let offset = clamp(source, offset);
    let before = &source[..offset];
    let line = before.matches('\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    let column = source[line_start..offset].chars().count() + 1;
    (line, column)
}

/// `offset` within `source` and on a character boundary.
fn clamp(source: &str, offset: usize) -> usize {
    let mut offset = offset.min(source.len());
    while !source.is_char_boundary(offset) {
        offset -= 1;
    }
    offset
}

/// Positions in one file: where each line starts, found in one pass on
/// first use, so each diagnostic's line is a binary search instead of a
/// scan of the file (20,000 broken links in a page took 4.7 s that way).
/// Columns are counted from the start of the line, or from the previous
/// position asked for when it is earlier on the same line, so positions
/// asked for in order along a long line cost its length once.
pub struct LineIndex<'a> {
    source: &'a str,
    starts: std::cell::OnceCell<Vec<usize>>,
    /// The last position computed: (byte offset, column).
    last: std::cell::Cell<(usize, usize)>,
}

impl<'a> LineIndex<'a> {
    /// An index of `source`; nothing is computed until a position is asked for.
    pub fn new(source: &'a str) -> Self {
        LineIndex {
            source,
            starts: std::cell::OnceCell::new(),
            last: std::cell::Cell::new((0, 1)),
        }
    }

    /// What [`line_col`] gives for `offset`.
    pub fn line_col(&self, offset: usize) -> (usize, usize) {
        let source = self.source;
        let offset = clamp(source, offset);
        let starts = self.starts.get_or_init(|| {
            std::iter::once(0)
                .chain(source.match_indices('\n').map(|(i, _)| i + 1))
                .collect()
        });
        // The number of lines starting at or before `offset` (line 1 starts at 0).
        let line = starts.partition_point(|&s| s <= offset);
        let line_start = starts[line - 1];
        let (last, last_column) = self.last.get();
        let column = if (line_start..=offset).contains(&last) {
            last_column + source[last..offset].chars().count()
        } else {
            source[line_start..offset].chars().count() + 1
        };
        self.last.set((offset, column));
        (line, column)
    }

    /// [`Diagnostic::at`] with a position from this index.
    pub fn at(
        &self,
        file: impl Into<PathBuf>,
        offset: usize,
        message: impl Into<String>,
    ) -> Diagnostic {
        Diagnostic::at_line_column(file, self.line_col(offset), message)
    }
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
    fn a_line_index_gives_what_line_col_gives() {
        let src = "一行目\n\n二行目のリンク\r\nend\n";
        let index = LineIndex::new(src);
        // In order, backwards, inside a character, past the end.
        let offsets: Vec<usize> = (0..src.len() + 3).chain((0..src.len() + 3).rev()).collect();
        for offset in offsets {
            assert_eq!(index.line_col(offset), line_col(src, offset), "at {offset}");
        }
        assert_eq!(LineIndex::new("").line_col(5), (1, 1));
        let d = index.at("a.md", 5, "x");
        assert_eq!(d, Diagnostic::at("a.md", src, 5, "x"));
    }

    #[test]
    fn many_positions_in_a_large_file_cost_one_pass() {
        // 20,000 positions spread over 20,000 lines and 20,000 along one
        // long line: scanning from the start for each (the old way) reads
        // about 4 × 10^9 bytes in each case, minutes in a debug build.
        let n = 20_000;
        let lines = "[リンク](missing.md)\n".repeat(n);
        let long = "[リンク](missing.md) ".repeat(n);
        for (src, step) in [(&lines, lines.len() / n), (&long, long.len() / n)] {
            let started = std::time::Instant::now();
            let index = LineIndex::new(src);
            let last = (0..n).map(|i| index.line_col(i * step)).last();
            let took = started.elapsed();
            assert_eq!(last, Some(line_col(src, (n - 1) * step)));
            assert!(
                took < std::time::Duration::from_secs(10),
                "{n} positions took {took:?}"
            );
        }
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
