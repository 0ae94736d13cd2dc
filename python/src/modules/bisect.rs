//! `bisect`: binary search in sorted sequences, written in Python (`bisect_prelude.py`) and
//! compiled into the module at its first import.
//!
//! ```text
//!   bisect_left(a, x)  first i with a[i] >= x       bisect_right / bisect: first i with a[i] > x
//!   insort_left / insort_right / insort: a.insert at that position     key= compares key(a[i])
//! ```

use crate::vm::{Ctx, PyResult};

const PRELUDE: &str = include_str!("bisect_prelude.py");

pub fn make<'h>(ctx: &Ctx<'h>) -> PyResult<'h> {
    let m = ctx.new_module("bisect", &[])?;
    ctx.run_prelude(&m, PRELUDE, "<bisect>")?;
    Ok(m)
}
