//! Property test: hostile user types. Values whose `traverse`, `clear`, `py_eq`, `py_hash` and
//! `repr`, and finalizers, pull actions from a random tape and carry them out with the heap
//! (the values reach it through a weak `Rc<Heap>`, as a user type holding its heap would): drop
//! one of their members (which may run a finalizer), clear or grow the containers being worked
//! on, allocate and track new containers (kept as roots or dropped at once), drop roots (freeing
//! and untracking objects), collect, freeze and unfreeze, take new references to what they hold
//! or to themselves (resurrection), run dict operations with more hostile keys, panic. A
//! traverse does this in the middle of a collection's phases and of the introspection walkers.
//! Random built-in operations (==, hash, repr, dict set/get/remove, dict iteration,
//! collections, drops) run over a random graph of such values and containers.
//!
//! Checked: no crash and no undefined behaviour (the debug poison types turn a use after free into
//! a panic, which the test tells apart from the hostile panics); the invariant walker is clean
//! after every case; every user value is dropped exactly once and nothing is left alive; the only
//! panics reported as unraisable are the hostile ones.
//!
//! `TRAVERSE_DROPS`: hostile traverses also drop members (objects dying while a collection or a
//! walker runs wait on the deferred-deallocation queue, issue 9 item 1).

use proptest::prelude::*;
use pyheap_runtime::{ClassSpec, EqHash, Heap, Member, Obj, UserType, Visitor};
use std::cell::RefCell;
use std::collections::VecDeque;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::rc::{Rc, Weak};

/// Whether hostile traverses may drop members (sound since deferred deallocation).
const TRAVERSE_DROPS: bool = true;

const HOSTILE_PANIC: &str = "hostile panic";

/// What the cases exercised, summed over a run (checked at the end: the mix must reach the
/// interesting interleavings, or the test proves nothing).
#[derive(Default, Debug, Clone, Copy)]
struct Stats {
    /// Finalizers run while a user hook (eq/hash/repr/clear/traverse) was running.
    bombs_in_hooks: usize,
    /// Finalizers that cleared or grew the container the running operation works on.
    current_hit: usize,
    /// ... from inside a `py_eq`.
    current_hit_in_eq: usize,
    panics: usize,
    resurrections: usize,
    collections_in_finalizers: usize,
    /// Heap work (anything but a member drop or a panic) done by a traverse while a collection
    /// ran, and the part of it that allocated tracked containers or collected.
    work_in_collecting_traverse: usize,
    tracked_in_collecting_traverse: usize,
    collects_in_collecting_traverse: usize,
    /// Heap work done by a traverse an introspection walker or the invariant walker called.
    work_in_walker_traverse: usize,
    freezes: usize,
}

thread_local! {
    static STATS: std::cell::Cell<Stats> = std::cell::Cell::new(Stats::default());
    static IN_HOOK: std::cell::Cell<usize> = const { std::cell::Cell::new(0) };
    static IN_EQ: std::cell::Cell<usize> = const { std::cell::Cell::new(0) };
    static IN_TRAVERSE: std::cell::Cell<usize> = const { std::cell::Cell::new(0) };
    /// Set while the test's own oracle (`Heap::check`) walks: user code that changes the heap
    /// during the walk makes its reference counting meaningless, so the hooks keep still.
    static QUIET: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
}

