//! A small W3C WebDriver client for Debian's chromedriver, over plain HTTP (ureq).

use std::cell::{Cell, RefCell};
use std::collections::HashMap;
use std::fmt;
use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::sync::{Condvar, Mutex};
use std::time::{Duration, Instant};

use serde_json::{json, Value};

use crate::{Error, Result, TempDir};

/// The key of a web element reference in WebDriver JSON.
const ELEMENT_KEY: &str = "element-6066-11e4-a52e-4f735466cecf";

/// Chromium switches every session gets (plus a fresh `--user-data-dir`).
const CHROMIUM_ARGS: &[&str] = &[
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
    "--window-size=1280,900",
];

/// Special keys, as WebDriver key codes (Unicode private-use characters).
///
/// `Key` implements `Display`, so keys can be mixed into text:
/// `elem.send_keys(&format!("abc{}", Key::Enter))`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Key {
    Backspace,
    Tab,
    Enter,
    Shift,
    Control,
    Alt,
    Escape,
    Space,
    PageUp,
    PageDown,
    End,
    Home,
    ArrowLeft,
    ArrowUp,
    ArrowRight,
    ArrowDown,
    Delete,
    Meta,
}

impl Key {
    /// The WebDriver code point of the key.
    pub fn code(self) -> char {
        match self {
            Key::Backspace => '\u{E003}',
            Key::Tab => '\u{E004}',
            Key::Enter => '\u{E007}',
            Key::Shift => '\u{E008}',
            Key::Control => '\u{E009}',
            Key::Alt => '\u{E00A}',
            Key::Escape => '\u{E00C}',
            Key::Space => '\u{E00D}',
            Key::PageUp => '\u{E00E}',
            Key::PageDown => '\u{E00F}',
            Key::End => '\u{E010}',
            Key::Home => '\u{E011}',
            Key::ArrowLeft => '\u{E012}',
            Key::ArrowUp => '\u{E013}',
            Key::ArrowRight => '\u{E014}',
            Key::ArrowDown => '\u{E015}',
            Key::Delete => '\u{E017}',
            Key::Meta => '\u{E03D}',
        }
    }
}

impl fmt::Display for Key {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.code())
    }
}

/// One entry of the browser's console log (`level` is e.g. `SEVERE`, `WARNING`, `INFO`).
#[derive(Clone, Debug, PartialEq)]
pub struct LogEntry {
    pub level: String,
    pub message: String,
    pub source: String,
}

// ---------------------------------------------------------------------------------------------
// Limit on browsers running at once in one test binary (tests run in parallel threads).

static SLOTS: Mutex<usize> = Mutex::new(0);
static SLOT_FREED: Condvar = Condvar::new();

struct Permit;

impl Permit {
    /// Waits for a free slot (`KENSHU_E2E_BROWSERS`, default 2). After two minutes of
    /// waiting it goes ahead anyway, so a test that holds two browsers can never deadlock.
    fn acquire() -> Permit {
        let max = std::env::var("KENSHU_E2E_BROWSERS")
            .ok()
            .and_then(|v| v.parse::<usize>().ok())
            .filter(|&n| n > 0)
            .unwrap_or(2);
        let deadline = Instant::now() + Duration::from_secs(120);
        let mut used = SLOTS.lock().unwrap_or_else(|e| e.into_inner());
        while *used >= max {
            let now = Instant::now();
            if now >= deadline {
                break;
            }
            used = SLOT_FREED
                .wait_timeout(used, deadline - now)
                .map(|(g, _)| g)
                .unwrap_or_else(|e| e.into_inner().0);
        }
        *used += 1;
        Permit
    }
}

impl Drop for Permit {
    fn drop(&mut self) {
        let mut used = SLOTS.lock().unwrap_or_else(|e| e.into_inner());
        *used = used.saturating_sub(1);
        SLOT_FREED.notify_one();
    }
}

// ---------------------------------------------------------------------------------------------

fn find_executable(env: &str, candidates: &[&str]) -> Option<PathBuf> {
    if let Some(p) = std::env::var_os(env) {
        let p = PathBuf::from(p);
        return p.is_file().then_some(p);
    }
    for c in candidates {
        let p = Path::new(c);
        if p.is_absolute() {
            if p.is_file() {
                return Some(p.to_path_buf());
            }
        } else if let Some(path) = std::env::var_os("PATH") {
            for dir in std::env::split_paths(&path) {
                let full = dir.join(c);
                if full.is_file() {
                    return Some(full);
                }
            }
        }
    }
    None
}

const INSTALL_HINT: &str = "the browser tests need Debian's `chromium` and `chromium-driver` \
     packages (`apt-get install -y chromium chromium-driver`, or run `bash .ci/run`)";

/// A headless Chromium driven through its own chromedriver process.
///
/// Each `Browser` runs its own chromedriver on a port chosen by chromedriver itself
/// (`--port=0`, so there is no port race) with a fresh Chromium profile, so tests may create
/// browsers from parallel threads. At most `KENSHU_E2E_BROWSERS` (default 2) browsers run at
/// once per test binary; further `start` calls wait for a free slot.
///
/// On drop the session is deleted and chromedriver killed. If the test is panicking or any
/// browser command failed, chromedriver's log tail and the browser console are printed to
/// stderr (shown by `cargo test` for failing tests).
///
/// Environment: `KENSHU_CHROMEDRIVER` / `KENSHU_CHROMIUM` override the executables
/// (default `/usr/bin/chromedriver`, `/usr/bin/chromium`, else from `PATH`).
pub struct Browser {
    agent: ureq::Agent,
    base: String,
    session: String,
    driver: Child,
    log_path: PathBuf,
    failed: Cell<bool>,
    console: RefCell<Vec<LogEntry>>,
    network: RefCell<NetworkLog>,
    // Released after `drop` has stopped the processes.
    _profile: TempDir,
    _permit: Option<Permit>,
}

