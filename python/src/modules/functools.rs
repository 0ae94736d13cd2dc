//! `functools`: higher-order helpers, written in Python (`functools_prelude.py`) and compiled
//! into the module at its first import.
//!
//! ```text
//!   reduce(f, it[, initial])      partial(f, *a, **k) ── .func .args .keywords, nested flatten
//!   update_wrapper / wraps        copy __module__ __name__ __qualname__ __doc__ __annotations__,
//!                                 merge __dict__, set __wrapped__
//!   lru_cache(maxsize, typed) / cache ── a closure over a dict kept in recency order
//!                                 (oldest first), cache_info() -> CacheInfo tuple
//!   cmp_to_key(cmp)               total_ordering(cls) ── three comparisons from one root
//! ```
//!
//! Differences from CPython: `partial` and the cached wrapper are Python objects (a `partial`
//! instance has a plain `__dict__`, its attributes are writable; the cached wrapper is a
//! `function`), and `CacheInfo` is a tuple subclass without the rest of the named-tuple API.

use crate::vm::{Ctx, PyResult};

const PRELUDE: &str = include_str!("functools_prelude.py");

pub fn make<'h>(ctx: &Ctx<'h>) -> PyResult<'h> {
    let m = ctx.new_module("functools", &[])?;
    ctx.run_prelude(&m, PRELUDE, "<functools>")?;
    Ok(m)
}
