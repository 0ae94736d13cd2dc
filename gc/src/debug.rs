//! DEBUG_* flags and the lines CPython prints for them, written to a writer the user chooses.
//!
//! ```text
//!   gc: collecting generation 2...                      DEBUG_STATS, at the start
//!   gc: objects in each generation: 12 0 3401           DEBUG_STATS (sizes before merging)
//!   gc: objects in permanent generation: 0              DEBUG_STATS
//!   gc: collectable <list 0x7f3a5c0e2d40>               DEBUG_COLLECTABLE, per object
//!   gc: uncollectable <Legacy 0x7f3a5c0e2e00>           DEBUG_UNCOLLECTABLE, per object
//!   gc: done, 2 unreachable, 0 uncollectable, 0.0001s elapsed      DEBUG_STATS, at the end
//!   Exception ignored in: gc callback #1 (phase start)  a panicking gc callback (any flags)
//! ```
//!
//! The writer defaults to stderr (CPython writes these to `sys.stderr`). Write errors are
//! ignored, as `PySys_WriteStderr` ignores them.
//!
//! # Invariants
//! - The writer's `RefCell` is borrowed only while one line is written; no model call happens
//!   during that time (descriptions are rendered before borrowing).

use crate::ObjectModel;
use crate::collector::Collector;
use crate::generation::{NUM_GENERATIONS, PERMANENT};
use crate::head::{GcPtr, head};
use std::cell::{Cell, RefCell};
use std::fmt;
use std::io::Write;

/// Print collection statistics.
pub const DEBUG_STATS: u32 = 1;
/// Print each collectable object found.
pub const DEBUG_COLLECTABLE: u32 = 2;
/// Print each uncollectable object found.
pub const DEBUG_UNCOLLECTABLE: u32 = 4;
/// Keep every unreachable object in `garbage` instead of freeing it.
pub const DEBUG_SAVEALL: u32 = 32;
/// DEBUG_COLLECTABLE | DEBUG_UNCOLLECTABLE | DEBUG_SAVEALL.
pub const DEBUG_LEAK: u32 = DEBUG_COLLECTABLE | DEBUG_UNCOLLECTABLE | DEBUG_SAVEALL;

/// An in-memory writer for [`Collector::set_debug_output`]: clones share one buffer, so a
/// program keeps one clone and reads back what the collector wrote (the `gc: …` lines).
///
/// ```
/// use pyheap_gc::{Collector, DebugCapture, GcConfig, DEBUG_STATS};
/// use std::ptr::NonNull;
///
/// # struct NoObjects;
/// # unsafe impl pyheap_gc::ObjectModel for NoObjects {
/// #     fn refcount(&self, _: pyheap_gc::GcPtr) -> usize { unreachable!() }
/// #     fn incref(&self, _: pyheap_gc::GcPtr) {}
/// #     fn decref(&self, _: pyheap_gc::GcPtr) {}
/// #     fn traverse<V: FnMut(pyheap_gc::GcPtr)>(&self, _: pyheap_gc::GcPtr, _: &mut V) {}
/// #     fn clear(&self, _: pyheap_gc::GcPtr) {}
/// #     fn has_finalizer(&self, _: pyheap_gc::GcPtr) -> bool { false }
/// #     fn finalize(&self, _: pyheap_gc::GcPtr) {}
/// #     fn has_legacy_finalizer(&self, _: pyheap_gc::GcPtr) -> bool { false }
/// #     fn can_untrack(&self, _: pyheap_gc::GcPtr, _: bool) -> bool { false }
/// #     fn clear_weakref_object(&self, _: pyheap_gc::GcPtr) {}
/// #     fn clear_weakrefs_to(&self, _: pyheap_gc::GcPtr, _: &mut dyn FnMut(pyheap_gc::GcPtr)) {}
/// #     fn call_weakref_callback(&self, _: pyheap_gc::GcPtr) {}
/// #     fn describe(&self, _: pyheap_gc::GcPtr, _: &mut dyn std::fmt::Write) -> std::fmt::Result { Ok(()) }
/// # }
/// let model = NoObjects;
/// let gc = Collector::new(GcConfig::default());
/// // SAFETY: `model` outlives `gc` and is never borrowed mutably.
/// unsafe { gc.bind(NonNull::from(&model)) };
/// let out = DebugCapture::default();
/// gc.set_debug_output(Box::new(out.clone()));
/// gc.set_debug(DEBUG_STATS);
/// gc.collect(0).unwrap();
/// assert!(out.text().starts_with("gc: collecting generation 0..."));
/// out.clear();
/// assert!(out.text().is_empty());
/// ```
#[derive(Clone, Default, Debug)]
pub struct DebugCapture(std::rc::Rc<RefCell<Vec<u8>>>);

impl DebugCapture {
    /// Everything written so far (lossy UTF-8).
    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.0.borrow()).into_owned()
    }
    /// Forget what was written so far.
    pub fn clear(&self) {
        self.0.borrow_mut().clear();
    }
}

impl Write for DebugCapture {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.borrow_mut().extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

pub(crate) struct Debug {
    pub(crate) flags: Cell<u32>,
    pub(crate) out: RefCell<Box<dyn Write>>,
}

impl Default for Debug {
    fn default() -> Self {
        Debug {
            flags: Cell::new(0),
            out: RefCell::new(Box::new(std::io::stderr())),
        }
    }
}

/// `<typename 0xADDRESS>` of an object, via the model.
pub(crate) fn describe<M: ObjectModel>(model: &M, op: GcPtr) -> String {
    let mut s = String::new();
    if model.describe(op, &mut s).is_err() {
        s = format!("<object {:p}>", op.as_ptr());
    }
    s
}

impl<M: ObjectModel> Collector<M> {
    /// Write one line (a newline is appended) to the debug writer.
    pub(crate) fn debug_line(&self, args: fmt::Arguments<'_>) {
        if let Ok(mut w) = self.debug.out.try_borrow_mut() {
            let _ = writeln!(w, "{args}");
            let _ = w.flush();
        }
    }

    pub(crate) fn debug_stats_header(&self, g: usize) {
        let sizes: Vec<String> = (0..NUM_GENERATIONS)
            .map(|i| self.gens.len(i).to_string())
            .collect();
        self.debug_line(format_args!("gc: collecting generation {g}..."));
        self.debug_line(format_args!(
            "gc: objects in each generation: {}",
            sizes.join(" ")
        ));
        self.debug_line(format_args!(
            "gc: objects in permanent generation: {}",
            self.gens.len(PERMANENT)
        ));
    }

    /// `gc: {what} <type 0x…>` for every object of `list`.
    ///
    /// # Safety
    /// `list` is an untagged ring of live objects.
    pub(crate) unsafe fn debug_list(&self, model: &M, what: &str, list: GcPtr) {
        // SAFETY: caller; describe runs no user code that could change the list.
        unsafe {
            let mut p = head(list).next();
            while p != list {
                let d = describe(model, p);
                self.debug_line(format_args!("gc: {what} {d}"));
                p = head(p).next();
            }
        }
    }

    /// Report a caught panic the way CPython's unraisable hook reports an exception.
    pub(crate) fn report_unraisable(&self, context: &str, payload: &(dyn std::any::Any + Send)) {
        let msg = if let Some(s) = payload.downcast_ref::<&str>() {
            (*s).to_string()
        } else if let Some(s) = payload.downcast_ref::<String>() {
            s.clone()
        } else {
            "<non-string panic payload>".to_string()
        };
        self.debug_line(format_args!("Exception ignored in: {context}"));
        self.debug_line(format_args!("panic: {msg}"));
    }
}
