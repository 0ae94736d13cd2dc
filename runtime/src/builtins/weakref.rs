//! Weak references with optional callbacks.
//!
//! ```text
//!   referent [.. weaklist ..] ──▶ wr1 ⇄ wr2 ⇄ wr3        (doubly linked through the weakrefs)
//!   weakref: [GcHead 16][ObjHeader 16][referent][callback: 16][hash][prev][next] = 80
//!   callback: none | a heap object (strong, traversed) | a Rust closure (opaque, boxed)
//! ```
//! Hash and `==` are CPython's: `hash(wr)` is the referent's hash, computed on first use and
//! kept, so it still answers after the referent died (and raises `TypeError: weak object has
//! gone away` if it was never asked while the referent lived); two weakrefs are equal when both
//! referents are alive and equal, otherwise only to themselves.
//! When the referent dies (by refcounting or by the collector) each weakref is cleared (`get()`
//! returns `None`), then the callbacks of the cleared weakrefs that are still alive run, each
//! called once with its weakref object. A callback given as a heap object
//! ([`Heap::weakref_with_callable`]) is a strong reference the weakref traverses, as CPython's
//! `weakref` does, so `frame -> weakref -(callback)-> function -> frame` is a cycle the collector
//! frees; it is called through the heap's call hook. A Rust closure
//! (`heap.weakref(&o, Some(Heap::obj_fn(..)))`) is opaque: `Member`s it captures are not
//! traversed.
//!
//! # Invariants
//! - `referent == Some(r)` ⇔ the weakref is on `r`'s list; the list holds no counted references.
//! - A weakref removes itself from its referent's list when it dies.

use crate::Obj;
use crate::error::{Result, RuntimeError};
use crate::handle::AsObj;
use crate::handle::typed_handle;
use crate::heap::{Heap, HeapInner};
use crate::member::Member;
use crate::object::{
    GC_HEAD_SIZE, HEADER_SIZE, RawObj, gc_head, payload, payload_ptr, refcnt, type_of,
};
use crate::refcount::{decref, incref};
use crate::types::{Kind, ObjFn, TypeObject};
use std::cell::Cell;
use std::rc::Rc;

#[repr(C)]
struct WeakBody {
    referent: Cell<Option<RawObj>>,
    /// Taken and put back by every reader (a `Cell`, no borrow flag: nothing runs in between).
    callback: Cell<Option<WeakCallback>>,
    /// The referent's hash once asked (`wr_hash`), −1 before.
    hash: Cell<i64>,
    prev: Cell<Option<RawObj>>,
    next: Cell<Option<RawObj>>,
}
const BASIC: usize = HEADER_SIZE + std::mem::size_of::<WeakBody>();
// CPython's weakref is 80 bytes with its GC head: never larger here.
const _: () = assert!(GC_HEAD_SIZE + BASIC <= 80);

pub(crate) fn weakref_type(heap: *const HeapInner) -> TypeObject {
    super::builtin_type("weakref", Kind::WeakRef, heap)
        .layout(BASIC, 0)
        .slots(dealloc, sizeof)
        .gc_container(traverse, Some(clear_weakref_and_callback))
        .build()
}

/// The referent while it is alive (not cleared, not dying).
///
/// # Safety
/// `wr` is a live weakref.
unsafe fn live_referent(wr: RawObj) -> Option<RawObj> {
    // SAFETY: live weakref; a set referent's header is readable until it clears its weakrefs.
    unsafe {
        let r = body(wr).referent.get()?;
        (!crate::trashcan::is_dead_count(refcnt(r).get())).then_some(r)
    }
}

/// The hash slot of weakrefs (CPython's `weakref_hash`): the referent's, cached.
///
/// # Safety
/// The `HashFn` contract (types.rs): `wr` is a live weakref, held by the caller.
pub(super) unsafe fn hash(wr: RawObj) -> Result<i64> {
    // SAFETY: live weakref (contract); the referent is held while its hash runs user code.
    unsafe {
        let cached = body(wr).hash.get();
        if cached != -1 {
            return Ok(cached);
        }
        let Some(r) = live_referent(wr) else {
            return Err(RuntimeError::TypeError("weak object has gone away".into()));
        };
        let held = super::Held::new(r);
        let h = super::hash(held.raw())?;
        body(wr).hash.set(h);
        Ok(h)
    }
}

