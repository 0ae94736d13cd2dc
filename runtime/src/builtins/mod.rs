//! The built-in types; the generic hash and equality (through the type slots, with fast paths
//! for the common built-in kinds) and the built-in hash/eq slots (repr: `repr.rs`).
//!
//! The numeric and str slots are pure functions of the objects' contents. The container slots
//! (tuple, list, dict `==`; tuple `hash`) recurse into their items, so they may reach user slots,
//! and user slots (`user.rs`) run the user's `&self` methods — which may drop a `Member` kept in
//! a `Cell` and so run finalizers that do anything to the heap. Every operation that may run
//! such code holds strong references (`Held`) to what it works on and re-reads its containers
//! afterwards (CPython's `list_richcompare`, `lookdict`); recursion counts against the heap's
//! limit (`recursion.rs`).
//!
//! # Invariants the unsafe code relies on
//! - Every `RawObj` a slot receives is live (or, for dealloc and `describe`, intact: header and
//!   type readable), and of the slot's own type: the type object's slots are chosen per kind at
//!   heap creation, and each type module reads only its own payload layout.
//! - A slot that may run user code (container `==`, `hash`, `repr`) holds strong references to
//!   what it still needs afterwards; raw pointers into a container are not kept across it.

pub(crate) mod attrtable;
pub mod bigint;
pub mod cell;
pub mod class;
mod class_cache;
pub mod dict;
pub(crate) mod dispatch;
pub mod float;
pub mod instance;
pub mod int;
pub mod intops;
pub mod list;
pub mod listops;
pub(crate) mod mro;
pub(crate) mod native;
pub mod none;
pub mod order;
mod printable;
pub(crate) mod repr;
pub mod set;
pub mod setops;
pub mod slice;
pub mod str;
pub mod tuple;
pub mod user;
pub mod weakref;

use crate::error::{Result, RuntimeError};
use crate::heap::HeapInner;
use crate::object::{RawObj, gc_head, type_of};
use crate::recursion::RecursionKind;
use crate::refcount::{decref, incref};
use crate::types::{EqFn, HashFn, Kind, TypeBuilder, TypeObject};

/// Number of items of a variable-size object (tuple items, str bytes, int digits, the tail
/// bytes of a user type with `UserType::TAIL`).
///
/// # Safety
/// `op` is an intact object of a type with a non-zero `item_size`.
pub(crate) unsafe fn var_len(op: RawObj) -> usize {
    // SAFETY: `op` is an intact variable-size object (contract), so its length word is valid.
    unsafe {
        match type_of(op).kind {
            Kind::Tuple => tuple::len(op),
            Kind::Str => str::len(op),
            Kind::Int => int::ndigits(op),
            Kind::User => user::tail_len(op),
            _ => 0,
        }
    }
}

/// Modulus of Python's numeric hash (2^61 − 1 on 64-bit).
pub const HASH_MODULUS: i64 = (1 << 61) - 1;

/// Python's hash of an i64 (`hash(n)`): n mod (2^61 − 1) keeping the sign, −1 becomes −2.
pub fn hash_i64(v: i64) -> i64 {
    let m = (v.unsigned_abs() % HASH_MODULUS as u64) as i64;
    let h = if v < 0 { -m } else { m };
    if h == -1 { -2 } else { h }
}

