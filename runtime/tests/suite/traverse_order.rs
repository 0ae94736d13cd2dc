//! CPython's traversal order for the built-in containers (issue 9): `gc.get_referents` lists
//! referents in the order `tp_traverse` visits them, and that order decides which tuples a
//! collection untracks (`gc.is_tracked`). The expected orders come from CPython 3.11: when
//! `python3` is installed the test asks it (`python3 -S`), and always compares with the answers
//! recorded here from it.

use pyheap_runtime::{ClassSpec, Heap, Obj, RuntimeError};
use std::process::Command;

type R = Result<(), RuntimeError>;

/// Each case: a CPython snippet printing one line, and the line CPython 3.11.7 printed.
const CASES: &[(&str, &str, &str)] = &[
    ("tuple", "print(idx(gc.get_referents((a, b))))", "1 0"),
    ("list", "print(idx(gc.get_referents([a, b])))", "1 0"),
    (
        "dict_str_keys",
        "print(idx(gc.get_referents({'x': a, 'y': b})))",
        "0 1",
    ),
    (
        "dict_int_keys",
        "print(idx(gc.get_referents({1: a, 2: b})))",
        "0 k1 1 k2",
    ),
    (
        "dict_mixed_keys",
        "print(idx(gc.get_referents({1: a, 's': b})))",
        "0 k1 1 ks",
    ),
    (
        "instance",
        "o = A(); o.x = a; o.y = b; print(idx(gc.get_referents(o)))",
        "0 1 A",
    ),
    (
        "instance_slots",
        "s = S(); s.p = a; s.q = b; print(idx(gc.get_referents(s)))",
        "0 1 S",
    ),
    ("untrack_list_ab", "print(untrack('ab'))", "False False"),
    ("untrack_list_ba", "print(untrack('ba'))", "True False"),
];

const PRELUDE: &str = r#"
import gc
gc.disable()
a = [0]; b = [1]
class A: pass
class S:
    __slots__ = ('p', 'q')
def idx(refs):
    out = []
    for r in refs:
        if r is a: out.append('0')
        elif r is b: out.append('1')
        elif r is A: out.append('A')
        elif r is S: out.append('S')
        else: out.append('k' + str(r))
    return ' '.join(out)
def untrack(order):
    # tb = (x,), ta = (tb,), only the list R holds them: is each tracked after a collection?
    def run(one):
        tb = (one,)
        ta = (tb,)
        R = [ta, tb] if order == 'ab' else [tb, ta]
        del ta, tb
        gc.collect()
        return R
    R = run(1)
    ta, tb = (R[0], R[1]) if order == 'ab' else (R[1], R[0])
    return str(gc.is_tracked(ta)) + ' ' + str(gc.is_tracked(tb))
"#;

/// CPython's answers, or None without python3.
fn cpython_answers() -> Option<Vec<String>> {
    // Miri cannot spawn processes; under it only the recorded answers are compared.
    if cfg!(miri) {
        return None;
    }
    let mut script = String::from(PRELUDE);
    for (_, code, _) in CASES {
        script.push_str(code);
        script.push('\n');
    }
    let out = Command::new("python3")
        .arg("-S")
        .arg("-c")
        .arg(&script)
        .output()
        .ok()?;
    if !out.status.success() {
        return None;
    }
    Some(
        String::from_utf8(out.stdout)
            .ok()?
            .lines()
            .map(str::to_string)
            .collect(),
    )
}

/// Our answer for each case, in the same notation.
fn ours(case: &str) -> Result<String, RuntimeError> {
    let heap = Heap::new();
    heap.gc().disable();
    let a = heap.list(&[heap.int(0)?])?;
    let b = heap.list(&[heap.int(1)?])?;
    let class_a = heap.new_class(ClassSpec::new("A"))?;
    let class_s = heap.new_class(ClassSpec::new("S").with_slots(&["p", "q"]))?;
    let idx = |refs: Vec<Obj<'_>>| -> String {
        refs.iter()
            .map(|r| {
                if r.is(&a) {
                    "0".to_string()
                } else if r.is(&b) {
                    "1".to_string()
                } else if r.is(&class_a) {
                    "A".to_string()
                } else if r.is(&class_s) {
                    "S".to_string()
                } else {
                    format!("k{}", r.repr().trim_matches('"').trim_matches('\''))
                }
            })
            .collect::<Vec<_>>()
            .join(" ")
    };
    let gc = heap.gc();
    Ok(match case {
        "tuple" => idx(gc.get_referents(&heap.tuple(&[a.obj(), b.obj()])?)),
        "list" => idx(gc.get_referents(&heap.list(&[a.obj(), b.obj()])?)),
        "dict_str_keys" => {
            let d = heap.dict()?;
            d.set(&heap.str("x")?, &a)?;
            d.set(&heap.str("y")?, &b)?;
            idx(gc.get_referents(&d))
        }
        "dict_int_keys" | "dict_mixed_keys" => {
            let d = heap.dict()?;
            d.set(&heap.int(1)?, &a)?;
            if case == "dict_int_keys" {
                d.set(&heap.int(2)?, &b)?;
            } else {
                d.set(&heap.str("s")?, &b)?;
            }
            idx(gc.get_referents(&d))
        }
        "instance" => {
            let o = heap.instance(&class_a)?;
            o.setattr("x", &a)?;
            o.setattr("y", &b)?;
            idx(gc.get_referents(&o))
        }
        "instance_slots" => {
            let o = heap.instance(&class_s)?;
            o.setattr("p", &a)?;
            o.setattr("q", &b)?;
            idx(gc.get_referents(&o))
        }
        "untrack_list_ab" | "untrack_list_ba" => {
            let tb = heap.tuple(&[heap.int(1)?])?;
            let ta = heap.tuple(&[tb.obj()])?;
            let r = if case == "untrack_list_ab" {
                heap.list(&[ta.obj(), tb.obj()])?
            } else {
                heap.list(&[tb.obj(), ta.obj()])?
            };
            drop((ta, tb));
            gc.collect(2).unwrap();
            let (ta, tb) = if case == "untrack_list_ab" {
                (r.get(0)?, r.get(1)?)
            } else {
                (r.get(1)?, r.get(0)?)
            };
            let s = format!("{} {}", is_tracked(&heap, &ta), is_tracked(&heap, &tb));
            heap.check().expect("walker clean");
            s
        }
        _ => unreachable!("unknown case {case}"),
    })
}

fn is_tracked(heap: &Heap, o: &Obj<'_>) -> String {
    if heap.gc().is_tracked(o) {
        "True".into()
    } else {
        "False".into()
    }
}

#[test]
fn traversal_order_matches_cpython() -> R {
    let cpython = cpython_answers();
    if let Some(answers) = &cpython {
        assert_eq!(answers.len(), CASES.len(), "one line per case from python3");
    }
    for (i, (name, _, recorded)) in CASES.iter().enumerate() {
        let got = ours(name)?;
        assert_eq!(
            &got, recorded,
            "{name}: ours vs CPython 3.11's recorded answer"
        );
        if let Some(answers) = &cpython {
            assert_eq!(got, answers[i], "{name}: ours vs python3 -S");
        }
    }
    Ok(())
}
