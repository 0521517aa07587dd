//! The HTTP rules of `kenshu serve` that are kenshu's own: which URL
//! paths may be served, their content types, and which `Host` names count
//! as this machine. Requests are read and answered by hyper (see
//! `accept.rs`), with the limits below.

use std::time::Duration;

use percent_encoding::{utf8_percent_encode, AsciiSet, NON_ALPHANUMERIC};

/// Largest request head (request line + headers) accepted; a larger one
/// is answered 431.
pub const MAX_HEAD: usize = 16 * 1024;
/// Time a client gets to send its whole request head; a slower one is cut
/// off without an answer.
pub const HEAD_DEADLINE: Duration = Duration::from_secs(10);
/// A write to a client that makes no progress for this long fails, and
/// the connection is dropped (a client that stopped reading).
pub const WRITE_STALL: Duration = Duration::from_secs(5);

/// Why a URL path was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PathError {
    /// Not a path at all (bad percent-encoding, not UTF-8, not absolute).
    Malformed,
    /// Tries to leave the output (`..`, backslashes, NUL, drive letters).
    Forbidden,
}

/// Turns a request target into a clean relative path (`a/b.html`, or ""
/// for the root), refusing anything that could leave the output folder.
/// A trailing `/` is kept so the caller can map it to `index.html`.
pub fn clean_path(target: &str) -> Result<String, PathError> {
    let path = target.split(['?', '#']).next().unwrap_or("");
    let rest = path.strip_prefix('/').ok_or(PathError::Malformed)?;
    if rest.contains('\\') {
        return Err(PathError::Forbidden);
    }
    let decoded = percent_decode(rest).ok_or(PathError::Malformed)?;
    if decoded.contains('\\') || decoded.contains('\0') || decoded.chars().any(char::is_control) {
        return Err(PathError::Forbidden);
    }
    let trailing = decoded.ends_with('/');
    let mut segments = Vec::new();
    for seg in decoded.split('/') {
        match seg {
            "" | "." => {}
            ".." => return Err(PathError::Forbidden),
            // A drive letter (`C:`) anywhere, and on Windows any `:` (NTFS
            // streams); elsewhere `:` is an ordinary character of a page
            // name (`note:intro.md` is served as `note%3Aintro.html`).
            s if s.contains(':') && (cfg!(windows) || is_drive(s)) => {
                return Err(PathError::Forbidden)
            }
            s => segments.push(s),
        }
    }
    let mut out = segments.join("/");
    if trailing && !out.is_empty() {
        out.push('/');
    }
    Ok(out)
}

/// `C:`, `c:x`: a segment that starts like a Windows drive.
fn is_drive(segment: &str) -> bool {
    let b = segment.as_bytes();
    b.len() >= 2 && b[0].is_ascii_alphabetic() && b[1] == b':'
}

pub use crate::html::percent_decode;

/// What a `Location` path keeps as it is: letters, digits and `/-._~`.
const LOCATION: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'/')
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~');

/// Percent-encodes a clean relative path for a `Location` header (`/` kept).
pub fn percent_encode_path(path: &str) -> String {
    utf8_percent_encode(path, LOCATION).to_string()
}

/// The `Content-Type` for a file name.
pub fn content_type(path: &str) -> &'static str {
    let ext = path
        .rsplit_once('.')
        .map(|(_, e)| e.to_ascii_lowercase())
        .unwrap_or_default();
    match ext.as_str() {
        "html" | "htm" => "text/html; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "js" | "mjs" => "text/javascript; charset=utf-8",
        "json" | "map" => "application/json",
        "wasm" => "application/wasm",
        "svg" => "image/svg+xml",
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        "gif" => "image/gif",
        "webp" => "image/webp",
        "avif" => "image/avif",
        "ico" => "image/x-icon",
        "woff" => "font/woff",
        "woff2" => "font/woff2",
        "ttf" => "font/ttf",
        "otf" => "font/otf",
        "txt" | "md" | "toml" => "text/plain; charset=utf-8",
        "csv" => "text/csv; charset=utf-8",
        "xml" => "application/xml",
        "pdf" => "application/pdf",
        "mp4" => "video/mp4",
        "webm" => "video/webm",
        "mp3" => "audio/mpeg",
        "ogg" => "audio/ogg",
        "wav" => "audio/wav",
        "zip" => "application/zip",
        _ => "application/octet-stream",
    }
}

/// True when a `Host` header names this machine's loopback interface.
pub fn is_loopback_host(host: &str) -> bool {
    let name = if let Some(rest) = host.strip_prefix('[') {
        // [::1]:port
        rest.split(']').next().unwrap_or("")
    } else {
        host.rsplit_once(':').map_or(host, |(h, p)| {
            if p.bytes().all(|b| b.is_ascii_digit()) {
                h
            } else {
                host
            }
        })
    };
    let name = name.trim_end_matches('.').to_ascii_lowercase();
    name == "localhost"
        || name.ends_with(".localhost")
        || name
            .parse::<std::net::IpAddr>()
            .is_ok_and(|ip| ip.is_loopback())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn clean_paths() {
        assert_eq!(clean_path("/").as_deref(), Ok(""));
        assert_eq!(
            clean_path("/lectures/a.html?x=1#y").as_deref(),
            Ok("lectures/a.html")
        );
        assert_eq!(clean_path("/lectures/").as_deref(), Ok("lectures/"));
        assert_eq!(clean_path("/./a//b").as_deref(), Ok("a/b"));
        assert_eq!(
            clean_path("/%E7%94%A8%E8%AA%9E.html").as_deref(),
            Ok("用語.html")
        );
        for bad in [
            "/../etc/passwd",
            "/a/../../x",
            "/%2e%2e/x",
            "/%2E%2E%2Fx",
            "/a%2f..%2f..%2fx",
            "/..%5cx",
            "/a\\..\\x",
            "/%00",
            "/C:/x",
            "/a/c:x",
        ] {
            assert_eq!(clean_path(bad), Err(PathError::Forbidden), "{bad}");
        }
        // A page named with a colon (its URL encodes it) is served.
        #[cfg(not(windows))]
        assert_eq!(
            clean_path("/note%3Aintro.html").as_deref(),
            Ok("note:intro.html")
        );
        for bad in ["x", "/%zz", "/%e7%94", "*"] {
            assert_eq!(clean_path(bad), Err(PathError::Malformed), "{bad}");
        }
    }

    #[test]
    fn loopback_hosts() {
        for h in [
            "localhost",
            "localhost:80",
            "127.0.0.1:9",
            "[::1]:3",
            "LOCALHOST.",
        ] {
            assert!(is_loopback_host(h), "{h}");
        }
        for h in [
            "evil.example",
            "evil.example:80",
            "10.0.0.1:80",
            "127.0.0.1.nip.io",
        ] {
            assert!(!is_loopback_host(h), "{h}");
        }
    }

    #[test]
    fn encodes_locations() {
        assert_eq!(percent_encode_path("a/b c"), "a/b%20c");
        assert_eq!(percent_encode_path("用語"), "%E7%94%A8%E8%AA%9E");
        assert_eq!(
            percent_decode(&percent_encode_path("講義/x?y")).as_deref(),
            Some("講義/x?y")
        );
    }

    #[test]
    fn types() {
        assert_eq!(content_type("x/a.wasm"), "application/wasm");
        assert_eq!(content_type("a.HTML"), "text/html; charset=utf-8");
        assert_eq!(content_type("noext"), "application/octet-stream");
    }
}
