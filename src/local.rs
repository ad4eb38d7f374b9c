//! `Local`: what `thread_local!` is on wasm32, without std. The module runs on
//! one thread (the package is built without atomics: a shared-memory build
//! would need real thread-locals, and does not compile).

use core::cell::RefCell;

#[cfg(target_feature = "atomics")]
compile_error!("baas-order's wasm state assumes one thread: build without atomics");

/// A `static` holding one `RefCell`, used as `thread_local!` keys are
/// (`X.with(|cell| ...)`).
pub struct Local<T>(RefCell<T>);

// SAFETY: wasm32 without atomics has exactly one thread (see the module docs).
unsafe impl<T> Sync for Local<T> {}

impl<T> Local<T> {
    pub const fn new(value: T) -> Local<T> {
        Local(RefCell::new(value))
    }

    pub fn with<R>(&'static self, f: impl FnOnce(&RefCell<T>) -> R) -> R {
        f(&self.0)
    }
}
