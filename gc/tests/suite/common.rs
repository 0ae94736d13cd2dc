//! A mock object model for testing the collector in isolation.
//!
//! ```text
//!   Box<Node>: [ GcHead | id | refcnt | edges (strong) | flags | weakref fields ]
//!               ^ GcPtr (repr(C): the head is at offset 0, so GcPtr ⇄ NodePtr is a cast)
//! ```
//!
//! Deallocation is iterative (a pending stack, like CPython's trashcan), runs a PEP 442 finalizer
//! once (resurrection aborts the free), calls callbacks of weakrefs to the dying object, untracks
//! and counts the deallocation. Every free, clear, finalizer and callback call is recorded by id,
//! so tests can assert "exactly once" and "never cleared".
#![allow(dead_code)]

use pyheap_gc::{Collector, GcConfig, GcHead, GcPtr, ObjectModel};
use std::cell::{Cell, RefCell};
use std::collections::{HashMap, HashSet};
use std::fmt::Write as _;
use std::ptr::NonNull;
use std::rc::Rc;

pub type NodePtr = NonNull<Node>;
pub type Hook = Rc<dyn Fn(&World, NodePtr)>;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum Kind {
    #[default]
    Plain,
    Tuple,
    Dict,
    WeakRef,
}

#[repr(C)]
pub struct Node {
    head: GcHead,
    pub id: usize,
    pub kind: Kind,
    refcnt: Cell<usize>,
    edges: RefCell<Vec<NodePtr>>,
    pub has_finalizer: bool,
    pub legacy: bool,
    /// PEP 442 finalizer body (or legacy finalizer body for dealloc).
    on_finalize: Option<Hook>,
    /// Extra times the first edge is reported by traverse (a buggy traverse).
    pub overreport: Cell<usize>,
    // weakref object fields
    wr_target: Cell<Option<NodePtr>>,
    wr_callback: Option<Hook>,
    // weakrefs pointing at this object
    weakrefs: RefCell<Vec<NodePtr>>,
}

#[derive(Default, Clone)]
pub struct Opts {
    pub kind: Kind,
    pub finalizer: Option<Hook>,
    pub has_finalizer: bool,
    pub legacy: bool,
}

pub struct World {
    pub gc: Collector<World>,
    next_id: Cell<usize>,
    pub live: Cell<usize>,
    pub freed: RefCell<HashSet<usize>>,
    pub cleared: RefCell<Vec<usize>>,
    pub fin_calls: RefCell<HashMap<usize, usize>>,
    pub callback_calls: RefCell<Vec<usize>>,
    /// Strong references kept by resurrecting finalizers.
    pub survivors: RefCell<Vec<NodePtr>>,
    pending: RefCell<Vec<NodePtr>>,
    deallocating: Cell<bool>,
    /// Called at the start of every traverse, with the node traversed (user code in traverse).
    pub on_traverse: RefCell<Option<Hook>>,
    /// Offer the collector the sweep hooks (plain nodes without finalizers); off by default.
    pub sweep: Cell<bool>,
    /// Ids freed by `sweep_free`, in order.
    pub swept: RefCell<Vec<usize>>,
}

pub fn gc(p: NodePtr) -> GcPtr {
    p.cast()
}

pub fn node(p: GcPtr) -> NodePtr {
    p.cast()
}

/// SAFETY (for the helpers below): tests only pass pointers of live nodes.
pub fn n<'a>(p: NodePtr) -> &'a Node {
    // SAFETY: tests only use pointers to nodes they know are alive.
    unsafe { p.as_ref() }
}

impl World {
    pub fn new() -> Rc<World> {
        Self::with_config(GcConfig::default())
    }

    pub fn with_config(cfg: GcConfig) -> Rc<World> {
        let w = Rc::new(World {
            gc: Collector::new(cfg),
            next_id: Cell::new(1),
            live: Cell::new(0),
            freed: RefCell::default(),
            cleared: RefCell::default(),
            fin_calls: RefCell::default(),
            callback_calls: RefCell::default(),
            survivors: RefCell::default(),
            pending: RefCell::default(),
            deallocating: Cell::new(false),
            on_traverse: RefCell::default(),
            sweep: Cell::new(false),
            swept: RefCell::default(),
        });
        // SAFETY: the world lives in the Rc's allocation until the last clone is dropped, which
        // also drops the collector; it is only ever shared (all state is in Cells).
        unsafe { w.gc.bind(NonNull::new(Rc::as_ptr(&w).cast_mut()).unwrap()) };
        w
    }

