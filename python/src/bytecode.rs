//! The compact bytecode: one `Op` (8 bytes) per instruction, a line number per instruction, and
//! the code object's tables (constants, names, local/cell/free variable names).
//!
//! ```text
//!   CodeData { ops: [LoadFast(0), LoadConst(1), Binary(Add), ReturnValue], lines: [2, 2, 2, 2],
//!              consts: [None, 1] (heap objects), names: ["print"], varnames: ["x"] .. }
//! ```
//!
//! Frames are CPython 3.11's: fast-local slots (`LoadFast`), cells after them, a value stack of
//! handles; exception handlers are a block stack (`SetupExcept` pushes, `PopBlock` pops).

use pyheap_runtime::Member;

/// Binary operators (`+`, `-`, ...), shared by `Binary` and `Inplace`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BinOp {
    Add,
    Sub,
    Mul,
    MatMul,
    TrueDiv,
    FloorDiv,
    Mod,
    Pow,
    LShift,
    RShift,
    And,
    Or,
    Xor,
}

impl BinOp {
    /// The operator's symbol as CPython's messages print it.
    pub fn symbol(self) -> &'static str {
        match self {
            BinOp::Add => "+",
            BinOp::Sub => "-",
            BinOp::Mul => "*",
            BinOp::MatMul => "@",
            BinOp::TrueDiv => "/",
            BinOp::FloorDiv => "//",
            BinOp::Mod => "%",
            BinOp::Pow => "** or pow()",
            BinOp::LShift => "<<",
            BinOp::RShift => ">>",
            BinOp::And => "&",
            BinOp::Or => "|",
            BinOp::Xor => "^",
        }
    }
    /// `(__op__, __rop__, __iop__)`.
    pub fn dunders(self) -> (&'static str, &'static str, &'static str) {
        match self {
            BinOp::Add => ("__add__", "__radd__", "__iadd__"),
            BinOp::Sub => ("__sub__", "__rsub__", "__isub__"),
            BinOp::Mul => ("__mul__", "__rmul__", "__imul__"),
            BinOp::MatMul => ("__matmul__", "__rmatmul__", "__imatmul__"),
            BinOp::TrueDiv => ("__truediv__", "__rtruediv__", "__itruediv__"),
            BinOp::FloorDiv => ("__floordiv__", "__rfloordiv__", "__ifloordiv__"),
            BinOp::Mod => ("__mod__", "__rmod__", "__imod__"),
            BinOp::Pow => ("__pow__", "__rpow__", "__ipow__"),
            BinOp::LShift => ("__lshift__", "__rlshift__", "__ilshift__"),
            BinOp::RShift => ("__rshift__", "__rrshift__", "__irshift__"),
            BinOp::And => ("__and__", "__rand__", "__iand__"),
            BinOp::Or => ("__or__", "__ror__", "__ior__"),
            BinOp::Xor => ("__xor__", "__rxor__", "__ixor__"),
        }
    }
}

/// Rich comparisons.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CmpOp {
    Lt,
    Le,
    Eq,
    Ne,
    Gt,
    Ge,
}

impl CmpOp {
    pub fn symbol(self) -> &'static str {
        match self {
            CmpOp::Lt => "<",
            CmpOp::Le => "<=",
            CmpOp::Eq => "==",
            CmpOp::Ne => "!=",
            CmpOp::Gt => ">",
            CmpOp::Ge => ">=",
        }
    }
    /// Whether `a op b` holds for values ordered as `o`.
    pub fn holds(self, o: std::cmp::Ordering) -> bool {
        match self {
            CmpOp::Lt => o.is_lt(),
            CmpOp::Le => o.is_le(),
            CmpOp::Eq => o.is_eq(),
            CmpOp::Ne => o.is_ne(),
            CmpOp::Gt => o.is_gt(),
            CmpOp::Ge => o.is_ge(),
        }
    }
    /// `(__op__, reflected __op__)`.
    pub fn dunders(self) -> (&'static str, &'static str) {
        match self {
            CmpOp::Lt => ("__lt__", "__gt__"),
            CmpOp::Le => ("__le__", "__ge__"),
            CmpOp::Eq => ("__eq__", "__eq__"),
            CmpOp::Ne => ("__ne__", "__ne__"),
            CmpOp::Gt => ("__gt__", "__lt__"),
            CmpOp::Ge => ("__ge__", "__le__"),
        }
    }
    pub fn swapped(self) -> CmpOp {
        match self {
            CmpOp::Lt => CmpOp::Gt,
            CmpOp::Le => CmpOp::Ge,
            CmpOp::Gt => CmpOp::Lt,
            CmpOp::Ge => CmpOp::Le,
            o => o,
        }
    }
}

