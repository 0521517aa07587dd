//! Offline use of the hosted site: a service worker, `kenshu-sw.js` at the
//! site's root (so its scope is the whole site, at a domain root or under a
//! sub-path), and the list of files it stores on the first visit,
//! `assets/offline.json`. The theme's `site.js` registers the worker only
//! on http(s) — never from file://, never inside a frame (an LMS) — and the
//! worker asks the network first and answers from its store when the
//! network does not (see `offline/sw.js`).
//!
//! The worker's first line holds a version: a hash of every output file's
//! path and bytes. A rebuild that changes any file changes the worker, and
//! the browser then installs it, stores the new files and drops the old.

use std::hash::{BuildHasher, Hash, Hasher};

use super::{Contents, OutputFile};

/// Path of the worker, relative to the site root.
pub const WORKER: &str = "kenshu-sw.js";
/// Path of the list of files the worker stores.
pub const LIST: &str = "assets/offline.json";
/// Path of the web app manifest (linked by `site.js` on http(s) only:
/// from file:// a manifest is an error in the console).
pub const MANIFEST: &str = "assets/site.webmanifest";

/// The web app manifest: the site installs to a phone's home screen
/// with its title, opening its home page.
pub fn manifest(config: &crate::config::SiteConfig) -> OutputFile {
    let accent = config.accent.clone().unwrap_or_else(|| "#1d5fa8".into());
    let json = serde_json::json!({
        "name": config.title,
        "short_name": config.title,
        "description": config.description,
        "lang": config.language,
        "start_url": "../index.html",
        "scope": "../",
        "display": "standalone",
        "background_color": "#ffffff",
        "theme_color": accent,
        "icons": [{ "src": "favicon.svg", "sizes": "any", "type": "image/svg+xml" }],
    });
    OutputFile {
        path: MANIFEST.into(),
        contents: Contents::Bytes(serde_json::to_vec_pretty(&json).unwrap_or_default()),
    }
}

/// A hash of one output file's bytes (for a copied file, of its source's
/// bytes; 0 when it cannot be read — the write stage reports that).
pub fn file_hash(f: &OutputFile) -> u64 {
    match &f.contents {
        Contents::Bytes(b) => bytes_hash(b),
        Contents::Copy(src) => source_hash(src),
    }
}

/// The hash [`file_hash`] gives a file of these bytes: foldhash with its
/// fixed seed, fast and the same on every run.
pub fn bytes_hash(bytes: &[u8]) -> u64 {
    foldhash::fast::FixedState::default().hash_one(bytes)
}

/// The hash [`file_hash`] gives a copied file (0 when it cannot be read).
pub fn source_hash(src: &std::path::Path) -> u64 {
    std::fs::read(src).map_or(0, |b| bytes_hash(&b))
}

/// The worker and its list for a site of `files` (path, hash of bytes, and
/// size in bytes), in any order.
pub fn files(mut files: Vec<(String, u64, u64)>) -> Vec<OutputFile> {
    files.retain(|(p, _, _)| p != WORKER && p != LIST && p != "sitemap.xml");
    files.sort();
    let mut version = std::collections::hash_map::DefaultHasher::new();
    let mut bytes = 0u64;
    for (path, hash, size) in &files {
        path.hash(&mut version);
        hash.hash(&mut version);
        bytes += size;
    }
    // As written in an href (percent-encoded where a URL needs it, so no
    // page named `javascript:x.md` reads as a scheme), relative to the root.
    let paths: Vec<String> = files.iter().map(|f| super::url(&f.0)).collect();
    let list = serde_json::to_string(&paths).unwrap_or_else(|_| "[]".into());
    let worker = format!(
        "// kenshu: offline use of this site ({} files, {} bytes). Written by `kenshu build`.\nvar VERSION = \"{:016x}\";\n{}",
        paths.len(),
        bytes,
        version.finish(),
        include_str!("offline/sw.js")
    );
    vec![
        OutputFile {
            path: WORKER.into(),
            contents: Contents::Bytes(worker.into_bytes()),
        },
        OutputFile {
            path: LIST.into(),
            contents: Contents::Bytes(list.into_bytes()),
        },
    ]
}

/// Size in bytes of an output file (of its source, for a copied file).
pub fn file_size(f: &OutputFile) -> u64 {
    match &f.contents {
        Contents::Bytes(b) => b.len() as u64,
        Contents::Copy(src) => source_size(src),
    }
}

/// The size [`file_size`] gives a copied file (0 when it cannot be read).
pub fn source_size(src: &std::path::Path) -> u64 {
    std::fs::metadata(src).map_or(0, |m| m.len())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn file(path: &str, bytes: &str) -> OutputFile {
        OutputFile {
            path: path.into(),
            contents: Contents::Bytes(bytes.as_bytes().to_vec()),
        }
    }

    fn site(pages: &[(&str, &str)]) -> (String, String) {
        let list: Vec<_> = pages
            .iter()
            .map(|(p, b)| {
                let f = file(p, b);
                (f.path.clone(), file_hash(&f), file_size(&f))
            })
            .collect();
        let out = files(list);
        let text = |i: usize| match &out[i].contents {
            Contents::Bytes(b) => String::from_utf8(b.clone()).unwrap(),
            Contents::Copy(_) => unreachable!(),
        };
        (text(0), text(1))
    }

    #[test]
    fn the_version_follows_every_file_and_the_list_names_them() {
        let (a, list) = site(&[("index.html", "a"), ("b/c.html", "b"), ("sitemap.xml", "x")]);
        assert_eq!(list, r#"["b/c.html","index.html"]"#);
        // Paths as hrefs: nothing reads as a scheme, `#` and `?` are encoded.
        let (_, list) = site(&[("javascript:x.html", "a"), ("用語/a #1?.html", "b")]);
        assert_eq!(list, r#"["javascript%3Ax.html","用語/a%20%231%3F.html"]"#);
        assert!(a.starts_with("// kenshu: offline use of this site (2 files, 2 bytes)"));
        assert!(a.contains("self.addEventListener(\"fetch\""));
        // Same files in another order: the same worker.
        let (again, _) = site(&[("b/c.html", "b"), ("index.html", "a")]);
        assert_eq!(a, again);
        // One byte changed: another version.
        let (changed, _) = site(&[("index.html", "A"), ("b/c.html", "b")]);
        let version = |s: &str| s.lines().nth(1).unwrap_or("").to_string();
        assert_ne!(version(&a), version(&changed));
        assert!(version(&a).starts_with("var VERSION = \""));
    }
}
