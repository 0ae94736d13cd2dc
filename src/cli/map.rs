//! `pyheap map [FILE.py] [--svg FILE] [--pool A:P] [--like V | --classic]`: the arena / pool
//! occupancy map ([`pyheap::inspect::arena_svg`]) and the pool drill-down
//! ([`pyheap::inspect::pool_svg`]: one pool's header fields and every block).
//!
//! Without FILE it maps a demo workload that leaves pymalloc fragmented; with FILE it runs the
//! program on the Python front end and maps the heap as the program leaves it (before the
//! interpreter's teardown). `--pool A:P` opens pool P of arena A (the numbers of the map's rows
//! and cells) instead: its header as text, and with `--svg` as a picture. `--like 3.7` (or
//! `--classic`) is CPython 3.7's classic layout, `--like 3.11`/`3.13` the modern one (3.10+),
//! for the demo and for a program alike.
//!
//! The demo allocates about eight arenas' worth of blocks of five size classes (32, 64, 128,
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
use pyheap::allocator::{ArenaSnapshot, Classic, Modern, PoolView, Pymalloc, Tunables};
use pyheap::inspect::arena_svg::{MapGeometry, PoolCounts, human_bytes, render_with_returned};
use pyheap::inspect::pool_svg::{pool_svg, pool_text};
use pyheap::runtime::Like;
use std::path::{Path, PathBuf};
use std::ptr::NonNull;

#[derive(clap::Args, Debug)]
pub struct MapArgs {
    /// A Python program: map the heap it leaves (else a built-in demo workload).
    pub file: Option<PathBuf>,
    /// Where to write the SVG (the occupancy map, or with --pool the pool's picture).
    #[arg(long, value_name = "FILE")]
    pub svg: Option<PathBuf>,
    /// Open one pool: pool P of arena A (as numbered in the map), e.g. --pool 0:3.
    #[arg(long, value_name = "A:P", value_parser = parse_pool)]
    pub pool: Option<(u32, usize)>,
    /// The classic layout (8-byte classes, 4 KiB pools, 256 KiB arenas), as --like 3.7.
    #[arg(long)]
    pub classic: bool,
    /// Which CPython's layout: 3.7 (classic) or 3.11 / 3.13 (modern, the default).
    #[arg(long, value_name = "3.7|3.11|3.13")]
    pub like: Option<Like>,
}

/// `"0:3"` → (0, 3).
fn parse_pool(s: &str) -> Result<(u32, usize), String> {
    let bad = || format!("{s:?} is not ARENA:POOL (two numbers, e.g. 0:3)");
    let (a, p) = s.split_once(':').ok_or_else(bad)?;
    Ok((
        a.trim().parse().map_err(|_| bad())?,
        p.trim().parse().map_err(|_| bad())?,
    ))
}

/// Block sizes of the demo, one per size class touched.
const SIZES: [usize; 5] = [32, 64, 128, 256, 512];

/// What the workload did, for the summary.
struct Workload {
    allocated: usize,
    freed: usize,
    peak_arenas: usize,
    /// Arena indices mapped at the peak (those missing at the end were returned).
    peak_indices: Vec<u32>,
}

/// Allocate about eight arenas of blocks, then free them band by band (see the module docs).
/// Returns the blocks still live.
fn demo_workload<T: Tunables>(heap: &mut Pymalloc<T>) -> (Workload, Vec<NonNull<u8>>) {
    let mean = SIZES.iter().sum::<usize>() / SIZES.len();
    let n = 8 * T::ARENA_SIZE / mean;
    let blocks: Vec<NonNull<u8>> = (0..n).map(|i| heap.alloc(SIZES[i % SIZES.len()])).collect();
    let peak_arenas = heap.arenas_current();
    let peak_indices = heap.arena_snapshots().iter().map(|a| a.index).collect();
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
        peak_indices,
    };
    (w, live)
}

/// The pool `A:P` of a snapshot, or the one-line reason it does not exist.
fn find_pool(
    (arena, pool): (u32, usize),
    pools_per_arena: usize,
    snap: &[ArenaSnapshot],
    returned: &[u32],
    view: Option<PoolView>,
) -> Result<PoolView, CliError> {
    if let Some(v) = view {
        return Ok(v);
    }
    let mut mapped: Vec<u32> = snap.iter().map(|a| a.index).collect();
    mapped.sort_unstable();
    let list = mapped
        .iter()
        .map(u32::to_string)
        .collect::<Vec<_>>()
        .join(", ");
    Err(CliError::Usage(if !mapped.contains(&arena) {
        format!(
            "no pool {arena}:{pool}: arena {arena} is {} (mapped arenas: {list})",
            if returned.contains(&arena) {
                "returned to the OS"
            } else {
                "not mapped"
            }
        )
    } else {
        format!(
            "no pool {arena}:{pool}: an arena holds pools 0 to {}",
            pools_per_arena - 1
        )
    }))
}

/// Print the drill-down of one pool and write its picture when asked.
fn show_pool(g: &MapGeometry, v: &PoolView, svg: Option<&Path>) -> Result<(), CliError> {
    print!("{}", pool_text(g, v));
    if let Some(path) = svg {
        let text = pool_svg(g, v);
        super::write_file(path, &text)?;
        println!(
            "  wrote {} ({} bytes): every block of the pool; hover one for its offset",
            path.display(),
            text.len()
        );
    }
    Ok(())
}

