//! The lab's workloads as Rust twins: the fast path for criterion (`benches/thresholds.rs`).
//! `pyheap sweep` runs the Python originals (`lab/workloads/NAME.py`, see [`super::scripts`]) on
//! both systems; each twin here does exactly the object work of its `.py` file:
//!
//! - `churn`: 10 000 live "requests" in a ring buffer; 500 000 times build a request
//!   `req = {"id": i, "kids": kids}`, `kids = []` holding 2 child dicts `{"parent": req, "k": k}`
//!   (dict + list + 2 dicts = 4 objects in a cycle) and store it in slot `i % 10 000`, dropping the
//!   request that was there. Every dropped request is cyclic garbage.
//! - `growth`: 2 000 000 times `a = []; b = [a]; a.append(b)` (a two-list cycle); every 10th pair
//!   is kept in a growing cache list (200 000 survivors), the rest is garbage. The case the 25 %
//!   rule exists for.
//! - `trees`: binary trees with parent pointers: a long-lived tree of depth 12, then for each depth
//!   d in 4, 6, .., 12, 2^(16 − d) trees of depth d built and dropped; a node is the list
//!   `[left, right, parent]`.
//! - `acyclic`: 100 000 live lists of 2 ints; 2 000 000 times `x = [i, i]; t = (x, i)`, dropped:
//!   garbage without cycles, freed by reference counting; every collection is pure overhead.
//! - `pyperf_gc_collect`: 50 rounds of pyperformance's gc_collect: 100 rings of 21 `Node`
//!   instances (`next`/`prev` attributes) built, dropped, then a full collection.
//! - `pyperf_gc_traversal`: pyperformance's gc_traversal: 1000 levels of nested lists (level n
//!   holds n references to level n − 1) kept alive, then 20 full collections.
//!
//! `scale` multiplies the iteration counts (rounds never drop below 1).
//!
//! Measurements: wall time of the workload body; collections and objects collected from the
//! collector's per-generation stats (difference before/after); one pause per collection from the
//! gc callbacks (start → stop); heap bytes (allocator: bytes in allocated blocks + large blocks)
//! sampled every [`SAMPLES_TARGET`]-th of the run and at the end; peak RSS from `getrusage`.

use super::{LabConfig, LabError, RunResult};
use crate::benchkit::objects::{nested_levels, node_class, rings};
use crate::gc::{GcConfig, Phase};
use crate::runtime::{Heap, Obj};
use std::cell::RefCell;
use std::rc::Rc;
use std::time::Instant;

/// Workload names, as accepted by `pyheap sweep --workload`.
pub const NAMES: [&str; 6] = [
    "churn",
    "growth",
    "trees",
    "acyclic",
    "pyperf_gc_collect",
    "pyperf_gc_traversal",
];

/// About this many heap-size samples are taken per run (for the sawtooth plot).
pub const SAMPLES_TARGET: usize = 400;

/// Heap-size sampling during a run.
struct Sampler<'a> {
    heap: &'a Heap,
    start: Instant,
    every: usize,
    samples: Vec<(f64, u64)>,
}

impl<'a> Sampler<'a> {
    fn new(heap: &'a Heap, start: Instant, iterations: usize) -> Self {
        Sampler {
            heap,
            start,
            every: (iterations / SAMPLES_TARGET).max(1),
            samples: Vec::new(),
        }
    }

    #[inline]
    fn tick(&mut self, i: usize) {
        if i.is_multiple_of(self.every) {
            self.sample();
        }
    }

    fn sample(&mut self) {
        self.samples.push((
            self.start.elapsed().as_secs_f64() * 1e3,
            heap_bytes(self.heap),
        ));
    }
}

/// Bytes the heap holds right now: allocated pool blocks plus large blocks (a walk over the
/// allocator's pools, so callers sample it, never call it per allocation).
pub fn heap_bytes(heap: &Heap) -> u64 {
    let s = heap.allocator_stats();
    (s.bytes_in_allocated_blocks + s.large_bytes_in_use) as u64
}

fn scaled(n: usize, scale: f64) -> usize {
    ((n as f64 * scale) as usize).max(1)
}

