//! Built-in modules, created on first import and kept in `sys.modules`: `gc`, `sys`, `math`,
//! `random`, `itertools`, `time`, `traceback`, `weakref`, `functools`, `operator`,
//! `collections`, `heapq`, `bisect`, `string`, `copy`, `dataclasses`, `abc`, `atexit`,
//! `__future__`, and `builtins` (whose dict is the builtins namespace). A module may define part
//! of itself in Python source (`run_prelude`), compiled into its dict at import.

pub mod abc;
pub mod atexit;
pub mod bisect;
pub mod collections;
pub mod copy;
pub mod dataclasses;
pub mod functools;
pub mod future;
pub mod gc;
pub mod heapq;
pub mod itertools;
mod libm;
pub mod math;
pub mod operator;
pub mod random;
pub mod string;
pub mod sys;
pub mod time;
pub mod traceback;
pub mod weakref;

use crate::objects::function::NativeFn;
use crate::objects::misc::Module;
use crate::vm::{Ctx, ExcTy, PyResult, err};
use pyheap_runtime::{Dict, Member, Obj};

impl<'h> Ctx<'h> {
    /// `import name`.
    pub fn import(&self, name: &str) -> PyResult<'h> {
        let key = self.intern(name)?;
        if let Some(m) = self.modules.get(&key)? {
            return Ok(m);
        }
        let m = match name {
            // The module whose dict is the builtins namespace itself.
            "builtins" => self
                .heap
                .new_user(Module {
                    name: name.into(),
                    dict: Member::new(&self.builtins),
                })?
                .into_obj(),
            "gc" => gc::make(self)?,
            "atexit" => atexit::make(self)?,
            "sys" => sys::make(self)?,
            "weakref" => weakref::make(self)?,
            "math" => math::make(self)?,
            "random" => random::make(self)?,
            "itertools" => itertools::make(self)?,
            "time" => time::make(self)?,
            "traceback" => traceback::make(self)?,
            "__future__" => future::make(self)?,
            "functools" => functools::make(self)?,
            "operator" => operator::make(self)?,
            "collections" => collections::make(self)?,
            "heapq" => heapq::make(self)?,
            "bisect" => bisect::make(self)?,
            "string" => string::make(self)?,
            "copy" => copy::make(self)?,
            "abc" => abc::make(self)?,
            "dataclasses" => dataclasses::make(self)?,
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

    /// An attribute a built-in module builds on first use (costly ones that most programs never
    /// read, so that start-up stays cheap): stored in the module's dict, then returned.
    /// `None` when `module.name` is not one of them.
    pub fn module_attr_on_demand(
        &self,
        m: &Obj<'h>,
        module: &str,
        name: &str,
    ) -> PyResult<'h, Option<Obj<'h>>> {
        let v = match module {
            "sys" => match sys::structseq(self, name)? {
                Some(v) => v,
                None => return Ok(None),
            },
            _ => return Ok(None),
        };
        self.module_set(m, name, &v)?;
        Ok(Some(v))
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

    /// Run Python `source` with module `m`'s dict as its globals (a module's own definitions).
    pub fn run_prelude(&self, m: &Obj<'h>, source: &str, filename: &str) -> PyResult<'h, ()> {
        let d = m.as_user::<Module>()?.borrow()?.dict.get(self.heap)?;
        let d = d.as_dict()?.clone();
        d.set(&self.intern("__builtins__")?, &self.builtins.obj())?;
        self.run_in_dict(&d, source, filename)
    }

    /// Run Python `source` with `d` as globals and locals.
    pub fn run_in_dict(&self, d: &Dict<'h>, source: &str, filename: &str) -> PyResult<'h, ()> {
        let code = crate::compile::compile(self.heap, source, filename, crate::compile::Mode::Exec)
            .map_err(|e| {
                crate::vm::Raise::New(ExcTy::SystemError, format!("{filename}: {}", e.msg))
            })?;
        self.sources
            .borrow_mut()
            .insert(filename.to_string(), std::rc::Rc::from(source));
        let frame = self.code_frame(&code, d, Some(d.clone()), vec![])?;
        self.run_frame(frame)?;
        Ok(())
    }

    /// Set a module attribute.
    pub fn module_set(&self, m: &Obj<'h>, name: &str, v: &Obj<'h>) -> PyResult<'h, ()> {
        let d = m.as_user::<Module>()?.borrow()?.dict.get(self.heap)?;
        d.as_dict()?.set(&self.intern(name)?, v)?;
        Ok(())
    }
}
