//! The JS boundary: converts, delegates to the core, sends through the
//! transport. No rules live here: validation, the token policy and what each
//! failure means are in the core modules (natively tested).
//!
//! These exports are what the package's small JS entry (`pkg-template/`)
//! wraps into the documented `BaaS` namespace; users call them through `BaaS`.

#[allow(unused_imports)]
use crate::prelude::*;

mod convert;

pub use convert::herror;
use convert::{get_string, set_error_class, to_value};

use crate::config::{Config, Platform};
use crate::endpoints::Call;
use crate::error::{HError, UNINITIALIZED};
use crate::limits::Tokens;
use crate::local::Local;
use crate::order::OrderQuery;
use crate::request::RequestSpec;
use crate::request::Transport;
use crate::response::{self, Body, Failure, REPLY_ANSWER, REPLY_UNSENT};
use crate::sys::{self, Function, Indexed, Object, Promise};
use crate::tickets::Tickets;
use crate::transport;
use crate::value::Value;
use wasm_bindgen::prelude::*;

static CONFIG: Local<Option<Config>> = Local::new(None);
/// The tokens given to `init` and `setToken` (refused ones too) and the
/// stored ones requests were sent with: hidden from every HError ([`redact`]).
static GIVEN: Local<Tokens> = Local::new(Tokens::new());
static HOST: Local<Host> = Local::new(Host { transport: Transport::Fetch, token: None, send: None });
/// The requests handed to `send` whose answer has not come back, by ticket.
static PENDING: Local<Tickets<Pending>> = Local::new(Tickets::new());

/// What the JS entry supplies for runtimes without `fetch` / `localStorage`
/// (mini-programs), or what the user passed as `request`.
struct Host {
    /// `fetch`, or `({url, method, headers, body, timeout}) => Promise<{status, headers, text}>`.
    transport: Transport<Function>,
    /// `() => string | undefined`: the token minapp-sdk stored at login.
    token: Option<Function>,
    /// The shell's `send(url, method, headers, body, timeout, signal, ticket, request?)`
    /// (`pkg-template/src/send.js`): sends the request with `request`, or
    /// `fetch` when that is undefined, and returns the Promise of
    /// [`reply`]`(ticket, answer, kind)`.
    send: Option<Function>,
}

/// A request handed to `send`, kept until its answer comes back to [`reply`].
struct Pending {
    spec: RequestSpec,
    timeout_ms: u32,
    /// Sent by the package's own `fetch` adapter (not a host request function):
    /// only then may a failure say "not sent" (`reply`'s `kind` 2).
    fetched: bool,
    /// The caller's `AbortSignal`, if any.
    signal: Option<JsValue>,
    /// For a page `iterate` asked for: its offset (the answer is checked as
    /// a list page, see [`response::next_page`]).
    page: Option<u64>,
    /// The token it was sent with (or ""): hidden from its answer's and its
    /// failure's errors however many tokens were given since ([`sent_token`]).
    token: String,
}

fn host_fn(host: &JsValue, key: &'static str) -> Option<Function> {
    if !host.is_object() {
        return None;
    }
    transport::get(host, key)?.dyn_into().ok()
}

fn reject(e: &HError) -> JsValue {
    herror(e, None)
}

/// A Promise rejected with the HError `e` (one copy for every call's
/// refusals).
#[inline(never)]
fn rejected(e: HError) -> Promise {
    Promise::reject(&reject(&e))
}

fn uninitialized() -> HError {
    // minapp-sdk's text for 602 (the JS shell says the same before the wasm loads).
    HError::new(UNINITIALIZED, "uninitialized")
}

