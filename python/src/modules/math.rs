//! `math`: the constants, the float functions (the platform libm, as CPython uses) with
//! CPython's error rules, and the exact integer functions on the runtime's ints.
//!
//! ```text
//!   float functions:  argument → f64 (int, bool, float, __float__) → libm → check → float
//!                     NaN out of a non-NaN input  → ValueError("math domain error")
//!                     inf out of a finite input   → OverflowError("math range error")
//!   int functions:    gcd lcm factorial isqrt comb perm on BigInt, stored back inline when small
//!   floor/ceil/trunc: floats → int; ints pass through
//! ```

use crate::vm::number::{Num, num};
use crate::vm::{Args, Ctx, ExcTy, PyResult, err};
use num_bigint::BigInt;
use num_integer::Integer;
use num_traits::{One, Signed, Zero};
use pyheap_runtime::{Kind, Obj};

pub fn make<'h>(ctx: &Ctx<'h>) -> PyResult<'h> {
    let m = ctx.new_module(
        "math",
        &[
            ("sqrt", sqrt),
            ("exp", exp),
            ("expm1", expm1),
            ("log", log),
            ("log2", log2),
            ("log10", log10),
            ("log1p", log1p),
            ("sin", sin),
            ("cos", cos),
            ("tan", tan),
            ("asin", asin),
            ("acos", acos),
            ("atan", atan),
            ("sinh", sinh),
            ("cosh", cosh),
            ("tanh", tanh),
            ("asinh", asinh),
            ("acosh", acosh),
            ("atanh", atanh),
            ("cbrt", cbrt),
            ("exp2", exp2),
            ("dist", dist),
            ("nextafter", nextafter),
            ("ulp", ulp),
            ("erf", erf),
            ("erfc", erfc),
            ("gamma", gamma),
            ("lgamma", lgamma),
            ("remainder", remainder),
            ("atan2", atan2),
            ("pow", pow),
            ("fabs", fabs),
            ("fmod", fmod),
            ("copysign", copysign),
            ("hypot", hypot),
            ("degrees", degrees),
            ("radians", radians),
            ("isnan", isnan),
            ("isinf", isinf),
            ("isfinite", isfinite),
            ("isclose", isclose),
            ("fsum", fsum),
            ("prod", prod),
            ("floor", floor),
            ("ceil", ceil),
            ("trunc", trunc),
            ("modf", modf),
            ("frexp", frexp),
            ("ldexp", ldexp),
            ("gcd", gcd),
            ("lcm", lcm),
            ("factorial", factorial),
            ("isqrt", isqrt),
            ("comb", comb),
            ("perm", perm),
        ],
    )?;
    for (name, v) in [
        ("pi", std::f64::consts::PI),
        ("e", std::f64::consts::E),
        ("tau", std::f64::consts::TAU),
        ("inf", f64::INFINITY),
        ("nan", f64::NAN),
    ] {
        ctx.module_set(&m, name, &ctx.heap.float(v)?)?;
    }
    Ok(m)
}

/// A real-number argument as f64 (CPython's `PyFloat_AsDouble`).
fn real<'h>(ctx: &Ctx<'h>, o: &Obj<'h>) -> PyResult<'h, f64> {
    match num(o) {
        Some(Num::F(f)) => Ok(f),
        Some(Num::I(i)) => Ok(i as f64),
        Some(Num::Big) => Ok(o.int_value()?.to_f64()?),
        None => match ctx.call_special(o, "__float__", &[]) {
            Some(r) => Ok(r?.as_float()?),
            None => err(
                ExcTy::TypeError,
                format!("must be real number, not {}", ctx.type_name(o)),
            ),
        },
    }
}

fn domain<'h, T>() -> PyResult<'h, T> {
    err(ExcTy::ValueError, "math domain error")
}

/// CPython's `math_1` error rule for a libm result `r` of input `x`.
fn checked<'h>(ctx: &Ctx<'h>, x: f64, r: f64, can_overflow: bool) -> PyResult<'h> {
    if r.is_nan() && !x.is_nan() {
        return domain();
    }
    if r.is_infinite() && x.is_finite() {
        return if can_overflow {
            err(ExcTy::OverflowError, "math range error")
        } else {
            domain()
        };
    }
    Ok(ctx.heap.float(r)?)
}

