//! Ints of any size against CPython: every operator, hash, float conversion, str/int(str),
//! sizes, on edge values (the i64 and inline-range borders, powers of two) and random values up
//! to 600 bits, each line answered by `python3 -S` (or the committed expected file).

#[allow(dead_code)] // each test uses part of the helpers
use crate::cpython;

use cpython::Rng;
use pyheap_runtime::{Heap, Obj, RuntimeError};
use std::fmt::Write;

const SCRIPT: &str = r#"
import sys
def cmpf(a, b):
    f = float(b) + 0.5 * (b % 3 - 1)
    return f"{a < f} {a == f} {a > f} {f == a} {a <= f}"
F = {
    'add': lambda a, b: a + b, 'sub': lambda a, b: a - b, 'mul': lambda a, b: a * b,
    'floordiv': lambda a, b: a // b, 'mod': lambda a, b: a % b,
    'divmod': lambda a, b: "%d %d" % divmod(a, b), 'truediv': lambda a, b: a / b,
    'and': lambda a, b: a & b, 'or': lambda a, b: a | b, 'xor': lambda a, b: a ^ b,
    'lshift': lambda a, b: a << b, 'rshift': lambda a, b: a >> b, 'pow': lambda a, b: a ** b,
    'powmod': lambda a, b: pow(a, b, 1000000007 if a % 2 else -(2**70 + 1)),
    'cmp': lambda a, b: f"{a < b} {a == b} {a > b}", 'cmpf': cmpf,
    'neg': lambda a, b: -a, 'abs': lambda a, b: abs(a), 'invert': lambda a, b: ~a,
    'hash': lambda a, b: hash(a), 'float': lambda a, b: float(a), 'str': lambda a, b: str(a),
    'bitlen': lambda a, b: a.bit_length(), 'sizeof': lambda a, b: sys.getsizeof(a),
    'parse': lambda a, b: int(format(a, 'x'), 16) if b % 2 else int(x, 0),
}
for line in sys.stdin:
    op, x, y = line.split()
    a, b = int(x, 16), int(y, 16)
    try:
        r = F[op](a, b)
    except Exception as e:
        r = type(e).__name__ + ': ' + str(e)
    print(repr(r) if isinstance(r, (float, bool)) else r)
"#;

/// Canonical Python hex text of `sign · magnitude`, magnitude given as hex digits.
fn hex(negative: bool, digits: &str) -> String {
    let d = digits.trim_start_matches('0');
    let d = if d.is_empty() { "0" } else { d };
    format!("{}0x{d}", if negative && d != "0" { "-" } else { "" })
}

fn values() -> Vec<String> {
    let mut v = Vec::new();
    for (neg, d) in [
        (false, "0"),
        (false, "1"),
        (true, "1"),
        (false, "2"),
        (true, "7"),
        (false, "7fffffff"),
        (false, "80000000"),
        (false, "ffffffff"),
        (false, "100000000"),
        (false, "20000000000000"),
        (false, "20000000000001"),
        (false, "4000000000000000"),
        (false, "7fffffffffffffff"),
        (true, "7fffffffffffffff"),
        (false, "8000000000000000"),
        (true, "8000000000000000"),
        (true, "8000000000000001"),
        (true, "7ffffffe00000000"),
        (true, "7ffffffe00000001"),
        (true, "7ffffffdffffffff"),
        (false, "ffffffffffffffff"),
        (false, "10000000000000000"),
        (true, "10000000000000000"),
        (false, "10000000000000000000000000"),
        (true, "10000000000000000000000000"),
        (false, "c9f2c9cd04674edea40000000"), // 10**30
        (
            false,
            "fffffffffffff800000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000",
        ), // f64::MAX
    ] {
        v.push(hex(neg, d));
    }
    let mut rng = Rng(0x5eed_1234_abcd_0001);
    for _ in 0..60 {
        let bits = 1 + rng.below(400) as usize;
        let mut d = String::new();
        for _ in 0..bits.div_ceil(4) {
            write!(d, "{:x}", rng.below(16)).unwrap();
        }
        v.push(hex(rng.below(2) == 1, &d));
    }
    v
}

const BINARY: [&str; 15] = [
    "add", "sub", "mul", "floordiv", "mod", "divmod", "truediv", "and", "or", "xor", "cmp", "cmpf",
    "powmod", "lshift", "rshift",
];
const UNARY: [&str; 8] = [
    "neg", "abs", "invert", "hash", "float", "str", "bitlen", "parse",
];