/// The eq slot of weakrefs (CPython's `weakref_richcompare`): the referents compared when both
/// are alive; otherwise identity (and `a`, `b` are distinct here).
///
/// # Safety
/// The `EqFn` contract (types.rs): `a` (a weakref) and `b` are distinct live objects of one heap,
/// held by the caller.
pub(super) unsafe fn eq(a: RawObj, b: RawObj) -> Result<bool> {
    // SAFETY: both live (contract); `b`'s body is read only once its kind says weakref; the
    // referents are held while their comparison runs user code.
    unsafe {
        if type_of(b).kind != Kind::WeakRef {
            return Ok(false);
        }
        match (live_referent(a), live_referent(b)) {
            (Some(x), Some(y)) => {
                let (x, y) = (super::Held::new(x), super::Held::new(y));
                super::eq(x.raw(), y.raw())
            }
            _ => Ok(false),
        }
    }
}

/// The `sizeof` slot of weakrefs (a constant).
///
/// # Safety
/// The `SizeofFn` contract (types.rs): `op` is a live weakref (not read).
unsafe fn sizeof(_: RawObj) -> usize {
    GC_HEAD_SIZE + BASIC
}

/// What a weakref calls when its referent dies.
enum WeakCallback {
    /// Boxed: a thin pointer keeps the weakref at CPython's 80 bytes.
    Rust(Box<ObjFn>),
    Object(Member),
}

/// Look at the callback without taking it.
fn peek<R>(cell: &Cell<Option<WeakCallback>>, f: impl FnOnce(Option<&WeakCallback>) -> R) -> R {
    let cb = cell.take();
    let r = f(cb.as_ref());
    cell.set(cb);
    r
}

/// The `traverse` slot of weakrefs: the callback object, if it is one (never the referent).
///
/// # Safety
/// The `TraverseFn` contract (types.rs): `wr` is a live weakref; `visit` runs no user code (the
/// callback is taken out of its cell and put back around the visit: nobody else runs meanwhile).
unsafe fn traverse(wr: RawObj, visit: &mut dyn FnMut(RawObj)) {
    // SAFETY: live weakref; visit runs no user code.
    peek(&unsafe { body(wr) }.callback, |cb| {
        if let Some(WeakCallback::Object(m)) = cb {
            visit(m.as_raw());
        }
    })
}

/// The payload of a weakref.
///
/// # Safety
/// `wr` is a live weakref (or one being deallocated); the reference must not outlive it.
unsafe fn body<'a>(wr: RawObj) -> &'a WeakBody {
    // SAFETY: caller passes a weakref.
    unsafe { payload::<WeakBody>(wr) }
}

/// The weaklist head cell of a weakrefable object.
///
/// # Safety
/// `op` is a live object whose type has `HAS_WEAKREFS` (so `weaklist_offset` names its weaklist
/// word); the reference must not outlive `op`.
unsafe fn list_head<'a>(op: RawObj) -> &'a Cell<Option<RawObj>> {
    // SAFETY: the type has a weaklist at weaklist_offset (caller checked the flag).
    unsafe {
        &*op.as_ptr()
            .cast::<u8>()
            .add(type_of(op).weaklist_offset)
            .cast()
    }
}

/// Does `op` have weak references (a non-empty weaklist)? The dealloc prologue asks this
/// before clearing, so an object nobody ever referenced weakly pays one load.
///
/// # Safety
/// As [`list_head`].
#[inline]
pub(crate) unsafe fn has_weakrefs(op: RawObj) -> bool {
    // SAFETY: caller's obligations.
    unsafe { list_head(op) }.get().is_some()
}

/// Unlink `wr` from its referent's list and forget the referent (the callback stays).
///
/// # Safety
/// `wr` is a live weakref.
pub(crate) unsafe fn clear_weakref(wr: RawObj) {
    // SAFETY: caller; list neighbours and the referent are live (list invariant).
    unsafe {
        let b = body(wr);
        let Some(r) = b.referent.take() else { return };
        let (prev, next) = (b.prev.take(), b.next.take());
        match prev {
            Some(p) => body(p).next.set(next),
            None => list_head(r).set(next),
        }
        if let Some(n) = next {
            body(n).prev.set(prev);
        }
    }
}

