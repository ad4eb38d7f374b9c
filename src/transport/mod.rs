//! How a request reaches the server: the seam between the plain-Rust core and
//! the JS host. `fetch` is the default; it runs in browsers,
//! workers and Node 18+ alike.
//!
//! Nothing here retries. A money-moving POST goes out exactly once; when its
//! outcome is unknown the caller says so in the HError.

use crate::request::RequestSpec;
use crate::response::Failure;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

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
    #[wasm_bindgen(js_name = setTimeout)]
    fn set_timeout(callback: &js_sys::Function, ms: i32) -> JsValue;
    #[wasm_bindgen(js_name = clearTimeout)]
    fn clear_timeout(handle: &JsValue);
    /// `JSON.parse` on a JS string.
    #[wasm_bindgen(js_namespace = JSON, js_name = parse, catch)]
    pub fn json_parse(text: &JsValue) -> Result<JsValue, JsValue>;
    /// The global `fetch`, imported with `catch`: a patched `fetch` that throws
    /// must become an HError, not an exception unwinding through wasm. (This
    /// is why the SDK no longer goes through gloo-net 0.6: its `fetch` import
    /// does not catch, and it panics when the answer is not a `Response`.)
    #[wasm_bindgen(js_name = fetch, catch)]
    fn global_fetch(url: &str, init: &JsValue) -> Result<js_sys::Promise, JsValue>;
    /// `AbortSignal.timeout(ms)`; throws where the runtime lacks it.
    #[wasm_bindgen(js_namespace = AbortSignal, js_name = timeout, catch)]
    fn abort_after(ms: f64) -> Result<JsValue, JsValue>;
}

/// Sends `spec` once with `fetch`, aborting it after `timeout_ms` (headers and
/// body both count against the timeout).
pub async fn fetch(spec: &RequestSpec, timeout_ms: u32) -> Result<Reply, Failure> {
    let global = js_sys::global();
    let has = |name| js_sys::Reflect::get(&global, &key(name)).is_ok_and(|f| f.is_function());
    if !(has("fetch") && has("Response") && has("AbortController")) {
        return Err(Failure::NoFetch);
    }
    // `AbortSignal.timeout` where the runtime has it (Chromium 103, Firefox
    // 100, Safari 16, Node 17.3): one call, where an AbortController, a wasm
    // closure, setTimeout and clearTimeout cost four crossings and a closure
    // allocation per request. Either way, an aborted signal after a failure
    // means the timeout fired.
    // A patched `AbortSignal.timeout` that answers something else falls back
    // too: an unchecked value here would throw through wasm later and hang the call.
    // (Anything but an object falls back; an object that is no signal makes
    // `fetch` throw before sending: a 600, never a hang.)
    let made = abort_after(f64::from(timeout_ms)).ok().filter(JsValue::is_object);
    let (signal, timer) = match made {
        Some(signal) => (signal, None),
        None => {
            let not_sent = |e: JsValue| Failure::NotSent(describe(&e));
            let controller = web_sys::AbortController::new().map_err(not_sent)?;
            // `controller.abort.bind(controller)` as the timer's callback: no wasm closure.
            let abort = js_sys::Reflect::get(&controller, &key("abort")).map_err(not_sent)?;
            let abort = abort.dyn_into::<js_sys::Function>().map_err(not_sent)?;
            let on_timeout = abort.bind0(&controller);
            let ms = i32::try_from(timeout_ms).unwrap_or(i32::MAX);
            (controller.signal().into(), Some(set_timeout(&on_timeout, ms)))
        }
    };
    let result = match init(spec, &signal) {
        Ok(init) => send(&spec.url, &init).await,
        Err(e) => Err(Failure::NotSent(describe(&e))),
    };
    if let Some(handle) = timer {
        clear_timeout(&handle);
    }
    result.map_err(|f| match f {
        // Read through a catching call: a patched getter must not throw through wasm.
        Failure::Network(_) if js_sys::Reflect::get(&signal, &key("aborted")).is_ok_and(|a| a.is_truthy()) => {
            Failure::Timeout
        }
        other => other,
    })
}

/// fetch's options for `spec`, or why they cannot be made: then nothing is sent.
fn init(spec: &RequestSpec, signal: &JsValue) -> Result<JsValue, JsValue> {
    let init = js_sys::Object::new();
    set(&init, "method", &key(spec.method.as_str()))?;
    set(&init, "headers", headers_object(spec)?.as_ref())?;
    set(&init, "signal", signal)?;
    // Follow no redirect: a refund or sharing POSTed again to a new location
    // could move money twice, and a 302 would turn it into a GET elsewhere.
    // A 3xx is an HError with its status (`response::check`), the browser's
    // opaque redirect (status 0) a 600; for a refund or sharing both say the
    // outcome is unknown. GETs alike: the token goes to no other URL.
    set(&init, "redirect", &JsValue::from_str("manual"))?;
    if let Some(body) = &spec.body {
        set(&init, "body", &JsValue::from_str(body))?;
    }
    Ok(init.into())
}

