//! The gc-module surface on [`Collector`], named as in Python's `gc` module.
//!
//! | Python                         | here                                                   |
//! |--------------------------------|--------------------------------------------------------|
//! | `gc.collect(g)`                | [`Collector::collect`] (collector.rs)                   |
//! | `gc.get_threshold/set_threshold` | [`Collector::get_threshold`], [`Collector::set_threshold`] |
//! | (25 % rule, not in Python)     | [`Collector::get_full_collection_ratio`] / `set_…`      |
//! | `gc.get_stats()`               | [`Collector::get_stats`]                                |
//! | `gc.callbacks`                 | [`Collector::add_callback`], [`Collector::remove_callback`] |
//! | `gc.set_debug/get_debug`       | [`Collector::set_debug`], [`Collector::get_debug`], writer: [`Collector::set_debug_output`] |
//! | `gc.garbage`                   | [`Collector::garbage`], [`Collector::take_garbage`], [`Collector::clear_garbage`] |
//! | `gc.get_objects(g)`            | [`Collector::get_objects`]                              |
//! | `gc.get_referrers/referents`   | [`Collector::get_referrers`], [`Collector::get_referents`] |
//! | `gc.freeze/unfreeze/get_freeze_count` | same names                                      |
//!
//! # Invariants
//! - Every entry of `garbage` owns one strong reference (incref when added; `take_garbage`
//!   hands the references to the caller, `clear_garbage` decrefs them through the model).
//! - A list walk here that calls `traverse` (user code in some models) walks a snapshot and
//!   holds a strong reference to every object of it: the traverse may track, untrack or free
//!   objects, and the walk still only touches live ones.

use crate::ObjectModel;
use crate::collector::{
    Collector, GcCallbackId, GcCallbackInfo, GcError, GcInvariantError, LongLived, Phase,
    SharedCallback,
};
use crate::generation::{NUM_GENERATIONS, NURSERY, PERMANENT};
use crate::head::{GcPtr, head, list};
use crate::stats::GenerationStats;
use std::cell::RefCell;
use std::rc::Rc;

impl<M: ObjectModel> Collector<M> {
    /// `gc.get_threshold()`.
    pub fn get_threshold(&self) -> [usize; NUM_GENERATIONS] {
        self.gens.thresholds.each_ref().map(|c| c.get())
    }

    /// `gc.set_threshold(t0[, t1[, t2]])`: omitted values stay as they are.
    pub fn set_threshold(&self, t0: usize, t1: Option<usize>, t2: Option<usize>) {
        self.gens.thresholds[0].set(t0);
        if let Some(t1) = t1 {
            self.gens.thresholds[1].set(t1);
        }
        if let Some(t2) = t2 {
            self.gens.thresholds[2].set(t2);
        }
    }

    /// The long-lived ratio of the full-collection gate (0.25 in CPython).
    pub fn get_full_collection_ratio(&self) -> f64 {
        self.gens.full_ratio.get()
    }

    /// Set the long-lived ratio (0.0 = every time generation 2 is over its threshold).
    pub fn set_full_collection_ratio(&self, ratio: f64) {
        self.gens.full_ratio.set(ratio.max(0.0));
    }

    /// The two counts of the 25 % rule ([`LongLived`]).
    pub fn long_lived(&self) -> LongLived {
        LongLived {
            pending: self.gens.long_lived_pending.get(),
            total: self.gens.long_lived_total.get(),
        }
    }

    /// `gc.get_stats()`, one entry per generation.
    pub fn get_stats(&self) -> [GenerationStats; NUM_GENERATIONS] {
        self.stats.get()
    }

    /// Number of collections aborted because a traverse over-reported references.
    pub fn refcount_errors(&self) -> usize {
        self.stats.refcount_errors.get()
    }

