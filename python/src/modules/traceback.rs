//! The `traceback` module: an exception and its traceback as the lines CPython prints.
//!
//! ```text
//!   format_exception(exc)            -> ['Traceback (most recent call last):\n',
//!   format_exception(type, exc, tb)      '  File "x.py", line 3, in f\n    1/0\n    ~^~\n',
//!                                        'ZeroDivisionError: division by zero\n']
//!   format_exception_only(exc)       -> ['ZeroDivisionError: division by zero\n']
//!   format_exc()                     -> ''.join(format_exception(<the exception being handled>))
//!   print_exception(exc), print_exc() the same text on stderr
//! ```
//!
//! The text is the interpreter's own (`vm/traceback.rs`, the one that prints an uncaught
//! exception), so a printed traceback and an uncaught one can never disagree. `chain=False`
//! leaves out the `__cause__`/`__context__` exceptions, as in CPython; `limit` and `file` are
//! not supported (a TypeError names them).

use crate::vm::{Args, Ctx, ExcTy, PyResult, err};
use pyheap_runtime::Obj;

/// The `traceback` module object.
pub fn make<'h>(ctx: &Ctx<'h>) -> PyResult<'h> {
    ctx.new_module(
        "traceback",
        &[
            ("format_exception", format_exception),
            ("format_exception_only", format_exception_only),
            ("format_exc", format_exc),
            ("print_exception", print_exception),
            ("print_exc", print_exc),
        ],
    )
}

/// The exception a call names: `f(exc)`, or the value of `f(type, value, tb)`.
fn exception_arg<'h>(name: &str, a: &Args<'_, 'h>) -> PyResult<'h, Obj<'h>> {
    for (k, _) in a.kw {
        let k = k.str_value()?;
        if k != "chain" {
            return err(
                ExcTy::TypeError,
                format!("{name}() got an unexpected keyword argument '{k}' (not supported here)"),
            );
        }
    }
    match a.pos {
        [exc] | [_, exc] | [_, exc, _] => Ok(exc.clone()),
        _ => err(
            ExcTy::TypeError,
            format!("{name}() missing required positional argument: 'exc'"),
        ),
    }
}

/// The chunks CPython's `format_exception` returns for `exc` (None: `NoneType: None`).
fn chunks<'h>(ctx: &Ctx<'h>, exc: &Obj<'h>, chain: bool) -> Vec<String> {
    if exc.is_none() {
        return vec!["NoneType: None\n".into()];
    }
    ctx.exception_chunks(exc, chain)
}

/// `chain=` (default true).
fn chain_arg<'h>(a: &Args<'_, 'h>) -> PyResult<'h, bool> {
    a.kwarg("chain").map_or(Ok(true), |c| Ok(c.as_bool()?))
}

/// The exception being handled (`sys.exc_info()[1]`), or None.
fn handled<'h>(ctx: &Ctx<'h>) -> Obj<'h> {
    ctx.handled.borrow().clone().unwrap_or_else(|| ctx.none())
}

fn str_list<'h>(ctx: &Ctx<'h>, lines: &[String]) -> PyResult<'h> {
    let items = lines
        .iter()
        .map(|l| ctx.str(l))
        .collect::<Result<Vec<_>, _>>()?;
    Ok(ctx.heap.list(&items)?.into_obj())
}

fn format_exception<'h>(ctx: &Ctx<'h>, a: Args<'_, 'h>) -> PyResult<'h> {
    let exc = exception_arg("format_exception", &a)?;
    str_list(ctx, &chunks(ctx, &exc, chain_arg(&a)?))
}

fn format_exception_only<'h>(ctx: &Ctx<'h>, a: Args<'_, 'h>) -> PyResult<'h> {
    let exc = exception_arg("format_exception_only", &a)?;
    let lines = if exc.is_none() {
        vec!["NoneType: None\n".to_string()]
    } else {
        ctx.exc_only_lines(&exc)
    };
    str_list(ctx, &lines)
}

fn format_exc<'h>(ctx: &Ctx<'h>, a: Args<'_, 'h>) -> PyResult<'h> {
    a.check("format_exc", 0, 0)?;
    ctx.str(&chunks(ctx, &handled(ctx), true).concat())
}

fn print_exception<'h>(ctx: &Ctx<'h>, a: Args<'_, 'h>) -> PyResult<'h> {
    let exc = exception_arg("print_exception", &a)?;
    ctx.write_err(&chunks(ctx, &exc, chain_arg(&a)?).concat());
    Ok(ctx.none())
}

fn print_exc<'h>(ctx: &Ctx<'h>, a: Args<'_, 'h>) -> PyResult<'h> {
    a.check("print_exc", 0, 0)?;
    ctx.write_err(&chunks(ctx, &handled(ctx), true).concat());
    Ok(ctx.none())
}
