//! Query state of a `BaaS.Order` (`offset`, `limit`, `orderBy`) and the
//! `getOrderList(params)` query string, byte-for-byte what npm `minapp-sdk`
//! 3.23.6 (web build, axios) sends.

#[allow(unused_imports)]
use crate::prelude::*;

use crate::encode::axios_encode;
use crate::error::{cat, push_num, HError};
use crate::value::{Value, MAX_SAFE_INTEGER};

/// `minapp-sdk`'s `REQUEST_PARAMS_MAP`, in its order: a query key starting
/// with the first name is renamed to start with the second.
const RENAMES: [(&str, &str); 8] = [
    ("contentGroupID", "content_group_id"),
    ("categoryID", "category_id"),
    ("recordID", "id"),
    ("submissionType", "submission_type"),
    ("submissionValue", "submission_value"),
    ("categoryName", "category_name"),
    ("signatureID", "signature_id"),
    ("randomFileLink", "random_file_link"),
];

/// Pagination and ordering of the next `order.getOrderList()`; the JS
/// `order.offset(n)`, `.limit(n)`, `.orderBy(key)` chain sets it, and every
/// `getOrderList` resets it (offset 0, limit 20, no order).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OrderQuery {
    /// JS `String(offset)`.
    offset: String,
    /// JS `String(limit)`.
    limit: String,
    order_by: Option<String>,
    /// `order.select(keys)`: sent as `keys`.
    keys: Option<String>,
    /// `order.expand(keys)`: sent as `expand`.
    expand: Option<String>,
    /// `order.setQuery(query)`: the `where` JSON (`{}` when none).
    where_json: Option<String>,
}

impl Default for OrderQuery {
    fn default() -> Self {
        OrderQuery {
            offset: "0".into(),
            limit: "20".into(),
            order_by: None,
            keys: None,
            expand: None,
            where_json: None,
        }
    }
}

fn non_negative_integer(value: &Value, field: &str) -> Result<String, HError> {
    match value {
        // JS writes these in plain digits (never `1e+21`).
        Value::Number(n) if n.is_integer() && n.value >= 0.0 && n.value <= MAX_SAFE_INTEGER => Ok(n.repr.clone()),
        _ => Err(HError::bad_param(field, SAFE_INTEGER)),
    }
}

/// One query setter: validates a JS value and sets it (605 naming it).
pub type Setter = fn(&mut OrderQuery, &Value) -> Result<(), HError>;

/// A string, or an array of strings joined with `,` (what minapp-sdk sends
/// for `orderBy`, `select` and `expand`); `None` when empty. Anything else is
/// a 605 naming `name` (or `name[i]`).
fn joined(value: &Value, name: &str) -> Result<Option<String>, HError> {
    let joined = match value {
        Value::String(s) => s.clone(),
        Value::Array(items) => {
            let mut out = String::new();
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                match item {
                    Value::String(s) => out.push_str(s),
                    _ => {
                        let mut field = String::from(name);
                        field.push('[');
                        push_num(&mut field, i as u64);
                        field.push(']');
                        return Err(HError::bad_param(&field, "must be a string"));
                    }
                }
            }
            out
        }
        _ => return Err(HError::bad_param(name, "must be a string or an array of strings")),
    };
    Ok(if joined.is_empty() { None } else { Some(joined) })
}

const SAFE_INTEGER: &str = "must be an integer from 0 to 9007199254740991";

impl OrderQuery {
    /// JS `order.offset(n)`: `n` must be a safe integer >= 0, else 605 naming
    /// `offset` (state unchanged).
    pub fn set_offset(&mut self, value: &Value) -> Result<(), HError> {
        self.offset = non_negative_integer(value, "offset")?;
        Ok(())
    }

    /// JS `order.limit(n)`: `n` must be a safe integer >= 0, else 605 naming
    /// `limit` (state unchanged).
    pub fn set_limit(&mut self, value: &Value) -> Result<(), HError> {
        self.limit = non_negative_integer(value, "limit")?;
        Ok(())
    }

    /// JS `order.orderBy(key | keys)`: a string (e.g. `'-created_at'`) or an
    /// array of strings (joined with `,`); an empty result means no order.
    /// Anything else is a 605 naming `orderBy`.
    pub fn set_order_by(&mut self, value: &Value) -> Result<(), HError> {
        self.order_by = joined(value, "orderBy")?;
        Ok(())
    }

