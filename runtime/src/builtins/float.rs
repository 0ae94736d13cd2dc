//! float, with CPython's free list of 100 objects.
//!
//! ```text
//!   [ObjHeader 16][value: f64]   = 24 bytes (CPython: 24)
//!   free list: dead floats linked through their refcount word, at most FLOAT_FREELIST_MAX
//! ```

use crate::Obj;
use crate::error::Result;
use crate::heap::{Heap, HeapInner};
use crate::object::{HEADER_SIZE, RawObj, payload, type_of};
use crate::types::{Kind, TypeObject};

const SIZE: usize = HEADER_SIZE + 8;

pub(crate) fn float_type(heap: *const HeapInner) -> TypeObject {
    TypeObject::new_builtin("float", Kind::Float, 0, SIZE, 0, dealloc, sizeof, heap)
}

unsafe fn sizeof(_: RawObj) -> usize {
    SIZE
}

unsafe fn dealloc(op: RawObj) {
    // SAFETY: dead float of this type's heap.
    unsafe {
        let heap = &*type_of(op).heap;
        if heap.float_free.push(op) {
            heap.note_freelisted();
        } else {
            heap.free_object(op)
        }
    }
}

/// # Safety
/// `op` is a live float.
#[inline]
pub(crate) unsafe fn value(op: RawObj) -> f64 {
    // SAFETY: caller.
    unsafe { *payload::<f64>(op) }
}

/// Python's float repr (`1.0`, `0.5`, `inf`, `nan`).
pub(crate) fn repr(v: f64) -> String {
    if v.is_nan() {
        "nan".into()
    } else if v.is_infinite() {
        if v > 0.0 { "inf".into() } else { "-inf".into() }
    } else if v.fract() == 0.0 && v.abs() < 1e16 {
        format!("{v:.1}")
    } else {
        format!("{v}")
    }
}

impl Heap {
    /// A float (from the free list when possible).
    #[inline]
    pub fn float(&self, v: f64) -> Result<Obj<'_>> {
        let inner = self.inner();
        let ty = &*inner.types.float;
        let op = match inner.float_free.pop() {
            Some(op) => {
                // SAFETY: free-listed float memory.
                unsafe { inner.reuse_object(op, ty) };
                op
            }
            None => inner.new_object(ty, SIZE)?,
        };
        // SAFETY: an object of SIZE bytes we own.
        unsafe {
            op.as_ptr()
                .cast::<u8>()
                .add(HEADER_SIZE)
                .cast::<f64>()
                .write(v);
            Ok(Obj::from_owned(op))
        }
    }
}

impl Obj<'_> {
    /// The value of a float (ints are converted, like Python's `float(x)`).
    pub fn as_float(&self) -> Result<f64> {
        match self.kind() {
            // SAFETY: checked kind.
            Kind::Float => Ok(unsafe { value(self.as_raw()) }),
            Kind::Int | Kind::Bool => Ok(self.as_int()? as f64),
            _ => self.wrong_type("float"),
        }
    }
}
