//! Classes with a built-in base: `class Stack(list)`, `class Name(str)`, `class Tally(dict)`.
//! Each instance carries its built-in value (a real list, str, dict ... on the heap) as the
//! native payload of its class (the runtime's native bases, `runtime/src/builtins/native.rs`),
//! next to its attribute table, so the collector sees the value through the instance.
//!
//! ```text
//!   Stack([1, 2]) ─▶ instance [GcHead][header][attrs][native] ──▶ BaseValue ──▶ [1, 2]
//!                                            └ s.name = ...        (a list object)
//! ```
//!
//! - Making one: immutable values (int, float, str, tuple, bytes, frozenset) are made by the
//!   base type's `__new__` from the call's arguments; mutable ones (list, dict, set) start
//!   empty and the base type's `__init__` fills them, as in CPython. A class's own `__new__` /
//!   `__init__` run instead and reach the base's through `super()`.
//! - Using one: where the class defines nothing itself, operators and protocols act on the
//!   value (`Ctx::call_special` falls back to [`Ctx::call_base_special`]): `len(s)`, `s[0]`,
//!   `s + [3]` (a plain list, as CPython's), `for x in s`, `repr(s)`, `s == [1, 2]`, a str
//!   subclass hashing as its str. `s += [3]` updates the value and keeps `s`.
//! - Methods of the base type found along the MRO (`s.append`, `super().__setitem__`) are bound
//!   to the value; `object`'s attribute protocol (`__setattr__`, `__init__`, `__new__`) to the
//!   instance. `d[k]` on a dict subclass with `__missing__` calls it for a missing key.
//!
//! Not modelled: `type(x)(...)` copies of subclass values by built-in methods (they return the
//! base type, as CPython's mostly do), and `list.append(s, x)` through the built-in class with
//! a subclass instance (a bound `s.append(x)` works).

use super::slot_methods;
use crate::objects::function::NativeFn;
use crate::vm::{Args, Ctx, ExcTy, PyResult, Raise, Ty, err};
use pyheap_runtime::{ClassSpec, Kind, Member, Obj, UserType, Visitor};

/// The built-in types Python code may subclass here, in the order the const parameter of
/// [`base_new`] / [`base_init`] indexes.
const SUBCLASSABLE: [Ty; 9] = [
    Ty::Int,
    Ty::Float,
    Ty::Str,
    Ty::Bytes,
    Ty::Tuple,
    Ty::FrozenSet,
    Ty::List,
    Ty::Dict,
    Ty::Set,
];

/// Whether Python code may subclass built-in type `t` here.
pub fn subclassable(t: Ty) -> bool {
    SUBCLASSABLE.contains(&t)
}

/// Whether a value of `t` is made empty by `__new__` and filled by `__init__`.
fn mutable(t: Ty) -> bool {
    matches!(t, Ty::List | Ty::Dict | Ty::Set)
}

/// The payload of an instance of a class with a built-in base: the value.
#[derive(Default)]
pub struct BaseValue {
    pub value: Option<Member>,
}

impl UserType for BaseValue {
    const NAME: &'static str = "base value";
    fn traverse(&self, v: &mut Visitor<'_>) {
        v.visit_opt(&self.value);
    }
    fn clear(&mut self) {
        self.value = None;
    }
}

/// The class spec's part for a class whose bases include built-in type `t`.
pub fn with_base_value(spec: ClassSpec) -> ClassSpec {
    spec.with_native(BaseValue::default)
}

/// After a class with built-in base `t` got its namespace: hashing and equality follow the
/// value (`__hash__`/`__eq__` stored on the class, so the heap's dicts and sets hash a str
/// subclass as its str), or `__hash__ = None` for mutable values, as CPython's types have;
/// what the class defines itself stays.
pub fn complete_class<'h>(ctx: &Ctx<'h>, cls: &Obj<'h>, t: Ty) -> PyResult<'h, ()> {
    let c = cls.as_class()?;
    let own_eq = c.get_own("__eq__").is_some();
    if c.get_own("__hash__").is_none() {
        if mutable(t) {
            c.setattr("__hash__", &ctx.none())?;
        } else if !own_eq && let Some((n, f)) = slot_methods::find(t, "__hash__") {
            c.setattr("__hash__", &ctx.native_method(n, f)?)?;
        }
    }
    if !own_eq && let Some((n, f)) = slot_methods::find(t, "__eq__") {
        c.setattr("__eq__", &ctx.native_method(n, f)?)?;
    }
    Ok(())
}

