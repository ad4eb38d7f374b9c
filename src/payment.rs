//! Payment initiation: the body of the one POST that creates a payment order
//! (CONTRACT.md "Payment initiation"), for `BaaS.payment.payWithWechat` /
//! `payWithAlipay` / `payWithQQ` (web, Node) and `BaaS.pay` (mini-programs).
//! The options are tables (`PAY_*`) of [`crate::options`]' checker; this
//! module adds what only payments have: the
//! gateway check (minapp-sdk's 608 "incorrect gateway type", before anything
//! else), the wire names, and the key order minapp-sdk writes per runtime.

#[allow(unused_imports)]
use crate::prelude::*;

use crate::config::Platform;
use crate::endpoints::Call;
use crate::error::HError;
use crate::options::{
    check_object, Bool, Cost, Field, Ms, Obj, OneOf, Optional, Positive, Required, Signal, Str, Text,
};
use crate::value::{json_object, Value};

/// 607: the buyer cancelled the payment (minapp-sdk's code).
pub const CANCELLED: u16 = 607;
/// 608: the payment failed, or the call does not take the gateway.
pub const FAILED: u16 = 608;
/// 615: `weixin_tenpay_js` outside WeChat's browser (no `WeixinJSBridge`).
pub const NO_BRIDGE: u16 = 615;

/// `payWithWechat`'s gateways.
pub const WECHAT_GATEWAYS: [&str; 3] = ["weixin_tenpay_native", "weixin_tenpay_wap", "weixin_tenpay_js"];
/// `payWithAlipay`'s gateways.
pub const ALIPAY_GATEWAYS: [&str; 2] = ["alipay_page", "alipay_wap"];
/// `payWithQQ`'s gateway.
pub const QQ_GATEWAYS: [&str; 1] = ["qpay_native"];
/// `BaaS.pay`'s gateway in a WeChat mini-program.
pub const WECHAT_MINIPROGRAM: &str = "weixin_tenpay";
/// `BaaS.pay`'s gateway in an Alipay mini-program.
pub const ALIPAY_MINIPROGRAM: &str = "alipay";

// The option tables: the JS option names; the body renames them ([`wire`]).
const COST: Field = Field("totalCost", &Cost, &Required);
const DESCRIPTION: Field = Field("merchandiseDescription", &Str, &Required);
const SCHEMA_ID: Field = Field("merchandiseSchemaID", &Positive, &Optional);
const RECORD_ID: Field = Field("merchandiseRecordID", &Text, &Optional);
const SNAPSHOT: Field = Field("merchandiseSnapshot", &Obj, &Optional);
const PROFIT_SHARING: Field = Field("profitSharing", &Bool, &Optional);
pub(crate) const PAY_WECHAT: &[Field] = &[
    Field("gatewayType", &OneOf(&WECHAT_GATEWAYS), &Required),
    COST,
    DESCRIPTION,
    SCHEMA_ID,
    RECORD_ID,
    SNAPSHOT,
    PROFIT_SHARING,
];
pub(crate) const PAY_ALIPAY: &[Field] =
    &[Field("gatewayType", &OneOf(&ALIPAY_GATEWAYS), &Required), COST, DESCRIPTION, SCHEMA_ID, RECORD_ID, SNAPSHOT];
pub(crate) const PAY_QQ: &[Field] =
    &[Field("gatewayType", &OneOf(&QQ_GATEWAYS), &Required), COST, DESCRIPTION, SCHEMA_ID, RECORD_ID, SNAPSHOT];
/// `BaaS.pay(params)` in a WeChat mini-program; Alipay's is the same without
/// `profitSharing` (`PAY_MINI[..5]`).
pub(crate) const PAY_MINI: &[Field] = &[COST, DESCRIPTION, SCHEMA_ID, RECORD_ID, SNAPSHOT, PROFIT_SHARING];

/// The JS option names and their wire names, in minapp-sdk's web order.
const WIRE: [(&str, &str); 7] = [
    ("gatewayType", "gateway_type"),
    ("totalCost", "total_cost"),
    ("merchandiseDescription", "merchandise_description"),
    ("merchandiseSchemaID", "merchandise_schema_id"),
    ("merchandiseRecordID", "merchandise_record_id"),
    ("merchandiseSnapshot", "merchandise_snapshot"),
    ("profitSharing", "profit_sharing"),
];

