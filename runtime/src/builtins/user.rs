//! User types written in Rust: an interpreter's frames, functions, environments on the heap.
//!
//! ```text
//!   [GcHead 16]?[ObjHeader 16][borrow: isize][value: T][weaklist]?[tail len][tail bytes..]?
//!   GcHead unless `T::GC == false`; weaklist unless `T::WEAKREFABLE == false`
//!   borrow: 0 = free, n > 0 = n shared borrows, −1 = mutably borrowed
//!   tail (only when `T::TAIL`): immutable bytes fixed at creation, inline like CPython's
//!   `bytes` (a variable-size type: `item_size` 1, the length word read back by `var_len`)
//! ```
//!
//! A Rust value `T: UserType` keeps its references to other heap objects in [`Member`] fields
//! and reports them in `traverse`; `clear` drops them (breaking cycles). Each `T` gets one type
//! object per heap, registered on first use. The value is dropped exactly once, when the object
//! dies (or never, if the heap leaks).
//!
//! The collector and borrows: an object that is *mutably* borrowed while a collection runs is
//! opaque — its traverse reports nothing (consistently, in every phase, since the borrow cannot end
//! during a collection) and its `clear` is skipped; `clear` is also skipped while shared borrows
//! exist. Conservative: such an object may keep a cycle alive one collection longer; never UB.
//!
//! # Invariants
//! - `borrow` is the `RefCell`-style flag for `value`: every `&T` handed out (to `traverse`,
//!   `repr`, `py_hash`, `py_eq`, `UserRef`) counts one, every `&mut T` (`clear`, `UserRefMut`)
//!   makes it −1; nothing reads `value` while it is −1, nothing writes it while it is non-zero.
//! - `value` is initialised from creation until the dealloc drops it (exactly once, with the
//!   flag free); nobody can reach the object then.
//! - The type object of `T` is registered once per heap and keyed by `TypeId`, so an object of
//!   that type always holds a `T` (the downcasts rely on it).

use crate::Obj;
use crate::error::{Result, RuntimeError};
use crate::heap::{Heap, HeapInner};
use crate::member::Member;
use crate::object::{GC_HEAD_SIZE, HEADER_SIZE, RawObj, gc_head, payload, payload_ptr, type_of};
use crate::types::{Kind, TypeObject, flags};
use std::any::TypeId;
use std::cell::{Cell, UnsafeCell};
use std::marker::PhantomData;

/// How objects of a [`UserType`] hash and compare (`==`), i.e. which hash/eq slots the type gets.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EqHash {
    /// Like `object`: hashed by address, equal only to themselves (the default).
    Identity,
    /// `__hash__` and `__eq__` by value: [`UserType::py_hash`] and [`UserType::py_eq`].
    Value,
    /// `__eq__` by value ([`UserType::py_eq`]) and unhashable, like a Python class that defines
    /// `__eq__` without `__hash__`: `hash()` and use as a dict key fail with `Unhashable`.
    ValueUnhashable,
}

