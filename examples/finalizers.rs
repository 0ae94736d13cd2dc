//! Finalizers and the cycle collector: `__del__` in a cycle, resurrection, legacy finalizers that
//! make a cycle uncollectable, and what `gc.set_debug(gc.DEBUG_LEAK)` prints.
//!
//! `cargo run --release --example finalizers [-- --quick]`
//!
//! What the collector does with unreachable objects (PEP 442, CPython 3.4+; steps of
//! `gc_collect_main`):
//!
//! ```text
//!   unreachable set ──▶ objects with a legacy tp_del (and all they reach) ──▶ gc.garbage
//!        │                                                  (uncollectable: never freed)
//!        ├─ 1. clear weakrefs to them, call callbacks of live weakrefs
//!        ├─ 2. call each __del__ once (FINALIZED bit set: never again for this object)
//!        ├─ 3. re-check: anything reachable again was resurrected → survives
//!        └─ 4. tp_clear the rest: refcounting frees them       (collected)
//! ```
//!
//! `heap.gc().collect(2)` returns collected + uncollectable, like `gc.collect()`.
use pyheap::gc::{DEBUG_LEAK, DebugCapture, GenerationStats};
use pyheap::runtime::{ClassSpec, Heap, Obj};
use std::cell::{Cell, RefCell};
use std::rc::Rc;

/// The `name` attribute of an instance, for messages.
fn name_of(obj: &Obj<'_>) -> String {
    obj.getattr("name")
        .ok()
        .and_then(|n| n.str_value().ok().map(str::to_owned))
        .unwrap_or_else(|| "?".into())
}

