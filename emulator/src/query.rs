//! The order list query: filters, ordering and pagination.

use std::cmp::Ordering;

use serde_json::{json, Value};

use crate::data::{Order, Store};
use crate::money::parse_yuan_str;

/// Path of the list endpoint (used in `next` / `previous`).
pub const LIST_PATH: &str = baas_order::endpoints::CALLS[baas_order::endpoints::Call::OrderList as usize].path;

pub const DEFAULT_LIMIT: u64 = 20;
pub const MAX_LIMIT: u64 = 1000;

/// A field that can be filtered on by equality and used in `order_by`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Field {
    GatewayType,
    CreatedAt,
    CreatedById,
    CreatedByName,
    Id,
    IpAddress,
    MerchandiseDescription,
    MerchandiseRecordId,
    MerchandiseSchemaId,
    MerchandiseSnapshot,
    PaidAt,
    ProfitSharing,
    RefundAmount,
    RefundStatus,
    Status,
    TotalCost,
    TradeNo,
    TransactionNo,
    UpdatedAt,
}

impl Field {
    pub fn parse(name: &str) -> Option<Field> {
        Some(match name {
            "gateway_type" => Field::GatewayType,
            "created_at" => Field::CreatedAt,
            "created_by_id" => Field::CreatedById,
            "created_by_name" => Field::CreatedByName,
            "id" => Field::Id,
            "ip_address" => Field::IpAddress,
            "merchandise_description" => Field::MerchandiseDescription,
            "merchandise_record_id" => Field::MerchandiseRecordId,
            "merchandise_schema_id" => Field::MerchandiseSchemaId,
            "merchandise_snapshot" => Field::MerchandiseSnapshot,
            "paid_at" => Field::PaidAt,
            "profit_sharing" => Field::ProfitSharing,
            "refund_amount" => Field::RefundAmount,
            "refund_status" => Field::RefundStatus,
            "status" => Field::Status,
            "total_cost" => Field::TotalCost,
            "trade_no" => Field::TradeNo,
            "transaction_no" => Field::TransactionNo,
            "updated_at" => Field::UpdatedAt,
            _ => return None,
        })
    }
}

