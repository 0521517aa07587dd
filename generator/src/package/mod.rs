//! `kenshu package scorm`: the site as one zip an LMS imports.
//!
//! The same pipeline as `build` — load → render — with two pure steps
//! around render: [`learners::for_learners`] takes the lecturer's material
//! out of the model, and [`scorm`] adds the launch page and the manifest.
//! The zip is written beside its destination and renamed into place, so a
//! failed run never leaves half a package (or destroys the previous one).

pub mod learners;
pub mod scorm;

use std::io::Write;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use crate::diagnostic::Diagnostic;
use crate::render::{Contents, OutputFile};

pub use scorm::Version;

/// How to package.
#[derive(Debug, Clone)]
pub struct Options {
    pub version: Version,
    /// Keep speaker notes, slide decks, the answer key and the pages of
    /// `[package] exclude`.
    pub include_lecturer: bool,
}

/// What a successful run did.
#[derive(Debug, Clone)]
pub struct Report {
    pub version: Version,
    pub pages: usize,
    pub files: usize,
    /// Size of the zip in bytes.
    pub bytes: u64,
    /// Pages and files left out (paths below `content/`).
    pub left_out: Vec<String>,
    pub elapsed: Duration,
    /// What did not stop the package, as `kenshu build` reports it (the
    /// loader's warnings, the decks' overfull slides).
    pub warnings: Vec<Diagnostic>,
}

impl std::fmt::Display for Report {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "packaged {} pages, {} files ({}, {:.0} KB) in {:.2} s",
            self.pages,
            self.files,
            self.version.label(),
            self.bytes as f64 / 1000.0,
            self.elapsed.as_secs_f64()
        )
    }
}

/// The default zip: `SITE/<folder name>-scorm.zip`.
pub fn default_output(site: &Path) -> PathBuf {
    site.join(format!("{}-scorm.zip", site_name(site)))
}

fn site_name(site: &Path) -> String {
    let abs = site.canonicalize().unwrap_or_else(|_| site.to_path_buf());
    abs.file_name()
        .map(|n| n.to_string_lossy().to_string())
        .filter(|n| !n.is_empty())
        .unwrap_or_else(|| "site".to_string())
}

/// Why the package may not be written at `out`, resolved
/// ([`crate::write::resolve`]): inside the site's sources (`content/`,
/// `theme/`, what their links lead to) or inside an output folder (the
/// site's `public/`, any folder holding kenshu's marker), where a build
/// would publish it or replace it.
fn refuse_place(site: &Path, out: &Path) -> Option<Diagnostic> {
    let real = crate::write::resolve(out);
    let site_real = crate::write::resolve(site);
    let shown = |p: &Path| {
        p.strip_prefix(&site_real)
            .map(|r| format!("the site's {}", r.display()))
            .unwrap_or_else(|_| format!("`{}`", p.display()))
    };
    let source = crate::walk::sources(site)
        .into_iter()
        .find(|s| real.starts_with(s));
    let output = || {
        std::iter::once(crate::write::resolve(&site.join("public")))
            .filter(|p| real.starts_with(p))
            .chain(
                real.ancestors()
                    .skip(1)
                    .filter(|a| std::fs::symlink_metadata(a.join(crate::walk::MARKER)).is_ok())
                    .map(Path::to_path_buf),
            )
            .next()
    };
    let inside = match source {
        Some(s) => Some(format!("inside {}, which the site publishes", shown(&s))),
        None => {
            output().map(|o| format!("inside {}, an output folder a build replaces", shown(&o)))
        }
    };
    inside.map(|what| {
        Diagnostic::file(
            out,
            format!("refusing to write the package here: this is {what}"),
        )
        .with_hint(
            "write the package outside the site folder, or directly in it (like the default SITE/NAME-scorm.zip)",
        )
    })
}