    /// JS `order.select(key | keys)`: the fields to return, sent as `keys`
    /// (an array joined with `,`, as minapp-sdk does); a string or an array
    /// of strings, else a 605 naming `select`. Empty means all fields.
    pub fn set_keys(&mut self, value: &Value) -> Result<(), HError> {
        self.keys = joined(value, "select")?;
        Ok(())
    }

    /// JS `order.expand(key | keys)`: the pointer fields to expand, sent as
    /// `expand` (as `select`; 605 naming `expand`).
    pub fn set_expand(&mut self, value: &Value) -> Result<(), HError> {
        self.expand = joined(value, "expand")?;
        Ok(())
    }

    /// JS `order.setQuery(query)`: `value` is the query's `queryObject`
    /// (minapp-sdk's `where` object, whose conditions
    /// [`super::baas_query::call`] checked and wrote, read within the input
    /// budget), sent as minapp-sdk sends it: `JSON.stringify(queryObject)`.
    /// Not an object: a 605 naming `setQuery`.
    pub fn set_where(&mut self, value: &Value) -> Result<(), HError> {
        match value {
            Value::Object(_) => self.where_json = Some(value.to_json()),
            _ => return Err(HError::bad_param("setQuery", "must be a BaaS.Query")),
        }
        Ok(())
    }

    /// The `where` JSON `setQuery` set, if any: `BaaS.Order` keeps its
    /// parsed copy, the query as it was then.
    pub fn where_json(&self) -> Option<&str> {
        self.where_json.as_deref()
    }

    /// The setter of a `BaaS.Order` query method by the name the JS shell
    /// keeps its value under (`offset`, `limit`, `orderBy`, `select`,
    /// `expand`, `setQuery`); the name is also the field a 605 names.
    pub fn setter(name: &str) -> Option<Setter> {
        match name {
            "offset" => Some(OrderQuery::set_offset),
            "limit" => Some(OrderQuery::set_limit),
            "orderBy" => Some(OrderQuery::set_order_by),
            "select" => Some(OrderQuery::set_keys),
            "expand" => Some(OrderQuery::set_expand),
            "setQuery" => Some(OrderQuery::set_where),
            _ => None,
        }
    }

    /// JS `String(offset)` of the next query.
    pub fn offset(&self) -> &str {
        &self.offset
    }

    /// JS `order.getOrderList(params)`: validates `params` (absent or an
    /// object whose values are strings, finite numbers or booleans; the key
    /// `data` is refused because `minapp-sdk` would send it in place of the
    /// whole query) and returns the query string without the leading `?`.
    /// The state is reset to the defaults afterwards, even on error.
    pub fn take_query(&mut self, params: &Value) -> Result<String, HError> {
        let result = self.build(params);
        *self = OrderQuery::default();
        result
    }

    /// minapp-sdk's top-level `BaaS.getOrderList(params)`: the params alone
    /// (no limit, offset or where of their own), checked and encoded as
    /// [`OrderQuery::take_query`] does them.
    pub fn params_query(params: &Value) -> Result<String, HError> {
        encode(Vec::new(), params)
    }

    fn build(&self, params: &Value) -> Result<String, HError> {
        let mut merged: Vec<(String, String)> =
            vec![("limit".into(), self.limit.clone()), ("offset".into(), self.offset.clone())];
        // minapp-sdk's order: limit, offset, order_by, keys, expand, where.
        for (k, v) in [("order_by", &self.order_by), ("keys", &self.keys), ("expand", &self.expand)] {
            if let Some(v) = v {
                merged.push((k.into(), v.clone()));
            }
        }
        merged.push(("where".into(), self.where_json.clone().unwrap_or_else(|| "{}".into())));
        encode(merged, params)
    }
}

