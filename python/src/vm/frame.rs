//! A running frame: a small record (code, function, globals, cells, handler blocks, `pc`) and
//! a window on its `execute` level's two shared vectors, as CPython 3.11's
//! `_PyInterpreterFrame` is a window on its thread's data stack: the level's `fast` holds the
//! fast locals of all its frames one after the other, its `stack` their value stacks (a frame's
//! starts where its caller's top was when the call was made: the callee's arguments are popped
//! from there into the callee's fast locals). A call pushes a record and grows the two
//! vectors; a return truncates them. No per-frame vectors, nothing pooled per call. The
//! window's handles are roots while the frame runs; a generator's frame, always the base frame
//! of its level (windows at 0), leaves with the level's vectors when it suspends
//! ([`Detached`], then `FrameState` in the generator). Its frame object (`objects/frame.rs`) is
//! made on demand (`Ctx::frame_object`) and, when the frame finishes while the object is still
//! referenced, takes over the locals (`Ctx::retire_frame`).
//!
//! `f_back`: a frame object made for a traceback or `sys._getframe` is linked to its caller's
//! (made too), down the frames of its `execute` level (`Ctx::linked_frame_object`). The caller
//! of a level's base frame is the running frame of the level that entered it, which lives in
//! that level's `Vec` and cannot be read from here: the base frame's object waits in
//! `Ctx::unlinked` under the outer level's id and is linked by the outer level before its top
//! frame next changes (`Ctx::link_unlinked`, on every push, pop and unwinding step), when the
//! top is still the frame that entered the nested level.
//!
//! ```text
//!   level: frames [<module>, g, h]
//!          fast   [ ..module: none.. | g: x, y | h: a, None ]      (fast_base: 0, 0, 2)
//!          stack  [ g's values .. | h's values .. ]                (stack_base: 0, 0, k)
//!          frame record: code, func, globals, cells, blocks: [(handler, depth)], pc, frame_obj
//!   level 1 frames: [<module>, caller]   level 2 (caller's `del a` → __del__): [__del__, grab]
//!     grab.f_back = __del__ (same level);  __del__.f_back: waits in unlinked[(1, obj)] until level 1
//!     pushes or pops next, then = caller's frame object
//! ```
//!
//! Handler blocks record absolute depths of the level's `stack` (a generator's frame is at 0 in
//! every level it runs in, so its depths stay right when it moves).

use super::{Ctx, PyResult};
use crate::bytecode::{CodeData, Pos};
use crate::objects::frame::{FrameObject, Owned};
use crate::objects::function::Function;
use crate::objects::generator::FrameState;
use pyheap_runtime::{Dict, Heap, Member, Obj};
use std::rc::Rc;

pub struct Frame<'h> {
    pub code: Rc<CodeData>,
    /// The function (or the code object for module code): keeps globals and code alive, and
    /// names the code object (`Frame::code_obj`: `__code__` cannot be reassigned).
    pub func: Obj<'h>,
    pub globals: Dict<'h>,
    /// Module and class bodies: the names dict.
    pub locals: Option<Dict<'h>>,
    pub cells: Vec<Obj<'h>>,
    pub blocks: Vec<(u32, u32)>,
    pub pc: usize,
    /// Where this frame's fast locals start in its level's `fast`.
    pub fast_base: usize,
    /// Where this frame's value stack starts in its level's `stack`.
    pub stack_base: usize,
    /// The frame object, once something asked for it.
    pub frame_obj: Option<Obj<'h>>,
    /// The `__init__` frame of a `cls(..)` call the VM pushed (`Ctx::push_simple`): its return
    /// value must be None and is not pushed (the instance already is).
    pub init: bool,
}

/// A frame outside any level, with its own fast locals and value stack (its windows at 0): a
/// new frame about to run, or a finished or suspended one. A level starts with one as its base
/// frame, its vectors becoming the level's.
pub struct Detached<'h> {
    pub frame: Frame<'h>,
    pub fast: Vec<Option<Obj<'h>>>,
    pub stack: Vec<Obj<'h>>,
}

/// The frames of one `execute` level and the two vectors their windows are on.
pub(crate) struct Level<'h> {
    pub frames: Vec<Frame<'h>>,
    pub fast: Vec<Option<Obj<'h>>>,
    pub stack: Vec<Obj<'h>>,
}

impl<'h> Level<'h> {
    /// The fast locals of `frames[i]`.
    pub fn fast_of(&self, i: usize) -> &[Option<Obj<'h>>] {
        let end = self
            .frames
            .get(i + 1)
            .map_or(self.fast.len(), |g| g.fast_base);
        &self.fast[self.frames[i].fast_base..end]
    }
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

