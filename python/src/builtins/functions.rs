//! The built-in functions (`print`, `len`, `range`, `isinstance`, `sorted`, ...), the
//! constructors of built-in types (`int(x)`, `list(it)`, ...) and `__build_class__`.

use crate::objects::function::{Function, NativeFn, Super, WrapKind, Wrapper};
use crate::objects::iter::{IterKind, Range};
use crate::vm::number::{Num, num};
use crate::vm::{Args, Ctx, ExcTy, PyResult, Raise, Ty, err};
use pyheap_runtime::{ClassSpec, Kind, Member, Obj};

pub fn install<'h>(ctx: &Ctx<'h>) -> PyResult<'h, ()> {
    let table: &[(&'static str, NativeFn)] = &[
        ("print", print),
        ("len", len),
        ("repr", repr),
        ("ascii", ascii),
        ("isinstance", isinstance),
        ("issubclass", issubclass),
        ("getattr", getattr),
        ("setattr", setattr),
        ("hasattr", hasattr),
        ("delattr", delattr),
        ("id", id),
        ("hash", hash),
        ("iter", iter),
        ("next", next),
        ("enumerate", enumerate),
        ("zip", zip),
        ("map", map),
        ("filter", filter),
        ("sorted", sorted),
        ("reversed", reversed),
        ("min", min),
        ("max", max),
        ("sum", sum),
        ("abs", abs),
        ("any", any),
        ("all", all),
        ("callable", callable),
        ("compile", super::introspect::compile_builtin),
        ("divmod", divmod),
        ("pow", pow),
        ("round", round),
        ("chr", chr),
        ("ord", ord),
        ("hex", hex),
        ("oct", oct),
        ("bin", bin),
        ("format", format),
        ("__build_class__", build_class),
        ("__import__", import),
        ("exit", exit),
        ("quit", exit),
    ];
    for &(name, f) in table {
        let o = ctx.native(name, f)?;
        ctx.builtins.set(&ctx.intern(name)?, &o)?;
    }
    for &(name, f) in super::introspect::NATIVES {
        let o = ctx.frame_native(name, f)?;
        ctx.builtins.set(&ctx.intern(name)?, &o)?;
    }
    let init = ctx.native("__init__", exc_init)?;
    ctx.exc(ExcTy::BaseException).setattr("__init__", &init)?;
    Ok(())
}

fn exc_init<'h>(ctx: &Ctx<'h>, a: Args<'_, 'h>) -> PyResult<'h> {
    let this = &a.pos[0];
    let args = ctx.heap.tuple(&a.pos[1..])?;
    this.as_instance()?.setattr("args", &args)?;
    Ok(ctx.none())
}

fn print<'h>(ctx: &Ctx<'h>, a: Args<'_, 'h>) -> PyResult<'h> {
    // CPython's print parses its keywords with a parser made on first use and takes its
    // positional arguments as a tuple (`vm/firstuse.rs`).
    ctx.print_first_use()?;
    ctx.heap.transient_tuple(a.pos.len())?;
    let sep = print_text(ctx, a.kwarg("sep"), "sep", " ")?;
    let end = print_text(ctx, a.kwarg("end"), "end", "\n")?;
    let flush = match a.kwarg("flush") {
        Some(f) => ctx.truthy(f)?,
        None => false,
    };
    if let Some(file) = a.kwarg("file").filter(|f| !f.is_none()) {
        // Any object with a `write` method, called once per piece as CPython's print does
        // (sys.stdout / sys.stderr answer with their native write).
        let write = ctx.getattr(file, "write")?;
        for (i, x) in a.pos.iter().enumerate() {
            if i > 0 {
                ctx.call(&write, vec![ctx.str(&sep)?], vec![])?;
            }
            let piece = ctx.str(&ctx.str_of(x)?)?;
            ctx.call(&write, vec![piece], vec![])?;
        }
        ctx.call(&write, vec![ctx.str(&end)?], vec![])?;
        if flush {
            let f = ctx.getattr(file, "flush")?;
            ctx.call(&f, vec![], vec![])?;
        }
        return Ok(ctx.none());
    }
    let mut out = String::new();
    for (i, x) in a.pos.iter().enumerate() {
        if i > 0 {
            out.push_str(&sep);
        }
        out.push_str(&ctx.str_of(x)?);
    }
    out.push_str(&end);
    ctx.write_out(&out);
    if flush {
        ctx.flush();
    }
    Ok(ctx.none())
}

/// print's `sep=` / `end=`: None or absent for the default, else a str (CPython's TypeError
/// otherwise).
fn print_text<'h>(
    ctx: &Ctx<'h>,
    arg: Option<&Obj<'h>>,
    name: &str,
    default: &str,
) -> PyResult<'h, String> {
    match arg {
        None => Ok(default.into()),
        Some(s) if s.is_none() => Ok(default.into()),
        Some(s) => match s.str_value() {
            Ok(t) => Ok(t.into()),
            Err(_) => err(
                ExcTy::TypeError,
                format!("{name} must be None or a string, not {}", ctx.type_name(s)),
            ),
        },
    }
}

fn len<'h>(ctx: &Ctx<'h>, a: Args<'_, 'h>) -> PyResult<'h> {
    a.check("len", 1, 1)?;
    ctx.int(ctx.len(&a.pos[0])? as i64)
}

fn repr<'h>(ctx: &Ctx<'h>, a: Args<'_, 'h>) -> PyResult<'h> {
    a.check("repr", 1, 1)?;
    ctx.str(&ctx.repr(&a.pos[0])?)
}

fn ascii<'h>(ctx: &Ctx<'h>, a: Args<'_, 'h>) -> PyResult<'h> {
    a.check("ascii", 1, 1)?;
    ctx.str(&crate::vm::repr::ascii(&ctx.repr(&a.pos[0])?))
}

#[allow(clippy::only_used_in_recursion)]
fn class_or_tuple<'h>(
    ctx: &Ctx<'h>,
    c: &Obj<'h>,
    f: &dyn Fn(&Obj<'h>) -> bool,
    what: &str,
) -> PyResult<'h, bool> {
    if let Ok(t) = c.as_tuple() {
        for x in t.to_vec() {
            if class_or_tuple(ctx, &x, f, what)? {
                return Ok(true);
            }
        }
        return Ok(false);
    }
    if c.is_user::<crate::objects::misc::Union>() {
        for m in ctx.union_members(c)? {
            let m = if m.is_none() { ctx.type_of(&m) } else { m };
            if f(&m) {
                return Ok(true);
            }
        }
        return Ok(false);
    }
    if c.kind() != Kind::Class {
        return err(
            ExcTy::TypeError,
            format!("{what}() arg 2 must be a type, a tuple of types, or a union"),
        );
    }
    Ok(f(c))
}

