//! Sets (adapter over `objects::set::PySet`, see there), dict helpers that hash through
//! Python `__hash__` first, and slices.

use crate::bytecode::{BinOp, CmpOp};
use crate::objects::function::NativeFn;
use crate::objects::misc::Slice;
use crate::objects::set::PySet;
use crate::vm::{Args, Ctx, ExcTy, PyResult, err};
use pyheap_runtime::{Dict, Kind, Member, Obj};

impl<'h> Ctx<'h> {
    pub fn new_set(&self, items: &[Obj<'h>]) -> PyResult<'h> {
        let d = self.heap.dict()?;
        for i in items {
            self.dict_set(&d, i, &self.none())?;
        }
        Ok(self
            .heap
            .new_user(PySet {
                dict: Member::new(&d),
                frozen: false,
            })?
            .into_obj())
    }
    fn set_dict(&self, s: &Obj<'h>) -> PyResult<'h, Option<(Dict<'h>, bool)>> {
        match s.as_user::<PySet>() {
            Ok(u) => {
                let b = u.borrow()?;
                let d = b.dict.get(self.heap)?;
                Ok(Some((d.as_dict()?.clone(), b.frozen)))
            }
            Err(_) => Ok(None),
        }
    }
    pub fn set_items(&self, s: &Obj<'h>) -> PyResult<'h, (Vec<Obj<'h>>, bool)> {
        let (d, f) = self
            .set_dict(s)?
            .ok_or_else(|| crate::vm::Raise::New(ExcTy::TypeError, "not a set".into()))?;
        Ok((d.keys(), f))
    }
    pub fn set_add(&self, s: &Obj<'h>, v: &Obj<'h>) -> PyResult<'h, ()> {
        let (d, _) = self
            .set_dict(s)?
            .ok_or_else(|| crate::vm::Raise::New(ExcTy::TypeError, "not a set".into()))?;
        self.dict_set(&d, v, &self.none())
    }
    pub fn set_len(&self, s: &Obj<'h>) -> PyResult<'h, Option<usize>> {
        Ok(self.set_dict(s)?.map(|(d, _)| d.len()))
    }
    pub fn set_contains(&self, s: &Obj<'h>, v: &Obj<'h>) -> PyResult<'h, Option<bool>> {
        match self.set_dict(s)? {
            Some((d, _)) => Ok(Some(self.dict_get(&d, v)?.is_some())),
            None => Ok(None),
        }
    }
    fn make_set(&self, items: Vec<Obj<'h>>, frozen: bool) -> PyResult<'h> {
        let s = self.new_set(&items)?;
        s.as_user::<PySet>()?.borrow_mut()?.frozen = frozen;
        Ok(s)
    }
    pub fn set_op(&self, op: BinOp, a: &Obj<'h>, b: &Obj<'h>) -> PyResult<'h, Option<Obj<'h>>> {
        let (Some((da, fa)), Some((db, _))) = (self.set_dict(a)?, self.set_dict(b)?) else {
            return Ok(None);
        };
        let r: Vec<Obj<'h>> = match op {
            BinOp::Or => {
                let mut v = da.keys();
                for k in db.keys() {
                    if self.dict_get(&da, &k)?.is_none() {
                        v.push(k);
                    }
                }
                v
            }
            BinOp::And => da
                .keys()
                .into_iter()
                .filter(|k| db.contains(k).unwrap_or(false))
                .collect(),
            BinOp::Sub => da
                .keys()
                .into_iter()
                .filter(|k| !db.contains(k).unwrap_or(false))
                .collect(),
            BinOp::Xor => {
                let mut v: Vec<Obj<'h>> = da
                    .keys()
                    .into_iter()
                    .filter(|k| !db.contains(k).unwrap_or(false))
                    .collect();
                v.extend(
                    db.keys()
                        .into_iter()
                        .filter(|k| !da.contains(k).unwrap_or(false)),
                );
                v
            }
            _ => return Ok(None),
        };
        Ok(Some(self.make_set(r, fa)?))
    }
    pub fn set_inplace(
        &self,
        op: BinOp,
        a: &Obj<'h>,
        b: &Obj<'h>,
    ) -> PyResult<'h, Option<Obj<'h>>> {
        if let Some((_, false)) = self.set_dict(a)?
            && let Some(r) = self.set_op(op, a, b)?
        {
            let (da, _) = self.set_dict(a)?.expect("set");
            let (dr, _) = self.set_dict(&r)?.expect("set");
            da.clear();
            for k in dr.keys() {
                da.set(&k, &self.none())?;
            }
            return Ok(Some(a.clone()));
        }
        Ok(None)
    }
    pub fn set_cmp(&self, op: CmpOp, a: &Obj<'h>, b: &Obj<'h>) -> PyResult<'h, Option<bool>> {
        let (Some((da, _)), Some((db, _))) = (self.set_dict(a)?, self.set_dict(b)?) else {
            return Ok(None);
        };
        let sub =
            |x: &Dict<'h>, y: &Dict<'h>| x.keys().iter().all(|k| y.contains(k).unwrap_or(false));
        Ok(Some(match op {
            CmpOp::Eq => da.len() == db.len() && sub(&da, &db),
            CmpOp::Ne => !(da.len() == db.len() && sub(&da, &db)),
            CmpOp::Le => sub(&da, &db),
            CmpOp::Lt => da.len() < db.len() && sub(&da, &db),
            CmpOp::Ge => sub(&db, &da),
            CmpOp::Gt => da.len() > db.len() && sub(&db, &da),
        }))
    }

    /// `d.get(k)` with Python's hashing rules checked first (unhashable keys raise).
    pub fn dict_get(&self, d: &Dict<'h>, k: &Obj<'h>) -> PyResult<'h, Option<Obj<'h>>> {
        if k.kind() == Kind::Instance {
            self.hash(k)?;
        }
        Ok(d.get(k)?)
    }
    pub fn dict_set(&self, d: &Dict<'h>, k: &Obj<'h>, v: &Obj<'h>) -> PyResult<'h, ()> {
        if k.kind() == Kind::Instance {
            self.hash(k)?;
        }
        Ok(d.set(k, v)?)
    }
    /// `d.update(o)`: a dict, or an iterable of pairs.
    pub fn dict_update(&self, d: &Dict<'h>, o: &Obj<'h>) -> PyResult<'h, ()> {
        if let Ok(src) = o.as_dict() {
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

macro_rules! table {
    ($($name:literal => $f:ident),* $(,)?) => {
        &[$(($name, $f as NativeFn)),*]
    };
}

/// Methods of set and frozenset.
pub fn find(name: &str) -> Option<(&'static str, NativeFn)> {
    let tab: &[(&'static str, NativeFn)] = table! {
        "add" => add, "remove" => remove, "discard" => discard, "pop" => pop, "clear" => clear,
        "union" => union, "intersection" => intersection, "difference" => difference,
        "symmetric_difference" => symmetric_difference, "issubset" => issubset,
        "issuperset" => issuperset, "copy" => copy, "update" => update,
    };
    tab.iter().find(|(n, _)| *n == name).copied()
}

fn add<'h>(ctx: &Ctx<'h>, a: Args<'_, 'h>) -> PyResult<'h> {
    a.check("add", 2, 2)?;
    ctx.set_add(&a.pos[0], &a.pos[1])?;
    Ok(ctx.none())
}
fn remove<'h>(ctx: &Ctx<'h>, a: Args<'_, 'h>) -> PyResult<'h> {
    a.check("remove", 2, 2)?;
    let (d, _) = ctx.set_dict(&a.pos[0])?.expect("set");
    if ctx.dict_get(&d, &a.pos[1])?.is_none() {
        return Err(ctx.key_error(&a.pos[1]));
    }
    d.remove(&a.pos[1])?;
    Ok(ctx.none())
}
fn discard<'h>(ctx: &Ctx<'h>, a: Args<'_, 'h>) -> PyResult<'h> {
    a.check("discard", 2, 2)?;
    let (d, _) = ctx.set_dict(&a.pos[0])?.expect("set");
    if ctx.dict_get(&d, &a.pos[1])?.is_some() {
        d.remove(&a.pos[1])?;
    }
    Ok(ctx.none())
}
fn pop<'h>(ctx: &Ctx<'h>, a: Args<'_, 'h>) -> PyResult<'h> {
    let (d, _) = ctx.set_dict(&a.pos[0])?.expect("set");
    match d.keys().into_iter().next() {
        Some(k) => {
            d.remove(&k)?;
            Ok(k)
        }
        None => err(ExcTy::KeyError, "'pop from an empty set'"),
    }
}
fn clear<'h>(ctx: &Ctx<'h>, a: Args<'_, 'h>) -> PyResult<'h> {
    ctx.set_dict(&a.pos[0])?.expect("set").0.clear();
    Ok(ctx.none())
}
fn with_other<'h>(ctx: &Ctx<'h>, a: &Args<'_, 'h>, op: BinOp) -> PyResult<'h> {
    let mut acc = a.pos[0].clone();
    for o in &a.pos[1..] {
        let other = if ctx.set_dict(o)?.is_some() {
            o.clone()
        } else {
            ctx.new_set(&ctx.collect(o)?)?
        };
        acc = ctx.set_op(op, &acc, &other)?.expect("sets");
    }
    if a.pos.len() == 1 {
        return copy(ctx, *a);
    }
    Ok(acc)
}
fn union<'h>(ctx: &Ctx<'h>, a: Args<'_, 'h>) -> PyResult<'h> {
    with_other(ctx, &a, BinOp::Or)
}
fn intersection<'h>(ctx: &Ctx<'h>, a: Args<'_, 'h>) -> PyResult<'h> {
    with_other(ctx, &a, BinOp::And)
}
fn difference<'h>(ctx: &Ctx<'h>, a: Args<'_, 'h>) -> PyResult<'h> {
    with_other(ctx, &a, BinOp::Sub)
}
fn symmetric_difference<'h>(ctx: &Ctx<'h>, a: Args<'_, 'h>) -> PyResult<'h> {
    with_other(ctx, &a, BinOp::Xor)
}
fn issubset<'h>(ctx: &Ctx<'h>, a: Args<'_, 'h>) -> PyResult<'h> {
    a.check("issubset", 2, 2)?;
    let other = ctx.new_set(&ctx.collect(&a.pos[1])?)?;
    Ok(ctx.bool(ctx.set_cmp(CmpOp::Le, &a.pos[0], &other)?.unwrap_or(false)))
}
fn issuperset<'h>(ctx: &Ctx<'h>, a: Args<'_, 'h>) -> PyResult<'h> {
    a.check("issuperset", 2, 2)?;
    let other = ctx.new_set(&ctx.collect(&a.pos[1])?)?;
    Ok(ctx.bool(ctx.set_cmp(CmpOp::Ge, &a.pos[0], &other)?.unwrap_or(false)))
}
fn copy<'h>(ctx: &Ctx<'h>, a: Args<'_, 'h>) -> PyResult<'h> {
    let (items, f) = ctx.set_items(&a.pos[0])?;
    ctx.make_set(items, f)
}
fn update<'h>(ctx: &Ctx<'h>, a: Args<'_, 'h>) -> PyResult<'h> {
    for o in &a.pos[1..] {
        for x in ctx.collect(o)? {
            ctx.set_add(&a.pos[0], &x)?;
        }
    }
    Ok(ctx.none())
}
