//! Metaclasses: `class Meta(type)`, `class A(metaclass=Meta)`, and what `type` itself does as a
//! class (`type.__new__`, `type.__init__`, `type.__call__`).
//!
//! A class made by a metaclass is an ordinary runtime class whose own type is the metaclass
//! (the runtime's `ClassSpec::with_metaclass`: its header points at the metaclass's type
//! object, and it holds a strong reference to the metaclass, traversed by the collector).
//!
//! ```text
//!   class Meta(type)      Meta: a class whose instances are classes (`metaclass_base`)
//!   class A(metaclass=Meta)   A ──type──▶ Meta      type(A) is Meta, isinstance(A, Meta)
//!   class B(A)            B ──type──▶ Meta      (the most derived metaclass of the bases)
//!   A.hello               A's MRO, then Meta's (CPython's type_getattro order)
//!   A(...)                Meta.__call__ if defined, else type.__call__: A.__new__, A.__init__
//! ```
//!
//! The class statement (`__build_class__`, functions.rs) picks the metaclass as CPython's
//! `_PyType_CalculateMetaclass`, asks it for `__prepare__`, runs the body in that namespace and
//! calls the metaclass with `(name, bases, ns, **kw)`; `type.__new__` fills the `__class__`
//! cell the body left in `__classcell__`.

use crate::objects::function::{WrapKind, Wrapper};
use crate::vm::{Args, Ctx, ExcTy, PyResult, Ty, err};
use pyheap_runtime::{Kind, Obj};

pub const TYPE_METHODS: super::Table = table! {
    "__new__" => type_new, "__init__" => type_init, "__call__" => type_call, "mro" => type_mro,
};

const CONFLICT: &str = "metaclass conflict: the metaclass of a derived class must be a \
                        (non-strict) subclass of the metaclasses of all its bases";

