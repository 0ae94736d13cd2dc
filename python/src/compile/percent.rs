//! `"..." % (a, b)` compiled as an f-string, as CPython 3.11's AST optimiser rewrites it.
//!
//! When the left operand is a string literal, the right a tuple display without `*`, and
//! every conversion is a plain `%s`, `%r` or `%a` (with at most a `-` flag, a width and a
//! precision of one or two digits each), CPython replaces the `%` with a `JoinedStr`:
//!
//! ```text
//!   "x=%s, y=%-4r%%" % (x, y)   ──▶   f"x={x!s}, y={y!r:4}%"
//! ```
//!
//! so no argument tuple is built at run time (a program's `gc.get_count()` sees it) and
//! the conversions are str()/repr()/ascii() then format() with the width and precision.
//! Anything else (`%d`, `%(name)s`, a count of conversions other than the tuple's length)
//! stays a run-time `%`, with its errors.

/// One piece of the rewritten string.
#[derive(Debug, PartialEq)]
pub(super) enum Piece {
    /// Literal text (`%%` already turned into `%`).
    Text(String),
    /// The next tuple item, converted (FormatValue's code: 1 repr, 2 ascii, 3 str), then
    /// formatted with `spec` (empty: none).
    Value { conversion: u32, spec: String },
}

/// The pieces of `fmt` when `fmt % (n items)` is rewritten, else `None`.
pub(super) fn rewrite(fmt: &str, n: usize) -> Option<Vec<Piece>> {
    if n == 0 {
        return None;
    }
    let cs: Vec<char> = fmt.chars().collect();
    let mut pos = 0;
    let mut pieces = vec![];
    for _ in 0..n {
        if let Some(t) = literal(&cs, &mut pos) {
            pieces.push(Piece::Text(t));
        }
        if pos >= cs.len() {
            return None; // fewer conversions than items
        }
        pieces.push(conversion(&cs, &mut pos)?);
    }
    if let Some(t) = literal(&cs, &mut pos) {
        pieces.push(Piece::Text(t));
    }
    // A conversion left over means more conversions than items.
    (pos == cs.len()).then_some(pieces)
}

/// Text up to the next lone `%` (which `pos` is left on).
fn literal(cs: &[char], pos: &mut usize) -> Option<String> {
    let mut out = String::new();
    while *pos < cs.len() {
        if cs[*pos] != '%' {
            out.push(cs[*pos]);
            *pos += 1;
        } else if cs.get(*pos + 1) == Some(&'%') {
            out.push('%');
            *pos += 2;
        } else {
            break;
        }
    }
    (!out.is_empty()).then_some(out)
}

/// The conversion at `pos` (on its `%`), if it is one CPython rewrites.
fn conversion(cs: &[char], pos: &mut usize) -> Option<Piece> {
    let mut i = *pos + 1;
    let mut ljust = false;
    while let Some(&c) = cs.get(i) {
        match c {
            '-' => ljust = true,
            // Flags that change nothing for a string conversion.
            '+' | ' ' | '#' | '0' => {}
            _ => break,
        }
        i += 1;
    }
    let width = digits(cs, &mut i)?;
    let precision = if cs.get(i) == Some(&'.') {
        i += 1;
        Some(digits(cs, &mut i)?.unwrap_or(0))
    } else {
        None
    };
    let conversion = match cs.get(i)? {
        's' => 3,
        'r' => 1,
        'a' => 2,
        _ => return None,
    };
    *pos = i + 1;
    let mut spec = String::new();
    if let Some(w) = width {
        if !ljust && w > 0 {
            spec.push('>');
        }
        spec += &w.to_string();
    }
    if let Some(p) = precision {
        spec += &format!(".{p}");
    }
    Some(Piece::Value { conversion, spec })
}

/// A run of at most two digits at `i` (`Some(None)`: none; `None`: three or more, which
/// CPython leaves to run time).
fn digits(cs: &[char], i: &mut usize) -> Option<Option<u32>> {
    let start = *i;
    while cs.get(*i).is_some_and(char::is_ascii_digit) {
        *i += 1;
    }
    match *i - start {
        0 => Some(None),
        1 | 2 => Some(Some(cs[start..*i].iter().collect::<String>().parse().ok()?)),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn v(conversion: u32, spec: &str) -> Piece {
        Piece::Value {
            conversion,
            spec: spec.into(),
        }
    }
    fn t(s: &str) -> Piece {
        Piece::Text(s.into())
    }

    #[test]
    fn plain_conversions_become_pieces() {
        assert_eq!(
            rewrite("x=%s, y=%r%%", 2),
            Some(vec![t("x="), v(3, ""), t(", y="), v(1, ""), t("%")])
        );
        assert_eq!(rewrite("%a", 1), Some(vec![v(2, "")]));
    }

    #[test]
    fn width_and_precision_become_a_spec() {
        assert_eq!(rewrite("%5s", 1), Some(vec![v(3, ">5")]));
        assert_eq!(rewrite("%-5s|", 1), Some(vec![v(3, "5"), t("|")]));
        assert_eq!(rewrite("%.2s", 1), Some(vec![v(3, ".2")]));
        assert_eq!(rewrite("%10.3r", 1), Some(vec![v(1, ">10.3")]));
    }

    #[test]
    fn other_formats_stay_at_run_time() {
        assert_eq!(rewrite("%d", 1), None);
        assert_eq!(rewrite("%(k)s", 1), None);
        assert_eq!(rewrite("%s %s", 1), None, "more conversions than items");
        assert_eq!(rewrite("%s", 2), None, "more items than conversions");
        assert_eq!(rewrite("%123s", 1), None, "three-digit width");
        assert_eq!(rewrite("%s", 0), None);
        assert_eq!(rewrite("100%", 1), None);
    }
}
