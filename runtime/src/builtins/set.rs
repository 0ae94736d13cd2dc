//! set and frozenset: CPython's open-addressing hash table of (hash, key) slots.
//!
//! ```text
//!   [GcHead 16][ObjHeader 16][table][mask][used][fill][hash][finger] = 80 bytes (CPython: 216)
//!                              └──▶ [hash|key] × (mask + 1)       16 B per slot, from the allocator
//!                                   key: null = never used, address 1 = dummy (removed), else
//!                                   the key object (a real pointer: it keeps its provenance)
//! ```
//!
//! The probing and growth are CPython 3.11's (`setobject.c`), so a set of ints iterates and prints
//! in CPython's order: start at `hash & mask`, look at up to 9 following slots (linear probes),
//! then jump `i = (i·5 + 1 + perturb) & mask` with `perturb >>= 5`; a table is resized when
//! `fill·5 >= mask·3`, to the smallest power of two above `used·4` (`used·2` past 50,000). The
//! empty set owns no table (CPython keeps an 8-slot table inline, hence its 216 bytes): our
//! sizes are CPython's minus 136 bytes from the first insertion on.
//!
//! Keys hash and compare through their type slots (`1`, `1.0` and `True` are one element). A
//! frozenset's hash is CPython's (`frozenset_hash`: xor of shuffled entry hashes, then a final
//! mix), so frozensets of ints hash exactly as in CPython; it is computed once and cached. Both
//! types are GC-tracked from creation (CPython 3.11: `gc.is_tracked(set())` is True).
//!
//! # Invariants
//! - `table` is null iff the set never held an element (then `mask == 7`, `used == fill == 0`);
//!   otherwise it has `mask + 1` slots (a power of two ≥ 8) from the heap's allocator.
//! - `used` = active slots, `fill` = active + dummy slots; each active slot holds one strong
//!   reference to its key and the key's hash.
//! - Comparing keys may run user code that mutates this very set. No reference into the table is
//!   held across `eq`: the candidate key is held ([`Held`]) and the table re-read afterwards; a
//!   changed table or slot restarts the probe (CPython's `set_lookkey`). Removed keys are
//!   released after the table is updated.

use super::Held;
use crate::error::{Result, RuntimeError};
use crate::heap::HeapInner;
use crate::object::{GC_HEAD_SIZE, HEADER_SIZE, ObjHeader, RawObj, payload, type_of};
use crate::recursion::RecursionKind;
use crate::refcount::{decref, incref};
use crate::types::{Kind, TypeObject, dyn_traverse};
use std::cell::Cell;
use std::ptr::NonNull;

use crate::tunables::{SET_LINEAR_PROBES as LINEAR_PROBES, SET_MIN_SIZE as MIN_SIZE};
const PERTURB_SHIFT: u32 = 5;
/// The removed-key marker: address 1, no provenance (never followed; compared by address).
const DUMMY: *mut ObjHeader = std::ptr::without_provenance_mut(1);

#[derive(Clone, Copy)]
#[repr(C)]
pub(super) struct Slot {
    pub(super) hash: i64,
    pub(super) key: *mut ObjHeader,
}

#[repr(C)]
pub(super) struct SetBody {
    pub(super) table: Cell<*mut Slot>,
    pub(super) mask: Cell<usize>,
    pub(super) used: Cell<usize>,
    pub(super) fill: Cell<usize>,
    /// frozenset: the cached hash (−1 = not computed yet).
    pub(super) hash: Cell<i64>,
    /// Where `pop` starts looking (CPython's `finger`).
    pub(super) finger: Cell<usize>,
}
pub(super) const BASIC: usize = HEADER_SIZE + 48;

