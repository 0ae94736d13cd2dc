//! Methods of built-in types (`list.append`, `str.join`, `dict.items`, `gen.send`, ...) looked
//! up by (type, name), and plain attributes of built-in objects (`f.__name__`, `r.start`).

use super::Table;
use super::conversions::str_translate;
use crate::objects::dictview::ViewWhat;
use crate::objects::function::{Function, NativeFn, WrapKind, Wrapper};
use crate::objects::generator::Generator;
use crate::objects::iter::Range;
use crate::vm::eval::Outcome;
use crate::vm::{Args, Ctx, ExcTy, PyResult, Raise, Ty, err};
use pyheap_runtime::{Kind, Member, Obj};

/// The native method `name` of built-in type `t`: its own methods, then its special methods
/// (`slot_methods.rs`).
pub fn find(t: Ty, name: &str) -> Option<(&'static str, NativeFn)> {
    own(t, name).or_else(|| super::slot_methods::find(t, name))
}

fn own(t: Ty, name: &str) -> Option<(&'static str, NativeFn)> {
    tables(t)
        .iter()
        .flat_map(|tab| tab.iter())
        .find(|(n, _)| *n == name)
        .copied()
}

/// The names of the methods of built-in type `t`, special methods included (`dir`).
pub fn names(t: Ty) -> impl Iterator<Item = &'static str> {
    let own = tables(t).iter().flat_map(|tab| tab.iter().map(|(n, _)| *n));
    let class = CLASSMETHODS
        .iter()
        .filter(move |(c, _, _)| *c == t)
        .map(|(_, n, _)| *n);
    own.chain(class)
        .chain(data_names(t).iter().copied())
        .chain(super::slot_methods::names(t))
}

/// The data attributes [`attribute`] (and `numbers::attribute`) answer for type `t`, for `dir`.
fn data_names(t: Ty) -> &'static [&'static str] {
    match t {
        Ty::Int | Ty::Bool => &["real", "imag", "numerator", "denominator"],
        Ty::Float => &["real", "imag"],
        Ty::Range | Ty::Slice => &["start", "stop", "step"],
        Ty::Property => &["fget", "fset", "fdel"],
        Ty::MemberDescriptor | Ty::GetSetDescriptor => {
            &["__name__", "__qualname__", "__objclass__", "__doc__"]
        }
        Ty::Function => &[
            "__name__",
            "__qualname__",
            "__doc__",
            "__code__",
            "__globals__",
            "__defaults__",
            "__kwdefaults__",
            "__module__",
            "__annotations__",
            "__closure__",
            "__dict__",
        ],
        Ty::Generator => &["__name__", "gi_running"],
        Ty::Code => &[
            "co_name",
            "co_qualname",
            "co_filename",
            "co_firstlineno",
            "co_argcount",
            "co_posonlyargcount",
            "co_kwonlyargcount",
            "co_nlocals",
            "co_varnames",
            "co_cellvars",
            "co_freevars",
            "co_names",
        ],
        _ => &[],
    }
}

const LIST: Table = table! {
    "append" => list_append, "pop" => list_pop, "insert" => list_insert,
    "extend" => list_extend, "remove" => list_remove, "index" => seq_index,
    "count" => seq_count, "sort" => list_sort, "reverse" => list_reverse,
    "clear" => list_clear, "copy" => list_copy,
};
const TUPLE: Table = table! { "index" => seq_index, "count" => seq_count };
const DICT: Table = table! {
    "get" => dict_get, "keys" => dict_keys, "values" => dict_values, "items" => dict_items,
    "pop" => dict_pop, "setdefault" => dict_setdefault, "update" => dict_update,
    "clear" => dict_clear, "copy" => dict_copy, "popitem" => dict_popitem,
};
const STR: Table = table! {
    "join" => str_join, "split" => str_split, "strip" => str_strip, "lstrip" => str_lstrip,
    "rstrip" => str_rstrip, "upper" => str_upper, "lower" => str_lower,
    "replace" => str_replace, "format" => str_format, "format_map" => str_format_map,
    "isdigit" => str_isdigit, "isalpha" => str_isalpha, "isspace" => str_isspace,
    "isupper" => str_isupper, "islower" => str_islower, "isalnum" => str_isalnum,
    "isidentifier" => str_isidentifier, "isascii" => str_isascii, "isdecimal" => str_isdecimal,
    "isnumeric" => str_isnumeric, "isprintable" => str_isprintable, "istitle" => str_istitle,
    "title" => str_title, "capitalize" => str_capitalize, "center" => str_center,
    "ljust" => str_ljust, "rjust" => str_rjust, "zfill" => str_zfill,
    "splitlines" => str_splitlines, "encode" => str_encode,
    "translate" => str_translate,
};
const GENERATOR: Table = table! { "send" => gen_send, "close" => gen_close, "throw" => gen_throw, "__next__" => gen_next };
const SLICE: Table = table! { "indices" => slice_indices };
const ITERATOR: Table = table! { "__next__" => iter_next_m, "__iter__" => iter_self };
const FUNCTION: Table = table! { "__get__" => function_get };

const PROPERTY: Table = table! {
    "getter" => prop_getter, "setter" => prop_setter, "deleter" => prop_deleter,
};

/// The method tables of built-in type `t`, searched in order.
fn tables(t: Ty) -> &'static [Table] {
    match t {
        Ty::List => &[LIST],
        Ty::Tuple => &[TUPLE],
        Ty::Dict => &[DICT],
        Ty::Str => &[STR, super::str_search::METHODS, super::str_more::METHODS],
        Ty::Set => &[super::set::BOTH, super::set::MUTATING],
        Ty::FrozenSet => &[super::set::BOTH],
        Ty::Generator => &[GENERATOR],
        Ty::Int | Ty::Bool => &[super::numbers::INT],
        Ty::Float => &[super::numbers::FLOAT],
        Ty::Bytes => &[super::bytes::METHODS],
        Ty::DictKeys | Ty::DictItems => &[super::dictview::METHODS],
        Ty::Slice => &[SLICE],
        Ty::Iterator => &[ITERATOR],
        Ty::Property => &[PROPERTY],
        Ty::Function => &[FUNCTION],
        Ty::Type => &[
            super::subclasses::TYPE_METHODS,
            super::metaclass::TYPE_METHODS,
        ],
        Ty::MemberDescriptor => &[super::members::METHODS],
        _ => &[],
    }
}

