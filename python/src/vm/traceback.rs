//! Printing tracebacks as CPython 3.11 does (`PyErr_Print` → `tb_displayline`): one
//! `File "NAME", line N, in FUNC` entry per traceback object, the source line without its
//! indentation, and a line of carets under the failing expression unless it spans the whole line.
//!
//! ```text
//!   File "t.py", line 2, in f
//!     return d[k] + 1          the instruction's range (code positions): d[k] + 1
//!            ~~~~~^~~          a binary operator: `^` under the operator, `~` under the operands
//!            ~^^^              a subscript: `^` under `[..]`, `~` under the value
//! ```
//!
//! The rules (observed with `python3 -S`, CPython 3.11.7):
//! - the range is the instruction's (start line, start column, end line, end column); a range
//!   ending on a later line is drawn to the last non-blank character of the first line;
//! - when the range is on one line, its text is parsed alone: a binary operation or a subscript
//!   gives the two-character drawing above, anything else plain `^`;
//! - no caret line when the range covers the whole stripped line and nothing is drawn with `~`;
//! - an entry equal to the previous one (file, line, function) is printed at most three times,
//!   then `[Previous line repeated N more times]`; only the last 1000 entries are printed
//!   (`sys.tracebacklimit`'s default);
//! - files whose text is not at hand (`<stdin>`, `<string>`) print no source line.

use super::Ctx;
use crate::bytecode::Pos;
use crate::objects::code::Code;
use crate::objects::frame::FrameObject;
use crate::objects::misc::Traceback;
use pyheap_runtime::Obj;
use ruff_python_ast::{Expr, Stmt};
use ruff_text_size::Ranged;

/// CPython's `TB_RECURSIVE_CUTOFF`.
const RECURSIVE_CUTOFF: usize = 3;
/// `sys.tracebacklimit`'s default.
const LIMIT: usize = 1000;

/// One traceback entry, read out of the heap.
pub struct Entry {
    pub file: String,
    pub name: String,
    pub lineno: u32,
    pub pos: Pos,
}

impl<'h> Ctx<'h> {
    /// The entries of a traceback chain, outermost first.
    pub fn traceback_entries(&self, tb: &Obj<'h>) -> Vec<Entry> {
        let mut out = Vec::new();
        let mut cur = Some(tb.clone());
        while let Some(t) = cur {
            let Ok(u) = t.as_user::<Traceback>() else {
                break;
            };
            let Ok(b) = u.borrow() else { break };
            let code = b.frame.get(self.heap).ok().and_then(|f| {
                let fu = f.as_user::<FrameObject>().ok()?;
                let c = fu.borrow().ok()?.code.get(self.heap).ok()?;
                let cu = c.as_user::<Code>().ok()?;
                let d = cu.borrow().ok()?.data.clone();
                Some(d)
            });
            let (file, name) = match code {
                Some(d) => (d.filename.to_string(), d.name.clone()),
                None => ("?".into(), "?".into()),
            };
            out.push(Entry {
                file,
                name,
                lineno: b.lineno,
                pos: b.pos,
            });
            cur = b.next.as_ref().and_then(|n| n.get(self.heap).ok());
        }
        out
    }

    /// Print `exc` with its traceback, cause and context chain, as CPython does (stderr).
    pub fn print_exception(&self, exc: &Obj<'h>) {
        let text: String = self.exception_chunks(exc, true).concat();
        self.write_err(&text);
    }

    /// `traceback.format_exception(exc)`: the chained exceptions first (cause, or context
    /// unless suppressed; each exception once), then for each the traceback header, one chunk
    /// per entry and the `Type: message` line.
    pub fn exception_chunks(&self, exc: &Obj<'h>, chain: bool) -> Vec<String> {
        let mut out = Vec::new();
        let mut seen = vec![exc.as_raw().as_ptr() as usize];
        self.chain_chunks(exc, chain, &mut seen, &mut out);
        out
    }

