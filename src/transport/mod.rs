//! How a request reaches the server: the seam between the plain-Rust core and
//! the JS host. The wasm builds the request and decides what every answer
//! means; the shell's `send` (`pkg-template/src/send.js`) only moves it: it
//! hands the request to `fetch` (browsers, workers, Node 18+) or to the host's
//! request function (mini-programs, the user's `request` option), and gives
//! the answer or the failure back to [`crate::js::reply`] with the request's
//! ticket. So no Rust future, waker or closure exists per call: the Promise a
//! call returns is the shell's `.then` into the wasm.
//!
//! Nothing here retries. A money-moving POST goes out exactly once; when its
//! outcome is unknown the caller says so in the HError.

#[allow(unused_imports)]
use crate::prelude::*;

use crate::response::Failure;
use wasm_bindgen::prelude::*;

/// What came back: status, headers as a plain JS object, and the raw body
/// text as a JS string (it stays in JS: a large order list is parsed by the
/// engine's `JSON.parse`, never copied into wasm memory).
pub struct Reply {
    pub status: u16,
    pub headers: JsValue,
    pub text: JsValue,
}

#[wasm_bindgen]
extern "C" {
    /// `JSON.parse` on a JS string.
    #[wasm_bindgen(js_namespace = JSON, js_name = parse, catch)]
    pub fn json_parse(text: &JsValue) -> Result<JsValue, JsValue>;
}

/// The request's headers as a plain JS object, for the shell's `send` (which
/// gives each request its own copy): the last one made when the headers are
/// the same.
pub fn headers_object(headers: &[(&'static str, String)]) -> Result<JsValue, JsValue> {
    let hit = HEADERS.with(|c| c.borrow().as_ref().filter(|(h, _)| h.as_slice() == headers).map(|(_, js)| js.clone()));
    if let Some(js) = hit {
        return Ok(js);
    }
    // Built with no borrow held: a setter a page put on `Object.prototype`
    // may run here, and call the SDK again.
    let js = crate::sys::Object::new();
    for (name, value) in headers {
        set(&js, name, &JsValue::from_str(value))?;
    }
    HEADERS.with(|c| *c.borrow_mut() = Some((headers.to_vec(), js.clone())));
    Ok(js.into())
}

/// Forgets the last headers (they hold the token): at `init` and `clearToken`.
pub fn forget_headers() {
    HEADERS.with(|c| *c.borrow_mut() = None);
}

/// The last headers made into a JS object, and that object: most requests
/// send the same headers as the one before (the token changes at a login),
/// and turning each value into a JS string again cost more than the rest of
/// building the request. The shell's `send` copies it for every request, so
/// no caller ever holds it.
static HEADERS: crate::local::Local<Option<(Headers, JsValue)>> = crate::local::Local::new(None);

type Headers = Vec<(&'static str, String)>;

#[wasm_bindgen]
extern "C" {
    /// The shell's `send` function.
    pub type SendFn;
    /// `send.call(null, url, method, headers, body, timeout, signal, ticket, request)`:
    /// the shell's `send` (see `pkg-template/src/send.js`), called with the
    /// request's parts as arguments rather than one object (each property of
    /// an object made from the wasm is one more call across the boundary).
    #[wasm_bindgen(method, catch, js_name = call)]
    #[allow(clippy::too_many_arguments)]
    pub fn call_send(
        this: &SendFn,
        context: &JsValue,
        url: &JsValue,
        method: &JsValue,
        headers: &JsValue,
        body: &JsValue,
        timeout: u32,
        signal: &JsValue,
        ticket: u32,
        request: &JsValue,
    ) -> Result<JsValue, JsValue>;
}

/// The answer `send` resolved with, checked: `{ status, headers, text }`
/// with a numeric status from 100 to 599 and a string body (anything else
/// from a host request function is a failure: the request may have gone out).
pub fn answer(reply: &JsValue) -> Result<Reply, Failure> {
    let field = |k: &'static str| {
        if reply.is_object() {
            get(reply, k).unwrap_or(JsValue::UNDEFINED)
        } else {
            JsValue::UNDEFINED
        }
    };
    let status = field("status").as_f64().filter(|s| (100.0..=599.0).contains(s));
    let text = field("text");
    match (status, text.is_string()) {
        (Some(status), true) => {
            let headers = field("headers");
            let headers = if headers.is_object() { headers } else { crate::sys::Object::new().into() };
            Ok(Reply { status: status as u16, headers, text })
        }
        _ => Err(Failure::Network("the request function answered without a numeric status and a text body".into())),
    }
}

/// Why `send` failed. Every failure leaves the outcome unknown (even a
/// request function that throws at once may have sent first), except what
/// the package's own `fetch` adapter made itself before it called `fetch`
/// (`ours`: `send.js` keeps those in a WeakSet, so no other value can claim
/// it): `{ noFetch: true }` (no `fetch` here) and `{ notSent: why }`.
/// `{ timeout: true }` is a timeout.
pub fn failure(e: &JsValue, ours: bool) -> Failure {
    let flag = |k: &'static str| {
        if e.is_object() {
            get(e, k)
        } else {
            None
        }
    };
    if flag("timeout").is_some_and(|t| t.is_truthy()) {
        return Failure::Timeout;
    }
    if ours {
        if flag("noFetch").is_some_and(|t| t.is_truthy()) {
            return Failure::NoFetch;
        }
        if let Some(why) = flag("notSent").filter(|w| w.is_truthy()) {
            return Failure::NotSent(describe(&why));
        }
    }
    Failure::Network(describe(e))
}

/// `target[name]` (through a catching call: `None` when reading it threw).
#[inline(never)]
pub fn get(target: &JsValue, name: &'static str) -> Option<JsValue> {
    crate::sys::reflect_get(target, &key(name)).ok()
}

/// `target[name] = value` (through a catching call).
pub fn set(target: &JsValue, name: &'static str, value: &JsValue) -> Result<(), JsValue> {
    crate::sys::reflect_set(target, &key(name), value).map(drop)
}

/// JS strings made from the SDK's fixed property and header names.
static KEYS: crate::local::Local<Vec<(&'static str, JsValue)>> = crate::local::Local::new(Vec::new());

/// `name` as a JS string, made once (per literal: looked up by address, so a
/// repeated literal may get a second entry): turning a Rust string into a JS one goes
/// through `TextDecoder`, which cost more per request than the property
/// accesses themselves (about 25 names a request).
pub fn key(name: &'static str) -> JsValue {
    // `JsValue::from_str` runs inside the borrow: it cannot throw here, since
    // every name is one of the SDK's own short literals.
    KEYS.with(|keys| {
        let mut keys = keys.borrow_mut();
        if let Some((_, js)) = keys.iter().find(|(k, _)| core::ptr::eq(*k, name)) {
            return js.clone();
        }
        let js = JsValue::from_str(name);
        keys.push((name, js.clone()));
        js
    })
}

/// A short text for a JS exception, for the HError message.
fn describe(e: &JsValue) -> String {
    if let Some(s) = e.as_string() {
        return s;
    }
    if !e.is_object() {
        return "request failed".into();
    }
    // Errors have `message`; mini-program failures have `errMsg`.
    ["message", "errMsg"]
        .iter()
        .find_map(|k| get(e, k).and_then(|v| v.as_string()))
        .unwrap_or_else(|| "request failed".into())
}
