//! What the flags set, and the documented limits.

use std::time::Duration;

/// Largest request body accepted (1 MiB). A longer one is answered 413: at
/// once when its `Content-Length` says so, else as soon as the count of bytes
/// streamed in passes it; it is never read whole.
pub const MAX_BODY: usize = 1024 * 1024;
/// Largest request head (request line + headers) hyper reads: 64 KiB; a
/// longer one is answered 431.
pub const MAX_HEAD: usize = 64 * 1024;
/// The record keeps the last this many requests (a ring: the oldest goes).
pub const RECORD_RING: usize = 1000;
/// Bytes of a body the record keeps (4 KiB); a longer body is cut at a
/// character boundary and flagged `body_truncated`.
pub const RECORD_BODY_CAP: usize = 4096;
/// How long a connection may take to send a whole request head. hyper runs
/// this timer whenever the connection waits for a head, so it is also the
/// idle limit of a kept-alive connection between requests.
pub const HEADER_READ_TIMEOUT: Duration = Duration::from_secs(10);
/// How long a request body may take to arrive once its head is read (408 after).
pub const BODY_READ_TIMEOUT: Duration = Duration::from_secs(10);

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
    /// The `X-Emulator-Token` that `/__emulator/*` requires; `None`: a random
    /// one, made at start ([`crate::ServerHandle::control_token`]).
    pub control_token: Option<String>,
    /// Web origins (`http://host:port`) whose pages may use the control plane
    /// (CORS); none by default: a request with any other `Origin` is refused.
    pub control_origins: Vec<String>,
    /// Keep the `Authorization` credential in the record (a test harness that
    /// checks the exact header an SDK sent); off by default: redacted.
    pub record_credentials: bool,
    /// See [`HEADER_READ_TIMEOUT`]; `None`: no limit.
    pub header_read_timeout: Option<Duration>,
    /// See [`BODY_READ_TIMEOUT`]; `None`: no limit.
    pub body_read_timeout: Option<Duration>,
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
            control_token: None,
            control_origins: Vec::new(),
            record_credentials: false,
            header_read_timeout: Some(HEADER_READ_TIMEOUT),
            body_read_timeout: Some(BODY_READ_TIMEOUT),
        }
    }
}

/// A fresh random control token: 128 bits from the OS, as 32 hex digits.
pub fn random_token() -> std::io::Result<String> {
    let mut bytes = [0u8; 16];
    getrandom::fill(&mut bytes).map_err(|e| std::io::Error::other(format!("no OS randomness: {e}")))?;
    Ok(bytes.iter().map(|b| format!("{b:02x}")).collect())
}
