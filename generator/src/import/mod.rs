//! `kenshu import pptx`: a lecturer's PowerPoint deck → a kenshu page
//! (`content/NAME.md`, pictures under `content/NAME/`), with `slides = true`
//! so `kenshu build` makes both the reading page and the deck.
//!
//! Nothing is written until the whole deck has been read: the page and its
//! pictures are written into a hidden folder beside them and renamed into
//! place. A hidden record (`content/.NAME.kenshu-import`) keeps a hash of
//! every file written, so a later import replaces them only when nobody
//! has edited them since (or with `--force`).

pub mod container;
mod convert;
pub mod pptx;

use std::fmt;
use std::fs;
use std::path::{Path, PathBuf};

use crate::Diagnostic;
use container::size_text;
pub use container::Limits;

/// What `kenshu import pptx` was asked to do.
#[derive(Debug, Clone)]
pub struct Options {
    /// The .pptx to read.
    pub deck: PathBuf,
    /// The site folder (holds `content/`).
    pub site: PathBuf,
    /// The page's name under `content/`, without `.md` (may hold `/`);
    /// default: the deck's file name.
    pub name: Option<String>,
    /// Replace a page (and pictures) edited since the last import.
    pub force: bool,
    pub limits: Limits,
    /// Convert EMF/WMF pictures with a converter found on PATH.
    pub convert_metafiles: bool,
}

/// What an import did, for the summary it prints.
#[derive(Debug)]
pub struct Report {
    /// The page written, as a path under the site (`content/deck.md`).
    pub page: PathBuf,
    pub images: Vec<String>,
    /// What the conversion carried, left out and lost.
    pub tally: pptx::Tally,
    /// True when it replaced an earlier import.
    pub replaced: bool,
}

impl fmt::Display for Report {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let t = &self.tally;
        let n =
            |k: usize, one: &str, many: &str| format!("{k} {}", if k == 1 { one } else { many });
        write!(
            f,
            "{} {}: {}, {}, {} with speaker notes",
            if self.replaced { "replaced" } else { "wrote" },
            self.page.display(),
            n(t.slides, "slide", "slides"),
            n(self.images.len(), "picture", "pictures"),
            n(t.notes, "slide", "slides"),
        )?;
        if t.tables > 0 {
            write!(f, ", {}", n(t.tables, "table", "tables"))?;
        }
        if t.charts > 0 {
            write!(f, ", {} as tables", n(t.charts, "chart", "charts"))?;
        }
        if t.smartart > 0 {
            write!(f, ", {} as lists", n(t.smartart, "SmartArt", "SmartArts"))?;
        }
        for (num, title) in &t.hidden {
            if title.is_empty() {
                write!(f, "\n  left out: slide {num} (hidden in the deck)")?;
            } else {
                write!(
                    f,
                    "\n  left out: slide {num} 「{title}」 (hidden in the deck)"
                )?;
            }
        }
        if t.dropped_placeholders > 0 {
            write!(
                f,
                "\n  dropped: {} (slide numbers, footers, dates)",
                n(t.dropped_placeholders, "placeholder", "placeholders")
            )?;
        }
        Ok(())
    }
}

/// The page's name from `--name` or the deck's file name: path segments
/// without `..`, hidden names or characters a file name cannot hold.
fn page_name(opts: &Options) -> Result<String, Diagnostic> {
    let given = opts.name.is_some();
    let raw = match &opts.name {
        Some(n) => n.trim().trim_end_matches(".md").to_string(),
        None => opts
            .deck
            .file_stem()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_default(),
    };
    let raw = raw.replace('\\', "/");
    let segs: Vec<&str> = raw.split('/').filter(|s| !s.is_empty()).collect();
    let bad = segs.is_empty()
        || segs.iter().any(|s| {
            *s == "."
                || *s == ".."
                || s.starts_with('.')
                || s.chars().any(|c| c.is_control() || "<>:\"|?*".contains(c))
        });
    if bad {
        let d = Diagnostic::file(
            &opts.deck,
            format!(
                "cannot name the page {raw:?}: a page name is a file name under content/ \
                     (folders separated by /), not empty, without .., a leading dot or <>:\"|?*"
            ),
        );
        return Err(if given {
            d.with_hint("give another one, e.g. --name lectures/03-renkei")
        } else {
            d.with_hint("give the page a name with --name, e.g. --name lectures/03-renkei")
        });
    }
    Ok(segs.join("/"))
}