    /// Allocate a tracked node with refcount 1 (the caller's handle).
    pub fn alloc(&self, o: Opts) -> NodePtr {
        self.gc.note_allocation();
        let id = self.next_id.get();
        self.next_id.set(id + 1);
        let b = Box::new(Node {
            head: GcHead::new(),
            id,
            kind: o.kind,
            refcnt: Cell::new(1),
            edges: RefCell::new(Vec::new()),
            has_finalizer: o.has_finalizer || o.finalizer.is_some(),
            legacy: o.legacy,
            on_finalize: o.finalizer,
            overreport: Cell::new(0),
            wr_target: Cell::new(None),
            wr_callback: None,
            weakrefs: RefCell::new(Vec::new()),
        });
        let p = NonNull::from(Box::leak(b));
        self.live.set(self.live.get() + 1);
        // SAFETY: freshly allocated, untracked; untracked again in dealloc before the free.
        unsafe { self.gc.track(gc(p)) };
        p
    }

    /// A node of `kind` with the default options (a tuple, a dict: what untracking looks at).
    pub fn of_kind(&self, kind: Kind) -> NodePtr {
        self.alloc(Opts {
            kind,
            ..Default::default()
        })
    }
    pub fn plain(&self) -> NodePtr {
        self.alloc(Opts::default())
    }

    pub fn with_fin(&self, f: impl Fn(&World, NodePtr) + 'static) -> NodePtr {
        self.alloc(Opts {
            finalizer: Some(Rc::new(f)),
            ..Default::default()
        })
    }

    pub fn legacy(&self) -> NodePtr {
        self.alloc(Opts {
            legacy: true,
            ..Default::default()
        })
    }

    /// A weakref object to `target` (tracked, refcount 1).
    pub fn weakref(&self, target: NodePtr, cb: Option<Hook>) -> NodePtr {
        self.gc.note_allocation();
        let id = self.next_id.get();
        self.next_id.set(id + 1);
        let b = Box::new(Node {
            head: GcHead::new(),
            id,
            kind: Kind::WeakRef,
            refcnt: Cell::new(1),
            edges: RefCell::new(Vec::new()),
            has_finalizer: false,
            legacy: false,
            on_finalize: None,
            overreport: Cell::new(0),
            wr_target: Cell::new(Some(target)),
            wr_callback: cb,
            weakrefs: RefCell::new(Vec::new()),
        });
        let p = NonNull::from(Box::leak(b));
        n(target).weakrefs.borrow_mut().push(p);
        self.live.set(self.live.get() + 1);
        // SAFETY: as in alloc.
        unsafe { self.gc.track(gc(p)) };
        p
    }

    /// The referent of a weakref, if not cleared.
    pub fn wr_get(&self, wr: NodePtr) -> Option<NodePtr> {
        n(wr).wr_target.get()
    }

    /// `a.edges.push(b)` with a new strong reference to b.
    pub fn link(&self, a: NodePtr, b: NodePtr) {
        n(b).refcnt.set(n(b).refcnt.get() + 1);
        n(a).edges.borrow_mut().push(b);
    }

    /// Drop all of a's edges.
    pub fn unlink_all(&self, a: NodePtr) {
        let edges = std::mem::take(&mut *n(a).edges.borrow_mut());
        for e in edges {
            self.dec(e);
        }
    }

    pub fn edges(&self, a: NodePtr) -> Vec<NodePtr> {
        n(a).edges.borrow().clone()
    }

    pub fn rc(&self, a: NodePtr) -> usize {
        n(a).refcnt.get()
    }

    /// Overwrite the refcount (to simulate runtime bugs).
    pub fn set_rc(&self, p: NodePtr, rc: usize) {
        n(p).refcnt.set(rc);
    }

    pub fn inc(&self, p: NodePtr) {
        n(p).refcnt.set(n(p).refcnt.get() + 1);
    }

    /// Drop a strong reference (frees at zero).
    pub fn dec(&self, p: NodePtr) {
        let nd = n(p);
        let c = nd.refcnt.get();
        assert!(c > 0, "decref of a node with refcount 0 (id {})", nd.id);
        nd.refcnt.set(c - 1);
        if c == 1 {
            self.pending.borrow_mut().push(p);
            if !self.deallocating.get() {
                self.drain();
            }
        }
    }

    fn drain(&self) {
        self.deallocating.set(true);
        loop {
            let Some(p) = self.pending.borrow_mut().pop() else {
                break;
            };
            self.dealloc(p);
        }
        self.deallocating.set(false);
    }

