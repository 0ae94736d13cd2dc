//! Member descriptors (`member_descriptor`): the class attribute CPython makes for each name in
//! `__slots__` (`C.a` is `<member 'a' of 'C' objects>`), with `__get__`, `__set__` and
//! `__delete__` reading and writing that slot of an instance of the owning class.
//!
//! Ordinary `obj.a` does not go through this object: the instance's own slot is read first (the
//! runtime keeps slot values in their words), and only a miss meets the descriptor, which then
//! raises CPython's `'C' object has no attribute 'a'` instead of answering the descriptor.
//!
//! ```text
//!   class C: __slots__ = ('a',)   ──► C.__dict__['a'] = member('a', objclass=C)
//!   C.a.__get__(obj, C)           ──► obj's slot 'a' (AttributeError when unset)
//!   C.a.__get__(None, C)          ──► the descriptor itself
//! ```

use crate::vm::{Args, Ctx, ExcTy, PyResult, err};
use pyheap_runtime::{Member, Obj, UserType, Visitor};

/// One slot's descriptor: the (mangled) slot name and the class that declared it.
pub struct MemberDescr {
    pub name: String,
    pub objclass: Member,
}

impl UserType for MemberDescr {
    const NAME: &'static str = "member_descriptor";
    fn traverse(&self, v: &mut Visitor<'_>) {
        v.visit(&self.objclass);
    }
    fn clear(&mut self) {}
}

/// The `__dict__` / `__weakref__` entry of a class's namespace (CPython's getset descriptor,
/// `<attribute '__dict__' of 'A' objects>`), in the class that first gave its instances an
/// attribute table or weak references. Instance look-ups do not go through it (the runtime
/// answers `o.__dict__` itself); it is what `vars(C)` and `C.__dict__` show.
pub struct GetSetDescr {
    pub name: &'static str,
    pub objclass: Member,
}

impl UserType for GetSetDescr {
    const NAME: &'static str = "getset_descriptor";
    fn traverse(&self, v: &mut Visitor<'_>) {
        v.visit(&self.objclass);
    }
    fn clear(&mut self) {}
}

pub const METHODS: super::Table = table! {
    "__get__" => member_get, "__set__" => member_set, "__delete__" => member_delete,
};

