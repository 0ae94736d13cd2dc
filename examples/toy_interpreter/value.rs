//! Values of the toy Lisp, all heap objects.
//!
//! | Lisp                | heap object                                                  |
//! |---------------------|--------------------------------------------------------------|
//! | `42`, `#t`, `nil`   | `int` (−5..=256 immortal, others mortal), `bool`, `None`     |
//! | `(list 1 2)`        | a heap `list`                                                |
//! | `'sym`              | an interned `str`                                            |
//! | environment frame   | [`Env`]: a `dict` of variables + the parent frame (user type) |
//! | `(lambda (x) …)`    | [`Closure`]: parameters and body (AST) + the defining `Env`   |
//! | `+`, `car`, …       | [`Prim`]: a built-in procedure (user type without references) |
//!
//! ```text
//!   (define (f) …) inside frame E:      E.vars ──"f"──▶ Closure f ──env──▶ E
//!                                       a cycle: refcounting alone never frees E or f
//! ```

use crate::parse::Expr;
use pyheap::runtime::{Kind, Member, Obj, UserType, Visitor};
use std::rc::Rc;

/// An environment frame: `vars` (a heap dict, interned symbol → value) and the enclosing frame.
pub struct Env {
    pub vars: Member,
    pub parent: Option<Member>,
}

impl UserType for Env {
    const NAME: &'static str = "Env";
    fn traverse(&self, v: &mut Visitor<'_>) {
        v.visit(&self.vars);
        v.visit_opt(&self.parent);
    }
    fn clear(&mut self) {
        // The dict is cleared by its own tp_clear; dropping the parent link is enough here.
        self.parent = None;
    }
    fn repr(&self) -> Option<String> {
        Some(
            if self.parent.is_some() {
                "<Env frame>"
            } else {
                "<Env global>"
            }
            .into(),
        )
    }
}

/// A user procedure: its parameter names, its body (`form[body_start..]`, an `Rc` of the
/// `lambda`/`define` list it came from), and `env`, the frame the lambda was evaluated in.
pub struct Closure {
    pub name: Option<String>,
    pub params: Vec<Rc<str>>,
    pub form: Rc<[Expr]>,
    pub body_start: usize,
    pub env: Option<Member>,
}

impl UserType for Closure {
    const NAME: &'static str = "Closure";
    fn traverse(&self, v: &mut Visitor<'_>) {
        v.visit_opt(&self.env);
    }
    fn clear(&mut self) {
        self.env = None;
    }
    fn repr(&self) -> Option<String> {
        Some(format!(
            "<closure {}>",
            self.name.as_deref().unwrap_or("lambda")
        ))
    }
}

/// The built-in procedures.
#[derive(Clone, Copy, Debug)]
pub enum PrimOp {
    Add,
    Sub,
    Mul,
    Div,
    NumEq,
    Lt,
    Gt,
    Le,
    Ge,
    Not,
    List,
    Car,
    Cdr,
    Cons,
    IsNull,
    Length,
    Display,
    /// `(collect)`: `gc.collect(2)`.
    Collect,
    /// `(live)`: live objects in the heap.
    Live,
}

/// Names bound in the global frame.
pub const PRIMS: &[(&str, PrimOp)] = &[
    ("+", PrimOp::Add),
    ("-", PrimOp::Sub),
    ("*", PrimOp::Mul),
    ("/", PrimOp::Div),
    ("=", PrimOp::NumEq),
    ("<", PrimOp::Lt),
    (">", PrimOp::Gt),
    ("<=", PrimOp::Le),
    (">=", PrimOp::Ge),
    ("not", PrimOp::Not),
    ("list", PrimOp::List),
    ("car", PrimOp::Car),
    ("cdr", PrimOp::Cdr),
    ("cons", PrimOp::Cons),
    ("null?", PrimOp::IsNull),
    ("length", PrimOp::Length),
    ("display", PrimOp::Display),
    ("collect", PrimOp::Collect),
    ("live", PrimOp::Live),
];

/// A built-in procedure object (holds no references: traverse reports nothing).
pub struct Prim {
    pub name: &'static str,
    pub op: PrimOp,
}

impl UserType for Prim {
    const NAME: &'static str = "Prim";
    fn traverse(&self, _: &mut Visitor<'_>) {}
    fn clear(&mut self) {}
    fn repr(&self) -> Option<String> {
        Some(format!("<builtin {}>", self.name))
    }
}

/// How the REPL prints a value: `(1 2 3)`, `#t`, `nil`, `<closure f>`.
pub fn show(v: &Obj<'_>) -> String {
    match v.kind() {
        Kind::None => "nil".into(),
        Kind::Bool => if v.as_bool().unwrap_or(false) {
            "#t"
        } else {
            "#f"
        }
        .into(),
        Kind::Str => v.str_value().unwrap_or("?").into(),
        Kind::List => {
            let items = v.as_list().map(|l| l.to_vec()).unwrap_or_default();
            let parts: Vec<String> = items.iter().map(|x| show(x)).collect();
            format!("({})", parts.join(" "))
        }
        _ => v.repr(),
    }
}

/// Lisp truth: everything except `#f` and `nil`.
pub fn truthy(v: &Obj<'_>) -> bool {
    match v.kind() {
        Kind::None => false,
        Kind::Bool => v.as_bool().unwrap_or(true),
        _ => true,
    }
}
