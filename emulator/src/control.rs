//! The test controls under `/__emulator/`: health, the request record,
//! reset, and the queue of injected faults. The caller has already checked
//! the control token and the origin ([`crate::auth`], [`crate::cors`]).

use hyper::Method;
use serde_json::{json, Value};

use crate::error::err;
use crate::fault::{self, parse_fault, Fault, FaultKind};
use crate::reply::{error_response, json_response, Resp};
use crate::state::{lock, State};

/// The path prefix of the control plane.
pub fn is_control_path(path: &str) -> bool {
    path == "/__emulator" || path.starts_with("/__emulator/")
}

/// Takes one use of the first queued fault that matches `path`.
pub fn take_fault(state: &State, path: &str) -> Option<FaultKind> {
    fault::take(&mut lock(&state.faults), path)
}

/// Answers one (authorised) control request.
pub fn control(state: &State, method: &Method, path: &str, body: &[u8]) -> Resp {
    let ok = || json_response(200, &json!({"ok": true}));
    match (method.as_str(), path.trim_end_matches('/')) {
        ("GET", "/__emulator/health") => ok(),
        ("GET", "/__emulator/requests") => json_response(200, &json!({ "requests": lock(&state.record).to_json() })),
        ("DELETE", "/__emulator/requests") => {
            lock(&state.record).clear();
            ok()
        }
        ("POST", "/__emulator/reset") => {
            let fresh = state.initial.clone();
            *lock(&state.store) = fresh;
            lock(&state.record).clear();
            lock(&state.faults).clear();
            ok()
        }
        ("POST", "/__emulator/faults") => match parse_fault(body) {
            Ok(f) => {
                let mut q = lock(&state.faults);
                q.push_back(f);
                json_response(200, &json!({"ok": true, "queued": q.len()}))
            }
            Err(e) => error_response(&e),
        },
        ("POST", "/__emulator/pay") => match crate::payment::control(state, body) {
            Ok(order) => json_response(200, &order),
            Err(e) => error_response(&e),
        },
        ("GET", "/__emulator/faults") => {
            let list: Vec<Value> = lock(&state.faults).iter().map(Fault::to_json).collect();
            json_response(200, &json!({ "faults": list }))
        }
        ("DELETE", "/__emulator/faults") => {
            lock(&state.faults).clear();
            ok()
        }
        _ => error_response(&err(404, "unknown control endpoint")),
    }
}
