//! Turning an HTTP outcome into success or an `HError`.

#[allow(unused_imports)]
use crate::prelude::*;

use crate::endpoints::Call;
use crate::error::{cat, push_num, HError, NETWORK, TIMEOUT, UNSUPPORTED};

/// Appended to every failure of a money-moving request whose outcome is unknown.
const UNKNOWN_OUTCOME: &str = "; the outcome is unknown, it was not retried: check the order before trying again";

/// The one decision "this money-moving failure leaves the outcome unknown":
/// the note in the text and `e.outcomeUnknown`, together.
fn outcome_unknown(mut e: HError, moves_money: bool) -> HError {
    if moves_money {
        e.text.push_str(UNKNOWN_OUTCOME);
        e.outcome_unknown = true;
    }
    e
}

/// What the boundary could make of a response body.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Body<'a> {
    /// The body parsed as JSON; `error_msg` / `message` are its string fields
    /// of those names when it is an object holding them.
    Json {
        /// The body's `error_msg` string, if any.
        error_msg: Option<&'a str>,
        /// The body's `message` string, if any.
        message: Option<&'a str>,
    },
    /// The body is empty or not JSON.
    Malformed,
}

/// Decides the outcome of a completed HTTP exchange: 2xx with a JSON body
/// resolves; 2xx with a malformed body is a 600 (saying the outcome is
/// unknown when the request moves money); status >= 300 is an `HError` with
/// the status as code and the server's `error_msg`, else `message`, else
/// `"not found"` (404) or `"HTTP {status}"` as text. Statuses below 200 are
/// treated like errors too.
pub fn check(status: u16, body: Body, moves_money: bool) -> Result<(), HError> {
    let success = is_success(status);
    match (success, body) {
        (true, Body::Json { .. }) => Ok(()),
        (true, Body::Malformed) => {
            let mut text = String::from("malformed response body (HTTP ");
            push_num(&mut text, status.into());
            text.push(')');
            Err(outcome_unknown(HError::new(NETWORK, text), moves_money))
        }
        (false, Body::Json { error_msg, message }) => {
            let text = match error_msg.or(message) {
                Some(t) => t.to_string(),
                None => fallback(status),
            };
            Err(server_fault_note(status, moves_money, text))
        }
        (false, Body::Malformed) => {
            let mut text = fallback(status);
            text.push_str(" (body is not JSON)");
            Err(server_fault_note(status, moves_money, text))
        }
    }
}

/// A 2xx status: the reply resolves (when its body is JSON), and the body's
/// `error_msg` / `message` are not needed.
pub fn is_success(status: u16) -> bool {
    (200..300).contains(&status)
}

/// A 5xx to a money-moving request may come after the money moved: say so.
/// So may a 3xx (or a status below 200): the SDK follows no redirect (fetch's
/// `redirect: 'manual'`), the body went out once to the first URL, and the
/// server may have acted on it.
fn server_fault_note(status: u16, moves_money: bool, text: String) -> HError {
    outcome_unknown(HError::new(status, text), moves_money && !(400..500).contains(&status))
}

fn fallback(status: u16) -> String {
    if status == 404 {
        "not found".into()
    } else {
        let mut s = String::from("HTTP ");
        push_num(&mut s, status.into());
        s
    }
}

/// The calls whose replies [`wechat_hold`] looks at (the boundary reads a
/// reply's `err_code` for these only): WeChat sharing, multi sharing,
/// finish and return.
pub fn wechat_guarded(call: Call) -> bool {
    matches!(
        call,
        Call::WechatProfitSharing | Call::WechatMultiProfitSharing | Call::WechatFinish | Call::WechatSharingReturn
    )
}

/// WeChat's error codes after which a sharing, finish or return must not be
/// sent again (the reference's warning: money may be lost).
pub const WECHAT_HOLD_CODES: [&str; 2] = ["SYSTEMERROR", "FREQUENCY_LIMITED"];

