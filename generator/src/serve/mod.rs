//! `kenshu serve`: a live preview.
//!
//! Builds the site into memory, serves it over HTTP on loopback, watches
//! `site.toml`, `content/` and `theme/`, rebuilds incrementally on every
//! change ([`build`]) and tells open tabs to reload over Server-Sent Events
//! ([`live`]). A broken edit keeps the last good build served and shows the
//! errors in the terminal and as an overlay in the browser.
//!
//! Nothing is written to disk: the output lives in memory, copied files
//! are read from `content/` when requested (and refused when a symlink
//! leads outside the site folder, the rule of every build).

mod accept;
pub mod build;
pub mod http;
pub mod live;
mod watch;

use std::net::{IpAddr, SocketAddr, TcpListener, TcpStream, ToSocketAddrs};
use std::path::{Path, PathBuf};
use std::sync::mpsc::{self, SyncSender};
use std::sync::{Arc, Mutex, RwLock};
use std::time::Duration;

use crate::diagnostic::Diagnostic;
use build::{Builder, Files, Served};
use http::{PathError, ReadError, Response};

/// Default port of `kenshu serve`.
pub const DEFAULT_PORT: u16 = 4400;
/// Worker threads answering requests.
const WORKERS: usize = 8;
/// Connections waiting for a worker before new ones get 503.
const QUEUE: usize = 256;

/// Options of `kenshu serve`.
#[derive(Debug, Clone)]
pub struct Options {
    pub site: PathBuf,
    /// Address to listen on; loopback unless asked otherwise.
    pub host: String,
    /// 0 picks a free port.
    pub port: u16,
    /// Open the site in the default browser.
    pub open: bool,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            site: PathBuf::from("."),
            host: "127.0.0.1".into(),
            port: DEFAULT_PORT,
            open: false,
        }
    }
}

/// What the server answers from: the last good build and the current errors.
pub(crate) struct Snapshot {
    files: Arc<Files>,
    /// Bumped whenever the served output changes.
    version: u64,
    errors: Arc<Vec<Diagnostic>>,
}

pub(crate) struct Shared {
    snapshot: RwLock<Arc<Snapshot>>,
    hub: live::Hub,
    history: live::History,
    /// The canonical site folder: copied files must resolve inside it
    /// (the rule of `load::walk`, checked again when the file is read).
    site: PathBuf,
    /// Answer only requests addressed to localhost (DNS-rebinding guard).
    loopback_only: bool,
}

impl Shared {
    fn snapshot(&self) -> Arc<Snapshot> {
        match self.snapshot.read() {
            Ok(s) => Arc::clone(&s),
            Err(poisoned) => Arc::clone(&poisoned.into_inner()),
        }
    }

    fn set(&self, snap: Snapshot) {
        let snap = Arc::new(snap);
        match self.snapshot.write() {
            Ok(mut s) => *s = snap,
            Err(poisoned) => *poisoned.into_inner() = snap,
        }
    }
}

fn bind(opts: &Options) -> Result<TcpListener, Diagnostic> {
    let shown = if opts.host.contains(':') && !opts.host.starts_with('[') {
        format!("[{}]:{}", opts.host, opts.port)
    } else {
        format!("{}:{}", opts.host, opts.port)
    };
    let addrs: Vec<SocketAddr> = match opts.host.parse::<IpAddr>() {
        Ok(ip) => vec![SocketAddr::new(ip, opts.port)],
        Err(_) => (opts.host.as_str(), opts.port)
            .to_socket_addrs()
            .map(|a| a.collect())
            .unwrap_or_default(),
    };
    if addrs.is_empty() {
        return Err(
            Diagnostic::file(&shown, format!("unknown host `{}`", opts.host))
                .with_hint("give an IP address such as 127.0.0.1, or leave --host out"),
        );
    }
    let mut last = None;
    for addr in &addrs {
        match TcpListener::bind(addr) {
            Ok(l) => return Ok(l),
            Err(e) => last = Some(e),
        }
    }
    let e = last.map_or_else(|| "cannot listen".to_string(), |e| e.to_string());
    let in_use = e.contains("in use") || e.contains("os error 98") || e.contains("10048");
    Err(if in_use {
        Diagnostic::file(&shown, format!("port {} is already in use", opts.port)).with_hint(
            format!(
                "another server (maybe another `kenshu serve`) is listening there; stop it, or choose another port: `kenshu serve --port {}` (`--port 0` picks a free one)",
                opts.port.wrapping_add(1).max(1024)
            ),
        )
    } else {
        Diagnostic::file(&shown, format!("cannot listen: {e}"))
            .with_hint("check --host and --port (ports below 1024 need privileges)")
    })
}

