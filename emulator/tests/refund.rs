//! Refund arithmetic, identifiers and concurrency.

mod common;

use std::collections::HashSet;
use std::sync::Arc;

use common::*;
use serde_json::{json, Value};
use tokio::sync::Barrier;

async fn refund(emu: &Emu, body: Value) -> (u16, Value) {
    let r = emu.post(REFUND, &body).await;
    (r.status, r.json())
}

#[tokio::test]
async fn partial_then_complete_then_refused() {
    let emu = Emu::fixtures_only().await;
    let before = emu.order_by_id(29973).await;
    assert_eq!((before["total_cost"].as_str(), before["refund_status"].clone()), (Some("398.00"), Value::Null));

    let (s, v) = refund(&emu, json!({"order_id": 29973, "refund_amount": 100.5, "memo": "测试退款"})).await;
    assert_eq!(s, 200, "{v}");
    assert_eq!(v["status"], "succeed");
    assert_eq!(v["order_id"], 29973);
    assert_eq!(v["refund_amount"], "100.50");
    assert_eq!(v["memo"], "测试退款");
    assert_eq!(v["error_msg"], Value::Null);
    assert!(v["id"].as_i64().unwrap() > 0);
    assert!(!v["refund_no"].as_str().unwrap().is_empty());
    let mid = emu.order_by_id(29973).await;
    assert_eq!(mid["refund_amount"], "100.50");
    assert_eq!(mid["refund_status"], "partial");
    assert_ne!(mid["updated_at"], before["updated_at"]);

    // More than what remains (297.50) is refused and changes nothing.
    let (s, v) = refund(&emu, json!({"order_id": 29973, "refund_amount": 297.51})).await;
    assert_eq!(s, 400);
    assert!(!v["error_msg"].as_str().unwrap().is_empty());
    assert_eq!(emu.order_by_id(29973).await["refund_amount"], "100.50");

    // Exactly what remains completes it.
    let (s, v) = refund(&emu, json!({"order_id": 29973, "refund_amount": "297.50"})).await;
    assert_eq!(s, 200, "{v}");
    let after = emu.order_by_id(29973).await;
    assert_eq!(after["refund_amount"], "398.00");
    assert_eq!(after["refund_status"], "complete");
    // Nothing left: refused.
    let (s, _) = refund(&emu, json!({"order_id": 29973})).await;
    assert_eq!(s, 400);
    let (s, _) = refund(&emu, json!({"order_id": 29973, "refund_amount": 0.01})).await;
    assert_eq!(s, 400);
}

#[tokio::test]
async fn default_amount_is_the_remainder() {
    let emu = Emu::fixtures_only().await;
    let (s, v) = refund(&emu, json!({"trade_no": "1gAtaEFcmu6DyHm5b0ycBSmNO302NGzA", "refund_amount": 20})).await;
    assert_eq!((s, v["refund_amount"].as_str()), (200, Some("20.00")));
    let (s, v) = refund(&emu, json!({"trade_no": "1gAtaEFcmu6DyHm5b0ycBSmNO302NGzA", "memo": "rest"})).await;
    assert_eq!(s, 200, "{v}");
    assert_eq!(v["refund_amount"], "100.00");
    let o = emu.order_by_id(47963).await;
    assert_eq!((o["refund_amount"].as_str(), o["refund_status"].as_str()), (Some("120.00"), Some("complete")));
}

