//! Unit tests per built-in type, refcount balance, sizes.

use pyheap_runtime::{ClassSpec, Heap, Kind, Obj, RuntimeError};
use std::cell::Cell;
use std::rc::Rc;

type R = Result<(), RuntimeError>;

/// Allocator counters after emptying the free lists.
fn usage(heap: &Heap) -> (usize, usize) {
    heap.clear_freelists();
    (heap.blocks_in_use(), heap.large_in_use())
}

#[test]
fn immortals_and_small_ints() -> R {
    let heap = Heap::new();
    assert!(heap.int(7)?.is(&heap.int(7)?));
    assert!(heap.int(-5)?.is(&heap.int(-5)?));
    assert!(heap.int(256)?.is(&heap.int(256)?));
    assert!(!heap.int(257)?.is(&heap.int(257)?));
    assert!(!heap.int(-6)?.is(&heap.int(-6)?));
    assert!(heap.none().is(&heap.none()));
    assert_eq!(heap.getrefcount(&heap.none()), 1 << 62);
    let n = heap.none();
    let copies: Vec<Obj> = (0..10).map(|_| n.clone()).collect();
    assert_eq!(heap.getrefcount(&n), 1 << 62);
    drop(copies);
    assert_eq!(heap.bool(true).repr(), "True");
    assert_eq!(heap.bool(false).as_int()?, 0);
    assert!(heap.tuple(&[])?.is(&heap.tuple(&[])?));
    Ok(())
}

#[test]
fn ints_floats_and_promotion() -> R {
    let heap = Heap::new();
    let a = heap.int(i64::MAX)?;
    let b = heap.int_add(&a, &heap.int(1)?)?;
    assert_eq!(b.repr(), "9223372036854775808");
    assert!(matches!(b.as_int(), Err(RuntimeError::Overflow(_))));
    assert_eq!(heap.int_add(&heap.int(40)?, &heap.int(2)?)?.as_int()?, 42);
    assert_eq!(
        heap.int_floordiv(&heap.int(-7)?, &heap.int(2)?)?.as_int()?,
        -4
    );
    assert_eq!(
        heap.int_floordiv(&heap.int(1)?, &heap.int(0)?),
        Err(RuntimeError::ZeroDivision(
            "integer division or modulo by zero"
        ))
    );
    let f = heap.float(1.5)?;
    assert_eq!(f.as_float()?, 1.5);
    assert_eq!(f.repr(), "1.5");
    assert_eq!(heap.float(2.0)?.repr(), "2.0");
    assert!(matches!(f.as_int(), Err(RuntimeError::WrongType { .. })));
    // 1 == 1.0 == True, same hash
    let (i, fl, t) = (heap.int(1)?, heap.float(1.0)?, heap.bool(true));
    assert!(i.py_eq(&fl) && fl.py_eq(&t));
    assert_eq!(i.hash()?, fl.hash()?);
    assert_eq!(i.hash()?, t.hash()?);
    assert_eq!(heap.int(-1)?.hash()?, -2);
    Ok(())
}

#[test]
fn float_free_list_reuses_memory_and_skips_counts() -> R {
    let heap = Heap::new();
    let f = heap.float(1.0)?;
    let addr = heap.id(&f);
    drop(f);
    assert_eq!(heap.freelist_sizes().float, 1);
    let g = heap.float(2.0)?;
    assert_eq!(heap.id(&g), addr);
    assert_eq!(g.as_float()?, 2.0);
    let many: Vec<_> = (0..300)
        .map(|i| heap.float(i as f64 + 0.5))
        .collect::<Result<_, _>>()?;
    drop(many);
    assert_eq!(heap.freelist_sizes().float, 100);
    Ok(())
}

#[test]
fn transient_tuples_count_only_what_the_free_list_lacks() -> R {
    let heap = Heap::new();
    heap.gc().collect(2).expect("collect"); // empties the free lists, count 0
    assert_eq!(heap.freelist_sizes().tuple, 0);
    let count = || heap.gc().get_count()[0];
    heap.transient_tuples(2, 3)?;
    assert_eq!(count(), 3, "three fresh 2-tuples are counted");
    assert_eq!(heap.freelist_sizes().tuple, 3, "and kept for reuse");
    heap.transient_tuples(2, 2)?;
    heap.transient_tuple(2)?;
    assert_eq!(count(), 3, "the free list holds enough: nothing changes");
    heap.transient_tuple(1)?;
    assert_eq!((count(), heap.freelist_sizes().tuple), (4, 4));
    heap.transient_tuple(0)?;
    heap.transient_tuple(500)?;
    assert_eq!((count(), heap.freelist_sizes().tuple), (4, 4));
    heap.transient_dict()?;
    heap.transient_dict()?;
    assert_eq!((count(), heap.freelist_sizes().dict), (5, 1));
    Ok(())
}

