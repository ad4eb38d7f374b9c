//! The API: which path is which call, and performing it against the store.

use std::sync::atomic::{AtomicU64, Ordering as AtomicOrdering};
use std::time::{SystemTime, UNIX_EPOCH};

use baas_order::endpoints::{Call, Method as SdkMethod, CALLS, TRANSACTION_ID};
use hyper::{HeaderMap, Method};
use serde_json::{Map, Value};

use crate::auth::{authenticate, Auth};
use crate::data::{iso_micros, Gateway};
use crate::error::{err, ApiError};
use crate::lifecycle as lc;
use crate::query::ListQuery;
use crate::request::{json_object, percent_decode};
use crate::state::{lock, State};
use crate::store::Store;
use crate::{ops, payment};

/// The call `path` names, from the SDK core's one endpoint table (a trailing
/// `/` optional), with the `:transactionID` it carries (decoded; empty for a
/// path without one) and the method it must come with.
fn route(path: &str, method: &Method) -> Option<(Call, String, Method)> {
    let p = path.trim_end_matches('/');
    // The row of this path and method first (the list's path is also the
    // payment create's, by POST), else the path's first row (a 405).
    let rows = CALLS.iter().filter(|c| (c.method == SdkMethod::Post) == (method == Method::POST));
    rows.chain(CALLS.iter()).find_map(|c| {
        let id = match c.path.split_once(TRANSACTION_ID) {
            None => (p == c.path.trim_end_matches('/')).then(String::new)?,
            Some((before, after)) => {
                let id = p.strip_prefix(before)?.strip_suffix(after.trim_end_matches('/'))?;
                if id.is_empty() || id.contains('/') {
                    return None;
                }
                percent_decode(id)
            }
        };
        let method = match c.method {
            SdkMethod::Get => Method::GET,
            SdkMethod::Post => Method::POST,
        };
        Some((c.call, id, method))
    })
}

fn now_us() -> i64 {
    SystemTime::now().duration_since(UNIX_EPOCH).map(|d| d.as_micros() as i64).unwrap_or(0)
}

/// Answers one API request: 404 unknown path, 405 wrong method, 401 / 403
/// auth, else the call's JSON or its error.
pub fn api(
    state: &State,
    method: &Method,
    path: &str,
    query: &str,
    headers: &HeaderMap,
    body: &[u8],
) -> Result<Value, ApiError> {
    let (call, txn, want) = route(path, method).ok_or_else(|| err(404, "not found"))?;
    if *method != want {
        return Err(err(405, format!("method {method} not allowed here")));
    }
    let auth = authenticate(state, headers)?;
    let visible_to = match auth {
        Auth::Admin => None,
        Auth::User(u) => Some(u),
    };
    let seq = |n: &AtomicU64| n.fetch_add(1, AtomicOrdering::Relaxed);
    // One arm per call, no wildcard: a `Call` the SDK gains without a route
    // here does not compile.
    match call {
        Call::OrderList => {
            let q = ListQuery::parse(query).map_err(|m| err(400, m))?;
            let page = q.select(&lock(&state.store), visible_to);
            Ok(q.reply(&page, query))
        }
        Call::Order => {
            let store = lock(&state.store);
            store
                .by_transaction_no
                .get(&txn)
                .map(|&i| &store.orders[i])
                .filter(|o| visible_to.is_none_or(|u| o.created_by_id == u))
                .map(|o| o.to_json())
                .ok_or_else(|| err(404, "order not found"))
        }
        Call::PayWithWechat | Call::PayWithAlipay | Call::PayWithQQ | Call::Pay => {
            let Some(uid) = visible_to else {
                return Err(err(401, "creating a payment order needs a user's token"));
            };
            let host = headers.get("host").and_then(|h| h.to_str().ok()).unwrap_or("127.0.0.1");
            payment::create(&mut lock(&state.store), uid, &json_object(body)?, &format!("http://{host}"))
        }
        Call::Refund => {
            admin_write(state, visible_to, body, |s, b| ops::refund(s, b, seq(&state.refund_seq), now_us()))
        }
        Call::WechatProfitSharing => {
            admin_write(state, visible_to, body, |s, b| ops::wechat_sharing(s, b, false, seq(&state.share_seq)))
        }
        Call::WechatMultiProfitSharing => {
            admin_write(state, visible_to, body, |s, b| ops::wechat_sharing(s, b, true, seq(&state.share_seq)))
        }
        Call::AlipayProfitSharing => admin_write(state, visible_to, body, ops::alipay_sharing),
        Call::WechatAddReceiver => admin_write(state, visible_to, body, lc::wechat_add_receiver),
        Call::WechatRemoveReceiver => admin_write(state, visible_to, body, lc::wechat_remove_receiver),
        Call::WechatSharingOrders => admin_read(state, visible_to, |s| lc::list(s, Gateway::Wechat, path, query)),
        Call::WechatFinish => {
            admin_write(state, visible_to, body, |s, b| lc::wechat_finish(s, b, seq(&state.share_seq)))
        }
        Call::WechatSharingReturn => {
            admin_write(state, visible_to, body, |s, b| lc::wechat_return(s, b, &iso_micros(now_us())))
        }
        Call::WechatSharingReturnQuery => admin_read(state, visible_to, |s| lc::wechat_return_query(s, query)),
        Call::AlipayAddReceiver => admin_write(state, visible_to, body, |s, b| lc::alipay_receivers_change(s, b, true)),
        Call::AlipayRemoveReceiver => {
            admin_write(state, visible_to, body, |s, b| lc::alipay_receivers_change(s, b, false))
        }
        Call::AlipayReceiverQuery => admin_read(state, visible_to, |s| lc::alipay_receiver_query(s, query)),
        Call::AlipaySharingOrders => admin_read(state, visible_to, |s| lc::list(s, Gateway::Alipay, path, query)),
    }
}

/// 403 unless the admin token asked (`visible_to` is `None`).
fn admin_only(visible_to: Option<i64>) -> Result<(), ApiError> {
    match visible_to {
        Some(_) => Err(err(403, "this operation needs the admin token")),
        None => Ok(()),
    }
}

/// An admin call that reads the store (a GET), under the store lock.
fn admin_read(
    state: &State,
    visible_to: Option<i64>,
    call: impl FnOnce(&Store) -> Result<Value, ApiError>,
) -> Result<Value, ApiError> {
    admin_only(visible_to)?;
    call(&lock(&state.store))
}

/// An admin call with a JSON-object body (400 otherwise) that checks and
/// updates the store under one lock.
fn admin_write(
    state: &State,
    visible_to: Option<i64>,
    body: &[u8],
    call: impl FnOnce(&mut Store, &Map<String, Value>) -> Result<Value, ApiError>,
) -> Result<Value, ApiError> {
    admin_only(visible_to)?;
    let body = json_object(body)?;
    call(&mut lock(&state.store), &body)
}
