//! The allocator proper: the `usedpools` rings, the allocation and free paths, realloc, and the
//! large-block fall-through.
//!
//! ```text
//!  alloc(n), 1 ≤ n ≤ 512:  i = (n−1) >> SHIFT
//!    usedpools[i] ─→ pool ─→ pop freeblock ─→ done               (fast path, inlined)
//!         │ null                    └ list ran dry → carve a virgin block, or unlink the full pool
//!         └→ take a pool from usable_arenas' head (map an arena if none)       (cold)
//!  alloc(n), n = 0 or n > 512: System malloc with a 16-byte header (os::large_alloc)
//!
//!  free(p): arena map lookup(p) ─→ ours: pool = p & !POOL_MASK, push p on pool's free list
//!                                    └ pool was full → relink at ring front; count hit 0 → arena
//!                              └→ not ours: a large block (header cookie checked)
//! ```
//!
//! Invariants of the struct (beyond those of pools and arenas):
//! - `usedpools[i]` is null or the first pool of a well-formed ring of used pools of class `i`;
//! - `blocks_in_use = Σ pool.count` over all carved pools; `large_in_use` = live large blocks;
//! - with debug hooks off, a live block is a pool block ⇔ the size it was last (re)allocated with
//!   is in `1..=512` (see `realloc`, which moves large blocks shrunk to ≤ 512 into pools);
//! - `debug_hooks` only changes while nothing is allocated.

use crate::arena::Arenas;
use crate::layout::{DUMMY_SIZE_IDX, MAX_SIZE_CLASSES, Modern, Tunables};
use crate::os::{self, FaultInjector, SysVec};
use crate::pool::{self, PoolHeader};
use crate::size_class::{index_to_size, is_small, size_to_index};
use std::cell::Cell;
use std::marker::PhantomData;
use std::ptr::{self, NonNull};

/// Errors of the fallible API.
#[derive(Debug, thiserror::Error, Clone, PartialEq, Eq)]
pub enum AllocError {
    /// The operating system (or the system allocator) refused memory.
    #[error("out of memory: the OS refused {requested} bytes")]
    OutOfMemory {
        /// Bytes asked for.
        requested: usize,
    },
}

/// Why the debug hooks could not be switched.
#[derive(Debug, thiserror::Error, Clone, PartialEq, Eq)]
pub enum HooksError {
    /// Blocks are still allocated, so the hooks cannot change the block layout under them.
    #[error("debug hooks can only be switched while nothing is allocated ({live} blocks live)")]
    BlocksLive {
        /// Blocks allocated at the time of the call.
        live: usize,
    },
}

/// A pymalloc instance. One owner at a time: `Send` but not `Sync`.
///
/// ```compile_fail
/// fn needs_sync<S: Sync>() {}
/// needs_sync::<pyheap_allocator::Pymalloc>();
/// ```
pub struct Pymalloc<T: Tunables = Modern> {
    /// Ring heads per size class (only the first `T::NB_SMALL_SIZE_CLASSES` are used).
    pub(crate) usedpools: [*mut PoolHeader; MAX_SIZE_CLASSES],
    pub(crate) arenas: Arenas,
    pub(crate) blocks_in_use: usize,
    pub(crate) large_in_use: usize,
    pub(crate) large_bytes: usize,
    pub(crate) debug_hooks: bool,
    /// With debug hooks on: sorted addresses of live large blocks (to recognise foreign pointers
    /// without reading them).
    pub(crate) debug_large: SysVec<usize>,
    pub(crate) fault: FaultInjector,
    /// A ceiling on arena plus large-block bytes (`None`: unlimited); requests past it fail
    /// as out of memory.
    max_bytes: Option<usize>,
    _t: PhantomData<fn() -> T>,
    _not_sync: PhantomData<Cell<()>>,
}

// SAFETY: a Pymalloc exclusively owns its arenas, pools and metadata; no pointer into them is
// shared with another instance or thread-local state, so handing the whole instance to another
// thread is sound. It stays !Sync (PhantomData<Cell<()>>): all operations need one owner.
unsafe impl<T: Tunables> Send for Pymalloc<T> {}

