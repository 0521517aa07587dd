//! Exercise files (`*.toml` in `content/`) and the `{{#exercise ID}}`
//! directive. Validation uses the shared `kenshu-exercises` model.

use crate::diagnostic::Diagnostic;
use crate::markdown::Directive;

/// A source file handed to the exercise loader.
#[derive(Debug, Clone)]
pub struct SourceFile {
    /// Path shown in messages (relative to the site).
    pub display: std::path::PathBuf,
    /// Path relative to `content/`, `/`-separated.
    pub rel: String,
    pub text: String,
}

/// All exercises of the site.
#[derive(Debug, Clone, Default)]
pub struct ExerciseSet {}

impl ExerciseSet {
    /// Loads and validates every exercise file.
    pub fn load(files: &[SourceFile]) -> (ExerciseSet, Vec<Diagnostic>) {
        let errors = files
            .iter()
            .map(|f| {
                Diagnostic::file(&f.display, "exercise files are not supported yet")
                    .with_hint("remove the file")
            })
            .collect();
        (ExerciseSet {}, errors)
    }

    /// Checks a directive; returns (message, hint) when it is wrong.
    pub fn check_directive(&self, d: &Directive) -> Option<(String, String)> {
        Some((
            format!("unknown directive `{{{{#{} {}}}}}`", d.name, d.arg),
            "write `{{#exercise ID}}` with the id of an exercise file".to_string(),
        ))
    }
}
