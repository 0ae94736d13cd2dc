//! Calls: binding arguments to a Python function's fast locals (arguments are moved from the
//! caller's stack, never copied, so `sys.getrefcount` sees what CPython's frames hold), calling
//! built-ins, bound methods, classes (instance creation + `__init__`) and `__call__`;
//! `def` (function objects) and `class` (`__build_class__`).
//!
//! The common call, a plain function given its positional arguments (no keywords, no `*args`,
//! `**kw`, keyword-only parameters or cells of its own), takes a short path: from the loop
//! (`Ctx::push_simple`) the arguments move from the caller's value stack onto the end of the
//! level's fast locals, where the callee's window starts, and its record is pushed on the
//! level's frames (`vm/frame.rs`): nothing is allocated per call once the level's vectors have
//! grown. `cls(..)` of a class with a plain `__init__` (instances from `object.__new__`)
//! becomes the instance plus a pushed `__init__` frame. A call from Rust code
//! (`Ctx::simple_frame`) makes a [`Detached`] frame whose two vectors come as one pair from a
//! pool of finished levels' ([`FramePool`]).
//!
//! ```text
//!   level stack [.., f, a0, a1]  ──pop a1, a0──►  level fast [.. caller's | a0, a1, default.., None..]
//!   frame returns ──► record popped (fields dropped in order), then fast and stack truncated
//!                     to the frame's bases
//! ```

use super::frame::{Detached, Frame, Level};
use super::{Args, Ctx, ExcTy, PyResult, Ty, err};
use crate::bytecode::flags;
use crate::objects::code::Code;
use crate::objects::function::{Builtin, Function, Method, WrapKind, Wrapper};
use crate::objects::generator::Generator;
use pyheap_runtime::{Dict, Kind, Member, Obj};

/// Spare vectors of finished frames, reused by new frames (empty: no object is kept alive).
#[derive(Default)]
pub struct FramePool<'h> {
    /// (fast locals, value stack) pairs, both empty.
    spare: Vec<(Vec<Option<Obj<'h>>>, Vec<Obj<'h>>)>,
}

/// At most this many spare pairs of vectors (deeper recursion allocates).
const POOL_MAX: usize = 256;
/// Vectors that grew beyond this capacity are freed, not kept.
const POOL_VEC_MAX: usize = 512;

/// A function's `__qualname__`, read when formatted (error messages only).
struct QualName<'a, 'h>(&'a pyheap_runtime::User<'h, Function>);

impl std::fmt::Display for QualName<'_, '_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self.0.borrow() {
            Ok(b) => f.write_str(&b.qualname),
            Err(_) => f.write_str("?"),
        }
    }
}

/// What [`Ctx::simple_parts`] found: the pieces of a short-path frame.
struct Simple<'h> {
    code: std::rc::Rc<crate::bytecode::CodeData>,
    globals: Dict<'h>,
    defaults: Option<Obj<'h>>,
    closure: Option<Obj<'h>>,
    nargs: usize,
}

