//! Statements: assignments, control flow, `try`/`with`, `def`/`class`, imports.
//!
//! Handler layout of `try: B except E as e: H` (stack shown in brackets):
//! ```text
//!   SetupExcept(H0)  B  PopBlock  [else]  Jump END
//!   H0: [exc] PushExcInfo [prev, exc] SetupExcept(CLEANUP)
//!       E CheckExcMatch PopJumpIfFalse(NEXT)  (store e)  H
//!       PopBlock Pop PopExcept (e = None; del e) Jump END
//!   NEXT: .. Copy(1) Reraise        CLEANUP: PopExceptReraise       END:
//! ```

use super::expr::is_constant;
use super::scope::key;
use super::{CResult, Compiler, FBlock, Mode};
use crate::bytecode::Op;
use ruff_python_ast::{self as ast, Expr, Stmt};
use ruff_text_size::Ranged;

impl<'a, 'h> Compiler<'a, 'h> {
    pub fn body(&mut self, body: &'a [Stmt]) -> CResult {
        for s in body {
            self.stmt(s)?;
        }
        Ok(())
    }

    pub fn stmt(&mut self, s: &'a Stmt) -> CResult {
        self.set_line(s);
        match s {
            Stmt::Expr(e) => {
                if self.mode == Mode::Single && self.units.len() == 1 {
                    self.expr(&e.value)?;
                    self.emit(Op::PrintExpr);
                } else {
                    self.expr(&e.value)?;
                    self.emit(Op::Pop);
                }
            }
            Stmt::Assign(a) if self.swap_assign(a)? => {}
            Stmt::Assign(a) => {
                self.expr(&a.value)?;
                for (i, t) in a.targets.iter().enumerate() {
                    if i + 1 < a.targets.len() {
                        self.emit(Op::Copy(1));
                    }
                    self.store(t)?;
                }
            }
            Stmt::AugAssign(a) => self.aug_assign(a)?,
            Stmt::AnnAssign(a) => self.ann_assign(a)?,
            Stmt::Pass(_) => {}
            Stmt::If(i) => {
                self.expr(&i.test)?;
                let jf = self.emit(Op::PopJumpIfFalse(0));
                self.body(&i.body)?;
                let mut ends = vec![];
                let mut pending = Some(jf);
                for clause in &i.elif_else_clauses {
                    ends.push(self.emit(Op::Jump(0)));
                    if let Some(p) = pending.take() {
                        self.patch(p);
                    }
                    if let Some(t) = &clause.test {
                        self.set_line(t);
                        self.expr(t)?;
                        pending = Some(self.emit(Op::PopJumpIfFalse(0)));
                    }
                    self.body(&clause.body)?;
                }
                if let Some(p) = pending {
                    self.patch(p);
                }
                for e in ends {
                    self.patch(e);
                }
            }
            Stmt::While(w) => {
                let start = self.here();
                self.expr(&w.test)?;
                let jf = self.emit(Op::PopJumpIfFalse(0));
                self.unit().fblocks.push(FBlock::Loop {
                    start,
                    breaks: vec![],
                    is_for: false,
                });
                self.body(&w.body)?;
                self.emit(Op::Jump(start));
                let Some(FBlock::Loop { breaks, .. }) = self.unit().fblocks.pop() else {
                    unreachable!()
                };
                self.patch(jf);
                self.body(&w.orelse)?;
                for b in breaks {
                    self.patch(b);
                }
            }
            Stmt::For(f) => {
                self.expr(&f.iter)?;
                self.emit(Op::GetIter);
                let start = self.here();
                let fi = self.emit(Op::ForIter(0));
                self.store(&f.target)?;
                self.unit().fblocks.push(FBlock::Loop {
                    start,
                    breaks: vec![],
                    is_for: true,
                });
                self.body(&f.body)?;
                self.set_line(s);
                self.emit(Op::Jump(start));
                let Some(FBlock::Loop { breaks, .. }) = self.unit().fblocks.pop() else {
                    unreachable!()
                };
                self.patch(fi);
                self.body(&f.orelse)?;
                for b in breaks {
                    self.patch(b);
                }
            }
            Stmt::Break(_) => self.break_continue(s, true)?,
            Stmt::Continue(_) => self.break_continue(s, false)?,
            Stmt::Return(r) => {
                if self.units.len() == 1 || self.unit().is_class {
                    return Err(self.error(s, "'return' outside function"));
                }
                match &r.value {
                    Some(v) => self.expr(v)?,
                    None => self.load_none(),
                }
                self.unwind_all(true)?;
                self.emit(Op::ReturnValue);
            }
            Stmt::Delete(d) => {
                for t in &d.targets {
                    self.delete(t)?;
                }
            }
            Stmt::Global(_) | Stmt::Nonlocal(_) => {}
            Stmt::FunctionDef(f) => self.function_def(f)?,
            Stmt::ClassDef(c) => self.class_def(c)?,
            Stmt::Raise(r) => {
                let mut n = 0;
                if let Some(e) = &r.exc {
                    self.expr(e)?;
                    n = 1;
                    if let Some(c) = &r.cause {
                        self.expr(c)?;
                        n = 2;
                    }
                }
                self.emit(Op::Raise(n));
            }
            Stmt::Try(t) => {
                if t.is_star {
                    // Exception groups exist (`ExceptionGroup`, `split`, their tracebacks);
                    // the `except*` matching does not yet.
                    return Err(self.error(t, "'except*' is not supported by pyheap"));
                }
                if t.finalbody.is_empty() {
                    self.try_except(t)?;
                } else {
                    self.try_finally(t)?;
                }
            }
            Stmt::Assert(a) => {
                self.expr(&a.test)?;
                // CPython 3.11's conditional jump on a comparison leaves the comparison's
                // location on what follows: the raise points at the test.
                if matches!(&*a.test, Expr::Compare(_)) {
                    let loc = self.pos_of(a.test.range());
                    self.set_loc(loc);
                }
                let j = self.emit(Op::PopJumpIfTrue(0));
                self.emit(Op::LoadAssertionError);
                if let Some(m) = &a.msg {
                    self.expr(m)?;
                    self.emit(Op::Call(1));
                }
                self.emit(Op::Raise(1));
                self.patch(j);
            }
            Stmt::With(w) => self.with(&w.items, &w.body)?,
            Stmt::Import(i) => {
                for a in &i.names {
                    let idx = self.name_index(a.name.as_str());
                    self.emit(Op::ImportName(idx));
                    match &a.asname {
                        Some(n) => self.name_op(n.as_str(), 1),
                        None => {
                            let first = a.name.as_str().split('.').next().unwrap_or("");
                            self.name_op(first, 1)
                        }
                    }
                }
            }
            Stmt::ImportFrom(i) if i.names.iter().any(|a| a.name.as_str() == "*") => {
                if self.units.len() != 1 {
                    return Err(self.error(s, "import * only allowed at module level"));
                }
                // `import_star(module)`, a native the VM answers with this frame's names.
                let star = self.rt(self.heap.new_user(crate::objects::function::Builtin {
                    name: "import_star",
                    f: crate::builtins::introspect::import_star,
                    bound: None,
                    method: false,
                    reads_frame: true,
                    owner: None,
                }))?;
                self.load_const(star.into_obj());
                let m = i.module.as_ref().map_or("", |m| m.as_str());
                let idx = self.name_index(m);
                self.emit(Op::ImportName(idx));
                self.emit(Op::Call(1));
                self.emit(Op::Pop);
            }
            Stmt::ImportFrom(i) => {
                let m = i.module.as_ref().map_or("", |m| m.as_str());
                let idx = self.name_index(m);
                self.emit(Op::ImportName(idx));
                for a in &i.names {
                    let n = self.name_index(a.name.as_str());
                    self.emit(Op::ImportFrom(n));
                    self.name_op(a.asname.as_ref().unwrap_or(&a.name).as_str(), 1);
                }
                self.emit(Op::Pop);
            }
            Stmt::Match(m) => self.match_stmt(m)?,
            Stmt::TypeAlias(_) | Stmt::IpyEscapeCommand(_) => {
                return Err(self.error(s, "invalid syntax"));
            }
        }
        Ok(())
    }

