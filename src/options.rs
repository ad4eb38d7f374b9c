//! Option tables and their checker: every call that takes an options object
//! describes it as one table of [`Field`]s (the key, its [`Rule`], when it
//! is [`Need`]ed), and [`check_object`] walks it, so each rule exists once
//! and a call's options cost data, not code, in the wasm. The tables live
//! with their calls (`refund`, `sharing`, `payment`); [`crate::call`] finds
//! a call's table by its endpoint key and builds the body or query.

#[allow(unused_imports)]
use crate::prelude::*;

use crate::error::{cat, push_num, HError};
use crate::limits::MAX_RECEIVERS;
use crate::value::Value;

/// What a field must hold.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Rule {
    /// A non-empty string.
    Str,
    /// One of these strings.
    OneOf(&'static [&'static str]),
    /// A positive safe integer: fen, or an id.
    Positive,
    /// An integer in `1..=max`.
    Upto(u32),
    /// A non-empty string of at most `max` characters, each a letter, a digit
    /// or one of `extra`.
    Code(usize, &'static str),
    /// A non-empty array of at most `.1` objects, each checked against the fields.
    Items(&'static [Field], usize),
    /// A string, empty or not.
    Text,
    /// An amount in yuan, on its JS decimal text ([`check_amount`]).
    Money,
    /// An amount in yuan given as a number or as a decimal string
    /// ([`check_cost`]).
    Cost,
    /// One of the strings `.0`; the string `.1` is refused with the reason
    /// `.2` (a retired value).
    OneOfBut(&'static (&'static [&'static str], &'static str, &'static str)),
    /// Receivers: [`Rule::Items`] of these fields, at most
    /// [`MAX_RECEIVERS`], where each item's `type` and `account` appear once
    /// (a second item naming them again is refused, naming its `account`).
    Receivers(&'static [Field]),
    /// A plain object (arrays refused).
    Obj,
    /// A boolean.
    Bool,
    /// A JS timer's delay: an integer number of milliseconds from `.0` to
    /// 2147483647 (`i32::MAX`, the longest a timer waits).
    Ms(u32),
    /// An `AbortSignal`: only the JS boundary can tell one, and checks it.
    Signal,
}

/// When a field must be present.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Need {
    Required,
    Optional,
    /// Required unless the field `.0` holds `.1`.
    Unless(&'static str, &'static str),
    /// Required when the field `.0` holds `.1`.
    When(&'static str, &'static str),
    /// Required unless the field `.0` or `.1` is present: then the 605 names
    /// all three (`a/b/c: at least one is required`).
    Either(&'static str, &'static str),
}

/// One row of a table: the key, what it must hold, when it must be present.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Field(pub(crate) &'static str, pub(crate) &'static Rule, pub(crate) &'static Need);

/// Why a receiver named a second time is refused.
const ONCE: &str = "names an earlier receiver again: one line per receiver in a sharing, its amounts added up";

pub(crate) use Need::{Either, Optional, Required, Unless, When};
pub(crate) use Rule::{
    Bool, Code, Cost, Items, Money, Ms, Obj, OneOf, OneOfBut, Positive, Receivers, Signal, Str, Text, Upto,
};

/// Checks the object `obj` against the table `fields` and returns the fields
/// present, in table order. 605 naming the field (`prefix` + key, e.g.
/// `receivers[0].name`) on the first failure; unknown keys are refused;
/// `what` names `obj` itself (`options`, `params`, `data`).
pub(crate) fn check_object<'a>(
    fields: &'static [Field],
    obj: &'a Value,
    what: &str,
    prefix: &str,
) -> Result<Vec<(&'static str, &'a Value)>, HError> {
    let keys: Vec<&str> = fields.iter().map(|f| f.0).collect();
    obj.known_entries(&keys, what, prefix)?;
    let mut out = Vec::new();
    for &Field(key, &rule, &need) in fields {
        let name = cat(&[prefix, key]);
        let holds = |k: &str, v: &str| obj.get(k).and_then(Value::as_str) == Some(v);
        let required = match need {
            Required => true,
            Optional => false,
            Unless(k, v) => !holds(k, v),
            When(k, v) => holds(k, v),
            Either(a, b) => obj.get(a).is_none() && obj.get(b).is_none(),
        };
        match obj.get(key) {
            None if required => {
                let reason = match need {
                    Unless(k, v) => cat(&["is required when ", k, " is not ", v]),
                    When(k, v) => cat(&["is required when ", k, " is ", v]),
                    Either(a, b) => {
                        return Err(HError::bad_param(&cat(&[a, "/", b, "/", &name]), "at least one is required"))
                    }
                    _ => "is required".into(),
                };
                return Err(HError::bad_param(&name, &reason));
            }
            None => {}
            Some(v) => {
                check_value(rule, v, &name)?;
                out.push((key, v));
            }
        }
    }
    Ok(out)
}

fn check_value(rule: Rule, v: &Value, name: &str) -> Result<(), HError> {
    let text = v.as_str().unwrap_or_default();
    let bad = |reason: &str| Err(HError::bad_param(name, reason));
    match rule {
        Str if text.is_empty() => bad("must be a non-empty string"),
        OneOf(values) if !values.contains(&text) => bad(&one_of(values)),
        OneOfBut((_, retired, reason)) if text == *retired => bad(reason),
        OneOfBut((values, _, _)) if !values.contains(&text) => bad(&one_of(values)),
        Text if !matches!(v, Value::String(_)) => bad("must be a string"),
        Money => check_amount(v, name),
        Cost => check_cost(v, name),
        Obj if !matches!(v, Value::Object(_)) => bad("must be a plain object"),
        Bool if !matches!(v, Value::Bool(_)) => bad("must be a boolean"),
        Positive => match v {
            Value::Number(n) if n.is_positive_safe_integer() => Ok(()),
            _ => bad("must be a positive integer"),
        },
        Upto(max) => between(v, 1, max, "", name),
        Ms(min) => between(v, min, i32::MAX as u32, " (ms)", name),
        Code(max, extra) => {
            // Every allowed character is ASCII, so bytes are characters here.
            let ok = !text.is_empty()
                && text.len() <= max
                && text.bytes().all(|b| b.is_ascii_alphanumeric() || extra.bytes().any(|e| e == b));
            if ok {
                return Ok(());
            }
            let mut reason = String::from("must be 1 to ");
            push_num(&mut reason, max as u64);
            reason.push_str(" characters of 0-9 a-z A-Z ");
            for &b in extra.as_bytes() {
                reason.push(char::from(b));
                reason.push(' ');
            }
            reason.pop();
            bad(&reason)
        }
        Items(_, max) if matches!(v, Value::Array(items) if items.len() > max) => {
            let mut reason = String::from("must hold at most ");
            push_num(&mut reason, max as u64);
            bad(&reason)
        }
        Receivers(fields) => {
            check_value(Items(fields, MAX_RECEIVERS), v, name)?;
            let Value::Array(items) = v else { return Ok(()) };
            fn key(r: &Value) -> (Option<&str>, Option<&str>) {
                (r.get("type").and_then(Value::as_str), r.get("account").and_then(Value::as_str))
            }
            for (i, r) in items.iter().enumerate() {
                if items.iter().take(i).any(|p| key(p) == key(r)) {
                    let mut at = cat(&[name, "["]);
                    push_num(&mut at, i as u64);
                    at.push_str("].account");
                    return Err(HError::bad_param(&at, ONCE));
                }
            }
            Ok(())
        }
        Items(fields, _) => match v {
            Value::Array(items) if !items.is_empty() => {
                for (i, item) in items.iter().enumerate() {
                    let mut at = cat(&[name, "["]);
                    push_num(&mut at, i as u64);
                    at.push(']');
                    check_object(fields, item, &at, &cat(&[&at, "."]))?;
                }
                Ok(())
            }
            _ => bad("must be a non-empty array"),
        },
        _ => Ok(()),
    }
}

/// An integer from `min` to `max`, else the 605 naming `name` with the
/// range (and `unit`) as its reason.
fn between(v: &Value, min: u32, max: u32, unit: &str, name: &str) -> Result<(), HError> {
    match v {
        Value::Number(n) if n.is_integer() && n.value >= f64::from(min) && n.value <= f64::from(max) => Ok(()),
        _ => {
            let mut reason = String::from("must be an integer from ");
            push_num(&mut reason, min.into());
            reason.push_str(" to ");
            push_num(&mut reason, max.into());
            reason.push_str(unit);
            Err(HError::bad_param(name, &reason))
        }
    }
}

/// `must be one of a, b, c`.
pub(crate) fn one_of(values: &[&str]) -> String {
    let mut s = String::from("must be one of ");
    for (i, v) in values.iter().enumerate() {
        if i > 0 {
            s.push_str(", ");
        }
        s.push_str(v);
    }
    s
}

/// An amount in yuan (`refund_amount`, a number `totalCost`): finite, > 0, at most 1e12, at most 2 decimals in
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

/// `totalCost`: a number (its JS text) or a decimal string, > 0 yuan with at
/// most 2 decimals, at most 1e12 ([`check_amount`]'s rules).
pub(crate) fn check_cost(v: &Value, name: &str) -> Result<(), HError> {
    match v {
        Value::String(s) => {
            // Digits (no leading zero but "0.x"), then "." and 1 or 2 digits;
            // a nonzero digit somewhere; then the number's own rules.
            // (`encode::find` rather than `split_once`: no `str` searcher in the wasm.)
            let (int, frac) = match crate::encode::find(s, ".") {
                Some(i) => (s.get(..i).unwrap_or_default(), s.get(i + 1..).unwrap_or_default()),
                None => (s.as_str(), ""),
            };
            let digits = |t: &str| t.bytes().all(|b| b.is_ascii_digit());
            let ok = !int.is_empty()
                && digits(int)
                && digits(frac)
                && (int == "0" || !int.starts_with('0'))
                && (s.len() == int.len() || (1..=2).contains(&frac.len()))
                && s.bytes().any(|b| (b'1'..=b'9').contains(&b));
            if !ok {
                return Err(HError::bad_param(
                    name,
                    "must be a number or a decimal string greater than 0 with at most 2 decimals",
                ));
            }
            if int.len() > 13 || (int.len() == 13 && (int != "1000000000000" || frac.bytes().any(|b| b != b'0'))) {
                return Err(HError::bad_param(name, "is too large (at most 1000000000000 yuan)"));
            }
            Ok(())
        }
        _ => check_amount(v, name),
    }
}
