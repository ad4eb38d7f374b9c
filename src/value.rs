//! A plain-Rust image of the JS values the SDK accepts, and a JSON writer
//! that matches `JSON.stringify` for them.

#[allow(unused_imports)]
use crate::prelude::*;

use crate::error::{cat, HError};

/// A JS number as received from JS: its `f64` value and its `String(n)` text.
#[derive(Debug, Clone, PartialEq)]
pub struct Num {
    /// The numeric value.
    pub value: f64,
    /// JS `String(n)` of the value (computed by the JS boundary), used
    /// verbatim in query strings and JSON bodies.
    pub repr: String,
}

/// Largest integer JS represents exactly (`Number.MAX_SAFE_INTEGER`).
pub const MAX_SAFE_INTEGER: f64 = 9_007_199_254_740_991.0;

impl Num {
    /// JS `Number.isInteger(n)`.
    pub fn is_integer(&self) -> bool {
        self.value.is_finite() && self.value % 1.0 == 0.0
    }

    /// JS `Number.isSafeInteger(n) && n > 0`.
    pub fn is_positive_safe_integer(&self) -> bool {
        self.is_integer() && self.value > 0.0 && self.value <= MAX_SAFE_INTEGER
    }
}

/// A JS value handed over by the boundary.
///
/// Object keys are in JS own-property order (`Object.keys`). `Undefined`
/// values inside objects are treated as absent everywhere.
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    /// JS `undefined` (or a missing argument).
    Undefined,
    /// JS `null`.
    Null,
    /// A JS boolean.
    Bool(bool),
    /// A JS number.
    Number(Num),
    /// A JS string.
    String(String),
    /// A JS array.
    Array(Vec<Value>),
    /// A plain JS object, entries in `Object.keys` order.
    Object(Vec<(String, Value)>),
    /// A JS value of a type the SDK never accepts (e.g. `"function"`,
    /// `"symbol"`, `"bigint"`); the payload is its JS type name.
    Other(&'static str),
}

impl Value {
    /// The value of `key` when `self` is an object holding it (an
    /// `Undefined` value counts as absent).
    pub fn get(&self, key: &str) -> Option<&Value> {
        match self {
            Value::Object(entries) => {
                entries.iter().find(|(k, v)| k == key && !matches!(v, Value::Undefined)).map(|(_, v)| v)
            }
            _ => None,
        }
    }

    /// The entries of an object whose keys are all in `known` (keys holding
    /// `Undefined` are ignored): the one "unknown keys" check of every call.
    /// Not an object: 605 `"{what}: must be an object"`. An unknown key: 605
    /// `"unknown field {prefix}{key}"`, so a typo is refused, never ignored.
    pub fn known_entries(&self, known: &[&str], what: &str, prefix: &str) -> Result<&[(String, Value)], HError> {
        let Value::Object(entries) = self else {
            return Err(HError::bad_param(what, "must be an object"));
        };
        match entries.iter().find(|(k, v)| !matches!(v, Value::Undefined) && !known.contains(&k.as_str())) {
            Some((key, _)) => Err(HError::unknown_field(&cat(&[prefix, key]))),
            None => Ok(entries),
        }
    }

    /// The string inside a `Value::String`.
    pub fn as_str(&self) -> Option<&str> {
        match self {
            Value::String(s) => Some(s),
            _ => None,
        }
    }

    /// `JSON.stringify(value)`. Non-finite numbers become `null`;
    /// `Undefined`/`Other` become `null` at the top level and in arrays and
    /// are dropped from objects, as in JS.
    pub fn to_json(&self) -> String {
        let mut out = String::new();
        self.write_json(&mut out);
        out
    }

