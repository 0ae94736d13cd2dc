//! Finalizers: legacy (`tp_del`) garbage set aside, PEP 442 finalizers run once, resurrection.
//!
//! 1. **Legacy finalizers** (`move_legacy_finalizers`, `unreachable` → `finalizers`): an
//!    unreachable object whose type has a legacy finalizer cannot be collected safely (its `tp_del`
//!    could see half-cleared objects). It moves to `finalizers` with COLLECTING cleared, and so
//!    does everything reachable from it (`move_legacy_finalizer_reachable`, a walk over a list that
//!    grows as it goes: no recursion). This pass also strips the UNREACHABLE tags, turning
//!    `unreachable` into an ordinary ring. Later these objects are counted as *uncollectable*;
//!    the ones with a legacy finalizer (all of them under DEBUG_SAVEALL) are appended to
//!    `garbage`, and the whole list is merged into the older generation.
//! 2. **PEP 442** (`finalize_garbage`, `unreachable` → `seen` → `unreachable`): each object not yet
//!    FINALIZED whose type has a finalizer gets FINALIZED set, is increfed, finalized, decrefed.
//!    Objects may be freed or untracked meanwhile; walking by "take the first, move it to `seen`"
//!    is immune to that.
//! 3. **Resurrection** (`handle_resurrected`, 3.9+): a finalizer may have stored a reference to
//!    garbage somewhere reachable. COLLECTING is cleared on `unreachable` and reachability is
//!    computed again on that set alone (gc_refs = refcount − internal references): objects with
//!    outside references now — and everything they reach — are resurrected and go to `old`; the
//!    rest (`final_unreachable`) is cleared. Because FINALIZED stays set, a resurrected object's
//!    finalizer never runs again, and resurrection of one object does not save unrelated cycles.
//!
//! # Invariants
//! - Objects on `finalizers` have COLLECTING cleared (they count as reachable for the weakref
//!   pass); objects on `unreachable` keep it.
//! - No borrow is held across model calls.

use crate::ObjectModel;
use crate::collect::{RefError, clear_unreachable_mask, deduce_unreachable};
use crate::collector::Collector;
use crate::head::{GcPtr, head, list};

/// What [`move_legacy_finalizers`] saw on its walk over `unreachable`: upper bounds for what the
/// later phases can find there (the set only shrinks until the finalizers run), so a phase
/// whose count is 0 has nothing to do and is skipped without walking the list again.
#[derive(Debug, Default, Clone, Copy)]
pub(crate) struct UnreachableSummary {
    /// Objects walked.
    pub(crate) objects: usize,
    /// Objects for which `may_have_weakrefs` holds (weakrefs themselves, weakly referenceable).
    pub(crate) weak: usize,
    /// Objects not yet FINALIZED whose type has a PEP 442 finalizer.
    pub(crate) to_finalize: usize,
}

/// Move objects with a legacy finalizer from `unreachable` to `finalizers`; strip the UNREACHABLE
/// tag from every link of `unreachable`; count what later phases will look for.
///
/// # Safety
/// `unreachable` comes from `move_unreachable` (tagged links, live objects); `finalizers` is a ring.
pub(crate) unsafe fn move_legacy_finalizers<M: ObjectModel>(
    model: &M,
    unreachable: GcPtr,
    finalizers: GcPtr,
) -> UnreachableSummary {
    let mut sum = UnreachableSummary::default();
    // SAFETY: ring of live heads (caller). Each node's tag is stripped before it is unlinked,
    // and its predecessor has already been stripped, so list::move_to sees plain links only
    // (the successor's `next` may still be tagged, but remove only writes the successor's prev).
    unsafe {
        let mut gc = head(unreachable).next();
        while gc != unreachable {
            let h = head(gc);
            h.untag_next();
            let next = h.next();
            sum.objects += 1;
            if model.may_have_weakrefs(gc) {
                sum.weak += 1;
            }
            if !h.is_finalized() && model.has_finalizer(gc) {
                sum.to_finalize += 1;
            }
            if model.has_legacy_finalizer(gc) {
                h.clear_collecting();
                list::move_to(gc, finalizers);
            }
            gc = next;
        }
    }
    sum
}

/// Move everything on a COLLECTING list reachable from `finalizers` into `finalizers`.
///
/// # Safety
/// `finalizers` is an untagged ring of live objects; COLLECTING objects are on untagged rings.
pub(crate) unsafe fn move_legacy_finalizer_reachable<M: ObjectModel>(model: &M, finalizers: GcPtr) {
    // SAFETY: ring of live heads; the list grows at its tail while we walk, which is fine.
    unsafe {
        let mut gc = head(finalizers).next();
        while gc != finalizers {
            model.traverse(gc, &mut |t| {
                let th = head(t);
                if th.is_collecting() {
                    list::move_to(t, finalizers);
                    th.clear_collecting();
                }
            });
            gc = head(gc).next();
        }
    }
}

/// Run PEP 442 finalizers of `collectable` (each at most once). Returns how many ran.
///
/// # Safety
/// `collectable` is an untagged local ring of live objects.
pub(crate) unsafe fn finalize_garbage<M: ObjectModel>(model: &M, collectable: GcPtr) -> usize {
    crate::collect::local_list!(seen);
    let mut ran = 0;
    // SAFETY: caller; a finalizer may free or untrack any object, which unlinks it from its
    // list, so we only ever touch the current first element.
    unsafe {
        while !list::is_empty(collectable) {
            let gc = head(collectable).next();
            list::move_to(gc, seen);
            let h = head(gc);
            if !h.is_finalized() && model.has_finalizer(gc) {
                h.set_finalized();
                model.incref(gc);
                model.finalize(gc);
                model.decref(gc);
                ran += 1;
            }
        }
        list::merge(seen, collectable);
    }
    ran
}

/// Split `unreachable` after finalizers ran: resurrected objects (and what they reach) to `old`,
/// the rest to `still_unreachable` (COLLECTING set, untagged).
///
/// # Safety
/// `unreachable` is an untagged local ring of live COLLECTING objects; `still_unreachable` an
/// empty local ring; `old` a generation ring.
pub(crate) unsafe fn handle_resurrected<M: ObjectModel>(
    model: &M,
    unreachable: GcPtr,
    still_unreachable: GcPtr,
    old: GcPtr,
) -> Option<RefError> {
    // SAFETY: the three rings and their elements are live, as the contract above states.
    unsafe {
        let mut p = head(unreachable).next();
        while p != unreachable {
            let h = head(p);
            h.clear_collecting();
            p = h.next();
        }
        let (_, _, err) = deduce_unreachable::<M, false>(
            model,
            unreachable,
            still_unreachable,
            None,
            &mut Vec::new(),
        );
        clear_unreachable_mask(still_unreachable);
        list::merge(unreachable, old);
        err
    }
}

impl<M: ObjectModel> Collector<M> {
    /// Phase 11: put legacy-finalizer objects (everything under SAVEALL) into `garbage`, merge
    /// `finalizers` into `old`.
    ///
    /// # Safety
    /// `finalizers` is an untagged local ring of live objects; `old` a generation ring.
    pub(crate) unsafe fn handle_legacy_finalizers(
        &self,
        model: &M,
        finalizers: GcPtr,
        old: GcPtr,
        saveall: bool,
    ) {
        // SAFETY: caller; push_garbage only increfs (no user code runs in incref).
        unsafe {
            let mut gc = head(finalizers).next();
            while gc != finalizers {
                if saveall || model.has_legacy_finalizer(gc) {
                    self.push_garbage(model, gc);
                }
                gc = head(gc).next();
            }
            list::merge(finalizers, old);
        }
    }
}
