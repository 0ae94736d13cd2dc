//! Built-in operations across hostile user code (issue 9, cases 2–4): a user `py_eq` or `repr`
//! drops a member whose `__del__` clears the very container being worked on, then allocates
//! strings so that the freed table's memory holds bytes that are not pointers. Before the fix
//! these read freed memory (debug builds: "use after free" panics; otherwise garbage pointers and
//! segfaults). Each test checks the CPython-like outcome, the invariant walker, and that every
//! object was freed exactly once.

use crate::bombs::{World, aim, finish, sneaky};
use pyheap_runtime::{Dict, Heap, List, RuntimeError};
use std::rc::Rc;

type R = Result<(), RuntimeError>;

/// A dict holding `Sneaky(1)` (unarmed) plus `filler` int keys (9+ entries: the IndexMap table).
fn target_dict<'h>(heap: &'h Heap, w: &Rc<World>, filler: i64) -> Result<Dict<'h>, RuntimeError> {
    let d = heap.dict()?;
    d.set(&sneaky(heap, w, 1, false), &heap.str("old")?)?;
    for i in 0..filler {
        d.set(&heap.int(1000 + i)?, &heap.list(&[])?)?;
    }
    Ok(d)
}

fn dict_set_across_clearing_eq(filler: i64) -> R {
    let heap = Heap::new();
    let w = Rc::new(World::default());
    {
        let d = target_dict(&heap, &w, filler)?;
        aim(&w, &d);
        let k = sneaky(&heap, &w, 1, true);
        d.set(&k, &heap.str("new")?)?;
        // CPython's lookdict restarts on the mutated (now empty) dict and inserts.
        assert_eq!(d.len(), 1);
        let v = d.get(&k)?.expect("inserted");
        assert!(v.try_eq(&heap.str("new")?)?);
    }
    finish(&heap, &w, 1);
    Ok(())
}

#[test]
fn dict_set_across_clearing_eq_small() -> R {
    dict_set_across_clearing_eq(2)
}

#[test]
fn dict_set_across_clearing_eq_large() -> R {
    dict_set_across_clearing_eq(20)
}

fn dict_get_remove_across_clearing_eq(filler: i64) -> R {
    let heap = Heap::new();
    let w = Rc::new(World::default());
    {
        let d = target_dict(&heap, &w, filler)?;
        aim(&w, &d);
        assert!(d.get(&sneaky(&heap, &w, 1, true))?.is_none());
        assert!(d.is_empty());
        let d = target_dict(&heap, &w, filler)?;
        aim(&w, &d);
        let err = d.remove(&sneaky(&heap, &w, 1, true)).unwrap_err();
        assert!(matches!(err, RuntimeError::KeyError(_)), "{err}");
        assert!(d.is_empty());
    }
    finish(&heap, &w, 2);
    Ok(())
}

#[test]
fn dict_get_and_remove_across_clearing_eq_small() -> R {
    dict_get_remove_across_clearing_eq(2)
}

#[test]
fn dict_get_and_remove_across_clearing_eq_large() -> R {
    dict_get_remove_across_clearing_eq(20)
}

/// `a == b` where comparing a's armed key with b's clears `a` (the dict being walked) or `b`
/// (the dict being searched).
fn dict_eq_case(filler: i64, clear_a: bool) -> R {
    let heap = Heap::new();
    let w = Rc::new(World::default());
    {
        let a = heap.dict()?;
        a.set(&sneaky(&heap, &w, 1, true), &heap.str("old")?)?;
        for i in 0..filler {
            a.set(&heap.int(1000 + i)?, &heap.list(&[])?)?;
        }
        let b = target_dict(&heap, &w, filler)?;
        aim(&w, if clear_a { &a } else { &b });
        // The walk stops (a emptied: nothing left to compare, equal so far) or fails the lookup
        // in the emptied b: CPython gives True and False for these two.
        assert_eq!(a.try_eq(&b)?, clear_a);
    }
    finish(&heap, &w, 1);
    Ok(())
}

#[test]
fn dict_eq_across_clearing_eq() -> R {
    for filler in [2, 20] {
        for clear_a in [true, false] {
            dict_eq_case(filler, clear_a)?;
        }
    }
    Ok(())
}

#[test]
fn list_eq_across_clearing_eq() -> R {
    // junk 0: the freed array keeps its stale item pointers (immortal small ints), so code that
    // kept the old slice compares them equal and answers `True`; CPython answers `False`.
    // junk 200: the array's block is reused by strings whose bytes are not pointers.
    for (clear_first, junk) in [(true, 0), (false, 0), (true, 200), (false, 200)] {
        let heap = Heap::new();
        let w = Rc::new(World::default());
        w.junk_count.set(junk);
        {
            // 8 items: a 64-byte array, the block a 31-byte junk str takes over, its bytes
            // then read as items 5..8 by code that kept the old array.
            let mk = |armed| -> Result<List<'_>, RuntimeError> {
                let mut items = vec![sneaky(&heap, &w, 1, armed)];
                for i in 1..8 {
                    items.push(heap.int(i)?);
                }
                heap.list(&items)
            };
            let (a, b) = (mk(true)?, mk(false)?);
            aim(&w, if clear_first { &a } else { &b });
            // CPython's list_richcompare: after the items compared equal one list is empty, so
            // the lengths decide.
            assert!(!a.try_eq(&b)?);
            assert_eq!((a.is_empty(), b.is_empty()), (clear_first, !clear_first));
        }
        finish(&heap, &w, 1);
    }
    Ok(())
}

