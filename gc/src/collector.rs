//! The `Collector`: tracking, allocation counting, and running collections with callbacks.
//!
//! ```text
//!   runtime                                   Collector
//!   alloc GC object ── note_allocation(m) ──▶ count0 += 1; past threshold0 → collect_generations
//!                   ── track(op) ──────────▶ append to generation 0
//!   dealloc         ── untrack(op) ────────▶ unlink (keeps FINALIZED)
//!                   ── note_deallocation() ▶ count0 -= 1 (clamped)
//!   gc.collect(g)   ── collect(m, g) ──────▶ callbacks Start → collect_main → callbacks Stop
//! ```
//!
//! Everything is interior-mutable (`Cell`s; `RefCell`s borrowed only for a moment), so the model
//! may re-enter the collector from any call it receives: track, untrack, note_* during a
//! collection are fine, and `collect` during a collection returns `Ok(0)` (CPython's
//! `collecting` flag).
//!
//! # Tracking during a collection
//! Phases 2-4 (and the second reachability pass of phase 9) keep gc_refs in the `prev` words of
//! the lists they walk, which are singly linked meanwhile. A model whose `traverse` runs user
//! code can still reach the collector then (a user type holding its heap allocates a container).
//! What each call does while such a pass runs (`busy > 0`):
//!
//! ```text
//!   track(op)         linked into the nursery, not generation 0 (which may be the list being
//!                     walked); the nursery joins generation 0 when the pass ends
//!   untrack(op)       would unlink a head whose neighbours hold gc_refs: the process aborts
//!                     with a message (the model must defer deallocation, contract point 2)
//!   collect(g)        Ok(0), as during any collection; automatic collections do not start
//!   freeze/unfreeze   refused (no-op): they would splice the lists being walked
//! ```
//!
//! # Invariants
//! - `collecting` is true exactly while a collection (including its callbacks) runs.
//! - `busy` counts the open [`Reachability`] scopes; `track_to` is the nursery while it is
//!   non-zero and generation 0 otherwise.
//! - Between collections every tracked object is on exactly one generation ring (or the
//!   permanent one), with only FINALIZED possibly set in `prev`; the nursery is empty.

use crate::ObjectModel;
use crate::debug::Debug;
use crate::generation::{Generations, LISTS, NURSERY};
use crate::head::{self, GcPtr, list};
use crate::stats::Stats;
use std::cell::{Cell, RefCell};
use std::ptr::NonNull;
use std::rc::Rc;
use std::time::Duration;

pub use crate::debug::{
    DEBUG_COLLECTABLE, DEBUG_LEAK, DEBUG_SAVEALL, DEBUG_STATS, DEBUG_UNCOLLECTABLE, DebugCapture,
};
pub use crate::generation::{GcConfig, NUM_GENERATIONS};
pub use crate::stats::GenerationStats;

/// Errors of the gc-module API (CPython raises ValueError for the argument errors).
#[derive(Debug, thiserror::Error, Clone, PartialEq, Eq)]
pub enum GcError {
    /// A generation outside 0..=2.
    #[error("invalid generation {0}: must be 0, 1 or 2")]
    InvalidGeneration(i64),
    /// A traverse reported more references to an object than its refcount; the collection was
    /// aborted (every candidate kept alive). The objects are named as the debug output names
    /// them (`<type 0xaddress>`): they may be freed by the time the error is read.
    #[error(
        "gc: refcount is too small: {object} is visited by traverse more often than its refcount \
         allows (edge from {referrer}); collection of generation {generation} aborted, all \
         candidates kept"
    )]
    RefcountTooSmall {
        /// The over-reported object.
        object: String,
        /// The object whose traverse reported the edge that went below zero.
        referrer: String,
        /// The generation whose collection was aborted.
        generation: usize,
    },
    /// `collect` on a collector that was never bound to its model ([`Collector::bind`]).
    #[error("the collector is not bound to an object model")]
    NotBound,
}

