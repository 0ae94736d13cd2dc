//! dict: insertion-ordered, built on `indexmap`, Python hash/eq semantics for keys.
//!
//! ```text
//!   [GcHead 16][ObjHeader 16][Table (24 B, inline)][version 8] = 64 bytes (+ out-of-line parts)
//!                              Small { entries ──▶ [hash|key|value] × cap ≤ 8 (allocator block),
//!                                      len, cap }            linear search comparing hashes first
//!                              Large(Box<IndexMap { entries: [hash|key|value]..., indices }>)
//! ```
//!
//! Small dicts (≤ 8 entries, the vast majority: keyword arguments, small records) keep an array
//! of entries taken from the heap's allocator (like CPython's keys objects), grown 1, 2, 4, 8 and
//! searched linearly comparing the stored hash first; the 9th key moves them to an `IndexMap`.
//! This keeps small dicts smaller than CPython's (hashbrown's index table costs 9 bytes per bucket
//! where CPython's compact dict uses 1): `{}` is 64 bytes like CPython's, `{'a': 1}` 88 vs 184, 8 int
//! keys 256 vs 352. Large dicts are bigger than CPython's (about 1.5×).
//!
//! Keys hash and compare through their type's `hash`/`eq` slots (see `types.rs`): Python
//! semantics (`1`, `1.0` and `True` are the same key; str by contents; tuples elementwise; other
//! built-ins by identity; user types as their `UserType::EQ_HASH` says); lists and dicts are
//! unhashable (`RuntimeError::Unhashable`). A user key whose value is mutably borrowed makes
//! `set`/`get`/`remove` fail with `RuntimeError::Borrowed` (its slots cannot run), leaving the
//! dict unchanged. Each entry keeps its hash, so keys are never rehashed (not when the small array
//! moves to the map, not when the map grows). The map is allocated on first insertion (an empty
//! dict owns no table).
//!
//! Tracking (REFERENCE C.3, CPython ≤ 3.13): created untracked; inserting a key or value that
//! "may be tracked" (any GC-capable object, except untracked tuples) tracks it; only a *full*
//! collection may untrack a dict of atoms again (`can_untrack(op, full = true)`).
//!
//! # Layout
//! This file: the dict object (type slots, lookup with user code, the [`Dict`] handle's
//! operations); `dict/table.rs`: the table storage (small array, `IndexMap`, memory);
//! `dict/iter.rs`: [`DictIter`] and [`DictCursor`].
//!
//! # Versions (CPython 3.11's `ma_version_tag`)
//! Every dict carries a version number, taken from a counter of the heap at creation and at
//! every change of its contents (`set`, `remove`, `clear`, the collector's `clear`). No two
//! states of any two dicts of one heap share a number, so "the version is still `v`" proves
//! "this is the same dict, unchanged": an interpreter caches a global's entry index under the
//! globals' version ([`Dict::version`], [`Dict::value_at`]) and skips the lookup.
//!
//! # Invariants
//! - The map holds one strong reference per key and per value.
//! - Hashing and comparing keys may run user code (a user `py_eq` dropping a member whose
//!   finalizer clears this very dict). No reference into the table is held across such a call:
//!   `lookup` holds the candidate key, re-reads the table afterwards and restarts when the
//!   entry changed (CPython's `lookdict`); `==`, repr and iteration walk entries by index,
//!   re-reading the table at each step. Replaced/removed references are released after the table
//!   is updated.

use crate::Obj;
use crate::error::{Result, RuntimeError};
use crate::handle::AsObj;
use crate::handle::typed_handle;
use crate::heap::{Heap, HeapInner};
use crate::object::{GC_HEAD_SIZE, HEADER_SIZE, RawObj, gc_head, payload, payload_ptr, type_of};
use crate::refcount::{decref, incref};
use crate::types::{Kind, TypeObject};
use indexmap::map::RawEntryApiV1;
use std::cell::UnsafeCell;

mod iter;
mod table;

pub use iter::{DictCursor, DictIter};
use table::{EMPTY, Table, map_hash};

