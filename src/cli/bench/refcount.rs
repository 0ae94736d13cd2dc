//! `pyheap bench refcount|create|deep`: the object runtime next to its baselines.
//!
//! - `refcount`: one handle clone + drop (incref + decref) vs `Rc::clone` + drop (`rc`).
//! - `create`: create N objects of a built-in type in a batch, then drop the batch; ns per object,
//!   vs the `Rc`/`RefCell` equivalent (`rc`) and CPython running the same loop (`cpython`,
//!   `benches/cpython/refcount_bench.py`; its figure includes bytecode dispatch, which CPython's
//!   C-API figure of 38 ns/object does not); and two big-int rows, `(B + i) * 12345` for a
//!   159-bit and a 999-bit `B`, vs CPython only.
//! - `deep`: drop a 1M-deep `[[[...]]]` chain (the trashcan unwinds it) vs CPython doing the same
//!   and vs nested `Rc<RefCell<Vec<_>>>` (whose recursive drop needs a 2 GiB thread stack).

use super::{Comparison, median_ns_per_op, python_ns};
use pyheap::benchkit::objects::{
    BIGINT_KINDS, CREATE_KINDS, CreateCtx, RcVal, create_one, deep_list, rc_create_one,
    rc_deep_list,
};
use pyheap::runtime::{Heap, Obj};
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
    rows
}

/// `deep`: drop of a 1M-deep nested list.
pub fn deep(quick: bool) -> Vec<Comparison> {
    let depth = if quick { 100_000 } else { 1_000_000 };
    let reps = if quick { 3 } else { 7 };
    let heap = Heap::new();
    let ours = take_deep_median(reps, || {
        let x = deep_list(&heap, depth).expect("lists");
        let t = std::time::Instant::now();
        drop(x);
        t.elapsed().as_nanos() as f64
    });
    let rc = std::thread::Builder::new()
        .stack_size(1 << 31)
        .spawn(move || {
            take_deep_median(reps, || {
                let x = rc_deep_list(depth);
                let t = std::time::Instant::now();
                drop(x);
                t.elapsed().as_nanos() as f64
            })
        })
        .ok()
        .and_then(|h| h.join().ok());
    let case = if quick {
        "deep_drop_100k"
    } else {
        "deep_drop_1m"
    };
    vec![
        Comparison::new(
            "deep",
            case,
            ours,
            "cpython",
            cpython("deep_drop", depth, reps),
        ),
        Comparison::new("deep", case, ours, "rc", rc),
    ]
}

fn take_deep_median(reps: usize, mut f: impl FnMut() -> f64) -> f64 {
    let mut v: Vec<f64> = (0..reps.max(1)).map(|_| f()).collect();
    v.sort_by(f64::total_cmp);
    v[v.len() / 2]
}
