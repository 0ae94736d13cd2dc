//! Graphviz DOT pictures of the references around an object (objgraph's `show_refs` /
//! `show_backrefs`) and the answer to "why is this object alive?" (`find_backref_chain`).
//!
//! ```text
//!   (a)──▶┌──────────────┐  [0]   ┌──────────────┐   boxes: "type\nshort repr\nrefcnt N"
//!         │ list         │──────▶ │ list         │   (a): a variable naming the box; (b del)
//!  (b del)┄▶ 1 item      │ ◀──────│ 1 item       │   dashed: a deleted variable (its reference
//!         │ refcnt 2     │  [0]   │ refcnt 1     │   is gone: refcnt counts without it)
//!         └──────────────┘        └──────────────┘   red box: the target; edge labels: [i]
//!                                                    ['key'] .attr __class__; "N more references"
//! ```
//!
//! `refcnt` is the object's reference count (`ob_refcnt`, one less than `sys.getrefcount` would
//! print, which counts its own argument) with the handles this module holds while drawing
//! counted out, and [`DotOptions::handles_held`] more on the target: a caller that keeps a
//! handle only so it can draw a leaked cycle says so, and the picture shows the count the
//! program would see. Every picture has a title (`label`) and a legend node.
//!
//! [`to_dot`] walks breadth-first from the target, forwards through `traverse` (referents) and,
//! with [`DotOptions::referrers`], backwards through the objects that refer to it (like
//! `gc.get_referrers`, over the graph of [`super::heap_graph`]), up to `max_depth` references
//! away. Node ids are `n0, n1, …` in discovery order, the target is `n0`, and no address appears
//! in the output, so the same heap state always gives the same text.
//!
//! [`backref_chain`] answers the question the picture usually raises: the shortest chain of
//! references from a *handle root* — an object whose refcount exceeds the references other heap
//! objects hold to it, so something outside the heap (an `Obj` in Rust code) holds it — to the
//! target. [`chain_to_text`] and [`chain_to_dot`] render it.
//!
//! Render a file with `dot -Tsvg graph.dot -o graph.svg`.

use super::heap_graph::{HeapGraph, labelled_referents, short_repr};
use crate::runtime::{Heap, Kind, Obj};
use std::collections::HashMap;
use std::fmt::Write as _;

/// What [`to_dot`] draws.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DotOptions {
    /// References followed away from the target (0: the target alone).
    pub max_depth: usize,
    /// References drawn per object and direction; the rest become one "N more references" node.
    pub max_per_node: usize,
    /// Also walk backwards: the objects referring to each node (objgraph `show_backrefs`).
    pub referrers: bool,
    /// Objects (by `heap.id`) drawn highlighted (orange) besides the target (always red), e.g.
    /// the links of a [`backref_chain`].
    pub highlight: Vec<usize>,
    /// Leave out class objects (the `__class__` edge every instance has) unless one is the target.
    pub skip_classes: bool,
    /// Maximum characters of a node's repr line.
    pub max_repr: usize,
    /// Variables drawn as named ellipses pointing at their objects (deleted ones dashed).
    pub variables: Vec<Variable>,
    /// Handles to the target the caller holds that the program does not (counted out of its
    /// `refcnt`; e.g. 1 for a REPL lookup of a global, or for a handle kept after `del`).
    pub handles_held: usize,
}

/// A name drawn in the picture: the variable `name` refers (or, `deleted`, referred) to the
/// object with `heap.id` `id`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Variable {
    /// The variable's name.
    pub name: String,
    /// `heap.id` of its object.
    pub id: usize,
    /// Deleted (`del name`): drawn dashed; its reference no longer counts.
    pub deleted: bool,
}

impl Default for DotOptions {
    fn default() -> Self {
        DotOptions {
            max_depth: 3,
            max_per_node: 10,
            referrers: false,
            highlight: Vec::new(),
            skip_classes: false,
            max_repr: 40,
            variables: Vec::new(),
            handles_held: 0,
        }
    }
}

/// DOT string escape (inside `"..."`): backslash, quote, newline.
fn esc(s: &str) -> String {
    s.replace('\\', "\\\\")
        .replace('"', "\\\"")
        .replace('\n', "\\n")
}

