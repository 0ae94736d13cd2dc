//! Blocks, pools and arenas: how pymalloc grows, fragments and gives memory back.
//!
//! `cargo run --release --example arenas [-- --quick]`
//!
//! The story, every number read from the allocator ([`Pymalloc::stats`],
//! [`Pymalloc::arena_snapshots`]) or from `/proc/self/statm`:
//!
//! 1. one 64-byte block costs a whole pool (16 KiB) and a whole arena (1 MiB) of address space;
//! 2. growing to several arenas: pools are carved in order, full arenas leave `usable_arenas`;
//! 3. fragmentation: keep one block per pool and free the rest — over 99 % of the blocks go,
//!    yet no arena can be returned, because every pool still holds a live block;
//! 4. freeing the pinning blocks arena by arena: `usable_arenas` re-sorts by `nfreepools`
//!    (most used first), and arenas whose pools are all empty go back to the OS (all but one, kept
//!    to avoid thrashing), with resident memory before and after;
//! 5. the classic layout (8-byte classes, 4 KiB pools, 256 KiB arenas) and the modern one side
//!    by side on the same workload.
//!
//! The arena occupancy of the fragmented state is written as SVG (see [`pyheap::inspect::arena_svg`]).
//!
//! ```text
//!  usable_arenas ──▶ arena 5 (nfree 2) ──▶ arena 1 (nfree 9) ──▶ arena 3 (nfree 40) ──▶ ∅
//!                    most used: new pools come from here          nearly empty: may drain
//! ```
use pyheap::allocator::size_class::{blocks_per_pool, size_to_index};
use pyheap::allocator::{Classic, Modern, Pymalloc, Tunables, resident_bytes};
use pyheap::inspect::arena_svg::{PoolCounts, arena_occupancy_svg, human_bytes};
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::ptr::NonNull;

/// Free every block of `blocks`.
fn free_all<T: Tunables>(heap: &mut Pymalloc<T>, blocks: impl IntoIterator<Item = NonNull<u8>>) {
    for p in blocks {
        // SAFETY: every block handed to free_all came from heap.alloc and is freed once here.
        unsafe { heap.free(p) };
    }
}

/// Pools in use, from the stats table.
fn pools_in_use<T: Tunables>(heap: &Pymalloc<T>) -> usize {
    heap.stats().classes.iter().map(|c| c.pools).sum()
}

/// Resident memory, MiB, for the narration.
fn rss_mib() -> String {
    match resident_bytes() {
        Some(b) => format!("{:.1} MiB", b as f64 / (1 << 20) as f64),
        None => "n/a (no /proc/self/statm)".to_string(),
    }
}

/// One line of counts: blocks, pools, arenas.
fn counts_line<T: Tunables>(heap: &Pymalloc<T>) -> String {
    let s = heap.stats();
    format!(
        "blocks in use {}, pools in use {}, arenas mapped {} ({} of address space), arenas returned so far {}",
        heap.blocks_in_use(),
        pools_in_use(heap),
        heap.arenas_current(),
        human_bytes(s.bytes_in_arenas),
        s.arenas_reclaimed
    )
}

/// The `usable_arenas` list, in list order, and the arenas on no list.
fn print_usable<T: Tunables>(heap: &Pymalloc<T>) {
    let map = heap.arena_snapshots();
    let usable: Vec<String> = map
        .iter()
        .filter(|a| a.usable)
        .map(|a| format!("arena {} (nfree {})", a.index, a.nfreepools))
        .collect();
    let full: Vec<String> = map
        .iter()
        .filter(|a| !a.usable)
        .map(|a| a.index.to_string())
        .collect();
    if usable.is_empty() {
        println!("   usable_arenas: (empty)");
    } else {
        println!("   usable_arenas: {}", usable.join(" → "));
    }
    if !full.is_empty() {
        println!(
            "   no free pool (on no list): {} arena(s): {}",
            full.len(),
            full.join(", ")
        );
    }
    heap.check_invariants().expect("allocator invariants");
}

fn write_map<T: Tunables>(heap: &Pymalloc<T>, dir: &Path, name: &str) -> PathBuf {
    let path = dir.join(name);
    match std::fs::write(&path, arena_occupancy_svg(heap)) {
        Ok(()) => println!("   arena occupancy written to {}", path.display()),
        Err(e) => println!("   (could not write {}: {e})", path.display()),
    }
    path
}

