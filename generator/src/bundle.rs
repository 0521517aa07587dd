//! The compiled exercise bundle (built by `build.rs` from
//! `exercises/ui`), embedded in the binary so an installed `kenshu` writes
//! it without any WASM tooling.
//!
//! A page with exercises loads only [`LOADER`] (a small classic script); it
//! imports the ES module variant over http(s), and the classic variant with
//! the .wasm inlined on file://, where browsers block ES modules and fetch.
//! The 復習 page loads the second bundle, [`REVIEW`], the same way (the
//! loader's `data-bundle` attribute names it).

/// One file of the bundle, written to `assets/` of the output.
#[derive(Debug, Clone, Copy)]
pub struct BundleFile {
    pub name: &'static str,
    pub bytes: &'static [u8],
}

/// The classic loader script pages include (`<script defer src>`).
pub const LOADER: &str = "kenshu-exercises-loader.js";

/// The ES module glue (`--target web`).
pub const MODULE_JS: &str = "kenshu-exercises.js";
/// The .wasm the module variant fetches.
pub const WASM: &str = "kenshu-exercises_bg.wasm";
/// Classic glue (`--target no-modules`) with the .wasm inlined as base64.
pub const INLINE_JS: &str = "kenshu-exercises-inline.js";
/// The 復習 page's bundle: `kenshu-review.js`, `kenshu-review_bg.wasm`,
/// `kenshu-review-inline.js` (the exercise UI built with its feature
/// `review`, which mounts only the round of 復習).
pub const REVIEW: &str = "kenshu-review";
/// Its .wasm.
pub const REVIEW_WASM: &str = "kenshu-review_bg.wasm";

const LOADER_JS: &str = r#"/* kenshu exercises loader: module + .wasm over http(s), inline bundle on file:// */
(function () {
  "use strict";
  var me = document.currentScript;
  var src = me ? me.src : "";
  var q = src.indexOf("?");
  var query = q >= 0 ? src.slice(q) : "";
  var base = (q >= 0 ? src.slice(0, q) : src).replace(/[^\/]*$/, "");
  var name = (me && me.getAttribute("data-bundle")) || "kenshu-exercises";
  function fail(e) { console.error("kenshu: exercises failed to load", e); }
  function inline() {
    var s = document.createElement("script");
    s.src = base + name + "-inline.js" + query;
    s.onerror = fail;
    document.head.appendChild(s);
  }
  function go() {
    if (location.protocol === "file:") { inline(); return; }
    try {
      import(base + name + ".js" + query).then(function (m) {
        return m.default({ module_or_path: base + name + "_bg.wasm" + query });
      }).catch(function (e) { fail(e); inline(); });
    } catch (e) { inline(); }
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", go);
  else go();
})();
"#;

/// Every file of the bundle, loader first.
pub const FILES: &[BundleFile] = &[
    BundleFile {
        name: LOADER,
        bytes: LOADER_JS.as_bytes(),
    },
    BundleFile {
        name: MODULE_JS,
        bytes: include_bytes!(concat!(env!("OUT_DIR"), "/kenshu-exercises.js")),
    },
    BundleFile {
        name: WASM,
        bytes: include_bytes!(concat!(env!("OUT_DIR"), "/kenshu-exercises_bg.wasm")),
    },
    BundleFile {
        name: INLINE_JS,
        bytes: include_bytes!(concat!(env!("OUT_DIR"), "/kenshu-exercises-inline.js")),
    },
];

/// The files of the 復習 page's bundle (written when a page has
/// `{{#exercise-review}}`).
pub const REVIEW_FILES: &[BundleFile] = &[
    BundleFile {
        name: "kenshu-review.js",
        bytes: include_bytes!(concat!(env!("OUT_DIR"), "/kenshu-review.js")),
    },
    BundleFile {
        name: REVIEW_WASM,
        bytes: include_bytes!(concat!(env!("OUT_DIR"), "/kenshu-review_bg.wasm")),
    },
    BundleFile {
        name: "kenshu-review-inline.js",
        bytes: include_bytes!(concat!(env!("OUT_DIR"), "/kenshu-review-inline.js")),
    },
];

/// A short hash of the bundle, for cache busting (`?v=…` on the loader).
pub fn version() -> &'static str {
    static V: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    V.get_or_init(|| {
        let mut all = Vec::new();
        for f in FILES.iter().chain(REVIEW_FILES) {
            all.extend_from_slice(f.bytes);
        }
        kenshu_exercises::content_hash(&all)[..8].to_string()
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bundle_is_embedded_and_wasm_is_valid() {
        let wasm = FILES.iter().find(|f| f.name == WASM).map(|f| f.bytes);
        let wasm = wasm.unwrap_or_default();
        assert_eq!(wasm.get(..4), Some(&b"\0asm"[..]));
        let module = FILES.iter().find(|f| f.name == MODULE_JS).map(|f| f.bytes);
        let module = String::from_utf8_lossy(module.unwrap_or_default());
        assert!(
            module.contains("as default }"),
            "module variant is an ES module"
        );
        let inline = FILES.iter().find(|f| f.name == INLINE_JS).map(|f| f.bytes);
        let inline = String::from_utf8_lossy(inline.unwrap_or_default());
        assert!(inline.contains("wasm_bindgen({module_or_path:b})"));
        assert!(
            !inline.contains("export "),
            "inline variant is a classic script"
        );
        assert_eq!(version().len(), 8);
        // The 復習 bundle: its own glue global, so both can share a page.
        let review = REVIEW_FILES.iter().find(|f| f.name == REVIEW_WASM);
        assert_eq!(review.and_then(|f| f.bytes.get(..4)), Some(&b"\0asm"[..]));
        let inline = REVIEW_FILES.iter().find(|f| f.name.ends_with("-inline.js"));
        let inline = String::from_utf8_lossy(inline.map(|f| f.bytes).unwrap_or_default());
        assert!(inline.contains("kenshu_review({module_or_path:b})"));
    }
}
