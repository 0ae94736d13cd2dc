//! Small objects: modules, tracebacks, slices, the `NULL` stack marker.

use pyheap_runtime::{Member, UserType, Visitor};

/// A module: its name and dict.
pub struct Module {
    pub name: String,
    pub dict: Member,
}

impl UserType for Module {
    const NAME: &'static str = "module";
    fn traverse(&self, v: &mut Visitor<'_>) {
        v.visit(&self.dict);
    }
    fn clear(&mut self) {}
    fn repr(&self) -> Option<String> {
        Some(format!("<module '{}' (built-in)>", self.name))
    }
}

/// `X | Y` of types (`types.UnionType`): its members, flattened and without repeats, as a
/// tuple (`None` stands for `NoneType`); `isinstance` and `issubclass` accept it.
pub struct Union {
    pub args: Member,
}

impl UserType for Union {
    const NAME: &'static str = "UnionType";
    fn traverse(&self, v: &mut Visitor<'_>) {
        v.visit(&self.args);
    }
    fn clear(&mut self) {}
}

/// One traceback entry (`tb_next` chain, outermost first): the frame object and where in it
/// the exception passed (`tb_lineno`, and the instruction's source range for the carets).
pub struct Traceback {
    pub next: Option<Member>,
    pub frame: Member,
    pub lineno: u32,
    /// `tb_lasti`: the instruction's index.
    pub lasti: u32,
    pub pos: crate::bytecode::Pos,
}

impl UserType for Traceback {
    const NAME: &'static str = "traceback";
    fn traverse(&self, v: &mut Visitor<'_>) {
        v.visit_opt(&self.next);
        v.visit(&self.frame);
    }
    fn clear(&mut self) {
        self.next = None;
    }
}

/// `slice(start, stop, step)`.
pub struct Slice {
    pub start: Member,
    pub stop: Member,
    pub step: Member,
}

impl UserType for Slice {
    const NAME: &'static str = "slice";
    fn traverse(&self, v: &mut Visitor<'_>) {
        v.visit(&self.start);
        v.visit(&self.stop);
        v.visit(&self.step);
    }
    fn clear(&mut self) {}
}

/// The marker `LoadMethod` pushes where no `self` goes (CPython's NULL).
pub struct Null;

impl UserType for Null {
    const NAME: &'static str = "NULL";
    fn traverse(&self, _: &mut Visitor<'_>) {}
    fn clear(&mut self) {}
}
