//! `repr()`: dispatch on the type's repr slot, else on its [`Kind`]; CPython's `Py_ReprEnter`
//! for self-containing containers and its recursion limit for deep ones.
//!
//! ```text
//!   repr(l) where l = [1, l]       "[1, [...]]"       (l is on heap.repr_active while printed)
//!   repr of a 1M-deep nest          Err(Recursion(Repr)) at the heap's recursion limit
//!   list/dict entries               held (strong references) while their repr runs; the length
//!                                   is re-read after each one (a user repr may clear the list)
//! ```
//!
//! A user type's repr may run arbitrary heap code (dropping a `Member` can run a finalizer that
//! clears the very container being printed), so the container is walked by index, re-reading its
//! table or array at every step, and each entry is held while printed: the output then shows the
//! entries as they were when reached, never freed memory.
//!
//! # Invariants
//! A user `repr` may mutate or free anything: the object being printed is held by the caller,
//! each container item is held ([`Held`](super::Held)) while its repr runs and the container's
//! length is re-read after it; `repr_active` lists the containers being printed (pushed and popped
//! by a guard, also on error) and is only compared by address.

use super::{class, dict, float, int, list, set, str, tuple};
use crate::error::Result;
use crate::heap::HeapInner;
use crate::object::{RawObj, type_of};
use crate::recursion::RecursionKind;
use crate::types::Kind;
use std::fmt::Write;

/// `repr(o)`, or the error that stopped it (the recursion limit).
///
/// # Safety
/// `op` is live and the caller holds a reference to it for the duration of the call.
pub(crate) unsafe fn try_repr(op: RawObj) -> Result<String> {
    let mut s = String::new();
    // SAFETY: `op` is live and held by the caller for the call (contract), as `repr_into` needs.
    unsafe { repr_into(op, &mut s)? };
    Ok(s)
}

/// `repr(o)`, falling back to `<type object at 0x...>` when it fails (recursion limit).
///
/// # Safety
/// As [`try_repr`].
pub(crate) unsafe fn repr(op: RawObj) -> String {
    // SAFETY: `op` is live and held by the caller for the call (contract), as `try_repr` needs.
    unsafe { try_repr(op).unwrap_or_else(|_| super::describe(op)) }
}

/// `op` is on the heap's list of containers being printed while this lives (`Py_ReprEnter`).
struct ReprActive<'a> {
    heap: &'a HeapInner,
}

impl<'a> ReprActive<'a> {
    /// None when `op` is already being printed (the caller prints `[...]` / `{...}`).
    fn enter(heap: &'a HeapInner, op: RawObj) -> Option<Self> {
        let mut active = heap.repr_active.borrow_mut();
        if active.contains(&op) {
            return None;
        }
        active.push(op);
        Some(ReprActive { heap })
    }
}

impl Drop for ReprActive<'_> {
    fn drop(&mut self) {
        // Levels end in LIFO order (guards are locals of nested calls).
        self.heap.repr_active.borrow_mut().pop();
    }
}

/// Append the repr of `op` to `out` (containers through the recursion guard and `Py_ReprEnter`).
///
/// # Safety
/// `op` is live and held by the caller across the call (user `repr`s may run).
unsafe fn repr_into(op: RawObj, out: &mut String) -> Result<()> {
    // SAFETY: live and held (caller); each arm reads its kind's payload; the containers are
    // re-read after every call that may run user code.
    unsafe {
        let ty = type_of(op);
        let heap = &*ty.heap;
        if let Some(r) = ty.repr {
            let _level = heap.enter_recursion(RecursionKind::Repr)?;
            out.push_str(&r(op));
            return Ok(());
        }
        match ty.kind {
            Kind::None => out.push_str("None"),
            Kind::Bool => out.push_str(if int::small(op) == Some(0) {
                "False"
            } else {
                "True"
            }),
            Kind::Int => write!(out, "{}", int::view(op)).unwrap(),
            Kind::Float => out.push_str(&float::repr(float::value(op))),
            Kind::Str => out.push_str(&str::repr_str(str::as_str(op))),
            Kind::Tuple => {
                let _level = heap.enter_recursion(RecursionKind::Repr)?;
                // Immutable, and held by the caller: its items stay alive and in place.
                let items = tuple::items(op);
                out.push('(');
                for (i, it) in items.iter().enumerate() {
                    if i > 0 {
                        out.push_str(", ");
                    }
                    match it {
                        Some(p) => repr_into(*p, out)?,
                        None => out.push_str("<NULL>"),
                    }
                }
                if items.len() == 1 {
                    out.push(',');
                }
                out.push(')');
            }
            Kind::List => {
                if list::items(op).is_empty() {
                    out.push_str("[]");
                    return Ok(());
                }
                let Some(_active) = ReprActive::enter(heap, op) else {
                    out.push_str("[...]");
                    return Ok(());
                };
                let _level = heap.enter_recursion(RecursionKind::Repr)?;
                out.push('[');
                let mut i = 0;
                // Re-read the array each time: the previous item's repr may have changed it.
                while let Some(p) = list::items(op).get(i).copied().flatten() {
                    if i > 0 {
                        out.push_str(", ");
                    }
                    let item = super::Held::new(p);
                    repr_into(item.raw(), out)?;
                    i += 1;
                }
                out.push(']');
            }
            Kind::Set | Kind::FrozenSet => {
                let frozen = ty.kind == Kind::FrozenSet;
                if set::len(op) == 0 {
                    out.push_str(if frozen { "frozenset()" } else { "set()" });
                    return Ok(());
                }
                let Some(_active) = ReprActive::enter(heap, op) else {
                    write!(out, "{}(...)", ty.name()).unwrap();
                    return Ok(());
                };
                let _level = heap.enter_recursion(RecursionKind::Repr)?;
                out.push_str(if frozen { "frozenset({" } else { "{" });
                let (mut pos, mut first) = (0, true);
                // Re-read the table each time: the previous element's repr may have changed it.
                while let Some((i, _, k)) = set::next_entry(op, pos) {
                    if !std::mem::take(&mut first) {
                        out.push_str(", ");
                    }
                    let k = super::Held::new(k);
                    repr_into(k.raw(), out)?;
                    pos = i + 1;
                }
                out.push_str(if frozen { "})" } else { "}" });
            }
            Kind::Dict => {
                if dict::len(op) == 0 {
                    out.push_str("{}");
                    return Ok(());
                }
                let Some(_active) = ReprActive::enter(heap, op) else {
                    out.push_str("{...}");
                    return Ok(());
                };
                let _level = heap.enter_recursion(RecursionKind::Repr)?;
                out.push('{');
                let mut i = 0;
                while let Some((k, v)) = dict::entry_at(op, i) {
                    if i > 0 {
                        out.push_str(", ");
                    }
                    let (k, v) = (super::Held::new(k), super::Held::new(v));
                    repr_into(k.raw(), out)?;
                    out.push_str(": ");
                    repr_into(v.raw(), out)?;
                    i += 1;
                }
                out.push('}');
            }
            Kind::Class => write!(out, "<class '{}'>", class::data(op).ty.name()).unwrap(),
            _ => write!(out, "<{} object at {:p}>", ty.name(), op.as_ptr()).unwrap(),
        }
    }
    Ok(())
}
