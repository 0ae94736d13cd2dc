//! Python's int operators on the heap: `heap.int_add(&a, &b)?` is `a + b`.
//!
//! ```text
//!   both operands inline ──▶ checked i64 op ──ok──▶ heap.int(v)          (the fast path)
//!          │ no                    │ overflow
//!          ▼                       ▼
//!   BigInt op (bigint.rs) ──▶ heap.int_from_bigint (inline again when it fits)
//! ```
//!
//! Semantics are CPython's: floor division and modulo (the remainder takes the divisor's sign),
//! `**` with a negative exponent gives a float, shifts are arithmetic, bit operations act on the
//! infinite two's complement, `/` is correctly rounded. Errors carry CPython's texts:
//! `ZeroDivisionError: integer division or modulo by zero`, `ValueError: negative shift count`, …
//! Operands may be ints or bools (bool is an int); results are ints (CPython's `True & True`
//! stays a bool: an interpreter wraps that itself). Anything else is `WrongType`.
//!
//! # Invariants
//! - The two `unsafe` conversions take ownership of an object the constructor just made
//!   (`Obj::from_owned` of a fresh reference the caller holds no other handle to).

use super::bigint::{self, MAX_BITS, check_bits};
use super::int::{IntValue, both_small};
use crate::Obj;
use crate::error::{Result, RuntimeError};
use crate::handle::AsObj;
use crate::heap::Heap;
use crate::types::Kind;
use num_bigint::BigInt;
use num_integer::Integer;
use num_traits::{One, Signed, ToPrimitive, Zero};
use std::cmp::Ordering;

const DIV_ZERO: &str = "integer division or modulo by zero";
const MOD_ZERO: &str = "integer modulo by zero";

fn big_of<'o>(o: &impl AsObj<'o>) -> Result<BigInt> {
    Ok(o.as_obj().int_value()?.to_bigint())
}

/// Python's floor division and modulo of two i64 (None when the quotient overflows).
fn divmod_i64(x: i64, y: i64) -> Option<(i64, i64)> {
    let (q, r) = (x.checked_div(y)?, x.checked_rem(y)?);
    if r != 0 && ((r < 0) != (y < 0)) {
        Some((q - 1, r + y))
    } else {
        Some((q, r))
    }
}

thread_local! {
    /// Scratch digits for the add/sub/mul-by-small paths (no user code runs while borrowed).
    static SCRATCH: std::cell::RefCell<Vec<u32>> = const { std::cell::RefCell::new(Vec::new()) };
}

