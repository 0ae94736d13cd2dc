//! CPython's `Lib/test/test_finalization.py` (PEP 442; REFERENCE.md D.3) ported to the real
//! runtime: classes with `__del__` (`ClassSpec::with_del`) and legacy `tp_del`
//! (`with_legacy_del`), weakrefs, non-GC classes, with CPython's expected outcomes.
//!
//! The Python helper hierarchy (`SimpleBase`, `SelfCycleBase`, `ChainedBase`, the resurrectors
//! and suicidal variants) has no inheritance here: [`Spec`] says which behaviours a class
//! combines, and [`State::class`] builds one runtime class from it with one `__del__` doing what
//! the Python mixins do (record `id(self)`, `check_sanity()`, `side_effect()`). `survivors` is a
//! heap list stored as a class attribute (as in Python, where it is a class attribute of
//! `SimpleBase`). Every test runs with the GC disabled (`SimpleBase.test()`), and ends with the
//! `_cleanup` + `tearDown` checks (`errors == []`, `gc.garbage == []`).

use pyheap::runtime::{Class, ClassSpec, Heap, Obj, WeakRef};
use std::cell::{Cell, RefCell};
use std::rc::Rc;

type R = Result<(), Box<dyn std::error::Error>>;

/// `side_effect()` of the Python classes.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Side {
    None,
    /// `self.survivors.append(self)`.
    Resurrect,
    /// SuicidalSelfCycle: `self.ref = None`.
    SuicideSelf,
    /// SuicidalChained: `suicided = True; left = right = None`.
    SuicideChained,
}

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Shape {
    /// `NonGCSimpleBase` / `SimpleBase` (no cycle).
    Plain,
    /// `SelfCycleBase`: `self.ref = self`.
    SelfCycle,
    /// `ChainedBase`: `left` / `right` links.
    Chained,
}

#[derive(Clone, Copy, Debug)]
struct Spec {
    side: Side,
    shape: Shape,
    /// False for `NonGC*` (`__slots__ = ()` on a non-GC base).
    gc: bool,
    /// `with_tp_del` classes: `__del__` only records, `__tp_del__` records + side effect.
    legacy: bool,
}

const SIMPLE: Spec = Spec {
    side: Side::None,
    shape: Shape::Plain,
    gc: true,
    legacy: false,
};

/// The class-level lists of `NonGCSimpleBase`, shared by all classes of one test.
#[derive(Default)]
struct Shared {
    del_calls: RefCell<Vec<usize>>,
    tp_del_calls: RefCell<Vec<usize>>,
    errors: RefCell<Vec<String>>,
    cleaning: Cell<bool>,
}

struct State<'h> {
    heap: &'h Heap,
    shared: Rc<Shared>,
    survivors: Obj<'h>,
}

fn attr_is<'h>(obj: &Obj<'h>, name: &str, other: &Obj<'h>) -> bool {
    obj.getattr(name).map(|v| v.is(other)).unwrap_or(false)
}

fn is_none(obj: &Obj<'_>, name: &str) -> bool {
    obj.getattr(name).map(|v| v.is_none()).unwrap_or(false)
}

/// `check_sanity()` of the combined Python mixins.
fn check_sanity(heap: &Heap, obj: &Obj<'_>, spec: Spec) -> Result<(), String> {
    if spec.gc {
        // SimpleBase: self.id_ == id(self)
        let id = obj.getattr("id_").map_err(|e| e.to_string())?;
        if id.as_int().map_err(|e| e.to_string())? != heap.id(obj) as i64 {
            return Err("id_ != id(self)".into());
        }
    }
    match spec.shape {
        Shape::Plain => {}
        Shape::SelfCycle => {
            if !attr_is(obj, "ref", obj) {
                return Err("self.ref is not self".into());
            }
        }
        Shape::Chained => {
            let suicided = |o: &Obj<'_>| o.getattr("suicided").and_then(|v| v.as_bool());
            if suicided(obj).map_err(|e| e.to_string())? {
                if !is_none(obj, "left") || !is_none(obj, "right") {
                    return Err("suicided node still linked".into());
                }
            } else {
                let left = obj.getattr("left").map_err(|e| e.to_string())?;
                if suicided(&left).map_err(|e| e.to_string())? {
                    if !is_none(&left, "right") {
                        return Err("left.right is not None".into());
                    }
                } else if !attr_is(&left, "right", obj) {
                    return Err("left.right is not self".into());
                }
                let right = obj.getattr("right").map_err(|e| e.to_string())?;
                if suicided(&right).map_err(|e| e.to_string())? {
                    if !is_none(&right, "left") {
                        return Err("right.left is not None".into());
                    }
                } else if !attr_is(&right, "left", obj) {
                    return Err("right.left is not self".into());
                }
            }
        }
    }
    Ok(())
}

