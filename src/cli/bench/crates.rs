//! `pyheap bench crates`: our heap next to the Rust memory managers a user would pick instead —
//! `Rc` (no collector), rust-cc (a Bacon–Rajan style cycle collector over refcounts), dumpster
//! (refcounts plus a cycle search from dropped-to-nonzero pointers) and gc-arena (an incremental
//! mark-and-sweep tracing arena) — on the same graph shapes, in the same run.
//!
//! Every library builds the same kind of node: a mutable list of references to other nodes (ours:
//! a `list`; the crates: `RefCell<Vec<ptr>>` in their pointer, `RefLock<Vec<Gc>>` for gc-arena).
//! The cases (`n` = 1M, 100k with `--quick`):
//!
//! | case | what is timed | unit |
//! |---|---|---|
//! | `dead_pairs` | drop a holder of `n` two-node cycles, then one collection | ns per freed node |
//! | `ring` | drop the only handle to an `n`-node ring, then one collection | ns per node |
//! | `live_flat` | the first collection of a root holding `n` leaves (nothing to free) | ns per node |
//! | `live_chain` | the first collection of a live `n`-long chain | ns per node |
//! | `churn` | create `n` nodes (each holding one edge) in batches of 1000, drop each batch, with each library's automatic collection on | ns per node |
//! | `dumpster_churn` | 50 root slots, `n` seeded random operations (new node, add an edge, clear edges, copy a slot; cycles form), then drop all and collect | ns per operation |
//! | `chain_drop` | drop the head of an acyclic `n`-long chain (gc-arena: unroot it, then a collection) | ns per node |
//!
//! Nodes are handed over the way ordinary code does it: made, stored through a clone, and the local
//! handle dropped; for refcounting collectors that drop (to a nonzero count) makes the node a
//! cycle candidate, which is what their collections then examine. `Rc` cannot free a cycle, so its
//! twins close cycles with a `Weak` edge (dropping an `Rc` ring is then dropping an `n`-long chain),
//! its `live_*` rows have no collection to time, and in `dumpster_churn` it leaks the cycles.
//!
//! Each (case, library, round) runs in a child process (`pyheap bench crates` re-executed with
//! [`CHILD_ENV`] set), so the libraries do not share an allocator state, rounds of the libraries
//! alternate, and a recursive drop that overflows the 8 MiB main-thread stack is reported as
//! "stack overflow" in its row instead of killing the bench. Times are thread CPU time; each row
//! is the median of the rounds, with the min–max spread of both sides in its note.

use super::Comparison;
use crate::benchkit::cpu_time::thread_cpu_ns;
use pyheap::runtime::{Heap, List};
use std::cell::RefCell;
use std::process::Command;
use std::rc::{Rc, Weak};

/// Set in a child's environment: `CASE LIB N` (one round of one case for one library).
pub const CHILD_ENV: &str = "PYHEAP_BENCH_CRATES_CHILD";

/// The cases, in output order.
pub const CASES: [&str; 7] = [
    "dead_pairs",
    "ring",
    "live_flat",
    "live_chain",
    "churn",
    "dumpster_churn",
    "chain_drop",
];

/// The libraries, ours first.
pub const LIBS: [&str; 5] = ["pyheap", "rc", "rust-cc", "dumpster", "gc-arena"];

/// Root slots of `dumpster_churn` (as in dumpster's own benchmark).
const SLOTS: usize = 50;
/// Batch size of `churn`.
const BATCH: usize = 1000;

/// What one child round reports.
#[derive(Debug, Clone, PartialEq)]
pub enum Outcome {
    /// ns per unit of the case.
    Ns(f64),
    /// The library has nothing to run for this case (e.g. `Rc` has no collector).
    NotApplicable(&'static str),
    /// The child died of a stack overflow.
    StackOverflow,
    /// The child failed otherwise (status and last stderr line).
    Failed(String),
}

/// The operations the generic cases need from a reference-counted library.
trait Graph {
    type Node: Clone;
    /// A node holding `item` (or nothing).
    fn node(&self, item: Option<&Self::Node>) -> Self::Node;
    /// `a.push(b)`.
    fn push(&self, a: &Self::Node, b: &Self::Node);
    /// `a.push(b)` for an edge that closes a cycle (`Rc`: a `Weak`).
    fn push_back(&self, a: &Self::Node, b: &Self::Node) {
        self.push(a, b)
    }
    /// `a.clear()`.
    fn clear(&self, a: &Self::Node);
    /// One full collection; `None` when the library has none.
    fn collect(&self) -> Option<()>;
}

// ---- ours ----

struct Ours<'h>(&'h Heap);

