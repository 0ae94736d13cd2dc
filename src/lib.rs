//! pyheap: CPython's object memory system as an embeddable Rust library.
//!
//! The facade re-exports the three layers:
//! - [`allocator`]: pymalloc (size classes, pools, arenas);
//! - [`runtime`]: objects, types, reference counting, the `Heap`;
//! - [`gc`]: the three-generation cycle collector;
//!
//! and, with the default `cli` feature, adds the tools to look inside (`inspect`) and the
//! threshold lab (`lab`). Without it (`default-features = false`) the library is the three
//! layers alone.
//!
//! The README follows; its Rust example is compiled and run as a doctest.
#![doc = include_str!("../README.md")]
#![warn(missing_docs)]

pub use pyheap_allocator as allocator;
pub use pyheap_gc as gc;
pub use pyheap_runtime as runtime;

// The bench kernels are internal: the lab's workloads share some of them, and the `pyheap`
// binary and `benches/` include the same files as their own private module.
#[cfg(feature = "cli")]
#[allow(dead_code)]
mod benchkit;
#[cfg(feature = "cli")]
pub mod inspect;
#[cfg(feature = "cli")]
pub mod lab;