fn set_type_of(name: &str, kind: Kind, heap: *const HeapInner) -> TypeObject {
    super::builtin_type(name, kind, heap)
        .layout(BASIC, 0)
        .slots(dealloc, sizeof)
        .gc_container(dyn_traverse!(traverse_with), Some(clear))
        .build()
}
pub(crate) fn set_type(heap: *const HeapInner) -> TypeObject {
    set_type_of("set", Kind::Set, heap)
}
pub(crate) fn frozenset_type(heap: *const HeapInner) -> TypeObject {
    set_type_of("frozenset", Kind::FrozenSet, heap)
}

/// The payload of a set or frozenset.
///
/// # Safety
/// `op` is a live set or frozenset (or one being deallocated); the reference must not outlive it.
#[inline]
pub(super) unsafe fn body<'a>(op: RawObj) -> &'a SetBody {
    // SAFETY: caller passes a set or frozenset.
    unsafe { payload::<SetBody>(op) }
}

/// The slot at `i` (`None` past the table: the set was resized or emptied meanwhile).
///
/// # Safety
/// `op` is a live set or frozenset.
#[inline]
unsafe fn slot(op: RawObj, i: usize) -> Option<Slot> {
    // SAFETY: caller; the table has mask + 1 slots when non-null.
    unsafe {
        let b = body(op);
        let t = b.table.get();
        (!t.is_null() && i <= b.mask.get()).then(|| t.add(i).read())
    }
}

/// The next active key at or after slot `pos`: (its slot, hash, key).
///
/// # Safety
/// `op` is a live set or frozenset; the key must be held before running user code.
pub(crate) unsafe fn next_entry(op: RawObj, mut pos: usize) -> Option<(usize, i64, RawObj)> {
    // SAFETY: `op` is a live set or frozenset (contract), so its table is valid.
    while let Some(s) = unsafe { slot(op, pos) } {
        if s.key > DUMMY {
            return Some((pos, s.hash, key_of(s.key)));
        }
        pos += 1;
    }
    None
}

fn key_of(k: *mut ObjHeader) -> RawObj {
    // SAFETY: active slots hold non-null object pointers (address > DUMMY).
    unsafe { NonNull::new_unchecked(k) }
}

/// `len(s)`.
///
/// # Safety
/// `op` is a live set or frozenset.
pub(crate) unsafe fn len(op: RawObj) -> usize {
    // SAFETY: `op` is a live set or frozenset (contract), so its body is valid.
    unsafe { body(op) }.used.get()
}

/// The `sizeof` slot of set and frozenset.
///
/// # Safety
/// The `SizeofFn` contract (types.rs): `op` is a live set or frozenset.
unsafe fn sizeof(op: RawObj) -> usize {
    // SAFETY: live set.
    let b = unsafe { body(op) };
    let table = if b.table.get().is_null() {
        0
    } else {
        16 * (b.mask.get() + 1)
    };
    GC_HEAD_SIZE + BASIC + table
}

/// The traverse body, generic over the visitor (see `list::traverse_with`).
///
/// # Safety
/// `op` is a live set or frozenset; `visit` runs no user code.
#[inline(always)]
pub(crate) unsafe fn traverse_with<V: FnMut(RawObj) + ?Sized>(op: RawObj, visit: &mut V) {
    let mut pos = 0;
    // SAFETY: live set (caller); visit runs no user code, so the table stays put.
    while let Some((i, _, k)) = unsafe { next_entry(op, pos) } {
        visit(k);
        pos = i + 1;
    }
}

/// Detach the table (the set becomes empty) and release its keys (runs user code via decref).
///
/// # Safety
/// `op` is a live set or frozenset held by the caller, or a dead one in its dealloc, of this type's
/// heap. The decrefs run user code, which may reach the set again: it is empty by then.
pub(super) unsafe fn release(op: RawObj) {
    // SAFETY: live or dead set of this type's heap; the table is detached before any decref.
    unsafe {
        let heap = &*type_of(op).heap;
        let b = body(op);
        let t = b.table.replace(std::ptr::null_mut());
        let n = b.mask.replace(MIN_SIZE - 1) + 1;
        b.used.set(0);
        b.fill.set(0);
        if let Some(t) = NonNull::new(t) {
            for i in 0..n {
                let k = t.as_ptr().add(i).read().key;
                if k > DUMMY {
                    decref(key_of(k));
                }
            }
            heap.free_bytes(t.cast(), n * 16);
        }
    }
}