#[derive(Default)]
struct NetworkLog {
    urls: HashMap<String, String>,
    problems: Vec<String>,
    responses: Vec<(String, u16)>,
}

impl Browser {
    /// Starts chromedriver and a headless Chromium session (one retry if Chromium fails to
    /// start, which can happen on an overloaded machine).
    pub fn start() -> Result<Browser> {
        let driver = find_executable(
            "KENSHU_CHROMEDRIVER",
            &["/usr/bin/chromedriver", "chromedriver"],
        )
        .ok_or_else(|| Error::new(format!("chromedriver not found: {INSTALL_HINT}")))?;
        let chromium = find_executable(
            "KENSHU_CHROMIUM",
            &["/usr/bin/chromium", "chromium", "chromium-browser"],
        )
        .ok_or_else(|| Error::new(format!("chromium not found: {INSTALL_HINT}")))?;
        let permit = Permit::acquire();
        let mut browser = match Self::start_once(&driver, &chromium) {
            Ok(b) => b,
            Err(first) => {
                eprintln!("kenshu-e2e: browser start failed, retrying once: {first}");
                Self::start_once(&driver, &chromium)
                    .map_err(|e| e.context("cannot start a headless Chromium session"))?
            }
        };
        browser._permit = Some(permit);
        Ok(browser)
    }

    fn start_once(driver: &Path, chromium: &Path) -> Result<Browser> {
        let profile = TempDir::new("chromium")?;
        let user_data = profile.join("profile");
        std::fs::create_dir_all(&user_data)?;
        let log_path = profile.join("chromedriver.log");
        let mut child = Command::new(driver)
            .arg("--port=0")
            .arg(format!("--log-path={}", log_path.display()))
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .map_err(|e| {
                Error::new(format!(
                    "cannot run {}: {e}; {INSTALL_HINT}",
                    driver.display()
                ))
            })?;
        let port = match wait_for_port(&mut child) {
            Ok(p) => p,
            Err(e) => {
                let _ = child.kill();
                let _ = child.wait();
                return Err(Error::new(format!(
                    "{e}\n---- chromedriver log ----\n{}",
                    log_tail(&log_path, 30)
                )));
            }
        };
        let agent = ureq::AgentBuilder::new()
            .timeout_connect(Duration::from_secs(10))
            .timeout(Duration::from_secs(120))
            .build();
        // From here on, `browser` owns the child and kills it on drop.
        let mut browser = Browser {
            agent,
            base: format!("http://127.0.0.1:{port}"),
            session: String::new(),
            driver: child,
            log_path,
            failed: Cell::new(false),
            console: RefCell::new(Vec::new()),
            network: RefCell::new(NetworkLog::default()),
            _profile: profile,
            _permit: None,
        };

        let deadline = Instant::now() + Duration::from_secs(30);
        loop {
            let ready = browser
                .raw("GET", "/status", None)
                .ok()
                .and_then(|v| v.get("ready").and_then(Value::as_bool))
                .unwrap_or(false);
            if ready {
                break;
            }
            if Instant::now() > deadline {
                browser.failed.set(true);
                return Err(Error::new("chromedriver did not become ready in 30 s"));
            }
            std::thread::sleep(Duration::from_millis(50));
        }

        let mut args: Vec<String> = CHROMIUM_ARGS.iter().map(|s| s.to_string()).collect();
        args.push(format!("--user-data-dir={}", user_data.display()));
        let caps = json!({
            "capabilities": {
                "alwaysMatch": {
                    "browserName": "chrome",
                    "pageLoadStrategy": "normal",
                    "timeouts": { "implicit": 0, "pageLoad": 60000, "script": 30000 },
                    "goog:chromeOptions": {
                        "binary": chromium.display().to_string(),
                        "args": args,
                    },
                    "goog:loggingPrefs": { "browser": "ALL", "performance": "ALL" },
                }
            }
        });
        match browser.raw("POST", "/session", Some(caps)) {
            Ok(v) => {
                let id = v.get("sessionId").and_then(Value::as_str).unwrap_or("");
                if id.is_empty() {
                    browser.failed.set(true);
                    return Err(Error::new(format!("new session: no sessionId in {v}")));
                }
                browser.session = id.to_string();
            }
            Err(e) => {
                browser.failed.set(true);
                return Err(e.context("new session"));
            }
        }
        // Start from a clean slate: leave the new-tab page (which makes requests of its own)
        // and drop everything logged so far.
        browser
            .raw(
                "POST",
                &browser.s("/url"),
                Some(json!({ "url": "about:blank" })),
            )
            .inspect_err(|_| browser.failed.set(true))?;
        for kind in ["performance", "browser"] {
            browser
                .raw("POST", &browser.s("/se/log"), Some(json!({ "type": kind })))
                .inspect_err(|_| browser.failed.set(true))?;
        }
        Ok(browser)
    }

    // -- transport --------------------------------------------------------------------------

