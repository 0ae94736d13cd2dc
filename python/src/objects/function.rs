//! Callables: Python functions, built-in functions (a Rust fn pointer, optionally bound to a
//! `self`), bound methods, and the `staticmethod`/`classmethod`/`property` wrappers.

use crate::vm::{Args, Ctx, PyResult};
use pyheap_runtime::{Member, UserType, Visitor};

/// A Python function (`def` or `lambda`).
pub struct Function {
    pub code: Member,
    /// The code object's compiled code (it cannot change: `__code__` is read-only here), read
    /// by calls without going through the code object.
    pub data: std::rc::Rc<crate::bytecode::CodeData>,
    pub globals: Member,
    pub name: String,
    pub qualname: String,
    /// Tuple of positional defaults.
    pub defaults: Option<Member>,
    /// Dict of keyword-only defaults.
    pub kwdefaults: Option<Member>,
    /// Tuple of cells.
    pub closure: Option<Member>,
    /// `__dict__` (attributes set on the function), created on first use.
    pub dict: Option<Member>,
    /// `__annotations__`: a dict, set by `def` when it has annotations, else created on first
    /// read.
    pub annotations: Option<Member>,
}

impl UserType for Function {
    const NAME: &'static str = "function";
    fn traverse(&self, v: &mut Visitor<'_>) {
        v.visit(&self.code);
        v.visit(&self.globals);
        v.visit_opt(&self.defaults);
        v.visit_opt(&self.kwdefaults);
        v.visit_opt(&self.closure);
        v.visit_opt(&self.dict);
        v.visit_opt(&self.annotations);
    }
    fn clear(&mut self) {
        self.defaults = None;
        self.kwdefaults = None;
        self.closure = None;
        self.dict = None;
        self.annotations = None;
    }
}

/// The Rust side of a built-in function: `args` excludes the bound self, which comes first
/// when present.
pub type NativeFn = for<'h> fn(&Ctx<'h>, Args<'_, 'h>) -> PyResult<'h>;

/// A built-in function or method.
pub struct Builtin {
    pub name: &'static str,
    pub f: NativeFn,
    /// `obj.method` of a built-in type: the object.
    pub bound: Option<Member>,
    /// A method of a type stored in a class's dict (a slot wrapper, `Ctx::native_method`):
    /// found through an instance, it binds to it; plain built-in functions do not.
    pub method: bool,
    /// Answered by the VM when Python code calls it (`locals()`, `sys._getframe()`, `exec`):
    /// it reads the calling frame (`builtins/introspect.rs`).
    pub reads_frame: bool,
    /// For a method of a built-in type reached through the type (`list.append`): that type,
    /// named by its repr (`<method 'append' of 'list' objects>`).
    pub owner: Option<crate::vm::Ty>,
}

/// CPython's identity hash of an object's address (`object.__hash__`).
fn address_hash(a: usize) -> i64 {
    a.rotate_right(4) as i64
}

/// A bound built-in method hashes and compares by its function and receiver (`l.append ==
/// l.append`, one entry in a set); an unbound one by identity (`ops.rs`'s `same_method`).
impl UserType for Builtin {
    const NAME: &'static str = "builtin_function_or_method";
    const EQ_HASH: pyheap_runtime::EqHash = pyheap_runtime::EqHash::Value;
    fn traverse(&self, v: &mut Visitor<'_>) {
        v.visit_opt(&self.bound);
    }
    fn clear(&mut self) {
        self.bound = None;
    }
    fn py_hash(&self) -> i64 {
        match &self.bound {
            Some(b) => address_hash(b.as_raw().as_ptr() as usize) ^ address_hash(self.f as usize),
            None => address_hash(std::ptr::from_ref(self) as usize),
        }
    }
    fn py_eq(&self, other: &Self) -> bool {
        match (&self.bound, &other.bound) {
            (Some(a), Some(b)) => {
                a.as_raw() == b.as_raw()
                    && std::ptr::fn_addr_eq(self.f, other.f)
                    && self.name == other.name
            }
            _ => std::ptr::eq(self, other),
        }
    }
}

/// A bound method (`obj.f` for a function `f` found on the class).
pub struct Method {
    pub func: Member,
    pub this: Member,
}

/// Bound methods hash and compare by receiver and function identity (`m.f == m.f` though each
/// look-up makes a new object, so `{m.f, m.f}` has one entry), as `ops.rs`'s `same_method`.
impl UserType for Method {
    const NAME: &'static str = "method";
    const EQ_HASH: pyheap_runtime::EqHash = pyheap_runtime::EqHash::Value;
    fn traverse(&self, v: &mut Visitor<'_>) {
        v.visit(&self.func);
        v.visit(&self.this);
    }
    fn clear(&mut self) {}
    fn py_hash(&self) -> i64 {
        address_hash(self.this.as_raw().as_ptr() as usize)
            ^ address_hash(self.func.as_raw().as_ptr() as usize)
    }
    fn py_eq(&self, other: &Self) -> bool {
        self.this.as_raw() == other.this.as_raw() && self.func.as_raw() == other.func.as_raw()
    }
}

/// Which descriptor a [`Wrapper`] is.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum WrapKind {
    StaticMethod,
    ClassMethod,
    Property,
}

/// `staticmethod(f)`, `classmethod(f)`, `property(fget, fset, fdel)`.
pub struct Wrapper {
    pub kind: WrapKind,
    pub f: Option<Member>,
    pub fset: Option<Member>,
    pub fdel: Option<Member>,
}

impl UserType for Wrapper {
    const NAME: &'static str = "descriptor";
    fn traverse(&self, v: &mut Visitor<'_>) {
        v.visit_opt(&self.f);
        v.visit_opt(&self.fset);
        v.visit_opt(&self.fdel);
    }
    fn clear(&mut self) {
        self.f = None;
        self.fset = None;
        self.fdel = None;
    }
}

/// `super(cls, obj)`.
pub struct Super {
    pub cls: Member,
    pub obj: Member,
}

impl UserType for Super {
    const NAME: &'static str = "super";
    fn traverse(&self, v: &mut Visitor<'_>) {
        v.visit(&self.cls);
        v.visit(&self.obj);
    }
    fn clear(&mut self) {}
}
