//! The object graph as the inspection tools see it: which objects exist, what refers to what,
//! the label of each reference, and how many references come from outside the heap.
//!
//! ```text
//!   handles (Rust code) ──▶ root ──[0]──▶ dict ──['k']──▶ Foo ──.next──▶ Foo
//!                          refcount 2 = 1 from the heap? no: 0 from the heap + 1 handle (+1 ours)
//! ```
//!
//! The heap cannot list every live object: like CPython's `gc`, it knows the **tracked**
//! objects (generations 0–2) and, through their `traverse`, what they refer to. Two views are
//! built from that:
//!
//! - [`objgraph_view`]: tracked objects plus the untracked objects they *directly* reference,
//!   each once — what `objgraph.get_objects()`-style tools count (and what [`super::snapshot`]
//!   counts).
//! - [`HeapGraph::build`]: the same, closed over `traverse` (untracked containers' contents too),
//!   with a reverse index and the number of incoming heap references of each object.
//!
//! **External references** of `o` = its refcount − the references other objects of the graph
//! hold to it − the graph's own handle. Objects with external references > 0 are *handle roots*:
//! something outside the heap (an `Obj` in Rust code) keeps them alive. Immortal objects (None,
//! small ints, interned strings, `()`) are never roots: their count is not a count.
//!
//! Blind spots, inherited from the runtime's public API: frozen objects (`gc.freeze()`, the
//! permanent generation) cannot be listed, and an *untracked* container held only by a handle is
//! invisible, so the objects it references look like handle roots themselves.
//!
//! The tools allocate nothing in the heap: they hold handles (Rust `Vec<Obj>`), which raise
//! refcounts while they exist; every figure computed here subtracts them.

use crate::runtime::{Heap, Kind, Obj};
use std::collections::HashMap;

/// `sys.getrefcount` of an immortal object.
const IMMORTAL: usize = pyheap_runtime::object::IMMORTAL_REFCNT;

/// Tracked objects (generations 0–2) plus the untracked objects they directly reference, each
/// once, in `gc.get_objects()` order followed by discovery order.
pub fn objgraph_view<'h>(heap: &'h Heap) -> Vec<Obj<'h>> {
    let gc = heap.gc();
    let tracked = gc.get_objects(None).unwrap_or_default();
    let mut seen: HashMap<usize, ()> = tracked.iter().map(|o| (heap.id(o), ())).collect();
    let mut extra = Vec::new();
    for o in &tracked {
        for r in gc.get_referents(o) {
            if seen.insert(heap.id(&r), ()).is_none() && !gc.is_tracked(&r) {
                extra.push(r);
            }
        }
    }
    let mut all = tracked;
    all.extend(extra);
    all
}

/// The object graph closed over `traverse`, with referrer lists and incoming counts.
pub struct HeapGraph<'h> {
    heap: &'h Heap,
    /// Every object of the graph, one handle each.
    objs: Vec<Obj<'h>>,
    index: HashMap<usize, usize>,
    /// `referrers[i]`: indices of the objects whose traverse reports object `i` (each once).
    referrers: Vec<Vec<usize>>,
    /// References to object `i` from objects of the graph (with multiplicity).
    incoming: Vec<usize>,
}

impl<'h> HeapGraph<'h> {
    /// Build the graph of `heap`: tracked objects, everything reachable from them, and `extra`
    /// (e.g. an untracked target held only by a handle).
    pub fn build(heap: &'h Heap, extra: &[&Obj<'h>]) -> HeapGraph<'h> {
        let gc = heap.gc();
        let mut g = HeapGraph {
            heap,
            objs: Vec::new(),
            index: HashMap::new(),
            referrers: Vec::new(),
            incoming: Vec::new(),
        };
        let mut todo: Vec<Obj<'h>> = gc.get_objects(None).unwrap_or_default();
        todo.extend(extra.iter().map(|o| (*o).clone()));
        todo.reverse(); // popped in get_objects order
        while let Some(o) = todo.pop() {
            if g.index.contains_key(&heap.id(&o)) {
                continue;
            }
            g.index.insert(heap.id(&o), g.objs.len());
            let refs = gc.get_referents(&o);
            g.objs.push(o);
            todo.extend(refs.into_iter().rev());
        }
        g.referrers = vec![Vec::new(); g.objs.len()];
        g.incoming = vec![0; g.objs.len()];
        for i in 0..g.objs.len() {
            for r in gc.get_referents(&g.objs[i]) {
                let j = g.index[&heap.id(&r)];
                g.incoming[j] += 1;
                if g.referrers[j].last() != Some(&i) {
                    g.referrers[j].push(i);
                }
            }
        }
        g
    }

    /// Number of objects in the graph.
    pub fn len(&self) -> usize {
        self.objs.len()
    }
    /// Is the graph empty?
    pub fn is_empty(&self) -> bool {
        self.objs.is_empty()
    }
    /// Object `i`.
    pub fn obj(&self, i: usize) -> &Obj<'h> {
        &self.objs[i]
    }
    /// The index of `o`, if it is in the graph.
    pub fn index_of(&self, o: &Obj<'h>) -> Option<usize> {
        self.index.get(&self.heap.id(o)).copied()
    }
    /// Indices of the objects referring to object `i`, in graph order.
    pub fn referrers(&self, i: usize) -> &[usize] {
        &self.referrers[i]
    }
    /// References to object `i` held by objects of the graph.
    pub fn incoming(&self, i: usize) -> usize {
        self.incoming[i]
    }
    /// References to object `i` from outside the heap, not counting `ignore` handles the caller
    /// holds for the query (e.g. 1 for the target handle of "why is this alive?"); `None` for an
    /// immortal object.
    pub fn external_refs(&self, i: usize, ignore: usize) -> Option<usize> {
        let rc = self.heap.getrefcount(&self.objs[i]);
        if rc >= IMMORTAL {
            return None;
        }
        // getrefcount counts its argument's reference (+1) and the graph holds one handle (+1).
        Some(rc.saturating_sub(2 + self.incoming[i] + ignore))
    }
}