    fn aug_assign(&mut self, a: &'a ast::StmtAugAssign) -> CResult {
        let op = Self::binop(a.op);
        // CPython's locations: the target's for its load and store, the statement's for the
        // operator itself.
        let stmt = self.unit().loc;
        let target = self.pos_of(a.target.range());
        match &*a.target {
            Expr::Name(n) => {
                self.set_loc(target);
                self.name_op(n.id.as_str(), 0);
                self.set_loc(stmt);
                self.expr(&a.value)?;
                self.emit(Op::Inplace(op));
                self.set_loc(target);
                self.name_op(n.id.as_str(), 1);
            }
            Expr::Attribute(at) => {
                self.expr(&at.value)?;
                self.set_loc(target);
                self.emit(Op::Copy(1));
                let i = self.attr_index(at.attr.as_str());
                self.emit(Op::LoadAttr(i));
                self.set_loc(stmt);
                self.expr(&a.value)?;
                self.emit(Op::Inplace(op));
                self.set_loc(target);
                self.emit(Op::Swap(2));
                self.emit(Op::StoreAttr(i));
            }
            Expr::Subscript(sb) => {
                self.expr(&sb.value)?;
                self.expr(&sb.slice)?;
                self.set_loc(target);
                self.emit(Op::Copy(2));
                self.emit(Op::Copy(2));
                self.emit(Op::Subscr);
                self.set_loc(stmt);
                self.expr(&a.value)?;
                self.emit(Op::Inplace(op));
                self.set_loc(target);
                // [obj, key, result] → StoreSubscr wants [value, obj, key].
                self.emit(Op::Swap(3));
                self.emit(Op::Swap(2));
                self.emit(Op::StoreSubscr);
            }
            _ => return Err(self.error(&*a.target, "illegal expression for augmented assignment")),
        }
        Ok(())
    }

