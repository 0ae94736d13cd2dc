//! `pyheap trace`: the page's data (read back from the JSON inside it) says what the program
//! did — the refcount shown for a name is what `sys.getrefcount` printed, the collection is
//! logged with what it freed, an arena returned to the OS shows as a ghost row — every arena
//! map in it is well-formed SVG, the page loads nothing from outside, a 200-line program gives
//! a small page, and bad input is a one-line error. (tests/browser_trace.rs opens it in Chromium.)

use crate::xml_check;

use serde_json::Value;
use std::path::{Path, PathBuf};
use std::process::Command;

fn pyheap() -> Command {
    Command::new(env!("CARGO_BIN_EXE_pyheap"))
}

fn tmp(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("pyheap-trace-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    dir.join(name)
}

/// Trace `program`; returns (stdout, page text, page data).
fn trace(program: &Path, page: &Path) -> (String, String, Value) {
    let out = pyheap()
        .arg("trace")
        .arg(program)
        .arg("-o")
        .arg(page)
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout).to_string();
    assert!(
        out.status.success(),
        "{stdout}{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let html = std::fs::read_to_string(page).unwrap();
    let start = html
        .find(r#"<script id="trace-data" type="application/json">"#)
        .unwrap();
    let body = &html[start..];
    let body = &body[body.find('>').unwrap() + 1..body.find("</script>").unwrap()];
    let data: Value = serde_json::from_str(&body.replace("<\\/", "</")).unwrap();
    (stdout, html, data)
}

fn demo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/browser/trace_demo.py")
}

#[test]
fn the_page_says_what_the_program_did() {
    let page = tmp("demo.html");
    let (stdout, html, data) = trace(&demo(), &page);
    let steps = data["steps"].as_array().unwrap();
    let objects = data["objects"].as_array().unwrap();
    let source = std::fs::read_to_string(demo()).unwrap();
    let nlines = source.lines().count() as u64;

    // Steps: every line is a line of the file; the last step is the end state.
    assert!(steps.len() > 10, "{} steps", steps.len());
    for s in steps {
        assert!(s["line"].as_u64().unwrap() <= nlines);
    }
    assert_eq!(steps.last().unwrap()["line"], 0);
    assert!(
        steps.iter().any(|s| s["fn"] == "pair"),
        "the function's lines are steps"
    );

    // After each print(sys.getrefcount(x)), the page shows the printed value for x.
    let printed: Vec<u64> = stdout
        .lines()
        .filter_map(|l| l.strip_prefix("rc_x "))
        .map(|n| n.parse().unwrap())
        .collect();
    let print_lines: Vec<u64> = source
        .lines()
        .enumerate()
        .filter(|(_, l)| l.starts_with("print(\"rc_x\""))
        .map(|(i, _)| i as u64 + 1)
        .collect();
    assert_eq!(printed.len(), 3, "{stdout}");
    for (line, want) in print_lines.iter().zip(&printed) {
        let i = (1..steps.len())
            .find(|&i| steps[i - 1]["line"] == *line && steps[i]["fn"] == "<module>")
            .unwrap();
        let s = &steps[i];
        let target = s["names"]
            .as_array()
            .unwrap()
            .iter()
            .find(|n| n[0] == "global" && n[1] == "x")
            .unwrap()[2]
            .clone();
        let shown = s["objs"]
            .as_array()
            .unwrap()
            .iter()
            .map(|k| &objects[k.as_u64().unwrap() as usize])
            .find(|o| o["id"] == target)
            .unwrap();
        assert_eq!(shown["rc"].as_u64(), Some(*want), "after line {line}");
        assert_eq!(shown["ty"], "list");
    }

    // The collection is logged with what it freed (the a <-> b dict pair: 2, as printed).
    let events: Vec<&str> = steps
        .iter()
        .flat_map(|s| s["ev"].as_array().unwrap())
        .map(|e| e.as_str().unwrap())
        .collect();
    assert!(stdout.contains("done 2"), "{stdout}");
    assert!(
        events
            .iter()
            .any(|e| e.starts_with("collect(2):") && e.contains("2 unreachable freed")),
        "{events:?}"
    );
    assert!(
        events
            .iter()
            .any(|e| e.contains(" carved for ") && e.ends_with(" B blocks"))
    );

    // An arena is mapped by the big list and returned after `del big`; the map of that step
    // has one row fewer and a ghost row.
    let r = steps
        .iter()
        .position(|s| {
            s["ev"]
                .as_array()
                .unwrap()
                .iter()
                .any(|e| e.as_str().unwrap().contains("returned to the OS"))
        })
        .expect("an arena returned");
    assert!(steps[r]["arenas"].as_u64() < steps[r - 1]["arenas"].as_u64());
    let maps = data["maps"].as_array().unwrap();
    let map = &maps[steps[r]["map"].as_u64().unwrap() as usize];
    assert!(!map["returned"].as_array().unwrap().is_empty());
    assert!(map["svg"].as_str().unwrap().contains(r#"class="returned""#));

    // Every map is well-formed SVG, with a cell per pool that the page refills.
    for m in maps {
        let svg = m["svg"].as_str().unwrap();
        let elems = xml_check::parse(svg).unwrap_or_else(|e| panic!("invalid SVG: {e}"));
        let cells = elems
            .iter()
            .filter(|e| e.attr("class") == Some("pool"))
            .count();
        assert_eq!(cells as u64, m["arenas"].as_u64().unwrap() * 64);
    }
    // The cells of each step, rebuilt from the full lists and the changes, account for every
    // small block in use.
    let styles = data["styles"].as_array().unwrap();
    let mut cells: Vec<u64> = Vec::new();
    for s in steps {
        let m = &maps[s["map"].as_u64().unwrap() as usize];
        let n = m["arenas"].as_u64().unwrap() as usize * 64;
        if let Some(full) = s["cells"].as_array() {
            cells = full.iter().map(|c| c.as_u64().unwrap()).collect();
        } else {
            for d in s["dcells"].as_array().unwrap() {
                cells[d[0].as_u64().unwrap() as usize] = d[1].as_u64().unwrap();
            }
        }
        assert_eq!(cells.len(), n);
        let used: u64 = cells
            .iter()
            .map(|&c| styles[c as usize][8].as_u64().unwrap())
            .sum();
        assert_eq!(used, s["blocks"].as_u64().unwrap());
    }

    // Self-contained: no external script, style, image or font.
    for bad in [
        "<script src",
        "<link",
        "<img",
        "@import",
        "url(http",
        "https://",
    ] {
        assert!(!html.contains(bad), "{bad}");
    }
    assert!(html.contains("Sampling: each line is a step the first 10 times it runs"));
}

#[test]
fn a_200_line_program_gives_a_small_page() {
    let mut src = String::from("import gc\nitems = []\n");
    for i in 0..49 {
        src.push_str(&format!(
            "def f{i}(n):\n    out = [k * {i} for k in range(n)]\n    return len(out)\nitems.append(f{i}(30))\n"
        ));
    }
    src.push_str("gc.collect()\nprint(sum(items))\n");
    assert!(src.lines().count() >= 198);
    let program = tmp("long.py");
    std::fs::write(&program, &src).unwrap();
    let page = tmp("long.html");
    let (stdout, html, data) = trace(&program, &page);
    // Each f_i returns len([k * i for k in range(30)]) = 30.
    let expected = 49 * 30;
    assert_eq!(stdout.trim(), expected.to_string());
    let steps = data["steps"].as_array().unwrap().len();
    assert!(steps <= 2000, "{steps}");
    assert!(data["events"].as_u64().unwrap() as usize >= steps);
    // The limit the page states: a few hundred KiB for a program of this size.
    assert!(html.len() < 3 << 20, "{} bytes", html.len());
    println!(
        "200-line program: {} line events, {steps} steps, page {} KiB",
        data["events"],
        html.len() / 1024
    );
}

#[test]
fn bad_input_is_a_one_line_error() {
    let out = pyheap()
        .args(["trace", "/nonexistent/prog.py", "-o"])
        .arg(tmp("x.html"))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("can't open file"), "{err}");
    assert_eq!(err.trim().lines().count(), 1, "{err}");
    // --classic runs the program on the classic layout, and the page says so.
    let program = tmp("classic.py");
    std::fs::write(&program, "x = 1\n").unwrap();
    let page = tmp("classic.html");
    let out = pyheap()
        .arg("trace")
        .arg(&program)
        .args(["--classic", "-o"])
        .arg(&page)
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let html = std::fs::read_to_string(&page).unwrap();
    assert!(
        html.contains("classic layout"),
        "the page names the classic layout"
    );
}

#[test]
fn a_failing_program_still_writes_its_page() {
    let program = tmp("fail.py");
    std::fs::write(&program, "a = [1]\nb = a\nraise ValueError('boom')\n").unwrap();
    let page = tmp("fail.html");
    let out = pyheap()
        .arg("trace")
        .arg(&program)
        .arg("-o")
        .arg(&page)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("ValueError: boom"));
    let html = std::fs::read_to_string(&page).unwrap();
    assert!(html.contains("exit status 1"));
}
