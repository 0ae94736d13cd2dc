//! Criterion benches: pymalloc vs glibc malloc (`std::alloc::System`), mimalloc and bumpalo
//! (allocation only). `pyheap bench alloc` prints the same cases as one comparable table; see
//! BENCHMARKS.md ("Allocator") for figures and method.
//!
//! Cases: `lifo_64` (64-byte alloc+free pair with one other block live), `lifo_64_lone` (nothing
//! else live: pymalloc's pool empties at every free), `batch_10k` (10k blocks allocated then freed),
//! `random_sizes` (10k blocks of 1..=512 bytes freed in random order), `batch_1m` (1M blocks:
//! arenas mapped and unmapped every round). Throughput is per block.
use bumpalo::Bump;
use criterion::{BenchmarkId, Criterion, Throughput, criterion_group, criterion_main};
use mimalloc::MiMalloc;
use pyheap::allocator::Pymalloc;
use std::alloc::{GlobalAlloc, Layout, System};
use std::hint::black_box;
use std::ptr::NonNull;
use std::time::Duration;

trait Subject {
    fn alloc(&mut self, size: usize) -> *mut u8;
    /// # Safety
    /// `p` came from `alloc(size)` and is freed once.
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
        // SAFETY: forwarded contract; p is non-null (it came from alloc).
        unsafe { self.0.free(NonNull::new_unchecked(p)) }
    }
}

struct Global<G: GlobalAlloc>(G);
impl<G: GlobalAlloc> Subject for Global<G> {
    #[inline(always)]
    fn alloc(&mut self, size: usize) -> *mut u8 {
        // SAFETY: sizes used here are non-zero.
        let p = unsafe { self.0.alloc(layout(size)) };
        assert!(!p.is_null());
        p
    }
    #[inline(always)]
    unsafe fn free(&mut self, p: *mut u8, size: usize) {
        // SAFETY: p came from alloc with this layout.
        unsafe { self.0.dealloc(p, layout(size)) }
    }
}

fn layout(size: usize) -> Layout {
    Layout::from_size_align(size, 16).unwrap()
}

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

fn subject_cases<S: Subject>(c: &mut Criterion, name: &str, s: &mut S) {
    let (sizes, order) = random_case(10_000);
    let mut buf: Vec<*mut u8> = Vec::with_capacity(1_000_000);
    {
        let mut g = c.benchmark_group("lifo_64");
        g.throughput(Throughput::Elements(1));
        let keep = s.alloc(64);
        g.bench_function(BenchmarkId::from_parameter(name), |b| {
            b.iter(|| {
                let p = black_box(s.alloc(64));
                // SAFETY: p was just allocated with 64 bytes.
                unsafe { s.free(p, 64) };
            })
        });
        // SAFETY: keep was allocated with 64 bytes.
        unsafe { s.free(keep, 64) };
        g.finish();
    }
    {
        let mut g = c.benchmark_group("lifo_64_lone");
        g.throughput(Throughput::Elements(1));
        g.bench_function(BenchmarkId::from_parameter(name), |b| {
            b.iter(|| {
                let p = black_box(s.alloc(64));
                // SAFETY: p was just allocated with 64 bytes.
                unsafe { s.free(p, 64) };
            })
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
            b.iter(|| {
                buf.clear();
                for _ in 0..n {
                    buf.push(s.alloc(64));
                }
                for &p in &buf {
                    // SAFETY: each block is live and freed once.
                    unsafe { s.free(black_box(p), 64) };
                }
            })
        });
        g.finish();
    }
    let mut g = c.benchmark_group("random_sizes");
    g.throughput(Throughput::Elements(sizes.len() as u64));
    g.bench_function(BenchmarkId::from_parameter(name), |b| {
        b.iter(|| {
            buf.clear();
            for &n in &sizes {
                buf.push(s.alloc(n));
            }
            for &i in &order {
                // SAFETY: each block is live and freed once, with its size.
                unsafe { s.free(black_box(buf[i]), sizes[i]) };
            }
        })
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
            b.iter(|| {
                for _ in 0..per_iter {
                    black_box(bump.alloc_layout(layout(64)));
                }
                bump.reset();
            })
        });
        g.finish();
    }
    let mut g = c.benchmark_group("random_sizes");
    g.throughput(Throughput::Elements(sizes.len() as u64));
    g.bench_function(BenchmarkId::from_parameter("bumpalo"), |b| {
        b.iter(|| {
            for &n in &sizes {
                black_box(bump.alloc_layout(layout(n)));
            }
            bump.reset();
        })
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
