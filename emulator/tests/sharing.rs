//! WeChat and Alipay profit sharing rules.

mod common;

use common::*;
use serde_json::{json, Value};

fn wx(trade_no: &str, receivers: Value) -> Value {
    json!({"trade_no": trade_no, "appid": "wx3b040d33346e0001", "receivers": receivers})
}
fn merchant(amount: i64) -> Value {
    json!({"type": "MERCHANT_ID", "account": "1900000109", "amount": amount, "description": "分给商户"})
}
fn openid(amount: i64) -> Value {
    json!({"type": "PERSONAL_OPENID", "account": "oUpF8uMuAJO_M2pxb1Q9zNjWeS6o", "amount": amount, "description": "分给个人"})
}
fn ali(trade_no: &str, receivers: Value) -> Value {
    json!({"trade_no": trade_no, "receivers": receivers})
}
fn user_id(amount: i64) -> Value {
    json!({"type": "userId", "account": "2088101126765726", "amount": amount, "description": "d"})
}
fn login(amount: i64) -> Value {
    json!({"type": "loginName", "account": "receiver@example.com", "amount": amount, "description": "d"})
}

#[tokio::test]
async fn wechat_single_sharing_reply_and_close() {
    let emu = Emu::fixtures_only().await;
    let r = emu.post(WX_SHARE, &wx(WX1, json!([merchant(1000), openid(500)]))).await;
    assert_eq!(r.status, 200, "{}", r.body);
    let v = r.json();
    let keys: Vec<&str> = v.as_object().unwrap().keys().map(String::as_str).collect();
    assert_eq!(keys, ["appid", "mch_id", "return_code", "trade_no", "wechat_order_no"]);
    assert_eq!(v["return_code"], "SUCCESS");
    assert_eq!(v["appid"], "wx3b040d33346e0001");
    assert_eq!(v["mch_id"], "1501889000");
    assert_eq!(v["trade_no"], WX1);
    let no1 = v["wechat_order_no"].as_str().unwrap().to_string();
    assert!(!no1.is_empty());
    // Closed: neither single nor multi sharing again.
    for path in [WX_SHARE, WX_MULTI] {
        let r = emu.post(path, &wx(WX1, json!([merchant(1)]))).await;
        assert_eq!(r.status, 400, "{path}");
        assert!(r.error_msg().contains("closed"), "{}", r.error_msg());
    }
    // The other order is independent; order numbers are unique.
    let r = emu.post(WX_SHARE, &wx(WX2, json!([merchant(1)]))).await;
    assert_eq!(r.status, 200);
    assert_ne!(r.json()["wechat_order_no"].as_str().unwrap(), no1);
}

#[tokio::test]
async fn wechat_thirty_percent_cap() {
    let emu = Emu::fixtures_only().await;
    // 100.00 yuan order: at most 3000 fen.
    let r = emu.post(WX_SHARE, &wx(WX1, json!([merchant(2000), openid(1001)]))).await;
    assert_eq!(r.status, 400);
    assert!(r.error_msg().contains("30%"));
    let r = emu.post(WX_SHARE, &wx(WX1, json!([merchant(2000), openid(1000)]))).await;
    assert_eq!(r.status, 200, "{}", r.body);
    // Multi: cumulative within 30%.
    let r = emu.post(WX_MULTI, &wx(WX2, json!([merchant(1500)]))).await;
    assert_eq!(r.status, 200);
    let r = emu.post(WX_MULTI, &wx(WX2, json!([openid(1501)]))).await;
    assert_eq!(r.status, 400);
    let r = emu.post(WX_MULTI, &wx(WX2, json!([openid(1500)]))).await;
    assert_eq!(r.status, 200);
    let r = emu.post(WX_MULTI, &wx(WX2, json!([openid(1)]))).await;
    assert_eq!(r.status, 400);
    // A single sharing after multi counts the earlier shares too.
    let r = emu.post(WX_SHARE, &wx(WX2, json!([openid(1)]))).await;
    assert_eq!(r.status, 400);
}

#[tokio::test]
async fn wechat_multi_sharing_at_most_twenty_times() {
    let emu = Emu::fixtures_only().await;
    for i in 0..20 {
        let r = emu.post(WX_MULTI, &wx(WX1, json!([merchant(10)]))).await;
        assert_eq!(r.status, 200, "share {i}: {}", r.body);
    }
    let r = emu.post(WX_MULTI, &wx(WX1, json!([merchant(10)]))).await;
    assert_eq!(r.status, 400);
    assert!(r.error_msg().contains("20"), "{}", r.error_msg());
    // Single sharing is still possible after 20 multi sharings (within 30%), and closes.
    let r = emu.post(WX_SHARE, &wx(WX1, json!([merchant(10)]))).await;
    assert_eq!(r.status, 200);
    assert_eq!(emu.post(WX_SHARE, &wx(WX1, json!([merchant(10)]))).await.status, 400);
}

