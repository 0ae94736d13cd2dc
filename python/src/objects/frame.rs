//! Frame objects (`tb.tb_frame`, `sys._getframe()`, CPython's `PyFrameObject`): the heap face of
//! a frame, made lazily — when a traceback entry or `sys._getframe` needs one, or as the `f_back`
//! of one made (`vm/frame.rs`) — where CPython 3.11 materialises them.
//!
//! ```text
//!   running frame (vm/frame.rs, Rust stack) ──frame_obj──▶ FrameObject { code, globals, owned: None }
//!        │ returns / unwinds: is the object shared (refcount > 1)?
//!        ├─ no:  dropped with the frame
//!        └─ yes: "take ownership" (CPython's take_ownership): the function, fast locals and cells
//!                move into `owned`, and `back` links the caller's frame object
//! ```
//!
//! While its frame runs, the object holds no locals (they are the running frame's roots, as
//! CPython's frame object does not traverse a frame owned by the thread), so the object can never
//! point into a frame that is gone; only `snapshot`, a dict `sys._getframe` filled with copies of
//! the handles (CPython 3.11 caches its `f_locals` dict the same way), and `back`. After
//! ownership every reference it holds is a traversed [`Member`], so
//! `exc → traceback → frame → locals → exc` is a cycle the collector finds.

use pyheap_runtime::{Member, UserType, Visitor};

/// What a finished frame left to its frame object.
pub struct Owned {
    /// The function (or the code object for module code).
    pub func: Member,
    pub fast: Vec<Option<Member>>,
    pub cells: Vec<Member>,
}

/// A frame object.
pub struct FrameObject {
    pub code: Member,
    pub globals: Member,
    /// Module and class bodies: the names dict.
    pub locals: Option<Member>,
    /// `f_back`: set when the frame finishes while the object is shared.
    pub back: Option<Member>,
    /// `f_lineno` as of the frame's last step seen (creation, ownership).
    pub lineno: u32,
    /// Set when the frame finished (the object then owns the locals).
    pub owned: Option<Owned>,
    /// `f_locals` of a running function frame as `sys._getframe` last saw them.
    pub snapshot: Option<Member>,
}

impl UserType for FrameObject {
    const NAME: &'static str = "frame";
    const WEAKREFABLE: bool = false;
    fn traverse(&self, v: &mut Visitor<'_>) {
        v.visit_opt(&self.back);
        v.visit(&self.code);
        v.visit(&self.globals);
        v.visit_opt(&self.locals);
        v.visit_opt(&self.snapshot);
        if let Some(o) = &self.owned {
            v.visit(&o.func);
            for m in o.fast.iter().flatten() {
                v.visit(m);
            }
            for m in &o.cells {
                v.visit(m);
            }
        }
    }
    fn clear(&mut self) {
        // CPython's frame_tp_clear drops the locals; the rest goes with the object.
        self.owned = None;
        self.locals = None;
        self.back = None;
        self.snapshot = None;
    }
}