/// For a WeChat sharing, multi sharing, finish or return whose reply (of any
/// status) carries one of [`WECHAT_HOLD_CODES`], in its `err_code` or in its
/// `error_msg`: the HError that says so in plain words (do not call again,
/// the money may already have moved, contact support) and whose
/// `outcomeUnknown` is set, whatever the status: the money may have moved.
/// Its code is the HTTP status, or 600 for a 2xx. `None` otherwise.
pub fn wechat_hold(call: Call, status: u16, err_code: Option<&str>, error_msg: Option<&str>) -> Option<HError> {
    if !wechat_guarded(call) {
        return None;
    }
    let code = WECHAT_HOLD_CODES
        .iter()
        .find(|c| err_code == Some(**c) || error_msg.is_some_and(|m| crate::encode::find(m, c).is_some()))?;
    let text = cat(&[
        "WeChat answered ",
        code,
        ": do not call again, the money may already have moved; contact support (发工单联系客服) with this reply (e.data)",
    ]);
    let mut e = HError::new(if (200..300).contains(&status) { NETWORK } else { status }, text);
    e.outcome_unknown = true;
    Some(e)
}

/// `iterate`'s request for the page starting at `offset` (the query's, a
/// safe integer in digits): `params.offset` is refused before anything is
/// sent (it would fix every page at one offset; `.offset(n)` starts the
/// iteration). Answers the offset as a number, for [`next_page`].
pub fn page_start(offset: &str, params: &crate::value::Value) -> Result<u64, HError> {
    if let crate::value::Value::Object(entries) = params {
        if entries.iter().any(|(k, _)| k == "offset") {
            return Err(HError::bad_param("params.offset", "iterate moves the offset, use .offset(n)"));
        }
    }
    // Digits only (the setter's check made them); by hand: `str::parse` cost 110 B more of wasm.
    let n = offset
        .bytes()
        .try_fold(0u64, |n, d| n.checked_mul(10)?.checked_add(u64::from(d.checked_sub(b'0').filter(|d| *d < 10)?)));
    n.ok_or_else(|| HError::bad_param("offset", "must be a safe integer"))
}

/// The rule of a list page that `iterate` asked for at `offset`, from what
/// the 2xx JSON answer holds: `meta.offset` (a number), whether `meta.next`
/// is set, and how many items `objects` has (`None` when it is no array, or
/// the answer no object with an object `meta`). A list page is one whose
/// `objects` is an array and whose `meta.offset` is the offset asked for;
/// anything else is a 600 (nothing moved: a list is a GET). Answers the next
/// page's offset, or `None` when this was the last (empty, or no `next`).
pub fn next_page(
    offset: u64,
    meta_offset: Option<f64>,
    has_next: bool,
    objects: Option<u32>,
) -> Result<Option<u64>, HError> {
    match objects {
        Some(n) if meta_offset == Some(offset as f64) => {
            Ok(if n > 0 && has_next { offset.checked_add(n.into()) } else { None })
        }
        _ => Err(HError::new(
            NETWORK,
            "not the list page asked for (e.data): objects must be an array, meta.offset the offset",
        )),
    }
}

/// How the shell's `send` came back, the `kind` of the wasm's
/// `reply(ticket, answer, kind)`: `cargo xtask pack` writes these into the
/// shell's `tables.js` under the same names. An answer `{ status, headers,
/// text }`:
pub const REPLY_ANSWER: u32 = 0;
/// A failure of the transport (the request may have gone out).
pub const REPLY_FAILURE: u32 = 1;
/// A failure the package's own `fetch` adapter made before it called
/// `fetch` (`{ noFetch }`, `{ notSent }`): the only one that may say nothing
/// was sent.
pub const REPLY_UNSENT: u32 = 2;

/// Why a request got no reply, as the transport reports it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Failure {
    /// The connection failed or was lost after the request was handed over:
    /// its outcome is unknown. The detail is the host's message.
    Network(String),
    /// No complete reply within the configured timeout (outcome unknown).
    Timeout,
    /// The request could not even be built or handed over: nothing was sent.
    NotSent(String),
    /// This runtime has no `fetch` and no request function was given.
    NoFetch,
    /// The caller's `signal` aborted the call after it was handed over.
    Aborted,
}