impl<T: Tunables> Default for Pymalloc<T> {
    fn default() -> Self {
        Self::new()
    }
}

impl<T: Tunables> Drop for Pymalloc<T> {
    /// Unmaps every arena. Outstanding pool blocks become invalid; outstanding large blocks are
    /// leaked (they belong to the system allocator).
    fn drop(&mut self) {
        self.arenas.release_all::<T>();
    }
}

impl<T: Tunables> Pymalloc<T> {
    /// A new, empty allocator. Maps nothing until the first small allocation.
    pub const fn new() -> Self {
        #[allow(clippy::let_unit_value)]
        let () = T::CHECKS;
        Pymalloc {
            usedpools: [ptr::null_mut(); MAX_SIZE_CLASSES],
            arenas: Arenas::new(),
            blocks_in_use: 0,
            large_in_use: 0,
            large_bytes: 0,
            debug_hooks: false,
            debug_large: SysVec::new(),
            fault: FaultInjector::new(),
            max_bytes: None,
            _t: PhantomData,
            _not_sync: PhantomData,
        }
    }

    /// Allocate `size` bytes (`ALIGNMENT`-aligned; large blocks 16-aligned).
    ///
    /// # Panics
    /// With "out of memory: …" if the OS refuses memory. Use [`try_alloc`](Self::try_alloc) to
    /// handle that case.
    #[inline]
    pub fn alloc(&mut self, size: usize) -> NonNull<u8> {
        match self.try_alloc(size) {
            Ok(p) => p,
            Err(e) => oom_panic(e),
        }
    }

    /// Allocate `size` bytes, or report that the OS refused memory (nothing leaks or changes in
    /// that case). `size == 0` gives a unique pointer from the system allocator, as CPython does.
    #[inline]
    pub fn try_alloc(&mut self, size: usize) -> Result<NonNull<u8>, AllocError> {
        if self.debug_hooks {
            return self.debug_alloc(size, false);
        }
        self.raw_alloc(size)
    }

    /// Allocate `nelem * elsize` zeroed bytes.
    pub fn try_calloc(&mut self, nelem: usize, elsize: usize) -> Result<NonNull<u8>, AllocError> {
        let size = nelem.checked_mul(elsize).ok_or(AllocError::OutOfMemory {
            requested: usize::MAX,
        })?;
        if self.debug_hooks {
            return self.debug_alloc(size, true);
        }
        if is_small(size) {
            let p = self.raw_alloc(size)?;
            // SAFETY: p is a fresh pool block of at least `size` bytes.
            unsafe { p.as_ptr().write_bytes(0, size) };
            Ok(p)
        } else {
            self.large_alloc(size, true)
        }
    }

    /// [`try_calloc`](Self::try_calloc) that panics on out-of-memory.
    pub fn calloc(&mut self, nelem: usize, elsize: usize) -> NonNull<u8> {
        match self.try_calloc(nelem, elsize) {
            Ok(p) => p,
            Err(e) => oom_panic(e),
        }
    }

    /// Allocation without debug hooks.
    #[inline(always)]
    pub(crate) fn raw_alloc(&mut self, size: usize) -> Result<NonNull<u8>, AllocError> {
        if is_small(size) {
            let idx = size_to_index::<T>(size);
            if let Some(p) = self.pool_alloc_fast(idx) {
                return Ok(p);
            }
            return self.pool_alloc_slow(idx);
        }
        self.large_alloc(size, false)
    }

    /// Pop a block from the first used pool of class `idx`; `None` if the ring is empty.
    #[inline(always)]
    pub(crate) fn pool_alloc_fast(&mut self, idx: usize) -> Option<NonNull<u8>> {
        let pool = self.usedpools[idx];
        if pool.is_null() {
            return None;
        }
        // SAFETY: a non-null ring head is a used pool: live header with a non-null freeblock
        // (struct invariant), whose first word links the rest of the free list.
        unsafe {
            let bp = (*pool).freeblock;
            (*pool).count += 1;
            let next = pool::next_free(bp);
            (*pool).freeblock = next;
            if next.is_null() {
                self.pool_ran_dry(pool, idx);
            }
            self.blocks_in_use += 1;
            Some(NonNull::new_unchecked(bp))
        }
    }