/// A Rust type that can live in the heap.
///
/// # Hash and equality
/// By default objects hash and compare by identity. Set [`EQ_HASH`](Self::EQ_HASH) to
/// [`EqHash::Value`] and implement [`py_hash`](Self::py_hash)/[`py_eq`](Self::py_eq) to use them
/// as dict keys by value. Both are pure: they get `&self` only (no heap access) and run under a
/// shared borrow; while the value is mutably borrowed they do not run and the operation
/// (`hash`, `try_eq`, dict `set`/`get`/`remove`) fails with `RuntimeError::Borrowed`. An object of
/// another type is never equal to one of this type (`py_eq` is only called with two `Self`).
/// As in Python, objects that are equal must have equal hashes, and a key's hash must not change
/// while it is in a dict.
///
/// ```
/// use pyheap_runtime::{EqHash, Heap, UserType, Visitor};
///
/// struct Point {
///     x: i64,
///     y: i64,
/// }
/// impl UserType for Point {
///     const NAME: &'static str = "Point";
///     const EQ_HASH: EqHash = EqHash::Value;
///     fn traverse(&self, _: &mut Visitor<'_>) {}
///     fn clear(&mut self) {}
///     fn py_hash(&self) -> i64 {
///         self.x.wrapping_mul(1_000_003) ^ self.y
///     }
///     fn py_eq(&self, other: &Self) -> bool {
///         (self.x, self.y) == (other.x, other.y)
///     }
/// }
///
/// let heap = Heap::new();
/// let d = heap.dict()?;
/// d.set(&heap.new_user(Point { x: 1, y: 2 })?, &heap.str("a")?)?;
/// let key = heap.new_user(Point { x: 1, y: 2 })?; // another object, equal value
/// assert!(d.contains(&key)?);
/// let guard = key.borrow_mut()?;
/// assert!(d.get(&key).is_err()); // Borrowed: py_hash cannot run now
/// drop(guard);
/// # Ok::<(), pyheap_runtime::RuntimeError>(())
/// ```
pub trait UserType: 'static {
    /// The type's name (`type(o).__name__`).
    const NAME: &'static str;
    /// Which hash and eq slots the type gets (default: identity, like `object`).
    const EQ_HASH: EqHash = EqHash::Identity;
    /// Objects carry a GC head and are tracked (default). `false` for leaf types that hold no
    /// references to GC objects: no 16-byte head, no tracking, like CPython's non-GC types (a
    /// cycle through such an object is invisible to the collector).
    const GC: bool = true;
    /// Whether this value starts out tracked (only asked when [`GC`](Self::GC) is set; default
    /// `true`). A value that holds no references now and never will (CPython's `range_iterator`
    /// is a non-GC type; a generic iterator type here may hold only integers for one kind)
    /// answers `false` and stays untracked for its whole life, so `gc.is_tracked` says `False`
    /// and collections never visit it. A value answering `false` must not come to hold
    /// [`Member`]s that could close a cycle: the collector would not see them.
    fn tracked_at_creation(&self) -> bool {
        true
    }
    /// Objects can be weakly referenced (default). `false` saves the weaklist word.
    const WEAKREFABLE: bool = true;
    /// The type has a PEP 442 finalizer ([`finalize`](Self::finalize)).
    const HAS_FINALIZER: bool = false;
    /// Report every [`Member`] the value holds (`tp_traverse`).
    fn traverse(&self, visit: &mut Visitor<'_>);
    /// Drop the references the value holds (`tp_clear`), to break cycles.
    fn clear(&mut self);
    /// `repr(obj)` (debug output, DOT labels, errors). Default: `<NAME object at 0x...>`.
    fn repr(&self) -> Option<String> {
        None
    }
    /// `hash(obj)` when [`EQ_HASH`](Self::EQ_HASH) is [`EqHash::Value`] (−1 is turned into −2, as
    /// CPython does). The default, 0, is correct with any `py_eq` but makes every key collide.
    fn py_hash(&self) -> i64 {
        0
    }
    /// `self == other` when [`EQ_HASH`](Self::EQ_HASH) is not [`EqHash::Identity`]. Default:
    /// identity.
    fn py_eq(&self, other: &Self) -> bool {
        std::ptr::eq(self, other)
    }
    /// `repr(obj)` with the heap at hand, so it can read the value's [`Member`]s. Default:
    /// [`repr`](Self::repr).
    fn repr_in(&self, heap: &Heap) -> Option<String> {
        let _ = heap;
        self.repr()
    }
    /// `hash(obj)` with the heap at hand. Default: [`py_hash`](Self::py_hash).
    fn py_hash_in(&self, heap: &Heap) -> i64 {
        let _ = heap;
        self.py_hash()
    }
    /// `self == other` with the heap at hand. Default: [`py_eq`](Self::py_eq).
    fn py_eq_in(&self, other: &Self, heap: &Heap) -> bool {
        let _ = heap;
        self.py_eq(other)
    }
    /// Bytes the value owns outside the heap (buffers, boxed tables): counted by
    /// `heap.sizeof` and `heap.deep_sizeof`. Not asked while the value is mutably borrowed.
    /// As the native payload of an instance (`ClassSpec::with_native`), the value is counted by
    /// `deep_sizeof` only (the instance's `sizeof` counts its pointer word): its two boxes
    /// (`RefCell<Box<dyn _>>` and `size_of::<Self>()`) plus this.
    fn extra_size(&self) -> usize {
        0
    }
    /// The object carries a byte string inline after the value, fixed at creation
    /// ([`Heap::new_user_with_tail`], read with [`User::tail`]): a variable-size object, counted
    /// by `sizeof` (CPython's `bytes` layout). Default: no tail.
    const TAIL: bool = false;
    /// `hash(obj)` of a [`TAIL`](Self::TAIL) type, which may read its tail. Default:
    /// [`py_hash_in`](Self::py_hash_in).
    fn py_hash_tail(&self, heap: &Heap, tail: &[u8]) -> i64 {
        let _ = tail;
        self.py_hash_in(heap)
    }
    /// `self == other` of a [`TAIL`](Self::TAIL) type, with both tails. Default:
    /// [`py_eq_in`](Self::py_eq_in).
    fn py_eq_tail(&self, tail: &[u8], other: &Self, other_tail: &[u8], heap: &Heap) -> bool {
        let _ = (tail, other_tail);
        self.py_eq_in(other, heap)
    }
    /// `repr(obj)` of a [`TAIL`](Self::TAIL) type, which may read its tail. Default:
    /// [`repr_in`](Self::repr_in).
    fn repr_tail(&self, heap: &Heap, tail: &[u8]) -> Option<String> {
        let _ = tail;
        self.repr_in(heap)
    }
    /// The PEP 442 finalizer when [`HAS_FINALIZER`](Self::HAS_FINALIZER) is set: runs once per
    /// object (GC types) before it dies, by refcounting or by the collector; may resurrect it.
    /// Panics are reported as unraisable.
    fn finalize<'h>(heap: &'h Heap, this: &User<'h, Self>)
    where
        Self: Sized,
    {
        let _ = (heap, this);
    }
}