/// `merged` (the query's own keys) with each of `params` assigned over it
/// as JS would, in JS key order, renamed as minapp-sdk renames them, and
/// encoded as axios encodes a query.
fn encode(mut merged: Vec<(String, String)>, params: &Value) -> Result<String, HError> {
    match params {
        Value::Undefined => {}
        Value::Object(entries) => {
            for (key, value) in entries {
                let field = || cat(&["params.", key]);
                // The values that override the checked `limit` / `offset`
                // Are checked the same way.
                let text = match value {
                    Value::Undefined => continue,
                    _ if key == "limit" || key == "offset" => non_negative_integer(value, &field())?,
                    Value::String(s) => s.clone(),
                    Value::Number(n) if n.value.is_finite() => n.repr.clone(),
                    Value::Bool(b) => (if *b { "true" } else { "false" }).to_string(),
                    _ => {
                        return Err(HError::bad_param(
                            &cat(&["params.", key]),
                            "must be a string, a finite number or a boolean",
                        ))
                    }
                };
                if key == "data" {
                    return Err(HError::bad_param("params.data", "is not a supported filter"));
                }
                assign(&mut merged, key, text);
            }
        }
        _ => return Err(HError::bad_param("params", "must be an object")),
    }
    js_key_order(&mut merged);
    let renamed = rename_keys(&merged);
    let mut out = String::new();
    for (i, (k, v)) in renamed.iter().enumerate() {
        if i > 0 {
            out.push('&');
        }
        axios_encode(k, &mut out);
        out.push('=');
        axios_encode(v, &mut out);
    }
    Ok(out)
}

/// JS `obj[key] = value`: replaces in place, or appends.
fn assign(entries: &mut Vec<(String, String)>, key: &str, value: String) {
    match entries.iter_mut().find(|(k, _)| k == key) {
        Some(slot) => slot.1 = value,
        None => entries.push((key.to_string(), value)),
    }
}

/// JS array-index keys (`"0"`..=`"4294967294"`, canonical) come first in
/// ascending order; the `u64` is their numeric value.
fn array_index(key: &str) -> Option<u64> {
    let b = key.as_bytes();
    if b.is_empty() || b.len() > 10 || (b.len() > 1 && b.first() == Some(&b'0')) {
        return None;
    }
    let mut n: u64 = 0;
    for &d in b {
        if !d.is_ascii_digit() {
            return None;
        }
        n = n * 10 + u64::from(d - b'0');
    }
    Some(n).filter(|n| *n <= 4_294_967_294)
}

/// Where a key goes in JS own-key order: array indices by value, then every
/// other key (all ranked alike, so they keep their order).
fn rank(key: &str) -> u64 {
    array_index(key).unwrap_or(u64::MAX)
}

/// Reorders entries as JS orders an object's own keys: a stable bubble sort
/// (tiny code; the input is nearly always already in order, one pass).
fn js_key_order(entries: &mut [(String, String)]) {
    loop {
        let mut swapped = false;
        let mut rest = &mut *entries;
        while let Some((a, tail)) = rest.split_first_mut() {
            if let Some(b) = tail.first_mut() {
                if rank(&a.0) > rank(&b.0) {
                    core::mem::swap(a, b);
                    swapped = true;
                }
            }
            rest = tail;
        }
        if !swapped {
            return;
        }
    }
}

/// `minapp-sdk`'s `replaceQueryParams`: for each key (in order) starting
/// with a mapped prefix, delete it and assign the renamed key. Renamed keys
/// never look like array indices, so appending keeps JS key order.
fn rename_keys(original: &[(String, String)]) -> Vec<(String, String)> {
    let mut copy = original.to_vec();
    for (key, value) in original {
        for (from, to) in RENAMES {
            if let Some(rest) = key.strip_prefix(from) {
                let new_key = cat(&[to, rest]);
                copy.retain(|(k, _)| k != key);
                assign(&mut copy, &new_key, value.clone());
            }
        }
    }
    copy
}

#[cfg(test)]
mod tests {
    use super::*;

    fn q(chain: &[(&str, Value)], params: Value) -> Result<String, HError> {
        let mut o = OrderQuery::default();
        for (m, v) in chain {
            match *m {
                "offset" => o.set_offset(v).unwrap(),
                "limit" => o.set_limit(v).unwrap(),
                m => OrderQuery::setter(m).unwrap()(&mut o, v).unwrap(),
            }
        }
        o.take_query(&params)
    }

    fn p(pairs: Vec<(&str, Value)>) -> Value {
        Value::obj(pairs)
    }

    const S: fn(&str) -> Value = Value::str;

