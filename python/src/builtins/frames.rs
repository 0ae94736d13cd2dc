//! The attributes of frame objects (`objects/frame.rs`): `f_code`, `f_globals`, `f_builtins`,
//! `f_locals`, `f_back`, `f_lineno`.
//!
//! `f_locals` of a function frame is a new dict built from its fast locals and cells (CPython's
//! `PyFrame_FastToLocals`, in `co_varnames` order, then cell and free variables) once the frame has
//! finished. While it still runs its locals are the VM's (not reachable from the object): the
//! dict is the snapshot `sys._getframe` took when it returned the object (empty for frame objects
//! got otherwise, e.g. a running frame's `tb_frame` — a documented difference). Module and class
//! frames return their names dict.

use crate::bytecode::CodeData;
use crate::objects::frame::FrameObject;
use crate::vm::{Ctx, PyResult};
use pyheap_runtime::Obj;

/// `frame.NAME`, or None for an unknown name.
pub fn attribute<'h>(ctx: &Ctx<'h>, o: &Obj<'h>, name: &str) -> PyResult<'h, Option<Obj<'h>>> {
    let b = o.as_user::<FrameObject>()?.borrow()?;
    Ok(Some(match name {
        "f_code" => b.code.get(ctx.heap)?,
        "f_globals" => b.globals.get(ctx.heap)?,
        "f_builtins" => ctx.builtins.obj(),
        "f_lineno" => ctx.int(b.lineno as i64)?,
        "f_back" => match &b.back {
            Some(m) => m.get(ctx.heap)?,
            None => ctx.none(),
        },
        "f_locals" => {
            if let Some(l) = &b.locals {
                return Ok(Some(l.get(ctx.heap)?));
            }
            if let Some(l) = &b.snapshot {
                return Ok(Some(l.get(ctx.heap)?));
            }
            let Some(owned) = &b.owned else {
                return Ok(Some(ctx.heap.dict()?.into_obj()));
            };
            let Some(code) = ctx.code_of(&b.code.get(ctx.heap)?) else {
                return Ok(Some(ctx.heap.dict()?.into_obj()));
            };
            let get = |m: &pyheap_runtime::Member| m.get(ctx.heap);
            let fast: Vec<Option<Obj<'h>>> = owned
                .fast
                .iter()
                .map(|m| m.as_ref().map(get).transpose())
                .collect::<Result<_, _>>()?;
            let cells: Vec<Obj<'h>> = owned.cells.iter().map(get).collect::<Result<_, _>>()?;
            locals_dict(ctx, &code, &fast, &cells)?
        }
        _ => return Ok(None),
    }))
}

/// A function frame's locals as a dict (CPython's `PyFrame_FastToLocals`): the bound fast locals
/// in `co_varnames` order (a cell's value for a parameter that is a cell), then the cell and
/// free variables.
pub fn locals_dict<'h>(
    ctx: &Ctx<'h>,
    code: &CodeData,
    fast: &[Option<Obj<'h>>],
    cells: &[Obj<'h>],
) -> PyResult<'h> {
    let d = ctx.heap.dict()?;
    let cell_value = |name: &str| -> PyResult<'h, Option<Option<Obj<'h>>>> {
        let names = code.cellvars.iter().chain(code.freevars.iter());
        match names.zip(cells.iter()).find(|(n, _)| n.as_str() == name) {
            Some((_, c)) => Ok(Some(c.as_cell()?.get())),
            None => Ok(None),
        }
    };
    for (i, n) in code.varnames.iter().enumerate() {
        let v = match cell_value(n)? {
            Some(v) => v,
            None => fast.get(i).cloned().flatten(),
        };
        if let Some(v) = v {
            d.set(&ctx.intern(n)?, &v)?;
        }
    }
    for n in code.cellvars.iter().chain(code.freevars.iter()) {
        if code.varnames.contains(n) {
            continue;
        }
        if let Some(Some(v)) = cell_value(n)? {
            d.set(&ctx.intern(n)?, &v)?;
        }
    }
    Ok(d.into_obj())
}
