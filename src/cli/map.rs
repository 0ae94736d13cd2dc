//! `pyheap map --svg FILE [--classic]`: run a demo workload that leaves pymalloc fragmented,
//! write the arena occupancy map ([`pyheap::inspect::arena_svg`]) and print a short summary.
//!
//! The workload allocates about eight arenas' worth of blocks of five size classes (32, 64, 128,
//! 256 and 512 bytes, interleaved, so every arena holds pools of every class), then frees in
//! bands of allocation order (pools are carved in address order, so the bands map onto arenas):
//!
//! ```text
//!  eighths of the allocations:  0 1         2 3             4 5 6             7
//!  freed:                       none        all but 1/40    all               all but 1/3 of the 512 B
//!  what the map shows:          full pools  sparse pools    arenas returned   partly used 512 B pools,
//!                                           pin 2 arenas    to the OS         the other pools empty
//! ```
use super::CliError;
use pyheap::allocator::{Classic, Modern, Pymalloc, Tunables};
use pyheap::inspect::arena_svg::{PoolCounts, arena_occupancy_svg, human_bytes};
use std::path::PathBuf;
use std::ptr::NonNull;

#[derive(clap::Args, Debug)]
pub struct MapArgs {
    /// Where to write the SVG.
    #[arg(long, value_name = "FILE")]
    pub svg: PathBuf,
    /// Use the classic layout (8-byte classes, 4 KiB pools, 256 KiB arenas) instead of modern.
    #[arg(long)]
    pub classic: bool,
}

/// Block sizes of the demo, one per size class touched.
const SIZES: [usize; 5] = [32, 64, 128, 256, 512];

/// What the workload did, for the summary.
struct Workload {
    allocated: usize,
    freed: usize,
    peak_arenas: usize,
}

/// Allocate about eight arenas of blocks, then free them band by band (see the module docs).
/// Returns the blocks still live.
fn demo_workload<T: Tunables>(heap: &mut Pymalloc<T>) -> (Workload, Vec<NonNull<u8>>) {
    let mean = SIZES.iter().sum::<usize>() / SIZES.len();
    let n = 8 * T::ARENA_SIZE / mean;
    let blocks: Vec<NonNull<u8>> = (0..n).map(|i| heap.alloc(SIZES[i % SIZES.len()])).collect();
    let peak_arenas = heap.arenas_current();
    let eighth = n / 8;
    let mut live = Vec::new();
    let mut freed = 0;
    for (i, p) in blocks.into_iter().enumerate() {
        let keep = match i / eighth {
            0 | 1 => true,
            2 | 3 => i % 40 == 0,
            4..=6 => false,
            _ => SIZES[i % SIZES.len()] == 512 && i % 3 == 0,
        };
        if keep {
            live.push(p);
        } else {
            // SAFETY: p came from heap.alloc above and is freed exactly once.
            unsafe { heap.free(p) };
            freed += 1;
        }
    }
    let w = Workload {
        allocated: n,
        freed,
        peak_arenas,
    };
    (w, live)
}

fn run_layout<T: Tunables>(args: &MapArgs) -> Result<(), CliError> {
    let mut heap: Pymalloc<T> = Pymalloc::new();
    let (w, live) = demo_workload(&mut heap);
    let snap = heap.arena_snapshots();
    let counts = PoolCounts::of(&snap);
    let stats = heap.stats();
    let svg = arena_occupancy_svg(&heap);
    let written = std::fs::write(&args.svg, &svg);
    for p in live {
        // SAFETY: every block in `live` is still allocated and is freed once.
        unsafe { heap.free(p) };
    }
    written.map_err(|e| {
        std::io::Error::new(
            e.kind(),
            format!("cannot write {}: {e}", args.svg.display()),
        )
    })?;

    println!(
        "pyheap map: {} layout, {} arenas of {} × {} pools",
        T::NAME,
        human_bytes(T::ARENA_SIZE),
        T::MAX_POOLS_IN_ARENA,
        human_bytes(T::POOL_SIZE)
    );
    println!(
        "  workload: {} blocks of {} sizes allocated ({} arenas at the peak), {} freed, {} live",
        w.allocated,
        SIZES.len(),
        w.peak_arenas,
        w.freed,
        w.allocated - w.freed
    );
    println!(
        "  arenas:   {} mapped ({} on usable_arenas, {} with no free pool), {} returned to the OS",
        counts.arenas, counts.usable_arenas, counts.full_arenas, stats.arenas_reclaimed
    );
    let order: Vec<String> = snap
        .iter()
        .filter(|a| a.usable)
        .map(|a| format!("arena {} (nfree {})", a.index, a.nfreepools))
        .collect();
    println!("  usable_arenas: {}", order.join(" → "));
    println!(
        "  pools:    {} full, {} partly used, {} free (empty or never carved); {} in all",
        counts.full_pools,
        counts.used_pools,
        counts.free_pools,
        counts.total_pools()
    );
    println!(
        "  wrote {} ({} bytes): one row per arena, one cell per pool; open it in a browser and \
         hover a cell for its numbers",
        args.svg.display(),
        svg.len()
    );
    Ok(())
}

pub fn run(args: MapArgs) -> Result<(), CliError> {
    if args.classic {
        run_layout::<Classic>(&args)
    } else {
        run_layout::<Modern>(&args)
    }
}
