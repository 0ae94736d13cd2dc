//! String formatting: `format(value, spec)` (the format-spec mini-language for str, int and
//! float), `str.format` and printf-style `%`.

use crate::vm::number::{Num, num};
use crate::vm::{Ctx, ExcTy, PyResult, err};
use pyheap_runtime::{Kind, Obj};

/// Pad `s` to `width` characters.
pub fn align(s: &str, width: usize, how: char, fill: char) -> String {
    let n = s.chars().count();
    if n >= width {
        return s.to_string();
    }
    let pad = width - n;
    let f = |k: usize| std::iter::repeat_n(fill, k).collect::<String>();
    match how {
        '<' => format!("{s}{}", f(pad)),
        '^' => format!("{}{s}{}", f(pad / 2), f(pad - pad / 2)),
        _ => format!("{}{s}", f(pad)),
    }
}

fn group(digits: &str, sep: char) -> String {
    group_by(digits, sep, 3)
}

/// `digits` with `sep` between groups of `size` from the right (4 for `'_'` with b, o, x).
fn group_by(digits: &str, sep: char, size: usize) -> String {
    let mut out = String::new();
    let n = digits.len();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (n - i).is_multiple_of(size) {
            out.push(sep);
        }
        out.push(c);
    }
    out
}

/// `format(o, spec)` for built-in values.
pub fn format_spec<'h>(ctx: &Ctx<'h>, o: &Obj<'h>, spec: &str) -> PyResult<'h, String> {
    let mut cs: Vec<char> = spec.chars().collect();
    let (mut fill, mut alignc) = (' ', None);
    if cs.len() >= 2 && matches!(cs[1], '<' | '>' | '^' | '=') {
        fill = cs[0];
        alignc = Some(cs[1]);
        cs.drain(..2);
    } else if !cs.is_empty() && matches!(cs[0], '<' | '>' | '^' | '=') {
        alignc = Some(cs[0]);
        cs.drain(..1);
    }
    let mut sign = '-';
    if !cs.is_empty() && matches!(cs[0], '+' | '-' | ' ') {
        sign = cs[0];
        cs.drain(..1);
    }
    let mut alt = false;
    if cs.first() == Some(&'#') {
        alt = true;
        cs.drain(..1);
    }
    if cs.first() == Some(&'0') {
        if alignc.is_none() {
            fill = '0';
            alignc = Some('=');
        }
        cs.drain(..1);
    }
    let mut width = 0usize;
    while let Some(c) = cs.first().filter(|c| c.is_ascii_digit()) {
        width = width * 10 + c.to_digit(10).expect("digit") as usize;
        cs.drain(..1);
    }
    let mut sep = None;
    if matches!(cs.first(), Some(',') | Some('_')) {
        sep = Some(cs[0]);
        cs.drain(..1);
    }
    let mut prec = None;
    if cs.first() == Some(&'.') {
        cs.drain(..1);
        let mut p = 0;
        while let Some(c) = cs.first().filter(|c| c.is_ascii_digit()) {
            p = p * 10 + c.to_digit(10).expect("digit") as usize;
            cs.drain(..1);
        }
        prec = Some(p);
    }
    let ty = cs.first().copied();
    if cs.len() > 1 {
        return err(ExcTy::ValueError, "Invalid format specifier");
    }
    let (neg, body) = match (num(o), o.kind()) {
        (_, Kind::Str) => {
            if ty.is_some_and(|t| t != 's') {
                return err(
                    ExcTy::ValueError,
                    format!(
                        "Unknown format code '{}' for object of type 'str'",
                        ty.expect("ty")
                    ),
                );
            }
            let mut s = o.str_value()?.to_string();
            if let Some(p) = prec {
                s = s.chars().take(p).collect();
            }
            return Ok(align(&s, width, alignc.unwrap_or('<'), fill));
        }
        (Some(Num::I(_) | Num::Big), _)
            if !matches!(ty, Some('e' | 'E' | 'f' | 'F' | 'g' | 'G' | '%')) =>
        {
            let v = o.int_value()?;
            let radix = |r: u32| match v {
                pyheap_runtime::IntValue::Small(i) => match r {
                    16 => format!("{:x}", i.unsigned_abs()),
                    8 => format!("{:o}", i.unsigned_abs()),
                    _ => format!("{:b}", i.unsigned_abs()),
                },
                _ => v.to_bigint().magnitude().to_str_radix(r),
            };
            if let (Some(t @ ('x' | 'X' | 'o' | 'b')), Some(',')) = (ty, sep) {
                return err(ExcTy::ValueError, format!("Cannot specify ',' with '{t}'."));
            }
            let radix = |r: u32| match sep {
                Some(c) if r != 10 => group_by(&radix(r), c, 4),
                _ => radix(r),
            };
            let digits = match ty {
                Some('x') => format!("{}{}", if alt { "0x" } else { "" }, radix(16)),
                Some('X') => format!(
                    "{}{}",
                    if alt { "0X" } else { "" },
                    radix(16).to_uppercase()
                ),
                Some('o') => format!("{}{}", if alt { "0o" } else { "" }, radix(8)),
                Some('b') => format!("{}{}", if alt { "0b" } else { "" }, radix(2)),
                Some('c') => char::from_u32(o.as_int()? as u32)
                    .map(String::from)
                    .unwrap_or_default(),
                Some('d') | Some('n') | None => {
                    let d = ctx.heap.int_str(o)?;
                    let d = d.trim_start_matches('-');
                    match sep {
                        Some(c) => group(d, c),
                        None => d.to_string(),
                    }
                }
                Some(t) => {
                    return err(
                        ExcTy::ValueError,
                        format!(
                            "Unknown format code '{t}' for object of type '{}'",
                            ctx.type_name(o)
                        ),
                    );
                }
            };
            (v.is_negative(), digits)
        }
        (Some(n), _) => {
            let f = match n {
                Num::F(f) => f,
                _ => ctx.to_f64(o)?,
            };
            let a = f.abs();
            let p = prec.unwrap_or(6);
            let s = match ty {
                Some('f') | Some('F') => format!("{a:.p$}"),
                Some('e') | Some('E') => {
                    let s = format!("{a:.p$e}");
                    let (m, e) = s.split_once('e').expect("exp");
                    let e: i32 = e.parse().expect("exp");
                    let r = format!("{m}e{}{:02}", if e < 0 { '-' } else { '+' }, e.abs());
                    if ty == Some('E') { r.to_uppercase() } else { r }
                }
                Some('%') => format!("{:.p$}%", a * 100.0),
                Some('g') | Some('G') => {
                    let p = if p == 0 { 1 } else { p };
                    let exp = if a == 0.0 {
                        0
                    } else {
                        a.log10().floor() as i32
                    };
                    if exp < -4 || exp >= p as i32 {
                        let s = format!("{a:.*e}", p - 1);
                        let (m, e) = s.split_once('e').expect("exp");
                        let m = if m.contains('.') {
                            m.trim_end_matches('0').trim_end_matches('.')
                        } else {
                            m
                        };
                        let e: i32 = e.parse().expect("exp");
                        format!("{m}e{}{:02}", if e < 0 { '-' } else { '+' }, e.abs())
                    } else {
                        let d = (p as i32 - 1 - exp).max(0) as usize;
                        let s = format!("{a:.d$}");
                        if s.contains('.') {
                            s.trim_end_matches('0').trim_end_matches('.').to_string()
                        } else {
                            s
                        }
                    }
                }
                None => match prec {
                    Some(_) => format_spec(ctx, &ctx.heap.float(a)?, &format!(".{p}g"))?,
                    None => crate::vm::repr::float_repr(a),
                },
                Some(t) => {
                    return err(
                        ExcTy::ValueError,
                        format!(
                            "Unknown format code '{t}' for object of type '{}'",
                            ctx.type_name(o)
                        ),
                    );
                }
            };
            let s = match sep {
                Some(c) => {
                    let (ip, rest) =
                        s.split_at(s.find(|ch: char| !ch.is_ascii_digit()).unwrap_or(s.len()));
                    format!("{}{rest}", group(ip, c))
                }
                None => s,
            };
            (
                f.is_sign_negative() && f != 0.0 || (f == 0.0 && f.is_sign_negative()),
                s,
            )
        }
        _ => {
            let s = ctx.str_of(o)?;
            return Ok(align(&s, width, alignc.unwrap_or('<'), fill));
        }
    };
    let sign_s = if neg {
        "-"
    } else {
        match sign {
            '+' => "+",
            ' ' => " ",
            _ => "",
        }
    };
    match alignc.unwrap_or('>') {
        '=' => {
            let w = width.saturating_sub(sign_s.len());
            Ok(format!("{sign_s}{}", align(&body, w, '>', fill)))
        }
        a => Ok(align(&format!("{sign_s}{body}"), width, a, fill)),
    }
}

