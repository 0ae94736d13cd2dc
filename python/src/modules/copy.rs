//! `copy`: shallow and deep copies, written in Python (`copy_prelude.py`) and compiled into
//! the module at its first import.
//!
//! ```text
//!   copy(x)      atoms and tuples: x itself; list/dict/set: x.copy(); __copy__ if defined;
//!                instances: cls.__new__(cls) then the same __dict__ entries and slots
//!   deepcopy(x)  memo (id -> copy) first, so shared and cyclic structure is kept; containers
//!                item by item; __deepcopy__(memo) if defined; instances as copy, each value
//!                deep-copied; a tuple whose items all copy to themselves is kept
//! ```
//!
//! Difference from CPython: there is no `__reduce_ex__` protocol: an instance is rebuilt from
//! its class (`__new__` without arguments, or with the value for tuple/str/int subclasses),
//! its `__dict__` and its `__slots__`; `copyreg` is not consulted.

use crate::vm::{Ctx, PyResult};

const PRELUDE: &str = include_str!("copy_prelude.py");

pub fn make<'h>(ctx: &Ctx<'h>) -> PyResult<'h> {
    let m = ctx.new_module("copy", &[])?;
    ctx.run_prelude(&m, PRELUDE, "<copy>")?;
    Ok(m)
}
