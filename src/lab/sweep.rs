//! `pyheap sweep`: run a workload under several collector configurations, for pyheap and
//! optionally CPython, and report one row per (system, configuration).
//!
//! A sweep over thresholds T = [t₁, t₂, …] runs, for each tᵢ, the configuration
//! `(tᵢ, gen1, gen2, full_ratio)`; `--disabled` adds one configuration with automatic collection
//! off (the memory the collector saves shows up against it). Each run is a child process:
//! `pyheap lab-run CONFIG_JSON` for pyheap, `python3 -S -c <twin>` for CPython.

use super::{LabConfig, LabError, RunResult, cpython, workloads};
use serde::Serialize;
use std::path::PathBuf;
use std::process::Command;

/// What to sweep.
#[derive(Debug, Clone)]
pub struct SweepPlan {
    /// The workload's name.
    pub workload: String,
    /// Generation-0 thresholds, one run each.
    pub thresholds: Vec<usize>,
    /// Generation-1 threshold.
    pub gen1: usize,
    /// Generation-2 threshold.
    pub gen2: usize,
    /// The long-lived ratio of full collections (CPython: 0.25).
    pub full_ratio: f64,
    /// Also run once with automatic collection off.
    pub disabled: bool,
    /// Also run each configuration on CPython (`python3 -S`).
    pub cpython: bool,
    /// Multiplies the workload's iteration counts.
    pub scale: f64,
}

impl SweepPlan {
    /// Check the plan before anything runs, so bad arguments fail fast with one line.
    pub fn validate(&self) -> Result<(), LabError> {
        if !workloads::NAMES.contains(&self.workload.as_str()) {
            return Err(LabError::UnknownWorkload(self.workload.clone()));
        }
        if self.thresholds.is_empty() {
            return Err(LabError::BadArgument("no thresholds given".into()));
        }
        if !(self.full_ratio.is_finite() && self.full_ratio >= 0.0) {
            return Err(LabError::BadArgument(format!(
                "--full-ratio must be a number >= 0, got {}",
                self.full_ratio
            )));
        }
        if !(self.scale.is_finite() && self.scale > 0.0) {
            return Err(LabError::BadArgument(format!(
                "scale must be > 0, got {}",
                self.scale
            )));
        }
        Ok(())
    }

    /// The configurations, in run order.
    pub fn configs(&self) -> Vec<LabConfig> {
        let mk = |t0: usize, disabled: bool| LabConfig {
            workload: self.workload.clone(),
            threshold0: t0,
            gen1: self.gen1,
            gen2: self.gen2,
            full_ratio: self.full_ratio,
            disabled,
            scale: self.scale,
        };
        let mut v: Vec<LabConfig> = self.thresholds.iter().map(|&t| mk(t, false)).collect();
        if self.disabled {
            v.push(mk(self.thresholds[0], true));
        }
        v
    }
}

/// One row of a sweep: the configuration and what it measured.
#[derive(Debug, Clone)]
pub struct SweepRow {
    /// The configuration.
    pub config: LabConfig,
    /// What it measured.
    pub result: RunResult,
}

/// The JSON line printed for a row with `--json`.
#[derive(Debug, Serialize)]
pub struct JsonRow<'a> {
    /// `pyheap` or `cpython`.
    pub system: &'a str,
    /// The workload's name.
    pub workload: &'a str,
    /// Generation-0 threshold.
    pub threshold0: usize,
    /// Generation-1 threshold.
    pub gen1: usize,
    /// Generation-2 threshold.
    pub gen2: usize,
    /// The long-lived ratio of full collections (CPython: 0.25).
    pub full_ratio: f64,
    /// Also run once with automatic collection off.
    pub disabled: bool,
    /// Wall time, in milliseconds.
    pub time_ms: f64,
    /// Collections per generation.
    pub collections: [u64; 3],
    /// Objects the collector freed.
    pub collected: u64,
    /// Mean pause, in milliseconds.
    pub pause_mean_ms: f64,
    /// 99th-percentile pause.
    pub pause_p99_ms: f64,
    /// Longest pause.
    pub pause_max_ms: f64,
    /// Peak heap bytes (pyheap only).
    pub peak_heap_bytes: Option<u64>,
    /// Peak resident set size, KiB.
    pub peak_rss_kib: u64,
}

impl SweepRow {
    /// The row as `--json` prints it.
    pub fn json(&self) -> JsonRow<'_> {
        let p = self.result.pause_summary();
        JsonRow {
            system: &self.result.system,
            workload: &self.config.workload,
            threshold0: self.config.threshold0,
            gen1: self.config.gen1,
            gen2: self.config.gen2,
            full_ratio: self.config.full_ratio,
            disabled: self.config.disabled,
            time_ms: self.result.time_ms,
            collections: self.result.collections,
            collected: self.result.collected,
            pause_mean_ms: p.mean_ms,
            pause_p99_ms: p.p99_ms,
            pause_max_ms: p.max_ms,
            peak_heap_bytes: self.result.peak_heap_bytes,
            peak_rss_kib: self.result.peak_rss_kib,
        }
    }
}