/// Receives the references a [`UserType`] holds.
pub struct Visitor<'a> {
    f: &'a mut dyn FnMut(RawObj),
}

impl<'a> Visitor<'a> {
    pub(crate) fn new(f: &'a mut dyn FnMut(RawObj)) -> Visitor<'a> {
        Visitor { f }
    }
    /// Report one reference.
    pub fn visit(&mut self, m: &Member) {
        (self.f)(m.as_raw())
    }
    /// Report an optional reference.
    pub fn visit_opt(&mut self, m: &Option<Member>) {
        if let Some(m) = m {
            self.visit(m)
        }
    }
}

#[repr(C)]
struct UserBody<T> {
    borrow: Cell<isize>,
    value: UnsafeCell<T>,
}

/// Offset of the weaklist word (after the body; 8-aligned since the body starts with a word).
const fn weaklist_offset<T>() -> usize {
    HEADER_SIZE + std::mem::size_of::<UserBody<T>>()
}

/// Offset of the tail length word of [`UserType::TAIL`] types (after the weaklist, if any).
const fn tail_len_offset<T: UserType>() -> usize {
    weaklist_offset::<T>() + if T::WEAKREFABLE { 8 } else { 0 }
}

const fn basic<T: UserType>() -> usize {
    tail_len_offset::<T>() + if T::TAIL { 8 } else { 0 }
}

/// The tail length of an object of a [`UserType::TAIL`] type: the word that ends its basic
/// size (the `var_len` of such types, whose `item_size` is 1).
///
/// # Safety
/// `op` is an intact object of a user type with a tail (live or being deallocated).
pub(crate) unsafe fn tail_len(op: RawObj) -> usize {
    // SAFETY: a tail type's basic size ends with the length word, written at creation.
    unsafe {
        let basic = type_of(op).basic_size;
        op.cast::<u8>().add(basic - 8).cast::<usize>().read()
    }
}

/// The tail bytes of an object of `T`'s type (empty unless `T::TAIL`).
///
/// # Safety
/// `op` is an intact object of `T`'s type; the slice must not outlive it.
unsafe fn tail<'a, T: UserType>(op: RawObj) -> &'a [u8] {
    if !T::TAIL {
        return &[];
    }
    // SAFETY: a tail object holds `tail_len` initialised bytes after its basic size, never
    // written after creation.
    unsafe {
        let n = tail_len(op);
        std::slice::from_raw_parts(op.cast::<u8>().add(basic::<T>()).as_ptr(), n)
    }
}

/// The payload of a user object (borrow flag and value).
///
/// # Safety
/// `op` is an object of `T`'s user type, live or being deallocated; the reference must not
/// outlive it.
unsafe fn body<'a, T>(op: RawObj) -> &'a UserBody<T> {
    // SAFETY: caller passes an object of T's user type.
    unsafe { payload::<UserBody<T>>(op) }
}

/// The `sizeof` slot of user types: the layout plus the value's `extra_size`.
///
/// # Safety
/// The `SizeofFn` contract (types.rs): `op` is a live object of `T`'s type.
unsafe fn sizeof<T: UserType>(op: RawObj) -> usize {
    // SAFETY: live object of T's type.
    let extra = unsafe { slot_borrow::<T>(op) }.map_or(0, |v| v.extra_size());
    // SAFETY: a live object of T's type (contract); only the tail's length is read.
    let tail = unsafe { tail::<T>(op) }.len();
    (if T::GC { GC_HEAD_SIZE } else { 0 }) + basic::<T>() + tail + extra
}

/// The `traverse` slot of user types: the value's `traverse`, panics reported, borrowed values skipped.
///
/// # Safety
/// The `TraverseFn` contract (types.rs): `op` is a live object of `T`'s type. The user's traverse
/// may run arbitrary code; the callers keep a deferral scope open while it runs.
unsafe fn traverse<T: UserType>(op: RawObj, visit: &mut dyn FnMut(RawObj)) {
    // SAFETY: live object of T's type.
    let b = unsafe { body::<T>(op) };
    if b.borrow.get() < 0 {
        return; // mutably borrowed: opaque
    }
    // SAFETY: no &mut exists (flag); traverse only reads.
    let v = unsafe { &*b.value.get() };
    // User code may drop references (and allocate, collect, ... through a heap it holds):
    // whoever called this traverse keeps raw pointers, so what dies waits on the pending queue,
    // until the collection ends when one runs (trashcan.rs).
    // SAFETY: the type's heap outlives its objects.
    let _defer = crate::trashcan::Defer::new(unsafe { &*type_of(op).heap });
    let mut visitor = Visitor { f: visit };
    if let Err(p) =
        std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| v.traverse(&mut visitor)))
    {
        // SAFETY: op is live.
        unsafe { (*type_of(op).heap).report_panic_in_phase(&format!("<{} traverse>", T::NAME), p) };
    }
}

