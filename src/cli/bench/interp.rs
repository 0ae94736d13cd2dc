//! `pyheap bench create`, the rows an interpreter's inner loop pays for: its own objects and big
//! ints.
//!
//! - `create_user`: create and drop a [`UserType`] object in batches of 10k — the kind an
//!   interpreter makes for its frames, cells and functions: a GC type (GC head, tracked, weakref
//!   word, the defaults) holding two numbers and one `Member` slot (`None` here) — against
//!   `Rc::new(RefCell::new(..))` of the same Rust struct with an `Option<Rc<..>>` slot (`rc`).
//! - `bigint_fact` / `bigint_fib`: one arithmetic loop that leaves 2**64 behind after a few
//!   steps, run by the runtime's ints (`heap.int_mul` / `heap.int_add`, a fresh int per step as an
//!   interpreter makes them) and by CPython on `python3 -S` (`cpython`): `x = x * i` for `i` in
//!   1..=1000 (1000! has 8,530 bits), and `a, b = b, a + b` 1,000 times (fib(1000), 694 bits).
//!   Both sides time the loop alone with thread CPU time (`time.thread_time_ns` in CPython, the
//!   same `CLOCK_THREAD_CPUTIME_ID`), so process start-up is not in the figure; CPython's figure
//!   includes its bytecode dispatch, which the Rust loop does not pay. CPython also prints the
//!   result, and the row is `n/a` (note "results differ") unless it equals ours.
//!
//! Rounds alternate (ours, then CPython in a fresh `python3 -S`), the row is each side's median
//! in ns per object (per step for the loops), and the note gives both sides' min–max spread.
//!
//! ```text
//!   round k:  ours: t0 = cpu(); LOOP × REPEAT; (cpu() − t0) / (steps × REPEAT)
//!             cpython: the same, in-process; prints ns/step and the loop's result
//! ```

use super::{Comparison, cpu_ns_per_op, median};
use pyheap::runtime::{Heap, Member, Obj, RuntimeError, UserType, Visitor};
use std::cell::RefCell;
use std::hint::black_box;
use std::rc::Rc;

/// An interpreter-style heap object: two numbers and one reference slot.
pub struct Node {
    #[allow(dead_code)] // stored to be allocated and dropped, never read
    a: i64,
    #[allow(dead_code)]
    b: i64,
    next: Option<Member>,
}

impl UserType for Node {
    const NAME: &'static str = "Node";
    fn traverse(&self, v: &mut Visitor<'_>) {
        v.visit_opt(&self.next);
    }
    fn clear(&mut self) {
        self.next = None;
    }
}

/// The `Rc` twin of [`Node`].
#[allow(dead_code)] // fields exist to be allocated and dropped, never read
struct RcNode {
    a: i64,
    b: i64,
    next: Option<Rc<RefCell<RcNode>>>,
}

/// Median and `min–max` of a sample.
fn median_spread(v: &mut [f64]) -> (f64, String) {
    let m = median(v); // sorted now
    (m, format!("{:.1}–{:.1}", v[0], v[v.len() - 1]))
}

/// One round of `create_user`: `n` objects created into a batch, then the batch dropped.
fn user_round<'h>(heap: &'h Heap, batch: &mut Vec<Obj<'h>>, n: usize) -> Result<f64, RuntimeError> {
    let mut err = None;
    let ns = cpu_ns_per_op(n, || {
        for i in 0..n as i64 {
            match heap.new_user(Node {
                a: i,
                b: i,
                next: None,
            }) {
                Ok(u) => batch.push(u.into_obj()),
                Err(e) => {
                    err = Some(e);
                    break;
                }
            }
        }
        batch.clear();
    });
    err.map_or(Ok(ns), Err)
}

fn rc_round(batch: &mut Vec<Rc<RefCell<RcNode>>>, n: usize) -> f64 {
    cpu_ns_per_op(n, || {
        for i in 0..n as i64 {
            batch.push(black_box(Rc::new(RefCell::new(RcNode {
                a: i,
                b: i,
                next: None,
            }))));
        }
        batch.clear();
    })
}

/// The `create_user` row.
fn create_user(heap: &Heap, rounds: usize) -> Result<Comparison, RuntimeError> {
    let n = 10_000;
    let mut batch = Vec::with_capacity(n);
    let mut rc_batch = Vec::with_capacity(n);
    // One warm-up round each: the type is registered, the pools and the batch are in place.
    user_round(heap, &mut batch, n)?;
    rc_round(&mut rc_batch, n);
    let (mut ours, mut base) = (Vec::new(), Vec::new());
    for _ in 0..rounds {
        ours.push(user_round(heap, &mut batch, n)?);
        base.push(rc_round(&mut rc_batch, n));
    }
    let (o, os) = median_spread(&mut ours);
    let (b, bs) = median_spread(&mut base);
    Ok(Comparison::new("create", "create_user", o, "rc", Some(b))
        .with_note(format!("spread: ours {os}, rc {bs} ns")))
}

