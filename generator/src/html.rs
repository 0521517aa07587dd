//! The one HTML escaper of kenshu: for element content and double- or
//! single-quoted attribute values alike (`&`, `<`, `>`, `"`, `'`).

/// Escapes `s` for HTML text or a quoted attribute value.
pub fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 8);
    // Runs without a special character are copied whole (the special ones
    // are ASCII, so every cut is at a character boundary).
    let mut from = 0;
    for (i, b) in s.bytes().enumerate() {
        let entity = match b {
            b'&' => "&amp;",
            b'"' => "&quot;",
            b'<' => "&lt;",
            b'>' => "&gt;",
            b'\'' => "&#39;",
            _ => continue,
        };
        out.push_str(&s[from..i]);
        out.push_str(entity);
        from = i + 1;
    }
    out.push_str(&s[from..]);
    out
}

/// JSON (serde_json's output) made safe inside any `<script>` element, such
/// as `<script type="application/json">`: every `<` is written `\u003c`
/// (it can only occur inside a JSON string, where the escape means the
/// same), so no `</script>`, `<!--` or `<script` in a title or a text can
/// end the element or switch the HTML parser into a state that swallows
/// what follows. U+2028 and U+2029 are escaped too, for classic scripts.
/// The one escaper of JSON in HTML: exercise pages and the SCORM launch
/// page use it alike.
pub fn script_json(json: &str) -> String {
    if !json.contains(['<', '\u{2028}', '\u{2029}']) {
        return json.to_string();
    }
    let mut out = String::with_capacity(json.len() + 16);
    for c in json.chars() {
        match c {
            '<' => out.push_str("\\u003c"),
            '\u{2028}' => out.push_str("\\u2028"),
            '\u{2029}' => out.push_str("\\u2029"),
            c => out.push(c),
        }
    }
    out
}

/// Decodes `%XX` escapes; None when an escape is malformed or the result
/// is not UTF-8.
pub fn percent_decode(s: &str) -> Option<String> {
    // percent-encoding keeps a malformed escape (`%zz`, a `%` at the end)
    // as it is; here it makes the whole text malformed.
    let hex = |after: &str| {
        after
            .as_bytes()
            .get(..2)
            .is_some_and(|h| h.iter().all(u8::is_ascii_hexdigit))
    };
    if !s.split('%').skip(1).all(hex) {
        return None;
    }
    let decoded = percent_encoding::percent_decode_str(s).decode_utf8().ok()?;
    Some(decoded.into_owned())
}

#[cfg(test)]
mod tests {
    #[test]
    fn escapes_the_five_characters() {
        assert_eq!(super::escape("a<b>&\"c'"), "a&lt;b&gt;&amp;&quot;c&#39;");
        assert_eq!(super::escape("連携&協働'"), "連携&amp;協働&#39;");
        assert_eq!(super::escape("<"), "&lt;");
        assert_eq!(super::escape("見出し"), "見出し");
        assert_eq!(super::escape(""), "");
    }

    #[test]
    fn json_in_a_script_has_no_markup() {
        let json = serde_json::json!({"t": "<!--<script></script>\u{2028}"}).to_string();
        let safe = super::script_json(&json);
        assert!(!safe.contains('<'), "{safe}");
        let back: serde_json::Value = serde_json::from_str(&safe).unwrap();
        assert_eq!(back["t"], "<!--<script></script>\u{2028}");
    }
}
