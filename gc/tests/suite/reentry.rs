//! User code inside `traverse` reaching the collector (issue 9): a model whose traverse runs
//! user code (a user type holding its heap) can allocate and track objects, call `collect`,
//! `freeze` or the walkers while a collection keeps gc_refs in the generation lists, and can
//! free objects while a walker outside a collection holds their heads.
//!
//! The mock's `on_traverse` hook plays that user code. Each test would crash, read freed memory
//! (Miri) or get a wrong answer on a collector that links new objects into the list being
//! walked, lets `freeze` splice it, or walks heads it does not hold.

use crate::common;

use common::{Hook, NodePtr, World, gc, n};
use std::cell::Cell;
use std::rc::Rc;

/// Run `f` once, on the first traverse that happens during a collection.
fn once_in_collection(f: impl Fn(&World, NodePtr) + 'static) -> Hook {
    let done = Cell::new(false);
    Rc::new(move |w: &World, p| {
        if w.gc.is_collecting() && !done.replace(true) {
            f(w, p)
        }
    })
}

/// A cycle of two plain nodes that nothing else holds.
fn garbage_pair(w: &World) -> (usize, usize) {
    let (a, b) = (w.plain(), w.plain());
    w.link(a, b);
    w.link(b, a);
    let ids = (n(a).id, n(b).id);
    w.dec(a);
    w.dec(b);
    ids
}

#[test]
fn objects_tracked_in_a_traverse_wait_for_the_phases_to_end() {
    let w = World::new();
    let c = w.plain(); // held by this test only: refcount 1
    *w.on_traverse.borrow_mut() = Some(once_in_collection(move |w, _| {
        // A new container holding `c` three times, kept alive by `survivors`. If it joined
        // the generation being collected, subtract_refs would take c's gc_refs (1) below 0.
        let x = w.plain();
        for _ in 0..3 {
            w.link(x, c);
        }
        w.survivors.borrow_mut().push(x);
    }));
    let (a, b) = garbage_pair(&w);
    assert_eq!(w.collect(0), 2, "the garbage pair, and nothing else");
    assert_eq!(w.gc.refcount_errors(), 0);
    assert!(w.is_freed(a) && w.is_freed(b));
    assert!(!w.was_cleared(n(c).id), "c is referenced: never cleared");
    let x = w.survivors.borrow()[0];
    assert_eq!(w.rc(c), 4);
    // Born during the collection: in generation 0, not promoted with the survivors.
    assert_eq!(w.gc.get_objects(Some(0)).unwrap(), vec![gc(x)]);
    assert_eq!(w.gc.get_objects(Some(1)).unwrap(), vec![gc(c)]);
    w.gc.check_invariants().unwrap();
    *w.on_traverse.borrow_mut() = None;
    w.clear_survivors();
    w.dec(c);
    assert_eq!(w.live.get(), 0);
}

#[test]
fn tracking_in_every_traverse_does_not_feed_the_walk() {
    let w = World::new();
    let keep = w.plain();
    let made = Rc::new(Cell::new(0));
    let m = made.clone();
    // Every traverse during the collection allocates. Linked into generation 0 — the list a
    // collection of generation 0 walks — each new object would be traversed in turn and
    // allocate again (the cap stops that endless walk).
    *w.on_traverse.borrow_mut() = Some(Rc::new(move |w: &World, _| {
        if w.gc.is_collecting() && m.get() < 1000 {
            m.set(m.get() + 1);
            let x = w.plain();
            w.survivors.borrow_mut().push(x);
        }
    }));
    garbage_pair(&w);
    assert_eq!(w.collect(0), 2);
    // subtract_refs traverses the three candidates, move_unreachable the reachable one.
    assert_eq!(made.get(), 4);
    assert_eq!(
        w.gc.generation_len(0),
        4,
        "the new objects, in generation 0"
    );
    assert_eq!(w.gc.get_objects(Some(1)).unwrap(), vec![gc(keep)]);
    *w.on_traverse.borrow_mut() = None;
    w.clear_survivors();
    w.dec(keep);
    assert_eq!(w.live.get(), 0);
}

