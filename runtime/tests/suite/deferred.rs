//! Deferred deallocation (issue 9, items 1 and 5): a user `traverse` that drops the last
//! reference to an object, during a collection or during an introspection walk, must not free
//! it under the walker. Each test checks afterwards that the invariant walker is clean, that
//! every user value was dropped exactly once, and that nothing is left alive.

use pyheap_runtime::{Heap, Member, Obj, RuntimeError, UserType, Visitor};
use std::cell::{Cell, RefCell};
use std::rc::Rc;

type R = Result<(), RuntimeError>;

/// When a [`Dropper`]'s traverse releases the member it reports.
#[derive(Clone, Copy, PartialEq)]
enum When {
    /// Report it, then drop it (the walker has already seen the pointer).
    AfterVisit,
    /// Drop it without reporting it.
    InsteadOfVisit,
}

/// A hostile user type: every traverse drops (at most) one of its `refs`; `keep` is always
/// reported and never dropped by traverse.
struct Dropper {
    drops: Rc<Cell<usize>>,
    refs: RefCell<Vec<Member>>,
    keep: RefCell<Vec<Member>>,
    when: When,
}
impl Drop for Dropper {
    fn drop(&mut self) {
        self.drops.set(self.drops.get() + 1);
    }
}
impl UserType for Dropper {
    const NAME: &'static str = "Dropper";
    fn traverse(&self, v: &mut Visitor<'_>) {
        let last = self.refs.borrow_mut().pop();
        if let Some(m) = last {
            if self.when == When::AfterVisit {
                v.visit(&m);
            }
            drop(m); // may be the last reference
        }
        for m in self.refs.borrow().iter().chain(self.keep.borrow().iter()) {
            v.visit(m);
        }
    }
    fn clear(&mut self) {
        self.refs.get_mut().clear();
        self.keep.get_mut().clear();
    }
}

/// A plain user type with a drop counter.
struct Leaf {
    drops: Rc<Cell<usize>>,
}
impl Drop for Leaf {
    fn drop(&mut self) {
        self.drops.set(self.drops.get() + 1);
    }
}
impl UserType for Leaf {
    const NAME: &'static str = "Leaf";
    fn traverse(&self, _: &mut Visitor<'_>) {}
    fn clear(&mut self) {}
}

/// `n` droppers, each the only holder of a fresh list (holding a leaf and a str) and of a leaf;
/// returns (droppers, number of user values created).
fn droppers<'h>(
    heap: &'h Heap,
    drops: &Rc<Cell<usize>>,
    n: usize,
    when: When,
) -> Result<(Vec<Obj<'h>>, usize), RuntimeError> {
    let mut out = Vec::new();
    let mut created = 0;
    for i in 0..n {
        let leaf = heap.new_user(Leaf {
            drops: drops.clone(),
        })?;
        let inner_leaf = heap.new_user(Leaf {
            drops: drops.clone(),
        })?;
        let list = heap.list(&[inner_leaf.obj(), heap.str(&format!("s{i}"))?.into_obj()])?;
        let d = heap.new_user(Dropper {
            drops: drops.clone(),
            refs: RefCell::new(vec![Member::new(&leaf), Member::new(&list)]),
            keep: RefCell::new(Vec::new()),
            when,
        })?;
        created += 3;
        out.push(d.into_obj());
    }
    Ok((out, created))
}

fn settle(heap: &Heap, live_before: usize) {
    heap.check().expect("invariant walker clean");
    heap.gc().collect(2).unwrap();
    heap.check().expect("invariant walker clean");
    heap.clear_freelists();
    assert_eq!(heap.live_objects(), live_before, "everything freed");
}

fn collect_while_traverse_drops(when: When, generation: i64) -> R {
    let heap = Heap::new();
    heap.gc().disable(); // only the collections the test asks for
    heap.gc().collect(2).unwrap();
    heap.clear_freelists();
    let live = heap.live_objects();
    let drops = Rc::new(Cell::new(0));
    let (ds, created) = droppers(&heap, &drops, 200, when)?;
    // Several collections: each traverse of each dropper drops one member.
    for _ in 0..4 {
        heap.gc().collect(generation).unwrap();
        heap.check().expect("invariant walker clean");
    }
    assert!(ds.iter().all(|d| d.type_name() == "Dropper"));
    drop(ds);
    settle(&heap, live);
    assert_eq!(
        drops.get(),
        created,
        "every user value dropped exactly once"
    );
    Ok(())
}

#[test]
fn traverse_drops_member_after_visit_during_young_collection() -> R {
    collect_while_traverse_drops(When::AfterVisit, 0)
}

#[test]
fn traverse_drops_member_after_visit_during_full_collection() -> R {
    collect_while_traverse_drops(When::AfterVisit, 2)
}

#[test]
fn traverse_drops_unreported_member_during_collection() -> R {
    collect_while_traverse_drops(When::InsteadOfVisit, 2)
}

