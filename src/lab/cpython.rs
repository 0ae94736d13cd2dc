//! Running the CPython twin of a workload (`benches/cpython/workloads.py`, embedded in the binary
//! so the sweep works from any directory) in a fresh `python3 -S` process.

use super::{LabConfig, LabError, RunResult};
use std::process::Command;

/// The twin script, as shipped in `benches/cpython/workloads.py`.
pub const WORKLOADS_PY: &str = include_str!("../../benches/cpython/workloads.py");

/// Is a `python3` on PATH? (Checked once per sweep.)
pub fn available() -> bool {
    Command::new("python3")
        .args([
            "-S",
            "-c",
            "import sys; sys.exit(0 if sys.version_info >= (3, 8) else 1)",
        ])
        .output()
        .map(|o| o.status.success())
        .unwrap_or(false)
}

/// The interpreter's version string, e.g. `3.11.7`, for table headers.
pub fn version() -> Option<String> {
    let o = Command::new("python3")
        .args([
            "-S",
            "-c",
            "import platform; print(platform.python_version())",
        ])
        .output()
        .ok()?;
    o.status
        .success()
        .then(|| String::from_utf8_lossy(&o.stdout).trim().to_string())
}

/// Run one configuration in CPython. The full-collection ratio is ignored: CPython hard-codes 25 %.
pub fn run(cfg: &LabConfig) -> Result<RunResult, LabError> {
    let out = Command::new("python3")
        .arg("-S")
        .arg("-c")
        .arg(WORKLOADS_PY)
        .arg(&cfg.workload)
        .arg(cfg.threshold0.to_string())
        .arg(cfg.gen1.to_string())
        .arg(cfg.gen2.to_string())
        .arg(if cfg.disabled { "1" } else { "0" })
        .arg(cfg.scale.to_string())
        .output()
        .map_err(|e| LabError::Run(format!("cannot start python3: {e}")))?;
    if !out.status.success() {
        let err = String::from_utf8_lossy(&out.stderr);
        let last = err.lines().last().unwrap_or("no output");
        return Err(LabError::Run(format!(
            "python3 twin of '{}' failed: {last}",
            cfg.workload
        )));
    }
    serde_json::from_slice(&out.stdout)
        .map_err(|e| LabError::Run(format!("python3 twin printed unreadable JSON: {e}")))
}
