//! The cycle-leak gallery: three shapes of reference cycle that reference counting alone never
//! frees, the memory they pin round after round with the collector off, and `gc.collect()`
//! giving it back. One leaked cycle is drawn as a DOT graph.
//!
//! `cargo run --release --example cycle_leak [-- --quick]`
//!
//! ```text
//!   self-referencing list      two-instance cycle         parent ↔ child tree
//!   ┌──────┐                   ┌───┐ .peer ┌───┐          parent ──.children──▶ [c0, c1, c2]
//!   │ l    │──[0]──┐           │ a │──────▶│ b │            ▲                    │   │   │
//!   └──────┘◀──────┘           └───┘◀──────└───┘            └──────.parent───────┴───┴───┘
//!   l = []; l.append(l)        a.peer = b; b.peer = a     every child points back at its parent
//! ```
//!
//! After the last handle is dropped each object of a cycle still has a reference — from another
//! member of the cycle — so its count never reaches zero. The cycle collector finds such groups:
//! it subtracts the references objects of a generation hold to each other from their refcounts,
//! and whatever is left at zero is only referenced from inside the group, hence unreachable.
use pyheap::inspect::dot::{DotOptions, to_dot};
use pyheap::runtime::{Class, ClassSpec, Heap, Obj, RuntimeError};

/// Children per tree node.
const CHILDREN: usize = 3;
/// GC objects in one set of the three shapes: 1 list + 2 instances + (parent, children list,
/// CHILDREN children).
const OBJECTS_PER_SET: usize = 1 + 2 + (2 + CHILDREN);

/// `l = []; l.append(l)`.
fn self_list<'h>(heap: &'h Heap) -> Result<Obj<'h>, RuntimeError> {
    let l = heap.list(&[])?;
    l.append(&l)?;
    Ok(l.into_obj())
}

/// `a, b = Pair(), Pair(); a.peer = b; b.peer = a` → a.
fn pair<'h>(cls: &Class<'h>) -> Result<Obj<'h>, RuntimeError> {
    let a = cls.instantiate()?;
    let b = cls.instantiate()?;
    a.setattr("peer", &b)?;
    b.setattr("peer", &a)?;
    Ok(a.into_obj())
}

/// A parent with `CHILDREN` children, each child pointing back at the parent → the parent.
fn tree<'h>(heap: &'h Heap, cls: &Class<'h>) -> Result<Obj<'h>, RuntimeError> {
    let parent = cls.instantiate()?;
    let children = heap.list(&[])?;
    for _ in 0..CHILDREN {
        let c = cls.instantiate()?;
        c.setattr("parent", &parent)?;
        children.append(&c)?;
    }
    parent.setattr("children", &children)?;
    Ok(parent.into_obj())
}

