//! pyheap-python: Python 3.11 source running on the pyheap runtime.
//!
//! The embedder's API is this page: [`RunConfig`], [`with_interpreter`], [`Interpreter`],
//! [`run_file`], [`Exit`], the line hook ([`LineHook`], [`LineEvent`]); the parts below are
//! private modules, each explained at its top.
//!
//! ```text
//!   source ─ruff_python_parser─▶ AST ─compile/─▶ code objects (bytecode.rs) ─vm/─▶ results
//!                                                 every value a heap object (objects/, builtins/)
//!   modules/: gc, sys            builtins/: functions, methods of built-in types, formatting
//! ```
//!
//! ```
//! use pyheap_python::{RunConfig, with_interpreter, Exit};
//! let code = with_interpreter(RunConfig::default(), |i| i.run_source("x = 1 + 2\n", "<t>"));
//! assert!(matches!(code, Exit::Ok));
//! ```

#![warn(missing_docs)]

mod builtins;
mod bytecode;
mod compile;
mod modules;
mod objects;
mod vm;

use pyheap_gc::GcConfig;
use pyheap_runtime::{AllocatorLayout, Heap, Like, Member, Obj};
use std::panic::{AssertUnwindSafe, catch_unwind};
pub use vm::trace::{LineEvent, LineHook};
use vm::{Ctx, ExcTy, Raise};

/// How to run.
#[derive(Debug, Clone)]
pub struct RunConfig {
    /// `sys.argv`.
    pub argv: Vec<String>,
    /// Collector thresholds (default: the `like` profile's).
    pub thresholds: Option<(u32, u32, u32)>,
    /// Which CPython the run imitates: thresholds, allocator layout (default: 3.11, whose
    /// (700, 10, 10) thresholds `pyheap run` uses).
    pub like: Like,
    /// `gc.set_debug` flags at start.
    pub gc_debug: u32,
    /// Heap size limit in bytes (MemoryError past it), applied after start-up.
    pub max_heap: Option<usize>,
    /// The classic allocator layout (8-byte classes, 4 KiB pools, 256 KiB arenas); `like` 3.7
    /// implies it too.
    pub classic_layout: bool,
}

impl Default for RunConfig {
    fn default() -> Self {
        RunConfig {
            argv: Vec::new(),
            thresholds: None,
            like: Like::Py311,
            gc_debug: 0,
            max_heap: None,
            classic_layout: false,
        }
    }
}

/// How a run ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Exit {
    /// The program ran to its end (exit status 0).
    Ok,
    /// `sys.exit(n)` / `raise SystemExit(n)`: exit status `n`.
    SystemExit(i32),
    /// An uncaught exception or SyntaxError, already printed on stderr.
    Error,
}

impl Exit {
    /// The process exit code.
    pub fn code(&self) -> i32 {
        match self {
            Exit::Ok => 0,
            Exit::SystemExit(n) => *n,
            Exit::Error => 1,
        }
    }
}

/// One step of the REPL.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReplStep {
    /// More lines are needed.
    Incomplete,
    /// The input ran; `Some` when the program should stop.
    Done(Option<Exit>),
}

/// An interpreter on a heap.
pub struct Interpreter<'h> {
    ctx: Ctx<'h>,
    /// `__main__` (released by `shutdown`).
    main: Option<Member>,
    repl_count: usize,
}

/// What compiling [`Like::gc_start_state`]'s two-line reference script (`import gc`, then
/// `print(gc.get_count())`) and running its `import gc` allocate here: the profile's count is
/// read on that script's second line, so the collector starts this much lower and the
/// reference script prints CPython's count (tests/python/gen_count_at_start.py).
const REFERENCE_SCRIPT_COST: usize = 20;

fn gc_config(config: &RunConfig) -> GcConfig {
    let mut c = config.like.gc_config();
    if let Some((a, b, d)) = config.thresholds {
        c.thresholds = [a as usize, b as usize, d as usize];
    }
    c
}

