//! Every conversion between JS values and the core's plain-Rust types lives
//! here: JS input -> [`Value`], [`HError`] -> a real JS `Error`.
//!
//! Reading is bounded by the core's [`Budget`] (`crate::limits`): every value
//! met (shared references and cycles each time), every string's length
//! before it is copied, every array's length before its items are read.

use crate::error::HError;
use crate::limits::{Budget, Refusal};
use crate::value::{Num, Value};
use js_sys::{Array, JsString, Reflect};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

/// What a value that could not be read becomes (a throwing getter or Proxy,
/// or one that re-enters the SDK): validation then refuses it with a 605
/// naming its field, and the exception never unwinds through wasm frames.
const UNREADABLE: Value = Value::Other("unreadable (reading it threw)");

#[wasm_bindgen]
extern "C" {
    #[wasm_bindgen(js_namespace = Object, js_name = keys, catch)]
    fn own_keys(o: &JsValue) -> Result<Array, JsValue>;
    #[wasm_bindgen(js_namespace = Array, js_name = isArray, catch)]
    fn is_array(v: &JsValue) -> Result<bool, JsValue>;
}

/// Reads a JS value into the core's [`Value`], within a fresh [`Budget`]; past
/// it, a 605 naming the field below `root` (e.g. `receivers[3].account`).
/// Object entries holding `undefined` are dropped, as `JSON.stringify` would.
/// Every property read goes through a JS call that catches, so user getters
/// cannot break the SDK.
pub fn to_value(v: &JsValue, root: &str) -> Result<Value, HError> {
    read(v, 0, &mut Budget::new()).map_err(|r| r.into_error(root))
}

/// A JS string, checked against the budget before it is copied into wasm.
fn read_string(s: &JsString, budget: &mut Budget) -> Result<String, Refusal> {
    budget.string(s.length())?;
    if !s.is_valid_utf16() {
        // Copying would turn it into U+FFFD: the text sent would not be the text given.
        return Err(Refusal::new("must be valid text (it holds a lone surrogate)"));
    }
    Ok(String::from(s))
}

fn read(v: &JsValue, depth: u32, budget: &mut Budget) -> Result<Value, Refusal> {
    budget.value(depth)?;
    if v.is_undefined() {
        return Ok(Value::Undefined);
    }
    if v.is_null() {
        return Ok(Value::Null);
    }
    if let Some(b) = v.as_bool() {
        return Ok(Value::Bool(b));
    }
    if let Some(n) = v.as_f64() {
        let repr = js_sys::Number::from(n).to_string_with_radix(10).map(String::from).unwrap_or_default();
        return Ok(Value::Number(Num { value: n, repr }));
    }
    if let Some(s) = v.dyn_ref::<JsString>() {
        return read_string(s, budget).map(Value::String);
    }
    if v.is_function() {
        return Ok(Value::Other("function"));
    }
    if !v.is_object() {
        return Ok(Value::Other("bigint or symbol"));
    }
    match is_array(v) {
        Err(_) => Ok(UNREADABLE),
        Ok(true) => {
            let len = Reflect::get(v, &"length".into()).ok().and_then(|l| l.as_f64()).unwrap_or(f64::NAN);
            let len = budget.array(len)?;
            let mut items = Vec::new();
            for i in 0..len {
                let item = match Reflect::get(v, &JsValue::from(i)) {
                    Ok(x) => read(&x, depth + 1, budget),
                    Err(_) => Ok(UNREADABLE),
                };
                let mut index = String::new();
                crate::error::push_num(&mut index, u64::from(i));
                items.push(item.map_err(|r| r.within(&index, true))?);
            }
            Ok(Value::Array(items))
        }
        Ok(false) => {
            let Ok(keys) = own_keys(v) else { return Ok(UNREADABLE) };
            let mut entries = Vec::new();
            for k in keys.iter() {
                budget.value(depth + 1)?;
                let Some(k) = k.dyn_ref::<JsString>() else { continue };
                let key = read_string(k, budget)?;
                let value = match Reflect::get(v, k) {
                    Ok(x) => read(&x, depth + 1, budget),
                    Err(_) => Ok(UNREADABLE),
                };
                let value = value.map_err(|r| r.within(&key, false))?;
                if !matches!(value, Value::Undefined) {
                    entries.push((key, value));
                }
            }
            Ok(Value::Object(entries))
        }
    }
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

/// A string property of a JS object, if it is one; at most
/// [`MAX_STRING`](crate::limits::MAX_STRING) code units of it are copied (a
/// server's `error_msg` can be any size).
pub fn get_string(obj: &JsValue, key: &str) -> Option<String> {
    if !obj.is_object() {
        return None;
    }
    let s: JsString = Reflect::get(obj, &key.into()).ok()?.dyn_into().ok()?;
    Some(String::from(s.slice(0, crate::limits::MAX_STRING)))
}
