//! Object graphs the runtime, collector and lab benchmarks build (each mirrors a CPython twin in
//! `benches/cpython/`), and the `Rc` twins the runtime benches compare against.

use pyheap_runtime::{Class, ClassSpec, Heap, Instance, List, Obj, RuntimeError};
use std::cell::RefCell;
use std::rc::Rc;

/// A heap with automatic collection off: only the collections a bench asks for run (CPython's
/// twins call `gc.disable()` too).
pub fn quiet_heap() -> Heap {
    let heap = Heap::new();
    heap.gc().disable();
    heap
}

/// The built-in types `create` measures, in output order.
pub const CREATE_KINDS: [&str; 7] = ["int", "float", "str", "tuple", "list", "dict", "instance"];

/// The big-int workloads `create` also measures (vs CPython only): `(B + i) * 12345` with
/// `B = 3**100` (159 bits) and `B = 3**630` (999 bits): two bigint operations per object.
pub const BIGINT_KINDS: [&str; 2] = ["bigint", "bigint_1k"];

/// What [`create_one`] needs besides the heap: the instance class, the interned dict key, and the
/// big-int operands.
pub struct CreateCtx<'h> {
    pub class: Class<'h>,
    pub key: Obj<'h>,
    /// `3**100`, `3**630` and `12345` for the big-int kinds.
    pub big: Obj<'h>,
    pub big_1k: Obj<'h>,
    pub mul: Obj<'h>,
}

impl<'h> CreateCtx<'h> {
    pub fn new(heap: &'h Heap) -> Result<Self, RuntimeError> {
        let three = heap.int(3)?;
        Ok(CreateCtx {
            class: heap.new_class(ClassSpec::new("C"))?,
            key: heap.intern("k")?.into_obj(),
            big: heap.int_pow(&three, &heap.int(100)?)?,
            big_1k: heap.int_pow(&three, &heap.int(630)?)?,
            mul: heap.int(12345)?,
        })
    }
}

/// One object of `kind`, as `refcount_bench.py`'s `make(kind, i)` builds it: an int outside the
/// small-int cache, a float, a fresh str, a 2-tuple of an int, an empty list, a 1-item dict, an
/// instance with two attributes.
pub fn create_one<'h>(
    heap: &'h Heap,
    ctx: &CreateCtx<'h>,
    kind: &str,
    i: i64,
) -> Result<Obj<'h>, RuntimeError> {
    Ok(match kind {
        "int" => heap.int(i + 1000)?,
        "float" => heap.float(i as f64 + 0.5)?,
        "str" => heap.str(&format!("s{i}"))?.into_obj(),
        "tuple" => {
            let x = heap.int(i)?;
            heap.tuple(&[x.clone(), x])?.into_obj()
        }
        "list" => heap.list(&[])?.into_obj(),
        "dict" => {
            let d = heap.dict()?;
            d.set(&ctx.key, &heap.int(i)?)?;
            d.into_obj()
        }
        "instance" => {
            let o = ctx.class.instantiate()?;
            let v = heap.int(i)?;
            o.setattr("a", &v)?;
            o.setattr("b", &v)?;
            o.into_obj()
        }
        "bigint" => heap.int_mul(&heap.int_add(&ctx.big, &heap.int(i)?)?, &ctx.mul)?,
        "bigint_1k" => heap.int_mul(&heap.int_add(&ctx.big_1k, &heap.int(i)?)?, &ctx.mul)?,
        other => return Err(RuntimeError::KeyError(format!("unknown kind {other}"))),
    })
}

/// The `Rc`/`RefCell` twin of a heap value.
#[derive(Clone)]
#[allow(dead_code)] // fields exist to be allocated and dropped, never read
pub enum RcVal {
    Int(i64),
    Float(f64),
    Str(Rc<str>),
    Tuple(Rc<(RcVal, RcVal)>),
    List(Rc<RefCell<Vec<RcVal>>>),
    Dict(RcEntries),
    Inst(RcEntries),
}

/// The `Rc` twin of a dict or of an instance's attributes: (name, value) pairs.
pub type RcEntries = Rc<RefCell<Vec<(Rc<str>, RcVal)>>>;

