//! The facade's scenario tests, linked as one test binary (`cargo test -p pyheap --test suite`;
//! one module: `... --test suite -- cli_map::`). One binary instead of one per file: each
//! integration binary links the whole workspace and the CLI's crates again, which dominated the
//! build time of `cargo test`. The browser test stays apart (`tests/browser_trace.rs`, its own
//! `main` so its SKIPPED line always shows).
//!
//! ```text
//!   the heap through the facade   gc_big  gc_proptest  gc_probes
//!   CPython's own tests, ported   gc_cpython_test_gc  gc_cpython_test_finalization
//!   Python programs vs python3    python_conformance  (tests/python/*.py and their .expected)
//!   the command line              cli_tour  cli_stats  cli_map  cli_sizes  cli_sweep  cli_python
//!                                 cli_trace  cli_explain_gc  cli_bench_create  cli_bench_python
//!                                 cli_bench_crates  cli_leaks
//!   the examples                  examples_smoke
//! ```

/// The SVG/XML well-formedness checker the CLI's own tests use (the lib's private module).
#[path = "../../src/inspect/xml_check.rs"]
#[allow(dead_code)]
mod xml_check;

/// Whether `python3 -S` runs here (the tests that compare with CPython skip that part, saying
/// so, where it does not).
fn python3_present() -> bool {
    std::process::Command::new("python3")
        .args(["-S", "-c", "pass"])
        .output()
        .is_ok_and(|o| o.status.success())
}

mod cli_bench_crates;
mod cli_bench_create;
mod cli_bench_python;
mod cli_explain_gc;
mod cli_leaks;
mod cli_map;
mod cli_python;
mod cli_sizes;
mod cli_stats;
mod cli_sweep;
mod cli_tour;
mod cli_trace;
mod examples_smoke;
mod gc_big;
mod gc_cpython_test_finalization;
mod gc_cpython_test_gc;
mod gc_probes;
mod gc_proptest;
mod python_conformance;