/// CPython's hash of a float (`_Py_HashDouble`): the value's rational reduction modulo
/// 2^61 − 1, so integral values hash like the equal int (`hash(1.0) == hash(1)`) and e.g.
/// `hash(1.5) == 1152921504606846977`; ±inf hash to ±314159. NaN is left to the caller (CPython
/// 3.10+ hashes it by identity).
pub fn hash_f64(v: f64) -> i64 {
    const MODULUS: u64 = HASH_MODULUS as u64;
    const BITS: u32 = 61;
    if v.is_infinite() {
        return if v > 0.0 { 314159 } else { -314159 };
    }
    if v == 0.0 || v.is_nan() {
        return 0;
    }
    let (mut m, mut e) = frexp(v.abs());
    let mut x: u64 = 0;
    while m != 0.0 {
        x = ((x << 28) & MODULUS) | (x >> (BITS - 28));
        m *= 268_435_456.0; // 2**28
        e -= 28;
        let y = m as u64; // the integer part
        m -= y as f64;
        x += y;
        if x >= MODULUS {
            x -= MODULUS;
        }
    }
    let e = if e >= 0 {
        e as u32 % BITS
    } else {
        BITS - 1 - ((-1 - e) as u32 % BITS)
    };
    x = ((x << e) & MODULUS) | (x >> (BITS - e));
    let h = if v < 0.0 { -(x as i64) } else { x as i64 };
    if h == -1 { -2 } else { h }
}

/// C's `frexp` for finite non-zero `v > 0`: `v = m · 2^e` with `0.5 <= m < 1`.
fn frexp(v: f64) -> (f64, i32) {
    let bits = v.to_bits();
    let exp = ((bits >> 52) & 0x7ff) as i32;
    if exp == 0 {
        // Subnormal: scale into the normal range first.
        let (m, e) = frexp(v * f64::from_bits(0x4350_0000_0000_0000)); // 2**54
        return (m, e - 54);
    }
    let m = f64::from_bits((bits & !(0x7ff << 52)) | (1022 << 52));
    (m, exp - 1022)
}

/// A built-in type's builder, with the hash and eq slots of its kind ([`builtin_slots`]).
pub(crate) fn builtin_type(name: &str, kind: Kind, heap: *const HeapInner) -> TypeBuilder {
    let (hash, eq) = builtin_slots(kind);
    TypeObject::builder(name, kind, heap).eq_hash(hash, eq)
}

/// The hash and eq slots of a built-in kind ([`builtin_type`] installs them; user
/// types replace them at registration). `hash: None` = unhashable, `eq: None` = identity.
pub(crate) fn builtin_slots(kind: Kind) -> (Option<HashFn>, Option<EqFn>) {
    match kind {
        Kind::Int | Kind::Bool => (Some(int_hash), Some(num_eq)),
        Kind::Float => (Some(float_hash), Some(num_eq)),
        Kind::Str => (Some(str_hash), Some(str_eq)),
        Kind::Tuple => (Some(tuple::hash), Some(tuple::eq)),
        Kind::List => (None, Some(list::eq)),
        Kind::Dict => (None, Some(dict::eq)),
        Kind::Set => (None, Some(set::eq)),
        Kind::FrozenSet => (Some(set::frozenset_hash), Some(set::eq)),
        Kind::WeakRef => (Some(weakref::hash), Some(weakref::eq)),
        Kind::None | Kind::Class | Kind::Instance | Kind::Cell | Kind::User => {
            (Some(identity_hash_slot), None)
        }
    }
}

/// `hash(o)`: the type's hash slot (`Unhashable` naming the type when it has none).
///
/// # Safety
/// `op` is live.
#[inline]
pub(crate) unsafe fn hash(op: RawObj) -> Result<i64> {
    // SAFETY: live (caller); the fast paths read the payload of the kind they matched and give
    // the same result as that kind's slot.
    unsafe {
        let ty = type_of(op);
        match ty.kind {
            Kind::Str => return Ok(str::hash(op)),
            Kind::Int | Kind::Bool => return Ok(int::hash(op)),
            _ => {}
        }
        match ty.hash {
            Some(f) => f(op),
            None => Err(RuntimeError::Unhashable(ty.name().into())),
        }
    }
}

/// The `hash` slot of int and bool.
///
/// # Safety
/// The `HashFn` contract (types.rs): `op` is a live int or bool.
unsafe fn int_hash(op: RawObj) -> Result<i64> {
    // SAFETY: the slot of int and bool: `op` is a live int or bool.
    Ok(unsafe { int::hash(op) })
}