/// Counts one level of a thread-local depth while alive (unwinding included).
struct Depth(&'static std::thread::LocalKey<std::cell::Cell<usize>>);

impl Depth {
    fn enter(key: &'static std::thread::LocalKey<std::cell::Cell<usize>>) -> Depth {
        key.with(|d| d.set(d.get() + 1));
        Depth(key)
    }
}

impl Drop for Depth {
    fn drop(&mut self) {
        self.0.with(|d| d.set(d.get() - 1));
    }
}

fn stat(f: impl FnOnce(&mut Stats)) {
    STATS.with(|s| {
        let mut v = s.get();
        f(&mut v);
        s.set(v);
    });
}

#[derive(Debug, Clone)]
enum Act {
    /// (user hooks) drop the first member; (finalizers) nothing.
    DropMember,
    Panic,
    ClearRoot(u8),
    GrowRoot(u8),
    Alloc(u8),
    /// Make a tracked container of some roots and keep it as a new root.
    Track(u8),
    /// Drop a root (frees and untracks what only it held).
    DropRoot(u8),
    Collect(u8),
    Freeze(bool),
    Resurrect,
    DictOp(u8, u8),
}

fn act() -> impl Strategy<Value = Act> {
    prop_oneof![
        8 => Just(Act::DropMember),
        1 => Just(Act::Panic),
        5 => any::<u8>().prop_map(Act::ClearRoot),
        3 => any::<u8>().prop_map(Act::GrowRoot),
        2 => any::<u8>().prop_map(Act::Alloc),
        2 => any::<u8>().prop_map(Act::Track),
        1 => any::<u8>().prop_map(Act::DropRoot),
        1 => any::<u8>().prop_map(Act::Collect),
        1 => any::<bool>().prop_map(Act::Freeze),
        1 => Just(Act::Resurrect),
        2 => (any::<u8>(), any::<u8>()).prop_map(|(a, b)| Act::DictOp(a, b)),
    ]
}

#[derive(Debug, Clone)]
enum Op {
    Eq(u8, u8),
    Hash(u8),
    Repr(u8),
    DictSet(u8, u8, bool),
    DictGet(u8, u8),
    DictRemove(u8, u8),
    Iterate(u8),
    Collect(u8),
    DropRoot(u8),
    ClearRoot(u8),
}

fn op() -> impl Strategy<Value = Op> {
    prop_oneof![
        5 => (any::<u8>(), any::<u8>()).prop_map(|(a, b)| Op::Eq(a, b)),
        2 => any::<u8>().prop_map(Op::Hash),
        3 => any::<u8>().prop_map(Op::Repr),
        5 => (any::<u8>(), any::<u8>(), any::<bool>()).prop_map(|(a, b, c)| Op::DictSet(a, b, c)),
        2 => (any::<u8>(), any::<u8>()).prop_map(|(a, b)| Op::DictGet(a, b)),
        2 => (any::<u8>(), any::<u8>()).prop_map(|(a, b)| Op::DictRemove(a, b)),
        2 => any::<u8>().prop_map(Op::Iterate),
        1 => any::<u8>().prop_map(Op::Collect),
        1 => any::<u8>().prop_map(Op::DropRoot),
        1 => any::<u8>().prop_map(Op::ClearRoot),
    ]
}

/// The initial graph: hostile values (armed with a finalizing member or not, with member picks)
/// and containers (0 list, 1 dict, 2 tuple; item picks).
#[derive(Debug, Clone)]
struct Case {
    hostiles: Vec<(bool, Vec<u8>)>,
    containers: Vec<(u8, Vec<u8>)>,
    tape: Vec<Act>,
    ops: Vec<Op>,
}

fn case() -> impl Strategy<Value = Case> {
    let picks = || proptest::collection::vec(any::<u8>(), 0..4);
    (
        proptest::collection::vec((any::<bool>(), picks()), 1..6),
        proptest::collection::vec((0u8..3, picks()), 1..6),
        proptest::collection::vec(act(), 0..128),
        proptest::collection::vec(op(), 1..12),
    )
        .prop_map(|(hostiles, containers, tape, ops)| Case {
            hostiles,
            containers,
            tape,
            ops,
        })
}

/// Everything a case shares. Held by `Rc` from the values, the bomb class's finalizer and the
/// unraisable hook; the `Member`s in it are released at the end of the case.
#[derive(Default)]
struct World {
    /// The heap, for the values' hooks (weak: the values live in it).
    heap: RefCell<Weak<Heap>>,
    /// Objects the operations and actions pick from (containers and hostile values).
    roots: RefCell<Vec<Member>>,
    /// Resurrected bombs.
    keep: RefCell<Vec<Member>>,
    tape: RefCell<VecDeque<Act>>,
    /// Drops per hostile value id.
    drops: RefCell<Vec<u32>>,
    bomb_class: RefCell<Option<Member>>,
    /// The container the running operation works on (what most clear/grow actions hit).
    current: RefCell<Option<Member>>,
    unraisable: RefCell<Vec<String>>,
}

impl World {
    fn next_act(&self) -> Option<Act> {
        self.tape.borrow_mut().pop_front()
    }
    /// The current container for 3 picks in 4 (when there is one), else a root.
    fn target<'h>(&self, heap: &'h Heap, pick: u8) -> Option<Obj<'h>> {
        if !pick.is_multiple_of(4)
            && let Some(m) = self.current.borrow().as_ref()
        {
            return m.get(heap).ok();
        }
        self.root(heap, pick / 4)
    }
    /// The `pick`th root (cyclically) among those `keep` accepts.
    fn pick<'h>(&self, heap: &'h Heap, pick: u8, keep: fn(&Obj<'h>) -> bool) -> Option<Obj<'h>> {
        let objs: Vec<Obj<'h>> = {
            let roots = self.roots.borrow();
            roots.iter().filter_map(|m| m.get(heap).ok()).collect()
        };
        let objs: Vec<Obj<'h>> = objs.into_iter().filter(keep).collect();
        objs.get(pick as usize % objs.len().max(1)).cloned()
    }
    fn root<'h>(&self, heap: &'h Heap, pick: u8) -> Option<Obj<'h>> {
        let roots = self.roots.borrow();
        let m = roots.get(pick as usize % roots.len().max(1))?;
        m.get(heap).ok()
    }
}

