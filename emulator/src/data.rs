//! Orders and their JSON shape (the store holding them is in `store.rs`, the
//! fixture orders in `fixtures.rs`).

use serde_json::{json, Value};

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

pub(crate) const ALNUM: &[u8] = b"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
const HEX_UP: &[u8] = b"0123456789ABCDEF";
pub(crate) const HEX_LO: &[u8] = b"0123456789abcdef";
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

/// What an order created through the API adds to [`Order`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Payment {
    /// The gateway type it was created with (`weixin_tenpay_native`, …).
    pub gateway_type: &'static str,
    /// The payment failed (`status: "failed"`).
    pub failed: bool,
}

/// WeChat's `trade_type` for an order paid through `gateway_type`.
pub fn trade_type(gateway_type: &str) -> &'static str {
    match gateway_type {
        "weixin_tenpay_native" => "NATIVE",
        "weixin_tenpay_wap" => "MWEB",
        _ => "JSAPI",
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
    pub payment: Option<Payment>,
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
                        "trade_type": trade_type(self.gateway_type()),
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn iso_formatting() {
        // 1539335890.992125 is 2018-10-12T17:18:10.992125 in Beijing.
        assert_eq!(iso_micros(1_539_335_890_992_125), "2018-10-12T17:18:10.992125");
        assert_eq!(compact_local(1_584_697_940), "20200320175220");
    }
}
