//! Who is asking: the API's client id and `Hydrogen-r1` token, and the
//! control plane's `X-Emulator-Token`. No reply echoes a token.

use hyper::HeaderMap;

use crate::error::{err, ApiError};
use crate::state::State;

/// The header `/__emulator/*` requests carry the control token in.
pub const CONTROL_TOKEN_HEADER: &str = "x-emulator-token";

pub enum Auth {
    /// Sees every order; may refund and share.
    Admin,
    /// Sees only the orders this uid created.
    User(i64),
}

/// The API's check: `X-Hydrogen-Client-ID` must be the configured one and
/// `Authorization: Hydrogen-r1 <token>` a known token (401 otherwise).
pub fn authenticate(state: &State, headers: &HeaderMap) -> Result<Auth, ApiError> {
    let client = headers.get("x-hydrogen-client-id").and_then(|v| v.to_str().ok());
    match client {
        None => return Err(err(401, "missing X-Hydrogen-Client-ID header")),
        Some(c) if c != state.cfg.client_id => return Err(err(401, "unknown client id")),
        Some(_) => {}
    }
    let auth = headers
        .get("authorization")
        .ok_or_else(|| err(401, "authentication required: missing Authorization header"))?;
    let token = auth
        .to_str()
        .ok()
        .and_then(|a| a.strip_prefix("Hydrogen-r1 "))
        .map(str::trim)
        .ok_or_else(|| err(401, "Authorization must be 'Hydrogen-r1 <token>'"))?;
    if token == state.cfg.admin_token {
        return Ok(Auth::Admin);
    }
    state.tokens.get(token).map(|&u| Auth::User(u)).ok_or_else(|| err(401, "invalid token"))
}

/// The control plane's check: 401 without `X-Emulator-Token`, 403 with a
/// wrong one.
pub fn check_control_token(headers: &HeaderMap, expected: &str) -> Result<(), ApiError> {
    let given = headers
        .get(CONTROL_TOKEN_HEADER)
        .ok_or_else(|| err(401, "the control plane needs the X-Emulator-Token header (printed at start)"))?;
    if same_bytes(given.as_bytes(), expected.as_bytes()) {
        Ok(())
    } else {
        Err(err(403, "wrong X-Emulator-Token"))
    }
}

/// Equality whose time does not depend on where the inputs first differ.
fn same_bytes(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn control_token_is_checked() {
        let mut h = HeaderMap::new();
        assert_eq!(check_control_token(&h, "tok").map_err(|e| e.status), Err(401));
        h.insert(CONTROL_TOKEN_HEADER, "to".parse().unwrap());
        assert_eq!(check_control_token(&h, "tok").map_err(|e| e.status), Err(403));
        h.insert(CONTROL_TOKEN_HEADER, "tok".parse().unwrap());
        assert_eq!(check_control_token(&h, "tok"), Ok(()));
        h.insert(CONTROL_TOKEN_HEADER, "tol".parse().unwrap());
        assert_eq!(check_control_token(&h, "tok").map_err(|e| e.status), Err(403));
    }
}
