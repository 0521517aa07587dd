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

use std::net::{IpAddr, SocketAddr, TcpListener, ToSocketAddrs};
use std::path::{Path, PathBuf};
use std::sync::mpsc;
use std::sync::{Arc, RwLock};

use axum::body::Bytes;
use axum::extract::{Request, State};
use axum::http::{header, HeaderValue, Method, StatusCode, Uri};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;
use tower_http::set_header::SetResponseHeaderLayer;

use crate::diagnostic::Diagnostic;
use build::{Builder, Files, Served};
use http::PathError;

/// Default port of `kenshu serve`.
pub const DEFAULT_PORT: u16 = 4400;

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
    // The HTTP server: one tokio thread (reading served files on its
    // blocking pool).
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_io()
        .enable_time()
        .build()
        .map_err(|e| vec![Diagnostic::file(&site, format!("cannot start: {e}"))])?;
    listener
        .set_nonblocking(true)
        .map_err(|e| vec![Diagnostic::file(&site, format!("cannot start: {e}"))])?;
    let app = app(Arc::clone(&shared));
    std::thread::Builder::new()
        .name("kenshu-http".into())
        .spawn(move || {
            runtime.block_on(async move {
                match tokio::net::TcpListener::from_std(listener) {
                    Ok(listener) => accept::run(listener, app).await,
                    Err(e) => eprintln!("error: cannot serve: {e}"),
                }
            })
        })
        .map_err(|e| vec![Diagnostic::file(&site, format!("cannot start: {e}"))])?;

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

/// The routes: the event stream, the state, and the site's files; every
/// answer is uncached and never sniffed.
fn app(shared: Arc<Shared>) -> Router {
    Router::new()
        .route(&format!("/{}", live::EVENTS_PATH), get(events))
        .route(&format!("/{}", live::STATE_PATH), get(state))
        .fallback(page)
        .layer(middleware::from_fn_with_state(Arc::clone(&shared), guard))
        .layer(SetResponseHeaderLayer::overriding(
            header::CACHE_CONTROL,
            HeaderValue::from_static("no-store"),
        ))
        .layer(SetResponseHeaderLayer::overriding(
            header::X_CONTENT_TYPE_OPTIONS,
            HeaderValue::from_static("nosniff"),
        ))
        .with_state(shared)
}

/// A plain-text answer.
fn text(status: StatusCode, text: &str) -> Response {
    (status, format!("{text}\n")).into_response()
}

/// Refuses what no route should see: a request naming two hosts (which
/// one names the server is ambiguous; RFC 9112, section 3.2), one
/// addressed to another name than localhost while listening on loopback
/// (DNS rebinding), and methods other than GET and HEAD.
async fn guard(State(shared): State<Arc<Shared>>, req: Request, next: Next) -> Response {
    let mut hosts = req.headers().get_all(header::HOST).iter();
    let host = hosts.next();
    if hosts.next().is_some() {
        return text(StatusCode::BAD_REQUEST, "more than one Host header");
    }
    if shared.loopback_only {
        let named = match req.uri().authority() {
            Some(authority) => Some(authority.as_str()),
            None => match host.map(HeaderValue::to_str) {
                Some(Ok(host)) => Some(host),
                Some(Err(_)) => return text(StatusCode::BAD_REQUEST, "malformed Host header"),
                None => None,
            },
        };
        if named.is_some_and(|name| !http::is_loopback_host(name)) {
            return text(
                StatusCode::MISDIRECTED_REQUEST,
                "this preview answers only to localhost (use --host to serve other names)",
            );
        }
    }
    if req.method() != Method::GET && req.method() != Method::HEAD {
        let mut r = text(StatusCode::METHOD_NOT_ALLOWED, "only GET and HEAD");
        r.headers_mut()
            .insert(header::ALLOW, HeaderValue::from_static("GET, HEAD"));
        return r;
    }
    next.run(req).await
}

/// The event stream; `?v=N`: the version the page was served from, so the
/// first event says what changed since.
async fn events(State(shared): State<Arc<Shared>>, uri: Uri) -> Response {
    let since = uri
        .query()
        .and_then(|q| q.split('&').find_map(|kv| kv.strip_prefix("v=")))
        .and_then(|v| v.parse::<u64>().ok());
    let rx = shared.hub.subscribe();
    let snap = shared.snapshot();
    let changed = shared.history.changed_since(since, snap.version);
    live::stream(rx, live::event(snap.version, &changed, &snap.errors)).into_response()
}

