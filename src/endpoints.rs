//! The one table of API paths, overridable through
//! `BaaS.init(clientID, { endpoints: {...} })`.

use crate::error::{cat, HError};
use crate::value::Value;

/// Placeholder in the [`Call::Order`] path replaced by the encoded transaction ID.
pub const TRANSACTION_ID: &str = ":transactionID";

/// HTTP method.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Method {
    /// GET: reads, safe to repeat.
    Get,
    /// POST: moves money; sent once, never retried.
    Post,
}

impl Method {
    /// `"GET"` or `"POST"`.
    pub fn as_str(self) -> &'static str {
        match self {
            Method::Get => "GET",
            Method::Post => "POST",
        }
    }
}

/// Every call that sends a request; the index into [`CALLS`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Call {
    /// `order.getOrderList(params)`.
    OrderList,
    /// `order.get(transactionID)`.
    Order,
    /// `BaaS.refund(data)`.
    Refund,
    /// `order.wechatPay.profitSharing(options)`.
    WechatProfitSharing,
    /// `order.wechatPay.multiProfitSharing(options)`.
    WechatMultiProfitSharing,
    /// `order.alipay.profitSharing(options)`.
    AlipayProfitSharing,
}

/// One row of the table: the call, its key in `BaaS.init`'s `endpoints`
/// option, its method and its default path.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CallInfo {
    /// The call.
    pub call: Call,
    /// Its key in the `endpoints` option (and in the generated JS / `.d.ts`).
    pub key: &'static str,
    /// HTTP method.
    pub method: Method,
    /// Default path, relative to the host.
    pub path: &'static str,
}

/// The one table of API paths: the SDK's defaults, the emulator's routes and
/// the package's `EndpointKey` type all come from here. Row `i` is the call
/// whose `Call as usize` is `i`.
pub const CALLS: [CallInfo; 6] = [
    CallInfo { call: Call::OrderList, key: "orderList", method: Method::Get, path: "/hserve/v2.2/idp/pay/order/" },
    CallInfo {
        call: Call::Order,
        key: "order",
        method: Method::Get,
        path: "/hserve/v2.0/idp/pay/order/:transactionID/",
    },
    CallInfo { call: Call::Refund, key: "refund", method: Method::Post, path: "/hserve/v2.0/idp/pay/refund/" },
    CallInfo {
        call: Call::WechatProfitSharing,
        key: "wechatProfitSharing",
        method: Method::Post,
        path: "/hserve/v2.0/idp/pay/wechat/profit-sharing/",
    },
    CallInfo {
        call: Call::WechatMultiProfitSharing,
        key: "wechatMultiProfitSharing",
        method: Method::Post,
        path: "/hserve/v2.0/idp/pay/wechat/multi-profit-sharing/",
    },
    CallInfo {
        call: Call::AlipayProfitSharing,
        key: "alipayProfitSharing",
        method: Method::Post,
        path: "/hserve/v2.0/idp/pay/alipay/profit-sharing/",
    },
];

impl Call {
    /// This call's row of [`CALLS`].
    pub fn info(self) -> &'static CallInfo {
        &CALLS[self as usize]
    }
}

/// The API paths in use: [`CALLS`]' defaults with the `endpoints` overrides applied.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Endpoints {
    paths: [String; CALLS.len()],
}

impl Default for Endpoints {
    fn default() -> Self {
        Endpoints { paths: CALLS.map(|c| c.path.to_string()) }
    }
}

impl Endpoints {
    /// Applies the JS `endpoints` option (`Undefined` = nothing to do).
    /// Each value must be a path starting with `/` (no `?`, `#`, spaces or
    /// control characters; `order` must contain `:transactionID`). Either all
    /// overrides apply or none does; errors are 605 naming `endpoints.<key>`.
    pub fn apply_overrides(&mut self, overrides: &Value) -> Result<(), HError> {
        let entries = match overrides {
            Value::Undefined => return Ok(()),
            _ => overrides.known_entries(&CALLS.map(|c| c.key), "endpoints", "endpoints.")?,
        };
        let mut next = self.clone();
        for (key, value) in entries {
            let Some(i) = CALLS.iter().position(|c| c.key == key) else { continue };
            if matches!(value, Value::Undefined) {
                continue;
            }
            let field = cat(&["endpoints.", key]);
            let path = match value {
                Value::String(s) if is_path(s) => s,
                _ => return Err(HError::bad_param(&field, "must be a path starting with / (no ?, #, spaces)")),
            };
            if CALLS[i].call == Call::Order && crate::encode::find(path, TRANSACTION_ID).is_none() {
                return Err(HError::bad_param(&field, "must contain :transactionID"));
            }
            next.paths[i].clone_from(path);
        }
        *self = next;
        Ok(())
    }