fn one_arg<'h>(ctx: &Ctx<'h>, a: &Args<'_, 'h>, name: &str) -> PyResult<'h, f64> {
    a.check(name, 1, 1)?;
    real(ctx, &a.pos[0])
}

macro_rules! float_fns {
    ($($name:ident => $f:expr, $overflow:expr;)*) => {$(
        fn $name<'h>(ctx: &Ctx<'h>, a: Args<'_, 'h>) -> PyResult<'h> {
            let x = one_arg(ctx, &a, stringify!($name))?;
            let f: fn(f64) -> f64 = $f;
            checked(ctx, x, f(x), $overflow)
        }
    )*};
}

float_fns! {
    exp => f64::exp, true;
    expm1 => f64::exp_m1, true;
    sin => f64::sin, false;
    cos => f64::cos, false;
    tan => f64::tan, false;
    asin => f64::asin, false;
    acos => f64::acos, false;
    atan => f64::atan, false;
    sinh => f64::sinh, true;
    cosh => f64::cosh, true;
    tanh => f64::tanh, false;
    asinh => super::libm::asinh, false;
    acosh => super::libm::acosh, false;
    atanh => super::libm::atanh, false;
    cbrt => super::libm::cbrt, false;
    exp2 => super::libm::exp2, true;
    erf => super::libm::erf, false;
    erfc => super::libm::erfc, false;
    fabs => f64::abs, false;
    degrees => f64::to_degrees, true;
    radians => f64::to_radians, false;
}

/// Whether `x` is a pole of Γ: zero or a negative integer.
fn gamma_pole(x: f64) -> bool {
    x.is_finite() && x <= 0.0 && x == x.floor()
}

/// `math.gamma(x)`: Γ(x); exact factorials for the integers 1..=23; a pole (0, a negative
/// integer) or -inf is a domain error, a finite overflow a range error.
fn gamma<'h>(ctx: &Ctx<'h>, a: Args<'_, 'h>) -> PyResult<'h> {
    let x = one_arg(ctx, &a, "gamma")?;
    if gamma_pole(x) || x == f64::NEG_INFINITY {
        return domain();
    }
    if x == x.floor() && (1.0..=23.0).contains(&x) {
        let f: f64 = (1..x as u64).map(|k| k as f64).product();
        return Ok(ctx.heap.float(f)?);
    }
    checked(ctx, x, super::libm::tgamma(x), true)
}

/// `math.lgamma(x)`: ln |Γ(x)|; a pole is a domain error, +-inf give inf.
fn lgamma<'h>(ctx: &Ctx<'h>, a: Args<'_, 'h>) -> PyResult<'h> {
    let x = one_arg(ctx, &a, "lgamma")?;
    if gamma_pole(x) {
        return domain();
    }
    if x == 1.0 || x == 2.0 {
        return Ok(ctx.heap.float(0.0)?);
    }
    checked(ctx, x, super::libm::lgamma(x), true)
}

fn sqrt<'h>(ctx: &Ctx<'h>, a: Args<'_, 'h>) -> PyResult<'h> {
    let x = one_arg(ctx, &a, "sqrt")?;
    if x < 0.0 {
        return domain();
    }
    Ok(ctx.heap.float(x.sqrt())?)
}

/// The natural log of an int or float argument; ints too large for a float use their bit
/// length as CPython's `loghelper` does.
fn ln<'h>(ctx: &Ctx<'h>, o: &Obj<'h>) -> PyResult<'h, f64> {
    if o.kind() == Kind::Int && o.as_int().is_err() {
        let v = o.int_value()?.to_bigint();
        if v.is_negative() {
            return domain();
        }
        let bits = v.bits();
        let shifted: BigInt = &v >> (bits.saturating_sub(60));
        let m = i64::try_from(&shifted).unwrap_or(i64::MAX) as f64;
        return Ok(m.ln() + (bits.saturating_sub(60)) as f64 * std::f64::consts::LN_2);
    }
    let x = real(ctx, o)?;
    if x <= 0.0 || x.is_nan() {
        if x.is_nan() {
            return Ok(x);
        }
        return domain();
    }
    Ok(x.ln())
}

