//! The heap's recursion limit (issue 9, case 6): deep or self-containing structures make `==`,
//! `hash` and `repr` fail with CPython's RecursionError text instead of overflowing the stack.
//! Expected messages are CPython 3.11's (`python3 -S`).

use pyheap_runtime::{Heap, Obj, RecursionKind, RuntimeError};

type R = Result<(), RuntimeError>;

/// The recursion limit the deep tests run under: CPython's default natively; under Miri, which
/// interprets ~10^4x slower (a 1100-deep `==` and a 2000-deep dict nest took minutes there),
/// 100, still far past any depth the implementation reaches without recursing.
const LIMIT: usize = if cfg!(miri) { 100 } else { 1000 };

/// 1M levels natively (a stack overflow without the limit); under Miri 100 levels past the limit.
const DEEP: usize = if cfg!(miri) { LIMIT + 100 } else { 1_000_000 };

/// A heap whose recursion limit is [`LIMIT`].
fn deep_heap() -> Heap {
    let heap = Heap::new();
    heap.set_recursion_limit(LIMIT as i64)
        .expect("a valid limit");
    assert_eq!(heap.recursion_limit(), LIMIT);
    heap
}

fn nested_lists(heap: &Heap, depth: usize) -> Result<Obj<'_>, RuntimeError> {
    let mut o = heap.int(1)?;
    for _ in 0..depth {
        o = heap.list(&[o])?.into_obj();
    }
    Ok(o)
}

fn nested_tuples(heap: &Heap, depth: usize) -> Result<Obj<'_>, RuntimeError> {
    let mut o = heap.int(1)?;
    for _ in 0..depth {
        o = heap.tuple(&[o])?.into_obj();
    }
    Ok(o)
}

fn finish(heap: &Heap) {
    assert_eq!(heap.recursion_depth(), 0, "every level left");
    heap.check().expect("invariant walker");
}

#[test]
fn messages_are_cpythons() {
    let text = |k| RuntimeError::Recursion(k).to_string();
    assert_eq!(
        text(RecursionKind::Comparison),
        "RecursionError: maximum recursion depth exceeded in comparison"
    );
    assert_eq!(
        text(RecursionKind::Repr),
        "RecursionError: maximum recursion depth exceeded while getting the repr of an object"
    );
    assert_eq!(
        text(RecursionKind::Call),
        "RecursionError: maximum recursion depth exceeded while calling a Python object"
    );
    assert_eq!(
        text(RecursionKind::Frame),
        "RecursionError: maximum recursion depth exceeded"
    );
}

#[test]
fn set_recursion_limit_checks_like_cpython() -> R {
    let heap = Heap::new();
    assert_eq!(heap.recursion_limit(), 1000);
    for bad in [0, -1] {
        let e = heap.set_recursion_limit(bad).unwrap_err();
        assert_eq!(
            e.to_string(),
            "ValueError: recursion limit must be greater or equal than 1"
        );
    }
    assert_eq!(heap.recursion_limit(), 1000);
    let guards: Vec<_> = (0..23)
        .map(|_| heap.enter_recursion(RecursionKind::Frame))
        .collect::<Result<_, _>>()?;
    let e = heap.set_recursion_limit(5).unwrap_err();
    assert_eq!(
        e.to_string(),
        "RecursionError: cannot set the recursion limit to 5 at the recursion depth 23: the limit is too low"
    );
    assert!(heap.set_recursion_limit(23).is_err());
    heap.set_recursion_limit(24)?;
    let last = heap.enter_recursion(RecursionKind::Call)?; // depth 24 = the limit: allowed
    assert_eq!(
        heap.enter_recursion(RecursionKind::Call).err(),
        Some(RuntimeError::Recursion(RecursionKind::Call))
    );
    drop((last, guards));
    assert_eq!(heap.recursion_depth(), 0);
    heap.set_recursion_limit(2000)?;
    assert_eq!(heap.recursion_limit(), 2000);
    Ok(())
}

