//! Live reload: the Server-Sent Events hub, the script injected into served
//! HTML (only under `kenshu serve`, never in built output) and the error
//! overlay.

use std::io::Write;
use std::net::TcpStream;
use std::sync::Mutex;
use std::time::Duration;

use crate::diagnostic::Diagnostic;

/// Path of the event stream.
pub const EVENTS_PATH: &str = "__kenshu/events";
/// Path of the current state as JSON (`version`, `errors`).
pub const STATE_PATH: &str = "__kenshu/state";
/// Most event-stream clients kept; older ones are dropped beyond this.
const MAX_CLIENTS: usize = 64;
/// Write timeout for event-stream clients: a stuck tab never blocks a rebuild.
const CLIENT_WRITE_TIMEOUT: Duration = Duration::from_millis(500);

/// Connected event-stream clients.
#[derive(Default)]
pub struct Hub {
    clients: Mutex<Vec<TcpStream>>,
}

impl Hub {
    /// Takes over `stream` as an event-stream client: writes the response
    /// head and the first event, then keeps it for later broadcasts. The
    /// first event is made under the same lock as broadcasts, so no change
    /// falls between it and the next broadcast.
    pub fn add(&self, mut stream: TcpStream, first: impl FnOnce() -> String) {
        let _ = stream.set_write_timeout(Some(CLIENT_WRITE_TIMEOUT));
        let Ok(mut clients) = self.clients.lock() else {
            return;
        };
        let head = "HTTP/1.1 200 OK\r\nContent-Type: text/event-stream; charset=utf-8\r\nCache-Control: no-store\r\nX-Content-Type-Options: nosniff\r\nConnection: close\r\n\r\nretry: 500\n\n";
        if stream.write_all(head.as_bytes()).is_err()
            || stream.write_all(first().as_bytes()).is_err()
            || stream.flush().is_err()
        {
            return;
        }
        if clients.len() >= MAX_CLIENTS {
            let old = clients.remove(0);
            let _ = old.shutdown(std::net::Shutdown::Both);
        }
        clients.push(stream);
    }

    /// Sends `event` to every client, dropping the ones that are gone.
    pub fn broadcast(&self, event: &str) {
        let Ok(mut clients) = self.clients.lock() else {
            return;
        };
        clients.retain_mut(|c| c.write_all(event.as_bytes()).is_ok() && c.flush().is_ok());
    }