    /// Appends `JSON.stringify(value)` to `out`.
    pub fn write_json(&self, out: &mut String) {
        match self {
            Value::Undefined | Value::Null | Value::Other(_) => out.push_str("null"),
            Value::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
            Value::Number(n) => {
                if n.value.is_finite() {
                    out.push_str(&n.repr)
                } else {
                    out.push_str("null")
                }
            }
            Value::String(s) => write_json_str(s, out),
            Value::Array(items) => {
                out.push('[');
                for (i, v) in items.iter().enumerate() {
                    if i > 0 {
                        out.push(',');
                    }
                    v.write_json(out);
                }
                out.push(']');
            }
            Value::Object(entries) => {
                out.push('{');
                let mut first = true;
                for (k, v) in entries {
                    if matches!(v, Value::Undefined | Value::Other(_)) {
                        continue;
                    }
                    if !first {
                        out.push(',');
                    }
                    first = false;
                    write_json_str(k, out);
                    out.push(':');
                    v.write_json(out);
                }
                out.push('}');
            }
        }
    }
}

/// A JSON object of `fields` in the order given, as `JSON.stringify` writes
/// it: the one writer of every request body.
pub fn json_object<'a>(fields: impl IntoIterator<Item = (&'a str, &'a Value)>) -> String {
    let mut out = String::from("{");
    for (key, value) in fields {
        if out.len() > 1 {
            out.push(',');
        }
        write_json_str(key, &mut out);
        out.push(':');
        value.write_json(&mut out);
    }
    out.push('}');
    out
}

/// Appends `s` as a JSON string literal, escaped exactly like `JSON.stringify`.
pub fn write_json_str(s: &str, out: &mut String) {
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\u{8}' => out.push_str("\\b"),
            '\u{c}' => out.push_str("\\f"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if u32::from(c) < 0x20 => {
                let b = u8::try_from(u32::from(c)).unwrap_or(0);
                out.push_str("\\u00");
                out.push(crate::encode::hex_digit(b >> 4, false));
                out.push(crate::encode::hex_digit(b, false));
            }
            c => out.push(c),
        }
    }
    out.push('"');
}

#[cfg(test)]
impl Value {
    /// Test helper: a number whose repr is Rust's formatting (matches JS for
    /// ordinary integers and short decimals).
    pub fn num(v: f64) -> Value {
        Value::Number(Num { value: v, repr: format!("{v}") })
    }
    /// Test helper: a number with an explicit JS repr.
    pub fn num_repr(v: f64, repr: &str) -> Value {
        Value::Number(Num { value: v, repr: repr.to_string() })
    }
    /// Test helper: a string value.
    pub fn str(s: &str) -> Value {
        Value::String(s.to_string())
    }
    /// Test helper: an object from pairs.
    pub fn obj(pairs: Vec<(&str, Value)>) -> Value {
        Value::Object(pairs.into_iter().map(|(k, v)| (k.to_string(), v)).collect())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn json_escaping_matches_json_stringify() {
        let s = Value::str("a\"b\\c\u{8}\u{c}\n\r\t\u{1}\u{1f}\u{7f}é订单😀/");
        assert_eq!(s.to_json(), "\"a\\\"b\\\\c\\b\\f\\n\\r\\t\\u0001\\u001f\u{7f}é订单😀/\"");
    }

    #[test]
    fn json_structures() {
        let v = Value::obj(vec![
            ("a", Value::num(1.0)),
            ("u", Value::Undefined),
            ("f", Value::Other("function")),
            ("n", Value::Null),
            ("b", Value::Bool(true)),
            ("arr", Value::Array(vec![Value::Undefined, Value::num_repr(0.1, "0.1"), Value::Bool(false)])),
            ("nan", Value::num_repr(f64::NAN, "NaN")),
            ("o", Value::obj(vec![])),
        ]);
        assert_eq!(v.to_json(), r#"{"a":1,"n":null,"b":true,"arr":[null,0.1,false],"nan":null,"o":{}}"#);
        assert_eq!(Value::Undefined.to_json(), "null");
        assert_eq!(Value::Array(vec![]).to_json(), "[]");
    }

    #[test]
    fn get_reads_present_keys() {
        let v = Value::obj(vec![("a", Value::Undefined), ("b", Value::Null)]);
        assert_eq!(v.get("a"), None);
        assert_eq!(v.get("b"), Some(&Value::Null));
        assert_eq!(v.get("c"), None);
        assert_eq!(Value::Null.get("b"), None);
    }
}