struct Hostile {
    id: usize,
    members: RefCell<Vec<Member>>,
    world: Rc<World>,
}

impl Drop for Hostile {
    fn drop(&mut self) {
        self.world.drops.borrow_mut()[self.id] += 1;
    }
}

impl Hostile {
    /// A user hook's action: drop a member (finalizers may run), panic, or heap work.
    fn hook(&self, may_drop: bool) {
        if QUIET.with(|q| q.get()) {
            return;
        }
        let Some(a) = self.world.next_act() else {
            return;
        };
        let _in_hook = Depth::enter(&IN_HOOK);
        match a {
            Act::DropMember if may_drop => {
                // The first member: an armed value's bombs come first.
                let m = {
                    let mut ms = self.members.borrow_mut();
                    (!ms.is_empty()).then(|| ms.remove(0))
                };
                drop(m);
            }
            Act::DropMember => {}
            Act::Panic => {
                stat(|s| s.panics += 1);
                panic!("{HOSTILE_PANIC}")
            }
            a => {
                let heap = self.world.heap.borrow().upgrade();
                if let Some(heap) = heap {
                    if IN_TRAVERSE.with(|t| t.get()) > 0 {
                        let collecting = heap.gc().is_collecting();
                        stat(|s| {
                            if collecting {
                                s.work_in_collecting_traverse += 1;
                                s.tracked_in_collecting_traverse +=
                                    matches!(a, Act::Track(_) | Act::GrowRoot(_)) as usize;
                                s.collects_in_collecting_traverse +=
                                    matches!(a, Act::Collect(_)) as usize;
                            } else {
                                s.work_in_walker_traverse += 1;
                            }
                        });
                    }
                    // Resurrection from a hook: a new reference to one of the value's members,
                    // taken behind the running operation's (or collection's) back.
                    let me = self
                        .members
                        .try_borrow()
                        .ok()
                        .and_then(|ms| ms.first().and_then(|m| m.get(&heap).ok()));
                    heap_work(&heap, &self.world, a, me);
                }
            }
        }
    }
}

