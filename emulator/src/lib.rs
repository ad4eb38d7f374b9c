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
//!               [--user-token UID=TOKEN]... [--orders N] [--seed S]
//!               [--control-token T] [--control-origin ORIGIN]...
//!               [--record-credentials] [--help]
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
//!   --control-token T      the X-Emulator-Token /__emulator/* requires
//!                          (default: a random one, printed at start)
//!   --control-origin O     also let a web page of origin O (http://host:port)
//!                          use /__emulator/*; repeatable (default: none)
//!   --record-credentials   keep Authorization in the record (default: redacted)
//! ```
//!
//! On start it prints `baas-emulator listening on http://HOST:PORT` (the port
//! actually bound) as its first stdout line, then one line with the client id,
//! admin token and order count, then `control token: T` (or, when given by
//! flag, a line saying so).
//!
//! ## Limits
//!
//! - request bodies: at most [`MAX_BODY`] (1 MiB); a longer one is answered
//!   413 before it is read whole (by its `Content-Length`, or by counting the
//!   bytes as they stream in); request heads at most [`MAX_HEAD`] (64 KiB, 431);
//! - a connection must send a whole request head within
//!   [`HEADER_READ_TIMEOUT`] (10 s), which also closes kept-alive connections
//!   idle that long, and a body within [`BODY_READ_TIMEOUT`] (10 s, 408).
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
//! `{"error_msg": "..."}`. Every API reply carries `Access-Control-Allow-Origin: *`;
//! `OPTIONS` on any API path is a 204 CORS preflight (no auth, not recorded).
//! Money is integer fen inside; `total_cost` / `refund_amount` are yuan
//! strings (`"398.00"`). ISO timestamps are Beijing time (UTC+8).
//!
//! Fixture profit-sharing receivers: WeChat `MERCHANT_ID` `1900000109`
//! and `PERSONAL_OPENID` `oUpF8uMuAJO_M2pxb1Q9zNjWeS6o` under the appids
//! `wx3b040d33346e0001` and `wx3b040d33346exxxx`; Alipay `userId`
//! `2088101126765726` and `loginName` `receiver@example.com`. Receivers are
//! per appid (WeChat) or per merchant (Alipay): sharing to one never added
//! is refused (400). Every sharing, multi sharing and finish makes a sharing
//! order (own `trade_no`, `order_type`, `status`, `payment_order_id`,
//! `receiver`), listed per gateway with filters and `meta`. A finish closes
//! the order to sharing. A return (分账回退) is capped at what that receiver
//! got on that sharing order and idempotent by `refund_no`; once all shared
//! money is returned the order refunds again. The lifecycle calls (paths in
//! the SDK's endpoint table) need the admin token. WeChat sharing
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
//! ## Test control API (`/__emulator/`, never recorded or faulted)
//!
//! Every control request needs the header `X-Emulator-Token: <control
//! token>` (401 without it, 403 with a wrong one). The control plane answers
//! no web page: its replies carry no CORS headers, its preflights are
//! refused (403) and so is any request with an `Origin` header, unless
//! `--control-origin` names that origin.
//!
//! - `GET /__emulator/health` → `{"ok": true}`
//! - `GET /__emulator/requests` → `{"requests": [{"method", "path", "query",
//!   "headers", "body", "body_bytes", "body_truncated"}]}`: the last
//!   [`RECORD_RING`] (1,000) non-control, non-OPTIONS requests since the last
//!   reset, oldest first (`query` is the raw query string, header names
//!   lowercased). `body` keeps at most [`RECORD_BODY_CAP`] (4,096) bytes, cut
//!   at a character boundary; `body_bytes` is how many were read and
//!   `body_truncated` says something is missing. The credential of
//!   `Authorization` is redacted (`Hydrogen-r1 <redacted>`) unless
//!   `--record-credentials`. `DELETE /__emulator/requests` clears the record.
//! - `POST /__emulator/reset` restores the data as at start and clears the
//!   record and the faults.
//! - `POST /__emulator/faults` with `{"kind": "status"|"delay"|"drop"|"malformed"|"wechat_error",
//!   "count": 1, "status": 500, "delay_ms": 1500, "path_prefix": "/hserve/"}`
//!   queues a fault for the next `count` matching requests: `status` answers
//!   `{"error_msg": "injected fault"}` with that status; `delay` waits, then
//!   handles the request normally; `drop` closes the connection without a
//!   response byte; `malformed` answers 200 with a body that is not JSON;
//!   `wechat_error` answers `status` (default 200) with WeChat's `err_code`
//!   (default `SYSTEMERROR`; `FREQUENCY_LIMITED` too), as WeChat refusing.
//!   A faulted request is recorded but not performed (except `delay`).
//!   `GET /__emulator/faults` lists the queue, `DELETE /__emulator/faults`
//!   clears it.
//!
//! ## Source layout
//!
//! `server` (connections, limits, dispatch), `routes` (the API), `auth`
//! (tokens), `cors`, `control` (test controls, faults), `record` (the request
//! record), `state` (shared state), `reply` (responses), `config`; the data
//! and rules in `data`, `query`, `money`, `ops`.

mod auth;
mod config;
mod control;
mod cors;
pub mod data;
mod fixtures;
pub mod lifecycle;
pub mod money;
pub mod ops;
pub mod payment;
pub mod query;
mod record;
mod reply;
mod routes;
mod server;
mod state;

pub use config::{
    random_token, Config, BODY_READ_TIMEOUT, HEADER_READ_TIMEOUT, MAX_BODY, MAX_HEAD, RECORD_BODY_CAP, RECORD_RING,
};
pub use server::{serve, ServerHandle};

/// Number of orders a config produces (fixtures included).
pub fn order_count(cfg: &Config) -> usize {
    data::fixtures().len() + cfg.orders
}
