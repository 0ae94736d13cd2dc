//! Methods and data attributes of `int`, `bool` and `float` (`n.bit_length()`,
//! `x.as_integer_ratio()`, `n.numerator`, ...), on the runtime's arbitrary-size ints.
//!
//! ```text
//!   2.5 = 0b101 · 2^-1  ──as_integer_ratio──▶ (5, 2)     mantissa m (53 bits) · 2^e, trailing
//!   1e300 = m · 2^944   ──▶ (m << 944, 1)                zeros of m moved into e first
//! ```

use super::conversions::int_to_bytes;
use crate::vm::{Args, Ctx, ExcTy, PyResult, Ty, err};
use pyheap_runtime::{IntValue, Obj};

/// Methods of int and bool.
pub const INT: super::Table = table! {
    "bit_length" => int_bit_length, "bit_count" => int_bit_count,
    "__index__" => int_index, "__int__" => int_index, "conjugate" => int_index,
    "as_integer_ratio" => int_ratio, "to_bytes" => int_to_bytes,
};

/// Methods of float.
pub const FLOAT: super::Table = table! {
    "is_integer" => float_is_integer, "as_integer_ratio" => float_ratio,
    "conjugate" => float_self, "hex" => float_hex,
};

/// Data attributes: `real`, `imag`, `numerator`, `denominator`.
pub fn attribute<'h>(
    ctx: &Ctx<'h>,
    t: Ty,
    o: &Obj<'h>,
    name: &str,
) -> PyResult<'h, Option<Obj<'h>>> {
    Ok(match (t, name) {
        (Ty::Int | Ty::Bool, "real" | "numerator") => Some(as_plain_int(ctx, o)?),
        (Ty::Int | Ty::Bool, "imag") => Some(ctx.int(0)?),
        (Ty::Int | Ty::Bool, "denominator") => Some(ctx.int(1)?),
        (Ty::Float, "real") => Some(o.clone()),
        (Ty::Float, "imag") => Some(ctx.heap.float(0.0)?),
        _ => None,
    })
}

/// An int for a bool (`True.real` is `1`), the object itself for an int.
fn as_plain_int<'h>(ctx: &Ctx<'h>, o: &Obj<'h>) -> PyResult<'h> {
    if o.kind() == pyheap_runtime::Kind::Bool {
        return ctx.int(o.as_int()?);
    }
    Ok(o.clone())
}

fn this<'a, 'h>(a: &Args<'a, 'h>) -> &'a Obj<'h> {
    &a.pos[0]
}

fn int_bit_length<'h>(ctx: &Ctx<'h>, a: Args<'_, 'h>) -> PyResult<'h> {
    a.check("bit_length", 1, 1)?;
    ctx.int(this(&a).int_value()?.bit_length() as i64)
}

fn int_bit_count<'h>(ctx: &Ctx<'h>, a: Args<'_, 'h>) -> PyResult<'h> {
    a.check("bit_count", 1, 1)?;
    let n = match this(&a).int_value()? {
        IntValue::Small(v) => v.unsigned_abs().count_ones() as i64,
        IntValue::Big { digits, .. } => digits.iter().map(|d| d.count_ones() as i64).sum(),
    };
    ctx.int(n)
}

fn int_index<'h>(ctx: &Ctx<'h>, a: Args<'_, 'h>) -> PyResult<'h> {
    as_plain_int(ctx, this(&a))
}

fn int_ratio<'h>(ctx: &Ctx<'h>, a: Args<'_, 'h>) -> PyResult<'h> {
    let n = as_plain_int(ctx, this(&a))?;
    Ok(ctx.heap.tuple(&[n, ctx.int(1)?])?.into_obj())
}

fn float_is_integer<'h>(ctx: &Ctx<'h>, a: Args<'_, 'h>) -> PyResult<'h> {
    let f = this(&a).as_float()?;
    Ok(ctx.bool(f.is_finite() && f.fract() == 0.0))
}

fn float_self<'h>(_: &Ctx<'h>, a: Args<'_, 'h>) -> PyResult<'h> {
    Ok(this(&a).clone())
}

/// A finite float as `(negative, m, e)` with `|f| = m · 2^e` and `m` odd (or zero).
fn decompose(f: f64) -> (bool, u64, i64) {
    let bits = f.to_bits();
    let exp = ((bits >> 52) & 0x7ff) as i64;
    let frac = bits & ((1 << 52) - 1);
    let (mut m, mut e) = if exp == 0 {
        (frac, -1074)
    } else {
        (frac | (1 << 52), exp - 1075)
    };
    if m != 0 {
        let tz = m.trailing_zeros();
        m >>= tz;
        e += tz as i64;
    }
    (f.is_sign_negative(), m, e)
}

fn float_ratio<'h>(ctx: &Ctx<'h>, a: Args<'_, 'h>) -> PyResult<'h> {
    let f = this(&a).as_float()?;
    if f.is_nan() {
        return err(ExcTy::ValueError, "cannot convert NaN to integer ratio");
    }
    if f.is_infinite() {
        return err(
            ExcTy::OverflowError,
            "cannot convert Infinity to integer ratio",
        );
    }
    let (neg, m, e) = decompose(f);
    let h = ctx.heap;
    let m = h.int(if neg { -(m as i64) } else { m as i64 })?;
    let (num, den) = if e >= 0 {
        (h.int_lshift(&m, &h.int(e)?)?, h.int(1)?)
    } else {
        (m, h.int_lshift(&h.int(1)?, &h.int(-e)?)?)
    };
    Ok(h.tuple(&[num, den])?.into_obj())
}

/// `float.hex()`: `[-]0x1.<13 hex digits>p<exp>` (CPython's `float_hex`).
fn float_hex<'h>(ctx: &Ctx<'h>, a: Args<'_, 'h>) -> PyResult<'h> {
    let f = this(&a).as_float()?;
    if f.is_nan() || f.is_infinite() {
        return ctx.str(&crate::vm::repr::float_repr(f));
    }
    let sign = if f.is_sign_negative() { "-" } else { "" };
    if f == 0.0 {
        return ctx.str(&format!("{sign}0x0.0p+0"));
    }
    let bits = f.to_bits();
    let exp = ((bits >> 52) & 0x7ff) as i64;
    let frac = bits & ((1 << 52) - 1);
    let (lead, e) = if exp == 0 {
        (0, -1022)
    } else {
        (1, exp - 1023)
    };
    let digits = format!("{frac:013x}");
    let es = if e >= 0 {
        format!("+{e}")
    } else {
        e.to_string()
    };
    ctx.str(&format!("{sign}0x{lead}.{digits}p{es}"))
}
