//! The call hook: how the runtime calls an interpreter's own callable objects.
//!
//! ```text
//!   death of an instance ─▶ class.__del__ (a heap object) ─┐
//!   hash/==/repr of an instance ─▶ class.__hash__ ..  ─────┼─▶ heap.call(f, args) ─▶ hook(heap, f, args)
//!   weakref's referent dies ─▶ wr.__callback__ ────────────┘        (one per heap, set by the
//!                                                                    interpreter: runs its VM)
//! ```
//!
//! # Which callbacks the collector sees
//! | kind | stored as | traversed (cycles through it are collected) |
//! |------|-----------|----------------------------------------------|
//! | `__del__`/`__hash__`/`__eq__`/`__repr__` class attributes | heap objects | yes (class attributes) |
//! | `heap.weakref_with_callable(&o, &f)` | heap object in the weakref | yes (`wr` traverses it, as CPython's does) |
//! | [`ClassSpec::with_del`](crate::ClassSpec::with_del), `with_legacy_del`, `heap.weakref(&o, Some(Heap::obj_fn(..)))` | Rust closures | **no**: a `Member` captured in one is an external reference |
//! | the call hook itself, the unraisable hook | Rust closures owned by the heap | no (roots, released at teardown) |
//!
//! Rust-only users keep the closures; an interpreter stores its functions as heap objects and
//! sets one hook. Without a hook, calling an object fails with CPython's
//! `TypeError: 'X' object is not callable`.

use crate::Obj;
use crate::error::{Result, RuntimeError};
use crate::handle::AsObj;
use crate::heap::Heap;
use std::rc::Rc;

/// Calls a heap object: `hook(heap, callable, args)` returns the result or the error (an
/// interpreter's exception object travels as [`RuntimeError::Exception`]).
pub type CallHook = Rc<dyn for<'h> Fn(&'h Heap, &Obj<'h>, &[Obj<'h>]) -> Result<Obj<'h>>>;

impl Heap {
    /// Set (or remove) the hook the runtime calls heap objects with (`__del__`, weakref
    /// callbacks, `__hash__`/`__eq__`/`__repr__` of instances). The hook may call back into the
    /// heap and may replace itself. It is released at teardown after the final collections.
    ///
    /// ```
    /// use pyheap_runtime::{ClassSpec, Heap, Obj, RuntimeError};
    /// use std::rc::Rc;
    ///
    /// let heap = Heap::new();
    /// // A toy "VM": a callable is a str naming a built-in operation.
    /// heap.set_call_hook(Some(Rc::new(|heap: &Heap, f: &Obj<'_>, args: &[Obj<'_>]| {
    ///     match f.str_value()? {
    ///         "hash_of_x" => heap.int(args[0].getattr("x")?.as_int()? * 10),
    ///         "eq_by_x" => Ok(heap.bool(args[0].getattr("x")?.py_eq(&args[1].getattr("x")?))),
    ///         _ => Err(RuntimeError::Other("unknown builtin".into())),
    ///     }
    /// })));
    /// let point = heap.new_class(ClassSpec::new("P"))?;
    /// point.setattr("__hash__", &heap.str("hash_of_x")?)?;
    /// point.setattr("__eq__", &heap.str("eq_by_x")?)?;
    /// let (a, b) = (point.instantiate()?, point.instantiate()?);
    /// a.setattr("x", &heap.int(4)?)?;
    /// b.setattr("x", &heap.int(4)?)?;
    /// assert_eq!(a.hash()?, 40);
    /// let d = heap.dict()?;
    /// d.set(&a, &heap.str("found")?)?;
    /// assert_eq!(d.get(&b)?.unwrap().str_value()?, "found"); // b == a by value
    /// # Ok::<(), RuntimeError>(())
    /// ```
    pub fn set_call_hook(&self, hook: Option<CallHook>) {
        let old = std::mem::replace(&mut *self.inner().call_hook.borrow_mut(), hook);
        drop(old); // may release Members: no borrow held
    }

    /// `f(*args)` through the call hook (`TypeError: 'X' object is not callable` without one).
    pub fn call<'h>(&'h self, f: &impl AsObj<'h>, args: &[Obj<'h>]) -> Result<Obj<'h>> {
        let f = f.as_obj();
        let inner = self.inner();
        f.check_heap(inner)?;
        for a in args {
            a.check_heap(inner)?;
        }
        let hook = inner.call_hook.borrow().clone();
        match hook {
            Some(h) => h(self, f, args),
            None => Err(RuntimeError::TypeError(format!(
                "'{}' object is not callable",
                f.type_name()
            ))),
        }
    }
}
