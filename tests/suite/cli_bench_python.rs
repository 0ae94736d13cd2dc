//! `pyheap bench python`: one row per program (lab/workloads) plus startup, each with a ratio
//! ours / CPython that parses, a goal and met/missed, and both sides' stdout compared. Checks
//! the table's shape and the outputs' agreement, never timing values.

use crate::python3_present;
use std::process::Command;

const PROGRAMS: [&str; 6] = [
    "pyperf_gc_collect",
    "pyperf_gc_traversal",
    "churn",
    "dict_str",
    "fib",
    "nbody",
];

fn bench(args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_pyheap"))
        .args(["bench", "python"])
        .args(args)
        .output()
        .expect("pyheap runs")
}

/// The table lists every program and startup; with CPython present every row has a ratio that
/// parses, met or missed, and every program printed the same stdout on both sides.
#[test]
fn table_has_every_row_with_a_ratio() {
    let out = bench(&["--quick", "--rounds", "1"]);
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{text}\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let cpython = python3_present();
    for name in PROGRAMS.iter().chain(&["startup"]) {
        let row = text
            .lines()
            .find(|l| l.split_whitespace().next() == Some(name))
            .unwrap_or_else(|| panic!("no row {name} in:\n{text}"));
        let cols: Vec<&str> = row.split_whitespace().collect();
        let ratio = cols
            .iter()
            .find(|c| c.ends_with('x') && !c.starts_with("<="))
            .and_then(|c| c.trim_end_matches('x').parse::<f64>().ok());
        let met = cols.iter().any(|c| *c == "met" || *c == "missed");
        if cpython {
            let q = ratio.unwrap_or_else(|| panic!("no ratio in row: {row}"));
            assert!(q.is_finite() && q > 0.0, "{row}");
            assert!(met, "no met/missed in row: {row}");
            if *name != "startup" {
                assert_eq!(cols.last(), Some(&"same"), "stdout differs: {row}\n{text}");
            }
        } else {
            assert!(cols.contains(&"n/a"), "{row}");
        }
    }
}

/// `--rounds` belongs to `bench python`; elsewhere, or as 0, it is a usage error (exit 2).
#[test]
fn rounds_is_checked() {
    let zero = bench(&["--rounds", "0"]);
    assert_eq!(zero.status.code(), Some(2));
    let other = Command::new(env!("CARGO_BIN_EXE_pyheap"))
        .args(["bench", "alloc", "--rounds", "2"])
        .output()
        .expect("pyheap runs");
    assert_eq!(other.status.code(), Some(2));
    let err = String::from_utf8_lossy(&other.stderr);
    assert!(err.contains("--rounds"), "{err}");
}
