//! `kenshu serve` end to end: the real binary on a temporary copy of the
//! scaffold site, talked to over raw HTTP/1.1 on `std::net`.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::mpsc::{self, Receiver};
use std::time::{Duration, Instant};

const WAIT: Duration = Duration::from_secs(20);

/// A running `kenshu serve` and the lines it prints.
struct Server {
    child: Child,
    addr: SocketAddr,
    url: String,
    stdout: Receiver<String>,
    stderr: Receiver<String>,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn lines(r: impl Read + Send + 'static) -> Receiver<String> {
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        for line in BufReader::new(r).lines() {
            let Ok(line) = line else { return };
            if tx.send(line).is_err() {
                return;
            }
        }
    });
    rx
}

impl Server {
    fn start(site: &Path) -> Server {
        Server::start_with(site, &[])
    }

    fn start_with(site: &Path, args: &[&str]) -> Server {
        let mut child = Command::new(env!("CARGO_BIN_EXE_kenshu"))
            .arg("serve")
            .arg(site)
            .args(["--port", "0"])
            .args(args)
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("start kenshu serve");
        let stdout = lines(child.stdout.take().unwrap());
        let stderr = lines(child.stderr.take().unwrap());
        let deadline = Instant::now() + WAIT;
        let url = loop {
            let left = deadline.saturating_duration_since(Instant::now());
            match stdout.recv_timeout(left) {
                Ok(line) => {
                    if let Some(i) = line.find("http://") {
                        let url = line[i..].split_whitespace().next().unwrap().to_string();
                        break url;
                    }
                }
                Err(_) => {
                    let _ = child.kill();
                    let err: Vec<String> = stderr.try_iter().collect();
                    panic!("no URL printed; stderr: {err:?}");
                }
            }
        };
        let hostport = url
            .trim_start_matches("http://")
            .trim_end_matches('/')
            .to_string();
        let addr: SocketAddr = hostport.parse().expect("URL has an IP and a port");
        Server {
            child,
            addr,
            url,
            stdout,
            stderr,
        }
    }

    /// Waits for a printed line containing `needle`.
    fn wait_line(&self, from_stderr: bool, needle: &str) -> String {
        let rx = if from_stderr {
            &self.stderr
        } else {
            &self.stdout
        };
        let deadline = Instant::now() + WAIT;
        loop {
            let left = deadline.saturating_duration_since(Instant::now());
            match rx.recv_timeout(left) {
                Ok(line) if line.contains(needle) => return line,
                Ok(_) => {}
                Err(_) => panic!("no line containing {needle:?}"),
            }
        }
    }
}

struct Reply {
    status: u16,
    head: String,
    body: Vec<u8>,
}

impl Reply {
    fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).to_string()
    }

    fn header(&self, name: &str) -> Option<String> {
        self.head.lines().find_map(|l| {
            let (n, v) = l.split_once(':')?;
            n.eq_ignore_ascii_case(name).then(|| v.trim().to_string())
        })
    }
}

/// Sends raw bytes and reads the whole reply (the server closes).
fn raw(addr: SocketAddr, request: &[u8]) -> Reply {
    raw_or_none(addr, request, false)
        .unwrap_or_else(|| panic!("no reply to {:?}", String::from_utf8_lossy(request)))
}

/// Sends raw bytes (then closes the sending side when `done`) and reads
/// the whole reply; None when the server closed without answering.
fn raw_or_none(addr: SocketAddr, request: &[u8], done: bool) -> Option<Reply> {
    let mut s = TcpStream::connect_timeout(&addr, WAIT).expect("connect");
    s.set_read_timeout(Some(WAIT)).unwrap();
    s.write_all(request).unwrap();
    if done {
        s.shutdown(std::net::Shutdown::Write).unwrap();
    }
    let mut buf = Vec::new();
    let _ = s.read_to_end(&mut buf);
    if buf.is_empty() {
        return None;
    }
    let split = buf
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .unwrap_or_else(|| panic!("no reply head: {:?}", String::from_utf8_lossy(&buf)));
    let head = String::from_utf8_lossy(&buf[..split]).to_string();
    let status = head
        .split(' ')
        .nth(1)
        .and_then(|s| s.parse().ok())
        .expect("status code");
    Some(Reply {
        status,
        head,
        body: buf[split + 4..].to_vec(),
    })
}

fn get(addr: SocketAddr, path: &str) -> Reply {
    raw(
        addr,
        format!("GET {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\r\n").as_bytes(),
    )
}

/// A client of the event stream, as the injected script is.
struct Events {
    rx: Receiver<serde_json::Value>,
    _stream: TcpStream,
}

