//! User Rust types (drop counters, borrows) and the collector wired to the heap.

use pyheap_runtime::{
    ClassSpec, Heap, HeapInvariantError, Member, Obj, RuntimeError, UserType, Visitor,
};
use std::cell::{Cell, RefCell};
use std::rc::Rc;

type R = Result<(), RuntimeError>;

struct Counted {
    drops: Rc<Cell<usize>>,
    refs: Vec<Member>,
}
impl Drop for Counted {
    fn drop(&mut self) {
        self.drops.set(self.drops.get() + 1);
    }
}
impl UserType for Counted {
    const NAME: &'static str = "Counted";
    fn traverse(&self, v: &mut Visitor<'_>) {
        for m in &self.refs {
            v.visit(m);
        }
    }
    fn clear(&mut self) {
        self.refs.clear();
    }
}

fn counted<'h>(heap: &'h Heap, drops: &Rc<Cell<usize>>) -> pyheap_runtime::User<'h, Counted> {
    heap.new_user(Counted {
        drops: drops.clone(),
        refs: vec![],
    })
    .unwrap()
}

#[test]
fn user_values_dropped_exactly_once() -> R {
    let heap = Heap::new();
    let drops = Rc::new(Cell::new(0));
    let a = counted(&heap, &drops);
    let b = counted(&heap, &drops);
    a.borrow_mut()?.refs.push(Member::new(&b));
    let l = heap.list(&[a.obj(), b.obj(), a.obj()])?;
    drop((a, b));
    assert_eq!(drops.get(), 0);
    drop(l);
    assert_eq!(drops.get(), 2);
    Ok(())
}

#[test]
fn borrow_flags() -> R {
    let heap = Heap::new();
    let drops = Rc::new(Cell::new(0));
    let a = counted(&heap, &drops);
    {
        let r1 = a.borrow()?;
        let _r2 = a.borrow()?;
        assert!(matches!(a.borrow_mut(), Err(RuntimeError::Borrowed { .. })));
        assert_eq!(r1.refs.len(), 0);
    }
    let m = a.borrow_mut()?;
    assert!(matches!(a.borrow(), Err(RuntimeError::Borrowed { .. })));
    drop(m);
    let o: Obj = a.obj();
    assert!(o.as_user::<Counted>().is_ok());
    assert!(o.as_list().is_err());
    assert_eq!(o.type_name(), "Counted");
    Ok(())
}

#[test]
fn collector_frees_cycles_of_every_kind() -> R {
    let heap = Heap::new();
    let gc = heap.gc();
    gc.collect(2).unwrap();
    let live = heap.live_objects();
    let drops = Rc::new(Cell::new(0));
    {
        // list self-cycle
        let l = heap.list(&[])?;
        l.append(&l)?;
        // dict <-> instance
        let cls = heap.new_class(ClassSpec::new("A"))?;
        cls.setattr("me", &cls)?; // A.a = A
        let x = cls.instantiate()?;
        let d = heap.dict()?;
        d.set(&heap.str("x")?, &x)?;
        x.setattr("d", &d)?;
        // user type cycle
        let u1 = counted(&heap, &drops);
        let u2 = counted(&heap, &drops);
        u1.borrow_mut()?.refs.push(Member::new(&u2));
        u2.borrow_mut()?.refs.push(Member::new(&u1));
        // cell cycle
        let c = heap.cell(None)?;
        c.set(Some(&c.obj()))?;
    }
    assert!(heap.live_objects() > live);
    let n = gc.collect(2).unwrap();
    assert_eq!(n, 7, "list, class, instance, dict, 2 user objects, cell");
    assert_eq!(heap.live_objects(), live);
    assert_eq!(drops.get(), 2);
    Ok(())
}

#[test]
fn gc_runs_del_once_and_weakref_callbacks() -> R {
    let heap = Heap::new();
    let dels = Rc::new(Cell::new(0));
    let cbs = Rc::new(Cell::new(0));
    let d2 = dels.clone();
    let cls = heap.new_class(ClassSpec::new("F").with_del(move |_, _| d2.set(d2.get() + 1)))?;
    let c2 = cbs.clone();
    let wr = {
        let a = cls.instantiate()?;
        let b = cls.instantiate()?;
        a.setattr("b", &b)?;
        b.setattr("a", &a)?;
        heap.weakref(&a, Some(Heap::obj_fn(move |_, _| c2.set(c2.get() + 1))))?
    };
    assert!(wr.get().is_some());
    heap.gc().collect(2).unwrap();
    assert_eq!(dels.get(), 2);
    assert_eq!(cbs.get(), 1);
    assert!(wr.get().is_none());
    Ok(())
}

