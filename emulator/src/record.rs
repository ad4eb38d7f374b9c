//! The request record behind `GET /__emulator/requests`: a ring of the last
//! [`RECORD_RING`] requests, bodies cut at [`RECORD_BODY_CAP`] bytes, the
//! `Authorization` credential redacted (unless the config keeps it).

use std::collections::{BTreeMap, VecDeque};

use hyper::http::request::Parts;
use serde_json::{json, Value};

use crate::config::{RECORD_BODY_CAP, RECORD_RING};

/// What replaces a redacted credential.
pub const REDACTED: &str = "<redacted>";

/// One recorded request.
#[derive(Clone, Debug)]
pub struct Recorded {
    method: String,
    path: String,
    query: String,
    /// Lowercased names; repeated headers joined with `", "`.
    headers: BTreeMap<String, String>,
    /// At most [`RECORD_BODY_CAP`] bytes of the body.
    body: String,
    /// Body bytes the emulator read (a refused body may have been cut short).
    body_bytes: usize,
    /// The body was longer than what `body` keeps, or was refused unread.
    body_truncated: bool,
}

/// `Hydrogen-r1 secret` -> `Hydrogen-r1 <redacted>`; a value without a
/// scheme -> `<redacted>`.
pub fn redact_credential(value: &str) -> String {
    match value.trim_start().split_once(' ') {
        Some((scheme, _)) if !scheme.is_empty() => format!("{scheme} {REDACTED}"),
        _ => REDACTED.to_string(),
    }
}

/// The first `cap` bytes of `body` as text, cut at a character boundary, and
/// whether anything was left out.
fn keep_prefix(body: &[u8], cap: usize) -> (String, bool) {
    if body.len() <= cap {
        return (String::from_utf8_lossy(body).into_owned(), false);
    }
    let mut cut = &body[..cap];
    if let Err(e) = std::str::from_utf8(cut) {
        if e.error_len().is_none() {
            // Cut inside a character: leave that character out.
            cut = &cut[..e.valid_up_to()];
        }
    }
    (String::from_utf8_lossy(cut).into_owned(), true)
}

impl Recorded {
    /// `body` is what was read of the body, `complete` whether that is all of it.
    pub fn new(parts: &Parts, body: &[u8], complete: bool, keep_credentials: bool) -> Recorded {
        let mut headers: BTreeMap<String, String> = BTreeMap::new();
        for (name, value) in &parts.headers {
            let text = String::from_utf8_lossy(value.as_bytes());
            let secret = matches!(name.as_str(), "authorization" | "x-emulator-token");
            let v = if secret && !keep_credentials { redact_credential(&text) } else { text.into_owned() };
            headers
                .entry(name.as_str().to_string())
                .and_modify(|e| {
                    e.push_str(", ");
                    e.push_str(&v);
                })
                .or_insert(v);
        }
        let (kept, cut) = keep_prefix(body, RECORD_BODY_CAP);
        Recorded {
            method: parts.method.to_string(),
            path: parts.uri.path().to_string(),
            query: parts.uri.query().unwrap_or("").to_string(),
            headers,
            body: kept,
            body_bytes: body.len(),
            body_truncated: cut || !complete,
        }
    }

    fn to_json(&self) -> Value {
        json!({
            "method": self.method,
            "path": self.path,
            "query": self.query,
            "headers": self.headers,
            "body": self.body,
            "body_bytes": self.body_bytes,
            "body_truncated": self.body_truncated,
        })
    }
}

/// The ring of recorded requests.
#[derive(Debug, Default)]
pub struct Record {
    ring: VecDeque<Recorded>,
}

impl Record {
    /// Adds a request; the oldest goes when [`RECORD_RING`] are held.
    pub fn push(&mut self, r: Recorded) {
        while self.ring.len() >= RECORD_RING {
            self.ring.pop_front();
        }
        self.ring.push_back(r);
    }
    pub fn clear(&mut self) {
        self.ring.clear();
    }
    /// The held requests, oldest first.
    pub fn to_json(&self) -> Value {
        Value::Array(self.ring.iter().map(Recorded::to_json).collect())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn credentials_are_redacted_keeping_the_scheme() {
        assert_eq!(redact_credential("Hydrogen-r1 demo-admin-token"), "Hydrogen-r1 <redacted>");
        assert_eq!(redact_credential("Bearer a b c"), "Bearer <redacted>");
        assert_eq!(redact_credential("justatoken"), "<redacted>");
        assert_eq!(redact_credential(""), "<redacted>");
        assert_eq!(redact_credential(" secret"), "<redacted>");
    }

    #[test]
    fn bodies_are_cut_at_a_character_boundary() {
        assert_eq!(keep_prefix(b"abc", 3), ("abc".to_string(), false));
        assert_eq!(keep_prefix(b"abcd", 3), ("abc".to_string(), true));
        // "测" is 3 bytes: a cap of 4 keeps one, not a broken second.
        assert_eq!(keep_prefix("测测".as_bytes(), 4), ("测".to_string(), true));
        assert_eq!(keep_prefix(&[0xff, b'a', b'b'], 2), ("\u{FFFD}a".to_string(), true));
    }

    #[test]
    fn the_ring_drops_the_oldest() {
        let mut rec = Record::default();
        for i in 0..RECORD_RING + 3 {
            let (p, _) = hyper::Request::get(format!("/r{i}")).body(()).unwrap().into_parts();
            rec.push(Recorded::new(&p, b"", true, false));
        }
        let list = rec.to_json();
        let list = list.as_array().unwrap();
        assert_eq!(list.len(), RECORD_RING);
        assert_eq!(list[0]["path"], "/r3");
        assert_eq!(list[RECORD_RING - 1]["path"], format!("/r{}", RECORD_RING + 2));
    }
}