    /// Sends a WebDriver command and returns its `value`. Does not mark the browser failed.
    fn raw(&self, method: &str, path: &str, body: Option<Value>) -> Result<Value> {
        let url = format!("{}{}", self.base, path);
        let req = self.agent.request(method, &url);
        let res = match body {
            Some(b) => req.send_json(b),
            None if method == "POST" => req.send_json(json!({})),
            None => req.call(),
        };
        let parse = |r: ureq::Response| -> Result<Value> {
            r.into_json::<Value>()
                .map_err(|e| Error::new(format!("{method} {path}: bad JSON reply: {e}")))
        };
        match res {
            Ok(r) => Ok(parse(r)?
                .get_mut("value")
                .map(Value::take)
                .unwrap_or(Value::Null)),
            Err(ureq::Error::Status(code, r)) => {
                let v = parse(r).unwrap_or(Value::Null);
                let err = v["value"]["error"].as_str().unwrap_or("unknown error");
                let msg = v["value"]["message"].as_str().unwrap_or("");
                let msg = msg.lines().next().unwrap_or("");
                Err(Error::new(format!(
                    "WebDriver {method} {path}: HTTP {code} {err}: {msg}"
                )))
            }
            Err(e) => Err(Error::new(format!(
                "WebDriver {method} {path}: chromedriver not reachable: {e}"
            ))),
        }
    }

    /// Sends a command; an error marks the browser failed (logs are printed on drop).
    fn cmd(&self, method: &str, path: &str, body: Option<Value>) -> Result<Value> {
        self.raw(method, path, body)
            .inspect_err(|_| self.failed.set(true))
    }

    fn s(&self, rest: &str) -> String {
        format!("/session/{}{}", self.session, rest)
    }

    fn fail<T>(&self, msg: String) -> Result<T> {
        self.failed.set(true);
        Err(Error::new(msg))
    }

    // -- navigation ---------------------------------------------------------------------------

    /// Opens `url` and waits for the page's load event.
    pub fn goto(&self, url: &str) -> Result<()> {
        self.cmd("POST", &self.s("/url"), Some(json!({ "url": url })))
            .map(|_| ())
            .map_err(|e| e.context(format!("goto {url}")))
    }

    /// The URL of the current page.
    pub fn current_url(&self) -> Result<String> {
        let v = self.cmd("GET", &self.s("/url"), None)?;
        Ok(v.as_str().unwrap_or("").to_string())
    }

    /// The current page's `document.title`.
    pub fn title(&self) -> Result<String> {
        let v = self.cmd("GET", &self.s("/title"), None)?;
        Ok(v.as_str().unwrap_or("").to_string())
    }

    /// History back.
    pub fn back(&self) -> Result<()> {
        self.cmd("POST", &self.s("/back"), None).map(|_| ())
    }

    /// History forward.
    pub fn forward(&self) -> Result<()> {
        self.cmd("POST", &self.s("/forward"), None).map(|_| ())
    }

    /// Reloads the page.
    pub fn refresh(&self) -> Result<()> {
        self.cmd("POST", &self.s("/refresh"), None).map(|_| ())
    }

    /// Makes the `<iframe>` `frame` the context of the commands that follow
    /// (finding, clicking, scripts); `None`: the top-level page again.
    pub fn switch_to_frame(&self, frame: Option<&Element<'_>>) -> Result<()> {
        let id = frame.map(|e| e.json()).unwrap_or(Value::Null);
        self.cmd("POST", &self.s("/frame"), Some(json!({ "id": id })))
            .map(|_| ())
    }

    /// Sets the window's outer size in CSS pixels.
    pub fn set_window_size(&self, width: u32, height: u32) -> Result<()> {
        self.cmd(
            "POST",
            &self.s("/window/rect"),
            Some(json!({ "width": width, "height": height })),
        )
        .map(|_| ())
    }

    /// Saves a PNG screenshot of the viewport to `path`.
    pub fn screenshot_png(&self, path: impl AsRef<Path>) -> Result<()> {
        let v = self.cmd("GET", &self.s("/screenshot"), None)?;
        let bytes = base64_decode(v.as_str().unwrap_or(""))
            .ok_or_else(|| Error::new("screenshot: bad base64"))?;
        std::fs::write(path.as_ref(), bytes).map_err(|e| {
            Error::new(format!(
                "screenshot: cannot write {}: {e}",
                path.as_ref().display()
            ))
        })
    }

    // -- windows and print -------------------------------------------------------------------

    /// The handle of the current window (tab or popup).
    pub fn window_handle(&self) -> Result<String> {
        let v = self.cmd("GET", &self.s("/window"), None)?;
        Ok(v.as_str().unwrap_or("").to_string())
    }

    /// The handles of all open windows, in the browser's order.
    pub fn window_handles(&self) -> Result<Vec<String>> {
        let v = self.cmd("GET", &self.s("/window/handles"), None)?;
        Ok(v.as_array()
            .map(|a| {
                a.iter()
                    .filter_map(|h| h.as_str().map(str::to_string))
                    .collect()
            })
            .unwrap_or_default())
    }

    /// Makes `handle` the window that further commands go to.
    pub fn switch_to_window(&self, handle: &str) -> Result<()> {
        self.cmd(
            "POST",
            &self.s("/window"),
            Some(json!({ "handle": handle })),
        )
        .map(|_| ())
    }

