//! The platform shim: where memory comes from.
//!
//! Three sources, all of which bypass Rust's global allocator (so that pymalloc can itself *be*
//! the global allocator without recursing):
//!
//! - **arenas**: `mmap` of `2 × ARENA_SIZE` anonymous bytes, trimmed with `munmap` to the one
//!   `ARENA_SIZE`-aligned window inside. Exact alignment is what lets a block find its arena and
//!   pool by masking its address; it also means no pool is ever lost to alignment.
//!   ```text
//!   mmap:   [ head slack | ARENA (aligned) | tail slack ]   →  head and tail munmap'd
//!   ```
//! - **large blocks** (> 512 bytes, or 0): `std::alloc::System` (glibc malloc) with a 16-byte
//!   header in front holding the requested size and an address cookie:
//!   ```text
//!   [ size: usize | cookie = addr ^ LARGE_MAGIC ][ user bytes … ]
//!   ^ System block                               ^ pointer handed out (16-aligned)
//!   ```
//! - **metadata** ([`SysVec`]): growable arrays in `System` memory for arena objects etc.
//!
//! Under Miri (which cannot call `mmap`/`munmap`) arenas come from `System.alloc_zeroed` with
//! `ARENA_SIZE` alignment instead: same contract (aligned, zeroed, fixed address until unmapped),
//! so the rest of the allocator runs unchanged and Miri checks its pointer arithmetic.
//!
//! Failure injection: every arena mapping and large allocation first asks the instance's
//! [`FaultInjector`]; tests set it to fail after N successful requests.
//!
//! Invariants of this module: a pointer returned by [`map_arena`] is `size`-aligned and points to
//! `size` readable, writable, zeroed bytes until passed to [`unmap_arena`] with the same size; a
//! pointer returned by [`large_alloc`] is preceded by a valid [`LargeHeader`] until
//! [`large_free`].

use std::alloc::{GlobalAlloc, Layout, System};
use std::ptr::NonNull;

/// Counts OS requests and refuses them once a budget is exhausted (tests only set a budget).
#[derive(Debug, Default, Clone, Copy)]
pub struct FaultInjector {
    /// `None`: never fail. `Some(n)`: allow `n` more requests, then fail every request.
    budget: Option<usize>,
}

impl FaultInjector {
    pub const fn new() -> Self {
        FaultInjector { budget: None }
    }
    pub fn set_budget(&mut self, budget: Option<usize>) {
        self.budget = budget;
    }
    /// Consume one request from the budget; `false` means "pretend the OS refused".
    #[inline]
    pub fn permit(&mut self) -> bool {
        match &mut self.budget {
            None => true,
            Some(0) => false,
            Some(n) => {
                *n -= 1;
                true
            }
        }
    }
}

/// Map `size` bytes aligned to `size` (a power of two ≥ the page size). `None` if the OS refuses.
#[cfg(not(miri))]
pub fn map_arena(size: usize) -> Option<NonNull<u8>> {
    debug_assert!(size.is_power_of_two() && size >= 4096);
    let len = size.checked_mul(2)?;
    // SAFETY: anonymous private mapping with a null hint; no existing memory is affected.
    let p = unsafe {
        libc::mmap(
            std::ptr::null_mut(),
            len,
            libc::PROT_READ | libc::PROT_WRITE,
            libc::MAP_PRIVATE | libc::MAP_ANONYMOUS,
            -1,
            0,
        )
    };
    if p == libc::MAP_FAILED {
        return None;
    }
    let p = p.cast::<u8>();
    let addr = p.addr();
    let aligned = (addr + size - 1) & !(size - 1);
    let head = aligned - addr;
    let tail = len - head - size;
    // SAFETY: [p, p + head) and [aligned + size, p + len) lie inside the mapping just created and
    // nothing refers to them; unmapping page-aligned sub-ranges of a mapping is allowed.
    unsafe {
        if head != 0 {
            libc::munmap(p.cast(), head);
        }
        if tail != 0 {
            libc::munmap(p.add(head + size).cast(), tail);
        }
    }
    // Arena addresses must fit the 48-bit arena map; Linux never hands out more without a hint.
    if (aligned + size) >> 48 != 0 {
        // SAFETY: [aligned, aligned + size) is the part of our mapping still mapped.
        unsafe { libc::munmap(p.add(head).cast(), size) };
        return None;
    }
    // SAFETY: head < len, so the result is inside the mapping (and non-null).
    Some(unsafe { NonNull::new_unchecked(p.add(head)) })
}

