//! `itertools`: the lazy building blocks. `repeat`, `count`, `chain` and `islice` are native
//! iterators (`objects::iter::IterKind`); the combinatoric and accumulating ones are Python
//! generators compiled into the module at import (`PRELUDE`), so they hold their state in
//! generator frames the collector already sees.
//!
//! ```text
//!   itertools.chain ── a class whose __new__ returns a chain iterator
//!                   └─ .from_iterable ── prelude generator
//!   repeat(o, n)   count(a, s)   islice(it, [start,] stop [, step])     native
//!   cycle accumulate zip_longest product permutations combinations groupby tee ...  prelude
//! ```
//!
//! Difference from CPython: the prelude iterators are generators, so `type(...)` names
//! `generator`, not `itertools.cycle`.

use crate::objects::iter::IterKind;
use crate::vm::{Args, Ctx, ExcTy, PyResult, err};
use pyheap_runtime::{ClassSpec, Kind, Member, Obj};

const PRELUDE: &str = r#"
def _from_iterable(iterables):
    for it in iterables:
        yield from it

def cycle(iterable):
    seen = []
    for x in iterable:
        yield x
        seen.append(x)
    while seen:
        yield from seen

def accumulate(iterable, func=None, *, initial=None):
    it = iter(iterable)
    total = initial
    if initial is None:
        for total in it:
            break
        else:
            return
    yield total
    for x in it:
        total = total + x if func is None else func(total, x)
        yield total

def zip_longest(*iterables, fillvalue=None):
    its = [iter(i) for i in iterables]
    live = len(its)
    if not live:
        return
    while True:
        row = []
        for k in range(len(its)):
            it = its[k]
            if it is None:
                row.append(fillvalue)
                continue
            for v in it:
                row.append(v)
                break
            else:
                its[k] = None
                live -= 1
                if not live:
                    return
                row.append(fillvalue)
        yield tuple(row)

def starmap(function, iterable):
    for args in iterable:
        yield function(*args)

def takewhile(predicate, iterable):
    for x in iterable:
        if not predicate(x):
            return
        yield x

def dropwhile(predicate, iterable):
    it = iter(iterable)
    for x in it:
        if not predicate(x):
            yield x
            break
    yield from it

def product(*iterables, repeat=1):
    pools = [tuple(p) for p in iterables] * repeat
    rows = [()]
    for pool in pools:
        rows = [r + (v,) for r in rows for v in pool]
    yield from rows

def permutations(iterable, r=None):
    pool = tuple(iterable)
    n = len(pool)
    r = n if r is None else r
    if r > n:
        return
    def grow(prefix, left):
        if len(prefix) == r:
            yield tuple(pool[i] for i in prefix)
            return
        for k in range(len(left)):
            yield from grow(prefix + [left[k]], left[:k] + left[k + 1:])
    yield from grow([], list(range(n)))

def combinations(iterable, r):
    pool = tuple(iterable)
    n = len(pool)
    def grow(prefix, start):
        if len(prefix) == r:
            yield tuple(pool[i] for i in prefix)
            return
        for i in range(start, n):
            yield from grow(prefix + [i], i + 1)
    if r <= n:
        yield from grow([], 0)

def compress(data, selectors):
    for d, s in zip(data, selectors):
        if s:
            yield d

def filterfalse(predicate, iterable):
    if predicate is None:
        predicate = bool
    for x in iterable:
        if not predicate(x):
            yield x

def pairwise(iterable):
    it = iter(iterable)
    for a in it:
        for b in it:
            yield a, b
            a = b
        return

class _GroupState:
    # The iterator shared by groupby and its groups: the current key and value, and which
    # group may still read (an older group ends when the groupby moves on).
    def __init__(self, iterable, key):
        self.it = iter(iterable)
        self.keyfunc = key
        self.done = False
        self.have = False
        self.key = self.value = None
        self.gen = 0

    def step(self):
        for v in self.it:
            self.value = v
            self.key = v if self.keyfunc is None else self.keyfunc(v)
            self.have = True
            return True
        self.done = True
        self.have = False
        return False

def _group(state, key, gen):
    while state.gen == gen and state.have and state.key == key:
        v = state.value
        state.have = False
        yield v
        if state.gen != gen or not state.step():
            return

def groupby(iterable, key=None):
    state = _GroupState(iterable, key)
    last = _GroupState
    while True:
        if not state.have:
            if state.done or not state.step():
                return
        # Skip what the previous group left unread.
        while state.gen and state.key == last:
            if not state.step():
                return
        state.gen += 1
        last = state.key
        yield state.key, _group(state, last, state.gen)

def tee(iterable, n=2):
    it = iter(iterable)
    buffers = [[] for _ in range(n)]
    def one(buf):
        while True:
            if not buf:
                for v in it:
                    for b in buffers:
                        b.append(v)
                    break
                else:
                    return
            yield buf.pop(0)
    return tuple(one(b) for b in buffers)

