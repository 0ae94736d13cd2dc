//! list: a growable array of references, CPython's over-allocation, free list of 80.
//!
//! ```text
//!   [GcHead 16][ObjHeader 16][items: *mut Option<RawObj>][len][cap]   = 56 bytes (CPython: 56)
//!                                  └──▶ [item 0][item 1]...[item cap-1]  (from the allocator)
//! ```
//!
//! Growth (CPython's `list_resize`): a resize to `n` keeps the array when `cap/2 <= n <= cap`;
//! otherwise `cap = (n + (n >> 3) + 6) & !3` (or `(n + 3) & !3` when that would not even cover the
//! jump), `0` for an empty list. Appending one at a time gives capacities 0, 4, 8, 16, 24, 32, 40,
//! 52, 64, 76, ...
//!
//! # Invariants
//! - `len <= cap`; `items` is null iff `cap == 0`; items `0..len` are `Some` strong references.
//! - No method holds a reference into the array across a decref (decrefs run user code that may
//!   mutate the list): old items are taken out first and released last.

use crate::Obj;
use crate::error::{Result, RuntimeError};
use crate::handle::AsObj;
use crate::handle::typed_handle;
use crate::heap::{Heap, HeapInner};
use crate::object::{GC_HEAD_SIZE, HEADER_SIZE, RawObj, gc_head, payload, payload_ptr, type_of};
use crate::refcount::{decref, incref};
use crate::types::{Kind, TypeObject, dyn_traverse};
use std::cell::Cell;
use std::ptr::NonNull;

#[repr(C)]
pub(crate) struct ListBody {
    items: Cell<*mut Option<RawObj>>,
    len: Cell<usize>,
    cap: Cell<usize>,
}
const BASIC: usize = HEADER_SIZE + 24;

pub(crate) fn list_type(heap: *const HeapInner) -> TypeObject {
    super::builtin_type("list", Kind::List, heap)
        .layout(BASIC, 0)
        .slots(dealloc, sizeof)
        .gc_container(dyn_traverse!(traverse_with), Some(clear))
        .build()
}

/// The payload of a list.
///
/// # Safety
/// `op` is a live list (or one being deallocated); the reference must not outlive it.
#[inline]
unsafe fn body<'a>(op: RawObj) -> &'a ListBody {
    // SAFETY: caller passes a list.
    unsafe { payload::<ListBody>(op) }
}

/// # Safety
/// `op` is a live list; the slice must not be held across anything that may mutate the list.
pub(crate) unsafe fn items<'a>(op: RawObj) -> &'a [Option<RawObj>] {
    // SAFETY: `op` is a live list (contract), so its body and item array are valid.
    let b = unsafe { body(op) };
    if b.len.get() == 0 {
        return &[];
    }
    // SAFETY: items 0..len are initialised.
    unsafe { std::slice::from_raw_parts(b.items.get(), b.len.get()) }
}

/// The item array as a raw pointer, for writing items in place (a pointer taken from the
/// [`items`] slice only permits reads).
///
/// # Safety
/// `op` is a live list; the pointer must not be used across anything that may mutate the list
/// (it may be null or dangling then); items `0..len` are initialised.
pub(crate) unsafe fn items_ptr(op: RawObj) -> *mut Option<RawObj> {
    // SAFETY: `op` is a live list (contract).
    unsafe { body(op) }.items.get()
}

/// The `sizeof` slot of lists.
///
/// # Safety
/// The `SizeofFn` contract (types.rs): `op` is a live list.
unsafe fn sizeof(op: RawObj) -> usize {
    // SAFETY: live list.
    GC_HEAD_SIZE + BASIC + 8 * unsafe { body(op) }.cap.get()
}