impl<'h> Ctx<'h> {
    /// Put a member descriptor for each of `cls`'s own slot names into its namespace (after the
    /// class exists: the descriptor names it). `__dict__` and `__weakref__` are not members.
    pub fn install_members(&self, cls: &Obj<'h>, names: &[String]) -> PyResult<'h, ()> {
        let c = cls.as_class()?;
        for n in names {
            if matches!(n.as_str(), "__dict__" | "__weakref__") {
                continue;
            }
            let d = self.heap.new_user(MemberDescr {
                name: n.clone(),
                objclass: Member::new(cls),
            })?;
            c.setattr(n, &d)?;
        }
        Ok(())
    }

    /// The AttributeError of an unset slot `name` of `o` (CPython's wording).
    pub fn unset_member(&self, o: &Obj<'h>, name: &str) -> PyResult<'h> {
        err(
            ExcTy::AttributeError,
            format!("'{}' object has no attribute '{name}'", self.type_name(o)),
        )
    }

    /// `repr(C.a)`: `<member 'a' of 'C' objects>` (`<attribute '__dict__' of 'C' objects>`).
    pub fn member_repr(&self, o: &Obj<'h>) -> PyResult<'h, Option<String>> {
        let what = if o.is_user::<MemberDescr>() {
            "member"
        } else if o.is_user::<GetSetDescr>() {
            "attribute"
        } else {
            return Ok(None);
        };
        let (name, cls) = member_parts(self, o)?;
        Ok(Some(format!(
            "<{what} '{name}' of '{}' objects>",
            self.class_name(&cls)
        )))
    }

    /// `cls.__dict__` (a new dict): the class's own attributes, without what CPython keeps
    /// as type slots rather than dict entries (`__mro__`, `__bases__`, `__qualname__`, and the
    /// `__hash__`/`__eq__` a class with a built-in base takes from it, `subclass.rs`).
    pub fn class_dict(&self, cls: &Obj<'h>) -> PyResult<'h> {
        let c = cls.as_class()?;
        let builtin_base = self.builtin_base(cls).is_some();
        let d = self.heap.dict()?;
        for n in c.attr_names() {
            if matches!(n.as_str(), "__mro__" | "__bases__" | "__qualname__") {
                continue;
            }
            if let Some(v) = c.get_own(&n) {
                if builtin_base
                    && matches!(n.as_str(), "__hash__" | "__eq__")
                    && (v.is_none() || v.is_user::<crate::objects::function::Builtin>())
                {
                    continue;
                }
                d.set(&self.intern(&n)?, &v)?;
            }
        }
        Ok(d.into_obj())
    }

    /// CPython's `type_new` additions to a new class's namespace after its body's: the
    /// `__dict__` and `__weakref__` descriptors when the class is the first along its MRO to
    /// give its instances these (and `__slots__` allows them), then `__doc__ = None` without a
    /// docstring.
    pub fn add_type_attrs(&self, cls: &Obj<'h>, slots: Option<&[String]>) -> PyResult<'h, ()> {
        use crate::vm::Ty;
        let c = cls.as_class()?;
        let (mut has_dict, mut has_weak, mut no_weak) = (false, false, false);
        for b in self.mro(cls).iter().skip(1) {
            match self.builtin_ty(b) {
                Some(Ty::Type) => (has_dict, has_weak) = (true, true),
                Some(Ty::Set | Ty::FrozenSet) => has_weak = true,
                // Variable-sized values: no weak reference list can follow them.
                Some(Ty::Int | Ty::Bytes | Ty::Tuple) => no_weak = true,
                Some(_) => {}
                None if self.exc_types.iter().any(|e| e.is(b)) => has_dict = true,
                None => {
                    let bc = b.as_class()?;
                    has_dict |= bc.get_own("__dict__").is_some();
                    has_weak |= bc.get_own("__weakref__").is_some();
                }
            }
        }
        let allows = |n: &str| slots.is_none_or(|s| s.iter().any(|x| x == n));
        for (name, add) in [
            ("__dict__", !has_dict && allows("__dict__")),
            (
                "__weakref__",
                !has_weak && !no_weak && allows("__weakref__"),
            ),
        ] {
            if add && c.get_own(name).is_none() {
                let d = self.heap.new_user(GetSetDescr {
                    name,
                    objclass: Member::new(cls),
                })?;
                c.setattr(name, &d)?;
            }
        }
        if c.get_own("__doc__").is_none() {
            c.setattr("__doc__", &self.none())?;
        }
        Ok(())
    }

    /// The data attributes of a member descriptor (`__name__`, `__qualname__`, `__objclass__`,
    /// `__doc__`).
    pub fn member_attribute(&self, o: &Obj<'h>, name: &str) -> PyResult<'h, Option<Obj<'h>>> {
        let (n, cls) = member_parts(self, o)?;
        Ok(Some(match name {
            "__name__" => self.str(&n)?,
            "__qualname__" => self.str(&format!("{}.{n}", self.class_qualname(&cls)))?,
            "__objclass__" => cls,
            "__doc__" => self.none(),
            _ => return Ok(None),
        }))
    }
}

/// The descriptor's slot name and owning class.
fn member_parts<'h>(ctx: &Ctx<'h>, o: &Obj<'h>) -> PyResult<'h, (String, Obj<'h>)> {
    if let Some(g) = o.downcast_user::<GetSetDescr>() {
        let b = g.borrow()?;
        return Ok((b.name.to_string(), b.objclass.get(ctx.heap)?));
    }
    let m = o.as_user::<MemberDescr>()?;
    let b = m.borrow()?;
    Ok((b.name.clone(), b.objclass.get(ctx.heap)?))
}

/// The slot name, after checking that `obj` is an instance of the owning class (CPython's
/// `descr_check`).
fn checked<'h>(ctx: &Ctx<'h>, d: &Obj<'h>, obj: &Obj<'h>) -> PyResult<'h, String> {
    let (name, cls) = member_parts(ctx, d)?;
    if !ctx.isinstance(obj, &cls) {
        return err(
            ExcTy::TypeError,
            format!(
                "descriptor '{name}' for '{}' objects doesn't apply to a '{}' object",
                ctx.class_name(&cls),
                ctx.type_name(obj)
            ),
        );
    }
    Ok(name)
}

/// `C.a.__get__(obj, type=None)`: the slot's value; the descriptor itself when `obj` is None.
fn member_get<'h>(ctx: &Ctx<'h>, a: Args<'_, 'h>) -> PyResult<'h> {
    a.check_method("__get__", 1, 2)?;
    let (d, obj) = (&a.pos[0], &a.pos[1]);
    if obj.is_none() {
        return Ok(d.clone());
    }
    let name = checked(ctx, d, obj)?;
    match obj.as_instance()?.get_own(&name) {
        Some(v) => Ok(v),
        None => ctx.unset_member(obj, &name),
    }
}

/// `C.a.__set__(obj, value)`.
fn member_set<'h>(ctx: &Ctx<'h>, a: Args<'_, 'h>) -> PyResult<'h> {
    a.check_method("__set__", 2, 2)?;
    let name = checked(ctx, &a.pos[0], &a.pos[1])?;
    a.pos[1].as_instance()?.setattr(&name, &a.pos[2])?;
    Ok(ctx.none())
}

/// `C.a.__delete__(obj)`: CPython's message for an unset slot is the bare name.
fn member_delete<'h>(ctx: &Ctx<'h>, a: Args<'_, 'h>) -> PyResult<'h> {
    a.check_method("__delete__", 1, 1)?;
    let name = checked(ctx, &a.pos[0], &a.pos[1])?;
    match a.pos[1].as_instance()?.delattr(&name) {
        Ok(()) => Ok(ctx.none()),
        Err(pyheap_runtime::RuntimeError::MissingAttribute { .. }) => {
            err(ExcTy::AttributeError, name)
        }
        Err(e) => Err(e.into()),
    }
}