/// A call made ready: a frame to run (Python functions) or a finished result.
pub enum Prepared<'h> {
    Frame(Detached<'h>),
    Done(Obj<'h>),
}

impl<'h> Ctx<'h> {
    /// Drop a finished detached frame (the record's references, then its fast locals, cells and
    /// value stack) and keep its emptied vectors for the next levels.
    #[inline]
    pub(crate) fn recycle_frame(&self, d: Detached<'h>) {
        let Detached { frame, fast, stack } = d;
        let Frame {
            code,
            func,
            globals,
            locals,
            cells,
            ..
        } = frame;
        drop((code, func, globals, locals));
        self.keep_vectors(fast, cells, stack);
    }

    /// Take the finished top frame off the level, where it lies: its fast locals (first, as
    /// CPython clears a frame's locals before its function), its record's references, its
    /// value stack.
    #[inline]
    pub(crate) fn recycle_top(&self, lv: &mut Level<'h>) {
        let n = lv.frames.len() - 1;
        let (fast_base, stack_base) = (lv.frames[n].fast_base, lv.frames[n].stack_base);
        // Dropping may run `__del__` (Python code in a level of its own: this one is not
        // reachable from there).
        lv.fast.truncate(fast_base);
        lv.frames.truncate(n);
        lv.stack.truncate(stack_base);
    }

    /// Empty a finished frame's vectors (in the fields' order) and pool them.
    #[inline]
    fn keep_vectors(
        &self,
        mut fast: Vec<Option<Obj<'h>>>,
        cells: Vec<Obj<'h>>,
        mut stack: Vec<Obj<'h>>,
    ) {
        // Clearing may run `__del__` (Python code, other frames): the pool is borrowed after.
        fast.clear();
        drop(cells);
        stack.clear();
        if fast.capacity() > POOL_VEC_MAX || stack.capacity() > POOL_VEC_MAX {
            return;
        }
        let mut p = self.frame_pool.borrow_mut();
        if p.spare.len() < POOL_MAX {
            p.spare.push((fast, stack));
        }
    }

    /// A fast-locals and a value-stack vector from the pool (one borrow for both).
    #[inline(always)]
    fn pooled_pair(&self) -> (Vec<Option<Obj<'h>>>, Vec<Obj<'h>>) {
        match self.frame_pool.borrow_mut().spare.pop() {
            Some(pair) => pair,
            None => (Vec::new(), Vec::with_capacity(8)),
        }
    }

    /// Can `func` take `nargs` positional arguments on the short path (a plain Python function:
    /// no `*args`, `**kw`, keyword-only parameters, cells of its own, not a generator; missing
    /// trailing arguments have defaults)? Then the pieces of its frame.
    #[inline(always)]
    fn simple_parts(&self, func: &Obj<'h>, nargs: usize) -> PyResult<'h, Option<Simple<'h>>> {
        let Some(func) = func.downcast_user::<Function>() else {
            return Ok(None);
        };
        let b = func.borrow()?;
        let code = b.data.clone();
        let argc = code.argcount as usize;
        if code.flags & (flags::VARARGS | flags::VARKEYWORDS | flags::GENERATOR) != 0
            || code.kwonlyargcount != 0
            || !code.cellvars.is_empty()
            || nargs > argc
            || code.freevars.is_empty() != b.closure.is_none()
        {
            return Ok(None);
        }
        let defaults = if nargs < argc {
            let Some(d) = b.defaults.as_ref().map(|m| m.get(self.heap)).transpose()? else {
                return Ok(None);
            };
            if !d.as_tuple().is_ok_and(|t| nargs + t.len() >= argc) {
                return Ok(None);
            }
            Some(d)
        } else {
            None
        };
        let closure = b.closure.as_ref().map(|m| m.get(self.heap)).transpose()?;
        let globals = b.globals.get(self.heap)?.as_dict()?.clone();
        Ok(Some(Simple {
            code,
            globals,
            defaults,
            closure,
            nargs,
        }))
    }

    /// The fast locals of a short-path call, appended to `fast` (an empty pooled vector, or the
    /// level's): `first` (a bound `self`) and the values of `stack[from..]` (moved; together
    /// exactly `s.nargs`), the defaults of the missing ones, unbound slots for the other locals.
    #[inline(always)]
    fn simple_fast(
        &self,
        s: &Simple<'h>,
        first: Option<Obj<'h>>,
        stack: &mut Vec<Obj<'h>>,
        from: usize,
        fast: &mut Vec<Option<Obj<'h>>>,
    ) -> PyResult<'h, ()> {
        let argc = s.code.argcount as usize;
        let nlocals = s.code.varnames.len();
        let end = fast.len() + nlocals;
        fast.reserve(nlocals);
        if let Some(v) = first {
            fast.push(Some(v));
        }
        // Moved off the top of `stack` (last argument first) into slots made for them.
        let base = fast.len();
        let n = stack.len() - from;
        for _ in 0..n {
            fast.push(None);
        }
        for slot in fast[base..].iter_mut().rev() {
            *slot = stack.pop();
        }
        if let Some(d) = &s.defaults {
            let d = d.as_tuple()?;
            let nd = d.len();
            for i in s.nargs..argc {
                fast.push(Some(d.get((i + nd - argc) as i64)?));
            }
        }
        while fast.len() < end {
            fast.push(None);
        }
        Ok(())
    }

    /// The cells of a short-path frame: the closure's (the function has no cells of its own).
    #[inline(always)]
    fn simple_cells(&self, s: &Simple<'h>) -> PyResult<'h, Vec<Obj<'h>>> {
        Ok(match &s.closure {
            Some(c) => c.as_tuple()?.to_vec(),
            None => Vec::new(),
        })
    }

    /// The record of a short-path call (always inlined: `frames.push` of it builds the record
    /// in place).
    #[inline(always)]
    fn simple_into_frame(
        s: Simple<'h>,
        func: Obj<'h>,
        cells: Vec<Obj<'h>>,
        fast_base: usize,
        stack_base: usize,
        init: bool,
    ) -> Frame<'h> {
        Frame {
            code: s.code,
            func,
            globals: s.globals,
            locals: None,
            cells,
            blocks: vec![],
            pc: 0,
            fast_base,
            stack_base,
            frame_obj: None,
            init,
        }
    }

    /// The short path of a call from the value stack: `stack[at]` is a plain Python function
    /// and the values above it are exactly its positional arguments (missing trailing ones
    /// have defaults). Moves them into a new frame; `None` (stack untouched) for every other
    /// call, which the general path binds and reports errors for.
    pub(crate) fn simple_frame(
        &self,
        stack: &mut Vec<Obj<'h>>,
        at: usize,
    ) -> PyResult<'h, Option<Detached<'h>>> {
        let Some(s) = self.simple_parts(&stack[at], stack.len() - at - 1)? else {
            return Ok(None);
        };
        let (mut fast, new_stack) = self.pooled_pair();
        self.simple_fast(&s, None, stack, at + 1, &mut fast)?;
        let func = stack.pop().expect("callee");
        let cells = self.simple_cells(&s)?;
        Ok(Some(Detached {
            frame: Self::simple_into_frame(s, func, cells, 0, 0, false),
            fast,
            stack: new_stack,
        }))
    }

    /// A call made by the top frame of the level on the short path, pushed as the new top
    /// frame: `stack[at]` is a plain Python function (as [`Ctx::simple_frame`]), or a class
    /// whose instances come from `object.__new__` and whose `__init__` is such a function (the
    /// instance replaces the class on the caller's stack; the frame, marked `init`, has its
    /// return value checked by the VM instead of being pushed). The arguments move onto the
    /// end of the level's fast locals (the callee's window). `false`: nothing changed, the
    /// general path makes the call.
    pub(crate) fn push_simple(&self, lv: &mut Level<'h>, at: usize) -> PyResult<'h, bool> {
        if self.push_exact(lv, at)? {
            return Ok(true);
        }
        let nargs = lv.stack.len() - at - 1;
        let callee = &lv.stack[at];
        let fast_base = lv.fast.len();
        let (s, func, init) = if callee.kind() == Kind::Class {
            let Some(init) = self.plain_init(callee) else {
                return Ok(false);
            };
            let Some(s) = self.simple_parts(&init, nargs + 1)? else {
                return Ok(false);
            };
            // type.__call__ takes the arguments as a tuple (`vm/firstuse.rs`).
            self.heap.transient_tuple(nargs)?;
            let inst = callee.as_class()?.instantiate()?.into_obj();
            self.enter_frame()?;
            if let Err(e) =
                self.simple_fast(&s, Some(inst.clone()), &mut lv.stack, at + 1, &mut lv.fast)
            {
                self.leave();
                lv.fast.truncate(fast_base);
                return Err(e);
            }
            lv.stack[at] = inst;
            (s, init, true)
        } else {
            let Some(s) = self.simple_parts(callee, nargs)? else {
                return Ok(false);
            };
            self.enter_frame()?;
            if let Err(e) = self.simple_fast(&s, None, &mut lv.stack, at + 1, &mut lv.fast) {
                self.leave();
                lv.fast.truncate(fast_base);
                return Err(e);
            }
            let func = lv.stack.pop().expect("callee");
            (s, func, false)
        };
        let cells = match self.simple_cells(&s) {
            Ok(c) => c,
            Err(e) => {
                self.leave();
                lv.fast.truncate(fast_base);
                return Err(e);
            }
        };
        let stack_base = lv.stack.len();
        lv.frames.push(Self::simple_into_frame(
            s, func, cells, fast_base, stack_base, init,
        ));
        Ok(true)
    }

    /// The commonest call of [`Ctx::push_simple`] in one step: a plain function (as
    /// [`Ctx::simple_parts`], and no closure) given exactly its positional parameters. The
    /// arguments move in order onto the level's fast locals. `false`: nothing changed.
    #[inline(always)]
    pub(crate) fn push_exact(&self, lv: &mut Level<'h>, at: usize) -> PyResult<'h, bool> {
        let Some(func) = lv.stack[at].downcast_user::<Function>() else {
            return Ok(false);
        };
        let nargs = lv.stack.len() - at - 1;
        let b = func.borrow()?;
        let c = &b.data;
        if c.argcount as usize != nargs
            || c.flags & (flags::VARARGS | flags::VARKEYWORDS | flags::GENERATOR) != 0
            || c.kwonlyargcount != 0
            || !c.cellvars.is_empty()
            || !c.freevars.is_empty()
            || b.closure.is_some()
        {
            return Ok(false);
        }
        let code = c.clone();
        // One new reference (the record's), no clone of a borrowed view.
        let globals = Dict::try_from(b.globals.get(self.heap)?)?;
        drop(b);
        self.enter_frame()?;
        let fast_base = lv.fast.len();
        let end = fast_base + code.varnames.len();
        lv.fast.reserve(code.varnames.len());
        // Slots for the arguments, filled off the top of the caller's values (last first).
        for _ in 0..nargs {
            lv.fast.push(None);
        }
        for slot in lv.fast[fast_base..].iter_mut().rev() {
            *slot = lv.stack.pop();
        }
        while lv.fast.len() < end {
            lv.fast.push(None);
        }
        let func = lv.stack.pop().expect("callee");
        let stack_base = lv.stack.len();
        lv.frames.push(Frame {
            code,
            func,
            globals,
            locals: None,
            cells: Vec::new(),
            blocks: Vec::new(),
            pc: 0,
            fast_base,
            stack_base,
            frame_obj: None,
            init: false,
        });
        Ok(true)
    }

    /// The `__init__` of a user class called as `cls(..)` when the call is only
    /// `object.__new__` + `__init__` (what `call_class` does for it): not a built-in type or an
    /// exception class, no `__new__` of its own, `__init__` a Python function.
    fn plain_init(&self, cls: &Obj<'h>) -> Option<Obj<'h>> {
        // The class checks hold while no class changes (a class's death changes the version
        // too, so a reused address is checked again).
        let (id, version) = (self.heap.id(cls), self.heap.class_version());
        if self.plain_classes.borrow().get(&id) != Some(&version)
            && !self.check_plain_class(cls, id, version)
        {
            return None;
        }
        self.lookup_type(cls, "__init__")
            .filter(|i| i.is_user::<Function>())
    }

    /// [`Ctx::plain_init`]'s class checks, remembered when they pass.
    #[inline(never)]
    fn check_plain_class(&self, cls: &Obj<'h>, id: usize, version: u64) -> bool {
        if self.builtin_of.contains_key(&id)
            || self.is_exception_class(cls)
            || cls
                .as_class()
                .is_ok_and(|c| c.has_native() || c.makes_classes() || c.metaclass().is_some())
            || self.lookup_type(cls, "__new__").is_some()
        {
            return false;
        }
        self.plain_classes.borrow_mut().insert(id, version);
        true
    }

    /// Call `f(*args, **kw)` from Rust.
    pub fn call(
        &self,
        f: &Obj<'h>,
        mut args: Vec<Obj<'h>>,
        kw: Vec<(Obj<'h>, Obj<'h>)>,
    ) -> PyResult<'h> {
        if kw.is_empty() && f.is_user::<Function>() {
            // The short path (e.g. `__init__` from a class call): [f, args..] as a stack.
            args.insert(0, f.clone());
            return self.call_stack(f, args);
        }
        self.call_general(f, args, kw)
    }

    /// Call with positional arguments.
    pub fn call1(&self, f: &Obj<'h>, args: &[Obj<'h>]) -> PyResult<'h> {
        if f.is_user::<Function>() {
            // [f, args..] as a stack in one allocation (`call` would insert `f` in front).
            let mut stack = Vec::with_capacity(args.len() + 1);
            stack.push(f.clone());
            stack.extend_from_slice(args);
            return self.call_stack(f, stack);
        }
        self.call_general(f, args.to_vec(), vec![])
    }

    /// `stack` is `[f, args..]` for a Python function `f`: the short path when it applies,
    /// else the general one.
    fn call_stack(&self, f: &Obj<'h>, mut stack: Vec<Obj<'h>>) -> PyResult<'h> {
        if let Some(fr) = self.simple_frame(&mut stack, 0)? {
            return self.run_frame(fr);
        }
        stack.remove(0);
        self.call_general(f, stack, vec![])
    }

    /// A call through [`Ctx::prepare_call`], run to its result.
    fn call_general(
        &self,
        f: &Obj<'h>,
        args: Vec<Obj<'h>>,
        kw: Vec<(Obj<'h>, Obj<'h>)>,
    ) -> PyResult<'h> {
        match self.prepare_call(f.clone(), args, kw)? {
            Prepared::Frame(fr) => self.run_frame(fr),
            Prepared::Done(v) => Ok(v),
        }
    }

    /// Dispatch a call on the callable's type.
    pub fn prepare_call(
        &self,
        f: Obj<'h>,
        mut args: Vec<Obj<'h>>,
        kw: Vec<(Obj<'h>, Obj<'h>)>,
    ) -> PyResult<'h, Prepared<'h>> {
        match f.kind() {
            Kind::User => {
                if let Some(func) = f.downcast_user::<Function>() {
                    let frame = self.function_frame(&f, func, args, kw)?;
                    if frame.frame.code.is_generator() {
                        return Ok(Prepared::Done(self.new_generator(frame)?));
                    }
                    return Ok(Prepared::Frame(frame));
                }
                if let Some(b) = f.downcast_user::<Builtin>() {
                    let (nf, bound, name, method) = {
                        let b = b.borrow()?;
                        let bound = b.bound.as_ref().map(|m| m.get(self.heap)).transpose()?;
                        (b.f, bound, b.name, b.method)
                    };
                    let unbound = bound.is_none();
                    if let Some(s) = bound {
                        args.insert(0, s);
                    }
                    // `list.append(stack, x)`: a method of a built-in type called through the
                    // type on an instance of a subclass acts on the instance's built-in value.
                    let this = if method && unbound {
                        self.unbound_self(name, &mut args)
                    } else {
                        None
                    };
                    let r = nf(
                        self,
                        Args {
                            pos: &args,
                            kw: &kw,
                        },
                    )?;
                    return Ok(Prepared::Done(match this {
                        Some(o)
                            if r.is(&args[0])
                                && crate::builtins::slot_methods::is_inplace(name) =>
                        {
                            o
                        }
                        _ => r,
                    }));
                }
                if let Some(m) = f.downcast_user::<Method>() {
                    let (func, this) = {
                        let m = m.borrow()?;
                        (m.func.get(self.heap)?, m.this.get(self.heap)?)
                    };
                    args.insert(0, this);
                    return self.prepare_call(func, args, kw);
                }
                if let Some(w) = f.downcast_user::<Wrapper>() {
                    let (kind, inner) = {
                        let w = w.borrow()?;
                        (w.kind, w.f.as_ref().map(|m| m.get(self.heap)).transpose()?)
                    };
                    if kind == WrapKind::StaticMethod
                        && let Some(inner) = inner
                    {
                        return self.prepare_call(inner, args, kw);
                    }
                }
            }
            Kind::Class => return Ok(Prepared::Done(self.call_class(&f, args, kw)?)),
            Kind::WeakRef => {
                let a = Args {
                    pos: &args,
                    kw: &kw,
                };
                return Ok(Prepared::Done(crate::modules::weakref::call_ref(
                    self, &f, a,
                )?));
            }
            Kind::Instance => {
                if let Some(c) = self.lookup_special(&f, "__call__") {
                    args.insert(0, f.clone());
                    return self.prepare_call(c, args, kw);
                }
            }
            _ => {}
        }
        err(
            ExcTy::TypeError,
            format!("'{}' object is not callable", self.type_name(&f)),
        )
    }

    /// Bind arguments into a new frame for `func`.
    fn function_frame(
        &self,
        fobj: &Obj<'h>,
        func: &pyheap_runtime::User<'h, Function>,
        args: Vec<Obj<'h>>,
        kw: Vec<(Obj<'h>, Obj<'h>)>,
    ) -> PyResult<'h, Detached<'h>> {
        // Only error messages need the name: read it then, not on every call.
        let qualname = QualName(func);
        let (code_obj, globals, defaults, kwdefaults, closure) = {
            let b = func.borrow()?;
            (
                b.code.get(self.heap)?,
                b.globals.get(self.heap)?,
                b.defaults.as_ref().map(|m| m.get(self.heap)).transpose()?,
                b.kwdefaults
                    .as_ref()
                    .map(|m| m.get(self.heap))
                    .transpose()?,
                b.closure.as_ref().map(|m| m.get(self.heap)).transpose()?,
            )
        };
        let code = code_obj.as_user::<Code>()?.borrow()?.data.clone();
        let nlocals = code.varnames.len();
        let mut fast: Vec<Option<Obj<'h>>> = Vec::with_capacity(nlocals);
        let argc = code.argcount as usize;
        let kwonly = code.kwonlyargcount as usize;
        let has_varargs = code.flags & flags::VARARGS != 0;
        let has_varkw = code.flags & flags::VARKEYWORDS != 0;
        let nargs = args.len();
        fast.resize(nlocals, None);
        let mut extra = vec![];
        for (i, a) in args.into_iter().enumerate() {
            if i < argc {
                fast[i] = Some(a);
            } else {
                extra.push(a);
            }
        }
        if !extra.is_empty() && !has_varargs {
            let given = nargs;
            let defaults_n = defaults
                .as_ref()
                .map_or(0, |d| d.as_tuple().map_or(0, |t| t.len()));
            let takes = if defaults_n > 0 {
                format!(
                    "from {} to {} positional arguments",
                    argc - defaults_n,
                    argc
                )
            } else {
                format!(
                    "{argc} positional argument{}",
                    if argc == 1 { "" } else { "s" }
                )
            };
            return err(
                ExcTy::TypeError,
                format!(
                    "{qualname}() takes {takes} but {given} {} given",
                    if given == 1 { "was" } else { "were" }
                ),
            );
        }
        let mut varkw = if has_varkw {
            Some(self.heap.dict()?)
        } else {
            None
        };
        let mut posonly_kw: Vec<String> = vec![];
        for (k, v) in kw {
            let name = k.str_value()?;
            let slot = code.varnames[..argc + kwonly]
                .iter()
                .position(|n| n == name)
                .filter(|&i| i >= code.posonlyargcount as usize);
            match slot {
                Some(i) => {
                    if fast[i].is_some() {
                        return err(
                            ExcTy::TypeError,
                            format!("{qualname}() got multiple values for argument '{name}'"),
                        );
                    }
                    fast[i] = Some(v);
                }
                None => match &mut varkw {
                    Some(d) => d.set(&k, &v)?,
                    None if code.varnames[..code.posonlyargcount as usize]
                        .iter()
                        .any(|n| n == name) =>
                    {
                        posonly_kw.push(name.to_string());
                    }
                    None => {
                        return err(
                            ExcTy::TypeError,
                            format!("{qualname}() got an unexpected keyword argument '{name}'"),
                        );
                    }
                },
            }
        }
        if !posonly_kw.is_empty() {
            return err(
                ExcTy::TypeError,
                format!(
                    "{qualname}() got some positional-only arguments passed as keyword arguments: '{}'",
                    posonly_kw.join(", ")
                ),
            );
        }
        // Defaults for missing positional parameters.
        if let Some(d) = &defaults {
            let d = d.as_tuple()?;
            let nd = d.len();
            #[allow(clippy::needless_range_loop)]
            for i in argc.saturating_sub(nd)..argc {
                if fast[i].is_none() {
                    fast[i] = Some(d.get((i + nd - argc) as i64)?);
                }
            }
        }
        let missing: Vec<&str> = (0..argc)
            .filter(|&i| fast[i].is_none())
            .map(|i| code.varnames[i].as_str())
            .collect();
        if !missing.is_empty() {
            return err(
                ExcTy::TypeError,
                format!(
                    "{qualname}() missing {} required positional argument{}: {}",
                    missing.len(),
                    if missing.len() == 1 { "" } else { "s" },
                    name_list(&missing)
                ),
            );
        }
        #[allow(clippy::needless_range_loop)]
        for i in argc..argc + kwonly {
            if fast[i].is_none() {
                let name = &code.varnames[i];
                let dv = match &kwdefaults {
                    Some(d) => d.as_dict()?.get(&self.intern(name)?)?,
                    None => None,
                };
                match dv {
                    Some(v) => fast[i] = Some(v),
                    None => {
                        return err(
                            ExcTy::TypeError,
                            format!(
                                "{qualname}() missing 1 required keyword-only argument: '{name}'"
                            ),
                        );
                    }
                }
            }
        }
        let mut slot = argc + kwonly;
        if has_varargs {
            fast[slot] = Some(self.heap.tuple(&extra)?.into_obj());
            slot += 1;
        }
        if let Some(d) = varkw {
            fast[slot] = Some(d.into_obj());
        }
        let mut cells = Vec::with_capacity(code.cellvars.len() + code.freevars.len());
        for (ci, _) in code.cellvars.iter().enumerate() {
            let init = code.cell2arg[ci].and_then(|a| fast[a as usize].clone());
            cells.push(self.heap.cell(init.as_ref())?.into_obj());
        }
        if let Some(c) = &closure {
            cells.extend(c.as_tuple()?.to_vec());
        }
        Ok(Detached {
            frame: Frame {
                code,
                func: fobj.clone(),
                globals: globals.as_dict()?.clone(),
                locals: None,
                cells,
                blocks: vec![],
                pc: 0,
                fast_base: 0,
                stack_base: 0,
                frame_obj: None,
                init: false,
            },
            fast,
            stack: Vec::with_capacity(8),
        })
    }

    fn new_generator(&self, frame: Detached<'h>) -> PyResult<'h> {
        let (name, qualname) = (
            frame.frame.code.name.clone(),
            frame.frame.code.qualname.clone(),
        );
        Ok(self
            .heap
            .new_user(Generator {
                frame: Some(frame.into_state()),
                running: false,
                started: false,
                name,
                qualname,
            })?
            .into_obj())
    }

    /// A frame running module or class-body code with a names dict.
    pub fn code_frame(
        &self,
        code_obj: &Obj<'h>,
        globals: &Dict<'h>,
        locals: Option<Dict<'h>>,
        cells: Vec<Obj<'h>>,
    ) -> PyResult<'h, Detached<'h>> {
        let code = code_obj.as_user::<Code>()?.borrow()?.data.clone();
        let mut all = Vec::with_capacity(code.cellvars.len() + cells.len());
        for _ in &code.cellvars {
            all.push(self.heap.cell(None)?.into_obj());
        }
        all.extend(cells);
        Ok(Detached {
            frame: Frame {
                code,
                func: code_obj.clone(),
                globals: globals.clone(),
                locals,
                cells: all,
                blocks: vec![],
                pc: 0,
                fast_base: 0,
                stack_base: 0,
                frame_obj: None,
                init: false,
            },
            fast: vec![],
            stack: Vec::with_capacity(8),
        })
    }

    /// `MakeFunction`.
    pub fn make_function(
        &self,
        code_obj: &Obj<'h>,
        globals: &Dict<'h>,
        defaults: Option<Obj<'h>>,
        kwdefaults: Option<Obj<'h>>,
        closure: Option<Obj<'h>>,
    ) -> PyResult<'h> {
        let (name, qualname, data) = {
            let c = code_obj.as_user::<Code>()?.borrow()?;
            (c.data.name.clone(), c.data.qualname.clone(), c.data.clone())
        };
        Ok(self
            .heap
            .new_user(Function {
                code: Member::new(code_obj),
                data,
                globals: Member::new(globals),
                name,
                qualname,
                defaults: defaults.map(Member::from_obj),
                kwdefaults: kwdefaults.map(Member::from_obj),
                closure: closure.map(Member::from_obj),
                dict: None,
                annotations: None,
            })?
            .into_obj())
    }

    /// `cls(*args, **kw)`.
    fn call_class(
        &self,
        cls: &Obj<'h>,
        mut args: Vec<Obj<'h>>,
        mut kw: Vec<(Obj<'h>, Obj<'h>)>,
    ) -> PyResult<'h> {
        // A metaclass's `__call__` decides (`builtins/metaclass.rs`).
        if let Some(r) = self.metaclass_call(cls, &mut args, &mut kw) {
            return r;
        }
        self.type_call(cls, args, kw)
    }

    /// `type.__call__(cls, *args, **kw)`: a new instance of `cls` (its `__new__`, then its
    /// `__init__`); a metaclass's instances are classes (`Ctx::metaclass_instantiate`).
    pub(crate) fn type_call(
        &self,
        cls: &Obj<'h>,
        args: Vec<Obj<'h>>,
        kw: Vec<(Obj<'h>, Obj<'h>)>,
    ) -> PyResult<'h> {
        if let Some(&t) = self.builtin_of.get(&self.heap.id(cls)) {
            return self.construct_builtin(
                t,
                cls,
                Args {
                    pos: &args,
                    kw: &kw,
                },
            );
        }
        if cls.as_class()?.makes_classes() {
            return self.metaclass_instantiate(cls, args, kw);
        }
        // A user class: find the first built-in base that decides the layout.
        if let Some(t) = self.builtin_base(cls) {
            return self.call_builtin_subclass(cls, t, args, kw);
        }
        let c = cls.as_class()?;
        let exception = self.is_exception_class(cls);
        if exception {
            self.install_exception_extras()?;
        }
        // type.__call__ takes the arguments as a tuple and a dict, alive while `__new__` and
        // `__init__` run; an exception keeps its tuple as `args` (`vm/firstuse.rs`).
        let _call_args = if exception {
            None
        } else {
            Some(self.call_temporaries(args.len(), kw.len())?)
        };
        if exception && self.lookup_type(cls, "__new__").is_none() {
            let inst = c.instantiate()?.into_obj();
            let t = self.heap.tuple(&args)?;
            inst.as_instance()?.setattr("args", &t)?;
            // BaseException.__init__ would only store `args` again.
            let init = self.lookup_type(cls, "__init__");
            if kw.is_empty()
                && init
                    .as_ref()
                    .is_some_and(|i| self.is_base_exception_init(i))
            {
                return Ok(inst);
            }
            self.init_instance(&inst, args, kw)?;
            return Ok(inst);
        }
        let inst = match self.lookup_type(cls, "__new__") {
            Some(new) => {
                let new = self.unwrap_static(new)?;
                let mut a = vec![cls.clone()];
                a.extend(args.iter().cloned());
                let o = self.call(&new, a, kw.clone())?;
                if !self.isinstance(&o, cls) {
                    return Ok(o);
                }
                o
            }
            None => c.instantiate()?.into_obj(),
        };
        self.init_instance(&inst, args, kw)?;
        Ok(inst)
    }

    pub(crate) fn init_instance(
        &self,
        inst: &Obj<'h>,
        mut args: Vec<Obj<'h>>,
        kw: Vec<(Obj<'h>, Obj<'h>)>,
    ) -> PyResult<'h, ()> {
        let cls = self.type_of(inst);
        match self.lookup_type(&cls, "__init__") {
            Some(init) => {
                args.insert(0, inst.clone());
                let r = self.call(&init, args, kw)?;
                if !r.is_none() {
                    return err(
                        ExcTy::TypeError,
                        format!(
                            "__init__() should return None, not '{}'",
                            self.type_name(&r)
                        ),
                    );
                }
            }
            None => {
                // object.__init__ accepts the arguments an overridden __new__ took.
                if (!args.is_empty() || !kw.is_empty())
                    && !self.is_exception_class(&cls)
                    && self.lookup_type(&cls, "__new__").is_none()
                {
                    return err(
                        ExcTy::TypeError,
                        format!("{}() takes no arguments", self.class_name(&cls)),
                    );
                }
            }
        }
        Ok(())
    }

    pub(crate) fn unwrap_static(&self, o: Obj<'h>) -> PyResult<'h> {
        if let Some(w) = o.downcast_user::<Wrapper>() {
            let b = w.borrow()?;
            if b.kind == WrapKind::StaticMethod
                && let Some(f) = &b.f
            {
                return Ok(f.get(self.heap)?);
            }
        }
        Ok(o)
    }

    /// Is `cls` BaseException or a subclass?
    pub fn is_exception_class(&self, cls: &Obj<'h>) -> bool {
        self.is_subclass(cls, &self.exc(ExcTy::BaseException).obj())
    }

    /// The type name used in messages (`'int'`, `'A'`).
    pub fn type_name(&self, o: &Obj<'h>) -> String {
        let t = self.type_of(o);
        self.class_name(&t)
    }

    /// Make sure `o` is callable (for `callable()`).
    pub fn is_callable(&self, o: &Obj<'h>) -> bool {
        match o.kind() {
            Kind::Class | Kind::WeakRef => true,
            Kind::Instance => self.lookup_special(o, "__call__").is_some(),
            Kind::User => {
                o.is_user::<Function>() || o.is_user::<Builtin>() || o.is_user::<Method>()
            }
            _ => false,
        }
    }

    /// A built-in function object.
    pub fn native(
        &self,
        name: &'static str,
        f: crate::objects::function::NativeFn,
    ) -> PyResult<'h> {
        self.new_native(name, f, false, false)
    }

    /// A built-in type's method to store in a class's dict: binds when found through an
    /// instance (CPython's slot wrappers and method descriptors).
    pub fn native_method(
        &self,
        name: &'static str,
        f: crate::objects::function::NativeFn,
    ) -> PyResult<'h> {
        self.new_native(name, f, true, false)
    }

    /// A built-in function that reads its caller's frame (`locals`, `exec`, `sys._getframe`):
    /// the VM answers Python code's calls of it (`builtins/introspect.rs`); `f` runs when
    /// another native calls it.
    pub fn frame_native(
        &self,
        name: &'static str,
        f: crate::objects::function::NativeFn,
    ) -> PyResult<'h> {
        self.new_native(name, f, false, true)
    }

    fn new_native(
        &self,
        name: &'static str,
        f: crate::objects::function::NativeFn,
        method: bool,
        reads_frame: bool,
    ) -> PyResult<'h> {
        Ok(self
            .heap
            .new_user(Builtin {
                name,
                f,
                bound: None,
                method,
                reads_frame,
                owner: None,
            })?
            .into_obj())
    }

    /// `_` type check helper for natives: the Ty of a class object, if built-in.
    pub fn builtin_ty(&self, cls: &Obj<'h>) -> Option<Ty> {
        self.builtin_of.get(&self.heap.id(cls)).copied()
    }
}

fn name_list(names: &[&str]) -> String {
    match names {
        [a] => format!("'{a}'"),
        [a, b] => format!("'{a}' and '{b}'"),
        _ => {
            let (last, rest) = names.split_last().expect("names");
            let r: Vec<String> = rest.iter().map(|n| format!("'{n}'")).collect();
            format!("{}, and '{last}'", r.join(", "))
        }
    }
}
