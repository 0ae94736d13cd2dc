//! The evaluation loop. Python-to-Python calls do not recurse on the Rust stack, nor leave the
//! loop: a call pushes the callee's frame record on the level's `frames` and its window on the
//! level's fast locals and value stack (`vm/frame.rs`; a `cls(..)` with a plain `__init__`
//! pushes the `__init__` frame), a return drops the top frame where it lies and the loop goes on
//! in the caller. Only calls from Rust code (dunder methods run by
//! operators, `__del__`, built-ins taking callables, generators) enter `execute` again (a new
//! level), and each entry checks the recursion limit and a Rust stack budget.
//!
//! ```text
//!   execute(base) ─ loop { run(level) → Return(v) | Yield(v) of the base frame | Err }
//!     run: ops of the top frame; Call → push_call (push a frame, or run a built-in now);
//!          ReturnValue of a pushed frame → pop_frame, the value onto the caller's stack
//!     Err: add a traceback entry, jump to the frame's last handler block, or pop the frame and
//!          go on unwinding in the caller
//! ```

use super::frame::{Detached, Frame, Level};
use super::{Ctx, ExcTy, PyResult, Raise, err};
use crate::bytecode::{CmpOp, Op, UnOp};
use crate::objects::frame::FrameObject;
use crate::objects::function::Function;
use crate::objects::iter::{Iter, IterKind};
use pyheap_runtime::{Dict, Kind, Member, Obj};

/// The value of an exact `int` stored inline (not a bool, not a big int): the operand of
/// the loop's comparison fast path.
#[inline(always)]
fn small_int(o: &Obj<'_>) -> Option<i64> {
    if o.kind() != Kind::Int {
        return None;
    }
    match o.int_value() {
        Ok(pyheap_runtime::IntValue::Small(v)) => Some(v),
        _ => None,
    }
}

/// `x ⊕ y` for the comparison operators on two small ints.
#[inline(always)]
fn small_compare(c: CmpOp, x: i64, y: i64) -> bool {
    match c {
        CmpOp::Lt => x < y,
        CmpOp::Le => x <= y,
        CmpOp::Eq => x == y,
        CmpOp::Ne => x != y,
        CmpOp::Gt => x > y,
        CmpOp::Ge => x >= y,
    }
}

/// How a frame stopped.
pub enum Outcome<'h> {
    Return(Obj<'h>),
    Yield(Obj<'h>),
}

/// How the base frame of an `execute` level stopped.
pub(crate) enum Event<'h> {
    Return(Obj<'h>),
    Yield(Obj<'h>),
}

/// An error inside `run`: the exception and whether this frame still needs its traceback entry.
pub(crate) struct Thrown<'h>(pub Raise<'h>, pub bool);

impl<'h> From<Raise<'h>> for Thrown<'h> {
    fn from(r: Raise<'h>) -> Self {
        Thrown(r, true)
    }
}
impl From<pyheap_runtime::RuntimeError> for Thrown<'_> {
    fn from(e: pyheap_runtime::RuntimeError) -> Self {
        Thrown(Raise::Rt(e), true)
    }
}

impl<'h> Ctx<'h> {
    /// Run a frame to completion.
    pub fn run_frame(&self, frame: Detached<'h>) -> PyResult<'h> {
        let (r, done) = self.execute(frame, None);
        if let Some(done) = done {
            self.recycle_frame(done);
        }
        match r? {
            Outcome::Return(v) => Ok(v),
            Outcome::Yield(_) => err(ExcTy::SystemError, "yield outside a generator"),
        }
    }

    /// Enter the VM with `base` (resumed with `resume` for generators): returns how it stopped
    /// and the base frame (a generator keeps it).
    pub fn execute(
        &self,
        base: Detached<'h>,
        resume: Option<PyResult<'h>>,
    ) -> (PyResult<'h, Outcome<'h>>, Option<Detached<'h>>) {
        if let Err(e) = self.enter() {
            return (Err(e), Some(base));
        }
        let saved = self.enter_level();
        let r = self.execute_inner(base, resume);
        self.leave_level(saved);
        self.leave();
        r
    }

    fn execute_inner(
        &self,
        base: Detached<'h>,
        resume: Option<PyResult<'h>>,
    ) -> (PyResult<'h, Outcome<'h>>, Option<Detached<'h>>) {
        let Detached { frame, fast, stack } = base;
        let mut lv = Level {
            frames: vec![frame],
            fast,
            stack,
        };
        let mut pending: Option<Thrown<'h>> = None;
        match resume {
            Some(Ok(v)) => lv.stack.push(v),
            Some(Err(e)) => pending = Some(Thrown(e, true)),
            None => {}
        }
        // The base frame leaves with the level's vectors (its windows are at 0).
        let detach = |mut lv: Level<'h>| {
            let frame = lv.frames.pop().expect("frame");
            Detached {
                frame,
                fast: lv.fast,
                stack: lv.stack,
            }
        };
        loop {
            let ev = match pending.take() {
                Some(t) => Err(t),
                None => self.run(&mut lv),
            };
            match ev {
                Ok(Event::Return(v)) => {
                    self.link_unlinked(&mut lv.frames);
                    let mut done = detach(lv);
                    self.retire_frame(&mut done.frame, &mut done.fast, |_| None);
                    return (Ok(Outcome::Return(v)), Some(done));
                }
                Ok(Event::Yield(v)) => {
                    self.link_unlinked(&mut lv.frames);
                    return (Ok(Outcome::Yield(v)), Some(detach(lv)));
                }
                Err(Thrown(r, mut add_tb)) => {
                    let exc = self.normalize(r);
                    loop {
                        self.link_unlinked(&mut lv.frames);
                        if add_tb {
                            self.add_traceback(&exc, &mut lv.frames);
                            self.set_context(&exc);
                        }
                        let f = lv.frames.last_mut().expect("frame");
                        if let Some((handler, level)) = f.blocks.pop() {
                            lv.stack.truncate(level as usize);
                            lv.stack.push(exc);
                            f.pc = handler as usize;
                            break;
                        }
                        // The value stack goes before the locals move (CPython clears it while
                        // unwinding).
                        lv.stack.truncate(f.stack_base);
                        if lv.frames.len() == 1 {
                            let mut done = detach(lv);
                            self.retire_frame(&mut done.frame, &mut done.fast, |_| None);
                            return (Err(Raise::Obj(exc)), Some(done));
                        }
                        self.pop_frame(&mut lv);
                        add_tb = true;
                    }
                }
            }
        }
    }

