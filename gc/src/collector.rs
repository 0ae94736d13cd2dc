//! BOOTSTRAP SKELETON: tracking, counts and configuration work; the collection algorithm is to be
//! written (see issue 4). The public signatures here are the contract the runtime builds against.

use crate::ObjectModel;
use crate::head::{self, GcHead, GcPtr, list};
use std::cell::Cell;
use std::ptr::NonNull;

/// Number of generations (0 = youngest).
pub const NUM_GENERATIONS: usize = 3;

/// Errors of the gc-module API (CPython raises ValueError for these).
#[derive(Debug, thiserror::Error, Clone, PartialEq, Eq)]
pub enum GcError {
    #[error("invalid generation {0}: must be 0, 1 or 2")]
    InvalidGeneration(i64),
}

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

/// List heads: generations 0..3, then the permanent generation.
const PERMANENT: usize = NUM_GENERATIONS;

/// The cycle collector. Interior-mutable: every method takes `&self` and holds no borrow across
/// calls into the [`ObjectModel`], so the model may re-enter it.
pub struct Collector {
    /// Sentinels of the generation rings (boxed: their addresses must not move).
    heads: Box<[GcHead; NUM_GENERATIONS + 1]>,
    counts: [Cell<usize>; NUM_GENERATIONS],
    thresholds: [Cell<usize>; NUM_GENERATIONS],
    full_ratio: Cell<f64>,
    enabled: Cell<bool>,
    collecting: Cell<bool>,
}

impl Collector {
    pub fn new(config: GcConfig) -> Self {
        let heads: Box<[GcHead; NUM_GENERATIONS + 1]> = Box::new(Default::default());
        for h in heads.iter() {
            // SAFETY: the sentinels are boxed and live as long as the collector.
            unsafe { list::init(NonNull::from(h)) };
        }
        Collector {
            heads,
            counts: Default::default(),
            thresholds: config.thresholds.map(Cell::new),
            full_ratio: Cell::new(config.full_collection_ratio),
            enabled: Cell::new(true),
            collecting: Cell::new(false),
        }
    }

    fn gen_head(&self, g: usize) -> GcPtr {
        NonNull::from(&self.heads[g])
    }

    /// Start tracking `op`: append it to generation 0. Does not touch the counts (allocation is
    /// counted by [`Collector::note_allocation`]).
    ///
    /// # Safety
    /// `op` is the head of a live, untracked object that will be untracked before it is freed.
    pub unsafe fn track(&self, op: GcPtr) {
        // SAFETY: op is live and untracked; generation 0's sentinel is live.
        unsafe {
            debug_assert!(!head::head(op).is_tracked(), "track() of a tracked object");
            list::append(op, self.gen_head(0));
        }
    }

    /// Stop tracking `op` (keeps its FINALIZED bit). No-op when untracked.
    ///
    /// # Safety
    /// `op` is the head of a live object.
    pub unsafe fn untrack(&self, op: GcPtr) {
        // SAFETY: op is live; if tracked its neighbours are live (list invariant).
        unsafe {
            let h = head::head(op);
            if h.is_tracked() {
                list::remove(op);
                h.set_next_raw(0);
                h.set_prev_raw(h.prev_raw() & head::PREV_MASK_FINALIZED);
            }
        }
    }

    /// Count the allocation of a GC-capable object and run an automatic collection when
    /// generation 0's count passes its threshold. Call it *before* the new object is tracked.
    pub fn note_allocation<M: ObjectModel>(&self, model: &M) {
        let c = self.counts[0].get() + 1;
        self.counts[0].set(c);
        let t0 = self.thresholds[0].get();
        if c > t0 && t0 != 0 && self.enabled.get() && !self.collecting.get() {
            self.collect_generations(model);
        }
    }

    /// Count the deallocation of a GC-capable object (generation 0's count, clamped at 0).
    pub fn note_deallocation(&self) {
        let c = self.counts[0].get();
        self.counts[0].set(c.saturating_sub(1));
    }

    fn collect_generations<M: ObjectModel>(&self, _model: &M) {
        // TODO(issue 4): pick the oldest generation over its threshold, 25 % rule, collect it.
    }

    /// `gc.collect(generation)`: returns collected + uncollectable.
    pub fn collect<M: ObjectModel>(&self, _model: &M, generation: i64) -> Result<usize, GcError> {
        if !(0..NUM_GENERATIONS as i64).contains(&generation) {
            return Err(GcError::InvalidGeneration(generation));
        }
        // TODO(issue 4): the collection algorithm.
        Ok(0)
    }

    /// `gc.get_count()`.
    pub fn get_count(&self) -> [usize; NUM_GENERATIONS] {
        [
            self.counts[0].get(),
            self.counts[1].get(),
            self.counts[2].get(),
        ]
    }

    /// `gc.isenabled()`.
    pub fn isenabled(&self) -> bool {
        self.enabled.get()
    }
    /// `gc.enable()`.
    pub fn enable(&self) {
        self.enabled.set(true)
    }
    /// `gc.disable()`.
    pub fn disable(&self) {
        self.enabled.set(false)
    }

    /// Number of objects in generation `g` (walks the list), or in the permanent generation for
    /// `g == 3`.
    pub fn generation_len(&self, g: usize) -> usize {
        assert!(g <= PERMANENT);
        // SAFETY: the sentinel is live and the list invariant holds between collections.
        unsafe { list::len(self.gen_head(g)) }
    }

    /// `gc.is_tracked(o)` on a head.
    ///
    /// # Safety
    /// `op` is the head of a live object.
    pub unsafe fn is_tracked(op: GcPtr) -> bool {
        // SAFETY: caller.
        unsafe { head::head(op).is_tracked() }
    }
}