/// The class methods of built-in types (`dict.fromkeys`): bound to the class, also when
/// reached through an instance.
pub fn find_classmethod(t: Ty, name: &str) -> Option<(&'static str, NativeFn)> {
    CLASSMETHODS
        .iter()
        .find(|(c, n, _)| *c == t && *n == name)
        .map(|(_, n, f)| (*n, *f))
}

const CLASSMETHODS: &[(Ty, &str, NativeFn)] = &[
    (Ty::Dict, "fromkeys", dict_fromkeys as NativeFn),
    (
        Ty::Int,
        "from_bytes",
        super::conversions::int_from_bytes as NativeFn,
    ),
    (
        Ty::Float,
        "fromhex",
        super::conversions::float_fromhex as NativeFn,
    ),
    (
        Ty::Str,
        "maketrans",
        super::conversions::str_maketrans as NativeFn,
    ),
];

/// `dict.fromkeys(iterable, value=None)`; a subclass gets `cls()` filled through its
/// `__setitem__`.
fn dict_fromkeys<'h>(ctx: &Ctx<'h>, a: Args<'_, 'h>) -> PyResult<'h> {
    a.check("fromkeys", 2, 3)?;
    let v = a.get(2).cloned().unwrap_or_else(|| ctx.none());
    let cls = &a.pos[0];
    let it = ctx.iter(&a.pos[1])?;
    if !cls.is(&ctx.ty(Ty::Dict).obj()) {
        let d = ctx.call(cls, vec![], vec![])?;
        while let Some(k) = ctx.next(&it)? {
            ctx.setitem(&d, &k, &v)?;
        }
        return Ok(d);
    }
    let d = ctx.heap.dict()?;
    while let Some(k) = ctx.next(&it)? {
        d.set(&k, &v)?;
    }
    Ok(d.into_obj())
}

/// The `co_*` attributes of a code object.
fn code_attribute<'h>(ctx: &Ctx<'h>, o: &Obj<'h>, name: &str) -> PyResult<'h, Option<Obj<'h>>> {
    let Some(c) = ctx.code_of(o) else {
        return Ok(None);
    };
    let strs = |v: &mut dyn Iterator<Item = &str>| -> PyResult<'h> {
        let items = v.map(|s| ctx.str(s)).collect::<PyResult<'h, Vec<_>>>()?;
        Ok(ctx.heap.tuple(&items)?.into_obj())
    };
    Ok(Some(match name {
        "co_name" => ctx.str(&c.name)?,
        "co_qualname" => ctx.str(&c.qualname)?,
        "co_filename" => ctx.str(&c.filename)?,
        "co_firstlineno" => ctx.int(c.firstlineno as i64)?,
        "co_argcount" => ctx.int(c.argcount as i64)?,
        "co_posonlyargcount" => ctx.int(c.posonlyargcount as i64)?,
        "co_kwonlyargcount" => ctx.int(c.kwonlyargcount as i64)?,
        "co_nlocals" => ctx.int(c.varnames.len() as i64)?,
        "co_varnames" => strs(&mut c.varnames.iter().map(|s| s.as_str()))?,
        "co_cellvars" => strs(&mut c.cellvars.iter().map(|s| s.as_str()))?,
        "co_freevars" => strs(&mut c.freevars.iter().map(|s| s.as_str()))?,
        "co_names" => strs(&mut c.name_strs.iter().map(|s| &**s))?,
        _ => return Ok(None),
    }))
}

/// An entry of a function's `__dict__` (where assigned `__doc__`, `__module__` and the like
/// live), `None` when absent.
fn function_dict_entry<'h>(
    ctx: &Ctx<'h>,
    o: &Obj<'h>,
    name: &str,
) -> PyResult<'h, Option<Obj<'h>>> {
    let d = o
        .as_user::<Function>()?
        .borrow()?
        .dict
        .as_ref()
        .map(|m| m.get(ctx.heap));
    match d {
        Some(d) => Ok(d?.as_dict()?.get(&ctx.intern(name)?)?),
        None => Ok(None),
    }
}

/// A function's `__module__` when never assigned: its globals' `__name__`, as CPython records
/// at definition.
fn function_module<'h>(ctx: &Ctx<'h>, o: &Obj<'h>) -> PyResult<'h, Option<Obj<'h>>> {
    let g = o.as_user::<Function>()?.borrow()?.globals.get(ctx.heap)?;
    match g.as_dict() {
        Ok(g) => Ok(g.get(&ctx.intern("__name__")?)?),
        Err(_) => Ok(None),
    }
}