/// Return an arena to the OS.
///
/// # Safety
/// `p` was returned by [`map_arena`]`(size)` and is not used afterwards.
#[cfg(not(miri))]
pub unsafe fn unmap_arena(p: NonNull<u8>, size: usize) {
    // SAFETY: by the caller's contract, [p, p + size) is a live mapping of ours.
    let rc = unsafe { libc::munmap(p.as_ptr().cast(), size) };
    debug_assert_eq!(rc, 0, "munmap failed");
}

/// Miri's arena source: `size` zeroed bytes aligned to `size` from the system allocator (Miri
/// cannot `mmap`). Same contract as the `mmap` version.
#[cfg(miri)]
pub fn map_arena(size: usize) -> Option<NonNull<u8>> {
    debug_assert!(size.is_power_of_two() && size >= 4096);
    let layout = Layout::from_size_align(size, size).ok()?;
    // SAFETY: the layout has a non-zero size.
    NonNull::new(unsafe { System.alloc_zeroed(layout) })
}

/// Miri's counterpart of `munmap`.
///
/// # Safety
/// `p` was returned by [`map_arena`]`(size)` and is not used afterwards.
#[cfg(miri)]
pub unsafe fn unmap_arena(p: NonNull<u8>, size: usize) {
    let layout = Layout::from_size_align(size, size).expect("was valid in map_arena");
    // SAFETY: by the caller's contract p came from map_arena(size), i.e. System with `layout`.
    unsafe { System.dealloc(p.as_ptr(), layout) };
}

/// Header in front of a system-allocated ("large") block.
#[repr(C, align(16))]
pub struct LargeHeader {
    /// Requested size in bytes.
    pub size: usize,
    /// `user address ^ LARGE_MAGIC`: lets `free` recognise its own large blocks.
    pub cookie: usize,
}

pub const LARGE_HDR: usize = size_of::<LargeHeader>();
const LARGE_MAGIC: usize = 0x5079_6865_6170_4c67; // "PyheapLg"
const _: () = assert!(LARGE_HDR == 16);

fn large_layout(size: usize) -> Option<Layout> {
    Layout::from_size_align(size.checked_add(LARGE_HDR)?, LARGE_HDR).ok()
}

/// Allocate a large block of `size` bytes (any size, 0 included), zeroed if `zero`.
pub fn large_alloc(size: usize, zero: bool) -> Option<NonNull<u8>> {
    let layout = large_layout(size)?;
    // SAFETY: the layout has a non-zero size (at least the header).
    let base = unsafe {
        if zero {
            System.alloc_zeroed(layout)
        } else {
            System.alloc(layout)
        }
    };
    let base = NonNull::new(base)?;
    // SAFETY: base points to layout.size() >= LARGE_HDR bytes aligned to 16; user = base + 16 is
    // within (or one past) the block.
    unsafe {
        let user = base.add(LARGE_HDR);
        base.cast::<LargeHeader>().write(LargeHeader {
            size,
            cookie: user.addr().get() ^ LARGE_MAGIC,
        });
        Some(user)
    }
}

/// Does `user` carry the cookie of one of our large blocks? Reads the 16 bytes before it.
///
/// # Safety
/// The 16 bytes before `user` must be readable (true for our large blocks; for a foreign pointer
/// this is a best-effort check, see `Pymalloc::free`).
pub unsafe fn large_is_ours(user: NonNull<u8>) -> bool {
    // SAFETY: caller guarantees the header bytes are readable; read_unaligned copes with any
    // alignment of a foreign pointer.
    let cookie = unsafe {
        user.sub(LARGE_HDR)
            .cast::<LargeHeader>()
            .as_ptr()
            .read_unaligned()
            .cookie
    };
    cookie == user.addr().get() ^ LARGE_MAGIC
}

