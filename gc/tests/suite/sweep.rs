//! Phase 10's sweep (collect.rs, "The sweep") against the mock model: the same garbage freed as
//! by `clear` and reference counting, without a single `clear`; an object a traverse wrongly
//! reported as garbage survives (emptied) instead of being freed under its holder; deaths the
//! sweep causes outside the garbage wait until the garbage is freed; the sweep stays off where
//! its conditions fail (a finalizer among the garbage, DEBUG_SAVEALL, a younger collection).

use crate::common;
use common::*;
use pyheap_gc::*;
use std::rc::Rc;

fn world(sweep: bool) -> Rc<World> {
    let w = World::new();
    w.gc.disable();
    w.sweep.set(sweep);
    w
}

/// Pairs, a ring of 5, a self-loop and a chain hanging off a pair: 2k + 5 + 1 + 3 objects of
/// garbage, plus one live pair held by `root` (returned; the caller drops it).
fn build(w: &World, pairs: usize) -> (NodePtr, usize) {
    let mut garbage = 0;
    for _ in 0..pairs {
        let (a, b) = (w.plain(), w.plain());
        w.link(a, b);
        w.link(b, a);
        w.dec(a);
        w.dec(b);
        garbage += 2;
    }
    let ring: Vec<_> = (0..5).map(|_| w.plain()).collect();
    for i in 0..5 {
        w.link(ring[i], ring[(i + 1) % 5]);
    }
    // A chain of three hanging off the ring: garbage only through the ring.
    let mut prev = ring[0];
    for _ in 0..3 {
        let c = w.plain();
        w.link(prev, c);
        w.dec(c);
        prev = c;
    }
    for p in ring {
        w.dec(p);
    }
    garbage += 8;
    let s = w.plain();
    w.link(s, s);
    w.dec(s);
    garbage += 1;
    let root = w.plain();
    let (x, y) = (w.plain(), w.plain());
    w.link(root, x);
    w.link(x, y);
    w.link(y, x);
    w.dec(x);
    w.dec(y);
    (root, garbage)
}

#[test]
fn sweep_frees_what_clear_frees_without_clearing() {
    let (on, off) = (world(true), world(false));
    let (r_on, n_on) = build(&on, 100);
    let (r_off, n_off) = build(&off, 100);
    assert_eq!(on.collect(2), n_on);
    assert_eq!(off.collect(2), n_off);
    assert_eq!(on.live.get(), off.live.get());
    assert_eq!(on.live.get(), 3, "the live pair and its root stay");
    assert_eq!(on.gc.get_count(), off.gc.get_count());
    assert_eq!(on.gc.generation_len(2), off.gc.generation_len(2));
    assert!(on.cleared.borrow().is_empty(), "the sweep calls no clear");
    assert_eq!(on.swept.borrow().len(), n_on);
    assert!(off.swept.borrow().is_empty());
    assert!(!off.cleared.borrow().is_empty());
    on.dec(r_on);
    off.dec(r_off);
    assert_eq!(on.collect(2), 2);
    assert_eq!(off.collect(2), 2);
    assert_eq!((on.live.get(), off.live.get()), (0, 0));
}

#[test]
fn an_object_wrongly_reported_as_garbage_survives_the_sweep_emptied() {
    // x is held from outside (refcount 2: a root's reference the mock's traverse does not see
    // because y over-reports its edge to x): gc_refs lands on 0, so x and y look like a dead
    // pair. The sweep must not free x under its holder.
    let w = world(true);
    let (x, y) = (w.plain(), w.plain());
    w.link(x, y);
    w.link(y, x);
    w.dec(y); // y: held by x only
    n(y).overreport.set(1); // x: refcount 2 (the test's own + y's), reported 2
    let (xid, yid) = (n(x).id, n(y).id);
    assert_eq!(w.collect(2), 2, "both are found unreachable");
    assert!(!w.is_freed(xid), "x is still held: it survived");
    assert!(w.is_freed(yid), "y was held by x only");
    assert!(
        w.edges(x).is_empty(),
        "emptied, as clear would have left it"
    );
    assert_eq!(w.rc(x), 1);
    assert!(w.tracked(x));
    assert_eq!(w.gc.generation_len(2), 1, "moved to the oldest generation");
    w.dec(x);
    assert!(w.is_freed(xid));
    assert_eq!(w.live.get(), 0);
}

#[test]
fn deaths_outside_the_garbage_wait_until_it_is_freed() {
    // e is untracked (no candidate) and held only by the garbage pair: its death, with its
    // finalizer, runs after the sweep freed the pair.
    let w = world(true);
    let seen = Rc::new(std::cell::Cell::new(usize::MAX));
    let s2 = seen.clone();
    let e = w.with_fin(move |w, _| s2.set(w.live.get()));
    // SAFETY: e is alive and tracked; the mock tolerates untracked nodes.
    unsafe { w.gc.untrack(gc(e)) };
    let (a, b) = (w.plain(), w.plain());
    w.link(a, b);
    w.link(b, a);
    w.link(b, e);
    w.dec(e);
    w.dec(a);
    w.dec(b);
    assert_eq!(w.collect(2), 2);
    assert_eq!(w.swept.borrow().len(), 2);
    assert_eq!(
        seen.get(),
        1,
        "the finalizer ran with only itself left alive"
    );
    assert_eq!(w.live.get(), 0);
}

#[test]
fn the_sweep_stays_off_where_its_conditions_fail() {
    // A finalizer among the garbage: CPython's phases, every object cleared or finalized.
    let w = world(true);
    let (a, b) = (w.with_fin(|_, _| {}), w.plain());
    w.link(a, b);
    w.link(b, a);
    w.dec(a);
    w.dec(b);
    assert_eq!(w.collect(2), 2);
    assert!(w.swept.borrow().is_empty());
    assert!(!w.cleared.borrow().is_empty());

    // DEBUG_SAVEALL keeps the garbage in gc.garbage.
    let w = world(true);
    w.gc.set_debug(DEBUG_SAVEALL);
    let (a, b) = (w.plain(), w.plain());
    w.link(a, b);
    w.link(b, a);
    w.dec(a);
    w.dec(b);
    assert_eq!(w.collect(2), 2);
    assert!(w.swept.borrow().is_empty());
    assert_eq!(w.gc.garbage_len(), 2);
    w.gc.set_debug(0);
    w.gc.clear_garbage();

    // A younger collection: objects of older generations are not candidates.
    let w = world(true);
    let (a, b) = (w.plain(), w.plain());
    w.link(a, b);
    w.link(b, a);
    w.dec(a);
    w.dec(b);
    assert_eq!(w.collect(0), 2);
    assert!(w.swept.borrow().is_empty());

    // Switched off on the collector.
    let w = world(true);
    w.gc.set_sweep_garbage(false);
    let (a, b) = (w.plain(), w.plain());
    w.link(a, b);
    w.link(b, a);
    w.dec(a);
    w.dec(b);
    assert_eq!(w.collect(2), 2);
    assert!(w.swept.borrow().is_empty());
}
