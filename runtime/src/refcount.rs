//! Reference counting: incref, decref, and deallocation at zero.
//!
//! ```text
//!   decref ──(count hits 0)──▶ dealloc
//!                               ├─ deferral scope open → pending queue (trashcan.rs)
//!                               ├─ atoms (no GC/weakrefs/finalizers/children) → the type's body
//!                               ├─ containers → trashcan::dealloc_container: untrack, then the
//!                               │               drain loop runs prologue + body (no recursion)
//!                               └─ other GC/weakref types → untrack, prologue, body
//!   prologue (CPython's subtype_dealloc order), for types with flags::PROLOGUE:
//!     1. PEP 442 finalizer, unless FINALIZED (GC types get the bit; non-GC types run it on
//!        every death), re-tracked during the call; count is 1 meanwhile; if it is still > 0
//!        afterwards: resurrected, stop (it stays tracked)
//!     2. clear weak references; call their callbacks
//!     3. legacy tp_del (re-tracked and resurrection as in 1)
//!   body: the type's dealloc slot — release children, free (or keep on a free list)
//! ```
//!
//! Immortal objects start at `IMMORTAL_REFCNT` (2^62): increments and decrements are unconditional
//! (as cheap as `Rc`), the count just drifts around 2^62 and can never reach 0.
//!
//! Debug builds detect a decref of an object whose count is already 0 and an incref of a freed
//! object (freed objects have their type pointer replaced by a poison type of the same name), panicking with the
//! type's name.
//!
//! # Invariants
//! - A count is changed only through a live object (the caller owns a reference, or borrows one
//!   that someone owns for the duration): `incref`/`decref` read and write the header word and
//!   nothing else, with no check in release builds (CPython's `Py_INCREF`/`Py_DECREF`).
//! - The count reaching zero calls `dealloc` exactly once for that death; from then on nobody
//!   holds a reference: the object is freed, put on a free list, queued (deferral scope), or
//!   resurrected by its finalizer (count > 0 again after the prologue, body not run).
//! - During the prologue the object has count 1 (or 2 while a finalizer's handle exists) and is
//!   re-tracked for the call, so the collector and user code see an ordinary live object.
//! - The type pointer stays valid until the body ran: every path that may free the type (an
//!   instance's class dying with it) copies what it needs first and keeps no `&TypeObject`
//!   across the body (raw `*const TypeObject` arguments, see `dealloc_leaf`).

use crate::Obj;
use crate::heap::HeapInner;
use crate::object::{RawObj, gc_head, refcnt, type_of};
use crate::types::{ObjFn, TypeObject, flags};

/// Add a strong reference.
///
/// # Safety
/// `op` is a live object.
#[inline(always)]
pub(crate) unsafe fn incref(op: RawObj) {
    // SAFETY: live object (caller).
    let c = unsafe { refcnt(op) };
    #[cfg(debug_assertions)]
    // SAFETY: live object (caller).
    unsafe {
        check_alive(op, "incref")
    };
    c.set(c.get() + 1);
}

/// Drop a strong reference; deallocates at zero.
///
/// # Safety
/// `op` is a live object and the caller owns one of its references.
#[inline(always)]
pub(crate) unsafe fn decref(op: RawObj) {
    // SAFETY: live object (caller).
    let c = unsafe { refcnt(op) };
    #[cfg(debug_assertions)]
    // SAFETY: live object (caller).
    unsafe {
        check_alive(op, "decref")
    };
    let n = c.get() - 1;
    c.set(n);
    if n == 0 {
        // SAFETY: the count reached zero: we own the last reference.
        unsafe { dealloc(op) }
    }
}

/// Debug builds: panic, naming the type, when `op` is freed (poison type) or dead (count 0).
///
/// # Safety
/// `op`'s header must be readable memory holding a header (a live object, or a freed one whose
/// block was not reused: what the poison type is for); its type pointer must be valid.
#[cfg(debug_assertions)]
#[inline(always)]
unsafe fn check_alive(op: RawObj, what: &str) {
    // SAFETY: reading the header of something the caller claims is live.
    let (n, ty) = unsafe { (refcnt(op).get(), type_of(op)) };
    if ty.heap.is_null() || crate::trashcan::is_dead_count(n) {
        bad_object(ty, what);
    }
}

#[cfg(debug_assertions)]
#[cold]
#[inline(never)]
fn bad_object(ty: &TypeObject, what: &str) -> ! {
    let name = ty.name();
    if ty.heap.is_null() {
        // Only poison types have no heap; their name is the freed object's type name.
        panic!("pyheap: {what} of a freed '{name}' object (use after free)");
    }
    panic!(
        "pyheap: {what} of a '{name}' object whose refcount is 0 (refcount underflow or use of a dead object)"
    );
}

