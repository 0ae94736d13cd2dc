//! Scope analysis: which names of a code block are fast locals, cells, free variables, globals
//! or (in module and class bodies) names looked up in a dict.
//!
//! ```text
//!   module ─┬─ def f ─── def g      g reads x assigned in f: x is a cell of f, a free var of g
//!           └─ class A ── def m     A's names are not visible in m (class scopes are skipped),
//!                                    except __class__, a cell of A when m uses super()
//! ```
//!
//! One pass collects, per scope (keyed by the address of its AST node), the names bound, the
//! names used and the `global`/`nonlocal` declarations; a second pass resolves every scope from
//! the outside in, marking a binding as a cell when an inner function reads it.

use ruff_python_ast::visitor::{Visitor, walk_expr, walk_pattern, walk_stmt};
use ruff_python_ast::{self as ast, Expr, Stmt};
use std::borrow::Cow;
use std::collections::HashMap;

/// Private name mangling: inside the body of class `A` (and the functions nested in it), an
/// identifier `__x` that does not end in `__` means `_A__x` (the class name's leading
/// underscores dropped; a class named only `_`s mangles nothing). Mangling is idempotent: a
/// mangled name starts with one underscore.
pub fn mangle<'n>(private: Option<&str>, name: &'n str) -> Cow<'n, str> {
    let Some(class) = private.map(|c| c.trim_start_matches('_')) else {
        return Cow::Borrowed(name);
    };
    if class.is_empty() || !name.starts_with("__") || name.ends_with("__") || name.contains('.') {
        return Cow::Borrowed(name);
    }
    Cow::Owned(format!("_{class}{name}"))
}

/// What kind of block a scope is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ScopeKind {
    Module,
    Class,
    Function,
}

/// Where a name lives in one scope.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NameLoc {
    /// A fast local slot (function scopes).
    Fast,
    /// A cell of this scope (read by an inner function).
    Cell,
    /// A free variable (a cell of an enclosing function).
    Free,
    /// Module globals (declared `global`, or not bound in any enclosing function).
    Global,
    /// Looked up in the scope's dict, then globals, then builtins (module and class bodies).
    Name,
}

/// The resolved names of one scope.
#[derive(Debug, Default)]
pub struct Scope {
    pub kind: Option<ScopeKind>,
    /// Parameters first, in order, then the other locals.
    pub varnames: Vec<String>,
    pub cellvars: Vec<String>,
    pub freevars: Vec<String>,
    pub generator: bool,
    bound: Vec<String>,
    used: Vec<String>,
    globals: Vec<String>,
    nonlocals: Vec<String>,
    children: Vec<usize>,
    params: Vec<String>,
    /// A method (directly in a class) that uses `super` or `__class__`.
    needs_class_cell: bool,
}

impl Scope {
    /// Where `name` lives when read or written in this scope.
    pub fn lookup(&self, name: &str) -> NameLoc {
        if self.cellvars.iter().any(|n| n == name) {
            return NameLoc::Cell;
        }
        if self.freevars.iter().any(|n| n == name) {
            return NameLoc::Free;
        }
        if self.globals.iter().any(|n| n == name) {
            return NameLoc::Global;
        }
        match self.kind {
            Some(ScopeKind::Function) => {
                if self.varnames.iter().any(|n| n == name) {
                    NameLoc::Fast
                } else {
                    NameLoc::Global
                }
            }
            _ => NameLoc::Name,
        }
    }
}

/// All scopes of a module, by the address of their AST node (the module's is 0).
pub struct Scopes {
    pub map: HashMap<usize, Scope>,
}

/// The key of a scope-creating node.
pub fn key<T>(node: &T) -> usize {
    node as *const T as usize
}

struct Collector {
    map: HashMap<usize, Scope>,
    stack: Vec<usize>,
    errors: Vec<String>,
    /// The innermost enclosing class, whose name mangles private names.
    private: Option<String>,
}

