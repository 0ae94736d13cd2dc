//! `pyheap stats [--json]`: run a demo workload, print the allocator's stats table.
//!
//! The workload imitates the object mix of the CPython sample in
//! `/work/shared/cpython/debugmallocstats-3.11.txt` (sizes of 3.11 objects with their GC head):
//! 50k 1-tuples (48 B), 50k empty lists (56 B), 100k small dicts (64 B + 208 B of keys),
//! 100k ints (32 B), 100k two-attribute instances (64 B), plus some strings of assorted lengths;
//! then a third of the strings and every other int are freed, leaving partly used pools.
use super::CliError;
use pyheap::allocator::Pymalloc;
use std::ptr::NonNull;

#[derive(clap::Args, Debug)]
pub struct StatsArgs {
    /// Print one JSON object instead of the text table.
    #[arg(long)]
    pub json: bool,
}

/// Allocate the demo mix; returns the allocator and the blocks still live.
fn demo_workload() -> (Pymalloc, Vec<NonNull<u8>>) {
    let mut heap: Pymalloc = Pymalloc::new();
    let mut live = Vec::new();
    let mix: [(usize, usize); 6] = [
        (50_000, 48),   // (x,) tuples
        (50_000, 56),   // [] lists
        (100_000, 64),  // 3-key dicts
        (100_000, 208), // their keys objects
        (100_000, 64),  // 2-attribute instances
        (100_000, 32),  // ints
    ];
    let mut ints = Vec::new();
    for (count, size) in mix {
        for _ in 0..count {
            let p = heap.alloc(size);
            if size == 32 {
                ints.push(p);
            } else {
                live.push(p);
            }
        }
    }
    let mut strings = Vec::new();
    for i in 0..30_000usize {
        strings.push(heap.alloc(40 + (i * 53) % 460));
    }
    for (i, p) in ints.into_iter().enumerate() {
        if i % 2 == 0 {
            // SAFETY: p is live and freed once.
            unsafe { heap.free(p) };
        } else {
            live.push(p);
        }
    }
    for (i, p) in strings.into_iter().enumerate() {
        if i % 3 == 0 {
            // SAFETY: p is live and freed once.
            unsafe { heap.free(p) };
        } else {
            live.push(p);
        }
    }
    (heap, live)
}

pub fn run(args: StatsArgs) -> Result<(), CliError> {
    let (mut heap, live) = demo_workload();
    let stats = heap.stats();
    if args.json {
        println!("{}", stats.to_json());
    } else {
        print!("{}", stats.to_text());
    }
    for p in live {
        // SAFETY: every block in `live` is still allocated and is freed once.
        unsafe { heap.free(p) };
    }
    Ok(())
}