impl UserType for Hostile {
    const NAME: &'static str = "Hostile";
    const EQ_HASH: EqHash = EqHash::Value;
    fn traverse(&self, v: &mut Visitor<'_>) {
        // Collections traverse every value several times: only take a panic (or, with
        // TRAVERSE_DROPS, a drop) from the tape, leave the rest to the other hooks.
        let front = self.world.tape.borrow().front().cloned();
        if matches!(front, Some(Act::Panic)) || (TRAVERSE_DROPS && front.is_some()) {
            let _in_traverse = Depth::enter(&IN_TRAVERSE);
            self.hook(TRAVERSE_DROPS);
        }
        if let Ok(ms) = self.members.try_borrow() {
            for m in ms.iter() {
                v.visit(m);
            }
        }
    }
    fn clear(&mut self) {
        self.hook(true);
        let ms = std::mem::take(self.members.get_mut());
        drop(ms);
    }
    fn repr(&self) -> Option<String> {
        self.hook(true);
        Some(format!("H{}", self.id))
    }
    fn py_hash(&self) -> i64 {
        self.hook(true);
        (self.id % 3) as i64 // collisions: equal hashes make lookups call py_eq
    }
    fn py_eq(&self, other: &Self) -> bool {
        let in_eq = Depth::enter(&IN_EQ);
        self.hook(true);
        drop(in_eq);
        self.id % 6 == other.id % 6 // equal ids mod 6 have equal hashes mod 3
    }
}

fn hostile<'h>(heap: &'h Heap, w: &Rc<World>, armed: bool) -> Option<Obj<'h>> {
    let mut members = Vec::new();
    if armed {
        let cls = w.bomb_class.borrow().as_ref()?.get(heap).ok()?;
        for _ in 0..2 {
            let bomb = cls.as_class().ok()?.instantiate().ok()?;
            members.push(Member::new(&bomb));
        }
    }
    let id = {
        let mut d = w.drops.borrow_mut();
        d.push(0);
        d.len() - 1
    };
    let v = Hostile {
        id,
        members: RefCell::new(members),
        world: w.clone(),
    };
    // On failure the value is dropped (counted) without an object.
    match heap.new_user(v) {
        Ok(u) => Some(u.into_obj()),
        Err(_) => None,
    }
}

/// A finalizer's heap work.
fn bomb(heap: &Heap, w: &Rc<World>, me: Obj<'_>) {
    if IN_HOOK.with(|h| h.get()) > 0 {
        stat(|s| s.bombs_in_hooks += 1);
    }
    let Some(a) = w.next_act() else { return };
    match a {
        Act::DropMember => {}
        Act::Panic => {
            stat(|s| s.panics += 1);
            panic!("{HOSTILE_PANIC}")
        }
        Act::Collect(_) => {
            stat(|s| s.collections_in_finalizers += 1);
            heap_work(heap, w, a, Some(me))
        }
        a => heap_work(heap, w, a, Some(me)),
    }
}

