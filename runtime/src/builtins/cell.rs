//! cell: one mutable slot (closures' free variables).
//!
//! ```text
//!   [GcHead 16][ObjHeader 16][contents: Option<RawObj>]   = 40 bytes (CPython: 40)
//! ```
//!
//! # Invariants the unsafe code relies on
//! - `contents` is `None` or one strong reference to a live object of the same heap; every write
//!   increfs and stores the new value before it decrefs the old one (the old one's dealloc may
//!   run user code that reads the cell).

use crate::Obj;
use crate::error::Result;
use crate::handle::typed_handle;
use crate::heap::{Heap, HeapInner};
use crate::object::{GC_HEAD_SIZE, HEADER_SIZE, RawObj, gc_head, payload, payload_ptr, type_of};
use crate::refcount::{decref, incref};
use crate::types::{Kind, TypeObject, dyn_traverse};
use std::cell::Cell;

const BASIC: usize = HEADER_SIZE + 8;

pub(crate) fn cell_type(heap: *const HeapInner) -> TypeObject {
    super::builtin_type("cell", Kind::Cell, heap)
        .layout(BASIC, 0)
        .slots(dealloc, sizeof)
        .gc_container(dyn_traverse!(traverse_with), Some(clear))
        .build()
}

/// The one reference a cell holds.
///
/// # Safety
/// `op` is a live cell (or one being deallocated); the reference must not outlive it.
unsafe fn slot<'a>(op: RawObj) -> &'a Cell<Option<RawObj>> {
    // SAFETY: caller passes a cell.
    unsafe { payload(op) }
}

/// The `sizeof` slot of cells (a constant).
///
/// # Safety
/// The `SizeofFn` contract (types.rs): `op` is a live cell (not read).
unsafe fn sizeof(_: RawObj) -> usize {
    GC_HEAD_SIZE + BASIC
}

/// The traverse body, generic over the visitor (see `list::traverse_with`).
///
/// # Safety
/// `op` is a live cell.
#[inline(always)]
pub(crate) unsafe fn traverse_with<V: FnMut(RawObj) + ?Sized>(op: RawObj, visit: &mut V) {
    // SAFETY: live cell (caller).
    if let Some(p) = unsafe { slot(op) }.get() {
        visit(p);
    }
}

/// The `clear` slot of cells: empty the cell, then release what it held.
///
/// # Safety
/// The `ClearFn` contract (types.rs): `op` is a live cell, held by the caller for the call.
unsafe fn clear(op: RawObj) {
    // SAFETY: live cell; detached before release.
    if let Some(p) = unsafe { slot(op) }.take() {
        // SAFETY: the cell owned it.
        unsafe { decref(p) };
    }
}

/// The `dealloc` slot of cells.
///
/// # Safety
/// The `DeallocFn` contract (types.rs): `op` is a dead cell of this type's heap.
unsafe fn dealloc(op: RawObj) {
    // SAFETY: dead cell.
    unsafe {
        let heap = &*type_of(op).heap;
        clear(op);
        heap.gc.note_deallocation();
        heap.free_object(op);
    }
}

typed_handle!(
    /// A cell handle.
    CellObj,
    Kind::Cell,
    "cell",
    as_cell
);

impl<'h> CellObj<'h> {
    /// `cell.cell_contents` (None when empty).
    pub fn get(&self) -> Option<Obj<'h>> {
        // SAFETY: live cell; contents live.
        unsafe { slot(self.as_raw()) }
            .get()
            .map(|p| unsafe { Obj::from_borrowed(p) })
    }
    /// Set or empty the cell.
    pub fn set(&self, v: Option<&Obj<'h>>) -> Result<()> {
        if let Some(v) = v {
            v.check_heap(self.heap_inner())?;
            // SAFETY: `v` is a handle, so its object is alive; the cell takes its own reference.
            unsafe { incref(v.as_raw()) };
        }
        // SAFETY: live cell; the old value is released after the store.
        let old = unsafe { slot(self.as_raw()) }.replace(v.map(|v| v.as_raw()));
        if let Some(o) = old {
            // SAFETY: the cell owned it.
            unsafe { decref(o) };
        }
        Ok(())
    }
}

impl Heap {
    /// A new cell.
    pub fn cell<'h>(&'h self, v: Option<&Obj<'h>>) -> Result<CellObj<'h>> {
        let inner = self.inner();
        if let Some(v) = v {
            v.check_heap(inner)?;
        }
        let op = inner.new_object(&inner.types.cell, BASIC)?;
        // SAFETY: fresh cell of BASIC bytes.
        unsafe {
            if let Some(v) = v {
                incref(v.as_raw());
            }
            payload_ptr(op)
                .cast::<Cell<Option<RawObj>>>()
                .write(Cell::new(v.map(|v| v.as_raw())));
            inner.gc.track(gc_head(op));
            Ok(CellObj(Obj::from_owned(op)))
        }
    }
}
