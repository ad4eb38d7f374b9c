//! The receiver types of profit sharing. The rules of every sharing call
//! (`order.wechatPay.profitSharing(opts)`, `multiProfitSharing(opts)`,
//! `order.alipay.profitSharing(opts)` and the lifecycle calls) are the
//! option tables of [`crate::sharing`].

/// Most receivers WeChat accepts in one sharing request (the SDK's cap for
/// Alipay too: [`crate::limits::MAX_RECEIVERS`]).
pub const WECHAT_MAX_RECEIVERS: usize = crate::limits::MAX_RECEIVERS;

/// WeChat receiver types (`PERSONAL_WECHATID` is retired and refused).
pub const WECHAT_RECEIVER_TYPES: [&str; 2] = ["MERCHANT_ID", "PERSONAL_OPENID"];
/// Alipay receiver types.
pub const ALIPAY_RECEIVER_TYPES: [&str; 2] = ["userId", "loginName"];

/// Why `PERSONAL_WECHATID` is refused.
pub(crate) const RETIRED: &str =
    "PERSONAL_WECHATID is retired (已废弃): WeChat no longer shares to personal WeChat IDs, use PERSONAL_OPENID";
