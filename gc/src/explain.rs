//! The collector's algorithm shown: for one collection, the per-object table CPython never
//! prints (refcount, gc_refs after the copy and after the subtraction, tentatively unreachable,
//! moved back and by whom, finalizer run, weakrefs cleared, freed).
//!
//! ```text
//!  collect_explained(model, g)
//!   1. read-only replay of phases 2-6 on the objects of generations 0..=g, in the order the
//!      real collection merges them (generation g, then 0, 1, ...):
//!        gc_refs = refcount            (update_refs)
//!        gc_refs -= internal edges     (subtract_refs)
//!        the move_unreachable walk     (who is moved to `unreachable`, who pulls it back)
//!        legacy finalizers             (what they keep uncollectable)
//!   2. what phases 5-10 will do, from the replay and the model's answers: untracked survivors
//!      (can_untrack), weakrefs cleared (may_have_weakrefs), finalizers to run (has_finalizer
//!      and not yet FINALIZED), tp_clear; then the real collection (`Collector::collect`)
//!   3. afterwards: an object of the table is alive when it is tracked again (some generation),
//!      in gc.garbage, or was untracked as a survivor; every other one was freed.
//! ```
//!
//! The replay never writes to a GC head: it keeps its own `gc_refs` array indexed like the
//! table, so it cannot disturb the collection that follows. It is exact for phases 2-6 (the
//! same arithmetic over the same traverse); what user code does later (a finalizer resurrecting,
//! a weakref callback dropping references) is only known from step 2 and 3.
//!
//! Caveat of step 3: an address freed during the collection and reused by an object that a
//! finalizer or callback allocated and tracked would be counted alive. Tests use graphs whose
//! user code does not allocate tracked objects.
//!
//! The replay holds a strong reference to every row while it traverses them and asks the model
//! (a user traverse may free objects there); the refcounts in the table are read before.
//! An object whose last reference a traverse dropped is then freed before the collection and
//! shows as `freed` without being garbage.

use crate::ObjectModel;
use crate::collector::{Collector, GcError};
use crate::generation::NUM_GENERATIONS;
use crate::head::GcPtr;
use std::collections::{HashMap, HashSet};

/// One object of the explained collection. Indices (`moved_back_by`, ...) point into
/// [`Explanation::rows`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Row {
    /// The object's GC head (dangling once the object is freed: an address, not a handle).
    pub op: GcPtr,
    /// An identifier for display: the head address here; the runtime replaces it by `id(obj)`.
    pub id: usize,
    /// `<typename 0xADDRESS>` from the model's `describe`, read before the collection.
    pub name: String,
    /// The generation the object was in before the younger ones were merged.
    pub generation: usize,
    /// `ob_refcnt` before the collection.
    pub refcount: usize,
    /// gc_refs after update_refs (the refcount, clamped to at least 1).
    pub gc_refs_copy: usize,
    /// gc_refs after subtract_refs: references from outside the collected generations.
    pub gc_refs_external: usize,
    /// Moved to `unreachable` by the walk because its gc_refs was 0 when the walk reached it.
    pub tentatively_unreachable: bool,
    /// Pulled back from `unreachable` (or saved before the walk got to it) by the traverse of
    /// this reachable object.
    pub moved_back_by: Option<usize>,
    /// Still in `unreachable` at the end of the walk: garbage unless user code resurrects it.
    pub unreachable: bool,
    /// Unreachable but kept (in gc.garbage) because it has, or is reachable from, a legacy
    /// finalizer (`tp_del`).
    pub uncollectable: bool,
    /// Untracked as a survivor (a tuple or dict holding only atoms).
    pub untracked: bool,
    /// Garbage whose weak references (if any) are cleared: the model says it may have some.
    pub weakrefs_cleared: bool,
    /// Its PEP 442 finalizer (`__del__`) runs in this collection (garbage, not yet finalized).
    pub finalized: bool,
    /// Its `tp_clear` is called (garbage not resurrected).
    pub cleared: bool,
    /// Unreachable after the walk but alive after the collection (a finalizer resurrected it).
    pub resurrected: bool,
    /// Gone after the collection.
    pub freed: bool,
}

/// The table of one explained collection and the edges between its objects.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Explanation {
    /// The generation collected.
    pub generation: usize,
    /// One row per object of generations 0..=generation, in the walk's starting order.
    pub rows: Vec<Row>,
    /// Every reference between two rows, `(from, to)`, in traverse order (repeated edges kept).
    pub edges: Vec<(usize, usize)>,
    /// What the real collection returned (collected + uncollectable).
    pub collected: usize,
    /// A traverse reported more edges than a refcount allows (the real collection aborts too).
    pub refcount_error: bool,
}

impl Explanation {
    /// Indices of the rows the replay found unreachable.
    pub fn unreachable(&self) -> impl Iterator<Item = usize> + '_ {
        (0..self.rows.len()).filter(|&i| self.rows[i].unreachable)
    }
    /// Indices of the rows the real collection freed.
    pub fn freed(&self) -> impl Iterator<Item = usize> + '_ {
        (0..self.rows.len()).filter(|&i| self.rows[i].freed)
    }
}

