//! A small allocator for the wasm build, in place of std's dlmalloc (about
//! 8 KB of wasm; this is well under 1 KB).
//!
//! Segregated fit: every block is a power of two of at least 16 bytes, 16-byte
//! aligned, carved from memory the host grows page by page. A freed block goes
//! on its size class's free list and is reused as is; blocks are never split
//! or merged, so memory in use is at most twice what is asked for, plus, per
//! size class, the most that class ever held at once. The SDK holds little
//! for long (its configuration and the strings of the requests in flight), so
//! this stays small.
//!
//! Single-threaded only: installed for `wasm32` without the `atomics` feature.

use core::alloc::{GlobalAlloc, Layout};
use core::cell::UnsafeCell;
use core::ptr;

/// Alignment of every block; larger alignments get a fresh block every time
/// and that block is never reused.
const ALIGN: usize = 16;

/// Where fresh memory comes from.
pub trait Grow {
    /// At least `bytes` more bytes: `(start, len)` of the new region, or
    /// `None` when the host has no more memory.
    fn grow(bytes: usize) -> Option<(usize, usize)>;
}

struct State {
    /// Heads of the free lists, by log2 of the block size (0 = empty); a free
    /// block holds the address of the next one in its first word.
    free: [usize; usize::BITS as usize],
    /// Start of the unused part of the current region.
    next: usize,
    /// End of the current region.
    end: usize,
}

/// The allocator; `G` supplies memory.
pub struct Heap<G> {
    state: UnsafeCell<State>,
    grow: core::marker::PhantomData<G>,
}

// SAFETY: only on wasm32 without the atomics feature, where there is a single
// thread, and where `lib.rs` installs it (see the module doc). Native tests use
// local heaps, which need no `Sync`.
#[cfg(all(target_arch = "wasm32", not(target_feature = "atomics")))]
unsafe impl<G> Sync for Heap<G> {}

impl<G> Heap<G> {
    /// An empty heap: the first allocation asks `G` for memory.
    pub const fn new() -> Self {
        Heap {
            state: UnsafeCell::new(State { free: [0; usize::BITS as usize], next: 0, end: 0 }),
            grow: core::marker::PhantomData,
        }
    }
}

/// The block size for `layout`: a power of two >= 16, >= size and >= align.
fn block_size(layout: Layout) -> Option<usize> {
    layout.size().max(layout.align()).max(ALIGN).checked_next_power_of_two()
}

unsafe impl<G: Grow> GlobalAlloc for Heap<G> {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        let Some(size) = block_size(layout) else { return ptr::null_mut() };
        // SAFETY: single-threaded and never re-entered, so this is the only
        // reference to the state.
        let st = unsafe { &mut *self.state.get() };
        let head = st.free.get_mut(size.trailing_zeros() as usize);
        if let Some(head) = head.filter(|h| **h != 0 && layout.align() <= ALIGN) {
            let block = *head;
            // SAFETY: `block` is a free block of this class; its first word
            // links to the next free one.
            *head = unsafe { *(block as *const usize) };
            return block as *mut u8;
        }
        let align = layout.align().max(ALIGN);
        let fits = |next: usize, end: usize| {
            let start = next.checked_add(align - 1)? & !(align - 1);
            Some(start).filter(|s| s.checked_add(size).is_some_and(|e| e <= end))
        };
        let start = match fits(st.next, st.end) {
            Some(start) => start,
            None => {
                let Some((start, len)) = size.checked_add(align).and_then(G::grow) else {
                    return ptr::null_mut();
                };
                if start != st.end {
                    st.next = start;
                }
                st.end = start + len;
                match fits(st.next, st.end) {
                    Some(start) => start,
                    None => return ptr::null_mut(),
                }
            }
        };
        st.next = start + size;
        start as *mut u8
    }

    unsafe fn dealloc(&self, block: *mut u8, layout: Layout) {
        if layout.align() > ALIGN {
            return;
        }
        let Some(size) = block_size(layout) else { return };
        // SAFETY: as in `alloc`.
        let st = unsafe { &mut *self.state.get() };
        if let Some(head) = st.free.get_mut(size.trailing_zeros() as usize) {
            // SAFETY: the block is ours again and at least 16 bytes long.
            unsafe { *(block as *mut usize) = *head };
            *head = block as usize;
        }
    }

    unsafe fn realloc(&self, block: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        // SAFETY: the caller guarantees `new_size` with this alignment is a valid layout.
        let new_layout = unsafe { Layout::from_size_align_unchecked(new_size, layout.align()) };
        if block_size(layout) == block_size(new_layout) {
            return block;
        }
        // SAFETY: forwarded from the caller.
        let new = unsafe { self.alloc(new_layout) };
        if !new.is_null() {
            // SAFETY: both blocks are valid for the copied length and distinct.
            unsafe {
                ptr::copy_nonoverlapping(block, new, layout.size().min(new_size));
                self.dealloc(block, layout);
            }
        }
        new
    }
}

