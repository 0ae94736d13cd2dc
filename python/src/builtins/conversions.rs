//! Conversions between built-in values and their encodings: `int.to_bytes` / `int.from_bytes`,
//! `float.fromhex`, and `str.maketrans` / `str.translate` (a table of code points).
//!
//! ```text
//!   (1024).to_bytes(2, 'big')        ──▶ b'\x04\x00'     int.from_bytes(b'\xff', signed=True) ──▶ -1
//!   float.fromhex('0x1.8p1')         ──▶ 3.0              (exactly rounded, half to even)
//!   'abc'.translate(str.maketrans('ab', 'xy', 'c')) ──▶ 'xy'
//! ```
//!
//! Arguments follow CPython 3.11's signatures (`length=1, byteorder='big', *, signed=False`),
//! taken by position or keyword, with its messages for each misuse.

use crate::vm::{Args, Ctx, ExcTy, PyResult, err};
use num_bigint::{BigInt, Sign};
use pyheap_runtime::{Kind, Obj};

/// `byteorder`: `'big'` (the default) or `'little'`; true for little.
fn little_endian<'h>(o: Option<&Obj<'h>>, func: &str) -> PyResult<'h, bool> {
    let Some(o) = o else { return Ok(false) };
    let Ok(s) = o.str_value() else {
        return err(
            ExcTy::TypeError,
            format!(
                "{func}() argument 'byteorder' must be str, not {}",
                o.type_name()
            ),
        );
    };
    match s {
        "big" => Ok(false),
        "little" => Ok(true),
        _ => err(
            ExcTy::ValueError,
            "byteorder must be either 'little' or 'big'",
        ),
    }
}

/// `o.__index__()` as a machine int; past it CPython's `OverflowError`.
fn index_isize<'h>(ctx: &Ctx<'h>, o: &Obj<'h>) -> PyResult<'h, i64> {
    let v = super::functions::index_int(ctx, o)?;
    match v.int_value()?.to_bigint().try_into() {
        Ok(n) => Ok(n),
        Err(_) => err(
            ExcTy::OverflowError,
            "Python int too large to convert to C ssize_t",
        ),
    }
}

fn truth<'h>(ctx: &Ctx<'h>, o: Option<&Obj<'h>>) -> PyResult<'h, bool> {
    match o {
        Some(o) => ctx.truthy(o),
        None => Ok(false),
    }
}

/// `int.to_bytes(length=1, byteorder='big', *, signed=False)`.
pub fn int_to_bytes<'h>(ctx: &Ctx<'h>, a: Args<'_, 'h>) -> PyResult<'h> {
    const NAMES: &[&str] = &["", "length", "byteorder", "signed"];
    if a.pos.len() > 3 {
        return err(
            ExcTy::TypeError,
            format!(
                "to_bytes() takes at most 2 positional arguments ({} given)",
                a.pos.len() - 1
            ),
        );
    }
    let length = match a.param("to_bytes", NAMES, 1, 1)? {
        Some(n) => index_isize(ctx, n)?,
        None => 1,
    };
    let little = little_endian(a.param("to_bytes", NAMES, 2, 1)?, "to_bytes")?;
    let signed = truth(ctx, a.kwarg("signed"))?;
    if length < 0 {
        return err(ExcTy::ValueError, "length argument must be non-negative");
    }
    let v = a.pos[0].int_value()?.to_bigint();
    if v.sign() == Sign::Minus && !signed {
        return err(
            ExcTy::OverflowError,
            "can't convert negative int to unsigned",
        );
    }
    let mut bytes = if signed {
        v.to_signed_bytes_le()
    } else {
        v.to_bytes_le().1
    };
    // `to_signed_bytes_le` of 0 is [0], `to_bytes_le` of 0 is [0]: zero needs no byte.
    if v.sign() == Sign::NoSign {
        bytes.clear();
    }
    let length = length as usize;
    if bytes.len() > length {
        return err(ExcTy::OverflowError, "int too big to convert");
    }
    let fill = if v.sign() == Sign::Minus { 0xff } else { 0 };
    bytes.resize(length, fill);
    if !little {
        bytes.reverse();
    }
    ctx.new_bytes(&bytes)
}

