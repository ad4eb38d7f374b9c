//! Building replies: JSON bodies, `{"error_msg": ...}` errors, and the
//! "close without a reply" signal of the `drop` fault.

use bytes::Bytes;
use http_body_util::Full;
use hyper::header::{HeaderValue, CONTENT_TYPE};
use hyper::{Response, StatusCode};
use serde_json::{json, Value};

use crate::error::ApiError;

pub type Resp = Response<Full<Bytes>>;

/// Returned from the service to make hyper close the connection without
/// writing a response (the `drop` fault).
#[derive(Debug)]
pub struct DropConnection;

impl std::fmt::Display for DropConnection {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("injected connection drop")
    }
}
impl std::error::Error for DropConnection {}

/// A reply with `Content-Type: application/json` and `body` as it is.
pub fn raw_response(status: u16, body: impl Into<Bytes>) -> Resp {
    let mut r = Response::new(Full::new(body.into()));
    *r.status_mut() = StatusCode::from_u16(status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    r.headers_mut().insert(CONTENT_TYPE, HeaderValue::from_static("application/json"));
    r
}

pub fn json_response(status: u16, v: &Value) -> Resp {
    raw_response(status, serde_json::to_vec(v).unwrap_or_default())
}

pub fn error_response(e: &ApiError) -> Resp {
    json_response(e.status, &json!({ "error_msg": e.msg }))
}

/// An empty reply (preflights).
pub fn empty_response(status: StatusCode) -> Resp {
    let mut r = Response::new(Full::new(Bytes::new()));
    *r.status_mut() = status;
    r
}
