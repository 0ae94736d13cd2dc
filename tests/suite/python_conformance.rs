//! The Python conformance suite: every program in `tests/python/` runs under `pyheap run` and is
//! compared with CPython 3.11 — stdout exactly, the last line of stderr, the exit status, and for
//! `tb_*` programs the whole of stderr (the traceback: entries, source lines, carets, chained
//! exceptions), with the directory of `File "..."` paths removed; in stderr, addresses
//! (`0x7f3a...`) are masked as `0x...`.
//!
//! ```text
//!   tests/python/NAME.py ──► pyheap run NAME.py ──► Outcome ─┐
//!                        └─► python3 -S NAME.py ─► Outcome ─┴─► equal? (diff per program)
//!                            (or NAME.expected, generated from CPython, when python3 3.11 is absent)
//! ```
//!
//! - Both interpreters run with `tests/python/` as working directory and the bare file name as
//!   argument, so tracebacks print the same path and `.expected` files hold no machine paths.
//! - `tests/python/KNOWN_FAILURES.txt` names programs that do not pass yet, each with the missing
//!   feature. They still run every time and are printed; one that starts passing fails the suite
//!   until it is removed from the list (the list never hides a program silently).
//! - `PYHEAP_BLESS=1 cargo test -p pyheap --test suite -- python_conformance` (re)writes every `.expected`
//!   file from `python3 -S` (which must be CPython 3.11); a live CPython also checks that each
//!   committed `.expected` file still agrees with it.
//! - The same test binary runs `examples/python/*.py` both ways (stdout must match).

use std::collections::BTreeMap;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

/// A program may not run longer than this under pyheap (a hang is reported, not waited for).
const DEADLINE: Duration = Duration::from_secs(60);

/// What a run shows: the parts the suite compares.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Outcome {
    exit: i32,
    /// The last non-empty line of stderr ("" when stderr is empty).
    stderr_last: String,
    /// Every line of stderr, `File "DIR/NAME"` shortened to `File "NAME"` (kept for `tb_*`
    /// programs only).
    stderr_lines: Vec<String>,
    stdout: String,
}

impl Outcome {
    fn from_output(exit: i32, stdout: &[u8], stderr: &[u8], keep_all: bool) -> Outcome {
        let stderr = String::from_utf8_lossy(stderr);
        let stderr_last = stderr
            .lines()
            .rev()
            .find(|l| !l.trim().is_empty())
            .unwrap_or("")
            .to_string();
        let stderr_lines = if keep_all {
            stderr
                .lines()
                .map(|l| mask_addresses(&frame_without_directory(l)))
                .collect()
        } else {
            Vec::new()
        };
        Outcome {
            exit,
            stderr_last: mask_addresses(&stderr_last),
            stderr_lines,
            stdout: String::from_utf8_lossy(stdout).into_owned(),
        }
    }

    /// The `.expected` file format: `# exit N`, `# stderr LINE`, `# err LINE`... (every stderr
    /// line of `tb_*` programs), `# stdout`, then stdout verbatim.
    fn to_expected(&self) -> String {
        let mut s = format!("# exit {}\n# stderr {}\n", self.exit, self.stderr_last);
        for f in &self.stderr_lines {
            s.push_str(&format!("# err {f}\n"));
        }
        s.push_str("# stdout\n");
        s.push_str(&self.stdout);
        s
    }

    fn from_expected(text: &str) -> Result<Outcome, String> {
        let mut out = Outcome {
            exit: 0,
            stderr_last: String::new(),
            stderr_lines: Vec::new(),
            stdout: String::new(),
        };
        let mut rest = text;
        loop {
            let (line, tail) = match rest.split_once('\n') {
                Some(p) => p,
                None => return Err("no `# stdout` line".into()),
            };
            rest = tail;
            if line == "# stdout" {
                out.stdout = rest.to_string();
                return Ok(out);
            } else if let Some(n) = line.strip_prefix("# exit ") {
                out.exit = n.parse().map_err(|_| format!("bad exit line {line:?}"))?;
            } else if let Some(l) = line.strip_prefix("# stderr ") {
                out.stderr_last = l.to_string();
            } else if line == "# stderr" {
                out.stderr_last.clear();
            } else if let Some(f) = line.strip_prefix("# err ") {
                out.stderr_lines.push(f.to_string());
            } else if line == "# err" {
                out.stderr_lines.push(String::new());
            } else {
                return Err(format!("unexpected header line {line:?}"));
            }
        }
    }
}

