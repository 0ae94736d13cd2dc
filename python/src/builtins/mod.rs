//! The `builtins` module: the type objects (heap classes with an `__mro__`), the exception
//! hierarchy, the built-in functions (functions.rs), the methods of built-in types
//! (methods.rs), formatting (format.rs) and sets (set.rs).

/// A built-in type's named methods: `(name, native function)`.
pub type Table = &'static [(&'static str, crate::objects::function::NativeFn)];

/// `table! { "name" => function, .. }`: a [`Table`] of native methods.
macro_rules! table {
    ($($name:literal => $f:ident),* $(,)?) => {
        &[$(($name, $f as crate::objects::function::NativeFn)),*]
    };
}

pub mod bytes;
pub mod conversions;
pub mod dictview;
pub mod format;
pub mod frames;
pub mod functions;
pub mod introspect;
pub mod members;
pub mod metaclass;
pub mod methods;
pub mod numbers;
pub mod set;
pub mod slot_methods;
pub mod str_more;
pub mod str_search;
pub mod subclass;
pub mod subclasses;

use crate::vm::{Ctx, ExcTy, PyResult, Ty};
use pyheap_runtime::{Class, ClassSpec, Heap, Obj};
use std::cell::{Cell, RefCell};
use std::collections::HashMap;

/// Create a class with the given bases: the runtime computes the C3 MRO (and refuses
/// inconsistent ones and lay-out conflicts with CPython's errors); `__mro__` and `__bases__`
/// are also stored as tuples for Python code to read.
pub fn new_class<'h>(
    heap: &'h Heap,
    spec: ClassSpec,
    bases: &[Obj<'h>],
    module: &str,
) -> PyResult<'h, Class<'h>> {
    let base_classes: Vec<&Class<'h>> = bases
        .iter()
        .map(|b| b.as_class())
        .collect::<Result<_, _>>()?;
    let c = heap.new_class(spec.with_bases(&base_classes))?;
    let mro: Vec<Obj<'h>> = c.mro().into_iter().map(Class::into_obj).collect();
    c.setattr("__mro__", &heap.tuple(&mro)?)?;
    c.setattr("__bases__", &heap.tuple(bases)?)?;
    if c.get_own("__module__").is_none() {
        c.setattr("__module__", &heap.intern(module)?)?;
    }
    Ok(c)
}

/// The iterator types CPython 3.11 names, with their modules (`Iter::name` picks one; an
/// iterator of another name is a plain `iterator`).
const ITERATOR_TYPES: &[(&str, &str)] = &[
    ("list_iterator", "builtins"),
    ("list_reverseiterator", "builtins"),
    ("tuple_iterator", "builtins"),
    ("str_ascii_iterator", "builtins"),
    ("str_iterator", "builtins"),
    ("bytes_iterator", "builtins"),
    ("range_iterator", "builtins"),
    ("set_iterator", "builtins"),
    ("dict_keyiterator", "builtins"),
    ("dict_valueiterator", "builtins"),
    ("dict_itemiterator", "builtins"),
    ("callable_iterator", "builtins"),
    ("enumerate", "builtins"),
    ("zip", "builtins"),
    ("map", "builtins"),
    ("filter", "builtins"),
    ("reversed", "builtins"),
    ("count", "itertools"),
    ("repeat", "itertools"),
    ("chain", "itertools"),
    ("islice", "itertools"),
];

/// Build the interpreter context: types, exceptions, builtins.
pub fn make_ctx<'h>(heap: &'h Heap, config: &crate::RunConfig) -> PyResult<'h, Ctx<'h>> {
    // `object()` has neither attribute table nor weak references (CPython's object).
    let object = new_class(
        heap,
        ClassSpec::new("object").with_slots(&[]).without_weakrefs(),
        &[],
        "builtins",
    )?;
    let mut types = vec![object.clone()];
    let mut builtin_of = HashMap::default();
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
    let mut iter_types = Vec::with_capacity(ITERATOR_TYPES.len());
    for &(name, module) in ITERATOR_TYPES {
        let c = new_class(heap, ClassSpec::new(name), &[object.obj()], module)?;
        builtin_of.insert(heap.id(&c), Ty::Iterator);
        iter_types.push((name, c));
    }
    let mut exc_types: Vec<Class<'h>> = vec![];
    for &(t, name, base) in ExcTy::ALL {
        let bases = match t {
            ExcTy::BaseException => vec![object.obj()],
            // CPython's ExceptionGroup derives from both BaseExceptionGroup and Exception.
            ExcTy::ExceptionGroup => vec![
                exc_types[base as usize].obj(),
                exc_types[ExcTy::Exception as usize].obj(),
            ],
            _ => vec![exc_types[base as usize].obj()],
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
        iter_types,
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
        sources: RefCell::new(HashMap::new()),
        repr_stack: RefCell::new(vec![]),
        type_methods: RefCell::new(Default::default()),
        plain_classes: RefCell::new(Default::default()),
        stack_base: Cell::new(0),
        stack_budget: Cell::new(1 << 20),
        gc_garbage: RefCell::new(None),
        atexit: RefCell::new(None),
        exception_extras: Cell::new(false),
        first_use: RefCell::new(vec![]),
        line_hook: Default::default(),
        random: RefCell::new(Default::default()),
        frame_pool: Default::default(),
        level: Default::default(),
        levels_made: Default::default(),
        unlinked: Default::default(),
        unlinked_n: Default::default(),
        classes: Default::default(),
        classes_pruned: Default::default(),
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
                | Ty::Frame
                | Ty::NotImplementedType
                | Ty::Ellipsis
                | Ty::WeakRef
                | Ty::DictKeys
                | Ty::DictValues
                | Ty::DictItems
                | Ty::MemberDescriptor
                | Ty::GetSetDescriptor
        ) {
            continue;
        }
        ctx.builtins.set(&heap.intern(name)?, ctx.ty(t))?;
    }
    for (i, &(_, name, _)) in ExcTy::ALL.iter().enumerate() {
        ctx.builtins.set(&heap.intern(name)?, &ctx.exc_types[i])?;
    }
    for alias in ["EnvironmentError", "IOError"] {
        ctx.builtins.set(
            &heap.intern(alias)?,
            &ctx.exc_types[ExcTy::OSError as usize],
        )?;
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
