//! `pyheap bench NAME [--quick] [--json]`: quick, comparable figures (ours vs a baseline measured
//! in the same run, median of repetitions). Criterion benches under `benches/` give the detail.
//!
//! Each bench module returns [`Comparison`] rows; this module prints them as a table or as JSON
//! lines `{"bench","case","ours_ns","baseline","baseline_ns","ratio"}` (ratio = ours / baseline).

use super::CliError;

pub mod alloc;
pub mod collect;
pub mod crates;
pub mod interp;
pub mod python;
pub mod refcount;

use std::time::Instant;

#[derive(clap::Args, Debug)]
#[command(after_help = "Benches:
  alloc     pymalloc-style allocator vs the system allocator (ns per alloc/free)
  refcount  incref/decref and object drop vs CPython (python3 -S)
  create    object creation (lists, dicts, instances, big ints) vs CPython; user objects vs
            Rc<RefCell<_>>; big-int loops (1000!, fib(1000)) vs CPython, thread CPU time
  deep      freeing deep chains (the trashcan) vs CPython
  collect   full collection of large live heaps vs CPython's gc.collect
  cycles    collecting dead cycles vs CPython
  pyperf    pyperformance's gc_collect / gc_traversal shapes, heap-level kernels vs CPython
  crates    rust-cc, dumpster and gc-arena next to ours and Rc (child process per round)
  python    the same .py programs (lab/workloads: gc_collect, gc_traversal, churn, dict_str,
            fib, nbody) under `pyheap run` and `python3 -S`, alternating --rounds N; each
            script times its kernel with thread CPU time; ratio, goal, met/missed, same stdout;
            plus startup (`pyheap run` of an empty file vs `python3 -S -c pass`)")]
pub struct BenchArgs {
    /// Which bench (one of the list below).
    // The possible values are `KNOWN`, the names `run` dispatches on.
    #[arg(value_parser = clap::builder::PossibleValuesParser::new(KNOWN))]
    pub name: String,
    /// Fewer repetitions and smaller sizes (for CI smoke runs).
    #[arg(long)]
    pub quick: bool,
    /// One JSON object per line instead of a table.
    #[arg(long)]
    pub json: bool,
    /// Rounds per side, alternating which side runs first (`bench python` only; default 5).
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u32).range(1..))]
    pub rounds: Option<u32>,
}

/// One line of output: our median next to one baseline's median, same unit (ns per operation).
#[derive(Debug, Clone, serde::Serialize)]
pub struct Comparison {
    pub bench: String,
    pub case: String,
    pub ours_ns: f64,
    pub baseline: String,
    pub baseline_ns: Option<f64>,
    pub ratio: Option<f64>,
    /// Why a baseline has no figure (e.g. "stack overflow"), or the rounds' spread.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

impl Comparison {
    pub fn new(
        bench: &str,
        case: &str,
        ours_ns: f64,
        baseline: &str,
        baseline_ns: Option<f64>,
    ) -> Self {
        Comparison {
            bench: bench.into(),
            case: case.into(),
            ours_ns,
            baseline: baseline.into(),
            baseline_ns,
            ratio: baseline_ns.map(|b| ours_ns / b),
            note: None,
        }
    }

    /// The same row with a note (printed after the ratio).
    pub fn with_note(mut self, note: String) -> Self {
        self.note = Some(note);
        self
    }
}

/// Median of `reps` runs of `f`, in nanoseconds per operation (`f` performs `ops` operations).
pub fn median_ns_per_op(reps: usize, ops: usize, mut f: impl FnMut()) -> f64 {
    let mut v: Vec<f64> = (0..reps.max(1))
        .map(|_| {
            let t = Instant::now();
            f();
            t.elapsed().as_nanos() as f64 / ops as f64
        })
        .collect();
    median(&mut v)
}

/// The median of a sample (sorts it).
pub fn median(v: &mut [f64]) -> f64 {
    v.sort_by(f64::total_cmp);
    v[v.len() / 2]
}

/// Thread CPU ns per operation of `f`, which performs `ops` operations (one timing, steadier
/// than wall time on a busy machine).
pub fn cpu_ns_per_op(ops: usize, f: impl FnOnce()) -> f64 {
    let t = crate::benchkit::cpu_time::thread_cpu_ns();
    f();
    (crate::benchkit::cpu_time::thread_cpu_ns() - t) as f64 / ops as f64
}

/// Run `python3 -S -c CODE`; the script prints one float per line (ns per operation). `None` when
/// python3 is missing or fails, so the baseline shows as "n/a".
pub fn python_ns(code: &str) -> Option<Vec<f64>> {
    let out = std::process::Command::new("python3")
        .args(["-S", "-c", code])
        .output()
        .ok()?;
    if !out.status.success() {
        return None;
    }
    String::from_utf8(out.stdout)
        .ok()?
        .lines()
        .map(|l| l.trim().parse().ok())
        .collect()
}

pub fn print(rows: &[Comparison], json: bool) {
    if json {
        for r in rows {
            println!("{}", serde_json::to_string(r).expect("rows serialise"));
        }
        return;
    }
    println!(
        "{:<10} {:<16} {:>12} {:<10} {:>12} {:>8}",
        "bench", "case", "ours ns/op", "baseline", "base ns/op", "ratio"
    );
    for r in rows {
        let b = r
            .baseline_ns
            .map_or("n/a".to_string(), |b| format!("{b:.2}"));
        let q = r.ratio.map_or("n/a".to_string(), |q| format!("{q:.2}x"));
        let note = r
            .note
            .as_deref()
            .map_or(String::new(), |n| format!("  {n}"));
        println!(
            "{:<10} {:<16} {:>12.2} {:<10} {:>12} {:>8}{note}",
            r.bench, r.case, r.ours_ns, r.baseline, b, q
        );
    }
}

/// Bench names accepted by `pyheap bench`.
pub const KNOWN: [&str; 9] = [
    "alloc", "refcount", "create", "deep", "collect", "cycles", "pyperf", "crates", "python",
];

pub fn run(args: BenchArgs) -> Result<(), CliError> {
    if args.name == "python" {
        let rows = python::measure(args.quick, args.rounds.unwrap_or(5) as usize)?;
        python::print(&rows, args.json);
        return Ok(());
    }
    if args.rounds.is_some() {
        return Err(CliError::Usage(
            "--rounds applies to `bench python` only".into(),
        ));
    }
    // A child round of `crates` (see `crates::CHILD_ENV`): run it and exit.
    if let Ok(spec) = std::env::var(crates::CHILD_ENV) {
        crates::child_main(&spec);
    }
    let rows: Vec<Comparison> = match args.name.as_str() {
        "alloc" => alloc::run(args.quick),
        "refcount" => refcount::refcount(args.quick),
        "create" => refcount::create(args.quick),
        "deep" => refcount::deep(args.quick),
        "collect" => collect::collect(args.quick),
        "cycles" => collect::cycles(args.quick),
        "pyperf" => collect::pyperf(args.quick),
        "crates" => crates::crates(args.quick),
        other => {
            return Err(CliError::Usage(format!(
                "unknown bench '{other}' (known: {})",
                KNOWN.join(", ")
            )));
        }
    };
    print(&rows, args.json);
    Ok(())
}
