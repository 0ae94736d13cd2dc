//! Code objects: an immutable `CodeData` (bytecode + tables) behind an `Rc` so that running
//! frames read it without borrowing the heap object; the constants and names it holds are
//! reported by traverse (they never form cycles, so clear has nothing to do).

use crate::bytecode::CodeData;
use pyheap_runtime::{UserType, Visitor};
use std::rc::Rc;

/// A code object.
pub struct Code {
    pub data: Rc<CodeData>,
}

impl UserType for Code {
    const NAME: &'static str = "code";
    fn traverse(&self, v: &mut Visitor<'_>) {
        for c in &self.data.consts {
            v.visit(c);
        }
    }
    fn clear(&mut self) {}
    fn repr(&self) -> Option<String> {
        Some(format!(
            "<code object {} at 0x{:x}, file \"{}\", line {}>",
            self.data.name,
            Rc::as_ptr(&self.data) as usize,
            self.data.filename,
            self.data.firstlineno
        ))
    }
}