/// The `clear` slot of set and frozenset.
///
/// # Safety
/// The `ClearFn` contract (types.rs): `op` is a live set or frozenset, held by the caller.
unsafe fn clear(op: RawObj) {
    // SAFETY: live set (slot contract).
    unsafe { release(op) }
}

/// The `dealloc` slot of set and frozenset.
///
/// # Safety
/// The `DeallocFn` contract (types.rs): `op` is a dead set or frozenset of this type's heap.
unsafe fn dealloc(op: RawObj) {
    // SAFETY: dead set of this type's heap.
    unsafe {
        release(op);
        let heap = &*type_of(op).heap;
        heap.gc.note_deallocation();
        heap.free_object(op);
    }
}

/// What comparing a probed slot's key with the key looked for found.
enum SlotMatch {
    /// Equal: the key is at this slot.
    Same,
    /// Not equal: probe on.
    Different,
    /// The eq ran user code that changed the table or this slot: the probe restarts.
    Changed,
}

/// Compare `key` with `start`, the key stored at slot `j` (whose hash matched), holding the
/// stored key across the eq, which may run user code that removes it from the set or resizes
/// the table; afterwards the table and the slot are re-read (CPython's `set_lookkey` restart).
///
/// # Safety
/// `op` is a live set whose slot `j` held `start` on entry; `key` is live and held by the
/// caller.
unsafe fn compare_at(op: RawObj, j: usize, start: RawObj, key: RawObj) -> Result<SlotMatch> {
    // SAFETY: live set (contract).
    let b = unsafe { body(op) };
    let table = b.table.get();
    // SAFETY: the slot's key is live (the set holds it on entry); the hold keeps it alive
    // across the eq.
    let held = unsafe { Held::new(start) };
    // SAFETY: both live (held here and by the caller).
    let same = unsafe { super::eq_stored_first(held.raw(), key)? };
    // SAFETY: live set; `j` was within the table on entry, and the table pointer is compared
    // before the slot's contents are trusted.
    let now = unsafe { slot(op, j) };
    if b.table.get() != table || now.map(|s| s.key) != Some(start.as_ptr()) {
        return Ok(SlotMatch::Changed);
    }
    Ok(if same {
        SlotMatch::Same
    } else {
        SlotMatch::Different
    })
}

/// Where `key` is (its slot) or None, probing as CPython's `set_lookkey`.
///
/// # Safety
/// `op` is a live set; `key` is live and held by the caller.
pub(super) unsafe fn lookup(op: RawObj, key: RawObj, hash: i64) -> Result<Option<usize>> {
    'restart: loop {
        // SAFETY: live set (caller).
        let b = unsafe { body(op) };
        if b.table.get().is_null() {
            return Ok(None);
        }
        let mut mask = b.mask.get();
        let mut perturb = hash as u64 as usize;
        let mut i = hash as u64 as usize & mask;
        loop {
            let probes = if i + LINEAR_PROBES <= mask {
                LINEAR_PROBES
            } else {
                0
            };
            for j in i..=i + probes {
                // SAFETY: j <= mask of the current table (mask re-read after every eq).
                let s = unsafe { slot(op, j) }.expect("probe within the table");
                if s.key.is_null() {
                    return Ok(None);
                }
                if s.key > DUMMY && s.hash == hash {
                    let start = key_of(s.key);
                    if start == key {
                        return Ok(Some(j));
                    }
                    // SAFETY: live set, `start` the key at slot `j`, `key` held (caller).
                    match unsafe { compare_at(op, j, start, key)? } {
                        SlotMatch::Changed => continue 'restart,
                        SlotMatch::Same => return Ok(Some(j)),
                        SlotMatch::Different => mask = b.mask.get(),
                    }
                }
            }
            perturb >>= PERTURB_SHIFT;
            i = (i.wrapping_mul(5).wrapping_add(1).wrapping_add(perturb)) & mask;
        }
    }
}

