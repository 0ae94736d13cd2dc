//! The caches an interpreter keys on runtime versions: the per-class look-up cache along the MRO
//! (`Class::lookup`, invalidated through `Heap::class_version`) and the dict version
//! (`Dict::version`, `Dict::index_of`, `Dict::value_at`) with the identity-checked entry access
//! (`Dict::value_at_key`, `Dict::replace_at_key`). Each test fills a cache, changes what it
//! depends on in every way the API allows, and checks the next answer (and the reference counts:
//! a cache holds no references).

use pyheap_runtime::{ClassSpec, Heap, Obj};

type R = Result<(), pyheap_runtime::RuntimeError>;

fn int_of(o: Option<Obj<'_>>) -> Option<i64> {
    o.map(|o| o.as_int().expect("int"))
}

#[test]
fn class_lookup_follows_changes_on_bases_and_subclasses() -> R {
    let heap = Heap::new();
    let base = heap.new_class(ClassSpec::new("Base"))?;
    let mid = heap.new_class(ClassSpec::new("Mid").with_bases(&[&base]))?;
    let leaf = heap.new_class(ClassSpec::new("Leaf").with_bases(&[&mid]))?;
    base.setattr("x", &heap.int(1000)?)?;
    for _ in 0..3 {
        assert_eq!(int_of(leaf.lookup("x")), Some(1000));
        assert_eq!(int_of(leaf.lookup("missing")), None);
    }
    let v0 = heap.class_version();
    base.setattr("x", &heap.int(2000)?)?;
    assert_ne!(
        heap.class_version(),
        v0,
        "a class store changes the version"
    );
    assert_eq!(
        int_of(leaf.lookup("x")),
        Some(2000),
        "set on a base after caching"
    );
    mid.setattr("x", &heap.int(3000)?)?;
    assert_eq!(
        int_of(leaf.lookup("x")),
        Some(3000),
        "shadowed on a middle class"
    );
    assert_eq!(
        int_of(base.lookup("x")),
        Some(2000),
        "the base's own look-up is unchanged"
    );
    mid.delattr("x")?;
    assert_eq!(int_of(leaf.lookup("x")), Some(2000), "the shadow deleted");
    base.setattr("missing", &heap.int(4000)?)?;
    assert_eq!(
        int_of(leaf.lookup("missing")),
        Some(4000),
        "a cached miss is refilled"
    );
    base.delattr("x")?;
    assert_eq!(int_of(leaf.lookup("x")), None, "deleted on the base");
    // More names than the cache has slots: every answer is still right.
    for i in 0..100 {
        leaf.setattr(&format!("n{i}"), &heap.int(i)?)?;
    }
    for round in 0..2 {
        for i in 0..100 {
            assert_eq!(
                int_of(leaf.lookup(&format!("n{i}"))),
                Some(i),
                "round {round}"
            );
        }
    }
    Ok(())
}

#[test]
fn cached_lookups_hold_no_references() -> R {
    let heap = Heap::new();
    let base = heap.new_class(ClassSpec::new("Base"))?;
    let sub = heap.new_class(ClassSpec::new("Sub").with_bases(&[&base]))?;
    let v = heap.list(&[])?.into_obj();
    base.setattr("v", &v)?;
    let before = heap.getrefcount(&v);
    for _ in 0..5 {
        drop(sub.lookup("v"));
    }
    assert_eq!(heap.getrefcount(&v), before);
    base.delattr("v")?;
    assert_eq!(
        heap.getrefcount(&v),
        before - 1,
        "the class let go: nothing else holds it"
    );
    assert!(sub.lookup("v").is_none());
    Ok(())
}

#[test]
fn dict_versions_change_with_every_change_and_are_unique() -> R {
    let heap = Heap::new();
    let d = heap.dict()?;
    let e = heap.dict()?;
    assert_ne!(d.version(), e.version(), "two dicts never share a version");
    let k = heap.str("k")?;
    let mut seen = vec![d.version(), e.version()];
    let mut check_new = |v: u64, what: &str| {
        assert!(!seen.contains(&v), "{what}: version {v} seen before");
        seen.push(v);
    };
    d.set(&k, &heap.int(1)?)?;
    check_new(d.version(), "insert");
    let v = d.version();
    assert_eq!(int_of(d.get(&k)?), Some(1));
    assert_eq!(d.version(), v, "a read keeps the version");
    d.set(&k, &heap.int(2)?)?;
    check_new(d.version(), "replace a value");
    let i = d.index_of(&k)?.expect("present");
    assert_eq!(int_of(d.value_at(i)), Some(2));
    assert_eq!(d.index_of(&heap.str("other")?)?, None);
    d.remove(&k)?;
    check_new(d.version(), "remove");
    assert!(d.remove(&k).is_err());
    d.set(&k, &heap.int(3)?)?;
    d.clear();
    check_new(d.version(), "clear");
    assert_eq!(
        d.value_at(0).map(|_| ()),
        None,
        "no entry 0 in an empty dict"
    );
    // A dict made from freed memory gets a version no dict had before.
    drop(e);
    let f = heap.dict()?;
    check_new(f.version(), "new dict");
    Ok(())
}

