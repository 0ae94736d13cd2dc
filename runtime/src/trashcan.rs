//! Deallocation without recursion, and deallocation deferred while raw pointers are out.
//!
//! Two queues of objects whose count reached zero, owned by one [`Trashcan`] per heap:
//!
//! ```text
//!  the chain: dead containers waiting for their dealloc, threaded through the dead refcount
//!  word (tagged DEAD) — the same `DeadChain` the free lists use:
//!
//!    top ─ c1     chain.head ──▶ c2 ──refcnt word──▶ c3 ──▶ ... ──▶ 0
//!          └──── segment ─────────────┘  (the containers one body released, in order; the
//!                                          first waits unlinked in `top`)
//!
//!  decref(a)=0 ─▶ dealloc(a): untrack; nobody drains yet: become the drain loop
//!                 ┌─▶ run(x): prologue (finalizer, weakrefs, tp_del) + body (release children,
//!                 │           free); a child container dying in it is untracked and inserted
//!                 │           at the end of this run's segment, at the top of the chain
//!                 └── pop the chain's top until it is empty            (one frame per level)
//!
//!  the pending queue: objects that died while a traverse or a collection phase ran, FIFO;
//!  each entry owns one strong reference, so the object is alive for everybody meanwhile:
//!
//!    pending: [p0, p1, p2, ...]   ──(scope closed, collection over)──▶ decref each, in order
//! ```
//!
//! **The chain** makes container deallocation iterative: the stack stays one frame deep
//! (loop → body → decref → dealloc, which only links the dying child in) whatever the depth of
//! the structure. The order is still CPython's depth-first one: a run's dying children form a
//! segment, in the order the body released them, placed on top of the chain, so the first child's
//! whole subtree (its finalizer, weakref callbacks, its own children) is done before the second
//! child's prologue runs — exactly the order of CPython's recursive `tp_dealloc` (at any depth:
//! CPython's own trashcan reorders past 50 levels, this one never does). Like CPython's
//! `subtype_dealloc`, an object is untracked before it waits, and re-tracked around its
//! finalizer. A waiting object's refcount word holds the link with the `DEAD` tag, which
//! `WeakRef::get` reads as "dying" (like a zero count), so a weak reference cannot revive it;
//! nothing else can reach it (untracked, unreferenced). Each object is linked and unlinked at most
//! once: linear time, no memory.
//!
//! One difference with CPython remains: a container's remaining items are released before the
//! first dying item's finalizer runs, so that finalizer can no longer reach a later sibling through
//! a weak reference (CPython would still see it alive, held by the half-released parent).
//!
//! **The pending queue** makes raw pointers safe across user code that cannot be given strong
//! references: a user type's `traverse` may drop the last reference to anything while a
//! collection phase keeps gc_refs in the heads of the generation lists, or while an introspection
//! walker (`get_referents`, `get_referrers`, `deep_sizeof`, `Heap::check`) holds the pointers the
//! traverse reported. While a [`Defer`] scope is open (or a collection runs), a count that
//! reaches zero is set back to one, owned by the queue, and the object waits — alive, tracked,
//! weak references intact, so the collector and the walkers see a consistent heap in which the
//! queue is one more holder. Closing the last scope outside a collection, or the end of a
//! collection, releases the queue's references in the order the objects died; objects that
//! nobody took meanwhile then go through the ordinary dealloc above. The pending queue cannot use
//! the dead-word chain: its objects are not dead (the collector may still count, incref or clear
//! one that was reported to it before it died), so it is a plain vector of owned references.
//! The cost is on the dealloc path only (one test of `defer`); incref and decref are unchanged.
//!
//! # Invariants
//! - `draining` is true exactly while a drain loop runs for this heap (it is on the stack).
//! - The chain is empty whenever `draining` is false.
//! - Objects on the chain are dead (count 0 for everybody), untracked, unreachable, with their
//!   prologue and body still to run; their refcount word holds `link | DEAD`.
//! - `seg_last` is the last object of the running segment on the chain (None: the next death
//!   starts the segment at the top).
//! - `top`, when set, is the chain's first object, kept out of the links: the first container
//!   a run lets die waits there (dead, untracked, its word a plain count of 0) and the drain loop
//!   takes it before popping the chain. A deep chain (one dying child per level) so never
//!   touches the links. `top` is None whenever `seg_last` is (each run starts with both None:
//!   the drain took the top before running it), and None when no drain runs.
//! - Each `pending` entry owns one strong reference to a live object of this heap.
//! - `defer` = number of open [`Defer`] scopes; while it is non-zero nothing is freed.