    /// The instruction that ran last (the one raising, or the call in progress) and its source
    /// range.
    pub fn last_pos(&self) -> (u32, Pos) {
        let i = self.pc.saturating_sub(1);
        let pos = self.code.positions.get(i).copied().unwrap_or(Pos {
            line: self.line(),
            end_line: self.line(),
            col: 0,
            end_col: 0,
        });
        (i as u32, pos)
    }

    /// The code object (what traceback entries and frame objects point to): the function's,
    /// or `func` itself for module and class-body code.
    pub fn code_obj(&self, heap: &'h Heap) -> PyResult<'h> {
        match self.func.downcast_user::<Function>() {
            Some(f) => Ok(f.borrow()?.code.get(heap)?),
            None => Ok(self.func.clone()),
        }
    }
}

impl<'h> Detached<'h> {
    /// Suspend into heap members (no reference count changes overall).
    pub fn into_state(self) -> FrameState {
        let Detached { frame, fast, stack } = self;
        FrameState {
            code: frame.code,
            func: Member::from_obj(frame.func),
            globals: Member::from_obj(frame.globals.into_obj()),
            fast: fast.into_iter().map(|o| o.map(Member::from_obj)).collect(),
            cells: frame.cells.into_iter().map(Member::from_obj).collect(),
            stack: stack.into_iter().map(Member::from_obj).collect(),
            blocks: frame.blocks,
            pc: frame.pc,
            frame_obj: frame.frame_obj.map(Member::from_obj),
        }
    }