/// Prints diagnostics of a failed (re)build to stderr.
fn print_errors(errors: &[Diagnostic], had_good: bool) {
    for e in errors {
        eprintln!("{e}");
    }
    let n = errors.len();
    eprintln!(
        "error: {n} problem{} found; {}",
        if n == 1 { "" } else { "s" },
        if had_good {
            "still serving the last good build"
        } else {
            "fix it and the page will appear"
        }
    );
}

/// Runs the preview until Ctrl-C. Returns an error when the server cannot
/// start (port in use, site folder missing, …).
pub fn run(opts: &Options) -> Result<(), Vec<Diagnostic>> {
    if !opts.site.is_dir() {
        return Err(vec![Diagnostic::file(&opts.site, "site folder not found")
            .with_hint("give the folder that contains site.toml and content/")]);
    }
    let site = opts.site.canonicalize().map_err(|e| {
        vec![Diagnostic::file(
            &opts.site,
            format!("cannot open site: {e}"),
        )]
    })?;
    let listener = bind(opts).map_err(|e| vec![e])?;
    let addr = listener
        .local_addr()
        .map_err(|e| vec![Diagnostic::file(&opts.host, format!("cannot listen: {e}"))])?;

    // Watch first: an edit made while the first build runs is not lost.
    let watcher = watch::start(&site).map_err(|e| vec![e])?;
    let mut builder = Builder::new(&site);
    let start = std::time::Instant::now();
    let first = builder.rebuild(true, &[]);
    let (errors, files) = match first {
        Ok(change) => {
            // Warnings as `kenshu build` prints them.
            for w in &change.warnings {
                eprintln!("{}", w.as_warning());
            }
            let files = builder.files().cloned().unwrap_or_default();
            let pages = files.keys().filter(|k| k.ends_with(".html")).count();
            println!(
                "built {pages} HTML files, {} files in {} ms (in memory)",
                files.len(),
                start.elapsed().as_millis()
            );
            (Vec::new(), files)
        }
        Err(errors) => {
            print_errors(&errors, false);
            (errors, Files::new())
        }
    };
    let shared = Arc::new(Shared {
        snapshot: RwLock::new(Arc::new(Snapshot {
            files: Arc::new(files),
            version: 1,
            errors: Arc::new(errors),
        })),
        hub: live::Hub::default(),
        history: live::History::default(),
        site: site.clone(),
        loopback_only: addr.ip().is_loopback(),
    });

    {
        let shared = Arc::clone(&shared);
        std::thread::Builder::new()
            .name("kenshu-rebuild".into())
            .spawn(move || watch::rebuild_loop(watcher, builder, &shared))
            .map_err(|e| vec![Diagnostic::file(&site, format!("cannot start: {e}"))])?;
    }
    {
        let shared = Arc::clone(&shared);
        let _ = std::thread::Builder::new()
            .name("kenshu-ping".into())
            .spawn(move || loop {
                std::thread::sleep(Duration::from_secs(15));
                shared.hub.broadcast(live::PING);
            });
    }
    let queue = start_workers(&shared);
    {
        let _ = std::thread::Builder::new()
            .name("kenshu-accept".into())
            .spawn(move || accept::run(listener, queue));
    }

    // Catch Ctrl-C before the URL is printed: whoever reads the URL may
    // stop the server right away.
    let (stop_tx, stop_rx) = mpsc::channel::<()>();
    let handler = ctrlc::set_handler(move || {
        let _ = stop_tx.send(());
    });
    if handler.is_err() {
        eprintln!("warning: cannot catch Ctrl-C; stop the server by closing the terminal");
    }

    // 0.0.0.0 / :: cannot be browsed to: show the loopback URL for them.
    let browse = match addr.ip() {
        IpAddr::V4(ip) if ip.is_unspecified() => {
            SocketAddr::new([127, 0, 0, 1].into(), addr.port())
        }
        IpAddr::V6(ip) if ip.is_unspecified() => {
            SocketAddr::new(std::net::Ipv6Addr::LOCALHOST.into(), addr.port())
        }
        _ => addr,
    };
    let url = format!("http://{browse}/");
    if !addr.ip().is_loopback() {
        println!(
            "warning: listening on {} — anyone who can reach this machine on port {} can read the site",
            if addr.ip().is_unspecified() {
                "all network interfaces".to_string()
            } else {
                addr.ip().to_string()
            },
            addr.port()
        );
    }
    println!("serving {} at {url} (Ctrl-C to stop)", site.display());
    flush_stdout();
    if opts.open {
        open_browser(&url);
    }

    // Waits for Ctrl-C (forever when the handler could not be set).
    let _ = stop_rx.recv();
    if handler.is_err() {
        loop {
            std::thread::park();
        }
    }
    println!("\nstopped");
    flush_stdout();
    Ok(())
}

