//! Profile helper: build and drop a 1M-deep nested list ten times.
//! `cargo run --release -p pyheap-runtime --example deep_drop`
use pyheap_runtime::{Heap, Obj};
use std::time::{Duration, Instant};

fn main() {
    let heap = Heap::new();
    heap.gc().disable();
    let mut total = Duration::ZERO;
    let mut best = Duration::MAX;
    for _ in 0..10 {
        let mut cur: Obj = heap.list(&[]).unwrap().into_obj();
        for _ in 0..1_000_000 {
            cur = heap.list(&[cur]).unwrap().into_obj();
        }
        let t = Instant::now();
        drop(cur);
        let e = t.elapsed();
        total += e;
        best = best.min(e);
    }
    println!("1M-deep list drop: best {:?}, mean {:?}", best, total / 10);
}
