//! The special methods of built-in types as attributes: `object.__setattr__`, `int.__add__`,
//! `[].__len__()`, `super().__eq__(other)`, `object.__new__(cls)`.
//!
//! Operators never look these up: the VM dispatches built-in values on their kind (`ops.rs`,
//! `number.rs`) and instances on their class's own dunders. These natives exist for Python code
//! that names a special method, and each one runs the built-in behaviour only, as CPython's
//! slot wrappers do: `(1).__add__(2.5)` is `NotImplemented` (int does not add floats; float's
//! `__radd__` does), `object.__setattr__(self, k, v)` stores without calling the class's own
//! `__setattr__`, `object.__getattribute__` never falls back to `__getattr__`.
//!
//! ```text
//!   find(Ty::Int, "__add__")  ─▶ the type's table (arithmetic, comparisons, protocol)
//!                             └▶ object's table (__new__ __init__ __setattr__ __eq__ __repr__ ...)
//! ```
//!
//! Natives are plain `fn` pointers, so one const-generic body per operator family serves every
//! operator (`binary::<OP, REFLECTED>`), the operator chosen by its index in [`BINOPS`].

use crate::bytecode::{BinOp, CmpOp};
use crate::objects::function::NativeFn;
use crate::vm::{Args, Ctx, ExcTy, PyResult, Ty, err};
use pyheap_runtime::{Kind, Obj};

/// Every binary operator, in the order the const parameter of [`binary`] indexes.
const BINOPS: [BinOp; 13] = [
    BinOp::Add,
    BinOp::Sub,
    BinOp::Mul,
    BinOp::MatMul,
    BinOp::TrueDiv,
    BinOp::FloorDiv,
    BinOp::Mod,
    BinOp::Pow,
    BinOp::LShift,
    BinOp::RShift,
    BinOp::And,
    BinOp::Or,
    BinOp::Xor,
];

/// Every comparison, in the order the const parameter of [`compare`] indexes.
const CMPOPS: [CmpOp; 6] = [
    CmpOp::Lt,
    CmpOp::Le,
    CmpOp::Eq,
    CmpOp::Ne,
    CmpOp::Gt,
    CmpOp::Ge,
];

/// The index of `op` in [`BINOPS`].
const fn bin_index(op: BinOp) -> u8 {
    op as u8
}

/// Whether `name` is a static method of every type (`__new__` takes the class explicitly,
/// also through an instance or `super()`).
pub fn is_static(name: &str) -> bool {
    name == "__new__"
}

/// The special method `name` of built-in type `t`: its own, then `object`'s.
pub fn find(t: Ty, name: &str) -> Option<(&'static str, NativeFn)> {
    own(t, name).or_else(|| object_method(t, name))
}

/// The names of the special methods `find` answers for `t` (for `dir()`).
pub fn names(t: Ty) -> Vec<&'static str> {
    let mut v: Vec<&'static str> = OBJECT_NAMES
        .iter()
        .copied()
        .filter(|n| *n != "__hash__" || !unhashable(t))
        .collect();
    for &(op, reflected) in operators(t) {
        let (n, rn, iname) = op.dunders();
        v.push(n);
        if reflected {
            v.push(rn);
        }
        if matches!(t, Ty::List | Ty::Set | Ty::Dict) {
            v.push(iname);
        }
    }
    v.extend(protocol(t));
    if compares(t) {
        v.extend(CMPOPS.iter().map(|op| op.dunders().0));
    }
    v.sort_unstable();
    v.dedup();
    v
}

/// `object`'s special methods, as [`object_method`] answers them.
const OBJECT_NAMES: [&str; 18] = [
    "__sizeof__",
    "__init_subclass__",
    "__new__",
    "__init__",
    "__setattr__",
    "__getattribute__",
    "__delattr__",
    "__eq__",
    "__ne__",
    "__lt__",
    "__le__",
    "__gt__",
    "__ge__",
    "__hash__",
    "__repr__",
    "__str__",
    "__format__",
    "__class__",
];

