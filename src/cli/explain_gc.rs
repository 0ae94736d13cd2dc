//! `pyheap explain-gc [FILE.py] [--dot FILE] [--svg FILE] [--like V]`: the next collection of
//! generation 0, object by object — refcount, gc_refs after the copy and after subtracting the
//! internal references, the move_unreachable walk (tentatively unreachable, moved back by whom),
//! finalizers, weakrefs, freed — as a table and as a DOT/SVG picture coloured by phase.
//!
//! Without FILE it explains the built-in five-object example
//! ([`pyheap::inspect::gc_explain::five_objects`]). Running a `.py` file up to its first
//! `gc.collect()` needs the Python front end (`pyheap-python`); until it is part of the build,
//! FILE is refused with a one-line message.
use super::CliError;
use pyheap::inspect::gc_explain::{explain_dot, explain_text, five_objects};
use pyheap::runtime::{Heap, Like};
use std::path::PathBuf;

#[derive(clap::Args, Debug)]
pub struct ExplainGcArgs {
    /// A Python file to run up to its first gc.collect() (needs the Python front end).
    pub file: Option<PathBuf>,
    /// Write the graph as Graphviz DOT.
    #[arg(long, value_name = "FILE")]
    pub dot: Option<PathBuf>,
    /// Write the graph as SVG (runs Graphviz `dot`, which must be installed).
    #[arg(long, value_name = "FILE")]
    pub svg: Option<PathBuf>,
    /// Which CPython to behave like: 3.7, 3.11 or 3.13.
    #[arg(long, default_value = "3.13")]
    pub like: Like,
}

pub fn run(args: ExplainGcArgs) -> Result<(), CliError> {
    if let Some(file) = &args.file {
        return Err(CliError::Usage(format!(
            "explain-gc {}: running Python files needs the Python front end (pyheap-python), \
             which this build does not have yet; run `pyheap explain-gc` for the built-in example",
            file.display()
        )));
    }
    let heap = Heap::with_config(args.like.gc_config());
    let (ex, names) =
        five_objects(&heap).map_err(|e| CliError::Usage(format!("explain-gc: {e}")))?;
    let source = format!(
        "the five-object example, {} collector (the algorithm is the same since 3.9)",
        args.like.label()
    );
    print!("{}", explain_text(&ex, &names, &source));
    let dot = explain_dot(&ex, &names, &source);
    if let Some(path) = &args.dot {
        super::write_file(path, &dot)?;
        println!("wrote {}", path.display());
    }
    if let Some(path) = &args.svg {
        super::dot_to_svg(&dot, path)?;
        println!("wrote {}", path.display());
    }
    Ok(())
}
