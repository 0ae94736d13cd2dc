//! User types that hold their heap (an `Rc<Heap>`) and use it inside `traverse` while a
//! collection runs (issue 9, the gap left after deferred deallocation): allocating and tracking
//! containers, calling `collect`, `freeze`, the introspection walkers, taking new references to
//! the candidates. Only the safe API is used. Each test checks that the collection's answer is
//! right, that the invariant walker is clean, that every user value is dropped exactly once and
//! that everything is freed at the end.

use pyheap_runtime::{Heap, Member, Obj, RuntimeError, UserType, Visitor};
use std::cell::{Cell, RefCell};
use std::rc::Rc;

type R = Result<(), RuntimeError>;

/// What the [`Busy`] values of one test share.
#[derive(Default)]
struct Log {
    /// How many more traverses act (armed right before the collection under test).
    armed: Cell<usize>,
    /// Traverses that acted.
    acted: Cell<usize>,
    /// Strong references the acts took (not reported by any traverse).
    keep: RefCell<Vec<Member>>,
    /// An object the acts work with.
    src: RefCell<Option<Member>>,
    /// Results of nested calls the acts made.
    results: RefCell<Vec<String>>,
    created: Cell<usize>,
    drops: Cell<usize>,
}

/// What an armed traverse does, with the value's heap.
type Act = fn(&Heap, &Busy);

/// A user type holding its heap; an armed traverse runs `act` before reporting `members`.
struct Busy {
    heap: Rc<Heap>,
    log: Rc<Log>,
    act: Act,
    members: RefCell<Vec<Member>>,
}

impl Drop for Busy {
    fn drop(&mut self) {
        self.log.drops.set(self.log.drops.get() + 1);
    }
}

impl UserType for Busy {
    const NAME: &'static str = "Busy";
    fn traverse(&self, v: &mut Visitor<'_>) {
        let armed = self.log.armed.get();
        if armed > 0 {
            self.log.armed.set(armed - 1);
            self.log.acted.set(self.log.acted.get() + 1);
            (self.act)(&self.heap, self);
        }
        if let Ok(ms) = self.members.try_borrow() {
            for m in ms.iter() {
                v.visit(m);
            }
        }
    }
    fn clear(&mut self) {
        self.members.get_mut().clear();
    }
}

fn busy<'h>(heap: &'h Rc<Heap>, log: &Rc<Log>, act: Act) -> Result<Obj<'h>, RuntimeError> {
    log.created.set(log.created.get() + 1);
    let b = Busy {
        heap: heap.clone(),
        log: log.clone(),
        act,
        members: RefCell::new(Vec::new()),
    };
    Ok(heap.new_user(b)?.into_obj())
}

/// A fresh heap with automatic collections off and nothing collectable left.
fn quiet_heap() -> (Rc<Heap>, usize) {
    let heap = Rc::new(Heap::new());
    heap.gc().disable();
    heap.gc().collect(2).unwrap();
    heap.clear_freelists();
    let live = heap.live_objects();
    (heap, live)
}

/// A cycle of two lists nothing else holds.
fn garbage_pair(heap: &Heap) -> R {
    let a = heap.list(&[])?;
    let b = heap.list(&[a.obj()])?;
    a.append(&b)?;
    Ok(())
}

/// Release what the log holds, collect, and check the walker, the drops and the live count.
fn settle(heap: &Rc<Heap>, log: &Rc<Log>, live: usize) {
    log.armed.set(0);
    heap.check().expect("invariant walker clean");
    let kept = std::mem::take(&mut *log.keep.borrow_mut());
    drop(kept);
    let src = log.src.borrow_mut().take();
    drop(src);
    heap.gc().collect(2).unwrap();
    heap.check().expect("invariant walker clean");
    heap.clear_freelists();
    assert_eq!(heap.live_objects(), live, "everything freed");
    assert_eq!(
        log.drops.get(),
        log.created.get(),
        "every user value dropped exactly once"
    );
    assert_eq!(Rc::strong_count(heap), 1, "no value still holds the heap");
}

#[test]
fn a_container_made_in_traverse_is_not_a_candidate() -> R {
    let (heap, live) = quiet_heap();
    let log = Rc::new(Log::default());
    let c = heap.list(&[heap.int(1)?])?; // this handle + `src`: refcount 2
    *log.src.borrow_mut() = Some(Member::new(&c));
    let b = busy(&heap, &log, |heap, me| {
        // A list holding c three times. Examined by this collection, its traverse would take
        // c's gc_refs (2) below zero: a refcount error and an aborted collection.
        let c = me.log.src.borrow().as_ref().unwrap().get(heap).unwrap();
        let n = heap.list(&[c.clone(), c.clone(), c]).unwrap();
        me.log.keep.borrow_mut().push(Member::new(&n));
    })?;
    garbage_pair(&heap)?;
    log.armed.set(1);
    assert_eq!(heap.gc().collect(0), Ok(2), "the garbage pair");
    assert_eq!(log.acted.get(), 1);
    assert_eq!(heap.gc().refcount_errors(), 0);
    assert_eq!(c.as_list()?.len(), 1, "c is referenced: never cleared");
    // Born during the collection: generation 0, not promoted with the survivors.
    let gen0 = heap.gc().get_objects(Some(0)).unwrap();
    assert_eq!(gen0.len(), 1);
    assert_eq!(gen0[0].as_list()?.len(), 3);
    let gen1 = heap.gc().get_objects(Some(1)).unwrap();
    assert!(gen1.iter().any(|o| o.is(&b)) && gen1.iter().any(|o| o.is(&c)));
    drop((gen0, gen1, b, c));
    settle(&heap, &log, live);
    Ok(())
}

