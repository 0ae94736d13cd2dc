//! Type objects: one per built-in type per heap, one per user class (living inside the class
//! object), one per registered Rust [`UserType`](crate::UserType).
//!
//! ```text
//!   object ──ty──▶ TypeObject { name, kind, flags, sizes, slots.., heap } ──heap──▶ HeapInner
//! ```
//!
//! The back-pointer to the heap is what lets a one-word handle reach the allocator and the
//! collector when its count drops to zero.
//!
//! # Slots
//! Slots are plain function pointers so that Rust user types get monomorphised code:
//!
//! | slot | CPython | called when |
//! |------|---------|-------------|
//! | `dealloc` | `tp_dealloc` | the count reaches zero, after the generic prologue (finalizer, untrack, weakrefs, `tp_del`, trashcan) |
//! | `traverse` | `tp_traverse` | by the collector (and deep size, DOT output): reports every referent |
//! | `clear` | `tp_clear` | by the collector on cyclic garbage, to break cycles |
//! | `finalize` | `tp_finalize` (PEP 442 `__del__`) | once, before the object dies (refcount or collector) |
//! | `legacy_del` | `tp_del` | at dealloc; makes cyclic garbage uncollectable (`gc.garbage`) |
//! | `sizeof` | `__sizeof__` | `sys.getsizeof`, deep size |
//! | `hash` | `tp_hash` | [`Obj::hash`](crate::Obj::hash), dict keys (`set`/`get`/`remove`), a tuple's hash of its items. `None` = unhashable: `RuntimeError::Unhashable` naming the type, like CPython's `PyObject_HashNotImplemented` |
//! | `eq` | `tp_richcompare` (`==`) | [`Obj::py_eq`](crate::Obj::py_eq)/[`Obj::try_eq`](crate::Obj::try_eq), dict key lookup (after the stored hashes match), tuple/list/dict equality of items. Only called when the two objects are not the same object (`a is b` is always equal, as in dict lookups); called on the left operand; must return `false` for types it does not know (CPython's `NotImplemented` falling back to identity). `None` = identity only (`object.__eq__`) |
//! | `repr` | `tp_repr` | debug output, DOT labels, errors (`None`: the kind's built-in repr) |
//!
//! Built-in hash/eq slots (set by `builtins::builtin_type` from the kind, see
//! `builtins::builtin_slots`), as in CPython: int/bool/float share one numeric hash and
//! equality (`1 == 1.0 == True`, equal hashes); str and tuple hash and compare by value; list and
//! dict compare by value and are unhashable; weakrefs hash as their referent (cached) and compare
//! the referents while both live; `None`, classes, instances and cells use `object.__hash__`
//! (the address rotated by 4 bits) and identity equality. User types choose with
//! [`UserType::EQ_HASH`](crate::UserType::EQ_HASH).
//!
//! The built-in slots are pure functions of the objects' contents: they never run user code,
//! allocate nothing on the heap and take no borrows. User hash/eq slots run the user's
//! `py_hash`/`py_eq` with `&self` only (no heap access), under a shared borrow, and fail with
//! `RuntimeError::Borrowed` instead of running while the value is mutably borrowed — which is
//! what makes dict lookups safe without guards. The generic paths may short-cut built-in kinds
//! (`match` on [`Kind`]) as long as the result is the slot's.
//!
//! # Invariants
//! - `flags & GC` ⇔ objects of this type carry a GC head and are allocated with it.
//! - `weaklist_offset != 0` ⇔ `flags & HAS_WEAKREFS`; the word at `op + weaklist_offset` is the head
//!   of the object's weak reference list (0 = none).
//! - `heap` points to the heap that created the type; it outlives every object of the type.

use crate::Heap;
use crate::Obj;
use crate::error::Result;
use crate::heap::HeapInner;
use crate::object::{HEADER_SIZE, RawObj};
use std::cell::Cell;
use std::rc::Rc;

/// A Rust function run on one object: a class's finalizer (`__del__`, `tp_del`) or a weakref's
/// callback. It receives the heap and a new strong reference to the object (for a weakref
/// callback, the weakref). Not to be confused with the collector's `gc.callbacks`
/// ([`Gc::add_callback`](crate::Gc::add_callback)) or the unraisable hook
/// ([`UnraisableHook`](crate::UnraisableHook)).
pub type ObjFn = Rc<dyn for<'a> Fn(&'a Heap, Obj<'a>)>;

