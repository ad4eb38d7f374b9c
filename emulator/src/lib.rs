//! # baas-emulator
//!
//! A local HTTP stand-in for the 知晓云 (MinCloud) payment-order API, used by
//! the SDK's tests and by the demo. It keeps all data in memory, replies with
//! the JSON shapes of the official documentation and can record requests and
//! inject faults for tests.
//!
//! ## Flags
//!
//! ```text
//! baas-emulator [--host H] [--port P] [--client-id ID] [--admin-token T]
//!               [--user-token UID=TOKEN]... [--orders N] [--seed S] [--help]
//!
//!   --host H               address to bind (default 127.0.0.1)
//!   --port P               port (default 8787; 0 = pick a free port)
//!   --client-id ID         required X-Hydrogen-Client-ID (default demo-client-id)
//!   --admin-token T        admin token: sees all orders, may refund and share
//!                          (default demo-admin-token)
//!   --user-token UID=TOKEN user token: sees only orders with created_by_id = UID;
//!                          repeatable (default one user: 1=demo-user-token)
//!   --orders N             generate N deterministic demo orders (default 0)
//!   --seed S               seed of the demo data (default 42)
//! ```
//!
//! On start it prints `baas-emulator listening on http://HOST:PORT` (the port
//! actually bound) as its first stdout line, then one line with the client id,
//! admin token and order count.
//!
//! ## API
//!
//! | method | path |
//! |---|---|
//! | GET | `/hserve/v2.2/idp/pay/order/` (list: `limit` ≤ 1000, `offset`, `where`, `order_by`, `paid_at__gte`, `paid_at__lte`, equality on every order field) |
//! | GET | `/hserve/v2.0/idp/pay/order/{transaction_no}/` |
//! | POST | `/hserve/v2.0/idp/pay/refund/` |
//! | POST | `/hserve/v2.0/idp/pay/wechat/profit-sharing/` |
//! | POST | `/hserve/v2.0/idp/pay/wechat/multi-profit-sharing/` |
//! | POST | `/hserve/v2.0/idp/pay/alipay/profit-sharing/` |
//!
//! Every request needs `X-Hydrogen-Client-ID: <client id>` and
//! `Authorization: Hydrogen-r1 <token>` (401 otherwise); refund and profit
//! sharing need the admin token (403 otherwise). Errors are
//! `{"error_msg": "..."}`. Every reply carries `Access-Control-Allow-Origin: *`;
//! `OPTIONS` on any path is a 204 CORS preflight (no auth, not recorded).
//! Money is integer fen inside; `total_cost` / `refund_amount` are yuan
//! strings (`"398.00"`). ISO timestamps are Beijing time (UTC+8).
//!
//! Registered profit-sharing receivers: WeChat `MERCHANT_ID` `1900000109`
//! and `PERSONAL_OPENID` `oUpF8uMuAJO_M2pxb1Q9zNjWeS6o`; Alipay `userId`
//! `2088101126765726` and `loginName` `receiver@example.com`. WeChat sharing
//! is capped at 30% of the order (cumulative), a single sharing closes the
//! order, multi sharing works at most 20 times; Alipay sharing is capped at the
//! order amount. Both caps count only money not refunded (30% of what remains
//! after refunds; for Alipay, what remains), and a fully refunded order cannot
//! be shared at all: refunded money is gone. An order with shared money
//! refuses refunds with a 200 `{"status": "failed", ...}` reply.
//!
//! ## Fixture orders (always present, all created by user 1)
//!
//! | id | gateway | total | trade_no | transaction_no | state |
//! |---|---|---|---|---|---|
//! | 29973 | weixin_tenpay | 398.00 | `1gAtZq3Xy7VbN2mKp9LcRt4WsD6fHj8E` | `4k8Jd2LmQp7RtVx3ZbNc5HsWg9FyTe1A` | paid |
//! | 47963 | weixin_tenpay | 120.00 | `1gAtaEFcmu6DyHm5b0ycBSmNO302NGzA` | `XDiXbfLFyd8DpxSWqBUcb2jW1AvhVORC` | paid |
//! | 47964 | alipay | 88.00 | `1gAtaJ8wQmZr4KpVtY2nLx7sEo5HdUfB` | `1gAtaEFcmu6DyHm5b0ycBSmNO302NGzA` | paid |
//! | 47965 | weixin_tenpay | 66.00 | `1gCeU9ZKQQAA8iQgUM0lWhEbnqr89Qtxxx` | `Q9mT2vXc8LbN4pRs6KdW3hYj7FgZe5Ua` | paid |
//! | 47966 | alipay | 29.90 | `1gCf0aQ2Wb8Ne4Rt6Yu1Io3Pa5Sd7Fg9` | `v4WoZ7aNyZPaZbNlFffOZLvagUKqDcOw` | paid |
//! | 50001 | weixin_tenpay | 100.00 | `wxshare0000000000000000000000001` | `wxsharetxn000000000000000000001A` | paid, profit_sharing |
//! | 50002 | weixin_tenpay | 100.00 | `wxshare0000000000000000000000002` | `wxsharetxn000000000000000000002A` | paid, profit_sharing |
//! | 50003 | alipay | 100.00 | `alishare000000000000000000000001` | `alisharetxn00000000000000000001A` | paid |
//! | 50004 | weixin_tenpay | 398.00 | `pending000000000000000000000001` | `pendingtxn0000000000000000000001` | pending |
//!
//! Generated orders (`--orders N`) have ids from 100001 upward.
//!
//! ## Test control API (`/__emulator/`, no auth, never recorded or faulted)
//!
//! - `GET /__emulator/health` → `{"ok": true}`
//! - `GET /__emulator/requests` → `{"requests": [{"method", "path", "query",
//!   "headers", "body"}]}`: every non-control, non-OPTIONS request since the
//!   last reset, in arrival order (`query` is the raw query string, header
//!   names lowercased). `DELETE /__emulator/requests` clears the record.
//! - `POST /__emulator/reset` restores the data as at start and clears the
//!   record and the faults.
//! - `POST /__emulator/faults` with `{"kind": "status"|"delay"|"drop"|"malformed",
//!   "count": 1, "status": 500, "delay_ms": 1500, "path_prefix": "/hserve/"}`
//!   queues a fault for the next `count` matching requests: `status` answers
//!   `{"error_msg": "injected fault"}` with that status; `delay` waits, then
//!   handles the request normally; `drop` closes the connection without a
//!   response byte; `malformed` answers 200 with a body that is not JSON.
//!   A faulted request is recorded but not performed (except `delay`).
//!   `GET /__emulator/faults` lists the queue, `DELETE /__emulator/faults`
//!   clears it.

