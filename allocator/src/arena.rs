//! Arenas: `ARENA_SIZE` bytes mapped from the OS, cut into `MAX_POOLS_IN_ARENA` pools, plus the
//! bookkeeping that decides which arena the next pool comes from and when an arena goes back.
//!
//! ```text
//!  arena objects (SysVec, indices are stable; links are u32 indices, NONE = u32::MAX)
//!   [0]──┐   [1]   [2]──┐  [3] …
//!        │              │
//!  usable_arenas (sorted by nfreepools ascending: most used first)
//!   head → A(nf=2) ⇄ B(nf=2) ⇄ C(nf=5) ⇄ D(nf=64)       nfp2lasta[2] = B, [5] = C, [64] = D
//!  unused_arena_objects: singly linked through nextarena, address == null
//!  full arenas (nf = 0): on no list
//!
//!  one arena (ARENA_SIZE-aligned):
//!  [ pool 0 | pool 1 | … carved pools … | pool_address → never-carved pools … ]
//! ```
//!
//! Invariants (equations, checked by `check_invariants`):
//! - on the unused list ⇔ `address == null`;
//! - on `usable_arenas` ⇔ `address != null && nfreepools > 0`; the list is sorted by
//!   `nfreepools` ascending, `prevarena`/`nextarena` agree;
//! - `nfp2lasta[n]` = the rightmost arena of `usable_arenas` with `nfreepools == n` (NONE if none);
//! - `nfreepools = |freepools| + (address + ARENA_SIZE − pool_address) / POOL_SIZE`;
//! - at most one arena is entirely free (`nfreepools == ntotalpools`): the last usable one,
//!   kept to avoid map/unmap thrashing (CPython 3.8+, bpo-37257); with the `keep_empty`
//!   tunable (default 0) up to `keep_empty + 1` (the list is sorted, so all at its tail);
//! - `current = number of arenas with address != null`.
//!
//! New pools always come from the head of `usable_arenas`, so lightly used arenas (at the tail)
//! drain and can be returned. When a free changes an arena's `nfreepools` from `n` to `n+1`, the
//! arena moves right after `nfp2lasta[n]` — O(1) instead of CPython 3.7's linear walk.
//!
//! Arenas are exactly aligned, so `ntotalpools == MAX_POOLS_IN_ARENA` always and the
//! "bytes lost to arena alignment" of the stats is honestly 0.

use crate::arena_map::ArenaMap;
use crate::layout::{DUMMY_SIZE_IDX, MAX_POOLS_IN_ARENA_LIMIT, Tunables};
use crate::os::{self, FaultInjector, SysVec};
use crate::pool::PoolHeader;
use std::ptr::{self, NonNull};

pub const NONE: u32 = u32::MAX;
/// CPython's `INITIAL_ARENA_OBJECTS`: the arena-object vector starts with 16 slots and doubles.
pub const INITIAL_ARENA_OBJECTS: usize = 16;

/// Bookkeeping for one arena (CPython's `struct arena_object`).
#[derive(Clone, Copy, Debug)]
pub struct ArenaObject {
    /// Base of the mapping; null when this slot has no arena (then it is on the unused list).
    pub address: *mut u8,
    /// Next never-carved pool.
    pub pool_address: *mut u8,
    /// Free pools: empty ones on `freepools` plus never-carved ones.
    pub nfreepools: u32,
    /// Pools in the arena (always `MAX_POOLS_IN_ARENA`: no alignment loss).
    pub ntotalpools: u32,
    /// Singly linked list (through `nextpool`) of empty pools.
    pub freepools: *mut PoolHeader,
    pub nextarena: u32,
    pub prevarena: u32,
}

impl ArenaObject {
    const UNUSED: ArenaObject = ArenaObject {
        address: ptr::null_mut(),
        pool_address: ptr::null_mut(),
        nfreepools: 0,
        ntotalpools: 0,
        freepools: ptr::null_mut(),
        nextarena: NONE,
        prevarena: NONE,
    };
}

/// All arenas of one allocator.
pub struct Arenas {
    pub objs: SysVec<ArenaObject>,
    pub unused: u32,
    pub usable: u32,
    pub nfp2lasta: [u32; MAX_POOLS_IN_ARENA_LIMIT + 1],
    pub map: ArenaMap,
    /// Arenas mapped since creation (`ntimes_arena_allocated`).
    pub allocated_total: usize,
    pub current: usize,
    pub highwater: usize,
    /// Tunable (0 = CPython): how many entirely free arenas a free may keep mapped (CPython keeps
    /// only the one at the tail of `usable_arenas`, which is kept in any case and counts here),
    /// so a free-then-allocate storm (a deep drop, then the rebuild) does not unmap and map them
    /// again.
    pub keep_empty: u32,
    /// Entirely free arenas on `usable_arenas` (kept by `keep_empty` or at the tail).
    pub empty: u32,
}

