//! `pyheap sweep`: the threshold lab (see `pyheap::lab`), and its hidden child `lab-child`,
//! which runs one configuration of a script on the pyheap VM and writes what it measured.
//!
//! ```text
//!   pyheap sweep --script F.py ... ──► lab::sweep::run ──► (per run) pyheap lab-child RESULT CFG
//!        │                                                      └─ with_interpreter: collect,
//!        │                                                         set thresholds, hook gc
//!        │                                                         callbacks, run_source(F.py)
//!        └─ table | JSON lines, --recommend, --svg
//! ```
//! Exit status: 0; 2 for argument errors (one line); 1 when the script fails in a child (its
//! traceback is shown once, then one line naming the system and configuration).

use super::CliError;
use pyheap::lab::{self, ScriptConfig, recommend, scripts, sweep};
use pyheap::runtime::Heap;
use pyheap_python::{Interpreter, RunConfig, with_interpreter};
use std::cell::RefCell;
use std::path::{Path, PathBuf};
use std::rc::Rc;
use std::time::Instant;

#[derive(clap::Args, Debug)]
pub struct SweepArgs {
    /// The Python program to sweep (runs unchanged on both systems); ARGS after `--`.
    #[arg(long, value_name = "FILE.py", conflicts_with = "workload")]
    pub script: Option<PathBuf>,
    /// A built-in workload (lab/workloads/NAME.py): churn, growth, trees, acyclic,
    /// pyperf_gc_collect, pyperf_gc_traversal. The default without --script: churn.
    #[arg(long)]
    pub workload: Option<String>,
    /// Comma-separated threshold0 values.
    #[arg(long, default_value = "100,700,2000,10000,100000")]
    pub thresholds: String,
    /// Comma-separated threshold1 values (generation-0 collections per generation-1 collection).
    #[arg(long, default_value = "10")]
    pub gen1: String,
    /// Comma-separated threshold2 values (generation-1 collections per full collection).
    #[arg(long, default_value = "10")]
    pub gen2: String,
    /// pyheap only: full collections wait until long_lived_pending >= long_lived_total * RATIO.
    #[arg(long, default_value_t = 0.25, allow_negative_numbers = true)]
    pub full_ratio: f64,
    /// Also run once with automatic collection disabled.
    #[arg(long)]
    pub disabled: bool,
    /// Run the same file under CPython (python3 -S) with the same thresholds and compare stdout.
    #[arg(long)]
    pub cpython: bool,
    /// One JSON object per row instead of the table.
    #[arg(long)]
    pub json: bool,
    /// Write the plots (time, p99/max pause, RSS vs threshold0; pause CDFs; heap sawtooth).
    #[arg(long, value_name = "FILE")]
    pub svg: Option<PathBuf>,
    /// Run each configuration N times, alternating the systems; rows show the run of median time and the min–max, plus the pyheap/CPython ratios of wall and thread CPU time.
    #[arg(long, default_value_t = 1, value_name = "N")]
    pub repeat: usize,
    /// Built-in workloads at 5 % of their size (passes SCALE 0.05 when no ARGS are given).
    #[arg(long)]
    pub quick: bool,
    /// Name the fastest configuration under --max-rss and/or --max-pause.
    #[arg(long)]
    pub recommend: bool,
    /// With --recommend: the peak RSS bound, MiB.
    #[arg(long, value_name = "MiB", allow_negative_numbers = true)]
    pub max_rss: Option<f64>,
    /// With --recommend: the bound on the longest single collection pause, ms.
    #[arg(long, value_name = "ms", allow_negative_numbers = true)]
    pub max_pause: Option<f64>,
    /// Arguments for the script (sys.argv[1:]), after `--`.
    #[arg(last = true, value_name = "ARGS")]
    pub args: Vec<String>,
}

fn positive(name: &str, v: Option<f64>) -> Result<Option<f64>, CliError> {
    match v {
        Some(x) if !(x.is_finite() && x > 0.0) => Err(CliError::Usage(format!(
            "{name} must be a number > 0, got {x}"
        ))),
        _ => Ok(v),
    }
}

