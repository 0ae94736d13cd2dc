//! The heap: allocator + collector + built-in types + immortal objects + free lists.
//!
//! ```text
//!   Heap (one word) ──▶ HeapInner (boxed, never moves)
//!                        ├─ alloc: Pymalloc            every object's memory (modern or classic layout)
//!                        ├─ gc: Collector              generations of tracked GC heads
//!                        ├─ types: int, str, list ..   boxed TypeObjects, each ──heap──▶ HeapInner
//!                        ├─ None/True/False, small ints −5..=256, ()   immortal, preallocated
//!                        ├─ interned strings           immortal
//!                        ├─ free lists                 float 100, tuple 20×2000, list 80, dict 80
//!                        └─ trashcan                   depth counter + deferred chain
//! ```
//!
//! # Invariants
//! - `live` = number of mortal objects allocated and not yet freed (free-listed memory is not live).
//! - Every immortal object has refcount `IMMORTAL_REFCNT + (references to it held elsewhere)`.
//!   At teardown, after all mortal objects are gone, each must be back to exactly `IMMORTAL_REFCNT`.
//! - No `&mut` into `alloc` is held across any call that may run user code.
//!
//! # Layout
//! This file builds the heap and hands out object memory (`new_object`, `free_object`); the
//! free lists are in `heap/freelist.rs`, the reports of errors nobody can receive in
//! `heap/unraisable.rs`, and the end of a heap (final collections, leak check) in
//! `heap/teardown.rs`.

use crate::builtins;
use crate::error::RuntimeError;
use crate::object::{GC_HEAD_SIZE, HEADER_SIZE, IMMORTAL_REFCNT, ObjHeader, RawObj, gc_head};
use crate::profile::AllocatorLayout;
use crate::types::TypeObject;
use pyheap_gc::{Collector, GcConfig, GcHead};
use std::any::TypeId;
use std::cell::{Cell, RefCell, UnsafeCell};
use std::collections::HashMap;
use std::marker::PhantomData;
use std::mem::ManuallyDrop;
use std::ptr::NonNull;

use crate::tunables::{
    DICT_FREELIST_MAX, FLOAT_FREELIST_MAX, LIST_FREELIST_MAX, SMALL_INT_MAX, SMALL_INT_MIN,
    TUPLE_FREELIST_LENGTHS, TUPLE_FREELIST_MAX,
};

mod allocator;
mod freelist;
mod teardown;
mod unraisable;

pub use allocator::ArenaCounts;
use allocator::HeapAllocator;
pub(crate) use freelist::FreeList;
pub use freelist::FreeListSizes;
pub use unraisable::UnraisableHook;
pub(crate) use unraisable::panic_text;

const N_SMALL: usize = (SMALL_INT_MAX - SMALL_INT_MIN + 1) as usize;

/// The built-in type objects of one heap.
pub(crate) struct BuiltinTypes {
    pub none: Box<TypeObject>,
    pub bool: Box<TypeObject>,
    pub int: Box<TypeObject>,
    pub float: Box<TypeObject>,
    pub str: Box<TypeObject>,
    pub tuple: Box<TypeObject>,
    pub list: Box<TypeObject>,
    pub dict: Box<TypeObject>,
    pub class: Box<TypeObject>,
    pub weakref: Box<TypeObject>,
    pub cell: Box<TypeObject>,
    pub set: Box<TypeObject>,
    pub frozenset: Box<TypeObject>,
}

/// Hashes a `TypeId` by taking the word it writes (it is a hash already; SipHash on it was half
/// the cost of `new_user`).
#[derive(Default, Clone, Copy)]
pub(crate) struct TypeIdHasher;
impl std::hash::BuildHasher for TypeIdHasher {
    type Hasher = TypeIdHash;
    fn build_hasher(&self) -> TypeIdHash {
        TypeIdHash(0)
    }
}
pub(crate) struct TypeIdHash(u64);
impl std::hash::Hasher for TypeIdHash {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.0 = (self.0 ^ u64::from(b)).wrapping_mul(0x100_0000_01b3);
        }
    }
    fn write_u64(&mut self, v: u64) {
        self.0 ^= v;
    }
}

