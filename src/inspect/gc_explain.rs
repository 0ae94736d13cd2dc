//! The explained collection ([`pyheap_gc::Explanation`]) as a text table and as a DOT picture
//! coloured by what each phase decided.
//!
//! ```text
//!  object  gen refcnt  gc_refs  -internal  move_unreachable walk          finalizer weakrefs  result
//!  y        0     1       1        1       reachable (1 external ref)     -         -         survives → gen 1
//!  x        0     1       1        0       tentatively unreachable,       -         -         survives → gen 1
//!                                          moved back by y
//!  a        0     1       1        0       unreachable                    run       cleared   freed
//! ```
//!
//! Rows are named by the caller's variable names (`names`: `id(obj)` → name) or by their type
//! and row number (`list #3`). In the picture: green = held from outside (gc_refs > 0 after the
//! subtraction), yellow = reached from a green one (saved, or moved back), red = freed, orange =
//! resurrected by a finalizer, purple = uncollectable (legacy finalizer), grey = survived its
//! `tp_clear` or untracked.

use super::heap_graph::labelled_referents;
use crate::gc::Explanation;
use std::collections::HashMap;
use std::fmt::Write as _;

/// `list` from `<list 0x7f…>`.
fn type_of(name: &str) -> &str {
    name.trim_start_matches('<')
        .split([' ', '>'])
        .next()
        .unwrap_or("object")
}

/// What each reference between two objects goes through, `(id(from), id(to))` → label:
/// `.other` (an attribute), `[0]` (a list or tuple index), `['k']` (a dict value), `key` (a
/// dict key), `cell_contents`; several joined by `, ` (see
/// [`super::heap_graph::labelled_referents`]). The collector only knows the edges; the labels
/// are read before the collection, while every object still exists.
pub type EdgeLabels = HashMap<(usize, usize), String>;

/// [`EdgeLabels`] of every tracked object of generations 0..=`generation` (call it just before
/// `collect_explained(generation)`; it holds no handle afterwards).
pub fn edge_labels(heap: &crate::runtime::Heap, generation: usize) -> EdgeLabels {
    let mut out = EdgeLabels::new();
    for g in 0..=generation.min(crate::gc::NUM_GENERATIONS - 1) {
        for o in heap.gc().get_objects(Some(g as i64)).unwrap_or_default() {
            for (r, label) in labelled_referents(heap, &o) {
                if !label.is_empty() {
                    out.insert((heap.id(&o), heap.id(&r)), label);
                }
            }
        }
    }
    out
}

/// `a.other`, `y[0]`, `d['k']`, `d key` for the reference `from → to` (just `from` unlabelled).
fn through(from: &str, label: Option<&String>) -> String {
    match label {
        None => from.to_string(),
        Some(l) => l
            .split(", ")
            .map(|p| match p {
                "key" => format!("{from} key"),
                p if p.starts_with('[') || p.starts_with('.') => format!("{from}{p}"),
                p => format!("{from}.{p}"),
            })
            .collect::<Vec<_>>()
            .join(", "),
    }
}

/// The rows worth a table in a big generation: those `keep` selects, plus every row that moved
/// one of them back (so "moved back by" always names a row of the table). Returns the smaller
/// explanation (indices, edges and `moved_back_by` renumbered) and how many rows were left out.
pub fn focus(ex: &Explanation, keep: impl Fn(usize) -> bool) -> (Explanation, usize) {
    let mut kept: Vec<bool> = (0..ex.rows.len()).map(&keep).collect();
    for i in 0..ex.rows.len() {
        if kept[i]
            && let Some(m) = ex.rows[i].moved_back_by
        {
            kept[m] = true;
        }
    }
    let mut new_index = vec![usize::MAX; ex.rows.len()];
    let mut rows = Vec::new();
    for (i, r) in ex.rows.iter().enumerate() {
        if kept[i] {
            new_index[i] = rows.len();
            rows.push(r.clone());
        }
    }
    for r in &mut rows {
        r.moved_back_by = r.moved_back_by.map(|m| new_index[m]);
    }
    let edges = ex
        .edges
        .iter()
        .filter(|(a, b)| kept[*a] && kept[*b])
        .map(|(a, b)| (new_index[*a], new_index[*b]))
        .collect();
    let left_out = ex.rows.len() - rows.len();
    let out = Explanation {
        generation: ex.generation,
        rows,
        edges,
        collected: ex.collected,
        refcount_error: ex.refcount_error,
    };
    (out, left_out)
}

/// The display name of every row: the variable name if the caller has one, else `type #i`.
pub fn row_names(ex: &Explanation, names: &HashMap<usize, String>) -> Vec<String> {
    ex.rows
        .iter()
        .enumerate()
        .map(|(i, r)| match names.get(&r.id) {
            Some(n) => n.clone(),
            None => format!("{} #{i}", type_of(&r.name)),
        })
        .collect()
}

