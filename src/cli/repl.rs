//! `pyheap repl`: a Python prompt on a pyheap heap, with heap commands for looking inside.
//!
//! ```text
//!   rustyline ──line──► starts with '%'? ──yes──► heap command (%stats %arenas %pools %gen
//!      ▲  ">>> "                │ no                            %refs %dot %help)
//!      │  "... "                ▼
//!      └──── Incomplete ◄── repl_feed(buffer) ──► Done(None): results echoed by the VM
//!                                             └─► Done(Some(exit)): leave with exit.code()
//! ```
//!
//! Line editing and history come from rustyline (history in `~/.pyheap_history`, only when
//! stdin is a terminal); piped stdin works the same way, so tests drive the REPL through a pipe.
//! A block is fed again line by line until the VM says it is complete, as CPython's `...`
//! continuation does; an empty line ends an indented block. Heap commands are read at the
//! `>>> ` prompt only, and draw on the root package's inspect tools.

use super::CliError;
use super::run::{HeapOptions, exit_70_on_panic, gc_report, stats_report};
use pyheap::inspect::arena_svg::{PoolCounts, human_bytes};
use pyheap::inspect::dot::{DotOptions, Variable, to_dot};
use pyheap::inspect::heap_graph::{labelled_referents, short_repr};
use pyheap::inspect::snapshot::Snapshot;
use pyheap::runtime::Heap;
use pyheap_python::{Interpreter, ReplStep, with_interpreter};
use rustyline::error::ReadlineError;
use std::io::IsTerminal;

#[derive(clap::Args, Debug)]
pub struct ReplArgs {
    #[command(flatten)]
    pub heap: HeapOptions,
}

const HELP: &str = "\
Heap commands (at the >>> prompt):
  %stats           allocator table, collector statistics, most common types
  %arenas          one line per arena: pools full / partly used / free
  %pools SIZE      the size class of a SIZE-byte request and its pools
  %gen             gc counts, thresholds, objects per generation, statistics
  %refs NAME       what the global NAME refers to, and what refers to it
  %dot NAME FILE   write the references around NAME as a Graphviz DOT file
  %help            this text
Anything else is Python. Leave with exit(), quit(), sys.exit() or end of input (Ctrl-D).";

pub fn run(args: ReplArgs) -> Result<(), CliError> {
    let config = args.heap.to_config(vec![String::new()]);
    let interactive = std::io::stdin().is_terminal();
    let history = std::env::var_os("HOME")
        .map(|h| std::path::PathBuf::from(h).join(".pyheap_history"))
        .filter(|_| interactive);
    let mut editor = rustyline::DefaultEditor::new()
        .map_err(|e| CliError::Usage(format!("repl: cannot start line editing: {e}")))?;
    if let Some(h) = &history {
        let _ = editor.load_history(h);
    }
    if interactive {
        println!(
            "pyheap {} (Python 3.11 on a pyheap heap). Type %help for heap commands.",
            env!("CARGO_PKG_VERSION")
        );
    }
    let code = exit_70_on_panic(|| {
        with_interpreter(config, |interp| session(interp, &mut editor, interactive))
    });
    if let Some(h) = &history {
        let _ = editor.save_history(h);
    }
    use std::io::Write as _;
    let _ = std::io::stdout().flush();
    std::process::exit(code);
}

/// Read-eval-print until end of input or `sys.exit`; returns the exit status.
fn session(
    interp: &mut Interpreter<'_>,
    editor: &mut rustyline::DefaultEditor,
    interactive: bool,
) -> i32 {
    let mut buffer = String::new();
    loop {
        let prompt = if buffer.is_empty() { ">>> " } else { "... " };
        if !interactive {
            // rustyline prints no prompt on a pipe; CPython then writes its prompts to stderr.
            eprint!("{prompt}");
        }
        let line = match editor.readline(prompt) {
            Ok(line) => line,
            Err(ReadlineError::Interrupted) => {
                println!("KeyboardInterrupt");
                buffer.clear();
                continue;
            }
            Err(_) => {
                // End of input: CPython prints a newline and leaves with status 0.
                println!();
                return 0;
            }
        };
        if !line.trim().is_empty() {
            let _ = editor.add_history_entry(line.as_str());
        }
        if buffer.is_empty() {
            let trimmed = line.trim();
            if let Some(command) = trimmed.strip_prefix('%') {
                println!("{}", heap_command(interp, command).trim_end());
                continue;
            }
            if trimmed.is_empty() {
                continue;
            }
        }
        buffer.push_str(&line);
        buffer.push('\n');
        match interp.repl_feed(&buffer) {
            ReplStep::Incomplete => {}
            ReplStep::Done(exit) => {
                buffer.clear();
                if let Some(exit) = exit {
                    return exit.code();
                }
            }
        }
    }
}