impl Drop for Events {
    fn drop(&mut self) {
        // The reader thread holds a clone: shut the socket itself down.
        let _ = self._stream.shutdown(std::net::Shutdown::Both);
    }
}

impl Events {
    fn connect(addr: SocketAddr) -> Events {
        Events::connect_to(addr, "/__kenshu/events")
    }

    fn connect_to(addr: SocketAddr, path: &str) -> Events {
        let mut s = TcpStream::connect_timeout(&addr, WAIT).expect("connect");
        s.write_all(
            format!("GET {path} HTTP/1.1\r\nHost: {addr}\r\nAccept: text/event-stream\r\n\r\n")
                .as_bytes(),
        )
        .unwrap();
        let reader = s.try_clone().unwrap();
        let (tx, rx) = mpsc::channel();
        std::thread::spawn(move || {
            let mut lines = BufReader::new(reader).lines();
            let first = lines.next();
            assert!(
                matches!(&first, Some(Ok(l)) if l.starts_with("HTTP/1.1 200")),
                "{first:?}"
            );
            let mut event = String::new();
            for line in lines {
                let Ok(line) = line else { return };
                if let Some(name) = line.strip_prefix("event: ") {
                    event = name.to_string();
                } else if let Some(data) = line.strip_prefix("data: ") {
                    if event == "kenshu" {
                        let v = serde_json::from_str(data).expect("event data is JSON");
                        if tx.send(v).is_err() {
                            return;
                        }
                    }
                }
            }
        });
        Events { rx, _stream: s }
    }

    /// The next event matching `pred`, within `WAIT`.
    fn wait(&self, what: &str, pred: impl Fn(&serde_json::Value) -> bool) -> serde_json::Value {
        let deadline = Instant::now() + WAIT;
        loop {
            let left = deadline.saturating_duration_since(Instant::now());
            match self.rx.recv_timeout(left) {
                Ok(v) if pred(&v) => return v,
                Ok(_) => {}
                Err(_) => panic!("no event: {what}"),
            }
        }
    }
}

/// A fresh copy of the scaffold site (`kenshu new`) in a temp folder; the
/// site is `tmp/site`, so `tmp` can hold files outside the site.
fn new_site() -> (tempfile::TempDir, PathBuf) {
    let tmp = tempfile::tempdir().unwrap();
    let site = tmp.path().join("site");
    let out = Command::new(env!("CARGO_BIN_EXE_kenshu"))
        .arg("new")
        .arg(&site)
        .output()
        .unwrap();
    assert!(out.status.success(), "{out:?}");
    (tmp, site)
}

const PAGE: &str = "content/lessons/01-first.md";
const PAGE_URL: &str = "/lessons/first.html";

fn append(site: &Path, rel: &str, text: &str) {
    let path = site.join(rel);
    let mut s = std::fs::read_to_string(&path).unwrap();
    s.push_str(text);
    std::fs::write(&path, s).unwrap();
}

#[test]
fn serves_and_reloads_after_an_edit() {
    let (_tmp, site) = new_site();
    let server = Server::start(&site);
    assert!(
        server.url.starts_with("http://127.0.0.1:"),
        "{}",
        server.url
    );

    let home = get(server.addr, "/");
    assert_eq!(home.status, 200);
    assert_eq!(
        home.header("content-type").as_deref(),
        Some("text/html; charset=utf-8")
    );
    assert!(home.text().contains("id=\"kenshu-live\""));
    let before = get(server.addr, PAGE_URL);
    assert_eq!(before.status, 200);

    let events = Events::connect(server.addr);
    let hello = events.wait("hello", |_| true);
    let v0 = hello["version"].as_u64().unwrap();
    assert_eq!(hello["errors"].as_array().map(Vec::len), Some(0));

    append(&site, PAGE, "\n追記した段落ZQX-1です。\n");
    let change = events.wait("change after the edit", |v| {
        v["version"].as_u64() > Some(v0)
    });
    let changed: Vec<&str> = change["changed"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|c| c.as_str())
        .collect();
    // Only the edited page (and its slide deck, if it has one).
    assert!(changed.contains(&"lessons/first.html"), "{changed:?}");
    assert!(
        changed.iter().all(|c| c.starts_with("lessons/first.")),
        "{changed:?}"
    );
    let after = get(server.addr, PAGE_URL);
    assert!(after.text().contains("ZQX-1"));
    // A page served before the edit that connects only now learns it is
    // stale; one served after learns nothing.
    let late = Events::connect_to(server.addr, &format!("/__kenshu/events?v={v0}"));
    let first = late.wait("late hello", |_| true);
    let current = first["version"].as_u64().unwrap();
    assert!(current >= change["version"].as_u64().unwrap());
    assert!(first["changed"]
        .as_array()
        .unwrap()
        .contains(&serde_json::json!("lessons/first.html")));
    let fresh = Events::connect_to(server.addr, &format!("/__kenshu/events?v={current}"));
    assert_eq!(
        fresh.wait("hello", |_| true)["changed"],
        serde_json::json!([])
    );
    assert!(!before.text().contains("ZQX-1"));
    let line = server.wait_line(
        false,
        "rebuilt after a change to content/lessons/01-first.md",
    );
    assert!(line.contains("1 page rendered"), "{line}");

    // The reload script exists only under serve.
    let out = Command::new(env!("CARGO_BIN_EXE_kenshu"))
        .arg("build")
        .arg(&site)
        .output()
        .unwrap();
    assert!(out.status.success());
    let built = std::fs::read_to_string(site.join("public/lessons/first.html")).unwrap();
    assert!(built.contains("ZQX-1"));
    assert!(!built.contains("kenshu-live") && !built.contains("__kenshu"));
}

