//! SDK configuration built by `BaaS.init(clientID, options)`.

#[allow(unused_imports)]
use crate::prelude::*;

use core::fmt;

use crate::endpoints::Endpoints;
use crate::error::{cat, HError};
use crate::value::Value;

/// Default request timeout (ms) when `BaaS.init` gets no `timeout`.
pub const DEFAULT_TIMEOUT_MS: u32 = 10_000;
/// Largest accepted `timeout` (ms): the maximum delay of JS `setTimeout`.
pub const MAX_TIMEOUT_MS: u32 = 2_147_483_647;

/// Every `BaaS.init` option: the core's, then `request` (the transport,
/// which the core checks) and `wasmPath` (read by the mini-program entry).
/// The one home of their names: `cargo xtask pack` checks the `.d.ts`'s
/// `InitOptions` against it.
/// `autoLogin`, `logLevel` and `ws_host` are `minapp-sdk`'s, accepted so that
/// its `BaaS.init` calls run unchanged, and ignored: this SDK logs in no one,
/// logs nothing and opens no WebSocket (so no value of theirs is refused).
pub const INIT_OPTIONS: [&str; 10] =
    ["host", "env", "token", "timeout", "endpoints", "autoLogin", "logLevel", "ws_host", "request", "wasmPath"];

/// The platform the SDK runs on, sent as `X-Hydrogen-Client-Platform`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Platform {
    /// A web browser.
    Web,
    /// A WeChat mini-program.
    Wechat,
    /// An Alipay mini-program.
    Alipay,
    /// Node.js.
    Node,
}

impl Platform {
    /// The `X-Hydrogen-Client-Platform` header value: `WEB`, `WECHAT`,
    /// `ALIPAY` or `NODE`.
    pub fn as_header(self) -> &'static str {
        match self {
            Platform::Web => "WEB",
            Platform::Wechat => "WECHAT",
            Platform::Alipay => "ALIPAY",
            Platform::Node => "NODE",
        }
    }
}

/// The configuration set by `BaaS.init`. The user token is private and
/// never printed (`Debug` redacts it).
#[derive(Clone)]
pub struct Config {
    /// The app's client ID (`X-Hydrogen-Client-ID`).
    pub client_id: String,
    /// API origin without a trailing `/`, e.g. `https://{clientID}.myminapp.com`.
    pub host: String,
    /// Environment ID (`X-Hydrogen-Env-ID`), if any.
    pub env: Option<String>,
    token: Option<String>,
    /// Request timeout in milliseconds.
    pub timeout_ms: u32,
    /// Where the SDK runs.
    pub platform: Platform,
    /// API paths.
    pub endpoints: Endpoints,
}

impl fmt::Debug for Config {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Config")
            .field("client_id", &self.client_id)
            .field("host", &self.host)
            .field("env", &self.env)
            .field("token", &self.token.as_ref().map(|_| "<redacted>"))
            .field("timeout_ms", &self.timeout_ms)
            .field("platform", &self.platform)
            .field("endpoints", &self.endpoints)
            .finish()
    }
}

/// What makes a token usable, whoever gave it (`setToken`, `init`, or the
/// login token minapp-sdk stored): non-empty, at most
/// [`MAX_TOKEN`](crate::limits::MAX_TOKEN) bytes, visible ASCII.
pub fn valid_token(s: &str) -> bool {
    !s.is_empty() && s.len() <= crate::limits::MAX_TOKEN && header_safe(s)
}

/// Whether `s` can go into an HTTP header everywhere: visible ASCII only
/// (runtimes refuse other header bytes, and then nothing could be sent).
fn header_safe(s: &str) -> bool {
    s.bytes().all(|b| (0x21..=0x7e).contains(&b))
}

