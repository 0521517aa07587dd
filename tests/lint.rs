//! ESLint over the theme's browser scripts (`theme/**/*.js`: the site's in
//! `theme/static/`, kenshu serve's live-reload client), with the
//! rules in the workspace's `eslint.config.mjs`: ESLint's recommended set
//! plus what catches mistakes in classic scripts that share a page's global
//! scope. ESLint (pinned in `tests/support/eslint.rs`) is installed with npm
//! into `target/eslint/<version>/` on first use; after that the test runs
//! offline. Without npm (or Node.js) it fails, saying what to install.

use kenshu_e2e::{eslint, files_with_extension, workspace_root, Error, Result, ESLINT_VERSION};

/// The theme's scripts, relative to the workspace root.
fn theme_scripts() -> Result<Vec<String>> {
    let root = workspace_root();
    let mut out = Vec::new();
    let package = files_with_extension(root.join("generator/src/package"), "js")?;
    for path in files_with_extension(root.join("theme"), "js")?
        .into_iter()
        .chain(package)
    {
        let rel = path
            .strip_prefix(&root)
            .map_err(|e| Error::new(format!("{}: {e}", path.display())))?;
        out.push(rel.to_string_lossy().into_owned());
    }
    Ok(out)
}

#[test]
fn theme_scripts_pass_eslint() -> Result<()> {
    let scripts = theme_scripts()?;
    for must in [
        "theme/static/deck.js",
        "theme/static/search.js",
        "theme/static/site.js",
        "theme/serve/live.js",
        "generator/src/package/scorm.js",
    ] {
        let path = must.to_string();
        if !scripts.contains(&path) {
            return Err(Error::new(format!("{path} is not among {scripts:?}")));
        }
    }
    let files: Vec<&str> = scripts.iter().map(String::as_str).collect();
    let findings = eslint(&files, None)?;
    if !findings.is_empty() {
        let list: Vec<String> = findings.iter().map(|f| format!("  {f}")).collect();
        return Err(Error::new(format!(
            "ESLint {ESLINT_VERSION} (eslint.config.mjs) found {} problem(s) in the theme's scripts \
             (fix the code; for a deliberate case, \
             `// eslint-disable-next-line RULE -- why` on the line above):\n{}",
            findings.len(),
            list.join("\n")
        )));
    }
    Ok(())
}

/// The configuration reaches the theme's scripts and its rules fire: a
/// script with one mistake per line, linted as if it were in theme/static/.
#[test]
fn eslint_config_catches_mistakes_in_theme_scripts() -> Result<()> {
    let probe = r#"(function () {
  "use strict";
  var unused = 1;
  if (document.title == "x") document.body.hidden = true;
  undeclared();
  document.body.textContent = status;
  setTimeout("alert(1)", 10);
  document.body.hidden = parseInt("08") > 1;
  for (var i = 0; i < 3; i++) document.body.addEventListener("click", function () { return i; });
})();
var leaked = 1;
"#;
    let expected = [
        (3, "no-unused-vars"),
        (4, "eqeqeq"),
        (5, "no-undef"),
        (6, "no-restricted-globals"),
        (7, "no-implied-eval"),
        (8, "radix"),
        (9, "no-loop-func"),
        (11, "no-implicit-globals"),
    ];
    let file = "theme/static/lint-probe.js";
    let findings = eslint(&[file], Some(probe))?;
    let missing: Vec<String> = expected
        .iter()
        .filter(|(line, rule)| !findings.iter().any(|f| f.line == *line && f.rule == *rule))
        .map(|(line, rule)| format!("{file}:{line} {rule}"))
        .collect();
    if !missing.is_empty() {
        let found: Vec<String> = findings.iter().map(|f| format!("  {f}")).collect();
        return Err(Error::new(format!(
            "eslint.config.mjs does not report {missing:?} in theme/static/; it reported:\n{}",
            found.join("\n")
        )));
    }
    Ok(())
}