/// Put a key known to be absent into a table without dummies (`set_insert_clean`).
///
/// # Safety
/// `t` has `mask + 1` slots with at least one free.
unsafe fn insert_clean(t: *mut Slot, mask: usize, hash: i64, key: *mut ObjHeader) {
    let mut perturb = hash as u64 as usize;
    let mut i = hash as u64 as usize & mask;
    loop {
        let probes = if i + LINEAR_PROBES <= mask {
            LINEAR_PROBES
        } else {
            0
        };
        for j in i..=i + probes {
            // SAFETY: j <= mask (caller's table).
            unsafe {
                if (*t.add(j)).key.is_null() {
                    t.add(j).write(Slot { hash, key });
                    return;
                }
            }
        }
        perturb >>= PERTURB_SHIFT;
        i = (i.wrapping_mul(5).wrapping_add(1).wrapping_add(perturb)) & mask;
    }
}

/// Rebuild the table with room for `minused` keys (`set_table_resize`). Runs no user code.
///
/// # Safety
/// `op` is a live set.
pub(super) unsafe fn resize(heap: &HeapInner, op: RawObj, minused: usize) -> Result<()> {
    let mut size = MIN_SIZE;
    while size <= minused {
        size = size.checked_mul(2).ok_or(RuntimeError::OutOfMemory {
            requested: usize::MAX,
        })?;
    }
    let bytes = size.checked_mul(16).ok_or(RuntimeError::OutOfMemory {
        requested: usize::MAX,
    })?;
    let new = heap.alloc_bytes(bytes)?.as_ptr().cast::<Slot>();
    // SAFETY: fresh table of `size` slots, zeroed before use; the old table's active slots move
    // over (references transferred), then it is freed.
    unsafe {
        std::ptr::write_bytes(new, 0, size);
        let b = body(op);
        let old = b.table.get();
        let old_n = b.mask.get() + 1;
        if let Some(o) = NonNull::new(old) {
            for i in 0..old_n {
                let s = o.as_ptr().add(i).read();
                if s.key > DUMMY {
                    insert_clean(new, size - 1, s.hash, s.key);
                }
            }
            heap.free_bytes(o.cast(), old_n * 16);
        }
        b.table.set(new);
        b.mask.set(size - 1);
        b.fill.set(b.used.get());
    }
    Ok(())
}