    /// Prints the current page to PDF (WebDriver `print`) and returns the PDF bytes.
    pub fn print_pdf(&self, landscape: bool) -> Result<Vec<u8>> {
        let v = self.cmd(
            "POST",
            &self.s("/print"),
            Some(json!({ "orientation": if landscape { "landscape" } else { "portrait" }, "background": true })),
        )?;
        base64_decode(v.as_str().unwrap_or("")).ok_or_else(|| Error::new("print: bad base64"))
    }

    /// Prints the current page to PDF on A4 portrait paper (21.0 × 29.7 cm)
    /// and returns the PDF bytes.
    pub fn print_pdf_a4(&self) -> Result<Vec<u8>> {
        let v = self.cmd(
            "POST",
            &self.s("/print"),
            Some(json!({ "orientation": "portrait", "background": true,
                         "page": { "width": 21.0, "height": 29.7 } })),
        )?;
        base64_decode(v.as_str().unwrap_or("")).ok_or_else(|| Error::new("print: bad base64"))
    }

    /// Runs a Chrome DevTools Protocol command through chromedriver
    /// (e.g. `Emulation.setEmulatedMedia` to emulate dark mode).
    pub fn cdp(&self, cmd: &str, params: Value) -> Result<Value> {
        self.cmd(
            "POST",
            &self.s("/goog/cdp/execute"),
            Some(json!({ "cmd": cmd, "params": params })),
        )
    }

    /// Emulates the user's colour-scheme and motion preferences.
    pub fn emulate_media(&self, dark: bool, reduced_motion: bool) -> Result<()> {
        self.cdp(
            "Emulation.setEmulatedMedia",
            json!({ "features": [
                { "name": "prefers-color-scheme", "value": if dark { "dark" } else { "light" } },
                { "name": "prefers-reduced-motion", "value": if reduced_motion { "reduce" } else { "no-preference" } },
            ] }),
        )?;
        self.settle()
    }

    /// Waits for two animation frames: styles of a new colour scheme or
    /// window size are applied and painted (a busy machine can lag behind a
    /// check that runs at once).
    pub fn settle(&self) -> Result<()> {
        self.execute_async(
            "const done = arguments[arguments.length - 1];
             requestAnimationFrame(() => requestAnimationFrame(() => done(1)));",
            vec![],
        )?;
        Ok(())
    }

    /// Waits until every exercise island of the page (`[data-exercise]`,
    /// `[data-exercise-progress]`) is mounted: its host has `data-mounted` and shows
    /// more than the static fallback. Then two animation frames ([`Browser::settle`]).
    /// A page without islands passes at once.
    pub fn wait_islands(&self, timeout: Duration) -> Result<()> {
        const MOUNTED: &str =
            "return [...document.querySelectorAll('[data-exercise],[data-exercise-progress]')]
            .every(h => h.hasAttribute('data-mounted') && [...h.children]
                .some(c => c.tagName !== 'SCRIPT' && !c.classList.contains('ex-static')))";
        self.wait_until("the exercise islands to mount", timeout, |b| {
            Ok(b.execute(MOUNTED, vec![])? == Value::Bool(true))
        })?;
        self.settle()
    }

    // -- elements -----------------------------------------------------------------------------

