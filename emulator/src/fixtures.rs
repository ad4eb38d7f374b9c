//! The fixture orders: every identifier the seed document's examples use,
//! always present (all created by user 1); and the fixture receivers.

use crate::data::{user_name, Gateway, Order};

/// Identifiers of the fixture orders (always present).
pub mod fixture {
    pub const ORDER_ID: i64 = 29973;
    pub const WECHAT_TRADE_NO: &str = "1gAtaEFcmu6DyHm5b0ycBSmNO302NGzA";
    pub const ALIPAY_TRANSACTION_NO: &str = "1gAtaEFcmu6DyHm5b0ycBSmNO302NGzA";
    pub const QUERY_TRADE_NO: &str = "1gCeU9ZKQQAA8iQgUM0lWhEbnqr89Qtxxx";
    pub const QUERY_TRANSACTION_NO: &str = "v4WoZ7aNyZPaZbNlFffOZLvagUKqDcOw";
    pub const WX_SHARE_1: &str = "wxshare0000000000000000000000001";
    pub const WX_SHARE_2: &str = "wxshare0000000000000000000000002";
    pub const ALI_SHARE: &str = "alishare000000000000000000000001";
    pub const PENDING_TRADE_NO: &str = "pending000000000000000000000001";
}

/// The fixture orders: every identifier used by the seed document's examples.
pub fn fixtures() -> Vec<Order> {
    // (id, gateway, total fen, trade_no, transaction_no, paid, profit_sharing, description)
    type Row = (i64, Gateway, i64, &'static str, &'static str, bool, bool, &'static str);
    let rows: [Row; 9] = [
        (
            fixture::ORDER_ID,
            Gateway::Wechat,
            39800,
            "1gAtZq3Xy7VbN2mKp9LcRt4WsD6fHj8E",
            "4k8Jd2LmQp7RtVx3ZbNc5HsWg9FyTe1A",
            true,
            false,
            "一条支付描述",
        ),
        (
            47963,
            Gateway::Wechat,
            12000,
            fixture::WECHAT_TRADE_NO,
            "XDiXbfLFyd8DpxSWqBUcb2jW1AvhVORC",
            true,
            false,
            "会员月卡",
        ),
        (
            47964,
            Gateway::Alipay,
            8800,
            "1gAtaJ8wQmZr4KpVtY2nLx7sEo5HdUfB",
            fixture::ALIPAY_TRANSACTION_NO,
            true,
            false,
            "年度会员",
        ),
        (
            47965,
            Gateway::Wechat,
            6600,
            fixture::QUERY_TRADE_NO,
            "Q9mT2vXc8LbN4pRs6KdW3hYj7FgZe5Ua",
            true,
            false,
            "在线课程购买",
        ),
        (
            47966,
            Gateway::Alipay,
            2990,
            "1gCf0aQ2Wb8Ne4Rt6Yu1Io3Pa5Sd7Fg9",
            fixture::QUERY_TRANSACTION_NO,
            true,
            false,
            "咖啡兑换券",
        ),
        (
            50001,
            Gateway::Wechat,
            10000,
            fixture::WX_SHARE_1,
            "wxsharetxn000000000000000000001A",
            true,
            true,
            "电影票两张",
        ),
        (
            50002,
            Gateway::Wechat,
            10000,
            fixture::WX_SHARE_2,
            "wxsharetxn000000000000000000002A",
            true,
            true,
            "线上问诊服务",
        ),
        (
            50003,
            Gateway::Alipay,
            10000,
            fixture::ALI_SHARE,
            "alisharetxn00000000000000000001A",
            true,
            false,
            "图书订购",
        ),
        (
            50004,
            Gateway::Wechat,
            39800,
            fixture::PENDING_TRADE_NO,
            "pendingtxn0000000000000000000001",
            false,
            false,
            "一条支付描述",
        ),
    ];
    // 2024-12-01T10:00:00+08:00, fixtures one hour apart.
    const BASE: i64 = 1_733_018_400;
    rows.iter()
        .enumerate()
        .map(|(i, &(id, gateway, total_fen, trade_no, transaction_no, paid, ps, desc))| {
            let created_secs = BASE + i as i64 * 3600;
            let created_at_us = created_secs * 1_000_000 + 992_125;
            let paid_at = paid.then_some(created_secs + 31);
            let updated_at_us = match paid_at {
                Some(p) => p * 1_000_000 + 317_089,
                None => created_at_us + 324_964,
            };
            Order {
                id,
                created_at_us,
                updated_at_us,
                created_by_id: 1,
                created_by_name: user_name(1),
                gateway,
                ip_address: "183.61.109.211".to_string(),
                merchandise_description: desc.to_string(),
                merchandise_record_id: None,
                merchandise_schema_id: None,
                merchandise_snapshot: "{}".to_string(),
                paid_at,
                profit_sharing: ps,
                refund_fen: 0,
                total_fen,
                trade_no: trade_no.to_string(),
                transaction_no: transaction_no.to_string(),
                shared_fen: 0,
                multi_shares: 0,
                sharing_closed: false,
                payment: None,
            }
        })
        .collect()
}

/// The appids the fixture receivers are added under: the shop's (in every
/// order's `wechat_response`) and the one of the SDK examples.
pub const FIXTURE_APPIDS: [&str; 2] = ["wx3b040d33346e0001", "wx3b040d33346exxxx"];

/// The fixture WeChat receivers (type, account), added under each of
/// [`FIXTURE_APPIDS`].
pub const WECHAT_RECEIVERS: [(&str, &str); 2] =
    [("MERCHANT_ID", "1900000109"), ("PERSONAL_OPENID", "oUpF8uMuAJO_M2pxb1Q9zNjWeS6o")];
/// The fixture Alipay receivers (type, account).
pub const ALIPAY_RECEIVERS: [(&str, &str); 2] = [("userId", "2088101126765726"), ("loginName", "receiver@example.com")];