    /// Expected strings were produced by npm minapp-sdk 3.23.6 (lib/web.js)
    /// in Node with a stubbed XMLHttpRequest recording the URL axios opened.
    #[test]
    fn matches_minapp_sdk_for_seed_calls() {
        assert_eq!(
            q(&[], p(vec![("gateway_type", S("weixin_tenpay"))])).unwrap(),
            "limit=20&offset=0&where=%7B%7D&gateway_type=weixin_tenpay"
        );
        assert_eq!(
            q(&[], p(vec![("trade_no", S("1gCeU9ZKQQAA8iQgUM0lWhEbnqr89Qtxxx"))])).unwrap(),
            "limit=20&offset=0&where=%7B%7D&trade_no=1gCeU9ZKQQAA8iQgUM0lWhEbnqr89Qtxxx"
        );
        assert_eq!(
            q(&[], p(vec![("transaction_no", S("v4WoZ7aNyZPaZbNlFffOZLvagUKqDcOw"))])).unwrap(),
            "limit=20&offset=0&where=%7B%7D&transaction_no=v4WoZ7aNyZPaZbNlFffOZLvagUKqDcOw"
        );
        assert_eq!(
            q(&[("offset", Value::num(20.0)), ("limit", Value::num(20.0))], Value::Undefined).unwrap(),
            "limit=20&offset=20&where=%7B%7D"
        );
        assert_eq!(
            q(
                &[("offset", Value::num(20.0)), ("limit", Value::num(20.0)), ("orderBy", S("-created_at"))],
                Value::Undefined
            )
            .unwrap(),
            "limit=20&offset=20&order_by=-created_at&where=%7B%7D"
        );
    }