/// The box label of `o`: `type\nshort repr\nrefcnt N`, escaped; `others` handles to `o` are
/// not the program's (ours and the caller's).
fn node_label<'h>(heap: &'h Heap, o: &Obj<'h>, max: usize, others: usize) -> String {
    let rc = heap.getrefcount(o);
    let count = if rc == crate::runtime::object::IMMORTAL_REFCNT {
        "immortal".to_string()
    } else {
        // getrefcount = ob_refcnt + 1 (its argument).
        format!("refcnt {}", rc.saturating_sub(1 + others))
    };
    format!(
        "{}\\n{}\\n{count}",
        esc(o.type_name()),
        esc(&short_repr(o, max))
    )
}

/// A node: an object (labelled when the walk is over, so that the refcount it shows counts
/// none of the walk's temporary handles) or a text note.
enum Node<'h> {
    /// The object, its style, and how many handles to it besides this one are not the
    /// program's.
    Object(Obj<'h>, &'static str, usize),
    Note(String),
}

struct Builder<'h> {
    heap: &'h Heap,
    ids: HashMap<usize, usize>,
    nodes: Vec<Node<'h>>,
    edges: Vec<String>,
    edge_set: std::collections::HashSet<(usize, usize)>,
}

/// The legend node every picture ends with.
const LEGEND: &str = "  legend [shape=note, style=filled, fillcolor=\"#ffffff\", label=\"legend\\lbox: type, short repr, refcnt (ob_refcnt, without the drawing tool's handles)\\lred: the object asked about; orange: highlighted (a chain)\\lellipse: a variable; dashed: deleted (its reference is gone)\\ledge label: [index], ['key'], .attribute\\l\"];";

impl<'h> Builder<'h> {
    /// A graph with no nodes yet.
    fn new(heap: &'h Heap) -> Self {
        Builder {
            heap,
            ids: HashMap::new(),
            nodes: Vec::new(),
            edges: Vec::new(),
            edge_set: Default::default(),
        }
    }

    /// The node of `o`, created (with `attrs`) on first sight; `true` when new.
    fn node(&mut self, o: &Obj<'h>, opts: &DotOptions) -> (usize, bool) {
        let id = self.heap.id(o);
        if let Some(&n) = self.ids.get(&id) {
            return (n, false);
        }
        let n = self.nodes.len();
        let style = if n == 0 {
            ", fillcolor=\"#ff9090\", color=red, penwidth=2"
        } else if opts.highlight.contains(&id) {
            ", fillcolor=\"#ffd27f\""
        } else {
            ""
        };
        let extra = if n == 0 { opts.handles_held } else { 0 };
        self.nodes.push(Node::Object(o.clone(), style, extra));
        self.ids.insert(id, n);
        (n, true)
    }
    fn edge(&mut self, from: usize, to: usize, label: &str) {
        if self.edge_set.insert((from, to)) {
            self.edges.push(if label.is_empty() {
                format!("  n{from} -> n{to};")
            } else {
                format!("  n{from} -> n{to} [label=\"{}\"];", esc(label))
            });
        }
    }
    /// A "N more" node (dashed, no object behind it).
    fn more(&mut self, n: usize, what: &str) -> usize {
        let k = self.nodes.len();
        self.nodes.push(Node::Note(format!(
            "  n{k} [label=\"{n} more {what}\", style=dashed, shape=note];"
        )));
        k
    }
    /// The DOT text. Call once every temporary handle of the walk is dropped: the only handles
    /// left are one per node (here) and the caller's (`opts.handles_held` on the target).
    fn finish(self, title: &str, opts: &DotOptions) -> String {
        let mut s = String::new();
        writeln!(s, "digraph pyheap {{").unwrap();
        writeln!(s, "  // {}", title.replace('\n', " ")).unwrap();
        writeln!(
            s,
            "  graph [rankdir=LR, labelloc=t, fontname=\"monospace\", label=\"{}\"];",
            esc(title)
        )
        .unwrap();
        writeln!(
            s,
            "  node [shape=box, style=filled, fillcolor=\"#f2f2f2\", fontname=\"monospace\", fontsize=10];"
        )
        .unwrap();
        writeln!(s, "  edge [fontname=\"monospace\", fontsize=9];").unwrap();
        for (n, node) in self.nodes.iter().enumerate() {
            match node {
                Node::Object(o, style, extra) => {
                    writeln!(
                        s,
                        "  n{n} [label=\"{}\"{style}];",
                        node_label(self.heap, o, opts.max_repr, 1 + extra)
                    )
                    .unwrap();
                }
                Node::Note(l) => writeln!(s, "{l}").unwrap(),
            }
        }
        for l in &self.edges {
            writeln!(s, "{l}").unwrap();
        }
        for (k, v) in opts.variables.iter().enumerate() {
            let Some(&n) = self.ids.get(&v.id) else {
                continue;
            };
            let (style, name) = if v.deleted {
                (
                    ", style=dashed, color=\"#888888\", fontcolor=\"#888888\"",
                    format!("{} (deleted)", v.name),
                )
            } else {
                (", fillcolor=\"#ffffff\"", v.name.clone())
            };
            writeln!(
                s,
                "  v{k} [shape=ellipse{style}, label=\"{}\"];\n  v{k} -> n{n} [arrowhead=normal{}];",
                esc(&name),
                if v.deleted { ", style=dashed, color=\"#888888\"" } else { "" }
            )
            .unwrap();
        }
        writeln!(s, "{LEGEND}").unwrap();
        s.push_str("}\n");
        s
    }
}

