//! A small, defensive HTTP/1.1 layer on `std::net`: request parsing with
//! size and time limits, URL path sanitising, content types and responses.
//!
//! Only `GET` and `HEAD` are served; every response closes the connection
//! (`Connection: close`), so an idle browser never holds a worker thread.

use std::io::Write;
use std::net::TcpStream;
use std::time::Duration;

use percent_encoding::{utf8_percent_encode, AsciiSet, NON_ALPHANUMERIC};

/// Largest request head (request line + headers) accepted.
pub const MAX_HEAD: usize = 16 * 1024;
/// Time a client gets to send its whole request head.
pub const HEAD_DEADLINE: Duration = Duration::from_secs(10);
/// Timeout of a single read or write on a connection.
pub const IO_TIMEOUT: Duration = Duration::from_secs(5);

/// A parsed request head.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Request {
    pub method: String,
    /// The request target as sent (path and query).
    pub target: String,
    pub host: Option<String>,
}

/// Why a request could not be read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ReadError {
    /// The client closed the connection or timed out: nothing to answer.
    Gone,
    /// The request is malformed: answer 400.
    Bad(&'static str),
    /// The head is larger than [`MAX_HEAD`]: answer 431.
    TooLarge,
    /// The client was too slow: answer 408.
    Timeout,
}

/// A request head arriving in pieces: bytes go in as they come, and the
/// head comes out once its blank line is there. Scanning resumes where it
/// stopped, so a client sending one byte at a time costs linear time.
#[derive(Debug, Default)]
pub struct HeadBuf {
    buf: Vec<u8>,
    /// Bytes already known not to end the head.
    scanned: usize,
}

impl HeadBuf {
    /// Adds received bytes; returns the parsed head once it is complete,
    /// or why it never will be.
    pub fn push(&mut self, bytes: &[u8]) -> Option<Result<Request, ReadError>> {
        self.buf.extend_from_slice(bytes);
        // The limit counts the head itself (up to its blank line), however
        // the bytes arrive: one read may bring more than the limit.
        if let Some(end) = find_head_end(&self.buf, self.scanned) {
            if end > MAX_HEAD {
                return Some(Err(ReadError::TooLarge));
            }
            return Some(parse_head(&self.buf[..end]));
        }
        self.scanned = self.buf.len().saturating_sub(3);
        if self.buf.len() >= MAX_HEAD {
            // Even a blank line right now would make it longer than the limit.
            return Some(Err(ReadError::TooLarge));
        }
        None
    }

    pub fn is_empty(&self) -> bool {
        self.buf.is_empty()
    }

    /// What to answer when the client stops early: nothing when it sent
    /// nothing, else the head is incomplete.
    pub fn cut_short(&self) -> ReadError {
        if self.buf.is_empty() {
            ReadError::Gone
        } else {
            ReadError::Bad("incomplete request")
        }
    }
}

/// Index just past the blank line ending the head (`\r\n\r\n` or `\n\n`),
/// looking from byte `from` on.
fn find_head_end(buf: &[u8], from: usize) -> Option<usize> {
    let tail = &buf[from.min(buf.len())..];
    let crlf = tail
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .map(|i| i + 4);
    let lf = tail.windows(2).position(|w| w == b"\n\n").map(|i| i + 2);
    match (crlf, lf) {
        (Some(a), Some(b)) => Some(from + a.min(b)),
        (a, b) => a.or(b).map(|e| from + e),
    }
}

/// Parses a request head (everything up to and including the blank line).
pub fn parse_head(head: &[u8]) -> Result<Request, ReadError> {
    let text = std::str::from_utf8(head).map_err(|_| ReadError::Bad("request is not UTF-8"))?;
    let mut lines = text.split('\n').map(|l| l.strip_suffix('\r').unwrap_or(l));
    let request_line = lines.next().ok_or(ReadError::Bad("empty request"))?;
    let mut parts = request_line.split(' ');
    let (Some(method), Some(target), Some(version), None) =
        (parts.next(), parts.next(), parts.next(), parts.next())
    else {
        return Err(ReadError::Bad("malformed request line"));
    };
    if !version.starts_with("HTTP/1.") {
        return Err(ReadError::Bad("unsupported HTTP version"));
    }
    if method.is_empty() || !method.bytes().all(|b| b.is_ascii_uppercase()) {
        return Err(ReadError::Bad("malformed method"));
    }
    if target.is_empty() || target.bytes().any(|b| b.is_ascii_control()) {
        return Err(ReadError::Bad("malformed request target"));
    }
    let mut host = None;
    let mut count = 0;
    for line in lines {
        if line.is_empty() {
            break;
        }
        count += 1;
        if count > 100 {
            return Err(ReadError::Bad("too many headers"));
        }
        let Some((name, value)) = line.split_once(':') else {
            return Err(ReadError::Bad("malformed header"));
        };
        if name.eq_ignore_ascii_case("host") {
            // Two Host headers: which one names the server is ambiguous
            // (RFC 9112, section 3.2: answer 400).
            if host.is_some() {
                return Err(ReadError::Bad("more than one Host header"));
            }
            host = Some(value.trim().to_string());
        }
    }
    Ok(Request {
        method: method.to_string(),
        target: target.to_string(),
        host,
    })
}

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

/// A response about to be written.
pub struct Response {
    pub status: u16,
    pub content_type: &'static str,
    pub body: Vec<u8>,
    pub extra_headers: Vec<(&'static str, String)>,
}

impl Response {
    pub fn new(status: u16, content_type: &'static str, body: Vec<u8>) -> Self {
        Response {
            status,
            content_type,
            body,
            extra_headers: Vec::new(),
        }
    }

