//! The shared state of a running emulator: the order store (and the copy
//! `reset` restores), the request record, the fault queue, the credentials.

use std::collections::{HashMap, VecDeque};
use std::sync::atomic::AtomicU64;
use std::sync::{Mutex, MutexGuard};

use crate::config::Config;
use crate::fault::Fault;
use crate::record::Record;
use crate::store::Store;

pub struct State {
    pub cfg: Config,
    /// The control token in force (the configured one or a random one).
    pub control_token: String,
    /// The data as at start, for `POST /__emulator/reset`.
    pub initial: Store,
    pub store: Mutex<Store>,
    pub record: Mutex<Record>,
    pub faults: Mutex<VecDeque<Fault>>,
    /// User token -> uid.
    pub tokens: HashMap<String, i64>,
    pub refund_seq: AtomicU64,
    pub share_seq: AtomicU64,
}

impl State {
    /// Builds the data the config asks for.
    pub fn new(cfg: Config, control_token: String) -> State {
        let mut uids: Vec<i64> = cfg.user_tokens.iter().map(|(u, _)| *u).collect();
        uids.sort_unstable();
        uids.dedup();
        let initial = Store::build(cfg.orders, cfg.seed, &uids);
        let tokens = cfg.user_tokens.iter().map(|(u, t)| (t.clone(), *u)).collect();
        State {
            store: Mutex::new(initial.clone()),
            initial,
            record: Mutex::new(Record::default()),
            cfg,
            control_token,
            faults: Mutex::new(VecDeque::new()),
            tokens,
            refund_seq: AtomicU64::new(1),
            share_seq: AtomicU64::new(1),
        }
    }
}

/// Locks a mutex; a poisoned one (a panicked holder) is used as it is.
pub fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|p| p.into_inner())
}
