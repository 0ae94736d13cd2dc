//! The reader: source text → s-expressions, allocated in a bumpalo arena.
//!
//! ```text
//!   "(define (sq x) (* x x))"
//!        │ tokens: ( define ( sq x ) ( * x x ) )
//!        ▼
//!   bump arena:  [List ─▶ [Sym "define", List ─▶ [Sym "sq", Sym "x"], List ─▶ [Sym "*", …]]]
//!                 every node, every slice and every symbol's text is one bump allocation
//! ```
//!
//! A bump arena suits an AST: nodes are allocated in order, never freed one by one, and all die
//! together. Here the arena lives as long as the interpreter (closures point at their lambda's
//! body inside it, the way a Python function points at its code object), so it is created once
//! and leaked on purpose: the AST is `'static`, which is what heap user types require.

use bumpalo::Bump;

/// An s-expression.
#[derive(Debug)]
pub enum Expr<'a> {
    /// An integer literal.
    Int(i64),
    /// A symbol (`x`, `+`, `define`).
    Sym(&'a str),
    /// `( … )`.
    List(&'a [Expr<'a>]),
}

/// One top-level form with its source text (for the `SRC = VALUE` lines).
pub struct Form<'a> {
    pub expr: &'a Expr<'a>,
    pub src: &'a str,
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

struct Parser<'a, 's> {
    bump: &'a Bump,
    toks: Vec<Token<'s>>,
    pos: usize,
}

impl<'a> Parser<'a, '_> {
    /// One expression; returns it and the byte offset just after it.
    fn expr(&mut self) -> Result<(Expr<'a>, usize), String> {
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
                            let slice = self.bump.alloc_slice_fill_iter(items);
                            return Ok((Expr::List(slice), end));
                        }
                        Some(_) => items.push(self.expr()?.0),
                    }
                }
            }
            ")" => Err(format!("unexpected ')' at byte {}", t.start)),
            "'" => {
                // 'x is (quote x)
                let (quoted, end) = self.expr()?;
                let items = [Expr::Sym(self.bump.alloc_str("quote")), quoted];
                Ok((Expr::List(self.bump.alloc_slice_fill_iter(items)), end))
            }
            atom => Ok((
                match atom.parse::<i64>() {
                    Ok(i) => Expr::Int(i),
                    Err(_) => Expr::Sym(self.bump.alloc_str(atom)),
                },
                t.end,
            )),
        }
    }
}

/// Parse every top-level form of `src` into `bump`.
pub fn parse<'a>(bump: &'a Bump, src: &str) -> Result<Vec<Form<'a>>, String> {
    let mut p = Parser {
        bump,
        toks: tokenize(src),
        pos: 0,
    };
    let mut forms = Vec::new();
    while p.pos < p.toks.len() {
        let start = p.toks[p.pos].start;
        let (e, end) = p.expr()?;
        forms.push(Form {
            expr: bump.alloc(e),
            src: bump.alloc_str(&src[start..end]),
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