    /// Append to `gc.callbacks`. The callback may call back into the collector (a `collect` from
    /// inside returns `Ok(0)`) and the model. A panic in it is caught and reported like CPython's
    /// unraisable hook; the collection goes on.
    pub fn add_callback(&self, f: impl FnMut(Phase, &GcCallbackInfo) + 'static) -> GcCallbackId {
        let id = GcCallbackId(self.next_callback_id.get());
        self.next_callback_id.set(id.0 + 1);
        let cb: SharedCallback = Rc::new(RefCell::new(f));
        self.callbacks.borrow_mut().push((id, cb));
        id
    }

    /// Remove a callback; false if it was not registered.
    pub fn remove_callback(&self, id: GcCallbackId) -> bool {
        let mut cbs = self.callbacks.borrow_mut();
        let before = cbs.len();
        cbs.retain(|(i, _)| *i != id);
        cbs.len() != before
    }

    /// Number of registered callbacks.
    pub fn callback_count(&self) -> usize {
        self.callbacks.borrow().len()
    }

    /// `gc.set_debug(flags)` (DEBUG_* constants).
    pub fn set_debug(&self, flags: u32) {
        self.debug.flags.set(flags);
    }

    /// `gc.get_debug()`.
    pub fn get_debug(&self) -> u32 {
        self.debug.flags.get()
    }

    /// Where debug lines and unraisable reports go (default: stderr).
    pub fn set_debug_output(&self, out: Box<dyn std::io::Write>) {
        *self.debug.out.borrow_mut() = out;
    }

    /// Add `op` to `garbage` with a new strong reference.
    pub(crate) fn push_garbage(&self, model: &M, op: GcPtr) {
        model.incref(op);
        self.garbage.borrow_mut().push(op);
    }

    /// A snapshot of `gc.garbage` (the references stay owned by the collector).
    pub fn garbage(&self) -> Vec<GcPtr> {
        self.garbage.borrow().clone()
    }

    /// `len(gc.garbage)`.
    pub fn garbage_len(&self) -> usize {
        self.garbage.borrow().len()
    }

    /// Empty `gc.garbage`, handing its strong references to the caller (who must decref them).
    pub fn take_garbage(&self) -> Vec<GcPtr> {
        std::mem::take(&mut *self.garbage.borrow_mut())
    }

    /// `gc.garbage.clear()`: empty it and decref every entry through the model.
    pub fn clear_garbage(&self) {
        let Some(model) = self.model() else {
            return; // unbound: `garbage` is empty (only collections fill it)
        };
        // Taken first: decref may run user code that touches `garbage` again.
        for op in self.take_garbage() {
            model.decref(op);
        }
    }

    /// `gc.get_objects(generation)`: tracked objects of one generation, or of 0..=2 for `None`.
    pub fn get_objects(&self, generation: Option<i64>) -> Result<Vec<GcPtr>, GcError> {
        let gens = match generation {
            None => 0..NUM_GENERATIONS,
            Some(g) if (0..NUM_GENERATIONS as i64).contains(&g) => g as usize..g as usize + 1,
            Some(g) => return Err(GcError::InvalidGeneration(g)),
        };
        let mut out = Vec::new();
        for g in gens {
            self.for_each_in(g, |p| out.push(p));
        }
        Ok(out)
    }

    /// Call `f` on every object of list `g` (generation or PERMANENT). `f` must not touch lists
    /// (the explain replay uses it too).
    pub(crate) fn for_each_in(&self, g: usize, mut f: impl FnMut(GcPtr)) {
        let sentinel = self.gens.head(g);
        // SAFETY: a generation ring of live objects; `f` does not change lists.
        unsafe {
            let mut p = head(sentinel).next();
            while p != sentinel {
                f(p);
                p = head(p).next();
            }
        }
    }

