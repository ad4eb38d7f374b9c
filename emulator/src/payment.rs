//! Payments (CONTRACT.md "Payment initiation"): creating an order on
//! `POST /hserve/v2.2/idp/pay/order/` for every gateway, the answer each
//! gateway's buyer side needs, the checkout page the answer's `code_url` /
//! `mweb_url` / `payment_url` point at (`/__checkout/{transaction_no}`, where
//! a person sees the amount and description and pays, fails or cancels), and
//! the settlement the platform's notify would make (`POST /__emulator/pay`
//! and the checkout page's buttons).
//!
//! The checkout page needs no token: its URL (a random transaction number)
//! is the capability, as a payment link is; the emulator listens on
//! 127.0.0.1 only.

use std::time::{SystemTime, UNIX_EPOCH};

use serde_json::{json, Map, Value};

use crate::data::{user_name, Gateway, Order, Payment, SplitMix64};
use crate::error::{err, ApiError};
use crate::money::{fen_to_yuan, parse_yuan_str, MAX_FEN};
use crate::reply::Resp;
use crate::request::json_object;
use crate::state::{lock, State};
use crate::store::Store;

/// Every gateway type the create takes, with its [`Gateway`].
pub const GATEWAYS: [(&str, Gateway); 8] = [
    ("weixin_tenpay", Gateway::Wechat),
    ("weixin_tenpay_native", Gateway::Wechat),
    ("weixin_tenpay_wap", Gateway::Wechat),
    ("weixin_tenpay_js", Gateway::Wechat),
    ("alipay", Gateway::Alipay),
    ("alipay_page", Gateway::Alipay),
    ("alipay_wap", Gateway::Alipay),
    ("qpay_native", Gateway::Qq),
];

/// The path prefix of the checkout page.
pub const CHECKOUT: &str = "/__checkout/";

const FIELDS: [&str; 7] = [
    "gateway_type",
    "total_cost",
    "merchandise_description",
    "merchandise_schema_id",
    "merchandise_record_id",
    "merchandise_snapshot",
    "profit_sharing",
];

/// `total_cost` in yuan, as a JSON number or a decimal string, to fen.
pub fn cost_to_fen(v: &Value) -> Result<i64, ApiError> {
    let bad = || err(400, "total_cost must be an amount in yuan greater than 0 with at most 2 decimals");
    let fen = match v {
        Value::String(s) => parse_yuan_str(s).ok_or_else(bad)?,
        // serde_json keeps a number's text as written (arbitrary_precision is
        // off, so read its shortest form): 0.1 is "0.1", 15 is "15".
        Value::Number(n) => parse_yuan_str(&n.to_string()).ok_or_else(bad)?,
        _ => return Err(bad()),
    };
    if fen <= 0 || fen > MAX_FEN {
        return Err(bad());
    }
    Ok(fen)
}

fn now_us() -> i64 {
    SystemTime::now().duration_since(UNIX_EPOCH).map(|d| d.as_micros() as i64).unwrap_or(0)
}

