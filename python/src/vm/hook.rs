//! How runtime callbacks (a class's `__del__`) reach the interpreter: the running `Ctx` is
//! registered for its thread while `with_interpreter` runs, and the finalizer looks it up.
//!
//! Adapter note: once the runtime has a per-heap context and call hook, this module is replaced
//! by them. Invariant: `CURRENT` holds a pointer to a live `Ctx` whose heap is the heap the
//! callback comes from (checked), only between `install` and the guard's drop.

use super::Ctx;
use pyheap_runtime::{Heap, Obj};
use std::cell::Cell;

thread_local! {
    static CURRENT: Cell<*const ()> = const { Cell::new(std::ptr::null()) };
}

/// Registers a context until dropped.
pub struct Installed {
    prev: *const (),
}

impl Drop for Installed {
    fn drop(&mut self) {
        CURRENT.with(|c| c.set(self.prev));
    }
}

/// Register `ctx` for this thread.
pub fn install(ctx: &Ctx<'_>) -> Installed {
    let prev = CURRENT.with(|c| c.replace(ctx as *const Ctx<'_> as *const ()));
    Installed { prev }
}

/// Run `f` with the registered context of `heap`, if any.
fn with_ctx<'a>(heap: &'a Heap, f: impl FnOnce(&Ctx<'a>)) {
    let p = CURRENT.with(|c| c.get());
    if p.is_null() {
        return;
    }
    // SAFETY: `p` was registered by `install` from a live `Ctx` and is unregistered before that
    // Ctx is dropped (the guard's lifetime is inside the Ctx's). Its heap is checked to be
    // `heap` (same heap, compared through an object it owns), so the handles it holds live as long as `heap`, i.e. for 'a.
    let ctx: &Ctx<'a> = unsafe { &*(p as *const Ctx<'a>) };
    if !ctx.null.belongs_to(heap) {
        return;
    }
    f(ctx)
}

/// The finalizer of classes that define `__del__` (looked up on the class at each call).
pub fn run_del<'a>(heap: &'a Heap, obj: Obj<'a>) {
    with_ctx(heap, |ctx| {
        let Some(del) = ctx.lookup_special(&obj, "__del__") else {
            return;
        };
        if let Err(e) = ctx.call(&del, vec![obj.clone()], vec![]) {
            let what = ctx.repr(&del).unwrap_or_else(|_| "<function>".into());
            ctx.report_unraisable(e, &what);
        }
    });
}

/// The heap's call hook: the runtime calls Python objects (`__del__` found on the class,
/// weakref callbacks, ...) through the interpreter registered for this thread.
pub fn call_hook<'a>(
    heap: &'a Heap,
    f: &Obj<'a>,
    args: &[Obj<'a>],
) -> Result<Obj<'a>, pyheap_runtime::RuntimeError> {
    let mut out = Err(pyheap_runtime::RuntimeError::Other(
        "no interpreter is running on this heap".into(),
    ));
    with_ctx(heap, |ctx| {
        // A Python exception travels through the runtime as itself (CPython propagates an
        // exception raised by a key's `__eq__` out of the dict operation), with its traceback
        // as the text the runtime prints when it reports one it cannot raise (`__del__`).
        out = match ctx.call(f, args.to_vec(), vec![]) {
            Ok(v) => Ok(v),
            Err(e) => {
                let exc = ctx.normalize(e);
                let mut tb = String::new();
                ctx.format_traceback(&exc, &mut tb);
                tb.push_str(&ctx.exc_line(&exc));
                Err(pyheap_runtime::RuntimeError::Exception(
                    pyheap_runtime::PyException::with_text(&exc, &tb),
                ))
            }
        };
    });
    out
}