/// The traverse body, generic over the visitor so that the collector's visitors inline
/// (`model.rs` dispatches on the kind); the type's `traverse` slot is the same code behind a `dyn` (`types::dyn_traverse!`).
///
/// # Safety
/// `op` is a live list; `visit` runs no user code.
#[inline(always)]
pub(crate) unsafe fn traverse_with<V: FnMut(RawObj) + ?Sized>(op: RawObj, visit: &mut V) {
    // Last to first, as CPython's list_traverse (the order shows in `gc.get_referents` and in
    // which tuples a collection untracks). The item `AHEAD` visits further on is prefetched:
    // the visitor reads each referent's header and head, and in a large list those are misses
    // that would otherwise come one by one.
    const AHEAD: usize = 8;
    // SAFETY: live list (caller); visit runs no user code, so the array stays put.
    let items = unsafe { items(op) };
    for k in (0..items.len()).rev() {
        if let Some(Some(next)) = k.checked_sub(AHEAD).map(|j| items[j]) {
            crate::object::prefetch_object(next);
        }
        if let Some(it) = items[k] {
            visit(it);
        }
    }
}

/// Install a detached array (from [`take_items`]) as the list's items, returning the array the
/// list held until now (to be released by the caller with [`release_items`]).
///
/// # Safety
/// `op` is a live list; `arr` holds `n` strong references in `cap` slots from this heap's
/// allocator (or is null with `n == cap == 0`) and nothing else owns it.
pub(super) unsafe fn swap_items(
    op: RawObj,
    arr: *mut Option<RawObj>,
    n: usize,
    cap: usize,
) -> (*mut Option<RawObj>, usize, usize) {
    // SAFETY: live list (caller).
    let b = unsafe { body(op) };
    (b.items.replace(arr), b.len.replace(n), b.cap.replace(cap))
}

/// Detach the item array: the list becomes `[]`; returns (array, len, cap).
///
/// # Safety
/// `op` is a live list. The caller owns the returned array and its `len` references from then on
/// and must release it ([`release_items`]) or install it again.
pub(super) unsafe fn take_items(op: RawObj) -> (*mut Option<RawObj>, usize, usize) {
    // SAFETY: live list.
    let b = unsafe { body(op) };
    (
        b.items.replace(std::ptr::null_mut()),
        b.len.replace(0),
        b.cap.replace(0),
    )
}

/// Release a detached array (runs user code through decref). The empty case is checked inline
/// (an empty list's dealloc pays no call), the loop lives out of line.
///
/// # Safety
/// `arr` is an array detached from a list of `heap` (by [`take_items`] or [`swap_items`]):
/// `cap` slots from `heap`'s allocator (null when `cap` is 0), the first `n` holding strong
/// references that the caller gives up. Nothing else may see the array.
#[inline(always)]
pub(super) unsafe fn release_items(
    heap: &HeapInner,
    arr: *mut Option<RawObj>,
    n: usize,
    cap: usize,
) {
    if !arr.is_null() {
        // SAFETY: `arr` is non-null, detached, with `n` owned references in `cap` slots from
        // `heap` (contract).
        unsafe { release_array(heap, arr, n, cap) }
    }
}

/// The out-of-line loop of [`release_items`].
///
/// # Safety
/// As [`release_items`], with `arr` non-null.
#[inline(never)]
unsafe fn release_array(heap: &HeapInner, arr: *mut Option<RawObj>, n: usize, cap: usize) {
    // SAFETY: forwarded contract.
    unsafe { release_array_with(heap, arr, n, cap, |p| decref(p)) }
}

/// The loop of [`release_array`] with `release` in place of `decref` for each item, last to
/// first, then the array's free.
///
/// # Safety
/// As [`release_items`] with `arr` non-null; `release` takes over each reference.
#[inline(always)]
unsafe fn release_array_with(
    heap: &HeapInner,
    arr: *mut Option<RawObj>,
    n: usize,
    cap: usize,
    mut release: impl FnMut(RawObj),
) {
    // SAFETY: arr holds n strong references and came from the allocator.
    unsafe {
        // The array is detached: nothing else can see it, so no need to null the slots.
        for i in (0..n).rev() {
            if let Some(p) = arr.add(i).read() {
                release(p);
            }
        }
        heap.free_bytes(NonNull::new_unchecked(arr.cast()), cap * 8);
    }
}

