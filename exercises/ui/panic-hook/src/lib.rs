//! A small panic hook for the exercise bundle: one `console.error` line with
//! the source location of the panic (file and line), without the formatting
//! machinery and stack capture of the crate it stands in for.

use std::panic::PanicHookInfo;

use wasm_bindgen::prelude::wasm_bindgen;

#[wasm_bindgen]
extern "C" {
    #[wasm_bindgen(js_namespace = console, js_name = error)]
    fn console_error(what: &str, file: &str, line: u32);
}

/// The hook Yew installs: logs "kenshu: exercise error", file and line.
pub fn hook(info: &PanicHookInfo) {
    let (file, line) = info.location().map_or(("", 0), |l| (l.file(), l.line()));
    console_error("kenshu: exercise error at", file, line);
}

/// Installs [`hook`] (the same API as the crate it stands in for).
pub fn set_once() {
    use std::sync::Once;
    static SET: Once = Once::new();
    SET.call_once(|| std::panic::set_hook(Box::new(hook)));
}