/// Everything a heap owns; boxed so that types and objects can point back to it.
pub(crate) struct HeapInner {
    /// A `Heap` value pointing at this very box (handed to finalizers as `&Heap`).
    pub(crate) me: ManuallyDrop<Heap>,
    pub(crate) gc: Collector<HeapInner>,
    pub(crate) types: BuiltinTypes,
    pub(crate) none: RawObj,
    pub(crate) true_: RawObj,
    pub(crate) false_: RawObj,
    pub(crate) empty_tuple: RawObj,
    pub(crate) small_ints: Box<[RawObj]>,
    pub(crate) interned: RefCell<HashMap<Box<str>, RawObj>>,
    pub(crate) float_free: FreeList,
    pub(crate) tuple_free: [FreeList; TUPLE_FREELIST_LENGTHS],
    pub(crate) list_free: FreeList,
    pub(crate) dict_free: FreeList,
    /// Trashcan: the chain of deferred container bodies and the pending (deferred) queue.
    pub(crate) trash: crate::trashcan::Trashcan,
    pub(crate) live: Cell<usize>,
    pub(crate) user_types: RefCell<HashMap<TypeId, Box<TypeObject>, TypeIdHasher>>,
    /// The last user type looked up (`new_user` in a loop allocates one type: no hashing).
    pub(crate) last_user_type: Cell<Option<(TypeId, *const TypeObject)>>,
    /// May the death of an object the collector does not track run user code? False until the
    /// heap makes a user type (`UserType`: Rust payloads with their own `Drop`, finalizers) or
    /// a non-GC class (untracked instances with `__del__` or weak references); only the built-in
    /// atoms and untracked tuples and dicts of them exist before. The collector's sweep
    /// (`model.rs`) needs it false: it runs such deaths after the garbage is freed.
    pub(crate) untracked_user_code: Cell<bool>,
    pub(crate) unraisable: RefCell<Option<UnraisableHook>>,
    /// How heap objects are called (`call.rs`).
    pub(crate) call_hook: RefCell<Option<crate::call::CallHook>>,
    /// `gc.callbacks` and the unraisable object (`call.rs`): heap objects the heap owns.
    pub(crate) callables: crate::call::HeapCallables,
    /// The interpreter's root object (`root.rs`): one strong reference, released by teardown.
    pub(crate) context: Cell<Option<RawObj>>,
    /// Bumped by every class attribute change: invalidates the classes' dunder caches.
    pub(crate) class_version: Cell<u64>,
    /// The last dict version handed out (`builtins/dict.rs`, "Versions").
    pub(crate) dict_version: Cell<u64>,
    /// The recursion counter and limit (`recursion.rs`).
    pub(crate) recursion: crate::recursion::RecursionState,
    /// The containers whose repr is being built (`Py_ReprEnter`, `builtins/repr.rs`).
    pub(crate) repr_active: RefCell<Vec<RawObj>>,
    /// Declared last so that it is dropped last (fields drop in declaration order): nothing
    /// above may touch object memory after the allocator released its arenas.
    pub(crate) alloc: UnsafeCell<HeapAllocator>,
}

/// A Python-style object heap. Single-threaded: `!Send` and `!Sync`.
///
/// ```compile_fail
/// fn assert_send<T: Send>() {}
/// assert_send::<pyheap_runtime::Heap>();
/// ```
/// ```compile_fail
/// fn assert_sync<T: Sync>() {}
/// assert_sync::<pyheap_runtime::Heap>();
/// ```
/// Handles cannot cross threads either:
/// ```compile_fail
/// fn assert_send<T: Send>() {}
/// assert_send::<pyheap_runtime::Obj<'static>>();
/// ```
/// ```compile_fail
/// fn assert_sync<T: Sync>() {}
/// assert_sync::<pyheap_runtime::Obj<'static>>();
/// ```
/// ```compile_fail
/// fn assert_send<T: Send>() {}
/// assert_send::<pyheap_runtime::Member>();
/// ```
/// And a handle cannot outlive its heap:
/// ```compile_fail
/// let obj = {
///     let heap = pyheap_runtime::Heap::new();
///     heap.int(1000).unwrap()
/// };
/// drop(obj);
/// ```
pub struct Heap {
    inner: NonNull<HeapInner>,
    _not_send_sync: PhantomData<*mut HeapInner>,
}

impl Default for Heap {
    fn default() -> Self {
        Heap::new()
    }
}

impl Heap {
    /// A heap with CPython 3.13's collector configuration.
    pub fn new() -> Heap {
        Heap::with_config(GcConfig::default())
    }

    /// A heap with the given collector configuration (and the modern allocator layout).
    pub fn with_config(config: GcConfig) -> Heap {
        Heap::with_layout(config, AllocatorLayout::Modern)
    }