/// (live objects, small blocks in use, arenas allocated, bytes in arenas).
fn memory(heap: &Heap) -> (usize, usize, usize, usize) {
    let s = heap.allocator_stats();
    (
        heap.live_objects(),
        heap.blocks_in_use(),
        s.arenas_current,
        s.bytes_in_arenas,
    )
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let quick = std::env::args().any(|a| a == "--quick");
    let (rounds, sets) = if quick { (3, 2_000) } else { (5, 20_000) };
    let heap = Heap::new();
    heap.gc().disable();
    let pair_cls = heap.new_class(ClassSpec::new("Pair"))?;
    let node_cls = heap.new_class(ClassSpec::new("Node"))?;

    println!("== 1. Three cycles, and what refcounting does with them ==");
    let l = self_list(&heap)?;
    println!(
        "   l = []; l.append(l)             getrefcount(l) = {} (our handle, its own slot, the argument)",
        heap.getrefcount(&l)
    );
    let a = pair(&pair_cls)?;
    let wa = heap.weakref(&a, None)?;
    println!(
        "   a.peer = b; b.peer = a          getrefcount(a) = {} (our handle, b.peer, the argument)",
        heap.getrefcount(&a)
    );
    let t = tree(&heap, &node_cls)?;
    let wt = heap.weakref(&t, None)?;
    println!(
        "   parent with {CHILDREN} children          getrefcount(parent) = {} (our handle, {CHILDREN} × child.parent, the argument)",
        heap.getrefcount(&t)
    );
    let live = heap.live_objects();
    drop((l, a, t));
    println!(
        "   del l, a, b, parent: live objects {live} → {}; weakref to a alive: {}, to parent alive: {}",
        heap.live_objects(),
        !wa.is_dead(),
        !wt.is_dead()
    );
    println!("   nothing was freed: every object is still referenced from inside its cycle.");
    let found = heap.gc().collect(2)?;
    println!(
        "   gc.collect() = {found} (1 list + 2 Pairs + parent, children list, {CHILDREN} children = {OBJECTS_PER_SET}); \
         weakrefs dead now: {} {}",
        wa.is_dead(),
        wt.is_dead()
    );
    drop((wa, wt));

    println!(
        "\n== 2. Leaking with the collector disabled: {sets} sets of the three shapes per round =="
    );
    let (live0, blocks0, arenas0, bytes0) = memory(&heap);
    println!(
        "   start:    live objects {live0:>7}, blocks in use {blocks0:>7}, arenas {arenas0:>3} ({} KiB)",
        bytes0 / 1024
    );
    let mut created = 0;
    for round in 1..=rounds {
        for _ in 0..sets {
            drop(self_list(&heap)?);
            drop(pair(&pair_cls)?);
            drop(tree(&heap, &node_cls)?);
            created += OBJECTS_PER_SET;
        }
        let (live, blocks, arenas, bytes) = memory(&heap);
        println!(
            "   round {round}:  live objects {live:>7}, blocks in use {blocks:>7}, arenas {arenas:>3} ({} KiB)",
            bytes / 1024
        );
    }
    let (live1, blocks1, arenas1, _) = memory(&heap);
    println!(
        "   created {created} objects in cycles ({rounds} rounds × {sets} sets × {OBJECTS_PER_SET}); \
         all still alive: live objects +{}",
        live1 - live0
    );

    println!("\n== 3. One leaked tree, drawn ==");
    let t = tree(&heap, &node_cls)?;
    let opts = DotOptions {
        skip_classes: true, // leave out the `__class__` edge of every instance
        ..DotOptions::default()
    };
    let dot = to_dot(&heap, &t, &opts);
    let dir = std::env::temp_dir().join("pyheap-examples");
    std::fs::create_dir_all(&dir)?;
    let path = dir.join("cycle_leak.dot");
    std::fs::write(&path, &dot)?;
    let nodes = dot
        .lines()
        .filter(|l| l.contains("[label=") && !l.contains("->"))
        .count();
    let edges = dot.lines().filter(|l| l.contains("->")).count();
    println!(
        "   {nodes} nodes (parent, children list, {CHILDREN} children), {edges} edges (.children, \
         {CHILDREN} × [i], {CHILDREN} × .parent); DOT graph written to {}",
        path.display()
    );
    println!(
        "   (render it with: dot -Tsvg {} -o cycle_leak.svg)",
        path.display()
    );
    drop(t);
    let extra = 2 + CHILDREN; // the drawn tree leaks too

    println!("\n== 4. gc.collect() ==");
    let before = heap.gc().get_stats()[2];
    let found = heap.gc().collect(2)?;
    let after = heap.gc().get_stats()[2];
    let (live2, blocks2, arenas2, bytes2) = memory(&heap);
    println!(
        "   gc.collect() = {found}: collected {}, uncollectable {} (expected {created} + {extra} for the drawn tree)",
        after.collected - before.collected,
        after.uncollectable - before.uncollectable
    );
    println!(
        "   live objects {} → {live2}, blocks in use {blocks1} → {blocks2}, arenas {arenas1} → {arenas2} ({} KiB)",
        live1 + extra,
        bytes2 / 1024
    );
    println!(
        "   (the blocks went back to their pools; an arena goes back to the OS once all of its pools \
         are empty, except one wholly free arena pymalloc keeps to avoid thrashing, bpo-37257)"
    );
    drop((pair_cls, node_cls));
    heap.gc().collect(2)?;
    heap.check()?;
    println!(
        "\nclasses dropped; live objects at the end: {}",
        heap.live_objects()
    );
    Ok(())
}
