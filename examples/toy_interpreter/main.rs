//! A toy Lisp whose values, environments and closures all live in the heap — and the cycle
//! collector reclaiming the closures that capture their own environment.
//!
//! `cargo run --release --example toy_interpreter [-- --quick | FILE | --repl]`
//!
//! ```text
//!   source ──parse.rs──▶ AST (Rc'd Rust data) ──eval.rs──▶ values in the Heap
//!                                                            ints, lists: built-in objects
//!                                                            Env, Closure, Prim: user types
//! ```
//!
//! A function that defines a local recursive helper,
//!
//! ```text
//!   (define (sum-to n)
//!     (define (loop i acc) (if (> i n) acc (loop (+ i 1) (+ acc i))))
//!     (loop 1 0))
//! ```
//!
//! creates on every call a frame `E` (an `Env` and its dict) and a closure `loop` whose
//! environment is `E`, while `E` binds `"loop"` to the closure: `E ⇄ loop`. When the call returns
//! nothing outside points at them, but each still has a reference from the other, so reference
//! counting never frees them. That is exactly CPython's situation with a nested recursive
//! function (its cell points at the function, the function's closure at the cell) — the cycle
//! collector is what reclaims them.
//!
//! The interpreter owns its heap: [`eval::Interp`] holds the global frame as a `Root` (an
//! `Rc<Heap>` plus a strong reference), so it is an ordinary value that a REPL embedded in an
//! application can keep in a struct and drop; dropping the last owner tears the heap down.
//! Numbers are the heap's ints, so `(fact 30)` promotes to a big int and `=`/`<` compare big
//! ints exactly (`(< (fact 20) (fact 21))`).
//!
//! Modes: no argument runs the built-in demo (then the cycle demonstration); a file path runs
//! that program; `--repl` reads forms from stdin (`(collect)` and `(live)` are built-ins).

mod eval;
mod parse;
mod value;

use eval::Interp;
use pyheap::runtime::Heap;
use std::io::{BufRead, Write};
use std::rc::Rc;

const DEMO: &str = r#"
; recursion, closures, lists
(define (fib n) (if (< n 2) n (+ (fib (- n 1)) (fib (- n 2)))))
(fib 20)
(define (make-counter)
  (let ((n 0))
    (lambda () (set! n (+ n 1)) n)))
(define counter (make-counter))
(begin (counter) (counter) (counter))
(define (map f xs) (if (null? xs) (list) (cons (f (car xs)) (map f (cdr xs)))))
(map (lambda (x) (* x x)) (list 1 2 3 4 5))
(define (fact n) (if (= n 0) 1 (* n (fact (- n 1)))))
(fact 20)
(fact 30) ; past i64: ints promote to big ints in the same heap object
; big ints compare exactly, also against literals past i64
(< (fact 20) (fact 21) (fact 22))
(= (fact 25) 15511210043330985984000000)
(> (* 9223372036854775807 2) 18446744073709551613)
(= (+ 18446744073709551616 1) 18446744073709551616)
; a local recursive helper: every call leaves a frame <-> closure cycle behind
(define (sum-to n)
  (define (loop i acc) (if (> i n) acc (loop (+ i 1) (+ acc i))))
  (loop 1 0))
(sum-to 100)
"#;

/// Run every form of `src`, printing `SRC = VALUE` for forms that produce a value.
fn run(interp: &Interp, src: &str) -> Result<(), String> {
    for form in parse::parse(src)? {
        match interp.eval(&form.expr, &interp.global()) {
            Ok(v) if Interp::printable(&v) => println!("{} = {}", form.src, value::show(&v)),
            Ok(_) => {}
            Err(e) => println!("{}: error: {e}", form.src),
        }
    }
    Ok(())
}

fn repl(interp: &Interp) -> std::io::Result<()> {
    let stdin = std::io::stdin();
    let mut buf = String::new();
    print!("> ");
    std::io::stdout().flush()?;
    for line in stdin.lock().lines() {
        buf.push_str(&line?);
        buf.push('\n');
        if parse::depth(&buf) > 0 {
            continue; // an open list: read more
        }
        match parse::parse(&buf) {
            Ok(forms) => {
                for form in forms {
                    match interp.eval(&form.expr, &interp.global()) {
                        Ok(v) => println!("{}", value::show(&v)),
                        Err(e) => println!("error: {e}"),
                    }
                }
            }
            Err(e) => println!("parse error: {e}"),
        }
        buf.clear();
        print!("> ");
        std::io::stdout().flush()?;
    }
    println!();
    Ok(())
}

