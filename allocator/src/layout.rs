//! Tunables: the geometry of a pymalloc instance, in one place.
//!
//! Two layouts are provided:
//!
//! | knob                    | [`Modern`] (default, CPython 3.10+ 64-bit) | [`Classic`] (obmalloc.c comment table) |
//! |-------------------------|--------------------------------------------|----------------------------------------|
//! | `ALIGNMENT`             | 16 bytes (`ALIGNMENT_SHIFT` 4)             | 8 bytes (shift 3)                      |
//! | size classes            | 32 (16, 32, …, 512 bytes)                  | 64 (8, 16, …, 512 bytes)               |
//! | `POOL_SIZE`             | 16 KiB (`POOL_BITS` 14)                    | 4 KiB (bits 12)                        |
//! | `ARENA_SIZE`            | 1 MiB (`ARENA_BITS` 20)                    | 256 KiB (bits 18)                      |
//! | pools per arena         | 64                                         | 64                                     |
//! | `POOL_OVERHEAD`         | 48 bytes (the pool header, rounded up)     | 48 bytes                               |
//!
//! A layout is a zero-sized type implementing [`Tunables`]; [`Pymalloc`](crate::Pymalloc) is
//! generic over it, so every derived constant below is a compile-time constant inside the
//! monomorphised code: the default layout pays nothing for the existence of the other one.
//!
//! Only the four primary knobs (`NAME`, `ALIGNMENT_SHIFT`, `POOL_BITS`, `ARENA_BITS`) are meant to
//! be set by an implementation. The derived constants have default values; overriding one with an
//! inconsistent value is rejected at compile time by [`Tunables::CHECKS`], which `Pymalloc::new`
//! evaluates.

use crate::pool::PoolHeader;

/// Largest request served from pools; bigger ones (and 0-byte ones) go to the system allocator.
pub const SMALL_REQUEST_THRESHOLD: usize = 512;

/// Upper bound on the number of size classes of any layout (512 / 8). Fixed-size per-class arrays
/// use it so that the allocator struct needs no generic array length.
pub const MAX_SIZE_CLASSES: usize = 64;

/// Upper bound on pools per arena (`nfp2lasta` has `MAX_POOLS_IN_ARENA_LIMIT + 1` slots).
pub const MAX_POOLS_IN_ARENA_LIMIT: usize = 64;

/// Size class index stored in a pool header that has been carved but never given a class
/// (CPython's `DUMMY_SIZE_IDX`).
pub const DUMMY_SIZE_IDX: u32 = 0xffff;

const fn round_up(n: usize, to: usize) -> usize {
    n.div_ceil(to) * to
}

