//! The type attribute cache: each class remembers the results of its last look-ups along the
//! MRO (`Class::lookup`, `_PyType_Lookup`), so `self.x = v` (which looks `x` and `__setattr__`
//! up on the class for descriptors) and method calls do not walk the MRO's attribute tables
//! every time.
//!
//! ```text
//!   ClassData.cache ─▶ { version: heap class version when filled,
//!                        slots: [ (name, Some(value) | None = "not found") ; 32 ] }
//!   lookup(name): slot = hash(name) % 32
//!                 version == heap.class_version && slot.name == name ─▶ cached answer
//!                 otherwise: walk the MRO, store the answer in the slot
//! ```
//!
//! # Invalidation (CPython's type version tags, one counter for the heap)
//! Every change to any class's attribute table (`Class::setattr`, `Class::delattr`, the
//! collector's `clear`) bumps the heap's class version *before* the table changes. A cache
//! filled at another version is emptied at its next use, so a value set or deleted on the class,
//! on any base or on any subclass is seen at once. Bases and MROs never change after creation
//! (`__bases__` is read-only), so the attribute tables are the only input to a look-up. One
//! counter for the heap instead of CPython's per-type tags: a class attribute store invalidates
//! every class's cache, which costs a refill and is rare next to look-ups.
//!
//! # References
//! Cached values are *borrowed*: the class's attribute table (or one of its MRO entries', which
//! the class holds) owns each of them, and it cannot drop one without bumping the version
//! first. The cache therefore changes no reference count (`sys.getrefcount` is unchanged).
//! The names are owned copies, so a slot never points at a freed string.
//!
//! # Invariants
//! - The slots are only touched through `get`/`extra_bytes`, whose borrow of the `UnsafeCell`
//!   ends with the call; `walk` (the MRO walk on a miss) runs no user code and never reaches
//!   this cache, so no second borrow can exist.
//! - A cached value is valid while `version` equals the heap's class version (above).

use crate::object::RawObj;
use std::cell::{Cell, UnsafeCell};

const SLOTS: usize = 32;

struct Slot {
    name: Box<str>,
    value: Option<RawObj>,
}

/// A class's look-up cache (see the module documentation).
pub(crate) struct LookupCache {
    version: Cell<u64>,
    slots: UnsafeCell<[Option<Slot>; SLOTS]>,
}

/// A cheap, deterministic hash of an attribute name: its length and three of its bytes (the
/// third tells dunders apart, the middle and last the rest). A collision only costs a walk.
fn slot_of(name: &str) -> usize {
    let b = name.as_bytes();
    let n = b.len();
    let at = |i: usize| b.get(i).copied().unwrap_or(0) as usize;
    (n ^ at(2) ^ (at(n / 2) << 1) ^ (at(n.wrapping_sub(1)) << 2)) % SLOTS
}

impl LookupCache {
    pub(crate) fn new() -> LookupCache {
        LookupCache {
            version: Cell::new(u64::MAX),
            slots: UnsafeCell::new(std::array::from_fn(|_| None)),
        }
    }

    /// Bytes the cache's names take on the heap beyond the cache itself.
    pub(crate) fn extra_bytes(&self) -> usize {
        // SAFETY: short read; no user code while it lives.
        unsafe { &*self.slots.get() }
            .iter()
            .flatten()
            .map(|s| s.name.len())
            .sum()
    }

    /// The answer for `name` at heap class version `version`, computing it with `walk` (which
    /// must run no user code and touch no cache) on a miss.
    #[inline]
    pub(crate) fn get(
        &self,
        version: u64,
        name: &str,
        walk: impl FnOnce() -> Option<RawObj>,
    ) -> Option<RawObj> {
        // SAFETY: the &mut lives for this call only; `walk` runs no user code and does not
        // re-enter this cache (it reads attribute tables only).
        let slots = unsafe { &mut *self.slots.get() };
        if self.version.get() != version {
            *slots = std::array::from_fn(|_| None);
            self.version.set(version);
        }
        let slot = &mut slots[slot_of(name)];
        if let Some(s) = slot
            && *s.name == *name
        {
            return s.value;
        }
        let value = walk();
        *slot = Some(Slot {
            name: name.into(),
            value,
        });
        value
    }
}
