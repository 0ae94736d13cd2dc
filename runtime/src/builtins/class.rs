//! User classes created at run time: a GC-tracked object holding the instances' type object, the
//! class attributes (so `A.a = A` is a cycle the collector must break), the bases and the C3
//! method resolution order.
//!
//! ```text
//!   [GcHead 16][ObjHeader 16][weaklist][data: *mut ClassData]
//!                                          └──▶ ClassData { ty: TypeObject (for instances),
//!                                                           attrs: [(name, strong ref)],
//!                                                           bases, mro: strong refs (DAG),
//!                                                           layout: where instances keep what }
//!   instance ──ty──▶ ClassData.ty ──class_obj──▶ class object     (every instance also holds a
//!                                                                 strong reference to its class)
//! ```
//!
//! # Bases and the MRO
//! `ClassSpec::with_bases` lists the bases; the MRO (`Class::mro`, the class first, `object` left
//! implicit) is their C3 linearisation (`mro.rs`), computed once at creation with CPython's
//! errors. Attribute lookup on a class and on an instance (after its own attributes) walks the
//! MRO; `is_subclass`/`isinstance` test membership in it. Bases and MRO entries are strong
//! references, traversed but not cleared by `tp_clear` (they form a DAG from subclass to base, so
//! any cycle through them also goes through an attribute, which `clear` releases; keeping them
//! keeps the instances' layouts and the finalizer lookup valid until the class dies).
//!
//! # Instance layout across bases (CPython's rules)
//! An instance has an attribute table ("`__dict__`") when its class or any base has no
//! `__slots__` (or lists `"__dict__"`), a weak reference list when any of them is weakrefable, and
//! the slots of its *solid base* chain followed by its own. The solid base is the nearest class
//! that added slots; two bases whose solid bases are not on one line of inheritance are refused
//! with CPython's `multiple bases have instance lay-out conflict`. Nothing ever reads an instance
//! through a base's layout (each class has its own `TypeObject`), so the rule is CPython's
//! semantics rather than a memory-safety requirement.
//!
//! # Dunder methods
//! `__del__`, `__hash__`, `__eq__` and `__repr__` set on a class (or inherited) are found at the
//! moment they are needed, like CPython's slot lookup, and called through the heap's call hook
//! (`call.rs`). Which of them a class has is cached per class and invalidated by a heap-wide
//! version number that every class `setattr`/`delattr` bumps (CPython's type version tags, with one
//! counter instead of per-type tags). The same version guards the per-class cache of look-ups
//! along the MRO (`class_cache.rs`).
//!
//! # Invariants
//! - `ClassBody::data` is a `Box<ClassData>` turned into a raw pointer at creation, owned by the
//!   class object and freed only by its dealloc; `data(op)` references never outlive the class.
//! - `ClassData.ty` is the type of every instance of this class; it lives inside the class, so
//!   the class must outlive its instances: each instance holds a strong reference to its class
//!   (released last in the instance's dealloc), each subclass one to each base and MRO entry.
//! - `attrs` is an `UnsafeCell`: each `&`/`&mut` to the vector is taken for one short statement
//!   that runs no user code (no decref, no call); values are detached before they are released.
//! - Each attribute value, base and MRO entry holds one strong reference.

use crate::Obj;
use crate::error::{Result, RuntimeError};
use crate::handle::AsObj;
use crate::handle::typed_handle;
use crate::heap::{Heap, HeapInner};
use crate::member::Member;
use crate::object::{GC_HEAD_SIZE, HEADER_SIZE, RawObj, gc_head, payload, payload_ptr, type_of};
use crate::refcount::{decref, incref};
use crate::types::{Kind, ObjFn, TypeObject, dyn_traverse, flags};
use std::cell::{Cell, UnsafeCell};
use std::rc::Rc;

/// How to build a class: `heap.new_class(ClassSpec::new("A").with_bases(&[&base]).with_del(..))`.
#[derive(Clone)]
pub struct ClassSpec {
    /// `__name__`.
    pub name: String,
    /// `__bases__` (empty: `object` only). Must be classes of the heap the class is created in.
    pub bases: Vec<Member>,
    /// `__slots__`: `Some(names)` stores exactly these attributes inline (`"__dict__"` in the list
    /// adds an attribute table as well); `None`: attribute table.
    pub slots: Option<Vec<String>>,
    /// PEP 442 `__del__` as a Rust closure (`tp_finalize`): runs at most once per object for GC
    /// classes; inherited. Not traversed: references it captures are invisible to the collector
    /// (use a `__del__` attribute holding a heap object to have it traced, see [`Class`]).
    pub del: Option<ObjFn>,
    /// Legacy `tp_del`: runs on every death; instances in cyclic garbage become uncollectable.
    /// Inherited. Not traversed, like `del`.
    pub legacy_del: Option<ObjFn>,
    /// Instances support weak references (adds one word); also true when a base's instances do.
    pub weakrefable: bool,
    /// Instances are GC-capable (false: no GC head, never tracked, like CPython's test_non_gc);
    /// also true when a base's instances are, or when they carry a native payload.
    pub gc: bool,
    /// A native base: instances carry a Rust value (`native.rs`); inherited.
    pub native: Option<super::native::NativeBase>,
    /// The class's own type (its metaclass, `type(cls)`): a class made with
    /// [`ClassSpec::metaclass_base`] (or a subclass of one). None: the built-in `type`.
    pub metaclass: Option<Member>,
    /// Instances of this class are classes (`class Meta(type)`): see [`ClassSpec::metaclass_base`].
    pub class_instances: bool,
}

