//! `pyheap map --svg FILE`: writes a well-formed SVG with one cell per pool of the arenas it
//! reports; an unwritable path ends with a one-line error and a non-zero status, not a panic.

use crate::xml_check;

use std::process::Command;

fn pyheap() -> Command {
    Command::new(env!("CARGO_BIN_EXE_pyheap"))
}

/// The number after `label` in `text` (e.g. `"7 mapped"` → 7 for label `"arenas:"`).
fn number_after(text: &str, label: &str) -> usize {
    let rest = &text[text
        .find(label)
        .unwrap_or_else(|| panic!("{label:?} in {text}"))
        + label.len()..];
    rest.split_whitespace()
        .next()
        .and_then(|w| w.parse().ok())
        .unwrap_or_else(|| panic!("number after {label:?} in {text}"))
}

fn check_layout(extra: &[&str], pools_per_arena: usize) {
    let dir = std::env::temp_dir().join(format!("pyheap-cli-map-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join(format!("map{}.svg", extra.len()));
    let out = pyheap()
        .args(["map", "--svg"])
        .arg(&file)
        .args(extra)
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{stdout}\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        stdout.contains(&format!("wrote {}", file.display())),
        "{stdout}"
    );

    let svg = std::fs::read_to_string(&file).unwrap();
    let elems = xml_check::parse(&svg).unwrap_or_else(|e| panic!("invalid XML: {e}"));
    assert_eq!(elems[0].name, "svg");
    let arenas = number_after(&stdout, "arenas:");
    let count = |class: &str| {
        elems
            .iter()
            .filter(|e| e.attr("class") == Some(class))
            .count()
    };
    assert_eq!(count("arena"), arenas);
    assert_eq!(count("pool"), arenas * pools_per_arena);
    // Every cell sits in an arena row.
    assert!(
        elems
            .iter()
            .filter(|e| e.attr("class") == Some("pool"))
            .all(|e| e
                .parent
                .is_some_and(|p| elems[p].attr("class") == Some("arena")))
    );
    assert!(
        stdout.contains(&format!("{} in all", arenas * pools_per_arena)),
        "{stdout}"
    );
    let _ = std::fs::remove_file(&file);
}

#[test]
fn writes_a_valid_svg_modern() {
    check_layout(&[], 64);
}

#[test]
fn writes_a_valid_svg_classic() {
    check_layout(&["--classic"], 64);
}

#[test]
fn unwritable_path_is_a_one_line_error() {
    let out = pyheap()
        .args(["map", "--svg", "/nonexistent-dir-pyheap/sub/map.svg"])
        .output()
        .unwrap();
    assert!(!out.status.success());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!stderr.contains("panicked"), "{stderr}");
    assert_eq!(stderr.trim_end().lines().count(), 1, "{stderr}");
    assert!(stderr.contains("cannot write"), "{stderr}");
    assert!(
        stderr.contains("/nonexistent-dir-pyheap/sub/map.svg"),
        "{stderr}"
    );
}

