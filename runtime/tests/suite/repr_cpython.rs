//! Python's repr of floats and strs, str/list slicing and list sorting against CPython 3.11
//! (`python3 -S`, or the committed digests): a few hundred floats (random bit patterns, decimal
//! fractions, powers of ten, the exponent-form borders, inf/nan/-0.0), a few hundred strs (quotes,
//! escapes, controls, Latin-1, other planes), `str.isprintable()` over every code point, slices
//! on a grid of bounds and steps, and sorts with keys and `reverse`.

#[allow(dead_code)] // each test uses part of the helpers
use crate::cpython;

use cpython::Rng;
use pyheap_runtime::{Heap, Obj, RuntimeError};

const SCRIPT: &str = r#"
import sys, struct
S = 'aé€😀b\'"\\\nc'
def printable_ranges():
    out, start = [], None
    for c in range(0x110000):
        p = chr(c).isprintable()
        if not p and start is None: start = c
        if p and start is not None: out.append(f"{start:x}-{c - 1:x}"); start = None
    if start is not None: out.append(f"{start:x}-10ffff")
    return out
for line in sys.stdin:
    op, arg = line.rstrip('\n').split(' ', 1)
    if op == 'float':
        print(repr(struct.unpack('<d', int(arg).to_bytes(8, 'little'))[0]))
    elif op == 'str':
        print(repr(''.join(chr(int(c, 16)) for c in arg.split(',') if c)))
    elif op == 'printable':
        print('\n'.join(printable_ranges()))
    elif op == 'slice':
        n, a, b, c = [None if x == 'N' else int(x) for x in arg.split(',')]
        try:
            print(repr(list(range(n))[a:b:c]), repr(S[:n][a:b:c]))
        except ValueError as e:
            print('ValueError:', e)
    elif op == 'sort':
        kind, rev, keyed, *vals = arg.split(',')
        vals = [v[1:] for v in vals if v]
        xs = [int(v) for v in vals] if kind == 'i' else [v for v in vals]
        if kind == 'f': xs = [float(v) for v in vals]
        key = (lambda x: x % 7) if keyed == '1' and kind == 'i' else (len if keyed == '1' else None)
        xs.sort(key=key, reverse=rev == '1')
        print(repr(xs))
"#;

fn floats() -> Vec<f64> {
    let mut v = vec![
        0.0,
        -0.0,
        1.0,
        -1.0,
        0.1,
        0.5,
        1.5,
        2.0,
        1e16,
        1e15,
        9999999999999998.0,
        1e17,
        1e-4,
        1e-5,
        0.0001234,
        123456789.0,
        1e300,
        1e-300,
        5e-324,
        f64::MAX,
        f64::MIN_POSITIVE,
        f64::INFINITY,
        f64::NEG_INFINITY,
        f64::NAN,
        2f64.powi(-97),
        2097152.0004882812,
        1.0 / 3.0,
        100.0,
        1e22,
        1e23,
        123.456,
        -2.5e-7,
    ];
    let mut rng = Rng(0xf10a7);
    for _ in 0..150 {
        v.push(f64::from_bits(rng.next()));
    }
    for _ in 0..100 {
        let m = rng.below(1_000_000) as f64;
        let e = rng.below(40) as i32 - 20;
        v.push(m * 10f64.powi(e));
    }
    v
}

fn strs() -> Vec<String> {
    let mut v: Vec<String> = [
        "",
        "a",
        "'",
        "\"",
        "'\"",
        "it's",
        "\\",
        "\n\t\r",
        "\x00\x7f\u{80}\u{a0}\u{ad}",
        "é€😀",
        "\u{200b}\u{2028}\u{feff}\u{e000}\u{10ffff}\u{e0001}",
        "\u{378}\u{1f600}\u{30000}",
        "a b\u{3000}c",
    ]
    .iter()
    .map(|s| s.to_string())
    .collect();
    let mut rng = Rng(0x57a);
    let ranges: [(u32, u32); 6] = [
        (0, 0x80),
        (0x80, 0x100),
        (0x100, 0x3000),
        (0x3000, 0xd800),
        (0xe000, 0x10000),
        (0x10000, 0x110000),
    ];
    for _ in 0..250 {
        let n = rng.below(12) as usize;
        let s: String = (0..n)
            .filter_map(|_| {
                let (lo, hi) = ranges[rng.below(6) as usize];
                char::from_u32(lo + rng.below((hi - lo) as u64) as u32)
            })
            .collect();
        v.push(s);
    }
    v
}

const SLICE_S: &str = "aé€😀b'\"\\\nc";