#[test]
fn repr_of_list_across_clearing_repr() -> R {
    let heap = Heap::new();
    let w = Rc::new(World::default());
    w.junk_count.set(200);
    {
        let l = heap.list(&[
            heap.int(7)?,
            sneaky(&heap, &w, 1, true),
            heap.list(&[])?.into_obj(),
            heap.str("gone")?.into_obj(),
        ])?;
        aim(&w, &l);
        // The items after the one whose repr cleared the list are no longer there.
        assert_eq!(l.repr(), "[7, S1]");
        assert_eq!(l.len(), 0);
    }
    finish(&heap, &w, 1);
    Ok(())
}

#[test]
fn repr_of_dict_across_clearing_repr() -> R {
    for filler in [2, 20] {
        let heap = Heap::new();
        let w = Rc::new(World::default());
        w.junk_count.set(200);
        {
            let d = heap.dict()?;
            d.set(&heap.int(0)?, &sneaky(&heap, &w, 1, true))?;
            for i in 0..filler {
                d.set(&heap.int(1000 + i)?, &heap.list(&[])?)?;
            }
            aim(&w, &d);
            assert_eq!(d.repr(), "{0: S1}");
            assert!(d.is_empty());
        }
        finish(&heap, &w, 1);
    }
    Ok(())
}

/// Run `for k in d: body(d, k)` over int keys, returning the keys seen and the error text.
fn iterate(
    heap: &Heap,
    keys: &[i64],
    body: impl Fn(&Dict<'_>, i64) -> R,
) -> Result<(Vec<i64>, Option<String>), RuntimeError> {
    let d = heap.dict()?;
    for &k in keys {
        d.set(&heap.int(k)?, &heap.int(k)?)?;
    }
    let mut seen = Vec::new();
    for item in d.iter() {
        match item {
            Ok((k, _)) => {
                let k: i64 = k.repr().parse().unwrap();
                seen.push(k);
                body(&d, k)?;
            }
            Err(e) => return Ok((seen, Some(e.to_string()))),
        }
    }
    Ok((seen, None))
}

/// The outcomes CPython 3.11 gives for the same loops (`python3 -S`, `for k in d: ...`).
#[test]
fn dict_iteration_notices_mutation_like_cpython() -> R {
    let heap = Heap::new();
    let size = Some("RuntimeError: dictionary changed size during iteration".to_string());
    let keys = Some("RuntimeError: dictionary keys changed during iteration".to_string());
    // d[k + 10] = 1  →  ([1], 'dictionary changed size during iteration')
    let r = iterate(&heap, &[1, 2], |d, k| {
        d.set(&heap.int(k + 10)?, &heap.none())
    })?;
    assert_eq!(r, (vec![1], size.clone()));
    // del d[k]; d[k + 1] = 1  →  ([0], 'dictionary keys changed during iteration')
    let r = iterate(&heap, &[0], |d, k| {
        d.remove(&heap.int(k)?)?;
        d.set(&heap.int(k + 1)?, &heap.none())
    })?;
    assert_eq!(r, (vec![0], keys.clone()));
    // if k == 1: del d[2]; d[4] = 4  →  ([1, 3, 4], None)
    let r = iterate(&heap, &[1, 2, 3], |d, k| {
        if k == 1 {
            d.remove(&heap.int(2)?)?;
            d.set(&heap.int(4)?, &heap.none())?;
        }
        Ok(())
    })?;
    assert_eq!(r, (vec![1, 3, 4], None));
    // if k == 2: del d[1]; d[5] = 5  →  CPython ([1, 2, 3], 'dictionary keys changed ...'):
    // the same error, raised one entry earlier here (removal shifts entries; see DictIter).
    let r = iterate(&heap, &[1, 2, 3], |d, k| {
        if k == 2 {
            d.remove(&heap.int(1)?)?;
            d.set(&heap.int(5)?, &heap.none())?;
        }
        Ok(())
    })?;
    assert_eq!(r, (vec![1, 2], keys));
    // d[k] = 2 (a value replaced)  →  ([1], None)
    let r = iterate(&heap, &[1], |d, k| d.set(&heap.int(k)?, &heap.int(2)?))?;
    assert_eq!(r, (vec![1], None));
    // d.clear()  →  ([1], 'dictionary changed size during iteration')
    let r = iterate(&heap, &[1, 2], |d, _| {
        d.clear();
        Ok(())
    })?;
    assert_eq!(r, (vec![1], size));
    heap.check().expect("invariant walker");
    Ok(())
}

/// The iterator holds the dict and its last key: dropping every other handle mid-loop, clearing
/// the dict from a finalizer, and the large table all stay sound.
#[test]
fn dict_iterator_outlives_its_handles() -> R {
    let heap = Heap::new();
    let w = Rc::new(World::default());
    {
        let d = heap.dict()?;
        for i in 0..20 {
            d.set(&heap.int(i)?, &sneaky(&heap, &w, i, i == 3))?;
        }
        aim(&w, &d);
        let mut it = d.iter();
        drop(d);
        let mut n = 0;
        let end = loop {
            match it.next() {
                Some(Ok((_, v))) => {
                    let _ = v.repr(); // the armed value clears the dict when printed
                    n += 1;
                }
                other => break other,
            }
        };
        assert_eq!(n, 4);
        assert!(matches!(end, Some(Err(RuntimeError::DictChangedSize))));
        assert!(it.next().is_none());
        drop(it);
    }
    finish(&heap, &w, 1);
    Ok(())
}
