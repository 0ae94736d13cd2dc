//! Errors of the runtime API (the Python exception each one corresponds to is noted).
//!
//! An interpreter's own exception objects travel as [`RuntimeError::Exception`]: the error owns a
//! strong reference ([`Member`]) to the object, so it has no lifetime and can cross `?` freely.
//! Like any `Member`, it must be dropped before its heap (an error kept after the heap is gone
//! makes the heap leak its memory instead of freeing it, with a warning; never UB). Errors are
//! therefore `!Send`.

use crate::Obj;
use crate::heap::Heap;
use crate::member::Member;

/// What can go wrong when using the heap through its safe API.
#[derive(Debug, thiserror::Error, Clone, PartialEq, Eq)]
pub enum RuntimeError {
    /// TypeError: an operation got an object of the wrong type.
    #[error("TypeError: expected {expected}, got {got}")]
    WrongType {
        /// What the operation takes.
        expected: &'static str,
        /// The type it got.
        got: String,
    },
    /// AttributeError.
    #[error("AttributeError: '{type_name}' object has no attribute '{name}'")]
    MissingAttribute {
        /// The object's type.
        type_name: String,
        /// The attribute.
        name: String,
    },
    /// TypeError: unhashable type (list, dict, or a tuple containing one).
    #[error("TypeError: unhashable type: '{0}'")]
    Unhashable(String),
    /// KeyError.
    #[error("KeyError: {0}")]
    KeyError(String),
    /// IndexError.
    #[error("IndexError: index {index} out of range for length {len}")]
    IndexOutOfRange {
        /// The index asked for.
        index: i64,
        /// The sequence's length.
        len: usize,
    },
    /// OverflowError, with CPython's message (`int too large to convert to float`, `Python int
    /// too large to convert to C long`, ...).
    #[error("OverflowError: {0}")]
    Overflow(String),
    /// ZeroDivisionError, with CPython's message (`division by zero`, `integer division or
    /// modulo by zero`, ...).
    #[error("ZeroDivisionError: {0}")]
    ZeroDivision(&'static str),
    /// ValueError, with CPython's message (`invalid literal for int() with base 10: 'x'`, ...).
    #[error("ValueError: {0}")]
    ValueError(String),
    /// MemoryError: the allocator refused.
    #[error("MemoryError: the allocator refused {requested} bytes")]
    OutOfMemory {
        /// Bytes asked for.
        requested: usize,
    },
    /// A user object is already (mutably) borrowed.
    #[error("the {type_name} object is already borrowed")]
    Borrowed {
        /// The user type's name.
        type_name: &'static str,
    },
    /// An object of another heap was used with this heap.
    #[error("the object belongs to another heap")]
    ForeignObject,
    /// A weak reference to an object that does not support them.
    #[error("TypeError: cannot create weak reference to '{0}' object")]
    NotWeakrefable(String),
    /// The weak reference's referent is dead.
    #[error("ReferenceError: weakly-referenced object no longer exists")]
    DeadReferent,
    /// `__slots__` forbids the attribute.
    #[error("AttributeError: '{type_name}' object has no slot '{name}'")]
    NoSlot {
        /// The object's type.
        type_name: String,
        /// The attribute.
        name: String,
    },
    /// RecursionError: the heap's recursion limit was reached ([`Heap::enter_recursion`]).
    ///
    /// [`Heap::enter_recursion`]: crate::Heap::enter_recursion
    #[error("RecursionError: maximum recursion depth exceeded{}", .0.suffix())]
    Recursion(crate::recursion::RecursionKind),
    /// ValueError from `set_recursion_limit` with a limit below 1.
    #[error("ValueError: recursion limit must be greater or equal than 1")]
    InvalidRecursionLimit,
    /// RecursionError from `set_recursion_limit` with a limit not above the current depth.
    #[error(
        "RecursionError: cannot set the recursion limit to {limit} at the recursion depth {depth}: the limit is too low"
    )]
    RecursionLimitTooLow {
        /// The limit asked for.
        limit: usize,
        /// The current depth.
        depth: usize,
    },
    /// TypeError: `<` between objects that have no order (`1 < 'a'`, instances without `__lt__`).
    #[error("TypeError: '<' not supported between instances of '{left}' and '{right}'")]
    Unorderable {
        /// Type of the left operand.
        left: String,
        /// Type of the right operand.
        right: String,
    },
    /// RuntimeError: a set changed size while an iterator walked it.
    #[error("RuntimeError: Set changed size during iteration")]
    SetChangedSize,
    /// RuntimeError: a dict changed size while an iterator walked it.
    #[error("RuntimeError: dictionary changed size during iteration")]
    DictChangedSize,
    /// RuntimeError: a dict's keys changed (same size) while an iterator walked it.
    #[error("RuntimeError: dictionary keys changed during iteration")]
    DictKeysChanged,
    /// TypeError with CPython's message (inconsistent MRO, lay-out conflict, not callable...).
    #[error("TypeError: {0}")]
    TypeError(String),
    /// An interpreter's exception object (see the module docs for its lifetime).
    #[error("{0}")]
    Exception(PyException),
    /// Free text from an embedder (no Python exception type).
    #[error("{0}")]
    Other(String),
}

/// An exception object of the heap, carried by [`RuntimeError::Exception`].
#[derive(Clone)]
pub struct PyException(Member, Option<std::rc::Rc<str>>);

impl PyException {
    /// Wrap an exception object (a new strong reference).
    pub fn new(obj: &Obj<'_>) -> PyException {
        PyException(Member::new(obj), None)
    }
    /// Wrap an exception object with the text to show where the runtime prints the error
    /// without an interpreter at hand (the `Exception ignored in: ...` report of a failing
    /// `__del__`): an interpreter passes its formatted traceback here.
    pub fn with_text(obj: &Obj<'_>, text: &str) -> PyException {
        PyException(Member::new(obj), Some(text.into()))
    }
    /// The exception object, if it belongs to `heap` (`ForeignObject` otherwise).
    pub fn get<'h>(&self, heap: &'h Heap) -> Result<Obj<'h>> {
        self.0.get(heap)
    }
    /// The exception object's type name.
    pub fn type_name(&self) -> &str {
        self.0.type_name()
    }
}

impl RuntimeError {
    /// `raise obj`: an error carrying the interpreter's exception object.
    pub fn exception(obj: &Obj<'_>) -> RuntimeError {
        RuntimeError::Exception(PyException::new(obj))
    }
}

/// Two carried exceptions are equal when they are the same object.
impl PartialEq for PyException {
    fn eq(&self, other: &Self) -> bool {
        self.0.as_raw() == other.0.as_raw()
    }
}
impl Eq for PyException {}

impl std::fmt::Debug for PyException {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "PyException({:?})", self.0)
    }
}

/// Shows the text given to [`PyException::with_text`], else the type name (the object's repr
/// needs its heap: use [`PyException::get`]).
impl std::fmt::Display for PyException {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match &self.1 {
            Some(t) => f.write_str(t),
            None => write!(f, "{} exception object", self.0.type_name()),
        }
    }
}

/// Shorthand.
pub type Result<T, E = RuntimeError> = std::result::Result<T, E>;