/// One condition on an order.
#[derive(Clone, Debug)]
enum Cond {
    /// Integer field equals (None = is null).
    Int(Field, Option<i64>),
    /// Money field equals, in fen.
    Fen(Field, i64),
    /// String field equals (None = is null).
    Str(Field, Option<String>),
    /// created_at / updated_at: whole unix seconds equal.
    TimeSecs(Field, i64),
    /// created_at / updated_at: ISO string equal.
    TimeIso(Field, String),
    Bool(Field, bool),
    PaidAtGte(i64),
    PaidAtLte(i64),
    /// Matches nothing (e.g. `id=null`).
    Never,
    /// `where`: every one of them (`$and`, and the keys of one object).
    All(Vec<Cond>),
    /// `where`: any one of them (`$or`).
    Any(Vec<Cond>),
    /// `where`: `{ name: { $op: value } }`, as minapp-sdk's `BaaS.Query`
    /// builds it; compared with the field as the order's JSON holds it.
    Op(Field, String, &'static str, Value),
}

/// The `where` operators on order fields (minapp-sdk's names, without `$`).
const WHERE_OPS: [&str; 11] = ["eq", "ne", "lt", "lte", "gt", "gte", "in", "nin", "contains", "isnull", "exists"];

/// A `where` object (minapp-sdk's `JSON.stringify(query.queryObject)`): the
/// conjunction of its keys; `$and` / `$or` hold arrays of such objects; a
/// field holds a scalar (equality, as a query parameter) or `{ $op: value }`.
fn where_cond(w: &Value) -> Result<Cond, String> {
    let obj = w.as_object().ok_or("where must be a JSON object")?;
    let mut all = Vec::new();
    for (name, val) in obj {
        let unsupported = || format!("unsupported where condition for {name}");
        match (name.as_str(), val) {
            ("$and" | "$or", Value::Array(items)) => {
                let conds = items.iter().map(where_cond).collect::<Result<Vec<_>, _>>()?;
                all.push(if name == "$and" { Cond::All(conds) } else { Cond::Any(conds) });
            }
            (_, Value::Object(ops)) => {
                let field = Field::parse(name).ok_or_else(|| format!("unknown filter: {name}"))?;
                for (op, x) in ops {
                    let op = op
                        .strip_prefix('$')
                        .and_then(|o| WHERE_OPS.iter().find(|k| **k == o))
                        .ok_or_else(unsupported)?;
                    let fits = match *op {
                        "in" | "nin" => x.is_array(),
                        "isnull" | "exists" => x.is_boolean(),
                        "contains" => x.is_string(),
                        _ => !x.is_array() && !x.is_object(),
                    };
                    if !fits {
                        return Err(unsupported());
                    }
                    all.push(Cond::Op(field, name.clone(), op, x.clone()));
                }
            }
            _ => all.push(equality(name, &where_value_text(val).ok_or_else(unsupported)?)?),
        }
    }
    Ok(Cond::All(all))
}

/// A number, also one written as a string ("398.00").
fn number(v: &Value) -> Option<f64> {
    v.as_f64().or_else(|| v.as_str().and_then(|s| s.trim().parse().ok()))
}

/// How the order's value `a` compares with `b`: as numbers when both are,
/// else as strings or booleans; `None` when they cannot be compared.
fn compare_json(a: &Value, b: &Value) -> Option<Ordering> {
    match (number(a), number(b)) {
        (Some(x), Some(y)) => x.partial_cmp(&y),
        _ => match (a, b) {
            (Value::String(x), Value::String(y)) => Some(x.cmp(y)),
            (Value::Bool(x), Value::Bool(y)) => Some(x.cmp(y)),
            (Value::Null, Value::Null) => Some(Ordering::Equal),
            _ => None,
        },
    }
}

/// `where`'s `{ name: { $op: x } }` on order `o`.
fn op_matches(o: &Order, f: Field, name: &str, op: &str, x: &Value) -> bool {
    // created_at / updated_at against a number: whole unix seconds.
    let a = match f {
        Field::CreatedAt | Field::UpdatedAt if x.is_number() => {
            int_of(o, f).map_or(Value::Null, |us| Value::from(us.div_euclid(1_000_000)))
        }
        _ => o.to_json().get(name).cloned().unwrap_or(Value::Null),
    };
    let eq = |y: &Value| compare_json(&a, y) == Some(Ordering::Equal);
    let ord = compare_json(&a, x);
    match op {
        "eq" => eq(x),
        "ne" => !eq(x),
        "lt" => ord == Some(Ordering::Less),
        "lte" => matches!(ord, Some(Ordering::Less | Ordering::Equal)),
        "gt" => ord == Some(Ordering::Greater),
        "gte" => matches!(ord, Some(Ordering::Greater | Ordering::Equal)),
        "in" => x.as_array().is_some_and(|ys| ys.iter().any(eq)),
        "nin" => !x.as_array().is_some_and(|ys| ys.iter().any(eq)),
        "contains" => a.as_str().zip(x.as_str()).is_some_and(|(s, t)| s.contains(t)),
        // isnull / exists: every order field is present; null is the absent value.
        "isnull" => x.as_bool() == Some(a.is_null()),
        _ => x.as_bool() == Some(!a.is_null()),
    }
}

fn int_of(o: &Order, f: Field) -> Option<i64> {
    match f {
        Field::Id => Some(o.id),
        Field::CreatedById => Some(o.created_by_id),
        Field::MerchandiseSchemaId => o.merchandise_schema_id,
        Field::PaidAt => o.paid_at,
        Field::CreatedAt => Some(o.created_at_us),
        Field::UpdatedAt => Some(o.updated_at_us),
        Field::TotalCost => Some(o.total_fen),
        Field::RefundAmount => Some(o.refund_fen),
        Field::ProfitSharing => Some(o.profit_sharing as i64),
        _ => None,
    }
}

fn str_of(o: &Order, f: Field) -> Option<&str> {
    match f {
        Field::GatewayType => Some(o.gateway_type()),
        Field::CreatedByName => Some(&o.created_by_name),
        Field::IpAddress => Some(&o.ip_address),
        Field::MerchandiseDescription => Some(&o.merchandise_description),
        Field::MerchandiseRecordId => o.merchandise_record_id.as_deref(),
        Field::MerchandiseSnapshot => Some(&o.merchandise_snapshot),
        Field::RefundStatus => o.refund_status(),
        Field::Status => Some(o.status()),
        Field::TradeNo => Some(&o.trade_no),
        Field::TransactionNo => Some(&o.transaction_no),
        _ => None,
    }
}

fn is_int_field(f: Field) -> bool {
    matches!(
        f,
        Field::Id
            | Field::CreatedById
            | Field::MerchandiseSchemaId
            | Field::PaidAt
            | Field::CreatedAt
            | Field::UpdatedAt
            | Field::TotalCost
            | Field::RefundAmount
            | Field::ProfitSharing
    )
}

impl Cond {
    fn matches(&self, o: &Order) -> bool {
        match self {
            Cond::Int(f, v) => int_of(o, *f) == *v,
            Cond::Fen(f, v) => int_of(o, *f) == Some(*v),
            Cond::Str(f, v) => str_of(o, *f) == v.as_deref(),
            Cond::TimeSecs(f, s) => int_of(o, *f).map(|us| us.div_euclid(1_000_000)) == Some(*s),
            Cond::TimeIso(f, s) => {
                let iso = if *f == Field::CreatedAt { o.created_at() } else { o.updated_at() };
                iso == *s
            }
            Cond::Bool(f, b) => int_of(o, *f) == Some(*b as i64),
            Cond::PaidAtGte(s) => o.paid_at.is_some_and(|p| p >= *s),
            Cond::PaidAtLte(s) => o.paid_at.is_some_and(|p| p <= *s),
            Cond::Never => false,
            Cond::All(cs) => cs.iter().all(|c| c.matches(o)),
            Cond::Any(cs) => cs.iter().any(|c| c.matches(o)),
            Cond::Op(f, name, op, x) => op_matches(o, *f, name, op, x),
        }
    }
}

fn parse_i64(s: &str) -> Option<i64> {
    let t = s.trim();
    if t.is_empty() {
        return None;
    }
    t.parse::<i64>().ok()
}

/// Build the equality condition for `name=value` (value as text; `"null"`
/// means JSON null).
fn equality(name: &str, value: &str) -> Result<Cond, String> {
    let field = Field::parse(name).ok_or_else(|| format!("unknown filter: {name}"))?;
    let bad = || format!("invalid value for {name}");
    let is_null = value == "null";
    Ok(match field {
        Field::Id | Field::CreatedById | Field::MerchandiseSchemaId | Field::PaidAt => {
            if is_null {
                Cond::Int(field, None)
            } else {
                Cond::Int(field, Some(parse_i64(value).ok_or_else(bad)?))
            }
        }
        Field::TotalCost | Field::RefundAmount => {
            if is_null {
                Cond::Never
            } else {
                Cond::Fen(field, parse_yuan_str(value.trim()).ok_or_else(bad)?)
            }
        }
        Field::CreatedAt | Field::UpdatedAt => {
            if is_null {
                Cond::Never
            } else if let Some(n) = parse_i64(value) {
                Cond::TimeSecs(field, n)
            } else {
                Cond::TimeIso(field, value.to_string())
            }
        }
        Field::MerchandiseRecordId | Field::RefundStatus if is_null => Cond::Str(field, None),
        Field::ProfitSharing => match value {
            "true" | "1" => Cond::Bool(field, true),
            "false" | "0" => Cond::Bool(field, false),
            _ => return Err(bad()),
        },
        _ => Cond::Str(field, Some(value.to_string())),
    })
}

/// `%XX` and `+` decoding of one query component (form-urlencoded rules:
/// `+` is a space, invalid `%` sequences stay as written, invalid UTF-8
/// becomes U+FFFD).
pub fn percent_decode(s: &str) -> String {
    percent_encoding::percent_decode_str(&s.replace('+', " ")).decode_utf8_lossy().into_owned()
}

/// Raw query string to (raw key, raw value) pairs.
pub fn raw_pairs(query: &str) -> Vec<(&str, &str)> {
    query.split('&').filter(|p| !p.is_empty()).map(|p| p.split_once('=').unwrap_or((p, ""))).collect()
}

/// A parsed list request.
#[derive(Debug)]
pub struct ListQuery {
    limit: u64,
    offset: u64,
    conds: Vec<Cond>,
    order: Vec<(Field, bool)>,
}

fn parse_uint(name: &str, v: &str) -> Result<u64, String> {
    let t = v.trim();
    if t.is_empty() || !t.bytes().all(|b| b.is_ascii_digit()) {
        return Err(format!("{name} must be a non-negative integer"));
    }
    t.parse::<u64>().map_err(|_| format!("{name} is too large"))
}

fn where_value_text(v: &Value) -> Option<String> {
    match v {
        Value::Null => Some("null".into()),
        Value::Bool(b) => Some(b.to_string()),
        Value::Number(n) => Some(n.to_string()),
        Value::String(s) => Some(s.clone()),
        _ => None,
    }
}

impl ListQuery {
    pub fn parse(query: &str) -> Result<ListQuery, String> {
        let mut q = ListQuery { limit: DEFAULT_LIMIT, offset: 0, conds: Vec::new(), order: Vec::new() };
        let mut order_given = false;
        for (rk, rv) in raw_pairs(query) {
            let k = percent_decode(rk);
            let v = percent_decode(rv);
            match k.as_str() {
                "limit" => q.limit = parse_uint("limit", &v)?.min(MAX_LIMIT),
                "offset" => q.offset = parse_uint("offset", &v)?,
                "keys" | "expand" => {}
                "where" => {
                    let w: Value = serde_json::from_str(&v).map_err(|_| "where is not valid JSON".to_string())?;
                    q.conds.push(where_cond(&w)?);
                }
                "order_by" => {
                    order_given = true;
                    for part in v.split(',').map(str::trim).filter(|p| !p.is_empty()) {
                        let (desc, name) = match part.strip_prefix('-') {
                            Some(n) => (true, n),
                            None => (false, part),
                        };
                        let f = Field::parse(name).ok_or_else(|| format!("unknown order_by field: {name}"))?;
                        q.order.push((f, desc));
                    }
                }
                "paid_at__gte" => q
                    .conds
                    .push(Cond::PaidAtGte(parse_i64(&v).ok_or("paid_at__gte must be an integer (unix seconds)")?)),
                "paid_at__lte" => q
                    .conds
                    .push(Cond::PaidAtLte(parse_i64(&v).ok_or("paid_at__lte must be an integer (unix seconds)")?)),
                other => q.conds.push(equality(other, &v)?),
            }
        }
        if !order_given || q.order.is_empty() {
            q.order = vec![(Field::CreatedAt, true)];
        }
        if !q.order.iter().any(|(f, _)| *f == Field::Id) {
            q.order.push((Field::Id, true));
        }
        Ok(q)
    }