/// The `dealloc` slot of poison types: a freed object reached zero again.
///
/// # Safety
/// None needed by the body (it only panics); it has the `DeallocFn` signature (types.rs).
#[cfg(debug_assertions)]
unsafe fn poisoned_dealloc(_: RawObj) {
    panic!("pyheap: dealloc of a freed object");
}
/// The `sizeof` slot of poison types.
///
/// # Safety
/// None needed by the body (it reads nothing); it has the `SizeofFn` signature (types.rs).
#[cfg(debug_assertions)]
unsafe fn poisoned_sizeof(_: RawObj) -> usize {
    0
}

/// Mark a dead object's header (debug builds) so later misuse names the problem.
///
/// # Safety
/// `op` is about to be freed (its type is still valid).
#[cfg(debug_assertions)]
pub(crate) unsafe fn poison(op: RawObj) {
    // SAFETY: the header and the type are still valid (caller).
    let ty = unsafe { type_of(op) };
    let t: &'static TypeObject = match ty.poison.get() {
        Some(t) => t,
        None => {
            let t: &'static TypeObject = Box::leak(Box::new(
                TypeObject::builder(ty.name(), crate::types::Kind::None, std::ptr::null())
                    .layout(0, 0)
                    .slots(poisoned_dealloc, poisoned_sizeof)
                    .build(),
            ));
            ty.poison.set(Some(t));
            t
        }
    };
    // SAFETY: the header is still ours (caller).
    unsafe {
        (*op.as_ptr()).ty.set(t);
        (*op.as_ptr()).refcnt.set(0);
    }
}

/// The count reached zero: run the type's deallocation.
///
/// # Safety
/// `op`'s count just reached 0 and the caller gave up the last reference.
#[cold]
#[inline(never)]
pub(crate) unsafe fn dealloc(op: RawObj) {
    // SAFETY: op is still intact (count 0, not freed); its type's heap outlives it.
    let (ty, heap) = unsafe {
        let ty = type_of(op);
        (ty, &*ty.heap)
    };
    if heap.trash.deferring() {
        // SAFETY: intact, count 0, an object of `heap`.
        unsafe { crate::trashcan::defer_dealloc(heap, op) };
        return;
    }
    let f = ty.flags;
    if f & flags::SLOW_DEALLOC == 0 {
        // SAFETY: nothing else to do before the body for such types.
        unsafe { (ty.dealloc)(op) };
        return;
    }
    if f & flags::CONTAINER != 0 {
        // SAFETY: forwarded (count 0, intact).
        unsafe { crate::trashcan::dealloc_container(heap, op, ty) };
        return;
    }
    // SAFETY: forwarded (count 0, intact).
    unsafe { dealloc_leaf(heap, op, ty) }
}

/// A GC-capable or weakly referenceable object that holds no references: untrack, prologue, body.
///
/// `ty` is a raw pointer, not a reference argument: an instance's type lives in its class, which
/// the body may free (the instance held the last reference to it); a reference argument would
/// have to stay valid for the whole call (Miri: protected tag).
///
/// # Safety
/// `op` is an intact object of `heap` with count 0 whose last reference the caller gave up, of a
/// non-container type `ty` with the slow-dealloc path (GC-capable, weakrefable or finalizable).
///
/// Out of line: its prologue call would otherwise make [`dealloc`] save registers on every
/// death, the containers' (one untrack and a chain link, no call) included.
#[inline(never)]
unsafe fn dealloc_leaf(heap: &HeapInner, op: RawObj, ty: *const TypeObject) {
    // SAFETY: op is intact with count 0 (caller), so its type is until the body runs; what the
    // body needs is copied first, and the reference passed to `prologue` ends with that call.
    unsafe {
        let (type_flags, body) = ((*ty).flags, (*ty).dealloc);
        if type_flags & flags::GC != 0 {
            heap.gc.untrack(gc_head(op));
        }
        if needs_prologue(op, &*ty, type_flags) && prologue(heap, op, &*ty) {
            return;
        }
        body(op)
    }
}