/// Create a heap and an interpreter on it, and run `f`.
pub fn with_interpreter<R>(config: RunConfig, f: impl FnOnce(&mut Interpreter<'_>) -> R) -> R {
    let layout = if config.classic_layout {
        AllocatorLayout::Classic
    } else {
        config.like.allocator_layout()
    };
    let heap = Heap::with_layout(gc_config(&config), layout);
    {
        let ctx = match builtins::make_ctx(&heap, &config) {
            Ok(c) => c,
            Err(e) => panic!("interpreter start-up failed: {e:?}"),
        };
        let probe = 0u8;
        ctx.stack_base.set(&probe as *const u8 as usize);
        if config.gc_debug != 0 {
            heap.gc().set_debug(config.gc_debug);
        }
        heap.set_max_heap(config.max_heap);
        // Only the interpreter holds `__main__` (besides sys.modules), so shutdown can free it.
        let main = Member::new(&new_main(&ctx).expect("__main__"));
        // `sys` and `time` exist before the program starts, as in CPython (`python3 -S` has
        // both in sys.modules at start-up): importing them allocates nothing, so a script's
        // `gc.get_count()` after `import sys` is CPython's.
        for name in PREIMPORTED {
            ctx.import(name).expect("start-up module");
        }
        modules::gc::prime_free_lists(&ctx).expect("free lists");
        let mut interp = Interpreter {
            ctx,
            main: Some(main),
            repl_count: 0,
        };
        let guard = vm::hook::install(&interp.ctx);
        heap.set_call_hook(Some(std::rc::Rc::new(vm::hook::call_hook)));
        heap.set_unraisable_hook(Some(vm::hook::unraisable_hook(&heap)));
        let report = vm::hook::make_unraisable_object(&interp.ctx).expect("unraisable hook");
        heap.set_unraisable_object(Some(&report))
            .expect("unraisable hook");
        drop(report);
        // The embedder (a program's compile and run) starts on the collector as CPython's
        // start-up leaves it.
        let mut start = config.like.gc_start_state();
        start.counts[0] = start.counts[0].saturating_sub(REFERENCE_SCRIPT_COST);
        heap.gc().set_start_state(start);
        let r = f(&mut interp);
        interp.shutdown();
        interp.ctx.flush();
        // Finalization is over: objects that outlive it (the heap's teardown frees them) run no
        // more Python code, as after CPython's Py_FinalizeEx.
        let _ = heap.set_unraisable_object(None::<&Obj<'_>>);
        heap.set_call_hook(Some(std::rc::Rc::new(
            |heap: &Heap, _: &Obj<'_>, _: &[Obj<'_>]| Ok(heap.none()),
        )));
        heap.set_unraisable_hook(None);
        drop(guard);
        r
    }
}

/// The built-in modules CPython has imported before `__main__` runs (`python3 -S -c "import sys;
/// print(sys.modules)"`), and that pyheap builds at start-up for that reason.
const PREIMPORTED: [&str; 2] = ["sys", "time"];

/// `__main__` with the names CPython's has before the first line runs, in its order (`__loader__`
/// and `__spec__` are None: pyheap imports nothing from files).
fn new_main<'h>(ctx: &Ctx<'h>) -> vm::PyResult<'h> {
    let m = ctx.new_module("__main__", &[])?;
    for name in ["__doc__", "__package__", "__loader__", "__spec__"] {
        ctx.module_set(&m, name, &ctx.none())?;
    }
    ctx.module_set(&m, "__annotations__", &ctx.heap.dict()?.into_obj())?;
    ctx.module_set(&m, "__builtins__", &ctx.builtins.obj())?;
    ctx.modules.set(&ctx.intern("__main__")?, &m)?;
    Ok(m)
}

