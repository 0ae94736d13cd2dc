//! Misuse of the unsafe API is detected in debug builds; deep chains with finalizers.

use pyheap_runtime::{ClassSpec, Heap, Obj};
use std::cell::Cell;
use std::rc::Rc;

/// Chain depth (Miri interprets ~10^4x slower: 2000 there, still far past the trashcan depth).
const DEEP: usize = if cfg!(miri) { 300 } else { 200_000 };
#[test]
#[cfg(debug_assertions)]
#[should_panic(expected = "'list' object whose refcount is 0")]
fn refcount_underflow_is_detected_with_the_type_name() {
    let heap = Heap::new();
    let l = heap.list(&[]).unwrap().into_obj();
    // SAFETY: deliberately violated: a second owner of the same single reference.
    let twin = unsafe { Obj::from_owned(l.as_raw()) };
    drop(twin); // count 1 → 0: the list goes to the free list
    drop(l); // decref at 0: detected
}

#[test]
#[cfg(debug_assertions)]
#[should_panic(expected = "incref of a freed 'int' object")]
fn use_after_free_is_detected() {
    let heap = Heap::new();
    let i = heap.int(123_456).unwrap();
    let raw = i.as_raw();
    drop(i); // ints are freed, not free-listed
    // SAFETY: deliberately violated: `raw` is dangling now; the incref is detected.
    let _again = unsafe { Obj::from_borrowed(raw) };
}

#[test]
fn deep_chain_of_instances_with_del_runs_each_once() {
    let heap = Heap::new();
    heap.gc().disable();
    let calls = Rc::new(Cell::new(0usize));
    let c2 = calls.clone();
    let cls = heap
        .new_class(ClassSpec::new("D").with_del(move |_, _| c2.set(c2.get() + 1)))
        .unwrap();
    let live = heap.live_objects();
    let mut cur: Obj = heap.none();
    for _ in 0..DEEP {
        let n = cls.instantiate().unwrap();
        n.setattr("next", &cur).unwrap();
        cur = n.into_obj();
    }
    drop(cur);
    assert_eq!(calls.get(), DEEP);
    assert_eq!(heap.live_objects(), live);
}

#[test]
fn weakref_callbacks_in_a_deep_chain_run_once_each() {
    let heap = Heap::new();
    heap.gc().disable();
    let calls = Rc::new(Cell::new(0usize));
    let cls = heap.new_class(ClassSpec::new("W")).unwrap();
    let mut cur: Obj = heap.none();
    let mut weak = vec![];
    for i in 0..DEEP / 2 {
        let n = cls.instantiate().unwrap();
        n.setattr("next", &cur).unwrap();
        if i % 10 == 0 {
            let c = calls.clone();
            weak.push(
                heap.weakref(&n, Some(Heap::obj_fn(move |_, _| c.set(c.get() + 1))))
                    .unwrap(),
            );
        }
        cur = n.into_obj();
    }
    drop(cur);
    assert_eq!(calls.get(), DEEP / 20);
    assert!(weak.iter().all(|w| w.get().is_none() && !w.has_callback()));
}
