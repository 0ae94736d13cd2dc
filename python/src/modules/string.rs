//! `string`: the character-class constants and `capwords`, written in Python
//! (`string_prelude.py`) and compiled into the module at its first import.
//!
//! Not provided: `Template` and `Formatter`.

use crate::vm::{Ctx, PyResult};

const PRELUDE: &str = include_str!("string_prelude.py");

pub fn make<'h>(ctx: &Ctx<'h>) -> PyResult<'h> {
    let m = ctx.new_module("string", &[])?;
    ctx.run_prelude(&m, PRELUDE, "<string>")?;
    Ok(m)
}