impl<'h> Graph for Ours<'h> {
    type Node = List<'h>;
    fn node(&self, item: Option<&List<'h>>) -> List<'h> {
        match item {
            Some(x) => self.0.list(&[x.obj()]),
            None => self.0.list(&[]),
        }
        .expect("list")
    }
    fn push(&self, a: &List<'h>, b: &List<'h>) {
        a.append(b).expect("append")
    }
    fn clear(&self, a: &List<'h>) {
        a.clear()
    }
    fn collect(&self) -> Option<()> {
        self.0.gc().collect(2).expect("collect");
        Some(())
    }
}

// ---- Rc ----

enum RcEdge {
    Strong(#[allow(dead_code)] Rc<RcNode>),
    Weak(#[allow(dead_code)] Weak<RcNode>),
}

struct RcNode {
    items: RefCell<Vec<RcEdge>>,
}

struct RcLib;

impl Graph for RcLib {
    type Node = Rc<RcNode>;
    fn node(&self, item: Option<&Rc<RcNode>>) -> Rc<RcNode> {
        Rc::new(RcNode {
            items: RefCell::new(
                item.map(|x| RcEdge::Strong(x.clone()))
                    .into_iter()
                    .collect(),
            ),
        })
    }
    fn push(&self, a: &Rc<RcNode>, b: &Rc<RcNode>) {
        a.items.borrow_mut().push(RcEdge::Strong(b.clone()))
    }
    fn push_back(&self, a: &Rc<RcNode>, b: &Rc<RcNode>) {
        a.items.borrow_mut().push(RcEdge::Weak(Rc::downgrade(b)))
    }
    fn clear(&self, a: &Rc<RcNode>) {
        // Moved out first so the items drop after the borrow ends (a node may hold itself).
        let old = std::mem::take(&mut *a.items.borrow_mut());
        drop(old);
    }
    fn collect(&self) -> Option<()> {
        None
    }
}

// ---- rust-cc ----

#[derive(rust_cc::Trace, rust_cc::Finalize)]
struct CcNode {
    items: RefCell<Vec<rust_cc::Cc<CcNode>>>,
}

struct RustCc;

impl Graph for RustCc {
    type Node = rust_cc::Cc<CcNode>;
    fn node(&self, item: Option<&Self::Node>) -> Self::Node {
        rust_cc::Cc::new(CcNode {
            items: RefCell::new(item.cloned().into_iter().collect()),
        })
    }
    fn push(&self, a: &Self::Node, b: &Self::Node) {
        a.items.borrow_mut().push(b.clone())
    }
    fn clear(&self, a: &Self::Node) {
        let old = std::mem::take(&mut *a.items.borrow_mut());
        drop(old);
    }
    fn collect(&self) -> Option<()> {
        rust_cc::collect_cycles();
        Some(())
    }
}

// ---- dumpster ----

#[derive(dumpster::Trace)]
struct DNode {
    items: RefCell<Vec<dumpster::unsync::Gc<DNode>>>,
}

struct Dumpster;

impl Graph for Dumpster {
    type Node = dumpster::unsync::Gc<DNode>;
    fn node(&self, item: Option<&Self::Node>) -> Self::Node {
        dumpster::unsync::Gc::new(DNode {
            items: RefCell::new(item.cloned().into_iter().collect()),
        })
    }
    fn push(&self, a: &Self::Node, b: &Self::Node) {
        a.items.borrow_mut().push(b.clone())
    }
    fn clear(&self, a: &Self::Node) {
        let old = std::mem::take(&mut *a.items.borrow_mut());
        drop(old);
    }
    fn collect(&self) -> Option<()> {
        dumpster::unsync::collect();
        Some(())
    }
}

// ---- the generic cases ----

/// Thread CPU ns of `f`.
fn timed(f: impl FnOnce()) -> f64 {
    let t = thread_cpu_ns();
    f();
    (thread_cpu_ns() - t) as f64
}

/// A holder of `n` pairs `a → b`, `b ⇢ a`.
fn pairs<G: Graph>(g: &G, n: usize) -> G::Node {
    let holder = g.node(None);
    for _ in 0..n {
        let a = g.node(None);
        let b = g.node(None);
        g.push(&a, &b);
        g.push_back(&b, &a);
        g.push(&holder, &a);
    }
    holder
}

/// An `n`-node ring, returned by its first node.
fn ring<G: Graph>(g: &G, n: usize) -> G::Node {
    let first = g.node(None);
    let mut cur = first.clone();
    for _ in 1..n {
        let next = g.node(None);
        g.push(&cur, &next);
        cur = next;
    }
    g.push_back(&cur, &first);
    first
}

/// An `n`-long acyclic chain, returned by its head (each node holds the one made before it).
fn chain<G: Graph>(g: &G, n: usize) -> G::Node {
    let mut prev = g.node(None);
    for _ in 1..n {
        let x = g.node(None);
        g.push(&x, &prev);
        prev = x;
    }
    prev
}

/// xorshift64*: the seeded operation stream of `dumpster_churn` (the same on every library).
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
}

/// One operation of `dumpster_churn`, as indices: (op 0–3, slot i, slot j).
fn churn_op(r: &mut Rng) -> (u64, usize, usize) {
    let x = r.next();
    (
        x & 3,
        ((x >> 8) % SLOTS as u64) as usize,
        ((x >> 24) % SLOTS as u64) as usize,
    )
}

/// Runs `case` once on a reference-counted library; the process exits right after (nothing of the
/// graph is torn down outside the timed region, so an untimed recursive drop cannot overflow).
fn run_graph<G: Graph>(g: &G, case: &str, n: usize) -> Outcome {
    let ns = match case {
        "dead_pairs" => {
            let holder = pairs(g, n);
            timed(|| {
                drop(holder);
                g.collect();
            }) / (2 * n) as f64
        }
        "ring" => {
            let first = ring(g, n);
            timed(|| {
                drop(first);
                g.collect();
            }) / n as f64
        }
        "live_flat" | "live_chain" => {
            let root = if case == "live_flat" {
                let root = g.node(None);
                for _ in 0..n {
                    let x = g.node(None);
                    g.push(&root, &x);
                }
                root
            } else {
                chain(g, n)
            };
            let mut ran = None;
            let ns = timed(|| ran = g.collect());
            std::mem::forget(root);
            if ran.is_none() {
                return Outcome::NotApplicable("no collector");
            }
            ns / n as f64
        }
        "churn" => {
            let keep = g.node(None);
            let mut batch = Vec::with_capacity(BATCH);
            let ns = timed(|| {
                for _ in 0..n / BATCH {
                    for _ in 0..BATCH {
                        batch.push(g.node(Some(&keep)));
                    }
                    batch.clear();
                }
            });
            ns / (n / BATCH * BATCH) as f64
        }
        "dumpster_churn" => {
            let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
            let mut slots: Vec<G::Node> = (0..SLOTS).map(|_| g.node(None)).collect();
            let ns = timed(|| {
                for _ in 0..n {
                    let (op, i, j) = churn_op(&mut rng);
                    match op {
                        0 => slots[i] = g.node(None),
                        1 => g.push(&slots[i], &slots[j]),
                        2 => g.clear(&slots[i]),
                        _ => slots[i] = slots[j].clone(),
                    }
                }
                slots.clear();
                g.collect();
            });
            ns / n as f64
        }
        "chain_drop" => {
            let head = chain(g, n);
            timed(|| drop(head)) / n as f64
        }
        other => return Outcome::Failed(format!("unknown case {other}")),
    };
    Outcome::Ns(ns)
}

// ---- gc-arena ----

mod arena {
    //! The gc-arena twins of the cases: nodes live only inside `mutate` callbacks, reachable from
    //! the arena's root; a collection is `finish_cycle` (a full mark and sweep).