    /// Store TOS into a target.
    /// Store TOS into a target; the instructions carry the target's range.
    pub fn store(&mut self, t: &'a Expr) -> CResult {
        let loc = self.pos_of(t.range());
        let saved = self.set_loc(loc);
        let r = self.store_here(t);
        self.set_loc(saved);
        r
    }

    fn store_here(&mut self, t: &'a Expr) -> CResult {
        match t {
            Expr::Name(n) => self.name_op(n.id.as_str(), 1),
            Expr::Attribute(a) => {
                self.expr(&a.value)?;
                let i = self.attr_index(a.attr.as_str());
                self.emit(Op::StoreAttr(i));
            }
            Expr::Subscript(s) => {
                self.expr(&s.value)?;
                self.expr(&s.slice)?;
                self.emit(Op::StoreSubscr);
            }
            Expr::Tuple(ast::ExprTuple { elts, .. }) | Expr::List(ast::ExprList { elts, .. }) => {
                let star = elts.iter().position(|e| matches!(e, Expr::Starred(_)));
                match star {
                    Some(i) => {
                        self.emit(Op::UnpackEx(i as u32, (elts.len() - i - 1) as u32));
                    }
                    None => {
                        self.emit(Op::UnpackSequence(elts.len() as u32));
                    }
                }
                for e in elts {
                    match e {
                        Expr::Starred(s) => self.store(&s.value)?,
                        e => self.store(e)?,
                    }
                }
            }
            Expr::Starred(_) => {
                return Err(self.error(t, "starred assignment target must be in a list or tuple"));
            }
            _ => return Err(self.error(t, "cannot assign to expression")),
        }
        Ok(())
    }

    fn delete(&mut self, t: &'a Expr) -> CResult {
        let loc = self.pos_of(t.range());
        let saved = self.set_loc(loc);
        let r = self.delete_here(t);
        self.set_loc(saved);
        r
    }

