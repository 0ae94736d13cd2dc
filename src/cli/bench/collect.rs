//! `pyheap bench collect|cycles|pyperf`: the collector next to CPython running the same graph
//! (`benches/cpython/gc_bench.py`, `python3 -S`) in the same run. Automatic collection is off on
//! both sides so only the measured `collect()` runs.
//!
//! - `collect`: full collection of a live list holding N empty lists (nothing to free); ns per
//!   object. Plus `gen0_with_10m_old`: one generation-0 collection of 2000 new objects while 10M
//!   objects sit in generation 2, against the same with an empty generation 2 (baseline `ours`).
//! - `cycles`: a full collection freeing N two-list cycles; ns per freed object.
//! - `pyperf`: pyperformance's gc_collect (100 rings of 21 nodes) and gc_traversal (1000 nested
//!   levels) shapes; ns per collect() call.

use super::{Comparison, python_ns};
use pyheap::benchkit::objects::{
    dead_pairs, live_lists, nested_levels, node_class, quiet_heap, rings,
};
use pyheap::runtime::{Heap, Obj};
use std::time::Instant;

const TWIN: &str = include_str!("../../../benches/cpython/gc_bench.py");

fn cpython(case: &str, n: usize, reps: usize) -> Option<f64> {
    python_ns(&format!(
        "import sys; sys.argv = ['x', '{case}', '{n}', '{reps}']\n{TWIN}"
    ))
    .and_then(|v| v.first().copied())
}

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(f64::total_cmp);
    v[v.len() / 2]
}

/// Nanoseconds for one `collect(generation)`.
fn timed_collect(heap: &Heap, generation: i64) -> (f64, usize) {
    let t = Instant::now();
    let n = heap.gc().collect(generation).expect("valid generation");
    (t.elapsed().as_nanos() as f64, n)
}

fn live_lists_ns(n: usize, reps: usize) -> f64 {
    median(
        (0..reps)
            .map(|_| {
                let heap = quiet_heap();
                let keep = live_lists(&heap, n).expect("lists");
                heap.gc().collect(2).expect("collect");
                let (ns, freed) = timed_collect(&heap, 2);
                assert_eq!(freed, 0);
                drop(keep);
                ns / n as f64
            })
            .collect(),
    )
}

fn dead_pairs_ns(n: usize, reps: usize) -> f64 {
    median(
        (0..reps)
            .map(|_| {
                let heap = quiet_heap();
                dead_pairs(&heap, n).expect("lists");
                let (ns, freed) = timed_collect(&heap, 2);
                assert_eq!(freed, 2 * n, "every pair object is garbage");
                ns / (2 * n) as f64
            })
            .collect(),
    )
}

fn gen0_with_old(old: usize, reps: usize) -> f64 {
    let heap = quiet_heap();
    let keep = live_lists(&heap, old).expect("lists");
    heap.gc().collect(2).expect("collect");
    let ns = median(
        (0..reps)
            .map(|_| {
                let young: Vec<Obj<'_>> = (0..2000)
                    .map(|_| heap.list(&[]).expect("list").into_obj())
                    .collect();
                let (ns, _) = timed_collect(&heap, 0);
                drop(young);
                ns
            })
            .collect(),
    );
    drop(keep);
    ns
}

/// `collect`.
pub fn collect(quick: bool) -> Vec<Comparison> {
    let (n, reps) = if quick { (100_000, 3) } else { (1_000_000, 5) };
    let case = if quick {
        "live_lists_100k"
    } else {
        "live_lists_1m"
    };
    let ours = live_lists_ns(n, reps);
    let old = if quick { 1_000_000 } else { 10_000_000 };
    let with_old = gen0_with_old(old, 21);
    let without = gen0_with_old(0, 21);
    let old_case = if quick {
        "gen0_with_1m_old"
    } else {
        "gen0_with_10m_old"
    };
    vec![
        Comparison::new(
            "collect",
            case,
            ours,
            "cpython",
            cpython("live_lists", n, reps),
        ),
        Comparison::new("collect", old_case, with_old, "ours_no_old", Some(without)),
    ]
}

/// `cycles`.
pub fn cycles(quick: bool) -> Vec<Comparison> {
    let (n, reps) = if quick { (100_000, 3) } else { (1_000_000, 5) };
    let case = if quick {
        "dead_pairs_100k"
    } else {
        "dead_pairs_1m"
    };
    vec![Comparison::new(
        "cycles",
        case,
        dead_pairs_ns(n, reps),
        "cpython",
        cpython("dead_pairs", n, reps),
    )]
}

/// `pyperf`.
pub fn pyperf(quick: bool) -> Vec<Comparison> {
    let reps = if quick { 3 } else { 21 };
    let gc_collect = median(
        (0..reps)
            .map(|_| {
                let heap = quiet_heap();
                let node = node_class(&heap).expect("class");
                drop(rings(&heap, &node, 100).expect("rings"));
                let (ns, freed) = timed_collect(&heap, 2);
                assert!(freed >= 100 * 21, "{freed}");
                ns
            })
            .collect(),
    );
    let heap = quiet_heap();
    let cur = nested_levels(&heap, 1000).expect("lists");
    heap.gc().collect(2).expect("collect");
    let traversal = median(
        (0..reps)
            .map(|_| {
                let (ns, freed) = timed_collect(&heap, 2);
                assert_eq!(freed, 0);
                ns
            })
            .collect(),
    );
    drop(cur);
    vec![
        Comparison::new(
            "pyperf",
            "pyperf_gc_collect",
            gc_collect,
            "cpython",
            cpython("pyperf_gc_collect", 100, reps),
        ),
        Comparison::new(
            "pyperf",
            "pyperf_gc_traversal",
            traversal,
            "cpython",
            cpython("pyperf_gc_traversal", 1000, reps),
        ),
    ]
}
