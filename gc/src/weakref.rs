//! Weak references to garbage (CPython's `handle_weakrefs`), before any finalizer runs.
//!
//! ```text
//!   unreachable:  [A] ⇄ [B] ⇄ [wr3 → X]          old / other generations:  [wr1 → A, cb] [wr2 → B]
//!   pass 1:  clear wr3 itself (a weakref that is trash never calls back, bpo-38006);
//!            clear every weakref to A and B; wr1 has a callback and is not trash
//!            → incref, move to `wrcb_to_call`
//!   pass 2:  call wr1's callback(wr1); decref; still first on `wrcb_to_call` → alive → `old`,
//!            otherwise it was freed by the decref → counted as collected
//! ```
//!
//! 1. Every weakref to an unreachable object is cleared before *any* callback or finalizer runs,
//!    so no user code can reach garbage through a weakref.
//! 2. A callback runs only for a weakref that is not itself garbage (its COLLECTING bit is clear:
//!    it sits in an older generation, on `finalizers`, or is a survivor). Trash weakrefs are
//!    cleared silently.
//! 3. Callbacks are called one at a time from `wrcb_to_call` (an intrusive local list: no
//!    allocation). Panics in callbacks are the model's to catch and report.
//!
//! # Invariants
//! - `unreachable` is an untagged ring of COLLECTING objects; `wrcb_to_call` holds only increfed
//!   weakrefs, and is empty when `handle_weakrefs` returns.
//! - A weakref that was untracked when picked is tracked afterwards if it survives (it is moved
//!   to `old`): CPython's weakrefs are always tracked, so this only matters for models that
//!   untrack them; it is harmless (the object is live and will be untracked at deallocation).

use crate::ObjectModel;
use crate::head::{GcPtr, head, list};

/// Clear weakrefs to the objects of `unreachable` and call the callbacks that must run. Returns
/// the number of weakref objects freed by this (counted as collected, like CPython).
///
/// # Safety
/// `unreachable` is an untagged local ring of live objects; `old` a generation ring.
pub(crate) unsafe fn handle_weakrefs<M: ObjectModel>(
    model: &M,
    unreachable: GcPtr,
    old: GcPtr,
) -> usize {
    crate::collect::local_list!(wrcb_to_call);
    // SAFETY: caller. Pass 1 runs no user code (clearing weakrefs does not call callbacks), so
    // the walk over `unreachable` is stable; the weakrefs moved are not on `unreachable`
    // (COLLECTING is clear on them).
    unsafe {
        let mut gc = head(unreachable).next();
        while gc != unreachable {
            model.clear_weakref_object(gc);
            model.clear_weakrefs_to(gc, &mut |wr| {
                let wh = head(wr);
                if wh.is_collecting() {
                    // The weakref is trash too: its callback must not run.
                    return;
                }
                model.incref(wr);
                if wh.is_tracked() {
                    list::move_to(wr, wrcb_to_call);
                } else {
                    list::append(wr, wrcb_to_call);
                }
            });
            gc = head(gc).next();
        }
    }

    let mut freed = 0;
    // SAFETY: every element of `wrcb_to_call` is live (we hold a reference) until our decref;
    // after it the element is either still first (alive) or was unlinked by its deallocation.
    unsafe {
        while !list::is_empty(wrcb_to_call) {
            let wr = head(wrcb_to_call).next();
            model.call_weakref_callback(wr);
            model.decref(wr);
            if head(wrcb_to_call).next_is(wr) {
                list::move_to(wr, old);
            } else {
                freed += 1;
            }
        }
    }
    freed
}