    fn delete_here(&mut self, t: &'a Expr) -> CResult {
        match t {
            Expr::Name(n) => self.name_op(n.id.as_str(), 2),
            Expr::Attribute(a) => {
                self.expr(&a.value)?;
                let i = self.attr_index(a.attr.as_str());
                self.emit(Op::DeleteAttr(i));
            }
            Expr::Subscript(s) => {
                self.expr(&s.value)?;
                self.expr(&s.slice)?;
                self.emit(Op::DeleteSubscr);
            }
            Expr::Tuple(ast::ExprTuple { elts, .. }) | Expr::List(ast::ExprList { elts, .. }) => {
                for e in elts {
                    self.delete(e)?;
                }
            }
            _ => return Err(self.error(t, "cannot delete expression")),
        }
        Ok(())
    }

    /// Emit the exit code of one fblock (for return/break/continue leaving it).
    fn unwind_one(&mut self, i: usize, preserve_tos: bool) -> CResult {
        let b = &self.unit().fblocks[i];
        match b {
            FBlock::Loop { is_for, .. } => {
                if *is_for {
                    if preserve_tos {
                        self.emit(Op::Swap(2));
                    }
                    self.emit(Op::Pop);
                }
            }
            FBlock::TryExcept => {
                self.emit(Op::PopBlock);
            }
            FBlock::Finally(body) => {
                let body: &'a [Stmt] = body;
                self.emit(Op::PopBlock);
                // The finally body runs with this block gone (a return in it must not re-run it).
                let saved = self.unit().fblocks.split_off(i);
                let r = self.body(body);
                self.unit().fblocks.extend(saved);
                r?;
            }
            FBlock::With => {
                self.emit(Op::PopBlock);
                if preserve_tos {
                    self.emit(Op::Swap(2));
                }
                self.load_none();
                self.load_none();
                self.load_none();
                self.emit(Op::Call(3));
                self.emit(Op::Pop);
            }
            FBlock::Handler(name) => {
                let name = *name;
                self.emit(Op::PopBlock);
                if preserve_tos {
                    self.emit(Op::Swap(2));
                    self.emit(Op::Pop);
                    self.emit(Op::Swap(2));
                } else {
                    self.emit(Op::Pop);
                }
                self.emit(Op::PopExcept);
                if let Some(n) = name {
                    self.load_none();
                    self.name_op(n, 1);
                    self.name_op(n, 2);
                }
            }
            FBlock::FinallyHandler => {
                self.emit(Op::PopBlock);
                if preserve_tos {
                    self.emit(Op::Swap(2));
                    self.emit(Op::Pop);
                    self.emit(Op::Swap(2));
                } else {
                    self.emit(Op::Pop);
                }
                self.emit(Op::PopExcept);
            }
        }
        Ok(())
    }

    fn unwind_all(&mut self, preserve_tos: bool) -> CResult {
        let n = self.unit().fblocks.len();
        for i in (0..n).rev() {
            self.unwind_one(i, preserve_tos)?;
        }
        Ok(())
    }

    fn break_continue(&mut self, s: &'a Stmt, is_break: bool) -> CResult {
        let Some(li) = self
            .unit()
            .fblocks
            .iter()
            .rposition(|b| matches!(b, FBlock::Loop { .. }))
        else {
            let w = if is_break { "'break'" } else { "'continue'" };
            return Err(self.error(s, format!("{w} outside loop")));
        };
        let n = self.unit().fblocks.len();
        for i in (li + 1..n).rev() {
            self.unwind_one(i, false)?;
        }
        if is_break {
            if let FBlock::Loop { is_for: true, .. } = self.unit().fblocks[li] {
                self.emit(Op::Pop);
            }
            let j = self.emit(Op::Jump(0));
            if let FBlock::Loop { breaks, .. } = &mut self.unit().fblocks[li] {
                breaks.push(j);
            }
        } else {
            let FBlock::Loop { start, .. } = self.unit().fblocks[li] else {
                unreachable!()
            };
            self.emit(Op::Jump(start));
        }
        Ok(())
    }

