//! Iteration: `iter()` for built-in values (an `Iter` object over the value), `next()` for
//! every iterator kind, generators (`send`, `throw`, `close`), and helpers that drain an
//! iterable (`collect`, `unpack`).

use super::eval::Outcome;
use super::frame::Detached;
use super::{Ctx, ExcTy, PyResult, Raise, err};
use crate::objects::code::Code;
use crate::objects::dictview::ViewWhat;
use crate::objects::generator::Generator;
use crate::objects::iter::{Iter, IterKind, Range, RangeIter};
use pyheap_runtime::{Kind, Member, Obj};

impl<'h> Ctx<'h> {
    pub fn new_iter(&self, kind: IterKind, name: &'static str) -> PyResult<'h> {
        Ok(self.heap.new_user(Iter { kind, name })?.into_obj())
    }

    /// `iter(o)`.
    pub fn iter(&self, o: &Obj<'h>) -> PyResult<'h> {
        match o.kind() {
            Kind::List | Kind::Tuple | Kind::Str => {
                let name = match o.kind() {
                    Kind::List => "list_iterator",
                    Kind::Tuple => "tuple_iterator",
                    _ if o.str_value()?.is_ascii() => "str_ascii_iterator",
                    _ => "str_iterator",
                };
                let seq = if o.kind() == Kind::Str {
                    let chars: Vec<Obj<'h>> = o
                        .str_value()?
                        .chars()
                        .map(|c| self.char_str(c))
                        .collect::<PyResult<'h, _>>()?;
                    self.heap.tuple(&chars)?.into_obj()
                } else {
                    o.clone()
                };
                self.new_iter(
                    IterKind::Seq {
                        seq: Member::new(&seq),
                        index: 0,
                    },
                    name,
                )
            }
            Kind::Set | Kind::FrozenSet => self.new_iter(
                IterKind::Set {
                    set: Member::new(o),
                    pos: 0,
                    len: o.as_set()?.len(),
                },
                "set_iterator",
            ),
            Kind::Dict => self.dict_iter(o, ViewWhat::Keys),
            Kind::Instance | Kind::Class => {
                if let Some(r) = self.call_special(o, "__iter__", &[]) {
                    let it = r?;
                    if !self.is_iterator(&it) {
                        return err(
                            ExcTy::TypeError,
                            format!(
                                "iter() returned non-iterator of type '{}'",
                                self.type_name(&it)
                            ),
                        );
                    }
                    return Ok(it);
                }
                if self.lookup_special(o, "__getitem__").is_some() {
                    let r = self.heap.new_user(Range {
                        start: 0,
                        stop: i64::MAX,
                        step: 1,
                    })?;
                    let idx = self.iter(&r.into_obj())?;
                    let f = self.getattr(o, "__getitem__")?;
                    let m = self.new_iter(
                        IterKind::Map {
                            f: Member::new(&f),
                            its: vec![Member::new(&idx)],
                        },
                        "iterator",
                    )?;
                    return Ok(m);
                }
                self.not_iterable(o)
            }
            _ => {
                if o.is_user::<Generator>() || o.is_user::<Iter>() || o.is_user::<RangeIter>() {
                    return Ok(o.clone());
                }
                if let Some(ints) = self.bytes_ints(o)? {
                    let t = self.heap.tuple(&ints)?;
                    return self.new_iter(
                        IterKind::Seq {
                            seq: Member::new(&t),
                            index: 0,
                        },
                        "bytes_iterator",
                    );
                }
                if let Some((d, what)) = self.view_of(o)? {
                    return self.dict_iter(&d, what);
                }
                if let Some(r) = o.downcast_user::<Range>() {
                    let r = r.borrow()?;
                    let it = RangeIter {
                        next: r.start,
                        stop: r.stop,
                        step: r.step,
                    };
                    return Ok(self.heap.new_user(it)?.into_obj());
                }
                self.not_iterable(o)
            }
        }
    }

    /// An iterator over the keys, values or items of dict `d`, live.
    pub fn dict_iter(&self, d: &Obj<'h>, what: ViewWhat) -> PyResult<'h> {
        self.new_iter(
            IterKind::Dict {
                dict: Member::new(d),
                what,
                cursor: d.as_dict()?.cursor(),
                last: None,
            },
            what.iter_name(),
        )
    }

    fn not_iterable<T>(&self, o: &Obj<'h>) -> PyResult<'h, T> {
        err(
            ExcTy::TypeError,
            format!("'{}' object is not iterable", self.type_name(o)),
        )
    }

    fn is_iterator(&self, o: &Obj<'h>) -> bool {
        o.is_user::<Generator>()
            || o.is_user::<Iter>()
            || o.is_user::<RangeIter>()
            || self.lookup_special(o, "__next__").is_some()
    }

    /// `next(it)`: `None` when exhausted.
    pub fn next(&self, it: &Obj<'h>) -> PyResult<'h, Option<Obj<'h>>> {
        if let Some(u) = it.downcast_user::<Iter>() {
            return self.iter_next(u);
        }
        if let Some(r) = it.downcast_user::<RangeIter>() {
            let v = r.borrow_mut()?.step_next();
            return v.map(|v| self.int(v)).transpose();
        }
        if it.is_user::<Generator>() {
            return match self.send(it, self.none())? {
                Outcome::Yield(v) => Ok(Some(v)),
                Outcome::Return(_) => Ok(None),
            };
        }
        match self.call_special(it, "__next__", &[]) {
            Some(Ok(v)) => Ok(Some(v)),
            Some(Err(e)) => {
                if self.raise_matches(&e, ExcTy::StopIteration) {
                    Ok(None)
                } else {
                    Err(e)
                }
            }
            None => err(
                ExcTy::TypeError,
                format!("'{}' object is not an iterator", self.type_name(it)),
            ),
        }
    }

    fn iter_next(&self, u: &pyheap_runtime::User<'h, Iter>) -> PyResult<'h, Option<Obj<'h>>> {
        // Kinds that call back into Python take what they need and release the borrow first.
        let mut b = u.borrow_mut()?;
        match &mut b.kind {
            IterKind::Seq { seq, index } => {
                let s = seq.get(self.heap)?;
                let n = if s.kind() == Kind::List {
                    s.as_list()?.len()
                } else {
                    s.as_tuple()?.len()
                };
                if *index < n {
                    let v = if s.kind() == Kind::List {
                        s.as_list()?.get(*index as i64)?
                    } else {
                        s.as_tuple()?.get(*index as i64)?
                    };
                    *index += 1;
                    return Ok(Some(v));
                }
                b.kind = IterKind::Done;
                Ok(None)
            }
            IterKind::Reversed { seq, index } => {
                let s = seq.get(self.heap)?;
                let items = self.seq_items(&s)?;
                if *index > 0 && *index <= items.len() {
                    *index -= 1;
                    return Ok(Some(items[*index].clone()));
                }
                b.kind = IterKind::Done;
                Ok(None)
            }
            IterKind::Dict {
                dict,
                what,
                cursor,
                last,
            } => {
                let d = dict.get(self.heap)?;
                let prev = match last {
                    Some(m) => Some(m.get(self.heap)?),
                    None => None,
                };
                match d.as_dict()?.step(cursor, prev.as_ref())? {
                    Some((k, v)) => {
                        *last = Some(Member::new(&k));
                        Ok(Some(match what {
                            ViewWhat::Keys => k,
                            ViewWhat::Values => v,
                            ViewWhat::Items => self.heap.tuple(&[k, v])?.into_obj(),
                        }))
                    }
                    None => {
                        b.kind = IterKind::Done;
                        Ok(None)
                    }
                }
            }
            IterKind::Set { set, pos, len } => {
                let s = set.get(self.heap)?;
                let s = s.as_set()?;
                if s.len() != *len {
                    *len = usize::MAX; // every later call fails too (CPython)
                    return Err(pyheap_runtime::RuntimeError::SetChangedSize.into());
                }
                match s.next_from(*pos) {
                    Some((p, v)) => {
                        *pos = p;
                        Ok(Some(v))
                    }
                    None => {
                        b.kind = IterKind::Done;
                        Ok(None)
                    }
                }
            }
            IterKind::Count { next, step } => {
                let (n, s) = (next.get(self.heap)?, step.get(self.heap)?);
                drop(b);
                let nn = self.binary(crate::bytecode::BinOp::Add, &n, &s)?;
                if let IterKind::Count { next, .. } = &mut u.borrow_mut()?.kind {
                    *next = Member::new(&nn);
                }
                Ok(Some(n))
            }
            IterKind::Repeat { obj, left } => {
                match left {
                    Some(0) => return Ok(None),
                    Some(n) => *n -= 1,
                    None => {}
                }
                Ok(Some(obj.get(self.heap)?))
            }
            IterKind::Done => Ok(None),
            _ => {
                let kind = std::mem::replace(&mut b.kind, IterKind::Done);
                drop(b);
                let (r, kind) = self.iter_next_calling(kind);
                u.borrow_mut()?.kind = kind;
                r
            }
        }
    }

    /// The iterator kinds that run Python code; returns the kind to store back.
    fn iter_next_calling(&self, kind: IterKind) -> (PyResult<'h, Option<Obj<'h>>>, IterKind) {
        let get = |m: &Member| m.get(self.heap).map_err(Raise::from);
        match kind {
            IterKind::Enumerate { it, count } => {
                let r = (|| {
                    let i = get(&it)?;
                    match self.next(&i)? {
                        Some(v) => Ok(Some(self.heap.tuple(&[self.int(count)?, v])?.into_obj())),
                        None => Ok(None),
                    }
                })();
                let done = !matches!(r, Ok(Some(_)));
                (
                    r,
                    if done {
                        IterKind::Done
                    } else {
                        IterKind::Enumerate {
                            it,
                            count: count + 1,
                        }
                    },
                )
            }
            IterKind::Zip { its, strict } => {
                let r = (|| {
                    if its.is_empty() {
                        return Ok(None);
                    }
                    let mut vals = vec![];
                    for (i, m) in its.iter().enumerate() {
                        match self.next(&get(m)?)? {
                            Some(v) => vals.push(v),
                            None if strict => return self.zip_unequal(&its, i).map(|()| None),
                            None => return Ok(None),
                        }
                    }
                    Ok(Some(self.heap.tuple(&vals)?.into_obj()))
                })();
                let done = !matches!(r, Ok(Some(_)));
                (
                    r,
                    if done {
                        IterKind::Done
                    } else {
                        IterKind::Zip { its, strict }
                    },
                )
            }
            IterKind::Map { f, its } => {
                let r = (|| {
                    let mut vals = vec![];
                    for m in &its {
                        match self.next(&get(m)?)? {
                            Some(v) => vals.push(v),
                            None => return Ok(None),
                        }
                    }
                    let func = get(&f)?;
                    match self.call(&func, vals, vec![]) {
                        Ok(v) => Ok(Some(v)),
                        Err(e)
                            if its.len() == 1
                                && self.raise_matches(&e, ExcTy::IndexError)
                                && func.is_user::<crate::objects::function::Method>() =>
                        {
                            Ok(None)
                        }
                        Err(e) => Err(e),
                    }
                })();
                let done = !matches!(r, Ok(Some(_)));
                (
                    r,
                    if done {
                        IterKind::Done
                    } else {
                        IterKind::Map { f, its }
                    },
                )
            }
            IterKind::Filter { f, it } => {
                let r = (|| {
                    let i = get(&it)?;
                    let func = get(&f)?;
                    while let Some(v) = self.next(&i)? {
                        let keep = if func.is_none() {
                            self.truthy(&v)?
                        } else {
                            let r = self.call1(&func, std::slice::from_ref(&v))?;
                            self.truthy(&r)?
                        };
                        if keep {
                            return Ok(Some(v));
                        }
                    }
                    Ok(None)
                })();
                let done = !matches!(r, Ok(Some(_)));
                (
                    r,
                    if done {
                        IterKind::Done
                    } else {
                        IterKind::Filter { f, it }
                    },
                )
            }
            IterKind::Chain {
                its,
                mut index,
                mut cur,
            } => {
                let r = (|| loop {
                    if let Some(c) = &cur {
                        if let Some(v) = self.next(&get(c)?)? {
                            return Ok(Some(v));
                        }
                        cur = None;
                    }
                    let all = get(&its)?;
                    let all = all.as_tuple()?;
                    if index >= all.len() {
                        return Ok(None);
                    }
                    let next = self.iter(&all.get(index as i64)?)?;
                    index += 1;
                    cur = Some(Member::new(&next));
                })();
                let done = !matches!(r, Ok(Some(_)));
                (
                    r,
                    if done {
                        IterKind::Done
                    } else {
                        IterKind::Chain { its, index, cur }
                    },
                )
            }
            IterKind::ISlice {
                it,
                mut next,
                stop,
                step,
                mut pos,
            } => {
                let r = (|| {
                    if stop.is_some_and(|s| next >= s) {
                        return Ok(None);
                    }
                    let i = get(&it)?;
                    loop {
                        match self.next(&i)? {
                            None => return Ok(None),
                            Some(v) => {
                                let here = pos;
                                pos += 1;
                                if here == next {
                                    next += step;
                                    return Ok(Some(v));
                                }
                            }
                        }
                    }
                })();
                let done = !matches!(r, Ok(Some(_)));
                (
                    r,
                    if done {
                        IterKind::Done
                    } else {
                        IterKind::ISlice {
                            it,
                            next,
                            stop,
                            step,
                            pos,
                        }
                    },
                )
            }
            IterKind::Callable { f, sentinel } => {
                let r = (|| {
                    let v = self.call(&get(&f)?, vec![], vec![])?;
                    if self.eq(&v, &get(&sentinel)?)? {
                        return Ok(None);
                    }
                    Ok(Some(v))
                })();
                let done = !matches!(r, Ok(Some(_)));
                (
                    r,
                    if done {
                        IterKind::Done
                    } else {
                        IterKind::Callable { f, sentinel }
                    },
                )
            }
            k => (Ok(None), k),
        }
    }

    /// All items of an iterable.
    pub fn collect(&self, o: &Obj<'h>) -> PyResult<'h, Vec<Obj<'h>>> {
        match o.kind() {
            Kind::List => return Ok(o.as_list()?.to_vec()),
            Kind::Tuple => return Ok(o.as_tuple()?.to_vec()),
            _ => {}
        }
        let it = self.iter(o)?;
        let mut v = vec![];
        while let Some(x) = self.next(&it)? {
            v.push(x);
        }
        Ok(v)
    }

    /// `a, b = o` with exactly `n` items.
    pub fn unpack(&self, o: &Obj<'h>, n: usize) -> PyResult<'h, Vec<Obj<'h>>> {
        if matches!(o.kind(), Kind::List | Kind::Tuple) {
            let v = self.seq_items(o)?;
            return self.check_unpack(v, n);
        }
        let it = self.iter(o).map_err(|_| {
            Raise::New(
                ExcTy::TypeError,
                format!("cannot unpack non-iterable {} object", self.type_name(o)),
            )
        })?;
        let mut v = vec![];
        while let Some(x) = self.next(&it)? {
            v.push(x);
            if v.len() > n {
                return err(
                    ExcTy::ValueError,
                    format!("too many values to unpack (expected {n})"),
                );
            }
        }
        self.check_unpack(v, n)
    }

    fn check_unpack(&self, v: Vec<Obj<'h>>, n: usize) -> PyResult<'h, Vec<Obj<'h>>> {
        if v.len() > n {
            return err(
                ExcTy::ValueError,
                format!("too many values to unpack (expected {n})"),
            );
        }
        if v.len() < n {
            return err(
                ExcTy::ValueError,
                format!(
                    "not enough values to unpack (expected {n}, got {})",
                    v.len()
                ),
            );
        }
        Ok(v)
    }

    /// `gen.send(v)` (or `next` for a non-generator iterator).
    pub fn send(&self, g: &Obj<'h>, v: Obj<'h>) -> PyResult<'h, Outcome<'h>> {
        if g.as_user::<Generator>().is_err() {
            return match self.next(g)? {
                Some(v) => Ok(Outcome::Yield(v)),
                None => Ok(Outcome::Return(self.none())),
            };
        }
        self.resume(g, Ok(v))
    }

    /// Resume a generator with a value or an exception thrown in.
    pub fn resume(&self, g: &Obj<'h>, with: PyResult<'h>) -> PyResult<'h, Outcome<'h>> {
        let u = g.as_user::<Generator>()?;
        let (state, started) = {
            let mut b = u.borrow_mut()?;
            if b.running {
                return err(ExcTy::ValueError, "generator already executing");
            }
            match b.frame.take() {
                Some(s) => {
                    b.running = true;
                    let st = b.started;
                    b.started = true;
                    (s, st)
                }
                None => {
                    return match with {
                        Ok(_) => Ok(Outcome::Return(self.none())),
                        Err(e) => Err(e),
                    };
                }
            }
        };
        let with = match with {
            Ok(v) if !started && !v.is_none() => {
                u.borrow_mut()?.frame = Some(state);
                u.borrow_mut()?.running = false;
                return err(
                    ExcTy::TypeError,
                    "can't send non-None value to a just-started generator",
                );
            }
            Ok(_) if !started => None,
            other => Some(other),
        };
        let frame = Detached::from_state(self.heap, state);
        let (r, frame) = self.execute(frame, with);
        let mut b = u.borrow_mut()?;
        b.running = false;
        match r {
            Ok(Outcome::Yield(v)) => {
                b.frame = frame.map(Detached::into_state);
                Ok(Outcome::Yield(v))
            }
            Ok(Outcome::Return(v)) => Ok(Outcome::Return(v)),
            Err(e) => {
                drop(b);
                if self.raise_matches(&e, ExcTy::StopIteration) {
                    return err(ExcTy::RuntimeError, "generator raised StopIteration");
                }
                Err(e)
            }
        }
    }

    /// `gen.close()`.
    pub fn gen_close(&self, g: &Obj<'h>) -> PyResult<'h, ()> {
        let started = {
            let b = g.as_user::<Generator>()?.borrow()?;
            b.frame.is_some() && b.started
        };
        if !started {
            g.as_user::<Generator>()?.borrow_mut()?.frame = None;
            return Ok(());
        }
        let exit = self.make_exc(ExcTy::GeneratorExit, "");
        match self.resume(g, Err(Raise::Obj(exit))) {
            Ok(Outcome::Yield(_)) => err(ExcTy::RuntimeError, "generator ignored GeneratorExit"),
            Ok(Outcome::Return(_)) => Ok(()),
            Err(e)
                if self.raise_matches(&e, ExcTy::GeneratorExit)
                    || self.raise_matches(&e, ExcTy::StopIteration) =>
            {
                Ok(())
            }
            Err(e) => Err(e),
        }
    }

    /// The code object behind a function (for generator frames).
    pub fn code_of(&self, f: &Obj<'h>) -> Option<std::rc::Rc<crate::bytecode::CodeData>> {
        f.as_user::<Code>()
            .ok()
            .and_then(|c| c.borrow().ok().map(|b| b.data.clone()))
    }
}

impl<'h> Ctx<'h> {
    /// `zip(strict=True)` found iterator `i` exhausted: the `ValueError` CPython raises when
    /// the lengths differ (`Ok` when every iterator ended together).
    fn zip_unequal(&self, its: &[Member], i: usize) -> PyResult<'h, ()> {
        let earlier = |n: usize| {
            if n == 1 {
                "argument 1".to_string()
            } else {
                format!("arguments 1-{n}")
            }
        };
        if i > 0 {
            return err(
                ExcTy::ValueError,
                format!("zip() argument {} is shorter than {}", i + 1, earlier(i)),
            );
        }
        for (j, m) in its.iter().enumerate().skip(1) {
            if self.next(&m.get(self.heap)?)?.is_some() {
                return err(
                    ExcTy::ValueError,
                    format!("zip() argument {} is longer than {}", j + 1, earlier(j)),
                );
            }
        }
        Ok(())
    }
}
