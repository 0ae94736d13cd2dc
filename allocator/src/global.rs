//! Running Rust itself on pymalloc: a thread-safe adapter implementing `GlobalAlloc` and
//! `allocator_api2` 0.2's `Allocator` (the interop point of hashbrown and bumpalo).
//!
//! ```
//! #[global_allocator]
//! static GLOBAL: pyheap_allocator::PymallocGlobal = pyheap_allocator::PymallocGlobal::new();
//!
//! fn main() {
//!     // Every Box, Vec and String of this program now comes from pymalloc pools (≤ 512 B) or
//!     // falls through to the system allocator.
//!     let words: Vec<String> = (0..1000).map(|i| format!("word{i}")).collect();
//!     assert_eq!(words[999], "word999");
//!     assert!(GLOBAL.stats().blocks_in_use >= 1000);
//! }
//! ```
//!
//! Design:
//! - one [`Pymalloc<Modern>`] behind a `std::sync::Mutex` (futex based, allocation-free). pymalloc
//!   relies on the GIL in CPython; the lock plays that role here. Contended multi-threaded
//!   programs will prefer a per-thread allocator such as mimalloc.
//! - Routing by `Layout`, which Rust's `dealloc` receives (unlike C's `free`): `size ≤ 512` and
//!   `align ≤ 16` go to pools; everything else goes straight to `std::alloc::System`, without our
//!   large-block header. No arena-map lookup is needed on `dealloc`.
//! - Never re-enters the global allocator: pymalloc's metadata lives in `System` memory and mmap'd
//!   arenas; statistics are tallied under the lock into fixed arrays and turned into a `Stats`
//!   (which allocates) after the lock is released.
//! - Never unwinds: every call that could panic (only on a broken invariant) runs under a guard
//!   that aborts the process instead.
//!
//! Debug hooks are not available through this adapter (their layout changes the routing).

use crate::check::InvariantError;
use crate::layout::{Modern, SMALL_REQUEST_THRESHOLD, Tunables};
use crate::pymalloc::Pymalloc;
use crate::size_class::size_to_index;
use crate::stats::Stats;
use std::alloc::{GlobalAlloc, Layout, System};
use std::ptr::{self, NonNull};
use std::sync::{Mutex, MutexGuard};

/// pymalloc as a process-wide, thread-safe allocator.
pub struct PymallocGlobal {
    inner: Mutex<Pymalloc<Modern>>,
}

impl Default for PymallocGlobal {
    fn default() -> Self {
        Self::new()
    }
}

/// Aborts the process if dropped during unwinding out of an allocator call.
struct AbortOnUnwind;
impl Drop for AbortOnUnwind {
    fn drop(&mut self) {
        std::process::abort();
    }
}

#[inline(always)]
fn fits_pool(layout: &Layout) -> bool {
    layout.size() <= SMALL_REQUEST_THRESHOLD && layout.align() <= Modern::ALIGNMENT
}

impl PymallocGlobal {
    /// A global allocator over a pymalloc created on first use.
    pub const fn new() -> Self {
        PymallocGlobal {
            inner: Mutex::new(Pymalloc::new()),
        }
    }

    #[inline]
    fn lock(&self) -> MutexGuard<'_, Pymalloc<Modern>> {
        self.inner.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Small blocks currently allocated from pools.
    pub fn blocks_in_use(&self) -> usize {
        self.lock().blocks_in_use()
    }

    /// Is `ptr` inside one of the pymalloc arenas (i.e. a block served from pools)?
    pub fn owns(&self, ptr: *const u8) -> bool {
        self.lock().owns(ptr)
    }

    /// Arenas currently mapped.
    pub fn arenas_current(&self) -> usize {
        self.lock().arenas_current()
    }

    /// A statistics snapshot (large blocks are not counted: they go to `System` directly).
    pub fn stats(&self) -> Stats {
        let raw = self.lock().raw_counts();
        Stats::from_raw(&raw)
    }

    /// Run the invariant walker under the lock.
    pub fn check_invariants(&self) -> Result<(), InvariantError> {
        self.lock().check_invariants()
    }

    /// # Safety
    /// `layout.size()` is in `1..=512` and `align ≤ 16`.
    #[inline]
    unsafe fn small_alloc(&self, layout: Layout) -> *mut u8 {
        let bomb = AbortOnUnwind;
        let r = self.lock().raw_alloc(layout.size());
        std::mem::forget(bomb);
        r.map_or(ptr::null_mut(), |p| p.as_ptr())
    }

    /// # Safety
    /// `ptr` is a live pool block allocated with this size (1..=512).
    #[inline]
    unsafe fn small_free(&self, ptr: *mut u8, size: usize) {
        let bomb = AbortOnUnwind;
        // SAFETY: caller's contract; with hooks off, sizes 1..=512 are pool blocks.
        unsafe { self.lock().free_sized(NonNull::new_unchecked(ptr), size) };
        std::mem::forget(bomb);
    }
}

