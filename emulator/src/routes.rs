//! The API: which path is which call, and performing it against the store.

use std::sync::atomic::Ordering as AtomicOrdering;
use std::time::{SystemTime, UNIX_EPOCH};

use baas_order::endpoints::{Call, Method as SdkMethod, CALLS, TRANSACTION_ID};
use hyper::{HeaderMap, Method};
use serde_json::Value;

use crate::auth::{authenticate, Auth};
use crate::error::{err, ApiError};
use crate::ops;
use crate::query::ListQuery;
use crate::request::{json_object, percent_decode};
use crate::state::{lock, State};

enum Route {
    List,
    Get(String),
    Refund,
    WechatShare,
    WechatMultiShare,
    AlipayShare,
    /// Creating a payment order (`crate::payment`).
    Pay,
    /// A lifecycle call (receivers, sharing orders, finish, return, queries).
    Lifecycle(Call),
}

/// The call `path` names, from the SDK core's one endpoint table (a trailing
/// `/` optional), with the method it must come with.
fn route(path: &str, method: &Method) -> Option<(Route, Method)> {
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
        let route = match c.call {
            Call::OrderList => Route::List,
            Call::Order => Route::Get(id),
            Call::Refund => Route::Refund,
            Call::WechatProfitSharing => Route::WechatShare,
            Call::WechatMultiProfitSharing => Route::WechatMultiShare,
            Call::AlipayProfitSharing => Route::AlipayShare,
            Call::PayWithWechat | Call::PayWithAlipay | Call::PayWithQQ | Call::Pay => Route::Pay,
            other => Route::Lifecycle(other),
        };
        let method = match c.method {
            SdkMethod::Get => Method::GET,
            SdkMethod::Post => Method::POST,
        };
        Some((route, method))
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
    let (route, want) = route(path, method).ok_or_else(|| err(404, "not found"))?;
    if *method != want {
        return Err(err(405, format!("method {method} not allowed here")));
    }
    let auth = authenticate(state, headers)?;
    let visible_to = match auth {
        Auth::Admin => None,
        Auth::User(u) => Some(u),
    };
    match route {
        Route::List => {
            let q = ListQuery::parse(query).map_err(|m| err(400, m))?;
            let page = q.select(&lock(&state.store), visible_to);
            Ok(q.reply(&page, query))
        }
        Route::Get(txn) => {
            let store = lock(&state.store);
            store
                .by_transaction_no
                .get(&txn)
                .map(|&i| &store.orders[i])
                .filter(|o| visible_to.is_none_or(|u| o.created_by_id == u))
                .map(|o| o.to_json())
                .ok_or_else(|| err(404, "order not found"))
        }
        Route::Pay => {
            let Some(uid) = visible_to else {
                return Err(err(401, "creating a payment order needs a user's token"));
            };
            let host = headers.get("host").and_then(|h| h.to_str().ok()).unwrap_or("127.0.0.1");
            crate::payment::create(&mut lock(&state.store), uid, &json_object(body)?, &format!("http://{host}"))
        }
        Route::Lifecycle(call) => {
            if visible_to.is_some() {
                return Err(err(403, "this operation needs the admin token"));
            }
            lifecycle(state, call, path, query, body)
        }
        Route::Refund | Route::WechatShare | Route::WechatMultiShare | Route::AlipayShare => {
            if visible_to.is_some() {
                return Err(err(403, "this operation needs the admin token"));
            }
            let body = json_object(body)?;
            let mut store = lock(&state.store);
            match route {
                Route::Refund => {
                    let id = state.refund_seq.fetch_add(1, AtomicOrdering::Relaxed);
                    ops::refund(&mut store, &body, id, now_us())
                }
                Route::WechatShare | Route::WechatMultiShare => {
                    let n = state.share_seq.fetch_add(1, AtomicOrdering::Relaxed);
                    ops::wechat_sharing(&mut store, &body, matches!(route, Route::WechatMultiShare), n)
                }
                _ => ops::alipay_sharing(&mut store, &body),
            }
        }
    }
}

/// A lifecycle call, under the one store lock.
fn lifecycle(state: &State, call: Call, path: &str, query: &str, body: &[u8]) -> Result<Value, ApiError> {
    use crate::data::Gateway;
    use crate::lifecycle as lc;
    if call.info().method == SdkMethod::Get {
        let store = lock(&state.store);
        return match call {
            Call::WechatSharingOrders => lc::list(&store, Gateway::Wechat, path, query),
            Call::AlipaySharingOrders => lc::list(&store, Gateway::Alipay, path, query),
            Call::WechatSharingReturnQuery => lc::wechat_return_query(&store, query),
            Call::AlipayReceiverQuery => lc::alipay_receiver_query(&store, query),
            _ => Err(err(404, "not found")),
        };
    }
    let body = json_object(body)?;
    let mut store = lock(&state.store);
    match call {
        Call::WechatAddReceiver => lc::wechat_add_receiver(&mut store, &body),
        Call::WechatRemoveReceiver => lc::wechat_remove_receiver(&mut store, &body),
        Call::AlipayAddReceiver => lc::alipay_receivers_change(&mut store, &body, true),
        Call::AlipayRemoveReceiver => lc::alipay_receivers_change(&mut store, &body, false),
        Call::WechatFinish => {
            let n = state.share_seq.fetch_add(1, AtomicOrdering::Relaxed);
            lc::wechat_finish(&mut store, &body, n)
        }
        Call::WechatSharingReturn => lc::wechat_return(&mut store, &body, &crate::data::iso_micros(now_us())),
        _ => Err(err(404, "not found")),
    }
}