// SAFETY: Arenas exclusively owns its arena mappings and metadata; the raw pointers are never
// shared with another Arenas. Moving it to another thread moves that ownership.
unsafe impl Send for Arenas {}

impl Arenas {
    pub const fn new() -> Self {
        Arenas {
            objs: SysVec::new(),
            unused: NONE,
            usable: NONE,
            nfp2lasta: [NONE; MAX_POOLS_IN_ARENA_LIMIT + 1],
            map: ArenaMap::new(),
            allocated_total: 0,
            current: 0,
            highwater: 0,
            keep_empty: 0,
            empty: 0,
        }
    }

    #[inline(always)]
    pub fn get(&self, i: u32) -> &ArenaObject {
        &self.objs.as_slice()[i as usize]
    }
    #[inline(always)]
    fn get_mut(&mut self, i: u32) -> &mut ArenaObject {
        &mut self.objs.as_mut_slice()[i as usize]
    }

    /// Map a new arena into an unused slot (growing the slot vector if needed). Returns its index,
    /// or `None` if the OS (or the fault injector) refused; then nothing changed but possibly the
    /// slot vector's capacity.
    #[cold]
    fn new_arena<T: Tunables>(&mut self, fault: &mut FaultInjector) -> Option<u32> {
        if self.unused == NONE {
            let old = self.objs.len();
            let new = if old == 0 {
                INITIAL_ARENA_OBJECTS
            } else {
                old * 2
            };
            if new >= NONE as usize || !self.objs.reserve_total(new) {
                return None;
            }
            for i in old..new {
                let next = if i + 1 < new { (i + 1) as u32 } else { NONE };
                let pushed = self.objs.push(ArenaObject {
                    nextarena: next,
                    ..ArenaObject::UNUSED
                });
                debug_assert!(pushed, "capacity was reserved");
            }
            self.unused = old as u32;
        }
        if !fault.permit() {
            return None;
        }
        let base = os::map_arena(T::ARENA_SIZE)?;
        let idx = self.unused;
        if !self.map.set::<T>(base.addr().get(), Some(idx)) {
            // SAFETY: base was just mapped with this size and is not referenced.
            unsafe { os::unmap_arena(base, T::ARENA_SIZE) };
            return None;
        }
        let a = self.get_mut(idx);
        let next_unused = a.nextarena;
        *a = ArenaObject {
            address: base.as_ptr(),
            pool_address: base.as_ptr(),
            nfreepools: T::MAX_POOLS_IN_ARENA as u32,
            ntotalpools: T::MAX_POOLS_IN_ARENA as u32,
            freepools: ptr::null_mut(),
            nextarena: NONE,
            prevarena: NONE,
        };
        self.unused = next_unused;
        self.allocated_total += 1;
        self.current += 1;
        self.highwater = self.highwater.max(self.current);
        Some(idx)
    }

    /// Take an empty pool from the head of `usable_arenas` (mapping a new arena if there is
    /// none). `None`: out of memory, nothing changed.
    ///
    /// The returned pool is carved and empty; its `szidx` tells whether it is fresh
    /// (`DUMMY_SIZE_IDX`) or still initialised for some class.
    pub fn take_pool<T: Tunables>(&mut self, fault: &mut FaultInjector) -> Option<*mut PoolHeader> {
        if self.usable == NONE {
            let idx = self.new_arena::<T>(fault)?;
            self.usable = idx;
            let nf = self.get(idx).nfreepools as usize;
            debug_assert_eq!(self.nfp2lasta[nf], NONE);
            self.nfp2lasta[nf] = idx;
        }
        let u = self.usable;
        let nf = self.get(u).nfreepools as usize;
        debug_assert!(nf > 0);
        if nf == self.get(u).ntotalpools as usize {
            // (A fresh arena was never counted: `empty` only counts arenas a free emptied.)
            self.empty = self.empty.saturating_sub(1);
        }
        // The head has the smallest nfreepools, so decrementing keeps the list sorted; only
        // nfp2lasta needs fixing.
        if self.nfp2lasta[nf] == u {
            self.nfp2lasta[nf] = NONE;
        }
        if nf > 1 {
            debug_assert_eq!(self.nfp2lasta[nf - 1], NONE);
            self.nfp2lasta[nf - 1] = u;
        }
        let pool_size = T::POOL_SIZE;
        let a = self.get_mut(u);
        let pool = if !a.freepools.is_null() {
            let p = a.freepools;
            // SAFETY: p is an empty pool on this arena's freepools list (invariant), so its
            // header is initialised and nextpool links the list.
            a.freepools = unsafe { (*p).nextpool };
            p
        } else {
            let p = a.pool_address.cast::<PoolHeader>();
            // SAFETY: nfreepools > 0 and freepools is empty, so a never-carved pool remains at
            // pool_address inside the arena mapping; we initialise its header fields here.
            unsafe {
                a.pool_address = a.pool_address.add(pool_size);
                (*p).arenaindex = u;
                (*p).szidx = DUMMY_SIZE_IDX;
                (*p).count = 0;
                (*p).freeblock = ptr::null_mut();
            }
            p
        };
        a.nfreepools -= 1;
        if a.nfreepools == 0 {
            // Completely allocated: the arena leaves usable_arenas.
            let next = a.nextarena;
            a.nextarena = NONE;
            a.prevarena = NONE;
            self.usable = next;
            if next != NONE {
                self.get_mut(next).prevarena = NONE;
            }
        }
        Some(pool)
    }

