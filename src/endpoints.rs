//! The one table of API paths, overridable through
//! `BaaS.init(clientID, { endpoints: {...} })`.

use crate::error::{cat, HError};
use crate::value::Value;

/// Placeholder in [`Endpoints::order`] replaced by the encoded transaction ID.
pub const TRANSACTION_ID: &str = ":transactionID";

/// API paths (relative to the host) of every call the SDK makes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Endpoints {
    /// `order.getOrderList()` (GET). JS key `orderList`.
    pub order_list: String,
    /// `order.get(transactionID)` (GET); contains `:transactionID`. JS key `order`.
    pub order: String,
    /// `BaaS.refund()` (POST). JS key `refund`.
    pub refund: String,
    /// `order.wechatPay.profitSharing()` (POST). JS key `wechatProfitSharing`.
    pub wechat_profit_sharing: String,
    /// `order.wechatPay.multiProfitSharing()` (POST). JS key `wechatMultiProfitSharing`.
    pub wechat_multi_profit_sharing: String,
    /// `order.alipay.profitSharing()` (POST). JS key `alipayProfitSharing`.
    pub alipay_profit_sharing: String,
}

impl Default for Endpoints {
    fn default() -> Self {
        Endpoints {
            order_list: "/hserve/v2.2/idp/pay/order/".into(),
            order: "/hserve/v2.0/idp/pay/order/:transactionID/".into(),
            refund: "/hserve/v2.0/idp/pay/refund/".into(),
            wechat_profit_sharing: "/hserve/v2.0/idp/pay/wechat/profit-sharing/".into(),
            wechat_multi_profit_sharing: "/hserve/v2.0/idp/pay/wechat/multi-profit-sharing/".into(),
            alipay_profit_sharing: "/hserve/v2.0/idp/pay/alipay/profit-sharing/".into(),
        }
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
            Value::Object(entries) => entries,
            _ => return Err(HError::bad_param("endpoints", "must be an object")),
        };
        let mut next = self.clone();
        for (key, value) in entries {
            if matches!(value, Value::Undefined) {
                continue;
            }
            let slot = match key.as_str() {
                "orderList" => &mut next.order_list,
                "order" => &mut next.order,
                "refund" => &mut next.refund,
                "wechatProfitSharing" => &mut next.wechat_profit_sharing,
                "wechatMultiProfitSharing" => &mut next.wechat_multi_profit_sharing,
                "alipayProfitSharing" => &mut next.alipay_profit_sharing,
                _ => return Err(HError::unknown_field(&cat(&["endpoints.", key]))),
            };
            let field = cat(&["endpoints.", key]);
            let path = match value {
                Value::String(s) if is_path(s) => s,
                _ => return Err(HError::bad_param(&field, "must be a path starting with / (no ?, #, spaces)")),
            };
            if key == "order" && crate::encode::find(path, TRANSACTION_ID).is_none() {
                return Err(HError::bad_param(&field, "must contain :transactionID"));
            }
            slot.clone_from(path);
        }
        *self = next;
        Ok(())
    }
}

fn is_path(s: &str) -> bool {
    s.starts_with('/') && !s.chars().any(|c| c == '?' || c == '#' || c.is_whitespace() || c.is_control())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_match_contract() {
        let e = Endpoints::default();
        assert_eq!(e.order_list, "/hserve/v2.2/idp/pay/order/");
        assert_eq!(e.order, "/hserve/v2.0/idp/pay/order/:transactionID/");
        assert_eq!(e.refund, "/hserve/v2.0/idp/pay/refund/");
        assert_eq!(e.wechat_profit_sharing, "/hserve/v2.0/idp/pay/wechat/profit-sharing/");
        assert_eq!(e.wechat_multi_profit_sharing, "/hserve/v2.0/idp/pay/wechat/multi-profit-sharing/");
        assert_eq!(e.alipay_profit_sharing, "/hserve/v2.0/idp/pay/alipay/profit-sharing/");
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
        assert_eq!(e.order_list, "/a/");
        assert_eq!(e.order, "/o/:transactionID");
        assert_eq!(e.refund, "/r/");
        assert_eq!(e.wechat_profit_sharing, "/w/");
        assert_eq!(e.wechat_multi_profit_sharing, "/wm/");
        assert_eq!(e.alipay_profit_sharing, "/al/");
        e.apply_overrides(&Value::Undefined).unwrap();
        assert_eq!(e.refund, "/r/");
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