impl<'h> Interpreter<'h> {
    /// The heap.
    pub fn heap(&self) -> &'h Heap {
        self.ctx.heap
    }

    fn main_dict(&self) -> pyheap_runtime::Dict<'h> {
        let m = self
            .main
            .as_ref()
            .expect("main")
            .get(self.ctx.heap)
            .expect("main");
        module_dict(self.ctx.heap, &m).expect("module dict")
    }

    /// Call `hook` before each new line of Python code runs (`None` removes it) with a
    /// [`LineEvent`]. For tools such as `pyheap trace`: the hook reads, it cannot run Python.
    pub fn set_line_hook(&self, hook: Option<LineHook<'h>>) {
        self.ctx.set_line_hook(hook);
    }

    /// The names bound in `__main__`, in insertion order.
    pub fn globals(&self) -> Vec<(String, Obj<'h>)> {
        self.main_dict()
            .items()
            .into_iter()
            .filter_map(|(k, v)| k.str_value().ok().map(|s| (s.to_string(), v)))
            .collect()
    }

    /// A global of `__main__`.
    pub fn global(&self, name: &str) -> Option<Obj<'h>> {
        let k = self.ctx.heap.intern(name).ok()?;
        self.main.as_ref()?;
        self.main_dict().get(&k).ok().flatten()
    }

    /// Interpreter shutdown, CPython's `finalize_modules` reduced to what a script sees: the
    /// `atexit` callbacks run first, newest first; then the modules leave `sys.modules`, a full collection runs (without `gc.callbacks`, like
    /// `_PyGC_CollectNoFail`), so `__main__`'s globals, kept in a cycle by the functions and
    /// classes defined there, are finalized as garbage; if `__main__` is still alive after it,
    /// its dict is cleared as `_PyModule_ClearDict` does (names with one leading underscore
    /// first, then every name but `__builtins__`, each set to None in dict order).
    fn shutdown(&mut self) {
        let ctx = &self.ctx;
        let heap = ctx.heap;
        crate::modules::atexit::run_all(ctx);
        ctx.handled.replace(None);
        // Shutdown collections call no gc.callbacks (CPython's _PyGC_CollectNoFail).
        if let Ok(callbacks) = heap.gc_callbacks() {
            callbacks.clear();
        }
        let main = self
            .main
            .take()
            .and_then(|m| m.get(heap).ok())
            .and_then(|m| heap.weakref(&m, None).ok());
        for k in ctx.modules.keys() {
            let _ = ctx.modules.set(&k, &heap.none());
        }
        let _ = heap.gc().collect(2);
        if let Some(m) = main.and_then(|w| w.get())
            && let Ok(d) = module_dict(heap, &m)
        {
            drop(m);
            clear_module_dict(ctx, &d);
        }
        let _ = heap.gc().collect(2);
        ctx.flush();
    }

    /// Run a module's source as `__main__`.
    pub fn run_source(&mut self, source: &str, filename: &str) -> Exit {
        let ctx = &self.ctx;
        let r = catch_unwind(AssertUnwindSafe(|| {
            self.run_mode(source, filename, compile::Mode::Exec)
        }));
        match r {
            Ok(Ok(())) => Exit::Ok,
            Ok(Err(e)) => self.finish_error(e),
            Err(p) => {
                ctx.flush();
                internal_error(p);
                Exit::SystemExit(70)
            }
        }
    }

    fn run_mode(
        &self,
        source: &str,
        filename: &str,
        mode: compile::Mode,
    ) -> Result<(), RunError<'h>> {
        let ctx = &self.ctx;
        ctx.sources
            .borrow_mut()
            .insert(filename.to_string(), std::rc::Rc::from(source));
        let code = compile::compile(ctx.heap, source, filename, mode)
            .map_err(|e| RunError::Syntax(e, filename.to_string()))?;
        let globals = self.main_dict();
        if globals
            .get(
                &ctx.heap
                    .intern("__name__")
                    .map_err(|e| RunError::Raise(e.into()))?,
            )
            .ok()
            .flatten()
            .is_none()
        {
            let _ = globals.set(
                &ctx.heap.intern("__name__").expect("intern"),
                &ctx.heap.intern("__main__").expect("intern"),
            );
        }
        // A script's module knows its file (`-c` code and the REPL's `<stdin>` do not).
        if !filename.starts_with('<') {
            let file = ctx
                .heap
                .intern("__file__")
                .map_err(|e| RunError::Raise(e.into()))?;
            if globals.get(&file).ok().flatten().is_none() {
                let set = |k: &str, v: &Obj<'h>| -> Result<(), RunError<'h>> {
                    let k = ctx.heap.intern(k).map_err(|e| RunError::Raise(e.into()))?;
                    globals.set(&k, v).map_err(|e| RunError::Raise(e.into()))
                };
                set("__file__", &ctx.str(filename).map_err(RunError::Raise)?)?;
                set("__cached__", &ctx.none())?;
            }
        }
        let frame = ctx
            .code_frame(&code, &globals, Some(globals.clone()), vec![])
            .map_err(RunError::Raise)?;
        ctx.run_frame(frame).map_err(RunError::Raise)?;
        Ok(())
    }

    /// CPython's SyntaxError report (file, line, the source line with a caret, the message).
    fn print_syntax_error(&self, e: &compile::CompileError, filename: &str) {
        let source = self.ctx.sources.borrow().get(filename).cloned();
        let text = compile::syntax_error::render(e, filename, source.as_deref().unwrap_or(""));
        self.ctx.write_err(&text);
    }

    fn finish_error(&self, e: RunError<'h>) -> Exit {
        let ctx = &self.ctx;
        match e {
            RunError::Syntax(s, filename) => {
                self.print_syntax_error(&s, &filename);
                Exit::Error
            }
            RunError::Raise(r) => {
                let exc = ctx.normalize(r);
                if ctx.exc_matches(&exc, ExcTy::SystemExit) {
                    return system_exit(ctx, &exc);
                }
                ctx.print_exception(&exc);
                Exit::Error
            }
        }
    }

    /// Feed REPL input (one or more lines, ending with a newline).
    pub fn repl_feed(&mut self, source: &str) -> ReplStep {
        if source.trim().is_empty() {
            return ReplStep::Done(None);
        }
        if compile::is_incomplete(source) {
            return ReplStep::Incomplete;
        }
        self.repl_count += 1;
        let r = catch_unwind(AssertUnwindSafe(|| {
            self.run_mode(source, "<stdin>", compile::Mode::Single)
        }));
        let step = match r {
            Ok(Ok(())) => ReplStep::Done(None),
            Ok(Err(RunError::Syntax(s, filename))) => {
                self.print_syntax_error(&s, &filename);
                ReplStep::Done(None)
            }
            Ok(Err(e)) => match self.finish_error(e) {
                Exit::SystemExit(n) => ReplStep::Done(Some(Exit::SystemExit(n))),
                _ => ReplStep::Done(None),
            },
            Err(p) => {
                internal_error(p);
                ReplStep::Done(None)
            }
        };
        self.ctx.flush();
        step
    }
}