impl Heap {
    /// `a ± b` or `a * b` (one factor of ≤ 64 bits) directly on the digits; None for other
    /// operations or operands (the `BigInt` path then runs).
    #[cold]
    #[inline(never)]
    fn int_digits<'a, 'b>(
        &self,
        a: &impl AsObj<'a>,
        b: &impl AsObj<'b>,
        op: char,
    ) -> Result<Option<Obj<'_>>> {
        let (x, y) = (a.as_obj().int_value()?, b.as_obj().int_value()?);
        let (mut bx, mut by) = ([0u32; 2], [0u32; 2]);
        let (sx, sy) = (
            bigint::sign_digits(&x, &mut bx),
            bigint::sign_digits(&y, &mut by),
        );
        if let Some(r) = self.int_digits_in_place(sx, sy, op)? {
            return Ok(Some(r));
        }
        SCRATCH.with(|s| {
            let mut out = s.borrow_mut();
            let neg = match op {
                '+' => bigint::add_digits(sx, sy, &mut out),
                '-' => bigint::add_digits(sx, (!sy.0, sy.1), &mut out),
                _ => {
                    let (big, small) = if sx.1.len() >= sy.1.len() {
                        (sx, sy)
                    } else {
                        (sy, sx)
                    };
                    if small.1.len() > 2 {
                        return Ok(None);
                    }
                    let m = small
                        .1
                        .iter()
                        .rev()
                        .fold(0u64, |m, &d| (m << 32) | d as u64);
                    bigint::mul_small_digits(big.1, m, &mut out);
                    (big.0 != small.0) && !out.is_empty()
                }
            };
            self.int_from_digits(neg, &out).map(Some)
        })
    }

    /// `a + b` of same-signed operands, `a - b` of opposite-signed ones, and `a * m` with a
    /// factor of ≤ 64 bits, written straight into the new int object when the result's digit
    /// count is known beforehand and is at least 3 (so the result is a big int); None sends
    /// the operation to the scratch-buffer path.
    #[inline(always)]
    fn int_digits_in_place(
        &self,
        (x_neg, x): (bool, &[u32]),
        (y_neg, y): (bool, &[u32]),
        op: char,
    ) -> Result<Option<Obj<'_>>> {
        let (long, short) = if x.len() >= y.len() { (x, y) } else { (y, x) };
        let op = match op {
            // Magnitudes add (x's sign) for + of like signs and - of unlike ones.
            '+' | '-' if (op == '+') == (x_neg == y_neg) => {
                let Some(n) = bigint::add_len(long, short).filter(|&n| n >= 3) else {
                    return Ok(None);
                };
                super::int::new_big(self.inner(), x_neg, n, |d| bigint::add_into(long, short, d))?
            }
            '*' if short.len() <= 2 && !short.is_empty() => {
                let m = short.iter().rev().fold(0u64, |m, &d| (m << 32) | d as u64);
                let Some(n) = bigint::mul_small_len(long, m).filter(|&n| n >= 3) else {
                    return Ok(None);
                };
                super::int::new_big(self.inner(), x_neg != y_neg, n, |d| {
                    bigint::mul_small_into(long, m, d)
                })?
            }
            _ => return Ok(None),
        };
        // SAFETY: a fresh object of this heap.
        Ok(Some(unsafe { Obj::from_owned(op) }))
    }

    /// An int from sign and trimmed magnitude digits (inline when it fits).
    pub(crate) fn int_from_digits(&self, negative: bool, digits: &[u32]) -> Result<Obj<'_>> {
        if let IntValue::Small(v) = IntValue::from_digits(negative, digits)
            && v >= super::int::INLINE_MIN
        {
            return self.int(v);
        }
        let op = super::int::new_big(self.inner(), negative, digits.len(), |d| {
            d.copy_from_slice(digits)
        })?;
        // SAFETY: a fresh object of this heap.
        Ok(unsafe { Obj::from_owned(op) })
    }

    /// The slow path of a binary operation: both operands as `BigInt`s.
    #[cold]
    #[inline(never)]
    fn int_big<'a, 'b>(
        &self,
        a: &impl AsObj<'a>,
        b: &impl AsObj<'b>,
        op: impl FnOnce(BigInt, BigInt) -> Result<BigInt>,
    ) -> Result<Obj<'_>> {
        let r = op(big_of(a)?, big_of(b)?)?;
        self.int_from_bigint(&r)
    }

    /// `a + b`.
    #[inline]
    pub fn int_add<'a, 'b>(&self, a: &impl AsObj<'a>, b: &impl AsObj<'b>) -> Result<Obj<'_>> {
        if let Some((x, y)) = both_small(a, b)
            && let Some(v) = x.checked_add(y)
        {
            return self.int(v);
        }
        match self.int_digits(a, b, '+')? {
            Some(r) => Ok(r),
            None => self.int_big(a, b, |x, y| Ok(x + y)),
        }
    }
    /// `a - b`.
    #[inline]
    pub fn int_sub<'a, 'b>(&self, a: &impl AsObj<'a>, b: &impl AsObj<'b>) -> Result<Obj<'_>> {
        if let Some((x, y)) = both_small(a, b)
            && let Some(v) = x.checked_sub(y)
        {
            return self.int(v);
        }
        match self.int_digits(a, b, '-')? {
            Some(r) => Ok(r),
            None => self.int_big(a, b, |x, y| Ok(x - y)),
        }
    }
    /// `a * b`.
    #[inline]
    pub fn int_mul<'a, 'b>(&self, a: &impl AsObj<'a>, b: &impl AsObj<'b>) -> Result<Obj<'_>> {
        if let Some((x, y)) = both_small(a, b)
            && let Some(v) = x.checked_mul(y)
        {
            return self.int(v);
        }
        if let Some(r) = self.int_digits(a, b, '*')? {
            return Ok(r);
        }
        self.int_big(a, b, |x, y| {
            check_bits(x.bits() + y.bits())?;
            Ok(x * y)
        })
    }
    /// `a // b` (floor division).
    pub fn int_floordiv<'a, 'b>(&self, a: &impl AsObj<'a>, b: &impl AsObj<'b>) -> Result<Obj<'_>> {
        if let Some((x, y)) = both_small(a, b) {
            if y == 0 {
                return Err(RuntimeError::ZeroDivision(DIV_ZERO));
            }
            if let Some((q, _)) = divmod_i64(x, y) {
                return self.int(q);
            }
        }
        self.int_big(a, b, |x, y| {
            if y.is_zero() {
                return Err(RuntimeError::ZeroDivision(DIV_ZERO));
            }
            Ok(x.div_floor(&y))
        })
    }
    /// `a % b` (the result has the sign of `b`).
    pub fn int_mod<'a, 'b>(&self, a: &impl AsObj<'a>, b: &impl AsObj<'b>) -> Result<Obj<'_>> {
        if let Some((x, y)) = both_small(a, b) {
            if y == 0 {
                return Err(RuntimeError::ZeroDivision(MOD_ZERO));
            }
            if let Some((_, r)) = divmod_i64(x, y) {
                return self.int(r);
            }
        }
        self.int_big(a, b, |x, y| {
            if y.is_zero() {
                return Err(RuntimeError::ZeroDivision(MOD_ZERO));
            }
            Ok(x.mod_floor(&y))
        })
    }
    /// `divmod(a, b)`: `(a // b, a % b)`.
    pub fn int_divmod<'a, 'b>(
        &self,
        a: &impl AsObj<'a>,
        b: &impl AsObj<'b>,
    ) -> Result<(Obj<'_>, Obj<'_>)> {
        if let Some((x, y)) = both_small(a, b) {
            if y == 0 {
                return Err(RuntimeError::ZeroDivision(DIV_ZERO));
            }
            if let Some((q, r)) = divmod_i64(x, y) {
                return Ok((self.int(q)?, self.int(r)?));
            }
        }
        let (x, y) = (big_of(a)?, big_of(b)?);
        if y.is_zero() {
            return Err(RuntimeError::ZeroDivision(DIV_ZERO));
        }
        let (q, r) = x.div_mod_floor(&y);
        Ok((self.int_from_bigint(&q)?, self.int_from_bigint(&r)?))
    }
    /// `a / b`: a float, correctly rounded (`bigint::true_divide`).
    pub fn int_truediv<'a, 'b>(&self, a: &impl AsObj<'a>, b: &impl AsObj<'b>) -> Result<Obj<'_>> {
        let (x, y) = (a.as_obj().int_value()?, b.as_obj().int_value()?);
        self.float(bigint::true_divide(&x, &y)?)
    }
    /// `a ** b`: an int for `b >= 0`, a float for `b < 0` (computed on floats, as CPython does;
    /// `ZeroDivisionError: 0.0 cannot be raised to a negative power`). A result beyond 2^31
    /// bits is `MemoryError`.
    pub fn int_pow<'a, 'b>(&self, a: &impl AsObj<'a>, b: &impl AsObj<'b>) -> Result<Obj<'_>> {
        let (x, y) = (a.as_obj().int_value()?, b.as_obj().int_value()?);
        if y.is_negative() {
            let (fx, fy) = (x.to_f64()?, y.to_f64()?);
            if fx == 0.0 {
                return Err(RuntimeError::ZeroDivision(
                    "0.0 cannot be raised to a negative power",
                ));
            }
            return self.float(fx.powf(fy));
        }
        if let (IntValue::Small(bx), IntValue::Small(e)) = (x, y)
            && let Ok(e) = u32::try_from(e)
            && let Some(v) = bx.checked_pow(e)
        {
            return self.int(v);
        }
        let base = x.to_bigint();
        // 0, 1 and -1 stay small whatever the exponent.
        if base.is_zero() || base.magnitude().is_one() {
            let odd = match y {
                IntValue::Small(e) => e & 1 == 1,
                IntValue::Big { digits, .. } => digits[0] & 1 == 1,
            };
            let v = if base.is_zero() {
                i64::from(y == IntValue::Small(0))
            } else if base.is_negative() && odd {
                -1
            } else {
                1
            };
            return self.int(v);
        }
        let e = y
            .to_i64()
            .and_then(|e| u32::try_from(e).ok())
            .filter(|&e| (e as u64).saturating_mul(base.bits() - 1) <= MAX_BITS)
            .ok_or(RuntimeError::OutOfMemory {
                requested: usize::MAX,
            })?;
        self.int_from_bigint(&num_traits::pow(base, e as usize))
    }
    /// `pow(a, b, m)`: modular exponentiation (a negative `b` uses the modular inverse, as
    /// Python 3.8+; `ValueError: base is not invertible for the given modulus`,
    /// `ValueError: pow() 3rd argument cannot be 0`).
    pub fn int_pow_mod<'a, 'b, 'c>(
        &self,
        a: &impl AsObj<'a>,
        b: &impl AsObj<'b>,
        m: &impl AsObj<'c>,
    ) -> Result<Obj<'_>> {
        let (mut x, y, m) = (big_of(a)?, big_of(b)?, big_of(m)?);
        if m.is_zero() {
            return Err(RuntimeError::ValueError(
                "pow() 3rd argument cannot be 0".into(),
            ));
        }
        if y.is_negative() {
            let g = x.extended_gcd(&m);
            if !g.gcd.magnitude().is_one() {
                return Err(RuntimeError::ValueError(
                    "base is not invertible for the given modulus".into(),
                ));
            }
            x = g.x;
        }
        let r = x.mod_floor(&m).modpow(&y.abs(), &m);
        self.int_from_bigint(&r)
    }
    /// `-a`.
    pub fn int_neg<'a>(&self, a: &impl AsObj<'a>) -> Result<Obj<'_>> {
        match a.as_obj().int_value()? {
            IntValue::Small(v) if v != i64::MIN => self.int(-v),
            v => self.int_from_bigint(&-v.to_bigint()),
        }
    }
    /// `abs(a)`.
    pub fn int_abs<'a>(&self, a: &impl AsObj<'a>) -> Result<Obj<'_>> {
        match a.as_obj().int_value()? {
            IntValue::Small(v) if v != i64::MIN => self.int(v.abs()),
            v => self.int_from_bigint(&v.to_bigint().abs()),
        }
    }
    /// `~a` (`-a - 1`).
    pub fn int_invert<'a>(&self, a: &impl AsObj<'a>) -> Result<Obj<'_>> {
        match a.as_obj().int_value()? {
            IntValue::Small(v) => self.int(!v),
            v => self.int_from_bigint(&(-v.to_bigint() - 1)),
        }
    }
    /// `a & b`.
    pub fn int_and<'a, 'b>(&self, a: &impl AsObj<'a>, b: &impl AsObj<'b>) -> Result<Obj<'_>> {
        match both_small(a, b) {
            Some((x, y)) => self.int(x & y),
            None => self.int_big(a, b, |x, y| Ok(x & y)),
        }
    }
    /// `a | b`.
    pub fn int_or<'a, 'b>(&self, a: &impl AsObj<'a>, b: &impl AsObj<'b>) -> Result<Obj<'_>> {
        match both_small(a, b) {
            Some((x, y)) => self.int(x | y),
            None => self.int_big(a, b, |x, y| Ok(x | y)),
        }
    }
    /// `a ^ b`.
    pub fn int_xor<'a, 'b>(&self, a: &impl AsObj<'a>, b: &impl AsObj<'b>) -> Result<Obj<'_>> {
        match both_small(a, b) {
            Some((x, y)) => self.int(x ^ y),
            None => self.int_big(a, b, |x, y| Ok(x ^ y)),
        }
    }
    /// `a << b` (`ValueError: negative shift count`; a count beyond any memory is
    /// `OverflowError: too many digits in integer`).
    pub fn int_lshift<'a, 'b>(&self, a: &impl AsObj<'a>, b: &impl AsObj<'b>) -> Result<Obj<'_>> {
        let (x, n) = (a.as_obj().int_value()?, shift_count(b)?);
        if let IntValue::Small(v) = x {
            if v == 0 {
                return self.int(0);
            }
            if n < 64 && (v << n) >> n == v {
                return self.int(v << n);
            }
        }
        let n = u64::try_from(n)
            .ok()
            .filter(|n| *n <= MAX_BITS)
            .ok_or_else(|| RuntimeError::Overflow("too many digits in integer".into()))?;
        check_bits(x.bit_length() + n)?;
        self.int_from_bigint(&(x.to_bigint() << n))
    }
    /// `a >> b` (arithmetic: rounds towards −∞; `ValueError: negative shift count`).
    pub fn int_rshift<'a, 'b>(&self, a: &impl AsObj<'a>, b: &impl AsObj<'b>) -> Result<Obj<'_>> {
        let (x, n) = (a.as_obj().int_value()?, shift_count(b)?);
        match x {
            IntValue::Small(v) => self.int(v >> n.min(63)),
            _ if n >= x.bit_length() as u128 => self.int(if x.is_negative() { -1 } else { 0 }),
            _ => self.int_from_bigint(&(x.to_bigint() >> n as u64)),
        }
    }
    /// Compare two ints (`<`, `==`, `>` all follow from the ordering).
    pub fn int_cmp<'a, 'b>(&self, a: &impl AsObj<'a>, b: &impl AsObj<'b>) -> Result<Ordering> {
        if let Some((x, y)) = both_small(a, b) {
            return Ok(x.cmp(&y));
        }
        let (x, y) = (a.as_obj().int_value()?, b.as_obj().int_value()?);
        Ok(match (x, y) {
            (IntValue::Small(x), IntValue::Small(y)) => x.cmp(&y),
            _ => x.to_bigint().cmp(&y.to_bigint()),
        })
    }
    /// Compare two numbers (ints, bools, floats in any mix), exactly (an int is never rounded
    /// to a float); `None` when a float is NaN (every comparison is then false but `!=`).
    pub fn num_cmp<'a, 'b>(
        &self,
        a: &impl AsObj<'a>,
        b: &impl AsObj<'b>,
    ) -> Result<Option<Ordering>> {
        let (a, b) = (a.as_obj(), b.as_obj());
        let is_float = |o: &Obj<'_>| o.kind() == Kind::Float;
        Ok(match (is_float(a), is_float(b)) {
            (true, true) => a.as_float()?.partial_cmp(&b.as_float()?),
            (false, true) => bigint::cmp_int_float(&a.int_value()?, b.as_float()?),
            (true, false) => {
                bigint::cmp_int_float(&b.int_value()?, a.as_float()?).map(|o| o.reverse())
            }
            (false, false) => Some(self.int_cmp(a, b)?),
        })
    }
    /// `str(n)` of an int (bools give their digits): `ValueError` beyond 4300 digits, as
    /// CPython 3.11's default `sys.set_int_max_str_digits`.
    pub fn int_str<'a>(&self, a: &impl AsObj<'a>) -> Result<String> {
        bigint::to_decimal(&a.as_obj().int_value()?)
    }
    /// `int(f)` of a float: truncation towards zero, any size (`ValueError: cannot convert
    /// float NaN to integer`, `OverflowError: cannot convert float infinity to integer`).
    pub fn int_from_f64(&self, f: f64) -> Result<Obj<'_>> {
        if f.is_nan() {
            return Err(RuntimeError::ValueError(
                "cannot convert float NaN to integer".into(),
            ));
        }
        if f.is_infinite() {
            return Err(RuntimeError::Overflow(
                "cannot convert float infinity to integer".into(),
            ));
        }
        let t = f.trunc();
        if t.abs() < 9.0e18 {
            return self.int(t as i64);
        }
        let big = <BigInt as num_traits::FromPrimitive>::from_f64(t).expect("finite float");
        self.int_from_bigint(&big)
    }
    /// `int(s, base)` (`base` 0 or 2..=36; the syntax of CPython's `int()`).
    pub fn int_from_str(&self, s: &str, base: u32) -> Result<Obj<'_>> {
        self.int_from_bigint(&bigint::parse(s, base)?)
    }
}

/// A shift count: `ValueError` when negative; huge counts saturate.
fn shift_count<'b>(b: &impl AsObj<'b>) -> Result<u128> {
    let n = b.as_obj().int_value()?;
    if n.is_negative() {
        return Err(RuntimeError::ValueError("negative shift count".into()));
    }
    Ok(match n {
        IntValue::Small(v) => v as u128,
        IntValue::Big { .. } => n.to_bigint().to_u128().unwrap_or(u128::MAX),
    })
}