/// Objects tracked by the collector, all generations.
fn tracked(heap: &Heap) -> usize {
    (0..3).map(|g| heap.gc().generation_len(g)).sum()
}

/// The cycle demonstration: many calls of `sum-to`, with the collector off, then on.
fn cycles(interp: &Interp, calls: usize) -> Result<(), Box<dyn std::error::Error>> {
    let heap = interp.heap();
    let call = parse::parse("(sum-to 100)")?.remove(0);
    println!("\n== Closure cycles, collector disabled ==");
    heap.gc().disable();
    heap.gc().collect(2)?; // start from a clean slate
    let live0 = heap.live_objects();
    let tracked0 = tracked(heap);
    let mut result = String::new();
    for _ in 0..calls {
        result = value::show(&interp.eval(&call.expr, &interp.global())?);
    }
    let live1 = heap.live_objects();
    let tracked1 = tracked(heap);
    println!("{calls} calls of {} = {result}", call.src);
    println!(
        "live objects {live0} → {live1} (+{}, {} per call: the frame, its dict, the `loop` closure); \
         tracked {tracked0} → {tracked1}",
        live1 - live0,
        (live1 - live0) as f64 / calls as f64
    );
    let before = heap.gc().get_stats()[2];
    let found = heap.gc().collect(2)?;
    let after = heap.gc().get_stats()[2];
    let live2 = heap.live_objects();
    println!(
        "gc.collect() = {found}: collected {}, uncollectable {}; live objects {live1} → {live2} \
         (baseline {live0}: {})",
        after.collected - before.collected,
        after.uncollectable - before.uncollectable,
        if live2 == live0 {
            "back to baseline"
        } else {
            "NOT back to baseline"
        }
    );

    println!("\n== The same calls, collector enabled ==");
    heap.gc().enable();
    let s0 = heap.gc().get_stats();
    let mut peak = live2;
    for _ in 0..calls {
        interp.eval(&call.expr, &interp.global())?;
        peak = peak.max(heap.live_objects());
    }
    let s1 = heap.gc().get_stats();
    let thresholds = heap.gc().get_threshold();
    println!(
        "thresholds {thresholds:?}; automatic collections per generation: {:?}; collected {}",
        [0, 1, 2].map(|g| s1[g].collections - s0[g].collections),
        (0..3)
            .map(|g| s1[g].collected - s0[g].collected)
            .sum::<usize>()
    );
    println!(
        "live objects peaked at {peak} (baseline {live0}; {live1} after {calls} calls with the \
         collector off); get_count() = {:?}",
        heap.gc().get_count()
    );
    let found = heap.gc().collect(2)?;
    println!(
        "final gc.collect() = {found}; live objects {}",
        heap.live_objects()
    );
    Ok(())
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let quick = args.iter().any(|a| a == "--quick");
    let repl_mode = args.iter().any(|a| a == "--repl");
    let file = args.iter().find(|a| !a.starts_with("--"));
    let interp = Interp::new()?;

    if repl_mode {
        println!(
            "toy Lisp on pyheap: define lambda if let begin set! quote, + - * / = < > <= >=, list car cdr cons null? length display, (collect) (live)"
        );
        repl(&interp)?;
    } else if let Some(path) = file {
        let src = std::fs::read_to_string(path)?;
        run(&interp, &src)?;
    } else {
        println!("== Demo program ==");
        run(&interp, DEMO)?;
        cycles(&interp, if quick { 2_000 } else { 10_000 })?;
    }
    let s = interp.heap().gc().get_stats();
    println!(
        "\ngc stats: {}",
        (0..3)
            .map(|g| format!(
                "gen{g}: {} collections, {} collected, {} uncollectable",
                s[g].collections, s[g].collected, s[g].uncollectable
            ))
            .collect::<Vec<_>>()
            .join("; ")
    );
    // Keep one more owner of the heap to look at it after the interpreter is gone: its global
    // frame (and the top-level closures, which point back at it: cycles) are garbage now.
    let heap: Rc<Heap> = interp.shared_heap().clone();
    drop(interp);
    let found = heap.gc().collect(2)?;
    println!(
        "interpreter dropped: gc.collect() = {found}; live objects {}",
        heap.live_objects()
    );
    let weak = Rc::downgrade(&heap);
    drop(heap); // the last owner: the heap tears down
    println!(
        "heap torn down with its last owner: {}",
        weak.upgrade().is_none()
    );
    Ok(())
}
