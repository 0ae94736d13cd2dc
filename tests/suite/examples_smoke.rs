//! Smoke runs of the examples in `--quick` mode: each runs, exits 0, and prints the lines and
//! numbers it promises (checked for consistency, never against hard-coded figures).
//!
//! How the example binaries are found: `cargo test` builds every example before running any test,
//! into `target/<profile>/examples/NAME`, and this test binary lives in
//! `target/<profile>/deps/examples_smoke-HASH`, so the examples are at
//! `current_exe()/../../examples/NAME`. A test never builds them itself (no cargo inside tests).
//! When a binary is missing — e.g. `cargo test --test suite` alone, which does not build
//! examples — the test says so on stderr and passes, unless `PYHEAP_REQUIRE_EXAMPLES=1` is set
//! (then it fails). A plain `cargo test` (as CI runs it) always has them.

use crate::xml_check;

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
    let svg_line = line_with(&out, "arena occupancy written to ");
    let path = svg_line
        .split("arena occupancy written to ")
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

/// The text of section `== n. …` (up to the next `== ` header), for the examples that number
/// their sections.
fn numbered_section(out: &str, n: usize) -> &str {
    let start = out
        .find(&format!("== {n}."))
        .unwrap_or_else(|| panic!("section {n} missing:\n{out}"));
    let rest = &out[start + 3..];
    let end = rest.find("\n== ").map_or(out.len(), |i| start + 3 + i);
    &out[start..end]
}

#[test]
fn refcounting_quick() {
    let Some(out) = run_quick("refcounting") else {
        return;
    };
    // 1. x, y = x, z = x, del z, del y.
    let counts: Vec<usize> = numbered_section(&out, 1)
        .lines()
        .filter(|l| l.contains("getrefcount(x) ="))
        .map(|l| num_after(l, "getrefcount(x) ="))
        .collect();
    assert_eq!(counts, [2, 3, 4, 3, 2], "{out}");
    // 2. three list slots, one dict value, all released.
    let s2 = numbered_section(&out, 2);
    let three = num_after(line_with(s2, "lst = [x, x, x]"), "getrefcount(x) =");
    let dict = num_after(line_with(s2, "d = {'key': x}"), "getrefcount(x) =");
    assert_eq!((three, dict), (2 + 3, 2 + 3 + 1), "{s2}");
    assert_eq!(num_after(line_with(s2, "del lst"), "getrefcount(x) ="), 3);
    assert_eq!(num_after(line_with(s2, "del d "), "getrefcount(x) ="), 2);
    // 3. n strs + the list created, all freed at zero.
    let s3 = numbered_section(&out, 3);
    let live0 = num_after(line_with(s3, "start:"), "live objects");
    let big = line_with(s3, "big = [str(i)");
    let n = num_after(big, "range(");
    assert_eq!(num_after(big, "live objects") - live0, n + 1, "{big}");
    let freed = line_with(s3, "del big:");
    assert_eq!(num_after(freed, "live objects"), live0, "{freed}");
    let paren = &freed[freed.find('(').unwrap()..];
    assert_eq!(num_after(paren, "("), n + 1, "{freed}");
    assert!(num_after(freed, "blocks in use") < num_after(big, "blocks in use"));
    // 4. immortal counts unchanged, a mortal one moves.
    let s4 = numbered_section(&out, 4);
    let unchanged: Vec<&str> = s4.lines().filter(|l| l.contains("unchanged:")).collect();
    assert_eq!(unchanged.len(), 3, "{s4}");
    assert!(
        unchanged.iter().all(|l| l.contains("unchanged: true")),
        "{s4}"
    );
    let mortal = line_with(s4, "1000  getrefcount");
    assert_eq!(
        num_after(mortal, "before,"),
        num_after(mortal, "getrefcount =") + 1
    );
    // 5. the small-int cache boundaries; 6. interning.
    let s5 = numbered_section(&out, 5);
    for (v, same) in [
        (-6, false),
        (-5, true),
        (0, true),
        (256, true),
        (257, false),
    ] {
        let l = line_with(s5, &format!("int({v:>4}) is"));
        assert!(l.contains(&format!(": {same}")), "{l}");
    }
    let s6 = numbered_section(&out, 6);
    assert!(line_with(s6, "intern('spam') is intern('spam')").contains("true"));
    assert!(line_with(s6, "str('spam') is str('spam')").contains("false"));
    assert!(line_with(s6, "intern(str('spam')) is").contains("true"));
    assert_eq!(
        num_after(line_with(&out, "live objects at the end"), "end:"),
        0
    );
}

