//! `gc.callbacks` and `sys.unraisablehook` as heap objects (`call.rs`): called through the call
//! hook with CPython's arguments, held in traced heap slots, released at teardown.

#[allow(dead_code)] // this file asks CPython through `answers` only
use crate::cpython;

use pyheap_runtime::{ClassSpec, Heap, Obj, RuntimeError};
use std::cell::{Cell, RefCell};
use std::rc::Rc;

type R = Result<(), RuntimeError>;

/// A toy VM: a callable is a str naming a behaviour; the context is a list every behaviour
/// logs to. Returns the heap and a count of calls made through the hook.
fn vm_heap() -> (Heap, Rc<Cell<usize>>) {
    let heap = Heap::new();
    heap.gc().disable(); // only explicit collections: the logs are deterministic
    let calls = Rc::new(Cell::new(0));
    let c2 = calls.clone();
    heap.set_call_hook(Some(Rc::new(
        move |heap: &Heap, f: &Obj<'_>, args: &[Obj<'_>]| {
            c2.set(c2.get() + 1);
            let log = heap.context().expect("context").as_list()?.clone();
            let cbs = heap.gc_callbacks()?;
            match f.str_value()? {
                // gc.callbacks.append(lambda phase, info: log.append((phase, info)))
                "record" => log.append(&heap.tuple(args)?)?,
                // removes itself from gc.callbacks while they are being called
                "once" => {
                    log.append(&heap.tuple(&[heap.str("once")?.into_obj(), args[0].clone()])?)?;
                    let i = cbs.index(f, None, None)?;
                    cbs.pop(i as i64)?;
                }
                // what gc.collect() returns inside a callback
                "collect" => log.append(&heap.int(heap.gc().collect(2).unwrap() as i64)?)?,
                "raise" => return Err(RuntimeError::exception(&heap.str("boom")?.into_obj())),
                "fail" => {
                    return Err(RuntimeError::ValueError(format!(
                        "bad phase {}",
                        args[0].str_value()?
                    )));
                }
                "panic" => panic!("callback panicked"),
                // sys.unraisablehook = lambda *a: log.append(a)
                "hook" => log.append(&heap.tuple(args)?)?,
                "bad_hook" => return Err(RuntimeError::Other("the hook failed".into())),
                _ => return Err(RuntimeError::Other("unknown".into())),
            }
            Ok(heap.none())
        },
    )));
    (heap, calls)
}

/// The Rust unraisable hook, collecting what reaches it.
fn rust_reports(heap: &Heap) -> Rc<RefCell<Vec<String>>> {
    let seen = Rc::new(RefCell::new(Vec::new()));
    let s2 = seen.clone();
    heap.set_unraisable_hook(Some(Rc::new(move |m: &str| {
        s2.borrow_mut().push(m.to_string())
    })));
    seen
}

fn cycle(heap: &Heap) -> R {
    let a = heap.list(&[])?;
    a.append(&a)?;
    Ok(())
}

const SCRIPT: &str = r#"
import gc
gc.disable()
log = []
def record(phase, info):
    log.append((phase, info))
def once(phase, info):
    log.append(('once', phase))
    gc.callbacks.remove(once)
gc.collect()
gc.callbacks.append(record)
a = []; a.append(a); del a
gc.collect(2)
b = []; b.append(b); c = []; c.append(c); del b, c
gc.collect(0)
gc.callbacks.insert(0, once)
gc.collect(1)
print(log)
"#;

#[test]
fn gc_callbacks_get_cpythons_arguments_in_cpythons_order() -> R {
    let expected = cpython::answers_or_recorded!(SCRIPT, "", "gc_callbacks.txt");
    let (heap, _) = vm_heap();
    let log = heap.list(&[])?;
    heap.set_context(Some(&log))?;
    heap.gc().collect(2).unwrap();
    heap.gc_callbacks()?.append(&heap.str("record")?)?;
    cycle(&heap)?;
    heap.gc().collect(2).unwrap();
    cycle(&heap)?;
    cycle(&heap)?;
    heap.gc().collect(0).unwrap();
    // `once` runs first and removes itself: the index walk then skips `record` for that start,
    // as CPython's does.
    heap.gc_callbacks()?.insert(0, &heap.str("once")?)?;
    heap.gc().collect(1).unwrap();
    assert_eq!(vec![log.repr()], expected);
    Ok(())
}

