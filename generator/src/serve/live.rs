//! Live reload: the Server-Sent Events hub, the script injected into served
//! HTML (only under `kenshu serve`, never in built output) and the error
//! overlay.

use std::convert::Infallible;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::response::sse::{Event, KeepAlive, Sse};
use futures_util::Stream;
use tokio::sync::broadcast;

use crate::diagnostic::Diagnostic;

/// Path of the event stream.
pub const EVENTS_PATH: &str = "__kenshu/events";
/// Path of the current state as JSON (`version`, `errors`, `more`).
pub const STATE_PATH: &str = "__kenshu/state";
/// Events waiting for one client at most; a client that falls this far
/// behind is dropped (it reconnects and learns what it missed).
const QUEUE: usize = 8;
/// How long a browser waits before reconnecting a dropped stream.
const RETRY: Duration = Duration::from_millis(500);
/// A comment is sent after this long without an event: it keeps the
/// stream open through proxies and finds clients that are gone.
const PING_EVERY: Duration = Duration::from_secs(15);

/// Connected event-stream clients: one broadcast channel.
///
/// Broadcasting puts the event into a ring of [`QUEUE`] that every
/// client's stream reads at its own pace, so it never waits for a client;
/// a client that falls behind the ring is dropped.
pub struct Hub {
    events: broadcast::Sender<Arc<str>>,
}

impl Default for Hub {
    fn default() -> Self {
        Hub {
            events: broadcast::channel(QUEUE).0,
        }
    }
}

impl Hub {
    /// Sends the payload of an `event: kenshu` (see [`event`]) to every
    /// client. Never blocks.
    pub fn broadcast(&self, data: &str) {
        // An error only means that no client is connected.
        let _ = self.events.send(Arc::from(data));
    }

    /// A new client's place in the stream: subscribe before making its
    /// first event, so no change falls between that event and the
    /// broadcasts (a change in between arrives twice, which is harmless).
    pub fn subscribe(&self) -> broadcast::Receiver<Arc<str>> {
        self.events.subscribe()
    }

    /// Clients connected.
    pub fn len(&self) -> usize {
        self.events.receiver_count()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

/// A client's event stream: `first`, then every broadcast `rx` receives,
/// with a ping after [`PING_EVERY`] of silence. It ends when the client
/// falls behind by [`QUEUE`] events.
pub fn stream(
    rx: broadcast::Receiver<Arc<str>>,
    first: String,
) -> Sse<impl Stream<Item = Result<Event, Infallible>>> {
    let first = Event::default().retry(RETRY).event("kenshu").data(first);
    let stream = futures_util::stream::unfold((Some(first), rx), |(first, mut rx)| async {
        if let Some(first) = first {
            return Some((Ok(first), (None, rx)));
        }
        // Lagged (too far behind) or closed: the stream ends.
        let data = rx.recv().await.ok()?;
        Some((
            Ok(Event::default().event("kenshu").data(&*data)),
            (None, rx),
        ))
    });
    Sse::new(stream).keep_alive(KeepAlive::new().interval(PING_EVERY).text("ping"))
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

/// The JSON payload of an `event: kenshu` message:
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
    data.to_string()
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
        let data: serde_json::Value = serde_json::from_str(&ev).unwrap();
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

    /// A client that does not keep up costs nobody anything: broadcasts
    /// never wait, and its stream ends once it falls behind the queue (the
    /// browser reconnects and learns what it missed).
    #[test]
    fn a_client_that_falls_behind_is_dropped_without_blocking() {
        use axum::response::IntoResponse;
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_time()
            .build()
            .unwrap();
        // axum's keep-alive timer needs the runtime.
        let inside = runtime.enter();
        let hub = Hub::default();
        let body = stream(hub.subscribe(), "{\"hello\":1}".to_string())
            .into_response()
            .into_body();
        assert_eq!(hub.len(), 1);
        let big = format!("\"{}\"", "y".repeat(64 * 1024));
        let start = std::time::Instant::now();
        for _ in 0..400 {
            hub.broadcast(&big);
        }
        assert!(start.elapsed() < Duration::from_millis(500));
        drop(inside);
        let text = runtime.block_on(async {
            let all = axum::body::to_bytes(body, usize::MAX);
            let all = tokio::time::timeout(Duration::from_secs(10), all).await;
            String::from_utf8(all.unwrap().unwrap().to_vec()).unwrap()
        });
        // The greeting, then the end of the stream (no broadcast: they are
        // all too old by the time the client reads).
        assert!(
            text.starts_with("retry: 500\nevent: kenshu\ndata: {\"hello\":1}\n\n"),
            "{}",
            &text[..text.len().min(200)]
        );
        assert!(text.len() < 1024, "{} bytes", text.len());
    }

    #[test]
    fn events_are_single_data_lines() {
        let e = Diagnostic::file("a.md", "two\nlines").with_hint("h");
        let ev = event(3, &["a.html".into()], &[e]);
        assert!(ev.starts_with('{'));
        assert!(!ev.contains('\n'), "{ev}");
    }
}
