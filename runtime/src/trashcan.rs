//! The trashcan: bounded-stack, linear-time deallocation of arbitrarily deep structures.
//!
//! ```text
//!   depth:  0      1      2    ...   50 = TRASHCAN_DEPTH
//!   frames: dealloc(a) → release a's children → dealloc(b) → ... → dealloc(z)
//!                                                                    │ depth ≥ limit:
//!                                                                    ▼ push z, return
//!   trash_head ──▶ z ──refcnt word──▶ y ──▶ ... ──▶ 0      (threaded through dead objects)
//!   back at depth 0: pop z, run its body at depth 1 (its children recurse ≤ 50 frames) ...
//! ```
//!
//! A deferred object is dead (count 0), untracked, its weak references cleared and its finalizers
//! run: only the body (release children, free) remains. Its refcount word is free to hold the link,
//! so the deferred chain costs no memory; each object is pushed and popped at most once, so the
//! total work stays linear. Like CPython 3.8+, only containers (types with `CONTAINER`) take part.
//!
//! # Invariants
//! - `trash_depth` = number of container dealloc bodies running on the stack (per heap).
//! - `trash_head` is empty whenever `trash_depth` is 0 and no drain is running.

use crate::heap::HeapInner;
use crate::object::{ObjHeader, RawObj, type_of};
use crate::types::{TypeObject, flags};
use std::ptr::NonNull;

/// Nesting depth at which container deallocs are deferred (CPython's `_PyTrash_UNWIND_LEVEL`).
pub const TRASHCAN_DEPTH: usize = 50;

/// Run `ty`'s dealloc body for `op` now, or defer it when the stack is deep.
///
/// # Safety
/// `op` is dead: count 0, untracked, weak references cleared, finalizers done.
#[inline]
pub(crate) unsafe fn dealloc_body(heap: &HeapInner, op: RawObj, ty: &TypeObject) {
    if ty.flags & flags::CONTAINER == 0 {
        // SAFETY: caller.
        unsafe { (ty.dealloc)(op) };
        return;
    }
    let depth = heap.trash_depth.get();
    if depth >= TRASHCAN_DEPTH {
        let link = heap.trash_head.get().map_or(0, |p| p.as_ptr() as usize);
        // SAFETY: op is dead; its count word is ours to reuse.
        unsafe { (*op.as_ptr()).refcnt.set(link) };
        heap.trash_head.set(Some(op));
        return;
    }
    heap.trash_depth.set(depth + 1);
    // SAFETY: caller.
    unsafe { (ty.dealloc)(op) };
    heap.trash_depth.set(depth);
    if depth == 0 && heap.trash_head.get().is_some() {
        // SAFETY: only deferred (dead) objects are on the chain.
        unsafe { drain(heap) };
    }
}

/// Destroy the deferred chain, each body at depth 1.
unsafe fn drain(heap: &HeapInner) {
    heap.trash_depth.set(1);
    while let Some(op) = heap.trash_head.get() {
        // SAFETY: deferred objects hold the link in their count word and are intact otherwise.
        unsafe {
            let link = (*op.as_ptr()).refcnt.get();
            heap.trash_head.set(NonNull::new(link as *mut ObjHeader));
            (*op.as_ptr()).refcnt.set(0);
            (type_of(op).dealloc)(op);
        }
    }
    heap.trash_depth.set(0);
}
