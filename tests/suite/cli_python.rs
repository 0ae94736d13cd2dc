//! `pyheap run` and `pyheap repl` as a user types them: script arguments, -c, exit statuses,
//! one-line argument errors (status 2), the options reaching the heap, and the REPL driven
//! through a pipe (prompts, multi-line blocks, echoed results, heap commands).

use std::io::Write;
use std::process::{Command, Output, Stdio};

fn pyheap(args: &[&str], stdin: &str) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_pyheap"))
        .args(args)
        .env_remove("HOME")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("pyheap starts");
    child
        .stdin
        .take()
        .unwrap()
        .write_all(stdin.as_bytes())
        .expect("write stdin");
    child.wait_with_output().expect("pyheap ends")
}

fn text(b: &[u8]) -> String {
    String::from_utf8_lossy(b).into_owned()
}

#[test]
fn run_c_prints_and_exits_zero() {
    let out = pyheap(&["run", "-c", "print(6 * 7)"], "");
    assert_eq!(text(&out.stdout), "42\n");
    assert_eq!(out.status.code(), Some(0));
}

#[test]
fn run_c_passes_arguments_as_sys_argv() {
    let out = pyheap(
        &["run", "-c", "import sys; print(sys.argv)", "a", "--flag"],
        "",
    );
    assert_eq!(text(&out.stdout), "['-c', 'a', '--flag']\n");
}