    /// A heap with the given collector configuration and allocator layout
    /// ([`AllocatorLayout::Classic`]: CPython ≤ 3.9's 8-byte size classes, 4 KiB pools and
    /// 256 KiB arenas, what `sys._debugmallocstats()` and the arena map then show).
    ///
    /// ```
    /// use pyheap_runtime::{AllocatorLayout, Heap};
    /// let heap = Heap::with_layout(Default::default(), AllocatorLayout::Classic);
    /// let l = heap.list(&[])?;
    /// assert_eq!(heap.layout(), AllocatorLayout::Classic);
    /// let stats = heap.allocator_stats();
    /// assert_eq!((stats.size_classes, stats.pool_size, stats.arena_size), (64, 4096, 256 << 10));
    /// // A 56-byte list lives in class 6 (56 / 8 − 1) here, class 3 in the modern layout.
    /// assert!(stats.classes.iter().any(|c| c.class == 6 && c.size == 56 && c.blocks_in_use >= 1));
    /// # drop(l);
    /// # Ok::<(), pyheap_runtime::RuntimeError>(())
    /// ```
    pub fn with_layout(config: GcConfig, layout: AllocatorLayout) -> Heap {
        let null: *const HeapInner = std::ptr::null();
        let types = BuiltinTypes {
            none: Box::new(builtins::none::none_type(null)),
            bool: Box::new(builtins::int::bool_type(null)),
            int: Box::new(builtins::int::int_type(null)),
            float: Box::new(builtins::float::float_type(null)),
            str: Box::new(builtins::str::str_type(null)),
            tuple: Box::new(builtins::tuple::tuple_type(null)),
            list: Box::new(builtins::list::list_type(null)),
            dict: Box::new(builtins::dict::dict_type(null)),
            class: Box::new(builtins::class::class_type(null)),
            weakref: Box::new(builtins::weakref::weakref_type(null)),
            cell: Box::new(builtins::cell::cell_type(null)),
            set: Box::new(builtins::set::set_type(null)),
            frozenset: Box::new(builtins::set::frozenset_type(null)),
        };
        let dangling = NonNull::dangling();
        let inner = Box::new(HeapInner {
            me: ManuallyDrop::new(Heap {
                inner: NonNull::dangling(),
                _not_send_sync: PhantomData,
            }),
            gc: Collector::new(config),
            types,
            none: dangling,
            true_: dangling,
            false_: dangling,
            empty_tuple: dangling,
            small_ints: Box::new([]),
            interned: RefCell::new(HashMap::new()),
            float_free: FreeList::new(FLOAT_FREELIST_MAX),
            tuple_free: std::array::from_fn(|_| FreeList::new(TUPLE_FREELIST_MAX)),
            list_free: FreeList::new(LIST_FREELIST_MAX),
            dict_free: FreeList::new(DICT_FREELIST_MAX),
            trash: crate::trashcan::Trashcan::new(),
            live: Cell::new(0),
            user_types: RefCell::new(HashMap::default()),
            last_user_type: Cell::new(None),
            untracked_user_code: Cell::new(false),
            unraisable: RefCell::new(None),
            call_hook: RefCell::new(None),
            callables: crate::call::HeapCallables::new(),
            context: Cell::new(None),
            class_version: Cell::new(0),
            dict_version: Cell::new(0),
            recursion: crate::recursion::RecursionState::new(),
            repr_active: RefCell::new(Vec::new()),
            alloc: UnsafeCell::new(HeapAllocator::new(layout)),
        });
        // Leak the box *before* taking pointers into it. The types' `heap`, `me` and the gc
        // callback all point at this HeapInner; any later use of the Box itself (a write through
        // it, or moving it into `Box::leak`) asserts unique access and invalidates pointers taken
        // earlier (Miri, Stacked Borrows). So every step below goes through `p`, and each `&*p`
        // is a temporary that ends with its statement.
        let ptr = NonNull::from(Box::leak(inner));
        let p: *mut HeapInner = ptr.as_ptr();
        // SAFETY: `p` points to the live, leaked HeapInner and nothing else refers to it yet; no
        // reference into it is held across a write through `p`.
        unsafe {
            let me = &mut (*p).me;
            me.inner = ptr;
            let types = &mut (*p).types;
            for t in [
                &mut types.none,
                &mut types.bool,
                &mut types.int,
                &mut types.float,
                &mut types.str,
                &mut types.tuple,
                &mut types.list,
                &mut types.dict,
                &mut types.class,
                &mut types.weakref,
                &mut types.cell,
                &mut types.set,
                &mut types.frozenset,
            ] {
                t.heap = p.cast_const();
            }
            // Immortals: allocated like any object, then given the immortal count.
            let none = (*p).immortal(&(*p).types.none, HEADER_SIZE);
            (*p).none = none;
            let true_ = builtins::int::new_immortal(&*p, &(*p).types.bool, 1);
            (*p).true_ = true_;
            let false_ = builtins::int::new_immortal(&*p, &(*p).types.bool, 0);
            (*p).false_ = false_;
            let small_ints: Box<[RawObj]> = (SMALL_INT_MIN..=SMALL_INT_MAX)
                .map(|v| builtins::int::new_immortal(&*p, &(*p).types.int, v))
                .collect();
            debug_assert_eq!(small_ints.len(), N_SMALL);
            (*p).small_ints = small_ints;
            let empty_tuple = builtins::tuple::new_empty_immortal(&*p);
            (*p).empty_tuple = empty_tuple;
        }
        // CPython empties its free lists at the end of every generation-2 collection, automatic
        // ones included: an internal gc callback does it here.
        let inner_ptr: *const HeapInner = p;
        // SAFETY: as above; a temporary shared borrow of the collector.
        let gc = unsafe { &(*p).gc };
        // SAFETY: the collector is a field of the HeapInner `ptr` points to, leaked above and
        // freed only by Heap's Drop (which drops the collector with it); nothing takes a `&mut`
        // to it after this point.
        unsafe { gc.bind(ptr) };
        // The same callback then calls the heap's `gc.callbacks` list (`call.rs`).
        gc.add_callback(move |phase, info| {
            // SAFETY: the collector (and so this callback) lives inside the HeapInner it points
            // to, and callbacks only run while the heap is alive.
            let inner = unsafe { &*inner_ptr };
            if phase == pyheap_gc::Phase::Stop {
                // The phases are over: objects that died in a traverse may go now.
                crate::trashcan::drain_pending(inner);
                if info.generation == 2 {
                    inner.clear_freelists()
                }
            }
            crate::call::invoke_gc_callbacks(inner, phase, info);
        });
        Heap {
            inner: ptr,
            _not_send_sync: PhantomData,
        }
    }

