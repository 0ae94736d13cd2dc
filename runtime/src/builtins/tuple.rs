//! tuple: immutable, items inline, free lists per length 1..=20, `()` an immortal singleton.
//!
//! ```text
//!   [GcHead 16][ObjHeader 16][len: usize][item 0]...[item len-1]   = 40 + 8·len (CPython: same)
//! ```
//!
//! Tracking: tuples are tracked at creation (except `()`), and the collector may untrack a tuple
//! whose items are all atoms or untracked tuples (`can_untrack`, CPython ≤ 3.14.0 semantics).
//! Free-listed tuples skip `note_allocation`/`note_deallocation`, like CPython.
//!
//! # Invariants the unsafe code relies on
//! - The payload is the `len` word then `len` item slots; `len` is fixed at creation.
//! - A live tuple's slots are `Some` strong references to live objects of the same heap; `None`
//!   appears only while a tuple is built or torn down (dealloc takes each item out once).
//! - A tuple on a free list is dead: its refcount word is the free-list link, its slots empty.

use crate::Obj;
use crate::error::{Result, RuntimeError};
use crate::handle::typed_handle;
use crate::heap::{Heap, HeapInner};
use crate::object::{GC_HEAD_SIZE, HEADER_SIZE, RawObj, gc_head, payload_ptr, type_of};
use crate::recursion::RecursionKind;
use crate::refcount::{decref, incref};
use crate::tunables::TUPLE_FREELIST_LENGTHS;
use crate::types::{Kind, TypeObject, dyn_traverse};

const BASIC: usize = HEADER_SIZE + 8;

pub(crate) fn tuple_type(heap: *const HeapInner) -> TypeObject {
    super::builtin_type("tuple", Kind::Tuple, heap)
        .layout(BASIC, 8)
        .slots(dealloc, sizeof)
        .gc_container(dyn_traverse!(traverse_with), None)
        .build()
}

/// # Safety
/// `op` is a live tuple.
#[inline]
pub(crate) unsafe fn len(op: RawObj) -> usize {
    // SAFETY: `op` is a live tuple (contract), whose payload starts with its length word.
    unsafe { *payload_ptr(op).cast::<usize>() }
}

/// # Safety
/// `op` is a live tuple; the slice lives as long as it.
#[inline]
pub(crate) unsafe fn items<'a>(op: RawObj) -> &'a [Option<RawObj>] {
    // SAFETY: len items follow the length word.
    unsafe { std::slice::from_raw_parts(payload_ptr(op).add(8).cast(), len(op)) }
}

/// The `sizeof` slot of tuples.
///
/// # Safety
/// The `SizeofFn` contract (types.rs): `op` is a live tuple.
unsafe fn sizeof(op: RawObj) -> usize {
    // SAFETY: live tuple.
    GC_HEAD_SIZE + BASIC + 8 * unsafe { len(op) }
}

/// The traverse body, generic over the visitor (see `list::traverse_with`).
///
/// # Safety
/// `op` is a live tuple; `visit` runs no user code.
#[inline(always)]
pub(crate) unsafe fn traverse_with<V: FnMut(RawObj) + ?Sized>(op: RawObj, visit: &mut V) {
    // Last to first, as CPython's tupletraverse.
    // SAFETY: live tuple (caller).
    for it in unsafe { items(op) }.iter().rev().flatten() {
        visit(*it);
    }
}

/// The `dealloc` slot of tuples: release the items (last to first), then free list or free.
///
/// # Safety
/// The `DeallocFn` contract (types.rs): `op` is a dead tuple of this type's heap, untracked, its
/// prologue done; it is gone when this returns.
unsafe fn dealloc(op: RawObj) {
    // SAFETY: dead tuple: release items, then keep or free the memory.
    unsafe {
        let heap = &*type_of(op).heap;
        let n = len(op);
        let its = payload_ptr(op).add(8).cast::<Option<RawObj>>();
        for i in (0..n).rev() {
            if let Some(p) = its.add(i).replace(None) {
                decref(p);
            }
        }
        let list = (1..=TUPLE_FREELIST_LENGTHS)
            .contains(&n)
            .then(|| &heap.tuple_free[n - 1]);
        heap.keep_or_free_gc_sized(list, op, GC_HEAD_SIZE + BASIC + 8 * n);
    }
}

/// The hash slot of tuple. Counts one level of the heap's recursion limit (a nested tuple
/// recurses; `Recursion(Hash)` past the limit).
///
/// # Safety
/// `op` is a live tuple, held by the caller.
pub(crate) unsafe fn hash(op: RawObj) -> Result<i64> {
    // CPython 3.8+ (xxHash-based) tuple hash.
    const P1: u64 = 11400714785074694791;
    const P2: u64 = 14029467366897019727;
    const P5: u64 = 2870177450012600261;
    // SAFETY: caller; the tuple is immutable and held, so its items stay alive and in place
    // whatever their hash slots run.
    let (its, heap) = unsafe { (items(op), &*type_of(op).heap) };
    let _level = heap.enter_recursion(RecursionKind::Hash)?;
    let mut acc = P5;
    for it in its {
        let p = it.ok_or_else(|| RuntimeError::Unhashable("tuple".into()))?;
        // SAFETY: items of a live tuple are live.
        let lane = unsafe { super::hash(p)? } as u64;
        acc = acc.wrapping_add(lane.wrapping_mul(P2));
        acc = acc.rotate_left(31);
        acc = acc.wrapping_mul(P1);
    }
    acc = acc.wrapping_add((its.len() as u64) ^ (P5 ^ 3527539));
    let h = acc as i64;
    Ok(if h == -1 { 1546275796 } else { h })
}

