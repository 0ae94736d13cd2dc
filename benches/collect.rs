//! Criterion benches for the collector (issue 4). `pyheap bench collect|cycles|pyperf` prints the
//! same shapes next to CPython 3.11 (`python3 -S`) in the same run; see BENCHMARKS.md
//! ("Collector (issue 4)") for figures and method. Automatic collection is off: only the measured
//! `collect()` runs.
//!
//! - `live_lists/100k`: full collection of a live list holding 100 000 empty lists (nothing to
//!   free); throughput per object.
//! - `dead_pairs/100k`: full collection freeing 100 000 two-list cycles (building them is not
//!   timed); throughput per freed object.
//! - `pyperf/gc_collect`: pyperformance's gc_collect shape, 100 rings of 21 instances
//!   (next/prev attributes), built then collected (only `collect()` timed).
//! - `pyperf/gc_traversal`: pyperformance's gc_traversal shape, 1000 nested levels of lists (level
//!   n holds n references to level n-1), collected with nothing to free.
//! - `gen0_with_old/{0,1000000}`: one generation-0 collection of 2000 new objects while 0 or 1M
//!   objects sit in generation 2 (the cost must not depend on the old generations;
//!   `pyheap bench collect` checks 10M).
#[path = "../src/benchkit/mod.rs"]
#[allow(dead_code, unused_imports)] // each bench uses a part of the kit (and none of its tests)
mod benchkit;

use benchkit::objects::{dead_pairs, live_lists, nested_levels, node_class, quiet_heap, rings};
use criterion::{BenchmarkId, Criterion, Throughput, criterion_group, criterion_main};
use pyheap::runtime::Obj;
use std::hint::black_box;
use std::time::{Duration, Instant};

const N: usize = 100_000;

fn live_lists_bench(c: &mut Criterion) {
    let mut g = c.benchmark_group("live_lists");
    g.sample_size(20).measurement_time(Duration::from_secs(3));
    g.throughput(Throughput::Elements(N as u64 + 1));
    let heap = quiet_heap();
    let _keep = live_lists(&heap, N).expect("lists"); // alive until the group ends
    heap.gc().collect(2).expect("collect");
    g.bench_function(BenchmarkId::from_parameter("100k"), |b| {
        b.iter(|| assert_eq!(heap.gc().collect(2).expect("collect"), 0))
    });
    g.finish();
}

fn dead_pairs_bench(c: &mut Criterion) {
    let mut g = c.benchmark_group("dead_pairs");
    g.sample_size(20).measurement_time(Duration::from_secs(3));
    g.throughput(Throughput::Elements(2 * N as u64));
    let heap = quiet_heap();
    g.bench_function(BenchmarkId::from_parameter("100k"), |b| {
        b.iter_custom(|iters| {
            let mut total = Duration::ZERO;
            for _ in 0..iters {
                dead_pairs(&heap, N).expect("lists");
                let t = Instant::now();
                let freed = heap.gc().collect(2).expect("collect");
                total += t.elapsed();
                assert_eq!(freed, 2 * N);
            }
            total
        })
    });
    g.finish();
}

fn pyperf(c: &mut Criterion) {
    let mut g = c.benchmark_group("pyperf");
    g.sample_size(20).measurement_time(Duration::from_secs(3));
    let heap = quiet_heap();
    let node = node_class(&heap).expect("class");
    g.bench_function("gc_collect", |b| {
        b.iter_custom(|iters| {
            let mut total = Duration::ZERO;
            for _ in 0..iters {
                drop(rings(&heap, &node, 100).expect("rings"));
                let t = Instant::now();
                let freed = heap.gc().collect(2).expect("collect");
                total += t.elapsed();
                assert!(freed >= 100 * 21, "{freed}");
            }
            total
        })
    });
    let cur = nested_levels(&heap, 1000).expect("lists");
    heap.gc().collect(2).expect("collect");
    g.bench_function("gc_traversal", |b| {
        b.iter(|| assert_eq!(heap.gc().collect(2).expect("collect"), 0))
    });
    drop(cur);
    g.finish();
}

fn gen0_with_old(c: &mut Criterion) {
    let mut g = c.benchmark_group("gen0_with_old");
    g.sample_size(30).measurement_time(Duration::from_secs(2));
    for old in [0usize, 1_000_000] {
        let heap = quiet_heap();
        let _keep = live_lists(&heap, old).expect("lists"); // the old objects, alive
        heap.gc().collect(2).expect("collect");
        g.bench_with_input(BenchmarkId::from_parameter(old), &old, |b, _| {
            b.iter_custom(|iters| {
                let mut total = Duration::ZERO;
                for _ in 0..iters {
                    let young: Vec<Obj<'_>> = (0..2000)
                        .map(|_| heap.list(&[]).expect("list").into_obj())
                        .collect();
                    let t = Instant::now();
                    black_box(heap.gc().collect(0).expect("collect"));
                    total += t.elapsed();
                    drop(young);
                }
                total
            })
        });
    }
    g.finish();
}

criterion_group!(
    benches,
    live_lists_bench,
    dead_pairs_bench,
    pyperf,
    gen0_with_old
);
criterion_main!(benches);
