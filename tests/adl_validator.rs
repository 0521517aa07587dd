//! The course's SCORM 2004 package through ADL's own content package
//! validator: the checks the SCORM 2004 4th Edition Sample RTE runs when it
//! imports a course (manifest at the root, well-formedness, the control
//! documents at the root, schema validation, hrefs, application profile,
//! excess baggage), without Tomcat.
//!
//! The validator is not in Debian and cannot be fetched by CI, so the test
//! runs only where `KENSHU_ADL_RTE` names a checkout of
//! <https://github.com/adlnet/SCORM-2004-4ed-SampleRTE> (ADL's source, with
//! the jars it needs under `lib/`; licensed CC BY-NC-SA 3.0 US, so it is
//! used from there, never copied here), and a JDK (`javac`, Java 17 works)
//! is installed:
//!
//! ```sh
//! git clone https://github.com/adlnet/SCORM-2004-4ed-SampleRTE /opt/adl-rte
//! KENSHU_ADL_RTE=/opt/adl-rte cargo test -p kenshu-e2e --test adl_validator -- --nocapture
//! ```
//!
//! Without it the test prints why it skipped and passes. The validator's
//! sources are compiled into a temporary folder on each run (a few
//! seconds); its old Xerces DOM Level 3 classes (`org.w3c.dom.ls`) are
//! patched into the JDK's `java.xml` module, which owns that package.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::Command;

use kenshu::package::{Options, Version};
use kenshu_e2e::{ensure, Error, Result, TempDir};

/// Runs the validator as the Sample RTE's import does
/// (`LMSManifestHandler.processPackage`, off-line checks without its
/// sequencing-order check) and prints each checker's verdict with its
/// failures and warnings; exit 0 only when every checker passed.
const DRIVER: &str = r#"
import java.util.*;
import org.adl.validator.Validator;
import org.adl.validator.util.*;

public class KenshuAdlCheck {
  public static void main(String[] args) {
    Validator v = new Validator(args[0], "contentaggregation", false);
    List<String> checks = new ArrayList<>();
    for (String c : new String[] {"IMSManifestAtRootChecker", "WellformednessChecker",
        "ManifestRootElementChecker", "SubmanifestChecker", "RequiredFilesChecker",
        "SchemaValidationChecker", "ResourceHrefChecker", "ApplicationProfileChecker",
        "ExcessBaggageChecker"}) {
      checks.add("org.adl.validator.packagechecker.checks." + c);
    }
    v.setCheckerList(checks);
    v.validate();
    ResultCollection r = v.getResultCollection();
    for (Result res : r.getPackageResultsCollection()) {
      System.out.println((res.isPackageCheckerPassed() ? "PASSED " : "FAILED ") + res.getPackageCheckerName());
      for (ValidatorMessage m : res.getPackageCheckerMessages()) {
        if (m.getMessageType() == ValidatorMessage.FAILED) System.out.println("  " + m);
      }
    }
    System.out.println(r.isAllCheckerPassed() ? "VALID" : "INVALID");
    System.exit(r.isAllCheckerPassed() ? 0 : 1);
  }
}
"#;

fn run(cmd: &mut Command, what: &str) -> Result<std::process::Output> {
    cmd.output()
        .map_err(|e| Error::new(format!("{what}: cannot run {:?}: {e}", cmd.get_program())))
}

/// Every `.java` file under `dir`.
fn java_files(dir: &Path, out: &mut Vec<PathBuf>) -> Result<()> {
    for entry in std::fs::read_dir(dir)? {
        let p = entry?.path();
        if p.is_dir() {
            java_files(&p, out)?;
        } else if p.extension().is_some_and(|e| e == "java") {
            out.push(p);
        }
    }
    Ok(())
}

fn copy_tree(from: &Path, to: &Path) -> Result<()> {
    std::fs::create_dir_all(to)?;
    for entry in std::fs::read_dir(from)? {
        let p = entry?.path();
        let dest = to.join(p.file_name().unwrap_or_default());
        if p.is_dir() {
            copy_tree(&p, &dest)?;
        } else {
            std::fs::copy(&p, &dest)?;
        }
    }
    Ok(())
}