/// The references around `target` as a DOT digraph (see the module docs).
pub fn to_dot<'h>(heap: &'h Heap, target: &Obj<'h>, opts: &DotOptions) -> String {
    let mut b = Builder::new(heap);
    let keep = |o: &Obj<'h>| !(opts.skip_classes && o.kind() == Kind::Class && !o.is(target));
    b.node(target, opts);

    // Forwards: referents.
    let mut frontier = vec![target.clone()];
    for _ in 0..opts.max_depth {
        let mut next = Vec::new();
        for o in &frontier {
            let (from, _) = b.node(o, opts);
            let refs: Vec<_> = labelled_referents(heap, o)
                .into_iter()
                .filter(|(r, _)| keep(r))
                .collect();
            for (i, (r, label)) in refs.iter().enumerate() {
                if i == opts.max_per_node {
                    let m = b.more(refs.len() - i, "references");
                    b.edge(from, m, "");
                    break;
                }
                let (to, new) = b.node(r, opts);
                b.edge(from, to, label);
                if new {
                    next.push(r.clone());
                }
            }
        }
        frontier = next;
    }
    drop(frontier);

    // Backwards: referrers, over the whole graph (built once).
    if opts.referrers {
        let graph = HeapGraph::build(heap, &[target]);
        let mut frontier = vec![graph.index_of(target).expect("target is in its graph")];
        let mut expanded = std::collections::HashSet::new();
        for _ in 0..opts.max_depth {
            let mut next = Vec::new();
            for &i in &frontier {
                if !expanded.insert(i) {
                    continue;
                }
                let o = graph.obj(i).clone();
                let (to, _) = b.node(&o, opts);
                let refs: Vec<usize> = graph
                    .referrers(i)
                    .iter()
                    .copied()
                    .filter(|&j| keep(graph.obj(j)))
                    .collect();
                for (k, &j) in refs.iter().enumerate() {
                    if k == opts.max_per_node {
                        let m = b.more(refs.len() - k, "referrers");
                        b.edge(m, to, "");
                        break;
                    }
                    let r = graph.obj(j);
                    let label = labelled_referents(heap, r)
                        .into_iter()
                        .find(|(x, _)| x.is(&o))
                        .map(|(_, l)| l)
                        .unwrap_or_default();
                    let (from, _) = b.node(r, opts);
                    b.edge(from, to, &label);
                    next.push(j);
                }
            }
            frontier = next;
        }
    }
    let dir = if opts.referrers {
        "referents and referrers"
    } else {
        "referents"
    };
    b.finish(
        &format!(
            "pyheap: {} of a {} within {} references",
            dir,
            target.type_name(),
            opts.max_depth
        ),
        opts,
    )
}

/// Why is `target` alive? The shortest chain of references `[root, …, target]` from a handle
/// root (an object referenced from outside the heap) to `target`; `[target]` when a handle other
/// than the `target` argument itself holds it. `None` when no handle root reaches it: it is
/// garbage kept only by a cycle (a `collect()` would free it), it is immortal, or it hangs from
/// something the heap cannot list (see [`super::heap_graph`]'s blind spots).
pub fn backref_chain<'h>(heap: &'h Heap, target: &Obj<'h>) -> Option<Vec<Obj<'h>>> {
    let graph = HeapGraph::build(heap, &[target]);
    let t = graph.index_of(target)?;
    // Breadth-first over referrers: the first root met is at the least distance.
    let mut parent: HashMap<usize, usize> = HashMap::new();
    let mut queue = std::collections::VecDeque::from([t]);
    let mut seen = std::collections::HashSet::from([t]);
    while let Some(i) = queue.pop_front() {
        let ignore = usize::from(i == t); // the caller's `target` handle
        if graph.external_refs(i, ignore).is_some_and(|n| n > 0) {
            let mut chain = vec![graph.obj(i).clone()];
            let mut k = i;
            while k != t {
                k = parent[&k];
                chain.push(graph.obj(k).clone());
            }
            return Some(chain);
        }
        for &j in graph.referrers(i) {
            if seen.insert(j) {
                parent.insert(j, i);
                queue.push_back(j);
            }
        }
    }
    None
}

