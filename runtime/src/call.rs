//! How the runtime calls an interpreter's own callable objects: the call hook, and the two
//! per-heap slots that hold such objects for the collector and for error reports
//! (`gc.callbacks`, `sys.unraisablehook`).
//!
//! ```text
//!   death of an instance ─▶ class.__del__ (a heap object) ─┐
//!   hash/==/repr of an instance ─▶ class.__hash__ ..  ─────┤
//!   weakref's referent dies ─▶ wr.__callback__ ────────────┼─▶ heap.call(f, args) ─▶ hook(heap, f, args)
//!   each collection, start and stop ─▶ heap.gc_callbacks() ┤        (one per heap, set by the
//!   an error nobody can catch ─▶ heap.unraisable_object() ─┘         interpreter: runs its VM)
//! ```
//!
//! # Which callbacks the collector sees
//! | kind | stored as | traversed (cycles through it are collected) |
//! |------|-----------|----------------------------------------------|
//! | `__del__`/`__hash__`/`__eq__`/`__repr__` class attributes | heap objects | yes (class attributes) |
//! | `heap.weakref_with_callable(&o, &f)` | heap object in the weakref | yes (`wr` traverses it, as CPython's does) |
//! | [`Heap::gc_callbacks`]: a list of callables | a tracked heap list the heap owns | traversed like any list (its entries show in `get_referents`/`get_referrers`); the list itself is a root, as the gc module's list is in CPython, so its entries live until removed; released first thing at teardown |
//! | [`Heap::set_unraisable_object`] | one strong reference the heap owns | an ordinary object held by a root (as `sys.unraisablehook` is); released at teardown after the first final collection |
//! | [`ClassSpec::with_del`](crate::ClassSpec::with_del), `with_legacy_del`, `heap.weakref(&o, Some(Heap::obj_fn(..)))` | Rust closures | **no**: a `Member` captured in one is an external reference |
//! | `heap.gc().add_callback`/`add_heap_callback`, [`Heap::set_unraisable_hook`] | Rust closures | no (roots, released at teardown) |
//! | the call hook itself | a Rust closure owned by the heap | no (released at teardown, after the final collections) |
//!
//! Rust-only users keep the closures; an interpreter stores its functions as heap objects and
//! sets one hook. Without a hook, calling an object fails with CPython's
//! `TypeError: 'X' object is not callable` (reported as unraisable when the runtime made the call).
//!
//! The call conventions (CPython's) are on [`Heap::gc_callbacks`] and
//! [`Heap::set_unraisable_object`].
//!
//! # Invariants
//! The `gc.callbacks` list and the unraisable-hook object, when set, are strong references owned
//! by the heap (released at teardown or when replaced: the old one is detached from its cell
//! before its decref, which may run user code); the handles returned for them take a new
//! reference.

use crate::error::{Result, RuntimeError};
use crate::handle::AsObj;
use crate::heap::{Heap, HeapInner};
use crate::object::RawObj;
use crate::refcount::{decref, incref};
use crate::{List, Obj};
use pyheap_gc::{GcCallbackInfo, Phase};
use std::cell::Cell;
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

/// The heap's slots for heap-object callbacks (`HeapInner::callables`). Each slot owns one
/// strong reference (or none).
pub(crate) struct HeapCallables {
    /// `gc.callbacks`: a list, created on first use.
    gc_callbacks: Cell<Option<RawObj>>,
    /// `sys.unraisablehook` as a heap object.
    unraisable: Cell<Option<RawObj>>,
    /// True while the unraisable object runs (a nested report bypasses it).
    reporting: Cell<bool>,
}

impl HeapCallables {
    pub(crate) fn new() -> HeapCallables {
        HeapCallables {
            gc_callbacks: Cell::new(None),
            unraisable: Cell::new(None),
            reporting: Cell::new(false),
        }
    }

    /// Teardown: let go of `gc.callbacks` (so the final collections call no heap object).
    pub(crate) fn release_gc_callbacks(&self) {
        if let Some(l) = self.gc_callbacks.take() {
            // SAFETY: the slot owned one reference; it is detached before this may run code.
            unsafe { decref(l) };
        }
    }

    /// Teardown: let go of the unraisable object (later reports go to the Rust hook/stderr).
    pub(crate) fn release_unraisable(&self) {
        if let Some(h) = self.unraisable.take() {
            // SAFETY: the stored unraisable object holds one strong reference, released here
            // once (`take()` empties the slot).
            unsafe { decref(h) };
        }
    }
}

