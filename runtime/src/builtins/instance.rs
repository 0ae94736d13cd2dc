//! Instances of user classes: attributes in an out-of-line table (no separate dict object)
//! and/or in `__slots__`.
//!
//! ```text
//!   [GcHead 16][ObjHeader 16][weaklist 8]?[attrs: *mut Table | null]?[native 8]?[slot 0]..[slot n-1]
//!   no __slots__ anywhere: 48 bytes          __slots__ only: 32 + 8n (+8 with weak references)
//! ```
//! `attrs` is the attribute table (`attrtable.rs`: one allocator block of `(name, ref)` pairs).
//! Once something asks for the instance's `__dict__` ([`Instance::dict`]), the attributes move
//! into a real dict and the table keeps only that dict (a dict table): from then on every
//! attribute read, store and deletion goes to the dict, so both views agree, as with CPython
//! 3.11's materialized dict (slots stay in their words).
//! `native` points to the payload of a class with a native base (`native.rs`).
//! Which words an instance has is its class's `Layout` (`class.rs`: bases add their slots and
//! their table/weaklist needs). GC head only for GC classes. Every instance holds a strong reference to its class (traversed).
//! `sizeof` counts the object itself, not its attribute table (as CPython 3.11+'s `getsizeof`
//! does not count the inline values array); `deep_sizeof` counts the table and the native payload.
//!
//! # Invariants
//! - The instance's words are exactly those its class's `Layout` lists (the offsets used here
//!   come from the type, which is the class's own `TypeObject`, never a base's).
//! - Each filled slot and each table value holds one strong reference; the table pointer is a
//!   table block owned by the instance (null until the first attribute is set).
//! - A `&mut Table` is held only for a statement that runs no user code; references are detached
//!   from the slot or table before they are released (a finalizer may reach the instance).
//! - The class reference is released after the block is freed: the type the dealloc reads lives
//!   in the class.

use crate::Obj;
use crate::error::{Result, RuntimeError};
use crate::handle::AsObj;
use crate::handle::typed_handle;
use crate::object::{GC_HEAD_SIZE, HEADER_SIZE, RawObj, gc_head, payload_ptr, type_of};
use crate::refcount::{decref, incref};
use crate::types::{Kind, TypeObject};
use std::ptr::NonNull;
use std::rc::Rc;

use super::attrtable::{self, Entry, Table};

/// Attribute names compare equal: names of up to 16 bytes (most attributes) by two word loads
/// each, without a `memcmp` call.
#[inline]
fn same_name(k: &str, name: &str) -> bool {
    let (a, b) = (k.as_bytes(), name.as_bytes());
    if a.len() != b.len() {
        return false;
    }
    // Two overlapping fixed-size loads cover any length from 4 to 16 (first and last word).
    let n = a.len();
    let w4 = |s: &[u8], i: usize| u32::from_le_bytes([s[i], s[i + 1], s[i + 2], s[i + 3]]);
    let w8 = |s: &[u8], i: usize| u64::from_le_bytes(s[i..i + 8].try_into().expect("8 bytes"));
    match n {
        0..=3 => a == b,
        4..=8 => w4(a, 0) == w4(b, 0) && w4(a, n - 4) == w4(b, n - 4),
        9..=16 => w8(a, 0) == w8(b, 0) && w8(a, n - 8) == w8(b, n - 8),
        _ => a == b,
    }
}

/// The type's shared `Rc` for `name` (see `TypeObject::attr_names`), or a fresh one once the
/// type keeps `SHARED_ATTR_NAMES` names. Runs no user code. `at` is the first place to look:
/// the instance's next table entry, which is where the type's list has the name when the
/// instances set their attributes in one order (`__init__`), so the usual store compares once.
fn shared_name(ty: &TypeObject, name: &str, at: usize) -> Rc<str> {
    let mut names = ty.attr_names.borrow_mut();
    if let Some(n) = names.get(at).filter(|n| same_name(n, name)) {
        return n.clone();
    }
    if let Some(n) = names.iter().find(|n| same_name(n, name)) {
        return n.clone();
    }
    let n: Rc<str> = Rc::from(name);
    if names.len() < crate::tunables::SHARED_ATTR_NAMES {
        names.push(n.clone());
    }
    n
}