impl Config {
    /// `BaaS.init(clientID, options)`: validates and builds the configuration.
    ///
    /// `clientID` must be a non-empty string. `options` is `undefined` or an
    /// object with the optional keys `host` (`http://` or `https://` URL,
    /// trailing `/` trimmed), `env` (string; empty = none), `token`
    /// (non-empty string), `timeout` (positive integer ms, default 10000) and
    /// `endpoints` (see [`Endpoints::apply_overrides`]). Any other key, or a
    /// bad value, is a 605 naming the key.
    pub fn from_init(client_id: &Value, options: &Value, platform: Platform) -> Result<Config, HError> {
        let client_id = match client_id {
            // It becomes part of the default host: letters, digits, `-` and `_`
            // only, so it can never point the request (and the token) elsewhere.
            Value::String(s)
                if !s.is_empty() && s.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_') =>
            {
                s.clone()
            }
            _ => return Err(HError::bad_param("clientID", "must be a non-empty string of letters, digits, - and _")),
        };
        let mut config = Config {
            host: cat(&["https://", &client_id, ".myminapp.com"]),
            client_id,
            env: None,
            token: None,
            timeout_ms: DEFAULT_TIMEOUT_MS,
            platform,
            endpoints: Endpoints::default(),
        };
        let entries = match options {
            Value::Undefined => return Ok(config),
            _ => options.known_entries(&INIT_OPTIONS, "options", "options.")?,
        };
        for (key, value) in entries {
            if matches!(value, Value::Undefined) {
                continue;
            }
            match key.as_str() {
                "host" => config.host = parse_host(value)?,
                "env" => match value {
                    Value::String(s) if header_safe(s) || s.is_empty() => {
                        config.env = if s.is_empty() { None } else { Some(s.clone()) }
                    }
                    _ => return Err(HError::bad_param("env", "must be a string of visible ASCII characters")),
                },
                "token" => config.set_token(value)?,
                "timeout" => config.timeout_ms = parse_timeout(value, "timeout")?,
                "endpoints" => config.endpoints.apply_overrides(value)?,
                // The shell sends through it; a function, or nothing could be sent.
                "request" if !matches!(value, Value::Other("function")) => {
                    return Err(HError::bad_param("options.request", "must be a function like wx.request"))
                }
                // minapp-sdk's ignored options and the shell's (known_entries
                // refused everything else).
                _ => {}
            }
        }
        Ok(config)
    }

    /// `BaaS.setToken(token)`: a non-empty string of visible ASCII (it goes
    /// into a header) of at most [`MAX_TOKEN`](crate::limits::MAX_TOKEN)
    /// bytes, else 605 naming `token` (the token itself is never quoted).
    /// A refused token clears the one set before (fail closed): an app that
    /// catches the 605 and goes on does not keep acting as the previous user.
    pub fn set_token(&mut self, token: &Value) -> Result<(), HError> {
        self.token = None;
        match token {
            Value::String(s) if s.len() > crate::limits::MAX_TOKEN => {
                Err(HError::bad_param("token", crate::limits::TOO_LONG))
            }
            Value::String(s) if valid_token(s) => {
                self.token = Some(s.clone());
                Ok(())
            }
            _ => Err(HError::bad_param("token", "must be a non-empty string of visible ASCII characters")),
        }
    }

    /// `BaaS.clearToken()`: forget the token.
    pub fn clear_token(&mut self) {
        self.token = None;
    }

    /// Whether a token is set.
    pub fn has_token(&self) -> bool {
        self.token.is_some()
    }

    /// The configuration a request is built from: the token set by `init` /
    /// `setToken` wins; without one, the login token `minapp-sdk` stored
    /// (`stored`, read only when [`Config::has_token`] is false) is used when
    /// it is a valid token, and ignored otherwise.
    pub fn with_stored_token(&self, stored: Option<String>) -> alloc::borrow::Cow<'_, Config> {
        match stored {
            Some(token) if !self.has_token() && valid_token(&token) => {
                let mut with = self.clone();
                with.token = Some(token);
                alloc::borrow::Cow::Owned(with)
            }
            _ => alloc::borrow::Cow::Borrowed(self),
        }
    }

    /// The token, for the `Authorization` header only.
    pub fn token(&self) -> Option<&str> {
        self.token.as_deref()
    }
}

/// `s` without trailing `/`s (`trim_end_matches('/')` as a byte loop).
fn trim_slashes(s: &str) -> &str {
    let mut b = s.as_bytes();
    while let [rest @ .., b'/'] = b {
        b = rest;
    }
    s.get(..b.len()).unwrap_or(s)
}