/// `POST /hserve/v2.2/idp/pay/order/` by the user `uid`: checks the body
/// (400 naming the field), creates a pending order and answers what the
/// gateway's buyer side needs. `base` is `http://host:port` as the client
/// reached the emulator (the checkout links point there).
pub fn create(store: &mut Store, uid: i64, body: &Map<String, Value>, base: &str) -> Result<Value, ApiError> {
    if let Some(k) = body.keys().find(|k| !FIELDS.contains(&k.as_str())) {
        return Err(err(400, format!("unknown field {k}")));
    }
    let gateway_type = body.get("gateway_type").and_then(Value::as_str).unwrap_or_default();
    let Some(&(gateway_type, gateway)) = GATEWAYS.iter().find(|(g, _)| *g == gateway_type) else {
        return Err(err(400, "gateway_type is not a supported gateway"));
    };
    let total_fen = cost_to_fen(body.get("total_cost").unwrap_or(&Value::Null))?;
    let description = match body.get("merchandise_description") {
        Some(Value::String(s)) if !s.is_empty() => s.clone(),
        _ => return Err(err(400, "merchandise_description must be a non-empty string")),
    };
    let schema_id = match body.get("merchandise_schema_id") {
        None | Some(Value::Null) => None,
        Some(v) => Some(
            v.as_i64()
                .filter(|&n| n > 0)
                .ok_or_else(|| err(400, "merchandise_schema_id must be a positive integer"))?,
        ),
    };
    let record_id = match body.get("merchandise_record_id") {
        None | Some(Value::Null) => None,
        Some(Value::String(s)) => Some(s.clone()),
        Some(_) => return Err(err(400, "merchandise_record_id must be a string")),
    };
    let snapshot = match body.get("merchandise_snapshot") {
        None | Some(Value::Null) => "{}".to_string(),
        Some(v @ Value::Object(_)) => v.to_string(),
        Some(_) => return Err(err(400, "merchandise_snapshot must be an object")),
    };
    let profit_sharing = match body.get("profit_sharing") {
        None | Some(Value::Null) => false,
        Some(Value::Bool(b)) if gateway == Gateway::Wechat || !b => *b,
        Some(Value::Bool(_)) => return Err(err(400, "profit_sharing is for WeChat gateways only")),
        Some(_) => return Err(err(400, "profit_sharing must be a boolean")),
    };
    let now = now_us();
    let mut r = SplitMix64::new((now as u64) ^ (store.orders.len() as u64).wrapping_mul(0x9E37_79B9));
    const ALNUM: &[u8] = b"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
    let mut fresh = || loop {
        let s = r.string(32, ALNUM);
        if !store.identifier_taken(&s) {
            return s;
        }
    };
    let (trade_no, mut transaction_no) = (fresh(), fresh());
    while transaction_no == trade_no {
        transaction_no = fresh();
    }
    let id = store.orders.iter().map(|o| o.id).max().unwrap_or(0) + 1;
    let order = Order {
        id,
        created_at_us: now,
        updated_at_us: now,
        created_by_id: uid,
        created_by_name: user_name(uid),
        gateway,
        ip_address: "127.0.0.1".to_string(),
        merchandise_description: description,
        merchandise_record_id: record_id,
        merchandise_schema_id: schema_id,
        merchandise_snapshot: snapshot,
        paid_at: None,
        profit_sharing,
        refund_fen: 0,
        total_fen,
        trade_no: trade_no.clone(),
        transaction_no: transaction_no.clone(),
        shared_fen: 0,
        multi_shares: 0,
        sharing_closed: false,
        payment: Some(Payment { gateway_type, failed: false }),
    };
    store.push(order);
    let link = format!("{base}{CHECKOUT}{transaction_no}");
    let mut answer = json!({ "transaction_no": transaction_no, "trade_no": trade_no });
    let extra = match gateway_type {
        "weixin_tenpay_native" | "qpay_native" => json!({ "code_url": link }),
        "weixin_tenpay_wap" => json!({ "mweb_url": link }),
        "alipay_page" | "alipay_wap" => json!({ "payment_url": link }),
        "weixin_tenpay" | "weixin_tenpay_js" => json!({
            "appId": "wx3b040d33346e0001",
            "timeStamp": (now / 1_000_000).to_string(),
            "nonceStr": r.string(32, ALNUM),
            // The prepay id names the order (the payment sheet's stand-ins in the tests pay it by this).
            "package": format!("prepay_id=wx{trade_no}"),
            "signType": "MD5",
            "paySign": r.string(32, b"0123456789ABCDEF"),
        }),
        _ => json!({}),
    };
    if let (Value::Object(a), Value::Object(e)) = (&mut answer, extra) {
        a.extend(e);
    }
    Ok(answer)
}

/// The notify WeChat or Alipay would send: the order named by `trade_no` or
/// `transaction_no` becomes paid (`"success"`) or failed. A settled order
/// changes no more (a repeated notify is answered with the order as it is).
pub fn settle(store: &mut Store, key: &str, outcome: &str) -> Result<Value, ApiError> {
    let i = store
        .by_trade_no
        .get(key)
        .or_else(|| store.by_transaction_no.get(key))
        .copied()
        .ok_or_else(|| err(404, "order not found"))?;
    let o = &mut store.orders[i];
    if o.status() == "pending" {
        let now = now_us();
        match outcome {
            "success" => o.paid_at = Some(now / 1_000_000),
            "failed" => {
                let p = o.payment.get_or_insert(Payment { gateway_type: o.gateway.as_str(), failed: false });
                p.failed = true;
            }
            _ => return Err(err(400, "outcome must be success or failed")),
        }
        o.updated_at_us = now;
    } else if !matches!(outcome, "success" | "failed") {
        return Err(err(400, "outcome must be success or failed"));
    }
    Ok(o.to_json())
}

