//! The compiled exercise bundle (built by `build.rs` from
//! `exercises/ui`), embedded in the binary so an installed `kenshu` writes
//! it without any WASM tooling.
//!
//! A page with exercises loads only [`LOADER`] (a small classic script); it
//! imports the ES module variant over http(s), and the classic variant with
//! the .wasm inlined on file://, where browsers block ES modules and fetch.

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

const LOADER_JS: &str = r#"/* kenshu exercises loader: module + .wasm over http(s), inline bundle on file:// */
(function () {
  "use strict";
  var me = document.currentScript;
  var src = me ? me.src : "";
  var q = src.indexOf("?");
  var query = q >= 0 ? src.slice(q) : "";
  var base = (q >= 0 ? src.slice(0, q) : src).replace(/[^\/]*$/, "");
  function fail(e) { console.error("kenshu: exercises failed to load", e); }
  function inline() {
    var s = document.createElement("script");
    s.src = base + "kenshu-exercises-inline.js" + query;
    s.onerror = fail;
    document.head.appendChild(s);
  }
  function go() {
    if (location.protocol === "file:") { inline(); return; }
    try {
      import(base + "kenshu-exercises.js" + query).then(function (m) {
        return m.default({ module_or_path: base + "kenshu-exercises_bg.wasm" + query });
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

/// A short hash of the bundle, for cache busting (`?v=…` on the loader).
pub fn version() -> &'static str {
    static V: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    V.get_or_init(|| {
        let mut all = Vec::new();
        for f in FILES {
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
    }
}
