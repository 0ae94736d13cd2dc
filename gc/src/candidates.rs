//! The candidate array: the heads of a collection's candidates in list order, recorded by the
//! first walk so that `subtract_refs` and `move_unreachable` can prefetch the objects they will
//! reach next.
//!
//! ```text
//!   young ⇄ [A] ⇄ [B] ⇄ [C] ⇄ ... ⇄ [Z] ⇄ (tail: objects pulled back from `unreachable`)
//!   array    A     B     C    ...    Z
//!            ^ i (walk is here)   ^ i + DISTANCE (both lines of that object prefetched)
//! ```
//!
//! A walk over a generation list is pointer chasing: the next object's address is known only
//! once the current head is loaded, so the misses of scattered (or merely large) heaps come one
//! by one. `move_unreachable` visits the candidates exactly in the order the first walk met them
//! — every object it moves to `unreachable` is unlinked behind the walk and every object pulled
//! back is appended after the last original candidate — so visit number `i < len` is
//! `array[i]`, and `array[i + DISTANCE]` is known long before the chase gets there.
//!
//! Phase 10 (`delete_garbage`) follows the array too when no user code ran since phase 4 (no
//! special garbage): its list is then the array's order with the survivors left out, and each
//! clear may free the next object or two (a dead pair's partner) by refcounting, so [`follow`]
//! finds the object being cleared within a few entries of a cursor and prefetches `DISTANCE`
//! entries past it (`bench cycles`, `dead_pairs`: −10 to −20 %). Meanwhile the collector holds
//! the array outside its cell, so a nested collection run by user code in a `clear` starts
//! with an empty one.
//!
//! The array only feeds prefetches, which read nothing and never fault: a stale or missing
//! entry costs a wasted hint, never a wrong answer. It is therefore filled without reallocating
//! (entries past its capacity are not recorded) and sized before a full collection's walk from
//! the collector's estimate of the candidate count; if that allocation fails, the walks run
//! without it. Younger collections record into whatever capacity is left.
//!
//! This is the one allocation a collection makes, and it is made before the walks, from the
//! system allocator (never the heap's pools: it cannot start a collection or touch an object); its
//! failure costs only the prefetches.
//!
//! Memory: 8 bytes per candidate (+1/8 slack) of the last large full collection stay allocated
//! between collections (the array is released when a full collection needs less than a quarter
//! of it): about 14 % on top of a heap of 64-byte objects.
//!
//! # Invariants
//! - Between collections the array is empty (its capacity is kept: it is reused).
//! - Recording never grows it, so no allocation happens inside a walk.

use crate::head::{GcPtr, prefetch_object};

/// How many objects ahead of the walk the array prefetches.
const DISTANCE: usize = 12;
/// Collections of fewer candidates (by estimate) do without: their objects mostly sit in the
/// caches already, and a small walk gains nothing from the hints.
pub(crate) const MIN_CANDIDATES: usize = 1 << 14;

/// Make room for `estimate` candidates of a full collection in `v` (emptied first). A far
/// larger array than needed (after the heap shrank) is released first, so that it holds at
/// most ~4× what the last full collection needed.
pub(crate) fn prepare(v: &mut Vec<GcPtr>, estimate: usize) {
    v.clear();
    if v.capacity() > estimate.saturating_mul(4) {
        *v = Vec::new();
    }
    if estimate < MIN_CANDIDATES {
        return;
    }
    // Some slack: objects tracked since the counts were taken are candidates too.
    let want = estimate + estimate / 8;
    // A failure leaves the array as it was: the walks then prefetch less (or nothing).
    let _ = v.try_reserve_exact(want);
}

/// Append `p` if the array has room (never reallocates).
#[inline(always)]
pub(crate) fn record(v: &mut Vec<GcPtr>, p: GcPtr) {
    if v.len() < v.capacity() {
        v.push(p);
    }
}

/// Prefetch for the walk's visit number `i`: both lines of the object `DISTANCE` visits ahead,
/// if recorded.
#[inline(always)]
pub(crate) fn prefetch_ahead(v: &[GcPtr], i: usize) {
    if let Some(&p) = v.get(i + DISTANCE) {
        prefetch_object(p);
    }
}

/// How far `follow` looks for the object being processed.
const FOLLOW_WINDOW: usize = 4;

/// Prefetch for `delete_garbage`, whose list is the array's order with survivors left out and
/// with objects freed by their predecessor's clear (a dead pair's partner) gone: find `p` in
/// the next few entries from `*cursor`, move the cursor past it and prefetch `DISTANCE` ahead.
/// When `p` is not found (the orders diverged) nothing is prefetched and the cursor stays.
#[inline(always)]
pub(crate) fn follow(v: &[GcPtr], cursor: &mut usize, p: GcPtr) {
    let end = v.len().min(*cursor + FOLLOW_WINDOW);
    if let Some(k) = v
        .get(*cursor..end)
        .and_then(|w| w.iter().position(|&q| q == p))
    {
        *cursor += k + 1;
        if let Some(&q) = v.get(*cursor + DISTANCE) {
            prefetch_object(q);
        }
    }
}