/// A broken list invariant found by [`Collector::check_invariants`]: which one, in which
/// generation (3 = the permanent one), at which object head (`at`, its address).
#[derive(Debug, thiserror::Error, Clone, PartialEq, Eq)]
pub enum GcInvariantError {
    /// The walk was asked for while a collection runs (the lists are in flux then).
    #[error("gc lists checked during a collection")]
    DuringCollection,
    /// Objects wait on the nursery outside a collection's reachability phases.
    #[error("the nursery is not empty between collections")]
    NurseryNotEmpty,
    /// A generation's sentinel has its `next` link tagged.
    #[error("generation {generation}: the sentinel's next link is tagged")]
    SentinelTagged {
        /// The generation.
        generation: usize,
    },
    /// An object still carries the UNREACHABLE tag of a collection.
    #[error("generation {generation}: object head {at:#x} is tagged UNREACHABLE")]
    TaggedUnreachable {
        /// The generation.
        generation: usize,
        /// Address of the object's gc head.
        at: usize,
    },
    /// An object still has the COLLECTING flag of a collection.
    #[error("generation {generation}: object head {at:#x} has COLLECTING set")]
    Collecting {
        /// The generation.
        generation: usize,
        /// Address of the object's gc head.
        at: usize,
    },
    /// `next.prev != self`: the doubly linked ring is broken before this object.
    #[error("generation {generation}: object head {at:#x} has a wrong prev link")]
    WrongPrev {
        /// The generation.
        generation: usize,
        /// Address of the object's gc head.
        at: usize,
    },
    /// The sentinel's `prev` is not the ring's last object.
    #[error("generation {generation}: the sentinel's prev link is not the tail")]
    SentinelPrev {
        /// The generation.
        generation: usize,
    },
}

/// The counts behind CPython's rule for full collections (gcmodule.c, `long_lived_pending` and
/// `long_lived_total`): a generation-2 collection runs only when `pending >= total * ratio`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct LongLived {
    /// Objects promoted into generation 2 since the last full collection.
    pub pending: usize,
    /// Survivors of the last full collection.
    pub total: usize,
}

/// Phase of a gc callback call (`"start"` / `"stop"` in Python).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Phase {
    /// Before the collection (`"start"`).
    Start,
    /// After it (`"stop"`).
    Stop,
}

/// What a gc callback is told (Python's `info` dict, plus duration and candidates).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct GcCallbackInfo {
    /// The generation being collected.
    pub generation: usize,
    /// 0 at `Start`.
    pub collected: usize,
    /// 0 at `Start`.
    pub uncollectable: usize,
    /// Zero at `Start`.
    pub duration: Duration,
    /// Objects examined; 0 at `Start`.
    pub candidates: usize,
}

/// Handle of a registered gc callback, for [`Collector::remove_callback`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct GcCallbackId(pub(crate) u64);

pub(crate) type SharedCallback = Rc<RefCell<dyn FnMut(Phase, &GcCallbackInfo)>>;

/// The cycle collector of one object model `M`. Interior-mutable: every method takes `&self`
/// and holds no borrow across calls into the model, so the model may re-enter it.
///
/// A collector is bound to its model once ([`Collector::bind`]) and from then on only ever
/// calls that model: no method takes a model argument, so no safe call can hand it another
/// model's objects or another model for its objects.
pub struct Collector<M: ObjectModel> {
    /// The model this collector calls: set once by `bind`, live and shared-only from then on
    /// (the obligation of `bind`).
    model: Cell<Option<NonNull<M>>>,
    pub(crate) gens: Generations,
    pub(crate) enabled: Cell<bool>,
    pub(crate) collecting: Cell<bool>,
    /// Open reachability scopes ([`Reachability`]).
    busy: Cell<u32>,
    /// Where `track` links: generation 0, or the nursery while `busy > 0`.
    track_to: Cell<GcPtr>,
    pub(crate) stats: Stats,
    pub(crate) debug: Debug,
    /// `gc.garbage`: each entry holds a strong reference.
    pub(crate) garbage: RefCell<Vec<GcPtr>>,
    pub(crate) callbacks: RefCell<Vec<(GcCallbackId, SharedCallback)>>,
    pub(crate) next_callback_id: Cell<u64>,
    /// Fold phases 2 and 3 into one walk where that is valid (on by default; off only to measure
    /// the two-walk path in the same build: [`Collector::set_fold_update_refs`]).
    pub(crate) fold_update_refs: Cell<bool>,
    /// Let phase 10 sweep refcount-only garbage where the model allows it (collect.rs, "The
    /// sweep"; on by default; off to measure or test CPython's clear path in the same build:
    /// [`Collector::set_sweep_garbage`]).
    pub(crate) sweep_garbage: Cell<bool>,
    /// The candidate array of full collections (candidates.rs): empty between collections, its
    /// capacity reused; taken out of the cell for the reachability walks.
    pub(crate) candidates: Cell<Vec<GcPtr>>,
}

