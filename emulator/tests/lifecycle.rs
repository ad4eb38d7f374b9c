//! The profit-sharing lifecycle: receivers, sharing orders, finish, returns
//! (capped, idempotent by refund_no, also under concurrency) and the refund
//! that fails until the shared money is returned.

mod common;

use std::collections::HashSet;
use std::sync::Arc;

use baas_order::endpoints::Call;
use common::*;
use serde_json::{json, Value};
use tokio::sync::Barrier;

fn share_body(trade_no: &str, account: &str, amount: i64) -> Value {
    json!({"trade_no": trade_no, "appid": APPID,
        "receivers": [{"type": "MERCHANT_ID", "account": account, "amount": amount, "description": "分账"}]})
}

fn return_body(sharing_no: &str, refund_no: &str, amount: i64) -> Value {
    json!({"trade_no": sharing_no, "appid": APPID, "refund_no": refund_no, "type": "MERCHANT_ID",
        "account": MERCHANT, "amount": amount, "description": "回退"})
}

async fn sharing_orders(emu: &Emu, query: &str) -> Value {
    let r = emu.get(&format!("{}?{query}", path(Call::WechatSharingOrders))).await;
    assert_eq!(r.status, 200, "{}", r.body);
    r.json()
}

#[tokio::test]
async fn receivers_are_per_appid_and_sharing_needs_one() {
    let emu = Emu::fixtures_only().await;
    // Never added: refused, nothing moves.
    let r = emu.post(WX_MULTI, &share_body(WX1, "1900000999", 10)).await;
    assert_eq!(r.status, 400);
    assert!(r.error_msg().contains("not registered"), "{}", r.body);
    let add = json!({"mch_id": "1501889000", "appid": APPID, "type": "MERCHANT_ID", "account": "1900000999",
        "relation_type": "PARTNER", "name": "新商户"});
    let r = emu.post(path(Call::WechatAddReceiver), &add).await;
    assert_eq!(r.status, 200, "{}", r.body);
    let v = r.json();
    assert_eq!(
        (v["return_code"].as_str(), v["appid"].as_str(), v["mch_id"].as_str()),
        (Some("SUCCESS"), Some(APPID), Some("1501889000"))
    );
    let receiver: Value = serde_json::from_str(v["receiver"].as_str().unwrap()).unwrap();
    assert_eq!(receiver, json!({"type": "MERCHANT_ID", "account": "1900000999", "relation_type": "PARTNER"}));
    assert_eq!(emu.post(WX_MULTI, &share_body(WX1, "1900000999", 10)).await.status, 200);
    // Another appid does not have it.
    let mut other = share_body(WX1, "1900000999", 10);
    other["appid"] = json!("wx3b040d33346exxxx");
    assert_eq!(emu.post(WX_MULTI, &other).await.status, 400);
    // name is required for a MERCHANT_ID, custom_relation for CUSTOM.
    let mut no_name = add.clone();
    no_name.as_object_mut().unwrap().remove("name");
    assert_eq!(emu.post(path(Call::WechatAddReceiver), &no_name).await.status, 400);
    let mut custom = add.clone();
    custom["relation_type"] = json!("CUSTOM");
    assert_eq!(emu.post(path(Call::WechatAddReceiver), &custom).await.status, 400);
    // Removed: refused again.
    let rm = json!({"mch_id": "1501889000", "appid": APPID, "type": "MERCHANT_ID", "account": "1900000999"});
    let r = emu.post(path(Call::WechatRemoveReceiver), &rm).await;
    assert_eq!(r.status, 200, "{}", r.body);
    assert_eq!(emu.post(WX_MULTI, &share_body(WX1, "1900000999", 10)).await.status, 400);
    assert_eq!(emu.post(path(Call::WechatRemoveReceiver), &rm).await.status, 400);
    // A user token may not.
    assert_eq!(emu.post_as(USER, path(Call::WechatAddReceiver), &add).await.status, 403);
}

