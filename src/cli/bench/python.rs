//! `pyheap bench python [--quick] [--rounds N] [--json]`: the same `.py` files run under pyheap's
//! VM (`pyheap run`, this executable) and under CPython (`python3 -S`), in one command.
//!
//! The programs are the lab's workload files (`lab/workloads/NAME.py`, one file per program,
//! embedded here and in the lab alike): pyperformance's gc_collect and gc_traversal shapes, the
//! threshold lab's churn, fib(27), a dict/str program and nbody. Each takes `SCALE kernel`: with
//! `kernel` it times its own kernel with `time.thread_time_ns()` and prints `kernel_ns N` on
//! stderr, so both sides are measured by the same code reading the same clock (thread CPU time
//! leaves out time spent descheduled on a loaded machine). Around each child the bench also takes
//! the whole process's wall time (startup, compile, teardown included).
//!
//! ```text
//!   round r (r even: pyheap first; r odd: CPython first), for every program P:
//!     EXE run    $TMP/P.py SCALE kernel   ─┐ stdout ─► same on both sides? (else "DIFFERS")
//!     python3 -S $TMP/P.py SCALE kernel   ─┘ stderr ─► kernel_ns   wall ─► Instant around spawn
//!   row = median and min–max of kernel ms per side, ratio = ours / CPython (medians), goal, met
//!   startup: `EXE run EMPTY.py` vs `python3 -S -c pass`, wall, median of 20 alternating runs
//! ```
//!
//! Goals (issue 13): allocation- and collection-bound programs ≤ 1.0× CPython, interpreter-bound
//! programs (fib, nbody) ≤ 2×, startup ≤ 5 ms (absolute, release build).

use super::CliError;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

/// What a program's time is mostly spent on; decides its goal.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Bound {
    /// Building and freeing objects (reference counting, the allocator).
    Allocation,
    /// The cyclic collector.
    Collection,
    /// Bytecode dispatch, calls, arithmetic.
    Interpreter,
}

impl Bound {
    /// The issue's goal for the ratio ours / CPython.
    pub fn goal(self) -> f64 {
        match self {
            Bound::Allocation | Bound::Collection => 1.0,
            Bound::Interpreter => 2.0,
        }
    }

    fn label(self) -> &'static str {
        match self {
            Bound::Allocation => "alloc",
            Bound::Collection => "collect",
            Bound::Interpreter => "interp",
        }
    }
}

/// One benchmark program: a lab workload file and the SCALE the bench passes it.
pub struct Program {
    pub name: &'static str,
    pub source: &'static str,
    pub bound: Bound,
    /// SCALE for a full run.
    pub scale: f64,
    /// SCALE with `--quick`.
    pub quick_scale: f64,
}

/// The programs, in table order.
pub const PROGRAMS: [Program; 6] = [
    Program {
        name: "pyperf_gc_collect",
        source: include_str!("../../../lab/workloads/pyperf_gc_collect.py"),
        bound: Bound::Collection,
        scale: 1.0,
        quick_scale: 0.1,
    },
    Program {
        name: "pyperf_gc_traversal",
        source: include_str!("../../../lab/workloads/pyperf_gc_traversal.py"),
        bound: Bound::Collection,
        scale: 1.0,
        quick_scale: 0.05,
    },
    Program {
        name: "churn",
        source: include_str!("../../../lab/workloads/churn.py"),
        bound: Bound::Allocation,
        scale: 0.1,
        quick_scale: 0.01,
    },
    Program {
        name: "dict_str",
        source: include_str!("../../../lab/workloads/dict_str.py"),
        bound: Bound::Allocation,
        scale: 1.0,
        quick_scale: 0.05,
    },
    Program {
        name: "fib",
        source: include_str!("../../../lab/workloads/fib.py"),
        bound: Bound::Interpreter,
        scale: 1.0,
        quick_scale: 0.05,
    },
    Program {
        name: "nbody",
        source: include_str!("../../../lab/workloads/nbody.py"),
        bound: Bound::Interpreter,
        scale: 1.0,
        quick_scale: 0.05,
    },
];

/// The startup row's name.
pub const STARTUP: &str = "startup";
/// Startup goal: `pyheap run` of an empty file, wall milliseconds (release build).
pub const STARTUP_GOAL_MS: f64 = 5.0;

