//! Searching a str within bounds: `find`, `rfind`, `index`, `rindex`, `count`, `startswith`,
//! `endswith`, each with Python's optional `start` and `end`.
//!
//! Positions are in characters, as Python counts them; Rust's `str` is indexed in bytes. An
//! ASCII string needs no translation; any other gets a table of its characters' byte offsets
//! ([`Chars`]) for the call.
//!
//! The bounds are adjusted as slice bounds are (a negative one counts from the end, then is
//! clamped at 0; an end past the length is the length), except that a start past the end is
//! kept, so `"abc".find("", 4)` is -1 and `"abc".startswith("", 4)` False, as in CPython.
//!
//! ```text
//!   "héllo".find("l", -3)     chars  h é l l o      bytes 0 1 3 4 5 (6)
//!                              start -3 → 2 → byte 3, search "llo", hit at byte 3 → char 2
//! ```

use super::functions::index_int;
use crate::vm::{Args, Ctx, ExcTy, PyResult, err};
use pyheap_runtime::{IntValue, Kind, Obj};

/// These methods of str.
pub const METHODS: super::Table = table! {
    "find" => find, "rfind" => rfind, "index" => index, "rindex" => rindex,
    "count" => count, "startswith" => startswith, "endswith" => endswith,
};

/// A string with its character positions.
struct Chars<'a> {
    s: &'a str,
    /// Byte offset of every character, then the length; `None` for ASCII.
    offsets: Option<Vec<usize>>,
}

impl<'a> Chars<'a> {
    fn new(s: &'a str) -> Self {
        let offsets = (!s.is_ascii()).then(|| {
            s.char_indices()
                .map(|(b, _)| b)
                .chain(std::iter::once(s.len()))
                .collect()
        });
        Chars { s, offsets }
    }
    fn len(&self) -> usize {
        self.offsets.as_ref().map_or(self.s.len(), |o| o.len() - 1)
    }
    /// The byte offset of character `c` (`c <= len`).
    fn byte(&self, c: usize) -> usize {
        self.offsets.as_ref().map_or(c, |o| o[c])
    }
    /// The character at byte offset `b` (a character boundary).
    fn char_at(&self, b: usize) -> usize {
        self.offsets
            .as_ref()
            .map_or(b, |o| o.binary_search(&b).unwrap_or_else(|i| i))
    }
    /// Characters `start..end` (`start <= end <= len`).
    fn window(&self, start: usize, end: usize) -> &'a str {
        &self.s[self.byte(start)..self.byte(end)]
    }
}

/// A bound argument: None (absent) or an int (or `__index__`), huge values clamped.
fn bound<'h>(ctx: &Ctx<'h>, o: Option<&Obj<'h>>) -> PyResult<'h, Option<i64>> {
    let Some(o) = o.filter(|o| !o.is_none()) else {
        return Ok(None);
    };
    if !crate::vm::number::is_int(o) && ctx.lookup_special(o, "__index__").is_none() {
        return err(
            ExcTy::TypeError,
            "slice indices must be integers or None or have an __index__ method",
        );
    }
    Ok(Some(match index_int(ctx, o)?.int_value()? {
        IntValue::Small(v) => v,
        IntValue::Big { negative, .. } => {
            if negative {
                i64::MIN
            } else {
                i64::MAX
            }
        }
    }))
}

/// `(start, end)` in characters from arguments `a.pos[2]` and `a.pos[3]`, adjusted as the
/// module comment says (`start` may exceed `end`).
fn bounds<'h>(ctx: &Ctx<'h>, a: &Args<'_, 'h>, len: usize) -> PyResult<'h, (usize, usize)> {
    let n = len as i64;
    let adjust = |v: i64| {
        if v < 0 {
            (v.saturating_add(n)).max(0)
        } else {
            v
        }
    };
    let start = bound(ctx, a.get(2))?.map_or(0, adjust);
    let end = bound(ctx, a.get(3))?.map_or(n, |v| adjust(v).min(n));
    Ok((start as usize, end as usize))
}

/// One to three arguments after the string, counted in CPython's words for these methods.
fn arity<'h>(a: &Args<'_, 'h>, name: &str) -> PyResult<'h, ()> {
    let n = a.len() - 1;
    if n < 1 {
        return err(
            ExcTy::TypeError,
            format!("{name}() takes at least 1 argument ({n} given)"),
        );
    }
    if n > 3 {
        return err(
            ExcTy::TypeError,
            format!("{name}() takes at most 3 arguments ({n} given)"),
        );
    }
    Ok(())
}

