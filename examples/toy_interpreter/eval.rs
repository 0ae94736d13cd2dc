//! The evaluator: special forms, application with proper tail calls, and the built-ins.
//!
//! Every value it handles is an `Obj<'h>` handle (one strong reference); frames are `Env` user
//! objects created per call and freed by refcounting when the call returns — unless something
//! defined inside the call (a local helper closure) points back at the frame.

use crate::parse::Expr;
use crate::value::{Closure, Env, PRIMS, Prim, PrimOp, show, truthy};
use pyheap::runtime::{Heap, Kind, Member, Obj, Root, RuntimeError};
use std::cmp::Ordering;
use std::fmt;
use std::rc::Rc;

/// An evaluation error: from the heap (type errors, overflow...) or from the language.
#[derive(Debug)]
pub enum Error {
    Heap(RuntimeError),
    Lisp(String),
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::Heap(e) => write!(f, "{e}"),
            Error::Lisp(s) => write!(f, "{s}"),
        }
    }
}

impl std::error::Error for Error {}

impl From<RuntimeError> for Error {
    fn from(e: RuntimeError) -> Self {
        Error::Heap(e)
    }
}

type R<T> = Result<T, Error>;

fn err<T>(msg: impl Into<String>) -> R<T> {
    Err(Error::Lisp(msg.into()))
}

/// The interpreter: owns its heap through the global frame's [`Root`] (an `Rc<Heap>` plus a
/// strong reference), so it is a plain value: storable in any struct, dropped like one. Every
/// handle it returns borrows `&self`, so none outlives it; dropping it drops the last owner of
/// the heap, which tears down (frees every object, cycles included).
pub struct Interp {
    global: Root,
}

impl Interp {
    /// A fresh heap and a global frame holding the built-ins.
    pub fn new() -> R<Self> {
        let heap = Rc::new(Heap::new());
        let global = {
            let vars = heap.dict()?;
            for &(name, op) in PRIMS {
                vars.set(&heap.intern(name)?, &heap.new_user(Prim { name, op })?)?;
            }
            let global = heap.new_user(Env {
                vars: Member::new(&vars),
                parent: None,
            })?;
            Root::new(&heap, &global)?
        };
        Ok(Interp { global })
    }

    /// The interpreter's heap.
    pub fn heap(&self) -> &Heap {
        self.global.heap()
    }

    /// The owning pointer to the heap (to watch it after the interpreter is dropped).
    pub fn shared_heap(&self) -> &Rc<Heap> {
        self.global.shared_heap()
    }

