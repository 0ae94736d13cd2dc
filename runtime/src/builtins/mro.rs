//! The C3 linearisation of a class hierarchy (Python's method resolution order) and CPython's
//! instance layout rule for multiple bases.
//!
//! ```text
//!   class D(B, C)        merge( mro(B)=[B, A, object], mro(C)=[C, A, object], bases=[B, C] )
//!   B   C                  take the first head that is in no list's tail, remove it everywhere:
//!    \ /                   B → C → A → object            mro(D) = [D, B, C, A, object]
//!     A                  no such head: TypeError naming the heads that are left
//! ```
//!
//! `object` is implicit here: a class's linearisation ends with its last user ancestor, so the
//! lists merged are the bases' linearisations and the list of bases, like CPython's `mro_implementation`.
//! Works on any `Copy + Eq` node and a function naming it, so it is tested without a heap.

use crate::error::RuntimeError;

/// `[class] + merge(mro(b) for b in bases, bases)`: the linearisation of a new class given its
/// bases' linearisations (each starting with the base itself). Errors are CPython 3.11's
/// `TypeError`s: `duplicate base class X`, and the inconsistent-order message listing the heads
/// left when the merge gets stuck (`Cannot create a consistent method resolution\norder (MRO)
/// for bases X, Y`).
pub(crate) fn c3<T: Copy + Eq>(
    class: T,
    bases: &[T],
    base_mros: &[Vec<T>],
    name: impl Fn(T) -> String,
) -> Result<Vec<T>, RuntimeError> {
    for (i, b) in bases.iter().enumerate() {
        if bases[..i].contains(b) {
            return Err(RuntimeError::TypeError(format!(
                "duplicate base class {}",
                name(*b)
            )));
        }
    }
    let mut lists: Vec<&[T]> = base_mros.iter().map(Vec::as_slice).collect();
    lists.push(bases);
    let mut out = vec![class];
    loop {
        lists.retain(|l| !l.is_empty());
        if lists.is_empty() {
            return Ok(out);
        }
        let in_a_tail = |c: &T, lists: &[&[T]]| lists.iter().any(|l| l[1..].contains(c));
        let Some(next) = lists.iter().map(|l| l[0]).find(|c| !in_a_tail(c, &lists)) else {
            let mut heads: Vec<T> = Vec::new();
            for l in &lists {
                if !heads.contains(&l[0]) {
                    heads.push(l[0]);
                }
            }
            let names: Vec<String> = heads.into_iter().map(name).collect();
            return Err(RuntimeError::TypeError(format!(
                "Cannot create a consistent method resolution\norder (MRO) for bases {}",
                names.join(", ")
            )));
        };
        out.push(next);
        for l in &mut lists {
            if l[0] == next {
                *l = &l[1..];
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::c3;

    fn name(c: char) -> String {
        c.to_string()
    }

    /// Linearisations of a small hierarchy, built bottom-up as class creation does.
    fn mro(c: char, bases: &[char], known: &[(char, Vec<char>)]) -> Result<Vec<char>, String> {
        let mros: Vec<Vec<char>> = bases
            .iter()
            .map(|b| known.iter().find(|(k, _)| k == b).unwrap().1.clone())
            .collect();
        c3(c, bases, &mros, name).map_err(|e| e.to_string())
    }

    #[test]
    fn diamond_and_test_descr_cases() {
        // test_descr.test_diamond_inheritance-like: D(B, C), B(A), C(A).
        let a = mro('A', &[], &[]).unwrap();
        let b = mro('B', &['A'], &[('A', a.clone())]).unwrap();
        let c = mro('C', &['A'], &[('A', a.clone())]).unwrap();
        let known = [('A', a), ('B', b), ('C', c)];
        assert_eq!(mro('D', &['B', 'C'], &known).unwrap(), ['D', 'B', 'C', 'A']);
        assert_eq!(mro('E', &['C', 'B'], &known).unwrap(), ['E', 'C', 'B', 'A']);
    }

    #[test]
    fn inconsistent_order_names_the_stuck_heads() {
        // python3 -S: class X: pass; class Y: pass; class A(X, Y): pass; class B(Y, X): pass;
        // class Z(A, B): pass -> "Cannot create a consistent method resolution\norder (MRO)
        // for bases X, Y"
        let x = mro('X', &[], &[]).unwrap();
        let y = mro('Y', &[], &[]).unwrap();
        let k1 = [('X', x.clone()), ('Y', y.clone())];
        let a = mro('A', &['X', 'Y'], &k1).unwrap();
        let b = mro('B', &['Y', 'X'], &k1).unwrap();
        let known = [('X', x), ('Y', y), ('A', a), ('B', b)];
        assert_eq!(
            mro('Z', &['A', 'B'], &known).unwrap_err(),
            "TypeError: Cannot create a consistent method resolution\norder (MRO) for bases X, Y"
        );
        // class Z2(X, A): X before its own subclass.
        assert_eq!(
            mro('W', &['X', 'A'], &known).unwrap_err(),
            "TypeError: Cannot create a consistent method resolution\norder (MRO) for bases X, A"
        );
        assert_eq!(
            mro('V', &['X', 'X'], &known).unwrap_err(),
            "TypeError: duplicate base class X"
        );
    }
}
