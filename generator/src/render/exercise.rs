//! Exercises in pages: the `{{#exercise ID}}` host element, the scripts a
//! page with exercises loads, and the WASM bundle files.

use crate::markdown::Directive;
use crate::model::{Page, Site};

use super::OutputFile;

/// HTML for a directive (validated in load, so it is known to be valid).
pub fn directive_html(_site: &Site, _page: &Page, _d: &Directive) -> String {
    String::new()
}

/// Extra `<head>` content for a page.
pub fn head_html(_site: &Site, _page: &Page) -> String {
    String::new()
}

/// Extra content before `</body>` (scripts) for a page.
pub fn body_end_html(_site: &Site, _page: &Page) -> String {
    String::new()
}

/// Files the exercises need in the output (the WASM bundle).
pub fn extra_files(_site: &Site) -> Vec<OutputFile> {
    Vec::new()
}