fn isinstance<'h>(ctx: &Ctx<'h>, a: Args<'_, 'h>) -> PyResult<'h> {
    a.check("isinstance", 2, 2)?;
    let o = &a.pos[0];
    if let Some(r) = ctx.metaclass_check(o, &a.pos[1], "__instancecheck__") {
        return r;
    }
    let r = class_or_tuple(ctx, &a.pos[1], &|c| ctx.isinstance(o, c), "isinstance")?;
    Ok(ctx.bool(r))
}

fn issubclass<'h>(ctx: &Ctx<'h>, a: Args<'_, 'h>) -> PyResult<'h> {
    a.check("issubclass", 2, 2)?;
    let o = &a.pos[0];
    if o.kind() != Kind::Class {
        return err(ExcTy::TypeError, "issubclass() arg 1 must be a class");
    }
    if let Some(r) = ctx.metaclass_check(o, &a.pos[1], "__subclasscheck__") {
        return r;
    }
    let r = class_or_tuple(ctx, &a.pos[1], &|c| ctx.is_subclass(o, c), "issubclass")?;
    Ok(ctx.bool(r))
}

fn attr_name<'h>(o: &Obj<'h>) -> PyResult<'h, String> {
    match o.str_value() {
        Ok(s) => Ok(s.to_string()),
        Err(_) => err(ExcTy::TypeError, "attribute name must be string"),
    }
}

fn getattr<'h>(ctx: &Ctx<'h>, a: Args<'_, 'h>) -> PyResult<'h> {
    a.check("getattr", 2, 3)?;
    let name = attr_name(&a.pos[1])?;
    match ctx.getattr(&a.pos[0], &name) {
        Err(e) if a.len() == 3 && ctx.raise_matches(&e, ExcTy::AttributeError) => {
            Ok(a.pos[2].clone())
        }
        r => r,
    }
}

fn setattr<'h>(ctx: &Ctx<'h>, a: Args<'_, 'h>) -> PyResult<'h> {
    a.check("setattr", 3, 3)?;
    ctx.setattr(&a.pos[0], &attr_name(&a.pos[1])?, a.pos[2].clone())?;
    Ok(ctx.none())
}

fn hasattr<'h>(ctx: &Ctx<'h>, a: Args<'_, 'h>) -> PyResult<'h> {
    a.check("hasattr", 2, 2)?;
    match ctx.getattr(&a.pos[0], &attr_name(&a.pos[1])?) {
        Ok(_) => Ok(ctx.bool(true)),
        Err(e) if ctx.raise_matches(&e, ExcTy::AttributeError) => Ok(ctx.bool(false)),
        Err(e) => Err(e),
    }
}

fn delattr<'h>(ctx: &Ctx<'h>, a: Args<'_, 'h>) -> PyResult<'h> {
    a.check("delattr", 2, 2)?;
    ctx.delattr(&a.pos[0], &attr_name(&a.pos[1])?)?;
    Ok(ctx.none())
}

fn id<'h>(ctx: &Ctx<'h>, a: Args<'_, 'h>) -> PyResult<'h> {
    a.check("id", 1, 1)?;
    ctx.int(ctx.heap.id(&a.pos[0]) as i64)
}

fn hash<'h>(ctx: &Ctx<'h>, a: Args<'_, 'h>) -> PyResult<'h> {
    a.check("hash", 1, 1)?;
    ctx.int(ctx.hash(&a.pos[0])?)
}

fn iter<'h>(ctx: &Ctx<'h>, a: Args<'_, 'h>) -> PyResult<'h> {
    a.check("iter", 1, 2)?;
    if a.len() == 2 {
        return ctx.new_iter(
            IterKind::Callable {
                f: Member::new(&a.pos[0]),
                sentinel: Member::new(&a.pos[1]),
            },
            "callable_iterator",
        );
    }
    ctx.iter(&a.pos[0])
}

fn next<'h>(ctx: &Ctx<'h>, a: Args<'_, 'h>) -> PyResult<'h> {
    a.check("next", 1, 2)?;
    let it = &a.pos[0];
    let is_iter = it.as_user::<crate::objects::iter::Iter>().is_ok()
        || it.is_user::<crate::objects::iter::RangeIter>()
        || it.as_user::<crate::objects::generator::Generator>().is_ok()
        || ctx.lookup_special(it, "__next__").is_some();
    if !is_iter {
        return err(
            ExcTy::TypeError,
            format!("'{}' object is not an iterator", ctx.type_name(it)),
        );
    }
    // A `__next__`'s own StopIteration (and its value) reaches the caller.
    if it.kind() == Kind::Instance {
        return match ctx
            .call_special(it, "__next__", &[])
            .expect("checked above")
        {
            Err(e) if a.len() == 2 && ctx.raise_matches(&e, ExcTy::StopIteration) => {
                Ok(a.pos[1].clone())
            }
            r => r,
        };
    }
    // A generator's return value travels on the StopIteration (`e.value`).
    let (v, returned) = if it.as_user::<crate::objects::generator::Generator>().is_ok() {
        match ctx.send(it, ctx.none())? {
            crate::vm::eval::Outcome::Yield(v) => (Some(v), None),
            crate::vm::eval::Outcome::Return(r) => (None, Some(r)),
        }
    } else {
        (ctx.next(it)?, None)
    };
    match v {
        Some(v) => Ok(v),
        None if a.len() == 2 => Ok(a.pos[1].clone()),
        None => match returned.filter(|r| !r.is_none()) {
            Some(r) => {
                let cls = ctx.exc(ExcTy::StopIteration).obj();
                Err(Raise::Obj(ctx.call(&cls, vec![r], vec![])?))
            }
            None => Err(Raise::New(ExcTy::StopIteration, String::new())),
        },
    }
}

fn enumerate<'h>(ctx: &Ctx<'h>, a: Args<'_, 'h>) -> PyResult<'h> {
    a.check("enumerate", 1, 2)?;
    // enumerate.__new__ takes a tuple (and a dict) of its arguments (`vm/firstuse.rs`).
    ctx.tuple_call(&a, 0)?;
    let start = match a.get(1).or(a.kwarg("start")) {
        Some(s) => s.as_int()?,
        None => 0,
    };
    let it = ctx.iter(&a.pos[0])?;
    ctx.new_iter(
        IterKind::Enumerate {
            it: Member::new(&it),
            count: start,
        },
        "enumerate",
    )
}

fn zip<'h>(ctx: &Ctx<'h>, a: Args<'_, 'h>) -> PyResult<'h> {
    // zip.__new__ takes a tuple of its arguments and keeps two of the same length: the
    // iterators and the result it reuses (`vm/firstuse.rs`).
    ctx.heap.transient_tuples(a.pos.len(), 3)?;
    let mut strict = false;
    for (k, v) in a.kw {
        match k.str_value()? {
            "strict" => strict = ctx.truthy(v)?,
            k => {
                return err(
                    ExcTy::TypeError,
                    format!("'{k}' is an invalid keyword argument for zip()"),
                );
            }
        }
    }
    let its = a
        .pos
        .iter()
        .map(|o| ctx.iter(o).map(|i| Member::new(&i)))
        .collect::<PyResult<'h, _>>()?;
    ctx.new_iter(IterKind::Zip { its, strict }, "zip")
}

