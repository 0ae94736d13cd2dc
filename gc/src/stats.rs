//! Per-generation statistics (`gc.get_stats()`), extended with time and candidates.
//!
//! ```text
//!   generation │ collections │ collected │ uncollectable │ candidates │ duration
//!   0          │  +1 per run │ +m        │ +n            │ +|young|   │ +elapsed
//! ```
//!
//! `collected` (m) counts the objects freed by the collection: the final unreachable set plus
//! weakrefs freed after their callbacks, as CPython counts them. `uncollectable` (n) counts the
//! objects set aside because of legacy finalizers. `candidates` is the number of objects examined
//! (generations 0..=g at the start of the collection).
//!
//! # Invariants
//! - Updated once per collection, at its end, before the `Stop` callbacks run.

use crate::collect::Outcome;
use crate::generation::NUM_GENERATIONS;
use std::cell::Cell;
use std::time::Duration;

/// Statistics of one generation since the collector was created.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct GenerationStats {
    /// Number of collections of this generation.
    pub collections: usize,
    /// Objects collected (freed) by those collections.
    pub collected: usize,
    /// Objects found uncollectable (legacy finalizers and what they reach).
    pub uncollectable: usize,
    /// Objects examined (sum over the collections).
    pub candidates: usize,
    /// Total time spent in those collections (callbacks excluded).
    pub duration: Duration,
}

#[derive(Default)]
pub(crate) struct Stats {
    pub(crate) per_gen: [Cell<GenerationStats>; NUM_GENERATIONS],
    /// Collections aborted because a traverse over-reported references.
    pub(crate) refcount_errors: Cell<usize>,
}

impl Stats {
    pub(crate) fn record(&self, g: usize, out: &Outcome) {
        let mut s = self.per_gen[g].get();
        s.collections += 1;
        s.collected += out.collected;
        s.uncollectable += out.uncollectable;
        s.candidates += out.candidates;
        s.duration += out.duration;
        self.per_gen[g].set(s);
    }

    pub(crate) fn get(&self) -> [GenerationStats; NUM_GENERATIONS] {
        [
            self.per_gen[0].get(),
            self.per_gen[1].get(),
            self.per_gen[2].get(),
        ]
    }
}