/// Builds a request from the configuration as it is now (602 before `init`),
/// with the stored-login token when none was given, and sends it: a Promise
/// of the reply, or a rejected one when validation failed (nothing sent).
/// `arg` is the call's argument as read (a 605 when it was past the input
/// budget), reported after the 602. (`build` is a trait object so that this
/// body exists once in the wasm, not once per call site.)
fn request(
    arg: Result<Value, HError>,
    call_options: &JsValue,
    page: Option<u64>,
    build: &dyn Fn(&Config, &Value) -> Result<RequestSpec, HError>,
) -> Promise {
    // Read the stored token before borrowing the configuration: it may call JS.
    let needs_token = CONFIG.with(|c| c.borrow().as_ref().is_some_and(|c| !c.has_token()));
    let stored = if needs_token { stored_token() } else { None };
    // Sent with, so hidden from every error to come (a login may change what is stored).
    keep(stored.clone());
    // Read before borrowing the configuration too.
    let call = read_call_options(call_options);
    let built = CONFIG.with(|c| {
        let c = c.borrow();
        let config = c.as_ref().ok_or_else(uninitialized)?;
        let arg = arg?;
        let (timeout_ms, signal) = call?;
        Ok((build(&config.with_stored_token(stored), &arg)?, timeout_ms.unwrap_or(config.timeout_ms), signal))
    });
    match built {
        Err(e) => rejected(e),
        Ok((_, _, Some(signal))) if aborted(&signal) => {
            let e = herror(&response::aborted_before_sending(), None);
            set_cause(&e, &signal);
            Promise::reject(&e)
        }
        Ok((spec, timeout_ms, signal)) => send(spec, timeout_ms, signal, page),
    }
}

/// The per-call options `{ signal, timeout }` (the trailing argument of every
/// call that sends): the timeout for this call, and the caller's
/// `AbortSignal` (605 naming `callOptions.signal` for anything else).
#[inline(never)]
fn read_call_options(options: &JsValue) -> Result<(Option<u32>, Option<JsValue>), HError> {
    let timeout = crate::config::call_timeout(&to_value(options, "callOptions")?)?;
    Ok((timeout, signal_in(options, "callOptions.signal")?))
}

/// The `signal` of `options` (undefined or an object, checked so before):
/// none, or an `AbortSignal` (a boolean `aborted` and the two listener
/// methods, each read through a catching call; only JS can tell one), else
/// the 605 naming `field`. A getter that throws gives no signal: a 605.
#[inline(never)]
fn signal_in(options: &JsValue, field: &str) -> Result<Option<JsValue>, HError> {
    if options.is_undefined() {
        return Ok(None);
    }
    let signal = transport::get(options, "signal").unwrap_or(JsValue::NULL);
    if signal.is_undefined() {
        return Ok(None);
    }
    let is_signal = signal.is_object()
        && transport::get(&signal, "aborted").is_some_and(|a| a.as_bool().is_some())
        && ["addEventListener", "removeEventListener"]
            .iter()
            .all(|k| transport::get(&signal, k).is_some_and(|f| f.is_function()));
    if !is_signal {
        return Err(HError::bad_param(field, "must be an AbortSignal"));
    }
    Ok(Some(signal))
}

/// `signal.aborted` (read through a catching call: a getter that throws is "not aborted").
#[inline(never)]
fn aborted(signal: &JsValue) -> bool {
    transport::get(signal, "aborted").is_some_and(|a| a.is_truthy())
}

/// Sets the HError `e`'s `cause` to `signal.reason`.
#[inline(never)]
fn set_cause(e: &JsValue, signal: &JsValue) {
    let reason = transport::get(signal, "reason").unwrap_or(JsValue::UNDEFINED);
    let _ = sys::reflect_set(e, &transport::key("cause"), &reason);
}

