//! Built-ins that read their caller's frame: `locals()`, `globals()`, `vars()` and `dir()`
//! without an argument, `exec` and `eval` (which run source or a code object in the caller's
//! names), and `compile`, which makes the code objects the last two run.
//!
//! ```text
//!   Python code calls locals() ──▶ the VM sees a `reads_frame` native (Ctx::getframe_call)
//!                              ──▶ answer(name, args, kw, the top frame's (globals, locals))
//!   a native calls it (map(eval, srcs)) ──▶ the native itself: no frame at hand, the
//!                                         __main__ module's dict stands in for it
//! ```
//!
//! A function frame's locals are a snapshot (fast locals and cells, `frames::locals_dict`):
//! as in CPython, `exec` writing a name there does not change the function's variable.

use crate::compile::{self, CompileError, Mode};
use crate::vm::{Args, Ctx, ExcTy, PyResult, Raise, err};
use pyheap_runtime::{Dict, Kind, Obj};

/// The natives this module defines, for `functions::install` (each made with
/// `Ctx::frame_native`).
pub const NATIVES: &[(&str, crate::objects::function::NativeFn)] = &[
    ("locals", locals),
    ("globals", globals),
    ("vars", vars),
    ("dir", dir),
    ("exec", exec),
    ("eval", eval),
];

/// The VM's answer to a call of frame-reading native `name` with `args`/`kw`, `scope` giving
/// the calling frame's globals and locals. `None`: the native's own path fits (`vars(o)`,
/// `dir(o)` with an argument).
pub fn answer<'h>(
    ctx: &Ctx<'h>,
    name: &str,
    args: &[Obj<'h>],
    kw: &[(Obj<'h>, Obj<'h>)],
    scope: impl FnOnce() -> PyResult<'h, (Dict<'h>, Obj<'h>)>,
) -> PyResult<'h, Option<Obj<'h>>> {
    match name {
        "vars" | "dir" if !args.is_empty() => Ok(None),
        "exec" | "eval" => run_source(ctx, name, args, kw, scope).map(Some),
        "import_star" => {
            let (_, locals) = scope()?;
            import_names(ctx, &args[0], locals.as_dict()?)?;
            Ok(Some(ctx.none()))
        }
        _ => no_arguments(ctx, name, args, kw, scope).map(Some),
    }
}

/// `from m import *` (compiled as a call of this native with the module, at module level):
/// answered by the VM; reached otherwise, the `__main__` module's names take them.
pub fn import_star<'h>(ctx: &Ctx<'h>, a: Args<'_, 'h>) -> PyResult<'h> {
    a.check("import_star", 1, 1)?;
    let (_, locals) = main_scope(ctx)?;
    import_names(ctx, &a.pos[0], locals.as_dict()?)?;
    Ok(ctx.none())
}

/// Bind module `m`'s public names in `into`: those its `__all__` lists, or else every name
/// not starting with `_`.
fn import_names<'h>(ctx: &Ctx<'h>, m: &Obj<'h>, into: &Dict<'h>) -> PyResult<'h, ()> {
    let names = match ctx.getattr(m, "__all__") {
        Ok(all) => ctx.collect(&all)?,
        Err(e) if ctx.raise_matches(&e, ExcTy::AttributeError) => {
            let d = ctx.getattr(m, "__dict__")?;
            ctx.collect(&d)?
                .into_iter()
                .filter(|k| k.str_value().is_ok_and(|s| !s.starts_with('_')))
                .collect()
        }
        Err(e) => return Err(e),
    };
    for n in names {
        let Ok(s) = n.str_value() else {
            return err(
                ExcTy::TypeError,
                format!(
                    "Item in {}.__all__ must be str, not {}",
                    ctx.class_name(&ctx.type_of(m)),
                    ctx.type_name(&n)
                ),
            );
        };
        let v = ctx.getattr(m, s)?;
        into.set(&ctx.intern(s)?, &v)?;
    }
    Ok(())
}

