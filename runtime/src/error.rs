//! Errors of the runtime API (the Python exception each one corresponds to is noted).

/// What can go wrong when using the heap through its safe API.
#[derive(Debug, thiserror::Error, Clone, PartialEq, Eq)]
pub enum RuntimeError {
    /// TypeError: an operation got an object of the wrong type.
    #[error("TypeError: expected {expected}, got {got}")]
    WrongType { expected: &'static str, got: String },
    /// AttributeError.
    #[error("AttributeError: '{type_name}' object has no attribute '{name}'")]
    MissingAttribute { type_name: String, name: String },
    /// TypeError: unhashable type (list, dict, or a tuple containing one).
    #[error("TypeError: unhashable type: '{0}'")]
    Unhashable(String),
    /// KeyError.
    #[error("KeyError: {0}")]
    KeyError(String),
    /// IndexError.
    #[error("IndexError: index {index} out of range for length {len}")]
    IndexOutOfRange { index: i64, len: usize },
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
    OutOfMemory { requested: usize },
    /// A user object is already (mutably) borrowed.
    #[error("the {type_name} object is already borrowed")]
    Borrowed { type_name: &'static str },
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
    NoSlot { type_name: String, name: String },
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
    RecursionLimitTooLow { limit: usize, depth: usize },
    /// RuntimeError: a set changed size while an iterator walked it.
    #[error("RuntimeError: Set changed size during iteration")]
    SetChangedSize,
    /// RuntimeError: a dict changed size while an iterator walked it.
    #[error("RuntimeError: dictionary changed size during iteration")]
    DictChangedSize,
    /// RuntimeError: a dict's keys changed (same size) while an iterator walked it.
    #[error("RuntimeError: dictionary keys changed during iteration")]
    DictKeysChanged,
}

/// Shorthand.
pub type Result<T, E = RuntimeError> = std::result::Result<T, E>;