/// The HError for a request that got no reply: 600 (with the host's detail)
/// or 601 and, when it moves money, the "outcome unknown" note; 600 "request
/// not sent" when nothing left this process; 611 when there is no transport.
pub fn failure(f: Failure, timeout_ms: u32, moves_money: bool) -> HError {
    match f {
        Failure::Timeout => transport_failure(true, timeout_ms, moves_money),
        Failure::Network(detail) => {
            // The detail goes before the note, so the message ends with what to do.
            let mut e = transport_failure(false, timeout_ms, false);
            e.text.push_str(" (");
            e.text.push_str(&detail);
            e.text.push(')');
            outcome_unknown(e, moves_money)
        }
        Failure::NotSent(detail) => HError::new(NETWORK, crate::error::cat(&["request not sent: ", &detail])),
        Failure::Aborted => {
            let mut e = outcome_unknown(HError::new(NETWORK, "aborted by the caller's signal"), moves_money);
            e.aborted = true;
            e
        }
        Failure::NoFetch => {
            HError::new(UNSUPPORTED, "unsupported function: no fetch here; pass BaaS.init a `request` option")
        }
    }
}

/// A call whose signal was aborted before anything was sent.
pub fn aborted_before_sending() -> HError {
    let mut e = HError::new(NETWORK, "aborted by the caller's signal before it was sent: nothing was sent");
    e.aborted = true;
    e
}

/// The error for a request that got no response: 600 `"network
/// disconnected"` or 601 `"request timeout after {ms} ms"`; for a
/// money-moving request it adds that the outcome is unknown and that it was
/// not retried.
fn transport_failure(timeout: bool, timeout_ms: u32, moves_money: bool) -> HError {
    let e = if timeout {
        let mut text = String::from("request timeout after ");
        push_num(&mut text, timeout_ms.into());
        text.push_str(" ms");
        HError::new(TIMEOUT, text)
    } else {
        // The official text, taken alone so the wasm carries no other row of the table.
        HError::new(NETWORK, crate::error::DEFAULT_TEXTS[0].1)
    };
    outcome_unknown(e, moves_money)
}

#[cfg(test)]
mod tests {
    use super::*;

    const JSON: Body<'static> = Body::Json { error_msg: None, message: None };

    #[test]
    fn success() {
        assert_eq!(check(200, JSON, true), Ok(()));
        assert_eq!(check(201, JSON, false), Ok(()));
        assert_eq!(check(299, JSON, false), Ok(()));
    }

    #[test]
    fn malformed_success() {
        let e = check(200, Body::Malformed, false).unwrap_err();
        assert_eq!(e.message(), "600: malformed response body (HTTP 200)");
        let e = check(201, Body::Malformed, true).unwrap_err();
        assert_eq!(
            e.message(),
            "600: malformed response body (HTTP 201); the outcome is unknown, it was not retried: check the order before trying again"
        );
    }

    #[test]
    fn http_errors() {
        let e = check(400, Body::Json { error_msg: Some("bad"), message: Some("m") }, true).unwrap_err();
        assert_eq!((e.code, e.text.as_str()), (400, "bad"));
        let e = check(403, Body::Json { error_msg: None, message: Some("m") }, false).unwrap_err();
        assert_eq!((e.code, e.text.as_str()), (403, "m"));
        let e = check(404, JSON, false).unwrap_err();
        assert_eq!(e.message(), "404: not found");
        let e = check(404, Body::Json { error_msg: Some("no order"), message: None }, false).unwrap_err();
        assert_eq!(e.message(), "404: no order");
        let e = check(500, JSON, false).unwrap_err();
        assert_eq!(e.message(), "500: HTTP 500");
        let e = check(502, Body::Malformed, false).unwrap_err();
        assert_eq!(e.message(), "502: HTTP 502 (body is not JSON)");
        let e = check(502, Body::Malformed, true).unwrap_err();
        assert_eq!(
            e.message(),
            "502: HTTP 502 (body is not JSON); the outcome is unknown, it was not retried: check the order before trying again"
        );
        let e = check(500, Body::Json { error_msg: Some("boom"), message: None }, true).unwrap_err();
        assert_eq!(
            e.message(),
            "500: boom; the outcome is unknown, it was not retried: check the order before trying again"
        );
        // A 4xx is a refusal: nothing moved, no note.
        let e = check(400, Body::Json { error_msg: Some("too much"), message: None }, true).unwrap_err();
        assert_eq!(e.message(), "400: too much");
        let e = check(404, Body::Malformed, false).unwrap_err();
        assert_eq!(e.message(), "404: not found (body is not JSON)");
        let e = check(304, JSON, false).unwrap_err();
        assert_eq!(e.code, 304);
        let e = check(101, JSON, false).unwrap_err();
        assert_eq!(e.code, 101);
    }

