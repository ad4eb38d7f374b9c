//! baas-order: the payment-order SDK of the MinCloud (知晓云) BaaS platform.
//!
//! This crate's plain-Rust core validates JS arguments (handed over as
//! [`value::Value`]), builds requests ([`request::RequestSpec`]) and maps
//! responses to [`error::HError`]s. The wasm-bindgen boundary lives in
//! `js` and `transport` (wasm32 only).
#![cfg_attr(not(test), deny(clippy::unwrap_used, clippy::expect_used, clippy::panic))]
// One build configuration: the wasm `cargo xtask pack` ships is the std
// build the wasm-pack tests run (release: `panic = "abort"`). Until the
// 36,000 B budget it was a `no_std` build (feature `bare`), 1,307 B smaller
// in the browser load (docs/size.md). The SDK has no panic path by design
// (clippy denies unwrap/expect/panic); should one abort all the same, the
// shell turns the trap into an HError (605 for a synchronous call, 600 in
// `reply`), but a `RefCell` left borrowed may leave the module unusable for
// the page.

pub mod config;
pub mod encode;
pub mod endpoints;
pub mod error;
pub mod limits;
pub mod order;
pub mod payment;
pub mod profit_sharing;
pub mod refund;
pub mod request;
pub mod response;
pub mod sharing;
pub mod slab;
pub mod value;

#[cfg(any(test, target_arch = "wasm32"))]
mod heap;

/// The wasm build's allocator: far smaller than std's dlmalloc (see `heap`).
#[cfg(all(target_arch = "wasm32", not(target_feature = "atomics")))]
#[global_allocator]
static HEAP: heap::Heap<heap::WasmPages> = heap::Heap::new();

#[cfg(target_arch = "wasm32")]
pub mod js;
#[cfg(target_arch = "wasm32")]
mod transport;
