//! The collector as the heap's users see it: `heap.gc()`, Python's `gc` module over handles.
//!
//! ```text
//!   Gc<'h> ──▶ HeapInner.gc: pyheap_gc::Collector     (GcPtr ⇄ Obj<'h> conversions live here)
//! ```
//!
//! | Python                          | here                                         |
//! |---------------------------------|----------------------------------------------|
//! | `gc.collect(g)`                 | `collect(g)` (generation 2 also empties the free lists) |
//! | `gc.enable/disable/isenabled`   | same names                                   |
//! | `gc.get_count/get_threshold/set_threshold` | same names                        |
//! | `gc.get_stats()`                | `get_stats()`                                |
//! | `gc.get_objects(g)`             | `get_objects(g)`                             |
//! | `gc.get_referrers/get_referents`| same names (non-GC targets included)         |
//! | `gc.garbage`                    | `garbage()`, `clear_garbage()`               |
//! | `gc.callbacks`                  | [`Heap::gc_callbacks`](crate::Heap::gc_callbacks) (a heap list of callables); Rust closures: `add_callback`, `remove_callback` |
//! | `gc.set_debug/get_debug`        | same names                                   |
//! | `gc.freeze/unfreeze/get_freeze_count` | same names                             |
//! | `gc.is_tracked/is_finalized`    | same names                                   |
//!
//! # Invariants
//! The `Gc` handle forwards to the heap's collector, which only ever sees this heap's objects with
//! this heap's model (nothing here hands out the raw collector). Handles made from GC heads
//! (`get_objects`, `garbage`) take a reference on the object behind each head before user code
//! can run.

use crate::Obj;
use crate::handle::AsObj;
use crate::heap::{Heap, HeapInner};
use crate::object::{RawObj, from_gc, gc_head, type_of};
use pyheap_gc::{
    Collector, GcCallbackId, GcCallbackInfo, GcError, GcPtr, GenerationStats, NUM_GENERATIONS,
    Phase,
};
use std::collections::HashSet;

/// `heap.gc()`: the gc module of one heap.
pub struct Gc<'h> {
    heap: &'h Heap,
}

impl Heap {
    /// The gc module of this heap.
    pub fn gc(&self) -> Gc<'_> {
        Gc { heap: self }
    }
}

