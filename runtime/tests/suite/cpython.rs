//! Asking CPython: run `python3 -S` on a script with input lines, get its output lines. When
//! python3 is missing, what is committed in `tests/data/` is used instead: the whole output
//! ([`answers`]) or, for long outputs, one FNV-1a digest per 64 lines ([`check_digests`]). When
//! python3 is present, the committed file must still match the live answer (it never goes stale;
//! `PYHEAP_WRITE_EXPECTED=1` writes a missing one).

use std::io::Write;
use std::process::{Command, Stdio};

/// [`answers`] for `$file` in `tests/data/`, or under Miri (which can neither spawn python3 nor,
/// isolated, open files) that committed file's lines, built into the test.
macro_rules! answers_or_recorded {
    ($script:expr, $input:expr, $file:literal) => {
        if cfg!(miri) {
            include_str!(concat!("../data/", $file))
                .lines()
                .map(str::to_string)
                .collect::<Vec<String>>()
        } else {
            $crate::cpython::answers($script, $input, $file)
        }
    };
}
pub(crate) use answers_or_recorded;

/// CPython's output for `script` fed `input` on stdin, or the committed `expected` file's text.
pub fn answers(script: &str, input: &str, expected: &str) -> Vec<String> {
    let path = format!("{}/tests/data/{expected}", env!("CARGO_MANIFEST_DIR"));
    let committed = std::fs::read_to_string(&path).ok();
    let live = run(script, input);
    match (live, committed) {
        (Some(live), Some(committed)) => {
            assert!(
                live == committed,
                "{path} is stale: regenerate it with the live output (PYHEAP_WRITE_EXPECTED=1)"
            );
            lines(&live)
        }
        (Some(live), None) => {
            if std::env::var_os("PYHEAP_WRITE_EXPECTED").is_some() {
                std::fs::write(&path, &live).expect("write expected file");
            }
            lines(&live)
        }
        (None, Some(committed)) => lines(&committed),
        (None, None) => panic!("neither python3 nor {path} is available"),
    }
}

/// Compare `ours` (one line per input line) with CPython's output, line by line when python3
/// runs, else by the committed digests; panics listing the first mismatches.
pub fn check_digests(script: &str, input: &str, ours: &[String], expected: &str) {
    let path = format!("{}/tests/data/{expected}", env!("CARGO_MANIFEST_DIR"));
    let committed = std::fs::read_to_string(&path).ok();
    let ours_digests = digests(ours);
    match run(script, input) {
        Some(live) => {
            let theirs = lines(&live);
            assert_eq!(theirs.len(), ours.len(), "one answer per input line");
            // Input lines label the output lines while they correspond one to one.
            let cases: Vec<&str> = input.lines().collect();
            let bad: Vec<String> = ours
                .iter()
                .zip(&theirs)
                .enumerate()
                .filter(|(_, (a, b))| a != b)
                .map(|(i, (a, b))| {
                    let case = cases.get(i).filter(|_| cases.len() == ours.len());
                    format!("{}: ours {a}, CPython {b}", case.unwrap_or(&"output line"))
                })
                .take(30)
                .collect();
            assert!(bad.is_empty(), "mismatches:\n{}", bad.join("\n"));
            let live_digests = digests(&theirs);
            match committed {
                Some(c) => assert!(
                    c == live_digests,
                    "{path} is stale (PYHEAP_WRITE_EXPECTED=1)"
                ),
                None if std::env::var_os("PYHEAP_WRITE_EXPECTED").is_some() => {
                    std::fs::write(&path, live_digests).expect("write digests")
                }
                None => {}
            }
        }
        None => {
            let c = committed.unwrap_or_else(|| panic!("neither python3 nor {path}"));
            for (i, (a, b)) in c.lines().zip(ours_digests.lines()).enumerate() {
                assert_eq!(
                    a,
                    b,
                    "lines {}..{} differ from CPython's",
                    i * 64,
                    i * 64 + 64
                );
            }
        }
    }
}

fn digests(lines: &[String]) -> String {
    let mut out = String::new();
    for chunk in lines.chunks(64) {
        let mut h: u64 = 0xcbf2_9ce4_8422_2325;
        for b in chunk.iter().flat_map(|l| l.bytes().chain([b'\n'])) {
            h = (h ^ b as u64).wrapping_mul(0x100_0000_01b3);
        }
        out.push_str(&format!("{h:016x}\n"));
    }
    out
}

fn lines(s: &str) -> Vec<String> {
    s.lines().map(str::to_string).collect()
}

fn run(script: &str, input: &str) -> Option<String> {
    let mut child = Command::new("python3")
        .args(["-S", "-c", script])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .ok()?;
    let mut stdin = child.stdin.take()?;
    let input = input.to_string();
    let writer = std::thread::spawn(move || stdin.write_all(input.as_bytes()));
    let out = child.wait_with_output().ok()?;
    writer.join().ok()?.ok()?;
    assert!(out.status.success(), "python3 failed");
    Some(String::from_utf8(out.stdout).expect("utf-8 output"))
}

/// A small deterministic generator (xorshift64*).
pub struct Rng(pub u64);
impl Rng {
    pub fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
    pub fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
}