    pub fn len(&self) -> usize {
        self.clients.lock().map(|c| c.len()).unwrap_or(0)
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

/// The JSON form of diagnostics for the browser.
pub fn errors_json(errors: &[Diagnostic]) -> serde_json::Value {
    serde_json::Value::Array(
        errors
            .iter()
            .map(|e| {
                serde_json::json!({
                    "file": e.file.to_string_lossy(),
                    "line": e.line,
                    "column": e.column,
                    "message": e.message,
                    "hint": e.hint,
                    "text": e.to_string(),
                })
            })
            .collect(),
    )
}

/// One event-stream message: `event: kenshu` with a JSON payload
/// `{version, changed, errors}`. `changed` lists the output paths that
/// differ from the previous version the client knows (`["*"]`: unknown).
pub fn event(version: u64, changed: &[String], errors: &[Diagnostic]) -> String {
    let data = serde_json::json!({
        "version": version,
        "changed": changed,
        "errors": errors_json(errors),
    });
    format!("event: kenshu\ndata: {data}\n\n")
}

/// What changed in recent versions, so a page that connects late learns
/// whether it is stale.
#[derive(Default)]
pub struct History {
    entries: Mutex<std::collections::VecDeque<(u64, Vec<String>)>>,
}

/// Versions remembered by [`History`].
const HISTORY: usize = 64;

impl History {
    pub fn record(&self, version: u64, changed: &[String]) {
        if let Ok(mut e) = self.entries.lock() {
            if e.len() >= HISTORY {
                e.pop_front();
            }
            e.push_back((version, changed.to_vec()));
        }
    }

    /// Output paths changed after version `since` up to `current`;
    /// `["*"]` when that is not known (too old, or from another server).
    pub fn changed_since(&self, since: Option<u64>, current: u64) -> Vec<String> {
        let Some(since) = since else {
            return Vec::new();
        };
        if since == current {
            return Vec::new();
        }
        let Ok(e) = self.entries.lock() else {
            return vec!["*".into()];
        };
        let covered = since < current && e.front().is_some_and(|(v, _)| *v <= since + 1);
        if !covered {
            return vec!["*".into()];
        }
        let mut out: Vec<String> = e
            .iter()
            .filter(|(v, _)| *v > since && *v <= current)
            .flat_map(|(_, c)| c.iter().cloned())
            .collect();
        out.sort();
        out.dedup();
        out
    }
}

/// A comment line that keeps the stream open and finds dead clients.
pub const PING: &str = ": ping\n\n";

/// The overlay listing build errors, rendered on the server so it shows
/// even before the script runs.
pub fn overlay_html(errors: &[Diagnostic]) -> String {
    if errors.is_empty() {
        return String::new();
    }
    let items: String = errors
        .iter()
        .map(|e| format!("<li>{}</li>", crate::html::escape(&e.to_string())))
        .collect();
    format!(
        "<div id=\"kenshu-error-overlay\" role=\"alert\" style=\"{OVERLAY_STYLE}\"><strong>kenshu: the last edit does not build — showing the last good version.</strong><ul style=\"margin:.5em 0 0;padding-left:1.2em\">{items}</ul></div>"
    )
}

const OVERLAY_STYLE: &str = "position:fixed;left:0;right:0;bottom:0;max-height:50vh;overflow:auto;z-index:2147483647;margin:0;padding:1em 1.2em;background:#2b0b0e;color:#ffd9dc;border-top:4px solid #e5484d;font:13px/1.5 ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;white-space:pre-wrap;box-shadow:0 -4px 16px rgba(0,0,0,.4)";

/// The live-reload client (`theme/serve/live.js`, linted with the theme's
/// other scripts); it reads the build version and the overlay's style from
/// its script element.
const SCRIPT: &str = include_str!("../../../theme/serve/live.js");

/// The script and, when the build is broken, the overlay, for a page
/// served from build `version`.
pub fn injection(version: u64, errors: &[Diagnostic]) -> String {
    let mut s = format!(
        "<script id=\"kenshu-live\" data-version=\"{version}\" data-style=\"{}\">{SCRIPT}</script>",
        crate::html::escape(OVERLAY_STYLE)
    );
    s.push_str(&overlay_html(errors));
    s
}

/// Inserts `snippet` before the last `</body>` of `html` (or appends it).
pub fn inject(html: &[u8], snippet: &str) -> Vec<u8> {
    let pos = html
        .windows(7)
        .rposition(|w| w.eq_ignore_ascii_case(b"</body>"))
        .unwrap_or(html.len());
    let mut out = Vec::with_capacity(html.len() + snippet.len());
    out.extend_from_slice(&html[..pos]);
    out.extend_from_slice(snippet.as_bytes());
    out.extend_from_slice(&html[pos..]);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn injects_before_body_end() {
        let out = inject(b"<html><body><p>x</p></BODY></html>", "<s>");
        assert_eq!(out, b"<html><body><p>x</p><s></BODY></html>");
        assert_eq!(inject(b"<p>x</p>", "<s>"), b"<p>x</p><s>");
    }

    #[test]
    fn overlay_escapes_messages() {
        let e = Diagnostic::file("content/<a>.md", "bad </div><script>");
        let html = overlay_html(&[e]);
        assert!(html.contains("&lt;/div&gt;&lt;script&gt;"));
        assert!(!html.contains("<script>"));
        assert!(overlay_html(&[]).is_empty());
    }

    #[test]
    fn history_tells_what_changed_since() {
        let h = History::default();
        assert_eq!(h.changed_since(Some(1), 1), Vec::<String>::new());
        assert_eq!(h.changed_since(Some(1), 2), vec!["*"], "nothing recorded");
        h.record(2, &["a.html".into()]);
        h.record(3, &["b.html".into(), "a.html".into()]);
        assert_eq!(h.changed_since(Some(1), 3), vec!["a.html", "b.html"]);
        assert_eq!(h.changed_since(Some(2), 3), vec!["a.html", "b.html"]);
        assert_eq!(h.changed_since(Some(3), 3), Vec::<String>::new());
        assert_eq!(h.changed_since(Some(9), 3), vec!["*"], "another server");
        assert_eq!(h.changed_since(None, 3), Vec::<String>::new());
        for v in 4..200 {
            h.record(v, &["c.html".into()]);
        }
        assert_eq!(h.changed_since(Some(1), 199), vec!["*"], "too old");
    }

    #[test]
    fn events_are_single_data_lines() {
        let e = Diagnostic::file("a.md", "two\nlines").with_hint("h");
        let ev = event(3, &["a.html".into()], &[e]);
        assert!(ev.starts_with("event: kenshu\ndata: {"));
        assert_eq!(ev.matches('\n').count(), 3, "{ev}");
    }
}