#[tokio::test]
async fn wechat_order_and_receiver_checks() {
    let emu = Emu::fixtures_only().await;
    let cases = [
        // Unknown trade_no.
        (wx("nope", json!([merchant(1)])), 404, "not found"),
        // Alipay order.
        (wx(ALI, json!([merchant(1)])), 400, "WeChat"),
        // Pending order.
        (wx("pending000000000000000000000001", json!([merchant(1)])), 400, "paid"),
        // Created without profit_sharing.
        (wx("1gAtaEFcmu6DyHm5b0ycBSmNO302NGzA", json!([merchant(1)])), 400, "profit_sharing"),
        // Unregistered receivers name the account.
        (
            wx(
                WX1,
                json!([merchant(1), {"type": "MERCHANT_ID", "account": "1999999999", "amount": 1, "description": "d"}]),
            ),
            400,
            "1999999999",
        ),
        (
            wx(WX1, json!([{"type": "PERSONAL_OPENID", "account": "1900000109", "amount": 1, "description": "d"}])),
            400,
            "1900000109",
        ),
        (
            wx(WX1, json!([{"type": "PERSONAL_WECHATID", "account": "someone", "amount": 1, "description": "d"}])),
            400,
            "PERSONAL_WECHATID",
        ),
        // Alipay receivers are not WeChat receivers.
        (wx(WX1, json!([user_id(1)])), 400, "userId"),
        // Malformed requests.
        (json!({"trade_no": WX1, "receivers": [merchant(1)]}), 400, "appid"),
        (json!({"appid": "wx3b040d33346e0001", "receivers": [merchant(1)]}), 400, "trade_no"),
        (wx(WX1, json!([])), 400, "receivers"),
        (wx(WX1, json!([merchant(0)])), 400, "amount"),
        (wx(WX1, json!([merchant(-5)])), 400, "amount"),
        (
            wx(WX1, json!([{"type": "MERCHANT_ID", "account": "1900000109", "amount": 1.5, "description": "d"}])),
            400,
            "amount",
        ),
        (wx(WX1, json!([{"type": "MERCHANT_ID", "account": "1900000109", "amount": 1}])), 400, "description"),
    ];
    for path in [WX_SHARE, WX_MULTI] {
        for (body, status, needle) in &cases {
            let r = emu.post(path, body).await;
            assert_eq!(r.status, *status, "{path} {body}: {}", r.body);
            assert!(r.error_msg().contains(needle), "{path} {body}: {}", r.error_msg());
        }
    }
    // None of the refused calls shared anything: the full 30% still fits.
    assert_eq!(emu.post(WX_SHARE, &wx(WX1, json!([merchant(3000)]))).await.status, 200);
}

#[tokio::test]
async fn alipay_sharing_within_the_order_amount() {
    let emu = Emu::fixtures_only().await;
    let r = emu.post(ALI_SHARE, &ali(ALI, json!([user_id(4000), login(2000)]))).await;
    assert_eq!(r.status, 200, "{}", r.body);
    assert_eq!(r.json(), json!({"return_code": "10000", "trade_no": ALI}));
    // Cumulative: 6000 shared of 10000.
    let r = emu.post(ALI_SHARE, &ali(ALI, json!([user_id(4001)]))).await;
    assert_eq!(r.status, 400);
    assert!(!r.error_msg().is_empty());
    let r = emu.post(ALI_SHARE, &ali(ALI, json!([login(4000)]))).await;
    assert_eq!(r.status, 200);
    let r = emu.post(ALI_SHARE, &ali(ALI, json!([login(1)]))).await;
    assert_eq!(r.status, 400);
    // A single request above the order amount.
    let r = emu.post(ALI_SHARE, &ali("1gCf0aQ2Wb8Ne4Rt6Yu1Io3Pa5Sd7Fg9", json!([user_id(2991)]))).await;
    assert_eq!(r.status, 400);
    let r = emu.post(ALI_SHARE, &ali("1gCf0aQ2Wb8Ne4Rt6Yu1Io3Pa5Sd7Fg9", json!([user_id(2990)]))).await;
    assert_eq!(r.status, 200);
}

