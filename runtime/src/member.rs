//! [`Member`]: a lifetime-free strong reference for user Rust types stored inside the heap.
//!
//! A `Member` is what a [`UserType`](crate::UserType) keeps in its fields (an interpreter's
//! frame holding its locals, a function holding its closure cell...). It has no lifetime, so it
//! can live inside heap objects; reading it back requires the heap (`member.get(&heap)`), which
//! checks that the object belongs to that heap.
//!
//! Soundness when a `Member` escapes the heap (stored in a global, leaked into a long-lived Rust
//! structure): dropping the heap then finds live objects and leaks the heap's memory instead of
//! freeing it, so the late `Member` drop still touches valid memory. Nothing can *read* through an
//! escaped member without a heap to pass to `get`, and `get` refuses other heaps.
//!
//! # Invariants
//! A `Member` owns one strong reference to a live object (taken in `new`/`from_obj`, given back
//! in `Drop`); it has no lifetime, so every access re-checks that the object belongs to the heap
//! asked (`get(heap)`) before making a handle.

use crate::Obj;
use crate::error::{Result, RuntimeError};
use crate::handle::AsObj;
use crate::heap::Heap;
use crate::object::{RawObj, type_of};
use crate::refcount::{decref, incref};

/// A strong reference without a lifetime (for storage inside heap objects).
pub struct Member {
    ptr: RawObj,
}

impl Member {
    /// A new strong reference to `obj`.
    pub fn new<'h>(obj: &impl AsObj<'h>) -> Member {
        let obj = obj.as_obj();
        // SAFETY: the handle keeps the object alive.
        unsafe { incref(obj.as_raw()) };
        Member { ptr: obj.as_raw() }
    }
    /// Turn a handle into a member (no count change).
    pub fn from_obj(obj: Obj<'_>) -> Member {
        Member {
            ptr: obj.into_raw(),
        }
    }
    /// A handle to the object, if it belongs to `heap`.
    pub fn get<'h>(&self, heap: &'h Heap) -> Result<Obj<'h>> {
        // SAFETY: the member keeps the object alive; its type outlives it.
        let ty = unsafe { type_of(self.ptr) };
        if !std::ptr::eq(ty.heap, heap.inner()) {
            return Err(RuntimeError::ForeignObject);
        }
        // SAFETY: live object of `heap`, which lives for 'h.
        Ok(unsafe { Obj::from_borrowed(self.ptr) })
    }
    /// Is this member `obj`?
    pub fn is<'h>(&self, obj: &impl AsObj<'h>) -> bool {
        self.ptr == obj.as_obj().as_raw()
    }
    /// The raw pointer (no reference transferred).
    pub fn as_raw(&self) -> RawObj {
        self.ptr
    }
    /// The object's type name.
    pub fn type_name(&self) -> &str {
        // SAFETY: the member keeps the object alive.
        unsafe { type_of(self.ptr) }.name()
    }
}

impl Clone for Member {
    fn clone(&self) -> Self {
        // SAFETY: the member keeps the object alive.
        unsafe { incref(self.ptr) };
        Member { ptr: self.ptr }
    }
}

impl Drop for Member {
    fn drop(&mut self) {
        // SAFETY: the member owns one reference; the memory is valid even after its heap was
        // dropped, since the heap then leaks instead of freeing (module docs).
        unsafe { decref(self.ptr) }
    }
}

impl std::fmt::Debug for Member {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "<Member {} at {:p}>", self.type_name(), self.ptr)
    }
}