impl ClassSpec {
    /// A plain class: attribute table, weakrefable, GC-capable, no finalizers, no bases.
    pub fn new(name: &str) -> ClassSpec {
        ClassSpec {
            name: name.into(),
            bases: Vec::new(),
            slots: None,
            del: None,
            legacy_del: None,
            weakrefable: true,
            gc: true,
            native: None,
            metaclass: None,
            class_instances: false,
        }
    }
    /// Instances carry a native Rust payload `T` (a user type as base class), made by `make` for
    /// `cls.instantiate()`; borrowed with [`Instance::native`](super::instance::Instance::native).
    ///
    /// ```
    /// use pyheap_runtime::{ClassSpec, Heap, Member, UserType, Visitor};
    ///
    /// #[derive(Default)]
    /// struct Stack(Vec<Member>);
    /// impl UserType for Stack {
    ///     const NAME: &'static str = "Stack";
    ///     fn traverse(&self, visit: &mut Visitor<'_>) {
    ///         self.0.iter().for_each(|m| visit.visit(m))
    ///     }
    ///     fn clear(&mut self) {
    ///         self.0.clear()
    ///     }
    /// }
    /// let heap = Heap::new();
    /// let base = heap.new_class(ClassSpec::new("StackBase").with_native(Stack::default))?;
    /// base.setattr("kind", &heap.str("stack")?)?;
    /// let sub = heap.new_class(ClassSpec::new("MyStack").with_bases(&[&base]))?;
    /// let s = sub.instantiate()?;
    /// s.native_mut::<Stack>()?.0.push(Member::new(&s)); // a cycle through the payload
    /// s.setattr("name", &heap.str("s")?)?;
    /// assert_eq!(s.getattr("kind")?.str_value()?, "stack"); // along the MRO
    /// assert_eq!(s.native::<Stack>()?.0.len(), 1);
    /// drop(s);
    /// assert_eq!(heap.gc().collect(2).unwrap(), 1);
    /// # Ok::<(), pyheap_runtime::RuntimeError>(())
    /// ```
    pub fn with_native<T: super::user::UserType>(mut self, make: impl Fn() -> T + 'static) -> Self {
        self.native = Some(super::native::NativeBase::of(make));
        self
    }
    /// Set `__bases__` (in order; the MRO is their C3 linearisation).
    pub fn with_bases<'h>(mut self, bases: &[&Class<'h>]) -> Self {
        self.bases = bases.iter().map(|b| Member::new(*b)).collect();
        self
    }
    /// Set `__slots__`.
    pub fn with_slots(mut self, names: &[&str]) -> Self {
        self.slots = Some(names.iter().map(|s| s.to_string()).collect());
        self
    }
    /// Set `__del__` (a Rust closure; see [`ClassSpec::del`] for what the collector sees).
    pub fn with_del(mut self, f: impl for<'a> Fn(&'a Heap, Obj<'a>) + 'static) -> Self {
        self.del = Some(Rc::new(f));
        self
    }
    /// Set a legacy `tp_del`.
    pub fn with_legacy_del(mut self, f: impl for<'a> Fn(&'a Heap, Obj<'a>) + 'static) -> Self {
        self.legacy_del = Some(Rc::new(f));
        self
    }
    /// Without weak reference support.
    pub fn without_weakrefs(mut self) -> Self {
        self.weakrefable = false;
        self
    }
    /// Instances are not GC-capable.
    pub fn non_gc(mut self) -> Self {
        self.gc = false;
        self
    }
    /// The instances of this class are classes (Python's `class Meta(type)`): made with
    /// `ClassSpec::with_metaclass(&meta)`, laid out and collected like every class, each
    /// holding a strong reference to its metaclass. Inherited; slots, the native payload and
    /// finalizers do not apply to such instances.
    pub fn metaclass_base(mut self) -> Self {
        self.class_instances = true;
        self
    }
    /// Make the class an instance of `meta` (a class made with [`ClassSpec::metaclass_base`];
    /// `WrongType` otherwise, at [`Heap::new_class`]).
    pub fn with_metaclass<'h>(mut self, meta: &Class<'h>) -> Self {
        self.metaclass = Some(Member::new(meta));
        self
    }
}