/// Data attributes of built-in objects.
pub fn attribute<'h>(
    ctx: &Ctx<'h>,
    t: Ty,
    o: &Obj<'h>,
    name: &str,
) -> PyResult<'h, Option<Obj<'h>>> {
    Ok(match (t, name) {
        (Ty::Function, "__name__") => Some(ctx.str(&o.as_user::<Function>()?.borrow()?.name)?),
        (Ty::Function, "__qualname__") => {
            Some(ctx.str(&o.as_user::<Function>()?.borrow()?.qualname)?)
        }
        (Ty::Function, "__doc__") => {
            if let Some(d) = function_dict_entry(ctx, o, name)? {
                return Ok(Some(d));
            }
            let code = o.as_user::<Function>()?.borrow()?.code.get(ctx.heap)?;
            let c = code.as_user::<crate::objects::code::Code>()?.borrow()?;
            let first = c.data.consts.first().map(|m| m.get(ctx.heap)).transpose()?;
            Some(
                first
                    .filter(|d| d.kind() == Kind::Str)
                    .unwrap_or_else(|| ctx.none()),
            )
        }
        (Ty::Function, "__code__") => Some(o.as_user::<Function>()?.borrow()?.code.get(ctx.heap)?),
        (Ty::Function, "__globals__") => {
            Some(o.as_user::<Function>()?.borrow()?.globals.get(ctx.heap)?)
        }
        (Ty::Function, "__defaults__" | "__kwdefaults__" | "__closure__") => {
            let f = o.as_user::<Function>()?.borrow()?;
            let m = match name {
                "__defaults__" => &f.defaults,
                "__kwdefaults__" => &f.kwdefaults,
                _ => &f.closure,
            };
            Some(
                m.as_ref()
                    .map(|m| m.get(ctx.heap))
                    .transpose()?
                    .unwrap_or_else(|| ctx.none()),
            )
        }
        (Ty::Function, "__annotations__") => {
            let f = o.as_user::<Function>()?;
            let a = f.borrow()?.annotations.as_ref().map(|m| m.get(ctx.heap));
            Some(match a {
                Some(a) => a?,
                None => {
                    let d = ctx.heap.dict()?.into_obj();
                    f.borrow_mut()?.annotations = Some(Member::new(&d));
                    d
                }
            })
        }
        (Ty::Function, _) => {
            let d = o
                .as_user::<Function>()?
                .borrow()?
                .dict
                .as_ref()
                .map(|m| m.get(ctx.heap))
                .transpose()?;
            match d {
                Some(d) if name == "__dict__" => Some(d),
                Some(d) => match d.as_dict()?.get(&ctx.intern(name)?)? {
                    None if name == "__module__" => function_module(ctx, o)?,
                    v => v,
                },
                None if name == "__module__" => function_module(ctx, o)?,
                None if name == "__dict__" => {
                    let d = ctx.heap.dict()?.into_obj();
                    o.as_user::<Function>()?.borrow_mut()?.dict = Some(Member::new(&d));
                    Some(d)
                }
                None => None,
            }
        }
        (Ty::Method, "__self__") => Some(
            o.as_user::<crate::objects::function::Method>()?
                .borrow()?
                .this
                .get(ctx.heap)?,
        ),
        (Ty::Method, "__func__") => Some(
            o.as_user::<crate::objects::function::Method>()?
                .borrow()?
                .func
                .get(ctx.heap)?,
        ),
        (Ty::Method, _) => {
            let f = o
                .as_user::<crate::objects::function::Method>()?
                .borrow()?
                .func
                .get(ctx.heap)?;
            return ctx.getattr(&f, name).map(Some).or(Ok(None));
        }
        (Ty::Builtin, "__name__") => Some(
            ctx.str(
                o.as_user::<crate::objects::function::Builtin>()?
                    .borrow()?
                    .name,
            )?,
        ),
        // `len.__qualname__` is `len`; a method's is `list.append` (through the type or a value).
        (Ty::Builtin, "__qualname__") => {
            let (n, owner, bound) = {
                let b = o.as_user::<crate::objects::function::Builtin>()?.borrow()?;
                let bound = b.bound.as_ref().map(|m| m.get(ctx.heap)).transpose()?;
                (b.name, b.owner, bound)
            };
            let owner = match (owner, bound) {
                (Some(t), _) => Some(t.name().to_string()),
                (None, Some(c)) if c.kind() == Kind::Class => Some(ctx.class_name(&c)),
                (None, Some(v)) if v.downcast_user::<crate::objects::misc::Module>().is_none() => {
                    Some(ctx.type_name(&v))
                }
                _ => None,
            };
            Some(ctx.str(&match owner {
                Some(t) => format!("{t}.{n}"),
                None => n.to_string(),
            })?)
        }
        (Ty::Range, "start" | "stop" | "step") => {
            let r = o.as_user::<Range>()?.borrow()?;
            Some(ctx.int(match name {
                "start" => r.start,
                "stop" => r.stop,
                _ => r.step,
            })?)
        }
        (Ty::WeakRef, "__callback__") => Some(crate::modules::weakref::callback_attr(ctx, o)?),
        (Ty::Generator, "__name__") => Some(ctx.str(&o.as_user::<Generator>()?.borrow()?.name)?),
        (Ty::Generator, "gi_running") => {
            Some(ctx.bool(o.as_user::<Generator>()?.borrow()?.running))
        }
        (Ty::Slice, "start" | "stop" | "step") => {
            let s = o.as_user::<crate::objects::misc::Slice>()?.borrow()?;
            Some(match name {
                "start" => s.start.get(ctx.heap)?,
                "stop" => s.stop.get(ctx.heap)?,
                _ => s.step.get(ctx.heap)?,
            })
        }
        (Ty::Super, _) => Some(ctx.super_getattr(o, name)?),
        (Ty::MemberDescriptor | Ty::GetSetDescriptor, _) => ctx.member_attribute(o, name)?,
        (Ty::Code, _) => code_attribute(ctx, o, name)?,
        (Ty::Int | Ty::Bool | Ty::Float, _) => super::numbers::attribute(ctx, t, o, name)?,
        (Ty::Property | Ty::StaticMethod | Ty::ClassMethod, _) => {
            let w = o.as_user::<Wrapper>()?.borrow()?;
            let f = match (t, name) {
                (Ty::Property, "fget") | (Ty::StaticMethod | Ty::ClassMethod, "__func__") => &w.f,
                (Ty::Property, "fset") => &w.fset,
                (Ty::Property, "fdel") => &w.fdel,
                _ => return Ok(None),
            };
            Some(
                f.as_ref()
                    .map(|m| m.get(ctx.heap))
                    .transpose()?
                    .unwrap_or_else(|| ctx.none()),
            )
        }
        (Ty::Traceback, _) => {
            let b = o.as_user::<crate::objects::misc::Traceback>()?.borrow()?;
            match name {
                "tb_lineno" => Some(ctx.int(b.lineno as i64)?),
                "tb_lasti" => Some(ctx.int(b.lasti as i64 * 2)?),
                "tb_frame" => Some(b.frame.get(ctx.heap)?),
                "tb_next" => Some(
                    b.next
                        .as_ref()
                        .map(|m| m.get(ctx.heap))
                        .transpose()?
                        .unwrap_or_else(|| ctx.none()),
                ),
                _ => None,
            }
        }
        (Ty::Frame, _) => super::frames::attribute(ctx, o, name)?,
        (Ty::Cell, "cell_contents") => match o.as_cell()?.get() {
            Some(v) => Some(v),
            None => return err(ExcTy::ValueError, "Cell is empty"),
        },
        _ => None,
    })
}