fn map<'h>(ctx: &Ctx<'h>, a: Args<'_, 'h>) -> PyResult<'h> {
    ctx.tuple_call(&a, 0)?;
    if a.len() < 2 {
        return err(ExcTy::TypeError, "map() must have at least two arguments.");
    }
    let its = a.pos[1..]
        .iter()
        .map(|o| ctx.iter(o).map(|i| Member::new(&i)))
        .collect::<PyResult<'h, _>>()?;
    ctx.new_iter(
        IterKind::Map {
            f: Member::new(&a.pos[0]),
            its,
        },
        "map",
    )
}

fn filter<'h>(ctx: &Ctx<'h>, a: Args<'_, 'h>) -> PyResult<'h> {
    a.check("filter", 2, 2)?;
    let it = ctx.iter(&a.pos[1])?;
    ctx.new_iter(
        IterKind::Filter {
            f: Member::new(&a.pos[0]),
            it: Member::new(&it),
        },
        "filter",
    )
}

/// Sort `items` stably by `key` (or the items), in place; errors from comparisons propagate.
/// Only `<` is asked, once per step of a merge sort (as CPython's sort asks only `<`);
/// `reverse` sorts the reversed list and reverses the result, which keeps equal items in
/// their original order, as CPython does.
pub fn sort_items<'h>(
    ctx: &Ctx<'h>,
    items: Vec<Obj<'h>>,
    key: Option<&Obj<'h>>,
    reverse: bool,
) -> PyResult<'h, Vec<Obj<'h>>> {
    let keys: Vec<Obj<'h>> = match key {
        Some(k) if !k.is_none() => items
            .iter()
            .map(|x| ctx.call1(k, std::slice::from_ref(x)))
            .collect::<PyResult<'h, _>>()?,
        _ => items.clone(),
    };
    let mut idx: Vec<usize> = (0..items.len()).collect();
    if reverse {
        idx.reverse();
    }
    let mut less = |a: usize, b: usize| -> PyResult<'h, bool> {
        ctx.compare_bool(crate::bytecode::CmpOp::Lt, &keys[a], &keys[b])
    };
    merge_sort(&mut idx, &mut less)?;
    if reverse {
        idx.reverse();
    }
    Ok(idx.into_iter().map(|i| items[i].clone()).collect())
}

/// Stable sort of `v` by a fallible `less`, asked about each pair at most once per merge
/// step: binary insertion below 16 items, then merges of sorted halves (an item from the
/// right half goes first only when it is strictly less, which keeps equal items in order).
fn merge_sort<'h>(
    v: &mut [usize],
    less: &mut impl FnMut(usize, usize) -> PyResult<'h, bool>,
) -> PyResult<'h, ()> {
    const SMALL: usize = 16;
    if v.len() <= SMALL {
        for i in 1..v.len() {
            let x = v[i];
            // The first position whose item is greater than x: x goes after its equals.
            let (mut lo, mut hi) = (0, i);
            while lo < hi {
                let mid = (lo + hi) / 2;
                if less(x, v[mid])? {
                    hi = mid;
                } else {
                    lo = mid + 1;
                }
            }
            v.copy_within(lo..i, lo + 1);
            v[lo] = x;
        }
        return Ok(());
    }
    let mid = v.len() / 2;
    merge_sort(&mut v[..mid], less)?;
    merge_sort(&mut v[mid..], less)?;
    // Already in order: one comparison, no merge.
    if !less(v[mid], v[mid - 1])? {
        return Ok(());
    }
    let left = v[..mid].to_vec();
    let (mut i, mut j, mut k) = (0, mid, 0);
    while i < left.len() && j < v.len() {
        if less(v[j], left[i])? {
            v[k] = v[j];
            j += 1;
        } else {
            v[k] = left[i];
            i += 1;
        }
        k += 1;
    }
    while i < left.len() {
        v[k] = left[i];
        i += 1;
        k += 1;
    }
    Ok(())
}

fn sorted<'h>(ctx: &Ctx<'h>, a: Args<'_, 'h>) -> PyResult<'h> {
    a.check("sorted", 1, 1)?;
    let items = ctx.collect(&a.pos[0])?;
    let reverse = a
        .kwarg("reverse")
        .map(|r| ctx.truthy(r))
        .transpose()?
        .unwrap_or(false);
    let v = sort_items(ctx, items, a.kwarg("key"), reverse)?;
    Ok(ctx.heap.list(&v)?.into_obj())
}

fn reversed<'h>(ctx: &Ctx<'h>, a: Args<'_, 'h>) -> PyResult<'h> {
    a.check("reversed", 1, 1)?;
    let o = &a.pos[0];
    if let Some(r) = ctx.call_special(o, "__reversed__", &[]) {
        return r;
    }
    if let Ok(r) = o.as_user::<Range>() {
        let (start, step, n) = {
            let r = r.borrow()?;
            (r.start, r.step, r.len())
        };
        let last = start + (n - 1) * step;
        let it = crate::objects::iter::RangeIter {
            next: last,
            stop: start - step,
            step: -step,
        };
        return Ok(ctx.heap.new_user(it)?.into_obj());
    }
    let seq = match o.kind() {
        Kind::List | Kind::Tuple => o.clone(),
        _ => ctx.heap.tuple(&ctx.collect(o)?)?.into_obj(),
    };
    let n = ctx.seq_items(&seq)?.len();
    ctx.new_iter(
        IterKind::Reversed {
            seq: Member::new(&seq),
            index: n,
        },
        "list_reverseiterator",
    )
}

fn min_max<'h>(
    ctx: &Ctx<'h>,
    a: Args<'_, 'h>,
    name: &str,
    op: crate::bytecode::CmpOp,
) -> PyResult<'h> {
    ctx.tuple_call(&a, 0)?;
    let items = if a.len() == 1 {
        ctx.collect(&a.pos[0])?
    } else {
        a.pos.to_vec()
    };
    if a.is_empty() {
        return err(
            ExcTy::TypeError,
            format!("{name} expected at least 1 argument, got 0"),
        );
    }
    let key = a.kwarg("key").filter(|k| !k.is_none());
    let mut best: Option<(Obj<'h>, Obj<'h>)> = None;
    for x in items {
        let k = match key {
            Some(f) => ctx.call1(f, std::slice::from_ref(&x))?,
            None => x.clone(),
        };
        best = match best {
            None => Some((k, x)),
            Some((bk, bx)) => {
                if ctx.compare_bool(op, &k, &bk)? {
                    Some((k, x))
                } else {
                    Some((bk, bx))
                }
            }
        };
    }
    match best {
        Some((_, x)) => Ok(x),
        None => match a.kwarg("default") {
            Some(d) => Ok(d.clone()),
            None => err(
                ExcTy::ValueError,
                format!("{name}() arg is an empty sequence"),
            ),
        },
    }
}

