//! The order list: filters, ordering, pagination.

mod common;

use common::*;
use serde_json::{json, Value};

const FIELDS: [&str; 18] = [
    "gateway_type",
    "created_at",
    "created_by_id",
    "created_by_name",
    "id",
    "ip_address",
    "merchandise_description",
    "merchandise_record_id",
    "merchandise_schema_id",
    "merchandise_snapshot",
    "paid_at",
    "refund_amount",
    "refund_status",
    "status",
    "total_cost",
    "trade_no",
    "transaction_no",
    "updated_at",
];

fn ids(v: &Value) -> Vec<i64> {
    v["objects"].as_array().unwrap().iter().map(|o| o["id"].as_i64().unwrap()).collect()
}

#[tokio::test]
async fn default_page_shape_and_order() {
    let emu = Emu::start(config(50, 42)).await;
    let r = emu.get(&format!("{LIST}?limit=20&offset=0&where=%7B%7D")).await;
    assert_eq!(r.status, 200);
    assert_eq!(r.header("content-type"), Some("application/json"));
    let v = r.json();
    assert_eq!(v["meta"]["limit"], 20);
    assert_eq!(v["meta"]["offset"], 0);
    assert_eq!(v["meta"]["total_count"], 59);
    assert_eq!(v["meta"]["previous"], Value::Null);
    assert_eq!(v["meta"]["next"], format!("{LIST}?limit=20&offset=20&where=%7B%7D"));
    let objs = v["objects"].as_array().unwrap();
    assert_eq!(objs.len(), 20);
    // Default order: -created_at, then -id.
    for w in objs.windows(2) {
        let (a, b) = (w[0]["created_at"].as_str().unwrap(), w[1]["created_at"].as_str().unwrap());
        assert!(a > b || (a == b && w[0]["id"].as_i64() > w[1]["id"].as_i64()));
    }
    // No params at all: defaults limit 20 offset 0.
    let v2 = emu.get(LIST).await.json();
    assert_eq!(ids(&v2), ids(&v));
    assert_eq!(v2["meta"]["next"], format!("{LIST}?limit=20&offset=20"));
    // Every order carries every documented field.
    let keys: Vec<&str> = objs[0].as_object().unwrap().keys().map(String::as_str).collect();
    for f in FIELDS.iter().chain(&["gateway_extra_info", "profit_sharing"]) {
        assert!(keys.contains(f), "missing {f}");
    }
}

#[tokio::test]
async fn pagination_follows_next_and_previous() {
    let emu = Emu::start(config(95, 3)).await;
    let total = 104;
    let mut url = format!("{LIST}?limit=30&where=%7B%7D&gateway_type=weixin_tenpay");
    let wx_total = emu.get(&url).await.json()["meta"]["total_count"].as_i64().unwrap();
    assert!(wx_total > 30 && wx_total < total);
    let mut seen = Vec::new();
    let mut pages = 0;
    loop {
        let v = emu.get(&url).await.json();
        pages += 1;
        assert_eq!(v["meta"]["total_count"], wx_total);
        for o in v["objects"].as_array().unwrap() {
            assert_eq!(o["gateway_type"], "weixin_tenpay");
        }
        if pages > 1 {
            // previous goes one page back, keeping the filter.
            let prev = v["meta"]["previous"].as_str().expect("previous on later pages");
            assert!(prev.contains("gateway_type=weixin_tenpay") && prev.contains("limit=30"), "{prev}");
            let back = emu.get(prev).await.json();
            assert_eq!(ids(&back), seen[seen.len() - 30..].to_vec());
        } else {
            assert!(v["meta"]["previous"].is_null());
        }
        seen.extend(ids(&v));
        match v["meta"]["next"].as_str() {
            Some(n) => url = n.to_string(),
            None => break,
        }
    }
    assert_eq!(seen.len() as i64, wx_total);
    let mut uniq = seen.clone();
    uniq.sort();
    uniq.dedup();
    assert_eq!(uniq.len(), seen.len(), "pages overlap");
    assert_eq!(pages, (wx_total + 29) / 30);

    // Offset past the end: empty page, previous still set.
    let v = emu.get(&format!("{LIST}?offset=500")).await.json();
    assert_eq!(v["objects"].as_array().unwrap().len(), 0);
    assert_eq!(v["meta"]["total_count"], total);
    assert!(v["meta"]["next"].is_null());
    assert_eq!(v["meta"]["previous"], format!("{LIST}?limit=20&offset=480"));
    // limit is capped at 1000.
    let v = emu.get(&format!("{LIST}?limit=5000")).await.json();
    assert_eq!(v["meta"]["limit"], 1000);
    assert_eq!(v["objects"].as_array().unwrap().len(), total as usize);
}