    #[inline(always)]
    pub(crate) fn inner(&self) -> &HeapInner {
        // SAFETY: the box lives until the owning Heap is dropped (or forever when leaked); `me`
        // copies never outlive it.
        unsafe { self.inner.as_ref() }
    }

    /// The allocator layout this heap was made with ([`Heap::with_layout`]).
    pub fn layout(&self) -> AllocatorLayout {
        // SAFETY: short shared read; no &mut to the allocator exists outside alloc/free calls.
        unsafe { (*self.inner().alloc.get()).layout() }
    }

    /// Small blocks in use in this heap's allocator.
    pub fn blocks_in_use(&self) -> usize {
        // SAFETY: short shared read; no &mut to the allocator exists outside alloc/free calls.
        unsafe { (*self.inner().alloc.get()).blocks_in_use() }
    }
    /// Large (system-allocator) requests in use in this heap's allocator.
    pub fn large_in_use(&self) -> usize {
        // SAFETY: short shared read; no &mut to the allocator exists outside alloc/free calls.
        unsafe { (*self.inner().alloc.get()).large_in_use() }
    }
    /// Arenas mapped now and arenas mapped since the start (the difference was returned to
    /// the OS): two counters, no walk.
    pub fn arena_counts(&self) -> ArenaCounts {
        // SAFETY: short shared read; no &mut to the allocator exists outside alloc/free calls.
        unsafe { (*self.inner().alloc.get()).arena_counts() }
    }
    /// Number of mortal objects currently alive (free-listed memory not counted).
    pub fn live_objects(&self) -> usize {
        self.inner().live.get()
    }
    /// The class version: a number that changes whenever an attribute of any class of this heap
    /// is set or deleted (or a class is cleared by the collector). Bases and MROs are fixed at
    /// creation, so while it is unchanged every [`Class::lookup`](crate::Class::lookup) answer
    /// stays the same: the runtime's own look-up cache is keyed on it, and an embedder can key
    /// its caches (an interpreter's inline caches per instruction) on it the same way.
    pub fn class_version(&self) -> u64 {
        self.inner().class_version.get()
    }
}

