//! Pools: one size class per pool, a header at the start, blocks after it.
//!
//! ```text
//!  pool (POOL_SIZE bytes, POOL_SIZE-aligned)
//!  ┌──────────────── header (POOL_OVERHEAD = 48 B) ────────────────┬───────┬───────┬─────┬─────────────────┐
//!  │count│freeblock│nextpool│prevpool│arenaidx│szidx│nextoff│maxnext│ blk 0 │ blk 1 │ ... │ virgin blocks … │
//!  └─────┴────┬────┴────────┴────────┴────────┴─────┴───┬───┴───────┴───────┴───────┴─────┴─────────────────┘
//!             └─→ free list through each free block's first word     └─→ nextoffset: first never-used block
//! ```
//!
//! States and the list each lives on (obmalloc's three states):
//! - **used**: `0 < count` and a free block exists (`freeblock != null`). Lives on the doubly
//!   linked ring `usedpools[szidx]`.
//! - **full**: every block allocated (`freeblock == null`, `nextoffset > maxnextoffset`). On no
//!   list; `nextpool`/`prevpool` are stale. A free into it makes it used and links it at the
//!   *front* of its ring, so the next allocation of that class reuses it.
//! - **empty**: `count == 0`. On its arena's singly linked `freepools` list (through `nextpool`),
//!   keeping its `szidx` so that reuse for the same class skips re-initialisation.
//!
//! A pool is born used (a fresh pool hands out its first block at once). Transitions:
//! used → full (last free block taken, [`extend`] finds no virgin block), full → used (a free),
//! used → empty (count drops to 0), empty → used (taken again by the allocation slow path).
//!
//! Invariants (checked by `check_invariants`):
//! - `count + |free list| + virgin == blocks_per_pool(szidx)`, where
//!   `virgin = (maxnextoffset − nextoffset) / size + 1` if `nextoffset ≤ maxnextoffset`, else 0;
//! - every free-list block lies at `POOL_OVERHEAD + k·size < nextoffset`;
//! - on a used ring ⇔ `count > 0 && freeblock != null`.
//!
//! All functions here are `unsafe`: their caller guarantees that the pool pointers are headers of
//! carved pools inside live arenas, and that nothing else aliases them during the call.

use std::ptr;

/// A block address (its first word is the free-list link while it is free).
pub type Block = *mut u8;

/// The pool header, field for field as CPython's `struct pool_header` (48 bytes on 64-bit).
#[repr(C)]
pub struct PoolHeader {
    /// Number of allocated blocks (CPython keeps it in a pointer-sized union).
    pub count: usize,
    /// Head of the free list; null when no carved block is free.
    pub freeblock: Block,
    /// Next pool in the ring (used) or in the arena's freepools list (empty).
    pub nextpool: *mut PoolHeader,
    /// Previous pool in the ring (used pools only).
    pub prevpool: *mut PoolHeader,
    /// Index of the owning arena object.
    pub arenaindex: u32,
    /// Size class index, or `DUMMY_SIZE_IDX` for a pool carved but never initialised.
    pub szidx: u32,
    /// Offset of the first virgin block.
    pub nextoffset: u32,
    /// Largest valid `nextoffset` (`POOL_SIZE − size`).
    pub maxnextoffset: u32,
}

/// Read the free-list link stored in a free block.
///
/// # Safety
/// `b` is a free block of a live pool (so its first word is a link written by [`set_next`]).
#[inline(always)]
pub unsafe fn next_free(b: Block) -> Block {
    // SAFETY: free blocks are ALIGNMENT-aligned (≥ 8) and hold a link in their first word.
    unsafe { b.cast::<Block>().read() }
}

/// Store the free-list link in a block.
///
/// # Safety
/// `b` is a block of a live pool that is (becoming) free, at least pointer-sized and aligned.
#[inline(always)]
pub unsafe fn set_next(b: Block, next: Block) {
    // SAFETY: see the contract; blocks are ≥ ALIGNMENT ≥ 8 bytes and aligned.
    unsafe { b.cast::<Block>().write(next) }
}

