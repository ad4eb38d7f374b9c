//! The profit-sharing part of the store: receivers (WeChat per `appid`,
//! Alipay per merchant), sharing orders and returns (分账回退), and the
//! bookkeeping on them. The operations that check and change them are in
//! `ops.rs` (sharing) and `lifecycle.rs` (receivers, finish, returns, queries).

use std::collections::HashMap;

use serde_json::{json, Map, Value};

use crate::data::Gateway;
use crate::fixtures::{ALIPAY_RECEIVERS, FIXTURE_APPIDS, WECHAT_RECEIVERS};

/// A WeChat receiver added under an `appid`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct WechatReceiver {
    pub appid: String,
    pub kind: String,
    pub account: String,
    pub name: Option<String>,
    pub relation_type: String,
}

/// An Alipay receiver of the (one) merchant.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AlipayReceiver {
    pub kind: String,
    pub account: String,
    pub name: String,
}

/// What one sharing gave one receiver, and how much of it came back.
#[derive(Clone, Debug)]
pub struct Share {
    pub kind: String,
    pub account: String,
    pub amount: i64,
    pub description: String,
    pub returned: i64,
}

/// A sharing order: a sharing, a multi sharing or a finish.
#[derive(Clone, Debug)]
pub struct SharingOrder {
    pub trade_no: String,
    pub gateway: Gateway,
    pub order_type: &'static str,
    pub status: &'static str,
    pub payment_order_id: i64,
    pub created_by_name: String,
    /// The appid a WeChat sharing or finish was made under (a return must
    /// name it); `None` for Alipay.
    pub appid: Option<String>,
    /// `None` for a finish.
    pub receivers: Option<Vec<Share>>,
}

impl SharingOrder {
    pub fn to_json(&self) -> Value {
        let receiver = self.receivers.as_ref().map(|rs| {
            rs.iter()
                .map(
                    |r| json!({"type": r.kind, "account": r.account, "amount": r.amount, "description": r.description}),
                )
                .collect::<Vec<_>>()
        });
        json!({
            "created_by_name": self.created_by_name,
            "order_type": self.order_type,
            "payment_order_id": self.payment_order_id,
            "receiver": receiver,
            "status": self.status,
            "trade_no": self.trade_no,
        })
    }
}

/// A return (分账回退), keyed by its `refund_no`.
#[derive(Clone, Debug)]
pub struct Return {
    pub trade_no: String,
    pub appid: String,
    pub kind: String,
    pub account: String,
    pub amount: i64,
    pub description: String,
    pub reply: Value,
}

/// The lifecycle part of the store.
#[derive(Clone, Debug, Default)]
pub struct Sharing {
    pub wechat_receivers: Vec<WechatReceiver>,
    pub alipay_receivers: Vec<AlipayReceiver>,
    pub orders: Vec<SharingOrder>,
    pub returns: HashMap<String, Return>,
    /// Numbers the sharing orders and returns (deterministic; reset restores it).
    pub seq: u64,
}

impl Sharing {
    /// The fixture receivers: WeChat `MERCHANT_ID` `1900000109` and
    /// `PERSONAL_OPENID` `oUpF8uMuAJO_M2pxb1Q9zNjWeS6o` under each of
    /// `fixtures::FIXTURE_APPIDS`; Alipay `userId` `2088101126765726` and `loginName`
    /// `receiver@example.com`.
    pub fn fixtures() -> Sharing {
        let mut s = Sharing::default();
        for appid in FIXTURE_APPIDS {
            for (kind, account) in WECHAT_RECEIVERS {
                s.wechat_receivers.push(WechatReceiver {
                    appid: appid.into(),
                    kind: kind.into(),
                    account: account.into(),
                    name: (kind == "MERCHANT_ID").then(|| "示例商户".into()),
                    relation_type: "PARTNER".into(),
                });
            }
        }
        for (kind, account) in ALIPAY_RECEIVERS {
            s.alipay_receivers.push(AlipayReceiver {
                kind: kind.into(),
                account: account.into(),
                name: "示例收款方".into(),
            });
        }
        s
    }

    pub fn wechat_registered(&self, appid: &str, kind: &str, account: &str) -> bool {
        self.wechat_receivers.iter().any(|r| r.appid == appid && r.kind == kind && r.account == account)
    }

    pub fn alipay_registered(&self, kind: &str, account: &str) -> bool {
        self.alipay_receivers.iter().any(|r| r.kind == kind && r.account == account)
    }

    /// Takes `fen` back from the receivers of `gateway`'s sharing orders of
    /// payment order `order_id`, the newest sharing first; false (and nothing
    /// taken) when they hold less.
    pub fn take_back(&mut self, gateway: Gateway, order_id: i64, fen: i64) -> bool {
        let held: i64 = self
            .orders
            .iter()
            .filter(|o| o.gateway == gateway && o.payment_order_id == order_id)
            .flat_map(|o| o.receivers.iter().flatten())
            .map(|s| s.amount - s.returned)
            .sum();
        if held < fen {
            return false;
        }
        let mut left = fen;
        for o in self.orders.iter_mut().rev().filter(|o| o.gateway == gateway && o.payment_order_id == order_id) {
            for share in o.receivers.iter_mut().flatten() {
                let take = left.min(share.amount - share.returned);
                share.returned += take;
                left -= take;
            }
        }
        true
    }

    pub(crate) fn next(&mut self) -> u64 {
        self.seq += 1;
        self.seq
    }

    /// Records a sharing order (`appid`: WeChat's); returns its trade_no.
    pub fn record(
        &mut self,
        gateway: Gateway,
        order_type: &'static str,
        payment_order_id: i64,
        created_by_name: &str,
        appid: Option<&str>,
        receivers: Option<Vec<Share>>,
    ) -> String {
        let n = self.next();
        let prefix = match gateway {
            Gateway::Wechat => "wxps",
            Gateway::Alipay | Gateway::Qq => "alps",
        };
        let trade_no = format!("{prefix}{n:028}");
        self.orders.push(SharingOrder {
            trade_no: trade_no.clone(),
            gateway,
            order_type,
            status: "finished",
            payment_order_id,
            created_by_name: created_by_name.into(),
            appid: appid.map(Into::into),
            receivers,
        });
        trade_no
    }
}

/// The receivers of a sharing request as shares (already validated by `ops`).
pub fn shares(body: &Map<String, Value>) -> Vec<Share> {
    body.get("receivers")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .map(|r| Share {
            kind: r["type"].as_str().unwrap_or_default().into(),
            account: r["account"].as_str().unwrap_or_default().into(),
            amount: r["amount"].as_i64().unwrap_or(0),
            description: r["description"].as_str().unwrap_or_default().into(),
            returned: 0,
        })
        .collect()
}
