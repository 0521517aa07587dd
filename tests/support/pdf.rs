//! Reading the PDFs the browser prints.

/// Counts the page objects of a PDF (`/Type /Page`, not `/Type /Pages`).
pub fn pdf_pages(pdf: &[u8]) -> usize {
    let text = String::from_utf8_lossy(pdf);
    let mut n = 0;
    for pat in ["/Type /Page", "/Type/Page"] {
        let mut from = 0;
        while let Some(i) = text[from..].find(pat) {
            let at = from + i + pat.len();
            if !text[at..].starts_with('s') {
                n += 1;
            }
            from = at;
        }
    }
    n
}
