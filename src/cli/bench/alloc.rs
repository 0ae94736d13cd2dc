//! `pyheap bench alloc [--quick] [--json]`: pymalloc against glibc malloc (`std::alloc::System`),
//! mimalloc and bumpalo (allocation only: a bump allocator cannot free one block), same process,
//! median of repetitions, ns per operation.
//!
//! Cases (an "operation" is one block allocated and freed):
//! - `lifo_64`: a 64-byte alloc immediately followed by its free, repeated, while one other
//!   64-byte block stays live (as in any running program, and in CPython's own measurement:
//!   without it, every free empties pymalloc's pool and sends it back to its arena);
//! - `lifo_64_lone`: the same with nothing else live — pymalloc's worst case for this pattern;
//! - `batch_10k`: 10 000 64-byte blocks allocated, then freed in allocation order;
//! - `random_sizes`: 10 000 blocks of random sizes 1..=512, freed in a random order;
//! - `alloc_only_10k`: only the allocation phase of 10 000 64-byte blocks is timed (frees, or
//!   bumpalo's reset, happen outside the clock) — the like-for-like comparison with bumpalo;
//! - `batch_1m`: 1 000 000 64-byte blocks allocated, then freed (maps and unmaps ~64 arenas).
//!
//! pymalloc is called through its unsized `free` (like CPython's `PyObject_Free`, with the arena
//! map lookup), not the faster `free_sized`.
use super::{Comparison, median_ns_per_op};
use crate::benchkit::alloc::{
    Global, Ours, Subject, batch_round, bump_round, lifo_pair, random_case, random_round,
};
use bumpalo::Bump;
use mimalloc::MiMalloc;
use pyheap::allocator::Pymalloc;
use std::alloc::System;

struct Params {
    reps: usize,
    lifo_ops: usize,
    batch_rounds: usize,
    random_rounds: usize,
    big_batch: usize,
}

fn lifo<S: Subject>(s: &mut S, ops: usize, resident: bool) {
    let keep = resident.then(|| s.alloc(64));
    for _ in 0..ops {
        lifo_pair(s);
    }
    if let Some(k) = keep {
        // SAFETY: k was allocated above with 64 bytes.
        unsafe { s.free(k, 64) };
    }
}

fn batch<S: Subject>(s: &mut S, n: usize, rounds: usize, buf: &mut Vec<*mut u8>) {
    for _ in 0..rounds {
        batch_round(s, n, buf);
    }
}

/// Median ns per block of the allocation phase of 10k-block batches (frees untimed).
fn alloc_only<S: Subject>(s: &mut S, reps: usize, buf: &mut Vec<*mut u8>) -> f64 {
    let mut v: Vec<f64> = (0..reps.max(1))
        .map(|_| {
            buf.clear();
            let t = std::time::Instant::now();
            for _ in 0..10_000 {
                buf.push(s.alloc(64));
            }
            let ns = t.elapsed().as_nanos() as f64 / 10_000.0;
            for &p in buf.iter() {
                // SAFETY: each block is live and freed once.
                unsafe { s.free(p, 64) };
            }
            ns
        })
        .collect();
    v.sort_by(|a, b| a.total_cmp(b));
    v[v.len() / 2]
}

/// Median ns per block for each case, for one subject.
fn measure<S: Subject>(s: &mut S, p: &Params) -> [f64; 6] {
    let mut buf = Vec::with_capacity(p.big_batch.max(10_000));
    let (sizes, order) = random_case(10_000);
    // Warm up (first arena / heap growth outside the timings).
    batch(s, 10_000, 2, &mut buf);
    [
        median_ns_per_op(p.reps, p.lifo_ops, || lifo(s, p.lifo_ops, true)),
        median_ns_per_op(p.reps, p.lifo_ops, || lifo(s, p.lifo_ops, false)),
        median_ns_per_op(p.reps, 10_000 * p.batch_rounds, || {
            batch(s, 10_000, p.batch_rounds, &mut buf)
        }),
        median_ns_per_op(p.reps, 10_000 * p.random_rounds, || {
            for _ in 0..p.random_rounds {
                random_round(s, &sizes, &order, &mut buf);
            }
        }),
        alloc_only(s, p.reps * 4, &mut buf),
        median_ns_per_op(p.reps.div_ceil(2), p.big_batch, || {
            batch(s, p.big_batch, 1, &mut buf)
        }),
    ]
}