/// Index of the entry for `k` (hash `h`) in the dict `op`: CPython's `lookdict`. Keys whose eq
/// slot is pure are compared in place ([`Table::find_pure`]). For the others (tuples, user
/// types) each candidate key with the same hash is held while `k == candidate` runs user code,
/// no reference into the table is kept across that call, and afterwards the entry is checked to
/// still hold that key; if it does not (the dict was mutated), the search restarts from scratch.
/// So the index returned is valid for the table as it is on return (the caller must use it before
/// running any other user code). Errors come from the eq slots (`Borrowed`, `Recursion`).
///
/// # Safety
/// `op` is a live dict; `k` is live; the caller holds both.
unsafe fn lookup(op: RawObj, h: i64, k: RawObj) -> Result<Option<usize>> {
    // SAFETY: op is a live dict (caller); every `table(op)` below is a fresh short borrow that
    // ends before any user code runs.
    unsafe {
        if super::eq_is_pure(k)
            && let Some(found) = table(op).find_pure(h, k)?
        {
            return Ok(found);
        }
        'restart: loop {
            // Candidates: (index, key), collected without running user code.
            let cands: Vec<(usize, RawObj)> = match table(op) {
                Table::Small { .. } => {
                    let t = table(op).small();
                    t.iter()
                        .enumerate()
                        .filter(|(_, e)| e.hash == h)
                        .map(|(i, e)| (i, e.key))
                        .collect()
                }
                Table::Large(m) => {
                    let mut keys = Vec::new();
                    let hit = m.raw_entry_v1().index_from_hash(map_hash(h), |key| {
                        keys.push(key.0);
                        key.0 == k
                    });
                    if hit.is_some() {
                        return Ok(hit);
                    }
                    // The map's probe also offers keys whose Python hash differs (it matches 7
                    // bits of the mixed hash); a consistent eq finds them unequal.
                    let hash = map_hash(h);
                    keys.into_iter()
                        .filter_map(|c| {
                            let i = m.raw_entry_v1().index_from_hash(hash, |key| key.0 == c);
                            Some((i?, c))
                        })
                        .collect()
                }
            };
            for (i, c) in cands {
                // A previous comparison ran user code: is the candidate still there?
                if table(op).key_at(i).map(|(_, key)| key) != Some(c) {
                    continue 'restart;
                }
                if c == k {
                    return Ok(Some(i));
                }
                let held = super::Held::new(c);
                let same = super::eq_stored_first(c, k)?;
                if table(op).key_at(i).map(|(_, key)| key) != Some(c) {
                    drop(held);
                    continue 'restart;
                }
                // Still in the dict, which holds it too: this release frees nothing.
                drop(held);
                if same {
                    return Ok(Some(i));
                }
            }
            return Ok(None);
        }
    }
}

#[repr(C)]
struct DictBody {
    table: UnsafeCell<Table>,
    /// See "Versions" above.
    version: std::cell::Cell<u64>,
}

/// Give the dict a new version (after a change to its contents).
///
/// # Safety
/// `op` is a live (or dying) dict.
unsafe fn bump_version(op: RawObj, heap: &HeapInner) {
    // SAFETY: `op` is a live or dying dict (contract), whose payload is a `DictBody` until it
    // is freed.
    unsafe { payload::<DictBody>(op) }
        .version
        .set(heap.next_dict_version());
}
const BASIC: usize = HEADER_SIZE + std::mem::size_of::<DictBody>();

pub(crate) fn dict_type(heap: *const HeapInner) -> TypeObject {
    super::builtin_type("dict", Kind::Dict, heap)
        .layout(BASIC, 0)
        .slots(dealloc, sizeof)
        .gc_container(traverse, Some(clear))
        .build()
}

/// The dict's table, mutably.
///
/// # Safety
/// `op` is a live dict (or one being deallocated). The `&mut` must end before anything that may
/// run user code or reach this dict again (an eq, a hash, a decref): it is the only reference to
/// the table while it lives.
unsafe fn table<'a>(op: RawObj) -> &'a mut Table {
    // SAFETY: caller passes a live dict and does not keep the &mut across user code.
    unsafe { &mut *payload::<DictBody>(op).table.get() }
}