impl<'h> Ctx<'h> {
    /// CPython's `_PyType_CalculateMetaclass`: the most derived of `meta` and the bases'
    /// metaclasses, or the metaclass conflict.
    pub fn calculate_meta(&self, meta: &Obj<'h>, bases: &[Obj<'h>]) -> PyResult<'h> {
        let mut winner = meta.clone();
        for b in bases {
            let t = self.type_of(b);
            if self.is_subclass(&winner, &t) {
                continue;
            }
            if self.is_subclass(&t, &winner) {
                winner = t;
                continue;
            }
            return err(ExcTy::TypeError, CONFLICT);
        }
        Ok(winner)
    }

    /// Whether `meta` is a user metaclass (a class whose instances are classes, not `type`).
    pub fn is_user_meta(&self, meta: &Obj<'h>) -> bool {
        meta.as_class().is_ok_and(|c| c.makes_classes())
    }

    /// The class statement's namespace: `meta.__prepare__(name, bases, **kw)` when the
    /// metaclass has one, else a new dict.
    pub fn prepare_namespace(
        &self,
        meta: &Obj<'h>,
        name: &str,
        bases: &[Obj<'h>],
        kw: &[(Obj<'h>, Obj<'h>)],
    ) -> PyResult<'h, pyheap_runtime::Dict<'h>> {
        if !self.is_user_meta(meta) {
            return Ok(self.heap.dict()?);
        }
        let prep = match self.getattr(meta, "__prepare__") {
            Ok(p) => p,
            Err(e) if self.raise_matches(&e, ExcTy::AttributeError) => {
                return Ok(self.heap.dict()?);
            }
            Err(e) => return Err(e),
        };
        let bases = self.heap.tuple(bases)?.into_obj();
        let ns = self.call(&prep, vec![self.str(name)?, bases], kw.to_vec())?;
        match ns.as_dict() {
            Ok(d) if ns.kind() == Kind::Dict => Ok(d.clone()),
            _ if ns.kind() == Kind::Instance => err(
                ExcTy::TypeError,
                "a __prepare__ returning a mapping that is not a dict is not supported by pyheap yet",
            ),
            _ => err(
                ExcTy::TypeError,
                format!(
                    "{}.__prepare__() must return a mapping, not {}",
                    self.class_name(meta),
                    self.type_name(&ns)
                ),
            ),
        }
    }

    /// `cls(*args, **kw)` where `cls`'s metaclass defines `__call__`: that method's result.
    pub fn metaclass_call(
        &self,
        cls: &Obj<'h>,
        args: &mut Vec<Obj<'h>>,
        kw: &mut Vec<(Obj<'h>, Obj<'h>)>,
    ) -> Option<PyResult<'h>> {
        let meta = cls.as_class().ok()?.metaclass()?;
        let f = meta.lookup("__call__")?;
        let mut a = Vec::with_capacity(args.len() + 1);
        a.push(cls.clone());
        a.append(args);
        Some(self.call(&f, a, std::mem::take(kw)))
    }

    /// `Meta(*args, **kw)` through `type.__call__`: `Meta.__new__` (or `type.__new__`), then,
    /// when the result is an instance of `Meta`, `Meta.__init__`.
    pub fn metaclass_instantiate(
        &self,
        meta: &Obj<'h>,
        args: Vec<Obj<'h>>,
        kw: Vec<(Obj<'h>, Obj<'h>)>,
    ) -> PyResult<'h> {
        let mut a = Vec::with_capacity(args.len() + 1);
        a.push(meta.clone());
        a.extend(args.iter().cloned());
        let o = match self.lookup_type(meta, "__new__") {
            Some(new) => {
                let new = self.unwrap_static(new)?;
                self.call(&new, a, kw.clone())?
            }
            None => type_new(self, Args { pos: &a, kw: &kw })?,
        };
        if !self.isinstance(&o, meta) {
            return Ok(o);
        }
        self.metaclass_init(&o, args, kw)?;
        Ok(o)
    }

    /// `type(cls).__init__(cls, *args, **kw)` after a class was made by a user metaclass (a
    /// user-defined `__init__` only: `type.__init__` does nothing).
    pub fn metaclass_init(
        &self,
        cls: &Obj<'h>,
        mut args: Vec<Obj<'h>>,
        kw: Vec<(Obj<'h>, Obj<'h>)>,
    ) -> PyResult<'h, ()> {
        let meta = self.type_of(cls);
        if !self.is_user_meta(&meta) {
            return Ok(());
        }
        if let Some(init) = self.lookup_type(&meta, "__init__") {
            args.insert(0, cls.clone());
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
        Ok(())
    }

    /// `cls.name` found on `cls`'s metaclass: `before` asks for data descriptors only (a
    /// property of the metaclass comes before the class's own attributes, as in CPython's
    /// `type_getattro`), else any attribute, bound to `cls` as an instance of the metaclass.
    pub fn metaclass_attr(
        &self,
        cls: &Obj<'h>,
        name: &str,
        before: bool,
    ) -> PyResult<'h, Option<Obj<'h>>> {
        let Some(meta) = cls.as_class()?.metaclass() else {
            return Ok(None);
        };
        let Some(d) = meta.lookup(name) else {
            // `type`'s own methods (`C.mro()`), bound to the class.
            return match super::methods::find(Ty::Type, name) {
                Some((n, f)) if !before => Ok(Some(self.bound_native(n, f, cls)?)),
                _ => Ok(None),
            };
        };
        let meta = meta.into_obj();
        if let Some(w) = d.downcast_user::<Wrapper>() {
            let (kind, f) = {
                let b = w.borrow()?;
                (b.kind, b.f.as_ref().map(|m| m.get(self.heap)).transpose()?)
            };
            if before && kind != WrapKind::Property {
                return Ok(None);
            }
            let f = f.unwrap_or_else(|| self.none());
            return Ok(Some(match kind {
                WrapKind::StaticMethod => f,
                WrapKind::ClassMethod => self.bound_method(&f, &meta)?,
                WrapKind::Property => {
                    if f.is_none() {
                        return err(
                            ExcTy::AttributeError,
                            format!("property '{name}' has no getter"),
                        );
                    }
                    self.call1(&f, std::slice::from_ref(cls))?
                }
            }));
        }
        if d.kind() == Kind::Instance {
            let get = self.lookup_special(&d, "__get__");
            let data = self.lookup_special(&d, "__set__").is_some()
                || self.lookup_special(&d, "__delete__").is_some();
            if before && !data {
                return Ok(None);
            }
            if let Some(get) = get {
                return Ok(Some(self.call1(&get, &[d, cls.clone(), meta])?));
            }
        }
        if before {
            return Ok(None);
        }
        if d.is_user::<crate::objects::function::Function>() {
            return Ok(Some(self.bound_method(&d, cls)?));
        }
        Ok(Some(d))
    }

    /// `isinstance(o, cls)` / `issubclass(o, cls)` by `cls`'s metaclass's `hook`
    /// (`__instancecheck__`, `__subclasscheck__`), if it defines one; an exact type match
    /// answers True without it, as in CPython.
    pub fn metaclass_check(&self, o: &Obj<'h>, cls: &Obj<'h>, hook: &str) -> Option<PyResult<'h>> {
        if cls.kind() != Kind::Class {
            return None;
        }
        let f = self.lookup_special(cls, hook)?;
        if hook == "__instancecheck__" && self.type_of(o).is(cls) {
            return Some(Ok(self.bool(true)));
        }
        Some(
            self.call1(&f, &[cls.clone(), o.clone()])
                .and_then(|r| Ok(self.bool(self.truthy(&r)?))),
        )
    }

    /// `repr(cls)` by its metaclass's `__repr__`, if it defines one.
    pub fn metaclass_repr(&self, cls: &Obj<'h>) -> Option<PyResult<'h>> {
        let meta = cls.as_class().ok()?.metaclass()?;
        let f = meta.lookup("__repr__")?;
        Some(self.call1(&f, std::slice::from_ref(cls)))
    }
}

