//! Why a reference count needs a lock or atomics — and pyheap's answer: one heap per thread.
//!
//! `cargo run --release --example race_condition [-- --quick]`
//!
//! `Py_INCREF` is `ob_refcnt += 1`: a load, an add, a store. If two threads do that to the same
//! object at the same time, both can load the same old value, and one increment is lost:
//!
//! ```text
//!  thread A:  load 7 ─────────────── store 8
//!  thread B:        load 7 ── store 8            → two increments, count went 7 → 8
//! ```
//!
//! A lost increment means the object is freed while still referenced (use after free); a lost
//! decrement means it is never freed (a leak). CPython avoids this with the GIL (one thread runs
//! Python code at a time) or, in the free-threaded build (PEP 703), with biased reference
//! counting: the owning thread counts without atomics, other threads use atomic operations.
//!
//! This example shows, in safe Rust:
//! 1. the lost updates: threads increment a shared `AtomicUsize` with a *separate* relaxed load
//!    and store (each step is atomic, the read-modify-write is not);
//! 2. `fetch_add`, one atomic read-modify-write, never loses one;
//! 3. pyheap's choice: a [`Heap`] belongs to one thread (`!Send`, `!Sync`, like an interpreter
//!    under its GIL) and so do its handles; each thread builds its own heap, refcounts are plain
//!    integers, and they stay exact without any atomic instruction.
use pyheap::runtime::Heap;
use std::hint::spin_loop;
use std::sync::Barrier;
use std::sync::atomic::{AtomicUsize, Ordering};

/// Run `threads` threads doing `iters` increments each through `incr`; returns the final count.
fn hammer(threads: usize, iters: usize, incr: impl Fn(&AtomicUsize) + Sync) -> usize {
    let counter = AtomicUsize::new(0);
    let start = Barrier::new(threads);
    std::thread::scope(|s| {
        for _ in 0..threads {
            s.spawn(|| {
                start.wait();
                for _ in 0..iters {
                    incr(&counter);
                }
            });
        }
    });
    counter.into_inner()
}

/// `ob_refcnt += 1` done as CPython's non-atomic increment is: read, (a moment), write.
fn racy_increment(c: &AtomicUsize) {
    let v = c.load(Ordering::Relaxed);
    // Widen the window between the read and the write, as a longer instruction path would.
    for _ in 0..8 {
        spin_loop();
    }
    c.store(v + 1, Ordering::Relaxed);
}

fn atomic_increment(c: &AtomicUsize) {
    c.fetch_add(1, Ordering::Relaxed);
}

/// Part 3: build objects in this thread's own heap and check refcounts are exact.
fn heap_per_thread(id: usize, refs: usize) -> (usize, usize, usize, usize) {
    let heap = Heap::new();
    let obj = heap.str(&format!("shared by thread {id}")).expect("str");
    let list = heap.list(&[]).expect("list");
    for _ in 0..refs {
        list.append(&obj).expect("append"); // each append is an incref
    }
    // getrefcount counts its own argument, like sys.getrefcount: list items + our handle + 1.
    let with_list = heap.getrefcount(&obj);
    let live_with_list = heap.live_objects();
    drop(list); // one decref per item
    let after = heap.getrefcount(&obj);
    heap.check().expect("heap invariants");
    (with_list, after, live_with_list, heap.live_objects())
}

fn main() {
    let quick = std::env::args().any(|a| a == "--quick");
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    let threads = cores.clamp(4, 8);
    let iters = if quick { 200_000 } else { 1_000_000 };
    let trials = 3;
    let expected = threads * iters;
    println!(
        "{cores} core(s); {threads} threads × {iters} increments = {expected} expected per trial\n"
    );

    println!("== 1. Read-modify-write as separate atomic load and store (like ob_refcnt += 1) ==");
    let mut total_lost = 0;
    for t in 1..=trials {
        let observed = hammer(threads, iters, racy_increment);
        let lost = expected - observed;
        total_lost += lost;
        println!(
            "   trial {t}: expected {expected}, observed {observed}, lost {lost} ({:.2} %)",
            100.0 * lost as f64 / expected as f64
        );
    }
    if total_lost == 0 {
        println!(
            "   no update was lost this time: the threads did not overlap inside the load→store \
             window (on one core that takes a preemption at just the wrong instruction); the race is still there, rerun to see it."
        );
    } else {
        println!(
            "   {total_lost} increments lost over {trials} trials: every one would be a refcount \
             too low, an object freed while still referenced."
        );
    }

    println!("\n== 2. One atomic read-modify-write (fetch_add) ==");
    for t in 1..=trials {
        let observed = hammer(threads, iters, atomic_increment);
        println!(
            "   trial {t}: expected {expected}, observed {observed}, lost {}",
            expected - observed
        );
    }
    println!(
        "   exact every time, at the price of a locked instruction on every incref/decref — which \
         is one reason CPython's default build keeps plain counts under the GIL."
    );

    println!("\n== 3. pyheap: one heap per thread, plain refcounts, no atomics ==");
    let refs = if quick { 10_000 } else { 100_000 };
    let results: Vec<_> = std::thread::scope(|s| {
        let handles: Vec<_> = (0..threads)
            .map(|id| s.spawn(move || heap_per_thread(id, refs)))
            .collect();
        handles.into_iter().map(|h| h.join().unwrap()).collect()
    });
    let mut exact = true;
    for (id, (with_list, after, live_with, live_after)) in results.into_iter().enumerate() {
        let ok = with_list == refs + 2 && after == 2;
        exact &= ok;
        println!(
            "   thread {id}: {refs} appends → getrefcount {with_list} (expected {}); list dropped → \
             {after} (expected 2); live objects {live_with} → {live_after}{}",
            refs + 2,
            if ok { "" } else { "  MISMATCH" }
        );
    }
    println!(
        "   refcounts exact in every thread: {}",
        if exact { "yes" } else { "NO" }
    );
    println!(
        "   Heap and its handles are !Send and !Sync: an object cannot leave its thread. This line \
         does not compile (error E0277: `Obj` is not `Send`):"
    );
    println!("       std::thread::spawn(move || drop(obj));");
    // let heap = Heap::new();
    // let obj = heap.int(1000).unwrap();
    // std::thread::spawn(move || drop(obj)); // does not compile: Obj<'_> is !Send (E0277)
}
