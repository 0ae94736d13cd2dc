//! `Collector::collect_explained` against the mock model: the replayed table agrees with what
//! the real collection did (freed, finalized, weakrefs cleared), on cycles, finalizers,
//! resurrection, weakrefs, legacy finalizers and pseudo-random graphs.

use crate::common;
use common::*;
use pyheap_gc::*;
use std::collections::{HashMap, HashSet};
use std::rc::Rc;

fn world() -> Rc<World> {
    let w = World::new();
    w.gc.disable();
    w
}

/// Explain a collection of generation 2 and return it with each row's mock id (read before the
/// collection, while every node is alive).
fn explain(w: &World, nodes: &[NodePtr]) -> (Explanation, Vec<usize>) {
    let ids: HashMap<GcPtr, usize> = nodes.iter().map(|&p| (gc(p), n(p).id)).collect();
    let ex = w.gc.collect_explained(2).expect("explain");
    w.gc.check_invariants().expect("list invariants");
    let row_ids = ex.rows.iter().map(|r| ids[&r.op]).collect();
    (ex, row_ids)
}

/// The replay's unreachable set (minus what user code resurrected, minus uncollectable) is
/// exactly what the mock saw freed, and `collected` counts the unreachable set minus what was
/// resurrected.
fn assert_agrees(w: &World, ex: &Explanation, ids: &[usize]) {
    let predicted: HashSet<usize> = ex
        .unreachable()
        .filter(|&i| !ex.rows[i].resurrected && !ex.rows[i].uncollectable)
        .map(|i| ids[i])
        .collect();
    let freed: HashSet<usize> = ids.iter().copied().filter(|&id| w.is_freed(id)).collect();
    assert_eq!(predicted, freed, "replay vs mock frees");
    let table_freed: HashSet<usize> = ex.freed().map(|i| ids[i]).collect();
    assert_eq!(table_freed, freed, "table's freed column vs mock frees");
    let resurrected = ex.unreachable().filter(|&i| ex.rows[i].resurrected).count();
    assert_eq!(ex.collected, ex.unreachable().count() - resurrected);
}

#[test]
fn five_objects_gc_refs_phase_by_phase() {
    let w = world();
    // x is tracked first but only reachable through y (held from outside): the walk moves x to
    // `unreachable`, then y's traverse pulls it back.
    let x = w.plain();
    let y = w.plain();
    w.link(y, x);
    w.dec(x);
    // a <-> b: a dead cycle; c -> a is not there, c -> c is a live self-cycle held by a handle.
    let a = w.plain();
    let b = w.plain();
    w.link(a, b);
    w.link(b, a);
    w.dec(a);
    w.dec(b);
    let c = w.plain();
    w.link(c, c);
    // Ids read now: the collection frees a and b.
    let id_of: HashMap<NodePtr, usize> = [x, y, a, b, c].iter().map(|&p| (p, n(p).id)).collect();
    let (ex, ids) = explain(&w, &[x, y, a, b, c]);
    let row = |node: NodePtr| &ex.rows[ids.iter().position(|&i| i == id_of[&node]).unwrap()];
    assert_eq!(ex.rows.len(), 5);
    assert_eq!(
        (
            row(x).refcount,
            row(x).gc_refs_copy,
            row(x).gc_refs_external
        ),
        (1, 1, 0)
    );
    assert!(row(x).tentatively_unreachable && !row(x).unreachable);
    let by = row(x).moved_back_by.expect("x pulled back");
    assert_eq!(ids[by], n(y).id);
    assert_eq!((row(y).gc_refs_external, row(y).unreachable), (1, false));
    assert_eq!((row(a).refcount, row(a).gc_refs_external), (1, 0));
    assert!(row(a).unreachable && row(b).unreachable);
    assert_eq!((row(c).refcount, row(c).gc_refs_external), (2, 1));
    assert_eq!(ex.edges.len(), 4);
    assert_agrees(&w, &ex, &ids);
    assert!(row(a).cleared || row(b).cleared);
    assert!(!row(c).freed && !row(x).freed);
}

