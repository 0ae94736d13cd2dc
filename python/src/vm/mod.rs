//! The virtual machine: the interpreter context (`Ctx`: builtins, type objects, the handled
//! exception, recursion depth, output), the error type of every operation (`Raise`), and the
//! argument view handed to built-in functions (`Args`).
//!
//! ```text
//!   Ctx ── heap ── builtins dict ── types[Ty] (int, str, list.., exception classes: heap classes)
//!    │                             └ sys.modules dict
//!    └─ depth / recursion limit, stdout buffer, the NULL marker, the handled exception
//!   eval.rs runs frames (frame.rs) · call.rs calls and binds arguments · ops.rs operators ·
//!   attr.rs attributes and the MRO · exceptions.rs exception objects and tracebacks ·
//!   traceback.rs printing tracebacks (source lines, carets) ·
//!   number.rs int/float arithmetic · iter.rs iteration · repr.rs str/repr/format ·
//!   trace.rs the line hook of tools · names.rs global names through the per-name cache
//! ```

pub mod attr;
pub mod call;
pub mod eval;
pub mod exceptions;
mod fast;
pub mod firstuse;
pub mod frame;
pub mod hook;
pub mod iter;
mod names;
pub mod number;
pub mod ops;
mod pattern;
pub mod repr;
pub mod trace;
pub mod traceback;

use crate::objects::misc::Null;
use pyheap_runtime::{Class, Dict, Heap, Obj, RuntimeError, Str};
use std::cell::{Cell, RefCell};
use std::collections::HashMap;
use std::io::Write;

/// The native method objects of built-in types ([`Ctx::type_methods`]): made on first use, then
/// kept, one per (type, method), in slots that `LoadMethod` sites remember
/// (`bytecode::MethodSite`, `vm/attr.rs`).
#[derive(Default)]
pub struct TypeMethods<'h> {
    /// (type, address of the method table's `&'static` name) → slot: one table entry, one
    /// address, so no string is hashed per look-up.
    pub index: HashMap<(Ty, usize), u32, std::hash::BuildHasherDefault<KeyHasher>>,
    /// Per slot: the type, the name's address and the method object.
    pub slots: Vec<(Ty, usize, Obj<'h>)>,
}

/// A hasher for small keys of words (a type tag, an address): a multiply per word instead of
/// SipHash, whose DoS resistance such keys do not need.
#[derive(Default)]
pub struct KeyHasher(u64);

impl std::hash::Hasher for KeyHasher {
    fn finish(&self) -> u64 {
        // The multiply moves an address's entropy up; fold it back into the low bits, which
        // pick the bucket (an aligned address alone would leave them zero).
        self.0 ^ (self.0 >> 32)
    }
    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.write_u64(u64::from(b));
        }
    }
    fn write_u64(&mut self, n: u64) {
        self.0 = (self.0.rotate_left(5) ^ n).wrapping_mul(0x9E37_79B9_7F4A_7C15);
    }
    fn write_usize(&mut self, n: usize) {
        self.write_u64(n as u64);
    }
    fn write_isize(&mut self, n: isize) {
        self.write_u64(n as u64);
    }
}

pub use exceptions::ExcTy;

/// Why an operation failed: a Python exception object, or one still to be created.
pub enum Raise<'h> {
    /// An exception instance.
    Obj(Obj<'h>),
    /// A built-in exception with a message, created when it is caught or printed.
    New(ExcTy, String),
    /// An error of the runtime API (turned into its Python exception).
    Rt(RuntimeError),
}

impl From<RuntimeError> for Raise<'_> {
    fn from(e: RuntimeError) -> Self {
        Raise::Rt(e)
    }
}

impl std::fmt::Debug for Raise<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Raise::Obj(o) => write!(f, "Raise({})", o.type_name()),
            Raise::New(t, m) => write!(f, "Raise({t:?}: {m})"),
            Raise::Rt(e) => write!(f, "Raise({e})"),
        }
    }
}

/// Shorthand for fallible VM operations.
pub type PyResult<'h, T = Obj<'h>> = Result<T, Raise<'h>>;

/// Raise a built-in exception.
pub fn err<'h, T>(ty: ExcTy, msg: impl Into<String>) -> PyResult<'h, T> {
    Err(Raise::New(ty, msg.into()))
}