    use super::{BATCH, Outcome, Rng, SLOTS, churn_op, timed};
    use gc_arena::{Arena, Collect, Gc, Mutation, RefLock, Rootable};

    #[derive(Collect)]
    #[collect(no_drop)]
    pub struct Items<'gc>(Vec<Node<'gc>>);

    type Node<'gc> = Gc<'gc, RefLock<Items<'gc>>>;

    #[derive(Collect)]
    #[collect(no_drop)]
    pub struct Root<'gc> {
        holder: Option<Node<'gc>>,
        slots: Vec<Node<'gc>>,
        batch: Vec<Node<'gc>>,
    }

    type GaArena = Arena<Rootable![Root<'_>]>;

    fn node<'gc>(mc: &Mutation<'gc>, item: Option<Node<'gc>>) -> Node<'gc> {
        Gc::new(mc, RefLock::new(Items(item.into_iter().collect())))
    }

    fn new_arena() -> GaArena {
        Arena::new(|_| Root {
            holder: None,
            slots: Vec::new(),
            batch: Vec::new(),
        })
    }

    /// Drop the holder, then one full collection: the timed region of the `dead_*`, `ring` and
    /// `chain_drop` cases.
    fn unroot_and_collect(a: &mut GaArena) -> f64 {
        timed(|| {
            a.mutate_root(|_, r| r.holder = None);
            a.finish_cycle();
        })
    }

    pub fn run(case: &str, n: usize) -> Outcome {
        let mut a = new_arena();
        let ns = match case {
            "dead_pairs" => {
                a.mutate_root(|mc, r| {
                    let holder = node(mc, None);
                    for _ in 0..n {
                        let x = node(mc, None);
                        let y = node(mc, Some(x));
                        x.borrow_mut(mc).0.push(y);
                        holder.borrow_mut(mc).0.push(x);
                    }
                    r.holder = Some(holder);
                });
                unroot_and_collect(&mut a) / (2 * n) as f64
            }
            "ring" => {
                a.mutate_root(|mc, r| {
                    let first = node(mc, None);
                    let mut cur = first;
                    for _ in 1..n {
                        let next = node(mc, None);
                        cur.borrow_mut(mc).0.push(next);
                        cur = next;
                    }
                    cur.borrow_mut(mc).0.push(first);
                    r.holder = Some(first);
                });
                unroot_and_collect(&mut a) / n as f64
            }
            "live_flat" | "live_chain" => {
                a.mutate_root(|mc, r| {
                    let root = if case == "live_flat" {
                        let root = node(mc, None);
                        for _ in 0..n {
                            let x = node(mc, None);
                            root.borrow_mut(mc).0.push(x);
                        }
                        root
                    } else {
                        chain(mc, n)
                    };
                    r.holder = Some(root);
                });
                timed(|| a.finish_cycle()) / n as f64
            }
            "churn" => {
                a.mutate_root(|mc, r| r.holder = Some(node(mc, None)));
                let ns = timed(|| {
                    for _ in 0..n / BATCH {
                        a.mutate_root(|mc, r| {
                            let keep = r.holder;
                            for _ in 0..BATCH {
                                r.batch.push(node(mc, keep));
                            }
                            r.batch.clear();
                        });
                        a.collect_debt();
                    }
                });
                ns / (n / BATCH * BATCH) as f64
            }
            "dumpster_churn" => {
                a.mutate_root(|mc, r| r.slots = (0..SLOTS).map(|_| node(mc, None)).collect());
                let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
                let ns = timed(|| {
                    let mut left = n;
                    while left > 0 {
                        let k = left.min(BATCH);
                        a.mutate_root(|mc, r| {
                            for _ in 0..k {
                                let (op, i, j) = churn_op(&mut rng);
                                match op {
                                    0 => r.slots[i] = node(mc, None),
                                    1 => {
                                        let t = r.slots[j];
                                        r.slots[i].borrow_mut(mc).0.push(t);
                                    }
                                    2 => r.slots[i].borrow_mut(mc).0.clear(),
                                    _ => r.slots[i] = r.slots[j],
                                }
                            }
                        });
                        a.collect_debt();
                        left -= k;
                    }
                    a.mutate_root(|_, r| r.slots.clear());
                    a.finish_cycle();
                });
                ns / n as f64
            }
            "chain_drop" => {
                a.mutate_root(|mc, r| r.holder = Some(chain(mc, n)));
                unroot_and_collect(&mut a) / n as f64
            }
            other => return Outcome::Failed(format!("unknown case {other}")),
        };
        Outcome::Ns(ns)
    }

    fn chain<'gc>(mc: &Mutation<'gc>, n: usize) -> Node<'gc> {
        let mut prev = node(mc, None);
        for _ in 1..n {
            prev = node(mc, Some(prev));
        }
        prev
    }
}

