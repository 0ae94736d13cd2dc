//! The [`ObjectModel`] implementation: how the collector sees this heap's objects.
//!
//! ```text
//!   Collector ──GcPtr (head)──▶ model ──from_gc──▶ RawObj ──ty──▶ slots (traverse, clear, ...)
//! ```
//! `traverse` reports only GC-capable referents of this heap (atoms have no head). `clear` holds a reference
//! around the type's clear so that the object cannot be freed under it. Every call into user code
//! (finalizers, weakref callbacks, a user type's traverse/clear) catches panics.
//!
//! # Invariants the unsafe code relies on
//! - Every `GcPtr` the collector passes is the head of a live, tracked object of this heap
//!   (ObjectModel contract), so `from_gc` yields an object whose header and type are readable.
//! - `clear` and `finalize` run with a strong reference held, so the object outlives the call.

use crate::builtins;
use crate::heap::HeapInner;
use crate::object::{RawObj, from_gc, gc_head, refcnt, type_of};
use crate::refcount::{decref, incref};
use crate::types::Kind;
use pyheap_gc::{GcPtr, ObjectModel};

// SAFETY: (1) every tracked object is untracked in the dealloc prologue before its memory is
// freed; (2) traverse passes heads of GC-capable referents only, once per reference held, and the
// referents are alive (the object holds references to them); (3) refcount reads ob_refcnt; (4)
// user code is called under catch_unwind everywhere (refcount::call_user, user.rs).
unsafe impl ObjectModel for HeapInner {
    fn refcount(&self, op: GcPtr) -> usize {
        // SAFETY: the collector only passes heads of live objects.
        unsafe { refcnt(from_gc(op)) }.get()
    }
    fn incref(&self, op: GcPtr) {
        // SAFETY: the collector passes heads of live tracked objects only (ObjectModel contract).
        unsafe { incref(from_gc(op)) }
    }
    fn decref(&self, op: GcPtr) {
        // SAFETY: live object; the collector owns the reference it gives up.
        unsafe { decref(from_gc(op)) }
    }
    #[inline]
    fn traverse<V: FnMut(GcPtr)>(&self, op: GcPtr, visit: &mut V) {
        // SAFETY: live object; referents are live.
        unsafe {
            let o = from_gc(op);
            let ty = type_of(o);
            let mut f = |child: RawObj| {
                let ct = type_of(child);
                // References into another heap (a `Member` of heap B stored in a user object
                // of heap A) are invisible to A's collector: B's heads must never be touched
                // by A's collection.
                if ct.is_gc() && std::ptr::eq(ct.heap, self) {
                    visit(gc_head(child))
                }
            };
            // The built-in containers are dispatched on their kind so that their loops are
            // monomorphised with the collector's visitor (no indirect call per edge). Each kind
            // is created by exactly one type constructor, whose `traverse` slot is the `dyn`
            // wrapper of the same `traverse_with` body, so this is the slot's behaviour.
            match ty.kind {
                Kind::List => builtins::list::traverse_with(o, &mut f),
                Kind::Tuple => builtins::tuple::traverse_with(o, &mut f),
                Kind::Dict => builtins::dict::traverse_with(o, &mut f),
                Kind::Instance => builtins::instance::traverse_with(o, &mut f),
                Kind::Cell => builtins::cell::traverse_with(o, &mut f),
                _ => {
                    if let Some(t) = ty.traverse {
                        // A user type's traverse (user.rs) opens a deferral scope itself: what
                        // its code drops waits on the pending queue until the collection ends.
                        t(o, &mut f)
                    }
                }
            }
        }
    }
    fn clear(&self, op: GcPtr) {
        // SAFETY: live object; the reference taken here keeps it alive during the clear.
        unsafe {
            let o = from_gc(op);
            if let Some(c) = type_of(o).clear {
                incref(o);
                c(o);
                decref(o);
            }
        }
    }
    fn has_finalizer(&self, op: GcPtr) -> bool {
        // SAFETY: a head the collector passed is a live object, whose type object outlives it.
        unsafe { builtins::class::finalizer(type_of(from_gc(op))) }.is_some()
    }
    fn finalize(&self, op: GcPtr) {
        // SAFETY: live object, the collector holds a reference.
        unsafe { crate::refcount::call_finalizer(self, from_gc(op)) }
    }
    fn has_legacy_finalizer(&self, op: GcPtr) -> bool {
        // SAFETY: a head the collector passed is a live object, whose type object outlives it.
        unsafe { type_of(from_gc(op)) }.legacy_del.is_some()
    }
    #[inline]
    fn can_untrack(&self, op: GcPtr, full: bool) -> bool {
        // SAFETY: live object of the kind matched.
        unsafe {
            let o = from_gc(op);
            match type_of(o).kind {
                // CPython untracks tuples once per collection (`untrack_tuples`, the first
                // pass) and dicts only in full ones (`untrack_dicts`, the second pass): a tuple
                // left tracked by the first pass stays tracked even when a later untracking
                // made it eligible (the answer shows in `gc.is_tracked`).
                Kind::Tuple => !full && builtins::tuple::can_untrack(o),
                Kind::Dict => full && builtins::dict::can_untrack(o),
                _ => false,
            }
        }
    }
    #[inline]
    fn may_untrack_when_full(&self, op: GcPtr) -> bool {
        // `can_untrack(_, true)` answers true only for dicts.
        // SAFETY: live object (trait contract).
        let kind = unsafe { type_of(from_gc(op)) }.kind;
        kind == Kind::Dict
    }
    #[inline]
    fn may_have_weakrefs(&self, op: GcPtr) -> bool {
        // A weakref object (`clear_weakref_object` has work), or an object weakly referenced
        // right now (`clear_weakrefs_to` has work): garbage instances that nobody references
        // weakly — the common case — then skip the weakref and finalizer walks. The collector
        // asks between move_unreachable and the weakref pass; the only user code running in
        // between is a user type's traverse, which should not create weak references. If one
        // does to garbage, that reference is cleared and its callback called when the object
        // is deallocated, as for any death: no phase relies on the count for safety.
        // SAFETY: live object (trait contract); HAS_WEAKREFS ⇔ a weaklist word (types.rs).
        unsafe {
            let o = from_gc(op);
            let ty = type_of(o);
            ty.kind == Kind::WeakRef
                || (ty.weaklist_offset != 0 && builtins::weakref::has_weakrefs(o))
        }
    }
    fn clear_weakref_object(&self, op: GcPtr) {
        // SAFETY: live object; only weakrefs are touched.
        unsafe {
            let o = from_gc(op);
            if type_of(o).kind == Kind::WeakRef {
                builtins::weakref::clear_weakref(o);
            }
        }
    }
    fn clear_weakrefs_to(&self, op: GcPtr, with_callback: &mut dyn FnMut(GcPtr)) {
        // SAFETY: live object; weakrefs are GC objects.
        unsafe {
            let o = from_gc(op);
            if type_of(o).weaklist_offset != 0 {
                builtins::weakref::clear_weakrefs_to(o, &mut |wr| with_callback(gc_head(wr)));
            }
        }
    }
    fn call_weakref_callback(&self, wr: GcPtr) {
        // SAFETY: live weakref (the collector holds it).
        unsafe {
            let o = from_gc(wr);
            if type_of(o).kind == Kind::WeakRef {
                builtins::weakref::call_callback(self, o);
            }
        }
    }
    fn describe(&self, op: GcPtr, out: &mut dyn std::fmt::Write) -> std::fmt::Result {
        // CPython's debug_cycle format `<%s %p>` (tp_name, address): `gc: collectable <A 0x..>`.
        // SAFETY: the collector only passes heads of live objects.
        let (name, addr) = unsafe {
            let o = from_gc(op);
            (type_of(o).name(), o.as_ptr())
        };
        write!(out, "<{name} {addr:p}>")
    }
    #[inline]
    fn sweepable(&self, op: GcPtr) -> bool {
        // Lists only: a swept list is left a valid empty list (what a survivor of the sweep
        // must be), and releasing one runs no user code. Never once a death the collector
        // cannot see may run user code (`HeapInner::untracked_user_code`).
        // SAFETY: live object (trait contract).
        !self.untracked_user_code.get() && unsafe { type_of(from_gc(op)) }.kind == Kind::List
    }
    #[inline]
    fn sweep_release<G: FnMut(GcPtr) -> bool>(&self, op: GcPtr, garbage: &mut G) {
        // SAFETY: a sweepable (list) object the collector is sweeping, live; its items are
        // live. What `decref` kills waits on the pending queue (`sweep_scope`).
        unsafe {
            let o = from_gc(op);
            assert!(type_of(o).kind == Kind::List, "sweep_release of a non-list");
            builtins::list::sweep_release(self, o, |child| {
                let ct = type_of(child);
                if !(ct.is_gc() && std::ptr::eq(ct.heap, self) && garbage(gc_head(child))) {
                    decref(child)
                }
            })
        }
    }
    #[inline]
    fn sweep_decref(&self, op: GcPtr) -> usize {
        // SAFETY: a live object of the garbage being swept; the collector gives up one of the
        // references it took over and frees the object itself at zero.
        let c = unsafe { refcnt(from_gc(op)) };
        let n = c.get() - 1;
        c.set(n);
        n
    }
    #[inline]
    fn sweep_free(&self, op: GcPtr) {
        // SAFETY: a swept list (released: no array), count 0, unlinked by the collector.
        unsafe {
            let o = from_gc(op);
            assert!(type_of(o).kind == Kind::List, "sweep_free of a non-list");
            builtins::list::free_emptied(self, o)
        }
    }
    fn sweep_scope(&self, f: &mut dyn FnMut()) {
        let defer = crate::trashcan::Defer::new(self);
        f();
        // Each death the sweep causes (a str, an int, an untracked tuple only the garbage
        // held) waits on the pending queue: one push (the queue is a `Vec` in the system
        // allocator, as for deaths during a user traverse) and one decref later. The
        // collection is running, so closing the scope leaves the queue to us: those deaths run
        // now, in the order the counts reached zero.
        drop(defer);
        crate::trashcan::drain_pending(self);
    }
}
