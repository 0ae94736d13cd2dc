//! Statistics: a plain-data [`Stats`] snapshot, rendered as CPython's `sys._debugmallocstats()`
//! text ([`Stats::to_text`]) or as JSON ([`Stats::to_json`]).
//!
//! Accounting (same as CPython's `_PyObject_DebugMallocStats`): every byte of every arena is in
//! exactly one of these buckets, so their sum ("Total") equals `arenas × ARENA_SIZE`:
//!
//! ```text
//!  allocated blocks      Σ blocks in use × block size
//!  available blocks      Σ (blocks per pool − in use) × block size, over pools in use
//!                        (free-list blocks and never-carved "virgin" blocks alike)
//!  unused pools          Σ arena.nfreepools × POOL_SIZE (empty pools + never-carved pools)
//!  pool headers          pools in use × POOL_OVERHEAD
//!  quantization          pools in use × ((POOL_SIZE − POOL_OVERHEAD) mod block size)
//!  arena alignment       0 here: arenas are mapped exactly aligned (CPython loses a pool when
//!                        mmap's result is not pool-aligned)
//! ```
//!
//! Collection is split in two so that the thread-safe global adapter can gather the numbers
//! under its lock without allocating ([`RawCounts`], fixed-size arrays), then build the `Stats`
//! (which owns a `Vec`) after releasing the lock.

use crate::layout::{MAX_SIZE_CLASSES, SMALL_REQUEST_THRESHOLD, Tunables};
use crate::pymalloc::Pymalloc;
use crate::size_class::{blocks_per_pool, index_to_size, quantization_per_pool};
use serde::Serialize;
use std::fmt::Write as _;

/// One row of the size-class table.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct ClassStats {
    /// Size class index.
    pub class: usize,
    /// Block size of the class, in bytes.
    pub size: usize,
    /// Pools carved for the class.
    pub pools: usize,
    /// Blocks of the class handed out.
    pub blocks_in_use: usize,
    /// Blocks free in those pools.
    pub avail_blocks: usize,
}

/// A snapshot of the allocator's state.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Stats {
    /// `"modern"` or `"classic"` (the `Tunables`).
    pub layout: String,
    /// Block alignment, in bytes.
    pub alignment: usize,
    /// Largest request served from pools, in bytes.
    pub small_request_threshold: usize,
    /// Number of size classes.
    pub size_classes: usize,
    /// Pool size, in bytes.
    pub pool_size: usize,
    /// Bytes of the pool header.
    pub pool_overhead: usize,
    /// Arena size, in bytes.
    pub arena_size: usize,
    /// Rows for the classes that have at least one pool in use (as CPython prints them).
    pub classes: Vec<ClassStats>,
    /// Arenas ever mapped.
    pub arenas_allocated_total: usize,
    /// Arenas returned to the OS.
    pub arenas_reclaimed: usize,
    /// Most arenas mapped at one time.
    pub arenas_highwater: usize,
    /// Arenas mapped now.
    pub arenas_current: usize,
    /// Bytes of the mapped arenas.
    pub bytes_in_arenas: usize,
    /// Bytes in blocks handed out.
    pub bytes_in_allocated_blocks: usize,
    /// Bytes in free blocks of used pools.
    pub bytes_in_available_blocks: usize,
    /// Empty pools kept in arenas.
    pub unused_pools: usize,
    /// Bytes of those empty pools.
    pub bytes_in_unused_pools: usize,
    /// Bytes taken by pool headers.
    pub bytes_lost_to_pool_headers: usize,
    /// Bytes at the end of pools too small for one more block.
    pub bytes_lost_to_quantization: usize,
    /// Bytes of arenas not usable as pools (alignment).
    pub bytes_lost_to_arena_alignment: usize,
    /// Sum of the six buckets above; equals `bytes_in_arenas`.
    pub total: usize,
    /// Leaf nodes of the arena map (the radix tree from address to arena).
    pub arena_map_leaf_nodes: usize,
    /// Bytes of the arena map's root node.
    pub bytes_lost_to_arena_map_root: usize,
    /// Bytes of the arena map's leaf nodes.
    pub bytes_lost_to_arena_map_leaves: usize,
    /// Small blocks handed out, all classes.
    pub blocks_in_use: usize,
    /// Requests above the small threshold, served by the system allocator and live.
    pub large_blocks_in_use: usize,
    /// Bytes of those large blocks.
    pub large_bytes_in_use: usize,
}

