//! The list methods of `listops.rs` and str concat: sorting across a key or comparison that
//! mutates the list or fails, stability, search methods, the length-checking iterator.

use pyheap_runtime::{Heap, Obj, RuntimeError};

type R = Result<(), RuntimeError>;

/// Pins a key closure's signature (both lifetimes the heap's).
fn key<'h, F: FnMut(&Obj<'h>) -> Result<Obj<'h>, RuntimeError>>(f: F) -> F {
    f
}

fn ints<'h>(heap: &'h Heap, v: &[i64]) -> Vec<Obj<'h>> {
    v.iter().map(|&i| heap.int(i).unwrap()).collect()
}

#[test]
fn a_key_that_mutates_the_list_gives_cpythons_error() -> R {
    let heap = Heap::new();
    let l = heap.list(&ints(&heap, &[3, 1, 2]))?;
    let l2 = l.clone();
    let mut key = key(|x| {
        // CPython: the list looks empty while sorting (here: holds only what this key stored);
        // the stores are thrown away afterwards.
        assert!(l2.iter().all(|o| o.as_int().unwrap() == 99));
        l2.append(&heap.int(99)?)?;
        Ok(x.clone())
    });
    let e = l.sort(Some(&mut key), false).unwrap_err();
    assert_eq!(e.to_string(), "ValueError: list modified during sort");
    assert_eq!(l.repr(), "[1, 2, 3]");
    drop(l2);
    drop(l);
    assert_eq!(heap.live_objects(), 0);
    Ok(())
}

#[test]
fn a_failing_comparison_keeps_every_item() -> R {
    let heap = Heap::new();
    let mut items = ints(&heap, &[5, 4, 3]);
    items.push(heap.str("x")?.into_obj());
    items.extend(ints(&heap, &[2, 1]));
    let l = heap.list(&items)?;
    let e = l.sort(None, false).unwrap_err();
    assert_eq!(
        e.to_string(),
        "TypeError: '<' not supported between instances of 'str' and 'int'"
    );
    assert_eq!(l.len(), 6);
    let mut seen: Vec<String> = l.iter().map(|o| o.repr()).collect();
    seen.sort();
    assert_eq!(seen, ["'x'", "1", "2", "3", "4", "5"]);
    Ok(())
}

#[test]
fn sort_is_stable_with_keys_and_reverse() -> R {
    let heap = Heap::new();
    // (key, original position) pairs: equal keys keep their order, also with reverse=True.
    let pairs: Vec<Obj> = [(1, 0), (0, 1), (1, 2), (0, 3), (1, 4)]
        .iter()
        .map(|&(k, i)| {
            heap.tuple(&[heap.int(k).unwrap(), heap.int(i).unwrap()])
                .unwrap()
                .into_obj()
        })
        .collect();
    let l = heap.list(&pairs)?;
    let mut first = key(|t| t.as_tuple()?.get(0));
    l.sort(Some(&mut first), false)?;
    assert_eq!(l.repr(), "[(0, 1), (0, 3), (1, 0), (1, 2), (1, 4)]");
    l.sort(Some(&mut first), true)?;
    assert_eq!(l.repr(), "[(1, 0), (1, 2), (1, 4), (0, 1), (0, 3)]");
    // A caller's comparison (descending by value).
    let l = heap.list(&ints(&heap, &[2, 9, 4]))?;
    l.sort_by(None, false, &mut |a, b| Ok(a.as_int()? > b.as_int()?))?;
    assert_eq!(l.repr(), "[9, 4, 2]");
    Ok(())
}

#[test]
fn search_methods_and_iterator() -> R {
    let heap = Heap::new();
    let l = heap.list(&ints(&heap, &[1, 2, 3, 2]))?;
    assert!(l.contains(&heap.float(2.0)?)?);
    assert!(!l.contains(&heap.str("2")?)?);
    assert_eq!(l.index(&heap.int(2)?, None, None)?, 1);
    assert_eq!(l.index(&heap.int(2)?, Some(2), None)?, 3);
    assert_eq!(l.index(&heap.int(2)?, Some(-1), None)?, 3);
    let e = l.index(&heap.int(7)?, None, None).unwrap_err();
    assert_eq!(e.to_string(), "ValueError: 7 is not in list");
    assert_eq!(l.count(&heap.int(2)?)?, 2);
    l.reverse();
    assert_eq!(l.repr(), "[2, 3, 2, 1]");
    // The iterator sees appends and stops early when the list shrinks.
    let mut it = l.iter();
    assert_eq!(it.next().unwrap().as_int()?, 2);
    l.append(&heap.int(8)?)?;
    l.pop(0)?;
    l.pop(0)?;
    let rest: Vec<i64> = it.map(|o| o.as_int().unwrap()).collect();
    assert_eq!(rest, [1, 8]);
    let e = l.slice(None, None, Some(0)).unwrap_err();
    assert_eq!(e.to_string(), "ValueError: slice step cannot be zero");
    Ok(())
}

#[test]
fn str_concat_and_len_count_code_points() -> R {
    let heap = Heap::new();
    let a = heap.str("é€")?;
    let b = heap.str("😀!")?;
    let c = a.concat(&b)?;
    assert_eq!(c.as_str(), "é€😀!");
    assert_eq!(c.char_len(), 4);
    assert_eq!(c.slice(Some(-2), None, None)?.as_str(), "😀!");
    assert_eq!(c.slice(None, None, Some(-1))?.as_str(), "!😀€é");
    Ok(())
}
