//! `abc`: `ABCMeta` (a metaclass, `builtins/metaclass.rs`), `ABC`, `abstractmethod` and
//! virtual subclasses through `register`, written in Python (`abc_prelude.py`).
//!
//! ```text
//!   class Shape(ABC): @abstractmethod def area(self)   Shape.__abstractmethods__ = {'area'}
//!   Shape()          TypeError: Can't instantiate abstract class Shape with abstract method area
//!   Shape.register(X)   issubclass(X, Shape), isinstance(X(), Shape)
//! ```
//!
//! Difference from CPython: the abstract check runs in `ABCMeta.__call__` (CPython's is in
//! `object.__new__`), and there is no subclass-check cache.

use crate::vm::{Ctx, PyResult};

const PRELUDE: &str = include_str!("abc_prelude.py");

pub fn make<'h>(ctx: &Ctx<'h>) -> PyResult<'h> {
    let m = ctx.new_module("abc", &[])?;
    ctx.run_prelude(&m, PRELUDE, "<abc>")?;
    Ok(m)
}