fn push_unique(v: &mut Vec<String>, s: &str) {
    if !v.iter().any(|x| x == s) {
        v.push(s.to_string());
    }
}

impl Collector {
    fn cur(&mut self) -> &mut Scope {
        let k = *self.stack.last().expect("scope");
        self.map.get_mut(&k).expect("scope")
    }
    fn enter(&mut self, k: usize, kind: ScopeKind) {
        if let Some(&parent) = self.stack.last() {
            self.map.get_mut(&parent).expect("scope").children.push(k);
        }
        self.map.insert(
            k,
            Scope {
                kind: Some(kind),
                ..Default::default()
            },
        );
        self.stack.push(k);
    }
    fn mangled(&self, name: &str) -> String {
        mangle(self.private.as_deref(), name).into_owned()
    }
    fn bind(&mut self, name: &str) {
        let name = self.mangled(name);
        push_unique(&mut self.cur().bound, &name);
    }
    fn use_name(&mut self, name: &str) {
        let name = self.mangled(name);
        push_unique(&mut self.cur().used, &name);
    }
    fn param(&mut self, name: &str) {
        let name = self.mangled(name);
        let s = self.cur();
        push_unique(&mut s.params, &name);
        push_unique(&mut s.bound, &name);
    }
    fn parameters(&mut self, p: &ast::Parameters) {
        for a in p.posonlyargs.iter().chain(p.args.iter()) {
            self.param(a.parameter.name.as_str());
        }
        for a in p.kwonlyargs.iter() {
            self.param(a.parameter.name.as_str());
        }
        if let Some(v) = &p.vararg {
            self.param(v.name.as_str());
        }
        if let Some(v) = &p.kwarg {
            self.param(v.name.as_str());
        }
    }
    fn defaults(&mut self, p: &ast::Parameters) {
        for a in p
            .posonlyargs
            .iter()
            .chain(p.args.iter())
            .chain(p.kwonlyargs.iter())
        {
            if let Some(d) = &a.default {
                self.visit_expr(d);
            }
        }
    }
    /// A `def`'s annotations, evaluated in the enclosing scope.
    fn annotations(&mut self, p: &ast::Parameters, returns: Option<&Expr>) {
        for a in p.iter() {
            if let Some(e) = a.annotation() {
                self.visit_expr(e);
            }
        }
        if let Some(r) = returns {
            self.visit_expr(r);
        }
    }
    fn comprehension(&mut self, node: usize, gens: &[ast::Comprehension], elts: &[&Expr]) {
        // The first iterable is evaluated in the enclosing scope.
        self.visit_expr(&gens[0].iter);
        self.enter(node, ScopeKind::Function);
        self.param(".0");
        for (i, g) in gens.iter().enumerate() {
            self.target(&g.target);
            if i > 0 {
                self.visit_expr(&g.iter);
            }
            for c in &g.ifs {
                self.visit_expr(c);
            }
        }
        for e in elts {
            self.visit_expr(e);
        }
        self.stack.pop();
    }
    fn target(&mut self, e: &Expr) {
        self.visit_expr(e);
    }
}