#[test]
fn without_counting_hides_allocations_and_automatic_collections() -> R {
    let heap = Heap::new();
    heap.gc().set_threshold(5, None, None);
    heap.gc().collect(2).expect("collect");
    let before = heap.gc().get_stats()[0].collections;
    let kept = heap.gc().without_counting(|| {
        (0..50)
            .map(|_| heap.list(&[]))
            .collect::<Result<Vec<_>, _>>()
    })?;
    assert_eq!(heap.gc().get_count()[0], 0);
    assert_eq!(
        heap.gc().get_stats()[0].collections,
        before,
        "no automatic collection"
    );
    assert_eq!(heap.gc().get_threshold()[0], 5, "threshold restored");
    assert!(kept.iter().all(|l| heap.gc().is_tracked(l)));
    // Counting resumes afterwards: the sixth allocation collects.
    let more = (0..6)
        .map(|_| heap.list(&[]))
        .collect::<Result<Vec<_>, _>>()?;
    assert_eq!(heap.gc().get_stats()[0].collections, before + 1);
    drop((kept, more));
    Ok(())
}

#[test]
fn strings_hash_and_interning() -> R {
    let heap = Heap::new();
    let a = heap.str("hello")?;
    let b = heap.str("hello")?;
    assert!(!a.is(&b));
    assert!(a.py_eq(&b));
    assert_eq!(a.hash()?, b.hash()?);
    assert_eq!(a.as_str(), "hello");
    assert_eq!(a.repr(), "'hello'");
    let i1 = heap.intern("name")?;
    let i2 = heap.intern("name")?;
    assert!(i1.is(&i2) && i1.is_interned());
    assert!(!a.is_interned());
    assert_eq!(heap.str("héllo")?.as_str(), "héllo");
    Ok(())
}

#[test]
fn tuples() -> R {
    let heap = Heap::new();
    let t = heap.tuple(&[heap.int(1)?, heap.str("a")?.into_obj()])?;
    assert_eq!(t.len(), 2);
    assert_eq!(t.get(-1)?.str_value()?, "a");
    assert!(matches!(
        t.get(2),
        Err(RuntimeError::IndexOutOfRange { .. })
    ));
    assert_eq!(t.repr(), "(1, 'a')");
    assert_eq!(heap.tuple(&[heap.int(1)?])?.repr(), "(1,)");
    assert!(heap.gc().is_tracked(&t));
    assert!(!heap.gc().is_tracked(&heap.tuple(&[])?));
    let t2 = heap.tuple(&[heap.int(1)?, heap.str("a")?.into_obj()])?;
    assert_eq!(t.hash()?, t2.hash()?);
    let l = heap.list(&[])?;
    let bad = heap.tuple(&[l.obj()])?;
    assert!(matches!(bad.hash(), Err(RuntimeError::Unhashable(_))));
    // tuple free list: same memory for the next tuple of the same length
    let addr = heap.id(&t2);
    drop(t2);
    let t3 = heap.tuple(&[heap.none(), heap.none()])?;
    assert_eq!(heap.id(&t3), addr);
    Ok(())
}

#[test]
fn list_growth_pattern_matches_cpython() -> R {
    let heap = Heap::new();
    let l = heap.list(&[])?;
    let mut caps = vec![l.capacity()];
    for i in 0..80 {
        l.append(&heap.int(i)?)?;
        if *caps.last().unwrap() != l.capacity() {
            caps.push(l.capacity());
        }
    }
    assert_eq!(caps, [0, 4, 8, 16, 24, 32, 40, 52, 64, 76, 92]);
    assert_eq!(l.get(-1)?.as_int()?, 79);
    assert_eq!(l.pop(0)?.as_int()?, 0);
    l.insert(0, &heap.str("x")?)?;
    assert_eq!(l.get(0)?.str_value()?, "x");
    l.set(1, &heap.none())?;
    assert!(l.get(1)?.is_none());
    assert_eq!(l.len(), 80);
    while !l.is_empty() {
        l.pop(-1)?;
    }
    assert_eq!(l.capacity(), 0);
    Ok(())
}