/// The wire name of a payment option.
pub fn wire(key: &str) -> &'static str {
    WIRE.iter().find(|(k, _)| *k == key).map_or("", |(_, w)| w)
}

/// The JSON body of a payment call, checked (nothing is sent on a failure):
/// - not an object: 605 naming `options` (`params` for `BaaS.pay`);
/// - web: a `gatewayType` the call does not take: 608 "incorrect gateway
///   type", as minapp-sdk, before any other check;
/// - `profitSharing` where no WeChat gateway is used: 605 naming it
///   (minapp-sdk's Alipay build would send it as the key `"undefined"`);
/// - then each field by the call's table (605 naming the field; unknown
///   keys refused).
///
/// Web and Node: the keys in minapp-sdk's web order. Mini-programs: the
/// caller's keys in the caller's order, renamed, then `gateway_type`
/// (`weixin_tenpay` in WeChat, `alipay` in Alipay). `BaaS.pay` elsewhere is
/// a 611.
pub fn body(call: Call, platform: Platform, opts: &Value) -> Result<String, HError> {
    let mini = call == Call::Pay;
    let what = if mini { "params" } else { "options" };
    if !matches!(opts, Value::Object(_)) {
        return Err(HError::bad_param(what, "must be an object"));
    }
    let gateway = match (call, platform) {
        (Call::Pay, Platform::Wechat) => WECHAT_MINIPROGRAM,
        (Call::Pay, Platform::Alipay) => ALIPAY_MINIPROGRAM,
        (Call::Pay, _) => {
            return Err(HError::new(
                crate::error::UNSUPPORTED,
                "BaaS.pay is for WeChat and Alipay mini-programs; on the web use BaaS.payment",
            ))
        }
        _ => opts.get("gatewayType").and_then(Value::as_str).unwrap_or_default(),
    };
    // The call's table, as `crate::call::spec` has it (a match of its own:
    // the measured smaller wasm).
    let fields = match call {
        Call::PayWithWechat => PAY_WECHAT,
        Call::PayWithAlipay => PAY_ALIPAY,
        Call::PayWithQQ => PAY_QQ,
        _ => PAY_MINI,
    };
    let wechat = gateway.starts_with("weixin_tenpay");
    let takes: &[&str] = match call {
        Call::PayWithWechat => &WECHAT_GATEWAYS,
        Call::PayWithAlipay => &ALIPAY_GATEWAYS,
        Call::PayWithQQ => &QQ_GATEWAYS,
        _ => &[gateway],
    };
    if !takes.contains(&gateway) {
        return Err(HError::new(FAILED, "incorrect gateway type"));
    }
    if !wechat && opts.get("profitSharing").is_some() {
        return Err(HError::bad_param("profitSharing", "only WeChat payments can be shared"));
    }
    let fields = if wechat { fields } else { fields.get(..fields.len() - usize::from(mini)).unwrap_or(fields) };
    let checked = check_object(fields, opts, what, "")?;
    let mut out: Vec<(&str, &Value)> = Vec::new();
    if mini {
        // The caller's order (`checked` is in table order).
        if let Value::Object(entries) = opts {
            for (k, _) in entries {
                if let Some((key, v)) = checked.iter().find(|(c, _)| c == k) {
                    out.push((wire(key), v));
                }
            }
        }
    } else {
        out.extend(checked.iter().map(|(k, v)| (wire(k), *v)));
    }
    let gateway_value = Value::String(gateway.into());
    if mini {
        out.push(("gateway_type", &gateway_value));
    }
    Ok(json_object(out))
}

/// `order.waitForPayment(transactionID, options)`'s options: how long to
/// wait in all, how often to read the order (reads at least 500 ms apart,
/// one at a time: never a flood), and the caller's `signal` (checked at the
/// boundary). The polling loop is the shell's (`payment.js`).
const WAIT: &[Field] =
    &[Field("timeout", &Ms(1), &Optional), Field("interval", &Ms(500), &Optional), Field("signal", &Signal, &Optional)];
/// `waitForPayment`'s `timeout` when none is given (ms): five minutes.
pub const WAIT_TIMEOUT_MS: u32 = 300_000;
/// `waitForPayment`'s `interval` when none is given (ms).
pub const WAIT_INTERVAL_MS: u32 = 2_000;

