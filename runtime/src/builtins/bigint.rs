//! The big side of int: what needs more than an i64, on `num-bigint` values or on the raw
//! 32-bit digits of a big int object (layout in `int.rs`).
//!
//! ```text
//!   digits (little-endian u32) ──from_digits──▶ BigInt ──(num-bigint arithmetic)──▶ BigInt
//!        │                                                                           │
//!        └─ hash_digits: |v| mod 2^61−1, most significant digit first     Heap::int_from_bigint
//! ```
//!
//! Everything here follows CPython 3.11: hash modulo 2^61 − 1, correctly rounded `float(n)` and
//! `a / b` (round half to even, CPython's overflow messages), exact int/float comparisons,
//! `str(n)` and `int(s, base)` with the 4300-digit limit of `sys.int_info.default_max_str_digits`.

use super::int::IntValue;
use crate::error::{Result, RuntimeError};
use num_bigint::{BigInt, BigUint, Sign};
use num_traits::{FromPrimitive, Signed, ToPrimitive, Zero};
use std::cmp::Ordering;

/// CPython's default limit on decimal digits in `str(int)`/`int(str)`.
pub const MAX_STR_DIGITS: usize = 4300;
/// Largest int (in bits) the runtime computes; beyond it, `MemoryError` rather than an abort
/// inside the bigint crate's allocation (2^31 bits = 256 MiB of digits).
pub(crate) const MAX_BITS: u64 = 1 << 31;

/// A `BigInt` from sign and little-endian 32-bit digits.
pub(crate) fn from_digits(negative: bool, digits: &[u32]) -> BigInt {
    let sign = if negative { Sign::Minus } else { Sign::Plus };
    BigInt::from_biguint(sign, BigUint::from_slice(digits))
}

/// Python's `hash()` of a big int: `|v| mod (2^61 − 1)` with the sign, −1 mapped to −2.
pub(crate) fn hash_digits(negative: bool, digits: &[u32]) -> i64 {
    const M: u64 = super::HASH_MODULUS as u64;
    let mut x: u64 = 0;
    for &d in digits.iter().rev() {
        // x · 2^32 mod M is a rotation within 61 bits (2^61 ≡ 1 mod M).
        x = ((x << 32) & M) | (x >> (61 - 32));
        x += d as u64;
        if x >= M {
            x -= M;
        }
    }
    let h = if negative { -(x as i64) } else { x as i64 };
    if h == -1 { -2 } else { h }
}

/// `MemoryError` unless a result of `bits` bits is within [`MAX_BITS`].
pub(crate) fn check_bits(bits: u64) -> Result<()> {
    if bits > MAX_BITS {
        Err(RuntimeError::OutOfMemory {
            requested: usize::try_from(bits / 8).unwrap_or(usize::MAX),
        })
    } else {
        Ok(())
    }
}

fn float_overflow() -> RuntimeError {
    RuntimeError::Overflow("int too large to convert to float".into())
}

/// `float(n)`: correctly rounded (num-bigint rounds to odd on 64 bits, then the hardware
/// rounds half to even); `OverflowError` when the result would be infinite.
pub(crate) fn to_f64(v: &BigInt) -> Result<f64> {
    match v.to_f64() {
        Some(f) if f.is_finite() => Ok(f),
        _ => Err(float_overflow()),
    }
}

/// `m · 2^e`, exact whenever the result is representable (also in the subnormal range).
fn ldexp(m: f64, e: i64) -> f64 {
    let pow2 = |e: i64| f64::from_bits(((e + 1023) as u64) << 52); // -1022 <= e <= 1023
    if e > 1023 {
        m * pow2(1023) * pow2((e - 1023).min(1023))
    } else if e >= -1022 {
        m * pow2(e)
    } else {
        // Two steps: the first stays normal (exact), the second lands on the final value.
        m * pow2(-1022) * pow2((e + 1022).max(-1022))
    }
}

