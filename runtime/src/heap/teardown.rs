//! Heap teardown, like interpreter finalization.
//!
//! Dropping the `Heap` runs a full collection, empties the free lists and checks that nothing is
//! alive any more. If something is (an object kept alive by a [`Member`](crate::Member) stored
//! outside the heap, or a cycle the collector could not free), the heap's memory is *leaked*
//! instead of freed — the lifetime-free references may still be dropped later and must find valid
//! memory — and a warning is printed to stderr.
//!
//! # Invariants
//! - The `HeapInner` box is freed at most once, by `Drop for Heap`, and only when no mortal
//!   object is live and every immortal is back to exactly `IMMORTAL_REFCNT` (nothing outside
//!   the heap can still reach its memory).

use super::{Heap, HeapInner};
use crate::object::{IMMORTAL_REFCNT, RawObj};

impl HeapInner {
    /// Final teardown (like interpreter finalization): collect, release `gc.garbage`, then clear
    /// every object still tracked (breaking cycles the collector would not free, e.g. through
    /// legacy finalizers), collect again, and empty the free lists.
    fn teardown(&self) {
        use pyheap_gc::ObjectModel;
        let gc = &self.gc;
        // The interpreter's root goes first, so that what it held is garbage from now on.
        if let Some(c) = self.context.take() {
            // SAFETY: the context slot owned one reference.
            unsafe { crate::refcount::decref(c) };
        }
        // The final collections call no heap callbacks (CPython's finalization collections do
        // not invoke gc.callbacks either).
        self.callables.release_gc_callbacks();
        gc.unfreeze();
        let _ = gc.collect(2);
        // CPython's shutdown warning about uncollectable objects left in gc.garbage.
        gc.dump_shutdown_stats();
        gc.clear_garbage();
        // Errors from here on go to the Rust hook: the clearing below would clear the
        // unraisable object's own state under it.
        self.callables.release_unraisable();
        let objs = gc.get_objects(None).unwrap_or_default();
        // Hold every object while clearing, so none is freed under our iteration.
        for &o in &objs {
            self.incref(o);
        }
        for &o in &objs {
            self.clear(o);
        }
        for &o in &objs {
            self.decref(o);
        }
        let _ = gc.collect(2);
        gc.clear_garbage();
        // The hooks may capture `Member`s: release them now (their last use was above). Objects
        // they free cannot call heap objects any more (no call hook): such finalizers report
        // `not callable` as unraisable.
        // Slots a finalizer may have refilled since.
        self.callables.release_gc_callbacks();
        self.callables.release_unraisable();
        let call = self.call_hook.borrow_mut().take();
        drop(call);
        let hook = self.unraisable.borrow_mut().take();
        drop(hook);
        self.clear_freelists();
    }

    /// Are all immortal objects back to exactly their initial count?
    fn immortals_balanced(&self) -> bool {
        let interned = self.interned.borrow();
        [self.none, self.true_, self.false_, self.empty_tuple]
            .iter()
            .chain(self.small_ints.iter())
            .chain(interned.values())
            // SAFETY: immortals live as long as the heap.
            .all(|&op| unsafe { crate::object::refcnt(op) }.get() == IMMORTAL_REFCNT)
    }

    /// Free the immortal objects (only when nothing references them any more).
    ///
    /// # Safety
    /// Called once, at teardown, after `immortals_balanced()`.
    unsafe fn free_immortals(&self) {
        let interned: Vec<RawObj> = self.interned.borrow_mut().drain().map(|(_, v)| v).collect();
        let all = [self.none, self.true_, self.false_, self.empty_tuple]
            .into_iter()
            .chain(self.small_ints.iter().copied())
            .chain(interned);
        for op in all {
            self.live.set(self.live.get() + 1);
            // SAFETY: caller: nothing references them; immortals are never on any list.
            unsafe { self.free_object(op) };
        }
    }
}

impl Drop for Heap {
    fn drop(&mut self) {
        let inner = self.inner();
        if std::thread::panicking() {
            // A heap dropped while a panic unwinds: running collections now would trip the
            // collector's abort-on-unwind guard (it checks `thread::panicking()`), so leak
            // instead — sound, and the process is on an error path anyway.
            return;
        }
        inner.teardown();
        let live = inner.live.get();
        if live != 0 || !inner.immortals_balanced() {
            eprintln!(
                "pyheap: warning: {live} object(s) still alive when the heap was dropped \
                 (leaked Member or uncollected cycle); leaking the heap's memory"
            );
            return;
        }
        // SAFETY: nothing is alive and nothing references the immortals; the box came from
        // Box::leak in with_config and is freed exactly once, here.
        unsafe {
            inner.free_immortals();
            drop(Box::from_raw(self.inner.as_ptr()));
        }
    }
}