#[test]
fn traverse_drops_member_of_cyclic_garbage() -> R {
    // The droppers are garbage in a cycle: the collector's own phases and the deferred frees
    // interleave (what a traverse drops must wait while the cycle is being worked on).
    let heap = Heap::new();
    heap.gc().disable(); // only the collections the test asks for
    heap.gc().collect(2).unwrap();
    heap.clear_freelists();
    let live = heap.live_objects();
    let drops = Rc::new(Cell::new(0));
    let (ds, created) = droppers(&heap, &drops, 50, When::AfterVisit)?;
    for w in ds.windows(2) {
        let d = w[0].as_user::<Dropper>()?;
        d.borrow()?.keep.borrow_mut().push(Member::new(&w[1]));
    }
    let last = ds.last().unwrap().as_user::<Dropper>()?;
    last.borrow()?.keep.borrow_mut().push(Member::new(&ds[0]));
    drop(ds);
    assert_eq!(drops.get(), 0, "the ring keeps everything alive");
    heap.gc().collect(2).unwrap();
    heap.check().expect("invariant walker clean");
    settle(&heap, live);
    assert_eq!(
        drops.get(),
        created,
        "every user value dropped exactly once"
    );
    Ok(())
}

#[test]
fn get_referents_keeps_what_traverse_dropped() -> R {
    let heap = Heap::new();
    heap.gc().disable(); // only the collections the test asks for
    let live = heap.live_objects();
    let drops = Rc::new(Cell::new(0));
    let (ds, created) = droppers(&heap, &drops, 1, When::AfterVisit)?;
    // The list is reported first and dropped by the same traverse: the handle must be valid.
    let refs = heap.gc().get_referents(&ds[0]);
    assert_eq!(refs.len(), 2);
    let list = refs.iter().find(|o| o.type_name() == "list").expect("list");
    assert_eq!(list.as_list()?.len(), 2);
    assert_eq!(heap.getrefcount(list), 2, "only our handle holds it now");
    assert_eq!(drops.get(), 0);
    drop(refs);
    assert_eq!(drops.get(), 1, "the inner leaf died with the list");
    heap.check().expect("invariant walker clean");
    drop(ds);
    settle(&heap, live);
    assert_eq!(drops.get(), created);
    Ok(())
}

#[test]
fn get_referrers_survives_traverse_freeing_later_objects() -> R {
    let heap = Heap::new();
    heap.gc().disable(); // only the collections the test asks for
    let live = heap.live_objects();
    let drops = Rc::new(Cell::new(0));
    let (ds, created) = droppers(&heap, &drops, 100, When::AfterVisit)?;
    let target = heap.str("target")?;
    let holder = heap.list(&[target.obj()])?;
    for _ in 0..3 {
        let who = heap.gc().get_referrers(&[&target]);
        assert_eq!(who.len(), 1);
        assert!(who[0].is(&holder));
        heap.check().expect("invariant walker clean");
    }
    drop((ds, holder, target));
    settle(&heap, live);
    assert_eq!(drops.get(), created);
    Ok(())
}

#[test]
fn deep_sizeof_survives_traverse_freeing_what_it_reported() -> R {
    let heap = Heap::new();
    heap.gc().disable(); // only the collections the test asks for
    let live = heap.live_objects();
    let drops = Rc::new(Cell::new(0));
    let (ds, created) = droppers(&heap, &drops, 1, When::AfterVisit)?;
    let top = heap.list(&[ds[0].clone()])?;
    // Flat sizes of what the dropper holds, measured on look-alikes.
    let leaf = heap.new_user(Leaf {
        drops: Rc::new(Cell::new(0)),
    })?;
    let s0 = heap.str("s0")?;
    let pair = heap.list(&[leaf.obj(), s0.obj()])?;
    let expected = heap.sizeof(&top)
        + heap.sizeof(&ds[0])
        + 2 * heap.sizeof(&leaf)
        + heap.sizeof(&pair)
        + heap.sizeof(&s0);
    drop((pair, s0, leaf));
    let first = heap.deep_sizeof(&top);
    // The walk reported the list the dropper gave up: it and its items were counted, and freed
    // only after the walk.
    assert_eq!(first, expected);
    let second = heap.deep_sizeof(&top);
    assert!(
        second < first,
        "the dropped list and its items are gone: {second} < {first}"
    );
    heap.check().expect("invariant walker clean");
    drop((ds, top));
    settle(&heap, live);
    assert_eq!(drops.get(), created);
    Ok(())
}

#[test]
fn invariant_walker_survives_traverse_freeing_tracked_objects() -> R {
    let heap = Heap::new();
    heap.gc().disable(); // only the collections the test asks for
    let live = heap.live_objects();
    let drops = Rc::new(Cell::new(0));
    let (ds, created) = droppers(&heap, &drops, 100, When::AfterVisit)?;
    for _ in 0..3 {
        heap.check().expect("invariant walker clean");
    }
    drop(ds);
    settle(&heap, live);
    assert_eq!(drops.get(), created);
    Ok(())
}
