//! Deallocation without recursion, and deallocation deferred while raw pointers are out.
//!
//! Two queues of objects whose count reached zero, owned by one [`Trashcan`] per heap:
//!
//! ```text
//!  the chain (dead containers whose body has not run yet), threaded through the dead refcount
//!  word, LIFO — the same `DeadChain` the free lists use:
//!
//!    chain.head ──▶ z ──refcnt word──▶ y ──refcnt word──▶ x ──▶ 0
//!
//!  decref(a)=0 ─▶ dealloc(a): prologue, then `run_body`:
//!                  depth < TRASHCAN_DEPTH: a's body runs here (depth+1); a child b dying in it
//!                                          recurses once more: dealloc(b) ─▶ run_body(b) ...
//!                  depth ≥ TRASHCAN_DEPTH: push a on the chain, return
//!                  back at depth 0:        pop and run the chain's bodies until it is empty
//!
//!  the pending queue (objects that died while a traverse or a collection phase ran), FIFO;
//!  each entry owns one strong reference, so the object is alive for everybody meanwhile:
//!
//!    pending: [p0, p1, p2, ...]   ──(scope closed, collection over)──▶ decref each, in order
//! ```
//!
//! **The chain** bounds the stack: a container body that would run deeper than
//! [`TRASHCAN_DEPTH`] nested bodies waits on the chain instead. Its prologue (finalizer, untrack,
//! weak references, legacy `tp_del`) has run, so only the body (release children, free) remains
//! and the refcount word is free to hold the link: the chain costs no memory, and each object is
//! pushed and popped at most once (linear time).
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
//! - `depth` = number of container bodies running on the stack for this heap (drains included).
//! - The chain is empty whenever `depth` is 0 and no drain runs.
//! - Objects on the chain are dead (count 0, untracked, weak references cleared, finalizers
//!   done); their refcount word holds the link. Nothing else can reach them.
//! - Each `pending` entry owns one strong reference to a live object of this heap.
//! - `defer` = number of open [`Defer`] scopes; while it is non-zero nothing is freed.

use crate::heap::HeapInner;
use crate::object::{ObjHeader, RawObj, refcnt, type_of};
use crate::refcount::decref;
use crate::types::{TypeObject, flags};
use std::cell::Cell;
use std::ptr::NonNull;

/// Nesting depth at which container deallocs are deferred (CPython's `_PyTrash_UNWIND_LEVEL`).
pub const TRASHCAN_DEPTH: usize = 50;

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
        let link = self.head.get().map_or(0, |p| p.as_ptr() as usize);
        // SAFETY: the refcount word of a dead object is ours to reuse (caller).
        unsafe { (*op.as_ptr()).refcnt.set(link) };
        self.head.set(Some(op));
    }
    /// Pop the most recently pushed object (its refcount word is left holding garbage).
    #[inline(always)]
    pub(crate) fn pop(&self) -> Option<RawObj> {
        let op = self.head.get()?;
        // SAFETY: objects on the chain are dead and owned by it; the word holds the link.
        let link = unsafe { (*op.as_ptr()).refcnt.get() };
        self.head.set(NonNull::new(link as *mut ObjHeader));
        Some(op)
    }
    #[inline(always)]
    pub(crate) fn is_empty(&self) -> bool {
        self.head.get().is_none()
    }
}

/// The heap's deallocation state (see the module docs).
pub(crate) struct Trashcan {
    depth: Cell<usize>,
    chain: DeadChain,
    defer: Cell<usize>,
    pending: Cell<Vec<RawObj>>,
}

impl Trashcan {
    pub(crate) const fn new() -> Self {
        Trashcan {
            depth: Cell::new(0),
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
/// scopes opened by the deallocations themselves, follow).
pub(crate) fn drain_pending(heap: &HeapInner) {
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

/// Run `ty`'s dealloc body for `op` now, or defer it when the stack is deep.
///
/// `ty` is a raw pointer: the body may free the type (an instance's class dies with its last
/// instance), which a reference argument must outlive (Miri: protected tag).
///
/// # Safety
/// `op` is dead: count 0, untracked, weak references cleared, finalizers done; `ty` is its type.
#[inline]
pub(crate) unsafe fn dealloc_body(heap: &HeapInner, op: RawObj, ty: *const TypeObject) {
    // SAFETY: the type is valid until the body runs (caller); copy what is needed first.
    let (type_flags, body) = unsafe { ((*ty).flags, (*ty).dealloc) };
    if type_flags & flags::CONTAINER == 0 {
        // SAFETY: caller.
        unsafe { body(op) };
        return;
    }
    let t = &heap.trash;
    let depth = t.depth.get();
    if depth >= TRASHCAN_DEPTH {
        // SAFETY: op is dead (caller).
        unsafe { t.chain.push(op) };
        return;
    }
    t.depth.set(depth + 1);
    // SAFETY: caller.
    unsafe { body(op) };
    t.depth.set(depth);
    if depth == 0 && !t.chain.is_empty() {
        // SAFETY: only dead objects are on the chain.
        unsafe { drain_chain(heap) };
    }
}

/// Destroy the chain, each body at depth 1.
unsafe fn drain_chain(heap: &HeapInner) {
    let t = &heap.trash;
    t.depth.set(1);
    while let Some(op) = t.chain.pop() {
        // SAFETY: chained objects are dead and intact but for the link word.
        unsafe {
            refcnt(op).set(0);
            (type_of(op).dealloc)(op);
        }
    }
    t.depth.set(0);
}
