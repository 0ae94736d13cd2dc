//! One collection of generation g (CPython's `gc_collect_main`), and the reachability core.
//!
//! Phases, with the list every object of the collected generations lives on:
//!
//! 1. **Start.** Callbacks get `Start`; DEBUG_STATS prints the header. Counts are updated and
//!    generations `0..g` are merged into g: every candidate is on `young` (= generation g's list).
//! 2. **update_refs** (`young`): `gc_refs := refcount`, COLLECTING set. From here until phase 4
//!    `young` is singly linked: `prev` holds gc_refs.
//! 3. **subtract_refs** (`young`): every candidate's traverse decrements the gc_refs of each
//!    COLLECTING referent. What remains is the number of references from outside the
//!    candidates. A decrement below zero means a traverse reports more edges than the refcount:
//!    the collection is aborted (see "Refcount errors" below).
//! 4. **move_unreachable** (`young` → `young` | `unreachable`): one walk over `young`. An object
//!    with gc_refs > 0 is reachable: it is traversed, every COLLECTING referent with gc_refs 0
//!    gets gc_refs 1 (and is pulled back from `unreachable` to the tail of `young` if the walk had
//!    already moved it there), its prev link is restored and COLLECTING cleared. An object with
//!    gc_refs 0 moves (tentatively) to `unreachable`, its `next` tagged UNREACHABLE. No recursion,
//!    no allocation: a 10-million-long chain is just a long walk.
//! 5. **Survivors** (`young` → generation g+1): tuples (every collection) and dicts (full
//!    collections) that `can_untrack` are untracked; the rest are counted for the 25 % rule and
//!    merged into the next generation (`old`; for g = 2, `old` is `young` itself). The first pass
//!    (tuples) is fused into phase 4's walk, which meets every survivor in final list order; the
//!    dict pass of full collections stays a separate walk, skipped when no survivor could pass.
//! 6. **Legacy finalizers** (`unreachable` → `finalizers`): objects with `tp_del`, and everything
//!    reachable from them, are uncollectable (finalize.rs). Skipped, with 7 and 8, when phase 4
//!    moved no object with a finalizer of either kind or weakrefs to `unreachable`
//!    (`Survivors::special_garbage == 0`): the garbage then goes from phase 4 straight to
//!    phase 10, one walk fewer.
//! 7. **Weakrefs** (`unreachable`; reachable weakrefs with callbacks via `wrcb_to_call` → `old`):
//!    weakref.rs.
//! 8. **PEP 442 finalizers** (`unreachable`, via `seen`): each runs once (finalize.rs).
//! 9. **Resurrection** (`unreachable` → `old` | `final_unreachable`): reachability is computed
//!    again on the unreachable set; what a finalizer made reachable goes to `old`.
//! 10. **delete_garbage** (`final_unreachable` → freed by refcounting | `old`): incref, `clear`,
//!     an object still first on the list survived and moves to `old`; decref. Or, when the
//!     garbage is refcount-only and the model allows it, **the sweep** (below): one walk that
//!     releases each object's references and frees it, with no `clear` and no refcount
//!     deallocation.
//! 11. **Uncollectable** (`finalizers` → `old`, some also into `garbage`), stats, DEBUG_STATS
//!     `done` line, callbacks `Stop`. Return value: collected + uncollectable.
//!
//! Every local list sentinel lives on this function's stack frame; all of them are empty again
//! before it returns. Between phases 5 and 11 every list is doubly linked, because user code
//! (finalizers, callbacks, `clear`, deallocation → `untrack`) runs there; all are untagged
//! except, when phase 6 was skipped, the inner links of the garbage list, which phases 9–10
//! only reach through operations that mask the tag (`next()`, `merge`, `remove`, `next_is`).
//!
//! # The sweep (phase 10 without `clear`)
//!
//! CPython frees garbage by clearing it and letting reference counting do the rest: per object
//! an incref, a `clear`, the deaths it causes (each through the deallocation machinery), a
//! decref. When no user code can run during phase 10 that work is only bookkeeping, so the
//! collector instead walks the garbage once, asking the model to release each object's
//! references ([`ObjectModel::sweep_release`]) and freeing it ([`ObjectModel::sweep_free`]).
//! It runs when all of these hold:
//! 1. a full collection with an empty permanent generation: every tracked object was a
//!    candidate, so everything outside the garbage that it references and that can die from it
//!    is untracked or not GC-capable (a survivor has a reference from outside the garbage);
//! 2. phase 4 moved no special garbage (no finalizer, legacy finalizer or weak reference:
//!    phases 6–9 were skipped, no user code ran since phase 4) and only objects
//!    [`sweepable`](ObjectModel::sweepable) says yes to, which includes the model's promise that
//!    no death outside the collector's view can run user code (so that running those deaths
//!    after the garbage is freed, not interleaved with the clears, cannot be observed);
//! 3. DEBUG_SAVEALL is off and no refcount error was found.
//!
//! The walk, over `garbage` (the phase-4 ring, whose links into objects all carry the
//! UNREACHABLE tag — the last one is re-tagged first — and whose objects have COLLECTING set):
//!
//! ```text
//!   for p in garbage, in list order:
//!     sweep_release(p): for each referent c held by p
//!        c's next tagged (c is garbage) → count(c) − 1; if 0 and c already passed → unlink, free
//!        otherwise                      → the model's decref (a death waits: sweep_scope)
//!     clear COLLECTING on p (passed); if count(p) = 0 → unlink (tags kept), free
//!   what is left → untagged, merged into `old`
//! ```
//!
//! Why it is safe (no object is freed while anything can still reach it, nothing is read after
//! it is freed):
//! - An object is freed only at count 0, the count having dropped only for references that
//!   garbage objects actually held and released (not for edges a traverse reported): whatever
//!   else holds it — e.g. a holder hidden by a traverse that over-reports edges onto 0 (the
//!   crate docs' table) — keeps its count above 0, and it survives emptied in `old`, exactly as
//!   after `clear` in delete_garbage.
//! - An object is freed only once the walk has passed it (released its references), so its
//!   own items are never read after its free; and at count 0 no garbage object still holds it,
//!   so no later release reaches it.
//! - The walk's successor is never freed ahead of the walk (only passed objects are), and
//!   unlinking keeps the tag on every link into a garbage object, so the membership test stays
//!   true for what is still on the ring.
//! - No user code runs inside the walk: the model defers every death its decrefs cause until
//!   the walk is over ([`ObjectModel::sweep_scope`]; they then run in the order the counts
//!   reached zero, still inside the collection). Nothing can therefore reach the garbage, relink
//!   it or free it meanwhile, and the collector holds no borrow across the model's calls.
//!
//! What it saves (`gc_dead_pairs 200000 lists`, callgrind): 340 → 269 instructions per freed
//! list, of which phase 10 is ~140 (two sized frees, the release loop, the walk).
//!
//! # Refcount errors
//! If subtract_refs would take an object's gc_refs below zero, the traverse of some candidate
//! reports more references than exist. CPython aborts the process in debug builds
//! ("refcount is too small"). We instead *abort the collection*: every candidate's gc_refs is set
//! to 1, so move_unreachable finds all of them reachable, restores the lists and promotes them as
//! survivors; nothing is cleared. The error names both objects (`describe`) on the debug writer
//! (stderr by default), is counted in the stats, and `collect` returns
//! [`GcError::RefcountTooSmall`](crate::GcError). The same applies to the second reachability pass
//! of phase 9 (everything is then treated as resurrected).
//!
//! # Invariants
//! - No `RefCell` borrow or `&mut` is held across a call into the model.
//! - A panic unwinding out of the model during a collection would leave objects linked to this
//!   stack frame; the model promises not to unwind, and a guard aborts the process if it does.

