//! Validation and bodies of `order.wechatPay.profitSharing(opts)`,
//! `order.wechatPay.multiProfitSharing(opts)` and `order.alipay.profitSharing(opts)`.

#[allow(unused_imports)]
use crate::prelude::*;

use crate::error::{cat, push_num, HError};
use crate::value::{write_json_str, Value};

/// Most receivers WeChat accepts in one sharing request (the SDK's cap for
/// Alipay too: [`crate::limits::MAX_RECEIVERS`]).
pub const WECHAT_MAX_RECEIVERS: usize = crate::limits::MAX_RECEIVERS;

/// WeChat receiver types (`PERSONAL_WECHATID` is retired and refused).
pub const WECHAT_RECEIVER_TYPES: [&str; 2] = ["MERCHANT_ID", "PERSONAL_OPENID"];
/// Alipay receiver types.
pub const ALIPAY_RECEIVER_TYPES: [&str; 2] = ["userId", "loginName"];

/// Why `PERSONAL_WECHATID` is refused.
pub(crate) const RETIRED: &str =
    "PERSONAL_WECHATID is retired (已废弃): WeChat no longer shares to personal WeChat IDs, use PERSONAL_OPENID";

/// Which payment gateway a sharing request targets.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Gateway {
    /// WeChat Pay (`wechatPay.profitSharing` / `multiProfitSharing`).
    Wechat,
    /// Alipay (`alipay.profitSharing`).
    Alipay,
}

/// Validates sharing options and returns the JSON body: `trade_no`,
/// `receivers` (each `type`, `account`, `amount`, `description`) and, for
/// WeChat, `appid`, in that order.
///
/// Rules: `trade_no` (and WeChat `appid`) non-empty strings; `receivers` a
/// non-empty array (at most 50); each receiver an object with `type`
/// (WeChat `MERCHANT_ID` | `PERSONAL_OPENID`, Alipay `userId` | `loginName`),
/// non-empty `account` and `description`, and `amount` a positive safe
/// integer in fen. Unknown keys are rejected. Errors are 605 naming the
/// field, e.g. `receivers[0].amount`.
pub fn sharing_body(opts: &Value, gateway: Gateway) -> Result<String, HError> {
    let known: &[&str] = match gateway {
        Gateway::Wechat => &["trade_no", "receivers", "appid"],
        Gateway::Alipay => &["trade_no", "receivers"],
    };
    opts.known_entries(known, "options", "")?;
    let trade_no = required_str(opts, "trade_no", "trade_no")?;
    let receivers = match opts.get("receivers") {
        Some(Value::Array(items)) if !items.is_empty() => items,
        _ => return Err(HError::bad_param("receivers", "must be a non-empty array")),
    };
    if receivers.len() > WECHAT_MAX_RECEIVERS {
        return Err(HError::bad_param("receivers", "must hold at most 50 receivers"));
    }
    let appid = match gateway {
        Gateway::Wechat => Some(required_str(opts, "appid", "appid")?),
        Gateway::Alipay => None,
    };
    let mut body = String::from("{\"trade_no\":");
    trade_no.write_json(&mut body);
    body.push_str(",\"receivers\":[");
    for (i, r) in receivers.iter().enumerate() {
        if i > 0 {
            body.push(',');
        }
        receiver(r, i, gateway, &mut body)?;
    }
    body.push(']');
    if let Some(a) = appid {
        body.push_str(",\"appid\":");
        a.write_json(&mut body);
    }
    body.push('}');
    Ok(body)
}

fn required_str<'a>(obj: &'a Value, key: &str, field: &str) -> Result<&'a Value, HError> {
    match obj.get(key) {
        Some(v @ Value::String(s)) if !s.is_empty() => Ok(v),
        _ => Err(HError::bad_param(field, "must be a non-empty string")),
    }
}

