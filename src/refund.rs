//! Validation and body of `BaaS.refund(data)`.

#[allow(unused_imports)]
use crate::prelude::*;

use crate::error::HError;
use crate::options::{check_object, Either, Field, Money, Optional, Positive, Str, Text};
use crate::value::{json_object, Value};

/// `BaaS.refund(data)`'s fields, in the documented order.
const REFUND: &[Field] = &[
    Field("refund_amount", &Money, &Optional),
    Field("order_id", &Positive, &Optional),
    Field("trade_no", &Str, &Optional),
    Field("transaction_no", &Str, &Either("order_id", "trade_no")),
    Field("memo", &Text, &Optional),
];

/// Validates `BaaS.refund(data)` and returns the JSON body: exactly the
/// documented fields present, in documented order (`refund_amount`,
/// `order_id`, `trade_no`, `transaction_no`, `memo`).
///
/// Rules: `data` is an object; at least one of `order_id` (positive safe
/// integer), `trade_no`, `transaction_no` (non-empty strings);
/// `refund_amount` optional, a number > 0 with at most 2 decimals (checked
/// on its JS decimal text, [`crate::options::check_amount`]); `memo` optional string; any
/// other key is a 605 (`unknown field <key>`), so a typo never refunds the
/// whole order. The fields are a table ([`REFUND`]) of
/// [`crate::options`]' checker, which checks them in that order.
pub fn refund_body(data: &Value) -> Result<String, HError> {
    let fields = check_object(REFUND, data, "data", "")?;
    Ok(json_object(fields.iter().map(|(k, v)| (*k, *v))))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn body(pairs: Vec<(&str, Value)>) -> Result<String, HError> {
        refund_body(&Value::obj(pairs))
    }

    #[test]
    fn seed_examples() {
        assert_eq!(
            body(vec![("order_id", Value::num(29973.0)), ("memo", Value::str("测试退款"))]).unwrap(),
            r#"{"order_id":29973,"memo":"测试退款"}"#
        );
        assert_eq!(
            body(vec![("trade_no", Value::str("1gAtaEFcmu6DyHm5b0ycBSmNO302NGzA")), ("memo", Value::str("测试退款"))])
                .unwrap(),
            r#"{"trade_no":"1gAtaEFcmu6DyHm5b0ycBSmNO302NGzA","memo":"测试退款"}"#
        );
        assert_eq!(body(vec![("transaction_no", Value::str("x\"y"))]).unwrap(), r#"{"transaction_no":"x\"y"}"#);
    }

    #[test]
    fn documented_order_and_amounts() {
        assert_eq!(
            body(vec![
                ("memo", Value::str("m")),
                ("transaction_no", Value::str("t")),
                ("trade_no", Value::str("n")),
                ("order_id", Value::num(1.0)),
                ("refund_amount", Value::num_repr(0.1, "0.1")),
                ("skipped", Value::Undefined),
            ])
            .unwrap(),
            r#"{"refund_amount":0.1,"order_id":1,"trade_no":"n","transaction_no":"t","memo":"m"}"#
        );
        for (v, r) in [
            (0.01, "0.01"),
            (1.0, "1"),
            (12.5, "12.5"),
            (398.0, "398"),
            (1e12, "1000000000000"),
            (999_999_999_999.99, "999999999999.99"),
        ] {
            assert!(body(vec![("order_id", Value::num(1.0)), ("refund_amount", Value::num_repr(v, r))]).is_ok(), "{r}");
        }
    }

    #[test]
    fn bad_amounts_are_rejected() {
        for (v, r) in [
            (1.005, "1.005"),
            (1e-7, "1e-7"),
            (0.0, "0"),
            (-1.0, "-1"),
            (1e21, "1e+21"),
            (1e20, "100000000000000000000"),
            (92_233_720_368_547.77, "92233720368547.77"),
            (1_000_000_000_000.01, "1000000000000.01"),
            (f64::NAN, "NaN"),
            (f64::INFINITY, "Infinity"),
            (0.001, "0.001"),
            (1.0, "1."),
            (0.5, ".5"),
            (1.2, "1.2.3"),
            (1.0, "1.0e+1"),
        ] {
            let e = body(vec![("order_id", Value::num(1.0)), ("refund_amount", Value::num_repr(v, r))]).unwrap_err();
            assert_eq!(e.code, 605);
            assert!(e.text.starts_with("refund_amount:"), "{r}: {}", e.text);
        }
        for v in [Value::str("1"), Value::Null, Value::Bool(true)] {
            let e = body(vec![("order_id", Value::num(1.0)), ("refund_amount", v)]).unwrap_err();
            assert!(e.text.starts_with("refund_amount:"));
        }
    }

    #[test]
    fn identifiers_and_fields() {
        let e = body(vec![("memo", Value::str("m"))]).unwrap_err();
        assert_eq!(e.text, "order_id/trade_no/transaction_no: at least one is required");
        let e = refund_body(&Value::obj(vec![])).unwrap_err();
        assert!(e.text.starts_with("order_id/trade_no/transaction_no:"));
        // The identifiers are checked before `memo` (the table's order).
        let e = body(vec![("memo", Value::num(1.0))]).unwrap_err();
        assert_eq!(e.text, "order_id/trade_no/transaction_no: at least one is required");
        let e = body(vec![("transaction_no", Value::str("")), ("memo", Value::num(1.0))]).unwrap_err();
        assert_eq!(e.text, "transaction_no: must be a non-empty string");
        for v in [
            Value::num(0.0),
            Value::num(-3.0),
            Value::num(1.5),
            Value::num(9007199254740992.0),
            Value::str("12"),
            Value::Null,
        ] {
            let e = body(vec![("order_id", v)]).unwrap_err();
            assert!(e.text.starts_with("order_id:"), "{}", e.text);
        }
        for k in ["trade_no", "transaction_no"] {
            for v in [Value::str(""), Value::num(1.0), Value::Null] {
                let e = body(vec![(k, v)]).unwrap_err();
                assert!(e.text.starts_with(&format!("{k}:")), "{}", e.text);
            }
        }
        let e = body(vec![("order_id", Value::num(1.0)), ("memo", Value::num(1.0))]).unwrap_err();
        assert!(e.text.starts_with("memo:"));
        for v in [Value::Undefined, Value::Null, Value::str("x"), Value::Array(vec![])] {
            let e = refund_body(&v).unwrap_err();
            assert!(e.text.starts_with("data:"));
        }
    }

    #[test]
    fn typo_never_refunds_everything() {
        let e = body(vec![("order_id", Value::num(1.0)), ("refund_amout", Value::num(1.0))]).unwrap_err();
        assert_eq!(e.code, 605);
        assert_eq!(e.text, "unknown field refund_amout");
    }
}
