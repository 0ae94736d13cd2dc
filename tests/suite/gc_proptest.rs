//! Property test: random object graphs built through the public runtime API — lists, dicts,
//! tuples, instances of a plain class and of a class with `__del__`, Rust user types — with
//! random edges and random handle drops, then `collect(2)`:
//! - every object unreachable from the remaining handles is freed (`live_objects()` is what a
//!   plain reachability model predicts);
//! - no reachable object is freed or cleared (its contents are checked edge by edge after the
//!   collection);
//! - each `__del__` ran exactly once per dead object, and never for a live one;
//! - once the remaining handles are dropped too, the allocator is back to its starting
//!   `blocks_in_use()`, and every `__del__` ran exactly once in total.

use proptest::prelude::*;
use pyheap::runtime::{Class, ClassSpec, Heap, Member, Obj, UserType, Visitor};
use std::cell::RefCell;
use std::collections::{HashMap, HashSet, VecDeque};
use std::rc::Rc;

/// A user type holding any number of references.
struct Node {
    edges: Vec<Member>,
}
impl UserType for Node {
    const NAME: &'static str = "Node";
    fn traverse(&self, v: &mut Visitor<'_>) {
        for e in &self.edges {
            v.visit(e);
        }
    }
    fn clear(&mut self) {
        self.edges.clear();
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum K {
    List,
    Dict,
    Tuple,
    Plain,
    WithDel,
    User,
}
const KINDS: [K; 6] = [K::List, K::Dict, K::Tuple, K::Plain, K::WithDel, K::User];

#[derive(Debug, Clone)]
struct Case {
    /// Kind of each object, and for tuples raw picks of earlier objects (their items).
    objects: Vec<(usize, Vec<usize>)>,
    /// (from, to) edges; edges from tuples are ignored (immutable).
    edges: Vec<(usize, usize)>,
    /// Which handles are kept.
    keep: Vec<bool>,
}

fn case() -> impl Strategy<Value = Case> {
    (1usize..40).prop_flat_map(|n| {
        (
            prop::collection::vec(
                (0..KINDS.len(), prop::collection::vec(any::<usize>(), 0..3)),
                n,
            ),
            prop::collection::vec((0..n, 0..n), 0..n * 2),
            prop::collection::vec(prop::bool::weighted(0.3), n),
        )
            .prop_map(|(objects, edges, keep)| Case {
                objects,
                edges,
                keep,
            })
    })
}

fn run(case: &Case) {
    let heap = Heap::new();
    heap.gc().disable();
    let dels: Rc<RefCell<Vec<usize>>> = Rc::default();
    let d = dels.clone();
    let plain: Class<'_> = heap.new_class(ClassSpec::new("Plain")).unwrap();
    let with_del = heap
        .new_class(ClassSpec::new("WithDel").with_del(move |heap, obj| {
            d.borrow_mut().push(heap.id(&obj));
        }))
        .unwrap();
    heap.register_type::<Node>();
    heap.gc().collect(2).unwrap();
    heap.clear_freelists();
    let base_live = heap.live_objects();
    let base_blocks = heap.blocks_in_use();

    // Build the objects and the model's adjacency (out-edges in insertion order).
    let n = case.objects.len();
    let kinds: Vec<K> = case.objects.iter().map(|(k, _)| KINDS[*k]).collect();
    let mut out: Vec<Vec<usize>> = vec![Vec::new(); n];
    let mut handles: Vec<Option<Obj<'_>>> = Vec::with_capacity(n);
    for (i, (k, picks)) in case.objects.iter().enumerate() {
        let o = match KINDS[*k] {
            K::List => heap.list(&[]).unwrap().into_obj(),
            K::Dict => heap.dict().unwrap().into_obj(),
            K::Tuple => {
                let items: Vec<Obj<'_>> = if i == 0 || picks.is_empty() {
                    vec![heap.none()]
                } else {
                    picks
                        .iter()
                        .map(|p| {
                            out[i].push(p % i);
                            handles[p % i].clone().unwrap()
                        })
                        .collect()
                };
                heap.tuple(&items).unwrap().into_obj()
            }
            K::Plain => plain.instantiate().unwrap().into_obj(),
            K::WithDel => with_del.instantiate().unwrap().into_obj(),
            K::User => heap
                .new_user(Node { edges: Vec::new() })
                .unwrap()
                .into_obj(),
        };
        handles.push(Some(o));
    }
    let ids: Vec<usize> = handles
        .iter()
        .map(|h| heap.id(h.as_ref().unwrap()))
        .collect();
    for &(from, to) in &case.edges {
        let f = handles[from].as_ref().unwrap();
        let t = handles[to].as_ref().unwrap();
        let j = out[from].len();
        match kinds[from] {
            K::Tuple => continue,
            K::List => f.as_list().unwrap().append(t).unwrap(),
            K::Dict => f
                .as_dict()
                .unwrap()
                .set(&heap.int(j as i64).unwrap(), t)
                .unwrap(),
            K::Plain | K::WithDel => f.setattr(&format!("e{j}"), t).unwrap(),
            K::User => f
                .as_user::<Node>()
                .unwrap()
                .borrow_mut()
                .unwrap()
                .edges
                .push(Member::new(t)),
        }
        out[from].push(to);
    }

    // Drop the handles not kept; the model's reachable set.
    for (h, keep) in handles.iter_mut().zip(&case.keep) {
        if !keep {
            *h = None;
        }
    }
    let mut reachable = vec![false; n];
    let mut queue: VecDeque<usize> = (0..n).filter(|&i| case.keep[i]).collect();
    for &i in &queue {
        reachable[i] = true;
    }
    while let Some(i) = queue.pop_front() {
        for &t in &out[i] {
            if !reachable[t] {
                reachable[t] = true;
                queue.push_back(t);
            }
        }
    }
    let n_reachable = reachable.iter().filter(|&&r| r).count();

    heap.gc().collect(2).unwrap();
    heap.clear_freelists();
    assert_eq!(
        heap.live_objects(),
        base_live + n_reachable,
        "unreachable objects freed"
    );

    // Finalizers: exactly once for each dead WithDel, never for a live one.
    let expected_dels: HashSet<usize> = (0..n)
        .filter(|&i| kinds[i] == K::WithDel && !reachable[i])
        .map(|i| ids[i])
        .collect();
    let got = dels.borrow().clone();
    assert_eq!(got.len(), expected_dels.len(), "each finalizer once");
    assert_eq!(got.iter().copied().collect::<HashSet<_>>(), expected_dels);

    // Reachable objects intact: walk from the kept handles, checking every edge.
    let mut seen: HashMap<usize, Obj<'_>> = HashMap::new();
    let mut queue: VecDeque<(usize, Obj<'_>)> = handles
        .iter()
        .enumerate()
        .filter_map(|(i, h)| h.clone().map(|h| (i, h)))
        .collect();
    while let Some((i, o)) = queue.pop_front() {
        if seen.contains_key(&i) {
            continue;
        }
        assert_eq!(heap.id(&o), ids[i]);
        let targets: Vec<Obj<'_>> = match kinds[i] {
            K::List => o.as_list().unwrap().to_vec(),
            K::Tuple => {
                let v = o.as_tuple().unwrap().to_vec();
                if out[i].is_empty() { Vec::new() } else { v }
            }
            K::Dict => (0..out[i].len())
                .map(|j| {
                    o.as_dict()
                        .unwrap()
                        .get_item(&heap.int(j as i64).unwrap())
                        .unwrap()
                })
                .collect(),
            K::Plain | K::WithDel => (0..out[i].len())
                .map(|j| o.getattr(&format!("e{j}")).unwrap())
                .collect(),
            K::User => {
                let u = o.as_user::<Node>().unwrap().borrow().unwrap();
                u.edges.iter().map(|m| m.get(&heap).unwrap()).collect()
            }
        };
        assert_eq!(
            targets.len(),
            out[i].len(),
            "object {i} ({:?}) lost edges",
            kinds[i]
        );
        for (t, &ti) in targets.into_iter().zip(&out[i]) {
            assert_eq!(heap.id(&t), ids[ti], "object {i} edge to {ti}");
            queue.push_back((ti, t));
        }
        seen.insert(i, o);
    }
    assert_eq!(seen.len(), n_reachable);
    drop(seen);
    heap.check().unwrap();

    // Everything else goes too.
    drop(handles);
    heap.gc().collect(2).unwrap();
    heap.clear_freelists();
    assert_eq!(heap.live_objects(), base_live);
    assert_eq!(heap.blocks_in_use(), base_blocks);
    let all_dels: Vec<usize> = (0..n)
        .filter(|&i| kinds[i] == K::WithDel)
        .map(|i| ids[i])
        .collect();
    let mut got = dels.borrow().clone();
    got.sort();
    let mut want = all_dels;
    want.sort();
    assert_eq!(got, want, "every finalizer exactly once in total");
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 128, ..ProptestConfig::default() })]

    #[test]
    fn random_graphs_collect_exactly_the_unreachable(case in case()) {
        run(&case);
    }
}