/// `POST /__emulator/pay` `{"trade_no" | "transaction_no": …, "outcome": "success" | "failed"}`.
pub fn control(state: &State, body: &[u8]) -> Result<Value, ApiError> {
    let b = json_object(body)?;
    let key = ["trade_no", "transaction_no"]
        .iter()
        .find_map(|k| b.get(*k).and_then(Value::as_str))
        .ok_or_else(|| err(400, "trade_no or transaction_no is required"))?;
    let outcome = b.get("outcome").and_then(Value::as_str).unwrap_or_default();
    settle(&mut lock(&state.store), key, outcome)
}

fn html_escape(s: &str) -> String {
    s.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;").replace('\'', "&#39;")
}

/// The checkout page: `GET /__checkout/{transaction_no}` shows the order
/// (amount, description, gateway, status) with three buttons; `POST` with
/// the form field `outcome` = `success` | `failed` | `cancel` settles it
/// (cancel changes nothing: the buyer walked away, the order stays pending)
/// and shows the page again.
pub fn checkout(state: &State, method: &hyper::Method, path: &str, body: &[u8]) -> Resp {
    let txn = path.trim_start_matches(CHECKOUT).trim_end_matches('/');
    let mut note = "";
    let mut store = lock(&state.store);
    if method == hyper::Method::POST {
        let form = String::from_utf8_lossy(body);
        let outcome = form.split('&').find_map(|kv| kv.strip_prefix("outcome=")).unwrap_or_default();
        note = match outcome {
            "success" | "failed" => match settle(&mut store, txn, outcome) {
                Ok(_) if outcome == "success" => "支付成功 Paid.",
                Ok(_) => "支付失败 The payment failed.",
                Err(_) => "",
            },
            "cancel" => "已取消 You cancelled; the order is still waiting for payment.",
            _ => "",
        };
    }
    let Some(o) = store.by_transaction_no.get(txn).map(|&i| &store.orders[i]) else {
        return page(404, "<h1>没有这个订单 No such order</h1>");
    };
    let status = o.status();
    let buttons = if status == "pending" {
        r#"<form method="post"><button name="outcome" value="success" id="pay">支付 Pay</button>
<button name="outcome" value="failed" id="fail">支付失败 Fail</button>
<button name="outcome" value="cancel" id="cancel">取消 Cancel</button></form>"#
    } else {
        ""
    };
    let html = format!(
        r#"<h1>收银台 Checkout (baas-emulator)</h1>
<p class="note" id="note">{note}</p>
<dl><dt>金额 Amount</dt><dd id="amount">¥{amount}</dd>
<dt>商品 Description</dt><dd id="description">{desc}</dd>
<dt>支付方式 Gateway</dt><dd id="gateway">{gateway}</dd>
<dt>订单 trade_no</dt><dd id="trade_no">{trade}</dd>
<dt>状态 Status</dt><dd id="status">{status}</dd></dl>
{buttons}"#,
        amount = fen_to_yuan(o.total_fen),
        desc = html_escape(&o.merchandise_description),
        gateway = o.gateway_type(),
        trade = html_escape(&o.trade_no),
    );
    page(200, &html)
}

fn page(status: u16, body: &str) -> Resp {
    let html = format!(
        "<!doctype html><html lang=\"zh\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width\">\
<title>Checkout</title><style>body{{font-family:sans-serif;max-width:32em;margin:2em auto}}dt{{color:#666}}dd{{margin:0 0 .6em}}\
#amount{{font-size:2em}}button{{font-size:1.1em;margin-right:.5em}}</style></head><body>{body}</body></html>"
    );
    let mut r = crate::reply::raw_response(status, html);
    r.headers_mut()
        .insert(hyper::header::CONTENT_TYPE, hyper::header::HeaderValue::from_static("text/html; charset=utf-8"));
    r
}