fn story(arenas_to_fill: usize, out: &Path) {
    let mut heap: Pymalloc = Pymalloc::new();
    let rss0 = rss_mib();
    println!("== 1. One block ==");
    let first = heap.alloc(64);
    println!(
        "   alloc(64) → {}; the block is one of {} in a {} pool, in a {} arena",
        counts_line(&heap),
        blocks_per_pool::<Modern>(size_to_index::<Modern>(64)),
        human_bytes(Modern::POOL_SIZE),
        human_bytes(Modern::ARENA_SIZE),
    );
    print_usable(&heap);
    free_all(&mut heap, [first]);
    println!(
        "   free → blocks in use {}, arenas mapped {}{}",
        heap.blocks_in_use(),
        heap.arenas_current(),
        if heap.arenas_current() == 1 {
            " (like CPython 3.8+, the last wholly free arena is kept, to avoid thrashing)"
        } else {
            ""
        }
    );

    println!("\n== 2. Growing: 64-byte blocks until {arenas_to_fill} arenas are mapped ==");
    let per_pool = blocks_per_pool::<Modern>(size_to_index::<Modern>(64));
    let target = per_pool * Modern::MAX_POOLS_IN_ARENA * arenas_to_fill;
    println!(
        "   {per_pool} blocks per pool × {} pools × {arenas_to_fill} arenas = {target} blocks",
        Modern::MAX_POOLS_IN_ARENA
    );
    let mut blocks = Vec::with_capacity(target);
    let mut checkpoint = 1;
    while blocks.len() < target {
        blocks.push(heap.alloc(64));
        if heap.arenas_current() > checkpoint {
            checkpoint = heap.arenas_current();
            if checkpoint == 2 || checkpoint == arenas_to_fill {
                println!("   after {} blocks: {}", blocks.len(), counts_line(&heap));
                print_usable(&heap);
            }
        }
    }
    println!("   filled: {}", counts_line(&heap));
    print_usable(&heap);
    let rss_full = rss_mib();
    println!("   resident memory: {rss0} at the start, {rss_full} now");

    println!("\n== 3. Fragmentation: keep one block per pool, free all the others ==");
    let pool_mask = !(Modern::POOL_SIZE - 1);
    let mut pins: HashMap<usize, NonNull<u8>> = HashMap::new();
    let mut freed = Vec::new();
    for p in blocks {
        let pool = p.addr().get() & pool_mask;
        if let std::collections::hash_map::Entry::Vacant(e) = pins.entry(pool) {
            e.insert(p);
        } else {
            freed.push(p);
        }
    }
    let total = pins.len() + freed.len();
    free_all(&mut heap, freed);
    let s = heap.stats();
    println!(
        "   freed {} of {} blocks ({:.1} %); {}",
        total - pins.len(),
        total,
        100.0 * (total - pins.len()) as f64 / total as f64,
        counts_line(&heap)
    );
    println!(
        "   {} bytes in live blocks hold {} bytes of arenas: {:.3} % used; no arena can go back",
        s.bytes_in_allocated_blocks,
        s.bytes_in_arenas,
        100.0 * s.bytes_in_allocated_blocks as f64 / s.bytes_in_arenas as f64
    );
    print_usable(&heap);
    println!(
        "   resident memory: {} (touched pages stay resident)",
        rss_mib()
    );
    write_map(&heap, out, "arenas-pinned.svg");

    println!("\n== 4. Freeing the pins, arena by arena ==");
    // Group the pins by arena (arena = address >> ARENA_BITS: arenas are ARENA_SIZE-aligned).
    let mut by_arena: HashMap<usize, Vec<NonNull<u8>>> = HashMap::new();
    for (_, p) in pins {
        by_arena
            .entry(p.addr().get() >> Modern::ARENA_BITS)
            .or_default()
            .push(p);
    }
    let mut groups: Vec<Vec<NonNull<u8>>> = by_arena.into_values().collect();
    groups.sort_by_key(|g| g[0].addr());
    // First free a different share of each arena's pins, so the arenas get different nfreepools.
    let n = groups.len();
    let mut shares = Vec::new();
    for (i, g) in groups.iter_mut().enumerate() {
        let k = g.len() * (i + 1) / (n + 1);
        shares.push(format!("{k} of {}", g.len()));
        free_all(&mut heap, g.drain(..k));
    }
    println!(
        "   freed {} pins of the {n} arenas (in address order): {}",
        shares.join(", "),
        counts_line(&heap)
    );
    println!(
        "   usable_arenas is sorted by nfreepools, most used first (new pools come from its head):"
    );
    print_usable(&heap);
    write_map(&heap, out, "arenas-draining.svg");
    let before = heap.arenas_current();
    let rss_before = rss_mib();
    free_all(&mut heap, groups.into_iter().flatten());
    let s = heap.stats();
    println!("   freed the rest: {}", counts_line(&heap));
    print_usable(&heap);
    println!(
        "   arenas returned to the OS: {} (mapped {} → {}); resident memory {} → {}",
        before - heap.arenas_current(),
        before,
        heap.arenas_current(),
        rss_before,
        rss_mib()
    );
    println!(
        "   arenas allocated in total {}, reclaimed {}, highwater {}",
        s.arenas_allocated_total, s.arenas_reclaimed, s.arenas_highwater
    );
}

/// Per-layout numbers of the side-by-side workload.
struct LayoutRow {
    name: &'static str,
    classes: usize,
    pool: usize,
    arena: usize,
    blocks: usize,
    pools: usize,
    counts: PoolCounts,
    requested: usize,
    allocated: usize,
    arenas_bytes: usize,
    quantization: usize,
    headers: usize,
    arenas_after_free: usize,
}