/// The search index's text chunks as served, all in one string.
fn served_search_text(addr: SocketAddr) -> String {
    let mut all = String::new();
    for n in 0.. {
        let chunk = get(addr, &format!("/assets/search/text/{n}.js"));
        if chunk.status != 200 {
            assert!(n > 0, "no search index served: {}", chunk.status);
            break;
        }
        all.push_str(&chunk.text());
    }
    all
}

#[test]
fn search_finds_an_edited_paragraph_soon_after_the_reload() {
    let (_tmp, site) = new_site();
    let server = Server::start(&site);
    let events = Events::connect(server.addr);
    let v0 = events.wait("hello", |_| true)["version"].as_u64().unwrap();
    assert!(!served_search_text(server.addr).contains("ZQXsearch"));

    append(&site, PAGE, "\n検索で見つかる段落ZQXsearchです。\n");
    // The reload comes first (the index is made after the page is served)…
    events.wait("change after the edit", |v| {
        v["version"].as_u64() > Some(v0)
    });
    assert!(get(server.addr, PAGE_URL).text().contains("ZQXsearch"));
    // …and the search index follows shortly, without another reload.
    let deadline = Instant::now() + WAIT;
    while !served_search_text(server.addr).contains("ZQXsearch") {
        assert!(
            Instant::now() < deadline,
            "the search index never learnt the edited paragraph"
        );
        std::thread::sleep(Duration::from_millis(20));
    }
    // The edit and its confirming full load print one line, not two.
    server.wait_line(
        false,
        "rebuilt after a change to content/lessons/01-first.md",
    );
    std::thread::sleep(Duration::from_millis(300));
    assert!(
        events.rx.try_recv().is_err(),
        "a new search index is no reason to reload"
    );
}

#[test]
fn new_pages_site_toml_and_theme_overrides_are_watched() {
    let (_tmp, site) = new_site();
    let server = Server::start(&site);
    let events = Events::connect(server.addr);
    let mut version = events.wait("hello", |_| true)["version"].as_u64().unwrap();
    let mut next = |what: &str| {
        let v = events.wait(what, |v| v["version"].as_u64() > Some(version));
        version = v["version"].as_u64().unwrap();
        v
    };

    // A new page appears (and the navigation of the others shows it).
    assert_eq!(get(server.addr, "/lessons/third.html").status, 404);
    std::fs::write(
        site.join("content/lessons/03-third.md"),
        "# 第3講：新しい講義NP-1\n\n本文。\n",
    )
    .unwrap();
    next("new page");
    let page = get(server.addr, "/lessons/third.html");
    assert_eq!(page.status, 200);
    assert!(page.text().contains("NP-1"));
    assert!(get(server.addr, PAGE_URL).text().contains("NP-1"));

    // site.toml: every page shows the new site title.
    let toml = std::fs::read_to_string(site.join("site.toml")).unwrap();
    let toml: String = toml
        .lines()
        .map(|l| {
            if l.starts_with("title") {
                "title = \"新しいサイト名ST-1\"".to_string()
            } else {
                l.to_string()
            }
        })
        .collect::<Vec<_>>()
        .join("\n");
    std::fs::write(site.join("site.toml"), format!("{toml}\n")).unwrap();
    next("site.toml");
    assert!(get(server.addr, "/").text().contains("ST-1"));

    // A theme override created while serving.
    std::fs::create_dir_all(site.join("theme/static")).unwrap();
    std::fs::write(site.join("theme/static/site.css"), "body{color:#123456}\n").unwrap();
    let v = next("theme override");
    assert!(v["changed"]
        .as_array()
        .unwrap()
        .contains(&serde_json::json!("assets/site.css")));
    assert_eq!(
        get(server.addr, "/assets/site.css").text(),
        "body{color:#123456}\n"
    );
}