#[test]
fn freeze_and_unfreeze_in_a_traverse_are_refused() {
    for g in 0..3 {
        let w = World::new();
        let keep = w.plain();
        let calls = Rc::new(Cell::new(0));
        let c2 = calls.clone();
        *w.on_traverse.borrow_mut() = Some(Rc::new(move |w: &World, _| {
            if w.gc.is_collecting() {
                c2.set(c2.get() + 1);
                // Either would splice the lists the phase walks with gc_refs in their links.
                w.gc.freeze();
                w.gc.unfreeze();
                w.gc.freeze();
            }
        }));
        let (a, b) = garbage_pair(&w);
        assert_eq!(w.collect(g), 2, "generation {g}");
        assert!(calls.get() >= 3);
        assert!(w.is_freed(a) && w.is_freed(b));
        assert_eq!(w.gc.get_freeze_count(), 0, "refused during the phases");
        assert!(w.tracked(keep));
        *w.on_traverse.borrow_mut() = None;
        // Outside a collection they work.
        w.gc.freeze();
        assert_eq!(w.gc.get_freeze_count(), 1);
        w.gc.unfreeze();
        w.dec(keep);
        assert_eq!(w.live.get(), 0);
    }
}

#[test]
fn collect_in_a_traverse_returns_zero() {
    let w = World::new();
    let results = Rc::new(std::cell::RefCell::new(Vec::new()));
    let r2 = results.clone();
    *w.on_traverse.borrow_mut() = Some(Rc::new(move |w: &World, _| {
        if w.gc.is_collecting() {
            r2.borrow_mut().push(w.gc.collect(2));
            r2.borrow_mut()
                .push(w.gc.collect_explained(0).map(|e| e.rows.len()));
        }
    }));
    garbage_pair(&w);
    assert_eq!(w.collect(1), 2);
    let results = results.borrow();
    assert!(!results.is_empty());
    assert!(results.iter().all(|r| *r == Ok(0)), "{results:?}");
    assert_eq!(w.live.get(), 0);
}

/// The abort: a model that frees (untracks) a candidate during the reachability phases breaks
/// the contract; the collector stops the process with a message instead of corrupting lists.
/// The scenario runs in a child process (this test binary, filtered to this test).
#[test]
fn untrack_in_a_traverse_during_a_collection_aborts() {
    const CHILD: &str = "PYHEAP_GC_TEST_ABORT_CHILD";
    if std::env::var_os(CHILD).is_some() {
        let w = World::new();
        let victim = w.plain(); // held by the test; dropped (freed, untracked) in a traverse
        *w.on_traverse.borrow_mut() = Some(once_in_collection(move |w, _| w.dec(victim)));
        garbage_pair(&w);
        let _ = w.gc.collect(0);
        unreachable!("the collector must abort before this");
    }
    if cfg!(miri) {
        return; // Miri cannot spawn processes; the parent half only checks the child's exit
    }
    let out = std::process::Command::new(std::env::current_exe().unwrap())
        .args([
            "--exact",
            "reentry::untrack_in_a_traverse_during_a_collection_aborts",
            "--test-threads=1",
            "--nocapture", // the message must reach the real stderr before the abort
        ])
        .env(CHILD, "1")
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success(), "the child must not succeed");
    assert!(
        stderr.contains("untracked while a collection's reachability phases ran"),
        "{stderr}"
    );
    #[cfg(unix)]
    {
        use std::os::unix::process::ExitStatusExt;
        assert_eq!(out.status.signal(), Some(6), "SIGABRT");
    }
}