/// Where an instance keeps what, as byte offsets from the start of its payload.
pub(crate) struct Layout {
    /// Offset of the attribute table pointer, if instances have one.
    pub(crate) dict: Option<usize>,
    /// Offset of slot 0 (slots are consecutive words: `Option<RawObj>`).
    pub(crate) slots: usize,
    /// Offset of the native payload pointer (`native.rs`), if instances have one.
    pub(crate) native: Option<usize>,
}

/// Bits of [`ClassData::dunders`]: which special methods the class has or inherits.
pub(crate) mod dunder {
    pub const DEL: u8 = 1;
    pub const HASH: u8 = 2;
    pub const EQ: u8 = 4;
    pub const REPR: u8 = 8;
    /// A class defines `__eq__` without `__hash__` before any class defining `__hash__`.
    pub const EQ_NO_HASH: u8 = 16;
    pub const SETATTR: u8 = 32;
    pub const GETATTRIBUTE: u8 = 64;
}

pub(crate) struct ClassData {
    pub(crate) ty: TypeObject,
    pub(crate) attrs: UnsafeCell<Vec<(Box<str>, RawObj)>>,
    /// `__bases__`: strong references.
    pub(crate) bases: Box<[RawObj]>,
    /// `__mro__` without the class itself: strong references.
    pub(crate) mro: Box<[RawObj]>,
    pub(crate) layout: Layout,
    /// Slots this class added (not inherited): a class with some is its own solid base.
    pub(crate) own_slots: usize,
    /// The Rust `__del__` given to this class's spec (not inherited: the MRO walk finds it).
    pub(crate) own_del: Option<ObjFn>,
    /// (heap class version, dunder bits) of the last look-up.
    pub(crate) dunders: Cell<(u64, u8)>,
    /// The results of recent look-ups along the MRO (`class_cache.rs`).
    pub(crate) cache: super::class_cache::LookupCache,
    /// The payload instances carry (own or inherited), `native.rs`.
    pub(crate) native: Option<super::native::NativeBase>,
    /// The metaclass (a strong reference; None: `type`). The class object's header points at
    /// the metaclass's `ty`, which lives as long as the metaclass: released last in `dealloc`.
    pub(crate) meta: Option<RawObj>,
}

#[repr(C)]
struct ClassBody {
    weaklist: Cell<usize>,
    data: *mut ClassData,
}
const BASIC: usize = HEADER_SIZE + 16;

pub(crate) fn class_type(heap: *const HeapInner) -> TypeObject {
    super::builtin_type("type", Kind::Class, heap)
        .layout(BASIC, 0)
        .slots(dealloc, sizeof)
        .gc_container(traverse, Some(clear))
        .weakrefs_at(HEADER_SIZE)
        .build()
}

/// # Safety
/// `op` is a live class object.
pub(crate) unsafe fn data<'a>(op: RawObj) -> &'a ClassData {
    // SAFETY: caller; data lives until the class dies.
    unsafe { &*payload::<ClassBody>(op).data }
}

/// The class data behind an instance type.
///
/// # Safety
/// `ty` is the type of a live instance (or of one being deallocated: its class outlives it).
pub(crate) unsafe fn data_of_type<'a>(ty: &TypeObject) -> &'a ClassData {
    let c = ty.class_obj.get().expect("instance type without class");
    // SAFETY: the instance holds a reference to its class (caller).
    unsafe { data(c) }
}

/// The `sizeof` slot of classes (the class data and its tables included).
///
/// # Safety
/// The `SizeofFn` contract (types.rs): `op` is a live class.
unsafe fn sizeof(op: RawObj) -> usize {
    // SAFETY: live class.
    let d = unsafe { data(op) };
    GC_HEAD_SIZE + BASIC + std::mem::size_of::<ClassData>()
        // SAFETY: short read.
        + unsafe { &*d.attrs.get() }.capacity() * std::mem::size_of::<(Box<str>, RawObj)>()
        + (d.bases.len() + d.mro.len()) * std::mem::size_of::<RawObj>()
        + d.cache.extra_bytes()
}

