//! `collections`: container types, written in Python (`collections_prelude.py`) and compiled
//! into the module at its first import.
//!
//! ```text
//!   defaultdict(factory, ...) ── dict subclass, __missing__ stores factory()
//!   Counter(iterable | mapping) ── dict subclass, missing counts read 0, + - | & keep positives
//!   OrderedDict ── dict subclass (dicts keep insertion order): move_to_end, popitem(last=),
//!                  order-sensitive == between OrderedDicts
//!   deque(iterable, maxlen) ── a list inside a Python class, the far end dropped at maxlen
//!   namedtuple(name, fields) ── builds a tuple subclass: __new__ compiled with exec (so its
//!                  argument errors are CPython's), one property per field
//!   ChainMap(*maps) ── look-ups through a list of mappings, writes to the first
//! ```
//!
//! Differences from CPython: `deque` is a list underneath, so `appendleft`/`popleft` are O(n);
//! `OrderedDict.move_to_end(k, last=False)` rebuilds the dict; `ChainMap` is not a
//! `MutableMapping` and its `keys`/`items`/`values` are lists.

use crate::vm::{Ctx, PyResult};

const PRELUDE: &str = include_str!("collections_prelude.py");

pub fn make<'h>(ctx: &Ctx<'h>) -> PyResult<'h> {
    let m = ctx.new_module("collections", &[])?;
    ctx.run_prelude(&m, PRELUDE, "<collections>")?;
    Ok(m)
}