    #[test]
    fn matches_minapp_sdk_for_edge_cases() {
        type Case = (Vec<(&'static str, Value)>, Value, &'static str);
        let cases: Vec<Case> = vec![
            (
                vec![("orderBy", Value::Array(vec![S("-created_at"), S("id")]))],
                Value::Undefined,
                "limit=20&offset=0&order_by=-created_at,id&where=%7B%7D",
            ),
            (vec![], p(vec![("trade_no", S("订单"))]), "limit=20&offset=0&where=%7B%7D&trade_no=%E8%AE%A2%E5%8D%95"),
            (vec![], p(vec![("q", S("a&b=c%d+e f"))]), "limit=20&offset=0&where=%7B%7D&q=a%26b%3Dc%25d%2Be+f"),
            (
                vec![],
                p(vec![("emoji", S("😀")), ("k y", S("v"))]),
                "limit=20&offset=0&where=%7B%7D&emoji=%F0%9F%98%80&k+y=v",
            ),
            (
                // Object.keys order as JS gives it for this literal.
                vec![],
                p(vec![
                    ("0", S("zero")),
                    ("2", S("y")),
                    ("10", S("a")),
                    ("4294967294", S("max")),
                    ("b", S("x")),
                    ("01", S("z")),
                    ("4294967295", S("big")),
                    ("-1", S("neg")),
                ]),
                "0=zero&2=y&10=a&4294967294=max&limit=20&offset=0&where=%7B%7D&b=x&01=z&4294967295=big&-1=neg",
            ),
            (vec![], p(vec![("recordID", Value::num(5.0)), ("id", Value::num(3.0))]), "limit=20&offset=0&where=%7B%7D&id=5"),
            (vec![], p(vec![("id", Value::num(3.0)), ("recordID", Value::num(5.0))]), "limit=20&offset=0&where=%7B%7D&id=5"),
            (
                vec![],
                p(vec![("categoryIDfoo", S("x")), ("limit", Value::num(5.0))]),
                "limit=5&offset=0&where=%7B%7D&category_idfoo=x",
            ),
            (
                vec![],
                p(vec![
                    ("submissionTypeX", S("a")),
                    ("z", Value::num(1.0)),
                    ("categoryName", S("n")),
                    ("contentGroupID", Value::num(7.0)),
                    ("signatureID", S("s")),
                    ("randomFileLink", Value::Bool(true)),
                    ("submissionValue", S("v")),
                ]),
                "limit=20&offset=0&where=%7B%7D&z=1&submission_typeX=a&category_name=n&content_group_id=7&signature_id=s&random_file_link=true&submission_value=v",
            ),
            (vec![], p(vec![("limit", Value::num(100.0))]), "limit=100&offset=0&where=%7B%7D"),
            (
                vec![],
                p(vec![("offset", Value::num(5.0)), ("where", S("{\"a\":1}"))]),
                "limit=20&offset=5&where=%7B%22a%22:1%7D",
            ),
            (vec![("orderBy", S("x"))], p(vec![("order_by", S("y"))]), "limit=20&offset=0&order_by=y&where=%7B%7D"),
            (
                vec![],
                p(vec![
                    ("created_at", Value::num_repr(1.5, "1.5")),
                    ("n", Value::num_repr(1e21, "1e+21")),
                    ("neg", Value::num_repr(-0.0, "0")),
                    ("b", Value::Bool(true)),
                    ("f", Value::Bool(false)),
                    ("small", Value::num_repr(1e-7, "1e-7")),
                ]),
                "limit=20&offset=0&where=%7B%7D&created_at=1.5&n=1e%2B21&neg=0&b=true&f=false&small=1e-7",
            ),
            (
                vec![],
                p(vec![("a:b$c,d[e]", S("x:y$z,[1]@;/?#"))]),
                "limit=20&offset=0&where=%7B%7D&a:b$c,d[e]=x:y$z,[1]%40%3B%2F%3F%23",
            ),
            (
                vec![],
                p(vec![("paid_at__gte", Value::num(1539335891.0)), ("paid_at__lte", Value::num(1539335999.0))]),
                "limit=20&offset=0&where=%7B%7D&paid_at__gte=1539335891&paid_at__lte=1539335999",
            ),
            (
                vec![],
                p(vec![("1", S("one")), ("5", S("five")), ("categoryID", S("c"))]),
                "1=one&5=five&limit=20&offset=0&where=%7B%7D&category_id=c",
            ),
            (vec![("orderBy", S(""))], Value::Undefined, "limit=20&offset=0&where=%7B%7D"),
            (
                vec![("limit", Value::num(0.0)), ("offset", Value::num(0.0))],
                p(vec![]),
                "limit=0&offset=0&where=%7B%7D",
            ),
            (vec![], p(vec![("skipped", Value::Undefined)]), "limit=20&offset=0&where=%7B%7D"),
            (
                vec![],
                p(vec![("merchandise_description", S("x:y,z$[a]@b/c?d#e'f\"g~h!i*(j);k|^`{}<>\\"))]),
                "limit=20&offset=0&where=%7B%7D&merchandise_description=x:y,z$[a]%40b%2Fc%3Fd%23e'f%22g~h!i*(j)%3Bk%7C%5E%60%7B%7D%3C%3E%5C",
            ),
            (
                vec![],
                p(vec![
                    ("id", Value::num(47963.0)),
                    ("created_by_id", Value::num(1.0)),
                    ("total_cost", Value::num(398.5)),
                    ("paid_at__gte", Value::num(0.0)),
                    ("paid_at__lte", Value::num(4102444800.0)),
                ]),
                "limit=20&offset=0&where=%7B%7D&id=47963&created_by_id=1&total_cost=398.5&paid_at__gte=0&paid_at__lte=4102444800",
            ),
            (vec![("limit", Value::num(50.0))], p(vec![("limit", Value::num(5.0))]), "limit=5&offset=0&where=%7B%7D"),
            (
                vec![("offset", Value::num(2.0))],
                p(vec![("offset", Value::num(7.0)), ("order_by", S("id"))]),
                "limit=20&offset=7&where=%7B%7D&order_by=id",
            ),
            (
                vec![],
                p(vec![("created_by_name", S("")), ("ctl", S("\u{1}\n\t"))]),
                "limit=20&offset=0&where=%7B%7D&created_by_name=&ctl=%01%0A%09",
            ),
        ];
        for (chain, params, want) in cases {
            assert_eq!(q(&chain, params.clone()).unwrap(), want, "{params:?}");
        }
    }

    #[test]
    fn index_keys_passed_out_of_order_are_sorted() {
        // The boundary gives Object.keys order, but sorting must hold anyway.
        assert_eq!(
            q(&[], p(vec![("10", S("a")), ("b", S("x")), ("2", S("y"))])).unwrap(),
            "2=y&10=a&limit=20&offset=0&where=%7B%7D&b=x"
        );
        assert_eq!(array_index("0"), Some(0));
        assert_eq!(array_index("4294967294"), Some(4_294_967_294));
        assert_eq!(array_index("4294967295"), None);
        assert_eq!(array_index("01"), None);
        assert_eq!(array_index(""), None);
        assert_eq!(array_index("+1"), None);
        assert_eq!(array_index("99999999999"), None);
    }

    #[test]
    fn bad_params_name_the_key() {
        for v in [
            Value::Null,
            Value::obj(vec![]),
            Value::Array(vec![]),
            Value::num_repr(f64::NAN, "NaN"),
            Value::num_repr(f64::INFINITY, "Infinity"),
            Value::Other("function"),
        ] {
            let e = q(&[], p(vec![("trade_no", v)])).unwrap_err();
            assert_eq!(e.code, 605);
            assert!(e.text.starts_with("params.trade_no:"), "{}", e.text);
        }
        for v in [Value::Null, S("x"), Value::num(1.0), Value::Array(vec![])] {
            let e = q(&[], v).unwrap_err();
            assert!(e.text.starts_with("params:"), "{}", e.text);
        }
        let e = q(&[], p(vec![("data", S("x"))])).unwrap_err();
        assert!(e.text.starts_with("params.data:"));
    }

    #[test]
    fn setters_validate() {
        let mut o = OrderQuery::default();
        for v in
            [Value::num(-1.0), Value::num(1.5), S("1"), Value::Null, Value::num_repr(f64::NAN, "NaN"), Value::Undefined]
        {
            let e = o.set_offset(&v).unwrap_err();
            assert_eq!((e.code, e.text.starts_with("offset:")), (605, true));
            let e = o.set_limit(&v).unwrap_err();
            assert_eq!((e.code, e.text.starts_with("limit:")), (605, true));
        }
        assert_eq!(o, OrderQuery::default());
        for v in [Value::num(1.0), Value::Null, Value::Array(vec![Value::num(1.0)])] {
            let e = o.set_order_by(&v).unwrap_err();
            assert!(e.text.starts_with("orderBy"), "{}", e.text);
        }
        o.set_order_by(&Value::Array(vec![])).unwrap();
        assert_eq!(o.order_by.as_deref(), None);
        o.set_order_by(&S("a")).unwrap();
        o.set_order_by(&S("")).unwrap();
        assert_eq!(o.order_by.as_deref(), None);
    }

    /// `offset(1e21)`, `limit(2 ** 64)`, and params that
    /// override the checked values with `-5` or `1.5` were all sent.
    #[test]
    fn final_limit_and_offset_are_safe_integers() {
        let mut o = OrderQuery::default();
        let e = o.set_offset(&Value::num_repr(1e21, "1e+21")).unwrap_err();
        assert_eq!(e.message(), "605: offset: must be an integer from 0 to 9007199254740991");
        let e = o.set_limit(&Value::num_repr(18_446_744_073_709_552_000.0, "18446744073709552000")).unwrap_err();
        assert!(e.text.starts_with("limit: "), "{}", e.text);
        o.set_limit(&Value::num_repr(MAX_SAFE_INTEGER, "9007199254740991")).unwrap();
        assert_eq!(o.limit.as_str(), "9007199254740991");
        for (k, v) in [
            ("limit", Value::num(-5.0)),
            ("offset", Value::num_repr(1.5, "1.5")),
            ("offset", Value::num_repr(1e21, "1e+21")),
            ("limit", Value::num_repr(9_007_199_254_740_992.0, "9007199254740992")),
            ("limit", Value::str("10; DROP")),
            ("offset", Value::str("")),
            ("limit", Value::str("5")),
            ("limit", Value::Bool(true)),
        ] {
            let e = OrderQuery::default().take_query(&Value::obj(vec![(k, v.clone())])).unwrap_err();
            assert_eq!(e.text, cat(&["params.", k, ": ", SAFE_INTEGER]), "{v:?}");
        }
        let q = OrderQuery::default()
            .take_query(&Value::obj(vec![("limit", Value::num(5.0)), ("offset", Value::num(40.0))]));
        assert_eq!(q.unwrap(), "limit=5&offset=40&where=%7B%7D");
    }

    #[test]
    fn state_resets_after_take_query_even_on_error() {
        let mut o = OrderQuery::default();
        o.set_offset(&Value::num(40.0)).unwrap();
        o.set_limit(&Value::num(10.0)).unwrap();
        o.set_order_by(&S("-id")).unwrap();
        assert_eq!((o.offset(), o.limit.as_str(), o.order_by.as_deref()), ("40", "10", Some("-id")));
        assert_eq!(o.take_query(&Value::Undefined).unwrap(), "limit=10&offset=40&order_by=-id&where=%7B%7D");
        assert_eq!(o, OrderQuery::default());
        assert_eq!(o.take_query(&Value::Undefined).unwrap(), "limit=20&offset=0&where=%7B%7D");
        o.set_offset(&Value::num(40.0)).unwrap();
        assert!(o.take_query(&Value::Null).is_err());
        assert_eq!(o, OrderQuery::default());
    }

    /// `select` and `expand` are sent as `keys` and
    /// `expand` in minapp-sdk's key order (after `order_by`, before `where`),
    /// arrays joined with `,`; an empty one is left out; bad values are a 605
    /// naming the method; the state resets after the call.
    #[test]
    fn params_query_is_the_params_alone() {
        // minapp-sdk's top-level `BaaS.getOrderList(params)`: no limit, offset or where of its own.
        assert_eq!(OrderQuery::params_query(&Value::Undefined).unwrap(), "");
        let p = Value::obj(vec![
            ("status", Value::str("success")),
            ("limit", Value::num(5.0)),
            ("recordID", Value::str("a b")),
        ]);
        assert_eq!(OrderQuery::params_query(&p).unwrap(), "status=success&limit=5&id=a+b");
        assert!(OrderQuery::params_query(&Value::obj(vec![("limit", Value::num(-1.0))])).is_err());
        assert!(OrderQuery::params_query(&Value::str("x")).is_err());
    }

    #[test]
    fn select_and_expand() {
        let s = Value::str;
        let arr = |v: Vec<&str>| Value::Array(v.into_iter().map(Value::str).collect());
        assert_eq!(
            q(&[("select", s("id,trade_no")), ("expand", s("created_by"))], Value::Undefined).unwrap(),
            "limit=20&offset=0&keys=id,trade_no&expand=created_by&where=%7B%7D"
        );
        assert_eq!(
            q(
                &[
                    ("expand", arr(vec!["a", "b"])),
                    ("orderBy", arr(vec!["-id"])),
                    ("select", arr(vec!["id", "status"]))
                ],
                p(vec![("status", s("success"))])
            )
            .unwrap(),
            "limit=20&offset=0&order_by=-id&keys=id,status&expand=a,b&where=%7B%7D&status=success"
        );
        assert_eq!(
            q(&[("select", arr(vec![])), ("expand", s(""))], Value::Undefined).unwrap(),
            "limit=20&offset=0&where=%7B%7D"
        );
        let mut o = OrderQuery::default();
        for (name, bad, field) in [
            ("select", Value::num(1.0), "select"),
            ("expand", Value::Null, "expand"),
            ("select", Value::Array(vec![Value::str("a"), Value::num(2.0)]), "select[1]"),
        ] {
            let e = OrderQuery::setter(name).unwrap()(&mut o, &bad).unwrap_err();
            assert_eq!((e.code, e.field()), (605, Some(field)), "{}", e.text);
        }
        o.set_keys(&s("id")).unwrap();
        o.take_query(&Value::Undefined).unwrap();
        assert_eq!(o.take_query(&Value::Undefined).unwrap(), "limit=20&offset=0&where=%7B%7D");
    }
    /// `setQuery` sends minapp-sdk's `where` JSON in its place
    /// (after `expand`, before the params, which may override it as they do
    /// in minapp-sdk); it resets after the call like the other setters.
    #[test]
    fn set_query_is_sent_as_where() {
        let cond = |k: &str, op: &str, v: Value| Value::obj(vec![(k, Value::obj(vec![(op, v)]))]);
        let record = Value::obj(vec![(
            "$and",
            Value::Array(vec![
                cond("status", "$eq", S("success")),
                cond("total_cost", "$gte", Value::num_repr(1.5, "1.5")),
                cond("gateway_type", "$in", Value::Array(vec![S("alipay"), Value::Null])),
            ]),
        )]);
        let mut o = OrderQuery::default();
        o.set_keys(&S("id")).unwrap();
        OrderQuery::setter("setQuery").unwrap()(&mut o, &record).unwrap();
        assert_eq!(
            o.take_query(&p(vec![("gateway_type", S("alipay"))])).unwrap(),
            "limit=20&offset=0&keys=id&where=%7B%22$and%22:[%7B%22status%22:%7B%22$eq%22:%22success%22%7D%7D,%7B%22total_cost%22:%7B%22$gte%22:1.5%7D%7D,%7B%22gateway_type%22:%7B%22$in%22:[%22alipay%22,null]%7D%7D]%7D&gateway_type=alipay"
        );
        assert_eq!(o.take_query(&Value::Undefined).unwrap(), "limit=20&offset=0&where=%7B%7D");
        o.set_where(&record).unwrap();
        assert_eq!(o.take_query(&p(vec![("where", S("{}"))])).unwrap(), "limit=20&offset=0&where=%7B%7D");
        o.set_where(&Value::obj(vec![])).unwrap();
        assert_eq!(o.take_query(&Value::Undefined).unwrap(), "limit=20&offset=0&where=%7B%7D");
        // A refused value leaves the state as it was.
        o.set_where(&record).unwrap();
        for bad in [Value::Null, Value::num(0.0), S("{}"), Value::Array(vec![]), Value::Undefined] {
            let e = o.set_where(&bad).unwrap_err();
            assert_eq!((e.code, e.field()), (605, Some("setQuery")));
        }
        assert!(o.take_query(&Value::Undefined).unwrap().contains("status"));
    }
}

#[cfg(all(test, not(target_arch = "wasm32")))] // proptest is a native-only dev-dependency
mod props {
    use super::*;
    use proptest::prelude::*;

