//! `pyheap sweep`: run one Python script under several collector configurations, on pyheap and
//! optionally CPython, and report one row per (system, configuration).
//!
//! A sweep over threshold0 values T, threshold1 values G1 and threshold2 values G2 runs every
//! configuration of T × G1 × G2; `--disabled` adds one run with automatic collection off (the
//! memory the collector saves shows up against it). Each run is a child process writing its
//! [`RunResult`] to a file, so the script keeps its stdout:
//!
//! ```text
//!   pyheap:  EXE lab-child RESULT.json CONFIG_JSON        ─┐ stdout captured ─► same? column
//!   cpython: python3 -S -c <wrapper> RESULT.json T0 … F.py ─┘ exit ≠ 0 ─► ScriptFailed (stop)
//! ```
//! With `--repeat N` each configuration runs N times, the rounds alternating between the two
//! systems; the row is the run of median time, with the min–max of the rounds beside it, and a
//! line per configuration gives the ratio of the medians with the spread of the paired rounds.

use super::{LabError, RunResult, ScriptConfig, cpython};
use serde::Serialize;
use std::path::{Path, PathBuf};
use std::process::Command;

/// What to sweep.
#[derive(Debug, Clone)]
pub struct SweepPlan {
    /// The script's path.
    pub script: String,
    /// Its arguments (`sys.argv[1:]`).
    pub args: Vec<String>,
    /// Its short name, for tables and plots.
    pub label: String,
    /// threshold0 values to sweep.
    pub thresholds: Vec<usize>,
    /// threshold1 values to sweep.
    pub gen1: Vec<usize>,
    /// threshold2 values to sweep.
    pub gen2: Vec<usize>,
    /// pyheap's full-collection ratio (CPython: 0.25, fixed).
    pub full_ratio: f64,
    /// Also run once with automatic collection off.
    pub disabled: bool,
    /// Also run each configuration on CPython (`python3 -S`).
    pub cpython: bool,
    /// Runs per configuration and system (the row is the median-time run).
    pub repeat: usize,
}

impl SweepPlan {
    /// Check the plan before anything runs, so bad arguments fail fast with one line.
    pub fn validate(&self) -> Result<(), LabError> {
        for (name, v) in [
            ("--thresholds", &self.thresholds),
            ("--gen1", &self.gen1),
            ("--gen2", &self.gen2),
        ] {
            if v.is_empty() {
                return Err(LabError::BadArgument(format!("{name}: no values given")));
            }
        }
        if !(self.full_ratio.is_finite() && self.full_ratio >= 0.0) {
            return Err(LabError::BadArgument(format!(
                "--full-ratio must be a number >= 0, got {}",
                self.full_ratio
            )));
        }
        if self.repeat == 0 {
            return Err(LabError::BadArgument("--repeat must be at least 1".into()));
        }
        if !Path::new(&self.script).is_file() {
            return Err(LabError::BadArgument(format!(
                "can't open file '{}': no such file",
                self.script
            )));
        }
        Ok(())
    }

    /// The configurations, in run order.
    pub fn configs(&self) -> Vec<ScriptConfig> {
        let mk = |t0: usize, g1: usize, g2: usize, disabled: bool| ScriptConfig {
            script: self.script.clone(),
            args: self.args.clone(),
            label: self.label.clone(),
            threshold0: t0,
            gen1: g1,
            gen2: g2,
            full_ratio: self.full_ratio,
            disabled,
        };
        let mut v = Vec::new();
        for &g1 in &self.gen1 {
            for &g2 in &self.gen2 {
                for &t0 in &self.thresholds {
                    v.push(mk(t0, g1, g2, false));
                }
            }
        }
        if self.disabled {
            v.push(mk(self.thresholds[0], self.gen1[0], self.gen2[0], true));
        }
        v
    }

    /// Child processes the sweep will start.
    pub fn runs(&self) -> usize {
        self.configs().len() * self.repeat * if self.cpython { 2 } else { 1 }
    }
}

/// The configuration in words, for progress and error messages.
pub fn describe(cfg: &ScriptConfig) -> String {
    if cfg.disabled {
        "gc disabled".to_string()
    } else {
        format!("thresholds {},{},{}", cfg.threshold0, cfg.gen1, cfg.gen2)
    }
}

/// One row of a sweep: the configuration and what it measured.
#[derive(Debug, Clone)]
pub struct SweepRow {
    /// The configuration.
    pub config: ScriptConfig,
    /// The run of median wall time among the repeats.
    pub result: RunResult,
    /// Wall time of every repeat, in run order.
    pub times_ms: Vec<f64>,
    /// Thread CPU time of every repeat, in run order.
    pub cpu_times_ms: Vec<f64>,
    /// Did this system print the same stdout as the other one? `None` without `--cpython`.
    pub stdout_same: Option<bool>,
    /// Where the outputs first differ (set on both rows of a mismatch).
    pub stdout_diff: Option<String>,
}

