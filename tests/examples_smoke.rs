//! Smoke runs of the examples in `--quick` mode: each runs, exits 0, and prints the lines and
//! numbers it promises (checked for consistency, never against hard-coded figures).
//!
//! How the example binaries are found: `cargo test` builds every example before running any test,
//! into `target/<profile>/examples/NAME`, and this test binary lives in
//! `target/<profile>/deps/examples_smoke-HASH`, so the examples are at
//! `current_exe()/../../examples/NAME`. A test never builds them itself (no cargo inside tests).
//! When a binary is missing — e.g. `cargo test --test examples_smoke` alone, which does not build
//! examples — the test says so on stderr and passes, unless `PYHEAP_REQUIRE_EXAMPLES=1` is set
//! (then it fails). A plain `cargo test` (as CI runs it) always has them.

#[path = "../src/inspect/xml_check.rs"]
mod xml_check;

use std::path::PathBuf;
use std::process::Command;

/// `target/<profile>/examples/NAME`, if it was built.
fn example_binary(name: &str) -> Option<PathBuf> {
    let exe = std::env::current_exe().ok()?;
    let profile_dir = exe.parent()?.parent()?; // deps/ → <profile>/
    let path = profile_dir
        .join("examples")
        .join(format!("{name}{}", std::env::consts::EXE_SUFFIX));
    path.is_file().then_some(path)
}

/// Run example `name` with `--quick`; `None` (test skipped) when it was not built.
fn run_quick(name: &str) -> Option<String> {
    let Some(bin) = example_binary(name) else {
        let msg = format!(
            "example `{name}` not built next to this test binary; run `cargo test` (which builds \
             the examples) or `cargo build --examples` first"
        );
        if std::env::var_os("PYHEAP_REQUIRE_EXAMPLES").is_some_and(|v| v == "1") {
            panic!("{msg}");
        }
        eprintln!("skipped: {msg}");
        return None;
    };
    let out = Command::new(&bin).arg("--quick").output().unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        out.status.success(),
        "{} --quick failed\n{stdout}\n{stderr}",
        bin.display()
    );
    Some(stdout)
}

/// The first line containing `needle`.
fn line_with<'a>(text: &'a str, needle: &str) -> &'a str {
    text.lines()
        .find(|l| l.contains(needle))
        .unwrap_or_else(|| panic!("no line with {needle:?} in:\n{text}"))
}

/// The number right after `label` in `line`.
fn num_after(line: &str, label: &str) -> usize {
    let i = line
        .find(label)
        .unwrap_or_else(|| panic!("{label:?} in {line:?}"));
    line[i + label.len()..]
        .trim_start()
        .split(|c: char| !c.is_ascii_digit())
        .next()
        .and_then(|w| w.parse().ok())
        .unwrap_or_else(|| panic!("number after {label:?} in {line:?}"))
}

#[test]
fn arenas_quick() {
    let Some(out) = run_quick("arenas") else {
        return;
    };
    for step in [
        "== 1. One block ==",
        "== 2. Growing",
        "== 3. Fragmentation",
        "== 4. Freeing the pins",
        "== 5. Classic vs modern",
    ] {
        assert!(out.contains(step), "{step:?} missing:\n{out}");
    }
    assert!(out.contains("usable_arenas: arena"), "{out}");

    // Fragmentation: one live block per pool, and every arena still mapped.
    let frag = line_with(&out, "freed ");
    let blocks = num_after(frag, "blocks in use");
    let pools = num_after(frag, "pools in use");
    assert_eq!(blocks, pools, "{frag}");
    assert!(line_with(&out, "no arena can go back").contains("% used"));

    // usable_arenas sorted by nfreepools while the pins drain.
    let sorted = line_with(&out, "usable_arenas: arena");
    let draining = out
        .lines()
        .rfind(|l| l.contains("usable_arenas: arena") && l.contains('→'))
        .unwrap_or(sorted);
    let nfree: Vec<usize> = draining
        .split("nfree ")
        .skip(1)
        .map(|s| num_after(s, ""))
        .collect();
    assert!(nfree.len() >= 2, "{draining}");
    assert!(nfree.windows(2).all(|w| w[0] <= w[1]), "{draining}");

    // Arenas returned: the count agrees with the before → after figures, and is positive.
    let ret = line_with(&out, "arenas returned to the OS:");
    let returned = num_after(ret, "arenas returned to the OS:");
    let before = num_after(ret, "(mapped");
    let after = num_after(ret, "→");
    assert!(returned > 0 && returned == before - after, "{ret}");
    assert!(ret.contains("resident memory"), "{ret}");

    // The SVG it names exists and is well-formed.
    let svg_line = line_with(&out, "arena map written to ");
    let path = svg_line
        .split("arena map written to ")
        .nth(1)
        .unwrap()
        .trim();
    let svg = std::fs::read_to_string(path).unwrap();
    let elems = xml_check::parse(&svg).unwrap_or_else(|e| panic!("{path}: {e}"));
    let cells: Vec<_> = elems
        .iter()
        .filter(|e| e.attr("class") == Some("pool"))
        .collect();
    // The map of the pinned state: one cell per pool in use, each holding its one pin.
    let in_use = cells
        .iter()
        .filter(|c| c.attr("data-state") != Some("free"))
        .count();
    assert_eq!(in_use, pools, "{path}");
    assert!(
        cells
            .iter()
            .filter(|c| c.attr("data-state") != Some("free"))
            .all(|c| c.attr("data-used") == Some("1"))
    );
    assert!(cells.iter().all(|c| {
        c.parent
            .is_some_and(|p| elems[p].attr("class") == Some("arena"))
    }));

    // Side by side: both layouts, same number of live blocks.
    let layout = line_with(&out, "   layout ");
    assert!(
        layout.contains("classic") && layout.contains("modern"),
        "{layout}"
    );
    let live = line_with(&out, "blocks in use   ");
    let nums: Vec<&str> = live.split_whitespace().skip(3).collect();
    assert_eq!(nums.len(), 2, "{live}");
    assert_eq!(nums[0], nums[1], "{live}");
}

#[test]
fn race_condition_quick() {
    let Some(out) = run_quick("race_condition") else {
        return;
    };
    let (racy, rest) = out.split_once("== 2.").unwrap_or_else(|| panic!("{out}"));
    let (atomic, heaps) = rest.split_once("== 3.").unwrap_or_else(|| panic!("{out}"));
    let trials = |section: &str| -> Vec<(usize, usize, usize)> {
        section
            .lines()
            .filter(|l| l.contains("trial "))
            .map(|l| {
                (
                    num_after(l, "expected"),
                    num_after(l, "observed"),
                    num_after(l, "lost"),
                )
            })
            .collect()
    };
    let r = trials(racy);
    assert!(!r.is_empty(), "{out}");
    for (e, o, l) in r {
        assert!(o <= e && e - o == l, "{out}");
    }
    let a = trials(atomic);
    assert!(!a.is_empty(), "{out}");
    for (e, o, l) in a {
        assert!(e == o && l == 0, "fetch_add lost updates:\n{out}");
    }
    assert!(
        heaps.contains("refcounts exact in every thread: yes"),
        "{out}"
    );
    assert!(!heaps.contains("MISMATCH"), "{out}");
}