fn cases() -> Vec<(String, String, String)> {
    let vals = values();
    let mut rng = Rng(99);
    let mut out = Vec::new();
    for a in &vals {
        for b in &vals {
            for op in BINARY {
                let b = match op {
                    "lshift" => hex(rng.below(5) == 0, &format!("{:x}", rng.below(200))),
                    "rshift" => hex(rng.below(5) == 0, &format!("{:x}", rng.below(700))),
                    _ => b.clone(),
                };
                out.push((op.to_string(), a.clone(), b));
            }
        }
        for op in UNARY {
            out.push((
                op.to_string(),
                a.clone(),
                hex(false, &format!("{:x}", rng.below(2))),
            ));
        }
        for e in [-3i64, -1, 0, 1, 2, 3, 7, 13] {
            out.push((
                "pow".into(),
                a.clone(),
                hex(e < 0, &format!("{:x}", e.abs())),
            ));
        }
    }
    out
}

fn show(heap: &Heap, r: Result<Obj<'_>, RuntimeError>) -> String {
    match r {
        Ok(o) if o.kind() == pyheap_runtime::Kind::Int => heap.int_str(&o).unwrap(),
        Ok(o) => o.repr(),
        Err(e) => e.to_string(),
    }
}

fn py(b: bool) -> &'static str {
    if b { "True" } else { "False" }
}

fn ours(heap: &Heap, op: &str, x: &str, y: &str) -> Result<String, RuntimeError> {
    let a = heap.int_from_str(x, 16)?;
    let b = heap.int_from_str(y, 16)?;
    let bools = |o: std::cmp::Ordering| {
        use std::cmp::Ordering::*;
        format!("{} {} {}", py(o == Less), py(o == Equal), py(o == Greater))
    };
    Ok(match op {
        "add" => show(heap, heap.int_add(&a, &b)),
        "sub" => show(heap, heap.int_sub(&a, &b)),
        "mul" => show(heap, heap.int_mul(&a, &b)),
        "floordiv" => show(heap, heap.int_floordiv(&a, &b)),
        "mod" => show(heap, heap.int_mod(&a, &b)),
        "divmod" => match heap.int_divmod(&a, &b) {
            Ok((q, r)) => format!("{} {}", heap.int_str(&q)?, heap.int_str(&r)?),
            Err(e) => e.to_string(),
        },
        "truediv" => show(heap, heap.int_truediv(&a, &b)),
        "and" => show(heap, heap.int_and(&a, &b)),
        "or" => show(heap, heap.int_or(&a, &b)),
        "xor" => show(heap, heap.int_xor(&a, &b)),
        "lshift" => show(heap, heap.int_lshift(&a, &b)),
        "rshift" => show(heap, heap.int_rshift(&a, &b)),
        "pow" => show(heap, heap.int_pow(&a, &b)),
        "powmod" => {
            let odd = heap.int_mod(&a, &heap.int(2)?)?.as_int()? == 1;
            let m = if odd {
                heap.int(1_000_000_007)?
            } else {
                heap.int_from_str("-0x400000000000000001", 16)?
            };
            show(heap, heap.int_pow_mod(&a, &b, &m))
        }
        "cmp" => bools(heap.int_cmp(&a, &b)?),
        "cmpf" => {
            // f = float(b) + 0.5 * (b % 3 - 1), as the script computes it.
            let f = match b.as_float() {
                Ok(f) => f,
                Err(e) => return Ok(e.to_string()),
            };
            let m3 = heap.int_mod(&b, &heap.int(3)?)?.as_int()?;
            let f = heap.float(f + 0.5 * (m3 - 1) as f64)?;
            let o = heap.num_cmp(&a, &f)?;
            let back = heap.num_cmp(&f, &a)?;
            use std::cmp::Ordering::*;
            format!(
                "{} {} {} {} {}",
                py(o == Some(Less)),
                py(o == Some(Equal)),
                py(o == Some(Greater)),
                py(back == Some(Equal) && f.py_eq(&a)),
                py(matches!(o, Some(Less | Equal)))
            )
        }
        "neg" => show(heap, heap.int_neg(&a)),
        "abs" => show(heap, heap.int_abs(&a)),
        "invert" => show(heap, heap.int_invert(&a)),
        "hash" => a.hash()?.to_string(),
        "float" => match a.as_float() {
            Ok(f) => heap.float(f)?.repr(),
            Err(e) => e.to_string(),
        },
        "str" => heap.int_str(&a)?,
        "bitlen" => a.int_value()?.bit_length().to_string(),
        "sizeof" => heap.sizeof(&a).to_string(),
        "parse" => {
            if b.as_int()? % 2 == 1 {
                let digits = x.replacen("0x", "", 1);
                show(heap, heap.int_from_str(&digits, 16))
            } else {
                show(heap, heap.int_from_str(x, 0))
            }
        }
        _ => unreachable!("{op}"),
    })
}