/// The `traverse` slot of classes: attribute values, then bases and MRO.
///
/// # Safety
/// The `TraverseFn` contract (types.rs): `op` is a live class; `visit` runs no user code (the
/// attribute table is read in place).
unsafe fn traverse(op: RawObj, visit: &mut dyn FnMut(RawObj)) {
    // SAFETY: live class; visit runs no user code.
    let d = unsafe { data(op) };
    // SAFETY: short read of the table.
    for (_, v) in unsafe { &*d.attrs.get() } {
        visit(*v);
    }
    for &b in d.bases.iter().chain(d.mro.iter()) {
        visit(b);
    }
    if let Some(m) = d.meta {
        visit(m);
    }
}

/// The `clear` slot of classes: detach the attribute table, then release it.
///
/// # Safety
/// The `ClearFn` contract (types.rs): `op` is a live class, held by the caller for the call.
unsafe fn clear(op: RawObj) {
    // SAFETY: live class; the table is detached before any decref.
    let d = unsafe { data(op) };
    bump_version(d);
    // SAFETY: the &mut ends with the statement.
    let attrs = std::mem::take(unsafe { &mut *d.attrs.get() });
    for (_, v) in attrs {
        // SAFETY: the table owned these references.
        unsafe { decref(v) };
    }
}

fn bump_version(d: &ClassData) {
    // SAFETY: a class's instance type names the heap that created it, which outlives it.
    let heap = unsafe { &*d.ty.heap };
    heap.class_version.set(heap.class_version.get() + 1);
}

/// The `dealloc` slot of classes.
///
/// # Safety
/// The `DeallocFn` contract (types.rs): `op` is a dead class of this type's heap. No instance or
/// subclass is left: each holds a reference to it, so the instance type inside it is unused.
unsafe fn dealloc(op: RawObj) {
    // SAFETY: dead class: no instance is left (each holds a reference) and no subclass (each
    // holds one too).
    unsafe {
        let heap = &*type_of(op).heap;
        clear(op);
        let d = Box::from_raw(payload::<ClassBody>(op).data);
        heap.gc.note_deallocation();
        heap.free_object(op);
        for &b in d.bases.iter().chain(d.mro.iter()) {
            decref(b);
        }
        // Last: the class's own type object lived inside its metaclass.
        if let Some(m) = d.meta {
            decref(m);
        }
    }
}

typed_handle!(
    /// A class handle.
    ///
    /// Special methods stored as class attributes (`__del__`, `__hash__`, `__eq__`,
    /// `__repr__`) are heap objects: traversed like any attribute, and called through the heap's
    /// call hook ([`Heap::set_call_hook`]). `__hash__` set to `None` makes instances unhashable;
    /// a class defining `__eq__` without `__hash__` makes them unhashable too (Python 3).
    Class,
    Kind::Class,
    "type",
    as_class
);

