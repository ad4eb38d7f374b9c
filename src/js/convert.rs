//! Every conversion between JS values and the core's plain-Rust types lives
//! here: JS input -> [`Value`], [`HError`] -> a real JS `Error`.
//!
//! Reading is bounded by the core's [`Budget`] (`crate::limits`): every value
//! met (shared references and cycles each time), every string's length
//! before it is copied, every array's length before its items are read.

#[allow(unused_imports)]
use crate::prelude::*;

use crate::error::HError;
use crate::limits::{refused, Budget};
use crate::sys::{self, Function, Indexed};
use crate::value::{Num, Value};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

/// What a value that could not be read becomes (a throwing getter or Proxy,
/// or one that re-enters the SDK): validation then refuses it with a 605
/// naming its field, and the exception never unwinds through wasm frames.
const UNREADABLE: Value = Value::Other("unreadable (reading it threw)");

/// Reads a JS value into the core's [`Value`], within a fresh [`Budget`]; past
/// it, a 605 naming the innermost key holding a string or array too long,
/// else the argument (`field`). Object entries holding
/// `undefined` are dropped, as `JSON.stringify` would. Every property read
/// goes through a JS call that catches, so user getters cannot break the SDK.
pub fn to_value(v: &JsValue, field: &str) -> Result<Value, HError> {
    let mut budget = Budget::new();
    let value = read(v, 0, &mut budget);
    match budget.refused {
        Some(reason) => Err(refused(budget.field.as_deref().unwrap_or(field), reason)),
        None => Ok(value),
    }
}

/// The arguments of a `BaaS.Query` call (the shell's own array), read as
/// [`to_value`] reads an argument; the one the input budget refused (the
/// read stops there) is `Value::Other` with the budget's reason, for the
/// core's rules to name its field ([`crate::order::baas_query::call`]).
pub fn query_args(args: &JsValue) -> Vec<Value> {
    let mut budget = Budget::new();
    let mut items = match read(args, 0, &mut budget) {
        Value::Array(items) => items,
        _ => Vec::new(),
    };
    if let Some(reason) = budget.refused {
        match items.last_mut() {
            Some(last) => *last = Value::Other(reason),
            // The arguments themselves: more than the array cap.
            None => items.push(Value::Other(reason)),
        }
    }
    items
}

/// A JS string, checked against the budget before it is copied into wasm.
fn read_string(s: &JsValue, budget: &mut Budget) -> String {
    if budget.string(s.unchecked_ref::<Indexed>().length()) {
        return s.as_string().unwrap_or_default();
    }
    String::new()
}

/// `v` read into a [`Value`]; once the budget refused, what is returned is
/// thrown away.
fn read(v: &JsValue, depth: u32, budget: &mut Budget) -> Value {
    if !budget.value(depth) || v.is_undefined() {
        return Value::Undefined;
    }
    if v.is_null() {
        return Value::Null;
    }
    if let Some(b) = v.as_bool() {
        return Value::Bool(b);
    }
    if let Some(n) = v.as_f64() {
        let repr = sys::number_text(n).as_string().unwrap_or_default();
        return Value::Number(Num { value: n, repr });
    }
    if v.is_string() {
        return Value::String(read_string(v, budget));
    }
    if v.is_function() {
        return Value::Other("function");
    }
    if !v.is_object() {
        return Value::Other("bigint or symbol");
    }
    let get = |key: &JsValue, budget: &mut Budget| match sys::reflect_get(v, key) {
        Ok(x) => read(&x, depth + 1, budget),
        Err(_) => UNREADABLE,
    };
    match sys::is_array(v) {
        Err(_) => UNREADABLE,
        Ok(true) => {
            let len = sys::reflect_get(v, &"length".into()).ok().and_then(|l| l.as_f64()).unwrap_or(f64::NAN);
            let mut items = Vec::new();
            for i in 0..budget.array(len) {
                if budget.refused.is_some() {
                    break;
                }
                items.push(get(&JsValue::from(i), budget));
            }
            Value::Array(items)
        }
        Ok(false) => {
            let Ok(keys) = sys::Object::keys(v) else { return UNREADABLE };
            let keys: &Indexed = keys.unchecked_ref();
            let mut entries = Vec::new();
            for k in (0..keys.length()).map(|i| keys.get(i)) {
                if !budget.value(depth + 1) {
                    break;
                }
                // `Object.keys` gives strings only.
                let key = read_string(&k, budget);
                if budget.refused.is_some() {
                    // The key itself was too long: the argument is named, and its value is never read.
                    break;
                }
                let value = get(&k, budget);
                if budget.refused.is_some() {
                    // Name the innermost field holding a string or array too long.
                    if budget.field.is_none() && budget.names_field() {
                        budget.field = Some(key);
                    }
                    break;
                }
                if !matches!(value, Value::Undefined) {
                    entries.push((key, value));
                }
            }
            Value::Object(entries)
        }
    }
}

/// The shell's `BaaS.HError` class, handed over by `init`.
static ERROR_CLASS: crate::local::Local<Option<Function>> = crate::local::Local::new(None);

/// Keeps the shell's `BaaS.HError` class (`new HError(code, text)`): every
/// rejection made in the wasm is constructed through it.
pub fn set_error_class(class: Option<Function>) {
    if class.is_some() {
        ERROR_CLASS.with(|c| *c.borrow_mut() = class);
    }
}

/// An [`HError`] as the JS value every rejection is: an instance of the
/// shell's `BaaS.HError` (`code`, `message` "<code>: <text>", `field` and
/// `outcomeUnknown` when set, and `data`, the parsed error body, when there
/// is one). Without the class (the wasm driven without the shell, as its own
/// tests do before `init`) or should it throw: a plain object with `code` and
/// the text as `message`.
pub fn herror(e: &HError, data: Option<&JsValue>) -> JsValue {
    let code = JsValue::from(e.code);
    let text = JsValue::from_str(&e.text);
    // What a program acts on, decided by the core: the flags (`HError::flags`:
    // whether the outcome is unknown, whether the caller's signal aborted it)
    // and a 605's field as its own value (never cut from the text). The
    // shell's HError sets `outcomeUnknown`, `aborted` and `field` from them,
    // and has the core hide the tokens in its text and field (`js::redact`,
    // the one redaction).
    let flags = JsValue::from(e.flags());
    let field = e.field.as_deref().map_or(JsValue::UNDEFINED, JsValue::from_str);
    let made = ERROR_CLASS
        .with(|c| c.borrow().clone())
        .and_then(|class| sys::reflect_construct(&class, &sys::array_of4(&code, &text, &flags, &field)).ok());
    let err: JsValue = match made {
        Some(err) => err,
        None => {
            // Only the raw wasm driven without the shell (its own tests) has
            // no class: a plain object with the `code`, and the text as `message`.
            let err = sys::Object::new();
            let _ = sys::reflect_set(&err, &"code".into(), &code);
            let _ = sys::reflect_set(&err, &"message".into(), &text);
            err.into()
        }
    };
    if let Some(d) = data {
        let _ = sys::reflect_set(&err, &"data".into(), d);
    }
    err
}

/// A string property of a JS object, if it is one.
pub fn get_string(obj: &JsValue, key: &'static str) -> Option<String> {
    if !obj.is_object() {
        return None;
    }
    crate::transport::get(obj, key)?.as_string()
}