#[test]
fn legacy_del_makes_cycles_uncollectable() -> R {
    let heap = Heap::new();
    let cls = heap.new_class(ClassSpec::new("L").with_legacy_del(|_, _| {}))?;
    {
        let a = cls.instantiate()?;
        a.setattr("self", &a)?;
    }
    heap.gc().collect(2).unwrap();
    assert_eq!(heap.gc().garbage_len(), 1);
    Ok(())
}

#[test]
fn mutably_borrowed_user_object_is_opaque_to_the_collector() -> R {
    let heap = Heap::new();
    let drops = Rc::new(Cell::new(0));
    let u1 = counted(&heap, &drops);
    let u2 = counted(&heap, &drops);
    u1.borrow_mut()?.refs.push(Member::new(&u2));
    u2.borrow_mut()?.refs.push(Member::new(&u1));
    let guard = u1.borrow_mut()?;
    let probe = u2.clone();
    drop(u2);
    heap.gc().collect(2).unwrap();
    assert_eq!(drops.get(), 0, "nothing freed while borrowed");
    drop(guard);
    drop((u1, probe));
    heap.gc().collect(2).unwrap();
    assert_eq!(drops.get(), 2);
    Ok(())
}

#[test]
fn tuples_of_atoms_get_untracked_and_dicts_on_full_collections() -> R {
    let heap = Heap::new();
    let gc = heap.gc();
    let t = heap.tuple(&[heap.int(1)?, heap.str("a")?.into_obj()])?;
    let d = heap.dict()?;
    let l = heap.list(&[])?;
    d.set(&heap.int(1)?, &l)?;
    assert!(gc.is_tracked(&t) && gc.is_tracked(&d));
    d.set(&heap.int(1)?, &heap.int(2)?)?;
    gc.collect(0).unwrap();
    assert!(!gc.is_tracked(&t));
    assert!(gc.is_tracked(&d), "only full collections untrack dicts");
    gc.collect(2).unwrap();
    assert!(!gc.is_tracked(&d));
    d.set(&heap.int(3)?, &l)?;
    assert!(gc.is_tracked(&d), "re-tracked");
    Ok(())
}

#[test]
fn heap_drop_with_escaped_member_leaks_soundly() {
    let escaped: Rc<RefCell<Option<Member>>> = Default::default();
    {
        let heap = Heap::new();
        let l = heap.list(&[heap.int(5000).unwrap()]).unwrap();
        *escaped.borrow_mut() = Some(Member::new(&l));
    }
    // The heap leaked its memory: dropping the member afterwards is still sound.
    escaped.borrow_mut().take();
}

#[test]
fn heap_drop_clears_remaining_cycles() -> R {
    let drops = Rc::new(Cell::new(0));
    {
        let heap = Heap::new();
        heap.gc().disable();
        let u1 = counted(&heap, &drops);
        u1.borrow_mut()?.refs.push(Member::new(&u1));
    }
    assert_eq!(drops.get(), 1);
    Ok(())
}

#[test]
fn automatic_collection_can_run_during_allocation() -> R {
    let heap = Heap::new();
    let dels = Rc::new(Cell::new(0));
    let d2 = dels.clone();
    let cls = heap.new_class(ClassSpec::new("Auto").with_del(move |heap, obj| {
        // finalizers may allocate and touch the heap while a collection runs
        let l = heap.list(&[obj]).unwrap();
        assert_eq!(l.len(), 1);
        d2.set(d2.get() + 1);
    }))?;
    for _ in 0..5000 {
        let a = cls.instantiate()?;
        a.setattr("self", &a)?;
        let _ = heap.list(&[heap.int(1)?])?;
    }
    assert!(dels.get() > 0, "automatic collections ran");
    heap.gc().collect(2).unwrap();
    assert_eq!(dels.get(), 5000);
    Ok(())
}