#[test]
fn a_bad_edit_keeps_the_last_good_page_and_shows_the_error() {
    let (_tmp, site) = new_site();
    let server = Server::start(&site);
    let events = Events::connect(server.addr);
    let v0 = events.wait("hello", |_| true)["version"].as_u64().unwrap();
    let good = get(server.addr, PAGE_URL).text();

    let original = std::fs::read_to_string(site.join(PAGE)).unwrap();
    append(&site, PAGE, "\n[壊れたリンク](no-such-page.md)\n");
    let bad = events.wait("error event", |v| {
        v["errors"].as_array().is_some_and(|e| !e.is_empty())
    });
    let text = bad["errors"][0]["text"].as_str().unwrap();
    assert!(text.contains("01-first.md"), "{text}");
    assert_eq!(bad["version"].as_u64(), Some(v0), "nothing new is served");
    server.wait_line(true, "01-first.md");
    server.wait_line(true, "still serving the last good build");

    // Last good page, plus the overlay naming the file.
    let page = get(server.addr, PAGE_URL);
    assert_eq!(page.status, 200);
    let html = page.text();
    assert!(!html.contains("壊れたリンク"));
    let overlay_at = html.find("id=\"kenshu-error-overlay\"").expect("overlay");
    assert!(html[overlay_at..].contains("01-first.md"));
    assert_eq!(
        html.replace(
            &html[html.find("<script id=\"kenshu-live\"").unwrap()..html.rfind("</body>").unwrap()],
            ""
        ),
        good.replace(
            &good[good.find("<script id=\"kenshu-live\"").unwrap()..good.rfind("</body>").unwrap()],
            ""
        ),
        "the page itself is the last good one"
    );
    let state: serde_json::Value =
        serde_json::from_slice(&get(server.addr, "/__kenshu/state").body).unwrap();
    assert!(state["errors"][0]["text"]
        .as_str()
        .unwrap()
        .contains("no-such-page.md"));

    // Fixing the file clears the error and serves the fix.
    std::fs::write(site.join(PAGE), format!("{original}\n直した段落ZQX-2。\n")).unwrap();
    let fixed = events.wait("fixed event", |v| {
        v["errors"].as_array().is_some_and(|e| e.is_empty()) && v["version"].as_u64() > Some(v0)
    });
    assert!(fixed["changed"]
        .as_array()
        .unwrap()
        .contains(&serde_json::json!("lessons/first.html")));
    let html = get(server.addr, PAGE_URL).text();
    assert!(html.contains("ZQX-2"));
    assert!(!html.contains("id=\"kenshu-error-overlay\""));
    server.wait_line(false, "fixed: rebuilt");
}