/// Checks where `package` is asked to write: not into the site's sources
/// or an output (see `refuse_place`), and not over an existing file
/// unless `force`. Every problem at once.
pub fn check_out(site: &Path, out: &Path, force: bool) -> Result<(), Vec<Diagnostic>> {
    let mut errors: Vec<Diagnostic> = refuse_place(site, out).into_iter().collect();
    let exists = std::fs::symlink_metadata(out).is_ok_and(|m| !m.is_dir());
    if exists && !force {
        errors.push(
            Diagnostic::file(
                out,
                "this file exists; kenshu package replaces a file only when asked",
            )
            .with_hint("add --force to replace it, or choose another --out"),
        );
    }
    if errors.is_empty() {
        Ok(())
    } else {
        Err(errors)
    }
}

/// Builds the site in `site` as a SCORM package at `out` (replacing a
/// file there: see [`check_out`] for the command line's rule).
pub fn scorm(site: &Path, out: &Path, opts: &Options) -> Result<Report, Vec<Diagnostic>> {
    let start = Instant::now();
    if let Some(e) = refuse_place(site, out) {
        return Err(vec![e]);
    }
    if out
        .extension()
        .is_none_or(|e| !e.eq_ignore_ascii_case("zip"))
    {
        return Err(vec![Diagnostic::file(
            out,
            "a SCORM package is a .zip file",
        )
        .with_hint(
            "give a file name ending in .zip, such as course-scorm.zip",
        )]);
    }
    if out.is_dir() {
        return Err(vec![Diagnostic::file(
            out,
            "this is a folder; the package is one .zip file",
        )
        .with_hint("give a file name ending in .zip")]);
    }
    // The pipeline every command runs: each page parsed once.
    let pipeline = crate::pipeline::Pipeline::load(site)?;
    // Every problem in one run: the settings and what leaving out finds.
    let settings = check_settings(pipeline.site(), site);
    let filtered = pipeline.with_site(|model| {
        if opts.include_lecturer {
            Ok((model, Vec::new()))
        } else {
            learners::for_learners(model)
        }
    });
    let (pipeline, left_out) = match (settings, filtered) {
        (Ok(()), Ok(f)) => f,
        (a, b) => {
            let mut errors = a.err().unwrap_or_default();
            errors.extend(b.err().unwrap_or_default());
            return Err(errors);
        }
    };
    let (model, (mut files, _, warnings)) = pipeline.render_all()?;
    files.push(OutputFile {
        path: "assets/scorm.js".to_string(),
        contents: Contents::Bytes(scorm::RUNTIME.as_bytes().to_vec()),
    });
    files.push(OutputFile {
        path: scorm::LAUNCH.to_string(),
        contents: Contents::Bytes(scorm::launch_page(&model, opts.version).into_bytes()),
    });
    files.sort_by(|a, b| a.path.cmp(&b.path));
    // The schemas sit at the zip's root, beside the manifest; a file of the
    // site of the same name would be a second entry of that name.
    let schemas = scorm::schemas(opts.version);
    let clashes: Vec<Diagnostic> = files
        .iter()
        .filter(|f| schemas.iter().any(|(n, _)| f.path.eq_ignore_ascii_case(n)))
        .map(|f| {
            Diagnostic::file(
                site.join("content").join(&f.path),
                format!(
                    "a SCORM package keeps its schema `{}` at this place, so the site cannot have a file of that name there",
                    f.path
                ),
            )
            .with_hint("rename the file or move it into a folder")
        })
        .collect();
    if !clashes.is_empty() {
        return Err(clashes);
    }
    let paths: Vec<String> = files.iter().map(|f| f.path.clone()).collect();
    let manifest = scorm::manifest(
        &model,
        opts.version,
        &scorm::identifier(&site_name(site)),
        &paths,
    );
    files.insert(
        0,
        OutputFile {
            path: "imsmanifest.xml".to_string(),
            contents: Contents::Bytes(manifest.into_bytes()),
        },
    );
    // After the manifest (not listed in it: they are not the SCO's files).
    for (k, (name, text)) in schemas.iter().enumerate() {
        files.insert(
            1 + k,
            OutputFile {
                path: (*name).to_string(),
                contents: Contents::Bytes(text.as_bytes().to_vec()),
            },
        );
    }
    let bytes = write_zip(&files, out).map_err(|e| vec![e])?;
    Ok(Report {
        version: opts.version,
        pages: model.pages.len(),
        files: files.len(),
        bytes,
        left_out,
        elapsed: start.elapsed(),
        warnings,
    })
}