impl<'h> Class<'h> {
    fn d(&self) -> &ClassData {
        // SAFETY: live class.
        unsafe { data(self.as_raw()) }
    }
    /// `__name__`.
    pub fn name(&self) -> &str {
        self.d().ty.name()
    }
    /// The instances' type object.
    pub fn instance_type(&self) -> &TypeObject {
        &self.d().ty
    }
    /// The metaclass given at creation ([`ClassSpec::with_metaclass`]); None for `type`.
    pub fn metaclass(&self) -> Option<Class<'h>> {
        // SAFETY: the class holds its metaclass.
        self.d()
            .meta
            .map(|m| Class(unsafe { Obj::from_borrowed(m) }))
    }
    /// Whether instances of this class are classes ([`ClassSpec::metaclass_base`]).
    pub fn makes_classes(&self) -> bool {
        self.d().ty.kind == Kind::Class
    }
    /// `__bases__`.
    pub fn bases(&self) -> Vec<Class<'h>> {
        // SAFETY: the class holds its bases.
        self.d()
            .bases
            .iter()
            .map(|&b| Class(unsafe { Obj::from_borrowed(b) }))
            .collect()
    }
    /// `__mro__` without the implicit `object`: the class itself first, then its C3
    /// linearisation.
    pub fn mro(&self) -> Vec<Class<'h>> {
        let ancestors = self.d().mro.iter().map(|&b| {
            // SAFETY: the class holds its MRO entries.
            Class(unsafe { Obj::from_borrowed(b) })
        });
        std::iter::once(self.clone()).chain(ancestors).collect()
    }
    /// `issubclass(self, other)`: `other` is the class or in its MRO.
    pub fn is_subclass(&self, other: &Class<'_>) -> bool {
        self.is(other) || self.d().mro.contains(&other.as_raw())
    }
    /// `getattr(cls, name)`: along the MRO.
    pub fn getattr(&self, name: &str) -> Result<Obj<'h>> {
        self.lookup(name)
            .ok_or_else(|| RuntimeError::MissingAttribute {
                type_name: "type".into(),
                name: name.into(),
            })
    }
    /// The attribute stored on this class itself (`cls.__dict__[name]`), not inherited.
    pub fn get_own(&self, name: &str) -> Option<Obj<'h>> {
        // SAFETY: live class of this heap.
        unsafe { own_attr(self.as_raw(), name) }.map(|p| unsafe { Obj::from_borrowed(p) })
    }
    /// Attribute lookup along the MRO (`_PyType_Lookup`). Answers, including "not found", are
    /// cached per class and stay valid until any class attribute of the heap changes
    /// ([`Heap::class_version`]; `class_cache.rs`): a repeated look-up costs a hash of `name`
    /// and one string compare, and no reference count changes.
    pub fn lookup(&self, name: &str) -> Option<Obj<'h>> {
        // SAFETY: live class; the result is a live object of this heap.
        unsafe { lookup_raw(self.as_raw(), name) }.map(|p| unsafe { Obj::from_borrowed(p) })
    }
    /// Whether the class defines or inherits `__setattr__` (`lookup("__setattr__").is_some()`,
    /// answered from the per-class bits kept with the dunder cache: a bit test per store).
    pub fn defines_setattr(&self) -> bool {
        self.d().dunders() & dunder::SETATTR != 0
    }
    /// Whether instances carry a native payload (the class's native base, own or inherited:
    /// [`ClassSpec::with_native`]).
    pub fn has_native(&self) -> bool {
        self.d().layout.native.is_some()
    }
    /// Whether the class defines or inherits `__getattribute__` (as [`Class::defines_setattr`]).
    pub fn defines_getattribute(&self) -> bool {
        self.d().dunders() & dunder::GETATTRIBUTE != 0
    }
    /// The names of the class's own attributes, in definition order.
    pub fn attr_names(&self) -> Vec<String> {
        // SAFETY: short read of the table.
        unsafe { &*self.d().attrs.get() }
            .iter()
            .map(|(k, _)| k.to_string())
            .collect()
    }
    /// `setattr(cls, name, v)`.
    pub fn setattr(&self, name: &str, v: &impl AsObj<'h>) -> Result<()> {
        let v = v.as_obj();
        v.check_heap(self.heap_inner())?;
        bump_version(self.d());
        // SAFETY: v is live; the &mut table lives inside this block only (no user code).
        let old = unsafe {
            incref(v.as_raw());
            let t = &mut *self.d().attrs.get();
            match t.iter_mut().find(|(k, _)| &**k == name) {
                Some((_, slot)) => Some(std::mem::replace(slot, v.as_raw())),
                None => {
                    t.push((name.into(), v.as_raw()));
                    None
                }
            }
        };
        if let Some(o) = old {
            // SAFETY: the table owned it.
            unsafe { decref(o) };
        }
        Ok(())
    }
    /// `delattr(cls, name)` (this class's own attribute).
    pub fn delattr(&self, name: &str) -> Result<()> {
        bump_version(self.d());
        // SAFETY: short &mut to the table, no user code while it lives.
        let old = unsafe {
            let t = &mut *self.d().attrs.get();
            t.iter()
                .position(|(k, _)| &**k == name)
                .map(|i| t.remove(i).1)
        };
        match old {
            // SAFETY: the table owned it.
            Some(o) => unsafe {
                decref(o);
                Ok(())
            },
            None => Err(RuntimeError::MissingAttribute {
                type_name: self.name().into(),
                name: name.into(),
            }),
        }
    }
    /// Create an instance (`cls()`); a class with a native base makes its payload with the
    /// spec's constructor.
    pub fn instantiate(&self) -> Result<super::instance::Instance<'h>> {
        // SAFETY: live class.
        let make = unsafe { data(self.as_raw()) }
            .native
            .as_ref()
            .map(|n| n.make.clone());
        super::instance::new_instance(self, make.map(|m| m()))
    }
    /// Create an instance whose native payload is `value` (`WrongType` when the class has no
    /// native base of type `T`).
    pub fn instantiate_native<T: super::user::UserType>(
        &self,
        value: T,
    ) -> Result<super::instance::Instance<'h>> {
        // SAFETY: live class.
        let d = unsafe { data(self.as_raw()) };
        match &d.native {
            Some(n) if n.type_id == std::any::TypeId::of::<T>() => {
                super::instance::new_instance(self, Some(Box::new(value)))
            }
            _ => Err(RuntimeError::WrongType {
                expected: T::NAME,
                got: format!("class {}", d.ty.name()),
            }),
        }
    }
}

/// The class's own attribute `name` (borrowed pointer).
///
/// # Safety
/// `cls` is a live class; the pointer must be used before user code runs.
pub(crate) unsafe fn own_attr(cls: RawObj, name: &str) -> Option<RawObj> {
    // SAFETY: caller; short read.
    unsafe { &*data(cls).attrs.get() }
        .iter()
        .find(|(k, _)| &**k == name)
        .map(|(_, v)| *v)
}

