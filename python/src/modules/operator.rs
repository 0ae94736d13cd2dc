//! `operator`: the operators as functions, and the `itemgetter` / `attrgetter` /
//! `methodcaller` callables, written in Python (`operator_prelude.py`) and compiled into the
//! module at its first import. Each function applies the operator itself (`add(a, b)` is
//! `a + b`), so it takes the VM's one path for that operator, dunders and errors included.
//!
//! ```text
//!   add sub mul truediv floordiv mod pow neg pos abs index invert lshift rshift and_ or_ xor
//!   lt le eq ne ge gt not_ truth is_ is_not contains getitem setitem delitem concat
//!   itemgetter(i, ...)  attrgetter('a.b', ...)  methodcaller(name, *args, **kw)
//!   __add__ ... aliases; iadd isub imul iconcat
//! ```
//!
//! Difference from CPython: the functions are Python functions (`type(operator.add)` is
//! `function`, not `builtin_function_or_method`), and argument-count errors name them as
//! Python functions do.

use crate::vm::{Ctx, PyResult};

const PRELUDE: &str = include_str!("operator_prelude.py");

pub fn make<'h>(ctx: &Ctx<'h>) -> PyResult<'h> {
    let m = ctx.new_module("operator", &[])?;
    ctx.run_prelude(&m, PRELUDE, "<operator>")?;
    Ok(m)
}
