//! `pyheap map --svg FILE`: writes a well-formed SVG with one cell per pool of the arenas it
//! reports; an unwritable path ends with a one-line error and a non-zero status, not a panic.

#[path = "../src/inspect/xml_check.rs"]
mod xml_check;

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