use crate::ObjectModel;
use crate::candidates;
use crate::collector::{Collector, GcError};
use crate::debug::{DEBUG_COLLECTABLE, DEBUG_SAVEALL, DEBUG_STATS, DEBUG_UNCOLLECTABLE};
use crate::generation::{NUM_GENERATIONS, NURSERY, PERMANENT};
use crate::head::{GcPtr, head, list};
use std::cell::Cell;
use std::time::{Duration, Instant};

/// Largest refcount representable in the gc_refs field (`usize` minus the two flag bits).
const MAX_REFS: usize = usize::MAX >> crate::head::PREV_SHIFT;

/// What one collection found.
#[derive(Debug, Clone, Default)]
pub(crate) struct Outcome {
    pub collected: usize,
    pub uncollectable: usize,
    pub candidates: usize,
    pub duration: Duration,
    /// A refcount error ([`GcError::RefcountTooSmall`]) that aborted the collection.
    pub error: Option<GcError>,
}

/// The first over-reported edge seen by subtract_refs: (referent, referrer).
pub(crate) type RefError = (GcPtr, GcPtr);

/// Aborts the process if a panic unwinds through a collection (objects would stay linked to
/// sentinels on the unwound stack frame).
struct AbortOnUnwind {
    /// Was a panic already unwinding when the collection started (e.g. a heap dropped during a
    /// failing test)? Then that panic is not ours and must not turn into an abort.
    already_panicking: bool,
}

impl AbortOnUnwind {
    fn new() -> Self {
        AbortOnUnwind {
            already_panicking: std::thread::panicking(),
        }
    }
}

impl Drop for AbortOnUnwind {
    fn drop(&mut self) {
        if std::thread::panicking() && !self.already_panicking {
            eprintln!("pyheap-gc: panic unwound through a collection; aborting");
            std::process::abort();
        }
    }
}