fn layout(ty: &TypeObject) -> &super::class::Layout {
    // SAFETY: `ty` is the type of a live instance (every caller has one): its class is alive.
    &unsafe { super::class::data_of_type(ty) }.layout
}

/// The slot array.
///
/// # Safety
/// `op` is a live instance (or one being deallocated) whose type's layout describes its payload;
/// the pointer is valid for `n_slots(type)` slots while `op` is.
unsafe fn slots_ptr(op: RawObj) -> *mut Option<RawObj> {
    // SAFETY: live instance (caller); the layout describes its payload.
    unsafe { payload_ptr(op).add(layout(type_of(op)).slots).cast() }
}
/// The table pointer cell, if instances of this type have one.
///
/// # Safety
/// As [`slots_ptr`].
#[inline]
unsafe fn table_ptr(op: RawObj) -> Option<*mut *mut Table> {
    // SAFETY: `op` is a live instance (caller) whose type's layout describes its payload.
    unsafe {
        let off = layout(type_of(op)).dict?;
        Some(payload_ptr(op).add(off).cast())
    }
}
/// The table, if the instance has one allocated.
///
/// # Safety
/// `op` is a live instance. The `&mut` must end before anything that may run user code or reach
/// this instance's table again (a decref, a user `__eq__`).
unsafe fn table<'a>(op: RawObj) -> Option<&'a mut [Entry]> {
    // SAFETY: live instance (caller): a non-null word is its live table; callers use the slice
    // before running user code.
    unsafe { NonNull::new(*table_ptr(op)?).map(|t| attrtable::entries(t)) }
}
/// The materialized `__dict__` of an instance in dict mode (its table is a dict table).
///
/// # Safety
/// `op` is a live instance.
#[inline]
unsafe fn dict_of(op: RawObj) -> Option<RawObj> {
    // SAFETY: live instance (caller); a dict table's only entry is the dict (attrtable.rs).
    unsafe {
        let t = NonNull::new(*table_ptr(op)?)?;
        attrtable::is_dict(t).then(|| attrtable::entries(t)[0].1)
    }
}
/// The native payload cell, if instances of this type carry one (and it is stored).
///
/// # Safety
/// `op` is a live instance; the reference lives no longer than the instance.
pub(crate) unsafe fn native_cell<'a>(op: RawObj) -> Option<&'a super::native::NativeCell> {
    // SAFETY: caller; the layout describes the payload; a non-null word owns a live cell.
    unsafe {
        let off = layout(type_of(op)).native?;
        let p = *payload_ptr(op)
            .add(off)
            .cast::<*mut super::native::NativeCell>();
        (!p.is_null()).then(|| &*p)
    }
}
fn n_slots(ty: &TypeObject) -> usize {
    ty.slots.as_ref().map_or(0, |s| s.len())
}

/// The `sizeof` slot of instances.
///
/// # Safety
/// The `SizeofFn` contract (types.rs): `op` is a live instance.
pub(crate) unsafe fn sizeof(op: RawObj) -> usize {
    // SAFETY: live instance.
    let ty = unsafe { type_of(op) };
    ty.basic_size + if ty.is_gc() { GC_HEAD_SIZE } else { 0 }
}

/// Bytes of the attribute table (for deep sizes).
///
/// # Safety
/// `op` is a live instance.
pub(crate) unsafe fn table_bytes(op: RawObj) -> usize {
    // SAFETY: `op` is a live instance (contract): a non-null word is its live table.
    unsafe {
        table_ptr(op)
            .and_then(|w| NonNull::new(*w))
            .map_or(0, |t| attrtable::block_bytes(t))
    }
}

/// The traverse body, generic over the visitor (see `list::traverse_with`).
///
/// # Safety
/// `op` is a live instance; `visit` runs no user code (a native payload's traverse may: it runs
/// last, after the instance's own fields were read).
#[inline(always)]
pub(crate) unsafe fn traverse_with<V: FnMut(RawObj) + ?Sized>(op: RawObj, visit: &mut V) {
    // CPython's subtype_traverse order: slots or attribute values, then the class.
    // SAFETY: live instance (caller); visit runs no user code.
    unsafe {
        let ty = type_of(op);
        for i in 0..n_slots(ty) {
            if let Some(p) = *slots_ptr(op).add(i) {
                visit(p);
            }
        }
        if let Some(t) = table(op) {
            for (_, v) in &*t {
                visit(*v);
            }
        }
        if let Some(c) = ty.class_obj.get() {
            visit(c);
        }
        // The native base's traverse last, as CPython's subtype_traverse calls tp_base's.
        if let Some(cell) = native_cell(op) {
            // SAFETY: `cell` is op's payload; the payload's traverse is user code, run under a
            // deferral scope and catch_unwind (native.rs).
            super::native::traverse(op, cell, &mut |p| visit(p));
        }
    }
}