    /// `gc.get_referrers(*targets)`: tracked objects of generations 0..=2 whose traverse visits
    /// any of `targets` (the permanent generation is not searched, as in CPython).
    ///
    /// The heads returned are of objects that were alive and referred to a target when their
    /// traverse ran; the caller must check they still are before using them (the runtime's
    /// wrapper does the walk itself, under its deferral scope).
    pub fn get_referrers(&self, targets: &[GcPtr]) -> Vec<GcPtr> {
        let mut out = Vec::new();
        let Some(model) = self.model() else {
            return out; // unbound: nothing is tracked
        };
        let objs = self.held_snapshot(model);
        for &p in &objs {
            let mut hit = false;
            model.traverse(p, &mut |t| hit |= targets.contains(&t));
            if hit {
                out.push(p);
            }
        }
        self.release(model, objs);
        out
    }

    /// Every object of generations 0..=2, each with a new strong reference (for walks whose
    /// traverses may run user code); give it back with [`release`](Self::release).
    pub(crate) fn held_snapshot(&self, model: &M) -> Vec<GcPtr> {
        let mut objs = Vec::new();
        for g in 0..NUM_GENERATIONS {
            self.for_each_in(g, |p| objs.push(p));
        }
        for &p in &objs {
            model.incref(p);
        }
        objs
    }

    /// Drop the references of a [`held_snapshot`](Self::held_snapshot) (may free, run user
    /// code).
    pub(crate) fn release(&self, model: &M, objs: Vec<GcPtr>) {
        for p in objs {
            model.decref(p);
        }
    }

    /// `gc.get_referents(*objs)`: concatenation of what each object's traverse visits.
    ///
    /// # Safety
    /// Every head in `objs` is the head of a live object of the bound model (tracked or not).
    pub unsafe fn get_referents(&self, objs: &[GcPtr]) -> Vec<GcPtr> {
        let mut out = Vec::new();
        let Some(model) = self.model() else {
            return out;
        };
        for &op in objs {
            model.traverse(op, &mut |t| out.push(t));
        }
        out
    }

    /// `gc.freeze()`: move every tracked object into the permanent generation (never collected)
    /// and zero the counts. Refused (a no-op) while a collection's reachability phases run — a
    /// user traverse is the only code that can call it then — since it would splice the lists
    /// being walked.
    pub fn freeze(&self) {
        if self.in_reachability() {
            return;
        }
        for g in 0..NUM_GENERATIONS {
            // SAFETY: generation rings, well formed whenever user code can call us.
            unsafe { list::merge(self.gens.head(g), self.gens.head(PERMANENT)) };
            self.gens.counts[g].set(0);
        }
    }

    /// `gc.unfreeze()`: move the permanent generation into generation 2. Refused (a no-op)
    /// while a collection's reachability phases run, as [`freeze`](Self::freeze).
    pub fn unfreeze(&self) {
        if self.in_reachability() {
            return;
        }
        // SAFETY: as in freeze.
        unsafe {
            list::merge(
                self.gens.head(PERMANENT),
                self.gens.head(NUM_GENERATIONS - 1),
            )
        };
    }

    /// `gc.get_freeze_count()`.
    pub fn get_freeze_count(&self) -> usize {
        self.gens.len(PERMANENT)
    }

    /// Take up the state a real interpreter's start-up leaves behind: generation counts
    /// `counts`, and `collections[g]` collections of generation `g` that freed `collected[g]`
    /// objects added to the statistics (CPython 3.11 runs six young collections before a
    /// script's first line). Collections then follow from these counts, as in the process
    /// modelled.
    pub fn set_start_state(
        &self,
        counts: [usize; NUM_GENERATIONS],
        collections: [usize; NUM_GENERATIONS],
        collected: [usize; NUM_GENERATIONS],
    ) {
        for g in 0..NUM_GENERATIONS {
            self.gens.counts[g].set(counts[g]);
            let mut s = self.stats.per_gen[g].get();
            s.collections += collections[g];
            s.collected += collected[g];
            self.stats.per_gen[g].set(s);
        }
    }

