//! Fixture orders, deterministic demo data, scale, and the binary itself.

mod common;

use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};
use std::time::Duration;

use common::*;
use serde_json::Value;

#[tokio::test]
async fn fixture_orders_exist_as_specified() {
    let emu = Emu::fixtures_only().await;
    let all = emu.all_orders().await;
    assert_eq!(all.len(), 9);
    for o in &all {
        assert_eq!(o["created_by_id"], 1);
        assert_eq!(o["refund_amount"], "0.00");
        assert_eq!(o["refund_status"], Value::Null);
        assert_eq!(o["merchandise_snapshot"], "{}");
    }
    let o = emu.order_by_id(29973).await;
    assert_eq!((o["gateway_type"].as_str(), o["total_cost"].as_str()), (Some("weixin_tenpay"), Some("398.00")));
    assert_eq!((o["status"].as_str(), o["profit_sharing"].as_bool()), (Some("success"), Some(false)));
    // The seed's examples, verbatim as list queries.
    let by = |q: String| {
        let emu = &emu;
        async move {
            let v = emu.get(&format!("{LIST}?limit=20&offset=0&where=%7B%7D&{q}")).await.json();
            assert_eq!(v["meta"]["total_count"], 1, "{q}");
            v["objects"][0].clone()
        }
    };
    let o = by("trade_no=1gAtaEFcmu6DyHm5b0ycBSmNO302NGzA".into()).await;
    assert_eq!((o["gateway_type"].as_str(), o["total_cost"].as_str()), (Some("weixin_tenpay"), Some("120.00")));
    let o3 = by("transaction_no=1gAtaEFcmu6DyHm5b0ycBSmNO302NGzA".into()).await;
    assert_eq!((o3["gateway_type"].as_str(), o3["total_cost"].as_str()), (Some("alipay"), Some("88.00")));
    assert_ne!(o["id"], o3["id"]);
    assert_eq!(o3["gateway_extra_info"], Value::Null);
    let o = by("trade_no=1gCeU9ZKQQAA8iQgUM0lWhEbnqr89Qtxxx".into()).await;
    assert_eq!(o["gateway_type"], "weixin_tenpay");
    let o = by("transaction_no=v4WoZ7aNyZPaZbNlFffOZLvagUKqDcOw".into()).await;
    assert_eq!(o["gateway_type"], "alipay");
    for t in ["wxshare0000000000000000000000001", "wxshare0000000000000000000000002"] {
        let o = by(format!("trade_no={t}")).await;
        assert_eq!((o["total_cost"].as_str(), o["profit_sharing"].as_bool()), (Some("100.00"), Some(true)));
        assert_eq!(o["gateway_type"], "weixin_tenpay");
    }
    let o = by("trade_no=alishare000000000000000000000001".into()).await;
    assert_eq!((o["gateway_type"].as_str(), o["total_cost"].as_str()), (Some("alipay"), Some("100.00")));
    // The pending WeChat order has the string form of gateway_extra_info.
    let o = by("trade_no=pending000000000000000000000001".into()).await;
    assert_eq!((o["status"].as_str(), o["paid_at"].clone()), (Some("pending"), Value::Null));
    assert!(o["gateway_extra_info"].as_str().unwrap().starts_with("{'payment_parameters': {'nonceStr': '"));
    // Paid WeChat orders carry the wechat_response object with derived values.
    let o = emu.order_by_id(29973).await;
    let w = &o["gateway_extra_info"]["wechat_response"];
    assert_eq!(w["total_fee"], "39800");
    assert_eq!(w["cash_fee"], "39800");
    assert_eq!(w["out_trade_no"], o["trade_no"]);
    assert_eq!(w["mch_id"], "1501889000");
    assert_eq!(w["result_code"], "SUCCESS");
    assert_eq!(w.as_object().unwrap().len(), 16);
    assert_eq!(w["time_end"].as_str().unwrap().len(), 14);
}

#[tokio::test]
async fn generated_data_is_deterministic_and_realistic() {
    let a = Emu::start(config(2000, 7)).await;
    let b = Emu::start(config(2000, 7)).await;
    let c = Emu::start(config(2000, 8)).await;
    let (da, db, dc) = (a.all_orders().await, b.all_orders().await, c.all_orders().await);
    assert_eq!(da.len(), 2009);
    assert_eq!(da, db, "same seed, same data");
    assert_ne!(da, dc, "different seed, different data");
    let generated: Vec<&Value> = da.iter().filter(|o| o["id"].as_i64().unwrap() > 100_000).collect();
    assert_eq!(generated.len(), 2000);
    let count = |f: &dyn Fn(&Value) -> bool| generated.iter().filter(|o| f(o)).count();
    let wechat = count(&|o| o["gateway_type"] == "weixin_tenpay");
    assert!(wechat > 800 && wechat < 1400, "{wechat}");
    assert!(count(&|o| o["status"] == "pending") > 200);
    assert!(count(&|o| o["profit_sharing"] == true) > 50);
    assert!(count(&|o| o["profit_sharing"] == true && o["gateway_type"] != "weixin_tenpay") == 0);
    assert!(count(&|o| o["refund_status"] == "partial") > 50);
    assert!(count(&|o| o["refund_status"] == "complete") > 30);
    assert!(count(&|o| o["refund_status"] == "complete" && o["refund_amount"] != o["total_cost"]) == 0);
    assert!(count(&|o| o["status"] == "pending" && !o["paid_at"].is_null()) == 0);
    let mut users: Vec<i64> = generated.iter().map(|o| o["created_by_id"].as_i64().unwrap()).collect();
    users.sort();
    users.dedup();
    assert_eq!(users, vec![1, 2, 3, 4, 5]);
    for o in &generated {
        let created = o["created_at"].as_str().unwrap();
        assert!(created.starts_with("2025-") || created.starts_with("2026-"), "{created}");
        assert_eq!(o["trade_no"].as_str().unwrap().len(), 32);
        assert_eq!(o["transaction_no"].as_str().unwrap().len(), 32);
    }
    // ids increase with created_at.
    let mut by_id = generated.clone();
    by_id.sort_by_key(|o| o["id"].as_i64());
    for w in by_id.windows(2) {
        assert!(w[0]["created_at"].as_str() <= w[1]["created_at"].as_str());
    }
}

