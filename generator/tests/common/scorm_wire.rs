//! suspend_data as an LMS stores it, for the tests that play one: included
//! with `#[path]` by generator/src/report/tests.rs and
//! tests/report_driven.rs.

/// `json` as generator/src/package/scorm.js's `wire` writes it: `%`, `~`,
/// `\`, `'`, `<`, `>`, `&` percent-encoded, then every `"` as `~`.
pub fn wire(json: &str) -> String {
    let mut out = String::new();
    for c in json.chars() {
        match c {
            '%' | '~' | '\\' | '\'' | '<' | '>' | '&' => {
                out.push_str(&format!("%{:02X}", c as u32))
            }
            '"' => out.push('~'),
            c => out.push(c),
        }
    }
    out
}