pub mod data;
pub mod money;
pub mod ops;
pub mod query;

use std::collections::{BTreeMap, HashMap, VecDeque};
use std::net::SocketAddr;
use std::sync::atomic::{AtomicU64, Ordering as AtomicOrdering};
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use bytes::Bytes;
use http_body_util::{BodyExt, Full, Limited};
use hyper::body::Incoming;
use hyper::header::{HeaderValue, CONTENT_TYPE};
use hyper::{Method, Request, Response, StatusCode};
use hyper_util::rt::TokioIo;
use serde_json::{json, Map, Value};
use tokio::net::TcpListener;
use tokio::task::JoinHandle;

use crate::data::Store;
use crate::ops::{err, ApiError};
use crate::query::ListQuery;

/// Emulator configuration (what the flags set).
#[derive(Clone, Debug)]
pub struct Config {
    pub host: String,
    pub port: u16,
    pub client_id: String,
    pub admin_token: String,
    /// (uid, token)
    pub user_tokens: Vec<(i64, String)>,
    pub orders: usize,
    pub seed: u64,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            host: "127.0.0.1".into(),
            port: 8787,
            client_id: "demo-client-id".into(),
            admin_token: "demo-admin-token".into(),
            user_tokens: vec![(1, "demo-user-token".into())],
            orders: 0,
            seed: 42,
        }
    }
}

