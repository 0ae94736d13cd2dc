//! A dict's table storage: the small array (up to `SMALL_MAX` entries, linear search on stored
//! hashes) and, past it, an insertion-ordered `IndexMap` reached only through raw entries with
//! the stored Python hash (see the picture atop `dict.rs`). This file knows entries, hashes and
//! memory; what a key *is* (hash and eq slots, user code) is `dict.rs`'s business.
//!
//! # Invariants
//! - `Small { entries, len, cap }`: `len <= cap <= SMALL_MAX`; `entries` is null iff `cap == 0`,
//!   else an allocator block of `cap * ENTRY` bytes whose first `len` entries are initialised.
//! - The table owns one strong reference per key and per value (released by `dict.rs`).

use crate::error::Result;
use crate::heap::HeapInner;
use crate::object::RawObj;
use indexmap::IndexMap;
use indexmap::map::{RawEntryApiV1, raw_entry_v1::RawEntryMut};
use std::hash::{BuildHasherDefault, Hasher};
use std::ptr::NonNull;

/// The map's hasher: unused by lookups and inserts, which pass the hash themselves
/// ([`map_hash`], raw entries), so that the map never rehashes a key (the key's hash slot could
/// fail on a borrowed user value, and rehashing would cost a slot call per key).
#[derive(Default)]
pub(crate) struct PyHasher(u64);
impl Hasher for PyHasher {
    fn finish(&self) -> u64 {
        self.0.wrapping_mul(0x9E37_79B9_7F4A_7C15)
    }
    fn write(&mut self, bytes: &[u8]) {
        for b in bytes {
            self.0 = (self.0 ^ *b as u64).wrapping_mul(0x100_0000_01b3);
        }
    }
    fn write_i64(&mut self, i: i64) {
        self.0 = i as u64;
    }
}

/// The map's hash of a key with Python hash `h` (mixed, so hashbrown's top bits vary).
#[inline]
pub(super) fn map_hash(h: i64) -> u64 {
    (h as u64).wrapping_mul(0x9E37_79B9_7F4A_7C15)
}

/// A key stored in the map (a strong reference, released by the dict). Not `Hash`/`Eq`: the map
/// is only used through raw entries with the stored Python hash and the eq slot.
#[derive(Clone, Copy)]
pub(crate) struct DictKey(pub(super) RawObj);

pub(super) type Map = IndexMap<DictKey, RawObj, BuildHasherDefault<PyHasher>>;

// Up to `SMALL_MAX` entries live in a small array; past it in an `IndexMap` (the knob and why).
use crate::tunables::DICT_SMALL_MAX as SMALL_MAX;

/// One small-mode entry (the same 24 bytes as a CPython dict entry).
#[repr(C)]
#[derive(Clone, Copy)]
pub(super) struct Entry {
    pub(super) hash: i64,
    pub(super) key: RawObj,
    pub(super) value: RawObj,
}
pub(super) const ENTRY: usize = std::mem::size_of::<Entry>();

/// The dict's table, stored inline in the object.
///
/// Invariants: `Small.len <= Small.cap <= SMALL_MAX`; `entries` is null iff `cap == 0`, else an
/// allocator block of `cap * 24` bytes whose first `len` entries hold strong references.
pub(super) enum Table {
    Small {
        entries: *mut Entry,
        len: u32,
        cap: u32,
    },
    Large(Box<Map>),
}

pub(super) const EMPTY: Table = Table::Small {
    entries: std::ptr::null_mut(),
    len: 0,
    cap: 0,
};