fn side_effect(heap: &Heap, obj: &Obj<'_>, side: Side) -> Result<(), String> {
    let e = |e: pyheap::runtime::RuntimeError| e.to_string();
    match side {
        Side::None => {}
        Side::Resurrect => {
            let s = obj.getattr("survivors").map_err(e)?;
            s.as_list().map_err(e)?.append(obj).map_err(e)?;
        }
        Side::SuicideSelf => obj.setattr("ref", &heap.none()).map_err(e)?,
        Side::SuicideChained => {
            obj.setattr("suicided", &heap.bool(true)).map_err(e)?;
            obj.setattr("left", &heap.none()).map_err(e)?;
            obj.setattr("right", &heap.none()).map_err(e)?;
        }
    }
    Ok(())
}

impl<'h> State<'h> {
    /// `with SimpleBase.test():` — a heap with the GC disabled.
    fn new(heap: &'h Heap) -> State<'h> {
        heap.gc().disable();
        heap.gc().collect(2).unwrap();
        State {
            heap,
            shared: Rc::default(),
            survivors: heap.list(&[]).unwrap().into_obj(),
        }
    }

    fn class(&self, name: &str, spec: Spec) -> Class<'h> {
        let mut cs = ClassSpec::new(name);
        if !spec.gc {
            cs = cs.non_gc().with_slots(&[]);
        }
        let sh = self.shared.clone();
        cs = cs.with_del(move |heap, obj| {
            if sh.cleaning.get() {
                return;
            }
            sh.del_calls.borrow_mut().push(heap.id(&obj));
            let mut r = check_sanity(heap, &obj, spec);
            if r.is_ok() && !spec.legacy {
                r = side_effect(heap, &obj, spec.side);
            }
            if let Err(e) = r {
                sh.errors.borrow_mut().push(e);
            }
        });
        if spec.legacy {
            let sh = self.shared.clone();
            cs = cs.with_legacy_del(move |heap, obj| {
                if sh.cleaning.get() {
                    return;
                }
                sh.tp_del_calls.borrow_mut().push(heap.id(&obj));
                let r =
                    check_sanity(heap, &obj, spec).and_then(|_| side_effect(heap, &obj, spec.side));
                if let Err(e) = r {
                    sh.errors.borrow_mut().push(e);
                }
            });
        }
        let cls = self.heap.new_class(cs).unwrap();
        cls.setattr("survivors", &self.survivors).unwrap();
        cls
    }

