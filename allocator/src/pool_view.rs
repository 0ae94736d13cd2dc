//! One pool read field by field, for the pool drill-down (`pyheap map --pool A:P`):
//! [`Pymalloc::pool_view`].
//!
//! ```text
//!  arena A, pool P  (address = arena base + P·POOL_SIZE)
//!  ┌ header ─────────────────────────────────────┬ blk 0 ┬ blk 1 ┬ blk 2 ┬ blk 3 ┬ … ┬ blk n-1 ┐
//!  │ count=2 freeblock=→blk 1 szidx nextoffset…  │ used  │ free①│ used  │ free②│   │ virgin  │
//!  └──────────────────────┬──────────────────────┴───────┴───▲───┴───────┴───▲───┴───┴─────────┘
//!                         └── freeblock ─────────────────────┘ ── next ──────┘      ▲
//!                                                          nextoffset: first virgin ┘
//! ```
//!
//! Every block of an initialised pool is in exactly one of three states, and the pool header
//! says which without reading any block that is in use:
//! - **on the free list**: reachable from `freeblock` through the first word of each free block
//!   (the order of the list is the order the next allocations will take them: last freed first);
//! - **never carved** (virgin): at an offset `≥ nextoffset`: `extend` carves them one at a time
//!   only when the free list runs dry;
//! - **in use**: every other block below `nextoffset`.
//!
//! So `count + |free list| + virgin = blocks per pool` (the invariant `check_invariants`
//! verifies). An empty pool (count 0) on its arena's `freepools` list keeps its size class and
//! its free list, which is reused as is when the same class takes the pool again; a pool carved
//! but never initialised has `szidx = DUMMY_SIZE_IDX` and no blocks yet; a pool above the
//! arena's `pool_address` was never carved and has no header at all.
//!
//! Cost: O(blocks in the pool + pools on the class's `usedpools` ring). Reads only headers and
//! the first word of free blocks; allocates the returned vectors.

use crate::layout::{DUMMY_SIZE_IDX, Tunables};
use crate::pool::{self, PoolHeader};
use crate::pymalloc::Pymalloc;
use crate::size_class::{blocks_per_pool, index_to_size};
use serde::Serialize;

/// The state of one block of a pool.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum BlockState {
    /// Handed out and not freed.
    InUse,
    /// On the pool's free list, at this position (0 = `freeblock`, the next one handed out).
    Free(usize),
    /// Above `nextoffset`: never carved.
    Virgin,
}

/// Which list a pool sits on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum PoolList {
    /// On the `usedpools[szidx]` ring, at this position (0 = the ring's head, where the next
    /// allocation of the class comes from), of a ring of `len` pools.
    UsedRing {
        /// Position from the ring head.
        position: usize,
        /// Pools on the ring.
        len: usize,
    },
    /// On no list: every block is in use (a free into it links it at the ring's front).
    Full,
    /// On its arena's `freepools` list, at this position (0 = the next pool taken).
    FreePools {
        /// Position from the list head.
        position: usize,
    },
    /// Above the arena's `pool_address`: never carved, no header.
    NeverCarved,
}

/// One pool, header and blocks.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PoolView {
    /// The arena's index in the arena table.
    pub arena: u32,
    /// The pool's position in its arena (0 = lowest address).
    pub pool: usize,
    /// Address of the pool (its header).
    pub address: usize,
    /// Which list the pool is on.
    pub list: PoolList,
    /// `count`: blocks in use (0 when never carved).
    pub count: usize,
    /// `szidx`: `None` when never carved or carved but never initialised (`DUMMY_SIZE_IDX`).
    pub szidx: Option<u32>,
    /// Block size of `szidx` (0 when `szidx` is `None`).
    pub block_size: usize,
    /// `nextoffset` (0 when `szidx` is `None`).
    pub nextoffset: usize,
    /// `maxnextoffset` (0 when `szidx` is `None`).
    pub maxnextoffset: usize,
    /// Bytes of the header before block 0 (`POOL_OVERHEAD`).
    pub overhead: usize,
    /// The free list in list order, as block numbers (block k is at `overhead + k·size`).
    pub free_list: Vec<usize>,
    /// Every block's state, in address order (empty when `szidx` is `None`).
    pub blocks: Vec<BlockState>,
}