/// `  File "/some/dir/x.py", line 3, in f` → `  File "x.py", line 3, in f`: CPython 3.11 prints
/// `__main__`'s path absolute, so only the file name is machine-independent. The frame line may
/// sit inside an exception group's box (`  |   File "..."`), so whatever margin of spaces and
/// box characters precedes `File "` is kept. Other lines are kept as they are.
fn frame_without_directory(line: &str) -> String {
    let Some(at) = line.find("File \"") else {
        return line.to_string();
    };
    let (margin, rest) = (&line[..at], &line[at + "File \"".len()..]);
    if margin.len() < 2 || !margin.chars().all(|c| matches!(c, ' ' | '|' | '+' | '-')) {
        return line.to_string();
    }
    match rest.split_once('"') {
        Some((path, tail)) => {
            let name = path.rsplit('/').next().unwrap_or(path);
            format!("{margin}File \"{name}\"{tail}")
        }
        None => line.to_string(),
    }
}

/// `<function f at 0x7f3a...>` → `<function f at 0x...>`: an address differs from run to run
/// (and between the interpreters), so stderr is compared with every `0x` + hex digits masked.
fn mask_addresses(line: &str) -> String {
    let mut out = String::with_capacity(line.len());
    let mut rest = line;
    while let Some(i) = rest.find("0x") {
        out.push_str(&rest[..i + 2]);
        let tail = &rest[i + 2..];
        let hex = tail.len()
            - tail
                .trim_start_matches(|c: char| c.is_ascii_hexdigit())
                .len();
        if hex > 0 {
            out.push_str("...");
        }
        rest = &tail[hex..];
    }
    out.push_str(rest);
    out
}

fn suite_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/python")
}

fn programs_in(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .filter_map(|e| e.ok())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".py"))
        .collect();
    names.sort();
    names
}

/// Run `program args..` in `dir` with a deadline; None when it did not finish in time.
fn run_with_deadline(
    program: &str,
    args: &[&str],
    dir: &Path,
    envs: &[(&str, &str)],
) -> Option<(i32, Vec<u8>, Vec<u8>)> {
    let mut cmd = Command::new(program);
    cmd.args(args)
        .current_dir(dir)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    for (k, v) in envs {
        cmd.env(k, v);
    }
    let mut child = cmd
        .spawn()
        .unwrap_or_else(|e| panic!("cannot start {program}: {e}"));
    let mut out_pipe = child.stdout.take().expect("piped stdout");
    let mut err_pipe = child.stderr.take().expect("piped stderr");
    let out_reader = std::thread::spawn(move || {
        let mut v = Vec::new();
        let _ = out_pipe.read_to_end(&mut v);
        v
    });
    let err_reader = std::thread::spawn(move || {
        let mut v = Vec::new();
        let _ = err_pipe.read_to_end(&mut v);
        v
    });
    let start = Instant::now();
    let status = loop {
        if let Some(status) = child.try_wait().expect("wait") {
            break Some(status);
        }
        if start.elapsed() > DEADLINE {
            let _ = child.kill();
            let _ = child.wait();
            break None;
        }
        std::thread::sleep(Duration::from_millis(5));
    };
    let stdout = out_reader.join().unwrap_or_default();
    let stderr = err_reader.join().unwrap_or_default();
    // A signal death has no code: report it as -1 (never equal to CPython's status).
    status.map(|s| (s.code().unwrap_or(-1), stdout, stderr))
}

/// `python3` when it is CPython 3.11 (the version the suite's expectations follow).
fn live_cpython() -> Option<&'static str> {
    let out = Command::new("python3")
        .args(["-S", "-c", "import sys; print(sys.version_info[:2])"])
        .output()
        .ok()?;
    (out.status.success() && String::from_utf8_lossy(&out.stdout).trim() == "(3, 11)")
        .then_some("python3")
}

