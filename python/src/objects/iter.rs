//! `range` and the iterators over built-in sequences, `enumerate`, `zip`, `map`, `filter`,
//! `reversed`, and the itertools ones: each holds the iterated object(s) as members.

use pyheap_runtime::{Member, UserType, Visitor};

/// `range(start, stop, step)`.
pub struct Range {
    pub start: i64,
    pub stop: i64,
    pub step: i64,
}

impl Range {
    pub fn len(&self) -> i64 {
        let (a, b, s) = (self.start as i128, self.stop as i128, self.step as i128);
        let n = if s > 0 {
            (b - a + s - 1) / s
        } else {
            (a - b - s - 1) / -s
        };
        n.max(0) as i64
    }
}

/// `iter(range(..))` and `reversed(range(..))`: the next value, the bound and the step. Three
/// integers and nothing else, so, as CPython's `range_iterator`, not a GC object: no GC head
/// (its `sys.getsizeof` stays CPython's), never tracked, never counted in `gc.get_count()`.
pub struct RangeIter {
    pub next: i64,
    pub stop: i64,
    pub step: i64,
}

impl RangeIter {
    /// The next value, or `None` once past the bound (the iterator then stays exhausted).
    #[inline]
    pub fn step_next(&mut self) -> Option<i64> {
        let v = self.next;
        if (self.step > 0 && v < self.stop) || (self.step < 0 && v > self.stop) {
            self.next = v.saturating_add(self.step);
            Some(v)
        } else {
            // Stays past the bound (a step never moves it back).
            self.next = self.stop;
            None
        }
    }
}

impl UserType for RangeIter {
    const NAME: &'static str = "range_iterator";
    const GC: bool = false;
    const WEAKREFABLE: bool = false;
    fn traverse(&self, _: &mut Visitor<'_>) {}
    fn clear(&mut self) {}
}

impl UserType for Range {
    const NAME: &'static str = "range";
    // Three integers, no references: not a GC object (CPython's `range` is not either).
    const GC: bool = false;
    fn traverse(&self, _: &mut Visitor<'_>) {}
    fn clear(&mut self) {}
    fn repr(&self) -> Option<String> {
        Some(if self.step == 1 {
            format!("range({}, {})", self.start, self.stop)
        } else {
            format!("range({}, {}, {})", self.start, self.stop, self.step)
        })
    }
}

/// What an [`Iter`] walks.
pub enum IterKind {
    /// A list, tuple or str (by index; lists re-check their length).
    Seq {
        seq: Member,
        index: usize,
    },
    Reversed {
        seq: Member,
        index: usize,
    },
    /// A dict's keys, values or items, walked live (the runtime's cursor notices CPython's
    /// "dictionary changed size" / "keys changed during iteration"); `last`: the key returned
    /// last.
    Dict {
        dict: Member,
        what: super::dictview::ViewWhat,
        cursor: pyheap_runtime::DictCursor,
        last: Option<Member>,
    },
    /// A set or frozenset, walked in table order (`len`: its size at the start, for CPython's
    /// "Set changed size during iteration").
    Set {
        set: Member,
        pos: usize,
        len: usize,
    },
    Enumerate {
        it: Member,
        count: i64,
    },
    Zip {
        its: Vec<Member>,
        /// `zip(..., strict=True)`: iterables of unequal length are a `ValueError`.
        strict: bool,
    },
    Map {
        f: Member,
        its: Vec<Member>,
    },
    Filter {
        f: Member,
        it: Member,
    },
    Count {
        next: Member,
        step: Member,
    },
    Repeat {
        obj: Member,
        left: Option<i64>,
    },
    Chain {
        its: Member,
        index: usize,
        cur: Option<Member>,
    },
    ISlice {
        it: Member,
        next: i64,
        stop: Option<i64>,
        step: i64,
        pos: i64,
    },
    /// `iter(callable, sentinel)`.
    Callable {
        f: Member,
        sentinel: Member,
    },
    Done,
}

/// A built-in iterator.
pub struct Iter {
    pub kind: IterKind,
    pub name: &'static str,
}

impl UserType for Iter {
    const NAME: &'static str = "iterator";
    fn traverse(&self, v: &mut Visitor<'_>) {
        match &self.kind {
            IterKind::Seq { seq, .. } | IterKind::Reversed { seq, .. } => v.visit(seq),
            IterKind::Set { set, .. } => v.visit(set),
            IterKind::Dict { dict, last, .. } => {
                v.visit(dict);
                v.visit_opt(last);
            }
            IterKind::Enumerate { it, .. } => v.visit(it),
            IterKind::Zip { its, .. } => its.iter().for_each(|m| v.visit(m)),
            IterKind::Map { f, its } => {
                v.visit(f);
                its.iter().for_each(|m| v.visit(m));
            }
            IterKind::Filter { f, it } => {
                v.visit(f);
                v.visit(it);
            }
            IterKind::Count { next, step } => {
                v.visit(next);
                v.visit(step);
            }
            IterKind::Repeat { obj, .. } => v.visit(obj),
            IterKind::Chain { its, cur, .. } => {
                v.visit(its);
                v.visit_opt(cur);
            }
            IterKind::ISlice { it, .. } => v.visit(it),
            IterKind::Callable { f, sentinel } => {
                v.visit(f);
                v.visit(sentinel);
            }
            IterKind::Done => {}
        }
    }
    fn clear(&mut self) {
        self.kind = IterKind::Done;
    }
}