/// Allocation-free tallies (see the module comment).
#[derive(Clone, Copy)]
pub struct RawCounts {
    layout: &'static str,
    alignment: usize,
    size_classes: usize,
    pool_size: usize,
    pool_overhead: usize,
    arena_size: usize,
    numpools: [usize; MAX_SIZE_CLASSES],
    numblocks: [usize; MAX_SIZE_CLASSES],
    numfree: [usize; MAX_SIZE_CLASSES],
    sizes: [usize; MAX_SIZE_CLASSES],
    quant: [usize; MAX_SIZE_CLASSES],
    narenas: usize,
    unused_pools: usize,
    allocated_total: usize,
    highwater: usize,
    map_leaves: usize,
    map_root_bytes: usize,
    map_leaf_bytes: usize,
    blocks_in_use: usize,
    large_in_use: usize,
    large_bytes: usize,
}

impl<T: Tunables> Pymalloc<T> {
    /// Tally the state without allocating.
    pub fn raw_counts(&self) -> RawCounts {
        let mut r = RawCounts {
            layout: T::NAME,
            alignment: T::ALIGNMENT,
            size_classes: T::NB_SMALL_SIZE_CLASSES,
            pool_size: T::POOL_SIZE,
            pool_overhead: T::POOL_OVERHEAD,
            arena_size: T::ARENA_SIZE,
            numpools: [0; MAX_SIZE_CLASSES],
            numblocks: [0; MAX_SIZE_CLASSES],
            numfree: [0; MAX_SIZE_CLASSES],
            sizes: [0; MAX_SIZE_CLASSES],
            quant: [0; MAX_SIZE_CLASSES],
            narenas: 0,
            unused_pools: 0,
            allocated_total: self.arenas.allocated_total,
            highwater: self.arenas.highwater,
            map_leaves: self.arenas.map.leaf_count(),
            map_root_bytes: self.arenas.map.bytes::<T>().0,
            map_leaf_bytes: self.arenas.map.bytes::<T>().1,
            blocks_in_use: self.blocks_in_use,
            large_in_use: self.large_in_use,
            large_bytes: self.large_bytes,
        };
        for i in 0..T::NB_SMALL_SIZE_CLASSES {
            r.sizes[i] = index_to_size::<T>(i);
            r.quant[i] = quantization_per_pool::<T>(i);
        }
        for a in self.arenas.objs.as_slice() {
            if a.address.is_null() {
                continue;
            }
            r.narenas += 1;
            r.unused_pools += a.nfreepools as usize;
            let mut p = a.address;
            while p < a.pool_address {
                let pool = p.cast::<crate::pool::PoolHeader>();
                // SAFETY: pools below pool_address in a live arena are carved, with initialised
                // headers.
                let (count, szidx) = unsafe { ((*pool).count, (*pool).szidx as usize) };
                if count != 0 {
                    r.numpools[szidx] += 1;
                    r.numblocks[szidx] += count;
                    r.numfree[szidx] += blocks_per_pool::<T>(szidx) - count;
                }
                // SAFETY: stays within (or one past) the arena mapping.
                p = unsafe { p.add(T::POOL_SIZE) };
            }
        }
        r
    }

    /// A statistics snapshot (allocates the result).
    pub fn stats(&self) -> Stats {
        Stats::from_raw(&self.raw_counts())
    }
}

impl Stats {
    /// The statistics of one walk's raw counts.
    pub fn from_raw(r: &RawCounts) -> Stats {
        let mut s = Stats {
            layout: r.layout.to_string(),
            alignment: r.alignment,
            small_request_threshold: SMALL_REQUEST_THRESHOLD,
            size_classes: r.size_classes,
            pool_size: r.pool_size,
            pool_overhead: r.pool_overhead,
            arena_size: r.arena_size,
            classes: Vec::new(),
            arenas_allocated_total: r.allocated_total,
            arenas_reclaimed: r.allocated_total - r.narenas,
            arenas_highwater: r.highwater,
            arenas_current: r.narenas,
            bytes_in_arenas: r.narenas * r.arena_size,
            bytes_in_allocated_blocks: 0,
            bytes_in_available_blocks: 0,
            unused_pools: r.unused_pools,
            bytes_in_unused_pools: r.unused_pools * r.pool_size,
            bytes_lost_to_pool_headers: 0,
            bytes_lost_to_quantization: 0,
            bytes_lost_to_arena_alignment: 0,
            total: 0,
            arena_map_leaf_nodes: r.map_leaves,
            bytes_lost_to_arena_map_root: r.map_root_bytes,
            bytes_lost_to_arena_map_leaves: r.map_leaf_bytes,
            blocks_in_use: r.blocks_in_use,
            large_blocks_in_use: r.large_in_use,
            large_bytes_in_use: r.large_bytes,
        };
        for i in 0..r.size_classes {
            let (p, b, f, size) = (r.numpools[i], r.numblocks[i], r.numfree[i], r.sizes[i]);
            if p == 0 {
                continue;
            }
            s.classes.push(ClassStats {
                class: i,
                size,
                pools: p,
                blocks_in_use: b,
                avail_blocks: f,
            });
            s.bytes_in_allocated_blocks += b * size;
            s.bytes_in_available_blocks += f * size;
            s.bytes_lost_to_pool_headers += p * r.pool_overhead;
            s.bytes_lost_to_quantization += p * r.quant[i];
        }
        s.total = s.bytes_in_allocated_blocks
            + s.bytes_in_available_blocks
            + s.bytes_in_unused_pools
            + s.bytes_lost_to_pool_headers
            + s.bytes_lost_to_quantization
            + s.bytes_lost_to_arena_alignment;
        s
    }

