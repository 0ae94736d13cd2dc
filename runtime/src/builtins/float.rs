//! float, with CPython's free list of 100 objects.
//!
//! ```text
//!   [ObjHeader 16][value: f64]   = 24 bytes (CPython: 24)
//!   free list: dead floats linked through their refcount word, at most FLOAT_FREELIST_MAX
//! ```
//!
//! # Invariants
//! A float's payload is its `f64`, written at creation and never changed while anything but
//! one handle can see it: [`Heap::float_reusing`] rewrites a float whose refcount is 1, the
//! caller's spent handle being that one reference (a temporary nobody else can observe). A
//! freed float waits on the heap's float free list (its refcount word holding the chain link)
//! until it is reused with a new value.

use crate::Obj;
use crate::error::Result;
use crate::heap::{Heap, HeapInner};
use crate::object::{HEADER_SIZE, RawObj, payload, refcnt, type_of};
use crate::types::{Kind, TypeObject};

const SIZE: usize = HEADER_SIZE + 8;

pub(crate) fn float_type(heap: *const HeapInner) -> TypeObject {
    super::builtin_type("float", Kind::Float, heap)
        .layout(SIZE, 0)
        .slots(dealloc, sizeof)
        .build()
}

/// The `sizeof` slot of float (a constant).
///
/// # Safety
/// The `SizeofFn` contract (types.rs): `op` is a live float (not read).
unsafe fn sizeof(_: RawObj) -> usize {
    SIZE
}

/// The `dealloc` slot of float: onto the float free list, or free the block.
///
/// # Safety
/// The `DeallocFn` contract (types.rs): `op` is a dead float of this type's heap; its header
/// becomes the free list's (the refcount word holds the chain link).
unsafe fn dealloc(op: RawObj) {
    // SAFETY: dead float of this type's heap.
    unsafe {
        let heap = &*type_of(op).heap;
        heap.keep_or_free(Some(&heap.float_free), op, false);
    }
}

/// # Safety
/// `op` is a live float.
#[inline]
pub(crate) unsafe fn value(op: RawObj) -> f64 {
    // SAFETY: `op` is a live float (contract), whose payload is one f64.
    unsafe { *payload::<f64>(op) }
}

/// Python's `repr(x)` of a float, as CPython 3.11 prints it: the shortest digits that read
/// back as the same float; positional between 1e-4 and 1e16 (`0.0001`, `1234.5`, `1.0`),
/// otherwise `d.ddde±XX` (`1e-05`, `1e+16`, `1.5e+300`); `inf`, `-inf`, `nan`, `-0.0`.
pub fn repr(v: f64) -> String {
    if v.is_nan() {
        return "nan".into();
    }
    if v.is_infinite() {
        return if v > 0.0 { "inf" } else { "-inf" }.into();
    }
    // Rust's `{:e}` gives the fewest digits that read back as `v`; among the strings of that
    // length CPython takes the closest (ties to even), which `{:.N$e}` gives when it reads back
    // (just above a power of two the closest may not): "-1.2345e-7".
    let shortest = format!("{v:e}");
    let n = shortest
        .split_once('e')
        .map_or(1, |(m, _)| m.bytes().filter(u8::is_ascii_digit).count());
    let closest = format!("{v:.prec$e}", prec = n - 1);
    let sci = if closest.parse::<f64>() == Ok(v) {
        closest
    } else {
        shortest
    };
    let (mantissa, exp) = sci.split_once('e').expect("{:e} has an exponent");
    let exp: i32 = exp.parse().expect("decimal exponent");
    let (sign, mantissa) = match mantissa.strip_prefix('-') {
        Some(m) => ("-", m),
        None => ("", mantissa),
    };
    let digits: String = mantissa.chars().filter(|&c| c != '.').collect();
    // The value is 0.DIGITS × 10^point.
    let point = exp + 1;
    if !(-3..=16).contains(&point) {
        let (e_sign, e) = if exp < 0 { ('-', -exp) } else { ('+', exp) };
        return format!("{sign}{mantissa}e{e_sign}{e:02}");
    }
    let n = digits.len() as i32;
    if point <= 0 {
        format!("{sign}0.{}{digits}", "0".repeat((-point) as usize))
    } else if point >= n {
        format!("{sign}{digits}{}.0", "0".repeat((point - n) as usize))
    } else {
        let (int, frac) = digits.split_at(point as usize);
        format!("{sign}{int}.{frac}")
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

impl Heap {
    /// `float(v)` for a value computed from `spent`, an operand the caller is done with (an
    /// interpreter's temporary): when `spent` is a float that this handle alone refers to, that
    /// object takes the new value and is returned (no free and allocate, nobody else can tell);
    /// otherwise `spent` is dropped and the float made as [`float`](Self::float) does.
    #[inline]
    pub fn float_reusing<'h>(&'h self, spent: Obj<'h>, v: f64) -> Result<Obj<'h>> {
        let op = spent.as_raw();
        // SAFETY: `spent` keeps the object alive; a refcount of 1 is that handle's own
        // reference, so no other handle, member or object sees the payload change.
        unsafe {
            if spent.kind() == Kind::Float && refcnt(op).get() == 1 {
                op.as_ptr()
                    .cast::<u8>()
                    .add(HEADER_SIZE)
                    .cast::<f64>()
                    .write(v);
                return Ok(spent);
            }
        }
        drop(spent);
        self.float(v)
    }
}

impl Obj<'_> {
    /// The value of a float (ints are converted, like Python's `float(x)`).
    #[inline]
    pub fn as_float(&self) -> Result<f64> {
        match self.kind() {
            // SAFETY: checked kind.
            Kind::Float => Ok(unsafe { value(self.as_raw()) }),
            Kind::Int | Kind::Bool => self.int_value()?.to_f64(),
            _ => self.wrong_type("float"),
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::Heap;

    #[test]
    fn float_reusing_rewrites_only_an_unshared_float() {
        let heap = Heap::new();
        let a = heap.float(1.5).unwrap();
        let at = a.as_raw();
        let a = heap.float_reusing(a, 2.5).unwrap();
        assert_eq!(a.as_raw(), at, "the only handle: same object");
        assert_eq!(a.as_float().unwrap(), 2.5);
        let shared = a.clone();
        let b = heap.float_reusing(a, 3.5).unwrap();
        assert_ne!(b.as_raw(), at, "shared: a new float");
        assert_eq!(shared.as_float().unwrap(), 2.5);
        assert_eq!(b.as_float().unwrap(), 3.5);
        assert_eq!(
            heap.getrefcount(&shared),
            2,
            "one handle, plus getrefcount's own"
        );
        let i = heap.int(7).unwrap();
        assert_eq!(heap.float_reusing(i, 4.0).unwrap().as_float().unwrap(), 4.0);
    }
}
