//! The [`Set`] handle (a set or a frozenset): Python's set methods, algebra and iteration.
//!
//! ```text
//!   heap.set(&[a, b])?          {a, b}             s.add(&x)?  s.discard(&x)?  s.remove(&x)?
//!   heap.frozenset(&[a])?       frozenset({a})     s.contains(&x)?  s.pop()?  s.clear()
//!   s.union(&t)?  s.intersection(&t)?  s.difference(&t)?  s.symmetric_difference(&t)?
//!   s.is_subset(&t)?  s.is_superset(&t)?  s.is_disjoint(&t)?  s.update(&t)? ...
//!   for x in s.iter() { x? }    RuntimeError: Set changed size during iteration
//! ```
//!
//! The algebra builds its result the way CPython's `setobject.c` does (which operand is walked,
//! which one is copied first), so results iterate in CPython's order. The result of a binary
//! operation has the type of the left operand (`frozenset | set` is a frozenset), as in CPython.
//! Mutating methods on a frozenset fail with `WrongType` (CPython: `AttributeError`). Every
//! element is hashed through its type slot before the table is touched, and elements are held
//! while compared (see `set.rs`), so user `py_eq`/`py_hash` code that mutates a set cannot make
//! these methods read freed memory. Unlike CPython, a `set` used as a key of another lookup is
//! not turned into a frozenset (`{1} in s` is `Unhashable`).
//!
//! # Invariants
//! The set methods go through `set.rs`'s table functions, which hold the keys they compare and
//! restart when the table changed; here, every key taken out of a table becomes an owned handle
//! before user code runs, and the iterator holds its set and re-reads the slot at each step.

use super::Held;
use super::set::{self, body};
use crate::Obj;
use crate::error::{Result, RuntimeError};
use crate::handle::AsObj;
use crate::heap::{Heap, HeapInner};
use crate::object::{RawObj, gc_head, payload_ptr};
use crate::types::Kind;
use std::cell::Cell;

/// A set or frozenset handle.
#[repr(transparent)]
#[derive(Clone)]
pub struct Set<'h>(pub(crate) Obj<'h>);

impl<'h> std::ops::Deref for Set<'h> {
    type Target = Obj<'h>;
    fn deref(&self) -> &Obj<'h> {
        &self.0
    }
}
impl<'h> AsObj<'h> for Set<'h> {
    fn as_obj(&self) -> &Obj<'h> {
        &self.0
    }
}
impl<'h> From<Set<'h>> for Obj<'h> {
    fn from(s: Set<'h>) -> Obj<'h> {
        s.0
    }
}
impl std::fmt::Debug for Set<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.0.fmt(f)
    }
}

impl<'h> Obj<'h> {
    /// View as a [`Set`] (error unless the object is a set or a frozenset).
    pub fn as_set(&self) -> Result<&Set<'h>> {
        if matches!(self.kind(), Kind::Set | Kind::FrozenSet) {
            // SAFETY: Set is repr(transparent) over Obj.
            Ok(unsafe { &*(self as *const Obj<'h>).cast::<Set<'h>>() })
        } else {
            self.wrong_type("set")
        }
    }
}

fn new_raw(heap: &HeapInner, frozen: bool) -> Result<RawObj> {
    let ty = if frozen {
        &heap.types.frozenset
    } else {
        &heap.types.set
    };
    let op = heap.new_object(ty, set::BASIC)?;
    // SAFETY: a fresh object of BASIC bytes: write the empty body, then track it.
    unsafe {
        payload_ptr(op).cast::<set::SetBody>().write(set::SetBody {
            table: Cell::new(std::ptr::null_mut()),
            mask: Cell::new(7),
            used: Cell::new(0),
            fill: Cell::new(0),
            hash: Cell::new(-1),
            finger: Cell::new(0),
        });
        heap.gc.track(gc_head(op));
    }
    Ok(op)
}

