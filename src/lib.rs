//! pyheap: CPython's object memory system as an embeddable Rust library.
//!
//! The facade re-exports the three layers:
//! - [`allocator`]: pymalloc (size classes, pools, arenas);
//! - [`runtime`]: objects, types, reference counting, the `Heap`;
//! - [`gc`]: the three-generation cycle collector.
pub use pyheap_allocator as allocator;
pub use pyheap_gc as gc;
pub use pyheap_runtime as runtime;

pub mod inspect;
pub mod lab;