/// Run `pyheap map ARGS` and return (status ok, stdout, stderr).
fn map(args: &[&str]) -> (bool, String, String) {
    let out = pyheap().arg("map").args(args).output().unwrap();
    (
        out.status.success(),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// The number after `field` on its header line of the pool text (`ref.count      132`).
fn field(text: &str, name: &str) -> usize {
    let line = text
        .lines()
        .find(|l| l.trim_start().starts_with(name))
        .unwrap_or_else(|| panic!("{name} in {text}"));
    line.trim_start()[name.len()..]
        .split_whitespace()
        .next()
        .and_then(|w| w.parse().ok())
        .unwrap_or_else(|| panic!("number after {name}: {line}"))
}

#[test]
fn pool_drill_down_text_and_svg_agree() {
    let dir = std::env::temp_dir().join(format!("pyheap-cli-pool-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("pool.svg");
    // Arena 2 of the demo keeps one block in 40: its pools are sparse, with long free lists.
    let (ok, out, err) = map(&["--pool", "2:0", "--svg", file.to_str().unwrap()]);
    assert!(ok, "{out}\n{err}");
    assert!(out.contains("pool 0 of arena 2"), "{out}");
    let count = field(&out, "ref.count");
    let szidx = field(&out, "szidx");
    let nextoffset = field(&out, "nextoffset");
    let maxnext = field(&out, "maxnextoffset");
    // szidx 1 is 32 B in the modern layout; the header is 48 B.
    assert_eq!(szidx, 1, "{out}");
    assert_eq!(maxnext, 16384 - 32, "{out}");
    assert!(count > 0 && count < 510, "a sparse pool: {out}");
    let svg = std::fs::read_to_string(&file).unwrap();
    let elems = xml_check::parse(&svg).unwrap_or_else(|e| panic!("invalid XML: {e}"));
    assert_eq!(elems[0].name, "svg");
    let state = |s: &str| {
        elems
            .iter()
            .filter(|e| e.attr("data-state") == Some(s))
            .count()
    };
    let (used, free, virgin) = (state("used"), state("free"), state("virgin"));
    assert_eq!(used, count, "in-use cells = ref.count");
    assert_eq!(used + free + virgin, 510, "every block drawn once");
    assert_eq!(
        virgin,
        (16384 - nextoffset) / 32,
        "virgin cells from nextoffset"
    );
    assert!(out.contains(&format!(
        "{used} in use + {free} on the free list + {virgin} never carved = 510"
    )));
    // The free list is numbered 0.. in list order, each position once, freeblock first.
    let mut pos: Vec<usize> = elems
        .iter()
        .filter_map(|e| e.attr("data-free-pos").map(|p| p.parse().unwrap()))
        .collect();
    pos.sort_unstable();
    assert_eq!(pos, (0..free).collect::<Vec<_>>());
    let head = elems
        .iter()
        .find(|e| e.attr("data-free-pos") == Some("0"))
        .and_then(|e| e.attr("data-block"))
        .unwrap();
    assert!(
        out.contains(&format!("freeblock      blk {head} ")),
        "the text's freeblock is the picture's first link: {out}"
    );
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn pool_drill_down_classic_layout_and_never_carved() {
    let (ok, out, err) = map(&["--pool", "0:0", "--like", "3.7"]);
    assert!(ok, "{err}");
    assert!(out.contains("classic layout: 4 KiB pools"), "{out}");
    // The demo's first pool is 32 B blocks: szidx 3 with 8-byte classes, full.
    assert_eq!(field(&out, "szidx"), 3, "{out}");
    assert_eq!(field(&out, "maxnextoffset"), 4096 - 32, "{out}");
    assert!(out.contains("state: full"), "{out}");
    // The last pool of the last arena was never carved.
    let (ok, out, _) = map(&["--pool", "8:63"]);
    assert!(ok, "{out}");
    assert!(out.contains("state: never carved"), "{out}");
}

#[test]
fn pool_errors_are_one_line_exit_2() {
    for (args, want) in [
        (&["--pool", "0:64"][..], "an arena holds pools 0 to 63"),
        (&["--pool", "5:0"][..], "arena 5 is returned to the OS"),
        (&["--pool", "99:0"][..], "arena 99 is not mapped"),
        (&["--pool", "x"][..], "is not ARENA:POOL"),
        (&[][..], "--svg FILE is required"),
        (&["--like", "3.9", "--svg", "x.svg"][..], "3.9"),
        (
            &["--classic", "--like", "3.11", "--svg", "x.svg"][..],
            "contradicts",
        ),
    ] {
        let out = pyheap().arg("map").args(args).output().unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{args:?}: {stderr}");
        assert_eq!(stderr.trim_end().lines().count(), 1, "{args:?}: {stderr}");
        assert!(stderr.contains(want), "{args:?}: {stderr}");
    }
}

#[test]
fn a_program_s_heap_mapped_and_a_pool_opened() {
    let dir = std::env::temp_dir().join(format!("pyheap-cli-map-py-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let prog = dir.join("prog.py");
    // 3000 small lists, every other one dropped: their pools are half used.
    std::fs::write(
        &prog,
        "keep = [[i] for i in range(3000)]\ndel keep[::2]\nprint(len(keep))\n",
    )
    .unwrap();
    let svg = dir.join("m.svg");
    let (ok, out, err) = map(&[prog.to_str().unwrap(), "--svg", svg.to_str().unwrap()]);
    assert!(ok, "{out}\n{err}");
    assert!(
        out.starts_with("1500\n"),
        "the program's output first: {out}"
    );
    assert!(out.contains("the heap"), "{out}");
    let text = std::fs::read_to_string(&svg).unwrap();
    let elems = xml_check::parse(&text).unwrap_or_else(|e| panic!("invalid XML: {e}"));
    // Open the first pool the map shows in use.
    let arena = elems
        .iter()
        .find(|e| e.attr("class") == Some("arena"))
        .and_then(|e| e.attr("data-index"))
        .unwrap()
        .to_string();
    let (ok, out, err) = map(&[prog.to_str().unwrap(), "--pool", &format!("{arena}:0")]);
    assert!(ok, "{out}\n{err}");
    assert!(out.contains(&format!("pool 0 of arena {arena}")), "{out}");
    assert!(out.contains("header fields:"), "{out}");
    // The program's heap on the classic layout: the map says so and draws 256 KiB arenas.
    let classic_svg = dir.join("classic.svg");
    let (ok, out, err) = map(&[
        prog.to_str().unwrap(),
        "--classic",
        "--svg",
        classic_svg.to_str().unwrap(),
    ]);
    assert!(ok, "{out}\n{err}");
    assert!(out.contains("classic layout, 256 KiB arenas"), "{out}");
    let _ = std::fs::remove_dir_all(&dir);
}
