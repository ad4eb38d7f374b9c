//! Client id and token checks, user visibility, CORS, routing errors.

mod common;

use common::*;
use serde_json::json;

#[tokio::test]
async fn client_id_and_token_are_required() {
    let emu = Emu::fixtures_only().await;
    let auth = format!("Hydrogen-r1 {ADMIN}");
    let cases: Vec<Vec<(&str, &str)>> = vec![
        vec![("Authorization", &auth)],
        vec![("X-Hydrogen-Client-ID", "other-client"), ("Authorization", &auth)],
        vec![("X-Hydrogen-Client-ID", CLIENT)],
        vec![("X-Hydrogen-Client-ID", CLIENT), ("Authorization", "Hydrogen-r1 secret-wrong-token")],
        vec![("X-Hydrogen-Client-ID", CLIENT), ("Authorization", "Bearer demo-admin-token")],
    ];
    for h in cases {
        for (method, path, body) in [
            ("GET", LIST.to_string(), None),
            ("GET", order_path("v4WoZ7aNyZPaZbNlFffOZLvagUKqDcOw"), None),
            ("POST", REFUND.to_string(), Some(r#"{"order_id":29973}"#)),
        ] {
            let r = emu.req(method, &path, &h, body).await;
            assert_eq!(r.status, 401, "{h:?} {path}");
            let msg = r.error_msg();
            assert!(!msg.is_empty());
            assert!(!r.body.contains("secret-wrong-token") && !r.body.contains(ADMIN), "token echoed: {}", r.body);
        }
    }
    // Nothing was refunded by the refused requests.
    assert_eq!(emu.order_by_id(29973).await["refund_amount"], "0.00");
    // Valid headers work (header names are case-insensitive).
    let r = emu.req("GET", LIST, &[("x-hydrogen-client-id", CLIENT), ("authorization", &auth)], None).await;
    assert_eq!(r.status, 200);
}

#[tokio::test]
async fn user_token_sees_only_own_orders_and_cannot_move_money() {
    let cfg =
        baas_emulator::Config { user_tokens: vec![(1, "tok-one".into()), (2, "tok-two".into())], ..config(200, 42) };
    let emu = Emu::start(cfg).await;
    let all = emu.all_orders().await;
    for (uid, tok) in [(1, "tok-one"), (2, "tok-two")] {
        let own = all.iter().filter(|o| o["created_by_id"] == uid).count();
        assert!(own > 0 && own < all.len());
        let v = emu.get_as(tok, &format!("{LIST}?limit=1000")).await.json();
        assert_eq!(v["meta"]["total_count"], own);
        assert!(v["objects"].as_array().unwrap().iter().all(|o| o["created_by_id"] == uid));
        // Filters cannot widen the view.
        let v = emu.get_as(tok, &format!("{LIST}?created_by_id=3")).await.json();
        assert_eq!(v["meta"]["total_count"], 0);
    }
    // get(): own order visible, someone else's is 404.
    let other = all.iter().find(|o| o["created_by_id"] == 2).unwrap();
    let txn = other["transaction_no"].as_str().unwrap();
    let r = emu.get_as("tok-one", &order_path(txn)).await;
    assert_eq!(r.status, 404);
    assert_eq!(r.json(), json!({"error_msg": "order not found"}));
    let r = emu.get_as("tok-two", &order_path(txn)).await;
    assert_eq!(r.status, 200);
    assert_eq!(r.json()["id"], other["id"]);
    // Money-moving calls need the admin token.
    for (path, body) in [
        (REFUND, json!({"order_id": 29973})),
        (
            WX_SHARE,
            json!({"trade_no": "wxshare0000000000000000000000001", "appid": "wx3b040d33346e0001", "receivers": [{"type": "MERCHANT_ID", "account": "1900000109", "amount": 10, "description": "d"}]}),
        ),
        (
            WX_MULTI,
            json!({"trade_no": "wxshare0000000000000000000000001", "appid": "wx3b040d33346e0001", "receivers": [{"type": "MERCHANT_ID", "account": "1900000109", "amount": 10, "description": "d"}]}),
        ),
        (
            ALI_SHARE,
            json!({"trade_no": "alishare000000000000000000000001", "receivers": [{"type": "userId", "account": "2088101126765726", "amount": 10, "description": "d"}]}),
        ),
    ] {
        let r = emu.post_as("tok-one", path, &body).await;
        assert_eq!(r.status, 403, "{path}: {}", r.body);
        assert!(!r.error_msg().is_empty());
    }
    assert_eq!(emu.order_by_id(29973).await["refund_amount"], "0.00");
    // The sharing above did not happen: a full 30% share still fits.
    let r = emu
        .post(WX_SHARE, &json!({"trade_no": "wxshare0000000000000000000000001", "appid": "wx3b040d33346e0001", "receivers": [{"type": "MERCHANT_ID", "account": "1900000109", "amount": 3000, "description": "d"}]}))
        .await;
    assert_eq!(r.status, 200, "{}", r.body);
}

#[tokio::test]
async fn get_by_transaction_no() {
    let emu = Emu::fixtures_only().await;
    let v = emu.order_by_txn("v4WoZ7aNyZPaZbNlFffOZLvagUKqDcOw").await;
    assert_eq!(v["transaction_no"], "v4WoZ7aNyZPaZbNlFffOZLvagUKqDcOw");
    assert_eq!(v["gateway_type"], "alipay");
    let r = emu.get(&order_path("doesnotexist000000000000000000000")).await;
    assert_eq!(r.status, 404);
    assert_eq!(r.json(), json!({"error_msg": "order not found"}));
    // A trade_no is not a transaction_no.
    let r = emu.get(&order_path("1gCeU9ZKQQAA8iQgUM0lWhEbnqr89Qtxxx")).await;
    assert_eq!(r.status, 404);
}

#[tokio::test]
async fn routing_errors() {
    let emu = Emu::fixtures_only().await;
    let r = emu.get("/hserve/v2.0/nothing/").await;
    assert_eq!(r.status, 404);
    assert!(!r.error_msg().is_empty());
    // A POST of the list's path creates a payment order (tests/payment.rs): not with the admin token.
    let r = emu.post(LIST, &json!({})).await;
    assert_eq!(r.status, 401);
    let r = emu.req("PUT", LIST, &[], None).await;
    assert_eq!(r.status, 405);
    let r = emu.get(REFUND).await;
    assert_eq!(r.status, 405);
    // Bad JSON bodies.
    let auth = format!("Hydrogen-r1 {ADMIN}");
    let h = [("X-Hydrogen-Client-ID", CLIENT), ("Authorization", auth.as_str())];
    for path in [REFUND, WX_SHARE, WX_MULTI, ALI_SHARE] {
        for body in ["{not json", "[1,2]", ""] {
            let r = emu.req("POST", path, &h, Some(body)).await;
            assert_eq!(r.status, 400, "{path} {body:?}");
            assert!(!r.error_msg().is_empty());
        }
    }
}

#[tokio::test]
async fn cors_preflight_and_headers() {
    let emu = Emu::fixtures_only().await;
    for path in [LIST, REFUND, "/anything/at/all"] {
        let r = emu
            .req(
                "OPTIONS",
                path,
                &[
                    ("Origin", "http://localhost:3000"),
                    ("Access-Control-Request-Method", "POST"),
                    ("Access-Control-Request-Headers", "authorization, content-type, x-hydrogen-client-id"),
                ],
                None,
            )
            .await;
        assert_eq!(r.status, 204, "{path}");
        assert_eq!(r.header("access-control-allow-origin"), Some("*"));
        let methods = r.header("access-control-allow-methods").unwrap();
        assert_eq!(methods, "GET, POST, OPTIONS");
        let allowed = r.header("access-control-allow-headers").unwrap();
        for h in [
            "Authorization",
            "Content-Type",
            "X-Hydrogen-Client-ID",
            "X-Hydrogen-Client-Version",
            "X-Hydrogen-Client-Platform",
            "X-Hydrogen-Env-ID",
        ] {
            assert!(allowed.split(", ").any(|x| x == h), "{h} missing in {allowed}");
        }
        assert!(r.header("access-control-max-age").unwrap().parse::<u32>().unwrap() > 0);
        assert!(r.body.is_empty());
    }
    // Any other X-Hydrogen-* header asked for is allowed (minapp-sdk sends
    // X-Hydrogen-Client-SDK-Type); other unknown headers are not.
    let r = emu
        .req(
            "OPTIONS",
            LIST,
            &[
                ("Origin", "http://localhost:3000"),
                ("Access-Control-Request-Method", "GET"),
                ("Access-Control-Request-Headers", "x-hydrogen-client-sdk-type, x-custom-thing"),
            ],
            None,
        )
        .await;
    let allowed = r.header("access-control-allow-headers").unwrap().to_ascii_lowercase();
    assert!(allowed.contains("x-hydrogen-client-sdk-type"), "{allowed}");
    assert!(!allowed.contains("x-custom-thing"), "{allowed}");
    // Preflights are not recorded.
    assert!(emu.recorded().await.is_empty());
    // API replies of every kind carry the CORS headers (the control plane's
    // do not: tests/hostile.rs).
    let ok = emu.get(LIST).await;
    let unauth = emu.req("GET", LIST, &[], None).await;
    let missing = emu.get("/nope").await;
    let bad = emu.get(&format!("{LIST}?limit=x")).await;
    for (r, status) in [(ok, 200), (unauth, 401), (missing, 404), (bad, 400)] {
        assert_eq!(r.status, status);
        assert_eq!(r.header("access-control-allow-origin"), Some("*"), "{status}");
        assert!(r.header("access-control-expose-headers").is_some());
        assert_eq!(r.header("content-type"), Some("application/json"));
    }
}