/// The `sizeof` slot of dicts.
///
/// # Safety
/// The `SizeofFn` contract (types.rs): `op` is a live dict.
unsafe fn sizeof(op: RawObj) -> usize {
    // SAFETY: live dict; short read.
    GC_HEAD_SIZE + BASIC + unsafe { table(op) }.bytes()
}

/// # Safety
/// `op` is a live dict; the result must be used before any user code runs.
pub(crate) unsafe fn entries(op: RawObj) -> Vec<(RawObj, RawObj)> {
    // SAFETY: `op` is a live dict (contract), so its table pointer is valid.
    unsafe { table(op) }.entries()
}

/// The slot: CPython 3.11's `dict_traverse` order, what `gc.get_referents` shows. A dict whose
/// keys are all str (CPython's unicode keys table) reports its values only, in insertion order;
/// any other reports value then key for each entry. (CPython keeps a table general once a
/// non-str key was inserted, even after that key is removed; here the current keys decide.)
///
/// # Safety
/// The `TraverseFn` contract (types.rs): `op` is a live dict; `visit` runs no user code (the table
/// is walked in place).
unsafe fn traverse(op: RawObj, visit: &mut dyn FnMut(RawObj)) {
    // SAFETY: live dict (caller); visit runs no user code, so the table stays put.
    unsafe {
        let t = table(op);
        let unicode = t.all(|k, _| type_of(k).kind == Kind::Str);
        t.for_each(&mut |k, v| {
            visit(v);
            if !unicode {
                visit(k);
            }
        });
    }
}

/// The collector's traverse body, generic over the visitor (see `list::traverse_with`): the
/// slot's GC-capable referents in the slot's order (value, then key unless it is a str — str keys
/// are atoms, invisible to the collector either way), in one pass.
///
/// # Safety
/// `op` is a live dict; `visit` runs no user code.
#[inline(always)]
pub(crate) unsafe fn traverse_with<V: FnMut(RawObj) + ?Sized>(op: RawObj, visit: &mut V) {
    // SAFETY: live dict (caller); visit runs no user code, so the table stays put; keys are live.
    unsafe { table(op) }.for_each(&mut |k, v| {
        visit(v);
        // SAFETY: keys of a live dict's table are live objects; visit runs no user code.
        if unsafe { type_of(k) }.kind != Kind::Str {
            visit(k);
        }
    });
}

/// Detach the table and release everything in it.
///
/// # Safety
/// `op` is a live dict held by the caller, or a dead dict in its dealloc; either way of this type's
/// heap. The decrefs run user code, which may reach the dict again: it is empty by then.
unsafe fn release(op: RawObj) {
    // SAFETY: live or dying dict; the table is detached before any decref.
    let (t, heap) = unsafe { (std::mem::replace(table(op), EMPTY), &*type_of(op).heap) };
    // SAFETY: live or dying dict.
    unsafe { bump_version(op, heap) };
    // The detached table is reachable from nothing but this frame, so user code run by the
    // decrefs cannot touch it: release the references in place (no copy of the entries), then
    // free the table — CPython's dict_dealloc order.
    t.for_each(&mut |k, v| {
        // SAFETY: the table owned these references.
        unsafe {
            decref(k);
            decref(v);
        }
    });
    t.free(heap);
}

/// The `clear` slot of dicts.
///
/// # Safety
/// The `ClearFn` contract (types.rs): `op` is a live dict, held by the caller for the call.
unsafe fn clear(op: RawObj) {
    // SAFETY: live dict.
    unsafe { release(op) }
}

/// The `dealloc` slot of dicts: release the table, then free list or free.
///
/// # Safety
/// The `DeallocFn` contract (types.rs): `op` is a dead dict of this type's heap.
unsafe fn dealloc(op: RawObj) {
    // SAFETY: dead dict.
    unsafe {
        let heap = &*type_of(op).heap;
        release(op);
        heap.keep_or_free(Some(&heap.dict_free), op, true);
    }
}