/// The JSON line printed for a row with `--json`.
#[derive(Debug, Serialize)]
pub struct JsonRow<'a> {
    /// `pyheap` or `cpython`.
    pub system: &'a str,
    /// The workload's name.
    pub workload: &'a str,
    /// The script's path.
    pub script: &'a str,
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
    /// Wall time of every repeat.
    pub times_ms: &'a [f64],
    /// Thread CPU time of the run of median wall time, in milliseconds.
    pub cpu_ms: f64,
    /// Thread CPU time of every repeat.
    pub cpu_times_ms: &'a [f64],
    /// Collections per generation.
    pub collections: [u64; 3],
    /// Objects collected, per generation.
    pub collected: [u64; 3],
    /// Number of pauses (collections timed by the callbacks).
    pub pause_count: usize,
    /// Mean pause.
    pub pause_mean_ms: f64,
    /// Median pause.
    pub pause_p50_ms: f64,
    /// 99th-percentile pause.
    pub pause_p99_ms: f64,
    /// Longest pause.
    pub pause_max_ms: f64,
    /// Peak heap bytes (pyheap only).
    pub peak_heap_bytes: Option<u64>,
    /// Peak resident set size, KiB.
    pub peak_rss_kib: u64,
    /// Same stdout as the other system (`None` without `--cpython`).
    pub stdout_same: Option<bool>,
}

impl SweepRow {
    /// The row as `--json` prints it.
    pub fn json(&self) -> JsonRow<'_> {
        let p = self.result.pause_summary();
        JsonRow {
            system: &self.result.system,
            workload: &self.config.label,
            script: &self.config.script,
            threshold0: self.config.threshold0,
            gen1: self.config.gen1,
            gen2: self.config.gen2,
            full_ratio: self.config.full_ratio,
            disabled: self.config.disabled,
            time_ms: self.result.time_ms,
            times_ms: &self.times_ms,
            cpu_ms: self.result.cpu_ms,
            cpu_times_ms: &self.cpu_times_ms,
            collections: self.result.collections,
            collected: self.result.collected,
            pause_count: p.count,
            pause_mean_ms: p.mean_ms,
            pause_p50_ms: p.p50_ms,
            pause_p99_ms: p.p99_ms,
            pause_max_ms: p.max_ms,
            peak_heap_bytes: self.result.peak_heap_bytes,
            peak_rss_kib: self.result.peak_rss_kib,
            stdout_same: self.stdout_same,
        }
    }
}

/// How the two systems' children are started.
#[derive(Debug, Clone)]
pub struct Runner {
    /// The pyheap executable (its hidden `lab-child` command runs one configuration).
    pub exe: PathBuf,
    /// Where children write their result files.
    pub scratch: PathBuf,
}

impl Runner {
    fn command(&self, system: &str, cfg: &ScriptConfig, result: &Path) -> Command {
        if system == "cpython" {
            return cpython::command(cfg, result);
        }
        let mut c = Command::new(&self.exe);
        c.arg("lab-child")
            .arg(result)
            .arg(serde_json::to_string(cfg).expect("configs serialise"));
        c
    }

    /// Run `cfg` once under `system`: its result and its stdout.
    pub fn run_once(
        &self,
        system: &str,
        cfg: &ScriptConfig,
    ) -> Result<(RunResult, String), LabError> {
        let result = self.scratch.join(format!("{system}-result.json"));
        let _ = std::fs::remove_file(&result);
        let out = self
            .command(system, cfg, &result)
            .output()
            .map_err(|e| LabError::Run(format!("cannot start the {system} child: {e}")))?;
        if !out.status.success() {
            return Err(LabError::ScriptFailed {
                script: cfg.script.clone(),
                system: system.to_string(),
                config: describe(cfg),
                status: out.status.code().unwrap_or(-1),
                stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
            });
        }
        let text = std::fs::read_to_string(&result).map_err(|e| {
            LabError::Run(format!(
                "the {system} child wrote no result ({e}); its stderr: {}",
                String::from_utf8_lossy(&out.stderr).trim()
            ))
        })?;
        let _ = std::fs::remove_file(&result);
        let r: RunResult = serde_json::from_str(&text)
            .map_err(|e| LabError::Run(format!("the {system} child wrote unreadable JSON: {e}")))?;
        Ok((r, String::from_utf8_lossy(&out.stdout).into_owned()))
    }
}