/// The `repr` slot of user types (the generic form when the value has none or is borrowed).
///
/// # Safety
/// The `ReprFn` contract (types.rs): `op` is a live object of `T`'s type, held by the caller.
unsafe fn repr<T: UserType>(op: RawObj) -> String {
    // SAFETY: live object of T's type. The shared borrow keeps a finalizer run by the user's
    // repr (dropping a member) from borrowing the value mutably under it.
    let own = match unsafe { slot_borrow::<T>(op) } {
        Err(_) => None, // mutably borrowed: fall back to the generic form
        Ok(v) => std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            // SAFETY: the type's heap outlives its objects.
            let heap = unsafe { (*type_of(op).heap).heap() };
            // SAFETY: live object of T's type, held for the call.
            v.repr_tail(heap, unsafe { tail::<T>(op) })
        }))
        .ok()
        .flatten(),
    };
    own.unwrap_or_else(|| format!("<{} object at {:p}>", T::NAME, op.as_ptr()))
}

/// Take a shared borrow of the value for a hash/eq slot (`Borrowed` when mutably borrowed).
///
/// # Safety
/// `op` is a live object of T's type.
unsafe fn slot_borrow<'a, T: UserType>(op: RawObj) -> Result<UserRef<'a, T>> {
    // SAFETY: `op` is a live object of T's type (contract), so its payload is a UserBody<T>.
    let b = unsafe { body::<T>(op) };
    if b.borrow.get() < 0 {
        return Err(RuntimeError::Borrowed { type_name: T::NAME });
    }
    b.borrow.set(b.borrow.get() + 1);
    Ok(UserRef { b })
}

