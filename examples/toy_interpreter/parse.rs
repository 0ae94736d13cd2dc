//! The reader: source text → s-expressions, reference-counted (`Rc`) Rust data.
//!
//! ```text
//!   "(define (sq x) (* x x))"
//!        │ tokens: ( define ( sq x ) ( * x x ) )
//!        ▼
//!   Rc<[Expr]>:  [Sym "define", List ─▶ [Sym "sq", Sym "x"], List ─▶ [Sym "*", …]]
//!                 every list is one `Rc<[Expr]>`, every symbol one `Rc<str>`
//! ```
//!
//! The AST is reference-counted Rust data, outside the heap: a closure (a heap user type, which
//! must be `'static`) keeps the list its body came from alive by holding an `Rc` to it, the way a
//! Python function keeps its code object. Nothing is leaked: a form's nodes die with the last
//! closure (or evaluation) using them.

use std::rc::Rc;

/// An s-expression. Cheap to clone (an `Rc` count), so a closure keeps its body by cloning the
/// `Rc` of the list it came from.
#[derive(Debug, Clone)]
pub enum Expr {
    /// An integer literal that fits an i64.
    Int(i64),
    /// An integer literal past i64, in decimal (made a heap big int when evaluated).
    BigInt(Rc<str>),
    /// A symbol (`x`, `+`, `define`).
    Sym(Rc<str>),
    /// `( … )`.
    List(Rc<[Expr]>),
}

/// One top-level form with its source text (for the `SRC = VALUE` lines).
pub struct Form {
    pub expr: Expr,
    pub src: String,
}

/// `(`, `)`, `'` or an atom, with its byte offsets in the source.
#[derive(Clone, Copy)]
struct Token<'s> {
    text: &'s str,
    start: usize,
    end: usize,
}

fn tokenize(src: &str) -> Vec<Token<'_>> {
    let mut out = Vec::new();
    let b = src.as_bytes();
    let mut i = 0;
    while i < b.len() {
        let c = b[i];
        if c.is_ascii_whitespace() {
            i += 1;
        } else if c == b';' {
            while i < b.len() && b[i] != b'\n' {
                i += 1;
            }
        } else if matches!(c, b'(' | b')' | b'\'') {
            out.push(Token {
                text: &src[i..i + 1],
                start: i,
                end: i + 1,
            });
            i += 1;
        } else {
            let start = i;
            while i < b.len() && !b[i].is_ascii_whitespace() && !matches!(b[i], b'(' | b')' | b';')
            {
                i += 1;
            }
            out.push(Token {
                text: &src[start..i],
                start,
                end: i,
            });
        }
    }
    out
}

struct Parser<'s> {
    toks: Vec<Token<'s>>,
    pos: usize,
}

impl Parser<'_> {
    /// One expression; returns it and the byte offset just after it.
    fn expr(&mut self) -> Result<(Expr, usize), String> {
        let Some(t) = self.toks.get(self.pos).copied() else {
            return Err("unexpected end of input (missing ')'?)".into());
        };
        self.pos += 1;
        match t.text {
            "(" => {
                let mut items = Vec::new();
                loop {
                    match self.toks.get(self.pos) {
                        None => return Err("unexpected end of input (missing ')')".into()),
                        Some(t) if t.text == ")" => {
                            let end = t.end;
                            self.pos += 1;
                            return Ok((Expr::List(items.into()), end));
                        }
                        Some(_) => items.push(self.expr()?.0),
                    }
                }
            }
            ")" => Err(format!("unexpected ')' at byte {}", t.start)),
            "'" => {
                // 'x is (quote x)
                let (quoted, end) = self.expr()?;
                let items = [Expr::Sym("quote".into()), quoted];
                Ok((Expr::List(Rc::new(items)), end))
            }
            atom => Ok((
                match atom.parse::<i64>() {
                    Ok(i) => Expr::Int(i),
                    Err(_) if is_integer(atom) => Expr::BigInt(atom.into()),
                    Err(_) => Expr::Sym(atom.into()),
                },
                t.end,
            )),
        }
    }
}

/// `-?[0-9]+`: an integer literal (one past i64 becomes a big int).
fn is_integer(atom: &str) -> bool {
    let digits = atom.strip_prefix('-').unwrap_or(atom);
    !digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit())
}

/// Parse every top-level form of `src`.
pub fn parse(src: &str) -> Result<Vec<Form>, String> {
    let mut p = Parser {
        toks: tokenize(src),
        pos: 0,
    };
    let mut forms = Vec::new();
    while p.pos < p.toks.len() {
        let start = p.toks[p.pos].start;
        let (e, end) = p.expr()?;
        forms.push(Form {
            expr: e,
            src: src[start..end].to_string(),
        });
    }
    Ok(forms)
}

/// Open parentheses minus closed ones (the REPL reads more lines while this is > 0).
pub fn depth(src: &str) -> i64 {
    tokenize(src)
        .iter()
        .map(|t| match t.text {
            "(" => 1,
            ")" => -1,
            _ => 0,
        })
        .sum()
}
