use std::fs;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::{Shutdown, SocketAddr, TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;
use std::time::Duration;

use kenshu::serve::http;

use crate::{Error, Result};

/// One request the server answered.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RequestRecord {
    /// `GET`, `HEAD`, …
    pub method: String,
    /// The request target as sent (path and query, still percent-encoded).
    pub target: String,
    /// The status code sent back.
    pub status: u16,
}

/// A tiny threaded HTTP/1.1 static file server on `127.0.0.1:<free port>`.
///
/// `StaticServer::serve(dir, "/intranet/kenshu/")` serves `dir/a/b.html` at
/// `http://127.0.0.1:PORT/intranet/kenshu/a/b.html`. A directory URL serves its
/// `index.html`; a directory URL without the trailing slash (and the prefix itself without
/// it) is redirected (301) to the URL with the slash, as common web servers do. Anything
/// else, including everything outside the prefix, is a 404. Only `GET` and `HEAD` are
/// allowed. Every response has `Connection: close`, `Cache-Control: no-store` and
/// `X-Content-Type-Options: nosniff` (so a wrong Content-Type breaks the page, as it would
/// on a strict server). Every request is recorded (see [`StaticServer::requests`]).
///
/// The server stops when dropped.
pub struct StaticServer {
    addr: SocketAddr,
    prefix: String,
    stop: Arc<AtomicBool>,
    log: Arc<Mutex<Vec<RequestRecord>>>,
    thread: Option<JoinHandle<()>>,
}

struct Shared {
    root: PathBuf,
    prefix: String,
    /// Answer missing files under the prefix with the site's `404.html`
    /// (status 404), as GitHub Pages, Netlify and nginx `error_page` do.
    page_404: bool,
    log: Arc<Mutex<Vec<RequestRecord>>>,
}

impl StaticServer {
    /// Serves `dir` under `prefix` (`"/"` for the domain root, or a path such as
    /// `"/intranet/kenshu/"`; a missing leading or trailing slash is added).
    pub fn serve(dir: impl AsRef<Path>, prefix: &str) -> Result<StaticServer> {
        Self::start(dir, prefix, false)
    }

    /// Like [`StaticServer::serve`], but a missing file under the prefix is
    /// answered (status 404) with the served folder's `404.html`, as static
    /// hosts such as GitHub Pages and Netlify do.
    pub fn serve_with_404_page(dir: impl AsRef<Path>, prefix: &str) -> Result<StaticServer> {
        Self::start(dir, prefix, true)
    }

    fn start(dir: impl AsRef<Path>, prefix: &str, page_404: bool) -> Result<StaticServer> {
        let root = fs::canonicalize(dir.as_ref()).map_err(|e| {
            Error::new(format!(
                "StaticServer: cannot serve {}: {e}",
                dir.as_ref().display()
            ))
        })?;
        if !root.is_dir() {
            return Err(Error::new(format!(
                "StaticServer: not a directory: {}",
                root.display()
            )));
        }
        let mut prefix = prefix.trim().to_string();
        if !prefix.starts_with('/') {
            prefix.insert(0, '/');
        }
        if !prefix.ends_with('/') {
            prefix.push('/');
        }
        let listener = TcpListener::bind("127.0.0.1:0")?;
        let addr = listener.local_addr()?;
        let stop = Arc::new(AtomicBool::new(false));
        let log = Arc::new(Mutex::new(Vec::new()));
        let shared = Arc::new(Shared {
            root,
            prefix: prefix.clone(),
            page_404,
            log: Arc::clone(&log),
        });
        let stop_flag = Arc::clone(&stop);
        let thread = std::thread::Builder::new()
            .name(format!("static-server-{}", addr.port()))
            .spawn(move || {
                for stream in listener.incoming() {
                    if stop_flag.load(Ordering::SeqCst) {
                        break;
                    }
                    let Ok(stream) = stream else { continue };
                    let shared = Arc::clone(&shared);
                    let _ = std::thread::Builder::new()
                        .name("static-server-conn".into())
                        .spawn(move || {
                            let _ = handle(stream, &shared);
                        });
                }
            })?;
        Ok(StaticServer {
            addr,
            prefix,
            stop,
            log,
            thread: Some(thread),
        })
    }

    /// The base URL, e.g. `http://127.0.0.1:41234/intranet/kenshu/` (always ends with `/`).
    pub fn url(&self) -> String {
        format!("http://{}{}", self.addr, self.prefix)
    }

    /// `self.url()` followed by `rel` (no leading slash): `server.url_of("a/b.html")`.
    pub fn url_of(&self, rel: &str) -> String {
        format!("{}{}", self.url(), rel.trim_start_matches('/'))
    }

    /// The address the server listens on.
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// All requests answered so far, in order.
    pub fn requests(&self) -> Vec<RequestRecord> {
        self.log.lock().map(|l| l.clone()).unwrap_or_default()
    }