/// `[package] required` names exercises of the site; the title can go into
/// the manifest (XML).
fn check_settings(site: &crate::model::Site, dir: &Path) -> Result<(), Vec<Diagnostic>> {
    let pkg = &site.config.package;
    let mut errors: Vec<Diagnostic> = pkg
        .required
        .iter()
        .filter(|id| site.exercises.get(id).is_none())
        .map(|id| {
            learners::setting_error(
                pkg,
                &format!("required:{id}"),
                format!("[package] required: no exercise has the id `{id}`"),
            )
            .with_hint("list exercise ids (the `id` in the exercise's .toml file in content/)")
        })
        .collect();
    let toml = std::fs::read_to_string(dir.join("site.toml")).ok();
    errors.extend(scorm::check_title(site, dir, toml.as_deref()));
    if errors.is_empty() {
        Ok(())
    } else {
        Err(errors)
    }
}

fn io_error(path: &Path, what: &str, e: impl std::fmt::Display) -> Diagnostic {
    Diagnostic::file(path, format!("cannot {what}: {e}"))
        .with_hint("check that the folder exists and is writable")
}

/// Writes `files` as a zip at `out` (deflated, fixed timestamps: the same
/// site gives the same bytes), atomically. Returns the zip's size.
fn write_zip(files: &[OutputFile], out: &Path) -> Result<u64, Diagnostic> {
    if let Some(parent) = out.parent() {
        if !parent.as_os_str().is_empty() && !parent.exists() {
            std::fs::create_dir_all(parent).map_err(|e| io_error(parent, "create folder", e))?;
        }
    }
    let name = out
        .file_name()
        .map(|n| n.to_string_lossy().to_string())
        .unwrap_or_default();
    // A new file of a name not in use (never an existing file or a link).
    let mut tmp = out.with_file_name(format!(".{name}.kenshu-tmp"));
    let mut created = None;
    for n in 2..1000 {
        match std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&tmp)
        {
            Ok(f) => {
                created = Some(f);
                break;
            }
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {
                tmp = out.with_file_name(format!(".{name}.kenshu-tmp-{n}"));
            }
            Err(e) => return Err(io_error(&tmp, "create file", e)),
        }
    }
    let Some(file) = created else {
        return Err(io_error(
            &tmp,
            "create file",
            "too many leftover .kenshu-tmp files beside it; delete them",
        ));
    };
    let result = (|| {
        let mut zip = zip::ZipWriter::new(std::io::BufWriter::new(file));
        let options = zip::write::SimpleFileOptions::default()
            .compression_method(zip::CompressionMethod::Deflated)
            .last_modified_time(zip::DateTime::default())
            .unix_permissions(0o644);
        for f in files {
            let bytes;
            let data: &[u8] = match &f.contents {
                Contents::Bytes(b) => b,
                Contents::Copy(src) => {
                    bytes =
                        crate::walk::read_file(src).map_err(|e| io_error(src, "read file", e))?;
                    &bytes
                }
            };
            zip.start_file(f.path.as_str(), options)
                .map_err(|e| io_error(&tmp, "write zip", e))?;
            zip.write_all(data)
                .map_err(|e| io_error(&tmp, "write zip", e))?;
        }
        let mut w = zip.finish().map_err(|e| io_error(&tmp, "write zip", e))?;
        w.flush().map_err(|e| io_error(&tmp, "write zip", e))?;
        Ok(())
    })();
    if let Err(e) = result {
        let _ = std::fs::remove_file(&tmp);
        return Err(e);
    }
    std::fs::rename(&tmp, out).map_err(|e| {
        let _ = std::fs::remove_file(&tmp);
        io_error(out, "replace file", e)
    })?;
    std::fs::metadata(out)
        .map(|m| m.len())
        .map_err(|e| io_error(out, "read file", e))
}
