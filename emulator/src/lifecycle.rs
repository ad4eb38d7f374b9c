//! The profit-sharing lifecycle: receivers (WeChat per `appid`, Alipay per
//! merchant), sharing orders (one per sharing, multi sharing and finish),
//! finish, returns (分账回退, idempotent by `refund_no`, capped at what was
//! shared to that receiver on that sharing order) and their queries. Every
//! operation runs with the store lock held for its whole check-and-update;
//! money is integer fen.

use serde_json::{json, Map, Value};

use crate::data::{Gateway, MCH_ID};
use crate::error::{err, ApiError};
use crate::request::{percent_decode, raw_pairs};
use crate::sharing::{AlipayReceiver, Return, SharingOrder, WechatReceiver};
use crate::store::Store;

fn text<'a>(body: &'a Map<String, Value>, key: &str) -> Result<&'a str, ApiError> {
    match body.get(key) {
        Some(Value::String(s)) if !s.is_empty() => Ok(s),
        _ => Err(err(400, format!("{key} is required (a non-empty string)"))),
    }
}

fn optional_text<'a>(body: &'a Map<String, Value>, key: &str) -> Result<Option<&'a str>, ApiError> {
    match body.get(key) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(s)) if !s.is_empty() => Ok(Some(s)),
        _ => Err(err(400, format!("{key} must be a non-empty string"))),
    }
}

const WECHAT_TYPES: [&str; 2] = ["MERCHANT_ID", "PERSONAL_OPENID"];
const ALIPAY_TYPES: [&str; 2] = ["userId", "loginName"];

fn wechat_type(body: &Map<String, Value>) -> Result<&str, ApiError> {
    let t = text(body, "type")?;
    if !WECHAT_TYPES.contains(&t) {
        return Err(err(400, format!("unknown receiver type: {t}")));
    }
    Ok(t)
}

/// `BaaS.wechat.profitSharing.addReceiver`: adds (or updates) a receiver under `appid`.
pub fn wechat_add_receiver(store: &mut Store, body: &Map<String, Value>) -> Result<Value, ApiError> {
    let mch_id = text(body, "mch_id")?;
    let appid = text(body, "appid")?;
    let kind = wechat_type(body)?;
    let account = text(body, "account")?;
    let relation_type = text(body, "relation_type")?;
    let name = optional_text(body, "name")?;
    if kind != "PERSONAL_OPENID" && name.is_none() {
        return Err(err(400, "name is required unless type is PERSONAL_OPENID"));
    }
    if relation_type == "CUSTOM" && optional_text(body, "custom_relation")?.is_none() {
        return Err(err(400, "custom_relation is required when relation_type is CUSTOM"));
    }
    let s = &mut store.sharing;
    s.wechat_receivers.retain(|r| !(r.appid == appid && r.kind == kind && r.account == account));
    s.wechat_receivers.push(WechatReceiver {
        appid: appid.into(),
        kind: kind.into(),
        account: account.into(),
        name: name.map(Into::into),
        relation_type: relation_type.into(),
    });
    let receiver = json!({"type": kind, "account": account, "relation_type": relation_type}).to_string();
    Ok(json!({"return_code": "SUCCESS", "appid": appid, "receiver": receiver, "mch_id": mch_id}))
}

/// `BaaS.wechat.profitSharing.removeReceiver`.
pub fn wechat_remove_receiver(store: &mut Store, body: &Map<String, Value>) -> Result<Value, ApiError> {
    let mch_id = text(body, "mch_id")?;
    let appid = text(body, "appid")?;
    let kind = wechat_type(body)?;
    let account = text(body, "account")?;
    let s = &mut store.sharing;
    let before = s.wechat_receivers.len();
    s.wechat_receivers.retain(|r| !(r.appid == appid && r.kind == kind && r.account == account));
    if s.wechat_receivers.len() == before {
        return Err(err(400, format!("receiver not added under {appid}: {account}")));
    }
    let receiver = json!({"type": kind, "account": account}).to_string();
    Ok(json!({"return_code": "SUCCESS", "appid": appid, "receiver": receiver, "mch_id": mch_id}))
}