use crate::heap::HeapInner;
use crate::object::{ObjHeader, RawObj, gc_head, refcnt};
use crate::refcount::decref;
use crate::types::TypeObject;
use std::cell::Cell;
use std::ptr::NonNull;

/// The tag on a dead object's refcount word while it holds a chain link (bit 63: no mortal count
/// gets near it, immortal counts stay around 2^62, and user-space addresses are below 2^47).
pub(crate) const DEAD: usize = 1 << 63;

/// Does this refcount word belong to an object that is dying or dead (count 0, or a chain link)?
#[inline(always)]
pub(crate) fn is_dead_count(word: usize) -> bool {
    word == 0 || word & DEAD != 0
}

/// A LIFO of dead objects linked through their refcount word (free lists, the trashcan chain).
pub(crate) struct DeadChain {
    head: Cell<Option<RawObj>>,
}

impl DeadChain {
    pub(crate) const fn new() -> Self {
        DeadChain {
            head: Cell::new(None),
        }
    }
    /// Push a dead object.
    ///
    /// # Safety
    /// `op` is dead (count 0, unreachable) and its header is writable memory nobody else uses.
    #[inline(always)]
    pub(crate) unsafe fn push(&self, op: RawObj) {
        // SAFETY: `op` is dead and its header unshared (contract): its word may hold the link.
        unsafe { link(op, self.head.get()) };
        self.head.set(Some(op));
    }
    /// Link `op` right behind `after`, which is on this chain.
    ///
    /// # Safety
    /// As [`push`](Self::push); `after` is on this chain.
    #[inline(always)]
    pub(crate) unsafe fn insert_after(&self, after: RawObj, op: RawObj) {
        // SAFETY: `after` is chained (caller): its word holds a tagged link.
        unsafe {
            link(op, next_of(after));
            link(after, Some(op));
        }
    }
    /// Pop the most recently pushed object (its refcount word is left holding garbage).
    #[inline(always)]
    pub(crate) fn pop(&self) -> Option<RawObj> {
        let op = self.head.get()?;
        // SAFETY: objects on the chain are dead and owned by it; the word holds the link.
        self.head.set(unsafe { next_of(op) });
        Some(op)
    }
}

/// The refcount word of a dead object, seen as the pointer it holds while the object is chained.
///
/// The word is a `Cell<usize>` while the object lives; once it is dead nobody reads it as a
/// count except through [`is_dead_count`] (which only looks at the bits), so the chain stores a
/// real pointer there: the link keeps its provenance (Miri checks it under
/// `-Zmiri-strict-provenance`), and the `DEAD` tag is set and cleared with `map_addr`. Reading the
/// word as a `usize` (the count checks) just sees the address bits; nothing turns an integer back
/// into a pointer. Incref and decref are unchanged: only the chain's own code uses this view.
///
/// # Safety
/// `op` is a dead object whose header is valid memory (not yet freed).
#[inline(always)]
unsafe fn link_word<'a>(op: RawObj) -> &'a Cell<*mut ObjHeader> {
    // SAFETY: `Cell<usize>` and `Cell<*mut T>` have the same size and alignment (one word); the
    // header is valid (caller) and a `Cell` allows writes through a shared reference.
    unsafe { &*(&raw const (*op.as_ptr()).refcnt).cast::<Cell<*mut ObjHeader>>() }
}

