//! ~200 MiB of small blocks, then all freed: the arenas go back to the OS (current arenas ≤ 1) and
//! the resident set shrinks accordingly. Alone in its own test binary so that no other test's
//! memory moves the resident-set figures.

use pyheap_allocator::{Pymalloc, resident_bytes};
use std::ptr::NonNull;

const MIB: usize = 1 << 20;

#[test]
fn two_hundred_mib_round_trip() {
    let Some(before) = resident_bytes() else {
        eprintln!("no /proc/self/statm: skipping the RSS part");
        return;
    };
    let mut h: Pymalloc = Pymalloc::new();
    // Mixed small sizes, 200 MiB of requested bytes in total.
    let sizes = [32usize, 64, 128, 256, 512, 48, 96];
    let mut ptrs: Vec<NonNull<u8>> = Vec::with_capacity(2_000_000);
    let mut total = 0usize;
    let mut i = 0;
    while total < 200 * MIB {
        let n = sizes[i % sizes.len()];
        let p = h.alloc(n);
        // SAFETY: p has n writable bytes; touching them makes the pages resident.
        unsafe { p.as_ptr().write_bytes(0x11, n) };
        ptrs.push(p);
        total += n;
        i += 1;
    }
    let peak = resident_bytes().unwrap();
    let arenas_peak = h.arenas_current();
    assert!(arenas_peak >= 200, "{arenas_peak} arenas for 200 MiB");
    assert!(
        peak >= before + 190 * MIB,
        "rss before {before}, at peak {peak}"
    );
    h.check_invariants().unwrap();
    for p in ptrs.drain(..) {
        // SAFETY: live, freed once.
        unsafe { h.free(p) };
    }
    assert_eq!(h.blocks_in_use(), 0);
    assert!(
        h.arenas_current() <= 1,
        "{} arenas left",
        h.arenas_current()
    );
    let after = resident_bytes().unwrap();
    // Everything but at most one arena (and the pointer vector, still allocated) is returned.
    assert!(
        peak - after >= 190 * MIB,
        "rss before {before}, peak {peak}, after {after}: only {} MiB returned",
        (peak - after) / MIB
    );
    let s = h.stats();
    assert_eq!(s.arenas_highwater, arenas_peak);
    assert_eq!(s.arenas_reclaimed, arenas_peak - s.arenas_current);
}
