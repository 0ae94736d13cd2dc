//! The invariant walker ([`Pymalloc::check_invariants`]) and the arena occupancy snapshot
//! ([`Pymalloc::arena_snapshots`]).
//!
//! `check_invariants` verifies every equation written at the top of `pool.rs`, `arena.rs` and
//! `pymalloc.rs`. It allocates nothing (errors carry `&'static str`), so it can run under the
//! global adapter's lock. Cost: O(arenas × pools + free blocks), meant for tests.

use crate::arena::NONE;
use crate::layout::{MAX_POOLS_IN_ARENA_LIMIT, MAX_SIZE_CLASSES, Tunables};
use crate::pool::{self, PoolHeader};
use crate::pymalloc::Pymalloc;
use crate::size_class::{blocks_per_pool, index_to_size};
use serde::Serialize;

/// A violated invariant: what, and where.
#[derive(Debug, thiserror::Error, Clone, PartialEq, Eq)]
#[error("pymalloc invariant violated: {what} (arena {arena:?}, pool {pool:#x})")]
pub struct InvariantError {
    /// The invariant that does not hold, in words.
    pub what: &'static str,
    /// Index of the arena it was found in, when about an arena.
    pub arena: Option<u32>,
    /// Pool address, 0 when not about a pool.
    pub pool: usize,
}

fn fail(what: &'static str, arena: Option<u32>, pool: usize) -> Result<(), InvariantError> {
    Err(InvariantError { what, arena, pool })
}

/// One pool of an [`ArenaSnapshot`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct PoolSnapshot {
    /// Size class of a pool in use; `None` for an empty or never-carved pool.
    pub size_class: Option<u32>,
    /// Block size of the class (0 when `size_class` is `None`).
    pub block_size: usize,
    /// Blocks of the pool handed out and not freed.
    pub blocks_in_use: usize,
    /// Blocks the pool holds (0 when `size_class` is `None`).
    pub capacity: usize,
    /// The pool was carved from the arena at some point (an empty pool on the arena's
    /// `freepools` list), as opposed to never touched (above `pool_address`).
    pub carved: bool,
}

/// One arena, for occupancy maps.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ArenaSnapshot {
    /// Position in the allocator's arena table.
    pub index: u32,
    /// Address of the arena's first byte.
    pub address: usize,
    /// Pools of the arena that are empty (CPython's `nfreepools`).
    pub nfreepools: u32,
    /// Pools the arena holds in all (CPython's `ntotalpools`).
    pub ntotalpools: u32,
    /// On `usable_arenas` (has a free pool) or full.
    pub usable: bool,
    /// `MAX_POOLS_IN_ARENA` entries, in address order.
    pub pools: Vec<PoolSnapshot>,
}

impl<T: Tunables> Pymalloc<T> {
    /// Arenas in `usable_arenas` order (most used first), then the full arenas.
    pub fn arena_snapshots(&self) -> Vec<ArenaSnapshot> {
        let objs = self.arenas.objs.as_slice();
        let mut order = Vec::new();
        let mut u = self.arenas.usable;
        while u != NONE && order.len() < objs.len() {
            order.push((u, true));
            u = objs[u as usize].nextarena;
        }
        for (i, a) in objs.iter().enumerate() {
            if !a.address.is_null() && a.nfreepools == 0 {
                order.push((i as u32, false));
            }
        }
        order
            .into_iter()
            .map(|(i, usable)| {
                let a = &objs[i as usize];
                let mut pools = Vec::with_capacity(T::MAX_POOLS_IN_ARENA);
                for k in 0..T::MAX_POOLS_IN_ARENA {
                    // SAFETY: k < MAX_POOLS_IN_ARENA keeps the address inside the arena.
                    let p = unsafe { a.address.add(k * T::POOL_SIZE) }.cast::<PoolHeader>();
                    let mut snap = PoolSnapshot {
                        size_class: None,
                        block_size: 0,
                        blocks_in_use: 0,
                        capacity: 0,
                        carved: false,
                    };
                    if p.cast::<u8>() < a.pool_address {
                        snap.carved = true;
                        // SAFETY: a carved pool of a live arena has an initialised header.
                        let (count, szidx) = unsafe { ((*p).count, (*p).szidx) };
                        if count > 0 {
                            snap = PoolSnapshot {
                                size_class: Some(szidx),
                                block_size: index_to_size::<T>(szidx as usize),
                                blocks_in_use: count,
                                capacity: blocks_per_pool::<T>(szidx as usize),
                                carved: true,
                            };
                        }
                    }
                    pools.push(snap);
                }
                ArenaSnapshot {
                    index: i,
                    address: a.address.addr(),
                    nfreepools: a.nfreepools,
                    ntotalpools: a.ntotalpools,
                    usable,
                    pools,
                }
            })
            .collect()
    }