fn parse_host(value: &Value) -> Result<String, HError> {
    const REASON: &str = "must be an http:// or https:// URL";
    let s = match value {
        Value::String(s) => s,
        _ => return Err(HError::bad_param("host", REASON)),
    };
    let lower = s.to_ascii_lowercase();
    let rest = if lower.starts_with("https://") {
        s.get(8..)
    } else if lower.starts_with("http://") {
        s.get(7..)
    } else {
        None
    };
    let ok = match rest {
        Some(r) => {
            let r = trim_slashes(r);
            !r.is_empty() && !r.starts_with('/') && crate::encode::plain_url_part(r)
        }
        None => false,
    };
    if !ok {
        return Err(HError::bad_param("host", REASON));
    }
    Ok(trim_slashes(s).to_string())
}

fn parse_timeout(value: &Value, field: &str) -> Result<u32, HError> {
    match value {
        Value::Number(n) if n.is_integer() && n.value > 0.0 && n.value <= f64::from(MAX_TIMEOUT_MS) => {
            Ok(n.value as u32)
        }
        _ => Err(HError::bad_param(field, "must be a positive integer number of milliseconds")),
    }
}

/// The keys of the per-call options, the trailing argument of every call
/// that sends a request (`get(id, { signal, timeout })`).
pub const CALL_OPTIONS: [&str; 2] = ["signal", "timeout"];