fn min<'h>(ctx: &Ctx<'h>, a: Args<'_, 'h>) -> PyResult<'h> {
    min_max(ctx, a, "min", crate::bytecode::CmpOp::Lt)
}

fn max<'h>(ctx: &Ctx<'h>, a: Args<'_, 'h>) -> PyResult<'h> {
    min_max(ctx, a, "max", crate::bytecode::CmpOp::Gt)
}

fn sum<'h>(ctx: &Ctx<'h>, a: Args<'_, 'h>) -> PyResult<'h> {
    a.check("sum", 1, 2)?;
    let mut acc = match a.get(1).or(a.kwarg("start")) {
        Some(s) => s.clone(),
        None => ctx.int(0)?,
    };
    if acc.kind() == Kind::Str {
        return err(
            ExcTy::TypeError,
            "sum() can't sum strings [use ''.join(seq) instead]",
        );
    }
    let it = ctx.iter(&a.pos[0])?;
    while let Some(x) = ctx.next(&it)? {
        acc = ctx.binary(crate::bytecode::BinOp::Add, &acc, &x)?;
    }
    Ok(acc)
}

fn abs<'h>(ctx: &Ctx<'h>, a: Args<'_, 'h>) -> PyResult<'h> {
    a.check("abs", 1, 1)?;
    match num(&a.pos[0]) {
        Some(Num::I(_) | Num::Big) => Ok(ctx.heap.int_abs(&a.pos[0])?),
        Some(Num::F(f)) => Ok(ctx.heap.float(f.abs())?),
        None => match ctx.call_special(&a.pos[0], "__abs__", &[]) {
            Some(r) => r,
            None => err(
                ExcTy::TypeError,
                format!("bad operand type for abs(): '{}'", ctx.type_name(&a.pos[0])),
            ),
        },
    }
}

fn any<'h>(ctx: &Ctx<'h>, a: Args<'_, 'h>) -> PyResult<'h> {
    a.check("any", 1, 1)?;
    let it = ctx.iter(&a.pos[0])?;
    while let Some(x) = ctx.next(&it)? {
        if ctx.truthy(&x)? {
            return Ok(ctx.bool(true));
        }
    }
    Ok(ctx.bool(false))
}

fn all<'h>(ctx: &Ctx<'h>, a: Args<'_, 'h>) -> PyResult<'h> {
    a.check("all", 1, 1)?;
    let it = ctx.iter(&a.pos[0])?;
    while let Some(x) = ctx.next(&it)? {
        if !ctx.truthy(&x)? {
            return Ok(ctx.bool(false));
        }
    }
    Ok(ctx.bool(true))
}

fn callable<'h>(ctx: &Ctx<'h>, a: Args<'_, 'h>) -> PyResult<'h> {
    a.check("callable", 1, 1)?;
    Ok(ctx.bool(ctx.is_callable(&a.pos[0])))
}

/// `dir(o)` (`dir()` reads the caller's frame: `introspect.rs`).
pub fn dir_of<'h>(ctx: &Ctx<'h>, a: Args<'_, 'h>) -> PyResult<'h> {
    a.check("dir", 1, 1)?;
    let o = &a.pos[0];
    let mut names: Vec<String> = vec![];
    let cls = if o.kind() == Kind::Class {
        o.clone()
    } else {
        ctx.type_of(o)
    };
    if let Ok(i) = o.as_instance() {
        names.extend(i.attr_names());
    }
    if let Ok(m) = o.as_user::<crate::objects::misc::Module>() {
        // A module lists its namespace only, as CPython's `module.__dir__` does.
        let d = m.borrow()?.dict.get(ctx.heap)?;
        for k in d.as_dict()?.keys() {
            names.push(k.str_value()?.to_string());
        }
        return sorted_names(ctx, names);
    }
    for c in ctx.mro(&cls) {
        let builtin = ctx.builtin_ty(&c);
        // Kept in the class's dict here, but type attributes in CPython (not in `__dict__`);
        // built-in types have no `__module__` entry either.
        let hidden = |n: &String| {
            matches!(n.as_str(), "__mro__" | "__bases__" | "__qualname__")
                || (builtin.is_some() && n == "__module__")
        };
        names.extend(
            c.as_class()?
                .attr_names()
                .into_iter()
                .filter(|n| !hidden(n)),
        );
        if let Some(t) = builtin {
            names.extend(super::methods::names(t).map(String::from));
        }
    }
    sorted_names(ctx, names)
}

/// `names` sorted, without repeats, as a list of strs.
fn sorted_names<'h>(ctx: &Ctx<'h>, mut names: Vec<String>) -> PyResult<'h> {
    names.sort();
    names.dedup();
    let v = names
        .iter()
        .map(|n| ctx.str(n))
        .collect::<PyResult<'h, Vec<_>>>()?;
    Ok(ctx.heap.list(&v)?.into_obj())
}

fn divmod<'h>(ctx: &Ctx<'h>, a: Args<'_, 'h>) -> PyResult<'h> {
    a.check("divmod", 2, 2)?;
    let q = ctx.binary(crate::bytecode::BinOp::FloorDiv, &a.pos[0], &a.pos[1])?;
    let r = ctx.binary(crate::bytecode::BinOp::Mod, &a.pos[0], &a.pos[1])?;
    Ok(ctx.heap.tuple(&[q, r])?.into_obj())
}

fn pow<'h>(ctx: &Ctx<'h>, a: Args<'_, 'h>) -> PyResult<'h> {
    a.check("pow", 2, 3)?;
    if a.len() == 3 {
        if !a.pos.iter().all(crate::vm::number::is_int) {
            return err(
                ExcTy::TypeError,
                "pow() 3rd argument not allowed unless all arguments are integers",
            );
        }
        return Ok(ctx.heap.int_pow_mod(&a.pos[0], &a.pos[1], &a.pos[2])?);
    }
    ctx.binary(crate::bytecode::BinOp::Pow, &a.pos[0], &a.pos[1])
}