    /// Walk every list and check every invariant. Allocation-free.
    pub fn check_invariants(&self) -> Result<(), InvariantError> {
        let ar = &self.arenas;
        let objs = ar.objs.as_slice();
        let n = objs.len();
        let max_pools = T::MAX_POOLS_IN_ARENA as u32;

        // Unused list ⇔ address null.
        let (mut u, mut steps, mut unused_count) = (ar.unused, 0usize, 0usize);
        while u != NONE {
            steps += 1;
            if steps > n || u as usize >= n {
                return fail(
                    "unused arena list is corrupt (cycle or bad index)",
                    Some(u),
                    0,
                );
            }
            if !objs[u as usize].address.is_null() {
                return fail("arena on the unused list has an address", Some(u), 0);
            }
            unused_count += 1;
            u = objs[u as usize].nextarena;
        }
        let mapped = objs.iter().filter(|a| !a.address.is_null()).count();
        if mapped + unused_count != n {
            return fail("arena slot neither mapped nor on the unused list", None, 0);
        }
        if mapped != ar.current {
            return fail("current arena count differs from mapped arenas", None, 0);
        }

        // usable_arenas: linked, sorted, nfp2lasta = rightmost per count.
        let mut lasts = [NONE; MAX_POOLS_IN_ARENA_LIMIT + 1];
        let (mut u, mut prev, mut steps, mut last_nf) = (ar.usable, NONE, 0usize, 0u32);
        let mut entirely_free = 0;
        while u != NONE {
            steps += 1;
            if steps > n || u as usize >= n {
                return fail("usable_arenas is corrupt (cycle or bad index)", Some(u), 0);
            }
            let a = &objs[u as usize];
            if a.address.is_null() {
                return fail("unmapped arena on usable_arenas", Some(u), 0);
            }
            if a.nfreepools == 0 {
                return fail("arena without free pools on usable_arenas", Some(u), 0);
            }
            if a.prevarena != prev {
                return fail("usable_arenas prevarena does not match", Some(u), 0);
            }
            if a.nfreepools < last_nf {
                return fail("usable_arenas not sorted by nfreepools", Some(u), 0);
            }
            if a.nfreepools == a.ntotalpools {
                entirely_free += 1;
                if a.nextarena != NONE && ar.keep_empty == 0 {
                    return fail(
                        "an entirely free arena is kept but is not the last",
                        Some(u),
                        0,
                    );
                }
            }
            last_nf = a.nfreepools;
            lasts[a.nfreepools as usize] = u;
            prev = u;
            u = a.nextarena;
        }
        if entirely_free > 1 + ar.keep_empty as usize {
            return fail("more than one entirely free arena kept", None, 0);
        }
        if lasts != ar.nfp2lasta {
            return fail(
                "nfp2lasta does not point at the rightmost arena of each count",
                None,
                0,
            );
        }
        let with_free = objs
            .iter()
            .filter(|a| !a.address.is_null() && a.nfreepools > 0)
            .count();
        if with_free != steps {
            return fail(
                "an arena with free pools is missing from usable_arenas",
                None,
                0,
            );
        }

        // Per arena: pools, free lists, freepools.
        let mut total_blocks = 0usize;
        let mut used_pools = 0usize;
        for (i, a) in objs.iter().enumerate() {
            let ai = Some(i as u32);
            if a.address.is_null() {
                continue;
            }
            if ar.map.lookup::<T>(a.address.addr()) != Some(i as u32) {
                return fail("arena map does not record this arena", ai, 0);
            }
            if a.ntotalpools != max_pools {
                return fail("ntotalpools differs from MAX_POOLS_IN_ARENA", ai, 0);
            }
            let span = a.pool_address.addr().wrapping_sub(a.address.addr());
            if span > T::ARENA_SIZE || span % T::POOL_SIZE != 0 {
                return fail("pool_address outside the arena or misaligned", ai, 0);
            }
            let carved = span / T::POOL_SIZE;
            let mut empty = 0usize;
            for k in 0..carved {
                // SAFETY: k < carved keeps the pool inside the arena's carved part.
                let pool = unsafe { a.address.add(k * T::POOL_SIZE) }.cast::<PoolHeader>();
                let pa = pool.addr();
                // SAFETY: carved pools have initialised headers.
                let h = unsafe { &*pool };
                if h.arenaindex != i as u32 {
                    return fail("pool arenaindex does not name its arena", ai, pa);
                }
                if h.count == 0 {
                    empty += 1;
                    continue;
                }
                let idx = h.szidx as usize;
                if idx >= T::NB_SMALL_SIZE_CLASSES {
                    return fail("pool in use with an invalid size class", ai, pa);
                }
                let size = index_to_size::<T>(idx);
                let cap = blocks_per_pool::<T>(idx);
                if h.maxnextoffset as usize != T::POOL_SIZE - size {
                    return fail("maxnextoffset != POOL_SIZE - size", ai, pa);
                }
                let next_off = h.nextoffset as usize;
                let mut len = 0usize;
                let mut b = h.freeblock;
                while !b.is_null() {
                    len += 1;
                    if len > cap {
                        return fail("free list longer than the pool (cycle?)", ai, pa);
                    }
                    let off = b.addr().wrapping_sub(pa);
                    if off < T::POOL_OVERHEAD
                        || off >= next_off
                        || (off - T::POOL_OVERHEAD) % size != 0
                    {
                        return fail("free-list block outside the carved blocks", ai, pa);
                    }
                    // SAFETY: b is a carved block of this pool on its free list.
                    b = unsafe { pool::next_free(b) };
                }
                // SAFETY: live initialised pool.
                let virgin = unsafe { pool::virgin_blocks(pool, size) };
                if h.count + len + virgin != cap {
                    return fail(
                        "count + free list + virgin blocks != blocks per pool",
                        ai,
                        pa,
                    );
                }
                if len == 0 && virgin > 0 {
                    return fail("pool has virgin blocks but an empty free list", ai, pa);
                }
                if len > 0 {
                    used_pools += 1;
                }
                total_blocks += h.count;
            }
            let (mut fp, mut flen) = (a.freepools, 0usize);
            while !fp.is_null() {
                flen += 1;
                let off = fp.addr().wrapping_sub(a.address.addr());
                if flen > carved || off >= span || off % T::POOL_SIZE != 0 {
                    return fail("freepools list is corrupt", ai, fp.addr());
                }
                // SAFETY: fp is a carved pool of this arena (checked above).
                let h = unsafe { &*fp };
                if h.count != 0 {
                    return fail("pool on freepools has allocated blocks", ai, fp.addr());
                }
                fp = h.nextpool;
            }
            if flen != empty {
                return fail("an empty pool is missing from its arena's freepools", ai, 0);
            }
            if a.nfreepools as usize != empty + (T::MAX_POOLS_IN_ARENA - carved) {
                return fail("nfreepools != empty pools + never-carved pools", ai, 0);
            }
        }
        if total_blocks != self.blocks_in_use {
            return fail("blocks_in_use differs from the sum of pool counts", None, 0);
        }

        // usedpools rings: each member a used pool of that class; all used pools covered.
        let mut ring_total = 0usize;
        for idx in 0..MAX_SIZE_CLASSES {
            let head = self.usedpools[idx];
            if head.is_null() {
                continue;
            }
            if idx >= T::NB_SMALL_SIZE_CLASSES {
                return fail("ring head for a class beyond the layout", None, head.addr());
            }
            let mut p = head;
            let mut prev: *mut PoolHeader = std::ptr::null_mut();
            loop {
                ring_total += 1;
                if ring_total > used_pools {
                    return fail(
                        "usedpools ring holds more pools than are in use",
                        None,
                        p.addr(),
                    );
                }
                let Some(pai) = ar.map.lookup::<T>(p.addr()) else {
                    return fail("ring member is not inside an arena", None, p.addr());
                };
                if p.addr() >= objs[pai as usize].pool_address.addr()
                    || !p.addr().is_multiple_of(T::POOL_SIZE)
                {
                    return fail("ring member is not a carved pool", Some(pai), p.addr());
                }
                // SAFETY: p is a carved pool of a live arena (checked just above).
                let h = unsafe { &*p };
                if h.szidx as usize != idx || h.count == 0 || h.freeblock.is_null() {
                    return fail(
                        "ring member is not a used pool of that class",
                        Some(pai),
                        p.addr(),
                    );
                }
                if !prev.is_null() && h.prevpool != prev {
                    return fail("ring next/prev links disagree", Some(pai), p.addr());
                }
                prev = p;
                p = h.nextpool;
                if p == head {
                    // SAFETY: head was verified as a carved pool on the first iteration.
                    if unsafe { (*head).prevpool } != prev {
                        return fail(
                            "ring head's prev is not the last member",
                            Some(pai),
                            p.addr(),
                        );
                    }
                    break;
                }
            }
        }
        if ring_total != used_pools {
            return fail("a used pool is missing from its usedpools ring", None, 0);
        }
        if self.debug_large.len() > self.large_in_use {
            return fail(
                "debug registry holds more large blocks than are live",
                None,
                0,
            );
        }
        Ok(())
    }
}
