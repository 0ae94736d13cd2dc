//! Looking inside the heap: pictures and tables built from the layers' public snapshots.
//!
//! - [`arena_svg`]: the arena occupancy map (one row per arena, one cell per pool), as SVG.
pub mod arena_svg;