/// Where `str.format`'s named fields come from: the keyword arguments, or `format_map`'s
/// mapping (looked up with `mapping[name]`, so a `__missing__` or a `KeyError` of its own
/// shows through).
pub enum Named<'a, 'h> {
    Keywords(&'a [(Obj<'h>, Obj<'h>)]),
    Mapping(&'a Obj<'h>),
}

/// How a format string numbers its fields so far: one string may use `{}` or `{0}`, never both
/// (nested fields in a spec count in the same sequence).
#[derive(Clone, Copy)]
enum Numbering {
    Unknown,
    Automatic(usize),
    Manual,
}

/// Where the replacement field opened just before `start` ends (the index of its `}`): in the
/// field name a `}` inside brackets does not close it; the conversion character is any one
/// character; in the spec braces nest. The errors are CPython's for an unterminated field.
fn field_end<'h>(cs: &[char], start: usize) -> PyResult<'h, usize> {
    let (mut in_name, mut in_bracket, mut depth) = (true, false, 0usize);
    let mut j = start;
    while j < cs.len() {
        let c = cs[j];
        if in_name {
            match c {
                '[' => in_bracket = true,
                ']' => in_bracket = false,
                '}' if !in_bracket => return Ok(j),
                '!' if !in_bracket => {
                    in_name = false;
                    j += 1; // the conversion character, whatever it is
                }
                ':' if !in_bracket => in_name = false,
                _ => {}
            }
        } else if c == '{' {
            depth += 1;
        } else if c == '}' {
            if depth == 0 {
                return Ok(j);
            }
            depth -= 1;
        }
        j += 1;
    }
    if start >= cs.len() {
        err(ExcTy::ValueError, "Single '{' encountered in format string")
    } else if in_name {
        err(ExcTy::ValueError, "expected '}' before end of string")
    } else {
        err(ExcTy::ValueError, "unmatched '{' in format spec")
    }
}

/// A replacement field's text split into its name, conversion and spec: the name ends at the
/// first `!` or `:` outside brackets, the conversion is the one character after `!`.
fn split_field<'h>(field: &str) -> PyResult<'h, (String, Option<char>, String)> {
    let mut depth = 0;
    let end = field.char_indices().find(|&(_, c)| {
        match c {
            '[' => depth += 1,
            ']' => depth -= 1,
            _ => {}
        }
        depth == 0 && (c == '!' || c == ':')
    });
    let Some((p, sep)) = end else {
        return Ok((field.to_string(), None, String::new()));
    };
    let name = field[..p].to_string();
    if sep == ':' {
        return Ok((name, None, field[p + 1..].to_string()));
    }
    let mut rest = field[p + 1..].chars();
    let Some(conv) = rest.next() else {
        return err(ExcTy::ValueError, "unmatched '{' in format spec");
    };
    let after = rest.as_str();
    let spec = match after.strip_prefix(':') {
        Some(spec) => spec.to_string(),
        None if after.is_empty() => String::new(),
        None => return err(ExcTy::ValueError, "expected ':' after conversion specifier"),
    };
    if !"rsa".contains(conv) {
        return err(
            ExcTy::ValueError,
            format!("Unknown conversion specifier {conv}"),
        );
    }
    Ok((name, Some(conv), spec))
}

/// `fmt.format(*args, **kw)` and `fmt.format_map(mapping)`.
pub fn str_format<'h>(
    ctx: &Ctx<'h>,
    fmt: &str,
    args: &[Obj<'h>],
    named: Named<'_, 'h>,
) -> PyResult<'h, String> {
    let mut numbering = Numbering::Unknown;
    format_fields(ctx, fmt, args, &named, &mut numbering)
}

