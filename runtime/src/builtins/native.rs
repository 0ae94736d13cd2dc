//! Native bases: classes whose instances carry a Rust value (a [`UserType`]) next to their
//! attribute table and class, like `class MyList(list)` carries a list's items.
//!
//! ```text
//!   heap.new_class(ClassSpec::new("Frame").with_native(|| Locals::default()))
//!
//!   instance: [GcHead][ObjHeader][weaklist]?[attrs]?[native: *mut NativeCell]?[slots..]
//!                                                      └──▶ RefCell<Box<dyn Payload>>  (T inside)
//! ```
//!
//! The class's spec names the payload type once; every subclass inherits it (two bases with
//! different payload types are CPython's `multiple bases have instance lay-out conflict`).
//! `cls.instantiate()` fills the payload from the spec's constructor,
//! `cls.instantiate_native(value)` from a given value, and [`Instance::native`] /
//! [`Instance::native_mut`] borrow it (`WrongType` for another `T`, `Borrowed` while mutably
//! borrowed). Attribute lookup goes along the class's MRO as for any instance.
//!
//! Sizes: `sizeof` counts the pointer word, not the payload's box (like the attribute table);
//! `deep_sizeof` counts the payload with `native_bytes`: both boxes, `size_of::<NativeCell>()`
//! (the `RefCell`'s flag and the fat pointer) and `size_of::<T>()` (the value, recorded in the
//! class's `NativeBase`, so it is known even while the value is mutably borrowed), plus
//! [`UserType::extra_size`] for buffers the value owns (not asked while mutably borrowed, as for
//! user objects). The heap objects the payload's `Member`s point to are counted as objects, once,
//! through traverse.
//!
//! # Invariants
//! - The native word of a live instance is null only between allocation and the payload's
//!   store in `instantiate`; afterwards it owns one `Box<NativeCell>`, freed once by `dealloc`.
//! - The collector's view: `traverse` reports the payload's `Member`s after the instance's own
//!   references (CPython's subtype_traverse calls the base's traverse last); a mutably borrowed
//!   payload reports nothing and is not cleared (opaque, as for user objects: `user.rs`).

use super::instance::Instance;
use super::user::{UserType, Visitor};
use crate::error::{Result, RuntimeError};
use std::any::{Any, TypeId};
use std::cell::{Ref, RefCell, RefMut};
use std::rc::Rc;

/// What instances need from their payload, object-safe.
pub(crate) trait Payload: Any {
    fn traverse(&self, visit: &mut Visitor<'_>);
    fn clear(&mut self);
    fn extra_size(&self) -> usize;
    fn as_any(&self) -> &dyn Any;
    fn as_any_mut(&mut self) -> &mut dyn Any;
}

impl<T: UserType> Payload for T {
    fn traverse(&self, visit: &mut Visitor<'_>) {
        UserType::traverse(self, visit)
    }
    fn clear(&mut self) {
        UserType::clear(self)
    }
    fn extra_size(&self) -> usize {
        UserType::extra_size(self)
    }
    fn as_any(&self) -> &dyn Any {
        self
    }
    fn as_any_mut(&mut self) -> &mut dyn Any {
        self
    }
}

/// The payload cell an instance's native word points to.
pub(crate) type NativeCell = RefCell<Box<dyn Payload>>;

/// A class's native base: the payload type and how to make one for `instantiate()`.
#[derive(Clone)]
pub struct NativeBase {
    pub(crate) type_id: TypeId,
    pub(crate) name: &'static str,
    /// `size_of::<T>()`: the payload box's size.
    pub(crate) size: usize,
    pub(crate) make: Rc<dyn Fn() -> Box<dyn Payload>>,
}

impl NativeBase {
    pub(crate) fn of<T: UserType>(make: impl Fn() -> T + 'static) -> NativeBase {
        NativeBase {
            type_id: TypeId::of::<T>(),
            name: T::NAME,
            size: std::mem::size_of::<T>(),
            make: Rc::new(move || Box::new(make())),
        }
    }
}

impl std::fmt::Debug for NativeBase {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "NativeBase({})", self.name)
    }
}