/// The geometry of a pymalloc instance (alignment, pool and arena sizes).
pub trait Tunables: 'static {
    /// Short name used in stats output (`"modern"`, `"classic"`).
    const NAME: &'static str;
    /// log2 of the block alignment (and of the size-class step).
    const ALIGNMENT_SHIFT: u32;
    /// log2 of the pool size in bytes.
    const POOL_BITS: u32;
    /// log2 of the arena size in bytes; arenas are mapped at addresses aligned to their size.
    const ARENA_BITS: u32;

    /// Block alignment and size-class granularity, bytes.
    const ALIGNMENT: usize = 1 << Self::ALIGNMENT_SHIFT;
    /// Number of size classes: 512 / ALIGNMENT.
    const NB_SMALL_SIZE_CLASSES: usize = SMALL_REQUEST_THRESHOLD >> Self::ALIGNMENT_SHIFT;
    /// Pool size, bytes.
    const POOL_SIZE: usize = 1 << Self::POOL_BITS;
    /// Mask of the offset inside a pool: `addr & !POOL_SIZE_MASK` is the pool header.
    const POOL_SIZE_MASK: usize = Self::POOL_SIZE - 1;
    /// Arena size, bytes.
    const ARENA_SIZE: usize = 1 << Self::ARENA_BITS;
    /// Mask of the offset inside an arena: `addr & !ARENA_SIZE_MASK` is the arena base.
    const ARENA_SIZE_MASK: usize = Self::ARENA_SIZE - 1;
    /// Pools per arena (arenas are exactly aligned, so no pool is lost to alignment).
    const MAX_POOLS_IN_ARENA: usize = Self::ARENA_SIZE / Self::POOL_SIZE;
    /// Bytes at the start of each pool taken by its header: `size_of::<PoolHeader>()` (48 on
    /// 64-bit) rounded up to `ALIGNMENT`, so the first block is aligned.
    const POOL_OVERHEAD: usize = round_up(size_of::<PoolHeader>(), Self::ALIGNMENT);

    /// The relations between the knobs, checked when the constant is evaluated (at compile time,
    /// from `Pymalloc::<T>::new`).
    const CHECKS: () = {
        assert!(Self::ALIGNMENT == 1 << Self::ALIGNMENT_SHIFT);
        // A free block stores the next-free link in its first word.
        assert!(Self::ALIGNMENT >= size_of::<usize>());
        assert!(Self::ALIGNMENT <= 16);
        assert!(SMALL_REQUEST_THRESHOLD.is_multiple_of(Self::ALIGNMENT));
        assert!(Self::NB_SMALL_SIZE_CLASSES == SMALL_REQUEST_THRESHOLD / Self::ALIGNMENT);
        assert!(Self::NB_SMALL_SIZE_CLASSES <= MAX_SIZE_CLASSES);
        assert!(Self::POOL_SIZE == 1 << Self::POOL_BITS);
        assert!(Self::POOL_SIZE_MASK == Self::POOL_SIZE - 1);
        assert!(Self::ARENA_SIZE == 1 << Self::ARENA_BITS);
        assert!(Self::ARENA_SIZE_MASK == Self::ARENA_SIZE - 1);
        // Pools are at least an OS page so that arena mappings split into whole pools.
        assert!(Self::POOL_BITS >= 12);
        assert!(Self::POOL_SIZE % Self::ALIGNMENT == 0);
        assert!(Self::POOL_OVERHEAD % Self::ALIGNMENT == 0);
        assert!(Self::POOL_OVERHEAD >= size_of::<PoolHeader>());
        // Every pool holds at least two blocks of the largest class: a fresh pool hands one out
        // and keeps one on its free list (the "pool in a used ring has a free block" invariant).
        assert!(Self::POOL_OVERHEAD + 2 * SMALL_REQUEST_THRESHOLD <= Self::POOL_SIZE);
        // Offsets inside a pool fit the u32 header fields.
        assert!(Self::POOL_SIZE <= u32::MAX as usize);
        assert!(Self::ARENA_BITS > Self::POOL_BITS);
        assert!(Self::MAX_POOLS_IN_ARENA == Self::ARENA_SIZE / Self::POOL_SIZE);
        assert!(Self::MAX_POOLS_IN_ARENA <= MAX_POOLS_IN_ARENA_LIMIT);
        // The arena map keys on address bits 48..ARENA_BITS.
        assert!(Self::ARENA_BITS < 40);
    };
}

/// CPython 3.10+ on 64-bit: 16-byte alignment, 32 classes, 16 KiB pools, 1 MiB arenas.
pub struct Modern;
impl Tunables for Modern {
    const NAME: &'static str = "modern";
    const ALIGNMENT_SHIFT: u32 = 4;
    const POOL_BITS: u32 = 14;
    const ARENA_BITS: u32 = 20;
}

/// The layout of the obmalloc.c comment table: 8-byte alignment, 64 classes, 4 KiB pools,
/// 256 KiB arenas.
pub struct Classic;
impl Tunables for Classic {
    const NAME: &'static str = "classic";
    const ALIGNMENT_SHIFT: u32 = 3;
    const POOL_BITS: u32 = 12;
    const ARENA_BITS: u32 = 18;
}

const _: () = <Modern as Tunables>::CHECKS;
const _: () = <Classic as Tunables>::CHECKS;
const _: () = assert!(Modern::NB_SMALL_SIZE_CLASSES == 32 && Modern::POOL_OVERHEAD == 48);
const _: () = assert!(Classic::NB_SMALL_SIZE_CLASSES == 64 && Classic::POOL_OVERHEAD == 48);
const _: () = assert!(Modern::MAX_POOLS_IN_ARENA == 64 && Classic::MAX_POOLS_IN_ARENA == 64);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn derived_constants() {
        assert_eq!(Modern::ALIGNMENT, 16);
        assert_eq!(Modern::POOL_SIZE, 16384);
        assert_eq!(Modern::ARENA_SIZE, 1 << 20);
        assert_eq!(Classic::ALIGNMENT, 8);
        assert_eq!(Classic::POOL_SIZE, 4096);
        assert_eq!(Classic::ARENA_SIZE, 256 << 10);
        assert_eq!(size_of::<PoolHeader>(), 48);
    }
}
