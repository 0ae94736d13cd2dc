//! `pyheap sweep`: argument errors are one line and a non-zero exit (never a panic trace), and a
//! quick end-to-end run prints parseable JSON lines and a valid SVG, with CPython's twin when
//! python3 is present.

#[path = "../src/inspect/xml_check.rs"]
mod xml_check;

use std::process::Command;

fn pyheap(args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_pyheap"))
        .args(args)
        .output()
        .expect("pyheap runs")
}

fn assert_one_line_error(args: &[&str], needle: &str) {
    let out = pyheap(args);
    assert!(!out.status.success(), "{args:?} should fail");
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(
        err.trim_end().lines().count(),
        1,
        "{args:?}: one line, got {err:?}"
    );
    assert!(
        err.starts_with("pyheap: error: ") && err.contains(needle),
        "{args:?}: {err:?}"
    );
    assert!(!err.contains("panicked"), "{err}");
    assert!(
        out.stdout.is_empty(),
        "nothing runs before the arguments are checked"
    );
}

#[test]
fn bad_arguments_give_one_line_errors() {
    assert_one_line_error(&["sweep", "--workload", "nope"], "unknown workload 'nope'");
    assert_one_line_error(
        &["sweep", "--thresholds", "100,x"],
        "cannot parse threshold list '100,x'",
    );
    assert_one_line_error(
        &["sweep", "--thresholds", ""],
        "cannot parse threshold list ''",
    );
    assert_one_line_error(
        &["sweep", "--full-ratio", "-1"],
        "--full-ratio must be a number >= 0",
    );
    assert_one_line_error(&["sweep", "--gen1", "many"], "invalid value 'many'");
    assert_one_line_error(
        &["sweep", "--no-such-flag"],
        "unexpected argument '--no-such-flag'",
    );
    assert_one_line_error(
        &["sweep", "--svg", "/nonexistent-dir/x/plot.svg"],
        "cannot write /nonexistent-dir/x/plot.svg",
    );
}

fn python3_present() -> bool {
    Command::new("python3")
        .args(["-S", "-c", "pass"])
        .output()
        .map(|o| o.status.success())
        .unwrap_or(false)
}

#[test]
fn quick_sweep_prints_json_lines_and_a_valid_svg() {
    let dir = std::env::temp_dir().join(format!("pyheap-sweep-test-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let svg = dir.join("growth.svg");
    let cpython = python3_present();
    let mut args = vec![
        "sweep",
        "--workload",
        "growth",
        "--thresholds",
        "100,2000",
        "--disabled",
        "--quick",
        "--json",
    ];
    args.extend(["--svg", svg.to_str().unwrap()]);
    if cpython {
        args.push("--cpython");
    }
    let out = pyheap(&args);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let rows: Vec<serde_json::Value> = String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).expect("each line is a JSON object"))
        .collect();
    // Two thresholds plus the disabled run, for each system.
    assert_eq!(rows.len(), if cpython { 6 } else { 3 });
    for r in &rows {
        assert_eq!(r["workload"], "growth");
        let total: u64 = r["collections"]
            .as_array()
            .unwrap()
            .iter()
            .map(|c| c.as_u64().unwrap())
            .sum();
        if r["disabled"] == true {
            assert_eq!((total, r["collected"].as_u64().unwrap()), (0, 0), "{r}");
        } else {
            assert!(total > 0 && r["collected"].as_u64().unwrap() > 0, "{r}");
            assert!(r["pause_max_ms"].as_f64().unwrap() >= r["pause_mean_ms"].as_f64().unwrap());
        }
        assert!(r["time_ms"].as_f64().unwrap() > 0.0 && r["peak_rss_kib"].as_u64().unwrap() > 0);
    }
    let systems: Vec<&str> = rows.iter().map(|r| r["system"].as_str().unwrap()).collect();
    assert!(systems.contains(&"pyheap"));
    if cpython {
        assert!(systems.contains(&"cpython"));
        // Same workload, same thresholds: both systems run the same number of generation-0
        // collections within a few (allocation counting differs only in interpreter-internal
        // objects, which CPython's -S startup keeps to a minimum).
        for t in [100, 2000] {
            let g0 = |sys: &str| {
                rows.iter()
                    .find(|r| r["system"] == sys && r["threshold0"] == t && r["disabled"] == false)
                    .map(|r| r["collections"][0].as_u64().unwrap() as i64)
                    .unwrap()
            };
            let (ours, theirs) = (g0("pyheap"), g0("cpython"));
            assert!(
                (ours - theirs).abs() <= 2 + theirs / 50,
                "threshold {t}: {ours} vs {theirs}"
            );
        }
    }
    let text = std::fs::read_to_string(&svg).unwrap();
    let elements = xml_check::parse(&text).expect("the SVG is well-formed XML");
    assert!(elements.len() > 50, "four panels of axes, lines and labels");
    assert_eq!(elements[0].name, "svg");
    assert_eq!(elements[0].attr("width"), Some("1200"));
    assert!(
        elements[1..].iter().all(|e| e.parent.is_some()),
        "one root element"
    );
    let captions: Vec<&str> = elements
        .iter()
        .filter(|e| e.name == "text")
        .map(|e| e.text.trim())
        .collect();
    for panel in [
        "time (ms) vs threshold0",
        "max pause (ms) vs threshold0",
        "peak RSS (MiB) vs threshold0",
    ] {
        assert!(captions.contains(&panel), "{panel} in {captions:?}");
    }
    assert!(text.contains("vs threshold0") && text.contains("<svg"));
    std::fs::remove_dir_all(&dir).ok();
}
