//! The threshold lab: what threshold0/1/2 and the full-collection ratio do to time, pauses and
//! memory, for pyheap and for CPython, measured in one run.
//!
//! ```text
//!   pyheap sweep ──┬─ for each threshold0 ─┬─ child process: `pyheap lab-run …`   → RunResult (JSON)
//!                  │                       └─ child process: `python3 -S -c <twin> …` → RunResult
//!                  ├─ table / JSON lines   (one row per system × configuration)
//!                  └─ SVG: time, max pause, peak RSS against threshold0; heap sawtooth
//! ```
//!
//! Every configuration runs in a fresh child process, so the peak resident memory reported
//! (`getrusage` maxrss) belongs to that configuration alone and one run cannot warm the next.
//! The workloads are documented in [`workloads`]; their CPython twins live in
//! `benches/cpython/workloads.py` and do exactly the same object work.

pub mod cpython;
pub mod plot;
pub mod sweep;
pub mod workloads;

use serde::{Deserialize, Serialize};

/// One configuration of the collector, applied to one workload run.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LabConfig {
    /// The workload's name (`workloads::NAMES`).
    pub workload: String,
    /// Generation-0 threshold (`gc.set_threshold` first argument).
    pub threshold0: usize,
    /// Generation-1 threshold.
    pub gen1: usize,
    /// Generation-2 threshold.
    pub gen2: usize,
    /// Full collections wait until long_lived_pending >= long_lived_total * full_ratio.
    /// CPython hard-codes 0.25; its rows ignore other values.
    pub full_ratio: f64,
    /// Automatic collection off (`gc.disable()`).
    pub disabled: bool,
    /// Multiplies the workload's iteration counts (1.0 = documented sizes).
    pub scale: f64,
}

/// What one run of one workload measured.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RunResult {
    /// `pyheap` or `cpython`.
    pub system: String,
    /// The workload's name (`workloads::NAMES`).
    pub workload: String,
    /// Wall time of the run, in milliseconds.
    pub time_ms: f64,
    /// Collections per generation during the run.
    pub collections: [u64; 3],
    /// Objects the collector freed (collected + uncollectable, as gc.collect() counts them).
    pub collected: u64,
    /// One pause per collection, from the collector's start/stop callbacks.
    pub pauses_ms: Vec<f64>,
    /// Peak resident set size of the process (getrusage ru_maxrss).
    pub peak_rss_kib: u64,
    /// Peak bytes held by the heap (allocator stats), sampled at each collection; pyheap only.
    #[serde(default)]
    pub peak_heap_bytes: Option<u64>,
    /// (milliseconds since start, heap bytes) at each collection start and stop; pyheap only.
    #[serde(default)]
    pub heap_samples: Vec<(f64, u64)>,
}

/// Pause statistics of a run, in milliseconds.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct PauseSummary {
    /// Number of pauses.
    pub count: usize,
    /// Mean pause.
    pub mean_ms: f64,
    /// 99th-percentile pause.
    pub p99_ms: f64,
    /// Longest pause.
    pub max_ms: f64,
}

impl RunResult {
    /// Mean, 99th percentile (nearest rank) and maximum of the pauses; zeros when none.
    pub fn pause_summary(&self) -> PauseSummary {
        let mut p = self.pauses_ms.clone();
        if p.is_empty() {
            return PauseSummary {
                count: 0,
                mean_ms: 0.0,
                p99_ms: 0.0,
                max_ms: 0.0,
            };
        }
        p.sort_by(f64::total_cmp);
        let n = p.len();
        let rank = ((0.99 * n as f64).ceil() as usize).clamp(1, n);
        PauseSummary {
            count: n,
            mean_ms: p.iter().sum::<f64>() / n as f64,
            p99_ms: p[rank - 1],
            max_ms: p[n - 1],
        }
    }
}

/// Errors of the lab: each is printed as one line by the CLI.
#[derive(Debug, thiserror::Error)]
pub enum LabError {
    /// A workload name the lab does not know.
    #[error("unknown workload '{0}' (known: {known})", known = workloads::NAMES.join(", "))]
    UnknownWorkload(String),
    #[error(
        "cannot parse threshold list '{0}': expected comma-separated whole numbers, e.g. 100,700,2000"
    )]
    /// A threshold list that does not parse.
    BadThresholds(String),
    /// Another argument out of range.
    #[error("invalid argument: {0}")]
    BadArgument(String),
    /// An output file could not be written.
    #[error("cannot write {path}: {source}")]
    Unwritable {
        /// The file.
        path: String,
        /// Why.
        source: std::io::Error,
    },
    /// A run failed (a child process, its output).
    #[error("{0}")]
    Run(String),
    /// A heap operation of the workload failed.
    #[error(transparent)]
    Runtime(#[from] pyheap_runtime::RuntimeError),
    /// A collection of the workload failed.
    #[error(transparent)]
    Gc(#[from] pyheap_gc::GcError),
}

/// Parse `100,700,2000` into thresholds (whole numbers, at least one).
pub fn parse_thresholds(s: &str) -> Result<Vec<usize>, LabError> {
    let v: Result<Vec<usize>, _> = s.split(',').map(|x| x.trim().parse::<usize>()).collect();
    match v {
        Ok(v) if !v.is_empty() => Ok(v),
        _ => Err(LabError::BadThresholds(s.to_string())),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn thresholds_parse_or_fail_with_the_input_named() {
        assert_eq!(
            parse_thresholds("100, 700,2000").unwrap(),
            vec![100, 700, 2000]
        );
        for bad in ["", "100,,700", "7e2", "-1", "abc"] {
            let e = parse_thresholds(bad).unwrap_err().to_string();
            assert!(e.contains(&format!("'{bad}'")), "{e}");
        }
    }

    #[test]
    fn pause_summary_uses_nearest_rank() {
        let mut r = RunResult {
            system: "pyheap".into(),
            workload: "churn".into(),
            time_ms: 1.0,
            collections: [0; 3],
            collected: 0,
            pauses_ms: (1..=200).map(|i| i as f64).collect(),
            peak_rss_kib: 0,
            peak_heap_bytes: None,
            heap_samples: vec![],
        };
        let s = r.pause_summary();
        assert_eq!((s.count, s.p99_ms, s.max_ms), (200, 198.0, 200.0));
        assert!((s.mean_ms - 100.5).abs() < 1e-9);
        r.pauses_ms.clear();
        assert_eq!(r.pause_summary().count, 0);
    }
}