#[test]
fn only_files_of_the_output_are_served() {
    let (tmp, site) = new_site();
    std::fs::write(tmp.path().join("secret.txt"), "TOP-SECRET-7").unwrap();
    std::fs::write(site.join("site-secret.txt"), "TOP-SECRET-8").unwrap();
    std::fs::write(site.join("content/images/module.wasm"), b"\0asm\x01\0\0\0").unwrap();
    let server = Server::start(&site);

    for path in [
        "/../secret.txt",
        "/../../secret.txt",
        "/lessons/../../secret.txt",
        "/%2e%2e/secret.txt",
        "/%2E%2E/secret.txt",
        "/..%2fsecret.txt",
        "/%2e%2e%2fsecret.txt",
        "/lessons/%2e%2e%2f%2e%2e%2fsecret.txt",
        "/..%5csecret.txt",
        "/..\\secret.txt",
        "/lessons\\..\\..\\secret.txt",
        "/%00/../secret.txt",
    ] {
        let r = get(server.addr, path);
        assert!(r.status == 403 || r.status == 400, "{path}: {}", r.status);
        assert!(!r.text().contains("TOP-SECRET"), "{path}");
    }
    // The site folder itself is not the output.
    for path in ["/site-secret.txt", "/site.toml", "/content/index.md"] {
        let r = get(server.addr, path);
        assert_eq!(r.status, 404, "{path}");
        assert!(!r.text().contains("TOP-SECRET"), "{path}");
    }
    // A link to outside the site is an error, as in `build`; the last good
    // build stays served, without it.
    #[cfg(unix)]
    {
        std::os::unix::fs::symlink(
            tmp.path().join("secret.txt"),
            site.join("content/images/leak.svg"),
        )
        .unwrap();
        let line = server.wait_line(true, "outside the site folder");
        assert!(line.starts_with("content/images/leak.svg"), "{line}");
        let r = get(server.addr, "/images/leak.svg");
        assert_eq!(r.status, 404);
        assert!(!r.text().contains("TOP-SECRET"));
        std::fs::remove_file(site.join("content/images/leak.svg")).unwrap();
    }

    // A served file replaced by a pipe after the build: the build fails
    // (the last good one stays served), and the request for the file is
    // answered at once instead of holding a worker on the pipe forever.
    #[cfg(unix)]
    {
        let figure = site.join("content/images/figure.svg");
        let kept = std::fs::read(&figure).unwrap();
        std::fs::remove_file(&figure).unwrap();
        let status = std::process::Command::new("mkfifo")
            .arg(&figure)
            .status()
            .unwrap();
        assert!(status.success());
        server.wait_line(true, "named pipe");
        let (status, took) = timed_get(server.addr, "/images/figure.svg", Duration::from_secs(20));
        assert!(
            matches!(status, Some(s) if s != 200),
            "a pipe in place of a served file: {status:?} after {took:?}"
        );
        std::fs::remove_file(&figure).unwrap();
        std::fs::write(&figure, kept).unwrap();
    }

    let wasm = get(server.addr, "/images/module.wasm");
    assert_eq!(wasm.status, 200);
    assert_eq!(
        wasm.header("content-type").as_deref(),
        Some("application/wasm")
    );
    assert_eq!(wasm.body, b"\0asm\x01\0\0\0");
    let svg = get(server.addr, "/images/figure.svg");
    assert_eq!(svg.header("content-type").as_deref(), Some("image/svg+xml"));
    let css = get(server.addr, "/assets/site.css");
    assert_eq!(
        css.header("content-type").as_deref(),
        Some("text/css; charset=utf-8")
    );
    assert_eq!(
        css.header("x-content-type-options").as_deref(),
        Some("nosniff")
    );
    // A folder without its slash is redirected so relative links work.
    let dir = get(server.addr, "/lessons");
    assert_eq!(dir.status, 301);
    assert_eq!(dir.header("location").as_deref(), Some("/lessons/"));
    let dir = get(server.addr, "//lessons?x=1");
    assert_eq!(dir.status, 301);
    assert_eq!(dir.header("location").as_deref(), Some("/lessons/?x=1"));
    assert_eq!(get(server.addr, "/lessons/").status, 200);
    let missing = get(server.addr, "/nope.html");
    assert_eq!(missing.status, 404);
    assert!(
        missing.text().contains("kenshu-live"),
        "404 page reloads too"
    );
}

/// An address of this machine other than loopback, if it has one.
fn non_loopback_ip() -> Option<std::net::IpAddr> {
    let s = std::net::UdpSocket::bind("0.0.0.0:0").ok()?;
    s.connect("192.0.2.1:9").ok()?; // no packet is sent
    let ip = s.local_addr().ok()?.ip();
    (!ip.is_loopback() && !ip.is_unspecified()).then_some(ip)
}

#[test]
fn listens_on_loopback_only_by_default() {
    let (_tmp, site) = new_site();
    let server = Server::start(&site);
    assert!(server.addr.ip().is_loopback());
    if let Some(ip) = non_loopback_ip() {
        let other = SocketAddr::new(ip, server.addr.port());
        assert!(
            TcpStream::connect_timeout(&other, Duration::from_secs(2)).is_err(),
            "reachable on {other}"
        );
    }
    // Requests addressed to another name are refused (DNS rebinding).
    let r = raw(
        server.addr,
        b"GET / HTTP/1.1\r\nHost: evil.example\r\nConnection: close\r\n\r\n",
    );
    assert_eq!(r.status, 421);
    let r = raw(
        server.addr,
        b"GET / HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n",
    );
    assert_eq!(r.status, 200);
}