#[test]
fn hash_of_a_deep_tuple_hits_the_limit() -> R {
    let heap = deep_heap();
    let t = nested_tuples(&heap, DEEP)?;
    assert_eq!(t.hash(), Err(RuntimeError::Recursion(RecursionKind::Hash)));
    // As a dict key: set, get and contains fail the same way and leave the dict alone.
    let d = heap.dict()?;
    let v = heap.int(1)?;
    assert_eq!(
        d.set(&t, &v),
        Err(RuntimeError::Recursion(RecursionKind::Hash))
    );
    assert!(matches!(d.get(&t), Err(RuntimeError::Recursion(_))));
    assert!(d.is_empty());
    finish(&heap);
    Ok(())
}

#[test]
fn eq_of_deep_lists_hits_the_limit() -> R {
    let heap = deep_heap();
    let (a, b) = (nested_lists(&heap, DEEP)?, nested_lists(&heap, DEEP)?);
    assert_eq!(
        a.try_eq(&b),
        Err(RuntimeError::Recursion(RecursionKind::Comparison))
    );
    assert!(!a.py_eq(&b));
    // Deep tuples and dicts too.
    let (t, u) = (nested_tuples(&heap, DEEP)?, nested_tuples(&heap, DEEP)?);
    assert!(matches!(t.try_eq(&u), Err(RuntimeError::Recursion(_))));
    let mk_dicts = || -> Result<Obj<'_>, RuntimeError> {
        let mut o = heap.int(1)?;
        for _ in 0..DEEP {
            let d = heap.dict()?;
            d.set(&heap.int(0)?, &o)?;
            o = d.into_obj();
        }
        Ok(o)
    };
    let (d, e) = (mk_dicts()?, mk_dicts()?);
    assert!(matches!(d.try_eq(&e), Err(RuntimeError::Recursion(_))));
    finish(&heap);
    Ok(())
}

#[test]
fn lists_that_contain_themselves_compare_to_the_limit() -> R {
    let heap = deep_heap();
    let (l, m) = (heap.list(&[])?, heap.list(&[])?);
    l.append(&l)?;
    m.append(&m)?;
    assert_eq!(
        l.try_eq(&m),
        Err(RuntimeError::Recursion(RecursionKind::Comparison))
    );
    assert!(l.try_eq(&l)?, "identity is equality");
    // CPython's reprs of self-containing containers.
    assert_eq!(l.repr(), "[[...]]");
    let d = heap.dict()?;
    d.set(&heap.int(1)?, &d)?;
    assert_eq!(d.repr(), "{1: {...}}");
    let outer = heap.list(&[l.obj(), d.obj(), l.obj()])?;
    assert_eq!(outer.repr(), "[[[...]], {1: {...}}, [[...]]]");
    finish(&heap);
    l.clear();
    m.clear();
    d.clear();
    Ok(())
}

#[test]
fn repr_of_a_deep_nest_hits_the_limit() -> R {
    let heap = deep_heap();
    let l = nested_lists(&heap, DEEP)?;
    assert_eq!(
        l.try_repr(),
        Err(RuntimeError::Recursion(RecursionKind::Repr))
    );
    let r = l.repr();
    assert!(r.starts_with("<list object at 0x"), "{r}");
    finish(&heap);
    Ok(())
}

#[test]
fn the_limit_is_where_it_says() -> R {
    let heap = Heap::new();
    heap.set_recursion_limit(50)?;
    let (a, b) = (nested_lists(&heap, 49)?, nested_lists(&heap, 49)?);
    assert!(a.try_eq(&b)?);
    assert_eq!(
        a.try_repr()?,
        format!("{}1{}", "[".repeat(49), "]".repeat(49))
    );
    let (a, b) = (nested_lists(&heap, 51)?, nested_lists(&heap, 51)?);
    assert!(a.try_eq(&b).is_err());
    assert!(a.try_repr().is_err());
    // Each operation counts from the depth it starts at: inside 45 entered levels, only 5 more.
    let guards: Vec<_> = (0..45)
        .map(|_| heap.enter_recursion(RecursionKind::Frame))
        .collect::<Result<_, _>>()?;
    let (c, d) = (nested_lists(&heap, 5)?, nested_lists(&heap, 5)?);
    assert!(c.try_eq(&d)?);
    let (c, d) = (nested_lists(&heap, 6)?, nested_lists(&heap, 6)?);
    assert!(c.try_eq(&d).is_err());
    drop(guards);
    finish(&heap);
    Ok(())
}