/// Hands `spec` to the shell's `send` with the transport of the configuration
/// the request was built from, and returns its Promise (an `init` before the
/// answer comes back changes nothing for this call).
fn send(spec: RequestSpec, timeout_ms: u32, signal: Option<JsValue>, page: Option<u64>) -> Promise {
    let (transport, send) = HOST.with(|h| {
        let h = h.borrow();
        (h.transport.clone(), h.send.clone())
    });
    let Some(send) = send else {
        return rejected(response::failure(Failure::NoFetch, timeout_ms, false));
    };
    let headers = match transport::headers_object(&spec.headers) {
        Ok(headers) => headers,
        Err(_) => {
            let f = Failure::NotSent("the request could not be built".into());
            return rejected(response::failure(f, timeout_ms, spec.moves_money));
        }
    };
    let (via, fetched) = match transport {
        Transport::Host(f) => (JsValue::from(f), false),
        Transport::Fetch => (JsValue::UNDEFINED, true),
    };
    let url = JsValue::from_str(&spec.url);
    let method = transport::key(spec.method.as_str());
    let body = spec.body.as_deref().map_or(JsValue::UNDEFINED, JsValue::from_str);
    let signal_js = signal.clone().unwrap_or(JsValue::UNDEFINED);
    let token = sent_token(&spec);
    let ticket = PENDING.with(|p| p.borrow_mut().put(Pending { spec, timeout_ms, fetched, signal, page, token }));
    match send.unchecked_ref::<transport::SendFn>().call_send(
        &JsValue::NULL,
        &url,
        &method,
        &headers,
        &body,
        timeout_ms,
        &signal_js,
        ticket,
        &via,
    ) {
        // `send` returns a Promise: `Promise.resolve` hands that same one back.
        Ok(p) => Promise::resolve(&p),
        Err(e) => {
            // The shell's `send` catches everything it runs; should it throw
            // all the same, the ticket is dropped (a late answer finds
            // nothing) and the call fails: outcome unknown.
            let e = take(ticket).map(|p| {
                let e = response::failure(transport::failure(&e, false), p.timeout_ms, p.spec.moves_money);
                hidden(e, &p.token)
            });
            rejected(e.unwrap_or_else(|| HError::new(crate::error::NETWORK, "request failed")))
        }
    }
}

/// A page `iterate` asked for at `at`, from its parsed 2xx answer `data`:
/// `{ objects, next }` ([`response::next_page`] decides), or its 600 with
/// the answer as `e.data`.
fn list_page(at: u64, data: &JsValue) -> Result<JsValue, JsValue> {
    let field = |v: &JsValue, k| if v.is_object() { transport::get(v, k) } else { None };
    let meta = field(data, "meta").filter(|m| m.is_object());
    let objects = field(data, "objects").filter(|o| sys::is_array(o).unwrap_or(false));
    let next = response::next_page(
        at,
        meta.as_ref().and_then(|m| field(m, "offset")).and_then(|o| o.as_f64()),
        meta.as_ref().and_then(|m| field(m, "next")).is_some_and(|n| n.is_truthy()),
        objects.as_ref().map(|o| o.unchecked_ref::<Indexed>().length()),
    )
    .map_err(|e| herror(&e, Some(data)))?;
    let res = Object::new();
    transport::set(&res, "objects", &objects.unwrap_or(JsValue::UNDEFINED))?;
    transport::set(&res, "next", &next.map_or(JsValue::UNDEFINED, |n| JsValue::from(n as f64)))?;
    Ok(res.into())
}

/// The token `spec` is sent with (`Authorization: Hydrogen-r1 <token>`), or "".
fn sent_token(spec: &RequestSpec) -> String {
    let auth = spec.headers.iter().find(|(k, _)| *k == "Authorization");
    auth.and_then(|(_, v)| v.strip_prefix("Hydrogen-r1 ")).unwrap_or("").into()
}

/// `e` without `token` in its text: the token a request was sent with, which
/// a server or a request function may echo into its answer's error (the
/// kept tokens, [`GIVEN`], may no longer hold it: a ring of the last four).
fn hidden(mut e: HError, token: &str) -> HError {
    e.text = crate::limits::hide(e.text, token, false);
    e
}

fn take(ticket: u32) -> Option<Pending> {
    PENDING.with(|p| p.borrow_mut().take(ticket))
}

