//! `pyheap sizes [--json] [--like 3.7|3.11|3.13]`: what objects cost, as lessons a learner can
//! check against CPython.
//!
//! 1. The flat size of each built-in ([`pyheap::inspect::sizes`]) next to `sys.getsizeof` of
//!    the local CPython (`python3 -S`), and the pymalloc block it really takes in the layout of
//!    the CPython named by `--like`: a request is rounded up to the layout's alignment (8 B
//!    classes in 3.7's classic layout, 16 B since 3.8), so a 56 B list takes 56 B in 3.7 and
//!    64 B in 3.11.
//! 2. Lessons, each one Python program run twice, on pyheap's Python front end and on
//!    `python3 -S`, the same `sys.getsizeof` calls on both, side by side:
//!    - `__dict__` vs `__slots__`: what `getsizeof` shows of an instance leaves out its
//!      attribute dict; a learner measuring `getsizeof(o) + getsizeof(o.__dict__)` sees what
//!      `__slots__` saves;
//!    - list over-allocation: appending grows the item array in steps (CPython's
//!      `list_resize`: new capacity ≈ n + n/8 + 6, rounded down to a multiple of 4), so
//!      `getsizeof` jumps at lengths 1, 5, 9, 17, 25, 33, 41, 53, 65, …;
//!    - one record (id, name, score) as a tuple, a namedtuple-like tuple subclass, a list, a
//!      dict, a class instance with its `__dict__`, and a `__slots__` instance;
//!    - the 512-byte line: pymalloc serves requests up to 512 B (`SMALL_REQUEST_THRESHOLD`);
//!      bigger ones go to the system allocator. Measured on pyheap's heap (which counter rose:
//!      a pool block or a system block) for objects that are one allocation each, on both
//!      sides of the line.
//!
//! ```text
//!   lesson script ──▶ pyheap's VM (with_interpreter): global __r__ ─repr─┐
//!                └──▶ python3 -S:  print(__r__) ──────────────────────────┴─▶ parse ─▶ rows
//! ```
//!
//! A row's value is `n/a` where a side cannot answer (no `python3`, or a construct pyheap's
//! front end does not support yet, such as subclassing `tuple`).
use super::CliError;
use pyheap::inspect::sizes;
use pyheap::runtime::{Heap, Like};

#[derive(clap::Args, Debug)]
pub struct SizesArgs {
    /// One JSON object per line: `{"type": "list", "what": "[]", "ours": 56, "cpython": 56, ..}`.
    #[arg(long)]
    pub json: bool,
    /// Which CPython's allocator layout the block column follows: 3.7 (classic, 8 B classes)
    /// or 3.11 / 3.13 (16 B classes).
    #[arg(long, value_name = "3.7|3.11|3.13", default_value = "3.11")]
    pub like: Like,
}

/// Largest request pymalloc serves (CPython's `SMALL_REQUEST_THRESHOLD`, 512 since 3.3).
const SMALL_REQUEST: usize = 512;

/// The block a request of `n` bytes takes in a layout with `alignment`-byte classes:
/// `Some(block size)`, or `None` for the system allocator.
pub fn block_for(n: usize, alignment: usize) -> Option<usize> {
    (n <= SMALL_REQUEST).then(|| n.max(1).div_ceil(alignment) * alignment)
}

/// A Python value as the lessons print it: a list of ints / `None` / nested lists.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Value {
    Int(i64),
    None,
    List(Vec<Value>),
}

/// Parse the `repr` of a list of lists of ints and `None` (what the lesson scripts produce).
pub fn parse_value(s: &str) -> Option<Value> {
    fn parse(b: &[u8], i: &mut usize) -> Option<Value> {
        while *i < b.len() && b[*i] == b' ' {
            *i += 1;
        }
        if b.get(*i) == Some(&b'[') || b.get(*i) == Some(&b'(') {
            let close = if b[*i] == b'[' { b']' } else { b')' };
            *i += 1;
            let mut items = Vec::new();
            loop {
                while *i < b.len() && (b[*i] == b' ' || b[*i] == b',') {
                    *i += 1;
                }
                if b.get(*i) == Some(&close) {
                    *i += 1;
                    return Some(Value::List(items));
                }
                items.push(parse(b, i)?);
            }
        }
        if b[*i..].starts_with(b"None") {
            *i += 4;
            return Some(Value::None);
        }
        let start = *i;
        while *i < b.len() && (b[*i] == b'-' || b[*i].is_ascii_digit()) {
            *i += 1;
        }
        std::str::from_utf8(&b[start..*i])
            .ok()?
            .parse()
            .ok()
            .map(Value::Int)
    }
    let b = s.trim().as_bytes();
    let mut i = 0;
    let v = parse(b, &mut i)?;
    (i == b.len()).then_some(v)
}