    fn dealloc(&self, p: NodePtr) {
        let nd = n(p);
        if nd.refcnt.get() != 0 {
            return; // resurrected meanwhile
        }
        // PEP 442 from deallocation: once per object.
        // SAFETY: p is alive.
        if nd.has_finalizer && !unsafe { Collector::<World>::is_finalized(gc(p)) } {
            nd.head_set_finalized();
            nd.refcnt.set(1);
            self.run_finalizer(p);
            let c = nd.refcnt.get() - 1;
            nd.refcnt.set(c);
            if c > 0 {
                return; // resurrected
            }
        }
        // SAFETY: p is alive.
        unsafe { self.gc.untrack(gc(p)) };
        self.gc.note_deallocation();
        // Weakrefs to p: clear, then call callbacks (CPython's PyObject_ClearWeakRefs).
        let wrs = std::mem::take(&mut *nd.weakrefs.borrow_mut());
        for &wr in &wrs {
            n(wr).wr_target.set(None);
        }
        for wr in wrs {
            if n(wr).wr_callback.is_some() {
                self.inc(wr);
                self.call_cb(wr);
                self.dec(wr);
            }
        }
        // If p is a weakref, detach it from its referent.
        self.detach_weakref(p);
        let edges = std::mem::take(&mut *nd.edges.borrow_mut());
        for e in edges {
            self.dec(e);
        }
        assert!(self.freed.borrow_mut().insert(nd.id), "double free");
        self.live.set(self.live.get() - 1);
        // SAFETY: allocated by Box::leak in alloc; refcount 0, untracked, no edges to it.
        drop(unsafe { Box::from_raw(p.as_ptr()) });
    }

    fn detach_weakref(&self, wr: NodePtr) {
        if let Some(t) = n(wr).wr_target.take() {
            n(t).weakrefs.borrow_mut().retain(|&w| w != wr);
        }
    }

    fn run_finalizer(&self, p: NodePtr) {
        *self.fin_calls.borrow_mut().entry(n(p).id).or_default() += 1;
        if let Some(h) = n(p).on_finalize.clone() {
            h(self, p);
        }
    }

    fn call_cb(&self, wr: NodePtr) {
        self.callback_calls.borrow_mut().push(n(wr).id);
        if let Some(h) = n(wr).wr_callback.clone() {
            h(self, wr);
        }
    }

    pub fn is_freed(&self, id: usize) -> bool {
        self.freed.borrow().contains(&id)
    }

    pub fn was_cleared(&self, id: usize) -> bool {
        self.cleared.borrow().contains(&id)
    }

    pub fn fin_count(&self, id: usize) -> usize {
        self.fin_calls.borrow().get(&id).copied().unwrap_or(0)
    }

    /// Drop the survivors kept by resurrecting finalizers.
    pub fn clear_survivors(&self) {
        let s = std::mem::take(&mut *self.survivors.borrow_mut());
        for p in s {
            self.dec(p);
        }
    }

    pub fn tracked(&self, p: NodePtr) -> bool {
        // SAFETY: p alive.
        unsafe { Collector::<World>::is_tracked(gc(p)) }
    }

    pub fn finalized(&self, p: NodePtr) -> bool {
        // SAFETY: p alive.
        unsafe { Collector::<World>::is_finalized(gc(p)) }
    }

    /// `gc.collect(g)`, then the list invariants are checked (outside of a collection).
    pub fn collect(&self, g: i64) -> usize {
        let r = self.gc.collect(g).expect("collect");
        if !self.gc.is_collecting() {
            self.gc.check_invariants().expect("list invariants");
        }
        r
    }
}

impl Node {
    fn head_set_finalized(&self) {
        self.head.set_finalized();
    }
}

/// Resurrecting finalizer: store a strong reference in `survivors`.
pub fn resurrect(w: &World, p: NodePtr) {
    w.inc(p);
    w.survivors.borrow_mut().push(p);
}

