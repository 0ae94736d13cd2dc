//! Safe handles: [`Obj`], a one-word strong reference tied to its heap's lifetime, and the typed
//! wrappers (`List`, `Dict`, ...) that add each type's methods.
//!
//! ```text
//!   Obj<'h> = NonNull<ObjHeader>      clone: refcnt += 1      drop: refcnt -= 1, dealloc at 0
//!   List<'h> = #[repr(transparent)] Obj<'h>  (a checked view: &Obj → &List after a type test)
//! ```
//!
//! # What is checked how
//! - A handle cannot outlive its heap: it borrows the heap (`'h`), so the compiler refuses.
//! - A handle cannot cross threads: `Obj` is `!Send + !Sync` (compile_fail doctests on `Heap`).
//! - Using an object of heap A in a container of heap B: run-time check of the type's heap
//!   pointer, `RuntimeError::ForeignObject`.
//! - Wrong types: `RuntimeError::WrongType`.
//!
//! # Invariants the unsafe code relies on
//! - An `Obj<'h>` owns exactly one strong reference to a live object of a heap that lives for
//!   `'h` (made by `from_owned`/`from_borrowed`, whose callers promise it); so its header, its
//!   type object and the type's heap may be read for as long as the handle exists.
//! - A typed wrapper (`List`, `Dict`, ...) is made only after a test of the object's type, so
//!   its methods may read that type's payload layout.

use crate::error::{Result, RuntimeError};
use crate::heap::{Heap, HeapInner};
use crate::object::{RawObj, type_of};
use crate::refcount::{decref, incref};
use crate::types::{Kind, TypeObject};
use std::marker::PhantomData;

/// A strong reference to an object of the heap `'h`.
#[repr(transparent)]
pub struct Obj<'h> {
    ptr: RawObj,
    _heap: PhantomData<&'h Heap>,
}

impl<'h> Obj<'h> {
    /// Wrap a reference the caller owns.
    ///
    /// # Safety
    /// `ptr` is a live object of a heap living for `'h`, and the caller transfers one reference.
    #[inline(always)]
    pub unsafe fn from_owned(ptr: RawObj) -> Obj<'h> {
        Obj {
            ptr,
            _heap: PhantomData,
        }
    }

    /// Take a new reference.
    ///
    /// # Safety
    /// `ptr` is a live object of a heap living for `'h`.
    #[inline(always)]
    pub unsafe fn from_borrowed(ptr: RawObj) -> Obj<'h> {
        // SAFETY: live (caller).
        unsafe {
            incref(ptr);
            Obj::from_owned(ptr)
        }
    }

    /// The raw object pointer (no reference transferred).
    #[inline(always)]
    pub fn as_raw(&self) -> RawObj {
        self.ptr
    }

    /// Give up the handle without decref (the caller now owns the reference).
    #[inline(always)]
    pub fn into_raw(self) -> RawObj {
        let p = self.ptr;
        std::mem::forget(self);
        p
    }

    #[inline(always)]
    pub(crate) fn ty(&self) -> &'h TypeObject {
        // SAFETY: a handle keeps its object alive, and the type outlives the object.
        unsafe { type_of(self.ptr) }
    }

    #[inline(always)]
    pub(crate) fn heap_inner(&self) -> &'h HeapInner {
        // SAFETY: the type's heap outlives the handle (`'h`).
        unsafe { &*self.ty().heap }
    }

    /// The object's type.
    pub fn type_object(&self) -> &'h TypeObject {
        self.ty()
    }
    /// The object's type name (`type(o).__name__`).
    pub fn type_name(&self) -> &'h str {
        self.ty().name()
    }
    /// The built-in kind.
    pub fn kind(&self) -> Kind {
        self.ty().kind
    }
    /// `a is b`.
    pub fn is<'o>(&self, other: &impl AsObj<'o>) -> bool {
        self.ptr == other.as_obj().ptr
    }
    /// Does the object belong to `heap`?
    pub fn belongs_to(&self, heap: &Heap) -> bool {
        std::ptr::eq(self.ty().heap, heap.inner())
    }
    /// Error unless the object belongs to `heap`.
    #[inline]
    pub(crate) fn check_heap(&self, heap: &HeapInner) -> Result<()> {
        if std::ptr::eq(self.ty().heap, heap) {
            Ok(())
        } else {
            Err(RuntimeError::ForeignObject)
        }
    }
    pub(crate) fn wrong_type<T>(&self, expected: &'static str) -> Result<T> {
        Err(RuntimeError::WrongType {
            expected,
            got: self.type_name().to_string(),
        })
    }
    /// Is this `None`?
    pub fn is_none(&self) -> bool {
        self.kind() == Kind::None
    }

    /// `hash(o)` through the type's hash slot: Python semantics for None/bool/int/float/str/tuple,
    /// identity for classes, instances, weakrefs, cells and user types by default; lists and dicts
    /// (and tuples containing them) are `Unhashable`. A user value hashed by value fails with
    /// `Borrowed` while it is mutably borrowed.
    pub fn hash(&self) -> Result<i64> {
        // SAFETY: a handle keeps its object alive (Obj invariant).
        unsafe { crate::builtins::hash(self.ptr) }
    }
    /// `a == b` through the left operand's eq slot (numbers across int/float/bool, str, tuples
    /// elementwise, lists and dicts by content, user types as they choose, identity otherwise).
    /// User code run by the comparison (a `py_eq` that drops a member whose finalizer mutates
    /// the containers compared) cannot make it read freed memory: items are held while compared
    /// and lengths re-read, as CPython's `list_richcompare` does. A comparison that fails (a user
    /// value mutably borrowed, the recursion limit) counts as unequal here;
    /// [`try_eq`](Self::try_eq) reports it.
    pub fn py_eq<'o>(&self, other: &impl AsObj<'o>) -> bool {
        self.try_eq(other).unwrap_or(false)
    }
    /// `a == b` like [`py_eq`](Self::py_eq), reporting `Borrowed` when a user eq slot cannot run
    /// and `Recursion(Comparison)` past the heap's recursion limit (two lists that contain
    /// themselves, nests deeper than the limit).
    pub fn try_eq<'o>(&self, other: &impl AsObj<'o>) -> Result<bool> {
        // SAFETY: both live.
        unsafe { crate::builtins::eq(self.ptr, other.as_obj().ptr) }
    }
    /// `repr(o)`; when it fails (the recursion limit: a nest deeper than the limit), the
    /// generic `<list object at 0x...>` form of `o` instead. [`try_repr`](Self::try_repr) reports
    /// the error. Self-containing containers print as CPython's do (`[[...]]`, `{1: {...}}`).
    pub fn repr(&self) -> String {
        // SAFETY: live object, held by this handle.
        unsafe { crate::builtins::repr::repr(self.ptr) }
    }
    /// `repr(o)`, or `RuntimeError::Recursion(Repr)` past the heap's recursion limit.
    pub fn try_repr(&self) -> Result<String> {
        // SAFETY: live object, held by this handle.
        unsafe { crate::builtins::repr::try_repr(self.ptr) }
    }
}

