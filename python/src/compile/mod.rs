//! The compiler: Python AST (ruff's) → code objects on the heap.
//!
//! ```text
//!   source ──ruff_python_parser──▶ AST ──scope::analyse──▶ Scopes
//!                                   └──Compiler (stmt.rs, expr.rs)──▶ CodeData per block
//!                                        (module, each def/lambda/class body/comprehension)
//! ```
//!
//! A `Unit` is one code block being emitted; nested blocks push a unit, compile, pop it into a
//! code object constant of the outer one. Control flow that leaves `try`/`with`/`except`/`for`
//! blocks (`return`, `break`, `continue`) unwinds them at compile time (the `FBlock` stack).

mod expr;
mod pattern;
mod percent;
pub mod scope;
mod stmt;
pub mod syntax_error;
pub mod unparse;

use crate::bytecode::{CodeData, Op, Pos, flags};
use crate::objects::code::Code;
use pyheap_runtime::{Heap, Member, Obj};
use ruff_python_ast::{self as ast, Stmt};
use ruff_source_file::LineIndex;
use ruff_text_size::{Ranged, TextRange, TextSize};
use scope::{NameLoc, Scope, ScopeKind, Scopes};
use std::rc::Rc;

/// A compile error (SyntaxError), with a 1-based line and column.
#[derive(Debug, Clone)]
pub struct CompileError {
    pub msg: String,
    pub line: usize,
    pub col: usize,
}

/// What mode a source is compiled in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    /// A module.
    Exec,
    /// REPL input: expression statements print their value.
    Single,
    /// `eval()` input: one expression, whose value the code returns.
    Eval,
}

pub(crate) enum FBlock<'a> {
    /// A loop: continue target, break patches; `for` loops keep an iterator on the stack.
    Loop {
        start: u32,
        breaks: Vec<usize>,
        is_for: bool,
    },
    /// try body with an except handler (a block on the runtime stack).
    TryExcept,
    /// try body with a finally clause.
    Finally(&'a [Stmt]),
    /// with body: [exit] on the stack and a handler block.
    With,
    /// except handler body: [prev_exc, exc] on the stack and a cleanup block; the bound name.
    Handler(Option<&'a str>),
    /// finally body run on the exceptional path: [prev_exc, exc] and a cleanup block.
    FinallyHandler,
}

pub(crate) struct Unit<'a> {
    pub scope: &'a Scope,
    pub ops: Vec<Op>,
    pub lines: Vec<u32>,
    pub positions: Vec<Pos>,
    pub consts: Vec<Member>,
    pub names: Vec<String>,
    pub fblocks: Vec<FBlock<'a>>,
    pub line: u32,
    /// The location new instructions get (the node being compiled, as CPython's `SET_LOC`).
    pub loc: Pos,
    pub qualname: String,
    pub name: String,
    pub firstlineno: u32,
    pub is_class: bool,
    /// The innermost enclosing class's name (this unit's own, for a class body): private
    /// names are mangled with it (`scope::mangle`).
    pub private: Option<Rc<str>>,
}

pub(crate) struct Compiler<'a, 'h> {
    pub heap: &'h Heap,
    pub scopes: &'a Scopes,
    pub index: LineIndex,
    pub source: &'a str,
    pub filename: Rc<str>,
    pub units: Vec<Unit<'a>>,
    pub mode: Mode,
    /// `from __future__ import annotations`: annotations are stored as their text.
    pub future_annotations: bool,
}

pub(crate) type CResult<T = ()> = Result<T, CompileError>;

