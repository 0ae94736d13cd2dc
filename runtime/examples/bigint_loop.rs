//! The big-int loop of `pyheap bench create` on its own, for instruction counts under load:
//! `perf stat -e instructions:u target/release/examples/bigint_loop BITS N` runs
//! `x = (B + i) * 12345` for i in 0..N with `B = 3**100` (BITS=159) or `3**630` (BITS=999),
//! keeping batches of 10,000 results alive like the bench. Twin: `benches/cpython/refcount_bench.py`.

use pyheap_runtime::{Heap, Obj, RuntimeError};

fn main() -> Result<(), RuntimeError> {
    let args: Vec<String> = std::env::args().collect();
    let exp = if args.get(1).map(String::as_str) == Some("999") {
        630
    } else {
        100
    };
    let n: i64 = args
        .get(2)
        .and_then(|s| s.parse().ok())
        .unwrap_or(1_000_000);
    let heap = Heap::new();
    let big = heap.int_pow(&heap.int(3)?, &heap.int(exp)?)?;
    let mul = heap.int(12345)?;
    let mut batch: Vec<Obj<'_>> = Vec::with_capacity(10_000);
    for i in 0..n {
        batch.push(heap.int_mul(&heap.int_add(&big, &heap.int(i)?)?, &mul)?);
        if batch.len() == 10_000 {
            batch.clear();
        }
    }
    drop(batch);
    println!("{}", heap.live_objects());
    Ok(())
}