const CPYTHON_ENV: &[(&str, &str)] = &[
    ("PYTHONHASHSEED", "0"),
    ("PYTHONDONTWRITEBYTECODE", "1"),
    ("PYTHONIOENCODING", "utf-8"),
];

fn cpython_outcome(python: &str, dir: &Path, name: &str) -> Outcome {
    let (code, out, err) = run_with_deadline(python, &["-S", name], dir, CPYTHON_ENV)
        .unwrap_or_else(|| panic!("CPython did not finish {name}"));
    Outcome::from_output(code, &out, &err, name.starts_with("tb_"))
}

fn pyheap_outcome(dir: &Path, name: &str, extra: &[&str]) -> Result<Outcome, String> {
    let mut args = vec!["run"];
    args.extend_from_slice(extra);
    args.push(name);
    match run_with_deadline(env!("CARGO_BIN_EXE_pyheap"), &args, dir, &[]) {
        Some((code, out, err)) => Ok(Outcome::from_output(
            code,
            &out,
            &err,
            name.starts_with("tb_"),
        )),
        None => Err(format!("did not finish within {DEADLINE:?}")),
    }
}

/// `name.py: missing feature` lines of KNOWN_FAILURES.txt (`#` comments and blank lines skipped).
fn known_failures(dir: &Path) -> BTreeMap<String, String> {
    let text = std::fs::read_to_string(dir.join("KNOWN_FAILURES.txt")).unwrap_or_default();
    text.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .map(|l| match l.split_once(':') {
            Some((n, why)) => (n.trim().to_string(), why.trim().to_string()),
            None => (l.to_string(), String::from("(no reason given)")),
        })
        .collect()
}

/// A line diff (longest common subsequence) of two texts: `-` expected, `+` pyheap.
fn line_diff(expected: &str, actual: &str) -> String {
    let a: Vec<&str> = expected.lines().collect();
    let b: Vec<&str> = actual.lines().collect();
    if a.len() * b.len() > 4_000_000 {
        return format!(
            "  (outputs too long to diff: {} vs {} lines)\n",
            a.len(),
            b.len()
        );
    }
    // lcs[i][j] = length of the LCS of a[i..] and b[j..].
    let mut lcs = vec![vec![0u32; b.len() + 1]; a.len() + 1];
    for i in (0..a.len()).rev() {
        for j in (0..b.len()).rev() {
            lcs[i][j] = if a[i] == b[j] {
                lcs[i + 1][j + 1] + 1
            } else {
                lcs[i + 1][j].max(lcs[i][j + 1])
            };
        }
    }
    let (mut i, mut j, mut out) = (0, 0, String::new());
    while i < a.len() || j < b.len() {
        if i < a.len() && j < b.len() && a[i] == b[j] {
            out.push_str(&format!("   {}\n", a[i]));
            i += 1;
            j += 1;
        } else if j < b.len() && (i == a.len() || lcs[i][j + 1] >= lcs[i + 1][j]) {
            out.push_str(&format!("  +{}\n", b[j]));
            j += 1;
        } else {
            out.push_str(&format!("  -{}\n", a[i]));
            i += 1;
        }
    }
    if expected.ends_with('\n') != actual.ends_with('\n') {
        out.push_str("  (the outputs differ in their final newline)\n");
    }
    out
}

/// A readable report of how `actual` differs from `expected` ("" when they are equal).
fn describe_difference(expected: &Outcome, actual: &Outcome) -> String {
    let mut s = String::new();
    if expected.exit != actual.exit {
        s.push_str(&format!(
            "  exit status: CPython {}, pyheap {}\n",
            expected.exit, actual.exit
        ));
    }
    if expected.stderr_last != actual.stderr_last {
        s.push_str(&format!(
            "  stderr's last line:\n    CPython: {}\n    pyheap:  {}\n",
            expected.stderr_last, actual.stderr_last
        ));
    }
    if expected.stderr_lines != actual.stderr_lines {
        s.push_str("  stderr (- CPython, + pyheap):\n");
        s.push_str(&line_diff(
            &expected.stderr_lines.join("\n"),
            &actual.stderr_lines.join("\n"),
        ));
    }
    if expected.stdout != actual.stdout {
        s.push_str("  stdout (- CPython, + pyheap):\n");
        s.push_str(&line_diff(&expected.stdout, &actual.stdout));
    }
    s
}

