//! `pyheap trace FILE.py [-o trace.html] [--like V] [--threshold T0,T1,T2]`: run a program on
//! the Python front end, record it line by line and write one self-contained HTML page to
//! step through (names → objects, the allocator's pools and arenas, the collector).
//!
//! ```text
//!   FILE.py ─▶ with_interpreter ─ set_line_hook ─▶ Recorder::line (inspect/trace_record.rs)
//!                               └ gc callback ──▶ Recorder::collection
//!              run_source ends ─▶ Recorder::finish ─▶ trace_page::render ─▶ trace.html
//! ```
//!
//! The program's own output goes to stdout as with `pyheap run`; the page is written even when
//! the program fails (the last step shows where it stopped), and the exit status is then 1.

use super::CliError;
use super::run::HeapOptions;
use pyheap::gc::{GcCallbackInfo, Phase};
use pyheap::inspect::arena_svg::MapGeometry;
use pyheap::inspect::trace_page;
use pyheap::inspect::trace_record::{Collection, Recorder};
use pyheap_python::with_interpreter;
use std::cell::RefCell;
use std::path::PathBuf;
use std::rc::Rc;

#[derive(clap::Args, Debug)]
pub struct TraceArgs {
    /// The Python program to trace.
    pub file: PathBuf,
    /// Where to write the page.
    #[arg(
        short = 'o',
        long = "output",
        value_name = "FILE",
        default_value = "trace.html"
    )]
    pub output: PathBuf,
    #[command(flatten)]
    pub heap: HeapOptions,
}

pub fn run(args: TraceArgs) -> Result<(), CliError> {
    let source = std::fs::read(&args.file)
        .map_err(|e| CliError::Usage(format!("can't open file '{}': {e}", args.file.display())))
        .and_then(|b| {
            String::from_utf8(b)
                .map_err(|_| CliError::Usage(format!("{}: not UTF-8 source", args.file.display())))
        })?;
    let filename = args.file.display().to_string();
    let config = args.heap.to_config(vec![filename.clone()]);
    let (page, exit, steps, events) = super::run::exit_70_on_panic(|| {
        with_interpreter(config, |interp| {
            let heap = interp.heap();
            let rec = Rc::new(RefCell::new(Recorder::new(
                heap,
                &filename,
                &source,
                MapGeometry::of_stats(&heap.allocator_stats()),
            )));
            let r = rec.clone();
            let cb = heap
                .gc()
                .add_callback(move |phase: Phase, info: &GcCallbackInfo| {
                    if phase == Phase::Stop
                        && let Ok(mut r) = r.try_borrow_mut()
                    {
                        r.collection(Collection {
                            generation: info.generation,
                            examined: info.candidates,
                            collected: info.collected,
                            uncollectable: info.uncollectable,
                        });
                    }
                });
            let r = rec.clone();
            let file = filename.clone();
            interp.set_line_hook(Some(Box::new(move |ev| {
                if ev.filename() != file {
                    return;
                }
                let mut scopes = Vec::new();
                if !ev.is_module() {
                    scopes.push((ev.function().to_string(), ev.locals()));
                }
                scopes.push(("global".to_string(), ev.globals()));
                if let Ok(mut r) = r.try_borrow_mut() {
                    r.line(ev.heap(), ev.line, ev.function(), &scopes);
                }
            })));
            let exit = interp.run_source(&source, &filename);
            interp.set_line_hook(None);
            heap.gc().remove_callback(cb);
            let globals = interp.globals();
            let rec = Rc::try_unwrap(rec)
                .map(RefCell::into_inner)
                .unwrap_or_else(|_| panic!("trace recorder still shared"));
            let trace = rec.finish(heap, globals, exit.code());
            let (steps, events) = (trace.steps.len(), trace.line_events);
            (trace_page::render(&trace), exit.code(), steps, events)
        })
    });
    use std::io::Write as _;
    let _ = std::io::stdout().flush();
    super::write_file(&args.output, &page)?;
    eprintln!(
        "pyheap trace: {events} line events, {steps} steps; wrote {} ({} KiB): open it in a browser",
        args.output.display(),
        page.len().div_ceil(1024)
    );
    if exit != 0 {
        std::process::exit(exit);
    }
    Ok(())
}