/// Checks `waitForPayment`'s options: the 605 naming the field
/// (`options.interval`), before anything is sent. Returns the timeout and
/// interval the wait uses, as checked (absent: the defaults
/// [`WAIT_TIMEOUT_MS`] and [`WAIT_INTERVAL_MS`]): the shell's loop uses
/// these, never a second read of the options.
pub fn check_wait(options: &Value) -> Result<[f64; 2], HError> {
    if !matches!(options, Value::Undefined) {
        check_object(WAIT, options, "options", "options.")?;
    }
    let ms = |key, default: u32| match options.get(key) {
        Some(Value::Number(n)) => n.value,
        _ => default.into(),
    };
    Ok([ms("timeout", WAIT_TIMEOUT_MS), ms("interval", WAIT_INTERVAL_MS)])
}

#[cfg(test)]
mod tests {
    use super::*;

    fn o(pairs: Vec<(&str, Value)>) -> Value {
        Value::obj(pairs)
    }

    fn web(gateway: &str, more: Vec<(&str, Value)>) -> Value {
        let mut p = vec![
            ("totalCost", Value::num_repr(0.1, "0.1")),
            ("merchandiseDescription", Value::str("深蓝色秋裤")),
            ("gatewayType", Value::str(gateway)),
        ];
        p.extend(more);
        o(p)
    }

    fn err(call: Call, platform: Platform, v: &Value) -> (u16, String) {
        let e = body(call, platform, v).unwrap_err();
        (e.code, e.text)
    }

    #[test]
    fn web_bodies_in_minapp_sdk_order() {
        let all = web(
            "weixin_tenpay_native",
            vec![
                ("profitSharing", Value::Bool(true)),
                ("merchandiseSnapshot", o(vec![("a", Value::num(1.0))])),
                ("merchandiseRecordID", Value::str("r1")),
                ("merchandiseSchemaID", Value::num(12.0)),
            ],
        );
        assert_eq!(
            body(Call::PayWithWechat, Platform::Web, &all).unwrap(),
            r#"{"gateway_type":"weixin_tenpay_native","total_cost":0.1,"merchandise_description":"深蓝色秋裤","merchandise_schema_id":12,"merchandise_record_id":"r1","merchandise_snapshot":{"a":1},"profit_sharing":true}"#
        );
        assert_eq!(
            body(Call::PayWithAlipay, Platform::Node, &web("alipay_wap", vec![])).unwrap(),
            r#"{"gateway_type":"alipay_wap","total_cost":0.1,"merchandise_description":"深蓝色秋裤"}"#
        );
    }

    #[test]
    fn gateways_are_checked_first_with_608() {
        for (call, g) in [
            (Call::PayWithWechat, "alipay_page"),
            (Call::PayWithWechat, "weixin_tenpay"),
            (Call::PayWithAlipay, "weixin_tenpay_js"),
            (Call::PayWithAlipay, "alipay"),
            (Call::PayWithQQ, "qpay"),
            (Call::PayWithQQ, ""),
        ] {
            // A bad amount, no description and an unknown key too: the gateway is checked first.
            let v = o(vec![("gatewayType", Value::str(g)), ("totalCost", Value::num(-1.0)), ("x", Value::Null)]);
            assert_eq!(err(call, Platform::Web, &v), (608, "incorrect gateway type".into()), "{call:?} {g}");
        }
        let no_gateway = o(vec![("totalCost", Value::num(1.0)), ("merchandiseDescription", Value::str("d"))]);
        assert_eq!(err(Call::PayWithQQ, Platform::Web, &no_gateway).0, 608);
        assert_eq!(err(Call::PayWithQQ, Platform::Web, &Value::Undefined), (605, "options: must be an object".into()));
        for g in WECHAT_GATEWAYS {
            assert!(body(Call::PayWithWechat, Platform::Web, &web(g, vec![])).is_ok());
        }
    }

