//! `dataclasses`: `@dataclass` (with `init`, `repr`, `eq`, `order`, `frozen`, `unsafe_hash`),
//! `field`, `fields`, `asdict`, `astuple`, `replace`, `is_dataclass`, `FrozenInstanceError`,
//! written in Python (`dataclasses_prelude.py`) and compiled into the module at its first import.
//!
//! ```text
//!   @dataclass class P: x: int; y: int = 0
//!     fields  the class's own __annotations__ in order, after the bases' (ClassVar skipped)
//!     methods __init__(self, x, y=0) · __repr__ "P(x=1, y=0)" · __eq__ on the field tuple
//! ```
//!
//! Difference from CPython: the methods are generic closures over the field list rather than
//! generated source, so their `__qualname__`s and some argument errors read differently;
//! `InitVar`, `KW_ONLY`, `__post_init__` arguments and `__match_args__` are not modelled
//! (`__post_init__()` itself is called).

use crate::vm::{Ctx, PyResult};

const PRELUDE: &str = include_str!("dataclasses_prelude.py");

pub fn make<'h>(ctx: &Ctx<'h>) -> PyResult<'h> {
    let m = ctx.new_module("dataclasses", &[])?;
    ctx.run_prelude(&m, PRELUDE, "<dataclasses>")?;
    Ok(m)
}