/// Arguments of a built-in call: positional values (bound self first) and keyword pairs.
#[derive(Clone, Copy)]
pub struct Args<'a, 'h> {
    pub pos: &'a [Obj<'h>],
    pub kw: &'a [(Obj<'h>, Obj<'h>)],
}

impl<'a, 'h> Args<'a, 'h> {
    pub fn len(&self) -> usize {
        self.pos.len()
    }
    pub fn is_empty(&self) -> bool {
        self.pos.is_empty()
    }
    pub fn get(&self, i: usize) -> Option<&'a Obj<'h>> {
        self.pos.get(i)
    }
    /// A keyword argument by name.
    pub fn kwarg(&self, name: &str) -> Option<&'a Obj<'h>> {
        self.kw
            .iter()
            .find(|(k, _)| k.str_value().is_ok_and(|s| s == name))
            .map(|(_, v)| v)
    }
    /// Parameter `i` of built-in `func`, whose parameters in positional order are `names`
    /// (`""` for a positional-only one, such as a method's `self`), given by position or by
    /// keyword. CPython's `TypeError` for an unknown keyword or one also given by position;
    /// messages number the positions from the parameter after the first `first` ones.
    pub fn param(
        &self,
        func: &str,
        names: &[&str],
        i: usize,
        first: usize,
    ) -> PyResult<'h, Option<&'a Obj<'h>>> {
        for (k, _) in self.kw {
            let k = k.str_value()?;
            if k.is_empty() || !names.contains(&k) {
                return err(
                    ExcTy::TypeError,
                    format!("'{k}' is an invalid keyword argument for {func}()"),
                );
            }
        }
        let by_pos = self.pos.get(i);
        let by_kw = self.kwarg(names[i]).filter(|_| !names[i].is_empty());
        if by_pos.is_some() && by_kw.is_some() {
            return err(
                ExcTy::TypeError,
                format!(
                    "argument for {func}() given by name ('{}') and position ({})",
                    names[i],
                    i + 1 - first
                ),
            );
        }
        Ok(by_pos.or(by_kw))
    }
    /// [`Args::check`] for a method whose `self` is `pos[0]`: `min`/`max` count the arguments
    /// after `self`, and so does the message (`get expected at least 1 argument, got 0`).
    /// The count is tested inline; only a wrong one leaves the caller (its message is built
    /// out of line).
    #[inline(always)]
    pub fn check_method(&self, name: &str, min: usize, max: usize) -> PyResult<'h, ()> {
        let n = self.pos.len().saturating_sub(1);
        if min <= n && n <= max {
            return Ok(());
        }
        self.method_arity_error(name, min, max)
    }

    /// [`Args::check_method`]'s error.
    #[cold]
    #[inline(never)]
    fn method_arity_error(&self, name: &str, min: usize, max: usize) -> PyResult<'h, ()> {
        let rest = Args {
            pos: self.pos.get(1..).unwrap_or(&[]),
            kw: self.kw,
        };
        // Methods of a fixed arity name their type, as CPython's METH_O / METH_NOARGS do
        // (`list.extend() takes exactly one argument (0 given)`).
        match self.pos.first() {
            Some(this) if min == max && min <= 1 && !name.contains('.') => {
                rest.check(&format!("{}.{name}", this.type_name()), min, max)
            }
            _ => rest.check(name, min, max),
        }
    }

    /// Error unless `min..=max` positional arguments and no unknown keywords.
    #[inline(always)]
    pub fn check(&self, name: &str, min: usize, max: usize) -> PyResult<'h, ()> {
        let n = self.pos.len();
        if min <= n && n <= max {
            return Ok(());
        }
        self.arity_error(name, min, max)
    }

    /// [`Args::check`]'s error.
    #[cold]
    #[inline(never)]
    fn arity_error(&self, name: &str, min: usize, max: usize) -> PyResult<'h, ()> {
        let n = self.pos.len();
        let msg = if min == max {
            match min {
                0 => format!("{name}() takes no arguments ({n} given)"),
                1 => format!("{name}() takes exactly one argument ({n} given)"),
                _ => format!("{name} expected {min} arguments, got {n}"),
            }
        } else if n < min {
            format!(
                "{name} expected at least {min} argument{}, got {n}",
                plural(min)
            )
        } else {
            format!(
                "{name} expected at most {max} argument{}, got {n}",
                plural(max)
            )
        };
        err(ExcTy::TypeError, msg)
    }
}

fn plural(n: usize) -> &'static str {
    if n == 1 { "" } else { "s" }
}

