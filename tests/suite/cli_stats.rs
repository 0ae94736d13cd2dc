//! `pyheap stats [--json]`: the allocator table after the demo workload, in CPython's
//! `sys._debugmallocstats()` shape, and its JSON twin with the same figures.

use std::process::Command;

fn run(args: &[&str]) -> String {
    let out = Command::new(env!("CARGO_BIN_EXE_pyheap"))
        .args(args)
        .output()
        .expect("pyheap runs");
    assert!(
        out.status.success(),
        "pyheap {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).expect("utf-8")
}

fn value(text: &str, label: &str) -> usize {
    let line = text
        .lines()
        .find(|l| l.starts_with(label))
        .unwrap_or_else(|| panic!("no line {label:?}"));
    line.rsplit('=')
        .next()
        .unwrap()
        .trim()
        .replace(',', "")
        .parse()
        .expect("a number")
}

#[test]
fn text_table_has_cpythons_shape_and_consistent_totals() {
    let t = run(&["stats"]);
    assert!(t.starts_with("Small block threshold = 512, in 32 size classes."));
    assert!(t.contains("class   size   num pools   blocks in use  avail blocks"));
    let rows: Vec<Vec<usize>> = t
        .lines()
        .skip_while(|l| !l.starts_with("-----"))
        .skip(1)
        .take_while(|l| !l.trim().is_empty())
        .map(|l| {
            l.split_whitespace()
                .map(|x| x.parse().expect("numeric row"))
                .collect()
        })
        .collect();
    assert!(
        rows.len() > 3,
        "the demo workload uses several size classes"
    );
    for r in &rows {
        assert_eq!(r.len(), 5);
        assert_eq!(
            r[1],
            (r[0] + 1) * 16,
            "class i holds blocks of (i + 1) * 16 bytes"
        );
    }
    let arenas = value(&t, "# arenas allocated current");
    let total = value(&t, "Total");
    assert_eq!(total, arenas * 1_048_576, "Total = arenas × ARENA_SIZE");
    let in_use: usize = rows.iter().map(|r| r[1] * r[3]).sum();
    assert_eq!(value(&t, "# bytes in allocated blocks"), in_use);
}

#[test]
fn json_carries_the_same_figures() {
    let j: serde_json::Value =
        serde_json::from_str(run(&["stats", "--json"]).trim()).expect("one JSON object");
    let t = run(&["stats"]);
    assert_eq!(j["size_classes"], 32);
    assert_eq!(j["arena_size"], 1_048_576);
    assert_eq!(
        j["arenas_current"].as_u64().unwrap() as usize,
        value(&t, "# arenas allocated current")
    );
    assert_eq!(
        j["bytes_in_allocated_blocks"].as_u64().unwrap() as usize,
        value(&t, "# bytes in allocated blocks")
    );
}

/// `pyheap bench --help` names every bench `pyheap bench NAME` runs, and an unknown name is a
/// usage error (exit status 2) naming it.
#[test]
fn bench_help_lists_every_bench() {
    let help = run(&["bench", "--help"]);
    for name in [
        "alloc", "refcount", "create", "deep", "collect", "cycles", "pyperf", "python", "crates",
    ] {
        assert!(help.contains(name), "{name} missing from:\n{help}");
    }
    let out = Command::new(env!("CARGO_BIN_EXE_pyheap"))
        .args(["bench", "nosuch"])
        .output()
        .expect("pyheap runs");
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("'nosuch'"), "{err}");
}
