//! `pyheap bench refcount|create|deep`: the object runtime next to its baselines.
//!
//! - `refcount`: one handle clone + drop (incref + decref) vs `Rc::clone` + drop (`rc`).
//! - `create`: create N objects of a built-in type in a batch, then drop the batch; ns per object,
//!   vs the `Rc`/`RefCell` equivalent (`rc`) and CPython running the same loop (`cpython`,
//!   `benches/cpython/refcount_bench.py`; its figure includes bytecode dispatch, which CPython's
//!   C-API figure of 38 ns/object does not); and two big-int rows, `(B + i) * 12345` for a
//!   159-bit and a 999-bit `B`, vs CPython only; then the rows of [`super::interp`]: user
//!   objects vs `Rc<RefCell<_>>` and big-int loops vs CPython.
//! - `deep`: drop 1M- and 5M-deep chains of lists, tuples, dicts and instances (deallocation
//!   without recursion) vs CPython doing the same, ns per level; the first depth's list and
//!   instance chains again with the allocator keeping up to 256 emptied arenas mapped
//!   (`Heap::set_keep_empty_arenas`, a tunable; the other rows use CPython's policy); and the 1M
//!   list chain vs nested `Rc<RefCell<Vec<_>>>` (whose recursive drop needs a 2 GiB thread stack).

use super::{Comparison, cpu_ns_per_op, median, median_ns_per_op, python_ns};
use crate::benchkit::objects::{
    BIGINT_KINDS, CREATE_KINDS, CreateCtx, DEEP_KINDS, RcVal, create_one, deep_chain, quiet_heap,
    rc_create_one, rc_deep_list,
};
use pyheap::runtime::{Class, ClassSpec, Heap, Obj};
use std::cell::RefCell;
use std::hint::black_box;
use std::rc::Rc;

const TWIN: &str = include_str!("../../../benches/cpython/refcount_bench.py");

fn cpython(case: &str, n: usize, reps: usize) -> Option<f64> {
    // `python3 -S -c CODE args` sets sys.argv = ['-c', args...], as the script expects.
    python_ns(&format!(
        "import sys; sys.argv = ['x', '{case}', '{n}', '{reps}']\n{TWIN}"
    ))
    .and_then(|v| v.first().copied())
}

/// `refcount`: clone + drop of a handle vs of an `Rc`.
pub fn refcount(quick: bool) -> Vec<Comparison> {
    let ops = if quick { 200_000 } else { 10_000_000 };
    let reps = if quick { 3 } else { 11 };
    let heap = Heap::new();
    let l = heap.list(&[]).expect("list");
    let obj: Obj<'_> = l.obj();
    let ours = median_ns_per_op(reps, ops, || {
        for _ in 0..ops {
            black_box(black_box(&obj).clone());
        }
    });
    let rc = Rc::new(RefCell::new(Vec::<u64>::new()));
    let base = median_ns_per_op(reps, ops, || {
        for _ in 0..ops {
            black_box(black_box(&rc).clone());
        }
    });
    vec![Comparison::new(
        "refcount",
        "clone_drop",
        ours,
        "rc",
        Some(base),
    )]
}

fn create_ours(heap: &Heap, kind: &str, n: usize, reps: usize) -> f64 {
    let ctx = CreateCtx::new(heap).expect("class and key");
    let mut batch: Vec<Obj<'_>> = Vec::with_capacity(n);
    median_ns_per_op(reps, n, || {
        for i in 0..n as i64 {
            batch.push(create_one(heap, &ctx, kind, i).expect("known kind"));
        }
        batch.clear();
    })
}

fn create_rc(kind: &str, n: usize, reps: usize) -> f64 {
    let name: Rc<str> = Rc::from("k");
    let mut batch: Vec<RcVal> = Vec::with_capacity(n);
    median_ns_per_op(reps, n, || {
        for i in 0..n as i64 {
            batch.push(black_box(rc_create_one(&name, kind, i)));
        }
        batch.clear();
    })
}