impl Table {
    pub(super) fn small(&self) -> &[Entry] {
        match self {
            Table::Small { entries, len, .. } if *len > 0 => {
                // SAFETY: the first `len` entries are initialised (invariant).
                unsafe { std::slice::from_raw_parts(*entries, *len as usize) }
            }
            _ => &[],
        }
    }
    pub(super) fn len(&self) -> usize {
        match self {
            Table::Small { len, .. } => *len as usize,
            Table::Large(m) => m.len(),
        }
    }
    /// Index of the entry for `k` (hash `h`), comparing in place: only for keys whose eq slot
    /// is pure (`eq_is_pure(k)`: numbers, str, identity), which run no user code, so the table
    /// stays put during the search. Other keys go through [`lookup`]. `Ok(None)` when a stored
    /// key the probe meets has an impure eq slot (an instance: a str subclass, a class with its
    /// own `__eq__`): the stored key's `__eq__` goes first in CPython's comparison, so the
    /// caller must take the general path, which may run it.
    pub(super) fn find_pure(&self, h: i64, k: RawObj) -> Result<Option<Option<usize>>> {
        match self {
            Table::Small { .. } => {
                for (i, e) in self.small().iter().enumerate() {
                    if e.hash != h {
                        continue;
                    }
                    // SAFETY: keys are live; k's eq slot is pure (caller).
                    if !unsafe { crate::builtins::eq_is_pure(e.key) } && e.key != k {
                        return Ok(None);
                    }
                    // SAFETY: as above.
                    if unsafe { crate::builtins::eq(k, e.key)? } {
                        return Ok(Some(Some(i)));
                    }
                }
                Ok(Some(None))
            }
            Table::Large(m) => {
                let mut err = None;
                let mut impure = false;
                let i = m.raw_entry_v1().index_from_hash(map_hash(h), |key| {
                    // SAFETY: keys are live (the table holds them).
                    if key.0 != k && !unsafe { crate::builtins::eq_is_pure(key.0) } {
                        impure = true;
                        return true; // stop probing
                    }
                    // SAFETY: keys are live; k's eq slot is pure (caller).
                    match unsafe { crate::builtins::eq(k, key.0) } {
                        Ok(same) => same,
                        Err(e) => {
                            err = Some(e);
                            true // stop probing
                        }
                    }
                });
                match err {
                    Some(e) => Err(e),
                    None if impure => Ok(None),
                    None => Ok(Some(i)),
                }
            }
        }
    }
    /// The (hash, key) of entry `i`, if there is one (large tables store no Python hash).
    pub(super) fn key_at(&self, i: usize) -> Option<(Option<i64>, RawObj)> {
        match self {
            Table::Small { .. } => self.small().get(i).map(|e| (Some(e.hash), e.key)),
            Table::Large(m) => m.get_index(i).map(|(k, _)| (None, k.0)),
        }
    }
    /// The (key, value) of entry `i`, if there is one.
    pub(super) fn entry_at(&self, i: usize) -> Option<(RawObj, RawObj)> {
        match self {
            Table::Small { .. } => self.small().get(i).map(|e| (e.key, e.value)),
            Table::Large(m) => m.get_index(i).map(|(k, v)| (k.0, *v)),
        }
    }
    pub(super) fn value_mut(&mut self, i: usize) -> &mut RawObj {
        match self {
            // SAFETY: i < len (callers got it from find).
            Table::Small { entries, .. } => unsafe { &mut (*entries.add(i)).value },
            Table::Large(m) => &mut m[i],
        }
    }
    pub(super) fn value(&self, i: usize) -> RawObj {
        match self {
            Table::Small { .. } => self.small()[i].value,
            Table::Large(m) => m[i],
        }
    }
    /// Insert an absent key (the references are already counted by the caller).
    pub(super) fn insert_new(
        &mut self,
        heap: &HeapInner,
        h: i64,
        k: RawObj,
        v: RawObj,
    ) -> Result<()> {
        match self {
            Table::Small { entries, len, cap } if (*len as usize) < SMALL_MAX => {
                if len == cap {
                    let new_cap = (*cap as usize * 2).clamp(1, SMALL_MAX);
                    let new = heap.alloc_bytes(new_cap * ENTRY)?.as_ptr().cast::<Entry>();
                    if !entries.is_null() {
                        // SAFETY: both blocks hold at least `len` entries; the old one is ours.
                        unsafe {
                            std::ptr::copy_nonoverlapping(*entries, new, *len as usize);
                            heap.free_bytes(
                                NonNull::new_unchecked(entries.cast()),
                                *cap as usize * ENTRY,
                            );
                        }
                    }
                    *entries = new;
                    *cap = new_cap as u32;
                }
                // SAFETY: len < cap after the growth above.
                unsafe {
                    entries.add(*len as usize).write(Entry {
                        hash: h,
                        key: k,
                        value: v,
                    })
                };
                *len += 1;
            }
            Table::Small { entries, len, cap } => {
                let mut m = Box::new(Map::with_capacity_and_hasher(
                    SMALL_MAX * 2,
                    Default::default(),
                ));
                // SAFETY: the small block holds `len` entries; it is freed once moved.
                unsafe {
                    for i in 0..*len as usize {
                        let e = entries.add(i).read();
                        insert_unique(&mut m, e.hash, e.key, e.value);
                    }
                    heap.free_bytes(
                        NonNull::new_unchecked(entries.cast()),
                        *cap as usize * ENTRY,
                    );
                }
                insert_unique(&mut m, h, k, v);
                *self = Table::Large(m);
            }
            Table::Large(m) => insert_unique(m, h, k, v),
        }
        Ok(())
    }
    /// Remove the entry at `i`, keeping order; returns its (key, value) references.
    pub(super) fn remove_at(&mut self, i: usize) -> (RawObj, RawObj) {
        match self {
            Table::Small { entries, len, .. } => {
                // SAFETY: i < len; the tail is shifted down by one.
                unsafe {
                    let e = entries.add(i).read();
                    std::ptr::copy(entries.add(i + 1), entries.add(i), *len as usize - i - 1);
                    *len -= 1;
                    (e.key, e.value)
                }
            }
            Table::Large(m) => {
                let (k, v) = m.shift_remove_index(i).expect("index in range");
                (k.0, v)
            }
        }
    }
    pub(super) fn entries(&self) -> Vec<(RawObj, RawObj)> {
        match self {
            Table::Small { .. } => self.small().iter().map(|e| (e.key, e.value)).collect(),
            Table::Large(m) => m.iter().map(|(k, v)| (k.0, *v)).collect(),
        }
    }
    /// Does `f` hold for every (key, value)? Stops at the first `false`; allocates nothing.
    #[inline]
    pub(super) fn all(&self, mut f: impl FnMut(RawObj, RawObj) -> bool) -> bool {
        match self {
            Table::Small { .. } => self.small().iter().all(|e| f(e.key, e.value)),
            Table::Large(m) => m.iter().all(|(k, v)| f(k.0, *v)),
        }
    }
    #[inline(always)]
    pub(super) fn for_each<F: FnMut(RawObj, RawObj) + ?Sized>(&self, f: &mut F) {
        match self {
            Table::Small { .. } => self.small().iter().for_each(|e| f(e.key, e.value)),
            Table::Large(m) => m.iter().for_each(|(k, v)| f(k.0, *v)),
        }
    }
    /// Out-of-line bytes (the table struct itself is part of the object).
    pub(super) fn bytes(&self) -> usize {
        match self {
            Table::Small { cap, .. } => *cap as usize * ENTRY,
            Table::Large(m) => std::mem::size_of::<Map>() + table_bytes(m),
        }
    }
    /// Free the table's memory (the references must have been taken out or released).
    pub(super) fn free(self, heap: &HeapInner) {
        if let Table::Small { entries, cap, .. } = self
            && let Some(p) = NonNull::new(entries)
        {
            // SAFETY: the block came from this heap's allocator with cap * ENTRY bytes.
            unsafe { heap.free_bytes(p.cast(), cap as usize * ENTRY) };
        }
    }
}

/// Insert a key known to be absent with its stored Python hash (no rehash, no comparison).
pub(super) fn insert_unique(m: &mut Map, h: i64, k: RawObj, v: RawObj) {
    let hash = map_hash(h);
    match m.raw_entry_mut_v1().from_hash(hash, |_| false) {
        RawEntryMut::Vacant(e) => {
            e.insert_hashed_nocheck(hash, DictKey(k), v);
        }
        RawEntryMut::Occupied(_) => unreachable!("no key matches |_| false"),
    }
}

/// Heap bytes of an IndexMap's tables, estimated from capacities (entries: hash + key + value; indices: a word
/// and a control byte per bucket, hashbrown's 7/8 load factor).
fn table_bytes(m: &Map) -> usize {
    let cap = m.capacity();
    let buckets = if cap == 0 {
        0
    } else if cap < 4 {
        4
    } else {
        (cap * 8 / 7).next_power_of_two()
    };
    cap * 24 + buckets * 9 + if buckets > 0 { 16 } else { 0 }
}
