//! 10-million-deep chains of every container kind are released without overflowing the stack
//! (the trashcan), in linear time, and completely.

use pyheap_runtime::{ClassSpec, Heap, Member, Obj, RuntimeError, UserType, Visitor};
use std::time::Instant;

/// Under Miri (~10^4x slower) 1000 levels: still 20x the depth at which deallocation would
/// recurse without the trashcan.
const N: usize = if cfg!(miri) { 1_000 } else { 10_000_000 };

fn check_freed(heap: &Heap, start: (usize, usize, usize)) {
    heap.clear_freelists();
    assert_eq!(
        (
            heap.live_objects(),
            heap.blocks_in_use(),
            heap.large_in_use()
        ),
        start,
        "everything freed"
    );
}

fn start(heap: &Heap) -> (usize, usize, usize) {
    heap.gc().disable(); // keep the test about the trashcan, not about collections
    heap.clear_freelists();
    (
        heap.live_objects(),
        heap.blocks_in_use(),
        heap.large_in_use(),
    )
}

fn timed(label: &str, f: impl FnOnce()) {
    let t = Instant::now();
    f();
    println!("{label}: dropped {N} in {:?}", t.elapsed());
}

#[test]
fn deep_list_chain() -> Result<(), RuntimeError> {
    let heap = Heap::new();
    let s = start(&heap);
    let mut cur: Obj = heap.list(&[])?.into_obj();
    for _ in 0..N {
        cur = heap.list(&[cur])?.into_obj();
    }
    timed("list", || drop(cur));
    check_freed(&heap, s);
    Ok(())
}

#[test]
fn deep_tuple_chain() -> Result<(), RuntimeError> {
    let heap = Heap::new();
    let s = start(&heap);
    let mut cur: Obj = heap.none();
    for _ in 0..N {
        cur = heap.tuple(&[cur])?.into_obj();
    }
    timed("tuple", || drop(cur));
    check_freed(&heap, s);
    Ok(())
}

#[test]
fn deep_dict_chain() -> Result<(), RuntimeError> {
    let heap = Heap::new();
    let key = heap.intern("k")?;
    let s = start(&heap);
    let mut cur: Obj = heap.dict()?.into_obj();
    for _ in 0..N {
        let d = heap.dict()?;
        d.set(&key, &cur)?;
        cur = d.into_obj();
    }
    drop(key);
    timed("dict", || drop(cur));
    check_freed(&heap, s);
    Ok(())
}

#[test]
fn deep_instance_chain() -> Result<(), RuntimeError> {
    let heap = Heap::new();
    let cls = heap.new_class(ClassSpec::new("Node"))?;
    let s = start(&heap);
    let mut cur: Obj = heap.none();
    for _ in 0..N {
        let n = cls.instantiate()?;
        n.setattr("next", &cur)?;
        cur = n.into_obj();
    }
    timed("instance", || drop(cur));
    check_freed(&heap, s);
    Ok(())
}

struct Link {
    next: Option<Member>,
}
impl UserType for Link {
    const NAME: &'static str = "Link";
    fn traverse(&self, v: &mut Visitor<'_>) {
        v.visit_opt(&self.next);
    }
    fn clear(&mut self) {
        self.next = None;
    }
}

#[test]
fn deep_user_type_chain() -> Result<(), RuntimeError> {
    let heap = Heap::new();
    let s = start(&heap);
    let mut cur: Obj = heap.new_user(Link { next: None })?.into_obj();
    for _ in 0..N {
        cur = heap
            .new_user(Link {
                next: Some(Member::from_obj(cur)),
            })?
            .into_obj();
    }
    timed("user", || drop(cur));
    check_freed(&heap, s);
    Ok(())
}

#[test]
fn deep_mixed_chain_with_cells_and_weakrefs() -> Result<(), RuntimeError> {
    let heap = Heap::new();
    let cls = heap.new_class(ClassSpec::new("M"))?;
    let s = start(&heap);
    let mut cur: Obj = heap.none();
    let mut weak = Vec::new();
    for i in 0..N / 10 {
        cur = match i % 5 {
            0 => heap.list(&[cur])?.into_obj(),
            1 => heap.tuple(&[cur])?.into_obj(),
            2 => heap.cell(Some(&cur))?.into_obj(),
            3 => {
                let d = heap.dict()?;
                d.set(&heap.int(1)?, &cur)?;
                d.into_obj()
            }
            _ => {
                let n = cls.instantiate()?;
                n.setattr("x", &cur)?;
                if i % 100_000 == 4 {
                    weak.push(heap.weakref(&n, None)?);
                }
                n.into_obj()
            }
        };
    }
    drop(cur);
    assert!(weak.iter().all(|w| w.get().is_none()));
    drop(weak);
    check_freed(&heap, s);
    Ok(())
}