/// The current version and errors as JSON.
async fn state(State(shared): State<Arc<Shared>>) -> Response {
    let snap = shared.snapshot();
    let (errors, more) = live::errors_json(&snap.errors);
    let body = serde_json::json!({
        "version": snap.version,
        "errors": errors,
        "more": more,
    });
    (
        [(header::CONTENT_TYPE, "application/json")],
        body.to_string(),
    )
        .into_response()
}

/// A file of the output: `a/` is `a/index.html`, `a` of a folder is
/// redirected to `a/`, anything else missing is the site's 404 page.
async fn page(State(shared): State<Arc<Shared>>, uri: Uri) -> Response {
    let path = match http::clean_path(uri.path()) {
        Ok(p) => p,
        Err(PathError::Malformed) => return text(StatusCode::BAD_REQUEST, "bad path"),
        Err(PathError::Forbidden) => return text(StatusCode::FORBIDDEN, "forbidden"),
    };
    let snap = shared.snapshot();
    if snap.files.is_empty() {
        // No good build yet: every page is the error report.
        let page = "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>kenshu: build error</title></head><body><h1>The site does not build yet</h1><p>Fix the problems below; this page reloads by itself.</p></body></html>";
        let html = live::inject(
            page.as_bytes(),
            &live::injection(snap.version, &snap.errors),
        );
        return (
            StatusCode::INTERNAL_SERVER_ERROR,
            [(header::CONTENT_TYPE, http::content_type("x.html"))],
            html,
        )
            .into_response();
    }
    let key = if path.is_empty() || path.ends_with('/') {
        format!("{path}index.html")
    } else {
        path
    };
    if let Some(served) = snap.files.get(&key) {
        return file(StatusCode::OK, &key, served, &snap, &shared.site).await;
    }
    if snap.files.contains_key(&format!("{key}/index.html")) {
        // A folder without its slash: relative links need the slash.
        // The location is built from the clean path (never `//host`).
        let mut location = format!("/{}/", http::percent_encode_path(&key));
        if let Some(query) = uri.query().filter(|q| !q.is_empty()) {
            location.push('?');
            location.push_str(query);
        }
        let mut r = text(StatusCode::MOVED_PERMANENTLY, "moved");
        if let Ok(location) = HeaderValue::from_str(&location) {
            r.headers_mut().insert(header::LOCATION, location);
        }
        return r;
    }
    match snap.files.get("404.html") {
        Some(served) => {
            file(
                StatusCode::NOT_FOUND,
                "404.html",
                served,
                &snap,
                &shared.site,
            )
            .await
        }
        None => text(StatusCode::NOT_FOUND, "not found"),
    }
}

/// A served file, with the live-reload script in HTML.
async fn file(
    status: StatusCode,
    key: &str,
    served: &Served,
    snap: &Snapshot,
    site: &Path,
) -> Response {
    let bytes = match served {
        Served::Bytes(b) => Bytes::from_owner(Arc::clone(b)),
        Served::File(src) => {
            let (src, site) = (src.clone(), site.to_path_buf());
            match tokio::task::spawn_blocking(move || read_copied(&src, &site)).await {
                Ok(Ok(bytes)) => Bytes::from(bytes),
                Ok(Err(refused)) => return refused,
                Err(_) => return text(StatusCode::INTERNAL_SERVER_ERROR, "cannot read the file"),
            }
        }
    };
    let ty = http::content_type(key);
    let body = if ty.starts_with("text/html") {
        Bytes::from(live::inject(
            &bytes,
            &live::injection(snap.version, &snap.errors),
        ))
    } else {
        bytes
    };
    (status, [(header::CONTENT_TYPE, ty)], body).into_response()
}

/// A copied file's bytes: it must still resolve inside the site.
fn read_copied(src: &Path, site: &Path) -> Result<Vec<u8>, Response> {
    let not_found = || text(StatusCode::NOT_FOUND, "not found");
    let real = src.canonicalize().map_err(|_| not_found())?;
    // The file may have changed since the build listed it: the build's
    // rules again (inside the site or a root site.toml lets lie outside;
    // nothing hidden; no output folder) ...
    if let Some(why) = crate::walk::refusal(&real, &crate::walk::bases(site)) {
        return Err(text(
            StatusCode::FORBIDDEN,
            &format!("forbidden: this file is {}", why.describe(site)),
        ));
    }
    // ... and only a regular file is read (a pipe put in its place would
    // hold the reading thread forever).
    crate::walk::read_file(&real).map_err(|_| not_found())
}