// SAFETY: pool requests are served by a Pymalloc that hands out distinct ALIGNMENT(16)-aligned
// blocks of at least the requested size (align ≤ 16 is checked by fits_pool); all other requests
// are forwarded unchanged to System. Deallocation is routed by the same predicate on the same
// Layout, so each block returns to the allocator that produced it. No path unwinds.
unsafe impl GlobalAlloc for PymallocGlobal {
    /// A pool block for small layouts, `System` otherwise.
    ///
    /// # Safety
    /// `GlobalAlloc::alloc`'s contract: `layout` has a non-zero size.
    #[inline]
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        if fits_pool(&layout) {
            // SAFETY: GlobalAlloc callers never pass size 0; fits_pool checked the rest.
            unsafe { self.small_alloc(layout) }
        } else {
            // SAFETY: forwarded contract.
            unsafe { System.alloc(layout) }
        }
    }

    /// Route the block back by the same predicate on its layout.
    ///
    /// # Safety
    /// `GlobalAlloc::dealloc`'s contract: `ptr` came from this allocator with this `layout`.
    #[inline]
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        if fits_pool(&layout) {
            // SAFETY: the block was allocated with this layout, hence by small_alloc.
            unsafe { self.small_free(ptr, layout.size()) }
        } else {
            // SAFETY: allocated by System with this layout.
            unsafe { System.dealloc(ptr, layout) }
        }
    }

    /// As `alloc`, zero-filled.
    ///
    /// # Safety
    /// `GlobalAlloc::alloc_zeroed`'s contract: `layout` has a non-zero size.
    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        if fits_pool(&layout) {
            // SAFETY: as in alloc; the fresh block has layout.size() writable bytes.
            unsafe {
                let p = self.small_alloc(layout);
                if !p.is_null() {
                    p.write_bytes(0, layout.size());
                }
                p
            }
        } else {
            // SAFETY: forwarded contract.
            unsafe { System.alloc_zeroed(layout) }
        }
    }

    /// In place within the same side (pool or `System`), else allocate, copy and free.
    ///
    /// # Safety
    /// `GlobalAlloc::realloc`'s contract: `ptr` came from this allocator with `layout`, `new_size`
    /// is non-zero and, rounded up to `layout.align()`, does not overflow `isize`.
    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        // SAFETY: GlobalAlloc::realloc's contract guarantees the new layout is valid.
        let new_layout = unsafe { Layout::from_size_align_unchecked(new_size, layout.align()) };
        let (old_small, new_small) = (fits_pool(&layout), fits_pool(&new_layout));
        if old_small
            && new_small
            && size_to_index::<Modern>(layout.size()) == size_to_index::<Modern>(new_size)
        {
            return ptr; // same size class: the block already has room
        }
        if !old_small && !new_small {
            // SAFETY: both old and new belong to System.
            return unsafe { System.realloc(ptr, layout, new_size) };
        }
        // SAFETY: new_layout has a non-zero size (realloc contract); ptr is live with `layout`;
        // the copy covers the smaller of the two sizes.
        unsafe {
            let new = self.alloc(new_layout);
            if !new.is_null() {
                ptr::copy_nonoverlapping(ptr, new, layout.size().min(new_size));
                self.dealloc(ptr, layout);
            }
            new
        }
    }
}

// SAFETY: allocate returns blocks valid for `layout` (from GlobalAlloc::alloc above) or a dangling,
// aligned pointer for zero-sized layouts, which deallocate ignores; blocks stay valid until
// deallocated regardless of moves or clones of the (shared) allocator reference.
unsafe impl allocator_api2::alloc::Allocator for PymallocGlobal {
    fn allocate(&self, layout: Layout) -> Result<NonNull<[u8]>, allocator_api2::alloc::AllocError> {
        if layout.size() == 0 {
            let dangling = ptr::without_provenance_mut::<u8>(layout.align());
            // SAFETY: align ≥ 1, so the pointer is non-null.
            let p = unsafe { NonNull::new_unchecked(dangling) };
            return Ok(NonNull::slice_from_raw_parts(p, 0));
        }
        // SAFETY: non-zero size.
        let p = unsafe { GlobalAlloc::alloc(self, layout) };
        NonNull::new(p)
            .map(|p| NonNull::slice_from_raw_parts(p, layout.size()))
            .ok_or(allocator_api2::alloc::AllocError)
    }

    /// `GlobalAlloc::dealloc`, zero-sized blocks excepted (they were never allocated).
    ///
    /// # Safety
    /// `Allocator::deallocate`'s contract: `ptr` came from `allocate` with this
    /// `layout` and was not freed since.
    unsafe fn deallocate(&self, ptr: NonNull<u8>, layout: Layout) {
        if layout.size() != 0 {
            // SAFETY: a non-zero-sized block from allocate, i.e. from GlobalAlloc::alloc.
            unsafe { GlobalAlloc::dealloc(self, ptr.as_ptr(), layout) }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn local_instance_roundtrip() {
        let g = PymallocGlobal::new();
        let mut v = allocator_api2::vec::Vec::new_in(&g);
        for i in 0..10_000u32 {
            v.push(i);
        }
        assert!(g.blocks_in_use() <= 1);
        let mut small: allocator_api2::vec::Vec<Box<[u8; 0]>, _> =
            allocator_api2::vec::Vec::new_in(&g);
        small.push(Box::new([]));
        let mut many = Vec::new();
        for i in 0..1000usize {
            let mut w = allocator_api2::vec::Vec::with_capacity_in(i % 40 + 1, &g);
            w.push(i as u8);
            many.push(w);
        }
        // 1000 small vectors + the 8-byte buffer of `small`; `v` (40 KB) went to System.
        assert_eq!(g.blocks_in_use(), 1001);
        g.check_invariants().unwrap();
        drop(many);
        drop(small);
        assert_eq!(g.blocks_in_use(), 0);
        assert_eq!(v.iter().map(|&x| x as u64).sum::<u64>(), 49_995_000);
    }
}
