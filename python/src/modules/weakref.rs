//! `weakref`: `ref(obj[, callback])`, `getweakrefcount`, `getweakrefs`, `ReferenceType`, on the
//! runtime's traced weak references; `WeakValueDictionary`, `WeakKeyDictionary`, `WeakSet`,
//! `WeakMethod`, `finalize` and `proxy` are written in Python on top of `ref` with callbacks
//! (`weakref_prelude.py`), so each entry is an ordinary heap object the collector sees.
//!
//! ```text
//!   obj [weaklist] ──▶ wr (basic, no callback: at most one, shared) ──▶ wr(cb1) ──▶ wr(cb2)
//!                       ▲ weakref.ref(obj) returns this one again
//!   wr ──(callback, a strong, traversed reference)──▶ cb   called as cb(wr) through the heap's
//!                                                         call hook (vm/hook.rs) when obj dies
//! ```
//!
//! - `weakref.ref` is the `weakref` type itself (`type(r) is weakref.ref`); calling a weakref
//!   returns its referent or `None`.
//! - Without a callback CPython hands out one shared weak reference per object (`ref(o) is
//!   ref(o)`), so `getweakrefcount` counts it once; a weakref with a callback is always new.
//! - When the referent dies by refcounting, its weakrefs are cleared and their callbacks run
//!   newest first; in a collection, weakrefs to unreachable objects are cleared before any
//!   `__del__` runs, and the callback of a weakref that is itself garbage never runs (the
//!   collector's `handle_weakrefs`, runtime and gc crates).
//! - Which objects accept weak references follows CPython 3.11: instances (unless `__slots__`
//!   leaves out `__weakref__`), classes, functions, bound methods, built-in functions, modules,
//!   generators, code objects, sets; not int, float, str, tuple, list, dict, None, range,
//!   iterators, slices, cells, tracebacks, descriptors or `super` objects.
//! - Proxies follow CPython 3.11's names (`weakref.ProxyType`, `weakref.CallableProxyType`,
//!   one shared proxy per object when there is no callback) with these differences: a proxy
//!   is an instance of a Python class, so `p.__class__` is the proxy type (CPython forwards it
//!   to the referent's class), `CallableProxyType` is a subclass of `ProxyType`, and only the
//!   common dunders are forwarded (comparisons, `+ - *`, `len`, items, `in`, `iter`, `next`,
//!   `bool`, `str`, calls). The weak dictionaries iterate over a snapshot instead of raising
//!   "changed size during iteration", and `WeakKeyDictionary`'s `KeyError` names the key
//!   (CPython names a weak reference to it).

use crate::vm::{Args, Ctx, ExcTy, PyResult, Ty, err};
use pyheap_runtime::{Obj, WeakRef};

pub fn make<'h>(ctx: &Ctx<'h>) -> PyResult<'h> {
    let m = ctx.new_module(
        "weakref",
        &[
            ("getweakrefcount", getweakrefcount),
            ("getweakrefs", getweakrefs),
            ("_setown", setown),
        ],
    )?;
    let ty = ctx.ty(Ty::WeakRef).obj();
    ctx.module_set(&m, "ref", &ty)?;
    ctx.module_set(&m, "ReferenceType", &ty)?;
    ctx.run_prelude(&m, PRELUDE, "<weakref>")?;
    Ok(m)
}

/// The Python half of the module: the weak dictionaries and the proxies, built on `ref` with
/// callbacks so that every entry is an ordinary heap object the collector traverses.
const PRELUDE: &str = include_str!("weakref_prelude.py");

/// `_setown(inst, name, value)`: store an instance attribute without going through the class's
/// `__setattr__` (a proxy forwards `__setattr__` to its referent, so it needs this for itself).
fn setown<'h>(ctx: &Ctx<'h>, a: Args<'_, 'h>) -> PyResult<'h> {
    a.check("_setown", 3, 3)?;
    let name = a.pos[1].str_value()?.to_string();
    a.pos[0].as_instance()?.setattr(&name, &a.pos[2])?;
    Ok(ctx.none())
}