/// Median and spread of one side's samples, in milliseconds.
#[derive(Debug, Clone, Copy, serde::Serialize)]
pub struct Spread {
    pub median: f64,
    pub min: f64,
    pub max: f64,
}

impl Spread {
    fn of(samples: &[f64]) -> Option<Spread> {
        if samples.is_empty() {
            return None;
        }
        let mut v = samples.to_vec();
        v.sort_by(f64::total_cmp);
        Some(Spread {
            median: v[v.len() / 2],
            min: v[0],
            max: v[v.len() - 1],
        })
    }

    fn show(s: Option<Spread>) -> String {
        s.map_or("n/a".into(), |s| {
            format!("{:.1} ({:.1}-{:.1})", s.median, s.min, s.max)
        })
    }
}

/// One line of the table (one JSON object with `--json`).
#[derive(Debug, Clone, serde::Serialize)]
pub struct Row {
    pub bench: &'static str,
    pub program: String,
    /// `kernel` (thread CPU time the script measured) or `wall` (startup).
    pub measure: &'static str,
    pub bound: String,
    pub rounds: usize,
    pub scale: f64,
    pub ours_ms: Option<Spread>,
    pub cpython_ms: Option<Spread>,
    /// ours / CPython, of the medians.
    pub ratio: Option<f64>,
    /// Kernel rows: the goal for `ratio`; startup: the goal in ms for ours.
    pub goal: f64,
    pub met: Option<bool>,
    /// Whole-process wall time, medians.
    pub ours_wall_ms: Option<f64>,
    pub cpython_wall_ms: Option<f64>,
    /// Whole-process CPU time (user + system, from the child's rusage), medians: unlike wall
    /// time it leaves out waiting for a core on a loaded machine.
    pub ours_cpu_ms: Option<f64>,
    pub cpython_cpu_ms: Option<f64>,
    /// Did both sides print the same stdout in every round (None: a side did not run)?
    pub same_stdout: Option<bool>,
    /// Why a side has no figure, or how the outputs differ.
    pub note: Option<String>,
    /// The CPython executable measured.
    pub cpython: String,
}

/// What one child run gave.
struct Sample {
    kernel_ms: Option<f64>,
    wall_ms: f64,
    /// The child's CPU time (user + system), whole process.
    cpu_ms: f64,
    stdout: String,
}

/// CPU time (user + system) of this process's finished children, ms.
fn children_cpu_ms() -> f64 {
    // SAFETY: an all-zero rusage is a valid value of the plain C struct.
    let mut ru: libc::rusage = unsafe { std::mem::zeroed() };
    // SAFETY: getrusage writes one rusage into the live local it is given.
    if unsafe { libc::getrusage(libc::RUSAGE_CHILDREN, &mut ru) } != 0 {
        return 0.0;
    }
    let ms = |t: libc::timeval| t.tv_sec as f64 * 1e3 + t.tv_usec as f64 / 1e3;
    ms(ru.ru_utime) + ms(ru.ru_stime)
}

/// Run `cmd`; `Err` with the last stderr line when it cannot start or exits non-zero.
fn sample(mut cmd: Command) -> Result<Sample, String> {
    let cpu0 = children_cpu_ms();
    let t = Instant::now();
    let out = cmd.output().map_err(|e| format!("cannot start: {e}"))?;
    let wall_ms = t.elapsed().as_secs_f64() * 1e3;
    let cpu_ms = children_cpu_ms() - cpu0;
    let stderr = String::from_utf8_lossy(&out.stderr);
    if !out.status.success() {
        let last = stderr.lines().last().unwrap_or("").trim().to_string();
        return Err(format!("exit {}: {last}", out.status.code().unwrap_or(-1)));
    }
    let kernel_ms = stderr
        .lines()
        .find_map(|l| l.strip_prefix("kernel_ns "))
        .and_then(|n| n.trim().parse::<f64>().ok())
        .map(|ns| ns / 1e6);
    Ok(Sample {
        kernel_ms,
        wall_ms,
        cpu_ms,
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
    })
}