#[test]
fn dicts_python_semantics() -> R {
    let heap = Heap::new();
    let d = heap.dict()?;
    d.set(&heap.int(1)?, &heap.str("int")?)?;
    d.set(&heap.float(1.0)?, &heap.str("float")?)?;
    d.set(&heap.bool(true), &heap.str("bool")?)?;
    assert_eq!(d.len(), 1);
    assert_eq!(d.get(&heap.int(1)?)?.unwrap().str_value()?, "bool");
    assert_eq!(d.keys()[0].kind(), Kind::Int, "the first key is kept");
    d.set(&heap.str("b")?, &heap.none())?;
    d.set(&heap.tuple(&[heap.int(1)?, heap.int(2)?])?, &heap.int(3)?)?;
    assert!(d.contains(&heap.tuple(&[heap.int(1)?, heap.int(2)?])?)?);
    let l = heap.list(&[])?;
    assert!(matches!(
        d.set(&l, &heap.none()),
        Err(RuntimeError::Unhashable(_))
    ));
    assert!(matches!(d.get(&l), Err(RuntimeError::Unhashable(_))));
    // identity hashing for instances
    let c = heap.new_class(ClassSpec::new("K"))?;
    let (k1, k2) = (c.instantiate()?, c.instantiate()?);
    d.set(&k1, &heap.int(10)?)?;
    d.set(&k2, &heap.int(20)?)?;
    assert_eq!(d.get(&k1)?.unwrap().as_int()?, 10);
    assert_eq!(d.len(), 5);
    assert_eq!(d.remove(&heap.str("b")?)?.repr(), "None");
    assert!(matches!(
        d.remove(&heap.str("b")?),
        Err(RuntimeError::KeyError(_))
    ));
    let keys: Vec<String> = d.keys().iter().map(Obj::repr).collect();
    assert_eq!(keys[..2], ["1".to_string(), "(1, 2)".to_string()]);
    Ok(())
}

#[test]
fn dict_tracking_follows_reference_c3() -> R {
    let heap = Heap::new();
    let gc = heap.gc();
    let d = heap.dict()?;
    assert!(!gc.is_tracked(&d));
    d.set(&heap.str("a")?, &heap.int(1)?)?;
    assert!(!gc.is_tracked(&d));
    let atoms_tuple = heap.tuple(&[heap.int(1)?])?;
    d.set(&heap.str("t")?, &atoms_tuple)?;
    assert!(gc.is_tracked(&d), "a tracked tuple may be tracked");
    let d2 = heap.dict()?;
    d2.set(&heap.str("a")?, &heap.list(&[])?)?;
    assert!(gc.is_tracked(&d2));
    let d3 = heap.dict()?;
    d3.set(&heap.int(1)?, &heap.dict()?)?;
    assert!(gc.is_tracked(&d3), "{{1: {{}}}} stays tracked");
    Ok(())
}

#[test]
fn classes_instances_and_slots() -> R {
    let heap = Heap::new();
    let a = heap.new_class(ClassSpec::new("A"))?;
    a.setattr("kind", &heap.str("class attr")?)?;
    let x = a.instantiate()?;
    x.setattr("v", &heap.int(5)?)?;
    assert_eq!(x.getattr("v")?.as_int()?, 5);
    assert_eq!(x.getattr("kind")?.str_value()?, "class attr");
    assert!(matches!(
        x.getattr("nope"),
        Err(RuntimeError::MissingAttribute { .. })
    ));
    x.delattr("v")?;
    assert!(x.getattr("v").is_err());
    assert_eq!(x.type_name(), "A");
    assert!(x.class().is(&a));
    // A.a = A: a cycle through the class
    a.setattr("a", &a)?;
    assert!(heap.gc().is_tracked(&a) && heap.gc().is_tracked(&x));

    let p = heap.new_class(
        ClassSpec::new("P")
            .with_slots(&["x", "y"])
            .without_weakrefs(),
    )?;
    let pt = p.instantiate()?;
    pt.setattr("x", &heap.int(1)?)?;
    assert!(matches!(
        pt.setattr("z", &heap.int(1)?),
        Err(RuntimeError::NoSlot { .. })
    ));
    assert!(pt.getattr("y").is_err());
    assert_eq!(pt.attr_names(), ["x"]);
    a.setattr("a", &heap.none())?;
    Ok(())
}

