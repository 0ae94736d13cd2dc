//! Generations: the list sentinels, the counts, the thresholds and the choice of what to collect.
//!
//! ```text
//!   heads[0] young ⇄ [obj] ⇄ [obj] ⇄ ...    count0 = GC allocations − GC deallocations
//!   heads[1]       ⇄ [obj] ⇄ ...            count1 = gen-0 collections since the last gen-1 one
//!   heads[2] old   ⇄ [obj] ⇄ ...            count2 = gen-1 collections since the last gen-2 one
//!   heads[3] permanent (gc.freeze())         never collected, no count
//!   heads[4] nursery                         objects tracked while a collection's reachability
//!                                            phases run; joins generation 0 when they end
//! ```
//!
//! The sentinels live in one heap allocation so their addresses never move while objects point at
//! them. It is held as a raw pointer, not a `Box`: objects' `prev`/`next` words store the
//! sentinels' addresses, and moving a `Box` (into `Generations`, then into `Collector`, ...)
//! asserts unique access to its contents, which invalidates those stored pointers under Rust's
//! aliasing rules (Miri, Stacked Borrows: "no exposed tags have suitable permission").
//!
//! # Choosing a generation (CPython's `gc_collect_generations`)
//! Scan g = 2, 1, 0 and take the *oldest* g with `count[g] > threshold[g]` (strictly). Generation 2
//! has one more gate: it is skipped — and the scan goes on with 1 and 0 — while
//! `long_lived_pending < long_lived_total * ratio` (ratio 0.25 = CPython's `total / 4`).
//! `long_lived_pending` grows by the survivors of every gen-1 collection; a gen-2 collection sets
//! it to 0 and `long_lived_total` to its survivors.
//!
//! When collecting g: `count[g+1] += 1` (g < 2) and `count[0..=g] = 0`, then generations 0..g are
//! merged into g (the "young" list) and survivors go to g + 1 (or stay in 2).
//!
//! Worked example, thresholds (3, 2, 2), 25 % rule, nothing ever dies:
//!
//! ```text
//!  alloc #   counts before → collection         counts after   survivors land in
//!  1..3      (1,0,0)..(3,0,0)  none             (3,0,0)
//!  4         (4,0,0) > 3  → gen 0               (0,1,0)        4 objects → gen 1
//!  5..8      (4,1,0)      → gen 0               (0,2,0)        gen 1 now 8
//!  9..12     (4,2,0)      → gen 0               (0,3,0)
//!  13..16    (4,3,0): 3 > 2 → gen 1             (0,0,1)        pending += 16 → gen 2
//!  ...       count2 > 2 and pending ≥ total/4 → gen 2: pending = 0, total = |gen 2|
//! ```
//!
//! # Invariants
//! - `heads[i]` is a live, well-formed ring between collections; each tracked object is on
//!   exactly one of them or on a list local to the running collection.
//! - The nursery is empty except while a collection's reachability phases run.
//! - Counts never underflow (deallocations are clamped at 0, like `PyObject_GC_Del`).

use crate::head::{GcHead, GcPtr, list};
use std::cell::Cell;
use std::ptr::NonNull;

/// Number of generations (0 = youngest).
pub const NUM_GENERATIONS: usize = 3;

/// Index of the permanent generation's sentinel (after the three generations).
pub(crate) const PERMANENT: usize = NUM_GENERATIONS;

/// Index of the nursery's sentinel: where `track` links new objects while phases 2-4 of a
/// collection walk the generation lists (collector.rs, "Tracking during a collection").
pub(crate) const NURSERY: usize = PERMANENT + 1;

/// Number of list sentinels (generations, permanent, nursery).
pub(crate) const LISTS: usize = NURSERY + 1;

/// Thresholds and the full-collection ratio.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct GcConfig {
    /// (threshold0, threshold1, threshold2). threshold0 = 0 disables automatic collection.
    pub thresholds: [usize; NUM_GENERATIONS],
    /// A full collection runs only when long_lived_pending >= long_lived_total * ratio (0.25).
    pub full_collection_ratio: f64,
}

impl GcConfig {
    /// CPython 3.13 and 3.14.5+: (2000, 10, 10).
    pub const CPYTHON_3_13: GcConfig = GcConfig {
        thresholds: [2000, 10, 10],
        full_collection_ratio: 0.25,
    };
    /// CPython 3.7 to 3.12: (700, 10, 10).
    pub const CPYTHON_3_11: GcConfig = GcConfig {
        thresholds: [700, 10, 10],
        full_collection_ratio: 0.25,
    };
}

