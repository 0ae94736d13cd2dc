//! The object header and raw object pointers.
//!
//! ```text
//!   GC-capable types only                    every object
//!  ┌──────────── GcHead (16 B) ─────────────┬────────── ObjHeader (16 B) ─────────┬─ payload ──
//!  │ next: usize        │ prev: usize       │ refcnt: Cell<usize> │ ty: *TypeObject │ ...
//!  └────────────────────┴───────────────────┴─────────────────────┴─────────────────┴────────────
//!  ^ allocator block start (GC types)       ^ RawObj: what handles hold (block start otherwise)
//!                                            gc_head(op) = op − 16 ;  payload(op) = op + 16
//! ```
//!
//! # Invariants
//! - `refcnt` = number of strong references (handles, `Member`s, references held by live objects,
//!   temporary references the runtime takes) — for mortal objects. Immortal objects start at
//!   [`IMMORTAL_REFCNT`]; their count drifts with increfs/decrefs but never gets near 0, and any
//!   value ≥ [`IMMORTAL_MIN`] is reported as [`IMMORTAL_REFCNT`] (like CPython 3.12+'s saturation).
//! - `ty` points to a `TypeObject` that outlives the object (built-in types live as long as the
//!   heap; a class's type lives in the class object, which every instance holds a reference to).
//! - While an object sits on the trashcan's deferred list its refcount is 0 from everybody's point of
//!   view, but the `refcnt` word holds the link to the next deferred object (see `trashcan.rs`).
//!   Nothing can reach such an object: it is untracked and its weak references are cleared.
//! - All object pointers are 16-byte aligned (the allocator guarantees it and both the GC head and
//!   the header are 16 bytes).

use crate::types::TypeObject;
use pyheap_gc::{GcHead, GcPtr};
use std::cell::Cell;
use std::ptr::NonNull;

/// `ob_refcnt` + `ob_type`: the 16 bytes every object starts with.
#[repr(C)]
pub struct ObjHeader {
    pub(crate) refcnt: Cell<usize>,
    pub(crate) ty: Cell<*const TypeObject>,
}

/// A raw pointer to an object's header (no reference count owned by itself).
pub type RawObj = NonNull<ObjHeader>;

/// Size of [`ObjHeader`] in bytes.
pub const HEADER_SIZE: usize = 16;
/// Size of the GC head in front of GC-capable objects, in bytes.
pub const GC_HEAD_SIZE: usize = 16;
/// Refcount given to immortal objects (None, True, False, small ints, `()`, interned strings).
pub const IMMORTAL_REFCNT: usize = 1 << 62;
/// Any count at or above this is an immortal object's.
pub const IMMORTAL_MIN: usize = 1 << 61;

const _: () = assert!(std::mem::size_of::<ObjHeader>() == HEADER_SIZE);
const _: () = assert!(std::mem::size_of::<GcHead>() == GC_HEAD_SIZE);

/// The type of `op`.
///
/// # Safety
/// `op` is a live object (or one being deallocated).
#[inline(always)]
pub(crate) unsafe fn type_of<'a>(op: RawObj) -> &'a TypeObject {
    // SAFETY: a live object's header is readable and its type outlives it (module invariants).
    unsafe { &*(*op.as_ptr()).ty.get() }
}

/// The refcount cell of `op`.
///
/// # Safety
/// `op` is a live object.
#[inline(always)]
pub(crate) unsafe fn refcnt<'a>(op: RawObj) -> &'a Cell<usize> {
    // SAFETY: the header of a live object is readable.
    unsafe { &(*op.as_ptr()).refcnt }
}

/// The GC head of a GC-capable object.
///
/// # Safety
/// `op` is an object of a GC-capable type (it has a head in front of it).
#[inline(always)]
pub(crate) unsafe fn gc_head(op: RawObj) -> GcPtr {
    // SAFETY: GC types are allocated with GC_HEAD_SIZE bytes in front of the header.
    unsafe { op.cast::<u8>().sub(GC_HEAD_SIZE).cast::<GcHead>() }
}

/// The object behind a GC head.
///
/// # Safety
/// `g` is the head of a GC-capable object.
#[inline(always)]
pub(crate) unsafe fn from_gc(g: GcPtr) -> RawObj {
    // SAFETY: the header follows the head directly.
    unsafe { g.cast::<u8>().add(GC_HEAD_SIZE).cast::<ObjHeader>() }
}

/// The payload of `op`, seen as a `T`.
///
/// # Safety
/// `op` is an object whose payload starts with a `T` (alignment ≤ 16).
#[inline(always)]
pub(crate) unsafe fn payload<'a, T>(op: RawObj) -> &'a T {
    // SAFETY: the payload follows the 16-byte header; the caller knows its type.
    unsafe { &*op.as_ptr().cast::<u8>().add(HEADER_SIZE).cast::<T>() }
}

/// Address of the payload (for variable-size tails).
///
/// # Safety
/// `op` is a live object.
#[inline(always)]
pub(crate) unsafe fn payload_ptr(op: RawObj) -> *mut u8 {
    // SAFETY: in bounds of the object's block.
    unsafe { op.as_ptr().cast::<u8>().add(HEADER_SIZE) }
}

/// Hint the processor to fetch the start of `op`: its header and, for GC types, the head in
/// front of it (the two may sit on different cache lines). For container traversals that know
/// their next referents before they visit them (list.rs).
#[inline(always)]
pub(crate) fn prefetch_object(op: RawObj) {
    let p = op.as_ptr().cast::<u8>().cast_const();
    pyheap_gc::prefetch_line(p);
    // Address arithmetic only: an object of a non-GC type has no head, and a prefetch of the
    // bytes before it reads nothing.
    pyheap_gc::prefetch_line(p.wrapping_sub(GC_HEAD_SIZE));
}