/// The `Rc` twin of [`create_one`] (`name` is the shared attribute/key name).
pub fn rc_create_one(name: &Rc<str>, kind: &str, i: i64) -> RcVal {
    match kind {
        // Boxed like an object (an i64 in a Vec would not allocate at all).
        "int" => RcVal::Tuple(Rc::new((RcVal::Int(i + 1000), RcVal::Int(0)))),
        "float" => RcVal::Tuple(Rc::new((RcVal::Float(i as f64 + 0.5), RcVal::Int(0)))),
        "str" => RcVal::Str(Rc::from(format!("s{i}").as_str())),
        "tuple" => RcVal::Tuple(Rc::new((RcVal::Int(i), RcVal::Int(i)))),
        "list" => RcVal::List(Rc::new(RefCell::new(Vec::new()))),
        "dict" => RcVal::Dict(Rc::new(RefCell::new(vec![(name.clone(), RcVal::Int(i))]))),
        _ => RcVal::Inst(Rc::new(RefCell::new(vec![
            (name.clone(), RcVal::Int(i)),
            (name.clone(), RcVal::Int(i)),
        ]))),
    }
}

/// `[[[...]]]`: `depth` nested lists around an empty one (`deep_drop`).
pub fn deep_list<'h>(heap: &'h Heap, depth: usize) -> Result<Obj<'h>, RuntimeError> {
    deep_chain(heap, None, "list", depth)
}

/// The container kinds `bench deep` nests, in output order.
pub const DEEP_KINDS: [&str; 4] = ["list", "tuple", "dict", "instance"];

/// `depth` nested containers of `kind` around `None`, as `refcount_bench.py`'s `deep_<kind>`
/// builds them: `[x]`, `(x,)`, `{'k': x}`, or an instance of `class` (a plain class) with
/// `o.next = x`.
pub fn deep_chain<'h>(
    heap: &'h Heap,
    class: Option<&Class<'h>>,
    kind: &str,
    depth: usize,
) -> Result<Obj<'h>, RuntimeError> {
    let key = heap.intern("k")?;
    let mut x = if kind == "list" {
        heap.list(&[])?.into_obj()
    } else {
        heap.none()
    };
    for _ in 0..depth {
        x = match kind {
            "list" => heap.list(&[x])?.into_obj(),
            "tuple" => heap.tuple(&[x])?.into_obj(),
            "dict" => {
                let d = heap.dict()?;
                d.set(&key, &x)?;
                d.into_obj()
            }
            "instance" => {
                let class = class.ok_or_else(|| RuntimeError::KeyError("no class".into()))?;
                let o = class.instantiate()?;
                o.setattr("next", &x)?;
                o.into_obj()
            }
            other => return Err(RuntimeError::KeyError(format!("unknown kind {other}"))),
        };
    }
    Ok(x)
}

/// The `Rc` twin of [`deep_list`] (its drop recurses: run it on a thread with a big stack).
pub fn rc_deep_list(depth: usize) -> RcVal {
    let mut x = RcVal::List(Rc::new(RefCell::new(Vec::new())));
    for _ in 0..depth {
        x = RcVal::List(Rc::new(RefCell::new(vec![x])));
    }
    x
}

/// A live list holding `n` empty lists (`live_lists`: a full collection with nothing to free),
/// grown by appends like the twin's `[[] for _ in range(n)]`.
pub fn live_lists<'h>(heap: &'h Heap, n: usize) -> Result<List<'h>, RuntimeError> {
    let keep = heap.list(&[])?;
    for _ in 0..n {
        keep.append(&heap.list(&[])?)?;
    }
    Ok(keep)
}

/// `n` two-list cycles (`a = []; b = [a]; a.append(b)`), all dropped: 2n objects of garbage.
pub fn dead_pairs(heap: &Heap, n: usize) -> Result<(), RuntimeError> {
    for _ in 0..n {
        let a = heap.list(&[])?;
        let b = heap.list(&[a.obj()])?;
        a.append(&b)?;
    }
    Ok(())
}