/// The string argument to search for.
fn needle<'a, 'h>(ctx: &Ctx<'h>, o: &'a Obj<'h>) -> PyResult<'h, &'a str> {
    if o.kind() != Kind::Str {
        return err(
            ExcTy::TypeError,
            format!("must be str, not {}", ctx.type_name(o)),
        );
    }
    Ok(o.str_value()?)
}

/// Where `sub` first (or last, `right`) occurs within the bounds, in characters.
fn search<'h>(
    ctx: &Ctx<'h>,
    a: &Args<'_, 'h>,
    name: &str,
    right: bool,
) -> PyResult<'h, Option<usize>> {
    arity(a, name)?;
    let text = Chars::new(a.pos[0].str_value()?);
    let sub = needle(ctx, &a.pos[1])?;
    let (start, end) = bounds(ctx, a, text.len())?;
    if start > end || end - start < sub.chars().count() {
        return Ok(None);
    }
    let w = text.window(start, end);
    let hit = if right { w.rfind(sub) } else { w.find(sub) };
    Ok(hit.map(|b| text.char_at(text.byte(start) + b)))
}

fn found<'h>(ctx: &Ctx<'h>, at: Option<usize>) -> PyResult<'h> {
    ctx.int(at.map_or(-1, |c| c as i64))
}

fn find<'h>(ctx: &Ctx<'h>, a: Args<'_, 'h>) -> PyResult<'h> {
    found(ctx, search(ctx, &a, "find", false)?)
}

fn rfind<'h>(ctx: &Ctx<'h>, a: Args<'_, 'h>) -> PyResult<'h> {
    found(ctx, search(ctx, &a, "rfind", true)?)
}

fn must_find<'h>(ctx: &Ctx<'h>, at: Option<usize>) -> PyResult<'h> {
    match at {
        Some(c) => ctx.int(c as i64),
        None => err(ExcTy::ValueError, "substring not found"),
    }
}

fn index<'h>(ctx: &Ctx<'h>, a: Args<'_, 'h>) -> PyResult<'h> {
    must_find(ctx, search(ctx, &a, "index", false)?)
}

fn rindex<'h>(ctx: &Ctx<'h>, a: Args<'_, 'h>) -> PyResult<'h> {
    must_find(ctx, search(ctx, &a, "rindex", true)?)
}

/// Non-overlapping occurrences within the bounds; the empty string occurs between every two
/// characters and at both ends.
fn count<'h>(ctx: &Ctx<'h>, a: Args<'_, 'h>) -> PyResult<'h> {
    arity(&a, "count")?;
    let text = Chars::new(a.pos[0].str_value()?);
    let sub = needle(ctx, &a.pos[1])?;
    let (start, end) = bounds(ctx, &a, text.len())?;
    if start > end {
        return ctx.int(0);
    }
    if sub.is_empty() {
        return ctx.int((end - start) as i64 + 1);
    }
    ctx.int(text.window(start, end).matches(sub).count() as i64)
}

/// `startswith`/`endswith`: a str or a tuple of strs, any of which matches at the bound.
fn affix<'h>(ctx: &Ctx<'h>, a: &Args<'_, 'h>, name: &str, at_end: bool) -> PyResult<'h> {
    arity(a, name)?;
    let text = Chars::new(a.pos[0].str_value()?);
    let (start, end) = bounds(ctx, a, text.len())?;
    let matches = |p: &str| {
        let n = p.chars().count();
        if start > end || end - start < n {
            return false;
        }
        if at_end {
            text.window(end - n, end) == p
        } else {
            text.window(start, start + n) == p
        }
    };
    let arg = &a.pos[1];
    let hit = match arg.kind() {
        Kind::Str => matches(arg.str_value()?),
        Kind::Tuple => {
            // In order, stopping at the first match (a later non-str is never looked at).
            let mut any = false;
            for p in arg.as_tuple()?.to_vec() {
                if p.kind() != Kind::Str {
                    return err(
                        ExcTy::TypeError,
                        format!(
                            "tuple for {name} must only contain str, not {}",
                            ctx.type_name(&p)
                        ),
                    );
                }
                if matches(p.str_value()?) {
                    any = true;
                    break;
                }
            }
            any
        }
        _ => {
            return err(
                ExcTy::TypeError,
                format!(
                    "{name} first arg must be str or a tuple of str, not {}",
                    ctx.type_name(arg)
                ),
            );
        }
    };
    Ok(ctx.bool(hit))
}

fn startswith<'h>(ctx: &Ctx<'h>, a: Args<'_, 'h>) -> PyResult<'h> {
    affix(ctx, &a, "startswith", false)
}

fn endswith<'h>(ctx: &Ctx<'h>, a: Args<'_, 'h>) -> PyResult<'h> {
    affix(ctx, &a, "endswith", true)
}
