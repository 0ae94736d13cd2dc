//! List methods that work in place or on the item array directly: slicing, sorting, searching,
//! and an iterator that re-reads the length at every step.
//!
//! ```text
//!   l.slice(Some(1), None, Some(-1))?     l[1::-1]   one new list, items increfed from the array
//!   l.sort(Some(&mut |x| key(x)), false)? l.sort(key=..)   items detached while sorting:
//!        list ──▶ []  (user code sees an empty list)      sorted array put back afterwards;
//!        anything stored meanwhile is released: ValueError: list modified during sort
//!   l.index(&x)? / l.contains(&x)? / l.count(&x)?   item held while compared, length re-read
//!   for x in l.iter() { .. }                         stops at the current length, like CPython
//! ```
//!
//! Sorting is a stable merge sort over a fallible `<` (the built-in [`Obj::py_lt`] or the
//! caller's), so an error from a key or a comparison stops the sort and leaves every item in the
//! list (in some order), as CPython does. `reverse` keeps stability the way CPython does: the
//! array is reversed before and after sorting. Unlike CPython, a list that is modified during the
//! sort and emptied again before the sort ends is not reported (nothing is lost either way).
//!
//! # Invariants
//! No slice of the item array is kept across user code: searches hold the item being compared
//! and re-read the length at every step; `sort` detaches the array first (the list is `[]` for
//! user code meanwhile) and owns its references through handles; `reverse` swaps through the
//! array's own pointer (`list::items_ptr`) and runs no user code.

use super::Held;
use super::list;
use crate::List;
use crate::Obj;
use crate::error::{Result, RuntimeError};
use crate::handle::AsObj;

impl<'h> List<'h> {
    /// `l[start:stop:step]` (Python's slice semantics, negative steps included): a new list.
    pub fn slice(
        &self,
        start: Option<i64>,
        stop: Option<i64>,
        step: Option<i64>,
    ) -> Result<List<'h>> {
        let (first, step, count) = super::slice::indices(self.len(), start, stop, step)?;
        let heap = self.heap_inner().heap();
        let out = heap.list(&[])?;
        for k in 0..count {
            // Appending runs no user code: the indices stay valid.
            let item = self.get(first + k as i64 * step)?;
            out.append(&item)?;
        }
        Ok(out)
    }
    /// `x in l`: `item == x` for each item in order (the item's eq slot first, as CPython).
    pub fn contains<'o>(&self, x: &impl AsObj<'o>) -> Result<bool> {
        Ok(self.find(x, 0, usize::MAX)?.is_some())
    }
    /// `l.index(x, start, stop)` (bounds clamped like Python's): `ValueError: x is not in list`.
    pub fn index<'o>(
        &self,
        x: &impl AsObj<'o>,
        start: Option<i64>,
        stop: Option<i64>,
    ) -> Result<usize> {
        let n = self.len() as i64;
        let clamp = |v: i64| if v < 0 { (v + n).max(0) } else { v } as usize;
        let (a, b) = (clamp(start.unwrap_or(0)), stop.map_or(usize::MAX, clamp));
        self.find(x, a, b)?.ok_or_else(|| {
            RuntimeError::ValueError(format!("{} is not in list", x.as_obj().repr()))
        })
    }
    /// `l.count(x)`.
    pub fn count<'o>(&self, x: &impl AsObj<'o>) -> Result<usize> {
        let mut n = 0;
        let mut i = 0;
        while let Some(j) = self.find(x, i, usize::MAX)? {
            n += 1;
            i = j + 1;
        }
        Ok(n)
    }
    /// The first index in `from..to` (clipped to the current length at every step) whose item
    /// equals `x`.
    fn find<'o>(&self, x: &impl AsObj<'o>, from: usize, to: usize) -> Result<Option<usize>> {
        let x = x.as_obj();
        let mut i = from;
        while i < to.min(self.len()) {
            // SAFETY: live list, i < len; the item is held while compared (the comparison may
            // run user code that shrinks the list), and the length is re-read at every step.
            let item = unsafe { Held::new(list::items(self.as_raw())[i].expect("list item")) };
            // SAFETY: both live (held).
            if unsafe { super::eq(item.raw(), x.as_raw())? } {
                return Ok(Some(i));
            }
            i += 1;
        }
        Ok(None)
    }
    /// `l.reverse()`.
    pub fn reverse(&self) {
        let n = self.len();
        for i in 0..n / 2 {
            // SAFETY: live list, i and n-1-i < len; swapping runs no user code. The writes go
            // through the array's own pointer: one taken from the `items` slice is read-only
            // (Miri, Stacked Borrows: "write access ... only grants SharedReadOnly").
            unsafe {
                let items = list::items_ptr(self.as_raw());
                std::ptr::swap(items.add(i), items.add(n - 1 - i));
            }
        }
    }
    /// Iterate the items; each step re-reads the length (items appended during the loop are
    /// seen, a list shrunk under the loop ends it), like CPython's list iterator.
    pub fn iter(&self) -> ListIter<'h> {
        ListIter {
            list: self.clone(),
            pos: 0,
        }
    }
    /// `l.sort(key=key, reverse=reverse)` with Python's `<` ([`Obj::py_lt`]).
    pub fn sort(&self, key: Option<&mut KeyFn<'_, 'h>>, reverse: bool) -> Result<()> {
        self.sort_by(key, reverse, &mut |a, b| a.py_lt(b))
    }
    /// `l.sort(...)` with the caller's `<` (an interpreter's `__lt__`). Stable.
    pub fn sort_by(
        &self,
        key: Option<&mut KeyFn<'_, 'h>>,
        reverse: bool,
        lt: &mut LtFn<'_, 'h>,
    ) -> Result<()> {
        // Detach the array: user code run by keys and comparisons sees an empty list.
        // SAFETY: live list; the detached array's references are owned by `items` below.
        let (arr, n, cap) = unsafe { list::take_items(self.as_raw()) };
        // SAFETY: the detached array holds n strong references, handed to the handles.
        let mut items: Vec<Obj<'h>> = (0..n)
            .map(|i| unsafe { Obj::from_owned((*arr.add(i)).expect("list item")) })
            .collect();
        let result = sort_items(&mut items, key, reverse, lt);
        // The items go back in their new order; whatever was stored in the list meanwhile is
        // released afterwards (CPython's "list modified during sort").
        // SAFETY: the detached array is still ours; each handle's reference moves into a slot;
        // the list's interim array is detached before it is released (which runs user code).
        let modified = unsafe {
            for (i, it) in items.into_iter().enumerate() {
                arr.add(i).write(Some(it.into_raw()));
            }
            let (old, m, old_cap) = list::swap_items(self.as_raw(), arr, n, cap);
            let modified = !old.is_null() || m != 0;
            list::release_items(self.heap_inner(), old, m, old_cap);
            modified
        };
        result?;
        if modified {
            return Err(RuntimeError::ValueError("list modified during sort".into()));
        }
        Ok(())
    }
}