/// Release the attributes (not the class reference).
///
/// # Safety
/// The `ClearFn` contract (types.rs): `op` is a live instance, held by the caller for the call.
pub(crate) unsafe fn clear(op: RawObj) {
    // SAFETY: live instance, its type and layout (contract).
    unsafe {
        let ty = type_of(op);
        release_fields(op, ty, layout(ty));
    }
}

/// The body of [`clear`], given the instance's type and layout (read once by the dealloc).
///
/// # Safety
/// `op` is a live or dying instance held for the call, `ty` its type, `lay` its class's layout.
#[inline(always)]
unsafe fn release_fields(op: RawObj, ty: &TypeObject, lay: &super::class::Layout) {
    // SAFETY: the layout describes op's payload (caller); every reference is detached before it
    // is released.
    unsafe {
        let payload = payload_ptr(op);
        let slots = payload.add(lay.slots).cast::<Option<RawObj>>();
        for i in 0..n_slots(ty) {
            if let Some(p) = slots.add(i).replace(None) {
                decref(p);
            }
        }
        if let Some(off) = lay.dict {
            let w = payload.add(off).cast::<*mut Table>();
            if let Some(t) = NonNull::new(w.replace(std::ptr::null_mut())) {
                attrtable::release(&*ty.heap, t, |v| decref(v));
            }
        }
        if lay.native.is_some()
            && let Some(cell) = native_cell(op)
        {
            crate::refcount::call_user(&*ty.heap, op, || super::native::clear(cell));
        }
    }
}

/// The `dealloc` slot of instances: attributes, native payload, block, then the class reference.
///
/// # Safety
/// The `DeallocFn` contract (types.rs): `op` is a dead instance of this type's heap. Its type lives
/// in its class, which may die with this last reference: nothing of `ty` is read after that.
pub(crate) unsafe fn dealloc(op: RawObj) {
    // SAFETY: dead instance; the class outlives it until the final decref.
    unsafe {
        let ty = type_of(op);
        let heap = &*ty.heap;
        let class = ty.class_obj.get();
        let lay = layout(ty);
        release_fields(op, ty, lay);
        if let Some(off) = lay.native {
            let w = payload_ptr(op)
                .add(off)
                .cast::<*mut super::native::NativeCell>();
            let cell = w.replace(std::ptr::null_mut());
            if !cell.is_null() {
                // The payload's own Drop is user code.
                crate::refcount::call_user(heap, op, || drop(Box::from_raw(cell)));
            }
        }
        if ty.is_gc() {
            heap.gc.note_deallocation();
            // The block: GC head and basic size (instances have no variable part).
            heap.free_gc_object_sized(op, GC_HEAD_SIZE + ty.basic_size);
        } else {
            heap.free_object(op);
        }
        if let Some(c) = class {
            decref(c);
        }
    }
}

pub(crate) fn new_instance<'h>(
    class: &super::class::Class<'h>,
    native: Option<Box<dyn super::native::Payload>>,
) -> Result<Instance<'h>> {
    let heap = class.heap_inner();
    let ty = class.instance_type();
    let op = heap.new_object(ty, ty.basic_size)?;
    // SAFETY: fresh instance of basic_size bytes; zeroed payload = empty weaklist, no attributes.
    unsafe {
        std::ptr::write_bytes(payload_ptr(op), 0, ty.basic_size - HEADER_SIZE);
        if let (Some(off), Some(v)) = (layout(ty).native, native) {
            let cell = Box::into_raw(Box::new(std::cell::RefCell::new(v)));
            payload_ptr(op)
                .add(off)
                .cast::<*mut super::native::NativeCell>()
                .write(cell);
        }
        incref(class.as_raw());
        if ty.is_gc() {
            heap.gc.track(gc_head(op));
        }
        Ok(Instance(Obj::from_owned(op)))
    }
}