/// tp_clear of a weakref: clear it and drop its callback.
///
/// # Safety
/// `wr` is a live weakref held by the caller for the call (dropping the callback may run user code
/// through the `Member`s it captured).
unsafe fn clear_weakref_and_callback(wr: RawObj) {
    // SAFETY: live weakref.
    unsafe {
        clear_weakref(wr);
        let cb = body(wr).callback.take();
        drop(cb); // may run user code (captured Members): no borrow held
    }
}

/// The `dealloc` slot of weakrefs: detach from the referent, drop the callback, free.
///
/// # Safety
/// The `DeallocFn` contract (types.rs): `wr` is a dead weakref of this type's heap.
unsafe fn dealloc(wr: RawObj) {
    // SAFETY: dead weakref.
    unsafe {
        let heap = &*type_of(wr).heap;
        clear_weakref_and_callback(wr);
        heap.gc.note_deallocation();
        heap.free_object(wr);
    }
}

/// Clear every weakref to `op`; for each one with a callback call `f(wr)`.
///
/// # Safety
/// `op` is an intact object whose type has a weaklist.
pub(crate) unsafe fn clear_weakrefs_to(op: RawObj, f: &mut dyn FnMut(RawObj)) {
    // SAFETY: caller; weakrefs on the list are live.
    unsafe {
        let head = list_head(op);
        let mut with_cb = Vec::new();
        while let Some(wr) = head.get() {
            clear_weakref(wr);
            if peek(&body(wr).callback, |cb| cb.is_some()) {
                with_cb.push(wr);
            }
        }
        for wr in with_cb {
            f(wr);
        }
    }
}

/// Call the callback of a cleared weakref once (`callback(wr)`), catching panics.
///
/// # Safety
/// `wr` is a live weakref.
pub(crate) unsafe fn call_callback(heap: &HeapInner, wr: RawObj) {
    // SAFETY: `wr` is a live weakref (contract), so its body is valid.
    let Some(cb) = unsafe { body(wr) }.callback.take() else {
        return;
    };
    // SAFETY: wr is live; the handle owns the reference taken here.
    let obj = unsafe {
        incref(wr);
        Obj::from_owned(wr)
    };
    let h = heap.heap();
    match cb {
        WeakCallback::Rust(cb) => crate::refcount::call_user(heap, wr, move || cb(h, obj)),
        WeakCallback::Object(m) => crate::refcount::call_user(heap, wr, move || {
            let Ok(f) = m.get(h) else { return };
            drop(m);
            if let Err(e) = h.call(&f, std::slice::from_ref(&obj)) {
                heap.report_unraisable_error(&f, &e);
            }
        }),
    }
}

/// Referent died by refcounting: clear its weakrefs, then run the callbacks.
///
/// # Safety
/// `op` is intact (count 0) and its type has a weaklist.
pub(crate) unsafe fn clear_weakrefs_and_call(heap: &HeapInner, op: RawObj) {
    let mut pending = Vec::new();
    // SAFETY: caller; each weakref with a callback is kept alive while pending.
    unsafe {
        clear_weakrefs_to(op, &mut |wr| {
            incref(wr);
            pending.push(wr);
        });
        for wr in pending {
            call_callback(heap, wr);
            decref(wr);
        }
    }
}

typed_handle!(
    /// A weak reference handle.
    WeakRef,
    Kind::WeakRef,
    "weakref",
    as_weakref
);