/// The label of the reference `from → to` (empty when unknown).
fn edge_label<'h>(heap: &'h Heap, from: &Obj<'h>, to: &Obj<'h>) -> String {
    labelled_referents(heap, from)
        .into_iter()
        .find(|(x, _)| x.is(to))
        .map(|(_, l)| l)
        .unwrap_or_default()
}

/// A chain from [`backref_chain`] as text, one link per line:
///
/// ```text
/// list (2 items)  ← held by a handle (a reference from outside the heap)
///   └─[1]─▶ dict (1 item)
///     └─['k']─▶ Foo (<Foo object>)   ← target
/// ```
pub fn chain_to_text<'h>(heap: &'h Heap, chain: &[Obj<'h>]) -> String {
    let mut s = String::new();
    for (i, o) in chain.iter().enumerate() {
        let desc = format!("{} ({})", o.type_name(), short_repr(o, 40));
        if i == 0 {
            write!(
                s,
                "{desc}  ← held by a handle (a reference from outside the heap)"
            )
            .unwrap();
        } else {
            let label = edge_label(heap, &chain[i - 1], o);
            write!(s, "{}└─{}─▶ {desc}", "  ".repeat(i), label).unwrap();
        }
        if i + 1 == chain.len() {
            s.push_str("   ← target");
        }
        s.push('\n');
    }
    s
}