/// The built-in kinds of objects (what the built-in hash/eq slots and repr are chosen by).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Kind {
    /// `None`.
    None,
    /// `True` and `False`.
    Bool,
    /// `int` (inline or big).
    Int,
    /// `float`.
    Float,
    /// `str`.
    Str,
    /// `tuple`.
    Tuple,
    /// `list`.
    List,
    /// `dict`.
    Dict,
    /// A class made by `Heap::new_class`.
    Class,
    /// An instance of such a class.
    Instance,
    /// `weakref.ref`.
    WeakRef,
    /// A closure cell.
    Cell,
    /// `set`.
    Set,
    /// `frozenset`.
    FrozenSet,
    /// A Rust value of a `UserType`.
    User,
}

/// Type flag bits.
pub mod flags {
    /// Objects carry a GC head and may be tracked by the collector.
    pub const GC: u32 = 1 << 0;
    /// Objects keep a list of their weak references (`weaklist_offset` is valid).
    pub const HAS_WEAKREFS: u32 = 1 << 1;
    /// The type may be used as a base (informational: user classes).
    pub const BASE: u32 = 1 << 2;
    /// PEP 442 finalizer (`__del__`).
    pub const HAS_FINALIZER: u32 = 1 << 3;
    /// Legacy `tp_del`: makes cyclic garbage uncollectable.
    pub const HAS_LEGACY_DEL: u32 = 1 << 4;
    /// Holds references to other objects: its dealloc goes through the trashcan.
    pub const CONTAINER: u32 = 1 << 5;
    /// Anything that makes deallocation take the slow path.
    pub const SLOW_DEALLOC: u32 = GC | HAS_WEAKREFS | HAS_FINALIZER | HAS_LEGACY_DEL | CONTAINER;
    /// Anything that needs the dealloc prologue (finalizer, weak references, legacy `tp_del`):
    /// one test of the flags word on the container path (plain lists, tuples and dicts skip it).
    pub const PROLOGUE: u32 = HAS_WEAKREFS | HAS_FINALIZER | HAS_LEGACY_DEL;
}

/// `tp_dealloc` body: release the children and free the memory (the generic prologue —
/// finalizer, untrack, weakrefs, tp_del, trashcan — already ran).
///
/// # Safety
/// Called once per object, with an object of this slot's type whose count reached zero (nobody
/// holds a reference), already untracked, whose prologue ran without resurrecting it. The body
/// may run user code (decrefs of children); `op` is freed (or put on a free list) when it
/// returns and must not be touched afterwards.
pub(crate) type DeallocFn = unsafe fn(RawObj);
/// `tp_traverse`: call the visitor with every referent (GC-capable or not).
///
/// # Safety
/// `op` is a live object of this slot's type. The visitor runs no user code that could mutate
/// `op` (built-in traverses rely on it: they walk their arrays in place); the pointers it is
/// given are valid only until user code runs.
pub(crate) type TraverseFn = unsafe fn(RawObj, &mut dyn FnMut(RawObj));
/// `tp_clear`.
///
/// # Safety
/// `op` is a live object of this slot's type, held by the caller for the call (releasing the
/// references may run user code, which may drop every other reference to `op`).
pub(crate) type ClearFn = unsafe fn(RawObj);
/// Flat size in bytes, GC head included (`sys.getsizeof`).
///
/// # Safety
/// `op` is a live object of this slot's type (or one being deallocated, before its body ran).
pub(crate) type SizeofFn = unsafe fn(RawObj) -> usize;
/// `tp_repr` override (built-ins dispatch on their kind; user types may provide one).
///
/// # Safety
/// `op` is a live object of this slot's type, held by the caller across the call (user code
/// may run).
pub(crate) type ReprFn = unsafe fn(RawObj) -> String;
/// `tp_hash`: the object's hash (never −1, like CPython), or an error (`Unhashable` for a tuple
/// holding an unhashable item, `Borrowed` for a mutably borrowed user value).
///
/// # Safety
/// `op` is a live object of this slot's type, held by the caller across the call.
pub(crate) type HashFn = unsafe fn(RawObj) -> Result<i64>;
/// `tp_richcompare` for `==`: `eq(a, b)` with `a` of this type, `a` and `b` distinct live objects
/// of the same heap; `false` for types it does not know.
///
/// # Safety
/// `a` (of this slot's type) and `b` are distinct live objects of one heap, both held by the
/// caller across the call (comparing items may run user code that drops other references).
pub(crate) type EqFn = unsafe fn(RawObj, RawObj) -> Result<bool>;

