//! The wasm exports, compiled to wasm, against a running emulator:
//! `cargo xtask test` runs it in Node and in headless Chromium, through wasm-bindgen-test-runner
//! (`cargo xtask test` starts the emulator and sets `BAAS_EMULATOR_URL` and
//! `BAAS_EMULATOR_CONTROL_TOKEN`; in Chromium the test page's origin is the one
//! the emulator's control plane allows, via `WASM_BINDGEN_TEST_ADDRESS`).
//!
//! Only what the package tests (tests/js, tests/page: the packed package in
//! Node, in a simulated mini-program and in Chromium) cannot show: the wasm
//! memory over 100,000 calls, an answer handed to `reply` for a ticket no
//! request waits for, and each transport once (the package's `fetch`
//! adapter, and a host `request` function). Every other behaviour of the calls
//! is tested through the package.
//!
//! Each test tags its requests with its own `env` (sent as
//! `X-Hydrogen-Env-ID`) and reads back only those from the emulator's record.
#![cfg(target_arch = "wasm32")]

use baas_order::endpoints::Call;
mod common;
use common as js;
use js_sys::{Object, Reflect, JSON};
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use wasm_bindgen_test::wasm_bindgen_test;

fn emulator() -> &'static str {
    option_env!("BAAS_EMULATOR_URL").expect("BAAS_EMULATOR_URL: run through `cargo xtask test`")
}
const CLIENT_ID: &str = match option_env!("BAAS_CLIENT_ID") {
    Some(v) => v,
    None => "demo-client-id",
};
const ADMIN: &str = match option_env!("BAAS_ADMIN_TOKEN") {
    Some(v) => v,
    None => "demo-admin-token",
};
const USER: &str = match option_env!("BAAS_USER_TOKEN") {
    Some(v) => v,
    None => "demo-user-token",
};

fn obj(json: &str) -> JsValue {
    JSON::parse(json).expect("test JSON")
}

fn get(v: &JsValue, path: &str) -> JsValue {
    path.split('.').fold(v.clone(), |v, k| Reflect::get(&v, &k.into()).unwrap_or(JsValue::UNDEFINED))
}