fn alipay_receivers(body: &Map<String, Value>) -> Result<Vec<AlipayReceiver>, ApiError> {
    let req = text(body, "request_no")?;
    if req.len() > 32 || !req.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_') {
        return Err(err(400, "request_no: at most 32 letters, digits or _"));
    }
    let list = match body.get("receivers") {
        Some(Value::Array(a)) if !a.is_empty() => a,
        _ => return Err(err(400, "receivers must be a non-empty array")),
    };
    list.iter()
        .map(|r| {
            let r = r.as_object().ok_or_else(|| err(400, "each receiver must be an object"))?;
            let kind = text(r, "type")?;
            if !ALIPAY_TYPES.contains(&kind) {
                return Err(err(400, format!("unknown receiver type: {kind}")));
            }
            Ok(AlipayReceiver { kind: kind.into(), account: text(r, "account")?.into(), name: text(r, "name")?.into() })
        })
        .collect()
}

/// `BaaS.alipay.profitSharing.addReceiver` (`add`) / `.removeReceiver`.
pub fn alipay_receivers_change(store: &mut Store, body: &Map<String, Value>, add: bool) -> Result<Value, ApiError> {
    let list = alipay_receivers(body)?;
    let s = &mut store.sharing;
    if !add {
        if let Some(r) = list.iter().find(|r| !s.alipay_registered(&r.kind, &r.account)) {
            return Err(err(400, format!("receiver not added: {}", r.account)));
        }
    }
    for r in list {
        s.alipay_receivers.retain(|x| !(x.kind == r.kind && x.account == r.account));
        if add {
            s.alipay_receivers.push(r);
        }
    }
    Ok(json!({"result_code": "SUCCESS", "return_code": "10000"}))
}

/// Decoded query pairs.
fn pairs(query: &str) -> Vec<(String, String)> {
    raw_pairs(query).into_iter().map(|(k, v)| (percent_decode(k), percent_decode(v))).collect()
}

fn param<'a>(pairs: &'a [(String, String)], key: &str) -> Option<&'a str> {
    pairs.iter().find(|(k, _)| k == key).map(|(_, v)| v.as_str())
}

fn uint(pairs: &[(String, String)], key: &str, default: u64) -> Result<u64, ApiError> {
    match param(pairs, key) {
        None => Ok(default),
        Some(v) => v.parse().map_err(|_| err(400, format!("{key} must be a non-negative integer"))),
    }
}

/// `BaaS.alipay.profitSharing.receiverQuery` (GET `request_no`, `page_num`, `page_size`).
pub fn alipay_receiver_query(store: &Store, query: &str) -> Result<Value, ApiError> {
    let p = pairs(query);
    param(&p, "request_no").filter(|r| !r.is_empty()).ok_or_else(|| err(400, "request_no is required"))?;
    let num = uint(&p, "page_num", 1)?;
    let size = uint(&p, "page_size", 20)?;
    if num == 0 || size == 0 || size > 100 {
        return Err(err(400, "page_num must be >= 1 and page_size in (0, 100]"));
    }
    // The first receiver of the page; a page_num too large to say where its
    // page starts is refused (u64 arithmetic that overflowed panicked).
    let skip = (num - 1)
        .checked_mul(size)
        .and_then(|n| usize::try_from(n).ok())
        .ok_or_else(|| err(400, format!("page_num {num} is too large for page_size {size}")))?;
    let all = &store.sharing.alipay_receivers;
    let total = all.len() as u64;
    let list: Vec<Value> =
        all.iter().skip(skip).take(size as usize).map(|r| json!({"account": r.account, "type": r.kind})).collect();
    Ok(json!({
        "current_page_num": num,
        "current_page_size": size,
        "receiver_list": list,
        "result_code": "SUCCESS",
        "return_code": "10000",
        "total_page_num": total.div_ceil(size),
        "total_record_num": total,
    }))
}

