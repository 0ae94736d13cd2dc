//! `pyheap explain-gc [FILE.py] [--dot FILE] [--svg FILE] [--like V]`: the next collection of
//! generation 0, object by object — refcount, gc_refs after the copy and after subtracting the
//! internal references, the move_unreachable walk (tentatively unreachable, moved back by whom),
//! finalizers, weakrefs, freed — as a table and as a DOT/SVG picture coloured by phase.
//!
//! Without FILE it explains the built-in five-object example
//! ([`pyheap::inspect::gc_explain::five_objects`]). With FILE it runs the program on the Python
//! front end and explains the collection of its first line that calls `gc.collect(…)` (the
//! generation written in the call, 2 when none), made just before that line runs; a program
//! that never calls it gets the full collection its end state would see. The program then goes
//! on, so its own `gc.collect()` finds that garbage already gone. In the big generations only
//! the rows that matter are listed: named by a variable, tentatively unreachable, moved back,
//! freed, or the row that moved one of them back; the rest are counted.
use super::CliError;
use pyheap::gc::Explanation;
use pyheap::inspect::gc_explain::{
    EdgeLabels, edge_labels, explain_dot, explain_text, five_objects, focus,
};
use pyheap::runtime::{Heap, Like};
use std::cell::RefCell;
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::rc::Rc;

#[derive(clap::Args, Debug)]
pub struct ExplainGcArgs {
    /// A Python program: explain the collection of its first `gc.collect()` line.
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
    let (ex, names, labels, source) = match &args.file {
        Some(file) => program(file, args.like)?,
        None => {
            let heap = Heap::with_config(args.like.gc_config());
            let (ex, names, labels) =
                five_objects(&heap).map_err(|e| CliError::Usage(format!("explain-gc: {e}")))?;
            let source = format!(
                "the five-object example, {} collector (the algorithm is the same since 3.9)",
                args.like.label()
            );
            (ex, names, labels, source)
        }
    };
    print!("{}", explain_text(&ex, &names, &labels, &source));
    let dot = explain_dot(&ex, &names, &labels, &source);
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

/// The generation of a `gc.collect(…)` call on `line` (`None` when the line has no call).
fn collect_call(line: &str) -> Option<i64> {
    let code = line.split('#').next()?;
    let at = code.find("gc.collect(")?;
    let arg = code[at + "gc.collect(".len()..].split(')').next()?.trim();
    let arg = arg.strip_prefix("generation=").unwrap_or(arg).trim();
    Some(arg.parse().unwrap_or(2))
}

type Explained = (Explanation, HashMap<usize, String>, EdgeLabels, String);

/// Run `file` and explain the collection of its first `gc.collect()` line (see the module docs).
fn program(file: &Path, like: Like) -> Result<Explained, CliError> {
    let source = std::fs::read_to_string(file)
        .map_err(|e| CliError::Usage(format!("can't open file '{}': {e}", file.display())))?;
    let filename = file.display().to_string();
    let config = pyheap_python::RunConfig {
        argv: vec![filename.clone()],
        like,
        ..Default::default()
    };
    let lines: Vec<String> = source.lines().map(str::to_string).collect();
    let done: Rc<RefCell<Option<Result<Explained, String>>>> = Rc::new(RefCell::new(None));
    let exit = super::run::exit_70_on_panic(|| {
        pyheap_python::with_interpreter(config, |interp| {
            let heap = interp.heap();
            let d = done.clone();
            let file = filename.clone();
            // Every name seen so far, with its object's type: a row whose name is gone by the
            // time of the collection is shown as "name (deleted)".
            let mut seen: HashMap<usize, (String, String)> = HashMap::new();
            interp.set_line_hook(Some(Box::new(move |ev| {
                if d.borrow().is_some() || ev.filename() != file {
                    return;
                }
                let bound: Vec<(String, pyheap::runtime::Obj<'_>)> =
                    ev.globals().into_iter().chain(ev.locals()).collect();
                for (n, o) in &bound {
                    seen.insert(heap.id(o), (n.clone(), o.type_name().to_string()));
                }
                let text = lines
                    .get(ev.line as usize - 1)
                    .map(String::as_str)
                    .unwrap_or("");
                let Some(g) = collect_call(text) else {
                    return;
                };
                let mut names: HashMap<usize, String> = seen
                    .iter()
                    .map(|(id, (n, _))| (*id, format!("{n} (deleted)")))
                    .collect();
                for (n, o) in &bound {
                    names.insert(heap.id(o), n.clone());
                }
                drop(bound);
                let what = format!("{file} line {}: {}", ev.line, text.trim());
                let labels = edge_labels(heap, g.clamp(0, 2) as usize);
                let r = heap.gc().collect_explained(g).map_err(|e| e.to_string());
                let r = r.map(|ex| {
                    // A stale name (its address now holds another type) is dropped.
                    for row in &ex.rows {
                        let ty = row.name.trim_start_matches('<').split([' ', '>']).next();
                        if let Some((_, t)) = seen.get(&row.id)
                            && Some(t.as_str()) != ty
                            && names.get(&row.id).is_some_and(|n| n.ends_with("(deleted)"))
                        {
                            names.remove(&row.id);
                        }
                    }
                    (ex, names, labels, what)
                });
                *d.borrow_mut() = Some(r);
            })));
            let exit = interp.run_source(&source, &filename);
            interp.set_line_hook(None);
            if done.borrow().is_none() {
                let mut names = HashMap::new();
                for (n, o) in interp.globals() {
                    names.insert(heap.id(&o), n);
                }
                let what = format!("{filename} at its end (it never calls gc.collect())");
                let labels = edge_labels(heap, 2);
                let r = heap.gc().collect_explained(2).map_err(|e| e.to_string());
                *done.borrow_mut() = Some(r.map(|ex| (ex, names, labels, what)));
            }
            exit.code()
        })
    });
    let (ex, names, labels, what) = done
        .borrow_mut()
        .take()
        .expect("explained")
        .map_err(|e| CliError::Usage(format!("explain-gc: {e}")))?;
    let named = |i: usize| names.contains_key(&ex.rows[i].id);
    let (small, left_out) = focus(&ex, |i| {
        let r = &ex.rows[i];
        named(i) || r.unreachable || r.freed || r.resurrected || r.uncollectable
    });
    let source = format!(
        "{what}, {} collector; {left_out} more objects of the generations survive, reachable \
         (modules, functions, builtins: not listed); the program's own gc.collect() ran after \
         this one (exit status {exit})",
        like.label()
    );
    Ok((small, names, labels, source))
}

#[cfg(test)]
mod tests {
    use super::collect_call;

    #[test]
    fn finds_the_generation_of_a_collect_call() {
        assert_eq!(collect_call("n = gc.collect()"), Some(2));
        assert_eq!(collect_call("    gc.collect(0)  # young"), Some(0));
        assert_eq!(collect_call("gc.collect(generation=1)"), Some(1));
        assert_eq!(collect_call("# gc.collect()"), None);
        assert_eq!(collect_call("x = 1"), None);
    }
}