/// A type object (`PyTypeObject`, reduced to what a memory system needs).
pub struct TypeObject {
    pub(crate) name: Box<str>,
    pub(crate) kind: Kind,
    pub(crate) flags: u32,
    /// Bytes of header + fixed payload (without the GC head), like `tp_basicsize`.
    pub(crate) basic_size: usize,
    /// Bytes per item of a variable-size tail, like `tp_itemsize`.
    pub(crate) item_size: usize,
    /// Byte offset of the weak reference list head from the object pointer (0 = none).
    pub(crate) weaklist_offset: usize,
    pub(crate) dealloc: DeallocFn,
    pub(crate) traverse: Option<TraverseFn>,
    pub(crate) clear: Option<ClearFn>,
    pub(crate) sizeof: SizeofFn,
    /// `tp_repr` (None: the kind's built-in repr).
    pub(crate) repr: Option<ReprFn>,
    /// `tp_hash` (None: unhashable).
    pub(crate) hash: Option<HashFn>,
    /// `tp_richcompare` for `==` (None: identity).
    pub(crate) eq: Option<EqFn>,
    /// PEP 442 `__del__`.
    pub(crate) finalize: Option<ObjFn>,
    /// Legacy `tp_del`.
    pub(crate) legacy_del: Option<ObjFn>,
    /// For instance types: the class object (instances hold a strong reference to it).
    pub(crate) class_obj: Cell<Option<RawObj>>,
    /// For instance types: slot names (`__slots__`), `None` for attribute tables.
    pub(crate) slots: Option<Box<[Box<str>]>>,
    /// For instance types: the attribute names its instances' tables share (at most
    /// [`SHARED_ATTR_NAMES`](crate::tunables::SHARED_ATTR_NAMES)): storing a new attribute clones an `Rc` from here instead of
    /// allocating its name, like CPython's interned attribute names.
    pub(crate) attr_names: std::cell::RefCell<Vec<Rc<str>>>,
    /// For Rust user types: the `TypeId` of the value type.
    pub(crate) user_type_id: Option<std::any::TypeId>,
    pub(crate) heap: *const HeapInner,
    /// Debug builds: the poison type freed objects of this type point to (named like it, leaked
    /// on first use so that it outlives the type).
    #[cfg(debug_assertions)]
    pub(crate) poison: Cell<Option<&'static TypeObject>>,
}

impl TypeObject {
    /// The type's name.
    pub fn name(&self) -> &str {
        &self.name
    }
    /// The built-in kind.
    pub fn kind(&self) -> Kind {
        self.kind
    }
    /// Is the type GC-capable?
    #[inline]
    pub fn is_gc(&self) -> bool {
        self.flags & flags::GC != 0
    }
    /// `tp_basicsize`.
    pub fn basic_size(&self) -> usize {
        self.basic_size
    }
    /// `tp_itemsize`.
    pub fn item_size(&self) -> usize {
        self.item_size
    }
    /// All flag bits (the `types::flags` bits).
    pub fn flags(&self) -> u32 {
        self.flags
    }
    /// Start building a type: its name, kind and the heap it belongs to (`null` for the debug
    /// builds' poison types); the rest is set on the [`TypeBuilder`]. No hash or eq slot:
    /// built-in types start from `builtins::builtin_type`, which adds their kind's.
    pub(crate) fn builder(name: &str, kind: Kind, heap: *const HeapInner) -> TypeBuilder {
        TypeBuilder {
            ty: TypeObject {
                name: name.into(),
                kind,
                flags: 0,
                basic_size: HEADER_SIZE,
                item_size: 0,
                weaklist_offset: 0,
                dealloc: missing_dealloc,
                traverse: None,
                clear: None,
                sizeof: missing_sizeof,
                repr: None,
                hash: None,
                eq: None,
                finalize: None,
                legacy_del: None,
                class_obj: Cell::new(None),
                slots: None,
                attr_names: std::cell::RefCell::new(Vec::new()),
                user_type_id: None,
                heap,
                #[cfg(debug_assertions)]
                poison: Cell::new(None),
            },
            has_slots: false,
        }
    }
}

/// A [`TypeObject`] under construction (`TypeObject::builder(..)`, then the parts, then
/// [`build`](TypeBuilder::build)). Every type names its `dealloc` and `sizeof` slots
/// ([`slots`](TypeBuilder::slots)); the rest is optional:
///
/// ```text
///   TypeObject::builder("list", Kind::List, heap)
///       .layout(BASIC, 0)                      // tp_basicsize, tp_itemsize
///       .slots(dealloc, sizeof)                // required
///       .gc_container(traverse, Some(clear))   // GC | CONTAINER, tp_traverse, tp_clear
///       .build()
/// ```
pub(crate) struct TypeBuilder {
    ty: TypeObject,
    has_slots: bool,
}