/// A big-int loop, in Rust on the heap and as the Python source CPython runs.
struct Loop {
    case: &'static str,
    /// Steps (multiplications or additions) per run of the loop.
    steps: usize,
    /// The same loop in Python, leaving its result in `r` (`N` = steps).
    python: &'static str,
    rust: for<'h> fn(&'h Heap, usize) -> Result<Obj<'h>, RuntimeError>,
}

/// `x = 1; for i in range(1, n + 1): x = x * i`.
fn fact(heap: &Heap, n: usize) -> Result<Obj<'_>, RuntimeError> {
    let mut x = heap.int(1)?;
    for i in 1..=n as i64 {
        x = heap.int_mul(&x, &heap.int(i)?)?;
    }
    Ok(x)
}

/// `a, b = 0, 1; for _ in range(n): a, b = b, a + b` (returns `a`, fib(n)).
fn fib(heap: &Heap, n: usize) -> Result<Obj<'_>, RuntimeError> {
    let (mut a, mut b) = (heap.int(0)?, heap.int(1)?);
    for _ in 0..n {
        let c = heap.int_add(&a, &b)?;
        a = std::mem::replace(&mut b, c);
    }
    Ok(a)
}

const LOOPS: [Loop; 2] = [
    Loop {
        case: "bigint_fact",
        steps: 1000,
        python: "x = 1\n    for i in range(1, N + 1):\n        x = x * i\n    r = x",
        rust: fact,
    },
    Loop {
        case: "bigint_fib",
        steps: 1000,
        python: "a, b = 0, 1\n    for _ in range(N):\n        a, b = b, a + b\n    r = a",
        rust: fib,
    },
];

/// The CPython side of one round: ns per step (thread CPU time of the loop only) and the result
/// in hex (decimal would meet CPython's 4,300-digit `int` → `str` limit for longer loops).
fn cpython_round(l: &Loop, repeat: usize) -> Option<(f64, String)> {
    let code = format!(
        "import time\nN = {n}\ndef run():\n    {body}\n    return r\n\
         run()\nt = time.thread_time_ns()\nfor _ in range({repeat}):\n    r = run()\n\
         print((time.thread_time_ns() - t) / ({n} * {repeat}))\nprint(hex(r))\n",
        n = l.steps,
        body = l.python,
    );
    let out = std::process::Command::new("python3")
        .args(["-S", "-c", &code])
        .output()
        .ok()?;
    if !out.status.success() {
        return None;
    }
    let text = String::from_utf8(out.stdout).ok()?;
    let mut lines = text.lines();
    let ns = lines.next()?.trim().parse().ok()?;
    Some((ns, lines.next()?.trim().to_string()))
}

/// `hex(x)` of a non-negative int, as Python prints it.
fn hex(x: &Obj<'_>) -> Result<String, RuntimeError> {
    Ok(format!("{:#x}", x.int_value()?.to_bigint()))
}

fn loop_row(
    heap: &Heap,
    l: &Loop,
    rounds: usize,
    repeat: usize,
) -> Result<Comparison, RuntimeError> {
    let result = hex(&(l.rust)(heap, l.steps)?)?; // also the warm-up
    let (mut ours, mut base) = (Vec::new(), Vec::new());
    let mut same = true;
    for _ in 0..rounds {
        let mut err = None;
        ours.push(cpu_ns_per_op(l.steps * repeat, || {
            for _ in 0..repeat {
                match (l.rust)(heap, l.steps) {
                    Ok(x) => drop(black_box(x)),
                    Err(e) => err = Some(e),
                }
            }
        }));
        if let Some(e) = err {
            return Err(e);
        }
        if let Some((ns, r)) = cpython_round(l, repeat) {
            same &= r == result;
            base.push(ns);
        }
    }
    let (o, os) = median_spread(&mut ours);
    if base.len() < rounds {
        return Ok(Comparison::new("create", l.case, o, "cpython", None)
            .with_note(format!("spread: ours {os} ns; python3 -S unavailable")));
    }
    let (b, bs) = median_spread(&mut base);
    if !same {
        return Ok(Comparison::new("create", l.case, o, "cpython", None)
            .with_note("results differ from CPython's".into()));
    }
    Ok(Comparison::new("create", l.case, o, "cpython", Some(b))
        .with_note(format!("spread: ours {os}, cpython {bs} ns")))
}

/// The rows of this module, for `bench create`.
pub fn rows(heap: &Heap, quick: bool) -> Vec<Comparison> {
    let (rounds, repeat) = if quick { (3, 2) } else { (11, 20) };
    let mut rows = vec![create_user(heap, rounds).expect("user objects")];
    for l in &LOOPS {
        rows.push(loop_row(heap, l, rounds, repeat).expect("big-int loop"));
    }
    rows
}
