//! `Local`: what `thread_local!` is on wasm32, without std. The module runs on
//! one thread (the package is built without atomics: a shared-memory build
//! would need real thread-locals, and does not compile).

use core::cell::{Ref, RefCell, RefMut};

#[cfg(target_feature = "atomics")]
compile_error!("baas-order's wasm state assumes one thread: build without atomics");

/// A `static` holding one [`Slot`], used as `thread_local!` keys are
/// (`X.with(|cell| ...)`).
pub struct Local<T>(Slot<T>);

// SAFETY: wasm32 without atomics has exactly one thread (see the module docs).
unsafe impl<T> Sync for Local<T> {}

impl<T> Local<T> {
    pub const fn new(value: T) -> Local<T> {
        Local(Slot(RefCell::new(value)))
    }

    pub fn with<R>(&'static self, f: impl FnOnce(&Slot<T>) -> R) -> R {
        f(&self.0)
    }
}

/// A `RefCell` whose borrow conflict traps (`unreachable`) at once, as its
/// panic did under `panic = "abort"`, without `RefCell`'s panic message:
/// its formatting code and source locations were dead weight in the wasm.
pub struct Slot<T>(RefCell<T>);

impl<T> Slot<T> {
    pub fn borrow(&self) -> Ref<'_, T> {
        self.0.try_borrow().unwrap_or_else(|_| core::arch::wasm32::unreachable())
    }

    pub fn borrow_mut(&self) -> RefMut<'_, T> {
        self.0.try_borrow_mut().unwrap_or_else(|_| core::arch::wasm32::unreachable())
    }
}
