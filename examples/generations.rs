//! `cargo run --release --example generations [-- --quick]`
//!
//! The generational collector at work, every number read from the heap:
//!
//! ```text
//!   gen 0 (young) ──collect(0)──▶ gen 1 ──collect(1)──▶ gen 2 (old) ──gc.freeze()──▶ permanent
//!   count0 = GC allocations − deallocations     count1, count2 = younger collections since
//!   automatic: the oldest g with count[g] > threshold[g]; g = 2 also needs the 25 % rule
//! ```
//!
//! 1. Promotion: objects made, then `collect(0)` and `collect(1)`: `get_count()`,
//!    `len(get_objects(g))` and `get_stats()` after each step.
//! 2. Thresholds at work: small thresholds, objects kept alive, the automatic collections of
//!    each generation counted from `get_stats()`.
//! 3. The 25 % rule: a growing heap of long-lived objects; each automatic full collection waits
//!    until the objects promoted since the last one (`long_lived_pending`) reach 25 % of its
//!    survivors (`long_lived_total`), read with `gc().long_lived()`; the same run
//!    with the rule off (ratio 0) for comparison.
//! 4. `freeze()` / `unfreeze()` / `get_freeze_count()`.
//!
//! `--quick` uses 20 000 objects instead of 200 000 in step 3.

use pyheap::gc::GcConfig;
use pyheap::runtime::{Heap, Obj, RuntimeError};

fn per_gen(heap: &Heap) -> [usize; 3] {
    let gc = heap.gc();
    [0, 1, 2].map(|g| gc.get_objects(Some(g)).map(|v| v.len()).unwrap_or(0))
}

fn stats_line(heap: &Heap) -> String {
    heap.gc()
        .get_stats()
        .iter()
        .enumerate()
        .map(|(g, s)| {
            format!(
                "gen{g}: {} collections, {} collected",
                s.collections, s.collected
            )
        })
        .collect::<Vec<_>>()
        .join("; ")
}

/// Make `n` empty lists (GC-tracked) and keep them.
fn lists<'h>(heap: &'h Heap, n: usize) -> Result<Vec<Obj<'h>>, RuntimeError> {
    (0..n).map(|_| Ok(heap.list(&[])?.into_obj())).collect()
}

/// One automatic full collection: (allocation number, long_lived_pending just before it,
/// long_lived_total after it).
type FullRun = (usize, usize, usize);

/// Full collections while growing a heap of `n` long-lived lists with thresholds `T3`
/// and the given ratio, and the number of generation-1 collections.
fn full_collections(n: usize, ratio: f64) -> Result<(Vec<FullRun>, usize), RuntimeError> {
    let heap = Heap::with_config(GcConfig {
        thresholds: T3,
        full_collection_ratio: ratio,
    });
    let mut keep = Vec::with_capacity(n);
    let mut out = Vec::new();
    let mut full = heap.gc().get_stats()[2].collections;
    for i in 0..n {
        let p = heap.gc().long_lived().pending;
        keep.push(heap.list(&[])?);
        let now = heap.gc().get_stats()[2].collections;
        if now > full {
            full = now;
            let total = heap.gc().long_lived().total;
            out.push((i + 1, p, total));
        }
    }
    let gen1 = heap.gc().get_stats()[1].collections;
    Ok((out, gen1))
}

/// Thresholds of step 3: small, so that a modest heap sees many full-collection decisions.
const T3: [usize; 3] = [10, 2, 2];