    fn element_from_value(&self, v: &Value) -> Option<Element<'_>> {
        v.get(ELEMENT_KEY)
            .and_then(Value::as_str)
            .map(|id| Element {
                browser: self,
                id: id.to_string(),
            })
    }

    fn find_in(&self, scope: &str, css: &str) -> Result<Element<'_>> {
        let v = self.raw(
            "POST",
            &self.s(&format!("{scope}/element")),
            Some(json!({ "using": "css selector", "value": css })),
        )?;
        self.element_from_value(&v)
            .ok_or_else(|| Error::new(format!("find {css}: no element reference in {v}")))
    }

    fn find_all_in(&self, scope: &str, css: &str) -> Result<Vec<Element<'_>>> {
        let v = self.cmd(
            "POST",
            &self.s(&format!("{scope}/elements")),
            Some(json!({ "using": "css selector", "value": css })),
        )?;
        Ok(v.as_array()
            .map(|a| {
                a.iter()
                    .filter_map(|e| self.element_from_value(e))
                    .collect()
            })
            .unwrap_or_default())
    }

    /// The first element matching the CSS selector (error if there is none).
    pub fn find(&self, css: &str) -> Result<Element<'_>> {
        self.find_in("", css).inspect_err(|_| self.failed.set(true))
    }

    /// The first element matching the CSS selector, or `None`.
    pub fn try_find(&self, css: &str) -> Result<Option<Element<'_>>> {
        match self.find_in("", css) {
            Ok(e) => Ok(Some(e)),
            Err(e) if e.message().contains("no such element") => Ok(None),
            Err(e) => self.fail(e.to_string()),
        }
    }

    /// All elements matching the CSS selector (possibly none).
    pub fn find_all(&self, css: &str) -> Result<Vec<Element<'_>>> {
        self.find_all_in("", css)
    }

    /// Polls (every 50 ms) until an element matches `css`, then returns it.
    pub fn wait_for(&self, css: &str, timeout: Duration) -> Result<Element<'_>> {
        let deadline = Instant::now() + timeout;
        loop {
            match self.find_in("", css) {
                Ok(e) => return Ok(e),
                Err(e) if !e.message().contains("no such element") => {
                    return self.fail(format!("wait_for {css}: {e}"))
                }
                Err(_) => {}
            }
            if Instant::now() >= deadline {
                let url = self.current_url().unwrap_or_default();
                return self.fail(format!(
                    "wait_for {css}: no such element after {timeout:?} (page {url})"
                ));
            }
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    /// Polls (every 50 ms) until `cond` returns `Ok(true)`; an `Err` from `cond` counts as
    /// "not yet". On timeout, fails with `what` and the last error, if any.
    pub fn wait_until<F>(&self, what: &str, timeout: Duration, mut cond: F) -> Result<()>
    where
        F: FnMut(&Browser) -> Result<bool>,
    {
        let deadline = Instant::now() + timeout;
        loop {
            let last = match cond(self) {
                Ok(true) => return Ok(()),
                Ok(false) => None,
                Err(e) => Some(e),
            };
            if Instant::now() >= deadline {
                let detail = last
                    .map(|e| format!(" (last error: {e})"))
                    .unwrap_or_default();
                return self.fail(format!(
                    "timed out after {timeout:?} waiting for {what}{detail}"
                ));
            }
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    /// The focused element (`document.activeElement`).
    pub fn active_element(&self) -> Result<Element<'_>> {
        let v = self.cmd("GET", &self.s("/element/active"), None)?;
        self.element_from_value(&v)
            .ok_or_else(|| Error::new(format!("active element: unexpected reply {v}")))
    }

    /// The element's accessible name as Chromium computes it (WebDriver `computedlabel`).
    pub fn accessible_name(&self, elem: &Element<'_>) -> Result<String> {
        elem.accessible_name()
    }

    /// The element's ARIA role as Chromium computes it (WebDriver `computedrole`).
    pub fn role(&self, elem: &Element<'_>) -> Result<String> {
        elem.role()
    }

    // -- scripts ------------------------------------------------------------------------------

    /// Runs `js` as the body of a function (use `return …`; `arguments[i]` are `args`, pass
    /// elements with [`Element::json`]) and returns its JSON result.
    pub fn execute(&self, js: &str, args: Vec<Value>) -> Result<Value> {
        self.cmd(
            "POST",
            &self.s("/execute/sync"),
            Some(json!({ "script": js, "args": args })),
        )
    }

    /// Like [`Browser::execute`], but the script finishes by calling its last argument
    /// (`arguments[arguments.length - 1](result)`).
    pub fn execute_async(&self, js: &str, args: Vec<Value>) -> Result<Value> {
        self.cmd(
            "POST",
            &self.s("/execute/async"),
            Some(json!({ "script": js, "args": args })),
        )
    }

    /// The element a script returned (e.g. `return document.activeElement`), if it is one.
    pub fn element_from(&self, v: &Value) -> Option<Element<'_>> {
        self.element_from_value(v)
    }

    // -- keyboard -----------------------------------------------------------------------------

    fn perform_key_actions(&self, actions: Vec<Value>) -> Result<()> {
        let body =
            json!({ "actions": [ { "type": "key", "id": "keyboard", "actions": actions } ] });
        self.cmd("POST", &self.s("/actions"), Some(body))?;
        self.cmd("DELETE", &self.s("/actions"), None).map(|_| ())
    }

    /// Types `text` into whatever has focus (keyboard-only use), one key press per char;
    /// special keys can be embedded with [`Key`]'s `Display`: `b.keys(&Key::Tab.to_string())`.
    pub fn keys(&self, text: &str) -> Result<()> {
        let mut actions = Vec::new();
        for c in text.chars() {
            actions.push(json!({ "type": "keyDown", "value": c.to_string() }));
            actions.push(json!({ "type": "keyUp", "value": c.to_string() }));
        }
        self.perform_key_actions(actions)
    }

    /// Presses and releases one key on whatever has focus.
    pub fn press(&self, key: Key) -> Result<()> {
        self.keys(&key.to_string())
    }

    /// Presses `key` while holding `modifiers` (e.g. `press_with(&[Key::Shift], Key::Tab)`).
    pub fn press_with(&self, modifiers: &[Key], key: Key) -> Result<()> {
        let mut actions = Vec::new();
        for m in modifiers {
            actions.push(json!({ "type": "keyDown", "value": m.to_string() }));
        }
        actions.push(json!({ "type": "keyDown", "value": key.to_string() }));
        actions.push(json!({ "type": "keyUp", "value": key.to_string() }));
        for m in modifiers.iter().rev() {
            actions.push(json!({ "type": "keyUp", "value": m.to_string() }));
        }
        self.perform_key_actions(actions)
    }

    // -- logs ---------------------------------------------------------------------------------

    fn fetch_log(&self, kind: &str) -> Result<Vec<Value>> {
        let v = self.cmd("POST", &self.s("/se/log"), Some(json!({ "type": kind })))?;
        Ok(v.as_array().cloned().unwrap_or_default())
    }

    fn drain_network_log(&self) -> Result<()> {
        let entries = self.fetch_log("performance")?;
        let mut net = self.network.borrow_mut();
        for e in entries {
            let Some(text) = e.get("message").and_then(Value::as_str) else {
                continue;
            };
            let Ok(msg) = serde_json::from_str::<Value>(text) else {
                continue;
            };
            let msg = &msg["message"];
            let params = &msg["params"];
            let id = params["requestId"].as_str().unwrap_or("").to_string();
            match msg["method"].as_str().unwrap_or("") {
                "Network.requestWillBeSent" => {
                    let url = params["request"]["url"].as_str().unwrap_or("").to_string();
                    net.urls.insert(id, url);
                }
                "Network.responseReceived" => {
                    let url = params["response"]["url"].as_str().unwrap_or("").to_string();
                    let status = params["response"]["status"].as_u64().unwrap_or(0) as u16;
                    if status >= 400 {
                        net.problems.push(format!("HTTP {status}: {url}"));
                    }
                    net.responses.push((url, status));
                }
                "Network.loadingFailed" => {
                    let url = net.urls.get(&id).cloned().unwrap_or_else(|| id.clone());
                    let err = params["errorText"].as_str().unwrap_or("failed");
                    let blocked = params["blockedReason"].as_str().unwrap_or("");
                    let canceled = params["canceled"].as_bool().unwrap_or(false);
                    let mut line = format!("{err}: {url}");
                    if !blocked.is_empty() {
                        line.push_str(&format!(" (blocked: {blocked})"));
                    }
                    if canceled {
                        line.push_str(" (canceled)");
                    }
                    net.problems.push(line);
                }
                _ => {}
            }
        }
        Ok(())
    }

    /// Every request that failed since the session started, as `"<error>: <url>"` lines:
    /// network errors (`net::ERR_FILE_NOT_FOUND`, blocked, canceled, …) and HTTP statuses of
    /// 400 or more, for http and file URLs alike (from Chromium's performance log).
    ///
    /// Chromium's automatic probe for `http://host/favicon.ico` (made when a page declares
    /// no icon, and outside a site's control when it is served under a sub-path) is left out.
    pub fn failed_requests(&self) -> Result<Vec<String>> {
        self.drain_network_log()?;
        Ok(self
            .network
            .borrow()
            .problems
            .iter()
            .filter(|p| !p.split_whitespace().any(is_favicon_probe))
            .cloned()
            .collect())
    }

    /// `(url, status)` of every response received since the session started (file URLs
    /// report status 200 in Chromium).
    pub fn responses(&self) -> Result<Vec<(String, u16)>> {
        self.drain_network_log()?;
        Ok(self.network.borrow().responses.clone())
    }

    /// Every browser console entry since the session started (console calls, uncaught
    /// exceptions, "Failed to load resource" messages, …).
    pub fn console_log(&self) -> Result<Vec<LogEntry>> {
        let entries = self.fetch_log("browser")?;
        let mut console = self.console.borrow_mut();
        for e in entries {
            console.push(LogEntry {
                level: e["level"].as_str().unwrap_or("").to_string(),
                message: e["message"].as_str().unwrap_or("").to_string(),
                source: e["source"].as_str().unwrap_or("").to_string(),
            });
        }
        Ok(console.clone())
    }

    /// The console entries of level `SEVERE` (errors) since the session started, except
    /// the failed automatic `/favicon.ico` probe (see [`Browser::failed_requests`]).
    pub fn console_errors(&self) -> Result<Vec<String>> {
        Ok(self
            .console_log()?
            .into_iter()
            .filter(|e| e.level == "SEVERE")
            .filter(|e| {
                !e.message
                    .split_whitespace()
                    .next()
                    .is_some_and(is_favicon_probe)
            })
            .map(|e| e.message)
            .collect())
    }

    /// Fails if any request failed or anything was logged as a console error since the
    /// session started; the error lists them all.
    pub fn assert_no_errors(&self) -> Result<()> {
        let failed = self.failed_requests()?;
        let errors = self.console_errors()?;
        if failed.is_empty() && errors.is_empty() {
            return Ok(());
        }
        let mut msg = String::from("the page had errors:");
        for f in failed {
            msg.push_str(&format!("\n  request failed: {f}"));
        }
        for e in errors {
            msg.push_str(&format!("\n  console error: {e}"));
        }
        self.fail(msg)
    }

    /// Marks the browser as failed, so that chromedriver's log and the browser console are
    /// printed when it is dropped (use it when a check of yours fails, e.g. in a
    /// `map_err`: `check(&b).map_err(|e| { b.mark_failed(); e })`).
    pub fn mark_failed(&self) {
        self.failed.set(true);
    }

    /// The current page's serialized DOM (WebDriver "get page source").
    pub fn page_source(&self) -> Result<String> {
        let v = self.cmd("GET", &self.s("/source"), None)?;
        Ok(v.as_str().unwrap_or("").to_string())
    }

    /// The tail of chromedriver's log (for debugging).
    pub fn driver_log(&self, lines: usize) -> String {
        log_tail(&self.log_path, lines)
    }
}