    /// The global frame.
    pub fn global(&self) -> Obj<'_> {
        self.global.get()
    }

    /// A new frame below `parent` with `binds`.
    fn new_env<'h>(&'h self, parent: &Obj<'h>, binds: &[(&str, Obj<'h>)]) -> R<Obj<'h>> {
        let vars = self.heap().dict()?;
        for (k, v) in binds {
            vars.set(&self.heap().intern(k)?, v)?;
        }
        let env = Env {
            vars: Member::new(&vars),
            parent: Some(Member::new(parent)),
        };
        Ok(self.heap().new_user(env)?.into_obj())
    }

    /// A frame's (vars dict, parent frame).
    fn frame<'h>(&'h self, env: &Obj<'h>) -> R<(Obj<'h>, Option<Obj<'h>>)> {
        let f = env.as_user::<Env>()?.borrow()?;
        Ok((
            f.vars.get(self.heap())?,
            f.parent.as_ref().map(|p| p.get(self.heap())).transpose()?,
        ))
    }

    /// The innermost frame's dict binding `name`, if any.
    fn find<'h>(&'h self, env: &Obj<'h>, name: &str) -> R<Option<Obj<'h>>> {
        let key = self.heap().intern(name)?;
        let mut cur = Some(env.clone());
        while let Some(frame) = cur {
            let (vars, parent) = self.frame(&frame)?;
            if vars.as_dict()?.contains(&key)? {
                return Ok(Some(vars));
            }
            cur = parent;
        }
        Ok(None)
    }

    fn lookup<'h>(&'h self, env: &Obj<'h>, name: &str) -> R<Obj<'h>> {
        match self.find(env, name)? {
            Some(vars) => Ok(vars.as_dict()?.get_item(&self.heap().intern(name)?)?),
            None => err(format!("unbound variable: {name}")),
        }
    }

    fn define<'h>(&'h self, env: &Obj<'h>, name: &str, v: &Obj<'h>) -> R<()> {
        if let Ok(c) = v.as_user::<Closure>() {
            let mut c = c.borrow_mut()?;
            if c.name.is_none() {
                c.name = Some(name.to_string());
            }
        }
        let (vars, _) = self.frame(env)?;
        vars.as_dict()?.set(&self.heap().intern(name)?, v)?;
        Ok(())
    }

    /// A closure whose body is `form[body_start..]`.
    fn closure<'h>(
        &'h self,
        name: Option<&str>,
        params: &[Expr],
        form: &Rc<[Expr]>,
        body_start: usize,
        env: &Obj<'h>,
    ) -> R<Obj<'h>> {
        let params = params
            .iter()
            .map(|p| match p {
                Expr::Sym(s) => Ok(s.clone()),
                _ => err("lambda: parameters must be symbols"),
            })
            .collect::<R<Vec<_>>>()?;
        if form.len() <= body_start {
            return err("lambda: empty body");
        }
        let c = Closure {
            name: name.map(str::to_string),
            params,
            form: form.clone(),
            body_start,
            env: Some(Member::new(env)),
        };
        Ok(self.heap().new_user(c)?.into_obj())
    }

    /// `'datum`: the AST as a heap value (symbols become interned strs, lists heap lists).
    fn quote<'h>(&'h self, e: &Expr) -> R<Obj<'h>> {
        Ok(match e {
            Expr::Int(i) => self.heap().int(*i)?,
            Expr::BigInt(s) => self.heap().int_from_str(s, 10)?,
            Expr::Sym(s) => self.heap().intern(s)?.into_obj(),
            Expr::List(items) => {
                let vals = items.iter().map(|x| self.quote(x)).collect::<R<Vec<_>>>()?;
                self.heap().list(&vals)?.into_obj()
            }
        })
    }

    /// Evaluate `e` in `env`. Tail positions (`if` branches, the last form of a body, `begin`,
    /// `let`) loop instead of recursing, so tail-recursive loops run in constant Rust stack.
    pub fn eval<'h>(&'h self, e: &Expr, env: &Obj<'h>) -> R<Obj<'h>> {
        let mut env = env.clone();
        let mut e = e.clone();
        loop {
            let items = match &e {
                Expr::Int(i) => return Ok(self.heap().int(*i)?),
                Expr::BigInt(s) => return Ok(self.heap().int_from_str(s, 10)?),
                Expr::Sym(s) => {
                    return Ok(match &**s {
                        "nil" => self.heap().none(),
                        "#t" => self.heap().bool(true),
                        "#f" => self.heap().bool(false),
                        _ => self.lookup(&env, s)?,
                    });
                }
                Expr::List(items) if items.is_empty() => {
                    return Ok(self.heap().list(&[])?.into_obj());
                }
                Expr::List(items) => items.clone(),
            };
            let head: &str = match &items[0] {
                Expr::Sym(s) => s,
                _ => "",
            };
            match (head, items.len()) {
                ("quote", 2) => return self.quote(&items[1]),
                ("if", 3 | 4) => {
                    let c = self.eval(&items[1], &env)?;
                    if truthy(&c) {
                        e = items[2].clone();
                    } else if let Some(alt) = items.get(3) {
                        e = alt.clone();
                    } else {
                        return Ok(self.heap().none());
                    }
                    continue;
                }
                ("define", 3..) => {
                    match &items[1] {
                        // (define (f params…) body…)
                        Expr::List(sig) if matches!(sig.first(), Some(Expr::Sym(_))) => {
                            let Expr::Sym(name) = &sig[0] else {
                                unreachable!()
                            };
                            let c = self.closure(Some(&**name), &sig[1..], &items, 2, &env)?;
                            self.define(&env, name, &c)?;
                        }
                        Expr::Sym(name) if items.len() == 3 => {
                            let v = self.eval(&items[2], &env)?;
                            self.define(&env, name, &v)?;
                        }
                        _ => {
                            return err(
                                "define: expected (define name expr) or (define (f args) body)",
                            );
                        }
                    }
                    return Ok(self.heap().none());
                }
                ("set!", 3) => {
                    let Expr::Sym(name) = &items[1] else {
                        return err("set!: expected a symbol");
                    };
                    let v = self.eval(&items[2], &env)?;
                    match self.find(&env, name)? {
                        Some(vars) => vars.as_dict()?.set(&self.heap().intern(name)?, &v)?,
                        None => return err(format!("set!: unbound variable: {name}")),
                    }
                    return Ok(self.heap().none());
                }
                ("lambda", 3..) => {
                    let Expr::List(params) = &items[1] else {
                        return err("lambda: expected a parameter list");
                    };
                    return self.closure(None, params, &items, 2, &env);
                }
                ("begin", 2..) => {
                    for x in &items[1..items.len() - 1] {
                        self.eval(x, &env)?;
                    }
                    e = items[items.len() - 1].clone();
                    continue;
                }
                ("let", 3..) => {
                    let Expr::List(bindings) = &items[1] else {
                        return err("let: expected ((name expr) …)");
                    };
                    let mut binds = Vec::new();
                    for b in bindings.iter() {
                        let (name, x) = match b {
                            Expr::List(nx) if nx.len() == 2 => match &nx[0] {
                                Expr::Sym(name) => (name, &nx[1]),
                                _ => return err("let: expected (name expr)"),
                            },
                            _ => return err("let: expected (name expr)"),
                        };
                        binds.push((&**name, self.eval(x, &env)?));
                    }
                    env = self.new_env(&env, &binds)?;
                    for x in &items[2..items.len() - 1] {
                        self.eval(x, &env)?;
                    }
                    e = items[items.len() - 1].clone();
                    continue;
                }
                ("quote" | "if" | "define" | "set!" | "lambda" | "begin" | "let", _) => {
                    return err(format!("{head}: wrong number of parts"));
                }
                _ => {}
            }
            // Application.
            let f = self.eval(&items[0], &env)?;
            let args = items[1..]
                .iter()
                .map(|a| self.eval(a, &env))
                .collect::<R<Vec<_>>>()?;
            if let Ok(p) = f.as_user::<Prim>() {
                let op = p.borrow()?.op;
                return self.prim(op, &args);
            }
            let Ok(c) = f.as_user::<Closure>() else {
                return err(format!("not a procedure: {}", show(&f)));
            };
            let (params, form, start, cenv) = {
                let c = c.borrow()?;
                let cenv = c.env.as_ref().map(|m| m.get(self.heap())).transpose()?;
                (c.params.clone(), c.form.clone(), c.body_start, cenv)
            };
            let body = &form[start..];
            if params.len() != args.len() {
                return err(format!(
                    "{}: expected {} argument(s), got {}",
                    show(&f),
                    params.len(),
                    args.len()
                ));
            }
            let binds: Vec<(&str, Obj<'h>)> = params.iter().map(|p| &**p).zip(args).collect();
            let parent = cenv.unwrap_or_else(|| self.global());
            env = self.new_env(&parent, &binds)?;
            for x in &body[..body.len() - 1] {
                self.eval(x, &env)?;
            }
            e = body[body.len() - 1].clone();
        }
    }

    fn prim<'h>(&'h self, op: PrimOp, args: &[Obj<'h>]) -> R<Obj<'h>> {
        let h = self.heap();
        let arity = |n: usize| {
            if args.len() == n {
                Ok(())
            } else {
                err(format!(
                    "{op:?}: expected {n} argument(s), got {}",
                    args.len()
                ))
            }
        };
        Ok(match op {
            PrimOp::Add | PrimOp::Mul => {
                let mut acc = h.int(if matches!(op, PrimOp::Add) { 0 } else { 1 })?;
                for a in args {
                    acc = if matches!(op, PrimOp::Add) {
                        h.int_add(&acc, a)?
                    } else {
                        h.int_mul(&acc, a)?
                    };
                }
                acc
            }
            PrimOp::Sub => match args {
                [a] => h.int_sub(&h.int(0)?, a)?,
                [a, rest @ ..] => {
                    let mut acc = a.clone();
                    for b in rest {
                        acc = h.int_sub(&acc, b)?;
                    }
                    acc
                }
                [] => return err("-: expected at least 1 argument"),
            },
            PrimOp::Div => {
                arity(2)?;
                h.int_floordiv(&args[0], &args[1])?
            }
            PrimOp::NumEq | PrimOp::Lt | PrimOp::Gt | PrimOp::Le | PrimOp::Ge => {
                // Exact comparisons of ints of any size (the heap's bigints compare digit by digit).
                let mut ok = true;
                for w in args.windows(2) {
                    let o = h.int_cmp(&w[0], &w[1])?;
                    ok &= match op {
                        PrimOp::NumEq => o == Ordering::Equal,
                        PrimOp::Lt => o == Ordering::Less,
                        PrimOp::Gt => o == Ordering::Greater,
                        PrimOp::Le => o != Ordering::Greater,
                        _ => o != Ordering::Less,
                    };
                }
                h.bool(ok)
            }
            PrimOp::Not => {
                arity(1)?;
                h.bool(!truthy(&args[0]))
            }
            PrimOp::List => h.list(args)?.into_obj(),
            PrimOp::Car | PrimOp::Cdr => {
                arity(1)?;
                let l = args[0].as_list()?;
                if l.is_empty() {
                    return err(format!("{op:?} of an empty list"));
                }
                if matches!(op, PrimOp::Car) {
                    l.get(0)?
                } else {
                    h.list(&l.to_vec()[1..])?.into_obj()
                }
            }
            PrimOp::Cons => {
                arity(2)?;
                let mut items = vec![args[0].clone()];
                items.extend(args[1].as_list()?.to_vec());
                h.list(&items)?.into_obj()
            }
            PrimOp::IsNull => {
                arity(1)?;
                h.bool(args[0].is_none() || args[0].as_list().is_ok_and(|l| l.is_empty()))
            }
            PrimOp::Length => {
                arity(1)?;
                h.int(args[0].as_list()?.len() as i64)?
            }
            PrimOp::Display => {
                let parts: Vec<String> = args.iter().map(show).collect();
                println!("{}", parts.join(" "));
                h.none()
            }
            PrimOp::Collect => {
                arity(0)?;
                let n = h.gc().collect(2).map_err(|e| Error::Lisp(e.to_string()))?;
                h.int(n as i64)?
            }
            PrimOp::Live => {
                arity(0)?;
                h.int(h.live_objects() as i64)?
            }
        })
    }

    /// Is `v` a value the REPL should print (not the `nil` of a `define`)?
    pub fn printable(v: &Obj<'_>) -> bool {
        v.kind() != Kind::None
    }
}