/// Unary operators.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum UnOp {
    Neg,
    Pos,
    Invert,
    Not,
}

/// One instruction. Jump targets are instruction indices.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Op {
    Pop,
    /// Push a copy of the item `n` deep (1 = top).
    Copy(u32),
    /// Swap the top with the item `n` deep (2 = second).
    Swap(u32),
    LoadConst(u32),
    LoadFast(u32),
    StoreFast(u32),
    DeleteFast(u32),
    /// Cells and free variables, indexed after the fast locals' cell table.
    LoadDeref(u32),
    StoreDeref(u32),
    DeleteDeref(u32),
    /// Push the cell object itself (to build a closure).
    LoadClosure(u32),
    LoadGlobal(u32),
    StoreGlobal(u32),
    DeleteGlobal(u32),
    LoadName(u32),
    StoreName(u32),
    DeleteName(u32),
    LoadAttr(u32),
    StoreAttr(u32),
    DeleteAttr(u32),
    /// Push `[method, self]` or `[NULL-marker, bound]` for `CallMethod`.
    LoadMethod(u32),
    CallMethod(u32),
    Subscr,
    StoreSubscr,
    DeleteSubscr,
    Binary(BinOp),
    Inplace(BinOp),
    Unary(UnOp),
    Compare(CmpOp),
    Is(bool),
    In(bool),
    Jump(u32),
    PopJumpIfFalse(u32),
    PopJumpIfTrue(u32),
    JumpIfFalseOrPop(u32),
    JumpIfTrueOrPop(u32),
    GetIter,
    /// Next item, or pop the iterator and jump.
    ForIter(u32),
    BuildTuple(u32),
    BuildList(u32),
    BuildSet(u32),
    BuildMap(u32),
    BuildSlice(u32),
    BuildString(u32),
    /// Append TOS to the list `n` deep (after popping TOS).
    ListAppend(u32),
    SetAdd(u32),
    MapAdd(u32),
    ListExtend(u32),
    SetUpdate(u32),
    DictUpdate(u32),
    ListToTuple,
    UnpackSequence(u32),
    /// `a, *b, c = ..`: (before, after).
    UnpackEx(u32, u32),
    /// Positional call with n args: [func, args..].
    Call(u32),
    /// [func, args.., kwnames tuple]: n = positional + keyword values.
    CallKw(u32),
    /// [func, args tuple, kwargs dict or None].
    CallEx,
    /// Flags: 1 defaults tuple, 2 kw defaults dict, 8 closure tuple; code on top.
    MakeFunction(u32),
    ReturnValue,
    YieldValue,
    /// `yield from`: `[iter, value]` → sends until exhausted, result on the stack.
    YieldFrom,
    /// Push the handler block (target, current stack depth).
    SetupExcept(u32),
    PopBlock,
    /// In a handler: `[exc] → [prev_exc, exc]`, current exception := exc.
    PushExcInfo,
    /// `[prev_exc]` → restore the handled exception.
    PopExcept,
    /// Raise TOS again (keeps its traceback).
    Reraise,
    /// Cleanup of a handler body: `[prev_exc, new_exc]` → restore prev and re-raise new.
    PopExceptReraise,
    /// 0: bare raise, 1: raise exc, 2: raise exc from cause.
    Raise(u32),
    /// `[exc, type] → [exc, bool]`.
    CheckExcMatch,
    /// Push the builtin `__build_class__` helper.
    LoadBuildClass,
    /// `[ctx] → [exit_bound, enter_result]`.
    BeforeWith,
    /// `[exit, exc]` → calls exit(type, exc, tb); pushes whether it suppressed.
    WithExceptStart,
    /// Conversion 0: none (`format(v, spec)`), 1: repr, 2: ascii, 3: str (`!s`); +4 when a
    /// format spec is on top.
    FormatValue(u32),
    ImportName(u32),
    ImportFrom(u32),
    LoadAssertionError,
    /// REPL: print repr of TOS unless None, set builtins._.
    PrintExpr,
    /// `match`: `[v] → [v, bool]`: is v a sequence for a sequence pattern (not str/bytes)?
    MatchSequence,
    /// `match`: `[v] → [v, bool]`: is v a mapping for a mapping pattern?
    MatchMapping,
    /// `match`: `[v] → [v, len(v)]`.
    GetLen,
    /// `match`: `[subject, cls, kw names tuple] → [attrs tuple or None]`, with n positional
    /// sub-patterns (`vm/pattern.rs`).
    MatchClass(u32),
}

/// Where an instruction comes from, as CPython 3.11's location table records it: the node's
/// first and last line (1-based) and its columns (0-based UTF-8 byte offsets within those lines).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Pos {
    pub line: u32,
    pub end_line: u32,
    pub col: u32,
    pub end_col: u32,
}