    #[test]
    fn wechat_hold_codes() {
        let say = "do not call again, the money may already have moved; contact support";
        for call in
            [Call::WechatProfitSharing, Call::WechatMultiProfitSharing, Call::WechatFinish, Call::WechatSharingReturn]
        {
            let e = wechat_hold(call, 500, Some("SYSTEMERROR"), None).unwrap();
            assert_eq!(e.code, 500);
            assert!(e.text.starts_with("WeChat answered SYSTEMERROR: ") && e.text.contains(say), "{}", e.text);
            let e = wechat_hold(call, 200, Some("FREQUENCY_LIMITED"), None).unwrap();
            assert_eq!(e.code, 600);
            assert!(e.text.contains("FREQUENCY_LIMITED") && e.text.contains(say));
            let e = wechat_hold(call, 400, None, Some("分账失败 SYSTEMERROR 系统超时")).unwrap();
            assert_eq!(e.code, 400);
            // The money may have moved, whatever the status: e.outcomeUnknown.
            for status in [200, 400, 500, 503] {
                for code in WECHAT_HOLD_CODES {
                    assert!(wechat_hold(call, status, Some(code), None).unwrap().outcome_unknown, "{status} {code}");
                }
            }
            assert!(wechat_hold(call, 400, Some("NOT_ENOUGH"), Some("余额不足")).is_none());
            assert!(wechat_hold(call, 200, None, None).is_none());
        }
        for call in [Call::Refund, Call::AlipayProfitSharing, Call::WechatAddReceiver, Call::OrderList] {
            assert!(wechat_hold(call, 500, Some("SYSTEMERROR"), None).is_none());
        }
    }

    #[test]
    fn iterate_refuses_params_offset_before_sending_and_starts_at_the_query_offset() {
        use crate::value::Value;
        assert_eq!(page_start("0", &Value::Undefined), Ok(0));
        assert_eq!(page_start("40", &Value::obj(vec![("limit", Value::num(5.0))])), Ok(40));
        for v in [Value::num(5.0), Value::num(0.0), Value::str("x")] {
            let e = page_start("0", &Value::obj(vec![("status", Value::str("ok")), ("offset", v)])).unwrap_err();
            assert_eq!((e.code, e.field()), (605, Some("params.offset")));
        }
    }

    #[test]
    fn a_list_page_is_an_objects_array_at_the_offset_asked_for() {
        assert_eq!(next_page(0, Some(0.0), true, Some(20)), Ok(Some(20)));
        assert_eq!(next_page(40, Some(40.0), true, Some(3)), Ok(Some(43)));
        // The last page: no next, or nothing on it.
        assert_eq!(next_page(40, Some(40.0), false, Some(3)), Ok(None));
        assert_eq!(next_page(40, Some(40.0), true, Some(0)), Ok(None));
        // Not an array, no meta, another offset: a 600, never items.
        for (meta, objects) in [(Some(0.0), None), (None, Some(2)), (Some(5.0), Some(2)), (None, None)] {
            let e = next_page(0, meta, true, objects).unwrap_err();
            assert_eq!(e.code, 600);
            assert!(e.text.contains("not the list page") && !e.outcome_unknown, "{}", e.text);
        }
        assert_eq!(next_page(u64::MAX, Some(u64::MAX as f64), true, Some(1)), Ok(None));
    }

    #[test]
    fn failures() {
        let e = failure(Failure::Network("socket hang up".into()), 10, true);
        assert_eq!(
            e.message(),
            "600: network disconnected (socket hang up); the outcome is unknown, it was not retried: check the order before trying again"
        );
        let e = failure(Failure::Network("reset".into()), 10, false);
        assert_eq!(e.message(), "600: network disconnected (reset)");
        assert_eq!(failure(Failure::Timeout, 250, false).message(), "601: request timeout after 250 ms");
        assert!(failure(Failure::Timeout, 250, true).text.ends_with(UNKNOWN_OUTCOME));
        // Nothing left this process: no "outcome unknown", even for a refund.
        let e = failure(Failure::NotSent("bad header".into()), 10, true);
        assert_eq!(e.message(), "600: request not sent: bad header");
        let e = failure(Failure::NoFetch, 10, true);
        assert_eq!(e.code, 611);
        assert!(e.text.contains("`request` option"), "{}", e.text);
    }

