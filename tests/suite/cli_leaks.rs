//! `pyheap run --leaks` as a learner runs it: a loop that leaks a cycle of class instances into a
//! global list each time shows that class with the right count delta, charged to the line that
//! made them, and the chain that keeps the newest one alive; a program that leaks nothing shows
//! no growth; `--leaks-at LINE` measures between a line's first and last run; bad arguments end
//! with one line and status 2.

use std::process::{Command, Output};

fn pyheap(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_pyheap"))
        .args(args)
        .output()
        .expect("pyheap runs")
}

fn text(b: &[u8]) -> String {
    String::from_utf8_lossy(b).into_owned()
}

/// A fresh directory with `name` holding `source`; returns the script's path.
fn script(name: &str, source: &str) -> String {
    let dir = std::env::temp_dir().join(format!("pyheap-cli-leaks-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let p = dir.join(name);
    std::fs::write(&p, source).unwrap();
    p.to_str().unwrap().to_string()
}

/// Line 6 makes two `Node`s per run; 50 runs; each pair is a cycle kept by `leaked`.
const LEAK: &str = "class Node:
    def __init__(self):
        self.other = None
leaked = []
for i in range(50):
    a, b = Node(), Node()
    a.other = b
    b.other = a
    leaked.append(a)
del a, b, i
print(len(leaked))
";

/// The `show_growth` row of `ty`: (count, delta).
fn growth_row(report: &str, ty: &str) -> Option<(i64, i64)> {
    let table = report.split("by type").nth(1)?.split("\n\n").next()?;
    table.lines().find_map(|l| {
        let f: Vec<&str> = l.split_whitespace().collect();
        (f.len() == 3 && f[0] == ty).then(|| (f[1].parse().unwrap(), f[2].parse().unwrap()))
    })
}

#[test]
fn a_leaked_cycle_shows_its_class_delta_line_and_chain() {
    let path = script("leak.py", LEAK);
    let dot = format!("{path}.dot");
    let out = pyheap(&["run", "--leaks", "--leaks-dot", &dot, &path]);
    let err = text(&out.stderr);
    assert_eq!(text(&out.stdout), "50\n", "{err}");
    assert_eq!(out.status.code(), Some(0), "{err}");
    assert_eq!(growth_row(&err, "Node"), Some((100, 100)), "{err}");
    // One new list (`leaked`); the count includes lists the interpreter made before line 1
    // (`sys.argv`, built at start-up as CPython has it).
    assert_eq!(growth_row(&err, "list").map(|r| r.1), Some(1), "{err}");
    // By line: all 100 Node instances charged to line 6, the line that calls Node().
    let line6 = err
        .lines()
        .find(|l| l.split_whitespace().next() == Some("6"))
        .unwrap_or_else(|| panic!("no line-6 row: {err}"));
    assert!(line6.contains("Node ×100"), "{line6}");
    assert!(!err.contains("Node ×50"), "{err}");
    // Why alive: module → its dict → the list under 'leaked' → [49] → a Node.
    let why = err
        .split("why is this Node alive?")
        .nth(1)
        .expect("a chain");
    assert!(why.contains("module"), "{why}");
    assert!(why.contains("['leaked']─▶ list (50 items)"), "{why}");
    assert!(why.contains("[49]─▶ Node"), "{why}");
    assert!(
        why.contains(".other─▶ Node (<Node object>)   ← target"),
        "{why}"
    );
    let dot_text = std::fs::read_to_string(&dot).expect("the chain's DOT was written");
    assert!(dot_text.starts_with("digraph"), "{dot_text}");
    assert!(dot_text.contains("leaked"), "{dot_text}");
}

#[test]
fn a_program_that_leaks_nothing_shows_no_growth() {
    // Garbage cycles, dicts and strings made and dropped each run: nothing is left.
    let path = script(
        "clean.py",
        "total = 0
for i in range(100):
    a = [i]
    b = [a]
    a.append(b)
    d = {'k': a, 'n': str(i)}
    total += len(d)
del a, b, d, i
print(total)
",
    );
    let out = pyheap(&["run", "--leaks", &path]);
    let err = text(&out.stderr);
    assert_eq!(text(&out.stdout), "200\n", "{err}");
    assert!(err.contains("no growth"), "{err}");
    assert!(!err.contains("by type"), "{err}");
}

#[test]
fn leaks_at_a_loop_line_measures_between_its_first_and_last_run() {
    let path = script("leak_at.py", LEAK);
    let out = pyheap(&["run", "--leaks", "--leaks-at", "6", &path]);
    let err = text(&out.stderr);
    assert!(err.contains("line 6 is about to run (50 runs"), "{err}");
    // 49 passes through the loop body between the first and the 50th run, two Nodes each.
    assert_eq!(growth_row(&err, "Node"), Some((98, 98)), "{err}");
    assert_eq!(growth_row(&err, "list"), None, "{err}");
}

#[test]
fn bad_leak_arguments_end_with_one_line_and_status_2() {
    let path = script("leak_bad.py", LEAK);
    let out = pyheap(&["run", "--leaks", "--leaks-at", "99", &path]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        text(&out.stderr).contains("--leaks-at 99: ")
            && text(&out.stderr).contains("lines 1 to 11"),
        "{}",
        text(&out.stderr)
    );
    assert_eq!(text(&out.stdout), "", "the program did not run");
    // A line that never runs (the body of a function never called).
    let never = script("never.py", "def f():\n    return 1\nx = 2\n");
    let out = pyheap(&["run", "--leaks", "--leaks-at", "2", &never]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        text(&out.stderr).contains("line 2 of"),
        "{}",
        text(&out.stderr)
    );
    assert!(
        text(&out.stderr).contains("never ran"),
        "{}",
        text(&out.stderr)
    );
    // --leaks-at alone is refused by the argument parser.
    let out = pyheap(&["run", "--leaks-at", "6", &path]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        text(&out.stderr).contains("--leaks"),
        "{}",
        text(&out.stderr)
    );
}
