//! The /__emulator/ test controls: request record, reset, injected faults.

mod common;

use std::time::Duration;

use common::*;
use serde_json::{json, Value};

#[tokio::test]
async fn health() {
    let emu = Emu::fixtures_only().await;
    let r = emu.control("GET", "/__emulator/health", None).await;
    assert_eq!((r.status, r.json()), (200, json!({"ok": true})));
    assert_eq!(emu.control("GET", "/__emulator/nope", None).await.status, 404);
}

#[tokio::test]
async fn requests_are_recorded_in_order_with_full_content() {
    let emu = Emu::fixtures_only().await;
    emu.req(
        "GET",
        &format!("{LIST}?limit=20&offset=0&where=%7B%7D&gateway_type=weixin_tenpay"),
        &[
            ("X-Hydrogen-Client-ID", CLIENT),
            ("X-Hydrogen-Client-Version", "v1.2.3"),
            ("X-Hydrogen-Client-Platform", "WEB"),
            ("Authorization", "Hydrogen-r1 demo-admin-token"),
        ],
        None,
    )
    .await;
    let body = r#"{"order_id":29973,"memo":"测试退款"}"#;
    emu.req(
        "POST",
        REFUND,
        &[
            ("X-Hydrogen-Client-ID", CLIENT),
            ("Content-Type", "application/json"),
            ("Authorization", "Hydrogen-r1 demo-admin-token"),
        ],
        Some(body),
    )
    .await;
    // Unauthenticated and unknown-path requests are recorded too; OPTIONS and controls are not.
    emu.req("GET", "/nowhere?x=1", &[], None).await;
    emu.req("OPTIONS", LIST, &[], None).await;
    emu.control("GET", "/__emulator/health", None).await;

    let rec = emu.recorded().await;
    assert_eq!(rec.len(), 3, "{rec:?}");
    assert_eq!(rec[0]["method"], "GET");
    assert_eq!(rec[0]["path"], LIST);
    assert_eq!(rec[0]["query"], "limit=20&offset=0&where=%7B%7D&gateway_type=weixin_tenpay");
    assert_eq!(rec[0]["body"], "");
    let h = &rec[0]["headers"];
    assert_eq!(h["x-hydrogen-client-id"], CLIENT);
    assert_eq!(h["x-hydrogen-client-version"], "v1.2.3");
    assert_eq!(h["x-hydrogen-client-platform"], "WEB");
    assert_eq!(h["authorization"], "Hydrogen-r1 <redacted>", "the credential is not recorded");
    assert!(h.get("X-Hydrogen-Client-ID").is_none(), "names are lowercased");
    assert_eq!(rec[1]["method"], "POST");
    assert_eq!(rec[1]["path"], REFUND);
    assert_eq!(rec[1]["query"], "");
    assert_eq!(rec[1]["body"], body);
    assert_eq!(
        (rec[1]["body_bytes"].as_u64(), rec[1]["body_truncated"].as_bool()),
        (Some(body.len() as u64), Some(false))
    );
    assert_eq!(rec[1]["headers"]["content-type"], "application/json");
    assert_eq!((rec[2]["path"].as_str(), rec[2]["query"].as_str()), (Some("/nowhere"), Some("x=1")));

    // DELETE clears the record only (the refund stays done).
    let r = emu.control("DELETE", "/__emulator/requests", None).await;
    assert_eq!(r.status, 200);
    assert!(emu.recorded().await.is_empty());
    assert_eq!(emu.order_by_id(29973).await["refund_status"], "complete");
}

#[tokio::test]
async fn reset_restores_data_and_clears_record_and_faults() {
    let emu = Emu::start(config(30, 4)).await;
    let initial = emu.all_orders().await;
    assert_eq!(emu.post(REFUND, &json!({"order_id": 29973, "refund_amount": 1})).await.status, 200);
    let share = json!({"trade_no": "wxshare0000000000000000000000001", "appid": "wx3b040d33346e0001",
        "receivers": [{"type": "MERCHANT_ID", "account": "1900000109", "amount": 3000, "description": "d"}]});
    assert_eq!(emu.post(WX_SHARE, &share).await.status, 200);
    assert_ne!(emu.all_orders().await, initial);
    emu.control("POST", "/__emulator/faults", Some(&json!({"kind": "status", "status": 500, "count": 5}))).await;

    let r = emu.control("POST", "/__emulator/reset", None).await;
    assert_eq!(r.status, 200);
    assert!(emu.recorded().await.is_empty());
    // Faults are gone: this request is answered normally.
    let after = emu.all_orders().await;
    assert_eq!(after, initial);
    // Sharing state is reset too: the order can be shared again.
    assert_eq!(emu.post(WX_SHARE, &share).await.status, 200);
}

async fn add_fault(emu: &Emu, f: Value) {
    let r = emu.control("POST", "/__emulator/faults", Some(&f)).await;
    assert_eq!(r.status, 200, "{}", r.body);
}

#[tokio::test]
async fn status_fault_for_next_n_requests_without_performing_them() {
    let emu = Emu::fixtures_only().await;
    add_fault(&emu, json!({"kind": "status", "status": 503, "count": 2})).await;
    for _ in 0..2 {
        let r = emu.post(REFUND, &json!({"order_id": 29973})).await;
        assert_eq!(r.status, 503);
        assert_eq!(r.json(), json!({"error_msg": "injected fault"}));
        assert_eq!(r.header("access-control-allow-origin"), Some("*"));
    }
    // Not performed, but recorded.
    assert_eq!(emu.recorded().await.len(), 2);
    assert_eq!(emu.order_by_id(29973).await["refund_amount"], "0.00");
    // Third request is normal; default status is 500.
    assert_eq!(emu.get(LIST).await.status, 200);
    add_fault(&emu, json!({"kind": "status"})).await;
    assert_eq!(emu.get(LIST).await.status, 500);
    assert_eq!(emu.get(LIST).await.status, 200);
}