    /// `outcome_unknown` is set exactly when the text says
    /// the outcome is unknown (one decision), and only for money-moving calls.
    #[test]
    fn outcome_unknown_flag_follows_the_note() {
        let mut errors = Vec::new();
        for moves in [false, true] {
            for status in [200, 201, 300, 302, 400, 404, 500, 502, 101] {
                for body in [JSON, Body::Malformed, Body::Json { error_msg: Some("x"), message: None }] {
                    errors.extend(check(status, body, moves).err().map(|e| (moves, e)));
                }
            }
            for f in [Failure::Timeout, Failure::Network("x".into()), Failure::NotSent("x".into()), Failure::NoFetch] {
                errors.push((moves, failure(f, 5, moves)));
            }
        }
        let flagged = errors.iter().filter(|(_, e)| e.outcome_unknown).count();
        assert!(flagged >= 10, "{flagged}");
        for (moves, e) in errors {
            assert_eq!(e.outcome_unknown, e.text.ends_with(UNKNOWN_OUTCOME), "{}", e.text);
            assert!(moves || !e.outcome_unknown, "{}", e.text);
        }
        assert!(failure(Failure::Timeout, 5, true).outcome_unknown);
        assert!(!failure(Failure::NotSent("x".into()), 5, true).outcome_unknown);
        assert!(!check(400, JSON, true).unwrap_err().outcome_unknown);
    }

    #[test]
    fn transport() {
        assert_eq!(transport_failure(false, 10_000, false).message(), "600: network disconnected");
        assert_eq!(transport_failure(true, 2500, false).message(), "601: request timeout after 2500 ms");
        assert_eq!(
            transport_failure(true, 2500, true).message(),
            "601: request timeout after 2500 ms; the outcome is unknown, it was not retried: check the order before trying again"
        );
        assert_eq!(
            transport_failure(false, 1, true).message(),
            "600: network disconnected; the outcome is unknown, it was not retried: check the order before trying again"
        );
    }

    /// A 307 to a refund (or a 302 to a sharing) is an HError
    /// with that status saying the outcome is unknown, whatever the body; a
    /// GET's redirect is an error too, without the note.
    #[test]
    fn redirects_are_errors_and_money_outcome_unknown() {
        for status in [300, 301, 302, 303, 307, 308] {
            for body in [JSON, Body::Malformed, Body::Json { error_msg: Some("moved"), message: None }] {
                let e = check(status, body, true).unwrap_err();
                assert_eq!(e.code, status);
                assert!(e.text.ends_with(UNKNOWN_OUTCOME), "{}", e.text);
                let e = check(status, body, false).unwrap_err();
                assert_eq!(e.code, status);
                assert!(!e.text.contains("outcome"), "{}", e.text);
            }
        }
        assert_eq!(check(307, JSON, true).unwrap_err().message(), ["307: HTTP 307", UNKNOWN_OUTCOME].concat());
        assert!(check(200, JSON, true).is_ok());
        assert_eq!(check(400, JSON, true).unwrap_err().text, "HTTP 400");
    }

    #[test]
    fn aborted_calls_say_so_and_money_moving_ones_say_the_outcome_is_unknown() {
        let e = failure(Failure::Aborted, 10_000, false);
        assert_eq!((e.code, e.aborted, e.outcome_unknown), (600, true, false));
        assert_eq!(e.message(), "600: aborted by the caller's signal");
        let e = failure(Failure::Aborted, 10_000, true);
        assert_eq!((e.code, e.aborted, e.outcome_unknown), (600, true, true));
        assert!(e.text.contains("the outcome is unknown"), "{}", e.text);
        let e = aborted_before_sending();
        assert_eq!((e.code, e.aborted, e.outcome_unknown), (600, true, false));
        assert!(e.text.ends_with("nothing was sent"));
    }
}