typed_handle!(
    /// An instance of a user class.
    Instance,
    Kind::Instance,
    "instance",
    as_instance
);

impl<'h> Instance<'h> {
    fn ty(&self) -> &'h TypeObject {
        // SAFETY: live instance.
        unsafe { type_of(self.as_raw()) }
    }
    /// `type(obj)`.
    pub fn class(&self) -> super::class::Class<'h> {
        let c = self.ty().class_obj.get().expect("instance without class");
        // SAFETY: the instance holds a reference to its class.
        super::class::Class(unsafe { Obj::from_borrowed(c) })
    }
    /// Does the instance have an attribute table (CPython: a `__dict__`)? False for instances
    /// of classes whose whole MRO uses `__slots__` without `"__dict__"`.
    pub fn has_attr_table(&self) -> bool {
        // SAFETY: live instance; only the layout is read.
        unsafe { table_ptr(self.as_raw()) }.is_some()
    }
    /// The slot holding `name` (a subclass's slot shadows a base's of the same name).
    #[inline]
    fn slot_index(&self, name: &str) -> Option<usize> {
        self.ty().slots.as_ref()?.iter().rposition(|s| &**s == name)
    }
    fn missing(&self, name: &str) -> RuntimeError {
        RuntimeError::MissingAttribute {
            type_name: self.type_name().into(),
            name: name.into(),
        }
    }
    /// The instance's own attribute `name` (a set slot or a table entry), without looking at
    /// the class. With a materialized dict, a look-up that fails (a key's `__eq__` raising, no
    /// memory for the key) reads as absent.
    pub fn get_own(&self, name: &str) -> Option<Obj<'h>> {
        let op = self.as_raw();
        if let Some(d) = self.materialized(name) {
            let key = self.heap_inner().heap().str(name).ok()?;
            return d.get(&key).ok().flatten();
        }
        let own = match self.slot_index(name) {
            // SAFETY: i < number of slots; values are live.
            Some(i) => unsafe { *slots_ptr(op).add(i) },
            // SAFETY: short read of the table.
            None => unsafe { table(op) }
                .and_then(|t| t.iter().find(|(k, _)| same_name(k, name)).map(|(_, v)| *v)),
        };
        // SAFETY: live object of this heap.
        own.map(|p| unsafe { Obj::from_borrowed(p) })
    }
    /// `getattr(obj, name)`: instance attributes, then the class's MRO.
    pub fn getattr(&self, name: &str) -> Result<Obj<'h>> {
        match self.get_own(name) {
            Some(v) => Ok(v),
            None => self.class().lookup(name).ok_or_else(|| self.missing(name)),
        }
    }
    /// `isinstance(obj, cls)`.
    pub fn isinstance(&self, cls: &super::class::Class<'_>) -> bool {
        self.class().is_subclass(cls)
    }
    /// `setattr(obj, name, v)`: a slot of that name, else the attribute table (`NoSlot` when
    /// the instance has neither).
    pub fn setattr(&self, name: &str, v: &impl AsObj<'h>) -> Result<()> {
        let v = v.as_obj();
        v.check_heap(self.heap_inner())?;
        if let Some(d) = self.materialized(name) {
            return d.set(&self.heap_inner().heap().str(name)?, v);
        }
        let op = self.as_raw();
        // SAFETY: live instance.
        let tp = unsafe { table_ptr(op) };
        let old = match (self.slot_index(name), tp) {
            // SAFETY: i < number of slots.
            (Some(i), _) => unsafe {
                incref(v.as_raw());
                slots_ptr(op).add(i).replace(Some(v.as_raw()))
            },
            (None, None) => {
                return Err(RuntimeError::NoSlot {
                    type_name: self.type_name().into(),
                    name: name.into(),
                });
            }
            // SAFETY: the table borrow lives inside this block only (no user code runs).
            (None, Some(tp)) => unsafe {
                let t = table(op);
                let len = t.as_ref().map_or(0, |t| t.len());
                let found = t.and_then(|t| t.iter_mut().find(|(k, _)| same_name(k, name)));
                let old = match found {
                    Some((_, slot)) => Some(std::mem::replace(slot, v.as_raw())),
                    None => {
                        let e = (shared_name(type_of(op), name, len), v.as_raw());
                        attrtable::push(self.heap_inner(), tp, e)?;
                        None
                    }
                };
                incref(v.as_raw());
                old
            },
        };
        if let Some(o) = old {
            // SAFETY: the instance owned it.
            unsafe { decref(o) };
        }
        Ok(())
    }
    /// `delattr(obj, name)`.
    pub fn delattr(&self, name: &str) -> Result<()> {
        if let Some(d) = self.materialized(name) {
            let key = self.heap_inner().heap().str(name)?;
            return match d.remove(&key) {
                Ok(_) => Ok(()),
                Err(RuntimeError::KeyError(_)) => Err(self.missing(name)),
                Err(e) => Err(e),
            };
        }
        let op = self.as_raw();
        let old = match self.slot_index(name) {
            // SAFETY: i < number of slots.
            Some(i) => unsafe { slots_ptr(op).add(i).replace(None) },
            // SAFETY: short &mut to the table, no user code.
            None => unsafe {
                let t = table_ptr(op).and_then(|w| NonNull::new(*w));
                t.and_then(|t| {
                    let i = attrtable::entries(t)
                        .iter()
                        .position(|(k, _)| same_name(k, name))?;
                    Some(attrtable::remove(t, i).1)
                })
            },
        };
        match old {
            Some(o) => {
                // SAFETY: the instance owned it.
                unsafe { decref(o) };
                Ok(())
            }
            None => Err(self.missing(name)),
        }
    }
    /// Attribute names set on the instance (slots that are set, then the table's keys, in order).
    pub fn attr_names(&self) -> Vec<String> {
        let op = self.as_raw();
        let mut out: Vec<String> = match &self.ty().slots {
            Some(names) => names
                .iter()
                .enumerate()
                // SAFETY: i < number of slots.
                .filter(|(i, _)| unsafe { (*slots_ptr(op).add(*i)).is_some() })
                .map(|(_, n)| n.to_string())
                .collect(),
            None => vec![],
        };
        if let Some(d) = self.dict_mode() {
            out.extend(
                d.keys()
                    .iter()
                    .filter_map(|k| Some(k.str_value().ok()?.to_string())),
            );
            return out;
        }
        // SAFETY: short read.
        if let Some(t) = unsafe { table(op) } {
            out.extend(t.iter().map(|(k, _)| k.to_string()));
        }
        out
    }
    /// The instance's materialized dict, if it has one.
    #[inline]
    fn dict_mode(&self) -> Option<super::dict::Dict<'h>> {
        // SAFETY: live instance; the dict is a live object the table holds (a new handle).
        unsafe { dict_of(self.as_raw()).map(|d| super::dict::Dict(Obj::from_borrowed(d))) }
    }
    /// The materialized dict, when the instance has one and `name` is not one of its slots
    /// (slots stay in their words).
    #[inline]
    fn materialized(&self, name: &str) -> Option<super::dict::Dict<'h>> {
        self.dict_mode().filter(|_| self.slot_index(name).is_none())
    }
    /// `obj.__dict__`: from the first request on, the instance's attributes live in this dict
    /// (the table keeps only it), so changes through either side show in the other, as with
    /// CPython 3.11's materialized dict. `None` for instances without a `__dict__` (slots only).
    pub fn dict(&self) -> Result<Option<super::dict::Dict<'h>>> {
        let op = self.as_raw();
        // SAFETY: live instance.
        let Some(word) = (unsafe { table_ptr(op) }) else {
            return Ok(None);
        };
        if let Some(d) = self.dict_mode() {
            return Ok(Some(d));
        }
        let heap = self.heap_inner().heap();
        let d = heap.dict()?;
        // Handles to the attributes first: the table slice ends before any allocation below.
        // SAFETY: a short read of the live instance's table.
        let pairs: Vec<(Rc<str>, Obj<'h>)> = unsafe { table(op) }
            .map(|t| {
                t.iter()
                    // SAFETY: table values are live objects of this heap.
                    .map(|(k, v)| (k.clone(), unsafe { Obj::from_borrowed(*v) }))
                    .collect()
            })
            .unwrap_or_default();
        for (k, v) in &pairs {
            d.set(&heap.str(k)?, v)?;
        }
        drop(pairs);
        // SAFETY: live instance; the old table is detached before it is released (its values'
        // references drop but the dict holds each one: nothing is freed, no user code runs);
        // the new table's one entry is the dict, then it is marked.
        unsafe {
            let old = std::ptr::replace(word, std::ptr::null_mut());
            attrtable::push(self.heap_inner(), word, (Rc::from("__dict__"), d.as_raw()))?;
            incref(d.as_raw());
            attrtable::mark_dict(NonNull::new(*word).expect("table"));
            if let Some(t) = NonNull::new(old) {
                attrtable::release(self.heap_inner(), t, |v| decref(v));
            }
        }
        Ok(Some(d))
    }
    /// `obj.__dict__ = d`: `d` becomes the instance's attribute dict (`NoSlot` for instances
    /// without one).
    pub fn set_dict(&self, d: &super::dict::Dict<'h>) -> Result<()> {
        d.check_heap(self.heap_inner())?;
        if self.dict()?.is_none() {
            return Err(RuntimeError::NoSlot {
                type_name: self.type_name().into(),
                name: "__dict__".into(),
            });
        }
        // SAFETY: live instance in dict mode (just made so): the entry's value is replaced,
        // then the old dict released (which may run user code: the table is consistent).
        let old = unsafe {
            incref(d.as_raw());
            let t = NonNull::new(*table_ptr(self.as_raw()).expect("table")).expect("table");
            std::mem::replace(&mut attrtable::entries(t)[0].1, d.as_raw())
        };
        // SAFETY: the table owned it.
        unsafe { decref(old) };
        Ok(())
    }
}

