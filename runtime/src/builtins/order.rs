//! Python's `<` for the built-in kinds ([`Obj::py_lt`]), what `List::sort` compares with.
//!
//! ```text
//!   int/bool/float  exact numeric order (NaN: never less)     str    code point order
//!   tuple, list     first differing item decides, else the shorter one is less
//!   set/frozenset   proper subset                             other  TypeError: '<' not supported
//! ```
//!
//! Comparing containers compares their items with `==` and `<`, which may reach user slots:
//! items are held while compared, lengths re-read at every step, and each level counts against
//! the heap's recursion limit, as in `==`.
//!
//! # Invariants
//! Comparing items runs user code, which may shrink or clear the containers being compared: items
//! are read one at a time through `item_at` (which re-reads the length and holds the item it
//! returns), never through a slice kept across a comparison.

use super::{Held, bigint, float, int, list, tuple};
use crate::Obj;
use crate::error::{Result, RuntimeError};
use crate::handle::AsObj;
use crate::object::{RawObj, type_of};
use crate::recursion::RecursionKind;
use crate::types::Kind;
use std::cmp::Ordering;

/// The item at `i` of a tuple or list, held; None past its current end.
///
/// # Safety
/// `op` is a live tuple or list (read again at every call: the list may have shrunk).
unsafe fn item_at(op: RawObj, i: usize) -> Option<Held> {
    // SAFETY: live tuple or list (caller); the item is live while in the container.
    unsafe {
        let items = match type_of(op).kind {
            Kind::Tuple => tuple::items(op),
            _ => list::items(op),
        };
        items.get(i).copied().flatten().map(|p| Held::new(p))
    }
}

/// `a < b`.
///
/// # Safety
/// Both live and held by the caller.
pub(crate) unsafe fn lt(a: RawObj, b: RawObj) -> Result<bool> {
    // SAFETY: live (caller); each arm reads the payload of the kinds it matched.
    unsafe {
        let (ka, kb) = (type_of(a).kind, type_of(b).kind);
        let is_num = |k| matches!(k, Kind::Int | Kind::Bool | Kind::Float);
        match (ka, kb) {
            _ if is_num(ka) && is_num(kb) => Ok(num_cmp(a, b) == Some(Ordering::Less)),
            (Kind::Str, Kind::Str) => Ok(super::str::as_str(a) < super::str::as_str(b)),
            (Kind::Tuple, Kind::Tuple) | (Kind::List, Kind::List) => {
                let heap = &*type_of(a).heap;
                let _level = heap.enter_recursion(RecursionKind::Comparison)?;
                let mut i = 0;
                loop {
                    match (item_at(a, i), item_at(b, i)) {
                        (Some(x), Some(y)) => {
                            if !super::eq(x.raw(), y.raw())? {
                                return lt(x.raw(), y.raw());
                            }
                        }
                        (None, Some(_)) => return Ok(true),
                        _ => return Ok(false),
                    }
                    i += 1;
                }
            }
            (Kind::Set | Kind::FrozenSet, Kind::Set | Kind::FrozenSet) => {
                let (x, y) = (Obj::from_borrowed(a), Obj::from_borrowed(b));
                x.as_set()?.is_proper_subset(y.as_set()?)
            }
            _ => Err(RuntimeError::Unorderable {
                left: type_of(a).name().into(),
                right: type_of(b).name().into(),
            }),
        }
    }
}

/// Exact numeric comparison of two int/bool/float objects (None with a NaN).
///
/// # Safety
/// `a` and `b` are live int, bool or float objects.
unsafe fn num_cmp(a: RawObj, b: RawObj) -> Option<Ordering> {
    // SAFETY: both live numbers (caller).
    unsafe {
        let f = |o: RawObj| (type_of(o).kind == Kind::Float).then(|| float::value(o));
        match (f(a), f(b)) {
            (Some(x), Some(y)) => x.partial_cmp(&y),
            (None, Some(y)) => bigint::cmp_int_float(&int::view(a), y),
            (Some(x), None) => bigint::cmp_int_float(&int::view(b), x).map(Ordering::reverse),
            (None, None) => Some(match (int::view(a), int::view(b)) {
                (int::IntValue::Small(x), int::IntValue::Small(y)) => x.cmp(&y),
                (x, y) => x.to_bigint().cmp(&y.to_bigint()),
            }),
        }
    }
}

impl Obj<'_> {
    /// Python's `a < b` for the built-in kinds (see the module docs); `TypeError: '<' not
    /// supported between instances of 'A' and 'B'` for the others (an interpreter with
    /// `__lt__` passes its own comparison to [`List::sort_by`](crate::List::sort_by)).
    pub fn py_lt<'o>(&self, other: &impl AsObj<'o>) -> Result<bool> {
        // SAFETY: both live, held by their handles.
        unsafe { lt(self.as_raw(), other.as_obj().as_raw()) }
    }
}
