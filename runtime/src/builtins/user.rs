//! User types written in Rust: an interpreter's frames, functions, environments on the heap.
//!
//! ```text
//!   [GcHead 16][ObjHeader 16][borrow: isize][weaklist][value: T]
//!   borrow: 0 = free, n > 0 = n shared borrows, −1 = mutably borrowed
//! ```
//!
//! A Rust value `T: UserType` keeps its references to other heap objects in [`Member`] fields
//! and reports them in `traverse`; `clear` drops them (breaking cycles). Each `T` gets one type
//! object per heap, registered on first use. The value is dropped exactly once, when the object
//! dies (or never, if the heap leaks).
//!
//! The collector and borrows: an object that is *mutably* borrowed while a collection runs is
//! opaque — its traverse reports nothing (consistently, in every phase, since the borrow cannot end
//! during a collection) and its `clear` is skipped; `clear` is also skipped while shared borrows
//! exist. Conservative: such an object may keep a cycle alive one collection longer; never UB.

use crate::Obj;
use crate::error::{Result, RuntimeError};
use crate::heap::{Heap, HeapInner};
use crate::member::Member;
use crate::object::{GC_HEAD_SIZE, HEADER_SIZE, RawObj, gc_head, payload, payload_ptr, type_of};
use crate::types::{Kind, TypeObject, flags};
use std::any::TypeId;
use std::cell::{Cell, UnsafeCell};
use std::marker::PhantomData;

/// A Rust type that can live in the heap.
pub trait UserType: 'static {
    /// The type's name (`type(o).__name__`).
    const NAME: &'static str;
    /// Report every [`Member`] the value holds (`tp_traverse`).
    fn traverse(&self, visit: &mut Visitor<'_>);
    /// Drop the references the value holds (`tp_clear`), to break cycles.
    fn clear(&mut self);
    /// `repr(obj)` (debug output, DOT labels, errors). Default: `<NAME object at 0x...>`.
    fn repr(&self) -> Option<String> {
        None
    }
}

/// Receives the references a [`UserType`] holds.
pub struct Visitor<'a> {
    f: &'a mut dyn FnMut(RawObj),
}

impl Visitor<'_> {
    /// Report one reference.
    pub fn visit(&mut self, m: &Member) {
        (self.f)(m.as_raw())
    }
    /// Report an optional reference.
    pub fn visit_opt(&mut self, m: &Option<Member>) {
        if let Some(m) = m {
            self.visit(m)
        }
    }
}

#[repr(C)]
struct UserBody<T> {
    borrow: Cell<isize>,
    weaklist: Cell<usize>,
    value: UnsafeCell<T>,
}

const fn basic<T>() -> usize {
    HEADER_SIZE + std::mem::size_of::<UserBody<T>>()
}

unsafe fn body<'a, T>(op: RawObj) -> &'a UserBody<T> {
    // SAFETY: caller passes an object of T's user type.
    unsafe { payload::<UserBody<T>>(op) }
}

unsafe fn sizeof<T: UserType>(_: RawObj) -> usize {
    GC_HEAD_SIZE + basic::<T>()
}

unsafe fn traverse<T: UserType>(op: RawObj, visit: &mut dyn FnMut(RawObj)) {
    // SAFETY: live object of T's type.
    let b = unsafe { body::<T>(op) };
    if b.borrow.get() < 0 {
        return; // mutably borrowed: opaque
    }
    // SAFETY: no &mut exists (flag); traverse only reads.
    let v = unsafe { &*b.value.get() };
    let mut visitor = Visitor { f: visit };
    if let Err(p) =
        std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| v.traverse(&mut visitor)))
    {
        // SAFETY: op is live.
        unsafe { (*type_of(op).heap).report_unraisable(&format!("<{} traverse>", T::NAME), p) };
    }
}

unsafe fn repr<T: UserType>(op: RawObj) -> String {
    // SAFETY: live object of T's type.
    let b = unsafe { body::<T>(op) };
    let own = if b.borrow.get() < 0 {
        None // mutably borrowed: fall back to the generic form
    } else {
        // SAFETY: no &mut exists (flag); repr only reads. A panic is caught.
        let v = unsafe { &*b.value.get() };
        std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| v.repr()))
            .ok()
            .flatten()
    };
    own.unwrap_or_else(|| format!("<{} object at {:p}>", T::NAME, op.as_ptr()))
}

unsafe fn clear<T: UserType>(op: RawObj) {
    // SAFETY: live object of T's type.
    let b = unsafe { body::<T>(op) };
    if b.borrow.get() != 0 {
        return; // borrowed: skip (conservative)
    }
    b.borrow.set(-1);
    // SAFETY: exclusive access guaranteed by the flag.
    let v = unsafe { &mut *b.value.get() };
    // SAFETY: op is live (the caller holds a reference).
    let heap = unsafe { &*type_of(op).heap };
    crate::refcount::call_user(heap, op, || v.clear());
    b.borrow.set(0);
}

unsafe fn dealloc<T: UserType>(op: RawObj) {
    // SAFETY: dead object of T's type: nobody can reach the value any more.
    unsafe {
        let heap = &*type_of(op).heap;
        let v = body::<T>(op).value.get();
        crate::refcount::call_user(heap, op, || std::ptr::drop_in_place(v));
        heap.gc.note_deallocation();
        heap.free_object(op);
    }
}

