//! # baas-emulator
//!
//! A local HTTP stand-in for the 知晓云 (MinCloud) payment-order API, used by
//! the SDK's tests and by the demo: data in memory, the JSON shapes of the
//! official documentation, recorded requests and injected faults for tests.
//!
//! Its flags, API, rules, assumed paths, fixture orders, test controls and
//! limits are described in one place, `emulator/README.md`. Start it with
//! [`serve`] and a [`Config`]; the limits are the constants [`MAX_BODY`],
//! [`MAX_HEAD`], [`HEADER_READ_TIMEOUT`], [`BODY_READ_TIMEOUT`],
//! [`RECORD_RING`] and [`RECORD_BODY_CAP`].

mod auth;
mod config;
mod control;
mod cors;
pub mod data;
mod error;
mod fault;
mod fixtures;
pub mod lifecycle;
pub mod money;
pub mod ops;
pub mod payment;
pub mod query;
mod record;
mod reply;
mod request;
mod routes;
mod server;
pub mod sharing;
mod state;
pub mod store;

pub use config::{
    random_token, Config, BODY_READ_TIMEOUT, HEADER_READ_TIMEOUT, MAX_BODY, MAX_HEAD, RECORD_BODY_CAP, RECORD_RING,
};
pub use server::{serve, ServerHandle};

/// Number of orders a config produces (fixtures included).
pub fn order_count(cfg: &Config) -> usize {
    fixtures::fixtures().len() + cfg.orders
}