/// Requested size of a large block.
///
/// # Safety
/// `user` came from [`large_alloc`] and is not freed.
pub unsafe fn large_size(user: NonNull<u8>) -> usize {
    // SAFETY: by contract a LargeHeader precedes user.
    unsafe { user.sub(LARGE_HDR).cast::<LargeHeader>().as_ref().size }
}

/// Free a large block.
///
/// # Safety
/// `user` came from [`large_alloc`] (or [`large_realloc`]) and is not freed.
pub unsafe fn large_free(user: NonNull<u8>) {
    // SAFETY: by contract the header is ours; the layout is the one it was allocated with.
    unsafe {
        let base = user.sub(LARGE_HDR);
        let size = base.cast::<LargeHeader>().as_ref().size;
        // Spoil the cookie so a second free of the same address is likely to be noticed.
        base.cast::<LargeHeader>().as_mut().cookie = 0;
        System.dealloc(base.as_ptr(), large_layout(size).expect("layout was valid"));
    }
}

/// Resize a large block in place or by moving (System realloc). `None` leaves `user` intact.
///
/// # Safety
/// `user` came from [`large_alloc`] and is not freed.
pub unsafe fn large_realloc(user: NonNull<u8>, new_size: usize) -> Option<NonNull<u8>> {
    let new_layout = large_layout(new_size)?;
    // SAFETY: header is valid by contract; System.realloc receives the original layout and a
    // non-zero new size; on success the returned block holds the old header bytes.
    unsafe {
        let base = user.sub(LARGE_HDR);
        let old = base.cast::<LargeHeader>().as_ref().size;
        let nb = System.realloc(
            base.as_ptr(),
            large_layout(old).expect("layout was valid"),
            new_layout.size(),
        );
        let nb = NonNull::new(nb)?;
        let nu = nb.add(LARGE_HDR);
        nb.cast::<LargeHeader>().write(LargeHeader {
            size: new_size,
            cookie: nu.addr().get() ^ LARGE_MAGIC,
        });
        Some(nu)
    }
}

/// A growable array of `Copy` values in `System` memory (never the global allocator).
pub struct SysVec<T: Copy> {
    ptr: *mut T,
    len: usize,
    cap: usize,
}

// SAFETY: a SysVec owns its buffer exclusively, like Vec<T>.
unsafe impl<T: Copy + Send> Send for SysVec<T> {}

impl<T: Copy> SysVec<T> {
    pub const fn new() -> Self {
        SysVec {
            ptr: std::ptr::null_mut(),
            len: 0,
            cap: 0,
        }
    }
    #[inline]
    pub fn len(&self) -> usize {
        self.len
    }
    #[inline]
    pub fn as_slice(&self) -> &[T] {
        if self.cap == 0 {
            return &[];
        }
        // SAFETY: ptr holds `len` initialised values when cap > 0.
        unsafe { std::slice::from_raw_parts(self.ptr, self.len) }
    }
    #[inline]
    pub fn as_mut_slice(&mut self) -> &mut [T] {
        if self.cap == 0 {
            return &mut [];
        }
        // SAFETY: ptr holds `len` initialised values, uniquely borrowed through &mut self.
        unsafe { std::slice::from_raw_parts_mut(self.ptr, self.len) }
    }
    /// Grow the capacity to at least `cap`. `false` if System refused (contents unchanged).
    pub fn reserve_total(&mut self, cap: usize) -> bool {
        if cap <= self.cap {
            return true;
        }
        let Ok(new_layout) = Layout::array::<T>(cap) else {
            return false;
        };
        if new_layout.size() == 0 {
            return true;
        }
        // SAFETY: when cap > 0 the old buffer was allocated with Layout::array::<T>(self.cap);
        // new sizes are non-zero.
        let p = unsafe {
            if self.cap == 0 {
                System.alloc(new_layout)
            } else {
                System.realloc(
                    self.ptr.cast(),
                    Layout::array::<T>(self.cap).expect("was valid"),
                    new_layout.size(),
                )
            }
        };
        if p.is_null() {
            return false;
        }
        self.ptr = p.cast();
        self.cap = cap;
        true
    }
    /// Append; `false` if growing failed.
    pub fn push(&mut self, v: T) -> bool {
        if self.len == self.cap && !self.reserve_total((self.cap * 2).max(16)) {
            return false;
        }
        // SAFETY: len < cap after the reserve, so the slot is inside the buffer.
        unsafe { self.ptr.add(self.len).write(v) };
        self.len += 1;
        true
    }
    /// Insert at `i` (shifting the tail); `false` if growing failed.
    pub fn insert(&mut self, i: usize, v: T) -> bool {
        assert!(i <= self.len);
        if !self.push(v) {
            return false;
        }
        self.as_mut_slice()[i..].rotate_right(1);
        true
    }
    pub fn remove(&mut self, i: usize) -> T {
        let v = self.as_slice()[i];
        self.as_mut_slice()[i..].rotate_left(1);
        self.len -= 1;
        v
    }
}