    fn chain_chunks(
        &self,
        exc: &Obj<'h>,
        chain: bool,
        seen: &mut Vec<usize>,
        out: &mut Vec<String>,
    ) {
        if chain && let Ok(inst) = exc.as_instance() {
            let unseen = |o: &Obj<'h>, seen: &mut Vec<usize>| {
                let id = o.as_raw().as_ptr() as usize;
                let new = !seen.contains(&id);
                seen.push(id);
                new
            };
            if let Some(cause) = inst.get_own("__cause__").filter(|c| !c.is_none()) {
                if unseen(&cause, seen) {
                    self.chain_chunks(&cause, chain, seen, out);
                    out.push(
                        "\nThe above exception was the direct cause of the following exception:\n\n"
                            .into(),
                    );
                }
            } else if let Some(ctx) = inst.get_own("__context__").filter(|c| !c.is_none())
                && !inst
                    .get_own("__suppress_context__")
                    .is_some_and(|s| s.as_bool().unwrap_or(false))
                && unseen(&ctx, seen)
            {
                self.chain_chunks(&ctx, chain, seen, out);
                out.push(
                    "\nDuring handling of the above exception, another exception occurred:\n\n"
                        .into(),
                );
            }
        }
        if let Some(tb) = self.traceback_of(exc) {
            out.push("Traceback (most recent call last):\n".into());
            out.extend(self.format_entries(&self.traceback_entries(&tb)));
        }
        out.push(format!("{}\n", self.exc_line(exc)));
        // PEP 678 notes (`add_note`), one line each after the exception's.
        if let Ok(inst) = exc.as_instance()
            && let Some(notes) = inst.get_own("__notes__")
            && let Ok(items) = self.seq_items(&notes)
        {
            for n in items {
                let text = self
                    .str_of(&n)
                    .unwrap_or_else(|_| "<note str() failed>".into());
                out.push(format!("{text}\n"));
            }
        }
    }

    /// `exc.__traceback__` when it is set.
    pub fn traceback_of(&self, exc: &Obj<'h>) -> Option<Obj<'h>> {
        exc.as_instance()
            .ok()
            .and_then(|i| i.get_own("__traceback__"))
            .filter(|t| !t.is_none())
    }

    /// The `Traceback (most recent call last):` block of `exc` (nothing without a traceback).
    pub fn format_traceback(&self, exc: &Obj<'h>, out: &mut String) {
        if let Some(tb) = self.traceback_of(exc) {
            out.push_str("Traceback (most recent call last):\n");
            out.extend(self.format_entries(&self.traceback_entries(&tb)));
        }
    }

    /// The entries' text, one chunk per printed entry (`traceback.format_tb`).
    pub fn format_entries(&self, entries: &[Entry]) -> Vec<String> {
        let mut out = Vec::new();
        let skip = entries.len().saturating_sub(LIMIT);
        let mut last: Option<(&str, u32, &str)> = None;
        let mut count = 0;
        for e in &entries[skip..] {
            let key = (e.file.as_str(), e.lineno, e.name.as_str());
            if last != Some(key) {
                repeated(&mut out, count);
                last = Some(key);
                count = 0;
            }
            count += 1;
            if count <= RECURSIVE_CUTOFF {
                let mut chunk =
                    format!("  File \"{}\", line {}, in {}\n", e.file, e.lineno, e.name);
                if let Some(line) = self.raw_source_line(&e.file, e.lineno) {
                    render_line(&line, e.lineno, &e.pos, &mut chunk);
                }
                out.push(chunk);
            }
        }
        repeated(&mut out, count);
        out
    }

    /// Line `n` of a file we ran, as written (indentation and trailing blanks kept).
    pub fn raw_source_line(&self, file: &str, n: u32) -> Option<String> {
        if file.starts_with('<') {
            return None;
        }
        let src = self.sources.borrow().get(file).cloned()?;
        let line = src.lines().nth(n.checked_sub(1)? as usize)?;
        Some(line.to_string())
    }
}