    #[test]
    fn fields_are_checked_and_named() {
        const DECIMAL: &str = "totalCost: must be a number or a decimal string greater than 0 with at most 2 decimals";
        let cases: Vec<(&str, Value, &str)> = vec![
            ("totalCost", Value::num(0.0), "totalCost: must be a number greater than 0 with at most 2 decimals"),
            (
                "totalCost",
                Value::num_repr(1.005, "1.005"),
                "totalCost: must be a number greater than 0 with at most 2 decimals",
            ),
            ("totalCost", Value::str("1.005"), DECIMAL),
            ("totalCost", Value::str("0"), DECIMAL),
            ("totalCost", Value::str(" 1"), DECIMAL),
            ("totalCost", Value::str("1e3"), DECIMAL),
            ("totalCost", Value::str("01"), DECIMAL),
            ("totalCost", Value::str("1."), DECIMAL),
            ("totalCost", Value::str("-1"), DECIMAL),
            ("totalCost", Value::str("1000000000000.01"), "totalCost: is too large (at most 1000000000000 yuan)"),
            ("totalCost", Value::Bool(true), "totalCost: must be a number greater than 0 with at most 2 decimals"),
            ("merchandiseDescription", Value::str(""), "merchandiseDescription: must be a non-empty string"),
            ("merchandiseDescription", Value::num(1.0), "merchandiseDescription: must be a non-empty string"),
            ("merchandiseSchemaID", Value::num_repr(1.5, "1.5"), "merchandiseSchemaID: must be a positive integer"),
            ("merchandiseSchemaID", Value::str("12"), "merchandiseSchemaID: must be a positive integer"),
            ("merchandiseRecordID", Value::num(12.0), "merchandiseRecordID: must be a string"),
            ("merchandiseSnapshot", Value::Array(vec![]), "merchandiseSnapshot: must be a plain object"),
            ("merchandiseSnapshot", Value::str("{}"), "merchandiseSnapshot: must be a plain object"),
            ("profitSharing", Value::str("true"), "profitSharing: must be a boolean"),
            ("profitsharing", Value::Bool(true), "unknown field profitsharing"),
        ];
        for (k, v, want) in cases {
            let mut p = vec![("gatewayType", Value::str("weixin_tenpay_native"))];
            for (key, val) in [("totalCost", Value::num(1.0)), ("merchandiseDescription", Value::str("d"))] {
                if key != k {
                    p.push((key, val));
                }
            }
            p.push((k, v));
            assert_eq!(err(Call::PayWithWechat, Platform::Web, &o(p)), (605, want.into()), "{k}");
        }
        let missing = o(vec![("gatewayType", Value::str("qpay_native")), ("totalCost", Value::num(1.0))]);
        assert_eq!(err(Call::PayWithQQ, Platform::Web, &missing).1, "merchandiseDescription: is required");
        let missing = o(vec![("gatewayType", Value::str("qpay_native")), ("merchandiseDescription", Value::str("d"))]);
        assert_eq!(err(Call::PayWithQQ, Platform::Web, &missing).1, "totalCost: is required");
    }

