//! `set` and `frozenset` — adapter until the runtime's own set type lands: the elements are the
//! keys of a heap dict (values None) held as a member, so hashing, equality and traversal are
//! the runtime's. Switching to the runtime's set touches this file and `builtins/set.rs` only.

use pyheap_runtime::{Member, UserType, Visitor};

pub struct PySet {
    pub dict: Member,
    pub frozen: bool,
}

impl UserType for PySet {
    const NAME: &'static str = "set";
    fn traverse(&self, v: &mut Visitor<'_>) {
        v.visit(&self.dict);
    }
    fn clear(&mut self) {}
}
