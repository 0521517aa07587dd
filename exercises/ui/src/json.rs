//! JSON via the browser's `JSON.parse` / `JSON.stringify` and
//! serde-wasm-bindgen (keeps a JSON parser out of the bundle).

use serde::de::DeserializeOwned;
use serde::Serialize;

pub fn parse<T: DeserializeOwned>(text: &str) -> Result<T, String> {
    let v = js_sys::JSON::parse(text).map_err(|_| "invalid JSON".to_string())?;
    serde_wasm_bindgen::from_value(v).map_err(|e| e.to_string())
}

pub fn to_string<T: Serialize>(value: &T) -> Option<String> {
    // Maps as plain objects, so the stored text is ordinary JSON.
    let v = value
        .serialize(&serde_wasm_bindgen::Serializer::json_compatible())
        .ok()?;
    js_sys::JSON::stringify(&v).ok()?.as_string()
}
