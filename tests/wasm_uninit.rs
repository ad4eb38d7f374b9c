//! Before `init` every call rejects with 602 (its own wasm binary, so no
//! other test has initialised the module yet). Run by `wasm-pack test`.
//! Without the shell's HError class (handed over by `init`) the wasm rejects
//! with the message text alone; in the package the shell answers 602 itself
//! before the wasm is even loaded.
#![cfg(target_arch = "wasm32")]

use baas_order::js;
use wasm_bindgen::JsValue;
use wasm_bindgen_futures::JsFuture;
use wasm_bindgen_test::wasm_bindgen_test;

async fn code_of(p: js_sys::Promise) -> f64 {
    let e = JsFuture::from(p).await.expect_err("must reject before init");
    let message = e.as_string().expect("the message text");
    message.split(':').next().and_then(|c| c.parse().ok()).unwrap_or(-1.0)
}

#[wasm_bindgen_test]
async fn every_call_rejects_602_before_init() {
    let mut q = js::JsOrderQuery::new();
    assert_eq!(code_of(q.get_order_list(JsValue::UNDEFINED)).await, 602.0);
    assert_eq!(code_of(js::get_order("x".into())).await, 602.0);
    assert_eq!(code_of(js::refund(JsValue::UNDEFINED)).await, 602.0);
    assert_eq!(code_of(js::wechat_profit_sharing(JsValue::UNDEFINED)).await, 602.0);
    assert_eq!(code_of(js::wechat_multi_profit_sharing(JsValue::UNDEFINED)).await, 602.0);
    assert_eq!(code_of(js::alipay_profit_sharing(JsValue::UNDEFINED)).await, 602.0);
    assert!(js::set_token("t".into()).is_err());
    assert!(js::clear_token().is_err());
}