#[test]
fn finalizers_run_on_garbage_and_are_recorded() {
    let w = world();
    let a = w.with_fin(|_, _| {});
    let b = w.plain();
    w.link(a, b);
    w.link(b, a);
    let a_id = n(a).id; // read now: the collection frees `a`
    w.dec(a);
    w.dec(b);
    let (ex, ids) = explain(&w, &[a, b]);
    assert_agrees(&w, &ex, &ids);
    let fin: Vec<usize> = (0..ids.len())
        .filter(|&i| ex.rows[i].finalized)
        .map(|i| ids[i])
        .collect();
    assert_eq!(fin, vec![a_id]);
    assert_eq!(w.fin_count(ids[0]) + w.fin_count(ids[1]), 1);
}

#[test]
fn resurrection_is_shown_and_not_freed() {
    let w = world();
    let z = w.with_fin(resurrect);
    let q = w.plain();
    w.link(z, q);
    w.link(q, z);
    w.dec(z);
    w.dec(q);
    let (ex, ids) = explain(&w, &[z, q]);
    assert!(
        ex.rows
            .iter()
            .all(|r| r.unreachable && r.resurrected && !r.freed)
    );
    assert_agrees(&w, &ex, &ids);
    w.clear_survivors();
}

#[test]
fn weakrefs_to_garbage_are_cleared() {
    let w = world();
    let a = w.plain();
    w.link(a, a);
    let wr = w.weakref(a, None);
    w.dec(a);
    let (ex, ids) = explain(&w, &[a, wr]);
    let ra = ids.iter().position(|&i| i == n(wr).id).unwrap();
    assert!(!ex.rows[ra].unreachable, "the weakref is held from outside");
    let target = 1 - ra;
    assert!(ex.rows[target].unreachable && ex.rows[target].weakrefs_cleared);
    assert_eq!(w.wr_get(wr), None);
    assert_agrees(&w, &ex, &ids);
    w.dec(wr);
}

#[test]
fn legacy_finalizers_keep_their_reachable_set_uncollectable() {
    let w = world();
    let l = w.legacy();
    let m = w.plain();
    w.link(l, m);
    w.link(m, l);
    w.dec(l);
    w.dec(m);
    let (ex, ids) = explain(&w, &[l, m]);
    assert!(
        ex.rows
            .iter()
            .all(|r| r.unreachable && r.uncollectable && !r.freed)
    );
    assert_agrees(&w, &ex, &ids);
    assert_eq!(
        w.gc.garbage_len(),
        1,
        "only the object with tp_del goes to gc.garbage"
    );
    w.gc.clear_garbage();
}

#[test]
fn pseudo_random_graphs_agree_with_the_collector() {
    let mut seed: u64 = 0x2545_f491_4f6c_dd1d;
    let mut next = |m: u64| {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        seed % m
    };
    for _ in 0..40 {
        let w = world();
        let count = 3 + next(12) as usize;
        let nodes: Vec<NodePtr> = (0..count).map(|_| w.plain()).collect();
        let ids: Vec<usize> = nodes.iter().map(|&p| n(p).id).collect();
        for _ in 0..next(3 * count as u64) {
            let (i, j) = (next(count as u64) as usize, next(count as u64) as usize);
            w.link(nodes[i], nodes[j]);
        }
        let held: Vec<bool> = (0..count).map(|_| next(4) == 0).collect();
        for (k, &p) in nodes.iter().enumerate() {
            if !held[k] {
                w.dec(p);
            }
        }
        // What refcounting freed already is gone from the generation.
        let alive: Vec<NodePtr> = (0..count)
            .filter(|&k| !w.is_freed(ids[k]))
            .map(|k| nodes[k])
            .collect();
        let (ex, row_ids) = explain(&w, &alive);
        assert_eq!(ex.rows.len(), alive.len());
        assert_agrees(&w, &ex, &row_ids);
        for (k, &p) in nodes.iter().enumerate() {
            if held[k] {
                assert!(!w.is_freed(ids[k]), "a held node was freed");
                w.dec(p);
            }
        }
        w.collect(2);
    }
}
