//! `pyheap run --leaks [--leaks-at LINE] [--leaks-dot FILE] FILE.py`: what the program's heap
//! gained between two points, by type, by allocating line, and why the top growing type's
//! newest object is alive (see [`pyheap::inspect::leaks`] for the rule that charges lines).
//!
//! ```text
//!   with_interpreter ─ line hook ──▶ LeakRecorder::line   (every line of FILE)
//!                    ─ gc "start" ─▶ LeakRecorder::scan   (before objects leave generation 0)
//!   point A: before the first line runs      | --leaks-at L: L's first run
//!   point B: after the last line, before the | --leaks-at L: L's last run (the program's end
//!            interpreter's teardown          |               when L runs once)
//!   ──▶ gc.collect() then Snapshot at each point ──▶ LeakReport on stderr
//! ```
//!
//! The program's stdout is untouched; the report goes to stderr after the program ends, and the
//! exit status is the program's (2 when --leaks-at names a line that never ran).

use super::CliError;
use pyheap::gc::Phase;
use pyheap::inspect::leaks::{LeakRecorder, LeakReport, program_snapshot};
use pyheap::inspect::snapshot::Snapshot;
use pyheap_python::{RunConfig, with_interpreter};
use std::cell::RefCell;
use std::path::PathBuf;
use std::rc::Rc;

/// The `--leaks*` options.
pub struct LeakOptions {
    /// `--leaks-at LINE`.
    pub at: Option<u32>,
    /// `--leaks-dot FILE`.
    pub dot: Option<PathBuf>,
    /// `--stats` too.
    pub stats: bool,
}

/// The state the hooks share.
#[derive(Default)]
struct Points {
    before: Option<Snapshot>,
    report: Option<LeakReport>,
    runs: usize,
}

pub fn run(
    config: RunConfig,
    source: &str,
    filename: &str,
    opts: &LeakOptions,
) -> Result<(), CliError> {
    let nlines = source.lines().count();
    if let Some(l) = opts.at
        && (l == 0 || l as usize > nlines)
    {
        return Err(CliError::Usage(format!(
            "--leaks-at {l}: {filename} has lines 1 to {nlines}"
        )));
    }
    let (code, report) = super::run::exit_70_on_panic(|| {
        with_interpreter(config, |interp| {
            let heap = interp.heap();
            let rec = Rc::new(RefCell::new(LeakRecorder::new()));
            let r = rec.clone();
            let cb = heap.gc().add_heap_callback(move |heap, phase, _| {
                if phase == Phase::Start
                    && let Ok(mut r) = r.try_borrow_mut()
                {
                    r.scan(heap);
                    r.collection_starts();
                }
            });
            let points = Rc::new(RefCell::new(Points::default()));
            let (r, p) = (rec.clone(), points.clone());
            let file = filename.to_string();
            let at = opts.at;
            interp.set_line_hook(Some(Box::new(move |ev| {
                if ev.filename() != file {
                    return;
                }
                let heap = ev.heap();
                let Ok(mut rec) = r.try_borrow_mut() else {
                    return;
                };
                rec.line(heap, ev.line, ev.depth, ev.entry);
                drop(rec);
                let Ok(mut p) = p.try_borrow_mut() else {
                    return;
                };
                let point = match at {
                    Some(l) => l == ev.line,
                    None => p.before.is_none(),
                };
                if !point {
                    return;
                }
                p.runs += 1;
                let _ = heap.gc().collect(2);
                if p.before.is_none() {
                    p.before = Some(program_snapshot(heap));
                } else if let Some(before) = &p.before {
                    let what = format!(
                        "between the first and the last time line {} is about to run ({} runs, \
                         so {} passes through it)",
                        ev.line,
                        p.runs,
                        p.runs - 1
                    );
                    p.report = Some(LeakReport::build(heap, before, &r.borrow(), &what));
                }
            })));
            let exit = interp.run_source(source, filename);
            interp.set_line_hook(None);
            let mut p = points.borrow_mut();
            if p.report.is_none()
                && let Some(before) = &p.before
            {
                let _ = heap.gc().collect(2);
                let what = match at {
                    None => "from the program's start (before its first line) to its end (after \
                             its last line, before the interpreter's teardown)"
                        .to_string(),
                    Some(l) => format!(
                        "from the only run of line {l} to the program's end (before teardown)"
                    ),
                };
                p.report = Some(LeakReport::build(heap, before, &rec.borrow(), &what));
            }
            heap.gc().remove_callback(cb);
            if opts.stats {
                eprint!("{}", super::run::stats_report(heap));
            }
            (exit.code(), p.report.take())
        })
    });
    use std::io::Write as _;
    let _ = std::io::stdout().flush();
    let Some(report) = report else {
        let l = opts.at.unwrap_or(1);
        eprintln!(
            "pyheap: --leaks-at {l}: line {l} of {filename} never ran (a blank line, a comment, \
             or code the program did not reach)"
        );
        std::process::exit(2);
    };
    eprint!("{}", report.to_text(source, 10));
    if let Some(path) = &opts.dot {
        match report.why.as_ref().and_then(|w| w.2.as_ref()) {
            Some((_, dot)) => {
                super::write_file(path, dot)?;
                eprintln!("wrote {}", path.display());
            }
            None => eprintln!(
                "pyheap: no chain to draw ({}): {} not written",
                if report.no_growth() {
                    "nothing grew"
                } else {
                    "no root reaches the object"
                },
                path.display()
            ),
        }
    }
    std::process::exit(code);
}