fn this<'a, 'h>(a: &Args<'a, 'h>) -> &'a Obj<'h> {
    &a.pos[0]
}

fn list_append<'h>(ctx: &Ctx<'h>, a: Args<'_, 'h>) -> PyResult<'h> {
    if a.len() != 2 {
        return err(
            ExcTy::TypeError,
            format!(
                "list.append() takes exactly one argument ({} given)",
                a.len() - 1
            ),
        );
    }
    this(&a).as_list()?.append(&a.pos[1])?;
    Ok(ctx.none())
}

fn list_pop<'h>(ctx: &Ctx<'h>, a: Args<'_, 'h>) -> PyResult<'h> {
    a.check_method("pop", 0, 1)?;
    let l = this(&a).as_list()?;
    if l.is_empty() {
        return err(ExcTy::IndexError, "pop from empty list");
    }
    let i = match a.get(1) {
        Some(i) => i.as_int()?,
        None => -1,
    };
    let n = l.len() as i64;
    let j = if i < 0 { i + n } else { i };
    if j < 0 || j >= n {
        return err(ExcTy::IndexError, "pop index out of range");
    }
    let _ = ctx;
    Ok(l.pop(j)?)
}

fn list_insert<'h>(ctx: &Ctx<'h>, a: Args<'_, 'h>) -> PyResult<'h> {
    a.check_method("insert", 2, 2)?;
    let l = this(&a).as_list()?;
    let n = l.len() as i64;
    let i = a.pos[1].as_int()?;
    let i = if i < 0 { (i + n).max(0) } else { i.min(n) };
    l.insert(i, &a.pos[2])?;
    Ok(ctx.none())
}

fn list_extend<'h>(ctx: &Ctx<'h>, a: Args<'_, 'h>) -> PyResult<'h> {
    a.check_method("extend", 1, 1)?;
    let items = ctx.collect(&a.pos[1])?;
    this(&a).as_list()?.extend(&items)?;
    Ok(ctx.none())
}

fn list_remove<'h>(ctx: &Ctx<'h>, a: Args<'_, 'h>) -> PyResult<'h> {
    a.check_method("remove", 1, 1)?;
    let l = this(&a).as_list()?;
    for (i, x) in l.to_vec().iter().enumerate() {
        if ctx.eq(x, &a.pos[1])? {
            l.pop(i as i64)?;
            return Ok(ctx.none());
        }
    }
    err(ExcTy::ValueError, "list.remove(x): x not in list")
}

fn seq_index<'h>(ctx: &Ctx<'h>, a: Args<'_, 'h>) -> PyResult<'h> {
    a.check_method("index", 1, 3)?;
    for (i, x) in ctx.seq_items(this(&a))?.iter().enumerate() {
        if ctx.eq(x, &a.pos[1])? {
            return ctx.int(i as i64);
        }
    }
    if this(&a).kind() == Kind::List {
        err(
            ExcTy::ValueError,
            format!("{} is not in list", ctx.repr(&a.pos[1])?),
        )
    } else {
        err(ExcTy::ValueError, "tuple.index(x): x not in tuple")
    }
}

fn seq_count<'h>(ctx: &Ctx<'h>, a: Args<'_, 'h>) -> PyResult<'h> {
    a.check_method("count", 1, 1)?;
    let mut n = 0;
    for x in ctx.seq_items(this(&a))? {
        if ctx.eq(&x, &a.pos[1])? {
            n += 1;
        }
    }
    ctx.int(n)
}

fn list_sort<'h>(ctx: &Ctx<'h>, a: Args<'_, 'h>) -> PyResult<'h> {
    let l = this(&a).as_list()?;
    let reverse = a
        .kwarg("reverse")
        .map(|r| ctx.truthy(r))
        .transpose()?
        .unwrap_or(false);
    let v = super::functions::sort_items(ctx, l.to_vec(), a.kwarg("key"), reverse)?;
    l.clear();
    l.extend(&v)?;
    Ok(ctx.none())
}

fn list_reverse<'h>(ctx: &Ctx<'h>, a: Args<'_, 'h>) -> PyResult<'h> {
    a.check_method("reverse", 0, 0)?;
    let l = this(&a).as_list()?;
    let mut v = l.to_vec();
    v.reverse();
    l.clear();
    l.extend(&v)?;
    Ok(ctx.none())
}

fn list_clear<'h>(ctx: &Ctx<'h>, a: Args<'_, 'h>) -> PyResult<'h> {
    a.check_method("clear", 0, 0)?;
    this(&a).as_list()?.clear();
    Ok(ctx.none())
}

fn list_copy<'h>(ctx: &Ctx<'h>, a: Args<'_, 'h>) -> PyResult<'h> {
    a.check_method("copy", 0, 0)?;
    Ok(ctx.heap.list(&this(&a).as_list()?.to_vec())?.into_obj())
}

fn dict_get<'h>(ctx: &Ctx<'h>, a: Args<'_, 'h>) -> PyResult<'h> {
    a.check_method("get", 1, 2)?;
    Ok(ctx
        .dict_get(this(&a).as_dict()?, &a.pos[1])?
        .unwrap_or_else(|| a.get(2).cloned().unwrap_or_else(|| ctx.none())))
}

