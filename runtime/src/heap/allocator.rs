//! The heap's pymalloc in either layout: CPython 3.10+'s modern one (16-byte classes, 16 KiB
//! pools, 1 MiB arenas; the default) or the classic one of CPython ≤ 3.9 (8-byte classes, 4 KiB
//! pools, 256 KiB arenas), chosen when the heap is made ([`Heap::with_layout`](crate::Heap::with_layout)).
//!
//! ```text
//!   HeapInner.alloc ──▶ HeapAllocator::Modern(Pymalloc<Modern>)   or
//!                       HeapAllocator::Classic(Pymalloc<Classic>)
//! ```
//!
//! The allocator is generic over its layout; the heap is not (a type parameter would reach every
//! handle an embedder names), so each call matches on the variant: one predictable branch per
//! allocation and free (measured in BENCHMARKS.md, "Runtime").
//!
//! # Invariants
//! - The variant never changes after the heap is made: every block is freed by the allocator
//!   (and so the layout) it came from.

use crate::profile::AllocatorLayout;
use pyheap_allocator::{
    AllocError, ArenaSnapshot, Classic, InvariantError, Modern, PoolView, Pymalloc, Stats,
};
use std::ptr::NonNull;

/// What [`Heap::arena_counts`](crate::Heap::arena_counts) reports: two counters of the
/// allocator, read without a walk.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct ArenaCounts {
    /// Arenas mapped now.
    pub mapped: usize,
    /// Arenas mapped since the heap started (`mapped` subtracted: those returned to the OS).
    pub ever_mapped: usize,
}

/// The heap's allocator (see the module docs).
pub(crate) enum HeapAllocator {
    Modern(Pymalloc<Modern>),
    Classic(Pymalloc<Classic>),
}

/// `$body` with `$a` bound to the allocator, whichever layout it has.
macro_rules! with_either {
    ($self:expr, $a:ident => $body:expr) => {
        match $self {
            HeapAllocator::Modern($a) => $body,
            HeapAllocator::Classic($a) => $body,
        }
    };
}

impl HeapAllocator {
    pub(crate) fn new(layout: AllocatorLayout) -> Self {
        match layout {
            AllocatorLayout::Modern => HeapAllocator::Modern(Pymalloc::new()),
            AllocatorLayout::Classic => HeapAllocator::Classic(Pymalloc::new()),
        }
    }
    pub(crate) fn layout(&self) -> AllocatorLayout {
        match self {
            HeapAllocator::Modern(_) => AllocatorLayout::Modern,
            HeapAllocator::Classic(_) => AllocatorLayout::Classic,
        }
    }
    #[inline]
    pub(crate) fn try_alloc(&mut self, size: usize) -> Result<NonNull<u8>, AllocError> {
        with_either!(self, a => a.try_alloc(size))
    }
    /// # Safety
    /// As [`Pymalloc::free_sized`]: `p` came from this allocator with `size` bytes.
    #[inline]
    pub(crate) unsafe fn free_sized(&mut self, p: NonNull<u8>, size: usize) {
        // SAFETY: forwarded contract (the block came from this very allocator: the variant never
        // changes).
        with_either!(self, a => unsafe { a.free_sized(p, size) })
    }
    /// # Safety
    /// As [`Pymalloc::realloc`]: `p` came from this allocator and is not freed.
    #[inline]
    pub(crate) unsafe fn realloc(
        &mut self,
        p: NonNull<u8>,
        new_size: usize,
    ) -> Result<NonNull<u8>, AllocError> {
        // SAFETY: forwarded contract, as in `free_sized`.
        with_either!(self, a => unsafe { a.realloc(p, new_size) })
    }
    pub(crate) fn blocks_in_use(&self) -> usize {
        with_either!(self, a => a.blocks_in_use())
    }
    pub(crate) fn large_in_use(&self) -> usize {
        with_either!(self, a => a.large_in_use())
    }
    pub(crate) fn arena_counts(&self) -> ArenaCounts {
        with_either!(self, a => ArenaCounts {
            mapped: a.arenas_current(),
            ever_mapped: a.arenas_allocated_total(),
        })
    }
    pub(crate) fn set_max_bytes(&mut self, max: Option<usize>) {
        with_either!(self, a => a.set_max_bytes(max))
    }
    pub(crate) fn set_keep_empty_arenas(&mut self, n: u32) {
        with_either!(self, a => a.set_keep_empty_arenas(n))
    }
    pub(crate) fn stats(&self) -> Stats {
        with_either!(self, a => a.stats())
    }
    pub(crate) fn arena_snapshots(&self) -> Vec<ArenaSnapshot> {
        with_either!(self, a => a.arena_snapshots())
    }
    pub(crate) fn pool_view(&self, arena: u32, pool: usize) -> Option<PoolView> {
        with_either!(self, a => a.pool_view(arena, pool))
    }
    pub(crate) fn check_invariants(&self) -> Result<(), InvariantError> {
        with_either!(self, a => a.check_invariants())
    }
}
