//! pyheap-allocator: pymalloc, CPython's small-object allocator, in Rust.
//!
//! Requests of 1..=512 bytes are served from **pools** of one size class; pools are cut from
//! **arenas** mapped from the OS; everything else goes to the system allocator. The geometry is a
//! type parameter ([`Modern`] by default: 16-byte classes, 16 KiB pools, 1 MiB arenas;
//! [`Classic`]: 8-byte classes, 4 KiB pools, 256 KiB arenas).
//!
//! ```text
//!  Pymalloc
//!  ├─ usedpools[class] ──→ ring of used pools of that class (first = where the next block comes from)
//!  ├─ usable_arenas ─────→ arenas with free pools, sorted by nfreepools (most used first)
//!  └─ arena map ─────────→ address >> ARENA_BITS → arena index  ("is this pointer ours?")
//!
//!  arena (ARENA_SIZE bytes, ARENA_SIZE-aligned mmap)
//!  ┌──────────────┬──────────────┬──────────────┬─────┬───────────────────────────────────┐
//!  │ pool 0       │ pool 1       │ pool 2       │ ... │ never-carved pools (pool_address→) │
//!  │ class 2      │ class 0      │ empty        │     │                                   │
//!  └──────┬───────┴──────────────┴──────────────┴─────┴───────────────────────────────────┘
//!         ▼
//!  pool (POOL_SIZE bytes)
//!  ┌─────────────── header, 48 B ───────────────┬────────┬────────┬────────┬──────────────┐
//!  │ count │ freeblock │ next │ prev │ arenaidx  │ block  │ block  │ block  │ virgin …     │
//!  │       │     │     │ szidx │ nextoffset │ max │ (used) │ (free) │ (used) │              │
//!  └─────────────┼──────────────────────────────┴────────┴───▲────┴────────┴──────────────┘
//!                └──────────────────────────────────────────┘  free list through first words
//! ```
//!
//! Finding a block's pool and arena is address arithmetic (`p & !POOL_SIZE_MASK`,
//! `p >> ARENA_BITS`), because arenas are mapped exactly aligned. The arena map answers "is this
//! pointer in one of our arenas" without reading the memory at the pointer, so `free` accepts
//! large blocks too (like CPython's `PyObject_Free`).
//!
//! Modules, one concept each:
//! - `layout`: the tunables and their compile-time checks;
//! - [`size_class`]: size ↔ class arithmetic;
//! - `pool`: the pool header, free lists, rings (pool states used/full/empty);
//! - `arena`: arena objects, `usable_arenas`, `nfp2lasta`, returning arenas to the OS;
//! - `arena_map`: the two-level radix map from address to arena;
//! - `os`: mmap/munmap, system-allocated large blocks, metadata vectors, fault injection;
//! - `pymalloc`: [`Pymalloc`] — alloc/free/realloc and the large fall-through;
//! - `stats`: [`Stats`] and its `sys._debugmallocstats()` rendering;
//! - `check`: [`Pymalloc::check_invariants`] and [`Pymalloc::arena_snapshots`];
//! - `pool_view`: [`Pymalloc::pool_view`], one pool's header and blocks (the drill-down);
//! - [`debug`]: the debug hooks (byte patterns 0xCD/0xDD/0xFD, misuse reports);
//! - `global`: [`PymallocGlobal`], a `GlobalAlloc` + `allocator_api2::Allocator` adapter.
//!
//! ```
//! use pyheap_allocator::Pymalloc;
//! let mut heap: Pymalloc = Pymalloc::new();
//! let p = heap.alloc(40);
//! assert_eq!(heap.blocks_in_use(), 1);
//! // SAFETY: p came from heap.alloc and is freed once.
//! unsafe { heap.free(p) };
//! heap.check_invariants().unwrap();
//! ```

#![warn(missing_docs)]

mod arena;
mod arena_map;
mod check;
pub mod debug;
mod global;
mod layout;
mod os;
mod pool;
mod pool_view;
mod pymalloc;
pub mod size_class;
mod stats;

pub use check::{ArenaSnapshot, InvariantError, PoolSnapshot};
pub use global::PymallocGlobal;
pub use layout::{Classic, Modern, SMALL_REQUEST_THRESHOLD, Tunables};
pub use os::resident_bytes;
pub use pool_view::{BlockState, PoolList, PoolView};
pub use pymalloc::{AllocError, HooksError, Pymalloc};
pub use stats::{ClassStats, Stats};

#[cfg(test)]
mod tests;