/// Reads the per-call options `callOptions` (absent: none): `timeout`, the
/// same rule as `init`'s, replaces the configured one for this call. Whether
/// `signal` is an `AbortSignal` only the boundary can tell (it checks it).
pub fn call_timeout(options: &Value) -> Result<Option<u32>, HError> {
    if matches!(options, Value::Undefined) {
        return Ok(None);
    }
    let entries = options.known_entries(&CALL_OPTIONS, "callOptions", "callOptions.")?;
    match entries.iter().find(|(k, _)| k == "timeout") {
        Some((_, v)) if !matches!(v, Value::Undefined) => parse_timeout(v, "callOptions.timeout").map(Some),
        _ => Ok(None),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn init(opts: Value) -> Result<Config, HError> {
        Config::from_init(&Value::str("cid"), &opts, Platform::Web)
    }

    #[test]
    fn header_values_are_visible_ascii() {
        // Anything else a runtime may refuse in a header, and then nothing could be sent.
        let mut c = init(Value::Undefined).unwrap();
        for bad in ["tok\u{2028}en", "tokén", "two words", "tab\there", ""] {
            let e = c.set_token(&Value::str(bad)).unwrap_err();
            assert_eq!(
                (e.code, e.text.as_str()),
                (605, "token: must be a non-empty string of visible ASCII characters")
            );
            assert!(!e.message().contains(bad) || bad.is_empty());
            let e = Config::from_init(&Value::str(bad), &Value::Undefined, Platform::Web).unwrap_err();
            assert!(e.text.starts_with("clientID: "), "{}", e.text);
        }
        assert!(c.set_token(&Value::str("Ab0-_.~!$&'()*+,;=:@/?")).is_ok());
        for bad in ["evil.example/x?", "a@b", "a#b", "a.b", "a:1"] {
            let e = Config::from_init(&Value::str(bad), &Value::Undefined, Platform::Web).unwrap_err();
            assert_eq!(e.text, "clientID: must be a non-empty string of letters, digits, - and _");
        }
        let ok = Config::from_init(&Value::str("1a2B_c-3"), &Value::Undefined, Platform::Web).unwrap();
        assert_eq!(ok.host, "https://1a2B_c-3.myminapp.com");
        let e = init(Value::obj(vec![("env", Value::str("环境"))])).unwrap_err();
        assert!(e.text.starts_with("env: "), "{}", e.text);
    }

    #[test]
    fn defaults() {
        let c = init(Value::Undefined).unwrap();
        assert_eq!(c.client_id, "cid");
        assert_eq!(c.host, "https://cid.myminapp.com");
        assert_eq!(c.env, None);
        assert!(!c.has_token());
        assert_eq!(c.timeout_ms, 10_000);
        assert_eq!(c.endpoints, Endpoints::default());
        let c = init(Value::obj(vec![])).unwrap();
        assert_eq!(c.host, "https://cid.myminapp.com");
    }

    #[test]
    fn options_apply() {
        let c = init(Value::obj(vec![
            ("host", Value::str("http://127.0.0.1:8787//")),
            ("env", Value::str("e1")),
            ("token", Value::str("tok")),
            ("timeout", Value::num(2500.0)),
            ("endpoints", Value::obj(vec![("refund", Value::str("/r/"))])),
            ("ignored", Value::Undefined),
        ]))
        .unwrap();
        assert_eq!(c.host, "http://127.0.0.1:8787");
        assert_eq!(c.env.as_deref(), Some("e1"));
        assert_eq!(c.token(), Some("tok"));
        assert_eq!(c.timeout_ms, 2500);
        assert_eq!(c.endpoints.path_of(crate::endpoints::Call::Refund.info()), "/r/");
        let c = init(Value::obj(vec![("env", Value::str("")), ("host", Value::str("https://a.b/base/"))])).unwrap();
        assert_eq!(c.env, None);
        assert_eq!(c.host, "https://a.b/base");
        assert_eq!(trim_slashes("///"), "");
        assert_eq!(trim_slashes("a/b//"), "a/b");
        assert_eq!(trim_slashes("订/"), "订");
    }

    #[test]
    fn bad_init_names_the_field() {
        for id in [Value::Undefined, Value::str(""), Value::num(1.0), Value::str("a b")] {
            let e = Config::from_init(&id, &Value::Undefined, Platform::Web).unwrap_err();
            assert_eq!(e.code, 605);
            assert!(e.text.starts_with("clientID:"));
        }
        let cases: Vec<(&str, Value, &str)> = vec![
            ("host", Value::str("ftp://x"), "host:"),
            ("host", Value::str("https://"), "host:"),
            ("host", Value::str("https:///x"), "host:"),
            ("host", Value::str("example.com"), "host:"),
            ("host", Value::str("https://a b"), "host:"),
            ("host", Value::num(1.0), "host:"),
            ("env", Value::num(1.0), "env:"),
            ("token", Value::str(""), "token:"),
            ("token", Value::Null, "token:"),
            ("timeout", Value::num(0.0), "timeout:"),
            ("timeout", Value::num(-5.0), "timeout:"),
            ("timeout", Value::num(1.5), "timeout:"),
            ("timeout", Value::str("100"), "timeout:"),
            ("timeout", Value::num(3e9), "timeout:"),
            ("endpoints", Value::obj(vec![("x", Value::str("/x"))]), "unknown field endpoints.x"),
            ("hots", Value::str("https://a"), "unknown field options.hots"),
        ];
        for (k, v, prefix) in cases {
            let e = init(Value::obj(vec![(k, v)])).unwrap_err();
            assert_eq!(e.code, 605);
            assert!(e.text.starts_with(prefix), "{k}: {}", e.text);
        }
        let e = init(Value::Null).unwrap_err();
        assert!(e.text.starts_with("options:"));
    }

    #[test]
    fn token_lifecycle_and_redaction() {
        let secret = "s3cr3t-T0KEN";
        let mut c = init(Value::obj(vec![("token", Value::str(secret))])).unwrap();
        assert!(c.has_token());
        let dbg = format!("{c:?}");
        assert!(!dbg.contains(secret), "{dbg}");
        assert!(dbg.contains("<redacted>"));
        let e = c.set_token(&Value::str("bad\ntoken-s3cr3t")).unwrap_err();
        assert!(!e.message().contains("s3cr3t"));
        // The refused token cleared the previous one (fail closed).
        assert_eq!(c.token(), None);
        c.set_token(&Value::str("other")).unwrap();
        assert_eq!(c.token(), Some("other"));
        c.clear_token();
        assert!(!c.has_token());
        assert!(c.set_token(&Value::num(1.0)).is_err());
        assert!(!c.has_token());
    }

    /// A 100 KB or 1 MB token is a 605 (and clears the old
    /// one), not a request the server refuses with 431.
    #[test]
    fn token_cap() {
        let mut c = init(Value::obj(vec![("token", Value::str("admin"))])).unwrap();
        assert!(c.set_token(&Value::str(&"t".repeat(crate::limits::MAX_TOKEN))).is_ok());
        for len in [crate::limits::MAX_TOKEN + 1, 100_000, 1_000_000] {
            c.set_token(&Value::str("admin")).unwrap();
            let e = c.set_token(&Value::str(&"t".repeat(len))).unwrap_err();
            assert_eq!(e.message(), "605: token: is longer than 1024 characters");
            assert_eq!(c.token(), None);
        }
    }

    #[test]
    fn stored_token_only_when_none_is_set_and_only_when_valid() {
        let c = init(Value::Undefined).unwrap();
        assert_eq!(c.with_stored_token(Some("login".into())).token(), Some("login"));
        assert_eq!(c.with_stored_token(None).token(), None);
        let huge = "t".repeat(crate::limits::MAX_TOKEN + 1);
        for bad in ["", "two words", "new\nline", "tokén", &huge] {
            assert_eq!(c.with_stored_token(Some(bad.into())).token(), None, "{bad:.20}");
        }
        let c = init(Value::obj(vec![("token", Value::str("explicit"))])).unwrap();
        assert_eq!(c.with_stored_token(Some("login".into())).token(), Some("explicit"));
    }

    #[test]
    fn shell_options_pass_core_validation() {
        let c = init(Value::obj(vec![("request", Value::Other("function")), ("wasmPath", Value::str("/x.wasm"))]));
        assert!(c.is_ok());
    }

    /// `request` is the shell's transport: a function (the boundary reads
    /// one as `Other("function")`), else a 605 naming `options.request`,
    /// checked here so that every init, refused or not, reaches the core
    /// (which keeps its token to hide).
    #[test]
    fn request_must_be_a_function() {
        for bad in
            [Value::str("wx.request"), Value::Null, Value::Bool(true), Value::Other("unreadable (reading it threw)")]
        {
            let e = init(Value::obj(vec![("request", bad.clone())])).unwrap_err();
            assert_eq!(e.message(), "605: options.request: must be a function like wx.request", "{bad:?}");
            assert_eq!(e.field(), Some("options.request"));
        }
        assert!(init(Value::obj(vec![("request", Value::Undefined)])).is_ok());
    }

    /// Minapp-sdk's `BaaS.init` options are accepted (and
    /// ignored, whatever their value); a misspelt one is still a 605.
    #[test]
    fn minapp_sdk_options_are_accepted_and_ignored() {
        let plain = init(Value::obj(vec![("host", Value::str("https://a.b")), ("env", Value::str("e"))])).unwrap();
        let c = init(Value::obj(vec![
            ("host", Value::str("https://a.b")),
            ("env", Value::str("e")),
            ("autoLogin", Value::Bool(true)),
            ("logLevel", Value::str("debug")),
            ("ws_host", Value::str("wss://a.b")),
        ]))
        .unwrap();
        assert_eq!(format!("{c:?}"), format!("{plain:?}"));
        for typo in ["autologin", "loglevel", "wsHost", "ws-host"] {
            let e = init(Value::obj(vec![(typo, Value::Bool(true))])).unwrap_err();
            assert_eq!(e.message(), format!("605: unknown field options.{typo}"));
        }
    }

    #[test]
    fn platform_headers() {
        assert_eq!(Platform::Web.as_header(), "WEB");
        assert_eq!(Platform::Wechat.as_header(), "WECHAT");
        assert_eq!(Platform::Alipay.as_header(), "ALIPAY");
        assert_eq!(Platform::Node.as_header(), "NODE");
    }

    #[test]
    fn call_options_take_a_timeout_and_refuse_anything_else() {
        assert_eq!(call_timeout(&Value::Undefined), Ok(None));
        assert_eq!(call_timeout(&Value::obj(vec![])), Ok(None));
        assert_eq!(call_timeout(&Value::obj(vec![("timeout", Value::num(250.0))])), Ok(Some(250)));
        assert_eq!(call_timeout(&Value::obj(vec![("signal", Value::obj(vec![]))])), Ok(None));
        for bad in [Value::num(0.0), Value::num(1.5), Value::str("5"), Value::num(3e9)] {
            let e = call_timeout(&Value::obj(vec![("timeout", bad)])).unwrap_err();
            assert_eq!(e.field(), Some("callOptions.timeout"), "{}", e.text);
        }
        let e = call_timeout(&Value::obj(vec![("timeot", Value::num(5.0))])).unwrap_err();
        assert_eq!((e.code, e.field()), (605, Some("callOptions.timeot")));
        let e = call_timeout(&Value::str("fast")).unwrap_err();
        assert_eq!(e.field(), Some("callOptions"));
    }
}
