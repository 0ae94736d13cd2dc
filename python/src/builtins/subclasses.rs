//! `type.__subclasses__()`: the live direct subclasses of a class, in creation order.
//!
//! Like CPython (whose `tp_subclasses` holds weak references), the registry does not keep a
//! class alive: `Ctx::classes` lists a weak reference to every user class in creation order,
//! and a query keeps the live ones whose `__bases__` name the class. Dead entries are dropped
//! when a class is registered and the list has doubled since the last pruning. Built-in
//! types answer with their user subclasses only (pyheap's built-in types have none of their
//! own).
//!
//! ```text
//!   class A: ...        classes = [wr(A)]
//!   class B(A): ...     classes = [wr(A), wr(B)]      A.__subclasses__() == [B]
//!   del B; collect      wr(B) dead                    A.__subclasses__() == []
//! ```

use crate::vm::{Args, Ctx, PyResult};
use pyheap_runtime::Obj;

pub const TYPE_METHODS: super::Table = table! { "__subclasses__" => type_subclasses };

impl<'h> Ctx<'h> {
    /// Note a new user class for `__subclasses__` (a weak reference only).
    pub fn register_class(&self, cls: &Obj<'h>) -> PyResult<'h, ()> {
        let wr = self.heap.weakref(cls, None)?;
        let mut classes = self.classes.borrow_mut();
        if classes.len() >= 2 * self.classes_pruned.get().max(16) {
            classes.retain(|w| !w.is_dead());
            self.classes_pruned.set(classes.len());
        }
        classes.push(wr);
        Ok(())
    }
}

/// `cls.__subclasses__()`.
fn type_subclasses<'h>(ctx: &Ctx<'h>, a: Args<'_, 'h>) -> PyResult<'h> {
    a.check_method("__subclasses__", 0, 0)?;
    let cls = a.pos[0].as_class()?;
    let live: Vec<Obj<'h>> = ctx
        .classes
        .borrow()
        .iter()
        .filter_map(|w| w.get())
        .collect();
    let subs: Vec<Obj<'h>> = live
        .into_iter()
        .filter(|c| {
            c.as_class()
                .is_ok_and(|c| c.bases().iter().any(|b| b.is(cls)))
        })
        .collect();
    Ok(ctx.heap.list(&subs)?.into_obj())
}
