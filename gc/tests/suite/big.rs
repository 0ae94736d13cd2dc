//! Large inputs: 10-million-object live chains and dead rings (no recursion anywhere), and the
//! work of a young collection next to a huge old generation. A lean model: nodes of 32 bytes in
//! one boxed slice, each with at most one strong edge. Timings are printed (`--nocapture`), never
//! asserted: what the tests assert is what the collector did, counted in the model's calls.

use pyheap_gc::{Collector, GcConfig, GcHead, GcPtr, ObjectModel};
use std::cell::Cell;
use std::ptr::NonNull;
use std::rc::Rc;
use std::time::Instant;

#[repr(C)]
struct CNode {
    head: GcHead,
    rc: Cell<usize>,
    /// Index + 1 of the referent, 0 = none.
    next: Cell<usize>,
}

struct Chain {
    gc: Collector<Chain>,
    nodes: Box<[CNode]>,
    freed: Cell<usize>,
    /// Model calls made by the collector: `refcount` (update_refs) and `traverse`.
    refcounts_read: Cell<usize>,
    traversed: Cell<usize>,
}

impl Chain {
    fn new(n: usize) -> Rc<Chain> {
        let nodes: Box<[CNode]> = (0..n)
            .map(|_| CNode {
                head: GcHead::new(),
                rc: Cell::new(0),
                next: Cell::new(0),
            })
            .collect();
        let gc = Collector::new(GcConfig::default());
        gc.disable();
        let c = Rc::new(Chain {
            gc,
            nodes,
            freed: Cell::new(0),
            refcounts_read: Cell::new(0),
            traversed: Cell::new(0),
        });
        // SAFETY: the chain lives in the Rc's allocation as long as its collector, shared only.
        unsafe { c.gc.bind(NonNull::new(Rc::as_ptr(&c).cast_mut()).unwrap()) };
        c
    }
    fn ptr(&self, i: usize) -> GcPtr {
        NonNull::from(&self.nodes[i]).cast()
    }
    fn idx(&self, p: GcPtr) -> usize {
        (p.as_ptr().addr() - self.nodes.as_ptr().addr()) / std::mem::size_of::<CNode>()
    }
    fn link(&self, a: usize, b: usize) {
        self.nodes[a].next.set(b + 1);
        self.nodes[b].rc.set(self.nodes[b].rc.get() + 1);
    }
    /// Track nodes in the given order (all get refcount ≥ 1 first).
    fn track(&self, order: impl Iterator<Item = usize>) {
        for i in order {
            // SAFETY: nodes live in `self.nodes` for the collector's lifetime and are untracked
            // before this struct is dropped (dealloc, or Drop of the collector detaches them).
            unsafe { self.gc.track(self.ptr(i)) };
        }
    }
    /// Iterative deallocation along the chain.
    fn dealloc(&self, mut i: usize) {
        loop {
            // SAFETY: node i is alive (refcount just reached 0).
            unsafe { self.gc.untrack(self.ptr(i)) };
            self.gc.note_deallocation();
            self.freed.set(self.freed.get() + 1);
            let nx = self.nodes[i].next.replace(0);
            if nx == 0 {
                return;
            }
            let j = nx - 1;
            let c = self.nodes[j].rc.get() - 1;
            self.nodes[j].rc.set(c);
            if c != 0 {
                return;
            }
            i = j;
        }
    }
}

// SAFETY: refcounts are exact, traverse reports the single edge, nodes are untracked before they
// are considered freed and never unwind.
unsafe impl ObjectModel for Chain {
    fn refcount(&self, op: GcPtr) -> usize {
        self.refcounts_read.set(self.refcounts_read.get() + 1);
        self.nodes[self.idx(op)].rc.get()
    }
    fn incref(&self, op: GcPtr) {
        let n = &self.nodes[self.idx(op)];
        n.rc.set(n.rc.get() + 1);
    }
    fn decref(&self, op: GcPtr) {
        let i = self.idx(op);
        let c = self.nodes[i].rc.get() - 1;
        self.nodes[i].rc.set(c);
        if c == 0 {
            self.dealloc(i);
        }
    }
    #[inline]
    fn traverse<V: FnMut(GcPtr)>(&self, op: GcPtr, visit: &mut V) {
        self.traversed.set(self.traversed.get() + 1);
        let nx = self.nodes[self.idx(op)].next.get();
        if nx != 0 {
            visit(self.ptr(nx - 1));
        }
    }
    fn clear(&self, op: GcPtr) {
        let i = self.idx(op);
        let nx = self.nodes[i].next.replace(0);
        if nx != 0 {
            self.decref(self.ptr(nx - 1));
        }
    }
    fn has_finalizer(&self, _: GcPtr) -> bool {
        false
    }
    fn finalize(&self, _: GcPtr) {}
    fn has_legacy_finalizer(&self, _: GcPtr) -> bool {
        false
    }
    fn can_untrack(&self, _: GcPtr, _: bool) -> bool {
        false
    }
    fn clear_weakref_object(&self, _: GcPtr) {}
    fn clear_weakrefs_to(&self, _: GcPtr, _: &mut dyn FnMut(GcPtr)) {}
    fn call_weakref_callback(&self, _: GcPtr) {}
    fn describe(&self, op: GcPtr, out: &mut dyn std::fmt::Write) -> std::fmt::Result {
        write!(out, "<cnode {:p}>", op.as_ptr())
    }
}

// Miri interprets every pointer step (~10^4x slower) and keeps per-byte provenance: a
// 10M-node chain would take hours, so Miri checks the same shapes on a short chain.
const N: usize = if cfg!(miri) { 1_000 } else { 10_000_000 };