    fn hex(b: u8) -> Option<u8> {
        match b {
            b'0'..=b'9' => Some(b - b'0'),
            b'A'..=b'F' => Some(b - b'A' + 10),
            b'a'..=b'f' => Some(b - b'a' + 10),
            _ => None,
        }
    }

    /// application/x-www-form-urlencoded decoding: `+` is a space, `%XX` a byte.
    fn decode(s: &str) -> String {
        let b = s.as_bytes();
        let mut out = Vec::new();
        let mut i = 0;
        while i < b.len() {
            match b[i] {
                b'+' => out.push(b' '),
                b'%' => {
                    let v = hex(b[i + 1]).unwrap() * 16 + hex(b[i + 2]).unwrap();
                    out.push(v);
                    i += 2;
                }
                c => out.push(c),
            }
            i += 1;
        }
        String::from_utf8(out).unwrap()
    }

    fn parse(q: &str) -> Vec<(String, String)> {
        q.split('&')
            .map(|pair| {
                let (k, v) = pair.split_once('=').unwrap();
                (decode(k), decode(v))
            })
            .collect()
    }

    fn url_safe(q: &str) -> bool {
        q.bytes().all(|b| b.is_ascii_alphanumeric() || b"-_.!~*'()%:$,+[]&=".contains(&b))
    }