/// Built-in types whose objects CPython refuses to weakly reference although pyheap's objects
/// of that type could carry a weak list.
fn refuses_weakrefs(t: Ty) -> bool {
    matches!(
        t,
        Ty::Range
            | Ty::Iterator
            | Ty::Slice
            | Ty::Cell
            | Ty::Super
            | Ty::Traceback
            | Ty::Frame
            | Ty::StaticMethod
            | Ty::ClassMethod
            | Ty::Property
            | Ty::NotImplementedType
            | Ty::Ellipsis
            | Ty::DictKeys
            | Ty::DictValues
            | Ty::DictItems
    )
}

/// `weakref.ref(obj[, callback])` (the `weakref` type's constructor).
pub fn construct<'h>(ctx: &Ctx<'h>, a: Args<'_, 'h>) -> PyResult<'h> {
    if !a.kw.is_empty() {
        return err(ExcTy::TypeError, "ref() takes no keyword arguments");
    }
    match a.len() {
        1 | 2 => {}
        n if n < 1 => {
            return err(
                ExcTy::TypeError,
                "__new__ expected at least 1 argument, got 0",
            );
        }
        n => {
            return err(
                ExcTy::TypeError,
                format!("__new__ expected at most 2 arguments, got {n}"),
            );
        }
    }
    let obj = &a.pos[0];
    let callback = a.get(1).filter(|c| !c.is_none());
    if let Some(t) = ctx.builtin_ty(&ctx.type_of(obj))
        && refuses_weakrefs(t)
    {
        return err(
            ExcTy::TypeError,
            format!("cannot create weak reference to '{}' object", t.name()),
        );
    }
    let wr = match callback {
        Some(cb) => ctx.heap.weakref_with_callable(obj, cb)?,
        None => match basic_ref(ctx, obj) {
            Some(shared) => shared,
            None => ctx.heap.weakref(obj, None)?,
        },
    };
    Ok(wr.into_obj())
}

/// The weakref without a callback that `obj` already has, if any (CPython reuses it).
fn basic_ref<'h>(ctx: &Ctx<'h>, obj: &Obj<'h>) -> Option<WeakRef<'h>> {
    ctx.heap
        .getweakrefs(obj)
        .into_iter()
        .find(|w| !w.has_callback())
}

/// `wr()`: the referent, or `None` once it died.
pub fn call_ref<'h>(ctx: &Ctx<'h>, wr: &Obj<'h>, a: Args<'_, 'h>) -> PyResult<'h> {
    if !a.kw.is_empty() {
        return err(ExcTy::TypeError, "weakref() takes no keyword arguments");
    }
    if !a.is_empty() {
        return err(
            ExcTy::TypeError,
            format!("weakref expected 0 arguments, got {}", a.len()),
        );
    }
    Ok(wr.as_weakref()?.get().unwrap_or_else(|| ctx.none()))
}

/// `wr.__callback__`: the callback while it has not run, else `None`.
pub fn callback_attr<'h>(ctx: &Ctx<'h>, wr: &Obj<'h>) -> PyResult<'h> {
    Ok(wr.as_weakref()?.callback().unwrap_or_else(|| ctx.none()))
}

fn getweakrefcount<'h>(ctx: &Ctx<'h>, a: Args<'_, 'h>) -> PyResult<'h> {
    a.check("getweakrefcount", 1, 1)?;
    ctx.int(ctx.heap.getweakrefcount(&a.pos[0]) as i64)
}

fn getweakrefs<'h>(ctx: &Ctx<'h>, a: Args<'_, 'h>) -> PyResult<'h> {
    a.check("getweakrefs", 1, 1)?;
    let refs: Vec<Obj<'h>> = ctx
        .heap
        .getweakrefs(&a.pos[0])
        .into_iter()
        .map(WeakRef::into_obj)
        .collect();
    Ok(ctx.heap.list(&refs)?.into_obj())
}