pub fn run(a: SweepArgs) -> Result<(), CliError> {
    let bounds = recommend::Bounds {
        max_rss_mib: positive("--max-rss", a.max_rss)?,
        max_pause_ms: positive("--max-pause", a.max_pause)?,
    };
    if !a.recommend && bounds != recommend::Bounds::default() {
        return Err(CliError::Usage(
            "--max-rss and --max-pause are bounds for --recommend; add --recommend".into(),
        ));
    }
    if a.recommend && bounds == recommend::Bounds::default() {
        return Err(CliError::Usage(
            "--recommend needs a bound: --max-rss MiB and/or --max-pause ms".into(),
        ));
    }
    let dir = scripts::ScriptDir::new()?;
    let (script, label) = match (&a.script, &a.workload) {
        (Some(p), _) => {
            let label = p
                .file_name()
                .map_or("script".into(), |f| f.to_string_lossy().into_owned());
            (p.display().to_string(), label)
        }
        (None, w) => {
            let name = w.as_deref().unwrap_or("churn");
            let path = dir.materialise(name)?;
            (path.display().to_string(), name.to_string())
        }
    };
    let args = if a.args.is_empty() && a.quick {
        vec!["0.05".to_string()]
    } else {
        a.args.clone()
    };
    let plan = sweep::SweepPlan {
        script,
        args,
        label,
        thresholds: lab::parse_thresholds(&a.thresholds)?,
        gen1: lab::parse_thresholds(&a.gen1)?,
        gen2: lab::parse_thresholds(&a.gen2)?,
        full_ratio: a.full_ratio,
        disabled: a.disabled,
        cpython: a.cpython,
        repeat: a.repeat,
    };
    plan.validate()?;
    // Fail on an unwritable SVG path before spending minutes on the runs.
    if let Some(p) = &a.svg {
        std::fs::write(p, b"").map_err(|e| lab::LabError::Unwritable {
            path: p.display().to_string(),
            source: e,
        })?;
    }
    let runner = sweep::Runner {
        exe: std::env::current_exe()?,
        scratch: dir.path().to_path_buf(),
    };
    let bar = indicatif::ProgressBar::new(plan.runs() as u64);
    bar.set_style(
        indicatif::ProgressStyle::with_template("{bar:30} {pos}/{len} {msg}")
            .expect("static template"),
    );
    let result = sweep::run(&plan, &runner, |done, total, label| {
        bar.set_length(total as u64);
        bar.set_position(done as u64);
        bar.set_message(label.to_string());
    });
    bar.finish_and_clear();
    let rows = match result {
        Ok(rows) => rows,
        Err(e @ lab::LabError::ScriptFailed { .. }) => {
            if let lab::LabError::ScriptFailed { stderr, .. } = &e {
                eprint!("{stderr}");
            }
            eprintln!("pyheap: sweep stopped: {e}");
            drop(dir);
            std::process::exit(1);
        }
        Err(e) => return Err(e.into()),
    };
    if a.json {
        for r in &rows {
            println!(
                "{}",
                serde_json::to_string(&r.json()).expect("rows serialise")
            );
        }
    } else {
        let on = if a.cpython {
            let v = lab::cpython::version().unwrap_or_else(|| "?".into());
            format!("pyheap vs CPython {v}; CPython ignores --full-ratio")
        } else {
            "pyheap".to_string()
        };
        println!("sweep of {} ({on})", plan.label);
        print!("{}", sweep::table(&rows));
    }
    if a.recommend {
        if a.json {
            for system in ["pyheap", "cpython"]
                .iter()
                .filter(|s| rows.iter().any(|r| &r.result.system == *s))
            {
                let best = recommend::best(&rows, system, &bounds).map(|r| r.json());
                println!(
                    "{}",
                    serde_json::json!({"recommendation": system, "bounds": bounds.describe(), "row": best})
                );
            }
        } else {
            print!("{}", recommend::report(&rows, &bounds));
        }
    }
    if let Some(p) = &a.svg {
        lab::plot::write_svg(&rows, p)
            .map_err(|e| CliError::Usage(format!("cannot draw {}: {e}", p.display())))?;
        if !a.json {
            println!("plots written to {}", p.display());
        }
    }
    Ok(())
}

/// What the gc callback records while the script runs.
#[derive(Default)]
struct Probe {
    started: Option<Instant>,
    /// Collections seen so far, and the sampling stride: a collection's heap size is sampled
    /// at its start and stop when its index is a multiple of `every` (full collections always).
    seen: usize,
    every: usize,
    /// Was this collection's start sampled (so its stop is sampled too)?
    sampling: bool,
    pauses_ms: Vec<f64>,
    collection_times: Vec<(f64, usize)>,
    /// (start ms, bytes, stop ms, bytes) of the sampled collections.
    pairs: Vec<(f64, u64, f64, u64)>,
}

/// At most about this many collections have their heap size sampled (a sample walks the
/// allocator's pools; the pause itself is timed without it). Past it, every other sampled
/// collection is dropped and the stride doubles, so samples stay spread over the whole run.
const MAX_SAMPLED: usize = 1000;

impl Probe {
    fn start(&mut self, now_ms: f64, generation: usize, heap: &Heap) {
        self.sampling = generation == 2 || self.seen.is_multiple_of(self.every.max(1));
        self.seen += 1;
        if self.sampling {
            self.pairs
                .push((now_ms, lab::workloads::heap_bytes(heap), 0.0, 0));
        }
        self.started = Some(Instant::now());
    }