/// A chain from [`backref_chain`] as DOT: the root highlighted, the target red, `n0` = target.
pub fn chain_to_dot<'h>(heap: &'h Heap, chain: &[Obj<'h>]) -> String {
    let Some(target) = chain.last() else {
        return "digraph pyheap {\n}\n".to_string();
    };
    let opts = DotOptions {
        highlight: chain.first().map(|r| vec![heap.id(r)]).unwrap_or_default(),
        ..DotOptions::default()
    };
    let mut b = Builder::new(heap);
    b.node(target, &opts);
    let nodes: Vec<usize> = chain.iter().map(|o| b.node(o, &opts).0).collect();
    for i in 1..chain.len() {
        let label = edge_label(heap, &chain[i - 1], &chain[i]);
        b.edge(nodes[i - 1], nodes[i], &label);
    }
    // The chain holds one handle to each of its objects.
    for node in &mut b.nodes {
        if let Node::Object(_, _, extra) = node {
            *extra += 1;
        }
    }
    b.finish(
        &format!(
            "pyheap: why is this {} alive? {} references from a handle root",
            target.type_name(),
            chain.len() - 1
        ),
        &opts,
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::runtime::ClassSpec;

    /// (node ids, (from, to, label) edges) of a DOT text, parsed line by line.
    fn parse(dot: &str) -> (Vec<String>, Vec<(String, String, String)>) {
        let mut nodes = Vec::new();
        let mut edges = Vec::new();
        for l in dot.lines().map(str::trim) {
            if let Some((lhs, _)) = l.split_once(" [").or(l.strip_suffix(';').map(|x| (x, ""))) {
                if let Some((a, b)) = lhs.split_once(" -> ") {
                    let label = l
                        .split_once("label=\"")
                        .map(|(_, r)| r.split('"').next().unwrap().to_string())
                        .unwrap_or_default();
                    edges.push((a.to_string(), b.to_string(), label));
                } else if lhs.starts_with('n') && lhs[1..].chars().all(|c| c.is_ascii_digit()) {
                    nodes.push(lhs.to_string());
                }
            }
        }
        (nodes, edges)
    }

    #[test]
    fn two_list_cycle_has_exactly_its_nodes_and_edges() {
        let heap = Heap::new();
        let a = heap.list(&[]).unwrap();
        let b = heap.list(&[a.obj()]).unwrap();
        a.append(&b).unwrap();
        let dot = to_dot(&heap, &a, &DotOptions::default());
        assert!(dot.starts_with("digraph"), "{dot}");
        let (nodes, edges) = parse(&dot);
        assert_eq!(nodes, ["n0", "n1"], "{dot}");
        let mut e: Vec<_> = edges
            .iter()
            .map(|(a, b, l)| format!("{a}>{b}{l}"))
            .collect();
        e.sort();
        assert_eq!(e, ["n0>n1[0]", "n1>n0[0]"], "{dot}");
        assert!(
            dot.contains("n0 [label=\"list\\n1 item\\nrefcnt 2\", fillcolor"),
            "{dot}"
        );
        assert!(dot.contains("color=red"));
        // Deterministic: the same state gives the same text.
        assert_eq!(dot, to_dot(&heap, &a, &DotOptions::default()));
        a.clear();
    }

    #[test]
    fn refcounts_names_and_a_deleted_variable() {
        let heap = Heap::new();
        let a = heap.list(&[]).unwrap();
        let b = heap.list(&[a.obj()]).unwrap();
        a.append(&b).unwrap();
        let (ida, idb) = (heap.id(&a.obj()), heap.id(&b.obj()));
        // `del b`: our handle on b goes, only a's item keeps it.
        drop(b);
        let opts = DotOptions {
            variables: vec![
                Variable {
                    name: "a".into(),
                    id: ida,
                    deleted: false,
                },
                Variable {
                    name: "b".into(),
                    id: idb,
                    deleted: true,
                },
            ],
            ..DotOptions::default()
        };
        let dot = to_dot(&heap, &a, &opts);
        assert!(
            dot.contains("n0 [label=\"list\\n1 item\\nrefcnt 2\""),
            "{dot}"
        );
        assert!(
            dot.contains("n1 [label=\"list\\n1 item\\nrefcnt 1\""),
            "{dot}"
        );
        assert!(
            dot.contains("label=\"a\"];\n  v0 -> n0 [arrowhead=normal];"),
            "{dot}"
        );
        assert!(dot.contains("label=\"b (deleted)\"]"), "{dot}");
        assert!(
            dot.contains("v1 -> n1 [arrowhead=normal, style=dashed"),
            "{dot}"
        );
        assert!(
            dot.contains("labelloc=t") && dot.contains("legend [shape=note"),
            "{dot}"
        );
        // The caller keeps `a` only to draw it: after `del a` the cycle alone holds both.
        let held = DotOptions {
            handles_held: 1,
            ..DotOptions::default()
        };
        let dot = to_dot(&heap, &a, &held);
        assert!(
            dot.contains("n0 [label=\"list\\n1 item\\nrefcnt 1\""),
            "{dot}"
        );
        a.clear();
    }

    #[test]
    fn instance_ring_with_and_without_classes() {
        let heap = Heap::new();
        let cls = heap.new_class(ClassSpec::new("Node")).unwrap();
        let xs: Vec<_> = (0..3).map(|_| cls.instantiate().unwrap()).collect();
        for i in 0..3 {
            xs[i].setattr("next", &xs[(i + 1) % 3]).unwrap();
        }
        let opts = DotOptions {
            skip_classes: true,
            ..DotOptions::default()
        };
        let dot = to_dot(&heap, &xs[0], &opts);
        let (nodes, edges) = parse(&dot);
        assert_eq!(nodes.len(), 3, "{dot}");
        assert_eq!(edges.len(), 3, "{dot}");
        assert!(edges.iter().all(|(_, _, l)| l == ".next"), "{dot}");
        assert!(dot.contains("Node\\n<Node object>"), "{dot}");
        assert!(!dot.contains("0x"), "{dot}");

        // With the class: one more node, and every instance has a __class__ edge to it.
        let dot = to_dot(&heap, &xs[0], &DotOptions::default());
        let (nodes, edges) = parse(&dot);
        assert_eq!(nodes.len(), 4, "{dot}");
        assert_eq!(edges.len(), 6, "{dot}");
        assert_eq!(
            edges.iter().filter(|(_, _, l)| l == "__class__").count(),
            3,
            "{dot}"
        );
        for x in &xs {
            x.delattr("next").unwrap();
        }
    }

    #[test]
    fn depth_limit_and_truncation() {
        let heap = Heap::new();
        let items: Vec<_> = (0..25).map(|i| heap.int(1000 + i).unwrap()).collect();
        let big = heap.list(&items).unwrap();
        let outer = heap.list(&[big.obj()]).unwrap();
        let opts = DotOptions {
            max_per_node: 10,
            ..DotOptions::default()
        };
        let dot = to_dot(&heap, &outer, &opts);
        let (nodes, edges) = parse(&dot);
        // outer, big, 10 ints, the "15 more" node.
        assert_eq!(nodes.len(), 13, "{dot}");
        assert_eq!(edges.len(), 12, "{dot}");
        assert!(dot.contains("15 more references"), "{dot}");
        // Referents come in traverse order, CPython's list_traverse (last item first): the ten
        // shown are items 24 down to 15.
        assert!(
            dot.contains("[label=\"[15]\"]")
                && dot.contains("[label=\"[24]\"]")
                && !dot.contains("\"[14]\""),
            "{dot}"
        );

        let shallow = to_dot(
            &heap,
            &outer,
            &DotOptions {
                max_depth: 1,
                ..opts.clone()
            },
        );
        assert_eq!(parse(&shallow).0.len(), 2, "{shallow}");
        let alone = to_dot(
            &heap,
            &outer,
            &DotOptions {
                max_depth: 0,
                ..opts
            },
        );
        assert_eq!(parse(&alone), (vec!["n0".to_string()], vec![]), "{alone}");
    }

    #[test]
    fn dict_keys_and_referrers() {
        let heap = Heap::new();
        let v = heap.list(&[]).unwrap();
        let d = heap.dict().unwrap();
        d.set(&heap.str("k").unwrap(), &v).unwrap();
        let holder = heap.list(&[d.obj()]).unwrap();
        let opts = DotOptions {
            referrers: true,
            max_depth: 2,
            ..DotOptions::default()
        };
        let dot = to_dot(&heap, &v, &opts);
        let (nodes, edges) = parse(&dot);
        // v ← d ← holder
        assert_eq!(nodes.len(), 3, "{dot}");
        let labels: Vec<&str> = edges.iter().map(|(_, _, l)| l.as_str()).collect();
        assert!(labels.contains(&"['k']"), "{dot}");
        assert!(labels.contains(&"[0]"), "{dot}");
        drop(holder);
    }

    #[test]
    fn backref_chain_is_the_shortest_from_the_handle_root() {
        let heap = Heap::new();
        let cls = heap.new_class(ClassSpec::new("Foo")).unwrap();
        let target = cls.instantiate().unwrap().into_obj();
        // root → [long0 → long1 → long2 → d] and root → d: the short path is two links.
        let d = heap.dict().unwrap();
        d.set(&heap.str("k").unwrap(), &target).unwrap();
        let long2 = heap.list(&[d.obj()]).unwrap();
        let long1 = heap.list(&[long2.into_obj()]).unwrap();
        let long0 = heap.list(&[long1.into_obj()]).unwrap();
        let root = heap.list(&[long0.into_obj(), d.obj()]).unwrap();
        drop(d);

        let chain = backref_chain(&heap, &target).expect("held by `root`");
        let ids: Vec<usize> = chain.iter().map(|o| heap.id(o)).collect();
        assert_eq!(chain.len(), 3, "{}", chain_to_text(&heap, &chain));
        assert_eq!(ids[0], heap.id(&root));
        assert_eq!(ids[2], heap.id(&target));
        assert_eq!(chain[1].type_name(), "dict");
        let text = chain_to_text(&heap, &chain);
        assert!(text.contains("└─[1]─▶ dict"), "{text}");
        assert!(text.contains("└─['k']─▶ Foo"), "{text}");
        let dot = chain_to_dot(&heap, &chain);
        let (nodes, edges) = parse(&dot);
        assert_eq!((nodes.len(), edges.len()), (3, 2), "{dot}");

        // A second handle on the target makes it its own root.
        let again = target.clone();
        assert_eq!(backref_chain(&heap, &target).unwrap().len(), 1);
        drop(again);
        drop(chain);

        // Dropping the root leaves the target reachable from nothing outside: a cycle would be
        // garbage; here, nothing holds it but our handle.
        drop(root);
        assert_eq!(heap.getrefcount(&target), 2);
        assert!(backref_chain(&heap, &target).is_none());
    }

    #[test]
    fn leaked_cycle_has_no_chain() {
        let heap = Heap::new();
        let a = heap.list(&[]).unwrap();
        let b = heap.list(&[a.obj()]).unwrap();
        a.append(&b).unwrap();
        drop(b);
        // Only our `a` handle: a ↔ b is unreachable from any other handle.
        assert!(backref_chain(&heap, &a).is_none());
        a.clear();
    }
}