/// The hash slot of [`EqHash::Value`] types. A panic in `py_hash` propagates (the flag is
/// restored by the guard; the callers change nothing before hashing).
///
/// # Safety
/// The `HashFn` contract (types.rs): `op` is a live object of `T`'s type, held by the caller.
unsafe fn hash<T: UserType>(op: RawObj) -> Result<i64> {
    // SAFETY: slot contract: live object of T's type.
    let v = unsafe { slot_borrow::<T>(op)? };
    // SAFETY: the type's heap outlives its objects.
    let h = v.py_hash_tail(unsafe { (*type_of(op).heap).heap() }, unsafe {
        tail::<T>(op)
    });
    Ok(if h == -1 { -2 } else { h })
}

/// The eq slot of [`EqHash::Value`]/[`EqHash::ValueUnhashable`] types: `false` for objects of
/// other types (one type object per `T` per heap, and both objects belong to the same heap).
///
/// # Safety
/// The `EqFn` contract (types.rs): `a` (of `T`'s type) and `b` are distinct live objects of one
/// heap, held by the caller.
unsafe fn eq<T: UserType>(a: RawObj, b: RawObj) -> Result<bool> {
    // SAFETY: slot contract: both live, `a` of T's type; `b` is borrowed as a T only when its
    // type is T's.
    unsafe {
        if !std::ptr::eq(type_of(a), type_of(b)) {
            return Ok(false);
        }
        let (x, y) = (slot_borrow::<T>(a)?, slot_borrow::<T>(b)?);
        let heap = (*type_of(a).heap).heap();
        Ok(x.py_eq_tail(tail::<T>(a), &y, tail::<T>(b), heap))
    }
}

/// The `clear` slot of user types: the value's `clear`, unless it is borrowed.
///
/// # Safety
/// The `ClearFn` contract (types.rs): `op` is a live object of `T`'s type, held by the caller.
unsafe fn clear<T: UserType>(op: RawObj) {
    // SAFETY: live object of T's type.
    let b = unsafe { body::<T>(op) };
    if b.borrow.get() != 0 {
        return; // borrowed: skip (conservative)
    }
    b.borrow.set(-1);
    // SAFETY: exclusive access guaranteed by the flag.
    let v = unsafe { &mut *b.value.get() };
    // SAFETY: op is live (the caller holds a reference).
    let heap = unsafe { &*type_of(op).heap };
    crate::refcount::call_user(heap, op, || v.clear());
    b.borrow.set(0);
}

/// The `dealloc` slot of user types: drop the value (user code), then free the block.
///
/// # Safety
/// The `DeallocFn` contract (types.rs): `op` is a dead object of `T`'s type of this heap.
unsafe fn dealloc<T: UserType>(op: RawObj) {
    // SAFETY: dead object of T's type: nobody can reach the value any more.
    unsafe {
        let heap = &*type_of(op).heap;
        let v = body::<T>(op).value.get();
        crate::refcount::call_user(heap, op, || std::ptr::drop_in_place(v));
        if T::GC {
            heap.gc.note_deallocation();
        }
        heap.free_object(op);
    }
}

#[inline]
fn user_type<T: UserType>(heap: &HeapInner) -> *const TypeObject {
    const {
        assert!(
            std::mem::align_of::<T>() <= 16,
            "user types must have alignment <= 16"
        )
    };
    if let Some((last, t)) = heap.last_user_type.get()
        && last == TypeId::of::<T>()
    {
        return t;
    }
    user_type_slow::<T>(heap)
}