/// Scale: 100,000 orders build, count, filter, sort and page correctly.
/// (How fast is a figure for `cargo xtask bench`, not a test.)
#[tokio::test]
async fn hundred_thousand_orders_list_filter_and_page() {
    let emu = Emu::start(config(100_000, 42)).await;
    let v = emu.get(LIST).await.json();
    assert_eq!(v["meta"]["total_count"], 100_009);
    let wx = emu.get(&format!("{LIST}?gateway_type=weixin_tenpay&limit=1")).await.json();
    let ali = emu.get(&format!("{LIST}?gateway_type=alipay&limit=1")).await.json();
    assert_eq!(wx["meta"]["total_count"].as_i64().unwrap() + ali["meta"]["total_count"].as_i64().unwrap(), 100_009);
    let q = format!(
        "{LIST}?limit=1000&offset=500&where=%7B%7D&status=success&paid_at__gte=1760000000&paid_at__lte=1780000000&order_by=-total_cost,id"
    );
    let r = emu.get(&q).await;
    assert_eq!(r.status, 200);
    let v = r.json();
    let n = v["meta"]["total_count"].as_i64().unwrap();
    assert!(n > 10_000 && n < 60_000, "{n}");
    assert_eq!(v["objects"].as_array().unwrap().len(), 1000);
    let last = v["objects"].as_array().unwrap().last().unwrap()["id"].as_i64().unwrap();
    assert!(last > 100_000);
}

struct Child(std::process::Child);
impl Drop for Child {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

#[tokio::test]
async fn binary_prints_its_address_first_and_serves() {
    let mut child = Child(
        Command::new(env!("CARGO_BIN_EXE_baas-emulator"))
            .args(["--port", "0", "--orders", "1000", "--seed", "3", "--client-id", "cid-x", "--user-token", "7=seven"])
            .stdout(Stdio::piped())
            .spawn()
            .expect("spawn"),
    );
    // The first three lines, read on a thread so that a silent binary fails
    // the test (hang guard) instead of hanging it.
    let mut out = BufReader::new(child.0.stdout.take().unwrap());
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let lines: Vec<String> = (0..3)
            .map(|_| {
                let mut l = String::new();
                out.read_line(&mut l).map(|_| l).unwrap_or_default()
            })
            .collect();
        let _ = tx.send(lines);
    });
    let lines = rx.recv_timeout(Duration::from_secs(120)).expect("the binary prints its start lines");
    let (first, second, third) = (&lines[0], &lines[1], &lines[2]);
    let port: u16 = first
        .trim_end()
        .strip_prefix("baas-emulator listening on http://127.0.0.1:")
        .unwrap_or_else(|| panic!("first line: {first:?}"))
        .parse()
        .unwrap();
    assert!(second.contains("cid-x") && second.contains("demo-admin-token") && second.contains("1009"), "{second}");
    // No --control-token: a random one, printed, which the control plane takes.
    let token = third
        .strip_prefix("control token: ")
        .and_then(|t| t.split_whitespace().next())
        .unwrap_or_else(|| panic!("third line: {third:?}"));
    assert_eq!(token.len(), 32, "{third}");
    let addr = format!("127.0.0.1:{port}").parse().unwrap();
    let r = send(addr, "GET", "/__emulator/health", &[("X-Emulator-Token", token)], None).await.unwrap();
    assert_eq!(r.status, 200);
    let r = send(addr, "GET", "/__emulator/health", &[], None).await.unwrap();
    assert_eq!(r.status, 401);
    let r = send(addr, "GET", LIST, &[("X-Hydrogen-Client-ID", "cid-x"), ("Authorization", "Hydrogen-r1 seven")], None)
        .await
        .unwrap();
    assert_eq!(r.status, 200, "{}", r.body);
    let v: Value = serde_json::from_str(&r.body).unwrap();
    let n = v["meta"]["total_count"].as_i64().unwrap();
    assert!(n > 0, "user 7 owns generated orders");
    assert!(v["objects"].as_array().unwrap().iter().all(|o| o["created_by_id"] == 7));
    // The default user token was replaced.
    let r = send(
        addr,
        "GET",
        LIST,
        &[("X-Hydrogen-Client-ID", "cid-x"), ("Authorization", "Hydrogen-r1 demo-user-token")],
        None,
    )
    .await
    .unwrap();
    assert_eq!(r.status, 401);
}

#[test]
fn binary_help_and_bad_flags() {
    let out = Command::new(env!("CARGO_BIN_EXE_baas-emulator")).arg("--help").output().unwrap();
    assert!(out.status.success());
    let help = String::from_utf8(out.stdout).unwrap();
    for s in [
        "--port",
        "--host",
        "--client-id",
        "--admin-token",
        "--user-token",
        "--orders",
        "--seed",
        "--control-token",
        "--control-origin",
        "--record-credentials",
        "X-Emulator-Token",
        "1900000109",
        "receiver@example.com",
    ] {
        assert!(help.contains(s), "{s}");
    }
    let out = Command::new(env!("CARGO_BIN_EXE_baas-emulator")).arg("--bogus").output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("--bogus"));
}