/// A list sentinel on the stack, initialised as an empty ring.
macro_rules! local_list {
    ($name:ident) => {
        let $name = $crate::head::GcHead::new();
        let $name: $crate::head::GcPtr = ::std::ptr::NonNull::from(&$name);
        // SAFETY: the sentinel lives on this stack frame until the end of the enclosing function,
        // and every object is moved off it before then.
        unsafe { $crate::head::list::init($name) };
    };
}
pub(crate) use local_list;

/// Phase 2: copy refcounts into gc_refs, set COLLECTING. Returns the number of candidates.
///
/// A tracked object at refcount 0 is in the middle of its deallocation (a runtime bug that
/// CPython asserts against). It gets gc_refs 1: treated as reachable, it is never cleared or
/// decrefed by the collector, so it cannot be deallocated twice — unless, on top of that bug, a
/// traverse also reports an edge to it (its first decrement then goes unnoticed).
///
/// Each candidate is recorded in `cands` (room permitting: see candidates.rs).
///
/// # Safety
/// `young` is a well-formed ring of live objects.
pub(crate) unsafe fn update_refs<M: ObjectModel>(
    model: &M,
    young: GcPtr,
    cands: &mut Vec<GcPtr>,
) -> usize {
    let mut n = 0;
    // SAFETY: ring of live heads (caller); reset_refs only writes `prev`, never `next`.
    unsafe {
        let mut p = head(young).next();
        while p != young {
            let h = head(p);
            candidates::record(cands, p);
            h.reset_refs(model.refcount(p).clamp(1, MAX_REFS));
            n += 1;
            p = h.next();
        }
    }
    n
}

/// Phase 3: subtract the references candidates hold on each other. `cands` holds (a prefix
/// of) `young` in list order, for prefetching.
///
/// # Safety
/// `young` is a ring of live objects whose `next` links are intact (prev holds gc_refs).
pub(crate) unsafe fn subtract_refs<M: ObjectModel>(
    model: &M,
    young: GcPtr,
    cands: &[GcPtr],
) -> (Option<RefError>, usize) {
    let error: Cell<Option<RefError>> = Cell::new(None);
    let mut zeros = 0usize;
    // SAFETY: ring of live heads (caller); traverse only passes live heads (trait contract).
    unsafe {
        let mut p = head(young).next();
        let mut i = 0;
        while p != young {
            let from = p;
            crate::head::prefetch(head(p).next());
            candidates::prefetch_ahead(cands, i);
            i += 1;
            model.traverse(p, &mut |t| {
                let th = head(t);
                if th.is_collecting() {
                    if th.gc_refs() == 0 {
                        if error.get().is_none() {
                            error.set(Some((t, from)));
                        }
                    } else {
                        th.decref_gc_refs();
                        zeros += usize::from(th.gc_refs() == 0);
                    }
                }
            });
            p = head(p).next();
        }
    }
    (error.get(), zeros)
}

/// Phases 2 and 3 in one walk, for a full collection with an empty permanent generation: then
/// every tracked object is a candidate (they are all on `young`), so "is `t` part of this
/// collection?" needs no COLLECTING bit set beforehand — it is "is `t` tracked?". The walk
/// initialises an object's gc_refs from its refcount the first time it meets it, as the walked
/// object or as a referent (COLLECTING clear: not met yet; set: met, gc_refs valid), and then
/// subtracts as phase 3 does. Each head and refcount is loaded once instead of in two walks.
/// Returns (candidates, the first refcount error). Each walked object is recorded in `cands`
/// (room permitting).
///
/// A user traverse may track new objects meanwhile; they wait on the `nursery` (not a candidate,
/// yet tracked), so a walk could initialise one as a referent. After the walk every head on the
/// nursery gets its COLLECTING bit cleared and its `prev` pointer rebuilt from the `next` links
/// (which the walk never writes), as if it had never been met.
///
/// # Safety
/// `young` holds every tracked object but those on `nursery` (both well-formed rings of live
/// objects, no COLLECTING bit set anywhere).
pub(crate) unsafe fn update_and_subtract_refs<M: ObjectModel>(
    model: &M,
    young: GcPtr,
    nursery: GcPtr,
    cands: &mut Vec<GcPtr>,
) -> (usize, Option<RefError>, usize) {
    let error: Cell<Option<RefError>> = Cell::new(None);
    let mut n = 0;
    let mut zeros = 0usize;
    // SAFETY: ring of live heads (caller); traverse only passes live heads (trait contract);
    // reset_refs/decref only write `prev`, so every `next` link stays intact during the walk.
    unsafe {
        let mut p = head(young).next();
        while p != young {
            let from = p;
            let h = head(p);
            crate::head::prefetch(h.next());
            candidates::record(cands, p);
            if !h.is_collecting() {
                h.reset_refs(model.refcount(p).clamp(1, MAX_REFS));
            }
            n += 1;
            model.traverse(p, &mut |t| {
                let th = head(t);
                if th.is_collecting() {
                    if th.gc_refs() == 0 {
                        if error.get().is_none() {
                            error.set(Some((t, from)));
                        }
                    } else {
                        th.decref_gc_refs();
                        zeros += usize::from(th.gc_refs() == 0);
                    }
                } else if th.is_tracked() {
                    // First meeting: refcount, minus this reference (refcount ≥ 1 here).
                    let refs = model.refcount(t).clamp(1, MAX_REFS) - 1;
                    th.reset_refs(refs);
                    zeros += usize::from(refs == 0);
                }
            });
            p = h.next();
        }
        if !list::is_empty(nursery) {
            let mut prev = nursery;
            let mut q = head(nursery).next();
            while q != nursery {
                let qh = head(q);
                qh.clear_collecting();
                qh.set_prev(prev);
                prev = q;
                q = qh.next();
            }
        }
    }
    (n, error.get(), zeros)
}

