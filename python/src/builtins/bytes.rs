//! `bytes` operations (the object is `objects::bytes::Bytes`): construction, `+`, `*`,
//! indexing (an int) and slicing (bytes), `in`, ordering, iteration, and the common methods
//! (`decode`, `hex`, `startswith`, ...), with `str.encode` / `str(b, encoding)` beside them.
//!
//! ```text
//!   b"ab" + b"cd" ──▶ b'abcd'     b"abc"[1] ──▶ 98     b"abc"[1:] ──▶ b'bc'     list(b"hi") ──▶ [104, 105]
//! ```
//!
//! Encodings: `utf-8` (also `utf8`), `ascii` and `latin-1` (`latin1`, `iso-8859-1`), strict
//! errors only, with CPython's messages.

use crate::bytecode::{BinOp, CmpOp};
use crate::objects::bytes::Bytes;
use crate::vm::{Args, Ctx, ExcTy, PyResult, err};
use pyheap_runtime::{Kind, Obj};

impl<'h> Ctx<'h> {
    /// A new bytes object.
    pub fn new_bytes(&self, data: &[u8]) -> PyResult<'h> {
        Ok(crate::objects::bytes::new(self.heap, data)?)
    }
    /// The contents of a bytes object (`None` for anything else).
    pub fn bytes_data(&self, o: &Obj<'h>) -> PyResult<'h, Option<Box<[u8]>>> {
        match o.as_user::<Bytes>() {
            Ok(b) => Ok(Some(crate::objects::bytes::data(b).into())),
            Err(_) => Ok(None),
        }
    }
    /// `a + b`, `b * n`, `n * b` with bytes; `None` when it does not apply.
    pub fn bytes_op(&self, op: BinOp, a: &Obj<'h>, b: &Obj<'h>) -> PyResult<'h, Option<Obj<'h>>> {
        let (x, y) = (self.bytes_data(a)?, self.bytes_data(b)?);
        let int = |o: &Obj<'h>| matches!(o.kind(), Kind::Int | Kind::Bool);
        let r = match (op, x, y) {
            (BinOp::Add, Some(x), Some(y)) => [&x[..], &y[..]].concat(),
            (BinOp::Mul, Some(x), None) if int(b) => repeat(&x, b.as_int()?)?,
            (BinOp::Mul, None, Some(y)) if int(a) => repeat(&y, a.as_int()?)?,
            (BinOp::Add, Some(_), None) => {
                return err(
                    ExcTy::TypeError,
                    format!("can't concat {} to bytes", self.type_name(b)),
                );
            }
            _ => return Ok(None),
        };
        self.new_bytes(&r).map(Some)
    }
    /// `b[k]`: an int for an index, bytes for a slice; `None` unless `o` is bytes.
    pub fn bytes_getitem(&self, o: &Obj<'h>, k: &Obj<'h>) -> PyResult<'h, Option<Obj<'h>>> {
        let Some(d) = self.bytes_data(o)? else {
            return Ok(None);
        };
        if k.as_user::<crate::objects::misc::Slice>().is_ok() {
            let (start, stop, step) = self.slice_indices(k, d.len())?;
            let mut out = vec![];
            let mut i = start;
            while (step > 0 && i < stop) || (step < 0 && i > stop) {
                out.push(d[i as usize]);
                i += step;
            }
            return self.new_bytes(&out).map(Some);
        }
        if !matches!(k.kind(), Kind::Int | Kind::Bool) {
            return err(
                ExcTy::TypeError,
                format!(
                    "byte indices must be integers or slices, not {}",
                    self.type_name(k)
                ),
            );
        }
        let i = k.as_int()?;
        let j = if i < 0 { i + d.len() as i64 } else { i };
        if j < 0 || j >= d.len() as i64 {
            return err(ExcTy::IndexError, "index out of range");
        }
        self.int(d[j as usize] as i64).map(Some)
    }
    /// `x in b` (an int in 0..256 or a bytes sub-string); `None` unless `b` is bytes.
    pub fn bytes_contains(&self, b: &Obj<'h>, x: &Obj<'h>) -> PyResult<'h, Option<bool>> {
        let Some(d) = self.bytes_data(b)? else {
            return Ok(None);
        };
        if let Some(sub) = self.bytes_data(x)? {
            return Ok(Some(find(&d, &sub).is_some()));
        }
        match x.kind() {
            Kind::Int | Kind::Bool => {
                let v = x.as_int()?;
                if !(0..256).contains(&v) {
                    return err(ExcTy::ValueError, "byte must be in range(0, 256)");
                }
                Ok(Some(d.contains(&(v as u8))))
            }
            _ => err(
                ExcTy::TypeError,
                format!(
                    "a bytes-like object is required, not '{}'",
                    self.type_name(x)
                ),
            ),
        }
    }
    /// Comparison of two bytes objects (lexicographic); `None` unless both are bytes.
    pub fn bytes_cmp(&self, op: CmpOp, a: &Obj<'h>, b: &Obj<'h>) -> PyResult<'h, Option<bool>> {
        let (Some(x), Some(y)) = (self.bytes_data(a)?, self.bytes_data(b)?) else {
            return Ok(None);
        };
        Ok(Some(op.holds(x.cmp(&y))))
    }
    /// The ints of a bytes object, for iteration (`None` unless `o` is bytes).
    pub fn bytes_ints(&self, o: &Obj<'h>) -> PyResult<'h, Option<Vec<Obj<'h>>>> {
        match self.bytes_data(o)? {
            Some(d) => Ok(Some(
                d.iter()
                    .map(|&b| self.int(b as i64))
                    .collect::<PyResult<'h, _>>()?,
            )),
            None => Ok(None),
        }
    }
    /// `bytes(x)`: from bytes, an int count (zeros), an iterable of ints, or a str with an
    /// encoding.
    pub fn construct_bytes(&self, a: Args<'_, 'h>) -> PyResult<'h> {
        a.check("bytes", 0, 3)?;
        let Some(x) = a.get(0) else {
            return self.new_bytes(&[]);
        };
        if x.kind() == Kind::Str {
            let Some(enc) = a.get(1).or(a.kwarg("encoding")) else {
                return err(ExcTy::TypeError, "string argument without an encoding");
            };
            return self.new_bytes(&encode(self, x.str_value()?, enc.str_value()?)?);
        }
        if let Some(d) = self.bytes_data(x)? {
            let _ = d;
            return Ok(x.clone());
        }
        if matches!(x.kind(), Kind::Int | Kind::Bool) {
            let n = x.as_int()?;
            if n < 0 {
                return err(ExcTy::ValueError, "negative count");
            }
            return self.new_bytes(&vec![0; n as usize]);
        }
        let mut out = vec![];
        for v in self.collect(x)? {
            if !matches!(v.kind(), Kind::Int | Kind::Bool) {
                return err(
                    ExcTy::TypeError,
                    format!(
                        "'{}' object cannot be interpreted as an integer",
                        self.type_name(&v)
                    ),
                );
            }
            let v = v.as_int()?;
            if !(0..256).contains(&v) {
                return err(ExcTy::ValueError, "bytes must be in range(0, 256)");
            }
            out.push(v as u8);
        }
        self.new_bytes(&out)
    }
}

