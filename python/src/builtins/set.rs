//! `set` and `frozenset` on the runtime's [`Set`] (CPython's table, order and algebra), the
//! dict helpers the VM shares, and slices.
//!
//! ```text
//!   {a, b} / set(it) ──▶ heap.set(..)     s | t, s.union(it) ──▶ Set::union (it: a temporary set)
//!   x in s ──▶ Set::contains (hash/eq of instances reach Python through the call hook)
//! ```

use crate::bytecode::{BinOp, CmpOp};
use crate::objects::misc::Slice;
use crate::vm::{Args, Ctx, ExcTy, PyResult, err};
use pyheap_runtime::{Dict, Kind, Member, Obj, Set};

impl<'h> Ctx<'h> {
    /// A new `set` of `items`.
    pub fn new_set(&self, items: &[Obj<'h>]) -> PyResult<'h> {
        Ok(self.heap.set(items)?.into_obj())
    }
    /// `set(o)` / `frozenset(o)` of any iterable.
    pub fn set_from(&self, o: &Obj<'h>, frozen: bool) -> PyResult<'h, Set<'h>> {
        let s = self.heap.set(&[])?;
        let it = self.iter(o)?;
        while let Some(x) = self.next(&it)? {
            s.add(&x)?;
        }
        if frozen {
            // A frozenset is built once (its elements copied in the set's order).
            return Ok(self.heap.frozenset(&s.to_vec())?);
        }
        Ok(s)
    }
    /// `o` itself when it is a set or frozenset, else a temporary set of its items.
    pub(crate) fn as_set_arg(&self, o: &Obj<'h>) -> PyResult<'h, Set<'h>> {
        match o.as_set() {
            Ok(s) => Ok(s.clone()),
            Err(_) => self.set_from(o, false),
        }
    }
    pub fn set_add(&self, s: &Obj<'h>, v: &Obj<'h>) -> PyResult<'h, ()> {
        s.as_set()?.add(v)?;
        Ok(())
    }
    pub fn set_len(&self, s: &Obj<'h>) -> PyResult<'h, Option<usize>> {
        Ok(s.as_set().ok().map(|s| s.len()))
    }
    pub fn set_contains(&self, s: &Obj<'h>, v: &Obj<'h>) -> PyResult<'h, Option<bool>> {
        match s.as_set() {
            Ok(s) => Ok(Some(s.contains(v)?)),
            Err(_) => Ok(None),
        }
    }
    /// `a op b` for two sets (the result has `a`'s type); `None` otherwise.
    pub fn set_op(&self, op: BinOp, a: &Obj<'h>, b: &Obj<'h>) -> PyResult<'h, Option<Obj<'h>>> {
        let (Ok(x), Ok(y)) = (a.as_set(), b.as_set()) else {
            return Ok(None);
        };
        Ok(Some(
            match op {
                BinOp::Or => x.union(y)?,
                BinOp::And => x.intersection(y)?,
                BinOp::Sub => x.difference(y)?,
                BinOp::Xor => x.symmetric_difference(y)?,
                _ => return Ok(None),
            }
            .into_obj(),
        ))
    }
    /// `a op= b` for a `set` and a set or frozenset (in place); `None` otherwise.
    pub fn set_inplace(
        &self,
        op: BinOp,
        a: &Obj<'h>,
        b: &Obj<'h>,
    ) -> PyResult<'h, Option<Obj<'h>>> {
        let (Ok(x), Ok(y)) = (a.as_set(), b.as_set()) else {
            return Ok(None);
        };
        if x.is_frozen() {
            return Ok(None);
        }
        match op {
            BinOp::Or => x.update(y)?,
            BinOp::And => x.intersection_update(y)?,
            BinOp::Sub => x.difference_update(y)?,
            BinOp::Xor => x.symmetric_difference_update(y)?,
            _ => return Ok(None),
        }
        Ok(Some(a.clone()))
    }
    /// Comparisons of two sets (subset order); `None` unless both are sets.
    pub fn set_cmp(&self, op: CmpOp, a: &Obj<'h>, b: &Obj<'h>) -> PyResult<'h, Option<bool>> {
        let (Ok(x), Ok(y)) = (a.as_set(), b.as_set()) else {
            return Ok(None);
        };
        let eq = || -> PyResult<'h, bool> { Ok(x.len() == y.len() && x.is_subset(y)?) };
        Ok(Some(match op {
            CmpOp::Eq => eq()?,
            CmpOp::Ne => !eq()?,
            CmpOp::Le => x.is_subset(y)?,
            CmpOp::Lt => x.is_proper_subset(y)?,
            CmpOp::Ge => x.is_superset(y)?,
            CmpOp::Gt => y.is_proper_subset(x)?,
        }))
    }