/// The native base every base agrees on (none, or one payload type), or CPython's lay-out
/// conflict.
pub(crate) fn merge<'a>(
    own: Option<&'a NativeBase>,
    bases: impl Iterator<Item = Option<&'a NativeBase>>,
) -> Result<Option<&'a NativeBase>> {
    let mut found = own;
    for b in bases.flatten() {
        match found {
            Some(f) if f.type_id != b.type_id => {
                return Err(RuntimeError::TypeError(
                    "multiple bases have instance lay-out conflict".into(),
                ));
            }
            Some(_) => {}
            None => found = Some(b),
        }
    }
    Ok(found)
}

/// Report the payload's references (nothing while it is mutably borrowed). This is user code,
/// run as `user.rs` runs a user type's traverse: what it drops waits on the pending queue (the
/// caller — a collection phase, a walker — keeps raw pointers), and a panic is reported as
/// unraisable (nothing may unwind through a collection).
///
/// # Safety
/// `op` is the live instance `cell` belongs to.
pub(crate) unsafe fn traverse(
    op: crate::object::RawObj,
    cell: &NativeCell,
    visit: &mut dyn FnMut(crate::object::RawObj),
) {
    // SAFETY: live instance (caller): its type's heap outlives it.
    let heap = unsafe { &*crate::object::type_of(op).heap };
    let _defer = crate::trashcan::Defer::new(heap);
    if let Ok(p) = cell.try_borrow() {
        let mut v = Visitor::new(visit);
        crate::refcount::call_user(heap, op, || p.traverse(&mut v));
    }
}

/// Bytes an instance's payload owns outside the instance (0 without one), for deep sizes:
///
/// ```text
///   size_of::<NativeCell>()  +  size_of::<T>()  +  T::extra_size()
///   Box<RefCell<Box<dyn _>>>    Box<T>             buffers T owns (0 while mutably borrowed)
/// ```
///
/// # Safety
/// `op` is a live instance.
pub(crate) unsafe fn native_bytes(op: crate::object::RawObj) -> usize {
    // SAFETY: live instance (caller); its class outlives it.
    let (cell, base) = unsafe {
        (
            super::instance::native_cell(op),
            super::class::data_of_type(crate::object::type_of(op))
                .native
                .as_ref(),
        )
    };
    match (cell, base) {
        (Some(cell), Some(base)) => {
            let extra = cell.try_borrow().map_or(0, |p| p.extra_size());
            std::mem::size_of::<NativeCell>() + base.size + extra
        }
        _ => 0,
    }
}

/// `clear` the payload (skipped while it is borrowed).
pub(crate) fn clear(cell: &NativeCell) {
    if let Ok(mut p) = cell.try_borrow_mut() {
        p.clear();
    }
}

impl<'h> Instance<'h> {
    /// The instance's native payload of type `T` (shared borrow): `WrongType` when its class
    /// has no payload of that type, `Borrowed` while it is mutably borrowed.
    pub fn native<T: UserType>(&self) -> Result<Ref<'_, T>> {
        let cell = self.native_cell::<T>()?;
        let r = cell
            .try_borrow()
            .map_err(|_| RuntimeError::Borrowed { type_name: T::NAME })?;
        Ok(Ref::map(r, |b| {
            b.as_any().downcast_ref::<T>().expect("checked type")
        }))
    }
    /// The instance's native payload of type `T` (exclusive borrow); errors as
    /// [`native`](Self::native).
    pub fn native_mut<T: UserType>(&self) -> Result<RefMut<'_, T>> {
        let cell = self.native_cell::<T>()?;
        let r = cell
            .try_borrow_mut()
            .map_err(|_| RuntimeError::Borrowed { type_name: T::NAME })?;
        Ok(RefMut::map(r, |b| {
            b.as_any_mut().downcast_mut::<T>().expect("checked type")
        }))
    }
    fn native_cell<T: UserType>(&self) -> Result<&NativeCell> {
        let wrong = || RuntimeError::WrongType {
            expected: T::NAME,
            got: self.type_name().to_string(),
        };
        // SAFETY: the handle keeps the instance (and so its payload cell) alive for '_.
        let cell = unsafe { super::instance::native_cell(self.as_raw()) }.ok_or_else(wrong)?;
        // SAFETY: as above; the class outlives the instance.
        let base = unsafe { super::class::data_of_type(self.type_object()) }
            .native
            .as_ref()
            .ok_or_else(wrong)?;
        if base.type_id != TypeId::of::<T>() {
            return Err(wrong());
        }
        Ok(cell)
    }
}