fn round<'h>(ctx: &Ctx<'h>, a: Args<'_, 'h>) -> PyResult<'h> {
    a.check("round", 1, 2)?;
    let nd = a
        .get(1)
        .filter(|n| !n.is_none())
        .map(|n| n.as_int())
        .transpose()?;
    match num(&a.pos[0]) {
        Some(Num::I(_) | Num::Big) if a.pos[0].kind() == Kind::Bool => ctx.int(a.pos[0].as_int()?),
        Some(Num::I(_) | Num::Big) => match nd {
            Some(n) if n < 0 => round_int(ctx, &a.pos[0], n),
            _ => Ok(a.pos[0].clone()),
        },
        Some(Num::F(f)) if nd.is_some_and(|n| n < 0) => {
            let n = nd.unwrap_or(0);
            if n < -308 {
                return Ok(ctx.heap.float(0.0f64.copysign(f))?);
            }
            let p = 10f64.powi(-n as i32);
            let y = f / p;
            let mut z = y.round();
            if (y - y.trunc()).abs() == 0.5 {
                z = 2.0 * (y / 2.0).round();
            }
            let r = z * p;
            if r.is_infinite() && f.is_finite() {
                return err(ExcTy::OverflowError, "rounded value too large to represent");
            }
            Ok(ctx
                .heap
                .float(if r == 0.0 { 0.0f64.copysign(f) } else { r })?)
        }
        Some(Num::F(f)) => match nd {
            None => {
                let r = f.round();
                let r = if (f - f.trunc()).abs() == 0.5 {
                    2.0 * (f / 2.0).round()
                } else {
                    r
                };
                ctx.float_to_int(r)
            }
            Some(n) => {
                let s = format!("{:.*}", n.max(0) as usize, f);
                Ok(ctx.heap.float(s.parse().unwrap_or(f))?)
            }
        },
        None => match ctx.call_special(&a.pos[0], "__round__", &a.pos[1..]) {
            Some(r) => r,
            None => err(
                ExcTy::TypeError,
                format!(
                    "type {} doesn't define __round__ method",
                    ctx.type_name(&a.pos[0])
                ),
            ),
        },
    }
}

/// `round(x, n)` of an int with `n < 0`: to a multiple of `10**-n`, halves to even.
fn round_int<'h>(ctx: &Ctx<'h>, x: &Obj<'h>, n: i64) -> PyResult<'h> {
    use num_bigint::BigInt;
    use num_integer::Integer;
    let v = x.int_value()?.to_bigint();
    let m = num_traits::pow(BigInt::from(10), (-n).min(100_000) as usize);
    let (mut q, r) = v.div_mod_floor(&m);
    let twice = &r * 2;
    if twice > m || (twice == m && q.is_odd()) {
        q += 1;
    }
    Ok(ctx.heap.int_from_bigint(&(q * m))?)
}

fn chr<'h>(ctx: &Ctx<'h>, a: Args<'_, 'h>) -> PyResult<'h> {
    a.check("chr", 1, 1)?;
    let i = a.pos[0].as_int()?;
    match u32::try_from(i).ok().and_then(char::from_u32) {
        Some(c) => ctx.str(&c.to_string()),
        None => err(ExcTy::ValueError, "chr() arg not in range(0x110000)"),
    }
}

/// `o` as an int for `hex()`, `range()`, ...: an int, or what its `__index__` returns.
pub fn index_int<'h>(ctx: &Ctx<'h>, o: &Obj<'h>) -> PyResult<'h> {
    if crate::vm::number::is_int(o) {
        return Ok(o.clone());
    }
    if let Some(r) = ctx.call_special(o, "__index__", &[]) {
        let r = r?;
        if crate::vm::number::is_int(&r) {
            return Ok(r);
        }
        return err(
            ExcTy::TypeError,
            format!("__index__ returned non-int (type {})", ctx.type_name(&r)),
        );
    }
    err(
        ExcTy::TypeError,
        format!(
            "'{}' object cannot be interpreted as an integer",
            ctx.type_name(o)
        ),
    )
}

/// `hex`, `oct`, `bin`: the `#x`/`#o`/`#b` format of the index value.
fn radix<'h>(ctx: &Ctx<'h>, a: Args<'_, 'h>, name: &str, spec: &str) -> PyResult<'h> {
    a.check(name, 1, 1)?;
    let v = index_int(ctx, &a.pos[0])?;
    ctx.str(&super::format::format_spec(ctx, &v, spec)?)
}
fn hex<'h>(ctx: &Ctx<'h>, a: Args<'_, 'h>) -> PyResult<'h> {
    radix(ctx, a, "hex", "#x")
}
fn oct<'h>(ctx: &Ctx<'h>, a: Args<'_, 'h>) -> PyResult<'h> {
    radix(ctx, a, "oct", "#o")
}
fn bin<'h>(ctx: &Ctx<'h>, a: Args<'_, 'h>) -> PyResult<'h> {
    radix(ctx, a, "bin", "#b")
}

fn ord<'h>(ctx: &Ctx<'h>, a: Args<'_, 'h>) -> PyResult<'h> {
    a.check("ord", 1, 1)?;
    let s = a.pos[0].str_value()?;
    let mut cs = s.chars();
    match (cs.next(), cs.next()) {
        (Some(c), None) => ctx.int(c as i64),
        _ => err(
            ExcTy::TypeError,
            format!(
                "ord() expected a character, but string of length {} found",
                s.chars().count()
            ),
        ),
    }
}

fn format<'h>(ctx: &Ctx<'h>, a: Args<'_, 'h>) -> PyResult<'h> {
    a.check("format", 1, 2)?;
    let spec = match a.get(1) {
        Some(s) => s.str_value()?.to_string(),
        None => String::new(),
    };
    ctx.str(&ctx.format(&a.pos[0], &spec)?)
}

fn import<'h>(ctx: &Ctx<'h>, a: Args<'_, 'h>) -> PyResult<'h> {
    a.check("__import__", 1, 5)?;
    ctx.import(a.pos[0].str_value()?)
}

fn exit<'h>(_: &Ctx<'h>, a: Args<'_, 'h>) -> PyResult<'h> {
    let _ = a;
    Err(Raise::New(ExcTy::SystemExit, String::new()))
}

