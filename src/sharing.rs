//! The profit-sharing calls' option tables: the sharings
//! (`order.wechatPay.profitSharing` / `multiProfitSharing`,
//! `order.alipay.profitSharing`) and the lifecycle beyond a single sharing:
//! receivers, sharing orders, finish and return (分账回退), as the official
//! cloud-function SDK pages name them. The tables are checked by
//! [`crate::options`]; [`crate::call`] sends them by endpoint key.

#[allow(unused_imports)]
use crate::prelude::*;

use crate::limits::MAX_RECEIVERS;
use crate::options::{
    Code, Field, Items, OneOf, OneOfBut, Optional, Positive, Receivers, Required, Rule, Str, Unless, Upto, When,
};

/// WeChat receiver types (`PERSONAL_WECHATID` is retired and refused).
pub const WECHAT_RECEIVER_TYPES: [&str; 2] = ["MERCHANT_ID", "PERSONAL_OPENID"];
/// Alipay receiver types.
pub const ALIPAY_RECEIVER_TYPES: [&str; 2] = ["userId", "loginName"];

/// Why `PERSONAL_WECHATID` is refused.
const RETIRED: &str =
    "PERSONAL_WECHATID is retired (已废弃): WeChat no longer shares to personal WeChat IDs, use PERSONAL_OPENID";

/// WeChat receiver relation types (`relation_type`).
pub const RELATION_TYPES: [&str; 11] = [
    "SERVICE_PROVIDER",
    "STORE",
    "STAFF",
    "STORE_OWNER",
    "PARTNER",
    "HEADQUARTER",
    "BRAND",
    "DISTRIBUTOR",
    "USER",
    "SUPPLIER",
    "CUSTOM",
];
/// Sharing order statuses (the `status` filter).
pub const SHARING_STATUSES: [&str; 4] = ["accepted", "processing", "finished", "closed"];
/// WeChat sharing order types (the `order_type` filter).
pub const SHARING_ORDER_TYPES: [&str; 3] = ["profit_sharing", "multi_profit_sharing", "finish"];
/// Longest Alipay `request_no`. The reference page says "2个字符以内", evidently
/// a typo for 32 (Alipay's own limit): 32 it is.
pub const MAX_REQUEST_NO: usize = 32;
/// Longest WeChat `refund_no` (WeChat's `out_return_no`, String(64)).
pub const MAX_REFUND_NO: usize = 64;

/// A WeChat receiver's `type` (`PERSONAL_WECHATID` refused as retired).
const WECHAT_TYPE: Rule = OneOfBut(&(&WECHAT_RECEIVER_TYPES, "PERSONAL_WECHATID", RETIRED));
/// A WeChat sharing's `receivers`: `Items` of
/// `WECHAT_SHARE_RECEIVER`, each receiver (`type` and `account`) once.
///
/// Why once: the reference's 分账回退 (`Order#refund`) names the money by
/// "trade_no: 分账单单号(**非支付订单单号**)", "type: 分账回退方类型" and
/// "account: 分账回退方账户 id": a sharing order and one receiver, never a
/// line of it. A receiver named twice leaves a line no return can reach,
/// And the order's refund then fails for good (/// docs/assumptions-profit-sharing.md).
const WECHAT_RECEIVERS: Rule = Receivers(WECHAT_SHARE_RECEIVER);

const REFUND_NO: Rule = Code(MAX_REFUND_NO, "_-|*@");
const REQUEST_NO: Field = Field("request_no", &Code(MAX_REQUEST_NO, "_"), &Required);

pub(crate) const WECHAT_ADD: &[Field] = &[
    Field("mch_id", &Str, &Required),
    Field("appid", &Str, &Required),
    Field("type", &WECHAT_TYPE, &Required),
    Field("account", &Str, &Required),
    Field("relation_type", &OneOf(&RELATION_TYPES), &Required),
    Field("name", &Str, &Unless("type", "PERSONAL_OPENID")),
    Field("custom_relation", &Str, &When("relation_type", "CUSTOM")),
];
pub(crate) const WECHAT_REMOVE: &[Field] = &[
    Field("mch_id", &Str, &Required),
    Field("appid", &Str, &Required),
    Field("type", &WECHAT_TYPE, &Required),
    Field("account", &Str, &Required),
];
pub(crate) const WECHAT_FINISH: &[Field] =
    &[Field("trade_no", &Str, &Required), Field("appid", &Str, &Required), Field("description", &Str, &Required)];