    /// The first pool of class `idx` just handed out its last free-list block.
    #[cold]
    #[inline(never)]
    fn pool_ran_dry(&mut self, pool: *mut PoolHeader, idx: usize) {
        // SAFETY: pool is the head of ring idx, initialised for class idx, freeblock null.
        unsafe {
            if pool::extend(pool, index_to_size::<T>(idx)) {
                pool::ring_unlink(&mut self.usedpools[idx], pool);
            }
        }
    }

    /// No used pool for class `idx`: take one from the arenas.
    #[cold]
    #[inline(never)]
    fn pool_alloc_slow(&mut self, idx: usize) -> Result<NonNull<u8>, AllocError> {
        let size = index_to_size::<T>(idx);
        if self.arenas.usable == crate::arena::NONE && self.over_limit(T::ARENA_SIZE) {
            return Err(AllocError::OutOfMemory { requested: size });
        }
        let Some(pool) = self.arenas.take_pool::<T>(&mut self.fault) else {
            return Err(AllocError::OutOfMemory { requested: size });
        };
        // SAFETY: take_pool returns a carved empty pool of POOL_SIZE bytes; CHECKS guarantee
        // POOL_OVERHEAD + 2·512 ≤ POOL_SIZE. The ring of idx is empty (we got here), and the
        // pool is on no list.
        unsafe {
            let bp = pool::init_and_take(pool, idx as u32, size, T::POOL_OVERHEAD, T::POOL_SIZE);
            if !(*pool).freeblock.is_null() {
                pool::ring_push_front(&mut self.usedpools[idx], pool);
            }
            self.blocks_in_use += 1;
            Ok(NonNull::new_unchecked(bp))
        }
    }

    #[cold]
    #[inline(never)]
    pub(crate) fn large_alloc(
        &mut self,
        size: usize,
        zero: bool,
    ) -> Result<NonNull<u8>, AllocError> {
        if !self.fault.permit() || self.over_limit(size) {
            return Err(AllocError::OutOfMemory { requested: size });
        }
        let p = os::large_alloc(size, zero).ok_or(AllocError::OutOfMemory { requested: size })?;
        self.large_in_use += 1;
        self.large_bytes += size;
        Ok(p)
    }

    /// Free a block (any size; the allocator finds out whether it is a pool block).
    ///
    /// In debug builds (and always with debug hooks on) a pointer that is not a block of this
    /// allocator stops with a panic naming the fault ("foreign pointer"); with debug hooks, double
    /// frees and guard-byte overruns are reported too (see [`crate::debug`]).
    ///
    /// # Safety
    /// `ptr` came from this allocator's `alloc`/`try_alloc`/`calloc`/`realloc` and is not freed
    /// yet, and the block is not used afterwards.
    #[inline]
    pub unsafe fn free(&mut self, ptr: NonNull<u8>) {
        if self.debug_hooks {
            // SAFETY: forwarded contract.
            return unsafe { self.debug_free(ptr) };
        }
        if let Some(ai) = self.arenas.map.lookup::<T>(ptr.addr().get()) {
            // SAFETY: ptr is inside arena ai; by contract it is one of its live blocks.
            unsafe { self.pool_free(ptr, ai) }
        } else {
            // SAFETY: not in an arena, so by contract a live large block.
            unsafe { self.large_free(ptr) }
        }
    }