fn repeated(out: &mut Vec<String>, count: usize) {
    if count > RECURSIVE_CUTOFF {
        let n = count - RECURSIVE_CUTOFF;
        out.push(format!(
            "  [Previous line repeated {n} more time{}]\n",
            if n == 1 { "" } else { "s" }
        ));
    }
}

fn is_blank(c: char) -> bool {
    c == ' ' || c == '\t' || c == '\x0c'
}

/// The character index of a UTF-8 byte offset of `s` (CPython's
/// `_PyPegen_byte_offset_to_character_offset`, clamped to the text).
fn char_offset(s: &str, byte: usize) -> usize {
    let byte = byte.min(s.len());
    let mut b = byte;
    while !s.is_char_boundary(b) {
        b -= 1;
    }
    s[..b].chars().count()
}

/// Print one source line (indentation removed) and, where CPython draws them, its carets.
fn render_line(line: &str, lineno: u32, pos: &Pos, out: &mut String) {
    let chars: Vec<char> = line.chars().collect();
    let lead = chars.iter().take_while(|c| is_blank(**c)).count();
    if lead == chars.len() {
        return;
    }
    let stripped: String = chars[lead..].iter().collect();
    out.push_str("    ");
    out.push_str(&stripped);
    out.push('\n');
    if pos.end_line == 0 || pos.line != lineno || pos.end_line < pos.line {
        return;
    }
    let start = char_offset(line, pos.col as usize);
    let mut end = char_offset(line, pos.end_col as usize);
    let mut anchors = None;
    if pos.line == pos.end_line {
        if end <= start {
            return;
        }
        let segment: String = chars[start..end].iter().collect();
        anchors = caret_anchors(&segment).map(|(l, r)| (l + start, r + start));
    } else {
        // A range going on past this line: draw to its last non-blank character.
        end = chars.len() - chars.iter().rev().take_while(|c| c.is_whitespace()).count();
    }
    if start >= end || (end - start == chars.len() - lead && anchors.is_none()) {
        return;
    }
    out.push_str("    ");
    let (primary, secondary) = if anchors.is_some() {
        ('~', '^')
    } else {
        ('^', '^')
    };
    for offset in lead + 1..=end {
        let c = if offset <= start {
            ' '
        } else if let Some((l, r)) = anchors
            && l < offset
            && offset <= r
        {
            secondary
        } else {
            primary
        };
        out.push(c);
    }
    out.push('\n');
}

/// For an expression statement that is a binary operation or a subscript, the character range
/// (within `segment`) drawn with `^` — the operator, or the brackets of the subscript.
fn caret_anchors(segment: &str) -> Option<(usize, usize)> {
    let parsed = ruff_python_parser::parse_module(segment).ok()?;
    let body = &parsed.syntax().body;
    let [Stmt::Expr(stmt)] = &body[..] else {
        return None;
    };
    let bytes = segment.as_bytes();
    let ws = |b: u8| b == b' ' || b == b'\t' || b == b'\x0c' || b == b'\n' || b == b'\r';
    let (left, right) = match &*stmt.value {
        Expr::BinOp(b) => {
            let from = b.left.end().to_usize();
            let to = b.right.start().to_usize();
            let mut found = None;
            let mut i = from;
            while i < to {
                if ws(bytes[i]) {
                    i += 1;
                    continue;
                }
                let mut r = i + 1;
                if i + 1 < to && !ws(bytes[i + 1]) {
                    r += 1;
                }
                found = Some((i, r));
                // A closing parenthesis of the left operand: the operator comes later.
                if i + 1 < to && bytes[i] == b')' {
                    i += 1;
                    continue;
                }
                break;
            }
            found?
        }
        Expr::Subscript(s) => {
            let n = bytes.len();
            let mut l = s.value.end().to_usize();
            let mut r = s.slice.end().to_usize() + 1;
            while l < n && bytes[l] != b'[' {
                l += 1;
            }
            while r < n && bytes[r] != b']' {
                r += 1;
            }
            if r < n {
                r += 1;
            }
            (l, r)
        }
        _ => return None,
    };
    Some((char_offset(segment, left), char_offset(segment, right)))
}