/// Link `pool` at the front of the ring whose head is `*head` (null = empty ring).
///
/// # Safety
/// `pool` is a live pool header on no ring; `*head` is null or a pool on a well-formed ring.
#[inline]
pub unsafe fn ring_push_front(head: &mut *mut PoolHeader, pool: *mut PoolHeader) {
    // SAFETY: all pointers are live headers by contract.
    unsafe {
        let first = *head;
        if first.is_null() {
            (*pool).nextpool = pool;
            (*pool).prevpool = pool;
        } else {
            let last = (*first).prevpool;
            (*pool).nextpool = first;
            (*pool).prevpool = last;
            (*last).nextpool = pool;
            (*first).prevpool = pool;
        }
    }
    *head = pool;
}

/// Unlink `pool` from the ring whose head is `*head`.
///
/// # Safety
/// `pool` is on that ring.
#[inline]
pub unsafe fn ring_unlink(head: &mut *mut PoolHeader, pool: *mut PoolHeader) {
    // SAFETY: pool and its neighbours are live headers on the ring by contract.
    unsafe {
        let next = (*pool).nextpool;
        if next == pool {
            *head = ptr::null_mut();
        } else {
            let prev = (*pool).prevpool;
            (*prev).nextpool = next;
            (*next).prevpool = prev;
            if *head == pool {
                *head = next;
            }
        }
    }
}

/// Give a pool taken from its arena to class `idx` and hand out its first block.
///
/// Reinitialises the header unless the pool last served the same class (then its free list is
/// still intact). The pool stays out of the ring; the caller links it.
///
/// # Safety
/// `pool` is a carved, empty (`count == 0`) pool of `pool_size` bytes; `size` is the block size of
/// `idx`; `overhead + 2·size ≤ pool_size`.
#[inline]
pub unsafe fn init_and_take(
    pool: *mut PoolHeader,
    idx: u32,
    size: usize,
    overhead: usize,
    pool_size: usize,
) -> Block {
    // SAFETY: pool is a live header of a pool of pool_size bytes; every block address computed
    // below is inside it because overhead + 2·size ≤ pool_size.
    unsafe {
        (*pool).count = 1;
        if (*pool).szidx == idx {
            let bp = (*pool).freeblock;
            debug_assert!(!bp.is_null());
            (*pool).freeblock = next_free(bp);
            if (*pool).freeblock.is_null() {
                extend(pool, size);
            }
            return bp;
        }
        (*pool).szidx = idx;
        let base = pool.cast::<u8>();
        let bp = base.add(overhead);
        (*pool).nextoffset = (overhead + 2 * size) as u32;
        (*pool).maxnextoffset = (pool_size - size) as u32;
        let second = bp.add(size);
        set_next(second, ptr::null_mut());
        (*pool).freeblock = second;
        bp
    }
}

/// The free list just ran dry: carve the next virgin block, if any. Returns `true` if the pool
/// is now full (no free and no virgin block), in which case the caller unlinks it from its ring.
///
/// # Safety
/// `pool` is a live, initialised pool whose `freeblock` is null; `size` is its block size.
#[inline]
pub unsafe fn extend(pool: *mut PoolHeader, size: usize) -> bool {
    // SAFETY: nextoffset ≤ maxnextoffset = POOL_SIZE − size keeps the carved block in the pool.
    unsafe {
        let off = (*pool).nextoffset;
        if off <= (*pool).maxnextoffset {
            let b = pool.cast::<u8>().add(off as usize);
            set_next(b, ptr::null_mut());
            (*pool).freeblock = b;
            (*pool).nextoffset = off + size as u32;
            false
        } else {
            true
        }
    }
}

/// Virgin (never carved) blocks left in an initialised pool.
///
/// # Safety
/// `pool` is a live, initialised pool header.
pub unsafe fn virgin_blocks(pool: *const PoolHeader, size: usize) -> usize {
    // SAFETY: reading header fields of a live pool.
    unsafe {
        let (n, m) = ((*pool).nextoffset as usize, (*pool).maxnextoffset as usize);
        if n <= m { (m - n) / size + 1 } else { 0 }
    }
}