#[test]
fn finalizers_quick() {
    let Some(out) = run_quick("finalizers") else {
        return;
    };
    // 1. every __del__ of the ring exactly once; the collection counts the whole ring.
    let s1 = numbered_section(&out, 1);
    let ring = num_after(line_with(s1, "built a ring of"), "ring of");
    let c = line_with(s1, "gc.collect() =");
    assert_eq!(num_after(c, "gc.collect() ="), ring, "{c}");
    assert_eq!(num_after(c, "collected"), ring, "{c}");
    assert_eq!(num_after(c, "uncollectable"), 0, "{c}");
    let calls = line_with(s1, "distinct objects");
    assert_eq!(num_after(calls, "__del__ calls"), ring, "{calls}");
    assert_eq!(num_after(calls, "for"), ring, "{calls}");
    assert!(calls.contains("exactly once: true"), "{calls}");
    let again = line_with(s1, "a second gc.collect()");
    assert_eq!(num_after(again, "gc.collect() ="), 0);
    assert_eq!(num_after(again, "still"), ring);
    // 2. Lazarus: __del__ once, survives finalized, freed later without a second call.
    let s2 = numbered_section(&out, 2);
    let first = line_with(s2, "Lazarus.survivor is the same object");
    assert_eq!(num_after(first, "__del__ calls"), 1, "{first}");
    assert!(first.ends_with("true"), "{first}");
    assert!(line_with(s2, "is_finalized(survivor) = true").contains("FINALIZED"));
    let later = line_with(s2, "Lazarus.survivor = None");
    assert_eq!(num_after(later, "gc.collect() ="), 1, "{later}");
    assert_eq!(num_after(later, "still"), 1, "{later}");
    // 3. legacy tp_del cycle: uncollectable, in gc.garbage, tp_del runs only once freed by hand.
    let s3 = numbered_section(&out, 3);
    let c = line_with(s3, "gc.collect() =");
    assert_eq!(num_after(c, "gc.collect() ="), 2, "{c}");
    assert_eq!(num_after(c, "collected"), 0, "{c}");
    assert_eq!(num_after(c, "uncollectable"), 2, "{c}");
    assert_eq!(num_after(c, "tp_del calls"), 0, "{c}");
    assert_eq!(num_after(line_with(s3, "len(gc.garbage)"), "="), 2);
    assert_eq!(
        num_after(line_with(s3, "broke the cycle"), "tp_del calls"),
        2
    );
    // 4. DEBUG_LEAK lines in CPython's format.
    let s4 = numbered_section(&out, 4);
    assert!(s4.contains("gc: collectable <list"), "{s4}");
    assert!(s4.contains("gc: uncollectable <Legacy"), "{s4}");
    let found = num_after(
        line_with(s4, "Legacy self-cycle; gc.collect() ="),
        "gc.collect() =",
    );
    assert_eq!(found, 2, "{s4}");
    assert_eq!(
        num_after(line_with(s4, "SAVEALL ("), "len ="),
        found,
        "{s4}"
    );
    assert_eq!(
        num_after(line_with(&out, "live objects at the end"), "end:"),
        0
    );
}

#[test]
fn weakrefs_quick() {
    let Some(out) = run_quick("weakrefs") else {
        return;
    };
    let s1 = numbered_section(&out, 1);
    let del = line_with(s1, "del obj:");
    assert_eq!(num_after(del, "callback calls"), 1, "{del}");
    assert!(
        del.contains("with wr: true") && del.contains("is None: true"),
        "{del}"
    );
    let s2 = numbered_section(&out, 2);
    let cyc = line_with(s2, "a self-cycle");
    assert_eq!(num_after(cyc, "gc.collect() ="), 1, "{cyc}");
    assert_eq!(num_after(cyc, "__del__ calls"), 1, "{cyc}");
    assert!(cyc.contains("already dead"), "{cyc}");
    let rc = line_with(s2, "no cycle");
    assert_eq!(num_after(rc, "__del__ calls"), 1, "{rc}");
    assert!(rc.contains("still alive"), "{rc}");
    let s3 = numbered_section(&out, 3);
    assert_eq!(
        num_after(line_with(s3, "gc.collect() ="), "gc.collect() ="),
        3
    );
    let total = line_with(s3, "round(s):");
    let rounds = num_after(total, "over");
    assert_eq!(num_after(total, "collected"), 3 * rounds, "{total}");
    assert_eq!(num_after(total, "cb_inside called"), 0, "{total}");
    assert_eq!(num_after(total, "cb_outside called"), rounds, "{total}");
    assert!(total.ends_with("with wr_out: true"), "{total}");
    let s4 = numbered_section(&out, 4);
    let once = line_with(s4, "after the referent died");
    assert_eq!(num_after(once, "callback calls"), 1, "{once}");
    assert!(once.contains("has_callback() = false"), "{once}");
    assert_eq!(
        num_after(line_with(&out, "live objects at the end"), "end:"),
        0
    );
}

