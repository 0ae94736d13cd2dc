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
//! Slots are plain function pointers (`dealloc`, `traverse`, `clear`, `sizeof`, `repr`) so that
//! Rust user types get monomorphised code; hash, equality and the built-ins' repr dispatch on
//! [`Kind`] in `builtins` (all
//! built-in semantics are pure functions that never run user code, which is what makes dict lookups
//! safe without borrows).
//!
//! # Invariants
//! - `flags & GC` ⇔ objects of this type carry a GC head and are allocated with it.
//! - `weaklist_offset != 0` ⇔ `flags & HAS_WEAKREFS`; the word at `op + weaklist_offset` is the head
//!   of the object's weak reference list (0 = none).
//! - `heap` points to the heap that created the type; it outlives every object of the type.

use crate::Heap;
use crate::Obj;
use crate::heap::HeapInner;
use crate::object::RawObj;
use std::cell::Cell;
use std::rc::Rc;

/// A finalizer or weakref callback: receives the heap and a new strong reference.
pub type Callback = Rc<dyn for<'a> Fn(&'a Heap, Obj<'a>)>;

/// The built-in kinds of objects (what hash/eq/repr dispatch on).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Kind {
    None,
    Bool,
    Int,
    Float,
    Str,
    Tuple,
    List,
    Dict,
    Class,
    Instance,
    WeakRef,
    Cell,
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
}

/// `tp_dealloc` body: release the children and free the memory (the generic prologue —
/// finalizer, untrack, weakrefs, tp_del, trashcan — already ran).
pub(crate) type DeallocFn = unsafe fn(RawObj);
/// `tp_traverse`: call the visitor with every referent (GC-capable or not).
pub(crate) type TraverseFn = unsafe fn(RawObj, &mut dyn FnMut(RawObj));
/// `tp_clear`.
pub(crate) type ClearFn = unsafe fn(RawObj);
/// Flat size in bytes, GC head included (`sys.getsizeof`).
pub(crate) type SizeofFn = unsafe fn(RawObj) -> usize;
/// `tp_repr` override (built-ins dispatch on their kind; user types may provide one).
pub(crate) type ReprFn = unsafe fn(RawObj) -> String;

/// Most attribute names a type keeps for its instances to share (further names are allocated per
/// instance: a class used as a string-keyed map must not make every lookup linear in its keys).
pub(crate) const SHARED_ATTR_NAMES: usize = 32;

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
    /// PEP 442 `__del__`.
    pub(crate) finalize: Option<Callback>,
    /// Legacy `tp_del`.
    pub(crate) legacy_del: Option<Callback>,
    /// For instance types: the class object (instances hold a strong reference to it).
    pub(crate) class_obj: Cell<Option<RawObj>>,
    /// For instance types: slot names (`__slots__`), `None` for attribute tables.
    pub(crate) slots: Option<Box<[Box<str>]>>,
    /// For instance types: the attribute names its instances' tables share (at most
    /// [`SHARED_ATTR_NAMES`]): storing a new attribute clones an `Rc` from here instead of
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
    /// All flag bits (see [`flags`]).
    pub fn flags(&self) -> u32 {
        self.flags
    }

    #[allow(clippy::too_many_arguments)]
    pub(crate) fn new_builtin(
        name: &str,
        kind: Kind,
        flags: u32,
        basic_size: usize,
        item_size: usize,
        dealloc: DeallocFn,
        sizeof: SizeofFn,
        heap: *const HeapInner,
    ) -> TypeObject {
        TypeObject {
            name: name.into(),
            kind,
            flags,
            basic_size,
            item_size,
            weaklist_offset: 0,
            dealloc,
            traverse: None,
            clear: None,
            sizeof,
            repr: None,
            finalize: None,
            legacy_del: None,
            class_obj: Cell::new(None),
            slots: None,
            attr_names: std::cell::RefCell::new(Vec::new()),
            user_type_id: None,
            heap,
            #[cfg(debug_assertions)]
            poison: Cell::new(None),
        }
    }
}

impl std::fmt::Debug for TypeObject {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "<type '{}'>", self.name)
    }
}