impl<T: Copy> Drop for SysVec<T> {
    fn drop(&mut self) {
        if self.cap != 0 && size_of::<T>() != 0 {
            // SAFETY: the buffer was allocated by System with this layout.
            unsafe {
                System.dealloc(
                    self.ptr.cast(),
                    Layout::array::<T>(self.cap).expect("was valid"),
                )
            };
        }
    }
}

/// Zeroed System memory for `n` values of `T` (arena-map nodes). `None` on failure.
pub fn sys_zeroed<T>(n: usize) -> Option<NonNull<T>> {
    let layout = Layout::array::<T>(n).ok()?;
    assert!(layout.size() != 0);
    // SAFETY: non-zero size.
    NonNull::new(unsafe { System.alloc_zeroed(layout) }.cast())
}

/// Release memory from [`sys_zeroed`].
///
/// # Safety
/// `p` came from `sys_zeroed::<T>(n)` with the same `n` and is not used afterwards.
pub unsafe fn sys_free<T>(p: NonNull<T>, n: usize) {
    // SAFETY: same layout as the allocation, by contract.
    unsafe { System.dealloc(p.as_ptr().cast(), Layout::array::<T>(n).expect("was valid")) };
}

/// Resident set size of this process in bytes, from /proc/self/statm (Linux); `None` elsewhere.
pub fn resident_bytes() -> Option<usize> {
    // Miri: no /proc under isolation, and arenas are not mappings there anyway.
    if cfg!(miri) {
        return None;
    }
    let s = std::fs::read_to_string("/proc/self/statm").ok()?;
    let pages: usize = s.split_whitespace().nth(1)?.parse().ok()?;
    // SAFETY: sysconf has no memory-safety preconditions.
    let page = unsafe { libc::sysconf(libc::_SC_PAGESIZE) };
    Some(pages * usize::try_from(page).ok()?)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn aligned_mapping() {
        for size in [1usize << 18, 1 << 20] {
            let p = map_arena(size).unwrap();
            assert_eq!(p.addr().get() % size, 0);
            // SAFETY: the mapping is size bytes, writable.
            unsafe {
                p.as_ptr().write(1);
                p.as_ptr().add(size - 1).write(2);
                unmap_arena(p, size);
            }
        }
    }

    #[test]
    fn fault_budget() {
        let mut f = FaultInjector::new();
        assert!(f.permit());
        f.set_budget(Some(2));
        assert!(f.permit() && f.permit());
        assert!(!f.permit() && !f.permit());
        f.set_budget(None);
        assert!(f.permit());
    }

    #[test]
    fn large_roundtrip() {
        let p = large_alloc(1000, true).unwrap();
        // SAFETY: p is a live large block of 1000 bytes.
        unsafe {
            assert!(large_is_ours(p));
            assert_eq!(large_size(p), 1000);
            assert_eq!(*p.as_ptr().add(999), 0);
            let q = large_realloc(p, 5000).unwrap();
            assert_eq!(large_size(q), 5000);
            assert!(large_is_ours(q));
            large_free(q);
        }
    }

    #[test]
    fn sysvec_ops() {
        let mut v = SysVec::<u32>::new();
        for i in 0..100 {
            assert!(v.push(i));
        }
        assert!(v.insert(0, 1000));
        assert_eq!(v.as_slice()[0], 1000);
        assert_eq!(v.remove(0), 1000);
        assert_eq!(v.len(), 100);
        assert_eq!(v.as_slice()[99], 99);
    }
}
