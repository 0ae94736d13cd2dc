//! A running frame: fast-local slots, cells, a value stack of handles and the handler blocks.
//! Like CPython 3.11's `_PyInterpreterFrame` it is not a heap object while it runs (its handles
//! are roots); a generator's frame moves into the generator (`FrameState`) when it suspends.
//!
//! ```text
//!   fast: [x, y, None ..]   cells: [cell_a, free_b]   stack: [f, arg0, arg1]   blocks: [(handler, depth)]
//! ```

use crate::bytecode::CodeData;
use crate::objects::generator::FrameState;
use pyheap_runtime::{Dict, Heap, Member, Obj};
use std::rc::Rc;

pub struct Frame<'h> {
    pub code: Rc<CodeData>,
    /// The code object (traceback entries point to it).
    pub code_obj: Obj<'h>,
    /// The function (or the code object for module code): keeps globals and code alive.
    pub func: Obj<'h>,
    pub globals: Dict<'h>,
    /// Module and class bodies: the names dict.
    pub locals: Option<Dict<'h>>,
    pub fast: Vec<Option<Obj<'h>>>,
    pub cells: Vec<Obj<'h>>,
    pub stack: Vec<Obj<'h>>,
    pub blocks: Vec<(u32, u32)>,
    pub pc: usize,
}

impl<'h> Frame<'h> {
    pub fn line(&self) -> u32 {
        let i = self
            .pc
            .saturating_sub(1)
            .min(self.code.lines.len().saturating_sub(1));
        self.code
            .lines
            .get(i)
            .copied()
            .unwrap_or(self.code.firstlineno)
    }

    /// Suspend into heap members (no reference count changes overall).
    pub fn into_state(self) -> FrameState {
        FrameState {
            code: self.code,
            func: Member::from_obj(self.func),
            globals: Member::from_obj(self.globals.into_obj()),
            fast: self
                .fast
                .into_iter()
                .map(|o| o.map(Member::from_obj))
                .collect(),
            cells: self.cells.into_iter().map(Member::from_obj).collect(),
            stack: self.stack.into_iter().map(Member::from_obj).collect(),
            blocks: self.blocks,
            pc: self.pc,
        }
    }

    /// Resume a suspended frame.
    pub fn from_state(heap: &'h Heap, s: FrameState, code_obj: Obj<'h>) -> Frame<'h> {
        let get = |m: Member| m.get(heap).expect("generator frame of this heap");
        Frame {
            code: s.code,
            code_obj,
            func: get(s.func),
            globals: get(s.globals).as_dict().expect("globals dict").clone(),
            locals: None,
            fast: s.fast.into_iter().map(|o| o.map(get)).collect(),
            cells: s.cells.into_iter().map(get).collect(),
            stack: s.stack.into_iter().map(get).collect(),
            blocks: s.blocks,
            pc: s.pc,
        }
    }
}
