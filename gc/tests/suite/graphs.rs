//! Property test: random object graphs with random handle drops, finalizers, resurrectors and
//! weakrefs. After a full collection everything unreachable from the kept handles (and from the
//! resurrectors) is freed, nothing reachable is cleared or freed, finalizers run exactly once.

use crate::common;
use common::*;
use proptest::prelude::*;
use std::collections::HashSet;
use std::rc::Rc;

#[derive(Debug, Clone)]
struct Graph {
    /// Per node: (kind 0..3, finalizer 0 none / 1 plain / 2 resurrect)
    nodes: Vec<(u8, u8)>,
    edges: Vec<(usize, usize)>,
    keep: Vec<bool>,
    weak: Vec<(usize, bool)>,
    pre_collections: Vec<u8>,
    /// Full collections with phases 2–3 folded into one walk (the default) or as two walks.
    fold: bool,
}

fn graph() -> impl Strategy<Value = Graph> {
    (1usize..40).prop_flat_map(|n| {
        (
            proptest::collection::vec(
                (
                    0u8..3,
                    prop_oneof![6 => Just(0u8), 3 => Just(1), 1 => Just(2)],
                ),
                n,
            ),
            proptest::collection::vec((0..n, 0..n), 0..n * 3),
            proptest::collection::vec(proptest::bool::weighted(0.2), n),
            proptest::collection::vec((0..n, any::<bool>()), 0..5),
            proptest::collection::vec(0u8..3, 0..3),
            any::<bool>(),
        )
            .prop_map(|(nodes, edges, keep, weak, pre_collections, fold)| Graph {
                nodes,
                edges,
                keep,
                weak,
                pre_collections,
                fold,
            })
    })
}

fn reach(roots: impl IntoIterator<Item = usize>, adj: &[Vec<usize>]) -> HashSet<usize> {
    let mut seen = HashSet::new();
    let mut stack: Vec<usize> = roots.into_iter().collect();
    while let Some(i) = stack.pop() {
        if seen.insert(i) {
            stack.extend(adj[i].iter().copied());
        }
    }
    seen
}

fn run(g: &Graph) {
    let w = World::new();
    w.gc.disable();
    w.gc.set_fold_update_refs(g.fold);
    let nodes: Vec<NodePtr> = g
        .nodes
        .iter()
        .map(|&(kind, fin)| {
            let kind = [Kind::Plain, Kind::Tuple, Kind::Dict][kind as usize];
            let finalizer: Option<Hook> = match fin {
                1 => Some(Rc::new(|_: &World, _| {})),
                2 => Some(Rc::new(resurrect)),
                _ => None,
            };
            w.alloc(Opts {
                kind,
                finalizer,
                ..Default::default()
            })
        })
        .collect();
    let ids: Vec<usize> = nodes.iter().map(|&p| n(p).id).collect();
    let mut adj = vec![Vec::new(); nodes.len()];
    for &(a, b) in &g.edges {
        w.link(nodes[a], nodes[b]);
        adj[a].push(b);
    }
    let weak: Vec<(NodePtr, usize)> = g
        .weak
        .iter()
        .map(|&(t, cb)| {
            let hook: Option<Hook> = if cb {
                Some(Rc::new(|_: &World, _| {}))
            } else {
                None
            };
            (w.weakref(nodes[t], hook), t)
        })
        .collect();
    let kept: Vec<usize> = (0..nodes.len()).filter(|&i| g.keep[i]).collect();
    for (&p, &keep) in nodes.iter().zip(&g.keep) {
        if !keep {
            w.dec(p);
        }
    }
    for &c in &g.pre_collections {
        w.collect(c as i64);
        w.gc.check_invariants().unwrap();
    }
    w.collect(2);
    w.gc.check_invariants().unwrap();

    let resurrectors = (0..nodes.len()).filter(|&i| g.nodes[i].1 == 2);
    let live_roots = reach(kept.iter().copied(), &adj);
    let alive = reach(kept.iter().copied().chain(resurrectors), &adj);
    for (i, &id) in ids.iter().enumerate() {
        if alive.contains(&i) {
            assert!(!w.is_freed(id), "node {i} is reachable but was freed");
            assert!(!w.was_cleared(id), "node {i} is reachable but was cleared");
        } else {
            assert!(w.is_freed(id), "node {i} is unreachable but was not freed");
        }
        if live_roots.contains(&i) {
            assert_eq!(w.fin_count(id), 0, "reachable node {i} finalized");
        }
    }
    for &(wr, t) in &weak {
        // (Weakrefs to resurrected objects may be either: the collector clears them before
        // finalizers run, a refcount deallocation only after a finalizer that did not resurrect.)
        if w.is_freed(ids[t]) {
            assert!(
                w.wr_get(wr).is_none(),
                "weakref to dead node {t} not cleared"
            );
        } else if live_roots.contains(&t) {
            assert!(w.wr_get(wr).is_some(), "weakref to live node {t} cleared");
        }
    }

    // Drop everything: all must go, each finalizer having run exactly once.
    for &i in &kept {
        w.dec(nodes[i]);
    }
    // Each round may resurrect objects that were only reachable from the previous round's
    // garbage (a resurrector freed by refcounting), so repeat until nothing is resurrected.
    for _ in 0..=nodes.len() {
        w.collect(2);
        if w.survivors.borrow().is_empty() {
            break;
        }
        w.clear_survivors();
    }
    for (wr, _) in weak {
        w.dec(wr);
    }
    assert_eq!(w.live.get(), 0, "leak");
    for (i, &(_, fin)) in g.nodes.iter().enumerate() {
        let expect = usize::from(fin != 0);
        assert_eq!(w.fin_count(ids[i]), expect, "finalizer count of node {i}");
    }
    assert!(w.gc.get_objects(None).unwrap().is_empty());
    assert_eq!(w.gc.check_invariants(), Ok(0));
}

proptest! {
    // Miri: a handful of cases (each graph is interpreted), and no regression file: reading it
    // needs getcwd/open, which Miri's isolation refuses.
    #![proptest_config(ProptestConfig {
        cases: if cfg!(miri) { 8 } else { 256 },
        failure_persistence: if cfg!(miri) {
            None
        } else {
            ProptestConfig::default().failure_persistence
        },
        ..ProptestConfig::default()
    })]
    #[test]
    fn random_graphs_collect_exactly_the_garbage(g in graph()) {
        run(&g);
    }
}
