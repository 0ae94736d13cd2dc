//! Built-in modules (`gc`, `sys`, ...), created on first import and kept in `sys.modules`.

pub mod gc;
pub mod sys;
pub mod weakref;

use crate::objects::function::NativeFn;
use crate::objects::misc::Module;
use crate::vm::{Ctx, ExcTy, PyResult, err};
use pyheap_runtime::{Member, Obj};

impl<'h> Ctx<'h> {
    /// `import name`.
    pub fn import(&self, name: &str) -> PyResult<'h> {
        let key = self.intern(name)?;
        if let Some(m) = self.modules.get(&key)? {
            return Ok(m);
        }
        let m = match name {
            "gc" => gc::make(self)?,
            "sys" => sys::make(self)?,
            "weakref" => weakref::make(self)?,
            _ => {
                return err(
                    ExcTy::ModuleNotFoundError,
                    format!("No module named '{name}'"),
                );
            }
        };
        self.modules.set(&key, &m)?;
        Ok(m)
    }

    /// A module object with the given functions.
    pub fn new_module(&self, name: &str, fns: &[(&'static str, NativeFn)]) -> PyResult<'h> {
        let d = self.heap.dict()?;
        d.set(&self.intern("__name__")?, &self.str(name)?)?;
        for &(n, f) in fns {
            d.set(&self.intern(n)?, &self.native(n, f)?)?;
        }
        Ok(self
            .heap
            .new_user(Module {
                name: name.into(),
                dict: Member::new(&d),
            })?
            .into_obj())
    }

    /// Set a module attribute.
    pub fn module_set(&self, m: &Obj<'h>, name: &str, v: &Obj<'h>) -> PyResult<'h, ()> {
        let d = m.as_user::<Module>()?.borrow()?.dict.get(self.heap)?;
        d.as_dict()?.set(&self.intern(name)?, v)?;
        Ok(())
    }
}