impl Value {
    fn list(&self) -> &[Value] {
        match self {
            Value::List(v) => v,
            _ => &[],
        }
    }
    fn int(&self) -> Option<i64> {
        match self {
            Value::Int(n) => Some(*n),
            _ => None,
        }
    }
}

/// The lesson program: every lesson appends one list to `__r__`. Measurements that fail (a
/// construct one side lacks) append `None`.
const LESSONS: &str = r#"import sys
__r__ = []
def __m__(f):
    try:
        __r__[-1].append(f())
    except Exception:
        __r__[-1].append(None)

class Plain:
    def __init__(self, id, name, score):
        self.id = id
        self.name = name
        self.score = score
class Slotted:
    __slots__ = ('id', 'name', 'score')
    def __init__(self, id, name, score):
        self.id = id
        self.name = name
        self.score = score
try:
    class Record(tuple):
        __slots__ = ()
except Exception:
    Record = None

# Lesson 1: __dict__ vs __slots__
__r__.append([])
p = Plain(1, 'ann', 2.5)
s = Slotted(1, 'ann', 2.5)
__m__(lambda: sys.getsizeof(p))
__m__(lambda: sys.getsizeof(p.__dict__))
__m__(lambda: sys.getsizeof(s))

# Lesson 2: list over-allocation: (length, getsizeof) at each change while appending
__r__.append([])
lst = []
last = None
for i in range(80):
    n = sys.getsizeof(lst)
    if n != last:
        __r__[-1].append([len(lst), n])
        last = n
    lst.append(i)

# Lesson 3: one record six ways
__r__.append([])
__m__(lambda: sys.getsizeof((1, 'ann', 2.5)))
__m__(lambda: sys.getsizeof(Record((1, 'ann', 2.5))))
__m__(lambda: sys.getsizeof([1, 'ann', 2.5]))
__m__(lambda: sys.getsizeof({'id': 1, 'name': 'ann', 'score': 2.5}))
__m__(lambda: sys.getsizeof(p) + sys.getsizeof(p.__dict__))
__m__(lambda: sys.getsizeof(s))

# Lesson 4: the 512-byte line
__r__.append([])
__m__(lambda: sys.getsizeof(tuple(range(59))))
__m__(lambda: sys.getsizeof(tuple(range(60))))
__m__(lambda: sys.getsizeof('x' * 463))
__m__(lambda: sys.getsizeof('x' * 464))
__m__(lambda: sys.getsizeof('x' * 479))
__m__(lambda: sys.getsizeof('x' * 480))
"#;

/// The objects of lesson 4, each a single allocation: (expression, what).
const LINE_512: [(&str, &str); 6] = [
    ("tuple(range(59))", "tuple of 59 items"),
    ("tuple(range(60))", "tuple of 60 items"),
    ("'x' * 463", "str of 463 ASCII chars"),
    ("'x' * 464", "str of 464 ASCII chars"),
    ("'x' * 479", "str of 479 ASCII chars"),
    ("'x' * 480", "str of 480 ASCII chars"),
];

/// What pyheap's allocator did for one lesson-4 object: (pool blocks added, system blocks
/// added, system bytes added).
type Landing = (i64, i64, i64);

/// Run the lessons on pyheap's front end: `__r__`, and for each [`LINE_512`] object where its
/// memory came from.
fn run_ours() -> (Option<Value>, Vec<Option<Landing>>) {
    let config = pyheap_python::RunConfig {
        argv: vec!["<sizes>".into()],
        thresholds: None,
        like: Like::Py311,
        gc_debug: 0,
        max_heap: None,
        classic_layout: false,
    };
    super::run::exit_70_on_panic(|| {
        pyheap_python::with_interpreter(config, |interp| {
            let exit = interp.run_source(LESSONS, "<sizes>");
            let r = (exit.code() == 0)
                .then(|| interp.global("__r__").and_then(|o| parse_value(&o.repr())))
                .flatten();
            let mut landings = Vec::new();
            for (expr, _) in LINE_512 {
                let heap = interp.heap();
                let before = heap.allocator_stats();
                let made = interp.run_source(&format!("__o__ = {expr}"), "<sizes>");
                let after = interp.heap().allocator_stats();
                landings.push((made.code() == 0).then(|| {
                    (
                        after.blocks_in_use as i64 - before.blocks_in_use as i64,
                        after.large_blocks_in_use as i64 - before.large_blocks_in_use as i64,
                        after.large_bytes_in_use as i64 - before.large_bytes_in_use as i64,
                    )
                }));
                let _ = interp.run_source("del __o__", "<sizes>");
            }
            (r, landings)
        })
    })
}

