use std::path::{Path, PathBuf};

use crate::{Error, Result, TempDir};

/// A site built into a temporary folder (removed on drop).
pub struct BuiltSite {
    /// The temporary folder holding the output.
    pub dir: TempDir,
    /// The output folder (`dir/public`), as `kenshu build --out` would write it.
    pub out: PathBuf,
    /// What the build reported.
    pub report: kenshu::BuildReport,
}

impl BuiltSite {
    /// `self.out.join(rel)`.
    pub fn path(&self, rel: impl AsRef<Path>) -> PathBuf {
        self.out.join(rel)
    }

    /// The text of an output file.
    pub fn read(&self, rel: impl AsRef<Path>) -> Result<String> {
        let p = self.out.join(rel.as_ref());
        std::fs::read_to_string(&p).map_err(|e| Error::new(format!("{}: {e}", p.display())))
    }
}

/// Builds the site in `site_dir` with `kenshu::build` into a fresh temporary folder.
/// A failed build is an error listing every diagnostic.
pub fn build_site(site_dir: impl AsRef<Path>) -> Result<BuiltSite> {
    let site = site_dir.as_ref();
    let dir = TempDir::new("site")?;
    let out = dir.join("public");
    match kenshu::build(site, &out) {
        Ok(report) => Ok(BuiltSite { dir, out, report }),
        Err(diagnostics) => {
            let mut msg = format!("building {} failed:", site.display());
            for d in diagnostics {
                msg.push_str(&format!("\n{d}"));
            }
            Err(Error::new(msg))
        }
    }
}

/// The repository root (the course: site.toml, content/).
pub fn workspace_root() -> PathBuf {
    let tests = Path::new(env!("CARGO_MANIFEST_DIR"));
    tests.parent().unwrap_or(tests).to_path_buf()
}

/// An exercise file of the course, `content/exercises/ID.toml`, parsed and
/// validated as the build does.
pub fn course_exercise(id: &str) -> Result<kenshu_exercises::Exercise> {
    let path = workspace_root().join(format!("content/exercises/{id}.toml"));
    let text = std::fs::read_to_string(&path)
        .map_err(|e| Error::new(format!("{}: {e}", path.display())))?;
    kenshu_exercises::parse::parse(&text)
        .map_err(|e| Error::new(format!("{}: {e:?}", path.display())))
}

/// The course's classify exercise `id`.
pub fn course_classify(id: &str) -> Result<kenshu_exercises::Classify> {
    match course_exercise(id)? {
        kenshu_exercises::Exercise::Classify(c) => Ok(c),
        _ => Err(Error::new(format!("{id} is not a classify exercise"))),
    }
}

/// The course's table exercise `id`.
pub fn course_table(id: &str) -> Result<kenshu_exercises::Table> {
    match course_exercise(id)? {
        kenshu_exercises::Exercise::Table(t) => Ok(t),
        _ => Err(Error::new(format!("{id} is not a table exercise"))),
    }
}
