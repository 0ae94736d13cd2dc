//! `pyheap bench crates` runs each round in a child process (`PYHEAP_BENCH_CRATES_CHILD=CASE LIB
//! N`) so a recursive drop that overflows the stack is reported instead of killing the bench.
//! These tests run single child rounds through the binary: a 1M-long acyclic chain drop overflows
//! the main thread's stack with `Rc` (Rust's drop glue recurses once per level) and completes
//! with our heap and with gc-arena (a tracing sweep); an unknown case is an error, not a figure.

use std::process::{Command, Output};

fn child(spec: &str) -> Output {
    Command::new(env!("CARGO_BIN_EXE_pyheap"))
        .args(["bench", "crates"])
        .env("PYHEAP_BENCH_CRATES_CHILD", spec)
        .output()
        .expect("pyheap runs")
}

/// The `ns F` line of a child that finished.
fn ns(out: &Output) -> f64 {
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{}\n{}",
        stdout,
        String::from_utf8_lossy(&out.stderr)
    );
    let v: f64 = stdout
        .trim()
        .strip_prefix("ns ")
        .unwrap_or_else(|| panic!("no ns line: {stdout}"))
        .parse()
        .expect("a number");
    assert!(v.is_finite() && v > 0.0, "{v}");
    v
}

#[test]
fn rc_overflows_on_a_million_long_chain_and_we_do_not() {
    let rc = child("chain_drop rc 1000000");
    assert!(!rc.status.success());
    assert!(
        String::from_utf8_lossy(&rc.stderr).contains("overflowed its stack"),
        "{}",
        String::from_utf8_lossy(&rc.stderr)
    );
    ns(&child("chain_drop pyheap 1000000"));
    ns(&child("chain_drop gc-arena 1000000"));
}

#[test]
fn collecting_libraries_report_dead_cycles_and_rc_reports_no_collector() {
    for lib in ["pyheap", "rust-cc", "dumpster", "gc-arena"] {
        ns(&child(&format!("dead_pairs {lib} 1000")));
    }
    let out = child("live_flat rc 1000");
    assert!(out.status.success());
    assert_eq!(
        String::from_utf8_lossy(&out.stdout).trim(),
        "na no collector"
    );
}

#[test]
fn an_unknown_case_is_an_error() {
    let out = child("nosuch pyheap 10");
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("unknown case nosuch"));
}