/// `visit_reachable`: `t` is referenced by a reachable object.
///
/// # Safety
/// As in [`move_unreachable`].
#[inline]
unsafe fn visit_reachable(t: GcPtr, young: GcPtr, pulled_back: &mut usize, zeros: &mut usize) {
    // SAFETY: t is a live head (traverse contract); list neighbours are live.
    unsafe {
        let th = head(t);
        if !th.is_collecting() {
            // Another generation, untracked, or already scanned (left of the walk).
            return;
        }
        if th.next_is_tagged() {
            // Already moved to `unreachable`: unlink it by hand (the generic helpers do not
            // understand the tag) and append it to the tail of young; the walk will reach it.
            let prev = th.prev();
            let next = th.next();
            head(prev).set_next_raw(th.next_raw()); // keeps the tag on prev's link
            head(next).set_prev(prev);
            list::append(t, young);
            th.reset_refs(1);
            *pulled_back += 1;
            *zeros -= 1;
        } else if th.gc_refs() == 0 {
            // Still ahead of the walk in young: mark it reachable.
            th.set_gc_refs(1);
            *zeros -= 1;
        }
    }
}

/// What phase 4 counted when it also did phase 5's first pass (`UNTRACK`).
#[derive(Debug, Default, Clone, Copy)]
pub(crate) struct Survivors {
    /// Reachable objects left tracked.
    pub(crate) count: usize,
    /// How many of them `may_untrack_when_full` (the full collection's second pass is skipped
    /// when there are none).
    pub(crate) full_candidates: usize,
    /// Moves to `unreachable` for which `has_legacy_finalizer`, `has_finalizer` (not yet
    /// FINALIZED) or `may_have_weakrefs` held. An upper bound for what phases 6–8 can find
    /// (an object pulled back later was counted anyway): 0 means phase 6's walk has nothing to
    /// do and phases 7–8 none either, so garbage goes to delete_garbage in one pass.
    pub(crate) special_garbage: usize,
    /// Objects on `unreachable` when the walk ends (moves in minus pulls back).
    pub(crate) garbage: usize,
    /// Moves to `unreachable` of objects the model cannot sweep (`sweepable` false; an upper
    /// bound like `special_garbage`): 0 lets phase 10 sweep.
    pub(crate) unsweepable: usize,
}