pub(crate) const WECHAT_RETURN: &[Field] = &[
    Field("trade_no", &Str, &Required),
    Field("appid", &Str, &Required),
    Field("refund_no", &REFUND_NO, &Required),
    Field("type", &WECHAT_TYPE, &Required),
    Field("account", &Str, &Required),
    Field("amount", &Positive, &Required),
    Field("description", &Str, &Required),
];
pub(crate) const WECHAT_RETURN_QUERY: &[Field] =
    &[Field("trade_no", &Str, &Required), Field("appid", &Str, &Required), Field("refund_no", &REFUND_NO, &Required)];
const ALIPAY_RECEIVER: &[Field] = &[
    Field("type", &OneOf(&ALIPAY_RECEIVER_TYPES), &Required),
    Field("account", &Str, &Required),
    Field("name", &Str, &Required),
];
pub(crate) const ALIPAY_RECEIVERS: &[Field] =
    &[REQUEST_NO, Field("receivers", &Items(ALIPAY_RECEIVER, MAX_RECEIVERS), &Required)];
// `order.wechatPay.profitSharing` / `multiProfitSharing` / `order.alipay.profitSharing`.
const WECHAT_SHARE_RECEIVER: &[Field] = &[
    Field("type", &WECHAT_TYPE, &Required),
    Field("account", &Str, &Required),
    Field("amount", &Positive, &Required),
    Field("description", &Str, &Required),
];
const ALIPAY_SHARE_RECEIVER: &[Field] = &[
    Field("type", &OneOf(&ALIPAY_RECEIVER_TYPES), &Required),
    Field("account", &Str, &Required),
    Field("amount", &Positive, &Required),
    Field("description", &Str, &Required),
];
pub(crate) const WECHAT_SHARE: &[Field] = &[
    Field("trade_no", &Str, &Required),
    Field("receivers", &WECHAT_RECEIVERS, &Required),
    Field("appid", &Str, &Required),
];
pub(crate) const ALIPAY_SHARE: &[Field] =
    &[Field("trade_no", &Str, &Required), Field("receivers", &Items(ALIPAY_SHARE_RECEIVER, MAX_RECEIVERS), &Required)];
pub(crate) const ALIPAY_QUERY: &[Field] =
    &[REQUEST_NO, Field("page_num", &Positive, &Optional), Field("page_size", &Upto(100), &Optional)];
pub(crate) const WECHAT_ORDERS: &[Field] = &[
    Field("trade_no", &Str, &Optional),
    Field("status", &OneOf(&SHARING_STATUSES), &Optional),
    Field("order_type", &OneOf(&SHARING_ORDER_TYPES), &Optional),
    Field("payment_order_id", &Positive, &Optional),
];
pub(crate) const ALIPAY_ORDERS: &[Field] = &[
    Field("trade_no", &Str, &Optional),
    Field("status", &OneOf(&SHARING_STATUSES), &Optional),
    Field("payment_order_id", &Positive, &Optional),
];

#[cfg(test)]
mod tests {
    use super::*;
    use crate::call::{body, call_of, check, check_filters, list_query, query};
    use crate::endpoints::Call;
    use crate::order::OrderQuery;
    use crate::value::Value;

    fn o(pairs: Vec<(&str, Value)>) -> Value {
        Value::obj(pairs)
    }

    fn err(call: Call, v: &Value) -> String {
        let e = match call {
            Call::WechatSharingReturnQuery | Call::AlipayReceiverQuery => query(call, v).unwrap_err(),
            _ => body(call, v).unwrap_err(),
        };
        assert_eq!(e.code, 605);
        e.text
    }

