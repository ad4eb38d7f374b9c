//! Money-moving operations: refund and profit sharing. Each runs with the
//! store lock held for the whole check-and-update.

use serde_json::{json, Map, Value};

use crate::data::{Gateway, Order, MCH_ID};
use crate::error::{err, ApiError};
use crate::money::{fen_to_yuan, yuan_value_to_fen};
use crate::sharing::shares;
use crate::store::Store;

/// Most WeChat multi sharings per order.
pub const MAX_MULTI_SHARES: u32 = 20;
/// Most WeChat receivers per request.
pub const MAX_WECHAT_RECEIVERS: usize = 50;

fn non_empty_str<'a>(body: &'a Map<String, Value>, key: &str) -> Result<Option<&'a str>, ApiError> {
    match body.get(key) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(s)) if !s.is_empty() => Ok(Some(s)),
        Some(_) => Err(err(400, format!("{key} must be a non-empty string"))),
    }
}

/// `POST /hserve/v2.0/idp/pay/refund/`.
pub fn refund(store: &mut Store, body: &Map<String, Value>, refund_id: u64, now_us: i64) -> Result<Value, ApiError> {
    let order_id = match body.get("order_id") {
        None | Some(Value::Null) => None,
        Some(Value::Number(n)) => match n.as_i64() {
            Some(i) if i > 0 => Some(i),
            _ => return Err(err(400, "order_id must be a positive integer")),
        },
        Some(Value::String(s)) => match s.parse::<i64>() {
            Ok(i) if i > 0 => Some(i),
            _ => return Err(err(400, "order_id must be a positive integer")),
        },
        Some(_) => return Err(err(400, "order_id must be a positive integer")),
    };
    let trade_no = non_empty_str(body, "trade_no")?;
    let transaction_no = non_empty_str(body, "transaction_no")?;
    let memo = match body.get("memo") {
        None | Some(Value::Null) => String::new(),
        Some(Value::String(s)) => s.clone(),
        Some(_) => return Err(err(400, "memo must be a string")),
    };
    let amount = match body.get("refund_amount") {
        None | Some(Value::Null) => None,
        Some(v) => Some(yuan_value_to_fen(v).map_err(|m| err(400, m))?),
    };
    if order_id.is_none() && trade_no.is_none() && transaction_no.is_none() {
        return Err(err(400, "one of order_id, trade_no or transaction_no is required"));
    }
    let found = [
        order_id.map(|i| store.by_id.get(&i).copied()),
        trade_no.map(|t| store.by_trade_no.get(t).copied()),
        transaction_no.map(|t| store.by_transaction_no.get(t).copied()),
    ];
    let given: Vec<Option<usize>> = found.into_iter().flatten().collect();
    let matched: Vec<usize> = given.iter().flatten().copied().collect();
    if matched.is_empty() {
        return Err(err(404, "order not found"));
    }
    if matched.len() != given.len() || matched.iter().any(|&i| i != matched[0]) {
        return Err(err(400, "order_id, trade_no and transaction_no do not refer to the same order"));
    }
    let order = &mut store.orders[matched[0]];
    if !order.is_paid() {
        return Err(err(400, "order is not paid"));
    }
    let remaining = order.total_fen - order.refund_fen;
    if remaining <= 0 {
        return Err(err(400, "order is already fully refunded"));
    }
    let amount = amount.unwrap_or(remaining);
    if amount > remaining {
        return Err(err(
            400,
            format!("refund_amount {} exceeds the refundable amount {}", fen_to_yuan(amount), fen_to_yuan(remaining)),
        ));
    }
    // WeChat: shared money comes back by a return (分账回退) first. Alipay
    // has no return call: the refund itself takes back from the receivers
    // what the money not shared cannot cover (the project's assumption,
    // docs/assumptions-profit-sharing.md).
    let from_receivers = match order.gateway {
        Gateway::Alipay => (amount - (remaining - order.shared_fen)).max(0),
        // QQ orders are never shared.
        Gateway::Wechat | Gateway::Qq => 0,
    };
    if order.gateway == Gateway::Wechat && order.shared_fen > 0 {
        return Ok(json!({
            "id": null,
            "order_id": order.id,
            "refund_amount": fen_to_yuan(amount),
            "refund_no": null,
            "memo": memo,
            "status": "failed",
            "error_msg": "订单存在已分账资金，请先调用分账回退接口将资金回退到订单商户号后再退款 (profit-shared money not returned: return it first with BaaS.wechat.profitSharing.Order#refund)",
        }));
    }
    if from_receivers > 0 {
        if !store.sharing.take_back(Gateway::Alipay, order.id, from_receivers) {
            return Err(err(500, "the order's shared money does not add up"));
        }
        order.shared_fen -= from_receivers;
    }
    order.refund_fen += amount;
    order.updated_at_us = now_us.max(order.updated_at_us + 1);
    Ok(json!({
        "id": refund_id,
        "order_id": order.id,
        "refund_amount": fen_to_yuan(amount),
        "refund_no": format!("RF{:030}", refund_id),
        "memo": memo,
        "status": "succeed",
        "error_msg": null,
    }))
}

