//! Every conversion between JS values and the core's plain-Rust types lives
//! here: JS input -> [`Value`], [`HError`] -> a real JS `Error`.

use crate::error::HError;
use crate::value::{Num, Value};
use js_sys::{Array, Reflect};
use wasm_bindgen::prelude::*;

/// Nesting deeper than this is refused rather than followed: a cyclic object
/// would otherwise recurse until the wasm stack overflows and the module dies.
const MAX_DEPTH: u32 = 16;

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

/// Reads a JS value into the core's [`Value`]. Object entries holding
/// `undefined` are dropped, as `JSON.stringify` would. Every property read
/// goes through a JS call that catches, so user getters cannot break the SDK.
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
        let repr = js_sys::Number::from(n).to_string_with_radix(10).map(String::from).unwrap_or_default();
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
    let get = |key: &JsValue| Reflect::get(v, key).map(|x| read(&x, depth + 1)).unwrap_or(UNREADABLE);
    match is_array(v) {
        Err(_) => UNREADABLE,
        Ok(true) => {
            // No argument of this API is anywhere near this long; a longer one
            // (or a hostile `length`) is refused, never read in part.
            const MAX_LEN: f64 = 100_000.0;
            match Reflect::get(v, &"length".into()).ok().and_then(|l| l.as_f64()) {
                Some(len) if (0.0..=MAX_LEN).contains(&len) => {
                    Value::Array((0..len as u32).map(|i| get(&JsValue::from(i))).collect())
                }
                _ => Value::Other("array too long"),
            }
        }
        Ok(false) => match own_keys(v) {
            Err(_) => UNREADABLE,
            Ok(keys) => Value::Object(
                keys.iter()
                    .filter_map(|k| {
                        let value = get(&k);
                        let key = k.as_string()?;
                        (!matches!(value, Value::Undefined)).then_some((key, value))
                    })
                    .collect(),
            ),
        },
    }
}

thread_local! {
    /// The shell's `BaaS.HError` class, handed over by `init`.
    static ERROR_CLASS: std::cell::RefCell<Option<js_sys::Function>> = const { std::cell::RefCell::new(None) };
}

/// Keeps the shell's `BaaS.HError` class (`new HError(code, text)`): every
/// rejection made in the wasm is constructed through it.
pub fn set_error_class(class: Option<js_sys::Function>) {
    if class.is_some() {
        ERROR_CLASS.with(|c| *c.borrow_mut() = class);
    }
}

/// An [`HError`] as the JS value every rejection is: an instance of the
/// shell's `BaaS.HError` (`code`, `message` "<code>: <text>", and `data`, the
/// parsed error body, when there is one). Should the class be missing or
/// throw, a plain `Error` named "HError" with the same fields.
pub fn herror(e: &HError, data: Option<&JsValue>) -> JsValue {
    let code = JsValue::from(e.code);
    let text = JsValue::from_str(&e.text);
    let made = ERROR_CLASS
        .with(|c| c.borrow().clone())
        .and_then(|class| Reflect::construct(&class, &Array::of2(&code, &text)).ok());
    let err: JsValue = match made {
        Some(err) => err,
        None => {
            let err = js_sys::Error::new(&e.message());
            err.set_name("HError");
            let _ = Reflect::set(&err, &"code".into(), &code);
            err.into()
        }
    };
    if let Some(d) = data {
        let _ = Reflect::set(&err, &"data".into(), d);
    }
    err
}

/// A string property of a JS object, if it is one.
pub fn get_string(obj: &JsValue, key: &str) -> Option<String> {
    if !obj.is_object() {
        return None;
    }
    Reflect::get(obj, &key.into()).ok()?.as_string()
}
