//! Live reload: the Server-Sent Events hub, the script injected into served
//! HTML (only under `kenshu serve`, never in built output) and the error
//! overlay.

use std::io::Write;
use std::net::{Shutdown, TcpStream};
use std::sync::mpsc::{self, Receiver, SyncSender, TrySendError};
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Duration;

use crate::diagnostic::Diagnostic;

/// Path of the event stream.
pub const EVENTS_PATH: &str = "__kenshu/events";
/// Path of the current state as JSON (`version`, `errors`, `more`).
pub const STATE_PATH: &str = "__kenshu/state";
/// Most event-stream clients kept; the oldest is dropped for a new one
/// beyond this (a dropped tab reconnects by itself after `retry`).
const MAX_CLIENTS: usize = 64;
/// Events waiting for one client at most; a client that falls this far
/// behind is dropped (it reconnects and learns what it missed).
const QUEUE: usize = 8;
/// A write to a client that makes no progress for this long drops it.
const CLIENT_WRITE_TIMEOUT: Duration = Duration::from_secs(1);
/// Stack of a client's writer thread: it only copies bytes to a socket.
const WRITER_STACK: usize = 128 * 1024;
/// The response head of the event stream and the reconnection delay.
const STREAM_HEAD: &str = "HTTP/1.1 200 OK\r\nContent-Type: text/event-stream; charset=utf-8\r\nCache-Control: no-store\r\nX-Content-Type-Options: nosniff\r\nConnection: close\r\n\r\nretry: 500\n\n";

/// One event-stream client: its queue, drained by its own writer thread.
struct Client {
    queue: SyncSender<Arc<str>>,
    /// The connection, to cut it when the client is dropped (this also ends
    /// a write in progress).
    stream: TcpStream,
}

impl Client {
    fn cut(&self) {
        let _ = self.stream.shutdown(Shutdown::Both);
    }
}

/// Connected event-stream clients.
///
/// Each client has a bounded queue and a writer thread of its own, as a
/// WebSocket hub gives each connection its own send buffer and writer
/// (Hugo's livereload, the gorilla/websocket hub): broadcasting only puts
/// the event into the queues, so the lock is never held over a write, a
/// client that does not read delays nobody, and a page-serving worker
/// hands the stream over at once. A client whose queue is full or whose
/// write times out is dropped.
#[derive(Default)]
pub struct Hub {
    clients: Mutex<Vec<Client>>,
}

impl Hub {
    fn clients(&self) -> MutexGuard<'_, Vec<Client>> {
        self.clients.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// Takes over `stream` as an event-stream client: its writer thread
    /// writes the response head and the first event, then every broadcast.
    /// The first event is made under the same lock as broadcasts, so no
    /// change falls between it and the next broadcast. Never blocks on the
    /// network.
    pub fn add(&self, stream: TcpStream, first: impl FnOnce() -> String) {
        let _ = stream.set_nonblocking(false);
        let _ = stream.set_write_timeout(Some(CLIENT_WRITE_TIMEOUT));
        let Ok(handle) = stream.try_clone() else {
            return;
        };
        let (queue, events) = mpsc::sync_channel::<Arc<str>>(QUEUE);
        let spawned = std::thread::Builder::new()
            .name("kenshu-events".into())
            .stack_size(WRITER_STACK)
            .spawn(move || write_events(stream, &events));
        if spawned.is_err() {
            // Out of threads: the browser retries later.
            let _ = handle.shutdown(Shutdown::Both);
            return;
        }
        let client = Client {
            queue,
            stream: handle,
        };
        let mut clients = self.clients();
        if client.queue.try_send(first().into()).is_err() {
            client.cut();
            return;
        }
        if clients.len() >= MAX_CLIENTS {
            clients.remove(0).cut();
        }
        clients.push(client);
    }

