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

/// Decodes the entities HTML writers use: named `&amp; &lt; &gt; &quot;
/// &apos; &nbsp;` and numeric ones. The one entity decoder of kenshu:
/// search text, heading ids and link targets of raw HTML, and the slide
/// text whose width is estimated for fit.
pub fn decode_entities(s: &str) -> String {
    if !s.contains('&') {
        return s.to_string();
    }
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(amp) = rest.find('&') {
        out.push_str(&rest[..amp]);
        rest = &rest[amp..];
        let semi = rest.find(';').filter(|&i| i <= 10);
        let decoded = semi.and_then(|i| {
            let name = &rest[1..i];
            let c = match name {
                "amp" => Some('&'),
                "lt" => Some('<'),
                "gt" => Some('>'),
                "quot" => Some('"'),
                "apos" => Some('\''),
                "nbsp" => Some(' '),
                _ => {
                    let num = name.strip_prefix('#')?;
                    let code = match num.strip_prefix(['x', 'X']) {
                        Some(hex) => u32::from_str_radix(hex, 16).ok()?,
                        None => num.parse().ok()?,
                    };
                    char::from_u32(code)
                }
            }?;
            Some((c, i + 1))
        });
        match decoded {
            Some((c, len)) => {
                out.push(c);
                rest = &rest[len..];
            }
            None => {
                out.push('&');
                rest = &rest[1..];
            }
        }
    }
    out.push_str(rest);
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
    fn decodes_what_escape_writes_and_numeric_entities() {
        let s = "a<b>&\"c'連携 &bogus; & &#x41;&#66;&nbsp;";
        assert_eq!(super::decode_entities(&super::escape(s)), s);
        assert_eq!(super::decode_entities("&#x41;&#66;&nbsp;x"), "AB x");
    }

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