fn user_type<T: UserType>(heap: &HeapInner) -> *const TypeObject {
    const {
        assert!(
            std::mem::align_of::<T>() <= 16,
            "user types must have alignment <= 16"
        )
    };
    let mut types = heap.user_types.borrow_mut();
    let t = types.entry(TypeId::of::<T>()).or_insert_with(|| {
        let mut t = TypeObject::new_builtin(
            T::NAME,
            Kind::User,
            flags::GC | flags::CONTAINER | flags::HAS_WEAKREFS,
            basic::<T>(),
            0,
            dealloc::<T>,
            sizeof::<T>,
            heap,
        );
        t.weaklist_offset = HEADER_SIZE + 8;
        t.traverse = Some(traverse::<T>);
        t.clear = Some(clear::<T>);
        t.repr = Some(repr::<T>);
        t.user_type_id = Some(TypeId::of::<T>());
        Box::new(t)
    });
    &**t
}

/// A handle to a heap object holding a `T`.
#[repr(transparent)]
pub struct User<'h, T: UserType> {
    obj: Obj<'h>,
    _t: PhantomData<T>,
}

impl<'h, T: UserType> Clone for User<'h, T> {
    fn clone(&self) -> Self {
        User {
            obj: self.obj.clone(),
            _t: PhantomData,
        }
    }
}

impl<'h, T: UserType> crate::handle::AsObj<'h> for User<'h, T> {
    fn as_obj(&self) -> &Obj<'h> {
        &self.obj
    }
}

impl<'h, T: UserType> std::ops::Deref for User<'h, T> {
    type Target = Obj<'h>;
    fn deref(&self) -> &Obj<'h> {
        &self.obj
    }
}

/// A shared borrow of a user value.
pub struct UserRef<'b, T> {
    b: &'b UserBody<T>,
}
impl<T> std::ops::Deref for UserRef<'_, T> {
    type Target = T;
    fn deref(&self) -> &T {
        // SAFETY: the flag counts this shared borrow; no &mut exists.
        unsafe { &*self.b.value.get() }
    }
}
impl<T> Drop for UserRef<'_, T> {
    fn drop(&mut self) {
        self.b.borrow.set(self.b.borrow.get() - 1);
    }
}

/// A mutable borrow of a user value.
pub struct UserRefMut<'b, T> {
    b: &'b UserBody<T>,
}
impl<T> std::ops::Deref for UserRefMut<'_, T> {
    type Target = T;
    fn deref(&self) -> &T {
        // SAFETY: exclusive borrow (flag −1).
        unsafe { &*self.b.value.get() }
    }
}
impl<T> std::ops::DerefMut for UserRefMut<'_, T> {
    fn deref_mut(&mut self) -> &mut T {
        // SAFETY: exclusive borrow (flag −1).
        unsafe { &mut *self.b.value.get() }
    }
}
impl<T> Drop for UserRefMut<'_, T> {
    fn drop(&mut self) {
        self.b.borrow.set(0);
    }
}

impl<'h, T: UserType> User<'h, T> {
    fn b(&self) -> &UserBody<T> {
        // SAFETY: the handle's object is a live T object.
        unsafe { body::<T>(self.obj.as_raw()) }
    }
    /// Borrow the value (error when mutably borrowed).
    pub fn borrow(&self) -> Result<UserRef<'_, T>> {
        let b = self.b();
        if b.borrow.get() < 0 {
            return Err(RuntimeError::Borrowed { type_name: T::NAME });
        }
        b.borrow.set(b.borrow.get() + 1);
        Ok(UserRef { b })
    }
    /// Borrow the value mutably (error when borrowed).
    pub fn borrow_mut(&self) -> Result<UserRefMut<'_, T>> {
        let b = self.b();
        if b.borrow.get() != 0 {
            return Err(RuntimeError::Borrowed { type_name: T::NAME });
        }
        b.borrow.set(-1);
        Ok(UserRefMut { b })
    }
    /// The untyped handle.
    pub fn into_obj(self) -> Obj<'h> {
        self.obj
    }
    /// Another untyped handle.
    pub fn obj(&self) -> Obj<'h> {
        self.obj.clone()
    }
}

impl<'h> Obj<'h> {
    /// View as a `User<T>` (error unless the object holds a `T`).
    pub fn as_user<T: UserType>(&self) -> Result<&User<'h, T>> {
        if self.type_object().user_type_id == Some(TypeId::of::<T>()) {
            // SAFETY: User<T> is repr(transparent) over Obj and the type holds a T.
            Ok(unsafe { &*(self as *const Obj<'h>).cast::<User<'h, T>>() })
        } else {
            self.wrong_type(T::NAME)
        }
    }
}

impl Heap {
    /// Register `T` as a type of this heap (done automatically by the first `new_user::<T>`).
    pub fn register_type<T: UserType>(&self) -> &TypeObject {
        // SAFETY: registered types live as long as the heap.
        unsafe { &*user_type::<T>(self.inner()) }
    }

    /// Put a Rust value on the heap (tracked by the collector).
    pub fn new_user<T: UserType>(&self, value: T) -> Result<User<'_, T>> {
        let inner = self.inner();
        let ty = user_type::<T>(inner);
        // SAFETY: types in user_types live as long as the heap.
        let op = inner.new_object(unsafe { &*ty }, basic::<T>())?;
        // SAFETY: fresh object of basic::<T>() bytes, 16-aligned payload.
        unsafe {
            payload_ptr(op).cast::<UserBody<T>>().write(UserBody {
                borrow: Cell::new(0),
                weaklist: Cell::new(0),
                value: UnsafeCell::new(value),
            });
            inner.gc.track(gc_head(op));
            Ok(User {
                obj: Obj::from_owned(op),
                _t: PhantomData,
            })
        }
    }
}
