//! Debug hooks: CPython's `PYTHONMALLOC=pymalloc_debug`, switched at run time with
//! [`Pymalloc::set_debug_hooks`](crate::Pymalloc::set_debug_hooks). Off by default; when off they
//! cost one well-predicted branch on `alloc`/`free`.
//!
//! With hooks on, every request of `n` bytes takes a raw block of `n + 24` bytes (so requests up
//! to 488 bytes stay in pools):
//!
//! ```text
//!  raw block:  [ n: 8 bytes big-endian | 'o' | 0xFD × 7 ][ n data bytes, fresh = 0xCD ][ 0xFD × 8 ]
//!              ^ raw (pool block or large block)          ^ pointer handed out (raw + 16)
//!  on free:    checks, then the whole raw block is filled with 0xDD before it is released
//! ```
//!
//! Faults, each a panic whose message names the fault, the block address and its size class:
//! - `foreign pointer`: not inside any arena and not a live large block, or inside an arena but
//!   not at a block start / in an unused pool (checked without reading the memory at the pointer);
//! - `double free`: the block is on its pool's free list or beyond its pool's carved blocks;
//! - `guard bytes overwritten before/after the block`: a write under- or overran the block.
//!
//! A large block freed twice is reported as a foreign pointer (its address is no longer in the
//! registry of live large blocks, which is all we can say without reading freed memory).

use crate::layout::Tunables;
use crate::pool::{self, PoolHeader};
use crate::pymalloc::{AllocError, Pymalloc};
use crate::size_class::{index_to_size, is_small};
use std::ptr::{self, NonNull};

/// Byte written over fresh data (CPython's CLEANBYTE).
pub const CLEANBYTE: u8 = 0xCD;
/// Byte written over freed blocks (DEADBYTE).
pub const DEADBYTE: u8 = 0xDD;
/// Guard byte around the data (FORBIDDENBYTE).
pub const FORBIDDENBYTE: u8 = 0xFD;
/// API identifier byte (`'o'` for the object domain, as `PyObject_Malloc`).
pub const API_ID: u8 = b'o';

const HEAD: usize = 16;
const TAIL: usize = 8;
/// Extra bytes per block with hooks on.
pub const DEBUG_OVERHEAD: usize = HEAD + TAIL;

/// What we know about a block under the hooks.
struct Checked {
    raw: NonNull<u8>,
    /// Requested size (from the header).
    n: usize,
    /// `Some((class index, block size))` for pool blocks, `None` for large blocks.
    class: Option<(usize, usize)>,
    /// Arena index for pool blocks.
    arena: u32,
}

fn class_text(class: Option<(usize, usize)>) -> String {
    match class {
        Some((i, s)) => format!("size class {i} ({s}-byte blocks)"),
        None => "size class: none (large block from the system allocator)".to_string(),
    }
}

impl<T: Tunables> Pymalloc<T> {
    #[cold]
    #[inline(never)]
    pub(crate) fn debug_alloc(&mut self, n: usize, zero: bool) -> Result<NonNull<u8>, AllocError> {
        let total = n
            .checked_add(DEBUG_OVERHEAD)
            .ok_or(AllocError::OutOfMemory { requested: n })?;
        let raw = self.raw_alloc(total)?;
        if !is_small(total) {
            let a = raw.addr().get();
            let i = self.debug_large.as_slice().partition_point(|&x| x < a);
            if !self.debug_large.insert(i, a) {
                // SAFETY: raw is the large block just allocated.
                unsafe { self.large_free(raw) };
                return Err(AllocError::OutOfMemory { requested: n });
            }
        }
        // SAFETY: raw has total = n + 24 bytes; all writes below are inside it.
        unsafe {
            let r = raw.as_ptr();
            ptr::copy_nonoverlapping((n as u64).to_be_bytes().as_ptr(), r, 8);
            *r.add(8) = API_ID;
            r.add(9).write_bytes(FORBIDDENBYTE, HEAD - 9);
            r.add(HEAD).write_bytes(if zero { 0 } else { CLEANBYTE }, n);
            r.add(HEAD + n).write_bytes(FORBIDDENBYTE, TAIL);
            Ok(raw.add(HEAD))
        }
    }

    #[track_caller]
    fn debug_fault(&self, fault: &str, p: NonNull<u8>, class: Option<(usize, usize)>) -> ! {
        panic!(
            "pymalloc debug hooks: {fault}: block {:p}, {}",
            p.as_ptr(),
            class_text(class)
        )
    }

