//! How a request reaches the server: the seam between the plain-Rust core and
//! the JS host. `fetch` (through gloo-net) is the default; it runs in browsers,
//! workers and Node 18+ alike.
//!
//! Nothing here retries. A money-moving POST goes out exactly once; when its
//! outcome is unknown the caller says so in the HError.

use crate::request::{Method, RequestSpec};
use std::cell::Cell;
use std::rc::Rc;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

/// What came back: status, headers as a plain JS object, and the raw body text.
pub struct Reply {
    pub status: u16,
    pub headers: JsValue,
    pub text: String,
}

/// Why no reply came back.
pub enum Failure {
    /// The connection failed or was lost; the detail is the host's message
    /// (it never contains the token: headers are not part of it).
    Network(String),
    /// No complete reply within the configured timeout.
    Timeout,
}

#[wasm_bindgen]
extern "C" {
    #[wasm_bindgen(js_name = setTimeout)]
    fn set_timeout(callback: &js_sys::Function, ms: i32) -> JsValue;
    #[wasm_bindgen(js_name = clearTimeout)]
    fn clear_timeout(handle: &JsValue);
}

/// Sends `spec` once with `fetch`, aborting it after `timeout_ms` (headers and
/// body both count against the timeout).
pub async fn fetch(spec: &RequestSpec, timeout_ms: u32) -> Result<Reply, Failure> {
    let controller =
        web_sys::AbortController::new().map_err(|e| Failure::Network(describe(&e)))?;
    let fired = Rc::new(Cell::new(false));
    let on_timeout = {
        let controller = controller.clone();
        let fired = fired.clone();
        Closure::once(move || {
            fired.set(true);
            controller.abort();
        })
    };
    let ms = i32::try_from(timeout_ms).unwrap_or(i32::MAX);
    let handle = set_timeout(on_timeout.as_ref().unchecked_ref(), ms);
    let result = send(spec, &controller.signal()).await;
    clear_timeout(&handle);
    drop(on_timeout);
    result.map_err(|e| if fired.get() { Failure::Timeout } else { Failure::Network(describe(&e)) })
}

async fn send(spec: &RequestSpec, signal: &web_sys::AbortSignal) -> Result<Reply, JsValue> {
    let method = match spec.method {
        Method::Get => gloo_net::http::Method::GET,
        Method::Post => gloo_net::http::Method::POST,
    };
    let headers = web_sys::Headers::new()?;
    for (name, value) in &spec.headers {
        headers.append(name, value)?;
    }
    let init = web_sys::RequestInit::new();
    init.set_method(method.as_ref());
    init.set_headers(&headers);
    init.set_signal(Some(signal));
    if let Some(body) = &spec.body {
        init.set_body(&JsValue::from_str(body));
    }
    // Built from the URL as the core wrote it: gloo-net's RequestBuilder
    // would re-join the query and append a stray `&`.
    let request = gloo_net::http::Request::from(web_sys::Request::new_with_str_and_init(&spec.url, &init)?);
    let response = request.send().await.map_err(gloo_to_js)?;
    let headers = js_sys::Object::new();
    for (name, value) in response.headers().entries() {
        js_sys::Reflect::set(&headers, &name.into(), &value.into())?;
    }
    let status = response.status();
    let text = response.text().await.map_err(gloo_to_js)?;
    Ok(Reply { status, headers: headers.into(), text })
}

fn gloo_to_js(e: gloo_net::Error) -> JsValue {
    match e {
        gloo_net::Error::JsError(js) => JsValue::from_str(&js.message),
        other => JsValue::from_str(&other.to_string()),
    }
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

/// Sends `spec` once through a host-supplied request function (mini-programs:
/// the package wraps `wx.request` / `my.request`; anyone: `BaaS.init`'s
/// `request` option). The function takes `{ url, method, headers, body,
/// timeout }` and returns a Promise of `{ status, headers, text }`; it rejects
/// with `{ timeout: true }` for a timeout. The SDK's own timer backs it up.
pub async fn host(request: &js_sys::Function, spec: &RequestSpec, timeout_ms: u32) -> Result<Reply, Failure> {
    let req = js_sys::Object::new();
    let headers = js_sys::Object::new();
    let set = |o: &js_sys::Object, k: &str, v: &JsValue| js_sys::Reflect::set(o, &k.into(), v).map(drop);
    let built = (|| {
        for (name, value) in &spec.headers {
            set(&headers, name, &JsValue::from_str(value))?;
        }
        set(&req, "url", &JsValue::from_str(&spec.url))?;
        set(&req, "method", &JsValue::from_str(spec.method.as_str()))?;
        set(&req, "headers", &headers)?;
        if let Some(body) = &spec.body {
            set(&req, "body", &JsValue::from_str(body))?;
        }
        set(&req, "timeout", &JsValue::from(timeout_ms))
    })();
    built.map_err(|e| Failure::Network(describe(&e)))?;
    let pending = request.call1(&JsValue::NULL, &req).map_err(|e| Failure::Network(describe(&e)))?;
    let pending = js_sys::Promise::resolve(&pending);

    // Backstop: resolves with the marker `true` when the timeout passes.
    let handle = Rc::new(Cell::new(JsValue::UNDEFINED));
    let timer = {
        let handle = handle.clone();
        let ms = i32::try_from(timeout_ms).unwrap_or(i32::MAX);
        js_sys::Promise::new(&mut |resolve, _reject| {
            let fire: js_sys::Function = resolve.bind1(&JsValue::NULL, &JsValue::TRUE).unchecked_into();
            handle.set(set_timeout(&fire, ms));
        })
    };
    let race = js_sys::Promise::race(&js_sys::Array::of2(&pending, &timer));
    let outcome = wasm_bindgen_futures::JsFuture::from(race).await;
    clear_timeout(&handle.take());
    let reply = match outcome {
        Ok(v) if v.is_truthy() && v.as_bool() == Some(true) => return Err(Failure::Timeout),
        Ok(v) => v,
        Err(e) => {
            let timed_out = js_sys::Reflect::get(&e, &"timeout".into()).map(|t| t.is_truthy()).unwrap_or(false);
            return Err(if timed_out { Failure::Timeout } else { Failure::Network(describe(&e)) });
        }
    };
    let field = |k: &str| js_sys::Reflect::get(&reply, &k.into()).unwrap_or(JsValue::UNDEFINED);
    let status = field("status").as_f64().filter(|s| (100.0..=599.0).contains(s));
    let text = field("text").as_string();
    match (status, text) {
        (Some(status), Some(text)) => {
            let headers = field("headers");
            let headers = if headers.is_object() { headers } else { js_sys::Object::new().into() };
            Ok(Reply { status: status as u16, headers, text })
        }
        _ => Err(Failure::Network("the request function answered without a numeric status and a text body".into())),
    }
}
