//! Orders, the store, the seeded demo-data generator and the JSON shape of an
//! order (the fixture orders are in `fixtures.rs`).

use std::collections::HashMap;

use serde_json::{json, Value};

pub use crate::fixtures::{fixture, fixtures};
use crate::money::fen_to_yuan;

/// Small deterministic PRNG (splitmix64).
#[derive(Clone, Debug)]
pub struct SplitMix64(u64);

impl SplitMix64 {
    pub fn new(seed: u64) -> Self {
        SplitMix64(seed)
    }
    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    /// Uniform-enough value in `0..n` (`n > 0`).
    pub fn below(&mut self, n: u64) -> u64 {
        self.next_u64() % n
    }
    pub fn string(&mut self, len: usize, alphabet: &[u8]) -> String {
        (0..len).map(|_| alphabet[self.below(alphabet.len() as u64) as usize] as char).collect()
    }
}

const ALNUM: &[u8] = b"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
const HEX_UP: &[u8] = b"0123456789ABCDEF";
const HEX_LO: &[u8] = b"0123456789abcdef";
const DIGITS: &[u8] = b"0123456789";

/// Offset of the timestamps shown as ISO strings: Beijing time (UTC+8),
/// like the real service.
const TZ_OFFSET_SECS: i64 = 8 * 3600;

/// Payment gateway of an order.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Gateway {
    Wechat,
    Alipay,
    /// QQ's `qpay_native` (created on the web; never shared).
    Qq,
}

impl Gateway {
    pub fn as_str(self) -> &'static str {
        match self {
            Gateway::Wechat => "weixin_tenpay",
            Gateway::Alipay => "alipay",
            Gateway::Qq => "qpay_native",
        }
    }
}

/// One payment order. Money in fen, times in unix microseconds (created /
/// updated) or unix seconds (paid).
#[derive(Clone, Debug)]
pub struct Order {
    pub id: i64,
    pub created_at_us: i64,
    pub updated_at_us: i64,
    pub created_by_id: i64,
    pub created_by_name: String,
    pub gateway: Gateway,
    pub ip_address: String,
    pub merchandise_description: String,
    pub merchandise_record_id: Option<String>,
    pub merchandise_schema_id: Option<i64>,
    pub merchandise_snapshot: String,
    pub paid_at: Option<i64>,
    pub profit_sharing: bool,
    pub refund_fen: i64,
    pub total_fen: i64,
    pub trade_no: String,
    pub transaction_no: String,
    /// Profit-shared money (fen) over all successful sharings.
    pub shared_fen: i64,
    /// Number of successful WeChat multi sharings.
    pub multi_shares: u32,
    /// A WeChat single sharing closed the order to further sharing.
    pub sharing_closed: bool,
    /// An order created through the API (`crate::payment`): its exact
    /// gateway type and whether its payment failed. `None` for the seeded data.
    pub payment: Option<crate::payment::Payment>,
}

