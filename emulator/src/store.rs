//! The store: all orders with their lookup indexes and the profit-sharing
//! records, built from the fixtures and the seeded demo-data generator.

use std::collections::HashMap;

use crate::data::{user_name, Gateway, Order, SplitMix64, ALNUM, HEX_LO};
use crate::fixtures::fixtures;
use crate::sharing::Sharing;

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
    pub sharing: Sharing,
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
        let mut s = Store { sharing: Sharing::fixtures(), ..Store::default() };
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
    fn fixtures_are_consistent() {
        let s = Store::build(0, 42, &[1]);
        assert_eq!(s.orders.len(), 9);
        for o in &s.orders {
            assert_eq!(o.transaction_no.len(), 32, "{}", o.transaction_no);
        }
    }
}