/// The eq slot of tuple: same length and items equal in order (CPython's `tuplerichcompare`).
///
/// # Safety
/// `a` is a live tuple, `b` live, both held by the caller.
pub(crate) unsafe fn eq(a: RawObj, b: RawObj) -> Result<bool> {
    // SAFETY: held (caller); `b` is read as a tuple only when it is one. Tuples are immutable
    // and these two are held, so their items stay alive and in place across user eq slots.
    unsafe {
        if type_of(b).kind != Kind::Tuple {
            return Ok(false);
        }
        let (x, y) = (items(a), items(b));
        if x.len() != y.len() {
            return Ok(false);
        }
        for (p, q) in x.iter().zip(y) {
            let same = match (p, q) {
                (Some(p), Some(q)) => super::eq(*p, *q)?,
                (None, None) => true,
                _ => false,
            };
            if !same {
                return Ok(false);
            }
        }
        Ok(true)
    }
}

/// Can the collector untrack this tuple? (all items atoms or untracked tuples)
///
/// # Safety
/// `op` is a live tuple.
pub(crate) unsafe fn can_untrack(op: RawObj) -> bool {
    // SAFETY: caller; items are live.
    unsafe {
        items(op)
            .iter()
            .all(|it| matches!(it, Some(p) if !super::may_be_tracked(*p)))
    }
}

pub(crate) fn new_empty_immortal(heap: &HeapInner) -> RawObj {
    // Not counted as an allocation: fake note by allocating raw.
    let op = heap
        .new_object(&heap.types.tuple, BASIC)
        .expect("out of memory creating the heap");
    // SAFETY: fresh object; length 0; immortal from now on (never tracked).
    unsafe {
        payload_ptr(op).cast::<usize>().write(0);
        heap.make_immortal(op);
    }
    heap.gc.note_deallocation();
    op
}

typed_handle!(
    /// A tuple handle.
    Tuple,
    Kind::Tuple,
    "tuple",
    as_tuple
);

impl<'h> Tuple<'h> {
    /// `len(t)`.
    pub fn len(&self) -> usize {
        // SAFETY: live tuple.
        unsafe { len(self.as_raw()) }
    }
    /// `len(t) == 0`.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
    /// `t[i]` (negative indices count from the end).
    pub fn get(&self, i: i64) -> Result<Obj<'h>> {
        // SAFETY: live tuple.
        let its = unsafe { items(self.as_raw()) };
        let idx = super::list::normalize(i, its.len())?;
        // SAFETY: items of a live tuple are live objects of the same heap.
        Ok(unsafe { Obj::from_borrowed(its[idx].expect("tuple item")) })
    }
    /// Item `i` counted from the start; panics when `i >= len` (use [`Tuple::get`] for
    /// Python's indexing).
    pub fn item(&self, i: usize) -> Obj<'h> {
        // SAFETY: live tuple.
        let its = unsafe { items(self.as_raw()) };
        // SAFETY: items of a live tuple are live objects of the same heap.
        unsafe { Obj::from_borrowed(its[i].expect("tuple item")) }
    }
    /// All items.
    pub fn to_vec(&self) -> Vec<Obj<'h>> {
        // SAFETY: live tuple; items live.
        unsafe { items(self.as_raw()) }
            .iter()
            .map(|p| unsafe { Obj::from_borrowed(p.expect("tuple item")) })
            .collect()
    }
}

impl Heap {
    /// `tuple(items)`.
    pub fn tuple<'h>(&'h self, items: &[Obj<'h>]) -> Result<Tuple<'h>> {
        let inner = self.inner();
        for it in items {
            it.check_heap(inner)?;
        }
        let n = items.len();
        if n == 0 {
            // SAFETY: immortal singleton of this heap.
            return Ok(Tuple(unsafe { Obj::from_borrowed(inner.empty_tuple) }));
        }
        let ty = &*inner.types.tuple;
        let op = match (n <= TUPLE_FREELIST_LENGTHS)
            .then(|| inner.tuple_free[n - 1].pop())
            .flatten()
        {
            Some(op) => {
                // SAFETY: free-listed tuple memory of length n.
                unsafe { inner.reuse_object(op, ty) };
                op
            }
            None => inner.new_object(ty, BASIC + 8 * n)?,
        };
        // SAFETY: an object of BASIC + 8n bytes we own; items are live objects of this heap.
        unsafe {
            payload_ptr(op).cast::<usize>().write(n);
            let its = payload_ptr(op).add(8).cast::<Option<RawObj>>();
            for (i, it) in items.iter().enumerate() {
                incref(it.as_raw());
                its.add(i).write(Some(it.as_raw()));
            }
            inner.gc.track(gc_head(op));
            Ok(Tuple(Obj::from_owned(op)))
        }
    }
}
