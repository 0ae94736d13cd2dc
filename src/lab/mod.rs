//! The threshold lab: what threshold0/1/2 do to time, pauses and memory of a Python program, for
//! pyheap and for CPython running the very same file, measured in one run.
//!
//! ```text
//!   pyheap sweep --script F.py ─┬─ for each (threshold0, gen1, gen2) [+ disabled], × --repeat
//!                               │    ├─ child: `pyheap lab-child RESULT CONFIG`   (pyheap VM)
//!                               │    └─ child: `python3 -S -c <wrapper> RESULT …` (CPython)
//!                               │         both run F.py unchanged; stdout captured and compared
//!                               ├─ table / JSON lines   (one row per system × configuration)
//!                               ├─ --recommend: fastest row under --max-rss / --max-pause
//!                               └─ SVG: time, p99, max pause, RSS vs threshold0; pause CDFs;
//!                                  heap sawtooth with collection markers
//! ```
//!
//! Every configuration runs in a fresh child process, so the peak resident memory reported
//! (`getrusage` maxrss) belongs to that configuration alone and one run cannot warm the next.
//! Before the script starts, both children run a full collection (generation 0 starts empty),
//! set the thresholds, and hook the collector's start/stop callbacks to time each pause.
//! The six built-in workloads ([`scripts`]) are Python files run the same way; their Rust twins
//! in [`workloads`] are the fast path for criterion (`benches/thresholds.rs`).

pub mod cpython;
pub mod plot;
pub mod recommend;
pub mod scripts;
pub mod sweep;
pub mod workloads;

use serde::{Deserialize, Serialize};

/// One configuration of the collector for one run of a Rust twin workload ([`workloads::run`]).
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

/// One configuration of the collector for one run of a Python script (what a child is told).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ScriptConfig {
    /// The script's path, as given (tracebacks show it so).
    pub script: String,
    /// `sys.argv[1:]`.
    pub args: Vec<String>,
    /// Short name for tables and plots (the built-in workload's name or the file name).
    pub label: String,
    /// Generation-0 threshold (`gc.set_threshold` first argument).
    pub threshold0: usize,
    /// Generation-1 threshold.
    pub gen1: usize,
    /// Generation-2 threshold.
    pub gen2: usize,
    /// pyheap's full-collection ratio (CPython hard-codes 0.25 and ignores this).
    pub full_ratio: f64,
    /// Automatic collection off (`gc.disable()` before the script starts).
    pub disabled: bool,
}

/// What one run measured.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RunResult {
    /// `pyheap` or `cpython`.
    pub system: String,
    /// Wall time of the script (or workload body), milliseconds.
    pub time_ms: f64,
    /// CPU time of the thread that ran the script (`CLOCK_THREAD_CPUTIME_ID`, Python's
    /// `time.thread_time_ns()`), milliseconds: steadier than wall time on a shared machine.
    #[serde(default)]
    pub cpu_ms: f64,
    /// Collections per generation during the run.
    pub collections: [u64; 3],
    /// Objects collections of each generation found unreachable and freed (`gc.get_stats()`'s
    /// `collected`).
    pub collected: [u64; 3],
    /// One pause per collection, from the collector's start/stop callbacks.
    pub pauses_ms: Vec<f64>,
    /// Peak resident set size of the process (getrusage ru_maxrss).
    pub peak_rss_kib: u64,
    /// Peak bytes held by the heap (allocator stats), the largest of `heap_samples`; pyheap only.
    #[serde(default)]
    pub peak_heap_bytes: Option<u64>,
    /// (milliseconds since start, heap bytes) at the start and stop of sampled collections
    /// (about 1000 spread over the run, every full one), after the start of the script;
    /// pyheap only.
    #[serde(default)]
    pub heap_samples: Vec<(f64, u64)>,
    /// (milliseconds since start, generation) at the end of every collection.
    #[serde(default)]
    pub collection_times: Vec<(f64, usize)>,
}

impl RunResult {
    /// Total objects freed by the collector over all generations.
    pub fn collected_total(&self) -> u64 {
        self.collected.iter().sum()
    }
}

/// Pause statistics of a run, in milliseconds.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct PauseSummary {
    /// Number of pauses.
    pub count: usize,
    /// Mean pause.
    pub mean_ms: f64,
    /// Median pause.
    pub p50_ms: f64,
    /// 99th-percentile pause.
    pub p99_ms: f64,
    /// Longest pause.
    pub max_ms: f64,
}

impl RunResult {
    /// Mean, median and 99th percentile (nearest rank) and maximum of the pauses; zeros when
    /// there were none.
    pub fn pause_summary(&self) -> PauseSummary {
        let mut p = self.pauses_ms.clone();
        if p.is_empty() {
            return PauseSummary {
                count: 0,
                mean_ms: 0.0,
                p50_ms: 0.0,
                p99_ms: 0.0,
                max_ms: 0.0,
            };
        }
        p.sort_by(f64::total_cmp);
        let n = p.len();
        let rank = |q: f64| p[((q * n as f64).ceil() as usize).clamp(1, n) - 1];
        PauseSummary {
            count: n,
            mean_ms: p.iter().sum::<f64>() / n as f64,
            p50_ms: rank(0.5),
            p99_ms: rank(0.99),
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
    /// The script exited non-zero (an uncaught exception, `sys.exit(n)`, an internal error):
    /// `stderr` is what it printed (its traceback), shown once by the CLI, which exits 1.
    #[error("{script} failed under {system} ({config}) with exit status {status}")]
    ScriptFailed {
        /// The script's path.
        script: String,
        /// `pyheap` or `cpython`.
        system: String,
        /// The configuration in words ([`sweep::describe`]).
        config: String,
        /// The child's exit status.
        status: i32,
        /// What the child printed on stderr.
        stderr: String,
    },
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
            time_ms: 1.0,
            cpu_ms: 1.0,
            collections: [0; 3],
            collected: [0; 3],
            pauses_ms: (1..=200).map(|i| i as f64).collect(),
            peak_rss_kib: 0,
            peak_heap_bytes: None,
            heap_samples: vec![],
            collection_times: vec![],
        };
        let s = r.pause_summary();
        assert_eq!(
            (s.count, s.p50_ms, s.p99_ms, s.max_ms),
            (200, 100.0, 198.0, 200.0)
        );
        assert!((s.mean_ms - 100.5).abs() < 1e-9);
        r.pauses_ms.clear();
        assert_eq!(r.pause_summary().count, 0);
    }
}
