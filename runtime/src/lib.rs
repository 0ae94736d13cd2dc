//! pyheap-runtime: the object model (placeholder until issue 3 lands).
pub use pyheap_allocator as allocator;
pub use pyheap_gc as gc;