/// The validator compiled into `work`; returns (classpath, patch folder).
fn compile(rte: &Path, work: &Path) -> Result<(String, PathBuf)> {
    let lib = rte.join("lib");
    let mut jars: Vec<PathBuf> = std::fs::read_dir(&lib)
        .map_err(|e| {
            Error::new(format!(
                "{}: {e} (KENSHU_ADL_RTE must name a checkout of adlnet/SCORM-2004-4ed-SampleRTE)",
                lib.display()
            ))
        })?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|e| e == "jar"))
        .collect();
    jars.sort();
    let classes = work.join("classes");
    std::fs::create_dir_all(&classes)?;
    let mut cp: Vec<String> = jars.iter().map(|j| j.display().to_string()).collect();
    cp.push(classes.display().to_string());
    let cp = cp.join(":");
    let src = rte.join("src/org/adl");
    let mut sources = Vec::new();
    for part in ["validator", "parsers", "util", "logging"] {
        java_files(&src.join(part), &mut sources)?;
    }
    let list = work.join("sources.txt");
    let mut f = std::fs::File::create(&list)?;
    for s in &sources {
        writeln!(f, "{}", s.display())?;
    }
    let driver = work.join("KenshuAdlCheck.java");
    std::fs::write(&driver, DRIVER)?;
    writeln!(f, "{}", driver.display())?;
    drop(f);
    let out = run(
        Command::new("javac")
            .args(["-nowarn", "-encoding", "ISO-8859-1"])
            .args(["--add-exports", "java.base/sun.security.action=ALL-UNNAMED"])
            .arg("-cp")
            .arg(&cp)
            .arg("-d")
            .arg(&classes)
            .arg(format!("@{}", list.display())),
        "compiling ADL's validator",
    )?;
    ensure!(
        out.status.success(),
        "javac failed on ADL's validator:\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    // The rules and messages it loads as resources.
    for dir in [
        "validator/properties",
        "validator/packagechecker/parsers/xsd",
        "validator/packagechecker/parsers/schematron",
    ] {
        copy_tree(&src.join(dir), &classes.join("org/adl").join(dir))?;
    }
    copy_tree(&rte.join("resources"), &classes)?;
    // org.w3c.dom.ls.DocumentLS and friends from its Xerces.
    let patch = work.join("dom-ls");
    let file = std::fs::File::open(lib.join("xercesImpl.jar"))?;
    let mut jar = zip::ZipArchive::new(file).map_err(|e| Error::new(e.to_string()))?;
    for i in 0..jar.len() {
        let mut entry = jar.by_index(i).map_err(|e| Error::new(e.to_string()))?;
        let name = entry
            .name()
            .map_err(|e| Error::new(e.to_string()))?
            .to_string();
        if name.starts_with("org/w3c/dom/ls/") && name.ends_with(".class") {
            let dest = patch.join(&name);
            std::fs::create_dir_all(dest.parent().unwrap_or(&patch))?;
            std::io::copy(&mut entry, &mut std::fs::File::create(dest)?)?;
        }
    }
    Ok((cp, patch))
}

/// Runs the validator on `zip`: (passed, its report).
fn validate(cp: &str, patch: &Path, tmp: &Path, zip: &Path) -> Result<(bool, String)> {
    let out = run(
        Command::new("java")
            .arg(format!("--patch-module=java.xml={}", patch.display()))
            // Its scratch folder is java.io.tmpdir + "tempZipFolder".
            .arg(format!("-Djava.io.tmpdir={}/", tmp.display()))
            .arg("-cp")
            .arg(cp)
            .arg("KenshuAdlCheck")
            .arg(zip),
        "running ADL's validator",
    )?;
    let text = String::from_utf8_lossy(&out.stdout).to_string();
    ensure!(
        text.contains("VALID"),
        "ADL's validator did not finish on {}:\n{text}\n{}",
        zip.display(),
        String::from_utf8_lossy(&out.stderr)
    );
    Ok((out.status.success(), text))
}

/// A copy of `zip` without the entry `drop`.
fn without(zip: &Path, drop: &str, to: &Path) -> Result<()> {
    let mut src =
        zip::ZipArchive::new(std::fs::File::open(zip)?).map_err(|e| Error::new(e.to_string()))?;
    let mut out = zip::ZipWriter::new(std::fs::File::create(to)?);
    for i in 0..src.len() {
        let entry = src.by_index_raw(i).map_err(|e| Error::new(e.to_string()))?;
        if entry.name().map_err(|e| Error::new(e.to_string()))? != drop {
            out.raw_copy_file(entry)
                .map_err(|e| Error::new(e.to_string()))?;
        }
    }
    out.finish().map_err(|e| Error::new(e.to_string()))?;
    Ok(())
}

#[test]
fn adl_validator_accepts_the_2004_package() -> Result<()> {
    let Some(rte) = std::env::var_os("KENSHU_ADL_RTE").map(PathBuf::from) else {
        eprintln!(
            "skipped: set KENSHU_ADL_RTE to a checkout of \
             https://github.com/adlnet/SCORM-2004-4ed-SampleRTE (and install a JDK) \
             to run ADL's content package validator on the SCORM 2004 package"
        );
        return Ok(());
    };
    let tmp = TempDir::new("adl-validator")?;
    let (cp, patch) = compile(&rte, &tmp.join("build"))?;
    let zip = tmp.join("course-2004.zip");
    let opts = Options {
        version: Version::V2004,
        include_lecturer: false,
    };
    kenshu::package::scorm(&kenshu_e2e::workspace_root(), &zip, &opts).map_err(|d| {
        Error::new(
            d.iter()
                .map(|d| d.to_string())
                .collect::<Vec<_>>()
                .join("\n"),
        )
    })?;
    let scratch = tmp.join("scratch");
    std::fs::create_dir_all(&scratch)?;
    let (ok, text) = validate(&cp, &patch, &scratch, &zip)?;
    eprintln!("ADL validator on the 2004 package:\n{text}");
    ensure!(
        ok && !text.contains("FAILED"),
        "ADL's validator rejects the package:\n{text}"
    );
    // The check has teeth: without a schema the manifest names at the
    // root, it fails as it did before the schemas were packaged.
    let bare = tmp.join("no-imscp-xsd.zip");
    without(&zip, "imscp_v1p1.xsd", &bare)?;
    let (ok, text) = validate(&cp, &patch, &scratch, &bare)?;
    ensure!(
        !ok && text.contains("[imscp_v1p1.xsd] was not found at root"),
        "ADL's validator accepted a package without imscp_v1p1.xsd:\n{text}"
    );
    Ok(())
}