/// A traverse run by `get_referrers` drops the last reference to the object it traverses: the
/// walk holds every object it visits, so nothing is freed under it.
#[test]
fn get_referrers_holds_what_it_walks() {
    let w = World::new();
    let target = w.plain();
    let (a, b) = (w.plain(), w.plain());
    w.link(a, target);
    w.link(b, target);
    let a_id = n(a).id;
    // `a` is held only by this test's reference, which the hook gives up in a's own traverse.
    let fired = Rc::new(Cell::new(false));
    let f2 = fired.clone();
    *w.on_traverse.borrow_mut() = Some(Rc::new(move |w: &World, p| {
        if p == a && !f2.replace(true) {
            w.dec(a);
        }
    }));
    let found = w.gc.get_referrers(&[gc(target)]);
    assert!(fired.get());
    assert!(w.is_freed(a_id), "released once the walk is over");
    // `a` referred to the target when it was traversed; its head is reported (dangling now:
    // the documented contract of the raw walker), `b` too.
    assert_eq!(found.len(), 2);
    assert!(found.contains(&gc(b)));
    *w.on_traverse.borrow_mut() = None;
    w.dec(b);
    w.dec(target);
    assert_eq!(w.live.get(), 0);
}

/// The same for the replay of `collect_explained`, which runs outside a collection.
#[test]
fn collect_explained_holds_what_it_replays() {
    let w = World::new();
    let (a, b) = garbage_pair(&w);
    let lone = w.plain();
    let lone_id = n(lone).id;
    let fired = Rc::new(Cell::new(false));
    let f2 = fired.clone();
    *w.on_traverse.borrow_mut() = Some(Rc::new(move |w: &World, p| {
        if p == lone && !w.gc.is_collecting() && !f2.replace(true) {
            w.dec(lone);
        }
    }));
    let ex = w.gc.collect_explained(0).unwrap();
    assert!(fired.get());
    assert_eq!(ex.rows.len(), 3);
    assert_eq!(ex.collected, 2);
    assert!(w.is_freed(a) && w.is_freed(b) && w.is_freed(lone_id));
    let lone_row = ex.rows.iter().find(|r| r.refcount == 1 && !r.unreachable);
    assert!(
        lone_row.is_some_and(|r| r.freed),
        "freed by refcounting, not garbage"
    );
    w.gc.check_invariants().unwrap();
    assert_eq!(w.live.get(), 0);
}

/// A full collection folds phases 2 and 3 into one walk that initialises each object's gc_refs
/// when it first meets it, as walked object or as referent. A traverse that tracks a new object
/// and stores it in the object being traversed makes the walk meet an object that is tracked but
/// not a candidate (it waits on the nursery). That object must come out of the collection
/// untouched: in generation 0, linked both ways, no COLLECTING bit (check_invariants checks
/// both) — and alive.
#[test]
fn object_tracked_and_stored_in_a_traverse_of_a_full_collection_is_left_intact() {
    for fold in [true, false] {
        let w = World::new();
        w.gc.set_fold_update_refs(fold);
        let holder = w.plain(); // kept by this test
        let made = Rc::new(Cell::new(None));
        let m = made.clone();
        *w.on_traverse.borrow_mut() = Some(Rc::new(move |w: &World, p| {
            if w.gc.is_collecting() && p == holder && m.get().is_none() {
                let x = w.plain();
                w.link(holder, x); // the traverse running now reports x
                w.dec(x); // holder's edge is its only reference
                m.set(Some(x));
            }
        }));
        let (a, b) = garbage_pair(&w);
        assert_eq!(w.collect(2), 2, "the garbage pair only (fold {fold})");
        assert_eq!(w.gc.refcount_errors(), 0);
        assert!(w.is_freed(a) && w.is_freed(b));
        let x = made.get().expect("the hook ran");
        w.gc.check_invariants().unwrap();
        assert_eq!(w.gc.get_objects(Some(0)).unwrap(), vec![gc(x)]);
        *w.on_traverse.borrow_mut() = None;
        // The next full collection examines x as a candidate like any other.
        assert_eq!(w.collect(2), 0);
        assert_eq!(w.rc(x), 1);
        w.dec(holder);
        assert_eq!(
            w.live.get(),
            0,
            "holder and x freed by refcounting (fold {fold})"
        );
    }
}