/// One round of `case` for `lib`, in this process (what a child runs).
pub fn child(case: &str, lib: &str, n: usize) -> Outcome {
    // Collections only where a case asks for one, except `churn` and `dumpster_churn`, which run
    // with each library's automatic collection as a user gets it.
    let auto = matches!(case, "churn" | "dumpster_churn");
    match lib {
        "pyheap" => {
            let heap = Heap::new();
            if !auto {
                heap.gc().disable();
            }
            let out = run_graph(&Ours(&heap), case, n);
            // Exit without tearing the heap down (see `run_graph`).
            std::mem::forget(heap);
            out
        }
        "rc" => run_graph(&RcLib, case, n),
        "rust-cc" => {
            if !auto {
                rust_cc::config::config(|c| c.set_auto_collect(false)).expect("rust-cc config");
            }
            run_graph(&RustCc, case, n)
        }
        "dumpster" => {
            if !auto {
                dumpster::unsync::set_collect_condition(|_| false);
            }
            run_graph(&Dumpster, case, n)
        }
        "gc-arena" => arena::run(case, n),
        other => Outcome::Failed(format!("unknown library {other}")),
    }
}

/// The child entry point: runs the round named by [`CHILD_ENV`] (`CASE LIB N`), prints its
/// outcome on one line (`ns F` or `na WHY`) and exits without tearing anything down.
pub fn child_main(spec: &str) -> ! {
    let parts: Vec<&str> = spec.split_whitespace().collect();
    let out = match parts.as_slice() {
        [case, lib, n] => match n.parse() {
            Ok(n) => child(case, lib, n),
            Err(_) => Outcome::Failed(format!("bad size {n}")),
        },
        _ => Outcome::Failed(format!("bad {CHILD_ENV}: {spec}")),
    };
    match out {
        Outcome::Ns(ns) => println!("ns {ns}"),
        Outcome::NotApplicable(why) => println!("na {why}"),
        Outcome::StackOverflow => println!("na stack overflow"),
        Outcome::Failed(why) => {
            eprintln!("{why}");
            std::process::exit(1)
        }
    }
    std::process::exit(0)
}

