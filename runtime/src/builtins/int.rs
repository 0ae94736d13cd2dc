//! int (i64) and bool.
//!
//! ```text
//!   [ObjHeader 16][value: i64]   = 24 bytes   (CPython 3.11: 28 for small values)
//! ```
//!
//! Ints are 64-bit. Arithmetic helpers are *checked*: a result outside i64 is
//! `RuntimeError::Overflow` (CPython would promote to a bignum; we do not). The small ints
//! −5..=256, `True` and `False` are preallocated and immortal: `heap.int(7)` twice gives the same
//! object, like CPython's small-int cache.

use crate::Obj;
use crate::error::{Result, RuntimeError};
use crate::handle::AsObj;
use crate::heap::{Heap, HeapInner, SMALL_INT_MAX, SMALL_INT_MIN};
use crate::object::{HEADER_SIZE, RawObj, payload};
use crate::types::{Kind, TypeObject};

const SIZE: usize = HEADER_SIZE + 8;

pub(crate) fn int_type(heap: *const HeapInner) -> TypeObject {
    TypeObject::new_builtin("int", Kind::Int, 0, SIZE, 0, dealloc, sizeof, heap)
}
pub(crate) fn bool_type(heap: *const HeapInner) -> TypeObject {
    TypeObject::new_builtin(
        "bool",
        Kind::Bool,
        0,
        SIZE,
        0,
        super::none::immortal_dealloc,
        sizeof,
        heap,
    )
}

unsafe fn sizeof(_: RawObj) -> usize {
    SIZE
}

unsafe fn dealloc(op: RawObj) {
    // SAFETY: dead int of this type's heap.
    unsafe {
        let heap = &*crate::object::type_of(op).heap;
        heap.free_object(op)
    }
}

/// The value of an int or bool.
///
/// # Safety
/// `op` is a live int or bool.
#[inline]
pub(crate) unsafe fn value(op: RawObj) -> i64 {
    // SAFETY: caller.
    unsafe { *payload::<i64>(op) }
}

pub(crate) fn new_immortal(heap: &HeapInner, ty: &TypeObject, v: i64) -> RawObj {
    let op = heap
        .new_object(ty, SIZE)
        .expect("out of memory creating the heap");
    // SAFETY: fresh object of SIZE bytes; nobody else references it.
    unsafe {
        op.as_ptr()
            .cast::<u8>()
            .add(HEADER_SIZE)
            .cast::<i64>()
            .write(v);
        heap.make_immortal(op);
    }
    op
}

impl Heap {
    /// An int. −5..=256 come from the immortal cache.
    #[inline]
    pub fn int(&self, v: i64) -> Result<Obj<'_>> {
        let inner = self.inner();
        if (SMALL_INT_MIN..=SMALL_INT_MAX).contains(&v) {
            let op = inner.small_ints[(v - SMALL_INT_MIN) as usize];
            // SAFETY: immortal object of this heap.
            return Ok(unsafe { Obj::from_borrowed(op) });
        }
        let op = inner.new_object(&inner.types.int, SIZE)?;
        // SAFETY: fresh object of SIZE bytes.
        unsafe {
            op.as_ptr()
                .cast::<u8>()
                .add(HEADER_SIZE)
                .cast::<i64>()
                .write(v);
            Ok(Obj::from_owned(op))
        }
    }
    /// `True` or `False` (immortal).
    #[inline]
    pub fn bool(&self, b: bool) -> Obj<'_> {
        let i = self.inner();
        // SAFETY: immortal objects of this heap.
        unsafe { Obj::from_borrowed(if b { i.true_ } else { i.false_ }) }
    }
    /// Checked `a + b` on ints.
    pub fn int_add<'a, 'b>(&self, a: &impl AsObj<'a>, b: &impl AsObj<'b>) -> Result<Obj<'_>> {
        self.int_checked(a, b, i64::checked_add)
    }
    /// Checked `a - b` on ints.
    pub fn int_sub<'a, 'b>(&self, a: &impl AsObj<'a>, b: &impl AsObj<'b>) -> Result<Obj<'_>> {
        self.int_checked(a, b, i64::checked_sub)
    }
    /// Checked `a * b` on ints.
    pub fn int_mul<'a, 'b>(&self, a: &impl AsObj<'a>, b: &impl AsObj<'b>) -> Result<Obj<'_>> {
        self.int_checked(a, b, i64::checked_mul)
    }
    /// `op(a, b)` on two ints, `Overflow` when the result does not fit an i64.
    fn int_checked<'a, 'b>(
        &self,
        a: &impl AsObj<'a>,
        b: &impl AsObj<'b>,
        op: fn(i64, i64) -> Option<i64>,
    ) -> Result<Obj<'_>> {
        let (x, y) = (a.as_obj().as_int()?, b.as_obj().as_int()?);
        self.int(op(x, y).ok_or(RuntimeError::Overflow)?)
    }
    /// `a // b` (floor division) on ints.
    pub fn int_floordiv<'a, 'b>(&self, a: &impl AsObj<'a>, b: &impl AsObj<'b>) -> Result<Obj<'_>> {
        let (x, y) = (a.as_obj().as_int()?, b.as_obj().as_int()?);
        if y == 0 {
            return Err(RuntimeError::ZeroDivision);
        }
        let q = x.checked_div(y).ok_or(RuntimeError::Overflow)?;
        let q = if (x % y != 0) && ((x < 0) != (y < 0)) {
            q - 1
        } else {
            q
        };
        self.int(q)
    }
}

impl Obj<'_> {
    /// The value of an int (or bool: True is 1).
    pub fn as_int(&self) -> Result<i64> {
        match self.kind() {
            // SAFETY: checked kind.
            Kind::Int | Kind::Bool => Ok(unsafe { value(self.as_raw()) }),
            _ => self.wrong_type("int"),
        }
    }
    /// The value of a bool.
    pub fn as_bool(&self) -> Result<bool> {
        match self.kind() {
            // SAFETY: checked kind.
            Kind::Bool => Ok(unsafe { value(self.as_raw()) } != 0),
            _ => self.wrong_type("bool"),
        }
    }
}
