//! Before `init` every call rejects HError 602 (its own wasm binary, so no
//! other test has initialised the module yet). Run in Node and Chromium by `cargo xtask test`.
#![cfg(target_arch = "wasm32")]

mod common;
use common as js;
use wasm_bindgen::JsValue;
use wasm_bindgen_futures::JsFuture;
use wasm_bindgen_test::wasm_bindgen_test;

async fn code_of(p: js_sys::Promise) -> f64 {
    let e = JsFuture::from(p).await.expect_err("must reject before init");
    js_sys::Reflect::get(&e, &"code".into()).ok().and_then(|c| c.as_f64()).unwrap_or(-1.0)
}

#[wasm_bindgen_test]
async fn every_call_rejects_602_before_init() {
    assert_eq!(code_of(js::get_order_list(js_sys::Object::new().into(), JsValue::UNDEFINED)).await, 602.0);
    assert_eq!(code_of(js::get_order("x".into())).await, 602.0);
    assert_eq!(code_of(js::refund(JsValue::UNDEFINED)).await, 602.0);
    assert_eq!(code_of(js::call("wechatProfitSharing", JsValue::UNDEFINED)).await, 602.0);
    assert_eq!(code_of(js::call("wechatMultiProfitSharing", JsValue::UNDEFINED)).await, 602.0);
    assert_eq!(code_of(js::call("alipayProfitSharing", JsValue::UNDEFINED)).await, 602.0);
    assert!(js::set_token("t".into()).is_err());
    assert!(js::clear_token().is_err());
}
