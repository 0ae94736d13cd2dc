//! int (arbitrary size) and bool: an inline i64 while the value fits, 32-bit digits beyond.
//!
//! ```text
//!   inline: [ObjHeader 16][word: i64 = the value]                      24 bytes
//!   big:    [ObjHeader 16][word: tag][digit 0][digit 1]...[digit n-1]  24 + 4·n bytes
//!                          tag = i64::MIN + (n << 1 | negative)        digits: u32, little-endian
//!   CPython 3.11: 28 bytes up to 2**30, then 24 + 4 per 30-bit digit (2**100: 40, here 40)
//! ```
//!
//! The word tells the two apart with one comparison: values `>= INLINE_MIN` are inline ints;
//! the lowest 2^33 values of the i64 range are tags. Values that would collide with a tag
//! (`i64::MIN..INLINE_MIN`, i.e. just above −2^63) are stored with digits. Every value has
//! exactly one form (inline iff `INLINE_MIN <= v`), so inline and big ints are never equal.
//! With 32-bit digits a big int is never larger than CPython's (`ceil(bits/32) <= ceil(bits/30)`).
//!
//! Arithmetic on two inline ints is checked i64 arithmetic; only a result that leaves the i64
//! range (or an operand that is already big) takes the `num-bigint` path in `bigint.rs`, which
//! converts the digits to a `BigInt`, computes, and stores the result back in the smaller form.
//! The whole object (digits included) comes from the heap's allocator: pymalloc up to 512 bytes
//! (digits for up to ~3,900 bits), the system allocator beyond. Ints are not GC-tracked (CPython:
//! `gc.is_tracked(10**100)` is False). The small ints −5..=256, `True` and `False` are
//! preallocated and immortal, like CPython's small-int cache.
//!
//! # Invariants
//! - A big int's digits are normalised (top digit non-zero) and its value is outside
//!   `INLINE_MIN..=i64::MAX`; `n >= 2`.
//! - bool objects are always inline (0 or 1).

use crate::Obj;
use crate::builtins::bigint;
use crate::error::{Result, RuntimeError};
use crate::handle::AsObj;
use crate::heap::{Heap, HeapInner};
use crate::object::{HEADER_SIZE, RawObj, payload, payload_ptr, type_of};
use crate::tunables::{SMALL_INT_MAX, SMALL_INT_MIN};
use crate::types::{Kind, TypeObject};
use num_bigint::BigInt;

const SIZE: usize = HEADER_SIZE + 8;
/// Smallest value kept inline; the words below it are big-int tags.
pub(crate) const INLINE_MIN: i64 = i64::MIN + (1 << 33);
/// Most digits a big int may have (the tag's range).
pub(crate) const MAX_DIGITS: usize = (1 << 32) - 1;

pub(crate) fn int_type(heap: *const HeapInner) -> TypeObject {
    super::builtin_type("int", Kind::Int, heap)
        .layout(SIZE, 4)
        .slots(dealloc, sizeof)
        .build()
}
pub(crate) fn bool_type(heap: *const HeapInner) -> TypeObject {
    super::builtin_type("bool", Kind::Bool, heap)
        .layout(SIZE, 0)
        .slots(super::none::immortal_dealloc, sizeof)
        .build()
}

/// The `sizeof` slot of int and bool.
///
/// # Safety
/// The `SizeofFn` contract (types.rs): `op` is a live int or bool.
unsafe fn sizeof(op: RawObj) -> usize {
    // SAFETY: live int or bool.
    SIZE + 4 * unsafe { ndigits(op) }
}

/// The `dealloc` slot of int: free the block (its size comes from the digit count).
///
/// # Safety
/// The `DeallocFn` contract (types.rs): `op` is a dead int of this type's heap, its payload intact
/// (the digit count is read to find the block's size).
unsafe fn dealloc(op: RawObj) {
    // SAFETY: dead int of this type's heap (free_object reads the digit count through var_len).
    unsafe { (*type_of(op).heap).free_object(op) }
}

/// The first payload word: the inline value, or the sign and digit count of a big int.
///
/// # Safety
/// `op` is a live int or bool (or one being deallocated, before its block is freed).
#[inline(always)]
unsafe fn word(op: RawObj) -> i64 {
    // SAFETY: caller passes a live int or bool.
    unsafe { *payload::<i64>(op) }
}

/// Number of digits (0 for an inline int): the `var_len` of an int.
///
/// # Safety
/// `op` is an intact int or bool.
#[inline]
pub(crate) unsafe fn ndigits(op: RawObj) -> usize {
    // SAFETY: `op` is an intact int or bool (contract), whose payload starts with its size word.
    let w = unsafe { word(op) };
    if w >= INLINE_MIN {
        0
    } else {
        (w.wrapping_sub(i64::MIN) as u64 >> 1) as usize
    }
}