fn churn<'h>(heap: &'h Heap, scale: f64, s: &mut Sampler<'h>) -> Result<Obj<'h>, LabError> {
    let live = 10_000;
    let (id, kids_key, parent, k_key) = (
        heap.intern("id")?,
        heap.intern("kids")?,
        heap.intern("parent")?,
        heap.intern("k")?,
    );
    let slots = heap.list(&vec![heap.none(); live])?;
    let n = scaled(500_000, scale);
    for i in 0..n {
        let kids = heap.list(&[])?;
        let req = heap.dict()?;
        req.set(&id, &heap.int(i as i64)?)?;
        req.set(&kids_key, &kids)?;
        for k in 0..2 {
            let child = heap.dict()?;
            child.set(&parent, &req)?;
            child.set(&k_key, &heap.int(k)?)?;
            kids.append(&child)?;
        }
        slots.set((i % live) as i64, &req)?;
        s.tick(i);
    }
    Ok(slots.into_obj())
}

fn growth<'h>(heap: &'h Heap, scale: f64, s: &mut Sampler<'h>) -> Result<Obj<'h>, LabError> {
    let cache = heap.list(&[])?;
    let n = scaled(2_000_000, scale);
    for i in 0..n {
        let a = heap.list(&[])?;
        let b = heap.list(&[a.obj()])?;
        a.append(&b)?;
        if i.is_multiple_of(10) {
            cache.append(&a)?;
        }
        s.tick(i);
    }
    Ok(cache.into_obj())
}

fn tree<'h>(heap: &'h Heap, depth: u32, parent: &Obj<'h>) -> Result<Obj<'h>, LabError> {
    let none = heap.none();
    let node = heap.list(&[none.clone(), none, parent.clone()])?;
    if depth > 0 {
        let me = node.obj();
        node.set(0, &tree(heap, depth - 1, &me)?)?;
        node.set(1, &tree(heap, depth - 1, &me)?)?;
    }
    Ok(node.into_obj())
}

fn trees<'h>(heap: &'h Heap, scale: f64, s: &mut Sampler<'h>) -> Result<Obj<'h>, LabError> {
    let long_lived = tree(heap, 12, &heap.none())?;
    let mut i = 0;
    for d in (4..=12).step_by(2) {
        for _ in 0..scaled(1 << (16 - d), scale) {
            drop(tree(heap, d, &heap.none())?);
            s.tick(i);
            i += 1;
        }
    }
    Ok(long_lived)
}

fn acyclic<'h>(heap: &'h Heap, scale: f64, s: &mut Sampler<'h>) -> Result<Obj<'h>, LabError> {
    let live = heap.list(&[])?;
    for i in 0..100_000 {
        let x = heap.int(i)?;
        live.append(&heap.list(&[x.clone(), x])?)?;
    }
    let n = scaled(2_000_000, scale);
    for i in 0..n {
        let v = heap.int(i as i64)?;
        let x = heap.list(&[v.clone(), v.clone()])?;
        let t = heap.tuple(&[x.into_obj(), v])?;
        drop(t);
        s.tick(i);
    }
    Ok(live.into_obj())
}

fn pyperf_gc_collect<'h>(
    heap: &'h Heap,
    scale: f64,
    s: &mut Sampler<'h>,
) -> Result<Obj<'h>, LabError> {
    let node = node_class(heap)?;
    for round in 0..scaled(50, scale) {
        let rings = rings(heap, &node, 100)?;
        s.sample();
        drop(rings);
        heap.gc().collect(2)?;
        s.tick(round);
    }
    Ok(heap.none())
}

fn pyperf_gc_traversal<'h>(
    heap: &'h Heap,
    scale: f64,
    s: &mut Sampler<'h>,
) -> Result<Obj<'h>, LabError> {
    let cur = nested_levels(heap, 1000)?;
    for round in 0..scaled(20, scale) {
        heap.gc().collect(2)?;
        s.tick(round);
    }
    Ok(cur)
}

/// Peak resident set size of this process, KiB (getrusage ru_maxrss).
pub fn peak_rss_kib() -> u64 {
    // SAFETY: getrusage only writes into the zeroed struct we pass.
    let mut ru: libc::rusage = unsafe { std::mem::zeroed() };
    // SAFETY: valid pointer to a rusage struct; RUSAGE_SELF is a valid `who`.
    let rc = unsafe { libc::getrusage(libc::RUSAGE_SELF, &mut ru) };
    if rc == 0 {
        ru.ru_maxrss.max(0) as u64
    } else {
        0
    }
}

