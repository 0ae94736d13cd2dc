//! Criterion benches for the object runtime (issue 3), each next to its Rust `Rc` baseline.
//! `pyheap bench refcount|create|deep` prints the same cases with CPython (`python3 -S`) in the
//! same run; see BENCHMARKS.md ("Runtime (issue 3)") for figures and method.
//!
//! - `clone_drop/{handle,rc}`: one `Obj` clone + drop (incref + decref) vs `Rc::clone` + drop.
//! - `create_drop/<type>`: create 10 000 objects of a built-in type into a batch, then drop the
//!   batch (throughput per object; `tuple`, `dict` and `instance` also create their int items).
//!   `rc_list`: the `Rc<RefCell<Vec<_>>>` twin of `list`.
//! - `deep_drop/{pyheap,rc}`: drop a 1M-deep `[[[...]]]` chain (the trashcan unwinds it) vs a
//!   nested `Rc<RefCell<Vec<_>>>` chain, whose recursive drop runs on a thread with a 2 GiB stack.
//!   Only the drop is timed (`iter_custom`).
#[path = "../src/benchkit/mod.rs"]
#[allow(dead_code, unused_imports)] // each bench uses a part of the kit (and none of its tests)
mod benchkit;

use benchkit::objects::{CREATE_KINDS, CreateCtx, create_one, deep_list, rc_deep_list};
use criterion::{BenchmarkId, Criterion, Throughput, criterion_group, criterion_main};
use pyheap::runtime::{Heap, Obj};
use std::cell::RefCell;
use std::hint::black_box;
use std::rc::Rc;
use std::time::{Duration, Instant};

const BATCH: usize = 10_000;
const DEPTH: usize = 1_000_000;

fn clone_drop(c: &mut Criterion) {
    let mut g = c.benchmark_group("clone_drop");
    g.throughput(Throughput::Elements(1));
    let heap = Heap::new();
    let l = heap.list(&[]).expect("list");
    let obj: Obj<'_> = l.obj();
    g.bench_function("handle", |b| b.iter(|| black_box(black_box(&obj).clone())));
    let rc = Rc::new(RefCell::new(Vec::<u64>::new()));
    g.bench_function("rc", |b| b.iter(|| black_box(black_box(&rc).clone())));
    g.finish();
}

fn create_drop(c: &mut Criterion) {
    let mut g = c.benchmark_group("create_drop");
    g.throughput(Throughput::Elements(BATCH as u64));
    g.sample_size(20).measurement_time(Duration::from_secs(2));
    let heap = Heap::new();
    heap.gc().disable(); // as CPython's figure and twin: no collections during the batch
    let ctx = CreateCtx::new(&heap).expect("class and key");
    for kind in CREATE_KINDS {
        let mut batch: Vec<Obj<'_>> = Vec::with_capacity(BATCH);
        g.bench_with_input(BenchmarkId::from_parameter(kind), kind, |b, kind| {
            b.iter(|| {
                for i in 0..BATCH as i64 {
                    batch.push(create_one(&heap, &ctx, kind, i).expect("known kind"));
                }
                batch.clear();
            })
        });
    }
    let mut rcs: Vec<Rc<RefCell<Vec<u64>>>> = Vec::with_capacity(BATCH);
    g.bench_function("rc_list", |b| {
        b.iter(|| {
            for _ in 0..BATCH {
                rcs.push(Rc::new(RefCell::new(Vec::new())));
            }
            rcs.clear();
        })
    });
    g.finish();
}

fn deep_drop(c: &mut Criterion) {
    let mut g = c.benchmark_group("deep_drop");
    g.sample_size(10).measurement_time(Duration::from_secs(5));
    let heap = Heap::new();
    heap.gc().disable(); // only the drop is measured; no collections while building
    g.bench_function("pyheap", |b| {
        b.iter_custom(|iters| {
            let mut total = Duration::ZERO;
            for _ in 0..iters {
                let x = deep_list(&heap, DEPTH).expect("lists");
                let t = Instant::now();
                drop(black_box(x));
                total += t.elapsed();
            }
            total
        })
    });
    g.bench_function("rc", |b| {
        b.iter_custom(|iters| {
            std::thread::Builder::new()
                .stack_size(1 << 31)
                .spawn(move || {
                    // The first, untimed round faults the fresh thread's stack in (the recursive
                    // drop uses ~100 MiB of it); only later rounds are timed.
                    let mut total = Duration::ZERO;
                    for round in 0..=iters {
                        let x = rc_deep_list(DEPTH);
                        let t = Instant::now();
                        drop(black_box(x));
                        if round > 0 {
                            total += t.elapsed();
                        }
                    }
                    total
                })
                .expect("thread with a 2 GiB stack")
                .join()
                .expect("rc drop thread")
        })
    });
    g.finish();
}

criterion_group!(benches, clone_drop, create_drop, deep_drop);
criterion_main!(benches);
