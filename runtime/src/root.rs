//! Roots an embedder owns: the heap's context object, and [`Root`] handles that keep their heap
//! alive so that an interpreter and its heap can live in one struct.
//!
//! ```text
//!   struct Repl { globals: Root, .. }        Root { heap: Rc<Heap>, obj } ──strong──▶ object
//!                  │                                    └──Rc──▶ Heap (dropped with the last
//!                  └── root.get() -> Obj<'_> (borrows the Root)        Rc: teardown, free)
//!
//!   heap.set_context(Some(&builtins))   one strong reference inside the heap: reachable from
//!   heap.context() -> Option<Obj<'_>>    finalizers and callbacks (they get `&Heap`), released
//!                                        first thing at teardown
//! ```
//!
//! # Why `Rc`-owned heaps (and not an arena `mutate` closure)
//! A handle `Obj<'h>` borrows its heap, which is what makes "no handle outlives its heap" a
//! compile-time fact, and what stops a struct from holding both the heap and handles. gc-arena's
//! answer (`Arena::mutate(|mc, root| ..)`) rebinds a branded lifetime on every entry; it needs
//! the root type to be generic over that lifetime (a `Rootable` projection) and every embedder
//! call to go through a closure. Here handles are reference-counted already, so a simpler
//! construction is sound: a [`Root`] owns an `Rc<Heap>` *and* a strong reference to an object.
//! The heap cannot be dropped while any `Root` exists (the `Rc` count), and `root.get()` hands
//! out an `Obj<'_>` that borrows the `Root`, so it cannot outlive it either. A REPL keeps `Root`s
//! in its struct, drops them in any order, and the last one tears the heap down. The struct
//! may also keep its own `Rc<Heap>` clone for creating objects (`&*rc` is a `&Heap`).
//!
//! # Invariants
//! - A `Root`'s object belongs to the heap its `Rc` points to (checked by [`Root::new`]), and
//!   the `Root` owns one reference to it, released before its `Rc` is (in `Drop`).
//! - `HeapInner::context` owns one reference (or none); teardown takes it before collecting.

use crate::Obj;
use crate::error::{Result, RuntimeError};
use crate::handle::AsObj;
use crate::heap::Heap;
use crate::object::RawObj;
use crate::refcount::{decref, incref};
use std::rc::Rc;

impl Heap {
    /// Set (or clear) the heap's context: one object the heap keeps alive for its interpreter
    /// (builtins, globals, the interned constants), reachable from every finalizer and callback
    /// through `heap.context()`. It is released at teardown before the final collections, so
    /// what it holds is freed with the heap (no thread-local to clear by hand).
    ///
    /// ```
    /// use pyheap_runtime::{ClassSpec, Heap};
    /// let heap = Heap::new();
    /// let globals = heap.dict()?;
    /// globals.set(&heap.str("deleted")?, &heap.int(0)?)?;
    /// heap.set_context(Some(&globals))?;
    /// // A finalizer without captured state reaches the interpreter's globals.
    /// let cls = heap.new_class(ClassSpec::new("A").with_del(|heap, _| {
    ///     let g = heap.context().unwrap();
    ///     let n = g.as_dict().unwrap().get(&heap.str("deleted").unwrap()).unwrap().unwrap();
    ///     let n = heap.int(n.as_int().unwrap() + 1).unwrap();
    ///     g.as_dict().unwrap().set(&heap.str("deleted").unwrap(), &n).unwrap();
    /// }))?;
    /// drop(cls.instantiate()?);
    /// assert_eq!(globals.get(&heap.str("deleted")?)?.unwrap().as_int()?, 1);
    /// # Ok::<(), pyheap_runtime::RuntimeError>(())
    /// ```
    pub fn set_context<'h>(&'h self, obj: Option<&impl AsObj<'h>>) -> Result<()> {
        let inner = self.inner();
        let new = match obj {
            Some(o) => {
                let o = o.as_obj();
                o.check_heap(inner)?;
                // SAFETY: live object; the context slot owns this reference.
                unsafe { incref(o.as_raw()) };
                Some(o.as_raw())
            }
            None => None,
        };
        if let Some(old) = inner.context.replace(new) {
            // SAFETY: the slot owned it; it is detached before this may run finalizers.
            unsafe { decref(old) };
        }
        Ok(())
    }

    /// The context object set by [`set_context`](Self::set_context).
    pub fn context(&self) -> Option<Obj<'_>> {
        let c = self.inner().context.get()?;
        // SAFETY: the slot keeps it alive; it belongs to this heap.
        Some(unsafe { Obj::from_borrowed(c) })
    }
}