/// The two commands of one program (or of the startup row when `file` is the empty script).
struct Sides {
    exe: PathBuf,
    /// CPython's own executable: `python3` on PATH may be a launcher script (pyenv's shim
    /// spends ~300 ms in bash before CPython starts), which would pollute wall times.
    python: PathBuf,
}

/// The interpreter `python3` on PATH runs (`sys.executable`), or `python3` itself.
pub fn cpython_executable() -> PathBuf {
    Command::new("python3")
        .args(["-S", "-c", "import sys; print(sys.executable)"])
        .output()
        .ok()
        .filter(|o| o.status.success())
        .and_then(|o| String::from_utf8(o.stdout).ok())
        .map(|s| s.trim().to_string())
        .filter(|s| !s.is_empty())
        .map_or_else(|| PathBuf::from("python3"), PathBuf::from)
}

impl Sides {
    fn ours(&self, file: &Path, args: &[String]) -> Command {
        let mut c = Command::new(&self.exe);
        c.arg("run").arg(file).args(args);
        c
    }

    fn cpython(&self, file: Option<&Path>, args: &[String]) -> Command {
        let mut c = Command::new(&self.python);
        c.arg("-S");
        match file {
            Some(f) => c.arg(f).args(args),
            None => c.args(["-c", "pass"]),
        };
        c
    }
}

/// A temporary directory holding the materialised programs, removed when dropped.
struct TmpDir(PathBuf);

impl TmpDir {
    fn new() -> Result<TmpDir, CliError> {
        let d = std::env::temp_dir().join(format!("pyheap-bench-python-{}", std::process::id()));
        std::fs::create_dir_all(&d)?;
        Ok(TmpDir(d))
    }

    fn write(&self, name: &str, src: &str) -> Result<PathBuf, CliError> {
        let p = self.0.join(format!("{name}.py"));
        std::fs::write(&p, src)?;
        Ok(p)
    }
}

impl Drop for TmpDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// Per-side samples collected over the rounds.
#[derive(Default)]
struct Side {
    kernel: Vec<f64>,
    wall: Vec<f64>,
    cpu: Vec<f64>,
    stdout: Option<String>,
    error: Option<String>,
}

impl Side {
    fn add(&mut self, s: Result<Sample, String>) -> Option<String> {
        self.add_run(s, true)
    }

    /// Record one run; `kernel`: the script must have printed its `kernel_ns` line.
    fn add_run(&mut self, s: Result<Sample, String>, kernel: bool) -> Option<String> {
        match s {
            Ok(s) => {
                if let Some(k) = s.kernel_ms {
                    self.kernel.push(k);
                } else if kernel && self.error.is_none() {
                    self.error = Some("no kernel_ns line on stderr".into());
                }
                self.wall.push(s.wall_ms);
                self.cpu.push(s.cpu_ms);
                Some(s.stdout)
            }
            Err(e) => {
                self.error.get_or_insert(e);
                None
            }
        }
    }
}

