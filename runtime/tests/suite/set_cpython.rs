//! set and frozenset against CPython: iteration order and repr, algebra, subset tests,
//! frozenset hashes, pop order, sizes, on random int sets (small and big ints, negatives,
//! duplicates), answered by `python3 -S` (or the committed digests).

#[allow(dead_code)] // each test uses part of the helpers
use crate::cpython;

use cpython::Rng;
use pyheap_runtime::{Heap, Obj, RuntimeError, Set};

const SCRIPT: &str = r#"
import sys
def parse(t):
    return [int(x) for x in t.split(',')] if t else []
for line in sys.stdin:
    op, x, y = line.rstrip('\n').split('|')
    a, b = parse(x), parse(y)
    s, t = set(a), set(b)
    try:
        if op == 'repr': r = repr(s)
        elif op == 'frozen': r = repr(frozenset(a))
        elif op == 'len': r = len(s)
        elif op == 'hash': r = hash(frozenset(a))
        elif op == 'or': r = repr(s | t)
        elif op == 'and': r = repr(s & t)
        elif op == 'sub': r = repr(s - t)
        elif op == 'xor': r = repr(s ^ t)
        elif op == 'frozen_or': r = repr(frozenset(a) | t)
        elif op == 'ior': s |= t; r = repr(s)
        elif op == 'iand': s &= t; r = repr(s)
        elif op == 'isub': s -= t; r = repr(s)
        elif op == 'ixor': s ^= t; r = repr(s)
        elif op == 'cmp': r = f"{s <= t} {s >= t} {s < t} {s == t} {s.isdisjoint(t)}"
        elif op == 'pop': r = ' '.join(str(s.pop()) for _ in range(min(3, len(s)))) + ' ' + repr(s)
        elif op == 'discard':
            for v in b: s.discard(v)
            r = repr(s)
        elif op == 'sizeof': r = sys.getsizeof(s)
    except Exception as e:
        r = type(e).__name__ + ': ' + str(e)
    print(r)
"#;

const OPS: [&str; 16] = [
    "repr",
    "frozen",
    "len",
    "hash",
    "or",
    "and",
    "sub",
    "xor",
    "frozen_or",
    "ior",
    "iand",
    "isub",
    "ixor",
    "cmp",
    "pop",
    "discard",
];

fn random_list(rng: &mut Rng) -> Vec<String> {
    let n = rng.below(40) as usize;
    let span = [10u64, 100, 1000, 1 << 40][rng.below(4) as usize];
    (0..n)
        .map(|_| {
            let v = rng.below(span) as i64 - (span / 4) as i64;
            if rng.below(10) == 0 {
                format!("{v}{:020}", rng.below(1000)) // a big int
            } else {
                v.to_string()
            }
        })
        .collect()
}

fn build<'h>(heap: &'h Heap, items: &[String], frozen: bool) -> Set<'h> {
    let objs: Vec<Obj> = items
        .iter()
        .map(|s| heap.int_from_str(s, 10).unwrap())
        .collect();
    if frozen {
        heap.frozenset(&objs).unwrap()
    } else {
        heap.set(&objs).unwrap()
    }
}

fn py(b: bool) -> &'static str {
    if b { "True" } else { "False" }
}

fn ours(heap: &Heap, op: &str, a: &[String], b: &[String]) -> Result<String, RuntimeError> {
    let (s, t) = (build(heap, a, false), build(heap, b, false));
    Ok(match op {
        "repr" => s.repr(),
        "frozen" => build(heap, a, true).repr(),
        "len" => s.len().to_string(),
        "hash" => build(heap, a, true).hash()?.to_string(),
        "or" => s.union(&t)?.repr(),
        "and" => s.intersection(&t)?.repr(),
        "sub" => s.difference(&t)?.repr(),
        "xor" => s.symmetric_difference(&t)?.repr(),
        "frozen_or" => build(heap, a, true).union(&t)?.repr(),
        "ior" => {
            s.update(&t)?;
            s.repr()
        }
        "iand" => {
            s.intersection_update(&t)?;
            s.repr()
        }
        "isub" => {
            s.difference_update(&t)?;
            s.repr()
        }
        "ixor" => {
            s.symmetric_difference_update(&t)?;
            s.repr()
        }
        "cmp" => format!(
            "{} {} {} {} {}",
            py(s.is_subset(&t)?),
            py(s.is_superset(&t)?),
            py(s.is_proper_subset(&t)?),
            py(s.py_eq(&t)),
            py(s.is_disjoint(&t)?)
        ),
        "pop" => {
            let mut out = Vec::new();
            for _ in 0..s.len().min(3) {
                out.push(heap.int_str(&s.pop()?)?);
            }
            format!("{} {}", out.join(" "), s.repr())
        }
        "discard" => {
            for v in b {
                s.discard(&heap.int_from_str(v, 10)?)?;
            }
            s.repr()
        }
        "sizeof" => heap.sizeof(&s).to_string(),
        _ => unreachable!(),
    })
}

#[test]
fn sets_match_cpython() {
    let mut rng = Rng(0xfeed_5e75);
    let mut cases = Vec::new();
    for _ in 0..120 {
        let a = random_list(&mut rng);
        // Overlapping operands: part of `a` plus fresh values.
        let mut b: Vec<String> = a.iter().filter(|_| rng.below(2) == 0).cloned().collect();
        b.extend(random_list(&mut rng));
        for op in OPS {
            cases.push((op, a.clone(), b.clone()));
        }
    }
    let input: String = cases
        .iter()
        .map(|(op, a, b)| format!("{op}|{}|{}\n", a.join(","), b.join(",")))
        .collect();
    let heap = Heap::new();
    let answers: Vec<String> = cases
        .iter()
        .map(|(op, a, b)| ours(&heap, op, a, b).unwrap_or_else(|e| e.to_string()))
        .collect();
    cpython::check_digests(SCRIPT, &input, &answers, "set_cpython.digests");
    assert_eq!(heap.live_objects(), 0);
}

#[test]
fn set_sizes_never_exceed_cpython() {
    let mut rng = Rng(77);
    let lists: Vec<Vec<String>> = (0..40).map(|_| random_list(&mut rng)).collect();
    let input: String = lists
        .iter()
        .map(|a| format!("sizeof|{}|\n", a.join(",")))
        .collect();
    let theirs = cpython::answers(SCRIPT, &input, "set_sizes.expected");
    let heap = Heap::new();
    for (a, want) in lists.iter().zip(&theirs) {
        let ours = heap.sizeof(&build(&heap, a, false));
        assert!(
            ours <= want.parse().unwrap(),
            "set({a:?}): {ours} > CPython's {want}"
        );
    }
    assert_eq!(heap.sizeof(&heap.set(&[]).unwrap()), 80); // CPython: 216
}