impl Order {
    pub fn is_paid(&self) -> bool {
        self.paid_at.is_some()
    }
    pub fn status(&self) -> &'static str {
        if self.payment.is_some_and(|p| p.failed) {
            "failed"
        } else if self.is_paid() {
            "success"
        } else {
            "pending"
        }
    }
    /// What the buyer paid and has not been refunded (fen); never negative.
    pub fn unrefunded_fen(&self) -> i64 {
        (self.total_fen - self.refund_fen).max(0)
    }
    pub fn refund_status(&self) -> Option<&'static str> {
        if self.refund_fen <= 0 {
            None
        } else if self.refund_fen >= self.total_fen {
            Some("complete")
        } else {
            Some("partial")
        }
    }
    /// `gateway_type`: the one the order was created with.
    pub fn gateway_type(&self) -> &'static str {
        self.payment.map_or(self.gateway.as_str(), |p| p.gateway_type)
    }
    pub fn created_at(&self) -> String {
        iso_micros(self.created_at_us)
    }
    pub fn updated_at(&self) -> String {
        iso_micros(self.updated_at_us)
    }

    /// Deterministic per-order pseudo-random source for derived fields.
    fn derived(&self, salt: u64) -> SplitMix64 {
        SplitMix64::new((self.id as u64).wrapping_mul(0x2545_F491_4F6C_DD1D) ^ salt)
    }

    pub fn gateway_extra_info(&self) -> Value {
        match (self.gateway, self.paid_at) {
            (Gateway::Alipay | Gateway::Qq, _) => Value::Null,
            (Gateway::Wechat, None) => {
                let mut r = self.derived(1);
                let created = self.created_at_us.div_euclid(1_000_000);
                Value::String(format!(
                    "{{'payment_parameters': {{'nonceStr': '{}', 'timeStamp': '{}', 'appId': 'wx3b040d33346e0001', 'signType': 'MD5', 'paySign': '{}', 'package': 'prepay_id=wx{}{}'}}}}",
                    r.string(32, ALNUM),
                    created + 1,
                    r.string(32, HEX_UP),
                    compact_local(created),
                    r.string(24, HEX_LO),
                ))
            }
            (Gateway::Wechat, Some(paid)) => {
                let mut r = self.derived(2);
                json!({
                    "wechat_response": {
                        "appid": "wx3b040d33346e0001",
                        "bank_type": "OTHERS",
                        "cash_fee": self.total_fen.to_string(),
                        "fee_type": "CNY",
                        "is_subscribe": "N",
                        "mch_id": MCH_ID,
                        "nonce_str": r.string(32, ALNUM),
                        "openid": format!("om4vu0{}", r.string(22, ALNUM)),
                        "out_trade_no": self.trade_no,
                        "result_code": "SUCCESS",
                        "return_code": "SUCCESS",
                        "sign": r.string(32, HEX_UP),
                        "time_end": compact_local(paid),
                        "total_fee": self.total_fen.to_string(),
                        "trade_type": crate::payment::trade_type(self.gateway_type()),
                        "transaction_id": format!("42000005{}", r.string(20, DIGITS)),
                    }
                })
            }
        }
    }

    pub fn to_json(&self) -> Value {
        json!({
            "created_at": self.created_at(),
            "created_by_id": self.created_by_id,
            "created_by_name": self.created_by_name,
            "gateway_extra_info": self.gateway_extra_info(),
            "gateway_type": self.gateway_type(),
            "id": self.id,
            "ip_address": self.ip_address,
            "merchandise_description": self.merchandise_description,
            "merchandise_record_id": self.merchandise_record_id,
            "merchandise_schema_id": self.merchandise_schema_id,
            "merchandise_snapshot": self.merchandise_snapshot,
            "paid_at": self.paid_at,
            "profit_sharing": self.profit_sharing,
            "refund_amount": fen_to_yuan(self.refund_fen),
            "refund_status": self.refund_status(),
            "status": self.status(),
            "total_cost": fen_to_yuan(self.total_fen),
            "trade_no": self.trade_no,
            "transaction_no": self.transaction_no,
            "updated_at": self.updated_at(),
        })
    }
}

/// WeChat merchant id shown in replies.
pub const MCH_ID: &str = "1501889000";

/// Days since 1970-01-01 to (year, month, day) (proleptic Gregorian).
fn civil_from_days(z: i64) -> (i64, u32, u32) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let y = yoe + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    (if m <= 2 { y + 1 } else { y }, m, d)
}

fn local_parts(secs: i64) -> (i64, u32, u32, i64, i64, i64) {
    let local = secs + TZ_OFFSET_SECS;
    let days = local.div_euclid(86_400);
    let sod = local.rem_euclid(86_400);
    let (y, m, d) = civil_from_days(days);
    (y, m, d, sod / 3600, (sod % 3600) / 60, sod % 60)
}

/// Unix microseconds to `"2018-10-12T17:18:10.992125"` (Beijing time).
pub fn iso_micros(us: i64) -> String {
    let secs = us.div_euclid(1_000_000);
    let micros = us.rem_euclid(1_000_000);
    let (y, m, d, hh, mm, ss) = local_parts(secs);
    format!("{y:04}-{m:02}-{d:02}T{hh:02}:{mm:02}:{ss:02}.{micros:06}")
}

/// Unix seconds to `"20200320175220"` (Beijing time).
fn compact_local(secs: i64) -> String {
    let (y, m, d, hh, mm, ss) = local_parts(secs);
    format!("{y:04}{m:02}{d:02}{hh:02}{mm:02}{ss:02}")
}

/// Display name of a user id.
pub fn user_name(uid: i64) -> String {
    const NAMES: [&str; 5] = ["张三", "李四", "王五", "赵六", "孙七"];
    if (1..=5).contains(&uid) {
        NAMES[(uid - 1) as usize].to_string()
    } else {
        format!("用户{uid}")
    }
}

const DESCRIPTIONS: [&str; 10] = [
    "一条支付描述",
    "会员月卡",
    "年度会员",
    "在线课程购买",
    "咖啡兑换券",
    "电影票两张",
    "线上问诊服务",
    "图书订购",
    "鲜花配送",
    "游戏点券充值",
];

/// All orders, with lookup indexes. Orders are kept sorted by id.
#[derive(Clone, Debug, Default)]
pub struct Store {
    pub orders: Vec<Order>,
    pub by_id: HashMap<i64, usize>,
    pub by_trade_no: HashMap<String, usize>,
    pub by_transaction_no: HashMap<String, usize>,
    /// Receivers, sharing orders and returns.
    pub sharing: crate::lifecycle::Sharing,
}

impl Store {
    pub(crate) fn push(&mut self, o: Order) {
        let i = self.orders.len();
        assert!(self.by_id.insert(o.id, i).is_none(), "duplicate id");
        assert!(self.by_trade_no.insert(o.trade_no.clone(), i).is_none(), "duplicate trade_no");
        assert!(self.by_transaction_no.insert(o.transaction_no.clone(), i).is_none(), "duplicate transaction_no");
        self.orders.push(o);
    }

