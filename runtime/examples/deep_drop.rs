//! Profile helper: build and drop a deep nested list (or tuple/dict/instance: first argument;
//! depth: second, default 1M) ten times, printing the best and mean drop time. Under callgrind,
//! `--toggle-collect='*trashcan*drain*'` counts the drops' instructions only.
//! A third argument keeps up to that many emptied arenas mapped (`Heap::set_keep_empty_arenas`;
//! default 0, CPython's policy), which takes the drop's `munmap`s out of the measure.
//! `cargo run --release -p pyheap-runtime --example deep_drop [list|tuple|dict|instance] [depth] [keep]`
use pyheap_runtime::{ClassSpec, Heap, Obj};
use std::time::{Duration, Instant};

fn main() {
    let kind = std::env::args().nth(1).unwrap_or_else(|| "list".into());
    let heap = Heap::new();
    heap.gc().disable();
    let depth: usize = std::env::args()
        .nth(2)
        .map_or(1_000_000, |d| d.parse().expect("depth"));
    if let Some(keep) = std::env::args().nth(3) {
        heap.set_keep_empty_arenas(keep.parse().expect("keep"));
    }
    let key = heap.intern("k").unwrap();
    let class = heap.new_class(ClassSpec::new("C")).unwrap();
    let mut total = Duration::ZERO;
    let mut best = Duration::MAX;
    for _ in 0..10 {
        let mut cur: Obj = heap.none();
        for _ in 0..depth {
            cur = match kind.as_str() {
                "tuple" => heap.tuple(&[cur]).unwrap().into_obj(),
                "dict" => {
                    let d = heap.dict().unwrap();
                    d.set(&key, &cur).unwrap();
                    d.into_obj()
                }
                "instance" => {
                    let o = class.instantiate().unwrap();
                    o.setattr("next", &cur).unwrap();
                    o.into_obj()
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
        "{depth}-deep {kind} drop: best {:?}, mean {:?}",
        best,
        total / 10
    );
}