/// Store a tagged link in a dead object's refcount word.
///
/// # Safety
/// `op` is dead and its header is writable memory nobody else uses.
#[inline(always)]
unsafe fn link(op: RawObj, next: Option<RawObj>) {
    let next = next.map_or(std::ptr::null_mut(), NonNull::as_ptr);
    // SAFETY: `op` is dead and its header is writable and unshared (contract).
    unsafe { link_word(op) }.set(next.map_addr(|a| a | DEAD));
}

/// The link a chained object holds.
///
/// # Safety
/// `op` is on a chain.
#[inline(always)]
unsafe fn next_of(op: RawObj) -> Option<RawObj> {
    // SAFETY: `op` is chained (caller): its word holds a tagged link stored by `link`.
    let word = unsafe { link_word(op) }.get();
    NonNull::new(word.map_addr(|a| a & !DEAD))
}

/// The heap's deallocation state (see the module docs).
pub(crate) struct Trashcan {
    draining: Cell<bool>,
    seg_last: Cell<Option<RawObj>>,
    top: Cell<Option<RawObj>>,
    chain: DeadChain,
    defer: Cell<usize>,
    pending: Cell<Vec<RawObj>>,
}

impl Trashcan {
    pub(crate) const fn new() -> Self {
        Trashcan {
            draining: Cell::new(false),
            seg_last: Cell::new(None),
            top: Cell::new(None),
            chain: DeadChain::new(),
            defer: Cell::new(0),
            pending: Cell::new(Vec::new()),
        }
    }
    /// Is a deferral scope open (must a count reaching zero wait)?
    #[inline(always)]
    pub(crate) fn deferring(&self) -> bool {
        self.defer.get() != 0
    }
}

/// `op`'s count just reached zero while deferring: the queue takes over that reference.
///
/// # Safety
/// `op` is intact with count 0 (nobody else owns a reference) and belongs to `heap`.
#[cold]
#[inline(never)]
pub(crate) unsafe fn defer_dealloc(heap: &HeapInner, op: RawObj) {
    // SAFETY: intact object (caller); count 1 = the queue's reference.
    unsafe { refcnt(op) }.set(1);
    let mut v = heap.trash.pending.take();
    v.push(op);
    heap.trash.pending.set(v);
}

/// Release the pending queue's references, in the order the objects died (new arrivals, from
/// scopes opened by the deallocations themselves, follow). Nothing happens while a deferral
/// scope is open (a collection run from inside a user traverse that a walker called): every
/// release would only queue the object again; the last scope's close drains.
pub(crate) fn drain_pending(heap: &HeapInner) {
    if heap.trash.deferring() {
        return;
    }
    loop {
        let v = heap.trash.pending.take();
        if v.is_empty() {
            heap.trash.pending.set(v);
            return;
        }
        for op in v {
            // SAFETY: each entry owns one reference to a live object (module invariants).
            unsafe { decref(op) }
        }
    }
}

/// A deferral scope: while one is open, nothing of this heap is freed (counts reaching zero wait
/// on the pending queue). Closing the last one outside a collection drains the queue; during a
/// collection the queue is drained when the collection ends (`Gc::collect`, the heap's stop
/// callback), since its phases must not see objects unlinked.
pub(crate) struct Defer<'a> {
    heap: &'a HeapInner,
}

impl<'a> Defer<'a> {
    #[inline]
    pub(crate) fn new(heap: &'a HeapInner) -> Self {
        heap.trash.defer.set(heap.trash.defer.get() + 1);
        Defer { heap }
    }
}

impl Drop for Defer<'_> {
    #[inline]
    fn drop(&mut self) {
        let t = &self.heap.trash;
        let d = t.defer.get() - 1;
        t.defer.set(d);
        if d == 0 && !self.heap.gc.is_collecting() {
            let v = t.pending.take();
            let any = !v.is_empty();
            t.pending.set(v);
            if any {
                drain_pending(self.heap);
            }
        }
    }
}