/// Runs one round of `case` for `lib` in a child process of the running executable.
pub fn spawn_round(case: &str, lib: &str, n: usize) -> Outcome {
    let exe = match std::env::current_exe() {
        Ok(e) => e,
        Err(e) => return Outcome::Failed(format!("current_exe: {e}")),
    };
    let out = match Command::new(exe)
        .args(["bench", "crates"])
        .env(CHILD_ENV, format!("{case} {lib} {n}"))
        .output()
    {
        Ok(o) => o,
        Err(e) => return Outcome::Failed(format!("spawn: {e}")),
    };
    parse_child(
        out.status.success(),
        &String::from_utf8_lossy(&out.stdout),
        &String::from_utf8_lossy(&out.stderr),
        &format!("{}", out.status),
    )
}

/// A child's outcome from its exit, stdout and stderr. Rust's runtime reports a main-thread
/// stack overflow as "has overflowed its stack" before aborting.
fn parse_child(ok: bool, stdout: &str, stderr: &str, status: &str) -> Outcome {
    if stderr.contains("overflowed its stack") {
        return Outcome::StackOverflow;
    }
    if ok {
        for line in stdout.lines() {
            if let Some(v) = line.strip_prefix("ns ")
                && let Ok(ns) = v.trim().parse()
            {
                return Outcome::Ns(ns);
            }
            if let Some(why) = line.strip_prefix("na ") {
                return match why.trim() {
                    "no collector" => Outcome::NotApplicable("no collector"),
                    _ => Outcome::Failed(why.into()),
                };
            }
        }
    }
    let last = stderr.lines().last().unwrap_or("");
    Outcome::Failed(format!("{status}: {last}"))
}

fn median(v: &[f64]) -> Option<f64> {
    let mut v = v.to_vec();
    v.sort_by(f64::total_cmp);
    (!v.is_empty()).then(|| v[v.len() / 2])
}

