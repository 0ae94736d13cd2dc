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

    /// `repr(C.a)`: `<member 'a' of 'C' objects>`.
    pub fn member_repr(&self, o: &Obj<'h>) -> PyResult<'h, Option<String>> {
        if !o.is_user::<MemberDescr>() {
            return Ok(None);
        }
        let (name, cls) = member_parts(self, o)?;
        Ok(Some(format!(
            "<member '{name}' of '{}' objects>",
            self.class_name(&cls)
        )))
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