#[test]
fn allocating_in_every_traverse_does_not_feed_the_walk() -> R {
    let (heap, live) = quiet_heap();
    let log = Rc::new(Log::default());
    // Each act makes another Busy value, itself armed (the shared counter): if new objects
    // joined the list being walked, each would be traversed and spawn the next one, up to the
    // counter's 1000.
    let b = busy(&heap, &log, spawn)?;
    garbage_pair(&heap)?;
    log.armed.set(1000);
    assert_eq!(heap.gc().collect(0), Ok(2));
    // The one reachable Busy value is traversed twice (subtract_refs, move_unreachable).
    assert_eq!(log.acted.get(), 2);
    assert_eq!(heap.gc().generation_len(0), 2, "the two spawned values");
    log.armed.set(0);
    drop(b);
    settle(&heap, &log, live);
    Ok(())
}

fn spawn(_: &Heap, me: &Busy) {
    me.log.created.set(me.log.created.get() + 1);
    let v = Busy {
        heap: me.heap.clone(),
        log: me.log.clone(),
        act: spawn,
        members: RefCell::new(Vec::new()),
    };
    let o = me.heap.new_user(v).unwrap();
    me.log.keep.borrow_mut().push(Member::new(&o));
}

#[test]
fn freeze_and_unfreeze_in_traverse_are_refused_during_the_phases() -> R {
    for g in 0..3 {
        let (heap, live) = quiet_heap();
        let log = Rc::new(Log::default());
        let b = busy(&heap, &log, |heap, _| {
            // Either would splice the generation lists while the phase keeps gc_refs in them.
            heap.gc().freeze();
            heap.gc().unfreeze();
            heap.gc().freeze();
        })?;
        garbage_pair(&heap)?;
        log.armed.set(usize::MAX);
        assert_eq!(heap.gc().collect(g), Ok(2), "generation {g}");
        assert!(log.acted.get() >= 2);
        assert_eq!(heap.gc().get_freeze_count(), 0);
        assert!(heap.gc().is_tracked(&b));
        log.armed.set(0);
        drop(b);
        settle(&heap, &log, live);
    }
    Ok(())
}

#[test]
fn collect_in_traverse_during_a_collection_returns_zero() -> R {
    let (heap, live) = quiet_heap();
    let log = Rc::new(Log::default());
    let b = busy(&heap, &log, |heap, me| {
        let r = heap.gc().collect(2);
        let e = heap.gc().collect_explained(1).map(|e| e.rows.len());
        me.log.results.borrow_mut().push(format!("{r:?} {e:?}"));
    })?;
    garbage_pair(&heap)?;
    log.armed.set(usize::MAX);
    assert_eq!(heap.gc().collect(1), Ok(2));
    let results = log.results.borrow().clone();
    assert_eq!(results.len(), 2, "subtract_refs and move_unreachable");
    assert!(results.iter().all(|r| r == "Ok(0) Ok(0)"), "{results:?}");
    log.armed.set(0);
    drop(b);
    settle(&heap, &log, live);
    Ok(())
}

#[test]
fn walkers_and_new_references_in_traverse_during_a_collection() -> R {
    let (heap, live) = quiet_heap();
    let log = Rc::new(Log::default());
    let b = busy(&heap, &log, |heap, me| {
        // Take a reference to every candidate (the garbage pair included: resurrected behind
        // the collector's back), and run every walker.
        for o in heap.gc().get_objects(None).unwrap() {
            me.log.keep.borrow_mut().push(Member::new(&o));
            let _ = heap.gc().get_referrers(&[&o]);
            let _ = heap.gc().get_referents(&o);
            let _ = heap.deep_sizeof(&o);
        }
        let check = heap.check().is_err();
        me.log
            .results
            .borrow_mut()
            .push(format!("check refused: {check}"));
    })?;
    garbage_pair(&heap)?;
    log.armed.set(2);
    // What the collection finds is not specified when a traverse takes new references (the
    // pair may be cleared while `keep` holds it); it must stay memory safe and consistent.
    heap.gc().collect(0).unwrap();
    assert!(
        log.results
            .borrow()
            .iter()
            .all(|r| r == "check refused: true")
    );
    heap.check().expect("invariant walker clean");
    drop(b);
    settle(&heap, &log, live);
    Ok(())
}