fn log<'h>(ctx: &Ctx<'h>, a: Args<'_, 'h>) -> PyResult<'h> {
    a.check("log", 1, 2)?;
    let num = ln(ctx, &a.pos[0])?;
    match a.get(1) {
        None => Ok(ctx.heap.float(num)?),
        Some(b) => {
            let den = ln(ctx, b)?;
            if den == 0.0 {
                return err(ExcTy::ZeroDivisionError, "float division by zero");
            }
            Ok(ctx.heap.float(num / den)?)
        }
    }
}

fn log_with<'h>(ctx: &Ctx<'h>, a: &Args<'_, 'h>, name: &str, f: fn(f64) -> f64) -> PyResult<'h> {
    a.check(name, 1, 1)?;
    let o = &a.pos[0];
    if o.kind() == Kind::Int && o.as_int().is_err() {
        let l = ln(ctx, o)?;
        return Ok(ctx.heap.float(f(std::f64::consts::E) * l)?);
    }
    let x = real(ctx, o)?;
    if x <= 0.0 {
        return domain();
    }
    Ok(ctx.heap.float(f(x))?)
}

fn log2<'h>(ctx: &Ctx<'h>, a: Args<'_, 'h>) -> PyResult<'h> {
    log_with(ctx, &a, "log2", f64::log2)
}
fn log10<'h>(ctx: &Ctx<'h>, a: Args<'_, 'h>) -> PyResult<'h> {
    log_with(ctx, &a, "log10", f64::log10)
}
fn log1p<'h>(ctx: &Ctx<'h>, a: Args<'_, 'h>) -> PyResult<'h> {
    let x = one_arg(ctx, &a, "log1p")?;
    if x <= -1.0 {
        return domain();
    }
    Ok(ctx.heap.float(x.ln_1p())?)
}

fn two<'h>(ctx: &Ctx<'h>, a: &Args<'_, 'h>, name: &str) -> PyResult<'h, (f64, f64)> {
    a.check(name, 2, 2)?;
    Ok((real(ctx, &a.pos[0])?, real(ctx, &a.pos[1])?))
}

fn atan2<'h>(ctx: &Ctx<'h>, a: Args<'_, 'h>) -> PyResult<'h> {
    let (y, x) = two(ctx, &a, "atan2")?;
    Ok(ctx.heap.float(y.atan2(x))?)
}

fn copysign<'h>(ctx: &Ctx<'h>, a: Args<'_, 'h>) -> PyResult<'h> {
    let (x, y) = two(ctx, &a, "copysign")?;
    Ok(ctx.heap.float(x.copysign(y))?)
}

fn fmod<'h>(ctx: &Ctx<'h>, a: Args<'_, 'h>) -> PyResult<'h> {
    let (x, y) = two(ctx, &a, "fmod")?;
    if y.is_infinite() && x.is_finite() {
        return Ok(ctx.heap.float(x)?);
    }
    let r = x % y;
    if r.is_nan() && !x.is_nan() && !y.is_nan() {
        return domain();
    }
    Ok(ctx.heap.float(r)?)
}

/// CPython's `math.pow`: C99 `pow` plus its error rules (never a complex result).
fn pow<'h>(ctx: &Ctx<'h>, a: Args<'_, 'h>) -> PyResult<'h> {
    let (x, y) = two(ctx, &a, "pow")?;
    let r = x.powf(y);
    if x.is_finite() && y.is_finite() {
        if r.is_nan() || (x == 0.0 && y < 0.0) {
            return domain();
        }
        if r.is_infinite() {
            return err(ExcTy::OverflowError, "math range error");
        }
    }
    Ok(ctx.heap.float(r)?)
}

/// `dist(p, q)`: the Euclidean distance of two points given as sequences of one length.
fn dist<'h>(ctx: &Ctx<'h>, a: Args<'_, 'h>) -> PyResult<'h> {
    a.check("dist", 2, 2)?;
    let point = |o: &Obj<'h>| -> PyResult<'h, Vec<f64>> {
        ctx.collect(o)?.iter().map(|x| real(ctx, x)).collect()
    };
    let (p, q) = (point(&a.pos[0])?, point(&a.pos[1])?);
    if p.len() != q.len() {
        return err(
            ExcTy::ValueError,
            "both points must have the same number of dimensions",
        );
    }
    let diffs: Vec<f64> = p.iter().zip(&q).map(|(x, y)| (x - y).abs()).collect();
    if diffs.iter().any(|d| d.is_infinite()) {
        return Ok(ctx.heap.float(f64::INFINITY)?);
    }
    Ok(ctx.heap.float(vector_norm(&diffs))?)
}