/// The collector's sweep of a garbage list (model.rs): detach and release the array as
/// [`clear`] does, each reference handed to `release` instead of `decref`. The list is left
/// empty.
///
/// # Safety
/// `op` is a live list of `heap`; `release` takes over each reference.
#[inline(always)]
pub(crate) unsafe fn sweep_release(heap: &HeapInner, op: RawObj, release: impl FnMut(RawObj)) {
    // SAFETY: live list (caller); the detached array is ours.
    unsafe {
        let (arr, n, cap) = take_items(op);
        if !arr.is_null() {
            release_array_with(heap, arr, n, cap, release);
        }
    }
}

/// Free an emptied dead list (no array, count 0, untracked or unlinked): the free list, else
/// the allocator. The end of [`dealloc`] and of the collector's sweep.
///
/// # Safety
/// `op` is a dead list of `heap` with no item array, on no collector list.
#[inline(always)]
pub(crate) unsafe fn free_emptied(heap: &HeapInner, op: RawObj) {
    // SAFETY: this fn's contract.
    unsafe { heap.keep_or_free_gc_sized(Some(&heap.list_free), op, GC_HEAD_SIZE + BASIC) }
}

/// The `clear` slot of lists: detach the array, then release it.
///
/// # Safety
/// The `ClearFn` contract (types.rs): `op` is a live list, held by the caller for the call.
unsafe fn clear(op: RawObj) {
    // SAFETY: live list.
    unsafe {
        let heap = &*type_of(op).heap;
        let (arr, n, cap) = take_items(op);
        release_items(heap, arr, n, cap);
    }
}

/// The `dealloc` slot of lists: release the array, then free list or free.
///
/// # Safety
/// The `DeallocFn` contract (types.rs): `op` is a dead list of this type's heap.
unsafe fn dealloc(op: RawObj) {
    // SAFETY: dead list: its array and references are ours; nobody sees the list any more, so
    // its fields need no resetting (`free_emptied` keeps it or frees it, and a kept list is
    // re-initialised when reused).
    unsafe {
        let heap = &*type_of(op).heap;
        let b = body(op);
        let (arr, n, cap) = (b.items.get(), b.len.get(), b.cap.get());
        if !arr.is_null() {
            // The loop inline (a deep chain's level is one item): no call, no saved registers.
            release_array_with(heap, arr, n, cap, |p| decref(p));
        }
        free_emptied(heap, op);
    }
}

/// The eq slot of list (CPython's `list_richcompare` for `==`): lengths first, then items in
/// order, each pair held while compared; the lengths are re-read after every comparison (a user
/// eq may clear or grow either list), and when one list ran out the lengths decide.
///
/// # Safety
/// `a` is a live list, `b` live, both held by the caller.
pub(crate) unsafe fn eq(a: RawObj, b: RawObj) -> Result<bool> {
    // SAFETY: held (caller); `b` is read as a list only when it is one; items are read afresh
    // at each index and held across the comparison.
    unsafe {
        if type_of(b).kind != Kind::List {
            return Ok(false);
        }
        let len = |op| body(op).len.get();
        if len(a) != len(b) {
            return Ok(false);
        }
        let mut i = 0;
        while i < len(a) && i < len(b) {
            let (x, y) = (items(a)[i], items(b)[i]);
            if x != y {
                let (Some(x), Some(y)) = (x, y) else {
                    break;
                };
                let (x, y) = (super::Held::new(x), super::Held::new(y));
                if !super::eq(x.raw(), y.raw())? {
                    break;
                }
            }
            i += 1;
        }
        if i >= len(a) || i >= len(b) {
            // No more items to compare (possibly because user code shrank a list).
            return Ok(len(a) == len(b));
        }
        Ok(false)
    }
}

/// CPython's new capacity for a resize to `n` from `len`, or None to keep the array.
pub fn new_capacity(n: usize, len: usize, cap: usize) -> Option<usize> {
    if cap >= n && n >= (cap >> 1) {
        return None;
    }
    if n == 0 {
        return Some(0);
    }
    let mut new = (n + (n >> 3) + 6) & !3;
    if n - len.min(n) > new - n {
        new = (n + 3) & !3;
    }
    Some(new)
}

