//! Looking inside the heap: pictures and tables built from the layers' public snapshots.
//!
//! - [`arena_svg`]: the arena occupancy map (one row per arena, one cell per pool), as SVG.
//! - [`pool_svg`]: one pool opened: header fields, every block in use / free-listed / never
//!   carved, the free list in order (`pyheap map --pool A:P`).
//! - [`heap_graph`]: which objects the tools see, labelled references, handle roots.
//! - [`snapshot`]: the heap by type, diffs sorted by growth, the relative heap.
//! - [`leaks`]: growth between two points of a program by type and by allocating line, with
//!   "why is this alive?" for the top growing type (`pyheap run --leaks`).
//! - [`sizes`]: what each built-in costs next to CPython, and the size classes it lands in.
//! - [`gc_explain`]: one collection explained object by object (gc_refs phase by phase), text and DOT.
//! - [`dot`]: DOT pictures of the references around an object; "why is this alive?" chains.
//! - [`trace_record`], [`trace_page`]: a program recorded line by line (names → objects, the
//!   allocator, the collector) and the self-contained HTML page that steps through it.
//!
//! (`xml_check.rs` beside this file is test-only: a dependency-free XML well-formedness checker
//! that `arena_svg`'s unit tests and `tests/*.rs` include with `#[path]`.)
pub mod arena_svg;
pub mod dot;
pub mod gc_explain;
pub mod heap_graph;
pub mod leaks;
pub mod pool_svg;
pub mod sizes;
pub mod snapshot;
pub mod trace_page;
pub mod trace_record;