    fn try_except(&mut self, t: &'a ast::StmtTry) -> CResult {
        let setup = self.emit(Op::SetupExcept(0));
        self.unit().fblocks.push(FBlock::TryExcept);
        self.body(&t.body)?;
        self.unit().fblocks.pop();
        self.emit(Op::PopBlock);
        self.body(&t.orelse)?;
        let mut ends = vec![self.emit(Op::Jump(0))];
        self.patch(setup);
        self.emit(Op::PushExcInfo);
        let cleanup = self.emit(Op::SetupExcept(0));
        for h in &t.handlers {
            let ast::ExceptHandler::ExceptHandler(h) = h;
            self.set_line(h);
            let mut next = None;
            if let Some(ty) = &h.type_ {
                self.expr(ty)?;
                self.emit(Op::CheckExcMatch);
                next = Some(self.emit(Op::PopJumpIfFalse(0)));
            }
            let name = h.name.as_ref().map(|n| n.as_str());
            if let Some(n) = name {
                self.emit(Op::Copy(1));
                self.name_op(n, 1);
            }
            self.unit().fblocks.push(FBlock::Handler(name));
            self.body(&h.body)?;
            self.unit().fblocks.pop();
            self.emit(Op::PopBlock);
            self.emit(Op::Pop);
            self.emit(Op::PopExcept);
            if let Some(n) = name {
                self.load_none();
                self.name_op(n, 1);
                self.name_op(n, 2);
            }
            ends.push(self.emit(Op::Jump(0)));
            match next {
                Some(n) => self.patch(n),
                None => break,
            }
        }
        self.emit(Op::Copy(1));
        self.emit(Op::Reraise);
        self.patch(cleanup);
        self.emit(Op::PopExceptReraise);
        for e in ends {
            self.patch(e);
        }
        Ok(())
    }

    fn try_finally(&mut self, t: &'a ast::StmtTry) -> CResult {
        let setup = self.emit(Op::SetupExcept(0));
        self.unit().fblocks.push(FBlock::Finally(&t.finalbody));
        if t.handlers.is_empty() {
            self.body(&t.body)?;
            self.body(&t.orelse)?;
        } else {
            self.try_except(t)?;
        }
        self.unit().fblocks.pop();
        self.emit(Op::PopBlock);
        self.body(&t.finalbody)?;
        let end = self.emit(Op::Jump(0));
        self.patch(setup);
        self.emit(Op::PushExcInfo);
        let cleanup = self.emit(Op::SetupExcept(0));
        self.unit().fblocks.push(FBlock::FinallyHandler);
        self.body(&t.finalbody)?;
        self.unit().fblocks.pop();
        self.emit(Op::PopBlock);
        self.emit(Op::Swap(2));
        self.emit(Op::PopExcept);
        self.emit(Op::Reraise);
        self.patch(cleanup);
        self.emit(Op::PopExceptReraise);
        self.patch(end);
        Ok(())
    }

    fn with(&mut self, items: &'a [ast::WithItem], body: &'a [Stmt]) -> CResult {
        let Some((item, rest)) = items.split_first() else {
            return self.body(body);
        };
        self.expr(&item.context_expr)?;
        self.emit(Op::BeforeWith);
        let setup = self.emit(Op::SetupExcept(0));
        match &item.optional_vars {
            Some(v) => self.store(v)?,
            None => {
                self.emit(Op::Pop);
            }
        }
        self.unit().fblocks.push(FBlock::With);
        self.with(rest, body)?;
        self.unit().fblocks.pop();
        self.emit(Op::PopBlock);
        self.load_none();
        self.load_none();
        self.load_none();
        self.emit(Op::Call(3));
        self.emit(Op::Pop);
        let end = self.emit(Op::Jump(0));
        self.patch(setup);
        self.emit(Op::PushExcInfo);
        let cleanup = self.emit(Op::SetupExcept(0));
        self.emit(Op::WithExceptStart);
        let supp = self.emit(Op::PopJumpIfTrue(0));
        self.emit(Op::Copy(1));
        self.emit(Op::Reraise);
        self.patch(supp);
        self.emit(Op::PopBlock);
        self.emit(Op::Pop);
        self.emit(Op::PopExcept);
        self.emit(Op::Pop);
        let end2 = self.emit(Op::Jump(0));
        self.patch(cleanup);
        self.emit(Op::PopExceptReraise);
        self.patch(end);
        self.patch(end2);
        Ok(())
    }

