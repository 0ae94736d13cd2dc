//! Running a script under CPython: `python3 -S -c <wrapper> RESULT T0 T1 T2 DISABLED SCRIPT ARGS`
//! in a fresh process. The wrapper (`src/lab/cpython_wrapper.py`, embedded so the sweep works
//! from any directory) sets the thresholds, times pauses through `gc.callbacks`, reads peak RSS
//! with `resource.getrusage`, and writes a [`RunResult`](super::RunResult) as JSON to RESULT; the script's own
//! stdout and stderr pass through untouched so the sweep can compare them with pyheap's.

use super::{LabError, ScriptConfig};
use std::path::Path;
use std::process::Command;

/// The wrapper script.
pub const WRAPPER_PY: &str = include_str!("cpython_wrapper.py");

/// Is a `python3` (3.8 or newer, for `gc.callbacks` info and `sys.excepthook`) on PATH?
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

/// The command that runs `cfg` under CPython, writing its result to `result`.
/// The full-collection ratio is not passed: CPython hard-codes 25 %.
pub fn command(cfg: &ScriptConfig, result: &Path) -> Command {
    let mut c = Command::new("python3");
    c.arg("-S")
        .arg("-c")
        .arg(WRAPPER_PY)
        .arg(result)
        .arg(cfg.threshold0.to_string())
        .arg(cfg.gen1.to_string())
        .arg(cfg.gen2.to_string())
        .arg(if cfg.disabled { "1" } else { "0" })
        .arg(&cfg.script)
        .args(&cfg.args);
    c
}

/// Fail early with one line when `--cpython` is asked for and no python3 is there.
pub fn require() -> Result<(), LabError> {
    if available() {
        Ok(())
    } else {
        Err(LabError::BadArgument(
            "--cpython needs python3 (3.8 or newer) on PATH".into(),
        ))
    }
}