/// Fresh wasm pages from `memory.grow`.
#[cfg(target_arch = "wasm32")]
pub struct WasmPages;

#[cfg(target_arch = "wasm32")]
impl Grow for WasmPages {
    fn grow(bytes: usize) -> Option<(usize, usize)> {
        const PAGE: usize = 65_536;
        let pages = bytes.div_ceil(PAGE);
        let old = core::arch::wasm32::memory_grow(0, pages);
        if old == usize::MAX {
            return None;
        }
        Some((old * PAGE, pages * PAGE))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::cell::Cell;

    thread_local! {
        static GROWN: Cell<usize> = const { Cell::new(0) };
    }

    /// Regions leaked from the system allocator, 4 KiB at a time.
    struct Leak;
    impl Grow for Leak {
        fn grow(bytes: usize) -> Option<(usize, usize)> {
            let len = bytes.div_ceil(4096) * 4096;
            GROWN.with(|g| g.set(g.get() + len));
            let region = unsafe { std::alloc::alloc(Layout::from_size_align(len, 4096).unwrap()) };
            Some((region as usize, len))
        }
    }

    #[test]
    fn blocks_do_not_overlap_and_keep_their_bytes() {
        let heap = Heap::<Leak>::new();
        let mut live: Vec<(*mut u8, Layout, u8)> = Vec::new();
        let mut seed: u64 = 0x9e37_79b9_7f4a_7c15;
        let mut rnd = |n: u64| {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            seed % n
        };
        for step in 0..20_000u32 {
            let tag = (step % 251) as u8;
            match rnd(4) {
                0 | 1 => {
                    let size = [0, 1, 7, 16, 17, 100, 1000, 5000, 70_000][rnd(9) as usize];
                    let align = [1, 2, 4, 8, 16, 32, 64][rnd(7) as usize];
                    let layout = Layout::from_size_align(size, align).unwrap();
                    let p = unsafe { heap.alloc(layout) };
                    assert!(!p.is_null());
                    assert_eq!(p as usize % align, 0);
                    unsafe { ptr::write_bytes(p, tag, size) };
                    live.push((p, layout, tag));
                }
                2 if !live.is_empty() => {
                    let (p, layout, tag) = live.swap_remove(rnd(live.len() as u64) as usize);
                    let bytes = unsafe { std::slice::from_raw_parts(p, layout.size()) };
                    assert!(bytes.iter().all(|b| *b == tag));
                    unsafe { heap.dealloc(p, layout) };
                }
                _ if !live.is_empty() => {
                    let i = rnd(live.len() as u64) as usize;
                    let (p, layout, old) = live[i];
                    let new_size = rnd(3000) as usize;
                    let q = unsafe { heap.realloc(p, layout, new_size) };
                    assert!(!q.is_null());
                    assert_eq!(q as usize % layout.align(), 0);
                    let kept = layout.size().min(new_size);
                    let bytes = unsafe { std::slice::from_raw_parts(q, kept) };
                    assert!(bytes.iter().all(|b| *b == old));
                    unsafe { ptr::write_bytes(q, tag, new_size) };
                    live[i] = (q, Layout::from_size_align(new_size, layout.align()).unwrap(), tag);
                }
                _ => {}
            }
            // No two live blocks overlap.
            if step % 997 == 0 {
                let mut spans: Vec<(usize, usize)> =
                    live.iter().map(|(p, l, _)| (*p as usize, *p as usize + block_size(*l).unwrap())).collect();
                spans.sort();
                assert!(spans.windows(2).all(|w| w[0].1 <= w[1].0));
            }
        }
        for (p, layout, tag) in live.drain(..) {
            let bytes = unsafe { std::slice::from_raw_parts(p, layout.size()) };
            assert!(bytes.iter().all(|b| *b == tag));
            unsafe { heap.dealloc(p, layout) };
        }
    }

    #[test]
    fn freed_blocks_are_reused() {
        let heap = Heap::<Leak>::new();
        let layout = Layout::from_size_align(24, 8).unwrap();
        let a = unsafe { heap.alloc(layout) };
        unsafe { heap.dealloc(a, layout) };
        let grown = GROWN.with(Cell::get);
        for _ in 0..1000 {
            let b = unsafe { heap.alloc(layout) };
            assert_eq!(a, b);
            unsafe { heap.dealloc(b, layout) };
        }
        assert_eq!(GROWN.with(Cell::get), grown);
        // Same size class: realloc stays in place.
        let b = unsafe { heap.alloc(layout) };
        assert_eq!(unsafe { heap.realloc(b, layout, 32) }, b);
        assert_eq!(block_size(Layout::from_size_align(isize::MAX as usize, 1).unwrap()), Some(1 << (usize::BITS - 1)));
    }
}
