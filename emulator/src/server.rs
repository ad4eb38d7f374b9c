//! The HTTP server: accepting connections (with their limits and timeouts),
//! reading bodies within the cap, and sending each request its way: API
//! preflights, the control plane, or the API (recorded, maybe faulted).

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use http_body_util::BodyExt;
use hyper::body::{Body, Incoming};
use hyper::header::HeaderValue;
use hyper::{Method, Request};
use hyper_util::rt::{TokioIo, TokioTimer};
use serde_json::json;
use tokio::net::TcpListener;
use tokio::task::JoinHandle;

use crate::auth::check_control_token;
use crate::config::{random_token, Config, MAX_BODY, MAX_HEAD};
use crate::control::{control, is_control_path, take_fault};
use crate::cors::{api_preflight, control_origin, control_preflight, with_control_cors, with_cors};
use crate::error::{err, ApiError};
use crate::fault::FaultKind;
use crate::record::Recorded;
use crate::reply::{error_response, json_response, raw_response, DropConnection, Resp};
use crate::routes::api;
use crate::state::{lock, State};

/// A running emulator. Dropping it does not stop the server; call
/// [`ServerHandle::shutdown`].
pub struct ServerHandle {
    addr: SocketAddr,
    control_token: String,
    accept: JoinHandle<()>,
}