#[test]
fn run_file_passes_script_arguments() {
    let dir = std::env::temp_dir().join(format!("pyheap-cli-python-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let script = dir.join("args.py");
    std::fs::write(
        &script,
        "import sys\nprint(sys.argv[1:])\nsys.exit(len(sys.argv))\n",
    )
    .unwrap();
    let path = script.to_str().unwrap();
    let out = pyheap(&["run", path, "x", "-v", "--y=1"], "");
    assert_eq!(text(&out.stdout), "['x', '-v', '--y=1']\n");
    assert_eq!(out.status.code(), Some(4));
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn exit_statuses_follow_cpython() {
    let cases: [(&str, i32); 4] = [
        ("import sys; sys.exit(5)", 5),
        ("raise ValueError('bad')", 1),
        ("x = (", 1),
        ("pass", 0),
    ];
    for (code, status) in cases {
        let out = pyheap(&["run", "-c", code], "");
        assert_eq!(out.status.code(), Some(status), "{code}");
    }
    let out = pyheap(&["run", "-c", "raise ValueError('bad')"], "");
    assert!(text(&out.stderr).ends_with("ValueError: bad\n"));
}

#[test]
fn argument_errors_are_one_line_and_exit_2() {
    let bad: [&[&str]; 6] = [
        &["run"],
        &["run", "--threshold", "1,2,3,4", "-c", "pass"],
        &["run", "--threshold", "x", "-c", "pass"],
        &["run", "--like", "3.12", "-c", "pass"],
        &["run", "--gc-debug", "DEBUG_NOPE", "-c", "pass"],
        &["run", "--max-heap", "12X", "-c", "pass"],
    ];
    for args in bad {
        let out = pyheap(args, "");
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        let err = text(&out.stderr);
        assert_eq!(err.lines().count(), 1, "{args:?}: {err}");
        assert!(err.starts_with("pyheap: error: "), "{args:?}: {err}");
    }
}

/// A script that cannot be opened: CPython's one line (after the program's name), exit 2.
#[test]
fn a_missing_script_is_cpythons_cant_open_and_exit_2() {
    const MISSING: &str = "/nonexistent/dir/missing.py";
    let out = pyheap(&["run", MISSING], "");
    assert_eq!(out.status.code(), Some(2));
    let err = text(&out.stderr);
    assert_eq!(
        err,
        format!("pyheap: can't open file '{MISSING}': [Errno 2] No such file or directory\n")
    );
    if let Ok(py) = Command::new("python3").args(["-S", MISSING]).output() {
        assert_eq!(py.status.code(), Some(2));
        let py_err = text(&py.stderr);
        let (_, py_msg) = py_err
            .split_once(": ")
            .expect("program name, then the message");
        let (_, msg) = err.split_once(": ").expect("pyheap: message");
        assert_eq!(msg, py_msg);
    }
}

/// The first line of `sys._debugmallocstats()` (stderr): "Small block threshold = 512, in N
/// size classes."
fn mallocstats_head(err: &str) -> Option<&str> {
    err.lines().find(|l| l.starts_with("Small block threshold"))
}

#[test]
fn classic_runs_the_heap_on_the_classic_layout() {
    const PROG: &str = "import sys; print(len([1, 2])); sys._debugmallocstats()";
    // The default layout is CPython 3.11's: the same table head as python3 -S prints.
    let out = pyheap(&["run", "-c", PROG], "");
    assert_eq!(out.status.code(), Some(0));
    let err = text(&out.stderr);
    if let Ok(py) = Command::new("python3").args(["-S", "-c", PROG]).output() {
        let py_err = text(&py.stderr);
        assert_eq!(mallocstats_head(&err), mallocstats_head(&py_err), "{err}");
    }
    assert_eq!(
        mallocstats_head(&err),
        Some("Small block threshold = 512, in 32 size classes."),
        "{err}"
    );
    // --classic and --like 3.7 run the heap on 8-byte classes (4 KiB pools, 256 KiB arenas);
    // the program runs the same. The REPL takes the option too.
    for args in [
        &["run", "--classic", "-c", PROG][..],
        &["run", "--like", "3.7", "-c", PROG][..],
    ] {
        let out = pyheap(args, "");
        assert_eq!(out.status.code(), Some(0), "{args:?}");
        assert_eq!(text(&out.stdout), "2\n", "{args:?}");
        let err = text(&out.stderr);
        assert_eq!(
            mallocstats_head(&err),
            Some("Small block threshold = 512, in 64 size classes."),
            "{args:?}: {err}"
        );
    }
    let out = pyheap(
        &["repl", "--classic"],
        "import sys\nsys._debugmallocstats()\n",
    );
    assert_eq!(out.status.code(), Some(0));
    let err = text(&out.stderr);
    assert!(err.contains("in 64 size classes"), "{err}");
    // --stats at exit shows the same layout.
    let out = pyheap(&["run", "--classic", "--stats", "-c", "x = [1]"], "");
    assert!(
        text(&out.stderr).contains("in 64 size classes"),
        "{}",
        text(&out.stderr)
    );
}

#[test]
fn options_reach_the_heap() {
    let out = pyheap(
        &[
            "run",
            "--threshold",
            "100,5,3",
            "--gc-debug",
            "DEBUG_SAVEALL|DEBUG_STATS",
            "-c",
            "import gc; print(gc.get_threshold(), gc.get_debug())",
        ],
        "",
    );
    assert_eq!(text(&out.stdout), "(100, 5, 3) 33\n");
    let out = pyheap(
        &[
            "run",
            "--like",
            "3.13",
            "-c",
            "import gc; print(gc.get_threshold())",
        ],
        "",
    );
    assert_eq!(text(&out.stdout), "(2000, 10, 10)\n");
    let out = pyheap(
        &[
            "run",
            "--threshold",
            "50",
            "-c",
            "import gc; print(gc.get_threshold())",
        ],
        "",
    );
    assert_eq!(text(&out.stdout), "(50, 10, 10)\n");
}

#[test]
fn stats_go_to_stderr_at_exit() {
    let out = pyheap(
        &[
            "run",
            "--stats",
            "-c",
            "x = [[] for i in range(100)]\nprint('ok')",
        ],
        "",
    );
    assert_eq!(text(&out.stdout), "ok\n");
    let err = text(&out.stderr);
    assert!(err.contains("# arenas allocated current"), "{err}");
    assert!(err.contains("generation  collections"), "{err}");
}

#[test]
fn repl_echoes_results_and_runs_blocks() {
    let input = "1 + 2\nx = 5\nx\ndef f(n):\n    return n * 2\n\nf(x)\nNone\n'text'\nfor i in range(2):\n    print(i)\n\n";
    let out = pyheap(&["repl"], input);
    let stdout = text(&out.stdout);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    // Results are echoed as CPython's REPL does (None is not), output interleaves with prompts.
    let results: Vec<&str> = stdout
        .split(">>> ")
        .flat_map(|chunk| chunk.split("... "))
        .flat_map(str::lines)
        .filter(|l| !l.trim().is_empty())
        .collect();
    assert_eq!(results, ["3", "5", "10", "'text'", "0", "1"], "{stdout}");
    let prompts = text(&out.stderr);
    assert!(
        prompts.contains(">>> ") && prompts.contains("... "),
        "prompts: {prompts}"
    );
}

#[test]
fn repl_reports_errors_and_goes_on() {
    let out = pyheap(&["repl"], "1/0\nprint('after')\n");
    assert!(text(&out.stdout).contains("after"));
    assert!(
        text(&out.stderr).contains("ZeroDivisionError: division by zero"),
        "{}",
        text(&out.stderr)
    );
}

#[test]
fn repl_sys_exit_sets_status() {
    let out = pyheap(&["repl"], "import sys\nsys.exit(3)\nprint('never')\n");
    assert_eq!(out.status.code(), Some(3));
    assert!(!text(&out.stdout).contains("never"));
}

#[test]
fn repl_heap_commands() {
    let dir = std::env::temp_dir().join(format!("pyheap-repl-dot-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let dot = dir.join("n.dot");
    let input = format!(
        "class Node:\n    pass\n\nn = Node()\nn.items = [1, 2]\n%help\n%stats\n%arenas\n%pools 64\n%gen\n%refs n\n%dot n {}\n%refs nope\n%bogus\n",
        dot.display()
    );
    let out = pyheap(&["repl"], &input);
    let stdout = text(&out.stdout);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert!(stdout.contains("%pools SIZE"), "help: {stdout}");
    assert!(
        stdout.contains("# arenas allocated current"),
        "stats: {stdout}"
    );
    assert!(stdout.contains("arena(s) of"), "arenas: {stdout}");
    assert!(
        stdout.contains("a 64-byte request uses size class"),
        "pools: {stdout}"
    );
    assert!(stdout.contains("objects per generation"), "gen: {stdout}");
    assert!(stdout.contains("refers to"), "refs: {stdout}");
    assert!(
        stdout.contains("referred to by"),
        "refs shows referrers: {stdout}"
    );
    assert!(stdout.contains("name 'nope' is not defined"), "{stdout}");
    assert!(stdout.contains("unknown heap command %bogus"), "{stdout}");
    let dot_text = std::fs::read_to_string(&dot).expect("%dot wrote the file");
    assert!(dot_text.starts_with("digraph"), "{dot_text}");
    // The global `n` names the target; only the module dict refers to it (the REPL's lookup
    // handle is counted out).
    assert!(dot_text.contains("n0 [label=\"Node\\n"), "{dot_text}");
    assert!(dot_text.contains("\\nrefcnt 1\""), "{dot_text}");
    assert!(dot_text.contains("label=\"n\"];\n  v"), "{dot_text}");
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn max_heap_gives_memory_error_not_a_crash() {
    // Growing past the cap is a MemoryError the program can catch and survive...
    let code = "\
try:
    keep = []
    while True:
        keep.append([0] * 1000)
except MemoryError:
    n = len(keep)
    keep = None
    print('MemoryError after', 'some' if n > 10 else 'few', 'lists')
";
    let out = pyheap(&["run", "--max-heap", "8M", "-c", code], "");
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert_eq!(text(&out.stdout), "MemoryError after some lists\n");
    // ...and uncaught, it is a traceback ending in MemoryError, exit 1.
    let out = pyheap(&["run", "--max-heap", "4M", "-c", "x = [0] * 10**7"], "");
    assert_eq!(out.status.code(), Some(1));
    assert!(
        text(&out.stderr).trim_end().ends_with("MemoryError"),
        "{}",
        text(&out.stderr)
    );
    // Without the cap the same allocation succeeds.
    let out = pyheap(&["run", "-c", "x = [0] * 10**7; print(len(x))"], "");
    assert_eq!(text(&out.stdout), "10000000\n");
}

#[test]
fn a_panic_is_an_internal_error_exit_70() {
    let out = Command::new(env!("CARGO_BIN_EXE_pyheap"))
        .args([
            "run",
            "-c",
            "print('before'); import sys; sys._pyheap_panic()",
        ])
        .env("PYHEAP_TEST_HOOKS", "1")
        .output()
        .expect("pyheap runs");
    assert_eq!(out.status.code(), Some(70));
    assert_eq!(text(&out.stdout), "before\n");
    assert!(
        text(&out.stderr).contains("internal error"),
        "{}",
        text(&out.stderr)
    );
    // The hook does not exist without the variable.
    let out = pyheap(&["run", "-c", "import sys; sys._pyheap_panic()"], "");
    assert_eq!(out.status.code(), Some(1));
}

#[test]
fn sys_exit_codes_and_messages() {
    let cases: [(&str, i32, &str); 5] = [
        ("import sys; sys.exit()", 0, ""),
        ("import sys; sys.exit(None)", 0, ""),
        ("import sys; sys.exit(3)", 3, ""),
        ("raise SystemExit(4)", 4, ""),
        ("import sys; sys.exit('bye')", 1, "bye\n"),
    ];
    for (code, status, stderr) in cases {
        let out = pyheap(&["run", "-c", code], "");
        assert_eq!(out.status.code(), Some(status), "{code}");
        assert_eq!(text(&out.stderr), stderr, "{code}");
    }
}
