//! The emulator as a local tool that a hostile page
//! or client cannot use or starve. Each test is named after its row.

mod common;

use std::time::Duration;

use baas_emulator::{Config, MAX_BODY, RECORD_BODY_CAP, RECORD_RING};
use common::*;
use serde_json::{json, Value};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

/// How long a test may wait for the server to do something before it fails
/// instead of hanging (a hang guard, not a timing).
const GUARD: Duration = Duration::from_secs(60);

fn cors_headers(r: &Reply) -> Vec<&(String, String)> {
    r.headers.iter().filter(|(k, _)| k.starts_with("access-control-")).collect()
}

/// Row 11: any web page fetching `/__emulator/requests` got
/// `Access-Control-Allow-Origin: *` and no auth, so it could read the recorded
/// `Authorization: Hydrogen-r1 <admin token>`, reset the data and inject faults.
#[tokio::test]
async fn a_web_page_cannot_use_the_control_plane() {
    let emu = Emu::fixtures_only().await;
    assert_eq!(emu.get(LIST).await.status, 200); // recorded, with the admin token
    let token = emu.control_token.clone();
    let page = "http://evil.example";
    let calls: [(&str, &str, Option<&str>); 5] = [
        ("GET", "/__emulator/requests", None),
        ("POST", "/__emulator/reset", None),
        ("POST", "/__emulator/faults", Some(r#"{"kind":"drop","count":5}"#)),
        ("DELETE", "/__emulator/requests", None),
        ("GET", "/__emulator/health", None),
    ];
    for (method, path, body) in calls {
        let no_token = emu.req(method, path, &[], body).await;
        let wrong = emu.req(method, path, &[("X-Emulator-Token", "not-the-token")], body).await;
        // A page: its request has an Origin header, refused even with the token.
        let from_page = emu.req(method, path, &[("Origin", page), ("X-Emulator-Token", &token)], body).await;
        let preflight = emu
            .req(
                "OPTIONS",
                path,
                &[
                    ("Origin", page),
                    ("Access-Control-Request-Method", method),
                    ("Access-Control-Request-Headers", "x-emulator-token, content-type"),
                ],
                None,
            )
            .await;
        for (r, status) in [(&no_token, 401), (&wrong, 403), (&from_page, 403), (&preflight, 403)] {
            assert_eq!(r.status, status, "{method} {path}: {}", r.body);
            assert!(cors_headers(r).is_empty(), "{method} {path}: CORS headers {:?}", r.headers);
            assert!(!r.error_msg().is_empty());
            assert!(!r.body.contains(ADMIN) && !r.body.contains(&token), "{}", r.body);
        }
    }
    // Nothing was done: no fault queued, the record neither cleared nor reset.
    assert_eq!(emu.control("GET", "/__emulator/faults", None).await.json(), json!({"faults": []}));
    let rec = emu.recorded().await;
    assert_eq!(rec.len(), 1, "{rec:?}");
    // And even the token holder reads no credential.
    assert_eq!(rec[0]["headers"]["authorization"], "Hydrogen-r1 <redacted>");
    assert!(!Value::Array(rec).to_string().contains(ADMIN));
    // The token holder (a test process: no Origin) is answered, without CORS headers.
    let r = emu.control("GET", "/__emulator/health", None).await;
    assert_eq!(r.status, 200);
    assert!(cors_headers(&r).is_empty(), "{:?}", r.headers);
    // The API itself still answers every origin.
    let auth = format!("Hydrogen-r1 {ADMIN}");
    let r = emu
        .req("GET", LIST, &[("Origin", page), ("X-Hydrogen-Client-ID", CLIENT), ("Authorization", &auth)], None)
        .await;
    assert_eq!((r.status, r.header("access-control-allow-origin")), (200, Some("*")));
}

/// `--control-origin` lets exactly the named page in (the Chromium wasm tests'
/// page); it still needs the token.
#[tokio::test]
async fn a_named_control_origin_may_use_the_control_plane_with_the_token() {
    let allowed = "http://127.0.0.1:9";
    let emu = Emu::start(Config { control_origins: vec![allowed.into()], ..config(0, 42) }).await;
    let token = emu.control_token.clone();
    let r = emu
        .req(
            "OPTIONS",
            "/__emulator/requests",
            &[
                ("Origin", allowed),
                ("Access-Control-Request-Method", "GET"),
                ("Access-Control-Request-Headers", "x-emulator-token"),
            ],
            None,
        )
        .await;
    assert_eq!(r.status, 204);
    assert_eq!(r.header("access-control-allow-origin"), Some(allowed));
    assert!(r.header("access-control-allow-headers").unwrap().contains("X-Emulator-Token"));
    let r = emu.req("GET", "/__emulator/requests", &[("Origin", allowed), ("X-Emulator-Token", &token)], None).await;
    assert_eq!((r.status, r.header("access-control-allow-origin")), (200, Some(allowed)));
    assert_eq!(r.header("vary"), Some("Origin"));
    let r = emu.req("GET", "/__emulator/requests", &[("Origin", allowed)], None).await;
    assert_eq!(r.status, 401);
    // Another port of the same host is another origin.
    let r = emu
        .req("GET", "/__emulator/requests", &[("Origin", "http://127.0.0.1:10"), ("X-Emulator-Token", &token)], None)
        .await;
    assert_eq!(r.status, 403);
    assert!(cors_headers(&r).is_empty());
}

/// `--record-credentials` (a test harness checking the exact header an SDK
/// sent) keeps the credential; the default redacts it.
#[tokio::test]
async fn the_record_keeps_credentials_only_when_asked() {
    let emu = Emu::start(Config { record_credentials: true, ..config(0, 42) }).await;
    emu.get(LIST).await;
    assert_eq!(emu.recorded().await[0]["headers"]["authorization"], format!("Hydrogen-r1 {ADMIN}"));
}

/// Writes `head` and up to `body_part` body bytes (ignoring a reset once the
/// server has answered), then reads the reply until the server closes.
async fn partial_request(emu: &Emu, head: &str, body_part: &[u8]) -> String {
    let mut s = TcpStream::connect(emu.addr).await.unwrap();
    s.write_all(head.as_bytes()).await.unwrap();
    let _ = s.write_all(body_part).await;
    let mut buf = Vec::new();
    let _ = tokio::time::timeout(GUARD, s.read_to_end(&mut buf)).await.expect("the server answers and closes");
    String::from_utf8_lossy(&buf).into_owned()
}

fn status_of(reply: &str) -> u16 {
    reply.split(' ').nth(1).and_then(|s| s.parse().ok()).unwrap_or_else(|| panic!("no status line: {reply:?}"))
}

/// Row 12: 150 unauthenticated POSTs of 4 MB were all recorded forever
/// (12 MB -> 655 MB), and reading them back took 10.7 s.
#[tokio::test]
async fn big_bodies_are_refused_unread_and_the_record_is_bounded() {
    let emu = Emu::fixtures_only().await;
    let auth = format!("Hydrogen-r1 {ADMIN}");
    // A declared 4 MB body is answered 413 though only its first KiB was sent.
    let head = format!("POST {REFUND} HTTP/1.1\r\nHost: x\r\nAuthorization: {auth}\r\nContent-Length: 4194304\r\n\r\n");
    for _ in 0..20 {
        let reply = partial_request(&emu, &head, &[b'x'; 1024]).await;
        assert_eq!(status_of(&reply), 413, "{reply}");
        assert!(reply.contains(&format!("over {MAX_BODY} bytes")), "{reply}");
    }
    // A chunked body (no length) is counted as it streams: 413 once it passes
    // the cap by one byte, though the body never ended.
    let chunk = [format!("{:x}\r\n", 65536).into_bytes(), vec![b'y'; 65536], b"\r\n".to_vec()].concat();
    let mut body = chunk.repeat(MAX_BODY / 65536);
    body.extend_from_slice(b"1\r\ny\r\n");
    let reply = partial_request(
        &emu,
        &format!("POST {REFUND} HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n"),
        &body,
    )
    .await;
    assert_eq!(status_of(&reply), 413, "{reply}");

    // A body under the cap is read and handled; the record keeps its first
    // RECORD_BODY_CAP bytes, says how long it was and that it was cut.
    let memo = "测".repeat(300_000); // 900,000 bytes
    let body = json!({"order_id": 29973, "refund_amount": 1, "memo": memo}).to_string();
    let h = [("X-Hydrogen-Client-ID", CLIENT), ("Authorization", auth.as_str()), ("Content-Type", "application/json")];
    let r = emu.req("POST", REFUND, &h, Some(&body)).await;
    assert_ne!(r.status, 413, "{}", r.body);
    let rec = emu.recorded().await;
    assert_eq!(rec.len(), 22, "20 refused, the chunked one, the big one");
    for refused in &rec[..20] {
        assert_eq!((refused["body"].as_str(), refused["body_truncated"].as_bool()), (Some(""), Some(true)));
        assert_eq!(refused["headers"]["authorization"], "Hydrogen-r1 <redacted>");
    }
    assert_eq!(rec[20]["body_truncated"], true);
    assert!(rec[20]["body"].as_str().unwrap().len() <= RECORD_BODY_CAP);
    let big = &rec[21];
    assert_eq!(big["body_bytes"].as_u64(), Some(body.len() as u64));
    assert_eq!(big["body_truncated"], true);
    let kept = big["body"].as_str().unwrap();
    assert!(kept.len() <= RECORD_BODY_CAP && kept.len() > RECORD_BODY_CAP - 4, "{}", kept.len());
    assert!(body.starts_with(kept));

    // The record is a ring of the last RECORD_RING requests.
    emu.control("DELETE", "/__emulator/requests", None).await;
    for i in 0..RECORD_RING + 5 {
        emu.req("GET", &format!("/ring?i={i}"), &[], None).await;
    }
    let rec = emu.recorded().await;
    assert_eq!(rec.len(), RECORD_RING);
    assert_eq!(rec[0]["query"], "i=5", "the oldest five went");
    assert_eq!(rec[RECORD_RING - 1]["query"], format!("i={}", RECORD_RING + 4));
}

/// Reads one reply (head and `Content-Length` body) from a kept-alive connection.
async fn read_one_reply(s: &mut TcpStream) -> String {
    let mut buf = Vec::new();
    let mut byte = [0u8; 1];
    while !buf.ends_with(b"\r\n\r\n") {
        assert_eq!(s.read(&mut byte).await.unwrap(), 1, "closed mid-reply: {:?}", String::from_utf8_lossy(&buf));
        buf.push(byte[0]);
    }
    let head = String::from_utf8(buf).unwrap();
    let len: usize = head
        .lines()
        .find_map(|l| l.to_ascii_lowercase().strip_prefix("content-length:").map(|v| v.trim().parse().unwrap()))
        .unwrap_or(0);
    let mut body = vec![0u8; len];
    s.read_exact(&mut body).await.unwrap();
    head + &String::from_utf8_lossy(&body)
}

/// Row 13: 2,000 idle half-open connections, and no header-read timeout:
/// under `ulimit -n 1024` the held sockets stopped it answering anyone.
/// Here with the timeouts shortened to 300 ms: silent connections, half-sent
/// heads, idle kept-alive connections and stalled bodies are all closed.
#[tokio::test]
async fn idle_and_slow_connections_are_closed() {
    let short = Some(Duration::from_millis(300));
    let emu = Emu::start(Config { header_read_timeout: short, body_read_timeout: short, ..config(0, 42) }).await;
    let mut held = Vec::new();
    for i in 0..200 {
        let mut s = TcpStream::connect(emu.addr).await.unwrap();
        if i % 2 == 1 {
            s.write_all(b"GET /hserve/v2.2/idp/pay/order/ HTTP/1.1\r\nHost: x\r\n").await.unwrap();
        }
        held.push(s);
    }
    // A kept-alive connection that made one request and then idles.
    let mut idle = TcpStream::connect(emu.addr).await.unwrap();
    let get = format!("GET /__emulator/health HTTP/1.1\r\nHost: x\r\nX-Emulator-Token: {}\r\n\r\n", emu.control_token);
    idle.write_all(get.as_bytes()).await.unwrap();
    assert_eq!(status_of(&read_one_reply(&mut idle).await), 200);
    held.push(idle);
    // While they are held, others are answered.
    assert_eq!(emu.get(LIST).await.status, 200);
    // Each is closed by the server (the read ends) instead of held forever.
    for (i, mut s) in held.into_iter().enumerate() {
        let mut rest = Vec::new();
        tokio::time::timeout(GUARD, s.read_to_end(&mut rest))
            .await
            .unwrap_or_else(|_| panic!("connection {i} still open"))
            .ok();
    }
    // A body that stalls after its head: 408, then closed.
    let head = format!("POST {REFUND} HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\n");
    let reply = partial_request(&emu, &head, b"{\"order_id\":").await;
    assert_eq!(status_of(&reply), 408, "{reply}");
    assert_eq!(emu.get(LIST).await.status, 200);
}
