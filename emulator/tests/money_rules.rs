//! Shared money can always come back: a
//! receiver appears once per WeChat sharing, so a return (分账回退) can
//! reach every fen of it and the order then refunds; an Alipay refund takes
//! back the shared money it needs (there is no Alipay return call); a return's
//! `refund_no` replays only the very same return, `description` included;
//! and a return goes under the appid of its sharing, never another.

mod common;

use baas_order::endpoints::Call;
use common::*;
use serde_json::{json, Value};

fn line(kind: &str, account: &str, amount: i64) -> Value {
    json!({"type": kind, "account": account, "amount": amount, "description": "分账"})
}

fn wx_share(receivers: Value) -> Value {
    json!({"trade_no": WX1, "appid": APPID, "receivers": receivers})
}

fn wx_return(sharing_no: &str, refund_no: &str, kind: &str, account: &str, amount: i64) -> Value {
    json!({"trade_no": sharing_no, "appid": APPID, "refund_no": refund_no, "type": kind,
        "account": account, "amount": amount, "description": "回退"})
}

/// The WeChat sharing orders of payment order 50001, oldest first.
async fn sharing_orders(emu: &Emu) -> Vec<Value> {
    let r = emu.get(&format!("{}?payment_order_id=50001&limit=100", path(Call::WechatSharingOrders))).await;
    assert_eq!(r.status, 200, "{}", r.body);
    let mut list = r.json()["objects"].as_array().unwrap().clone();
    list.reverse();
    list
}

async fn refund(emu: &Emu, trade_no: &str, yuan: Option<&str>) -> Value {
    let mut body = json!({ "trade_no": trade_no });
    if let Some(y) = yuan {
        body["refund_amount"] = json!(y);
    }
    let r = emu.post(REFUND, &body).await;
    assert_eq!(r.status, 200, "{}", r.body);
    r.json()
}

#[tokio::test]
async fn a_receiver_named_twice_in_one_wechat_sharing_is_refused() {
    let emu = Emu::fixtures_only().await;
    for route in [WX_MULTI, WX_SHARE] {
        let r = emu
            .post(route, &wx_share(json!([line("MERCHANT_ID", MERCHANT, 10), line("MERCHANT_ID", MERCHANT, 20)])))
            .await;
        assert_eq!(r.status, 400, "{route}: {}", r.body);
        let msg = r.error_msg();
        assert!(msg.contains("receivers[1]") && msg.contains("receivers[0]"), "{msg}");
    }
    // Nothing moved: the order refunds.
    assert_eq!(sharing_orders(&emu).await.len(), 0);
    assert_eq!(refund(&emu, WX1, Some("1.00")).await["status"], "succeed");
}

#[tokio::test]
async fn every_shared_fen_returns_and_the_order_then_refunds() {
    let emu = Emu::fixtures_only().await;
    // The same receiver on two sharings, and two receivers on one: 3,000 fen
    // of the 100.00 order (the 30% cap).
    let shares = [
        json!([line("MERCHANT_ID", MERCHANT, 1000), line("PERSONAL_OPENID", OPENID, 1500)]),
        json!([line("MERCHANT_ID", MERCHANT, 499)]),
        json!([line("MERCHANT_ID", MERCHANT, 1)]),
    ];
    for s in &shares {
        let r = emu.post(WX_MULTI, &wx_share(s.clone())).await;
        assert_eq!(r.status, 200, "{}", r.body);
    }
    assert_eq!(refund(&emu, WX1, Some("0.01")).await["status"], "failed");
    // Return every line of every sharing order, in two parts each when it can.
    let mut returned = 0;
    let mut n = 0;
    for so in sharing_orders(&emu).await {
        let trade_no = so["trade_no"].as_str().unwrap();
        for l in so["receiver"].as_array().unwrap() {
            let (kind, account, amount) =
                (l["type"].as_str().unwrap(), l["account"].as_str().unwrap(), l["amount"].as_i64().unwrap());
            for part in [amount / 2, amount - amount / 2].into_iter().filter(|&p| p > 0) {
                n += 1;
                let r = emu
                    .post(path(Call::WechatSharingReturn), &wx_return(trade_no, &format!("R{n}"), kind, account, part))
                    .await;
                assert_eq!(r.status, 200, "return {part} of {account} on {trade_no}: {}", r.body);
                returned += part;
            }
            let r = emu.post(path(Call::WechatSharingReturn), &wx_return(trade_no, "R-extra", kind, account, 1)).await;
            assert_eq!(r.status, 400, "nothing left for {account} on {trade_no}: {}", r.body);
        }
    }
    assert_eq!(returned, 3000);
    // Every fen is back: the whole order refunds.
    let v = refund(&emu, WX1, None).await;
    assert_eq!((v["status"].as_str(), v["refund_amount"].as_str()), (Some("succeed"), Some("100.00")), "{v}");
    assert_eq!(emu.order_by_id(50001).await["refund_status"], "complete");
}

