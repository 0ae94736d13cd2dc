//! Global names through each code block's per-name cache (`bytecode::GlobalCache`): `LoadGlobal`,
//! module-level `LoadName` (whose locals are the globals) and the stores `StoreName` /
//! `StoreGlobal` share one slot per name of the code block.
//!
//! ```text
//!   code.global_cache[i] ──▶ { globals: 0 = empty │ builtins: 0 = "in the globals" │ index }
//!     in the globals  (builtins == 0): valid while the globals' entry `index` has the name
//!                      object itself as its key (Dict::value_at_key / replace_at_key)
//!     in the builtins (builtins != 0): valid while the globals still have version `globals`
//!                      (so still lack the name) and the builtins version `builtins`
//! ```
//!
//! Why the first check needs no version: a dict's keys are unique, so the entry holding the very
//! name object is the entry a look-up of that name finds; a `del x` or a `globals()` change that
//! moves or removes it makes the check fail. It keeps working while
//! the module's own loop stores its variables (`for i in ...: x = ...` at module level changes
//! the globals' version on every store, which the builtins case still has to watch: the name
//! may appear in the globals, shadowing the builtin). CPython 3.11 keys its `LOAD_GLOBAL`
//! cache on the keys' version for the same reason; a key that is an equal but different str
//! object takes the look-up every time (right, only slower).
//!
//! Worked example, module code `x = 1; x = x + 1`, globals `{'__name__': .., 'x'}`:
//! `x = 1` inserts `x` at entry 7 (slow path, fills nothing); `x + 1` loads `x`: cache empty,
//! look-up finds entry 7, cache = {in the globals, 7}; `x = ...` then finds entry 7's key is
//! the name object: the value is replaced in place, no hash. After `del x`, entry 7 is gone
//! (or holds another key): both checks fail, the look-up raises NameError as CPython does.

use super::frame::Frame;
use super::{Ctx, PyResult};
use crate::bytecode::{CodeData, GlobalCache};
use pyheap_runtime::{Dict, Obj};

impl<'h> Ctx<'h> {
    /// `globals[name] = v` for name `i` of `code` (module-level `StoreName`, `StoreGlobal`),
    /// replacing the value in place when the cache says where the name is.
    pub(super) fn store_global(
        &self,
        globals: &Dict<'h>,
        code: &CodeData,
        i: u32,
        v: &Obj<'h>,
    ) -> PyResult<'h, ()> {
        let k = code.names[i as usize].get(self.heap)?;
        let c = code.global_cache[i as usize].get();
        if c.globals != 0 && c.builtins == 0 && globals.replace_at_key(c.index, &k, v)? {
            return Ok(());
        }
        globals.set(&k, v)?;
        Ok(())
    }

    /// The cached answer of `LoadGlobal` for name `i` (`k`), if the cache still holds.
    #[inline]
    pub(super) fn cached_global(
        &self,
        globals: &Dict<'h>,
        code: &CodeData,
        i: u32,
        k: &Obj<'h>,
    ) -> Option<Obj<'h>> {
        let c = code.global_cache[i as usize].get();
        if c.globals == 0 {
            None
        } else if c.builtins == 0 {
            globals.value_at_key(c.index, k)
        } else if c.globals == globals.version() && c.builtins == self.builtins.version() {
            self.builtins.value_at(c.index)
        } else {
            None
        }
    }

    /// Look name `i` (`k`) up in the globals, then the builtins, filling the cache.
    pub(super) fn lookup_global(
        &self,
        globals: &Dict<'h>,
        code: &CodeData,
        i: u32,
        k: &Obj<'h>,
    ) -> PyResult<'h, Option<Obj<'h>>> {
        // A look-up may run user code (a key's `__eq__`) that changes the dicts: the cache is
        // filled only when both versions are still those read before the look-ups.
        let (gv, bv) = (globals.version(), self.builtins.version());
        let (dict, builtins, index) = match globals.index_of(k)? {
            Some(index) => (globals, 0, Some(index)),
            None => (&self.builtins, bv, self.builtins.index_of(k)?),
        };
        let Some(index) = index else { return Ok(None) };
        let v = dict.value_at(index);
        if v.is_some() && globals.version() == gv && self.builtins.version() == bv {
            code.global_cache[i as usize].set(GlobalCache {
                globals: gv,
                builtins,
                index,
            });
        }
        Ok(v)
    }
}

impl<'h> Frame<'h> {
    /// The names dict `LoadName`/`StoreName` use before the globals, when it is not the globals
    /// themselves (a class body). Module code runs with its globals as its
    /// locals: its names go through the globals' cache (a look-up in the locals and then the
    /// same dict again would find the same entry).
    pub(super) fn own_locals(&self) -> Option<&Dict<'h>> {
        self.locals.as_ref().filter(|l| !l.is(&self.globals))
    }
}
