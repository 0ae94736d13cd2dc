//! pyheap: CPython's object memory system as an embeddable Rust library.
//!
//! The facade re-exports the three layers:
//! - [`allocator`]: pymalloc (size classes, pools, arenas);
//! - [`runtime`]: objects, types, reference counting, the `Heap`;
//! - [`gc`]: the three-generation cycle collector;
//!
//! and adds the tools to look inside ([`inspect`]) and the threshold lab ([`lab`]).
//!
//! The README follows; its Rust example is compiled and run as a doctest.
#![doc = include_str!("../README.md")]

pub use pyheap_allocator as allocator;
pub use pyheap_gc as gc;
pub use pyheap_runtime as runtime;

pub mod benchkit;
pub mod inspect;
pub mod lab;