impl Default for GcConfig {
    fn default() -> Self {
        GcConfig::CPYTHON_3_13
    }
}

/// The generation lists and their bookkeeping (all interior-mutable).
pub(crate) struct Generations {
    /// Sentinels of generations 0..3, of the permanent generation and of the nursery: from
    /// `Box::leak` in `new`, freed in `Drop` (a raw pointer, not a `Box`: module docs).
    heads: NonNull<[GcHead; LISTS]>,
    pub(crate) counts: [Cell<usize>; NUM_GENERATIONS],
    pub(crate) thresholds: [Cell<usize>; NUM_GENERATIONS],
    pub(crate) full_ratio: Cell<f64>,
    /// Survivors of gen-1 collections since the last full collection.
    pub(crate) long_lived_pending: Cell<usize>,
    /// Survivors of the last full collection.
    pub(crate) long_lived_total: Cell<usize>,
}

impl Generations {
    pub(crate) fn new(config: GcConfig) -> Self {
        let heads: Box<[GcHead; LISTS]> = Box::default();
        let gens = Generations {
            heads: NonNull::from(Box::leak(heads)),
            counts: Default::default(),
            thresholds: config.thresholds.map(Cell::new),
            full_ratio: Cell::new(config.full_collection_ratio),
            long_lived_pending: Cell::new(0),
            long_lived_total: Cell::new(0),
        };
        for g in 0..LISTS {
            // SAFETY: the sentinels live as long as `gens` (freed in Drop).
            unsafe { list::init(gens.head(g)) };
        }
        gens
    }

    /// Sentinel of generation `g` (`PERMANENT` for the permanent generation, `NURSERY`).
    #[inline]
    pub(crate) fn head(&self, g: usize) -> GcPtr {
        assert!(g < LISTS, "no generation {g}");
        // SAFETY: `heads` points to LISTS live sentinels (freed only in Drop) and
        // g is in bounds. Derived from the raw pointer, never from a reference, so every
        // sentinel pointer stored in a list shares one provenance that nothing invalidates.
        unsafe { self.heads.cast::<GcHead>().add(g) }
    }

    /// Does the 25 % rule allow a full collection now?
    #[inline]
    pub(crate) fn full_collection_allowed(&self) -> bool {
        // For ratio 0.25 this is exactly CPython's `pending >= total / 4` (multiplying by a power
        // of two is exact in f64 and the cast floors).
        let limit = (self.long_lived_total.get() as f64 * self.full_ratio.get()) as usize;
        self.long_lived_pending.get() >= limit
    }

    /// The generation an automatic collection should collect, if any.
    pub(crate) fn select(&self) -> Option<usize> {
        (0..NUM_GENERATIONS).rev().find(|&g| {
            self.counts[g].get() > self.thresholds[g].get()
                && (g != NUM_GENERATIONS - 1 || self.full_collection_allowed())
        })
    }

    /// Count updates at the start of collecting `g`.
    pub(crate) fn start(&self, g: usize) {
        if g + 1 < NUM_GENERATIONS {
            self.counts[g + 1].set(self.counts[g + 1].get() + 1);
        }
        for c in &self.counts[..=g] {
            c.set(0);
        }
    }

    /// Merge generations `0..g` into `g`.
    pub(crate) fn merge_younger(&self, g: usize) {
        for i in 0..g {
            // SAFETY: both sentinels are live and their rings well formed (module invariant).
            unsafe { list::merge(self.head(i), self.head(g)) };
        }
    }

    /// Account the survivors of a collection of `g`.
    pub(crate) fn note_survivors(&self, g: usize, survivors: usize) {
        if g == NUM_GENERATIONS - 2 {
            self.long_lived_pending
                .set(self.long_lived_pending.get() + survivors);
        } else if g == NUM_GENERATIONS - 1 {
            self.long_lived_pending.set(0);
            self.long_lived_total.set(survivors);
        }
    }

    /// Number of objects on list `g` (walks it).
    pub(crate) fn len(&self, g: usize) -> usize {
        // SAFETY: the sentinel is live and its ring well formed.
        unsafe { list::len(self.head(g)) }
    }
}

impl Drop for Generations {
    fn drop(&mut self) {
        // SAFETY: `heads` came from Box::leak in `new` and is freed exactly once, here.
        drop(unsafe { Box::from_raw(self.heads.as_ptr()) });
    }
}