impl Heap {
    /// `gc.callbacks`: the heap's list of callables the collector calls through the call hook
    /// ([`set_call_hook`](Self::set_call_hook)), as CPython does:
    /// - `cb(phase, info)` for each entry, at the start and at the stop of every collection
    ///   (automatic or `heap.gc().collect(g)`; not the ones teardown runs). `phase` is the str
    ///   `"start"` or `"stop"`; `info` is a new dict `{"generation": g, "collected": n,
    ///   "uncollectable": m}` (0 and 0 at start), one dict shared by the callbacks of a phase.
    /// - The list is walked by index with its length re-checked, so callbacks may add or remove
    ///   entries (one that removes itself makes the walk skip the next entry, as in CPython).
    /// - An error (or a panic in the hook) is reported as unraisable about `cb`
    ///   ([`set_unraisable_object`](Self::set_unraisable_object)), and the next callback runs.
    ///   `gc.collect()` inside a callback returns 0.
    /// - Rust closures from `heap.gc().add_callback` run before the list's callables.
    ///
    /// The list is an ordinary tracked heap list (traversed: its entries show in
    /// `get_referents`/`get_referrers`), created on first use and owned by the heap as a root,
    /// like the gc module's list; every call returns the same list. Teardown releases it first,
    /// so the final collections call no heap object.
    ///
    /// ```
    /// use pyheap_runtime::{Heap, Obj, RuntimeError};
    /// use std::rc::Rc;
    ///
    /// let heap = Heap::new();
    /// let log = heap.list(&[])?;
    /// heap.set_context(Some(&log))?;
    /// // A toy VM whose only function appends `(phase, info["collected"])` to the context list.
    /// heap.set_call_hook(Some(Rc::new(|heap: &Heap, _f: &Obj<'_>, args: &[Obj<'_>]| {
    ///     let info = args[1].as_dict()?;
    ///     let n = info.get_item(&heap.str("collected")?)?;
    ///     let entry = heap.tuple(&[args[0].clone(), n])?;
    ///     heap.context().unwrap().as_list()?.append(&entry)?;
    ///     Ok(heap.none())
    /// })));
    /// heap.gc_callbacks()?.append(&heap.str("logger")?)?;
    /// let a = heap.list(&[])?;
    /// a.append(&a)?; // a cycle
    /// drop(a);
    /// heap.gc().collect(2).unwrap();
    /// assert_eq!(log.repr(), "[('start', 0), ('stop', 1)]");
    /// # Ok::<(), RuntimeError>(())
    /// ```
    pub fn gc_callbacks(&self) -> Result<List<'_>> {
        let slots = &self.inner().callables;
        if let Some(l) = slots.gc_callbacks.get() {
            // SAFETY: the slot keeps the list alive; it belongs to this heap.
            return Ok(List(unsafe { Obj::from_borrowed(l) }));
        }
        let l = self.list(&[])?;
        // SAFETY: live list; the slot owns this reference.
        unsafe { incref(l.as_raw()) };
        slots.gc_callbacks.set(Some(l.as_raw()));
        Ok(l)
    }

    /// Set (or clear) `sys.unraisablehook` as a heap object: errors nobody can catch (in
    /// `__del__`, weakref callbacks, gc callbacks, Rust finalizers that panic) are passed to it
    /// through the call hook instead of the Rust
    /// [`set_unraisable_hook`](Self::set_unraisable_hook) closure, as `hook(exc, err_msg, obj)`:
    /// - `exc`: the interpreter's exception object for [`RuntimeError::Exception`], otherwise a
    ///   str with the error's text (`"TypeError: 'int' object is not callable"`, `"panic: boom"`);
    /// - `err_msg`: the str `"Exception ignored in"` (for a panic in Rust code, `"Exception
    ///   ignored in: <T object at 0x..>"`);
    /// - `obj`: what the error is about (the `__del__` function, the weakref or gc callback), or
    ///   `None` for a panic (that object may be in the middle of its deallocation).
    ///
    /// If the hook fails, its own error goes to the Rust hook (or stderr) as `Exception ignored
    /// in sys.unraisablehook: <hook>`, as CPython does. A report made while the hook runs goes
    /// to the Rust hook directly (no recursion); so does a panic in a user type's `traverse`
    /// (a collection phase is running). The heap owns the object (a root); teardown releases it
    /// after its first collection.
    pub fn set_unraisable_object<'h>(&'h self, hook: Option<&impl AsObj<'h>>) -> Result<()> {
        let inner = self.inner();
        let new = match hook {
            Some(h) => {
                let h = h.as_obj();
                h.check_heap(inner)?;
                // SAFETY: live object; the slot owns this reference.
                unsafe { incref(h.as_raw()) };
                Some(h.as_raw())
            }
            None => None,
        };
        if let Some(old) = inner.callables.unraisable.replace(new) {
            // SAFETY: the slot owned it; detached before this may run finalizers.
            unsafe { decref(old) };
        }
        Ok(())
    }

    /// The object set by [`set_unraisable_object`](Self::set_unraisable_object).
    pub fn unraisable_object(&self) -> Option<Obj<'_>> {
        let h = self.inner().callables.unraisable.get()?;
        // SAFETY: the slot keeps it alive; it belongs to this heap.
        Some(unsafe { Obj::from_borrowed(h) })
    }
}