fn flush_stdout() {
    use std::io::Write;
    let _ = std::io::stdout().flush();
}

fn open_browser(url: &str) {
    let cmd: &[&str] = if cfg!(target_os = "macos") {
        &["open"]
    } else if cfg!(windows) {
        &["cmd", "/C", "start", ""]
    } else {
        &["xdg-open"]
    };
    let spawned = std::process::Command::new(cmd[0])
        .args(&cmd[1..])
        .arg(url)
        .stdin(std::process::Stdio::null())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn();
    if spawned.is_err() {
        eprintln!(
            "warning: cannot open a browser ({}); open {url} yourself",
            cmd[0]
        );
    }
}

fn start_workers(shared: &Arc<Shared>) -> SyncSender<accept::Job> {
    let (tx, rx) = mpsc::sync_channel::<accept::Job>(QUEUE);
    let rx = Arc::new(Mutex::new(rx));
    for i in 0..WORKERS {
        let rx = Arc::clone(&rx);
        let shared = Arc::clone(shared);
        let _ = std::thread::Builder::new()
            .name(format!("kenshu-http-{i}"))
            .spawn(move || loop {
                let next = match rx.lock() {
                    Ok(rx) => rx.recv(),
                    Err(_) => return,
                };
                let Ok(job) = next else { return };
                // A bug in one request must not take a worker down.
                let _ =
                    std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| handle(job, &shared)));
            });
    }
    tx
}

/// Answers one connection.
fn handle(job: accept::Job, shared: &Shared) {
    if let Some(stream) = answer(job, shared) {
        close_gently(stream);
    }
}

/// Closes after a response: signals the end, then reads what the client
/// may still be sending (briefly), so the close does not turn into a reset
/// that would destroy the response before the client reads it.
fn close_gently(mut stream: TcpStream) {
    use std::io::Read;
    let _ = stream.shutdown(std::net::Shutdown::Write);
    let _ = stream.set_read_timeout(Some(Duration::from_millis(100)));
    let mut sink = [0u8; 4096];
    let mut total = 0;
    while total < 64 * 1024 {
        match stream.read(&mut sink) {
            Ok(0) | Err(_) => break,
            Ok(n) => total += n,
        }
    }
}

/// Answers a request. Returns the stream to close, or None when the
/// event-stream hub took it over.
fn answer(job: accept::Job, shared: &Shared) -> Option<TcpStream> {
    let mut stream = job.stream;
    let _ = stream.set_read_timeout(Some(http::IO_TIMEOUT));
    let _ = stream.set_write_timeout(Some(http::IO_TIMEOUT));
    let fail = |mut stream: TcpStream, status: u16, text: &str, head_only: bool| {
        http::write_response(&mut stream, &Response::text(status, text), head_only);
        Some(stream)
    };
    let req = match job.request {
        Ok(r) => r,
        Err(ReadError::Gone) => return Some(stream),
        Err(ReadError::Bad(why)) => return fail(stream, 400, why, false),
        Err(ReadError::TooLarge) => return fail(stream, 431, "request head too large", false),
        Err(ReadError::Timeout) => return fail(stream, 408, "request timed out", false),
    };
    let head_only = req.method == "HEAD";
    if shared.loopback_only {
        if let Some(host) = &req.host {
            if !http::is_loopback_host(host) {
                return fail(
                    stream,
                    421,
                    "this preview answers only to localhost (use --host to serve other names)",
                    head_only,
                );
            }
        }
    }
    if req.method != "GET" && !head_only {
        let r = Response::text(405, "only GET and HEAD").header("Allow", "GET, HEAD");
        http::write_response(&mut stream, &r, false);
        return Some(stream);
    }
    let path = match http::clean_path(&req.target) {
        Ok(p) => p,
        Err(PathError::Malformed) => return fail(stream, 400, "bad path", head_only),
        Err(PathError::Forbidden) => return fail(stream, 403, "forbidden", head_only),
    };
    if path == live::EVENTS_PATH && !head_only {
        // `?v=N`: the version the page was served from.
        let since = req
            .target
            .split_once("?v=")
            .and_then(|(_, v)| v.split('&').next())
            .and_then(|v| v.parse::<u64>().ok());
        shared.hub.add(stream, || {
            let snap = shared.snapshot();
            let changed = shared.history.changed_since(since, snap.version);
            live::event(snap.version, &changed, &snap.errors)
        });
        return None;
    }
    let snap = shared.snapshot();
    let resp = respond(&path, &req.target, &snap, shared);
    http::write_response(&mut stream, &resp, head_only);
    Some(stream)
}