/// The heap work of one action (finalizers and user hooks). `me` is what `Resurrect` keeps.
fn heap_work(heap: &Heap, w: &Rc<World>, a: Act, me: Option<Obj<'_>>) {
    let hits_current = |r: &Obj<'_>| {
        if w.current.borrow().as_ref().is_some_and(|m| m.is(r)) {
            let in_eq = IN_EQ.with(|e| e.get()) > 0;
            stat(|s| {
                s.current_hit += 1;
                s.current_hit_in_eq += in_eq as usize;
            });
        }
    };
    match a {
        Act::DropMember | Act::Panic => {}
        Act::ClearRoot(i) => {
            if let Some(r) = w.target(heap, i) {
                hits_current(&r);
                clear(&r);
            }
        }
        Act::GrowRoot(i) => {
            if let Some(r) = w.target(heap, i) {
                hits_current(&r);
                let v = hostile(heap, w, i % 4 == 0).unwrap_or_else(|| heap.none());
                if let Ok(l) = r.as_list() {
                    let _ = l.append(&v);
                } else if let Ok(d) = r.as_dict() {
                    let _ = d.set(&v, &r);
                }
            }
        }
        Act::Alloc(n) => {
            // Atoms and tracked containers, dropped at once.
            let junk: Vec<Obj<'_>> = (0..n % 16)
                .filter_map(|i| match i % 4 {
                    0 => heap.str(&"x".repeat(i as usize)).ok().map(|s| s.into_obj()),
                    1 => heap
                        .list(&[heap.int(i as i64).ok()?])
                        .ok()
                        .map(|l| l.into_obj()),
                    2 => heap.dict().ok().map(|d| d.into_obj()),
                    _ => hostile(heap, w, false),
                })
                .collect();
            drop(junk);
        }
        Act::Track(i) => {
            let items: Vec<Obj<'_>> = (0..i % 4).filter_map(|k| w.root(heap, i / 4 + k)).collect();
            let c = match i % 3 {
                0 => heap.list(&items).ok().map(|l| l.into_obj()),
                1 => heap.tuple(&items).ok().map(|t| t.into_obj()),
                _ => hostile(heap, w, i % 2 == 0),
            };
            if let Some(c) = c {
                w.roots.borrow_mut().push(Member::new(&c));
            }
        }
        Act::DropRoot(i) => {
            let m = {
                let mut roots = w.roots.borrow_mut();
                let n = roots.len();
                (n > 0).then(|| roots.remove(i as usize % n))
            };
            drop(m);
        }
        Act::Collect(g) => {
            let _ = heap.gc().collect((g % 3) as i64);
        }
        Act::Freeze(on) => {
            stat(|s| s.freezes += 1);
            if on {
                heap.gc().freeze()
            } else {
                heap.gc().unfreeze()
            }
        }
        Act::Resurrect => {
            if let Some(me) = me {
                stat(|s| s.resurrections += 1);
                w.keep.borrow_mut().push(Member::new(&me))
            }
        }
        Act::DictOp(i, k) => {
            if let Some(r) = w.target(heap, i)
                && let Ok(d) = r.as_dict()
                && let Some(key) = hostile(heap, w, k % 3 == 0)
            {
                let _ = match k % 3 {
                    0 => d.set(&key, &key),
                    1 => d.get(&key).map(drop),
                    _ => d.remove(&key).map(drop),
                };
            }
        }
    }
}

fn clear(o: &Obj<'_>) {
    if let Ok(l) = o.as_list() {
        l.clear();
    } else if let Ok(d) = o.as_dict() {
        d.clear();
    }
}

/// Run `f`, letting only hostile panics through.
fn guarded(f: impl FnOnce()) {
    if let Err(p) = catch_unwind(AssertUnwindSafe(f)) {
        let msg = p
            .downcast_ref::<String>()
            .cloned()
            .or_else(|| p.downcast_ref::<&str>().map(|s| s.to_string()))
            .unwrap_or_default();
        if msg != HOSTILE_PANIC {
            std::panic::resume_unwind(p);
        }
    }
}

