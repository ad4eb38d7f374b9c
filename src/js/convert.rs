//! Every conversion between JS values and the core's plain-Rust types lives
//! here: JS input -> [`Value`], [`HError`] -> a real JS `Error`.

use crate::error::HError;
use crate::value::{Num, Value};
use js_sys::{Array, Object, Reflect};
use wasm_bindgen::{JsCast, JsValue};

/// Nesting deeper than this is refused rather than followed: a cyclic object
/// would otherwise recurse until the wasm stack overflows and the module dies.
const MAX_DEPTH: u32 = 16;

/// Reads a JS value into the core's [`Value`]. Object entries holding
/// `undefined` are dropped, as `JSON.stringify` would.
pub fn to_value(v: &JsValue) -> Value {
    read(v, 0)
}

fn read(v: &JsValue, depth: u32) -> Value {
    if v.is_undefined() {
        return Value::Undefined;
    }
    if v.is_null() {
        return Value::Null;
    }
    if let Some(b) = v.as_bool() {
        return Value::Bool(b);
    }
    if let Some(n) = v.as_f64() {
        let repr = js_sys::Number::from(n)
            .to_string_with_radix(10)
            .map(String::from)
            .unwrap_or_default();
        return Value::Number(Num { value: n, repr });
    }
    if let Some(s) = v.as_string() {
        return Value::String(s);
    }
    if v.is_function() {
        return Value::Other("function");
    }
    if !v.is_object() {
        return Value::Other("bigint or symbol");
    }
    if depth >= MAX_DEPTH {
        return Value::Other("too deeply nested object");
    }
    if Array::is_array(v) {
        let arr: &Array = v.unchecked_ref();
        return Value::Array(arr.iter().map(|x| read(&x, depth + 1)).collect());
    }
    let obj: &Object = v.unchecked_ref();
    let mut fields = Vec::new();
    for entry in Object::entries(obj).iter() {
        let pair: Array = entry.unchecked_into();
        let value = read(&pair.get(1), depth + 1);
        if let (Some(key), false) = (pair.get(0).as_string(), matches!(value, Value::Undefined)) {
            fields.push((key, value));
        }
    }
    Value::Object(fields)
}

/// An [`HError`] as the JS `Error` every rejection is: `name` "HError",
/// `code`, `message` "<code>: <text>", and `data` (the parsed error body) when
/// there is one. `BaaS.HError` recognises these with `instanceof`.
pub fn herror(e: &HError, data: Option<&JsValue>) -> JsValue {
    let err = js_sys::Error::new(&e.message());
    err.set_name("HError");
    let _ = Reflect::set(&err, &"code".into(), &JsValue::from(e.code));
    if let Some(d) = data {
        let _ = Reflect::set(&err, &"data".into(), d);
    }
    err.into()
}

/// A string property of a JS object, if it is one.
pub fn get_string(obj: &JsValue, key: &str) -> Option<String> {
    if !obj.is_object() {
        return None;
    }
    Reflect::get(obj, &key.into()).ok()?.as_string()
}