#[test]
fn del_runs_once_and_resurrection_aborts_dealloc() -> R {
    let heap = Heap::new();
    let calls = Rc::new(Cell::new(0));
    let c2 = calls.clone();
    let keep: Rc<std::cell::RefCell<Option<pyheap_runtime::Member>>> = Default::default();
    let k2 = keep.clone();
    let cls = heap.new_class(ClassSpec::new("D").with_del(move |_heap, obj| {
        c2.set(c2.get() + 1);
        if c2.get() == 1 {
            *k2.borrow_mut() = Some(pyheap_runtime::Member::new(&obj)); // resurrect
        }
    }))?;
    let live0 = heap.live_objects();
    drop(cls.instantiate()?);
    assert_eq!(calls.get(), 1);
    assert_eq!(heap.live_objects(), live0 + 1, "resurrected");
    // the second death does not run __del__ again (GC type: FINALIZED)
    keep.borrow_mut().take();
    assert_eq!(calls.get(), 1);
    assert_eq!(heap.live_objects(), live0);

    // non-GC classes run __del__ on every death
    let calls2 = Rc::new(Cell::new(0));
    let c3 = calls2.clone();
    let keep2 = keep.clone();
    let ng = heap.new_class(ClassSpec::new("NG").non_gc().with_del(move |_h, obj| {
        c3.set(c3.get() + 1);
        if c3.get() == 1 {
            *keep2.borrow_mut() = Some(pyheap_runtime::Member::new(&obj));
        }
    }))?;
    drop(ng.instantiate()?);
    keep.borrow_mut().take();
    assert_eq!(calls2.get(), 2);
    Ok(())
}

#[test]
fn panicking_finalizer_is_reported_and_heap_stays_consistent() -> R {
    let heap = Heap::new();
    let msgs = Rc::new(std::cell::RefCell::new(Vec::<String>::new()));
    let m2 = msgs.clone();
    heap.set_unraisable_hook(Some(Rc::new(move |s: &str| {
        m2.borrow_mut().push(s.to_string())
    })));
    let cls = heap.new_class(ClassSpec::new("Boom").with_del(|_, _| panic!("boom in __del__")))?;
    let start = heap.live_objects();
    let x = cls.instantiate()?;
    x.setattr("payload", &heap.list(&[heap.int(1000)?])?)?;
    drop(x);
    assert_eq!(heap.live_objects(), start);
    let m = msgs.borrow();
    assert_eq!(m.len(), 1);
    assert!(
        m[0].starts_with("Exception ignored in: <Boom object at"),
        "{}",
        m[0]
    );
    assert!(m[0].contains("boom in __del__"));
    Ok(())
}

#[test]
fn weakrefs_and_callbacks() -> R {
    let heap = Heap::new();
    let cls = heap.new_class(ClassSpec::new("W"))?;
    let x = cls.instantiate()?;
    let called = Rc::new(Cell::new(0));
    let c2 = called.clone();
    let wr = heap.weakref(
        &x,
        Some(Heap::obj_fn(move |_heap, wr| {
            assert!(wr.as_weakref().unwrap().get().is_none());
            c2.set(c2.get() + 1);
        })),
    )?;
    let wr2 = heap.weakref(&x, None)?;
    assert_eq!(heap.getweakrefcount(&x), 2);
    assert!(wr.get().unwrap().is(&x));
    drop(x);
    assert!(wr.get().is_none() && wr2.get().is_none());
    assert_eq!(called.get(), 1);
    // weakref dying before its referent unlinks itself
    let y = cls.instantiate()?;
    let w3 = heap.weakref(&y, Some(Heap::obj_fn(|_, _| panic!("must not be called"))))?;
    drop(w3);
    assert_eq!(heap.getweakrefcount(&y), 0);
    drop(y);
    // not weakrefable
    let nw = heap.new_class(ClassSpec::new("NW").without_weakrefs())?;
    assert!(matches!(
        heap.weakref(&nw.instantiate()?, None),
        Err(RuntimeError::NotWeakrefable(_))
    ));
    assert!(heap.weakref(&heap.int(5000)?, None).is_err());
    Ok(())
}

#[test]
fn cells() -> R {
    let heap = Heap::new();
    let c = heap.cell(None)?;
    assert!(c.get().is_none());
    c.set(Some(&heap.str("v")?.into_obj()))?;
    assert_eq!(c.get().unwrap().str_value()?, "v");
    c.set(None)?;
    assert!(c.get().is_none());
    Ok(())
}

