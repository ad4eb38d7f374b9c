//! `BaaS.Query`'s rules: what each of minapp-sdk's query methods takes on an
//! order field, and the conditions it adds, written as minapp-sdk's
//! `queryObject` holds them (`{"<field>":{"$<op>":<value>}}`).
//!
//! The JS shell (`pkg-template/src/query.js`) records the calls and keeps
//! the object, as minapp-sdk does: it appends the conditions written here to
//! the query's `$and`, and a join (`Query.and` / `Query.or`) holds the joined
//! queries' objects themselves, so a condition added to one later is in the
//! join. Every check is here: a refused call is a 605 naming the field (the
//! order field the condition is on, or `Query.<method>` when the field names
//! themselves are wrong), a method of minapp-sdk's that no order field has is
//! a 611. `order.setQuery` then sends the object as `where`
//! ([`super::OrderQuery::set_where`], within the input budget).

#[allow(unused_imports)]
use crate::prelude::*;

use crate::error::{cat, HError, UNSUPPORTED};
use crate::limits::TOO_LONG;
use crate::value::{write_json_str, Value};

/// `BaaS.Query`'s methods, named as in minapp-sdk: the shell defines each
/// and hands every call to [`call`] (`cargo xtask pack` writes this list into
/// its `tables.js`). The last seven take arrays, GeoJSON, object fields or
/// regexes, which no order field is: [`call`] answers them with a 611.
pub const METHODS: [&str; 15] = [
    "compare",
    "contains",
    "in",
    "notIn",
    "isNull",
    "isNotNull",
    "exists",
    "notExists",
    "matches",
    "arrayContains",
    "include",
    "within",
    "withinCircle",
    "withinRegion",
    "hasKey",
];

/// What `in` and `notIn` take (100: the input budget's array cap, `MAX_ARRAY`).
const LIST: &str = "needs an array of at most 100, each a string, a finite number, a boolean or null";
/// What the null and existence checks take.
const FIELDS: &str = "needs a field name or an array of at most 100";

static UNDEFINED: Value = Value::Undefined;
static TRUE: Value = Value::Bool(true);
static FALSE: Value = Value::Bool(false);

/// `key` is `Query.<method>`, `args` the call's arguments as the JS
/// boundary read them, within the input budget (the one the budget refused
/// is `Value::Other` with the budget's reason, and the read stopped there):
/// the conditions the call appends to the query's `$and`, as the JSON of an
/// array (`Some`); or, for `Query.and` / `Query.or` (whose arguments are the
/// joined queries' objects, `undefined` for an argument that is no
/// `BaaS.Query`), `None` once each is an object. The first refusal is the
/// error (a 605 naming the field, or for a method no order field has a
/// 611), and then nothing is appended.
pub fn call(key: &str, args: &[Value]) -> Result<Option<String>, HError> {
    write(key, args).map_err(|(field, reason)| match reason {
        Some(reason) => HError::bad_param(field, reason),
        None => HError::new(UNSUPPORTED, cat(&[key, " does not apply to orders"])),
    })
}

