//! The attributes of frame objects (`objects/frame.rs`): `f_code`, `f_globals`, `f_builtins`,
//! `f_locals`, `f_back`, `f_lineno`.
//!
//! `f_locals` of a function frame is a new dict built from its fast locals and cells (CPython's
//! `PyFrame_FastToLocals`, in `co_varnames` order, then cell and free variables) once the frame has
//! finished; while it still runs its locals are the VM's (not reachable from the object), so the
//! dict is empty — a documented difference. Module and class frames return their names dict.

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
            let d = ctx.heap.dict()?;
            if let (Some(owned), Some(code)) = (&b.owned, ctx.code_of(&b.code.get(ctx.heap)?)) {
                let cell_value = |name: &str| -> PyResult<'h, Option<Option<Obj<'h>>>> {
                    let names = code.cellvars.iter().chain(code.freevars.iter());
                    match names
                        .zip(owned.cells.iter())
                        .find(|(n, _)| n.as_str() == name)
                    {
                        Some((_, c)) => Ok(Some(c.get(ctx.heap)?.as_cell()?.get())),
                        None => Ok(None),
                    }
                };
                for (i, n) in code.varnames.iter().enumerate() {
                    let v = match cell_value(n)? {
                        Some(v) => v,
                        None => owned
                            .fast
                            .get(i)
                            .and_then(|m| m.as_ref())
                            .map(|m| m.get(ctx.heap))
                            .transpose()?,
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
            }
            d.into_obj()
        }
        _ => return Ok(None),
    }))
}
