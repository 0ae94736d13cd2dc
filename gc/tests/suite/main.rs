//! The collector's scenario tests against the mock object model (`common`), linked as one test
//! binary (`cargo test -p pyheap-gc --test suite`; one module: `... --test suite -- big::`).
//!
//! ```text
//!   collector   CPython's test_gc / test_finalization scenarios, stats, freeze, callbacks
//!   explain     the replayed gc_refs table of collect_explained
//!   reentry     user code in traverse reaching the collector (issue 9)
//!   graphs      property test: random graphs, drops, finalizers, resurrectors
//!   big         10-million-object chains and rings
//! ```

mod common;

mod big;
mod collector;
mod explain;
mod graphs;
mod reentry;
mod sweep;
