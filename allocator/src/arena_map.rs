//! The arena map: "is this address inside one of our arenas, and which one?" without reading
//! the memory at the address (CPython 3.10+'s radix tree, simplified by exact alignment).
//!
//! Arenas are mapped at `ARENA_SIZE`-aligned addresses, so an arena is identified by the address
//! bits above `ARENA_BITS`. On x86-64/aarch64 Linux user addresses have 48 bits, which leaves a
//! key of `48 − ARENA_BITS` bits (28 for the modern layout), split in two levels:
//!
//! ```text
//!  address:  [ 16 zero bits | root index (14) | leaf index (14) | offset in arena (20) ]
//!  root:  2^14 pointers ──→ leaf: 2^14 × u32 (arena index + 1, 0 = not ours)
//! ```
//!
//! Worked example (modern): an arena at 0x7f12_3450_0000 has key 0x7f12345 = root index 0x1fc4,
//! leaf index 0x2345. A pointer 0x7f12_345a_bcd0 has the same key, so it is in that arena; a
//! pointer to a neighbouring `malloc` block at 0x7f12_3460_0010 has key 0x7f12346, whose leaf slot
//! is 0, so it is foreign. Since arenas are exactly aligned, one slot per arena is enough (CPython
//! needs `tail_hi`/`tail_lo` because its arenas may straddle two slots).
//!
//! The root is zero-initialised System memory allocated with the first arena; until then the map
//! points at a static all-zero root, so lookups need no "is there a root" branch. Leaves are
//! allocated on demand and freed with the map.
//!
//! Invariants: `root` points to `ROOT_LEN` entries (the static zero root until `owned`); a
//! non-null root entry points to a leaf of `LEAF_LEN` u32; leaf slot `k` is `i + 1` iff arena
//! object `i` is currently mapped at the address with key `k`.

use crate::layout::Tunables;
use crate::os;
use std::ptr::NonNull;

/// Maximum root length over all layouts (key bits ≤ 30 → 15 root bits).
const MAX_ROOT_LEN: usize = 1 << 15;
/// Large enough for any layout; never written.
static ZERO_ROOT: [usize; MAX_ROOT_LEN] = [0; MAX_ROOT_LEN];

pub struct ArenaMap {
    root: *const *mut u32,
    owned: bool,
    leaves: usize,
}

// SAFETY: the map exclusively owns its root and leaves (or points to an immutable static).
unsafe impl Send for ArenaMap {}

const ADDR_BITS: u32 = 48;

#[inline(always)]
const fn key_bits<T: Tunables>() -> u32 {
    ADDR_BITS - T::ARENA_BITS
}
#[inline(always)]
const fn leaf_bits<T: Tunables>() -> u32 {
    key_bits::<T>() / 2
}
#[inline(always)]
const fn root_len<T: Tunables>() -> usize {
    1 << (key_bits::<T>() - leaf_bits::<T>())
}
#[inline(always)]
const fn leaf_len<T: Tunables>() -> usize {
    1 << leaf_bits::<T>()
}

impl ArenaMap {
    pub const fn new() -> Self {
        ArenaMap {
            root: ZERO_ROOT.as_ptr().cast(),
            owned: false,
            leaves: 0,
        }
    }

    /// Arena index of the arena containing `addr`, if any.
    #[inline(always)]
    pub fn lookup<T: Tunables>(&self, addr: usize) -> Option<u32> {
        const { assert!(root_len::<T>() <= MAX_ROOT_LEN) };
        let key = addr >> T::ARENA_BITS;
        let hi = key >> leaf_bits::<T>();
        if hi >= root_len::<T>() {
            return None;
        }
        // SAFETY: hi < root_len, and root points to root_len entries (invariant).
        let leaf = unsafe { *self.root.add(hi) };
        if leaf.is_null() {
            return None;
        }
        let lo = key & (leaf_len::<T>() - 1);
        // SAFETY: a non-null root entry points to leaf_len u32 (invariant); lo < leaf_len.
        let v = unsafe { *leaf.add(lo) };
        v.checked_sub(1)
    }