/// The sharing orders of `gateway`, filtered by `trade_no`, `status`,
/// `order_type`, `payment_order_id`, paged by `limit` (≤ 1000) / `offset`,
/// newest first, with `meta` as the order list has it.
pub fn list(store: &Store, gateway: Gateway, path: &str, query: &str) -> Result<Value, ApiError> {
    let p = pairs(query);
    let limit = uint(&p, "limit", 20)?.min(1000);
    let offset = uint(&p, "offset", 0)?;
    // `offset + limit` must add up: the next page's offset (u64 arithmetic
    // that overflowed panicked).
    let end = offset.checked_add(limit).ok_or_else(|| err(400, "offset + limit is too large"))?;
    let skip = usize::try_from(offset).map_err(|_| err(400, "offset is too large"))?;
    let hits: Vec<&SharingOrder> = store
        .sharing
        .orders
        .iter()
        .rev()
        .filter(|o| o.gateway == gateway)
        .filter(|o| param(&p, "trade_no").is_none_or(|t| o.trade_no == t))
        .filter(|o| param(&p, "status").is_none_or(|t| o.status == t))
        .filter(|o| param(&p, "order_type").is_none_or(|t| o.order_type == t))
        .filter(|o| param(&p, "payment_order_id").is_none_or(|t| o.payment_order_id.to_string() == t))
        .collect();
    let total = hits.len() as u64;
    let objects: Vec<Value> = hits.iter().skip(skip).take(limit as usize).map(|o| o.to_json()).collect();
    let page = |off: u64| {
        let mut q = format!("{path}?limit={limit}&offset={off}");
        for (k, v) in raw_pairs(query) {
            if !matches!(percent_decode(k).as_str(), "limit" | "offset") {
                q.push('&');
                q.push_str(k);
                q.push('=');
                q.push_str(v);
            }
        }
        q
    };
    let next = (limit > 0 && end < total).then(|| page(end));
    let previous = (offset > 0).then(|| page(offset.saturating_sub(limit)));
    Ok(json!({
        "meta": {"limit": limit, "offset": offset, "total_count": total, "next": next, "previous": previous},
        "objects": objects,
    }))
}

/// `Order#finish`: closes a WeChat payment order to further sharing (the
/// rest of its money is unfrozen) and records a `finish` sharing order.
pub fn wechat_finish(store: &mut Store, body: &Map<String, Value>, wechat_no: u64) -> Result<Value, ApiError> {
    let trade_no = text(body, "trade_no")?;
    let appid = text(body, "appid")?;
    text(body, "description")?;
    let &i = store.by_trade_no.get(trade_no).ok_or_else(|| err(404, "order not found"))?;
    let order = &mut store.orders[i];
    if order.gateway != Gateway::Wechat {
        return Err(err(400, "order is not a WeChat (weixin_tenpay) order"));
    }
    if !order.is_paid() {
        return Err(err(400, "order is not paid"));
    }
    if !order.profit_sharing {
        return Err(err(400, "order was not created with profit_sharing: true"));
    }
    if order.sharing_closed {
        return Err(err(400, "profit sharing of this order is already finished"));
    }
    order.sharing_closed = true;
    let (id, by) = (order.id, order.created_by_name.clone());
    let trade = order.trade_no.clone();
    store.sharing.record(Gateway::Wechat, "finish", id, &by, Some(appid), None);
    Ok(json!({
        "wechat_order_no": format!("3008450740{:020}", wechat_no),
        "mch_id": MCH_ID,
        "trade_no": trade,
        "return_code": "SUCCESS",
        "appid": appid,
    }))
}

fn positive_fen(body: &Map<String, Value>, key: &str) -> Result<i64, ApiError> {
    body.get(key)
        .and_then(Value::as_i64)
        .filter(|&a| a > 0 && a <= crate::money::MAX_FEN)
        .ok_or_else(|| err(400, format!("{key} must be a positive integer (fen)")))
}