impl<'h> Gc<'h> {
    fn inner(&self) -> &'h HeapInner {
        self.heap.inner()
    }
    fn collector(&self) -> &'h Collector<HeapInner> {
        &self.heap.inner().gc
    }
    /// New handles for heads the collector reported (live, tracked objects of this heap).
    fn handles(&self, heads: Vec<GcPtr>) -> Vec<Obj<'h>> {
        heads
            .into_iter()
            // SAFETY: tracked objects of this heap are live; a new reference is taken.
            .map(|g| unsafe { Obj::from_borrowed(from_gc(g)) })
            .collect()
    }

    /// Full collections with phases 2–3 in one walk (default) or in CPython's two walks; for
    /// benchmarks (`Collector::set_fold_update_refs`).
    pub fn set_fold_update_refs(&self, on: bool) {
        self.collector().set_fold_update_refs(on)
    }

    /// Let full collections sweep garbage lists where no user code can notice (default) or
    /// always clear them as CPython does; for tests and benchmarks
    /// (`Collector::set_sweep_garbage`).
    pub fn set_sweep_garbage(&self, on: bool) {
        self.collector().set_sweep_garbage(on)
    }

    /// Take up a real interpreter's start-up state (`Collector::set_start_state`; the data
    /// per version: [`Like::gc_start_state`](crate::Like::gc_start_state)).
    pub fn set_start_state(&self, s: crate::GcStartState) {
        self.collector()
            .set_start_state(s.counts, s.collections, s.collected)
    }

    /// Run `f` without its allocations counting towards generation 0 or starting an automatic
    /// collection (`Collector::without_counting`): for objects CPython makes at start-up that
    /// an embedder makes on first use.
    pub fn without_counting<R>(&self, f: impl FnOnce() -> R) -> R {
        self.collector().without_counting(f)
    }

    /// `gc.collect(generation)`: number of unreachable objects found (collected + uncollectable).
    pub fn collect(&self, generation: i64) -> Result<usize, GcError> {
        let inner = self.inner();
        if inner.gc.is_collecting() {
            // CPython's `collecting` flag: a collect from a finalizer, a callback or a user
            // traverse during a collection does nothing (the free lists included).
            return inner.gc.collect(generation);
        }
        let n = inner.gc.collect(generation);
        // Objects that died in a traverse during the phases go now (the heap's stop callback
        // already did).
        crate::trashcan::drain_pending(inner);
        // A full collection emptied the free lists at its stop, before the `gc.callbacks`
        // ran (heap.rs), as CPython does: what those callbacks released stays listed.
        n
    }
    /// `gc.collect(generation)` explained: the per-object table of the collection (gc_refs
    /// phase by phase, moved back by whom, finalizers, weakrefs, freed; see
    /// [`pyheap_gc::Explanation`]). Row ids are `id(obj)` ([`Heap::id`]), so callers can name
    /// the rows after their own handles.
    pub fn collect_explained(&self, generation: i64) -> Result<pyheap_gc::Explanation, GcError> {
        let inner = self.inner();
        if inner.gc.is_collecting() {
            return inner.gc.collect_explained(generation); // explains nothing, as collect
        }
        let ex = inner.gc.collect_explained(generation);
        crate::trashcan::drain_pending(inner);
        let mut ex = ex?;
        for row in &mut ex.rows {
            // Address arithmetic only: a freed row's head is dangling (the object follows its
            // head directly, as `from_gc` computes for live ones).
            row.id = row.op.as_ptr() as usize + crate::object::GC_HEAD_SIZE;
        }
        Ok(ex)
    }
    /// `gc.get_count()`.
    pub fn get_count(&self) -> [usize; NUM_GENERATIONS] {
        self.collector().get_count()
    }
    /// `gc.get_threshold()`.
    pub fn get_threshold(&self) -> [usize; NUM_GENERATIONS] {
        self.collector().get_threshold()
    }
    /// `gc.set_threshold(t0[, t1[, t2]])`.
    pub fn set_threshold(&self, t0: usize, t1: Option<usize>, t2: Option<usize>) {
        self.collector().set_threshold(t0, t1, t2)
    }
    /// `gc.get_stats()`.
    pub fn get_stats(&self) -> [GenerationStats; NUM_GENERATIONS] {
        self.collector().get_stats()
    }
    /// `gc.enable()`.
    pub fn enable(&self) {
        self.collector().enable()
    }
    /// `gc.disable()`.
    pub fn disable(&self) {
        self.collector().disable()
    }
    /// `gc.isenabled()`.
    pub fn isenabled(&self) -> bool {
        self.collector().isenabled()
    }
    /// Is a collection running (is this code called from one of its finalizers, callbacks or
    /// user traverses)? A `collect` now returns 0.
    pub fn is_collecting(&self) -> bool {
        self.collector().is_collecting()
    }
    /// `gc.is_tracked(obj)`.
    pub fn is_tracked<'o>(&self, obj: &impl AsObj<'o>) -> bool {
        let op = obj.as_obj().as_raw();
        // SAFETY: live object; GC types have a head.
        unsafe { type_of(op).is_gc() && gc_head(op).as_ref().is_tracked() }
    }
    /// `gc.is_finalized(obj)`.
    pub fn is_finalized<'o>(&self, obj: &impl AsObj<'o>) -> bool {
        let op = obj.as_obj().as_raw();
        // SAFETY: the handle keeps `op` alive; only GC types have a head in front of the header.
        unsafe { type_of(op).is_gc() && gc_head(op).as_ref().is_finalized() }
    }
    /// Objects in generation `g` (3 = permanent).
    pub fn generation_len(&self, g: usize) -> usize {
        self.collector().generation_len(g)
    }
    /// `gc.get_objects(generation)`: tracked objects of one generation, or of all three.
    pub fn get_objects(&self, generation: Option<i64>) -> Result<Vec<Obj<'h>>, GcError> {
        Ok(self.handles(self.collector().get_objects(generation)?))
    }
    /// `gc.get_referents(obj)`: what the object's traverse reports (the referents may be atoms);
    /// like CPython, an object that is not GC-capable contributes nothing.
    pub fn get_referents(&self, obj: &impl AsObj<'h>) -> Vec<Obj<'h>> {
        let obj = obj.as_obj();
        if !obj.type_object().is_gc() {
            return Vec::new();
        }
        crate::introspect::referents(obj)
    }
    /// `gc.get_referents(*objs)`: the concatenation of what each object's traverse reports, in
    /// argument order (objects without a traverse — atoms — contribute nothing).
    pub fn get_referents_of(&self, objs: &[&Obj<'h>]) -> Vec<Obj<'h>> {
        objs.iter().flat_map(|o| self.get_referents(*o)).collect()
    }
    /// `gc.get_referrers(*objs)`: tracked objects (generations 0–2) whose traverse reports one of
    /// `objs` (atoms included, like CPython).
    pub fn get_referrers(&self, objs: &[&Obj<'h>]) -> Vec<Obj<'h>> {
        let targets: HashSet<RawObj> = objs.iter().map(|o| o.as_raw()).collect();
        let mut out = Vec::new();
        // A user traverse may drop the last reference to an object further down the snapshot:
        // nothing is freed until the handles below hold what was found.
        let _defer = crate::trashcan::Defer::new(self.inner());
        for g in self.collector().get_objects(None).unwrap_or_default() {
            // SAFETY: tracked objects are live when the snapshot is taken, and nothing is freed
            // while the deferral scope is open (a panicking user traverse is caught).
            unsafe {
                let op = from_gc(g);
                let mut hit = false;
                if let Some(t) = type_of(op).traverse {
                    t(op, &mut |c| hit |= targets.contains(&c));
                }
                if hit {
                    out.push(g);
                }
            }
        }
        self.handles(out)
    }
    /// `gc.garbage`: uncollectable objects (legacy finalizers in cycles) and, with DEBUG_SAVEALL,
    /// everything found unreachable.
    pub fn garbage(&self) -> Vec<Obj<'h>> {
        self.handles(self.collector().garbage())
    }
    /// `len(gc.garbage)`.
    pub fn garbage_len(&self) -> usize {
        self.collector().garbage_len()
    }
    /// Empty `gc.garbage`, handing its entries to the caller (`g = gc.garbage[:];
    /// gc.garbage.clear()`): the returned handles own the references the list held, so
    /// dropping them releases the objects (breaking their cycles first lets refcounting free
    /// them).
    pub fn take_garbage(&self) -> Vec<Obj<'h>> {
        self.collector()
            .take_garbage()
            .into_iter()
            // SAFETY: every garbage entry owns one strong reference to a live object of this
            // heap; `take_garbage` transfers it, and the handle now owns it.
            .map(|g| unsafe { Obj::from_owned(from_gc(g)) })
            .collect()
    }
    /// `gc.garbage.clear()`.
    pub fn clear_garbage(&self) {
        let inner = self.inner();
        inner.gc.clear_garbage()
    }
    /// Append to `gc.callbacks`.
    pub fn add_callback(&self, f: impl FnMut(Phase, &GcCallbackInfo) + 'static) -> GcCallbackId {
        self.collector().add_callback(f)
    }
    /// Remove from `gc.callbacks`.
    pub fn remove_callback(&self, id: GcCallbackId) -> bool {
        self.collector().remove_callback(id)
    }
    /// `gc.set_debug(flags)` (`pyheap_gc::DEBUG_*`).
    pub fn set_debug(&self, flags: u32) {
        self.collector().set_debug(flags)
    }
    /// `gc.get_debug()`.
    pub fn get_debug(&self) -> u32 {
        self.collector().get_debug()
    }
    /// Append to `gc.callbacks` a callback that also receives the heap (so that, like a Python
    /// callback, it can look at `gc.garbage`, touch objects or allocate). It is called as
    /// `f(heap, phase, info)`; a `collect` from inside it returns 0, and a panic in it is
    /// reported like CPython's unraisable hook.
    pub fn add_heap_callback(
        &self,
        mut f: impl for<'a> FnMut(&'a Heap, Phase, &GcCallbackInfo) + 'static,
    ) -> GcCallbackId {
        let inner: *const HeapInner = self.inner();
        self.collector().add_callback(move |phase, info| {
            // SAFETY: the collector holding this callback lives inside the HeapInner `inner`
            // points to, and callbacks only run during a collection of that live heap.
            let heap = unsafe { (*inner).heap() };
            f(heap, phase, info)
        })
    }
    /// Where debug output goes (default stderr).
    pub fn set_debug_output(&self, out: Box<dyn std::io::Write>) {
        self.collector().set_debug_output(out)
    }
    /// `gc.freeze()`.
    pub fn freeze(&self) {
        self.collector().freeze()
    }
    /// `gc.unfreeze()`.
    pub fn unfreeze(&self) {
        self.collector().unfreeze()
    }
    /// `gc.get_freeze_count()`.
    pub fn get_freeze_count(&self) -> usize {
        self.collector().get_freeze_count()
    }
    /// The two counts of the 25 % rule.
    pub fn long_lived(&self) -> pyheap_gc::LongLived {
        self.collector().long_lived()
    }
    /// The full-collection ratio (0.25 in CPython).
    pub fn get_full_collection_ratio(&self) -> f64 {
        self.collector().get_full_collection_ratio()
    }
    /// Set the full-collection ratio.
    pub fn set_full_collection_ratio(&self, ratio: f64) {
        self.collector().set_full_collection_ratio(ratio)
    }
    /// Collections aborted because a traverse over-reported references.
    pub fn refcount_errors(&self) -> usize {
        self.collector().refcount_errors()
    }
}