/// A recorded request.
#[derive(Clone, Debug)]
struct Recorded {
    method: String,
    path: String,
    query: String,
    headers: BTreeMap<String, String>,
    body: String,
}

#[derive(Clone, Debug, PartialEq)]
enum FaultKind {
    Status(u16),
    Delay(u64),
    Drop,
    Malformed,
}

#[derive(Clone, Debug)]
struct Fault {
    kind: FaultKind,
    remaining: u64,
    path_prefix: Option<String>,
}

impl Fault {
    fn to_json(&self) -> Value {
        let (kind, extra) = match &self.kind {
            FaultKind::Status(s) => ("status", json!({ "status": s })),
            FaultKind::Delay(ms) => ("delay", json!({ "delay_ms": ms })),
            FaultKind::Drop => ("drop", json!({})),
            FaultKind::Malformed => ("malformed", json!({})),
        };
        let mut v = json!({ "kind": kind, "count": self.remaining, "path_prefix": self.path_prefix });
        for (k, x) in extra.as_object().into_iter().flatten() {
            v[k] = x.clone();
        }
        v
    }
}

enum Auth {
    Admin,
    User(i64),
}

struct State {
    cfg: Config,
    initial: Store,
    store: Mutex<Store>,
    records: Mutex<Vec<Recorded>>,
    faults: Mutex<VecDeque<Fault>>,
    tokens: HashMap<String, i64>,
    refund_seq: AtomicU64,
    share_seq: AtomicU64,
}

fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|p| p.into_inner())
}

/// A running emulator. Dropping it does not stop the server; call
/// [`ServerHandle::shutdown`].
pub struct ServerHandle {
    addr: SocketAddr,
    accept: JoinHandle<()>,
}

impl ServerHandle {
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }
    /// Stop accepting connections.
    pub fn shutdown(&self) {
        self.accept.abort();
    }
    /// Wait until the accept loop ends (it only ends on shutdown).
    pub async fn wait(self) {
        let _ = self.accept.await;
    }
}

/// Number of orders a config produces (fixtures included).
pub fn order_count(cfg: &Config) -> usize {
    data::fixtures().len() + cfg.orders
}

/// Build the data, bind `cfg.host:cfg.port` and serve in the background of
/// the current tokio runtime. Returns the bound address.
pub async fn serve(cfg: Config) -> std::io::Result<(SocketAddr, ServerHandle)> {
    let listener = TcpListener::bind((cfg.host.as_str(), cfg.port)).await?;
    let addr = listener.local_addr()?;
    let mut uids: Vec<i64> = cfg.user_tokens.iter().map(|(u, _)| *u).collect();
    uids.sort_unstable();
    uids.dedup();
    let initial = Store::build(cfg.orders, cfg.seed, &uids);
    let tokens = cfg.user_tokens.iter().map(|(u, t)| (t.clone(), *u)).collect();
    let state = Arc::new(State {
        store: Mutex::new(initial.clone()),
        initial,
        cfg,
        records: Mutex::new(Vec::new()),
        faults: Mutex::new(VecDeque::new()),
        tokens,
        refund_seq: AtomicU64::new(1),
        share_seq: AtomicU64::new(1),
    });
    let accept = tokio::spawn(async move {
        loop {
            let (stream, _) = match listener.accept().await {
                Ok(s) => s,
                Err(_) => {
                    tokio::time::sleep(Duration::from_millis(10)).await;
                    continue;
                }
            };
            let _ = stream.set_nodelay(true);
            let state = state.clone();
            tokio::spawn(async move {
                let svc = hyper::service::service_fn(move |req| handle(state.clone(), req));
                let _ = hyper::server::conn::http1::Builder::new().serve_connection(TokioIo::new(stream), svc).await;
            });
        }
    });
    Ok((addr, ServerHandle { addr, accept }))
}