/// A live list holding `n` fresh `Node` instances (`[Node() for _ in range(n)]`: each with
/// `next` and `prev` set to None): a full collection of class instances with nothing to free.
pub fn live_instances<'h>(
    heap: &'h Heap,
    node: &Class<'h>,
    n: usize,
) -> Result<List<'h>, RuntimeError> {
    let keep = heap.list(&[])?;
    for _ in 0..n {
        keep.append(&new_node(heap, node)?)?;
    }
    Ok(keep)
}

/// `n` two-instance cycles (`a = Node(); b = Node(); a.next = b; b.next = a`), all dropped: 2n
/// objects of garbage.
pub fn dead_instance_pairs<'h>(
    heap: &'h Heap,
    node: &Class<'h>,
    n: usize,
) -> Result<(), RuntimeError> {
    for _ in 0..n {
        let a = new_node(heap, node)?;
        let b = new_node(heap, node)?;
        a.setattr("next", &b)?;
        b.setattr("next", &a)?;
    }
    Ok(())
}

/// `Node()`: an instance whose `__init__` set `next` and `prev` to None.
fn new_node<'h>(heap: &'h Heap, node: &Class<'h>) -> Result<Instance<'h>, RuntimeError> {
    let o = node.instantiate()?;
    o.setattr("next", &heap.none())?;
    o.setattr("prev", &heap.none())?;
    Ok(o)
}

/// pyperformance's gc_collect `Node` class.
pub fn node_class(heap: &Heap) -> Result<Class<'_>, RuntimeError> {
    heap.new_class(ClassSpec::new("Node"))
}

/// pyperformance's gc_collect shape: `n` rings of 21 `Node` instances linked through `next` and
/// `prev` (each node starts with both set to None, as `Node.__init__` does).
pub fn rings<'h>(heap: &'h Heap, node: &Class<'h>, n: usize) -> Result<Vec<Obj<'h>>, RuntimeError> {
    let new_node = || new_node(heap, node);
    (0..n)
        .map(|_| {
            let first = new_node()?;
            let mut cur = first.clone();
            for _ in 0..20 {
                let next = new_node()?;
                cur.setattr("next", &next)?;
                next.setattr("prev", &cur)?;
                cur = next;
            }
            cur.setattr("next", &first)?;
            first.setattr("prev", &cur)?;
            Ok(first.into_obj())
        })
        .collect()
}

/// pyperformance's gc_traversal shape: `levels` levels of nested lists, level n holding n
/// references to level n − 1 (n(n−1)/2 edges: 499 500 for 1000 levels).
pub fn nested_levels<'h>(heap: &'h Heap, levels: usize) -> Result<Obj<'h>, RuntimeError> {
    let mut cur = heap.list(&[])?.into_obj();
    for n in 0..levels {
        let items = vec![cur.clone(); n];
        cur = heap.list(&items)?.into_obj();
    }
    Ok(cur)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shapes_have_the_documented_sizes() {
        let heap = quiet_heap();
        assert_eq!(heap.gc().collect(2).unwrap(), 0);
        let node = node_class(&heap).unwrap();
        drop(rings(&heap, &node, 3).unwrap());
        assert_eq!(heap.gc().collect(2).unwrap(), 3 * 21);
        dead_pairs(&heap, 10).unwrap();
        assert_eq!(heap.gc().collect(2).unwrap(), 20);
        let keep = live_lists(&heap, 50).unwrap();
        assert_eq!((keep.len(), heap.gc().collect(2).unwrap()), (50, 0));
        let inst = live_instances(&heap, &node, 40).unwrap();
        assert_eq!((inst.len(), heap.gc().collect(2).unwrap()), (40, 0));
        dead_instance_pairs(&heap, &node, 7).unwrap();
        assert_eq!(heap.gc().collect(2).unwrap(), 14);
        let top = nested_levels(&heap, 5).unwrap();
        assert_eq!(top.as_list().unwrap().len(), 4);
        let ctx = CreateCtx::new(&heap).unwrap();
        for kind in CREATE_KINDS {
            let o = create_one(&heap, &ctx, kind, 7).unwrap();
            assert!(heap.getrefcount(&o) >= 2, "{kind}");
        }
        assert!(create_one(&heap, &ctx, "set", 0).is_err());
    }
}