/// Phases 2-6 replayed on `objs` (read only): fills the static columns and returns the edges.
fn replay<M: ObjectModel>(model: &M, rows: &mut [Row]) -> (Vec<(usize, usize)>, bool) {
    let index: HashMap<GcPtr, usize> = rows.iter().enumerate().map(|(i, r)| (r.op, i)).collect();
    let mut edges = Vec::new();
    for (i, r) in rows.iter().enumerate() {
        model.traverse(r.op, &mut |t| {
            if let Some(&j) = index.get(&t) {
                edges.push((i, j));
            }
        });
    }
    // update_refs and subtract_refs.
    let mut refs: Vec<usize> = rows.iter().map(|r| r.refcount.max(1)).collect();
    let mut error = false;
    for &(_, j) in &edges {
        match refs[j].checked_sub(1) {
            Some(v) => refs[j] = v,
            None => error = true,
        }
    }
    for (r, &v) in rows.iter_mut().zip(&refs) {
        r.gc_refs_copy = r.refcount.max(1);
        r.gc_refs_external = v;
    }
    if error {
        // As the real collector: every candidate is treated as reachable.
        refs.iter_mut().for_each(|r| *r = 1);
    }
    // move_unreachable: one walk over `young`, which grows at its tail when a reachable object
    // pulls a tentatively unreachable one back.
    let mut out_edges: Vec<Vec<usize>> = vec![Vec::new(); rows.len()];
    for &(i, j) in &edges {
        out_edges[i].push(j);
    }
    let mut young: Vec<usize> = (0..rows.len()).collect();
    let mut in_unreachable = vec![false; rows.len()];
    let mut pos = 0;
    while pos < young.len() {
        let i = young[pos];
        pos += 1;
        if refs[i] > 0 {
            for &t in &out_edges[i] {
                if refs[t] == 0 {
                    refs[t] = 1;
                    rows[t].moved_back_by = Some(i);
                    if in_unreachable[t] {
                        in_unreachable[t] = false;
                        young.push(t);
                    }
                }
            }
        } else {
            in_unreachable[i] = true;
            rows[i].tentatively_unreachable = true;
        }
    }
    for (r, &u) in rows.iter_mut().zip(&in_unreachable) {
        r.unreachable = u;
    }
    // Legacy finalizers: they and everything reachable from them stay uncollectable.
    let mut stack: Vec<usize> = (0..rows.len())
        .filter(|&i| in_unreachable[i] && model.has_legacy_finalizer(rows[i].op))
        .collect();
    while let Some(i) = stack.pop() {
        if rows[i].uncollectable {
            continue;
        }
        rows[i].uncollectable = true;
        stack.extend(
            out_edges[i]
                .iter()
                .copied()
                .filter(|&t| in_unreachable[t] && !rows[t].uncollectable),
        );
    }
    (edges, error)
}

impl<M: ObjectModel> Collector<M> {
    /// Collect generation `generation` and explain it: the table of [`Explanation`] (module
    /// docs). During a collection (from a finalizer or callback) it explains nothing: no rows,
    /// `collected == 0`, as `collect` returns 0 there.
    pub fn collect_explained(&self, generation: i64) -> Result<Explanation, GcError> {
        if !(0..NUM_GENERATIONS as i64).contains(&generation) {
            return Err(GcError::InvalidGeneration(generation));
        }
        let Some(model) = self.model() else {
            return Err(GcError::NotBound);
        };
        let g = generation as usize;
        if self.is_collecting() {
            return Ok(Explanation {
                generation: g,
                rows: Vec::new(),
                edges: Vec::new(),
                collected: 0,
                refcount_error: false,
            });
        }
        // The order of the merged `young` list: generation g, then 0, 1, ... g-1.
        let mut rows = Vec::new();
        for gen_ in std::iter::once(g).chain(0..g) {
            self.for_each_in(gen_, |op| {
                rows.push(Row {
                    op,
                    id: op.as_ptr() as usize,
                    name: crate::debug::describe(model, op),
                    generation: gen_,
                    refcount: model.refcount(op),
                    gc_refs_copy: 0,
                    gc_refs_external: 0,
                    tentatively_unreachable: false,
                    moved_back_by: None,
                    unreachable: false,
                    uncollectable: false,
                    untracked: false,
                    weakrefs_cleared: false,
                    finalized: false,
                    cleared: false,
                    resurrected: false,
                    freed: false,
                })
            });
        }
        // The replay's traverses may run user code that frees objects (outside a collection
        // nothing defers that): every row is held until the model's answers are in.
        for r in &rows {
            model.incref(r.op);
        }
        let (edges, refcount_error) = replay(model, &mut rows);
        // What phases 5-10 will do, decided now from the replay and the model's answers (the
        // collector runs these phases exactly so; only resurrection needs the real run).
        let full = g == NUM_GENERATIONS - 1;
        for r in &mut rows {
            let garbage = r.unreachable && !r.uncollectable && !refcount_error;
            r.untracked = !r.unreachable
                && (model.can_untrack(r.op, false) || (full && model.can_untrack(r.op, true)));
            r.weakrefs_cleared = garbage && model.may_have_weakrefs(r.op);
            // SAFETY: a live tracked object (its head is read only).
            let done = unsafe { Collector::<M>::is_finalized(r.op) };
            r.finalized = garbage && model.has_finalizer(r.op) && !done;
            r.cleared = garbage;
        }
        for r in &rows {
            model.decref(r.op);
        }
        let collected = match self.collect(generation) {
            Ok(n) => n,
            Err(GcError::RefcountTooSmall { .. }) => 0,
            Err(e) => return Err(e),
        };
        let mut alive: HashSet<GcPtr> = self.garbage().into_iter().collect();
        for gen_ in 0..=crate::generation::PERMANENT {
            self.for_each_in(gen_, |op| {
                alive.insert(op);
            });
        }
        for r in &mut rows {
            let lives = alive.contains(&r.op) || r.untracked;
            r.freed = !lives;
            r.resurrected = r.unreachable && !r.uncollectable && lives;
            r.cleared &= !r.resurrected;
        }
        Ok(Explanation {
            generation: g,
            rows,
            edges,
            collected,
            refcount_error,
        })
    }
}