impl<'a> Visitor<'a> for Collector {
    fn visit_stmt(&mut self, stmt: &'a Stmt) {
        match stmt {
            Stmt::FunctionDef(f) => {
                for d in &f.decorator_list {
                    self.visit_expr(&d.expression);
                }
                self.defaults(&f.parameters);
                self.annotations(&f.parameters, f.returns.as_deref());
                self.bind(f.name.as_str());
                let in_class = self.cur().kind == Some(ScopeKind::Class);
                self.enter(key(f), ScopeKind::Function);
                self.cur().needs_class_cell = false;
                self.parameters(&f.parameters);
                for s in &f.body {
                    self.visit_stmt(s);
                }
                let s = self.cur();
                if in_class && s.used.iter().any(|n| n == "super" || n == "__class__") {
                    s.needs_class_cell = true;
                }
                self.stack.pop();
            }
            Stmt::ClassDef(c) => {
                for d in &c.decorator_list {
                    self.visit_expr(&d.expression);
                }
                if let Some(args) = &c.arguments {
                    self.visit_arguments(args);
                }
                self.bind(c.name.as_str());
                self.enter(key(c), ScopeKind::Class);
                let outer = self.private.replace(c.name.to_string());
                for s in &c.body {
                    self.visit_stmt(s);
                }
                self.private = outer;
                self.stack.pop();
            }
            Stmt::Global(g) => {
                for n in &g.names {
                    let n = self.mangled(n.as_str());
                    push_unique(&mut self.cur().globals, &n);
                }
            }
            Stmt::Nonlocal(g) => {
                if self.cur().kind != Some(ScopeKind::Function) {
                    self.errors
                        .push("nonlocal declaration not allowed at module level".into());
                }
                for n in &g.names {
                    let n = self.mangled(n.as_str());
                    push_unique(&mut self.cur().nonlocals, &n);
                }
            }
            Stmt::Import(i) => {
                for a in &i.names {
                    let n = a.asname.as_ref().unwrap_or(&a.name);
                    let first = n.as_str().split('.').next().unwrap_or("");
                    self.bind(first);
                }
            }
            Stmt::ImportFrom(i) => {
                for a in &i.names {
                    self.bind(a.asname.as_ref().unwrap_or(&a.name).as_str());
                }
            }
            Stmt::Try(t) => {
                for h in &t.handlers {
                    let ast::ExceptHandler::ExceptHandler(h) = h;
                    if let Some(n) = &h.name {
                        self.bind(n.as_str());
                    }
                }
                walk_stmt(self, stmt);
            }
            _ => walk_stmt(self, stmt),
        }
    }
    fn visit_expr(&mut self, expr: &'a Expr) {
        match expr {
            Expr::Name(n) => match n.ctx {
                ast::ExprContext::Load => self.use_name(n.id.as_str()),
                _ => self.bind(n.id.as_str()),
            },
            Expr::Lambda(l) => {
                if let Some(p) = &l.parameters {
                    self.defaults(p);
                }
                self.enter(key(l), ScopeKind::Function);
                if let Some(p) = &l.parameters {
                    self.parameters(p);
                }
                self.visit_expr(&l.body);
                self.stack.pop();
            }
            Expr::ListComp(c) => self.comprehension(key(c), &c.generators, &[&c.elt]),
            Expr::SetComp(c) => self.comprehension(key(c), &c.generators, &[&c.elt]),
            Expr::Generator(c) => {
                self.comprehension(key(c), &c.generators, &[&c.elt]);
                self.map.get_mut(&key(c)).expect("scope").generator = true;
            }
            Expr::DictComp(c) => {
                let mut elts = vec![&*c.value];
                if let Some(k) = &c.key {
                    elts.insert(0, k);
                }
                self.comprehension(key(c), &c.generators, &elts)
            }
            Expr::Yield(_) | Expr::YieldFrom(_) => {
                self.cur().generator = true;
                walk_expr(self, expr);
            }
            Expr::Named(n) => {
                // The target binds in the enclosing non-comprehension scope: approximate with
                // the current scope's parent when inside a comprehension.
                self.visit_expr(&n.value);
                if let Expr::Name(t) = &*n.target {
                    let t = self.mangled(t.id.as_str());
                    let mut i = self.stack.len() - 1;
                    while i > 0
                        && self.map[&self.stack[i]]
                            .params
                            .first()
                            .is_some_and(|p| p == ".0")
                    {
                        i -= 1;
                    }
                    let k = self.stack[i];
                    push_unique(&mut self.map.get_mut(&k).expect("scope").bound, &t);
                    if i != self.stack.len() - 1 {
                        let top = *self.stack.last().expect("scope");
                        push_unique(&mut self.map.get_mut(&top).expect("scope").nonlocals, &t);
                    }
                }
            }
            _ => walk_expr(self, expr),
        }
    }
    fn visit_pattern(&mut self, pattern: &'a ast::Pattern) {
        // Capture patterns (`x`, `.. as x`, `*rest`, `**rest`) bind their names.
        let name = match pattern {
            ast::Pattern::MatchAs(p) => p.name.as_ref(),
            ast::Pattern::MatchStar(p) => p.name.as_ref(),
            ast::Pattern::MatchMapping(p) => p.rest.as_ref(),
            _ => None,
        };
        if let Some(n) = name {
            self.bind(n.as_str());
        }
        walk_pattern(self, pattern);
    }
}