impl ServerHandle {
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }
    /// The `X-Emulator-Token` the control plane requires (the configured one,
    /// or the random one made at start).
    pub fn control_token(&self) -> &str {
        &self.control_token
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

/// Build the data, bind `cfg.host:cfg.port` and serve in the background of
/// the current tokio runtime. Returns the bound address.
pub async fn serve(cfg: Config) -> std::io::Result<(SocketAddr, ServerHandle)> {
    let control_token = match &cfg.control_token {
        Some(t) => t.clone(),
        None => random_token()?,
    };
    let listener = TcpListener::bind((cfg.host.as_str(), cfg.port)).await?;
    let addr = listener.local_addr()?;
    // hyper starts the header-read timer whenever a connection waits for a
    // request head, so it also closes a kept-alive connection left idle. It
    // needs a timer: without one the default timeout is silently off.
    let mut http = hyper::server::conn::http1::Builder::new();
    http.timer(TokioTimer::new()).header_read_timeout(cfg.header_read_timeout).max_buf_size(MAX_HEAD);
    let state = Arc::new(State::new(cfg, control_token.clone()));
    let accept = tokio::spawn(async move {
        loop {
            let (stream, _) = match listener.accept().await {
                Ok(s) => s,
                Err(_) => {
                    // Out of file descriptors, most likely: idle connections
                    // are closed by the timeout, so try again shortly.
                    tokio::time::sleep(Duration::from_millis(10)).await;
                    continue;
                }
            };
            let _ = stream.set_nodelay(true);
            let state = state.clone();
            let http = http.clone();
            tokio::spawn(async move {
                let svc = hyper::service::service_fn(move |req| handle(state.clone(), req));
                let _ = http.serve_connection(TokioIo::new(stream), svc).await;
            });
        }
    });
    Ok((addr, ServerHandle { addr, control_token, accept }))
}

/// Reads a body of at most `limit` bytes within `timeout`. Returns what was
/// read and whether that is the whole body: 413 when `Content-Length` is over
/// the limit (nothing read) or the bytes streamed in pass it, 408 on timeout.
async fn read_body(body: Incoming, limit: usize, timeout: Option<Duration>) -> (Vec<u8>, Result<(), ApiError>) {
    let too_large = || err(413, format!("request body over {limit} bytes"));
    if body.size_hint().lower() > limit as u64 {
        return (Vec::new(), Err(too_large()));
    }
    let mut buf = Vec::new();
    let read = async {
        let mut body = body;
        while let Some(frame) = body.frame().await {
            let frame = frame.map_err(|_| err(400, "request body unreadable"))?;
            if let Ok(data) = frame.into_data() {
                if buf.len() + data.len() > limit {
                    return Err(too_large());
                }
                buf.extend_from_slice(&data);
            }
        }
        Ok(())
    };
    let outcome = match timeout {
        Some(t) => {
            tokio::time::timeout(t, read).await.unwrap_or_else(|_| Err(err(408, "request body not received in time")))
        }
        None => read.await,
    };
    (buf, outcome)
}

/// The reply to a body that was not read whole: the connection closes after it.
fn body_error(e: &ApiError) -> Resp {
    let mut r = error_response(e);
    r.headers_mut().insert("connection", HeaderValue::from_static("close"));
    r
}

async fn handle(state: Arc<State>, req: Request<Incoming>) -> Result<Resp, DropConnection> {
    let path = req.uri().path().to_string();
    if is_control_path(&path) {
        return Ok(control_request(&state, req).await);
    }
    if req.method() == Method::OPTIONS {
        return Ok(api_preflight(req.headers()));
    }
    if path.starts_with(crate::payment::CHECKOUT) {
        // The buyer's checkout page: no token, not recorded, never faulted.
        let (parts, body) = req.into_parts();
        let (body, _) = read_body(body, MAX_BODY, state.cfg.body_read_timeout).await;
        return Ok(crate::payment::checkout(&state, &parts.method, &path, &body));
    }
    let (parts, body) = req.into_parts();
    let (body, read) = read_body(body, MAX_BODY, state.cfg.body_read_timeout).await;
    let recorded = Recorded::new(&parts, &body, read.is_ok(), state.cfg.record_credentials);
    lock(&state.record).push(recorded);
    if let Err(e) = read {
        return Ok(with_cors(body_error(&e)));
    }
    match take_fault(&state, &path) {
        Some(FaultKind::Status(s)) => return Ok(with_cors(json_response(s, &json!({"error_msg": "injected fault"})))),
        Some(FaultKind::Malformed) => return Ok(with_cors(raw_response(200, "{\"objects\": ["))),
        Some(FaultKind::Wechat(code, status)) => {
            let reply = json!({"return_code": "SUCCESS", "result_code": "FAIL", "err_code": code,
                "err_code_des": "injected WeChat error", "error_msg": format!("{code}: injected WeChat error")});
            return Ok(with_cors(json_response(status, &reply)));
        }
        Some(FaultKind::Drop) => return Err(DropConnection),
        Some(FaultKind::Delay(ms)) => tokio::time::sleep(Duration::from_millis(ms)).await,
        None => {}
    }
    // The call runs on tokio's blocking pool, not on an async worker: a heavy
    // request (a list query at its bound) must never hold up the other
    // connections, the control plane included. Its reply is serialised there
    // too, with no lock held. A call that panics answers 500.
    let created =
        parts.method == Method::POST && path.trim_end_matches('/') == crate::query::LIST_PATH.trim_end_matches('/');
    let resp = tokio::task::spawn_blocking(move || {
        let query = parts.uri.query().unwrap_or("");
        match api(&state, &parts.method, &path, query, &parts.headers, &body) {
            // A created payment order is a 201, as the platform answers.
            Ok(v) if created => json_response(201, &v),
            Ok(v) => json_response(200, &v),
            Err(e) => error_response(&e),
        }
    })
    .await
    .unwrap_or_else(|_| error_response(&err(500, "the emulator failed on this request")));
    Ok(with_cors(resp))
}

/// A `/__emulator/*` request: origin first, then the token, then the body.
/// Never recorded, never faulted.
async fn control_request(state: &State, req: Request<Incoming>) -> Resp {
    let allowed = &state.cfg.control_origins;
    if req.method() == Method::OPTIONS {
        return control_preflight(req.headers(), allowed).unwrap_or_else(|e| error_response(&e));
    }
    let origin = match control_origin(req.headers(), allowed) {
        Ok(o) => o,
        Err(e) => return error_response(&e),
    };
    if let Err(e) = check_control_token(req.headers(), &state.control_token) {
        return with_control_cors(error_response(&e), origin);
    }
    let (parts, body) = req.into_parts();
    let (body, read) = read_body(body, MAX_BODY, state.cfg.body_read_timeout).await;
    if let Err(e) = read {
        return with_control_cors(body_error(&e), origin);
    }
    with_control_cors(control(state, &parts.method, parts.uri.path(), &body), origin)
}
