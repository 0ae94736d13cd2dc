//! An instance's first attributes live inline in its own block, sized from what its class's
//! instances reached before; past that room the table moves to a block of its own
//! (`runtime/src/builtins/attrtable.rs`). Sizes are read through `deep_sizeof`, which counts
//! the inline room (8 + 24 bytes per entry) and any out-of-line block.

use pyheap_runtime::{ClassSpec, Heap, Obj, RuntimeError};
use std::cell::RefCell;
use std::rc::Rc;

type R = Result<(), RuntimeError>;

/// Bytes of a table with room for `cap` entries (`attrtable::bytes`: `[len|cap]` + 24 each).
const fn table(cap: usize) -> usize {
    8 + 24 * cap
}

/// Bytes of `o`'s attribute table(s): its deep size less its flat size, its class and values
/// (every value here is an immortal small int or None, which `deep_sizeof` counts flat).
fn table_part(heap: &Heap, o: &Obj<'_>, class_deep: usize, values: usize) -> usize {
    heap.deep_sizeof(o) - heap.sizeof(o) - class_deep - values
}

#[test]
fn instances_get_inline_room_for_the_attributes_their_class_has_seen() -> R {
    let heap = Heap::new();
    heap.gc().disable();
    let cls = heap.new_class(ClassSpec::new("P"))?;
    let one = heap.int(1)?;
    let v = heap.sizeof(&one);
    // The first instance: nothing learned, no inline room; three attributes take a block that
    // grew 2 → 4.
    let a = cls.instantiate()?;
    for n in ["x", "y", "z"] {
        a.setattr(n, &one)?;
    }
    let class_deep = heap.deep_sizeof(&cls);
    assert_eq!(
        table_part(&heap, &a.obj(), class_deep, v),
        table(0) + table(4)
    );
    // The next one has room for three inline: its values read back from there.
    let b = cls.instantiate()?;
    assert_eq!(table_part(&heap, &b.obj(), class_deep, 0), table(3));
    for (i, n) in ["x", "y", "z"].into_iter().enumerate() {
        b.setattr(n, &heap.int(i as i64)?)?;
    }
    assert_eq!(b.getattr("z")?.as_int()?, 2);
    assert_eq!(b.attr_names(), ["x", "y", "z"]);
    // A fourth attribute moves the table out (room 3 → a block of 6), order and values kept.
    b.setattr("w", &heap.int(3)?)?;
    let vals = heap.deep_sizeof(&b) - heap.sizeof(&b) - class_deep - table(3) - table(6);
    assert_eq!(vals, 4 * v, "four small ints counted, no other bytes");
    assert_eq!(b.attr_names(), ["x", "y", "z", "w"]);
    for (i, n) in ["x", "y", "z", "w"].into_iter().enumerate() {
        assert_eq!(b.getattr(n)?.as_int()?, i as i64);
    }
    b.delattr("y")?;
    assert_eq!(b.attr_names(), ["x", "z", "w"]);
    b.setattr("x", &heap.int(9)?)?;
    assert_eq!(b.getattr("x")?.as_int()?, 9);
    // The class learned four: the next instance has room for four.
    let c = cls.instantiate()?;
    assert_eq!(table_part(&heap, &c.obj(), class_deep, 0), table(4));
    // sys.getsizeof never counts the table, inline or not (CPython 3.11+).
    assert_eq!(heap.sizeof(&a), heap.sizeof(&c));
    Ok(())
}

#[test]
fn inline_and_moved_tables_free_everything() -> R {
    let heap = Heap::new();
    heap.gc().disable();
    let cls = heap.new_class(ClassSpec::new("Q"))?;
    heap.clear_freelists();
    let start = (heap.live_objects(), heap.blocks_in_use());
    {
        let keep = heap.list(&[])?;
        for k in 0..12 {
            let o = cls.instantiate()?;
            // 0..11 attributes (the learned room caps at 8): some tables stay inline, some move.
            for i in 0..k {
                o.setattr(&format!("a{i}"), &heap.str(&format!("value {k} {i}"))?)?;
            }
            if k % 3 == 0 && k > 0 {
                o.delattr("a0")?;
            }
            keep.append(&o)?;
        }
        // A cycle through an inline table, freed by the collector.
        let o = cls.instantiate()?;
        o.setattr("me", &o)?;
    }
    heap.gc().collect(2).unwrap();
    heap.clear_freelists();
    assert_eq!((heap.live_objects(), heap.blocks_in_use()), start);
    Ok(())
}

/// A store into an instance while the collector's `clear` releases its inline table: the store
/// must not land in the entries still being read out (it takes a block of its own), and every
/// object is freed exactly once.
///
/// `A` and `B` form a cycle; in the finalizer phase B's `__del__` gives A a fresh `K` holding a
/// weak reference to A. When the collector clears A's (inline) table, K dies and its `__del__`
/// follows the weak reference and stores `late` on A, mid-release.
#[test]
fn a_store_during_the_clear_of_an_inline_table_takes_a_block() -> R {
    let heap = Heap::new();
    heap.gc().disable();
    let log: Rc<RefCell<Vec<String>>> = Rc::default();
    let l2 = log.clone();
    let cls = heap.new_class(ClassSpec::new("N").with_del(move |heap, obj| {
        let me = obj.as_instance().unwrap();
        let name = me.getattr("name").unwrap().str_value().unwrap().to_string();
        l2.borrow_mut().push(format!("del {name}"));
        if let Some(w) = me.get_own("w") {
            if let Some(a) = w.as_weakref().unwrap().get() {
                a.setattr("late", &heap.str("late value").unwrap()).unwrap();
                l2.borrow_mut().push("stored late".into());
            }
        } else if let Some(target) = me.get_own("spawn") {
            let k = me.class().instantiate().unwrap();
            k.setattr("name", &heap.str("k").unwrap()).unwrap();
            k.setattr("w", &heap.weakref(&target, None).unwrap())
                .unwrap();
            target.setattr("child", &k).unwrap();
        }
    }))?;
    // Teach the class three attributes, so A's table (name, b, child) stays inline.
    let t = cls.instantiate()?;
    for n in ["name", "b", "child"] {
        t.setattr(n, &heap.str("teacher")?)?;
    }
    drop(t);
    log.borrow_mut().clear();
    heap.clear_freelists();
    let start = (heap.live_objects(), heap.blocks_in_use());
    {
        let a = cls.instantiate()?;
        let b = cls.instantiate()?;
        a.setattr("name", &heap.str("a")?)?;
        b.setattr("name", &heap.str("b")?)?;
        a.setattr("b", &b)?;
        b.setattr("a", &a)?;
        b.setattr("spawn", &a)?;
    }
    heap.gc().collect(2).unwrap();
    let log = log.borrow().join(", ");
    assert!(
        log.contains("del k, stored late"),
        "the store ran mid-clear: {log}"
    );
    heap.clear_freelists();
    assert_eq!((heap.live_objects(), heap.blocks_in_use()), start);
    Ok(())
}
