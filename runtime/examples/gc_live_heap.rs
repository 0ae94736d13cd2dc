//! One full collection of a live heap on its own, for instruction counts under load (the
//! `collect` bench's `live_lists` / `live_instances` shapes): a list holding N empty lists (or N
//! instances with `next`/`prev` = None), one untimed full collection (so the survivors sit in
//! generation 2), then REPS more full collections with phases 2–3 folded into one walk
//! (`FOLD` = 1, the default) or as two walks (`FOLD` = 0). Prints the fastest
//! collection's wall time (the least disturbed one on a busy machine).
//!
//! ```text
//! cargo build --release -p pyheap-runtime --example gc_live_heap
//! valgrind --tool=callgrind --toggle-collect='*collect_main*' --callgrind-out-file=/dev/null \
//!     target/release/examples/gc_live_heap 1000000 1      # and 0
//! target/release/examples/gc_live_heap N FOLD [lists|instances] [REPS]
//! ```
//! (The first collection is counted too: both are `collect_main`; halve the count.)

use pyheap_runtime::{ClassSpec, Heap, Obj, RuntimeError};
use std::time::Instant;

fn main() -> Result<(), RuntimeError> {
    let args: Vec<String> = std::env::args().collect();
    let n: usize = args
        .get(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or(1_000_000);
    let fold = args.get(2).map(String::as_str) != Some("0");
    let instances = args.get(3).map(String::as_str) == Some("instances");
    let reps: usize = args.get(4).and_then(|s| s.parse().ok()).unwrap_or(1);
    let heap = Heap::new();
    heap.gc().disable();
    heap.gc().set_fold_update_refs(fold);
    let class = heap.new_class(ClassSpec::new("Node"))?;
    let keep = heap.list(&[])?;
    for _ in 0..n {
        let o: Obj = if instances {
            let o = class.instantiate()?;
            o.setattr("next", &heap.none())?;
            o.setattr("prev", &heap.none())?;
            o.into_obj()
        } else {
            heap.list(&[])?.into_obj()
        };
        keep.append(&o)?;
    }
    heap.gc().collect(2).expect("collect");
    let mut best = u64::MAX;
    for _ in 0..reps {
        let t = Instant::now();
        let freed = heap.gc().collect(2).expect("collect");
        best = best.min(t.elapsed().as_nanos() as u64);
        assert_eq!(freed, 0);
    }
    println!(
        "{} live, fold {fold}, best {:.2} ns/object",
        keep.len(),
        best as f64 / n as f64
    );
    Ok(())
}