/// The token `minapp-sdk` stored after login, if any, as the JS entry reads it
/// (web: `localStorage`; mini-programs: `wx.getStorageSync`). A failure to
/// read it means "no stored token".
fn stored_token() -> Option<String> {
    let read = HOST.with(|h| h.borrow().token.clone())?;
    let token = read.call0(&JsValue::NULL).ok()?;
    // Never copy more than a token can be into wasm memory (the core refuses it anyway).
    if !token.is_string() || token.unchecked_ref::<Indexed>().length() as usize > crate::limits::MAX_TOKEN {
        return None;
    }
    token.as_string()
}

/// Keeps a token given to `init` or `setToken` (as read, before it is
/// checked), or the stored one a request is sent with.
fn keep(token: Option<String>) {
    if let Some(t) = token {
        GIVEN.with(|g| g.borrow_mut().keep(t));
    }
}

/// A token as given, read on its own before the input budget reads the
/// rest (so one an init refused for another field, or one past the token
/// cap, is kept too): a string of at most [`crate::limits::MAX_STRING_TOTAL`]
/// characters, copied whole. A longer one is not copied into wasm memory;
/// it can only show in a text longer still, which the shell never hands to
/// [`redact`] (it uses the code's default text instead).
fn given(token: Option<JsValue>) -> Option<String> {
    let fits = |t: &JsValue| t.is_string() && t.unchecked_ref::<Indexed>().length() <= crate::limits::MAX_STRING_TOTAL;
    token.filter(fits)?.as_string()
}

/// An HError's text, or its field when `name` is set, without the tokens
/// kept in [`GIVEN`] or the one minapp-sdk stores now
/// ([`crate::limits::Tokens::redact`]; in a field, a path of names, only a
/// whole name that is a token is hidden). The one redaction: the shell's
/// `HError` constructor calls it for every HError once the wasm is loaded,
/// the shell's and the wasm's own alike ([`herror`] makes them through that
/// constructor). Internal (the shell's, not in `BaaS`).
///
/// ```js
/// new BaaS.HError(605, 'unknown field ' + token).message // '605: unknown field <redacted>'
/// ```
#[wasm_bindgen]
pub fn redact(s: &str, name: bool) -> JsValue {
    let stored = stored_token().unwrap_or_default();
    // Made while GIVEN is borrowed, handed to JS after: a JS import that
    // throws (a text too long for a JS string) must leave no cell borrowed.
    let s = GIVEN.with(|g| g.borrow().redact(s, &stored, name));
    JsValue::from_str(&s)
}

/// Configures the SDK. Called by `BaaS.init` once the wasm is loaded; calling
/// it again reconfigures (host, token, timeout) and keeps nothing else.
/// `host` is `{ HError, request?, token? }` from the JS shell: the class every
/// rejection is made with, and for runtimes without `fetch` / `localStorage`
/// the request function and the stored-token reader (see [`Host`]).
///
/// ```js
/// await BaaS.init('your-client-id', { host: 'http://127.0.0.1:8787', timeout: 5000 })
/// ```
#[wasm_bindgen]
pub fn init(client_id: JsValue, options: JsValue, platform: &str, host: JsValue) -> Result<(), JsValue> {
    // Before anything can be refused: its token is hidden from now on, and
    // so is the stored one, even when this init is refused (for any field:
    // the token is read on its own, before the input budget reads the rest).
    keep(given(transport::get(&options, "token")));
    let options = to_value(&options, "options");
    // And the token as this read found it, which is the one configured (a
    // getter may answer differently the second time).
    keep(options.as_ref().ok().and_then(|o| o.get("token")).and_then(Value::as_str).map(String::from));
    HOST.with(|h| h.borrow_mut().token = host_fn(&host, "token"));
    set_error_class(host_fn(&host, "HError"));
    let platform = match platform {
        "WECHAT" => Platform::Wechat,
        "ALIPAY" => Platform::Alipay,
        "NODE" => Platform::Node,
        _ => Platform::Web,
    };
    // The clientID is checked first, then the options.
    let read = to_value(&client_id, "clientID").and_then(|id| Config::from_init(&id, &options?, platform));
    // (The JS shell clears the previous token when init is refused.)
    let config = read.map_err(|e| reject(&e))?;
    CONFIG.with(|c| *c.borrow_mut() = Some(config));
    transport::forget_headers();
    let transport = Transport::choose(host_fn(&host, "request"));
    HOST.with(|h| *h.borrow_mut() = Host { transport, token: host_fn(&host, "token"), send: host_fn(&host, "send") });
    Ok(())
}