#[test]
fn foreign_objects_are_refused() -> R {
    let h1 = Heap::new();
    let h2 = Heap::new();
    let l = h1.list(&[])?;
    let other = h2.str("x")?;
    assert_eq!(l.append(&other), Err(RuntimeError::ForeignObject));
    assert!(matches!(
        h1.tuple(&[other.obj()]),
        Err(RuntimeError::ForeignObject)
    ));
    let d = h1.dict()?;
    assert_eq!(d.set(&h1.int(1)?, &other), Err(RuntimeError::ForeignObject));
    let m = pyheap_runtime::Member::new(&other);
    assert!(matches!(m.get(&h1), Err(RuntimeError::ForeignObject)));
    assert!(m.get(&h2)?.is(&other));
    Ok(())
}

#[test]
fn getrefcount_counts_references() -> R {
    let heap = Heap::new();
    let x = heap.str("abc")?;
    assert_eq!(heap.getrefcount(&x), 2);
    let l = heap.list(&[x.obj(), x.obj()])?;
    assert_eq!(heap.getrefcount(&x), 4);
    drop(l);
    assert_eq!(heap.getrefcount(&x), 2);
    Ok(())
}

#[test]
fn refcount_balance_every_type() -> R {
    let heap = Heap::new();
    let start = usage(&heap);
    let live = heap.live_objects();
    {
        let cls = heap.new_class(ClassSpec::new("B"))?;
        let inst = cls.instantiate()?;
        inst.setattr("f", &heap.float(0.25)?)?;
        let big = heap.list(
            &(0..200)
                .map(|i| heap.int(i * 1000))
                .collect::<Result<Vec<_>, _>>()?,
        )?;
        let d = heap.dict()?;
        for i in 0..100 {
            d.set(&heap.str(&format!("k{i}"))?, &big)?;
        }
        let t = heap.tuple(&[inst.obj(), d.obj(), heap.str("s")?.into_obj()])?;
        let w = heap.weakref(&inst, None)?;
        let c = heap.cell(Some(&t))?;
        let strs: Vec<_> = (0..50)
            .map(|i| heap.str(&"x".repeat(i * 30)))
            .collect::<Result<_, _>>()?;
        drop((cls, inst, big, d, t, w, c, strs));
    }
    assert_eq!(heap.live_objects(), live);
    assert_eq!(usage(&heap), start);
    Ok(())
}

#[test]
fn sizes_not_larger_than_cpython_3_11() -> R {
    let heap = Heap::new();
    let check = |name: &str, ours: usize, cpython: usize| {
        println!("{name:<22} ours {ours:>4}  cpython {cpython:>4}");
        assert!(ours <= cpython, "{name}: {ours} > CPython's {cpython}");
    };
    check("int", heap.sizeof(&heap.int(1000)?), 28);
    check("float", heap.sizeof(&heap.float(1.5)?), 24);
    check("str ''", heap.sizeof(&heap.str("")?), 49);
    check("str 'abc'", heap.sizeof(&heap.str("abc")?), 52);
    check("tuple ()", heap.sizeof(&heap.tuple(&[])?), 40);
    check("tuple (1,)", heap.sizeof(&heap.tuple(&[heap.int(1)?])?), 48);
    check(
        "tuple 3",
        heap.sizeof(&heap.tuple(&[heap.int(1)?, heap.int(2)?, heap.int(3)?])?),
        64,
    );
    check("list []", heap.sizeof(&heap.list(&[])?), 56);
    check(
        "list [1,2,3]",
        heap.sizeof(&heap.list(&[heap.int(1)?, heap.int(2)?, heap.int(3)?])?),
        88,
    );
    check("dict {}", heap.sizeof(&heap.dict()?), 64);
    let d1 = heap.dict()?;
    d1.set(&heap.str("a")?, &heap.int(1)?)?;
    println!(
        "dict {{'a': 1}}          ours {:>4}  cpython  184",
        heap.sizeof(&d1)
    );
    let d8 = heap.dict()?;
    for i in 0..8 {
        d8.set(&heap.int(i)?, &heap.int(i)?)?;
    }
    println!(
        "dict 8 int keys        ours {:>4}  cpython  352",
        heap.sizeof(&d8)
    );
    let c = heap.new_class(ClassSpec::new("I"))?;
    let i = c.instantiate()?;
    i.setattr("a", &heap.int(1)?)?;
    i.setattr("b", &heap.int(2)?)?;
    check("instance 2 attrs", heap.sizeof(&i), 56);
    let sc = heap.new_class(
        ClassSpec::new("S")
            .with_slots(&["a", "b"])
            .without_weakrefs(),
    )?;
    check("instance 2 slots", heap.sizeof(&sc.instantiate()?), 48);
    check("None", heap.sizeof(&heap.none()), 16);
    check("weakref", heap.sizeof(&heap.weakref(&i, None)?), 80);
    check("cell", heap.sizeof(&heap.cell(None)?), 40);
    Ok(())
}

