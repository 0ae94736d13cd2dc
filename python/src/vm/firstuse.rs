//! The allocations CPython's C code makes behind a Python call, modelled so that a program's
//! `gc.get_count()` (and so the moment of each automatic collection) comes out as CPython's.
//!
//! Two kinds, both seen only through generation 0's count and the free lists:
//!
//! ```text
//!   transient   print(a, b)    ── a 2-tuple of the arguments, released at return
//!               cls(x)         ── type.__call__'s 1-tuple of arguments
//!               str(x), min(L) ── the same for built-ins that take a tuple (METH_VARARGS)
//!     → Heap::transient_tuples: counts only when the length's free list is short
//!       (after a full collection, which empties the free lists)
//!
//!   first use   print(...)     ── the keyword-name tuple ('sep', 'end', 'file', 'flush')
//!               repr([1])      ── the thread-state dict and the repr guard's list in it
//!     → made once, kept (and counted) for the life of the interpreter
//! ```
//!
//! Which calls allocate what was measured against CPython 3.11 with `gc.get_count()` deltas
//! (tests/python/gen_count_c_allocations.py prints them); this models the common calls of
//! a learner's program, not every C function.

use super::{Ctx, PyResult};
use pyheap_runtime::Obj;

impl<'h> Ctx<'h> {
    /// Make `what`'s object with `make` the first time, then keep it: CPython made it on
    /// first use and never frees it.
    pub fn first_use(
        &self,
        what: &'static str,
        make: impl FnOnce() -> PyResult<'h, Obj<'h>>,
    ) -> PyResult<'h, ()> {
        if self.first_use.borrow().iter().any(|(w, _)| *w == what) {
            return Ok(());
        }
        let o = make()?;
        self.first_use.borrow_mut().push((what, o));
        Ok(())
    }

    /// What CPython's `tp_call` of a class holds while `__new__`/`__init__` run: the tuple of
    /// `npos` arguments, and with `nkw` keywords their dict and (for the vectorcall of a
    /// Python `__init__`) their names' tuple. Dropping the result releases them.
    pub fn call_temporaries(&self, npos: usize, nkw: usize) -> PyResult<'h, Vec<Obj<'h>>> {
        let mut held = Vec::new();
        let none = self.none();
        if npos > 0 {
            held.push(self.heap.tuple(&vec![none.clone(); npos])?.into_obj());
        }
        if nkw > 0 {
            held.push(self.heap.dict()?.into_obj());
            held.push(self.heap.tuple(&vec![none; nkw])?.into_obj());
        }
        Ok(held)
    }

    /// A call of a built-in that CPython gives its arguments as a tuple and a dict (a
    /// `METH_VARARGS | METH_KEYWORDS` function or a type without vectorcall): the tuple of the
    /// positional arguments after the first `skip` (a method's `self`), and the dict when
    /// keywords were given, both released at return.
    pub fn tuple_call(&self, a: &super::Args<'_, 'h>, skip: usize) -> PyResult<'h, ()> {
        self.heap
            .transient_tuple(a.pos.len().saturating_sub(skip))?;
        if !a.kw.is_empty() {
            self.heap.transient_dict()?;
        }
        Ok(())
    }

    /// print's first call: the keyword names its argument parser keeps.
    pub fn print_first_use(&self) -> PyResult<'h, ()> {
        self.first_use("print", || {
            let names = ["sep", "end", "file", "flush"]
                .iter()
                .map(|n| Ok(self.intern(n)?.into_obj()))
                .collect::<PyResult<'h, Vec<_>>>()?;
            Ok(self.heap.tuple(&names)?.into_obj())
        })
    }

    /// The first repr of a non-empty list, tuple, dict or set: CPython's recursion guard makes
    /// the thread-state dict and puts a list in it.
    pub fn repr_guard_first_use(&self) -> PyResult<'h, ()> {
        self.first_use("repr", || {
            let d = self.heap.dict()?;
            let l = self.heap.list(&[])?;
            d.set(&self.intern("Py_Repr")?, &l)?;
            Ok(d.into_obj())
        })
    }
}