/// `remainder(x, y)`: IEEE 754's, with CPython's domain errors (`y` zero or `x` infinite,
/// neither NaN).
fn remainder<'h>(ctx: &Ctx<'h>, a: Args<'_, 'h>) -> PyResult<'h> {
    let (x, y) = two(ctx, &a, "remainder")?;
    if !x.is_nan() && !y.is_nan() && (x.is_infinite() || y == 0.0) {
        return domain();
    }
    Ok(ctx.heap.float(super::libm::remainder(x, y))?)
}

/// The next float after `x` towards `y` (IEEE 754 `nextafter`).
fn next_toward(x: f64, y: f64) -> f64 {
    if x.is_nan() || y.is_nan() {
        return f64::NAN;
    }
    if x == y {
        return y;
    }
    if x == 0.0 {
        return f64::from_bits(1).copysign(y);
    }
    let bits = x.to_bits();
    // Away from zero when moving in x's direction of sign, else towards it.
    let away = (y > x) == (x > 0.0);
    f64::from_bits(if away { bits + 1 } else { bits - 1 })
}

fn nextafter<'h>(ctx: &Ctx<'h>, a: Args<'_, 'h>) -> PyResult<'h> {
    let (x, y) = two(ctx, &a, "nextafter")?;
    Ok(ctx.heap.float(next_toward(x, y))?)
}

/// `ulp(x)`: the gap between `|x|` and the next float away from zero (the last gap below it
/// for the largest float).
fn ulp<'h>(ctx: &Ctx<'h>, a: Args<'_, 'h>) -> PyResult<'h> {
    let x = one_arg(ctx, &a, "ulp")?.abs();
    let r = if x.is_nan() || x.is_infinite() {
        x
    } else if x == f64::MAX {
        x - next_toward(x, 0.0)
    } else {
        next_toward(x, f64::INFINITY) - x
    };
    Ok(ctx.heap.float(r)?)
}

fn hypot<'h>(ctx: &Ctx<'h>, a: Args<'_, 'h>) -> PyResult<'h> {
    let xs: Vec<f64> = a
        .pos
        .iter()
        .map(|o| real(ctx, o).map(f64::abs))
        .collect::<PyResult<'h, _>>()?;
    if xs.iter().any(|x| x.is_infinite()) {
        return Ok(ctx.heap.float(f64::INFINITY)?);
    }
    Ok(ctx.heap.float(vector_norm(&xs))?)
}

/// The Euclidean norm of non-negative finite-or-NaN values, nearly correctly rounded as
/// CPython's `vector_norm`: values scaled by the largest, squares summed in double-double
/// (exact products by fused multiply-add), then one Newton correction of the square root.
fn vector_norm(xs: &[f64]) -> f64 {
    let max = xs.iter().cloned().fold(0.0, f64::max);
    if xs.iter().any(|x| x.is_nan()) {
        return f64::NAN;
    }
    if max == 0.0 || xs.len() == 1 {
        return max;
    }
    let scale = 2f64.powi(-(max.log2().floor() as i32));
    let (mut hi, mut lo) = (0.0f64, 0.0f64);
    for &x in xs {
        let y = x * scale;
        let sq = y * y;
        let sq_err = y.mul_add(y, -sq);
        let t = hi + sq;
        lo += if hi.abs() >= sq.abs() {
            (hi - t) + sq
        } else {
            (sq - t) + hi
        } + sq_err;
        hi = t;
    }
    let total = hi + lo;
    let lo = lo - (total - hi);
    let h = total.sqrt();
    let residual = (-h).mul_add(h, total) + lo;
    (h + residual / (2.0 * h)) / scale
}

fn float_pred<'h>(ctx: &Ctx<'h>, a: &Args<'_, 'h>, name: &str, p: fn(f64) -> bool) -> PyResult<'h> {
    let x = one_arg(ctx, a, name)?;
    Ok(ctx.bool(p(x)))
}
fn isnan<'h>(ctx: &Ctx<'h>, a: Args<'_, 'h>) -> PyResult<'h> {
    float_pred(ctx, &a, "isnan", f64::is_nan)
}
fn isinf<'h>(ctx: &Ctx<'h>, a: Args<'_, 'h>) -> PyResult<'h> {
    float_pred(ctx, &a, "isinf", f64::is_infinite)
}
fn isfinite<'h>(ctx: &Ctx<'h>, a: Args<'_, 'h>) -> PyResult<'h> {
    float_pred(ctx, &a, "isfinite", f64::is_finite)
}