/// The binary operators a built-in type implements: `(operator index, reflected too)`.
fn operators(t: Ty) -> &'static [(BinOp, bool)] {
    use BinOp::*;
    match t {
        Ty::Int | Ty::Bool => &[
            (Add, true),
            (Sub, true),
            (Mul, true),
            (TrueDiv, true),
            (FloorDiv, true),
            (Mod, true),
            (Pow, true),
            (LShift, true),
            (RShift, true),
            (And, true),
            (Or, true),
            (Xor, true),
        ],
        Ty::Float => &[
            (Add, true),
            (Sub, true),
            (Mul, true),
            (TrueDiv, true),
            (FloorDiv, true),
            (Mod, true),
            (Pow, true),
        ],
        Ty::Str | Ty::Bytes => &[(Add, false), (Mul, true), (Mod, true)],
        Ty::List | Ty::Tuple => &[(Add, false), (Mul, true)],
        Ty::Set | Ty::FrozenSet | Ty::DictKeys | Ty::DictItems => {
            &[(Sub, true), (And, true), (Or, true), (Xor, true)]
        }
        Ty::Dict => &[(Or, true)],
        _ => &[],
    }
}

/// The protocol methods a built-in type has beyond `object`'s.
fn protocol(t: Ty) -> &'static [&'static str] {
    const NUMBER: &[&str] = &[
        "__bool__",
        "__neg__",
        "__pos__",
        "__abs__",
        "__int__",
        "__float__",
        "__round__",
    ];
    match t {
        Ty::Int | Ty::Bool => &[
            "__bool__",
            "__neg__",
            "__pos__",
            "__abs__",
            "__int__",
            "__float__",
            "__invert__",
            "__index__",
            "__round__",
        ],
        Ty::Float => NUMBER,
        Ty::Str | Ty::Tuple | Ty::Bytes | Ty::Range => {
            &["__len__", "__getitem__", "__contains__", "__iter__"]
        }
        Ty::List | Ty::Dict => &[
            "__len__",
            "__getitem__",
            "__setitem__",
            "__delitem__",
            "__contains__",
            "__iter__",
        ],
        Ty::Set | Ty::FrozenSet | Ty::DictKeys | Ty::DictItems => {
            &["__len__", "__contains__", "__iter__"]
        }
        Ty::DictValues => &["__len__", "__iter__"],
        Ty::Generator | Ty::Iterator => &["__iter__"],
        _ => &[],
    }
}

/// Whether `name` works on the instance itself even when its class has a built-in base
/// (object's attribute protocol and the constructors); every other method of a built-in base
/// acts on the instance's built-in value (`subclass.rs`).
pub fn takes_instance(name: &str) -> bool {
    matches!(
        name,
        "__new__"
            | "__init__"
            | "__setattr__"
            | "__getattribute__"
            | "__delattr__"
            | "__class__"
            | "__sizeof__"
    )
}

/// Whether `name` is an in-place operator's method (`__iadd__`), which returns `self`.
pub fn is_inplace(name: &str) -> bool {
    BINOPS.iter().any(|op| op.dunders().2 == name)
}

/// Whether `t.name` is None rather than a method (`[].__hash__`).
pub fn is_none_attr(t: Ty, name: &str) -> bool {
    name == "__hash__" && unhashable(t)
}

/// Types whose `__hash__` is None (they compare by value and are mutable).
fn unhashable(t: Ty) -> bool {
    matches!(t, Ty::List | Ty::Dict | Ty::Set)
}

/// Types with their own rich comparisons (beyond object's identity `__eq__`).
fn compares(t: Ty) -> bool {
    matches!(
        t,
        Ty::Int
            | Ty::Bool
            | Ty::Float
            | Ty::Str
            | Ty::Bytes
            | Ty::List
            | Ty::Tuple
            | Ty::Dict
            | Ty::Set
            | Ty::FrozenSet
            | Ty::DictKeys
            | Ty::DictItems
    )
}

fn own(t: Ty, name: &str) -> Option<(&'static str, NativeFn)> {
    match name {
        "__new__" => return super::subclass::new_fn(t).map(|f| ("__new__", f)),
        "__init__" => return super::subclass::init_fn(t).map(|f| ("__init__", f)),
        _ => {}
    }
    for &(op, reflected) in operators(t) {
        let (n, rn, iname) = op.dunders();
        if name == n {
            return Some((n, binary_fn(op, false)));
        }
        if reflected && name == rn {
            return Some((rn, binary_fn(op, true)));
        }
        if name == iname && matches!(t, Ty::List | Ty::Set | Ty::Dict) {
            return Some((iname, inplace_fn(op)));
        }
    }
    if compares(t) {
        for (i, op) in CMPOPS.iter().enumerate() {
            let n = op.dunders().0;
            if name == n {
                return Some((n, COMPARE[i]));
            }
        }
    }
    let p = protocol(t).iter().find(|n| **n == name)?;
    Some((p, protocol_fn(p)?))
}