/// Run `f` over `items` on two threads (CI has two cores), results in item order.
fn parallel_map<T: Sync, R: Send>(items: &[T], f: impl Fn(&T) -> R + Sync) -> Vec<R> {
    let next = AtomicUsize::new(0);
    let results: Mutex<Vec<Option<R>>> = Mutex::new((0..items.len()).map(|_| None).collect());
    std::thread::scope(|s| {
        for _ in 0..2 {
            s.spawn(|| {
                loop {
                    let i = next.fetch_add(1, Ordering::Relaxed);
                    if i >= items.len() {
                        break;
                    }
                    let r = f(&items[i]);
                    results.lock().unwrap()[i] = Some(r);
                }
            });
        }
    });
    results
        .into_inner()
        .unwrap()
        .into_iter()
        .map(|r| r.expect("every item ran"))
        .collect()
}

#[test]
fn conformance_suite_matches_cpython() {
    let dir = suite_dir();
    let names = programs_in(&dir);
    assert!(
        names.len() >= 200,
        "the suite has {} programs, fewer than 200",
        names.len()
    );
    let python = live_cpython();
    let bless = std::env::var_os("PYHEAP_BLESS").is_some();
    if bless {
        let py = python.expect("PYHEAP_BLESS needs python3 = CPython 3.11");
        for name in &names {
            let out = cpython_outcome(py, &dir, name);
            std::fs::write(
                dir.join(name.replace(".py", ".expected")),
                out.to_expected(),
            )
            .expect("write .expected");
        }
        eprintln!("wrote {} .expected files from CPython", names.len());
    }
    let known = known_failures(&dir);
    for listed in known.keys() {
        assert!(
            names.contains(listed),
            "KNOWN_FAILURES.txt names {listed}, which is not a program of the suite"
        );
    }

    // (name, problems with the reference, difference from pyheap)
    let results = parallel_map(&names, |name| {
        let mut reference_problems = String::new();
        let expected_path = dir.join(name.replace(".py", ".expected"));
        let committed = std::fs::read_to_string(&expected_path)
            .ok()
            .map(|t| Outcome::from_expected(&t));
        let expected = match (python, committed) {
            (Some(py), committed) => {
                let live = cpython_outcome(py, &dir, name);
                match committed {
                    Some(Ok(c)) if c != live => reference_problems.push_str(&format!(
                        "  {} is stale (regenerate with PYHEAP_BLESS=1):\n{}",
                        expected_path.display(),
                        describe_difference(&live, &c)
                    )),
                    Some(Err(e)) => reference_problems
                        .push_str(&format!("  {}: {e}\n", expected_path.display())),
                    None => reference_problems.push_str(&format!(
                        "  {} is missing (generate with PYHEAP_BLESS=1)\n",
                        expected_path.display()
                    )),
                    Some(Ok(_)) => {}
                }
                live
            }
            (None, Some(Ok(c))) => c,
            (None, Some(Err(e))) => panic!("{}: {e}", expected_path.display()),
            (None, None) => panic!(
                "{}: no python3 (CPython 3.11) and no .expected file",
                expected_path.display()
            ),
        };
        let difference = match pyheap_outcome(&dir, name, &[]) {
            Ok(actual) => describe_difference(&expected, &actual),
            Err(e) => format!("  pyheap {e}\n"),
        };
        (name.clone(), reference_problems, difference)
    });

    let mut passed = 0;
    let mut failed = Vec::new();
    let mut known_failing = Vec::new();
    let mut newly_passing = Vec::new();
    let mut stale = Vec::new();
    for (name, reference_problems, difference) in &results {
        if !reference_problems.is_empty() {
            stale.push(format!("{name}:\n{reference_problems}"));
        }
        match (difference.is_empty(), known.get(name)) {
            (true, None) => passed += 1,
            (true, Some(_)) => newly_passing.push(name.clone()),
            (false, Some(why)) => known_failing.push(format!("{name}: {why}")),
            (false, None) => failed.push(format!("{name}:\n{difference}")),
        }
    }
    for f in &failed {
        eprintln!("FAIL {f}");
    }
    for s in &stale {
        eprintln!("REFERENCE {s}");
    }
    if !known_failing.is_empty() {
        eprintln!(
            "known failures ({}, listed in tests/python/KNOWN_FAILURES.txt):",
            known_failing.len()
        );
        for k in &known_failing {
            eprintln!("  {k}");
        }
    }
    for n in &newly_passing {
        eprintln!("NOW PASSES {n}: remove it from tests/python/KNOWN_FAILURES.txt");
    }
    eprintln!(
        "python conformance: {passed} passed, {} failed, {} known failures, {} listed but passing, \
         of {} programs (reference: {})",
        failed.len(),
        known_failing.len(),
        newly_passing.len(),
        names.len(),
        if python.is_some() {
            "live python3 -S"
        } else {
            ".expected files"
        }
    );
    assert!(
        failed.is_empty() && newly_passing.is_empty() && stale.is_empty(),
        "{} programs differ from CPython, {} listed failures pass now, {} references are stale",
        failed.len(),
        newly_passing.len(),
        stale.len()
    );
}