impl<T: Tunables> Pymalloc<T> {
    /// Pool `pool` of arena `arena` (the index shown in [`Pymalloc::arena_snapshots`]), or
    /// `None` when there is no such arena (never mapped or returned to the OS) or pool.
    pub fn pool_view(&self, arena: u32, pool: usize) -> Option<PoolView> {
        let objs = self.arenas.objs.as_slice();
        let a = objs.get(arena as usize)?;
        if a.address.is_null() || pool >= T::MAX_POOLS_IN_ARENA {
            return None;
        }
        // SAFETY: pool < MAX_POOLS_IN_ARENA keeps the address inside the arena.
        let p = unsafe { a.address.add(pool * T::POOL_SIZE) }.cast::<PoolHeader>();
        let mut v = PoolView {
            arena,
            pool,
            address: p.addr(),
            list: PoolList::NeverCarved,
            count: 0,
            szidx: None,
            block_size: 0,
            nextoffset: 0,
            maxnextoffset: 0,
            overhead: T::POOL_OVERHEAD,
            free_list: Vec::new(),
            blocks: Vec::new(),
        };
        if p.cast::<u8>() >= a.pool_address {
            return Some(v);
        }
        // SAFETY: a carved pool of a live arena has an initialised header.
        let h = unsafe { &*p };
        v.count = h.count;
        if h.count == 0 {
            let mut fp = a.freepools;
            let mut k = 0;
            while !fp.is_null() && k < T::MAX_POOLS_IN_ARENA {
                if fp == p {
                    v.list = PoolList::FreePools { position: k };
                    break;
                }
                // SAFETY: pools on freepools are carved pools of this arena.
                fp = unsafe { (*fp).nextpool };
                k += 1;
            }
        }
        let idx = h.szidx;
        if idx == DUMMY_SIZE_IDX || idx as usize >= T::NB_SMALL_SIZE_CLASSES {
            return Some(v);
        }
        let size = index_to_size::<T>(idx as usize);
        let cap = blocks_per_pool::<T>(idx as usize);
        v.szidx = Some(idx);
        v.block_size = size;
        v.nextoffset = h.nextoffset as usize;
        v.maxnextoffset = h.maxnextoffset as usize;
        let mut blocks: Vec<BlockState> = (0..cap)
            .map(|k| {
                if T::POOL_OVERHEAD + k * size >= v.nextoffset {
                    BlockState::Virgin
                } else {
                    BlockState::InUse
                }
            })
            .collect();
        let mut b = h.freeblock;
        while !b.is_null() && v.free_list.len() < cap {
            let off = b.addr().wrapping_sub(p.addr());
            if off < T::POOL_OVERHEAD || (off - T::POOL_OVERHEAD) % size != 0 {
                break;
            }
            let k = (off - T::POOL_OVERHEAD) / size;
            if k >= cap {
                break;
            }
            blocks[k] = BlockState::Free(v.free_list.len());
            v.free_list.push(k);
            // SAFETY: b is a carved block of this pool on its free list.
            b = unsafe { pool::next_free(b) };
        }
        v.blocks = blocks;
        if h.count > 0 {
            v.list = PoolList::Full;
            let head = self.usedpools[idx as usize];
            let mut r = head;
            let mut k = 0;
            let mut found = None;
            while !r.is_null() {
                if r == p {
                    found = Some(k);
                }
                k += 1;
                // SAFETY: ring members are live used pools.
                r = unsafe { (*r).nextpool };
                if r == head || k > objs.len() * T::MAX_POOLS_IN_ARENA {
                    break;
                }
            }
            if let Some(position) = found {
                v.list = PoolList::UsedRing { position, len: k };
            }
        }
        Some(v)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Modern;

    #[test]
    fn three_block_states_and_the_free_list_order() {
        let mut heap: Pymalloc<Modern> = Pymalloc::new();
        let b: Vec<_> = (0..4).map(|_| heap.alloc(64)).collect();
        // SAFETY: each block came from heap.alloc and is freed once.
        unsafe {
            heap.free(b[1]);
            heap.free(b[3]);
        }
        let snap = heap.arena_snapshots();
        let arena = snap[0].index;
        let v = heap.pool_view(arena, 0).expect("pool 0 exists");
        assert_eq!(v.count, 2);
        assert_eq!(v.block_size, 64);
        // Last freed first: block 3, then block 1, then the one carved ahead (block 4).
        assert_eq!(v.free_list, vec![3, 1, 4]);
        assert_eq!(v.blocks[0], BlockState::InUse);
        assert_eq!(v.blocks[3], BlockState::Free(0));
        assert_eq!(v.blocks[5], BlockState::Virgin);
        assert_eq!(v.nextoffset, Modern::POOL_OVERHEAD + 5 * 64);
        assert_eq!(
            v.list,
            PoolList::UsedRing {
                position: 0,
                len: 1
            }
        );
        let in_use = v.blocks.iter().filter(|s| **s == BlockState::InUse).count();
        let virgin = v
            .blocks
            .iter()
            .filter(|s| **s == BlockState::Virgin)
            .count();
        assert_eq!(in_use + v.free_list.len() + virgin, v.blocks.len());
        assert_eq!(in_use, v.count);
        assert_eq!(
            heap.pool_view(arena, 1).map(|v| v.list),
            Some(PoolList::NeverCarved)
        );
        assert!(heap.pool_view(arena, Modern::MAX_POOLS_IN_ARENA).is_none());
        assert!(heap.pool_view(arena + 1, 0).is_none());
        // SAFETY: still allocated, freed once.
        unsafe {
            heap.free(b[0]);
            heap.free(b[2]);
        }
        let v = heap.pool_view(arena, 0).expect("pool 0 exists");
        assert_eq!(v.count, 0);
        assert_eq!(v.list, PoolList::FreePools { position: 0 });
    }
}
