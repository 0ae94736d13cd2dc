//! dict: insertion-ordered, built on `indexmap`, Python hash/eq semantics for keys.
//!
//! ```text
//!   [GcHead 16][ObjHeader 16][table: *mut Table | null]   = 40 bytes (+ the table, counted)
//!                                  └──▶ Small: [hash|key|value] × ≤ 8, linear search by hash
//!                                       Large: IndexMap { entries: [hash|key|value]..., indices }
//! ```
//!
//! Small dicts (≤ 8 entries, the vast majority: keyword arguments, small records) keep a plain
//! vector of entries grown 1, 2, 4, 8 and searched linearly comparing the stored hash first; the
//! 9th key moves them to an `IndexMap`. This keeps small dicts smaller than CPython's (hashbrown's
//! index table costs 9 bytes per bucket where CPython's compact dict uses 1): `{'a': 1}` is 128
//! bytes here vs 184, 8 int keys 296 vs 352. Large dicts are bigger than CPython's (about 1.5×).
//!
//! Keys hash with Python semantics (`1`, `1.0` and `True` are the same key; str by contents;
//! tuples elementwise; other objects by identity); lists and dicts are unhashable. The map is
//! allocated on first insertion (an empty dict owns no table).
//!
//! Tracking (REFERENCE C.3, CPython ≤ 3.13): created untracked; inserting a key or value that
//! "may be tracked" (any GC-capable object, except untracked tuples) tracks it; only a *full*
//! collection may untrack a dict of atoms again (`can_untrack(op, full = true)`).
//!
//! # Invariants
//! - The map holds one strong reference per key and per value.
//! - Hashing and comparing keys never runs user code, so the `&mut IndexMap` taken inside one
//!   method never overlaps another; replaced/removed references are released after it ends.

use crate::Obj;
use crate::error::{Result, RuntimeError};
use crate::handle::AsObj;
use crate::handle::typed_handle;
use crate::heap::{Heap, HeapInner};
use crate::object::{GC_HEAD_SIZE, HEADER_SIZE, RawObj, gc_head, payload, payload_ptr, type_of};
use crate::refcount::{decref, incref};
use crate::types::{Kind, TypeObject, flags};
use indexmap::{Equivalent, IndexMap};
use std::cell::Cell;
use std::hash::{BuildHasherDefault, Hash, Hasher};

/// Passes the precomputed Python hash through (mixed, so hashbrown's top bits vary).
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

/// A key stored in the map (a strong reference, released by the dict).
#[derive(Clone, Copy)]
pub(crate) struct DictKey(RawObj);
impl Hash for DictKey {
    fn hash<H: Hasher>(&self, h: &mut H) {
        // SAFETY: keys are live; they were hashable when inserted and stay so (immutable).
        h.write_i64(unsafe { super::hash(self.0) }.unwrap_or(0));
    }
}
impl PartialEq for DictKey {
    fn eq(&self, o: &Self) -> bool {
        // SAFETY: keys are live.
        unsafe { super::eq(self.0, o.0) }
    }
}
impl Eq for DictKey {}

/// A lookup key with its hash already computed.
struct Lookup(i64, RawObj);
impl Hash for Lookup {
    fn hash<H: Hasher>(&self, h: &mut H) {
        h.write_i64(self.0)
    }
}
impl Equivalent<DictKey> for Lookup {
    fn equivalent(&self, k: &DictKey) -> bool {
        // SAFETY: both live.
        unsafe { super::eq(self.1, k.0) }
    }
}

type Map = IndexMap<DictKey, RawObj, BuildHasherDefault<PyHasher>>;

/// Entries below `SMALL_MAX` live in a vector; past it in an `IndexMap`.
pub const SMALL_MAX: usize = 8;

pub(crate) enum Table {
    Small(Vec<(i64, RawObj, RawObj)>),
    Large(Map),
}

impl Default for Table {
    fn default() -> Self {
        Table::Small(Vec::new())
    }
}

