//! Generators: a suspended frame kept on the heap. While suspended, every local, cell and
//! stack value of the frame is a member of the generator (traversed, so a generator holding
//! itself through a local is a collectable cycle); while running, the frame is the base frame of
//! an `execute` level, its locals and values in that level's vectors (roots), and the generator
//! holds nothing.
//!
//! A generator has a PEP 442 finalizer (`vm/hook.rs::finalize_generator`): when it dies
//! suspended, by refcounting or in a dead cycle, it is closed first, as CPython closes it.

use crate::bytecode::CodeData;
use pyheap_runtime::{Member, UserType, Visitor};
use std::rc::Rc;

/// A frame's state while its generator is suspended.
pub struct FrameState {
    pub code: Rc<CodeData>,
    pub func: Member,
    pub globals: Member,
    pub fast: Vec<Option<Member>>,
    pub cells: Vec<Member>,
    pub stack: Vec<Member>,
    pub blocks: Vec<(u32, u32)>,
    pub pc: usize,
    /// The frame's frame object, if one was made (`objects/frame.rs`).
    pub frame_obj: Option<Member>,
}

/// A generator object.
pub struct Generator {
    pub frame: Option<FrameState>,
    pub running: bool,
    pub started: bool,
    pub name: String,
    pub qualname: String,
}

impl UserType for Generator {
    const NAME: &'static str = "generator";
    const HAS_FINALIZER: bool = true;
    fn finalize<'h>(heap: &'h pyheap_runtime::Heap, this: &pyheap_runtime::User<'h, Self>) {
        crate::vm::hook::finalize_generator(heap, this.obj());
    }
    fn traverse(&self, v: &mut Visitor<'_>) {
        if let Some(f) = &self.frame {
            v.visit(&f.func);
            v.visit(&f.globals);
            for m in f.fast.iter().flatten() {
                v.visit(m);
            }
            for m in &f.cells {
                v.visit(m);
            }
            for m in &f.stack {
                v.visit(m);
            }
            v.visit_opt(&f.frame_obj);
        }
    }
    fn clear(&mut self) {
        self.frame = None;
    }
}
