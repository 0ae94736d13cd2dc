//! Annotations as text, for `from __future__ import annotations` (PEP 563): each annotation is
//! stored as the string `ast.unparse` would give, not evaluated.
//!
//! ```text
//!   def f(x: Dict[str,int]) -> 'A | None'   ──▶   {'x': 'Dict[str, int]', 'return': "'A | None'"}
//! ```
//!
//! The forms annotations are made of are rebuilt in CPython's spelling (names, attributes,
//! subscripts with their tuples, `|` and the other binary operators, lists, tuples, calls,
//! constants); any other expression keeps its source text.

use ruff_python_ast::{self as ast, Expr, Number, Operator};
use ruff_text_size::Ranged;

/// The text of annotation `e` (taken from `source` where a form is not rebuilt).
pub fn annotation(e: &Expr, source: &str) -> String {
    let mut out = String::new();
    write(&mut out, e, source, 0);
    out
}

/// Binding strength, lowest first: an operand weaker than its context gets parentheses.
fn precedence(op: Operator) -> u8 {
    match op {
        Operator::BitOr => 1,
        Operator::BitXor => 2,
        Operator::BitAnd => 3,
        Operator::LShift | Operator::RShift => 4,
        Operator::Add | Operator::Sub => 5,
        Operator::Mult | Operator::MatMult | Operator::Div | Operator::FloorDiv | Operator::Mod => {
            6
        }
        Operator::Pow => 8,
    }
}

fn write(out: &mut String, e: &Expr, source: &str, context: u8) {
    match e {
        Expr::Name(n) => out.push_str(n.id.as_str()),
        Expr::Attribute(a) => {
            write(out, &a.value, source, 9);
            out.push('.');
            out.push_str(a.attr.as_str());
        }
        Expr::Subscript(s) => {
            write(out, &s.value, source, 9);
            out.push('[');
            match &*s.slice {
                Expr::Tuple(t) if !t.elts.is_empty() => items(out, &t.elts, source),
                other => write(out, other, source, 0),
            }
            out.push(']');
        }
        Expr::BinOp(b) => {
            let p = precedence(b.op);
            if p < context {
                out.push('(');
            }
            write(out, &b.left, source, p);
            out.push(' ');
            out.push_str(b.op.as_str());
            out.push(' ');
            write(out, &b.right, source, p + 1);
            if p < context {
                out.push(')');
            }
        }
        Expr::List(l) => {
            out.push('[');
            items(out, &l.elts, source);
            out.push(']');
        }
        Expr::Tuple(t) => {
            out.push('(');
            items(out, &t.elts, source);
            if t.elts.len() == 1 {
                out.push(',');
            }
            out.push(')');
        }
        Expr::Call(c) if c.arguments.keywords.is_empty() => {
            write(out, &c.func, source, 9);
            out.push('(');
            items(out, &c.arguments.args, source);
            out.push(')');
        }
        Expr::StringLiteral(s) => out.push_str(&crate::vm::repr::str_repr(s.value.to_str())),
        Expr::NoneLiteral(_) => out.push_str("None"),
        Expr::BooleanLiteral(b) => out.push_str(if b.value { "True" } else { "False" }),
        Expr::EllipsisLiteral(_) => out.push_str("..."),
        Expr::NumberLiteral(n) => match &n.value {
            Number::Int(i) => out.push_str(&i.to_string()),
            _ => out.push_str(&source[e.range()]),
        },
        _ => out.push_str(&source[e.range()]),
    }
}

fn items(out: &mut String, elts: &[Expr], source: &str) {
    for (i, x) in elts.iter().enumerate() {
        if i > 0 {
            out.push_str(", ");
        }
        write(out, x, source, 0);
    }
}

/// The features 3.11 knows (`__future__.all_feature_names`).
const FEATURES: &[&str] = &[
    "nested_scopes",
    "generators",
    "division",
    "absolute_import",
    "with_statement",
    "print_function",
    "unicode_literals",
    "barry_as_FLUFL",
    "generator_stop",
    "annotations",
];

/// Check module `body`'s `from __future__ import` statements (only at its start, after the
/// docstring; only known features) and say whether they turn on `annotations`. An error is
/// CPython's message with the statement it is about.
pub fn future_annotations(body: &[ast::Stmt]) -> Result<bool, (String, &ast::Stmt)> {
    let is_future = |s: &ast::Stmt| {
        matches!(s, ast::Stmt::ImportFrom(i)
            if i.module.as_ref().is_some_and(|m| m.as_str() == "__future__") && i.level == 0)
    };
    let start = usize::from(matches!(
        body.first(),
        Some(ast::Stmt::Expr(e)) if e.value.is_string_literal_expr()
    ));
    let mut annotations = false;
    let mut leading = true;
    for s in body.iter().skip(start) {
        if !is_future(s) {
            leading = false;
            continue;
        }
        if !leading {
            return Err((
                "from __future__ imports must occur at the beginning of the file".into(),
                s,
            ));
        }
        let ast::Stmt::ImportFrom(i) = s else {
            continue;
        };
        for a in &i.names {
            match a.name.as_str() {
                "annotations" => annotations = true,
                "braces" => return Err(("not a chance".into(), s)),
                n if FEATURES.contains(&n) => {}
                n => return Err((format!("future feature {n} is not defined"), s)),
            }
        }
    }
    Ok(annotations)
}
