//! baas-order: the payment-order SDK of the MinCloud (知晓云) BaaS platform.
//!
//! This crate's plain-Rust core validates JS arguments (handed over as
//! [`value::Value`]), builds requests ([`request::RequestSpec`]) and maps
//! responses to [`error::HError`]s. The wasm-bindgen boundary lives in
//! `js` and `transport` (wasm32 only).
#![cfg_attr(not(test), deny(clippy::unwrap_used, clippy::expect_used, clippy::panic))]
// The shipped wasm (feature `bare`, set by `cargo xtask pack`) is built
// without std: std's panic machinery formats every panic message for a hook
// that prints nowhere in wasm, and that formatting code was the largest
// dead weight in the module. The tests build with std as usual (its panic
// handler reports a failing assertion). A std build, one configuration for
// the tests and the package, does not fit the size budget: measured in
// docs/architecture.md ("Design decisions").
#![cfg_attr(all(target_arch = "wasm32", feature = "bare"), no_std)]

extern crate alloc;

/// What std's prelude has and `core`'s lacks: every module imports it, so the
/// same source builds with and without std.
mod prelude {
    #[allow(unused_imports)]
    pub use alloc::{
        borrow::ToOwned,
        boxed::Box,
        format,
        string::{String, ToString},
        vec,
        vec::Vec,
    };
}

/// A panic in the `bare` wasm traps at once (`unreachable`), as `panic =
/// "abort"` did with std. The SDK has no panic path by design (clippy denies
/// unwrap/expect/panic); should one trap all the same, the shell turns the
/// exception into an HError (605 for a synchronous call, 600 in `reply`), but
/// a `RefCell` left borrowed may leave the module unusable for the page.
#[cfg(all(target_arch = "wasm32", feature = "bare"))]
#[panic_handler]
fn panic(_: &core::panic::PanicInfo) -> ! {
    core::arch::wasm32::unreachable()
}

pub mod call;
pub mod config;
pub mod encode;
pub mod endpoints;
pub mod error;
pub mod limits;
pub mod options;
pub mod order;
pub mod payment;
pub mod refund;
pub mod request;
pub mod response;
pub mod sharing;
pub mod value;

#[cfg(any(test, target_arch = "wasm32"))]
mod heap;
#[cfg(any(test, target_arch = "wasm32"))]
mod tickets;

/// The wasm build's allocator: far smaller than std's dlmalloc (see `heap`).
#[cfg(all(target_arch = "wasm32", not(target_feature = "atomics")))]
#[global_allocator]
static HEAP: heap::Heap<heap::WasmPages> = heap::Heap::new();

#[cfg(target_arch = "wasm32")]
pub mod js;
#[cfg(target_arch = "wasm32")]
mod local;
#[cfg(target_arch = "wasm32")]
mod sys;
#[cfg(target_arch = "wasm32")]
mod transport;
