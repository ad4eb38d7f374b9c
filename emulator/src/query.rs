//! The order list query: filters, ordering and pagination.

use std::cmp::Ordering;

use serde_json::{json, Value};

use crate::data::Order;
use crate::money::{fen_to_yuan, parse_yuan_str};
use crate::request::{percent_decode, raw_pairs};
use crate::store::Store;

/// Path of the list endpoint (used in `next` / `previous`).
pub const LIST_PATH: &str = baas_order::endpoints::CALLS[baas_order::endpoints::Call::OrderList as usize].path;

pub const DEFAULT_LIMIT: u64 = 20;
pub const MAX_LIMIT: u64 = 1000;
/// Most `where` terms one list request may hold (400 beyond): every field
/// condition, every value of an `$in` / `$nin` list, every `$and` / `$or` and
/// every equality or `paid_at__*` parameter counts one. The SDK reads at most
/// 1,000 values of one argument (src/limits.rs), so it never sends more.
pub const MAX_WHERE_TERMS: usize = 1000;

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
    /// `where`: `{ name: { $op: x } }`, as minapp-sdk's `BaaS.Query`
    /// builds it; compared with the field as the order's JSON holds it (the
    /// view `.0`), `x` and its items (`$in` / `$nin`) read once at parse time.
    Op(View, &'static str, Operand, Vec<Operand>),
}

/// A value `where` compares, with the number it reads as (a number, or a
/// string such as `"398.00"`), read once: an operand once per request, an
/// order's field once per order.
#[derive(Clone, Debug)]
struct Operand {
    value: Value,
    num: Option<f64>,
}

impl Operand {
    fn new(value: Value) -> Operand {
        let num = number(&value);
        Operand { value, num }
    }
}

/// How a `where` condition sees a field: as the order's JSON holds it, or
/// (`created_at` / `updated_at` against a number) as whole unix seconds.
#[derive(Clone, Copy, Debug)]
struct View {
    field: Field,
    secs: bool,
}

/// Fields, and the views a per-order cache holds: each field as JSON, then
/// `created_at` and `updated_at` as seconds.
const FIELDS: usize = 19;
const VIEWS: usize = FIELDS + 2;

impl View {
    fn slot(self) -> usize {
        match (self.secs, self.field) {
            (true, Field::UpdatedAt) => FIELDS + 1,
            (true, _) => FIELDS,
            (false, f) => f as usize,
        }
    }

    /// The field of `o` as the order's JSON (`Order::to_json`) holds it,
    /// built without building the rest of the order.
    fn of(self, o: &Order) -> Value {
        let f = self.field;
        if self.secs {
            return int_of(o, f).map_or(Value::Null, |us| Value::from(us.div_euclid(1_000_000)));
        }
        match f {
            Field::CreatedAt => o.created_at().into(),
            Field::UpdatedAt => o.updated_at().into(),
            Field::TotalCost | Field::RefundAmount => int_of(o, f).map_or(Value::Null, |fen| fen_to_yuan(fen).into()),
            Field::ProfitSharing => o.profit_sharing.into(),
            _ if is_int_field(f) => int_of(o, f).map_or(Value::Null, Value::from),
            _ => str_of(o, f).map_or(Value::Null, Value::from),
        }
    }
}

/// The field views of one order, each built at most once however many
/// conditions name it.
struct Views<'a> {
    order: &'a Order,
    built: [Option<Operand>; VIEWS],
}

