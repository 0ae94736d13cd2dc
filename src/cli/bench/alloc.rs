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
use bumpalo::Bump;
use mimalloc::MiMalloc;
use pyheap::allocator::Pymalloc;
use std::alloc::{GlobalAlloc, Layout, System};
use std::hint::black_box;
use std::ptr::NonNull;

/// The operations a benchmark needs from an allocator.
trait Subject {
    fn alloc(&mut self, size: usize) -> *mut u8;
    /// # Safety
    /// `p` came from `alloc(size)` on this subject and is freed once.
    unsafe fn free(&mut self, p: *mut u8, size: usize);
}

struct Ours(Pymalloc);
impl Subject for Ours {
    #[inline(always)]
    fn alloc(&mut self, size: usize) -> *mut u8 {
        self.0.alloc(size).as_ptr()
    }
    #[inline(always)]
    unsafe fn free(&mut self, p: *mut u8, _size: usize) {
        // SAFETY: forwarded contract; p is non-null because it came from alloc.
        unsafe { self.0.free(NonNull::new_unchecked(p)) }
    }
}

fn layout(size: usize) -> Layout {
    Layout::from_size_align(size, 16).expect("valid layout")
}

/// A `GlobalAlloc` used directly (glibc through `System`, or mimalloc).
struct Global<G: GlobalAlloc>(G);
impl<G: GlobalAlloc> Subject for Global<G> {
    #[inline(always)]
    fn alloc(&mut self, size: usize) -> *mut u8 {
        // SAFETY: every size used by the cases is non-zero.
        let p = unsafe { self.0.alloc(layout(size)) };
        assert!(!p.is_null(), "out of memory");
        p
    }
    #[inline(always)]
    unsafe fn free(&mut self, p: *mut u8, size: usize) {
        // SAFETY: p came from alloc with the same layout.
        unsafe { self.0.dealloc(p, layout(size)) }
    }
}

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
        let p = black_box(s.alloc(64));
        // SAFETY: p was just allocated with 64 bytes.
        unsafe { s.free(p, 64) };
    }
    if let Some(k) = keep {
        // SAFETY: k was allocated above with 64 bytes.
        unsafe { s.free(k, 64) };
    }
}

fn batch<S: Subject>(s: &mut S, n: usize, rounds: usize, buf: &mut Vec<*mut u8>) {
    for _ in 0..rounds {
        buf.clear();
        for _ in 0..n {
            buf.push(s.alloc(64));
        }
        for &p in buf.iter() {
            // SAFETY: each p is live, allocated with 64 bytes.
            unsafe { s.free(black_box(p), 64) };
        }
    }
}

fn random<S: Subject>(
    s: &mut S,
    sizes: &[usize],
    order: &[usize],
    rounds: usize,
    buf: &mut Vec<*mut u8>,
) {
    for _ in 0..rounds {
        buf.clear();
        for &n in sizes {
            buf.push(s.alloc(n));
        }
        for &i in order {
            // SAFETY: each block is freed once, with its size.
            unsafe { s.free(black_box(buf[i]), sizes[i]) };
        }
    }
}

/// Random sizes 1..=512 and a random permutation (xorshift, fixed seed).
fn random_case(n: usize) -> (Vec<usize>, Vec<usize>) {
    let mut x = 0x9E37_79B9_7F4A_7C15u64;
    let mut next = move || {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        x
    };
    let sizes: Vec<usize> = (0..n).map(|_| 1 + (next() % 512) as usize).collect();
    let mut order: Vec<usize> = (0..n).collect();
    for i in (1..n).rev() {
        order.swap(i, (next() % (i as u64 + 1)) as usize);
    }
    (sizes, order)
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
            random(s, &sizes, &order, p.random_rounds, &mut buf)
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
    let alloc_n = |bump: &mut Bump, n: usize, size: usize| {
        for _ in 0..n {
            black_box(bump.alloc_layout(layout(size)));
        }
    };
    // Warm up so the chunk is big enough and reused across rounds.
    alloc_n(&mut bump, p.big_batch, 64);
    bump.reset();
    [
        median_ns_per_op(p.reps, p.lifo_ops, || {
            alloc_n(&mut bump, p.lifo_ops, 64);
            bump.reset();
        }),
        median_ns_per_op(p.reps, p.lifo_ops, || {
            alloc_n(&mut bump, p.lifo_ops, 64);
            bump.reset();
        }),
        median_ns_per_op(p.reps, 10_000 * p.batch_rounds, || {
            for _ in 0..p.batch_rounds {
                alloc_n(&mut bump, 10_000, 64);
                bump.reset();
            }
        }),
        median_ns_per_op(p.reps, 10_000 * p.random_rounds, || {
            for _ in 0..p.random_rounds {
                for &n in &sizes {
                    black_box(bump.alloc_layout(layout(n)));
                }
                bump.reset();
            }
        }),
        median_ns_per_op(p.reps * 4, 10_000, || {
            alloc_n(&mut bump, 10_000, 64);
            bump.reset();
        }),
        median_ns_per_op(p.reps.div_ceil(2), p.big_batch, || {
            alloc_n(&mut bump, p.big_batch, 64);
            bump.reset();
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
