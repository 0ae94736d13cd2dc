//! The lab's workloads (Rust side). Each mirrors its CPython twin in
//! `benches/cpython/workloads.py`, whose docstring is the exact specification.

use super::{LabConfig, LabError, RunResult};

/// Workload names, as accepted by `pyheap sweep --workload`.
pub const NAMES: [&str; 6] = [
    "churn",
    "growth",
    "trees",
    "acyclic",
    "pyperf_gc_collect",
    "pyperf_gc_traversal",
];

/// Run one workload under `cfg` in this process.
pub fn run(cfg: &LabConfig) -> Result<RunResult, LabError> {
    if !NAMES.contains(&cfg.workload.as_str()) {
        return Err(LabError::UnknownWorkload(cfg.workload.clone()));
    }
    Err(LabError::Run(
        "pyheap workloads are not wired to the runtime yet".into(),
    ))
}