/// Object-like sizes (3.11 objects with their GC head): ints 28, tuples 48/56, lists 56,
/// small strs 50..90, instances 72, with one in four freed at random-ish positions.
fn side_by_side_workload<T: Tunables>(n: usize) -> LayoutRow {
    let sizes = [28usize, 48, 56, 72, 50, 90, 24, 100];
    let mut heap: Pymalloc<T> = Pymalloc::new();
    let mut live = Vec::with_capacity(n);
    let mut requested = 0;
    for i in 0..n {
        let size = sizes[i % sizes.len()];
        let p = heap.alloc(size);
        // A multiplicative hash spreads the frees over all sizes and positions.
        if (i.wrapping_mul(2_654_435_761) >> 7) % 4 == 0 {
            free_all(&mut heap, [p]);
        } else {
            live.push(p);
            requested += size;
        }
    }
    let s = heap.stats();
    heap.check_invariants().expect("allocator invariants");
    let counts = PoolCounts::of(&heap.arena_snapshots());
    let row = LayoutRow {
        name: T::NAME,
        classes: T::NB_SMALL_SIZE_CLASSES,
        pool: T::POOL_SIZE,
        arena: T::ARENA_SIZE,
        blocks: heap.blocks_in_use(),
        pools: s.classes.iter().map(|c| c.pools).sum(),
        counts,
        requested,
        allocated: s.bytes_in_allocated_blocks,
        arenas_bytes: s.bytes_in_arenas,
        quantization: s.bytes_lost_to_quantization,
        headers: s.bytes_lost_to_pool_headers,
        arenas_after_free: 0,
    };
    free_all(&mut heap, live);
    LayoutRow {
        arenas_after_free: heap.arenas_current(),
        ..row
    }
}

fn side_by_side(n: usize) {
    println!("\n== 5. Classic vs modern layout, same workload ==");
    println!(
        "   {n} allocations of 24..100 bytes (object-like sizes), one in four freed right away"
    );
    let rows = [
        side_by_side_workload::<Classic>(n),
        side_by_side_workload::<Modern>(n),
    ];
    let line = |label: &str, f: &dyn Fn(&LayoutRow) -> String| {
        println!("   {label:<34}{:>16}{:>16}", f(&rows[0]), f(&rows[1]));
    };
    line("layout", &|r| r.name.to_string());
    line("size classes", &|r| r.classes.to_string());
    line("pool size", &|r| human_bytes(r.pool));
    line("arena size", &|r| human_bytes(r.arena));
    line("blocks in use", &|r| r.blocks.to_string());
    line("bytes requested by live blocks", &|r| {
        r.requested.to_string()
    });
    line("bytes in allocated blocks", &|r| r.allocated.to_string());
    line("  rounding to the class size", &|r| {
        format!(
            "{:+.1} %",
            100.0 * (r.allocated as f64 / r.requested as f64 - 1.0)
        )
    });
    line("pools in use", &|r| r.pools.to_string());
    line("  of which full / partly used", &|r| {
        format!("{} / {}", r.counts.full_pools, r.counts.used_pools)
    });
    line("arenas mapped", &|r| r.counts.arenas.to_string());
    line("bytes in arenas", &|r| r.arenas_bytes.to_string());
    line("bytes lost to pool headers", &|r| r.headers.to_string());
    line("bytes lost to quantization", &|r| {
        r.quantization.to_string()
    });
    line("live bytes / arena bytes", &|r| {
        format!(
            "{:.1} %",
            100.0 * r.allocated as f64 / r.arenas_bytes as f64
        )
    });
    line("arenas mapped after freeing all", &|r| {
        r.arenas_after_free.to_string()
    });
    println!(
        "   Classic's {}-byte classes round requests up less ({} vs {} bytes in blocks), but its \
         {} pools pay the {}-byte pool header {}× as often per byte, and its {} arenas let memory \
         go back to the OS in smaller steps.",
        Classic::ALIGNMENT,
        rows[0].allocated,
        rows[1].allocated,
        human_bytes(Classic::POOL_SIZE),
        Classic::POOL_OVERHEAD,
        Modern::POOL_SIZE / Classic::POOL_SIZE,
        human_bytes(Classic::ARENA_SIZE),
    );
}

fn main() {
    let quick = std::env::args().any(|a| a == "--quick");
    let (arenas_to_fill, n_side) = if quick { (3, 20_000) } else { (8, 400_000) };
    let out = std::env::temp_dir().join("pyheap-examples");
    if let Err(e) = std::fs::create_dir_all(&out) {
        println!(
            "(cannot create {}: {e}; maps will not be written)",
            out.display()
        );
    }
    println!(
        "pymalloc, modern layout: {} size classes of {} B, {} pools, {} arenas of {} pools{}\n",
        Modern::NB_SMALL_SIZE_CLASSES,
        Modern::ALIGNMENT,
        human_bytes(Modern::POOL_SIZE),
        human_bytes(Modern::ARENA_SIZE),
        Modern::MAX_POOLS_IN_ARENA,
        if quick { " (quick mode)" } else { "" }
    );
    story(arenas_to_fill, &out);
    side_by_side(n_side);
}
