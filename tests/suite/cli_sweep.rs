//! `pyheap sweep --script`: argument errors are one line and exit 2; small scripts swept on
//! pyheap and (when python3 is present) CPython give parseable JSON rows with the same
//! generation-0 collection counts on both sides; `--disabled` collects nothing; a failing script
//! stops the sweep with its traceback once and exit 1; the SVG is well-formed with every caption.

use crate::{python3_present, xml_check};

use std::path::PathBuf;
use std::process::{Command, Output};

fn pyheap(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_pyheap"))
        .args(args)
        .output()
        .expect("pyheap runs")
}

/// A scratch directory for one test, removed at the end.
struct Scratch(PathBuf);

impl Scratch {
    fn new(name: &str) -> Scratch {
        let d = std::env::temp_dir().join(format!("pyheap-sweep-{name}-{}", std::process::id()));
        std::fs::create_dir_all(&d).unwrap();
        Scratch(d)
    }
    fn file(&self, name: &str, text: &str) -> String {
        let p = self.0.join(name);
        std::fs::write(&p, text).unwrap();
        p.display().to_string()
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// Two-list cycles, every 10th kept: both systems track exactly two lists per iteration. No
/// import: the VM builds `sys` on first import (about 60 tracked objects where CPython's
/// `import sys` makes 5), which would shift generation 0 by one collection at threshold 100.
const PAIRS: &str = "\
keep = []
for i in range(3000):
    a = []
    b = [a]
    a.append(b)
    if i % 10 == 0:
        keep.append(a)
print('pairs', len(keep))
";

/// The same with the count taken from sys.argv (for `-- ARGS`).
const PAIRS_ARGV: &str = "\
import sys
keep = []
for i in range(int(sys.argv[1])):
    a = []
    b = [a]
    a.append(b)
    if i % 10 == 0:
        keep.append(a)
print('pairs', sys.argv[1:], len(keep))
";

fn json_rows(out: &Output) -> Vec<serde_json::Value> {
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout.clone())
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).expect("each line is a JSON object"))
        .collect()
}

fn assert_one_line_error(args: &[&str], needle: &str) {
    let out = pyheap(args);
    assert_eq!(out.status.code(), Some(2), "{args:?} exits 2");
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
    assert!(
        out.stdout.is_empty(),
        "nothing runs before the arguments are checked"
    );
}

#[test]
fn bad_arguments_give_one_line_errors() {
    let s = Scratch::new("args");
    let ok = s.file("ok.py", "print(1)\n");
    let cases: &[(&[&str], &str)] = &[
        (&["sweep", "--workload", "nope"], "unknown workload 'nope'"),
        (
            &["sweep", "--thresholds", "100,x"],
            "cannot parse threshold list '100,x'",
        ),
        (
            &["sweep", "--gen1", "many"],
            "cannot parse threshold list 'many'",
        ),
        (
            &["sweep", "--full-ratio", "-1"],
            "--full-ratio must be a number >= 0",
        ),
        (&["sweep", "--repeat", "0"], "--repeat must be at least 1"),
        (
            &["sweep", "--no-such-flag"],
            "unexpected argument '--no-such-flag'",
        ),
        (
            &["sweep", "--script", "/no/such/file.py"],
            "can't open file '/no/such/file.py'",
        ),
        (
            &["sweep", "--script", &ok, "--workload", "churn"],
            "cannot be used with",
        ),
        (&["sweep", "--recommend"], "--recommend needs a bound"),
        (&["sweep", "--max-rss", "64"], "add --recommend"),
        (
            &["sweep", "--recommend", "--max-pause", "-3"],
            "--max-pause must be a number > 0",
        ),
        (
            &[
                "sweep",
                "--script",
                &ok,
                "--svg",
                "/nonexistent-dir/x/plot.svg",
            ],
            "cannot write /nonexistent-dir/x/plot.svg",
        ),
    ];
    for (args, needle) in cases {
        assert_one_line_error(args, needle);
    }
}

#[test]
fn json_rows_parse_and_generation_0_counts_match_cpython() {
    let s = Scratch::new("json");
    let script = s.file("pairs.py", PAIRS);
    let cpython = python3_present();
    let mut args = vec![
        "sweep",
        "--script",
        &script,
        "--thresholds",
        "100,700",
        "--disabled",
        "--json",
    ];
    if cpython {
        args.push("--cpython");
    }
    let rows = json_rows(&pyheap(&args));
    // Two thresholds plus the disabled run, for each system.
    assert_eq!(rows.len(), if cpython { 6 } else { 3 });
    for r in &rows {
        assert_eq!(r["workload"], "pairs.py");
        let gens = |k: &str| -> Vec<u64> {
            r[k].as_array()
                .unwrap()
                .iter()
                .map(|c| c.as_u64().unwrap())
                .collect()
        };
        let (collections, collected) = (gens("collections"), gens("collected"));
        assert_eq!((collections.len(), collected.len()), (3, 3), "{r}");
        if r["disabled"] == true {
            assert_eq!(collections, [0, 0, 0], "--disabled collects nothing: {r}");
            assert_eq!(collected, [0, 0, 0], "{r}");
            assert_eq!(r["pause_count"], 0, "{r}");
        } else {
            // 2700 garbage pairs: at threshold 100 young collections find most of them.
            assert!(collected.iter().sum::<u64>() > 0, "{r}");
            assert_eq!(
                r["pause_count"].as_u64().unwrap(),
                collections.iter().sum::<u64>(),
                "one pause per collection: {r}"
            );
            let p = |k: &str| r[k].as_f64().unwrap();
            assert!(
                p("pause_p50_ms") <= p("pause_p99_ms") && p("pause_p99_ms") <= p("pause_max_ms")
            );
        }
        assert!(r["time_ms"].as_f64().unwrap() > 0.0 && r["peak_rss_kib"].as_u64().unwrap() > 0);
        // Thread CPU time is measured around the same span as wall time: positive, and (one
        // thread) never much more than the wall time (clock granularity aside).
        let (cpu, wall) = (
            r["cpu_ms"].as_f64().unwrap(),
            r["time_ms"].as_f64().unwrap(),
        );
        assert!(cpu > 0.0 && cpu <= wall * 1.05 + 1.0, "{r}");
        if r["system"] == "pyheap" {
            assert!(r["peak_heap_bytes"].as_u64().unwrap() > 0, "{r}");
        }
    }
    if cpython {
        for t in [100, 700] {
            let row = |sys: &str| {
                rows.iter()
                    .find(|r| r["system"] == sys && r["threshold0"] == t && r["disabled"] == false)
                    .unwrap()
            };
            let (ours, theirs) = (row("pyheap"), row("cpython"));
            assert_eq!(
                ours["collections"][0], theirs["collections"][0],
                "threshold {t}: gen-0 collections\n{ours}\n{theirs}"
            );
            assert_eq!(ours["stdout_same"], true, "{ours}");
            assert_eq!(theirs["stdout_same"], true, "{theirs}");
        }
    }
}