fn repeat<'h>(d: &[u8], n: i64) -> PyResult<'h, Vec<u8>> {
    let n = n.max(0) as usize;
    if d.len().saturating_mul(n) > (1 << 34) {
        return err(ExcTy::MemoryError, "");
    }
    Ok(d.repeat(n))
}

fn find(hay: &[u8], needle: &[u8]) -> Option<usize> {
    if needle.is_empty() {
        return Some(0);
    }
    hay.windows(needle.len()).position(|w| w == needle)
}

fn norm(enc: &str) -> String {
    enc.to_ascii_lowercase().replace('_', "-")
}

/// `s.encode(enc)`.
pub fn encode<'h>(ctx: &Ctx<'h>, s: &str, enc: &str) -> PyResult<'h, Vec<u8>> {
    match norm(enc).as_str() {
        "utf-8" | "utf8" => Ok(s.as_bytes().to_vec()),
        e @ ("ascii" | "latin-1" | "latin1" | "iso-8859-1") => {
            let (name, limit) = if e == "ascii" {
                ("ascii", 0x80)
            } else {
                ("latin-1", 0x100)
            };
            let mut out = Vec::with_capacity(s.len());
            for (i, c) in s.chars().enumerate() {
                if (c as u32) >= limit {
                    // CPython reports the whole run of characters the codec cannot take.
                    let run = s.chars().skip(i).take_while(|&c| c as u32 >= limit).count();
                    let reason = format!("ordinal not in range({limit})");
                    let args = vec![ctx.str(name)?, ctx.str(s)?, ctx.int(i as i64)?];
                    return Err(unicode_error(
                        ctx,
                        ExcTy::UnicodeEncodeError,
                        args,
                        i + run,
                        &reason,
                    ));
                }
                out.push(c as u8);
            }
            Ok(out)
        }
        _ => err(ExcTy::LookupError, format!("unknown encoding: {enc}")),
    }
}

