//! The `builtins` module: the type objects (heap classes with an `__mro__`), the exception
//! hierarchy, the built-in functions (functions.rs), the methods of built-in types
//! (methods.rs), formatting (format.rs) and sets (set.rs).

pub mod format;
pub mod functions;
pub mod methods;
pub mod set;

use crate::vm::{Ctx, ExcTy, PyResult, Ty};
use pyheap_runtime::{Class, ClassSpec, Heap, Obj};
use std::cell::{Cell, RefCell};
use std::collections::HashMap;

/// Create a class with the given bases and its C3 `__mro__` (adapter: see vm/attr.rs).
pub fn new_class<'h>(
    heap: &'h Heap,
    spec: ClassSpec,
    bases: &[Obj<'h>],
    module: &str,
) -> PyResult<'h, Class<'h>> {
    let name = spec.name.clone();
    let c = heap.new_class(spec)?;
    let mut mro = vec![c.obj()];
    mro.extend(c3(bases, &name)?);
    c.setattr("__mro__", &heap.tuple(&mro)?)?;
    c.setattr("__bases__", &heap.tuple(bases)?)?;
    if c.get_own("__module__").is_none() {
        c.setattr("__module__", &heap.intern(module)?)?;
    }
    Ok(c)
}

fn mro_of<'h>(c: &Obj<'h>) -> Vec<Obj<'h>> {
    c.as_class()
        .ok()
        .and_then(|c| c.get_own("__mro__"))
        .and_then(|t| t.as_tuple().ok().map(|t| t.to_vec()))
        .unwrap_or_else(|| vec![c.clone()])
}

/// C3 linearisation of the bases' MROs (without the class itself).
pub fn c3<'h>(bases: &[Obj<'h>], name: &str) -> PyResult<'h, Vec<Obj<'h>>> {
    let mut seqs: Vec<Vec<Obj<'h>>> = bases.iter().map(mro_of).collect();
    seqs.push(bases.to_vec());
    let mut out = vec![];
    loop {
        seqs.retain(|s| !s.is_empty());
        if seqs.is_empty() {
            return Ok(out);
        }
        let cand = seqs
            .iter()
            .map(|s| s[0].clone())
            .find(|c| !seqs.iter().any(|s| s[1..].iter().any(|x| x.is(c))));
        let Some(c) = cand else {
            let names: Vec<String> = bases
                .iter()
                .map(|b| {
                    b.as_class()
                        .map(|c| c.name().to_string())
                        .unwrap_or_default()
                })
                .collect();
            let _ = name;
            return Err(crate::vm::Raise::New(
                ExcTy::TypeError,
                format!(
                    "Cannot create a consistent method resolution order (MRO) for bases {}",
                    names.join(", ")
                ),
            ));
        };
        for s in seqs.iter_mut() {
            if s[0].is(&c) {
                s.remove(0);
            }
        }
        out.push(c);
    }
}

/// Build the interpreter context: types, exceptions, builtins.
pub fn make_ctx<'h>(heap: &'h Heap, config: &crate::RunConfig) -> PyResult<'h, Ctx<'h>> {
    let object = new_class(heap, ClassSpec::new("object"), &[], "builtins")?;
    let mut types = vec![object.clone()];
    let mut builtin_of = HashMap::new();
    builtin_of.insert(heap.id(&object), Ty::Object);
    for &t in &Ty::ALL[1..] {
        let bases: Vec<Obj<'h>> = if t == Ty::Bool {
            vec![types[Ty::Int as usize].obj()]
        } else {
            vec![object.obj()]
        };
        let c = new_class(heap, ClassSpec::new(t.name()), &bases, "builtins")?;
        builtin_of.insert(heap.id(&c), t);
        types.push(c);
    }
    let mut exc_types: Vec<Class<'h>> = vec![];
    for &(t, name, base) in ExcTy::ALL {
        let bases = if t == ExcTy::BaseException {
            vec![object.obj()]
        } else {
            vec![exc_types[base as usize].obj()]
        };
        exc_types.push(new_class(heap, ClassSpec::new(name), &bases, "builtins")?);
    }
    let ctx = Ctx {
        heap,
        builtins: heap.dict()?,
        modules: heap.dict()?,
        types,
        exc_types,
        builtin_of,
        handled: RefCell::new(None),
        depth: Cell::new(0),
        recursion_limit: Cell::new(1000),
        null: Ctx::null_marker(heap)?,
        not_implemented: heap.new_user(Marker("NotImplementedType"))?.into_obj(),
        ellipsis: heap.new_user(Marker("ellipsis"))?.into_obj(),
        out: RefCell::new(std::io::BufWriter::with_capacity(
            1 << 14,
            std::io::stdout(),
        )),
        argv: config.argv.clone(),
        like: config.like,
        sources: RefCell::new(HashMap::new()),
        repr_stack: RefCell::new(vec![]),
        method_cache: RefCell::new(HashMap::new()),
        stack_base: Cell::new(0),
        stack_budget: Cell::new(1 << 20),
        gc_callbacks: RefCell::new(None),
        random: RefCell::new(Default::default()),
    };
    for t in Ty::ALL {
        let name = t.name();
        if matches!(
            t,
            Ty::NoneType
                | Ty::Function
                | Ty::Builtin
                | Ty::Method
                | Ty::Code
                | Ty::Module
                | Ty::Generator
                | Ty::Iterator
                | Ty::Cell
                | Ty::Traceback
                | Ty::NotImplementedType
                | Ty::Ellipsis
                | Ty::WeakRef
        ) {
            continue;
        }
        ctx.builtins.set(&heap.intern(name)?, ctx.ty(t))?;
    }
    for (i, &(_, name, _)) in ExcTy::ALL.iter().enumerate() {
        ctx.builtins.set(&heap.intern(name)?, &ctx.exc_types[i])?;
    }
    ctx.builtins
        .set(&heap.intern("NotImplemented")?, &ctx.not_implemented)?;
    ctx.builtins.set(&heap.intern("Ellipsis")?, &ctx.ellipsis)?;
    ctx.builtins.set(&heap.intern("None")?, &heap.none())?;
    ctx.builtins
        .set(&heap.intern("__name__")?, &heap.intern("builtins")?)?;
    functions::install(&ctx)?;
    ctx.install_exception_methods()?;
    Ok(ctx)
}

/// A singleton with only a name (`NotImplemented`, `Ellipsis`).
pub struct Marker(pub &'static str);

impl pyheap_runtime::UserType for Marker {
    const NAME: &'static str = "marker";
    fn traverse(&self, _: &mut pyheap_runtime::Visitor<'_>) {}
    fn clear(&mut self) {}
}