    /// Run `f` as if its allocations had happened before the program started: generation 0's
    /// count comes back to its value before `f` and no automatic collection starts inside it.
    /// For an embedder's bookkeeping objects that CPython makes at start-up but the embedder
    /// makes on first use (a type's method objects, say), so `gc.get_count()` and the timing
    /// of automatic collections stay the program's own. The objects are tracked as usual.
    /// `f` must not change generation 0's threshold (it is put back, unless `f` set it to
    /// something other than 0).
    pub fn without_counting<R>(&self, f: impl FnOnce() -> R) -> R {
        /// Puts count and threshold back even when `f` unwinds.
        struct Restore<'c, M: ObjectModel> {
            c: &'c Collector<M>,
            count: usize,
            threshold: usize,
        }
        impl<M: ObjectModel> Drop for Restore<'_, M> {
            fn drop(&mut self) {
                self.c.gens.counts[0].set(self.count);
                if self.c.gens.thresholds[0].get() == 0 {
                    self.c.gens.thresholds[0].set(self.threshold);
                }
            }
        }
        let _restore = Restore {
            c: self,
            count: self.gens.counts[0].get(),
            threshold: self.gens.thresholds[0].get(),
        };
        // Threshold 0 is "automatic collection off" to `note_allocation`.
        self.gens.thresholds[0].set(0);
        f()
    }
}

impl<M: ObjectModel> Collector<M> {
    /// Walk every generation ring (and the permanent one) and check the list invariants that
    /// must hold between collections: `next.prev == self` for every link, no UNREACHABLE tag,
    /// no COLLECTING flag, sentinels untagged. Returns the number of tracked objects.
    ///
    /// For tests and debug assertions (`Heap::check()`); O(tracked objects).
    pub fn check_invariants(&self) -> Result<usize, GcInvariantError> {
        use GcInvariantError as E;
        if self.collecting.get() {
            return Err(E::DuringCollection);
        }
        // SAFETY: the nursery's sentinel is live.
        if !unsafe { list::is_empty(self.gens.head(NURSERY)) } {
            return Err(E::NurseryNotEmpty);
        }
        let mut total = 0;
        for g in 0..=PERMANENT {
            let sentinel = self.gens.head(g);
            let mut prev = sentinel;
            // SAFETY: generation rings of live objects (trait contract); we only read.
            unsafe {
                let s = head(sentinel);
                if s.next_is_tagged() {
                    return Err(E::SentinelTagged { generation: g });
                }
                let mut p = s.next();
                while p != sentinel {
                    let h = head(p);
                    let at = p.as_ptr() as usize;
                    if h.next_is_tagged() {
                        return Err(E::TaggedUnreachable { generation: g, at });
                    }
                    if h.is_collecting() {
                        return Err(E::Collecting { generation: g, at });
                    }
                    if h.prev() != prev {
                        return Err(E::WrongPrev { generation: g, at });
                    }
                    total += 1;
                    prev = p;
                    p = h.next();
                }
                if s.prev() != prev {
                    return Err(E::SentinelPrev { generation: g });
                }
            }
        }
        Ok(total)
    }

    /// CPython's `_PyGC_DumpShutdownStats`: at interpreter shutdown, warn about a non-empty
    /// `garbage` (unless DEBUG_SAVEALL put it there on purpose); with DEBUG_UNCOLLECTABLE also
    /// list its items.
    pub fn dump_shutdown_stats(&self) {
        let Some(model) = self.model() else {
            return;
        };
        let flags = self.debug.flags.get();
        let items = self.garbage();
        if flags & crate::debug::DEBUG_SAVEALL != 0 || items.is_empty() {
            return;
        }
        if flags & crate::debug::DEBUG_UNCOLLECTABLE != 0 {
            self.debug_line(format_args!(
                "ResourceWarning: gc: {} uncollectable objects at shutdown",
                items.len()
            ));
            let list: Vec<String> = items
                .iter()
                .map(|&p| crate::debug::describe(model, p))
                .collect();
            self.debug_line(format_args!("      [{}]", list.join(", ")));
        } else {
            self.debug_line(format_args!(
                "ResourceWarning: gc: {} uncollectable objects at shutdown; use \
                 gc.set_debug(gc.DEBUG_UNCOLLECTABLE) to list them",
                items.len()
            ));
        }
    }
}