/// bumpalo: allocation only, then one reset per round (not timed per block).
fn measure_bump(p: &Params) -> [f64; 6] {
    let mut bump = Bump::new();
    let (sizes, _) = random_case(10_000);
    let alloc_n = |bump: &mut Bump, n: usize, size: usize| bump_round(bump, (0..n).map(|_| size));
    // Warm up so the chunk is big enough and reused across rounds.
    alloc_n(&mut bump, p.big_batch, 64);
    [
        median_ns_per_op(p.reps, p.lifo_ops, || {
            alloc_n(&mut bump, p.lifo_ops, 64);
        }),
        median_ns_per_op(p.reps, p.lifo_ops, || {
            alloc_n(&mut bump, p.lifo_ops, 64);
        }),
        median_ns_per_op(p.reps, 10_000 * p.batch_rounds, || {
            for _ in 0..p.batch_rounds {
                alloc_n(&mut bump, 10_000, 64);
            }
        }),
        median_ns_per_op(p.reps, 10_000 * p.random_rounds, || {
            for _ in 0..p.random_rounds {
                bump_round(&mut bump, sizes.iter().copied());
            }
        }),
        median_ns_per_op(p.reps * 4, 10_000, || {
            alloc_n(&mut bump, 10_000, 64);
        }),
        median_ns_per_op(p.reps.div_ceil(2), p.big_batch, || {
            alloc_n(&mut bump, p.big_batch, 64);
        }),
    ]
}

pub fn run(quick: bool) -> Vec<Comparison> {
    let p = if quick {
        Params {
            reps: 5,
            lifo_ops: 200_000,
            batch_rounds: 5,
            random_rounds: 3,
            big_batch: 200_000,
        }
    } else {
        Params {
            reps: 11,
            lifo_ops: 2_000_000,
            batch_rounds: 20,
            random_rounds: 10,
            big_batch: 1_000_000,
        }
    };
    // Each subject runs twice, in the order glibc, mimalloc, ours, ours, mimalloc, glibc; the
    // lower median of the two runs counts (the machine is shared and noisy).
    let min = |a: [f64; 6], b: [f64; 6]| std::array::from_fn::<f64, 6, _>(|i| a[i].min(b[i]));
    let glibc1 = measure(&mut Global(System), &p);
    let mi1 = measure(&mut Global(MiMalloc), &p);
    let ours1 = measure(&mut Ours(Pymalloc::new()), &p);
    let ours = min(ours1, measure(&mut Ours(Pymalloc::new()), &p));
    let mi = min(mi1, measure(&mut Global(MiMalloc), &p));
    let glibc = min(glibc1, measure(&mut Global(System), &p));
    let bump = measure_bump(&p);
    let cases = [
        "lifo_64",
        "lifo_64_lone",
        "batch_10k",
        "random_sizes",
        "alloc_only_10k",
        "batch_1m",
    ];
    let mut rows = Vec::new();
    for (i, case) in cases.iter().enumerate() {
        rows.push(Comparison::new(
            "alloc",
            case,
            ours[i],
            "glibc",
            Some(glibc[i]),
        ));
        rows.push(Comparison::new(
            "alloc",
            case,
            ours[i],
            "mimalloc",
            Some(mi[i]),
        ));
        rows.push(Comparison::new(
            "alloc",
            case,
            ours[i],
            "bumpalo",
            Some(bump[i]),
        ));
    }
    rows
}