/// The `binary::<OP, REFLECTED>` instance for `op`.
fn binary_fn(op: BinOp, reflected: bool) -> NativeFn {
    macro_rules! pick {
        ($($op:ident),*) => {
            match (op, reflected) {
                $(
                    (BinOp::$op, false) => binary::<{ bin_index(BinOp::$op) }, false>,
                    (BinOp::$op, true) => binary::<{ bin_index(BinOp::$op) }, true>,
                )*
            }
        };
    }
    pick!(
        Add, Sub, Mul, MatMul, TrueDiv, FloorDiv, Mod, Pow, LShift, RShift, And, Or, Xor
    )
}

fn inplace_fn(op: BinOp) -> NativeFn {
    macro_rules! pick {
        ($($op:ident),*) => {
            match op { $(BinOp::$op => inplace::<{ bin_index(BinOp::$op) }>,)* }
        };
    }
    pick!(
        Add, Sub, Mul, MatMul, TrueDiv, FloorDiv, Mod, Pow, LShift, RShift, And, Or, Xor
    )
}

const COMPARE: [NativeFn; 6] = [
    compare::<0>,
    compare::<1>,
    compare::<2>,
    compare::<3>,
    compare::<4>,
    compare::<5>,
];

/// Whether a built-in number of `self`'s kind implements an operator with `other` (int with
/// ints, float with ints and floats); other kinds decide in their own code.
fn number_accepts(this: &Obj<'_>, other: &Obj<'_>) -> bool {
    match this.kind() {
        Kind::Int | Kind::Bool => matches!(other.kind(), Kind::Int | Kind::Bool),
        Kind::Float => matches!(other.kind(), Kind::Int | Kind::Bool | Kind::Float),
        _ => true,
    }
}

/// `self.__op__(other)` / `self.__rop__(other)`: the built-in operation or `NotImplemented`.
fn binary<'h, const OP: u8, const REFLECTED: bool>(ctx: &Ctx<'h>, a: Args<'_, 'h>) -> PyResult<'h> {
    let op = BINOPS[OP as usize];
    let (n, rn, _) = op.dunders();
    a.check(if REFLECTED { rn } else { n }, 2, 2)?;
    let (this, other) = (&value_of(ctx, &a.pos[0]), &value_of(ctx, &a.pos[1]));
    if !number_accepts(this, other) {
        return Ok(ctx.not_implemented.clone());
    }
    let (x, y) = if REFLECTED {
        (other, this)
    } else {
        (this, other)
    };
    if let Some(r) = ctx.num_op(op, x, y)? {
        return Ok(r);
    }
    Ok(ctx
        .seq_op(op, x, y)?
        .unwrap_or_else(|| ctx.not_implemented.clone()))
}

/// `self.__iop__(other)` of a mutable container: updates in place, returns `self`.
fn inplace<'h, const OP: u8>(ctx: &Ctx<'h>, a: Args<'_, 'h>) -> PyResult<'h> {
    let op = BINOPS[OP as usize];
    a.check(op.dunders().2, 2, 2)?;
    ctx.inplace(op, &value_of(ctx, &a.pos[0]), &a.pos[1])
}

/// `self.__lt__(other)` etc.: the built-in comparison or `NotImplemented`.
fn compare<'h, const OP: u8>(ctx: &Ctx<'h>, a: Args<'_, 'h>) -> PyResult<'h> {
    let op = CMPOPS[OP as usize];
    a.check(op.dunders().0, 2, 2)?;
    let (this, other) = (value_of(ctx, &a.pos[0]), value_of(ctx, &a.pos[1]));
    // Values of unrelated built-in types are not equal by their own rules: the other side
    // decides (`(1).__eq__("a")` is NotImplemented).
    if !same_family(ctx, &this, &other) {
        return Ok(ctx.not_implemented.clone());
    }
    match ctx.builtin_cmp(op, &this, &other)? {
        Some(b) => Ok(ctx.bool(b)),
        None => Ok(ctx.not_implemented.clone()),
    }
}

