//! Payments: creating orders on the list's path by POST, per-gateway
//! answers, the checkout page, the notify control, and what a paid order
//! then allows (CONTRACT.md "Payment initiation").

mod common;

use common::*;
use serde_json::{json, Value};

fn order(gateway: &str, more: Value) -> Value {
    let mut b = json!({"gateway_type": gateway, "total_cost": 0.1, "merchandise_description": "深蓝色秋裤"});
    b.as_object_mut().unwrap().extend(more.as_object().unwrap().clone());
    b
}

async fn create(emu: &Emu, gateway: &str, more: Value) -> Value {
    let r = emu.post_as(USER, LIST, &order(gateway, more)).await;
    assert_eq!(r.status, 201, "{gateway}: {}", r.body);
    r.json()
}

async fn pay(emu: &Emu, key: (&str, &str), outcome: &str) -> Reply {
    emu.control("POST", "/__emulator/pay", Some(&json!({key.0: key.1, "outcome": outcome}))).await
}

#[tokio::test]
async fn every_gateway_creates_a_pending_order_with_its_answer() {
    let emu = Emu::fixtures_only().await;
    let base = format!("http://{}/__checkout/", emu.addr);
    for (gateway, link) in [
        ("weixin_tenpay_native", Some("code_url")),
        ("qpay_native", Some("code_url")),
        ("weixin_tenpay_wap", Some("mweb_url")),
        ("alipay_page", Some("payment_url")),
        ("alipay_wap", Some("payment_url")),
        ("weixin_tenpay", None),
        ("weixin_tenpay_js", None),
        ("alipay", None),
    ] {
        let a = create(&emu, gateway, json!({})).await;
        let txn = a["transaction_no"].as_str().unwrap().to_string();
        assert_eq!(txn.len(), 32);
        assert_eq!(a["trade_no"].as_str().unwrap().len(), 32);
        match link {
            Some(k) => assert_eq!(a[k], format!("{base}{txn}"), "{gateway}"),
            None if gateway.starts_with("weixin") => {
                for k in ["appId", "timeStamp", "nonceStr", "package", "signType", "paySign"] {
                    assert!(a[k].as_str().is_some_and(|s| !s.is_empty()), "{gateway} {k}: {a}");
                }
            }
            None => assert_eq!(a.as_object().unwrap().len(), 2, "{a}"),
        }
        // The user sees it; it is pending, theirs, with the amount in yuan.
        let r = emu.get_as(USER, &order_path(&txn)).await;
        assert_eq!(r.status, 200, "{}", r.body);
        let o = r.json();
        assert_eq!(
            (o["status"].as_str(), o["gateway_type"].as_str(), o["total_cost"].as_str(), o["created_by_id"].as_i64()),
            (Some("pending"), Some(gateway), Some("0.10"), Some(1)),
            "{o}"
        );
        assert_eq!(o["merchandise_description"], "深蓝色秋裤");
        assert!(o["paid_at"].is_null());
    }
    let gw = format!("{LIST}?gateway_type=qpay_native");
    assert_eq!(emu.get(&gw).await.json()["meta"]["total_count"], 1);
}

