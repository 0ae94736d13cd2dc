//! `pyheap run FILE.py [ARGS..]` and `pyheap run -c CODE [ARGS..]`: Python 3.11 source on a
//! pyheap heap (the VM is the `pyheap-python` crate), with the heap's knobs as options.
//!
//! ```text
//!   argv ──clap──► RunArgs ──to_config()──► RunConfig ──► with_interpreter ──► run_source
//!                                                                    │ --stats
//!                                                                    ▼
//!                                  stderr: allocator table + gc counts, thresholds, stats
//! ```
//!
//! Exit status: the program's (`sys.exit(n)` → n, an uncaught exception → 1), 2 for argument
//! errors and unreadable files (as `python3`), 70 for an internal error (a panic in pyheap).
//! The option parsers and the `--stats` report are shared with `pyheap repl` (see `repl.rs`).

use super::CliError;
use pyheap::runtime::Heap;
use pyheap::runtime::Like;
use pyheap_python::{RunConfig, with_interpreter};
use std::path::PathBuf;

/// Options shared by `pyheap run` and `pyheap repl`: how the heap is configured.
#[derive(clap::Args, Debug, Clone)]
pub struct HeapOptions {
    /// Collector thresholds, 1 to 3 comma-separated values (missing ones keep the profile's).
    #[arg(long, value_name = "T0,T1,T2", value_parser = parse_threshold)]
    pub threshold: Option<Thresholds>,
    /// CPython version profile: layout, default thresholds, immortal objects.
    #[arg(long, value_name = "3.7|3.11|3.13", value_parser = parse_like, default_value = "3.11")]
    pub like: LikeArg,
    /// gc.set_debug flags at start: names joined by `|` or `,` (DEBUG_STATS|DEBUG_SAVEALL,
    /// `stats`, `leak`) or a number.
    #[arg(long, value_name = "FLAGS", value_parser = parse_gc_debug)]
    pub gc_debug: Option<u32>,
    /// Heap size limit (bytes, or with a K/M/G suffix: 64M); allocations past it raise MemoryError.
    #[arg(long, value_name = "SIZE", value_parser = parse_size)]
    pub max_heap: Option<usize>,
    /// The classic pymalloc layout (8-byte classes, 4 KiB pools, 256 KiB arenas; CPython ≤ 3.9),
    /// as --like 3.7 has it.
    #[arg(long)]
    pub classic: bool,
}

/// `--threshold` as parsed: 1 to 3 values (a newtype, so clap takes it as one value).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Thresholds(pub Vec<u32>);

/// `--like` as parsed (clap needs a `Clone + Send + Sync` value; `Like` is mapped at the end).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LikeArg {
    Py37,
    Py311,
    Py313,
}

#[derive(clap::Args, Debug)]
pub struct RunArgs {
    /// Program passed in as a string (sys.argv[0] is then "-c").
    #[arg(short = 'c', value_name = "CODE")]
    pub code: Option<String>,
    /// At exit, print the allocator's table and the collector's statistics on stderr.
    #[arg(long)]
    pub stats: bool,
    /// Report what grew between the program's start and its end (before teardown): by type
    /// (objgraph's show_growth), by the line that allocated it, and why the top growing type's
    /// newest object is alive; on stderr.
    #[arg(long)]
    pub leaks: bool,
    /// With --leaks: the two points are the first and the last time LINE is about to run (a
    /// loop's first line: growth over the iterations), instead of start and end.
    #[arg(long, value_name = "LINE", requires = "leaks")]
    pub leaks_at: Option<u32>,
    /// With --leaks: write the "why is this alive?" chain as Graphviz DOT.
    #[arg(long, value_name = "FILE", requires = "leaks")]
    pub leaks_dot: Option<PathBuf>,
    #[command(flatten)]
    pub heap: HeapOptions,
    /// The script, then its arguments (sys.argv[1:]); with -c, only arguments.
    #[arg(
        value_name = "FILE.py [ARGS]",
        trailing_var_arg = true,
        allow_hyphen_values = true
    )]
    pub rest: Vec<String>,
}