fn slice_cases() -> Vec<[Option<i64>; 4]> {
    let b = [
        None,
        Some(-100),
        Some(-6),
        Some(-3),
        Some(-1),
        Some(0),
        Some(1),
        Some(3),
        Some(5),
        Some(100),
    ];
    let steps = [
        None,
        Some(-100),
        Some(-3),
        Some(-1),
        Some(1),
        Some(2),
        Some(7),
        Some(0),
    ];
    let mut out = Vec::new();
    for n in [0i64, 1, 5, 10] {
        for &a in &b {
            for &c in &b {
                for &s in &steps {
                    out.push([Some(n), a, c, s]);
                }
            }
        }
    }
    out
}

fn sort_cases(rng: &mut Rng) -> Vec<(char, bool, bool, Vec<String>)> {
    let mut out = Vec::new();
    for i in 0..90 {
        let kind = ['i', 'f', 's'][i % 3];
        let n = rng.below(40) as usize;
        let vals = (0..n)
            .map(|_| match kind {
                'i' => (rng.below(200) as i64 - 100).to_string(),
                'f' => format!("{}.{}", rng.below(50) as i64 - 25, rng.below(10)),
                _ => (0..rng.below(4))
                    .map(|_| (b'a' + rng.below(4) as u8) as char)
                    .collect(),
            })
            .collect();
        out.push((kind, i % 2 == 0, i % 4 < 2 && kind != 'f', vals));
    }
    out
}

fn opt(v: Option<i64>) -> String {
    v.map_or("N".into(), |v| v.to_string())
}

fn ours_sort(
    heap: &Heap,
    kind: char,
    rev: bool,
    keyed: bool,
    vals: &[String],
) -> Result<String, RuntimeError> {
    let items: Vec<Obj> = vals
        .iter()
        .map(|v| match kind {
            'i' => heap.int_from_str(v, 10),
            'f' => heap.float(v.parse().unwrap()),
            _ => heap.str(v).map(|s| s.into_obj()),
        })
        .collect::<Result<_, _>>()?;
    let l = heap.list(&items)?;
    let seven = heap.int(7)?;
    let mut by_mod = |x: &Obj<'_>| heap.int_mod(x, &seven);
    let mut by_len = |x: &Obj<'_>| heap.int(x.str_value()?.chars().count() as i64);
    match (keyed, kind) {
        (false, _) => l.sort(None, rev)?,
        (true, 'i') => l.sort(Some(&mut by_mod), rev)?,
        (true, _) => l.sort(Some(&mut by_len), rev)?,
    }
    Ok(l.repr())
}

#[test]
fn reprs_slices_and_sorts_match_cpython() {
    let heap = Heap::new();
    let mut input = String::new();
    let mut ours: Vec<String> = Vec::new();
    for f in floats() {
        input.push_str(&format!("float {}\n", f.to_bits()));
        ours.push(heap.float(f).unwrap().repr());
    }
    for s in strs() {
        let cps: Vec<String> = s.chars().map(|c| format!("{:x}", c as u32)).collect();
        input.push_str(&format!("str {}\n", cps.join(",")));
        ours.push(heap.str(&s).unwrap().repr());
    }
    // isprintable over every code point, through repr: a character is printable iff repr keeps it.
    input.push_str("printable x\n");
    let printable = |c: u32| match char::from_u32(c) {
        None => false, // surrogates: category Cs
        Some('\\') => true,
        Some(ch) => !heap.str(&ch.to_string()).unwrap().repr().contains('\\'),
    };
    let mut start = None;
    for c in 0..=0x110000u32 {
        let p = c == 0x110000 || printable(c);
        match (p, start) {
            (false, None) => start = Some(c),
            (true, Some(s)) => {
                ours.push(format!("{s:x}-{:x}", c - 1));
                start = None;
            }
            _ => {}
        }
    }
    for [n, a, b, c] in slice_cases() {
        input.push_str(&format!(
            "slice {},{},{},{}\n",
            opt(n),
            opt(a),
            opt(b),
            opt(c)
        ));
        let n = n.unwrap() as usize;
        let l = heap
            .list(
                &(0..n as i64)
                    .map(|i| heap.int(i).unwrap())
                    .collect::<Vec<_>>(),
            )
            .unwrap();
        let prefix: String = SLICE_S.chars().take(n).collect();
        let s = heap.str(&prefix).unwrap();
        ours.push(match (l.slice(a, b, c), s.slice(a, b, c)) {
            (Ok(x), Ok(y)) => format!("{} {}", x.repr(), y.repr()),
            (Err(e), _) | (_, Err(e)) => e.to_string(),
        });
    }
    let mut rng = Rng(5);
    for (kind, rev, keyed, vals) in sort_cases(&mut rng) {
        let marked: Vec<String> = vals.iter().map(|v| format!("#{v}")).collect();
        input.push_str(&format!(
            "sort {kind},{},{},{}\n",
            rev as u8,
            keyed as u8,
            marked.join(",")
        ));
        ours.push(ours_sort(&heap, kind, rev, keyed, &vals).unwrap_or_else(|e| e.to_string()));
    }
    cpython::check_digests(SCRIPT, &input, &ours, "repr_cpython.digests");
}