/// `locals()`, `globals()`, `vars()`, `dir()`.
fn no_arguments<'h>(
    ctx: &Ctx<'h>,
    name: &str,
    args: &[Obj<'h>],
    kw: &[(Obj<'h>, Obj<'h>)],
    scope: impl FnOnce() -> PyResult<'h, (Dict<'h>, Obj<'h>)>,
) -> PyResult<'h> {
    if !kw.is_empty() {
        return err(
            ExcTy::TypeError,
            format!("{name}() takes no keyword arguments"),
        );
    }
    if !args.is_empty() {
        return err(
            ExcTy::TypeError,
            format!("{name}() takes no arguments ({} given)", args.len()),
        );
    }
    let (globals, locals) = scope()?;
    match name {
        "globals" => Ok(globals.into_obj()),
        "dir" => {
            let names = ctx.collect(&locals)?;
            let names = super::functions::sort_items(ctx, names, None, false)?;
            Ok(ctx.heap.list(&names)?.into_obj())
        }
        _ => Ok(locals),
    }
}

/// The names of the `__main__` module: what a native called without a Python caller sees.
fn main_scope<'h>(ctx: &Ctx<'h>) -> PyResult<'h, (Dict<'h>, Obj<'h>)> {
    let d = match ctx.modules.get(&ctx.intern("__main__")?)? {
        Some(m) => ctx.getattr(&m, "__dict__")?.as_dict()?.clone(),
        None => ctx.heap.dict()?,
    };
    let o = d.obj();
    Ok((d, o))
}

fn locals<'h>(ctx: &Ctx<'h>, a: Args<'_, 'h>) -> PyResult<'h> {
    no_arguments(ctx, "locals", a.pos, a.kw, || main_scope(ctx))
}
fn globals<'h>(ctx: &Ctx<'h>, a: Args<'_, 'h>) -> PyResult<'h> {
    no_arguments(ctx, "globals", a.pos, a.kw, || main_scope(ctx))
}
fn vars<'h>(ctx: &Ctx<'h>, a: Args<'_, 'h>) -> PyResult<'h> {
    if a.pos.is_empty() {
        return no_arguments(ctx, "vars", a.pos, a.kw, || main_scope(ctx));
    }
    a.check("vars", 1, 1)?;
    match ctx.getattr(&a.pos[0], "__dict__") {
        Err(e) if ctx.raise_matches(&e, ExcTy::AttributeError) => err(
            ExcTy::TypeError,
            "vars() argument must have __dict__ attribute",
        ),
        r => r,
    }
}
fn dir<'h>(ctx: &Ctx<'h>, a: Args<'_, 'h>) -> PyResult<'h> {
    if a.pos.is_empty() {
        return no_arguments(ctx, "dir", a.pos, a.kw, || main_scope(ctx));
    }
    super::functions::dir_of(ctx, a)
}
fn exec<'h>(ctx: &Ctx<'h>, a: Args<'_, 'h>) -> PyResult<'h> {
    run_source(ctx, "exec", a.pos, a.kw, || main_scope(ctx))
}
fn eval<'h>(ctx: &Ctx<'h>, a: Args<'_, 'h>) -> PyResult<'h> {
    run_source(ctx, "eval", a.pos, a.kw, || main_scope(ctx))
}