/// Phase 4: split `young` into reachable (stays, COLLECTING cleared, prev restored) and
/// tentatively unreachable (`unreachable`, COLLECTING set, `next` tagged UNREACHABLE — the
/// sentinel's own `next` is left untagged).
///
/// With `UNTRACK`, phase 5's first pass (`can_untrack(op, false)`, CPython's `untrack_tuples`)
/// is done here too, on each object the moment it is known reachable, saving a walk over the
/// survivors. This is the same computation in the same order: the walk processes the reachable
/// objects in exactly the order they end up in on `young` (objects pulled back from `unreachable`
/// are appended to the tail and reached later), an object's reachability is final once the walk
/// has passed it, and the answer of `can_untrack` only depends on whether the referents are
/// tracked — every candidate still on `young` or `unreachable` is tracked (`next != 0`) in both
/// orders, and the only objects that stop being tracked are the ones this pass untracks, in the
/// same order. An object untracked here is simply not linked back into `young` (it is singly
/// linked behind the walk), and ends with `next = 0`, `prev` = its FINALIZED bit, as after
/// `untrack_raw`.
///
/// `cands` holds (a prefix of) `young` in list order: visit number `i` is `cands[i]` while
/// `i < cands.len()` (candidates.rs), which lets the walk prefetch ahead of the chase.
///
/// # Safety
/// `young` went through update_refs/subtract_refs; `unreachable` is an empty local ring.
pub(crate) unsafe fn move_unreachable<M: ObjectModel, const UNTRACK: bool>(
    model: &M,
    young: GcPtr,
    unreachable: GcPtr,
    cands: &[GcPtr],
    mut zeros: usize,
) -> Survivors {
    let mut survivors = Survivors::default();
    let mut moved = 0;
    let mut pulled_back = 0;
    // SAFETY: all heads on both lists are live (caller); see the phase description above.
    unsafe {
        let u = head(unreachable);
        let mut prev = young;
        let mut gc = head(young).next();
        let mut i = 0;
        while gc != young {
            let h = head(gc);
            crate::head::prefetch(h.next());
            candidates::prefetch_ahead(cands, i);
            i += 1;
            if h.gc_refs() > 0 {
                // Reachable. visit_reachable may append to young (changing h.next when gc is the
                // tail), so the successor is read only afterwards. With no candidate left at
                // gc_refs 0 the traverse could change nothing (see `zeros` above): skipped.
                if zeros > 0 {
                    model.traverse(gc, &mut |t| {
                        visit_reachable(t, young, &mut pulled_back, &mut zeros)
                    });
                }
                if UNTRACK && model.can_untrack(gc, false) {
                    // Unlink (young is singly linked up to here) and mark untracked.
                    head(prev).set_next_raw(h.next_raw());
                    h.set_untracked();
                } else {
                    h.set_prev(prev);
                    h.clear_collecting();
                    prev = gc;
                    if UNTRACK {
                        survivors.count += 1;
                        if model.may_untrack_when_full(gc) {
                            survivors.full_candidates += 1;
                        }
                    }
                }
            } else {
                // Tentatively unreachable: unlink (young is singly linked here) and append to
                // `unreachable` with the tag on every link into it.
                head(prev).set_next_raw(h.next_raw());
                moved += 1;
                if UNTRACK
                    && (model.has_legacy_finalizer(gc)
                        || model.may_have_weakrefs(gc)
                        || (!h.is_finalized() && model.has_finalizer(gc)))
                {
                    survivors.special_garbage += 1;
                }
                if UNTRACK && !model.sweepable(gc) {
                    survivors.unsweepable += 1;
                }
                let last = u.prev();
                head(last).set_next_unreachable(gc);
                h.set_prev(last);
                h.set_next_unreachable(unreachable);
                u.set_prev_plain(gc);
            }
            gc = head(prev).next();
        }
        head(young).set_prev_plain(prev);
        u.untag_next();
    }
    survivors.garbage = moved - pulled_back;
    survivors
}

/// Strip the UNREACHABLE tag from every link of `list`.
///
/// # Safety
/// `list` is a ring produced by [`move_unreachable`].
pub(crate) unsafe fn clear_unreachable_mask(list: GcPtr) {
    // SAFETY: ring of live heads (caller).
    unsafe {
        let mut p = head(list).next();
        while p != list {
            let h = head(p);
            h.untag_next();
            p = h.next();
        }
    }
}

/// Phases 2–4 (and, with `UNTRACK`, phase 5's first pass: see [`move_unreachable`]). On a
/// refcount error every candidate is made reachable (nothing lands in `unreachable`) and the
/// offending edge is returned. Returns (candidates, survivors, error).
///
/// With `fold = Some(nursery)`, phases 2 and 3 are one walk ([`update_and_subtract_refs`]).
/// The first walk records the candidates in `cands` (emptied first; never grown here) and the
/// later walks prefetch from it.
///
/// # Safety
/// `young` is a well-formed ring of live objects, `unreachable` an empty local ring; with
/// `fold`, `young` and the nursery hold every tracked object (a full collection, empty
/// permanent generation).
pub(crate) unsafe fn deduce_unreachable<M: ObjectModel, const UNTRACK: bool>(
    model: &M,
    young: GcPtr,
    unreachable: GcPtr,
    fold: Option<GcPtr>,
    cands: &mut Vec<GcPtr>,
) -> (usize, Survivors, Option<RefError>) {
    cands.clear();
    // SAFETY: forwarded from the caller.
    unsafe {
        let (n, err, mut zeros) = match fold {
            Some(nursery) => update_and_subtract_refs(model, young, nursery, cands),
            None => {
                let n = update_refs(model, young, cands);
                let (err, zeros) = subtract_refs(model, young, cands);
                (n, err, zeros)
            }
        };
        if err.is_some() {
            zeros = 0;
            let mut p = head(young).next();
            while p != young {
                let h = head(p);
                h.set_gc_refs(1);
                p = h.next();
            }
        }
        let survivors = move_unreachable::<M, UNTRACK>(model, young, unreachable, cands, zeros);
        // The entries stay: `delete_garbage` follows them when no user code ran in between.
        (n, survivors, err)
    }
}

/// Unlink `op` from the sweep's garbage ring keeping the UNREACHABLE tag on the link into its
/// successor (the tag is what marks garbage there); the sentinel's own `next` stays untagged.
///
/// # Safety
/// `op` is on `garbage`, a ring whose links into objects are tagged, with live neighbours.
#[inline]
unsafe fn sweep_unlink(op: GcPtr, garbage: GcPtr) {
    // SAFETY: op and its neighbours are live heads of `garbage` (caller).
    unsafe {
        let h = head(op);
        let prev = h.prev();
        let next = h.next();
        if prev == garbage {
            head(prev).set_next(next);
        } else {
            head(prev).set_next_unreachable(next);
        }
        head(next).set_prev(prev);
    }
}

