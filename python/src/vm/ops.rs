//! Operators: binary and in-place arithmetic, comparisons, truth, `in`, subscripting, `len`
//! and `hash`, for built-in values natively and for instances through their dunders
//! (`__add__` then the reflected `__radd__`, `NotImplemented` falling through, CPython's
//! messages when nothing applies).

use super::number::{Num, num};
use super::{Ctx, ExcTy, PyResult, Raise, err};
use crate::bytecode::{BinOp, CmpOp, UnOp};
use crate::objects::iter::Range;
use crate::objects::misc::{Slice, Union};
use pyheap_runtime::{IntValue, Kind, Member, Obj};
use std::cmp::Ordering;

/// Length of a list or tuple.
fn seq_len(o: &Obj<'_>) -> Result<usize, pyheap_runtime::RuntimeError> {
    match o.kind() {
        Kind::List => Ok(o.as_list()?.len()),
        _ => Ok(o.as_tuple()?.len()),
    }
}

/// Item `i` (in range) of a list or tuple.
fn seq_get<'h>(o: &Obj<'h>, i: usize) -> Result<Obj<'h>, pyheap_runtime::RuntimeError> {
    match o.kind() {
        Kind::List => o.as_list()?.get(i as i64),
        _ => o.as_tuple()?.get(i as i64),
    }
}

/// The order of two exact strs or two machine-size ints, whose comparisons run no user code.
fn plain_order(p: &Obj<'_>, q: &Obj<'_>) -> Option<Ordering> {
    match (p.kind(), q.kind()) {
        (Kind::Str, Kind::Str) => Some(p.str_value().ok()?.cmp(q.str_value().ok()?)),
        (Kind::Int, Kind::Int) => match (p.int_value().ok()?, q.int_value().ok()?) {
            (IntValue::Small(x), IntValue::Small(y)) => Some(x.cmp(&y)),
            _ => None,
        },
        _ => None,
    }
}