#[tokio::test]
async fn creating_needs_a_user_token_and_a_good_body() {
    let emu = Emu::fixtures_only().await;
    let no_token =
        emu.req("POST", LIST, &[("X-Hydrogen-Client-ID", CLIENT)], Some(&order("alipay", json!({})).to_string())).await;
    assert_eq!(no_token.status, 401);
    let admin = emu.post(LIST, &order("alipay", json!({}))).await;
    assert_eq!(admin.status, 401, "{}", admin.body);
    for (body, field) in [
        (order("weixin_tenpay_x", json!({})), "gateway_type"),
        (order("alipay", json!({"total_cost": 0})), "total_cost"),
        (order("alipay", json!({"total_cost": 1.005})), "total_cost"),
        (order("alipay", json!({"total_cost": "1.005"})), "total_cost"),
        (order("alipay", json!({"total_cost": "-1"})), "total_cost"),
        (order("alipay", json!({"total_cost": true})), "total_cost"),
        (order("alipay", json!({"merchandise_description": ""})), "merchandise_description"),
        (order("alipay", json!({"merchandise_schema_id": "1"})), "merchandise_schema_id"),
        (order("alipay", json!({"merchandise_record_id": 1})), "merchandise_record_id"),
        (order("alipay", json!({"merchandise_snapshot": [1]})), "merchandise_snapshot"),
        (order("alipay", json!({"profit_sharing": true})), "profit_sharing"),
        (order("weixin_tenpay", json!({"profit_sharing": "yes"})), "profit_sharing"),
        (order("alipay", json!({"undefined": true})), "undefined"),
    ] {
        let r = emu.post_as(USER, LIST, &body).await;
        assert_eq!(r.status, 400, "{body}: {}", r.body);
        assert!(r.error_msg().contains(field), "{field}: {}", r.error_msg());
    }
    // Nothing was created by the refused requests.
    assert_eq!(emu.get(&format!("{LIST}?created_by_id=1&status=pending")).await.json()["meta"]["total_count"], {
        let all = emu.all_orders().await;
        all.iter().filter(|o| o["created_by_id"] == 1 && o["status"] == "pending").count()
    });
    let before = emu.all_orders().await.len();
    // A decimal string and a number both take.
    for cost in [json!("15"), json!("15.50"), json!(15), json!(0.01)] {
        let a = create(&emu, "alipay", json!({"total_cost": cost.clone()})).await;
        let o = emu.order_by_txn(a["transaction_no"].as_str().unwrap()).await;
        let want = match cost.to_string().trim_matches('"') {
            "15" => "15.00",
            "15.50" => "15.50",
            _ => "0.01",
        };
        assert_eq!(o["total_cost"], want, "{cost}");
    }
    assert_eq!(emu.all_orders().await.len(), before + 4);
    // The GET of the list still answers; PUT is a 405.
    assert_eq!(emu.get(LIST).await.status, 200);
    assert_eq!(emu.req("PUT", LIST, &[], None).await.status, 405);
}

#[tokio::test]
async fn a_paid_wechat_order_has_its_trade_type_and_fen() {
    let emu = Emu::fixtures_only().await;
    for (gateway, trade_type) in [
        ("weixin_tenpay", "JSAPI"),
        ("weixin_tenpay_js", "JSAPI"),
        ("weixin_tenpay_native", "NATIVE"),
        ("weixin_tenpay_wap", "MWEB"),
    ] {
        let a = create(&emu, gateway, json!({"total_cost": "12.34"})).await;
        let r = pay(&emu, ("trade_no", a["trade_no"].as_str().unwrap()), "success").await;
        assert_eq!(r.status, 200, "{}", r.body);
        let o = emu.order_by_txn(a["transaction_no"].as_str().unwrap()).await;
        assert_eq!(o["status"], "success");
        assert!(o["paid_at"].as_i64().is_some());
        let w = &o["gateway_extra_info"]["wechat_response"];
        assert_eq!(
            (w["trade_type"].as_str(), w["total_fee"].as_str(), w["cash_fee"].as_str()),
            (Some(trade_type), Some("1234"), Some("1234")),
            "{o}"
        );
        assert_eq!(w["out_trade_no"], a["trade_no"]);
    }
}

