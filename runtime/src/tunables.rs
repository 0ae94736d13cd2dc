//! The runtime's knobs, in one place: each with its unit, why it has this value, and the CPython
//! source it comes from. Relations between knobs (and with other files) are checked at compile
//! time below the table. The allocator's knobs live in `pyheap-allocator`'s `Tunables`, the
//! collector's thresholds in `pyheap-gc`'s `GcConfig`.
//!
//! | knob | value | unit | CPython source |
//! |------|-------|------|----------------|
//! | [`SMALL_INT_MIN`]..=[`SMALL_INT_MAX`] | −5..=256 | int values | `_PY_NSMALLNEGINTS`, `_PY_NSMALLPOSINTS` (pycore_global_objects.h, 3.11) |
//! | [`FLOAT_FREELIST_MAX`] | 100 | objects | `PyFloat_MAXFREELIST` (pycore_floatobject.h) |
//! | [`TUPLE_FREELIST_LENGTHS`] | 20 | tuple lengths | `PyTuple_NFREELISTS` (pycore_tuple.h) |
//! | [`TUPLE_FREELIST_MAX`] | 2000 | objects per length | `PyTuple_MAXFREELIST` (pycore_tuple.h) |
//! | [`LIST_FREELIST_MAX`] | 80 | objects | `PyList_MAXFREELIST` (pycore_list.h) |
//! | [`DICT_FREELIST_MAX`] | 80 | objects | `PyDict_MAXFREELIST` (pycore_dict.h) |
//! | [`DICT_SMALL_MAX`] | 8 | entries | ours; `PyDict_MINSIZE` (dictobject.c) is also 8 |
//! | [`SET_MIN_SIZE`] | 8 | table slots | `PySet_MINSIZE` (cpython/setobject.h) |
//! | [`SET_LINEAR_PROBES`] | 9 | slots | `LINEAR_PROBES` (setobject.c) |
//! | [`DEFAULT_RECURSION_LIMIT`] | 1000 | nested calls | `Py_DEFAULT_RECURSION_LIMIT` (pycore_ceval.h) |
//! | [`SHARED_ATTR_NAMES`] | 32 | names per class | ours; CPython shares keys through split-table dicts (`PEP 412`, dictobject.c) and interns names |

/// Smallest preallocated (immortal, shared) small int. CPython keeps −5..=256 because those
/// values are the most common in real programs (loop counters, small offsets, negative
/// indices); `is` between two such ints is true in CPython and here alike.
pub(crate) const SMALL_INT_MIN: i64 = -5;
/// Largest preallocated small int (see [`SMALL_INT_MIN`]).
pub(crate) const SMALL_INT_MAX: i64 = 256;

/// Dead floats kept for reuse: creating a float then takes no allocator call. 100 is CPython's
/// bound on the memory a burst of float garbage may pin.
pub(crate) const FLOAT_FREELIST_MAX: usize = 100;
/// Tuples of length 1..=this have one free list each (longer tuples are freed at once): short
/// tuples (argument packs, pairs) are the ones created and dropped at a high rate.
pub(crate) const TUPLE_FREELIST_LENGTHS: usize = 20;
/// Dead tuples kept per length.
pub(crate) const TUPLE_FREELIST_MAX: usize = 2000;
/// Dead list objects kept (the object only: item arrays are freed).
pub(crate) const LIST_FREELIST_MAX: usize = 80;
/// Dead dict objects kept (the object only: tables are freed).
pub(crate) const DICT_FREELIST_MAX: usize = 80;

/// Entries a dict holds in its small array before it moves to an `IndexMap`: below this a
/// linear scan with cached hashes is cheaper than a hash table, and most dicts (keyword
/// arguments, small records) stay under it.
pub(crate) const DICT_SMALL_MAX: usize = 8;

/// Slots of a new set's table (a power of two: the probe sequence masks with `size - 1`).
pub(crate) const SET_MIN_SIZE: usize = 8;
/// Adjacent slots probed before the perturbed jump: neighbours share a cache line.
pub(crate) const SET_LINEAR_PROBES: usize = 9;

/// Most attribute names a class keeps for its instances to share (further names are allocated
/// per instance: a class used as a string-keyed map must not make every lookup linear in its
/// keys, since the shared names are searched linearly).
pub(crate) const SHARED_ATTR_NAMES: usize = 32;

/// `sys.getrecursionlimit()` of a new heap.
pub const DEFAULT_RECURSION_LIMIT: usize = 1000;

const _: () = {
    assert!(
        SMALL_INT_MIN <= 0 && SMALL_INT_MAX >= 1,
        "0 and 1 are always cached"
    );
    assert!(TUPLE_FREELIST_LENGTHS >= 1);
    assert!(SET_MIN_SIZE.is_power_of_two());
    assert!(SHARED_ATTR_NAMES >= 1);
    assert!(
        DEFAULT_RECURSION_LIMIT >= 1,
        "set_recursion_limit refuses limits below 1"
    );
};