fn stats2(heap: &Heap) -> GenerationStats {
    heap.gc().get_stats()[2]
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let quick = std::env::args().any(|a| a == "--quick");
    let ring_len = if quick { 10 } else { 1_000 };
    let heap = Heap::new();
    heap.gc().disable(); // only our explicit collections run
    println!(
        "automatic collection disabled: gc.isenabled() = {}\n",
        heap.gc().isenabled()
    );

    // ---------------------------------------------------------------------------------------
    println!("== 1. __del__ in a cycle runs once, when the collector frees the cycle ==");
    let del_calls: Rc<RefCell<Vec<String>>> = Rc::default();
    let calls = del_calls.clone();
    let node = heap.new_class(ClassSpec::new("Node").with_del(move |_heap, obj| {
        calls.borrow_mut().push(name_of(&obj));
    }))?;
    {
        let first = node.instantiate()?;
        first.setattr("name", &heap.str("n0")?)?;
        let mut prev = first.obj();
        for i in 1..ring_len {
            let n = node.instantiate()?;
            n.setattr("name", &heap.str(&format!("n{i}"))?)?;
            prev.setattr("next", &n)?;
            prev = n.into_obj();
        }
        prev.setattr("next", &first)?; // close the ring: n{last}.next = n0
        println!(
            "   built a ring of {ring_len} Node objects (n0 → n1 → … → n0), each with __del__; \
             handles dropped"
        );
    }
    println!(
        "   after del: __del__ calls so far {} (refcounting cannot free a cycle)",
        del_calls.borrow().len()
    );
    let s0 = stats2(&heap);
    let found = heap.gc().collect(2)?;
    let s1 = stats2(&heap);
    let calls_now = del_calls.borrow().len();
    let mut names = del_calls.borrow().clone();
    names.sort();
    names.dedup();
    println!(
        "   gc.collect() = {found}: collected {}, uncollectable {} (get_stats()[2] deltas)",
        s1.collected - s0.collected,
        s1.uncollectable - s0.uncollectable
    );
    println!(
        "   __del__ calls {calls_now} for {} distinct objects (each exactly once: {})",
        names.len(),
        calls_now == names.len()
    );
    let again = heap.gc().collect(2)?;
    println!(
        "   a second gc.collect() = {again}; __del__ calls still {}",
        del_calls.borrow().len()
    );

    // ---------------------------------------------------------------------------------------
    println!("\n== 2. Resurrection (Lazarus): __del__ makes the object reachable again ==");
    let lazarus_calls = Rc::new(Cell::new(0usize));
    let lc = lazarus_calls.clone();
    // __del__(self): Lazarus.survivor = self — the object is referenced again after its finalizer.
    let lazarus = heap.new_class(ClassSpec::new("Lazarus").with_del(move |_heap, obj| {
        lc.set(lc.get() + 1);
        let cls = obj.as_instance().expect("an instance").class();
        cls.setattr("survivor", &obj).expect("setattr");
    }))?;
    let id;
    {
        let l = lazarus.instantiate()?;
        l.setattr("me", &l)?; // a self-cycle
        id = heap.id(&l);
        println!("   l = Lazarus(); l.me = l; del l   (id {id:#x})");
    }
    let found = heap.gc().collect(2)?;
    let survivor = lazarus.getattr("survivor")?;
    println!(
        "   gc.collect() = {found}; __del__ calls {}; Lazarus.survivor is the same object: {}",
        lazarus_calls.get(),
        heap.id(&survivor) == id
    );
    println!(
        "   (a resurrected object is not counted as collected: CPython 3.9+ re-checks reachability \
         after the finalizers and spares whatever became reachable again)"
    );
    println!(
        "   gc.is_finalized(survivor) = {}   (the FINALIZED bit: __del__ will not run again)",
        heap.gc().is_finalized(&survivor)
    );
    drop(survivor);
    lazarus.setattr("survivor", &heap.none())?; // del Lazarus.survivor
    let live_before = heap.live_objects();
    let found = heap.gc().collect(2)?;
    println!(
        "   Lazarus.survivor = None; gc.collect() = {found}; __del__ calls still {} \
         (live objects {live_before} → {})",
        lazarus_calls.get(),
        heap.live_objects()
    );

    // ---------------------------------------------------------------------------------------
    println!("\n== 3. A legacy finalizer (tp_del) in a cycle: uncollectable, into gc.garbage ==");
    let legacy_calls = Rc::new(Cell::new(0usize));
    let lg = legacy_calls.clone();
    let legacy = heap.new_class(
        ClassSpec::new("Legacy").with_legacy_del(move |_heap, _obj| {
            lg.set(lg.get() + 1);
        }),
    )?;
    {
        let a = legacy.instantiate()?;
        let b = legacy.instantiate()?;
        a.setattr("name", &heap.str("a")?)?;
        b.setattr("name", &heap.str("b")?)?;
        a.setattr("peer", &b)?;
        b.setattr("peer", &a)?;
        println!("   a, b = Legacy(), Legacy(); a.peer = b; b.peer = a; del a, b");
    }
    let s0 = stats2(&heap);
    let found = heap.gc().collect(2)?;
    let s1 = stats2(&heap);
    println!(
        "   gc.collect() = {found}: collected {}, uncollectable {}; tp_del calls {}",
        s1.collected - s0.collected,
        s1.uncollectable - s0.uncollectable,
        legacy_calls.get()
    );
    let garbage = heap.gc().garbage();
    let names: Vec<String> = garbage.iter().map(name_of).collect();
    println!(
        "   len(gc.garbage) = {}: {}   (the collector cannot know a safe order to finalize them)",
        garbage.len(),
        garbage
            .iter()
            .zip(&names)
            .map(|(o, n)| format!("<{} {n}>", o.type_name()))
            .collect::<Vec<_>>()
            .join(", ")
    );
    // The program's job: break the cycle by hand, then empty gc.garbage.
    for o in &garbage {
        o.setattr("peer", &heap.none())?;
    }
    heap.gc().clear_garbage();
    drop(garbage);
    println!(
        "   broke the cycle by hand (x.peer = None) and cleared gc.garbage: refcounting freed them, \
         tp_del calls {}",
        legacy_calls.get()
    );

    // ---------------------------------------------------------------------------------------
    println!("\n== 4. gc.set_debug(gc.DEBUG_LEAK) ==");
    let out = DebugCapture::default();
    heap.gc().set_debug_output(Box::new(out.clone()));
    heap.gc().set_debug(DEBUG_LEAK);
    {
        let l = heap.list(&[])?;
        l.append(&l)?; // l = []; l.append(l)
        let a = legacy.instantiate()?;
        a.setattr("me", &a)?; // a Legacy self-cycle
    }
    let found = heap.gc().collect(2)?;
    heap.gc().set_debug(0);
    let text = out.text();
    println!("   a self-referencing list and a Legacy self-cycle; gc.collect() = {found}; output:");
    for line in text.lines() {
        println!("      {line}");
    }
    let saved = heap.gc().garbage_len();
    println!(
        "   DEBUG_LEAK = COLLECTABLE | UNCOLLECTABLE | SAVEALL ({DEBUG_LEAK}): with SAVEALL nothing is \
         freed, every unreachable object is kept in gc.garbage for inspection: len = {saved}"
    );
    // Clean up: break the Legacy cycle, forget the garbage, collect what is left.
    for o in heap.gc().garbage() {
        if o.type_name() == "Legacy" {
            o.setattr("me", &heap.none())?;
        }
    }
    heap.gc().clear_garbage();
    let found = heap.gc().collect(2)?;
    println!(
        "   debug off, Legacy cycle broken by hand (tp_del calls now {}), gc.garbage cleared: the \
         list still refers to itself, gc.collect() = {found}; live objects now {}",
        legacy_calls.get(),
        heap.live_objects()
    );
    drop((node, lazarus, legacy));
    heap.gc().collect(2)?;
    heap.check()?;
    println!(
        "\nclasses dropped and collected; live objects at the end: {}",
        heap.live_objects()
    );
    Ok(())
}