#[tokio::test]
async fn the_notify_settles_once() {
    let emu = Emu::fixtures_only().await;
    let a = create(&emu, "alipay_page", json!({})).await;
    let txn = a["transaction_no"].as_str().unwrap();
    let r = pay(&emu, ("transaction_no", txn), "failed").await;
    assert_eq!((r.status, r.json()["status"].as_str()), (200, Some("failed")));
    // A repeated or contrary notify changes nothing.
    let r = pay(&emu, ("transaction_no", txn), "success").await;
    assert_eq!((r.status, r.json()["status"].as_str()), (200, Some("failed")));
    assert!(emu.order_by_txn(txn).await["paid_at"].is_null());
    let failed = emu.get(&format!("{LIST}?status=failed")).await.json();
    assert_eq!(failed["meta"]["total_count"], 1);
    // A failed order cannot be refunded.
    let r = emu.post(REFUND, &json!({"transaction_no": txn})).await;
    assert_eq!(r.status, 400, "{}", r.body);
    // Bad controls.
    assert_eq!(pay(&emu, ("trade_no", "nope"), "success").await.status, 404);
    let b = create(&emu, "alipay_page", json!({})).await;
    assert_eq!(pay(&emu, ("trade_no", b["trade_no"].as_str().unwrap()), "paid").await.status, 400);
    let r = emu.req("POST", "/__emulator/pay", &[], Some(r#"{"trade_no":"x","outcome":"success"}"#)).await;
    assert_eq!(r.status, 401, "the control needs the token");
}

#[tokio::test]
async fn profit_sharing_follows_the_flag_the_order_was_created_with() {
    let emu = Emu::fixtures_only().await;
    let share = |trade_no: &str| {
        json!({"trade_no": trade_no, "appid": "wx3b040d33346e0001",
            "receivers": [{"type": "MERCHANT_ID", "account": "1900000109", "amount": 100, "description": "分账"}]})
    };
    let with = create(&emu, "weixin_tenpay_native", json!({"total_cost": 10, "profit_sharing": true})).await;
    let without = create(&emu, "weixin_tenpay_native", json!({"total_cost": 10})).await;
    for a in [&with, &without] {
        assert_eq!(pay(&emu, ("trade_no", a["trade_no"].as_str().unwrap()), "success").await.status, 200);
    }
    let r = emu.post(WX_SHARE, &share(with["trade_no"].as_str().unwrap())).await;
    assert_eq!(r.status, 200, "{}", r.body);
    let r = emu.post(WX_SHARE, &share(without["trade_no"].as_str().unwrap())).await;
    assert_eq!(r.status, 400, "{}", r.body);
    // Refund of the unshared one works; the QQ order cannot be shared as Alipay.
    let r = emu.post(REFUND, &json!({"trade_no": without["trade_no"]})).await;
    assert_eq!((r.status, r.json()["status"].as_str()), (200, Some("succeed")), "{}", r.body);
    let qq = create(&emu, "qpay_native", json!({})).await;
    pay(&emu, ("trade_no", qq["trade_no"].as_str().unwrap()), "success").await;
    let r = emu
        .post(ALI_SHARE, &json!({"trade_no": qq["trade_no"], "receivers": [{"type": "userId", "account": "2088101126765726", "amount": 1, "description": "d"}]}))
        .await;
    assert_eq!(r.status, 400, "{}", r.body);
}

#[tokio::test]
async fn the_checkout_page_shows_the_order_and_pays_fails_or_cancels() {
    let emu = Emu::fixtures_only().await;
    let a =
        create(&emu, "weixin_tenpay_native", json!({"total_cost": "8.80", "merchandise_description": "<b>咖啡</b>"}))
            .await;
    let txn = a["transaction_no"].as_str().unwrap();
    let path = format!("/__checkout/{txn}");
    let page = emu.req("GET", &path, &[], None).await;
    assert_eq!(page.status, 200);
    assert_eq!(page.header("content-type"), Some("text/html; charset=utf-8"));
    assert!(
        page.body.contains("¥8.80") && page.body.contains("&lt;b&gt;咖啡&lt;/b&gt;") && !page.body.contains("<b>咖啡"),
        "{}",
        page.body
    );
    assert!(page.body.contains(r#"id="status">pending<"#), "{}", page.body);
    let form = [("Content-Type", "application/x-www-form-urlencoded")];
    let cancelled = emu.req("POST", &path, &form, Some("outcome=cancel")).await;
    assert!(cancelled.body.contains(r#"id="status">pending<"#));
    assert_eq!(emu.order_by_txn(txn).await["status"], "pending");
    let paid = emu.req("POST", &path, &form, Some("outcome=success")).await;
    assert!(paid.body.contains(r#"id="status">success<"#) && !paid.body.contains("id=\"pay\""), "{}", paid.body);
    assert_eq!(emu.order_by_txn(txn).await["status"], "success");
    let b = create(&emu, "alipay_wap", json!({})).await;
    let r = emu
        .req("POST", &format!("/__checkout/{}", b["transaction_no"].as_str().unwrap()), &form, Some("outcome=failed"))
        .await;
    assert!(r.body.contains(r#"id="status">failed<"#));
    assert_eq!(emu.req("GET", "/__checkout/nope", &[], None).await.status, 404);
    // The page is not an API call: it is not recorded.
    assert!(emu.recorded().await.iter().all(|r| !r["path"].as_str().unwrap_or("").starts_with("/__checkout")));
}