    /// `cls()`: SimpleBase.__init__ (id_) and SelfCycleBase.__init__ (ref).
    fn instantiate(&self, cls: &Class<'h>, spec: Spec) -> Obj<'h> {
        let o = cls.instantiate().unwrap().into_obj();
        if spec.gc {
            o.setattr("id_", &self.heap.int(self.heap.id(&o) as i64).unwrap())
                .unwrap();
        }
        if spec.shape == Shape::SelfCycle {
            o.setattr("ref", &o).unwrap();
        }
        o
    }

    fn del_calls(&self) -> Vec<usize> {
        sorted(self.shared.del_calls.borrow().clone())
    }
    fn tp_del_calls(&self) -> Vec<usize> {
        sorted(self.shared.tp_del_calls.borrow().clone())
    }
    fn survivors(&self) -> Vec<usize> {
        sorted(
            self.survivors
                .as_list()
                .unwrap()
                .to_vec()
                .iter()
                .map(|o| self.heap.id(o))
                .collect(),
        )
    }
    fn clear_survivors(&self) {
        self.survivors.as_list().unwrap().clear();
    }
    fn garbage(&self) -> Vec<usize> {
        sorted(
            self.heap
                .gc()
                .garbage()
                .iter()
                .map(|o| self.heap.id(o))
                .collect(),
        )
    }
    fn collect(&self) {
        self.heap.gc().collect(2).unwrap();
    }

    /// End of `SimpleBase.test()` (`_cleanup`) and `TestBase.tearDown`.
    fn finish(self) {
        assert_eq!(*self.shared.errors.borrow(), Vec::<String>::new());
        self.shared.cleaning.set(true);
        self.clear_survivors();
        self.heap.gc().clear_garbage();
        self.collect();
        self.shared.cleaning.set(false);
        assert_eq!(self.heap.gc().garbage_len(), 0);
        self.heap.check().unwrap();
    }
}

fn sorted(mut v: Vec<usize>) -> Vec<usize> {
    v.sort();
    v
}

// ------------------------------------------------------- one object: the table of outcomes

/// What the test sees after a collection, in multiples of the one object's id (0: absent,
/// 1: there once, 2: twice) and whether its weak reference still answers.
#[derive(Clone, Copy, Debug)]
struct Seen {
    del: usize,
    tp_del: usize,
    survivors: usize,
    garbage: usize,
    /// `None`: the test takes no weakref (CPython's non-GC tests do not).
    weakref_alive: Option<bool>,
}

const FINALIZED: Seen = Seen {
    del: 1,
    tp_del: 0,
    survivors: 0,
    garbage: 0,
    weakref_alive: Some(false),
};

/// One CPython test on a single object: build it from `spec`, drop it, collect (`first`), clear
/// the survivors, collect again (`second`), then `_cleanup`/`tearDown`.
struct OneObject {
    class: &'static str,
    spec: Spec,
    first: Seen,
    second: Seen,
    /// The assertion's message in CPython's test (what the outcome shows).
    why: &'static str,
}

impl OneObject {
    fn run(&self) -> R {
        let heap = Heap::new();
        let st = State::new(&heap);
        let cls = st.class(self.class, self.spec);
        let s = st.instantiate(&cls, self.spec);
        assert_eq!(heap.gc().is_tracked(&s), self.spec.gc);
        let id = heap.id(&s);
        let wr = match self.first.weakref_alive {
            Some(_) => Some(heap.weakref(&s, None)?),
            None => None,
        };
        drop(s);
        st.collect();
        self.check(&st, id, wr.as_ref(), self.first, "first collection");
        st.clear_survivors();
        st.collect();
        self.check(&st, id, wr.as_ref(), self.second, "second collection");
        // Uncollectable (legacy finalizer in a cycle): break the cycle as the CPython test does,
        // `gc.garbage[0].ref = None`.
        if self.second.garbage > 0 {
            heap.gc().garbage()[0].setattr("ref", &heap.none())?;
        }
        st.finish();
        assert_eq!(heap.gc().garbage_len(), 0);
        if let Some(wr) = wr {
            assert!(
                wr.get().is_none(),
                "{}: the weakref dies with the object",
                self.class
            );
        }
        Ok(())
    }

    fn check(&self, st: &State<'_>, id: usize, wr: Option<&WeakRef<'_>>, seen: Seen, when: &str) {
        let ids = |n: usize| vec![id; n];
        let what = format!("{} after the {when} ({})", self.class, self.why);
        assert_eq!(st.del_calls(), ids(seen.del), "__del__ calls: {what}");
        assert_eq!(st.tp_del_calls(), ids(seen.tp_del), "tp_del calls: {what}");
        assert_eq!(st.survivors(), ids(seen.survivors), "survivors: {what}");
        assert_eq!(st.garbage(), ids(seen.garbage), "gc.garbage: {what}");
        if let (Some(wr), Some(alive)) = (wr, seen.weakref_alive) {
            assert_eq!(wr.get().is_some(), alive, "weakref alive: {what}");
        }
    }
}

// ------------------------------------------------------------------ SimpleFinalizationTest

mod simple_finalization_test {
    use super::*;

    #[test]
    fn test_simple() -> R {
        OneObject {
            class: "Simple",
            spec: SIMPLE,
            first: FINALIZED,
            second: FINALIZED,
            why: "__del__ runs once, the object is freed",
        }
        .run()
    }

    #[test]
    fn test_simple_resurrect() -> R {
        OneObject {
            class: "SimpleResurrector",
            spec: Spec {
                side: Side::Resurrect,
                ..SIMPLE
            },
            first: Seen {
                survivors: 1,
                weakref_alive: Some(true),
                ..FINALIZED
            },
            second: FINALIZED,
            why: "the finalizer ran before the weakref was cleared; __del__ is not called again",
        }
        .run()
    }