impl crate::Heap {
    /// `cls()`.
    pub fn instance<'h>(&'h self, class: &super::class::Class<'h>) -> Result<Instance<'h>> {
        class.check_heap(self.inner())?;
        class.instantiate()
    }
}

impl<'h> Obj<'h> {
    /// `getattr(obj, name)` for instances and classes (other types have no attributes here).
    pub fn getattr(&self, name: &str) -> Result<Obj<'h>> {
        match self.kind() {
            Kind::Instance => self.as_instance()?.getattr(name),
            Kind::Class => self.as_class()?.getattr(name),
            _ => Err(RuntimeError::MissingAttribute {
                type_name: self.type_name().into(),
                name: name.into(),
            }),
        }
    }
    /// `setattr(obj, name, v)` for instances and classes.
    pub fn setattr(&self, name: &str, v: &impl AsObj<'h>) -> Result<()> {
        match self.kind() {
            Kind::Instance => self.as_instance()?.setattr(name, v),
            Kind::Class => self.as_class()?.setattr(name, v),
            _ => Err(RuntimeError::MissingAttribute {
                type_name: self.type_name().into(),
                name: name.into(),
            }),
        }
    }
    /// `isinstance(obj, cls)`: instances of `cls` or of a subclass (other objects: false).
    pub fn isinstance(&self, cls: &super::class::Class<'_>) -> bool {
        self.as_instance().is_ok_and(|i| i.isinstance(cls))
    }
    /// `bool(obj)`: Python truthiness of the built-ins (user objects are true).
    pub fn is_truthy(&self) -> bool {
        match self.kind() {
            Kind::None => false,
            Kind::Bool | Kind::Int => self.as_int().is_ok_and(|v| v != 0),
            Kind::Float => self.as_float().is_ok_and(|v| v != 0.0),
            Kind::Str => self.str_value().is_ok_and(|s| !s.is_empty()),
            Kind::Tuple => self.as_tuple().is_ok_and(|t| !t.is_empty()),
            Kind::List => self.as_list().is_ok_and(|l| !l.is_empty()),
            Kind::Dict => self.as_dict().is_ok_and(|d| !d.is_empty()),
            _ => true,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::same_name;

    #[test]
    fn same_name_agrees_with_str_equality_at_every_length() {
        let base = "abcdefghijklmnopqrstu";
        for n in 0..=base.len() {
            let a = &base[..n];
            assert!(same_name(a, a));
            for i in 0..n {
                // One byte changed anywhere, including the bytes two overlapping words share.
                let mut b = a.as_bytes().to_vec();
                b[i] = b'Z';
                let b = std::str::from_utf8(&b).unwrap();
                assert_eq!(same_name(a, b), a == b, "{a:?} vs {b:?}");
            }
            assert!(!same_name(a, &base[..n.saturating_sub(1)]) || n == 0);
        }
        assert!(same_name("é", "é") && !same_name("é", "e"));
    }
}