    /// Identify the block behind a data pointer and verify it (ownership, double free, guards).
    fn debug_check(&self, p: NonNull<u8>) -> Checked {
        let Some(raw_addr) = p.addr().get().checked_sub(HEAD) else {
            self.debug_fault("foreign pointer (not in any arena)", p, None)
        };
        let raw = p.as_ptr().with_addr(raw_addr);
        let mut arena = 0;
        let class = if let Some(ai) = self.arenas.map.lookup::<T>(raw_addr) {
            arena = ai;
            let pool = raw
                .map_addr(|a| a & !T::POOL_SIZE_MASK)
                .cast::<PoolHeader>();
            let a = self.arenas.get(ai);
            if pool.addr() >= a.pool_address.addr() {
                self.debug_fault("foreign pointer (in a never-carved pool)", p, None);
            }
            // SAFETY: a carved pool of a live arena has an initialised header.
            let (szidx, count, nextoffset, mut fb) = unsafe {
                (
                    (*pool).szidx as usize,
                    (*pool).count,
                    (*pool).nextoffset as usize,
                    (*pool).freeblock,
                )
            };
            if szidx >= T::NB_SMALL_SIZE_CLASSES {
                self.debug_fault("foreign pointer (in a pool never used)", p, None);
            }
            let size = index_to_size::<T>(szidx);
            let class = Some((szidx, size));
            let off = raw_addr - pool.addr();
            if off < T::POOL_OVERHEAD || (off - T::POOL_OVERHEAD) % size != 0 {
                self.debug_fault("foreign pointer (not at the start of a block)", p, class);
            }
            if count == 0 || off >= nextoffset {
                self.debug_fault("double free", p, class);
            }
            // Walk the free list (at most one pool's worth of blocks).
            while !fb.is_null() {
                if fb == raw {
                    self.debug_fault("double free", p, class);
                }
                // SAFETY: fb is on the free list of a live pool.
                fb = unsafe { pool::next_free(fb) };
            }
            class
        } else {
            if self
                .debug_large
                .as_slice()
                .binary_search(&raw_addr)
                .is_err()
            {
                self.debug_fault(
                    "foreign pointer (not in any arena and not a live large block; or a large block freed twice)",
                    p,
                    None,
                );
            }
            None
        };
        // The block is ours and live: its header and guards are readable.
        let cap = match class {
            Some((_, s)) => s,
            // SAFETY: raw is a live large block (registry).
            None => unsafe { crate::os::large_size(NonNull::new_unchecked(raw)) },
        };
        // SAFETY: raw is a live block of `cap` bytes ≥ HEAD + TAIL.
        let (n, head_ok) = unsafe {
            let mut nb = [0u8; 8];
            ptr::copy_nonoverlapping(raw, nb.as_mut_ptr(), 8);
            let guards = std::slice::from_raw_parts(raw.add(9), HEAD - 9);
            (
                u64::from_be_bytes(nb) as usize,
                *raw.add(8) == API_ID && guards.iter().all(|&b| b == FORBIDDENBYTE),
            )
        };
        if !head_ok || n.checked_add(DEBUG_OVERHEAD).is_none_or(|t| t > cap) {
            self.debug_fault(
                "guard bytes overwritten before the block (buffer underrun)",
                p,
                class,
            );
        }
        // SAFETY: HEAD + n + TAIL ≤ cap, checked above.
        let tail = unsafe { std::slice::from_raw_parts(raw.add(HEAD + n), TAIL) };
        if tail.iter().any(|&b| b != FORBIDDENBYTE) {
            self.debug_fault(
                "guard bytes overwritten after the block (buffer overrun)",
                p,
                class,
            );
        }
        Checked {
            // SAFETY: raw_addr ≥ HEAD > 0 was derived from a non-null pointer minus 16... and is
            // the address of a live block, hence non-null.
            raw: unsafe { NonNull::new_unchecked(raw) },
            n,
            class,
            arena,
        }
    }

    /// # Safety
    /// As `Pymalloc::free` (misuse is detected and reported where possible).
    #[cold]
    #[inline(never)]
    pub(crate) unsafe fn debug_free(&mut self, p: NonNull<u8>) {
        let c = self.debug_check(p);
        // SAFETY: debug_check verified c.raw is a live block of ours of HEAD + n + TAIL bytes.
        unsafe {
            c.raw.as_ptr().write_bytes(DEADBYTE, c.n + DEBUG_OVERHEAD);
            if c.class.is_some() {
                self.pool_free(c.raw, c.arena);
            } else {
                let a = c.raw.addr().get();
                if let Ok(i) = self.debug_large.as_slice().binary_search(&a) {
                    self.debug_large.remove(i);
                }
                self.large_free(c.raw);
            }
        }
    }

    /// # Safety
    /// As `Pymalloc::realloc`.
    #[cold]
    #[inline(never)]
    pub(crate) unsafe fn debug_realloc(
        &mut self,
        p: NonNull<u8>,
        n: usize,
    ) -> Result<NonNull<u8>, AllocError> {
        let c = self.debug_check(p);
        let new = self.debug_alloc(n, false)?;
        // SAFETY: both data areas are live and distinct; min(n, c.n) fits both.
        unsafe {
            ptr::copy_nonoverlapping(p.as_ptr(), new.as_ptr(), c.n.min(n));
            self.debug_free(p);
        }
        Ok(new)
    }
}