/// `int.from_bytes(bytes, byteorder='big', *, signed=False)`: a class method; a subclass gets
/// `cls(value)`.
pub fn int_from_bytes<'h>(ctx: &Ctx<'h>, a: Args<'_, 'h>) -> PyResult<'h> {
    const NAMES: &[&str] = &["", "bytes", "byteorder", "signed"];
    if a.pos.len() > 3 {
        return err(
            ExcTy::TypeError,
            format!(
                "from_bytes() takes at most 2 positional arguments ({} given)",
                a.pos.len() - 1
            ),
        );
    }
    let Some(src) = a.param("from_bytes", NAMES, 1, 1)? else {
        return err(
            ExcTy::TypeError,
            "from_bytes() missing required argument 'bytes' (pos 1)",
        );
    };
    let little = little_endian(a.param("from_bytes", NAMES, 2, 1)?, "from_bytes")?;
    let signed = truth(ctx, a.kwarg("signed"))?;
    let mut data = match ctx.bytes_data(src)? {
        Some(d) => d.into_vec(),
        None if src.kind() == Kind::Str || ctx.iter(src).is_err() => {
            return err(
                ExcTy::TypeError,
                format!("cannot convert '{}' object to bytes", src.type_name()),
            );
        }
        None => {
            let mut out = vec![];
            let it = ctx.iter(src)?;
            while let Some(x) = ctx.next(&it)? {
                let n = index_isize(ctx, &x)?;
                if !(0..256).contains(&n) {
                    return err(ExcTy::ValueError, "bytes must be in range(0, 256)");
                }
                out.push(n as u8);
            }
            out
        }
    };
    if !little {
        data.reverse();
    }
    let v = if signed {
        BigInt::from_signed_bytes_le(&data)
    } else {
        BigInt::from_bytes_le(Sign::Plus, &data)
    };
    let n = ctx.heap.int_from_bigint(&v)?;
    let cls = &a.pos[0];
    if cls.is(&ctx.ty(crate::vm::Ty::Int).obj()) {
        Ok(n)
    } else {
        ctx.call(cls, vec![n], vec![])
    }
}

/// `float.fromhex(s)`: a class method; a subclass gets `cls(value)`.
pub fn float_fromhex<'h>(ctx: &Ctx<'h>, a: Args<'_, 'h>) -> PyResult<'h> {
    a.check_method("fromhex", 1, 1)?;
    let Ok(s) = a.pos[1].str_value() else {
        return err(ExcTy::TypeError, "bad argument type for built-in operation");
    };
    let f = parse_hex_float(s)?;
    let v = ctx.heap.float(f)?;
    let cls = &a.pos[0];
    if cls.is(&ctx.ty(crate::vm::Ty::Float).obj()) {
        Ok(v)
    } else {
        ctx.call(cls, vec![v], vec![])
    }
}

/// `[ws][sign](inf|infinity|nan|[0x]digits[.digits][p[sign]digits])[ws]`, rounded to the
/// nearest double (ties to even), as CPython's `float_fromhex` does.
pub fn parse_hex_float<'h>(s: &str) -> PyResult<'h, f64> {
    let invalid = || {
        err(
            ExcTy::ValueError,
            "invalid hexadecimal floating-point string",
        )
    };
    let t = s.trim_matches(|c: char| c.is_whitespace());
    let (negative, t) = match t.as_bytes().first() {
        Some(b'-') => (true, &t[1..]),
        Some(b'+') => (false, &t[1..]),
        _ => (false, t),
    };
    let sign = if negative { -1.0 } else { 1.0 };
    let lower = t.to_ascii_lowercase();
    if lower == "inf" || lower == "infinity" {
        return Ok(sign * f64::INFINITY);
    }
    if lower == "nan" {
        return Ok(f64::NAN.copysign(sign));
    }
    let t = lower.strip_prefix("0x").unwrap_or(&lower);
    let (mantissa, exponent) = match t.split_once('p') {
        Some((m, e)) => (m, Some(e)),
        None => (t, None),
    };
    let (int_part, frac_part) = match mantissa.split_once('.') {
        Some((i, f)) => (i, f),
        None => (mantissa, ""),
    };
    let hex = |p: &str| p.bytes().all(|b| b.is_ascii_hexdigit());
    if (int_part.is_empty() && frac_part.is_empty()) || !hex(int_part) || !hex(frac_part) {
        return invalid();
    }
    let exp: i64 = match exponent {
        None => 0,
        Some(e) => {
            let digits = e.strip_prefix(['+', '-']).unwrap_or(e);
            if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
                return invalid();
            }
            // Past this the value is 0 or too large whatever the digits.
            e.parse::<i64>().unwrap_or(if e.starts_with('-') {
                i64::MIN / 4
            } else {
                i64::MAX / 4
            })
        }
    };
    let digits: String = [int_part, frac_part].concat();
    let m = BigInt::parse_bytes(digits.as_bytes(), 16).unwrap_or_default();
    if m.sign() == Sign::NoSign {
        return Ok(0.0 * sign);
    }
    let e2 = exp.saturating_sub(4 * frac_part.len() as i64);
    let bits = m.bits() as i64;
    let top = e2.saturating_add(bits - 1);
    let too_large = || {
        err(
            ExcTy::OverflowError,
            "hexadecimal value too large to represent as a float",
        )
    };
    if top > 1023 {
        return too_large();
    }
    // The exponent of the result's last bit: 53 significant bits, or fewer below the normal
    // range (a subnormal's last bit is 2^-1074).
    let lsb = (top - 52).max(-1074);
    let shift = lsb - e2;
    let mantissa: u64 = if shift <= 0 {
        u64::try_from(&(m << (-shift) as usize)).unwrap_or(u64::MAX)
    } else if shift > bits + 1 {
        0
    } else {
        let shift = shift as usize;
        let kept: BigInt = &m >> shift;
        let rest = &m - (&kept << shift);
        let half = BigInt::from(1) << (shift - 1);
        let kept = u64::try_from(&kept).unwrap_or(u64::MAX);
        match rest.cmp(&half) {
            std::cmp::Ordering::Greater => kept + 1,
            std::cmp::Ordering::Equal => kept + (kept & 1),
            std::cmp::Ordering::Less => kept,
        }
    };
    let f = scale(mantissa as f64, lsb);
    if f.is_infinite() {
        return too_large();
    }
    Ok(sign * f)
}

