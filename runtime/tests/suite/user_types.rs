//! `UserType` options: leaf types without GC head or weaklist, `extra_size`, a finalizer with
//! heap access, hash/eq/repr reading Members through the heap; allocation-free downcasts;
//! variable-size types with inline tail bytes.

use pyheap_runtime::{ClassSpec, EqHash, Heap, Member, RuntimeError, User, UserType, Visitor};
use std::cell::Cell;
use std::rc::Rc;

type R = Result<(), RuntimeError>;

/// A leaf: no references, no GC head, no weaklist; owns an out-of-heap buffer.
struct Blob(Vec<u8>);
impl UserType for Blob {
    const NAME: &'static str = "Blob";
    const GC: bool = false;
    const WEAKREFABLE: bool = false;
    fn traverse(&self, _: &mut Visitor<'_>) {}
    fn clear(&mut self) {}
    fn extra_size(&self) -> usize {
        self.0.capacity()
    }
}

/// The same value with the defaults (GC head, weaklist).
struct FullBlob(#[allow(dead_code)] Vec<u8>);
impl UserType for FullBlob {
    const NAME: &'static str = "FullBlob";
    fn traverse(&self, _: &mut Visitor<'_>) {}
    fn clear(&mut self) {}
}

#[test]
fn leaf_types_skip_the_gc_head_and_weaklist() -> R {
    let heap = Heap::new();
    let leaf = heap.new_user(Blob(Vec::with_capacity(100)))?;
    let full = heap.new_user(FullBlob(Vec::with_capacity(100)))?;
    // header 16 + borrow 8 + Vec 24 (+ weaklist 8 + GC head 16 for the full one).
    assert_eq!(heap.sizeof(&full), 16 + 8 + 24 + 8 + 16);
    assert_eq!(heap.sizeof(&leaf), 16 + 8 + 24 + 100);
    assert_eq!(heap.deep_sizeof(&leaf), heap.sizeof(&leaf));
    assert!(!heap.gc().is_tracked(&leaf) && heap.gc().is_tracked(&full));
    assert!(!leaf.type_object().is_gc());
    assert_eq!(
        heap.weakref(&leaf, None).unwrap_err(),
        RuntimeError::NotWeakrefable("Blob".into())
    );
    let wr = heap.weakref(&full, None)?;
    drop(full);
    assert!(wr.get().is_none());
    // Mutably borrowed: the extra size is not asked for.
    let g = leaf.borrow_mut()?;
    assert_eq!(heap.sizeof(&leaf), 16 + 8 + 24);
    drop(g);
    drop((leaf, wr));
    assert_eq!(heap.live_objects(), 0);
    Ok(())
}

/// A native payload (`ClassSpec::with_native`) owning a buffer and holding one heap reference.
struct Buffer {
    bytes: Vec<u8>,
    owner: Option<Member>,
}
impl UserType for Buffer {
    const NAME: &'static str = "Buffer";
    fn traverse(&self, v: &mut Visitor<'_>) {
        v.visit_opt(&self.owner);
    }
    fn clear(&mut self) {
        self.owner = None;
    }
    fn extra_size(&self) -> usize {
        self.bytes.capacity()
    }
}

#[test]
fn deep_sizeof_counts_an_instances_native_payload() -> R {
    let heap = Heap::new();
    let cls = heap.new_class(ClassSpec::new("Buf").with_native(|| Buffer {
        bytes: Vec::with_capacity(100),
        owner: None,
    }))?;
    let plain = heap.new_class(ClassSpec::new("Plain"))?;
    let x = cls.instantiate()?;
    let p = plain.instantiate()?;
    // No attribute set: no attribute table on either; the class is reached through traverse.
    let class_part = heap.deep_sizeof(&cls);
    assert_eq!(
        heap.deep_sizeof(&p),
        heap.sizeof(&p) + heap.deep_sizeof(&plain)
    );
    // The payload: its RefCell box (flag 8 + fat pointer 16), its own box, its buffer.
    let payload = 24 + std::mem::size_of::<Buffer>() + 100;
    assert_eq!(std::mem::size_of::<Buffer>(), 24 + 8);
    assert_eq!(heap.deep_sizeof(&x), heap.sizeof(&x) + class_part + payload);
    // The flat size counts the pointer word only (one word more than a plain instance).
    assert_eq!(heap.sizeof(&x), heap.sizeof(&p) + 8);
    // A payload's Member is an edge like any other: its target counted once.
    let s = heap.str("owner of the buffer")?;
    x.native_mut::<Buffer>()?.owner = Some(Member::new(&s));
    assert_eq!(
        heap.deep_sizeof(&x),
        heap.sizeof(&x) + class_part + payload + heap.sizeof(&s)
    );
    // A bigger buffer, given at creation; and while mutably borrowed the value's size is still
    // known (recorded with the class) but its extra size is not asked.
    let y = cls.instantiate_native(Buffer {
        bytes: Vec::with_capacity(4000),
        owner: None,
    })?;
    let y_payload = 24 + std::mem::size_of::<Buffer>() + 4000;
    assert_eq!(
        heap.deep_sizeof(&y),
        heap.sizeof(&y) + class_part + y_payload
    );
    let guard = y.native_mut::<Buffer>()?;
    assert_eq!(
        heap.deep_sizeof(&y),
        heap.sizeof(&y) + class_part + y_payload - 4000
    );
    drop(guard);
    drop((x, y, p, s, cls, plain));
    heap.gc().collect(2).unwrap();
    assert_eq!(heap.live_objects(), 0);
    Ok(())
}

/// A key whose identity is a str it holds as a Member: hash/eq/repr read it through the heap.
struct Named {
    name: Member,
    finalized: Rc<Cell<usize>>,
}
impl UserType for Named {
    const NAME: &'static str = "Named";
    const EQ_HASH: EqHash = EqHash::Value;
    const HAS_FINALIZER: bool = true;
    fn traverse(&self, v: &mut Visitor<'_>) {
        v.visit(&self.name);
    }
    fn clear(&mut self) {}
    fn repr_in(&self, heap: &Heap) -> Option<String> {
        Some(format!("Named({})", self.name.get(heap).ok()?.repr()))
    }
    fn py_hash_in(&self, heap: &Heap) -> i64 {
        self.name.get(heap).and_then(|n| n.hash()).unwrap_or(0)
    }
    fn py_eq_in(&self, other: &Self, heap: &Heap) -> bool {
        match (self.name.get(heap), other.name.get(heap)) {
            (Ok(a), Ok(b)) => a.py_eq(&b),
            _ => false,
        }
    }
    fn finalize<'h>(heap: &'h Heap, this: &User<'h, Self>) {
        let me = this.borrow().unwrap();
        assert!(me.name.get(heap).is_ok()); // members still intact
        me.finalized.set(me.finalized.get() + 1);
    }
}

#[test]
fn hash_eq_repr_and_finalizer_get_the_heap() -> R {
    let heap = Heap::new();
    let count = Rc::new(Cell::new(0));
    let named = |s: &str| {
        heap.new_user(Named {
            name: Member::new(&heap.str(s).unwrap()),
            finalized: count.clone(),
        })
    };
    let a = named("a")?;
    let a2 = named("a")?;
    assert_eq!(a.hash()?, heap.str("a")?.hash()?);
    assert!(a.py_eq(&a2) && !a.py_eq(&named("b")?));
    assert_eq!(a.repr(), "Named('a')");
    let d = heap.dict()?;
    d.set(&a, &heap.int(1)?)?;
    assert_eq!(d.get(&a2)?.unwrap().as_int()?, 1);
    assert_eq!(count.get(), 1); // the temporary "b" died: finalized once
    drop((d, a, a2));
    assert_eq!(count.get(), 3);
    // In a cycle, through the collector.
    let c = named("c")?;
    let l = heap.list(&[c.obj()])?;
    c.borrow_mut()?.name = Member::new(&l);
    drop((c, l));
    heap.gc().collect(2).unwrap();
    assert_eq!(count.get(), 4);
    assert_eq!(heap.live_objects(), 0);
    Ok(())
}

#[test]
fn downcasts_without_allocating() -> R {
    let heap = Heap::new();
    let b = heap.new_user(Blob(vec![]))?.into_obj();
    assert!(b.is_user::<Blob>() && !b.is_user::<FullBlob>());
    assert!(b.downcast_user::<Blob>().is_some());
    assert!(b.downcast_user::<FullBlob>().is_none());
    assert!(heap.int(1)?.downcast_user::<Blob>().is_none());
    // Alternating types exercise the one-entry type cache.
    for i in 0..10 {
        let o = if i % 2 == 0 {
            heap.new_user(Blob(vec![]))?.into_obj()
        } else {
            heap.new_user(FullBlob(vec![]))?.into_obj()
        };
        assert_eq!(o.is_user::<Blob>(), i % 2 == 0);
        assert_eq!(o.type_name(), if i % 2 == 0 { "Blob" } else { "FullBlob" });
    }
    Ok(())
}

/// A variable-size leaf: its bytes inline after the value (`UserType::TAIL`, CPython's `bytes`
/// layout), compared and hashed through the tail.
struct Inline {
    tag: u8,
}
impl UserType for Inline {
    const NAME: &'static str = "Inline";
    const GC: bool = false;
    const WEAKREFABLE: bool = false;
    const TAIL: bool = true;
    const EQ_HASH: EqHash = EqHash::Value;
    fn traverse(&self, _: &mut Visitor<'_>) {}
    fn clear(&mut self) {}
    fn py_hash_tail(&self, _: &Heap, tail: &[u8]) -> i64 {
        tail.iter().map(|&b| b as i64).sum::<i64>() + self.tag as i64
    }
    fn py_eq_tail(&self, tail: &[u8], other: &Self, other_tail: &[u8], _: &Heap) -> bool {
        tail == other_tail && self.tag == other.tag
    }
    fn repr_tail(&self, _: &Heap, tail: &[u8]) -> Option<String> {
        Some(format!("Inline({tail:?})"))
    }
}

#[test]
fn tail_bytes_live_inline_and_count_in_sizeof() -> R {
    let heap = Heap::new();
    let live = heap.live_objects();
    let empty = heap.new_user(Inline { tag: 1 })?;
    let a = heap.new_user_with_tail(Inline { tag: 1 }, b"hello")?;
    let b = heap.new_user_with_tail(Inline { tag: 1 }, b"hello")?;
    let big = heap.new_user_with_tail(Inline { tag: 2 }, &[7u8; 3000])?;
    // header 16 + borrow flag 8 + the value (one byte, padded to 8) + length word 8 + tail.
    assert_eq!(heap.sizeof(&empty), 16 + 8 + 8 + 8);
    assert_eq!(heap.sizeof(&a), 16 + 8 + 8 + 8 + 5);
    assert_eq!(heap.sizeof(&big), 16 + 8 + 8 + 8 + 3000);
    assert_eq!(a.tail(), b"hello");
    assert!(empty.tail().is_empty() && big.tail().iter().all(|&x| x == 7));
    assert_eq!(a.borrow()?.tag, 1);
    assert!(a.py_eq(&b) && !a.py_eq(&empty));
    assert_eq!(a.hash()?, b.hash()?);
    assert_eq!(a.repr(), "Inline([104, 101, 108, 108, 111])");
    // Freed with their real size: the heap's blocks all come back.
    let d = heap.dict()?;
    d.set(&a, &heap.int(1)?)?;
    assert_eq!(d.get(&b)?.map(|v| v.as_int()), Some(Ok(1)));
    drop((d, a, b, big, empty));
    assert_eq!(heap.live_objects(), live);
    heap.check()
        .map_err(|e| RuntimeError::TypeError(e.to_string()))?;
    Ok(())
}
