//! Property test: random acyclic object graphs built through the public API, handles dropped in
//! random order; every object is freed exactly once, exactly when it becomes unreachable.

use proptest::prelude::*;
use pyheap_runtime::{ClassSpec, Heap, Member, Obj, UserType, Visitor};
use std::cell::RefCell;
use std::collections::HashSet;
use std::rc::Rc;

struct Node {
    id: usize,
    children: Vec<Member>,
    log: Rc<RefCell<Vec<usize>>>,
}
impl Drop for Node {
    fn drop(&mut self) {
        self.log.borrow_mut().push(self.id);
    }
}
impl UserType for Node {
    const NAME: &'static str = "Node";
    fn traverse(&self, v: &mut Visitor<'_>) {
        for c in &self.children {
            v.visit(c);
        }
    }
    fn clear(&mut self) {
        self.children.clear();
    }
}

#[derive(Debug, Clone)]
enum Op {
    Node(Vec<usize>),
    List(Vec<usize>),
    Tuple(Vec<usize>),
    Dict(Vec<usize>),
    Instance(Vec<usize>),
    Clone(usize),
    Drop(usize),
}

fn op() -> impl Strategy<Value = Op> {
    let kids = || proptest::collection::vec(0usize..1000, 0..4);
    prop_oneof![
        3 => kids().prop_map(Op::Node),
        2 => kids().prop_map(Op::List),
        2 => kids().prop_map(Op::Tuple),
        1 => kids().prop_map(Op::Dict),
        1 => kids().prop_map(Op::Instance),
        1 => (0usize..1000).prop_map(Op::Clone),
        4 => (0usize..1000).prop_map(Op::Drop),
    ]
}

/// Shadow objects reachable from the held handles.
fn reachable(edges: &[Vec<usize>], roots: impl Iterator<Item = usize>) -> HashSet<usize> {
    let mut seen = HashSet::new();
    let mut stack: Vec<usize> = roots.collect();
    while let Some(s) = stack.pop() {
        if seen.insert(s) {
            stack.extend(edges[s].iter().copied());
        }
    }
    seen
}

fn run(ops: Vec<Op>) {
    let heap = Heap::new();
    heap.gc().disable(); // acyclic: reference counting alone must free everything
    let cls = heap.new_class(ClassSpec::new("Obj")).unwrap();
    heap.clear_freelists();
    let base = (
        heap.live_objects(),
        heap.blocks_in_use(),
        heap.large_in_use(),
    );
    let log: Rc<RefCell<Vec<usize>>> = Default::default();
    let mut edges: Vec<Vec<usize>> = vec![];
    let mut is_node: Vec<bool> = vec![];
    let mut counted: Vec<bool> = vec![]; // false for immortal objects (the empty tuple)
    let mut handles: Vec<(Obj, usize)> = vec![];

    for op in ops {
        let pick = |ks: &[usize], n: usize| -> Vec<usize> {
            if n == 0 {
                vec![]
            } else {
                ks.iter().map(|k| k % n).collect()
            }
        };
        let id = edges.len();
        let made: Option<(Obj, Vec<usize>, bool)> = match &op {
            Op::Node(ks) | Op::List(ks) | Op::Tuple(ks) | Op::Dict(ks) | Op::Instance(ks) => {
                let idx = pick(ks, handles.len());
                let objs: Vec<Obj> = idx.iter().map(|&i| handles[i].0.clone()).collect();
                let shadow: Vec<usize> = idx.iter().map(|&i| handles[i].1).collect();
                let o: Obj = match &op {
                    Op::Node(_) => heap
                        .new_user(Node {
                            id,
                            children: objs.iter().map(Member::new).collect(),
                            log: log.clone(),
                        })
                        .unwrap()
                        .into_obj(),
                    Op::List(_) => heap.list(&objs).unwrap().into_obj(),
                    Op::Tuple(_) => heap.tuple(&objs).unwrap().into_obj(),
                    Op::Dict(_) => {
                        let d = heap.dict().unwrap();
                        for (j, o) in objs.iter().enumerate() {
                            d.set(&heap.int(j as i64 * 1000).unwrap(), o).unwrap();
                        }
                        d.into_obj()
                    }
                    _ => {
                        let x = cls.instantiate().unwrap();
                        for (j, o) in objs.iter().enumerate() {
                            x.setattr(&format!("a{j}"), o).unwrap();
                        }
                        x.into_obj()
                    }
                };
                // Dict keys ≥ 1000 are separate int objects: shadow them as leaf objects.
                let mut sh = shadow;
                if matches!(op, Op::Dict(_)) {
                    // int keys 0 is a small int (immortal, not counted); others are objects.
                    let n_keys = objs.len().saturating_sub(1);
                    for _ in 0..n_keys {
                        edges.push(vec![]);
                        is_node.push(false);
                        counted.push(true);
                    }
                    let first = edges.len() - n_keys;
                    sh.extend(first..first + n_keys);
                }
                Some((o, sh, matches!(op, Op::Node(_))))
            }
            Op::Clone(i) if !handles.is_empty() => {
                let h = &handles[i % handles.len()];
                handles.push((h.0.clone(), h.1));
                None
            }
            Op::Drop(i) if !handles.is_empty() => {
                let before: HashSet<usize> = reachable(&edges, handles.iter().map(|h| h.1));
                handles.swap_remove(i % handles.len());
                let after = reachable(&edges, handles.iter().map(|h| h.1));
                let freed_nodes: HashSet<usize> = before
                    .difference(&after)
                    .copied()
                    .filter(|&s| is_node[s])
                    .collect();
                let logged: Vec<usize> = log.borrow_mut().drain(..).collect();
                let logged_set: HashSet<usize> = logged.iter().copied().collect();
                assert_eq!(logged.len(), logged_set.len(), "a node dropped twice");
                assert_eq!(
                    logged_set, freed_nodes,
                    "freed exactly the unreachable nodes"
                );
                None
            }
            _ => None,
        };
        if let Some((o, sh, node)) = made {
            // the new object's id must equal its index: dict key shadows were pushed first
            let my = edges.len();
            let immortal = o.kind() == pyheap_runtime::Kind::Tuple && sh.is_empty();
            edges.push(sh);
            is_node.push(node);
            counted.push(!immortal);
            if node {
                // Node recorded `id` before key shadows could shift it (nodes have no keys).
                assert_eq!(id, my);
            }
            handles.push((o, my));
        }
        let live = reachable(&edges, handles.iter().map(|h| h.1))
            .into_iter()
            .filter(|&s| counted[s])
            .count();
        assert_eq!(
            heap.live_objects(),
            base.0 + live,
            "live objects = reachable shadows"
        );
    }
    drop(handles);
    assert!(log.borrow().len() == log.borrow().iter().collect::<HashSet<_>>().len());
    heap.clear_freelists();
    assert_eq!(
        (
            heap.live_objects(),
            heap.blocks_in_use(),
            heap.large_in_use()
        ),
        base
    );
}

/// Operations per case: 120 natively; under Miri (~10^4x slower, 8 cases) 30, still enough for
/// nests several levels deep and shared members.
const MAX_OPS: usize = if cfg!(miri) { 30 } else { 120 };

proptest! {
    #![proptest_config(ProptestConfig {
        cases: if cfg!(miri) { 8 } else { 200 },
        failure_persistence: if cfg!(miri) { None } else { ProptestConfig::default().failure_persistence },
        ..ProptestConfig::default()
    })]
    #[test]
    fn random_acyclic_graphs_free_exactly_once(ops in proptest::collection::vec(op(), 1..MAX_OPS)) {
        run(ops);
    }
}
