//! Reading what a request carries: the query string's pairs, their
//! percent-decoding, and a body that must be a JSON object.

use serde_json::{Map, Value};

use crate::error::{err, ApiError};

/// `%XX` and `+` decoding of one query component (form-urlencoded rules:
/// `+` is a space, invalid `%` sequences stay as written, invalid UTF-8
/// becomes U+FFFD).
pub fn percent_decode(s: &str) -> String {
    percent_encoding::percent_decode_str(&s.replace('+', " ")).decode_utf8_lossy().into_owned()
}

/// Raw query string to (raw key, raw value) pairs.
pub fn raw_pairs(query: &str) -> Vec<(&str, &str)> {
    query.split('&').filter(|p| !p.is_empty()).map(|p| p.split_once('=').unwrap_or((p, ""))).collect()
}

/// A request body that must be a JSON object (400 otherwise).
pub fn json_object(body: &[u8]) -> Result<Map<String, Value>, ApiError> {
    match serde_json::from_slice::<Value>(body) {
        Ok(Value::Object(m)) => Ok(m),
        Ok(_) => Err(err(400, "request body must be a JSON object")),
        Err(_) => Err(err(400, "request body is not valid JSON")),
    }
}
