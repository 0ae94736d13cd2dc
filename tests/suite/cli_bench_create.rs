//! `pyheap bench create --quick --json`: the interpreter rows (user objects vs `Rc<RefCell<_>>`,
//! big-int loops vs CPython) are present with positive, finite figures. Never timing thresholds.

use crate::python3_present;
use std::process::Command;

#[test]
fn interpreter_rows_have_positive_finite_figures() {
    let out = Command::new(env!("CARGO_BIN_EXE_pyheap"))
        .args(["bench", "create", "--quick", "--json"])
        .output()
        .expect("pyheap runs");
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{text}\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let rows: Vec<serde_json::Value> = text
        .lines()
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("{e}: {l}")))
        .collect();
    let cpython = python3_present();
    for (case, baseline) in [
        ("create_user", "rc"),
        ("bigint_fact", "cpython"),
        ("bigint_fib", "cpython"),
    ] {
        let row = rows
            .iter()
            .find(|r| r["case"] == case && r["baseline"] == baseline)
            .unwrap_or_else(|| panic!("no row {case} vs {baseline} in:\n{text}"));
        let positive = |k: &str| {
            let v = row[k]
                .as_f64()
                .unwrap_or_else(|| panic!("{k} not a number: {row}"));
            assert!(v.is_finite() && v > 0.0, "{k}: {row}");
        };
        positive("ours_ns");
        if baseline == "rc" || cpython {
            positive("baseline_ns");
            positive("ratio");
            // Both sides' spread is reported.
            let note = row["note"].as_str().unwrap_or_default();
            assert!(note.starts_with("spread: ours "), "{row}");
        } else {
            assert!(row["baseline_ns"].is_null(), "{row}");
        }
    }
}