type Resp = Response<Full<Bytes>>;

/// Returned from the service to make hyper close the connection without
/// writing a response (the `drop` fault).
#[derive(Debug)]
struct DropConnection;

impl std::fmt::Display for DropConnection {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("injected connection drop")
    }
}
impl std::error::Error for DropConnection {}

const ALLOW_HEADERS: &str = "Authorization, Content-Type, X-Hydrogen-Client-ID, X-Hydrogen-Client-Version, X-Hydrogen-Client-Platform, X-Hydrogen-Env-ID";

fn with_cors(mut r: Resp) -> Resp {
    let h = r.headers_mut();
    h.insert("access-control-allow-origin", HeaderValue::from_static("*"));
    h.insert("access-control-expose-headers", HeaderValue::from_static("*"));
    r
}

fn raw_response(status: u16, body: impl Into<Bytes>) -> Resp {
    let mut r = Response::new(Full::new(body.into()));
    *r.status_mut() = StatusCode::from_u16(status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    r.headers_mut().insert(CONTENT_TYPE, HeaderValue::from_static("application/json"));
    r
}

fn json_response(status: u16, v: &Value) -> Resp {
    raw_response(status, serde_json::to_vec(v).unwrap_or_default())
}

fn error_response(e: &ApiError) -> Resp {
    json_response(e.status, &json!({ "error_msg": e.msg }))
}

/// The allowed headers: the fixed list, plus any other `X-Hydrogen-*` header
/// the preflight asks for (minapp-sdk sends `X-Hydrogen-Client-SDK-Type`).
fn allowed_headers(requested: Option<&str>) -> String {
    let mut allowed = ALLOW_HEADERS.to_string();
    for h in requested.unwrap_or("").split(',').map(str::trim) {
        let lower = h.to_ascii_lowercase();
        if lower.starts_with("x-hydrogen-") && !ALLOW_HEADERS.to_ascii_lowercase().contains(&lower) {
            allowed.push_str(", ");
            allowed.push_str(h);
        }
    }
    allowed
}

fn preflight(path: &str, requested_headers: Option<&str>) -> Resp {
    let mut r = Response::new(Full::new(Bytes::new()));
    *r.status_mut() = StatusCode::NO_CONTENT;
    let methods = if path.starts_with("/__emulator") { "GET, POST, DELETE, OPTIONS" } else { "GET, POST, OPTIONS" };
    let h = r.headers_mut();
    h.insert("access-control-allow-methods", HeaderValue::from_static(methods));
    let allowed = allowed_headers(requested_headers);
    h.insert(
        "access-control-allow-headers",
        HeaderValue::from_str(&allowed).unwrap_or(HeaderValue::from_static(ALLOW_HEADERS)),
    );
    h.insert("access-control-max-age", HeaderValue::from_static("86400"));
    r
}

fn now_us() -> i64 {
    SystemTime::now().duration_since(UNIX_EPOCH).map(|d| d.as_micros() as i64).unwrap_or(0)
}

const MAX_BODY: usize = 4 * 1024 * 1024;

async fn handle(state: Arc<State>, req: Request<Incoming>) -> Result<Resp, DropConnection> {
    let path = req.uri().path().to_string();
    if req.method() == Method::OPTIONS {
        let requested = req.headers().get("access-control-request-headers").and_then(|v| v.to_str().ok());
        return Ok(with_cors(preflight(&path, requested)));
    }
    let (parts, body) = req.into_parts();
    let body = match Limited::new(body, MAX_BODY).collect().await {
        Ok(b) => b.to_bytes(),
        Err(_) => return Ok(with_cors(error_response(&err(413, "request body too large or unreadable")))),
    };
    let query = parts.uri.query().unwrap_or("").to_string();
    if path == "/__emulator" || path.starts_with("/__emulator/") {
        return Ok(with_cors(control(&state, &parts.method, &path, &body)));
    }
    let mut headers: BTreeMap<String, String> = BTreeMap::new();
    for (name, value) in &parts.headers {
        let v = String::from_utf8_lossy(value.as_bytes()).into_owned();
        headers
            .entry(name.as_str().to_string())
            .and_modify(|e| {
                e.push_str(", ");
                e.push_str(&v);
            })
            .or_insert(v);
    }
    lock(&state.records).push(Recorded {
        method: parts.method.to_string(),
        path: path.clone(),
        query: query.clone(),
        headers,
        body: String::from_utf8_lossy(&body).into_owned(),
    });
    let fault = {
        let mut q = lock(&state.faults);
        let pos = q.iter().position(|f| f.path_prefix.as_deref().is_none_or(|p| path.starts_with(p)));
        pos.map(|i| {
            let f = &mut q[i];
            f.remaining -= 1;
            let kind = f.kind.clone();
            if f.remaining == 0 {
                q.remove(i);
            }
            kind
        })
    };
    match fault {
        Some(FaultKind::Status(s)) => return Ok(with_cors(json_response(s, &json!({"error_msg": "injected fault"})))),
        Some(FaultKind::Malformed) => return Ok(with_cors(raw_response(200, "{\"objects\": ["))),
        Some(FaultKind::Drop) => return Err(DropConnection),
        Some(FaultKind::Delay(ms)) => tokio::time::sleep(Duration::from_millis(ms)).await,
        None => {}
    }
    let resp = match api(&state, &parts.method, &path, &query, &parts.headers, &body) {
        Ok(v) => json_response(200, &v),
        Err(e) => error_response(&e),
    };
    Ok(with_cors(resp))
}

fn authenticate(state: &State, headers: &hyper::HeaderMap) -> Result<Auth, ApiError> {
    let client = headers.get("x-hydrogen-client-id").and_then(|v| v.to_str().ok());
    match client {
        None => return Err(err(401, "missing X-Hydrogen-Client-ID header")),
        Some(c) if c != state.cfg.client_id => return Err(err(401, "unknown client id")),
        Some(_) => {}
    }
    let auth = headers
        .get("authorization")
        .ok_or_else(|| err(401, "authentication required: missing Authorization header"))?;
    let token = auth
        .to_str()
        .ok()
        .and_then(|a| a.strip_prefix("Hydrogen-r1 "))
        .map(str::trim)
        .ok_or_else(|| err(401, "Authorization must be 'Hydrogen-r1 <token>'"))?;
    if token == state.cfg.admin_token {
        return Ok(Auth::Admin);
    }
    state.tokens.get(token).map(|&u| Auth::User(u)).ok_or_else(|| err(401, "invalid token"))
}

fn json_object(body: &[u8]) -> Result<Map<String, Value>, ApiError> {
    match serde_json::from_slice::<Value>(body) {
        Ok(Value::Object(m)) => Ok(m),
        Ok(_) => Err(err(400, "request body must be a JSON object")),
        Err(_) => Err(err(400, "request body is not valid JSON")),
    }
}

enum Route {
    List,
    Get(String),
    Refund,
    WechatShare,
    WechatMultiShare,
    AlipayShare,
}

fn route(path: &str) -> Option<(Route, Method)> {
    let p = path.trim_end_matches('/');
    Some(match p {
        "/hserve/v2.2/idp/pay/order" => (Route::List, Method::GET),
        "/hserve/v2.0/idp/pay/refund" => (Route::Refund, Method::POST),
        "/hserve/v2.0/idp/pay/wechat/profit-sharing" => (Route::WechatShare, Method::POST),
        "/hserve/v2.0/idp/pay/wechat/multi-profit-sharing" => (Route::WechatMultiShare, Method::POST),
        "/hserve/v2.0/idp/pay/alipay/profit-sharing" => (Route::AlipayShare, Method::POST),
        _ => {
            let id = p.strip_prefix("/hserve/v2.0/idp/pay/order/")?;
            if id.is_empty() || id.contains('/') {
                return None;
            }
            (Route::Get(query::percent_decode(id)), Method::GET)
        }
    })
}

fn api(
    state: &State,
    method: &Method,
    path: &str,
    query: &str,
    headers: &hyper::HeaderMap,
    body: &[u8],
) -> Result<Value, ApiError> {
    let (route, want) = route(path).ok_or_else(|| err(404, "not found"))?;
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
            Ok(q.run(&lock(&state.store), visible_to, query))
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

fn parse_fault(body: &[u8]) -> Result<Fault, ApiError> {
    let b = json_object(body)?;
    let count = match b.get("count") {
        None | Some(Value::Null) => 1,
        Some(v) => v.as_u64().filter(|&c| c > 0).ok_or_else(|| err(400, "count must be a positive integer"))?,
    };
    let path_prefix = match b.get("path_prefix") {
        None | Some(Value::Null) => None,
        Some(Value::String(s)) => Some(s.clone()),
        Some(_) => return Err(err(400, "path_prefix must be a string")),
    };
    let kind = match b.get("kind").and_then(Value::as_str) {
        Some("status") => {
            let s = match b.get("status") {
                None | Some(Value::Null) => 500,
                Some(v) => v
                    .as_u64()
                    .filter(|s| (200..=599).contains(s))
                    .ok_or_else(|| err(400, "status must be an HTTP status 200..599"))?,
            };
            FaultKind::Status(s as u16)
        }
        Some("delay") => FaultKind::Delay(match b.get("delay_ms") {
            None | Some(Value::Null) => 1000,
            Some(v) => v.as_u64().ok_or_else(|| err(400, "delay_ms must be a non-negative integer"))?,
        }),
        Some("drop") => FaultKind::Drop,
        Some("malformed") => FaultKind::Malformed,
        _ => return Err(err(400, "kind must be one of status, delay, drop, malformed")),
    };
    Ok(Fault { kind, remaining: count, path_prefix })
}

fn control(state: &State, method: &Method, path: &str, body: &[u8]) -> Resp {
    let ok = || json_response(200, &json!({"ok": true}));
    match (method.as_str(), path.trim_end_matches('/')) {
        ("GET", "/__emulator/health") => ok(),
        ("GET", "/__emulator/requests") => {
            let list: Vec<Value> = lock(&state.records)
                .iter()
                .map(|r| {
                    json!({
                        "method": r.method,
                        "path": r.path,
                        "query": r.query,
                        "headers": r.headers,
                        "body": r.body,
                    })
                })
                .collect();
            json_response(200, &json!({ "requests": list }))
        }
        ("DELETE", "/__emulator/requests") => {
            lock(&state.records).clear();
            ok()
        }
        ("POST", "/__emulator/reset") => {
            let fresh = state.initial.clone();
            *lock(&state.store) = fresh;
            lock(&state.records).clear();
            lock(&state.faults).clear();
            ok()
        }
        ("POST", "/__emulator/faults") => match parse_fault(body) {
            Ok(f) => {
                let mut q = lock(&state.faults);
                q.push_back(f);
                json_response(200, &json!({"ok": true, "queued": q.len()}))
            }
            Err(e) => error_response(&e),
        },
        ("GET", "/__emulator/faults") => {
            let list: Vec<Value> = lock(&state.faults).iter().map(Fault::to_json).collect();
            json_response(200, &json!({ "faults": list }))
        }
        ("DELETE", "/__emulator/faults") => {
            lock(&state.faults).clear();
            ok()
        }
        _ => error_response(&err(404, "unknown control endpoint")),
    }
}