#[test]
fn entry_access_by_key_identity_follows_every_change() -> R {
    let heap = Heap::new();
    let d = heap.dict()?;
    let k = heap.str("name")?;
    d.set(&heap.str("first")?, &heap.int(0)?)?;
    d.set(&k, &heap.int(1)?)?;
    let i = d.index_of(&k)?.expect("present");
    assert_eq!(int_of(d.value_at_key(i, &k)), Some(1));
    // Replacing in place: a new version (as `set` gives), the value seen by `get`.
    let v = d.version();
    assert!(d.replace_at_key(i, &k, &heap.int(2)?)?);
    assert_ne!(d.version(), v, "a replaced value is a change");
    assert_eq!(int_of(d.get(&k)?), Some(2));
    // An equal key that is another object: not answered by identity (the caller looks up).
    let equal = heap.str(&String::from("name"))?;
    assert!(!equal.is(&k));
    assert_eq!(d.value_at_key(i, &equal).map(|_| ()), None);
    assert!(!d.replace_at_key(i, &equal, &heap.int(3)?)?);
    assert_eq!(
        int_of(d.get(&k)?),
        Some(2),
        "a refused replace changes nothing"
    );
    // Another entry's index, an index past the end.
    assert_eq!(d.value_at_key(0, &k).map(|_| ()), None);
    assert!(!d.replace_at_key(9, &k, &heap.int(3)?)?);
    // The entry moves when an earlier one goes: the old index no longer answers.
    d.remove(&heap.str("first")?)?;
    assert_eq!(d.value_at_key(i, &k).map(|_| ()), None);
    let j = d.index_of(&k)?.expect("present");
    assert_eq!(int_of(d.value_at_key(j, &k)), Some(2));
    // Past the small array (the map form): same answers.
    for n in 0..20 {
        d.set(&heap.str(&format!("k{n}"))?, &heap.int(n)?)?;
    }
    assert!(d.replace_at_key(j, &k, &heap.int(4)?)?);
    assert_eq!(int_of(d.get(&k)?), Some(4));
    d.remove(&k)?;
    assert_eq!(d.value_at_key(j, &k).map(|_| ()), None);
    assert!(!d.replace_at_key(j, &k, &heap.int(5)?)?);
    assert_eq!(
        d.get(&k)?.map(|_| ()),
        None,
        "a deleted key is not brought back"
    );
    Ok(())
}

#[test]
fn replace_at_key_counts_references_and_tracks_as_set_does() -> R {
    let heap = Heap::new();
    let d = heap.dict()?;
    let k = heap.str("k")?;
    d.set(&k, &heap.int(1)?)?;
    assert!(!heap.gc().is_tracked(&d), "a dict of atoms is untracked");
    let old = heap.list(&[])?.into_obj();
    let new = heap.list(&[])?.into_obj();
    assert!(d.replace_at_key(0, &k, &old)?);
    assert!(
        heap.gc().is_tracked(&d),
        "holding a container tracks the dict"
    );
    let (old_before, new_before) = (heap.getrefcount(&old), heap.getrefcount(&new));
    assert!(d.replace_at_key(0, &k, &new)?);
    assert_eq!(
        heap.getrefcount(&old),
        old_before - 1,
        "the old value is released"
    );
    assert_eq!(
        heap.getrefcount(&new),
        new_before + 1,
        "the dict holds the new one"
    );
    assert!(d.replace_at_key(0, &k, &new)?);
    assert_eq!(
        heap.getrefcount(&new),
        new_before + 1,
        "storing the same value again"
    );
    let other = Heap::new();
    assert!(
        d.replace_at_key(0, &k, &other.int(1)?).is_err(),
        "a value of another heap is refused"
    );
    assert_eq!(heap.getrefcount(&new), new_before + 1);
    Ok(())
}