#[test]
fn gc_module_surface() -> R {
    let heap = Heap::new();
    let gc = heap.gc();
    gc.set_threshold(100, Some(5), None);
    assert_eq!(gc.get_threshold(), [100, 5, 10]);
    let l = heap.list(&[])?;
    let x = heap.str("needle")?;
    let holder = heap.list(&[x.obj()])?;
    let d = heap.dict()?;
    d.set(&x, &l)?;
    let objs = gc.get_objects(None).unwrap();
    assert!(objs.iter().any(|o| o.is(&l)) && objs.iter().any(|o| o.is(&holder)));
    let refs = gc.get_referrers(&[&x]);
    // CPython's dict_traverse skips the keys of a str-keyed dict: only the list is a referrer
    // (python3 -S: `d = {x: []}; gc.get_referrers(x)` lists `h` only).
    assert_eq!(
        refs.len(),
        1,
        "the list refers to the str, the str-keyed dict does not"
    );
    assert!(refs[0].is(&holder));
    let d2 = heap.dict()?;
    d2.set(&heap.int(1000)?, &x)?;
    d2.set(&heap.int(1001)?, &l)?; // a list value: tracked
    assert_eq!(
        gc.get_referrers(&[&x]).len(),
        2,
        "as a value it is reported"
    );
    drop(d2);
    assert_eq!(gc.get_referents(&holder).len(), 1);
    let phases = Rc::new(RefCell::new(Vec::new()));
    let p2 = phases.clone();
    let id = gc.add_callback(move |phase, info| p2.borrow_mut().push((phase, info.generation)));
    gc.collect(1).unwrap();
    assert_eq!(phases.borrow().len(), 2);
    assert!(gc.remove_callback(id));
    gc.freeze();
    assert!(gc.get_freeze_count() > 0);
    assert!(gc.get_objects(None).unwrap().is_empty());
    gc.unfreeze();
    assert_eq!(gc.get_freeze_count(), 0);
    heap.check().expect("invariant walker");
    assert!(gc.collect(3).is_err());
    // garbage holds handles to uncollectable objects
    let cls = heap.new_class(ClassSpec::new("G").with_legacy_del(|_, _| {}))?;
    {
        let a = cls.instantiate()?;
        a.setattr("me", &a)?;
    }
    gc.collect(2).unwrap();
    let g = gc.garbage();
    assert_eq!(g.len(), 1);
    assert_eq!(g[0].type_name(), "G");
    drop(g);
    gc.clear_garbage();
    assert_eq!(gc.garbage_len(), 0);
    Ok(())
}

#[test]
fn check_detects_a_traverse_that_over_reports() {
    struct Liar {
        m: Member,
    }
    impl UserType for Liar {
        const NAME: &'static str = "Liar";
        fn traverse(&self, v: &mut Visitor<'_>) {
            v.visit(&self.m);
            v.visit(&self.m);
            v.visit(&self.m);
        }
        fn clear(&mut self) {}
    }
    let heap = Heap::new();
    let l = heap.list(&[]).unwrap();
    let _liar = heap.new_user(Liar { m: Member::new(&l) }).unwrap();
    drop(l);
    let err = heap.check().unwrap_err();
    let HeapInvariantError::RefcountBelowReferences {
        object,
        refcount,
        references,
    } = &err
    else {
        panic!("{err}")
    };
    assert!(object.starts_with("<list object at 0x"), "{err}");
    assert_eq!((*refcount, *references), (1, 3), "{err}");
    // and the collector refuses to free anything on such an error
    let _ = heap.gc().collect(2);
}

#[test]
fn legacy_del_can_resurrect_and_the_object_is_tracked_again() -> R {
    let heap = Heap::new();
    let keep: Rc<RefCell<Option<Member>>> = Default::default();
    let k2 = keep.clone();
    let calls = Rc::new(Cell::new(0));
    let c2 = calls.clone();
    let cls = heap.new_class(ClassSpec::new("Lazarus").with_legacy_del(move |_, obj| {
        c2.set(c2.get() + 1);
        if c2.get() == 1 {
            *k2.borrow_mut() = Some(Member::new(&obj));
        }
    }))?;
    drop(cls.instantiate()?);
    assert_eq!(calls.get(), 1);
    let back = keep.borrow_mut().take().unwrap();
    let obj = back.get(&heap)?;
    assert!(heap.gc().is_tracked(&obj), "re-tracked after resurrection");
    drop(back);
    drop(obj);
    assert_eq!(calls.get(), 2, "tp_del runs on every death");
    Ok(())
}