/// `examples/python/*.py`: the course stories print the same under pyheap and CPython.
#[test]
fn python_examples_match_cpython() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/python");
    let names = programs_in(&dir);
    assert!(
        names.len() >= 5,
        "examples/python has {} stories",
        names.len()
    );
    let python = live_cpython();
    let mut failures = Vec::new();
    for name in &names {
        let actual = match pyheap_outcome(&dir, name, &[]) {
            Ok(a) => a,
            Err(e) => {
                failures.push(format!("{name}: pyheap {e}"));
                continue;
            }
        };
        if actual.exit != 0 {
            failures.push(format!(
                "{name}: pyheap exited {} ({})",
                actual.exit, actual.stderr_last
            ));
            continue;
        }
        if let Some(py) = python {
            let expected = cpython_outcome(py, &dir, name);
            let d = describe_difference(&expected, &actual);
            if !d.is_empty() {
                failures.push(format!("{name}:\n{d}"));
            }
        }
    }
    // Stories listed in examples/python/KNOWN_FAILURES.txt are printed every run, not hidden;
    // one that starts matching fails the test until its line is removed.
    let known = known_failures(&dir);
    let mut unexpected = Vec::new();
    for f in &failures {
        let name = f.split(':').next().unwrap_or_default();
        match known.get(name) {
            Some(why) => eprintln!("KNOWN {name}: {why}"),
            None => {
                eprintln!("FAIL {f}");
                unexpected.push(f.clone());
            }
        }
    }
    for name in known.keys() {
        if !failures
            .iter()
            .any(|f| f.split(':').next() == Some(name.as_str()))
        {
            eprintln!("NOW PASSES {name}: remove it from examples/python/KNOWN_FAILURES.txt");
            unexpected.push(format!("{name} now passes"));
        }
    }
    assert!(
        unexpected.is_empty(),
        "{} examples differ or pass unlisted",
        unexpected.len()
    );
}

#[test]
fn line_diff_marks_changed_lines() {
    let d = line_diff("a\nb\nc\n", "a\nx\nc\n");
    assert_eq!(d, "   a\n  +x\n  -b\n   c\n");
    let o = Outcome::from_output(
        1,
        b"out\n",
        b"Traceback\n  File \"/a/b/x.py\", line 1, in f\nE: m\n\n",
        true,
    );
    assert_eq!(o.stderr_last, "E: m");
    assert_eq!(
        o.stderr_lines,
        ["Traceback", "  File \"x.py\", line 1, in f", "E: m", ""]
    );
    assert_eq!(Outcome::from_expected(&o.to_expected()), Ok(o));
    assert_eq!(
        mask_addresses("in: <function f at 0x7f3ac0>, 0x, 0xg, <x at 0xAB1>"),
        "in: <function f at 0x...>, 0x, 0xg, <x at 0x...>"
    );
}