/// `exec(source, globals=None, locals=None)` / `eval(...)`: CPython's argument checks, then
/// the code run with those names (the caller's when no globals are given).
fn run_source<'h>(
    ctx: &Ctx<'h>,
    which: &str,
    args: &[Obj<'h>],
    kw: &[(Obj<'h>, Obj<'h>)],
    scope: impl FnOnce() -> PyResult<'h, (Dict<'h>, Obj<'h>)>,
) -> PyResult<'h> {
    let is_exec = which == "exec";
    if !kw.is_empty() {
        return err(
            ExcTy::TypeError,
            format!("{which}() takes no keyword arguments"),
        );
    }
    if args.is_empty() || args.len() > 3 {
        let bound = if args.is_empty() {
            "at least 1"
        } else {
            "at most 3"
        };
        let s = if args.is_empty() { "" } else { "s" };
        return err(
            ExcTy::TypeError,
            format!(
                "{which}() takes {bound} positional argument{s} ({} given)",
                args.len()
            ),
        );
    }
    let given = |i: usize| args.get(i).filter(|o| !o.is_none());
    let globals = match given(1) {
        None => None,
        Some(g) if g.kind() == Kind::Dict => Some(g.as_dict()?.clone()),
        Some(g) => {
            let msg = if is_exec {
                format!("exec() globals must be a dict, not {}", ctx.type_name(g))
            } else {
                "globals must be a dict".to_string()
            };
            return err(ExcTy::TypeError, msg);
        }
    };
    let locals = match given(2) {
        None => None,
        Some(l) if l.kind() == Kind::Dict => Some(l.clone()),
        Some(l) => {
            let msg = if is_exec {
                format!("locals must be a mapping or None, not {}", ctx.type_name(l))
            } else {
                "locals must be a mapping".to_string()
            };
            return err(ExcTy::TypeError, msg);
        }
    };
    let (globals, locals) = match (globals, locals) {
        (Some(g), Some(l)) => (g, l),
        (Some(g), None) => {
            let l = g.obj();
            (g, l)
        }
        (None, l) => {
            let (g, fl) = scope()?;
            (g, l.unwrap_or(fl))
        }
    };
    let builtins = ctx.intern("__builtins__")?;
    if globals.get(&builtins)?.is_none() {
        globals.set(&builtins, &ctx.builtins.obj())?;
    }
    let source = &args[0];
    let code = if ctx.code_of(source).is_some() {
        source.clone()
    } else {
        let text = source_text(ctx, which, source)?;
        let text = if is_exec {
            text.as_str()
        } else {
            text.trim_start_matches([' ', '\t'])
        };
        let mode = if is_exec { Mode::Exec } else { Mode::Eval };
        compile_source(ctx, text, "<string>", mode)?
    };
    let frame = ctx.code_frame(&code, &globals, Some(locals.as_dict()?.clone()), vec![])?;
    let v = ctx.run_frame(frame)?;
    Ok(if is_exec { ctx.none() } else { v })
}

/// The text of a str or bytes source (bytes decoded as UTF-8).
fn source_text<'h>(ctx: &Ctx<'h>, which: &str, source: &Obj<'h>) -> PyResult<'h, String> {
    if let Ok(s) = source.str_value() {
        return Ok(s.to_string());
    }
    if let Some(b) = ctx.bytes_data(source)? {
        return match String::from_utf8(b.into_vec()) {
            Ok(s) => Ok(s),
            Err(_) => err(ExcTy::SyntaxError, "source code cannot be decoded as UTF-8"),
        };
    }
    let what = if which == "compile" { "AST" } else { "code" };
    err(
        ExcTy::TypeError,
        format!("{which}() arg 1 must be a string, bytes or {what} object"),
    )
}

/// Compile `text`; a syntax error becomes CPython's `SyntaxError` instance (`msg`,
/// `filename`, `lineno`, `offset`, `text`, `end_lineno`, `end_offset`, and those as its
/// `args`).
fn compile_source<'h>(ctx: &Ctx<'h>, text: &str, filename: &str, mode: Mode) -> PyResult<'h> {
    compile::compile(ctx.heap, text, filename, mode)
        .map_err(|e| syntax_error(ctx, &e, text, filename))
}

