//! `BaaS.Order`: order list query state.

pub mod query;

pub use query::OrderQuery;