/// The inline value, or None for a big int.
///
/// # Safety
/// `op` is a live int or bool.
#[inline(always)]
pub(crate) unsafe fn small(op: RawObj) -> Option<i64> {
    // SAFETY: `op` is a live int or bool (contract), whose payload starts with its size word.
    let w = unsafe { word(op) };
    (w >= INLINE_MIN).then_some(w)
}

/// A big int's sign and digits.
///
/// # Safety
/// `op` is a live big int; the slice lives as long as it.
pub(crate) unsafe fn big_parts<'a>(op: RawObj) -> (bool, &'a [u32]) {
    // SAFETY: caller; n digits follow the tag word.
    unsafe {
        let w = word(op).wrapping_sub(i64::MIN) as u64;
        let digits = std::slice::from_raw_parts(payload_ptr(op).add(8).cast(), (w >> 1) as usize);
        (w & 1 == 1, digits)
    }
}

/// The value of an int or bool as a view.
///
/// # Safety
/// `op` is a live int or bool; the view lives as long as it.
#[inline]
pub(crate) unsafe fn view<'a>(op: RawObj) -> IntValue<'a> {
    // SAFETY: `op` is a live int or bool (contract) and outlives the view.
    unsafe {
        match small(op) {
            Some(v) => IntValue::Small(v),
            None => {
                let (negative, digits) = big_parts(op);
                IntValue::from_digits(negative, digits)
            }
        }
    }
}

/// Python's `hash()` of an int or bool.
///
/// # Safety
/// `op` is a live int or bool.
#[inline]
pub(crate) unsafe fn hash(op: RawObj) -> i64 {
    // SAFETY: `op` is a live int or bool (contract).
    unsafe {
        match small(op) {
            Some(v) => super::hash_i64(v),
            None => {
                let (negative, digits) = big_parts(op);
                bigint::hash_digits(negative, digits)
            }
        }
    }
}

/// The value of an int, borrowed from the object: an i64 when it fits, else sign and digits.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum IntValue<'a> {
    /// Any value that fits an i64.
    Small(i64),
    /// A value outside the i64 range: its sign and magnitude as 32-bit digits, least
    /// significant first, top digit non-zero.
    Big {
        /// The value is negative.
        negative: bool,
        /// The magnitude's digits.
        digits: &'a [u32],
    },
}

impl<'a> IntValue<'a> {
    /// The value of `(negative, digits)`, as `Small` when it fits an i64.
    #[inline]
    pub(crate) fn from_digits(negative: bool, digits: &'a [u32]) -> IntValue<'a> {
        if digits.len() <= 2 {
            let m = digits.iter().rev().fold(0u64, |m, &d| (m << 32) | d as u64);
            if !negative && m <= i64::MAX as u64 {
                return IntValue::Small(m as i64);
            }
            if negative && m <= 1 << 63 {
                return IntValue::Small((m as i64).wrapping_neg());
            }
        }
        IntValue::Big { negative, digits }
    }
    /// The value as a `num_bigint::BigInt` (allocates for big values).
    pub fn to_bigint(&self) -> BigInt {
        match *self {
            IntValue::Small(v) => BigInt::from(v),
            IntValue::Big { negative, digits } => bigint::from_digits(negative, digits),
        }
    }
    /// The value as an i64, if it fits.
    pub fn to_i64(&self) -> Option<i64> {
        match *self {
            IntValue::Small(v) => Some(v),
            IntValue::Big { .. } => None,
        }
    }
    /// `float(n)`, correctly rounded (half to even, like CPython); `OverflowError: int too
    /// large to convert to float` beyond the float range.
    pub fn to_f64(&self) -> Result<f64> {
        match *self {
            IntValue::Small(v) => Ok(v as f64),
            IntValue::Big { .. } => bigint::to_f64(&self.to_bigint()),
        }
    }
    /// `n < 0`.
    pub fn is_negative(&self) -> bool {
        match *self {
            IntValue::Small(v) => v < 0,
            IntValue::Big { negative, .. } => negative,
        }
    }
    /// `n.bit_length()`.
    pub fn bit_length(&self) -> u64 {
        match *self {
            IntValue::Small(v) => 64 - v.unsigned_abs().leading_zeros() as u64,
            IntValue::Big { digits, .. } => {
                32 * digits.len() as u64 - digits[digits.len() - 1].leading_zeros() as u64
            }
        }
    }
}

impl std::fmt::Display for IntValue<'_> {
    /// The decimal digits (no 4300-digit limit: see [`Heap::int_str`]).
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            IntValue::Small(v) => write!(f, "{v}"),
            IntValue::Big { .. } => write!(f, "{}", self.to_bigint()),
        }
    }
}

