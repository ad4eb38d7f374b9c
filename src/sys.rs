//! The few JS built-ins the wasm calls, declared here rather than taken from
//! `js-sys`: every `js-sys` binding that takes a closure keeps a closure
//! trampoline in the wasm's function table (wasm-bindgen's descriptors take
//! their addresses, and nothing removes them after): code and panic texts no
//! call of this SDK reaches (measured in docs/size.md, "Bytes won").

use wasm_bindgen::prelude::*;

#[wasm_bindgen]
extern "C" {
    /// A JS function (`typeof f === 'function'`).
    #[wasm_bindgen(is_type_of = JsValue::is_function)]
    #[derive(Clone)]
    pub type Function;
    /// `f.call(this)`.
    #[wasm_bindgen(method, catch, js_name = call)]
    pub fn call0(this: &Function, context: &JsValue) -> Result<JsValue, JsValue>;

    /// A string or an array: what has a `length` and indexed items.
    pub type Indexed;
    /// `v.length`.
    #[wasm_bindgen(method, getter)]
    pub fn length(this: &Indexed) -> u32;
    /// `v[i]`.
    #[wasm_bindgen(method, indexing_getter)]
    pub fn get(this: &Indexed, i: u32) -> JsValue;

    /// `Array.isArray(v)` (it throws for a revoked Proxy).
    #[wasm_bindgen(js_namespace = Array, js_name = isArray, catch)]
    pub fn is_array(v: &JsValue) -> Result<bool, JsValue>;
    /// `Array.of(a, b, c, d)`.
    #[wasm_bindgen(js_namespace = Array, js_name = of)]
    pub fn array_of4(a: &JsValue, b: &JsValue, c: &JsValue, d: &JsValue) -> JsValue;
    /// `String(n)`: a number's JS text, as `n.toString()` writes it.
    #[wasm_bindgen(js_name = String)]
    pub fn number_text(n: f64) -> JsValue;

    /// A plain JS object.
    pub type Object;
    /// `new Object()`.
    #[wasm_bindgen(constructor)]
    pub fn new() -> Object;
    /// `Object.keys(o)` (it throws for a revoked Proxy).
    #[wasm_bindgen(static_method_of = Object, catch)]
    pub fn keys(o: &JsValue) -> Result<JsValue, JsValue>;

    /// `Reflect.get(target, key)`.
    #[wasm_bindgen(js_namespace = Reflect, js_name = get, catch)]
    pub fn reflect_get(target: &JsValue, key: &JsValue) -> Result<JsValue, JsValue>;
    /// `Reflect.set(target, key, value)`.
    #[wasm_bindgen(js_namespace = Reflect, js_name = set, catch)]
    pub fn reflect_set(target: &JsValue, key: &JsValue, value: &JsValue) -> Result<bool, JsValue>;
    /// `Reflect.construct(class, args)`.
    #[wasm_bindgen(js_namespace = Reflect, js_name = construct, catch)]
    pub fn reflect_construct(class: &Function, args: &JsValue) -> Result<JsValue, JsValue>;

    /// A JS Promise: what every call that sends returns.
    pub type Promise;
    /// `Promise.reject(e)`.
    #[wasm_bindgen(static_method_of = Promise)]
    pub fn reject(e: &JsValue) -> Promise;
    /// `Promise.resolve(v)` (`v` itself when it is a Promise).
    #[wasm_bindgen(static_method_of = Promise)]
    pub fn resolve(v: &JsValue) -> Promise;
}
