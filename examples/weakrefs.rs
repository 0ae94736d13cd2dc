//! Weak references and the collector: when a weakref is cleared, and which callbacks run.
//!
//! `cargo run --release --example weakrefs [-- --quick]`
//!
//! A weakref (`weakref.ref(obj, callback)`) points at an object without keeping it alive. When
//! the object dies the weakref is *cleared* (`wr()` returns `None`) and then, if the weakref
//! object itself is still alive, `callback(wr)` is called once.
//!
//! ```text
//!   death by refcounting:   __del__(obj) → clear weakrefs → callbacks → free
//!   death in a cycle:       clear weakrefs (all of them) → callbacks of weakrefs that are NOT
//!                           garbage themselves → __del__ of each object → tp_clear → free
//! ```
//!
//! Why the collector clears weakrefs *before* finalizers (`handle_weakrefs` in `gc_collect_main`):
//! a `__del__` or a callback could otherwise reach, through a weakref, an object of the cycle
//! that `tp_clear` has already emptied. And why callbacks of trash weakrefs are skipped: the
//! callback itself may be part of the trash (bpo-38006, CPython issue 91636).
use pyheap::runtime::{ClassSpec, Heap};
use std::cell::RefCell;
use std::rc::Rc;

/// Callback bookkeeping: how many calls, and the id of the weakref each call received.
#[derive(Default)]
struct Calls(RefCell<Vec<usize>>);

impl Calls {
    fn count(&self) -> usize {
        self.0.borrow().len()
    }
    fn ids(&self) -> Vec<usize> {
        self.0.borrow().clone()
    }
}

fn recorder(calls: &Rc<Calls>) -> pyheap::runtime::ObjFn {
    let calls = calls.clone();
    Heap::obj_fn(move |heap, wr| calls.0.borrow_mut().push(heap.id(&wr)))
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let quick = std::env::args().any(|a| a == "--quick");
    let rounds = if quick { 3 } else { 100 };
    let heap = Heap::new();
    heap.gc().disable();
    let plain = heap.new_class(ClassSpec::new("Thing"))?;

    // ---------------------------------------------------------------------------------------
    println!("== 1. Death by refcounting: the callback runs at once ==");
    let calls = Rc::new(Calls::default());
    let obj = plain.instantiate()?;
    let wr = heap.weakref(&obj, Some(recorder(&calls)))?;
    println!(
        "   obj = Thing(); wr = weakref.ref(obj, cb)   wr() is obj: {}, getweakrefcount(obj) = {}, \
         getrefcount(obj) = {} (a weakref adds no reference)",
        wr.get().is_some_and(|o| o.is(&obj)),
        heap.getweakrefcount(&obj),
        heap.getrefcount(&obj)
    );
    drop(obj);
    println!(
        "   del obj: callback calls {} (during the del itself, no collection), with wr: {}; \
         wr() is None: {}",
        calls.count(),
        calls.ids() == [heap.id(&wr)],
        wr.get().is_none()
    );
    drop(wr);

    // ---------------------------------------------------------------------------------------
    println!("\n== 2. Weakrefs are cleared before finalizers run ==");
    // __del__(self): look at the weakref stored in Watched.watch and note whether it is dead.
    let seen: Rc<RefCell<Vec<bool>>> = Rc::default();
    let s = seen.clone();
    let watched = heap.new_class(ClassSpec::new("Watched").with_del(move |_heap, obj| {
        let cls = obj.as_instance().expect("instance").class();
        let wr = cls.getattr("watch").expect("Watched.watch");
        let dead = wr.as_weakref().expect("a weakref").get().is_none();
        s.borrow_mut().push(dead);
    }))?;
    for (label, cyclic) in [
        ("a self-cycle, freed by gc.collect()", true),
        ("no cycle, freed by refcounting", false),
    ] {
        seen.borrow_mut().clear();
        let o = watched.instantiate()?;
        if cyclic {
            o.setattr("me", &o)?;
        }
        let wr = heap.weakref(&o, None)?;
        watched.setattr("watch", &wr)?; // Watched.watch = weakref.ref(o)
        drop(o);
        let how = if cyclic {
            format!("gc.collect() = {}", heap.gc().collect(2)?)
        } else {
            "del o (no collection)".to_string()
        };
        let s = seen.borrow().clone();
        println!(
            "   {label}: {how}; __del__ calls {}; inside __del__ the weakref was {}",
            s.len(),
            match s.as_slice() {
                [true] => "already dead",
                [false] => "still alive",
                _ => "?",
            }
        );
        watched.setattr("watch", &heap.none())?;
    }
    println!(
        "   (from refcounting, CPython runs __del__ first and clears weakrefs afterwards, since \
         __del__ might resurrect the object; in a cycle the collector clears them first)"
    );

    // ---------------------------------------------------------------------------------------
    println!("\n== 3. Which callbacks run when a cycle is collected ==");
    let inside = Rc::new(Calls::default());
    let outside = Rc::new(Calls::default());
    let mut outside_ids = Vec::new();
    let mut collected_total = 0;
    for round in 1..=rounds {
        // a.peer = b; b.peer = a; a.wr = weakref.ref(b, cb_inside); wr_out = weakref.ref(a, cb_outside)
        let a = plain.instantiate()?;
        let b = plain.instantiate()?;
        a.setattr("peer", &b)?;
        b.setattr("peer", &a)?;
        let wr_in = heap.weakref(&b, Some(recorder(&inside)))?;
        a.setattr("wr", &wr_in)?;
        drop(wr_in); // now only the garbage (a) holds it: the weakref is part of the cycle's trash
        let wr_out = heap.weakref(&a, Some(recorder(&outside)))?;
        drop((a, b));
        let found = heap.gc().collect(2)?;
        collected_total += found;
        outside_ids.push(heap.id(&wr_out));
        if round == 1 {
            println!(
                "   a <-> b cycle; a.wr = weakref.ref(b, cb_inside) (held only by a); wr_out = \
                 weakref.ref(a, cb_outside) (held by us); del a, b"
            );
            println!(
                "   gc.collect() = {found} (a, b and the weakref a.wr); wr_out() is None: {}",
                wr_out.get().is_none()
            );
        }
        drop(wr_out);
    }
    println!(
        "   over {rounds} round(s): collected {collected_total}; cb_inside called {} time(s) \
         (its weakref was garbage); cb_outside called {} time(s), each time with wr_out: {}",
        inside.count(),
        outside.count(),
        outside.ids() == outside_ids
    );

    // ---------------------------------------------------------------------------------------
    println!("\n== 4. A callback may run only once ==");
    let once = Rc::new(Calls::default());
    let o = plain.instantiate()?;
    let wr = heap.weakref(&o, Some(recorder(&once)))?;
    println!("   wr.has_callback() before: {}", wr.has_callback());
    drop(o);
    println!(
        "   after the referent died: callback calls {}, wr.has_callback() = {} (CPython drops \
         wr.__callback__ after the call)",
        once.count(),
        wr.has_callback()
    );
    drop((wr, plain, watched));
    heap.gc().collect(2)?;
    heap.check()?;
    println!("\nlive objects at the end: {}", heap.live_objects());
    Ok(())
}
