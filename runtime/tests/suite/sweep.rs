//! The collector's sweep of garbage lists (gc collect.rs, "The sweep"; runtime model.rs) against
//! CPython's clear path in the same build (`set_sweep_garbage(false)`): the same objects freed,
//! the same counts, free lists and allocator blocks afterwards; what the garbage alone held
//! (strs, ints, floats, untracked tuples and dicts) dies too; and where a death outside the
//! collector's view could run user code (a non-GC class exists), the clear path's order of
//! `__del__` calls is kept.

use pyheap_runtime::{ClassSpec, Heap, Obj, RuntimeError};
use std::cell::RefCell;
use std::rc::Rc;

type R = Result<(), RuntimeError>;

/// Dead pairs, a ring, self-loops and lists holding atoms and untracked containers only the
/// garbage references; plus a live list holding a live pair. Returns (root, garbage count).
fn build(heap: &Heap) -> Result<(Obj<'_>, usize), RuntimeError> {
    let mut garbage = 0;
    // A tuple and a dict of atoms, untracked by the first collection, then held by garbage.
    let t = heap.tuple(&[heap.str("x")?.into_obj(), heap.int(7)?])?;
    let d = heap.dict()?;
    d.set(&heap.str("k")?, &heap.float(1.5)?)?;
    heap.gc().collect(2).unwrap();
    assert!(!heap.gc().is_tracked(&t) && !heap.gc().is_tracked(&d));
    for i in 0..300 {
        let a = heap.list(&[])?;
        let b = heap.list(&[a.obj()])?;
        a.append(&b)?;
        // Atoms only the pair holds.
        a.append(&heap.str(&format!("s{i}"))?)?;
        b.append(&heap.int_from_str("123456789012345678901234567890", 10)?)?;
        b.append(&heap.float(i as f64 + 0.5)?)?;
        garbage += 2;
    }
    let ring: Vec<_> = (0..7).map(|_| heap.list(&[])).collect::<Result<_, _>>()?;
    for i in 0..7 {
        ring[i].append(&ring[(i + 1) % 7])?;
    }
    garbage += 7;
    let s = heap.list(&[])?;
    s.append(&s)?;
    s.append(&s)?;
    garbage += 1;
    let c = heap.list(&[t.into_obj(), d.into_obj()])?;
    c.append(&c)?;
    garbage += 1;
    let root = heap.list(&[])?;
    let x = heap.list(&[])?;
    let y = heap.list(&[x.obj()])?;
    x.append(&y)?;
    root.append(&x)?;
    Ok((root.into_obj(), garbage))
}

#[test]
fn sweep_frees_what_clear_frees() -> R {
    let (on, off) = (Heap::new(), Heap::new());
    on.gc().disable();
    off.gc().disable();
    off.gc().set_sweep_garbage(false);
    let (start_on, start_off) = (on.live_objects(), off.live_objects());
    let (root_on, n_on) = build(&on)?;
    let (root_off, n_off) = build(&off)?;
    assert_eq!(on.gc().collect(2).unwrap(), n_on);
    assert_eq!(off.gc().collect(2).unwrap(), n_off);
    assert_eq!(on.live_objects() - start_on, 3, "root and the live pair");
    assert_eq!(off.live_objects() - start_off, 3);
    assert_eq!(on.gc().get_count(), off.gc().get_count());
    assert_eq!(on.blocks_in_use(), off.blocks_in_use());
    assert_eq!(on.freelist_sizes(), off.freelist_sizes());
    on.check().expect("heap invariants after the sweep");
    off.check().expect("heap invariants after clear");
    drop((root_on, root_off));
    assert_eq!(on.gc().collect(2).unwrap(), 2);
    assert_eq!(on.live_objects(), start_on);
    Ok(())
}

/// A non-GC class makes deaths outside the collector's view able to run user code: the sweep
/// stays off and the `__del__` order is the clear path's. Here `a = [e1, b]`, `b = [a, e2]`:
/// clearing `a` releases `b` first (last item first), whose death releases `e2`, then `e1`;
/// a sweep would have released `e1` (from `a`) before `e2` (from `b`).
#[test]
fn del_order_of_untracked_instances_is_the_clear_path_order() -> R {
    let heap = Heap::new();
    heap.gc().disable();
    let log = Rc::new(RefCell::new(Vec::new()));
    let l2 = log.clone();
    let e = heap.new_class(ClassSpec::new("E").non_gc().with_del(move |_h, obj| {
        let name = obj.getattr("name").unwrap().repr();
        l2.borrow_mut().push(name);
    }))?;
    let e1 = e.instantiate()?;
    e1.setattr("name", &heap.str("e1")?)?;
    let e2 = e.instantiate()?;
    e2.setattr("name", &heap.str("e2")?)?;
    let a = heap.list(&[e1.into_obj()])?;
    let b = heap.list(&[a.obj(), e2.into_obj()])?;
    a.append(&b)?;
    // a = [e1, b]
    drop((a, b));
    assert_eq!(heap.gc().collect(2).unwrap(), 2);
    assert_eq!(*log.borrow(), ["'e2'", "'e1'"]);
    Ok(())
}