    /// Resume a suspended frame.
    pub fn from_state(heap: &'h Heap, s: FrameState) -> Detached<'h> {
        let get = |m: Member| m.get(heap).expect("generator frame of this heap");
        Detached {
            frame: Frame {
                code: s.code,
                func: get(s.func),
                globals: get(s.globals).as_dict().expect("globals dict").clone(),
                locals: None,
                cells: s.cells.into_iter().map(get).collect(),
                blocks: s.blocks,
                pc: s.pc,
                fast_base: 0,
                stack_base: 0,
                frame_obj: s.frame_obj.map(get),
                init: false,
            },
            fast: s.fast.into_iter().map(|o| o.map(get)).collect(),
            stack: s.stack.into_iter().map(get).collect(),
        }
    }
}

impl<'h> Ctx<'h> {
    /// The frame object of `f` (made on first use, as `_PyFrame_GetFrameObject`).
    pub fn frame_object(&self, f: &mut Frame<'h>) -> PyResult<'h> {
        if let Some(o) = &f.frame_obj {
            return Ok(o.clone());
        }
        let code = f.code_obj(self.heap)?;
        let o = self
            .heap
            .new_user(FrameObject {
                code: Member::from_obj(code),
                globals: Member::new(&f.globals),
                locals: f.locals.as_ref().map(Member::new),
                back: None,
                lineno: f.line(),
                owned: None,
                snapshot: None,
            })?
            .into_obj();
        f.frame_obj = Some(o.clone());
        Ok(o)
    }

    /// The frame object of `frames[i]`, with `f_back` made for it and for the frames below it in
    /// this `execute` level (each caller's frame object, as `PyFrame_GetBack` gives). The base
    /// frame's caller is the running frame of the level that entered this one, not reachable
    /// from here: the base frame's object waits in `unlinked` until that level runs on
    /// ([`Ctx::link_unlinked`]).
    pub(crate) fn linked_frame_object(&self, frames: &mut [Frame<'h>], i: usize) -> PyResult<'h> {
        let fo = self.frame_object(&mut frames[i])?;
        let mut cur = fo.clone();
        let mut j = i;
        loop {
            let u = cur.as_user::<FrameObject>()?;
            if u.borrow()?.back.is_some() {
                break;
            }
            if j == 0 {
                self.wait_for_back(&cur);
                break;
            }
            j -= 1;
            let back = self.frame_object(&mut frames[j])?;
            u.borrow_mut()?.back = Some(Member::new(&back));
            cur = back;
        }
        Ok(fo)
    }

    /// `fo` (a level's base frame's object) gets the parent level's running frame as `f_back`
    /// when that level runs on. The outermost level has no parent.
    fn wait_for_back(&self, fo: &Obj<'h>) {
        let (_, parent) = self.level.get();
        if parent == 0 {
            return;
        }
        let Ok(mut u) = self.unlinked.try_borrow_mut() else {
            return;
        };
        if !u.iter().any(|(_, o)| o.is(fo)) {
            u.push((parent, fo.clone()));
        }
        self.unlinked_n.set(u.len());
    }

    /// Link the frame objects waiting for this level's running frame (the top of `frames`:
    /// called before the top changes, so it is the frame that entered the nested levels).
    #[inline]
    pub(crate) fn link_unlinked(&self, frames: &mut [Frame<'h>]) {
        if self.unlinked_n.get() != 0 {
            self.link_unlinked_now(frames);
        }
    }

    #[inline(never)]
    fn link_unlinked_now(&self, frames: &mut [Frame<'h>]) {
        let me = self.level.get().0;
        let mine: Vec<Obj<'h>> = {
            let Ok(mut u) = self.unlinked.try_borrow_mut() else {
                return;
            };
            if u.is_empty() {
                return;
            }
            let mut mine = vec![];
            u.retain(|(l, o)| {
                if *l == me {
                    mine.push(o.clone());
                }
                *l != me
            });
            self.unlinked_n.set(u.len());
            mine
        };
        if mine.is_empty() || frames.is_empty() {
            return;
        }
        let Ok(back) = self.linked_frame_object(frames, frames.len() - 1) else {
            return;
        };
        for o in mine {
            if let Ok(u) = o.as_user::<FrameObject>()
                && let Ok(mut b) = u.borrow_mut()
                && b.back.is_none()
            {
                b.back = Some(Member::new(&back));
            }
        }
    }

    /// Enter a new `execute` level: its id, with the running level as parent. Returns the
    /// ids to restore with [`Ctx::leave_level`].
    pub(crate) fn enter_level(&self) -> (u64, u64) {
        let saved = self.level.get();
        let me = self.levels_made.get() + 1;
        self.levels_made.set(me);
        self.level.set((me, saved.0));
        saved
    }

    pub(crate) fn leave_level(&self, saved: (u64, u64)) {
        let me = self.level.get().0;
        // Nothing of this level can be linked any more (its frames are gone).
        if self.unlinked_n.get() != 0
            && let Ok(mut u) = self.unlinked.try_borrow_mut()
        {
            let (gone, keep): (Vec<_>, Vec<_>) = std::mem::take(&mut *u)
                .into_iter()
                .partition(|(l, _)| *l == me);
            *u = keep;
            self.unlinked_n.set(u.len());
            drop(u);
            // Dropped with the list released: freeing a frame object can run `__del__`.
            drop(gone);
        }
        self.level.set(saved);
    }

    /// A frame is done (returned, or unwound by an exception; `fast` its fast locals). If its
    /// frame object outlives it (a traceback holds it), the object takes the function, locals
    /// and cells over and links `back()` (the caller's frame object; None for a level's base frame, which waits for the
    /// parent level's, [`Ctx::wait_for_back`]) as `f_back` (CPython's `take_ownership`);
    /// otherwise everything goes with the frame.
    #[inline]
    pub fn retire_frame(
        &self,
        f: &mut Frame<'h>,
        fast: &mut [Option<Obj<'h>>],
        back: impl FnOnce(&Self) -> Option<Obj<'h>>,
    ) {
        if f.frame_obj.is_some() {
            self.retire_frame_object(f, fast, back);
        }
    }

    fn retire_frame_object(
        &self,
        f: &mut Frame<'h>,
        fast: &mut [Option<Obj<'h>>],
        back: impl FnOnce(&Self) -> Option<Obj<'h>>,
    ) {
        let Some(fo) = f.frame_obj.take() else { return };
        // Shared: someone besides this frame holds it (getrefcount counts its argument too).
        if self.heap.getrefcount(&fo) <= 2 {
            return;
        }
        let Ok(u) = fo.as_user::<FrameObject>() else {
            return;
        };
        let needs_back = u.borrow().is_ok_and(|b| b.back.is_none());
        let back = if needs_back { back(self) } else { None };
        if needs_back && back.is_none() {
            self.wait_for_back(&fo);
        }
        let Ok(mut b) = u.borrow_mut() else { return };
        b.lineno = f.line();
        // Dropped after the borrow ends (freeing the dict can run `__del__`).
        let old_snapshot = b.snapshot.take();
        if b.back.is_none() {
            b.back = back.map(Member::from_obj);
        }
        b.owned = Some(Owned {
            func: Member::from_obj(f.func.clone()),
            fast: fast
                .iter_mut()
                .map(|o| o.take().map(Member::from_obj))
                .collect(),
            cells: std::mem::take(&mut f.cells)
                .into_iter()
                .map(Member::from_obj)
                .collect(),
        });
        drop(b);
        drop(old_snapshot);
    }
}
