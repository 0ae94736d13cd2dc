//! `None`: an immortal, header-only object (16 bytes, like `object()`).
//!
//! # Invariants
//! The objects here are immortal (count at `IMMORTAL_REFCNT`), created once per heap and freed
//! only at teardown: handles may be made from their raw pointers at any time, and their dealloc
//! slot is never reached (it panics: a count reaching zero means the counts are corrupt).

use crate::Obj;
use crate::heap::{Heap, HeapInner};
use crate::object::{HEADER_SIZE, RawObj};
use crate::types::{Kind, TypeObject};

pub(crate) fn none_type(heap: *const HeapInner) -> TypeObject {
    super::builtin_type("NoneType", Kind::None, heap)
        .layout(HEADER_SIZE, 0)
        .slots(immortal_dealloc, sizeof)
        .build()
}

/// The `sizeof` slot of `None` and the other header-only immortals.
///
/// # Safety
/// The `SizeofFn` contract (types.rs): `op` is a live object of this type (not read).
unsafe fn sizeof(_: RawObj) -> usize {
    HEADER_SIZE
}

/// Immortal objects never reach zero; if one does, the counts are corrupt.
///
/// # Safety
/// The `DeallocFn` contract (types.rs); it never returns: an immortal object's count reached zero,
/// so the counts are corrupt, and it panics naming the type (`op`'s header must still be intact).
pub(crate) unsafe fn immortal_dealloc(op: RawObj) {
    // SAFETY: op is intact.
    let name = unsafe { crate::object::type_of(op) }.name();
    panic!("pyheap: deallocation of an immortal '{name}' object (refcount corrupted)");
}

impl Heap {
    /// `None`.
    #[inline]
    pub fn none(&self) -> Obj<'_> {
        // SAFETY: immortal object of this heap.
        unsafe { Obj::from_borrowed(self.inner().none) }
    }
}