#[test]
fn toy_interpreter_quick() {
    let Some(out) = run_quick("toy_interpreter") else {
        return;
    };
    for result in [
        "(fib 20) = 6765",
        "(begin (counter) (counter) (counter)) = 3",
        "(map (lambda (x) (* x x)) (list 1 2 3 4 5)) = (1 4 9 16 25)",
        "(fact 20) = 2432902008176640000",
        "(fact 30) = 265252859812191058636308480000000",
        "(sum-to 100) = 5050",
        // Big ints compare exactly (values from python3 -S: True, True, True, False).
        "(< (fact 20) (fact 21) (fact 22)) = #t",
        "(= (fact 25) 15511210043330985984000000) = #t",
        "(> (* 9223372036854775807 2) 18446744073709551613) = #t",
        "(= (+ 18446744073709551616 1) 18446744073709551616) = #f",
    ] {
        assert!(
            out.lines().any(|l| l == result),
            "{result:?} missing:\n{out}"
        );
    }
    assert!(!out.contains("error"), "{out}");
    // Collector off: 3 cyclic objects per call leak; gc.collect() finds exactly them.
    let calls = num_after(line_with(&out, "calls of (sum-to 100) = 5050"), "");
    let grow = line_with(&out, "per call: the frame");
    let live0 = num_after(grow, "live objects");
    let live1 = num_after(grow, "→");
    assert_eq!(live1 - live0, 3 * calls, "{grow}");
    let c = line_with(&out, "uncollectable 0; live objects");
    assert_eq!(num_after(c, "gc.collect() ="), live1 - live0, "{c}");
    assert_eq!(num_after(c, "collected"), live1 - live0, "{c}");
    assert_eq!(num_after(c, "→"), live0, "{c}");
    assert!(c.contains("back to baseline"), "{c}");
    // Collector on: automatic collections ran, and the heap ends at the baseline.
    let auto = line_with(&out, "automatic collections per generation: [");
    assert!(num_after(auto, "generation: [") > 0, "{auto}");
    assert!(num_after(auto, "; collected") > 0, "{auto}");
    let peak = line_with(&out, "live objects peaked at");
    assert!(num_after(peak, "peaked at") < live1, "{peak}");
    assert_eq!(
        num_after(line_with(&out, "final gc.collect()"), "live objects"),
        live0
    );
    assert_eq!(
        num_after(line_with(&out, "interpreter dropped"), "live objects"),
        0
    );
    // The interpreter owned its heap (through a Root): the heap went with its last owner.
    assert!(
        line_with(&out, "heap torn down with its last owner:").ends_with("true"),
        "{out}"
    );
}

#[test]
fn cycle_leak_quick() {
    let Some(out) = run_quick("cycle_leak") else {
        return;
    };
    let s1 = numbered_section(&out, 1);
    let del = line_with(s1, "del l, a, b, parent");
    assert_eq!(num_after(del, "live objects"), num_after(del, "→"), "{del}");
    assert!(
        del.contains("to a alive: true, to parent alive: true"),
        "{del}"
    );
    let per_set = num_after(line_with(s1, "gc.collect() ="), "gc.collect() =");
    assert!(line_with(s1, "gc.collect() =").contains("weakrefs dead now: true true"));

    // 2. blocks in use grow every round, arenas never shrink and do grow overall.
    let s2 = numbered_section(&out, 2);
    let rows: Vec<(usize, usize, usize)> = s2
        .lines()
        .filter(|l| l.contains("live objects") && l.contains("arenas"))
        .map(|l| {
            (
                num_after(l, "live objects"),
                num_after(l, "blocks in use"),
                num_after(l, "arenas"),
            )
        })
        .collect();
    assert!(rows.len() >= 3, "{s2}");
    assert!(
        rows.windows(2).all(|w| w[1].1 > w[0].1 && w[1].2 >= w[0].2),
        "{s2}"
    );
    assert!(
        rows.last().unwrap().2 > rows[0].2,
        "arenas did not grow:\n{s2}"
    );
    let created_line = line_with(s2, "created ");
    let created = num_after(created_line, "created");
    let rounds = rows.len() - 1;
    assert_eq!(
        created,
        rounds * num_after(created_line, "×") * per_set,
        "{created_line}"
    );
    assert_eq!(num_after(created_line, "live objects +"), created);
    assert_eq!(rows.last().unwrap().0 - rows[0].0, created);

    // 3. the DOT file: the tree's nodes and edges, exactly.
    let s3 = numbered_section(&out, 3);
    let drawn = line_with(s3, "DOT graph written to ");
    let nodes = num_after(drawn, "");
    let edges = num_after(drawn, "children), ");
    let path = drawn.split("DOT graph written to ").nth(1).unwrap().trim();
    let dot = std::fs::read_to_string(path).unwrap();
    assert!(dot.starts_with("digraph"), "{dot}");
    let dot_nodes = dot
        .lines()
        .filter(|l| l.contains("[label=") && !l.contains("->"))
        .count();
    let dot_edges = dot.lines().filter(|l| l.contains("->")).count();
    assert_eq!((dot_nodes, dot_edges), (nodes, edges), "{dot}");
    let children = dot.matches("[label=\".parent\"]").count();
    assert_eq!(nodes, 2 + children, "{dot}");
    assert_eq!(edges, 1 + 2 * children, "{dot}");

    // 4. gc.collect() frees everything created (plus the drawn tree); blocks go back down.
    let s4 = numbered_section(&out, 4);
    let c = line_with(s4, "gc.collect() = ");
    let found = num_after(c, "gc.collect() =");
    assert_eq!(found, num_after(c, "collected"), "{c}");
    assert_eq!(num_after(c, "uncollectable"), 0, "{c}");
    assert_eq!(found, created + nodes, "{c}");
    let mem = line_with(s4, "blocks in use");
    assert_eq!(num_after(mem, "→"), rows[0].0, "{mem}");
    let blocks = mem.split("blocks in use").nth(1).unwrap();
    assert!(num_after(blocks, "→") < num_after(blocks, ""), "{mem}");
    assert_eq!(
        num_after(line_with(&out, "live objects at the end"), "end:"),
        0
    );
}