    /// Free a block whose requested size (the one last passed to alloc/realloc) is known: skips
    /// the arena-map lookup. Debug builds still verify ownership.
    ///
    /// # Safety
    /// As [`free`](Self::free), and `size` is the size the block was last (re)allocated with.
    #[inline]
    pub unsafe fn free_sized(&mut self, ptr: NonNull<u8>, size: usize) {
        if self.debug_hooks {
            // SAFETY: forwarded contract.
            return unsafe { self.debug_free(ptr) };
        }
        if is_small(size) {
            #[cfg(debug_assertions)]
            let ai = match self.arenas.map.lookup::<T>(ptr.addr().get()) {
                Some(ai) => ai,
                None => {
                    self.foreign_pointer_fault(ptr, "not in any arena, yet freed with a small size")
                }
            };
            #[cfg(not(debug_assertions))]
            let ai = 0;
            // SAFETY: with hooks off, a live block of size 1..=512 is a pool block (struct
            // invariant), so it is inside one of our arenas.
            unsafe { self.pool_free(ptr, ai) }
        } else {
            // SAFETY: a live block of another size is a large block (struct invariant).
            unsafe { self.large_free(ptr) }
        }
    }

    /// Push a block back on its pool's free list.
    ///
    /// # Safety
    /// `ptr` is a live block of a pool of arena `_ai` (the index is only used by debug checks).
    #[inline(always)]
    pub(crate) unsafe fn pool_free(&mut self, ptr: NonNull<u8>, _ai: u32) {
        let p = ptr.as_ptr();
        let pool = p.map_addr(|a| a & !T::POOL_SIZE_MASK).cast::<PoolHeader>();
        #[cfg(debug_assertions)]
        if let Err(why) = self.check_block_start(pool, p, _ai) {
            self.foreign_pointer_fault(ptr, why);
        }
        // SAFETY: pools are POOL_SIZE-aligned inside exactly aligned arenas, so masking a live
        // block's address yields its pool's live header; the block is at least pointer-sized.
        unsafe {
            let last = (*pool).freeblock;
            pool::set_next(p, last);
            (*pool).freeblock = p;
            (*pool).count -= 1;
            self.blocks_in_use -= 1;
            if last.is_null() || (*pool).count == 0 {
                self.pool_free_slow(pool, last.is_null());
            }
        }
    }

    /// A free made a full pool used again, or a used pool empty.
    ///
    /// # Safety
    /// `pool` is a live, initialised pool of this allocator in which a block was just freed; when
    /// `was_full` it is on no ring (it was full), otherwise it is on the usable ring of its size class.
    #[cold]
    #[inline(never)]
    unsafe fn pool_free_slow(&mut self, pool: *mut PoolHeader, was_full: bool) {
        // SAFETY: pool is a live, initialised pool (caller); when was_full it is on no ring,
        // otherwise it is on ring szidx (struct invariant).
        unsafe {
            let idx = (*pool).szidx as usize;
            if was_full {
                pool::ring_push_front(&mut self.usedpools[idx], pool);
            }
            if (*pool).count == 0 {
                pool::ring_unlink(&mut self.usedpools[idx], pool);
                self.arenas.return_pool::<T>(pool);
            }
        }
    }