impl Drop for Browser {
    fn drop(&mut self) {
        let print = std::thread::panicking() || self.failed.get();
        let console = if print && !self.session.is_empty() {
            self.raw(
                "POST",
                &self.s("/se/log"),
                Some(json!({ "type": "browser" })),
            )
            .ok()
        } else {
            None
        };
        if !self.session.is_empty() {
            let agent = ureq::AgentBuilder::new()
                .timeout(Duration::from_secs(15))
                .build();
            let _ = agent
                .delete(&format!("{}/session/{}", self.base, self.session))
                .call();
        }
        let _ = self.driver.kill();
        let _ = self.driver.wait();
        if print {
            eprintln!(
                "---- chromedriver log (last 60 lines of {}) ----\n{}",
                self.log_path.display(),
                log_tail(&self.log_path, 60)
            );
            let mut all = self.console.borrow().clone();
            if let Some(Value::Array(entries)) = console {
                for e in entries {
                    all.push(LogEntry {
                        level: e["level"].as_str().unwrap_or("").to_string(),
                        message: e["message"].as_str().unwrap_or("").to_string(),
                        source: e["source"].as_str().unwrap_or("").to_string(),
                    });
                }
            }
            eprintln!("---- browser console ({} entries) ----", all.len());
            for e in all {
                eprintln!("{} [{}] {}", e.level, e.source, e.message);
            }
            eprintln!("---- end of browser logs ----");
        }
    }
}