/// How pyheap configurations are run.
#[derive(Debug, Clone)]
pub enum Runner {
    /// In a child process of this executable (`EXE lab-run CONFIG_JSON`): honest peak RSS.
    ChildProcess(PathBuf),
    /// In this process (peak RSS is then the process's high-water mark so far).
    InProcess,
}

/// Run one pyheap configuration.
pub fn run_pyheap(cfg: &LabConfig, runner: &Runner) -> Result<RunResult, LabError> {
    match runner {
        Runner::InProcess => workloads::run(cfg),
        Runner::ChildProcess(exe) => {
            let json = serde_json::to_string(cfg).expect("configs serialise");
            let out = Command::new(exe)
                .args(["lab-run", &json])
                .output()
                .map_err(|e| LabError::Run(format!("cannot start {}: {e}", exe.display())))?;
            if !out.status.success() {
                let err = String::from_utf8_lossy(&out.stderr);
                let last = err.lines().last().unwrap_or("no output");
                return Err(LabError::Run(format!(
                    "pyheap run of '{}' failed: {last}",
                    cfg.workload
                )));
            }
            serde_json::from_slice(&out.stdout)
                .map_err(|e| LabError::Run(format!("lab-run printed unreadable JSON: {e}")))
        }
    }
}

/// Run every configuration of the plan; `progress(done, total, label)` is called before each run.
pub fn run(
    plan: &SweepPlan,
    runner: &Runner,
    mut progress: impl FnMut(usize, usize, &str),
) -> Result<Vec<SweepRow>, LabError> {
    plan.validate()?;
    if plan.cpython && !cpython::available() {
        return Err(LabError::Run(
            "--cpython needs python3 (3.8 or newer) on PATH".into(),
        ));
    }
    let configs = plan.configs();
    let total = configs.len() * if plan.cpython { 2 } else { 1 };
    let mut rows = Vec::with_capacity(total);
    let mut done = 0;
    for cfg in configs {
        let label = if cfg.disabled {
            "disabled".to_string()
        } else {
            format!("threshold0={}", cfg.threshold0)
        };
        progress(done, total, &format!("pyheap {label}"));
        rows.push(SweepRow {
            result: run_pyheap(&cfg, runner)?,
            config: cfg.clone(),
        });
        done += 1;
        if plan.cpython {
            progress(done, total, &format!("cpython {label}"));
            rows.push(SweepRow {
                result: cpython::run(&cfg)?,
                config: cfg,
            });
            done += 1;
        }
    }
    progress(done, total, "done");
    Ok(rows)
}

/// The terminal table.
pub fn table(rows: &[SweepRow]) -> String {
    use std::fmt::Write;
    let mut s = String::new();
    let _ = writeln!(
        s,
        "{:<8} {:>10} {:>10} {:>8} {:>6} {:>6} {:>10} {:>9} {:>9} {:>9} {:>10} {:>9}",
        "system",
        "threshold0",
        "time ms",
        "gen0",
        "gen1",
        "gen2",
        "collected",
        "pause ms",
        "p99 ms",
        "max ms",
        "heap MiB",
        "RSS MiB"
    );
    for r in rows {
        let p = r.result.pause_summary();
        let t0 = if r.config.disabled {
            "disabled".to_string()
        } else {
            r.config.threshold0.to_string()
        };
        let heap = r.result.peak_heap_bytes.map_or("n/a".to_string(), |b| {
            format!("{:.1}", b as f64 / 1048576.0)
        });
        let [g0, g1, g2] = r.result.collections;
        let _ = writeln!(
            s,
            "{:<8} {:>10} {:>10.1} {:>8} {:>6} {:>6} {:>10} {:>9.3} {:>9.3} {:>9.3} {:>10} {:>9.1}",
            r.result.system,
            t0,
            r.result.time_ms,
            g0,
            g1,
            g2,
            r.result.collected,
            p.mean_ms,
            p.p99_ms,
            p.max_ms,
            heap,
            r.result.peak_rss_kib as f64 / 1024.0
        );
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    fn plan() -> SweepPlan {
        SweepPlan {
            workload: "churn".into(),
            thresholds: vec![100, 700],
            gen1: 10,
            gen2: 10,
            full_ratio: 0.25,
            disabled: true,
            cpython: false,
            scale: 1.0,
        }
    }

    #[test]
    fn configs_follow_thresholds_and_add_one_disabled_run() {
        let c = plan().configs();
        assert_eq!(c.len(), 3);
        assert_eq!((c[0].threshold0, c[0].disabled), (100, false));
        assert_eq!((c[1].threshold0, c[1].disabled), (700, false));
        assert!(c[2].disabled);
    }

    #[test]
    fn validation_names_the_bad_argument() {
        let mut p = plan();
        p.workload = "nope".into();
        assert!(
            p.validate()
                .unwrap_err()
                .to_string()
                .contains("unknown workload 'nope'")
        );
        let mut p = plan();
        p.full_ratio = -1.0;
        assert!(
            p.validate()
                .unwrap_err()
                .to_string()
                .contains("--full-ratio")
        );
        assert!(plan().validate().is_ok());
    }
}