    pub(crate) fn identifier_taken(&self, s: &str) -> bool {
        self.by_trade_no.contains_key(s) || self.by_transaction_no.contains_key(s)
    }

    /// The fixture orders plus `n` generated orders from `seed`.
    pub fn build(n: usize, seed: u64, user_ids: &[i64]) -> Store {
        let mut s = Store { sharing: crate::lifecycle::Sharing::fixtures(), ..Store::default() };
        for o in fixtures() {
            s.push(o);
        }
        s.generate(n, seed, user_ids);
        s
    }

    fn generate(&mut self, n: usize, seed: u64, user_ids: &[i64]) {
        let mut uids: Vec<i64> = user_ids.iter().copied().chain(1..=5).collect();
        uids.sort_unstable();
        uids.dedup();
        let mut r = SplitMix64::new(seed);
        // 2025-01-01T00:00:00+08:00 .. 2026-11-01T00:00:00+08:00 (fixed, so the data is the same on any day)
        const START: i64 = 1_735_660_800;
        const END: i64 = 1_793_462_400;
        let span_us = ((END - START) * 1_000_000) as u64;
        let mut times: Vec<i64> = (0..n).map(|_| START * 1_000_000 + r.below(span_us) as i64).collect();
        times.sort_unstable();
        const PRICES: [i64; 12] = [100, 990, 1990, 2990, 3990, 6800, 9900, 12800, 19900, 39800, 59900, 99900];
        let mut id = 100_000i64;
        self.orders.reserve(n);
        for created_at_us in times {
            id += 1 + r.below(3) as i64;
            let gateway = if r.below(100) < 55 { Gateway::Wechat } else { Gateway::Alipay };
            let paid = r.below(100) < 75;
            let total_fen = if r.below(2) == 0 {
                PRICES[r.below(PRICES.len() as u64) as usize]
            } else {
                1 + r.below(200_000) as i64
            };
            let profit_sharing = gateway == Gateway::Wechat && r.below(100) < 20;
            let created_secs = created_at_us.div_euclid(1_000_000);
            let paid_at = paid.then(|| created_secs + 5 + r.below(900) as i64);
            let mut refund_fen = 0;
            let mut updated_at_us = created_at_us + 100_000 + r.below(900_000) as i64;
            if let Some(p) = paid_at {
                updated_at_us = p * 1_000_000 + r.below(1_000_000) as i64;
                let roll = r.below(100);
                if roll < 8 && total_fen > 1 {
                    refund_fen = 1 + r.below((total_fen - 1) as u64) as i64;
                } else if roll < 13 {
                    refund_fen = total_fen;
                }
                if refund_fen > 0 {
                    updated_at_us += (60 + r.below(30 * 86_400) as i64) * 1_000_000;
                }
            }
            let uid = uids[r.below(uids.len() as u64) as usize];
            let ip_address = format!("{}.{}.{}.{}", 1 + r.below(223), r.below(256), r.below(256), 1 + r.below(254));
            let desc = DESCRIPTIONS[r.below(DESCRIPTIONS.len() as u64) as usize];
            let (record_id, schema_id) = if r.below(2) == 0 {
                (Some(r.string(24, HEX_LO)), Some(1000 + r.below(9000) as i64))
            } else {
                (None, None)
            };
            let mut trade_no = r.string(32, ALNUM);
            while self.identifier_taken(&trade_no) {
                trade_no = r.string(32, ALNUM);
            }
            let mut transaction_no = r.string(32, ALNUM);
            while transaction_no == trade_no || self.identifier_taken(&transaction_no) {
                transaction_no = r.string(32, ALNUM);
            }
            self.push(Order {
                id,
                created_at_us,
                updated_at_us,
                created_by_id: uid,
                created_by_name: user_name(uid),
                gateway,
                ip_address,
                merchandise_description: desc.to_string(),
                merchandise_record_id: record_id,
                merchandise_schema_id: schema_id,
                merchandise_snapshot: "{}".to_string(),
                paid_at,
                profit_sharing,
                refund_fen,
                total_fen,
                trade_no,
                transaction_no,
                shared_fen: 0,
                multi_shares: 0,
                sharing_closed: false,
                payment: None,
            });
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn iso_formatting() {
        // 1539335890.992125 is 2018-10-12T17:18:10.992125 in Beijing.
        assert_eq!(iso_micros(1_539_335_890_992_125), "2018-10-12T17:18:10.992125");
        assert_eq!(compact_local(1_584_697_940), "20200320175220");
    }

    #[test]
    fn fixtures_are_consistent() {
        let s = Store::build(0, 42, &[1]);
        assert_eq!(s.orders.len(), 9);
        for o in &s.orders {
            assert_eq!(o.transaction_no.len(), 32, "{}", o.transaction_no);
        }
    }
}