#[tokio::test]
async fn faults_respect_path_prefix_and_queue_in_order() {
    let emu = Emu::fixtures_only().await;
    add_fault(&emu, json!({"kind": "status", "status": 502, "path_prefix": REFUND})).await;
    add_fault(&emu, json!({"kind": "status", "status": 429})).await;
    add_fault(&emu, json!({"kind": "malformed"})).await;
    let listed = emu.control("GET", "/__emulator/faults", None).await.json();
    assert_eq!(listed["faults"].as_array().unwrap().len(), 3);
    // A list request skips the refund-only fault and takes the 429.
    assert_eq!(emu.get(LIST).await.status, 429);
    // The refund takes the refund-only fault.
    assert_eq!(emu.post(REFUND, &json!({"order_id": 29973})).await.status, 502);
    // Then the malformed one.
    let r = emu.get(LIST).await;
    assert_eq!(r.status, 200);
    assert!(serde_json::from_str::<Value>(&r.body).is_err());
    assert_eq!(emu.get(LIST).await.status, 200);
    // Control requests are never faulted.
    add_fault(&emu, json!({"kind": "drop"})).await;
    assert_eq!(emu.control("GET", "/__emulator/health", None).await.status, 200);
    assert_eq!(emu.control("DELETE", "/__emulator/faults", None).await.status, 200);
    assert_eq!(emu.get(LIST).await.status, 200);
}

#[tokio::test]
async fn malformed_fault_is_200_json_content_type_with_invalid_body() {
    let emu = Emu::fixtures_only().await;
    add_fault(&emu, json!({"kind": "malformed", "count": 1})).await;
    let r = emu.post(REFUND, &json!({"order_id": 29973})).await;
    assert_eq!(r.status, 200);
    assert_eq!(r.header("content-type"), Some("application/json"));
    assert_eq!(r.header("access-control-allow-origin"), Some("*"));
    assert!(!r.body.is_empty());
    assert!(serde_json::from_str::<Value>(&r.body).is_err(), "{}", r.body);
    assert_eq!(emu.order_by_id(29973).await["refund_amount"], "0.00", "not performed");
}

/// On tokio's paused clock, not the wall clock: the runtime moves the clock
/// only when every task waits, and then straight to the next timer. With the
/// connection timeouts off, the delay is the only timer, so the delayed reply
/// cannot come before the clock has moved by the delay, and a request without
/// a fault leaves the clock where it was.
#[tokio::test(start_paused = true)]
async fn delay_fault_waits_then_performs() {
    let cfg = baas_emulator::Config { header_read_timeout: None, body_read_timeout: None, ..config(0, 42) };
    let emu = Emu::start(cfg).await;
    add_fault(&emu, json!({"kind": "delay", "delay_ms": 400})).await;
    let t = tokio::time::Instant::now();
    let r = emu.post(REFUND, &json!({"order_id": 29973, "refund_amount": 1})).await;
    let took = t.elapsed();
    assert_eq!(r.status, 200);
    assert_eq!(r.json()["status"], "succeed");
    assert!(took >= Duration::from_millis(400), "{took:?}");
    assert_eq!(emu.order_by_id(29973).await["refund_amount"], "1.00");
    let t = tokio::time::Instant::now();
    assert_eq!(emu.get(LIST).await.status, 200);
    assert_eq!(t.elapsed(), Duration::ZERO, "no fault, no wait");
}

#[tokio::test]
async fn drop_fault_closes_without_a_byte() {
    let emu = Emu::fixtures_only().await;
    add_fault(&emu, json!({"kind": "drop", "count": 2})).await;
    let e = emu
        .raw(
            "POST",
            REFUND,
            &[("X-Hydrogen-Client-ID", CLIENT), ("Authorization", "Hydrogen-r1 demo-admin-token")],
            Some(r#"{"order_id":29973}"#),
        )
        .await;
    assert!(e.is_err(), "got a reply: {e:?}");
    let e = emu.raw("GET", LIST, &[], None).await;
    assert!(e.is_err());
    // Recorded, not performed; the server still works.
    let rec = emu.recorded().await;
    assert_eq!(rec.len(), 2);
    assert_eq!(rec[0]["body"], r#"{"order_id":29973}"#);
    assert_eq!(emu.order_by_id(29973).await["refund_amount"], "0.00");
}

#[tokio::test]
async fn bad_fault_definitions_are_400() {
    let emu = Emu::fixtures_only().await;
    for f in [
        json!({}),
        json!({"kind": "explode"}),
        json!({"kind": "status", "status": 99}),
        json!({"kind": "status", "count": 0}),
        json!({"kind": "delay", "delay_ms": -1}),
        json!({"kind": "drop", "path_prefix": 5}),
    ] {
        let r = emu.control("POST", "/__emulator/faults", Some(&f)).await;
        assert_eq!(r.status, 400, "{f}");
        assert!(!r.error_msg().is_empty());
    }
    let r = emu.req("POST", "/__emulator/faults", &[("X-Emulator-Token", &emu.control_token)], Some("{bad")).await;
    assert_eq!(r.status, 400);
    assert_eq!(emu.get(LIST).await.status, 200, "no fault was queued");
}