/// Uses `token` for every following request (`Authorization: Hydrogen-r1 <token>`).
///
/// ```js
/// BaaS.setToken('token-from-your-login')
/// ```
#[wasm_bindgen(js_name = setToken)]
pub fn set_token(token: JsValue) -> Result<(), JsValue> {
    // Read before borrowing the configuration: reading may run user code.
    keep(given(Some(token.clone())));
    let token = to_value(&token, "token");
    with_config_mut(|c| match token {
        Ok(token) => c.set_token(&token),
        Err(e) => {
            c.clear_token(); // fail closed, as `Config::set_token` does
            Err(e)
        }
    })
}

/// Forgets the token set by `init` or `setToken` (the stored login token, if
/// any, is used again).
///
/// ```js
/// BaaS.clearToken()
/// ```
#[wasm_bindgen(js_name = clearToken)]
pub fn clear_token() -> Result<(), JsValue> {
    with_config_mut(|c| {
        c.clear_token();
        Ok(())
    })
}

fn with_config_mut(f: impl FnOnce(&mut Config) -> Result<(), HError>) -> Result<(), JsValue> {
    // The token changes: the last headers (holding the old one) are dropped.
    transport::forget_headers();
    CONFIG
        .with(|c| match c.borrow_mut().as_mut() {
            Some(config) => f(config),
            None => Err(uninitialized()),
        })
        .map_err(|e| reject(&e))
}

/// The names of the `BaaS.Order` query setters, as the shell keeps their values.
const QUERY_KEYS: [&str; 6] = ["offset", "limit", "orderBy", "select", "expand", "setQuery"];

/// Applies the setter `key` to `q` with `v` (605 naming `key`, or unknown field).
fn apply(q: &mut OrderQuery, key: &str, v: &JsValue) -> Result<(), HError> {
    let set = OrderQuery::setter(key).ok_or_else(|| HError::unknown_field(key))?;
    set(q, &to_value(v, key)?)
}

/// `order.offset(n)`, `.limit(n)`, `.orderBy(keys)`, `.select(keys)`,
/// `.expand(keys)`, `.setQuery(query)` (`key` is the method's name, `value`
/// its argument): checks one setter's value and returns what `BaaS.Order`
/// keeps: the value as given, or for `setQuery` (`value` the query's
/// `queryObject`) a copy of it as it is now; throws HError 605 naming `key`
/// when refused. Each `BaaS.Query` call comes here too, as `key`
/// `Query.<method>` with `value` the array of its arguments (for `Query.and`
/// / `Query.or`, the joined queries' objects), read within one input budget:
/// it returns the conditions the call appends to the query's
/// `$and`, which [`crate::order::baas_query::call`] checks and writes, or
/// throws the 605 (611 for an operator no order field has). `BaaS.Order`
/// keeps the values itself and hands them to the call, so the query state is
/// plain JS (a page of `iterate` is the same state with another offset).
///
/// ```js
/// const order = new BaaS.Order()
/// const res = await order.offset(20).limit(20).orderBy('-created_at').getOrderList()
/// ```
#[wasm_bindgen(js_name = checkQuery)]
pub fn check_query(key: &str, value: JsValue) -> Result<JsValue, JsValue> {
    let written = match key.starts_with("Query.") {
        true => crate::order::baas_query::call(key, &convert::query_args(&value)),
        false => {
            let mut q = OrderQuery::default();
            apply(&mut q, key, &value).map(|()| q.where_json().map(String::from))
        }
    };
    match written.map_err(|e| reject(&e))? {
        Some(json) => transport::json_parse(&JsValue::from_str(&json)),
        None => Ok(value),
    }
}

