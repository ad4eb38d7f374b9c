//! Building the HTTP requests the SDK sends.

#[allow(unused_imports)]
use crate::prelude::*;

use core::fmt;

use crate::config::Config;
use crate::encode::{encode_uri_component, find};
use crate::endpoints::{Call, CallInfo, TRANSACTION_ID};
use crate::error::{cat, HError};
use crate::refund::refund_body;
use crate::value::Value;

/// The SDK version sent as `X-Hydrogen-Client-Version`.
pub const VERSION: &str = env!("CARGO_PKG_VERSION");

pub use crate::endpoints::Method;

/// How requests reach the server: the global `fetch` (browsers, workers,
/// Node 18+), or a host request function `F`: the mini-program adapter around
/// `wx.request` / `my.request`, or the user's `request` option.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Transport<F> {
    /// The global `fetch`.
    Fetch,
    /// A host request function.
    Host(F),
}

impl<F> Transport<F> {
    /// A host request function when there is one, else `fetch`.
    pub fn choose(host_request: Option<F>) -> Transport<F> {
        host_request.map_or(Transport::Fetch, Transport::Host)
    }
}

/// A fully built request for the transport to send as is.
#[derive(Clone, PartialEq, Eq)]
pub struct RequestSpec {
    /// HTTP method.
    pub method: Method,
    /// Absolute URL (never contains the token).
    pub url: String,
    /// Header names and values.
    pub headers: Vec<(&'static str, String)>,
    /// JSON body, for POSTs.
    pub body: Option<String>,
    /// True for refund, profit sharing, finish and return: an unknown
    /// outcome is reported as such (nothing is ever retried).
    pub moves_money: bool,
    /// The call this request makes (its reply is read by
    /// [`crate::response::wechat_hold`] for the WeChat sharing calls).
    pub call: Call,
}

impl fmt::Debug for RequestSpec {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let headers: Vec<(&str, &str)> = self
            .headers
            .iter()
            .map(|(k, v)| (*k, if k.eq_ignore_ascii_case("authorization") { "<redacted>" } else { v.as_str() }))
            .collect();
        f.debug_struct("RequestSpec")
            .field("method", &self.method)
            .field("url", &self.url)
            .field("headers", &headers)
            .field("body", &self.body)
            .field("moves_money", &self.moves_money)
            .field("call", &self.call)
            .finish()
    }
}

impl Config {
    /// The headers of every request: client ID, SDK version, platform, env
    /// (when set), `Authorization: Hydrogen-r1 <token>` (when a token is
    /// known) and `Content-Type: application/json` (when there is a body).
    pub fn headers(&self, has_body: bool) -> Vec<(&'static str, String)> {
        let mut h = vec![
            ("X-Hydrogen-Client-ID", self.client_id.clone()),
            ("X-Hydrogen-Client-Version", VERSION.to_string()),
            ("X-Hydrogen-Client-Platform", self.platform.as_header().to_string()),
        ];
        if let Some(env) = &self.env {
            h.push(("X-Hydrogen-Env-ID", env.clone()));
        }
        if let Some(token) = self.token() {
            h.push(("Authorization", cat(&["Hydrogen-r1 ", token])));
        }
        if has_body {
            h.push(("Content-Type", "application/json".to_string()));
        }
        h
    }

    /// The request for `call` as its row of [`crate::endpoints::CALLS`] says:
    /// its method, and whether it moves money (refund, sharing, finish,
    /// return: an unknown outcome is said so; nothing is ever retried).
    /// The calls pass their row as `Call::X.info()` ([`Call::info`]).
    fn spec(&self, row: &CallInfo, url: String, body: Option<String>) -> RequestSpec {
        let headers = self.headers(body.is_some());
        RequestSpec { method: row.method, url, headers, body, moves_money: row.moves_money, call: row.call }
    }

    fn get(&self, row: &CallInfo, url: String) -> RequestSpec {
        self.spec(row, url, None)
    }

    fn post(&self, row: &CallInfo, body: String) -> RequestSpec {
        self.spec(row, cat(&[&self.host, self.endpoints.path_of(row)]), Some(body))
    }