/// Validated receivers: total fen. `once`: a receiver (type and account)
/// may appear only once (WeChat's rule, see [`wechat_sharing`]).
fn receivers_total(
    body: &Map<String, Value>,
    registered: impl Fn(&str, &str) -> bool,
    allowed_types: &[&str],
    max: Option<usize>,
    once: bool,
) -> Result<i64, ApiError> {
    let list = match body.get("receivers") {
        Some(Value::Array(a)) if !a.is_empty() => a,
        _ => return Err(err(400, "receivers must be a non-empty array")),
    };
    if let Some(m) = max {
        if list.len() > m {
            return Err(err(400, format!("at most {m} receivers")));
        }
    }
    let mut total: i64 = 0;
    let mut seen: Vec<(&str, &str)> = Vec::new();
    for (i, r) in list.iter().enumerate() {
        let r = r.as_object().ok_or_else(|| err(400, format!("receivers[{i}] must be an object")))?;
        let ty = non_empty_str(r, "type")?.ok_or_else(|| err(400, format!("receivers[{i}].type is required")))?;
        let account =
            non_empty_str(r, "account")?.ok_or_else(|| err(400, format!("receivers[{i}].account is required")))?;
        non_empty_str(r, "description")?.ok_or_else(|| err(400, format!("receivers[{i}].description is required")))?;
        let amount = r
            .get("amount")
            .and_then(Value::as_i64)
            .filter(|&a| a > 0 && a <= crate::money::MAX_FEN)
            .ok_or_else(|| err(400, format!("receivers[{i}].amount must be a positive integer (fen)")))?;
        if ty == "PERSONAL_WECHATID" {
            return Err(err(400, "receiver type PERSONAL_WECHATID is retired"));
        }
        if !allowed_types.contains(&ty) {
            return Err(err(400, format!("unknown receiver type: {ty}")));
        }
        if !registered(ty, account) {
            return Err(err(400, format!("receiver not registered: {account} (add it first)")));
        }
        if let Some(j) = seen.iter().position(|&k| once && k == (ty, account)) {
            return Err(err(
                400,
                format!(
                    "receivers[{i}] names the receiver of receivers[{j}] again ({ty} {account}): a receiver appears \
                     once per sharing, with its amounts added up"
                ),
            ));
        }
        seen.push((ty, account));
        total += amount;
    }
    Ok(total)
}

/// `POST .../wechat/profit-sharing/` (`multi = false`) and
/// `.../wechat/multi-profit-sharing/` (`multi = true`).
/// The order `trade_no` if money can be shared from it at all: found (404),
/// of `gateway`, paid, and not fully refunded (400 otherwise).
fn shareable_order<'a>(
    store: &'a mut Store,
    trade_no: &str,
    gateway: Gateway,
    wrong_gateway: &str,
) -> Result<&'a mut Order, ApiError> {
    let &i = store.by_trade_no.get(trade_no).ok_or_else(|| err(404, "order not found"))?;
    let order = &mut store.orders[i];
    if order.gateway != gateway {
        return Err(err(400, wrong_gateway));
    }
    if !order.is_paid() {
        return Err(err(400, "order is not paid"));
    }
    if order.refund_status() == Some("complete") {
        return Err(err(400, "order is fully refunded: nothing left to share"));
    }
    Ok(order)
}