/// `a / b` on ints (`int.__truediv__`): the correctly rounded quotient, like CPython's
/// `long_true_divide`. `ZeroDivisionError: division by zero`; `OverflowError: integer division
/// result too large for a float`.
pub fn true_divide(a: &IntValue<'_>, b: &IntValue<'_>) -> Result<f64> {
    const EXACT: u64 = 1 << 53;
    if let (IntValue::Small(x), IntValue::Small(y)) = (*a, *b) {
        if y == 0 {
            return Err(RuntimeError::ZeroDivision("division by zero"));
        }
        if x.unsigned_abs() <= EXACT && y.unsigned_abs() <= EXACT {
            // Both exact as floats: one IEEE division rounds once, correctly.
            return Ok(x as f64 / y as f64);
        }
    }
    let (a, b) = (a.to_bigint(), b.to_bigint());
    if b.is_zero() {
        return Err(RuntimeError::ZeroDivision("division by zero"));
    }
    let negative = a.is_negative() != b.is_negative();
    let sign = |v: f64| if negative { -v } else { v };
    if a.is_zero() {
        return Ok(sign(0.0));
    }
    let (a, b) = (a.magnitude(), b.magnitude());
    // 2^(k-1) < a/b < 2^(k+1).
    let k = a.bits() as i64 - b.bits() as i64;
    if k > 1025 {
        return Err(RuntimeError::Overflow(
            "integer division result too large for a float".into(),
        ));
    }
    // q = floor(a/b · 2^t) has 55 or 56 bits; the remainder tells whether it was exact.
    let t = 55 - k;
    let (num, den) = if t >= 0 {
        (a << t as u64, b.clone())
    } else {
        (a.clone(), b << (-t) as u64)
    };
    let (q, r) = num_integer::Integer::div_rem(&num, &den);
    let q = q.to_u64().expect("quotient of at most 56 bits");
    let sticky = !r.is_zero();
    let len = 64 - q.leading_zeros() as i64;
    // a/b ∈ [2^e, 2^(e+1)); a float keeps 53 bits, fewer below 2^-1022 (subnormals).
    let e = len - 1 - t;
    if e > 1023 {
        return Err(RuntimeError::Overflow(
            "integer division result too large for a float".into(),
        ));
    }
    let keep = if e >= -1022 { 53 } else { 53 - (-1022 - e) };
    let drop = (len - keep) as u32; // >= 2
    let m = if drop >= 64 {
        0
    } else {
        let kept = q >> drop;
        let rest = q & ((1u64 << drop) - 1);
        let half = 1u64 << (drop - 1);
        let up = rest > half || (rest == half && (sticky || kept & 1 == 1));
        kept + up as u64
    };
    let v = ldexp(m as f64, drop as i64 - t);
    if v.is_infinite() {
        return Err(RuntimeError::Overflow(
            "integer division result too large for a float".into(),
        ));
    }
    Ok(sign(v))
}

/// Exact comparison of an int with a float (`None` when `f` is NaN), as CPython's
/// `float_richcompare` does it: no rounding of the int.
pub fn cmp_int_float(i: &IntValue<'_>, f: f64) -> Option<Ordering> {
    if f.is_nan() {
        return None;
    }
    if f.is_infinite() {
        return Some(if f > 0.0 {
            Ordering::Less
        } else {
            Ordering::Greater
        });
    }
    let fl = f.floor();
    let by_floor = match *i {
        IntValue::Small(v) => {
            if fl >= 9_223_372_036_854_775_808.0 {
                return Some(Ordering::Less);
            }
            if fl < -9_223_372_036_854_775_808.0 {
                return Some(Ordering::Greater);
            }
            v.cmp(&(fl as i64))
        }
        IntValue::Big { negative, .. } => {
            if i.bit_length() > 1025 {
                return Some(if negative {
                    Ordering::Less
                } else {
                    Ordering::Greater
                });
            }
            i.to_bigint()
                .cmp(&BigInt::from_f64(fl).expect("finite float"))
        }
    };
    // i == floor(f): equal when f is integral, else i < f.
    Some(match by_floor {
        Ordering::Equal if fl != f => Ordering::Less,
        o => o,
    })
}