    /// Push defaults/kwdefaults for `MakeFunction`; returns the flags.
    pub fn defaults(&mut self, p: &'a ast::Parameters) -> CResult<u32> {
        let mut fl = 0;
        let pos: Vec<&Expr> = p
            .posonlyargs
            .iter()
            .chain(p.args.iter())
            .filter_map(|a| a.default.as_deref())
            .collect();
        if !pos.is_empty() {
            for d in &pos {
                self.expr(d)?;
            }
            self.emit(Op::BuildTuple(pos.len() as u32));
            fl |= 1;
        }
        let kw: Vec<(&str, &Expr)> = p
            .kwonlyargs
            .iter()
            .filter_map(|a| a.default.as_deref().map(|d| (a.parameter.name.as_str(), d)))
            .collect();
        if !kw.is_empty() {
            for (n, d) in &kw {
                let s = self.interned(&self.mangled(n))?;
                self.load_const(s);
                self.expr(d)?;
            }
            self.emit(Op::BuildMap(kw.len() as u32));
            fl |= 2;
        }
        Ok(fl)
    }

    /// `target: annotation [= value]`. The value is stored first; in a module or class body a
    /// simple name's annotation then goes into `__annotations__`, any other target's is
    /// evaluated and dropped; in a function annotations are not evaluated. Without a value,
    /// an attribute's object and a subscript's object and index are still evaluated.
    fn ann_assign(&mut self, a: &'a ast::StmtAnnAssign) -> CResult {
        if let Some(v) = &a.value {
            self.expr(v)?;
            self.store(&a.target)?;
        }
        let u = self.units.last().expect("unit");
        let evaluated = u.is_class || u.scope.kind == Some(super::scope::ScopeKind::Module);
        match &*a.target {
            Expr::Name(n) if a.simple => {
                if evaluated {
                    self.annotation_value(&a.annotation)?;
                    self.name_op("__annotations__", 0);
                    let key = self.interned(&self.mangled(n.id.as_str()))?;
                    self.load_const(key);
                    self.emit(Op::StoreSubscr);
                }
                return Ok(());
            }
            Expr::Attribute(at) if a.value.is_none() => {
                self.expr(&at.value)?;
                self.emit(Op::Pop);
            }
            Expr::Subscript(sub) if a.value.is_none() => {
                self.expr(&sub.value)?;
                self.emit(Op::Pop);
                self.expr(&sub.slice)?;
                self.emit(Op::Pop);
            }
            _ => {}
        }
        // Under `from __future__ import annotations` these are not evaluated either.
        if evaluated && !self.future_annotations {
            self.expr(&a.annotation)?;
            self.emit(Op::Pop);
        }
        Ok(())
    }

    /// Push an annotation's value: the expression's, or its text under
    /// `from __future__ import annotations`.
    fn annotation_value(&mut self, e: &'a Expr) -> CResult {
        if self.future_annotations {
            let text = super::unparse::annotation(e, self.source);
            let s = self.rt(self.heap.str(&text))?.into_obj();
            self.load_const(s);
            return Ok(());
        }
        self.expr(e)
    }