#[test]
fn garbage_and_rude_clients_do_not_bring_it_down() {
    let (_tmp, site) = new_site();
    let server = Server::start(&site);
    let addr = server.addr;

    // An idle client is timed out and does not block others.
    let mut idle = TcpStream::connect(addr).unwrap();
    let idle_since = Instant::now();

    let cases: Vec<(Vec<u8>, Option<u16>)> = vec![
        (b"\x00\xff\xfe garbage\r\n\r\n".to_vec(), Some(400)),
        (b"GET /\r\n\r\n".to_vec(), Some(400)),
        (b"BREW /pot HTTP/1.1\r\n\r\n".to_vec(), Some(405)),
        (
            b"POST / HTTP/1.1\r\nContent-Length: 5\r\n\r\nhello".to_vec(),
            Some(405),
        ),
        (b"GET / HTTP/9.9\r\n\r\n".to_vec(), Some(400)),
        (b"GET /%zz HTTP/1.1\r\n\r\n".to_vec(), Some(400)),
        (
            b"GET / HTTP/1.1\r\nbroken header\r\n\r\n".to_vec(),
            Some(400),
        ),
        (
            format!("GET / HTTP/1.1\r\nX: {}\r\n\r\n", "a".repeat(40_000)).into_bytes(),
            Some(431),
        ),
        // Blank lines before a request line are skipped (RFC 9112, section
        // 2.2): nothing is answered, and the connection closes with the
        // client's.
        (b"\r\n\r\n".to_vec(), None),
    ];
    for (req, want) in &cases {
        let r = raw_or_none(addr, req, want.is_none());
        assert_eq!(
            r.map(|r| r.status),
            *want,
            "{:?}",
            String::from_utf8_lossy(&req[..req.len().min(40)])
        );
    }
    // Clients that vanish mid-request or mid-response.
    for i in 0..50 {
        let mut s = TcpStream::connect(addr).unwrap();
        let partial: &[u8] = match i % 3 {
            0 => b"GET / HT",
            1 => b"GET /lessons/first.html HTTP/1.1\r\n\r\n",
            _ => b"",
        };
        let _ = s.write_all(partial);
        drop(s);
    }
    // Event-stream clients that go away.
    for _ in 0..5 {
        drop(Events::connect(addr));
    }
    assert_eq!(get(addr, "/").status, 200, "still serving");

    // The idle client is cut off after the timeout.
    idle.set_read_timeout(Some(Duration::from_secs(30)))
        .unwrap();
    let mut buf = Vec::new();
    let _ = idle.read_to_end(&mut buf);
    let waited = idle_since.elapsed();
    assert!(waited < Duration::from_secs(25), "{waited:?}");
    assert!(
        buf.is_empty() || String::from_utf8_lossy(&buf).contains("408"),
        "{:?}",
        String::from_utf8_lossy(&buf)
    );
    // A slow client sending its head byte by byte is cut off after the
    // head deadline (10 s), without an answer.
    let mut slow = TcpStream::connect(addr).unwrap();
    slow.set_read_timeout(Some(Duration::from_secs(40)))
        .unwrap();
    let start = Instant::now();
    let mut got = Vec::new();
    let mut chunk = [0u8; 256];
    for b in b"GET / HTTP/1.1\r\nX: "
        .iter()
        .chain(b"y".repeat(1000).iter())
    {
        if slow.write_all(&[*b]).is_err() || start.elapsed() > Duration::from_secs(14) {
            break;
        }
        std::thread::sleep(Duration::from_millis(20));
        // Stop sending as soon as the server answers.
        slow.set_nonblocking(true).unwrap();
        let r = slow.read(&mut chunk);
        slow.set_nonblocking(false).unwrap();
        if let Ok(n) = r {
            got.extend_from_slice(&chunk[..n]);
            break;
        }
    }
    let cut_after = start.elapsed();
    let _ = slow.read_to_end(&mut got);
    assert!(
        cut_after < Duration::from_secs(13),
        "still connected after {cut_after:?}"
    );
    assert!(
        got.is_empty() || String::from_utf8_lossy(&got).contains("408"),
        "{:?}",
        String::from_utf8_lossy(&got)
    );
    assert_eq!(get(addr, "/").status, 200, "still serving");
}

#[test]
fn a_port_in_use_is_a_clear_error() {
    let (_tmp, site) = new_site();
    let taken = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = taken.local_addr().unwrap().port().to_string();
    let out = Command::new(env!("CARGO_BIN_EXE_kenshu"))
        .arg("serve")
        .arg(&site)
        .args(["--port", &port])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains(&format!("port {port} is already in use")),
        "{err}"
    );
    assert!(err.contains("hint:") && err.contains("--port 0"), "{err}");
}

#[cfg(unix)]
#[test]
fn ctrl_c_exits_cleanly() {
    let (_tmp, site) = new_site();
    let mut server = Server::start(&site);
    assert_eq!(get(server.addr, "/").status, 200);
    let pid = server.child.id().to_string();
    let kill = Command::new("kill").args(["-INT", &pid]).status().unwrap();
    assert!(kill.success());
    let deadline = Instant::now() + WAIT;
    let status = loop {
        if let Some(status) = server.child.try_wait().unwrap() {
            break status;
        }
        assert!(Instant::now() < deadline, "still running after Ctrl-C");
        std::thread::sleep(Duration::from_millis(20));
    };
    assert_eq!(status.code(), Some(0));
    server.wait_line(false, "stopped");
    assert!(!site.join("public").exists(), "serve writes nothing");
}

