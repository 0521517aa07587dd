//! A test LMS for SCORM packages: scorm-again (an LMS-side SCORM 1.2 and
//! 2004 runtime from the npm registry that checks every element and value
//! against the data model) in a page that launches the package in a frame
//! and records every call the package makes.
//!
//! scorm-again: `KENSHU_SCORM_AGAIN` (a path to `scorm-again.min.js`), or the
//! pinned version installed with npm into `target/scorm-again/<version>/` on
//! first use.

use std::path::{Path, PathBuf};

use crate::npm::{npm_install, read};
use crate::Result;

/// The scorm-again version the SCORM tests run.
pub const SCORM_AGAIN_VERSION: &str = "3.4.3";

/// The source of `scorm-again.min.js`, installing it with npm when missing.
pub fn scorm_again_source() -> Result<String> {
    let path = match std::env::var_os("KENSHU_SCORM_AGAIN") {
        Some(p) => PathBuf::from(p),
        None => {
            let file = "node_modules/scorm-again/dist/scorm-again.min.js";
            npm_install(
                &format!("scorm-again/{SCORM_AGAIN_VERSION}"),
                &[&format!("scorm-again@{SCORM_AGAIN_VERSION}")],
                file,
                " or set KENSHU_SCORM_AGAIN",
            )?
            .join(file)
        }
    };
    read(&path)
}

/// The LMS page. `launch(version, saved, src)` creates a fresh API
/// ("1.2" → `window.API`, "2004" → `window.API_1484_11`), loads `saved`
/// (flattened `cmi.*` values kept from an earlier session) and opens `src`
/// in a frame; every API call is recorded in `lms.calls` as
/// `[function, element, value, result, error code]`. `leave()` removes the
/// frame (the learner closes the activity); `cmi()` is the LMS's data.
pub const LMS_PAGE: &str = r#"<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>test LMS</title>
<link rel="icon" href="data:,">
<style>html,body{margin:0;height:100%}iframe{display:block;border:0;width:100%;height:100%}</style>
<script src="scorm-again.min.js"></script>
</head>
<body>
<script>
window.lms = { calls: [] };
window.launch = function (version, saved, src) {
  var settings = { autocommit: false, logLevel: 5 };
  var api = version === "1.2" ? new Scorm12API(settings) : new Scorm2004API(settings);
  if (saved) api.loadFromFlattenedJSON(saved);
  var fns = version === "1.2"
    ? ["LMSInitialize", "LMSFinish", "LMSGetValue", "LMSSetValue", "LMSCommit"]
    : ["Initialize", "Terminate", "GetValue", "SetValue", "Commit"];
  var lastError = version === "1.2" ? "LMSGetLastError" : "GetLastError";
  fns.forEach(function (name) {
    var orig = api[name].bind(api);
    api[name] = function (a, b) {
      var r = orig(a, b);
      lms.calls.push([name, a === undefined ? null : String(a), b === undefined ? null : String(b),
        String(r), String(api[lastError]())]);
      return r;
    };
  });
  delete window.API;
  delete window.API_1484_11;
  if (version === "1.2") window.API = api; else window.API_1484_11 = api;
  lms.api = api;
  lms.calls = [];
  var f = document.createElement("iframe");
  f.title = "course";
  f.src = src;
  document.body.appendChild(f);
};
window.leave = function () {
  var f = document.querySelector("iframe");
  if (f) f.remove();
};
window.cmi = function () { return JSON.parse(JSON.stringify(lms.api.cmi)); };
</script>
</body>
</html>
"#;

/// Writes the LMS page (`lms.html`) and scorm-again into `dir`.
pub fn write_lms(dir: &Path) -> Result<()> {
    std::fs::write(dir.join("lms.html"), LMS_PAGE)?;
    std::fs::write(dir.join("scorm-again.min.js"), scorm_again_source()?)?;
    Ok(())
}