impl<'h> WeakRef<'h> {
    /// `wr()`: the referent, if alive.
    pub fn get(&self) -> Option<Obj<'h>> {
        // SAFETY: live weakref; a set referent is live (it clears its weakrefs before dying).
        let r = unsafe { body(self.as_raw()) }.referent.get()?;
        // SAFETY: a set referent's memory is not freed before it clears its weakrefs, so its
        // header is readable (it may be dying: checked here).
        if crate::trashcan::is_dead_count(unsafe { refcnt(r) }.get()) {
            return None; // dying: waiting on the dealloc chain, or in its prologue
        }
        // SAFETY: live object of this heap.
        Some(unsafe { Obj::from_borrowed(r) })
    }
    /// Is the referent gone?
    pub fn is_dead(&self) -> bool {
        // SAFETY: live weakref.
        unsafe { body(self.as_raw()) }.referent.get().is_none()
    }
    /// Does the weakref still have a callback to call?
    pub fn has_callback(&self) -> bool {
        // SAFETY: live weakref.
        peek(&unsafe { body(self.as_raw()) }.callback, |cb| cb.is_some())
    }
    /// `wr.__callback__`: the callback given as a heap object, while it has not run.
    pub fn callback(&self) -> Option<Obj<'h>> {
        // SAFETY: live weakref.
        peek(&unsafe { body(self.as_raw()) }.callback, |cb| match cb {
            Some(WeakCallback::Object(m)) => m.get(self.heap_inner().heap()).ok(),
            _ => None,
        })
    }
}

impl Heap {
    /// `weakref.ref(obj, callback)` with a Rust closure as the callback (not traversed: see the
    /// module docs).
    pub fn weakref<'h>(
        &'h self,
        obj: &impl AsObj<'h>,
        callback: Option<ObjFn>,
    ) -> Result<WeakRef<'h>> {
        self.new_weakref(obj, callback.map(|f| WeakCallback::Rust(Box::new(f))))
    }
    /// `weakref.ref(obj, callback)` with a heap object as the callback: held and traversed by
    /// the weakref, called through the call hook ([`Heap::set_call_hook`]) with the weakref.
    pub fn weakref_with_callable<'h>(
        &'h self,
        obj: &impl AsObj<'h>,
        callback: &impl AsObj<'h>,
    ) -> Result<WeakRef<'h>> {
        callback.as_obj().check_heap(self.inner())?;
        self.new_weakref(obj, Some(WeakCallback::Object(Member::new(callback))))
    }
    fn new_weakref<'h>(
        &'h self,
        obj: &impl AsObj<'h>,
        callback: Option<WeakCallback>,
    ) -> Result<WeakRef<'h>> {
        let obj = obj.as_obj();
        let inner = self.inner();
        obj.check_heap(inner)?;
        let ty = obj.type_object();
        if ty.weaklist_offset == 0 {
            return Err(RuntimeError::NotWeakrefable(ty.name().into()));
        }
        let wr = inner.new_object(&inner.types.weakref, BASIC)?;
        // SAFETY: fresh weakref; obj is live and weakrefable; link at the head of its list.
        unsafe {
            let r = obj.as_raw();
            let head = list_head(r);
            let next = head.get();
            payload_ptr(wr).cast::<WeakBody>().write(WeakBody {
                referent: Cell::new(Some(r)),
                callback: Cell::new(callback),
                hash: Cell::new(-1),
                prev: Cell::new(None),
                next: Cell::new(next),
            });
            if let Some(n) = next {
                body(n).prev.set(Some(wr));
            }
            head.set(Some(wr));
            inner.gc.track(gc_head(wr));
            Ok(WeakRef(Obj::from_owned(wr)))
        }
    }
    /// Shorthand: an [`ObjFn`] (finalizer or weakref callback) from a closure.
    pub fn obj_fn(f: impl for<'a> Fn(&'a Heap, Obj<'a>) + 'static) -> ObjFn {
        Rc::new(f)
    }
}

/// The weak references to `op`, newest first (`weakref.getweakrefs`; their number is
/// `weakref.getweakrefcount`).
///
/// # Safety
/// `op` is live.
pub(crate) unsafe fn weakrefs_of(op: RawObj) -> Vec<RawObj> {
    let mut out = Vec::new();
    // SAFETY: caller; weakrefs on the list are live.
    unsafe {
        if type_of(op).weaklist_offset == 0 {
            return out;
        }
        let mut p = list_head(op).get();
        while let Some(wr) = p {
            out.push(wr);
            p = body(wr).next.get();
        }
    }
    out
}
