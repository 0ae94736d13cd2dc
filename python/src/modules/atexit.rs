//! `atexit`: functions to call when the interpreter shuts down, newest first, before the
//! modules are torn down and the shutdown collections run (CPython's `_PyAtExit_Call` at the
//! start of `Py_FinalizeEx`): after a normal end, an uncaught exception or `sys.exit`.
//!
//! ```text
//!   Ctx.atexit ── list [(func, args, kwargs), ..]   register appends · shutdown pops from the end
//! ```
//!
//! The list is an ordinary heap list held by the context, so the collector sees the callbacks
//! and their arguments. An exception in a callback is reported as CPython does ("Exception
//! ignored in atexit callback: `<func>`" and its traceback) and the next callback runs.

use crate::vm::{Args, Ctx, ExcTy, PyResult, err};
use pyheap_runtime::List;

pub fn make<'h>(ctx: &Ctx<'h>) -> PyResult<'h> {
    ctx.new_module(
        "atexit",
        &[
            ("register", register),
            ("unregister", unregister),
            ("_run_exitfuncs", run_exitfuncs),
            ("_clear", clear),
            ("_ncallbacks", ncallbacks),
        ],
    )
}

/// The context's list of registered callbacks, made on first use.
fn handlers<'h>(ctx: &Ctx<'h>) -> PyResult<'h, List<'h>> {
    if let Some(l) = ctx.atexit.borrow().as_ref() {
        return Ok(l.clone());
    }
    let l = ctx.heap.list(&[])?;
    *ctx.atexit.borrow_mut() = Some(l.clone());
    Ok(l)
}

/// `atexit.register(func, *args, **kwargs)`: returns `func`, so it works as a decorator.
fn register<'h>(ctx: &Ctx<'h>, a: Args<'_, 'h>) -> PyResult<'h> {
    let Some(func) = a.pos.first() else {
        return err(
            ExcTy::TypeError,
            "register() takes at least 1 argument (0 given)",
        );
    };
    if !ctx.is_callable(func) {
        return err(ExcTy::TypeError, "the first argument must be callable");
    }
    let args = ctx.heap.tuple(&a.pos[1..])?.into_obj();
    let kwargs = ctx.heap.dict()?;
    for (k, v) in a.kw.iter() {
        kwargs.set(k, v)?;
    }
    let entry = ctx
        .heap
        .tuple(&[func.clone(), args, kwargs.into_obj()])?
        .into_obj();
    handlers(ctx)?.append(&entry)?;
    Ok(func.clone())
}

/// `atexit.unregister(func)`: drops every registration of a callback equal to `func`.
fn unregister<'h>(ctx: &Ctx<'h>, a: Args<'_, 'h>) -> PyResult<'h> {
    a.check("unregister", 1, 1)?;
    let list = handlers(ctx)?;
    let mut i = 0;
    while i < list.len() {
        let f = list.get(i as i64)?.as_tuple()?.item(0);
        if ctx.eq(&f, &a.pos[0])? {
            list.pop(i as i64)?;
        } else {
            i += 1;
        }
    }
    Ok(ctx.none())
}

/// `atexit._run_exitfuncs()`: call every callback, newest first, and forget them.
fn run_exitfuncs<'h>(ctx: &Ctx<'h>, a: Args<'_, 'h>) -> PyResult<'h> {
    a.check("_run_exitfuncs", 0, 0)?;
    run_all(ctx);
    Ok(ctx.none())
}

fn clear<'h>(ctx: &Ctx<'h>, a: Args<'_, 'h>) -> PyResult<'h> {
    a.check("_clear", 0, 0)?;
    handlers(ctx)?.clear();
    Ok(ctx.none())
}

fn ncallbacks<'h>(ctx: &Ctx<'h>, a: Args<'_, 'h>) -> PyResult<'h> {
    a.check("_ncallbacks", 0, 0)?;
    ctx.int(handlers(ctx)?.len() as i64)
}

/// Run the registered callbacks, newest first (shutdown and `_run_exitfuncs`); a callback
/// registered while they run runs too.
pub fn run_all(ctx: &Ctx<'_>) {
    let Some(list) = ctx.atexit.borrow().clone() else {
        return;
    };
    while !list.is_empty() {
        let Ok(entry) = list.pop(-1) else { return };
        let Ok(entry) = entry.as_tuple() else {
            continue;
        };
        let f = entry.item(0);
        let args = entry
            .item(1)
            .as_tuple()
            .map(|t| t.to_vec())
            .unwrap_or_default();
        let kw = entry
            .item(2)
            .as_dict()
            .map(|d| d.items())
            .unwrap_or_default();
        if let Err(r) = ctx.call(&f, args, kw) {
            let what = ctx.repr(&f).unwrap_or_else(|_| "<object>".into());
            ctx.report_unraisable_as(r, &format!("Exception ignored in atexit callback: {what}"));
        }
    }
}