/// Built-in types visible to Python (each a heap class object).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[repr(u8)]
pub enum Ty {
    Object,
    Type,
    NoneType,
    Int,
    Bool,
    Float,
    Str,
    Tuple,
    List,
    Dict,
    Set,
    FrozenSet,
    Function,
    Builtin,
    Method,
    Code,
    Module,
    Generator,
    Range,
    Iterator,
    Slice,
    Cell,
    WeakRef,
    StaticMethod,
    ClassMethod,
    Property,
    Super,
    Traceback,
    NotImplementedType,
    Ellipsis,
    Bytes,
    Frame,
    DictKeys,
    DictValues,
    DictItems,
    MemberDescriptor,
    GetSetDescriptor,
}

impl Ty {
    pub const ALL: [Ty; 37] = [
        Ty::Object,
        Ty::Type,
        Ty::NoneType,
        Ty::Int,
        Ty::Bool,
        Ty::Float,
        Ty::Str,
        Ty::Tuple,
        Ty::List,
        Ty::Dict,
        Ty::Set,
        Ty::FrozenSet,
        Ty::Function,
        Ty::Builtin,
        Ty::Method,
        Ty::Code,
        Ty::Module,
        Ty::Generator,
        Ty::Range,
        Ty::Iterator,
        Ty::Slice,
        Ty::Cell,
        Ty::WeakRef,
        Ty::StaticMethod,
        Ty::ClassMethod,
        Ty::Property,
        Ty::Super,
        Ty::Traceback,
        Ty::NotImplementedType,
        Ty::Ellipsis,
        Ty::Bytes,
        Ty::Frame,
        Ty::DictKeys,
        Ty::DictValues,
        Ty::DictItems,
        Ty::MemberDescriptor,
        Ty::GetSetDescriptor,
    ];
    pub fn name(self) -> &'static str {
        match self {
            Ty::Object => "object",
            Ty::Type => "type",
            Ty::NoneType => "NoneType",
            Ty::Bool => "bool",
            Ty::Int => "int",
            Ty::Float => "float",
            Ty::Str => "str",
            Ty::Tuple => "tuple",
            Ty::List => "list",
            Ty::Dict => "dict",
            Ty::Set => "set",
            Ty::FrozenSet => "frozenset",
            Ty::Function => "function",
            Ty::Builtin => "builtin_function_or_method",
            Ty::Method => "method",
            Ty::Code => "code",
            Ty::Module => "module",
            Ty::Generator => "generator",
            Ty::Range => "range",
            Ty::Iterator => "iterator",
            Ty::Slice => "slice",
            Ty::Cell => "cell",
            Ty::WeakRef => "weakref",
            Ty::StaticMethod => "staticmethod",
            Ty::ClassMethod => "classmethod",
            Ty::Property => "property",
            Ty::Super => "super",
            Ty::Traceback => "traceback",
            Ty::NotImplementedType => "NotImplementedType",
            Ty::Ellipsis => "ellipsis",
            Ty::Bytes => "bytes",
            Ty::Frame => "frame",
            Ty::DictKeys => "dict_keys",
            Ty::DictValues => "dict_values",
            Ty::DictItems => "dict_items",
            Ty::MemberDescriptor => "member_descriptor",
            Ty::GetSetDescriptor => "getset_descriptor",
        }
    }
}