#[tokio::test]
async fn refund_by_each_identifier_as_in_the_seed() {
    let emu = Emu::fixtures_only().await;
    let mut replies = Vec::new();
    // The three examples of the seed document, verbatim.
    for (body, order_id, amount) in [
        (json!({"order_id": 29973, "memo": "测试退款"}), 29973, "398.00"),
        (json!({"trade_no": "1gAtaEFcmu6DyHm5b0ycBSmNO302NGzA", "memo": "测试退款"}), 47963, "120.00"),
        (json!({"transaction_no": "1gAtaEFcmu6DyHm5b0ycBSmNO302NGzA", "memo": "测试退款"}), 47964, "88.00"),
        // All identifiers of one order together.
        (
            json!({"order_id": 47965, "trade_no": "1gCeU9ZKQQAA8iQgUM0lWhEbnqr89Qtxxx",
                   "transaction_no": "Q9mT2vXc8LbN4pRs6KdW3hYj7FgZe5Ua", "refund_amount": 1}),
            47965,
            "1.00",
        ),
    ] {
        let (s, v) = refund(&emu, body.clone()).await;
        assert_eq!(s, 200, "{body}: {v}");
        assert_eq!(v["status"], "succeed");
        assert_eq!(v["order_id"], order_id, "{body}");
        assert_eq!(v["refund_amount"], amount, "{body}");
        replies.push(v);
    }
    assert_eq!(replies[0]["memo"], "测试退款");
    // Refund ids and numbers are unique.
    let ids: HashSet<i64> = replies.iter().map(|v| v["id"].as_i64().unwrap()).collect();
    let nos: HashSet<&str> = replies.iter().map(|v| v["refund_no"].as_str().unwrap()).collect();
    assert_eq!((ids.len(), nos.len()), (4, 4));
    // The order with the same string as transaction_no was not touched by the trade_no refund.
    assert_eq!(emu.order_by_id(47964).await["refund_amount"], "88.00");
    assert_eq!(emu.order_by_id(47963).await["refund_amount"], "120.00");
}

#[tokio::test]
async fn identifier_errors() {
    let emu = Emu::fixtures_only().await;
    let cases = [
        (json!({}), 400),
        (json!({"memo": "x"}), 400),
        (json!({"order_id": -1}), 400),
        (json!({"order_id": "abc"}), 400),
        (json!({"trade_no": ""}), 400),
        (json!({"order_id": 1}), 404),
        (json!({"trade_no": "nope"}), 404),
        (json!({"transaction_no": "nope"}), 404),
        (json!({"trade_no": "nope", "transaction_no": "nope"}), 404),
        // Identifiers of two different orders.
        (json!({"order_id": 29973, "trade_no": "1gAtaEFcmu6DyHm5b0ycBSmNO302NGzA"}), 400),
        (
            json!({"trade_no": "1gAtaEFcmu6DyHm5b0ycBSmNO302NGzA", "transaction_no": "1gAtaEFcmu6DyHm5b0ycBSmNO302NGzA"}),
            400,
        ),
        // One matches, one does not.
        (json!({"order_id": 29973, "trade_no": "nope"}), 400),
        // Pending order.
        (json!({"trade_no": "pending000000000000000000000001"}), 400),
    ];
    for (body, status) in cases {
        let (s, v) = refund(&emu, body.clone()).await;
        assert_eq!(s, status, "{body}: {v}");
        assert!(!v["error_msg"].as_str().unwrap_or("").is_empty(), "{body}");
    }
    // Nothing moved.
    for o in emu.all_orders().await {
        assert_eq!(o["refund_amount"], "0.00");
    }
}

#[tokio::test]
async fn amount_validation_is_exact_to_the_fen() {
    let emu = Emu::fixtures_only().await;
    for bad in [json!(0), json!(-1), json!(1.005), json!(0.1 + 0.2), json!("abc"), json!(true), json!(398.01)] {
        let (s, v) = refund(&emu, json!({"order_id": 29973, "refund_amount": bad})).await;
        assert_eq!(s, 400, "{bad}: {v}");
    }
    // 0.29 and 0.07 are classic float traps (0.29 * 100 = 28.999...).
    let (s, v) = refund(&emu, json!({"order_id": 29973, "refund_amount": 0.29})).await;
    assert_eq!((s, v["refund_amount"].as_str()), (200, Some("0.29")));
    let (s, v) = refund(&emu, json!({"order_id": 29973, "refund_amount": 0.07})).await;
    assert_eq!((s, v["refund_amount"].as_str()), (200, Some("0.07")));
    let (s, v) = refund(&emu, json!({"order_id": 29973, "refund_amount": 1.1})).await;
    assert_eq!((s, v["refund_amount"].as_str()), (200, Some("1.10")));
    assert_eq!(emu.order_by_id(29973).await["refund_amount"], "1.46");
    // The remainder is exactly 396.54.
    let (s, v) = refund(&emu, json!({"order_id": 29973})).await;
    assert_eq!((s, v["refund_amount"].as_str()), (200, Some("396.54")));
}