impl Table {
    fn len(&self) -> usize {
        match self {
            Table::Small(v) => v.len(),
            Table::Large(m) => m.len(),
        }
    }
    /// Index of the entry for `k` (hash `h`).
    fn find(&self, h: i64, k: RawObj) -> Option<usize> {
        match self {
            // SAFETY: keys are live; eq is pure.
            Table::Small(v) => v
                .iter()
                .position(|e| e.0 == h && unsafe { super::eq(k, e.1) }),
            Table::Large(m) => m.get_index_of(&Lookup(h, k)),
        }
    }
    fn value_mut(&mut self, i: usize) -> &mut RawObj {
        match self {
            Table::Small(v) => &mut v[i].2,
            Table::Large(m) => &mut m[i],
        }
    }
    fn value(&self, i: usize) -> RawObj {
        match self {
            Table::Small(v) => v[i].2,
            Table::Large(m) => m[i],
        }
    }
    /// Insert an absent key.
    fn insert_new(&mut self, h: i64, k: RawObj, v: RawObj) {
        match self {
            Table::Small(vec) if vec.len() < SMALL_MAX => {
                if vec.len() == vec.capacity() {
                    vec.reserve_exact(vec.capacity().max(1));
                }
                vec.push((h, k, v));
            }
            Table::Small(vec) => {
                let mut m = Map::with_capacity_and_hasher(SMALL_MAX + 1, Default::default());
                for (_, k, v) in vec.drain(..) {
                    m.insert(DictKey(k), v);
                }
                m.insert(DictKey(k), v);
                *self = Table::Large(m);
            }
            Table::Large(m) => {
                m.insert(DictKey(k), v);
            }
        }
    }
    /// Remove the entry at `i`, keeping order.
    fn remove_at(&mut self, i: usize) -> (RawObj, RawObj) {
        match self {
            Table::Small(v) => {
                let (_, k, val) = v.remove(i);
                (k, val)
            }
            Table::Large(m) => {
                let (k, v) = m.shift_remove_index(i).expect("index in range");
                (k.0, v)
            }
        }
    }
    fn entries(&self) -> Vec<(RawObj, RawObj)> {
        match self {
            Table::Small(v) => v.iter().map(|e| (e.1, e.2)).collect(),
            Table::Large(m) => m.iter().map(|(k, v)| (k.0, *v)).collect(),
        }
    }
    fn bytes(&self) -> usize {
        std::mem::size_of::<Table>()
            + match self {
                Table::Small(v) => v.capacity() * std::mem::size_of::<(i64, RawObj, RawObj)>(),
                Table::Large(m) => table_bytes(m),
            }
    }
}

#[repr(C)]
struct DictBody {
    map: Cell<*mut Table>,
}
const BASIC: usize = HEADER_SIZE + 8;

pub(crate) fn dict_type(heap: *const HeapInner) -> TypeObject {
    let mut t = TypeObject::new_builtin(
        "dict",
        Kind::Dict,
        flags::GC | flags::CONTAINER,
        BASIC,
        0,
        dealloc,
        sizeof,
        heap,
    );
    t.traverse = Some(traverse);
    t.clear = Some(clear);
    t
}