/// Whether two built-in values compare by one type's rules (numbers with numbers, sets with
/// sets and set-like views, otherwise the same type).
fn same_family<'h>(ctx: &Ctx<'h>, a: &Obj<'h>, b: &Obj<'h>) -> bool {
    let family = |o: &Obj<'h>| {
        let t = ctx.builtin_ty(&ctx.type_of(o));
        match t {
            Some(Ty::Int | Ty::Bool | Ty::Float) => Some(Ty::Int),
            Some(Ty::Set | Ty::FrozenSet | Ty::DictKeys | Ty::DictItems) => Some(Ty::Set),
            t => t,
        }
    };
    family(a).is_some() && family(a) == family(b)
}

/// The built-in value of an instance of a class with a built-in base, else `o` itself: the
/// special methods of built-in types act on it (`dict.__setitem__(self, k, v)` in a subclass).
fn value_of<'h>(ctx: &Ctx<'h>, o: &Obj<'h>) -> Obj<'h> {
    ctx.base_value(o).unwrap_or_else(|| o.clone())
}

fn protocol_fn(name: &str) -> Option<NativeFn> {
    Some(match name {
        "__len__" => |ctx, a| {
            a.check("__len__", 1, 1)?;
            let n = ctx.len(&value_of(ctx, &a.pos[0]))?;
            ctx.int(n as i64)
        },
        "__getitem__" => |ctx, a| {
            a.check("__getitem__", 2, 2)?;
            ctx.getitem(&value_of(ctx, &a.pos[0]), &a.pos[1])
        },
        "__setitem__" => |ctx, a| {
            a.check("__setitem__", 3, 3)?;
            ctx.setitem(&value_of(ctx, &a.pos[0]), &a.pos[1], &a.pos[2])?;
            Ok(ctx.none())
        },
        "__delitem__" => |ctx, a| {
            a.check("__delitem__", 2, 2)?;
            ctx.delitem(&value_of(ctx, &a.pos[0]), &a.pos[1])?;
            Ok(ctx.none())
        },
        "__contains__" => |ctx, a| {
            a.check("__contains__", 2, 2)?;
            let b = ctx.contains(&value_of(ctx, &a.pos[0]), &a.pos[1])?;
            Ok(ctx.bool(b))
        },
        "__iter__" => |ctx, a| {
            a.check("__iter__", 1, 1)?;
            ctx.iter(&value_of(ctx, &a.pos[0]))
        },
        "__bool__" => |ctx, a| {
            a.check("__bool__", 1, 1)?;
            let b = ctx.truthy(&value_of(ctx, &a.pos[0]))?;
            Ok(ctx.bool(b))
        },
        "__neg__" => |ctx, a| {
            a.check("__neg__", 1, 1)?;
            ctx.unary(crate::bytecode::UnOp::Neg, &value_of(ctx, &a.pos[0]))
        },
        "__pos__" => |ctx, a| {
            a.check("__pos__", 1, 1)?;
            ctx.unary(crate::bytecode::UnOp::Pos, &value_of(ctx, &a.pos[0]))
        },
        "__invert__" => |ctx, a| {
            a.check("__invert__", 1, 1)?;
            ctx.unary(crate::bytecode::UnOp::Invert, &value_of(ctx, &a.pos[0]))
        },
        "__abs__" => |ctx, a| convert(ctx, a, "__abs__", "abs"),
        "__int__" | "__index__" => |ctx, a| convert(ctx, a, "__int__", "int"),
        "__float__" => |ctx, a| convert(ctx, a, "__float__", "float"),
        "__round__" => |ctx, a| {
            a.check("__round__", 1, 2)?;
            let mut v = vec![value_of(ctx, &a.pos[0])];
            v.extend(a.pos[1..].iter().cloned());
            ctx.call(&ctx.builtin("round")?, v, vec![])
        },
        _ => return None,
    })
}

/// `self.__abs__()` / `__int__` / `__float__`: the built-in function of that name on `self`.
fn convert<'h>(ctx: &Ctx<'h>, a: Args<'_, 'h>, name: &str, builtin: &str) -> PyResult<'h> {
    a.check(name, 1, 1)?;
    let f = ctx.builtin(builtin)?;
    ctx.call(&f, vec![value_of(ctx, &a.pos[0])], vec![])
}