#[tokio::test]
async fn alipay_receivers_add_query_remove() {
    let emu = Emu::fixtures_only().await;
    let q = |n: u32, s: u32| format!("{}?request_no=q1&page_num={n}&page_size={s}", path(Call::AlipayReceiverQuery));
    let v = emu.get(&q(1, 20)).await.json();
    assert_eq!((v["total_record_num"].as_u64(), v["return_code"].as_str()), (Some(2), Some("10000")));
    let ali = |account: &str| {
        json!({"trade_no": "alishare000000000000000000000001",
        "receivers": [{"type": "userId", "account": account, "amount": 10, "description": "d"}]})
    };
    assert_eq!(emu.post(ALI_SHARE, &ali("2088000000000001")).await.status, 400);
    let body =
        json!({"request_no": "r_1", "receivers": [{"type": "userId", "account": "2088000000000001", "name": "李四"}]});
    let r = emu.post(path(Call::AlipayAddReceiver), &body).await;
    assert_eq!(r.status, 200, "{}", r.body);
    assert_eq!(r.json(), json!({"result_code": "SUCCESS", "return_code": "10000"}));
    assert_eq!(emu.post(ALI_SHARE, &ali("2088000000000001")).await.status, 200);
    let v = emu.get(&q(2, 2)).await.json();
    assert_eq!((v["total_record_num"].as_u64(), v["total_page_num"].as_u64()), (Some(3), Some(2)));
    assert_eq!(v["receiver_list"], json!([{"account": "2088000000000001", "type": "userId"}]));
    assert_eq!(emu.get(&q(1, 101)).await.status, 400);
    assert_eq!(emu.post(path(Call::AlipayRemoveReceiver), &body).await.status, 200);
    assert_eq!(emu.post(ALI_SHARE, &ali("2088000000000001")).await.status, 400);
    // Alipay sharing orders are listed apart from WeChat's.
    let r = emu.get(&format!("{}?limit=10", path(Call::AlipaySharingOrders))).await;
    let v = r.json();
    assert_eq!(v["meta"]["total_count"], 1, "{v}");
    assert_eq!(v["objects"][0]["payment_order_id"], 50003);
    assert_eq!(v["objects"][0]["receiver"][0]["account"], "2088000000000001");
    assert_eq!(sharing_orders(&emu, "").await["meta"]["total_count"], 0);
}

#[tokio::test]
async fn share_list_return_then_refund() {
    let emu = Emu::fixtures_only().await;
    assert_eq!(emu.post(WX_MULTI, &share_body(WX1, MERCHANT, 100)).await.status, 200);
    assert_eq!(emu.post(WX_MULTI, &share_body(WX1, MERCHANT, 20)).await.status, 200);
    let list = sharing_orders(&emu, "payment_order_id=50001&order_type=multi_profit_sharing").await;
    assert_eq!(list["meta"]["total_count"], 2, "{list}");
    let first = list["objects"][1].clone(); // newest first
    assert_eq!(first["status"], "finished");
    assert_eq!(
        first["receiver"],
        json!([{"type": "MERCHANT_ID", "account": MERCHANT, "amount": 100, "description": "分账"}])
    );
    let so = first["trade_no"].as_str().unwrap().to_string();
    assert_ne!(so, WX1, "a sharing order has its own trade_no");
    // Paging and filters.
    let page = sharing_orders(&emu, "limit=1&offset=0").await;
    assert_eq!(page["objects"].as_array().unwrap().len(), 1);
    assert!(page["meta"]["next"].as_str().unwrap().contains("offset=1"), "{page}");
    assert_eq!(page["meta"]["previous"], Value::Null);
    assert_eq!(sharing_orders(&emu, &format!("trade_no={so}")).await["meta"]["total_count"], 1);
    assert_eq!(sharing_orders(&emu, "status=closed").await["meta"]["total_count"], 0);

    // The shared order refuses refunds.
    let r = emu.post(REFUND, &json!({"trade_no": WX1, "refund_amount": 10})).await;
    assert_eq!(r.json()["status"], "failed");
    // Return: capped per receiver per sharing order, idempotent by refund_no.
    let r = emu.post(path(Call::WechatSharingReturn), &return_body(&so, "R1", 60)).await;
    assert_eq!(r.status, 200, "{}", r.body);
    let first_reply = r.json();
    assert_eq!((first_reply["result"].as_str(), first_reply["amount"].as_i64()), (Some("SUCCESS"), Some(60)));
    let again = emu.post(path(Call::WechatSharingReturn), &return_body(&so, "R1", 60)).await;
    assert_eq!((again.status, again.json()), (200, first_reply.clone()));
    let r = emu.post(path(Call::WechatSharingReturn), &return_body(&so, "R1", 61)).await;
    assert_eq!(r.status, 400, "same refund_no, other return");
    let r = emu.post(path(Call::WechatSharingReturn), &return_body(&so, "R2", 41)).await;
    assert_eq!(r.status, 400, "only 40 left on that sharing order");
    assert!(r.error_msg().contains("40"), "{}", r.body);
    assert_eq!(emu.post(path(Call::WechatSharingReturn), &return_body(WX1, "R3", 1)).await.status, 404);
    let q = format!("{}?trade_no={so}&appid={APPID}&refund_no=R1", path(Call::WechatSharingReturnQuery));
    assert_eq!(emu.get(&q).await.json(), first_reply);
    assert_eq!(emu.get(&q.replace("R1", "R9")).await.status, 404);
    assert_eq!(emu.post(path(Call::WechatSharingReturn), &return_body(&so, "R2", 40)).await.status, 200);
    // 20 still shared on the other sharing order.
    let r = emu.post(REFUND, &json!({"trade_no": WX1, "refund_amount": 10})).await;
    assert_eq!(r.json()["status"], "failed");
    let so2 = list["objects"][0]["trade_no"].as_str().unwrap().to_string();
    assert_eq!(emu.post(path(Call::WechatSharingReturn), &return_body(&so2, "R4", 20)).await.status, 200);
    let r = emu.post(REFUND, &json!({"trade_no": WX1, "refund_amount": 10})).await;
    assert_eq!((r.status, r.json()["status"].as_str()), (200, Some("succeed")), "{}", r.body);
}

