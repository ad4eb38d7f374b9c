//! baas-order: the payment-order SDK of the MinCloud (知晓云) BaaS platform.
#![cfg_attr(not(test), deny(clippy::unwrap_used, clippy::expect_used, clippy::panic))]