    /// With the new function on the stack: set its `__annotations__` from the parameters'
    /// and the return annotations (CPython's order: parameters, then positional-only ones,
    /// `*args`, keyword-only, `**kwargs`, `return`), names mangled.
    fn function_annotations(
        &mut self,
        p: &'a ast::Parameters,
        returns: Option<&'a Expr>,
    ) -> CResult {
        let params = p
            .args
            .iter()
            .chain(p.posonlyargs.iter())
            .map(|a| &a.parameter)
            .chain(p.vararg.as_deref())
            .chain(p.kwonlyargs.iter().map(|a| &a.parameter))
            .chain(p.kwarg.as_deref());
        let mut entries: Vec<(&str, &'a Expr)> = params
            .filter_map(|a| a.annotation.as_deref().map(|e| (a.name.as_str(), e)))
            .collect();
        if let Some(r) = returns {
            entries.push(("return", r));
        }
        if entries.is_empty() {
            return Ok(());
        }
        self.emit(Op::Copy(1));
        for (name, e) in &entries {
            let key = self.interned(&self.mangled(name))?;
            self.load_const(key);
            self.annotation_value(e)?;
        }
        self.emit(Op::BuildMap(entries.len() as u32));
        self.emit(Op::Swap(2));
        let i = self.name_index("__annotations__");
        self.emit(Op::StoreAttr(i));
        Ok(())
    }

    /// Push the closure tuple for a nested scope; returns the flag.
    pub fn closure(&mut self, key: usize) -> u32 {
        let inner = &self.scopes.map[&key];
        if inner.freevars.is_empty() {
            return 0;
        }
        for f in &inner.freevars {
            let i = self.deref_index(f);
            self.emit(Op::LoadClosure(i));
        }
        self.emit(Op::BuildTuple(inner.freevars.len() as u32));
        8
    }

    fn function_def(&mut self, f: &'a ast::StmtFunctionDef) -> CResult {
        if f.is_async {
            return Err(self.error(f, "async functions are not supported by pyheap"));
        }
        for d in &f.decorator_list {
            self.expr(&d.expression)?;
        }
        let mut fl = self.defaults(&f.parameters)?;
        let line = self.line_of(ruff_text_size::Ranged::start(f));
        self.push_unit(key(f), f.name.as_str(), line, false);
        // A docstring is the first constant (CPython: co_consts[0]); None otherwise.
        let doc = match docstring(&f.body) {
            Some(d) => self.rt(self.heap.str(d))?.into_obj(),
            None => self.heap.none(),
        };
        self.add_const(doc);
        self.body(&f.body)?;
        if !matches!(f.body.last(), Some(Stmt::Return(_))) {
            self.load_none();
            self.emit(Op::ReturnValue);
        }
        let code = self.pop_unit(Some(&f.parameters))?;
        fl |= self.closure(key(f));
        self.load_const(code);
        self.emit(Op::MakeFunction(fl));
        self.function_annotations(&f.parameters, f.returns.as_deref())?;
        for _ in &f.decorator_list {
            self.emit(Op::Call(1));
        }
        self.name_op(f.name.as_str(), 1);
        Ok(())
    }

    fn class_def(&mut self, c: &'a ast::StmtClassDef) -> CResult {
        for d in &c.decorator_list {
            self.expr(&d.expression)?;
        }
        self.emit(Op::LoadBuildClass);
        let line = self.line_of(ruff_text_size::Ranged::start(c));
        self.push_unit(key(c), c.name.as_str(), line, true);
        let module = self.name_index("__name__");
        self.emit(Op::LoadGlobal(module));
        let m = self.name_index("__module__");
        self.emit(Op::StoreName(m));
        let qn = self.unit().qualname.clone();
        let q = self.interned(&qn)?;
        self.load_const(q);
        let qi = self.name_index("__qualname__");
        self.emit(Op::StoreName(qi));
        if let Some(d) = docstring(&c.body) {
            let d = self.rt(self.heap.str(d))?.into_obj();
            self.load_const(d);
            let di = self.name_index("__doc__");
            self.emit(Op::StoreName(di));
        }
        if has_annotations(&c.body) {
            self.emit(Op::BuildMap(0));
            let ai = self.name_index("__annotations__");
            self.emit(Op::StoreName(ai));
        }
        self.body(&c.body)?;
        if self.scope().cellvars.iter().any(|v| v == "__class__") {
            let i = self.deref_index("__class__");
            self.emit(Op::LoadClosure(i));
        } else {
            self.load_none();
        }
        self.emit(Op::ReturnValue);
        let code = self.pop_unit(None)?;
        let fl = self.closure(key(c));
        self.load_const(code);
        self.emit(Op::MakeFunction(fl));
        let name = self.interned(c.name.as_str())?;
        self.load_const(name);
        let (mut n, mut kw) = (2u32, vec![]);
        if let Some(args) = &c.arguments {
            for a in args.args.iter() {
                self.expr(a)?;
                n += 1;
            }
            for k in args.keywords.iter() {
                match &k.arg {
                    Some(a) => {
                        self.expr(&k.value)?;
                        kw.push(a.as_str());
                    }
                    None => return Err(self.error(k, "class **kwargs are not supported")),
                }
            }
        }
        if kw.is_empty() {
            self.emit(Op::Call(n));
        } else {
            let mut names = vec![];
            for k in &kw {
                names.push(self.interned(k)?);
            }
            let t = self.rt(self.heap.tuple(&names))?;
            self.load_const(t.into_obj());
            self.emit(Op::CallKw(n + kw.len() as u32));
        }
        for _ in &c.decorator_list {
            self.emit(Op::Call(1));
        }
        self.name_op(c.name.as_str(), 1);
        Ok(())
    }
}

/// Whether a block holds an annotated assignment outside nested scopes (its class body then
/// starts with an empty `__annotations__`).
fn has_annotations(body: &[Stmt]) -> bool {
    body.iter().any(|s| match s {
        Stmt::AnnAssign(_) => true,
        Stmt::If(i) => {
            has_annotations(&i.body) || i.elif_else_clauses.iter().any(|c| has_annotations(&c.body))
        }
        Stmt::For(f) => has_annotations(&f.body) || has_annotations(&f.orelse),
        Stmt::While(w) => has_annotations(&w.body) || has_annotations(&w.orelse),
        Stmt::With(w) => has_annotations(&w.body),
        Stmt::Try(t) => {
            has_annotations(&t.body)
                || has_annotations(&t.orelse)
                || has_annotations(&t.finalbody)
                || t.handlers.iter().any(|h| {
                    let ast::ExceptHandler::ExceptHandler(h) = h;
                    has_annotations(&h.body)
                })
        }
        Stmt::Match(m) => m.cases.iter().any(|c| has_annotations(&c.body)),
        _ => false,
    })
}

/// A body's docstring: its first statement, when that is a plain string literal.
fn docstring(body: &[Stmt]) -> Option<&str> {
    match body.first() {
        Some(Stmt::Expr(e)) => match &*e.value {
            ast::Expr::StringLiteral(s) => Some(s.value.to_str()),
            _ => None,
        },
        _ => None,
    }
}

impl<'a, 'h> Compiler<'a, 'h> {
    /// `a, b = x, y` (two or three names each side, no `*`): CPython's peephole pass turns
    /// the tuple built and unpacked at once into a swap, so no tuple is made at run time (a
    /// program's `gc.get_count()` sees none). `false` (nothing emitted) when it does not apply.
    fn swap_assign(&mut self, a: &'a ast::StmtAssign) -> CResult<bool> {
        let ([target], Expr::Tuple(value)) = (&a.targets[..], &*a.value) else {
            return Ok(false);
        };
        let targets = match target {
            Expr::Tuple(t) => &t.elts,
            Expr::List(l) => &l.elts,
            _ => return Ok(false),
        };
        let n = value.elts.len();
        let starred = |es: &[Expr]| es.iter().any(|e| matches!(e, Expr::Starred(_)));
        if !(1..=3).contains(&n)
            || targets.len() != n
            || starred(targets)
            || starred(&value.elts)
            || is_constant(&a.value)
        {
            // A tuple of constants is one constant, unpacked as it is.
            return Ok(false);
        }
        for e in &value.elts {
            self.expr(e)?;
        }
        if n > 1 {
            self.emit(Op::Swap(n as u32));
        }
        for t in targets {
            self.store(t)?;
        }
        Ok(true)
    }
}