fn format_fields<'h>(
    ctx: &Ctx<'h>,
    fmt: &str,
    args: &[Obj<'h>],
    named: &Named<'_, 'h>,
    numbering: &mut Numbering,
) -> PyResult<'h, String> {
    let mut out = String::new();
    let cs: Vec<char> = fmt.chars().collect();
    let mut i = 0;
    let positional = |n: usize| -> PyResult<'h> {
        if let Named::Mapping(_) = named {
            return err(
                ExcTy::ValueError,
                "Format string contains positional fields",
            );
        }
        args.get(n).cloned().ok_or_else(|| {
            crate::vm::Raise::New(
                ExcTy::IndexError,
                format!("Replacement index {n} out of range for positional args tuple"),
            )
        })
    };
    while i < cs.len() {
        let c = cs[i];
        if c == '{' {
            if cs.get(i + 1) == Some(&'{') {
                out.push('{');
                i += 2;
                continue;
            }
            let j = field_end(&cs, i + 1)?;
            let field: String = cs[i + 1..j].iter().collect();
            let (name, conv, spec) = split_field(&field)?;
            let (head, rest) = match name.find(['.', '[']) {
                Some(p) => (&name[..p], &name[p..]),
                None => (name.as_str(), ""),
            };
            let mut v = if head.is_empty() {
                let n = match *numbering {
                    Numbering::Manual => {
                        return err(
                            ExcTy::ValueError,
                            "cannot switch from manual field specification to automatic field numbering",
                        );
                    }
                    Numbering::Unknown => 0,
                    Numbering::Automatic(n) => n,
                };
                *numbering = Numbering::Automatic(n + 1);
                positional(n)?
            } else if let Ok(n) = head.parse::<usize>() {
                if let Numbering::Automatic(_) = numbering {
                    return err(
                        ExcTy::ValueError,
                        "cannot switch from automatic field numbering to manual field specification",
                    );
                }
                *numbering = Numbering::Manual;
                positional(n)?
            } else {
                match named {
                    Named::Keywords(kw) => kw
                        .iter()
                        .find(|(k, _)| k.str_value().is_ok_and(|s| s == head))
                        .map(|(_, v)| v.clone())
                        .ok_or_else(|| ctx.key_error(&ctx.str(head).expect("str")))?,
                    Named::Mapping(m) => ctx.getitem(m, &ctx.str(head)?)?,
                }
            };
            let mut r = rest;
            while !r.is_empty() {
                if let Some(x) = r.strip_prefix('.') {
                    let end = x.find(['.', '[']).unwrap_or(x.len());
                    v = ctx.getattr(&v, &x[..end])?;
                    r = &x[end..];
                } else if let Some(x) = r.strip_prefix('[') {
                    let end = x.find(']').unwrap_or(x.len());
                    let key = &x[..end];
                    // Only an all-digit key is an index (`{0[-1]}` looks up the str '-1').
                    let digits = !key.is_empty() && key.bytes().all(|b| b.is_ascii_digit());
                    let k = match key.parse::<i64>() {
                        Ok(n) if digits => ctx.int(n)?,
                        _ => ctx.str(key)?,
                    };
                    v = ctx.getitem(&v, &k)?;
                    r = x.get(end + 1..).unwrap_or("");
                } else {
                    break;
                }
            }
            let v = match conv {
                Some('r') => ctx.str(&ctx.repr(&v)?)?,
                Some('s') => ctx.str(&ctx.str_of(&v)?)?,
                Some('a') => ctx.str(&crate::vm::repr::ascii(&ctx.repr(&v)?))?,
                _ => v,
            };
            let spec = if spec.contains('{') {
                format_fields(ctx, &spec, args, named, numbering)?
            } else {
                spec
            };
            out.push_str(&ctx.format(&v, &spec)?);
            i = j + 1;
        } else if c == '}' {
            if cs.get(i + 1) == Some(&'}') {
                out.push('}');
                i += 2;
                continue;
            }
            return err(ExcTy::ValueError, "Single '}' encountered in format string");
        } else {
            out.push(c);
            i += 1;
        }
    }
    Ok(out)
}