/// `name` along `cls`'s MRO (borrowed pointer).
///
/// # Safety
/// As [`own_attr`].
pub(crate) unsafe fn lookup_raw(cls: RawObj, name: &str) -> Option<RawObj> {
    // SAFETY: caller: live class.
    let d = unsafe { data(cls) };
    // SAFETY: a class's instance type names the heap that created it, which outlives it.
    let version = unsafe { &*d.ty.heap }.class_version.get();
    d.cache.get(version, name, || {
        // SAFETY: caller; the MRO entries are live (held by the class); reading the tables
        // runs no user code.
        unsafe {
            std::iter::once(cls)
                .chain(d.mro.iter().copied())
                .find_map(|c| own_attr(c, name))
        }
    })
}

impl ClassData {
    /// Which special methods the class has or inherits ([`dunder`] bits), cached: valid while
    /// no class attribute changed anywhere in the heap (`class_version`), recomputed otherwise.
    #[inline]
    pub(crate) fn dunders(&self) -> u8 {
        // SAFETY: the type's heap outlives the class.
        let version = unsafe { &*self.ty.heap }.class_version.get();
        let (v, bits) = self.dunders.get();
        if v == version {
            return bits;
        }
        self.recompute_dunders(version)
    }

    #[cold]
    #[inline(never)]
    fn recompute_dunders(&self, version: u64) -> u8 {
        let me = self.ty.class_obj.get().expect("class without object");
        let mut bits = 0;
        let mut hash_decided = false;
        for c in std::iter::once(me).chain(self.mro.iter().copied()) {
            // SAFETY: live classes (held by this one); short read.
            let d = unsafe { data(c) };
            if d.own_del.is_some() {
                bits |= dunder::DEL;
            }
            // SAFETY: short read; no user code while it lives.
            let attrs = unsafe { &*d.attrs.get() };
            let has = |n: &str| attrs.iter().any(|(k, _)| &**k == n);
            if has("__del__") {
                bits |= dunder::DEL;
            }
            if has("__eq__") {
                bits |= dunder::EQ;
            }
            if has("__repr__") {
                bits |= dunder::REPR;
            }
            if has("__setattr__") {
                bits |= dunder::SETATTR;
            }
            if has("__getattribute__") {
                bits |= dunder::GETATTRIBUTE;
            }
            if !hash_decided {
                if has("__hash__") {
                    bits |= dunder::HASH;
                    hash_decided = true;
                } else if has("__eq__") {
                    bits |= dunder::EQ_NO_HASH;
                    hash_decided = true;
                }
            }
        }
        self.dunders.set((version, bits));
        bits
    }
}

/// The PEP 442 finalizer to run for an object of type `ty`, if any: the type's own for built-in
/// and user types; for instances the class's `__del__` (attribute or Rust closure, inherited),
/// found at the moment of death like CPython's `slot_tp_finalize`.
///
/// # Safety
/// `ty` is the type of an intact object.
#[inline]
pub(crate) unsafe fn finalizer(ty: &TypeObject) -> Option<&ObjFn> {
    if ty.kind == Kind::Instance {
        // SAFETY: caller: an instance's class outlives it.
        if unsafe { data_of_type(ty) }.dunders() & dunder::DEL == 0 {
            return None;
        }
    }
    ty.finalize.as_ref()
}

/// The finalizer every instance type carries: the first `__del__` along the MRO, an attribute
/// (called through the call hook) or a spec's Rust closure. Errors are reported as unraisable.
fn instance_finalizer(heap: &Heap, obj: Obj<'_>) {
    // SAFETY: an instance's type is its class's; live (the handle).
    let cls = unsafe { data_of_type(obj.type_object()) }
        .ty
        .class_obj
        .get();
    let Some(cls) = cls else { return };
    // SAFETY: live class.
    let d = unsafe { data(cls) };
    for c in std::iter::once(cls).chain(d.mro.iter().copied()) {
        // SAFETY: live class held by the instance's class; the attribute is held at once.
        if let Some(f) = unsafe { own_attr(c, "__del__") } {
            // SAFETY: live attribute, a new reference.
            let f = unsafe { Obj::from_borrowed(f) };
            if let Err(e) = heap.call(&f, std::slice::from_ref(&obj)) {
                // About the function, as CPython's slot_tp_finalize reports.
                heap.inner().report_unraisable_error(&f, &e);
            }
            return;
        }
        // SAFETY: `c` is the live class of the object being finalized, so its ClassData is intact.
        if let Some(del) = unsafe { data(c) }.own_del.clone() {
            del(heap, obj);
            return;
        }
    }
}

