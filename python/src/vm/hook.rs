//! How the runtime's callbacks reach the interpreter: the running `Ctx` is registered for its
//! thread while `with_interpreter` runs, and the heap's call hook (a class's `__del__`, weakref
//! callbacks, instance `__hash__`/`__eq__`), the generator finalizer and the unraisable hook
//! look it up.
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
pub(crate) fn with_ctx<'a>(heap: &'a Heap, f: impl FnOnce(&Ctx<'a>)) {
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

/// A generator's PEP 442 finalizer (CPython's `_PyGen_Finalize`): a suspended generator is
/// closed (`GeneratorExit` thrown in at its `yield`, so its `finally` blocks and `with` exits
/// run); an error is reported as unraisable about the generator. Dying by refcounting or found
/// in a dead cycle by the collector, it runs once, before the generator's frame is cleared.
pub fn finalize_generator<'a>(heap: &'a Heap, generator: Obj<'a>) {
    with_ctx(heap, |ctx| {
        if let Err(e) = ctx.gen_close(&generator) {
            let what = ctx
                .repr(&generator)
                .unwrap_or_else(|_| "<generator>".into());
            ctx.report_unraisable(e, &what);
        }
    });
}

/// The heap's unraisable hook while an interpreter runs on `heap`: reports go to the
/// interpreter's stderr, stdout flushed first, so the two streams interleave as CPython's do.
pub fn unraisable_hook(heap: &Heap) -> std::rc::Rc<dyn Fn(&str)> {
    let addr = heap as *const Heap as usize;
    std::rc::Rc::new(move |text: &str| {
        let p = CURRENT.with(|c| c.get());
        if !p.is_null() {
            // SAFETY: as in `with_ctx`: a registered Ctx is live until its guard drops. Only
            // its `heap` address is compared and its output buffer used; no handle escapes.
            let ctx: &Ctx<'_> = unsafe { &*(p as *const Ctx<'_>) };
            if std::ptr::eq(ctx.heap, addr as *const Heap) {
                ctx.write_err(&format!("{text}\n"));
                return;
            }
        }
        eprintln!("{text}");
    })
}

/// The heap's unraisable object (`Heap::set_unraisable_object`, CPython's default
/// `sys.unraisablehook`): `hook(exc, err_msg, obj)` prints `Exception ignored in: ` with the
/// object's Python repr (`<function f at 0x..>`, `<bound method C.m of <...>>`), then the
/// exception's traceback and line. A panic's report comes with its text in `exc` and `obj`
/// None; it is printed as it is.
pub fn make_unraisable_object<'h>(ctx: &Ctx<'h>) -> super::PyResult<'h> {
    ctx.native("unraisablehook", unraisable_report)
}

fn unraisable_report<'h>(ctx: &Ctx<'h>, a: super::Args<'_, 'h>) -> super::PyResult<'h> {
    a.check("unraisablehook", 3, 3)?;
    let (exc, msg, obj) = (&a.pos[0], a.pos[1].str_value()?, &a.pos[2]);
    let what = if obj.is_none() {
        String::new()
    } else {
        format!(": {}", ctx.repr(obj)?)
    };
    match exc.str_value() {
        // A runtime error or a panic: its text is the whole report.
        Ok(text) => ctx.write_err(&format!("{msg}{what}\n{text}\n")),
        Err(_) => ctx.report_unraisable_as(super::Raise::Obj(exc.clone()), &format!("{msg}{what}")),
    }
    Ok(ctx.none())
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
