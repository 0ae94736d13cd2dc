//! pyheap-allocator: pymalloc in Rust.
//!
//! TEMPORARY STUB (session 1 bootstrap): the public API below is the contract other crates build
//! against; the pymalloc implementation replaces the bodies. Requests are served by the system
//! allocator here, with a block count so that balance tests already work.

use std::alloc::{GlobalAlloc, Layout, System};
use std::marker::PhantomData;
use std::ptr::NonNull;

/// Largest request served from pools; bigger ones go to the system allocator.
pub const SMALL_REQUEST_THRESHOLD: usize = 512;

/// Errors of the fallible API.
#[derive(Debug, thiserror::Error, Clone, PartialEq, Eq)]
pub enum AllocError {
    /// The operating system (or the system allocator) refused memory.
    #[error("out of memory: the OS refused {requested} bytes")]
    OutOfMemory { requested: usize },
}

/// The geometry of a pymalloc instance (alignment, pool and arena sizes).
pub trait Tunables: 'static {
    const NAME: &'static str;
    const ALIGNMENT_SHIFT: u32;
    const POOL_BITS: u32;
    const ARENA_BITS: u32;
}

/// CPython 3.10+ on 64-bit: 16-byte alignment, 32 classes, 16 KiB pools, 1 MiB arenas.
pub struct Modern;
impl Tunables for Modern {
    const NAME: &'static str = "modern";
    const ALIGNMENT_SHIFT: u32 = 4;
    const POOL_BITS: u32 = 14;
    const ARENA_BITS: u32 = 20;
}

/// The layout of the obmalloc.c comment table: 8-byte alignment, 64 classes, 4 KiB pools, 256 KiB arenas.
pub struct Classic;
impl Tunables for Classic {
    const NAME: &'static str = "classic";
    const ALIGNMENT_SHIFT: u32 = 3;
    const POOL_BITS: u32 = 12;
    const ARENA_BITS: u32 = 18;
}

/// A pymalloc instance. One owner at a time (`!Sync`).
pub struct Pymalloc<T: Tunables = Modern> {
    blocks_in_use: usize,
    large_in_use: usize,
    _t: PhantomData<T>,
    _not_sync: PhantomData<std::cell::Cell<()>>,
}

impl<T: Tunables> Default for Pymalloc<T> {
    fn default() -> Self {
        Self::new()
    }
}

const HDR: usize = 16;

impl<T: Tunables> Pymalloc<T> {
    pub fn new() -> Self {
        Pymalloc {
            blocks_in_use: 0,
            large_in_use: 0,
            _t: PhantomData,
            _not_sync: PhantomData,
        }
    }

    /// Allocate `size` bytes (16-byte aligned). Aborts with a message if the OS refuses memory.
    pub fn alloc(&mut self, size: usize) -> NonNull<u8> {
        match self.try_alloc(size) {
            Ok(p) => p,
            Err(e) => panic!("{e}"),
        }
    }

    /// Allocate `size` bytes, or report that the OS refused memory.
    pub fn try_alloc(&mut self, size: usize) -> Result<NonNull<u8>, AllocError> {
        let layout = Layout::from_size_align(size.max(1) + HDR, 16).unwrap();
        // SAFETY: layout has non-zero size.
        let p = unsafe { System.alloc(layout) };
        let p = NonNull::new(p).ok_or(AllocError::OutOfMemory { requested: size })?;
        // SAFETY: p points to at least HDR bytes, 16-aligned.
        unsafe { p.cast::<usize>().write(size) };
        if size <= SMALL_REQUEST_THRESHOLD && size > 0 {
            self.blocks_in_use += 1;
        } else {
            self.large_in_use += 1;
        }
        // SAFETY: HDR < layout.size().
        Ok(unsafe { p.add(HDR) })
    }

    /// Free a block.
    ///
    /// # Safety
    /// `ptr` must come from this allocator's `alloc`/`try_alloc`/`realloc` and not be freed yet.
    pub unsafe fn free(&mut self, ptr: NonNull<u8>) {
        // SAFETY: caller guarantees ptr came from try_alloc, which put the size HDR bytes before.
        unsafe {
            let base = ptr.sub(HDR);
            let size = base.cast::<usize>().read();
            if size <= SMALL_REQUEST_THRESHOLD && size > 0 {
                self.blocks_in_use -= 1;
            } else {
                self.large_in_use -= 1;
            }
            System.dealloc(
                base.as_ptr(),
                Layout::from_size_align(size.max(1) + HDR, 16).unwrap(),
            );
        }
    }

    /// Number of small blocks currently allocated from pools.
    pub fn blocks_in_use(&self) -> usize {
        self.blocks_in_use
    }

    /// Number of requests currently served by the system allocator (> 512 bytes or 0 bytes).
    pub fn large_in_use(&self) -> usize {
        self.large_in_use
    }
}