#[test]
fn weakrefs_to_classes_and_user_objects() -> R {
    let heap = Heap::new();
    let t = heap.register_type::<Counted>();
    assert_eq!(t.name(), "Counted");
    let drops = Rc::new(Cell::new(0));
    let u = counted(&heap, &drops);
    let wu = heap.weakref(&u, None)?;
    let cls = heap.new_class(ClassSpec::new("K"))?;
    let wc = heap.weakref(&cls, None)?;
    assert!(wu.get().is_some() && wc.get().is_some());
    drop((u, cls));
    assert!(wu.get().is_none() && wc.get().is_none());
    assert_eq!(drops.get(), 1);
    Ok(())
}

#[test]
fn automatic_full_collections_empty_the_free_lists() -> R {
    let heap = Heap::new();
    let gc = heap.gc();
    gc.set_full_collection_ratio(0.0);
    gc.set_threshold(5, Some(1), Some(1));
    drop(heap.float(1.5)?);
    assert_eq!(heap.freelist_sizes().float, 1);
    let before = gc.get_stats()[2].collections;
    let mut keep = vec![];
    while gc.get_stats()[2].collections == before {
        keep.push(heap.list(&[])?);
    }
    assert_eq!(heap.freelist_sizes().float, 0);
    Ok(())
}

#[test]
fn user_types_can_provide_a_repr() -> R {
    struct Frame(i64);
    impl UserType for Frame {
        const NAME: &'static str = "Frame";
        fn traverse(&self, _: &mut Visitor<'_>) {}
        fn clear(&mut self) {}
        fn repr(&self) -> Option<String> {
            Some(format!("<frame line {}>", self.0))
        }
    }
    let heap = Heap::new();
    let f = heap.new_user(Frame(7))?;
    let l = heap.list(&[f.obj()])?;
    assert_eq!(l.repr(), "[<frame line 7>]");
    let g = f.borrow_mut()?;
    assert!(f.repr().starts_with("<Frame object at 0x"));
    drop(g);
    let drops = Rc::new(Cell::new(0));
    assert!(
        counted(&heap, &drops)
            .repr()
            .starts_with("<Counted object at")
    );
    Ok(())
}

/// A full collection large enough to use the candidate array (past 16 384 candidates), whose
/// garbage has no finalizer of its own, so phase 10 follows the array; clearing it frees non-GC
/// instances whose `__del__` runs nested full collections (which find the array out of its
/// cell). Every object is freed exactly once and the heap stays consistent.
#[test]
fn nested_collections_during_delete_garbage_of_a_large_collection() -> R {
    let heap = Heap::new();
    heap.gc().disable();
    let nested = Rc::new(Cell::new(0usize));
    let n2 = nested.clone();
    let leaf = heap.new_class(ClassSpec::new("Leaf").non_gc().with_del(move |heap, _| {
        n2.set(n2.get() + 1);
        if n2.get() % 1000 == 1 {
            heap.gc().collect(2).unwrap();
        }
    }))?;
    let start = heap.live_objects();
    const PAIRS: usize = 20_000;
    for _ in 0..PAIRS {
        let a = heap.list(&[])?;
        let b = heap.list(&[a.obj(), leaf.instantiate()?.into_obj()])?;
        a.append(&b)?;
    }
    // Some live objects too, so that survivors sit among the candidates.
    let keep = heap.list(&[])?;
    for _ in 0..1000 {
        keep.append(&heap.list(&[])?)?;
    }
    assert_eq!(heap.gc().collect(2).unwrap(), 2 * PAIRS);
    assert_eq!(nested.get(), PAIRS, "each leaf's __del__ ran once");
    heap.check().expect("heap invariants");
    drop(keep);
    heap.gc().collect(2).unwrap();
    heap.clear_freelists();
    assert_eq!(heap.live_objects(), start);
    Ok(())
}