/// `type.__new__(mcs, name, bases, ns, **kw)`: a new class whose type is the most derived
/// metaclass (`type(x)` with `mcs` `type` and one argument).
pub fn type_new<'h>(ctx: &Ctx<'h>, a: Args<'_, 'h>) -> PyResult<'h> {
    let Some(mcs) = a.pos.first() else {
        return err(ExcTy::TypeError, "type.__new__(): not enough arguments");
    };
    if mcs.kind() != Kind::Class {
        return err(
            ExcTy::TypeError,
            format!(
                "type.__new__(X): X is not a type object ({})",
                ctx.type_name(mcs)
            ),
        );
    }
    let type_ = ctx.ty(Ty::Type).obj();
    if !ctx.is_subclass(mcs, &type_) {
        return err(
            ExcTy::TypeError,
            format!(
                "type.__new__({}): {} is not a subtype of type",
                ctx.class_name(mcs),
                ctx.class_name(mcs)
            ),
        );
    }
    let args = &a.pos[1..];
    if args.len() == 1 && mcs.is(&type_) && a.kw.is_empty() {
        return Ok(ctx.type_of(&args[0]));
    }
    if args.len() != 3 {
        return err(
            ExcTy::TypeError,
            if mcs.is(&type_) {
                "type() takes 1 or 3 arguments".to_string()
            } else {
                format!(
                    "type.__new__() takes exactly 3 arguments ({} given)",
                    args.len()
                )
            },
        );
    }
    let Ok(name) = args[0].str_value() else {
        return err(
            ExcTy::TypeError,
            format!(
                "type.__new__() argument 1 must be str, not {}",
                ctx.type_name(&args[0])
            ),
        );
    };
    let name = name.to_string();
    if args[1].kind() != Kind::Tuple {
        return err(
            ExcTy::TypeError,
            format!(
                "type.__new__() argument 2 must be tuple, not {}",
                ctx.type_name(&args[1])
            ),
        );
    }
    if args[2].kind() != Kind::Dict {
        return err(
            ExcTy::TypeError,
            format!(
                "type.__new__() argument 3 must be dict, not {}",
                ctx.type_name(&args[2])
            ),
        );
    }
    let given = ctx.seq_items(&args[1])?;
    let winner = ctx.calculate_meta(mcs, &given)?;
    // A more derived metaclass with its own `__new__` makes the class (CPython's type_new).
    if !winner.is(mcs)
        && let Some(new) = ctx.lookup_type(&winner, "__new__")
    {
        let new = ctx.unwrap_static(new)?;
        let mut v = vec![winner.clone()];
        v.extend(args.iter().cloned());
        return ctx.call(&new, v, a.kw.to_vec());
    }
    let ns = ctx.heap.dict()?;
    ctx.dict_update(&ns, &args[2])?;
    if ns.get(&ctx.intern("__module__")?)?.is_none() {
        ns.set(&ctx.intern("__module__")?, &ctx.str("__main__")?)?;
    }
    if ns.get(&ctx.intern("__qualname__")?)?.is_none() {
        ns.set(&ctx.intern("__qualname__")?, &ctx.str(&name)?)?;
    }
    let cell_key = ctx.intern("__classcell__")?;
    let cell = match ns.get(&cell_key)? {
        Some(c) => {
            ns.remove(&cell_key)?;
            c
        }
        None => ctx.none(),
    };
    let bases = super::functions::class_bases(ctx, &given)?;
    let cls = super::functions::make_class(ctx, &name, bases, &ns, &cell, Some(&winner))?;
    super::functions::init_subclass(ctx, &cls, a.kw)?;
    Ok(cls)
}