impl Heap {
    /// Create a class at run time. Errors: a base that is not a class of this heap, and
    /// CPython's `TypeError`s for duplicate bases, an inconsistent MRO and an instance lay-out
    /// conflict.
    pub fn new_class(&self, spec: ClassSpec) -> Result<Class<'_>> {
        let inner = self.inner();
        let meta = match &spec.metaclass {
            Some(m) => {
                let o = m.get(self)?;
                let c = o.as_class()?;
                if !c.makes_classes() {
                    return Err(RuntimeError::WrongType {
                        expected: "metaclass",
                        got: format!("class {}", c.name()),
                    });
                }
                Some(o)
            }
            None => None,
        };
        let bases = spec
            .bases
            .iter()
            .map(|m| {
                let o = m.get(self)?;
                o.as_class()?;
                Ok(o.into_raw())
            })
            .collect::<Result<Vec<RawObj>>>()?;
        // Owned references to the bases until they move into the class (or the error returns).
        let guard = OwnedRefs(bases);
        let bases = &guard.0;
        // SAFETY (all reads below): the bases are live classes held by the guard.
        let base_mros: Vec<Vec<RawObj>> = bases
            .iter()
            .map(|&b| {
                std::iter::once(b)
                    // SAFETY: live class held by the guard.
                    .chain(unsafe { data(b) }.mro.iter().copied())
                    .collect()
            })
            .collect();
        // A placeholder node for the new class: the null-free dangling pointer cannot be any
        // live class.
        let me = std::ptr::NonNull::dangling();
        let mro = super::mro::c3(me, bases, &base_mros, |c| {
            // SAFETY: the merge only names bases and their MRO entries: live classes.
            unsafe { data(c) }.ty.name().to_string()
        })?;
        let mro: Vec<RawObj> = mro[1..].to_vec();
        let best = best_base(bases)?;
        // SAFETY: live classes held by the guard.
        let base_data: Vec<&ClassData> = bases.iter().map(|&b| unsafe { data(b) }).collect();
        let own: Vec<&str> = spec.slots.iter().flatten().map(String::as_str).collect();
        let has_dict = spec.slots.is_none()
            || own.contains(&"__dict__")
            || base_data.iter().any(|d| d.layout.dict.is_some());
        let weak = spec.weakrefable
            || own.contains(&"__weakref__")
            || base_data.iter().any(|d| d.ty.weaklist_offset != 0);
        let native = super::native::merge(
            spec.native.as_ref(),
            base_data.iter().map(|d| d.native.as_ref()),
        )?
        .cloned();
        let gc = spec.gc || native.is_some() || base_data.iter().any(|d| d.ty.is_gc());
        let class_instances =
            spec.class_instances || base_data.iter().any(|d| d.ty.kind == Kind::Class);
        if !gc {
            // Untracked instances may carry `__del__` and weak references (model.rs, sweep).
            inner.untracked_user_code.set(true);
        }
        let own_slots: Vec<Box<str>> = own
            .iter()
            .filter(|n| !matches!(**n, "__dict__" | "__weakref__"))
            .map(|n| Box::<str>::from(*n))
            .collect();
        let inherited: Vec<Box<str>> = best
            // SAFETY: `best` is one of the bases.
            .and_then(|b| unsafe { data(b) }.ty.slots.as_deref())
            .map(<[Box<str>]>::to_vec)
            .unwrap_or_default();
        let n_own = own_slots.len();
        let all_slots: Vec<Box<str>> = inherited.into_iter().chain(own_slots).collect();
        let mut fl = flags::CONTAINER | flags::BASE | flags::HAS_FINALIZER;
        if gc {
            fl |= flags::GC;
        }
        let legacy_del = spec.legacy_del.clone().or_else(|| {
            mro.iter()
                // SAFETY: MRO entries are live classes (held by the bases).
                .find_map(|&c| unsafe { data(c) }.ty.legacy_del.clone())
        });
        if legacy_del.is_some() {
            fl |= flags::HAS_LEGACY_DEL;
        }
        let weak_words = usize::from(weak);
        let dict = has_dict.then_some(8 * weak_words);
        let native_off = native
            .is_some()
            .then_some(8 * (weak_words + usize::from(has_dict)));
        let slots_off = 8 * (weak_words + usize::from(has_dict) + usize::from(native.is_some()));
        let basic = HEADER_SIZE + slots_off + 8 * all_slots.len();
        // A metaclass's instances are classes: the class layout and slots, under its name.
        let ty = if class_instances {
            super::builtin_type(&spec.name, Kind::Class, inner)
                .layout(BASIC, 0)
                .slots(dealloc, sizeof)
                .gc_container(traverse, Some(clear))
                .weakrefs_at(HEADER_SIZE)
                .build()
        } else {
            let mut builder = super::builtin_type(&spec.name, Kind::Instance, inner)
                .layout(basic, 0)
                .slots(super::instance::dealloc, super::instance::sizeof)
                .flags(fl)
                .traverse_slots(
                    dyn_traverse!(super::instance::traverse_with),
                    Some(super::instance::clear),
                );
            if weak {
                builder = builder.weakrefs_at(HEADER_SIZE);
            }
            let mut ty = builder.build();
            ty.finalize = Some(Rc::new(instance_finalizer));
            ty.legacy_del = legacy_del;
            super::dispatch::install_slots(&mut ty);
            ty.slots = (!all_slots.is_empty()).then(|| all_slots.into_boxed_slice());
            ty
        };
        let bases = std::mem::take(&mut std::mem::ManuallyDrop::new(guard).0);
        // The class takes the guard's references to the bases, and new ones to its MRO.
        for &c in &mro {
            // SAFETY: live classes (the bases hold their own MROs).
            unsafe { incref(c) };
        }
        let data = Box::into_raw(Box::new(ClassData {
            ty,
            attrs: UnsafeCell::new(Vec::new()),
            bases: bases.into_boxed_slice(),
            mro: mro.into_boxed_slice(),
            layout: Layout {
                dict,
                slots: slots_off,
                native: native_off,
            },
            own_slots: n_own,
            own_del: spec.del,
            dunders: Cell::new((u64::MAX, 0)),
            cache: super::class_cache::LookupCache::new(),
            native,
            meta: meta.map(Obj::into_raw),
        }));
        // SAFETY: `data` is ours until the class object owns it.
        let own_type: &TypeObject = match unsafe { (*data).meta } {
            // SAFETY: the metaclass (held by the data) is a live class; its `ty` lives as long.
            Some(m) => unsafe { &self::data(m).ty },
            None => &inner.types.class,
        };
        let op = match inner.new_object(own_type, BASIC) {
            Ok(op) => op,
            Err(e) => {
                // SAFETY: not shared yet; its references are released here.
                let d = unsafe { Box::from_raw(data) };
                for &b in d.bases.iter().chain(d.mro.iter()).chain(d.meta.iter()) {
                    // SAFETY: owned by the dropped data.
                    unsafe { decref(b) };
                }
                return Err(e);
            }
        };
        // SAFETY: fresh class object of BASIC bytes; data is ours.
        unsafe {
            payload_ptr(op).cast::<ClassBody>().write(ClassBody {
                weaklist: Cell::new(0),
                data,
            });
            (*data).ty.class_obj.set(Some(op));
            inner.gc.track(gc_head(op));
            Ok(Class(Obj::from_owned(op)))
        }
    }
}