/// Write the map to `path` and print the summary lines shared by the demo and programs.
fn show_map(
    g: &MapGeometry,
    snap: &[ArenaSnapshot],
    returned: &[u32],
    path: &Path,
) -> Result<(), CliError> {
    let counts = PoolCounts::of(snap);
    let svg = render_with_returned(g, snap, returned);
    super::write_file(path, &svg)?;
    println!(
        "  arenas:   {} mapped ({} on usable_arenas, {} with no free pool), {} returned to the OS",
        counts.arenas,
        counts.usable_arenas,
        counts.full_arenas,
        returned.len()
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
         hover a cell for its numbers; open a pool with --pool ARENA:POOL",
        path.display(),
        svg.len()
    );
    Ok(())
}

fn missing_svg() -> CliError {
    CliError::Usage("map: --svg FILE is required (or --pool ARENA:POOL to open one pool)".into())
}

fn run_layout<T: Tunables>(args: &MapArgs) -> Result<(), CliError> {
    if args.pool.is_none() && args.svg.is_none() {
        return Err(missing_svg());
    }
    let g = MapGeometry::of::<T>();
    let mut heap: Pymalloc<T> = Pymalloc::new();
    let (w, live) = demo_workload(&mut heap);
    let snap = heap.arena_snapshots();
    let returned: Vec<u32> = w
        .peak_indices
        .iter()
        .copied()
        .filter(|i| !snap.iter().any(|a| a.index == *i))
        .collect();
    let view = args.pool.and_then(|(a, p)| heap.pool_view(a, p));
    for p in live {
        // SAFETY: every block in `live` is still allocated and is freed once.
        unsafe { heap.free(p) };
    }
    if let Some(pool) = args.pool {
        let v = find_pool(pool, T::MAX_POOLS_IN_ARENA, &snap, &returned, view)?;
        println!("pyheap map --pool: the demo workload ({} layout)", T::NAME);
        return show_pool(&g, &v, args.svg.as_deref());
    }
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
    show_map(
        &g,
        &snap,
        &returned,
        args.svg.as_deref().ok_or_else(missing_svg)?,
    )
}

/// Map the heap a Python program leaves.
fn run_program(args: &MapArgs, file: &Path) -> Result<(), CliError> {
    if args.pool.is_none() && args.svg.is_none() {
        return Err(missing_svg());
    }
    let source = std::fs::read(file)
        .map_err(|e| CliError::Usage(format!("can't open file '{}': {e}", file.display())))
        .and_then(|b| {
            String::from_utf8(b)
                .map_err(|_| CliError::Usage(format!("{}: not UTF-8 source", file.display())))
        })?;
    let filename = file.display().to_string();
    let like = args.like.unwrap_or(Like::Py311);
    let config = pyheap_python::RunConfig {
        argv: vec![filename.clone()],
        thresholds: None,
        like,
        gc_debug: 0,
        max_heap: None,
        classic_layout: args.classic,
    };
    let (exit, g, snap, returned, view) = super::run::exit_70_on_panic(|| {
        pyheap_python::with_interpreter(config, |interp| {
            let exit = interp.run_source(&source, &filename);
            let heap = interp.heap();
            let stats = heap.allocator_stats();
            let snap = heap.arena_snapshots();
            // Arena objects are taken in index order and a returned one is reused first, so
            // the indices ever used are 0..highwater; those not mapped now were returned.
            let returned: Vec<u32> = (0..stats.arenas_highwater as u32)
                .filter(|i| !snap.iter().any(|a| a.index == *i))
                .collect();
            let view = args.pool.and_then(|(a, p)| heap.pool_view(a, p));
            (
                exit.code(),
                MapGeometry::of_stats(&stats),
                snap,
                returned,
                view,
            )
        })
    });
    use std::io::Write as _;
    let _ = std::io::stdout().flush();
    if exit != 0 {
        eprintln!("pyheap map: {filename} exited with status {exit}; mapping the heap it left");
    }
    if let Some(pool) = args.pool {
        let v = find_pool(pool, g.pools_per_arena, &snap, &returned, view)?;
        println!(
            "pyheap map --pool: the heap {filename} left ({} layout)",
            g.layout
        );
        return show_pool(&g, &v, args.svg.as_deref());
    }
    println!(
        "pyheap map: the heap {filename} left, {} layout, {} arenas of {} × {} pools",
        g.layout,
        human_bytes(g.arena_size),
        g.pools_per_arena,
        human_bytes(g.pool_size)
    );
    show_map(
        &g,
        &snap,
        &returned,
        args.svg.as_deref().ok_or_else(missing_svg)?,
    )
}

pub fn run(args: MapArgs) -> Result<(), CliError> {
    let classic = args.classic || args.like == Some(Like::Py37);
    if args.classic && matches!(args.like, Some(Like::Py311 | Like::Py313)) {
        return Err(CliError::Usage(
            "map: --classic is the 3.7 layout; it contradicts --like 3.11/3.13".into(),
        ));
    }
    match &args.file {
        Some(file) => run_program(&args, file),
        None if classic => run_layout::<Classic>(&args),
        None => run_layout::<Modern>(&args),
    }
}