/// A container's count reached zero (no deferral scope open): untrack it, then either link it
/// into the running drain's segment, or become the drain loop.
///
/// `ty` is a raw pointer: the body may free the type (an instance's class dies with its last
/// instance), which a reference argument must outlive (Miri: protected tag).
///
/// # Safety
/// `op` is an intact container of `heap` with count 0 (the caller gave up the last reference).
#[inline(always)]
pub(crate) unsafe fn dealloc_container(heap: &HeapInner, op: RawObj, ty: *const TypeObject) {
    // SAFETY: op is intact (caller), so is its type.
    if unsafe { (*ty).is_gc() } {
        // SAFETY: intact GC object; untracking is allowed whenever user code may run.
        unsafe { heap.gc.untrack(gc_head(op)) };
    }
    let t = &heap.trash;
    if t.draining.get() {
        match t.seg_last.get() {
            // The run's first death: the new top (the previous top was taken before the run).
            None => t.top.set(Some(op)),
            // Right behind the unlinked top: the chain's first link.
            // SAFETY: op is dead, untracked and unreachable: its word may hold the link.
            Some(last) if t.top.get() == Some(last) => unsafe { t.chain.push(op) },
            // SAFETY: as above; `last` is on the chain (it is not the top).
            Some(last) => unsafe { t.chain.insert_after(last, op) },
        }
        t.seg_last.set(Some(op));
        return;
    }
    // SAFETY: `op` is an intact dead container of `heap` (contract), untracked above, and no
    // drain loop runs (`draining` is false).
    unsafe { drain(heap, op, ty) }
}

/// The drain loop: run `op`, then everything its run linked in, depth first.
///
/// # Safety
/// `op` is an intact dead container of `heap` (count 0, untracked), `ty` its type, and no drain
/// loop runs for `heap` (`draining` is false).
#[inline(never)]
unsafe fn drain(heap: &HeapInner, op: RawObj, ty: *const TypeObject) {
    let t = &heap.trash;
    t.draining.set(true);
    // SAFETY: op is dead and untracked (caller).
    unsafe { run(heap, op, ty) };
    loop {
        let op = match t.top.take() {
            Some(op) => op,
            None => match t.chain.pop() {
                // SAFETY: chained objects are dead, untracked and intact but for the link word,
                // which goes back to the count every dying object shows (0).
                Some(op) => unsafe {
                    refcnt(op).set(0);
                    op
                },
                None => break,
            },
        };
        // SAFETY: the top and chained objects are dead, untracked and intact (count 0).
        unsafe { run(heap, op, (*op.as_ptr()).ty.get()) }
    }
    t.draining.set(false);
}

/// Prologue and body of one dead container; what dies meanwhile forms a new segment on top.
///
/// `ty` is a raw pointer (here and in the callers): an instance's type lives in its class, which
/// the body may free; a reference argument would have to outlive the call (Miri: protected tag).
///
/// # Safety
/// `op` is dead, untracked, with count 0 and intact; `ty` is its type (valid until the body
/// runs); a drain loop for `heap` is running.
#[inline(always)]
unsafe fn run(heap: &HeapInner, op: RawObj, ty: *const TypeObject) {
    heap.trash.seg_last.set(None);
    // SAFETY: op is dead, untracked, count 0 (caller); its type is valid until the body runs:
    // what the body needs is copied first, the reference given to `prologue` ends with it.
    unsafe {
        let (type_flags, body) = ((*ty).flags, (*ty).dealloc);
        if crate::refcount::needs_prologue(op, &*ty, type_flags)
            && crate::refcount::prologue(heap, op, &*ty)
        {
            return; // resurrected by a finalizer
        }
        body(op)
    }
}
