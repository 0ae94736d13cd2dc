//! `pyheap sizes`: the lessons' figures against CPython (`python3 -S`, when there is one) and
//! against what must hold on pyheap whatever the local Python: `__slots__` saves memory once
//! the dict is counted, lists grow in CPython's steps, a 60-item tuple (520 B) goes to the
//! system allocator and a 59-item one (512 B) does not, `--like` picks the block rounding.

use std::process::Command;

fn pyheap() -> Command {
    Command::new(env!("CARGO_BIN_EXE_pyheap"))
}

fn sizes(args: &[&str]) -> String {
    let out = pyheap().arg("sizes").args(args).output().unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// The two figures (pyheap, CPython) at the end of the row starting with `label`.
fn row(text: &str, label: &str) -> (Option<i64>, Option<i64>) {
    let line = text
        .lines()
        .find(|l| l.trim_start().starts_with(label))
        .unwrap_or_else(|| panic!("{label:?} in {text}"));
    let w: Vec<&str> = line.split_whitespace().collect();
    let n = |s: &str| s.parse().ok();
    (n(w[w.len() - 2]), n(w[w.len() - 1]))
}

/// CPython's own answers, asked directly (not through pyheap).
fn cpython(code: &str) -> Option<String> {
    let out = Command::new("python3")
        .args(["-S", "-c", code])
        .output()
        .ok()?;
    out.status
        .success()
        .then(|| String::from_utf8_lossy(&out.stdout).trim().to_string())
}

#[test]
fn slots_save_memory_once_the_dict_is_counted() {
    let text = sizes(&[]);
    let (plain, plain_cp) = row(&text, "Plain, instance + dict");
    let (slotted, slotted_cp) = row(&text, "Slotted instance");
    assert!(plain.unwrap() > slotted.unwrap(), "{text}");
    if let Some(c) = cpython(
        "import sys\nclass P:\n  def __init__(s): s.id=1; s.name='ann'; s.score=2.5\n\
         class S:\n  __slots__=('id','name','score')\n  def __init__(s): s.id=1; s.name='ann'; s.score=2.5\n\
         p=P(); print(sys.getsizeof(p)+sys.getsizeof(p.__dict__), sys.getsizeof(S()))",
    ) {
        let v: Vec<i64> = c.split_whitespace().map(|x| x.parse().unwrap()).collect();
        assert_eq!((plain_cp, slotted_cp), (Some(v[0]), Some(v[1])), "{text}");
    }
}

#[test]
fn list_growth_steps_are_cpython_s() {
    let text = sizes(&[]);
    let section = text
        .split("Lesson 2")
        .nth(1)
        .and_then(|s| s.split("Lesson 3").next())
        .unwrap();
    let rows: Vec<Vec<String>> = section
        .lines()
        .map(|l| l.split_whitespace().map(String::from).collect::<Vec<_>>())
        .filter(|w| w.len() == 4 && w[0].parse::<i64>().is_ok())
        .collect();
    let lens: Vec<i64> = rows.iter().map(|w| w[0].parse().unwrap()).collect();
    // CPython 3.11's list_resize: the lengths at which getsizeof changes, appending 80 items.
    assert_eq!(lens, [0, 1, 5, 9, 17, 25, 33, 41, 53, 65, 77], "{section}");
    if let Some(c) = cpython(
        "import sys\nl=[]\nr=[]\nfor i in range(80):\n  r.append(sys.getsizeof(l)); l.append(i)\nprint(sorted(set(r)))",
    ) {
        let cp: Vec<String> = rows.iter().map(|w| w[2].clone()).collect();
        assert_eq!(format!("[{}]", cp.join(", ")), c, "{section}");
    }
    // pyheap's column equals the CPython column.
    assert!(rows.iter().all(|w| w[1] == w[2]), "{section}");
    assert!(section.contains("Same steps on both"), "{section}");
}

#[test]
fn records_six_ways_match_cpython_where_it_answers() {
    let all = sizes(&[]);
    let text = all
        .split("Lesson 3")
        .nth(1)
        .and_then(|s| s.split("Lesson 4").next())
        .unwrap();
    let (tuple, tuple_cp) = row(text, "tuple  ");
    let (list, _) = row(text, "list  ");
    assert!(
        tuple.unwrap() < list.unwrap(),
        "a tuple is smaller than a list: {text}"
    );
    if let Some(c) = cpython(
        "import sys\nclass R(tuple):\n  __slots__=()\n\
         print(sys.getsizeof((1,'ann',2.5)), sys.getsizeof(R((1,'ann',2.5))), sys.getsizeof({'id':1,'name':'ann','score':2.5}))",
    ) {
        let v: Vec<i64> = c.split_whitespace().map(|x| x.parse().unwrap()).collect();
        assert_eq!(tuple_cp, Some(v[0]), "{text}");
        assert_eq!(row(text, "namedtuple-like").1, Some(v[1]), "{text}");
        assert_eq!(row(text, "dict {").1, Some(v[2]), "{text}");
    }
}

#[test]
fn above_512_bytes_goes_to_the_system_allocator() {
    let text = sizes(&[]);
    assert_eq!(row(&text, "tuple of 59 items").0, Some(512), "{text}");
    assert_eq!(row(&text, "tuple of 60 items").0, Some(520), "{text}");
    let landed = |expr: &str| {
        text.lines()
            .find(|l| l.trim_start().starts_with(expr))
            .unwrap_or_else(|| panic!("{expr} in {text}"))
            .to_string()
    };
    assert!(
        landed("tuple(range(59))").contains("pymalloc pool block"),
        "{text}"
    );
    assert!(
        landed("tuple(range(60))").contains("system-allocator block of 520 B"),
        "{text}"
    );
    if let Some(c) = cpython(
        "import sys\nprint(sys.getsizeof(tuple(range(59))), sys.getsizeof(tuple(range(60))))",
    ) {
        assert_eq!(c, "512 520");
    }
}

#[test]
fn like_picks_the_block_rounding_and_bad_values_are_one_line() {
    // `list []` is 56 B: a 56 B block with 3.7's 8-byte classes, 64 B with 16-byte ones.
    let block = |text: &str| {
        text.lines()
            .find(|l| l.starts_with("list       []"))
            .and_then(|l| l.split_whitespace().last())
            .map(String::from)
            .unwrap()
    };
    assert_eq!(block(&sizes(&["--like", "3.7"])), "56");
    assert_eq!(block(&sizes(&["--like", "3.11"])), "64");
    assert!(sizes(&["--like", "3.7"]).contains("CPython 3.7's classic layout"));
    let out = pyheap().args(["sizes", "--like", "2.7"]).output().unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(err.trim_end().lines().count(), 1, "{err}");
}