/// `b.decode(enc)`.
pub fn decode<'h>(ctx: &Ctx<'h>, d: &[u8], enc: &str) -> PyResult<'h, String> {
    let failed = |name: &str, start: usize, end: usize, reason: &str| -> PyResult<'h, String> {
        let args = vec![ctx.str(name)?, ctx.new_bytes(d)?, ctx.int(start as i64)?];
        Err(unicode_error(
            ctx,
            ExcTy::UnicodeDecodeError,
            args,
            end,
            reason,
        ))
    };
    match norm(enc).as_str() {
        "utf-8" | "utf8" => match std::str::from_utf8(d) {
            Ok(s) => Ok(s.to_string()),
            Err(e) => {
                let at = e.valid_up_to();
                match e.error_len() {
                    // A sequence cut short by the end of the data.
                    None => failed("utf-8", at, d.len(), "unexpected end of data"),
                    Some(n) => {
                        let reason = match d[at] {
                            0x80..=0xc1 | 0xf5..=0xff => "invalid start byte",
                            _ => "invalid continuation byte",
                        };
                        failed("utf-8", at, at + n, reason)
                    }
                }
            }
        },
        "ascii" => match d.iter().position(|&b| b >= 0x80) {
            Some(i) => failed("ascii", i, i + 1, "ordinal not in range(128)"),
            None => Ok(d.iter().map(|&b| b as char).collect()),
        },
        "latin-1" | "latin1" | "iso-8859-1" => Ok(d.iter().map(|&b| b as char).collect()),
        _ => err(ExcTy::LookupError, format!("unknown encoding: {enc}")),
    }
}

/// A `UnicodeEncodeError`/`UnicodeDecodeError` made by calling its class, so that its fields
/// (`encoding`, `object`, `start`, `end`, `reason`) and message are CPython's. `args` holds
/// the first three.
fn unicode_error<'h>(
    ctx: &Ctx<'h>,
    ty: ExcTy,
    mut args: Vec<Obj<'h>>,
    end: usize,
    reason: &str,
) -> crate::vm::Raise<'h> {
    let made = (|| {
        args.push(ctx.int(end as i64)?);
        args.push(ctx.str(reason)?);
        ctx.call(&ctx.exc(ty).obj(), args, vec![])
    })();
    match made {
        Ok(e) => crate::vm::Raise::Obj(e),
        Err(e) => e,
    }
}