pub(crate) fn new_immortal(heap: &HeapInner, ty: &TypeObject, v: i64) -> RawObj {
    let op = heap
        .new_object(ty, SIZE)
        .expect("out of memory creating the heap");
    // SAFETY: fresh object of SIZE bytes; nobody else references it.
    unsafe {
        payload_ptr(op).cast::<i64>().write(v);
        heap.make_immortal(op);
    }
    op
}

/// A new big int with `n` digits written by `fill` (which must leave a normalised value outside
/// the inline range).
pub(crate) fn new_big(
    heap: &HeapInner,
    negative: bool,
    n: usize,
    fill: impl FnOnce(&mut [u32]),
) -> Result<RawObj> {
    if n > MAX_DIGITS {
        return Err(RuntimeError::OutOfMemory {
            requested: n.saturating_mul(4),
        });
    }
    let op = heap.new_object(&heap.types.int, SIZE + 4 * n)?;
    // SAFETY: fresh object of SIZE + 4n bytes: the tag word, then n digits.
    unsafe {
        let tag = i64::MIN.wrapping_add(((n as i64) << 1) | negative as i64);
        payload_ptr(op).cast::<i64>().write(tag);
        let digits = std::slice::from_raw_parts_mut(payload_ptr(op).add(8).cast::<u32>(), n);
        digits.fill(0);
        fill(digits);
        debug_assert!(n >= 2 && digits[n - 1] != 0);
    }
    Ok(op)
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
        if v < INLINE_MIN {
            return self.int_from_bigint(&BigInt::from(v));
        }
        let op = inner.new_object(&inner.types.int, SIZE)?;
        // SAFETY: fresh object of SIZE bytes.
        unsafe {
            payload_ptr(op).cast::<i64>().write(v);
            Ok(Obj::from_owned(op))
        }
    }
    /// An int of any size (stored inline when it fits).
    pub fn int_from_bigint(&self, v: &BigInt) -> Result<Obj<'_>> {
        if let Ok(small) = i64::try_from(v)
            && small >= INLINE_MIN
        {
            return self.int(small);
        }
        let (negative, n) = (v.sign() == num_bigint::Sign::Minus, v.magnitude().bits());
        let n = n.div_ceil(32) as usize;
        let op = new_big(self.inner(), negative, n, |d| {
            for (slot, digit) in d.iter_mut().zip(v.magnitude().iter_u32_digits()) {
                *slot = digit;
            }
        })?;
        // SAFETY: a fresh object of this heap.
        Ok(unsafe { Obj::from_owned(op) })
    }
    /// `True` or `False` (immortal).
    #[inline]
    pub fn bool(&self, b: bool) -> Obj<'_> {
        let i = self.inner();
        // SAFETY: immortal objects of this heap.
        unsafe { Obj::from_borrowed(if b { i.true_ } else { i.false_ }) }
    }
}

impl Obj<'_> {
    /// The value of an int (or bool: True is 1) as an i64; `OverflowError` for a value beyond it
    /// (use [`int_value`](Self::int_value) for any size).
    pub fn as_int(&self) -> Result<i64> {
        self.int_value()?.to_i64().ok_or_else(|| {
            RuntimeError::Overflow("Python int too large to convert to C long".into())
        })
    }
    /// The value of an int or bool, any size, borrowed from the object.
    #[inline] // callers branch on the value at once: a call would return it through memory
    pub fn int_value(&self) -> Result<IntValue<'_>> {
        match self.kind() {
            // SAFETY: checked kind; the view borrows the handle.
            Kind::Int | Kind::Bool => Ok(unsafe { view(self.as_raw()) }),
            _ => self.wrong_type("int"),
        }
    }
    /// The value of a bool.
    pub fn as_bool(&self) -> Result<bool> {
        match self.kind() {
            // SAFETY: checked kind.
            Kind::Bool => Ok(unsafe { word(self.as_raw()) } != 0),
            _ => self.wrong_type("bool"),
        }
    }
}

/// Both operands' inline values, when both are inline ints or bools (the fast path of every
/// binary operation). Otherwise None (also for wrong types: the slow path reports those).
#[inline(always)]
pub(crate) fn both_small<'a, 'b>(a: &impl AsObj<'a>, b: &impl AsObj<'b>) -> Option<(i64, i64)> {
    let (a, b) = (a.as_obj(), b.as_obj());
    let int_kind = |o: &Obj<'_>| matches!(o.kind(), Kind::Int | Kind::Bool);
    if !int_kind(a) || !int_kind(b) {
        return None;
    }
    // SAFETY: checked kinds; the handles keep the objects alive.
    unsafe { Some((small(a.as_raw())?, small(b.as_raw())?)) }
}