fn isclose<'h>(ctx: &Ctx<'h>, a: Args<'_, 'h>) -> PyResult<'h> {
    a.check("isclose", 2, 2)?;
    let (x, y) = (real(ctx, &a.pos[0])?, real(ctx, &a.pos[1])?);
    let tol = |name: &str, default: f64| -> PyResult<'h, f64> {
        a.kwarg(name).map_or(Ok(default), |v| real(ctx, v))
    };
    let (rel, abs) = (tol("rel_tol", 1e-9)?, tol("abs_tol", 0.0)?);
    if rel < 0.0 || abs < 0.0 {
        return err(ExcTy::ValueError, "tolerances must be non-negative");
    }
    if x == y {
        return Ok(ctx.bool(true));
    }
    if x.is_infinite() || y.is_infinite() {
        return Ok(ctx.bool(false));
    }
    let d = (y - x).abs();
    Ok(ctx.bool(d <= (rel * y).abs() || d <= (rel * x).abs() || d <= abs))
}

/// Exact sum of floats: Shewchuk's non-overlapping partials, then the correctly rounded
/// total (the last partial's half-way case rounded as the exact sum says).
fn fsum<'h>(ctx: &Ctx<'h>, a: Args<'_, 'h>) -> PyResult<'h> {
    a.check("fsum", 1, 1)?;
    let items = ctx.collect(&a.pos[0])?;
    let mut partials: Vec<f64> = vec![];
    let mut special = 0.0f64;
    let mut inf_sum = 0.0f64;
    for o in &items {
        let mut x = real(ctx, o)?;
        if !x.is_finite() {
            if x.is_infinite() {
                inf_sum += x;
            }
            special += x;
            continue;
        }
        let mut kept = 0;
        for i in 0..partials.len() {
            let mut y = partials[i];
            if x.abs() < y.abs() {
                std::mem::swap(&mut x, &mut y);
            }
            let hi = x + y;
            let lo = y - (hi - x);
            if lo != 0.0 {
                partials[kept] = lo;
                kept += 1;
            }
            x = hi;
        }
        partials.truncate(kept);
        if x.is_infinite() {
            return err(ExcTy::OverflowError, "intermediate overflow in fsum");
        }
        partials.push(x);
    }
    if special != 0.0 || special.is_nan() {
        if inf_sum.is_nan() {
            return err(ExcTy::ValueError, "-inf + inf in fsum");
        }
        return Ok(ctx.heap.float(special)?);
    }
    let mut hi = 0.0;
    if let Some(mut n) = partials.len().checked_sub(1) {
        hi = partials[n];
        let mut lo = 0.0;
        while n > 0 {
            let x = hi;
            n -= 1;
            let y = partials[n];
            hi = x + y;
            let yr = hi - x;
            lo = y - yr;
            if lo != 0.0 {
                break;
            }
        }
        if n > 0 && ((lo < 0.0 && partials[n - 1] < 0.0) || (lo > 0.0 && partials[n - 1] > 0.0)) {
            let y = lo * 2.0;
            let x = hi + y;
            if y == x - hi {
                hi = x;
            }
        }
    }
    Ok(ctx.heap.float(hi)?)
}

fn prod<'h>(ctx: &Ctx<'h>, a: Args<'_, 'h>) -> PyResult<'h> {
    a.check("prod", 1, 1)?;
    let mut acc = match a.kwarg("start") {
        Some(s) => s.clone(),
        None => ctx.int(1)?,
    };
    for o in ctx.collect(&a.pos[0])? {
        acc = ctx.binary(crate::bytecode::BinOp::Mul, &acc, &o)?;
    }
    Ok(acc)
}

