//! One full collection freeing N dead 2-cycles of lists (or of instances), for instruction
//! counts under load (the `cycles` bench's `dead_pairs` / `dead_instance_pairs` shapes and the
//! `crates` bench's gc-arena comparison). Prints the collection's wall time per freed object.
//!
//! ```text
//! cargo build --release -p pyheap-runtime --example gc_dead_pairs
//! valgrind --tool=callgrind --toggle-collect='*collect_with_callback*' \
//!     target/release/examples/gc_dead_pairs 200000 lists
//! target/release/examples/gc_dead_pairs N [lists|instances]
//! ```

use pyheap_runtime::{ClassSpec, Heap, RuntimeError};
use std::time::Instant;

fn main() -> Result<(), RuntimeError> {
    let mut args = std::env::args().skip(1);
    let n = args
        .next()
        .map_or(1_000_000, |s| s.parse::<usize>().expect("N"));
    let instances = args.next().as_deref() == Some("instances");
    let heap = Heap::new();
    heap.gc().disable();
    let class = heap.new_class(ClassSpec::new("Node"))?;
    for _ in 0..n {
        if instances {
            let a = class.instantiate()?;
            let b = class.instantiate()?;
            a.setattr("other", &b)?;
            b.setattr("other", &a)?;
        } else {
            let a = heap.list(&[])?;
            let b = heap.list(&[a.obj()])?;
            a.append(&b)?;
        }
    }
    let t = Instant::now();
    let freed = heap.gc().collect(2).expect("collect");
    let e = t.elapsed();
    assert_eq!(freed, 2 * n);
    println!(
        "{n} dead pairs ({}): {:.2} ns per freed object",
        if instances { "instances" } else { "lists" },
        e.as_nanos() as f64 / (2 * n) as f64
    );
    Ok(())
}