/// `t.__new__` for a subclassable `t`, or None.
pub fn new_fn(t: Ty) -> Option<NativeFn> {
    const NEW: [NativeFn; 9] = [
        base_new::<0>,
        base_new::<1>,
        base_new::<2>,
        base_new::<3>,
        base_new::<4>,
        base_new::<5>,
        base_new::<6>,
        base_new::<7>,
        base_new::<8>,
    ];
    SUBCLASSABLE.iter().position(|s| *s == t).map(|i| NEW[i])
}

/// `t.__init__` for a mutable `t` (list, dict, set), or None.
pub fn init_fn(t: Ty) -> Option<NativeFn> {
    match t {
        Ty::List => Some(base_init::<6>),
        Ty::Dict => Some(base_init::<7>),
        Ty::Set => Some(base_init::<8>),
        _ => None,
    }
}

/// `T.__new__(cls, *args)`: a `T` for `T` itself; an instance of subclass `cls` holding a new
/// `T` (made from the arguments for immutable types, empty for mutable ones).
fn base_new<'h, const I: usize>(ctx: &Ctx<'h>, a: Args<'_, 'h>) -> PyResult<'h> {
    let t = SUBCLASSABLE[I];
    let base = ctx.ty(t).obj();
    let Some(cls) = a.pos.first() else {
        return err(
            ExcTy::TypeError,
            format!("{}.__new__(): not enough arguments", t.name()),
        );
    };
    if cls.kind() != Kind::Class {
        return err(
            ExcTy::TypeError,
            format!(
                "{}.__new__(X): X is not a type object ({})",
                t.name(),
                ctx.type_name(cls)
            ),
        );
    }
    let rest = Args {
        pos: &a.pos[1..],
        kw: a.kw,
    };
    if cls.is(&base) {
        return ctx.construct_builtin(t, &base, rest);
    }
    if !ctx.is_subclass(cls, &base) {
        return err(
            ExcTy::TypeError,
            format!(
                "{}.__new__({}): {} is not a subtype of {}",
                t.name(),
                ctx.class_name(cls),
                ctx.class_name(cls),
                t.name()
            ),
        );
    }
    let value = if mutable(t) {
        ctx.construct_builtin(t, &base, Args { pos: &[], kw: &[] })?
    } else {
        ctx.construct_builtin(t, &base, rest)?
    };
    let inst = cls.as_class()?.instantiate()?;
    inst.native_mut::<BaseValue>()?.value = Some(Member::new(&value));
    Ok(inst.into_obj())
}

/// `T.__init__(self, *args)` of a mutable `T`: the value's contents become `T(*args)`'s.
fn base_init<'h, const I: usize>(ctx: &Ctx<'h>, a: Args<'_, 'h>) -> PyResult<'h> {
    let t = SUBCLASSABLE[I];
    let Some(this) = a.pos.first() else {
        return err(
            ExcTy::TypeError,
            format!(
                "descriptor '__init__' of '{}' object needs an argument",
                t.name()
            ),
        );
    };
    let target = ctx.base_value(this).unwrap_or_else(|| this.clone());
    let base = ctx.ty(t).obj();
    let fresh = ctx.construct_builtin(
        t,
        &base,
        Args {
            pos: &a.pos[1..],
            kw: a.kw,
        },
    )?;
    match target.kind() {
        Kind::List => {
            let l = target.as_list()?;
            l.clear();
            l.extend(&fresh.as_list()?.to_vec())?;
        }
        Kind::Dict => {
            target.as_dict()?.clear();
            ctx.dict_update(target.as_dict()?, &fresh)?;
        }
        Kind::Set => {
            let s = target.as_set()?;
            s.clear()?;
            for x in fresh.as_set()?.to_vec() {
                s.add(&x)?;
            }
        }
        _ => {
            return err(
                ExcTy::TypeError,
                format!(
                    "descriptor '__init__' requires a '{}' object but received a '{}'",
                    t.name(),
                    ctx.type_name(this)
                ),
            );
        }
    }
    Ok(ctx.none())
}

impl<'h> Ctx<'h> {
    /// The built-in base type of a user class (`list` for `class Stack(list)`), if any.
    pub fn builtin_base(&self, cls: &Obj<'h>) -> Option<Ty> {
        self.mro(cls)
            .iter()
            .filter_map(|c| self.builtin_ty(c))
            .find(|t| subclassable(*t))
    }