/// [`call`]'s rules; a refusal is the field it names and the reason, `None`
/// for a 611.
fn write<'a>(key: &'a str, args: &'a [Value]) -> Result<Option<String>, (&'a str, Option<&'static str>)> {
    let arg = |i: usize| args.get(i).unwrap_or(&UNDEFINED);
    // Why `v` is refused: what the argument `needs`, but for a string past
    // the input budget's cap, which is refused as such.
    let why = |v: &Value, needs| Some(if matches!(v, Value::Other(r) if *r == TOO_LONG) { TOO_LONG } else { needs });
    let (op, operand, needs, accept, many): (_, _, _, fn(&Value) -> bool, _) = match key {
        "Query.and" | "Query.or" => {
            return match args.iter().find(|q| !matches!(q, Value::Object(_))) {
                None => Ok(None),
                Some(v) => Err((key, why(v, "takes at most 100 BaaS.Query arguments"))),
            };
        }
        "Query.compare" => (
            // `compare`'s operators, and the ones minapp-sdk sends for them
            // (a match: 58 B gzip less than a table searched).
            match arg(1) {
                Value::String(o) => match o.as_str() {
                    "=" => Some("$eq"),
                    "!=" => Some("$ne"),
                    "<" => Some("$lt"),
                    "<=" => Some("$lte"),
                    ">" => Some("$gt"),
                    ">=" => Some("$gte"),
                    _ => None,
                },
                _ => None,
            },
            arg(2),
            "needs a string, a finite number, a boolean or null",
            scalar,
            false,
        ),
        "Query.contains" => (Some("$contains"), arg(1), "needs a non-empty string", name_like, false),
        "Query.in" => (Some("$in"), arg(1), LIST, list, false),
        "Query.notIn" => (Some("$nin"), arg(1), LIST, list, false),
        "Query.isNull" => (Some("$isnull"), &TRUE, "", any, true),
        "Query.isNotNull" => (Some("$isnull"), &FALSE, "", any, true),
        "Query.exists" => (Some("$exists"), &TRUE, "", any, true),
        "Query.notExists" => (Some("$exists"), &FALSE, "", any, true),
        _ => return Err((key, None)),
    };
    // The field names: one, or for the null and existence checks an array of them (none: no condition).
    let fields = match arg(0) {
        Value::Array(items) if many => items.as_slice(),
        one => core::slice::from_ref(one),
    };
    let mut out = String::from("[");
    for f in fields {
        let field = match f {
            Value::String(s) if !s.is_empty() => s,
            v => return Err((key, why(v, if many { FIELDS } else { "needs a field name" }))),
        };
        let Some(op) = op else { return Err((field, why(arg(1), "needs an operator = != < <= > >="))) };
        if !accept(operand) {
            return Err((field, why(operand, needs)));
        }
        if out.len() > 1 {
            out.push(',');
        }
        out.push('{');
        write_json_str(field, &mut out);
        out.push_str(":{\"");
        out.push_str(op);
        out.push_str("\":");
        operand.write_json(&mut out);
        out.push_str("}}");
    }
    out.push(']');
    Ok(Some(out))
}

/// A string, a finite number, a boolean or `null`: what an order field holds.
fn scalar(v: &Value) -> bool {
    match v {
        Value::Null | Value::String(_) | Value::Bool(_) => true,
        Value::Number(n) => n.value.is_finite(),
        _ => false,
    }
}

/// An array of [`scalar`]s.
fn list(v: &Value) -> bool {
    matches!(v, Value::Array(items) if items.iter().all(scalar))
}

/// A non-empty string.
fn name_like(v: &Value) -> bool {
    matches!(v, Value::String(s) if !s.is_empty())
}