/// Reads chromedriver's stdout until it announces its port (it chose a free one itself).
/// Keeps draining stdout in the background so the pipe never fills up.
fn wait_for_port(child: &mut Child) -> Result<u16> {
    let stdout = child
        .stdout
        .take()
        .ok_or_else(|| Error::new("chromedriver: no stdout"))?;
    let (tx, rx) = mpsc::channel();
    std::thread::Builder::new()
        .name("chromedriver-stdout".into())
        .spawn(move || {
            let mut sent = false;
            for line in BufReader::new(stdout).lines() {
                let Ok(line) = line else { break };
                if !sent {
                    if let Some(rest) = line.split("started successfully on port ").nth(1) {
                        let port: String = rest.chars().take_while(char::is_ascii_digit).collect();
                        if let Ok(p) = port.parse::<u16>() {
                            let _ = tx.send(p);
                            sent = true;
                        }
                    }
                }
            }
        })?;
    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        match rx.recv_timeout(Duration::from_millis(100)) {
            Ok(p) => return Ok(p),
            Err(mpsc::RecvTimeoutError::Disconnected) => {
                let status = child.wait().map(|s| s.to_string()).unwrap_or_default();
                return Err(Error::new(format!(
                    "chromedriver exited before it was ready ({status})"
                )));
            }
            Err(mpsc::RecvTimeoutError::Timeout) => {
                if let Ok(Some(status)) = child.try_wait() {
                    return Err(Error::new(format!(
                        "chromedriver exited before it was ready ({status})"
                    )));
                }
                if Instant::now() > deadline {
                    return Err(Error::new("chromedriver did not report its port in 30 s"));
                }
            }
        }
    }
}

/// Whether `url` is `http(s)://host/favicon.ico` (the browser's automatic icon probe).
fn is_favicon_probe(url: &str) -> bool {
    let Some(rest) = url
        .strip_prefix("http://")
        .or_else(|| url.strip_prefix("https://"))
    else {
        return false;
    };
    rest.find('/').is_some_and(|i| &rest[i..] == "/favicon.ico")
}

fn log_tail(path: &Path, lines: usize) -> String {
    match std::fs::read(path) {
        Ok(bytes) => {
            let text = String::from_utf8_lossy(&bytes);
            let all: Vec<&str> = text.lines().collect();
            let start = all.len().saturating_sub(lines);
            all[start..]
                .iter()
                .map(|l| {
                    // Long lines (page sources, screenshots) are shortened.
                    if l.chars().count() > 400 {
                        let short: String = l.chars().take(400).collect();
                        format!("{short}…")
                    } else {
                        l.to_string()
                    }
                })
                .collect::<Vec<_>>()
                .join("\n")
        }
        Err(e) => format!("(no chromedriver log at {}: {e})", path.display()),
    }
}

/// Screenshots and PDFs arrive as standard base64.
fn base64_decode(s: &str) -> Option<Vec<u8>> {
    use base64::Engine;
    base64::engine::general_purpose::STANDARD.decode(s).ok()
}

/// An element of the current page. Stale after navigation.
pub struct Element<'b> {
    browser: &'b Browser,
    id: String,
}

impl<'b> Element<'b> {
    fn p(&self, rest: &str) -> String {
        self.browser.s(&format!("/element/{}{}", self.id, rest))
    }

    /// The element as a script argument for [`Browser::execute`].
    pub fn json(&self) -> Value {
        json!({ ELEMENT_KEY: self.id })
    }

    /// Scrolls the element into view and clicks its centre, like a user would.
    ///
    /// The element is first scrolled to the middle of the viewport instantly (themes with
    /// `scroll-behavior: smooth` would otherwise make chromedriver click where the element
    /// was before the animation). If the click is intercepted (something covers the element,
    /// e.g. during a transition), it is retried for up to 3 seconds; after that the error
    /// is returned.
    pub fn click(&self) -> Result<()> {
        let deadline = Instant::now() + Duration::from_secs(3);
        loop {
            let _ = self.browser.raw(
                "POST",
                &self.browser.s("/execute/sync"),
                Some(json!({
                    "script": "arguments[0].scrollIntoView({block: 'center', inline: 'nearest', behavior: 'instant'});",
                    "args": [self.json()],
                })),
            );
            match self.browser.raw("POST", &self.p("/click"), None) {
                Ok(_) => return Ok(()),
                Err(e)
                    if e.message().contains("element click intercepted")
                        && Instant::now() < deadline =>
                {
                    std::thread::sleep(Duration::from_millis(100));
                }
                Err(e) => {
                    self.browser.failed.set(true);
                    return Err(e);
                }
            }
        }
    }

    /// The rendered text (`innerText`-like, whitespace normalised by the browser).
    pub fn text(&self) -> Result<String> {
        let v = self.browser.cmd("GET", &self.p("/text"), None)?;
        Ok(v.as_str().unwrap_or("").to_string())
    }

