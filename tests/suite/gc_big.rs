//! 10-million-object inputs built from real runtime objects: live chains survive a full
//! collection untouched, dead rings are collected exactly, nothing recurses (the collector's
//! passes are iterative, and the trashcan bounds deallocation depth). Timings print with
//! `--nocapture`.
//!
//! Instances use a `__slots__ = ("next",)` class so that each one is a single 48-byte block (an
//! attribute-table class would add a table allocation per object and double the memory).

use pyheap::runtime::{ClassSpec, Heap, Obj};
use std::time::Instant;

const N: usize = 10_000_000;

fn heap() -> Heap {
    let heap = Heap::new();
    heap.gc().disable();
    heap
}

/// Build `N` objects, each referring to the previous one; returns the last (the chain's head).
fn chain<'h>(n: usize, mut make: impl FnMut(Option<Obj<'h>>) -> Obj<'h>) -> Obj<'h> {
    let mut cur = make(None);
    for _ in 1..n {
        cur = make(Some(cur));
    }
    cur
}

fn list_node<'h>(heap: &'h Heap, prev: Option<Obj<'h>>) -> Obj<'h> {
    match prev {
        Some(p) => heap.list(&[p]).unwrap().into_obj(),
        None => heap.list(&[]).unwrap().into_obj(),
    }
}

fn check_live_chain<'h>(heap: &'h Heap, make: impl FnMut(Option<Obj<'h>>) -> Obj<'h>) {
    let base = heap.live_objects();
    let t = Instant::now();
    let head = chain(N, make);
    let built = t.elapsed();
    assert_eq!(heap.live_objects(), base + N);
    let t = Instant::now();
    assert_eq!(heap.gc().collect(2).unwrap(), 0);
    eprintln!(
        "live chain: built in {built:?}, full collection {:?}",
        t.elapsed()
    );
    assert_eq!(heap.live_objects(), base + N, "no reachable object freed");
    assert!(heap.gc().generation_len(2) >= N);
    // Nothing was cleared: walk the chain to its end.
    let mut n = 1;
    let mut cur = head.clone();
    loop {
        let next = match cur.as_list() {
            Ok(l) => (!l.is_empty()).then(|| l.get(0).unwrap()),
            Err(_) => cur.getattr("next").ok().filter(|o| !o.is_none()),
        };
        match next {
            Some(nx) => {
                cur = nx;
                n += 1;
            }
            None => break,
        }
    }
    assert_eq!(n, N);
    let t = Instant::now();
    drop((cur, head));
    heap.clear_freelists();
    assert_eq!(
        heap.live_objects(),
        base,
        "refcounting freed the whole chain"
    );
    eprintln!("live chain: freed in {:?}", t.elapsed());
}

fn check_dead_ring<'h>(
    heap: &'h Heap,
    make: impl FnMut(Option<Obj<'h>>) -> Obj<'h>,
    close: impl Fn(&Obj<'h>, &Obj<'h>),
) {
    let base = heap.live_objects();
    let blocks = heap.blocks_in_use();
    let mut first = None;
    let mut make = make;
    let head = chain(N, |prev| {
        let o = make(prev);
        if first.is_none() {
            first = Some(o.clone());
        }
        o
    });
    // Close the ring: the first object refers to the last.
    close(first.as_ref().unwrap(), &head);
    drop((first, head));
    assert_eq!(
        heap.live_objects(),
        base + N,
        "a ring is not freed by refcounting"
    );
    let t = Instant::now();
    assert_eq!(heap.gc().collect(2).unwrap(), N);
    eprintln!("dead ring: collected in {:?}", t.elapsed());
    heap.clear_freelists();
    assert_eq!(heap.live_objects(), base);
    assert_eq!(heap.blocks_in_use(), blocks);
    assert_eq!(heap.gc().get_stats()[2].collected, N);
}

#[test]
fn live_chain_of_10m_lists() {
    let heap = heap();
    check_live_chain(&heap, |p| list_node(&heap, p));
}

#[test]
fn dead_ring_of_10m_lists() {
    let heap = heap();
    check_dead_ring(
        &heap,
        |p| list_node(&heap, p),
        |first, last| first.as_list().unwrap().append(last).unwrap(),
    );
}

#[test]
fn live_chain_of_10m_instances() {
    let heap = heap();
    let cls = heap
        .new_class(ClassSpec::new("Node").with_slots(&["next"]))
        .unwrap();
    check_live_chain(&heap, |p| {
        let o = cls.instantiate().unwrap();
        if let Some(p) = p {
            o.setattr("next", &p).unwrap();
        }
        o.into_obj()
    });
}

#[test]
fn dead_ring_of_10m_instances() {
    let heap = heap();
    let cls = heap
        .new_class(ClassSpec::new("Node").with_slots(&["next"]))
        .unwrap();
    check_dead_ring(
        &heap,
        |p| {
            let o = cls.instantiate().unwrap();
            if let Some(p) = p {
                o.setattr("next", &p).unwrap();
            }
            o.into_obj()
        },
        |first, last| first.setattr("next", last).unwrap(),
    );
}