/// Python's `repr` of a string (CPython 3.11's quotes and escapes: the runtime's `repr_str`).
pub fn py_str_repr(s: &str) -> String {
    pyheap_runtime::repr_str(s)
}

/// Cut `s` to at most `max` characters, ending with `…` when cut.
pub fn truncate(s: &str, max: usize) -> String {
    if s.chars().count() <= max {
        s.to_string()
    } else {
        let mut t: String = s.chars().take(max.saturating_sub(1)).collect();
        t.push('…');
        t
    }
}

/// A short, address-free description of `o` (objgraph's `short_repr`): containers by their
/// size (`3 items`), strings and numbers by their repr, instances and user objects by their
/// repr with any ` at 0x…` address removed, at most `max` characters.
pub fn short_repr(o: &Obj<'_>, max: usize) -> String {
    let items = |n: usize| format!("{n} item{}", if n == 1 { "" } else { "s" });
    let s = match o.kind() {
        Kind::List => o.as_list().map(|l| items(l.len())).unwrap_or_default(),
        Kind::Tuple => o.as_tuple().map(|t| items(t.len())).unwrap_or_default(),
        Kind::Dict => o.as_dict().map(|d| items(d.len())).unwrap_or_default(),
        Kind::Str => py_str_repr(o.str_value().unwrap_or("")),
        _ => strip_address(&o.repr()),
    };
    truncate(&s, max)
}

/// `<Foo object at 0x55d1…>` → `<Foo object>` (so output does not change from run to run).
fn strip_address(r: &str) -> String {
    match r.find(" at 0x") {
        Some(i) => {
            let rest = &r[i + 6..];
            let end = rest
                .find(|c: char| !c.is_ascii_hexdigit())
                .unwrap_or(rest.len());
            format!("{}{}", &r[..i], &rest[end..])
        }
        None => r.to_string(),
    }
}

/// What `o` refers to, each distinct referent once in `traverse` order, with the label of the
/// reference: `[3]` (list/tuple index), `['k']` (dict value under key `'k'`), `key` (a dict
/// key), `.next` (instance attribute or slot), `__class__`, `cell_contents`; several
/// references to the same object are joined with `, `; unknown ones (class attributes, user
/// types) get an empty label.
pub fn labelled_referents<'h>(heap: &'h Heap, o: &Obj<'h>) -> Vec<(Obj<'h>, String)> {
    let mut labels: HashMap<usize, Vec<String>> = HashMap::new();
    let mut add = |x: &Obj<'h>, l: String| labels.entry(heap.id(x)).or_default().push(l);
    match o.kind() {
        Kind::List => {
            if let Ok(l) = o.as_list() {
                for (i, x) in l.to_vec().iter().enumerate() {
                    add(x, format!("[{i}]"));
                }
            }
        }
        Kind::Tuple => {
            if let Ok(t) = o.as_tuple() {
                for (i, x) in t.to_vec().iter().enumerate() {
                    add(x, format!("[{i}]"));
                }
            }
        }
        Kind::Dict => {
            if let Ok(d) = o.as_dict() {
                for (k, v) in d.items() {
                    add(&k, "key".to_string());
                    add(&v, format!("[{}]", short_repr(&k, 20)));
                }
            }
        }
        Kind::Instance => {
            if let Ok(inst) = o.as_instance() {
                add(&inst.class().obj(), "__class__".to_string());
                for name in inst.attr_names() {
                    if let Ok(v) = inst.getattr(&name) {
                        add(&v, format!(".{name}"));
                    }
                }
            }
        }
        Kind::Cell => {
            if let Some(v) = o.as_cell().ok().and_then(|c| c.get()) {
                add(&v, "cell_contents".to_string());
            }
        }
        _ => {}
    }
    let mut out: Vec<(Obj<'h>, String)> = Vec::new();
    for r in heap.gc().get_referents(o) {
        if out.iter().any(|(x, _)| x.is(&r)) {
            continue;
        }
        let mut l = labels.remove(&heap.id(&r)).unwrap_or_default();
        l.dedup();
        let label = if l.len() > 3 {
            format!("{}, … ({} refs)", l[..2].join(", "), l.len())
        } else {
            l.join(", ")
        };
        out.push((r, label));
    }
    out
}