/// Browsers and proxies pre-open connections and send nothing (or half a
/// request) for a while: 200 of them must not delay a normal request.
#[test]
fn idle_and_half_sent_connections_do_not_delay_others() {
    let (_tmp, site) = new_site();
    let server = Server::start(&site);
    let addr = server.addr;
    let mut held = Vec::new();
    for i in 0..200 {
        let mut s = TcpStream::connect(addr).unwrap();
        let part: &[u8] = match i % 3 {
            0 => b"GET / HTTP/1.1\r\n",
            1 => b"GET /lessons/first.html HTTP/1.1\r\nHost: x",
            _ => b"",
        };
        s.write_all(part).unwrap();
        held.push(s);
    }
    // On the old design (8 workers blocked reading heads) this waited for
    // every held connection to time out: over 20 s, or never.
    let start = Instant::now();
    let r = get(addr, PAGE_URL);
    let took = start.elapsed();
    assert_eq!(r.status, 200);
    assert!(r.text().contains("<html"), "{}", r.text());
    assert!(took < Duration::from_secs(2), "answered after {took:?}");
    // A held connection that finishes its request is answered too.
    let mut s = held.remove(0);
    s.write_all(b"Host: localhost\r\n\r\n").unwrap();
    s.set_read_timeout(Some(WAIT)).unwrap();
    let mut buf = Vec::new();
    let _ = s.read_to_end(&mut buf);
    assert!(
        buf.starts_with(b"HTTP/1.1 200"),
        "{:?}",
        String::from_utf8_lossy(&buf)
    );
    drop(held);
    assert_eq!(get(addr, "/").status, 200, "still serving");
}

/// Shrinks a socket's receive buffer (the kernel rounds it up a little), so
/// a client that never reads fills up after a few KiB.
#[cfg(unix)]
fn small_receive_buffer(s: &TcpStream) {
    use std::os::fd::AsRawFd;
    let bytes: libc::c_int = 4096;
    // SAFETY: a valid socket, and a pointer to a c_int of the size given.
    let r = unsafe {
        libc::setsockopt(
            s.as_raw_fd(),
            libc::SOL_SOCKET,
            libc::SO_RCVBUF,
            (&bytes as *const libc::c_int).cast(),
            std::mem::size_of::<libc::c_int>() as libc::socklen_t,
        )
    };
    assert_eq!(r, 0, "setsockopt(SO_RCVBUF)");
}

/// A GET that reports how long the answer took (None: no answer in `limit`).
fn timed_get(addr: SocketAddr, path: &str, limit: Duration) -> (Option<u16>, Duration) {
    let start = Instant::now();
    let status = (|| {
        let mut s = TcpStream::connect_timeout(&addr, limit).ok()?;
        s.set_read_timeout(Some(limit)).ok()?;
        s.write_all(format!("GET {path} HTTP/1.1\r\nHost: {addr}\r\n\r\n").as_bytes())
            .ok()?;
        let mut buf = Vec::new();
        let _ = s.read_to_end(&mut buf);
        let head = String::from_utf8_lossy(&buf[..buf.len().min(16)]).to_string();
        head.split(' ').nth(1)?.parse().ok()
    })();
    (status, start.elapsed())
}

