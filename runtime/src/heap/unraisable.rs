//! Unraisable reports: a panic or error in user code that the runtime called on its own behalf
//! (a finalizer, a weakref or gc callback, a `repr` or `clear` of a user type) has no caller to
//! return to, so it is reported like CPython's `sys.unraisablehook`: first to the heap's
//! unraisable object (`call.rs`, a front end's `sys.unraisablehook`), else to the Rust hook
//! ([`Heap::set_unraisable_hook`]), else to stderr, as `Exception ignored in: <what>` and the
//! message.
//!
//! # Invariants
//! - A report never hands out the object it is about (it may be mid-deallocation): only its
//!   description, taken while a handle keeps it alive.

use super::{Heap, HeapInner};
use crate::builtins;
use crate::error::RuntimeError;
use std::rc::Rc;

/// Reports a panic in a finalizer or callback (CPython's `sys.unraisablehook`).
pub type UnraisableHook = Rc<dyn Fn(&str)>;

/// The message of a panic payload (`&str` or `String`).
pub(crate) fn panic_text(payload: &(dyn std::any::Any + Send)) -> String {
    payload
        .downcast_ref::<&str>()
        .map(|s| s.to_string())
        .or_else(|| payload.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "<non-string panic payload>".into())
}

impl Heap {
    /// Replace the unraisable hook (default: print to stderr). It receives the full message,
    /// starting with `Exception ignored in: <...>`.
    pub fn set_unraisable_hook(&self, hook: Option<UnraisableHook>) {
        *self.inner().unraisable.borrow_mut() = hook;
    }
}

impl HeapInner {
    /// Report a panic from user code like CPython's unraisable hook (to the heap's unraisable
    /// object, if any, then the Rust hook). `what` describes the object; the object itself is
    /// not handed out (it may be mid-deallocation).
    pub(crate) fn report_unraisable(&self, what: &str, payload: Box<dyn std::any::Any + Send>) {
        let msg = panic_text(payload.as_ref());
        let report = crate::call::Unraisable::Panic { what, msg: &msg };
        if !crate::call::offer_unraisable(self, report) {
            self.emit_unraisable(&format!("Exception ignored in: {what}\npanic: {msg}"));
        }
        // The payload may itself panic on drop; swallow that too.
        let _ = std::panic::catch_unwind(std::panic::AssertUnwindSafe(move || drop(payload)));
    }

    /// Report a panic in code that runs inside a collection phase (a user type's traverse):
    /// text only, to the Rust hook or stderr (no heap object may run there).
    pub(crate) fn report_panic_in_phase(&self, what: &str, payload: Box<dyn std::any::Any + Send>) {
        let msg = panic_text(payload.as_ref());
        self.emit_unraisable(&format!("Exception ignored in: {what}\npanic: {msg}"));
        let _ = std::panic::catch_unwind(std::panic::AssertUnwindSafe(move || drop(payload)));
    }

    /// Report an error returned by a heap object called on behalf of the runtime (a `__del__`,
    /// a weakref or gc callback through the call hook), like CPython's `PyErr_WriteUnraisable`:
    /// to the heap's unraisable object if set, else the Rust hook.
    pub(crate) fn report_unraisable_error(&self, about: &crate::Obj<'_>, err: &RuntimeError) {
        let report = crate::call::Unraisable::Error {
            err,
            obj: Some(about),
        };
        if crate::call::offer_unraisable(self, report) {
            return;
        }
        // SAFETY: the handle keeps the object alive.
        let what = unsafe { builtins::describe(about.as_raw()) };
        self.emit_unraisable(&format!("Exception ignored in: {what}\n{err}"));
    }

    /// Hand a report to the Rust unraisable hook (stderr without one).
    pub(crate) fn emit_unraisable(&self, text: &str) {
        let hook = self.unraisable.borrow().clone();
        match hook {
            Some(h) => {
                let _ = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| h(text)));
            }
            None => eprintln!("{text}"),
        }
    }
}