/// Run one workload under `cfg` in this process.
pub fn run(cfg: &LabConfig) -> Result<RunResult, LabError> {
    if !NAMES.contains(&cfg.workload.as_str()) {
        return Err(LabError::UnknownWorkload(cfg.workload.clone()));
    }
    let heap = Heap::with_config(GcConfig {
        thresholds: [cfg.threshold0, cfg.gen1, cfg.gen2],
        full_collection_ratio: cfg.full_ratio,
    });
    let gc = heap.gc();
    let pauses: Rc<RefCell<(Option<Instant>, Vec<f64>)>> = Rc::default();
    let p = pauses.clone();
    let cb = gc.add_callback(move |phase, _info| {
        let mut p = p.borrow_mut();
        match phase {
            Phase::Start => p.0 = Some(Instant::now()),
            Phase::Stop => {
                if let Some(t) = p.0.take() {
                    p.1.push(t.elapsed().as_secs_f64() * 1e3);
                }
            }
        }
    });
    if cfg.disabled {
        gc.disable();
    }
    let before = gc.get_stats();
    let start = Instant::now();
    let cpu_start = crate::benchkit::cpu_time::thread_cpu_ns();
    let iterations = match cfg.workload.as_str() {
        "churn" => scaled(500_000, cfg.scale),
        "growth" | "acyclic" => scaled(2_000_000, cfg.scale),
        "trees" => 5 * scaled(1 << 10, cfg.scale),
        "pyperf_gc_collect" => scaled(50, cfg.scale),
        _ => scaled(20, cfg.scale),
    };
    let mut sampler = Sampler::new(&heap, start, iterations);
    sampler.sample();
    let work = match cfg.workload.as_str() {
        "churn" => churn,
        "growth" => growth,
        "trees" => trees,
        "acyclic" => acyclic,
        "pyperf_gc_collect" => pyperf_gc_collect,
        _ => pyperf_gc_traversal,
    };
    let keep = work(&heap, cfg.scale, &mut sampler)
        .map_err(|e| LabError::Run(format!("workload {}: {e}", cfg.workload)))?;
    let time_ms = start.elapsed().as_secs_f64() * 1e3;
    let cpu_ms = (crate::benchkit::cpu_time::thread_cpu_ns() - cpu_start) as f64 / 1e6;
    sampler.sample();
    gc.remove_callback(cb);
    let after = gc.get_stats();
    drop(keep);
    let collections = [0, 1, 2].map(|g| (after[g].collections - before[g].collections) as u64);
    let collected = [0, 1, 2].map(|g| (after[g].collected - before[g].collected) as u64);
    let samples = std::mem::take(&mut sampler.samples);
    let peak_heap = samples.iter().map(|s| s.1).max();
    let pauses_ms = std::mem::take(&mut pauses.borrow_mut().1);
    Ok(RunResult {
        system: "pyheap".into(),
        time_ms,
        cpu_ms,
        collections,
        collected,
        pauses_ms,
        peak_rss_kib: peak_rss_kib(),
        peak_heap_bytes: peak_heap,
        heap_samples: samples,
        collection_times: vec![],
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cfg(workload: &str) -> LabConfig {
        LabConfig {
            workload: workload.into(),
            threshold0: 700,
            gen1: 10,
            gen2: 10,
            full_ratio: 0.25,
            disabled: false,
            scale: 0.01,
        }
    }

    #[test]
    fn every_workload_runs_and_measures_collections() {
        for w in NAMES {
            let r = run(&cfg(w)).unwrap_or_else(|e| panic!("{w}: {e}"));
            assert_eq!(r.system, "pyheap");
            assert!(r.time_ms > 0.0, "{w}");
            let total: u64 = r.collections.iter().sum();
            assert_eq!(
                total as usize,
                r.pauses_ms.len(),
                "{w}: one pause per collection"
            );
            assert!(
                !r.heap_samples.is_empty() && r.peak_heap_bytes.is_some(),
                "{w}"
            );
            assert!(r.peak_rss_kib > 0);
        }
    }

    #[test]
    fn cyclic_workloads_collect_garbage_and_disabled_collects_nothing() {
        let r = run(&cfg("growth")).unwrap();
        // 20 000 pairs, every 10th kept: 18 000 garbage pairs (36 000 lists); what is still in
        // generation 0 at the end is not collected yet.
        let collected = r.collected_total();
        assert!(collected > 0 && collected <= 36_000, "{collected}");
        assert_eq!(collected % 2, 0, "pairs die together");
        let mut c = cfg("growth");
        c.disabled = true;
        let r = run(&c).unwrap();
        assert_eq!((r.collections, r.collected), ([0, 0, 0], [0; 3]));
        let r = run(&cfg("acyclic")).unwrap();
        assert_eq!(
            r.collected_total(),
            0,
            "acyclic garbage is freed by refcounting alone"
        );
    }
}