/// Resize to hold `n` items (len is set by the caller).
///
/// # Safety
/// `op` is a live list of `heap`, and `n` items fit the result: when shrinking, the items past `n`
/// were already moved out (only the first `min(len, n)` are kept). Runs no user code.
unsafe fn resize(heap: &HeapInner, op: RawObj, n: usize) -> Result<()> {
    // SAFETY: live list.
    let b = unsafe { body(op) };
    let Some(new_cap) = new_capacity(n, b.len.get(), b.cap.get()) else {
        return Ok(());
    };
    let old = b.items.get();
    let new_arr = match NonNull::new(old) {
        // SAFETY: the array came from this heap's allocator with cap * 8 bytes.
        None if new_cap > 0 => heap.alloc_bytes(new_cap * 8)?.as_ptr().cast(),
        None => std::ptr::null_mut(),
        Some(p) if new_cap == 0 => {
            // SAFETY: as above; the list holds no items (n == 0).
            unsafe { heap.free_bytes(p.cast(), b.cap.get() * 8) };
            std::ptr::null_mut()
        }
        // SAFETY: as above; realloc keeps the first min(old, new) bytes, which covers the
        // items kept (n ≤ new_cap when shrinking, len ≤ cap when growing).
        Some(p) => unsafe { heap.realloc_bytes(p.cast(), new_cap * 8)? }
            .as_ptr()
            .cast(),
    };
    b.items.set(new_arr);
    b.cap.set(new_cap);
    Ok(())
}

/// Normalise a Python index.
pub(crate) fn normalize(i: i64, len: usize) -> Result<usize> {
    let j = if i < 0 { i + len as i64 } else { i };
    if j < 0 || j >= len as i64 {
        Err(RuntimeError::IndexOutOfRange { index: i, len })
    } else {
        Ok(j as usize)
    }
}

typed_handle!(
    /// A list handle.
    List,
    Kind::List,
    "list",
    as_list
);

impl<'h> List<'h> {
    fn b(&self) -> &ListBody {
        // SAFETY: live list.
        unsafe { body(self.as_raw()) }
    }
    /// `len(l)`.
    pub fn len(&self) -> usize {
        self.b().len.get()
    }
    /// `len(l) == 0`.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
    /// Allocated capacity (`(sys.getsizeof(l) - 56) // 8`).
    pub fn capacity(&self) -> usize {
        self.b().cap.get()
    }
    /// `l[i]`.
    #[inline]
    pub fn get(&self, i: i64) -> Result<Obj<'h>> {
        let idx = normalize(i, self.len())?;
        // SAFETY: idx < len; items are live objects of this heap.
        unsafe {
            Ok(Obj::from_borrowed(
                (*self.b().items.get().add(idx)).expect("list item"),
            ))
        }
    }
    /// `l[i] = v`.
    pub fn set(&self, i: i64, v: &impl AsObj<'h>) -> Result<()> {
        let v = v.as_obj();
        v.check_heap(self.heap_inner())?;
        let idx = normalize(i, self.len())?;
        // SAFETY: idx < len; the old item is released after the store.
        unsafe {
            incref(v.as_raw());
            let old = self.b().items.get().add(idx).replace(Some(v.as_raw()));
            if let Some(o) = old {
                decref(o);
            }
        }
        Ok(())
    }
    /// `l.append(v)`.
    pub fn append(&self, v: &impl AsObj<'h>) -> Result<()> {
        let v = v.as_obj();
        v.check_heap(self.heap_inner())?;
        let n = self.len();
        // SAFETY: live list; after resize there is room for n + 1 items.
        unsafe {
            resize(self.heap_inner(), self.as_raw(), n + 1)?;
            incref(v.as_raw());
            self.b().items.get().add(n).write(Some(v.as_raw()));
        }
        self.b().len.set(n + 1);
        Ok(())
    }
    /// `l.insert(i, v)` (index clamped like Python's).
    pub fn insert(&self, i: i64, v: &impl AsObj<'h>) -> Result<()> {
        let v = v.as_obj();
        v.check_heap(self.heap_inner())?;
        let n = self.len();
        let j = if i < 0 {
            (i + n as i64).max(0)
        } else {
            i.min(n as i64)
        } as usize;
        // SAFETY: room for n + 1 items after resize; shifting initialised items.
        unsafe {
            resize(self.heap_inner(), self.as_raw(), n + 1)?;
            let a = self.b().items.get();
            std::ptr::copy(a.add(j), a.add(j + 1), n - j);
            incref(v.as_raw());
            a.add(j).write(Some(v.as_raw()));
        }
        self.b().len.set(n + 1);
        Ok(())
    }
    /// `l.pop(i)`.
    pub fn pop(&self, i: i64) -> Result<Obj<'h>> {
        let n = self.len();
        let j = normalize(i, n)?;
        // SAFETY: j < n; the removed reference is handed to the result.
        unsafe {
            let a = self.b().items.get();
            let item = a.add(j).read().expect("list item");
            std::ptr::copy(a.add(j + 1), a.add(j), n - j - 1);
            self.b().len.set(n - 1);
            let r = Obj::from_owned(item);
            // Shrinking may fail only on allocation: the list stays valid (just larger).
            let _ = resize(self.heap_inner(), self.as_raw(), n - 1);
            Ok(r)
        }
    }
    /// `l.extend(items)`.
    pub fn extend(&self, items: &[Obj<'h>]) -> Result<()> {
        for it in items {
            self.append(it)?;
        }
        Ok(())
    }
    /// `l.clear()`.
    pub fn clear(&self) {
        // SAFETY: live list.
        unsafe { clear(self.as_raw()) }
    }
    /// All items (new references).
    pub fn to_vec(&self) -> Vec<Obj<'h>> {
        // SAFETY: live list; the slice is read before any user code can run.
        unsafe { items(self.as_raw()) }
            .iter()
            .map(|p| unsafe { Obj::from_borrowed(p.expect("list item")) })
            .collect()
    }
}

