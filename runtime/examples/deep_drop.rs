//! Profile helper: build and drop a 1M-deep nested list (or tuple/dict/user: first argument)
//! ten times, printing the best and mean drop time.
//! `cargo run --release -p pyheap-runtime --example deep_drop [list|tuple|dict]`
use pyheap_runtime::{Heap, Obj};
use std::time::{Duration, Instant};

fn main() {
    let kind = std::env::args().nth(1).unwrap_or_else(|| "list".into());
    let heap = Heap::new();
    heap.gc().disable();
    let key = heap.intern("k").unwrap();
    let mut total = Duration::ZERO;
    let mut best = Duration::MAX;
    for _ in 0..10 {
        let mut cur: Obj = heap.none();
        for _ in 0..1_000_000 {
            cur = match kind.as_str() {
                "tuple" => heap.tuple(&[cur]).unwrap().into_obj(),
                "dict" => {
                    let d = heap.dict().unwrap();
                    d.set(&key, &cur).unwrap();
                    d.into_obj()
                }
                _ => heap.list(&[cur]).unwrap().into_obj(),
            };
        }
        let t = Instant::now();
        drop(cur);
        let e = t.elapsed();
        total += e;
        best = best.min(e);
    }
    println!(
        "1M-deep {kind} drop: best {:?}, mean {:?}",
        best,
        total / 10
    );
}
