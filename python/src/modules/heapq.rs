//! `heapq`: binary min-heaps kept in plain lists (`a[k] <= a[2k+1]`, `a[k] <= a[2k+2]`),
//! written in Python (`heapq_prelude.py`) and compiled into the module at its first import.
//!
//! ```text
//!   heappush: append, sift up     heappop / heapreplace: last (or new) item to the root, sift down
//!   heapify: sift down every parent, last first      heappushpop: push then pop, in one sift
//!   nsmallest / nlargest: a sorted slice    merge: a generator over the sorted inputs
//! ```
//!
//! Difference from CPython: `nsmallest`/`nlargest` sort the whole input (same results, more
//! work for a large input and a small n); `merge` scans its heads linearly (fine for few inputs).

use crate::vm::{Ctx, PyResult};

const PRELUDE: &str = include_str!("heapq_prelude.py");

pub fn make<'h>(ctx: &Ctx<'h>) -> PyResult<'h> {
    let m = ctx.new_module("heapq", &[])?;
    ctx.run_prelude(&m, PRELUDE, "<heapq>")?;
    Ok(m)
}