fn view<'h>(ctx: &Ctx<'h>, a: &Args<'_, 'h>, what: ViewWhat) -> PyResult<'h> {
    let d = this(a);
    d.as_dict()?;
    ctx.new_view(d, what)
}

fn dict_keys<'h>(ctx: &Ctx<'h>, a: Args<'_, 'h>) -> PyResult<'h> {
    a.check_method("keys", 0, 0)?;
    view(ctx, &a, ViewWhat::Keys)
}

fn dict_values<'h>(ctx: &Ctx<'h>, a: Args<'_, 'h>) -> PyResult<'h> {
    a.check_method("values", 0, 0)?;
    view(ctx, &a, ViewWhat::Values)
}

fn dict_items<'h>(ctx: &Ctx<'h>, a: Args<'_, 'h>) -> PyResult<'h> {
    a.check_method("items", 0, 0)?;
    view(ctx, &a, ViewWhat::Items)
}

fn dict_pop<'h>(ctx: &Ctx<'h>, a: Args<'_, 'h>) -> PyResult<'h> {
    a.check_method("pop", 1, 2)?;
    let d = this(&a).as_dict()?;
    match ctx.dict_get(d, &a.pos[1])? {
        Some(v) => {
            d.remove(&a.pos[1])?;
            Ok(v)
        }
        None => match a.get(2) {
            Some(dflt) => Ok(dflt.clone()),
            None => Err(ctx.key_error(&a.pos[1])),
        },
    }
}

fn dict_popitem<'h>(ctx: &Ctx<'h>, a: Args<'_, 'h>) -> PyResult<'h> {
    a.check_method("popitem", 0, 0)?;
    let d = this(&a).as_dict()?;
    match d.items().pop() {
        Some((k, v)) => {
            d.remove(&k)?;
            Ok(ctx.heap.tuple(&[k, v])?.into_obj())
        }
        None => err(ExcTy::KeyError, "popitem(): dictionary is empty"),
    }
}

fn dict_setdefault<'h>(ctx: &Ctx<'h>, a: Args<'_, 'h>) -> PyResult<'h> {
    a.check_method("setdefault", 1, 2)?;
    let d = this(&a).as_dict()?;
    match ctx.dict_get(d, &a.pos[1])? {
        Some(v) => Ok(v),
        None => {
            let v = a.get(2).cloned().unwrap_or_else(|| ctx.none());
            ctx.dict_set(d, &a.pos[1], &v)?;
            Ok(v)
        }
    }
}

fn dict_update<'h>(ctx: &Ctx<'h>, a: Args<'_, 'h>) -> PyResult<'h> {
    let d = this(&a).as_dict()?;
    if let Some(o) = a.get(1) {
        ctx.dict_update(d, o)?;
    }
    for (k, v) in a.kw {
        d.set(k, v)?;
    }
    Ok(ctx.none())
}

fn dict_clear<'h>(ctx: &Ctx<'h>, a: Args<'_, 'h>) -> PyResult<'h> {
    a.check_method("clear", 0, 0)?;
    this(&a).as_dict()?.clear();
    Ok(ctx.none())
}

fn dict_copy<'h>(ctx: &Ctx<'h>, a: Args<'_, 'h>) -> PyResult<'h> {
    a.check_method("copy", 0, 0)?;
    let d = ctx.heap.dict()?;
    ctx.dict_update(&d, this(&a))?;
    Ok(d.into_obj())
}

fn s<'a, 'h>(a: &Args<'a, 'h>) -> PyResult<'h, &'a str> {
    Ok(a.pos[0].str_value()?)
}

fn opt_str<'a, 'h>(a: &Args<'a, 'h>, i: usize) -> PyResult<'h, Option<&'a str>> {
    match a.get(i) {
        Some(o) if !o.is_none() => Ok(Some(o.str_value()?)),
        _ => Ok(None),
    }
}

fn str_join<'h>(ctx: &Ctx<'h>, a: Args<'_, 'h>) -> PyResult<'h> {
    a.check_method("str.join", 1, 1)?;
    let sep = s(&a)?;
    // CPython's message for any TypeError from getting the iterator.
    let it = ctx.iter(&a.pos[1]).map_err(|e| {
        if ctx.raise_matches(&e, ExcTy::TypeError) {
            Raise::New(ExcTy::TypeError, "can only join an iterable".into())
        } else {
            e
        }
    })?;
    let items = ctx.collect(&it)?;
    if let [one] = &items[..]
        && one.kind() == Kind::Str
    {
        // One str joins to itself, as in CPython.
        return Ok(one.clone());
    }
    // The pieces, separators between: one copy each, straight into the new str.
    let mut parts = Vec::with_capacity(2 * items.len());
    for (i, x) in items.iter().enumerate() {
        if i > 0 && !sep.is_empty() {
            parts.push(sep);
        }
        match x.str_value() {
            Ok(v) => parts.push(v),
            Err(_) => {
                return err(
                    ExcTy::TypeError,
                    format!(
                        "sequence item {i}: expected str instance, {} found",
                        ctx.type_name(x)
                    ),
                );
            }
        }
    }
    Ok(ctx.heap.str_concat(&parts)?.into_obj())
}

fn str_list<'h>(ctx: &Ctx<'h>, parts: Vec<&str>) -> PyResult<'h> {
    let v = parts
        .into_iter()
        .map(|p| ctx.str(p))
        .collect::<PyResult<'h, Vec<_>>>()?;
    Ok(ctx.heap.list(&v)?.into_obj())
}