fn syntax_error<'h>(ctx: &Ctx<'h>, e: &CompileError, text: &str, filename: &str) -> Raise<'h> {
    let made = (|| -> PyResult<'h> {
        let exc = ctx.make_exc(ExcTy::SyntaxError, &e.msg);
        let line = text.lines().nth(e.line.saturating_sub(1)).unwrap_or("");
        let line = ctx.str(&format!("{line}\n"))?;
        let (lineno, offset) = (ctx.int(e.line as i64)?, ctx.int(e.col as i64)?);
        let details = ctx.heap.tuple(&[
            ctx.str(filename)?,
            lineno.clone(),
            offset.clone(),
            line.clone(),
            lineno.clone(),
            offset.clone(),
        ])?;
        let inst = exc.as_instance()?;
        inst.setattr(
            "args",
            &ctx.heap.tuple(&[ctx.str(&e.msg)?, details.into_obj()])?,
        )?;
        inst.setattr("msg", &ctx.str(&e.msg)?)?;
        inst.setattr("filename", &ctx.str(filename)?)?;
        inst.setattr("lineno", &lineno)?;
        inst.setattr("offset", &offset)?;
        inst.setattr("text", &line)?;
        inst.setattr("end_lineno", &lineno)?;
        inst.setattr("end_offset", &offset)?;
        Ok(exc)
    })();
    match made {
        Ok(exc) => Raise::Obj(exc),
        Err(r) => r,
    }
}

/// `compile(source, filename, mode, flags=0, dont_inherit=False, optimize=-1)`: a code object
/// for `exec` (mode `'exec'`, `'single'`) or `eval` (`'eval'`). Flags are not supported.
pub fn compile_builtin<'h>(ctx: &Ctx<'h>, a: Args<'_, 'h>) -> PyResult<'h> {
    const NAMES: [&str; 6] = [
        "source",
        "filename",
        "mode",
        "flags",
        "dont_inherit",
        "optimize",
    ];
    if a.pos.len() > 6 {
        return err(
            ExcTy::TypeError,
            format!(
                "compile() takes at most 6 arguments ({} given)",
                a.pos.len()
            ),
        );
    }
    let mut params: [Option<&Obj<'h>>; 6] = [None; 6];
    for (i, p) in params.iter_mut().enumerate() {
        *p = a.param("compile", &NAMES, i, 0)?;
    }
    for (i, n) in NAMES.iter().enumerate().take(3) {
        if params[i].is_none() {
            return err(
                ExcTy::TypeError,
                format!("compile() missing required argument '{n}' (pos {})", i + 1),
            );
        }
    }
    let [Some(source), Some(filename), Some(mode), ..] = params else {
        unreachable!("checked above")
    };
    let filename = match filename.str_value() {
        Ok(s) => s.to_string(),
        Err(_) => match ctx.bytes_data(filename)? {
            Some(b) => String::from_utf8_lossy(&b).into_owned(),
            None => {
                return err(
                    ExcTy::TypeError,
                    format!(
                        "compile() argument 'filename' must be str, bytes or os.PathLike, not {}",
                        ctx.type_name(filename)
                    ),
                );
            }
        },
    };
    let mode = match mode.str_value() {
        Ok("exec") => Mode::Exec,
        Ok("eval") => Mode::Eval,
        Ok("single") => Mode::Single,
        Ok(_) => {
            return err(
                ExcTy::ValueError,
                "compile() mode must be 'exec', 'eval' or 'single'",
            );
        }
        Err(_) => {
            return err(
                ExcTy::TypeError,
                format!(
                    "compile() argument 'mode' must be str, not {}",
                    ctx.type_name(mode)
                ),
            );
        }
    };
    if params[3].is_some_and(|f| !f.as_int().is_ok_and(|n| n == 0)) {
        return err(
            ExcTy::ValueError,
            "compile(): flags are not supported by pyheap",
        );
    }
    if ctx.code_of(source).is_some() {
        return Ok(source.clone());
    }
    let text = source_text(ctx, "compile", source)?;
    let text = if mode == Mode::Eval {
        text.trim_start_matches([' ', '\t']).to_string()
    } else {
        text
    };
    compile_source(ctx, &text, &filename, mode)
}