/// `order.getOrderList(params?)`: the order list, filtered by `params`
/// (the seed's fields, `paid_at__gte`, `paid_at__lte`), with `query`, the
/// setters' values `{ offset?, limit?, orderBy?, select?, expand?, setQuery? }`
/// (offset 0, limit 20 when absent). `BaaS.Order` starts afresh after every call.
/// `page` is true for a page of `order.iterate()`: `params.offset` is then a
/// 605 before anything is sent, and the answer is `{ objects, next }` (the
/// page's items, the next page's offset or undefined) or a 600 when it is no
/// list page ([`response::next_page`]).
///
/// ```js
/// const res = await new BaaS.Order().getOrderList({ gateway_type: 'weixin_tenpay' })
/// res.data.objects.forEach(o => console.log(o.trade_no, o.total_cost))
/// ```
#[wasm_bindgen(js_name = getOrderList)]
pub fn get_order_list(query: JsValue, params: JsValue, call_options: JsValue, page: bool) -> Promise {
    // `null`: minapp-sdk's top-level `BaaS.getOrderList(params)`, the params alone.
    let query = match query.is_null() {
        true => to_value(&params, "params").and_then(|p| OrderQuery::params_query(&p)).map(|q| (q, None)),
        false => query_of(&query, &QUERY_KEYS).and_then(|q| paged(q, page, &params, &|q, p| q.take_query(p))),
    };
    list(Call::OrderList, query, &call_options)
}

/// The query string of `q` with `params`, and for a page of `iterate` where
/// it starts ([`response::page_start`]: `params.offset` refused).
fn paged(
    mut q: OrderQuery,
    page: bool,
    params: &JsValue,
    take: &dyn Fn(&mut OrderQuery, &Value) -> Result<String, HError>,
) -> Result<(String, Option<u64>), HError> {
    let params = to_value(params, "params")?;
    let at = if page { Some(response::page_start(q.offset(), &params)?) } else { None };
    Ok((take(&mut q, &params)?, at))
}

/// Sends the list GET of `call` with its query string, or rejects with the
/// HError that stopped building it (nothing sent).
fn list(call: Call, query: Result<(String, Option<u64>), HError>, call_options: &JsValue) -> Promise {
    match query {
        Ok((query, page)) => {
            request(Ok(Value::Undefined), call_options, page, &|c, _| Ok(c.list_request(call.info(), &query)))
        }
        Err(e) => rejected(e),
    }
}