impl<M: ObjectModel> Default for Collector<M> {
    fn default() -> Self {
        Collector::new(GcConfig::default())
    }
}

impl<M: ObjectModel> Collector<M> {
    /// A collector with no tracked objects, not yet bound to a model.
    pub fn new(config: GcConfig) -> Self {
        let gens = Generations::new(config);
        Collector {
            model: Cell::new(None),
            track_to: Cell::new(gens.head(0)),
            gens,
            enabled: Cell::new(true),
            collecting: Cell::new(false),
            busy: Cell::new(0),
            stats: Stats::default(),
            debug: Debug::default(),
            garbage: RefCell::new(Vec::new()),
            callbacks: RefCell::new(Vec::new()),
            next_callback_id: Cell::new(1),
            fold_update_refs: Cell::new(true),
            sweep_garbage: Cell::new(true),
            candidates: Cell::new(Vec::new()),
        }
    }

    /// Bind this collector to `model`, the object model whose objects it will track. Until then
    /// [`collect`](Collector::collect) fails with [`GcError::NotBound`] and automatic
    /// collections do not run.
    ///
    /// # Safety
    /// `model` points to a live `M` for as long as any method of this collector can be called,
    /// and is only ever accessed through shared references meanwhile (no `&mut M`, no move): in
    /// practice the collector is a field of `*model`, which is leaked or pinned before binding.
    ///
    /// # Panics
    /// If the collector is already bound.
    pub unsafe fn bind(&self, model: NonNull<M>) {
        assert!(
            self.model.get().is_none(),
            "Collector::bind: the collector is already bound to a model"
        );
        self.model.set(Some(model));
    }

    /// The bound model.
    #[inline]
    pub(crate) fn model(&self) -> Option<&M> {
        // SAFETY: `bind`'s obligation: the model is live and only shared while we are in use.
        self.model.get().map(|p| unsafe { p.as_ref() })
    }

    /// Start tracking `op`: append it to generation 0 (to the nursery while a reachability
    /// pass runs: module docs). Does not touch the counts (allocation is counted by
    /// [`Collector::note_allocation`]).
    ///
    /// # Safety
    /// `op` is the head of a live, untracked object of the model this collector is bound to,
    /// which will be untracked before it is freed.
    #[inline]
    pub unsafe fn track(&self, op: GcPtr) {
        debug_assert!(
            self.model.get().is_some(),
            "track() on an unbound collector"
        );
        // SAFETY: op is live and untracked; `track_to` is generation 0's or the nursery's
        // sentinel, both live, and neither is walked by a pass that keeps gc_refs in its links.
        unsafe {
            let h = head::head(op);
            debug_assert!(!h.is_tracked(), "track() of a tracked object");
            h.keep_only_finalized();
            list::append(op, self.track_to.get());
        }
    }

    /// Stop tracking `op` (keeps its FINALIZED bit). No-op when untracked. May be called at any
    /// time user code can run, including from deallocations that a collection triggers — but
    /// not while a reachability pass runs (phases 2-4: only a model breaking contract point 2
    /// can get here then), which aborts the process: its neighbours' links hold gc_refs.
    ///
    /// # Safety
    /// `op` is the head of a live object.
    #[inline]
    pub unsafe fn untrack(&self, op: GcPtr) {
        // SAFETY: op is live; if tracked its neighbours are live (list invariant), and outside
        // reachability passes every list holds plain prev/next links.
        unsafe {
            if head::head(op).is_tracked() {
                if self.busy.get() != 0 {
                    untrack_during_reachability();
                }
                crate::collect::untrack_raw(op);
            }
        }
    }

