//! Criterion benches: pymalloc vs glibc malloc (`std::alloc::System`), mimalloc and bumpalo
//! (allocation only). `pyheap bench alloc` prints the same cases as one comparable table; see
//! BENCHMARKS.md ("Allocator") for figures and method.
//!
//! Cases: `lifo_64` (64-byte alloc+free pair with one other block live), `lifo_64_lone` (nothing
//! else live: pymalloc's pool empties at every free), `batch_10k` (10k blocks allocated then freed),
//! `random_sizes` (10k blocks of 1..=512 bytes freed in random order), `batch_1m` (1M blocks:
//! arenas mapped and unmapped every round). Throughput is per block.
#[path = "../src/benchkit/mod.rs"]
#[allow(dead_code, unused_imports)] // each bench uses a part of the kit (and none of its tests)
mod benchkit;

use benchkit::alloc::{
    Global, Ours, Subject, batch_round, bump_round, lifo_pair, random_case, random_round,
};
use bumpalo::Bump;
use criterion::{BenchmarkId, Criterion, Throughput, criterion_group, criterion_main};
use mimalloc::MiMalloc;
use pyheap::allocator::Pymalloc;
use std::alloc::System;
use std::time::Duration;

fn subject_cases<S: Subject>(c: &mut Criterion, name: &str, s: &mut S) {
    let (sizes, order) = random_case(10_000);
    let mut buf: Vec<*mut u8> = Vec::with_capacity(1_000_000);
    {
        let mut g = c.benchmark_group("lifo_64");
        g.throughput(Throughput::Elements(1));
        let keep = s.alloc(64);
        g.bench_function(BenchmarkId::from_parameter(name), |b| {
            b.iter(|| lifo_pair(s))
        });
        // SAFETY: keep was allocated with 64 bytes.
        unsafe { s.free(keep, 64) };
        g.finish();
    }
    {
        let mut g = c.benchmark_group("lifo_64_lone");
        g.throughput(Throughput::Elements(1));
        g.bench_function(BenchmarkId::from_parameter(name), |b| {
            b.iter(|| lifo_pair(s))
        });
        g.finish();
    }
    for (group, n) in [("batch_10k", 10_000usize), ("batch_1m", 1_000_000)] {
        let mut g = c.benchmark_group(group);
        g.throughput(Throughput::Elements(n as u64));
        if n > 10_000 {
            g.sample_size(10);
        }
        g.bench_function(BenchmarkId::from_parameter(name), |b| {
            b.iter(|| batch_round(s, n, &mut buf))
        });
        g.finish();
    }
    let mut g = c.benchmark_group("random_sizes");
    g.throughput(Throughput::Elements(sizes.len() as u64));
    g.bench_function(BenchmarkId::from_parameter(name), |b| {
        b.iter(|| random_round(s, &sizes, &order, &mut buf))
    });
    g.finish();
}

fn bump_cases(c: &mut Criterion) {
    let mut bump = Bump::new();
    let (sizes, _) = random_case(10_000);
    for (group, n) in [
        ("lifo_64", 1usize),
        ("lifo_64_lone", 1),
        ("batch_10k", 10_000),
        ("batch_1m", 1_000_000),
    ] {
        // Allocation only; at least 1000 blocks per iteration so the reset is amortised.
        let per_iter = n.max(1000);
        let mut g = c.benchmark_group(group);
        g.throughput(Throughput::Elements(per_iter as u64));
        if n > 10_000 {
            g.sample_size(10);
        }
        g.bench_function(BenchmarkId::from_parameter("bumpalo"), |b| {
            b.iter(|| bump_round(&mut bump, (0..per_iter).map(|_| 64)))
        });
        g.finish();
    }
    let mut g = c.benchmark_group("random_sizes");
    g.throughput(Throughput::Elements(sizes.len() as u64));
    g.bench_function(BenchmarkId::from_parameter("bumpalo"), |b| {
        b.iter(|| bump_round(&mut bump, sizes.iter().copied()))
    });
    g.finish();
}

fn benches(c: &mut Criterion) {
    subject_cases(c, "pymalloc", &mut Ours(Pymalloc::new()));
    subject_cases(c, "glibc", &mut Global(System));
    subject_cases(c, "mimalloc", &mut Global(MiMalloc));
    bump_cases(c);
}

criterion_group! {
    name = allocator;
    config = Criterion::default()
        .warm_up_time(Duration::from_millis(300))
        .measurement_time(Duration::from_secs(2))
        .sample_size(30);
    targets = benches
}
criterion_main!(allocator);
