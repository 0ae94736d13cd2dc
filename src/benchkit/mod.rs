//! The workloads behind the benchmarks, defined once.
//!
//! `pyheap bench NAME` (quick, comparable figures with a baseline measured in the same run) and
//! the criterion benches under `benches/` (the detailed picture) time the same cases; this module
//! holds each case's body so the two cannot drift apart. Timing, repetition and reporting stay
//! with the callers.
//!
//! - [`alloc`]: one allocation-pattern round per case, over any allocator behind [`alloc::Subject`]
//!   (pymalloc, glibc through `System`, mimalloc) plus bumpalo's allocation-only twin.
//! - [`objects`]: heap object graphs (the created built-ins, pyperformance's GC shapes, deep
//!   nests, two-list cycles, live and dead instances) and their `Rc` twins.
//! - [`cpu_time`]: the thread CPU clock the collector benches read.

pub mod alloc;
pub mod cpu_time;
pub mod objects;