#[tokio::test]
async fn finish_closes_the_order_and_is_listed() {
    let emu = Emu::fixtures_only().await;
    let fin = json!({"trade_no": WX2, "appid": APPID, "description": "完结"});
    let r = emu.post(path(Call::WechatFinish), &fin).await;
    assert_eq!(r.status, 200, "{}", r.body);
    let v = r.json();
    assert_eq!((v["return_code"].as_str(), v["trade_no"].as_str()), (Some("SUCCESS"), Some(WX2)));
    assert_eq!(emu.post(path(Call::WechatFinish), &fin).await.status, 400);
    assert_eq!(emu.post(WX_MULTI, &share_body(WX2, MERCHANT, 10)).await.status, 400);
    let list = sharing_orders(&emu, "order_type=finish").await;
    assert_eq!(list["meta"]["total_count"], 1);
    assert_eq!(list["objects"][0]["receiver"], Value::Null);
    assert_eq!(list["objects"][0]["payment_order_id"], 50002);
    // Not a profit_sharing order.
    let r = emu
        .post(
            path(Call::WechatFinish),
            &json!({"trade_no": "1gAtaEFcmu6DyHm5b0ycBSmNO302NGzA", "appid": APPID, "description": "d"}),
        )
        .await;
    assert_eq!(r.status, 400);
}

// A multi-threaded runtime with a barrier, as in refund.rs: 50 identical
// returns really race, and the money moves once.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn fifty_concurrent_identical_returns_move_the_money_once() {
    let emu = Arc::new(Emu::fixtures_only().await);
    assert_eq!(emu.post(WX_MULTI, &share_body(WX1, MERCHANT, 100)).await.status, 200);
    let so = sharing_orders(&emu, "").await["objects"][0]["trade_no"].as_str().unwrap().to_string();
    let start = Arc::new(Barrier::new(50));
    let mut tasks = Vec::new();
    for _ in 0..50 {
        let (emu, start, so) = (emu.clone(), start.clone(), so.clone());
        tasks.push(tokio::spawn(async move {
            start.wait().await;
            let r = emu.post(path(Call::WechatSharingReturn), &return_body(&so, "SAME-1", 70)).await;
            (r.status, r.json())
        }));
    }
    let mut numbers = HashSet::new();
    for t in tasks {
        let (s, v) = t.await.unwrap();
        assert_eq!(s, 200, "{v}");
        numbers.insert(v["wechat_refund_no"].as_str().unwrap().to_string());
    }
    assert_eq!(numbers.len(), 1, "one return, answered 50 times: {numbers:?}");
    // 70 of 100 came back once: 30 remain, so 31 is refused and 30 fits.
    assert_eq!(emu.post(path(Call::WechatSharingReturn), &return_body(&so, "OTHER", 31)).await.status, 400);
    assert_eq!(emu.post(path(Call::WechatSharingReturn), &return_body(&so, "OTHER", 30)).await.status, 200);
    let r = emu.post(REFUND, &json!({"trade_no": WX1})).await;
    assert_eq!(r.json()["status"], "succeed", "{}", r.body);
}

#[tokio::test]
async fn wechat_error_fault_answers_err_code() {
    let emu = Emu::fixtures_only().await;
    let f = json!({"kind": "wechat_error", "err_code": "FREQUENCY_LIMITED", "status": 500});
    assert_eq!(emu.control("POST", "/__emulator/faults", Some(&f)).await.status, 200);
    let r = emu.post(WX_MULTI, &share_body(WX1, MERCHANT, 10)).await;
    assert_eq!(r.status, 500);
    assert_eq!(r.json()["err_code"], "FREQUENCY_LIMITED");
    // Faulted, not performed: nothing was shared.
    assert_eq!(sharing_orders(&emu, "").await["meta"]["total_count"], 0);
}
