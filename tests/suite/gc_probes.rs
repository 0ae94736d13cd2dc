//! REFERENCE.md D.4: behaviours observed on CPython 3.7–3.13 (and the C.3 untracking rules
//! behind them), checked on the real runtime.

use pyheap::gc::{DEBUG_COLLECTABLE, DEBUG_STATS, DebugCapture};
use pyheap::runtime::{ClassSpec, Heap};

type R = Result<(), Box<dyn std::error::Error>>;

fn setup() -> Heap {
    let heap = Heap::new();
    heap.gc().disable();
    heap.gc().collect(2).unwrap();
    heap
}

/// `gc.is_tracked({}) is False`, `({"a": 1})` False, `({"a": []})` True (≤ 3.13).
#[test]
fn dict_tracking_literals() -> R {
    let heap = setup();
    let gc = heap.gc();
    assert!(!gc.is_tracked(&heap.dict()?));
    let d = heap.dict()?;
    d.set(&heap.str("a")?, &heap.int(1)?)?;
    assert!(!gc.is_tracked(&d));
    let d = heap.dict()?;
    d.set(&heap.str("a")?, &heap.list(&[])?)?;
    assert!(gc.is_tracked(&d));
    // `_PyObject_GC_MAY_BE_TRACKED`: any GC-type value (even untracked, like `{}`) tracks.
    let d = heap.dict()?;
    d.set(&heap.int(1)?, &heap.dict()?)?;
    assert!(gc.is_tracked(&d), "{{1: {{}}}} stays tracked");
    Ok(())
}

/// A dict that held a list, now holding an int, stays tracked after `collect(1)` and is untracked
/// after `collect(2)` (only full collections untrack dicts).
#[test]
fn dict_untracked_only_by_full_collections() -> R {
    let heap = setup();
    let d = heap.dict()?;
    let k = heap.str("a")?;
    d.set(&k, &heap.list(&[])?)?;
    assert!(heap.gc().is_tracked(&d));
    d.set(&k, &heap.int(1)?)?;
    heap.gc().collect(0)?;
    assert!(heap.gc().is_tracked(&d));
    heap.gc().collect(1)?;
    assert!(heap.gc().is_tracked(&d), "still tracked after collect(1)");
    heap.gc().collect(2)?;
    assert!(!heap.gc().is_tracked(&d), "untracked after collect(2)");
    Ok(())
}

/// A runtime-built `(a, b)` of atoms is tracked until the next collection of its generation, then
/// untracked; `()` is never tracked; `((a, b), (a,))` needs two collections (order dependence:
/// `move_unreachable` moves the inner tuples behind the outer one, so `untrack_tuples` sees the
/// outer tuple while its items are still tracked).
#[test]
fn tuple_untracking() -> R {
    let heap = setup();
    let a = heap.int(1000)?;
    let b = heap.str("b")?.into_obj();
    let t = heap.tuple(&[a.clone(), b.clone()])?;
    assert!(heap.gc().is_tracked(&t));
    heap.gc().collect(0)?;
    assert!(!heap.gc().is_tracked(&t));
    assert!(!heap.gc().is_tracked(&heap.tuple(&[])?));
    // A tuple holding a list is never untracked.
    let tl = heap.tuple(&[heap.list(&[])?.into_obj()])?;
    heap.gc().collect(2)?;
    assert!(heap.gc().is_tracked(&tl));
    // Nested: the outer tuple is scanned before its (still tracked) inner tuples are untracked.
    let inner1 = heap.tuple(&[a.clone(), b.clone()])?;
    let inner2 = heap.tuple(std::slice::from_ref(&a))?;
    let outer = heap.tuple(&[inner1.obj(), inner2.obj()])?;
    drop((inner1, inner2));
    heap.gc().collect(0)?;
    assert!(
        heap.gc().is_tracked(&outer),
        "still tracked after the first collect(0)"
    );
    // The first collect(0) moved it to generation 1: the next collection that looks at it.
    heap.gc().collect(1)?;
    assert!(!heap.gc().is_tracked(&outer), "untracked after the second");
    Ok(())
}

/// `gc.set_debug(gc.DEBUG_STATS | gc.DEBUG_COLLECTABLE)` with one self-cycle instance and one
/// self-list: two `gc: collectable <…>` lines and `gc: done, 2 unreachable, 0 uncollectable`
/// (3.11+; 3.7 shows 3 with the instance dict).
#[test]
fn debug_stats_collectable_output() -> R {
    let heap = setup();
    let out = DebugCapture::default();
    heap.gc().set_debug_output(Box::new(out.clone()));
    let cls = heap.new_class(ClassSpec::new("A"))?;
    let a = cls.instantiate()?;
    a.setattr("a", &a)?;
    let l = heap.list(&[])?;
    l.append(&l)?;
    drop((a, l));
    heap.gc().set_debug(DEBUG_STATS | DEBUG_COLLECTABLE);
    heap.gc().collect(2)?;
    heap.gc().set_debug(0);
    let text = out.text();
    let collectable: Vec<&str> = text
        .lines()
        .filter(|l| l.starts_with("gc: collectable <"))
        .collect();
    assert_eq!(collectable.len(), 2, "{text}");
    assert!(
        collectable
            .iter()
            .any(|l| l.starts_with("gc: collectable <A 0x")),
        "{text}"
    );
    assert!(
        collectable
            .iter()
            .any(|l| l.starts_with("gc: collectable <list 0x")),
        "{text}"
    );
    assert!(
        text.contains("gc: done, 2 unreachable, 0 uncollectable, "),
        "{text}"
    );
    Ok(())
}
