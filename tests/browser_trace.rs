//! The `pyheap trace` page in a real browser: headless Chromium (Debian's `chromium`) driven by
//! playwright-core (`tests/browser/trace_page.mjs`). Checks that the slider moves the
//! highlighted line, that the refcount shown for a name is what `sys.getrefcount` printed in
//! the same program, that the occupancy map changes when an arena is returned, and that the page
//! logs no console error and makes no network request.
//!
//! A plain `main` (`harness = false` in Cargo.toml), so that `cargo test` shows its output:
//! where it cannot run (no node/npm, no chromium and no way to install it) it prints
//! `browser test SKIPPED: <reason>` and succeeds; it never skips silently. It installs
//! playwright-core with npm into the target directory, and chromium with apt-get when it is
//! missing and apt-get is there (as root). Screenshots go to `$TMPDIR/pyheap-trace-shots/`,
//! outside the repository. `PYHEAP_CHROMIUM` overrides the browser's path.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

fn main() {
    match run() {
        Ok(()) => println!("browser test: 1 passed, 0 failed"),
        Err(Outcome::Skip(why)) => println!("browser test SKIPPED: {why}"),
        Err(Outcome::Fail(why)) => {
            println!("browser test FAILED: {why}");
            std::process::exit(1);
        }
    }
}

enum Outcome {
    Skip(String),
    Fail(String),
}

fn ok(cmd: &mut Command) -> bool {
    cmd.stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success())
}

fn chromium() -> Result<PathBuf, Outcome> {
    if let Ok(p) = std::env::var("PYHEAP_CHROMIUM") {
        return Ok(PathBuf::from(p));
    }
    let p = PathBuf::from("/usr/bin/chromium");
    if p.exists() {
        return Ok(p);
    }
    let root = Command::new("id")
        .arg("-u")
        .output()
        .is_ok_and(|o| o.stdout.starts_with(b"0"));
    if root && ok(Command::new("apt-get").arg("--version")) {
        println!("browser test: chromium missing, running apt-get install -y chromium");
        let _ = ok(Command::new("apt-get").arg("update"));
        let _ = ok(Command::new("apt-get").args(["install", "-y", "chromium"]));
        if p.exists() {
            return Ok(p);
        }
        return Err(Outcome::Skip("apt-get install -y chromium failed".into()));
    }
    Err(Outcome::Skip(
        "no /usr/bin/chromium and no apt-get as root to install it (set PYHEAP_CHROMIUM)".into(),
    ))
}

fn playwright(dir: &Path) -> Result<(), Outcome> {
    if !ok(Command::new("node").arg("--version")) {
        return Err(Outcome::Skip("node is not installed".into()));
    }
    if dir.join("node_modules/playwright-core").exists() {
        return Ok(());
    }
    std::fs::create_dir_all(dir).map_err(|e| Outcome::Skip(format!("{}: {e}", dir.display())))?;
    if !ok(Command::new("npm").arg("--version")) {
        return Err(Outcome::Skip("npm is not installed".into()));
    }
    let installed = ok(Command::new("npm")
        .args([
            "install",
            "--no-audit",
            "--no-fund",
            "--silent",
            "playwright-core@1.65.1",
        ])
        .current_dir(dir));
    if !installed {
        return Err(Outcome::Skip(
            "npm install playwright-core failed (no registry?)".into(),
        ));
    }
    Ok(())
}

fn run() -> Result<(), Outcome> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let work = Path::new(env!("CARGO_TARGET_TMPDIR")).join("browser");
    let exe = chromium()?;
    playwright(&work)?;

    // The page, and what the program printed.
    let program = root.join("tests/browser/trace_demo.py");
    let page = std::env::temp_dir().join(format!("pyheap-browser-{}.html", std::process::id()));
    let out = Command::new(env!("CARGO_BIN_EXE_pyheap"))
        .arg("trace")
        .arg(&program)
        .arg("-o")
        .arg(&page)
        .output()
        .map_err(|e| Outcome::Fail(format!("pyheap trace: {e}")))?;
    if !out.status.success() {
        return Err(Outcome::Fail(format!(
            "pyheap trace failed: {}",
            String::from_utf8_lossy(&out.stderr)
        )));
    }
    let stdout = String::from_utf8_lossy(&out.stdout);
    let rc_x: Vec<u64> = stdout
        .lines()
        .filter_map(|l| l.strip_prefix("rc_x "))
        .map(|n| n.trim().parse().expect("a number"))
        .collect();
    let source = std::fs::read_to_string(&program).expect("program");
    let print_lines: Vec<usize> = source
        .lines()
        .enumerate()
        .filter(|(_, l)| l.starts_with("print(\"rc_x\""))
        .map(|(i, _)| i + 1)
        .collect();
    assert_eq!(rc_x.len(), print_lines.len(), "{stdout}");
    let expected = format!("{{\"rc_x\":{rc_x:?},\"print_lines\":{print_lines:?}}}");

    let shots = std::env::temp_dir().join("pyheap-trace-shots");
    let profile = work.join(format!("profile-{}", std::process::id()));
    let _ = std::fs::create_dir_all(&shots);
    let _ = std::fs::remove_dir_all(&profile);
    let script = root.join("tests/browser/trace_page.mjs");
    // Node resolves `playwright-core` from the script's directory upwards, so run a copy
    // placed next to the installed node_modules.
    let copy = work.join("trace_page.mjs");
    std::fs::copy(&script, &copy).map_err(|e| Outcome::Fail(format!("copy script: {e}")))?;
    let res = Command::new("node")
        .arg(&copy)
        .arg(&page)
        .arg(&shots)
        .arg(&exe)
        .arg(&profile)
        .arg(&expected)
        .output()
        .map_err(|e| Outcome::Fail(format!("node: {e}")))?;
    print!("{}", String::from_utf8_lossy(&res.stdout));
    let _ = std::fs::remove_dir_all(&profile);
    let _ = std::fs::remove_file(&page);
    if !res.status.success() {
        let err = String::from_utf8_lossy(&res.stderr);
        if err.contains("Failed to launch") || err.contains("error while loading shared") {
            return Err(Outcome::Skip(format!("chromium would not start: {err}")));
        }
        return Err(Outcome::Fail(format!("checks failed: {err}")));
    }
    println!("browser test: screenshots in {}", shots.display());
    Ok(())
}