    /// Record (`Some(i)`) or erase (`None`) the arena at `base`. `false` if a node could not be
    /// allocated (only possible when recording).
    pub fn set<T: Tunables>(&mut self, base: usize, arena: Option<u32>) -> bool {
        debug_assert_eq!(base & T::ARENA_SIZE_MASK, 0);
        let key = base >> T::ARENA_BITS;
        let hi = key >> leaf_bits::<T>();
        assert!(hi < root_len::<T>(), "arena address beyond the 48-bit map");
        if !self.owned {
            if arena.is_none() {
                return true;
            }
            let Some(r) = os::sys_zeroed::<*mut u32>(root_len::<T>()) else {
                return false;
            };
            self.root = r.as_ptr();
            self.owned = true;
        }
        let root = self.root.cast_mut();
        // SAFETY: the root is owned (allocated above or earlier) with root_len entries; hi is in
        // range; leaves are leaf_len long.
        unsafe {
            let mut leaf = *root.add(hi);
            if leaf.is_null() {
                if arena.is_none() {
                    return true;
                }
                let Some(l) = os::sys_zeroed::<u32>(leaf_len::<T>()) else {
                    return false;
                };
                leaf = l.as_ptr();
                *root.add(hi) = leaf;
                self.leaves += 1;
            }
            let lo = key & (leaf_len::<T>() - 1);
            *leaf.add(lo) = arena.map_or(0, |i| i + 1);
        }
        true
    }

    /// Number of leaf nodes allocated.
    pub fn leaf_count(&self) -> usize {
        self.leaves
    }

    /// Bytes held by the root (0 while the static zero root is in use) and by the leaves.
    pub fn bytes<T: Tunables>(&self) -> (usize, usize) {
        let root = if self.owned {
            root_len::<T>() * size_of::<usize>()
        } else {
            0
        };
        (root, self.leaves * leaf_len::<T>() * 4)
    }

    /// Release all nodes. Must be called (with the right layout) before the map is dropped.
    pub fn release<T: Tunables>(&mut self) {
        if !self.owned {
            return;
        }
        let root = self.root.cast_mut();
        // SAFETY: root is owned with root_len entries; each non-null entry is a leaf from
        // sys_zeroed(leaf_len); nothing uses them after this.
        unsafe {
            for i in 0..root_len::<T>() {
                let leaf = *root.add(i);
                if let Some(l) = NonNull::new(leaf) {
                    os::sys_free(l, leaf_len::<T>());
                }
            }
            os::sys_free(NonNull::new_unchecked(root), root_len::<T>());
        }
        *self = ArenaMap::new();
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{Classic, Modern};

    #[test]
    fn set_lookup_erase() {
        let mut m = ArenaMap::new();
        let base = 0x7f12_3450_0000usize;
        assert_eq!(m.lookup::<Modern>(base + 5), None);
        assert!(m.set::<Modern>(base, Some(7)));
        assert_eq!(m.lookup::<Modern>(base), Some(7));
        assert_eq!(m.lookup::<Modern>(0x7f12_345a_bcd0), Some(7));
        assert_eq!(m.lookup::<Modern>(base + (1 << 20)), None);
        assert_eq!(m.lookup::<Modern>(base - 1), None);
        assert_eq!(m.lookup::<Modern>(usize::MAX), None);
        assert!(m.set::<Modern>(base, None));
        assert_eq!(m.lookup::<Modern>(base), None);
        assert_eq!(m.leaf_count(), 1);
        m.release::<Modern>();

        let mut c = ArenaMap::new();
        assert!(c.set::<Classic>(0x5555_0004_0000, Some(0)));
        assert_eq!(c.lookup::<Classic>(0x5555_0007_ffff), Some(0));
        assert_eq!(c.lookup::<Classic>(0x5555_0008_0000), None);
        c.release::<Classic>();
    }
}
