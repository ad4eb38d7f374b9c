//! The one table of API paths, overridable through
//! `BaaS.init(clientID, { endpoints: {...} })`.

#[allow(unused_imports)]
use crate::prelude::*;

use crate::error::{cat, HError};
use crate::value::Value;

/// Placeholder in the [`Call::Order`] path replaced by the encoded transaction ID.
pub const TRANSACTION_ID: &str = ":transactionID";

/// HTTP method.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Method {
    /// GET: reads, safe to repeat.
    Get,
    /// POST: changes state on the server; sent once, never retried (whether
    /// it moves money is [`CallInfo::moves_money`]).
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
    /// `BaaS.wechat.profitSharing.addReceiver(options)`.
    WechatAddReceiver,
    /// `BaaS.wechat.profitSharing.removeReceiver(options)`.
    WechatRemoveReceiver,
    /// `new BaaS.wechat.profitSharing.Order().getOrderList(params)`.
    WechatSharingOrders,
    /// `new BaaS.wechat.profitSharing.Order().finish(options)`.
    WechatFinish,
    /// `new BaaS.wechat.profitSharing.Order().refund(options)` (分账回退, a return).
    WechatSharingReturn,
    /// `new BaaS.wechat.profitSharing.Order().getRefundmentOrder(options)`.
    WechatSharingReturnQuery,
    /// `BaaS.alipay.profitSharing.addReceiver(options)`.
    AlipayAddReceiver,
    /// `BaaS.alipay.profitSharing.removeReceiver(options)`.
    AlipayRemoveReceiver,
    /// `BaaS.alipay.profitSharing.receiverQuery(options)`.
    AlipayReceiverQuery,
    /// `new BaaS.alipay.profitSharing.Order().getOrderList(params)`.
    AlipaySharingOrders,
    /// `BaaS.payment.payWithWechat(options)`: creates a WeChat order (web, Node).
    PayWithWechat,
    /// `BaaS.payment.payWithAlipay(options)`: creates an Alipay order (web, Node).
    PayWithAlipay,
    /// `BaaS.payment.payWithQQ(options)`: creates a QQ order (web, Node).
    PayWithQQ,
    /// `BaaS.pay(params)`: creates the order a mini-program then pays.
    Pay,
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
    /// Moves money (refund, sharing, finish, return): a failure whose outcome
    /// is unknown says so. Adding or removing a receiver is a POST that moves none.
    pub moves_money: bool,
}

const fn row(call: Call, key: &'static str, method: Method, path: &'static str, moves_money: bool) -> CallInfo {
    CallInfo { call, key, method, path, moves_money }
}

/// The one table of API paths: the SDK's defaults, the emulator's routes and
/// the package's `EndpointKey` type all come from here. Row `i` is the call
/// whose `Call as usize` is `i`.
pub const CALLS: [CallInfo; 20] = [
    row(Call::OrderList, "orderList", Method::Get, "/hserve/v2.2/idp/pay/order/", false),
    row(Call::Order, "order", Method::Get, "/hserve/v2.0/idp/pay/order/:transactionID/", false),
    row(Call::Refund, "refund", Method::Post, "/hserve/v2.0/idp/pay/refund/", true),
    row(
        Call::WechatProfitSharing,
        "wechatProfitSharing",
        Method::Post,
        "/hserve/v2.0/idp/pay/wechat/profit-sharing/",
        true,
    ),
    row(
        Call::WechatMultiProfitSharing,
        "wechatMultiProfitSharing",
        Method::Post,
        "/hserve/v2.0/idp/pay/wechat/multi-profit-sharing/",
        true,
    ),
    row(
        Call::AlipayProfitSharing,
        "alipayProfitSharing",
        Method::Post,
        "/hserve/v2.0/idp/pay/alipay/profit-sharing/",
        true,
    ),
    // The paths below are not published: this project's assumption (README).
    row(
        Call::WechatAddReceiver,
        "wechatAddReceiver",
        Method::Post,
        "/hserve/v2.0/idp/pay/wechat/profit-sharing/receiver/add/",
        false,
    ),
    row(
        Call::WechatRemoveReceiver,
        "wechatRemoveReceiver",
        Method::Post,
        "/hserve/v2.0/idp/pay/wechat/profit-sharing/receiver/remove/",
        false,
    ),
    row(
        Call::WechatSharingOrders,
        "wechatSharingOrders",
        Method::Get,
        "/hserve/v2.0/idp/pay/wechat/profit-sharing/order/",
        false,
    ),
    row(Call::WechatFinish, "wechatFinish", Method::Post, "/hserve/v2.0/idp/pay/wechat/profit-sharing/finish/", true),
    row(
        Call::WechatSharingReturn,
        "wechatSharingReturn",
        Method::Post,
        "/hserve/v2.0/idp/pay/wechat/profit-sharing/return/",
        true,
    ),
    row(
        Call::WechatSharingReturnQuery,
        "wechatSharingReturnQuery",
        Method::Get,
        "/hserve/v2.0/idp/pay/wechat/profit-sharing/return/query/",
        false,
    ),
    row(
        Call::AlipayAddReceiver,
        "alipayAddReceiver",
        Method::Post,
        "/hserve/v2.0/idp/pay/alipay/profit-sharing/receiver/add/",
        false,
    ),
    row(
        Call::AlipayRemoveReceiver,
        "alipayRemoveReceiver",
        Method::Post,
        "/hserve/v2.0/idp/pay/alipay/profit-sharing/receiver/remove/",
        false,
    ),
    row(
        Call::AlipayReceiverQuery,
        "alipayReceiverQuery",
        Method::Get,
        "/hserve/v2.0/idp/pay/alipay/profit-sharing/receiver/query/",
        false,
    ),
    row(
        Call::AlipaySharingOrders,
        "alipaySharingOrders",
        Method::Get,
        "/hserve/v2.0/idp/pay/alipay/profit-sharing/order/",
        false,
    ),
    // Payment initiation: one POST to the list's path for every runtime
    // (CONTRACT.md "Payment initiation"), one row per JS call so that each
    // has its option table (`crate::payment`). Creating an order moves no
    // money yet, but a lost answer may have created one: it is sent once,
    // and a failure after it was handed over says the outcome is unknown.
    row(Call::PayWithWechat, "payWithWechat", Method::Post, PAY_PATH, true),
    row(Call::PayWithAlipay, "payWithAlipay", Method::Post, PAY_PATH, true),
    row(Call::PayWithQQ, "payWithQQ", Method::Post, PAY_PATH, true),
    row(Call::Pay, "pay", Method::Post, PAY_PATH, true),
];