fn str_split<'h>(ctx: &Ctx<'h>, a: Args<'_, 'h>) -> PyResult<'h> {
    let st = s(&a)?;
    let maxsplit = a
        .get(2)
        .or(a.kwarg("maxsplit"))
        .map(|m| m.as_int())
        .transpose()?
        .unwrap_or(-1);
    let sep = match a.get(1).or(a.kwarg("sep")) {
        Some(o) if !o.is_none() => Some(o.str_value()?),
        _ => None,
    };
    match sep {
        None => {
            if maxsplit < 0 {
                str_list(ctx, st.split_whitespace().collect())
            } else {
                let mut parts = vec![];
                let mut rest = st.trim_start();
                while !rest.is_empty() && (parts.len() as i64) < maxsplit {
                    let end = rest.find(char::is_whitespace).unwrap_or(rest.len());
                    parts.push(&rest[..end]);
                    rest = rest[end..].trim_start();
                }
                if !rest.is_empty() {
                    parts.push(rest);
                }
                str_list(ctx, parts)
            }
        }
        Some("") => err(ExcTy::ValueError, "empty separator"),
        Some(sep) => {
            if maxsplit < 0 {
                // A one-byte separator is an ASCII char: the char search (memchr) instead of
                // the general substring searcher, with the same pieces.
                match *sep.as_bytes() {
                    [b] => str_list(ctx, st.split(char::from(b)).collect()),
                    _ => str_list(ctx, st.split(sep).collect()),
                }
            } else {
                str_list(ctx, st.splitn(maxsplit as usize + 1, sep).collect())
            }
        }
    }
}

fn str_splitlines<'h>(ctx: &Ctx<'h>, a: Args<'_, 'h>) -> PyResult<'h> {
    str_list(ctx, s(&a)?.lines().collect())
}

fn str_strip<'h>(ctx: &Ctx<'h>, a: Args<'_, 'h>) -> PyResult<'h> {
    match opt_str(&a, 1)? {
        Some(c) => ctx.str(s(&a)?.trim_matches(|x| c.contains(x))),
        None => ctx.str(s(&a)?.trim()),
    }
}

fn str_lstrip<'h>(ctx: &Ctx<'h>, a: Args<'_, 'h>) -> PyResult<'h> {
    match opt_str(&a, 1)? {
        Some(c) => ctx.str(s(&a)?.trim_start_matches(|x| c.contains(x))),
        None => ctx.str(s(&a)?.trim_start()),
    }
}

fn str_rstrip<'h>(ctx: &Ctx<'h>, a: Args<'_, 'h>) -> PyResult<'h> {
    match opt_str(&a, 1)? {
        Some(c) => ctx.str(s(&a)?.trim_end_matches(|x| c.contains(x))),
        None => ctx.str(s(&a)?.trim_end()),
    }
}

fn str_upper<'h>(ctx: &Ctx<'h>, a: Args<'_, 'h>) -> PyResult<'h> {
    a.check_method("upper", 0, 0)?;
    let st = s(&a)?;
    if st.is_ascii() {
        return ascii_mapped(ctx, st, <[u8]>::make_ascii_uppercase);
    }
    ctx.str(&st.to_uppercase())
}

fn str_lower<'h>(ctx: &Ctx<'h>, a: Args<'_, 'h>) -> PyResult<'h> {
    a.check_method("lower", 0, 0)?;
    let st = s(&a)?;
    if st.is_ascii() {
        return ascii_mapped(ctx, st, <[u8]>::make_ascii_lowercase);
    }
    ctx.str(&st.to_lowercase())
}

/// A new str of ASCII `st`'s bytes changed in place by `map` (one copy, no `String`).
fn ascii_mapped<'h>(ctx: &Ctx<'h>, st: &str, map: fn(&mut [u8])) -> PyResult<'h> {
    let r = ctx.heap.str_with(st.len(), |b| {
        b.copy_from_slice(st.as_bytes());
        map(b);
    })?;
    Ok(r.into_obj())
}

fn str_replace<'h>(ctx: &Ctx<'h>, a: Args<'_, 'h>) -> PyResult<'h> {
    a.check_method("replace", 2, 3)?;
    let (st, from, to) = (s(&a)?, a.pos[1].str_value()?, a.pos[2].str_value()?);
    match a.get(3) {
        Some(n) if n.as_int()? >= 0 => ctx.str(&st.replacen(from, to, n.as_int()? as usize)),
        _ => ctx.str(&st.replace(from, to)),
    }
}

fn str_format<'h>(ctx: &Ctx<'h>, a: Args<'_, 'h>) -> PyResult<'h> {
    ctx.tuple_call(&a, 1)?;
    let named = super::format::Named::Keywords(a.kw);
    let out = super::format::str_format(ctx, s(&a)?, &a.pos[1..], named)?;
    ctx.str(&out)
}

fn str_format_map<'h>(ctx: &Ctx<'h>, a: Args<'_, 'h>) -> PyResult<'h> {
    a.check_method("format_map", 1, 1)?;
    let named = super::format::Named::Mapping(&a.pos[1]);
    let out = super::format::str_format(ctx, s(&a)?, &[], named)?;
    ctx.str(&out)
}

fn pred<'h>(ctx: &Ctx<'h>, a: &Args<'_, 'h>, f: fn(char) -> bool) -> PyResult<'h> {
    let st = s(a)?;
    Ok(ctx.bool(!st.is_empty() && st.chars().all(f)))
}