#[test]
fn every_call_returns_the_same_traced_list() -> R {
    let (heap, _) = vm_heap();
    let cbs = heap.gc_callbacks()?;
    assert!(cbs.is(&heap.gc_callbacks()?));
    assert!(heap.gc().is_tracked(&cbs));
    let f = heap.str("record")?;
    cbs.append(&f)?;
    let referents = heap.gc().get_referents(&cbs);
    assert!(referents.iter().any(|o| o.is(&f)));
    Ok(())
}

#[test]
fn automatic_collections_call_them_too() -> R {
    let (heap, _) = vm_heap();
    let log = heap.list(&[])?;
    heap.set_context(Some(&log))?;
    heap.gc_callbacks()?.append(&heap.str("record")?)?;
    heap.gc().set_threshold(5, None, None);
    heap.gc().enable();
    let keep: Vec<_> = (0..6).map(|_| heap.list(&[]).unwrap()).collect();
    heap.gc().disable();
    assert!(log.len() >= 2, "{}", log.repr());
    let first = log.get(0)?.repr();
    assert!(first.starts_with("('start', {'generation': 0, "), "{first}");
    drop(keep);
    Ok(())
}

#[test]
fn collect_inside_a_callback_returns_zero() -> R {
    let (heap, _) = vm_heap();
    let log = heap.list(&[])?;
    heap.set_context(Some(&log))?;
    heap.gc_callbacks()?.append(&heap.str("collect")?)?;
    cycle(&heap)?;
    assert_eq!(heap.gc().collect(2).unwrap(), 1);
    assert_eq!(log.repr(), "[0, 0]");
    Ok(())
}

#[test]
fn errors_and_panics_are_unraisable_and_the_next_callback_runs() -> R {
    let (heap, _) = vm_heap();
    let seen = rust_reports(&heap);
    let log = heap.list(&[])?;
    heap.set_context(Some(&log))?;
    let cbs = heap.gc_callbacks()?;
    let (fail, panic) = (heap.str("fail")?, heap.str("panic")?);
    cbs.append(&fail)?;
    cbs.append(&panic)?;
    cbs.append(&heap.str("record")?)?;
    heap.gc().collect(2).unwrap();
    assert_eq!(log.len(), 2, "record ran at start and stop: {}", log.repr());
    let seen = seen.borrow();
    assert_eq!(seen.len(), 4, "{seen:?}");
    assert_eq!(
        seen[0],
        format!(
            "Exception ignored in: <str object at {:p}>\nValueError: bad phase start",
            fail.as_raw().as_ptr()
        )
    );
    assert_eq!(
        seen[1],
        format!(
            "Exception ignored in: <str object at {:p}>\npanic: callback panicked",
            panic.as_raw().as_ptr()
        )
    );
    assert!(
        seen[2].ends_with("ValueError: bad phase stop"),
        "{}",
        seen[2]
    );
    Ok(())
}

#[test]
fn teardown_calls_no_gc_callback_and_frees_the_list() -> R {
    let dels = Rc::new(Cell::new(0));
    let calls;
    {
        let (heap, c) = vm_heap();
        calls = c;
        heap.gc().enable();
        let d2 = dels.clone();
        let cls = heap.new_class(ClassSpec::new("F").with_del(move |_, _| d2.set(d2.get() + 1)))?;
        let log = heap.list(&[])?;
        heap.set_context(Some(&log))?;
        let cbs = heap.gc_callbacks()?;
        cbs.append(&heap.str("record")?)?;
        cbs.append(&cls.instantiate()?)?; // freed with the list
        cycle(&heap)?; // garbage for teardown's collections
        heap.gc().collect(0).unwrap(); // the instance is not callable: reported, not fatal
        rust_reports(&heap);
        assert_eq!(calls.get(), 4);
    }
    assert_eq!(calls.get(), 4, "teardown's collections called the list");
    assert_eq!(dels.get(), 1, "the callbacks list was released");
    Ok(())
}