    #[test]
    fn test_non_gc() -> R {
        let seen = Seen {
            weakref_alive: None,
            ..FINALIZED
        };
        OneObject {
            class: "NonGC",
            spec: Spec {
                gc: false,
                ..SIMPLE
            },
            first: seen,
            second: seen,
            why: "a non-GC object is finalized by its refcount",
        }
        .run()
    }

    #[test]
    fn test_non_gc_resurrect() -> R {
        let first = Seen {
            survivors: 1,
            weakref_alive: None,
            ..FINALIZED
        };
        OneObject {
            class: "NonGCResurrector",
            spec: Spec {
                gc: false,
                side: Side::Resurrect,
                ..SIMPLE
            },
            first,
            second: Seen { del: 2, ..first },
            why: "no FINALIZED bit without a GC head: __del__ runs at every death",
        }
        .run()
    }
}

// --------------------------------------------------------------- SelfCycleFinalizationTest

mod self_cycle_finalization_test {
    use super::*;

    const SELF_CYCLE: Spec = Spec {
        shape: Shape::SelfCycle,
        ..SIMPLE
    };

    #[test]
    fn test_simple() -> R {
        OneObject {
            class: "SelfCycle",
            spec: SELF_CYCLE,
            first: FINALIZED,
            second: FINALIZED,
            why: "weakrefs to cyclic trash are cleared before __del__, which runs once",
        }
        .run()
    }

    #[test]
    fn test_simple_resurrect() -> R {
        OneObject {
            class: "SelfCycleResurrector",
            spec: Spec {
                side: Side::Resurrect,
                ..SELF_CYCLE
            },
            first: Seen {
                survivors: 1,
                ..FINALIZED
            },
            second: FINALIZED,
            why: "resurrected from cyclic trash, its weakref already cleared; freed the second time",
        }
        .run()
    }

    #[test]
    fn test_simple_resurrect_frees_the_object() -> R {
        // The same test's memory side: the object (and its id_ int) is freed by the second
        // collection, and nothing is left after the cleanup.
        let heap = Heap::new();
        let base = heap.live_objects();
        {
            let st = State::new(&heap);
            let spec = Spec {
                side: Side::Resurrect,
                ..SELF_CYCLE
            };
            let cls = st.class("SelfCycleResurrector", spec);
            drop(st.instantiate(&cls, spec));
            st.collect();
            let live = heap.live_objects();
            st.clear_survivors();
            st.collect();
            assert!(heap.live_objects() < live);
            drop(cls);
            st.finish();
        }
        assert_eq!(heap.live_objects(), base);
        Ok(())
    }

    #[test]
    fn test_simple_suicide() -> R {
        OneObject {
            class: "SuicidalSelfCycle",
            spec: Spec {
                side: Side::SuicideSelf,
                ..SELF_CYCLE
            },
            first: FINALIZED,
            second: FINALIZED,
            why: "__del__ breaks its own cycle; it runs once",
        }
        .run()
    }
}

// ------------------------------------------------------------- CycleChainFinalizationTest

mod cycle_chain_finalization_test {
    use super::*;

    const CHAINED: Spec = Spec {
        shape: Shape::Chained,
        ..SIMPLE
    };
    const SIMPLE_CHAINED: Spec = CHAINED;
    const RESURRECTOR: Spec = Spec {
        side: Side::Resurrect,
        ..CHAINED
    };
    const SUICIDAL: Spec = Spec {
        side: Side::SuicideChained,
        ..CHAINED
    };