fn init(env: &str, token: &str, extra: &str) {
    let opts = format!(r#"{{"host":"{}","env":"{env}","token":"{token}"{extra}}}"#, emulator());
    js::init(CLIENT_ID.into(), obj(&opts), "WEB", host(None)).expect("init");
}

async fn ok(p: js_sys::Promise) -> JsValue {
    match JsFuture::from(p).await {
        Ok(v) => v,
        Err(e) => panic!("rejected: {:?}", get(&e, "message")),
    }
}

#[wasm_bindgen::prelude::wasm_bindgen(module = "/pkg-template/src/send.js")]
extern "C" {
    /// The package's own `send` (the shipped file): `makeSend(reply)`.
    #[wasm_bindgen(js_name = makeSend)]
    fn make_send(reply: &JsValue) -> JsValue;
}

/// What the JS shell passes `init`: the `HError` class every rejection is
/// made with (a class like the shell's: `new HError(code, text, flags)`), the
/// package's `send`, answering into the wasm's `reply` as the shell does, and
/// the host `request` function when one is given (else `send` uses `fetch`).
fn host(request: Option<&JsValue>) -> JsValue {
    let class = js_sys::Function::new_no_args(
        "return class HError extends Error { constructor(c, t, f) { super(c + ': ' + t); this.name = 'HError'; this.code = c; if (f & 4) this.outcomeUnknown = true } }",
    )
    .call0(&JsValue::NULL)
    .expect("class");
    let host = Object::new();
    Reflect::set(&host, &"HError".into(), &class).expect("host");
    let reply = wasm_bindgen::closure::Closure::<dyn Fn(u32, JsValue, u32) -> Result<JsValue, JsValue>>::new(js::reply);
    Reflect::set(&host, &"send".into(), &make_send(reply.as_ref())).expect("host");
    reply.forget(); // one per init: the tests' own, never in the SDK
    if let Some(request) = request {
        Reflect::set(&host, &"request".into(), request).expect("host");
    }
    host.into()
}

/// The HError a promise rejects with: (code, message, data).
async fn err(p: js_sys::Promise) -> (u32, String, JsValue) {
    let e = match JsFuture::from(p).await {
        Ok(v) => panic!("resolved, expected an HError: {:?}", JSON::stringify(&v)),
        Err(e) => e,
    };
    assert!(e.is_instance_of::<js_sys::Error>(), "rejection is a real Error");
    assert_eq!(get(&e, "name").as_string().as_deref(), Some("HError"));
    let code = get(&e, "code").as_f64().expect("numeric code") as u32;
    let message = get(&e, "message").as_string().expect("message");
    assert!(message.starts_with(&format!("{code}: ")), "message format: {message}");
    (code, message, get(&e, "data"))
}

/// A GET of the emulator's control plane, as JSON.
async fn control(path: &str) -> JsValue {
    let url = format!("{}/__emulator/{path}", emulator());
    let token = option_env!("BAAS_EMULATOR_CONTROL_TOKEN")
        .expect("BAAS_EMULATOR_CONTROL_TOKEN: run through `cargo xtask test`");
    let init = Object::new();
    Reflect::set(&init, &"headers".into(), &obj(&format!(r#"{{"X-Emulator-Token":"{token}"}}"#))).expect("init");
    let fetch: js_sys::Function = Reflect::get(&js_sys::global(), &"fetch".into()).expect("fetch").unchecked_into();
    let promise: js_sys::Promise =
        fetch.call2(&JsValue::NULL, &url.into(), &init).expect("fetch call").unchecked_into();
    let resp: web_sys::Response = JsFuture::from(promise).await.expect("emulator control reachable").unchecked_into();
    let text = JsFuture::from(resp.text().expect("text")).await.expect("control body").as_string().unwrap_or_default();
    JSON::parse(&text).expect("control JSON")
}

/// The emulator's recorded requests made with `env` (our test's tag).
async fn recorded(env: &str) -> Vec<JsValue> {
    let all = control("requests").await;
    let list: js_sys::Array = get(&all, "requests").unchecked_into();
    list.iter().filter(|r| get(r, "headers.x-hydrogen-env-id").as_string().as_deref() == Some(env)).collect()
}

fn s(v: &JsValue) -> String {
    v.as_string().unwrap_or_default()
}

/// Only the shell's `send` answers, once per request it
/// sent; an answer no request waits for means a request's own answer is
/// lost: a 600 that says the outcome is unknown (a refund may have moved money).
#[wasm_bindgen_test]
fn an_answer_no_request_waits_for_says_the_outcome_is_unknown() {
    init("no-ticket", ADMIN, "");
    let answer = obj(r#"{"status":200,"headers":{},"text":"{\"status\":\"ok\"}"}"#);
    let e = js::reply(u32::MAX, answer, 0).expect_err("no request waits for this ticket");
    assert_eq!(get(&e, "code").as_f64(), Some(600.0));
    assert_eq!(get(&e, "outcomeUnknown").as_bool(), Some(true), "{:?}", get(&e, "message"));
}

#[wasm_bindgen_test]
async fn order_list_resolves_with_documented_shape_and_headers() {
    init("t-list", USER, "");
    js::check_query("offset", 0.into()).expect("offset");
    js::check_query("limit", 5.into()).expect("limit");
    js::check_query("orderBy", "-id".into()).expect("orderBy");
    let query = obj(r#"{"offset":0,"limit":5,"orderBy":"-id"}"#);
    let res = ok(js::get_order_list(query, obj(r#"{"gateway_type":"weixin_tenpay"}"#))).await;
    assert_eq!(get(&res, "status").as_f64(), Some(200.0));
    assert_eq!(get(&res, "statusCode").as_f64(), Some(200.0));
    assert!(get(&res, "headers").is_object());
    assert_eq!(get(&res, "data.meta.limit").as_f64(), Some(5.0));
    let objects: js_sys::Array = get(&res, "data.objects").unchecked_into();
    assert!(objects.length() > 0);
    for o in objects.iter() {
        assert_eq!(s(&get(&o, "gateway_type")), "weixin_tenpay");
        assert_eq!(get(&o, "created_by_id").as_f64(), Some(1.0), "a user token sees only its orders");
    }
    let reqs = recorded("t-list").await;
    assert_eq!(reqs.len(), 1);
    let r = &reqs[0];
    assert_eq!(s(&get(r, "method")), "GET");
    assert_eq!(s(&get(r, "path")), Call::OrderList.info().path);
    assert_eq!(s(&get(r, "query")), "limit=5&offset=0&order_by=-id&where=%7B%7D&gateway_type=weixin_tenpay");
    assert_eq!(s(&get(r, "headers.x-hydrogen-client-id")), CLIENT_ID);
    assert_eq!(s(&get(r, "headers.x-hydrogen-client-platform")), "WEB");
    assert_eq!(s(&get(r, "headers.x-hydrogen-client-version")), env!("CARGO_PKG_VERSION"));
    assert_eq!(s(&get(r, "headers.authorization")), format!("Hydrogen-r1 {USER}"));

    // No setter values: the defaults.
    ok(js::get_order_list(Object::new().into(), JsValue::UNDEFINED)).await;
    let reqs = recorded("t-list").await;
    assert_eq!(s(&get(&reqs[1], "query")), "limit=20&offset=0&where=%7B%7D");
}

/// The other transport: a host `request` function (what the mini-program
/// entries' `wx.request` / `my.request` adapters and `init`'s `request`
/// option reach the wasm as). It gets the request the wasm built, and its
/// answer is the call's; a key that names no call is a 605 that never reaches it.
#[wasm_bindgen_test]
async fn a_host_request_function_carries_the_request_and_its_answer() {
    let seen = js_sys::Array::new();
    let request = js_sys::Function::new_with_args(
        "seen",
        r#"return req => (seen.push(req), Promise.resolve({ status: 200, headers: {}, text: '{"status":"ok"}' }))"#,
    )
    .call1(&JsValue::NULL, &seen)
    .expect("request function");
    let opts = format!(r#"{{"host":"{}","env":"t-request","token":"{ADMIN}"}}"#, emulator());
    js::init(CLIENT_ID.into(), obj(&opts), "WEB", host(Some(&request))).expect("init");
    let res = ok(js::refund(obj(r#"{"order_id":29973,"refund_amount":100.5,"memo":"部分"}"#))).await;
    assert_eq!(get(&res, "status").as_f64(), Some(200.0));
    assert_eq!(s(&get(&res, "data.status")), "ok");
    assert_eq!(seen.length(), 1);
    let req = seen.get(0);
    assert_eq!(s(&get(&req, "method")), "POST");
    assert!(s(&get(&req, "url")).ends_with(Call::Refund.info().path), "{}", s(&get(&req, "url")));
    assert_eq!(s(&get(&req, "headers.Authorization")), format!("Hydrogen-r1 {ADMIN}"));
    let body = JSON::parse(&s(&get(&req, "body"))).expect("JSON body");
    assert_eq!(get(&body, "order_id").as_f64(), Some(29973.0));
    assert_eq!(get(&body, "refund_amount").as_f64(), Some(100.5));
    assert_eq!(s(&get(&body, "memo")), "部分");
    // A key that names no call: 605 before anything is sent.
    let (code, _, _) = err(js::call("refund", obj("{}"))).await;
    assert_eq!(code, 605);
    assert_eq!(seen.length(), 1, "the request function was not called again");
    assert!(recorded("t-request").await.is_empty(), "nothing reached the emulator: the function was the transport");
}

/// The hand-written allocator (`src/heap.rs`) gives memory back: after a
/// warm-up, 100,000 refused calls whose arguments hold 0 to 3 strings of up
/// to 1,000 characters each (the cap is 1,024; `memo` in CJK, up to 3 KB of
/// UTF-8) and up to 16 sort keys leave wasm memory within 2 pages of where it
/// started (a leak of even 2 bytes a call would grow it by 3 pages). Nothing
/// is sent: each call is a 605 (`refund_amount` below zero).
#[wasm_bindgen_test]
async fn memory_stays_flat_over_100k_calls() {
    init("t-soak", ADMIN, "");
    let pages = || {
        let memory: js_sys::WebAssembly::Memory = wasm_bindgen::memory().unchecked_into();
        memory.buffer().unchecked_into::<js_sys::ArrayBuffer>().byte_length() / 65_536
    };
    let big = "备".repeat(1_000);
    let ascii = "T".repeat(1_000);
    // Every refusal is handled (an unhandled rejection would fail the run).
    let handled = wasm_bindgen::closure::Closure::<dyn FnMut(JsValue)>::new(|_| {});
    let call = |i: u32| {
        let n = i as usize % 1_001;
        let data = Object::new();
        Reflect::set(&data, &"memo".into(), &big[..n * 3].into()).expect("set");
        if i % 3 > 0 {
            Reflect::set(&data, &"trade_no".into(), &ascii[..(n * 7) % 1_001].into()).expect("set");
        }
        if i % 3 > 1 {
            Reflect::set(&data, &"transaction_no".into(), &ascii[..(n * 13) % 1_001].into()).expect("set");
        }
        Reflect::set(&data, &"refund_amount".into(), &JsValue::from(-f64::from(i % 100) - 0.5)).expect("set");
        let keys = js_sys::Array::new();
        for k in 0..(i % 17) {
            keys.push(&format!("-field_{k}_{}", "x".repeat((i % 300) as usize)).into());
        }
        js::check_query("orderBy", keys.into()).expect("orderBy accepts string keys");
        // A negative amount: refused with a 605, nothing sent.
        let refused = js::refund(data.into());
        let _ = refused.catch(&handled);
        refused
    };
    // Warm-up: the heap reaches its working size (every size comes by i = 1,000).
    for i in 0..2_000 {
        let _ = call(i);
    }
    let start = pages();
    for i in 0..100_000u32 {
        let refused = call(i);
        if i % 10_000 == 0 {
            assert_eq!(err(refused).await.0, 605);
        }
        // A turn of the event loop every 1,000 calls: awaiting a promise alone
        // runs as a microtask, and the loop then held the main thread so long
        // on a loaded machine that the headless-Chromium runner's webdriver
        // poll timed out (19 s) and failed the run.
        if i % 1_000 == 0 {
            macrotask(0).await;
        }
    }
    // Every refusal's handler has run once this later promise settles; then the closure may go.
    assert_eq!(err(call(0)).await.0, 605);
    handled.forget();
    let grown = pages().saturating_sub(start);
    // This loop starved the event loop for seconds: give it a turn, so the
    // HTTP client drops any keep-alive connection the emulator closed meanwhile
    // (its idle timeout) before the next test reuses it.
    macrotask(200).await;
    assert!(grown <= 2, "wasm memory grew by {grown} pages over 100,000 calls after warm-up");
}

/// Resolves after `setTimeout(ms)`: the event loop has had a turn.
async fn macrotask(ms: u32) {
    let tick = js_sys::Promise::new(&mut |resolve, _| {
        let set_timeout: js_sys::Function =
            Reflect::get(&js_sys::global(), &"setTimeout".into()).expect("setTimeout").unchecked_into();
        set_timeout.call2(&JsValue::NULL, &resolve, &JsValue::from(ms)).expect("setTimeout call");
    });
    JsFuture::from(tick).await.expect("timer");
}