fn receiver(r: &Value, i: usize, gateway: Gateway, body: &mut String) -> Result<(), HError> {
    let mut prefix = String::from("receivers[");
    push_num(&mut prefix, i as u64);
    prefix.push(']');
    let at = |k: &str| cat(&[&prefix, ".", k]);
    r.known_entries(&["type", "account", "amount", "description"], &prefix, &at(""))?;
    let kind = match r.get("type") {
        Some(Value::String(s)) => s.as_str(),
        _ => "",
    };
    let ok = match gateway {
        Gateway::Wechat => {
            if kind == "PERSONAL_WECHATID" {
                return Err(HError::bad_param(&at("type"), RETIRED));
            }
            WECHAT_RECEIVER_TYPES.contains(&kind)
        }
        Gateway::Alipay => ALIPAY_RECEIVER_TYPES.contains(&kind),
    };
    if !ok {
        let reason = match gateway {
            Gateway::Wechat => "must be MERCHANT_ID or PERSONAL_OPENID",
            Gateway::Alipay => "must be userId or loginName",
        };
        return Err(HError::bad_param(&at("type"), reason));
    }
    let account = required_str(r, "account", &at("account"))?;
    let amount = match r.get("amount") {
        Some(v @ Value::Number(n)) if n.is_positive_safe_integer() => v,
        _ => return Err(HError::bad_param(&at("amount"), "must be a positive integer (fen)")),
    };
    let description = required_str(r, "description", &at("description"))?;
    body.push_str("{\"type\":");
    write_json_str(kind, body);
    body.push_str(",\"account\":");
    account.write_json(body);
    body.push_str(",\"amount\":");
    amount.write_json(body);
    body.push_str(",\"description\":");
    description.write_json(body);
    body.push('}');
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rcv(t: &str) -> Value {
        Value::obj(vec![
            ("type", Value::str(t)),
            ("account", Value::str("acc")),
            ("amount", Value::num(10.0)),
            ("description", Value::str("分账")),
        ])
    }

    fn wechat(receivers: Vec<Value>) -> Value {
        Value::obj(vec![
            ("trade_no", Value::str("T1")),
            ("appid", Value::str("wx1")),
            ("receivers", Value::Array(receivers)),
        ])
    }

    fn err(v: &Value, g: Gateway) -> String {
        let e = sharing_body(v, g).unwrap_err();
        assert_eq!(e.code, 605);
        e.text
    }

    #[test]
    fn wechat_body() {
        assert_eq!(
            sharing_body(&wechat(vec![rcv("MERCHANT_ID"), rcv("PERSONAL_OPENID")]), Gateway::Wechat).unwrap(),
            r#"{"trade_no":"T1","receivers":[{"type":"MERCHANT_ID","account":"acc","amount":10,"description":"分账"},{"type":"PERSONAL_OPENID","account":"acc","amount":10,"description":"分账"}],"appid":"wx1"}"#
        );
    }

    #[test]
    fn alipay_body() {
        let opts = Value::obj(vec![
            ("receivers", Value::Array(vec![rcv("userId"), rcv("loginName")])),
            ("trade_no", Value::str("T2")),
        ]);
        assert_eq!(
            sharing_body(&opts, Gateway::Alipay).unwrap(),
            r#"{"trade_no":"T2","receivers":[{"type":"userId","account":"acc","amount":10,"description":"分账"},{"type":"loginName","account":"acc","amount":10,"description":"分账"}]}"#
        );
        let with_appid = Value::obj(vec![
            ("trade_no", Value::str("T2")),
            ("appid", Value::str("x")),
            ("receivers", Value::Array(vec![rcv("userId")])),
        ]);
        assert_eq!(err(&with_appid, Gateway::Alipay), "unknown field appid");
        assert!(err(&wechat(vec![rcv("MERCHANT_ID")]), Gateway::Alipay).starts_with("unknown field appid"));
        let wechat_type =
            Value::obj(vec![("trade_no", Value::str("T")), ("receivers", Value::Array(vec![rcv("MERCHANT_ID")]))]);
        assert!(err(&wechat_type, Gateway::Alipay).starts_with("receivers[0].type:"));
    }

    #[test]
    fn top_level_fields() {
        assert!(err(&Value::Undefined, Gateway::Wechat).starts_with("options:"));
        let no_trade =
            Value::obj(vec![("appid", Value::str("a")), ("receivers", Value::Array(vec![rcv("MERCHANT_ID")]))]);
        assert!(err(&no_trade, Gateway::Wechat).starts_with("trade_no:"));
        let no_appid =
            Value::obj(vec![("trade_no", Value::str("t")), ("receivers", Value::Array(vec![rcv("MERCHANT_ID")]))]);
        assert!(err(&no_appid, Gateway::Wechat).starts_with("appid:"));
        let empty_appid = Value::obj(vec![
            ("trade_no", Value::str("t")),
            ("appid", Value::str("")),
            ("receivers", Value::Array(vec![rcv("MERCHANT_ID")])),
        ]);
        assert!(err(&empty_appid, Gateway::Wechat).starts_with("appid:"));
        assert!(err(&wechat(vec![]), Gateway::Wechat).starts_with("receivers:"));
        assert!(err(&wechat(vec![rcv("MERCHANT_ID"); 51]), Gateway::Wechat).starts_with("receivers:"));
        assert!(sharing_body(&wechat(vec![rcv("MERCHANT_ID"); 50]), Gateway::Wechat).is_ok());
        let typo = Value::obj(vec![
            ("trade_no", Value::str("t")),
            ("appid", Value::str("a")),
            ("receiver", Value::Array(vec![rcv("MERCHANT_ID")])),
        ]);
        assert_eq!(err(&typo, Gateway::Wechat), "unknown field receiver");
    }

    #[test]
    fn receiver_fields() {
        let t = err(&wechat(vec![rcv("MERCHANT_ID"), rcv("PERSONAL_WECHATID")]), Gateway::Wechat);
        assert!(t.starts_with("receivers[1].type:") && t.contains("retired") && t.contains("废弃"), "{t}");
        assert!(err(&wechat(vec![rcv("merchant_id")]), Gateway::Wechat).starts_with("receivers[0].type:"));
        assert!(err(&wechat(vec![Value::str("x")]), Gateway::Wechat).starts_with("receivers[0]:"));
        let with = |k: &str, v: Value| {
            let mut r = rcv("MERCHANT_ID");
            if let Value::Object(e) = &mut r {
                e.retain(|(key, _)| key != k);
                e.push((k.to_string(), v));
            }
            wechat(vec![r])
        };
        for (k, v) in [
            ("account", Value::str("")),
            ("account", Value::num(1.0)),
            ("description", Value::Undefined),
            ("description", Value::Null),
            ("amount", Value::num(0.0)),
            ("amount", Value::num(-1.0)),
            ("amount", Value::num(1.5)),
            ("amount", Value::num(9007199254740992.0)),
            ("amount", Value::str("10")),
            ("type", Value::num(1.0)),
        ] {
            let t = err(&with(k, v), Gateway::Wechat);
            assert!(t.starts_with(&format!("receivers[0].{k}:")), "{t}");
        }
        assert_eq!(err(&with("amout", Value::num(1.0)), Gateway::Wechat), "unknown field receivers[0].amout");
    }
}