impl TypeBuilder {
    /// `tp_basicsize` (header + fixed payload, without the GC head) and `tp_itemsize`.
    pub(crate) fn layout(mut self, basic_size: usize, item_size: usize) -> Self {
        self.ty.basic_size = basic_size;
        self.ty.item_size = item_size;
        self
    }
    /// The two slots every type has.
    pub(crate) fn slots(mut self, dealloc: DeallocFn, sizeof: SizeofFn) -> Self {
        self.ty.dealloc = dealloc;
        self.ty.sizeof = sizeof;
        self.has_slots = true;
        self
    }
    /// A GC-capable container: a GC head, the trashcan on deallocation, and its traverse (and
    /// clear, for types that can be part of a cycle the collector breaks) slots.
    pub(crate) fn gc_container(self, traverse: TraverseFn, clear: Option<ClearFn>) -> Self {
        self.flags(flags::GC | flags::CONTAINER)
            .traverse_slots(traverse, clear)
    }
    /// The traverse and clear slots alone (types whose GC flag depends on their layout, like
    /// instances of classes with `__slots__`, set their flags with [`flags`](TypeBuilder::flags)).
    pub(crate) fn traverse_slots(mut self, traverse: TraverseFn, clear: Option<ClearFn>) -> Self {
        self.ty.traverse = Some(traverse);
        self.ty.clear = clear;
        self
    }
    /// Instances keep a weak reference list at byte `offset` from the object pointer.
    pub(crate) fn weakrefs_at(mut self, offset: usize) -> Self {
        self.ty.flags |= flags::HAS_WEAKREFS;
        self.ty.weaklist_offset = offset;
        self
    }
    /// The `tp_hash` and `==` slots (`None`: unhashable / identity).
    pub(crate) fn eq_hash(mut self, hash: Option<HashFn>, eq: Option<EqFn>) -> Self {
        self.ty.hash = hash;
        self.ty.eq = eq;
        self
    }
    /// Further [`flags`] bits.
    pub(crate) fn flags(mut self, bits: u32) -> Self {
        self.ty.flags |= bits;
        self
    }
    /// The finished type.
    ///
    /// # Panics
    /// If [`slots`](TypeBuilder::slots) was not called: a type without a dealloc slot is a bug
    /// of the runtime (every heap builds its types when it starts, so no test run misses it).
    pub(crate) fn build(self) -> TypeObject {
        assert!(
            self.has_slots,
            "type {} was built without its dealloc/sizeof slots",
            self.ty.name
        );
        self.ty
    }
}

/// Placeholder of [`TypeObject::builder`] until [`TypeBuilder::slots`] replaces it
/// ([`TypeBuilder::build`] refuses a type that still has it).
///
/// # Safety
/// Never called: `build` checks it was replaced.
unsafe fn missing_dealloc(_: RawObj) {
    unreachable!("a type's dealloc slot was never set")
}
/// Placeholder of [`TypeObject::builder`] (see [`missing_dealloc`]).
///
/// # Safety
/// Never called: `build` checks it was replaced.
unsafe fn missing_sizeof(_: RawObj) -> usize {
    unreachable!("a type's sizeof slot was never set")
}

/// The `dyn` traverse slot of a container kind whose body is a generic
/// `traverse_with<V: FnMut(RawObj) + ?Sized>` (the collector's model calls that body directly so
/// its visitors inline; the slot serves every other walk). One line per kind instead of a
/// wrapper function each.
macro_rules! dyn_traverse {
    ($body:path) => {{
        /// The kind's `traverse` slot: its generic body behind a `dyn` visitor.
        ///
        /// # Safety
        /// The `TraverseFn` contract (types.rs), which is the body's contract.
        unsafe fn slot(op: $crate::object::RawObj, visit: &mut dyn FnMut($crate::object::RawObj)) {
            // SAFETY: the slot's contract is the body's (a live object of the kind, a visitor
            // that runs no user code).
            unsafe { $body(op, visit) }
        }
        slot as $crate::types::TraverseFn
    }};
}
pub(crate) use dyn_traverse;

impl std::fmt::Debug for TypeObject {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "<type '{}'>", self.name)
    }
}