/// Where two outputs first differ, in one line.
pub fn first_difference(ours: &str, theirs: &str) -> Option<String> {
    if ours == theirs {
        return None;
    }
    let (a, b): (Vec<&str>, Vec<&str>) = (ours.lines().collect(), theirs.lines().collect());
    let i = a.iter().zip(&b).take_while(|(x, y)| x == y).count();
    let show = |v: &[&str]| {
        v.get(i)
            .map_or("<end of output>".to_string(), |l| format!("{l:?}"))
    };
    Some(format!(
        "line {}: pyheap {} vs cpython {}",
        i + 1,
        show(&a),
        show(&b)
    ))
}

/// Run every configuration of the plan; `progress(done, total, label)` is called before each run.
pub fn run(
    plan: &SweepPlan,
    runner: &Runner,
    mut progress: impl FnMut(usize, usize, &str),
) -> Result<Vec<SweepRow>, LabError> {
    plan.validate()?;
    if plan.cpython {
        cpython::require()?;
    }
    let systems: &[&str] = if plan.cpython {
        &["pyheap", "cpython"]
    } else {
        &["pyheap"]
    };
    let total = plan.runs();
    let mut rows = Vec::with_capacity(total);
    let mut done = 0;
    for cfg in plan.configs() {
        // Rounds alternate between the systems (pyheap, cpython, pyheap, ...) so that a change
        // in the machine's load falls on both sides of a ratio rather than on one.
        let mut runs: Vec<Vec<(RunResult, String)>> = systems
            .iter()
            .map(|_| Vec::with_capacity(plan.repeat))
            .collect();
        for _ in 0..plan.repeat {
            for (i, &system) in systems.iter().enumerate() {
                progress(done, total, &format!("{system} {}", describe(&cfg)));
                runs[i].push(runner.run_once(system, &cfg)?);
                done += 1;
            }
        }
        let mut outputs = Vec::new();
        for mut runs in runs {
            let times_ms: Vec<f64> = runs.iter().map(|(r, _)| r.time_ms).collect();
            let cpu_times_ms: Vec<f64> = runs.iter().map(|(r, _)| r.cpu_ms).collect();
            let stdout = runs[0].1.clone();
            runs.sort_by(|a, b| a.0.time_ms.total_cmp(&b.0.time_ms));
            let (result, _) = runs.swap_remove(runs.len() / 2);
            outputs.push(stdout);
            rows.push(SweepRow {
                config: cfg.clone(),
                result,
                times_ms,
                cpu_times_ms,
                stdout_same: None,
                stdout_diff: None,
            });
        }
        if let [ours, theirs] = &outputs[..] {
            let diff = first_difference(ours, theirs);
            let n = rows.len();
            for row in &mut rows[n - 2..] {
                row.stdout_same = Some(diff.is_none());
                row.stdout_diff = diff.clone();
            }
        }
    }
    progress(done, total, "done");
    Ok(rows)
}

/// `min–max` of the repeats' wall times, `-` for a single run.
fn spread(times_ms: &[f64]) -> String {
    if times_ms.len() < 2 {
        return "-".to_string();
    }
    let min = times_ms.iter().copied().fold(f64::INFINITY, f64::min);
    let max = times_ms.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    format!("{min:.1}–{max:.1}")
}

/// The ratio of median wall times, with the spread of the per-round ratios (round i of one
/// system ran next to round i of the other) when there are several rounds.
fn time_ratio(ours: &[f64], theirs: &[f64]) -> String {
    let median = |v: &[f64]| {
        let mut v = v.to_vec();
        v.sort_by(f64::total_cmp);
        v[v.len() / 2]
    };
    if ours.is_empty() || theirs.is_empty() {
        return "n/a".to_string();
    }
    let ratio = median(ours) / median(theirs);
    let rounds: Vec<f64> = ours.iter().zip(theirs).map(|(a, b)| a / b).collect();
    if rounds.len() < 2 {
        return format!("{ratio:.2}×");
    }
    let min = rounds.iter().copied().fold(f64::INFINITY, f64::min);
    let max = rounds.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    format!("{ratio:.2}× (rounds {min:.2}–{max:.2}×)")
}