/// A 64-bit FNV-1a hash, to notice edits (not a security measure).
fn hash(bytes: &[u8]) -> String {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in bytes {
        h ^= u64::from(*b);
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    format!("{h:016x}")
}

/// The record of the last import: file (relative to content/) → hash.
fn read_record(path: &Path) -> Option<Vec<(String, String)>> {
    let text = fs::read_to_string(path).ok()?;
    Some(
        text.lines()
            .filter(|l| !l.starts_with('#'))
            .filter_map(|l| l.split_once('\t'))
            .map(|(h, f)| (f.to_string(), h.to_string()))
            .collect(),
    )
}

/// Files under `dir`, relative to `base`, `/`-separated.
fn files_under(dir: &Path, base: &Path, out: &mut Vec<PathBuf>) {
    let Ok(rd) = fs::read_dir(dir) else {
        return;
    };
    for e in rd.flatten() {
        let p = e.path();
        match e.file_type() {
            Ok(t) if t.is_dir() => files_under(&p, base, out),
            Ok(_) => out.push(p.strip_prefix(base).unwrap_or(&p).to_path_buf()),
            Err(_) => {}
        }
    }
}

fn slash(p: &Path) -> String {
    p.components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect::<Vec<_>>()
        .join("/")
}

/// Imports the deck. On error nothing has been written.
pub fn pptx(opts: &Options) -> Result<Report, Vec<Diagnostic>> {
    let deck_display = opts.deck.clone();
    let err = |msg: String| vec![Diagnostic::file(&deck_display, msg)];
    let name = page_name(opts).map_err(|d| vec![d])?;

    // The site.
    if !opts.site.is_dir() {
        return Err(vec![Diagnostic::file(&opts.site, "site folder not found")
            .with_hint(
                "give the site folder with --into SITE (the folder that holds site.toml and \
             content/), or create one with `kenshu new DIR`",
            )]);
    }
    let content = opts.site.join("content");
    if !content.is_dir() && !opts.site.join("site.toml").is_file() {
        return Err(vec![Diagnostic::file(
            &opts.site,
            "this folder is not a kenshu site (it has neither site.toml nor content/)",
        )
        .with_hint(
            "give the site with --into SITE, or create one with `kenshu new DIR`",
        )]);
    }

    // The deck.
    let meta = fs::metadata(&opts.deck).map_err(|e| {
        vec![
            Diagnostic::file(&opts.deck, format!("cannot read the deck: {e}"))
                .with_hint("check the path of the .pptx"),
        ]
    })?;
    if meta.is_dir() {
        return Err(err("this is a folder, not a .pptx file".into()));
    }
    if meta.len() > opts.limits.total_bytes {
        return Err(err(format!(
            "the file is {}, more than the {} a deck may have",
            size_text(meta.len()),
            size_text(opts.limits.total_bytes)
        )));
    }
    let bytes = fs::read(&opts.deck).map_err(|e| err(format!("cannot read the deck: {e}")))?;
    let mut pkg = container::Package::open(bytes, opts.limits).map_err(|e| err(e.0))?;
    let leaf = name.rsplit('/').next().unwrap_or(&name).to_string();
    let fallback_title = opts
        .deck
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_else(|| leaf.clone());
    let deck = pptx::convert(&mut pkg, &leaf, &fallback_title, opts.convert_metafiles)
        .map_err(|e| err(e.0))?;

    // Where it goes, and whether it may.
    let page_rel = format!("{name}.md");
    let page = content.join(&page_rel);
    let page_dir = page
        .parent()
        .map(Path::to_path_buf)
        .unwrap_or(content.clone());
    let media_dir = page_dir.join(&leaf);
    let record = page_dir.join(format!(".{leaf}.kenshu-import"));
    let shown = |p: &Path| {
        p.strip_prefix(&opts.site)
            .map(Path::to_path_buf)
            .unwrap_or_else(|_| p.to_path_buf())
    };
    if page.is_dir() {
        return Err(vec![Diagnostic::file(
            shown(&page),
            "this is a folder, not a page",
        )
        .with_hint("give the page another name with --name")]);
    }
    if media_dir.exists() && !media_dir.is_dir() {
        return Err(vec![Diagnostic::file(
            shown(&media_dir),
            "the pictures' folder would be here, but a file has this name",
        )
        .with_hint("give the page another name with --name")]);
    }
    let old = read_record(&record);
    let replaced = page.exists();
    // What may be replaced: the page and pictures written by the last
    // import and not edited since (edited ones with --force); a file in the
    // pictures' folder that no import wrote is never deleted.
    {
        let mut problems = Vec::new();
        let known = |f: &str| {
            old.as_ref()
                .and_then(|r| r.iter().find(|(n, _)| n == f).map(|(_, h)| h.clone()))
        };
        let mut check = |p: &Path, is_page: bool| {
            let rel = slash(p.strip_prefix(&page_dir).unwrap_or(p));
            // Unreadable (a link to a folder, say) counts as not ours.
            let now = fs::read(p).unwrap_or_default();
            match known(&rel) {
                None if is_page && !opts.force => problems.push(
                    Diagnostic::file(
                        shown(p),
                        "exists and was not written by `kenshu import`; it is not replaced",
                    )
                    .with_hint("import under another name with --name, or replace it with --force"),
                ),
                None if is_page => {}
                None => problems.push(
                    Diagnostic::file(
                        shown(p),
                        "is in the pictures' folder of the page but was not written by \
                         `kenshu import`; it is not deleted, even with --force",
                    )
                    .with_hint(format!(
                        "move it out of {}/ first, or import under another name with --name",
                        slash(&shown(&media_dir))
                    )),
                ),
                Some(h) if h != hash(&now) && !opts.force => problems.push(
                    Diagnostic::file(
                        shown(p),
                        "was edited since the last import; it is not replaced",
                    )
                    .with_hint(
                        "keep your edits (import under another name with --name and \
                         copy what you need), or discard them with --force",
                    ),
                ),
                Some(_) => {}
            }
        };
        if page.is_file() {
            check(&page, true);
        }
        let mut files = Vec::new();
        files_under(&media_dir, &opts.site, &mut files);
        files.sort();
        for f in files {
            check(&opts.site.join(f), false);
        }
        if !problems.is_empty() {
            return Err(problems);
        }
    }

    // Write: everything into a hidden folder, then rename into place.
    let io = |what: &str, p: &Path, e: std::io::Error| {
        vec![Diagnostic::file(shown(p), format!("cannot {what}: {e}"))
            .with_hint("check that the folder is writable and the disk not full")]
    };
    fs::create_dir_all(&page_dir).map_err(|e| io("create the folder", &page_dir, e))?;
    let tmp = page_dir.join(format!(".{leaf}.kenshu-import-tmp"));
    let _ = fs::remove_dir_all(&tmp);
    fs::create_dir_all(tmp.join("media")).map_err(|e| io("create the folder", &tmp, e))?;
    let cleanup = |r: Result<Report, Vec<Diagnostic>>| {
        let _ = fs::remove_dir_all(&tmp);
        r
    };
    let mut rec = String::from(
        "# Written by `kenshu import pptx`: the hash of every file it wrote, so a\n\
         # later import does not replace files edited since. Delete to start over.\n",
    );
    rec.push_str(&format!(
        "{}\t{}\n",
        hash(deck.markdown.as_bytes()),
        leaf_md(&leaf)
    ));
    let mut images = Vec::new();
    for m in &deck.media {
        let rel = m.path.strip_prefix(&format!("{leaf}/")).unwrap_or(&m.path);
        let dest = tmp.join("media").join(rel);
        if let Err(e) = fs::write(&dest, &m.bytes) {
            return cleanup(Err(io("write", &dest, e)));
        }
        rec.push_str(&format!("{}\t{}\n", hash(&m.bytes), m.path));
        images.push(format!("{}/{}", slash(&shown(&page_dir)), m.path));
    }
    let tmp_page = tmp.join("page.md");
    if let Err(e) = fs::write(&tmp_page, deck.markdown.as_bytes()) {
        return cleanup(Err(io("write", &tmp_page, e)));
    }
    let tmp_rec = tmp.join("record");
    if let Err(e) = fs::write(&tmp_rec, rec.as_bytes()) {
        return cleanup(Err(io("write", &tmp_rec, e)));
    }
    // The pictures' folder: the old one aside, the new one in.
    let aside = page_dir.join(format!(".{leaf}.kenshu-import-old"));
    let _ = fs::remove_dir_all(&aside);
    if media_dir.is_dir() {
        if let Err(e) = fs::rename(&media_dir, &aside) {
            return cleanup(Err(io("move the old pictures aside", &media_dir, e)));
        }
    }
    if !deck.media.is_empty() {
        if let Err(e) = fs::rename(tmp.join("media"), &media_dir) {
            let _ = fs::rename(&aside, &media_dir);
            return cleanup(Err(io("write the pictures into", &media_dir, e)));
        }
    }
    if let Err(e) = fs::rename(&tmp_page, &page) {
        let _ = fs::remove_dir_all(&media_dir);
        let _ = fs::rename(&aside, &media_dir);
        return cleanup(Err(io("write", &page, e)));
    }
    let _ = fs::rename(&tmp_rec, &record);
    let _ = fs::remove_dir_all(&aside);
    cleanup(Ok(Report {
        page: shown(&page),
        images,
        tally: deck.tally,
        replaced,
    }))
}

fn leaf_md(leaf: &str) -> String {
    format!("{leaf}.md")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn page_names_are_checked() {
        let o = |n: &str| Options {
            deck: "deck.pptx".into(),
            site: ".".into(),
            name: Some(n.into()),
            force: false,
            limits: Limits::default(),
            convert_metafiles: false,
        };
        assert_eq!(
            page_name(&o("lectures/03-renkei")).unwrap(),
            "lectures/03-renkei"
        );
        assert_eq!(page_name(&o("実践編.md")).unwrap(), "実践編");
        assert!(page_name(&o("../x")).is_err());
        assert!(page_name(&o(".hidden")).is_err());
        assert!(page_name(&o("")).is_err());
    }
}