/// Run the lessons on `python3 -S`: `__r__` and the version, or `None` without a CPython.
fn run_cpython() -> Option<(String, Value)> {
    let script = format!(
        "{LESSONS}\nprint(sys.version.split()[0])\nprint(repr(__r__).replace(\"'\", ''))\n"
    );
    let text = sizes::run_cpython(&script)?;
    let mut lines = text.lines();
    let version = lines.next()?.to_string();
    Some((version, parse_value(lines.next()?)?))
}

fn cell(v: Option<i64>) -> String {
    v.map_or("n/a".into(), |n| n.to_string())
}

/// The figure of lesson `k`, row `i`.
fn at(v: Option<&Value>, k: usize, i: usize) -> Option<i64> {
    v?.list().get(k)?.list().get(i)?.int()
}

fn lessons_text(ours: Option<&Value>, cp: Option<&Value>, landings: &[Option<Landing>]) -> String {
    let mut o = String::new();
    let row = |o: &mut String, what: &str, a: Option<i64>, b: Option<i64>| {
        o.push_str(&format!("  {what:<46} {:>8} {:>8}\n", cell(a), cell(b)));
    };
    let head = |o: &mut String, title: &str| {
        o.push_str(&format!(
            "\n{title}\n  {:<46} {:>8} {:>8}\n",
            "sys.getsizeof", "pyheap", "CPython"
        ));
    };

    head(
        &mut o,
        "Lesson 1 · __dict__ vs __slots__ (an instance with 3 attributes)",
    );
    let names = [
        "Plain instance: getsizeof(p)",
        "  its attribute dict: getsizeof(p.__dict__)",
        "Slotted instance (__slots__): getsizeof(s)",
    ];
    for (i, n) in names.iter().enumerate() {
        row(&mut o, n, at(ours, 0, i), at(cp, 0, i));
    }
    let total = |v| Some(at(v, 0, 0)? + at(v, 0, 1)?);
    row(&mut o, "Plain, instance + dict", total(ours), total(cp));
    let saved = |v| Some(total(v)? - at(v, 0, 2)?);
    o.push_str(&format!(
        "  getsizeof(p) alone hides the dict; with it, __slots__ saves {} B per instance on \
         pyheap, {} B on CPython (the values live in the instance, no dict).\n",
        cell(saved(ours)),
        cell(saved(cp))
    ));

    o.push_str(
        "\nLesson 2 · list over-allocation: getsizeof while appending 80 items, at each change\n",
    );
    o.push_str(&format!(
        "  {:>6} {:>8} {:>8} {:>9}   capacity = (getsizeof - getsizeof([])) / 8\n",
        "len", "pyheap", "CPython", "capacity"
    ));
    let growth = |v: Option<&Value>| -> Vec<(i64, i64)> {
        v.and_then(|v| v.list().get(1))
            .map(|l| {
                l.list()
                    .iter()
                    .filter_map(|p| Some((p.list().first()?.int()?, p.list().get(1)?.int()?)))
                    .collect()
            })
            .unwrap_or_default()
    };
    let (g_ours, g_cp) = (growth(ours), growth(cp));
    let mut lens: Vec<i64> = g_ours.iter().chain(&g_cp).map(|p| p.0).collect();
    lens.sort_unstable();
    lens.dedup();
    let empty = g_cp.first().or(g_ours.first()).map_or(56, |p| p.1);
    for n in &lens {
        let a = g_ours.iter().find(|p| p.0 == *n).map(|p| p.1);
        let b = g_cp.iter().find(|p| p.0 == *n).map(|p| p.1);
        let cap = b.or(a).map(|s| (s - empty) / 8);
        o.push_str(&format!(
            "  {n:>6} {:>8} {:>8} {:>9}\n",
            cell(a),
            cell(b),
            cell(cap)
        ));
    }
    o.push_str(&format!(
        "  {}: appending reallocates only when the array is full, to about n + n/8 + 6 slots \
         (a multiple of 4), so appends are amortised O(1) and a list of n items holds up to \
         ~12 % spare slots.\n",
        if g_ours == g_cp && !g_cp.is_empty() {
            "Same steps on both"
        } else if g_cp.is_empty() {
            "(no CPython to compare)"
        } else {
            "The steps differ"
        }
    ));

    head(&mut o, "Lesson 3 · one record (1, 'ann', 2.5) six ways");
    let names = [
        "tuple",
        "namedtuple-like (tuple subclass, __slots__ = ())",
        "list",
        "dict {'id':…, 'name':…, 'score':…}",
        "class instance + its __dict__",
        "__slots__ class instance",
    ];
    for (i, n) in names.iter().enumerate() {
        row(&mut o, n, at(ours, 2, i), at(cp, 2, i));
    }
    o.push_str(
        "  (the container only: the three items are shared objects counted in none of them)\n",
    );

    head(&mut o, "Lesson 4 · above 512 B: the system allocator");
    for (i, (_, what)) in LINE_512.iter().enumerate() {
        row(&mut o, what, at(ours, 3, i), at(cp, 3, i));
    }
    o.push_str(
        "  where pyheap's allocator put each (one allocation per object; measured: which \
         counter rose):\n",
    );
    for (i, (expr, _)) in LINE_512.iter().enumerate() {
        let text = match landings.get(i).copied().flatten() {
            Some((_, large, bytes)) if large > 0 => {
                format!("a system-allocator block of {bytes} B (large blocks +{large})")
            }
            Some(_) => "a pymalloc pool block (no system block)".into(),
            None => "n/a".into(),
        };
        o.push_str(&format!("    {expr:<18} → {text}\n"));
    }
    o.push_str(
        "  CPython's rule (obmalloc.c): requests up to 512 B are served from pools, bigger ones \
         by the system malloc; getsizeof counts the GC head too, so a 60-item tuple (520 B) \
         crosses the line and a 59-item one (512 B) does not; a str crosses where its own \
         header puts it (CPython's ASCII str header is 48 B + 1 B terminator, pyheap's 32 B + 1).\n",
    );
    o
}