#[tokio::test]
async fn bad_limit_offset_where_order_by_are_400() {
    let emu = Emu::fixtures_only().await;
    for q in [
        "limit=abc",
        "limit=-1",
        "limit=1.5",
        "offset=-3",
        "offset=x",
        "where=%7Bnot-json",
        "where=%5B1%5D",
        "order_by=nope",
        "order_by=-nope",
        "paid_at__gte=yesterday",
        "id=abc",
        "total_cost=1.005",
    ] {
        let r = emu.get(&format!("{LIST}?{q}")).await;
        assert_eq!(r.status, 400, "{q}: {}", r.body);
        assert!(!r.error_msg().is_empty(), "{q}");
    }
    let r = emu.get(&format!("{LIST}?bogus=1")).await;
    assert_eq!(r.status, 400);
    assert_eq!(r.json(), json!({"error_msg": "unknown filter: bogus"}));
    let r = emu.get(&format!("{LIST}?where=%7B%22bogus%22%3A1%7D")).await;
    assert_eq!(r.status, 400);
    assert_eq!(r.error_msg(), "unknown filter: bogus");
    // keys and expand are accepted.
    assert_eq!(emu.get(&format!("{LIST}?keys=id&expand=created_by")).await.status, 200);
}

#[tokio::test]
async fn every_field_filters_by_equality() {
    let emu = Emu::start(config(300, 11)).await;
    let all = emu.all_orders().await;
    assert_eq!(all.len(), 309);
    for field in FIELDS {
        // Pick a few sample values for the field (including null where present).
        let mut samples: Vec<Value> = vec![all[0][field].clone(), all[150][field].clone(), all[308][field].clone()];
        if let Some(o) = all.iter().find(|o| o[field].is_null()) {
            samples.push(o[field].clone());
        }
        for value in samples {
            let expected: Vec<i64> =
                all.iter().filter(|o| o[field] == value).map(|o| o["id"].as_i64().unwrap()).collect();
            assert!(!expected.is_empty());
            let url = format!("{LIST}?limit=1000&where=%7B%7D&{field}={}", enc(&query_text(&value)));
            let r = emu.get(&url).await;
            assert_eq!(r.status, 200, "{url}: {}", r.body);
            let v = r.json();
            assert_eq!(v["meta"]["total_count"], expected.len(), "{url}");
            let mut got = ids(&v);
            got.sort();
            let mut exp = expected.clone();
            exp.sort();
            assert_eq!(got, exp, "{url}");
        }
    }
}