    /// Is `p` where a block of this pool starts, in a carved pool with allocated blocks?
    /// (Does not prove the block is allocated: that needs a free-list walk, see `debug`.)
    #[cfg_attr(not(debug_assertions), allow(dead_code))]
    pub(crate) fn check_block_start(
        &self,
        pool: *const PoolHeader,
        p: *const u8,
        ai: u32,
    ) -> Result<(), &'static str> {
        let a = self.arenas.get(ai);
        if pool.addr() >= a.pool_address.addr() {
            return Err("inside an arena but in a pool that was never carved");
        }
        // SAFETY: pool is below pool_address inside a live arena, so it is a carved pool whose
        // header was initialised by take_pool.
        let (count, szidx, nextoffset) =
            unsafe { ((*pool).count, (*pool).szidx, (*pool).nextoffset as usize) };
        if count == 0 || szidx == DUMMY_SIZE_IDX {
            return Err("inside an arena but in an empty pool");
        }
        let size = index_to_size::<T>(szidx as usize);
        let off = p.addr() - pool.addr();
        if off < T::POOL_OVERHEAD
            || !(off - T::POOL_OVERHEAD).is_multiple_of(size)
            || off >= nextoffset
        {
            return Err("inside a pool but not at the start of a block");
        }
        Ok(())
    }

    #[cold]
    #[inline(never)]
    #[track_caller]
    pub(crate) fn foreign_pointer_fault(&self, ptr: NonNull<u8>, why: &str) -> ! {
        panic!(
            "pymalloc: foreign pointer freed: block {:p} is not owned by this allocator ({why}); size class: none",
            ptr.as_ptr()
        )
    }

    /// Free a large block (with the cookie check).
    ///
    /// # Safety
    /// `ptr` was returned by this allocator's large-block path and not freed since (a foreign pointer
    /// is detected on a best-effort basis only: its 16 header bytes are read).
    #[cold]
    #[inline(never)]
    pub(crate) unsafe fn large_free(&mut self, ptr: NonNull<u8>) {
        // SAFETY: by the caller's contract ptr is one of our large blocks, so its 16 header
        // bytes are readable; for a caller breaking the contract this is a best-effort check.
        if !unsafe { os::large_is_ours(ptr) } {
            self.foreign_pointer_fault(
                ptr,
                "not in any arena and not a live large block (or a large block freed twice)",
            );
        }
        // SAFETY: cookie verified; by contract the block is live.
        unsafe {
            self.large_bytes -= os::large_size(ptr);
            os::large_free(ptr);
        }
        self.large_in_use -= 1;
    }

    /// Resize a block, with CPython's rules (REFERENCE A.9):
    /// - a pool block of class size `s` asked for `n` with `n ≤ s` and `4n > 3s` (shrinking by
    ///   less than 25 %) stays where it is;
    /// - otherwise a new block is allocated (from pools or the system allocator), `min(n, s)`
    ///   bytes copied, the old block freed;
    /// - a large block resized to `n > 512` (or 0) is `realloc`ed by the system allocator.
    ///
    /// One deliberate difference: CPython never moves a foreign block into pymalloc because it
    /// cannot know its valid length; we know it (header), so a large block shrunk to 1..=512
    /// bytes moves into a pool. That keeps "size in 1..=512 ⇔ pool block", which
    /// [`free_sized`](Self::free_sized) relies on. `n == 0` does not free (as in CPython).
    ///
    /// On error the old block is untouched and still owned by the caller.
    ///
    /// # Safety
    /// As [`free`](Self::free) for `ptr`; on success the old pointer must not be used again
    /// (unless it is returned).
    pub unsafe fn realloc(
        &mut self,
        ptr: NonNull<u8>,
        new_size: usize,
    ) -> Result<NonNull<u8>, AllocError> {
        if self.debug_hooks {
            // SAFETY: forwarded contract.
            return unsafe { self.debug_realloc(ptr, new_size) };
        }
        if let Some(ai) = self.arenas.map.lookup::<T>(ptr.addr().get()) {
            let pool = ptr.as_ptr().map_addr(|a| a & !T::POOL_SIZE_MASK) as *const PoolHeader;
            #[cfg(debug_assertions)]
            if let Err(why) = self.check_block_start(pool, ptr.as_ptr(), ai) {
                self.foreign_pointer_fault(ptr, why);
            }
            // SAFETY: ptr is a live pool block (contract), so its pool header is live.
            let size = index_to_size::<T>(unsafe { (*pool).szidx } as usize);
            if new_size <= size && 4 * new_size > 3 * size {
                return Ok(ptr);
            }
            let new = self.raw_alloc(new_size)?;
            // SAFETY: both blocks are live and distinct; min(size, new_size) fits both.
            unsafe {
                ptr::copy_nonoverlapping(ptr.as_ptr(), new.as_ptr(), size.min(new_size));
                self.pool_free(ptr, ai);
            }
            Ok(new)
        } else {
            // SAFETY: not in an arena, so by contract a live large block.
            unsafe {
                if !os::large_is_ours(ptr) {
                    self.foreign_pointer_fault(ptr, "not in any arena and not a live large block");
                }
                let old = os::large_size(ptr);
                if is_small(new_size) {
                    let new = self.raw_alloc(new_size)?;
                    ptr::copy_nonoverlapping(ptr.as_ptr(), new.as_ptr(), old.min(new_size));
                    self.large_free(ptr);
                    return Ok(new);
                }
                if !self.fault.permit() || self.over_limit(new_size.saturating_sub(old)) {
                    return Err(AllocError::OutOfMemory {
                        requested: new_size,
                    });
                }
                let new = os::large_realloc(ptr, new_size).ok_or(AllocError::OutOfMemory {
                    requested: new_size,
                })?;
                self.large_bytes = self.large_bytes - old + new_size;
                Ok(new)
            }
        }
    }

    /// Does `ptr` point into one of our arenas? (Large blocks live in the system allocator and
    /// are not "owned" in this sense.) Never reads the memory at `ptr`.
    #[inline]
    pub fn owns(&self, ptr: *const u8) -> bool {
        self.arenas.map.lookup::<T>(ptr.addr()).is_some()
    }

    /// Number of small blocks currently allocated from pools.
    #[inline]
    pub fn blocks_in_use(&self) -> usize {
        self.blocks_in_use
    }

    /// Number of live blocks served by the system allocator (> 512 bytes or 0 bytes).
    #[inline]
    pub fn large_in_use(&self) -> usize {
        self.large_in_use
    }

    /// Bytes requested by the live large blocks.
    pub fn large_bytes_in_use(&self) -> usize {
        self.large_bytes
    }

    /// Arenas currently mapped.
    pub fn arenas_current(&self) -> usize {
        self.arenas.current
    }

    /// Arenas mapped since the start (returned ones included): with [`Self::arenas_current`],
    /// how many were given back, without walking the arenas.
    pub fn arenas_allocated_total(&self) -> usize {
        self.arenas.allocated_total
    }

    /// Make the OS (arena mappings and large allocations) "refuse" memory after `budget` more
    /// successful requests; `None` restores normal behaviour. For out-of-memory tests.
    pub fn fail_os_requests_after(&mut self, budget: Option<usize>) {
        self.fault.set_budget(budget);
    }

    /// Cap the memory taken from the OS (arenas plus large blocks) at `max` bytes; a request
    /// that would go past it fails as out of memory. `None` lifts the cap.
    pub fn set_max_bytes(&mut self, max: Option<usize>) {
        self.max_bytes = max;
    }

    /// Tunable: keep up to `n` entirely free arenas mapped (CPython's one at the tail of the
    /// usable list included) instead of returning them to the OS when their last block is freed. 0, the default, is CPython's
    /// policy (what `pyheap stats` shows as CPython would); a deep drop followed by a rebuild
    /// then unmaps and maps the same arenas again. Lowering it unmaps nothing at once: the extra
    /// arenas go the next time one of them empties.
    pub fn set_keep_empty_arenas(&mut self, n: u32) {
        self.arenas.keep_empty = n;
    }

    /// Would `extra` more bytes from the OS pass the cap?
    fn over_limit(&self, extra: usize) -> bool {
        self.max_bytes
            .is_some_and(|m| self.arenas.current * T::ARENA_SIZE + self.large_bytes + extra > m)
    }

    /// Switch the debug hooks (see [`crate::debug`]). Only allowed while nothing is allocated,
    /// because blocks carry a different layout with hooks on.
    pub fn set_debug_hooks(&mut self, on: bool) -> Result<(), HooksError> {
        let live = self.blocks_in_use + self.large_in_use;
        if live != 0 {
            return Err(HooksError::BlocksLive { live });
        }
        self.debug_hooks = on;
        Ok(())
    }

    /// Are the debug hooks on?
    pub fn debug_hooks(&self) -> bool {
        self.debug_hooks
    }
}

#[cold]
#[inline(never)]
fn oom_panic(e: AllocError) -> ! {
    panic!("pymalloc: {e}")
}