    /// An HTML attribute, `None` if absent.
    pub fn attr(&self, name: &str) -> Result<Option<String>> {
        let v = self
            .browser
            .cmd("GET", &self.p(&format!("/attribute/{name}")), None)?;
        Ok(v.as_str().map(str::to_string))
    }

    /// A DOM property (`href` gives the resolved absolute URL, `naturalWidth`, `checked`, …).
    pub fn property(&self, name: &str) -> Result<Value> {
        self.browser
            .cmd("GET", &self.p(&format!("/property/{name}")), None)
    }

    /// A computed CSS value as Chromium's WebDriver reports it; colours come back as
    /// `rgba(...)`, e.g. `css("color")` → `"rgba(29, 95, 168, 1)"`.
    pub fn css(&self, property: &str) -> Result<String> {
        let v = self
            .browser
            .cmd("GET", &self.p(&format!("/css/{property}")), None)?;
        Ok(v.as_str().unwrap_or("").to_string())
    }

    /// Lower-case tag name.
    pub fn tag_name(&self) -> Result<String> {
        let v = self.browser.cmd("GET", &self.p("/name"), None)?;
        Ok(v.as_str().unwrap_or("").to_ascii_lowercase())
    }

    /// Whether the element is displayed.
    pub fn is_displayed(&self) -> Result<bool> {
        let v = self.browser.cmd("GET", &self.p("/displayed"), None)?;
        Ok(v.as_bool().unwrap_or(false))
    }

    /// Whether the element is enabled (form controls).
    pub fn is_enabled(&self) -> Result<bool> {
        let v = self.browser.cmd("GET", &self.p("/enabled"), None)?;
        Ok(v.as_bool().unwrap_or(false))
    }

    /// `(x, y, width, height)` in CSS pixels, relative to the document.
    pub fn rect(&self) -> Result<(f64, f64, f64, f64)> {
        let v = self.browser.cmd("GET", &self.p("/rect"), None)?;
        let f = |k: &str| v[k].as_f64().unwrap_or(0.0);
        Ok((f("x"), f("y"), f("width"), f("height")))
    }

    /// Focuses the element and types `text` (may contain [`Key`] codes).
    pub fn send_keys(&self, text: &str) -> Result<()> {
        self.browser
            .cmd("POST", &self.p("/value"), Some(json!({ "text": text })))
            .map(|_| ())
    }

    /// Clears a text field.
    pub fn clear(&self) -> Result<()> {
        self.browser
            .cmd("POST", &self.p("/clear"), None)
            .map(|_| ())
    }

    /// The first descendant matching `css`.
    pub fn find(&self, css: &str) -> Result<Element<'b>> {
        self.browser
            .find_in(&format!("/element/{}", self.id), css)
            .inspect_err(|_| self.browser.failed.set(true))
    }

    /// All descendants matching `css`.
    pub fn find_all(&self, css: &str) -> Result<Vec<Element<'b>>> {
        self.browser
            .find_all_in(&format!("/element/{}", self.id), css)
    }

    /// The accessible name (WebDriver `computedlabel`).
    pub fn accessible_name(&self) -> Result<String> {
        let v = self.browser.cmd("GET", &self.p("/computedlabel"), None)?;
        Ok(v.as_str().unwrap_or("").to_string())
    }

    /// The computed ARIA role (WebDriver `computedrole`), e.g. `"link"`, `"button"`.
    pub fn role(&self) -> Result<String> {
        let v = self.browser.cmd("GET", &self.p("/computedrole"), None)?;
        Ok(v.as_str().unwrap_or("").to_string())
    }

    /// Whether this is the same DOM node as `other`.
    pub fn same_as(&self, other: &Element<'_>) -> Result<bool> {
        let v = self.browser.execute(
            "return arguments[0] === arguments[1];",
            vec![self.json(), other.json()],
        )?;
        Ok(v.as_bool().unwrap_or(false))
    }
}

impl fmt::Debug for Element<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Element({})", self.id)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base64_roundtrip_known_values() {
        assert_eq!(base64_decode("aGVsbG8=").as_deref(), Some(&b"hello"[..]));
        assert_eq!(base64_decode("aGVsbG8h").as_deref(), Some(&b"hello!"[..]));
        assert_eq!(base64_decode("aGk=").as_deref(), Some(&b"hi"[..]));
        assert_eq!(
            base64_decode("iVBORw0KGgo=").as_deref(),
            Some(&b"\x89PNG\r\n\x1a\n"[..])
        );
        assert_eq!(base64_decode("a"), None);
        assert_eq!(base64_decode("a$bc"), None);
    }

    #[test]
    fn key_codes_are_webdriver_codes() {
        assert_eq!(Key::Tab.to_string(), "\u{E004}");
        assert_eq!(Key::Enter.code(), '\u{E007}');
        assert_eq!(Key::PageDown.code(), '\u{E00F}');
        assert_eq!(Key::ArrowDown.code(), '\u{E015}');
    }

    #[test]
    fn favicon_probe_detection() {
        assert!(is_favicon_probe("http://127.0.0.1:4000/favicon.ico"));
        assert!(!is_favicon_probe("http://127.0.0.1:4000/sub/favicon.ico"));
        assert!(!is_favicon_probe("file:///favicon.ico"));
        assert!(!is_favicon_probe("/favicon.ico"));
    }
}