/// `__build_class__(body, name, *bases, **kw)`: the metaclass (the `metaclass` keyword or
/// the bases' most derived, `metaclass.rs`), its `__prepare__` namespace, the body run in it,
/// then `metaclass(name, bases, ns, **kw)`.
fn build_class<'h>(ctx: &Ctx<'h>, a: Args<'_, 'h>) -> PyResult<'h> {
    let body = &a.pos[0];
    let name = a.pos[1].str_value()?.to_string();
    let given = &a.pos[2..];
    let mut kw: Vec<(Obj<'h>, Obj<'h>)> = Vec::with_capacity(a.kw.len());
    let mut explicit = None;
    for (k, v) in a.kw {
        if k.str_value().is_ok_and(|k| k == "metaclass") {
            explicit = Some(v.clone());
        } else {
            kw.push((k.clone(), v.clone()));
        }
    }
    let type_ = ctx.ty(Ty::Type).obj();
    let meta = match explicit {
        Some(m) if m.kind() != Kind::Class => m,
        Some(m) => ctx.calculate_meta(&m, given)?,
        None => match given.first() {
            Some(b) => ctx.calculate_meta(&ctx.type_of(b), given)?,
            None => type_.clone(),
        },
    };
    let plain = meta.is(&type_);
    let bases = if plain {
        class_bases(ctx, given)?
    } else {
        vec![]
    };
    // Run the body with a fresh namespace (or the metaclass's `__prepare__` one).
    let ns = ctx.prepare_namespace(&meta, &name, given, &kw)?;
    let (code, globals, closure) = {
        let f = body
            .as_user::<crate::objects::function::Function>()?
            .borrow()?;
        (
            f.code.get(ctx.heap)?,
            f.globals.get(ctx.heap)?,
            f.closure.as_ref().map(|c| c.get(ctx.heap)).transpose()?,
        )
    };
    let cells = match closure {
        Some(c) => c.as_tuple()?.to_vec(),
        None => vec![],
    };
    let frame = ctx.code_frame(&code, globals.as_dict()?, Some(ns.clone()), cells)?;
    let class_cell = ctx.run_frame(frame)?;
    if plain {
        let cls = make_class(ctx, &name, bases, &ns, &class_cell, None)?;
        init_subclass(ctx, &cls, &kw)?;
        return Ok(cls);
    }
    // `type.__new__` fills the `__class__` cell from `__classcell__`.
    if !class_cell.is_none() && class_cell.as_cell().is_ok() {
        ns.set(&ctx.intern("__classcell__")?, &class_cell)?;
    }
    let args = vec![ctx.str(&name)?, ctx.heap.tuple(given)?.into_obj(), ns.obj()];
    ctx.call(&meta, args, kw)
}

/// The new class's `__init_subclass__` call: the nearest base's (an implicit class method),
/// with the class statement's keywords; object's takes none.
pub(crate) fn init_subclass<'h>(
    ctx: &Ctx<'h>,
    cls: &Obj<'h>,
    kw: &[(Obj<'h>, Obj<'h>)],
) -> PyResult<'h, ()> {
    for c in ctx.mro(cls).iter().skip(1) {
        if ctx.builtin_ty(c).is_some() {
            break;
        }
        let Some(f) = c.as_class()?.get_own("__init_subclass__") else {
            continue;
        };
        let f = match f.downcast_user::<Wrapper>() {
            Some(w) => match &w.borrow()?.f {
                Some(m) => m.get(ctx.heap)?,
                None => return Ok(()),
            },
            None => f,
        };
        ctx.call(&f, vec![cls.clone()], kw.to_vec())?;
        return Ok(());
    }
    if !kw.is_empty() {
        return err(
            ExcTy::TypeError,
            format!(
                "{}.__init_subclass__() takes no keyword arguments",
                ctx.class_name(cls)
            ),
        );
    }
    Ok(())
}

/// The bases of a new class (`object` when none), checked.
pub(crate) fn class_bases<'h>(ctx: &Ctx<'h>, given: &[Obj<'h>]) -> PyResult<'h, Vec<Obj<'h>>> {
    let mut bases: Vec<Obj<'h>> = given.to_vec();
    let mut layout: Option<Ty> = None;
    for b in &bases {
        if b.kind() != Kind::Class {
            return err(ExcTy::TypeError, "bases must be types");
        }
        if b.is(ctx.ty(Ty::Bool)) {
            return err(
                ExcTy::TypeError,
                "type 'bool' is not an acceptable base type",
            );
        }
        // Two built-in bases with their own values: CPython's lay-out conflict.
        if let Some(t) = ctx.builtin_base(b) {
            if layout.is_some_and(|l| l != t) {
                return err(
                    ExcTy::TypeError,
                    "multiple bases have instance lay-out conflict",
                );
            }
            layout = Some(t);
        }
        if let Some(t) = ctx.builtin_ty(b)
            && t != Ty::Object
            && t != Ty::Type
            && !super::subclass::subclassable(t)
        {
            return err(
                ExcTy::TypeError,
                format!(
                    "subclassing the built-in type '{}' is not supported by pyheap yet",
                    t.name()
                ),
            );
        }
    }
    if bases.is_empty() {
        bases.push(ctx.ty(Ty::Object).obj());
    }
    Ok(bases)
}

/// A class from its name, bases and namespace (`class` statements and `type(name, bases,
/// dict)`); `class_cell` is the `__class__` cell to fill (None when the body made none); `meta`
/// the class's metaclass (None or `type`: the built-in one).
pub(crate) fn make_class<'h>(
    ctx: &Ctx<'h>,
    name: &str,
    bases: Vec<Obj<'h>>,
    ns: &pyheap_runtime::Dict<'h>,
    class_cell: &Obj<'h>,
    meta: Option<&Obj<'h>>,
) -> PyResult<'h> {
    let mut spec = ClassSpec::new(name);
    if let Some(m) = meta
        && ctx.is_user_meta(m)
    {
        spec = spec.with_metaclass(m.as_class()?);
    }
    let type_ = ctx.ty(Ty::Type).obj();
    if bases.iter().any(|b| ctx.is_subclass(b, &type_)) {
        // The instances of a metaclass are classes: no slots of their own.
        if let Some(s) = ns.get(&ctx.intern("__slots__")?)?
            && ctx.len(&s)? > 0
        {
            return err(
                ExcTy::TypeError,
                "nonempty __slots__ not supported for subtype of 'type'",
            );
        }
        spec = spec.metaclass_base();
    }
    // A built-in base's value rides on the instance (the payload is inherited from a user base).
    let builtin_base = bases
        .iter()
        .filter_map(|b| ctx.builtin_ty(b))
        .find(|t| super::subclass::subclassable(*t));
    if builtin_base.is_some() {
        spec = super::subclass::with_base_value(spec);
    }
    let mut members = vec![];
    if let Some(slots) = ns.get(&ctx.intern("__slots__")?)? {
        let names: Vec<String> = if slots.kind() == Kind::Str {
            vec![slots.str_value()?.to_string()]
        } else {
            ctx.collect(&slots)?
                .iter()
                .map(|s| s.str_value().map(str::to_string))
                .collect::<Result<_, _>>()?
        };
        // Private slot names are mangled (`__x` in class `A` is the member `_A__x`); the
        // runtime lays the bases' slots out first (CPython's solid-base rule).
        let names: Vec<String> = names
            .iter()
            .map(|n| crate::compile::scope::mangle(Some(name), n).into_owned())
            .collect();
        // CPython refuses a slot that is also a class attribute (the member would replace it).
        if let Some(n) = names.iter().find(|n| {
            !matches!(n.as_str(), "__dict__" | "__weakref__")
                && ns
                    .items()
                    .iter()
                    .any(|(k, _)| k.str_value().is_ok_and(|k| k == n.as_str()))
        }) {
            return err(
                ExcTy::ValueError,
                format!("'{n}' in __slots__ conflicts with class variable"),
            );
        }
        let refs: Vec<&str> = names.iter().map(String::as_str).collect();
        spec = spec.with_slots(&refs);
        if !names.iter().any(|n| n == "__weakref__") {
            spec = spec.without_weakrefs();
        }
        members = names;
    }
    // `__del__` needs nothing here: the runtime finds it along the MRO at each death.
    let module = match ns.get(&ctx.intern("__module__")?)? {
        Some(m) => m.str_value()?.to_string(),
        None => "__main__".into(),
    };
    // CPython calls the metaclass as `type(name, bases, ns)` through tp_call, which packs the
    // three arguments into a tuple released once the class exists: that 3-tuple then waits on
    // the free list, and the next 3-tuple (say `gc.get_count()`'s) is not counted again.
    // (A class statement without bases passes `()`, which allocates nothing.)
    let given: &[Obj<'h>] = match &bases[..] {
        [b] if b.is(ctx.ty(Ty::Object)) => &[],
        all => all,
    };
    let meta_args =
        ctx.heap
            .tuple(&[ctx.str(name)?, ctx.heap.tuple(given)?.into_obj(), ns.obj()])?;
    let cls = super::new_class(ctx.heap, spec, &bases, &module)?;
    drop(meta_args);
    ctx.register_class(&cls)?;
    for (k, v) in ns.items() {
        let kn = k.str_value()?;
        // `__init_subclass__` is a class method without saying so (CPython's type_new).
        if kn == "__init_subclass__" && v.is_user::<Function>() {
            let m = ctx.heap.new_user(Wrapper {
                kind: WrapKind::ClassMethod,
                f: Some(Member::new(&v)),
                fset: None,
                fdel: None,
            })?;
            cls.setattr(kn, &m)?;
            continue;
        }
        cls.setattr(kn, &v)?;
    }
    // After the namespace's entries, as CPython's type_new orders the class's dict.
    ctx.install_members(&cls, &members)?;
    let has_slots = ns.get(&ctx.intern("__slots__")?)?.is_some();
    ctx.add_type_attrs(&cls.obj(), has_slots.then_some(&members[..]))?;
    if let Some(t) = builtin_base {
        super::subclass::complete_class(ctx, &cls.obj(), t)?;
    }
    if !class_cell.is_none()
        && let Ok(c) = class_cell.as_cell()
    {
        c.set(Some(&cls.obj()))?;
    }
    set_names(ctx, &cls.obj(), ns)?;
    Ok(cls.into_obj())
}

