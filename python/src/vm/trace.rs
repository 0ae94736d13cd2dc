//! Line tracing for tools: a per-line callback that sees the running frame's names and the heap
//! (what `pyheap trace` records). It is the reduced form of CPython's `sys.settrace` "line"
//! event, for Rust callers only: the callback cannot run Python code or change the program.
//!
//! ```text
//!   eval loop, before each op:  if tracing { line_event(frame, &mut last_pc) }
//!                                  │ a new line starts when the frame starts (pc 0), when the
//!                                  │ line number changes, or on a jump back (loops)
//!                                  ▼
//!   LineHook(&LineEvent { line, function, depth, names() -> [(name, obj)], heap })
//! ```
//!
//! The event fires *before* the line runs, so what it shows is the state after the lines that
//! ran so far. Events are not fired while the callback itself runs, nor for a frame resumed in
//! the middle of a line (after a call returns, a generator resuming, an exception handler).
//! Cost when no hook is set: one test of a local `bool` per op.

use super::Ctx;
use super::frame::Frame;
use pyheap_runtime::{Heap, Obj};
use std::cell::{Cell, RefCell};

/// A line about to run, with read access to its frame.
pub struct LineEvent<'a, 'h> {
    heap: &'h Heap,
    frame: &'a Frame<'h>,
    /// The frame's fast locals.
    fast: &'a [Option<Obj<'h>>],
    /// 1-based line number.
    pub line: u32,
    /// Frames of Python code running (1 = module level).
    pub depth: u32,
    /// The frame's first line event (it was just called): what was allocated since the last
    /// event belongs to the caller's line.
    pub entry: bool,
}

impl<'a, 'h> LineEvent<'a, 'h> {
    /// The heap the program runs on.
    pub fn heap(&self) -> &'h Heap {
        self.heap
    }
    /// The source file of the running code.
    pub fn filename(&self) -> &str {
        &self.frame.code.filename
    }
    /// The running function's qualified name (`<module>` at module level).
    pub fn function(&self) -> &str {
        &self.frame.code.qualname
    }
    /// True at module level (names are the module's globals).
    pub fn is_module(&self) -> bool {
        self.frame
            .locals
            .as_ref()
            .is_some_and(|l| l.obj().is(&self.frame.globals.obj()))
    }
    /// The frame's bound local names and their objects, in slot order (fast locals, then cell and
    /// free variables); for module and class bodies, the names dict in insertion order.
    pub fn locals(&self) -> Vec<(String, Obj<'h>)> {
        let f = self.frame;
        if let Some(d) = &f.locals {
            return dict_names(d);
        }
        let mut out: Vec<(String, Obj<'h>)> = f
            .code
            .varnames
            .iter()
            .zip(self.fast)
            .filter_map(|(n, v)| v.as_ref().map(|v| (n.clone(), v.clone())))
            .collect();
        let cell_names = f.code.cellvars.iter().chain(&f.code.freevars);
        for (n, c) in cell_names.zip(&f.cells) {
            if let Some(v) = c.as_cell().ok().and_then(|c| c.get()) {
                out.push((n.clone(), v));
            }
        }
        out
    }
    /// The module's global names (the `__builtins__` entry and dunder names included).
    pub fn globals(&self) -> Vec<(String, Obj<'h>)> {
        dict_names(&self.frame.globals)
    }
}

fn dict_names<'h>(d: &pyheap_runtime::Dict<'h>) -> Vec<(String, Obj<'h>)> {
    d.items()
        .into_iter()
        .filter_map(|(k, v)| k.str_value().ok().map(|s| (s.to_string(), v)))
        .collect()
}

/// The callback type.
pub type LineHook<'h> = Box<dyn FnMut(&LineEvent<'_, 'h>) + 'h>;

/// Where a [`Ctx`] keeps its line hook.
#[derive(Default)]
pub struct LineHookSlot<'h> {
    on: Cell<bool>,
    hook: RefCell<Option<LineHook<'h>>>,
}

impl<'h> Ctx<'h> {
    /// Set (or clear, with `None`) the line hook.
    pub fn set_line_hook(&self, hook: Option<LineHook<'h>>) {
        self.line_hook.on.set(hook.is_some());
        *self.line_hook.hook.borrow_mut() = hook;
    }

    /// Is a line hook set? (read once per entry into the eval loop)
    pub(crate) fn tracing(&self) -> bool {
        self.line_hook.on.get()
    }

    /// Called before each op while tracing: fire the hook when `f` (fast locals `fast`) starts
    /// a new line. `last` is the pc of the previous op run in this stretch of `f` (`usize::MAX`
    /// at entry).
    pub(crate) fn line_event(&self, f: &Frame<'h>, fast: &[Option<Obj<'h>>], last: &mut usize) {
        let pc = f.pc;
        let line = f.code.lines.get(pc).copied().unwrap_or(0);
        let entry = *last == usize::MAX && pc == 0;
        let new = match *last {
            usize::MAX => pc == 0,
            prev => pc <= prev || f.code.lines.get(prev).copied() != Some(line),
        };
        *last = pc;
        if !new || line == 0 {
            return;
        }
        // Busy (the hook is running and something it did ran Python code): no nested events.
        let Ok(mut slot) = self.line_hook.hook.try_borrow_mut() else {
            return;
        };
        if let Some(hook) = slot.as_mut() {
            hook(&LineEvent {
                heap: self.heap,
                frame: f,
                fast,
                line,
                depth: self.depth.get(),
                entry,
            });
        }
    }
}