def combinations_with_replacement(iterable, r):
    pool = tuple(iterable)
    n = len(pool)
    def grow(prefix, start):
        if len(prefix) == r:
            yield tuple(pool[i] for i in prefix)
            return
        for i in range(start, n):
            yield from grow(prefix + [i], i)
    if n or not r:
        yield from grow([], 0)
"#;

pub fn make<'h>(ctx: &Ctx<'h>) -> PyResult<'h> {
    let m = ctx.new_module(
        "itertools",
        &[("repeat", repeat), ("count", count), ("islice", islice)],
    )?;
    ctx.run_prelude(&m, PRELUDE, "<itertools>")?;
    let chain = crate::builtins::new_class(
        ctx.heap,
        ClassSpec::new("chain"),
        &[ctx.ty(crate::vm::Ty::Object).obj()],
        "itertools",
    )?;
    chain.setattr("__new__", &ctx.native("__new__", chain_new)?)?;
    let from = ctx.getattr(&m, "_from_iterable")?;
    chain.setattr("from_iterable", &from)?;
    ctx.module_set(&m, "chain", &chain.into_obj())?;
    Ok(m)
}

fn repeat<'h>(ctx: &Ctx<'h>, a: Args<'_, 'h>) -> PyResult<'h> {
    a.check("repeat", 1, 2)?;
    let times = match a.get(1).or_else(|| a.kwarg("times")) {
        None => None,
        Some(t) => Some(int_arg(ctx, t)?.max(0)),
    };
    ctx.new_iter(
        IterKind::Repeat {
            obj: Member::new(&a.pos[0]),
            left: times,
        },
        "repeat",
    )
}

fn int_arg<'h>(ctx: &Ctx<'h>, o: &Obj<'h>) -> PyResult<'h, i64> {
    if !matches!(o.kind(), Kind::Int | Kind::Bool) {
        return err(
            ExcTy::TypeError,
            format!(
                "'{}' object cannot be interpreted as an integer",
                ctx.type_name(o)
            ),
        );
    }
    Ok(o.as_int()?)
}

fn count<'h>(ctx: &Ctx<'h>, a: Args<'_, 'h>) -> PyResult<'h> {
    a.check("count", 0, 2)?;
    let start = match a.get(0).or_else(|| a.kwarg("start")) {
        Some(s) => s.clone(),
        None => ctx.int(0)?,
    };
    let step = match a.get(1).or_else(|| a.kwarg("step")) {
        Some(s) => s.clone(),
        None => ctx.int(1)?,
    };
    for v in [&start, &step] {
        if crate::vm::number::num(v).is_none() {
            return err(ExcTy::TypeError, "a number is required");
        }
    }
    ctx.new_iter(
        IterKind::Count {
            next: Member::new(&start),
            step: Member::new(&step),
        },
        "count",
    )
}

fn chain_new<'h>(ctx: &Ctx<'h>, a: Args<'_, 'h>) -> PyResult<'h> {
    let its = ctx.heap.tuple(a.pos.get(1..).unwrap_or(&[]))?;
    ctx.new_iter(
        IterKind::Chain {
            its: Member::new(&its),
            index: 0,
            cur: None,
        },
        "chain",
    )
}

/// An islice index: None or an int in 0..=sys.maxsize.
fn slice_index<'h>(o: Option<&Obj<'h>>, what: &str) -> PyResult<'h, Option<i64>> {
    match o {
        None => Ok(None),
        Some(v) if v.is_none() => Ok(None),
        Some(v) => match v.kind() {
            Kind::Int | Kind::Bool if v.as_int().is_ok_and(|i| i >= 0) => Ok(Some(v.as_int()?)),
            _ => err(
                ExcTy::ValueError,
                format!("{what} for islice() must be None or an integer: 0 <= x <= sys.maxsize."),
            ),
        },
    }
}

fn islice<'h>(ctx: &Ctx<'h>, a: Args<'_, 'h>) -> PyResult<'h> {
    a.check("islice", 2, 4)?;
    let (start, stop, step) = if a.len() == 2 {
        (None, slice_index(a.get(1), "Stop argument")?, None)
    } else {
        (
            slice_index(a.get(1), "Indices")?,
            slice_index(a.get(2), "Stop argument")?,
            a.get(3).filter(|s| !s.is_none()),
        )
    };
    let step = match step {
        None => 1,
        Some(s) => match s.as_int() {
            Ok(n) if n > 0 && matches!(s.kind(), Kind::Int | Kind::Bool) => n,
            _ => {
                return err(
                    ExcTy::ValueError,
                    "Step for islice() must be a positive integer or None.",
                );
            }
        },
    };
    let it = ctx.iter(&a.pos[0])?;
    ctx.new_iter(
        IterKind::ISlice {
            it: Member::new(&it),
            next: start.unwrap_or(0),
            stop,
            step,
            pos: 0,
        },
        "islice",
    )
}