    /// Run against the store; `visible_to` restricts to one creator.
    pub fn run(&self, store: &Store, visible_to: Option<i64>, raw_query: &str) -> Value {
        let mut hits: Vec<&Order> = store
            .orders
            .iter()
            .filter(|o| visible_to.is_none_or(|u| o.created_by_id == u))
            .filter(|o| self.conds.iter().all(|c| c.matches(o)))
            .collect();
        hits.sort_by(|a, b| {
            for &(f, desc) in &self.order {
                let ord = compare(a, b, f);
                let ord = if desc { ord.reverse() } else { ord };
                if ord != Ordering::Equal {
                    return ord;
                }
            }
            Ordering::Equal
        });
        let total = hits.len() as u64;
        let start = self.offset.min(total) as usize;
        let end = self.offset.saturating_add(self.limit).min(total) as usize;
        let objects: Vec<Value> = hits[start..end].iter().map(|o| o.to_json()).collect();
        let next = (self.limit > 0 && self.offset.saturating_add(self.limit) < total)
            .then(|| page_url(raw_query, self.limit, self.offset + self.limit));
        let previous =
            (self.offset > 0).then(|| page_url(raw_query, self.limit, self.offset.saturating_sub(self.limit)));
        json!({
            "meta": {
                "limit": self.limit,
                "offset": self.offset,
                "total_count": total,
                "next": next,
                "previous": previous,
            },
            "objects": objects,
        })
    }
}

/// Nulls sort after every value in ascending order (as PostgreSQL does).
fn compare(a: &Order, b: &Order, f: Field) -> Ordering {
    fn nulls_last<T: Ord>(x: Option<T>, y: Option<T>) -> Ordering {
        match (x, y) {
            (Some(x), Some(y)) => x.cmp(&y),
            (None, None) => Ordering::Equal,
            (None, Some(_)) => Ordering::Greater,
            (Some(_), None) => Ordering::Less,
        }
    }
    if is_int_field(f) {
        nulls_last(int_of(a, f), int_of(b, f))
    } else {
        nulls_last(str_of(a, f), str_of(b, f))
    }
}

/// The list URL for another page: the request's own query with `limit` and
/// `offset` replaced (or put first when absent); other params kept as sent.
fn page_url(raw_query: &str, limit: u64, offset: u64) -> String {
    let mut parts: Vec<String> = Vec::new();
    let (mut saw_limit, mut saw_offset) = (false, false);
    for (k, v) in raw_pairs(raw_query) {
        match percent_decode(k).as_str() {
            "limit" => {
                if !saw_limit {
                    parts.push(format!("limit={limit}"));
                }
                saw_limit = true;
            }
            "offset" => {
                if !saw_offset {
                    parts.push(format!("offset={offset}"));
                }
                saw_offset = true;
            }
            _ => parts.push(format!("{k}={v}")),
        }
    }
    let mut head = Vec::new();
    if !saw_limit {
        head.push(format!("limit={limit}"));
    }
    if !saw_offset {
        head.push(format!("offset={offset}"));
    }
    head.extend(parts);
    format!("{LIST_PATH}?{}", head.join("&"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decoding_and_page_urls() {
        assert_eq!(percent_decode("%7B%7D"), "{}");
        assert_eq!(percent_decode("a+b%20c"), "a b c");
        assert_eq!(percent_decode("%E6%B5%8B"), "测");
        assert_eq!(percent_decode("100%"), "100%");
        assert_eq!(percent_decode("%zz"), "%zz");
        assert_eq!(percent_decode("%2B%25+"), "+% ");
        assert_eq!(percent_decode("a%4"), "a%4");
        assert_eq!(percent_decode("%FFok"), "\u{FFFD}ok");
        assert_eq!(
            page_url("limit=20&offset=0&where=%7B%7D&gateway_type=alipay", 20, 20),
            "/hserve/v2.2/idp/pay/order/?limit=20&offset=20&where=%7B%7D&gateway_type=alipay"
        );
        assert_eq!(page_url("status=success", 20, 40), "/hserve/v2.2/idp/pay/order/?limit=20&offset=40&status=success");
        assert_eq!(page_url("", 5, 0), "/hserve/v2.2/idp/pay/order/?limit=5&offset=0");
    }

    /// The ids (by id) of the orders a list with `where` = `w` answers.
    fn ids_where(store: &Store, w: &str) -> Vec<i64> {
        let raw = format!(
            "limit=1000&order_by=id&where={}",
            percent_encoding::utf8_percent_encode(w, percent_encoding::NON_ALPHANUMERIC)
        );
        let out = ListQuery::parse(&raw).unwrap().run(store, None, &raw);
        out["objects"].as_array().unwrap().iter().map(|o| o["id"].as_i64().unwrap()).collect()
    }

    /// Issue 9: `where` as minapp-sdk's `BaaS.Query` sends it, evaluated on
    /// order fields; each case is checked against a plain filter of the
    /// orders' JSON.
    #[test]
    fn where_evaluates_minapp_sdk_query_objects() {
        let store = Store::build(200, 42, &[1, 2]);
        let ids = |w: &str| ids_where(&store, w);
        let expect = |keep: &dyn Fn(&Value) -> bool| -> Vec<i64> {
            let mut v: Vec<i64> = store
                .orders
                .iter()
                .map(|o| o.to_json())
                .filter(|j| keep(j))
                .map(|j| j["id"].as_i64().unwrap())
                .collect();
            v.sort_unstable();
            v
        };
        let cost = |j: &Value| j["total_cost"].as_str().unwrap().parse::<f64>().unwrap();
        type Keep = Box<dyn Fn(&Value) -> bool>;
        let cases: Vec<(&str, Keep)> = vec![
            (r#"{}"#, Box::new(|_| true)),
            (r#"{"$and":[{"status":{"$eq":"success"}}]}"#, Box::new(|j| j["status"] == "success")),
            (r#"{"$and":[{"status":{"$ne":"success"}}]}"#, Box::new(|j| j["status"] != "success")),
            (
                r#"{"$and":[{"total_cost":{"$gt":100}},{"total_cost":{"$lte":300}}]}"#,
                Box::new(move |j| cost(j) > 100.0 && cost(j) <= 300.0),
            ),
            (r#"{"$and":[{"total_cost":{"$lt":"50.5"}}]}"#, Box::new(move |j| cost(j) < 50.5)),
            (
                r#"{"$and":[{"gateway_type":{"$in":["alipay","weixin_tenpay_js"]}}]}"#,
                Box::new(|j| j["gateway_type"] == "alipay" || j["gateway_type"] == "weixin_tenpay_js"),
            ),
            (r#"{"$and":[{"gateway_type":{"$nin":["alipay"]}}]}"#, Box::new(|j| j["gateway_type"] != "alipay")),
            (
                r#"{"$and":[{"merchandise_description":{"$contains":"会员"}}]}"#,
                Box::new(|j| j["merchandise_description"].as_str().unwrap().contains("会员")),
            ),
            (r#"{"$and":[{"paid_at":{"$isnull":true}}]}"#, Box::new(|j| j["paid_at"].is_null())),
            (r#"{"$and":[{"refund_status":{"$isnull":false}}]}"#, Box::new(|j| !j["refund_status"].is_null())),
            (r#"{"$and":[{"paid_at":{"$exists":true}}]}"#, Box::new(|j| !j["paid_at"].is_null())),
            (
                r#"{"$and":[{"merchandise_record_id":{"$exists":false}}]}"#,
                Box::new(|j| j["merchandise_record_id"].is_null()),
            ),
            (
                r#"{"$or":[{"$and":[{"status":{"$eq":"pending"}}]},{"$and":[{"gateway_type":{"$eq":"alipay"}},{"total_cost":{"$gte":200}}]}]}"#,
                Box::new(move |j| j["status"] == "pending" || (j["gateway_type"] == "alipay" && cost(j) >= 200.0)),
            ),
            (r#"{"created_by_id":2}"#, Box::new(|j| j["created_by_id"] == 2)),
        ];
        for (w, keep) in cases {
            let want = expect(&*keep);
            assert_eq!(ids(w), want, "{w}");
            assert!(
                !want.is_empty() || w.contains("exists\":false") || w.contains("$isnull\":true"),
                "{w} selects something"
            );
        }
        // Not every case is everything or nothing: the filters do filter.
        assert!(ids(r#"{"$and":[{"status":{"$eq":"success"}}]}"#).len() < store.orders.len());
        for bad in [
            r#"{"$and":[{"status":{"$regex":"x"}}]}"#,
            r#"{"$and":[{"status":{"$in":"success"}}]}"#,
            r#"{"$and":[{"nope":{"$eq":1}}]}"#,
            r#"{"$and":{"status":{"$eq":"x"}}}"#,
            r#"{"$and":[{"paid_at":{"$isnull":"yes"}}]}"#,
            r#"[]"#,
        ] {
            let raw =
                format!("where={}", percent_encoding::utf8_percent_encode(bad, percent_encoding::NON_ALPHANUMERIC));
            assert!(ListQuery::parse(&raw).is_err(), "{bad}");
        }
    }

    /// Issue 9: the shapes baas-order's `BaaS.Query` (the same as
    /// minapp-sdk's) sends besides single operators: `$or` with a sibling
    /// `$and` (a condition added to a `Query.or`), empty `Query.and()` /
    /// `Query.or()`, an empty query inside a join, nested joins, null,
    /// booleans and null inside `$in`.
    #[test]
    fn where_evaluates_joined_and_edge_queries() {
        let store = Store::build(200, 42, &[1, 2]);
        let all: Vec<Value> = store.orders.iter().map(|o| o.to_json()).collect();
        let ids = |w: &str| ids_where(&store, w);
        let expect = |keep: &dyn Fn(&Value) -> bool| -> Vec<i64> {
            let mut v: Vec<i64> = all.iter().filter(|j| keep(j)).map(|j| j["id"].as_i64().unwrap()).collect();
            v.sort_unstable();
            v
        };
        let cost = |j: &Value| j["total_cost"].as_str().unwrap().parse::<f64>().unwrap();
        type Keep = Box<dyn Fn(&Value) -> bool>;
        let cases: Vec<(&str, Keep)> = vec![
            (
                r#"{"$or":[{"$and":[{"status":{"$eq":"pending"}}]},{"$and":[{"total_cost":{"$gte":300}}]}],"$and":[{"gateway_type":{"$eq":"alipay"}}]}"#,
                Box::new(move |j| (j["status"] == "pending" || cost(j) >= 300.0) && j["gateway_type"] == "alipay"),
            ),
            (r#"{"$and":[]}"#, Box::new(|_| true)),
            (r#"{"$or":[]}"#, Box::new(|_| false)),
            (r#"{"$or":[{"$and":[{"status":{"$eq":"failed"}}]},{}]}"#, Box::new(|_| true)),
            (r#"{"$and":[{"$and":[{"status":{"$eq":"success"}}]},{}]}"#, Box::new(|j| j["status"] == "success")),
            (
                r#"{"$and":[{"$or":[{"$and":[{"gateway_type":{"$eq":"alipay"}}]},{"$and":[{"gateway_type":{"$eq":"weixin_tenpay"}}]}]},{"$and":[{"status":{"$ne":"pending"}}]}]}"#,
                Box::new(|j| {
                    (j["gateway_type"] == "alipay" || j["gateway_type"] == "weixin_tenpay") && j["status"] != "pending"
                }),
            ),
            (r#"{"$and":[{"paid_at":{"$eq":null}}]}"#, Box::new(|j| j["paid_at"].is_null())),
            (r#"{"$and":[{"paid_at":{"$ne":null}}]}"#, Box::new(|j| !j["paid_at"].is_null())),
            (
                r#"{"$and":[{"refund_status":{"$in":[null,"partial"]}}]}"#,
                Box::new(|j| j["refund_status"].is_null() || j["refund_status"] == "partial"),
            ),
            (r#"{"$and":[{"profit_sharing":{"$eq":true}}]}"#, Box::new(|j| j["profit_sharing"] == true)),
            (
                r#"{"$and":[{"id":{"$nin":[1,2,3]}},{"created_by_id":{"$in":[2]}}]}"#,
                Box::new(|j| j["id"].as_i64().unwrap() > 3 && j["created_by_id"] == 2),
            ),
            (
                r#"{"$and":[{"trade_no":{"$contains":"A"}},{"trade_no":{"$contains":"B"}}]}"#,
                Box::new(|j| {
                    let t = j["trade_no"].as_str().unwrap();
                    t.contains('A') && t.contains('B')
                }),
            ),
        ];
        for (w, keep) in cases {
            assert_eq!(ids(w), expect(&*keep), "{w}");
        }
        // The filters filter: these select some orders, not all and not none.
        for w in [
            r#"{"$and":[{"paid_at":{"$eq":null}}]}"#,
            r#"{"$and":[{"refund_status":{"$in":[null,"partial"]}}]}"#,
            r#"{"$and":[{"profit_sharing":{"$eq":true}}]}"#,
        ] {
            let n = ids(w).len();
            assert!(n > 0 && n < all.len(), "{w}: {n} of {}", all.len());
        }
        // A key that is not an order field is refused, also inside a join.
        let raw = format!(
            "where={}",
            percent_encoding::utf8_percent_encode(
                r#"{"$or":[{"$and":[{"undefined":{"$eq":1}}]}]}"#,
                percent_encoding::NON_ALPHANUMERIC
            )
        );
        assert!(ListQuery::parse(&raw).is_err());
    }

    #[test]
    fn parse_rejects_unknown_and_accepts_known() {
        assert_eq!(ListQuery::parse("foo=1").unwrap_err(), "unknown filter: foo");
        assert!(ListQuery::parse("where=%7B%7D&keys=id&expand=x&limit=5&offset=1").is_ok());
        assert!(ListQuery::parse("order_by=-paid_at,,id").is_ok());
        assert!(ListQuery::parse("order_by=-bad").is_err());
        assert!(ListQuery::parse("refund_amount=abc").is_err());
    }
}
