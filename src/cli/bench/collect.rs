//! `pyheap bench collect|cycles|pyperf`: the collector next to CPython running the same graph
//! (`benches/cpython/gc_bench.py`, `python3 -S`) in the same run. Automatic collection is off on
//! both sides so only the measured `collect()` runs.
//!
//! - `collect`: full collection of a live list holding N empty lists, or N `Node()` instances
//!   (nothing to free); ns per object, N = 1M and 5M (100k with `--quick`); each also against
//!   the same build with phases 2–3 as two walks (`two_walks`, alternating rounds; spreads on
//!   stderr). Plus `gen0_with_10m_old`: one generation-0 collection of 2000 new objects while 10M
//!   objects sit in generation 2, against the same with an empty generation 2 (baseline `ours`).
//! - `cycles`: a full collection freeing N two-list cycles, or N two-instance cycles; ns per
//!   freed object, N as above.
//! - `pyperf`: pyperformance's gc_collect (100 rings of 21 nodes) and gc_traversal (1000 nested
//!   levels) shapes; ns per collect() call.
//!
//! Times are thread CPU time (`benchkit::cpu_time`), on both sides.

use super::{Comparison, python_ns};
use crate::benchkit::cpu_time::thread_cpu_ns;
use crate::benchkit::objects::{
    dead_instance_pairs, dead_pairs, live_instances, live_lists, nested_levels, node_class,
    quiet_heap, rings,
};
use pyheap::runtime::{Heap, Obj};

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

/// Thread CPU nanoseconds for one `collect(generation)` (the twin reads the same clock).
fn timed_collect(heap: &Heap, generation: i64) -> (f64, usize) {
    let t = thread_cpu_ns();
    let n = heap.gc().collect(generation).expect("valid generation");
    ((thread_cpu_ns() - t) as f64, n)
}

/// The object shapes of `collect` and `cycles`, each with its twin's case name.
#[derive(Clone, Copy)]
enum Shape {
    Lists,
    Instances,
}

/// ns per object of one full collection of `n` live objects of `shape` (nothing to free), with
/// phases 2–3 folded into one walk or not.
fn live_round(shape: Shape, n: usize, fold: bool) -> f64 {
    let heap = quiet_heap();
    heap.gc().set_fold_update_refs(fold);
    let node = node_class(&heap).expect("class");
    let keep = match shape {
        Shape::Lists => live_lists(&heap, n),
        Shape::Instances => live_instances(&heap, &node, n),
    }
    .expect("objects");
    heap.gc().collect(2).expect("collect");
    let (ns, freed) = timed_collect(&heap, 2);
    assert_eq!(freed, 0);
    drop(keep);
    ns / n as f64
}

/// Medians of `reps` alternating rounds of [`live_round`]: (folded, two walks); the spread
/// (min–max of each) goes to stderr.
fn live_ns(shape: Shape, n: usize, reps: usize, case: &str) -> (f64, f64) {
    let (mut fold, mut two) = (Vec::new(), Vec::new());
    for _ in 0..reps {
        fold.push(live_round(shape, n, true));
        two.push(live_round(shape, n, false));
    }
    eprintln!(
        "{case}: folded {}, two walks {}",
        spread(&fold),
        spread(&two)
    );
    (median(fold), median(two))
}

/// `min–max` of a sample.
fn spread(v: &[f64]) -> String {
    let lo = v.iter().copied().fold(f64::INFINITY, f64::min);
    let hi = v.iter().copied().fold(0.0, f64::max);
    format!("{lo:.2}–{hi:.2} ns/object")
}

/// ns per freed object of a full collection freeing `n` dead two-object cycles of `shape`.
fn dead_ns(shape: Shape, n: usize, reps: usize) -> f64 {
    median(
        (0..reps)
            .map(|_| {
                let heap = quiet_heap();
                let node = node_class(&heap).expect("class");
                heap.gc().collect(2).expect("collect");
                match shape {
                    Shape::Lists => dead_pairs(&heap, n),
                    Shape::Instances => dead_instance_pairs(&heap, &node, n),
                }
                .expect("objects");
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

/// Sizes and repetitions: `--quick` 100k (3 reps); otherwise 1M (5 reps) and 5M (3 reps).
fn sizes(quick: bool) -> Vec<(usize, usize, &'static str)> {
    if quick {
        vec![(100_000, 3, "100k")]
    } else {
        vec![(1_000_000, 5, "1m"), (5_000_000, 3, "5m")]
    }
}

const SHAPES: [(Shape, &str, &str); 2] = [
    (Shape::Lists, "live_lists", "dead_pairs"),
    (Shape::Instances, "live_instances", "dead_instance_pairs"),
];

/// `collect`.
pub fn collect(quick: bool) -> Vec<Comparison> {
    let mut rows = Vec::new();
    for (shape, live, _) in SHAPES {
        for (n, reps, label) in sizes(quick) {
            let case = format!("{live}_{label}");
            let (folded, two_walks) = live_ns(shape, n, reps, &case);
            rows.push(Comparison::new(
                "collect",
                &case,
                folded,
                "cpython",
                cpython(live, n, reps),
            ));
            rows.push(Comparison::new(
                "collect",
                &case,
                folded,
                "two_walks",
                Some(two_walks),
            ));
        }
    }
    let old = if quick { 1_000_000 } else { 10_000_000 };
    let with_old = gen0_with_old(old, 21);
    let without = gen0_with_old(0, 21);
    let old_case = if quick {
        "gen0_with_1m_old"
    } else {
        "gen0_with_10m_old"
    };
    rows.push(Comparison::new(
        "collect",
        old_case,
        with_old,
        "ours_no_old",
        Some(without),
    ));
    rows
}

/// `cycles`.
pub fn cycles(quick: bool) -> Vec<Comparison> {
    let mut rows = Vec::new();
    for (shape, _, dead) in SHAPES {
        for (n, reps, label) in sizes(quick) {
            rows.push(Comparison::new(
                "cycles",
                &format!("{dead}_{label}"),
                dead_ns(shape, n, reps),
                "cpython",
                cpython(dead, n, reps),
            ));
        }
    }
    rows
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