/// Run one `%command` and return what it prints.
fn heap_command(interp: &Interpreter<'_>, command: &str) -> String {
    let heap = interp.heap();
    let words: Vec<&str> = command.split_whitespace().collect();
    match words.as_slice() {
        ["help"] => HELP.to_string(),
        ["stats"] => {
            let snapshot = Snapshot::take(heap);
            format!(
                "{}\nmost common types:\n{}",
                stats_report(heap),
                snapshot.render_most_common(10)
            )
        }
        ["arenas"] => arenas_text(heap),
        ["pools", size] => match size.parse::<usize>() {
            Ok(n) => pools_text(heap, n),
            Err(_) => format!("%pools: {size:?} is not a size in bytes"),
        },
        ["gen"] => gen_text(heap),
        ["refs", name] => match interp.global(name) {
            Some(obj) => {
                let mut out = format!("{name} = {}\n", short_repr(&obj, 60));
                let referents = labelled_referents(heap, &obj);
                out.push_str(&format!("refers to ({}):\n", referents.len()));
                for (o, label) in &referents {
                    out.push_str(&format!("  {label:<12} {}\n", short_repr(o, 60)));
                }
                let referrers = heap.gc().get_referrers(&[&obj]);
                out.push_str(&format!(
                    "referred to by ({} tracked containers, besides names):\n",
                    referrers.len()
                ));
                for o in &referrers {
                    out.push_str(&format!("  {}\n", short_repr(o, 60)));
                }
                out
            }
            None => format!("%refs: name '{name}' is not defined"),
        },
        ["dot", name, file] => match interp.global(name) {
            Some(obj) => {
                // Every global naming an object of the picture is drawn; the lookup's handle
                // is not the program's.
                let variables = interp
                    .globals()
                    .into_iter()
                    .filter(|(n, _)| !n.starts_with("__"))
                    .map(|(n, o)| Variable {
                        name: n,
                        id: heap.id(&o),
                        deleted: false,
                    })
                    .collect();
                let opts = DotOptions {
                    variables,
                    handles_held: 1,
                    ..DotOptions::default()
                };
                let dot = to_dot(heap, &obj, &opts);
                match std::fs::write(file, dot) {
                    Ok(()) => format!("wrote {file} (render: dot -Tsvg {file} -o {name}.svg)"),
                    Err(e) => format!("%dot: cannot write {file}: {e}"),
                }
            }
            None => format!("%dot: name '{name}' is not defined"),
        },
        _ => format!("unknown heap command %{}; %help lists them", command.trim()),
    }
}

fn arenas_text(heap: &Heap) -> String {
    let arenas = heap.arena_snapshots();
    let c = PoolCounts::of(&arenas);
    let s = heap.allocator_stats();
    let mut out = format!(
        "{} arena(s) of {}, {} pools of {}: {} full, {} partly used, {} free\n",
        c.arenas,
        human_bytes(s.arena_size),
        c.total_pools(),
        human_bytes(s.pool_size),
        c.full_pools,
        c.used_pools,
        c.free_pools
    );
    out.push_str(
        "arena  free/total pools  blocks in use  (usable_arenas order, most used first)\n",
    );
    for a in &arenas {
        let blocks: usize = a.pools.iter().map(|p| p.blocks_in_use).sum();
        out.push_str(&format!(
            "{:>5}  {:>5}/{:<5}       {:>12}{}\n",
            a.index,
            a.nfreepools,
            a.ntotalpools,
            blocks,
            if a.usable { "" } else { "  (full)" }
        ));
    }
    out
}

fn pools_text(heap: &Heap, size: usize) -> String {
    let s = heap.allocator_stats();
    if size == 0 || size > s.small_request_threshold {
        return format!(
            "{size} bytes is not a small request (1..={}): it goes to the system allocator",
            s.small_request_threshold
        );
    }
    let class = (size - 1) / s.alignment;
    let block = (class + 1) * s.alignment;
    let row = s.classes.iter().find(|r| r.class == class);
    let (pools, used, avail) =
        row.map_or((0, 0, 0), |r| (r.pools, r.blocks_in_use, r.avail_blocks));
    let in_pools: usize = heap
        .arena_snapshots()
        .iter()
        .flat_map(|a| a.pools.iter())
        .filter(|p| p.size_class == Some(class as u32))
        .map(|p| p.capacity)
        .max()
        .unwrap_or(0);
    format!(
        "a {size}-byte request uses size class {class} ({block}-byte blocks{})\n\
         pools of that class: {pools}, blocks in use: {used}, available: {avail}",
        if in_pools > 0 {
            format!(", {in_pools} per pool")
        } else {
            String::new()
        }
    )
}

fn gen_text(heap: &Heap) -> String {
    let gc = heap.gc();
    let per_gen: Vec<usize> = (0..3).map(|g| gc.generation_len(g)).collect();
    format!(
        "{}objects per generation: {per_gen:?}",
        gc_report(heap).trim_start()
    )
}
