//! Command-line surface of the `pyheap` binary (DESIGN.md "Command surface").
//! One file per command; each exposes `run(args) -> Result<(), CliError>`.

use clap::{Parser, Subcommand};

pub mod bench;
pub mod explain_gc;
pub mod leaks;
pub mod map;
pub mod repl;
pub mod run;
pub mod sizes;
pub mod stats;
pub mod sweep;
pub mod tour;
pub mod trace;

/// An error that ends the command with a one-line message and exit status 2.
#[derive(Debug, thiserror::Error)]
pub enum CliError {
    #[error("{0}")]
    Usage(String),
    #[error("{0}")]
    Io(#[from] std::io::Error),
    #[error("{0}")]
    Lab(#[from] pyheap::lab::LabError),
}

#[derive(Parser, Debug)]
#[command(
    name = "pyheap",
    version,
    about = "CPython's object memory system, runnable and measurable"
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Subcommand, Debug)]
pub enum Command {
    /// A guided tour of the heap (the default command).
    Tour(tour::TourArgs),
    /// The allocator's table, in sys._debugmallocstats() form, after a demo workload.
    Stats(stats::StatsArgs),
    /// The arena / pool occupancy map (SVG) after a demo workload that leaves fragmentation.
    Map(map::MapArgs),
    /// The flat size of each built-in next to CPython's `sys.getsizeof`.
    Sizes(sizes::SizesArgs),
    /// Side-by-side benchmark figures with ratios against baselines run in the same process.
    Bench(bench::BenchArgs),
    /// The threshold lab: time, pauses and memory against threshold0, pyheap and CPython.
    Sweep(sweep::SweepArgs),
    /// The next collection explained object by object: gc_refs phase by phase, as a table and
    /// a DOT/SVG picture.
    ExplainGc(explain_gc::ExplainGcArgs),
    /// Run a Python 3.11 program on a pyheap heap: FILE.py [ARGS..] or -c CODE.
    Run(run::RunArgs),
    /// A Python prompt on a pyheap heap, with heap commands (%help).
    Repl(repl::ReplArgs),
    /// Run a Python program and write a step-by-step HTML page: names → objects, pools and
    /// arenas, the collector (one self-contained file).
    Trace(trace::TraceArgs),
    /// Run one sweep configuration of a script and write its result as JSON (used by `sweep`).
    #[command(hide = true)]
    LabChild {
        result: std::path::PathBuf,
        config_json: String,
    },
}

pub fn run(cli: Cli) -> Result<(), CliError> {
    match cli
        .command
        .unwrap_or(Command::Tour(tour::TourArgs::default()))
    {
        Command::Tour(a) => tour::run(a),
        Command::Sizes(a) => sizes::run(a),
        Command::Stats(a) => stats::run(a),
        Command::Map(a) => map::run(a),
        Command::Bench(a) => bench::run(a),
        Command::Sweep(a) => sweep::run(a),
        Command::ExplainGc(a) => explain_gc::run(a),
        Command::Run(a) => run::run(a),
        Command::Repl(a) => repl::run(a),
        Command::Trace(a) => trace::run(a),
        Command::LabChild {
            result,
            config_json,
        } => sweep::lab_child(&result, &config_json),
    }
}

/// Write a file the user asked for; the error names the path.
pub fn write_file(path: &std::path::Path, text: &str) -> Result<(), CliError> {
    std::fs::write(path, text)
        .map_err(|e| CliError::Usage(format!("cannot write {}: {e}", path.display())))
}

/// Render DOT text to an SVG file with Graphviz's `dot` (a one-line error when it is missing).
pub fn dot_to_svg(dot: &str, path: &std::path::Path) -> Result<(), CliError> {
    use std::io::Write as _;
    let mut child = std::process::Command::new("dot")
        .args(["-Tsvg", "-o"])
        .arg(path)
        .stdin(std::process::Stdio::piped())
        .spawn()
        .map_err(|e| {
            CliError::Usage(format!(
                "cannot run Graphviz `dot` for {} ({e}): install graphviz, or use --dot",
                path.display()
            ))
        })?;
    if let Some(mut stdin) = child.stdin.take() {
        stdin.write_all(dot.as_bytes())?;
    }
    let status = child.wait()?;
    if !status.success() {
        return Err(CliError::Usage(format!(
            "Graphviz `dot` failed ({status}) writing {}",
            path.display()
        )));
    }
    Ok(())
}