/// Methods of bytes.
pub const METHODS: super::Table = table! {
    "decode" => b_decode, "hex" => b_hex, "startswith" => b_startswith,
    "endswith" => b_endswith, "find" => b_find, "count" => b_count, "join" => b_join,
    "upper" => b_upper, "lower" => b_lower,
};

fn data<'h>(ctx: &Ctx<'h>, o: &Obj<'h>) -> PyResult<'h, Box<[u8]>> {
    match ctx.bytes_data(o)? {
        Some(d) => Ok(d),
        None => err(
            ExcTy::TypeError,
            format!(
                "a bytes-like object is required, not '{}'",
                ctx.type_name(o)
            ),
        ),
    }
}
fn b_decode<'h>(ctx: &Ctx<'h>, a: Args<'_, 'h>) -> PyResult<'h> {
    a.check("decode", 1, 3)?;
    let enc = match a.get(1).or(a.kwarg("encoding")) {
        Some(e) => e.str_value()?.to_string(),
        None => "utf-8".into(),
    };
    ctx.str(&decode(ctx, &data(ctx, &a.pos[0])?, &enc)?)
}
fn b_hex<'h>(ctx: &Ctx<'h>, a: Args<'_, 'h>) -> PyResult<'h> {
    let d = data(ctx, &a.pos[0])?;
    ctx.str(&d.iter().map(|b| format!("{b:02x}")).collect::<String>())
}
fn b_startswith<'h>(ctx: &Ctx<'h>, a: Args<'_, 'h>) -> PyResult<'h> {
    a.check("startswith", 2, 2)?;
    let (d, p) = (data(ctx, &a.pos[0])?, data(ctx, &a.pos[1])?);
    Ok(ctx.bool(d.starts_with(&p)))
}
fn b_endswith<'h>(ctx: &Ctx<'h>, a: Args<'_, 'h>) -> PyResult<'h> {
    a.check("endswith", 2, 2)?;
    let (d, p) = (data(ctx, &a.pos[0])?, data(ctx, &a.pos[1])?);
    Ok(ctx.bool(d.ends_with(&p)))
}
fn b_find<'h>(ctx: &Ctx<'h>, a: Args<'_, 'h>) -> PyResult<'h> {
    a.check("find", 2, 2)?;
    let (d, p) = (data(ctx, &a.pos[0])?, data(ctx, &a.pos[1])?);
    ctx.int(find(&d, &p).map_or(-1, |i| i as i64))
}
fn b_count<'h>(ctx: &Ctx<'h>, a: Args<'_, 'h>) -> PyResult<'h> {
    a.check("count", 2, 2)?;
    let (d, p) = (data(ctx, &a.pos[0])?, data(ctx, &a.pos[1])?);
    if p.is_empty() {
        return ctx.int(d.len() as i64 + 1);
    }
    let (mut n, mut i) = (0, 0);
    while let Some(j) = find(&d[i..], &p) {
        n += 1;
        i += j + p.len();
    }
    ctx.int(n)
}
fn b_join<'h>(ctx: &Ctx<'h>, a: Args<'_, 'h>) -> PyResult<'h> {
    a.check("join", 2, 2)?;
    let sep = data(ctx, &a.pos[0])?;
    let mut out = vec![];
    for (i, x) in ctx.collect(&a.pos[1])?.iter().enumerate() {
        if i > 0 {
            out.extend_from_slice(&sep);
        }
        out.extend_from_slice(&data(ctx, x)?);
    }
    ctx.new_bytes(&out)
}
fn b_upper<'h>(ctx: &Ctx<'h>, a: Args<'_, 'h>) -> PyResult<'h> {
    ctx.new_bytes(&data(ctx, &a.pos[0])?.to_ascii_uppercase())
}
fn b_lower<'h>(ctx: &Ctx<'h>, a: Args<'_, 'h>) -> PyResult<'h> {
    ctx.new_bytes(&data(ctx, &a.pos[0])?.to_ascii_lowercase())
}