    fn add(extra: Vec<(&str, Value)>) -> Value {
        let mut p = vec![
            ("mch_id", Value::str("1501889000")),
            ("appid", Value::str("wx1")),
            ("type", Value::str("MERCHANT_ID")),
            ("account", Value::str("1900000109")),
            ("relation_type", Value::str("PARTNER")),
            ("name", Value::str("示例商户")),
        ];
        for (k, v) in extra {
            p.retain(|(key, _)| *key != k);
            p.push((k, v));
        }
        o(p)
    }

    fn ret(extra: Vec<(&str, Value)>) -> Value {
        let mut p = vec![
            ("trade_no", Value::str("S1")),
            ("appid", Value::str("wx1")),
            ("refund_no", Value::str("R-1_a|b*c@d")),
            ("type", Value::str("MERCHANT_ID")),
            ("account", Value::str("1900000109")),
            ("amount", Value::num(100.0)),
            ("description", Value::str("回退")),
        ];
        for (k, v) in extra {
            p.retain(|(key, _)| *key != k);
            p.push((k, v));
        }
        o(p)
    }

    #[test]
    fn wechat_add_receiver_body_and_rules() {
        assert_eq!(
            body(Call::WechatAddReceiver, &add(vec![])).unwrap(),
            r#"{"mch_id":"1501889000","appid":"wx1","type":"MERCHANT_ID","account":"1900000109","relation_type":"PARTNER","name":"示例商户"}"#
        );
        let t = err(Call::WechatAddReceiver, &add(vec![("type", Value::str("merchant"))]));
        assert_eq!(t, "type: must be one of MERCHANT_ID, PERSONAL_OPENID");
        let t = err(Call::WechatAddReceiver, &add(vec![("type", Value::str("PERSONAL_WECHATID"))]));
        assert!(t.starts_with("type:") && t.contains("retired"), "{t}");
        let t = err(Call::WechatAddReceiver, &add(vec![("relation_type", Value::str("FRIEND"))]));
        assert!(t.starts_with("relation_type: must be one of SERVICE_PROVIDER,"), "{t}");
        // name: required unless PERSONAL_OPENID.
        let no_name = |ty: &str| {
            let mut v = add(vec![("type", Value::str(ty))]);
            if let Value::Object(e) = &mut v {
                e.retain(|(k, _)| k != "name");
            }
            v
        };
        assert_eq!(
            err(Call::WechatAddReceiver, &no_name("MERCHANT_ID")),
            "name: is required when type is not PERSONAL_OPENID"
        );
        assert!(body(Call::WechatAddReceiver, &no_name("PERSONAL_OPENID")).is_ok());
        assert_eq!(
            err(Call::WechatAddReceiver, &add(vec![("name", Value::str(""))])),
            "name: must be a non-empty string"
        );
        // custom_relation: required when CUSTOM.
        let custom = add(vec![("relation_type", Value::str("CUSTOM"))]);
        assert_eq!(err(Call::WechatAddReceiver, &custom), "custom_relation: is required when relation_type is CUSTOM");
        let custom = add(vec![("relation_type", Value::str("CUSTOM")), ("custom_relation", Value::str("朋友"))]);
        assert!(body(Call::WechatAddReceiver, &custom).unwrap().ends_with(r#""custom_relation":"朋友"}"#));
        for k in ["mch_id", "appid", "account"] {
            let t = err(Call::WechatAddReceiver, &add(vec![(k, Value::num(1.0))]));
            assert!(t.starts_with(&format!("{k}:")), "{t}");
        }
        assert_eq!(err(Call::WechatAddReceiver, &add(vec![("nmae", Value::str("x"))])), "unknown field nmae");
        assert_eq!(err(Call::WechatAddReceiver, &Value::Undefined), "options: must be an object");
    }

    #[test]
    fn wechat_remove_and_finish() {
        let rm = o(vec![
            ("mch_id", Value::str("m")),
            ("appid", Value::str("a")),
            ("type", Value::str("PERSONAL_OPENID")),
            ("account", Value::str("o")),
        ]);
        assert_eq!(
            body(Call::WechatRemoveReceiver, &rm).unwrap(),
            r#"{"mch_id":"m","appid":"a","type":"PERSONAL_OPENID","account":"o"}"#
        );
        let t = err(Call::WechatRemoveReceiver, &add(vec![]));
        assert_eq!(t, "unknown field relation_type");
        let fin =
            o(vec![("trade_no", Value::str("T")), ("appid", Value::str("a")), ("description", Value::str("完结"))]);
        assert_eq!(body(Call::WechatFinish, &fin).unwrap(), r#"{"trade_no":"T","appid":"a","description":"完结"}"#);
        let fin = o(vec![("trade_no", Value::str("T")), ("appid", Value::str("a"))]);
        assert_eq!(err(Call::WechatFinish, &fin), "description: is required");
    }

    #[test]
    fn wechat_return_rules() {
        assert_eq!(
            body(Call::WechatSharingReturn, &ret(vec![])).unwrap(),
            r#"{"trade_no":"S1","appid":"wx1","refund_no":"R-1_a|b*c@d","type":"MERCHANT_ID","account":"1900000109","amount":100,"description":"回退"}"#
        );
        for bad in ["", "R 1", "R#1", "退款1", "R/1", &"x".repeat(65)] {
            let t = err(Call::WechatSharingReturn, &ret(vec![("refund_no", Value::str(bad))]));
            assert_eq!(t, "refund_no: must be 1 to 64 characters of 0-9 a-z A-Z _ - | * @", "{bad}");
        }
        assert!(body(Call::WechatSharingReturn, &ret(vec![("refund_no", Value::str(&"x".repeat(64)))])).is_ok());
        for bad in
            [Value::num(0.0), Value::num(-1.0), Value::num(1.5), Value::str("100"), Value::num(9007199254740992.0)]
        {
            let t = err(Call::WechatSharingReturn, &ret(vec![("amount", bad)]));
            assert_eq!(t, "amount: must be a positive integer");
        }
        let t = err(Call::WechatSharingReturn, &ret(vec![("type", Value::str("userId"))]));
        assert!(t.starts_with("type:"), "{t}");
        let q = o(vec![("trade_no", Value::str("S 1")), ("appid", Value::str("a")), ("refund_no", Value::str("R1"))]);
        assert_eq!(query(Call::WechatSharingReturnQuery, &q).unwrap(), "trade_no=S%201&appid=a&refund_no=R1");
        let q = o(vec![("trade_no", Value::str("S")), ("appid", Value::str("a")), ("refund_no", Value::str("R 1"))]);
        assert!(err(Call::WechatSharingReturnQuery, &q).starts_with("refund_no:"));
    }

    fn ali(receivers: Value, request_no: &str) -> Value {
        o(vec![("receivers", receivers), ("request_no", Value::str(request_no))])
    }

    fn ali_rcv(ty: &str) -> Value {
        o(vec![("type", Value::str(ty)), ("account", Value::str("2088")), ("name", Value::str("张三"))])
    }

    #[test]
    fn alipay_receivers() {
        let ok = ali(Value::Array(vec![ali_rcv("userId")]), "req_1");
        assert_eq!(
            body(Call::AlipayAddReceiver, &ok).unwrap(),
            r#"{"request_no":"req_1","receivers":[{"type":"userId","account":"2088","name":"张三"}]}"#
        );
        assert!(body(Call::AlipayRemoveReceiver, &ok).is_ok());
        let rcv = Value::Array(vec![ali_rcv("userId")]);
        assert!(body(Call::AlipayAddReceiver, &ali(rcv.clone(), &"a".repeat(32))).is_ok());
        for bad in ["", "a-b", &"a".repeat(33)] {
            let t = err(Call::AlipayAddReceiver, &ali(rcv.clone(), bad));
            assert_eq!(t, "request_no: must be 1 to 32 characters of 0-9 a-z A-Z _", "{bad}");
        }
        let no_req = o(vec![("receivers", rcv.clone())]);
        assert_eq!(err(Call::AlipayAddReceiver, &no_req), "request_no: is required");
        assert_eq!(
            err(Call::AlipayAddReceiver, &ali(Value::Array(vec![]), "r")),
            "receivers: must be a non-empty array"
        );
        assert_eq!(err(Call::AlipayAddReceiver, &ali(Value::str("x"), "r")), "receivers: must be a non-empty array");
        let t = err(Call::AlipayAddReceiver, &ali(Value::Array(vec![ali_rcv("userId"), ali_rcv("MERCHANT_ID")]), "r"));
        assert_eq!(t, "receivers[1].type: must be one of userId, loginName");
        let no_name = o(vec![("type", Value::str("userId")), ("account", Value::str("2088"))]);
        assert_eq!(
            err(Call::AlipayAddReceiver, &ali(Value::Array(vec![no_name]), "r")),
            "receivers[0].name: is required"
        );
        let extra = o(vec![
            ("type", Value::str("userId")),
            ("account", Value::str("2088")),
            ("name", Value::str("n")),
            ("amount", Value::num(1.0)),
        ]);
        assert_eq!(
            err(Call::AlipayAddReceiver, &ali(Value::Array(vec![extra]), "r")),
            "unknown field receivers[0].amount"
        );
        assert_eq!(
            err(Call::AlipayAddReceiver, &ali(Value::Array(vec![Value::Null]), "r")),
            "receivers[0]: must be an object"
        );
    }

    #[test]
    fn alipay_receiver_query() {
        let q = |pairs: Vec<(&str, Value)>| {
            let mut p = vec![("request_no", Value::str("q1"))];
            p.extend(pairs);
            o(p)
        };
        assert_eq!(query(Call::AlipayReceiverQuery, &q(vec![])).unwrap(), "request_no=q1");
        assert_eq!(
            query(Call::AlipayReceiverQuery, &q(vec![("page_size", Value::num(100.0)), ("page_num", Value::num(2.0))]))
                .unwrap(),
            "request_no=q1&page_num=2&page_size=100"
        );
        for bad in [Value::num(0.0), Value::num(-1.0), Value::num(1.5), Value::str("1")] {
            assert_eq!(
                err(Call::AlipayReceiverQuery, &q(vec![("page_num", bad)])),
                "page_num: must be a positive integer"
            );
        }
        for bad in [Value::num(0.0), Value::num(101.0), Value::num(2.5)] {
            assert_eq!(
                err(Call::AlipayReceiverQuery, &q(vec![("page_size", bad)])),
                "page_size: must be an integer from 1 to 100"
            );
        }
        assert_eq!(err(Call::AlipayReceiverQuery, &o(vec![])), "request_no: is required");
    }

    #[test]
    fn list_filters() {
        assert!(check_filters(Call::WechatSharingOrders, &Value::Undefined).is_ok());
        let ok = o(vec![
            ("trade_no", Value::str("S1")),
            ("status", Value::str("finished")),
            ("order_type", Value::str("finish")),
            ("payment_order_id", Value::num(50001.0)),
        ]);
        assert!(check_filters(Call::WechatSharingOrders, &ok).is_ok());
        let e = check_filters(Call::AlipaySharingOrders, &ok).unwrap_err();
        assert_eq!(e.text, "unknown field params.order_type");
        let e = check_filters(Call::WechatSharingOrders, &o(vec![("status", Value::str("done"))])).unwrap_err();
        assert_eq!(e.text, "params.status: must be one of accepted, processing, finished, closed");
        let e = check_filters(Call::WechatSharingOrders, &o(vec![("order_type", Value::str("x"))])).unwrap_err();
        assert!(e.text.starts_with("params.order_type:"));
        let e = check_filters(Call::WechatSharingOrders, &Value::str("x")).unwrap_err();
        assert_eq!(e.text, "params: must be an object");
        assert!(check(Call::Refund, &ok).is_err());
    }

    #[test]
    fn list_query_checks_then_encodes_and_always_resets() {
        let mut q = OrderQuery::default();
        q.set_offset(&Value::num(20.0)).unwrap();
        q.set_limit(&Value::num(5.0)).unwrap();
        let p = o(vec![("trade_no", Value::str("S 1")), ("payment_order_id", Value::num(50001.0))]);
        assert_eq!(
            list_query(Call::WechatSharingOrders, &mut q, &p).unwrap(),
            "limit=5&offset=20&where=%7B%7D&trade_no=S+1&payment_order_id=50001"
        );
        q.set_offset(&Value::num(20.0)).unwrap();
        let bad = o(vec![("status", Value::str("done"))]);
        assert!(list_query(Call::AlipaySharingOrders, &mut q, &bad).is_err());
        assert_eq!(q, OrderQuery::default());
        assert_eq!(
            list_query(Call::AlipaySharingOrders, &mut q, &Value::Undefined).unwrap(),
            "limit=20&offset=0&where=%7B%7D"
        );
        assert_eq!(call_of("wechatFinish"), Ok(Call::WechatFinish));
        assert!(call_of("refund").is_err());
        assert!(call_of("nope").is_err());
    }
}

#[cfg(test)]
mod sharing_tests {
    //! The sharings (`order.wechatPay.profitSharing` and the others) through
    //! their tables (once `profit_sharing::sharing_body`'s).
    use super::*;
    use crate::call::body;
    use crate::endpoints::Call;
    use crate::error::HError;
    use crate::value::Value;

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

    /// The sharings' bodies and 605s, through their option tables.
    fn sharing_body(v: &Value, g: Gateway) -> Result<String, HError> {
        body(if g == Gateway::Wechat { Call::WechatProfitSharing } else { Call::AlipayProfitSharing }, v)
    }

    #[derive(PartialEq)]
    enum Gateway {
        Wechat,
        Alipay,
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
        // 50 receivers at most, each once (another account each).
        let many = |n: usize| {
            let one = |i: usize| {
                let mut r = rcv("MERCHANT_ID");
                if let Value::Object(e) = &mut r {
                    e.retain(|(k, _)| k != "account");
                    e.push(("account".to_string(), Value::str(&format!("acc{i}"))));
                }
                r
            };
            wechat((0..n).map(one).collect())
        };
        assert!(err(&many(51), Gateway::Wechat).starts_with("receivers:"));
        assert!(sharing_body(&many(50), Gateway::Wechat).is_ok());
        let typo = Value::obj(vec![
            ("trade_no", Value::str("t")),
            ("appid", Value::str("a")),
            ("receiver", Value::Array(vec![rcv("MERCHANT_ID")])),
        ]);
        assert_eq!(err(&typo, Gateway::Wechat), "unknown field receiver");
    }

    /// A WeChat return (分账回退) names a sharing order
    /// and one receiver, so a receiver named twice in one sharing could never
    /// get all of its money back. Refused before sending, naming the repeat.
    #[test]
    fn a_wechat_receiver_appears_once_per_sharing() {
        let with_account = |t: &str, account: &str| {
            let mut r = rcv(t);
            if let Value::Object(e) = &mut r {
                e.retain(|(k, _)| k != "account");
                e.push(("account".to_string(), Value::str(account)));
            }
            r
        };
        let dup = wechat(vec![rcv("MERCHANT_ID"), rcv("PERSONAL_OPENID"), rcv("MERCHANT_ID")]);
        for call in [Call::WechatProfitSharing, Call::WechatMultiProfitSharing] {
            let e = body(call, &dup).unwrap_err();
            assert_eq!(e.code, 605);
            assert_eq!(e.field(), Some("receivers[2].account"), "{}", e.text);
            assert!(
                e.text.ends_with(
                    "names an earlier receiver again: one line per receiver in a sharing, its amounts added up"
                ),
                "{}",
                e.text
            );
        }
        // Another type or another account is another receiver.
        let distinct = wechat(vec![rcv("MERCHANT_ID"), rcv("PERSONAL_OPENID"), with_account("MERCHANT_ID", "acc2")]);
        assert!(body(Call::WechatMultiProfitSharing, &distinct).is_ok());
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