/// The query of the shell's state object: each of `keys` it holds, checked
/// by its setter (the first refusal is the 605).
fn query_of(query: &JsValue, keys: &[&'static str]) -> Result<OrderQuery, HError> {
    let mut q = OrderQuery::default();
    for key in keys {
        let v = transport::get(query, key).unwrap_or(JsValue::UNDEFINED);
        if !v.is_undefined() {
            apply(&mut q, key, &v)?;
        }
    }
    Ok(q)
}

/// `order.get(transactionID)`: one order by its transaction number.
///
/// ```js
/// const { data } = await new BaaS.Order().get('v4WoZ7aNyZPaZbNlFffOZLvagUKqDcOw')
/// ```
#[wasm_bindgen(js_name = getOrder)]
pub fn get_order(transaction_id: JsValue, call_options: JsValue) -> Promise {
    let id = to_value(&transaction_id, "transactionID");
    request(id, &call_options, None, &|c, id| c.order_request(id))
}

/// `BaaS.refund(data)`: refunds an order identified by `order_id`, `trade_no`
/// or `transaction_no`; `refund_amount` (yuan) defaults to what remains.
/// Sent once, never retried.
///
/// ```js
/// const { data } = await BaaS.refund({ order_id: 29973, refund_amount: 1.5, memo: '测试退款' })
/// if (data.status === 'failed') console.log(data.error_msg)
/// ```
#[wasm_bindgen]
pub fn refund(data: JsValue, call_options: JsValue) -> Promise {
    let data = to_value(&data, "data");
    request(data, &call_options, None, &|c, d| c.refund_request(d))
}

/// Every call with an option table ([`crate::call`]), named by its
/// endpoint key: the payment creates `payWithWechat`, `payWithAlipay`,
/// `payWithQQ` (`BaaS.payment`) and `pay` (`BaaS.pay` in mini-programs),
/// checked by [`crate::payment::body`] and sent once, never retried; and the
/// profit-sharing lifecycle calls that take options: `BaaS.wechat.profitSharing.addReceiver` / `.removeReceiver`,
/// its `Order`'s `finish`, `refund` (分账回退, a return) and
/// `getRefundmentOrder`; `BaaS.alipay.profitSharing.addReceiver` /
/// `.removeReceiver` / `.receiverQuery`. The options are checked against the
/// call's table ([`crate::call::spec`]; 605 naming the field, nothing sent).
/// Finish and return move money: sent once, never retried; a return is the
/// one with an idempotency key: sending it again with the same `refund_no`
/// is safe.
///
/// ```js
/// await BaaS.wechat.profitSharing.addReceiver({ mch_id: '1501889000', appid,
///   type: 'MERCHANT_ID', account: '1900000109', relation_type: 'PARTNER', name: '示例商户' })
/// ```
#[wasm_bindgen]
pub fn call(key: &str, options: JsValue, call_options: JsValue) -> Promise {
    let options = to_value(&options, "options");
    match crate::call::call_of(key) {
        Ok(call) => request(options, &call_options, None, &|c, o| c.call_request(call, o)),
        Err(e) => rejected(e),
    }
}

/// `new BaaS.wechat.profitSharing.Order().getOrderList(params)` (and
/// Alipay's, by endpoint key): the sharing orders, filtered by `trade_no`,
/// `status`, `order_type` (WeChat) and `payment_order_id`, with `query` the
/// setters' values `{ offset?, limit? }` as `getOrderList` takes them, and
/// `page` as there (a page of `iterate`).
///
/// ```js
/// const { data } = await new BaaS.wechat.profitSharing.Order().limit(20).getOrderList({ status: 'finished' })
/// ```
#[wasm_bindgen(js_name = getSharingList)]
pub fn get_sharing_list(key: &str, query: JsValue, params: JsValue, call_options: JsValue, page: bool) -> Promise {
    match crate::call::call_of(key) {
        Ok(call) => list(
            call,
            query_of(&query, &QUERY_KEYS[..2])
                .and_then(|q| paged(q, page, &params, &|q, p| crate::call::list_query(call, q, p))),
            &call_options,
        ),
        Err(e) => rejected(e),
    }
}

/// `order.waitForPayment(transactionID, options)`: checks its options
/// (`timeout` 1 to 2147483647 ms; `interval` 500 to 2147483647 ms; `signal`
/// an `AbortSignal`; nothing else: [`crate::payment::check_wait`]) and throws
/// the HError 605 naming the field, before anything is sent; returns what it
/// checked, `[timeout, interval, signal]` (the defaults 300000 and 2000 for
/// those absent), which the shell's polling loop (`payment.js`: timers, one
/// `get` at a time) uses as they are: the options are read once.
///
/// ```js
/// const { data } = await new BaaS.Order().waitForPayment(transactionNo, { timeout: 120000 })
/// ```
#[wasm_bindgen(js_name = checkWait)]
pub fn check_wait(options: JsValue) -> Result<JsValue, JsValue> {
    let read = || -> Result<JsValue, HError> {
        let [timeout, interval] = crate::payment::check_wait(&to_value(&options, "options")?)?;
        let signal = signal_in(&options, "options.signal")?.unwrap_or(JsValue::UNDEFINED);
        Ok(sys::array_of4(&timeout.into(), &interval.into(), &signal, &JsValue::UNDEFINED))
    };
    read().map_err(|e| reject(&e))
}

/// The shell's `send` calls this once per request with its `ticket`: with
/// the answer `{ status, headers, text }` (`kind` [`REPLY_ANSWER`]), or with
/// why it failed: [`REPLY_FAILURE`], or [`REPLY_UNSENT`] for a failure the
/// package's own `fetch` adapter made before it called `fetch` (only those
/// may say "not sent"). Returns `{ data, status, statusCode, headers }` or
/// throws the HError. Internal (the shell's, not in `BaaS`):
/// `pkg-template/src/send.js` calls `sent.then(a => reply(ticket, a,
/// REPLY_ANSWER), e => reply(ticket, e, ours(e) ? REPLY_UNSENT : REPLY_FAILURE))`
/// with the names from `tables.js`.
#[wasm_bindgen]
pub fn reply(ticket: u32, answer: JsValue, kind: u32) -> Result<JsValue, JsValue> {
    let failed = kind != REPLY_ANSWER;
    let Some(Pending { spec, timeout_ms, fetched, signal, page, token }) = take(ticket) else {
        // Only the shell's `send` answers, once per ticket it sent (nothing
        // else can reach `reply`): an answer that finds no request means a
        // request's own answer is lost, and it may have moved money.
        let f = Failure::Network("no request is waiting for this answer".into());
        return Err(reject(&response::failure(f, 0, true)));
    };
    // A failure after the caller's signal fired is its abort (whatever the transport said).
    let by_signal = signal.filter(|s| failed && aborted(s));
    let got = match &by_signal {
        Some(_) => Err(Failure::Aborted),
        None if failed => Err(transport::failure(&answer, fetched && kind == REPLY_UNSENT)),
        None => transport::answer(&answer),
    };
    let reply = got.map_err(|f| {
        let e = reject(&hidden(response::failure(f, timeout_ms, spec.moves_money), &token));
        if let Some(signal) = &by_signal {
            set_cause(&e, signal);
        }
        e
    })?;
    let parsed = transport::json_parse(&reply.text).ok();
    // The error texts are read only from a reply that is an error.
    let (error_msg, message) = match &parsed {
        Some(v) if !response::is_success(reply.status) => (get_string(v, "error_msg"), get_string(v, "message")),
        _ => (None, None),
    };
    // WeChat's SYSTEMERROR / FREQUENCY_LIMITED on a sharing, finish or return: "do not call again".
    let err_code = match &parsed {
        Some(v) if response::wechat_guarded(spec.call) => get_string(v, "err_code"),
        _ => None,
    };
    let verdict = match response::wechat_hold(spec.call, reply.status, err_code.as_deref(), error_msg.as_deref()) {
        Some(e) => Err(e),
        None => {
            let body = match parsed {
                Some(_) => Body::Json { error_msg: error_msg.as_deref(), message: message.as_deref() },
                None => Body::Malformed,
            };
            response::check(reply.status, body, spec.moves_money)
        }
    };
    verdict.map_err(|e| herror(&hidden(e, &token), parsed.as_ref()))?;
    if let (Some(at), Some(data)) = (page, &parsed) {
        return list_page(at, data);
    }
    let res = Object::new();
    let status = JsValue::from(reply.status);
    transport::set(&res, "data", &parsed.unwrap_or(JsValue::NULL))?;
    transport::set(&res, "status", &status)?;
    transport::set(&res, "statusCode", &status)?;
    transport::set(&res, "headers", &reply.headers)?;
    Ok(res.into())
}
