//! `None`: an immortal, header-only object (16 bytes, like `object()`).

use crate::Obj;
use crate::heap::{Heap, HeapInner};
use crate::object::{HEADER_SIZE, RawObj};
use crate::types::{Kind, TypeObject};

pub(crate) fn none_type(heap: *const HeapInner) -> TypeObject {
    TypeObject::new_builtin(
        "NoneType",
        Kind::None,
        0,
        HEADER_SIZE,
        0,
        immortal_dealloc,
        sizeof,
        heap,
    )
}

unsafe fn sizeof(_: RawObj) -> usize {
    HEADER_SIZE
}

/// Immortal objects never reach zero; if one does, the counts are corrupt.
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