    /// Open a reachability scope: until it is dropped, `track` links into the nursery and the
    /// list-splicing calls are refused (module docs).
    pub(crate) fn reachability(&self) -> Reachability<'_, M> {
        self.busy.set(self.busy.get() + 1);
        self.track_to.set(self.gens.head(NURSERY));
        Reachability { c: self }
    }

    /// Is a reachability pass running (are the lists singly linked, holding gc_refs)?
    pub(crate) fn in_reachability(&self) -> bool {
        self.busy.get() != 0
    }

    /// Count the allocation of a GC-capable object and run an automatic collection when
    /// generation 0's count passes its threshold. Call it *before* the new object is tracked.
    #[inline]
    pub fn note_allocation(&self) {
        let c = self.gens.counts[0].get() + 1;
        self.gens.counts[0].set(c);
        let t0 = self.gens.thresholds[0].get();
        if c > t0 && t0 != 0 && self.enabled.get() && !self.collecting.get() {
            self.collect_generations();
        }
    }

    /// Count the deallocation of a GC-capable object (generation 0's count, clamped at 0).
    #[inline]
    pub fn note_deallocation(&self) {
        let c = self.gens.counts[0].get();
        self.gens.counts[0].set(c.saturating_sub(1));
    }

    /// Automatic collection: the oldest generation over its threshold (25 % rule for gen 2).
    #[cold]
    fn collect_generations(&self) {
        let Some(model) = self.model() else {
            return; // unbound: nothing can be tracked
        };
        self.collecting.set(true);
        if let Some(g) = self.gens.select() {
            // Errors were reported to the debug writer; nothing to return them to.
            let _ = self.collect_with_callback(model, g);
        }
        self.collecting.set(false);
    }

    /// `gc.collect(generation)`: returns collected + uncollectable; `Ok(0)` when a collection is
    /// already running.
    pub fn collect(&self, generation: i64) -> Result<usize, GcError> {
        if !(0..NUM_GENERATIONS as i64).contains(&generation) {
            return Err(GcError::InvalidGeneration(generation));
        }
        let model = self.model().ok_or(GcError::NotBound)?;
        if self.collecting.get() {
            return Ok(0);
        }
        self.collecting.set(true);
        let out = self.collect_with_callback(model, generation as usize);
        self.collecting.set(false);
        match out.error {
            Some(e) => Err(e),
            None => Ok(out.collected + out.uncollectable),
        }
    }

    /// Callbacks `Start`, one collection, callbacks `Stop`.
    fn collect_with_callback(&self, model: &M, g: usize) -> crate::collect::Outcome {
        self.invoke_callbacks(
            Phase::Start,
            &GcCallbackInfo {
                generation: g,
                ..Default::default()
            },
        );
        let out = self.collect_main(model, g);
        self.invoke_callbacks(
            Phase::Stop,
            &GcCallbackInfo {
                generation: g,
                collected: out.collected,
                uncollectable: out.uncollectable,
                duration: out.duration,
                candidates: out.candidates,
            },
        );
        out
    }

    /// Call every registered callback; panics are caught and reported (unraisable style).
    fn invoke_callbacks(&self, phase: Phase, info: &GcCallbackInfo) {
        if self.callbacks.borrow().is_empty() {
            return;
        }
        // A snapshot, so callbacks may add or remove callbacks while we iterate.
        let snapshot: Vec<(GcCallbackId, SharedCallback)> = self.callbacks.borrow().clone();
        for (id, cb) in snapshot {
            let Ok(mut f) = cb.try_borrow_mut() else {
                continue; // re-entered from inside itself
            };
            let r = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| (*f)(phase, info)));
            drop(f);
            if let Err(payload) = r {
                let phase = match phase {
                    Phase::Start => "start",
                    Phase::Stop => "stop",
                };
                self.report_unraisable(
                    &format!("gc callback #{} (phase {phase})", id.0),
                    payload.as_ref(),
                );
            }
        }
    }

    /// `gc.get_count()`.
    pub fn get_count(&self) -> [usize; NUM_GENERATIONS] {
        [
            self.gens.counts[0].get(),
            self.gens.counts[1].get(),
            self.gens.counts[2].get(),
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

    /// Run full collections with phases 2 and 3 as one walk (the default) or as CPython's two
    /// walks (update_refs, then subtract_refs). Both find the same garbage; the switch exists so a
    /// benchmark can measure both in one build.
    pub fn set_fold_update_refs(&self, on: bool) {
        self.fold_update_refs.set(on)
    }

    /// Let phase 10 free garbage by the model's sweep hooks where it allows them (the default)
    /// or always by `clear` and reference counting, as CPython does. Both free the same objects;
    /// the switch exists so that tests and benchmarks can compare the two in one build.
    pub fn set_sweep_garbage(&self, on: bool) {
        self.sweep_garbage.set(on)
    }

    /// Is a collection running right now?
    pub fn is_collecting(&self) -> bool {
        self.collecting.get()
    }

    /// Number of objects in generation `g` (walks the list), or in the permanent generation for
    /// `g == 3`.
    pub fn generation_len(&self, g: usize) -> usize {
        assert!(g <= crate::generation::PERMANENT);
        self.gens.len(g)
    }

    /// `gc.is_tracked(o)` on a head.
    ///
    /// # Safety
    /// `op` is the head of a live object.
    pub unsafe fn is_tracked(op: GcPtr) -> bool {
        // SAFETY: `op` is the head of a live object (contract): its flags are readable.
        unsafe { head::head(op).is_tracked() }
    }

    /// `gc.is_finalized(o)` on a head.
    ///
    /// # Safety
    /// `op` is the head of a live object.
    pub unsafe fn is_finalized(op: GcPtr) -> bool {
        // SAFETY: `op` is the head of a live object (contract): its flags are readable.
        unsafe { head::head(op).is_finalized() }
    }
}

/// A reachability scope ([`Collector::reachability`]). Dropping the last one sends `track` back
/// to generation 0 and moves what the nursery collected meanwhile there.
pub(crate) struct Reachability<'a, M: ObjectModel> {
    c: &'a Collector<M>,
}