fn parse_threshold(s: &str) -> Result<Thresholds, String> {
    let parts: Vec<&str> = s.split(',').map(str::trim).collect();
    if parts.is_empty() || parts.len() > 3 {
        return Err(format!(
            "expected 1 to 3 comma-separated numbers, got {s:?}"
        ));
    }
    parts
        .iter()
        .map(|p| {
            p.parse::<u32>()
                .map_err(|_| format!("{p:?} is not a non-negative integer"))
        })
        .collect::<Result<Vec<u32>, String>>()
        .map(Thresholds)
}

fn parse_like(s: &str) -> Result<LikeArg, String> {
    match s {
        "3.7" => Ok(LikeArg::Py37),
        "3.11" => Ok(LikeArg::Py311),
        "3.13" => Ok(LikeArg::Py313),
        _ => Err(format!("expected 3.7, 3.11 or 3.13, got {s:?}")),
    }
}

/// The gc module's DEBUG_* flags (CPython's values).
const GC_DEBUG_FLAGS: [(&str, u32); 5] = [
    ("STATS", 1),
    ("COLLECTABLE", 2),
    ("UNCOLLECTABLE", 4),
    ("SAVEALL", 32),
    ("LEAK", 2 | 4 | 32),
];

fn parse_gc_debug(s: &str) -> Result<u32, String> {
    if let Ok(n) = s.trim().parse::<u32>() {
        return Ok(n);
    }
    let mut flags = 0;
    for part in s.split(['|', ',']).map(str::trim) {
        let upper = part.to_ascii_uppercase();
        let name = upper
            .strip_prefix("GC.")
            .unwrap_or(&upper)
            .strip_prefix("DEBUG_")
            .unwrap_or(upper.strip_prefix("GC.").unwrap_or(&upper));
        match GC_DEBUG_FLAGS.iter().find(|(n, _)| *n == name) {
            Some((_, v)) => flags |= v,
            None => {
                return Err(format!(
                    "unknown flag {part:?} (DEBUG_STATS, DEBUG_COLLECTABLE, DEBUG_UNCOLLECTABLE, \
                     DEBUG_SAVEALL, DEBUG_LEAK or a number)"
                ));
            }
        }
    }
    Ok(flags)
}

fn parse_size(s: &str) -> Result<usize, String> {
    let t = s.trim();
    let (digits, unit) = match t.find(|c: char| !c.is_ascii_digit()) {
        Some(i) => t.split_at(i),
        None => (t, ""),
    };
    let mult: usize = match unit.to_ascii_uppercase().as_str() {
        "" | "B" => 1,
        "K" | "KB" | "KIB" => 1 << 10,
        "M" | "MB" | "MIB" => 1 << 20,
        "G" | "GB" | "GIB" => 1 << 30,
        _ => return Err(format!("unknown size unit {unit:?} (use K, M or G)")),
    };
    let n: usize = digits
        .parse()
        .map_err(|_| format!("{s:?} is not a size like 64M"))?;
    n.checked_mul(mult)
        .filter(|&b| b > 0)
        .ok_or_else(|| format!("{s:?} is not a usable size"))
}

impl HeapOptions {
    /// The VM's configuration for these options and `argv`.
    pub fn to_config(&self, argv: Vec<String>) -> RunConfig {
        let like = match self.like {
            LikeArg::Py37 => Like::Py37,
            LikeArg::Py311 => Like::Py311,
            LikeArg::Py313 => Like::Py313,
        };
        let thresholds = self.threshold.as_ref().map(|t| {
            let defaults = match self.like {
                LikeArg::Py313 => [2000, 10, 10],
                _ => [700, 10, 10],
            };
            let get = |i: usize| t.0.get(i).copied().unwrap_or(defaults[i]);
            (get(0), get(1), get(2))
        });
        RunConfig {
            argv,
            thresholds,
            like,
            gc_debug: self.gc_debug.unwrap_or(0),
            max_heap: self.max_heap,
            classic_layout: self.classic,
        }
    }
}

/// The `--stats` / `%stats` report: the allocator's table (sys._debugmallocstats() shape), then
/// the collector's counts, thresholds and per-generation statistics.
pub fn stats_report(heap: &Heap) -> String {
    let mut out = heap.allocator_stats().to_text();
    out.push_str(&gc_report(heap));
    out
}