#[test]
fn generations_quick() {
    let Some(out) = run_quick("generations") else {
        return;
    };
    for h in [
        "== 1. Promotion",
        "== 2. Thresholds",
        "== 3. The 25 % rule",
        "== 4. freeze",
    ] {
        assert!(out.contains(h), "{h:?} missing:\n{out}");
    }
    // Promotion: 300 lists move 0 → 1, then 500 → 2.
    assert!(
        line_with(&out, "collect(0) →").contains("per generation [0, 300, 0]"),
        "{out}"
    );
    assert!(
        line_with(&out, "collect(1) →").contains("per generation [0, 0, 500]"),
        "{out}"
    );
    // The 25 % rule: every listed full collection had pending ≥ the needed quarter, and the
    // rule saves full collections compared with ratio 0.
    for l in out.lines().filter(|l| l.contains("needed (25 %")) {
        assert!(num_after(l, "pending") >= num_after(l, "vs"), "{l}");
    }
    let cmp = line_with(&out, "Same heap, ratio 0");
    let without = num_after(cmp, "passes 2):");
    let with = num_after(cmp, "instead of");
    assert!(with > 1 && without > with, "{cmp}");
    // freeze moves everything to the permanent generation and back.
    let frz = line_with(&out, "freeze(): per generation");
    assert!(frz.contains("[0, 0, 0]") && num_after(frz, "get_freeze_count() =") == 1000);
    assert!(num_after(frz, "examines") == 0, "{frz}");
    let unf = line_with(&out, "unfreeze(): per generation");
    assert!(unf.contains("[0, 0, 1000]"), "{unf}");
}

#[test]
fn sizes_quick() {
    let Some(out) = run_quick("sizes") else {
        return;
    };
    for h in [
        "== 1. Flat sizes",
        "== 2. Where the bytes go",
        "== 3. Where they land",
    ] {
        assert!(out.contains(h), "{h:?} missing:\n{out}");
    }
    // Each table row adds up: GC head + header + payload = pyheap's size.
    let table = numbered_section(&out, 1);
    let mut rows = 0;
    for l in table
        .lines()
        .filter(|l| l.contains(" + ") && l.ends_with(|c: char| c.is_ascii_digit()))
    {
        let parts: Vec<usize> = l
            .rsplit_once("   ")
            .unwrap()
            .1
            .split(" + ")
            .map(|w| w.trim().parse().unwrap())
            .collect();
        let ours: usize = l
            .split_whitespace()
            .rev()
            .nth(7)
            .and_then(|w| w.parse().ok())
            .unwrap_or_else(|| panic!("{l}"));
        assert_eq!(parts.iter().sum::<usize>(), ours, "{l}");
        rows += 1;
    }
    assert!(rows >= 15, "{table}");
    assert!(line_with(&out, "rows are smaller than CPython").contains(" 0 larger"));
    // Placement: the blocks of one object are at least its flat size.
    for l in numbered_section(&out, 3)
        .lines()
        .filter(|l| l.contains("getsizeof"))
    {
        let size = num_after(l, "getsizeof");
        let per = num_after(l, "B   (");
        assert!(per >= size, "{l}");
    }
}