/// Run every program `rounds` times per side, alternating which side goes first.
pub fn measure(quick: bool, rounds: usize) -> Result<Vec<Row>, CliError> {
    let rounds = rounds.max(1);
    let dir = TmpDir::new()?;
    let sides = Sides {
        exe: std::env::current_exe()?,
        python: cpython_executable(),
    };
    let files: Vec<PathBuf> = PROGRAMS
        .iter()
        .map(|p| dir.write(p.name, p.source))
        .collect::<Result<_, _>>()?;
    let mut ours: Vec<Side> = PROGRAMS.iter().map(|_| Side::default()).collect();
    let mut cpy: Vec<Side> = PROGRAMS.iter().map(|_| Side::default()).collect();
    let mut same: Vec<Option<bool>> = vec![None; PROGRAMS.len()];
    let mut diff_note: Vec<Option<String>> = vec![None; PROGRAMS.len()];
    for r in 0..rounds {
        for (i, p) in PROGRAMS.iter().enumerate() {
            let scale = if quick { p.quick_scale } else { p.scale };
            let args = vec![scale.to_string(), "kernel".to_string()];
            let (o, c) = if r % 2 == 0 {
                let o = ours[i].add(sample(sides.ours(&files[i], &args)));
                let c = cpy[i].add(sample(sides.cpython(Some(&files[i]), &args)));
                (o, c)
            } else {
                let c = cpy[i].add(sample(sides.cpython(Some(&files[i]), &args)));
                let o = ours[i].add(sample(sides.ours(&files[i], &args)));
                (o, c)
            };
            if let (Some(o), Some(c)) = (o, c) {
                let eq = o == c;
                same[i] = Some(same[i].unwrap_or(true) && eq);
                if !eq && diff_note[i].is_none() {
                    diff_note[i] = Some(format!(
                        "stdout differs: ours {:?} vs CPython {:?}",
                        o.lines().next().unwrap_or(""),
                        c.lines().next().unwrap_or("")
                    ));
                }
                ours[i].stdout.get_or_insert(o);
                cpy[i].stdout.get_or_insert(c);
            }
        }
    }
    let mut rows = Vec::new();
    for (i, p) in PROGRAMS.iter().enumerate() {
        let o = Spread::of(&ours[i].kernel);
        let c = Spread::of(&cpy[i].kernel);
        let ratio = match (o, c) {
            (Some(o), Some(c)) if c.median > 0.0 => Some(o.median / c.median),
            _ => None,
        };
        let note = [
            ours[i].error.as_ref().map(|e| format!("pyheap: {e}")),
            cpy[i].error.as_ref().map(|e| format!("python3: {e}")),
            diff_note[i].clone(),
        ]
        .into_iter()
        .flatten()
        .collect::<Vec<_>>();
        rows.push(Row {
            bench: "python",
            program: p.name.to_string(),
            measure: "kernel",
            bound: p.bound.label().to_string(),
            rounds,
            scale: if quick { p.quick_scale } else { p.scale },
            ours_ms: o,
            cpython_ms: c,
            ratio,
            goal: p.bound.goal(),
            met: ratio.map(|q| q <= p.bound.goal()),
            ours_wall_ms: Spread::of(&ours[i].wall).map(|s| s.median),
            cpython_wall_ms: Spread::of(&cpy[i].wall).map(|s| s.median),
            ours_cpu_ms: Spread::of(&ours[i].cpu).map(|s| s.median),
            cpython_cpu_ms: Spread::of(&cpy[i].cpu).map(|s| s.median),
            same_stdout: same[i],
            note: (!note.is_empty()).then(|| note.join("; ")),
            cpython: sides.python.display().to_string(),
        });
    }
    rows.push(startup(&sides, &dir, if quick { 5 } else { 20 })?);
    Ok(rows)
}

/// `pyheap run EMPTY.py` against `python3 -S -c pass`: wall ms, `runs` alternating runs each.
fn startup(sides: &Sides, dir: &TmpDir, runs: usize) -> Result<Row, CliError> {
    let empty = dir.write("empty", "")?;
    let mut ours = Side::default();
    let mut cpy = Side::default();
    for r in 0..runs {
        let mut one = |first_ours: bool| {
            if first_ours {
                ours.add_run(sample(sides.ours(&empty, &[])), false);
            } else {
                cpy.add_run(sample(sides.cpython(None, &[])), false);
            }
        };
        one(r % 2 == 0);
        one(r % 2 != 0);
    }
    let o = Spread::of(&ours.wall);
    let c = Spread::of(&cpy.wall);
    let note = [
        ours.error.map(|e| format!("pyheap: {e}")),
        cpy.error.map(|e| format!("python3: {e}")),
    ]
    .into_iter()
    .flatten()
    .collect::<Vec<_>>();
    Ok(Row {
        bench: "python",
        program: STARTUP.to_string(),
        measure: "wall",
        bound: "startup".into(),
        rounds: runs,
        scale: 0.0,
        ours_ms: o,
        cpython_ms: c,
        ratio: match (o, c) {
            (Some(o), Some(c)) if c.median > 0.0 => Some(o.median / c.median),
            _ => None,
        },
        goal: STARTUP_GOAL_MS,
        met: o.map(|o| o.median <= STARTUP_GOAL_MS),
        ours_wall_ms: o.map(|s| s.median),
        cpython_wall_ms: c.map(|s| s.median),
        ours_cpu_ms: Spread::of(&ours.cpu).map(|s| s.median),
        cpython_cpu_ms: Spread::of(&cpy.cpu).map(|s| s.median),
        same_stdout: None,
        note: (!note.is_empty()).then(|| note.join("; ")),
        cpython: sides.python.display().to_string(),
    })
}