#[tokio::test]
async fn special_value_forms() {
    let emu = Emu::start(config(200, 5)).await;
    let all = emu.all_orders().await;
    // Money: "398" and "398.00" both match 398.00.
    let n398 = all.iter().filter(|o| o["total_cost"] == "398.00").count();
    assert!(n398 >= 2);
    for q in ["total_cost=398", "total_cost=398.00", "total_cost=398.0"] {
        assert_eq!(emu.get(&format!("{LIST}?{q}")).await.json()["meta"]["total_count"], n398, "{q}");
    }
    // Numbers compare numerically.
    let v = emu.get(&format!("{LIST}?id=29973")).await.json();
    assert_eq!(ids(&v), vec![29973]);
    assert_eq!(emu.get(&format!("{LIST}?id=029973")).await.json()["meta"]["total_count"], 1);
    // null matches null.
    let unpaid = all.iter().filter(|o| o["paid_at"].is_null()).count();
    assert!(unpaid > 0);
    assert_eq!(emu.get(&format!("{LIST}?paid_at=null")).await.json()["meta"]["total_count"], unpaid);
    let unrefunded = all.iter().filter(|o| o["refund_status"].is_null()).count();
    assert_eq!(emu.get(&format!("{LIST}?refund_status=null")).await.json()["meta"]["total_count"], unrefunded);
    let partial = all.iter().filter(|o| o["refund_status"] == "partial").count();
    assert!(partial > 0);
    assert_eq!(emu.get(&format!("{LIST}?refund_status=partial")).await.json()["meta"]["total_count"], partial);
    // created_at by unix seconds as well as by ISO string.
    let o = &all[10];
    let iso = o["created_at"].as_str().unwrap();
    let v = emu.get(&format!("{LIST}?created_at={}", enc(iso))).await.json();
    assert!(ids(&v).contains(&o["id"].as_i64().unwrap()));
    let fx = emu.order_by_id(29973).await;
    // Fixture 29973 is created at 2024-12-01T10:00:00.992125+08:00 = 1733018400.
    assert_eq!(fx["created_at"], "2024-12-01T10:00:00.992125");
    assert_eq!(ids(&emu.get(&format!("{LIST}?created_at=1733018400")).await.json()), vec![29973]);
    // where JSON gives the same filters.
    let w = enc(r#"{"gateway_type":"alipay","status":"success"}"#);
    let via_where = emu.get(&format!("{LIST}?limit=1000&where={w}")).await.json();
    let via_query = emu.get(&format!("{LIST}?limit=1000&gateway_type=alipay&status=success")).await.json();
    let expected = all.iter().filter(|o| o["gateway_type"] == "alipay" && o["status"] == "success").count();
    assert_eq!(via_where["meta"]["total_count"], expected);
    assert_eq!(ids(&via_where), ids(&via_query));
    let w = enc(r#"{"id":29973}"#);
    assert_eq!(ids(&emu.get(&format!("{LIST}?where={w}")).await.json()), vec![29973]);
    // A filter that matches nothing.
    assert_eq!(emu.get(&format!("{LIST}?trade_no=nope")).await.json()["meta"]["total_count"], 0);
}

#[tokio::test]
async fn paid_at_range() {
    let emu = Emu::start(config(300, 8)).await;
    let all = emu.all_orders().await;
    let mut paid: Vec<i64> = all.iter().filter_map(|o| o["paid_at"].as_i64()).collect();
    paid.sort();
    let (lo, hi) = (paid[paid.len() / 4], paid[paid.len() * 3 / 4]);
    let count = |f: &dyn Fn(i64) -> bool| paid.iter().filter(|&&p| f(p)).count();
    let v = emu.get(&format!("{LIST}?limit=1000&paid_at__gte={lo}&paid_at__lte={hi}")).await.json();
    assert_eq!(v["meta"]["total_count"], count(&|p| p >= lo && p <= hi));
    for o in v["objects"].as_array().unwrap() {
        let p = o["paid_at"].as_i64().unwrap();
        assert!(p >= lo && p <= hi);
    }
    let v = emu.get(&format!("{LIST}?paid_at__gte={lo}")).await.json();
    assert_eq!(v["meta"]["total_count"], count(&|p| p >= lo));
    let v = emu.get(&format!("{LIST}?paid_at__lte={lo}")).await.json();
    assert_eq!(v["meta"]["total_count"], count(&|p| p <= lo));
}

fn key_cmp(a: &Value, b: &Value) -> std::cmp::Ordering {
    use std::cmp::Ordering::*;
    match (a, b) {
        (Value::Null, Value::Null) => Equal,
        (Value::Null, _) => Greater, // nulls last when ascending
        (_, Value::Null) => Less,
        (Value::Number(x), Value::Number(y)) => x.as_f64().unwrap().partial_cmp(&y.as_f64().unwrap()).unwrap(),
        (Value::String(x), Value::String(y)) => {
            // money strings compare as numbers
            match (x.parse::<f64>(), y.parse::<f64>()) {
                (Ok(p), Ok(q)) if x.contains('.') && y.contains('.') && !x.contains('-') => p.partial_cmp(&q).unwrap(),
                _ => x.cmp(y),
            }
        }
        (Value::Bool(x), Value::Bool(y)) => x.cmp(y),
        _ => panic!("mixed types {a} {b}"),
    }
}

#[tokio::test]
async fn order_by_every_field_both_directions() {
    let emu = Emu::start(config(120, 9)).await;
    for field in FIELDS {
        for desc in [false, true] {
            let ob = if desc { format!("-{field}") } else { field.to_string() };
            let r = emu.get(&format!("{LIST}?limit=1000&order_by={ob}")).await;
            assert_eq!(r.status, 200, "{ob}");
            let v = r.json();
            let objs = v["objects"].as_array().unwrap();
            assert_eq!(objs.len(), 129);
            for w in objs.windows(2) {
                let mut ord = key_cmp(&w[0][field], &w[1][field]);
                if desc {
                    ord = ord.reverse();
                }
                assert_ne!(ord, std::cmp::Ordering::Greater, "{ob}: {} then {}", w[0][field], w[1][field]);
                if ord == std::cmp::Ordering::Equal && field != "id" {
                    // ties broken by -id
                    assert!(w[0]["id"].as_i64() > w[1]["id"].as_i64(), "{ob} tie order");
                }
            }
        }
    }
    // Several keys: gateway_type ascending, then id ascending.
    let v = emu.get(&format!("{LIST}?limit=1000&order_by=gateway_type,id")).await.json();
    let objs = v["objects"].as_array().unwrap();
    for w in objs.windows(2) {
        let (g0, g1) = (w[0]["gateway_type"].as_str().unwrap(), w[1]["gateway_type"].as_str().unwrap());
        assert!(g0 < g1 || (g0 == g1 && w[0]["id"].as_i64() < w[1]["id"].as_i64()));
    }
    assert_eq!(objs[0]["gateway_type"], "alipay");
}