/// Contents equality (`==` of two dicts): the eq slot of dict (CPython's `dict_equal`). Same
/// length, then for each entry of `a` in order: find its key in `b` and compare the values, with
/// the key and both values held while user code may run; `a`'s table is re-read at every step.
///
/// # Safety
/// `a` is a live dict, `b` live, both held by the caller.
pub(crate) unsafe fn eq(a: RawObj, b: RawObj) -> Result<bool> {
    // SAFETY: held (caller); `b` is read as a dict only when it is one; every `table(..)` is a
    // short borrow ending before user code runs.
    unsafe {
        if type_of(b).kind != Kind::Dict {
            return Ok(false);
        }
        if table(a).len() != table(b).len() {
            return Ok(false);
        }
        let mut i = 0;
        while let Some((stored, k)) = table(a).key_at(i) {
            let v = table(a).value(i);
            let (k, v) = (super::Held::new(k), super::Held::new(v));
            let h = match stored {
                Some(h) => h,
                None => super::hash(k.raw())?,
            };
            let Some(j) = lookup(b, h, k.raw())? else {
                return Ok(false);
            };
            let bv = super::Held::new(table(b).value(j));
            if !super::eq(v.raw(), bv.raw())? {
                return Ok(false);
            }
            i += 1;
        }
        Ok(true)
    }
}

/// `len(d)`.
///
/// # Safety
/// `op` is a live dict.
pub(crate) unsafe fn len(op: RawObj) -> usize {
    // SAFETY: caller; short read.
    unsafe { table(op) }.len()
}

/// The (key, value) at position `i` (insertion order), borrowed.
///
/// # Safety
/// `op` is a live dict; the pointers must be used (or increfed) before any user code runs.
pub(crate) unsafe fn entry_at(op: RawObj, i: usize) -> Option<(RawObj, RawObj)> {
    // SAFETY: caller; short read.
    unsafe { table(op) }.entry_at(i)
}

/// After a store of `v` under key `k` replaced `old` (or inserted): track the dict if it now
/// holds something that may be tracked (CPython's `MAINTAIN_TRACKING`), then release `old`.
///
/// # Safety
/// `op` is a live dict of `heap` whose table holds `k` and `v` and no longer `old` (a strong
/// reference the caller hands over).
unsafe fn after_store(op: RawObj, heap: &HeapInner, k: RawObj, v: RawObj, old: Option<RawObj>) {
    // SAFETY: dicts are GC objects; k and v live (caller); `old` is ours to release, last.
    unsafe {
        let g = gc_head(op);
        if !g.as_ref().is_tracked() && (super::may_be_tracked(k) || super::may_be_tracked(v)) {
            heap.gc.track(g);
        }
        if let Some(o) = old {
            decref(o);
        }
    }
}

/// Can a full collection untrack this dict? (only atoms inside)
///
/// # Safety
/// `op` is a live dict.
pub(crate) unsafe fn can_untrack(op: RawObj) -> bool {
    // SAFETY: live dict; entries live.
    // (Walks the table in place: the collector asks this of every dict in a full collection.)
    unsafe { table(op).all(|k, v| !super::may_be_tracked(k) && !super::may_be_tracked(v)) }
}

typed_handle!(
    /// A dict handle.
    Dict,
    Kind::Dict,
    "dict",
    as_dict
);

