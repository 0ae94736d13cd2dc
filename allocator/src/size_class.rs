//! Size classes: request size → class index → block size → blocks per pool.
//!
//! ```text
//!  request bytes      class index i = (n - 1) >> ALIGNMENT_SHIFT    block size = (i + 1) << SHIFT
//!  Modern:   1 ..  16  →  0  → 16          Classic:  1 ..   8  →  0 →   8
//!           17 ..  32  →  1  → 32                    9 ..  16  →  1 →  16
//!          ...                                       ...
//!          497 .. 512  → 31  → 512                 505 .. 512  → 63 → 512
//! ```
//!
//! Blocks per pool = (POOL_SIZE − POOL_OVERHEAD) / block size; the remainder is "lost to
//! quantization". Worked example (Modern, 48-byte blocks): (16384 − 48) / 48 = 340 blocks, and
//! 16336 − 340·48 = 16 bytes of the pool can never be handed out.

use crate::layout::{SMALL_REQUEST_THRESHOLD, Tunables};

/// Class index of a request of `size` bytes. Requires `1 <= size <= 512`.
#[inline(always)]
pub const fn size_to_index<T: Tunables>(size: usize) -> usize {
    (size - 1) >> T::ALIGNMENT_SHIFT
}

/// Block size of class `idx`.
#[inline(always)]
pub const fn index_to_size<T: Tunables>(idx: usize) -> usize {
    (idx + 1) << T::ALIGNMENT_SHIFT
}

/// Number of blocks a pool of class `idx` holds.
#[inline]
pub const fn blocks_per_pool<T: Tunables>(idx: usize) -> usize {
    (T::POOL_SIZE - T::POOL_OVERHEAD) / index_to_size::<T>(idx)
}

/// Bytes of a pool of class `idx` that no block can use.
#[inline]
pub const fn quantization_per_pool<T: Tunables>(idx: usize) -> usize {
    (T::POOL_SIZE - T::POOL_OVERHEAD) % index_to_size::<T>(idx)
}

/// Is a request of this size served from pools (as opposed to the system allocator)?
#[inline(always)]
pub const fn is_small(size: usize) -> bool {
    size.wrapping_sub(1) < SMALL_REQUEST_THRESHOLD
}

/// The size-class table, in the spirit of the one in obmalloc.c's header comment.
pub fn size_class_table<T: Tunables>() -> String {
    let mut s = format!(
        "{} layout: {} classes, {}-byte pools ({} header), {}-byte arenas\n",
        T::NAME,
        T::NB_SMALL_SIZE_CLASSES,
        T::POOL_SIZE,
        T::POOL_OVERHEAD,
        T::ARENA_SIZE
    );
    s.push_str("Request in bytes     Size of allocated block      Size class idx   Blocks/pool\n");
    for i in 0..T::NB_SMALL_SIZE_CLASSES {
        let lo = if i == 0 {
            1
        } else {
            index_to_size::<T>(i - 1) + 1
        };
        let hi = index_to_size::<T>(i);
        s.push_str(&format!(
            "{:>7}-{:<8}{:>20}{:>24}{:>14}\n",
            lo,
            hi,
            hi,
            i,
            blocks_per_pool::<T>(i)
        ));
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{Classic, Modern};

    #[test]
    fn modern_mapping() {
        assert_eq!(size_to_index::<Modern>(1), 0);
        assert_eq!(size_to_index::<Modern>(16), 0);
        assert_eq!(size_to_index::<Modern>(17), 1);
        assert_eq!(size_to_index::<Modern>(512), 31);
        assert_eq!(index_to_size::<Modern>(31), 512);
        // Numbers checked against CPython 3.12's _debugmallocstats (REFERENCE A.2).
        assert_eq!(blocks_per_pool::<Modern>(0), 1021);
        assert_eq!(blocks_per_pool::<Modern>(1), 510);
        assert_eq!(blocks_per_pool::<Modern>(7), 127);
        assert_eq!(blocks_per_pool::<Modern>(31), 31);
    }

    #[test]
    fn classic_mapping() {
        assert_eq!(size_to_index::<Classic>(8), 0);
        assert_eq!(size_to_index::<Classic>(9), 1);
        assert_eq!(size_to_index::<Classic>(512), 63);
        assert_eq!(blocks_per_pool::<Classic>(1), 253);
        assert_eq!(blocks_per_pool::<Classic>(3), 126);
        assert_eq!(blocks_per_pool::<Classic>(15), 31);
        assert_eq!(blocks_per_pool::<Classic>(63), 7);
    }

    #[test]
    fn small_predicate() {
        assert!(!is_small(0));
        assert!(is_small(1));
        assert!(is_small(512));
        assert!(!is_small(513));
        assert!(!is_small(usize::MAX));
    }

    #[test]
    fn prints_table() {
        let t = size_class_table::<Modern>();
        println!("{t}");
        assert_eq!(t.lines().count(), 2 + 32);
        assert!(t.contains("497-512"));
        assert_eq!(size_class_table::<Classic>().lines().count(), 2 + 64);
    }
}