/// Analyse a module body; errors are `SyntaxError` messages.
pub fn analyse(body: &[Stmt]) -> Result<Scopes, String> {
    let mut c = Collector {
        map: HashMap::new(),
        stack: vec![],
        errors: vec![],
        private: None,
    };
    c.enter(0, ScopeKind::Module);
    for s in body {
        c.visit_stmt(s);
    }
    if let Some(e) = c.errors.into_iter().next() {
        return Err(e);
    }
    let mut map = c.map;
    resolve(&mut map, 0, &[])?;
    Ok(Scopes { map })
}

/// Resolve scope `k`, given the enclosing function scopes (innermost last).
fn resolve(map: &mut HashMap<usize, Scope>, k: usize, enclosing: &[usize]) -> Result<(), String> {
    let s = map.get_mut(&k).expect("scope");
    let kind = s.kind.expect("kind");
    if kind == ScopeKind::Function {
        let mut vars = s.params.clone();
        for b in &s.bound {
            if !s.globals.contains(b) && !s.nonlocals.contains(b) {
                push_unique(&mut vars, b);
            }
        }
        s.varnames = vars;
    }
    let needs_class_cell_children: Vec<usize> = s.children.clone();
    let children = s.children.clone();
    // Free names: used or nonlocal here (or free in a child) and not bound here.
    let mut wanted: Vec<String> = s.nonlocals.clone();
    if kind == ScopeKind::Function {
        for u in &s.used {
            if !s.varnames.contains(u) && !s.globals.contains(u) {
                push_unique(&mut wanted, u);
            }
        }
    }
    let nonlocals = s.nonlocals.clone();
    let mut inner_enclosing = enclosing.to_vec();
    if kind == ScopeKind::Function {
        inner_enclosing.push(k);
    }
    for &ch in &children {
        resolve(map, ch, &inner_enclosing)?;
    }
    // Children's free vars that this scope does not bind are free here too.
    let mut child_free = vec![];
    for &ch in &children {
        child_free.extend(map[&ch].freevars.iter().cloned());
    }
    let s = map.get_mut(&k).expect("scope");
    if kind == ScopeKind::Function {
        for f in child_free {
            if s.varnames.contains(&f) {
                push_unique(&mut s.cellvars, &f);
            } else if !s.globals.contains(&f) {
                push_unique(&mut wanted, &f);
            }
        }
    } else if kind == ScopeKind::Class {
        for f in child_free {
            if f == "__class__" {
                push_unique(&mut s.cellvars, "__class__");
            } else {
                push_unique(&mut wanted, &f);
            }
        }
    }
    let _ = needs_class_cell_children;
    // Decide each wanted name: free if an enclosing function binds it (or has it free).
    for w in wanted {
        let found = enclosing.iter().rev().any(|e| {
            let es = &map[e];
            es.varnames.contains(&w) || es.bound.contains(&w) && !es.globals.contains(&w)
        });
        let s = map.get_mut(&k).expect("scope");
        if found {
            push_unique(&mut s.freevars, &w);
        } else if nonlocals.contains(&w) {
            return Err(format!("no binding for nonlocal '{w}' found"));
        }
    }
    let s = map.get_mut(&k).expect("scope");
    if s.needs_class_cell {
        push_unique(&mut s.freevars, "__class__");
    }
    // A cell that is also a parameter stays in varnames (its slot is copied into the cell).
    Ok(())
}