fn run(case: Case) {
    let heap = Rc::new(Heap::new());
    let w = Rc::new(World::default());
    *w.heap.borrow_mut() = Rc::downgrade(&heap);
    *w.tape.borrow_mut() = case.tape.iter().cloned().collect();
    {
        let w2 = w.clone();
        heap.set_unraisable_hook(Some(Rc::new(move |msg: &str| {
            w2.unraisable.borrow_mut().push(msg.to_string())
        })));
    }
    {
        let w2 = w.clone();
        let cls = heap
            .new_class(ClassSpec::new("Bomb").with_del(move |heap, me| bomb(heap, &w2, me)))
            .unwrap();
        *w.bomb_class.borrow_mut() = Some(Member::new(&cls));
    }
    guarded(|| build(&heap, &w, &case));
    for op in &case.ops {
        guarded(|| run_op(&heap, &w, op));
    }
    oracle(&heap).expect("invariant walker after the operations");
    // The walkers again, now that the heap is in its hostile state (their traverses act too).
    guarded(|| walk(&heap, &w));
    oracle(&heap).expect("invariant walker after the walkers");

    // Teardown: release everything the world holds, collect, count.
    w.tape.borrow_mut().clear();
    let current = w.current.borrow_mut().take();
    drop(current);
    let roots = std::mem::take(&mut *w.roots.borrow_mut());
    drop(roots);
    let kept = std::mem::take(&mut *w.keep.borrow_mut());
    drop(kept);
    let cls = w.bomb_class.borrow_mut().take();
    drop(cls);
    heap.gc().unfreeze();
    let _ = heap.gc().collect(2);
    oracle(&heap).expect("invariant walker after teardown");
    heap.set_unraisable_hook(None);
    assert_eq!(heap.live_objects(), 0, "everything freed");
    let drops = w.drops.borrow();
    assert!(
        drops.iter().all(|&n| n == 1),
        "every value dropped exactly once: {drops:?}"
    );
    for msg in w.unraisable.borrow().iter() {
        assert!(msg.contains(HOSTILE_PANIC), "unexpected unraisable: {msg}");
    }
}

/// The invariant walker, with the hostile hooks quiet.
fn oracle(heap: &Heap) -> Result<(), impl std::fmt::Debug> {
    QUIET.with(|q| q.set(true));
    let r = heap.check();
    QUIET.with(|q| q.set(false));
    r
}

/// The introspection walkers over every root.
fn walk(heap: &Heap, w: &Rc<World>) {
    let objs: Vec<Obj<'_>> = {
        let roots = w.roots.borrow();
        roots.iter().filter_map(|m| m.get(heap).ok()).collect()
    };
    for o in &objs {
        let _ = heap.gc().get_referents(o);
        let _ = heap.deep_sizeof(o);
    }
    let refs: Vec<&Obj<'_>> = objs.iter().collect();
    let _ = heap.gc().get_referrers(&refs);
    let _ = heap.check();
}

fn build(heap: &Heap, w: &Rc<World>, case: &Case) {
    let mut objs: Vec<Obj<'_>> = vec![heap.int(7).unwrap(), heap.str("s").unwrap().into_obj()];
    let mut hostiles = Vec::new();
    for (armed, _) in &case.hostiles {
        if let Some(h) = hostile(heap, w, *armed) {
            objs.push(h.clone());
            hostiles.push(h);
        }
    }
    for (kind, picks) in &case.containers {
        let items: Vec<Obj<'_>> = picks
            .iter()
            .map(|&p| objs[p as usize % objs.len()].clone())
            .collect();
        let c = match kind {
            0 => heap.list(&items).unwrap().into_obj(),
            1 => {
                let d = heap.dict().unwrap();
                for it in &items {
                    // Hostile keys run hooks already here; errors (Unhashable) are fine.
                    let _ = d.set(it, it);
                }
                d.into_obj()
            }
            _ => heap.tuple(&items).unwrap().into_obj(),
        };
        objs.push(c);
    }
    // Members of the hostile values: any object, cycles included.
    for (h, (_, picks)) in hostiles.iter().zip(&case.hostiles) {
        let u = h.as_user::<Hostile>().unwrap();
        let b = u.borrow().unwrap();
        for &p in picks {
            b.members
                .borrow_mut()
                .push(Member::new(&objs[p as usize % objs.len()]));
        }
    }
    // Hooks run during the build may have added roots already: they go (outside the borrow,
    // since dropping them runs finalizers that pick roots).
    let added = std::mem::replace(
        &mut *w.roots.borrow_mut(),
        objs.iter().map(Member::new).collect(),
    );
    drop(added);
}