impl Clone for Obj<'_> {
    #[inline(always)]
    fn clone(&self) -> Self {
        // SAFETY: the handle keeps the object alive.
        unsafe { Obj::from_borrowed(self.ptr) }
    }
}

impl Drop for Obj<'_> {
    #[inline(always)]
    fn drop(&mut self) {
        // SAFETY: the handle owns one reference.
        unsafe { decref(self.ptr) }
    }
}

impl std::fmt::Debug for Obj<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.repr())
    }
}

impl PartialEq for Obj<'_> {
    fn eq(&self, other: &Self) -> bool {
        self.py_eq(other)
    }
}

/// Anything that is a handle: `Obj` and the typed wrappers. Methods taking `&impl AsObj` accept
/// `&heap.str("x")?` as well as `&obj`.
pub trait AsObj<'h> {
    /// The untyped handle.
    fn as_obj(&self) -> &Obj<'h>;
}

impl<'h> AsObj<'h> for Obj<'h> {
    #[inline(always)]
    fn as_obj(&self) -> &Obj<'h> {
        self
    }
}

/// Declare a typed handle: a `#[repr(transparent)]` wrapper over `Obj` checked by kind.
macro_rules! typed_handle {
    ($(#[$m:meta])* $name:ident, $kind:expr, $pyname:literal, $as:ident) => {
        $(#[$m])*
        #[repr(transparent)]
        #[derive(Clone)]
        pub struct $name<'h>(pub(crate) Obj<'h>);

        impl<'h> std::ops::Deref for $name<'h> {
            type Target = Obj<'h>;
            #[inline(always)]
            fn deref(&self) -> &Obj<'h> {
                &self.0
            }
        }
        impl<'h> $name<'h> {
            /// The untyped handle.
            pub fn into_obj(self) -> Obj<'h> {
                self.0
            }
            /// Another untyped handle to the same object.
            pub fn obj(&self) -> Obj<'h> {
                self.0.clone()
            }
        }
        impl<'h> $crate::handle::AsObj<'h> for $name<'h> {
            #[inline(always)]
            fn as_obj(&self) -> &Obj<'h> {
                &self.0
            }
        }
        impl<'h> From<$name<'h>> for Obj<'h> {
            fn from(h: $name<'h>) -> Obj<'h> {
                h.0
            }
        }
        impl<'h> TryFrom<Obj<'h>> for $name<'h> {
            type Error = $crate::RuntimeError;
            fn try_from(o: Obj<'h>) -> $crate::error::Result<Self> {
                if o.kind() == $kind {
                    Ok($name(o))
                } else {
                    o.wrong_type($pyname)
                }
            }
        }
        impl<'h> Obj<'h> {
            #[doc = concat!("View as a `", stringify!($name), "` (error unless the object is a ", $pyname, ").")]
            #[inline]
            pub fn $as(&self) -> $crate::error::Result<&$name<'h>> {
                if self.kind() == $kind {
                    // SAFETY: $name is repr(transparent) over Obj.
                    Ok(unsafe { &*(self as *const Obj<'h>).cast::<$name<'h>>() })
                } else {
                    self.wrong_type($pyname)
                }
            }
        }
        impl std::fmt::Debug for $name<'_> {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                self.0.fmt(f)
            }
        }
    };
}
pub(crate) use typed_handle;