/// Untrack an object whose links are valid (doubly linked list), keeping FINALIZED.
///
/// # Safety
/// `op` is live and on a well-formed list.
#[inline]
pub(crate) unsafe fn untrack_raw(op: GcPtr) {
    // SAFETY: `op` is live and its neighbours on its well-formed list are too (contract).
    unsafe {
        let h = head(op);
        list::remove(op);
        h.set_untracked();
    }
}

/// Phase 5's second pass, full collections only: untrack what `can_untrack(op, true)` allows
/// (dicts, as the model decides). As CPython, this is a separate pass after the first one (done
/// inside move_unreachable) so that a dict holding a tuple untracked by the first pass can go
/// too. Skipped when no survivor `may_untrack_when_full`. Returns the survivors left.
///
/// # Safety
/// `young` is a well-formed (doubly linked, untagged) ring of live objects.
unsafe fn untrack_survivors_full<M: ObjectModel>(
    model: &M,
    young: GcPtr,
    first_pass: Survivors,
) -> usize {
    if first_pass.full_candidates == 0 {
        return first_pass.count;
    }
    let mut survivors = 0;
    // SAFETY: ring of live heads (caller); the successor is read before untracking.
    unsafe {
        let mut p = head(young).next();
        while p != young {
            let next = head(p).next();
            if model.can_untrack(p, true) {
                untrack_raw(p);
            } else {
                survivors += 1;
            }
            p = next;
        }
    }
    survivors
}

