//! One full collection of a live heap on its own, for instruction counts under load (the
//! `collect` bench's `live_lists` shape): a list holding N empty lists, one untimed full
//! collection (so the survivors sit in generation 2), then a second full collection with phases
//! 2–3 folded into one walk (`FOLD` = 1, the default) or as two walks (`FOLD` = 0).
//!
//! ```text
//! cargo build --release -p pyheap-runtime --example gc_live_heap
//! valgrind --tool=callgrind --toggle-collect='*collect_main*' --callgrind-out-file=/dev/null \
//!     target/release/examples/gc_live_heap 1000000 1      # and 0
//! ```
//! (The first collection is counted too: both are `collect_main`; halve the count.)

use pyheap_runtime::{Heap, RuntimeError};

fn main() -> Result<(), RuntimeError> {
    let args: Vec<String> = std::env::args().collect();
    let n: usize = args
        .get(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or(1_000_000);
    let fold = args.get(2).map(String::as_str) != Some("0");
    let heap = Heap::new();
    heap.gc().disable();
    heap.gc().set_fold_update_refs(fold);
    let keep = heap.list(&[])?;
    for _ in 0..n {
        keep.append(&heap.list(&[])?)?;
    }
    heap.gc().collect(2).expect("collect");
    let freed = heap.gc().collect(2).expect("collect");
    assert_eq!(freed, 0);
    println!("{} live, fold {fold}", keep.len());
    Ok(())
}