fn run_op(heap: &Heap, w: &Rc<World>, op: &Op) {
    let root = |i| w.root(heap, i);
    let dict = |i| w.pick(heap, i, |o| o.as_dict().is_ok());
    let container = |i| w.pick(heap, i, |o| o.as_dict().is_ok() || o.as_list().is_ok());
    let first = match *op {
        Op::Eq(a, _) | Op::Repr(a) => container(a),
        Op::DictSet(a, ..) | Op::DictGet(a, _) | Op::DictRemove(a, _) | Op::Iterate(a) => dict(a),
        Op::Hash(a) => root(a),
        _ => None,
    };
    // The previous operation's container may die here (hooks drop roots): outside the borrow.
    let previous = w.current.replace(first.as_ref().map(Member::new));
    drop(previous);
    match *op {
        Op::Eq(_, b) => {
            if let (Some(a), Some(b)) = (first, container(b)) {
                let _ = a.try_eq(&b);
            }
        }
        Op::Hash(a) => {
            if let Some(a) = root(a) {
                let _ = a.hash();
            }
        }
        Op::Repr(_) => {
            if let Some(a) = first {
                let _ = a.try_repr();
            }
        }
        Op::DictSet(_, k, armed) => {
            if let Some(d) = first
                && let Ok(d) = d.as_dict()
                && let Some(key) = hostile(heap, w, armed)
            {
                let v = root(k).unwrap_or_else(|| heap.none());
                let _ = d.set(&key, &v);
            }
        }
        Op::DictGet(_, k) | Op::DictRemove(_, k) => {
            if let (Some(d), Some(key)) = (first, root(k))
                && let Ok(d) = d.as_dict()
            {
                let _ = if matches!(op, Op::DictGet(..)) {
                    d.get(&key).map(drop)
                } else {
                    d.remove(&key).map(drop)
                };
            }
        }
        Op::Iterate(_) => {
            if let Some(d) = first
                && let Ok(d) = d.as_dict()
            {
                for item in d.iter() {
                    match item {
                        Ok((k, v)) => {
                            let _ = (k.try_repr(), v.try_eq(&k));
                        }
                        Err(_) => break,
                    }
                }
            }
        }
        Op::Collect(g) => {
            let _ = heap.gc().collect((g % 3) as i64);
        }
        Op::DropRoot(i) => {
            let mut roots = w.roots.borrow_mut();
            if !roots.is_empty() {
                let n = i as usize % roots.len();
                let m = roots.remove(n);
                drop(roots);
                drop(m);
            }
        }
        Op::ClearRoot(i) => {
            if let Some(r) = root(i) {
                clear(&r);
            }
        }
    }
}

#[test]
fn hostile_user_code_cannot_break_the_heap() {
    let config = ProptestConfig {
        cases: if cfg!(miri) { 8 } else { 6000 },
        failure_persistence: None,
        ..ProptestConfig::default()
    };
    // Hostile panics are expected by the thousand: keep them off stderr.
    let default_hook = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        if info.payload().downcast_ref::<String>().map(String::as_str) != Some(HOSTILE_PANIC) {
            default_hook(info)
        }
    }));
    let mut runner = proptest::test_runner::TestRunner::new(config);
    let result = runner.run(&case(), |c| {
        run(c);
        Ok(())
    });
    if let Err(e) = result {
        panic!("{e}");
    }
    let s = STATS.with(|s| s.get());
    eprintln!("hostile mix: {s:?}");
    if !cfg!(miri) {
        assert!(s.bombs_in_hooks > 100, "{s:?}");
        assert!(s.current_hit > 400 && s.current_hit_in_eq > 30, "{s:?}");
        assert!(s.panics > 50 && s.resurrections > 10, "{s:?}");
        assert!(s.collections_in_finalizers > 10, "{s:?}");
        // About a quarter of what a run sees (28k, 8k, 1.6k, 54k, 6.5k).
        assert!(s.work_in_collecting_traverse > 7000, "{s:?}");
        assert!(s.tracked_in_collecting_traverse > 2000, "{s:?}");
        assert!(s.collects_in_collecting_traverse > 400, "{s:?}");
        assert!(s.work_in_walker_traverse > 12000, "{s:?}");
        assert!(s.freezes > 1500, "{s:?}");
    }
}