/// A strong reference that owns its heap (an `Rc<Heap>`): storable anywhere, no lifetime.
///
/// ```
/// use pyheap_runtime::{Heap, Root};
/// use std::rc::Rc;
///
/// /// An embedded REPL: owns its heap through its roots, dropped like any value.
/// struct Repl {
///     globals: Root,
/// }
/// impl Repl {
///     fn new() -> Repl {
///         let heap = Rc::new(Heap::new());
///         let globals = heap.dict().unwrap();
///         Repl { globals: Root::new(&heap, &globals).unwrap() }
///     }
///     fn run(&self, name: &str, value: i64) -> usize {
///         let heap = self.globals.heap();
///         let g = self.globals.get();
///         let d = g.as_dict().unwrap();
///         d.set(&heap.str(name).unwrap(), &heap.int(value).unwrap()).unwrap();
///         d.len()
///     }
/// }
/// let repl = Repl::new();
/// assert_eq!(repl.run("x", 1), 1);
/// assert_eq!(repl.run("y", 2), 2);
/// drop(repl); // the last Root: the heap tears down and frees everything
/// ```
///
/// A handle from a `Root` cannot outlive it (the heap might be gone):
/// ```compile_fail
/// use pyheap_runtime::{Heap, Root};
/// let heap = std::rc::Rc::new(Heap::new());
/// let obj = {
///     let root = Root::new(&heap, &heap.list(&[]).unwrap()).unwrap();
///     root.get()
/// };
/// ```
/// Roots stay on their thread, like the heap:
/// ```compile_fail
/// fn assert_send<T: Send>() {}
/// assert_send::<pyheap_runtime::Root>();
/// ```
pub struct Root {
    ptr: RawObj,
    heap: Rc<Heap>,
}

impl Root {
    /// Root `obj`, which must belong to `heap` (`ForeignObject` otherwise).
    pub fn new<'h>(heap: &Rc<Heap>, obj: &impl AsObj<'h>) -> Result<Root> {
        let obj = obj.as_obj();
        if !obj.belongs_to(heap) {
            return Err(RuntimeError::ForeignObject);
        }
        // SAFETY: live object; the Root owns this reference.
        unsafe { incref(obj.as_raw()) };
        Ok(Root {
            ptr: obj.as_raw(),
            heap: heap.clone(),
        })
    }
    /// A handle to the rooted object, borrowing the root.
    pub fn get(&self) -> Obj<'_> {
        // SAFETY: the Root keeps the object alive and its heap (the Rc) alive for '_.
        unsafe { Obj::from_borrowed(self.ptr) }
    }
    /// The heap the root keeps alive.
    pub fn heap(&self) -> &Heap {
        &self.heap
    }
    /// The owning pointer to the heap (to create more roots).
    pub fn shared_heap(&self) -> &Rc<Heap> {
        &self.heap
    }
}

impl Clone for Root {
    fn clone(&self) -> Self {
        // SAFETY: the Root keeps the object alive.
        unsafe { incref(self.ptr) };
        Root {
            ptr: self.ptr,
            heap: self.heap.clone(),
        }
    }
}

impl Drop for Root {
    fn drop(&mut self) {
        // SAFETY: the Root owns one reference and its heap is alive (the `heap` field is dropped
        // after this body runs).
        unsafe { decref(self.ptr) }
    }
}

impl std::fmt::Debug for Root {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Root({:?})", self.get())
    }
}
