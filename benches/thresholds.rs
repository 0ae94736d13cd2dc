//! Criterion benches for the threshold lab (issue 6): every lab workload
//! (`pyheap::lab::workloads::NAMES`) at threshold0 ∈ {100, 700, 2000, 10000} (threshold1 and
//! threshold2 at CPython's 10, the 25 % rule on), through `pyheap::lab::workloads::run` — the same
//! code `pyheap sweep` runs, at 2 % of the documented sizes so that the whole bench takes a few
//! minutes on 2 cores. `pyheap sweep --workload W --cpython` gives full-size figures next to
//! CPython 3.11; see BENCHMARKS.md ("Threshold lab (issue 6)").
use criterion::{BenchmarkId, Criterion, criterion_group, criterion_main};
use pyheap::lab::LabConfig;
use pyheap::lab::workloads::{NAMES, run};
use std::time::Duration;

const THRESHOLDS: [usize; 4] = [100, 700, 2000, 10_000];
const SCALE: f64 = 0.02;

fn thresholds(c: &mut Criterion) {
    for workload in NAMES {
        let mut g = c.benchmark_group(format!("lab_{workload}"));
        g.sample_size(10)
            .warm_up_time(Duration::from_millis(300))
            .measurement_time(Duration::from_secs(1));
        for t0 in THRESHOLDS {
            let cfg = LabConfig {
                workload: workload.to_string(),
                threshold0: t0,
                gen1: 10,
                gen2: 10,
                full_ratio: 0.25,
                disabled: false,
                scale: SCALE,
            };
            g.bench_with_input(BenchmarkId::from_parameter(t0), &cfg, |b, cfg| {
                b.iter(|| run(cfg).expect("workload runs"))
            });
        }
        g.finish();
    }
}

criterion_group!(benches, thresholds);
criterion_main!(benches);