/// [`user_type`] past the one-entry cache: the map lookup, registering `T` on first use.
#[cold]
#[inline(never)]
fn user_type_slow<T: UserType>(heap: &HeapInner) -> *const TypeObject {
    let id = TypeId::of::<T>();
    let mut types = heap.user_types.borrow_mut();
    // Its objects' deaths run user code (`Drop`, finalizers), tracked or not (model.rs, sweep).
    heap.untracked_user_code.set(true);
    let t = types.entry(id).or_insert_with(|| {
        let mut builder = super::builtin_type(T::NAME, Kind::User, heap)
            .layout(basic::<T>(), if T::TAIL { 1 } else { 0 })
            .slots(dealloc::<T>, sizeof::<T>)
            .flags(flags::CONTAINER)
            .traverse_slots(traverse::<T>, Some(clear::<T>));
        if T::GC {
            builder = builder.flags(flags::GC);
        }
        if T::WEAKREFABLE {
            builder = builder.weakrefs_at(weaklist_offset::<T>());
        }
        if T::HAS_FINALIZER {
            builder = builder.flags(flags::HAS_FINALIZER);
        }
        let mut t = builder.build();
        if T::HAS_FINALIZER {
            t.finalize = Some(std::rc::Rc::new(|heap: &Heap, obj: Obj<'_>| {
                if let Some(u) = obj.downcast_user::<T>() {
                    T::finalize(heap, u);
                }
            }));
        }
        t.repr = Some(repr::<T>);
        match T::EQ_HASH {
            EqHash::Identity => {} // the builder's Kind::User slots: object.__hash__, identity
            EqHash::Value => {
                t.hash = Some(hash::<T>);
                t.eq = Some(eq::<T>);
            }
            EqHash::ValueUnhashable => {
                t.hash = None;
                t.eq = Some(eq::<T>);
            }
        }
        t.user_type_id = Some(TypeId::of::<T>());
        Box::new(t)
    });
    let t: *const TypeObject = &**t;
    heap.last_user_type.set(Some((id, t)));
    t
}

/// A handle to a heap object holding a `T`.
#[repr(transparent)]
pub struct User<'h, T: UserType> {
    obj: Obj<'h>,
    _t: PhantomData<T>,
}

impl<'h, T: UserType> Clone for User<'h, T> {
    fn clone(&self) -> Self {
        User {
            obj: self.obj.clone(),
            _t: PhantomData,
        }
    }
}

impl<'h, T: UserType> crate::handle::AsObj<'h> for User<'h, T> {
    fn as_obj(&self) -> &Obj<'h> {
        &self.obj
    }
}

impl<'h, T: UserType> std::ops::Deref for User<'h, T> {
    type Target = Obj<'h>;
    fn deref(&self) -> &Obj<'h> {
        &self.obj
    }
}

/// A shared borrow of a user value.
pub struct UserRef<'b, T> {
    b: &'b UserBody<T>,
}
impl<T> std::ops::Deref for UserRef<'_, T> {
    type Target = T;
    fn deref(&self) -> &T {
        // SAFETY: the flag counts this shared borrow; no &mut exists.
        unsafe { &*self.b.value.get() }
    }
}
impl<T> Drop for UserRef<'_, T> {
    fn drop(&mut self) {
        self.b.borrow.set(self.b.borrow.get() - 1);
    }
}

/// A mutable borrow of a user value.
pub struct UserRefMut<'b, T> {
    b: &'b UserBody<T>,
}
impl<T> std::ops::Deref for UserRefMut<'_, T> {
    type Target = T;
    fn deref(&self) -> &T {
        // SAFETY: exclusive borrow (flag −1).
        unsafe { &*self.b.value.get() }
    }
}
impl<T> std::ops::DerefMut for UserRefMut<'_, T> {
    fn deref_mut(&mut self) -> &mut T {
        // SAFETY: exclusive borrow (flag −1).
        unsafe { &mut *self.b.value.get() }
    }
}
impl<T> Drop for UserRefMut<'_, T> {
    fn drop(&mut self) {
        self.b.borrow.set(0);
    }
}

impl<'h, T: UserType> User<'h, T> {
    fn b(&self) -> &UserBody<T> {
        // SAFETY: the handle's object is a live T object.
        unsafe { body::<T>(self.obj.as_raw()) }
    }
    /// Borrow the value (error when mutably borrowed).
    pub fn borrow(&self) -> Result<UserRef<'_, T>> {
        let b = self.b();
        if b.borrow.get() < 0 {
            return Err(RuntimeError::Borrowed { type_name: T::NAME });
        }
        b.borrow.set(b.borrow.get() + 1);
        Ok(UserRef { b })
    }
    /// Borrow the value mutably (error when borrowed).
    pub fn borrow_mut(&self) -> Result<UserRefMut<'_, T>> {
        let b = self.b();
        if b.borrow.get() != 0 {
            return Err(RuntimeError::Borrowed { type_name: T::NAME });
        }
        b.borrow.set(-1);
        Ok(UserRefMut { b })
    }
    /// The bytes a [`UserType::TAIL`] object was created with (empty for other types).
    pub fn tail(&self) -> &[u8] {
        // SAFETY: the handle keeps its T object alive for the slice's lifetime.
        unsafe { tail::<T>(self.obj.as_raw()) }
    }
    /// The untyped handle.
    pub fn into_obj(self) -> Obj<'h> {
        self.obj
    }
    /// Another untyped handle.
    pub fn obj(&self) -> Obj<'h> {
        self.obj.clone()
    }
}