// SAFETY: the mock upholds the contract: nodes are untracked before they are freed; traverse
// reports each strong edge once (unless `overreport` is set on purpose); refcounts are exact;
// nothing unwinds (hooks in tests do not panic); an `on_traverse` hook frees nothing during a
// collection, except in the test that checks the collector's abort.
unsafe impl ObjectModel for World {
    fn refcount(&self, op: GcPtr) -> usize {
        n(node(op)).refcnt.get()
    }
    fn incref(&self, op: GcPtr) {
        self.inc(node(op))
    }
    fn decref(&self, op: GcPtr) {
        self.dec(node(op))
    }
    fn traverse<V: FnMut(GcPtr)>(&self, op: GcPtr, visit: &mut V) {
        let hook = self.on_traverse.borrow().clone();
        if let Some(h) = hook {
            h(self, node(op));
        }
        let nd = n(node(op));
        let edges = nd.edges.borrow();
        for &e in edges.iter() {
            visit(gc(e));
        }
        if let Some(&first) = edges.first() {
            for _ in 0..nd.overreport.get() {
                visit(gc(first));
            }
        }
    }
    fn clear(&self, op: GcPtr) {
        let p = node(op);
        self.cleared.borrow_mut().push(n(p).id);
        self.unlink_all(p);
    }
    fn has_finalizer(&self, op: GcPtr) -> bool {
        n(node(op)).has_finalizer
    }
    fn finalize(&self, op: GcPtr) {
        self.run_finalizer(node(op))
    }
    fn has_legacy_finalizer(&self, op: GcPtr) -> bool {
        n(node(op)).legacy
    }
    fn can_untrack(&self, op: GcPtr, full: bool) -> bool {
        let nd = n(node(op));
        let untrackable_kind = match nd.kind {
            Kind::Tuple => true,
            Kind::Dict => full,
            _ => false,
        };
        untrackable_kind && nd.edges.borrow().iter().all(|&e| !self.tracked(e))
    }
    fn may_have_weakrefs(&self, op: GcPtr) -> bool {
        // Exact only with the sweep on (it needs no special garbage); the other tests keep the
        // default answer.
        let nd = n(node(op));
        !self.sweep.get() || nd.kind == Kind::WeakRef || !nd.weakrefs.borrow().is_empty()
    }
    fn sweepable(&self, op: GcPtr) -> bool {
        let nd = n(node(op));
        self.sweep.get() && nd.kind == Kind::Plain && !nd.has_finalizer && !nd.legacy
    }
    fn sweep_release<G: FnMut(GcPtr) -> bool>(&self, op: GcPtr, garbage: &mut G) {
        let edges = std::mem::take(&mut *n(node(op)).edges.borrow_mut());
        for e in edges {
            if !garbage(gc(e)) {
                self.dec(e); // deaths wait: `deallocating` is set by sweep_scope
            }
        }
    }
    fn sweep_decref(&self, op: GcPtr) -> usize {
        let nd = n(node(op));
        let c = nd.refcnt.get();
        assert!(
            c > 0,
            "sweep_decref of a node with refcount 0 (id {})",
            nd.id
        );
        nd.refcnt.set(c - 1);
        c - 1
    }
    fn sweep_free(&self, op: GcPtr) {
        let p = node(op);
        let nd = n(p);
        assert_eq!(
            nd.refcnt.get(),
            0,
            "sweep_free of a referenced node (id {})",
            nd.id
        );
        assert!(
            nd.edges.borrow().is_empty(),
            "sweep_free before sweep_release"
        );
        self.gc.note_deallocation();
        assert!(self.freed.borrow_mut().insert(nd.id), "double free");
        self.swept.borrow_mut().push(nd.id);
        self.live.set(self.live.get() - 1);
        // SAFETY: allocated by Box::leak in alloc; count 0, unlinked by the collector.
        drop(unsafe { Box::from_raw(p.as_ptr()) });
    }
    fn sweep_scope(&self, f: &mut dyn FnMut()) {
        // Deaths caused by sweep_release wait on `pending` (as inside a drain), then run.
        let outer = self.deallocating.replace(true);
        f();
        self.deallocating.set(outer);
        if !outer {
            self.drain();
        }
    }
    fn clear_weakref_object(&self, op: GcPtr) {
        let p = node(op);
        if n(p).kind == Kind::WeakRef {
            self.detach_weakref(p);
        }
    }
    fn clear_weakrefs_to(&self, op: GcPtr, with_callback: &mut dyn FnMut(GcPtr)) {
        let wrs = std::mem::take(&mut *n(node(op)).weakrefs.borrow_mut());
        for wr in wrs {
            n(wr).wr_target.set(None);
            if n(wr).wr_callback.is_some() {
                with_callback(gc(wr));
            }
        }
    }
    fn call_weakref_callback(&self, wr: GcPtr) {
        self.call_cb(node(wr))
    }
    fn describe(&self, op: GcPtr, out: &mut dyn std::fmt::Write) -> std::fmt::Result {
        let nd = n(node(op));
        let name = match nd.kind {
            Kind::Plain if nd.legacy => "Legacy",
            Kind::Plain => "Node",
            Kind::Tuple => "tuple",
            Kind::Dict => "dict",
            Kind::WeakRef => "weakref",
        };
        write!(out, "<{name} {:p}>", op.as_ptr())
    }
}

/// Format helper used by some tests.
pub fn describe(w: &World, p: NodePtr) -> String {
    let mut s = String::new();
    w.describe(gc(p), &mut s).unwrap();
    let _ = write!(s, "");
    s
}