#[tokio::test]
async fn alipay_order_and_receiver_checks() {
    let emu = Emu::fixtures_only().await;
    for (body, status, needle) in [
        (ali("nope", json!([user_id(1)])), 404, "not found"),
        (ali(WX1, json!([user_id(1)])), 400, "Alipay"),
        (ali(ALI, json!([merchant(1)])), 400, "MERCHANT_ID"),
        (
            ali(ALI, json!([{"type": "userId", "account": "2088000000000000", "amount": 1, "description": "d"}])),
            400,
            "2088000000000000",
        ),
        (
            ali(ALI, json!([{"type": "loginName", "account": "2088101126765726", "amount": 1, "description": "d"}])),
            400,
            "2088101126765726",
        ),
        (json!({"receivers": [user_id(1)]}), 400, "trade_no"),
        (ali(ALI, json!("x")), 400, "receivers"),
    ] {
        let r = emu.post(ALI_SHARE, &body).await;
        assert_eq!(r.status, status, "{body}: {}", r.body);
        assert!(r.error_msg().contains(needle), "{body}: {}", r.error_msg());
    }
    assert_eq!(emu.post(ALI_SHARE, &ali(ALI, json!([user_id(10000)]))).await.status, 200);
}

fn refund_body(trade_no: &str, yuan: Option<&str>) -> Value {
    match yuan {
        Some(y) => json!({"trade_no": trade_no, "refund_amount": y}),
        None => json!({"trade_no": trade_no}),
    }
}

#[tokio::test]
async fn fully_refunded_orders_cannot_be_shared() {
    let emu = Emu::fixtures_only().await;
    for trade_no in [WX1, ALI] {
        let r = emu.post(REFUND, &refund_body(trade_no, None)).await;
        assert_eq!((r.status, r.json()["status"].as_str()), (200, Some("succeed")), "{}", r.body);
    }
    for (path, body) in [
        (WX_SHARE, wx(WX1, json!([merchant(1)]))),
        (WX_MULTI, wx(WX1, json!([merchant(1)]))),
        (ALI_SHARE, ali(ALI, json!([user_id(1)]))),
    ] {
        let r = emu.post(path, &body).await;
        assert_eq!(r.status, 400, "{path}: {}", r.body);
        assert!(r.error_msg().contains("fully refunded"), "{path}: {}", r.error_msg());
    }
    // Nothing was shared: the orders still read as plainly refunded.
    for txn in ["wxsharetxn000000000000000000001A", "alisharetxn00000000000000000001A"] {
        let o = emu.order_by_txn(txn).await;
        assert_eq!((o["refund_amount"].as_str(), o["refund_status"].as_str()), (Some("100.00"), Some("complete")));
    }
}

#[tokio::test]
async fn wechat_cap_is_thirty_percent_of_what_remains_after_refunds() {
    let emu = Emu::fixtures_only().await;
    // 100.00 order, 50.00 refunded: 30% of 50.00 = 1500 fen.
    assert_eq!(emu.post(REFUND, &refund_body(WX2, Some("50.00"))).await.status, 200);
    let r = emu.post(WX_MULTI, &wx(WX2, json!([openid(1501)]))).await;
    assert_eq!(r.status, 400);
    assert!(r.error_msg().contains("30%"), "{}", r.error_msg());
    let r = emu.post(WX_MULTI, &wx(WX2, json!([openid(1500)]))).await;
    assert_eq!(r.status, 200, "{}", r.body);
    assert_eq!(emu.post(WX_MULTI, &wx(WX2, json!([openid(1)]))).await.status, 400);
    // 0.01 refunded: 30% of 99.99 is 2999.7 fen, rounded down to 2999.
    assert_eq!(emu.post(REFUND, &refund_body(WX1, Some("0.01"))).await.status, 200);
    assert_eq!(emu.post(WX_SHARE, &wx(WX1, json!([merchant(3000)]))).await.status, 400);
    assert_eq!(emu.post(WX_SHARE, &wx(WX1, json!([merchant(2000), openid(999)]))).await.status, 200);
}

#[tokio::test]
async fn alipay_cap_is_what_remains_after_refunds() {
    let emu = Emu::fixtures_only().await;
    // 100.00 order, 40.00 refunded: at most 6000 fen.
    assert_eq!(emu.post(REFUND, &refund_body(ALI, Some("40.00"))).await.status, 200);
    let r = emu.post(ALI_SHARE, &ali(ALI, json!([user_id(6001)]))).await;
    assert_eq!(r.status, 400);
    assert!(!r.error_msg().is_empty());
    assert_eq!(emu.post(ALI_SHARE, &ali(ALI, json!([user_id(4000), login(2000)]))).await.status, 200);
    assert_eq!(emu.post(ALI_SHARE, &ali(ALI, json!([login(1)]))).await.status, 400);
}