    /// A GET of `row`'s path with `query` (none when empty): `order.getOrderList()`
    /// (`query` from [`crate::order::OrderQuery::take_query`]) and the
    /// sharing-order lists.
    pub fn list_request(&self, row: &CallInfo, query: &str) -> RequestSpec {
        let mut url = cat(&[&self.host, self.endpoints.path_of(row)]);
        if !query.is_empty() {
            url.push('?');
            url.push_str(query);
        }
        self.get(row, url)
    }

    /// A call that takes options, by its table ([`crate::call::spec`]): the
    /// payment creates ([`crate::payment::body`]), the sharings
    /// `order.wechatPay.profitSharing` / `multiProfitSharing` /
    /// `order.alipay.profitSharing`, and the lifecycle's receivers, finish,
    /// return and their queries. POSTs carry the checked fields as JSON,
    /// GETs as the query string.
    pub fn call_request(&self, call: Call, opts: &Value) -> Result<RequestSpec, HError> {
        let row = call.info();
        if matches!(call, Call::PayWithWechat | Call::PayWithAlipay | Call::PayWithQQ | Call::Pay) {
            return Ok(self.post(row, crate::payment::body(call, self.platform, opts)?));
        }
        Ok(match row.method {
            Method::Post => self.post(row, crate::call::body(call, opts)?),
            Method::Get => self.list_request(row, &crate::call::query(call, opts)?),
        })
    }

    /// `order.get(transactionID)`: a non-empty string (not `.` or `..`),
    /// else 605 naming `transactionID`; it is `encodeURIComponent`-encoded
    /// into the `:transactionID` placeholder.
    pub fn order_request(&self, transaction_id: &Value) -> Result<RequestSpec, HError> {
        let id = match transaction_id {
            Value::String(s) if !s.is_empty() && s != "." && s != ".." => s,
            _ => return Err(HError::bad_param("transactionID", "must be a non-empty string")),
        };
        let mut encoded = String::new();
        encode_uri_component(id, &mut encoded);
        // `str::replace` of every placeholder, without the `str` searcher.
        let mut url = self.host.clone();
        let mut rest = self.endpoints.path_of(const { Call::Order.info() });
        while let Some(i) = find(rest, TRANSACTION_ID) {
            url.push_str(rest.get(..i).unwrap_or_default());
            url.push_str(&encoded);
            rest = rest.get(i + TRANSACTION_ID.len()..).unwrap_or_default();
        }
        url.push_str(rest);
        Ok(self.get(const { Call::Order.info() }, url))
    }