impl<M: ObjectModel> Collector<M> {
    /// One collection of generation `g` (`collecting` is already set by the caller).
    pub(crate) fn collect_main(&self, model: &M, g: usize) -> Outcome {
        let _guard = AbortOnUnwind::new();
        let t0 = Instant::now();
        let flags = self.debug.flags.get();
        if flags & DEBUG_STATS != 0 {
            self.debug_stats_header(g);
        }
        let mut out = Outcome::default();

        // The candidate array (candidates.rs), used by full collections only and sized from
        // the counts before phase 1 resets them: the last full collection's survivors, the
        // gen-1 survivors since, and generation 0's net allocations. Younger collections
        // record into whatever capacity it has, never growing it.
        let mut cands = self.candidates.take();
        if g == NUM_GENERATIONS - 1 {
            let estimate = self
                .gens
                .long_lived_total
                .get()
                .saturating_add(self.gens.long_lived_pending.get())
                .saturating_add(self.gens.counts[0].get());
            candidates::prepare(&mut cands, estimate);
        } else {
            cands.clear();
        }

        // Phase 1: counts, merge younger generations.
        self.gens.start(g);
        self.gens.merge_younger(g);
        let young = self.gens.head(g);
        let old = if g + 1 < NUM_GENERATIONS {
            self.gens.head(g + 1)
        } else {
            young
        };

        local_list!(unreachable);
        // Phases 2-5 walk `young` with gc_refs in its links: what a user traverse tracks
        // meanwhile waits on the nursery and joins generation 0 after phase 5 (so it is neither
        // examined nor promoted by this collection); an untrack aborts (collector.rs).
        let reachability = self.reachability();
        // A full collection with nothing frozen has every tracked object on `young`: phases 2
        // and 3 then fold into one walk (see update_and_subtract_refs).
        // SAFETY: the permanent generation's sentinel is a well-formed ring.
        let everything =
            g == NUM_GENERATIONS - 1 && unsafe { list::is_empty(self.gens.head(PERMANENT)) };
        let fold = (everything && self.fold_update_refs.get()).then(|| self.gens.head(NURSERY));
        // SAFETY: `young` is a generation ring (live objects, well formed between collections);
        // `unreachable` is an empty local ring; with `fold`, g is the oldest generation (all
        // younger ones merged into it) and the permanent generation is empty, so `young` and the
        // nursery hold every tracked object.
        let (n_candidates, first_pass, err) =
            unsafe { deduce_unreachable::<M, true>(model, young, unreachable, fold, &mut cands) };
        // Kept out of the cell until phase 10 only when no user code can run before it (no
        // special garbage): `unreachable` is then the first walk's order filtered, which
        // `delete_garbage` follows for prefetches. Otherwise back now, emptied (a nested
        // collection run by a finalizer takes it from the cell).
        let mut held = Vec::new();
        if first_pass.special_garbage == 0 {
            held = cands;
        } else {
            cands.clear();
            self.candidates.set(cands);
        }
        out.candidates = n_candidates;
        if let Some(e) = err {
            out.error = Some(self.report_refcount_error(model, g, e));
        }

        // Phase 5: survivors (the first pass ran inside move_unreachable).
        let survivors = if g == NUM_GENERATIONS - 1 {
            // SAFETY: after move_unreachable young is doubly linked again and untagged.
            unsafe { untrack_survivors_full(model, young, first_pass) }
        } else {
            first_pass.count
        };
        self.gens.note_survivors(g, survivors);
        if young != old {
            // SAFETY: two well-formed generation rings.
            unsafe { list::merge(young, old) };
        }
        drop(reachability);

        // Phase 6: legacy finalizers (also strips the UNREACHABLE tags). Skipped when phase 4
        // met no garbage with a finalizer of either kind or weakrefs: then nothing would move to
        // `finalizers` and phases 7–8 would find nothing. The tags stay on the links of
        // `unreachable`; every list operation of phases 9–10 (merge, remove, append, the
        // `next_is` test) masks them, and nothing else walks that list.
        local_list!(finalizers);
        let summary = if first_pass.special_garbage == 0 {
            crate::finalize::UnreachableSummary {
                objects: first_pass.garbage,
                weak: 0,
                to_finalize: 0,
            }
        } else {
            // SAFETY: `unreachable` comes from move_unreachable; `finalizers` is an empty ring.
            unsafe {
                let s = crate::finalize::move_legacy_finalizers(model, unreachable, finalizers);
                crate::finalize::move_legacy_finalizer_reachable(model, finalizers);
                s
            }
        };
        if flags & DEBUG_COLLECTABLE != 0 {
            // SAFETY: ring of live objects (its walk masks any tag); describe runs no user code.
            unsafe { self.debug_list(model, "collectable", unreachable) };
        }

        // Phases 7 and 8 are skipped when phase 6's walk found no object they could act on (the
        // set only shrank since): the walks would change nothing, not even the list order.
        // Phase 7: weakrefs.
        if summary.weak > 0 {
            // SAFETY: `unreachable` is an untagged ring; `old` a generation ring.
            out.collected += unsafe { crate::weakref::handle_weakrefs(model, unreachable, old) };
        }

        // Phase 8: PEP 442 finalizers.
        let ran = if summary.to_finalize > 0 {
            // SAFETY: `unreachable` is an untagged ring of live objects.
            unsafe { crate::finalize::finalize_garbage(model, unreachable) }
        } else {
            0
        };

        // Phase 9: resurrection. Only user code can resurrect, and the only user code that can
        // reach the unreachable set is a finalizer: with none run, the second pass is skipped.
        local_list!(final_unreachable);
        if ran > 0 {
            let _reachability = self.reachability();
            // SAFETY: `unreachable` is an untagged ring; `final_unreachable` empty.
            let err = unsafe {
                crate::finalize::handle_resurrected(model, unreachable, final_unreachable, old)
            };
            if let Some(e) = err {
                let msg = self.report_refcount_error(model, g, e);
                out.error.get_or_insert(msg);
            }
        } else {
            // SAFETY: both local rings.
            unsafe { list::merge(unreachable, final_unreachable) };
        }

        // Phase 10: delete garbage.
        out.collected += if summary.weak == 0 && ran == 0 {
            // No user code ran since phase 6: `final_unreachable` is what phase 6 walked minus
            // what moved to `finalizers` (counted below anyway, and usually empty).
            // SAFETY: `finalizers` is a local ring of live objects with untagged links.
            summary.objects - unsafe { list::len(finalizers) }
        } else {
            // SAFETY: `final_unreachable` is a local ring of live objects with untagged links.
            unsafe { list::len(final_unreachable) }
        };
        // The sweep (see the module docs): every candidate was on `young`, nothing special and
        // nothing the model cannot sweep reached `unreachable`, no user code ran since phase 4,
        // and DEBUG_SAVEALL does not want the garbage kept.
        let sweep = everything
            && self.sweep_garbage.get()
            && flags & DEBUG_SAVEALL == 0
            && first_pass.special_garbage == 0
            && first_pass.unsweepable == 0
            && out.error.is_none();
        if sweep {
            // SAFETY: as just checked, `final_unreachable` holds what phase 4 moved (phases 6–9
            // were skipped and no user code ran), every object sweepable, all candidates of a
            // full collection; `old` is a generation ring.
            unsafe { self.sweep(model, final_unreachable, old, &held) };
        } else {
            // SAFETY: `final_unreachable` is a local ring of live objects with untagged links
            // and `old` a generation ring; no user code ran since phase 6 built them.
            unsafe {
                self.delete_garbage(
                    model,
                    final_unreachable,
                    old,
                    flags & DEBUG_SAVEALL != 0,
                    &held,
                )
            };
        }
        if held.capacity() > 0 {
            held.clear();
            // A nested collection (run by user code in `clear`) may have left its own array in
            // the cell: the larger one is kept.
            let other = self.candidates.take();
            self.candidates.set(if other.capacity() > held.capacity() {
                other
            } else {
                held
            });
        }

        // Phase 11: uncollectable.
        // SAFETY: `finalizers` is an untagged ring of live objects.
        unsafe {
            out.uncollectable = list::len(finalizers);
            if flags & DEBUG_UNCOLLECTABLE != 0 {
                self.debug_list(model, "uncollectable", finalizers);
            }
            self.handle_legacy_finalizers(model, finalizers, old, flags & DEBUG_SAVEALL != 0);
        }

        out.duration = t0.elapsed();
        self.stats.record(g, &out);
        if flags & DEBUG_STATS != 0 {
            self.debug_line(format_args!(
                "gc: done, {} unreachable, {} uncollectable, {:.4}s elapsed",
                out.collected + out.uncollectable,
                out.uncollectable,
                out.duration.as_secs_f64()
            ));
        }
        out
    }

