//! The hostile fixture of the reentrancy tests (issue 9): `Sneaky`, a user key/item whose
//! `py_eq` and `repr` drop a member (the "bomb") whose `__del__` clears the very container being
//! worked on and then refills the allocator with non-pointer bytes; `World` holds what the bombs
//! clear and the counters `finish` checks. Used by `reentrancy` (lists, dicts) and
//! `set_semantics` (sets).

use pyheap_runtime::{ClassSpec, EqHash, Heap, Member, Obj, UserType, Visitor};
use std::cell::{Cell, RefCell};
use std::rc::Rc;

/// The shared state of one test: what the bombs clear, where their junk goes, counters.
#[derive(Default)]
pub(crate) struct World {
    pub(crate) target: RefCell<Option<Member>>,
    pub(crate) junk: RefCell<Vec<Member>>,
    /// How many junk strings a bomb allocates (0: leave freed objects poisoned, so that debug
    /// builds report a use after free instead of reading reused memory).
    pub(crate) junk_count: Cell<usize>,
    pub(crate) fired: Cell<usize>,
    pub(crate) made: Cell<usize>,
    pub(crate) dropped: Cell<usize>,
}

/// A user key/item hashing and comparing by `id`; its `py_eq` and `repr` first drop the bomb
/// it carries (if any).
pub(crate) struct Sneaky {
    id: i64,
    bomb: RefCell<Option<Member>>,
    world: Rc<World>,
}
impl Drop for Sneaky {
    fn drop(&mut self) {
        self.world.dropped.set(self.world.dropped.get() + 1);
    }
}
impl Sneaky {
    fn detonate(&self) {
        let bomb = self.bomb.borrow_mut().take();
        drop(bomb);
    }
}
impl UserType for Sneaky {
    const NAME: &'static str = "Sneaky";
    const EQ_HASH: EqHash = EqHash::Value;
    fn traverse(&self, v: &mut Visitor<'_>) {
        if let Ok(b) = self.bomb.try_borrow() {
            v.visit_opt(&b);
        }
    }
    fn clear(&mut self) {
        self.bomb.get_mut().take();
    }
    fn repr(&self) -> Option<String> {
        self.detonate();
        Some(format!("S{}", self.id))
    }
    fn py_hash(&self) -> i64 {
        self.id
    }
    fn py_eq(&self, other: &Self) -> bool {
        // Either side may be the armed one: lookups compare the stored key first (CPython's
        // `PyObject_RichCompare(startkey, key)`), the probe key's eq runs only when the stored
        // key's slot is a built-in one.
        self.detonate();
        other.detonate();
        self.id == other.id
    }
}

pub(crate) fn sneaky<'h>(heap: &'h Heap, w: &Rc<World>, id: i64, armed: bool) -> Obj<'h> {
    w.made.set(w.made.get() + 1);
    let bomb = armed.then(|| {
        let cls = bomb_class(heap, w);
        Member::from_obj(cls.instantiate().unwrap().into_obj())
    });
    heap.new_user(Sneaky {
        id,
        bomb: RefCell::new(bomb),
        world: w.clone(),
    })
    .unwrap()
    .into_obj()
}

/// A class whose `__del__` clears the world's target (list, dict or set), then fills the allocator
/// with `junk_count` strings of every small size (reusing the freed table's blocks).
pub(crate) fn bomb_class<'h>(heap: &'h Heap, w: &Rc<World>) -> pyheap_runtime::Class<'h> {
    let w = w.clone();
    heap.new_class(ClassSpec::new("Bomb").with_del(move |heap, _obj| {
        w.fired.set(w.fired.get() + 1);
        let target = w.target.borrow().as_ref().map(|m| m.get(heap).unwrap());
        if let Some(t) = target {
            if let Ok(l) = t.as_list() {
                l.clear();
            } else if let Ok(d) = t.as_dict() {
                d.clear();
            } else if let Ok(s) = t.as_set() {
                s.clear().unwrap();
            }
        }
        for n in 0..w.junk_count.get() {
            let s = heap.str(&"\u{7f}".repeat(n % 100)).unwrap();
            w.junk.borrow_mut().push(Member::from_obj(s.into_obj()));
        }
    }))
    .unwrap()
}

pub(crate) fn aim(w: &World, target: &Obj<'_>) {
    *w.target.borrow_mut() = Some(Member::new(target));
}

/// After the operation: the walker is clean; once everything is dropped, every Sneaky value was
/// dropped exactly once, every bomb fired once, nothing is left alive.
pub(crate) fn finish(heap: &Heap, w: &World, bombs: usize) {
    heap.check().expect("invariant walker");
    w.target.borrow_mut().take();
    w.junk.borrow_mut().clear();
    let _ = heap.gc().collect(2);
    assert_eq!(
        w.dropped.get(),
        w.made.get(),
        "each user value dropped exactly once"
    );
    assert_eq!(w.fired.get(), bombs, "each finalizer ran once");
    assert_eq!(heap.live_objects(), 0);
}