/// Hands the request to `fetch` and reads the whole answer. From the call on,
/// a failure leaves the outcome unknown (even a `fetch` that throws at once
/// might be a wrapper that sent first).
async fn send(url: &str, init: &JsValue) -> Result<Reply, Failure> {
    let lost = |e: JsValue| Failure::Network(describe(&e));
    let answer = wasm_bindgen_futures::JsFuture::from(global_fetch(url, init).map_err(lost)?).await.map_err(lost)?;
    let response: web_sys::Response = answer
        .dyn_into()
        .map_err(|_| lost(JsValue::from_str("fetch answered with something that is not a Response")))?;
    let headers = js_sys::Object::from_entries(&response.headers()).map_err(lost)?;
    let status = response.status();
    if status == 0 {
        // A browser's opaque redirect (`redirect: 'manual'`): not followed.
        return Err(lost(JsValue::from_str("redirected; the SDK follows no redirect")));
    }
    let text = wasm_bindgen_futures::JsFuture::from(response.text().map_err(lost)?).await.map_err(lost)?;
    Ok(Reply { status, headers: headers.into(), text })
}

fn set(target: &js_sys::Object, name: &'static str, value: &JsValue) -> Result<(), JsValue> {
    js_sys::Reflect::set(target, &key(name), value).map(drop)
}

thread_local! {
    /// JS strings made from the SDK's fixed property and header names.
    static KEYS: std::cell::RefCell<Vec<(&'static str, JsValue)>> = const { std::cell::RefCell::new(Vec::new()) };
}

/// `name` as a JS string, made once (per literal: looked up by address, so a
/// repeated literal may get a second entry): turning a Rust string into a JS one goes
/// through `TextDecoder`, which cost more per request than the property
/// accesses themselves (about 25 names a request).
pub fn key(name: &'static str) -> JsValue {
    KEYS.with(|keys| {
        let mut keys = keys.borrow_mut();
        if let Some((_, js)) = keys.iter().find(|(k, _)| std::ptr::eq(*k, name)) {
            return js.clone();
        }
        let js = JsValue::from_str(name);
        keys.push((name, js.clone()));
        js
    })
}

/// The request headers as a plain JS object.
fn headers_object(spec: &RequestSpec) -> Result<js_sys::Object, JsValue> {
    let headers = js_sys::Object::new();
    for (name, value) in &spec.headers {
        set(&headers, name, &JsValue::from_str(value))?;
    }
    Ok(headers)
}

/// A short text for a JS exception, for the HError message.
fn describe(e: &JsValue) -> String {
    if let Some(s) = e.as_string() {
        return s;
    }
    // Errors have `message`; mini-program failures have `errMsg`.
    ["message", "errMsg"]
        .iter()
        .find_map(|k| js_sys::Reflect::get(e, &(*k).into()).ok().and_then(|v| v.as_string()))
        .unwrap_or_else(|| "request failed".into())
}

/// Sends `spec` once through the host's request function (the JS entry's
/// adapter around `wx.request` / `my.request`, or around the user's `request`
/// option). It takes `{ url, method, headers, body, timeout }` and returns a
/// Promise of `{ status, headers, text }`, rejecting with `{ timeout: true }`
/// once `timeout` ms have passed.
pub async fn host(request: &js_sys::Function, spec: &RequestSpec, timeout_ms: u32) -> Result<Reply, Failure> {
    let req = js_sys::Object::new();
    let built = (|| {
        set(&req, "url", &JsValue::from_str(&spec.url))?;
        set(&req, "method", &JsValue::from_str(spec.method.as_str()))?;
        set(&req, "headers", headers_object(spec)?.as_ref())?;
        if let Some(body) = &spec.body {
            set(&req, "body", &JsValue::from_str(body))?;
        }
        set(&req, "timeout", &JsValue::from(timeout_ms))
    })();
    built.map_err(|e| Failure::NotSent(describe(&e)))?;
    // Even a request function that throws at once may have sent first: the
    // outcome is unknown.
    let pending = request.call1(&JsValue::NULL, &req).map_err(|e| Failure::Network(describe(&e)))?;
    let reply = match wasm_bindgen_futures::JsFuture::from(js_sys::Promise::resolve(&pending)).await {
        Ok(v) => v,
        Err(e) => {
            let timed_out = js_sys::Reflect::get(&e, &"timeout".into()).is_ok_and(|t| t.is_truthy());
            return Err(if timed_out { Failure::Timeout } else { Failure::Network(describe(&e)) });
        }
    };
    let field = |k: &str| js_sys::Reflect::get(&reply, &k.into()).unwrap_or(JsValue::UNDEFINED);
    let status = field("status").as_f64().filter(|s| (100.0..=599.0).contains(s));
    let text = field("text");
    match (status, text.is_string()) {
        (Some(status), true) => {
            let headers = field("headers");
            let headers = if headers.is_object() { headers } else { js_sys::Object::new().into() };
            Ok(Reply { status: status as u16, headers, text })
        }
        _ => Err(Failure::Network("the request function answered without a numeric status and a text body".into())),
    }
}