/// What an unraisable report carries to the heap-object hook.
pub(crate) enum Unraisable<'a, 'o> {
    /// An error returned by a heap object the runtime called, about `obj` (live, held).
    Error {
        err: &'a RuntimeError,
        obj: Option<&'a Obj<'o>>,
    },
    /// A panic in Rust user code, about the object `what` describes (the object itself may be
    /// in the middle of its deallocation: it is not handed out).
    Panic { what: &'a str, msg: &'a str },
}

/// Offer a report to the heap's unraisable object. True if it took it (called successfully, or
/// failed and had its own failure written); false if there is none or it is already running,
/// so the caller writes the report to the Rust hook.
pub(crate) fn offer_unraisable(inner: &HeapInner, report: Unraisable<'_, '_>) -> bool {
    let slots = &inner.callables;
    let Some(h) = slots.unraisable.get() else {
        return false;
    };
    if slots.reporting.get() {
        return false;
    }
    let heap = inner.heap();
    // SAFETY: the slot keeps it alive; held by the handle while it runs.
    let hook = unsafe { Obj::from_borrowed(h) };
    slots.reporting.set(true);
    let r = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| -> Result<()> {
        let (exc, msg, obj) = match report {
            Unraisable::Error { err, obj } => {
                let exc = match err {
                    RuntimeError::Exception(e) => e.get(heap)?,
                    e => heap.str(&e.to_string())?.into_obj(),
                };
                let obj = match obj {
                    // SAFETY: live (the caller holds it) for the whole report; `call` checks
                    // that it belongs to this heap before anything uses it.
                    Some(o) => unsafe { Obj::from_borrowed(o.as_raw()) },
                    None => heap.none(),
                };
                (exc, heap.str("Exception ignored in")?, obj)
            }
            Unraisable::Panic { what, msg } => (
                heap.str(&format!("panic: {msg}"))?.into_obj(),
                heap.str(&format!("Exception ignored in: {what}"))?,
                heap.none(),
            ),
        };
        heap.call(&hook, &[exc, msg.into_obj(), obj]).map(drop)
    }));
    slots.reporting.set(false);
    let failure = match r {
        Ok(Ok(())) => return true,
        Ok(Err(e)) => e.to_string(),
        Err(payload) => format!("panic: {}", crate::heap::panic_text(payload.as_ref())),
    };
    // SAFETY: the handle keeps the hook alive.
    let desc = unsafe { crate::builtins::describe(hook.as_raw()) };
    inner.emit_unraisable(&format!(
        "Exception ignored in sys.unraisablehook: {desc}\n{failure}"
    ));
    true
}

/// The collector's start/stop callback for the heap's `gc.callbacks` list.
pub(crate) fn invoke_gc_callbacks(inner: &HeapInner, phase: Phase, info: &GcCallbackInfo) {
    let Some(l) = inner.callables.gc_callbacks.get() else {
        return;
    };
    // SAFETY: the slot keeps the list alive; the handle holds it while callbacks run (one may
    // not replace the slot, but it may empty the list).
    let list = List(unsafe { Obj::from_borrowed(l) });
    if list.is_empty() {
        return;
    }
    let heap = inner.heap();
    let args = (|| -> Result<[Obj<'_>; 2]> {
        let phase = heap.str(match phase {
            Phase::Start => "start",
            Phase::Stop => "stop",
        })?;
        let d = heap.dict()?;
        for (k, v) in [
            ("generation", info.generation),
            ("collected", info.collected),
            ("uncollectable", info.uncollectable),
        ] {
            d.set(&heap.str(k)?, &heap.int(v as i64)?)?;
        }
        Ok([phase.into_obj(), d.into_obj()])
    })();
    let args = match args {
        Ok(a) => a,
        Err(e) => {
            let report = Unraisable::Error { err: &e, obj: None };
            if !offer_unraisable(inner, report) {
                inner.emit_unraisable(&format!("Exception ignored in: gc callbacks\n{e}"));
            }
            return;
        }
    };
    let mut i = 0;
    while i < list.len() {
        let Ok(cb) = list.get(i as i64) else { break };
        let r = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| heap.call(&cb, &args)));
        match r {
            Ok(Ok(_)) => {}
            Ok(Err(e)) => inner.report_unraisable_error(&cb, &e),
            Err(payload) => {
                let msg = crate::heap::panic_text(payload.as_ref());
                let e = RuntimeError::Other(format!("panic: {msg}"));
                inner.report_unraisable_error(&cb, &e);
                // The payload may itself panic on drop; swallow that too.
                let _ =
                    std::panic::catch_unwind(std::panic::AssertUnwindSafe(move || drop(payload)));
            }
        }
        i += 1;
    }
}