/// The collector part of [`stats_report`] (also `%gen` in the REPL).
pub fn gc_report(heap: &Heap) -> String {
    let gc = heap.gc();
    let mut out = String::new();
    out.push_str(&format!(
        "\ngc: enabled {}, count {:?}, threshold {:?}, frozen {}\n",
        if gc.isenabled() { "yes" } else { "no" },
        gc.get_count(),
        gc.get_threshold(),
        gc.get_freeze_count()
    ));
    out.push_str("generation  collections   collected  uncollectable\n");
    for (g, s) in gc.get_stats().iter().enumerate() {
        out.push_str(&format!(
            "{g:>10}  {:>11}  {:>10}  {:>13}\n",
            s.collections, s.collected, s.uncollectable
        ));
    }
    out
}

/// Run `f`; a panic that escapes it is a pyheap bug, never the program's: report it as an
/// internal error and exit 70 (the panic message itself is already on stderr).
pub fn exit_70_on_panic<R>(f: impl FnOnce() -> R) -> R {
    match std::panic::catch_unwind(std::panic::AssertUnwindSafe(f)) {
        Ok(r) => r,
        Err(_) => {
            eprintln!("pyheap: internal error (a bug in pyheap, not in your program)");
            std::process::exit(70);
        }
    }
}

pub fn run(args: RunArgs) -> Result<(), CliError> {
    let (source, filename, argv) = match (&args.code, args.rest.split_first()) {
        (Some(code), _) => {
            let mut argv = vec!["-c".to_string()];
            argv.extend(args.rest.iter().cloned());
            (code.clone(), "<string>".to_string(), argv)
        }
        (None, Some((file, script_args))) => {
            // CPython names the script by its absolute path (tracebacks, `__file__`, the
            // can't-open message), and keeps `sys.argv[0]` as typed.
            let filename = pyheap_python::script_filename(std::path::Path::new(file));
            let source = match std::fs::read(PathBuf::from(file)) {
                Ok(bytes) => String::from_utf8(bytes)
                    .map_err(|_| CliError::Usage(format!("{file}: not UTF-8 source")))?,
                Err(e) => {
                    eprintln!(
                        "pyheap: can't open file '{filename}': {}",
                        pyheap_python::os_error_text(&e)
                    );
                    std::process::exit(2);
                }
            };
            let mut argv = vec![file.clone()];
            argv.extend(script_args.iter().cloned());
            (source, filename, argv)
        }
        (None, None) => {
            return Err(CliError::Usage(
                "run: a FILE.py or -c CODE is required (pyheap repl for a prompt)".into(),
            ));
        }
    };
    let config = args.heap.to_config(argv);
    if args.leaks {
        let opts = super::leaks::LeakOptions {
            at: args.leaks_at,
            dot: args.leaks_dot.clone(),
            stats: args.stats,
        };
        return super::leaks::run(config, &source, &filename, &opts);
    }
    let stats = args.stats;
    let code = exit_70_on_panic(|| {
        with_interpreter(config, |interp| {
            let exit = interp.run_source(&source, &filename);
            if stats {
                eprint!("{}", stats_report(interp.heap()));
            }
            exit.code()
        })
    });
    use std::io::Write as _;
    let _ = std::io::stdout().flush();
    std::process::exit(code);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn option_parsers() {
        assert_eq!(
            parse_threshold("700,10,10"),
            Ok(Thresholds(vec![700, 10, 10]))
        );
        assert_eq!(parse_threshold("5"), Ok(Thresholds(vec![5])));
        assert!(parse_threshold("1,2,3,4").is_err());
        assert!(parse_threshold("a").is_err());
        assert_eq!(parse_gc_debug("DEBUG_STATS|DEBUG_SAVEALL"), Ok(33));
        assert_eq!(parse_gc_debug("stats,saveall"), Ok(33));
        assert_eq!(parse_gc_debug("gc.DEBUG_LEAK"), Ok(38));
        assert_eq!(parse_gc_debug("36"), Ok(36));
        assert!(parse_gc_debug("DEBUG_NOPE").is_err());
        assert_eq!(parse_size("64M"), Ok(64 << 20));
        assert_eq!(parse_size("512k"), Ok(512 << 10));
        assert_eq!(parse_size("1000"), Ok(1000));
        assert!(parse_size("12X").is_err());
        assert!(parse_size("0").is_err());
        assert_eq!(parse_like("3.13"), Ok(LikeArg::Py313));
        assert!(parse_like("3.12").is_err());
    }
}