/// `x · 2^e`, exact whenever the result is representable (two steps keep every intermediate in
/// the normal range).
fn scale(x: f64, e: i64) -> f64 {
    let pow2 = |k: i64| f64::from_bits(((k + 1023) as u64) << 52);
    if e < -1000 {
        x * pow2(-1000) * pow2(e + 1000)
    } else if e > 1000 {
        x * pow2(1000) * pow2(e - 1000)
    } else {
        x * pow2(e)
    }
}

/// `str.maketrans(x[, y[, z]])`: a dict from code points to code points, strs or None.
pub fn str_maketrans<'h>(ctx: &Ctx<'h>, a: Args<'_, 'h>) -> PyResult<'h> {
    // Reached through the class or an instance: the arguments follow that first one.
    let args = &a.pos[1..];
    if args.is_empty() || args.len() > 3 {
        let n = args.len();
        return err(
            ExcTy::TypeError,
            if n == 0 {
                "maketrans expected at least 1 argument, got 0".to_string()
            } else {
                format!("maketrans expected at most 3 arguments, got {n}")
            },
        );
    }
    let table = ctx.heap.dict()?;
    if args.len() == 1 {
        let x = &args[0];
        if x.kind() != Kind::Dict {
            return err(
                ExcTy::TypeError,
                "if you give only one argument to maketrans it must be a dict",
            );
        }
        for (k, v) in x.as_dict()?.items() {
            let key = match k.kind() {
                Kind::Str => {
                    let s = k.str_value()?;
                    let mut cs = s.chars();
                    match (cs.next(), cs.next()) {
                        (Some(c), None) => ctx.int(c as i64)?,
                        _ => {
                            return err(
                                ExcTy::ValueError,
                                "string keys in translate table must be of length 1",
                            );
                        }
                    }
                }
                Kind::Int | Kind::Bool => k,
                _ => {
                    return err(
                        ExcTy::TypeError,
                        "keys in translate table must be strings or integers",
                    );
                }
            };
            table.set(&key, &v)?;
        }
        return Ok(table.into_obj());
    }
    let text = |o: &Obj<'h>, which: &str| -> PyResult<'h, Vec<char>> {
        match o.str_value() {
            Ok(s) => Ok(s.chars().collect()),
            Err(_) => err(
                ExcTy::TypeError,
                format!(
                    "maketrans() argument {which} must be str, not {}",
                    o.type_name()
                ),
            ),
        }
    };
    let (from, to) = (text(&args[0], "1")?, text(&args[1], "2")?);
    if from.len() != to.len() {
        return err(
            ExcTy::ValueError,
            "the first two maketrans arguments must have equal length",
        );
    }
    for (f, t) in from.iter().zip(&to) {
        table.set(&ctx.int(*f as i64)?, &ctx.int(*t as i64)?)?;
    }
    if let Some(z) = args.get(2) {
        for c in text(z, "3")? {
            table.set(&ctx.int(c as i64)?, &ctx.none())?;
        }
    }
    Ok(table.into_obj())
}

/// `s.translate(table)`: each character's code point looked up with `table[cp]`; a
/// `LookupError` keeps the character, None deletes it, an int or a str replaces it.
pub fn str_translate<'h>(ctx: &Ctx<'h>, a: Args<'_, 'h>) -> PyResult<'h> {
    a.check_method("translate", 1, 1)?;
    let s = a.pos[0].str_value()?;
    let table = &a.pos[1];
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        let v = match ctx.getitem(table, &ctx.int(c as i64)?) {
            Ok(v) => v,
            Err(e) if ctx.raise_matches(&e, ExcTy::LookupError) => {
                out.push(c);
                continue;
            }
            Err(e) => return Err(e),
        };
        match v.kind() {
            _ if v.is_none() => {}
            Kind::Int | Kind::Bool => {
                let n = v.as_int().unwrap_or(-1);
                match u32::try_from(n).ok().and_then(char::from_u32) {
                    Some(r) => out.push(r),
                    None => {
                        return err(
                            ExcTy::ValueError,
                            "character mapping must be in range(0x110000)",
                        );
                    }
                }
            }
            Kind::Str => out.push_str(v.str_value()?),
            _ => {
                return err(
                    ExcTy::TypeError,
                    "character mapping must return integer, None or str",
                );
            }
        }
    }
    ctx.str(&out)
}