    /// The `sys._debugmallocstats()` text (the pymalloc part, plus our arena map and a
    /// pyheap-specific line pair for large blocks at the end).
    pub fn to_text(&self) -> String {
        let mut o = String::new();
        let _ = writeln!(
            o,
            "Small block threshold = {}, in {} size classes.\n",
            self.small_request_threshold, self.size_classes
        );
        o.push_str("class   size   num pools   blocks in use  avail blocks\n");
        o.push_str("-----   ----   ---------   -------------  ------------\n");
        for c in &self.classes {
            let _ = writeln!(
                o,
                "{:5} {:6} {:11} {:15} {:13}",
                c.class, c.size, c.pools, c.blocks_in_use, c.avail_blocks
            );
        }
        o.push('\n');
        printone(
            &mut o,
            "# arenas allocated total",
            self.arenas_allocated_total,
        );
        printone(&mut o, "# arenas reclaimed", self.arenas_reclaimed);
        printone(&mut o, "# arenas highwater mark", self.arenas_highwater);
        printone(&mut o, "# arenas allocated current", self.arenas_current);
        printone(
            &mut o,
            &format!(
                "{} arenas * {} bytes/arena",
                self.arenas_current, self.arena_size
            ),
            self.bytes_in_arenas,
        );
        o.push('\n');
        printone(
            &mut o,
            "# bytes in allocated blocks",
            self.bytes_in_allocated_blocks,
        );
        printone(
            &mut o,
            "# bytes in available blocks",
            self.bytes_in_available_blocks,
        );
        printone(
            &mut o,
            &format!(
                "{} unused pools * {} bytes",
                self.unused_pools, self.pool_size
            ),
            self.bytes_in_unused_pools,
        );
        printone(
            &mut o,
            "# bytes lost to pool headers",
            self.bytes_lost_to_pool_headers,
        );
        printone(
            &mut o,
            "# bytes lost to quantization",
            self.bytes_lost_to_quantization,
        );
        printone(
            &mut o,
            "# bytes lost to arena alignment",
            self.bytes_lost_to_arena_alignment,
        );
        printone(&mut o, "Total", self.total);
        o.push('\n');
        o.push_str("arena map counts\n");
        printone(&mut o, "# arena map leaf nodes", self.arena_map_leaf_nodes);
        o.push('\n');
        printone(
            &mut o,
            "# bytes lost to arena map root",
            self.bytes_lost_to_arena_map_root,
        );
        printone(
            &mut o,
            "# bytes lost to arena map leaves",
            self.bytes_lost_to_arena_map_leaves,
        );
        printone(
            &mut o,
            "Total",
            self.bytes_lost_to_arena_map_root + self.bytes_lost_to_arena_map_leaves,
        );
        o.push('\n');
        printone(
            &mut o,
            "# large blocks (system allocator)",
            self.large_blocks_in_use,
        );
        printone(&mut o, "# bytes in large blocks", self.large_bytes_in_use);
        o
    }

    /// One-line JSON object.
    pub fn to_json(&self) -> String {
        serde_json::to_string(self).expect("Stats serialises")
    }
}

/// CPython's `printone`: label padded to 35 columns, `=`, value right-aligned in 21 columns with
/// thousands separators.
pub fn printone(out: &mut String, label: &str, value: usize) {
    let _ = writeln!(out, "{label:<35}={:>21}", with_commas(value));
}

/// `1234567` → `"1,234,567"`.
pub fn with_commas(v: usize) -> String {
    let digits = v.to_string();
    let mut s = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, ch) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            s.push(',');
        }
        s.push(ch);
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn commas() {
        assert_eq!(with_commas(0), "0");
        assert_eq!(with_commas(999), "999");
        assert_eq!(with_commas(1000), "1,000");
        assert_eq!(with_commas(46137344), "46,137,344");
    }

    #[test]
    fn printone_matches_cpython_lines() {
        // Lines copied from /work/shared/cpython/debugmallocstats-3.11.txt.
        let mut o = String::new();
        printone(&mut o, "# arenas allocated total", 44);
        printone(&mut o, "44 arenas * 1048576 bytes/arena", 46_137_344);
        printone(&mut o, "Total", 46_137_344);
        assert_eq!(
            o,
            "# arenas allocated total           =                   44\n\
             44 arenas * 1048576 bytes/arena    =           46,137,344\n\
             Total                              =           46,137,344\n"
        );
    }
}
