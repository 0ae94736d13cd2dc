//! The heap's recursion limit: CPython's `sys.setrecursionlimit` / `sys.getrecursionlimit` and
//! `Py_EnterRecursiveCall`, one counter per heap shared by every recursive operation.
//!
//! ```text
//!   heap.enter_recursion(kind)? ──▶ depth += 1; depth > limit ? Err(Recursion(kind)) : guard
//!   drop(guard)                 ──▶ depth -= 1
//!
//!   eq of containers and user types   RecursionKind::Comparison  "... in comparison"
//!   hash of a tuple                   RecursionKind::Hash        "maximum recursion depth exceeded"
//!   repr                              RecursionKind::Repr        "... while getting the repr of an object"
//!   front ends: Python frames         RecursionKind::Frame       "maximum recursion depth exceeded"
//!   front ends: calls into objects    RecursionKind::Call        "... while calling a Python object"
//! ```
//!
//! Every built-in operation that recurses through objects (`==` of lists, tuples, dicts and user
//! values, `hash` of tuples, `repr` of containers) enters the counter once per level, so a
//! million-deep nest or a list that contains itself fails with [`RuntimeError::Recursion`]
//! instead of overflowing the stack. An interpreter built on the heap enters the same counter
//! for its own calls ([`Heap::enter_recursion`]), so that Python-level `__eq__` calling `==`
//! calling `__eq__` ... is bounded by one limit, as in CPython.
//!
//! The limit bounds the *count* of nested operations, not the stack: like CPython, a very high
//! limit (`set_recursion_limit(10_000_000)`) lets a deep enough nest overflow the native stack,
//! which aborts the process (Rust's guard page; no undefined behaviour). At the default 1000, the
//! built-in operations use well under 1 MiB of stack.

use crate::error::{Result, RuntimeError};
use crate::heap::{Heap, HeapInner};
use std::cell::Cell;

use crate::tunables::DEFAULT_RECURSION_LIMIT;

/// What was recursing when the limit was hit: chooses the message's suffix, as CPython's
/// `Py_EnterRecursiveCall(where)` does.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum RecursionKind {
    /// A Python frame (CPython 3.11's message for Python-to-Python calls, no suffix).
    Frame,
    /// `==` and the other rich comparisons: " in comparison".
    Comparison,
    /// A call of a callable object: " while calling a Python object".
    Call,
    /// `repr()`: " while getting the repr of an object".
    Repr,
    /// `hash()` of a nested tuple (CPython has no check there and overflows its C stack on a deep
    /// enough nest; the message is the plain one a Python `__hash__` would give).
    Hash,
}

impl RecursionKind {
    /// The text CPython appends to "maximum recursion depth exceeded".
    pub fn suffix(self) -> &'static str {
        match self {
            RecursionKind::Frame | RecursionKind::Hash => "",
            RecursionKind::Comparison => " in comparison",
            RecursionKind::Call => " while calling a Python object",
            RecursionKind::Repr => " while getting the repr of an object",
        }
    }
}

/// The counter and the limit (a field of the heap).
pub(crate) struct RecursionState {
    depth: Cell<usize>,
    limit: Cell<usize>,
}

impl RecursionState {
    pub(crate) const fn new() -> Self {
        RecursionState {
            depth: Cell::new(0),
            limit: Cell::new(DEFAULT_RECURSION_LIMIT),
        }
    }
}

/// One level of recursion, entered by [`Heap::enter_recursion`]; leaving the level is dropping
/// the guard (on unwinding too).
#[must_use = "the recursion level ends when the guard is dropped"]
pub struct RecursionGuard<'a> {
    depth: &'a Cell<usize>,
}

impl Drop for RecursionGuard<'_> {
    #[inline]
    fn drop(&mut self) {
        self.depth.set(self.depth.get() - 1);
    }
}

impl HeapInner {
    /// See [`Heap::enter_recursion`].
    #[inline]
    pub(crate) fn enter_recursion(&self, kind: RecursionKind) -> Result<RecursionGuard<'_>> {
        let r = &self.recursion;
        let d = r.depth.get() + 1;
        if d > r.limit.get() {
            return Err(RuntimeError::Recursion(kind));
        }
        r.depth.set(d);
        Ok(RecursionGuard { depth: &r.depth })
    }
}

impl Heap {
    /// `sys.getrecursionlimit()` (1000 for a new heap).
    pub fn recursion_limit(&self) -> usize {
        self.inner().recursion.limit.get()
    }

    /// `sys.setrecursionlimit(limit)`: a limit below 1 is `InvalidRecursionLimit` (CPython's
    /// ValueError), one not above the current depth is `RecursionLimitTooLow` (CPython's
    /// RecursionError); the limit is unchanged then.
    ///
    /// ```
    /// use pyheap_runtime::{Heap, RuntimeError};
    /// let heap = Heap::new();
    /// assert_eq!(heap.recursion_limit(), 1000);
    /// heap.set_recursion_limit(50)?;
    /// let mut nest = heap.list(&[])?;
    /// for _ in 0..100 {
    ///     nest = heap.list(&[nest.into_obj()])?;
    /// }
    /// let err = nest.try_repr().unwrap_err();
    /// assert_eq!(
    ///     err.to_string(),
    ///     "RecursionError: maximum recursion depth exceeded while getting the repr of an object"
    /// );
    /// assert!(heap.set_recursion_limit(0).is_err());
    /// # Ok::<(), RuntimeError>(())
    /// ```
    pub fn set_recursion_limit(&self, limit: i64) -> Result<()> {
        if limit < 1 {
            return Err(RuntimeError::InvalidRecursionLimit);
        }
        let r = &self.inner().recursion;
        let limit = usize::try_from(limit).unwrap_or(usize::MAX);
        let depth = r.depth.get();
        if depth >= limit {
            return Err(RuntimeError::RecursionLimitTooLow { limit, depth });
        }
        r.limit.set(limit);
        Ok(())
    }

    /// How many recursion levels are entered right now (0 outside any operation).
    pub fn recursion_depth(&self) -> usize {
        self.inner().recursion.depth.get()
    }

    /// Enter one level of the heap's recursion counter (CPython's `Py_EnterRecursiveCall`), for
    /// front ends whose own calls must share the limit with the heap's recursive operations.
    /// Fails with [`RuntimeError::Recursion`]`(kind)` when the level would exceed the limit;
    /// the level ends when the guard is dropped.
    ///
    /// ```
    /// use pyheap_runtime::{Heap, RecursionKind, RuntimeError};
    /// fn depth_first(heap: &Heap, n: usize) -> Result<usize, RuntimeError> {
    ///     let _level = heap.enter_recursion(RecursionKind::Frame)?;
    ///     if n == 0 { Ok(heap.recursion_depth()) } else { depth_first(heap, n - 1) }
    /// }
    /// let heap = Heap::new();
    /// assert_eq!(depth_first(&heap, 9)?, 10);
    /// let err = depth_first(&heap, 5000).unwrap_err();
    /// assert_eq!(err, RuntimeError::Recursion(RecursionKind::Frame));
    /// assert_eq!(err.to_string(), "RecursionError: maximum recursion depth exceeded");
    /// assert_eq!(heap.recursion_depth(), 0); // every guard dropped on the way out
    /// # Ok::<(), RuntimeError>(())
    /// ```
    pub fn enter_recursion(&self, kind: RecursionKind) -> Result<RecursionGuard<'_>> {
        self.inner().enter_recursion(kind)
    }
}
