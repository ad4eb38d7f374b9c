//! `BaaS.Order`: order list query state, and `BaaS.Query`'s rules.

#[allow(unused_imports)]
use crate::prelude::*;

pub mod baas_query;
pub mod query;

pub use query::OrderQuery;

/// Every `gateway_type` the platform's orders carry (the package's
/// `GatewayType` is generated from this list).
pub const GATEWAY_TYPES: [&str; 13] = [
    "weixin_tenpay",
    "weixin_tenpay_js",
    "weixin_tenpay_native",
    "weixin_tenpay_app",
    "weixin_tenpay_wap",
    "alipay",
    "alipay_wap",
    "alipay_page",
    "alipay_app",
    "qpay",
    "qpay_native",
    "baidu_miniapp_pay",
    "bytedance_miniapp_pay",
];

/// Every order `status`.
pub const ORDER_STATUSES: [&str; 3] = ["pending", "success", "failed"];

/// Every non-empty order `refund_status` (it is also `null` or `""` before any refund).
pub const REFUND_STATUSES: [&str; 3] = ["complete", "partial", "failed"];