/// Must [`prologue`] run for a dying object of type `ty` (flags `type_flags`)? Only when one of
/// its steps has work: a legacy `tp_del` (`HAS_LEGACY_DEL`), a non-empty weaklist
/// (`HAS_WEAKREFS` and a weak reference exists), or a finalizer still due (`HAS_FINALIZER`, the
/// finalizer exists — for instances the class's cached dunder bits say whether a `__del__` is
/// defined now — and a GC object was not finalized yet). The common death (a weakrefable
/// instance of a class without `__del__`, never referenced weakly) is a few loads of memory the
/// body reads anyway, with no call and no finalizer lookup.
///
/// # Safety
/// `op` is intact; `ty` is its type and `type_flags` its flags.
#[inline(always)]
pub(crate) unsafe fn needs_prologue(op: RawObj, ty: &TypeObject, type_flags: u32) -> bool {
    let f = type_flags & flags::PROLOGUE;
    if f == 0 {
        return false;
    }
    if f & flags::HAS_LEGACY_DEL != 0 {
        return true;
    }
    // SAFETY: HAS_WEAKREFS ⇔ a weaklist word (types.rs); GC types have a head; op is intact and
    // `ty` its type (caller).
    unsafe {
        (f & flags::HAS_WEAKREFS != 0 && crate::builtins::weakref::has_weakrefs(op))
            || (f & flags::HAS_FINALIZER != 0
                && crate::builtins::class::finalizer(ty).is_some()
                && (type_flags & flags::GC == 0 || !gc_head(op).as_ref().is_finalized()))
    }
}

/// What runs between untracking a dead object and its body (CPython's `subtype_dealloc`
/// order): the PEP 442 finalizer (once for GC types: FINALIZED; on every death otherwise), with
/// the object re-tracked during the call; its weak references cleared and their callbacks called;
/// the legacy `tp_del`, re-tracked likewise. Returns true when the object was resurrected (it
/// stays tracked; its body must not run).
///
/// # Safety
/// `op` is intact, untracked, with count 0; `ty` is its type, `heap` its heap.
pub(crate) unsafe fn prologue(heap: &HeapInner, op: RawObj, ty: &TypeObject) -> bool {
    let gc = ty.is_gc();
    // SAFETY: GC types have a head; op is intact (caller).
    unsafe {
        if let Some(f) = crate::builtins::class::finalizer(ty)
            && (!gc || !gc_head(op).as_ref().is_finalized())
        {
            if gc {
                gc_head(op).as_ref().set_finalized();
            }
            if call_tracked(heap, f.clone(), op, gc) {
                return true;
            }
        }
        if ty.weaklist_offset != 0 && crate::builtins::weakref::has_weakrefs(op) {
            crate::builtins::weakref::clear_weakrefs_and_call(heap, op);
        }
        if let Some(d) = &ty.legacy_del
            && call_tracked(heap, d.clone(), op, gc)
        {
            return true;
        }
    }
    false
}

/// `call_from_dealloc` with the object tracked during the call (GC types), untracked again unless
/// it was resurrected.
///
/// # Safety
/// As [`prologue`].
unsafe fn call_tracked(heap: &HeapInner, f: ObjFn, op: RawObj, gc: bool) -> bool {
    // SAFETY: op is intact and untracked (caller).
    unsafe {
        if gc {
            heap.gc.track(gc_head(op));
        }
        let resurrected = call_from_dealloc(heap, f, op);
        if gc && !resurrected {
            heap.gc.untrack(gc_head(op));
        }
        resurrected
    }
}

/// Run a finalizer on an object whose count is 0: count is 1 during the call; returns true when the
/// object was resurrected (count still > 0 afterwards).
///
/// # Safety
/// `op` is intact with count 0.
unsafe fn call_from_dealloc(heap: &HeapInner, f: ObjFn, op: RawObj) -> bool {
    // SAFETY: op intact (caller).
    let c = unsafe { refcnt(op) };
    c.set(2); // 1 held here, 1 owned by the handle passed to the finalizer
    // SAFETY: the handle owns one of the two references just set.
    let obj = unsafe { Obj::from_owned(op) };
    call_user(heap, op, move || f(heap.heap(), obj));
    let n = c.get() - 1;
    c.set(n);
    n != 0
}

/// Call user code, catching panics and reporting them as unraisable (about `op`).
pub(crate) fn call_user(heap: &HeapInner, op: RawObj, f: impl FnOnce()) {
    if let Err(payload) = std::panic::catch_unwind(std::panic::AssertUnwindSafe(f)) {
        // SAFETY: op is intact for the duration of this call (callers hold it).
        let what = unsafe { crate::builtins::describe(op) };
        heap.report_unraisable(&what, payload);
    }
}

/// Run the PEP 442 finalizer of a live object on behalf of the collector.
///
/// # Safety
/// `op` is live and the caller holds a reference.
pub(crate) unsafe fn call_finalizer(heap: &HeapInner, op: RawObj) {
    // SAFETY: live (caller).
    let ty = unsafe { type_of(op) };
    // SAFETY: live (caller).
    if let Some(f) = unsafe { crate::builtins::class::finalizer(ty) }.cloned() {
        // SAFETY: live; the new handle owns the reference taken here.
        let obj = unsafe {
            incref(op);
            Obj::from_owned(op)
        };
        call_user(heap, op, move || f(heap.heap(), obj));
    }
}