    /// `d.get(k)` with Python's hashing rules checked first (unhashable keys raise).
    /// (The runtime hashes the key once, through `__hash__` for instances.)
    pub fn dict_get(&self, d: &Dict<'h>, k: &Obj<'h>) -> PyResult<'h, Option<Obj<'h>>> {
        Ok(d.get(k)?)
    }
    pub fn dict_set(&self, d: &Dict<'h>, k: &Obj<'h>, v: &Obj<'h>) -> PyResult<'h, ()> {
        Ok(d.set(k, v)?)
    }
    /// `d.update(o)`: a dict (or a dict subclass's value when it defines no `keys`), a mapping
    /// with `keys`, or an iterable of pairs.
    pub fn dict_update(&self, d: &Dict<'h>, o: &Obj<'h>) -> PyResult<'h, ()> {
        let base = match self.lookup_special(o, "keys") {
            None if o.kind() == Kind::Instance => self.base_value(o),
            _ => None,
        };
        if let Ok(src) = base.as_ref().unwrap_or(o).as_dict() {
            for (k, v) in src.items() {
                d.set(&k, &v)?;
            }
            return Ok(());
        }
        if o.kind() == Kind::Instance && self.lookup_special(o, "keys").is_some() {
            let keys = self.call(&self.getattr(o, "keys")?, vec![], vec![])?;
            for k in self.collect(&keys)? {
                let v = self.getitem(o, &k)?;
                self.dict_set(d, &k, &v)?;
            }
            return Ok(());
        }
        for (i, pair) in self.collect(o)?.iter().enumerate() {
            let kv = self.collect(pair).map_err(|_| {
                crate::vm::Raise::New(
                    ExcTy::TypeError,
                    format!("cannot convert dictionary update sequence element #{i} to a sequence"),
                )
            })?;
            if kv.len() != 2 {
                return err(
                    ExcTy::ValueError,
                    format!(
                        "dictionary update sequence element #{i} has length {}; 2 is required",
                        kv.len()
                    ),
                );
            }
            self.dict_set(d, &kv[0], &kv[1])?;
        }
        Ok(())
    }