    /// `build_chain`: `nodes[i].chain(nodes[i-1])` for every i (a ring).
    fn build<'h>(st: &State<'h>, specs: &[Spec]) -> Vec<Obj<'h>> {
        let classes: Vec<Class<'h>> = specs
            .iter()
            .map(|s| st.class(&format!("{:?}", s.side), *s))
            .collect();
        let nodes: Vec<Obj<'h>> = classes
            .iter()
            .zip(specs)
            .map(|(c, s)| st.instantiate(c, *s))
            .collect();
        let n = nodes.len();
        for i in 0..n {
            let left = &nodes[(i + n - 1) % n];
            nodes[i].setattr("suicided", &st.heap.bool(false)).unwrap();
            nodes[i].setattr("left", left).unwrap();
            left.setattr("right", &nodes[i]).unwrap();
        }
        nodes
    }

    /// `check_non_resurrecting_chain` and `check_resurrecting_chain` in one: every node's
    /// `__del__` runs once, the resurrectors survive the first collection (none when the chain
    /// has none), every weakref is cleared, and nothing survives the second.
    fn check_chain(specs: &[Spec]) -> R {
        let heap = Heap::new();
        let st = State::new(&heap);
        let nodes = build(&st, specs);
        let ids = sorted(nodes.iter().map(|s| heap.id(s)).collect());
        let survivor_ids = sorted(
            nodes
                .iter()
                .zip(specs)
                .filter(|(_, s)| s.side == Side::Resurrect)
                .map(|(n, _)| heap.id(n))
                .collect(),
        );
        let wrs: Vec<_> = nodes
            .iter()
            .map(|s| heap.weakref(s, None).unwrap())
            .collect();
        drop(nodes);
        st.collect();
        assert_eq!(st.del_calls(), ids);
        assert_eq!(st.survivors(), survivor_ids);
        assert!(wrs.iter().all(|w| w.get().is_none()));
        st.clear_survivors();
        st.collect();
        assert_eq!(st.del_calls(), ids);
        assert_eq!(st.survivors(), [0usize; 0]);
        st.finish();
        Ok(())
    }

    fn times(v: &[Spec], n: usize) -> Vec<Spec> {
        v.iter().copied().cycle().take(v.len() * n).collect()
    }

    #[test]
    fn test_homogenous() -> R {
        check_chain(&[SIMPLE_CHAINED; 3])
    }

    #[test]
    fn test_homogenous_resurrect() -> R {
        check_chain(&[RESURRECTOR; 3])
    }

    #[test]
    fn test_homogenous_suicidal() -> R {
        check_chain(&[SUICIDAL; 3])
    }

    #[test]
    fn test_heterogenous_suicidal_one() -> R {
        check_chain(&times(&[SUICIDAL, SIMPLE_CHAINED], 2))
    }

    #[test]
    fn test_heterogenous_suicidal_two() -> R {
        check_chain(&[SUICIDAL, SUICIDAL, SIMPLE_CHAINED, SIMPLE_CHAINED])
    }

    #[test]
    fn test_heterogenous_resurrect_one() -> R {
        check_chain(&times(&[RESURRECTOR, SIMPLE_CHAINED], 2))
    }

    #[test]
    fn test_heterogenous_resurrect_two() -> R {
        check_chain(&times(&[RESURRECTOR, SIMPLE_CHAINED, SUICIDAL], 2))
    }

    #[test]
    fn test_heterogenous_resurrect_three() -> R {
        check_chain(&[
            RESURRECTOR,
            RESURRECTOR,
            SIMPLE_CHAINED,
            SIMPLE_CHAINED,
            SUICIDAL,
            SUICIDAL,
        ])
    }
}

// ---------------------------------------------------------------- LegacyFinalizationTest

mod legacy_finalization_test {
    use super::*;

    const LEGACY: Spec = Spec {
        legacy: true,
        ..SIMPLE
    };
    const BOTH_RAN: Seen = Seen {
        tp_del: 1,
        ..FINALIZED
    };

    #[test]
    fn test_legacy() -> R {
        OneObject {
            class: "Legacy",
            spec: LEGACY,
            first: BOTH_RAN,
            second: BOTH_RAN,
            why: "__del__ and tp_del both run, once",
        }
        .run()
    }

    #[test]
    fn test_legacy_resurrect() -> R {
        let first = Seen {
            survivors: 1,
            ..BOTH_RAN
        };
        OneObject {
            class: "LegacyResurrector",
            spec: Spec {
                side: Side::Resurrect,
                ..LEGACY
            },
            first,
            second: Seen { tp_del: 2, ..first },
            why: "weakrefs are cleared before tp_del is called; the legacy finalizer runs again",
        }
        .run()
    }

    #[test]
    fn test_legacy_self_cycle() -> R {
        let uncollectable = Seen {
            del: 0,
            tp_del: 0,
            survivors: 0,
            garbage: 1,
            weakref_alive: Some(true),
        };
        OneObject {
            class: "LegacySelfCycle",
            spec: Spec {
                shape: Shape::SelfCycle,
                ..LEGACY
            },
            first: uncollectable,
            second: uncollectable,
            why: "uncollectable: it lands in gc.garbage, its weakref left alive",
        }
        .run()
    }
}