impl<'a, 'h> Compiler<'a, 'h> {
    pub fn unit(&mut self) -> &mut Unit<'a> {
        self.units.last_mut().expect("unit")
    }
    pub fn scope(&self) -> &'a Scope {
        self.units.last().expect("unit").scope
    }
    pub fn emit(&mut self, op: Op) -> usize {
        let u = self.unit();
        u.ops.push(op);
        u.lines.push(u.line);
        u.positions.push(u.loc);
        u.ops.len() - 1
    }
    pub fn here(&mut self) -> u32 {
        self.unit().ops.len() as u32
    }
    /// Point the jump at `at` to the current position.
    pub fn patch(&mut self, at: usize) {
        let here = self.here();
        let op = &mut self.unit().ops[at];
        *op = match *op {
            Op::Jump(_) => Op::Jump(here),
            Op::PopJumpIfFalse(_) => Op::PopJumpIfFalse(here),
            Op::PopJumpIfTrue(_) => Op::PopJumpIfTrue(here),
            Op::JumpIfFalseOrPop(_) => Op::JumpIfFalseOrPop(here),
            Op::JumpIfTrueOrPop(_) => Op::JumpIfTrueOrPop(here),
            Op::ForIter(_) => Op::ForIter(here),
            Op::SetupExcept(_) => Op::SetupExcept(here),
            o => panic!("patch of {o:?}"),
        };
    }
    pub fn set_line<T: Ranged>(&mut self, node: &T) {
        let l = self.line_of(node.start());
        let loc = self.pos_of(node.range());
        let u = self.unit();
        u.line = l;
        u.loc = loc;
    }
    /// The location of a source range (lines 1-based, byte columns within their lines).
    pub fn pos_of(&self, r: TextRange) -> Pos {
        let line = self.index.line_index(r.start());
        let end_line = self.index.line_index(r.end());
        let col = r.start() - self.index.line_start(line, self.source);
        let end_col = r.end() - self.index.line_start(end_line, self.source);
        Pos {
            line: line.get() as u32,
            end_line: end_line.get() as u32,
            col: col.to_u32(),
            end_col: end_col.to_u32(),
        }
    }
    /// Set the location of the instructions emitted next (without touching the line table).
    pub fn set_loc(&mut self, loc: Pos) -> Pos {
        std::mem::replace(&mut self.unit().loc, loc)
    }
    pub fn line_of(&self, at: TextSize) -> u32 {
        self.index.line_index(at).get() as u32
    }
    pub fn error<T: Ranged>(&self, node: &T, msg: impl Into<String>) -> CompileError {
        let lc = self.index.line_column(node.start(), self.source);
        CompileError {
            msg: msg.into(),
            line: lc.line.get(),
            col: lc.column.get(),
        }
    }
    pub fn add_const(&mut self, obj: Obj<'h>) -> u32 {
        let u = self.unit();
        u.consts.push(Member::from_obj(obj));
        (u.consts.len() - 1) as u32
    }
    pub fn load_const(&mut self, obj: Obj<'h>) {
        let i = self.add_const(obj);
        self.emit(Op::LoadConst(i));
    }
    pub fn load_none(&mut self) {
        let n = self.heap.none();
        self.load_const(n);
    }
    pub fn name_index(&mut self, name: &str) -> u32 {
        let u = self.unit();
        if let Some(i) = u.names.iter().position(|n| n == name) {
            return i as u32;
        }
        u.names.push(name.to_string());
        (u.names.len() - 1) as u32
    }
    fn deref_index(&self, name: &str) -> u32 {
        let s = self.scope();
        if let Some(i) = s.cellvars.iter().position(|n| n == name) {
            return i as u32;
        }
        let i = s.freevars.iter().position(|n| n == name).expect("free var");
        (s.cellvars.len() + i) as u32
    }
    fn fast_index(&self, name: &str) -> u32 {
        self.scope()
            .varnames
            .iter()
            .position(|n| n == name)
            .expect("local") as u32
    }
    /// `name` as this unit stores it: mangled when private (`__x` in a class body).
    pub fn mangled<'n>(&self, name: &'n str) -> std::borrow::Cow<'n, str> {
        scope::mangle(self.units.last().and_then(|u| u.private.as_deref()), name)
    }
    /// The name-table index of attribute `name` (mangled when private).
    pub fn attr_index(&mut self, name: &str) -> u32 {
        let name = self.mangled(name).into_owned();
        self.name_index(&name)
    }
    /// Emit a load, store or delete of `name` (0, 1, 2).
    pub fn name_op(&mut self, name: &str, action: u8) {
        let name = &*self.mangled(name).into_owned();
        let loc = self.scope().lookup(name);
        let unit_is_class = self.units.last().expect("unit").is_class;
        let op = match loc {
            NameLoc::Fast => {
                let i = self.fast_index(name);
                [Op::LoadFast(i), Op::StoreFast(i), Op::DeleteFast(i)][action as usize]
            }
            NameLoc::Cell | NameLoc::Free => {
                let i = self.deref_index(name);
                if unit_is_class && action == 0 && loc == NameLoc::Free {
                    // Class bodies read free variables from the class dict first; approximate
                    // with the cell (names bound in the class body are Name, not Free).
                }
                [Op::LoadDeref(i), Op::StoreDeref(i), Op::DeleteDeref(i)][action as usize]
            }
            NameLoc::Global => {
                let i = self.name_index(name);
                [Op::LoadGlobal(i), Op::StoreGlobal(i), Op::DeleteGlobal(i)][action as usize]
            }
            NameLoc::Name => {
                let i = self.name_index(name);
                [Op::LoadName(i), Op::StoreName(i), Op::DeleteName(i)][action as usize]
            }
        };
        self.emit(op);
    }

    pub fn push_unit(&mut self, key: usize, name: &str, line: u32, is_class: bool) {
        let scope = &self.scopes.map[&key];
        let qualname = match self.units.last() {
            None => name.to_string(),
            Some(p) if p.scope.kind == Some(ScopeKind::Module) => name.to_string(),
            Some(p) if p.is_class => format!("{}.{name}", p.qualname),
            Some(p) => format!("{}.<locals>.{name}", p.qualname),
        };
        let private = if is_class {
            Some(Rc::from(name))
        } else {
            self.units.last().and_then(|u| u.private.clone())
        };
        self.units.push(Unit {
            scope,
            ops: vec![],
            lines: vec![],
            positions: vec![],
            consts: vec![],
            names: vec![],
            fblocks: vec![],
            line,
            loc: Pos {
                line,
                end_line: line,
                col: 0,
                end_col: 0,
            },
            qualname,
            name: name.to_string(),
            firstlineno: line,
            is_class,
            private,
        });
    }

    /// Finish the innermost unit into a code object.
    pub fn pop_unit(&mut self, params: Option<&ast::Parameters>) -> CResult<Obj<'h>> {
        let u = self.units.pop().expect("unit");
        let s = u.scope;
        let mut fl = 0;
        let (mut argcount, mut posonly, mut kwonly) = (0, 0, 0);
        if let Some(p) = params {
            posonly = p.posonlyargs.len() as u32;
            argcount = posonly + p.args.len() as u32;
            kwonly = p.kwonlyargs.len() as u32;
            if p.vararg.is_some() {
                fl |= flags::VARARGS;
            }
            if p.kwarg.is_some() {
                fl |= flags::VARKEYWORDS;
            }
        }
        if s.kind == Some(ScopeKind::Function) && s.varnames.first().is_some_and(|v| v == ".0") {
            argcount = 1;
        }
        if s.generator {
            fl |= flags::GENERATOR;
        }
        if s.kind != Some(ScopeKind::Function) {
            fl |= flags::NAMES_IN_DICT;
        }
        let nargs = {
            let mut n = (argcount + kwonly) as usize;
            if fl & flags::VARARGS != 0 {
                n += 1
            }
            if fl & flags::VARKEYWORDS != 0 {
                n += 1
            }
            n
        };
        let cell2arg = s
            .cellvars
            .iter()
            .map(|c| {
                s.varnames[..nargs.min(s.varnames.len())]
                    .iter()
                    .position(|v| v == c)
                    .map(|i| i as u32)
            })
            .collect();
        let mut names = Vec::with_capacity(u.names.len());
        let mut name_strs = Vec::with_capacity(u.names.len());
        for n in &u.names {
            names.push(Member::from_obj(self.interned(n)?));
            name_strs.push(Rc::from(n.as_str()));
        }
        let data = CodeData {
            name: u.name,
            qualname: u.qualname,
            filename: self.filename.clone(),
            firstlineno: u.firstlineno,
            ops: u.ops,
            lines: u.lines,
            positions: u.positions,
            consts: u.consts,
            global_cache: vec![Default::default(); names.len()],
            attr_cache: vec![Default::default(); names.len()],
            method_sites: vec![Default::default(); names.len()],
            names,
            name_strs,
            varnames: if s.kind == Some(ScopeKind::Function) {
                s.varnames.clone()
            } else {
                vec![]
            },
            cellvars: s.cellvars.clone(),
            freevars: s.freevars.clone(),
            cell2arg,
            argcount,
            posonlyargcount: posonly,
            kwonlyargcount: kwonly,
            flags: fl,
        };
        let code = self
            .heap
            .new_user(Code {
                data: Rc::new(data),
            })
            .map_err(|e| CompileError {
                msg: e.to_string(),
                line: 0,
                col: 0,
            })?;
        Ok(code.into_obj())
    }

    pub fn interned(&self, s: &str) -> CResult<Obj<'h>> {
        self.heap
            .intern(s)
            .map(|s| s.into_obj())
            .map_err(|e| CompileError {
                msg: e.to_string(),
                line: 0,
                col: 0,
            })
    }
    pub fn rt<T>(&self, r: Result<T, pyheap_runtime::RuntimeError>) -> CResult<T> {
        r.map_err(|e| CompileError {
            msg: e.to_string(),
            line: self.units.last().map_or(0, |u| u.line as usize),
            col: 1,
        })
    }
}

