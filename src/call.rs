//! Every call that takes an options object, named by its endpoint key (the
//! JS shell calls them so): its table ([`spec`]: the sharing tables in
//! [`crate::sharing`], the payment tables in [`crate::payment`]), checked by
//! [`crate::options`], then its JSON body or query string. A new call with
//! options is one row of [`crate::endpoints::CALLS`], one table, and one arm
//! of [`spec`].

#[allow(unused_imports)]
use crate::prelude::*;

use crate::encode::encode_uri_component;
use crate::endpoints::Call;
use crate::error::HError;
use crate::options::{check_object, Field};
use crate::order::OrderQuery;
use crate::value::{json_object, Value};
use crate::{payment, sharing};

/// The option table of a call (`None` for the calls without one). Every
/// [`Call`] is named here, so a new call does not compile until it is.
pub(crate) fn spec(call: Call) -> Option<&'static [Field]> {
    Some(match call {
        Call::WechatAddReceiver => sharing::WECHAT_ADD,
        Call::WechatRemoveReceiver => sharing::WECHAT_REMOVE,
        Call::WechatFinish => sharing::WECHAT_FINISH,
        Call::WechatSharingReturn => sharing::WECHAT_RETURN,
        Call::WechatSharingReturnQuery => sharing::WECHAT_RETURN_QUERY,
        Call::AlipayAddReceiver | Call::AlipayRemoveReceiver => sharing::ALIPAY_RECEIVERS,
        Call::AlipayReceiverQuery => sharing::ALIPAY_QUERY,
        Call::WechatSharingOrders => sharing::WECHAT_ORDERS,
        Call::AlipaySharingOrders => sharing::ALIPAY_ORDERS,
        Call::WechatProfitSharing | Call::WechatMultiProfitSharing => sharing::WECHAT_SHARE,
        Call::AlipayProfitSharing => sharing::ALIPAY_SHARE,
        Call::PayWithWechat => payment::PAY_WECHAT,
        Call::PayWithAlipay => payment::PAY_ALIPAY,
        Call::PayWithQQ => payment::PAY_QQ,
        Call::Pay => payment::PAY_MINI,
        Call::OrderList | Call::Order | Call::Refund => return None,
    })
}

/// Checks `opts` against the table of `call` and returns the fields to send,
/// in table order. 605 naming the field (`receivers[0].name`) on the first
/// failure; unknown keys are refused. `what` names `opts` itself
/// (`"options"`, or `"params"` for the list filters, whose fields are then
/// named `params.x`).
pub(crate) fn check(call: Call, opts: &Value) -> Result<Vec<(&'static str, &Value)>, HError> {
    let fields = spec(call).ok_or_else(|| HError::bad_param("call", "is not a profit-sharing call"))?;
    let list = matches!(call, Call::WechatSharingOrders | Call::AlipaySharingOrders);
    if list && matches!(opts, Value::Undefined) {
        return Ok(Vec::new());
    }
    let (what, prefix) = if list { ("params", "params.") } else { ("options", "") };
    check_object(fields, opts, what, prefix)
}

/// The JSON body of a POST of [`spec`] (not a payment's: [`payment::body`]):
/// the checked fields in table order.
pub fn body(call: Call, opts: &Value) -> Result<String, HError> {
    let fields = check(call, opts)?;
    Ok(json_object(fields.iter().map(|(k, v)| (*k, *v))))
}

/// The query string (no `?`) of a lifecycle GET that takes options
/// (`getRefundmentOrder`, `receiverQuery`): the checked fields in table
/// order, `encodeURIComponent`-encoded.
pub fn query(call: Call, opts: &Value) -> Result<String, HError> {
    let mut out = String::new();
    for (i, (k, v)) in check(call, opts)?.iter().enumerate() {
        if i > 0 {
            out.push('&');
        }
        out.push_str(k);
        out.push('=');
        match v {
            Value::Number(n) => out.push_str(&n.repr),
            _ => encode_uri_component(v.as_str().unwrap_or_default(), &mut out),
        }
    }
    Ok(out)
}

/// Checks the filters of a sharing-order list (`getOrderList(params)`);
/// the query itself is then built like the payment-order list's.
pub fn check_filters(call: Call, params: &Value) -> Result<(), HError> {
    check(call, params).map(|_| ())
}

/// The query string of a sharing-order list: the filters checked, then
/// encoded by [`OrderQuery::take_query`] (offset, limit, `where={}`, the
/// filters), which resets `q` either way.
pub fn list_query(call: Call, q: &mut OrderQuery, params: &Value) -> Result<String, HError> {
    let checked = check_filters(call, params);
    let query = q.take_query(params);
    checked.and(query)
}

/// The call of an endpoint key (the JS shell names lifecycle calls by it).
pub fn call_of(key: &str) -> Result<Call, HError> {
    crate::endpoints::CALLS
        .iter()
        .find(|c| c.key == key && spec(c.call).is_some())
        .map(|c| c.call)
        .ok_or_else(|| HError::bad_param("call", "is not a profit-sharing call"))
}
