//! set and frozenset semantics that need no CPython run: numeric key equality, tracking,
//! errors with CPython's texts, iteration that detects mutation, traverse/clear through the
//! collector, and safety against a user `py_eq` whose finalizer clears the set being probed.

use crate::bombs::{World, aim, finish, sneaky};
use pyheap_runtime::{ClassSpec, Heap, RuntimeError};
use std::rc::Rc;

type R = Result<(), RuntimeError>;

#[test]
fn one_float_one_and_true_are_one_element() -> R {
    let heap = Heap::new();
    let s = heap.set(&[heap.int(1)?, heap.float(1.0)?, heap.bool(true)])?;
    assert_eq!(s.len(), 1);
    assert_eq!(s.repr(), "{1}"); // the first one stays, as in CPython
    assert!(s.contains(&heap.float(1.0)?)? && s.contains(&heap.bool(true))?);
    let big = heap.int_pow(&heap.int(2)?, &heap.int(64)?)?;
    s.add(&heap.float(18446744073709551616.0)?)?;
    assert!(s.contains(&big)?);
    assert_eq!(s.len(), 2);
    Ok(())
}

#[test]
fn reprs_and_empty_forms() -> R {
    let heap = Heap::new();
    assert_eq!(heap.set(&[])?.repr(), "set()");
    assert_eq!(heap.frozenset(&[])?.repr(), "frozenset()");
    assert_eq!(heap.frozenset(&[heap.int(1)?])?.repr(), "frozenset({1})");
    assert_eq!(heap.set(&[heap.str("a'")?.into_obj()])?.repr(), "{\"a'\"}");
    let inner = heap.frozenset(&[heap.int(2)?])?;
    assert_eq!(heap.set(&[inner.into()])?.repr(), "{frozenset({2})}");
    Ok(())
}

#[test]
fn errors_have_cpython_texts() -> R {
    let heap = Heap::new();
    let s = heap.set(&[heap.int(1)?])?;
    let e = s.add(&heap.list(&[])?).unwrap_err();
    assert_eq!(e.to_string(), "TypeError: unhashable type: 'list'");
    let e = s.remove(&heap.int(5)?).unwrap_err();
    assert_eq!(e.to_string(), "KeyError: 5");
    s.pop()?;
    assert_eq!(
        s.pop().unwrap_err().to_string(),
        "KeyError: 'pop from an empty set'"
    );
    assert_eq!(
        s.hash().unwrap_err().to_string(),
        "TypeError: unhashable type: 'set'"
    );
    let f = heap.frozenset(&[heap.int(1)?])?;
    assert!(matches!(
        f.add(&heap.int(2)?),
        Err(RuntimeError::WrongType { .. })
    ));
    assert_eq!(f.len(), 1);
    Ok(())
}

#[test]
fn sets_are_tracked_and_collected_in_cycles() -> R {
    let heap = Heap::new();
    // CPython 3.11: gc.is_tracked(set()) and gc.is_tracked(frozenset()) are True.
    assert!(heap.gc().is_tracked(&heap.set(&[])?));
    assert!(heap.gc().is_tracked(&heap.frozenset(&[])?));
    // A cycle through a set: instance -> set -> instance.
    let cls = heap.new_class(ClassSpec::new("Node"))?;
    let before = heap.live_objects();
    {
        let node = cls.instantiate()?;
        let s = heap.set(&[node.obj()])?;
        node.setattr("s", &s)?;
    }
    assert!(heap.live_objects() > before);
    heap.gc().collect(2).unwrap();
    assert_eq!(heap.live_objects(), before);
    Ok(())
}

#[test]
fn iteration_detects_size_changes() -> R {
    let heap = Heap::new();
    let s = heap.set(&[heap.int(1)?, heap.int(2)?, heap.int(3)?])?;
    let mut it = s.iter();
    assert!(it.next().unwrap().is_ok());
    s.add(&heap.int(4)?)?;
    let e = it.next().unwrap().unwrap_err();
    assert_eq!(
        e.to_string(),
        "RuntimeError: Set changed size during iteration"
    );
    // CPython keeps failing on later calls too.
    assert!(it.next().unwrap().is_err());
    let all: Vec<i64> = s.iter().map(|o| o.unwrap().as_int().unwrap()).collect();
    assert_eq!(all, [1, 2, 3, 4]);
    Ok(())
}

#[test]
fn frozenset_hash_ignores_order_and_matches_equal_sets() -> R {
    let heap = Heap::new();
    let ints = |v: &[i64]| v.iter().map(|&i| heap.int(i).unwrap()).collect::<Vec<_>>();
    let a = heap.frozenset(&ints(&[1, 2, 3, 100, -7]))?;
    let b = heap.frozenset(&ints(&[-7, 100, 3, 2, 1, 2]))?;
    assert_eq!(a.hash()?, b.hash()?);
    assert!(a.py_eq(&b) && a.py_eq(&heap.set(&ints(&[1, 2, 3, 100, -7]))?));
    // As a dict key and as an element of another set.
    let d = heap.dict()?;
    d.set(&a, &heap.int(1)?)?;
    assert_eq!(d.get_item(&b)?.as_int()?, 1);
    Ok(())
}

#[test]
fn user_eq_that_clears_the_set_is_safe() -> R {
    let heap = Heap::new();
    let w = Rc::new(World::default());
    w.junk_count.set(200);
    for filler in [2, 40] {
        for op in ["add", "contains", "discard"] {
            // The element's eq runs first (CPython compares `startkey == key`): arm it.
            let s = heap.set(&[sneaky(&heap, &w, 1, true)])?;
            for i in 0..filler {
                s.add(&heap.int(1000 + i)?)?;
            }
            aim(&w, &s);
            let k = sneaky(&heap, &w, 1, false);
            match op {
                // The probe restarts on the emptied set (CPython's set_add_entry): k goes in.
                "add" => {
                    assert!(s.add(&k)?);
                    assert_eq!(s.len(), 1);
                }
                // The restarted lookup finds nothing in the emptied set.
                "contains" => assert!(!s.contains(&k)?),
                _ => assert!(!s.discard(&k)?),
            }
            w.target.borrow_mut().take();
            heap.check().expect("invariant walker");
        }
    }
    finish(&heap, &w, 6);
    Ok(())
}
