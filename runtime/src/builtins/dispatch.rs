//! The hash, `==` and repr slots of instances: they find `__hash__`, `__eq__` and `__repr__`
//! along the class's MRO when called (CPython's `slot_tp_hash`, `slot_tp_richcompare`,
//! `slot_tp_repr`) and call them through the heap's call hook.
//!
//! ```text
//!   dict.set(inst, v) ─▶ hash slot ─▶ class dunder bits (cached) ─┬─ none: object.__hash__
//!                                                                  ├─ __hash__ = None / __eq__
//!                                                                  │  without __hash__: Unhashable
//!                                                                  └─ heap.call(__hash__, [inst])
//! ```
//!
//! These slots run user code (the interpreter behind the hook). The containers that call slots
//! hold strong references across them; a panic in the hook propagates like a panic in a user
//! type's `py_hash`.
//!
//! # Invariants
//! The slots here are instances' (`a` or `op` is an instance of a user class, whose type's class
//! is alive: the instance holds it). They call Python-level dunders, i.e. arbitrary user code, so
//! every operand is held by the caller (the `EqFn`/`HashFn`/`ReprFn` contracts in types.rs) and
//! nothing read from an object is kept across the call.

use crate::Obj;
use crate::builtins::class::{data_of_type, dunder, lookup_raw};
use crate::error::{Result, RuntimeError};
use crate::object::{RawObj, type_of};
use crate::types::{Kind, TypeObject};

/// Give an instance type its dunder-dispatching slots.
pub(crate) fn install_slots(ty: &mut TypeObject) {
    ty.hash = Some(hash);
    ty.eq = Some(eq);
    ty.repr = Some(repr);
}

/// Does an instance type's class have or inherit `__eq__`?
pub(crate) fn instance_has_eq(ty: &TypeObject) -> bool {
    // SAFETY: an instance type lives inside its live class.
    unsafe { data_of_type(ty) }.dunders() & dunder::EQ != 0
}

/// What `hash()` and `==` of an object of this type do; for instances the class (and its MRO)
/// decides, which this module knows.
impl TypeObject {
    /// Does the type have a hash slot? (`False` for list, dict, and user types with
    /// [`EqHash::ValueUnhashable`](crate::EqHash::ValueUnhashable), and instances of classes with
    /// `__hash__ = None` or `__eq__` without `__hash__`: `hash()` raises TypeError.)
    pub fn is_hashable(&self) -> bool {
        if self.kind == Kind::Instance {
            return instance_is_hashable(self);
        }
        self.hash.is_some()
    }
    /// Does the type have an equality slot (`==` by value)? `false`: identity only. For
    /// instances: does the class have or inherit `__eq__`?
    pub fn has_value_eq(&self) -> bool {
        if self.kind == Kind::Instance {
            return instance_has_eq(self);
        }
        self.eq.is_some()
    }
}

/// Are instances of this type hashable (no `__hash__ = None`, no `__eq__` without `__hash__`)?
pub(crate) fn instance_is_hashable(ty: &TypeObject) -> bool {
    // SAFETY: an instance type lives inside its live class; the attribute found is only
    // inspected.
    unsafe {
        let bits = data_of_type(ty).dunders();
        if bits & dunder::HASH == 0 {
            return bits & dunder::EQ_NO_HASH == 0;
        }
        let cls = ty.class_obj.get().expect("instance type without class");
        !lookup_raw(cls, "__hash__").is_some_and(|f| type_of(f).kind == Kind::None)
    }
}

/// Call the special method `name` found on `op`'s class with `op` first, then `rest`.
///
/// # Safety
/// `op` is a live instance.
unsafe fn call_special<'h>(
    op: RawObj,
    name: &str,
    rest: Option<RawObj>,
) -> Option<Result<Obj<'h>>> {
    // SAFETY: live instance (caller): its class is live and the method found is held at once;
    // the type's heap outlives the object.
    unsafe {
        let ty = type_of(op);
        let cls = ty.class_obj.get()?;
        let f = Obj::from_borrowed(lookup_raw(cls, name)?);
        let heap: &'h crate::Heap = (*ty.heap).heap();
        let mut args = vec![Obj::from_borrowed(op)];
        if let Some(r) = rest {
            args.push(Obj::from_borrowed(r));
        }
        Some(heap.call(&f, &args))
    }
}

/// The `hash` slot of instances: `__hash__` when the class defines one, else identity.
///
/// # Safety
/// The `HashFn` contract (types.rs): `op` is a live instance, held by the caller.
unsafe fn hash(op: RawObj) -> Result<i64> {
    // SAFETY: slot contract: `op` is a live instance.
    unsafe {
        let ty = type_of(op);
        if !instance_is_hashable(ty) {
            return Err(RuntimeError::Unhashable(ty.name().into()));
        }
        if data_of_type(ty).dunders() & dunder::HASH == 0 {
            return Ok(super::identity_hash(op));
        }
        let Some(r) = call_special(op, "__hash__", None) else {
            return Ok(super::identity_hash(op));
        };
        let r = r?;
        match r.as_int() {
            Ok(-1) => Ok(-2),
            Ok(v) => Ok(v),
            Err(_) if matches!(r.kind(), Kind::Int | Kind::Bool) => r.hash(),
            Err(_) => Err(RuntimeError::TypeError(
                "__hash__ method should return an integer".into(),
            )),
        }
    }
}

/// The `eq` slot of instances: `__eq__` when the class defines one, else identity (false).
///
/// # Safety
/// The `EqFn` contract (types.rs): `a` (an instance) and `b` are distinct live objects of one
/// heap, held by the caller.
unsafe fn eq(a: RawObj, b: RawObj) -> Result<bool> {
    // SAFETY: slot contract: both live, `a` an instance.
    unsafe {
        if data_of_type(type_of(a)).dunders() & dunder::EQ == 0 {
            return Ok(false); // object.__eq__: identity, and a is not b
        }
        match call_special(a, "__eq__", Some(b)) {
            Some(r) => Ok(r?.is_truthy()),
            None => Ok(false),
        }
    }
}

/// The `repr` slot of instances: `__repr__` when the class defines one, else the generic form.
///
/// # Safety
/// The `ReprFn` contract (types.rs): `op` is a live instance, held by the caller.
unsafe fn repr(op: RawObj) -> String {
    // SAFETY: slot contract: live instance.
    unsafe {
        let ty = type_of(op);
        if data_of_type(ty).dunders() & dunder::REPR != 0
            && let Some(Ok(r)) = call_special(op, "__repr__", None)
            && let Ok(s) = r.str_value()
        {
            return s.to_string();
        }
        format!("<{} object at {:p}>", ty.name(), op.as_ptr())
    }
}