pub fn run(args: SizesArgs) -> Result<(), CliError> {
    let heap = Heap::new();
    let (lines, version) =
        sizes::measure(&heap).map_err(|e| CliError::Usage(format!("measuring sizes: {e}")))?;
    if args.json {
        print!("{}", sizes::to_json_lines(&lines));
        return Ok(());
    }
    let layout = args.like.layout();
    println!(
        "sys.getsizeof, in bytes (pyheap: GC head, header and payload; 64-bit); block: the \
         pymalloc block it takes in {}'s {} layout ({} B classes)",
        args.like.label(),
        layout.name,
        layout.alignment
    );
    let table = sizes::to_text(&lines, version.as_deref());
    for (i, l) in table.lines().enumerate() {
        let block = match i.checked_sub(1).and_then(|k| lines.get(k)) {
            None => "block".to_string(),
            Some(line) => {
                let n = line.cpython.unwrap_or(line.cpython_3_11);
                block_for(n, layout.alignment).map_or("system".into(), |b| format!("{b}"))
            }
        };
        println!("{l:<92} {block:>6}");
    }
    println!("(block: of the CPython figure, the memory the object really takes)");
    let ours = run_ours();
    let cp = run_cpython();
    print!(
        "{}",
        lessons_text(ours.0.as_ref(), cp.as_ref().map(|c| &c.1), &ours.1)
    );
    match &cp {
        Some((v, _)) => println!("\nCPython column: python3 -S, CPython {v}."),
        None => println!("\nCPython column: n/a (no python3 -S to ask)."),
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_parse() {
        assert_eq!(
            parse_value("[[48, None], [[0, 56]]]"),
            Some(Value::List(vec![
                Value::List(vec![Value::Int(48), Value::None]),
                Value::List(vec![Value::List(vec![Value::Int(0), Value::Int(56)])]),
            ]))
        );
        assert_eq!(parse_value("[1, 2"), None);
    }

    #[test]
    fn blocks_round_up_to_the_layout() {
        assert_eq!(block_for(56, 8), Some(56));
        assert_eq!(block_for(56, 16), Some(64));
        assert_eq!(block_for(512, 16), Some(512));
        assert_eq!(block_for(513, 16), None);
    }
}