    fn plain_key() -> impl Strategy<Value = String> {
        // Any Unicode key except names the SDK treats specially.
        any::<String>().prop_filter("special key", |k| {
            !matches!(k.as_str(), "limit" | "offset" | "where" | "order_by" | "data")
                && array_index(k).is_none()
                && !RENAMES.iter().any(|(from, _)| k.starts_with(from))
        })
    }

    fn value_strategy() -> impl Strategy<Value = String> {
        prop_oneof![any::<String>(), "[&=%+ 订单😀a-z]{0,12}",]
    }

    proptest! {
        #[test]
        fn round_trips_any_pair(key in prop_oneof![plain_key(), "[&=%+ 订单😀]{1,6}"], value in value_strategy()) {
            let mut o = OrderQuery::default();
            let q = o.take_query(&Value::Object(vec![(key.clone(), Value::String(value.clone()))])).unwrap();
            prop_assert!(url_safe(&q), "{}", q);
            let want = vec![
                ("limit".to_string(), "20".to_string()),
                ("offset".to_string(), "0".to_string()),
                ("where".to_string(), "{}".to_string()),
                (key, value),
            ];
            prop_assert_eq!(parse(&q), want);
        }

        #[test]
        fn key_order_is_a_stable_sort(keys in proptest::collection::vec(prop_oneof!["[0-9]{1,11}", "[a-c0-9]{0,3}"], 0..12)) {
            let mut entries: Vec<(String, String)> =
                keys.iter().enumerate().map(|(i, k)| (k.clone(), i.to_string())).collect();
            let mut want = entries.clone();
            want.sort_by_key(|(k, _)| rank(k));
            js_key_order(&mut entries);
            prop_assert_eq!(entries, want);
            for k in &keys {
                let std = k.parse::<u64>().ok().filter(|n| *n <= 4_294_967_294 && (k.len() == 1 || !k.starts_with('0')));
                prop_assert_eq!(array_index(k), std);
            }
        }

        #[test]
        fn numbers_and_offsets_round_trip(offset in 0u32..1_000_000, limit in 0u32..1000, n in any::<i64>()) {
            let mut o = OrderQuery::default();
            o.set_offset(&Value::num(f64::from(offset))).unwrap();
            o.set_limit(&Value::num(f64::from(limit))).unwrap();
            let q = o.take_query(&Value::obj(vec![("n", Value::num_repr(n as f64, &n.to_string()))])).unwrap();
            prop_assert_eq!(q, format!("limit={limit}&offset={offset}&where=%7B%7D&n={n}"));
        }
    }
}