    /// The requests answered with a status of 400 or more (e.g. 404 for a missing file),
    /// except a browser's automatic `/favicon.ico` probe at the domain root.
    pub fn failed_requests(&self) -> Vec<RequestRecord> {
        self.requests()
            .into_iter()
            .filter(|r| r.status >= 400 && r.target != "/favicon.ico")
            .collect()
    }
}

impl Drop for StaticServer {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::SeqCst);
        // Wake the accept loop up.
        let _ = TcpStream::connect_timeout(&self.addr, Duration::from_secs(1));
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}

/// A response about to be written.
struct Response {
    status: u16,
    content_type: &'static str,
    body: Vec<u8>,
    location: Option<String>,
}

impl Response {
    fn new(status: u16, content_type: &'static str, body: Vec<u8>) -> Self {
        Response {
            status,
            content_type,
            body,
            location: None,
        }
    }

    fn text(status: u16, text: &str) -> Self {
        Response::new(
            status,
            "text/plain; charset=utf-8",
            format!("{text}\n").into_bytes(),
        )
    }

    fn write(&self, stream: &mut TcpStream, head_only: bool) -> std::io::Result<()> {
        let mut head = format!(
            "HTTP/1.1 {} {}\r\nContent-Type: {}\r\nContent-Length: {}\r\nCache-Control: no-store\r\nX-Content-Type-Options: nosniff\r\nConnection: close\r\n",
            self.status,
            match self.status {
                200 => "OK",
                301 => "Moved Permanently",
                400 => "Bad Request",
                404 => "Not Found",
                _ => "Method Not Allowed",
            },
            self.content_type,
            self.body.len()
        );
        if let Some(location) = &self.location {
            head.push_str(&format!("Location: {location}\r\n"));
        }
        head.push_str("\r\n");
        stream.write_all(head.as_bytes())?;
        if !head_only {
            stream.write_all(&self.body)?;
        }
        stream.flush()
    }
}

/// Reads the request line and the rest of the head (ignored); None when
/// the connection closes before a request line (e.g. the wake-up on drop).
fn read_request(stream: &TcpStream) -> std::io::Result<Option<(String, String)>> {
    let mut reader = BufReader::new(stream).take(64 * 1024);
    let mut line = String::new();
    if reader.read_line(&mut line)? == 0 {
        return Ok(None);
    }
    let mut parts = line.split_whitespace();
    let (method, target) = (parts.next().unwrap_or(""), parts.next().unwrap_or(""));
    let request = (method.to_string(), target.to_string());
    let mut header = String::new();
    loop {
        header.clear();
        if reader.read_line(&mut header)? == 0 || header.trim_end().is_empty() {
            break;
        }
    }
    Ok(Some(request))
}

fn handle(mut stream: TcpStream, shared: &Shared) -> std::io::Result<()> {
    stream.set_read_timeout(Some(Duration::from_secs(10)))?;
    stream.set_write_timeout(Some(Duration::from_secs(10)))?;
    let Some((method, target)) = read_request(&stream)? else {
        return Ok(());
    };
    let reply = if method.is_empty() || !target.starts_with('/') {
        Response::text(400, "bad request")
    } else {
        respond(shared, &method, &target)
    };
    // Record before answering, so a client that has its answer also sees it in the log.
    if let Ok(mut log) = shared.log.lock() {
        log.push(RequestRecord {
            method: method.clone(),
            target,
            status: reply.status,
        });
    }
    reply.write(&mut stream, method == "HEAD")?;
    let _ = stream.shutdown(Shutdown::Both);
    Ok(())
}

fn redirect(location: String) -> Response {
    Response {
        location: Some(location),
        ..Response::text(301, "moved")
    }
}

fn respond(shared: &Shared, method: &str, target: &str) -> Response {
    if method != "GET" && method != "HEAD" {
        return Response::text(405, "method not allowed");
    }
    let path_part = target.split(['?', '#']).next().unwrap_or("");
    let Some(path) = percent_decode(path_part) else {
        return Response::text(400, "bad request");
    };
    // The prefix itself without its trailing slash: redirect.
    if format!("{path}/") == shared.prefix {
        return redirect(format!("{path_part}/"));
    }
    let not_found = || Response::text(404, "not found");
    let Some(rel) = path.strip_prefix(&shared.prefix) else {
        return not_found();
    };
    let mut file = shared.root.clone();
    for segment in rel.split('/') {
        match segment {
            "" | "." => {}
            ".." => return not_found(),
            s if s.contains('\\') || s.contains('\0') => return not_found(),
            s => file.push(s),
        }
    }
    if file.is_dir() {
        if !rel.is_empty() && !rel.ends_with('/') {
            return redirect(format!("{path_part}/"));
        }
        file.push("index.html");
    }
    match fs::read(&file) {
        Ok(body) => Response::new(200, http::content_type(&file.to_string_lossy()), body),
        Err(_) if shared.page_404 => match fs::read(shared.root.join("404.html")) {
            Ok(body) => Response::new(404, "text/html; charset=utf-8", body),
            Err(_) => not_found(),
        },
        Err(_) => not_found(),
    }
}

