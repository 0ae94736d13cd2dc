//! `pyheap` with no arguments runs the tour: it exits 0, prints every section, and
//! the files it names at the end exist and are valid (DOT starts with `digraph` and has the
//! cycle's two nodes and two edges; the SVG is well-formed XML with one cell per pool).
//! `pyheap sizes --json` prints one well-formed line per built-in, none larger than CPython's.

use crate::xml_check;

use std::process::Command;

fn pyheap() -> Command {
    Command::new(env!("CARGO_BIN_EXE_pyheap"))
}

#[test]
fn tour_runs_and_its_files_are_valid() {
    let out = pyheap().output().unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{stdout}\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    for h in [
        "== 1. Allocation ==",
        "== 2. Reference counting ==",
        "== 3. A cycle leak ==",
        "== 4. Generations ==",
        "== 5. Arenas ==",
        "== Files written ==",
    ] {
        assert!(stdout.contains(h), "{h:?} missing:\n{stdout}");
    }
    // The leak section: collect() freed everything the rounds added.
    let freed = stdout
        .lines()
        .find(|l| l.starts_with("gc.collect() found "))
        .unwrap_or_else(|| panic!("{stdout}"));
    let found: usize = freed["gc.collect() found ".len()..]
        .split_whitespace()
        .next()
        .unwrap()
        .parse()
        .unwrap();
    assert!(found >= 2, "{freed}");

    let files: Vec<&str> = stdout
        .split("== Files written ==")
        .nth(1)
        .unwrap()
        .lines()
        .filter_map(|l| l.split_whitespace().next())
        .collect();
    let dot = files
        .iter()
        .find(|f| f.ends_with(".dot"))
        .expect("a DOT file");
    let svg = files
        .iter()
        .find(|f| f.ends_with(".svg"))
        .expect("an SVG file");
    assert!(std::path::Path::new(dot).is_absolute(), "{dot}");

    let text = std::fs::read_to_string(dot).unwrap();
    assert!(text.starts_with("digraph"), "{text}");
    assert!(text.trim_end().ends_with('}'), "{text}");
    let nodes = text
        .lines()
        .filter(|l| l.trim_start().starts_with('n') && l.contains(" [label=") && !l.contains("->"))
        .count();
    let edges = text
        .lines()
        .filter(|l| l.trim_start().starts_with('n') && l.contains(" -> "))
        .count();
    assert_eq!((nodes, edges), (2, 2), "a two-instance cycle:\n{text}");
    // Named by a and b: each instance is referenced by its variable and its partner.
    assert_eq!(text.matches("\\nrefcnt 2\"").count(), 2, "{text}");
    assert!(
        text.contains("label=\"a\"]") && text.contains("label=\"b\"]"),
        "{text}"
    );
    // After `del a, b` the cycle alone holds them: refcnt 1 each, both names dashed.
    let after = files
        .iter()
        .find(|f| f.ends_with("cycle_after_del.dot"))
        .expect("cycle_after_del.dot");
    let after = std::fs::read_to_string(after).unwrap();
    assert_eq!(after.matches("\\nrefcnt 1\"").count(), 2, "{after}");
    assert!(
        after.contains("a (deleted)") && after.contains("b (deleted)"),
        "{after}"
    );

    let map = std::fs::read_to_string(svg).unwrap();
    let elems = xml_check::parse(&map).unwrap_or_else(|e| panic!("{svg}: {e}"));
    assert_eq!(elems[0].name, "svg");
    let cells: Vec<_> = elems
        .iter()
        .filter(|e| e.attr("class") == Some("pool"))
        .collect();
    assert!(!cells.is_empty(), "{svg}");
    assert!(cells.iter().all(|c| {
        c.parent
            .is_some_and(|p| elems[p].attr("class") == Some("arena"))
    }));
}

#[test]
fn sizes_json_lines() {
    let out = pyheap().args(["sizes", "--json"]).output().unwrap();
    assert!(out.status.success());
    let stdout = String::from_utf8_lossy(&out.stdout);
    let have_python = Command::new("python3")
        .args(["-S", "-c", "pass"])
        .status()
        .is_ok_and(|s| s.success());
    let mut n = 0;
    for line in stdout.lines() {
        let v: serde_json::Value = serde_json::from_str(line).unwrap();
        let ty = v["type"].as_str().unwrap_or_else(|| panic!("{line}"));
        let ours = v["ours"].as_u64().unwrap_or_else(|| panic!("{line}"));
        assert!(!ty.is_empty() && ours >= 16, "{line}");
        assert!(v.get("cpython").is_some(), "{line}");
        if have_python {
            let cp = v["cpython"].as_u64().unwrap_or_else(|| panic!("{line}"));
            assert!(ours <= cp, "ours larger than CPython: {line}");
        } else {
            eprintln!("python3 not found: comparison skipped for {ty}");
            assert!(v["cpython"].is_null(), "{line}");
        }
        n += 1;
    }
    for ty in [
        "None", "int", "float", "str", "tuple", "list", "dict", "instance", "weakref",
    ] {
        assert!(
            stdout.contains(&format!("\"type\":\"{ty}\"")),
            "{ty} missing:\n{stdout}"
        );
    }
    assert!(n >= 15, "{stdout}");
}