/// floor/ceil/trunc: an int stays itself; a float is rounded and converted.
fn to_integral<'h>(
    ctx: &Ctx<'h>,
    a: &Args<'_, 'h>,
    name: &str,
    dunder: &str,
    f: fn(f64) -> f64,
) -> PyResult<'h> {
    a.check(name, 1, 1)?;
    let o = &a.pos[0];
    match o.kind() {
        Kind::Int => return Ok(o.clone()),
        Kind::Bool => return ctx.int(o.as_int()?),
        Kind::Float => return ctx.float_to_int(f(o.as_float()?)),
        _ => {}
    }
    if let Some(r) = ctx.call_special(o, dunder, &[]) {
        return r;
    }
    let x = real(ctx, o)?;
    ctx.float_to_int(f(x))
}

fn floor<'h>(ctx: &Ctx<'h>, a: Args<'_, 'h>) -> PyResult<'h> {
    to_integral(ctx, &a, "floor", "__floor__", f64::floor)
}
fn ceil<'h>(ctx: &Ctx<'h>, a: Args<'_, 'h>) -> PyResult<'h> {
    to_integral(ctx, &a, "ceil", "__ceil__", f64::ceil)
}
fn trunc<'h>(ctx: &Ctx<'h>, a: Args<'_, 'h>) -> PyResult<'h> {
    a.check("trunc", 1, 1)?;
    if !matches!(a.pos[0].kind(), Kind::Int | Kind::Bool | Kind::Float)
        && ctx.lookup_special(&a.pos[0], "__trunc__").is_none()
    {
        return err(
            ExcTy::TypeError,
            format!(
                "type {} doesn't define __trunc__ method",
                ctx.type_name(&a.pos[0])
            ),
        );
    }
    to_integral(ctx, &a, "trunc", "__trunc__", f64::trunc)
}

fn modf<'h>(ctx: &Ctx<'h>, a: Args<'_, 'h>) -> PyResult<'h> {
    let x = one_arg(ctx, &a, "modf")?;
    let (fr, int) = if x.is_infinite() {
        (0.0f64.copysign(x), x)
    } else {
        (x.fract(), x.trunc())
    };
    let t = [ctx.heap.float(fr)?, ctx.heap.float(int)?];
    Ok(ctx.heap.tuple(&t)?.into_obj())
}

fn frexp<'h>(ctx: &Ctx<'h>, a: Args<'_, 'h>) -> PyResult<'h> {
    let x = one_arg(ctx, &a, "frexp")?;
    let (m, e) = if x == 0.0 || !x.is_finite() {
        (x, 0)
    } else {
        let bits = x.to_bits();
        let raw = ((bits >> 52) & 0x7ff) as i64;
        if raw == 0 {
            // Subnormal: scale into the normal range first.
            let y = x * 2f64.powi(54);
            let raw = ((y.to_bits() >> 52) & 0x7ff) as i64;
            let m = f64::from_bits((y.to_bits() & !(0x7ff << 52)) | (1022 << 52));
            (m, raw - 1022 - 54)
        } else {
            let m = f64::from_bits((bits & !(0x7ff << 52)) | (1022 << 52));
            (m, raw - 1022)
        }
    };
    let t = [ctx.heap.float(m)?, ctx.int(e)?];
    Ok(ctx.heap.tuple(&t)?.into_obj())
}

fn ldexp<'h>(ctx: &Ctx<'h>, a: Args<'_, 'h>) -> PyResult<'h> {
    a.check("ldexp", 2, 2)?;
    let x = real(ctx, &a.pos[0])?;
    if !matches!(a.pos[1].kind(), Kind::Int | Kind::Bool) {
        return err(
            ExcTy::TypeError,
            "Expected an int as second argument to ldexp.",
        );
    }
    let e = a.pos[1].as_int().unwrap_or(i64::MAX).clamp(-5000, 5000) as i32;
    let mut r = x;
    // Apply in steps so the intermediate powers of two stay finite.
    let mut left = e;
    while left != 0 {
        let step = left.clamp(-1000, 1000);
        r *= 2f64.powi(step);
        left -= step;
    }
    if r.is_infinite() && x.is_finite() {
        return err(ExcTy::OverflowError, "math range error");
    }
    Ok(ctx.heap.float(r)?)
}

/// An integer argument as a BigInt (CPython's `operator.index`).
fn big<'h>(ctx: &Ctx<'h>, o: &Obj<'h>) -> PyResult<'h, BigInt> {
    match o.kind() {
        Kind::Int | Kind::Bool => Ok(o.int_value()?.to_bigint()),
        _ => err(
            ExcTy::TypeError,
            format!(
                "'{}' object cannot be interpreted as an integer",
                ctx.type_name(o)
            ),
        ),
    }
}