/// A receiver appears once in a WeChat sharing (400 naming the repeat). The
/// reference's 分账回退 (`Order#refund`) names the money to return by
/// "trade_no: 分账单单号(**非支付订单单号**)", "type: 分账回退方类型" and
/// "account: 分账回退方账户 id", with "amount: …不能超过原订单支付金额及最大分账比例金额":
/// a sharing order and one receiver, never a line of the sharing. A
/// receiver named twice would leave the second line where no return can
/// Reach it, and the order could never be refunded again.
pub fn wechat_sharing(
    store: &mut Store,
    body: &Map<String, Value>,
    multi: bool,
    order_no: u64,
) -> Result<Value, ApiError> {
    let trade_no = non_empty_str(body, "trade_no")?.ok_or_else(|| err(400, "trade_no is required"))?;
    let appid = non_empty_str(body, "appid")?.ok_or_else(|| err(400, "appid is required"))?;
    let sharing = &store.sharing;
    let total = receivers_total(
        body,
        |t, a| sharing.wechat_registered(appid, t, a),
        &["MERCHANT_ID", "PERSONAL_OPENID"],
        Some(MAX_WECHAT_RECEIVERS),
        true,
    )?;
    let order = shareable_order(store, trade_no, Gateway::Wechat, "order is not a WeChat (weixin_tenpay) order")?;
    if !order.profit_sharing {
        return Err(err(400, "order was not created with profit_sharing: true"));
    }
    if order.sharing_closed {
        return Err(err(400, "profit sharing of this order is closed"));
    }
    if multi && order.multi_shares >= MAX_MULTI_SHARES {
        return Err(err(400, format!("an order can be shared at most {MAX_MULTI_SHARES} times")));
    }
    // 30% of what the buyer has not been refunded, rounded down to the fen.
    let cap = order.unrefunded_fen() * 30 / 100;
    if order.shared_fen + total > cap {
        return Err(err(
            400,
            format!(
                "total profit sharing {} fen exceeds 30% of the order after refunds ({} fen, {} fen already shared)",
                order.shared_fen + total,
                cap,
                order.shared_fen
            ),
        ));
    }
    order.shared_fen += total;
    if multi {
        order.multi_shares += 1;
    } else {
        order.sharing_closed = true;
    }
    let reply = json!({
        "return_code": "SUCCESS",
        "appid": appid,
        "mch_id": MCH_ID,
        "trade_no": order.trade_no,
        "wechat_order_no": format!("3008450740{:020}", order_no),
    });
    let (id, by) = (order.id, order.created_by_name.clone());
    let kind = if multi { "multi_profit_sharing" } else { "profit_sharing" };
    store.sharing.record(Gateway::Wechat, kind, id, &by, Some(appid), Some(shares(body)));
    Ok(reply)
}

/// `POST .../alipay/profit-sharing/`.
pub fn alipay_sharing(store: &mut Store, body: &Map<String, Value>) -> Result<Value, ApiError> {
    let trade_no = non_empty_str(body, "trade_no")?.ok_or_else(|| err(400, "trade_no is required"))?;
    let sharing = &store.sharing;
    let total = receivers_total(body, |t, a| sharing.alipay_registered(t, a), &["userId", "loginName"], None, false)?;
    let order = shareable_order(store, trade_no, Gateway::Alipay, "order is not an Alipay order")?;
    let cap = order.unrefunded_fen();
    if order.shared_fen + total > cap {
        return Err(err(
            400,
            format!(
                "total profit sharing {} fen exceeds the order amount after refunds ({} fen, {} fen already shared)",
                order.shared_fen + total,
                cap,
                order.shared_fen
            ),
        ));
    }
    order.shared_fen += total;
    let reply = json!({ "return_code": "10000", "trade_no": order.trade_no });
    let (id, by) = (order.id, order.created_by_name.clone());
    store.sharing.record(Gateway::Alipay, "profit_sharing", id, &by, None, Some(shares(body)));
    Ok(reply)
}