    /// Queues `event` for every client, dropping the ones that are gone or
    /// too far behind. Never blocks on the network.
    pub fn broadcast(&self, event: &str) {
        let event: Arc<str> = Arc::from(event);
        self.clients()
            .retain(|c| match c.queue.try_send(Arc::clone(&event)) {
                Ok(()) => true,
                Err(TrySendError::Full(_)) => {
                    c.cut();
                    false
                }
                Err(TrySendError::Disconnected(_)) => false,
            });
    }

    pub fn len(&self) -> usize {
        self.clients().len()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

/// A client's writer thread: the head, then each queued event, until the
/// client is dropped from the hub or a write fails or times out.
fn write_events(mut stream: TcpStream, events: &Receiver<Arc<str>>) {
    if stream.write_all(STREAM_HEAD.as_bytes()).is_ok() {
        while let Ok(event) = events.recv() {
            if stream.write_all(event.as_bytes()).is_err() || stream.flush().is_err() {
                break;
            }
        }
    }
    let _ = stream.shutdown(Shutdown::Both);
}

/// Errors shown in the browser at most; the terminal prints every one.
const MAX_SHOWN: usize = 50;
/// Bytes of JSON for the errors shown, at most (one error always fits).
const MAX_SHOWN_BYTES: usize = 40 * 1024;
/// Characters of one text field of an error shown, at most.
const MAX_FIELD_CHARS: usize = 1024;
/// Bytes of JSON for the changed paths, at most; beyond, `["*"]`.
const MAX_CHANGED_BYTES: usize = 16 * 1024;

/// `text`, cut to [`MAX_FIELD_CHARS`] characters.
fn clip(text: &str) -> String {
    match text.char_indices().nth(MAX_FIELD_CHARS) {
        Some((end, _)) => format!("{}…", &text[..end]),
        None => text.to_string(),
    }
}

/// The errors as the browser gets them: the first ones as JSON, within
/// [`MAX_SHOWN`] and [`MAX_SHOWN_BYTES`], and how many more there are.
/// A save with thousands of errors must not make a multi-megabyte event.
pub fn errors_json(errors: &[Diagnostic]) -> (serde_json::Value, usize) {
    let mut shown = Vec::new();
    let mut bytes = 0;
    for e in errors.iter().take(MAX_SHOWN) {
        let one = serde_json::json!({
            "file": clip(&e.file.to_string_lossy()),
            "line": e.line,
            "column": e.column,
            "message": clip(&e.message),
            "hint": e.hint.as_deref().map(clip),
            "text": clip(&e.to_string()),
        });
        bytes += one.to_string().len() + 1;
        if !shown.is_empty() && bytes > MAX_SHOWN_BYTES {
            break;
        }
        shown.push(one);
    }
    let more = errors.len() - shown.len();
    (serde_json::Value::Array(shown), more)
}

/// One event-stream message: `event: kenshu` with a JSON payload
/// `{version, changed, errors, more}`. `changed` lists the output paths
/// that differ from the previous version the client knows (`["*"]`:
/// unknown, or too many to list); `more` counts the errors not sent.
pub fn event(version: u64, changed: &[String], errors: &[Diagnostic]) -> String {
    let mut changed = serde_json::json!(changed);
    if changed.to_string().len() > MAX_CHANGED_BYTES {
        changed = serde_json::json!(["*"]);
    }
    let (errors, more) = errors_json(errors);
    let data = serde_json::json!({
        "version": version,
        "changed": changed,
        "errors": errors,
        "more": more,
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
    let (shown, more) = errors_json(errors);
    let mut items: String = shown
        .as_array()
        .into_iter()
        .flatten()
        .map(|e| {
            let text = e["text"].as_str().unwrap_or_default();
            format!("<li>{}</li>", crate::html::escape(text))
        })
        .collect();
    if more > 0 {
        items.push_str(&format!("<li>{}</li>", more_text(more)));
    }
    format!(
        "<div id=\"kenshu-error-overlay\" role=\"alert\" style=\"{OVERLAY_STYLE}\"><strong>kenshu: the last edit does not build — showing the last good version.</strong><ul style=\"margin:.5em 0 0;padding-left:1.2em\">{items}</ul></div>"
    )
}

/// The last line of the overlay when not every error is shown (the script
/// writes the same).
fn more_text(more: usize) -> String {
    format!(
        "… and {more} more problem{} (every one is printed in the terminal running kenshu serve)",
        if more == 1 { "" } else { "s" }
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
    fn thousands_of_errors_make_a_small_event() {
        let long = "x".repeat(5000);
        let errors: Vec<Diagnostic> = (0..3000)
            .map(|i| {
                Diagnostic::file(format!("content/p{i}.md"), format!("broken link {long}"))
                    .with_hint(long.clone())
            })
            .collect();
        let ev = event(2, &[], &errors);
        assert!(ev.len() < 64 * 1024, "{} bytes", ev.len());
        let data: serde_json::Value =
            serde_json::from_str(ev.trim_end().split_once("data: ").unwrap().1).unwrap();
        let shown = data["errors"].as_array().unwrap().len();
        assert!((1..=50).contains(&shown), "{shown}");
        assert_eq!(data["more"].as_u64(), Some(3000 - shown as u64));
        assert!(data["errors"][0]["message"]
            .as_str()
            .unwrap()
            .ends_with('…'));

        let few: Vec<Diagnostic> = (0..3)
            .map(|i| Diagnostic::file("a.md", format!("e{i}")))
            .collect();
        let (json, more) = errors_json(&few);
        assert_eq!((json.as_array().unwrap().len(), more), (3, 0));

        let html = overlay_html(&errors);
        assert!(html.len() < 64 * 1024, "{} bytes", html.len());
        assert!(
            html.contains(&format!("and {} more problems", 3000 - shown)),
            "{html}"
        );

        let changed: Vec<String> = (0..5000).map(|i| format!("pages/p{i}.html")).collect();
        assert!(event(2, &changed, &[]).contains("\"changed\":[\"*\"]"));
        assert!(event(2, &changed[..3], &[]).contains("pages/p2.html"));
    }

    /// A client that never reads costs nobody anything: broadcasts return at
    /// once, and the client is dropped once it falls behind.
    #[test]
    fn a_client_that_never_reads_is_dropped_without_blocking() {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        let client = TcpStream::connect(listener.local_addr().unwrap()).unwrap();
        let (server_side, _) = listener.accept().unwrap();
        let hub = Hub::default();
        hub.add(server_side, || "event: kenshu\ndata: {}\n\n".to_string());
        assert_eq!(hub.len(), 1);
        // 64 KiB events, far more than socket buffers hold.
        let big = format!("data: {}\n\n", "y".repeat(64 * 1024));
        let start = std::time::Instant::now();
        let mut slowest = Duration::ZERO;
        for _ in 0..400 {
            let one = std::time::Instant::now();
            hub.broadcast(&big);
            slowest = slowest.max(one.elapsed());
            if hub.is_empty() {
                break;
            }
            std::thread::sleep(Duration::from_millis(5));
        }
        assert!(
            slowest < Duration::from_millis(500),
            "a broadcast took {slowest:?}"
        );
        // Dropped: by a full queue, or by its writer timing out (then the
        // next broadcast notices).
        while !hub.is_empty() {
            assert!(start.elapsed() < Duration::from_secs(30), "still a client");
            hub.broadcast(PING);
            std::thread::sleep(Duration::from_millis(20));
        }
        // The connection is cut: reading gets to its end.
        client
            .set_read_timeout(Some(Duration::from_secs(30)))
            .unwrap();
        let mut sink = Vec::new();
        let _ = std::io::Read::read_to_end(&mut &client, &mut sink);
        assert!(sink.starts_with(b"HTTP/1.1 200 OK"));
    }

    #[test]
    fn events_are_single_data_lines() {
        let e = Diagnostic::file("a.md", "two\nlines").with_hint("h");
        let ev = event(3, &["a.html".into()], &[e]);
        assert!(ev.starts_with("event: kenshu\ndata: {"));
        assert_eq!(ev.matches('\n').count(), 3, "{ev}");
    }
}