fn str_limit_error() -> RuntimeError {
    RuntimeError::ValueError(format!(
        "Exceeds the limit ({MAX_STR_DIGITS} digits) for integer string conversion; use \
         sys.set_int_max_str_digits() to increase the limit"
    ))
}

/// `str(n)`: decimal digits, `ValueError` past [`MAX_STR_DIGITS`] digits (CPython 3.11's text).
pub fn to_decimal(v: &IntValue<'_>) -> Result<String> {
    match v {
        IntValue::Small(x) => Ok(x.to_string()),
        IntValue::Big { .. } => {
            // More than MAX_STR_DIGITS digits for sure: do not even convert (quadratic).
            if (v.bit_length() - 1) as f64 * std::f64::consts::LOG10_2 >= MAX_STR_DIGITS as f64 {
                return Err(str_limit_error());
            }
            let s = v.to_bigint().to_string();
            if s.trim_start_matches('-').len() > MAX_STR_DIGITS {
                return Err(str_limit_error());
            }
            Ok(s)
        }
    }
}

/// `int(s, base)`: Python's syntax (surrounding whitespace, a sign, `0x`/`0o`/`0b` prefixes for
/// their base or base 0, single underscores between digits, no leading zeros with base 0), its
/// error texts, and the 4300-digit limit for bases that are not powers of two. ASCII digits only
/// (CPython also accepts other Unicode decimal digits).
pub fn parse(s: &str, base: u32) -> Result<BigInt> {
    if base == 1 || base > 36 {
        return Err(RuntimeError::ValueError(
            "int() base must be >= 2 and <= 36, or 0".into(),
        ));
    }
    let invalid = || {
        RuntimeError::ValueError(format!(
            "invalid literal for int() with base {base}: {}",
            super::str::repr_str(s)
        ))
    };
    let t = s.trim();
    let (negative, t) = match t.as_bytes().first() {
        Some(b'-') => (true, &t[1..]),
        Some(b'+') => (false, &t[1..]),
        _ => (false, t),
    };
    let lower = t.get(..2).map(str::to_ascii_lowercase);
    let prefix_base = match lower.as_deref() {
        Some("0x") => 16,
        Some("0o") => 8,
        Some("0b") => 2,
        _ => 0,
    };
    let (radix, body, prefixed) = match (base, prefix_base) {
        (0, 0) => (10, t, false),
        (0, p) => (p, &t[2..], true),
        (b, p) if p == b => (b, &t[2..], true),
        (b, _) => (b, t, false),
    };
    // Digits with single underscores between them (one may follow a prefix).
    let bytes = body.as_bytes();
    let mut clean = Vec::with_capacity(bytes.len());
    let mut prev_underscore = !prefixed;
    for &c in bytes {
        if c == b'_' {
            if prev_underscore {
                return Err(invalid());
            }
            prev_underscore = true;
            continue;
        }
        if !(c as char).is_digit(radix) {
            return Err(invalid());
        }
        clean.push(c);
        prev_underscore = false;
    }
    if clean.is_empty() || bytes.last() == Some(&b'_') {
        return Err(invalid());
    }
    // Base 0 without a prefix: "010" is ambiguous (old octal), only zeros may start with 0.
    if base == 0 && !prefixed && clean[0] == b'0' && clean.iter().any(|&c| c != b'0') {
        return Err(invalid());
    }
    if !radix.is_power_of_two() && clean.len() > MAX_STR_DIGITS {
        return Err(RuntimeError::ValueError(format!(
            "Exceeds the limit ({MAX_STR_DIGITS} digits) for integer string conversion: value has \
             {} digits; use sys.set_int_max_str_digits() to increase the limit",
            clean.len()
        )));
    }
    check_bits(clean.len() as u64 * 6)?;
    let m = BigUint::parse_bytes(&clean, radix).ok_or_else(invalid)?;
    Ok(BigInt::from_biguint(
        if negative { Sign::Minus } else { Sign::Plus },
        m,
    ))
}