/// `fmt % values`.
pub fn percent<'h>(ctx: &Ctx<'h>, fmt: &str, values: &Obj<'h>) -> PyResult<'h, String> {
    // A tuple subclass (a named tuple) supplies its items too, as in CPython.
    let tuple = match values.kind() {
        Kind::Tuple => Some(values.clone()),
        Kind::Instance => ctx.base_value(values).filter(|b| b.kind() == Kind::Tuple),
        _ => None,
    };
    let args: Vec<Obj<'h>> = if let Some(t) = &tuple {
        ctx.seq_items(t)?
    } else {
        vec![values.clone()]
    };
    let dict = (values.kind() == Kind::Dict).then(|| values.clone());
    let mut out = String::new();
    let cs: Vec<char> = fmt.chars().collect();
    let (mut i, mut ai) = (0, 0);
    while i < cs.len() {
        if cs[i] != '%' {
            out.push(cs[i]);
            i += 1;
            continue;
        }
        i += 1;
        let mut key = None;
        if cs.get(i) == Some(&'(') {
            let end = cs[i..]
                .iter()
                .position(|&c| c == ')')
                .map(|p| p + i)
                .unwrap_or(cs.len());
            key = Some(cs[i + 1..end].iter().collect::<String>());
            i = end + 1;
        }
        let mut flags = String::new();
        while let Some(&c) = cs.get(i).filter(|c| "-+ #0".contains(**c)) {
            flags.push(c);
            i += 1;
        }
        let mut width = String::new();
        while let Some(&c) = cs.get(i).filter(|c| c.is_ascii_digit() || **c == '*') {
            if c == '*' {
                width = ctx.str_of(&args[ai])?;
                ai += 1;
            } else {
                width.push(c);
            }
            i += 1;
        }
        let mut prec = String::new();
        if cs.get(i) == Some(&'.') {
            i += 1;
            prec.push('.');
            while let Some(&c) = cs.get(i).filter(|c| c.is_ascii_digit()) {
                prec.push(c);
                i += 1;
            }
        }
        let Some(&t) = cs.get(i) else {
            return err(ExcTy::ValueError, "incomplete format");
        };
        i += 1;
        if t == '%' {
            out.push('%');
            continue;
        }
        let v = match &key {
            Some(k) => ctx.getitem(dict.as_ref().unwrap_or(values), &ctx.str(k)?)?,
            None => {
                let v = args.get(ai).cloned().ok_or_else(|| {
                    crate::vm::Raise::New(
                        ExcTy::TypeError,
                        "not enough arguments for format string".into(),
                    )
                })?;
                ai += 1;
                v
            }
        };
        let align_c = if flags.contains('-') { "<" } else { "" };
        let zero = if flags.contains('0') && !flags.contains('-') {
            "0"
        } else {
            ""
        };
        let sign = if flags.contains('+') {
            "+"
        } else if flags.contains(' ') {
            " "
        } else {
            ""
        };
        let s = match t {
            's' => {
                let s = ctx.str_of(&v)?;
                let s = match prec.strip_prefix('.') {
                    Some(p) => s.chars().take(p.parse().unwrap_or(0)).collect(),
                    None => s,
                };
                align(
                    &s,
                    width.parse().unwrap_or(0),
                    if align_c == "<" { '<' } else { '>' },
                    ' ',
                )
            }
            'r' | 'a' => align(
                &ctx.repr(&v)?,
                width.parse().unwrap_or(0),
                if align_c == "<" { '<' } else { '>' },
                ' ',
            ),
            'd' | 'i' | 'u' => {
                let iv = match num(&v) {
                    Some(Num::I(_) | Num::Big) => v.clone(),
                    Some(Num::F(f)) => ctx.float_to_int(f)?,
                    None => {
                        return err(
                            ExcTy::TypeError,
                            format!(
                                "%{t} format: a real number is required, not {}",
                                ctx.type_name(&v)
                            ),
                        );
                    }
                };
                format_spec(ctx, &iv, &format!("{align_c}{sign}{zero}{width}d"))?
            }
            'x' | 'X' | 'o' => {
                let alt = if flags.contains('#') { "#" } else { "" };
                format_spec(ctx, &v, &format!("{align_c}{sign}{alt}{zero}{width}{t}"))?
            }
            'f' | 'F' | 'e' | 'E' | 'g' | 'G' => {
                let p = if prec.is_empty() {
                    ".6".to_string()
                } else if prec == "." {
                    ".0".into()
                } else {
                    prec.clone()
                };
                let fv = match num(&v) {
                    Some(Num::I(_) | Num::Big) => ctx.heap.float(ctx.to_f64(&v)?)?,
                    Some(Num::F(_)) => v.clone(),
                    None => {
                        return err(
                            ExcTy::TypeError,
                            format!("must be real number, not {}", ctx.type_name(&v)),
                        );
                    }
                };
                format_spec(ctx, &fv, &format!("{align_c}{sign}{zero}{width}{p}{t}"))?
            }
            'c' => match v.kind() {
                Kind::Str => v.str_value()?.to_string(),
                _ => char::from_u32(v.as_int()? as u32)
                    .map(String::from)
                    .unwrap_or_default(),
            },
            _ => {
                return err(
                    ExcTy::ValueError,
                    format!(
                        "unsupported format character '{t}' (0x{:x}) at index {}",
                        t as u32,
                        i - 1
                    ),
                );
            }
        };
        out.push_str(&s);
    }
    if key_less(&args, ai, dict.is_some()) {
        return err(
            ExcTy::TypeError,
            "not all arguments converted during string formatting",
        );
    }
    Ok(out)
}

fn key_less(args: &[Obj<'_>], used: usize, dict: bool) -> bool {
    !dict && used < args.len()
}