/// `value.__set_name__(cls, name)` for each attribute of the new class whose type defines it,
/// in namespace order; a failure is CPython 3.11's RuntimeError with the error as its cause.
fn set_names<'h>(ctx: &Ctx<'h>, cls: &Obj<'h>, ns: &pyheap_runtime::Dict<'h>) -> PyResult<'h, ()> {
    for (k, v) in ns.items() {
        let Some(f) = ctx.lookup_special(&v, "__set_name__") else {
            continue;
        };
        if let Err(e) = ctx.call1(&f, &[v.clone(), cls.clone(), k.clone()]) {
            let msg = format!(
                "Error calling __set_name__ on '{}' instance {} in '{}'",
                ctx.type_name(&v),
                ctx.repr(&k)?,
                ctx.class_name(cls)
            );
            let exc = ctx.make_exc(ExcTy::RuntimeError, &msg);
            if let Ok(inst) = exc.as_instance() {
                inst.setattr("__cause__", &ctx.normalize(e))?;
            }
            return Err(Raise::Obj(exc));
        }
    }
    Ok(())
}

/// Constructors of the built-in types and the descriptor types.
pub fn construct<'h>(ctx: &Ctx<'h>, t: Ty, cls: &Obj<'h>, a: Args<'_, 'h>) -> PyResult<'h> {
    let _ = cls;
    // CPython 3.11's int, str and bytes have no vectorcall: type.__call__ makes a tuple of
    // the arguments (`vm/firstuse.rs`).
    if matches!(t, Ty::Int | Ty::Str | Ty::Bytes) {
        ctx.tuple_call(&a, 0)?;
    }
    match t {
        Ty::Object => {
            a.check("object", 0, 0)?;
            let c = ctx.ty(Ty::Object);
            Ok(c.instantiate()?.into_obj())
        }
        Ty::Type => {
            // `type(name, bases, ns)`: `type.__new__`, then the `__init__` of a user metaclass
            // it chose from the bases (CPython's type_call).
            let mut v = vec![ctx.ty(Ty::Type).obj()];
            v.extend(a.pos.iter().cloned());
            let r = super::metaclass::type_new(ctx, Args { pos: &v, kw: a.kw })?;
            if a.pos.len() == 3 && r.kind() == Kind::Class {
                ctx.metaclass_init(&r, a.pos.to_vec(), a.kw.to_vec())?;
            }
            Ok(r)
        }
        Ty::Int => {
            if a.pos.len() + a.kw.len() > 2 {
                return err(
                    ExcTy::TypeError,
                    format!(
                        "int() takes at most 2 arguments ({} given)",
                        a.pos.len() + a.kw.len()
                    ),
                );
            }
            let base = a.param("int", &["", "base"], 1, 0)?;
            let Some(x) = a.get(0) else {
                if base.is_some() {
                    return err(ExcTy::TypeError, "int() missing string argument");
                }
                return ctx.int(0);
            };
            if let Some(b) = base {
                let b = index_int(ctx, b)?.as_int().unwrap_or(-1);
                if b != 0 && !(2..=36).contains(&b) {
                    return err(ExcTy::ValueError, "int() base must be >= 2 and <= 36, or 0");
                }
                let text = match (x.str_value(), ctx.bytes_data(x)?) {
                    (Ok(s), _) => s.to_string(),
                    (Err(_), Some(bytes)) => String::from_utf8_lossy(&bytes).into_owned(),
                    _ => {
                        return err(
                            ExcTy::TypeError,
                            "int() can't convert non-string with explicit base",
                        );
                    }
                };
                return Ok(ctx.heap.int_from_str(&text, b as u32)?);
            }
            if let Some(bytes) = ctx.bytes_data(x)? {
                return Ok(ctx
                    .heap
                    .int_from_str(&String::from_utf8_lossy(&bytes), 10)?);
            }
            match x.kind() {
                Kind::Int => Ok(x.clone()),
                Kind::Bool => ctx.int(x.as_int()?),
                Kind::Float => ctx.float_to_int(x.as_float()?),
                Kind::Str => Ok(ctx.heap.int_from_str(x.str_value()?, 10)?),
                _ => match ctx
                    .call_special(x, "__int__", &[])
                    .or_else(|| ctx.call_special(x, "__index__", &[]))
                {
                    Some(r) => r,
                    None => err(
                        ExcTy::TypeError,
                        format!(
                            "int() argument must be a string, a bytes-like object or a real number, not '{}'",
                            ctx.type_name(x)
                        ),
                    ),
                },
            }
        }
        Ty::Bool => {
            a.check("bool", 0, 1)?;
            Ok(ctx.bool(match a.get(0) {
                Some(x) => ctx.truthy(x)?,
                None => false,
            }))
        }
        Ty::Float => {
            a.check("float", 0, 1)?;
            let Some(x) = a.get(0) else {
                return Ok(ctx.heap.float(0.0)?);
            };
            match num(x) {
                Some(Num::I(_) | Num::Big) => Ok(ctx.heap.float(ctx.to_f64(x)?)?),
                Some(Num::F(_)) => Ok(x.clone()),
                None if x.kind() == Kind::Str => {
                    let s = x.str_value()?.trim().to_lowercase();
                    let v = match s.as_str() {
                        "inf" | "+inf" | "infinity" => Some(f64::INFINITY),
                        "-inf" | "-infinity" => Some(f64::NEG_INFINITY),
                        "nan" | "+nan" | "-nan" => Some(f64::NAN),
                        _ => s.parse::<f64>().ok(),
                    };
                    match v {
                        Some(v) => Ok(ctx.heap.float(v)?),
                        None => err(
                            ExcTy::ValueError,
                            format!(
                                "could not convert string to float: {}",
                                crate::vm::repr::str_repr(x.str_value()?)
                            ),
                        ),
                    }
                }
                None => match ctx.call_special(x, "__float__", &[]) {
                    Some(r) => r,
                    None => err(
                        ExcTy::TypeError,
                        format!(
                            "float() argument must be a string or a real number, not '{}'",
                            ctx.type_name(x)
                        ),
                    ),
                },
            }
        }
        Ty::Bytes => ctx.construct_bytes(a),
        Ty::NoneType => {
            a.check("NoneType", 0, 0)?;
            Ok(ctx.none())
        }
        Ty::Str => {
            a.check("str", 0, 3)?;
            if let (Some(x), Some(enc)) = (a.get(0), a.get(1).or(a.kwarg("encoding"))) {
                let d = match ctx.bytes_data(x)? {
                    Some(d) => d,
                    None => {
                        return err(
                            ExcTy::TypeError,
                            format!(
                                "decoding to str: need a bytes-like object, {} found",
                                ctx.type_name(x)
                            ),
                        );
                    }
                };
                return ctx.str(&super::bytes::decode(ctx, &d, enc.str_value()?)?);
            }
            match a.get(0) {
                Some(x) if x.kind() == Kind::Str => Ok(x.clone()),
                Some(x) => ctx.str(&ctx.str_of(x)?),
                None => ctx.str(""),
            }
        }
        Ty::Tuple => {
            a.check("tuple", 0, 1)?;
            match a.get(0) {
                Some(x) if x.kind() == Kind::Tuple => Ok(x.clone()),
                Some(x) => Ok(ctx.heap.tuple(&ctx.collect(x)?)?.into_obj()),
                None => Ok(ctx.heap.tuple(&[])?.into_obj()),
            }
        }
        Ty::List => {
            a.check("list", 0, 1)?;
            match a.get(0) {
                Some(x) => Ok(ctx.heap.list(&ctx.collect(x)?)?.into_obj()),
                None => Ok(ctx.heap.list(&[])?.into_obj()),
            }
        }
        Ty::Dict => {
            a.check("dict", 0, 1)?;
            let d = ctx.heap.dict()?;
            if let Some(x) = a.get(0) {
                ctx.dict_update(&d, x)?;
            }
            for (k, v) in a.kw {
                d.set(k, v)?;
            }
            Ok(d.into_obj())
        }
        Ty::Set | Ty::FrozenSet => {
            a.check(t.name(), 0, 1)?;
            let frozen = t == Ty::FrozenSet;
            match a.get(0) {
                // frozenset(f) of a frozenset is f itself (CPython).
                Some(x) if frozen && x.kind() == Kind::FrozenSet => Ok(x.clone()),
                Some(x) => Ok(ctx.set_from(x, frozen)?.into_obj()),
                None if frozen => Ok(ctx.heap.frozenset(&[])?.into_obj()),
                None => ctx.new_set(&[]),
            }
        }
        Ty::Range => {
            a.check("range", 1, 3)?;
            let ints: Vec<i64> = a
                .pos
                .iter()
                .map(|x| match x.kind() {
                    Kind::Int | Kind::Bool => Ok(x.as_int()?),
                    _ => err(
                        ExcTy::TypeError,
                        format!(
                            "'{}' object cannot be interpreted as an integer",
                            ctx.type_name(x)
                        ),
                    ),
                })
                .collect::<PyResult<'h, _>>()?;
            let (start, stop, step) = match ints[..] {
                [stop] => (0, stop, 1),
                [start, stop] => (start, stop, 1),
                [start, stop, step] => (start, stop, step),
                _ => unreachable!(),
            };
            if step == 0 {
                return err(ExcTy::ValueError, "range() arg 3 must not be zero");
            }
            Ok(ctx.heap.new_user(Range { start, stop, step })?.into_obj())
        }
        Ty::Slice => {
            a.check("slice", 1, 3)?;
            let n = ctx.none();
            let (s, e, st) = match a.pos {
                [e] => (n.clone(), e.clone(), n),
                [s, e] => (s.clone(), e.clone(), n),
                [s, e, st] => (s.clone(), e.clone(), st.clone()),
                _ => unreachable!(),
            };
            ctx.new_slice(s, e, st)
        }
        Ty::StaticMethod | Ty::ClassMethod => {
            a.check(t.name(), 1, 1)?;
            let kind = if t == Ty::StaticMethod {
                WrapKind::StaticMethod
            } else {
                WrapKind::ClassMethod
            };
            Ok(ctx
                .heap
                .new_user(Wrapper {
                    kind,
                    f: Some(Member::new(&a.pos[0])),
                    fset: None,
                    fdel: None,
                })?
                .into_obj())
        }
        Ty::Property => {
            let get = |i: usize, n: &str| {
                a.get(i)
                    .or(a.kwarg(n))
                    .filter(|o| !o.is_none())
                    .map(Member::new)
            };
            Ok(ctx
                .heap
                .new_user(Wrapper {
                    kind: WrapKind::Property,
                    f: get(0, "fget"),
                    fset: get(1, "fset"),
                    fdel: get(2, "fdel"),
                })?
                .into_obj())
        }
        Ty::WeakRef => crate::modules::weakref::construct(ctx, a),
        Ty::Super => {
            if a.len() != 2 {
                return err(ExcTy::RuntimeError, "super(): no arguments");
            }
            Ok(ctx
                .heap
                .new_user(Super {
                    cls: Member::new(&a.pos[0]),
                    obj: Member::new(&a.pos[1]),
                })?
                .into_obj())
        }
        _ => err(
            ExcTy::TypeError,
            format!("cannot create '{}' instances", t.name()),
        ),
    }
}

impl<'h> Ctx<'h> {
    pub fn construct_builtin(&self, t: Ty, cls: &Obj<'h>, a: Args<'_, 'h>) -> PyResult<'h> {
        construct(self, t, cls, a)
    }
}