/// `object`'s methods, inherited by every type (`__hash__` only by the hashable ones).
fn object_method(t: Ty, name: &str) -> Option<(&'static str, NativeFn)> {
    let f: (&'static str, NativeFn) = match name {
        "__new__" => ("__new__", object_new),
        "__init__" => ("__init__", |ctx, _| Ok(ctx.none())),
        "__setattr__" => ("__setattr__", object_setattr),
        "__getattribute__" => ("__getattribute__", object_getattribute),
        "__delattr__" => ("__delattr__", object_delattr),
        "__eq__" => ("__eq__", object_eq),
        "__ne__" => ("__ne__", object_ne),
        "__lt__" | "__le__" | "__gt__" | "__ge__" => {
            let n = CMPOPS
                .iter()
                .map(|op| op.dunders().0)
                .find(|n| *n == name)?;
            (n, |ctx, _| Ok(ctx.not_implemented.clone()))
        }
        "__hash__" if !unhashable(t) => ("__hash__", object_hash),
        "__repr__" => ("__repr__", object_repr),
        "__str__" => ("__str__", object_str),
        "__format__" => ("__format__", object_format),
        "__init_subclass__" => ("__init_subclass__", object_init_subclass),
        "__sizeof__" => ("__sizeof__", object_sizeof),
        _ => return None,
    };
    Some(f)
}

/// `object.__sizeof__(o)`: the object's own bytes, `sys.getsizeof` without the GC head that
/// getsizeof adds for objects of GC types.
fn object_sizeof<'h>(ctx: &Ctx<'h>, a: Args<'_, 'h>) -> PyResult<'h> {
    a.check_method("__sizeof__", 0, 0)?;
    let o = &a.pos[0];
    let head = if o.type_object().is_gc() {
        pyheap_runtime::object::GC_HEAD_SIZE
    } else {
        0
    };
    ctx.int((ctx.heap.sizeof(o) - head) as i64)
}

/// `object.__new__(cls, *args)`: a new instance of `cls`, `__init__` not called.
fn object_new<'h>(ctx: &Ctx<'h>, a: Args<'_, 'h>) -> PyResult<'h> {
    let Some(cls) = a.pos.first() else {
        return err(ExcTy::TypeError, "object.__new__(): not enough arguments");
    };
    if cls.kind() != Kind::Class {
        return err(
            ExcTy::TypeError,
            format!(
                "object.__new__(X): X is not a type object ({})",
                ctx.type_name(cls)
            ),
        );
    }
    if let Some(t) = ctx.builtin_ty(cls) {
        if t == Ty::Object {
            return ctx.call(cls, vec![], vec![]);
        }
        return err(
            ExcTy::TypeError,
            format!(
                "object.__new__({}) is not safe, use {}.__new__()",
                t.name(),
                t.name()
            ),
        );
    }
    // Extra arguments are an error only when the class does not take them in `__init__`.
    if (a.pos.len() > 1 || !a.kw.is_empty()) && ctx.lookup_type(cls, "__init__").is_none() {
        return err(
            ExcTy::TypeError,
            format!("{}() takes no arguments", ctx.class_name(cls)),
        );
    }
    Ok(cls.as_class()?.instantiate()?.into_obj())
}

/// `object.__init_subclass__()`: nothing to do, and no keywords to take.
fn object_init_subclass<'h>(ctx: &Ctx<'h>, a: Args<'_, 'h>) -> PyResult<'h> {
    if !a.kw.is_empty() {
        let name = a.pos.first().map(|c| ctx.class_name(c)).unwrap_or_default();
        return err(
            ExcTy::TypeError,
            format!("{name}.__init_subclass__() takes no keyword arguments"),
        );
    }
    Ok(ctx.none())
}

/// The attribute name argument of `__setattr__` & co.
fn attr_name<'a, 'h>(ctx: &Ctx<'h>, o: &'a Obj<'h>) -> PyResult<'h, &'a str> {
    match o.str_value() {
        Ok(s) => Ok(s),
        Err(_) => err(
            ExcTy::TypeError,
            format!("attribute name must be string, not '{}'", ctx.type_name(o)),
        ),
    }
}

fn object_setattr<'h>(ctx: &Ctx<'h>, a: Args<'_, 'h>) -> PyResult<'h> {
    a.check("__setattr__", 3, 3)?;
    let name = attr_name(ctx, &a.pos[1])?;
    ctx.generic_setattr(&a.pos[0], name, a.pos[2].clone())?;
    Ok(ctx.none())
}