/// Print the rows as a table (or JSON lines).
pub fn print(rows: &[Row], json: bool) {
    if json {
        for r in rows {
            println!("{}", serde_json::to_string(r).expect("rows serialise"));
        }
        return;
    }
    let load = std::fs::read_to_string("/proc/loadavg")
        .ok()
        .and_then(|l| l.split_whitespace().next().map(str::to_string))
        .unwrap_or_else(|| "n/a".into());
    let profile = if cfg!(debug_assertions) {
        "dev profile (debug assertions on: not release figures)"
    } else {
        "release profile"
    };
    println!(
        "bench python: kernel = thread CPU ms the script measured itself (median (min-max) of {} \
         rounds), wall = whole process; pyheap {profile}; CPython {} -S; load average {load}",
        rows.first().map_or(0, |r| r.rounds),
        rows.first().map_or("n/a", |r| r.cpython.as_str())
    );
    println!(
        "{:<20} {:<8} {:>26} {:>26} {:>8} {:>7} {:>7} {:>19} {:>8}",
        "program",
        "bound",
        "ours ms",
        "cpython ms",
        "ratio",
        "goal",
        "met",
        "wall ours/cpy ms",
        "stdout"
    );
    for r in rows {
        let ratio = r.ratio.map_or("n/a".into(), |q| format!("{q:.2}x"));
        let goal = if r.measure == "wall" {
            format!("<={:.0}ms", r.goal)
        } else {
            format!("<={:.1}x", r.goal)
        };
        let met = match r.met {
            Some(true) => "met",
            Some(false) => "missed",
            None => "n/a",
        };
        let wall = format!(
            "{}/{}",
            r.ours_wall_ms.map_or("n/a".into(), |w| format!("{w:.0}")),
            r.cpython_wall_ms
                .map_or("n/a".into(), |w| format!("{w:.0}"))
        );
        let same = match (r.measure, r.same_stdout) {
            ("wall", _) => "-",
            (_, Some(true)) => "same",
            (_, Some(false)) => "DIFFERS",
            (_, None) => "n/a",
        };
        println!(
            "{:<20} {:<8} {:>26} {:>26} {:>8} {:>7} {:>7} {:>19} {:>8}",
            r.program,
            r.bound,
            Spread::show(r.ours_ms),
            Spread::show(r.cpython_ms),
            ratio,
            goal,
            met,
            wall,
            same
        );
    }
    for r in rows {
        if let Some(n) = &r.note {
            println!("note {}: {n}", r.program);
        }
    }
    let cpu = |v: Option<f64>| v.map_or("n/a".into(), |c| format!("{c:.1}"));
    if let Some(r) = rows.iter().find(|r| r.program == STARTUP) {
        println!(
            "startup: `pyheap run EMPTY.py` vs `python3 -S -c pass`, wall ms (goal: ours <= {STARTUP_GOAL_MS} ms); \
             process CPU (user+sys) medians: ours {} ms, CPython {} ms",
            cpu(r.ours_cpu_ms),
            cpu(r.cpython_cpu_ms)
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_program_takes_scale_and_reports_its_kernel() {
        for p in &PROGRAMS {
            assert!(
                p.source.starts_with(&format!("\"\"\"{}:", p.name)),
                "{}",
                p.name
            );
            assert!(p.source.contains("sys.argv[1]"), "{} takes SCALE", p.name);
            assert!(
                p.source.contains("time.thread_time_ns()")
                    && p.source
                        .contains("print(\"kernel_ns\", t1 - t0, file=sys.stderr)"),
                "{} times its kernel",
                p.name
            );
            assert!(p.quick_scale <= p.scale);
        }
    }

    #[test]
    fn spread_is_median_min_max() {
        let s = Spread::of(&[3.0, 1.0, 2.0]).expect("samples");
        assert_eq!((s.median, s.min, s.max), (2.0, 1.0, 3.0));
        assert!(Spread::of(&[]).is_none());
    }
}
