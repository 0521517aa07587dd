use std::fs;
use std::path::{Path, PathBuf};

use crate::{Error, Result};

/// A fresh, empty directory under the system temp dir, removed (with its contents) on drop.
///
/// Set `KENSHU_E2E_KEEP=1` to keep the directories for debugging (their paths are printed).
pub struct TempDir(tempfile::TempDir);

impl TempDir {
    /// Creates `$TMPDIR/kenshu-e2e-<label>-<random>`.
    pub fn new(label: &str) -> Result<TempDir> {
        let label: String = label
            .chars()
            .map(|c| if c.is_ascii_alphanumeric() { c } else { '-' })
            .collect();
        let keep = std::env::var_os("KENSHU_E2E_KEEP").is_some();
        let dir = tempfile::Builder::new()
            .prefix(&format!("kenshu-e2e-{label}-"))
            .disable_cleanup(keep)
            .tempdir()
            .map_err(|e| Error::new(format!("cannot create a temp dir for {label}: {e}")))?;
        if keep {
            eprintln!("kenshu-e2e: keeping {}", dir.path().display());
        }
        Ok(TempDir(dir))
    }

    /// The directory.
    pub fn path(&self) -> &Path {
        self.0.path()
    }

    /// `self.path().join(rel)`.
    pub fn join(&self, rel: impl AsRef<Path>) -> PathBuf {
        self.path().join(rel)
    }

    /// Writes `contents` to `rel` inside the directory, creating parent folders.
    pub fn write(&self, rel: impl AsRef<Path>, contents: impl AsRef<[u8]>) -> Result<PathBuf> {
        let path = self.join(rel);
        if let Some(parent) = path.parent() {
            fs::create_dir_all(parent)?;
        }
        fs::write(&path, contents)
            .map_err(|e| Error::new(format!("cannot write {}: {e}", path.display())))?;
        Ok(path)
    }
}

/// The `file://` URL of `path` (made absolute and percent-encoded). Fails if
/// the path does not exist.
pub fn file_url(path: impl AsRef<Path>) -> Result<String> {
    let path = path.as_ref();
    let abs = fs::canonicalize(path)
        .map_err(|e| Error::new(format!("file_url: {}: {e}", path.display())))?;
    let url = url::Url::from_file_path(&abs)
        .map_err(|()| Error::new(format!("file_url: not a URL: {}", abs.display())))?;
    Ok(url.into())
}

/// All files under `dir` (recursively, through symbolic links) whose name ends with `.ext`, sorted.
pub fn files_with_extension(dir: impl AsRef<Path>, ext: &str) -> Result<Vec<PathBuf>> {
    let mut out = Vec::new();
    for entry in walkdir::WalkDir::new(dir).follow_links(true) {
        let entry = entry.map_err(|e| Error::new(e.to_string()))?;
        let path = entry.path();
        if !entry.file_type().is_dir() && path.extension().and_then(|e| e.to_str()) == Some(ext) {
            out.push(entry.into_path());
        }
    }
    out.sort();
    Ok(out)
}

/// (path relative to `dir`, text) of every `.ext` file under `dir`.
fn texts(dir: &Path, ext: &str) -> Result<Vec<(String, String)>> {
    let mut out = Vec::new();
    for file in files_with_extension(dir, ext)? {
        let text = fs::read_to_string(&file)?;
        let rel = file
            .strip_prefix(dir)
            .unwrap_or(&file)
            .display()
            .to_string();
        out.push((rel, text));
    }
    Ok(out)
}

/// Finds URLs that would break when a site is moved: in every `.html` file under `dir`, the
/// values of `href`, `src`, `srcset`, `action`, `poster` and `data` attributes, and in every
/// `.css` file the `url(...)` values, that are root-relative (`/x`), protocol-relative
/// (`//x`) or absolute `http:`/`https:` URLs.
///
/// Returns `"file: attribute=value"` lines (empty when the site is portable).
pub fn absolute_urls(dir: impl AsRef<Path>) -> Result<Vec<String>> {
    let dir = dir.as_ref();
    let mut problems = Vec::new();
    for (rel, text) in texts(dir, "html")? {
        for (attr, value) in url_attributes(&text) {
            let values: Vec<&str> = if attr == "srcset" {
                value
                    .split(',')
                    .filter_map(|c| c.split_whitespace().next())
                    .collect()
            } else {
                vec![value.as_str()]
            };
            for v in values {
                if is_non_portable(v) {
                    problems.push(format!("{rel}: {attr}=\"{v}\""));
                }
            }
        }
    }
    for (rel, text) in texts(dir, "css")? {
        let mut rest = text.as_str();
        while let Some(i) = rest.find("url(") {
            rest = &rest[i + 4..];
            let end = rest.find(')').unwrap_or(rest.len());
            let v = rest[..end].trim().trim_matches(|c| c == '"' || c == '\'');
            if is_non_portable(v) {
                problems.push(format!("{rel}: url({v})"));
            }
            rest = &rest[end..];
        }
    }
    Ok(problems)
}