impl<'h> Ctx<'h> {
    pub fn binary(&self, op: BinOp, a: &Obj<'h>, b: &Obj<'h>) -> PyResult<'h> {
        if let Some(r) = self.num_op(op, a, b)? {
            return Ok(r);
        }
        if let Some(r) = self.seq_op(op, a, b)? {
            return Ok(r);
        }
        let (name, rname, _) = op.dunders();
        if let Some(r) = self.try_dunder(a, name, b)? {
            return Ok(r);
        }
        if !self.type_of(a).is(&self.type_of(b))
            && let Some(r) = self.try_dunder(b, rname, a)?
        {
            return Ok(r);
        }
        // A built-in value inside a subclass instance on the right: `"a" + Name("b")`.
        if let Some(v) = self.base_value(b) {
            return self.binary(op, a, &v);
        }
        // The sequence protocol's own messages (CPython's `sq_repeat` / `sq_concat`).
        let seq = |o: &Obj<'h>| {
            matches!(o.kind(), Kind::Str | Kind::List | Kind::Tuple)
                || o.is_user::<crate::objects::bytes::Bytes>()
        };
        if op == BinOp::Mul {
            for (s, n) in [(a, b), (b, a)] {
                if seq(s) {
                    return err(
                        ExcTy::TypeError,
                        format!(
                            "can't multiply sequence by non-int of type '{}'",
                            self.type_name(n)
                        ),
                    );
                }
            }
        }
        if op == BinOp::Add && matches!(a.kind(), Kind::Str | Kind::List | Kind::Tuple) {
            let t = self.type_name(a);
            return err(
                ExcTy::TypeError,
                format!(
                    "can only concatenate {t} (not \"{}\") to {t}",
                    self.type_name(b)
                ),
            );
        }
        err(
            ExcTy::TypeError,
            format!(
                "unsupported operand type(s) for {}: '{}' and '{}'",
                op.symbol(),
                self.type_name(a),
                self.type_name(b)
            ),
        )
    }

    /// Call `type(a).name(a, b)`; `None` when missing or `NotImplemented`.
    fn try_dunder(&self, a: &Obj<'h>, name: &str, b: &Obj<'h>) -> PyResult<'h, Option<Obj<'h>>> {
        match self.call_special(a, name, std::slice::from_ref(b)) {
            Some(r) => {
                let r = r?;
                Ok((!r.is(&self.not_implemented)).then_some(r))
            }
            None => Ok(None),
        }
    }

    pub(crate) fn seq_op(
        &self,
        op: BinOp,
        a: &Obj<'h>,
        b: &Obj<'h>,
    ) -> PyResult<'h, Option<Obj<'h>>> {
        match (op, a.kind(), b.kind()) {
            (BinOp::Add, Kind::Str, Kind::Str) => {
                let mut s = String::with_capacity(a.str_value()?.len() + b.str_value()?.len());
                s.push_str(a.str_value()?);
                s.push_str(b.str_value()?);
                Ok(Some(self.str(&s)?))
            }
            (BinOp::Add, Kind::List, Kind::List) => {
                let mut v = a.as_list()?.to_vec();
                v.extend(b.as_list()?.to_vec());
                Ok(Some(self.heap.list(&v)?.into_obj()))
            }
            (BinOp::Add, Kind::Tuple, Kind::Tuple) => {
                let mut v = a.as_tuple()?.to_vec();
                v.extend(b.as_tuple()?.to_vec());
                Ok(Some(self.heap.tuple(&v)?.into_obj()))
            }
            (BinOp::Mul, Kind::Str | Kind::List | Kind::Tuple, Kind::Int | Kind::Bool) => {
                self.repeat(a, b.as_int()?).map(Some)
            }
            (BinOp::Mul, Kind::Int | Kind::Bool, Kind::Str | Kind::List | Kind::Tuple) => {
                self.repeat(b, a.as_int()?).map(Some)
            }
            (BinOp::Mod, Kind::Str, _) => {
                let s = crate::builtins::format::percent(self, a.str_value()?, b)?;
                Ok(Some(self.str(&s)?))
            }
            (BinOp::Or, _, _) if self.union_operand(a) && self.union_operand(b) => {
                self.union(a, b).map(Some)
            }
            (BinOp::Or, Kind::Dict, Kind::Dict) => {
                let d = self.heap.dict()?;
                self.dict_update(&d, a)?;
                self.dict_update(&d, b)?;
                Ok(Some(d.into_obj()))
            }
            _ => match self.bytes_op(op, a, b)? {
                Some(r) => Ok(Some(r)),
                None => match self.set_op(op, a, b)? {
                    Some(r) => Ok(Some(r)),
                    None => self.view_op(op, a, b),
                },
            },
        }
    }

    /// Whether `o | x` may make a union: a class, None or a union, with at least one side
    /// not None (checked by the caller through both operands).
    fn union_operand(&self, o: &Obj<'h>) -> bool {
        o.kind() == Kind::Class || o.is_none() || o.is_user::<Union>()
    }

    /// The members of a union operand: a union's own, or the operand itself.
    pub fn union_members(&self, o: &Obj<'h>) -> PyResult<'h, Vec<Obj<'h>>> {
        match o.downcast_user::<Union>() {
            Some(u) => Ok(u.borrow()?.args.get(self.heap)?.as_tuple()?.to_vec()),
            None => Ok(vec![o.clone()]),
        }
    }

    /// `a | b` of types: a union of the members of both, in order, each once; a single member
    /// is itself (`int | int` is `int`).
    fn union(&self, a: &Obj<'h>, b: &Obj<'h>) -> PyResult<'h> {
        if a.is_none() && b.is_none() {
            return err(
                ExcTy::TypeError,
                "unsupported operand type(s) for |: 'NoneType' and 'NoneType'",
            );
        }
        let mut members: Vec<Obj<'h>> = vec![];
        for m in self
            .union_members(a)?
            .into_iter()
            .chain(self.union_members(b)?)
        {
            if !members.iter().any(|x| x.is(&m)) {
                members.push(m);
            }
        }
        if members.len() == 1 {
            return Ok(members.pop().expect("one member"));
        }
        let args = self.heap.tuple(&members)?;
        Ok(self
            .heap
            .new_user(Union {
                args: Member::new(&args.into_obj()),
            })?
            .into_obj())
    }

    fn repeat(&self, s: &Obj<'h>, n: i64) -> PyResult<'h> {
        let n = n.max(0) as usize;
        match s.kind() {
            Kind::Str => {
                let v = s.str_value()?;
                if v.len().saturating_mul(n) > (1 << 34) {
                    return err(ExcTy::MemoryError, "");
                }
                self.str(&v.repeat(n))
            }
            Kind::List | Kind::Tuple => {
                let items = self.seq_items(s)?;
                if items.len().saturating_mul(n) > (1 << 31) {
                    return err(ExcTy::MemoryError, "");
                }
                let mut v = Vec::with_capacity(items.len() * n);
                for _ in 0..n {
                    v.extend(items.iter().cloned());
                }
                if s.kind() == Kind::List {
                    Ok(self.heap.list(&v)?.into_obj())
                } else {
                    Ok(self.heap.tuple(&v)?.into_obj())
                }
            }
            _ => unreachable!(),
        }
    }

    /// A one-character str: the shared one for Latin-1 characters (CPython caches those, so
    /// `"abc"[1] is "xbz"[1]`).
    pub fn char_str(&self, c: char) -> PyResult<'h> {
        let mut buf = [0; 4];
        let s = c.encode_utf8(&mut buf);
        if (c as u32) < 256 {
            return Ok(self.intern(s)?.into_obj());
        }
        self.str(s)
    }

    /// Items of a list or tuple.
    pub fn seq_items(&self, s: &Obj<'h>) -> PyResult<'h, Vec<Obj<'h>>> {
        match s.kind() {
            Kind::List => Ok(s.as_list()?.to_vec()),
            Kind::Tuple => Ok(s.as_tuple()?.to_vec()),
            _ => self.collect(s),
        }
    }

    pub fn inplace(&self, op: BinOp, a: &Obj<'h>, b: &Obj<'h>) -> PyResult<'h> {
        // Numbers have no in-place form: `x += 1` is `x + 1` (checked first: the common case).
        if matches!(a.kind(), Kind::Int | Kind::Bool | Kind::Float)
            && let Some(r) = self.num_op(op, a, b)?
        {
            return Ok(r);
        }
        if op == BinOp::Add && a.kind() == Kind::List {
            let items = self.collect(b)?;
            a.as_list()?.extend(&items)?;
            return Ok(a.clone());
        }
        if a.kind() == Kind::Instance {
            let (_, _, iname) = op.dunders();
            if let Some(r) = self.try_dunder(a, iname, b)? {
                return Ok(r);
            }
        }
        if matches!(a.kind(), Kind::Set | Kind::FrozenSet)
            && let Some(r) = self.set_inplace(op, a, b)?
        {
            return Ok(r);
        }
        self.binary(op, a, b).map_err(|e| match e {
            Raise::New(ExcTy::TypeError, m) if m.starts_with("unsupported operand") => Raise::New(
                ExcTy::TypeError,
                m.replacen(
                    &format!("for {}:", op.symbol()),
                    &format!("for {}=:", op.symbol()),
                    1,
                ),
            ),
            e => e,
        })
    }

    pub fn unary(&self, op: UnOp, o: &Obj<'h>) -> PyResult<'h> {
        match (op, num(o)) {
            (UnOp::Neg, Some(Num::I(_) | Num::Big)) => return Ok(self.heap.int_neg(o)?),
            (UnOp::Neg, Some(Num::F(f))) => return Ok(self.heap.float(-f)?),
            (UnOp::Pos, Some(Num::I(_) | Num::Big)) if o.kind() == Kind::Bool => {
                return self.int(o.as_int()?);
            }
            (UnOp::Pos, Some(_)) => return Ok(o.clone()),
            (UnOp::Invert, Some(Num::I(_) | Num::Big)) => return Ok(self.heap.int_invert(o)?),
            _ => {}
        }
        let name = match op {
            UnOp::Neg => "__neg__",
            UnOp::Pos => "__pos__",
            UnOp::Invert => "__invert__",
            UnOp::Not => unreachable!(),
        };
        if let Some(r) = self.call_special(o, name, &[]) {
            return r;
        }
        let sym = match op {
            UnOp::Neg => "-",
            UnOp::Pos => "+",
            _ => "~",
        };
        err(
            ExcTy::TypeError,
            format!("bad operand type for unary {sym}: '{}'", self.type_name(o)),
        )
    }

    /// `bool(o)`.
    pub fn truthy(&self, o: &Obj<'h>) -> PyResult<'h, bool> {
        Ok(match o.kind() {
            Kind::None => false,
            Kind::Bool | Kind::Int => o.int_value()? != pyheap_runtime::IntValue::Small(0),
            Kind::Float => o.as_float()? != 0.0,
            Kind::Str => !o.str_value()?.is_empty(),
            Kind::List => !o.as_list()?.is_empty(),
            Kind::Tuple => !o.as_tuple()?.is_empty(),
            Kind::Dict => !o.as_dict()?.is_empty(),
            Kind::Instance => {
                if let Some(r) = self.call_special(o, "__bool__", &[]) {
                    let r = r?;
                    if r.kind() != Kind::Bool {
                        return err(
                            ExcTy::TypeError,
                            format!(
                                "__bool__ should return bool, returned {}",
                                self.type_name(&r)
                            ),
                        );
                    }
                    return Ok(r.as_bool()?);
                }
                if let Some(r) = self.call_special(o, "__len__", &[]) {
                    return Ok(r?.as_int()? != 0);
                }
                true
            }
            _ => {
                if let Some(n) = self.builtin_len(o)? {
                    n != 0
                } else {
                    true
                }
            }
        })
    }

    /// `a == b` as a bool (identity first, as CPython's containers do).
    pub fn eq(&self, a: &Obj<'h>, b: &Obj<'h>) -> PyResult<'h, bool> {
        if a.is(b) {
            return Ok(true);
        }
        self.compare_bool(CmpOp::Eq, a, b)
    }

    pub fn compare(&self, op: CmpOp, a: &Obj<'h>, b: &Obj<'h>) -> PyResult<'h> {
        if let Some(ord) = self.builtin_cmp(op, a, b)? {
            return Ok(self.bool(ord));
        }
        self.rich_compare(op, a, b)
    }

    /// `a op b` as a truth value (sorting, container equality, `min`/`max`): built-in values
    /// answer without making a bool object; others run the rich comparison and its `__bool__`.
    pub fn compare_bool(&self, op: CmpOp, a: &Obj<'h>, b: &Obj<'h>) -> PyResult<'h, bool> {
        if let Some(ord) = self.builtin_cmp(op, a, b)? {
            return Ok(ord);
        }
        let r = self.rich_compare(op, a, b)?;
        self.truthy(&r)
    }

    /// The special-method part of a comparison, for values [`Ctx::builtin_cmp`] left alone.
    fn rich_compare(&self, op: CmpOp, a: &Obj<'h>, b: &Obj<'h>) -> PyResult<'h> {
        let (name, rname) = op.dunders();
        if a.kind() == Kind::Instance || b.kind() == Kind::Instance {
            if let Some(r) = self.try_dunder(a, name, b)? {
                return Ok(r);
            }
            if let Some(r) = self.try_dunder(b, rname, a)? {
                return Ok(r);
            }
            if op == CmpOp::Ne
                && let Some(r) = self.try_dunder(a, "__eq__", b)?
            {
                let t = self.truthy(&r)?;
                return Ok(self.bool(!t));
            }
        }
        match op {
            CmpOp::Eq => Ok(self.bool(a.is(b))),
            CmpOp::Ne => Ok(self.bool(!a.is(b))),
            _ => err(
                ExcTy::TypeError,
                format!(
                    "'{}' not supported between instances of '{}' and '{}'",
                    op.symbol(),
                    self.type_name(a),
                    self.type_name(b)
                ),
            ),
        }
    }

    /// Comparisons of built-in values; `None` when the types do not compare natively.
    pub(crate) fn builtin_cmp(
        &self,
        op: CmpOp,
        a: &Obj<'h>,
        b: &Obj<'h>,
    ) -> PyResult<'h, Option<bool>> {
        let ord = match (a.kind(), b.kind()) {
            (Kind::Str, Kind::Str) | (Kind::Int, Kind::Int) if let Some(o) = plain_order(a, b) => {
                Some(o)
            }
            (Kind::Tuple, Kind::Tuple) => return self.tuple_cmp(op, a, b).map(Some),
            _ if num(a).is_some() && num(b).is_some() => match self.num_cmp(a, b)? {
                Some(o) => Some(o),
                None => return Ok(Some(op == CmpOp::Ne)),
            },
            (Kind::List, Kind::List) => {
                // Item by item without copying either side; a list's length is read again
                // each step (an item's `__eq__` may change it), as CPython does.
                if matches!(op, CmpOp::Eq | CmpOp::Ne) && seq_len(a)? != seq_len(b)? {
                    return Ok(Some(op == CmpOp::Ne));
                }
                let mut i = 0;
                while i < seq_len(a)? && i < seq_len(b)? {
                    let (p, q) = (&seq_get(a, i)?, &seq_get(b, i)?);
                    i += 1;
                    if !self.eq(p, q)? {
                        return match op {
                            CmpOp::Eq => Ok(Some(false)),
                            CmpOp::Ne => Ok(Some(true)),
                            _ => Ok(Some(self.compare_bool(op, p, q)?)),
                        };
                    }
                }
                Some(seq_len(a)?.cmp(&seq_len(b)?))
            }
            (Kind::Dict, Kind::Dict) if matches!(op, CmpOp::Eq | CmpOp::Ne) => {
                let (x, y) = (a.as_dict()?, b.as_dict()?);
                let mut same = x.len() == y.len();
                if same {
                    for (k, v) in x.items() {
                        match y.get(&k)? {
                            Some(w) if self.eq(&v, &w)? => {}
                            _ => {
                                same = false;
                                break;
                            }
                        }
                    }
                }
                return Ok(Some(same == (op == CmpOp::Eq)));
            }
            (Kind::None, Kind::None) => Some(Ordering::Equal),
            _ => {
                if let Some(r) = self.set_cmp(op, a, b)? {
                    return Ok(Some(r));
                }
                if let Some(r) = self.bytes_cmp(op, a, b)? {
                    return Ok(Some(r));
                }
                if let Some(r) = self.view_cmp(op, a, b)? {
                    return Ok(Some(r));
                }
                if a.kind() == Kind::Instance || b.kind() == Kind::Instance {
                    return Ok(None);
                }
                if matches!(op, CmpOp::Eq | CmpOp::Ne)
                    && let Some(same) = self.same_method(a, b)?
                {
                    return Ok(Some(same == (op == CmpOp::Eq)));
                }
                match op {
                    CmpOp::Eq => return Ok(Some(a.is(b) || a.py_eq(b))),
                    CmpOp::Ne => return Ok(Some(!(a.is(b) || a.py_eq(b)))),
                    _ => return Ok(None),
                }
            }
        };
        Ok(Some(op.holds(ord.expect("ordering"))))
    }

    /// Tuples compare item by item: the first pair that is not equal decides (`==` and `!=`
    /// need no more), else the lengths do. Tuples cannot change while compared.
    fn tuple_cmp(&self, op: CmpOp, a: &Obj<'h>, b: &Obj<'h>) -> PyResult<'h, bool> {
        let (x, y) = (a.as_tuple()?, b.as_tuple()?);
        if matches!(op, CmpOp::Eq | CmpOp::Ne) && x.len() != y.len() {
            return Ok(op == CmpOp::Ne);
        }
        for i in 0..x.len().min(y.len()) {
            let (p, q) = (x.item(i), y.item(i));
            if let Some(o) = plain_order(&p, &q) {
                // One comparison where CPython makes two (`==`, then `op`): same answer.
                if o.is_ne() {
                    return Ok(op.holds(o));
                }
                continue;
            }
            if !self.eq(&p, &q)? {
                return match op {
                    CmpOp::Eq => Ok(false),
                    CmpOp::Ne => Ok(true),
                    _ => self.compare_bool(op, &p, &q),
                };
            }
        }
        Ok(op.holds(x.len().cmp(&y.len())))
    }

    /// `item in container`.
    pub fn contains(&self, container: &Obj<'h>, item: &Obj<'h>) -> PyResult<'h, bool> {
        match container.kind() {
            Kind::Str => {
                if item.kind() != Kind::Str {
                    return err(
                        ExcTy::TypeError,
                        format!(
                            "'in <string>' requires string as left operand, not {}",
                            self.type_name(item)
                        ),
                    );
                }
                Ok(container.str_value()?.contains(item.str_value()?))
            }
            Kind::Dict => Ok(self.dict_get(container.as_dict()?, item)?.is_some()),
            Kind::List | Kind::Tuple => {
                for x in self.seq_items(container)? {
                    if self.eq(&x, item)? {
                        return Ok(true);
                    }
                }
                Ok(false)
            }
            Kind::Instance | Kind::Class => {
                if let Some(r) =
                    self.call_special(container, "__contains__", std::slice::from_ref(item))
                {
                    return self.truthy(&r?);
                }
                self.contains_by_iter(container, item)
            }
            _ => {
                if let Some(b) = self.set_contains(container, item)? {
                    return Ok(b);
                }
                if let Some(b) = self.bytes_contains(container, item)? {
                    return Ok(b);
                }
                if let Some(b) = self.view_contains(container, item)? {
                    return Ok(b);
                }
                if let Some(r) = container.downcast_user::<Range>() {
                    if let Some(Num::I(i)) = num(item) {
                        let r = r.borrow()?;
                        let n = r.len();
                        let off = i.wrapping_sub(r.start);
                        return Ok(r.step != 0 && off % r.step == 0 && {
                            let k = off / r.step;
                            (0..n).contains(&k)
                        });
                    }
                    return Ok(false);
                }
                self.contains_by_iter(container, item)
            }
        }
    }

    fn contains_by_iter(&self, container: &Obj<'h>, item: &Obj<'h>) -> PyResult<'h, bool> {
        let it = self.iter(container).map_err(|_| {
            Raise::New(
                ExcTy::TypeError,
                format!(
                    "argument of type '{}' is not iterable",
                    self.type_name(container)
                ),
            )
        })?;
        while let Some(x) = self.next(&it)? {
            if self.eq(&x, item)? {
                return Ok(true);
            }
        }
        Ok(false)
    }

    /// Normalise an index for a sequence of length `len` (negative counts from the end).
    #[inline]
    fn index(&self, k: &Obj<'h>, len: usize, what: &str) -> PyResult<'h, usize> {
        let i = match k.kind() {
            Kind::Int | Kind::Bool => match k.int_value()? {
                pyheap_runtime::IntValue::Small(v) => v,
                _ => k.as_int()?,
            },
            _ => {
                if let Some(r) = self.call_special(k, "__index__", &[]) {
                    r?.as_int()?
                } else {
                    return err(
                        ExcTy::TypeError,
                        format!(
                            "{what} indices must be integers or slices, not {}",
                            self.type_name(k)
                        ),
                    );
                }
            }
        };
        let j = if i < 0 { i + len as i64 } else { i };
        if j < 0 || j >= len as i64 {
            return err(ExcTy::IndexError, format!("{what} index out of range"));
        }
        Ok(j as usize)
    }

    /// `(start, stop, step)` of a slice over `len` items, as `slice.indices`.
    pub fn slice_indices(&self, s: &Obj<'h>, len: usize) -> PyResult<'h, (i64, i64, i64)> {
        let (a, b, c) = {
            let s = s.as_user::<Slice>()?.borrow()?;
            (
                s.start.get(self.heap)?,
                s.stop.get(self.heap)?,
                s.step.get(self.heap)?,
            )
        };
        // Past the i64 range a bound is clamped, as CPython clamps to Py_ssize_t (the step to
        // ±(2^63 − 1)).
        let clamped = |o: &Obj<'h>| -> PyResult<'h, i64> {
            Ok(match o.int_value()? {
                pyheap_runtime::IntValue::Small(v) => v.max(-i64::MAX),
                pyheap_runtime::IntValue::Big { negative: true, .. } => -i64::MAX,
                pyheap_runtime::IntValue::Big { .. } => i64::MAX,
            })
        };
        let int_or = |o: &Obj<'h>, d: i64| -> PyResult<'h, i64> {
            if o.is_none() {
                Ok(d)
            } else {
                match o.kind() {
                    Kind::Int | Kind::Bool => clamped(o),
                    Kind::Instance if self.lookup_special(o, "__index__").is_some() => {
                        clamped(&crate::builtins::functions::index_int(self, o)?)
                    }
                    _ => err(
                        ExcTy::TypeError,
                        "slice indices must be integers or None or have an __index__ method",
                    ),
                }
            }
        };
        let step = int_or(&c, 1)?;
        if step == 0 {
            return err(ExcTy::ValueError, "slice step cannot be zero");
        }
        let len = len as i64;
        let clamp = |v: i64, lo: i64, hi: i64| v.max(lo).min(hi);
        let (lo, hi) = if step > 0 { (0, len) } else { (-1, len - 1) };
        let fix = |v: i64| {
            if v < 0 {
                clamp(v + len, lo, hi)
            } else {
                clamp(v, lo, hi)
            }
        };
        let start = if a.is_none() {
            if step > 0 { 0 } else { len - 1 }
        } else {
            fix(int_or(&a, 0)?)
        };
        let stop = if b.is_none() {
            if step > 0 { len } else { -1 }
        } else {
            fix(int_or(&b, 0)?)
        };
        Ok((start, stop, step))
    }

    fn slice_positions(&self, s: &Obj<'h>, len: usize) -> PyResult<'h, Vec<usize>> {
        let (start, stop, step) = self.slice_indices(s, len)?;
        let mut v = vec![];
        let mut i = start;
        while (step > 0 && i < stop) || (step < 0 && i > stop) {
            v.push(i as usize);
            i = i.saturating_add(step);
        }
        Ok(v)
    }

    pub fn getitem(&self, o: &Obj<'h>, k: &Obj<'h>) -> PyResult<'h> {
        let is_slice = || k.is_user::<Slice>();
        match o.kind() {
            // An item by int index: no copy of the items (the slice path below takes them all).
            Kind::List if matches!(k.kind(), Kind::Int | Kind::Bool) => {
                let l = o.as_list()?;
                let i = self.index(k, l.len(), "list")?;
                Ok(l.get(i as i64)?)
            }
            Kind::Tuple if matches!(k.kind(), Kind::Int | Kind::Bool) => {
                let t = o.as_tuple()?;
                let i = self.index(k, t.len(), "tuple")?;
                Ok(t.get(i as i64)?)
            }
            Kind::List | Kind::Tuple => {
                let items = self.seq_items(o)?;
                let what = if o.kind() == Kind::List {
                    "list"
                } else {
                    "tuple"
                };
                if is_slice() {
                    let pos = self.slice_positions(k, items.len())?;
                    let v: Vec<Obj<'h>> = pos.into_iter().map(|i| items[i].clone()).collect();
                    return if o.kind() == Kind::List {
                        Ok(self.heap.list(&v)?.into_obj())
                    } else {
                        Ok(self.heap.tuple(&v)?.into_obj())
                    };
                }
                let i = self.index(k, items.len(), what)?;
                Ok(items[i].clone())
            }
            Kind::Str => {
                let s = o.str_value()?;
                if s.is_ascii() {
                    // One byte per character: index and slice the bytes, no char vector.
                    let b = s.as_bytes();
                    if is_slice() {
                        let (start, stop, step) = self.slice_indices(k, b.len())?;
                        if step == 1 {
                            let stop = stop.max(start) as usize;
                            return self.str(&s[start as usize..stop]);
                        }
                        let pos = self.slice_positions(k, b.len())?;
                        let r: String = pos.into_iter().map(|i| b[i] as char).collect();
                        return self.str(&r);
                    }
                    let i = self.index(k, b.len(), "string")?;
                    return self.char_str(b[i] as char);
                }
                let chars: Vec<char> = s.chars().collect();
                if is_slice() {
                    let pos = self.slice_positions(k, chars.len())?;
                    let r: String = pos.into_iter().map(|i| chars[i]).collect();
                    return self.str(&r);
                }
                let i = self.index(k, chars.len(), "string")?;
                self.char_str(chars[i])
            }
            Kind::Dict => match self.dict_get(o.as_dict()?, k)? {
                Some(v) => Ok(v),
                None => {
                    if o.type_name() != "dict" {
                        return Err(self.key_error(k));
                    }
                    Err(self.key_error(k))
                }
            },
            Kind::Instance => match self.call_special(o, "__getitem__", std::slice::from_ref(k)) {
                Some(r) => r,
                None => self.not_subscriptable(o),
            },
            Kind::Class => {
                // The metaclass's `__getitem__` first (`Color["RED"]`), as CPython's mapping slot.
                if let Some(r) = self.call_special(o, "__getitem__", std::slice::from_ref(k)) {
                    return r;
                }
                if let Some(f) = self.lookup_type(o, "__class_getitem__") {
                    return self.call1(&f, &[o.clone(), k.clone()]);
                }
                Ok(o.clone())
            }
            _ => {
                if let Some(r) = self.bytes_getitem(o, k)? {
                    return Ok(r);
                }
                if let Some(r) = o.downcast_user::<Range>() {
                    let (start, step, n) = {
                        let r = r.borrow()?;
                        (r.start, r.step, r.len())
                    };
                    if is_slice() {
                        let (a, b, c) = self.slice_indices(k, n as usize)?;
                        return Ok(self
                            .heap
                            .new_user(Range {
                                start: start + a * step,
                                stop: start + b * step,
                                step: step * c,
                            })?
                            .into_obj());
                    }
                    let i = self.index(k, n as usize, "range object")?;
                    return self.int(start + i as i64 * step);
                }
                self.not_subscriptable(o)
            }
        }
    }

    fn not_subscriptable<T>(&self, o: &Obj<'h>) -> PyResult<'h, T> {
        err(
            ExcTy::TypeError,
            format!("'{}' object is not subscriptable", self.type_name(o)),
        )
    }

    pub fn setitem(&self, o: &Obj<'h>, k: &Obj<'h>, v: &Obj<'h>) -> PyResult<'h, ()> {
        match o.kind() {
            Kind::List => {
                let l = o.as_list()?;
                if k.is_user::<Slice>() {
                    let items = l.to_vec();
                    let new = self.collect(v)?;
                    let (start, stop, step) = self.slice_indices(k, items.len())?;
                    if step == 1 {
                        let stop = stop.max(start) as usize;
                        let mut out: Vec<Obj<'h>> = items[..start as usize].to_vec();
                        out.extend(new);
                        out.extend(items[stop..].iter().cloned());
                        l.clear();
                        l.extend(&out)?;
                        return Ok(());
                    }
                    let pos = self.slice_positions(k, items.len())?;
                    if pos.len() != new.len() {
                        return err(
                            ExcTy::ValueError,
                            format!(
                                "attempt to assign sequence of size {} to extended slice of size {}",
                                new.len(),
                                pos.len()
                            ),
                        );
                    }
                    for (p, x) in pos.into_iter().zip(new) {
                        l.set(p as i64, &x)?;
                    }
                    return Ok(());
                }
                let i = self.index(k, l.len(), "list").map_err(|e| match e {
                    Raise::New(ExcTy::IndexError, _) => Raise::New(
                        ExcTy::IndexError,
                        "list assignment index out of range".into(),
                    ),
                    e => e,
                })?;
                l.set(i as i64, v)?;
                Ok(())
            }
            Kind::Dict => self.dict_set(o.as_dict()?, k, v),
            Kind::Instance => match self.call_special(o, "__setitem__", &[k.clone(), v.clone()]) {
                Some(r) => r.map(|_| ()),
                None => err(
                    ExcTy::TypeError,
                    format!(
                        "'{}' object does not support item assignment",
                        self.type_name(o)
                    ),
                ),
            },
            _ => err(
                ExcTy::TypeError,
                format!(
                    "'{}' object does not support item assignment",
                    self.type_name(o)
                ),
            ),
        }
    }

    pub fn delitem(&self, o: &Obj<'h>, k: &Obj<'h>) -> PyResult<'h, ()> {
        match o.kind() {
            Kind::List => {
                let l = o.as_list()?;
                if k.is_user::<Slice>() {
                    let items = l.to_vec();
                    let pos = self.slice_positions(k, items.len())?;
                    let keep: Vec<Obj<'h>> = items
                        .into_iter()
                        .enumerate()
                        .filter(|(i, _)| !pos.contains(i))
                        .map(|(_, x)| x)
                        .collect();
                    l.clear();
                    l.extend(&keep)?;
                    return Ok(());
                }
                let i = self.index(k, l.len(), "list").map_err(|e| match e {
                    Raise::New(ExcTy::IndexError, _) => Raise::New(
                        ExcTy::IndexError,
                        "list assignment index out of range".into(),
                    ),
                    e => e,
                })?;
                l.pop(i as i64)?;
                Ok(())
            }
            Kind::Dict => {
                // One hash, one lookup (`__hash__`/`__eq__` run as often as in CPython).
                match o.as_dict()?.remove(k) {
                    Ok(_) => Ok(()),
                    Err(pyheap_runtime::RuntimeError::KeyError(_)) => Err(self.key_error(k)),
                    Err(e) => Err(e.into()),
                }
            }
            Kind::Instance => match self.call_special(o, "__delitem__", std::slice::from_ref(k)) {
                Some(r) => r.map(|_| ()),
                None => err(
                    ExcTy::TypeError,
                    format!(
                        "'{}' object does not support item deletion",
                        self.type_name(o)
                    ),
                ),
            },
            _ => err(
                ExcTy::TypeError,
                format!(
                    "'{}' object doesn't support item deletion",
                    self.type_name(o)
                ),
            ),
        }
    }

    /// Length of built-in containers.
    pub fn builtin_len(&self, o: &Obj<'h>) -> PyResult<'h, Option<usize>> {
        Ok(Some(match o.kind() {
            Kind::Str => o.str_value()?.chars().count(),
            Kind::List => o.as_list()?.len(),
            Kind::Tuple => o.as_tuple()?.len(),
            Kind::Dict => o.as_dict()?.len(),
            _ => {
                if let Some(r) = o.downcast_user::<Range>() {
                    return Ok(Some(r.borrow()?.len() as usize));
                }
                if let Some(b) = o.downcast_user::<crate::objects::bytes::Bytes>() {
                    return Ok(Some(crate::objects::bytes::data(b).len()));
                }
                if let Some(n) = self.view_len(o)? {
                    return Ok(Some(n));
                }
                match self.set_len(o)? {
                    Some(n) => n,
                    None => return Ok(None),
                }
            }
        }))
    }

    /// `len(o)`.
    pub fn len(&self, o: &Obj<'h>) -> PyResult<'h, usize> {
        if let Some(n) = self.builtin_len(o)? {
            return Ok(n);
        }
        if let Some(r) = self.call_special(o, "__len__", &[]) {
            let n = r?.as_int()?;
            if n < 0 {
                return err(ExcTy::ValueError, "__len__() should return >= 0");
            }
            return Ok(n as usize);
        }
        err(
            ExcTy::TypeError,
            format!("object of type '{}' has no len()", self.type_name(o)),
        )
    }

    /// Bound methods compare by their object (identity) and function, as CPython's do: `m.f ==
    /// m.f` though each look-up makes a new method object. `None` when `a`, `b` are not two
    /// bound methods of the same kind.
    fn same_method(&self, a: &Obj<'h>, b: &Obj<'h>) -> PyResult<'h, Option<bool>> {
        use crate::objects::function::{Builtin, Method};
        if let (Some(x), Some(y)) = (a.downcast_user::<Method>(), b.downcast_user::<Method>()) {
            let (xs, xf, ys, yf) = {
                let (x, y) = (x.borrow()?, y.borrow()?);
                let h = self.heap;
                (
                    x.this.get(h)?,
                    x.func.get(h)?,
                    y.this.get(h)?,
                    y.func.get(h)?,
                )
            };
            return Ok(Some(xs.is(&ys) && self.eq(&xf, &yf)?));
        }
        if let (Some(x), Some(y)) = (a.downcast_user::<Builtin>(), b.downcast_user::<Builtin>()) {
            let (x, y) = (x.borrow()?, y.borrow()?);
            let (Some(xs), Some(ys)) = (&x.bound, &y.bound) else {
                return Ok(None);
            };
            let same_fn = std::ptr::fn_addr_eq(x.f, y.f) && x.name == y.name;
            return Ok(Some(same_fn && xs.get(self.heap)?.is(&ys.get(self.heap)?)));
        }
        Ok(None)
    }

    /// `hash(o)`.
    pub fn hash(&self, o: &Obj<'h>) -> PyResult<'h, i64> {
        // A bound method's hash is its type's (`Method`'s `py_hash`): the receiver's and the
        // function's addresses, consistent with `same_method`.
        if o.kind() == Kind::Instance {
            let cls = self.type_of(o);
            match self.lookup_type(&cls, "__hash__") {
                Some(h) if h.is_none() => {
                    return err(
                        ExcTy::TypeError,
                        format!("unhashable type: '{}'", self.class_name(&cls)),
                    );
                }
                Some(h) => {
                    let r = self.call1(&h, std::slice::from_ref(o))?;
                    if !super::number::is_int(&r) {
                        return err(ExcTy::TypeError, "__hash__ method should return an integer");
                    }
                    // A built-in type's `__hash__` (a str subclass's) answers a hash already.
                    if h.is_user::<crate::objects::function::Builtin>()
                        && let Ok(v) = r.as_int()
                    {
                        return Ok(v);
                    }
                    // A big result is reduced as `hash(int)` does (CPython too).
                    return Ok(r.hash()?);
                }
                None => {
                    // A str (int, tuple ...) subclass hashes as its value.
                    if let Some(v) = self.base_value(o) {
                        return self.hash(&v);
                    }
                }
            }
        }
        Ok(o.hash()?)
    }
}
