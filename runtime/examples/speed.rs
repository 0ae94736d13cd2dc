//! Quick figures for the runtime (run with `--release`): handle clone/drop vs `Rc`, create+drop
//! of built-ins, and dropping a 1M-deep nested list. The comparable, JSON-emitting harness is the
//! root package's `pyheap bench`; this is the runtime's own sanity check.
//!
//! `cargo run --release -p pyheap-runtime --example speed`

use pyheap_runtime::{Heap, Obj};
use std::hint::black_box;
use std::rc::Rc;
use std::time::Instant;

fn ns_per(label: &str, n: usize, f: impl FnOnce()) -> f64 {
    let t = Instant::now();
    f();
    let ns = t.elapsed().as_nanos() as f64 / n as f64;
    println!("{label:<36} {ns:>8.2} ns/op");
    ns
}

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(|a, b| a.partial_cmp(b).unwrap());
    v[v.len() / 2]
}

fn main() {
    let heap = Heap::new();
    heap.gc().disable();
    const N: usize = 50_000_000;

    let o: Obj = heap.list(&[]).unwrap().into_obj();
    let r = Rc::new(std::cell::RefCell::new(Vec::<i64>::new()));
    let mut ours = vec![];
    let mut rc = vec![];
    for _ in 0..5 {
        ours.push(ns_per("Obj clone+drop", N, || {
            for _ in 0..N {
                let c = black_box(o.clone());
                drop(c);
            }
        }));
        rc.push(ns_per("Rc clone+drop", N, || {
            for _ in 0..N {
                let c = black_box(r.clone());
                drop(c);
            }
        }));
    }
    println!(
        "handle clone/drop ratio ours/Rc (median): {:.2}",
        median(ours) / median(rc)
    );

    const B: usize = 10_000;
    const ROUNDS: usize = 200;
    let mut batch: Vec<Obj> = Vec::with_capacity(B);
    for (label, make) in [
        ("create+drop int (batch 10k)", 0),
        ("create+drop float (batch 10k)", 1),
        ("create+drop list [] (batch 10k)", 2),
        ("create+drop tuple (x,) (batch 10k)", 3),
        ("create+drop dict {} (batch 10k)", 4),
    ] {
        let one = heap.int(1).unwrap();
        ns_per(label, B * ROUNDS, || {
            for _ in 0..ROUNDS {
                for i in 0..B {
                    let v = match make {
                        0 => heap.int(1000 + i as i64).unwrap(),
                        1 => heap.float(i as f64).unwrap(),
                        2 => heap.list(&[]).unwrap().into_obj(),
                        3 => heap.tuple(std::slice::from_ref(&one)).unwrap().into_obj(),
                        _ => heap.dict().unwrap().into_obj(),
                    };
                    batch.push(v);
                }
                batch.clear();
            }
        });
    }
    let mut rc_batch: Vec<Rc<std::cell::RefCell<i64>>> = Vec::with_capacity(B);
    ns_per("Rc<RefCell<i64>> create+drop (10k)", B * ROUNDS, || {
        for _ in 0..ROUNDS {
            for i in 0..B {
                rc_batch.push(Rc::new(std::cell::RefCell::new(i as i64)));
            }
            rc_batch.clear();
        }
    });

    for _ in 0..3 {
        let mut cur: Obj = heap.list(&[]).unwrap().into_obj();
        for _ in 0..1_000_000 {
            cur = heap.list(&[cur]).unwrap().into_obj();
        }
        let t = Instant::now();
        drop(cur);
        println!(
            "drop 1M-deep nested list             {:>8.2} ms (CPython: 27.8 ms)",
            t.elapsed().as_secs_f64() * 1e3
        );
    }
}