/// The `hash` slot of float (NaN: by identity, as CPython 3.10+).
///
/// # Safety
/// The `HashFn` contract (types.rs): `op` is a live float.
unsafe fn float_hash(op: RawObj) -> Result<i64> {
    // SAFETY: the slot of float: `op` is a live float.
    let v = unsafe { float::value(op) };
    Ok(if v.is_nan() {
        identity_hash(op)
    } else {
        hash_f64(v)
    })
}

/// The `hash` slot of str.
///
/// # Safety
/// The `HashFn` contract (types.rs): `op` is a live str.
unsafe fn str_hash(op: RawObj) -> Result<i64> {
    // SAFETY: the slot of str: `op` is a live str.
    Ok(unsafe { str::hash(op) })
}

/// `object.__hash__` as a slot.
///
/// # Safety
/// The `HashFn` contract (types.rs); only the address of `op` is used.
unsafe fn identity_hash_slot(op: RawObj) -> Result<i64> {
    Ok(identity_hash(op))
}

/// CPython's default `object.__hash__`: the address rotated by 4 bits.
pub(crate) fn identity_hash(op: RawObj) -> i64 {
    let a = op.as_ptr() as usize;
    let h = a.rotate_right(4) as i64;
    if h == -1 { -2 } else { h }
}

/// Numeric value for cross-type comparison.
enum Num<'a> {
    I(int::IntValue<'a>),
    F(f64),
}

/// `op` seen as a number, if it is an int, bool or float.
///
/// # Safety
/// `op` is a live object; the view borrows its payload and must not outlive it.
unsafe fn num<'a>(op: RawObj) -> Option<Num<'a>> {
    // SAFETY: live (caller).
    unsafe {
        match type_of(op).kind {
            Kind::Int | Kind::Bool => Some(Num::I(int::view(op))),
            Kind::Float => Some(Num::F(float::value(op))),
            _ => None,
        }
    }
}

/// The eq slot of int, bool and float: numeric equality across the three (exact: an int equals
/// a float only when the float is that very integer).
///
/// # Safety
/// The `EqFn` contract (types.rs): `a` (an int, bool or float) and `b` are live objects.
unsafe fn num_eq(a: RawObj, b: RawObj) -> Result<bool> {
    // SAFETY: both live (slot contract).
    let (x, y) = unsafe { (num(a), num(b)) };
    Ok(match (x, y) {
        // Each value has one representation, so digit-wise equality is value equality.
        (Some(Num::I(x)), Some(Num::I(y))) => x == y,
        (Some(Num::F(x)), Some(Num::F(y))) => x == y,
        (Some(Num::I(i)), Some(Num::F(f))) | (Some(Num::F(f)), Some(Num::I(i))) => {
            bigint::cmp_int_float(&i, f) == Some(std::cmp::Ordering::Equal)
        }
        _ => false,
    })
}

/// The `eq` slot of str: by value, false against anything but a str.
///
/// # Safety
/// The `EqFn` contract (types.rs): `a` (a str) and `b` are live objects.
unsafe fn str_eq(a: RawObj, b: RawObj) -> Result<bool> {
    // SAFETY: both live (slot contract); `a` is a str, `b` is read as one only when it is.
    unsafe { Ok(type_of(b).kind == Kind::Str && str::as_str(a) == str::as_str(b)) }
}