/// Parse and compile a module (or REPL input) into a code object.
pub fn compile<'h>(
    heap: &'h Heap,
    source: &str,
    filename: &str,
    mode: Mode,
) -> Result<Obj<'h>, CompileError> {
    let index = LineIndex::from_source_text(source);
    let parsed = ruff_python_parser::parse_module(source).map_err(|e| {
        let lc = index.line_column(e.location.start(), source);
        syntax_error::from_parse_error(source, &e.error.to_string(), lc.line.get(), lc.column.get())
    })?;
    let module = parsed.into_syntax();
    let scopes = scope::analyse(&module.body).map_err(|msg| CompileError {
        msg,
        line: 1,
        col: 1,
    })?;
    let future_annotations = unparse::future_annotations(&module.body).map_err(|(msg, s)| {
        let lc = index.line_column(s.start(), source);
        CompileError {
            msg,
            line: lc.line.get(),
            col: lc.column.get(),
        }
    })?;
    let mut c = Compiler {
        heap,
        scopes: &scopes,
        index,
        source,
        filename: Rc::from(filename),
        units: vec![],
        mode,
        future_annotations,
    };
    c.push_unit(0, "<module>", 1, false);
    if mode == Mode::Eval {
        // The source parsed as a module must be one expression statement.
        let [Stmt::Expr(e)] = &module.body[..] else {
            let at = module.body.get(1).or(module.body.first());
            let (line, col) = at.map_or((1, 1), |s| {
                let lc = c.index.line_column(s.start(), source);
                (lc.line.get(), lc.column.get())
            });
            return Err(CompileError {
                msg: "invalid syntax".into(),
                line,
                col,
            });
        };
        c.set_line(e);
        c.expr(&e.value)?;
    } else {
        c.body(&module.body)?;
        c.load_none();
    }
    c.emit(Op::ReturnValue);
    c.pop_unit(None)
}

/// Is this source an incomplete REPL input (more lines wanted)?
pub fn is_incomplete(source: &str) -> bool {
    match ruff_python_parser::parse_module(source) {
        Ok(_) => {
            // A compound statement header needs its block to end with an empty line.
            let last = source.trim_end_matches('\n').lines().last().unwrap_or("");
            let first = source.lines().next().unwrap_or("");
            let compound = first.trim_end().ends_with(':') || first.starts_with('@');
            compound && !source.ends_with("\n\n") && !last.trim().is_empty()
                || source.lines().count() > 1 && compound && !source.ends_with("\n\n")
        }
        Err(e) => {
            let at_end = e.location.start().to_usize() >= source.trim_end().len();
            at_end
                && !source.ends_with("\n\n")
                && (source.trim_end().ends_with(':')
                    || source.lines().count() > 1
                    || open_brackets(source))
        }
    }
}

fn open_brackets(s: &str) -> bool {
    let mut depth = 0i32;
    for c in s.chars() {
        match c {
            '(' | '[' | '{' => depth += 1,
            ')' | ']' | '}' => depth -= 1,
            _ => {}
        }
    }
    depth > 0 || s.trim_end().ends_with('\\')
}