#[tokio::test]
async fn an_alipay_refund_takes_back_the_shared_money_it_needs() {
    let emu = Emu::fixtures_only().await;
    let ali = |receivers: Value| json!({"trade_no": ALI, "receivers": receivers});
    // 100.00 order: 60.00 shared in two sharings, 40.00 not shared.
    let r = emu
        .post(
            ALI_SHARE,
            &ali(json!([line("userId", "2088101126765726", 5000), line("loginName", "receiver@example.com", 500)])),
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.body);
    assert_eq!(emu.post(ALI_SHARE, &ali(json!([line("userId", "2088101126765726", 500)]))).await.status, 200);
    // 30.00 fits in the money not shared: no shared money comes back, so the
    // 60.00 still shared fill the 70.00 left and a further sharing is refused.
    let v = refund(&emu, ALI, Some("30.00")).await;
    assert_eq!((v["status"].as_str(), v["error_msg"].as_str()), (Some("succeed"), None), "{v}");
    let r = emu.post(ALI_SHARE, &ali(json!([line("userId", "2088101126765726", 1001)]))).await;
    assert_eq!(r.status, 400, "{}", r.body);
    // 50.00 more: 10.00 not shared, 40.00 taken back from the receivers.
    let v = refund(&emu, ALI, Some("50.00")).await;
    assert_eq!((v["status"].as_str(), v["refund_amount"].as_str()), (Some("succeed"), Some("50.00")), "{v}");
    // 20.00 left, all of it shared: the rest refunds too.
    let v = refund(&emu, ALI, None).await;
    assert_eq!((v["status"].as_str(), v["refund_amount"].as_str()), (Some("succeed"), Some("20.00")), "{v}");
    let o = emu.order_by_txn("alisharetxn00000000000000000001A").await;
    assert_eq!((o["refund_amount"].as_str(), o["refund_status"].as_str()), (Some("100.00"), Some("complete")));
}

#[tokio::test]
async fn a_reused_refund_no_with_another_description_is_refused() {
    let emu = Emu::fixtures_only().await;
    assert_eq!(emu.post(WX_MULTI, &wx_share(json!([line("MERCHANT_ID", MERCHANT, 100)]))).await.status, 200);
    let so = sharing_orders(&emu).await[0]["trade_no"].as_str().unwrap().to_string();
    let first = wx_return(&so, "R1", "MERCHANT_ID", MERCHANT, 40);
    let r = emu.post(path(Call::WechatSharingReturn), &first).await;
    assert_eq!(r.status, 200, "{}", r.body);
    let reply = r.json();
    // The very same request replays the first reply and moves nothing.
    let again = emu.post(path(Call::WechatSharingReturn), &first).await;
    assert_eq!((again.status, again.json()), (200, reply.clone()));
    let mut other = first.clone();
    other["description"] = json!("另一次回退");
    let r = emu.post(path(Call::WechatSharingReturn), &other).await;
    assert_eq!(r.status, 400, "same refund_no, another description: {}", r.body);
    assert!(r.error_msg().contains("R1"), "{}", r.body);
    // 60 fen still to return on that sharing order: nothing moved twice.
    let r = emu.post(path(Call::WechatSharingReturn), &wx_return(&so, "R2", "MERCHANT_ID", MERCHANT, 61)).await;
    assert_eq!(r.status, 400, "{}", r.body);
    assert_eq!(
        emu.post(path(Call::WechatSharingReturn), &wx_return(&so, "R2", "MERCHANT_ID", MERCHANT, 60)).await.status,
        200
    );
}

#[tokio::test]
async fn a_return_under_an_appid_that_did_not_share_is_refused() {
    let emu = Emu::fixtures_only().await;
    assert_eq!(emu.post(WX_MULTI, &wx_share(json!([line("MERCHANT_ID", MERCHANT, 100)]))).await.status, 200);
    let so = sharing_orders(&emu).await[0]["trade_no"].as_str().unwrap().to_string();
    // OTHER_APPID has the same receiver added, but shared nothing here.
    let mut wrong = wx_return(&so, "R1", "MERCHANT_ID", MERCHANT, 100);
    wrong["appid"] = json!(OTHER_APPID);
    let r = emu.post(path(Call::WechatSharingReturn), &wrong).await;
    assert_eq!(r.status, 400, "a return under {OTHER_APPID}: {}", r.body);
    assert!(r.error_msg().contains(OTHER_APPID), "{}", r.body);
    // Nothing moved: the refund still fails, and the right appid returns it all.
    assert_eq!(refund(&emu, WX1, Some("0.01")).await["status"], "failed");
    let r = emu.post(path(Call::WechatSharingReturn), &wx_return(&so, "R1", "MERCHANT_ID", MERCHANT, 100)).await;
    assert_eq!(r.status, 200, "{}", r.body);
    let q = format!("{}?trade_no={so}&appid={APPID}&refund_no=R1", path(Call::WechatSharingReturnQuery));
    assert_eq!(emu.get(&q).await.json(), r.json());
    assert_eq!(refund(&emu, WX1, Some("0.01")).await["status"], "succeed");
}