    #[test]
    fn amounts_as_numbers_or_decimal_strings() {
        for ok in ["15", "0.1", "0.01", "15.5", "15.50", "1000000000000", "1000000000000.00", "999999999999.99"] {
            let v = web("alipay_page", vec![]);
            let Value::Object(mut e) = v else { unreachable!() };
            e[0].1 = Value::str(ok);
            let b = body(Call::PayWithAlipay, Platform::Web, &Value::Object(e)).unwrap();
            assert!(b.contains(&format!(r#""total_cost":"{ok}""#)), "{b}");
        }
        let b = body(Call::PayWithAlipay, Platform::Web, &web("alipay_page", vec![])).unwrap();
        assert!(b.contains(r#""total_cost":0.1,"#), "{b}");
    }

    #[test]
    fn profit_sharing_only_on_wechat() {
        for (call, g) in [(Call::PayWithAlipay, "alipay_page"), (Call::PayWithQQ, "qpay_native")] {
            for v in [Value::Bool(true), Value::Bool(false)] {
                let t = err(call, Platform::Web, &web(g, vec![("profitSharing", v)]));
                assert_eq!(t, (605, "profitSharing: only WeChat payments can be shared".into()));
            }
        }
        let p = o(vec![
            ("totalCost", Value::num(1.0)),
            ("merchandiseDescription", Value::str("d")),
            ("profitSharing", Value::Bool(true)),
        ]);
        assert_eq!(
            err(Call::Pay, Platform::Alipay, &p),
            (605, "profitSharing: only WeChat payments can be shared".into())
        );
        assert!(body(Call::Pay, Platform::Wechat, &p).is_ok());
    }

    #[test]
    fn mini_program_bodies_keep_the_callers_order() {
        let p = o(vec![
            ("merchandiseDescription", Value::str("深蓝色秋裤")),
            ("profitSharing", Value::Bool(true)),
            ("totalCost", Value::num_repr(0.1, "0.1")),
            ("merchandiseSchemaID", Value::Undefined),
        ]);
        assert_eq!(
            body(Call::Pay, Platform::Wechat, &p).unwrap(),
            r#"{"merchandise_description":"深蓝色秋裤","profit_sharing":true,"total_cost":0.1,"gateway_type":"weixin_tenpay"}"#
        );
        let p = o(vec![("totalCost", Value::str("2")), ("merchandiseDescription", Value::str("d"))]);
        assert_eq!(
            body(Call::Pay, Platform::Alipay, &p).unwrap(),
            r#"{"total_cost":"2","merchandise_description":"d","gateway_type":"alipay"}"#
        );
        let g = o(vec![
            ("totalCost", Value::num(1.0)),
            ("merchandiseDescription", Value::str("d")),
            ("gatewayType", Value::str("x")),
        ]);
        assert_eq!(err(Call::Pay, Platform::Wechat, &g), (605, "unknown field gatewayType".into()));
        assert_eq!(err(Call::Pay, Platform::Wechat, &Value::Null), (605, "params: must be an object".into()));
        assert_eq!(err(Call::Pay, Platform::Web, &p).0, 611);
        assert_eq!(err(Call::Pay, Platform::Node, &p).0, 611);
    }

    /// waitForPayment's options: each field's 605 naming it, unknown keys
    /// refused; the signal only passes (the boundary checks it).
    #[test]
    fn wait_options_are_checked() {
        assert_eq!(WAIT_TIMEOUT_MS, 300_000);
        assert_eq!(WAIT_INTERVAL_MS, 2_000);
        // What was checked is what the wait uses: the defaults for those absent.
        assert_eq!(check_wait(&Value::Undefined), Ok([300_000.0, 2_000.0]));
        assert_eq!(check_wait(&o(vec![])), Ok([300_000.0, 2_000.0]));
        let both = o(vec![("timeout", Value::num(1.0)), ("interval", Value::num(500.0))]);
        assert_eq!(check_wait(&both), Ok([1.0, 500.0]));
        let max = o(vec![("timeout", Value::num(2_147_483_647.0)), ("interval", Value::num(2_147_483_647.0))]);
        assert_eq!(check_wait(&max), Ok([2_147_483_647.0, 2_147_483_647.0]));
        assert_eq!(
            check_wait(&o(vec![("signal", o(vec![])), ("interval", Value::num(900.0))])),
            Ok([300_000.0, 900.0])
        );
        let bad = |v: Value| {
            let e = check_wait(&v).unwrap_err();
            (e.code, e.message(), e.field().map(String::from))
        };
        for (v, field, text) in [
            (Value::num(100.0), "interval", "must be an integer from 500 to 2147483647 (ms)"),
            (Value::num(500.5), "interval", "must be an integer from 500 to 2147483647 (ms)"),
            (Value::num(2_147_483_648.0), "interval", "must be an integer from 500 to 2147483647 (ms)"),
            (Value::str("2000"), "interval", "must be an integer from 500 to 2147483647 (ms)"),
            (Value::num(0.0), "timeout", "must be an integer from 1 to 2147483647 (ms)"),
            (Value::num(-1.0), "timeout", "must be an integer from 1 to 2147483647 (ms)"),
            (Value::num(f64::INFINITY), "timeout", "must be an integer from 1 to 2147483647 (ms)"),
            (Value::Null, "timeout", "must be an integer from 1 to 2147483647 (ms)"),
        ] {
            let name = format!("options.{field}");
            assert_eq!(bad(o(vec![(field, v)])), (605, format!("605: {name}: {text}"), Some(name)));
        }
        assert_eq!(
            bad(o(vec![("every", Value::num(1.0))])),
            (605, "605: unknown field options.every".into(), Some("options.every".into()))
        );
        for v in [Value::Null, Value::num(5.0), Value::str("x"), Value::Array(vec![])] {
            assert_eq!(bad(v), (605, "605: options: must be an object".into(), Some("options".into())));
        }
    }
}
