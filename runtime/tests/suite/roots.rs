//! The heap context and `Root`s: an interpreter and its heap in one struct, dropped in any order.

use pyheap_runtime::{ClassSpec, Heap, Member, Root, RuntimeError, UserType, Visitor};
use std::cell::Cell;
use std::rc::Rc;

type R = Result<(), RuntimeError>;

/// Counts its drops; holds references like an interpreter's frame.
struct Probe {
    drops: Rc<Cell<usize>>,
    refs: Vec<Member>,
}
impl Drop for Probe {
    fn drop(&mut self) {
        self.drops.set(self.drops.get() + 1);
    }
}
impl UserType for Probe {
    const NAME: &'static str = "Probe";
    fn traverse(&self, v: &mut Visitor<'_>) {
        self.refs.iter().for_each(|m| v.visit(m));
    }
    fn clear(&mut self) {
        self.refs.clear();
    }
}

#[test]
fn the_context_is_released_by_teardown() -> R {
    let drops = Rc::new(Cell::new(0));
    {
        let heap = Heap::new();
        let p = heap.new_user(Probe {
            drops: drops.clone(),
            refs: vec![],
        })?;
        // A cycle through the context: p -> list -> p.
        let l = heap.list(&[p.obj()])?;
        p.borrow_mut()?.refs.push(Member::new(&l));
        heap.set_context(Some(&p))?;
        assert!(heap.context().unwrap().is(&p));
        drop((p, l));
        heap.gc().collect(2).unwrap();
        assert_eq!(drops.get(), 0); // a root: alive
    } // teardown releases the context, collects the cycle, frees the heap
    assert_eq!(drops.get(), 1);
    // Replacing and clearing the context release the old object at once.
    let heap = Heap::new();
    heap.set_context(Some(&heap.new_user(Probe {
        drops: drops.clone(),
        refs: vec![],
    })?))?;
    heap.set_context(Some(&heap.dict()?))?;
    assert_eq!(drops.get(), 2);
    heap.set_context(None::<&pyheap_runtime::Obj<'_>>)?;
    assert!(heap.context().is_none());
    assert_eq!(heap.live_objects(), 0);
    let other = Heap::new();
    assert_eq!(
        heap.set_context(Some(&other.dict()?)),
        Err(RuntimeError::ForeignObject)
    );
    Ok(())
}

/// An interpreter owning its heap: roots in both field orders.
struct RootsFirst {
    _globals: Root,
    _heap: Rc<Heap>,
}
struct HeapFirst {
    _heap: Rc<Heap>,
    _globals: Root,
}

fn setup(drops: &Rc<Cell<usize>>) -> (Rc<Heap>, Root) {
    let heap = Rc::new(Heap::new());
    let root = {
        let g = heap.dict().unwrap();
        let p = heap
            .new_user(Probe {
                drops: drops.clone(),
                refs: vec![],
            })
            .unwrap();
        g.set(&heap.str("p").unwrap(), &p).unwrap();
        let cls = heap
            .new_class(ClassSpec::new("A").with_del({
                let d = drops.clone();
                move |_, _| d.set(d.get() + 10)
            }))
            .unwrap();
        let a = cls.instantiate().unwrap();
        a.setattr("me", &a).unwrap(); // a cycle with a finalizer, freed at teardown
        g.set(&heap.str("a").unwrap(), &a).unwrap();
        Root::new(&heap, &g).unwrap()
    };
    (heap, root)
}

#[test]
fn roots_keep_the_heap_alive_in_any_drop_order() {
    for order in 0..3 {
        let drops = Rc::new(Cell::new(0));
        let (heap, globals) = setup(&drops);
        let weak = Rc::downgrade(&heap);
        match order {
            0 => drop(RootsFirst {
                _globals: globals,
                _heap: heap,
            }),
            1 => drop(HeapFirst {
                _heap: heap,
                _globals: globals,
            }),
            _ => {
                // The heap's own Rc goes first; the Root alone keeps it working.
                drop(heap);
                let g = globals.get();
                assert_eq!(g.as_dict().unwrap().len(), 2);
                let more = globals.heap().int(5).unwrap();
                g.as_dict()
                    .unwrap()
                    .set(&globals.heap().str("n").unwrap(), &more)
                    .unwrap();
                let second = globals.clone();
                drop((g, more));
                drop(globals);
                assert!(weak.upgrade().is_some());
                drop(second);
            }
        }
        assert!(weak.upgrade().is_none(), "order {order}: heap not dropped");
        assert_eq!(
            drops.get(),
            11,
            "order {order}: Probe dropped and A.__del__ ran"
        );
    }
}

#[test]
fn roots_refuse_objects_of_another_heap() {
    let a = Rc::new(Heap::new());
    let b = Rc::new(Heap::new());
    let x = b.list(&[]).unwrap();
    assert_eq!(Root::new(&a, &x).unwrap_err(), RuntimeError::ForeignObject);
    let r = Root::new(&b, &x).unwrap();
    assert!(r.get().is(&x) && Rc::ptr_eq(r.shared_heap(), &b));
}