#[tokio::test]
async fn profit_shared_order_answers_failed_and_changes_nothing() {
    let emu = Emu::fixtures_only().await;
    let share = json!({"trade_no": "wxshare0000000000000000000000001", "appid": "wx3b040d33346e0001",
        "receivers": [{"type": "MERCHANT_ID", "account": "1900000109", "amount": 100, "description": "分给商户"}]});
    assert_eq!(emu.post(WX_MULTI, &share).await.status, 200);
    let before = emu.order_by_txn("wxsharetxn000000000000000000001A").await;
    let (s, v) = refund(&emu, json!({"trade_no": "wxshare0000000000000000000000001", "refund_amount": 10})).await;
    assert_eq!(s, 200);
    assert_eq!(v["status"], "failed");
    assert!(!v["error_msg"].as_str().unwrap().is_empty());
    assert_eq!(v["order_id"], 50001);
    assert_eq!(v["refund_amount"], "10.00");
    assert_eq!(emu.order_by_txn("wxsharetxn000000000000000000001A").await, before);
    // Alipay has no return call: its refund takes the shared money back
    // (docs/assumptions-profit-sharing.md, tests/money_rules.rs).
    let ali = json!({"trade_no": "alishare000000000000000000000001",
        "receivers": [{"type": "userId", "account": "2088101126765726", "amount": 100, "description": "d"}]});
    assert_eq!(emu.post(ALI_SHARE, &ali).await.status, 200);
    let (s, v) = refund(&emu, json!({"trade_no": "alishare000000000000000000000001"})).await;
    assert_eq!((s, v["status"].as_str(), v["refund_amount"].as_str()), (200, Some("succeed"), Some("100.00")));
    // An unshared profit_sharing order refunds normally.
    let (s, v) = refund(&emu, json!({"trade_no": "wxshare0000000000000000000000002"})).await;
    assert_eq!((s, v["status"].as_str()), (200, Some("succeed")));
}

// A multi-threaded runtime, so the server's handlers really run in parallel;
// every request waits at a barrier so they all start together.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn fifty_concurrent_full_refunds_refund_once() {
    let emu = Arc::new(Emu::fixtures_only().await);
    let start = Arc::new(Barrier::new(50));
    let mut tasks = Vec::new();
    for _ in 0..50 {
        let (emu, start) = (emu.clone(), start.clone());
        tasks.push(tokio::spawn(async move {
            start.wait().await;
            let r = emu.post(REFUND, &json!({"order_id": 29973})).await;
            (r.status, r.json())
        }));
    }
    let mut succeeded = 0;
    let mut refund_nos = HashSet::new();
    for t in tasks {
        let (s, v) = t.await.unwrap();
        match s {
            200 => {
                assert_eq!(v["status"], "succeed");
                assert_eq!(v["refund_amount"], "398.00");
                refund_nos.insert(v["refund_no"].as_str().unwrap().to_string());
                succeeded += 1;
            }
            400 => assert!(!v["error_msg"].as_str().unwrap().is_empty()),
            other => panic!("unexpected {other}: {v}"),
        }
    }
    let o = emu.order_by_id(29973).await;
    assert_eq!(succeeded, 1, "{succeeded} of 50 full refunds succeeded; order now {o}");
    assert_eq!(refund_nos.len(), 1);
    assert_eq!((o["refund_amount"].as_str(), o["refund_status"].as_str()), (Some("398.00"), Some("complete")));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn sixty_concurrent_partial_refunds_never_exceed_the_total() {
    let emu = Arc::new(Emu::fixtures_only().await);
    // 60 x 2.50 on 120.00: exactly 48 fit.
    let start = Arc::new(Barrier::new(60));
    let mut tasks = Vec::new();
    for _ in 0..60 {
        let (emu, start) = (emu.clone(), start.clone());
        tasks.push(tokio::spawn(async move {
            start.wait().await;
            emu.post(REFUND, &json!({"order_id": 47963, "refund_amount": 2.5})).await.status
        }));
    }
    let mut ok = 0;
    for t in tasks {
        if t.await.unwrap() == 200 {
            ok += 1;
        }
    }
    let refunded = emu.order_by_id(47963).await["refund_amount"].clone();
    assert_eq!(ok, 48, "{ok} of 60 partial refunds of 2.50 succeeded; refund_amount now {refunded}");
    assert_eq!(refunded, "120.00");
}