/// Add `key` (hash computed by the caller); false when an equal key is already there
/// (`set_add_entry`).
///
/// # Safety
/// `op` is a live set; `key` is live, of the same heap, and held by the caller.
pub(super) unsafe fn add_entry(
    heap: &HeapInner,
    op: RawObj,
    key: RawObj,
    hash: i64,
) -> Result<bool> {
    // SAFETY: live set (caller).
    let b = unsafe { body(op) };
    'restart: loop {
        if b.table.get().is_null() {
            // SAFETY: as above (also after user code emptied the set during a comparison).
            unsafe { resize(heap, op, 0)? };
        }
        let mut mask = b.mask.get();
        let mut perturb = hash as u64 as usize;
        let mut i = hash as u64 as usize & mask;
        let mut free: Option<usize> = None;
        let found_unused = 'probe: loop {
            let probes = if i + LINEAR_PROBES <= mask {
                LINEAR_PROBES
            } else {
                0
            };
            for j in i..=i + probes {
                // SAFETY: j <= mask of the current table.
                let s = unsafe { slot(op, j) }.expect("probe within the table");
                if s.key.is_null() {
                    break 'probe j;
                }
                if s.key == DUMMY {
                    // CPython 3.11 reuses the last dummy seen on the probe path (measured:
                    // `{32, 64, 96, 5..15} - {32, 96} + {128}` puts 128 where 96 was).
                    free = Some(j);
                } else if s.hash == hash {
                    let start = key_of(s.key);
                    if start == key {
                        return Ok(false);
                    }
                    // SAFETY: live set, `start` the key at slot `j`, `key` held (caller).
                    match unsafe { compare_at(op, j, start, key)? } {
                        SlotMatch::Changed => continue 'restart,
                        SlotMatch::Same => return Ok(false),
                        SlotMatch::Different => mask = b.mask.get(),
                    }
                }
            }
            perturb >>= PERTURB_SHIFT;
            i = (i.wrapping_mul(5).wrapping_add(1).wrapping_add(perturb)) & mask;
        };
        // SAFETY: the slot index is within the current table; the new reference is the set's.
        unsafe {
            incref(key);
            let t = b.table.get();
            let target = free.unwrap_or(found_unused);
            t.add(target).write(Slot {
                hash,
                key: key.as_ptr(),
            });
            b.used.set(b.used.get() + 1);
            if free.is_none() {
                b.fill.set(b.fill.get() + 1);
                if b.fill.get() * 5 >= mask * 3 {
                    let used = b.used.get();
                    // The key is in; a failed resize leaves a valid (fuller) table.
                    let _ = resize(heap, op, if used > 50_000 { used * 2 } else { used * 4 });
                }
            }
        }
        return Ok(true);
    }
}

/// Remove the key at slot `i`, returning its reference.
///
/// # Safety
/// `op` is a live set whose slot `i` is active.
pub(super) unsafe fn take_at(op: RawObj, i: usize) -> RawObj {
    // SAFETY: `op` is a live set whose slot `i` is active (contract).
    unsafe {
        let b = body(op);
        let p = b.table.get().add(i);
        let k = key_of((*p).key);
        p.write(Slot {
            hash: -1,
            key: DUMMY,
        });
        b.used.set(b.used.get() - 1);
        k
    }
}

/// CPython's `frozenset_hash` of the active entries.
///
/// # Safety
/// `op` is a live set or frozenset.
unsafe fn compute_hash(op: RawObj) -> i64 {
    fn shuffle(h: u64) -> u64 {
        ((h ^ 89_869_747) ^ (h << 16)).wrapping_mul(3_644_798_167)
    }
    let mut h: u64 = 0;
    let mut pos = 0;
    // SAFETY: caller; nothing here runs user code.
    while let Some((i, eh, _)) = unsafe { next_entry(op, pos) } {
        h ^= shuffle(eh as u64);
        pos = i + 1;
    }
    // SAFETY: `op` is a live set or frozenset (contract).
    let n = unsafe { len(op) } as u64;
    h ^= (n + 1).wrapping_mul(1_927_868_237);
    h ^= (h >> 11) ^ (h >> 25);
    h = h.wrapping_mul(69_069).wrapping_add(907_133_923);
    if h == u64::MAX { 590_923_713 } else { h as i64 }
}

/// The hash slot of frozenset (cached).
///
/// # Safety
/// The `HashFn` contract (types.rs): `op` is a live frozenset, held by the caller.
pub(crate) unsafe fn frozenset_hash(op: RawObj) -> Result<i64> {
    // SAFETY: the slot of frozenset: `op` is a live frozenset.
    unsafe {
        let b = body(op);
        if b.hash.get() == -1 {
            b.hash.set(compute_hash(op));
        }
        Ok(b.hash.get())
    }
}