    fn stop(&mut self, now: impl Fn() -> f64, generation: usize, heap: &Heap) {
        if let Some(t) = self.started.take() {
            self.pauses_ms.push(t.elapsed().as_secs_f64() * 1e3);
        }
        let t = now();
        self.collection_times.push((t, generation));
        if self.sampling
            && let Some(last) = self.pairs.last_mut()
        {
            (last.2, last.3) = (t, lab::workloads::heap_bytes(heap));
        }
        if self.pairs.len() > MAX_SAMPLED {
            let mut i = 0;
            self.pairs.retain(|_| {
                i += 1;
                i % 2 == 1
            });
            self.every = self.every.max(1) * 2;
        }
    }

    /// The heap samples in time order: `first`, then each sampled collection's start and stop.
    fn samples(&self, first: (f64, u64)) -> Vec<(f64, u64)> {
        let mut v = vec![first];
        for &(t0, b0, t1, b1) in &self.pairs {
            v.extend([(t0, b0), (t1, b1)]);
        }
        v
    }
}

/// Run `source` as `__main__` under `cfg` on `interp` and measure it.
fn measure(
    interp: &mut Interpreter<'_>,
    cfg: &ScriptConfig,
    source: &str,
) -> (i32, lab::RunResult) {
    let heap = interp.heap();
    let gc = heap.gc();
    // The same start as the CPython wrapper: generation 0 empty, then the thresholds.
    let _ = gc.collect(2);
    gc.set_threshold(cfg.threshold0, Some(cfg.gen1), Some(cfg.gen2));
    gc.set_full_collection_ratio(cfg.full_ratio);
    if cfg.disabled {
        gc.disable();
    }
    let before = gc.get_stats();
    let start = Instant::now();
    let cpu_start = crate::benchkit::cpu_time::thread_cpu_ns();
    let since = move || start.elapsed().as_secs_f64() * 1e3;
    let first = (0.0, lab::workloads::heap_bytes(heap));
    let probe: Rc<RefCell<Probe>> = Rc::default();
    let p = probe.clone();
    let heap_ptr: *const Heap = heap;
    let cb = gc.add_callback(move |phase, info| {
        // SAFETY: the heap outlives this callback: `measure` removes it (below) before it
        // returns, and the heap lives for the whole `with_interpreter` call around `measure`.
        // allocator_stats only reads, and a callback never runs inside an allocation.
        let heap = unsafe { &*heap_ptr };
        let mut p = p.borrow_mut();
        match phase {
            pyheap::gc::Phase::Start => p.start(since(), info.generation, heap),
            pyheap::gc::Phase::Stop => p.stop(since, info.generation, heap),
        }
    });
    let exit = interp.run_source(source, &cfg.script);
    let time_ms = since();
    let cpu_ms = (crate::benchkit::cpu_time::thread_cpu_ns() - cpu_start) as f64 / 1e6;
    gc.remove_callback(cb);
    let after = gc.get_stats();
    let probe = std::mem::take(&mut *probe.borrow_mut());
    // The heap once the script has returned (its frame gone) counts for the peak only: the
    // samples are the heap while the script runs.
    let end_bytes = lab::workloads::heap_bytes(heap);
    let samples = probe.samples(first);
    let result = lab::RunResult {
        system: "pyheap".into(),
        time_ms,
        cpu_ms,
        collections: [0, 1, 2].map(|g| (after[g].collections - before[g].collections) as u64),
        collected: [0, 1, 2].map(|g| (after[g].collected - before[g].collected) as u64),
        pauses_ms: probe.pauses_ms,
        peak_rss_kib: lab::workloads::peak_rss_kib(),
        peak_heap_bytes: samples.iter().map(|s| s.1).chain([end_bytes]).max(),
        heap_samples: samples,
        collection_times: probe.collection_times,
    };
    (exit.code(), result)
}

/// Hidden `lab-child RESULT CONFIG_JSON`: run one configuration of a script on the VM, write its
/// RunResult to RESULT, exit with the script's status (its stdout and stderr are its own).
pub fn lab_child(result: &Path, config_json: &str) -> Result<(), CliError> {
    let cfg: ScriptConfig = serde_json::from_str(config_json)
        .map_err(|e| CliError::Usage(format!("lab-child: bad configuration JSON: {e}")))?;
    let source = std::fs::read_to_string(&cfg.script)
        .map_err(|e| CliError::Usage(format!("can't open file '{}': {e}", cfg.script)))?;
    let mut argv = vec![cfg.script.clone()];
    argv.extend(cfg.args.iter().cloned());
    let config = RunConfig {
        argv,
        ..RunConfig::default()
    };
    let (code, r) = super::run::exit_70_on_panic(|| {
        with_interpreter(config, |interp| measure(interp, &cfg, &source))
    });
    use std::io::Write as _;
    let _ = std::io::stdout().flush();
    if code == 0 {
        super::write_file(
            result,
            &serde_json::to_string(&r).expect("results serialise"),
        )?;
    }
    std::process::exit(code);
}