/// The response for a clean path.
fn respond(path: &str, target: &str, snap: &Snapshot, shared: &Shared) -> Response {
    if path == live::STATE_PATH {
        let (errors, more) = live::errors_json(&snap.errors);
        let body = serde_json::json!({
            "version": snap.version,
            "errors": errors,
            "more": more,
        });
        return Response::new(200, "application/json", body.to_string().into_bytes());
    }
    if path == live::EVENTS_PATH {
        return Response::new(200, "text/event-stream; charset=utf-8", Vec::new());
    }
    if snap.files.is_empty() {
        // No good build yet: every page is the error report.
        let page = "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>kenshu: build error</title></head><body><h1>The site does not build yet</h1><p>Fix the problems below; this page reloads by itself.</p></body></html>";
        let html = live::inject(
            page.as_bytes(),
            &live::injection(snap.version, &snap.errors),
        );
        return Response::new(500, http::content_type("x.html"), html);
    }
    let key = if path.is_empty() || path.ends_with('/') {
        format!("{path}index.html")
    } else {
        path.to_string()
    };
    match snap.files.get(&key) {
        Some(served) => match served_bytes(served, &shared.site) {
            Ok(bytes) => finish(200, &key, bytes, snap),
            Err(resp) => resp,
        },
        None if snap.files.contains_key(&format!("{key}/index.html")) => {
            // A folder without its slash: relative links need the slash.
            // The location is built from the clean path (never `//host`).
            let query = target.split_once('?').map(|(_, q)| q).unwrap_or("");
            let mut location = format!("/{}/", http::percent_encode_path(&key));
            if !query.is_empty() {
                location.push('?');
                location.push_str(query);
            }
            Response::text(301, "moved").header("Location", location)
        }
        None => match snap.files.get("404.html") {
            Some(served) => match served_bytes(served, &shared.site) {
                Ok(bytes) => finish(404, "404.html", bytes, snap),
                Err(resp) => resp,
            },
            None => Response::text(404, "not found"),
        },
    }
}

/// Bytes of a served file; copied files must resolve inside the site.
fn served_bytes(served: &Served, site: &Path) -> Result<Vec<u8>, Response> {
    match served {
        Served::Bytes(b) => Ok(b.to_vec()),
        Served::File(src) => {
            let real = src
                .canonicalize()
                .map_err(|_| Response::text(404, "not found"))?;
            // The file may have changed since the build listed it: the
            // build's rules again (inside the site or a root site.toml lets
            // lie outside; nothing hidden; no output folder) ...
            if let Some(why) = crate::walk::refusal(&real, &crate::walk::bases(site)) {
                return Err(Response::text(
                    403,
                    &format!("forbidden: this file is {}", why.describe(site)),
                ));
            }
            // ... and only a regular file is read (a pipe put in its place
            // would hold the worker forever).
            crate::walk::read_file(&real).map_err(|_| Response::text(404, "not found"))
        }
    }
}

fn finish(status: u16, key: &str, bytes: Vec<u8>, snap: &Snapshot) -> Response {
    let ty = http::content_type(key);
    if ty.starts_with("text/html") {
        let html = live::inject(&bytes, &live::injection(snap.version, &snap.errors));
        Response::new(status, ty, html)
    } else {
        Response::new(status, ty, bytes)
    }
}