#[test]
fn deep_sizeof_counts_each_object_once() -> R {
    let heap = Heap::new();
    let x = heap.str("abc")?;
    let l = heap.list(&[x.obj(), x.obj()])?;
    assert_eq!(heap.deep_sizeof(&l), heap.sizeof(&l) + heap.sizeof(&x));
    Ok(())
}

#[test]
fn dicts_switch_from_small_to_large_and_keep_order() -> R {
    let heap = Heap::new();
    let d = heap.dict()?;
    for i in 0..40 {
        d.set(&heap.int(i * 7)?, &heap.int(i)?)?;
        assert_eq!(d.len(), i as usize + 1);
    }
    for i in 0..40 {
        assert_eq!(d.get(&heap.int(i * 7)?)?.unwrap().as_int()?, i);
        assert_eq!(d.get(&heap.float((i * 7) as f64)?)?.unwrap().as_int()?, i);
    }
    assert!(d.get(&heap.int(1)?)?.is_none());
    d.remove(&heap.int(0)?)?;
    d.set(&heap.int(0)?, &heap.none())?;
    let keys: Vec<i64> = d.keys().iter().map(|k| k.as_int().unwrap()).collect();
    assert_eq!(keys[0], 7);
    assert_eq!(*keys.last().unwrap(), 0);
    let d2 = heap.dict()?;
    for (k, v) in d.items() {
        d2.set(&k, &v)?;
    }
    assert!(d.py_eq(&d2));
    d2.set(&heap.int(7)?, &heap.str("changed")?)?;
    assert!(!d.py_eq(&d2));
    Ok(())
}

#[test]
fn size_table_rows_are_not_larger_than_cpython() -> R {
    let heap = Heap::new();
    let rows = pyheap_runtime::size_table(&heap)?;
    assert_eq!(rows.len(), pyheap_runtime::PYTHON_EXPRESSIONS.len());
    for r in rows {
        assert!(r.ours <= r.cpython_3_11, "{r:?}");
    }
    Ok(())
}

#[test]
fn generic_attribute_access_and_truthiness() -> R {
    let heap = Heap::new();
    let c = heap.new_class(ClassSpec::new("C"))?;
    let o: Obj = c.instantiate()?.into_obj();
    o.setattr("x", &heap.int(3)?)?;
    assert_eq!(o.getattr("x")?.as_int()?, 3);
    c.obj().setattr("y", &heap.int(4)?)?;
    assert_eq!(o.getattr("y")?.as_int()?, 4);
    assert!(matches!(
        heap.int(1)?.getattr("x"),
        Err(RuntimeError::MissingAttribute { .. })
    ));
    assert!(!heap.none().is_truthy() && !heap.int(0)?.is_truthy() && !heap.str("")?.is_truthy());
    assert!(heap.int(2)?.is_truthy() && o.is_truthy() && heap.list(&[heap.none()])?.is_truthy());
    assert!(!heap.dict()?.is_truthy() && !heap.tuple(&[])?.is_truthy());
    Ok(())
}

#[test]
fn allocation_failure_is_an_error_not_a_crash() -> R {
    let heap = Heap::new();
    let l = heap.list_with_capacity(10)?;
    assert_eq!((l.len(), l.capacity(), heap.sizeof(&l)), (0, 10, 56 + 80));
    l.append(&heap.none())?;
    assert_eq!(
        l.capacity(),
        4,
        "CPython's list_resize shrinks below half full"
    );
    assert!(matches!(
        heap.list_with_capacity(1 << 60),
        Err(RuntimeError::OutOfMemory { .. })
    ));
    assert!(matches!(
        heap.list_with_capacity(usize::MAX),
        Err(RuntimeError::OutOfMemory { .. })
    ));
    Ok(())
}