impl<'a> Views<'a> {
    fn new(order: &'a Order) -> Views<'a> {
        Views { order, built: std::array::from_fn(|_| None) }
    }
    fn get(&mut self, v: View) -> &Operand {
        let o = self.order;
        self.built[v.slot()].get_or_insert_with(|| Operand::new(v.of(o)))
    }
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
                    let secs = matches!(field, Field::CreatedAt | Field::UpdatedAt) && x.is_number();
                    let items = x.as_array().map(|a| a.iter().cloned().map(Operand::new).collect()).unwrap_or_default();
                    all.push(Cond::Op(View { field, secs }, op, Operand::new(x.clone()), items));
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
fn compare_json(a: &Operand, b: &Operand) -> Option<Ordering> {
    match (a.num, b.num) {
        (Some(x), Some(y)) => x.partial_cmp(&y),
        _ => match (&a.value, &b.value) {
            (Value::String(x), Value::String(y)) => Some(x.cmp(y)),
            (Value::Bool(x), Value::Bool(y)) => Some(x.cmp(y)),
            (Value::Null, Value::Null) => Some(Ordering::Equal),
            _ => None,
        },
    }
}

/// `where`'s `{ name: { $op: x } }` on the field value `a` (`items`: the
/// values of an `$in` / `$nin` list).
fn op_matches(a: &Operand, op: &str, x: &Operand, items: &[Operand]) -> bool {
    let eq = |y: &Operand| compare_json(a, y) == Some(Ordering::Equal);
    let ord = compare_json(a, x);
    match op {
        "eq" => eq(x),
        "ne" => !eq(x),
        "lt" => ord == Some(Ordering::Less),
        "lte" => matches!(ord, Some(Ordering::Less | Ordering::Equal)),
        "gt" => ord == Some(Ordering::Greater),
        "gte" => matches!(ord, Some(Ordering::Greater | Ordering::Equal)),
        "in" => items.iter().any(eq),
        "nin" => !items.iter().any(eq),
        "contains" => a.value.as_str().zip(x.value.as_str()).is_some_and(|(s, t)| s.contains(t)),
        // isnull / exists: every order field is present; null is the absent value.
        "isnull" => x.value.as_bool() == Some(a.value.is_null()),
        _ => x.value.as_bool() == Some(!a.value.is_null()),
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
    fn matches(&self, views: &mut Views) -> bool {
        let o = views.order;
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
            Cond::All(cs) => cs.iter().all(|c| c.matches(views)),
            Cond::Any(cs) => cs.iter().any(|c| c.matches(views)),
            Cond::Op(view, op, x, items) => op_matches(views.get(*view), op, x, items),
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

/// The terms of a `where` object, as [`MAX_WHERE_TERMS`] counts them (an
/// item of `$and` / `$or` at least one, even `{}`).
fn where_terms(w: &Value) -> usize {
    let terms = |(name, v): (&String, &Value)| match (name.as_str(), v) {
        ("$and" | "$or", Value::Array(items)) => 1 + items.iter().map(|i| where_terms(i).max(1)).sum::<usize>(),
        (_, Value::Object(ops)) => ops.values().map(|x| x.as_array().map_or(1, |a| a.len().max(1))).sum(),
        _ => 1,
    };
    w.as_object().into_iter().flatten().map(terms).sum()
}

/// The orders of one page, copied out of the store, and how many matched.
#[derive(Debug)]
pub struct Page {
    total: u64,
    orders: Vec<Order>,
}

impl ListQuery {
    pub fn parse(query: &str) -> Result<ListQuery, String> {
        let mut q = ListQuery { limit: DEFAULT_LIMIT, offset: 0, conds: Vec::new(), order: Vec::new() };
        let mut order_given = false;
        let mut terms = 0usize;
        for (rk, rv) in raw_pairs(query) {
            let k = percent_decode(rk);
            let v = percent_decode(rv);
            let w = match k.as_str() {
                "where" => Some(serde_json::from_str::<Value>(&v).map_err(|_| "where is not valid JSON".to_string())?),
                _ => None,
            };
            terms += match (k.as_str(), &w) {
                (_, Some(w)) => where_terms(w),
                ("limit" | "offset" | "keys" | "expand" | "order_by", _) => 0,
                _ => 1,
            };
            if terms > MAX_WHERE_TERMS {
                return Err(format!(
                    "the query holds more than {MAX_WHERE_TERMS} conditions (each condition, each $in / $nin value, \
                     each $and / $or and each filter parameter counts one)"
                ));
            }
            if let Some(w) = w {
                q.conds.push(where_cond(&w)?);
                continue;
            }
            match k.as_str() {
                "limit" => q.limit = parse_uint("limit", &v)?.min(MAX_LIMIT),
                "offset" => q.offset = parse_uint("offset", &v)?,
                "keys" | "expand" => {}
                "order_by" => {
                    order_given = true;
                    for part in v.split(',').map(str::trim).filter(|p| !p.is_empty()) {
                        let (desc, name) = match part.strip_prefix('-') {
                            Some(n) => (true, n),
                            None => (false, part),
                        };
                        let f = Field::parse(name).ok_or_else(|| format!("unknown order_by field: {name}"))?;
                        // A field named again can never decide (its first
                        // mention compared equal): kept once, so that a long
                        // `order_by` cannot multiply the work of the sort.
                        if !q.order.iter().any(|(g, _)| *g == f) {
                            q.order.push((f, desc));
                        }
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

    /// The page, under the store lock: the matching orders (`visible_to`
    /// restricts to one creator), sorted, and a copy of the page's (at most
    /// [`MAX_LIMIT`]). Conditions read the fields they name, nothing else.
    pub fn select(&self, store: &Store, visible_to: Option<i64>) -> Page {
        let mut hits: Vec<&Order> = store
            .orders
            .iter()
            .filter(|o| visible_to.is_none_or(|u| o.created_by_id == u))
            .filter(|o| {
                let mut views = Views::new(o);
                self.conds.iter().all(|c| c.matches(&mut views))
            })
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
        Page { total, orders: hits[start..end].iter().map(|&o| o.clone()).collect() }
    }

    /// The reply for `page`, built with no lock held.
    pub fn reply(&self, page: &Page, raw_query: &str) -> Value {
        let total = page.total;
        let objects: Vec<Value> = page.orders.iter().map(Order::to_json).collect();
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

    /// [`ListQuery::select`] then [`ListQuery::reply`].
    pub fn run(&self, store: &Store, visible_to: Option<i64>, raw_query: &str) -> Value {
        self.reply(&self.select(store, visible_to), raw_query)
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

    /// `where` as minapp-sdk's `BaaS.Query` sends it, evaluated on
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

    /// The shapes baas-order's `BaaS.Query` (the same as
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

    /// `where` reads each field on its own, not the
    /// order's whole JSON; the field is the same value the JSON holds.
    #[test]
    fn field_views_are_what_the_order_json_holds() {
        let store = Store::build(300, 7, &[1, 2]);
        let names = [
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
            "profit_sharing",
            "refund_amount",
            "refund_status",
            "status",
            "total_cost",
            "trade_no",
            "transaction_no",
            "updated_at",
        ];
        assert_eq!(names.len(), FIELDS);
        let mut slots: Vec<usize> = Vec::new();
        for o in &store.orders {
            let json = o.to_json();
            for name in names {
                let field = Field::parse(name).unwrap();
                assert_eq!(View { field, secs: false }.of(o), json[name], "{name} of order {}", o.id);
                slots.push(View { field, secs: false }.slot());
            }
            let secs = |field| View { field, secs: true };
            assert_eq!(secs(Field::CreatedAt).of(o), json!(o.created_at_us.div_euclid(1_000_000)));
            assert_eq!(secs(Field::UpdatedAt).of(o), json!(o.updated_at_us.div_euclid(1_000_000)));
            slots.extend([secs(Field::CreatedAt).slot(), secs(Field::UpdatedAt).slot()]);
        }
        slots.sort_unstable();
        slots.dedup();
        assert_eq!(slots, (0..VIEWS).collect::<Vec<_>>(), "every view has its own slot");
    }

    #[test]
    fn where_terms_are_counted_and_bounded() {
        let t = |w: &str| where_terms(&serde_json::from_str(w).unwrap());
        assert_eq!(t("{}"), 0);
        assert_eq!(t(r#"{"id":1,"status":{"$ne":"x","$exists":true}}"#), 3);
        assert_eq!(t(r#"{"$and":[{},{"id":{"$in":[1,2,3]}},{"id":{"$in":[]}}]}"#), 1 + 1 + 3 + 1);
        assert_eq!(t(r#"{"$or":[{"$and":[{"id":1}]}]}"#), 3);
        let n = |k: usize| {
            let items = vec![r#"{"id":{"$gte":0}}"#; k].join(",");
            let raw = format!(
                "where={}",
                percent_encoding::utf8_percent_encode(
                    &format!(r#"{{"$and":[{items}]}}"#),
                    percent_encoding::NON_ALPHANUMERIC
                )
            );
            ListQuery::parse(&raw)
        };
        assert!(n(MAX_WHERE_TERMS - 1).is_ok());
        assert!(n(MAX_WHERE_TERMS).unwrap_err().contains("more than 1000 conditions"));
        // Filter parameters count too; limit, offset, order_by, keys, expand do not.
        let params = vec!["id=1"; MAX_WHERE_TERMS].join("&");
        assert!(ListQuery::parse(&format!("limit=1&offset=0&order_by=id&keys=id&expand=x&{params}")).is_ok());
        assert!(ListQuery::parse(&format!("{params}&paid_at__gte=0")).is_err());
    }

    #[test]
    fn a_field_repeated_in_order_by_is_compared_once() {
        let repeated = vec!["status"; 5000].join(",");
        let q = ListQuery::parse(&format!("order_by={repeated},-status,-id,id")).unwrap();
        assert_eq!(q.order, vec![(Field::Status, false), (Field::Id, true)]);
        let store = Store::build(300, 7, &[1]);
        let raw = format!("limit=1000&order_by={repeated},-id");
        assert_eq!(
            q.run(&store, None, &raw)["objects"],
            ListQuery::parse("order_by=status,-id").unwrap().run(&store, None, "")["objects"]
        );
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