impl<M: ObjectModel> Drop for Reachability<'_, M> {
    fn drop(&mut self) {
        let c = self.c;
        let n = c.busy.get() - 1;
        c.busy.set(n);
        if n == 0 {
            let gen0 = c.gens.head(0);
            c.track_to.set(gen0);
            // SAFETY: the nursery and generation 0 are well-formed rings of live objects: only
            // `track` and `untrack` touch the nursery, and the pass that made its objects wait
            // is over.
            unsafe { list::merge(c.gens.head(NURSERY), gen0) };
        }
    }
}

/// An untrack while a reachability pass runs: the model freed or untracked an object during
/// phases 2-4. Continuing would unlink a head whose neighbours hold gc_refs.
#[cold]
#[inline(never)]
fn untrack_during_reachability() -> ! {
    eprintln!(
        "pyheap-gc: an object was untracked while a collection's reachability phases ran (the \
         object model must defer deallocation until the collection ends); aborting"
    );
    std::process::abort()
}

impl<M: ObjectModel> Drop for Collector<M> {
    /// Objects still tracked point at the boxed sentinels: mark them untracked so that a later
    /// `untrack` from their deallocation is a no-op instead of a write into freed memory.
    /// References held by `garbage` are leaked (there is no model here to decref them).
    fn drop(&mut self) {
        for g in 0..LISTS {
            let sentinel = self.gens.head(g);
            // SAFETY: trait contract: tracked objects are live; we walk and detach each one.
            unsafe {
                let mut p = head::head(sentinel).next();
                while p != sentinel {
                    let h = head::head(p);
                    let next = h.next();
                    h.set_untracked();
                    p = next;
                }
                list::init(sentinel);
            }
        }
    }
}
