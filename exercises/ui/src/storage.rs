//! Progress storage: localStorage when the browser allows it, an in-memory
//! map otherwise (sandboxed iframes, storage blocked by policy). Stored data
//! that does not parse is ignored. Never throws into JS.

use kenshu_exercises::Record;
use std::cell::RefCell;

/// Every key this bundle writes starts with this prefix.
pub const PREFIX: &str = "kenshu:";

thread_local! {
    // A few keys at most: a list (no BTreeMap code of its own).
    static MEMORY: RefCell<Vec<(String, String)>> = const { RefCell::new(Vec::new()) };
}

fn local() -> Option<web_sys::Storage> {
    // `localStorage` throws (SecurityError) where storage is blocked;
    // web-sys turns that into Err.
    web_sys::window()?.local_storage().ok()?
}

/// The key of an exercise's record: its id and the hash of its content, so
/// a changed exercise never loads stale answers.
pub fn key(id: &str, hash: &str) -> String {
    format!("{PREFIX}{id}:{hash}")
}

/// The learner's name for the records' export (shared by every course on
/// this origin: asked once).
#[cfg(not(feature = "review"))]
pub const NAME_KEY: &str = "kenshu:learner-name";

pub fn get(key: &str) -> Option<String> {
    if let Some(v) = MEMORY.with(|m| {
        m.borrow()
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.clone())
    }) {
        return Some(v);
    }
    local()?.get_item(key).ok()?
}

pub fn set(key: &str, value: String) {
    if let Some(s) = local() {
        if s.set_item(key, &value).is_ok() {
            MEMORY.with(|m| m.borrow_mut().retain(|(k, _)| k != key));
            return;
        }
    }
    MEMORY.with(|m| {
        let mut m = m.borrow_mut();
        m.retain(|(k, _)| k != key);
        m.push((key.to_string(), value));
    });
}

pub fn load(key: &str) -> Record {
    get(key)
        .and_then(|s| crate::json::parse(&s))
        .map(|v| crate::json::record(&v))
        .unwrap_or_default()
}

pub fn save(key: &str, record: &Record) {
    if let Some(s) = crate::json::record_json(record) {
        set(key, s);
    }
}

/// Removes every record (any content hash) of the exercises `ids`: the
/// exercises of this site. Other sites on the same origin (e.g. several
/// courses opened from disk, which all share the file:// origin) keep theirs.
#[cfg(not(feature = "review"))]
pub fn clear(ids: &[String]) {
    let prefixes: Vec<String> = ids.iter().map(|id| format!("{PREFIX}{id}:")).collect();
    let mine = |k: &str| prefixes.iter().any(|p| k.starts_with(p.as_str()));
    MEMORY.with(|m| m.borrow_mut().retain(|(k, _)| !mine(k)));
    let Some(s) = local() else { return };
    let n = s.length().unwrap_or(0);
    let keys: Vec<String> = (0..n)
        .filter_map(|i| s.key(i).ok().flatten())
        .filter(|k| mine(k))
        .collect();
    for k in keys {
        let _ = s.remove_item(&k);
    }
}