/// Code flags.
pub mod flags {
    pub const VARARGS: u32 = 1;
    pub const VARKEYWORDS: u32 = 2;
    pub const GENERATOR: u32 = 4;
    /// Module or class body: names go through a locals dict.
    pub const NAMES_IN_DICT: u32 = 8;
}

/// A compiled code block (the payload of a code object).
pub struct CodeData {
    pub name: String,
    pub qualname: String,
    pub filename: std::rc::Rc<str>,
    pub firstlineno: u32,
    pub ops: Vec<Op>,
    pub lines: Vec<u32>,
    /// Per instruction: the source range of the AST node it was compiled from (CPython 3.11's
    /// location table), for the traceback's carets.
    pub positions: Vec<Pos>,
    /// Constants (heap objects: None, ints, floats, strs, tuples, code objects).
    pub consts: Vec<Member>,
    /// Names for global/attribute/dict access: interned strs, and their text.
    pub names: Vec<Member>,
    pub name_strs: Vec<std::rc::Rc<str>>,
    /// Per name: where it was found last in the globals or builtins (`GlobalCache`).
    pub global_cache: Vec<std::cell::Cell<GlobalCache>>,
    /// Per name: the class whose instances last took a plain `StoreAttr` of it (`AttrCache`).
    pub attr_cache: Vec<std::cell::Cell<AttrCache>>,
    /// Per name: the built-in type whose values last took `LoadMethod` of it (`MethodSite`).
    pub method_sites: Vec<std::cell::Cell<MethodSite>>,
    /// Fast locals, parameters first.
    pub varnames: Vec<String>,
    pub cellvars: Vec<String>,
    pub freevars: Vec<String>,
    /// For each cell: the parameter slot it starts from.
    pub cell2arg: Vec<Option<u32>>,
    pub argcount: u32,
    pub posonlyargcount: u32,
    pub kwonlyargcount: u32,
    pub flags: u32,
}

/// The cache of one global name (CPython 3.11's `LOAD_GLOBAL_MODULE`/`_BUILTIN`), shared by
/// `LoadGlobal`, module-level `LoadName` and the stores: the entry index the name had in the
/// globals dict (valid while that entry's key is the name object itself) or, when the globals
/// lacked it, in the builtins dict (valid under the two dict versions it was found under; dict
/// versions are unique across all dicts and states, runtime `dict.rs`, "Versions"). See
/// `vm/names.rs`. Only numbers are kept: no reference count changes.
#[derive(Clone, Copy, Default)]
pub struct GlobalCache {
    /// The globals' version when filled (0: empty cache; versions start at 1).
    pub globals: u64,
    /// The builtins' version when found there, 0 when found in the globals.
    pub builtins: u64,
    pub index: usize,
}

/// `StoreAttr`'s cache for one name (CPython 3.11's `STORE_ATTR_INSTANCE_VALUE` guard): the
/// instance type of the class whose instance last took `o.name = v` as a plain store into its
/// own attributes (no `__setattr__` along the MRO, no property or `__set__` descriptor `name`,
/// not `__dict__`), and the heap's class
/// version then. Valid while both are unchanged: a class attribute set or deleted anywhere
/// bumps the version, and so does the death of a class (its `clear`), so a reused address
/// never matches. See `vm/attr.rs`, `store_attr`. Only numbers: no reference count changes.
#[derive(Clone, Copy, Default)]
pub struct AttrCache {
    /// The address of the class's instance type (`Obj::type_object`); 0: empty.
    pub ty: usize,
    pub class_version: u64,
}

/// `LoadMethod`'s cache for one name on values of a built-in type (CPython 3.11's
/// `LOAD_METHOD` specialised to a type without instance dict): the kind of the value it last
/// found a native method for, and where that method object sits in the interpreter's table
/// (`Ctx::type_methods`, `vm/attr.rs`). A built-in type's methods are fixed (its class rejects
/// attribute stores; subclass instances have kind `Instance` and never match), so the kind and
/// the name decide the method: no version to watch. The table entry repeats the type and the
/// method's name, and a hit checks both, so that a slot read from another interpreter's table
/// cannot give a wrong method. Only numbers: no reference count changes.
#[derive(Clone, Copy, Default)]
pub struct MethodSite {
    /// The receiver's kind (`None`: empty).
    pub kind: Option<pyheap_runtime::Kind>,
    /// The built-in type of that kind, and the method's entry in the table.
    pub ty: Option<crate::vm::Ty>,
    pub slot: u32,
    /// The address of the method table's `&'static` name (what the entry repeats).
    pub name: usize,
}

impl CodeData {
    pub fn is_generator(&self) -> bool {
        self.flags & flags::GENERATOR != 0
    }
}