fn is_non_portable(url: &str) -> bool {
    let u = url.trim().to_ascii_lowercase();
    u.starts_with('/') || u.starts_with("http:") || u.starts_with("https:")
}

/// `(attribute name, decoded-enough value)` of URL-bearing attributes in HTML text.
fn url_attributes(html: &str) -> Vec<(String, String)> {
    const NAMES: [&str; 6] = ["href", "src", "srcset", "action", "poster", "data"];
    let bytes = html.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        // Attribute names are preceded by whitespace inside a tag.
        if !bytes[i].is_ascii_whitespace() {
            i += 1;
            continue;
        }
        let start = i + 1;
        let mut j = start;
        while j < bytes.len() && (bytes[j].is_ascii_alphanumeric() || bytes[j] == b'-') {
            j += 1;
        }
        let name = html[start..j].to_ascii_lowercase();
        if !NAMES.contains(&name.as_str()) {
            i = j.max(i + 1);
            continue;
        }
        let mut k = j;
        while k < bytes.len() && bytes[k].is_ascii_whitespace() {
            k += 1;
        }
        if k >= bytes.len() || bytes[k] != b'=' {
            i = j;
            continue;
        }
        k += 1;
        while k < bytes.len() && bytes[k].is_ascii_whitespace() {
            k += 1;
        }
        if k >= bytes.len() {
            break;
        }
        let (value, end) = if bytes[k] == b'"' || bytes[k] == b'\'' {
            let q = bytes[k];
            let vstart = k + 1;
            let vend = bytes[vstart..]
                .iter()
                .position(|&b| b == q)
                .map_or(bytes.len(), |p| vstart + p);
            (&html[vstart..vend], vend)
        } else {
            let vend = bytes[k..]
                .iter()
                .position(|&b| b.is_ascii_whitespace() || b == b'>')
                .map_or(bytes.len(), |p| k + p);
            (&html[k..vend], vend)
        };
        out.push((name, value.replace("&#x2F;", "/").replace("&#47;", "/")));
        i = end;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_root_relative_and_absolute_urls() -> Result<()> {
        let dir = TempDir::new("abs-urls")?;
        dir.write(
            "a/index.html",
            r##"<a href="../b.html">ok</a> <a href="/b.html">root</a>
<img src = 'https://cdn.example/x.png' alt=x> <link rel=stylesheet href=//cdn.example/s.css>
<img srcset="x.png 1x, /y.png 2x"> <svg xmlns="http://www.w3.org/2000/svg"><use xlink:href="#i"/></svg>
<p>text href="/not-an-attribute-but-looks-like-one"</p> <a href="#top">top</a>"##,
        )?;
        dir.write(
            "s.css",
            "a{background:url(img/a.png)} b{background:url('/img/b.png')}",
        )?;
        let found = absolute_urls(dir.path())?;
        assert_eq!(
            found,
            vec![
                "a/index.html: href=\"/b.html\"".to_string(),
                "a/index.html: src=\"https://cdn.example/x.png\"".to_string(),
                "a/index.html: href=\"//cdn.example/s.css\"".to_string(),
                "a/index.html: srcset=\"/y.png\"".to_string(),
                // Text that looks like an attribute is reported too: the check errs on the
                // side of failing.
                "a/index.html: href=\"/not-an-attribute-but-looks-like-one\"".to_string(),
                "s.css: url(/img/b.png)".to_string(),
            ]
        );
        Ok(())
    }

    #[test]
    fn portable_site_has_no_findings() -> Result<()> {
        let dir = TempDir::new("abs-urls-ok")?;
        dir.write(
            "index.html",
            r##"<a href="a/b.html#x">x</a><img src="img/a.png"><a href="mailto:a@b.c">m</a>"##,
        )?;
        assert!(absolute_urls(dir.path())?.is_empty());
        Ok(())
    }

    #[test]
    fn file_url_encodes_and_temp_dir_cleans_up() -> Result<()> {
        let dir = TempDir::new("file url")?;
        let p = dir.write("日本 語/a b.html", "x")?;
        let url = file_url(&p)?;
        assert!(url.starts_with("file:///"), "{url}");
        assert!(
            url.ends_with("/%E6%97%A5%E6%9C%AC%20%E8%AA%9E/a%20b.html"),
            "{url}"
        );
        assert!(file_url(dir.join("missing")).is_err());
        let kept = dir.path().to_path_buf();
        drop(dir);
        if std::env::var_os("KENSHU_E2E_KEEP").is_none() {
            assert!(!kept.exists());
        }
        Ok(())
    }
}