/// A sort key: the item's key object, or the error that stops the sort.
pub type KeyFn<'a, 'h> = dyn FnMut(&Obj<'h>) -> Result<Obj<'h>> + 'a;
/// A sort comparison: `a < b`, or the error that stops the sort.
pub type LtFn<'a, 'h> = dyn FnMut(&Obj<'h>, &Obj<'h>) -> Result<bool> + 'a;

fn sort_items<'h>(
    items: &mut Vec<Obj<'h>>,
    key: Option<&mut KeyFn<'_, 'h>>,
    reverse: bool,
    lt: &mut LtFn<'_, 'h>,
) -> Result<()> {
    if reverse {
        items.reverse();
    }
    let keys = match key {
        Some(k) => Some(items.iter().map(k).collect::<Result<Vec<_>>>()?),
        None => None,
    };
    // Sort a permutation by the keys (or the items), then apply it.
    let mut order: Vec<usize> = (0..items.len()).collect();
    let by = keys.as_ref().unwrap_or(items);
    let mut less = |a: usize, b: usize| lt(&by[a], &by[b]);
    let sorted = merge_sort(&mut order, &mut less);
    let old = std::mem::take(items);
    let mut slots: Vec<Option<Obj<'h>>> = old.into_iter().map(Some).collect();
    *items = order
        .iter()
        .map(|&i| slots[i].take().expect("a permutation"))
        .collect();
    if reverse {
        items.reverse();
    }
    sorted
}

/// Stable merge sort of `v` by a fallible `less`; on error `v` is still a permutation.
fn merge_sort(v: &mut [usize], less: &mut dyn FnMut(usize, usize) -> Result<bool>) -> Result<()> {
    let n = v.len();
    if n <= 16 {
        // Insertion sort: shift while the new element is strictly less (stable).
        for i in 1..n {
            let mut j = i;
            while j > 0 && less(v[j], v[j - 1])? {
                v.swap(j, j - 1);
                j -= 1;
            }
        }
        return Ok(());
    }
    let mid = n / 2;
    merge_sort(&mut v[..mid], less)?;
    merge_sort(&mut v[mid..], less)?;
    let (mut a, mut b) = (0, mid);
    let mut out = Vec::with_capacity(n);
    let mut err = None;
    while a < mid && b < n {
        // Take from the right only when strictly less: equal elements keep their order.
        match less(v[b], v[a]) {
            Ok(true) => {
                out.push(v[b]);
                b += 1;
            }
            Ok(false) => {
                out.push(v[a]);
                a += 1;
            }
            Err(e) => {
                err = Some(e);
                break;
            }
        }
    }
    out.extend_from_slice(&v[a..mid]);
    out.extend_from_slice(&v[b..n]);
    v.copy_from_slice(&out);
    err.map_or(Ok(()), Err)
}

/// An iterator over a list that re-reads its length at every step (holds the list).
pub struct ListIter<'h> {
    list: List<'h>,
    pos: usize,
}

impl<'h> Iterator for ListIter<'h> {
    type Item = Obj<'h>;
    fn next(&mut self) -> Option<Obj<'h>> {
        // SAFETY: live list (held); the index is checked against the current length.
        let p = unsafe { list::items(self.list.as_raw()) }
            .get(self.pos)
            .copied()
            .flatten()?;
        self.pos += 1;
        // SAFETY: an item of a live list of this heap.
        Some(unsafe { Obj::from_borrowed(p) })
    }
}