fn object_getattribute<'h>(ctx: &Ctx<'h>, a: Args<'_, 'h>) -> PyResult<'h> {
    a.check("__getattribute__", 2, 2)?;
    let name = attr_name(ctx, &a.pos[1])?;
    ctx.generic_getattr(&a.pos[0], name)
}

fn object_delattr<'h>(ctx: &Ctx<'h>, a: Args<'_, 'h>) -> PyResult<'h> {
    a.check("__delattr__", 2, 2)?;
    let name = attr_name(ctx, &a.pos[1])?;
    ctx.generic_delattr(&a.pos[0], name)?;
    Ok(ctx.none())
}

/// `object.__eq__`: identity, else `NotImplemented` (the other side decides).
fn object_eq<'h>(ctx: &Ctx<'h>, a: Args<'_, 'h>) -> PyResult<'h> {
    a.check("__eq__", 2, 2)?;
    if a.pos[0].is(&a.pos[1]) {
        Ok(ctx.bool(true))
    } else {
        Ok(ctx.not_implemented.clone())
    }
}

/// `object.__ne__`: the inverse of `type(self).__eq__`, unless that is `NotImplemented`.
fn object_ne<'h>(ctx: &Ctx<'h>, a: Args<'_, 'h>) -> PyResult<'h> {
    a.check("__ne__", 2, 2)?;
    let r = match ctx.call_special(&a.pos[0], "__eq__", &a.pos[1..]) {
        Some(r) => r?,
        None => {
            let this = ctx.type_of(&a.pos[0]);
            match ctx.builtin_ty(&this).filter(|t| compares(*t)) {
                Some(_) => return Ok(ctx.bool(!ctx.eq(&a.pos[0], &a.pos[1])?)),
                None if a.pos[0].is(&a.pos[1]) => ctx.bool(true),
                None => ctx.not_implemented.clone(),
            }
        }
    };
    if r.is(&ctx.not_implemented) {
        return Ok(r);
    }
    let t = ctx.truthy(&r)?;
    Ok(ctx.bool(!t))
}

/// `object.__hash__`: by identity for instances (what `hash()` gives an instance whose class
/// defines no `__hash__`), the value's own hash for built-in values.
fn object_hash<'h>(ctx: &Ctx<'h>, a: Args<'_, 'h>) -> PyResult<'h> {
    a.check("__hash__", 1, 1)?;
    let o = &value_of(ctx, &a.pos[0]);
    let h = if o.kind() == Kind::Instance {
        let h = ctx.heap.id(o).rotate_right(4) as i64;
        if h == -1 { -2 } else { h }
    } else {
        ctx.hash(o)?
    };
    ctx.int(h)
}

/// `object.__repr__`: `<module.Class object at 0x..>` for instances, the built-in repr of
/// built-in values.
fn object_repr<'h>(ctx: &Ctx<'h>, a: Args<'_, 'h>) -> PyResult<'h> {
    a.check("__repr__", 1, 1)?;
    let o = &a.pos[0];
    let s = if o.kind() == Kind::Instance {
        ctx.default_repr(o)
    } else {
        ctx.repr(o)?
    };
    ctx.str(&s)
}

/// `object.__str__`: `repr(self)` (through the type's own `__repr__`); the built-in `str` of
/// built-in values.
fn object_str<'h>(ctx: &Ctx<'h>, a: Args<'_, 'h>) -> PyResult<'h> {
    a.check("__str__", 1, 1)?;
    let o = &a.pos[0];
    let s = if o.kind() == Kind::Instance {
        ctx.repr(o)?
    } else {
        ctx.str_of(o)?
    };
    ctx.str(&s)
}

/// `object.__format__(spec)` (`Ctx::default_format`).
fn object_format<'h>(ctx: &Ctx<'h>, a: Args<'_, 'h>) -> PyResult<'h> {
    a.check("__format__", 2, 2)?;
    let o = &a.pos[0];
    let spec = attr_name(ctx, &a.pos[1]).map_err(|_| {
        crate::vm::Raise::New(
            ExcTy::TypeError,
            format!(
                "__format__() argument must be str, not {}",
                ctx.type_name(&a.pos[1])
            ),
        )
    })?;
    let s = ctx.default_format(o, spec)?;
    ctx.str(&s)
}