#[test]
fn the_unraisable_object_gets_exc_msg_and_the_object() -> R {
    let (heap, _) = vm_heap();
    let seen = rust_reports(&heap);
    let log = heap.list(&[])?;
    heap.set_context(Some(&log))?;
    heap.set_unraisable_object(Some(&heap.str("hook")?))?;
    assert_eq!(heap.unraisable_object().unwrap().str_value()?, "hook");
    // An interpreter exception object travels as itself.
    let raise = heap.str("raise")?;
    heap.gc_callbacks()?.append(&raise)?;
    heap.gc().collect(2).unwrap();
    heap.gc_callbacks()?.clear();
    // A class attribute `__del__` that fails with a runtime error: its text, about the function.
    let a = heap.new_class(ClassSpec::new("A"))?;
    a.setattr("__del__", &heap.str("fail")?)?; // args[0] is the instance: not a str
    drop(a.instantiate()?);
    // A Rust finalizer that panics: described, the dying object not handed out.
    let b = heap.new_class(ClassSpec::new("B").with_del(|_, _| panic!("boom")))?;
    drop(b.instantiate()?);
    assert!(seen.borrow().is_empty(), "{:?}", seen.borrow());
    assert_eq!(log.len(), 4, "{}", log.repr());
    assert_eq!(
        log.get(0)?.repr(),
        "('boom', 'Exception ignored in', 'raise')"
    );
    assert_eq!(log.get(1)?.repr(), log.get(0)?.repr(), "the stop phase too");
    assert_eq!(
        log.get(2)?.repr(),
        "('TypeError: expected str, got A', 'Exception ignored in', 'fail')"
    );
    let t = log.get(3)?.repr();
    assert!(
        t.starts_with("('panic: boom', 'Exception ignored in: <B object at 0x"),
        "{t}"
    );
    assert!(t.ends_with(">', None)"), "{t}");
    // Cleared: reports go to the Rust hook again.
    heap.set_unraisable_object(None::<&Obj<'_>>)?;
    assert!(heap.unraisable_object().is_none());
    drop(b.instantiate()?);
    assert_eq!(seen.borrow().len(), 1);
    Ok(())
}

#[test]
fn a_failing_unraisable_object_is_reported_like_cpythons() -> R {
    let (heap, _) = vm_heap();
    let seen = rust_reports(&heap);
    let log = heap.list(&[])?;
    heap.set_context(Some(&log))?;
    let hook = heap.str("bad_hook")?;
    heap.set_unraisable_object(Some(&hook))?;
    let a = heap.new_class(ClassSpec::new("A"))?;
    a.setattr("__del__", &heap.str("raise")?)?;
    drop(a.instantiate()?);
    assert_eq!(
        *seen.borrow(),
        [format!(
            "Exception ignored in sys.unraisablehook: <str object at {:p}>\nthe hook failed",
            hook.as_raw().as_ptr()
        )]
    );
    Ok(())
}

#[test]
fn a_report_while_the_hook_runs_goes_to_the_rust_hook() -> R {
    let heap = Heap::new();
    heap.gc().disable();
    let seen = rust_reports(&heap);
    let hook_calls = Rc::new(Cell::new(0));
    let h2 = hook_calls.clone();
    // "hook" runs a collection whose gc callback "bad" fails: reports nested in the hook.
    heap.set_call_hook(Some(Rc::new(
        move |heap: &Heap, f: &Obj<'_>, args: &[Obj<'_>]| match f.str_value()? {
            "hook" => {
                assert_eq!(args.len(), 3);
                h2.set(h2.get() + 1);
                heap.gc().collect(0).unwrap();
                Ok(heap.none())
            }
            _ => Err(RuntimeError::Other("bad callback".into())),
        },
    )));
    heap.gc_callbacks()?.append(&heap.str("bad")?)?;
    heap.set_unraisable_object(Some(&heap.str("hook")?))?;
    let b = heap.new_class(ClassSpec::new("B").with_del(|_, _| panic!("outer")))?;
    drop(b.instantiate()?); // outer report -> hook -> collect -> "bad" fails twice -> Rust hook
    assert_eq!(hook_calls.get(), 1);
    let seen = seen.borrow();
    assert_eq!(seen.len(), 2, "{seen:?}");
    assert!(
        seen.iter().all(|m| m.ends_with("\nbad callback")),
        "{seen:?}"
    );
    Ok(())
}

#[test]
fn teardown_releases_the_unraisable_object() -> R {
    let dels = Rc::new(Cell::new(0));
    {
        let heap = Heap::new();
        let d2 = dels.clone();
        let cls = heap.new_class(ClassSpec::new("H").with_del(move |_, _| d2.set(d2.get() + 1)))?;
        heap.set_unraisable_object(Some(&cls.instantiate()?))?;
        assert_eq!(dels.get(), 0);
    }
    assert_eq!(dels.get(), 1);
    Ok(())
}
