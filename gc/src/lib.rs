//! pyheap-gc: CPython's three-generation cycle collector over an abstract object model.
//!
//! Reference counting frees everything except cycles. This crate finds the cycles the way CPython
//! 3.13 (and 3.14.5+) does: copy each refcount into `gc_refs`, subtract the references objects of
//! the collected generations hold on each other, and whatever is left with `gc_refs == 0` and is
//! not reachable from an object with `gc_refs > 0` is garbage.
//!
//! ```text
//!  runtime (pyheap-runtime)          implements ObjectModel: refcount, traverse, clear, finalize,
//!        │                           weakrefs; calls track/untrack/note_allocation on the Collector
//!        ▼
//!  Collector ── generation 0 ──▶ [GcHead|obj] ⇄ [GcHead|obj] ⇄ ...   (intrusive rings)
//!            ── generation 1 ──▶ ...
//!            ── generation 2 ──▶ ...
//!            ── permanent    ──▶ ...   (gc.freeze())
//! ```
//!
//! The collector never frees memory itself: it calls the model's `clear` (tp_clear) on garbage
//! and lets reference counting free what that releases — or, for refcount-only garbage the model
//! declares sweepable, asks the model to release and free each object in one walk (collect.rs,
//! "The sweep"), which frees an object only once its count is 0. What a wrong `traverse` or
//! `refcount` does, with `gc_refs = refcount − (edges reported from other candidates)`:
//!
//! | the model says                       | gc_refs ends     | effect                               |
//! |--------------------------------------|------------------|--------------------------------------|
//! | too few edges / refcount too high    | > true value     | a cycle is kept (a leak)             |
//! | too many edges, going below zero     | "−1"             | detected: collection aborted, error  |
//! | too many edges landing exactly on 0  | 0 but referenced | **not detected**: a live object is   |
//! |   (or refcount too low by as much)   |                  | treated as garbage and `clear`ed     |
//!
//! In the last case the object is not freed by the collector: `delete_garbage` holds a reference
//! across `clear` (the sweep frees only at count 0), the outside holder keeps it alive
//! afterwards, and it moves on to the older generation — emptied, which is a wrong result for
//! the program, not a memory error. Objects only
//! it referenced are freed by refcounting when `clear` drops the last references to them, exactly
//! as for true garbage. Memory safety therefore rests only on the contract of [`ObjectModel`]
//! (heads live, lists untouched during the reachability phases, no unwinding) and on `clear`
//! being safe on any live object.
//!
//! This crate knows the GC head and the [`ObjectModel`] trait, never the built-in types.
//!
//! # Modules
//! - `head`: the two-word GC head and the intrusive circular lists.
//! - `generation`: generation sentinels, counts, thresholds, the 25 % rule.
//! - `collect`: one collection, phase by phase (start there), and the reachability core.
//! - `candidates`: the array of a full collection's candidates that feeds prefetches.
//! - `finalize`: legacy finalizers, PEP 442 finalizers, resurrection.
//! - `weakref`: clearing weakrefs to garbage and calling the callbacks that may run.
//! - `api`, `stats`, `debug`: the `gc`-module surface, statistics, DEBUG_* output.
//! - `explain`: one collection replayed phase by phase as a per-object table ([`Explanation`]).
//!
//! # The protocol the runtime follows
//! 1. Allocating a GC-capable object: call [`Collector::note_allocation`] *before* the object is
//!    initialised and tracked (an automatic collection may run inside it), then
//!    [`Collector::track`] once the object's fields are valid for `traverse`. Untracked-at-birth
//!    objects (CPython's empty dicts) still call `note_allocation`.
//! 2. Deallocating: [`Collector::untrack`] (a no-op when untracked) before the memory is freed,
//!    and [`Collector::note_deallocation`] once per GC-object free (like `PyObject_GC_Del`).
//! 3. A tracked object must never sit at refcount 0 while code that can allocate or collect runs:
//!    untrack it first, or run its finalizer with a temporary reference as
//!    `PyObject_CallFinalizerFromDealloc` does (refcount 1 during the call).
//! 4. A PEP 442 finalizer run from deallocation sets [`GcHead::set_finalized`] first, so that the
//!    collector never runs it again (and vice versa: the collector sets it before it calls
//!    [`ObjectModel::finalize`]). The bit survives untrack/track.
//! 5. `can_untrack(op, full)` only answers; the collector does the untracking.
//! 6. Bind the collector once its model has its final address ([`Collector::bind`]); no method
//!    takes a model argument, so a collector can never be run over another model's objects.

