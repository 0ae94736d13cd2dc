//! Callbacks stored as heap objects are seen by the collector: the leak
//! (`frame -> weakref -(callback)-> lambda -> frame`, once per call) is freed by `gc.collect()`,
//! and such callbacks are called through the call hook.

use pyheap_runtime::{ClassSpec, Heap, Member, Obj, RuntimeError};
use std::cell::RefCell;
use std::rc::Rc;

type R = Result<(), RuntimeError>;

/// A toy VM's call hook: a "function" is an instance whose `log` attribute is a list; calling it
/// appends its first argument's type name.
fn vm_heap() -> Heap {
    let heap = Heap::new();
    heap.set_call_hook(Some(Rc::new(
        |heap: &Heap, f: &Obj<'_>, args: &[Obj<'_>]| {
            let log = f.getattr("log")?;
            log.as_list()?.append(&heap.str(args[0].type_name())?)?;
            Ok(heap.none())
        },
    )));
    heap
}

#[test]
fn frame_weakref_lambda_cycles_are_collected() -> R {
    let heap = vm_heap();
    let frame_cls = heap.new_class(ClassSpec::new("frame"))?;
    let func_cls = heap.new_class(ClassSpec::new("function"))?;
    let target = frame_cls.instantiate()?; // what the weakrefs point to; outlives the loop
    let log = heap.list(&[])?;
    heap.gc().collect(2).unwrap();
    // Under Miri 300 calls (1000 take over 10 minutes there) and a generation-0 threshold of
    // 100 instead of 700, so automatic collections still run meanwhile (at the default 300
    // calls stayed below it: the assertion after the loop failed).
    let calls = if cfg!(miri) {
        heap.gc().set_threshold(100, None, None);
        300
    } else {
        1000
    };
    let start = heap.live_objects();
    for _ in 0..calls {
        // def f(): frame = ...; lam = lambda wr: frame; frame.wr = weakref.ref(target, lam)
        let frame = frame_cls.instantiate()?;
        let lam = func_cls.instantiate()?;
        lam.setattr("closure", &frame)?;
        lam.setattr("log", &log)?;
        let wr = heap.weakref_with_callable(&target, &lam)?;
        assert!(wr.callback().unwrap().is(&lam));
        frame.setattr("wr", &wr)?;
    }
    // Automatic collections ran meanwhile; the last cycles are still garbage waiting.
    assert!(
        heap.gc().get_stats()[0].collections > 0,
        "an automatic collection ran"
    );
    assert!(heap.live_objects() > start);
    heap.gc().collect(2).unwrap();
    assert_eq!(heap.live_objects(), start);
    // The weakrefs died with their cycles: the referent's death calls nothing.
    drop(target);
    assert!(log.is_empty());
    Ok(())
}

#[test]
fn rust_closure_callbacks_are_not_traced() -> R {
    // The same shape with a closure capturing a Member: the collector cannot see the edge, so
    // the cycle survives a collection (documented in weakref.rs and call.rs).
    let heap = Heap::new();
    let cls = heap.new_class(ClassSpec::new("frame"))?;
    let target = cls.instantiate()?;
    let start = heap.live_objects();
    let frame = cls.instantiate()?;
    let captured = Member::new(&frame);
    let wr = heap.weakref(
        &target,
        Some(Heap::obj_fn(move |_, _| {
            let _ = &captured;
        })),
    )?;
    frame.setattr("wr", &wr)?;
    drop((frame, wr));
    heap.gc().collect(2).unwrap();
    assert_eq!(heap.live_objects(), start + 2);
    // Breaking it by hand: the referent's death runs (and drops) the closure.
    drop(target);
    assert_eq!(heap.live_objects(), start - 1);
    Ok(())
}

#[test]
fn callable_callbacks_run_once_through_the_hook() -> R {
    let heap = vm_heap();
    let cls = heap.new_class(ClassSpec::new("C"))?;
    let log = heap.list(&[])?;
    let cb = cls.instantiate()?;
    cb.setattr("log", &log)?;
    let target = cls.instantiate()?;
    let wr = heap.weakref_with_callable(&target, &cb)?;
    assert!(wr.has_callback());
    drop(target); // refcount death
    assert_eq!(log.repr(), "['weakref']");
    assert!(!wr.has_callback() && wr.callback().is_none() && wr.get().is_none());
    // Through the collector: the referent in a cycle, the weakref outside it.
    let t2 = cls.instantiate()?;
    t2.setattr("me", &t2)?;
    let wr2 = heap.weakref_with_callable(&t2, &cb)?;
    drop(t2);
    heap.gc().collect(2).unwrap();
    assert_eq!(log.repr(), "['weakref', 'weakref']");
    assert!(wr2.get().is_none());
    Ok(())
}

#[test]
fn callback_errors_are_unraisable() -> R {
    let heap = Heap::new(); // no call hook: calling fails with "not callable"
    let seen = Rc::new(RefCell::new(String::new()));
    let s2 = seen.clone();
    heap.set_unraisable_hook(Some(Rc::new(move |m: &str| s2.borrow_mut().push_str(m))));
    let cls = heap.new_class(ClassSpec::new("C"))?;
    let target = cls.instantiate()?;
    let cb = heap.str("not callable")?;
    let _wr = heap.weakref_with_callable(&target, &cb)?;
    drop(target);
    assert_eq!(
        *seen.borrow(),
        format!(
            "Exception ignored in: <str object at {:p}>\nTypeError: 'str' object is not callable",
            cb.as_raw()
        )
    );
    Ok(())
}
