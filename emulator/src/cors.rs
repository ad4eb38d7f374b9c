//! CORS. The API answers every origin (`Access-Control-Allow-Origin: *`), as
//! the cloud does. The control plane (`/__emulator/*`) answers no web page:
//! its replies carry no CORS headers, its preflights are refused, and a
//! request with an `Origin` header is refused, except for the origins the
//! config names (`--control-origin`).

use hyper::header::HeaderValue;
use hyper::{HeaderMap, StatusCode};

use crate::error::{err, ApiError};
use crate::reply::{empty_response, Resp};

const ALLOW_HEADERS: &str = "Authorization, Content-Type, X-Hydrogen-Client-ID, X-Hydrogen-Client-Version, X-Hydrogen-Client-Platform, X-Hydrogen-Env-ID";

/// The CORS headers of every API reply.
pub fn with_cors(mut r: Resp) -> Resp {
    let h = r.headers_mut();
    h.insert("access-control-allow-origin", HeaderValue::from_static("*"));
    h.insert("access-control-expose-headers", HeaderValue::from_static("*"));
    r
}

/// The allowed headers: the fixed list, plus any other `X-Hydrogen-*` header
/// the preflight asks for (minapp-sdk sends `X-Hydrogen-Client-SDK-Type`).
fn allowed_headers(requested: Option<&str>) -> String {
    let mut allowed = ALLOW_HEADERS.to_string();
    for h in requested.unwrap_or("").split(',').map(str::trim) {
        let lower = h.to_ascii_lowercase();
        if lower.starts_with("x-hydrogen-") && !ALLOW_HEADERS.to_ascii_lowercase().contains(&lower) {
            allowed.push_str(", ");
            allowed.push_str(h);
        }
    }
    allowed
}

/// The 204 answer to a preflight for an API path (no auth, not recorded).
pub fn api_preflight(headers: &HeaderMap) -> Resp {
    let requested = headers.get("access-control-request-headers").and_then(|v| v.to_str().ok());
    let mut r = empty_response(StatusCode::NO_CONTENT);
    let h = r.headers_mut();
    h.insert("access-control-allow-methods", HeaderValue::from_static("GET, POST, OPTIONS"));
    let allowed = allowed_headers(requested);
    h.insert(
        "access-control-allow-headers",
        HeaderValue::from_str(&allowed).unwrap_or(HeaderValue::from_static(ALLOW_HEADERS)),
    );
    h.insert("access-control-max-age", HeaderValue::from_static("86400"));
    with_cors(r)
}

/// Whether a control request may come from where it says it comes from:
/// `Ok(None)` for a request without `Origin` (a test process, curl),
/// `Ok(Some(origin))` for an origin the config allows, 403 for any other.
pub fn control_origin(headers: &HeaderMap, allowed: &[String]) -> Result<Option<HeaderValue>, ApiError> {
    let Some(origin) = headers.get("origin") else { return Ok(None) };
    match origin.to_str() {
        Ok(o) if allowed.iter().any(|a| a == o) => Ok(Some(origin.clone())),
        _ => Err(err(403, "the emulator's control plane answers no web page (this request has an Origin header)")),
    }
}

/// The CORS headers of a control reply to an allowed origin (none otherwise).
pub fn with_control_cors(mut r: Resp, origin: Option<HeaderValue>) -> Resp {
    if let Some(o) = origin {
        let h = r.headers_mut();
        h.insert("access-control-allow-origin", o);
        h.insert("vary", HeaderValue::from_static("Origin"));
    }
    r
}

/// The answer to a preflight for a control path: 204 only for an allowed
/// origin; `Err` (403, no CORS headers) otherwise.
pub fn control_preflight(headers: &HeaderMap, allowed: &[String]) -> Result<Resp, ApiError> {
    let Some(origin) = control_origin(headers, allowed)? else {
        return Err(err(403, "the emulator's control plane answers no web page (preflight refused)"));
    };
    let mut r = empty_response(StatusCode::NO_CONTENT);
    let h = r.headers_mut();
    h.insert("access-control-allow-methods", HeaderValue::from_static("GET, POST, DELETE"));
    h.insert("access-control-allow-headers", HeaderValue::from_static("Content-Type, X-Emulator-Token"));
    h.insert("access-control-max-age", HeaderValue::from_static("600"));
    Ok(with_control_cors(r, Some(origin)))
}