/// The interpreter's state (CPython's interpreter + thread state, reduced).
pub struct Ctx<'h> {
    pub heap: &'h Heap,
    pub builtins: Dict<'h>,
    pub modules: Dict<'h>,
    pub types: Vec<Class<'h>>,
    pub exc_types: Vec<Class<'h>>,
    /// Class object address → built-in type (asked at every `cls(...)` call).
    pub builtin_of: HashMap<usize, Ty, std::hash::BuildHasherDefault<KeyHasher>>,
    /// Classes whose `cls(...)` may push their `__init__` frame (`Ctx::plain_init`), by class
    /// address, with the heap's class version they were checked at (no references held).
    pub plain_classes: RefCell<HashMap<usize, u64, std::hash::BuildHasherDefault<KeyHasher>>>,
    /// The iterator types by name (`list_iterator`, `enumerate`, `itertools.count` ...): what
    /// `type()` answers for an iterator; each is a `Ty::Iterator` for method look-up.
    pub iter_types: Vec<(&'static str, Class<'h>)>,
    /// The exception being handled (`sys.exc_info()`), for bare `raise` and `__context__`.
    pub handled: RefCell<Option<Obj<'h>>>,
    pub depth: Cell<u32>,
    pub recursion_limit: Cell<u32>,
    pub null: Obj<'h>,
    pub not_implemented: Obj<'h>,
    pub ellipsis: Obj<'h>,
    pub out: RefCell<std::io::BufWriter<std::io::Stdout>>,
    pub argv: Vec<String>,
    /// Source text per file name (traceback lines).
    pub sources: RefCell<HashMap<String, std::rc::Rc<str>>>,
    /// Objects being repr'd (for `[...]`).
    pub repr_stack: RefCell<Vec<usize>>,
    /// Native methods of built-in types, one object per (type, method) ([`TypeMethods`]).
    pub type_methods: RefCell<TypeMethods<'h>>,
    /// The stack address where the VM started (Rust stack guard).
    pub stack_base: Cell<usize>,
    pub stack_budget: Cell<usize>,
    /// `gc.garbage`: the list the collector's garbage is moved into after each collection.
    pub gc_garbage: RefCell<Option<Obj<'h>>>,
    /// `atexit`'s registered callbacks, `(func, args, kwargs)` tuples (`modules/atexit.rs`).
    pub atexit: RefCell<Option<pyheap_runtime::List<'h>>>,
    /// Whether the exceptions' larger Python half (OSError, the Unicode errors, exception
    /// groups) has been defined: at the first call of an exception class, not at start-up.
    pub exception_extras: Cell<bool>,
    /// Objects CPython makes on first use and keeps for the life of the process (print's
    /// keyword-name tuple, the repr guard's list), by what made them (`vm/firstuse.rs`).
    pub first_use: RefCell<Vec<(&'static str, Obj<'h>)>>,
    /// The line hook of tools (`trace.rs`).
    pub line_hook: trace::LineHookSlot<'h>,
    /// The `random` module's generator.
    pub random: RefCell<crate::modules::random::Mt>,
    /// Spare vectors of finished frames (`call.rs`).
    pub frame_pool: RefCell<call::FramePool<'h>>,
    /// `f_back` across `execute` levels (`frame.rs`): the running level's id and its parent's.
    pub level: Cell<(u64, u64)>,
    pub levels_made: Cell<u64>,
    /// Frame objects of levels' base frames still waiting for `f_back`, by the id of the level
    /// whose running frame it is.
    pub unlinked: RefCell<Vec<(u64, Obj<'h>)>>,
    /// `unlinked.len()`, read on every call and return.
    pub unlinked_n: Cell<usize>,
    /// Weak references to the user classes, in creation order (`builtins::subclasses`), and
    /// how many were live at the last pruning.
    pub classes: RefCell<Vec<pyheap_runtime::WeakRef<'h>>>,
    pub classes_pruned: Cell<usize>,
}

impl<'h> Ctx<'h> {
    pub fn ty(&self, t: Ty) -> &Class<'h> {
        &self.types[t as usize]
    }
    pub fn exc(&self, t: ExcTy) -> &Class<'h> {
        &self.exc_types[t as usize]
    }
    pub fn intern(&self, s: &str) -> PyResult<'h, Str<'h>> {
        Ok(self.heap.intern(s)?)
    }
    pub fn str(&self, s: &str) -> PyResult<'h> {
        Ok(self.heap.str(s)?.into_obj())
    }
    pub fn int(&self, v: i64) -> PyResult<'h> {
        Ok(self.heap.int(v)?)
    }
    pub fn none(&self) -> Obj<'h> {
        self.heap.none()
    }
    pub fn bool(&self, b: bool) -> Obj<'h> {
        self.heap.bool(b)
    }
    /// Write to stdout (buffered; flushed before anything goes to stderr and at exit).
    pub fn write_out(&self, s: &str) {
        let _ = self.out.borrow_mut().write_all(s.as_bytes());
    }
    pub fn flush(&self) {
        let _ = self.out.borrow_mut().flush();
    }
    pub fn write_err(&self, s: &str) {
        self.flush();
        let _ = std::io::stderr().write_all(s.as_bytes());
    }
    /// Is `o` the NULL stack marker?
    pub fn is_null(&self, o: &Obj<'h>) -> bool {
        o.is(&self.null)
    }
    pub(crate) fn null_marker(heap: &'h Heap) -> PyResult<'h> {
        Ok(heap.new_user(Null)?.into_obj())
    }
}