    /// Take a finished frame that is not the base frame off the level (its caller is below it).
    #[inline]
    fn pop_frame(&self, lv: &mut Level<'h>) {
        self.link_unlinked(&mut lv.frames);
        let n = lv.frames.len();
        let (callers, top) = lv.frames.split_at_mut(n - 1);
        let fast = &mut lv.fast[top[0].fast_base..];
        self.retire_frame(&mut top[0], fast, |c| {
            c.linked_frame_object(callers, n - 2).ok()
        });
        self.recycle_top(lv);
        self.leave();
    }

    /// A Python call made by the top frame: `stack[at]` is the callable, the values above it
    /// the positional arguments, `kw` the keyword ones. A Python function's frame is pushed on
    /// `frames` (the loop goes on in it); any other callable runs now and leaves its result.
    fn push_call(
        &self,
        lv: &mut Level<'h>,
        at: usize,
        kw: Vec<(Obj<'h>, Obj<'h>)>,
    ) -> PyResult<'h, ()> {
        self.link_unlinked(&mut lv.frames);
        if kw.is_empty() && self.push_simple(lv, at)? {
            return Ok(());
        }
        if self.getframe_call(lv, at, &kw)? {
            return Ok(());
        }
        if let Some(nf) = self.call_from_stack(&mut lv.stack, at, kw)? {
            self.link_unlinked(&mut lv.frames);
            self.enter_frame()?;
            // The new frame's vectors move onto the level's ends (its windows).
            let Detached {
                mut frame,
                mut fast,
                mut stack,
            } = nf;
            frame.fast_base = lv.fast.len();
            frame.stack_base = lv.stack.len();
            lv.fast.append(&mut fast);
            lv.stack.append(&mut stack);
            lv.frames.push(frame);
        }
        Ok(())
    }

    /// A native that reads the calling frame, called by the top frame: `sys._getframe([depth])`
    /// (the frame object `depth` callers down, linked to its callers) or one of
    /// `builtins/introspect.rs` (`locals()`, `exec(src)`, ...); as the frames of this level are
    /// the loop's, the VM answers the call. `false`: not such a call.
    fn getframe_call(
        &self,
        lv: &mut Level<'h>,
        at: usize,
        kw: &[(Obj<'h>, Obj<'h>)],
    ) -> PyResult<'h, bool> {
        let top = lv.frames.len() - 1;
        let Some(b) = lv.stack[at].downcast_user::<crate::objects::function::Builtin>() else {
            return Ok(false);
        };
        let name = {
            let b = b.borrow()?;
            if !b.reads_frame {
                return Ok(false);
            }
            b.name
        };
        if name != "_getframe" {
            let scope = || self.frame_scope(lv, top);
            let args = &lv.stack[at + 1..];
            let Some(r) = crate::builtins::introspect::answer(self, name, args, kw, scope)? else {
                return Ok(false);
            };
            lv.stack.truncate(at);
            lv.stack.push(r);
            return Ok(true);
        }
        if !kw.is_empty() {
            return Ok(false);
        }
        let args = &lv.stack[at + 1..];
        if args.len() > 1 {
            return err(
                ExcTy::TypeError,
                format!("_getframe expected at most 1 argument, got {}", args.len()),
            );
        }
        let depth = match args.first() {
            Some(d) if matches!(d.kind(), Kind::Int | Kind::Bool) => d.as_int()?,
            Some(d) => {
                return err(
                    ExcTy::TypeError,
                    format!(
                        "'{}' object cannot be interpreted as an integer",
                        self.type_name(d)
                    ),
                );
            }
            None => 0,
        };
        let Some(i) = usize::try_from(depth).ok().and_then(|d| top.checked_sub(d)) else {
            return err(ExcTy::ValueError, "call stack is not deep enough");
        };
        let fo = self.linked_frame_object(&mut lv.frames, i)?;
        // `f_lineno` as of now for it and the callers (each object keeps the line it was made
        // at otherwise).
        for g in &lv.frames[..=i] {
            if let Some(o) = &g.frame_obj {
                o.as_user::<FrameObject>()?.borrow_mut()?.lineno = g.line();
            }
        }
        let g = &lv.frames[i];
        if g.locals.is_none() {
            let snap =
                crate::builtins::frames::locals_dict(self, &g.code, lv.fast_of(i), &g.cells)?;
            let old = fo
                .as_user::<FrameObject>()?
                .borrow_mut()?
                .snapshot
                .replace(Member::from_obj(snap));
            // Dropped after the borrow ends (freeing the dict can run `__del__`).
            drop(old);
        }
        lv.stack.truncate(at);
        lv.stack.push(fo);
        Ok(true)
    }

    /// The globals and the locals mapping of frame `i` as `locals()` sees them: the names dict
    /// of a module or class body, a snapshot of a function's fast locals and cells.
    fn frame_scope(&self, lv: &Level<'h>, i: usize) -> PyResult<'h, (Dict<'h>, Obj<'h>)> {
        let f = &lv.frames[i];
        let locals = match &f.locals {
            Some(d) => d.obj(),
            None => crate::builtins::frames::locals_dict(self, &f.code, lv.fast_of(i), &f.cells)?,
        };
        Ok((f.globals.clone(), locals))
    }

    /// Count a frame against the recursion limit and the Rust stack budget.
    pub fn enter(&self) -> PyResult<'h, ()> {
        let d = self.depth.get() + 1;
        if d > self.recursion_limit.get() || self.stack_exhausted() {
            return err(ExcTy::RecursionError, "maximum recursion depth exceeded");
        }
        self.depth.set(d);
        Ok(())
    }
    /// [`Ctx::enter`] for a frame pushed by the loop, which takes no Rust stack.
    #[inline]
    pub(crate) fn enter_frame(&self) -> PyResult<'h, ()> {
        let d = self.depth.get() + 1;
        if d > self.recursion_limit.get() {
            return err(ExcTy::RecursionError, "maximum recursion depth exceeded");
        }
        self.depth.set(d);
        Ok(())
    }
    pub fn leave(&self) {
        self.depth.set(self.depth.get().saturating_sub(1));
    }
    fn stack_exhausted(&self) -> bool {
        let probe = 0u8;
        let here = &probe as *const u8 as usize;
        let base = self.stack_base.get();
        base.saturating_sub(here) > self.stack_budget.get()
    }

    /// Set `__context__` of a newly raised exception to the one being handled.
    fn set_context(&self, exc: &Obj<'h>) {
        let handled = self.handled.borrow().clone();
        if let Some(h) = handled
            && !h.is(exc)
            && let Ok(inst) = exc.as_instance()
            && inst.get_own("__context__").is_none()
        {
            let _ = inst.setattr("__context__", &h);
        }
    }

    /// Run ops of the top frame of `frames`, and of the frames its Python calls push, until the
    /// base frame returns or yields, or an op raises (the caller unwinds, then runs again).
    fn run(&self, lv: &mut Level<'h>) -> Result<Event<'h>, Thrown<'h>> {
        'frame: loop {
            let Level {
                frames,
                fast,
                stack,
            } = &mut *lv;
            let f = frames.last_mut().expect("frame");
            // The top frame's fast locals (the end of the level's).
            let fast = &mut fast[f.fast_base..];
            // Borrowed from the record (no reference count per call and return): a call or
            // return ends this stretch (`continue 'frame`) before the record can change.
            let code: &crate::bytecode::CodeData = &f.code;
            let ops = &code.ops[..];
            // Line tracing (vm/trace.rs): one test per op when no hook is set.
            let tracing = self.tracing();
            let mut last_pc = usize::MAX;
            loop {
                if tracing {
                    self.line_event(f, fast, &mut last_pc);
                }
                let op = ops[f.pc];
                f.pc += 1;
                match op {
                    // An instruction with its usual companions in one step (vm/fast.rs).
                    Op::LoadFast(_) | Op::Copy(2) | Op::Swap(3)
                        if !tracing
                            && self.fused(op, &mut f.pc, fast, stack, ops, &code.consts)? => {}
                    Op::Pop => {
                        stack.pop();
                    }
                    Op::Copy(n) => {
                        let v = stack[stack.len() - n as usize].clone();
                        stack.push(v);
                    }
                    Op::Swap(n) => {
                        let l = stack.len();
                        stack.swap(l - 1, l - n as usize);
                    }
                    Op::LoadConst(i) => {
                        let v = code.consts[i as usize].get(self.heap)?;
                        stack.push(v);
                    }
                    Op::LoadFast(i) => match &fast[i as usize] {
                        Some(v) => {
                            let v = v.clone();
                            stack.push(v)
                        }
                        None => {
                            let name = &code.varnames[i as usize];
                            return Err(Raise::New(
                            ExcTy::UnboundLocalError,
                            format!(
                                "cannot access local variable '{name}' where it is not associated with a value"
                            ),
                        )
                        .into());
                        }
                    },
                    Op::StoreFast(i) => {
                        let v = stack.pop();
                        fast[i as usize] = v;
                    }
                    Op::DeleteFast(i) => {
                        if fast[i as usize].take().is_none() {
                            let name = &code.varnames[i as usize];
                            return Err(Raise::New(
                            ExcTy::UnboundLocalError,
                            format!(
                                "cannot access local variable '{name}' where it is not associated with a value"
                            ),
                        )
                        .into());
                        }
                    }
                    Op::LoadDeref(i) => {
                        let cell = f.cells[i as usize].as_cell()?;
                        match cell.get() {
                            Some(v) => stack.push(v),
                            None => {
                                let name = self.deref_name(code, i);
                                let (ty, msg) = if (i as usize) < code.cellvars.len() {
                                    (
                                        ExcTy::UnboundLocalError,
                                        format!(
                                            "cannot access local variable '{name}' where it is not associated with a value"
                                        ),
                                    )
                                } else {
                                    (
                                        ExcTy::NameError,
                                        format!(
                                            "cannot access free variable '{name}' where it is not associated with a value in enclosing scope"
                                        ),
                                    )
                                };
                                return Err(Raise::New(ty, msg).into());
                            }
                        }
                    }
                    Op::StoreDeref(i) => {
                        let v = stack.pop().expect("stack");
                        f.cells[i as usize].as_cell()?.set(Some(&v))?;
                    }
                    Op::DeleteDeref(i) => {
                        f.cells[i as usize].as_cell()?.set(None)?;
                    }
                    Op::LoadClosure(i) => {
                        let c = f.cells[i as usize].clone();
                        stack.push(c);
                    }
                    Op::LoadGlobal(i) => {
                        let v = self.load_global(f, code, i)?;
                        stack.push(v);
                    }
                    Op::StoreGlobal(i) => {
                        let v = stack.pop().expect("stack");
                        self.store_global(&f.globals, code, i, &v)?;
                    }
                    Op::DeleteGlobal(i) => {
                        let k = code.names[i as usize].get(self.heap)?;
                        if f.globals.remove(&k).is_err() {
                            return Err(self.name_error(&code.name_strs[i as usize]).into());
                        }
                    }
                    Op::LoadName(i) => {
                        let k = code.names[i as usize].get(self.heap)?;
                        let local = match f.own_locals() {
                            Some(l) => l.get(&k)?,
                            None => None,
                        };
                        let v = match local {
                            Some(v) => v,
                            None => self.load_global(f, code, i)?,
                        };
                        stack.push(v);
                    }
                    Op::StoreName(i) => {
                        let v = stack.pop().expect("stack");
                        match f.own_locals() {
                            Some(l) => l.set(&code.names[i as usize].get(self.heap)?, &v)?,
                            None => self.store_global(&f.globals, code, i, &v)?,
                        }
                    }
                    Op::DeleteName(i) => {
                        let k = code.names[i as usize].get(self.heap)?;
                        let d = f.locals.as_ref().unwrap_or(&f.globals);
                        if d.remove(&k).is_err() {
                            return Err(self.name_error(&code.name_strs[i as usize]).into());
                        }
                    }
                    Op::LoadAttr(i) => {
                        let o = stack.pop().expect("stack");
                        let v = self.getattr(&o, &code.name_strs[i as usize])?;
                        stack.push(v);
                    }
                    Op::StoreAttr(i) => {
                        let o = stack.pop().expect("stack");
                        let v = stack.pop().expect("stack");
                        self.store_attr(&o, code, i, v)?;
                    }
                    Op::DeleteAttr(i) => {
                        let o = stack.pop().expect("stack");
                        self.delattr(&o, &code.name_strs[i as usize])?;
                    }
                    Op::LoadMethod(i) => {
                        let o = stack.pop().expect("stack");
                        let (m, this) = self.load_method_at(o, code, i)?;
                        stack.push(m);
                        stack.push(this.unwrap_or_else(|| self.null.clone()));
                    }
                    Op::CallMethod(n) => {
                        let n = n as usize;
                        let l = stack.len();
                        let this_at = l - n - 1;
                        let callee_at = this_at - 1;
                        if self.is_null(&stack[this_at]) {
                            if self.call_native_on_stack(stack, callee_at, this_at + 1)? {
                                continue;
                            }
                            stack.remove(this_at);
                        } else if self.call_native_on_stack(stack, callee_at, this_at)? {
                            continue;
                        }
                        self.push_call(lv, callee_at, vec![])?;
                        continue 'frame;
                    }
                    Op::Call(n) => {
                        let at = stack.len() - n as usize - 1;
                        // A Python function goes straight to the frame push; the commonest
                        // (exact positional arguments, no closure) without the general path.
                        if !stack[at].is_user::<Function>() {
                            if self.call_native_on_stack(stack, at, at + 1)? {
                                continue;
                            }
                        } else {
                            self.link_unlinked(&mut lv.frames);
                            if self.push_exact(lv, at)? {
                                continue 'frame;
                            }
                        }
                        self.push_call(lv, at, vec![])?;
                        continue 'frame;
                    }
                    Op::CallKw(n) => {
                        let names = stack.pop().expect("stack");
                        let names = names.as_tuple()?.to_vec();
                        let k = names.len();
                        let vals = stack.split_off(stack.len() - k);
                        let kw = names.into_iter().zip(vals).collect();
                        let at = stack.len() - (n as usize - k) - 1;
                        self.push_call(lv, at, kw)?;
                        continue 'frame;
                    }
                    Op::CallEx => {
                        let kw = stack.pop().expect("stack");
                        let args = stack.pop().expect("stack");
                        let func = stack.pop().expect("stack");
                        // CPython calls with a tuple of the positional arguments, made from
                        // `f(*xs)`'s `xs` when it is not one, alive during the call.
                        let (args, _tuple) = if args.kind() == Kind::Tuple {
                            (args.as_tuple()?.to_vec(), None)
                        } else {
                            let v = self.collect(&args)?;
                            let t = self.heap.tuple(&v)?;
                            (v, Some(t))
                        };
                        let mut kws = vec![];
                        if !kw.is_none() {
                            for (k, v) in kw.as_dict()?.items() {
                                if k.kind() != Kind::Str {
                                    return Err(Raise::New(
                                        ExcTy::TypeError,
                                        "keywords must be strings".into(),
                                    )
                                    .into());
                                }
                                kws.push((k, v));
                            }
                            // A Python function's vectorcall takes the keywords' names as a
                            // tuple made from the dict (`vm/firstuse.rs`).
                            if !kws.is_empty() && func.is_user::<Function>() {
                                self.heap.transient_tuple(kws.len())?;
                            }
                        }
                        let v = self.call(&func, args, kws)?;
                        stack.push(v);
                    }
                    Op::Subscr => {
                        if self.subscr_on_stack(stack)? {
                            continue;
                        }
                        let k = stack.pop().expect("stack");
                        let o = stack.pop().expect("stack");
                        let v = self.getitem(&o, &k)?;
                        stack.push(v);
                    }
                    Op::StoreSubscr => {
                        if self.store_subscr_on_stack(stack)? {
                            continue;
                        }
                        let k = stack.pop().expect("stack");
                        let o = stack.pop().expect("stack");
                        let v = stack.pop().expect("stack");
                        self.setitem(&o, &k, &v)?;
                    }
                    Op::DeleteSubscr => {
                        let k = stack.pop().expect("stack");
                        let o = stack.pop().expect("stack");
                        self.delitem(&o, &k)?;
                    }
                    Op::Binary(b) => {
                        if self.float_binary_on_stack(b, stack)? {
                            continue;
                        }
                        let r = stack.pop().expect("stack");
                        let l = stack.pop().expect("stack");
                        let v = self.binary(b, &l, &r)?;
                        stack.push(v);
                    }
                    Op::Inplace(b) => {
                        if self.float_binary_on_stack(b, stack)? {
                            continue;
                        }
                        let r = stack.pop().expect("stack");
                        let l = stack.pop().expect("stack");
                        let v = self.inplace(b, &l, &r)?;
                        stack.push(v);
                    }
                    Op::Unary(u) => {
                        let o = stack.pop().expect("stack");
                        let v = match u {
                            UnOp::Not => {
                                let t = self.truthy(&o)?;
                                self.bool(!t)
                            }
                            u => self.unary(u, &o)?,
                        };
                        stack.push(v);
                    }
                    Op::Compare(c) => {
                        let r = stack.pop().expect("stack");
                        let l = stack.pop().expect("stack");
                        let v = match (small_int(&l), small_int(&r)) {
                            (Some(x), Some(y)) => {
                                let b = small_compare(c, x, y);
                                // `if a < b:`: the jump that follows takes the answer
                                // directly (nothing can fail in between; off while tracing,
                                // so that each instruction reports itself).
                                match ops.get(f.pc) {
                                    Some(&Op::PopJumpIfFalse(t)) if !tracing => {
                                        f.pc = if b { f.pc + 1 } else { t as usize };
                                        continue;
                                    }
                                    Some(&Op::PopJumpIfTrue(t)) if !tracing => {
                                        f.pc = if b { t as usize } else { f.pc + 1 };
                                        continue;
                                    }
                                    _ => self.bool(b),
                                }
                            }
                            _ => self.compare(c, &l, &r)?,
                        };
                        stack.push(v);
                    }
                    Op::Is(neg) => {
                        let r = stack.pop().expect("stack");
                        let l = stack.pop().expect("stack");
                        stack.push(self.bool(l.is(&r) != neg));
                    }
                    Op::In(neg) => {
                        let r = stack.pop().expect("stack");
                        let l = stack.pop().expect("stack");
                        let b = self.contains(&r, &l)?;
                        stack.push(self.bool(b != neg));
                    }
                    Op::Jump(t) => f.pc = t as usize,
                    Op::PopJumpIfFalse(t) => {
                        let v = stack.pop().expect("stack");
                        let b = match v.kind() {
                            Kind::Bool => {
                                matches!(v.int_value(), Ok(pyheap_runtime::IntValue::Small(x)) if x != 0)
                            }
                            _ => self.truthy(&v)?,
                        };
                        if !b {
                            f.pc = t as usize;
                        }
                    }
                    Op::PopJumpIfTrue(t) => {
                        let v = stack.pop().expect("stack");
                        let b = match v.kind() {
                            Kind::Bool => {
                                matches!(v.int_value(), Ok(pyheap_runtime::IntValue::Small(x)) if x != 0)
                            }
                            _ => self.truthy(&v)?,
                        };
                        if b {
                            f.pc = t as usize;
                        }
                    }
                    Op::JumpIfFalseOrPop(t) => {
                        if !self.truthy(stack.last().expect("stack"))? {
                            f.pc = t as usize;
                        } else {
                            stack.pop();
                        }
                    }
                    Op::JumpIfTrueOrPop(t) => {
                        if self.truthy(stack.last().expect("stack"))? {
                            f.pc = t as usize;
                        } else {
                            stack.pop();
                        }
                    }
                    Op::GetIter => {
                        let o = stack.pop().expect("stack");
                        let it = self.iter(&o)?;
                        stack.push(it);
                    }
                    Op::ForIter(t) => {
                        let it = stack.last().expect("stack");
                        match self.for_next(it)? {
                            Some(v) => stack.push(v),
                            None => {
                                stack.pop();
                                f.pc = t as usize;
                            }
                        }
                    }
                    Op::BuildTuple(n) => {
                        let items = stack.split_off(stack.len() - n as usize);
                        let t = self.heap.tuple(&items)?;
                        stack.push(t.into_obj());
                    }
                    Op::BuildList(n) => {
                        let items = stack.split_off(stack.len() - n as usize);
                        let t = self.heap.list(&items)?;
                        stack.push(t.into_obj());
                    }
                    Op::BuildSet(n) => {
                        let items = stack.split_off(stack.len() - n as usize);
                        let s = self.new_set(&items)?;
                        stack.push(s);
                    }
                    Op::BuildMap(n) => {
                        let items = stack.split_off(stack.len() - 2 * n as usize);
                        let d = self.heap.dict()?;
                        for kv in items.chunks(2) {
                            self.dict_set(&d, &kv[0], &kv[1])?;
                        }
                        stack.push(d.into_obj());
                    }
                    Op::BuildSlice(n) => {
                        // `s[a:b]` of a str in one step (vm/fast.rs); nothing can fail.
                        if n == 2
                            && !tracing
                            && ops.get(f.pc) == Some(&Op::Subscr)
                            && self.str_slice_on_stack(stack)?
                        {
                            f.pc += 1;
                            continue;
                        }
                        let step = if n == 3 { stack.pop() } else { None };
                        let stop = stack.pop().expect("stack");
                        let start = stack.pop().expect("stack");
                        let s = self.new_slice(start, stop, step.unwrap_or_else(|| self.none()))?;
                        stack.push(s);
                    }
                    Op::BuildString(n) => self.build_string_on_stack(stack, n as usize)?,
                    Op::ListAppend(d) => {
                        let v = stack.pop().expect("stack");
                        let l = &stack[stack.len() - d as usize];
                        l.as_list()?.append(&v)?;
                    }
                    Op::SetAdd(d) => {
                        let v = stack.pop().expect("stack");
                        let s = stack[stack.len() - d as usize].clone();
                        self.set_add(&s, &v)?;
                    }
                    Op::MapAdd(d) => {
                        let v = stack.pop().expect("stack");
                        let k = stack.pop().expect("stack");
                        let m = stack[stack.len() - d as usize].clone();
                        self.dict_set(m.as_dict()?, &k, &v)?;
                    }
                    Op::ListExtend(d) => {
                        let v = stack.pop().expect("stack");
                        let items = self.collect(&v)?;
                        let l = stack[stack.len() - d as usize].clone();
                        l.as_list()?.extend(&items)?;
                    }
                    Op::SetUpdate(d) => {
                        let v = stack.pop().expect("stack");
                        let items = self.collect(&v)?;
                        let s = stack[stack.len() - d as usize].clone();
                        for i in &items {
                            self.set_add(&s, i)?;
                        }
                    }
                    Op::DictUpdate(d) => {
                        let v = stack.pop().expect("stack");
                        let m = stack[stack.len() - d as usize].clone();
                        self.dict_update(m.as_dict()?, &v)?;
                    }
                    Op::ListToTuple => {
                        let l = stack.pop().expect("stack");
                        let t = self.heap.tuple(&l.as_list()?.to_vec())?;
                        stack.push(t.into_obj());
                    }
                    Op::UnpackSequence(n) => {
                        let o = stack.pop().expect("stack");
                        let items = self.unpack(&o, n as usize)?;
                        stack.extend(items.into_iter().rev());
                    }
                    Op::UnpackEx(before, after) => {
                        let o = stack.pop().expect("stack");
                        let mut items = self.collect(&o)?;
                        let (b, a) = (before as usize, after as usize);
                        if items.len() < b + a {
                            return Err(Raise::New(
                                ExcTy::ValueError,
                                format!(
                                    "not enough values to unpack (expected at least {}, got {})",
                                    b + a,
                                    items.len()
                                ),
                            )
                            .into());
                        }
                        let tail = items.split_off(items.len() - a);
                        let mid = items.split_off(b);
                        let mid = self.heap.list(&mid)?.into_obj();
                        for v in tail.into_iter().rev() {
                            stack.push(v);
                        }
                        stack.push(mid);
                        for v in items.into_iter().rev() {
                            stack.push(v);
                        }
                    }
                    Op::MakeFunction(fl) => {
                        let code_obj = stack.pop().expect("stack");
                        let closure = if fl & 8 != 0 { stack.pop() } else { None };
                        let kwdefaults = if fl & 2 != 0 { stack.pop() } else { None };
                        let defaults = if fl & 1 != 0 { stack.pop() } else { None };
                        let func = self
                            .make_function(&code_obj, &f.globals, defaults, kwdefaults, closure)?;
                        stack.push(func);
                    }
                    Op::ReturnValue => {
                        let v = stack.pop().expect("stack");
                        let init = f.init;
                        if lv.frames.len() == 1 {
                            return Ok(Event::Return(v));
                        }
                        self.pop_frame(lv);
                        if !init {
                            lv.stack.push(v);
                        } else if !v.is_none() {
                            // Raised in the caller, where `cls(..)` is.
                            return Err(Raise::New(
                                ExcTy::TypeError,
                                format!(
                                    "__init__() should return None, not '{}'",
                                    self.type_name(&v)
                                ),
                            )
                            .into());
                        }
                        continue 'frame;
                    }
                    Op::YieldValue => {
                        let v = stack.pop().expect("stack");
                        return Ok(Event::Yield(v));
                    }
                    Op::YieldFrom => {
                        let v = stack.pop().expect("stack");
                        let it = stack.last().expect("stack").clone();
                        match self.send(&it, v)? {
                            Outcome::Yield(y) => {
                                f.pc -= 1;
                                return Ok(Event::Yield(y));
                            }
                            Outcome::Return(r) => {
                                stack.pop();
                                stack.push(r);
                            }
                        }
                    }
                    Op::SetupExcept(t) => f.blocks.push((t, stack.len() as u32)),
                    Op::PopBlock => {
                        f.blocks.pop();
                    }
                    Op::PushExcInfo => {
                        let exc = stack.pop().expect("stack");
                        let prev = self.handled.replace(Some(exc.clone()));
                        stack.push(prev.unwrap_or_else(|| self.none()));
                        stack.push(exc);
                    }
                    Op::PopExcept => {
                        let prev = stack.pop().expect("stack");
                        *self.handled.borrow_mut() = (!prev.is_none()).then_some(prev);
                    }
                    Op::Reraise => {
                        let exc = stack.pop().expect("stack");
                        return Err(Thrown(Raise::Obj(exc), false));
                    }
                    Op::PopExceptReraise => {
                        let new = stack.pop().expect("stack");
                        stack.pop();
                        let prev = stack.pop().expect("stack");
                        *self.handled.borrow_mut() = (!prev.is_none()).then_some(prev);
                        return Err(Thrown(Raise::Obj(new), false));
                    }
                    Op::Raise(n) => return Err(self.do_raise(stack, n)?),
                    Op::CheckExcMatch => {
                        let ty = stack.pop().expect("stack");
                        let exc = stack.last().expect("stack");
                        let m = self.exception_matches(exc, &ty)?;
                        stack.push(self.bool(m));
                    }
                    Op::LoadBuildClass => {
                        let b = self.builtin("__build_class__")?;
                        stack.push(b);
                    }
                    Op::BeforeWith => {
                        let mgr = stack.pop().expect("stack");
                        let exit = self.getattr_special(&mgr, "__exit__")?;
                        let enter = self.getattr_special(&mgr, "__enter__")?;
                        let r = self.call(&enter, vec![], vec![])?;
                        stack.push(exit);
                        stack.push(r);
                    }
                    Op::WithExceptStart => {
                        let l = stack.len();
                        let exc = stack[l - 1].clone();
                        let exit = stack[l - 3].clone();
                        let ty = self.type_of(&exc);
                        let tb = exc
                            .as_instance()
                            .ok()
                            .and_then(|i| i.get_own("__traceback__"))
                            .unwrap_or_else(|| self.none());
                        let r = self.call(&exit, vec![ty, exc, tb], vec![])?;
                        let b = self.truthy(&r)?;
                        stack.push(self.bool(b));
                    }
                    Op::FormatValue(fl) => {
                        if fl == 0 && self.format_plain_on_stack(stack)? {
                            continue;
                        }
                        let spec = if fl & 4 != 0 { stack.pop() } else { None };
                        let v = stack.pop().expect("stack");
                        let v = match fl & 3 {
                            1 => self.str(&self.repr(&v)?)?,
                            2 => self.str(&super::repr::ascii(&self.repr(&v)?))?,
                            3 => self.str(&self.str_of(&v)?)?,
                            _ => v,
                        };
                        let spec = match &spec {
                            Some(s) => s.str_value()?.to_string(),
                            None => String::new(),
                        };
                        let s = self.format(&v, &spec)?;
                        stack.push(self.str(&s)?);
                    }
                    Op::ImportName(i) => {
                        let m = self.import(&code.name_strs[i as usize])?;
                        stack.push(m);
                    }
                    Op::ImportFrom(i) => {
                        let m = stack.last().expect("stack").clone();
                        let name = &code.name_strs[i as usize];
                        let v = self.getattr(&m, name).map_err(|_| {
                            Raise::New(
                                ExcTy::ImportError,
                                format!(
                                    "cannot import name '{name}' from '{}'",
                                    self.module_name(&m)
                                ),
                            )
                        })?;
                        stack.push(v);
                    }
                    Op::LoadAssertionError => {
                        stack.push(self.exc(ExcTy::AssertionError).obj());
                    }
                    Op::PrintExpr => {
                        let v = stack.pop().expect("stack");
                        if !v.is_none() {
                            let s = self.repr(&v)?;
                            self.write_out(&s);
                            self.write_out("\n");
                            self.builtins.set(&self.intern("_")?, &v)?;
                        }
                    }
                    Op::MatchSequence | Op::MatchMapping => {
                        let v = stack.last().expect("stack");
                        let b = match op {
                            Op::MatchSequence => self.match_sequence(v),
                            _ => self.match_mapping(v),
                        };
                        stack.push(self.bool(b));
                    }
                    Op::GetLen => {
                        let n = self.len(stack.last().expect("stack"))?;
                        stack.push(self.int(n as i64)?);
                    }
                    Op::MatchClass(n) => {
                        let names = stack.pop().expect("stack");
                        let cls = stack.pop().expect("stack");
                        let subject = stack.pop().expect("stack");
                        let r = self.match_class(&subject, &cls, n as usize, &names)?;
                        stack.push(r.unwrap_or_else(|| self.none()));
                    }
                }
            }
        }
    }

    fn deref_name(&self, code: &crate::bytecode::CodeData, i: u32) -> String {
        let i = i as usize;
        if i < code.cellvars.len() {
            code.cellvars[i].clone()
        } else {
            code.freevars[i - code.cellvars.len()].clone()
        }
    }

    /// `LoadGlobal`: the globals, then the builtins, through the name's cache (`vm/names.rs`);
    /// the cache hit is inlined into the loop, the look-ups are not.
    #[inline(always)]
    fn load_global(&self, f: &Frame<'h>, code: &crate::bytecode::CodeData, i: u32) -> PyResult<'h> {
        let k = code.names[i as usize].get(self.heap)?;
        if let Some(v) = self.cached_global(&f.globals, code, i, &k) {
            return Ok(v);
        }
        self.load_global_lookup(f, code, i, &k)
    }

    /// [`Ctx::load_global`] past its cache: the look-ups, which fill the cache.
    #[inline(never)]
    fn load_global_lookup(
        &self,
        f: &Frame<'h>,
        code: &crate::bytecode::CodeData,
        i: u32,
        k: &Obj<'h>,
    ) -> PyResult<'h> {
        self.lookup_global(&f.globals, code, i, k)?
            .ok_or_else(|| self.name_error(&code.name_strs[i as usize]))
    }

    pub fn name_error(&self, name: &str) -> Raise<'h> {
        Raise::New(ExcTy::NameError, format!("name '{name}' is not defined"))
    }

    pub fn builtin(&self, name: &str) -> PyResult<'h> {
        self.builtins
            .get(&self.intern(name)?)?
            .ok_or_else(|| self.name_error(name))
    }

    /// Call the callable at `f.stack[at]` with the values above it; a Python function becomes
    /// a new frame (returned), anything else runs now and leaves its result.
    fn call_from_stack(
        &self,
        stack: &mut Vec<Obj<'h>>,
        at: usize,
        kw: Vec<(Obj<'h>, Obj<'h>)>,
    ) -> PyResult<'h, Option<Detached<'h>>> {
        let args = stack.split_off(at + 1);
        let func = stack.pop().expect("stack");
        match self.prepare_call(func, args, kw)? {
            super::call::Prepared::Frame(nf) => Ok(Some(nf)),
            super::call::Prepared::Done(v) => {
                stack.push(v);
                Ok(None)
            }
        }
    }

    fn do_raise(&self, stack: &mut Vec<Obj<'h>>, n: u32) -> PyResult<'h, Thrown<'h>> {
        if n == 0 {
            // A bare `raise` keeps the traceback as it is: no entry for this frame again.
            return match self.handled.borrow().clone() {
                Some(e) => Ok(Thrown(Raise::Obj(e), false)),
                None => Ok(Thrown(
                    Raise::New(ExcTy::RuntimeError, "No active exception to reraise".into()),
                    true,
                )),
            };
        }
        let cause = if n == 2 { stack.pop() } else { None };
        let e = stack.pop().expect("stack");
        let exc = self.make_raisable(e)?;
        if let Some(c) = cause {
            let c = if c.is_none() {
                c
            } else {
                self.make_raisable(c)?
            };
            if let Ok(inst) = exc.as_instance() {
                inst.setattr("__cause__", &c)?;
                inst.setattr("__suppress_context__", &self.bool(true))?;
            }
        }
        Ok(Thrown(Raise::Obj(exc), true))
    }

    /// `raise X`: an exception instance, or a class to instantiate.
    pub fn make_raisable(&self, e: Obj<'h>) -> PyResult<'h> {
        let base = self.exc(ExcTy::BaseException).obj();
        if e.kind() == Kind::Class {
            if self.is_subclass(&e, &base) {
                return self.call(&e, vec![], vec![]);
            }
        } else if self.isinstance(&e, &base) {
            return Ok(e);
        }
        err(
            ExcTy::TypeError,
            "exceptions must derive from BaseException",
        )
    }

    fn exception_matches(&self, exc: &Obj<'h>, ty: &Obj<'h>) -> PyResult<'h, bool> {
        if let Ok(t) = ty.as_tuple() {
            for c in t.to_vec() {
                if self.exception_matches(exc, &c)? {
                    return Ok(true);
                }
            }
            return Ok(false);
        }
        if ty.kind() != Kind::Class || !self.is_subclass(ty, &self.exc(ExcTy::BaseException).obj())
        {
            return err(
                ExcTy::TypeError,
                "catching classes that do not inherit from BaseException is not allowed",
            );
        }
        Ok(self.isinstance(exc, ty))
    }

    /// `next()` for `for` loops, with fast paths for lists and ranges.
    fn for_next(&self, it: &Obj<'h>) -> PyResult<'h, Option<Obj<'h>>> {
        if let Some(r) = it.downcast_user::<crate::objects::iter::RangeIter>() {
            let v = r.borrow_mut()?.step_next();
            return v.map(|v| self.int(v)).transpose();
        }
        if let Some(u) = it.downcast_user::<Iter>() {
            let mut b = u.borrow_mut()?;
            if let IterKind::Seq { seq, index } = &mut b.kind {
                let s = seq.get(self.heap)?;
                if let Ok(l) = s.as_list() {
                    if *index < l.len() {
                        let v = l.get(*index as i64)?;
                        *index += 1;
                        return Ok(Some(v));
                    }
                    b.kind = IterKind::Done;
                    return Ok(None);
                }
            }
        }
        self.next(it)
    }
}