/// The terminal table, the time ratio per configuration when both systems ran, then one line
/// per stdout mismatch.
pub fn table(rows: &[SweepRow]) -> String {
    use std::fmt::Write;
    let mut s = String::new();
    let _ = writeln!(
        s,
        "{:<8} {:>10} {:>7} {:>10} {:>15} {:>8} {:>7} {:>6} {:>5} {:>22} {:>9} {:>9} {:>9} {:>9} {:>8} {:>8} {:>6}",
        "system",
        "threshold0",
        "t1,t2",
        "time ms",
        "spread ms",
        "cpu ms",
        "gen0",
        "gen1",
        "gen2",
        "collected g0/g1/g2",
        "mean ms",
        "p50 ms",
        "p99 ms",
        "max ms",
        "heap MiB",
        "RSS MiB",
        "stdout"
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
        let [c0, c1, c2] = r.result.collected;
        let same = match r.stdout_same {
            None => "-",
            Some(true) => "same",
            Some(false) => "DIFFER",
        };
        let _ = writeln!(
            s,
            "{:<8} {:>10} {:>7} {:>10.1} {:>15} {:>8.1} {:>7} {:>6} {:>5} {:>22} {:>9.3} {:>9.3} {:>9.3} {:>9.3} {:>8} {:>8.1} {:>6}",
            r.result.system,
            t0,
            format!("{},{}", r.config.gen1, r.config.gen2),
            r.result.time_ms,
            spread(&r.times_ms),
            r.result.cpu_ms,
            g0,
            g1,
            g2,
            format!("{c0}/{c1}/{c2}"),
            p.mean_ms,
            p.p50_ms,
            p.p99_ms,
            p.max_ms,
            heap,
            r.result.peak_rss_kib as f64 / 1024.0,
            same
        );
    }
    for pair in rows.chunks(2) {
        if let [ours, theirs] = pair
            && ours.result.system == "pyheap"
            && theirs.result.system == "cpython"
        {
            let _ = writeln!(
                s,
                "pyheap/cpython at {}: wall {}, thread CPU {}",
                describe(&ours.config),
                time_ratio(&ours.times_ms, &theirs.times_ms),
                time_ratio(&ours.cpu_times_ms, &theirs.cpu_times_ms)
            );
        }
    }
    for r in rows.iter().filter(|r| r.result.system == "pyheap") {
        if let Some(d) = &r.stdout_diff {
            let _ = writeln!(s, "stdout differs at {}: {d}", describe(&r.config));
        }
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    fn plan() -> SweepPlan {
        SweepPlan {
            script: "Cargo.toml".into(),
            args: vec![],
            label: "x".into(),
            thresholds: vec![100, 700],
            gen1: vec![10, 20],
            gen2: vec![10],
            full_ratio: 0.25,
            disabled: true,
            cpython: true,
            repeat: 3,
        }
    }

    #[test]
    fn configs_are_the_product_plus_one_disabled_run() {
        let p = plan();
        let c = p.configs();
        let keys: Vec<(usize, usize, bool)> = c
            .iter()
            .map(|c| (c.threshold0, c.gen1, c.disabled))
            .collect();
        assert_eq!(
            keys,
            [
                (100, 10, false),
                (700, 10, false),
                (100, 20, false),
                (700, 20, false),
                (100, 10, true)
            ]
        );
        assert_eq!(p.runs(), 5 * 3 * 2);
    }

    #[test]
    fn validation_names_the_bad_argument() {
        let bad = |f: &dyn Fn(&mut SweepPlan), needle: &str| {
            let mut p = plan();
            f(&mut p);
            let e = p.validate().unwrap_err().to_string();
            assert!(e.contains(needle), "{e}");
        };
        bad(&|p| p.full_ratio = -1.0, "--full-ratio");
        bad(&|p| p.repeat = 0, "--repeat");
        bad(&|p| p.gen2.clear(), "--gen2");
        bad(
            &|p| p.script = "no/such.py".into(),
            "can't open file 'no/such.py'",
        );
        assert!(plan().validate().is_ok());
    }

    #[test]
    fn spread_and_ratio_come_from_the_paired_rounds() {
        assert_eq!(spread(&[5.0]), "-");
        assert_eq!(spread(&[3.0, 1.5, 2.0]), "1.5–3.0");
        // Medians 20 / 10 = 2; rounds pair 30/10, 10/20, 20/5.
        assert_eq!(
            time_ratio(&[30.0, 10.0, 20.0], &[10.0, 20.0, 5.0]),
            "2.00× (rounds 0.50–4.00×)"
        );
        assert_eq!(time_ratio(&[3.0], &[2.0]), "1.50×");
    }

    #[test]
    fn first_difference_names_the_line() {
        assert_eq!(first_difference("a\nb\n", "a\nb\n"), None);
        assert_eq!(
            first_difference("a\nb\n", "a\nc\n").unwrap(),
            "line 2: pyheap \"b\" vs cpython \"c\""
        );
        assert_eq!(
            first_difference("a\n", "a\nc\n").unwrap(),
            "line 2: pyheap <end of output> vs cpython \"c\""
        );
    }
}