#[test]
fn a_failing_script_stops_the_sweep_with_its_traceback_once() {
    let s = Scratch::new("fail");
    let script = s.file(
        "boom.py",
        "print('before')\ndef f(x):\n    raise ValueError('boom ' + str(x))\nf(3)\n",
    );
    let mut args = vec!["sweep", "--script", &script, "--thresholds", "100,700"];
    if python3_present() {
        args.push("--cpython");
    }
    let out = pyheap(&args);
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(
        err.matches("Traceback (most recent call last):").count(),
        1,
        "{err}"
    );
    assert_eq!(err.matches("ValueError: boom 3").count(), 1, "{err}");
    assert!(err.contains("line 3, in f"), "{err}");
    let last = err.trim_end().lines().last().unwrap();
    assert!(
        last.starts_with("pyheap: sweep stopped: ")
            && last
                .contains("boom.py failed under pyheap (thresholds 100,10,10) with exit status 1"),
        "{last}"
    );
    assert!(out.stdout.is_empty(), "no table after a failure");
}

#[test]
fn svg_is_well_formed_with_every_caption_and_recommend_names_a_row() {
    let s = Scratch::new("svg");
    let script = s.file("pairs.py", PAIRS_ARGV);
    let svg = s.0.join("plot.svg");
    let cpython = python3_present();
    let mut args = vec![
        "sweep",
        "--script",
        &script,
        "--thresholds",
        "100,1000",
        "--svg",
        svg.to_str().unwrap(),
        "--recommend",
        "--max-pause",
        "10000",
    ];
    if cpython {
        args.push("--cpython");
    }
    args.extend(["--", "2000"]);
    let out = pyheap(&args);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let stdout = String::from_utf8_lossy(&out.stdout);
    if cpython {
        assert!(
            !stdout.contains("DIFFER"),
            "the argument reached both: {stdout}"
        );
    }
    assert!(
        stdout.contains("recommended for pyheap under max pause <= 10000 ms: gc.set_threshold("),
        "{stdout}"
    );
    let text = std::fs::read_to_string(&svg).unwrap();
    let elements = xml_check::parse(&text).expect("the SVG is well-formed XML");
    assert_eq!(elements[0].name, "svg");
    assert_eq!(elements[0].attr("width"), Some("1200"));
    assert!(
        elements[1..].iter().all(|e| e.parent.is_some()),
        "one root element"
    );
    let texts: Vec<&str> = elements
        .iter()
        .filter(|e| e.name == "text")
        .map(|e| e.text.trim())
        .collect();
    let panels = pyheap::lab::plot::panels_for(&if cpython {
        vec!["pyheap", "cpython"]
    } else {
        vec!["pyheap"]
    });
    assert_eq!(panels.len(), if cpython { 7 } else { 6 });
    for p in panels {
        assert!(
            texts.contains(&p.title().as_str()),
            "{} in {texts:?}",
            p.title()
        );
        assert!(
            texts.contains(&p.caption().as_str()),
            "{} in {texts:?}",
            p.caption()
        );
    }
    assert!(texts.contains(&"threshold0=100") && texts.contains(&"threshold0=1000"));
}

#[test]
fn a_stdout_mismatch_is_reported_in_the_table() {
    if !python3_present() {
        return;
    }
    let s = Scratch::new("diff");
    // pyheap's sys.version ends in "(pyheap)"; CPython's names its compiler.
    let script = s.file(
        "which.py",
        "import sys\nprint('same line')\nprint('(pyheap)' in sys.version)\n",
    );
    let out = pyheap(&[
        "sweep",
        "--script",
        &script,
        "--thresholds",
        "700",
        "--cpython",
    ]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let table = String::from_utf8_lossy(&out.stdout);
    assert_eq!(
        table.matches("DIFFER").count(),
        2,
        "both rows marked: {table}"
    );
    assert!(
        table.contains(
            "stdout differs at thresholds 700,10,10: line 2: pyheap \"True\" vs cpython \"False\""
        ),
        "{table}"
    );
}
