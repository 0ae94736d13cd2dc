//! The built-in types, and the operations that dispatch on [`Kind`]: hash, equality, repr.
//!
//! All of these are pure functions of the objects' contents: they never run user code, allocate
//! nothing on the heap and take no borrows — which is what lets dict lookups run without guards.

pub mod cell;
pub mod class;
pub mod dict;
pub mod float;
pub mod instance;
pub mod int;
pub mod list;
pub mod none;
pub mod str;
pub mod tuple;
pub mod user;
pub mod weakref;

use crate::error::{Result, RuntimeError};
use crate::object::{RawObj, gc_head, type_of};
use crate::types::Kind;

/// Number of items of a variable-size object (tuple items, str bytes).
///
/// # Safety
/// `op` is an intact tuple or str.
pub(crate) unsafe fn var_len(op: RawObj) -> usize {
    // SAFETY: caller.
    unsafe {
        match type_of(op).kind {
            Kind::Tuple => tuple::len(op),
            Kind::Str => str::len(op),
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

/// Python-compatible enough hash of a float: integral values hash like the equal int (so
/// `hash(1.0) == hash(1)`), others by their bits; NaN by identity is left to the caller.
pub fn hash_f64(v: f64) -> i64 {
    if v.fract() == 0.0 && v.abs() < 9.2e18 {
        return hash_i64(v as i64);
    }
    let h = (v.to_bits().wrapping_mul(0x9E37_79B9_7F4A_7C15) >> 3) as i64;
    if h == -1 { -2 } else { h }
}

/// `hash(o)`.
///
/// # Safety
/// `op` is live.
pub(crate) unsafe fn hash(op: RawObj) -> Result<i64> {
    // SAFETY: live (caller); each arm reads the payload of its own kind.
    unsafe {
        let ty = type_of(op);
        Ok(match ty.kind {
            Kind::Int | Kind::Bool => hash_i64(int::value(op)),
            Kind::Float => {
                let v = float::value(op);
                if v.is_nan() {
                    identity_hash(op)
                } else {
                    hash_f64(v)
                }
            }
            Kind::Str => str::hash(op),
            Kind::Tuple => tuple::hash(op)?,
            Kind::List | Kind::Dict => return Err(RuntimeError::Unhashable(ty.name().into())),
            _ => identity_hash(op),
        })
    }
}

/// CPython's default `object.__hash__`: the address rotated by 4 bits.
pub(crate) fn identity_hash(op: RawObj) -> i64 {
    let a = op.as_ptr() as usize;
    let h = a.rotate_right(4) as i64;
    if h == -1 { -2 } else { h }
}

/// Numeric value for cross-type comparison.
enum Num {
    I(i64),
    F(f64),
}

unsafe fn num(op: RawObj) -> Option<Num> {
    // SAFETY: live (caller).
    unsafe {
        match type_of(op).kind {
            Kind::Int | Kind::Bool => Some(Num::I(int::value(op))),
            Kind::Float => Some(Num::F(float::value(op))),
            _ => None,
        }
    }
}

/// `a == b` with built-in semantics; identity for user objects.
///
/// # Safety
/// Both are live.
pub(crate) unsafe fn eq(a: RawObj, b: RawObj) -> bool {
    if a == b {
        // `x is y` implies equality except for NaN; dicts treat identity as equality anyway.
        return true;
    }
    // SAFETY: live (caller); each arm reads payloads of the kinds it matched.
    unsafe {
        if let (Some(x), Some(y)) = (num(a), num(b)) {
            return match (x, y) {
                (Num::I(x), Num::I(y)) => x == y,
                (Num::F(x), Num::F(y)) => x == y,
                (Num::I(i), Num::F(f)) | (Num::F(f), Num::I(i)) => {
                    f.fract() == 0.0 && f.abs() < 9.3e18 && (f as i128) == i as i128
                }
            };
        }
        let (ka, kb) = (type_of(a).kind, type_of(b).kind);
        if ka != kb {
            return false;
        }
        match ka {
            Kind::Str => str::as_str(a) == str::as_str(b),
            Kind::Tuple => {
                let (x, y) = (tuple::items(a), tuple::items(b));
                x.len() == y.len() && x.iter().zip(y).all(|(p, q)| eq_opt(*p, *q))
            }
            Kind::List => {
                let (x, y) = (list::items(a), list::items(b));
                x.len() == y.len() && x.iter().zip(y).all(|(p, q)| eq_opt(*p, *q))
            }
            Kind::Dict => dict::eq(a, b),
            _ => false,
        }
    }
}

unsafe fn eq_opt(a: Option<RawObj>, b: Option<RawObj>) -> bool {
    match (a, b) {
        // SAFETY: items of live containers are live.
        (Some(a), Some(b)) => unsafe { eq(a, b) },
        (None, None) => true,
        _ => false,
    }
}

/// `repr(o)` (bounded depth: nested containers past 20 levels print `...`).
///
/// # Safety
/// `op` is live.
pub(crate) unsafe fn repr(op: RawObj) -> String {
    let mut s = String::new();
    // SAFETY: forwarded.
    unsafe { repr_into(op, &mut s, 0) };
    s
}

unsafe fn repr_seq(items: &[Option<RawObj>], out: &mut String, depth: usize) {
    for (i, it) in items.iter().enumerate() {
        if i > 0 {
            out.push_str(", ");
        }
        match it {
            // SAFETY: items of a live container are live.
            Some(p) => unsafe { repr_into(*p, out, depth + 1) },
            None => out.push_str("<NULL>"),
        }
    }
}

unsafe fn repr_into(op: RawObj, out: &mut String, depth: usize) {
    use std::fmt::Write;
    if depth > 20 {
        out.push_str("...");
        return;
    }
    // SAFETY: live (caller); each arm reads its kind's payload.
    unsafe {
        let ty = type_of(op);
        if let Some(r) = ty.repr {
            out.push_str(&r(op));
            return;
        }
        match ty.kind {
            Kind::None => out.push_str("None"),
            Kind::Bool => out.push_str(if int::value(op) != 0 { "True" } else { "False" }),
            Kind::Int => write!(out, "{}", int::value(op)).unwrap(),
            Kind::Float => out.push_str(&float::repr(float::value(op))),
            Kind::Str => write!(out, "{:?}", str::as_str(op)).unwrap(),
            Kind::Tuple => {
                let items = tuple::items(op);
                out.push('(');
                repr_seq(items, out, depth);
                if items.len() == 1 {
                    out.push(',');
                }
                out.push(')');
            }
            Kind::List => {
                out.push('[');
                repr_seq(list::items(op), out, depth);
                out.push(']');
            }
            Kind::Dict => {
                out.push('{');
                for (i, (k, v)) in dict::entries(op).into_iter().enumerate() {
                    if i > 0 {
                        out.push_str(", ");
                    }
                    repr_into(k, out, depth + 1);
                    out.push_str(": ");
                    repr_into(v, out, depth + 1);
                }
                out.push('}');
            }
            Kind::Class => write!(out, "<class '{}'>", class::data(op).ty.name()).unwrap(),
            _ => write!(out, "<{} object at {:p}>", ty.name(), op.as_ptr()).unwrap(),
        }
    }
}

/// `<typename object at 0x...>`: used in unraisable reports and debug output.
///
/// # Safety
/// `op` is intact (live or being deallocated).
pub(crate) unsafe fn describe(op: RawObj) -> String {
    // SAFETY: caller.
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