use kenshu::html::percent_decode;

#[cfg(test)]
mod tests {
    use super::*;
    use crate::TempDir;
    use std::io::{BufRead, BufReader, Write};

    fn get(url: &str) -> (u16, String, String) {
        let agent = ureq::AgentBuilder::new()
            .redirects(0)
            .timeout(Duration::from_secs(10))
            .build();
        match agent.get(url).call() {
            Ok(r) if (300..400).contains(&r.status()) => {
                let loc = r.header("location").unwrap_or("").to_string();
                (r.status(), loc, String::new())
            }
            Ok(r) => {
                let ct = r.header("content-type").unwrap_or("").to_string();
                (r.status(), ct, r.into_string().unwrap_or_default())
            }
            Err(ureq::Error::Status(code, _)) => (code, String::new(), String::new()),
            Err(e) => panic!("{url}: {e}"),
        }
    }

    fn fixture() -> Result<TempDir> {
        let dir = TempDir::new("server")?;
        dir.write("index.html", "<h1>home</h1>")?;
        dir.write("docs/index.html", "<h1>docs</h1>")?;
        dir.write("docs/日本語 page.html", "<h1>jp</h1>")?;
        dir.write("s.css", "h1{}")?;
        dir.write("app.wasm", [0u8, 97, 115, 109])?;
        dir.write("img/a.svg", "<svg xmlns='http://www.w3.org/2000/svg'/>")?;
        Ok(dir)
    }

    #[test]
    fn serves_at_root() -> Result<()> {
        let dir = fixture()?;
        let server = StaticServer::serve(dir.path(), "/")?;
        let base = server.url();
        assert!(
            base.starts_with("http://127.0.0.1:") && base.ends_with('/'),
            "{base}"
        );
        assert_eq!(
            get(&base),
            (
                200,
                "text/html; charset=utf-8".into(),
                "<h1>home</h1>".into()
            )
        );
        assert_eq!(get(&server.url_of("docs/")).2, "<h1>docs</h1>");
        assert_eq!(
            get(&server.url_of("docs")),
            (301, "/docs/".into(), String::new())
        );
        assert_eq!(
            get(&server.url_of("s.css?v=1")).1,
            "text/css; charset=utf-8"
        );
        assert_eq!(get(&server.url_of("app.wasm")).1, "application/wasm");
        assert_eq!(get(&server.url_of("img/a.svg")).1, "image/svg+xml");
        assert_eq!(
            get(&server.url_of("docs/%E6%97%A5%E6%9C%AC%E8%AA%9E%20page.html")).2,
            "<h1>jp</h1>"
        );
        assert_eq!(get(&server.url_of("missing.html")).0, 404);
        assert_eq!(get(&server.url_of("docs/../../etc/passwd")).0, 404);
        assert_eq!(get(&server.url_of("%ZZ")).0, 400);
        assert_eq!(get(&server.url_of("favicon.ico")).0, 404);
        let failed: Vec<_> = server
            .failed_requests()
            .into_iter()
            .map(|r| r.status)
            .collect();
        assert_eq!(failed, vec![404, 404, 400]);
        Ok(())
    }

    #[test]
    fn serves_under_sub_path() -> Result<()> {
        let dir = fixture()?;
        let server = StaticServer::serve(dir.path(), "intranet/kenshu")?;
        let base = server.url();
        assert!(base.ends_with("/intranet/kenshu/"), "{base}");
        assert_eq!(get(&base).2, "<h1>home</h1>");
        assert_eq!(get(&server.url_of("docs/index.html")).2, "<h1>docs</h1>");
        let root = format!("http://{}/", server.addr());
        assert_eq!(get(&root).0, 404);
        assert_eq!(get(&format!("{root}index.html")).0, 404);
        assert_eq!(
            get(&format!("{root}intranet/kenshu")),
            (301, "/intranet/kenshu/".into(), String::new())
        );
        Ok(())
    }

    #[test]
    fn stops_on_drop() -> Result<()> {
        let dir = fixture()?;
        let server = StaticServer::serve(dir.path(), "/")?;
        let addr = server.addr();
        drop(server);
        // After drop, the port no longer accepts connections (or, if it was reused by
        // someone else already, at least it is not our server answering).
        if let Ok(mut s) = TcpStream::connect_timeout(&addr, Duration::from_millis(500)) {
            let _ = s.write_all(b"GET / HTTP/1.1\r\n\r\n");
            let mut buf = String::new();
            let _ = BufReader::new(s).read_line(&mut buf);
            assert!(!buf.contains("200"), "server still answering: {buf}");
        }
        Ok(())
    }

    #[test]
    fn serve_rejects_missing_dir() {
        assert!(StaticServer::serve("/nonexistent/kenshu-e2e", "/").is_err());
    }
}
