//! The hash and eq type slots: built-in values as CPython's, user types by value or identity,
//! dict keys through the slots, borrowed user keys.

use pyheap_runtime::{ClassSpec, EqHash, Heap, Obj, RuntimeError, UserType, Visitor};
use std::cell::Cell;

type R = Result<(), RuntimeError>;

/// Hashed and compared by value.
struct Point {
    x: i64,
    y: i64,
}
impl UserType for Point {
    const NAME: &'static str = "Point";
    const EQ_HASH: EqHash = EqHash::Value;
    fn traverse(&self, _: &mut Visitor<'_>) {}
    fn clear(&mut self) {}
    fn py_hash(&self) -> i64 {
        self.x.wrapping_mul(1_000_003) ^ self.y
    }
    fn py_eq(&self, other: &Self) -> bool {
        (self.x, self.y) == (other.x, other.y)
    }
}

/// Same fields, default (identity) semantics.
struct Plain {
    x: i64,
}
impl UserType for Plain {
    const NAME: &'static str = "Plain";
    fn traverse(&self, _: &mut Visitor<'_>) {}
    fn clear(&mut self) {}
    fn py_hash(&self) -> i64 {
        panic!("identity types never call py_hash")
    }
    fn py_eq(&self, _: &Self) -> bool {
        panic!("identity types never call py_eq")
    }
}

/// `__eq__` without `__hash__`: unhashable.
struct Vector {
    v: Vec<i64>,
}
impl UserType for Vector {
    const NAME: &'static str = "Vector";
    const EQ_HASH: EqHash = EqHash::ValueUnhashable;
    fn traverse(&self, _: &mut Visitor<'_>) {}
    fn clear(&mut self) {}
    fn py_eq(&self, other: &Self) -> bool {
        self.v == other.v
    }
}

/// Hash −1 must become −2 (CPython reserves −1 for errors); counts slot calls.
struct MinusOne;
thread_local! {
    static HASH_CALLS: Cell<usize> = const { Cell::new(0) };
}
impl UserType for MinusOne {
    const NAME: &'static str = "MinusOne";
    const EQ_HASH: EqHash = EqHash::Value;
    fn traverse(&self, _: &mut Visitor<'_>) {}
    fn clear(&mut self) {}
    fn py_hash(&self) -> i64 {
        HASH_CALLS.with(|c| c.set(c.get() + 1));
        -1
    }
    fn py_eq(&self, _: &Self) -> bool {
        true
    }
}

#[test]
fn equal_points_find_the_same_entry() -> R {
    let heap = Heap::new();
    let d = heap.dict()?;
    let p1 = heap.new_user(Point { x: 1, y: 2 })?;
    let p2 = heap.new_user(Point { x: 1, y: 2 })?;
    let p3 = heap.new_user(Point { x: 2, y: 1 })?;
    assert!(!p1.is(&*p2));
    assert_eq!(p1.hash()?, p2.hash()?);
    assert!(p1.py_eq(&*p2) && !p1.py_eq(&*p3));
    d.set(&p1, &heap.str("first")?)?;
    assert_eq!(d.get_item(&p2)?.repr(), "'first'");
    d.set(&p2, &heap.str("second")?)?; // replaces the value, keeps p1 as the key
    assert_eq!(d.len(), 1);
    assert!(d.keys()[0].is(&*p1));
    assert!(!d.contains(&p3)?);
    d.set(&p3, &heap.none())?;
    assert_eq!(d.len(), 2);
    // Past the small-table limit (moves to the IndexMap using the stored hashes), still found.
    for i in 0..20 {
        d.set(&heap.new_user(Point { x: 100 + i, y: 0 })?, &heap.int(i)?)?;
    }
    let again = heap.new_user(Point { x: 1, y: 2 })?;
    assert_eq!(d.get_item(&again)?.repr(), "'second'");
    assert_eq!(
        d.get_item(&heap.new_user(Point { x: 107, y: 0 })?)?
            .as_int()?,
        7
    );
    d.remove(&heap.new_user(Point { x: 2, y: 1 })?)?;
    assert!(!d.contains(&p3)?);
    // A Point never equals an object of another type, nor another value type with equal hash.
    assert!(!p1.py_eq(&heap.int(p1.hash()?)?));
    assert!(!heap.int(p1.hash()?)?.py_eq(&*p1));
    Ok(())
}

#[test]
fn identity_user_type_is_identity_keyed() -> R {
    let heap = Heap::new();
    let d = heap.dict()?;
    let a = heap.new_user(Plain { x: 1 })?;
    let b = heap.new_user(Plain { x: 1 })?;
    assert_eq!(a.borrow()?.x, b.borrow()?.x);
    assert!(a.type_object().is_hashable() && !a.type_object().has_value_eq());
    d.set(&a, &heap.int(1)?)?;
    d.set(&b, &heap.int(2)?)?;
    assert_eq!(d.len(), 2);
    assert_eq!(d.get_item(&a)?.as_int()?, 1);
    assert_eq!(d.get_item(&b)?.as_int()?, 2);
    assert!(!a.py_eq(&*b) && a.py_eq(&*a));
    // Identity hashing needs no borrow: works while mutably borrowed.
    let g = a.borrow_mut()?;
    assert_eq!(d.get_item(&a)?.as_int()?, 1);
    drop(g);
    Ok(())
}

#[test]
fn eq_only_user_type_is_unhashable() -> R {
    let heap = Heap::new();
    let a = heap.new_user(Vector { v: vec![1, 2] })?;
    let b = heap.new_user(Vector { v: vec![1, 2] })?;
    assert!(!a.type_object().is_hashable() && a.type_object().has_value_eq());
    assert!(a.py_eq(&*b));
    assert_eq!(a.hash(), Err(RuntimeError::Unhashable("Vector".into())));
    let d = heap.dict()?;
    assert_eq!(
        d.set(&a, &heap.none()),
        Err(RuntimeError::Unhashable("Vector".into()))
    );
    // And in a tuple, as CPython: hash((v,)) raises for the item's type.
    let t = heap.tuple(&[a.obj()])?;
    assert_eq!(t.hash(), Err(RuntimeError::Unhashable("Vector".into())));
    assert!(t.py_eq(&heap.tuple(&[b.obj()])?));
    Ok(())
}

#[test]
fn list_key_is_unhashable_naming_the_type() -> R {
    let heap = Heap::new();
    let d = heap.dict()?;
    let l = heap.list(&[])?;
    let err = d.set(&l, &heap.none()).unwrap_err();
    assert_eq!(err, RuntimeError::Unhashable("list".into()));
    assert_eq!(err.to_string(), "TypeError: unhashable type: 'list'");
    assert_eq!(
        d.get(&heap.dict()?),
        Err(RuntimeError::Unhashable("dict".into()))
    );
    let t = heap.tuple(&[heap.int(1)?, l.obj()])?;
    assert_eq!(d.contains(&t), Err(RuntimeError::Unhashable("list".into())));
    assert!(d.is_empty());
    Ok(())
}

#[test]
fn one_float_one_and_true_are_one_key() -> R {
    let heap = Heap::new();
    let d = heap.dict()?;
    d.set(&heap.int(1)?, &heap.str("int")?)?;
    d.set(&heap.float(1.0)?, &heap.str("float")?)?;
    d.set(&heap.bool(true), &heap.str("bool")?)?;
    assert_eq!(d.len(), 1);
    assert_eq!(d.keys()[0].repr(), "1"); // the first key stays, as in CPython
    assert_eq!(d.get_item(&heap.float(1.0)?)?.repr(), "'bool'");
    assert_eq!(d.get_item(&heap.bool(true))?.repr(), "'bool'");
    // Also in tuples and in the large table.
    for i in 2..30 {
        d.set(&heap.int(i)?, &heap.none())?;
    }
    let t1 = heap.tuple(&[heap.int(0)?, heap.float(2.0)?])?;
    let t2 = heap.tuple(&[heap.bool(false), heap.int(2)?])?;
    d.set(&t1, &heap.int(7)?)?;
    assert_eq!(d.get_item(&t2)?.as_int()?, 7);
    assert_eq!(d.get_item(&heap.float(1.0)?)?.repr(), "'bool'");
    assert!(d.contains(&heap.float(29.0)?)?);
    assert!(!d.contains(&heap.float(29.5)?)?);
    Ok(())
}

#[test]
fn builtin_slots_are_cpythons() -> R {
    let heap = Heap::new();
    let class = heap.new_class(ClassSpec::new("C"))?;
    let inst = class.instantiate()?;
    let objs: Vec<(Obj, bool, bool)> = vec![
        // (object, hashable, compares by value)
        (heap.none(), true, false),
        (heap.bool(true), true, true),
        (heap.int(5)?, true, true),
        (heap.float(0.5)?, true, true),
        (heap.str("s")?.obj(), true, true),
        (heap.tuple(&[heap.int(1)?])?.obj(), true, true),
        (heap.list(&[])?.obj(), false, true),
        (heap.dict()?.obj(), false, true),
        (class.obj(), true, false),
        (inst.obj(), true, false),
        // CPython compares weakrefs through their referents (`weakref_richcompare`).
        (heap.weakref(&inst, None)?.obj(), true, true),
        (heap.cell(None)?.obj(), true, false),
    ];
    for (o, hashable, value_eq) in &objs {
        let ty = o.type_object();
        assert_eq!(ty.is_hashable(), *hashable, "{}", ty.name());
        assert_eq!(ty.has_value_eq(), *value_eq, "{}", ty.name());
        assert_eq!(o.hash().is_ok(), *hashable, "{}", ty.name());
        assert!(o.py_eq(o), "{}", ty.name());
    }
    // Values as CPython's.
    assert_eq!(heap.int(-1)?.hash()?, -2);
    assert_eq!(heap.int(0)?.hash()?, 0);
    assert_eq!(heap.bool(true).hash()?, 1);
    assert_eq!(heap.float(1.5)?.hash()?, heap.float(1.5)?.hash()?);
    assert_eq!(heap.float(-3.0)?.hash()?, heap.int(-3)?.hash()?);
    assert_eq!(heap.int(1 << 61)?.hash()?, 1); // modulus 2^61 − 1
    assert_eq!(heap.tuple(&[])?.hash()?, 5740354900026072187); // hash(()) on 64-bit CPython
    let (a, b) = (heap.str("key")?, heap.str("key")?);
    assert!(!a.is(&*b) && a.py_eq(&*b) && a.hash()? == b.hash()?);
    // Identity types: equal only to themselves.
    let inst2 = class.instantiate()?;
    assert!(!inst.py_eq(&inst2) && inst.hash()? != inst2.hash()?);
    // Containers by value, across int/float inside.
    let l1 = heap.list(&[heap.int(1)?, heap.str("x")?.obj()])?;
    let l2 = heap.list(&[heap.float(1.0)?, heap.str("x")?.obj()])?;
    assert!(l1.py_eq(&l2) && !l1.py_eq(&heap.tuple(&l2.to_vec())?));
    let nan = heap.float(f64::NAN)?;
    assert!(nan.py_eq(&nan) && !nan.py_eq(&heap.float(f64::NAN)?));
    Ok(())
}

#[test]
fn borrowed_user_key_is_an_error_not_a_panic() -> R {
    let heap = Heap::new();
    let d = heap.dict()?;
    let p1 = heap.new_user(Point { x: 1, y: 2 })?;
    d.set(&p1, &heap.int(1)?)?;
    // The looked-up key is mutably borrowed: its hash slot cannot run.
    let p2 = heap.new_user(Point { x: 1, y: 2 })?;
    {
        let _g = p2.borrow_mut()?;
        let borrowed = Err(RuntimeError::Borrowed { type_name: "Point" });
        assert_eq!(d.get(&p2).map(|_| ()), borrowed.clone());
        assert_eq!(d.set(&p2, &heap.none()), borrowed.clone());
        assert_eq!(d.remove(&p2).map(|_| ()), borrowed.clone());
        assert_eq!(p2.hash(), borrowed.clone().map(|()| 0));
        assert_eq!(p1.try_eq(&*p2), borrowed.clone().map(|()| false));
        assert!(!p1.py_eq(&*p2));
    }
    // The stored key is mutably borrowed: hashes match, its eq slot cannot run.
    {
        let _g = p1.borrow_mut()?;
        let e = d.get(&p2).map(|_| ());
        assert_eq!(e, Err(RuntimeError::Borrowed { type_name: "Point" }));
        // Keys that never get compared with p1 (other hash) are unaffected, also with the
        // borrowed key moving from the small table to the map.
        for i in 0..20 {
            d.set(&heap.int(i)?, &heap.int(i)?)?;
        }
        assert_eq!(d.len(), 21);
        // Shared borrows do not block the slots.
    }
    let _r = p1.borrow()?;
    assert_eq!(d.get_item(&p2)?.as_int()?, 1);
    assert_eq!(d.len(), 21);
    Ok(())
}

#[test]
fn user_hash_minus_one_becomes_minus_two_and_keys_are_not_rehashed() -> R {
    let heap = Heap::new();
    let d = heap.dict()?;
    let m = heap.new_user(MinusOne)?;
    assert_eq!(m.hash()?, -2);
    HASH_CALLS.with(|c| c.set(0));
    d.set(&m, &heap.none())?;
    for i in 0..100 {
        d.set(&heap.int(i)?, &heap.none())?; // grows, moves to the map, rehashes the map
    }
    assert_eq!(HASH_CALLS.with(|c| c.get()), 1);
    assert!(d.contains(&heap.new_user(MinusOne)?)?);
    Ok(())
}

#[test]
fn dict_equality_goes_through_the_slots() -> R {
    let heap = Heap::new();
    let (a, b) = (heap.dict()?, heap.dict()?);
    a.set(
        &heap.new_user(Point { x: 1, y: 1 })?,
        &heap.list(&[heap.int(1)?])?,
    )?;
    b.set(
        &heap.new_user(Point { x: 1, y: 1 })?,
        &heap.list(&[heap.float(1.0)?])?,
    )?;
    assert!(a.py_eq(&b));
    b.set(&heap.int(3)?, &heap.none())?;
    assert!(!a.py_eq(&b));
    assert!(!a.py_eq(&heap.list(&[])?));
    Ok(())
}

#[test]
fn float_hashes_are_cpythons() -> R {
    let heap = Heap::new();
    // Values printed by CPython 3.11 (64-bit): hash(x) for each x.
    let cases: [(f64, i64); 12] = [
        (1.5, 1152921504606846977),
        (-1.5, -1152921504606846977),
        (0.1, 230584300921369408),
        (std::f64::consts::PI, 326490430436040707),
        (1e300, 1224995262755759164),
        (-2.5, -1152921504606846978),
        (1e-310, 615709907932414099),
        (f64::INFINITY, 314159),
        (f64::NEG_INFINITY, -314159),
        (0.0, 0),
        (-0.0, 0),
        (-1.0, -2),
    ];
    for (v, h) in cases {
        assert_eq!(heap.float(v)?.hash()?, h, "hash({v:e})");
    }
    // 2**61 built exactly: `2f64.powi(61)` is not (Miri adds rounding noise to `powi`, as the
    // platform's libm may: it gave 2**61 - 1024 there).
    assert_eq!(
        heap.float((1u64 << 61) as f64)?.hash()?,
        heap.int(1 << 61)?.hash()?
    );
    Ok(())
}

#[test]
fn weakref_hash_is_cached_and_eq_follows_referents() -> R {
    let heap = Heap::new();
    let class = heap.new_class(ClassSpec::new("C"))?;
    let (a, b) = (class.instantiate()?, class.instantiate()?);
    let (ra, ra2, rb) = (
        heap.weakref(&a, None)?,
        heap.weakref(&a, Some(Heap::obj_fn(|_, _| {})))?,
        heap.weakref(&b, None)?,
    );
    assert!(ra.py_eq(&ra2) && !ra.py_eq(&rb));
    assert_eq!(ra.hash()?, a.hash()?);
    let h = ra.hash()?;
    drop(a);
    // Dead: the cached hash stays, a never-asked one is gone; equality is identity.
    assert_eq!(ra.hash()?, h);
    assert!(
        matches!(ra2.hash(), Err(RuntimeError::TypeError(m)) if m == "weak object has gone away")
    );
    assert!(!ra.py_eq(&ra2) && ra.py_eq(&ra));
    assert_eq!(heap.sizeof(&rb), 80); // CPython's weakref, GC head included
    Ok(())
}