    /// `name` from the classes of `cls`'s MRO up to its first built-in one: what the class
    /// itself (or a user base) defines rather than inherits from a built-in type.
    fn defined_before_builtin(&self, cls: &Obj<'h>, name: &str) -> Option<Obj<'h>> {
        for c in self.mro(cls) {
            if self.builtin_ty(&c).is_some() {
                return None;
            }
            if let Some(v) = c.as_class().ok()?.get_own(name) {
                return Some(v);
            }
        }
        None
    }

    /// The built-in value an instance of a class with a built-in base carries.
    pub fn base_value(&self, o: &Obj<'h>) -> Option<Obj<'h>> {
        let inst = o.as_instance().ok()?;
        let v = inst.native::<BaseValue>().ok()?;
        v.value.as_ref()?.get(self.heap).ok()
    }

    /// `args[0]` replaced by its built-in value when it is an instance carrying one and the
    /// method `name` acts on the value (not object's attribute protocol): the instance, if so.
    pub fn unbound_self(&self, name: &str, args: &mut [Obj<'h>]) -> Option<Obj<'h>> {
        let first = args.first()?;
        if first.kind() != Kind::Instance || slot_methods::takes_instance(name) {
            return None;
        }
        let v = self.base_value(first)?;
        Some(std::mem::replace(&mut args[0], v))
    }

    /// `cls(*args, **kw)` for a class with built-in base `t`: the class's own `__new__` or
    /// `t.__new__`, then its own `__init__` or (mutable `t`) `t.__init__`.
    pub fn call_builtin_subclass(
        &self,
        cls: &Obj<'h>,
        t: Ty,
        args: Vec<Obj<'h>>,
        kw: Vec<(Obj<'h>, Obj<'h>)>,
    ) -> PyResult<'h> {
        let inst = match self.defined_before_builtin(cls, "__new__") {
            Some(new) => {
                let new = self.unwrap_static(new)?;
                let mut a = vec![cls.clone()];
                a.extend(args.iter().cloned());
                self.call(&new, a, kw.clone())?
            }
            None => {
                let mut a = vec![cls.clone()];
                a.extend(args.iter().cloned());
                let new = new_fn(t).expect("subclassable type");
                new(self, Args { pos: &a, kw: &kw })?
            }
        };
        if !self.isinstance(&inst, cls) {
            return Ok(inst);
        }
        if self.defined_before_builtin(cls, "__init__").is_some() {
            self.init_instance(&inst, args, kw)?;
        } else if let Some(init) = init_fn(t) {
            let mut a = vec![inst.clone()];
            a.extend(args);
            init(self, Args { pos: &a, kw: &kw })?;
        }
        Ok(inst)
    }

    /// `type(o).name(o, *args)` for an instance whose class does not define `name` but carries
    /// a built-in value: the built-in type's special method on the value. A result that is
    /// the value itself (`__iadd__`) comes back as `o`.
    pub fn call_base_special(
        &self,
        o: &Obj<'h>,
        name: &str,
        args: &[Obj<'h>],
    ) -> Option<PyResult<'h>> {
        if slot_methods::takes_instance(name) {
            return None;
        }
        let v = self.base_value(o)?;
        let t = self.builtin_ty(&self.type_of(&v))?;
        // Only str has a `__str__` of its own; the others print their repr, which may be the
        // class's own `__repr__`.
        if name == "__str__" && t != Ty::Str {
            return None;
        }
        let (_, f) = slot_methods::find(t, name)?;
        let mut a = Vec::with_capacity(args.len() + 1);
        a.push(v.clone());
        a.extend_from_slice(args);
        let r = f(self, Args { pos: &a, kw: &[] });
        Some(match r {
            Ok(r) if r.is(&v) && slot_methods::is_inplace(name) => Ok(o.clone()),
            Err(e)
                if name == "__getitem__"
                    && v.kind() == Kind::Dict
                    && self.raise_matches(&e, ExcTy::KeyError) =>
            {
                self.missing(o, args, e)
            }
            r => r,
        })
    }

    /// `__missing__(key)` of a dict subclass, else the KeyError.
    fn missing(&self, o: &Obj<'h>, args: &[Obj<'h>], e: Raise<'h>) -> PyResult<'h> {
        match self.lookup_special(o, "__missing__") {
            Some(m) => {
                let mut a = vec![o.clone()];
                a.extend_from_slice(args);
                self.call(&m, a, vec![])
            }
            None => Err(e),
        }
    }
}