/// What the move_unreachable walk decided for row `i`.
fn walk_text(ex: &Explanation, labels: &[String], i: usize) -> String {
    let r = &ex.rows[i];
    if r.gc_refs_external > 0 {
        let s = if r.gc_refs_external == 1 { "" } else { "s" };
        format!("reachable ({} external ref{s})", r.gc_refs_external)
    } else if let Some(by) = r.moved_back_by {
        if r.tentatively_unreachable {
            format!("tentatively unreachable, moved back by {}", labels[by])
        } else {
            format!("reached from {} before the walk got to it", labels[by])
        }
    } else {
        "unreachable".to_string()
    }
}

/// The row's outcome after the real collection.
fn result_text(ex: &Explanation, i: usize) -> String {
    let r = &ex.rows[i];
    if r.freed {
        "freed".into()
    } else if r.uncollectable {
        "uncollectable (gc.garbage keeps the tp_del ones)".into()
    } else if r.resurrected {
        "resurrected by a finalizer".into()
    } else if r.untracked {
        "survives, untracked".into()
    } else if r.unreachable {
        "survived its tp_clear".into()
    } else if ex.generation + 1 < crate::gc::NUM_GENERATIONS {
        format!("survives → generation {}", ex.generation + 1)
    } else {
        "survives in generation 2".into()
    }
}

/// The table as text (a title line, a header, one line per object, a summary).
pub fn explain_text(
    ex: &Explanation,
    names: &HashMap<usize, String>,
    edge_labels: &EdgeLabels,
    source: &str,
) -> String {
    let labels = row_names(ex, names);
    let mut out = String::new();
    let _ = writeln!(
        out,
        "gc.collect({}) explained, {source}: {} objects in generations 0..={}",
        ex.generation,
        ex.rows.len(),
        ex.generation
    );
    let w = labels.iter().map(|l| l.len()).max().unwrap_or(6).max(6);
    let walk: Vec<String> = (0..ex.rows.len())
        .map(|i| walk_text(ex, &labels, i))
        .collect();
    let ww = walk.iter().map(|s| s.len()).max().unwrap_or(4).max(22);
    let _ = writeln!(
        out,
        "{:w$}  gen  refcnt  gc_refs  -internal  {:ww$}  finalizer  weakrefs  result",
        "object", "move_unreachable walk"
    );
    for (i, r) in ex.rows.iter().enumerate() {
        let _ = writeln!(
            out,
            "{:w$}  {:>3}  {:>6}  {:>7}  {:>9}  {:ww$}  {:9}  {:8}  {}",
            labels[i],
            r.generation,
            r.refcount,
            r.gc_refs_copy,
            r.gc_refs_external,
            walk[i],
            if r.finalized { "run" } else { "-" },
            if r.weakrefs_cleared { "cleared" } else { "-" },
            result_text(ex, i)
        );
    }
    let mut listed = std::collections::HashSet::new();
    let refs: Vec<String> = ex
        .edges
        .iter()
        .filter(|e| listed.insert(**e))
        .map(|&(a, b)| {
            let l = edge_labels.get(&(ex.rows[a].id, ex.rows[b].id));
            format!("{} -> {}", through(&labels[a], l), labels[b])
        })
        .collect();
    if !refs.is_empty() {
        let _ = writeln!(
            out,
            "references between them (what subtract_refs subtracts): {}",
            refs.join("; ")
        );
    }
    let freed = ex.freed().count();
    let _ = writeln!(
        out,
        "gc_refs: the refcount copied (update_refs); -internal: after subtracting the references \
         the objects of the generation hold on each other (subtract_refs). collect() returned {}; \
         {freed} freed.",
        ex.collected
    );
    if ex.refcount_error {
        let _ = writeln!(
            out,
            "a traverse reported more references than a refcount allows: the collection was \
             aborted and every object kept"
        );
    }
    out
}

/// DOT string escape.
fn esc(s: &str) -> String {
    s.replace('\\', "\\\\").replace('"', "\\\"")
}

/// Fill colour of a row: the phase that decided its fate.
fn colour(ex: &Explanation, i: usize) -> &'static str {
    let r = &ex.rows[i];
    if r.freed {
        "#f4a6a6"
    } else if r.uncollectable {
        "#cba6f7"
    } else if r.resurrected {
        "#fab387"
    } else if r.unreachable || r.untracked {
        "#d0d0d0"
    } else if r.gc_refs_external > 0 {
        "#a6e3a1"
    } else {
        "#f9e2af"
    }
}