    /// An empty pool (count 0, already off its ring) goes back to its arena; the arena moves in
    /// `usable_arenas` or is returned to the OS.
    ///
    /// # Safety
    /// `pool` is a carved pool header of one of these arenas, with `count == 0`, on no list.
    pub unsafe fn return_pool<T: Tunables>(&mut self, pool: *mut PoolHeader) {
        // SAFETY: pool is a live header by contract.
        let ai = unsafe { (*pool).arenaindex };
        let nf_old;

        {
            let a = self.get_mut(ai);
            // SAFETY: as above; linking it onto the arena's freepools list.
            unsafe { (*pool).nextpool = a.freepools };
            a.freepools = pool;
            nf_old = a.nfreepools as usize;
            a.nfreepools += 1;
        }
        let lastnf = self.nfp2lasta[nf_old];
        if lastnf == ai {
            // ai was the rightmost with nf_old free pools; the one before it may take over.
            let p = self.get(ai).prevarena;
            self.nfp2lasta[nf_old] = if p != NONE && self.get(p).nfreepools as usize == nf_old {
                p
            } else {
                NONE
            };
        }
        let nf = nf_old + 1;
        let a = *self.get(ai);

        let entirely_free = nf == a.ntotalpools as usize;
        if entirely_free && a.nextarena != NONE && self.empty >= self.keep_empty {
            // Case 1: entirely free and not the last usable arena: unlink and unmap.
            if a.prevarena == NONE {
                self.usable = a.nextarena;
            } else {
                self.get_mut(a.prevarena).nextarena = a.nextarena;
            }
            self.get_mut(a.nextarena).prevarena = a.prevarena;
            let erased = self.map.set::<T>(a.address.addr(), None);
            debug_assert!(erased);
            // SAFETY: the arena is entirely free (no live block), it was mapped by map_arena with
            // ARENA_SIZE, and its slot is reset below so nothing refers to it any more.
            unsafe {
                os::unmap_arena(NonNull::new_unchecked(a.address), T::ARENA_SIZE);
            }
            let unused = self.unused;
            *self.get_mut(ai) = ArenaObject {
                nextarena: unused,
                ..ArenaObject::UNUSED
            };
            self.unused = ai;
            self.current -= 1;
            return;
        }
        if entirely_free {
            // Kept: at the tail (CPython's one) or by `keep_empty`.
            self.empty += 1;
        }
        if nf == 1 {
            // Case 2: the arena was full (on no list); it now has the fewest free pools.
            let head = self.usable;
            {
                let m = self.get_mut(ai);
                m.nextarena = head;
                m.prevarena = NONE;
            }
            if head != NONE {
                self.get_mut(head).prevarena = ai;
            }
            self.usable = ai;
            if self.nfp2lasta[1] == NONE {
                self.nfp2lasta[1] = ai;
            }
            return;
        }
        if self.nfp2lasta[nf] == NONE {
            self.nfp2lasta[nf] = ai;
        }
        // Case 3: it was the rightmost of its old count, so it is already in order.
        if ai == lastnf {
            return;
        }
        // Case 4: move it right after lastnf (the old rightmost arena with nf_old free pools).
        debug_assert!(lastnf != NONE && a.nextarena != NONE);
        if a.prevarena != NONE {
            self.get_mut(a.prevarena).nextarena = a.nextarena;
        } else {
            self.usable = a.nextarena;
        }
        self.get_mut(a.nextarena).prevarena = a.prevarena;
        let after = self.get(lastnf).nextarena;
        {
            let m = self.get_mut(ai);
            m.prevarena = lastnf;
            m.nextarena = after;
        }
        if after != NONE {
            self.get_mut(after).prevarena = ai;
        }
        self.get_mut(lastnf).nextarena = ai;
    }

    /// Unmap every arena and free the map (on drop of the allocator).
    pub fn release_all<T: Tunables>(&mut self) {
        for a in self.objs.as_mut_slice() {
            if let Some(base) = NonNull::new(a.address) {
                // SAFETY: a live arena mapping of ARENA_SIZE; the allocator is being dropped so
                // nothing in it is reachable through the allocator any more.
                unsafe { os::unmap_arena(base, T::ARENA_SIZE) };
                a.address = ptr::null_mut();
            }
        }
        self.map.release::<T>();
    }
}
