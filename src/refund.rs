//! Validation and body of `BaaS.refund(data)`.

#[allow(unused_imports)]
use crate::prelude::*;

use crate::error::HError;
use crate::value::Value;

/// Validates `BaaS.refund(data)` and returns the JSON body: exactly the
/// documented fields present, in documented order (`refund_amount`,
/// `order_id`, `trade_no`, `transaction_no`, `memo`).
///
/// Rules: `data` is an object; at least one of `order_id` (positive safe
/// integer), `trade_no`, `transaction_no` (non-empty strings);
/// `refund_amount` optional, a number > 0 with at most 2 decimals (checked
/// on its JS decimal text, [`check_amount`]); `memo` optional string; any
/// other key is a 605 (`unknown field <key>`), so a typo never refunds the
/// whole order. The fields are a table of [`crate::sharing`]'s checker
/// (`REFUND`), which checks them in that order.
pub fn refund_body(data: &Value) -> Result<String, HError> {
    crate::sharing::refund_body(data)
}

/// `refund_amount` in yuan: finite, > 0, at most 1e12, at most 2 decimals in
/// its JS text (`"0.1"` ok, `"1.005"`, `"1e-7"`, `"1e+21"` and
/// `"92233720368547.77"` rejected).
pub(crate) fn check_amount(v: &Value, name: &str) -> Result<(), HError> {
    const REASON: &str = "must be a number greater than 0 with at most 2 decimals";
    let n = match v {
        Value::Number(n) if n.value.is_finite() && n.value > 0.0 => n,
        _ => return Err(HError::bad_param(name, REASON)),
    };
    // Above this a number with 2 decimals no longer has an exact cent in
    // binary floating point (JS turns 92233720368547.76 into …47.77): the
    // amount sent would not be the amount typed.
    const MAX_YUAN: f64 = 1e12;
    if n.value > MAX_YUAN || crate::encode::find(&n.repr, "e+").is_some() {
        return Err(HError::bad_param(name, "is too large (at most 1000000000000 yuan)"));
    }
    // Digits, optionally one `.` followed by 1 or 2 digits.
    let mut int_digits = 0;
    let mut frac_digits: Option<usize> = None;
    let mut ok = true;
    for &b in n.repr.as_bytes() {
        match (b, &mut frac_digits) {
            (b'0'..=b'9', Some(f)) => *f += 1,
            (b'0'..=b'9', None) => int_digits += 1,
            (b'.', None) => frac_digits = Some(0),
            _ => ok = false,
        }
    }
    let ok = ok && int_digits > 0 && frac_digits.is_none_or(|f| (1..=2).contains(&f));
    if ok {
        Ok(())
    } else {
        Err(HError::bad_param(name, REASON))
    }
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