/// `a == b`: `a is b`, else `a`'s eq slot (identity when it has none). Slots that may recurse or
/// run user code (containers, user types) count one level of the heap's recursion limit
/// (`Recursion(Comparison)` past it, CPython's `Py_EnterRecursiveCall(" in comparison")`).
///
/// # Safety
/// Both are live, and the caller holds a reference to each for the duration of the call (the
/// slot may run user code that drops every other reference).
#[inline]
pub(crate) unsafe fn eq(a: RawObj, b: RawObj) -> Result<bool> {
    if a == b {
        // `x is y` implies equality except for NaN; dicts treat identity as equality anyway.
        return Ok(true);
    }
    // SAFETY: live and held (caller); the fast path reads str payloads only after checking both
    // kinds.
    unsafe {
        let (ta, tb) = (type_of(a), type_of(b));
        if ta.kind == Kind::Str && tb.kind == Kind::Str {
            return Ok(str::as_str(a) == str::as_str(b));
        }
        match ta.eq {
            None => Ok(false),
            Some(f) if eq_is_pure(a) => f(a, b),
            Some(f) => {
                let _level = (*ta.heap).enter_recursion(RecursionKind::Comparison)?;
                f(a, b)
            }
        }
    }
}

/// `stored == key` as a container lookup compares them (CPython's
/// `PyObject_RichCompare(startkey, key, Py_EQ)`): the stored key's `__eq__` goes first; when its
/// slot is a pure built-in one (which answers NotImplemented for a foreign type), the other
/// operand's slot runs, as CPython's reflected `__eq__` does.
///
/// # Safety
/// As [`eq`]; either slot may run user code.
pub(crate) unsafe fn eq_stored_first(stored: RawObj, key: RawObj) -> Result<bool> {
    // SAFETY: both live and held (caller).
    unsafe {
        if eq_is_pure(stored) && !eq_is_pure(key) {
            eq(key, stored)
        } else {
            eq(stored, key)
        }
    }
}

/// Does `a == x` run no user code and no recursion, whatever `x` is? True when `a`'s eq slot is
/// the numeric or str one (they only read `x`'s kind and payload) or identity. Dict lookups with
/// such keys compare in place; others hold each candidate key and re-validate the table.
///
/// # Safety
/// `a` is live.
#[inline]
pub(crate) unsafe fn eq_is_pure(a: RawObj) -> bool {
    // SAFETY: live (caller).
    let ty = unsafe { type_of(a) };
    ty.eq.is_none() || matches!(ty.kind, Kind::Int | Kind::Bool | Kind::Float | Kind::Str)
}

/// A strong reference a built-in operation holds across code that may run user code (an eq
/// slot, a repr, a decref): the object cannot be freed under the operation, and the reference is
/// released when the guard drops (on unwinding too).
pub(crate) struct Held(RawObj);

impl Held {
    /// # Safety
    /// `op` is live.
    #[inline]
    pub(crate) unsafe fn new(op: RawObj) -> Held {
        // SAFETY: live (caller).
        unsafe { incref(op) };
        Held(op)
    }
    #[inline]
    pub(crate) fn raw(&self) -> RawObj {
        self.0
    }
}

impl Drop for Held {
    #[inline]
    fn drop(&mut self) {
        // SAFETY: the guard owns one reference (taken in `new`).
        unsafe { decref(self.0) }
    }
}

/// `<typename object at 0x...>`: used in unraisable reports and debug output.
///
/// # Safety
/// `op` is intact (live or being deallocated).
pub(crate) unsafe fn describe(op: RawObj) -> String {
    // SAFETY: `op` is intact (contract), so its type pointer is valid.
    let ty = unsafe { type_of(op) };
    format!("<{} object at {:p}>", ty.name(), op.as_ptr())
}

/// CPython's `_PyObject_GC_MAY_BE_TRACKED`: GC-capable, and for tuples, currently tracked.
///
/// # Safety
/// `op` is live.
#[inline]
pub(crate) unsafe fn may_be_tracked(op: RawObj) -> bool {
    // SAFETY: live (caller); GC types have a head.
    unsafe {
        let ty = type_of(op);
        if !ty.is_gc() {
            return false;
        }
        if ty.kind == Kind::Tuple {
            return gc_head(op).as_ref().is_tracked();
        }
        true
    }
}