    pub fn text(status: u16, text: &str) -> Self {
        Response::new(
            status,
            "text/plain; charset=utf-8",
            format!("{text}\n").into_bytes(),
        )
    }

    pub fn header(mut self, name: &'static str, value: impl Into<String>) -> Self {
        self.extra_headers.push((name, value.into()));
        self
    }
}

pub fn reason(status: u16) -> &'static str {
    match status {
        200 => "OK",
        301 => "Moved Permanently",
        400 => "Bad Request",
        403 => "Forbidden",
        404 => "Not Found",
        405 => "Method Not Allowed",
        408 => "Request Timeout",
        421 => "Misdirected Request",
        431 => "Request Header Fields Too Large",
        500 => "Internal Server Error",
        503 => "Service Unavailable",
        _ => "Unknown",
    }
}

/// Writes `resp` (without the body for `HEAD`). Errors mean the client is
/// gone; there is nothing more to do with the connection.
pub fn write_response(stream: &mut TcpStream, resp: &Response, head_only: bool) {
    let mut head = format!(
        "HTTP/1.1 {} {}\r\nContent-Type: {}\r\nContent-Length: {}\r\nCache-Control: no-store\r\nX-Content-Type-Options: nosniff\r\nConnection: close\r\n",
        resp.status,
        reason(resp.status),
        resp.content_type,
        resp.body.len()
    );
    for (name, value) in &resp.extra_headers {
        head.push_str(&format!("{name}: {value}\r\n"));
    }
    head.push_str("\r\n");
    let _ = stream.write_all(head.as_bytes());
    if !head_only {
        let _ = stream.write_all(&resp.body);
    }
    let _ = stream.flush();
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
    fn parses_heads() {
        let r = parse_head(b"GET /a HTTP/1.1\r\nHost: 127.0.0.1:8\r\n\r\n").unwrap();
        assert_eq!(r.method, "GET");
        assert_eq!(r.target, "/a");
        assert_eq!(r.host.as_deref(), Some("127.0.0.1:8"));
        assert!(parse_head(b"GET /a\r\n\r\n").is_err());
        assert!(parse_head(b"\xff\xfe\r\n\r\n").is_err());
        assert!(parse_head(b"GET /a SPDY/3\r\n\r\n").is_err());
        assert!(parse_head(b"GET /a HTTP/1.1\r\nno colon\r\n\r\n").is_err());
    }

    #[test]
    fn heads_arrive_in_pieces() {
        let mut h = HeadBuf::default();
        for b in b"GET /a HTTP/1.1\r\nHost: x\r\n\r" {
            assert!(h.push(&[*b]).is_none());
        }
        let r = h.push(b"\n").unwrap().unwrap();
        assert_eq!((r.target.as_str(), r.host.as_deref()), ("/a", Some("x")));
        let mut h = HeadBuf::default();
        assert!(h.push(b"GET / HTTP/1.1\r\n").is_none());
        assert_eq!(h.cut_short(), ReadError::Bad("incomplete request"));
        assert_eq!(
            h.push(&vec![b'a'; MAX_HEAD]),
            Some(Err(ReadError::TooLarge))
        );
    }

    /// A head of exactly MAX_HEAD bytes (blank line included) with `end`
    /// as its line ends.
    fn head_of(len: usize, end: &str) -> Vec<u8> {
        let start = format!("GET / HTTP/1.1{end}Host: x{end}X: ");
        let fill = len - start.len() - 2 * end.len();
        format!("{start}{}{end}{end}", "a".repeat(fill)).into_bytes()
    }

    #[test]
    fn heads_are_held_to_the_limit_exactly() {
        for end in ["\r\n", "\n"] {
            let fits = head_of(MAX_HEAD, end);
            let over = head_of(MAX_HEAD + 1, end);
            assert_eq!(fits.len(), MAX_HEAD);
            for chunk in [1, 4096, MAX_HEAD + 100] {
                let mut h = HeadBuf::default();
                let got = fits.chunks(chunk).find_map(|c| h.push(c));
                assert!(matches!(got, Some(Ok(_))), "{chunk}: {got:?}");
                let mut h = HeadBuf::default();
                let got = over.chunks(chunk).find_map(|c| h.push(c));
                assert_eq!(got, Some(Err(ReadError::TooLarge)), "{chunk}");
                // A body after the head does not count.
                let mut with_body = fits.clone();
                with_body.extend_from_slice(&[b'b'; 8000]);
                let mut h = HeadBuf::default();
                let got = with_body.chunks(chunk).find_map(|c| h.push(c));
                assert!(matches!(got, Some(Ok(_))), "{chunk}: {got:?}");
            }
        }
        // 20 KiB in one read was accepted before.
        let mut h = HeadBuf::default();
        assert_eq!(
            h.push(&head_of(20 * 1024, "\r\n")),
            Some(Err(ReadError::TooLarge))
        );
    }

    #[test]
    fn two_host_headers_are_refused() {
        assert_eq!(
            parse_head(b"GET / HTTP/1.1\r\nHost: localhost\r\nhost: evil.example\r\n\r\n"),
            Err(ReadError::Bad("more than one Host header"))
        );
        assert_eq!(
            parse_head(b"GET / HTTP/1.1\r\nHost: a\r\nHost: a\r\n\r\n"),
            Err(ReadError::Bad("more than one Host header"))
        );
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