/// Strong references released on drop (the bases while a class is being built).
struct OwnedRefs(Vec<RawObj>);
impl Drop for OwnedRefs {
    fn drop(&mut self) {
        for &o in &self.0 {
            // SAFETY: each entry owns one reference.
            unsafe { decref(o) };
        }
    }
}

/// CPython's `solid_base`: the nearest class along the first-base chain that added slots (None
/// for `object`).
///
/// # Safety
/// `c` is a live class.
unsafe fn solid_base(c: RawObj) -> Option<RawObj> {
    // SAFETY: caller; bases are live.
    unsafe {
        let d = data(c);
        if d.own_slots > 0 {
            return Some(c);
        }
        best_base(&d.bases)
            .ok()
            .flatten()
            .and_then(|b| solid_base(b))
    }
}

/// CPython's `best_base`: the base whose solid base is the most derived, or the lay-out conflict
/// error when two solid bases are not on one line of inheritance.
fn best_base(bases: &[RawObj]) -> Result<Option<RawObj>> {
    // SAFETY: only called with solid bases of live bases: live classes.
    let sub = |a: RawObj, b: RawObj| a == b || unsafe { data(a) }.mro.contains(&b);
    let mut winner: Option<(RawObj, RawObj)> = None; // (solid, base)
    let mut first = None;
    for &b in bases {
        first.get_or_insert(b);
        // SAFETY: live classes (caller holds them).
        let Some(s) = (unsafe { solid_base(b) }) else {
            continue;
        };
        match winner {
            None => winner = Some((s, b)),
            Some((w, _)) if sub(s, w) => winner = Some((s, b)),
            Some((w, _)) if sub(w, s) => {}
            Some(_) => {
                return Err(RuntimeError::TypeError(
                    "multiple bases have instance lay-out conflict".into(),
                ));
            }
        }
    }
    Ok(winner.map(|(_, b)| b).or(first))
}