#![warn(missing_docs)]

mod head;

pub use head::{GcHead, GcPtr, prefetch_line};

mod api;
mod candidates;
mod collect;
mod collector;
mod debug;
mod explain;
mod finalize;
mod generation;
mod stats;
mod weakref;

pub use collector::*;
pub use explain::{Explanation, Row};

/// The object model the collector works on (implemented by the runtime).
///
/// Every method receives the GC head of a GC-capable object of this model. A [`Collector`] is
/// bound to one model instance ([`Collector::bind`]) and only ever calls that one.
///
/// The *mutating* methods — `decref`, `clear`, `finalize`, `call_weakref_callback` — may run user
/// code and re-enter the [`Collector`] (track, untrack, note_allocation, freeze, even `collect`,
/// which then returns 0): the collector holds no borrow across these calls and calls them only
/// while every list is doubly linked (phases 7–11 of `collect.rs`).
///
/// # Safety
/// What the collector needs, and all it needs, for memory safety:
/// 1. **Heads live.** Every head tracked by the bound collector is the head of a live object of
///    this model until it is untracked, and it is untracked before the object's memory is freed
///    or reused. Every head `traverse` passes to `visit`, and every head passed to
///    `clear_weakrefs_to`'s callback, is the head of a live GC-capable object of this model
///    (tracked or not); heads of other models' objects are never passed.
/// 2. **Nothing freed or untracked during phases 2–4.** The non-mutating methods (`refcount`,
///    `incref`, `traverse`, `has_finalizer`, `has_legacy_finalizer`, `can_untrack`,
///    `may_untrack_when_full`, `may_have_weakrefs`, `clear_weakref_object`, `clear_weakrefs_to`,
///    `describe`) free no object and untrack none while a collection runs: during update_refs,
///    subtract_refs and move_unreachable (and phase 9's second pass) the lists are singly linked
///    and tagged, and an object unlinked or freed then corrupts them. A model whose `traverse`
///    runs user code defers any deallocation that code causes until the collection ends (not
///    merely until the traverse returns); an `untrack` during these phases aborts the process.
///    What such code may do: track new objects (they wait on a nursery list and join
///    generation 0 when the phases end, unexamined), allocate, call `collect` (returns 0) and
///    the read-only calls; `freeze`/`unfreeze` are refused there. Outside collections a
///    `traverse` may free objects: the collector's own walks (`get_referrers`,
///    `collect_explained`) hold a reference to every object they visit.
/// 3. **No unwinding.** No method unwinds (panics from user code are caught and reported by the
///    model); a panic through a collection aborts the process.
///
/// Accuracy is *not* required for memory safety: a `refcount` or `traverse` that is wrong only
/// leaks, aborts the collection, or — when an over-report lands exactly on zero — has a live
/// object `clear`ed (crate docs, table). `clear` must therefore be safe on any live object.
pub unsafe trait ObjectModel {
    /// `ob_refcnt` of the object.
    fn refcount(&self, op: GcPtr) -> usize;
    /// Add a strong reference.
    fn incref(&self, op: GcPtr);
    /// Drop a strong reference; at zero the object is deallocated (untracked first).
    fn decref(&self, op: GcPtr);
    /// `tp_traverse`: call `visit` with the head of each GC-capable referent.
    ///
    /// Generic over the visitor (not `&mut dyn FnMut`) so that the collector's per-edge work
    /// (`visit_decref`, `visit_reachable`) can be inlined into the model's loops: it runs once per
    /// edge per collection phase, and two indirect calls per edge were most of its cost.
    fn traverse<V: FnMut(GcPtr)>(&self, op: GcPtr, visit: &mut V);
    /// `tp_clear`: drop the references the object holds (breaking cycles).
    fn clear(&self, op: GcPtr);
    /// Does the object's type have a PEP 442 finalizer (`tp_finalize`, `__del__`)?
    fn has_finalizer(&self, op: GcPtr) -> bool;
    /// Run the PEP 442 finalizer (the collector has set FINALIZED and holds a reference).
    fn finalize(&self, op: GcPtr);
    /// Does the object's type have a legacy finalizer (`tp_del`)? Such garbage is uncollectable.
    fn has_legacy_finalizer(&self, op: GcPtr) -> bool;
    /// May this tracked object be untracked now? (tuples whose items are all untracked or atomic;
    /// dicts of atoms, asked only during full collections: `full == true`).
    fn can_untrack(&self, op: GcPtr, full: bool) -> bool;
    /// Could `can_untrack(op, true)` be true for this survivor of the first untrack pass? A cheap
    /// type test: full collections skip their second untrack pass when no survivor passes it.
    /// The default (`true`) always runs the pass.
    fn may_untrack_when_full(&self, op: GcPtr) -> bool {
        let _ = op;
        true
    }
    /// Could `clear_weakref_object` or `clear_weakrefs_to` do anything for `op` (is it a weakref,
    /// or can it be weakly referenced)? A cheap type test: the collector skips its weakref pass
    /// when no garbage object passes it. The default (`true`) always runs the pass.
    fn may_have_weakrefs(&self, op: GcPtr) -> bool {
        let _ = op;
        true
    }
    /// If `op` is itself a weak reference object, clear it without calling its callback.
    fn clear_weakref_object(&self, op: GcPtr);
    /// Clear every weak reference to `op` (without calling callbacks); for each cleared weakref
    /// object that has a callback, call `with_callback(weakref_head)`.
    fn clear_weakrefs_to(&self, op: GcPtr, with_callback: &mut dyn FnMut(GcPtr));
    /// Call the callback of a cleared weak reference (`callback(wr)`).
    fn call_weakref_callback(&self, wr: GcPtr);
    /// Write `<typename 0xADDRESS>` for debug output and error messages.
    fn describe(&self, op: GcPtr, out: &mut dyn std::fmt::Write) -> std::fmt::Result;

