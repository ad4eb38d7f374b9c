//! Shared helpers: start an emulator in-process on port 0 and talk to it over
//! real HTTP/1.1 (one connection per request, `Connection: close`).
#![allow(dead_code)]

use std::net::SocketAddr;

use baas_emulator::{serve, Config, ServerHandle};
use serde_json::Value;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

pub const CLIENT: &str = "demo-client-id";
pub const ADMIN: &str = "demo-admin-token";
pub const USER: &str = "demo-user-token";
// The paths from the SDK core's one endpoint table (the contract's paths are
// asserted there, in src/endpoints.rs).
use baas_order::endpoints::{Call, CALLS, TRANSACTION_ID};
pub const LIST: &str = CALLS[Call::OrderList as usize].path;
pub const REFUND: &str = CALLS[Call::Refund as usize].path;
pub const WX_SHARE: &str = CALLS[Call::WechatProfitSharing as usize].path;
pub const WX_MULTI: &str = CALLS[Call::WechatMultiProfitSharing as usize].path;
pub const ALI_SHARE: &str = CALLS[Call::AlipayProfitSharing as usize].path;

/// A path of the SDK core's endpoint table.
pub fn path(c: Call) -> &'static str {
    c.info().path
}

// The demo data's sharing fixtures (emulator/README.md): the WeChat app,
// the WeChat and Alipay sharing orders, and the WeChat receivers.
pub const APPID: &str = "wx3b040d33346e0001";
pub const OTHER_APPID: &str = "wx3b040d33346exxxx";
pub const WX1: &str = "wxshare0000000000000000000000001";
pub const WX2: &str = "wxshare0000000000000000000000002";
pub const ALI: &str = "alishare000000000000000000000001";
pub const MERCHANT: &str = "1900000109";
pub const OPENID: &str = "oUpF8uMuAJO_M2pxb1Q9zNjWeS6o";

/// The detail path of one order.
pub fn order_path(txn: &str) -> String {
    CALLS[Call::Order as usize].path.replace(TRANSACTION_ID, txn)
}

pub struct Emu {
    pub addr: SocketAddr,
    /// The `X-Emulator-Token` of this emulator.
    pub control_token: String,
    handle: ServerHandle,
}

impl Drop for Emu {
    fn drop(&mut self) {
        self.handle.shutdown();
    }
}

#[derive(Debug)]
pub struct Reply {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: String,
}

impl Reply {
    pub fn json(&self) -> Value {
        serde_json::from_str(&self.body).unwrap_or_else(|e| panic!("not JSON ({e}): {}", self.body))
    }
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.iter().find(|(k, _)| k.eq_ignore_ascii_case(name)).map(|(_, v)| v.as_str())
    }
    pub fn error_msg(&self) -> String {
        self.json()["error_msg"].as_str().unwrap_or_default().to_string()
    }
}

pub fn config(orders: usize, seed: u64) -> Config {
    Config { port: 0, orders, seed, ..Config::default() }
}

impl Emu {
    pub async fn start(cfg: Config) -> Emu {
        let (addr, handle) = serve(cfg).await.expect("emulator starts");
        Emu { addr, control_token: handle.control_token().to_string(), handle }
    }
    pub async fn fixtures_only() -> Emu {
        Emu::start(config(0, 42)).await
    }

    /// Raw request; `Err` when the server closed without a reply.
    pub async fn raw(
        &self,
        method: &str,
        target: &str,
        headers: &[(&str, &str)],
        body: Option<&str>,
    ) -> std::io::Result<Reply> {
        send(self.addr, method, target, headers, body).await
    }

    pub async fn req(&self, method: &str, target: &str, headers: &[(&str, &str)], body: Option<&str>) -> Reply {
        self.raw(method, target, headers, body).await.expect("reply")
    }