impl HeapInner {
    /// A dict version no dict of this heap has had (`builtins/dict.rs`, "Versions").
    #[inline]
    pub(crate) fn next_dict_version(&self) -> u64 {
        let v = self.dict_version.get() + 1;
        self.dict_version.set(v);
        v
    }
    /// Allocate `size` bytes from the allocator.
    #[inline]
    pub(crate) fn alloc_bytes(&self, size: usize) -> Result<NonNull<u8>, RuntimeError> {
        // SAFETY: the &mut lives for this call only; Pymalloc runs no user code.
        unsafe { (*self.alloc.get()).try_alloc(size) }
            .map_err(|_| RuntimeError::OutOfMemory { requested: size })
    }

    /// Return memory to the allocator.
    ///
    /// # Safety
    /// `p` came from `alloc_bytes(size)` (or `realloc_bytes(.., size)`) of this heap and is not
    /// freed yet.
    #[inline]
    pub(crate) unsafe fn free_bytes(&self, p: NonNull<u8>, size: usize) {
        // SAFETY: caller's obligations; knowing the size skips the arena-map lookup; the &mut
        // lives for this call only.
        unsafe { (*self.alloc.get()).free_sized(p, size) }
    }

    /// Resize memory from `alloc_bytes` (contents kept up to the smaller size).
    ///
    /// # Safety
    /// As `free_bytes` for `p`; on success `p` must not be used again.
    #[inline]
    pub(crate) unsafe fn realloc_bytes(
        &self,
        p: NonNull<u8>,
        new_size: usize,
    ) -> Result<NonNull<u8>, RuntimeError> {
        // SAFETY: caller's obligations; the &mut lives for this call only.
        unsafe { (*self.alloc.get()).realloc(p, new_size) }.map_err(|_| RuntimeError::OutOfMemory {
            requested: new_size,
        })
    }

    /// Allocate an object of `ty` with `size` bytes of header + payload: refcount 1, untracked.
    /// GC types are counted with `note_allocation` *first* (which may run a collection).
    #[inline]
    pub(crate) fn new_object(&self, ty: &TypeObject, size: usize) -> Result<RawObj, RuntimeError> {
        let gc = ty.is_gc();
        if gc {
            self.gc.note_allocation();
        }
        let total = size + if gc { GC_HEAD_SIZE } else { 0 };
        let block = self.alloc_bytes(total)?;
        // SAFETY: block has `total` bytes, 16-aligned; we initialise head and header.
        unsafe {
            let op = if gc {
                block.cast::<GcHead>().write(GcHead::new());
                block.add(GC_HEAD_SIZE).cast::<ObjHeader>()
            } else {
                block.cast::<ObjHeader>()
            };
            op.write(ObjHeader {
                refcnt: Cell::new(1),
                ty: Cell::new(ty),
            });
            self.live.set(self.live.get() + 1);
            Ok(op)
        }
    }

    /// Re-initialise memory taken from a free list as a fresh object (refcount 1, untracked).
    ///
    /// # Safety
    /// `op` came from a free list of an object of type `ty`.
    #[inline]
    pub(crate) unsafe fn reuse_object(&self, op: RawObj, ty: &TypeObject) {
        // SAFETY: the memory is ours (free list); GC types have a head in front.
        unsafe {
            if ty.is_gc() {
                gc_head(op).write(GcHead::new());
            }
            (*op.as_ptr()).refcnt.set(1);
            (*op.as_ptr()).ty.set(ty);
        }
        self.live.set(self.live.get() + 1);
    }

    /// Free an object's memory (GC head included). Debug builds poison the header first.
    ///
    /// # Safety
    /// `op` is a dead, untracked object of this heap, not on any list.
    #[inline]
    pub(crate) unsafe fn free_object(&self, op: RawObj) {
        // SAFETY: op is dead and ours (caller); its type and length words are intact.
        unsafe {
            let ty = crate::object::type_of(op);
            let gc = ty.is_gc();
            // The size the block was allocated with (new_object's `size` + the GC head).
            let items = match ty.item_size {
                0 => 0,
                _ => crate::builtins::var_len(op),
            };
            let size = ty.basic_size + ty.item_size * items + if gc { GC_HEAD_SIZE } else { 0 };
            let block = if gc {
                gc_head(op).cast::<u8>()
            } else {
                op.cast::<u8>()
            };
            self.free_block(op, block, size);
        }
    }