    /// The path `call` is sent to.
    pub fn path(&self, call: Call) -> &str {
        &self.paths[call as usize]
    }
}

fn is_path(s: &str) -> bool {
    s.starts_with('/') && !s.chars().any(|c| c == '?' || c == '#' || c.is_whitespace() || c.is_control())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn table_rows_are_in_call_order() {
        for (i, row) in CALLS.iter().enumerate() {
            assert_eq!(row.call as usize, i, "{row:?}");
            assert_eq!(row.call.info(), row);
            assert!(is_path(row.path), "{row:?}");
        }
        let keys: std::collections::HashSet<_> = CALLS.iter().map(|c| c.key).collect();
        assert_eq!(keys.len(), CALLS.len(), "keys are unique");
    }

    #[test]
    fn defaults_match_contract() {
        let e = Endpoints::default();
        assert_eq!(e.path(Call::OrderList), "/hserve/v2.2/idp/pay/order/");
        assert_eq!(e.path(Call::Order), "/hserve/v2.0/idp/pay/order/:transactionID/");
        assert_eq!(e.path(Call::Refund), "/hserve/v2.0/idp/pay/refund/");
        assert_eq!(e.path(Call::WechatProfitSharing), "/hserve/v2.0/idp/pay/wechat/profit-sharing/");
        assert_eq!(e.path(Call::WechatMultiProfitSharing), "/hserve/v2.0/idp/pay/wechat/multi-profit-sharing/");
        assert_eq!(e.path(Call::AlipayProfitSharing), "/hserve/v2.0/idp/pay/alipay/profit-sharing/");
        let posts: Vec<_> = CALLS.iter().filter(|c| c.method == Method::Post).map(|c| c.call).collect();
        assert_eq!(
            posts,
            [Call::Refund, Call::WechatProfitSharing, Call::WechatMultiProfitSharing, Call::AlipayProfitSharing]
        );
    }

    #[test]
    fn overrides_apply() {
        let mut e = Endpoints::default();
        e.apply_overrides(&Value::obj(vec![
            ("orderList", Value::str("/a/")),
            ("order", Value::str("/o/:transactionID")),
            ("refund", Value::str("/r/")),
            ("wechatProfitSharing", Value::str("/w/")),
            ("wechatMultiProfitSharing", Value::str("/wm/")),
            ("alipayProfitSharing", Value::str("/al/")),
            ("ignored", Value::Undefined),
        ]))
        .unwrap();
        assert_eq!(e.path(Call::OrderList), "/a/");
        assert_eq!(e.path(Call::Order), "/o/:transactionID");
        assert_eq!(e.path(Call::Refund), "/r/");
        assert_eq!(e.path(Call::WechatProfitSharing), "/w/");
        assert_eq!(e.path(Call::WechatMultiProfitSharing), "/wm/");
        assert_eq!(e.path(Call::AlipayProfitSharing), "/al/");
        e.apply_overrides(&Value::Undefined).unwrap();
        e.apply_overrides(&Value::obj(vec![("refund", Value::Undefined)])).unwrap();
        assert_eq!(e.path(Call::Refund), "/r/");
    }

    #[test]
    fn bad_overrides_name_the_key_and_change_nothing() {
        let mut e = Endpoints::default();
        let err = e
            .apply_overrides(&Value::obj(vec![("refund", Value::str("/x/")), ("refnud", Value::str("/y/"))]))
            .unwrap_err();
        assert_eq!(err.code, 605);
        assert!(err.text.contains("endpoints.refnud"), "{}", err.text);
        assert_eq!(e, Endpoints::default());
        for (k, v) in [
            ("refund", Value::str("x/")),
            ("refund", Value::str("/x?y")),
            ("refund", Value::str("/x y")),
            ("refund", Value::num(1.0)),
            ("refund", Value::Null),
            ("order", Value::str("/o/")),
        ] {
            let err = e.apply_overrides(&Value::obj(vec![(k, v)])).unwrap_err();
            assert_eq!(err.code, 605);
            assert!(err.text.starts_with(&format!("endpoints.{k}:")), "{}", err.text);
        }
        let err = e.apply_overrides(&Value::str("/x")).unwrap_err();
        assert!(err.text.starts_with("endpoints:"));
    }
}