/// Live reload never blocks page requests. 64 event-stream clients that
/// never read (small receive buffers), then a save with 3,000 broken links
/// while open tabs reconnect: the old hub wrote the ~1 MB error event to
/// each stuck client while holding its lock (500 ms write timeout each), and
/// the reconnecting tabs took every worker waiting for that lock, so pages
/// went unanswered for over a minute. Now each client has its own queue and
/// writer, and the error event is summarised.
#[cfg(unix)]
#[test]
fn event_stream_clients_that_never_read_do_not_block_pages() {
    let (_tmp, site) = new_site();
    let server = Server::start(&site);
    let addr = server.addr;
    let mut stuck = Vec::new();
    for _ in 0..64 {
        let mut s = TcpStream::connect_timeout(&addr, WAIT).unwrap();
        small_receive_buffer(&s);
        s.write_all(format!("GET /__kenshu/events HTTP/1.1\r\nHost: {addr}\r\n\r\n").as_bytes())
            .unwrap();
        stuck.push(s);
    }
    // Each stream has started (peek: nothing is taken out of the buffer).
    for s in &stuck {
        s.set_read_timeout(Some(WAIT)).unwrap();
        let mut b = [0u8; 8];
        assert!(s.peek(&mut b).expect("the event stream starts") > 0);
    }
    let tab = Events::connect(addr);
    tab.wait("hello", |_| true);
    assert_eq!(get(addr, PAGE_URL).status, 200);

    // Long targets make an event of several MB: more than the kernel's
    // send buffer of a socket takes (up to 4 MB on Linux).
    let long = "x".repeat(1000);
    let links: String = (0..3000)
        .map(|i| format!("[壊れたリンク{i}](no-such-page-{i}-{long}.md)\n"))
        .collect();
    append(&site, PAGE, &format!("\n{links}"));
    // The broken build is being served (the broadcast starts right after).
    let deadline = Instant::now() + WAIT * 3;
    loop {
        let state: serde_json::Value =
            serde_json::from_slice(&get(addr, "/__kenshu/state").body).unwrap();
        if state["errors"].as_array().is_some_and(|e| !e.is_empty()) {
            break;
        }
        assert!(Instant::now() < deadline, "the broken save was not noticed");
        std::thread::sleep(Duration::from_millis(50));
    }
    // Open tabs reconnect meanwhile, as browsers do.
    let reconnecting: Vec<TcpStream> = (0..16)
        .map(|_| {
            let mut s = TcpStream::connect_timeout(&addr, WAIT).unwrap();
            s.write_all(
                format!("GET /__kenshu/events?v=1 HTTP/1.1\r\nHost: {addr}\r\n\r\n").as_bytes(),
            )
            .unwrap();
            s
        })
        .collect();
    // Pages are answered at once throughout.
    let mut slowest = Duration::ZERO;
    let until = Instant::now() + Duration::from_secs(4);
    let mut asked = 0;
    while Instant::now() < until || asked < 8 {
        let path = if asked % 2 == 0 { PAGE_URL } else { "/" };
        let (status, took) = timed_get(addr, path, Duration::from_secs(120));
        assert_eq!(status, Some(200), "GET {path} after {took:?}");
        slowest = slowest.max(took);
        asked += 1;
        std::thread::sleep(Duration::from_millis(20));
    }
    eprintln!("{asked} page requests, the slowest answered after {slowest:?}");
    assert!(
        slowest < Duration::from_secs(2),
        "a page request took {slowest:?}"
    );
    // The tab learns of the errors, summarised (the terminal has them all).
    let bad = tab.wait("error event", |v| {
        v["errors"].as_array().is_some_and(|e| !e.is_empty())
    });
    let shown = bad["errors"].as_array().unwrap().len();
    eprintln!(
        "error event: {shown} errors, {} bytes",
        bad.to_string().len()
    );
    let more = bad["more"]
        .as_u64()
        .expect("a count of the errors not shown");
    assert!(shown <= 50, "{shown} errors sent to the browser");
    assert!(shown as u64 + more >= 3000, "{shown} + {more}");
    assert!(
        bad.to_string().len() < 64 * 1024,
        "{} bytes",
        bad.to_string().len()
    );
    server.wait_line(true, "no-such-page-2999-");
    // The overlay in served pages is summarised the same way.
    let page = get(addr, PAGE_URL).text();
    let overlay = &page[page.find("id=\"kenshu-error-overlay\"").expect("overlay")..];
    assert!(
        overlay.contains(&format!("and {more} more problems")),
        "{}",
        &overlay[..overlay.len().min(2000)]
    );
    assert!(overlay.len() < 64 * 1024, "{} bytes", overlay.len());
    drop(reconnecting);
    drop(stuck);
    assert_eq!(get(addr, "/").status, 200, "still serving");
}

/// Request heads are held to the stated 16 KiB exactly (up to ~20 KiB got
/// through before), and a request naming two hosts is refused (the last
/// `Host` won before).
#[test]
fn request_heads_are_held_to_their_limits() {
    let (_tmp, site) = new_site();
    let server = Server::start(&site);
    let addr = server.addr;
    let head = |len: usize| {
        let start = format!("GET {PAGE_URL} HTTP/1.1\r\nHost: {addr}\r\nX-Fill: ");
        let fill = "a".repeat(len - start.len() - 4);
        format!("{start}{fill}\r\n\r\n").into_bytes()
    };
    for (len, want) in [(16 * 1024, 200), (16 * 1024 + 1, 431), (20 * 1024, 431)] {
        let r = raw(addr, &head(len));
        assert_eq!(r.status, want, "a head of {len} bytes");
    }
    let r = raw(
        addr,
        format!("GET / HTTP/1.1\r\nHost: {addr}\r\nHost: evil.example\r\n\r\n").as_bytes(),
    );
    assert_eq!(r.status, 400);
    assert!(
        r.text().contains("more than one Host header"),
        "{}",
        r.text()
    );
    let r = raw(
        addr,
        format!("GET / HTTP/1.1\r\nHost: evil.example\r\nHost: {addr}\r\n\r\n").as_bytes(),
    );
    assert_eq!(r.status, 400);
    assert_eq!(get(addr, "/").status, 200, "still serving");
}
