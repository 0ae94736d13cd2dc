//! Looking inside the heap: pictures and tables built from the layers' public snapshots.
//!
//! - [`arena_svg`]: the arena occupancy map (one row per arena, one cell per pool), as SVG.
//!
//! (`xml_check.rs` beside this file is test-only: a dependency-free XML well-formedness checker
//! that `arena_svg`'s unit tests and `tests/*.rs` include with `#[path]`.)
pub mod arena_svg;
