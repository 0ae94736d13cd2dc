//! Runs each program of tests/snippets under pyheap (the `pyrun` example's code path,
//! `run_file`) and under `python3 -S`, comparing stdout, the last line of stderr and the
//! exit code. Without python3 the test says so and checks only that pyheap does not crash.

use std::path::Path;
use std::process::Command;

fn run_pyheap(path: &Path) -> (String, String, i32) {
    let exe = env!("CARGO_BIN_EXE_pyheap-python-run");
    let out = Command::new(exe).arg(path).output().expect("run pyheap");
    (
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
        out.status.code().unwrap_or(-1),
    )
}

fn last_line(s: &str) -> &str {
    s.trim_end().lines().last().unwrap_or("")
}

#[test]
fn snippets_match_cpython() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/snippets");
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    files.sort();
    assert!(!files.is_empty());
    let have_python = Command::new("python3")
        .arg("-c")
        .arg("pass")
        .output()
        .is_ok();
    for f in files {
        let (out, err, code) = run_pyheap(&f);
        assert_ne!(code, 70, "{}: internal error: {err}", f.display());
        if !have_python {
            eprintln!(
                "python3 not found: {} only checked for crashes",
                f.display()
            );
            continue;
        }
        let py = Command::new("python3").arg("-S").arg(&f).output().unwrap();
        let (pout, perr) = (
            String::from_utf8_lossy(&py.stdout),
            String::from_utf8_lossy(&py.stderr),
        );
        assert_eq!(out, pout, "{}: stdout differs", f.display());
        assert_eq!(
            last_line(&err),
            last_line(&perr),
            "{}: stderr's last line differs",
            f.display()
        );
        assert_eq!(
            code,
            py.status.code().unwrap_or(-1),
            "{}: exit code differs",
            f.display()
        );
    }
}