fn spread(v: &[f64]) -> String {
    let lo = v.iter().copied().fold(f64::INFINITY, f64::min);
    let hi = v.iter().copied().fold(0.0, f64::max);
    format!("{lo:.1}–{hi:.1}")
}

/// What a library's rounds came to: their ns figures, or why there are none.
fn summary(outs: &[Outcome]) -> (Vec<f64>, Option<String>) {
    let ns: Vec<f64> = outs
        .iter()
        .filter_map(|o| match o {
            Outcome::Ns(v) => Some(*v),
            _ => None,
        })
        .collect();
    let why = outs.iter().find_map(|o| match o {
        Outcome::Ns(_) => None,
        Outcome::NotApplicable(w) => Some((*w).to_string()),
        Outcome::StackOverflow => Some("stack overflow".into()),
        Outcome::Failed(w) => Some(format!("failed: {w}")),
    });
    (ns, why)
}

/// `crates`: every case, rounds alternating between the libraries, each round a child process.
pub fn crates(quick: bool) -> Vec<Comparison> {
    let (n, rounds) = if quick { (100_000, 3) } else { (1_000_000, 5) };
    let mut rows = Vec::new();
    for case in CASES {
        let mut outs: Vec<Vec<Outcome>> = vec![Vec::new(); LIBS.len()];
        for _ in 0..rounds {
            for (k, lib) in LIBS.iter().enumerate() {
                outs[k].push(spawn_round(case, lib, n));
            }
        }
        let (ours, ours_why) = summary(&outs[0]);
        let ours_ns = median(&ours).unwrap_or(f64::NAN);
        for (k, lib) in LIBS.iter().enumerate().skip(1) {
            let (base, why) = summary(&outs[k]);
            let base_ns = if why.is_none() { median(&base) } else { None };
            let mut note = format!("spread ours {}", spread(&ours));
            if let Some(w) = &ours_why {
                note = format!("ours {w}");
            }
            match (&why, base_ns) {
                (Some(w), _) => note.push_str(&format!(", {lib}: {w}")),
                (None, Some(_)) => note.push_str(&format!(", {lib} {}", spread(&base))),
                _ => {}
            }
            if *lib == "rc" && matches!(case, "dead_pairs" | "ring") {
                note.push_str(" (rc: cycle closed by a Weak)");
            }
            if *lib == "rc" && case == "dumpster_churn" {
                note.push_str(" (rc leaks the cycles)");
            }
            rows.push(Comparison::new("crates", case, ours_ns, lib, base_ns).with_note(note));
        }
    }
    rows
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn child_output_is_parsed() {
        assert_eq!(parse_child(true, "ns 12.5\n", "", "0"), Outcome::Ns(12.5));
        assert_eq!(
            parse_child(
                false,
                "",
                "\nthread 'main' has overflowed its stack\nfatal runtime error: stack overflow",
                "signal: 6"
            ),
            Outcome::StackOverflow
        );
        assert_eq!(
            parse_child(true, "na no collector\n", "", "0"),
            Outcome::NotApplicable("no collector")
        );
        assert!(matches!(
            parse_child(false, "", "boom", "exit status: 1"),
            Outcome::Failed(w) if w.contains("boom")
        ));
    }

    /// Every library runs every case on a small graph in this process (no overflow at this size),
    /// and the collecting libraries free the cycles (their `live_*` rows have a figure).
    #[test]
    fn every_case_runs_small() {
        for case in CASES {
            for lib in LIBS {
                let out = child(case, lib, 2000);
                match out {
                    Outcome::Ns(ns) => assert!(ns.is_finite() && ns >= 0.0, "{case} {lib} {ns}"),
                    Outcome::NotApplicable(_) => {
                        assert!(lib == "rc" && case.starts_with("live"), "{case} {lib}")
                    }
                    other => panic!("{case} {lib}: {other:?}"),
                }
            }
        }
    }

    #[test]
    fn rng_ops_cover_all_four() {
        let mut r = Rng(1);
        let mut seen = [false; 4];
        for _ in 0..100 {
            let (op, i, j) = churn_op(&mut r);
            seen[op as usize] = true;
            assert!(i < SLOTS && j < SLOTS);
        }
        assert_eq!(seen, [true; 4]);
    }
}
