//! Injected faults: their kinds, how `POST /__emulator/faults` describes
//! one, and the queue's rule (the first fault whose path prefix matches is
//! used, `count` times).

use std::collections::VecDeque;

use serde_json::{json, Map, Value};

use crate::error::{err, ApiError};
use crate::request::json_object;

#[derive(Clone, Debug, PartialEq)]
pub enum FaultKind {
    /// Answer `{"error_msg": "injected fault"}` with this status.
    Status(u16),
    /// Wait this many ms, then handle the request normally.
    Delay(u64),
    /// Close the connection without a response byte.
    Drop,
    /// Answer 200 with a body that is not JSON.
    Malformed,
    /// Answer with this status and WeChat's error code `err_code` (e.g.
    /// `SYSTEMERROR`, `FREQUENCY_LIMITED`), as a sharing refused by WeChat.
    Wechat(String, u16),
}

#[derive(Clone, Debug)]
pub struct Fault {
    kind: FaultKind,
    remaining: u64,
    path_prefix: Option<String>,
}

impl Fault {
    pub fn to_json(&self) -> Value {
        let (kind, extra) = match &self.kind {
            FaultKind::Status(s) => ("status", json!({ "status": s })),
            FaultKind::Delay(ms) => ("delay", json!({ "delay_ms": ms })),
            FaultKind::Drop => ("drop", json!({})),
            FaultKind::Malformed => ("malformed", json!({})),
            FaultKind::Wechat(code, status) => ("wechat_error", json!({ "err_code": code, "status": status })),
        };
        let mut v = json!({ "kind": kind, "count": self.remaining, "path_prefix": self.path_prefix });
        for (k, x) in extra.as_object().into_iter().flatten() {
            v[k] = x.clone();
        }
        v
    }
}

/// Takes one use of the first fault of queue `q` that matches `path`.
pub fn take(q: &mut VecDeque<Fault>, path: &str) -> Option<FaultKind> {
    let i = q.iter().position(|f| f.path_prefix.as_deref().is_none_or(|p| path.starts_with(p)))?;
    let f = &mut q[i];
    f.remaining -= 1;
    let kind = f.kind.clone();
    if f.remaining == 0 {
        q.remove(i);
    }
    Some(kind)
}

pub fn parse_fault(body: &[u8]) -> Result<Fault, ApiError> {
    let b = json_object(body)?;
    let count = match b.get("count") {
        None | Some(Value::Null) => 1,
        Some(v) => v.as_u64().filter(|&c| c > 0).ok_or_else(|| err(400, "count must be a positive integer"))?,
    };
    let path_prefix = match b.get("path_prefix") {
        None | Some(Value::Null) => None,
        Some(Value::String(s)) => Some(s.clone()),
        Some(_) => return Err(err(400, "path_prefix must be a string")),
    };
    let kind = match b.get("kind").and_then(Value::as_str) {
        Some("status") => FaultKind::Status(http_status(&b, 500)?),
        Some("delay") => FaultKind::Delay(match b.get("delay_ms") {
            None | Some(Value::Null) => 1000,
            Some(v) => v.as_u64().ok_or_else(|| err(400, "delay_ms must be a non-negative integer"))?,
        }),
        Some("drop") => FaultKind::Drop,
        Some("malformed") => FaultKind::Malformed,
        Some("wechat_error") => {
            let code = match b.get("err_code") {
                None | Some(Value::Null) => "SYSTEMERROR".to_string(),
                Some(Value::String(c)) if !c.is_empty() => c.clone(),
                Some(_) => return Err(err(400, "err_code must be a non-empty string")),
            };
            FaultKind::Wechat(code, http_status(&b, 200)?)
        }
        _ => return Err(err(400, "kind must be one of status, delay, drop, malformed, wechat_error")),
    };
    Ok(Fault { kind, remaining: count, path_prefix })
}

/// A fault's `status`: an HTTP status 200..599, `default` when absent or null.
fn http_status(b: &Map<String, Value>, default: u16) -> Result<u16, ApiError> {
    match b.get("status") {
        None | Some(Value::Null) => Ok(default),
        Some(v) => v
            .as_u64()
            .filter(|s| (200..=599).contains(s))
            .map(|s| s as u16)
            .ok_or_else(|| err(400, "status must be an HTTP status 200..599")),
    }
}