impl<'h> Obj<'h> {
    /// View as a `User<T>` (error unless the object holds a `T`).
    pub fn as_user<T: UserType>(&self) -> Result<&User<'h, T>> {
        match self.downcast_user::<T>() {
            Some(u) => Ok(u),
            None => self.wrong_type(T::NAME),
        }
    }
    /// Does the object hold a `T`? (No allocation either way.)
    pub fn is_user<T: UserType>(&self) -> bool {
        self.type_object().user_type_id == Some(TypeId::of::<T>())
    }
    /// View as a `User<T>`, or `None` (the allocation-free form of [`as_user`](Self::as_user)).
    pub fn downcast_user<T: UserType>(&self) -> Option<&User<'h, T>> {
        if self.is_user::<T>() {
            // SAFETY: User<T> is repr(transparent) over Obj and the type holds a T.
            Some(unsafe { &*(self as *const Obj<'h>).cast::<User<'h, T>>() })
        } else {
            None
        }
    }
}

impl Heap {
    /// Register `T` as a type of this heap (done automatically by the first `new_user::<T>`).
    pub fn register_type<T: UserType>(&self) -> &TypeObject {
        // SAFETY: registered types live as long as the heap.
        unsafe { &*user_type::<T>(self.inner()) }
    }

    /// Put a Rust value on the heap (tracked by the collector).
    #[inline] // lets the caller build `value` in place rather than pass it through the stack
    pub fn new_user<T: UserType>(&self, value: T) -> Result<User<'_, T>> {
        self.new_user_with_tail(value, &[])
    }

    /// A new object holding `value` and, inline after it, a copy of `tail`
    /// ([`UserType::TAIL`]; read back with [`User::tail`]).
    ///
    /// # Panics
    /// When `tail` is not empty and `T` has no tail.
    pub fn new_user_with_tail<T: UserType>(&self, value: T, tail: &[u8]) -> Result<User<'_, T>> {
        assert!(
            T::TAIL || tail.is_empty(),
            "{} has no tail (UserType::TAIL)",
            T::NAME
        );
        let inner = self.inner();
        let ty = user_type::<T>(inner);
        let track = T::GC && value.tracked_at_creation();
        // SAFETY: types in user_types live as long as the heap.
        let op = inner.new_object(unsafe { &*ty }, basic::<T>() + tail.len())?;
        // SAFETY: fresh object of basic::<T>() + tail.len() bytes, 16-aligned payload; the
        // tail goes after the basic size, its length word just before it.
        unsafe {
            // Field by field: a whole `UserBody` would be assembled on the stack first and
            // copied with wider moves than the ones that stored `value` (a store-forwarding
            // stall on every creation, seen in perf).
            let b = payload_ptr(op).cast::<UserBody<T>>();
            std::ptr::addr_of_mut!((*b).borrow).write(Cell::new(0));
            std::ptr::addr_of_mut!((*b).value).write(UnsafeCell::new(value));
            if T::WEAKREFABLE {
                op.cast::<u8>()
                    .add(weaklist_offset::<T>())
                    .cast::<usize>()
                    .write(0);
            }
            if T::TAIL {
                let base = op.cast::<u8>();
                base.add(tail_len_offset::<T>())
                    .cast::<usize>()
                    .write(tail.len());
                std::ptr::copy_nonoverlapping(
                    tail.as_ptr(),
                    base.add(basic::<T>()).as_ptr(),
                    tail.len(),
                );
            }
            if track {
                inner.gc.track(gc_head(op));
            }
            Ok(User {
                obj: Obj::from_owned(op),
                _t: PhantomData,
            })
        }
    }
}