    // ---- The sweep of phase 10 (optional; collect.rs, "The sweep") ----

    /// May phase 10 free this garbage object by [`sweep_release`](Self::sweep_release) and
    /// [`sweep_free`](Self::sweep_free) instead of `clear` and reference counting? Asked for
    /// every object phase 4 moves to `unreachable`. Answer true only when (1) the type
    /// implements both hooks, and (2) no death anywhere in the model that the collector cannot
    /// see (objects it does not track: atoms, untracked containers) can run user code — the sweep
    /// runs those deaths after the garbage is freed, which only such code could tell apart
    /// from `clear`'s order. The default (`false`) keeps phase 10 as CPython's.
    fn sweepable(&self, op: GcPtr) -> bool {
        let _ = op;
        false
    }
    /// Release every reference `op` (a [`sweepable`](Self::sweepable) object) holds, leaving it
    /// a valid empty object (as `clear` would), and run no user code. For each GC-capable
    /// referent `c` of this model, `garbage(c)` answers whether the collector takes that
    /// reference over (`true`: `c` is garbage being swept; the model forgets the reference and
    /// touches `c` no further); otherwise, and for every other referent, the model drops the
    /// reference as `decref` does (deaths are deferred: see [`sweep_scope`](Self::sweep_scope)).
    fn sweep_release<G: FnMut(GcPtr) -> bool>(&self, op: GcPtr, garbage: &mut G) {
        let _ = (op, garbage);
        unreachable!("sweep_release on a model whose objects are never sweepable")
    }
    /// Drop one reference to a garbage object being swept without deallocating it (the count
    /// may reach zero); returns the count left.
    fn sweep_decref(&self, op: GcPtr) -> usize {
        let _ = op;
        unreachable!("sweep_decref on a model whose objects are never sweepable")
    }
    /// Free a swept object: count 0, references released, unlinked by the collector (not on any
    /// list). Counts the deallocation as the model's own frees do.
    fn sweep_free(&self, op: GcPtr) {
        let _ = op;
        unreachable!("sweep_free on a model whose objects are never sweepable")
    }
    /// Run the sweep `f` with deallocation deferred: an object whose count reaches zero while
    /// `f` runs (a referent outside the garbage that `sweep_release` dropped) dies only after
    /// `f` returned, in the order the counts reached zero. Nothing the model does inside `f` may
    /// free an object or run user code. The default runs `f` as it is (for models whose
    /// `sweep_release` never drops a last reference).
    fn sweep_scope(&self, f: &mut dyn FnMut()) {
        f()
    }
}