fn main() -> Result<(), RuntimeError> {
    let quick = std::env::args().any(|a| a == "--quick");
    let big = if quick { 20_000 } else { 200_000 };
    let heap = Heap::new();
    let gc = heap.gc();

    println!("== 1. Promotion 0 → 1 → 2 ==");
    println!("thresholds {:?}", gc.get_threshold());
    let a = lists(&heap, 300)?;
    println!(
        "made {} lists:    get_count() = {:?}, len(get_objects(g)) = {:?}",
        a.len(),
        gc.get_count(),
        per_gen(&heap)
    );
    let found = gc.collect(0).unwrap_or(0);
    println!(
        "collect(0) → {found} unreachable; survivors promoted: get_count() = {:?}, per generation {:?}",
        gc.get_count(),
        per_gen(&heap)
    );
    let b = lists(&heap, 200)?;
    gc.collect(0).unwrap_or(0);
    println!(
        "{} more, collect(0): get_count() = {:?}, per generation {:?}",
        b.len(),
        gc.get_count(),
        per_gen(&heap)
    );
    let found = gc.collect(1).unwrap_or(0);
    println!(
        "collect(1) → {found} unreachable: get_count() = {:?}, per generation {:?}",
        gc.get_count(),
        per_gen(&heap)
    );
    println!("get_stats(): {}", stats_line(&heap));
    drop((a, b));
    println!(
        "the lists dropped (freed by refcounting, no collection): per generation {:?}",
        per_gen(&heap)
    );

    println!("\n== 2. Thresholds at work ==");
    gc.set_threshold(100, Some(5), Some(5));
    let before = gc.get_stats().map(|s| s.collections);
    let kept = lists(&heap, 5_000)?;
    let after = gc.get_stats().map(|s| s.collections);
    println!(
        "set_threshold(100, 5, 5), then {} lists kept alive: automatic collections gen0 +{}, \
         gen1 +{}, gen2 +{}; per generation now {:?}, get_count() = {:?}",
        kept.len(),
        after[0] - before[0],
        after[1] - before[1],
        after[2] - before[2],
        per_gen(&heap),
        gc.get_count()
    );
    println!(
        "(an automatic collection each time count0 passes 100: of generation 1 instead of 0 when \
         count1 has passed 5, of generation 2 when count2 has passed 5 and the 25 % rule allows)"
    );
    drop(kept);
    gc.set_threshold(2000, Some(10), Some(10));

    println!("\n== 3. The 25 % rule ==");
    let (runs, gen1) = full_collections(big, 0.25)?;
    println!(
        "{big} long-lived lists, thresholds {T3:?}, ratio 0.25: {} generation-1 collections, \
         {} automatic full collections:",
        gen1,
        runs.len()
    );
    let mut prev_total = 0;
    for (i, pending, total) in runs.iter().take(12) {
        println!(
            "  at allocation {i:>7}: pending {pending:>7} vs {:>7} needed (25 % of the previous \
             total {prev_total}) → collected; long_lived_total now {total}",
            (prev_total as f64 * 0.25).ceil() as usize
        );
        prev_total = *total;
    }
    if runs.len() > 12 {
        println!("  ... {} more", runs.len() - 12);
    }
    let (no_rule, _) = full_collections(big, 0.0)?;
    println!(
        "Same heap, ratio 0 (full collection whenever count2 passes {}): {} full collections \
         instead of {} — each one examines every old object, so without the rule the work grows \
         quadratically with the heap.",
        T3[2],
        no_rule.len(),
        runs.len()
    );

    println!("\n== 4. freeze ==");
    let objs = lists(&heap, 1000)?;
    gc.collect(0).unwrap_or(0);
    println!(
        "1000 lists, collect(0): per generation {:?}, get_freeze_count() = {}",
        per_gen(&heap),
        gc.get_freeze_count()
    );
    gc.freeze();
    let before = gc.get_stats()[2].candidates;
    gc.collect(2).unwrap_or(0);
    println!(
        "freeze(): per generation {:?}, get_freeze_count() = {}; a full collection now examines \
         {} objects (the frozen ones are skipped)",
        per_gen(&heap),
        gc.get_freeze_count(),
        gc.get_stats()[2].candidates - before
    );
    gc.unfreeze();
    println!(
        "unfreeze(): per generation {:?} (back in the oldest generation), get_freeze_count() = {}",
        per_gen(&heap),
        gc.get_freeze_count()
    );
    drop(objs);
    Ok(())
}