fn any(_: &Value) -> bool {
    true
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::limits::{Budget, MAX_ARRAY, TOO_MANY_ITEMS};
    use crate::order::OrderQuery;

    fn s(v: &str) -> Value {
        Value::str(v)
    }
    fn list(items: Vec<Value>) -> Value {
        Value::Array(items)
    }
    /// The JSON `key(args)` appends to `$and`.
    fn written(key: &str, args: &[Value]) -> String {
        call(key, args).unwrap().unwrap()
    }
    /// The refusal of `key(args)`: code, field, message.
    fn refusal(key: &str, args: &[Value]) -> (u16, String, String) {
        let e = call(key, args).unwrap_err();
        (e.code, e.field().unwrap_or_default().to_string(), e.message())
    }
    fn bad(field: &str, text: &str) -> (u16, String, String) {
        (605, field.to_string(), cat(&["605: ", field, ": ", text]))
    }
    /// A condition as minapp-sdk's queryObject holds it.
    fn cond(field: &str, op: &str, v: Value) -> Value {
        Value::obj(vec![(field, Value::obj(vec![(op, v)]))])
    }

    #[test]
    fn compare_writes_each_operator_as_minapp_sdk_sends_it() {
        for (js, op) in [("=", "eq"), ("!=", "ne"), ("<", "lt"), ("<=", "lte"), (">", "gt"), (">=", "gte")] {
            let got = written("Query.compare", &[s("total_cost"), s(js), Value::num_repr(299.5, "299.5")]);
            assert_eq!(got, cat(&["[{\"total_cost\":{\"$", op, "\":299.5}}]"]));
        }
        // null, a boolean, and a string escaped as JSON.stringify escapes it.
        assert_eq!(written("Query.compare", &[s("paid_at"), s("!="), Value::Null]), r#"[{"paid_at":{"$ne":null}}]"#);
        assert_eq!(
            written("Query.compare", &[s("profit_sharing"), s("="), Value::Bool(false)]),
            r#"[{"profit_sharing":{"$eq":false}}]"#
        );
        assert_eq!(
            written("Query.compare", &[s("merchandise_description"), s("="), s("会员\"月卡\"\n😀")]),
            "[{\"merchandise_description\":{\"$eq\":\"会员\\\"月卡\\\"\\n😀\"}}]"
        );
    }

    #[test]
    fn compare_refuses_a_bad_field_name_operator_or_value_naming_the_field() {
        let op = "needs an operator = != < <= > >=";
        let value = "needs a string, a finite number, a boolean or null";
        for (args, want) in [
            (vec![Value::num(7.0), s("="), Value::num(1.0)], bad("Query.compare", "needs a field name")),
            (vec![s(""), s("="), Value::num(1.0)], bad("Query.compare", "needs a field name")),
            // The field name is checked first, then the operator, then the value.
            (vec![Value::Undefined, s("=="), Value::Undefined], bad("Query.compare", "needs a field name")),
            (vec![s("status"), s("=="), s("success")], bad("status", op)),
            (vec![s("status"), Value::obj(vec![]), Value::Undefined], bad("status", op)),
            (vec![s("status"), s("=")], bad("status", value)),
            (vec![s("status"), s("="), Value::obj(vec![("a", Value::num(1.0))])], bad("status", value)),
            (vec![s("status"), s("="), list(vec![])], bad("status", value)),
            (vec![s("total_cost"), s(">"), Value::num_repr(f64::NAN, "NaN")], bad("total_cost", value)),
            (vec![s("total_cost"), s(">"), Value::num_repr(f64::INFINITY, "Infinity")], bad("total_cost", value)),
            (vec![s("status"), s("="), Value::Other("function")], bad("status", value)),
        ] {
            assert_eq!(refusal("Query.compare", &args), want, "{args:?}");
        }
    }

    #[test]
    fn contains_takes_a_non_empty_string() {
        assert_eq!(written("Query.contains", &[s("trade_no"), s("1gAt")]), r#"[{"trade_no":{"$contains":"1gAt"}}]"#);
        for v in [s(""), Value::num(1.0), Value::Null, Value::Undefined, list(vec![s("a")])] {
            assert_eq!(
                refusal("Query.contains", &[s("trade_no"), v.clone()]),
                bad("trade_no", "needs a non-empty string"),
                "{v:?}"
            );
        }
        assert_eq!(refusal("Query.contains", &[Value::Null, s("x")]), bad("Query.contains", "needs a field name"));
    }

    #[test]
    fn in_and_not_in_take_an_array_of_scalars() {
        let values = list(vec![s("alipay"), Value::num(1.0), Value::Bool(true), Value::Null]);
        assert_eq!(
            written("Query.in", &[s("gateway_type"), values.clone()]),
            r#"[{"gateway_type":{"$in":["alipay",1,true,null]}}]"#
        );
        assert_eq!(written("Query.notIn", &[s("id"), values]), r#"[{"id":{"$nin":["alipay",1,true,null]}}]"#);
        assert_eq!(written("Query.in", &[s("status"), list(vec![])]), r#"[{"status":{"$in":[]}}]"#);
        for m in ["Query.in", "Query.notIn"] {
            for v in [
                s("success"),
                Value::Undefined,
                list(vec![s("success"), list(vec![s("pending")])]),
                // A hole in a JS array is read as undefined: refused, not sent as null.
                list(vec![Value::Undefined]),
                list(vec![Value::num_repr(f64::NAN, "NaN")]),
            ] {
                assert_eq!(refusal(m, &[s("status"), v.clone()]), bad("status", LIST), "{m} {v:?}");
            }
        }
    }

    #[test]
    fn null_and_existence_checks_take_one_field_name_or_an_array_of_them() {
        assert_eq!(written("Query.isNull", &[s("paid_at")]), r#"[{"paid_at":{"$isnull":true}}]"#);
        assert_eq!(
            written("Query.isNotNull", &[list(vec![s("refund_status"), s("paid_at")])]),
            r#"[{"refund_status":{"$isnull":false}},{"paid_at":{"$isnull":false}}]"#
        );
        assert_eq!(written("Query.exists", &[s("paid_at")]), r#"[{"paid_at":{"$exists":true}}]"#);
        assert_eq!(
            written("Query.notExists", &[s("merchandise_record_id")]),
            r#"[{"merchandise_record_id":{"$exists":false}}]"#
        );
        // No field: no condition.
        assert_eq!(written("Query.isNull", &[list(vec![])]), "[]");
        for m in ["Query.isNull", "Query.isNotNull", "Query.exists", "Query.notExists"] {
            for v in [
                Value::Undefined,
                s(""),
                Value::num(1.0),
                // Every name is checked before any condition is written.
                list(vec![s("paid_at"), s("")]),
                list(vec![s("refund_status"), Value::num(7.0)]),
                list(vec![list(vec![s("paid_at")])]),
            ] {
                assert_eq!(refusal(m, std::slice::from_ref(&v)), bad(m, FIELDS), "{m} {v:?}");
            }
        }
    }

    /// The shell hands `Query.and` / `Query.or` the joined queries' objects
    /// (`undefined` for an argument that is no `BaaS.Query`, or whose
    /// `queryObject` is not an object).
    #[test]
    fn and_and_or_take_only_query_objects() {
        let q = cond("status", "$eq", s("success"));
        for key in ["Query.and", "Query.or"] {
            assert_eq!(call(key, &[q.clone(), Value::obj(vec![])]), Ok(None));
            assert_eq!(call(key, &[]), Ok(None));
            for args in [
                vec![q.clone(), Value::Undefined],
                vec![Value::Null],
                vec![list(vec![])],
                vec![q.clone(), Value::Other(UNREADABLE)],
            ] {
                assert_eq!(refusal(key, &args), bad(key, "takes at most 100 BaaS.Query arguments"), "{args:?}");
            }
        }
    }
    const UNREADABLE: &str = "unreadable (reading it threw)";

    #[test]
    fn methods_no_order_field_has_are_611() {
        for m in &METHODS[8..] {
            let key = cat(&["Query.", m]);
            let (code, field, message) = refusal(&key, &[s("trade_no"), s("x")]);
            assert_eq!((code, field.as_str()), (611, ""));
            assert_eq!(message, cat(&["611: Query.", m, " does not apply to orders"]));
        }
        // Every other method the shell defines has a rule.
        for m in &METHODS[..8] {
            let key = cat(&["Query.", m]);
            assert_eq!(call(&key, &[]).unwrap_err().code, 605, "{m}");
        }
        assert_eq!(refusal("Query.nope", &[]).0, 611);
    }

    /// What the input budget refused (`Value::Other` with its reason): a
    /// string past the cap is refused as such; anything else gets what the
    /// argument needs, which names the array cap where there is one.
    #[test]
    fn the_input_budget_refusals_name_the_field() {
        let too_long = Value::Other(crate::limits::TOO_LONG);
        assert_eq!(
            refusal("Query.contains", &[s("trade_no"), too_long.clone()]),
            bad("trade_no", "is longer than 1024 characters")
        );
        assert_eq!(
            refusal("Query.compare", &[s("status"), s("="), too_long.clone()]),
            bad("status", "is longer than 1024 characters")
        );
        assert_eq!(
            refusal("Query.compare", &[too_long.clone(), s("="), s("x")]),
            bad("Query.compare", "is longer than 1024 characters")
        );
        // A string too long inside an `in` list.
        assert_eq!(refusal("Query.in", &[s("status"), too_long]), bad("status", "is longer than 1024 characters"));
        // `new Array(2 ** 32 - 1)` and 101 values: never read, refused naming the cap.
        let too_many = Value::Other(TOO_MANY_ITEMS);
        assert_eq!(refusal("Query.in", &[s("status"), too_many.clone()]), bad("status", LIST));
        assert_eq!(refusal("Query.isNull", std::slice::from_ref(&too_many)), bad("Query.isNull", FIELDS));
        // 101 queries: the arguments themselves are past the cap.
        assert_eq!(refusal("Query.and", &[too_many]), bad("Query.and", "takes at most 100 BaaS.Query arguments"));
        // A cyclic object or one nested too deep is no value these take.
        let cyclic = Value::Other("holds more than 1000 values");
        assert_eq!(
            refusal("Query.compare", &[s("status"), s("="), cyclic.clone()]),
            bad("status", "needs a string, a finite number, a boolean or null")
        );
        assert_eq!(refusal("Query.notIn", &[s("status"), cyclic]), bad("status", LIST));
        // The texts name the budget's own cap.
        let cap = cat(&["at most ", &MAX_ARRAY.to_string(), ","]);
        assert!(LIST.contains(&cap) && cat(&[FIELDS, ","]).contains(&cap));
    }

    /// Reads `v` as the JS boundary (`js/convert.rs`) reads an argument,
    /// with the core's [`Budget`]: each value, each key and its value one
    /// level down, each string's and key's length, each array's length
    /// before its items.
    fn read(v: &Value, depth: u32, budget: &mut Budget) {
        if !budget.value(depth) {
            return;
        }
        match v {
            Value::String(s) => {
                budget.string(s.encode_utf16().count() as u32);
            }
            Value::Array(items) => {
                for item in items.iter().take(budget.array(items.len() as f64) as usize) {
                    read(item, depth + 1, budget);
                }
            }
            Value::Object(entries) => {
                for (k, v) in entries {
                    if budget.value(depth + 1) && budget.string(k.encode_utf16().count() as u32) {
                        read(v, depth + 1, budget);
                    }
                }
            }
            _ => {}
        }
    }

    /// `order.setQuery(q)`'s read of `q.queryObject`, and what it sends as `where`.
    fn set_query(query: &Value) -> Result<String, &'static str> {
        let mut budget = Budget::new();
        read(query, 0, &mut budget);
        if let Some(reason) = budget.refused {
            return Err(reason);
        }
        let mut o = OrderQuery::default();
        o.set_where(query).unwrap();
        Ok(o.where_json().unwrap().to_string())
    }

    /// The objects the shell builds from these conditions (appended to
    /// `$and`) and joins (`{"$or": [the queries' objects]}`), sent as
    /// minapp-sdk sends them; two joins deep fit the input budget's 8
    /// levels with a `compare`, not with an `in` (a 605 naming setQuery).
    #[test]
    fn joins_nest_as_minapp_sdk_sends_them_within_the_input_budget() {
        let paid = cond("status", "$eq", s("success"));
        let unpaid = cond("paid_at", "$isnull", Value::Bool(true));
        assert_eq!(written("Query.compare", &[s("status"), s("="), s("success")]), cat(&["[", &paid.to_json(), "]"]));
        assert_eq!(written("Query.isNull", &[s("paid_at")]), cat(&["[", &unpaid.to_json(), "]"]));
        let a = Value::obj(vec![("$and", list(vec![paid]))]);
        let b = Value::obj(vec![("$and", list(vec![unpaid]))]);
        assert_eq!(call("Query.or", &[a.clone(), b.clone()]), Ok(None));
        let or = Value::obj(vec![("$or", list(vec![a.clone(), b]))]);
        assert_eq!(
            set_query(&or).unwrap(),
            r#"{"$or":[{"$and":[{"status":{"$eq":"success"}}]},{"$and":[{"paid_at":{"$isnull":true}}]}]}"#
        );
        // A condition added to a join goes to its `$and`, beside the join.
        let mut joined = Value::obj(vec![("$or", list(vec![a.clone()]))]);
        if let Value::Object(entries) = &mut joined {
            entries.push(("$and".into(), list(vec![cond("gateway_type", "$eq", s("alipay"))])));
        }
        assert_eq!(
            set_query(&joined).unwrap(),
            r#"{"$or":[{"$and":[{"status":{"$eq":"success"}}]}],"$and":[{"gateway_type":{"$eq":"alipay"}}]}"#
        );
        // Query.or(Query.and(compare)) fits; Query.or(Query.and(in)) is one level too deep.
        let and = Value::obj(vec![("$and", list(vec![a]))]);
        assert!(set_query(&Value::obj(vec![("$or", list(vec![and]))])).is_ok());
        let ids = Value::obj(vec![("$and", list(vec![cond("id", "$in", list(vec![Value::num(1.0)]))]))]);
        let deep = Value::obj(vec![("$or", list(vec![Value::obj(vec![("$and", list(vec![ids]))])]))]);
        assert_eq!(set_query(&deep), Err("is nested more than 8 levels deep"));
        // 100 conditions fit; the 101st is past the array cap.
        let many = |n: usize| Value::obj(vec![("$and", list(vec![cond("id", "$ne", Value::num(1.0)); n]))]);
        assert!(set_query(&many(100)).is_ok());
        assert_eq!(set_query(&many(101)), Err(TOO_MANY_ITEMS));
    }
}