/// Where every runtime creates a payment order (the order list's path, POST).
pub const PAY_PATH: &str = "/hserve/v2.2/idp/pay/order/";

impl Call {
    /// This call's row of [`CALLS`] (at compile time too:
    /// `const { Call::Refund.info() }`).
    pub const fn info(self) -> &'static CallInfo {
        &CALLS[self as usize]
    }
}

/// The API paths in use: [`CALLS`]' defaults with the `endpoints` overrides
/// applied. Only the overrides are stored (usually
/// none, so nothing is allocated), one slot per exported call.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Endpoints {
    overrides: [Option<String>; CALLS.len()],
}

impl Endpoints {
    /// Applies the JS `endpoints` option (`Undefined` = nothing to do); its
    /// keys are those of [`CALLS`] (any other key is refused).
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
            next.overrides[i] = Some(path.clone());
        }
        *self = next;
        Ok(())
    }

    /// The path `row`'s call is sent to: its override, else `row.path`.
    pub fn path_of<'a>(&'a self, row: &'a CallInfo) -> &'a str {
        self.overrides.get(row.call as usize).and_then(Option::as_deref).unwrap_or(row.path)
    }
}

fn is_path(s: &str) -> bool {
    s.starts_with('/') && crate::encode::plain_url_part(s)
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
        assert_eq!(e.path_of(Call::OrderList.info()), "/hserve/v2.2/idp/pay/order/");
        assert_eq!(e.path_of(Call::Order.info()), "/hserve/v2.0/idp/pay/order/:transactionID/");
        assert_eq!(e.path_of(Call::Refund.info()), "/hserve/v2.0/idp/pay/refund/");
        assert_eq!(e.path_of(Call::WechatProfitSharing.info()), "/hserve/v2.0/idp/pay/wechat/profit-sharing/");
        assert_eq!(
            e.path_of(Call::WechatMultiProfitSharing.info()),
            "/hserve/v2.0/idp/pay/wechat/multi-profit-sharing/"
        );
        assert_eq!(e.path_of(Call::AlipayProfitSharing.info()), "/hserve/v2.0/idp/pay/alipay/profit-sharing/");
        let money: Vec<_> = CALLS.iter().filter(|c| c.moves_money).map(|c| c.call).collect();
        assert_eq!(
            money,
            [
                Call::Refund,
                Call::WechatProfitSharing,
                Call::WechatMultiProfitSharing,
                Call::AlipayProfitSharing,
                Call::WechatFinish,
                Call::WechatSharingReturn,
                Call::PayWithWechat,
                Call::PayWithAlipay,
                Call::PayWithQQ,
                Call::Pay
            ]
        );
        for c in [Call::PayWithWechat, Call::PayWithAlipay, Call::PayWithQQ, Call::Pay] {
            assert_eq!(
                (e.path_of(c.info()), c.info().method),
                (e.path_of(Call::OrderList.info()), Method::Post),
                "{c:?}"
            );
        }
        // Everything that moves money is a POST; reads are GETs.
        for c in CALLS {
            assert!(!c.moves_money || c.method == Method::Post, "{c:?}");
        }
        let gets: Vec<_> = CALLS.iter().filter(|c| c.method == Method::Get).map(|c| c.call).collect();
        assert_eq!(
            gets,
            [
                Call::OrderList,
                Call::Order,
                Call::WechatSharingOrders,
                Call::WechatSharingReturnQuery,
                Call::AlipayReceiverQuery,
                Call::AlipaySharingOrders
            ]
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
        assert_eq!(e.path_of(Call::OrderList.info()), "/a/");
        assert_eq!(e.path_of(Call::Order.info()), "/o/:transactionID");
        assert_eq!(e.path_of(Call::Refund.info()), "/r/");
        assert_eq!(e.path_of(Call::WechatProfitSharing.info()), "/w/");
        assert_eq!(e.path_of(Call::WechatMultiProfitSharing.info()), "/wm/");
        assert_eq!(e.path_of(Call::AlipayProfitSharing.info()), "/al/");
        e.apply_overrides(&Value::Undefined).unwrap();
        e.apply_overrides(&Value::obj(vec![("refund", Value::Undefined)])).unwrap();
        assert_eq!(e.path_of(Call::Refund.info()), "/r/");
    }

    #[test]
    fn every_call_is_overridable() {
        assert_eq!(CALLS, CALLS);
        for row in &CALLS {
            assert_eq!(row.call.info(), row);
            // Each key, the lifecycle's too, moves its own call and no other.
            let mut e = Endpoints::default();
            e.apply_overrides(&Value::obj(vec![(row.key, Value::str("/x/:transactionID/"))])).unwrap();
            for other in &CALLS {
                let want = if other.call == row.call { "/x/:transactionID/" } else { other.path };
                assert_eq!(e.path_of(other.call.info()), want, "{} after overriding {}", other.key, row.key);
            }
        }
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