unsafe fn map<'a>(op: RawObj) -> Option<&'a mut Table> {
    // SAFETY: caller passes a live dict and does not keep the &mut across user code.
    unsafe { payload::<DictBody>(op).map.get().as_mut() }
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

unsafe fn sizeof(op: RawObj) -> usize {
    // SAFETY: live dict; short read.
    GC_HEAD_SIZE + BASIC + unsafe { map(op) }.map_or(0, |m| m.bytes())
}

/// # Safety
/// `op` is a live dict; the result must be used before any user code runs.
pub(crate) unsafe fn entries(op: RawObj) -> Vec<(RawObj, RawObj)> {
    // SAFETY: caller.
    unsafe { map(op) }.map_or_else(Vec::new, |m| m.entries())
}

unsafe fn traverse(op: RawObj, visit: &mut dyn FnMut(RawObj)) {
    // SAFETY: live dict; visit runs no user code.
    match unsafe { map(op) } {
        Some(Table::Small(v)) => {
            for e in v.iter() {
                visit(e.1);
                visit(e.2);
            }
        }
        Some(Table::Large(m)) => {
            for (k, v) in m.iter() {
                visit(k.0);
                visit(*v);
            }
        }
        None => {}
    }
}

/// Detach the table and release everything in it.
unsafe fn release(op: RawObj) {
    // SAFETY: live or dying dict.
    let p = unsafe { payload::<DictBody>(op) }
        .map
        .replace(std::ptr::null_mut());
    if p.is_null() {
        return;
    }
    // SAFETY: p came from Box::into_raw and is detached from the dict.
    let t = unsafe { Box::from_raw(p) };
    for (k, v) in t.entries() {
        // SAFETY: the table owned these references (it is dropped below without touching them).
        unsafe {
            decref(k);
            decref(v);
        }
    }
}

unsafe fn clear(op: RawObj) {
    // SAFETY: live dict.
    unsafe { release(op) }
}

unsafe fn dealloc(op: RawObj) {
    // SAFETY: dead dict.
    unsafe {
        let heap = &*type_of(op).heap;
        release(op);
        if heap.dict_free.push(op) {
            heap.note_freelisted();
        } else {
            heap.gc.note_deallocation();
            heap.free_object(op);
        }
    }
}

/// Contents equality (`==` of two dicts).
///
/// # Safety
/// Both live dicts.
pub(crate) unsafe fn eq(a: RawObj, b: RawObj) -> bool {
    // SAFETY: caller; lookups run no user code.
    unsafe {
        let (ea, eb) = (entries(a), entries(b));
        if ea.len() != eb.len() {
            return false;
        }
        let Some(mb) = map(b) else { return true };
        ea.iter().all(|&(k, v)| {
            let h = super::hash(k).unwrap_or(0);
            mb.find(h, k).is_some_and(|i| super::eq(v, mb.value(i)))
        })
    }
}

/// Can a full collection untrack this dict? (only atoms inside)
///
/// # Safety
/// `op` is a live dict.
pub(crate) unsafe fn can_untrack(op: RawObj) -> bool {
    // SAFETY: live dict; entries live.
    unsafe {
        entries(op)
            .iter()
            .all(|&(k, v)| !super::may_be_tracked(k) && !super::may_be_tracked(v))
    }
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
        // SAFETY: live dict, short read.
        unsafe { map(self.as_raw()) }.map_or(0, |m| m.len())
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
        // SAFETY: live dict; the &mut map lives only inside this block, which runs no user code
        // (hash/eq are pure, the map allocates from the global allocator).
        let old = unsafe {
            let b = payload::<DictBody>(op);
            if b.map.get().is_null() {
                b.map.set(Box::into_raw(Box::default()));
            }
            let m = &mut *b.map.get();
            incref(v.as_raw());
            match m.find(h, k.as_raw()) {
                Some(i) => Some(std::mem::replace(m.value_mut(i), v.as_raw())),
                None => {
                    incref(k.as_raw());
                    m.insert_new(h, k.as_raw(), v.as_raw());
                    None
                }
            }
        };
        // MAINTAIN_TRACKING.
        // SAFETY: dicts are GC objects; k and v live.
        unsafe {
            let g = gc_head(op);
            if !g.as_ref().is_tracked()
                && (super::may_be_tracked(k.as_raw()) || super::may_be_tracked(v.as_raw()))
            {
                heap.gc.track(g);
            }
            if let Some(o) = old {
                decref(o);
            }
        }
        Ok(())
    }
    /// `d.get(k)`.
    pub fn get<'o>(&self, k: &impl AsObj<'o>) -> Result<Option<Obj<'h>>> {
        let k = k.as_obj();
        let h = k.hash()?;
        // SAFETY: live dict; short lookup; values are live objects of this heap.
        Ok(unsafe { map(self.as_raw()) }
            .and_then(|m| m.find(h, k.as_raw()).map(|i| m.value(i)))
            .map(|p| unsafe { Obj::from_borrowed(p) }))
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
        // SAFETY: live dict; the &mut lives inside this expression only.
        let removed = unsafe { map(self.as_raw()) }
            .and_then(|m| m.find(h, k.as_raw()).map(|i| m.remove_at(i)));
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
        // SAFETY: as above.
        unsafe { entries(self.as_raw()) }
            .into_iter()
            .map(|(_, v)| unsafe { Obj::from_borrowed(v) })
            .collect()
    }
    /// `list(d.items())`.
    pub fn items(&self) -> Vec<(Obj<'h>, Obj<'h>)> {
        // SAFETY: as above.
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
                map: Cell::new(std::ptr::null_mut()),
            });
            Ok(Dict(Obj::from_owned(op)))
        }
    }
}