    /// Phase 10 (`delete_garbage`). `cands`: the first walk's candidates when `collectable` is
    /// in their order (filtered), else empty; only prefetch hints are taken from it.
    ///
    /// # Safety
    /// `collectable` is an untagged local ring of live objects; `old` a generation ring.
    unsafe fn delete_garbage(
        &self,
        model: &M,
        collectable: GcPtr,
        old: GcPtr,
        saveall: bool,
        cands: &[GcPtr],
    ) {
        let mut cursor = 0;
        // SAFETY: caller; objects freed by `clear`/`decref` are untracked (unlinked) by the
        // runtime's deallocation, so the list stays well formed and `first` is always live.
        unsafe {
            while !list::is_empty(collectable) {
                let gc = head(collectable).next();
                candidates::follow(cands, &mut cursor, gc);
                if saveall {
                    self.push_garbage(model, gc);
                } else {
                    model.incref(gc);
                    model.clear(gc);
                }
                let still_here = head(collectable).next_is(gc);
                if still_here {
                    // Survived its clear (something outside still holds it, or clear is a
                    // no-op): it lives on in the older generation.
                    head(gc).clear_collecting();
                    list::move_to(gc, old);
                }
                if !saveall {
                    model.decref(gc);
                }
            }
        }
    }

    /// Phase 10 as a sweep (module docs, "The sweep"). `cands` as in `delete_garbage`.
    ///
    /// # Safety
    /// `garbage` is the local ring phase 4 built and phase 9 merged unchanged (its inner links
    /// tagged UNREACHABLE but the last one, COLLECTING set on every object), of a collection
    /// whose candidates were every tracked object; `sweepable` held for every object on it; no
    /// user code ran since phase 4; `old` is a generation ring.
    unsafe fn sweep(&self, model: &M, garbage: GcPtr, old: GcPtr, cands: &[GcPtr]) {
        // SAFETY: (caller) every head on `garbage` is a live object of the model until this
        // walk frees it; see the module docs for why nothing else can reach them.
        unsafe {
            if list::is_empty(garbage) {
                return;
            }
            // Membership = a tagged `next`: merge left the last link untagged.
            head(head(garbage).prev()).set_next_unreachable(garbage);
        }
        let mut cursor = 0;
        // SAFETY: as above; `sweep_scope` runs no user code and frees nothing inside, so the
        // only frees are the walk's own.
        model.sweep_scope(&mut || unsafe {
            let mut p = head(garbage).next();
            while p != garbage {
                candidates::follow(cands, &mut cursor, p);
                let h = head(p);
                model.sweep_release(p, &mut |c| {
                    let ch = head(c);
                    if !ch.next_is_tagged() {
                        return false; // not garbage: the model drops the reference
                    }
                    // Freed as soon as nobody holds it and the walk has passed it (released
                    // its references); objects ahead are freed when the walk gets there.
                    if model.sweep_decref(c) == 0 && !ch.is_collecting() {
                        sweep_unlink(c, garbage);
                        model.sweep_free(c);
                    }
                    true
                });
                h.clear_collecting(); // released: the walk has passed it
                let next = h.next();
                if model.refcount(p) == 0 {
                    sweep_unlink(p, garbage);
                    model.sweep_free(p);
                }
                p = next;
            }
            // What is left is held from outside the garbage (a traverse over-reported edges):
            // emptied, it lives on in the older generation, as after `clear` in delete_garbage.
            clear_unreachable_mask(garbage);
            list::merge(garbage, old);
        });
    }

    /// Describe the refcount error, write it to the debug writer and count it.
    pub(crate) fn report_refcount_error(
        &self,
        model: &M,
        g: usize,
        (obj, from): RefError,
    ) -> GcError {
        let err = GcError::RefcountTooSmall {
            object: crate::debug::describe(model, obj),
            referrer: crate::debug::describe(model, from),
            generation: g,
        };
        self.debug_line(format_args!("{err}"));
        self.stats
            .refcount_errors
            .set(self.stats.refcount_errors.get() + 1);
        err
    }
}