/// `create`: each built-in created and dropped in batches of 10k.
pub fn create(quick: bool) -> Vec<Comparison> {
    let n = 10_000;
    let reps = if quick { 3 } else { 21 };
    let heap = Heap::new();
    // Automatic collection off, as in the CPython twin (`gc.disable()`) and CPython's C-API
    // reference figure: with it on, a batch of 10k live containers triggers gen-0 collections
    // that only the pyheap side paid for.
    heap.gc().disable();
    let mut rows = Vec::new();
    for kind in CREATE_KINDS {
        let case = format!("create_{kind}");
        let ours = create_ours(&heap, kind, n, reps);
        rows.push(Comparison::new(
            "create",
            &case,
            ours,
            "rc",
            Some(create_rc(kind, n, reps)),
        ));
        rows.push(Comparison::new(
            "create",
            &case,
            ours,
            "cpython",
            cpython(&case, n, reps),
        ));
    }
    // Big ints: the same arithmetic loop in CPython (no Rc twin: Rust has no bigint in std).
    for kind in BIGINT_KINDS {
        let case = format!("create_{kind}");
        let ours = create_ours(&heap, kind, n, reps);
        rows.push(Comparison::new(
            "create",
            &case,
            ours,
            "cpython",
            cpython(&case, n, reps),
        ));
    }
    rows.extend(super::interp::rows(&heap, quick));
    rows
}

/// Thread CPU time of `drop(x)`, in ns per level of a `depth`-deep chain.
fn time_drop<T>(x: T, depth: usize) -> f64 {
    cpu_ns_per_op(depth, || drop(x))
}

/// One `bench deep` row: `reps` alternating rounds of building a `depth`-deep chain of `kind`
/// and timing its drop, against CPython's twin (`deep_<kind>`); the spread goes to stderr.
fn deep_row(
    heap: &Heap,
    class: &Class<'_>,
    kind: &str,
    depth: usize,
    reps: usize,
    case: &str,
) -> Comparison {
    let (mut ours, mut base) = (Vec::new(), Vec::new());
    for _ in 0..reps {
        let x = deep_chain(heap, Some(class), kind, depth).expect("chain");
        ours.push(time_drop(x, depth));
        if let Some(b) = cpython(&format!("deep_{kind}"), depth, 1) {
            base.push(b);
        }
    }
    eprintln!("{case}: ours {}, cpython {}", spread(&ours), spread(&base));
    let b = (base.len() == reps).then(|| median(&mut base));
    Comparison::new("deep", case, median(&mut ours), "cpython", b)
}

/// `deep`: drop of 1M- and 5M-deep chains of lists, tuples, dicts and instances (ns per level,
/// thread CPU time of the drop only), alternating rounds with CPython (`python3 -S`, the twin's
/// `deep_<kind>`), medians; the spread (min–max of each side) goes to stderr. Plus the first
/// depth's list chain vs nested `Rc` (whose recursive drop needs a 2 GiB thread stack).
pub fn deep(quick: bool) -> Vec<Comparison> {
    let depths: &[(usize, &str, usize)] = if quick {
        &[(100_000, "100k", 3)]
    } else {
        &[(1_000_000, "1m", 5), (5_000_000, "5m", 3)]
    };
    let heap = quiet_heap();
    let class = heap.new_class(ClassSpec::new("C")).expect("class");
    let mut rows = Vec::new();
    for &(depth, label, reps) in depths {
        for kind in DEEP_KINDS {
            let case = format!("deep_{kind}_{label}");
            rows.push(deep_row(&heap, &class, kind, depth, reps, &case));
        }
    }
    // The allocator tunable that keeps emptied arenas mapped (default 0: CPython's policy, which
    // the rows above use): the same drops with up to KEEP empty arenas kept, so the drop does
    // not unmap the ~80–100 arenas a 1M chain empties (nor the rebuild map them again).
    const KEEP: u32 = 256;
    let (depth, label, reps) = depths[0];
    heap.set_keep_empty_arenas(KEEP);
    for kind in ["list", "instance"] {
        let case = format!("deep_{kind}_{label}_keep{KEEP}");
        rows.push(deep_row(&heap, &class, kind, depth, reps, &case));
    }
    heap.set_keep_empty_arenas(0);
    let rc = std::thread::Builder::new()
        .stack_size(1 << 31)
        .spawn(move || {
            let mut v: Vec<f64> = (0..reps)
                .map(|_| time_drop(rc_deep_list(depth), depth))
                .collect();
            median(&mut v)
        })
        .ok()
        .and_then(|h| h.join().ok());
    let mut v: Vec<f64> = (0..reps)
        .map(|_| {
            time_drop(
                deep_chain(&heap, None, "list", depth).expect("lists"),
                depth,
            )
        })
        .collect();
    let case = format!("deep_list_{label}");
    rows.push(Comparison::new("deep", &case, median(&mut v), "rc", rc));
    rows
}

/// `min–max` of a sample (ns per level), for the spread line.
fn spread(v: &[f64]) -> String {
    if v.is_empty() {
        return "n/a".into();
    }
    let lo = v.iter().copied().fold(f64::INFINITY, f64::min);
    let hi = v.iter().copied().fold(0.0, f64::max);
    format!("{lo:.1}–{hi:.1} ns/level")
}