/// The graph of the explained generation: one box per object (name, refcount, gc_refs before
/// and after the subtraction, the walk's decision, the outcome), one arrow per reference, a
/// title and a legend.
pub fn explain_dot(
    ex: &Explanation,
    names: &HashMap<usize, String>,
    edge_labels: &EdgeLabels,
    source: &str,
) -> String {
    let labels = row_names(ex, names);
    let mut out = String::new();
    let _ = writeln!(out, "digraph explain_gc {{");
    let _ = writeln!(
        out,
        "  label=\"gc.collect({}) explained: {}\\ngc_refs = refcount minus internal references; \
         0 and not reached from a green object = garbage\";",
        ex.generation,
        esc(source)
    );
    let _ = writeln!(
        out,
        "  labelloc=t; fontname=\"Helvetica\"; rankdir=LR;\n  node [shape=box, style=\"rounded,filled\", fontname=\"Helvetica\", fontsize=11];\n  edge [fontname=\"Helvetica\", fontsize=10];"
    );
    for (i, r) in ex.rows.iter().enumerate() {
        let mut label = format!(
            "{}\\nrefcnt {} · gc_refs {} → {}\\n{}",
            esc(&labels[i]),
            r.refcount,
            r.gc_refs_copy,
            r.gc_refs_external,
            esc(&walk_text(ex, &labels, i))
        );
        if r.finalized {
            label.push_str("\\n__del__ run");
        }
        if r.weakrefs_cleared {
            label.push_str("\\nweakrefs cleared");
        }
        let _ = write!(label, "\\n{}", esc(&result_text(ex, i)));
        // A deleted variable (the caller's name says so) is drawn dashed.
        let dashed = if labels[i].contains("(deleted)") {
            ", style=\"rounded,filled,dashed\""
        } else {
            ""
        };
        let _ = writeln!(
            out,
            "  n{i} [label=\"{label}\", fillcolor=\"{}\"{dashed}];",
            colour(ex, i)
        );
    }
    for &(a, b) in &ex.edges {
        let mut attrs = Vec::new();
        if let Some(l) = edge_labels.get(&(ex.rows[a].id, ex.rows[b].id)) {
            attrs.push(format!("label=\"{}\"", esc(l)));
        }
        if ex.rows[a].moved_back_by.is_some() && ex.rows[b].moved_back_by == Some(a) {
            attrs.push("penwidth=2".to_string());
        }
        let attrs = if attrs.is_empty() {
            String::new()
        } else {
            format!(" [{}]", attrs.join(", "))
        };
        let _ = writeln!(out, "  n{a} -> n{b}{attrs};");
    }
    let _ = writeln!(
        out,
        "  subgraph cluster_legend {{\n    label=\"legend\"; fontsize=10; style=dashed;\n    \
         l0 [label=\"held from outside\\n(gc_refs > 0)\", fillcolor=\"#a6e3a1\"];\n    \
         l1 [label=\"reached from a held object\\n(saved or moved back)\", fillcolor=\"#f9e2af\"];\n    \
         l2 [label=\"unreachable, freed\", fillcolor=\"#f4a6a6\"];\n    \
         l3 [label=\"resurrected by __del__\", fillcolor=\"#fab387\"];\n    \
         l4 [label=\"uncollectable (tp_del)\", fillcolor=\"#cba6f7\"];\n    \
         l0 -> l1 -> l2 -> l3 -> l4 [style=invis];\n  }}"
    );
    out.push_str("}\n");
    out
}

/// The five-object example of the tour and of `pyheap explain-gc`, built on `heap` (with the
/// collector disabled while it is built; everything older is first moved to generation 2 by a
/// full collection, so generation 0 holds exactly these five lists):
///
/// ```python
/// x = []; y = [x]; del x          # x is met first by the walk, with gc_refs 0: moved, then
///                                 # moved back by y
/// a = []; b = [a]; a.append(b)    # a <-> b
/// del a, b                        # ... a dead cycle
/// c = []; c.append(c)             # a live self-cycle: c still names it
/// gc.collect(0)
/// ```
///
/// Returns the explained collection of generation 0, the names of its rows (`id` → name;
/// deleted variables are named `x (deleted)`) and the labels of its references.
pub fn five_objects(
    heap: &crate::runtime::Heap,
) -> Result<(Explanation, HashMap<usize, String>, EdgeLabels), crate::runtime::RuntimeError> {
    let gc = heap.gc();
    let was_enabled = gc.isenabled();
    gc.collect(2).map_err(gc_error)?;
    gc.disable();
    let mut names = HashMap::new();
    let x = heap.list(&[])?.into_obj();
    let y = heap.list(std::slice::from_ref(&x))?.into_obj();
    names.insert(heap.id(&x), "x (deleted)".to_string());
    names.insert(heap.id(&y), "y".to_string());
    drop(x);
    let a = heap.list(&[])?;
    let b = heap.list(&[a.clone().into_obj()])?.into_obj();
    a.append(&b)?;
    names.insert(heap.id(&a), "a (deleted)".to_string());
    names.insert(heap.id(&b), "b (deleted)".to_string());
    drop((a, b));
    let c = heap.list(&[])?;
    c.append(&c.clone().into_obj())?;
    names.insert(heap.id(&c), "c".to_string());
    let labels = edge_labels(heap, 0);
    let ex = gc.collect_explained(0).map_err(gc_error)?;
    drop((y, c));
    gc.collect(2).map_err(gc_error)?;
    if was_enabled {
        gc.enable();
    }
    Ok((ex, names, labels))
}

fn gc_error(e: crate::gc::GcError) -> crate::runtime::RuntimeError {
    crate::runtime::RuntimeError::ValueError(e.to_string())
}