/// Our answer for each `(op, a, b)` case against CPython's (the committed digests when python3
/// is missing); nothing is left alive afterwards.
fn check_against_cpython<Op: AsRef<str>>(cases: &[(Op, String, String)], digests: &str) {
    let input: String = cases
        .iter()
        .map(|(op, a, b)| format!("{} {a} {b}\n", op.as_ref()))
        .collect();
    let heap = Heap::new();
    let ours: Vec<String> = cases
        .iter()
        .map(|(op, a, b)| ours(&heap, op.as_ref(), a, b).unwrap_or_else(|e| format!("error {e}")))
        .collect();
    cpython::check_digests(SCRIPT, &input, &ours, digests);
    assert_eq!(heap.live_objects(), 0);
}

#[test]
fn int_operators_match_cpython() {
    check_against_cpython(&cases(), "int_cpython.digests");
}

#[test]
fn int_sizes_never_exceed_cpython() {
    let vals = values();
    let input: String = vals.iter().map(|v| format!("sizeof {v} 0x0\n")).collect();
    let theirs = cpython::answers(SCRIPT, &input, "int_sizes.expected");
    let heap = Heap::new();
    for (v, want) in vals.iter().zip(&theirs) {
        let o = heap.int_from_str(v, 16).unwrap();
        let ours = heap.sizeof(&o);
        let want: usize = want.parse().unwrap();
        assert!(ours <= want, "{v}: {ours} > CPython's {want}");
        // Big ints: 24 bytes + 4 per 32-bit digit (CPython: 24 + 4 per 30-bit digit).
        if o.int_value().unwrap().to_i64().is_none() {
            let bits = o.int_value().unwrap().bit_length() as usize;
            assert_eq!(ours, 24 + 4 * bits.div_ceil(32), "{v}");
        }
    }
    // 2**100: 40 bytes in both.
    let big = heap
        .int_pow(&heap.int(2).unwrap(), &heap.int(100).unwrap())
        .unwrap();
    assert_eq!(heap.sizeof(&big), 40);
}

/// Sums and small-factor products whose digit count is decided by a carry: all-ones digit runs,
/// top digits one below a wrap, factors of 32 and 64 bits (the in-place add and multiply must
/// tell from the top digits alone when they can, and hand over when they cannot).
#[test]
fn int_carry_borders_match_cpython() {
    let mut vals = Vec::new();
    for n in 2..=5 {
        let ones = "ffffffff".repeat(n);
        vals.push(ones.clone());
        vals.push(format!("fffffffe{}", &ones[8..]));
        vals.push(format!("fffffffe{}", "0".repeat(8 * (n - 1))));
        vals.push(format!("80000000{}", "0".repeat(8 * (n - 1))));
        vals.push(format!("1{}", "0".repeat(8 * n)));
        vals.push(format!("7fffffff{}1", "f".repeat(8 * (n - 1) - 1)));
    }
    let factors = [
        "1",
        "2",
        "3",
        "3e8",
        "7fffffff",
        "ffffffff",
        "100000000",
        "100000001",
        "7fffffffffffffff",
        "ffffffffffffffff",
    ];
    let mut cases = Vec::new();
    for a in &vals {
        for (sa, sb) in [(false, false), (true, true), (false, true), (true, false)] {
            for b in vals.iter().map(String::as_str).chain(["1"]) {
                for op in ["add", "sub"] {
                    cases.push((op, hex(sa, a), hex(sb, b)));
                }
            }
            for f in factors {
                cases.push(("mul", hex(sa, a), hex(sb, f)));
                cases.push(("mul", hex(sb, f), hex(sa, a)));
            }
        }
    }
    check_against_cpython(&cases, "int_carry.digests");
}
