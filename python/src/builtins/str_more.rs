//! More `str` methods: `rsplit`, `partition`,
//! `rpartition`, `swapcase`, `expandtabs`, `casefold`, `removeprefix`/`removesuffix`.
//! Positions are in characters, as Python counts them.

use crate::vm::{Args, Ctx, ExcTy, PyResult, err};

/// These methods of str.
pub const METHODS: super::Table = table! {
    "rsplit" => rsplit, "partition" => partition,
    "rpartition" => rpartition, "swapcase" => swapcase, "expandtabs" => expandtabs,
    "casefold" => casefold, "removeprefix" => removeprefix, "removesuffix" => removesuffix,
};

fn two<'a, 'h>(a: &Args<'a, 'h>, name: &str) -> PyResult<'h, (&'a str, &'a str)> {
    a.check(name, 2, 2)?;
    Ok((a.pos[0].str_value()?, a.pos[1].str_value()?))
}

fn rsplit<'h>(ctx: &Ctx<'h>, a: Args<'_, 'h>) -> PyResult<'h> {
    a.check("rsplit", 1, 3)?;
    let s = a.pos[0].str_value()?;
    let sep = a.get(1).or(a.kwarg("sep")).filter(|o| !o.is_none());
    let max = a
        .get(2)
        .or(a.kwarg("maxsplit"))
        .map(|m| m.as_int())
        .transpose()?
        .unwrap_or(-1);
    let mut parts: Vec<String> = match sep {
        Some(sep) => {
            let sep = sep.str_value()?;
            if sep.is_empty() {
                return err(ExcTy::ValueError, "empty separator");
            }
            if max < 0 {
                s.rsplit(sep).map(str::to_string).collect()
            } else {
                s.rsplitn(max as usize + 1, sep)
                    .map(str::to_string)
                    .collect()
            }
        }
        None => {
            let mut out = vec![];
            let mut rest = s.trim_end();
            while !rest.is_empty() {
                if max >= 0 && out.len() as i64 == max {
                    out.push(rest.to_string());
                    break;
                }
                match rest.rfind(char::is_whitespace) {
                    Some(i) => {
                        let w = rest[i..].chars().next().map_or(1, char::len_utf8);
                        out.push(rest[i + w..].to_string());
                        rest = rest[..i].trim_end();
                    }
                    None => {
                        out.push(rest.to_string());
                        rest = "";
                    }
                }
            }
            out
        }
    };
    parts.reverse();
    let items = parts
        .iter()
        .map(|p| ctx.str(p))
        .collect::<PyResult<'h, Vec<_>>>()?;
    Ok(ctx.heap.list(&items)?.into_obj())
}

fn split3<'h>(ctx: &Ctx<'h>, a: &Args<'_, 'h>, name: &str, right: bool) -> PyResult<'h> {
    let (s, sep) = two(a, name)?;
    if sep.is_empty() {
        return err(ExcTy::ValueError, "empty separator");
    }
    let found = if right { s.rfind(sep) } else { s.find(sep) };
    let (x, y, z) = match found {
        Some(i) => (&s[..i], sep, &s[i + sep.len()..]),
        None if right => ("", "", s),
        None => (s, "", ""),
    };
    Ok(ctx
        .heap
        .tuple(&[ctx.str(x)?, ctx.str(y)?, ctx.str(z)?])?
        .into_obj())
}

fn partition<'h>(ctx: &Ctx<'h>, a: Args<'_, 'h>) -> PyResult<'h> {
    split3(ctx, &a, "partition", false)
}

fn rpartition<'h>(ctx: &Ctx<'h>, a: Args<'_, 'h>) -> PyResult<'h> {
    split3(ctx, &a, "rpartition", true)
}

fn swapcase<'h>(ctx: &Ctx<'h>, a: Args<'_, 'h>) -> PyResult<'h> {
    let s = a.pos[0].str_value()?;
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        if c.is_uppercase() {
            out.extend(c.to_lowercase());
        } else if c.is_lowercase() {
            out.extend(c.to_uppercase());
        } else {
            out.push(c);
        }
    }
    ctx.str(&out)
}

fn expandtabs<'h>(ctx: &Ctx<'h>, a: Args<'_, 'h>) -> PyResult<'h> {
    a.check("expandtabs", 1, 2)?;
    let s = a.pos[0].str_value()?;
    let size = a
        .get(1)
        .or(a.kwarg("tabsize"))
        .map(|t| t.as_int())
        .transpose()?
        .unwrap_or(8);
    let mut out = String::new();
    let mut col = 0i64;
    for c in s.chars() {
        match c {
            '\t' => {
                if size > 0 {
                    let n = size - col % size;
                    out.extend(std::iter::repeat_n(' ', n as usize));
                    col += n;
                }
            }
            '\n' | '\r' => {
                out.push(c);
                col = 0;
            }
            c => {
                out.push(c);
                col += 1;
            }
        }
    }
    ctx.str(&out)
}

/// `str.casefold()`: Unicode full case folding (CaseFolding.txt's C + F mappings), one
/// character at a time (no final-sigma context: `ς` folds to `σ`). For every character but
/// a few, the full fold is the lowercase of its full uppercase (`ß` → `SS` → `ss`, `ﬁ` →
/// `FI` → `fi`, `ς`/`ϐ`/`ſ`/`µ` → `σ`/`β`/`s`/`μ` through their capitals, `ᾳ` → `ΑΙ` →
/// `αι`); checked against CPython 3.11 over every code point, the exceptions are these:
/// - Cherokee folds to its capitals (U+13A0..13F5 stay, U+13F8..13FD and U+AB70..ABBF go
///   up), the one script whose fold is the uppercase;
/// - `ẞ` (U+1E9E) folds to `ss` (its lowercase is `ß`, whose capital is itself);
/// - `ı` (U+0131) has no fold (only the Turkic `T` mapping, which casefold leaves out).
fn casefold<'h>(ctx: &Ctx<'h>, a: Args<'_, 'h>) -> PyResult<'h> {
    let s = a.pos[0].str_value()?;
    if s.is_ascii() {
        return ctx.str(&s.to_ascii_lowercase());
    }
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '\u{13a0}'..='\u{13fd}' | '\u{ab70}'..='\u{abbf}' => out.extend(c.to_uppercase()),
            '\u{1e9e}' => out.push_str("ss"),
            '\u{131}' => out.push(c),
            _ => out.extend(c.to_uppercase().flat_map(char::to_lowercase)),
        }
    }
    ctx.str(&out)
}

fn removeprefix<'h>(ctx: &Ctx<'h>, a: Args<'_, 'h>) -> PyResult<'h> {
    let (s, p) = two(&a, "removeprefix")?;
    ctx.str(s.strip_prefix(p).unwrap_or(s))
}

fn removesuffix<'h>(ctx: &Ctx<'h>, a: Args<'_, 'h>) -> PyResult<'h> {
    let (s, p) = two(&a, "removesuffix")?;
    ctx.str(s.strip_suffix(p).unwrap_or(s))
}