fn str_isascii<'h>(ctx: &Ctx<'h>, a: Args<'_, 'h>) -> PyResult<'h> {
    a.check_method("isascii", 0, 0)?;
    Ok(ctx.bool(s(&a)?.is_ascii()))
}
/// Decimal digits: ASCII, Arabic-Indic and full-width ones (CPython takes every Unicode `Nd`
/// character; other scripts' digits are not told apart here).
fn str_isdecimal<'h>(ctx: &Ctx<'h>, a: Args<'_, 'h>) -> PyResult<'h> {
    a.check_method("isdecimal", 0, 0)?;
    pred(ctx, &a, |c| {
        c.is_ascii_digit()
            || ('\u{660}'..='\u{669}').contains(&c)
            || ('\u{ff10}'..='\u{ff19}').contains(&c)
    })
}
fn str_isnumeric<'h>(ctx: &Ctx<'h>, a: Args<'_, 'h>) -> PyResult<'h> {
    a.check_method("isnumeric", 0, 0)?;
    pred(ctx, &a, char::is_numeric)
}
/// No control, format or separator character other than the space (empty: True).
fn str_isprintable<'h>(ctx: &Ctx<'h>, a: Args<'_, 'h>) -> PyResult<'h> {
    a.check_method("isprintable", 0, 0)?;
    let ok = |c: char| c == ' ' || !(c.is_control() || c.is_whitespace());
    Ok(ctx.bool(s(&a)?.chars().all(ok)))
}
/// Upper-case letters only after uncased characters, lower-case ones only after cased ones,
/// and at least one cased letter.
fn str_istitle<'h>(ctx: &Ctx<'h>, a: Args<'_, 'h>) -> PyResult<'h> {
    a.check_method("istitle", 0, 0)?;
    let (mut cased, mut after_cased) = (false, false);
    for c in s(&a)?.chars() {
        // Title-case letters (`ǅ`) count as upper case: they differ from both their cases.
        let title = c.is_alphabetic()
            && !c.is_lowercase()
            && c.to_uppercase().ne(Some(c))
            && c.to_lowercase().ne(Some(c));
        if c.is_uppercase() || title {
            if after_cased {
                return Ok(ctx.bool(false));
            }
            (cased, after_cased) = (true, true);
        } else if c.is_lowercase() {
            if !after_cased {
                return Ok(ctx.bool(false));
            }
            (cased, after_cased) = (true, true);
        } else {
            after_cased = false;
        }
    }
    Ok(ctx.bool(cased))
}
fn str_isdigit<'h>(ctx: &Ctx<'h>, a: Args<'_, 'h>) -> PyResult<'h> {
    a.check_method("isdigit", 0, 0)?;
    pred(ctx, &a, |c| c.is_ascii_digit())
}
fn str_isalpha<'h>(ctx: &Ctx<'h>, a: Args<'_, 'h>) -> PyResult<'h> {
    a.check_method("isalpha", 0, 0)?;
    pred(ctx, &a, char::is_alphabetic)
}
fn str_isspace<'h>(ctx: &Ctx<'h>, a: Args<'_, 'h>) -> PyResult<'h> {
    a.check_method("isspace", 0, 0)?;
    pred(ctx, &a, char::is_whitespace)
}
fn str_isalnum<'h>(ctx: &Ctx<'h>, a: Args<'_, 'h>) -> PyResult<'h> {
    a.check_method("isalnum", 0, 0)?;
    pred(ctx, &a, char::is_alphanumeric)
}
fn str_isupper<'h>(ctx: &Ctx<'h>, a: Args<'_, 'h>) -> PyResult<'h> {
    a.check_method("isupper", 0, 0)?;
    let st = s(&a)?;
    Ok(ctx.bool(st.chars().any(char::is_alphabetic) && !st.chars().any(char::is_lowercase)))
}
fn str_islower<'h>(ctx: &Ctx<'h>, a: Args<'_, 'h>) -> PyResult<'h> {
    a.check_method("islower", 0, 0)?;
    let st = s(&a)?;
    Ok(ctx.bool(st.chars().any(char::is_alphabetic) && !st.chars().any(char::is_uppercase)))
}
fn str_isidentifier<'h>(ctx: &Ctx<'h>, a: Args<'_, 'h>) -> PyResult<'h> {
    a.check_method("isidentifier", 0, 0)?;
    let st = s(&a)?;
    let ok = st
        .chars()
        .next()
        .is_some_and(|c| c.is_alphabetic() || c == '_')
        && st.chars().all(|c| c.is_alphanumeric() || c == '_');
    Ok(ctx.bool(ok))
}

fn str_title<'h>(ctx: &Ctx<'h>, a: Args<'_, 'h>) -> PyResult<'h> {
    a.check_method("title", 0, 0)?;
    let mut out = String::new();
    let mut prev_alpha = false;
    for c in s(&a)?.chars() {
        if prev_alpha {
            out.extend(c.to_lowercase());
        } else {
            out.extend(c.to_uppercase());
        }
        prev_alpha = c.is_alphabetic();
    }
    ctx.str(&out)
}

fn str_capitalize<'h>(ctx: &Ctx<'h>, a: Args<'_, 'h>) -> PyResult<'h> {
    a.check_method("capitalize", 0, 0)?;
    let st = s(&a)?;
    let mut cs = st.chars();
    let out = match cs.next() {
        Some(c) => c
            .to_uppercase()
            .chain(cs.as_str().to_lowercase().chars())
            .collect(),
        None => String::new(),
    };
    ctx.str(&out)
}

fn pad<'h>(ctx: &Ctx<'h>, a: &Args<'_, 'h>, align: char) -> PyResult<'h> {
    let name = match align {
        '^' => "center",
        '<' => "ljust",
        _ => "rjust",
    };
    a.check_method(name, 1, 2)?;
    let st = s(a)?;
    let w = a.pos[1].as_int()?.max(0) as usize;
    let fill = opt_str(a, 2)?.and_then(|f| f.chars().next()).unwrap_or(' ');
    ctx.str(&super::format::align(st, w, align, fill))
}

fn str_center<'h>(ctx: &Ctx<'h>, a: Args<'_, 'h>) -> PyResult<'h> {
    pad(ctx, &a, '^')
}
fn str_ljust<'h>(ctx: &Ctx<'h>, a: Args<'_, 'h>) -> PyResult<'h> {
    pad(ctx, &a, '<')
}
fn str_rjust<'h>(ctx: &Ctx<'h>, a: Args<'_, 'h>) -> PyResult<'h> {
    pad(ctx, &a, '>')
}
fn str_zfill<'h>(ctx: &Ctx<'h>, a: Args<'_, 'h>) -> PyResult<'h> {
    a.check_method("zfill", 1, 1)?;
    let st = s(&a)?;
    let w = a.pos[1].as_int()?.max(0) as usize;
    let n = st.chars().count();
    if n >= w {
        return ctx.str(st);
    }
    let (sign, rest) = match st.chars().next() {
        Some(c @ ('+' | '-')) => (c.to_string(), &st[1..]),
        _ => (String::new(), st),
    };
    ctx.str(&format!("{sign}{}{rest}", "0".repeat(w - n)))
}

