//! Unit tests of the allocator as a whole; each runs for both layouts via `both_layouts!`.

use crate::size_class::{blocks_per_pool, index_to_size};
use crate::{Classic, Modern, Pymalloc, Tunables};
use std::ptr::NonNull;

macro_rules! both_layouts {
    ($($name:ident),* $(,)?) => {
        mod modern {
            $( #[test] fn $name() { super::$name::<crate::Modern>(); } )*
        }
        mod classic {
            $( #[test] fn $name() { super::$name::<crate::Classic>(); } )*
        }
    };
}

both_layouts!(
    every_size_aligned_and_counted,
    full_pool_leaves_ring_and_returns_to_front,
    empty_arenas_go_back_to_the_os,
    keep_empty_arenas_tunable_keeps_them_mapped,
    realloc_rules,
    calloc_zeroes_reused_memory,
    owns_and_large_blocks,
    stats_totals_add_up,
    arena_snapshot_matches_counts,
    oom_injection,
    interleaved_classes_random_frees,
);

fn ok<T: Tunables>(h: &Pymalloc<T>) {
    if let Err(e) = h.check_invariants() {
        panic!("{e}");
    }
}

fn every_size_aligned_and_counted<T: Tunables>() {
    let mut h = Pymalloc::<T>::new();
    let mut v = Vec::new();
    for size in 0..=600usize {
        let p = h.alloc(size);
        let align = if (1..=512).contains(&size) {
            T::ALIGNMENT
        } else {
            16
        };
        assert_eq!(p.addr().get() % align, 0, "size {size}");
        // SAFETY: p has `size` writable bytes.
        unsafe { p.as_ptr().write_bytes(size as u8, size) };
        v.push((p, size));
    }
    assert_eq!(h.blocks_in_use(), 512);
    assert_eq!(h.large_in_use(), 89);
    ok(&h);
    for (p, size) in v {
        // SAFETY: each block is live and holds its fill byte.
        unsafe {
            assert!(
                std::slice::from_raw_parts(p.as_ptr(), size)
                    .iter()
                    .all(|&b| b == size as u8)
            );
            h.free(p);
        }
    }
    assert_eq!((h.blocks_in_use(), h.large_in_use()), (0, 0));
    ok(&h);
}

fn full_pool_leaves_ring_and_returns_to_front<T: Tunables>() {
    let mut h = Pymalloc::<T>::new();
    let n = blocks_per_pool::<T>(0);
    let first: Vec<_> = (0..n).map(|_| h.alloc(1)).collect();
    // The pool is full: it has left the ring, so the next block comes from a new pool.
    assert!(h.usedpools[0].is_null());
    ok(&h);
    let other = h.alloc(1);
    let pool_of = |p: NonNull<u8>| p.addr().get() & !T::POOL_SIZE_MASK;
    assert_ne!(pool_of(other), pool_of(first[0]));
    // A free into the full pool puts it at the front of the ring: the next block reuses it.
    // SAFETY: first[7] is live.
    unsafe { h.free(first[7]) };
    ok(&h);
    let again = h.alloc(1);
    assert_eq!(again, first[7]);
    ok(&h);
    // SAFETY: all live, freed once.
    unsafe {
        for p in first.into_iter().filter(|&p| p != again) {
            h.free(p);
        }
        h.free(again);
        h.free(other);
    }
    ok(&h);
    assert_eq!(h.blocks_in_use(), 0);
}

/// The `keep_empty` tunable: with 4, a free storm that empties 6 arenas keeps 4 mapped (CPython's
/// one at the tail among them) and a rebuild of 4 arenas' worth maps none; back at 0 the extra
/// ones go as they empty again, as CPython would.
fn keep_empty_arenas_tunable_keeps_them_mapped<T: Tunables>() {
    let mut h = Pymalloc::<T>::new();
    h.set_keep_empty_arenas(4);
    let per_arena = blocks_per_pool::<T>(T::NB_SMALL_SIZE_CLASSES - 1) * T::MAX_POOLS_IN_ARENA;
    let n = per_arena * 5 + 3;
    let v: Vec<_> = (0..n).map(|_| h.alloc(512)).collect();
    assert_eq!(h.arenas_current(), 6);
    for &p in v.iter().rev() {
        // SAFETY: live, freed once.
        unsafe { h.free(p) };
        if h.blocks_in_use().is_multiple_of(per_arena) {
            ok(&h);
        }
    }
    ok(&h);
    assert_eq!(
        h.arenas_current(),
        4,
        "kept by the tunable (the tail one included)"
    );
    assert_eq!(h.stats().arenas_reclaimed, 2);
    let v: Vec<_> = (0..per_arena * 4).map(|_| h.alloc(512)).collect();
    ok(&h);
    assert_eq!(
        h.stats().arenas_allocated_total,
        6,
        "the rebuild reused the kept arenas"
    );
    h.set_keep_empty_arenas(0);
    for &p in &v {
        // SAFETY: live, freed once.
        unsafe { h.free(p) };
    }
    ok(&h);
    assert_eq!(
        h.arenas_current(),
        1,
        "CPython's policy again: one wholly free arena"
    );
}

fn empty_arenas_go_back_to_the_os<T: Tunables>() {
    let mut h = Pymalloc::<T>::new();
    let per_arena = blocks_per_pool::<T>(T::NB_SMALL_SIZE_CLASSES - 1) * T::MAX_POOLS_IN_ARENA;
    let v: Vec<_> = (0..per_arena * 5 + 3).map(|_| h.alloc(512)).collect();
    assert_eq!(h.arenas_current(), 6);
    ok(&h);
    // Free in an interleaved order so arenas move around usable_arenas.
    let (even, odd): (Vec<_>, Vec<_>) = v.iter().enumerate().partition(|(i, _)| i % 2 == 0);
    for (_, &p) in even {
        // SAFETY: live, freed once.
        unsafe { h.free(p) };
    }
    ok(&h);
    for (_, &p) in odd {
        // SAFETY: live, freed once.
        unsafe { h.free(p) };
    }
    ok(&h);
    assert_eq!(h.arenas_current(), 1, "one wholly free arena is kept");
    let s = h.stats();
    assert_eq!(s.arenas_allocated_total, 6);
    assert_eq!(s.arenas_reclaimed, 5);
    assert_eq!(s.arenas_highwater, 6);
    // The kept arena is reused: no new mapping.
    let p = h.alloc(100);
    assert_eq!(h.stats().arenas_allocated_total, 6);
    // SAFETY: live.
    unsafe { h.free(p) };
}

fn realloc_rules<T: Tunables>() {
    let mut h = Pymalloc::<T>::new();
    // SAFETY: every pointer used below is live at the time of use and freed once.
    unsafe {
        let p = h.alloc(64);
        p.as_ptr().write_bytes(7, 64);
        // Shrinking by less than 25 % stays in place.
        assert_eq!(h.realloc(p, 49).unwrap(), p);
        assert_eq!(h.realloc(p, 64).unwrap(), p);
        // Shrinking by 25 % or more moves.
        let q = h.realloc(p, 48).unwrap();
        assert_ne!(q, p);
        assert!(
            std::slice::from_raw_parts(q.as_ptr(), 48)
                .iter()
                .all(|&b| b == 7)
        );
        // Growing moves, to the system allocator past 512.
        let r = h.realloc(q, 2000).unwrap();
        assert!(!h.owns(r.as_ptr()));
        assert_eq!(h.large_in_use(), 1);
        assert!(
            std::slice::from_raw_parts(r.as_ptr(), 48)
                .iter()
                .all(|&b| b == 7)
        );
        r.as_ptr().add(48).write_bytes(9, 2000 - 48);
        let r2 = h.realloc(r, 5000).unwrap();
        assert_eq!(*r2.as_ptr().add(1999), 9);
        // Large shrunk to ≤ 512 moves back into a pool (our deviation, documented).
        let s = h.realloc(r2, 100).unwrap();
        assert!(h.owns(s.as_ptr()));
        assert_eq!(h.large_in_use(), 0);
        assert_eq!(*s.as_ptr().add(47), 7);
        assert_eq!(*s.as_ptr().add(99), 9);
        // n == 0 does not free: it moves to a 0-byte system block.
        let z = h.realloc(s, 0).unwrap();
        assert_eq!((h.blocks_in_use(), h.large_in_use()), (0, 1));
        h.free(z);
        ok(&h);
        // free_sized agrees with free.
        let a = h.alloc(300);
        let b = h.alloc(3000);
        h.free_sized(a, 300);
        h.free_sized(b, 3000);
    }
    assert_eq!((h.blocks_in_use(), h.large_in_use()), (0, 0));
    ok(&h);
}

fn calloc_zeroes_reused_memory<T: Tunables>() {
    let mut h = Pymalloc::<T>::new();
    // SAFETY: blocks are live while written/read.
    unsafe {
        let p = h.alloc(200);
        p.as_ptr().write_bytes(0xAB, 200);
        h.free(p);
        let q = h.calloc(10, 20);
        assert_eq!(q, p, "LIFO reuse");
        assert!(
            std::slice::from_raw_parts(q.as_ptr(), 200)
                .iter()
                .all(|&b| b == 0)
        );
        let big = h.calloc(100, 100);
        assert!(
            std::slice::from_raw_parts(big.as_ptr(), 10_000)
                .iter()
                .all(|&b| b == 0)
        );
        h.free(q);
        h.free(big);
    }
    assert!(h.try_calloc(usize::MAX, 2).is_err());
    ok(&h);
}

fn owns_and_large_blocks<T: Tunables>() {
    let mut h = Pymalloc::<T>::new();
    let x = 5u64;
    assert!(!h.owns(std::ptr::from_ref(&x).cast()));
    let p = h.alloc(10);
    let big = h.alloc(100_000);
    let zero = h.alloc(0);
    assert!(h.owns(p.as_ptr()));
    assert!(!h.owns(big.as_ptr()));
    assert!(!h.owns(zero.as_ptr()));
    assert_eq!(h.large_bytes_in_use(), 100_000);
    // SAFETY: live, freed once.
    unsafe {
        h.free(p);
        h.free(big);
        h.free(zero);
    }
    assert_eq!(h.large_in_use(), 0);
    assert_eq!(h.large_bytes_in_use(), 0);
}

fn stats_totals_add_up<T: Tunables>() {
    let mut h = Pymalloc::<T>::new();
    let mut v = Vec::new();
    for i in 0..20_000usize {
        v.push(h.alloc(1 + (i * 37) % 512));
    }
    for (i, p) in v.iter().enumerate() {
        if i % 3 == 0 {
            // SAFETY: live, freed once (and skipped below).
            unsafe { h.free(*p) };
        }
    }
    let s = h.stats();
    assert_eq!(s.total, s.arenas_current * T::ARENA_SIZE);
    assert_eq!(s.bytes_in_arenas, s.total);
    assert_eq!(s.bytes_lost_to_arena_alignment, 0);
    let in_use: usize = s.classes.iter().map(|c| c.blocks_in_use).sum();
    assert_eq!(in_use, h.blocks_in_use());
    for c in &s.classes {
        assert_eq!(c.size, index_to_size::<T>(c.class));
        assert_eq!(
            c.blocks_in_use + c.avail_blocks,
            c.pools * blocks_per_pool::<T>(c.class)
        );
    }
    let text = s.to_text();
    check_text_shape(&text, T::NB_SMALL_SIZE_CLASSES, s.classes.len());
    let json: serde_json::Value = serde_json::from_str(&s.to_json()).unwrap();
    assert_eq!(json["total"], s.total);
    assert_eq!(json["classes"].as_array().unwrap().len(), s.classes.len());
    for (i, p) in v.into_iter().enumerate() {
        if i % 3 != 0 {
            // SAFETY: live, freed once.
            unsafe { h.free(p) };
        }
    }
}

/// Line shapes of CPython's `_debugmallocstats` (see /work/shared/cpython/debugmallocstats-3.11.txt).
pub(crate) fn check_text_shape(text: &str, nclasses: usize, rows: usize) {
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(
        lines[0],
        format!("Small block threshold = 512, in {nclasses} size classes.")
    );
    assert_eq!(lines[1], "");
    assert_eq!(
        lines[2],
        "class   size   num pools   blocks in use  avail blocks"
    );
    assert_eq!(
        lines[3],
        "-----   ----   ---------   -------------  ------------"
    );
    for row in &lines[4..4 + rows] {
        // %5u %6u %11zu %15zu %13zu
        assert_eq!(row.len(), 5 + 1 + 6 + 1 + 11 + 1 + 15 + 1 + 13, "{row:?}");
        let f: Vec<&str> = row.split_whitespace().collect();
        assert_eq!(f.len(), 5);
        assert!(f.iter().all(|x| x.parse::<usize>().is_ok()));
    }
    assert_eq!(lines[4 + rows], "");
    assert!(lines[5 + rows].starts_with("# arenas allocated total           ="));
    let mut value_lines = 0;
    for l in &lines[5 + rows..] {
        if let Some(eq) = l.find('=') {
            assert_eq!(eq, 35, "{l:?}");
            assert_eq!(l.len(), 57, "{l:?}");
            value_lines += 1;
        }
    }
    assert_eq!(value_lines, 5 + 7 + 1 + 3 + 2);
    assert!(text.contains("\nTotal                              ="));
}

fn arena_snapshot_matches_counts<T: Tunables>() {
    let mut h = Pymalloc::<T>::new();
    let v: Vec<_> = (0..5000usize).map(|i| h.alloc(8 + i % 200)).collect();
    let map = h.arena_snapshots();
    assert_eq!(map.len(), h.arenas_current());
    let used: usize = map
        .iter()
        .flat_map(|a| &a.pools)
        .map(|p| p.blocks_in_use)
        .sum();
    assert_eq!(used, 5000);
    for a in &map {
        assert_eq!(a.pools.len(), T::MAX_POOLS_IN_ARENA);
        let free = a.pools.iter().filter(|p| p.size_class.is_none()).count();
        assert_eq!(free, a.nfreepools as usize);
        // usable arenas come first, sorted by nfreepools
    }
    let usable: Vec<u32> = map
        .iter()
        .filter(|a| a.usable)
        .map(|a| a.nfreepools)
        .collect();
    assert!(usable.windows(2).all(|w| w[0] <= w[1]));
    assert!(map.iter().skip(usable.len()).all(|a| !a.usable));
    for p in v {
        // SAFETY: live, freed once.
        unsafe { h.free(p) };
    }
}

fn oom_injection<T: Tunables>() {
    let mut h = Pymalloc::<T>::new();
    h.fail_os_requests_after(Some(0));
    assert!(h.try_alloc(16).is_err());
    assert!(h.try_alloc(10_000).is_err());
    assert_eq!(
        (h.blocks_in_use(), h.large_in_use(), h.arenas_current()),
        (0, 0, 0)
    );
    ok(&h);
    // One arena allowed: fill it with 512-byte blocks, then the next request fails.
    h.fail_os_requests_after(Some(1));
    let per_arena = blocks_per_pool::<T>(T::NB_SMALL_SIZE_CLASSES - 1) * T::MAX_POOLS_IN_ARENA;
    let mut v: Vec<_> = (0..per_arena).map(|_| h.try_alloc(512).unwrap()).collect();
    assert_eq!(
        h.try_alloc(512),
        Err(crate::AllocError::OutOfMemory { requested: 512 })
    );
    assert!(
        h.try_alloc(1).is_err(),
        "no pool left for another class either"
    );
    ok(&h);
    assert_eq!(h.blocks_in_use(), per_arena);
    // A free makes room again without the OS.
    // SAFETY: live, freed once.
    unsafe { h.free(v.pop().unwrap()) };
    v.push(h.try_alloc(512 - T::ALIGNMENT + 1).unwrap()); // same class as 512
    // realloc failure leaves the old block intact.
    // SAFETY: v[0] is live.
    unsafe {
        v[0].as_ptr().write_bytes(0x5A, 512);
        assert!(h.realloc(v[0], 1000).is_err());
        assert_eq!(*v[0].as_ptr().add(511), 0x5A);
    }
    ok(&h);
    h.fail_os_requests_after(None);
    v.push(h.alloc(16));
    v.push(h.alloc(100_000));
    assert_eq!(h.arenas_current(), 2);
    ok(&h);
    for p in v {
        // SAFETY: live, freed once.
        unsafe { h.free(p) };
    }
    assert_eq!((h.blocks_in_use(), h.large_in_use()), (0, 0));
    ok(&h);
}

fn interleaved_classes_random_frees<T: Tunables>() {
    let mut h = Pymalloc::<T>::new();
    let mut seed = 0x1234_5678_9abc_def0u64;
    let mut rnd = move || {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        seed
    };
    let mut live: Vec<NonNull<u8>> = Vec::new();
    // Miri interprets each allocation (~10^4x slower): 2 rounds of 2000 keep the shape (every
    // class, several pools per class, random frees) in a minute instead of hours.
    let (rounds, per_round) = if cfg!(miri) { (2, 2_000) } else { (6, 30_000) };
    for round in 0..rounds {
        for _ in 0..per_round {
            live.push(h.alloc(1 + (rnd() % 512) as usize));
        }
        // Free a random 80 %.
        let mut keep = Vec::new();
        for p in live.drain(..) {
            if rnd() % 5 == 0 {
                keep.push(p);
            } else {
                // SAFETY: live, freed once.
                unsafe { h.free(p) };
            }
        }
        live = keep;
        if round % 2 == 0 {
            ok(&h);
        }
    }
    ok(&h);
    for p in live {
        // SAFETY: live, freed once.
        unsafe { h.free(p) };
    }
    ok(&h);
    assert!(h.arenas_current() <= 1);
}

#[test]
fn hooks_switch_only_when_empty() {
    let mut h: Pymalloc = Pymalloc::new();
    let p = h.alloc(8);
    assert_eq!(
        h.set_debug_hooks(true),
        Err(crate::HooksError::BlocksLive { live: 1 })
    );
    // SAFETY: live.
    unsafe { h.free(p) };
    h.set_debug_hooks(true).unwrap();
    assert!(h.debug_hooks());
}

#[test]
fn modern_is_the_default_and_types_differ() {
    let h: Pymalloc = Pymalloc::new();
    let _: &Pymalloc<Modern> = &h;
    let c = Pymalloc::<Classic>::new();
    assert_eq!(c.stats().size_classes, 64);
    assert_eq!(h.stats().size_classes, 32);
}