/// Sign and magnitude digits of any int value (`buf` holds a small value's digits).
#[inline]
pub(crate) fn sign_digits<'a>(v: &IntValue<'a>, buf: &'a mut [u32; 2]) -> (bool, &'a [u32]) {
    match *v {
        IntValue::Small(x) => {
            let m = x.unsigned_abs();
            *buf = [m as u32, (m >> 32) as u32];
            let n = if buf[1] != 0 {
                2
            } else {
                usize::from(buf[0] != 0)
            };
            (x < 0, &buf[..n])
        }
        IntValue::Big { negative, digits } => (negative, digits),
    }
}

fn cmp_mag(a: &[u32], b: &[u32]) -> Ordering {
    a.len()
        .cmp(&b.len())
        .then_with(|| a.iter().rev().cmp(b.iter().rev()))
}

/// `a + b` (or `a - b` with `b_neg` flipped) on sign/magnitude digits, into `out` (trimmed);
/// returns the sign. The schoolbook loops num-bigint would run, without converting either operand.
pub(crate) fn add_digits(
    (a_neg, a): (bool, &[u32]),
    (b_neg, b): (bool, &[u32]),
    out: &mut Vec<u32>,
) -> bool {
    out.clear();
    let neg;
    if a_neg == b_neg {
        let (long, short) = if a.len() >= b.len() { (a, b) } else { (b, a) };
        let mut carry = 0u64;
        for (i, &d) in long.iter().enumerate() {
            let s = d as u64 + short.get(i).copied().unwrap_or(0) as u64 + carry;
            out.push(s as u32);
            carry = s >> 32;
        }
        if carry != 0 {
            out.push(carry as u32);
        }
        neg = a_neg;
    } else {
        let (big, small, big_neg) = match cmp_mag(a, b) {
            Ordering::Less => (b, a, b_neg),
            _ => (a, b, a_neg),
        };
        let mut borrow = 0i64;
        for (i, &d) in big.iter().enumerate() {
            let s = d as i64 - small.get(i).copied().unwrap_or(0) as i64 - borrow;
            borrow = i64::from(s < 0);
            out.push((s + (borrow << 32)) as u32);
        }
        neg = big_neg;
    }
    while out.last() == Some(&0) {
        out.pop();
    }
    neg && !out.is_empty()
}

/// `a * m` for a magnitude `a` and a factor of at most 64 bits, into `out` (trimmed).
pub(crate) fn mul_small_digits(a: &[u32], m: u64, out: &mut Vec<u32>) {
    out.clear();
    out.resize(a.len() + 2, 0);
    mul_small_into(a, m, out);
    while out.last() == Some(&0) {
        out.pop();
    }
}

// In-place kernels: the caller learns the exact digit count of the result first (`add_len`,
// `mul_small_len`), allocates the int object with that many digits, and the kernel writes them
// straight into it — no scratch buffer, no copy, no trimming. The count is read off the top
// digits; when a carry from the lower digits could still change it (about 2^-32 of the time
// for `+`, m / 2^64 for `* m`) the `*_len` function says None and the caller takes the
// scratch-buffer path above.
//
// Worked example for `add_len` (digits are base 2^32, most significant first):
//   [0xFFFF_FFFE, ..] + [0x0000_0001, ..]: top sum 0xFFFF_FFFF, a carry of 1 from below would
//     overflow it → None (undecided).
//   [0xFFFF_FFFE, ..] + [0x0000_0000, ..]: top sum 0xFFFF_FFFE, even +1 stays below 2^32 → same
//     length.   [0x8000_0000, ..] + [0x8000_0000, ..]: ≥ 2^32 → one digit more.