impl<'h> Dict<'h> {
    /// `len(d)`.
    pub fn len(&self) -> usize {
        // SAFETY: live dict.
        unsafe { len(self.as_raw()) }
    }
    /// `len(d) == 0`.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
    /// `d[k] = v`.
    pub fn set(&self, k: &impl AsObj<'h>, v: &impl AsObj<'h>) -> Result<()> {
        let (k, v) = (k.as_obj(), v.as_obj());
        let heap = self.heap_inner();
        k.check_heap(heap)?;
        v.check_heap(heap)?;
        let h = k.hash()?;
        let op = self.as_raw();
        // SAFETY: live dict, held by `self`; `lookup` may run user code but returns an index
        // valid for the table as it is now, and nothing below runs user code before the table
        // is updated (the allocator and the map's growth run none); the old value is released
        // last.
        let old = unsafe {
            let found = lookup(op, h, k.as_raw())?;
            bump_version(op, heap);
            let m = table(op);
            match found {
                Some(i) => {
                    incref(v.as_raw());
                    Some(std::mem::replace(m.value_mut(i), v.as_raw()))
                }
                None => {
                    m.insert_new(heap, h, k.as_raw(), v.as_raw())?;
                    incref(k.as_raw());
                    incref(v.as_raw());
                    None
                }
            }
        };
        // SAFETY: live dict of `heap`; k and v live; the table no longer holds `old`.
        unsafe { after_store(op, heap, k.as_raw(), v.as_raw(), old) };
        Ok(())
    }
    /// `d[k] = v` for a key already known to sit at entry `i` (an index [`Dict::index_of`] gave
    /// for `k` earlier): when entry `i`'s key is `k` itself (the same object, not an equal
    /// one), its value becomes `v`, with everything [`Dict::set`] would do (new version,
    /// tracking), but no hash and no comparison, so no user code runs; `Ok(true)`. Otherwise
    /// nothing changes and the answer is `Ok(false)` (the caller takes [`Dict::set`]).
    ///
    /// Exact without any version check: keys are unique in a dict, so the entry holding `k`
    /// itself is the entry `d[k]` finds. An interpreter keeps `i` per name of a code block
    /// (module-level `x = ...`, CPython's `STORE_NAME`) and skips the look-up.
    pub fn replace_at_key(&self, i: usize, k: &impl AsObj<'h>, v: &impl AsObj<'h>) -> Result<bool> {
        let (k, v) = (k.as_obj(), v.as_obj());
        let heap = self.heap_inner();
        let op = self.as_raw();
        // SAFETY: live dict held by `self`; the short table borrows run no user code.
        unsafe {
            if table(op).key_at(i).map(|(_, key)| key) != Some(k.as_raw()) {
                return Ok(false);
            }
            // Only now: a key at entry `i` is of this heap, so `v` is the one to check.
            v.check_heap(heap)?;
            bump_version(op, heap);
            incref(v.as_raw());
            let old = std::mem::replace(table(op).value_mut(i), v.as_raw());
            after_store(op, heap, k.as_raw(), v.as_raw(), Some(old));
        }
        Ok(true)
    }
    /// The value of entry `i` when that entry's key is `k` itself (the same object): what
    /// `d.get(k)` answers, without a hash or a comparison (see [`Dict::replace_at_key`]).
    /// `None` when entry `i` holds another key or there is none; `k` may still be elsewhere.
    pub fn value_at_key<'o>(&self, i: usize, k: &impl AsObj<'o>) -> Option<Obj<'h>> {
        // SAFETY: live dict; the value is increfed before anything else runs.
        unsafe {
            match entry_at(self.as_raw(), i) {
                Some((key, v)) if key == k.as_obj().as_raw() => Some(Obj::from_borrowed(v)),
                _ => None,
            }
        }
    }
    /// `d.get(k)`.
    pub fn get<'o>(&self, k: &impl AsObj<'o>) -> Result<Option<Obj<'h>>> {
        let k = k.as_obj();
        let h = k.hash()?;
        // SAFETY: live dict held by `self`; the index from `lookup` is valid now and the value
        // is increfed before any other user code runs.
        unsafe {
            let found = lookup(self.as_raw(), h, k.as_raw())?;
            Ok(found.map(|i| Obj::from_borrowed(table(self.as_raw()).value(i))))
        }
    }
    /// `d[k]` (KeyError when missing).
    pub fn get_item<'o>(&self, k: &impl AsObj<'o>) -> Result<Obj<'h>> {
        let k = k.as_obj();
        self.get(k)?.ok_or_else(|| RuntimeError::KeyError(k.repr()))
    }
    /// `k in d`.
    pub fn contains<'o>(&self, k: &impl AsObj<'o>) -> Result<bool> {
        Ok(self.get(k)?.is_some())
    }
    /// `del d[k]`, returning the value (KeyError when missing). Keeps insertion order.
    pub fn remove<'o>(&self, k: &impl AsObj<'o>) -> Result<Obj<'h>> {
        let k = k.as_obj();
        let h = k.hash()?;
        // SAFETY: live dict held by `self`; the index from `lookup` is valid now, and the entry
        // is taken out before its references are released.
        let removed = unsafe {
            let found = lookup(self.as_raw(), h, k.as_raw())?;
            if found.is_some() {
                bump_version(self.as_raw(), self.heap_inner());
            }
            found.map(|i| table(self.as_raw()).remove_at(i))
        };
        match removed {
            Some((key, v)) => {
                // SAFETY: the map owned both references; v is handed to the caller.
                unsafe {
                    decref(key);
                    Ok(Obj::from_owned(v))
                }
            }
            None => Err(RuntimeError::KeyError(k.repr())),
        }
    }
    /// The dict's version: it changes with every change to the contents, and no other dict of
    /// the heap ever has it (module documentation, "Versions").
    pub fn version(&self) -> u64 {
        // SAFETY: live dict.
        unsafe { payload::<DictBody>(self.as_raw()) }.version.get()
    }
    /// Where key `k` is (an entry index for [`Dict::value_at`]), if present. The index stays
    /// valid while [`Dict::version`] is unchanged.
    pub fn index_of<'o>(&self, k: &impl AsObj<'o>) -> Result<Option<usize>> {
        let k = k.as_obj();
        let h = k.hash()?;
        // SAFETY: live dict held by `self`.
        unsafe { lookup(self.as_raw(), h, k.as_raw()) }
    }
    /// The value of entry `i` (in insertion order), if there is one.
    pub fn value_at(&self, i: usize) -> Option<Obj<'h>> {
        // SAFETY: live dict; the value is increfed before anything else runs.
        unsafe { entry_at(self.as_raw(), i).map(|(_, v)| Obj::from_borrowed(v)) }
    }
    /// `d.clear()`.
    pub fn clear(&self) {
        // SAFETY: live dict.
        unsafe { release(self.as_raw()) }
    }
    /// `list(d.keys())`.
    pub fn keys(&self) -> Vec<Obj<'h>> {
        // SAFETY: entries are live objects of this heap.
        unsafe { entries(self.as_raw()) }
            .into_iter()
            .map(|(k, _)| unsafe { Obj::from_borrowed(k) })
            .collect()
    }
    /// `list(d.values())`.
    pub fn values(&self) -> Vec<Obj<'h>> {
        // SAFETY: a Dict handle keeps a live dict; the entries are used before any user code runs.
        unsafe { entries(self.as_raw()) }
            .into_iter()
            .map(|(_, v)| unsafe { Obj::from_borrowed(v) })
            .collect()
    }
    /// `list(d.items())`.
    pub fn items(&self) -> Vec<(Obj<'h>, Obj<'h>)> {
        // SAFETY: a Dict handle keeps a live dict; the entries are used before any user code runs.
        unsafe { entries(self.as_raw()) }
            .into_iter()
            .map(|(k, v)| unsafe { (Obj::from_borrowed(k), Obj::from_borrowed(v)) })
            .collect()
    }
}

impl Heap {
    /// `{}` (untracked until it holds a container).
    pub fn dict(&self) -> Result<Dict<'_>> {
        let inner = self.inner();
        let ty = &*inner.types.dict;
        let op = match inner.dict_free.pop() {
            Some(op) => {
                // SAFETY: free-listed dict memory.
                unsafe { inner.reuse_object(op, ty) };
                op
            }
            None => inner.new_object(ty, BASIC)?,
        };
        // SAFETY: an object of BASIC bytes we own.
        unsafe {
            payload_ptr(op).cast::<DictBody>().write(DictBody {
                table: UnsafeCell::new(EMPTY),
                version: std::cell::Cell::new(inner.next_dict_version()),
            });
            Ok(Dict(Obj::from_owned(op)))
        }
    }
}