fn int_obj<'h>(ctx: &Ctx<'h>, v: &BigInt) -> PyResult<'h> {
    Ok(ctx.heap.int_from_bigint(v)?)
}

fn gcd<'h>(ctx: &Ctx<'h>, a: Args<'_, 'h>) -> PyResult<'h> {
    let mut g = BigInt::zero();
    for o in a.pos {
        g = g.gcd(&big(ctx, o)?);
    }
    int_obj(ctx, &g)
}

fn lcm<'h>(ctx: &Ctx<'h>, a: Args<'_, 'h>) -> PyResult<'h> {
    let mut l = BigInt::one();
    for o in a.pos {
        let v = big(ctx, o)?;
        if v.is_zero() || l.is_zero() {
            l = BigInt::zero();
        } else {
            l = l.lcm(&v);
        }
    }
    int_obj(ctx, &l)
}

fn factorial<'h>(ctx: &Ctx<'h>, a: Args<'_, 'h>) -> PyResult<'h> {
    a.check("factorial", 1, 1)?;
    let n = big(ctx, &a.pos[0])?;
    if n.is_negative() {
        return err(
            ExcTy::ValueError,
            "factorial() not defined for negative values",
        );
    }
    let n = u64::try_from(&n).map_err(|_| {
        crate::vm::Raise::New(
            ExcTy::OverflowError,
            "factorial() argument should not exceed 9223372036854775807".into(),
        )
    })?;
    let mut acc = BigInt::one();
    for i in 2..=n {
        acc *= i;
    }
    int_obj(ctx, &acc)
}

fn isqrt<'h>(ctx: &Ctx<'h>, a: Args<'_, 'h>) -> PyResult<'h> {
    a.check("isqrt", 1, 1)?;
    let n = big(ctx, &a.pos[0])?;
    if n.is_negative() {
        return err(ExcTy::ValueError, "isqrt() argument must be nonnegative");
    }
    int_obj(ctx, &n.sqrt())
}

/// The two non-negative arguments of comb/perm.
fn n_k<'h>(ctx: &Ctx<'h>, n: &Obj<'h>, k: &Obj<'h>) -> PyResult<'h, (BigInt, BigInt)> {
    let (n, k) = (big(ctx, n)?, big(ctx, k)?);
    if n.is_negative() {
        return err(ExcTy::ValueError, "n must be a non-negative integer");
    }
    if k.is_negative() {
        return err(ExcTy::ValueError, "k must be a non-negative integer");
    }
    Ok((n, k))
}

/// n·(n−1)···(n−k+1).
fn falling(n: &BigInt, k: u64) -> BigInt {
    let mut acc = BigInt::one();
    let mut f = n.clone();
    for _ in 0..k {
        acc *= &f;
        f -= 1;
    }
    acc
}

fn comb<'h>(ctx: &Ctx<'h>, a: Args<'_, 'h>) -> PyResult<'h> {
    a.check("comb", 2, 2)?;
    let (n, k) = n_k(ctx, &a.pos[0], &a.pos[1])?;
    if k > n {
        return ctx.int(0);
    }
    let k = std::cmp::min(k.clone(), &n - &k);
    let k = u64::try_from(&k)
        .map_err(|_| crate::vm::Raise::New(ExcTy::OverflowError, "k too large".into()))?;
    let mut acc = BigInt::one();
    for i in 0..k {
        acc = acc * (&n - i) / (i + 1);
    }
    int_obj(ctx, &acc)
}

fn perm<'h>(ctx: &Ctx<'h>, a: Args<'_, 'h>) -> PyResult<'h> {
    a.check("perm", 1, 2)?;
    let (n, k) = match a.get(1).filter(|k| !k.is_none()) {
        Some(k) => n_k(ctx, &a.pos[0], k)?,
        None => {
            let n = n_k(ctx, &a.pos[0], &a.pos[0])?.0;
            (n.clone(), n)
        }
    };
    if k > n {
        return ctx.int(0);
    }
    let k = u64::try_from(&k)
        .map_err(|_| crate::vm::Raise::New(ExcTy::OverflowError, "k too large".into()))?;
    int_obj(ctx, &falling(&n, k))
}
