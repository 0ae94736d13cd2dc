//! The runtime's scenario tests, linked as one test binary (`cargo test -p pyheap-runtime --test
//! suite`; one module: `... --test suite -- reentrancy::`). One binary instead of one per file:
//! each integration binary links the runtime and its dependencies again, which dominated the
//! build time of `cargo test`.
//!
//! ```text
//!   built-in types       builtins  list_ops  set_semantics  hash_eq  native_base  classes
//!   look-up caches       lookup_caches
//!   against CPython      int_cpython  repr_cpython  set_cpython  traverse_order   (cpython: the asker)
//!   the collector        user_gc  user_types  traced_callbacks  heap_callbacks  roots  chains
//!   safety (issue 9)     deferred  heap_in_traverse  reentrancy  recursion  debug_checks
//!                        (bombs: the hostile Sneaky fixture of reentrancy and set_semantics)
//!   property tests       prop_graphs  prop_hostile
//! ```
//!
//! Every module keeps its own header; the data CPython's answers are checked against lives in
//! `tests/data/`.

mod bombs;
mod cpython;

mod builtins;
mod chains;
mod classes;
mod debug_checks;
mod deferred;
mod hash_eq;
mod heap_callbacks;
mod heap_in_traverse;
mod int_cpython;
mod list_ops;
mod lookup_caches;
mod native_base;
mod prop_graphs;
mod prop_hostile;
mod recursion;
mod reentrancy;
mod repr_cpython;
mod roots;
mod set_cpython;
mod set_semantics;
mod sweep;
mod traced_callbacks;
mod traverse_order;
mod user_gc;
mod user_types;