/// `Order#refund` (分账回退): returns money a receiver got on a sharing
/// order to the merchant. Idempotent by `refund_no`: the same number with
/// the same request answers the first reply and moves nothing again; with
/// another request it is refused. Capped at what that receiver got on that
/// sharing order, less what it already returned.
pub fn wechat_return(store: &mut Store, body: &Map<String, Value>, now_iso: &str) -> Result<Value, ApiError> {
    let trade_no = text(body, "trade_no")?;
    let appid = text(body, "appid")?;
    let refund_no = text(body, "refund_no")?;
    let kind = wechat_type(body)?;
    let account = text(body, "account")?;
    let amount = positive_fen(body, "amount")?;
    let description = text(body, "description")?;
    if let Some(r) = store.sharing.returns.get(refund_no) {
        // "同一回退单号多次请求等同一次": only the very same request is the same
        // return; any other field (the description too) makes it another one.
        let same = (r.trade_no.as_str(), r.appid.as_str(), r.kind.as_str(), r.account.as_str(), r.amount)
            == (trade_no, appid, kind, account, amount)
            && r.description == description;
        if same {
            return Ok(r.reply.clone());
        }
        return Err(err(400, format!("refund_no {refund_no} was used for another return")));
    }
    let so =
        store.sharing.orders.iter_mut().find(|o| o.trade_no == trade_no && o.gateway == Gateway::Wechat).ok_or_else(
            || err(404, "sharing order not found (trade_no is the sharing order's, not the payment order's)"),
        )?;
    // The sharing order exists under the appid that made it: a return under
    // another appid (even one with the same receiver added) is refused, as
    // WeChat refuses it, and moves nothing.
    if so.appid.as_deref() != Some(appid) {
        return Err(err(400, format!("sharing order {trade_no} was not made under appid {appid}")));
    }
    let payment_id = so.payment_order_id;
    let share = so
        .receivers
        .iter_mut()
        .flatten()
        .find(|s| s.kind == kind && s.account == account)
        .ok_or_else(|| err(400, format!("{account} received nothing on sharing order {trade_no}")))?;
    let left = share.amount - share.returned;
    if amount > left {
        return Err(err(
            400,
            format!("amount {amount} fen exceeds what {account} can return on this sharing order ({left} fen)"),
        ));
    }
    share.returned += amount;
    let &i = store.by_id.get(&payment_id).ok_or_else(|| err(500, "payment order of the sharing order is gone"))?;
    store.orders[i].shared_fen -= amount;
    let n = store.sharing.next();
    let reply = json!({
        "fail_reason": null,
        "result": "SUCCESS",
        "refund_no": refund_no,
        "wechat_refund_no": format!("3008450740{n:020}"),
        "appid": appid,
        "description": description,
        "return_code": "SUCCESS",
        "amount": amount,
        "mch_id": MCH_ID,
        "finish_time": now_iso,
        "account_type": kind,
        "account": account,
    });
    store.sharing.returns.insert(
        refund_no.into(),
        Return {
            trade_no: trade_no.into(),
            appid: appid.into(),
            kind: kind.into(),
            account: account.into(),
            amount,
            description: description.into(),
            reply: reply.clone(),
        },
    );
    Ok(reply)
}

/// `Order#getRefundmentOrder` (GET `trade_no`, `appid`, `refund_no`).
pub fn wechat_return_query(store: &Store, query: &str) -> Result<Value, ApiError> {
    let p = pairs(query);
    let get = |k: &str| param(&p, k).filter(|v| !v.is_empty()).ok_or_else(|| err(400, format!("{k} is required")));
    let (trade_no, appid, refund_no) = (get("trade_no")?, get("appid")?, get("refund_no")?);
    match store.sharing.returns.get(refund_no) {
        Some(r) if r.trade_no == trade_no && r.appid == appid => Ok(r.reply.clone()),
        _ => Err(err(404, "return not found")),
    }
}