#[test]
fn ten_million_long_live_chain_tracked_backwards() {
    // Tracked tail-first: move_unreachable first moves every node but the head to `unreachable`,
    // then pulls them back one by one — the worst case, still one pass and no recursion.
    let c = Chain::new(N);
    c.nodes[0].rc.set(1); // external handle on the head
    for i in 0..N - 1 {
        c.link(i, i + 1);
    }
    c.track((0..N).rev());
    let t = Instant::now();
    assert_eq!(c.gc.collect(2), Ok(0));
    eprintln!(
        "live chain 10M (backwards), full collection: {:?}",
        t.elapsed()
    );
    assert_eq!(c.gc.generation_len(2), N);
    let t = Instant::now();
    assert_eq!(c.gc.collect(2), Ok(0));
    eprintln!(
        "live chain 10M (now in order), full collection: {:?}",
        t.elapsed()
    );

    // A young collection must not look at the 10M old objects: no refcount read, no traverse.
    let (reads, traversed) = (c.refcounts_read.get(), c.traversed.get());
    let t = Instant::now();
    for _ in 0..100 {
        c.gc.collect(0).unwrap();
    }
    let per = t.elapsed() / 100;
    eprintln!("gen-0 collection with 10M objects in gen 2: {per:?}");
    assert_eq!(
        c.refcounts_read.get(),
        reads,
        "gen-0 collections read old refcounts"
    );
    assert_eq!(
        c.traversed.get(),
        traversed,
        "gen-0 collections traverse old objects"
    );
    assert_eq!(c.gc.generation_len(2), N);

    // Drop the handle: the chain dies by refcounting (iteratively), nothing left tracked.
    c.decref(c.ptr(0));
    assert_eq!(c.freed.get(), N);
    assert_eq!(c.gc.get_objects(None).unwrap().len(), 0);
}

#[test]
fn ten_million_long_dead_ring_is_collected() {
    let c = Chain::new(N);
    for i in 0..N {
        c.link(i, (i + 1) % N);
    }
    c.track(0..N);
    let t = Instant::now();
    assert_eq!(c.gc.collect(2), Ok(N));
    eprintln!("dead ring 10M, full collection: {:?}", t.elapsed());
    assert_eq!(c.freed.get(), N);
    assert_eq!(c.gc.generation_len(2), 0);
}

#[test]
fn young_collection_cost_is_independent_of_old_generations() {
    // 2000 live young objects with 0 or 3M objects in generation 2.
    let old_n = if cfg!(miri) { 300 } else { 3_000_000 };
    let young_n = if cfg!(miri) { 20 } else { 2000 };
    let mut timings = Vec::new();
    let mut work = Vec::new();
    let rounds: u32 = if cfg!(miri) { 2 } else { 50 };
    for with_old in [false, true] {
        let c = Chain::new(old_n + young_n);
        if with_old {
            for i in 0..old_n {
                c.nodes[i].rc.set(1);
            }
            c.track(0..old_n);
            c.gc.collect(2).unwrap();
        }
        let t = Instant::now();
        let before = (c.refcounts_read.get(), c.traversed.get());
        for _ in 0..rounds {
            // live young objects, re-tracked into generation 0 each round
            for i in old_n..old_n + young_n {
                c.nodes[i].rc.set(1);
                // SAFETY: node i is alive and untracked (collect(0) promoted it; untrack first).
                unsafe {
                    c.gc.untrack(c.ptr(i));
                    c.gc.track(c.ptr(i));
                }
            }
            c.gc.collect(0).unwrap();
        }
        timings.push(t.elapsed() / rounds);
        work.push((
            c.refcounts_read.get() - before.0,
            c.traversed.get() - before.1,
        ));
    }
    eprintln!(
        "gen-0 collection of {young_n}: no old objects {:?}, 3M old objects {:?}",
        timings[0], timings[1]
    );
    // The same work with or without the old generation: each round reads the young objects'
    // refcounts once and traverses them once (subtract_refs; every one of them keeps gc_refs 1,
    // so move_unreachable has no candidate to rescue and skips their traverses), nothing else.
    assert_eq!(work[0], work[1], "gen-0 work depends on the old generation");
    let r = rounds as usize;
    assert_eq!(work[0], (young_n * r, young_n * r));
}

#[test]
fn one_million_dead_pairs_and_live_objects_timings() {
    // Not an assertion on speed (shared machines are noisy): figures for BENCHMARKS.md.
    // CPython 3.11 on the reference machine: 1M two-list cycles ≈ 218 ms, 1M live lists ≈ 28.7 ms.
    let m = if cfg!(miri) { 500 } else { 1_000_000 };
    let c = Chain::new(2 * m);
    for i in 0..m {
        c.link(2 * i, 2 * i + 1);
        c.link(2 * i + 1, 2 * i);
    }
    c.track(0..2 * m);
    let t = Instant::now();
    assert_eq!(c.gc.collect(2), Ok(2 * m));
    eprintln!(
        "1M dead pairs (2M objects) freed by collect(2): {:?}",
        t.elapsed()
    );
    assert_eq!(c.freed.get(), 2 * m);

    let live = Chain::new(m);
    for i in 0..m {
        live.nodes[i].rc.set(1);
    }
    live.track(0..m);
    live.gc.collect(2).unwrap();
    let t = Instant::now();
    for _ in 0..10 {
        live.gc.collect(2).unwrap();
    }
    eprintln!("1M live objects, full collection: {:?}", t.elapsed() / 10);
    for i in 0..m {
        live.decref(live.ptr(i));
    }
}