    pub async fn get_as(&self, token: &str, target: &str) -> Reply {
        let auth = format!("Hydrogen-r1 {token}");
        self.req("GET", target, &[("X-Hydrogen-Client-ID", CLIENT), ("Authorization", &auth)], None).await
    }
    pub async fn get(&self, target: &str) -> Reply {
        self.get_as(ADMIN, target).await
    }
    pub async fn post_as(&self, token: &str, target: &str, body: &Value) -> Reply {
        let auth = format!("Hydrogen-r1 {token}");
        let b = body.to_string();
        self.req(
            "POST",
            target,
            &[("X-Hydrogen-Client-ID", CLIENT), ("Authorization", &auth), ("Content-Type", "application/json")],
            Some(&b),
        )
        .await
    }
    pub async fn post(&self, target: &str, body: &Value) -> Reply {
        self.post_as(ADMIN, target, body).await
    }
    /// A control request with the control token.
    pub async fn control(&self, method: &str, path: &str, body: Option<&Value>) -> Reply {
        let b = body.map(|v| v.to_string());
        self.req(method, path, &[("X-Emulator-Token", &self.control_token)], b.as_deref()).await
    }
    /// Every order (admin view), via pages of 1000.
    pub async fn all_orders(&self) -> Vec<Value> {
        let mut out = Vec::new();
        loop {
            let r = self.get(&format!("{LIST}?limit=1000&offset={}", out.len())).await;
            assert_eq!(r.status, 200, "{}", r.body);
            let v = r.json();
            let objs = v["objects"].as_array().unwrap().clone();
            if objs.is_empty() {
                break;
            }
            out.extend(objs);
            if v["meta"]["next"].is_null() {
                break;
            }
        }
        out
    }
    pub async fn order_by_txn(&self, txn: &str) -> Value {
        let r = self.get(&order_path(txn)).await;
        assert_eq!(r.status, 200, "{}", r.body);
        r.json()
    }
    pub async fn order_by_id(&self, id: i64) -> Value {
        let r = self.get(&format!("{LIST}?id={id}")).await;
        assert_eq!(r.status, 200, "{}", r.body);
        let v = r.json();
        assert_eq!(v["meta"]["total_count"], 1, "{}", r.body);
        v["objects"][0].clone()
    }
    pub async fn recorded(&self) -> Vec<Value> {
        let r = self.control("GET", "/__emulator/requests", None).await;
        assert_eq!(r.status, 200);
        r.json()["requests"].as_array().unwrap().clone()
    }
}

pub async fn send(
    addr: SocketAddr,
    method: &str,
    target: &str,
    headers: &[(&str, &str)],
    body: Option<&str>,
) -> std::io::Result<Reply> {
    let mut s = TcpStream::connect(addr).await?;
    let mut head = format!("{method} {target} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n");
    for (k, v) in headers {
        head.push_str(&format!("{k}: {v}\r\n"));
    }
    if let Some(b) = body {
        head.push_str(&format!("Content-Length: {}\r\n", b.len()));
    }
    head.push_str("\r\n");
    s.write_all(head.as_bytes()).await?;
    if let Some(b) = body {
        s.write_all(b.as_bytes()).await?;
    }
    let mut buf = Vec::new();
    s.read_to_end(&mut buf).await?;
    if buf.is_empty() {
        return Err(std::io::Error::new(std::io::ErrorKind::UnexpectedEof, "connection closed without a reply"));
    }
    let text = String::from_utf8(buf).expect("utf-8 reply");
    let (head, body) = text.split_once("\r\n\r\n").expect("header end");
    let mut lines = head.split("\r\n");
    let status: u16 = lines.next().unwrap().split(' ').nth(1).unwrap().parse().unwrap();
    let headers = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(k, v)| (k.trim().to_ascii_lowercase(), v.trim().to_string()))
        .collect();
    Ok(Reply { status, headers, body: body.to_string() })
}

/// `a=b` style query value of a JSON field value.
pub fn query_text(v: &Value) -> String {
    match v {
        Value::Null => "null".into(),
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

/// Minimal percent-encoding for query values.
pub fn enc(s: &str) -> String {
    let mut out = String::new();
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || b"-_.~".contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}
