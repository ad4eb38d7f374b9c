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
    e.as_string()
        .or_else(|| e.dyn_ref::<js_sys::Error>().map(|e| String::from(e.message())))
        .unwrap_or_else(|| "fetch failed".into())
}