    /// `BaaS.refund(data)`: validated by [`crate::refund::refund_body`].
    pub fn refund_request(&self, data: &Value) -> Result<RequestSpec, HError> {
        let body = refund_body(data)?;
        Ok(self.post(const { Call::Refund.info() }, body))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::Platform;
    use crate::order::OrderQuery;

    const SECRET: &str = "T0KEN-s3cr3t";

    fn cfg(opts: Vec<(&str, Value)>) -> Config {
        Config::from_init(&Value::str("cid"), &Value::obj(opts), Platform::Wechat).unwrap()
    }

    fn header<'a>(h: &'a [(&'static str, String)], name: &str) -> Option<&'a str> {
        h.iter().find(|(k, _)| *k == name).map(|(_, v)| v.as_str())
    }

    #[test]
    fn headers_minimal_and_full() {
        let c = cfg(vec![]);
        let h = c.headers(false);
        assert_eq!(
            h,
            vec![
                ("X-Hydrogen-Client-ID", "cid".to_string()),
                ("X-Hydrogen-Client-Version", env!("CARGO_PKG_VERSION").to_string()),
                ("X-Hydrogen-Client-Platform", "WECHAT".to_string()),
            ]
        );
        let c = cfg(vec![("env", Value::str("e9")), ("token", Value::str(SECRET))]);
        let h = c.headers(true);
        assert_eq!(header(&h, "X-Hydrogen-Env-ID"), Some("e9"));
        assert_eq!(header(&h, "Authorization"), Some("Hydrogen-r1 T0KEN-s3cr3t"));
        assert_eq!(header(&h, "Content-Type"), Some("application/json"));
        assert_eq!(h.len(), 6);
    }

    #[test]
    fn order_list_url() {
        let c = cfg(vec![("host", Value::str("http://localhost:8787/"))]);
        let mut q = OrderQuery::default();
        let query = q.take_query(&Value::obj(vec![("gateway_type", Value::str("alipay"))])).unwrap();
        let r = c.list_request(Call::OrderList.info(), &query);
        assert_eq!(r.method, Method::Get);
        assert_eq!(
            r.url,
            "http://localhost:8787/hserve/v2.2/idp/pay/order/?limit=20&offset=0&where=%7B%7D&gateway_type=alipay"
        );
        assert_eq!(r.body, None);
        assert!(!r.moves_money);
        assert_eq!(header(&r.headers, "Content-Type"), None);
        assert_eq!(c.list_request(Call::OrderList.info(), "").url, "http://localhost:8787/hserve/v2.2/idp/pay/order/");
    }

    #[test]
    fn order_url_encodes_the_id() {
        let c = cfg(vec![]);
        let r = c.order_request(&Value::str("a/b c?d#订")).unwrap();
        assert_eq!(r.url, "https://cid.myminapp.com/hserve/v2.0/idp/pay/order/a%2Fb%20c%3Fd%23%E8%AE%A2/");
        assert_eq!(r.method, Method::Get);
        for bad in [Value::str(""), Value::str(".."), Value::str("."), Value::num(1.0), Value::Undefined, Value::Null] {
            let e = c.order_request(&bad).unwrap_err();
            assert_eq!(e.code, 605);
            assert!(e.text.starts_with("transactionID:"));
        }
        let c = cfg(vec![("endpoints", Value::obj(vec![("order", Value::str("/o/:transactionID/x/"))]))]);
        assert_eq!(c.order_request(&Value::str("T")).unwrap().url, "https://cid.myminapp.com/o/T/x/");
    }

    #[test]
    fn posts_move_money_and_carry_json() {
        let c = cfg(vec![("token", Value::str(SECRET))]);
        let r = c
            .refund_request(&Value::obj(vec![
                ("order_id", Value::num(7.0)),
                ("refund_amount", Value::num_repr(1.5, "1.5")),
            ]))
            .unwrap();
        assert_eq!(r.method, Method::Post);
        assert_eq!(r.url, "https://cid.myminapp.com/hserve/v2.0/idp/pay/refund/");
        assert_eq!(r.body.as_deref(), Some(r#"{"refund_amount":1.5,"order_id":7}"#));
        assert!(r.moves_money);
        assert_eq!(header(&r.headers, "Content-Type"), Some("application/json"));

        let rcv = Value::obj(vec![
            ("type", Value::str("MERCHANT_ID")),
            ("account", Value::str("a")),
            ("amount", Value::num(1.0)),
            ("description", Value::str("d")),
        ]);
        let wx = Value::obj(vec![
            ("trade_no", Value::str("t")),
            ("appid", Value::str("wx")),
            ("receivers", Value::Array(vec![rcv])),
        ]);
        let r = c.call_request(Call::WechatProfitSharing, &wx).unwrap();
        assert_eq!(r.url, "https://cid.myminapp.com/hserve/v2.0/idp/pay/wechat/profit-sharing/");
        assert!(r.moves_money);
        let r = c.call_request(Call::WechatMultiProfitSharing, &wx).unwrap();
        assert_eq!(r.url, "https://cid.myminapp.com/hserve/v2.0/idp/pay/wechat/multi-profit-sharing/");
        assert!(r.moves_money);

        let rcv = Value::obj(vec![
            ("type", Value::str("userId")),
            ("account", Value::str("a")),
            ("amount", Value::num(1.0)),
            ("description", Value::str("d")),
        ]);
        let ali = Value::obj(vec![("trade_no", Value::str("t")), ("receivers", Value::Array(vec![rcv]))]);
        let r = c.call_request(Call::AlipayProfitSharing, &ali).unwrap();
        assert_eq!(r.url, "https://cid.myminapp.com/hserve/v2.0/idp/pay/alipay/profit-sharing/");
        assert_eq!(
            r.body.as_deref(),
            Some(r#"{"trade_no":"t","receivers":[{"type":"userId","account":"a","amount":1,"description":"d"}]}"#)
        );
        assert!(r.moves_money);
        assert!(c.refund_request(&Value::Undefined).is_err());
        assert!(c.call_request(Call::AlipayProfitSharing, &wx).is_err());
        assert!(c.call_request(Call::WechatProfitSharing, &ali).is_err());
    }

    #[test]
    fn lifecycle_requests_take_method_path_and_money_from_the_table() {
        let c = cfg(vec![("token", Value::str(SECRET))]);
        let add = Value::obj(vec![
            ("mch_id", Value::str("m")),
            ("appid", Value::str("wx")),
            ("type", Value::str("PERSONAL_OPENID")),
            ("account", Value::str("o")),
            ("relation_type", Value::str("USER")),
        ]);
        let r = c.call_request(Call::WechatAddReceiver, &add).unwrap();
        assert_eq!(r.method, Method::Post);
        assert_eq!(r.url, "https://cid.myminapp.com/hserve/v2.0/idp/pay/wechat/profit-sharing/receiver/add/");
        assert_eq!(
            r.body.as_deref(),
            Some(r#"{"mch_id":"m","appid":"wx","type":"PERSONAL_OPENID","account":"o","relation_type":"USER"}"#)
        );
        assert!(!r.moves_money, "adding a receiver moves no money");
        assert_eq!(header(&r.headers, "Authorization"), Some("Hydrogen-r1 T0KEN-s3cr3t"));
        let fin = Value::obj(vec![
            ("trade_no", Value::str("t")),
            ("appid", Value::str("wx")),
            ("description", Value::str("d")),
        ]);
        let r = c.call_request(Call::WechatFinish, &fin).unwrap();
        assert_eq!((r.method, r.moves_money, r.call), (Method::Post, true, Call::WechatFinish));
        assert!(r.url.ends_with("/wechat/profit-sharing/finish/"), "{}", r.url);
        let q = Value::obj(vec![("request_no", Value::str("q1")), ("page_size", Value::num(10.0))]);
        let r = c.call_request(Call::AlipayReceiverQuery, &q).unwrap();
        assert_eq!((r.method, r.moves_money, r.body), (Method::Get, false, None));
        assert_eq!(
            r.url,
            "https://cid.myminapp.com/hserve/v2.0/idp/pay/alipay/profit-sharing/receiver/query/?request_no=q1&page_size=10"
        );
        // Bad options: 605 naming the field, no request.
        let e = c.call_request(Call::WechatFinish, &add).unwrap_err();
        assert_eq!(e.code, 605);
        // The list GET of a sharing-order table.
        let r = c.list_request(Call::AlipaySharingOrders.info(), "limit=5");
        assert_eq!(r.url, "https://cid.myminapp.com/hserve/v2.0/idp/pay/alipay/profit-sharing/order/?limit=5");
    }

    #[test]
    fn token_never_leaks() {
        let c = cfg(vec![("token", Value::str(SECRET))]);
        let mut reqs = vec![
            c.list_request(Call::OrderList.info(), "limit=20"),
            c.order_request(&Value::str("x")).unwrap(),
            c.refund_request(&Value::obj(vec![("trade_no", Value::str("t"))])).unwrap(),
        ];
        reqs.push(c.order_request(&Value::str("y")).unwrap());
        for r in &reqs {
            assert!(!r.url.contains(SECRET));
            let dbg = format!("{r:?}");
            assert!(!dbg.contains(SECRET), "{dbg}");
            assert!(dbg.contains("<redacted>"));
            assert!(!r.body.as_deref().unwrap_or("").contains(SECRET));
        }
        assert!(!format!("{c:?}").contains(SECRET));
        let errors = [
            c.order_request(&Value::str("")).unwrap_err(),
            c.refund_request(&Value::obj(vec![("x", Value::num(1.0))])).unwrap_err(),
            crate::response::failure(crate::response::Failure::Timeout, 5, true),
            crate::response::check(500, crate::response::Body::Malformed, true).unwrap_err(),
        ];
        for e in errors {
            assert!(!e.message().contains(SECRET));
        }
        let mut c2 = c.clone();
        let e = c2.set_token(&Value::str("")).unwrap_err();
        assert!(!e.message().contains(SECRET));
    }
}