/// `type.__init__(cls, *args, **kw)`: checks its arguments, does nothing.
fn type_init<'h>(ctx: &Ctx<'h>, a: Args<'_, 'h>) -> PyResult<'h> {
    let n = a.pos.len().saturating_sub(1);
    if !a.kw.is_empty() && n == 1 {
        return err(
            ExcTy::TypeError,
            "type.__init__() takes no keyword arguments",
        );
    }
    if n != 1 && n != 3 {
        return err(ExcTy::TypeError, "type.__init__() takes 1 or 3 arguments");
    }
    Ok(ctx.none())
}

/// `type.__call__(cls, *args, **kw)`: make an instance of `cls` (its `__new__`, `__init__`),
/// without a metaclass's `__call__` (what `super().__call__(...)` in one reaches).
fn type_call<'h>(ctx: &Ctx<'h>, a: Args<'_, 'h>) -> PyResult<'h> {
    let Some(cls) = a.pos.first() else {
        return err(
            ExcTy::TypeError,
            "descriptor '__call__' of 'type' object needs an argument",
        );
    };
    if cls.kind() != Kind::Class {
        return err(
            ExcTy::TypeError,
            format!(
                "descriptor '__call__' requires a 'type' object but received a '{}'",
                ctx.type_name(cls)
            ),
        );
    }
    ctx.type_call(cls, a.pos[1..].to_vec(), a.kw.to_vec())
}

impl<'h> Ctx<'h> {
    /// `type.__setattr__(cls, name, v)`: the class's own attribute (built-in types refuse).
    pub fn class_store(&self, o: &Obj<'h>, name: &str, v: Obj<'h>) -> PyResult<'h, ()> {
        if self.builtin_ty(o).is_some() {
            return err(
                ExcTy::TypeError,
                format!(
                    "cannot set '{name}' attribute of immutable type '{}'",
                    self.class_name(o)
                ),
            );
        }
        o.as_class()?.setattr(name, &v)?;
        Ok(())
    }
}

/// `cls.mro()`: the method resolution order as a list.
fn type_mro<'h>(ctx: &Ctx<'h>, a: Args<'_, 'h>) -> PyResult<'h> {
    let Some(cls) = a.pos.first() else {
        return err(
            ExcTy::TypeError,
            "unbound method type.mro() needs an argument",
        );
    };
    a.check_method("mro", 0, 0)?;
    if cls.kind() != Kind::Class {
        return err(
            ExcTy::TypeError,
            format!(
                "descriptor 'mro' requires a 'type' object but received a '{}'",
                ctx.type_name(cls)
            ),
        );
    }
    Ok(ctx.heap.list(&ctx.mro(cls))?.into_obj())
}