impl Heap {
    /// `set(items)`: the items added in order (duplicates by Python equality dropped).
    pub fn set<'h>(&'h self, items: &[Obj<'h>]) -> Result<Set<'h>> {
        self.new_set_of(false, items)
    }
    /// `frozenset(items)`.
    pub fn frozenset<'h>(&'h self, items: &[Obj<'h>]) -> Result<Set<'h>> {
        self.new_set_of(true, items)
    }
    fn new_set_of<'h>(&'h self, frozen: bool, items: &[Obj<'h>]) -> Result<Set<'h>> {
        // SAFETY: a fresh object of this heap; the handle owns its reference.
        let s = Set(unsafe { Obj::from_owned(new_raw(self.inner(), frozen)?) });
        for it in items {
            s.insert(it)?;
        }
        Ok(s)
    }
}

/// Iterates a set's elements, checking at every step that its size did not change (CPython's
/// `RuntimeError: Set changed size during iteration`, then the same error on every later call).
pub struct SetIter<'h> {
    set: Set<'h>,
    pos: usize,
    used: Option<usize>,
}

impl<'h> Iterator for SetIter<'h> {
    type Item = Result<Obj<'h>>;
    fn next(&mut self) -> Option<Self::Item> {
        let now = self.set.len();
        if self.used != Some(now) {
            self.used = None;
            return Some(Err(RuntimeError::SetChangedSize));
        }
        // SAFETY: live set (the iterator holds it); the table is re-read at every step.
        let (i, _, k) = unsafe { set::next_entry(self.set.as_raw(), self.pos) }?;
        self.pos = i + 1;
        // SAFETY: an active key of a live set of this heap.
        Some(Ok(unsafe { Obj::from_borrowed(k) }))
    }
}

impl<'h> Set<'h> {
    /// The handle as a plain object (like the other typed handles' `into_obj`).
    pub fn into_obj(self) -> Obj<'h> {
        self.0
    }
    fn b(&self) -> &set::SetBody {
        // SAFETY: live set.
        unsafe { body(self.as_raw()) }
    }
    /// `len(s)`.
    pub fn len(&self) -> usize {
        self.b().used.get()
    }
    /// `len(s) == 0`.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
    /// Is it a frozenset?
    pub fn is_frozen(&self) -> bool {
        self.kind() == Kind::FrozenSet
    }
    fn mutable(&self) -> Result<()> {
        if self.is_frozen() {
            self.wrong_type("set")
        } else {
            Ok(())
        }
    }
    /// Add without the frozenset check (building a new frozenset).
    fn insert<'o>(&self, k: &impl AsObj<'o>) -> Result<bool> {
        let k = k.as_obj();
        k.check_heap(self.heap_inner())?;
        let h = k.hash()?;
        // SAFETY: live set; the key is held by its handle; same heap (checked).
        unsafe { set::add_entry(self.heap_inner(), self.as_raw(), k.as_raw(), h) }
    }
    /// `s.add(x)` (`Unhashable` for a list, ...). Returns whether it was new.
    pub fn add<'o>(&self, k: &impl AsObj<'o>) -> Result<bool> {
        self.mutable()?;
        self.insert(k)
    }
    /// `x in s`.
    pub fn contains<'o>(&self, k: &impl AsObj<'o>) -> Result<bool> {
        let k = k.as_obj();
        let h = k.hash()?;
        // SAFETY: live set; the key is held by its handle.
        Ok(unsafe { set::lookup(self.as_raw(), k.as_raw(), h)? }.is_some())
    }
    /// `s.discard(x)`: whether it was there.
    pub fn discard<'o>(&self, k: &impl AsObj<'o>) -> Result<bool> {
        self.mutable()?;
        let k = k.as_obj();
        let h = k.hash()?;
        // SAFETY: live set; the key is held by its handle.
        unsafe { set::discard_entry(self.as_raw(), k.as_raw(), h) }
    }
    /// `s.remove(x)`: `KeyError: x` when absent.
    pub fn remove<'o>(&self, k: &impl AsObj<'o>) -> Result<()> {
        if self.discard(k)? {
            Ok(())
        } else {
            Err(RuntimeError::KeyError(k.as_obj().repr()))
        }
    }
    /// `s.pop()`: an arbitrary element (CPython's: scanning from where the last pop stopped);
    /// `KeyError: 'pop from an empty set'`.
    pub fn pop(&self) -> Result<Obj<'h>> {
        self.mutable()?;
        if self.is_empty() {
            return Err(RuntimeError::KeyError("'pop from an empty set'".into()));
        }
        let b = self.b();
        let start = b.finger.get() & b.mask.get();
        // SAFETY: live, non-empty set: an active slot exists at or after `start`, or (wrapping)
        // from 0; the reference taken out is handed to the result.
        unsafe {
            let (i, _, _) = set::next_entry(self.as_raw(), start)
                .or_else(|| set::next_entry(self.as_raw(), 0))
                .expect("a non-empty set has an active slot");
            b.finger.set(i + 1);
            Ok(Obj::from_owned(set::take_at(self.as_raw(), i)))
        }
    }
    /// `s.clear()`.
    pub fn clear(&self) -> Result<()> {
        self.mutable()?;
        // SAFETY: live set; the table is detached before the keys are released.
        unsafe { set::release(self.as_raw()) };
        Ok(())
    }
    /// Iterate the elements in table order (CPython's order).
    pub fn iter(&self) -> SetIter<'h> {
        SetIter {
            set: self.clone(),
            pos: 0,
            used: Some(self.len()),
        }
    }
    /// The first element at table position `pos` or after it, with the position to resume
    /// from: an iterator whose state lives in an interpreter's own heap object (a VM's
    /// `set_iterator`) walks the set with it. `None` at the end. Size checks are the caller's
    /// (compare [`len`](Self::len) with the length at the start, as [`SetIter`] does).
    pub fn next_from(&self, pos: usize) -> Option<(usize, Obj<'h>)> {
        // SAFETY: live set; the key is returned as a new strong reference.
        let (i, _, k) = unsafe { set::next_entry(self.as_raw(), pos) }?;
        // SAFETY: an active key of a live set of this heap.
        Some((i + 1, unsafe { Obj::from_borrowed(k) }))
    }
    /// The elements in iteration order.
    pub fn to_vec(&self) -> Vec<Obj<'h>> {
        self.iter().map_while(Result::ok).collect()
    }
    /// A new set (or frozenset) with this one's elements.
    fn copy_as(&self, frozen: bool) -> Result<Set<'h>> {
        let inner = self.heap_inner();
        // SAFETY: a fresh set of this heap; merging the elements of a live set.
        unsafe {
            let s = Set(Obj::from_owned(new_raw(inner, frozen)?));
            set::merge(inner, s.as_raw(), self.as_raw())?;
            Ok(s)
        }
    }
    /// `s.copy()`.
    pub fn copy(&self) -> Result<Set<'h>> {
        self.copy_as(self.is_frozen())
    }
    fn same_heap(&self, other: &Set<'_>) -> Result<()> {
        other.check_heap(self.heap_inner())
    }
    /// `s |= t` (`s.update(t)`).
    pub fn update(&self, other: &Set<'h>) -> Result<()> {
        self.mutable()?;
        self.same_heap(other)?;
        let other = other.clone();
        // SAFETY: two live sets of this heap (the handle clone holds `other`).
        unsafe { set::merge(self.heap_inner(), self.as_raw(), other.as_raw()) }
    }
    /// `s | t`.
    pub fn union(&self, other: &Set<'h>) -> Result<Set<'h>> {
        self.same_heap(other)?;
        let r = self.copy_as(self.is_frozen())?;
        // SAFETY: a fresh set and a live set of this heap.
        unsafe { set::merge(self.heap_inner(), r.as_raw(), other.as_raw())? };
        Ok(r)
    }
    /// Each element of `walk` (held while used) with its stored hash.
    fn each(walk: &Set<'h>, mut f: impl FnMut(RawObj, i64) -> Result<bool>) -> Result<()> {
        let walk = walk.clone();
        let mut pos = 0;
        // SAFETY: live set (held); the table is re-read at every step; each key is held while
        // `f` runs (it may run user code).
        while let Some((i, h, k)) = unsafe { set::next_entry(walk.as_raw(), pos) } {
            // SAFETY: an active key of a live set.
            let k = unsafe { Held::new(k) };
            if !f(k.raw(), h)? {
                break;
            }
            pos = i + 1;
        }
        Ok(())
    }
    /// `s & t` (walks the smaller one, as CPython).
    pub fn intersection(&self, other: &Set<'h>) -> Result<Set<'h>> {
        self.same_heap(other)?;
        let inner = self.heap_inner();
        // SAFETY: a fresh set of this heap.
        let r = Set(unsafe { Obj::from_owned(new_raw(inner, self.is_frozen())?) });
        let (big, small) = if other.len() > self.len() {
            (other.clone(), self.clone())
        } else {
            (self.clone(), other.clone())
        };
        Self::each(&small, |k, h| {
            // SAFETY: live sets, held key of this heap.
            unsafe {
                if set::lookup(big.as_raw(), k, h)?.is_some() {
                    set::add_entry(inner, r.as_raw(), k, h)?;
                }
            }
            Ok(true)
        })?;
        Ok(r)
    }
    /// `s - t`.
    pub fn difference(&self, other: &Set<'h>) -> Result<Set<'h>> {
        self.same_heap(other)?;
        let inner = self.heap_inner();
        if (self.len() >> 2) > other.len() {
            // Mostly kept: copy, then discard (CPython's `set_copy_and_difference`).
            let r = self.copy_as(self.is_frozen())?;
            r.remove_all(other)?;
            return Ok(r);
        }
        // SAFETY: a fresh set of this heap.
        let r = Set(unsafe { Obj::from_owned(new_raw(inner, self.is_frozen())?) });
        let other = other.clone();
        Self::each(self, |k, h| {
            // SAFETY: live sets, held key of this heap.
            unsafe {
                if set::lookup(other.as_raw(), k, h)?.is_none() {
                    set::add_entry(inner, r.as_raw(), k, h)?;
                }
            }
            Ok(true)
        })?;
        Ok(r)
    }
    /// `s -= t`.
    pub fn difference_update(&self, other: &Set<'h>) -> Result<()> {
        self.mutable()?;
        self.same_heap(other)?;
        if self.is(other) {
            return self.clear();
        }
        self.remove_all(other)
    }
    /// `difference_update` without the frozenset check (also builds new frozensets).
    fn remove_all(&self, other: &Set<'h>) -> Result<()> {
        // Much larger operand: walk the (smaller) intersection instead, as CPython.
        let walk = if (other.len() >> 3) > self.len() {
            self.intersection(other)?
        } else {
            other.clone()
        };
        Self::each(&walk, |k, h| {
            // SAFETY: a live set and a held key.
            unsafe { set::discard_entry(self.as_raw(), k, h)? };
            Ok(true)
        })?;
        // SAFETY: a live set of this heap.
        unsafe { set::shed_dummies(self.heap_inner(), self.as_raw()) }
    }
    /// `s ^= t`.
    pub fn symmetric_difference_update(&self, other: &Set<'h>) -> Result<()> {
        self.mutable()?;
        self.same_heap(other)?;
        if self.is(other) {
            return self.clear();
        }
        self.toggle_all(other)
    }
    fn toggle_all(&self, other: &Set<'h>) -> Result<()> {
        let inner = self.heap_inner();
        Self::each(other, |k, h| {
            // SAFETY: a live set and a held key of this heap.
            unsafe {
                if !set::discard_entry(self.as_raw(), k, h)? {
                    set::add_entry(inner, self.as_raw(), k, h)?;
                }
            }
            Ok(true)
        })
    }
    /// `s ^ t` (a copy of `t` with `s`'s elements toggled, as CPython).
    pub fn symmetric_difference(&self, other: &Set<'h>) -> Result<Set<'h>> {
        self.same_heap(other)?;
        let r = other.copy_as(self.is_frozen())?;
        r.toggle_all(self)?;
        Ok(r)
    }
    /// `s &= t`.
    pub fn intersection_update(&self, other: &Set<'h>) -> Result<()> {
        self.mutable()?;
        let r = self.intersection(other)?;
        // Swap the tables: `self` takes the result's, the result (dropped) the old one.
        let (a, b) = (self.b(), r.b());
        a.table.swap(&b.table);
        a.mask.swap(&b.mask);
        a.used.swap(&b.used);
        a.fill.swap(&b.fill);
        drop(r);
        Ok(())
    }
    /// `s <= t` (`s.issubset(t)`).
    pub fn is_subset(&self, other: &Set<'h>) -> Result<bool> {
        if self.len() > other.len() {
            return Ok(false);
        }
        let other = other.clone();
        let mut all = true;
        Self::each(self, |k, h| {
            // SAFETY: a live set and a held key.
            all = unsafe { set::lookup(other.as_raw(), k, h)? }.is_some();
            Ok(all)
        })?;
        Ok(all)
    }
    /// `s >= t`.
    pub fn is_superset(&self, other: &Set<'h>) -> Result<bool> {
        other.is_subset(self)
    }
    /// `s < t` (a proper subset).
    pub fn is_proper_subset(&self, other: &Set<'h>) -> Result<bool> {
        Ok(self.len() < other.len() && self.is_subset(other)?)
    }
    /// `s.isdisjoint(t)`.
    pub fn is_disjoint(&self, other: &Set<'h>) -> Result<bool> {
        let (big, small) = if other.len() > self.len() {
            (other.clone(), self.clone())
        } else {
            (self.clone(), other.clone())
        };
        let mut disjoint = true;
        Self::each(&small, |k, h| {
            // SAFETY: a live set and a held key.
            disjoint = unsafe { set::lookup(big.as_raw(), k, h)? }.is_none();
            Ok(disjoint)
        })?;
        Ok(disjoint)
    }
}