/// The eq slot of set and frozenset: same length and every element of `a` in `b`.
///
/// # Safety
/// The `EqFn` contract (types.rs): `a` is a live set or frozenset, `b` any live object of the same
/// heap, both held by the caller (the lookups may run user code).
pub(crate) unsafe fn eq(a: RawObj, b: RawObj) -> Result<bool> {
    // SAFETY: both live (slot contract); `b` is read as a set only when it is one; the keys of
    // `a` are held while looked up in `b` (the lookup may run user code mutating either).
    unsafe {
        if !matches!(type_of(b).kind, Kind::Set | Kind::FrozenSet) {
            return Ok(false);
        }
        if len(a) != len(b) {
            return Ok(false);
        }
        let (ha, hb) = (body(a).hash.get(), body(b).hash.get());
        if type_of(a).kind == Kind::FrozenSet
            && type_of(b).kind == Kind::FrozenSet
            && ha != -1
            && hb != -1
            && ha != hb
        {
            return Ok(false);
        }
        let heap = &*type_of(a).heap;
        let _level = heap.enter_recursion(RecursionKind::Comparison)?;
        let mut pos = 0;
        while let Some((i, h, k)) = next_entry(a, pos) {
            let k = Held::new(k);
            if lookup(b, k.raw(), h)?.is_none() {
                return Ok(false);
            }
            pos = i + 1;
        }
        Ok(true)
    }
}

/// Remove `key` if present (`set_discard_entry`); the removed reference is released last.
///
/// # Safety
/// `op` is a live set; `key` is live and held by the caller.
pub(super) unsafe fn discard_entry(op: RawObj, key: RawObj, hash: i64) -> Result<bool> {
    // SAFETY: caller; the slot found is active (lookup returns active slots only, and nothing
    // runs between it and take_at).
    unsafe {
        match lookup(op, key, hash)? {
            Some(i) => {
                decref(take_at(op, i));
                Ok(true)
            }
            None => Ok(false),
        }
    }
}

/// After many removals: rebuild the table when more than a quarter of it is dummies (CPython's
/// `set_difference_update_internal` epilogue).
///
/// # Safety
/// `so` is a live set of `heap`.
pub(super) unsafe fn shed_dummies(heap: &HeapInner, so: RawObj) -> Result<()> {
    // SAFETY: `so` is a live set of `heap` (contract); the rebuild runs no user code.
    unsafe {
        let b = body(so);
        if b.table.get().is_null() || b.fill.get() - b.used.get() <= b.mask.get() / 4 {
            return Ok(());
        }
        let used = b.used.get();
        resize(heap, so, if used > 50_000 { used * 2 } else { used * 4 })
    }
}

/// Add every element of `other` to `so` (`set_merge`: CPython's slot-for-slot copy into an
/// empty set of the same size, clean inserts into an empty set, else one add per element).
///
/// # Safety
/// `so` is a live set, `other` a live set or frozenset (may be `so` itself), both of `heap`.
pub(super) unsafe fn merge(heap: &HeapInner, so: RawObj, other: RawObj) -> Result<()> {
    // SAFETY: both live (caller); keys are held across anything that may run user code.
    unsafe {
        let (a, b) = (body(so), body(other));
        if b.used.get() == 0 || so == other {
            return Ok(());
        }
        if a.table.get().is_null() {
            resize(heap, so, 0)?;
        }
        if (a.fill.get() + b.used.get()) * 5 >= a.mask.get() * 3 {
            resize(heap, so, (a.used.get() + b.used.get()) * 2)?;
        }
        if a.fill.get() == 0 {
            let (t, mask) = (a.table.get(), a.mask.get());
            let same_shape = mask == b.mask.get() && b.fill.get() == b.used.get();
            let mut pos = 0;
            while let Some((i, h, k)) = next_entry(other, pos) {
                incref(k);
                if same_shape {
                    t.add(i).write(Slot {
                        hash: h,
                        key: k.as_ptr(),
                    });
                } else {
                    insert_clean(t, mask, h, k.as_ptr());
                }
                pos = i + 1;
            }
            a.used.set(b.used.get());
            a.fill.set(b.used.get());
            return Ok(());
        }
        let mut pos = 0;
        while let Some((i, h, k)) = next_entry(other, pos) {
            let k = Held::new(k);
            add_entry(heap, so, k.raw(), h)?;
            pos = i + 1;
        }
        Ok(())
    }
}