    pub fn new_slice(&self, start: Obj<'h>, stop: Obj<'h>, step: Obj<'h>) -> PyResult<'h> {
        Ok(self
            .heap
            .new_user(Slice {
                start: Member::from_obj(start),
                stop: Member::from_obj(stop),
                step: Member::from_obj(step),
            })?
            .into_obj())
    }
}

/// Methods of set and frozenset.
pub const BOTH: super::Table = table! {
    "union" => union, "intersection" => intersection, "difference" => difference,
    "symmetric_difference" => symmetric_difference, "issubset" => issubset,
    "issuperset" => issuperset, "isdisjoint" => isdisjoint, "copy" => copy,
};

/// Methods of set only.
pub const MUTATING: super::Table = table! {
    "add" => add, "remove" => remove, "discard" => discard, "pop" => pop, "clear" => clear,
    "update" => update, "intersection_update" => intersection_update,
    "difference_update" => difference_update,
    "symmetric_difference_update" => symmetric_difference_update,
};

fn this<'a, 'h>(a: &'a Args<'_, 'h>) -> PyResult<'h, &'a Set<'h>> {
    Ok(a.pos[0].as_set()?)
}
fn add<'h>(ctx: &Ctx<'h>, a: Args<'_, 'h>) -> PyResult<'h> {
    a.check("add", 2, 2)?;
    this(&a)?.add(&a.pos[1])?;
    Ok(ctx.none())
}
fn remove<'h>(ctx: &Ctx<'h>, a: Args<'_, 'h>) -> PyResult<'h> {
    a.check("remove", 2, 2)?;
    if !this(&a)?.discard(&a.pos[1])? {
        return Err(ctx.key_error(&a.pos[1]));
    }
    Ok(ctx.none())
}
fn discard<'h>(ctx: &Ctx<'h>, a: Args<'_, 'h>) -> PyResult<'h> {
    a.check("discard", 2, 2)?;
    this(&a)?.discard(&a.pos[1])?;
    Ok(ctx.none())
}
fn pop<'h>(_: &Ctx<'h>, a: Args<'_, 'h>) -> PyResult<'h> {
    a.check_method("pop", 0, 0)?;
    Ok(this(&a)?.pop()?)
}
fn clear<'h>(ctx: &Ctx<'h>, a: Args<'_, 'h>) -> PyResult<'h> {
    a.check_method("clear", 0, 0)?;
    this(&a)?.clear()?;
    Ok(ctx.none())
}
/// `s.op(*others)`: folds the binary operation over the arguments (any iterables).
fn fold<'h>(ctx: &Ctx<'h>, a: &Args<'_, 'h>, op: BinOp) -> PyResult<'h> {
    let mut acc = this(a)?.copy()?;
    for o in &a.pos[1..] {
        let other = ctx.as_set_arg(o)?;
        acc = match op {
            BinOp::Or => acc.union(&other)?,
            BinOp::And => acc.intersection(&other)?,
            BinOp::Sub => acc.difference(&other)?,
            _ => acc.symmetric_difference(&other)?,
        };
    }
    Ok(acc.into_obj())
}
fn union<'h>(ctx: &Ctx<'h>, a: Args<'_, 'h>) -> PyResult<'h> {
    fold(ctx, &a, BinOp::Or)
}
fn intersection<'h>(ctx: &Ctx<'h>, a: Args<'_, 'h>) -> PyResult<'h> {
    fold(ctx, &a, BinOp::And)
}
fn difference<'h>(ctx: &Ctx<'h>, a: Args<'_, 'h>) -> PyResult<'h> {
    fold(ctx, &a, BinOp::Sub)
}
fn symmetric_difference<'h>(ctx: &Ctx<'h>, a: Args<'_, 'h>) -> PyResult<'h> {
    a.check("symmetric_difference", 2, 2)?;
    fold(ctx, &a, BinOp::Xor)
}
/// `s.op_update(*others)` in place.
fn fold_update<'h>(ctx: &Ctx<'h>, a: &Args<'_, 'h>, op: BinOp) -> PyResult<'h> {
    let s = this(a)?;
    for o in &a.pos[1..] {
        let other = ctx.as_set_arg(o)?;
        match op {
            BinOp::Or => s.update(&other)?,
            BinOp::And => s.intersection_update(&other)?,
            BinOp::Sub => s.difference_update(&other)?,
            _ => s.symmetric_difference_update(&other)?,
        }
    }
    Ok(ctx.none())
}
fn update<'h>(ctx: &Ctx<'h>, a: Args<'_, 'h>) -> PyResult<'h> {
    fold_update(ctx, &a, BinOp::Or)
}
fn intersection_update<'h>(ctx: &Ctx<'h>, a: Args<'_, 'h>) -> PyResult<'h> {
    fold_update(ctx, &a, BinOp::And)
}
fn difference_update<'h>(ctx: &Ctx<'h>, a: Args<'_, 'h>) -> PyResult<'h> {
    fold_update(ctx, &a, BinOp::Sub)
}
fn symmetric_difference_update<'h>(ctx: &Ctx<'h>, a: Args<'_, 'h>) -> PyResult<'h> {
    a.check("symmetric_difference_update", 2, 2)?;
    fold_update(ctx, &a, BinOp::Xor)
}
fn issubset<'h>(ctx: &Ctx<'h>, a: Args<'_, 'h>) -> PyResult<'h> {
    a.check("issubset", 2, 2)?;
    let other = ctx.as_set_arg(&a.pos[1])?;
    Ok(ctx.bool(this(&a)?.is_subset(&other)?))
}
fn issuperset<'h>(ctx: &Ctx<'h>, a: Args<'_, 'h>) -> PyResult<'h> {
    a.check("issuperset", 2, 2)?;
    let other = ctx.as_set_arg(&a.pos[1])?;
    Ok(ctx.bool(this(&a)?.is_superset(&other)?))
}
fn isdisjoint<'h>(ctx: &Ctx<'h>, a: Args<'_, 'h>) -> PyResult<'h> {
    a.check("isdisjoint", 2, 2)?;
    let other = ctx.as_set_arg(&a.pos[1])?;
    Ok(ctx.bool(this(&a)?.is_disjoint(&other)?))
}
fn copy<'h>(_: &Ctx<'h>, a: Args<'_, 'h>) -> PyResult<'h> {
    a.check_method("copy", 0, 0)?;
    let s = this(&a)?;
    if s.is_frozen() {
        return Ok(a.pos[0].clone()); // frozenset.copy() is the object itself
    }
    Ok(s.copy()?.into_obj())
}
