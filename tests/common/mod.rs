//! The wasm exports as the wasm tests call them: without the trailing
//! per-call options (`tests/js/call-options.test.mjs` covers those through
//! the package). Shared by `tests/wasm.rs` and `tests/wasm_uninit.rs`
//! (`mod common; use common as js;`).
#![allow(dead_code)]

pub use baas_order::js::*;
use js_sys::Promise;
use wasm_bindgen::JsValue;
const NONE: JsValue = JsValue::UNDEFINED;
pub fn get_order_list(query: JsValue, params: JsValue) -> Promise {
    baas_order::js::get_order_list(query, params, NONE, false)
}
pub fn get_order(id: JsValue) -> Promise {
    baas_order::js::get_order(id, NONE)
}
pub fn refund(data: JsValue) -> Promise {
    baas_order::js::refund(data, NONE)
}
pub fn call(key: &str, options: JsValue) -> Promise {
    baas_order::js::call(key, options, NONE)
}
pub fn get_sharing_list(key: &str, query: JsValue, params: JsValue) -> Promise {
    baas_order::js::get_sharing_list(key, query, params, NONE, false)
}
