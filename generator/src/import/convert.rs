//! Windows metafiles (EMF/WMF) → PNG with a converter found on PATH:
//! Inkscape (reads both on every platform) or LibreOffice. Without one the
//! picture is kept as it is and reported.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// How long one conversion may take before it is stopped.
const TIMEOUT: Duration = Duration::from_secs(60);

#[derive(Debug, Clone)]
pub enum Converter {
    Inkscape(PathBuf),
    LibreOffice(PathBuf),
}

fn on_path(name: &str) -> Option<PathBuf> {
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path)
        .map(|d| d.join(name))
        .find(|p| p.is_file())
}

/// The first converter on PATH.
pub fn find() -> Option<Converter> {
    if let Some(p) = on_path("inkscape") {
        return Some(Converter::Inkscape(p));
    }
    on_path("soffice")
        .or_else(|| on_path("libreoffice"))
        .map(Converter::LibreOffice)
}

impl Converter {
    pub fn name(&self) -> &'static str {
        match self {
            Converter::Inkscape(_) => "inkscape",
            Converter::LibreOffice(_) => "libreoffice",
        }
    }

    /// Converts a metafile (`ext` is `emf` or `wmf`) to PNG bytes.
    pub fn to_png(&self, bytes: &[u8], ext: &str) -> Result<Vec<u8>, String> {
        let dir = scratch_dir().map_err(|e| format!("cannot make a temporary folder: {e}"))?;
        let result = self.run(&dir, bytes, ext);
        let _ = std::fs::remove_dir_all(&dir);
        result
    }

    fn run(&self, dir: &Path, bytes: &[u8], ext: &str) -> Result<Vec<u8>, String> {
        let input = dir.join(format!("picture.{ext}"));
        std::fs::write(&input, bytes).map_err(|e| e.to_string())?;
        let out = dir.join("picture.png");
        let mut cmd = match self {
            Converter::Inkscape(p) => {
                let mut c = Command::new(p);
                c.arg("--export-type=png")
                    .arg(format!("--export-filename={}", out.display()))
                    .arg(&input);
                c
            }
            Converter::LibreOffice(p) => {
                let mut c = Command::new(p);
                // A profile of its own, so a running LibreOffice does not
                // take the job (and the user's profile is left alone).
                c.arg(format!(
                    "-env:UserInstallation=file://{}",
                    dir.join("profile").display()
                ))
                .args(["--headless", "--convert-to", "png", "--outdir"])
                .arg(dir)
                .arg(&input);
                c
            }
        };
        cmd.stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null());
        let mut child = cmd.spawn().map_err(|e| e.to_string())?;
        let start = Instant::now();
        loop {
            match child.try_wait() {
                Ok(Some(status)) if status.success() => break,
                Ok(Some(status)) => return Err(format!("it exited with {status}")),
                Ok(None) if start.elapsed() > TIMEOUT => {
                    let _ = child.kill();
                    let _ = child.wait();
                    return Err(format!("it took more than {} s", TIMEOUT.as_secs()));
                }
                Ok(None) => std::thread::sleep(Duration::from_millis(50)),
                Err(e) => return Err(e.to_string()),
            }
        }
        let png = std::fs::read(&out).map_err(|_| "it wrote no PNG".to_string())?;
        if !png.starts_with(b"\x89PNG") {
            return Err("what it wrote is not a PNG".into());
        }
        Ok(png)
    }
}

fn scratch_dir() -> std::io::Result<PathBuf> {
    use std::sync::atomic::{AtomicUsize, Ordering};
    static N: AtomicUsize = AtomicUsize::new(0);
    let dir = std::env::temp_dir().join(format!(
        "kenshu-import-{}-{}",
        std::process::id(),
        N.fetch_add(1, Ordering::Relaxed)
    ));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir)?;
    Ok(dir)
}