impl Heap {
    /// An empty list with room for `cap` items (CPython's `PyList_New(0)` + a reserve). Fails
    /// with `OutOfMemory` when the allocator refuses the array.
    pub fn list_with_capacity(&self, cap: usize) -> Result<List<'_>> {
        let l = self.list(&[])?;
        if cap > 0 {
            let bytes = cap.checked_mul(8).ok_or(RuntimeError::OutOfMemory {
                requested: usize::MAX,
            })?;
            let arr = self.inner().alloc_bytes(bytes)?;
            let b = l.b();
            b.items.set(arr.as_ptr().cast());
            b.cap.set(cap);
        }
        Ok(l)
    }

    /// `list(items)` (capacity = len, like `list(iterable)` of a sized iterable).
    pub fn list<'h>(&'h self, items: &[Obj<'h>]) -> Result<List<'h>> {
        let inner = self.inner();
        for it in items {
            it.check_heap(inner)?;
        }
        let ty = &*inner.types.list;
        let n = items.len();
        // Allocate the array first: an allocation failure then leaves nothing half-built.
        let arr = if n == 0 {
            std::ptr::null_mut()
        } else {
            inner.alloc_bytes(n * 8)?.as_ptr().cast::<Option<RawObj>>()
        };
        let op = match inner.list_free.pop() {
            Some(op) => {
                // SAFETY: free-listed list memory.
                unsafe { inner.reuse_object(op, ty) };
                op
            }
            None => match inner.new_object(ty, BASIC) {
                Ok(op) => op,
                Err(e) => {
                    if let Some(a) = NonNull::new(arr) {
                        // SAFETY: just allocated with n * 8 bytes, unused.
                        unsafe { inner.free_bytes(a.cast(), n * 8) };
                    }
                    return Err(e);
                }
            },
        };
        // SAFETY: an object of BASIC bytes and an array of n slots we own.
        unsafe {
            for (i, it) in items.iter().enumerate() {
                incref(it.as_raw());
                arr.add(i).write(Some(it.as_raw()));
            }
            payload_ptr(op).cast::<ListBody>().write(ListBody {
                items: Cell::new(arr),
                len: Cell::new(n),
                cap: Cell::new(n),
            });
            inner.gc.track(gc_head(op));
            Ok(List(Obj::from_owned(op)))
        }
    }
}