/// The exact digit count of `long + short` (same signs; trimmed magnitudes, `long` at least as
/// long as `short`), or None when only the carry from the lower digits could tell.
pub(crate) fn add_len(long: &[u32], short: &[u32]) -> Option<usize> {
    let l = long.len();
    debug_assert!(short.len() <= l);
    // The carry into any digit position is at most 1.
    let top = *long.last()? as u64
        + if short.len() == l {
            short[l - 1] as u64
        } else {
            0
        };
    match top.cmp(&(u32::MAX as u64)) {
        Ordering::Less => Some(l),
        Ordering::Greater => Some(l + 1),
        Ordering::Equal => None,
    }
}

/// `long + short` into `out`, whose length is [`add_len`]'s answer.
pub(crate) fn add_into(long: &[u32], short: &[u32], out: &mut [u32]) {
    let (lo, hi) = long.split_at(short.len());
    let (out_lo, out_hi) = out.split_at_mut(short.len());
    let mut carry = 0u64;
    for ((o, &x), &y) in out_lo.iter_mut().zip(lo).zip(short) {
        let s = x as u64 + y as u64 + carry;
        *o = s as u32;
        carry = s >> 32;
    }
    for (o, &x) in out_hi.iter_mut().zip(hi) {
        let s = x as u64 + carry;
        *o = s as u32;
        carry = s >> 32;
    }
    if let Some(top) = out_hi.get_mut(hi.len()) {
        *top = carry as u32;
    } else {
        debug_assert_eq!(carry, 0, "add_len said no carry out");
    }
}

/// The exact digit count of `a * m` (`a` trimmed with at least 2 digits, `m` ≠ 0), or None
/// when the lower digits' carry could still reach the top.
///
/// With `t` the top two digits of `a` (`a = t·B^(n−2) + r`, `r < B^(n−2)`, `B = 2^32`), the
/// part of `a·m` above digit `n` is `⌊(t·m + e) / 2^64⌋` with `0 ≤ e < m`: exact from `t·m`
/// alone unless its low 64 bits are within `m` of wrapping.
pub(crate) fn mul_small_len(a: &[u32], m: u64) -> Option<usize> {
    let n = a.len();
    if n < 2 || m == 0 {
        return None;
    }
    let t = ((a[n - 1] as u64) << 32) | a[n - 2] as u64;
    let p = t as u128 * m as u128;
    let (high, low) = ((p >> 64) as u64, p as u64);
    low.checked_add(m - 1)?;
    // a·m ≥ a ≥ B^(n−1): at least n digits; `high` adds 0, 1 or 2.
    Some(n + usize::from(high != 0) + usize::from(high >> 32 != 0))
}

/// `a * m` into `out` (at least `a.len()` digits; digits past the product's top become 0).
/// A factor that fits in 32 bits needs only 64-bit products: `(2^32−1)² + (2^32−1) < 2^64`.
pub(crate) fn mul_small_into(a: &[u32], m: u64, out: &mut [u32]) {
    let (out_lo, out_hi) = out.split_at_mut(a.len());
    let mut carry;
    if m <= u32::MAX as u64 {
        let mut c = 0u64;
        for (o, &d) in out_lo.iter_mut().zip(a) {
            let p = d as u64 * m + c;
            *o = p as u32;
            c = p >> 32;
        }
        carry = c as u128;
    } else {
        let mut c = 0u128;
        for (o, &d) in out_lo.iter_mut().zip(a) {
            let p = d as u128 * m as u128 + c;
            *o = p as u32;
            c = p >> 32;
        }
        carry = c;
    }
    for o in out_hi {
        *o = carry as u32;
        carry >>= 32;
    }
    debug_assert_eq!(carry, 0, "out too short for the product");
}