    /// [`free_object`](Self::free_object) for a GC object whose dealloc knows its block size
    /// (a list, a tuple of known length, an instance): no size computation from the type.
    ///
    /// # Safety
    /// As `free_object`; `op`'s type is GC-capable and `size` is the size its block was
    /// allocated with, GC head included.
    #[inline]
    pub(crate) unsafe fn free_gc_object_sized(&self, op: RawObj, size: usize) {
        debug_assert!(
            // SAFETY: op's header is intact (caller).
            unsafe { crate::object::type_of(op) }.is_gc()
        );
        // SAFETY: op is dead, ours and GC-capable (caller): its block starts at its head.
        unsafe { self.free_block(op, gc_head(op).cast::<u8>(), size) }
    }

    /// The last step of both frees: poison (debug builds), count, give the block back.
    ///
    /// # Safety
    /// `op` is dead and ours; `block` is where its allocation starts and `size` its size.
    #[inline]
    unsafe fn free_block(&self, op: RawObj, block: NonNull<u8>, size: usize) {
        #[cfg(debug_assertions)]
        // SAFETY: dead object of this heap (caller), header intact.
        unsafe {
            crate::refcount::poison(op)
        };
        #[cfg(not(debug_assertions))]
        let _ = op;
        self.live.set(self.live.get() - 1);
        // SAFETY: the block came from this heap's allocator with `size` bytes (caller).
        unsafe { self.free_bytes(block, size) };
    }

    fn immortal(&self, ty: &TypeObject, size: usize) -> RawObj {
        let op = self
            .new_object(ty, size)
            .expect("out of memory creating the heap");
        self.live.set(self.live.get() - 1);
        // SAFETY: fresh object.
        unsafe { (*op.as_ptr()).refcnt.set(IMMORTAL_REFCNT) };
        op
    }

    /// Make a fresh object immortal (called by constructors of preallocated objects).
    ///
    /// # Safety
    /// `op` is a fresh object nobody else references.
    pub(crate) unsafe fn make_immortal(&self, op: RawObj) {
        self.live.set(self.live.get() - 1);
        // SAFETY: `op` is fresh and unshared (this fn's contract): nobody observes the change.
        unsafe { (*op.as_ptr()).refcnt.set(IMMORTAL_REFCNT) };
    }

    /// The `&Heap` handed to finalizers and callbacks.
    #[inline]
    pub(crate) fn heap(&self) -> &Heap {
        &self.me
    }
}

/// The heap's allocator, as the inspection tools (stats table, arena map, lab) read it.
impl Heap {
    /// Cap this heap's memory from the OS (arenas plus large blocks) at `max` bytes: past it
    /// allocations fail with `RuntimeError::OutOfMemory` (Python's `MemoryError`).
    pub fn set_max_heap(&self, max: Option<usize>) {
        // SAFETY: the &mut lives for this call only and no allocation is in progress (the heap
        // is single-threaded and this runs no user code).
        unsafe { (*self.inner().alloc.get()).set_max_bytes(max) }
    }

    /// Allocator tunable: keep up to `n` entirely free arenas mapped (default 0: CPython's
    /// policy, which keeps only one; `Pymalloc::set_keep_empty_arenas`).
    pub fn set_keep_empty_arenas(&self, n: u32) {
        // SAFETY: the &mut lives for this call only and no allocation is in progress (the heap
        // is single-threaded and this runs no user code).
        unsafe { (*self.inner().alloc.get()).set_keep_empty_arenas(n) }
    }

    /// The allocator's statistics (`sys._debugmallocstats()` figures) for this heap.
    pub fn allocator_stats(&self) -> pyheap_allocator::Stats {
        // SAFETY: short shared read; no &mut to the allocator exists outside alloc/free calls,
        // and `stats` neither allocates from nor calls back into the heap.
        unsafe { (*self.inner().alloc.get()).stats() }
    }

    /// The allocator's arenas and pools (usable_arenas order, then full arenas) for this heap.
    pub fn arena_snapshots(&self) -> Vec<pyheap_allocator::ArenaSnapshot> {
        // SAFETY: as in `allocator_stats`.
        unsafe { (*self.inner().alloc.get()).arena_snapshots() }
    }

    /// One pool's header and blocks (the drill-down of `pyheap map --pool`), or `None` when
    /// arena `arena` or its pool `pool` does not exist.
    pub fn pool_view(&self, arena: u32, pool: usize) -> Option<pyheap_allocator::PoolView> {
        // SAFETY: as in `allocator_stats`.
        unsafe { (*self.inner().alloc.get()).pool_view(arena, pool) }
    }
}