#[test]
fn objects_made_and_dropped_in_traverse_are_freed_after_the_collection() -> R {
    let (heap, live) = quiet_heap();
    let log = Rc::new(Log::default());
    let b = busy(&heap, &log, |heap, me| {
        // Tracked at birth, dropped at once: freed (untracked) only after the phases.
        let l = heap.list(&[heap.str("x").unwrap().into_obj()]).unwrap();
        let t = heap.tuple(&[l.obj()]).unwrap();
        let d = heap.dict().unwrap();
        d.set(&heap.str("k").unwrap(), &t).unwrap();
        let v = Busy {
            heap: me.heap.clone(),
            log: me.log.clone(),
            act: |_, _| {},
            members: RefCell::new(vec![Member::new(&d)]),
        };
        me.log.created.set(me.log.created.get() + 1);
        drop(heap.new_user(v).unwrap());
    })?;
    for g in [0, 1, 2, 0] {
        garbage_pair(&heap)?;
        log.armed.set(usize::MAX);
        assert_eq!(heap.gc().collect(g), Ok(2));
        log.armed.set(0);
        heap.check().expect("invariant walker clean");
        assert_eq!(log.drops.get(), log.created.get() - 1, "all but b dropped");
    }
    drop(b);
    settle(&heap, &log, live);
    Ok(())
}

#[test]
fn collect_in_traverse_run_by_a_walker() -> R {
    // Outside a collection the walkers (get_referents, deep_sizeof, check) defer deallocation
    // while they run; a traverse there that collects garbage must not loop releasing objects
    // that can only be queued again: they are freed when the walker ends.
    let (heap, live) = quiet_heap();
    let log = Rc::new(Log::default());
    let b = busy(&heap, &log, |heap, me| {
        garbage_pair(heap).unwrap();
        let r = heap.gc().collect(0);
        me.log.results.borrow_mut().push(format!("{r:?}"));
    })?;
    let before = heap.live_objects();
    log.armed.set(1);
    let _ = heap.gc().get_referents(&b);
    log.armed.set(1);
    let _ = heap.deep_sizeof(&b);
    log.armed.set(1);
    heap.check().expect("invariant walker clean");
    assert_eq!(log.acted.get(), 3);
    assert_eq!(*log.results.borrow(), ["Ok(2)", "Ok(2)", "Ok(2)"]);
    assert_eq!(
        heap.live_objects(),
        before,
        "the pairs were freed after each walk"
    );
    drop(b);
    settle(&heap, &log, live);
    Ok(())
}

/// A class's native payload (`ClassSpec::with_native`): its traverse is user code too.
struct Payload {
    log: Rc<Log>,
    members: Vec<Member>,
    taken: RefCell<Vec<Member>>,
}

impl Drop for Payload {
    fn drop(&mut self) {
        self.log.drops.set(self.log.drops.get() + 1);
    }
}

impl UserType for Payload {
    const NAME: &'static str = "Payload";
    fn traverse(&self, v: &mut Visitor<'_>) {
        let armed = self.log.armed.get();
        if armed > 0 {
            self.log.armed.set(armed - 1);
            self.log.acted.set(self.log.acted.get() + 1);
            // Drop the last reference to what the payload held (reported last time), then
            // panic: neither may reach the collection running this traverse.
            let gone = std::mem::take(&mut *self.taken.borrow_mut());
            drop(gone);
            panic!("payload traverse panics");
        }
        for m in self.members.iter().chain(self.taken.borrow().iter()) {
            v.visit(m);
        }
    }
    fn clear(&mut self) {
        self.members.clear();
        self.taken.get_mut().clear();
    }
}

#[test]
fn a_native_payload_traverse_that_frees_and_panics() -> R {
    let (heap, live) = quiet_heap();
    let log = Rc::new(Log::default());
    let reports = Rc::new(RefCell::new(Vec::new()));
    let r2 = reports.clone();
    heap.set_unraisable_hook(Some(Rc::new(move |msg: &str| {
        r2.borrow_mut().push(msg.to_string())
    })));
    let l2 = log.clone();
    let cls = heap.new_class(pyheap_runtime::ClassSpec::new("Node").with_native(move || {
        l2.created.set(l2.created.get() + 1);
        Payload {
            log: l2.clone(),
            members: Vec::new(),
            taken: RefCell::new(Vec::new()),
        }
    }))?;
    let x = cls.instantiate()?;
    for i in 0..3 {
        let l = heap.list(&[heap.int(i)?])?; // only the payload holds it
        x.native::<Payload>()?
            .taken
            .borrow_mut()
            .push(Member::new(&l));
    }
    garbage_pair(&heap)?;
    log.armed.set(1);
    assert_eq!(heap.gc().collect(0), Ok(2));
    assert_eq!(log.acted.get(), 1);
    assert!(x.native::<Payload>()?.taken.borrow().is_empty());
    let reports = reports.borrow().clone();
    assert_eq!(reports.len(), 1, "{reports:?}");
    assert!(
        reports[0].contains("payload traverse panics"),
        "{reports:?}"
    );
    heap.set_unraisable_hook(None);
    drop((x, cls));
    settle(&heap, &log, live);
    Ok(())
}