fn str_encode<'h>(ctx: &Ctx<'h>, a: Args<'_, 'h>) -> PyResult<'h> {
    a.check_method("encode", 0, 2)?;
    let enc = match a.get(1).or(a.kwarg("encoding")) {
        Some(e) => e.str_value()?.to_string(),
        None => "utf-8".into(),
    };
    ctx.new_bytes(&super::bytes::encode(ctx, s(&a)?, &enc)?)
}

fn gen_send<'h>(ctx: &Ctx<'h>, a: Args<'_, 'h>) -> PyResult<'h> {
    a.check_method("send", 1, 1)?;
    match ctx.send(&a.pos[0], a.pos[1].clone())? {
        Outcome::Yield(v) => Ok(v),
        Outcome::Return(v) => Err(stop_iteration(ctx, v)),
    }
}

fn gen_next<'h>(ctx: &Ctx<'h>, a: Args<'_, 'h>) -> PyResult<'h> {
    match ctx.send(&a.pos[0], ctx.none())? {
        Outcome::Yield(v) => Ok(v),
        Outcome::Return(v) => Err(stop_iteration(ctx, v)),
    }
}

/// `StopIteration(v)` (no argument for None), as a generator's return raises it.
pub fn stop_iteration<'h>(ctx: &Ctx<'h>, v: Obj<'h>) -> Raise<'h> {
    let cls = ctx.exc(ExcTy::StopIteration).obj();
    let args = if v.is_none() { vec![] } else { vec![v] };
    match ctx.call(&cls, args, vec![]) {
        Ok(e) => Raise::Obj(e),
        Err(e) => e,
    }
}

fn gen_close<'h>(ctx: &Ctx<'h>, a: Args<'_, 'h>) -> PyResult<'h> {
    ctx.gen_close(&a.pos[0])?;
    Ok(ctx.none())
}

fn gen_throw<'h>(ctx: &Ctx<'h>, a: Args<'_, 'h>) -> PyResult<'h> {
    a.check_method("throw", 1, 3)?;
    let exc = ctx.make_raisable(a.pos[1].clone())?;
    match ctx.resume(&a.pos[0], Err(Raise::Obj(exc)))? {
        Outcome::Yield(v) => Ok(v),
        Outcome::Return(v) => Err(stop_iteration(ctx, v)),
    }
}

/// `prop.getter(f)`, `.setter(f)`, `.deleter(f)`: a copy of the property with one function
/// replaced (CPython's `property_copy`).
fn prop_with<'h>(ctx: &Ctx<'h>, a: &Args<'_, 'h>, which: usize) -> PyResult<'h> {
    a.check(["getter", "setter", "deleter"][which], 2, 2)?;
    let w = a.pos[0].as_user::<Wrapper>()?.borrow()?;
    let mut fs = [w.f.clone(), w.fset.clone(), w.fdel.clone()];
    fs[which] = (!a.pos[1].is_none()).then(|| Member::new(&a.pos[1]));
    let [f, fset, fdel] = fs;
    Ok(ctx
        .heap
        .new_user(Wrapper {
            kind: WrapKind::Property,
            f,
            fset,
            fdel,
        })?
        .into_obj())
}
/// `f.__get__(obj, type=None)`: a function is a non-data descriptor, bound to `obj`, or itself
/// when `obj` is None.
fn function_get<'h>(ctx: &Ctx<'h>, a: Args<'_, 'h>) -> PyResult<'h> {
    let f = this(&a);
    let rest = &a.pos[1..];
    match rest {
        [] => err(ExcTy::TypeError, " expected at least 1 argument, got 0"),
        [_, _, _, ..] => err(
            ExcTy::TypeError,
            format!("expected at most 2 arguments, got {}", rest.len()),
        ),
        [o, t] if o.is_none() && t.is_none() => {
            err(ExcTy::TypeError, "__get__(None, None) is invalid")
        }
        [o, ..] if o.is_none() => Ok(f.clone()),
        [o, ..] => ctx.bound_method(f, o),
    }
}

fn prop_getter<'h>(ctx: &Ctx<'h>, a: Args<'_, 'h>) -> PyResult<'h> {
    prop_with(ctx, &a, 0)
}
fn prop_setter<'h>(ctx: &Ctx<'h>, a: Args<'_, 'h>) -> PyResult<'h> {
    prop_with(ctx, &a, 1)
}
fn prop_deleter<'h>(ctx: &Ctx<'h>, a: Args<'_, 'h>) -> PyResult<'h> {
    prop_with(ctx, &a, 2)
}

fn iter_next_m<'h>(ctx: &Ctx<'h>, a: Args<'_, 'h>) -> PyResult<'h> {
    match ctx.next(this(&a))? {
        Some(v) => Ok(v),
        None => err(ExcTy::StopIteration, ""),
    }
}
fn iter_self<'h>(_: &Ctx<'h>, a: Args<'_, 'h>) -> PyResult<'h> {
    Ok(this(&a).clone())
}

/// `slice.indices(length)`: `(start, stop, step)` clipped to the length.
fn slice_indices<'h>(ctx: &Ctx<'h>, a: Args<'_, 'h>) -> PyResult<'h> {
    a.check_method("indices", 1, 1)?;
    let n = a.pos[1].as_int()?;
    if n < 0 {
        return err(ExcTy::ValueError, "length should not be negative");
    }
    let (start, stop, step) = ctx.slice_indices(this(&a), n as usize)?;
    Ok(ctx
        .heap
        .tuple(&[ctx.int(start)?, ctx.int(stop)?, ctx.int(step)?])?
        .into_obj())
}
