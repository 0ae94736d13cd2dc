//! Allocation patterns (see BENCHMARKS.md "Allocator" for the cases and their figures).
//!
//! | case | one round |
//! |---|---|
//! | `lifo_64`, `lifo_64_lone` | [`lifo_pair`]: a 64-byte alloc followed by its free (with / without another block live) |
//! | `batch_10k`, `batch_1m` | [`batch_round`]: n × 64 B allocated, then freed in allocation order |
//! | `random_sizes` | [`random_round`]: [`random_case`] sizes 1..=512 allocated, freed in a random order |
//!
//! pymalloc is driven through its unsized `free` (the arena-map lookup, like CPython's
//! `PyObject_Free`), not the faster `free_sized`.

use bumpalo::Bump;
use pyheap_allocator::Pymalloc;
use std::alloc::{GlobalAlloc, Layout};
use std::hint::black_box;
use std::ptr::NonNull;

/// The operations a benchmark needs from an allocator.
pub trait Subject {
    fn alloc(&mut self, size: usize) -> *mut u8;
    /// # Safety
    /// `p` came from `alloc(size)` on this subject and is freed once.
    unsafe fn free(&mut self, p: *mut u8, size: usize);
}

/// pymalloc.
pub struct Ours(pub Pymalloc);

impl Subject for Ours {
    #[inline(always)]
    fn alloc(&mut self, size: usize) -> *mut u8 {
        self.0.alloc(size).as_ptr()
    }
    #[inline(always)]
    unsafe fn free(&mut self, p: *mut u8, _size: usize) {
        // SAFETY: forwarded contract; p is non-null because it came from alloc.
        unsafe { self.0.free(NonNull::new_unchecked(p)) }
    }
}

/// A `GlobalAlloc` used directly (glibc through `std::alloc::System`, or mimalloc).
pub struct Global<G: GlobalAlloc>(pub G);

impl<G: GlobalAlloc> Subject for Global<G> {
    #[inline(always)]
    fn alloc(&mut self, size: usize) -> *mut u8 {
        // SAFETY: every size used by the cases is non-zero.
        let p = unsafe { self.0.alloc(layout(size)) };
        assert!(!p.is_null(), "out of memory");
        p
    }
    #[inline(always)]
    unsafe fn free(&mut self, p: *mut u8, size: usize) {
        // SAFETY: p came from alloc with the same layout (forwarded contract).
        unsafe { self.0.dealloc(p, layout(size)) }
    }
}

/// The layout every case uses: `size` bytes, 16-byte aligned (pymalloc's alignment).
pub fn layout(size: usize) -> Layout {
    Layout::from_size_align(size, 16).expect("valid layout")
}

/// One 64-byte allocation immediately freed.
#[inline(always)]
pub fn lifo_pair<S: Subject>(s: &mut S) {
    let p = black_box(s.alloc(64));
    // SAFETY: p was just allocated with 64 bytes and is freed once.
    unsafe { s.free(p, 64) };
}

/// `n` 64-byte blocks allocated into `buf`, then freed in allocation order.
pub fn batch_round<S: Subject>(s: &mut S, n: usize, buf: &mut Vec<*mut u8>) {
    buf.clear();
    for _ in 0..n {
        buf.push(s.alloc(64));
    }
    for &p in buf.iter() {
        // SAFETY: each p is live, allocated with 64 bytes, freed once.
        unsafe { s.free(black_box(p), 64) };
    }
}

/// The blocks of `sizes` allocated into `buf`, then freed in `order`.
pub fn random_round<S: Subject>(
    s: &mut S,
    sizes: &[usize],
    order: &[usize],
    buf: &mut Vec<*mut u8>,
) {
    buf.clear();
    for &n in sizes {
        buf.push(s.alloc(n));
    }
    for &i in order {
        // SAFETY: `order` is a permutation: each block is freed once, with its size.
        unsafe { s.free(black_box(buf[i]), sizes[i]) };
    }
}

/// `n` random sizes in 1..=512 and a random permutation of 0..n (xorshift, fixed seed: every
/// subject and every run sees the same case).
pub fn random_case(n: usize) -> (Vec<usize>, Vec<usize>) {
    let mut x = 0x9E37_79B9_7F4A_7C15u64;
    let mut next = move || {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        x
    };
    let sizes: Vec<usize> = (0..n).map(|_| 1 + (next() % 512) as usize).collect();
    let mut order: Vec<usize> = (0..n).collect();
    for i in (1..n).rev() {
        order.swap(i, (next() % (i as u64 + 1)) as usize);
    }
    (sizes, order)
}

/// bumpalo's twin of a round: the allocations only (a bump allocator cannot free one block),
/// then one reset.
pub fn bump_round(bump: &mut Bump, sizes: impl IntoIterator<Item = usize>) {
    for n in sizes {
        black_box(bump.alloc_layout(layout(n)));
    }
    bump.reset();
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn random_case_is_a_fixed_permutation_of_small_sizes() {
        let (sizes, order) = random_case(1000);
        assert!(sizes.iter().all(|&s| (1..=512).contains(&s)));
        let mut sorted = order.clone();
        sorted.sort_unstable();
        assert_eq!(sorted, (0..1000).collect::<Vec<_>>());
        assert_eq!(random_case(1000), (sizes, order), "same seed, same case");
    }

    #[test]
    fn rounds_return_every_block() {
        let mut s = Ours(Pymalloc::new());
        let mut buf = Vec::new();
        let (sizes, order) = random_case(500);
        batch_round(&mut s, 300, &mut buf);
        random_round(&mut s, &sizes, &order, &mut buf);
        lifo_pair(&mut s);
        assert_eq!((s.0.blocks_in_use(), s.0.large_in_use()), (0, 0));
    }
}