fn module_dict<'h>(
    heap: &'h Heap,
    m: &Obj<'h>,
) -> Result<pyheap_runtime::Dict<'h>, pyheap_runtime::RuntimeError> {
    let d = m
        .as_user::<objects::misc::Module>()?
        .borrow()?
        .dict
        .get(heap)?;
    Ok(d.as_dict()?.clone())
}

/// `_PyModule_ClearDict`: set names with a single leading underscore to None, then every name
/// except `__builtins__`, each pass in dict order.
fn clear_module_dict<'h>(ctx: &Ctx<'h>, d: &pyheap_runtime::Dict<'h>) {
    let none = ctx.none();
    for pass in 0..2 {
        for k in d.keys() {
            let Ok(name) = k.str_value() else { continue };
            let one_underscore = name.starts_with('_') && !name[1..].starts_with('_');
            let clear = if pass == 0 {
                one_underscore
            } else {
                name != "__builtins__"
            };
            if clear && d.get(&k).ok().flatten().is_some_and(|v| !v.is_none()) {
                let _ = d.set(&k, &none);
            }
        }
    }
}

enum RunError<'h> {
    /// A compile error in the named file.
    Syntax(compile::CompileError, String),
    Raise(Raise<'h>),
}

fn system_exit<'h>(ctx: &Ctx<'h>, exc: &Obj<'h>) -> Exit {
    let args = ctx.exc_args(exc).unwrap_or_default();
    match args.first() {
        None => Exit::SystemExit(0),
        Some(a) if a.is_none() => Exit::SystemExit(0),
        Some(a) => match a.as_int() {
            Ok(n) => Exit::SystemExit(n as i32),
            Err(_) => {
                let s = ctx.str_of(a).unwrap_or_default();
                ctx.write_err(&format!("{s}\n"));
                Exit::SystemExit(1)
            }
        },
    }
}

fn internal_error(p: Box<dyn std::any::Any + Send>) {
    let msg = p
        .downcast_ref::<String>()
        .cloned()
        .or_else(|| p.downcast_ref::<&str>().map(|s| s.to_string()))
        .unwrap_or_default();
    eprintln!("pyheap: internal error: {msg}");
}

/// The name CPython 3.11 gives a script run as `python3 FILE` (its code's `co_filename`, the
/// traceback's `File "..."`, `__file__`): the path joined to the current directory when it is
/// relative, without resolving `..` or links (`./a.py` in `/tmp` is `/tmp/./a.py`).
pub fn script_filename(path: &std::path::Path) -> String {
    if path.is_absolute() {
        return path.display().to_string();
    }
    match std::env::current_dir() {
        Ok(d) => format!("{}/{}", d.display(), path.display()),
        Err(_) => path.display().to_string(),
    }
}

/// An I/O error as CPython's `OSError` prints it: `[Errno 2] No such file or directory`.
pub fn os_error_text(e: &std::io::Error) -> String {
    match e.raw_os_error() {
        Some(n) => {
            let text = e.to_string();
            // Rust's text is "No such file or directory (os error 2)".
            let text = text.split(" (os error").next().unwrap_or(&text).to_string();
            format!("[Errno {n}] {text}")
        }
        None => e.to_string(),
    }
}

/// Read and run a file; returns the process exit code.
pub fn run_file(path: &std::path::Path, config: RunConfig) -> i32 {
    let name = script_filename(path);
    let source = match std::fs::read_to_string(path) {
        Ok(s) => s,
        Err(e) => {
            eprintln!("python3: can't open file '{name}': {}", os_error_text(&e));
            return 2;
        }
    };
    let mut config = config;
    if config.argv.is_empty() {
        config.argv.push(path.display().to_string());
    }
    // A big stack for the interpreter thread: Python calls do not recurse on it, but dunder
    // methods, finalizers and generators do, bounded by the stack budget.
    let h = std::thread::Builder::new()
        .stack_size(256 << 20)
        .spawn(move || {
            let r = catch_unwind(AssertUnwindSafe(|| {
                with_interpreter(config, |i| {
                    i.ctx.stack_budget.set(200 << 20);
                    i.run_source(&source, &name).code()
                })
            }));
            match r {
                Ok(c) => c,
                Err(p) => {
                    internal_error(p);
                    70
                }
            }
        });
    match h.map(|h| h.join()) {
        Ok(Ok(c)) => c,
        _ => 70,
    }
}
